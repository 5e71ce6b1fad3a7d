/*
 * render_internal.h - the description of a drawing that render.c builds
 * and render_dot.c (DOT text) and render_gv.c (Graphviz) consume
 * (private).
 *
 * A drawing is a list of Graphviz objects with attributes, in the order
 * they must be created: the root graph's attributes, default node and
 * edge attributes, nodes (named n1, n2, ...), clusters (a list of member
 * nodes each, named cluster_1, ...), then edges. Both consumers create
 * objects in exactly this order with the same calls the DOT parser would
 * make, so a DOT file written from a drawing lays out like the drawing.
 *
 * Attribute values are final Graphviz attribute values: user text in them
 * is already escaped for Graphviz (render.c's escaping helpers); DOT
 * quoting is the DOT writer's job.
 */
#ifndef KG_RENDER_INTERNAL_H
#define KG_RENDER_INTERNAL_H

#include "kgraph/diag.h"
#include "util/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One attribute: a key (a static string or one borrowed from the graph)
 * and its value, an offset into the drawing's text. */
typedef struct kg__rattr {
	const char *key;
	size_t value;
} kg__rattr;

/* A run of attributes in kg__rdrawing.attrs. */
typedef struct kg__rattrs {
	size_t first, count;
} kg__rattrs;

typedef struct kg__redge {
	uint32_t tail, head; /* node indexes (0-based; names are n<index+1>) */
	kg__rattrs attrs;
} kg__redge;

typedef struct kg__rcluster {
	kg__rattrs attrs;
	size_t first_member, nmembers; /* in kg__rdrawing.members */
} kg__rcluster;

typedef struct kg__rdrawing {
	kg__buf text; /* NUL-separated attribute values */
	KG_VEC(kg__rattr) attrs;
	kg__rattrs graph, node_defaults, edge_defaults;
	KG_VEC(kg__rattrs) nodes;
	KG_VEC(kg__rcluster) clusters;
	KG_VEC(uint32_t) members;
	KG_VEC(kg__redge) edges;
	const char *engine; /* the layout engine, also the graph's `layout` */
} kg__rdrawing;

void kg__rdrawing_free(kg__rdrawing *d);

/* The value of an attribute. */
static inline const char *kg__rvalue(const kg__rdrawing *d, const kg__rattr *a)
{
	return d->text.p + a->value;
}

/* ---- render_dot.c -------------------------------------------------- */

/* Append the drawing as DOT text to out. KG_OK or KG_ENOMEM. O(size). */
int kg__render_dot(kg__buf *out, const kg__rdrawing *d);

/* ---- render_gv.c --------------------------------------------------- */

typedef struct kg__gvjob {
	const char *format;       /* "svg", "png" or "pdf" */
	unsigned dpi;             /* png */
	unsigned timeout_seconds; /* > 0 */
	unsigned memory_limit_mb; /* > 0 */
	bool in_process;
	/* filled in: */
	unsigned dpi_used;
	double seconds;
} kg__gvjob;

/* Lay the drawing out and render it with Graphviz. *out receives a
 * malloc'd, NUL-terminated buffer on success. Graphviz's warnings become
 * warnings in diags, its errors errors.
 * Returns KG_OK, KG_EIO (Graphviz failed, timed out, crashed) or
 * KG_ENOMEM. */
int kg__render_graphviz(unsigned char **out, size_t *len, const kg__rdrawing *d,
                        kg__gvjob *job, kg_diag_list *diags);

#endif
