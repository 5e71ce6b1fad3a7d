/*
 * drawing.c - put a drawing (drawing.h) together: attribute values in one
 * text buffer, objects in the order the back ends create them.
 *
 * Invariant: every value is NUL-terminated in d->text and referred to by
 * offset, so the buffer may grow (and move) while a drawing is built;
 * errors are sticky in the builder, so callers check once at the end.
 */
#include "render/drawing.h"
#include "kgraph/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const kg__pin_attrs[KG__NPIN_ATTRS][2] = {
	{"inputscale", "72"}, {"notranslate", "true"}, {"overlap", "true"}, {"splines", "true"}, {"pack", "false"}};

void kg__rdrawing_free(kg__rdrawing *d)
{
	kg__buf_free(&d->text);
	KG_VEC_FREE(d->attrs);
	KG_VEC_FREE(d->nodes);
	KG_VEC_FREE(d->clusters);
	KG_VEC_FREE(d->members);
	KG_VEC_FREE(d->edges);
	KG_VEC_FREE(d->anchored);
	KG_VEC_FREE(d->legend);
}

/* How far right of the rightmost node's centre the legend begins: about
 * half the widest node and a gap. */
#define ANCHOR_GAP 150.0

void kg__anchor_nodes(const kg__rdrawing *d, double *pos, uint8_t *anchored)
{
	double right = 0, top = 0;
	bool any = false;
	size_t i;

	memset(anchored, 0, d->nodes.n);
	for (i = 0; i < d->anchored.n; i++)
		anchored[d->anchored.v[i].node] = 1;
	for (i = 0; i < d->nodes.n; i++) {
		if (anchored[i])
			continue;
		if (!any || pos[2 * i] > right)
			right = pos[2 * i];
		if (!any || pos[2 * i + 1] > top)
			top = pos[2 * i + 1];
		any = true;
	}
	for (i = 0; i < d->anchored.n; i++) {
		const kg__ranchor *a = &d->anchored.v[i];
		pos[2 * a->node] = right + ANCHOR_GAP + a->dx;
		pos[2 * a->node + 1] = top + a->dy;
	}
}

size_t kg__val_end(kg__builder *b, size_t start)
{
	if (kg__buf_add(&b->d->text, "", 1)) /* the NUL separator */
		b->err = KG_ENOMEM;
	return start;
}

size_t kg__val(kg__builder *b, const char *s)
{
	size_t at = b->d->text.n;
	if (kg__buf_add(&b->d->text, s, strlen(s)))
		b->err = KG_ENOMEM;
	return kg__val_end(b, at);
}

size_t kg__valf(kg__builder *b, const char *fmt, ...)
{
	size_t at = b->d->text.n;
	va_list ap;

	/* kg__buf_vprintf writes numbers in the "C" locale, whatever the
	 * host program chose, and is never cut short. */
	va_start(ap, fmt);
	if (kg__buf_vprintf(&b->d->text, fmt, ap))
		b->err = KG_ENOMEM;
	va_end(ap);
	return kg__val_end(b, at);
}

void kg__prop(kg__props *p, const char *key, size_t val)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0) {
			p->v[i].value = val;
			return;
		}
	if (p->n < KG__MAXPROPS) {
		p->v[p->n].key = key;
		p->v[p->n].value = val;
		p->n++;
	}
}

void kg__prop_all(kg__props *p, const kg__props *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		kg__prop(p, from->v[i].key, from->v[i].value);
}

kg__rattrs kg__draw_attrs(kg__builder *b, const kg__props *p)
{
	kg__rattrs run;
	size_t i;

	run.first = b->d->attrs.n;
	run.count = p->n;
	for (i = 0; i < p->n; i++)
		if (KG_VEC_PUSH(b->d->attrs, p->v[i]))
			b->err = KG_ENOMEM;
	return run;
}

uint32_t kg__draw_node(kg__builder *b, const kg__props *p)
{
	kg__rattrs run = kg__draw_attrs(b, p);
	if (KG_VEC_PUSH(b->d->nodes, run))
		b->err = KG_ENOMEM;
	return (uint32_t)(b->d->nodes.n - 1);
}

void kg__draw_edge(kg__builder *b, uint32_t tail, uint32_t head, const kg__props *p)
{
	kg__redge e;

	e.tail = tail;
	e.head = head;
	e.attrs = kg__draw_attrs(b, p);
	if (KG_VEC_PUSH(b->d->edges, e))
		b->err = KG_ENOMEM;
}

void kg__draw_cluster(kg__builder *b, const kg__props *p, const uint32_t *members, size_t n)
{
	kg__rcluster c;
	size_t i;

	c.attrs = kg__draw_attrs(b, p);
	c.first_member = b->d->members.n;
	c.nmembers = n;
	for (i = 0; i < n; i++)
		if (KG_VEC_PUSH(b->d->members, members[i]))
			b->err = KG_ENOMEM;
	if (KG_VEC_PUSH(b->d->clusters, c))
		b->err = KG_ENOMEM;
}
