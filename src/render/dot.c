/*
 * dot.c - write a drawing (drawing.h) as DOT text.
 *
 * Pipeline position: render.c builds the drawing; this file only prints
 * it, needing neither Graphviz nor the graph. The output is meant to be
 * read back by Graphviz (`dot -Tsvg`, agmemread) and to lay out exactly
 * like the drawing rendered in-process, so the statements come in the
 * order gv.c creates objects: graph attributes, node and edge
 * defaults, every node with its attributes, clusters listing their
 * members, edges.
 *
 * Quoting. Every value is written as a quoted DOT string. Inside one, the
 * DOT scanner turns \" into " and keeps every other byte, including a
 * pair of backslashes (so a value ending in an escaped backslash is
 * safe). Values contain no raw newlines: escape.c writes line breaks as
 * the escString \n. So quoting needs only " -> \". Keys and names are
 * plain identifiers chosen by kgraph, never user text.
 */
#include "render/drawing.h"
#include "kgraph/common.h"

#include <string.h>

static int put_quoted(kg__buf *b, const char *s)
{
	const char *run = s;

	if (kg__buf_add(b, "\"", 1))
		return -1;
	for (; *s; s++) {
		if (*s != '"')
			continue;
		if (kg__buf_add(b, run, (size_t)(s - run)) || kg__buf_add(b, "\\\"", 2))
			return -1;
		run = s + 1;
	}
	return kg__buf_add(b, run, (size_t)(s - run)) || kg__buf_add(b, "\"", 1) ? -1 : 0;
}

/* Write `key="value"` pairs separated by sep. */
static int put_attrs(kg__buf *b, const kg__rdrawing *d, kg__rattrs run, const char *sep)
{
	size_t i;

	for (i = 0; i < run.count; i++) {
		const kg__rattr *a = &d->attrs.v[run.first + i];
		if ((i && kg__buf_puts(b, sep)) || kg__buf_puts(b, a->key) || kg__buf_add(b, "=", 1) ||
		    put_quoted(b, kg__rvalue(d, a)))
			return -1;
	}
	return 0;
}

/* A statement such as `node [k="v", ...];`, skipped when empty. */
static int put_defaults(kg__buf *b, const kg__rdrawing *d, const char *what, kg__rattrs run)
{
	if (!run.count)
		return 0;
	if (kg__buf_printf(b, "\t%s [", what) || put_attrs(b, d, run, ", ") || kg__buf_puts(b, "];\n"))
		return -1;
	return 0;
}

int kg__render_dot(kg__buf *b, const kg__rdrawing *d)
{
	size_t i, j;

	if (kg__buf_puts(b, "digraph kgraph {\n") ||
	    put_defaults(b, d, "graph", d->graph) ||
	    put_defaults(b, d, "node", d->node_defaults) ||
	    put_defaults(b, d, "edge", d->edge_defaults))
		return KG_ENOMEM;
	for (i = 0; i < d->nodes.n; i++) {
		if (kg__buf_printf(b, "\tn%zu", i + 1))
			return KG_ENOMEM;
		if (d->nodes.v[i].count &&
		    (kg__buf_puts(b, " [") || put_attrs(b, d, d->nodes.v[i], ", ") || kg__buf_add(b, "]", 1)))
			return KG_ENOMEM;
		if (kg__buf_puts(b, ";\n"))
			return KG_ENOMEM;
	}
	for (i = 0; i < d->clusters.n; i++) {
		const kg__rcluster *c = &d->clusters.v[i];
		if (kg__buf_printf(b, "\tsubgraph cluster_%zu {\n", i + 1))
			return KG_ENOMEM;
		if (c->attrs.count &&
		    (kg__buf_puts(b, "\t\tgraph [") || put_attrs(b, d, c->attrs, ", ") || kg__buf_puts(b, "];\n")))
			return KG_ENOMEM;
		for (j = 0; j < c->nmembers; j++)
			if (kg__buf_printf(b, "\t\tn%u;\n", d->members.v[c->first_member + j] + 1))
				return KG_ENOMEM;
		if (kg__buf_puts(b, "\t}\n"))
			return KG_ENOMEM;
	}
	for (i = 0; i < d->edges.n; i++) {
		const kg__redge *e = &d->edges.v[i];
		if (kg__buf_printf(b, "\tn%u -> n%u", e->tail + 1, e->head + 1))
			return KG_ENOMEM;
		if (e->attrs.count &&
		    (kg__buf_puts(b, " [") || put_attrs(b, d, e->attrs, ", ") || kg__buf_add(b, "]", 1)))
			return KG_ENOMEM;
		if (kg__buf_puts(b, ";\n"))
			return KG_ENOMEM;
	}
	return kg__buf_puts(b, "}\n") ? KG_ENOMEM : KG_OK;
}
