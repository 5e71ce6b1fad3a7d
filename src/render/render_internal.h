/*
 * render_internal.h - what the files of src/render share while they turn
 * a graph into a drawing (private).
 *
 *   render.c    kg_render and the other entry points: options, the plan
 *               (engine, edge labels), graph attributes, writing files
 *   select.c    what to draw: focus and depth, types, filter, paths
 *   style.c     colours, themes, palettes, the style-key allowlist
 *   escape.c    user text and urls as Graphviz attribute values
 *   elements.c  nodes for entities, edges for relations, clusters, with
 *               their labels, tooltips and links
 *   legend.c    the legend
 *   timeline.c  the timeline: items pinned along a time axis
 *   drawing.c   the drawing model (drawing.h), which dot.c writes as DOT
 *               and gv.c lays out with Graphviz
 *
 * Everything here works on the graph through its public interface; none
 * of it includes Graphviz.
 */
#ifndef KG_RENDER_INTERNAL_H
#define KG_RENDER_INTERNAL_H

#include "kgraph/diag.h"
#include "kgraph/graph.h"
#include "kgraph/query.h"
#include "kgraph/render.h"
#include "render/drawing.h"
#include "core/diag_internal.h"
#include "util/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KG__COUNT(a) (sizeof(a) / sizeof *(a))


/* ---- themes (style.c) ---------------------------------------------- */

typedef struct kg__theme {
	const char *bg, *text, *title;
	const char *cluster_fill, *cluster_line, *cluster_text;
	const char *legend_fill, *legend_line;
	const char *faded_fill, *faded_line, *faded_text;
	const char *highlight;
	double fill_mix; /* how far a type's fill moves from its colour to fill_base */
	const char *fill_base;
	double text_mix; /* how far edge text moves from the edge colour to text_base */
	const char *text_base;
	bool mono;
	const char *neutral; /* relation types past the distinct styles */
} kg__theme;

/* light, dark, print: in the order of kg_render_options.theme's names. */
extern const kg__theme kg__themes[3];

/* ---- what to draw (select.c) --------------------------------------- */

enum {
	KG__SEL_DRAWN = 1,
	KG__SEL_PATH = 2, /* on a highlighted path */
	KG__SEL_FOCUS = 4
};

typedef struct kg__selection {
	uint8_t *entity;              /* KG__SEL_* per entity */
	uint8_t *relation;            /* KG__SEL_* per relation */
	KG_VEC(uint32_t) entities;    /* drawn, ascending */
	KG_VEC(uint32_t) relations;   /* drawn, ascending */
	bool highlight;               /* paths are shown in context */
} kg__selection;

/* Select what o asks to draw (s zeroed before). 0, KG_ENOMEM, or an error
 * of kg_query_neighbors. Free with kg__selection_free either way. */
int kg__select(kg__selection *s, const kg_graph *g, const kg_render_options *o);
void kg__selection_free(kg__selection *s);

/* ---- the render state ---------------------------------------------- */

typedef struct kg__render {
	const kg_graph *g;
	const kg_render_options *o;
	kg_diag_list *diags;
	const kg__theme *th;
	int rankdir;                /* index into rankdir_names */
	int fit;                    /* 0 page, 1 slide, 2 none */
	const char *engine;
	bool xlabels;               /* relation text as xlabel */
	bool edge_text;             /* relation types written on edges */
	bool clusters_drawn;        /* the engine draws clusters */
	kg__selection sel;
	uint32_t *node_of;          /* entity -> node index */
	kg__props *type_style;      /* per entity type: shape, colours, style */
	kg__props *rtype_style;     /* per relation type */
	kg__props faded_node, faded_edge, path_node, path_edge;
	uint8_t *type_used, *rtype_used;
	size_t ntypes_used, nrtypes_used;
	/* The graph's style plan (style.c), the same for every picture of
	 * the graph: per relation type its style number, KG_NONE when it is
	 * drawn neutral and labelled; per entity type the automatic shape and
	 * colour (indexes into style.c's palettes; KG_NONE for a built-in)
	 * and, in print, the fill and outline that set it apart from the
	 * types before it with the same shape (index into print_looks). */
	uint32_t *rtype_slot, *auto_shape, *auto_color, *print_look;
	size_t nneutral_used;       /* neutral relation types drawn */
	/* A single path drawn alone: per relation its step number (1, 2,
	 * ...; 0 off the path) and whether the path walks it against its
	 * direction; the path's ends. NULL otherwise. */
	uint32_t *step_of;
	uint8_t *step_back;
	uint32_t path_from, path_to;
	uint8_t *source_warned;
	/* With diff_old: per entity and relation of the new graph its
	 * KG__DIFF_* mark (0 unchanged), and the old graph's removed items
	 * (diffmark.c). */
	uint8_t *diff_entity, *diff_relation;
	KG_VEC(uint32_t) removed_entities;
	KG_VEC(uint32_t) removed_relations;
	/* A layout is kept (layout or layout_out): neato with pinned
	 * positions; `placed` when the given layout places an entity drawn */
	bool keep_layout, placed;
	kg__builder b;
} kg__render;

/* ---- styles (style.c) ---------------------------------------------- */


/* Plan the styles of every type and relation type of the graph, from the
 * graph alone (not from what is drawn), so that each looks the same in
 * every picture: r->rtype_slot, r->auto_shape, r->auto_color.
 * 0 or KG_ENOMEM. O(T log T + R) for T types and R relations. */
int kg__style_plan(kg__render *r);

/* The style of entity type t into p: kgraph's, then the type's own keys. */
void kg__type_style(kg__render *r, uint32_t t, kg__props *p);

/* The style of relation type t into p (its slot in r->rtype_slot). */
void kg__rtype_style(kg__render *r, uint32_t t, kg__props *p);

/* The theme's faded and highlighted node and edge attributes (r->faded_*,
 * r->path_*). */
void kg__theme_props(kg__render *r);

/* ---- escaping (escape.c) ------------------------------------------- */

typedef enum kg__esc {
	KG__ESC_LABEL,  /* label, xlabel, graph and cluster labels */
	KG__ESC_TOOLTIP /* tooltip, labeltooltip */
} kg__esc;

/* Append user text as a value, escaped so Graphviz draws it as written;
 * with wrap > 0, broken into lines of about wrap characters. */
size_t kg__val_text(kg__builder *b, const char *s, kg__esc kind, unsigned wrap);

/* Whether a url may become a link: http or https only. */
bool kg__url_allowed(const char *u);

/* Append an allowed url as a value for Graphviz's URL attribute. */
size_t kg__val_url(kg__builder *b, const char *url);

/* ---- nodes, edges, clusters (elements.c) --------------------------- */

void kg__add_entity(kg__render *r, uint32_t e);
void kg__add_relation(kg__render *r, uint32_t rel);

/* A cluster's attributes in the theme (also the legend's box). */
void kg__cluster_props(kg__render *r, kg__props *p, const char *id, size_t label);

/* Clusters by entity type or by an attribute (o->cluster_by). */
void kg__add_entity_clusters(kg__render *r);

/* The tooltip of an entity or a relation, everything the graph knows of
 * it, into r->b.tmp. 0 or -1 (out of memory). */
int kg__entity_tooltip(kg__render *r, uint32_t e);
int kg__relation_tooltip(kg__render *r, uint32_t rel);

/* ---- what changed (diffmark.c) ------------------------------------ */

enum { KG__DIFF_ADDED = 1, KG__DIFF_CHANGED = 2, KG__DIFF_REMOVED = 3 };

/* Compare o->diff_old with the graph: r->diff_entity, r->diff_relation,
 * r->removed_*. 0, KG_ENOMEM. */
int kg__diff_plan(kg__render *r);

/* The look of an item marked KG__DIFF_* (node or edge), on top of its
 * style. */
void kg__diff_props(kg__render *r, kg__props *p, uint8_t mark, bool edge);

/* The removed entities and relations of o->diff_old as ghosts. */
void kg__add_ghosts(kg__render *r);

/* ---- kept layouts (layout.c) ----------------------------------------- */

kg_render_layout *kg__layout_new(void);
/* Append a position (the id's idlen bytes are copied); KG_ENOMEM. */
int kg__layout_add(kg_render_layout *l, const char *id, size_t idlen, double x, double y, unsigned line);
/* Sort for kg_render_layout_find, after the last kg__layout_add. */
int kg__layout_seal(kg_render_layout *l);
/* Pin each node of the drawing that l places (a removed entity's ghost
 * where the entity was), and start each other one with a placed
 * neighbour at their mean position. 0 or KG_ENOMEM. O(V + E + V log N). */
int kg__layout_apply(kg__builder *b, const kg_render_layout *l);
/* The layout of the nodes with an id, ghosts left out, from gv.c's
 * positions (2 per node). 0 or KG_ENOMEM. */
int kg__layout_collect(kg_render_layout **out, const kg__rdrawing *d, const double *pos, size_t npos);

/* ---- timelines (timeline.c) ---------------------------------------- */

/* Build the whole drawing's nodes and edges as a timeline (o->timeline),
 * after the graph attributes and styles. 0, KG_ENOTFOUND (nothing
 * selected is dated, with a diagnostic) or KG_ENOMEM. */
int kg__add_timeline(kg__render *r);

/* ---- the shape of the picture (fit.c) ------------------------------ */

/* The width : height bounds of fit f (0 page, 1 slide); false for none. */
bool kg__fit_bounds(int f, double *lo, double *hi);

/* With dot, the rank direction (0 TB or 1 LR) whose estimated picture
 * comes closest to the fit's shape. O(V + E). 0 or KG_ENOMEM. */
int kg__fit_rankdir(kg__render *r, int *rankdir);

/* ---- the legend (legend.c) ----------------------------------------- */

/* A type's label for the legend and clusters, as a value. */
size_t kg__type_label(kg__render *r, uint32_t t);

/* Whether the drawing gets a legend (o->legend, or what is drawn). */
bool kg__legend_wanted(const kg__render *r);

void kg__add_legend(kg__render *r);

#endif
