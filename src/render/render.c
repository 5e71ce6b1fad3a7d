/*
 * render.c - kg_render and the other public entry points of rendering:
 * check the options, choose the engine, build the drawing, and hand it to
 * a back end; no Graphviz here.
 *
 * Pipeline position: graph (+ query results) -> render. Uses only the
 * public graph and query interfaces. kg_render
 *   1. checks the options, and the style keys of types and relation
 *      types against the allowlist (style.c);
 *   2. selects the entities and relations to draw (select.c);
 *   3. plans: the engine, where relation text goes;
 *   4. builds a drawing (drawing.h): graph attributes here, then styles
 *      (style.c), nodes, edges and clusters (elements.c), the legend
 *      (legend.c);
 *   5. hands the drawing to dot.c (DOT text) or gv.c (Graphviz layout and
 *      rendering in a child process).
 *
 * Invariants. Objects are emitted in graph index order, so the same input
 * gives the same bytes. User text reaches a drawing only through
 * escape.c. kg_render_write_file replaces a file only when it is written
 * whole (util/atomic_write.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "render/render_internal.h"
#include "core/style_keys.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "core/diag_internal.h"
#include "util/atomic_write.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- diagnostics and names ----------------------------------------- */

/* ---- formats and option names --------------------------------------- */

static const char *const format_names[] = {"dot", "svg", "png", "pdf"};

const char *kg_render_format_name(kg_render_format f)
{
	return (unsigned)f < 4 ? format_names[f] : "?";
}

int kg_render_format_from_name(kg_render_format *out, const char *name)
{
	const char *ext;
	size_t i;

	if (!out || !name)
		return KG_EARG;
	ext = strrchr(name, '.');
	ext = ext ? ext + 1 : name;
	if (strcasecmp(ext, "gv") == 0) {
		*out = KG_RENDER_DOT;
		return KG_OK;
	}
	for (i = 0; i < 4; i++)
		if (strcasecmp(ext, format_names[i]) == 0) {
			*out = (kg_render_format)i;
			return KG_OK;
		}
	return KG_EARG;
}

static const char *const engine_names[] = {"auto", "dot", "neato", "fdp", "sfdp", "circo", "twopi"};
static const char *const rankdir_names[] = {"TB", "LR", "BT", "RL"};
static const char *const theme_names[] = {"light", "dark", "print"};
static const char *const fit_names[] = {"page", "slide", "none"};

void kg_render_free(unsigned char *data)
{
	kg__free(data);
}

#define FONT "Helvetica"

/* A date as a reader writes it: "11 September 2024", "September 2024"
 * or "2024", from kg_date_format's 2024-09-11, 2024-09 or 2024. */
static int long_date(kg__buf *t, kg_date d)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
	                                     "August", "September", "October", "November", "December"};
	char s[11];
	size_t n = strlen(kg_date_format(s, d));
	int m = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 0;

	if (m < 1 || m > 12)
		return kg__buf_printf(t, "%.4s", s);
	if (n >= 10)
		return kg__buf_printf(t, "%d %s %.4s", (s[8] - '0') * 10 + (s[9] - '0'), months[m - 1], s);
	return kg__buf_printf(t, "%s %.4s", months[m - 1], s);
}

/* The graph's label: the title above the drawing; with a caption or a
 * credit, a figure caption under it instead: title, caption, and the
 * sources cited by the relations drawn ("Sources: POLITICO, 11 September
 * 2024"), each source once, in source order. */
static size_t figure_label(kg__render *r, bool *below)
{
	const kg_graph *g = r->g;
	const char *title = r->o->title ? kg_graph_title(g) : NULL;
	kg__buf *t = &r->b.tmp;
	size_t i, ns = kg_graph_source_count(g), nsources = 0, listed = 0;
	uint8_t *cited = NULL;
	int err = 0;

	*below = r->o->caption || r->o->credit;
	if (!*below)
		return title ? kg__val_text(&r->b, title, KG__ESC_LABEL, 0) : kg__val(&r->b, "");
	t->n = 0;
	if (title)
		err |= kg__buf_puts(t, title);
	if (r->o->caption)
		err |= kg__buf_printf(t, "%s%s", t->n ? "\n" : "", r->o->caption);
	if (r->o->credit && ns) {
		cited = kg__calloc(ns, 1);
		if (!cited) {
			r->b.err = KG_ENOMEM;
			return 0;
		}
		for (i = 0; i < r->sel.relations.n; i++) {
			uint32_t s = kg_relation_source(g, r->sel.relations.v[i]);
			if (s != KG_NONE && !cited[s]) {
				cited[s] = 1;
				nsources++;
			}
		}
		if (nsources)
			err |= kg__buf_printf(t, "%s%s: ", t->n ? "\n" : "", nsources == 1 ? "Source" : "Sources");
		for (i = 0; i < ns; i++) {
			const char *pub = kg_source_publisher(g, (uint32_t)i), *st = kg_source_title(g, (uint32_t)i);
			if (!cited[i])
				continue;
			err |= kg__buf_printf(t, "%s%s", listed++ ? "; " : "", pub ? pub : st ? st : kg_source_id(g, (uint32_t)i));
			if (kg_source_date(g, (uint32_t)i))
				err |= kg__buf_puts(t, ", ") || long_date(t, kg_source_date(g, (uint32_t)i));
		}
		kg__free(cited);
	}
	if (err) {
		r->b.err = KG_ENOMEM;
		return 0;
	}
	return kg__val_text(&r->b, t->p ? t->p : "", KG__ESC_LABEL, 0);
}

/* ---- the whole drawing ------------------------------------------------- */

static void graph_attrs(kg__render *r, unsigned dpi)
{
	const kg__theme *th = r->th;
	bool dot = strcmp(r->engine, "dot") == 0, below;
	kg__props p;

	p.n = 0;
	kg__prop(&p, "layout", kg__val(&r->b, r->engine));
	kg__prop(&p, "id", kg__val(&r->b, "kgraph"));
	kg__prop(&p, "bgcolor", kg__val(&r->b, th->bg));
	kg__prop(&p, "fontname", kg__val(&r->b, FONT));
	kg__prop(&p, "fontsize", kg__val(&r->b, "20"));
	kg__prop(&p, "fontcolor", kg__val(&r->b, th->title));
	kg__prop(&p, "label", figure_label(r, &below));
	kg__prop(&p, "labelloc", kg__val(&r->b, below ? "b" : "t"));
	if (below)
		kg__prop(&p, "fontsize", kg__val(&r->b, "14"));
	kg__prop(&p, "pad", kg__val(&r->b, "0.3"));
	kg__prop(&p, "outputorder", kg__val(&r->b, "edgesfirst"));
	if (dot) {
		kg__prop(&p, "rankdir", kg__val(&r->b, rankdir_names[r->rankdir]));
		kg__prop(&p, "nodesep", kg__val(&r->b, "0.3"));
		kg__prop(&p, "ranksep", kg__val(&r->b, "0.5"));
		/* The newer ranking handles clusters (the legend is one): with
		 * the old one, clustering the example graph by type made dot
		 * 2.43 lose edges and abort (double free in spline routing). */
		kg__prop(&p, "newrank", kg__val(&r->b, "true"));
		if (r->xlabels)
			kg__prop(&p, "forcelabels", kg__val(&r->b, "true"));
		if (r->sel.entities.n > KG_RENDER_AUTO_DOT_MAX_NODES || r->sel.relations.n > KG_RENDER_AUTO_DOT_MAX_EDGES) {
			/* Bounded effort in crossing minimisation and network
			 * simplex: at 300 entities, 84 s became 2.5 s. */
			kg__prop(&p, "mclimit", kg__val(&r->b, "1"));
			kg__prop(&p, "nslimit", kg__val(&r->b, "1"));
			kg__prop(&p, "nslimit1", kg__val(&r->b, "1"));
		}
	} else if (r->keep_layout && r->placed) {
		for (size_t i = 0; i < KG__NPIN_ATTRS; i++)
			kg__prop(&p, kg__pin_attrs[i][0], kg__val(&r->b, kg__pin_attrs[i][1]));
	} else if (r->o->timeline) {
		/* Every node is pinned at a position in points (timeline.c):
		 * nothing may move them, and edges are straight lines. */
		kg__prop(&p, "inputscale", kg__val(&r->b, "72"));
		kg__prop(&p, "overlap", kg__val(&r->b, "true"));
		kg__prop(&p, "splines", kg__val(&r->b, "line"));
	} else {
		kg__prop(&p, "overlap", kg__val(&r->b, "prism"));
		kg__prop(&p, "overlap_scaling", kg__val(&r->b, "-4"));
		kg__prop(&p, "sep", kg__val(&r->b, "+8"));
		kg__prop(&p, "pack", kg__val(&r->b, "true"));
	}
	if (dpi)
		kg__prop(&p, "dpi", kg__valf(&r->b, "%u", dpi));
	r->b.d->graph = kg__draw_attrs(&r->b, &p);

	p.n = 0;
	kg__prop(&p, "fontname", kg__val(&r->b, FONT));
	kg__prop(&p, "fontsize", kg__val(&r->b, "12"));
	kg__prop(&p, "fontcolor", kg__val(&r->b, th->text));
	kg__prop(&p, "style", kg__val(&r->b, "filled"));
	kg__prop(&p, "penwidth", kg__val(&r->b, "1.4"));
	kg__prop(&p, "margin", kg__val(&r->b, "0.12,0.05"));
	r->b.d->node_defaults = kg__draw_attrs(&r->b, &p);

	p.n = 0;
	kg__prop(&p, "fontname", kg__val(&r->b, FONT));
	kg__prop(&p, "fontsize", kg__val(&r->b, "10"));
	kg__prop(&p, "penwidth", kg__val(&r->b, "1.2"));
	kg__prop(&p, "arrowsize", kg__val(&r->b, "0.7"));
	r->b.d->edge_defaults = kg__draw_attrs(&r->b, &p);
}

/* The caller's options into *o (which holds the defaults), or KG_EARG for
 * a version this library does not know. A caller built against an older
 * version has a struct that ends before the fields added since (version 2
 * the item lists, 3 fit, credit and caption, 4 timeline, 5 diff_old, 6 the
 * layouts): only
 * what it has is copied, and the defaults stay after. */
static int read_options(kg_render_options *o, const kg_render_options *opts)
{
	if (!opts)
		return KG_OK;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_RENDER_OPTIONS_VERSION))
		return KG_EARG;
	memcpy(o, opts, opts->version == 1   ? offsetof(kg_render_options, entities)
	                : opts->version == 2 ? offsetof(kg_render_options, fit)
	                : opts->version == 3 ? offsetof(kg_render_options, timeline)
	                : opts->version == 4 ? offsetof(kg_render_options, diff_old)
	                : opts->version == 5 ? offsetof(kg_render_options, layout)
	                                     : sizeof *o);
	return KG_OK;
}

/* Whether every one of the n indexes is below bound; else an error naming
 * the first that is not ("WHAT N is out of range"). */
static bool in_range(kg_diag_list *diags, const uint32_t *v, size_t n, size_t bound, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] >= bound) {
			kg__diag_at(diags, KG_SEV_ERROR, NULL, "%s %u is out of range", what, v[i]);
			return false;
		}
	return true;
}

static int check_options(const kg_graph *g, const kg_render_options *o, kg_diag_list *diags,
                         int *engine, int *rankdir, int *th, int *fit)
{
	size_t i, ne = kg_graph_entity_count(g), nt = kg_graph_type_count(g), nr = kg_graph_relation_count(g);

	if ((unsigned)o->format > KG_RENDER_PDF) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "unknown render format %d", (int)o->format);
		return KG_EARG;
	}
	*engine = o->engine ? kg__name_index(o->engine, engine_names, KG__COUNT(engine_names)) : 0;
	if (*engine < 0)
		return kg__diag_unknown(diags, NULL, KG_EARG, "layout engine", o->engine, engine_names,
		                          KG__COUNT(engine_names), NULL);
	*rankdir = o->rankdir ? kg__name_index(o->rankdir, rankdir_names, KG__COUNT(rankdir_names)) : 0;
	if (*rankdir < 0)
		return kg__diag_unknown(diags, NULL, KG_EARG, "rank direction", o->rankdir, rankdir_names,
		                          KG__COUNT(rankdir_names), NULL);
	*th = o->theme ? kg__name_index(o->theme, theme_names, KG__COUNT(theme_names)) : 0;
	if (*th < 0)
		return kg__diag_unknown(diags, NULL, KG_EARG, "theme", o->theme, theme_names, KG__COUNT(theme_names), NULL);
	*fit = o->fit ? kg__name_index(o->fit, fit_names, KG__COUNT(fit_names)) : 0;
	if (*fit < 0)
		return kg__diag_unknown(diags, NULL, KG_EARG, "fit", o->fit, fit_names, KG__COUNT(fit_names), NULL);
	if (o->dpi > KG_RENDER_MAX_DPI) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "dpi %u is more than %d", o->dpi, KG_RENDER_MAX_DPI);
		return KG_EARG;
	}
	if ((unsigned)o->label > KG_RENDER_LABEL_BOTH || (unsigned)o->legend > KG_RENDER_LEGEND_OFF ||
	    (unsigned)o->direction > KG_DIRECTION_IN) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "a label, legend or direction option is out of range");
		return KG_EARG;
	}
	if (o->depth > KG_MAX_NEIGHBOR_DEPTH) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "depth %u is more than %d", o->depth, KG_MAX_NEIGHBOR_DEPTH);
		return KG_EARG;
	}
	if ((o->nfocus && !o->focus) || (o->ntypes && !o->types)) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "a focus or type list is NULL but its count is not 0");
		return KG_EARG;
	}
	if (!in_range(diags, o->focus, o->nfocus, ne, "focus entity") ||
	    !in_range(diags, o->types, o->ntypes, nt, "entity type"))
		return KG_EARG;
	if (o->diff_old && o->timeline) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "a timeline cannot show a diff");
		return KG_EARG;
	}
	if ((o->layout || o->layout_out) && o->timeline) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "a timeline's positions are set by time; it cannot keep a layout");
		return KG_EARG;
	}
	if (o->layout_out && o->format == KG_RENDER_DOT) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "DOT text is not laid out: it has no positions to keep");
		return KG_EARG;
	}
	if (o->cluster_by && !o->cluster_by[0]) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "cluster_by is empty");
		return KG_EARG;
	}
	if ((o->nentities && !o->entities) || (o->nrelations && !o->relations)) {
		kg__diag_at(diags, KG_SEV_ERROR, NULL, "an entity or relation list is NULL but its count is not 0");
		return KG_EARG;
	}
	if (!in_range(diags, o->entities, o->nentities, ne, "entity") ||
	    !in_range(diags, o->relations, o->nrelations, nr, "relation"))
		return KG_EARG;
	for (i = 0; o->paths && i < kg_paths_count(o->paths); i++) {
		kg_path p = kg_paths_get(o->paths, i);
		size_t j;
		if (p.from >= ne || p.to >= ne) {
			kg__diag_at(diags, KG_SEV_ERROR, NULL, "a path does not belong to this graph");
			return KG_EARG;
		}
		for (j = 0; j < p.nsteps; j++)
			if (p.steps[j].relation >= nr) {
				kg__diag_at(diags, KG_SEV_ERROR, NULL, "a path does not belong to this graph");
				return KG_EARG;
			}
	}
	return KG_OK;
}

static void render_free(kg__render *r)
{
	kg__selection_free(&r->sel);
	kg__free(r->node_of);
	kg__free(r->type_style);
	kg__free(r->rtype_style);
	kg__free(r->type_used);
	kg__free(r->rtype_used);
	kg__free(r->rtype_slot);
	kg__free(r->step_of);
	kg__free(r->step_back);
	kg__free(r->auto_shape);
	kg__free(r->auto_color);
	kg__free(r->print_look);
	kg__free(r->source_warned);
	kg__free(r->diff_entity);
	kg__free(r->diff_relation);
	KG_VEC_FREE(r->removed_entities);
	KG_VEC_FREE(r->removed_relations);
	kg__buf_free(&r->b.tmp);
}

/* Count what is drawn, choose the engine and the edge label placement. */
static int plan(kg__render *r, int engine)
{
	const kg_graph *g = r->g;
	size_t i;

	for (i = 0; i < r->sel.entities.n; i++) {
		uint32_t t = kg_entity_type(g, r->sel.entities.v[i]);
		r->ntypes_used += !r->type_used[t];
		r->type_used[t] = 1;
	}
	for (i = 0; i < r->sel.relations.n; i++) {
		uint32_t t = kg_relation_type(g, r->sel.relations.v[i]);
		r->nrtypes_used += !r->rtype_used[t];
		r->rtype_used[t] = 1;
	}
	r->keep_layout = !r->o->timeline && (r->o->layout || r->o->layout_out);
	for (i = 0; r->keep_layout && r->o->layout && i < r->sel.entities.n && !r->placed; i++) {
		const char *id = kg_entity_id(g, r->sel.entities.v[i]);
		r->b.tmp.n = 0;
		if (kg__buf_printf(&r->b.tmp, "e-%s", id))
			return KG_ENOMEM;
		r->placed = kg_render_layout_find(r->o->layout, r->b.tmp.p, NULL, NULL);
	}
	if (r->o->timeline || r->placed)
		r->engine = "neato"; /* with every position pinned (or placed) */
	else if (engine == 0)
		r->engine = r->sel.entities.n <= KG_RENDER_AUTO_DOT_MAX_NODES &&
		                    r->sel.relations.n <= KG_RENDER_AUTO_DOT_MAX_EDGES
		                ? "dot" : "sfdp";
	else
		r->engine = engine_names[engine];
	r->xlabels = strcmp(r->engine, "dot") == 0 && r->sel.relations.n > KG_RENDER_DOT_MAX_EDGE_LABELS;
	r->edge_text = r->o->edge_labels;
	/* Placing thousands of edge labels is most of Graphviz's time on a
	 * large drawing (68% for 3,000 entities), and they are unreadable at
	 * that size anyway: with the automatic engine, colours and the legend
	 * tell relation types apart instead. */
	if (engine == 0 && r->edge_text && r->sel.relations.n > KG_RENDER_AUTO_MAX_EDGE_LABELS) {
		r->edge_text = false;
		if (kg__diag_at(r->diags, KG_SEV_NOTE, NULL,
		                    "%zu relations: their types are told by colour and the legend, not written on the "
		                    "edges (more than %d; choose --engine to keep them)",
		                    r->sel.relations.n, KG_RENDER_AUTO_MAX_EDGE_LABELS) < 0)
			return KG_ENOMEM;
	}
	/* A kept layout is drawn by neato in the end, which draws no
	 * clusters: the first layout must not count on them either. */
	r->clusters_drawn = !r->keep_layout && (strcmp(r->engine, "dot") == 0 || strcmp(r->engine, "fdp") == 0);
	/* A single path alone reads as a numbered chain from left to right;
	 * anything else is shaped for a page: dot's direction, unless the
	 * caller chose one. */
	if (r->o->timeline)
		return KG_OK;
	if (r->o->paths && r->o->path_only && kg_paths_count(r->o->paths) == 1) {
		kg_path p = kg_paths_get(r->o->paths, 0);
		uint32_t at = p.from;
		r->step_of = kg__calloc(kg_graph_relation_count(g) + 1, sizeof *r->step_of);
		r->step_back = kg__calloc(kg_graph_relation_count(g) + 1, 1);
		if (!r->step_of || !r->step_back)
			return KG_ENOMEM;
		for (i = 0; i < p.nsteps; i++) {
			uint32_t rel = p.steps[i].relation;
			r->step_of[rel] = (uint32_t)i + 1;
			r->step_back[rel] = kg_relation_from(g, rel) != at;
			at = kg_path_entity_after(g, &p, i);
		}
		r->path_from = p.from;
		r->path_to = p.to;
		if (!r->o->rankdir)
			r->rankdir = 1;
	} else if (strcmp(r->engine, "dot") == 0 && !r->o->rankdir && kg__fit_rankdir(r, &r->rankdir))
		return KG_ENOMEM;
	if (r->o->cluster_by && !r->clusters_drawn &&
	    kg__diag_at(r->diags, KG_SEV_WARNING, NULL,
	                    "the layout engine '%s' does not draw clusters; entities are not grouped", r->engine) < 0)
		return KG_ENOMEM;
	return KG_OK;
}

static int build_drawing(kg__render *r, kg__rdrawing *d, unsigned dpi)
{
	const kg_graph *g = r->g;
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g), i;

	r->b.d = d;
	d->engine = r->engine;
	d->pin_after = r->keep_layout && !r->placed;
	if (r->o->timeline || r->placed || !kg__fit_bounds(r->fit, &d->fit_lo, &d->fit_hi))
		d->fit_lo = d->fit_hi = 0;
	r->type_style = kg__calloc(nt ? nt : 1, sizeof *r->type_style);
	r->rtype_style = kg__calloc(nrt ? nrt : 1, sizeof *r->rtype_style);
	if (!r->type_style || !r->rtype_style || kg__style_plan(r))
		return KG_ENOMEM;
	graph_attrs(r, dpi);
	kg__theme_props(r);
	for (i = 0; i < nt; i++)
		if (r->type_used[i])
			kg__type_style(r, (uint32_t)i, &r->type_style[i]);
	for (i = 0; i < nrt; i++)
		if (r->rtype_used[i]) {
			kg__rtype_style(r, (uint32_t)i, &r->rtype_style[i]);
			r->nneutral_used += r->rtype_slot[i] == KG_NONE;
		}
	if (r->o->timeline)
		return r->b.err ? r->b.err : kg__add_timeline(r);
	for (i = 0; i < r->sel.entities.n && !r->b.err; i++)
		kg__add_entity(r, r->sel.entities.v[i]);
	if (r->o->cluster_by && r->clusters_drawn && !r->b.err)
		kg__add_entity_clusters(r);
	for (i = 0; i < r->sel.relations.n && !r->b.err; i++)
		kg__add_relation(r, r->sel.relations.v[i]);
	if (r->o->diff_old && !r->b.err)
		kg__add_ghosts(r);
	if (!r->b.err && kg__legend_wanted(r))
		kg__add_legend(r);
	if (!r->b.err && r->placed)
		return kg__layout_apply(&r->b, r->o->layout);
	return r->b.err;
}

int kg_render(unsigned char **data, size_t *len, const kg_graph *g, const kg_render_options *opts,
              kg_diag_list *diags)
{
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg__rdrawing d;
	kg__render r;
	int engine = 0, rankdir = 0, th = 0, fit = 0, rc;
	double secs = 0;
	unsigned dpi;

	if (!data || !len || !g)
		return KG_EARG;
	*data = NULL;
	*len = 0;
	if (read_options(&o, opts))
		return KG_EARG;
	if (o.layout_out)
		*o.layout_out = NULL;
	dpi = o.format == KG_RENDER_PNG ? (o.dpi ? o.dpi : 96) : 0;
	memset(&d, 0, sizeof d);
	memset(&r, 0, sizeof r);
	rc = check_options(g, &o, diags, &engine, &rankdir, &th, &fit);
	if (rc)
		return rc;
	rc = kg__style_check_graph(g, diags);
	if (rc)
		return rc;
	r.g = g;
	r.o = &o;
	r.diags = diags;
	r.th = &kg__themes[th];
	r.rankdir = rankdir;
	r.fit = fit;
	r.node_of = kg__malloc((kg_graph_entity_count(g) ? kg_graph_entity_count(g) : 1) * sizeof *r.node_of);
	r.type_used = kg__calloc(kg_graph_type_count(g) + 1, 1);
	r.rtype_used = kg__calloc(kg_graph_relation_type_count(g) + 1, 1);
	r.source_warned = kg__calloc(kg_graph_source_count(g) + 1, 1);
	if (!r.node_of || !r.type_used || !r.rtype_used || !r.source_warned) {
		rc = KG_ENOMEM;
		goto done;
	}
	rc = kg__select(&r.sel, g, &o);
	if (rc)
		goto done;
	if (!r.sel.entities.n) {
		rc = KG_ENOTFOUND;
		if (kg__diag_at(diags, KG_SEV_ERROR, NULL, "nothing to draw: no entity is selected") < 0)
			rc = KG_ENOMEM;
		goto done;
	}
	if (o.format != KG_RENDER_DOT &&
	    (r.sel.entities.n > KG_RENDER_MAX_NODES || r.sel.relations.n > KG_RENDER_MAX_EDGES)) {
		long at = kg__diag_at(diags, KG_SEV_ERROR, NULL,
		                          "too much to lay out: %zu entities and %zu relations (at most %d and %d)",
		                          r.sel.entities.n, r.sel.relations.n, KG_RENDER_MAX_NODES, KG_RENDER_MAX_EDGES);
		rc = at < 0 ? KG_ENOMEM : KG_EIO;
		if (at >= 0 && diags)
			kg__diag_hintf(diags, (size_t)at, "draw part of the graph (a focus and depth, types, relation types), or write DOT");
		goto done;
	}
	rc = plan(&r, engine);
	if (rc == KG_OK && o.diff_old)
		rc = kg__diff_plan(&r);
	if (rc)
		goto done;
	rc = build_drawing(&r, &d, dpi);
	if (rc)
		goto done;
	if (o.format == KG_RENDER_DOT) {
		kg__buf out = {0};
		rc = kg__render_dot(&out, &d);
		if (rc == KG_OK && !out.p && kg__buf_add(&out, "", 0))
			rc = KG_ENOMEM;
		if (rc) {
			kg__buf_free(&out);
			goto done;
		}
		*data = (unsigned char *)out.p;
		*len = out.n;
	} else {
		kg__gvjob job;
		memset(&job, 0, sizeof job);
		job.format = kg_render_format_name(o.format);
		job.dpi = dpi;
		job.timeout_seconds = o.timeout_seconds ? o.timeout_seconds : KG_RENDER_DEFAULT_TIMEOUT;
		job.memory_limit_mb = o.memory_limit_mb ? o.memory_limit_mb : KG_RENDER_DEFAULT_MEMORY_MB;
		job.in_process = o.in_process;
		job.want_positions = o.layout_out != NULL;
		rc = kg__render_graphviz(data, len, &d, &job, diags);
		if (rc == KG_OK && o.layout_out) {
			rc = kg__layout_collect(o.layout_out, &d, job.positions, job.npositions);
			if (rc) {
				kg_render_free(*data);
				*data = NULL;
				*len = 0;
			}
		}
		kg__free(job.positions);
		if (rc)
			goto done;
		dpi = job.dpi_used;
		secs = job.seconds;
	}
	if (o.stats) {
		kg_render_stats *s = o.stats;
		memset(s, 0, sizeof *s);
		/* a kept layout is drawn by neato whatever made the first one */
		s->engine = r.keep_layout && o.format != KG_RENDER_DOT ? "neato" : r.engine;
		s->entities = r.sel.entities.n;
		s->relations = r.sel.relations.n;
		s->entity_types = r.ntypes_used;
		s->relation_types = r.nrtypes_used;
		s->legend = kg__legend_wanted(&r);
		s->xlabels = r.xlabels;
		s->dpi = dpi;
		s->seconds = secs;
	}
done:
	render_free(&r);
	kg__rdrawing_free(&d);
	return rc;
}

/* ---- selecting without drawing ---------------------------------------- */

/* The same option checks and the same selection as kg_render, so that an
 * export holds exactly what a drawing with these options would show. */
int kg_render_select(kg_render_selection *out, const kg_graph *g, const kg_render_options *opts,
                     kg_diag_list *diags)
{
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg__selection s;
	int engine, rankdir, th, fit, rc;

	if (!out || !g)
		return KG_EARG;
	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	rc = read_options(&o, opts);
	if (rc == KG_OK)
		rc = check_options(g, &o, diags, &engine, &rankdir, &th, &fit);
	if (rc == KG_OK)
		rc = kg__select(&s, g, &o);
	if (rc == KG_OK) {
		/* hand the vectors over; the masks are not needed any more */
		out->entities = s.entities.v;
		out->nentities = s.entities.n;
		out->relations = s.relations.v;
		out->nrelations = s.relations.n;
		s.entities.v = NULL;
		s.relations.v = NULL;
	}
	kg__selection_free(&s);
	return rc;
}

void kg_render_selection_free(kg_render_selection *sel)
{
	if (!sel)
		return;
	kg__free(sel->entities);
	kg__free(sel->relations);
	memset(sel, 0, sizeof *sel);
}

/* ---- writing files (util/atomic_write.h) ----------------------------- */

void kg_render_abort_in_progress(void)
{
	int saved = errno; /* a handler that returns must leave errno as it was */

	kg__gv_signal_cleanup();
	kg__atomic_signal_cleanup();
	errno = saved;
}

int kg_render_write_file(const char *path, const unsigned char *data, size_t len, kg_diag_list *diags)
{
	kg__atomic_file f;
	int err;

	if (!path || (!data && len))
		return KG_EARG;
	err = kg__atomic_open(&f, path);
	if (!err) {
		err = kg__atomic_write(&f, data, len);
		if (err)
			kg__atomic_abort(&f);
		else
			err = kg__atomic_commit(&f);
	}
	if (err < 0)
		return KG_ENOMEM;
	if (err)
		return kg__diag_at(diags, KG_SEV_ERROR, NULL, "cannot write '%s': %s", path, strerror(err)) < 0
		               ? KG_ENOMEM : KG_EIO;
	return KG_OK;
}
