/*
 * fit.c - the shape of the picture: choose dot's rank direction so that
 * the drawing comes out shaped like a page (or a slide), before anything
 * is laid out.
 *
 * Pipeline position: render, between selecting and building. Graphviz
 * cannot be asked for "the direction that gives a page shape", and laying
 * out twice to compare would double the time of the slowest step, so the
 * picture's size is estimated from what dot does with it: entities on
 * ranks by longest path (back edges of cycles ignored), each rank as wide
 * as its entities side by side, ranks one entity high plus the rank gap
 * (twice as many ranks when relations carry labels, which dot lays out
 * as nodes of their own), and the legend beside the first rank. The
 * estimate only has to tell TB from LR; gv.c then measures the real
 * layout and stretches it into the bounds (Graphviz's ratio) if needed.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"

#include <math.h>
#include <string.h>

/* Points: roughly Helvetica 12 pt per character, node margins, dot's
 * nodesep and ranksep as render.c sets them. */
#define CHAR_W 6.5
#define NODE_PAD 22.0
#define LINE_H 15.0
#define NODE_PAD_H 14.0
#define NODESEP 22.0
#define RANKSEP 36.0
#define LEGEND_ENTRY_W 95.0
#define LEGEND_ROW_H 45.0

bool kg__fit_bounds(int f, double *lo, double *hi)
{
	if (f == 0) {
		*lo = 1 / 1.5;
		*hi = 1.5;
	} else if (f == 1) {
		*lo = 1.5;
		*hi = 2.1;
	} else
		return false;
	return true;
}

/* A node's estimated box: its label broken as kg__val_text breaks it. */
static void node_box(const kg__render *r, uint32_t e, double *w, double *h)
{
	const char *s = kg_entity_name(r->g, e);
	size_t wrap = r->o->wrap ? r->o->wrap : SIZE_MAX, len = strlen(s), lines = 1, longest;

	longest = len < wrap ? len : wrap;
	if (len > wrap)
		lines = (len + wrap - 1) / wrap;
	*w = longest * CHAR_W + NODE_PAD;
	*h = lines * LINE_H + NODE_PAD_H;
}

int kg__fit_rankdir(kg__render *r, int *rankdir)
{
	const kg_graph *g = r->g;
	size_t n = r->sel.entities.n, ne = kg_graph_entity_count(g), i, k, nranks = 0;
	uint32_t *rank = kg__calloc(ne ? ne : 1, sizeof *rank);
	double *rw = kg__calloc(n + 1, sizeof *rw), *rh = kg__calloc(n + 1, sizeof *rh);
	double lo, hi, target, tb_w = 0, tb_h = 0, lr_w = 0, lr_h = 0, legend_w = 0, legend_h = 0;
	bool changed = true;

	if (!rank || !rw || !rh) {
		kg__free(rank);
		kg__free(rw);
		kg__free(rh);
		return KG_ENOMEM;
	}
	/* Longest-path ranks by relaxation, at most n rounds: a relation
	 * that would push its head past n ranks closes a cycle and is
	 * ignored, as dot reverses such an edge. */
	for (k = 0; changed && k < n; k++) {
		changed = false;
		for (i = 0; i < r->sel.relations.n; i++) {
			uint32_t rel = r->sel.relations.v[i], a = kg_relation_from(g, rel), b = kg_relation_to(g, rel);
			if (a != b && rank[b] < rank[a] + 1 && rank[a] + 1 < n) {
				rank[b] = rank[a] + 1;
				changed = true;
			}
		}
	}
	for (i = 0; i < n; i++) {
		uint32_t e = r->sel.entities.v[i];
		double w, h;
		node_box(r, e, &w, &h);
		/* TB: a rank is a row; LR: a column (w and h swap roles) */
		rw[rank[e]] += w + NODESEP;
		if (h > rh[rank[e]])
			rh[rank[e]] = h;
		if (rank[e] + 1 > nranks)
			nranks = rank[e] + 1;
	}
	for (k = 0; k < nranks; k++) {
		if (rw[k] > tb_w)
			tb_w = rw[k];
		tb_h += rh[k] + RANKSEP;
	}
	/* LR: ranks side by side, each as wide as its widest entity; a
	 * column as tall as its entities stacked. */
	for (i = 0; i < nranks; i++)
		rw[i] = rh[i] = 0;
	for (i = 0; i < n; i++) {
		uint32_t e = r->sel.entities.v[i];
		double w, h;
		node_box(r, e, &w, &h);
		if (w > rw[rank[e]])
			rw[rank[e]] = w;
		rh[rank[e]] += h + NODESEP;
	}
	for (k = 0; k < nranks; k++) {
		lr_w += rw[k] + RANKSEP;
		if (rh[k] > lr_h)
			lr_h = rh[k];
	}
	if (r->edge_text && !r->xlabels) {
		/* labelled relations: a label rank between every two ranks */
		tb_h *= 2;
		lr_w *= 1.6;
	}
	if (kg__legend_wanted(r)) {
		/* legend.c's rows: one of up to 16 entries, else two */
		size_t entries = r->ntypes_used + r->nrtypes_used + 1, rows = entries > 16 ? 2 : 1;
		legend_w = (double)((entries + rows - 1) / rows) * LEGEND_ENTRY_W;
		legend_h = rows * LEGEND_ROW_H;
		tb_w += legend_w; /* beside the first rank */
		tb_h += legend_h * 0.5;
		lr_h += legend_w;
		lr_w += legend_h;
	}
	kg__free(rank);
	kg__free(rw);
	kg__free(rh);
	if (!kg__fit_bounds(r->fit, &lo, &hi) || tb_h <= 0 || lr_h <= 0)
		return KG_OK;
	target = sqrt(lo * hi);
	*rankdir = fabs(log(tb_w / tb_h / target)) <= fabs(log(lr_w / lr_h / target)) ? 0 : 1;
	return KG_OK;
}
