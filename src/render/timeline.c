/*
 * timeline.c - the drawing of a timeline (kg_render_options.timeline):
 * what happened when, for a reader who asks about order rather than
 * connection.
 *
 * Pipeline position: render, in place of elements.c and legend.c. Every
 * node gets a fixed position (pos "x,y!" in points, the graph's
 * inputscale 72, engine neato), so Graphviz only draws: time runs left to
 * right along an axis at y = 0 with a scale of years, months or days
 * chosen from the span; items are stacked in rows above it, each in the
 * lowest row where it does not overlap an earlier one (greedy interval
 * packing, items in order of their start). A relation's `date` that names
 * a day is a dot; one that names a month or a year is a bar over that
 * period, as docs/time.md reads it; `since`/`until` is a bar across the
 * validity (to the axis's end when open). An entity is dated by its
 * `date:` attribute when that is a valid date. What has no date is listed
 * in a band below the axis: relations with no time, and entities that
 * are neither dated nor an end of a dated relation drawn. The legend, to
 * the right, gives the colours of the relation types and the shapes of
 * the entity types.
 *
 * Text widths are estimated (text_width): Graphviz centres a node's
 * text, so where a label starts, and how items pack, depend on the
 * estimate being close to the font drawn; GAP leaves room for the error.
 */
#define _POSIX_C_SOURCE 200809L

#include "render/render_internal.h"
#include "kgraph/common.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_SIZE 11.0
#define ROW_H 26.0      /* distance between rows of items */
#define FIRST_ROW 30.0  /* the lowest row's height above the axis */
#define GAP 14.0        /* least space between items in a row */
#define DOT_R 5.0       /* half the width of an event's dot */
#define BAR_H 12.0      /* a bar's height */
#define LIST_ROW 20.0   /* rows of the undated band */
/* The undated band lists at most this many items, then counts the rest:
 * in the shipped graph most relations are undated, and a list of them
 * would dwarf the timeline it stands beside. */
#define UNDATED_MAX 24
/* Relation types are in the legend only up to this many: each item's
 * label names its type, so beyond a few the colours group nothing. */
#define LEGEND_MAX_RTYPES 12

/* ---- days ------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

#define DATE_Y(x) ((long)((x) >> 9))
#define DATE_M(x) ((unsigned)(((x) >> 5) & 15))
#define DATE_D(x) ((unsigned)((x)&31))

/* The first day a date covers, and the first day after it. */
static long date_first(kg_date x)
{
	return days_from_civil(DATE_Y(x), DATE_M(x) ? DATE_M(x) : 1, DATE_D(x) ? DATE_D(x) : 1);
}

static long date_after(kg_date x)
{
	if (DATE_D(x))
		return date_first(x) + 1;
	if (DATE_M(x))
		return DATE_M(x) == 12 ? days_from_civil(DATE_Y(x) + 1, 1, 1) : days_from_civil(DATE_Y(x), DATE_M(x) + 1, 1);
	return days_from_civil(DATE_Y(x) + 1, 1, 1);
}

/* ---- items ----------------------------------------------------------- */

typedef struct item {
	long t0, t1;         /* [t0, t1) in days */
	bool open0, open1;   /* no since / no until: to the axis's end */
	bool dot;            /* a single day */
	uint32_t rel, ent;   /* one of them is KG_NONE */
	double w;            /* estimated width of the label */
	size_t order;        /* graph order, to break ties */
} item;

static int item_cmp(const void *a, const void *b)
{
	const item *x = a, *y = b;

	if (x->t0 != y->t0)
		return x->t0 < y->t0 ? -1 : 1;
	if (x->t1 != y->t1)
		return x->t1 < y->t1 ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Estimated width in points of text at the items' font size, from
 * the widths of DejaVu Sans (what fontconfig finds for Helvetica on most
 * Linux systems; Helvetica itself is a little narrower) by classes of
 * character, in em. Graphviz centres a node's text on its position, so
 * a text is placed to start where it should by this estimate. */
static double text_width(const char *s)
{
	double em = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xC0) == 0x80)
			continue;
		if (c >= 0x80)
			em += 0.9; /* dashes and arrows */
		else if (strchr("iljtfrI.,:;'!| ", c))
			em += 0.33;
		else if (strchr("mwMW", c))
			em += 0.93;
		else if (c >= 'A' && c <= 'Z')
			em += 0.7;
		else
			em += 0.6;
	}
	return em * FONT_SIZE;
}

static const char *entity_date_text(const kg_graph *g, uint32_t e)
{
	size_t i, n = kg_entity_attr_count(g, e);

	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		if (strcmp(a.key, "date") == 0)
			return a.value;
	}
	return NULL;
}

static kg_date entity_date(const kg_graph *g, uint32_t e)
{
	const char *s = entity_date_text(g, e);
	kg_date d = 0;

	if (!s || kg_date_parse(&d, s, strlen(s)) != KG_OK)
		return 0;
	return d;
}

/* "From —type→ To" (—type— for a symmetric type) into r->b.tmp. */
static int relation_text(kg__render *r, uint32_t rel)
{
	const kg_graph *g = r->g;
	uint32_t t = kg_relation_type(g, rel);

	r->b.tmp.n = 0;
	return kg__buf_printf(&r->b.tmp, "%s \xE2\x80\x94%s%s %s", kg_entity_name(g, kg_relation_from(g, rel)),
	                      kg_relation_type_label(g, t),
	                      kg_relation_type_is_symmetric(g, t) ? "\xE2\x80\x94" : "\xE2\x86\x92",
	                      kg_entity_name(g, kg_relation_to(g, rel)));
}

/* ---- drawing helpers -------------------------------------------------- */

typedef struct timeline {
	kg__render *r;
	KG_VEC(item) items;
	KG_VEC(double) row_end; /* per row: where its last item ends */
	long lo, hi;            /* the axis's days */
	double width;           /* the axis's length in points */
	double right;           /* the rightmost point drawn */
	double bottom;          /* the lowest point drawn */
	double top;             /* the highest row */
	uint8_t *etype_used, *rtype_used;
} timeline;

static double x_of(const timeline *t, long day)
{
	return t->width * (double)(day - t->lo) / (double)(t->hi - t->lo);
}

static void pin(kg__render *r, kg__props *p, double x, double y)
{
	kg__prop(p, "pos", kg__valf(&r->b, "%.1f,%.1f!", x, y));
}

/* A text node whose left end is at x, w wide (estimated). */
static uint32_t text_at(timeline *t, double x, double y, size_t label, double w, const char *cls, const char *size)
{
	kg__render *r = t->r;
	kg__props p;

	p.n = 0;
	kg__prop(&p, "class", kg__val(&r->b, cls));
	kg__prop(&p, "label", label);
	kg__prop(&p, "shape", kg__val(&r->b, "plaintext"));
	kg__prop(&p, "style", kg__val(&r->b, ""));
	kg__prop(&p, "fontsize", kg__val(&r->b, size));
	kg__prop(&p, "width", kg__valf(&r->b, "%.2f", w / 72.0));
	kg__prop(&p, "height", kg__val(&r->b, "0.2"));
	kg__prop(&p, "margin", kg__val(&r->b, "0"));
	pin(r, &p, x + w / 2, y);
	if (x + w > t->right)
		t->right = x + w;
	return kg__draw_node(&r->b, &p);
}

/* An invisible point, an end of the axis or of a tick. */
static uint32_t point_at(kg__render *r, double x, double y)
{
	kg__props p;

	p.n = 0;
	kg__prop(&p, "shape", kg__val(&r->b, "point"));
	kg__prop(&p, "style", kg__val(&r->b, "invis"));
	kg__prop(&p, "width", kg__val(&r->b, "0.01"));
	kg__prop(&p, "label", kg__val(&r->b, ""));
	pin(r, &p, x, y);
	return kg__draw_node(&r->b, &p);
}

static void line(kg__render *r, double x0, double y0, double x1, double y1, const char *color, const char *style,
                 const char *width)
{
	kg__props p;
	uint32_t a = point_at(r, x0, y0), b = point_at(r, x1, y1);

	p.n = 0;
	kg__prop(&p, "class", kg__val(&r->b, "kg-axis"));
	kg__prop(&p, "dir", kg__val(&r->b, "none"));
	kg__prop(&p, "color", kg__val(&r->b, color));
	kg__prop(&p, "style", kg__val(&r->b, style));
	kg__prop(&p, "penwidth", kg__val(&r->b, width));
	kg__draw_edge(&r->b, a, b, &p);
}

/* The look of a relation type's dot or bar: its colour as the outline,
 * a lighter fill (white and the type's dash pattern in print). */
static void rtype_mark(kg__render *r, kg__props *p, uint32_t rtype, bool bar)
{
	const kg__props *s = &r->rtype_style[rtype];
	const char *color = "#555555", *style = "solid";
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].key, "color") == 0)
			color = kg__rvalue(r->b.d, &s->v[i]);
		else if (strcmp(s->v[i].key, "style") == 0)
			style = kg__rvalue(r->b.d, &s->v[i]);
	}
	kg__prop(p, "shape", kg__val(&r->b, bar ? "box" : "circle"));
	kg__prop(p, "fixedsize", kg__val(&r->b, "true"));
	kg__prop(p, "color", kg__val(&r->b, color));
	if (r->th->mono || color[0] != '#' || strlen(color) != 7)
		kg__prop(p, "fillcolor", kg__val(&r->b, r->th->mono ? "#FFFFFF" : color));
	else
		kg__prop(p, "fillcolor", kg__valf(&r->b, "%s%s", color, bar ? "59" : "FF"));
	kg__prop(p, "style", kg__valf(&r->b, "filled,%s", strcmp(style, "bold") == 0 ? "solid" : style));
	kg__prop(p, "penwidth", kg__val(&r->b, strcmp(style, "bold") == 0 ? "2.4" : "1.4"));
	kg__prop(p, "label", kg__val(&r->b, ""));
}

/* An entity type's marker: its shape and colours, small. */
static void etype_mark(kg__render *r, kg__props *p, uint32_t type)
{
	kg__prop_all(p, &r->type_style[type]);
	kg__prop(p, "fixedsize", kg__val(&r->b, "true"));
	kg__prop(p, "width", kg__val(&r->b, "0.22"));
	kg__prop(p, "height", kg__val(&r->b, "0.18"));
	kg__prop(p, "label", kg__val(&r->b, ""));
}

/* ---- collecting ------------------------------------------------------- */

static int collect(timeline *t, uint8_t *listed)
{
	kg__render *r = t->r;
	const kg_graph *g = r->g;
	size_t i;

	for (i = 0; i < r->sel.relations.n; i++) {
		uint32_t rel = r->sel.relations.v[i];
		kg_date d = kg_relation_date(g, rel), s = kg_relation_since(g, rel), u = kg_relation_until(g, rel);
		item it;
		memset(&it, 0, sizeof it);
		it.rel = rel;
		it.ent = KG_NONE;
		it.order = i;
		if (d) {
			it.t0 = date_first(d);
			it.t1 = date_after(d);
			it.dot = DATE_D(d) != 0;
		} else if (s || u) {
			it.open0 = !s;
			it.open1 = !u;
			it.t0 = s ? date_first(s) : 0;
			it.t1 = u ? date_first(u) : 0;
		} else
			continue;
		listed[kg_relation_from(g, rel)] = listed[kg_relation_to(g, rel)] = 1;
		if (relation_text(r, rel))
			return KG_ENOMEM;
		it.w = text_width(r->b.tmp.p);
		if (KG_VEC_PUSH(t->items, it))
			return KG_ENOMEM;
	}
	for (i = 0; i < r->sel.entities.n; i++) {
		uint32_t e = r->sel.entities.v[i];
		kg_date d = entity_date(g, e);
		item it;
		if (!d)
			continue;
		memset(&it, 0, sizeof it);
		it.rel = KG_NONE;
		it.ent = e;
		it.order = r->sel.relations.n + i;
		it.t0 = date_first(d);
		it.t1 = date_after(d);
		it.dot = true; /* an entity is a marker at the start of its date */
		it.w = text_width(kg_entity_name(g, e));
		listed[e] = 1;
		if (KG_VEC_PUSH(t->items, it))
			return KG_ENOMEM;
	}
	return KG_OK;
}

/* The axis's span from the items' known ends; open ends then run to it. */
static void span(timeline *t)
{
	bool any = false;
	size_t i;

	for (i = 0; i < t->items.n; i++) {
		item *it = &t->items.v[i];
		if (!it->open0 && (!any || it->t0 < t->lo))
			t->lo = it->t0;
		if (!it->open0 && (!any || it->t0 + 1 > t->hi))
			t->hi = it->t0 + 1;
		any = true;
		if (!it->open1 && it->t1 > t->hi)
			t->hi = it->t1;
		if (!it->open1 && it->t1 - 1 < t->lo)
			t->lo = it->t1 - 1;
	}
}

/* ---- the scale -------------------------------------------------------- */

enum { UNIT_YEAR, UNIT_MONTH, UNIT_DAY };

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Choose the unit and step from the span, widen lo and hi to whole
 * steps, and draw the axis with its ticks, labels and light gridlines. */
static void axis(timeline *t)
{
	static const unsigned year_steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
	static const unsigned month_steps[] = {1, 2, 3, 6};
	static const unsigned day_steps[] = {1, 2, 7, 14};
	kg__render *r = t->r;
	long y0, y1, yy;
	unsigned m0, d0, m1, d1, step = 1, mm, dd, i;
	int unit;
	long span_days, day;
	bool first = true;

	if (t->hi <= t->lo)
		t->hi = t->lo + 1;
	span_days = t->hi - t->lo;
	civil_from_days(t->lo, &y0, &m0, &d0);
	civil_from_days(t->hi - 1, &y1, &m1, &d1);
	if (span_days > 3 * 366) {
		unit = UNIT_YEAR;
		for (i = 0; i < KG__COUNT(year_steps) && (y1 - y0) / (long)year_steps[i] > 12; i++)
			;
		step = year_steps[i < KG__COUNT(year_steps) ? i : i - 1];
		y0 -= ((y0 % (long)step) + (long)step) % (long)step;
		y1 = y1 + 1;
		y1 += ((long)step - (y1 % (long)step)) % (long)step;
		t->lo = days_from_civil(y0, 1, 1);
		t->hi = days_from_civil(y1, 1, 1);
	} else if (span_days > 62) {
		long months;
		unit = UNIT_MONTH;
		months = (y1 - y0) * 12 + (long)m1 - (long)m0 + 1;
		for (i = 0; i < KG__COUNT(month_steps) - 1 && months / (long)month_steps[i] > 12; i++)
			;
		step = month_steps[i];
		m0 -= (m0 - 1) % step;
		m1 += 1;
		if (m1 > 12) {
			m1 = 1;
			y1++;
		}
		t->lo = days_from_civil(y0, m0, 1);
		t->hi = days_from_civil(y1, m1, 1);
	} else {
		unit = UNIT_DAY;
		for (i = 0; i < KG__COUNT(day_steps) - 1 && span_days / (long)day_steps[i] > 14; i++)
			;
		step = day_steps[i];
		t->hi = t->lo + ((span_days + step - 1) / step) * step;
	}
	line(r, 0, 0, t->width, 0, r->th->text, "solid", "1.4");
	yy = y0;
	mm = m0;
	day = t->lo;
	while (!r->b.err) {
		char label[24];
		double x;
		if (unit == UNIT_YEAR) {
			day = days_from_civil(yy, 1, 1);
			snprintf(label, sizeof label, "%ld", yy);
			yy += step;
		} else if (unit == UNIT_MONTH) {
			day = days_from_civil(yy, mm, 1);
			if (first || mm == 1)
				snprintf(label, sizeof label, "%s %ld", month_abbr[mm - 1], yy);
			else
				snprintf(label, sizeof label, "%s", month_abbr[mm - 1]);
			mm += step;
			if (mm > 12) {
				mm -= 12;
				yy++;
			}
		} else {
			long ly;
			unsigned lm;
			civil_from_days(day, &ly, &lm, &dd);
			if (first || (lm == 1 && dd <= step))
				snprintf(label, sizeof label, "%u %s %ld", dd, month_abbr[lm - 1], ly);
			else
				snprintf(label, sizeof label, "%u %s", dd, month_abbr[lm - 1]);
		}
		if (day > t->hi)
			break;
		x = x_of(t, day);
		line(r, x, 0, x, -5, r->th->text, "solid", "1.2");
		{
			double w = text_width(label);
			text_at(t, x - w / 2, -16, kg__val(&r->b, label), w, "kg-axis-label", "10");
		}
		if (unit == UNIT_DAY)
			day += step;
		first = false;
	}
	(void)d1;
	t->bottom = -24;
}

/* ---- placing items ---------------------------------------------------- */

/* The lowest row where [x0, x1] fits after what is already there. */
static size_t row_for(timeline *t, double x0, double x1)
{
	size_t i;

	for (i = 0; i < t->row_end.n; i++)
		if (t->row_end.v[i] + GAP <= x0)
			break;
	if (i == t->row_end.n && KG_VEC_PUSH(t->row_end, x1)) {
		t->r->b.err = KG_ENOMEM;
		return 0;
	}
	t->row_end.v[i] = x1;
	return i;
}

/* The date an item's id carries (its start), for scripts and tests. */
static size_t item_id(timeline *t, const item *it)
{
	long y;
	unsigned m, d;

	civil_from_days(it->t0, &y, &m, &d);
	if (it->rel != KG_NONE)
		return kg__valf(&t->r->b, "t-%04ld-%02u-%02u-r%u", y, m, d, kg_relation_ordinal(t->r->g, it->rel));
	return kg__valf(&t->r->b, "t-%04ld-%02u-%02u-e-%s", y, m, d, kg_entity_id(t->r->g, it->ent));
}

static void place(timeline *t, item *it)
{
	kg__render *r = t->r;
	const kg_graph *g = r->g;
	double x0, x1, y, lx;
	bool inside;
	size_t row, label;
	kg__props p;

	if (it->open0)
		it->t0 = t->lo;
	if (it->open1)
		it->t1 = t->hi;
	x0 = x_of(t, it->t0);
	x1 = x_of(t, it->t1);
	if (it->dot)
		x0 = x1 = it->rel != KG_NONE ? (x0 + x1) / 2 : x0;
	if (x1 - x0 < 4 && !it->dot) {
		double c = (x0 + x1) / 2;
		x0 = c - 2;
		x1 = c + 2;
	}
	inside = !it->dot && it->w + 12 <= x1 - x0;
	lx = inside ? x0 + 6 : (it->dot ? x1 + DOT_R + 5 : x1 + 6);
	row = row_for(t, it->dot ? x0 - DOT_R : x0, inside ? x1 : lx + it->w);
	y = FIRST_ROW + (double)row * ROW_H;
	if (y > t->top)
		t->top = y;

	p.n = 0;
	kg__prop(&p, "id", item_id(t, it));
	if (it->rel != KG_NONE) {
		uint32_t type = kg_relation_type(g, it->rel);
		t->rtype_used[type] = 1;
		kg__prop(&p, "class", kg__valf(&r->b, "kg-time kg-relation kg-rtype-%s", kg_relation_type_name(g, type)));
		rtype_mark(r, &p, type, !it->dot);
		if (kg__relation_tooltip(r, it->rel))
			r->b.err = KG_ENOMEM;
	} else {
		uint32_t type = kg_entity_type(g, it->ent);
		t->etype_used[type] = 1;
		kg__prop(&p, "class", kg__valf(&r->b, "kg-time kg-entity kg-type-%s", kg_type_name(g, type)));
		etype_mark(r, &p, type);
		if (kg__entity_tooltip(r, it->ent))
			r->b.err = KG_ENOMEM;
	}
	kg__prop(&p, "tooltip", kg__val_text(&r->b, r->b.tmp.p ? r->b.tmp.p : "", KG__ESC_TOOLTIP, 0));
	if (it->dot) {
		if (it->rel != KG_NONE) {
			kg__prop(&p, "width", kg__valf(&r->b, "%.3f", 2 * DOT_R / 72.0));
			kg__prop(&p, "height", kg__valf(&r->b, "%.3f", 2 * DOT_R / 72.0));
		}
	} else {
		kg__prop(&p, "width", kg__valf(&r->b, "%.3f", (x1 - x0) / 72.0));
		kg__prop(&p, "height", kg__valf(&r->b, "%.3f", BAR_H / 72.0));
	}
	pin(r, &p, (x0 + x1) / 2, y);
	kg__draw_node(&r->b, &p);

	if (it->rel != KG_NONE ? relation_text(r, it->rel) != 0
	                       : (r->b.tmp.n = 0, kg__buf_puts(&r->b.tmp, kg_entity_name(g, it->ent)) != 0))
		r->b.err = KG_ENOMEM;
	label = kg__val_text(&r->b, r->b.tmp.p ? r->b.tmp.p : "", KG__ESC_LABEL, 0);
	text_at(t, lx, y, label, it->w, "kg-time-label", "11");
}

/* ---- the undated band and the legend ---------------------------------- */

/* Entries flow left to right in rows below the axis, wrapping at its
 * width. */
typedef struct flow {
	double x, y, left, limit;
} flow;

static double flow_next(flow *f, double w)
{
	double x;

	if (f->x > f->left && f->x + w > f->limit) {
		f->x = f->left;
		f->y -= LIST_ROW;
	}
	x = f->x;
	f->x += w + 24;
	return x;
}

/* The heading of the undated band before its first entry, and whether
 * there is room for another entry (else it is only counted). */
static bool undated_entry(timeline *t, flow *f, size_t *n)
{
	if (!(*n)++) {
		text_at(t, 0, f->y, kg__val(&t->r->b, "Undated"), text_width("Undated") * 1.1, "kg-undated", "12");
		f->y -= LIST_ROW;
	}
	return *n <= UNDATED_MAX;
}

static void undated(timeline *t, const uint8_t *listed)
{
	kg__render *r = t->r;
	const kg_graph *g = r->g;
	flow f;
	size_t i, n = 0;
	kg__props p;

	f.left = 0;
	f.x = 0;
	f.limit = t->width;
	f.y = t->bottom - 30;
	for (i = 0; i < r->sel.relations.n && !r->b.err; i++) {
		uint32_t rel = r->sel.relations.v[i], type = kg_relation_type(g, rel);
		double w, x;
		if (kg_relation_date(g, rel) || kg_relation_since(g, rel) || kg_relation_until(g, rel) ||
		    !undated_entry(t, &f, &n))
			continue;
		if (relation_text(r, rel)) {
			r->b.err = KG_ENOMEM;
			return;
		}
		w = text_width(r->b.tmp.p);
		x = flow_next(&f, w + 2 * DOT_R + 4);
		t->rtype_used[type] = 1;
		text_at(t, x + 2 * DOT_R + 4, f.y, kg__val_text(&r->b, r->b.tmp.p, KG__ESC_LABEL, 0), w, "kg-time-label",
		        "11");
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "u-r%u", kg_relation_ordinal(g, rel)));
		kg__prop(&p, "class", kg__valf(&r->b, "kg-undated kg-relation kg-rtype-%s", kg_relation_type_name(g, type)));
		rtype_mark(r, &p, type, false);
		kg__prop(&p, "width", kg__valf(&r->b, "%.3f", 2 * DOT_R / 72.0));
		kg__prop(&p, "height", kg__valf(&r->b, "%.3f", 2 * DOT_R / 72.0));
		if (kg__relation_tooltip(r, rel))
			r->b.err = KG_ENOMEM;
		kg__prop(&p, "tooltip", kg__val_text(&r->b, r->b.tmp.p ? r->b.tmp.p : "", KG__ESC_TOOLTIP, 0));
		pin(r, &p, x + DOT_R, f.y);
		kg__draw_node(&r->b, &p);
	}
	for (i = 0; i < r->sel.entities.n && !r->b.err; i++) {
		uint32_t e = r->sel.entities.v[i], type = kg_entity_type(g, e);
		double w = text_width(kg_entity_name(g, e)), x;
		if (listed[e] || !undated_entry(t, &f, &n))
			continue;
		x = flow_next(&f, w + 22);
		t->etype_used[type] = 1;
		text_at(t, x + 22, f.y, kg__val_text(&r->b, kg_entity_name(g, e), KG__ESC_LABEL, 0), w, "kg-time-label",
		        "11");
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "u-e-%s", kg_entity_id(g, e)));
		kg__prop(&p, "class", kg__valf(&r->b, "kg-undated kg-entity kg-type-%s", kg_type_name(g, type)));
		etype_mark(r, &p, type);
		if (kg__entity_tooltip(r, e))
			r->b.err = KG_ENOMEM;
		kg__prop(&p, "tooltip", kg__val_text(&r->b, r->b.tmp.p ? r->b.tmp.p : "", KG__ESC_TOOLTIP, 0));
		pin(r, &p, x + 8, f.y);
		kg__draw_node(&r->b, &p);
	}
	if (n > UNDATED_MAX && !r->b.err) {
		char more[96];
		snprintf(more, sizeof more, "\xE2\x80\xA6 and %zu more (kgraph list shows them all)", n - UNDATED_MAX);
		f.x = f.left;
		f.y -= LIST_ROW;
		text_at(t, 0, f.y, kg__val(&r->b, more), text_width(more), "kg-undated", "11");
	}
	if (n)
		t->bottom = f.y;
}

/* One legend entry: a marker and its text, one under the other. */
static void legend_entry(timeline *t, double x, double *y, kg__props *mark, size_t label, double w)
{
	kg__render *r = t->r;

	kg__prop(mark, "class", kg__val(&r->b, "kg-legend"));
	pin(r, mark, x + 8, *y);
	kg__draw_node(&r->b, mark);
	text_at(t, x + 22, *y, label, w, "kg-legend", "11");
	*y -= LIST_ROW;
}

static void legend(timeline *t)
{
	static const char key1[] = "dot: a day; bar: a month, a year,", key2[] = "or since\xE2\x80\x93until";
	kg__render *r = t->r;
	const kg_graph *g = r->g;
	double x = t->right + 40, y = t->top;
	size_t i, nrtypes = 0;
	kg__props p;

	for (i = 0; i < kg_graph_relation_type_count(g); i++)
		nrtypes += t->rtype_used[i];

	text_at(t, x, y, kg__val(&r->b, "Legend"), text_width("Legend") * 1.1, "kg-legend", "12");
	y -= LIST_ROW;
	for (i = 0; i < kg_graph_type_count(g) && !r->b.err; i++) {
		if (!t->etype_used[i])
			continue;
		p.n = 0;
		etype_mark(r, &p, (uint32_t)i);
		legend_entry(t, x, &y, &p, kg__type_label(r, (uint32_t)i), text_width(kg_type_label(g, (uint32_t)i)));
	}
	for (i = 0; i < kg_graph_relation_type_count(g) && !r->b.err; i++) {
		const char *label = kg_relation_type_label(g, (uint32_t)i);
		if (!t->rtype_used[i] || nrtypes > LEGEND_MAX_RTYPES)
			continue;
		p.n = 0;
		rtype_mark(r, &p, (uint32_t)i, true);
		kg__prop(&p, "width", kg__val(&r->b, "0.22"));
		kg__prop(&p, "height", kg__valf(&r->b, "%.3f", BAR_H / 72.0));
		legend_entry(t, x, &y, &p, kg__val_text(&r->b, label, KG__ESC_LABEL, 0), text_width(label));
	}
	if (nrtypes > LEGEND_MAX_RTYPES) {
		static const char note[] = "colour: the relation type, named in each label";
		text_at(t, x, y, kg__val(&r->b, note), text_width(note) * 10 / 11, "kg-legend", "10");
		y -= 14;
	}
	/* at 10 points, not the 11 text_width assumes */
	text_at(t, x, y, kg__val(&r->b, key1), text_width(key1) * 10 / 11, "kg-legend", "10");
	text_at(t, x, y - 14, kg__val(&r->b, key2), text_width(key2) * 10 / 11, "kg-legend", "10");
}

/* ---- the whole timeline ----------------------------------------------- */

int kg__add_timeline(kg__render *r)
{
	timeline t;
	uint8_t *listed = kg__calloc(kg_graph_entity_count(r->g) + 1, 1);
	size_t i;
	int rc = KG_OK;

	memset(&t, 0, sizeof t);
	t.r = r;
	t.etype_used = kg__calloc(kg_graph_type_count(r->g) + 1, 1);
	t.rtype_used = kg__calloc(kg_graph_relation_type_count(r->g) + 1, 1);
	if (!listed || !t.etype_used || !t.rtype_used || collect(&t, listed)) {
		rc = KG_ENOMEM;
		goto done;
	}
	if (!t.items.n) {
		rc = kg__diag_at(r->diags, KG_SEV_ERROR, NULL,
		                     "nothing to draw on a timeline: no relation drawn has a date, since or until, "
		                     "and no entity a date") < 0 ? KG_ENOMEM : KG_ENOTFOUND;
		goto done;
	}
	qsort(t.items.v, t.items.n, sizeof *t.items.v, item_cmp);
	span(&t);
	/* Wide enough that crowded periods stay readable, narrow enough for
	 * a page: 720 points, plus 12 per item up to 1,600. */
	t.width = 720 + 12.0 * (double)t.items.n;
	if (t.width > 1600)
		t.width = 1600;
	t.top = FIRST_ROW;
	axis(&t);
	for (i = 0; i < t.items.n && !r->b.err; i++)
		place(&t, &t.items.v[i]);
	/* light gridlines would cross the labels; the ticks carry the scale */
	undated(&t, listed);
	if (!r->b.err && kg__legend_wanted(r))
		legend(&t);
	rc = r->b.err;
done:
	kg__free(listed);
	kg__free(t.etype_used);
	kg__free(t.rtype_used);
	KG_VEC_FREE(t.items);
	KG_VEC_FREE(t.row_end);
	return rc;
}
