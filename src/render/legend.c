/*
 * legend.c - the legend: what the shapes, colours and lines of a drawing
 * mean.
 *
 * Pipeline position: render. One entry per entity type drawn, per
 * relation type drawn (when they are few enough to be worth it), and the
 * path when one is highlighted. With dot and fdp the entries sit in a
 * cluster; other engines draw no clusters, so a heading and invisible
 * edges keep them together; with a kept layout, kgraph sets the entries
 * in a grid beside the drawing. Shown when asked, or automatically when
 * more than one type is drawn.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Relation types listed in the legend: all when edges carry no text
 * (then colour and line style are all there is to go by), otherwise only
 * when they are few enough to be worth it. */
#define LEGEND_MAX_RTYPES_LABELLED 12
#define LEGEND_MAX_RTYPES 40
/* Most entries in a row (TB/BT; a column for LR/RL) of the legend before
 * a second row. Long rows rather than many short ones: dot puts a rank
 * (with edge labels also a label rank) between rows, and the fit's
 * stretch widens that gap further, so rows sat 200-300 pt apart. */
#define LEGEND_ROW 16

/* A type's label for the legend and clusters; a built-in type without a
 * label of its own is shown capitalised ("person" -> "Person"). */
size_t kg__type_label(kg__render *r, uint32_t t)
{
	const char *label = kg_type_label(r->g, t);
	size_t at;

	if (!kg_type_is_builtin(r->g, t) || strcmp(label, kg_type_name(r->g, t)) != 0 || label[0] < 'a' ||
	    label[0] > 'z')
		return kg__val_text(&r->b, label, KG__ESC_LABEL, r->o->wrap);
	at = kg__valf(&r->b, "%c%s", label[0] - 'a' + 'A', label + 1);
	return at;
}

bool kg__legend_wanted(const kg__render *r)
{
	if (r->o->legend == KG_RENDER_LEGEND_ON)
		return true;
	if (r->o->legend == KG_RENDER_LEGEND_OFF)
		return false;
	return r->ntypes_used > 1 || r->nrtypes_used > 1 || r->o->diff_old;
}

#define NO_VALUE SIZE_MAX

/* A legend entry: the nodes it chains by (a sample edge's tail and the
 * text it points at; the same node for an entity type). */
typedef struct entry {
	uint32_t first, last;
} entry;

typedef struct legend {
	kg__render *r;
	KG_VEC(entry) entries;
	KG_VEC(uint32_t) members; /* every node of the legend, for its cluster */
	bool dot, across;         /* dot; dot with rankdir LR or RL */
} legend;

static void add_member(legend *l, uint32_t n)
{
	if (KG_VEC_PUSH(l->members, n))
		l->r->b.err = KG_ENOMEM;
}

static void add_entry(legend *l, uint32_t first, uint32_t last)
{
	entry e = {first, last};
	if (KG_VEC_PUSH(l->entries, e))
		l->r->b.err = KG_ENOMEM;
}

/* A plain text node of the legend. */
static uint32_t text_node(legend *l, size_t id, size_t label, const char *fontsize, size_t fontcolor,
                          const char *tooltip)
{
	kg__render *r = l->r;
	kg__props p;
	uint32_t n;

	p.n = 0;
	kg__prop(&p, "id", id);
	kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
	kg__prop(&p, "label", label);
	kg__prop(&p, "shape", kg__val(&r->b, "plaintext"));
	kg__prop(&p, "style", kg__val(&r->b, ""));
	kg__prop(&p, "fontsize", kg__val(&r->b, fontsize));
	/* as high as the text, not Graphviz's half inch: in a column (LR)
	 * entries sat 58 pt apart for 14 pt of text */
	kg__prop(&p, "height", kg__val(&r->b, "0.2"));
	kg__prop(&p, "margin", kg__val(&r->b, "0.1,0.02"));
	if (fontcolor != NO_VALUE)
		kg__prop(&p, "fontcolor", fontcolor);
	if (tooltip)
		kg__prop(&p, "tooltip", kg__val(&r->b, tooltip));
	n = kg__draw_node(&r->b, &p);
	add_member(l, n);
	return n;
}

/* An entry for a line style: a real edge drawn with exactly the
 * attributes of the edges it stands for (colour, dash pattern,
 * arrowhead, width), pointing at the text that names it, so the legend
 * shows everything that tells the lines apart - also in black and
 * white. In dot the sample lies flat beside its text. */
static void line_entry(legend *l, const char *key, size_t label, const char *tooltip, const kg__props *style,
                       size_t fontcolor)
{
	kg__render *r = l->r;
	kg__props p;
	uint32_t from, text;
	size_t k;

	p.n = 0;
	kg__prop(&p, "id", kg__valf(&r->b, "legend-%s-from", key));
	kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
	kg__prop(&p, "label", kg__val(&r->b, ""));
	kg__prop(&p, "shape", kg__val(&r->b, "point"));
	kg__prop(&p, "style", kg__val(&r->b, "invis"));
	kg__prop(&p, "width", kg__val(&r->b, "0.02"));
	from = kg__draw_node(&r->b, &p);
	add_member(l, from);
	text = text_node(l, kg__valf(&r->b, "legend-%s", key), label, "11", fontcolor, tooltip);
	p.n = 0;
	kg__prop(&p, "id", kg__valf(&r->b, "legend-%s-sample", key));
	kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
	kg__prop_all(&p, style);
	kg__prop(&p, "dir", kg__val(&r->b, "forward"));
	for (k = 0; k < style->n; k++) /* a symmetric type: no arrowhead */
		if (strcmp(style->v[k].key, "dir") == 0)
			kg__prop(&p, "dir", style->v[k].value);
	if (l->dot)
		kg__prop(&p, "minlen", kg__val(&r->b, l->across ? "1" : "0"));
	else
		kg__prop(&p, "len", kg__val(&r->b, "0.8"));
	kg__prop(&p, "weight", kg__val(&r->b, "10"));
	kg__draw_edge(&r->b, from, text, &p);
	add_entry(l, from, text);
}

/* The value (offset) of key in p, or NO_VALUE. An offset, not a
 * pointer: the drawing's text moves as it grows. */
static size_t prop_value(const kg__props *p, const char *key)
{
	size_t k;
	for (k = 0; k < p->n; k++)
		if (strcmp(p->v[k].key, key) == 0)
			return p->v[k].value;
	return NO_VALUE;
}

/* In dot, the legend's first row on a rank of its own, before every
 * entity: an invisible edge of no weight (it pulls nothing sideways) to
 * each entity that no drawn relation points at puts them all on later
 * ranks. So the legend sits right above the drawing (beside it in LR),
 * and no relation, which joins two entities, can pass through it. */
static void first_rank(legend *l, size_t step)
{
	kg__render *r = l->r;
	const kg_graph *g = r->g;
	uint8_t *pointed = kg__calloc(kg_graph_entity_count(g) + 1, 1);
	/* BT and RL chain the rows the other way (chain()) */
	size_t i, last_row = r->rankdir == 2 || r->rankdir == 3 ? 0 : (l->entries.n - 1) / step * step;
	/* From the legend's last rank: its last row, and with LR a line's
	 * text, a rank after its sample. From the first rank, entities
	 * shared the rank of the second row (column) or of the texts, so dot
	 * set the drawing below a tall legend instead of beside it. */
	uint32_t from = l->entries.v[last_row].first;

	if (!pointed) {
		r->b.err = KG_ENOMEM;
		return;
	}
	for (i = last_row; i < l->entries.n; i++)
		if (l->entries.v[i].first != l->entries.v[i].last) {
			from = l->entries.v[i].last;
			break;
		}
	for (i = 0; i < r->sel.relations.n; i++) {
		uint32_t rel = r->sel.relations.v[i];
		uint32_t head = kg_relation_to(g, rel);
		if (r->step_of && r->step_back[rel]) /* drawn head to tail (elements.c) */
			head = kg_relation_from(g, rel);
		if (kg_relation_from(g, rel) != kg_relation_to(g, rel))
			pointed[head] = 1;
	}
	for (i = 0; i < r->sel.entities.n && !r->b.err; i++) {
		uint32_t e = r->sel.entities.v[i];
		kg__props p;
		if (pointed[e])
			continue;
		p.n = 0;
		kg__prop(&p, "style", kg__val(&r->b, "invis"));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "weight", kg__val(&r->b, "0"));
		kg__draw_edge(&r->b, from, r->node_of[e], &p);
	}
	kg__free(pointed);
}

/* Keep the entries together and in reading order. In dot: rows (TB/BT;
 * columns for LR/RL) of at most LEGEND_ROW entries, each row chained by
 * invisible flat edges (minlen 0, which dot draws tail before head), and
 * each entry tied to the one below it. fdp keeps a cluster together by
 * itself. Other engines draw no clusters: a chain of short invisible
 * edges holds the entries together in order. */
static void chain(legend *l)
{
	kg__render *r = l->r;
	size_t n = l->entries.n, step = 1, i;

	if (r->clusters_drawn && !l->dot)
		return;
	if (l->dot) {
		/* two rows at most: a long row is still shorter than the
		 * drawing that has that many types */
		size_t rows = n > LEGEND_ROW ? 2 : 1;
		step = (n + rows - 1) / rows;
		if (n)
			first_rank(l, step);
	}
	for (i = 0; i + 1 < n && !r->b.err; i++) {
		const entry *a = &l->entries.v[i], *b = &l->entries.v[i + 1];
		kg__props e;
		e.n = 0;
		kg__prop(&e, "style", kg__val(&r->b, "invis"));
		kg__prop(&e, "class", kg__val(&r->b, "kg-legend"));
		if (!l->dot) {
			kg__prop(&e, "len", kg__val(&r->b, "0.3"));
			kg__prop(&e, "weight", kg__val(&r->b, "10"));
			kg__draw_edge(&r->b, a->last, b->first, &e);
			continue;
		}
		if ((i + 1) % step) {
			/* LR and RL turn dot's left-to-right into bottom-to-top */
			kg__prop(&e, "minlen", kg__val(&r->b, "0"));
			if (l->across)
				kg__draw_edge(&r->b, b->last, a->last, &e);
			else
				kg__draw_edge(&r->b, a->last, b->first, &e);
			e.n = 0;
			kg__prop(&e, "style", kg__val(&r->b, "invis"));
			kg__prop(&e, "class", kg__val(&r->b, "kg-legend"));
		}
		if (i + step < n) {
			/* the row below: two ranks on when samples take a rank */
			uint32_t x = l->entries.v[i].last, y = l->entries.v[i + step].first;
			if (l->across)
				kg__prop(&e, "minlen", kg__val(&r->b, "2"));
			if (r->rankdir == 2 || r->rankdir == 3) {
				uint32_t t = x;
				x = y;
				y = t;
			}
			kg__draw_edge(&r->b, x, y, &e);
		}
	}
}

/* With a kept layout the legend is not laid out but set beside the
 * drawing (drawing.h, kg__anchor_nodes): the heading, then the entries in
 * columns of LEGEND_ROW, an entity type's sample at the left of its
 * column, a line's sample running into its text. Offsets in points from
 * the legend's top left, y upwards as Graphviz has it. */
#define GRID_COLUMN 270.0
#define GRID_ROW 44.0

static void anchor(legend *l, uint32_t node, double dx, double dy)
{
	kg__ranchor a = {node, dx, dy};
	if (KG_VEC_PUSH(l->r->b.d->anchored, a))
		l->r->b.err = KG_ENOMEM;
}

static void grid(legend *l)
{
	size_t i;

	for (i = 0; i < l->entries.n; i++) {
		const entry *e = &l->entries.v[i];
		size_t k = i ? i - 1 : 0; /* entries after the heading */
		double x = (double)(k / LEGEND_ROW) * GRID_COLUMN, y = i ? -GRID_ROW * (double)(k % LEGEND_ROW + 1) : 0;
		if (e->first == e->last) {
			anchor(l, e->first, x + 50, y);
		} else {
			anchor(l, e->first, x, y);
			anchor(l, e->last, x + 170, y);
		}
	}
}

void kg__add_legend(kg__render *r)
{
	const kg_graph *g = r->g;
	const kg__theme *th = r->th;
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g), i;
	/* With a path highlighted, every other relation is drawn faded, so
	 * the relation types' colours appear nowhere in the picture: the
	 * legend lists the path instead of them. */
	bool rtypes = r->nrtypes_used && !r->sel.highlight &&
	              (!r->edge_text || r->nrtypes_used <= LEGEND_MAX_RTYPES_LABELLED);
	size_t listed = 0;
	legend l;
	kg__props p;

	memset(&l, 0, sizeof l);
	l.r = r;
	l.dot = strcmp(r->engine, "dot") == 0;
	l.across = l.dot && (r->rankdir == 1 || r->rankdir == 3);
	if (!r->clusters_drawn) {
		/* Engines without clusters get a heading instead of the box label. */
		uint32_t h = text_node(&l, kg__val(&r->b, "legend"), kg__val(&r->b, "Legend"), "13", NO_VALUE, NULL);
		add_entry(&l, h, h);
	}
	for (i = 0; i < nt; i++) {
		uint32_t n;
		if (!r->type_used[i])
			continue;
		p.n = 0;
		kg__prop(&p, "id", kg__valf(&r->b, "legend-e-%s", kg_type_name(g, (uint32_t)i)));
		kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
		kg__prop(&p, "label", kg__type_label(r, (uint32_t)i));
		kg__prop(&p, "tooltip", kg__valf(&r->b, "entity type %s", kg_type_name(g, (uint32_t)i)));
		kg__prop_all(&p, &r->type_style[i]);
		kg__prop(&p, "fontsize", kg__val(&r->b, "11"));
		n = kg__draw_node(&r->b, &p);
		add_member(&l, n);
		add_entry(&l, n, n);
	}
	for (i = 0; i < nrt && rtypes; i++) {
		char key[300];
		if (!r->rtype_used[i] || r->rtype_slot[i] == KG_NONE)
			continue;
		if (++listed > LEGEND_MAX_RTYPES) {
			size_t more = r->nrtypes_used - r->nneutral_used - LEGEND_MAX_RTYPES;
			uint32_t n = text_node(&l, kg__val(&r->b, "legend-r-more"),
			                       kg__valf(&r->b, "and %zu more relation types", more), "11", NO_VALUE, NULL);
			add_entry(&l, n, n);
			break;
		}
		char tip[320];
		snprintf(key, sizeof key, "r-%s", kg_relation_type_name(g, (uint32_t)i));
		snprintf(tip, sizeof tip, "relation type %s", kg_relation_type_name(g, (uint32_t)i));
		line_entry(&l, key, kg__val_text(&r->b, kg_relation_type_label(g, (uint32_t)i), KG__ESC_LABEL, r->o->wrap),
		           tip, &r->rtype_style[i], prop_value(&r->rtype_style[i], "fontcolor"));
	}
	if (rtypes && r->nneutral_used) {
		/* Types past the distinct styles share one look; their edges
		 * name them (kg__add_relation). */
		p.n = 0;
		kg__prop(&p, "color", kg__val(&r->b, th->neutral));
		kg__prop(&p, "style", kg__val(&r->b, "solid"));
		line_entry(&l, "r-other",
		           kg__valf(&r->b, "%zu other relation type%s,\\nnamed on the edge", r->nneutral_used,
		                    r->nneutral_used == 1 ? "" : "s"),
		           NULL, &p, kg__val(&r->b, th->neutral));
	}
	if (r->sel.highlight)
		line_entry(&l, "path", kg__val(&r->b, "path"), NULL, &r->path_edge, kg__val(&r->b, th->highlight));
	if (r->o->diff_old) {
		/* what changed since the old graph, drawn as diffmark.c draws it */
		static const char *const names[] = {"added", "changed", "removed"};
		int k;
		for (k = 0; k < 3; k++) {
			p.n = 0;
			kg__prop(&p, "color", kg__val(&r->b, th->text));
			kg__prop(&p, "style", kg__val(&r->b, "solid"));
			kg__diff_props(r, &p, (uint8_t)(KG__DIFF_ADDED + k), true);
			kg__prop(&p, "class", kg__val(&r->b, "kg-legend"));
			line_entry(&l, names[k], kg__valf(&r->b, "%s since the old graph", names[k]), NULL, &p, NO_VALUE);
		}
	}
	if (r->b.err)
		goto done;
	if (r->clusters_drawn) {
		p.n = 0;
		kg__cluster_props(r, &p, "legend", kg__val(&r->b, "Legend"));
		kg__prop(&p, "labelloc", kg__val(&r->b, "t"));
		kg__prop(&p, "fillcolor", kg__val(&r->b, th->legend_fill));
		kg__prop(&p, "color", kg__val(&r->b, th->legend_line));
		kg__prop(&p, "style", kg__val(&r->b, th->mono ? "rounded" : "rounded,filled"));
		kg__draw_cluster(&r->b, &p, l.members.v, l.members.n);
	}
	if (r->keep_layout)
		grid(&l);
	else
		chain(&l);
	for (i = 0; l.dot && !r->keep_layout && i < l.entries.n; i++) {
		/* the rows as chain() made them */
		size_t rows = l.entries.n > LEGEND_ROW ? 2 : 1, step = (l.entries.n + rows - 1) / rows;
		kg__rentry e = {l.entries.v[i].first, l.entries.v[i].last, (uint32_t)(i / step)};
		if (KG_VEC_PUSH(r->b.d->legend, e))
			r->b.err = KG_ENOMEM;
	}
done:
	KG_VEC_FREE(l.entries);
	KG_VEC_FREE(l.members);
}
