/*
 * elements.c - the drawing's nodes (entities), edges (relations) and
 * clusters (groups of entities), with their labels, tooltips and links.
 *
 * Pipeline position: render. Each element gets an id and classes (for
 * CSS and scripts on the SVG), its type's style (style.c), the faded or
 * highlighted look when paths are shown in context, a tooltip that says
 * everything the graph knows of it, and a link when its url (or its
 * source's) is http or https. Elements are added in graph index order.
 */
#define _POSIX_C_SOURCE 200809L

#include "render/render_internal.h"
#include "kgraph/common.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tooltips and links --------------------------------------------- */

static const char *first_attr(const kg_graph *g, uint32_t e, const char *key)
{
	size_t i, n = kg_entity_attr_count(g, e);

	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		if (strcmp(a.key, key) == 0)
			return a.value;
	}
	return NULL;
}

/* Attributes as "key: value" lines, list values joined by ", ". */
static int attr_lines(kg__buf *t, kg_attr (*get)(const kg_graph *, uint32_t, size_t), const kg_graph *g,
                      uint32_t x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		kg_attr a = get(g, x, i);
		bool cont = i && a.in_list && get(g, x, i - 1).in_list && strcmp(get(g, x, i - 1).key, a.key) == 0;
		if (cont ? kg__buf_printf(t, ", %s", a.value) : kg__buf_printf(t, "\n%s: %s", a.key, a.value))
			return -1;
	}
	return 0;
}

int kg__entity_tooltip(kg__render *r, uint32_t e)
{
	const kg_graph *g = r->g;
	kg__buf *t = &r->b.tmp;
	size_t i, n = kg_entity_alias_count(g, e);

	t->n = 0;
	if (kg__buf_printf(t, "%s\n%s \xC2\xB7 %s", kg_entity_name(g, e), kg_type_label(g, kg_entity_type(g, e)),
	                   kg_entity_id(g, e)))
		return -1;
	for (i = 0; i < n; i++)
		if (kg__buf_printf(t, i ? ", %s" : "\naliases: %s", kg_entity_alias(g, e, i)))
			return -1;
	for (i = 0; i < kg_entity_attr_count(g, e); i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		bool cont = i && a.in_list && kg_entity_attr(g, e, i - 1).in_list &&
		            strcmp(kg_entity_attr(g, e, i - 1).key, a.key) == 0;
		if (strcmp(a.key, "url") == 0) /* it is the link, or was refused with a warning */
			continue;
		if (cont ? kg__buf_printf(t, ", %s", a.value) : kg__buf_printf(t, "\n%s: %s", a.key, a.value))
			return -1;
	}
	return 0;
}

static int date_range(kg__buf *t, const kg_graph *g, uint32_t rel, const char *sep)
{
	char a[11], b[11];
	kg_date d = kg_relation_date(g, rel), s = kg_relation_since(g, rel), u = kg_relation_until(g, rel);

	if (d)
		return kg__buf_printf(t, "%s%s", sep, kg_date_format(a, d));
	if (s && u)
		return kg__buf_printf(t, "%s%s \xE2\x80\x93 %s", sep, kg_date_format(a, s), kg_date_format(b, u));
	if (s)
		return kg__buf_printf(t, "%ssince %s", sep, kg_date_format(a, s));
	if (u)
		return kg__buf_printf(t, "%suntil %s", sep, kg_date_format(b, u));
	return 0;
}

int kg__relation_tooltip(kg__render *r, uint32_t rel)
{
	const kg_graph *g = r->g;
	kg__buf *t = &r->b.tmp;
	uint32_t src = kg_relation_source(g, rel);
	const char *quote = kg_relation_quote(g, rel);
	double w;

	t->n = 0;
	if (kg__buf_printf(t, "%s \xE2\x80\x94 %s \xE2\x86\x92 %s", kg_entity_name(g, kg_relation_from(g, rel)),
	                   kg_relation_type_label(g, kg_relation_type(g, rel)),
	                   kg_entity_name(g, kg_relation_to(g, rel))))
		return -1;
	if (date_range(t, g, rel, "\ndate: "))
		return -1;
	if (src != KG_NONE) {
		const char *title = kg_source_title(g, src), *pub = kg_source_publisher(g, src);
		char d[11];
		kg_date sd = kg_source_date(g, src);
		if (kg__buf_printf(t, "\nsource: %s", title ? title : kg_source_id(g, src)))
			return -1;
		if ((pub || sd) && kg__buf_printf(t, " (%s%s%s)", pub ? pub : "", pub && sd ? ", " : "",
		                                  sd ? kg_date_format(d, sd) : ""))
			return -1;
	}
	if (quote && kg__buf_printf(t, "\n\xE2\x80\x9C%s\xE2\x80\x9D", quote))
		return -1;
	if (kg_relation_weight(g, rel, &w) && kg__buf_printf(t, "\nweight: %g", w))
		return -1;
	return attr_lines(t, kg_relation_attr, g, rel, kg_relation_attr_count(g, rel));
}

static size_t tmp_escaped(kg__render *r, kg__esc kind, unsigned wrap)
{
	return kg__val_text(&r->b, r->b.tmp.p ? r->b.tmp.p : "", kind, wrap);
}

/* A url attribute value as a link, or a warning. */
static bool link_ok(kg__render *r, const char *url, const kg_location *at, const char *what)
{
	if (kg__url_allowed(url))
		return true;
	if (kg__diag_at(r->diags, KG_SEV_WARNING, at, "%s: url '%s' is not http or https; it is not linked", what,
	                    url) < 0)
		r->b.err = KG_ENOMEM;
	return false;
}

/* ---- nodes, edges, clusters -------------------------------------------- */

void kg__add_entity(kg__render *r, uint32_t e)
{
	const kg_graph *g = r->g;
	const kg_render_options *o = r->o;
	uint32_t t = kg_entity_type(g, e);
	uint8_t mark = r->sel.entity[e];
	const char *url = first_attr(g, e, "url");
	kg__buf *tmp = &r->b.tmp;
	kg__props p;

	p.n = 0;
	kg__prop(&p, "id", kg__valf(&r->b, "e-%s", kg_entity_id(g, e)));
	kg__prop(&p, "class", kg__valf(&r->b, "kg-entity kg-type-%s%s", kg_type_name(g, t),
	                               mark & KG__SEL_PATH && r->sel.highlight ? " kg-path" : ""));
	tmp->n = 0;
	if (o->label == KG_RENDER_LABEL_ID ? kg__buf_puts(tmp, kg_entity_id(g, e))
	    : o->label == KG_RENDER_LABEL_BOTH && strcmp(kg_entity_id(g, e), kg_entity_name(g, e)) != 0
	        ? kg__buf_printf(tmp, "%s\n(%s)", kg_entity_name(g, e), kg_entity_id(g, e))
	        : kg__buf_puts(tmp, kg_entity_name(g, e)))
		r->b.err = KG_ENOMEM;
	kg__prop(&p, "label", tmp_escaped(r, KG__ESC_LABEL, o->wrap));
	kg__prop_all(&p, &r->type_style[t]);
	if (r->sel.highlight)
		kg__prop_all(&p, mark & KG__SEL_PATH ? &r->path_node : &r->faded_node);
	/* The entities a picture is about stand out: the focus, and the two
	 * ends of a path drawn alone, which also say which end is which. */
	if ((mark & KG__SEL_FOCUS) || (r->step_of && (e == r->path_from || e == r->path_to))) {
		kg__prop(&p, "peripheries", kg__val(&r->b, "2"));
		kg__prop(&p, "penwidth", kg__val(&r->b, "2.2"));
	}
	if (r->step_of && (e == r->path_from || e == r->path_to))
		kg__prop(&p, "xlabel", kg__val(&r->b, e == r->path_from ? "start" : "end"));
	if (kg__entity_tooltip(r, e))
		r->b.err = KG_ENOMEM;
	kg__prop(&p, "tooltip", tmp_escaped(r, KG__ESC_TOOLTIP, 0));
	if (url) {
		kg_location at = kg_entity_location(g, e);
		char what[300];
		snprintf(what, sizeof what, "entity '%s'", kg_entity_id(g, e));
		if (link_ok(r, url, &at, what)) {
			kg__prop(&p, "URL", kg__val_url(&r->b, url));
			kg__prop(&p, "target", kg__val(&r->b, "_top"));
		}
	}
	if (r->diff_entity && r->diff_entity[e])
		kg__diff_props(r, &p, r->diff_entity[e], false);
	r->node_of[e] = kg__draw_node(&r->b, &p);
}

void kg__add_relation(kg__render *r, uint32_t rel)
{
	const kg_graph *g = r->g;
	const kg_render_options *o = r->o;
	uint32_t t = kg_relation_type(g, rel), src = kg_relation_source(g, rel);
	uint8_t mark = r->sel.relation[rel];
	kg__buf *tmp = &r->b.tmp;
	size_t tip;
	kg__props p;

	p.n = 0;
	/* Named by its place in the whole graph, so that a part of it drawn
	 * (render --db) names it the same. */
	kg__prop(&p, "id", kg__valf(&r->b, "r-%u", kg_relation_ordinal(g, rel)));
	kg__prop(&p, "class", kg__valf(&r->b, "kg-relation kg-rtype-%s%s", kg_relation_type_name(g, t),
	                               mark & KG__SEL_PATH && r->sel.highlight ? " kg-path" : ""));
	kg__prop_all(&p, &r->rtype_style[t]);
	if (r->sel.highlight)
		kg__prop_all(&p, mark & KG__SEL_PATH ? &r->path_edge : &r->faded_edge);
	if (kg__relation_tooltip(r, rel))
		r->b.err = KG_ENOMEM;
	tip = tmp_escaped(r, KG__ESC_TOOLTIP, 0);
	kg__prop(&p, "tooltip", tip);
	if (r->diff_relation && r->diff_relation[rel])
		kg__diff_props(r, &p, r->diff_relation[rel], true);
	tmp->n = 0;
	/* The steps of a path drawn alone are numbered in order. */
	if (r->step_of && r->step_of[rel] && kg__buf_printf(tmp, "%u. ", r->step_of[rel]))
		r->b.err = KG_ENOMEM;
	/* A type drawn neutral (past the distinct styles) is always named. */
	if ((r->edge_text || r->rtype_slot[t] == KG_NONE) && kg__buf_puts(tmp, kg_relation_type_label(g, t)))
		r->b.err = KG_ENOMEM;
	if (o->edge_dates && date_range(tmp, g, rel, tmp->n ? "\n" : ""))
		r->b.err = KG_ENOMEM;
	if (tmp->n) {
		kg__prop(&p, r->xlabels ? "xlabel" : "label", tmp_escaped(r, KG__ESC_LABEL, o->wrap));
		kg__prop(&p, "labeltooltip", tip);
	}
	if (src != KG_NONE && kg_source_url(g, src)) {
		const char *url = kg_source_url(g, src);
		if (kg__url_allowed(url)) {
			kg__prop(&p, "URL", kg__val_url(&r->b, url));
			kg__prop(&p, "target", kg__val(&r->b, "_top"));
		} else if (!r->source_warned[src]) {
			kg_location at = kg_source_location(g, src);
			char what[300];
			r->source_warned[src] = 1;
			snprintf(what, sizeof what, "source '%s'", kg_source_id(g, src));
			link_ok(r, url, &at, what);
		}
	}
	if (r->step_of && r->step_back[rel]) {
		/* walked against its direction: laid out along the path, the
		 * arrowhead still at the relation's head */
		size_t k;
		bool none = false;
		size_t head = SIZE_MAX;
		for (k = 0; k < p.n; k++) {
			none |= strcmp(p.v[k].key, "dir") == 0 && strcmp(r->b.d->text.p + p.v[k].value, "none") == 0;
			if (strcmp(p.v[k].key, "arrowhead") == 0)
				head = p.v[k].value;
		}
		if (!none)
			kg__prop(&p, "dir", kg__val(&r->b, "back"));
		if (head != SIZE_MAX) /* dir=back draws the tail's arrow */
			kg__prop(&p, "arrowtail", head);
		kg__draw_edge(&r->b, r->node_of[kg_relation_to(g, rel)], r->node_of[kg_relation_from(g, rel)], &p);
		return;
	}
	kg__draw_edge(&r->b, r->node_of[kg_relation_from(g, rel)], r->node_of[kg_relation_to(g, rel)], &p);
}

void kg__cluster_props(kg__render *r, kg__props *p, const char *id, size_t label)
{
	const kg__theme *th = r->th;

	p->n = 0;
	kg__prop(p, "id", kg__val(&r->b, id));
	kg__prop(p, "label", label);
	kg__prop(p, "style", kg__val(&r->b, th->mono ? "rounded,dashed" : "rounded,filled"));
	kg__prop(p, "color", kg__val(&r->b, th->cluster_line));
	kg__prop(p, "fillcolor", kg__val(&r->b, th->cluster_fill));
	kg__prop(p, "fontcolor", kg__val(&r->b, th->cluster_text));
	kg__prop(p, "fontsize", kg__val(&r->b, "13"));
	kg__prop(p, "labeljust", kg__val(&r->b, "l"));
	/* dot leaves too little room for a top label of a cluster whose
	 * first rank it shares with other nodes; at the bottom it fits. */
	kg__prop(p, "labelloc", kg__val(&r->b, "b"));
	kg__prop(p, "margin", kg__val(&r->b, "10"));
	kg__prop(p, "penwidth", kg__val(&r->b, "1"));
}

typedef struct keyed {
	const char *key;
	uint32_t rank; /* the group's place among clusters */
	uint32_t entity;
} keyed;

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : cmp_u32(x->entity, y->entity);
}

static int by_rank(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = cmp_u32(x->rank, y->rank);
	return c ? c : cmp_u32(x->entity, y->entity);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct key_use {
	const char *key;
	size_t n;
} key_use;

static int by_use_then_name(const void *a, const void *b)
{
	const key_use *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : strcmp(x->key, y->key);
}

/* Most attributes a "no entity drawn has ATTR" warning names. */
#define CLUSTER_KEYS_NAMED 8

/* Grouping by an attribute no drawn entity has draws no group at all,
 * which looks like a silent failure (often a misspelt key): warn, naming
 * the attributes the drawn entities do have, most used first, and the
 * nearest as a hint. O(A log A) for A attributes of drawn entities. */
static void warn_no_cluster_attr(kg__render *r)
{
	const kg_graph *g = r->g;
	size_t n = r->sel.entities.n, total = 0, i, j, nk = 0;
	const char **keys, *near;
	key_use *uses = NULL;
	kg__buf list = {0};
	long d;

	for (i = 0; i < n; i++)
		total += kg_entity_attr_count(g, r->sel.entities.v[i]);
	keys = kg__calloc(total ? total : 1, sizeof *keys);
	uses = kg__calloc(total ? total : 1, sizeof *uses);
	if (!keys || !uses)
		goto oom;
	for (i = 0, total = 0; i < n; i++)
		for (j = 0; j < kg_entity_attr_count(g, r->sel.entities.v[i]); j++)
			keys[total++] = kg_entity_attr(g, r->sel.entities.v[i], j).key;
	qsort(keys, total, sizeof *keys, by_name);
	for (i = 0; i < total; i = j) {
		for (j = i; j < total && strcmp(keys[j], keys[i]) == 0; j++)
			;
		uses[nk].key = keys[i];
		uses[nk++].n = j - i;
	}
	qsort(uses, nk, sizeof *uses, by_use_then_name);
	for (i = 0; i < nk && i < CLUSTER_KEYS_NAMED; i++)
		if (kg__buf_printf(&list, "%s%s", i ? ", " : "", uses[i].key))
			goto oom;
	if (nk > CLUSTER_KEYS_NAMED && kg__buf_printf(&list, " and %zu more", nk - CLUSTER_KEYS_NAMED))
		goto oom;
	d = kg__diag_at(r->diags, KG_SEV_WARNING, NULL,
	                "grouping by '%s': no entity drawn has this attribute, so none is grouped; they have%s%s",
	                r->o->cluster_by, nk ? ": " : " none", nk ? list.p : "");
	if (d < 0)
		goto oom;
	if (r->diags && nk) {
		for (i = 0; i < nk; i++) /* the distinct names, most used first */
			keys[i] = uses[i].key;
		near = kg__closest(r->o->cluster_by, strlen(r->o->cluster_by), keys, nk, false);
		if (near && kg__diag_hintf(r->diags, (size_t)d, "did you mean '%s'?", near))
			goto oom;
	}
	goto done;
oom:
	r->b.err = KG_ENOMEM;
done:
	kg__buf_free(&list);
	kg__free(keys);
	kg__free(uses);
}

/* Clusters by entity type (in type order) or by an attribute's value (in
 * order of the first entity with each value; entities without it stay
 * outside). Sorting twice keeps this O(V log V) however many groups. */
void kg__add_entity_clusters(kg__render *r)
{
	const kg_graph *g = r->g;
	bool by_type = strcmp(r->o->cluster_by, "type") == 0;
	size_t n = r->sel.entities.n, m = 0, i, j;
	keyed *items = kg__calloc(n ? n : 1, sizeof *items);
	uint32_t *members = kg__calloc(n ? n : 1, sizeof *members);

	if (!items || !members) {
		r->b.err = KG_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		uint32_t e = r->sel.entities.v[i];
		const char *k = by_type ? kg_type_name(g, kg_entity_type(g, e)) : first_attr(g, e, r->o->cluster_by);
		if (!k)
			continue;
		items[m].key = k;
		items[m].entity = e;
		m++;
	}
	if (!m && !by_type)
		warn_no_cluster_attr(r);
	qsort(items, m, sizeof *items, by_key);
	for (i = 0; i < m; i = j) {
		uint32_t rank = by_type ? kg_entity_type(g, items[i].entity) : items[i].entity;
		for (j = i; j < m && strcmp(items[j].key, items[i].key) == 0; j++)
			items[j].rank = rank;
	}
	qsort(items, m, sizeof *items, by_rank);
	for (i = 0; i < m && !r->b.err; i = j) {
		kg__props p;
		char id[32];
		size_t k = 0;
		for (j = i; j < m && items[j].rank == items[i].rank; j++)
			members[k++] = r->node_of[items[j].entity];
		snprintf(id, sizeof id, "cluster-%zu", r->b.d->clusters.n + 1);
		kg__cluster_props(r, &p, id, by_type ? kg__type_label(r, kg_entity_type(g, items[i].entity))
		                                     : kg__val_text(&r->b, items[i].key, KG__ESC_LABEL, 0));
		kg__draw_cluster(&r->b, &p, members, k);
	}
done:
	kg__free(items);
	kg__free(members);
}
