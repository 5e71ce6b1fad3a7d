/*
 * gv_geom.h - the picture geometry gv.c needs, in plain numbers (private).
 *
 * gv.c is the only file that includes Graphviz headers; what it computes
 * from a layout without calling Graphviz lives in gv_geom.c: the
 * picture's size, the stretch that brings it into the fit bounds, how far
 * an edge label sits from its line, and how far a PNG must shrink. gv.c
 * reads Graphviz's structures into these plain values and writes the
 * results back. All lengths are in points.
 */
#ifndef KG_RENDER_GV_GEOM_H
#define KG_RENDER_GV_GEOM_H

#include <stdbool.h>
#include <stddef.h>

/* A text's box: its centre and its size. */
typedef struct kg__gbox {
	double x, y, w, h;
} kg__gbox;

/* The picture's size: the layout's bounding box (Graphviz's `bb`,
 * "llx lly urx ury" from gvLayout, commas in DOT text; NULL or short
 * reads as 0) plus the graph's `pad` (inches; NULL or "" is Graphviz's
 * default of 4 points) on each side. */
void kg__picture_size(const char *bb, const char *pad, double *w, double *h);

/* Whether a picture of w x h is outside the width : height bounds
 * [lo, hi]; *aspect receives w / h. An empty picture is not. */
bool kg__outside_fit(double w, double h, double lo, double hi, double *aspect);

/* Graphviz's numeric `ratio` (height / width of the layout) to try next
 * for a picture of w x h and width : height `aspect` outside [lo, hi],
 * aiming a little inside the bound; `ratio` is the one last tried (0 for
 * none). The title and pad do not stretch, so each try corrects the
 * last. */
double kg__fit_next_ratio(double ratio, double w, double h, double aspect, double lo, double hi);

/* For engines that ignore `ratio`: the factors to scale node positions by
 * so that a picture of width : height `aspect` comes a little inside
 * [lo, hi] - along the short side only, so nodes are never squeezed. */
void kg__fit_stretch_factors(double aspect, double lo, double hi, double *sx, double *sy);

/* A legend entry along the legend's axis (x for a row, y for a column):
 * where it begins and ends, and which row (or column) it is in; pack
 * writes how far to move it. */
typedef struct kg__gspan {
	double lo, hi, row, shift;
} kg__gspan;

/* Between two legend entries packed together (points). */
#define KG__LEGEND_GAP 12.0

/* Pack each row's n spans together, gap apart, in the order they stand:
 * from the lowest when `down` is false (a row, left to right), else from
 * the highest (a column, top to bottom, y upwards). The first span of a
 * row stays put; the others only move towards it. O(n log n). */
int kg__pack_spans(kg__gspan *spans, size_t n, double gap, bool down);

/* Farthest an external edge label may sit from its edge. */
#define KG__XLABEL_MAX_GAP 18.0

/* The distance from point (px, py) to the box (0 inside). */
double kg__box_gap(const kg__gbox *box, double px, double py);

/* Where a label that strayed from its edge goes instead: its left side
 * just right of (mx, my), a point in the middle of the edge, centred on
 * it vertically. Returns the new centre in *x, *y. */
void kg__label_beside(const kg__gbox *label, double mx, double my, double *x, double *y);

/* The factor (at most 1) by which a PNG of w x h pixels must shrink to
 * stay within KG_RENDER_MAX_PNG_SIDE a side and KG_RENDER_MAX_PNG_PIXELS
 * in all. */
double kg__png_scale(double w, double h);

#endif
