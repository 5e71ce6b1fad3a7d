/*
 * drawing.h - the drawing model: the description of a drawing that
 * render.c and its helpers build and dot.c (DOT text) and gv.c (Graphviz)
 * consume (private).
 *
 * A drawing is a list of Graphviz objects with attributes, in the order
 * they must be created: the root graph's attributes, default node and
 * edge attributes, nodes (named n1, n2, ...), clusters (a list of member
 * nodes each, named cluster_1, ...), then edges. Both consumers create
 * objects in exactly this order with the same calls the DOT parser would
 * make, so a DOT file written from a drawing lays out like the drawing.
 *
 * Attribute values are final Graphviz attribute values: user text in them
 * is already escaped for Graphviz (escape.c); DOT quoting is the DOT
 * writer's job.
 *
 * This header needs neither the graph nor Graphviz: the back ends include
 * it and nothing else of render.
 */
#ifndef KG_RENDER_DRAWING_H
#define KG_RENDER_DRAWING_H

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

/* A node placed at an offset (points) from the drawing's anchor rather
 * than by the layout: the legend of a kept layout (kg__anchor_nodes). */
typedef struct kg__ranchor {
	uint32_t node;
	double dx, dy;
} kg__ranchor;

/* A legend entry: the run of nodes first..last drawn as one (an entity
 * type's sample; a line's sample and its text). */
typedef struct kg__rentry {
	uint32_t first, last, row; /* row: of the legend's rows (columns) */
} kg__rentry;

typedef struct kg__rdrawing {
	kg__buf text; /* NUL-separated attribute values */
	KG_VEC(kg__rattr) attrs;
	kg__rattrs graph, node_defaults, edge_defaults;
	KG_VEC(kg__rattrs) nodes;
	KG_VEC(kg__rcluster) clusters;
	KG_VEC(uint32_t) members;
	KG_VEC(kg__redge) edges;
	const char *engine; /* the layout engine, also the graph's `layout` */
	/* Bounds on the laid-out picture's width : height (0 = none): gv.c
	 * stretches a layout outside them with Graphviz's `ratio`. */
	double fit_lo, fit_hi;
	/* A layout to keep (kg_render_options.layout) made afresh: after the
	 * first layout by engine, gv.c pins every node where it was and lays
	 * the drawing out again with neato and kg__pin_attrs, so that the
	 * first picture is drawn as the ones that start from it will be. */
	bool pin_after;
	/* With a kept layout: nodes that are not laid out but set beside
	 * the others (the legend), so that a legend that changes moves no
	 * entity, and an entity that moves drags no legend entry along. */
	KG_VEC(kg__ranchor) anchored;
	/* dot's legend entries and the legend cluster's `id`: when the fit
	 * stretched a layout (`ratio`), which spreads the legend's row (its
	 * column with rankdir LR) apart with everything else, gv.c packs the
	 * entries together again. */
	KG_VEC(kg__rentry) legend;
} kg__rdrawing;

/* Place the anchored nodes: pos holds x, y (points) for every node, those
 * of the anchored ones are written; the anchor is right of the rightmost
 * other node and level with the highest, so the legend sits beside the
 * drawing at its top. `anchored` (one byte per node) receives 1 for each
 * anchored node, 0 for the others. O(V). */
void kg__anchor_nodes(const kg__rdrawing *d, double *pos, uint8_t *anchored);

/* The graph attributes of a drawing whose nodes are pinned at positions
 * in points (a kept layout): positions read in points and not translated,
 * so that a layout file's numbers mean the same in every render; no
 * overlap removal and no packing, which would move pinned nodes; edges
 * routed round the nodes. The layout engine is neato. */
#define KG__NPIN_ATTRS 5
extern const char *const kg__pin_attrs[KG__NPIN_ATTRS][2];

void kg__rdrawing_free(kg__rdrawing *d);

/* The value of an attribute. */
static inline const char *kg__rvalue(const kg__rdrawing *d, const kg__rattr *a)
{
	return d->text.p + a->value;
}

/* ---- building a drawing (drawing.c) --------------------------------- */

/* The attributes of one object while it is being put together: later
 * values replace earlier ones for the same key, in place. 40 holds
 * kgraph's own keys plus every allowlisted style key. */
#define KG__MAXPROPS 40
typedef struct kg__props {
	kg__rattr v[KG__MAXPROPS];
	size_t n;
} kg__props;

/* The drawing under construction; `err` is sticky (0 or KG_ENOMEM) so
 * that the many small additions need no checks of their own. tmp is
 * scratch space for text being put together. */
typedef struct kg__builder {
	kg__rdrawing *d;
	kg__buf tmp;
	int err;
} kg__builder;

/* Values are appended to the drawing's text one after another, each
 * ending in a NUL. Each of these appends one and returns its offset (for
 * kg__prop). kg__val copies s as it is: only for kgraph's own text and
 * for values the allowlist checked; user text goes through kg__val_text
 * (escape.c). */
size_t kg__val(kg__builder *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
size_t kg__valf(kg__builder *b, const char *fmt, ...);
/* Close a value begun at offset start (b->d->text.n when it began), for
 * code that appends a value's bytes itself; returns start. */
size_t kg__val_end(kg__builder *b, size_t start);

/* Set key to the value at offset val, replacing an earlier value of key;
 * keys past KG__MAXPROPS are dropped. key must outlive the drawing (a
 * static string or one owned by the graph). */
void kg__prop(kg__props *p, const char *key, size_t val);
/* kg__prop every attribute of from, in order. */
void kg__prop_all(kg__props *p, const kg__props *from);

/* Append p to the drawing's attributes; returns the run. */
kg__rattrs kg__draw_attrs(kg__builder *b, const kg__props *p);
/* Add a node (the next index) with attributes p; returns its index. */
uint32_t kg__draw_node(kg__builder *b, const kg__props *p);
void kg__draw_edge(kg__builder *b, uint32_t tail, uint32_t head, const kg__props *p);
/* Add a cluster of the n nodes members[] with attributes p. */
void kg__draw_cluster(kg__builder *b, const kg__props *p, const uint32_t *members, size_t n);

/* ---- dot.c ---------------------------------------------------------- */

/* Append the drawing as DOT text to out. KG_OK or KG_ENOMEM. O(size). */
int kg__render_dot(kg__buf *out, const kg__rdrawing *d);

/* ---- gv.c ----------------------------------------------------------- */

typedef struct kg__gvjob {
	const char *format;       /* "svg", "png" or "pdf" */
	unsigned dpi;             /* png */
	unsigned timeout_seconds; /* > 0 */
	unsigned memory_limit_mb; /* > 0 */
	bool in_process;
	bool want_positions;
	/* filled in: */
	unsigned dpi_used;
	double seconds;
	/* with want_positions, on success: each node's x and y in points,
	 * by node index (2 per node; kg__malloc'd, the caller frees) */
	double *positions;
	size_t npositions;
} kg__gvjob;

/* Lay the drawing out and render it with Graphviz. *out receives a
 * malloc'd, NUL-terminated buffer on success. Graphviz's warnings become
 * warnings in diags, its errors errors.
 * Returns KG_OK, KG_EIO (Graphviz failed, timed out, crashed) or
 * KG_ENOMEM. */
int kg__render_graphviz(unsigned char **out, size_t *len, const kg__rdrawing *d,
                        kg__gvjob *job, kg_diag_list *diags);

/* Async-signal-safe: kill and reap the Graphviz child being waited for,
 * if any (kg_render_abort_in_progress). */
void kg__gv_signal_cleanup(void);

#endif
