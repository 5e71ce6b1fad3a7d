/*
 * gv_geom.c - the geometry of a laid-out picture, without Graphviz
 * (gv_geom.h): its size from the bounding box, the stretch into the fit
 * bounds, label distances, the PNG's shrink factor, packing a stretched
 * legend together again.
 *
 * Pipeline position: render, under gv.c, which reads these numbers from
 * Graphviz's layout and applies the results. Kept apart so that gv.c
 * holds only what needs Graphviz, and so that the maths can be read (and
 * changed) without the process and library handling around it.
 */
#include "render/gv_geom.h"
#include "kgraph/limits.h"
#include "util/util.h"
#include "kgraph/common.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

void kg__picture_size(const char *bb, const char *pad, double *w, double *h)
{
	double v[4] = {0, 0, 0, 0}, margin = 4;
	char *end;
	int i;

	for (i = 0; bb && i < 4; i++) {
		while (*bb == ',' || *bb == ' ')
			bb++;
		v[i] = kg__strtod(bb, &end);
		if (end == bb)
			break;
		bb = end;
	}
	if (pad && *pad)
		margin = kg__strtod(pad, NULL) * 72;
	*w = v[2] - v[0] + 2 * margin;
	*h = v[3] - v[1] + 2 * margin;
}

bool kg__outside_fit(double w, double h, double lo, double hi, double *aspect)
{
	if (w <= 0 || h <= 0)
		return false;
	*aspect = w / h;
	return *aspect < lo || *aspect > hi;
}

double kg__fit_next_ratio(double ratio, double w, double h, double aspect, double lo, double hi)
{
	double want = aspect > hi ? hi * 0.97 : lo * 1.03;

	return ratio > 0 ? ratio * aspect / want : (h / w) * aspect / want;
}

void kg__fit_stretch_factors(double aspect, double lo, double hi, double *sx, double *sy)
{
	*sx = *sy = 1;
	if (aspect > hi)
		*sy = aspect / (hi * 0.97);
	else
		*sx = lo * 1.03 / aspect;
}

double kg__box_gap(const kg__gbox *b, double px, double py)
{
	double dx = fmax(fmax(b->x - b->w / 2 - px, px - b->x - b->w / 2), 0);
	double dy = fmax(fmax(b->y - b->h / 2 - py, py - b->y - b->h / 2), 0);

	return sqrt(dx * dx + dy * dy);
}

void kg__label_beside(const kg__gbox *label, double mx, double my, double *x, double *y)
{
	*x = mx + label->w / 2 + 2;
	*y = my;
}

double kg__png_scale(double w, double h)
{
	double s = 1;

	if (w > KG_RENDER_MAX_PNG_SIDE)
		s = KG_RENDER_MAX_PNG_SIDE / w;
	if (h * s > KG_RENDER_MAX_PNG_SIDE)
		s = KG_RENDER_MAX_PNG_SIDE / h;
	if (w * h * s * s > KG_RENDER_MAX_PNG_PIXELS)
		s = sqrt(KG_RENDER_MAX_PNG_PIXELS / (w * h));
	return s;
}

/* Spans in packing order: by row, then from where packing starts. */
static int by_row_then_start(const void *a, const void *b)
{
	const kg__gspan *x = *(const kg__gspan *const *)a, *y = *(const kg__gspan *const *)b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x < y ? -1 : x > y;
}

int kg__pack_spans(kg__gspan *spans, size_t n, double gap, bool down)
{
	kg__gspan **order = kg__malloc((n ? n : 1) * sizeof *order);
	size_t i;

	if (!order)
		return KG_ENOMEM;
	/* A column packs downwards: mirrored, it packs like a row. */
	for (i = 0; i < n; i++) {
		if (down) {
			double lo = spans[i].lo;
			spans[i].lo = -spans[i].hi;
			spans[i].hi = -lo;
		}
		spans[i].row = round(spans[i].row);
		spans[i].shift = 0;
		order[i] = &spans[i];
	}
	qsort(order, n, sizeof *order, by_row_then_start);
	for (i = 1; i < n; i++) {
		const kg__gspan *prev = order[i - 1];
		kg__gspan *s = order[i];
		if (s->row == prev->row)
			s->shift = fmin(0, prev->hi + prev->shift + gap - s->lo);
	}
	for (i = 0; down && i < n; i++) {
		double lo = spans[i].lo;
		spans[i].lo = -spans[i].hi;
		spans[i].hi = -lo;
		spans[i].shift = -spans[i].shift;
	}
	kg__free(order);
	return KG_OK;
}
