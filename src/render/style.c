/*
 * style.c - how things look: colours, themes, palettes, and the
 * allowlist of Graphviz attributes that types may set as styles.
 *
 * Pipeline position: render. Themes and palettes give every entity type
 * and relation type a look that tells it apart (colour-blind safe
 * colours, then shapes and line styles, which also survive black and
 * white); a type's own style keys come after kgraph's and win. They
 * were checked against the allowlist (core/style_keys.c, shared with
 * kgraph check) before anything is drawn, so only known keys with
 * checked values reach Graphviz.
 */
#include "render/render_internal.h"
#include "kgraph/common.h"
#include "core/diag_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NBUILTIN 7

/* ---- colours -------------------------------------------------------- */

typedef struct rgb {
	double r, g, b;
} rgb;

static bool parse_hex(rgb *out, const char *s)
{
	unsigned v[6];
	size_t i, n = strlen(s);

	if (s[0] != '#' || (n != 7 && n != 9 && n != 4))
		return false;
	if (n == 4) {
		for (i = 0; i < 3; i++) {
			char c = s[1 + i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return false;
			v[2 * i] = v[2 * i + 1] = (unsigned)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
		}
	} else {
		for (i = 0; i < 6; i++) {
			char c = s[1 + i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return false;
			v[i] = (unsigned)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
		}
	}
	out->r = (v[0] * 16 + v[1]) / 255.0;
	out->g = (v[2] * 16 + v[3]) / 255.0;
	out->b = (v[4] * 16 + v[5]) / 255.0;
	return true;
}

/* "#rrggbb" for a mix of a and b: t = 0 gives a, 1 gives b. */
static void mix(char out[8], const char *a, const char *b, double t)
{
	rgb x, y;

	if (!parse_hex(&x, a) || !parse_hex(&y, b)) {
		snprintf(out, 8, "%s", a);
		return;
	}
	snprintf(out, 8, "#%02X%02X%02X", (unsigned)lround((x.r + (y.r - x.r) * t) * 255),
	         (unsigned)lround((x.g + (y.g - x.g) * t) * 255), (unsigned)lround((x.b + (y.b - x.b) * t) * 255));
}

/* ---- themes and palettes -------------------------------------------- */

const kg__theme kg__themes[3] = {
	/* light */
	{"#FFFFFF", "#1A1A1A", "#1A1A1A", "#F7F7F7", "#BDBDBD", "#4D4D4D", "#FFFFFF", "#9E9E9E",
	 "#F4F4F4", "#CFCFCF", "#ABABAB", "#D55E00", 0.72, "#FFFFFF", 0.35, "#000000", false, "#8C8C8C"},
	/* dark */
	{"#1E1E1E", "#EEEEEE", "#F5F5F5", "#2A2A2A", "#5A5A5A", "#C8C8C8", "#262626", "#6A6A6A",
	 "#2B2B2B", "#4A4A4A", "#6E6E6E", "#FFB000", 0.62, "#1E1E1E", 0.25, "#FFFFFF", false, "#9A9A9A"},
	/* print */
	{"#FFFFFF", "#000000", "#000000", "#FFFFFF", "#000000", "#000000", "#FFFFFF", "#000000",
	 "#FFFFFF", "#BBBBBB", "#999999", "#000000", 1.0, "#FFFFFF", 0.0, "#000000", true, "#777777"},
};

/* Built-in entity types: Okabe-Ito colours (colour-blind safe), and
 * shapes that differ even in black and white. */
static const struct {
	const char *shape, *style, *color;
} builtin_types[NBUILTIN] = {
	{"ellipse", "filled", "#E69F00"},        /* person: orange */
	{"box3d", "filled", "#56B4E9"},          /* country: sky blue */
	{"box", "filled", "#009E73"},            /* organization: bluish green */
	{"hexagon", "filled", "#D55E00"},        /* weapon: vermillion */
	{"octagon", "filled", "#CC79A7"},        /* decision: reddish purple */
	{"box", "filled,rounded", "#0072B2"},    /* event: blue */
	{"house", "filled", "#F0E442"},          /* place: yellow */
};

/* Declared types: Paul Tol's muted scheme, and shapes the built-ins do
 * not use. Not egg: at a label's width it is an ellipse, the person's
 * shape, and in the print theme shape is all that tells types apart. */
static const char *const extra_colors[] = {"#332288", "#117733", "#44AA99", "#88CCEE",
                                           "#DDCC77", "#CC6677", "#AA4499", "#882255"};
static const char *const extra_shapes[] = {"note", "tab", "folder", "component", "cylinder",
                                           "trapezium", "pentagon", "septagon", "invtrapezium",
                                           "doubleoctagon", "Msquare"};

/* Relation types: colour by index, then line style; in print, line style
 * then arrowhead. */
static const char *const rel_colors_light[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                               "#E69F00", "#56B4E9", "#000000"};
static const char *const rel_colors_dark[] = {"#56B4E9", "#E69F00", "#009E73", "#CC79A7",
                                              "#D55E00", "#F0E442", "#DDDDDD"};
static const char *const rel_styles[] = {"solid", "dashed", "dotted"};
/* Print line styles: dash pattern, then width. A width, not Graphviz's
 * `bold`, which the edges' own penwidth overrides. */
static const struct {
	const char *style, *penwidth;
} print_styles[] = {
	{"solid", NULL}, {"dashed", NULL}, {"dotted", NULL}, {"solid", "2.6"}, {"dashed", "2.6"}, {"dotted", "2.6"},
};
static const char *const print_arrows[] = {"normal", "empty", "vee", "diamond", "odiamond", "dot", "odot", "box"};

/* In print every type is black on white, so types of the same shape (a
 * declared `shape:` may repeat a built-in's: a group drawn as an ellipse
 * like a person) are told apart by a grey fill, then a dashed outline.
 * Not a second outline: that marks the focus and a path's ends. */
static const struct {
	const char *fill;
	bool dashed;
} print_looks[] = {
	{"#FFFFFF", false}, {"#DDDDDD", false}, {"#AAAAAA", false},
	{"#FFFFFF", true},  {"#DDDDDD", true},  {"#AAAAAA", true},
};

/* ---- the style plan -------------------------------------------------- */

/* Distinct relation styles: colours x dash patterns, or in print dash
 * patterns x arrowheads for a directed type and the dash pattern alone
 * for a symmetric one, which is drawn without arrowheads. */
static size_t rel_style_count(const kg__render *r, bool symmetric)
{
	if (!r->th->mono)
		return KG__COUNT(rel_colors_light) * KG__COUNT(rel_styles);
	return symmetric ? KG__COUNT(print_styles) : KG__COUNT(print_styles) * KG__COUNT(print_arrows);
}

typedef struct ranked {
	size_t uses;
	const char *name;
	uint32_t index;
} ranked;

static int by_use(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->uses != y->uses)
		return x->uses > y->uses ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The value of a type's (or relation type's) own style key, or NULL. */
static const char *own_key(const kg_graph *g, uint32_t t, const char *key, bool relation)
{
	size_t i, n = relation ? kg_relation_type_attr_count(g, t) : kg_type_attr_count(g, t);
	for (i = 0; i < n; i++) {
		kg_attr a = relation ? kg_relation_type_attr(g, t, i) : kg_type_attr(g, t, i);
		if (strcmp(a.key, key) == 0)
			return a.value;
	}
	return NULL;
}

static const char *type_key(const kg_graph *g, uint32_t t, const char *key)
{
	return own_key(g, t, key, false);
}

static const char *rtype_key(const kg_graph *g, uint32_t t, const char *key)
{
	return own_key(g, t, key, true);
}

/* Colours closer than this (RGB distance, 0-1 per channel) look alike
 * as light fills. */
#define NEAR_COLOUR 0.33

static bool near_colour(const char *a, const char *b)
{
	rgb x, y;
	if (!parse_hex(&x, a) || !parse_hex(&y, b))
		return strcasecmp(a, b) == 0;
	return sqrt((x.r - y.r) * (x.r - y.r) + (x.g - y.g) * (x.g - y.g) + (x.b - y.b) * (x.b - y.b)) < NEAR_COLOUR;
}

/* Whether the automatic choice `v` is taken: by a built-in type, by a
 * type's own key, or by an earlier automatic choice. */
static bool shape_taken(const kg__render *r, size_t upto, size_t pick)
{
	const kg_graph *g = r->g;
	const char *v = extra_shapes[pick];
	size_t t, nt = kg_graph_type_count(g);

	for (t = 0; t < NBUILTIN; t++)
		if (strcmp(builtin_types[t].shape, v) == 0)
			return true;
	for (t = 0; t < nt; t++) {
		const char *own = type_key(g, (uint32_t)t, "shape");
		if ((own && strcmp(own, v) == 0) || (t < upto && r->auto_shape[t] == pick))
			return true;
	}
	return false;
}

static bool colour_taken(const kg__render *r, size_t upto, size_t pick)
{
	const kg_graph *g = r->g;
	const char *v = extra_colors[pick];
	size_t t, nt = kg_graph_type_count(g);

	for (t = 0; t < NBUILTIN; t++)
		if (near_colour(builtin_types[t].color, v))
			return true;
	for (t = 0; t < nt; t++) {
		const char *own = type_key(g, (uint32_t)t, "color");
		if ((own && near_colour(own, v)) || (t < upto && r->auto_color[t] == pick))
			return true;
	}
	return false;
}

/* What type t looks like in print before its fill and outline: its
 * shape, style and outlines, kgraph's or its own keys. */
static void print_base(const kg__render *r, uint32_t t, const char *look[3])
{
	const char *own;

	look[0] = t < NBUILTIN ? builtin_types[t].shape : extra_shapes[r->auto_shape[t]];
	look[1] = t < NBUILTIN ? builtin_types[t].style : "filled";
	look[2] = "1";
	if ((own = type_key(r->g, t, "shape")))
		look[0] = own;
	if ((own = type_key(r->g, t, "style")))
		look[1] = own;
	if ((own = type_key(r->g, t, "peripheries")))
		look[2] = own;
}

/* Graphviz's style words, as bits, so that "dashed,filled" and
 * "filled, dashed" compare equal. */
static const char *const style_words[] = {"dashed", "dotted", "bold",     "invis",   "tapered", "filled",
                                          "rounded", "diagonals", "striped", "wedged", "radial"};
#define STYLE_DASHED 1u
#define STYLE_FILLED (1u << 5)

static unsigned style_bits(const char *s)
{
	unsigned bits = 0;
	size_t k, n;

	while (s && *s) {
		while (*s == ' ' || *s == ',')
			s++;
		n = strcspn(s, ", ");
		for (k = 0; k < KG__COUNT(style_words); k++)
			if (strlen(style_words[k]) == n && strncmp(s, style_words[k], n) == 0)
				bits |= 1u << k;
		s += n;
	}
	return bits;
}

/* What an entity type looks like on paper with print look k: what
 * kg__type_style draws, less the colours the print theme ignores. */
typedef struct node_look {
	const char *shape, *fill;
	unsigned style;
	double peripheries;
} node_look;

static node_look print_node_look(const kg__render *r, uint32_t t, uint32_t k)
{
	const char *base[3];
	node_look l;

	print_base(r, t, base);
	l.shape = base[0];
	l.style = style_bits(base[1]) | (print_looks[k].dashed ? STYLE_DASHED : 0);
	l.fill = l.style & STYLE_FILLED ? print_looks[k].fill : "";
	l.peripheries = kg__strtod(base[2], NULL);
	return l;
}

static bool same_node_look(const node_look *a, const node_look *b)
{
	return strcmp(a->shape, b->shape) == 0 && a->style == b->style && strcmp(a->fill, b->fill) == 0 &&
	       a->peripheries == b->peripheries;
}

/* The first print look that makes type t look like no earlier type (in
 * declaration order, so from the graph alone). Whole looks are compared,
 * the type's own style keys included: a type declared `style:
 * "filled,dashed"` and an automatic dashed outline of the same shape
 * look alike whatever their keys say. */
static uint32_t print_look(const kg__render *r, uint32_t t)
{
	uint32_t u, k;
	bool taken;

	for (k = 0; k < KG__COUNT(print_looks); k++) {
		node_look mine = print_node_look(r, t, k);
		for (u = 0, taken = false; u < t && !taken; u++) {
			node_look theirs = print_node_look(r, u, r->print_look[u]);
			taken = same_node_look(&mine, &theirs);
		}
		if (!taken)
			return k;
	}
	return 0; /* seven types of one shape: a repeat is unavoidable */
}

/* What a relation type's line looks like on paper in print style
 * `slot`: what kg__rtype_style draws, the type's own keys included. */
typedef struct line_look {
	unsigned style;
	double width;
	const char *head, *tail;
} line_look;

static const char *const line_keys[] = {"style", "penwidth", "arrowhead", "arrowtail", "dir"};

static line_look print_line_look(const kg__render *r, uint32_t t, size_t slot)
{
	const char *width = print_styles[slot % KG__COUNT(print_styles)].penwidth, *dir = "forward", *own;
	line_look l;

	l.style = style_bits(print_styles[slot % KG__COUNT(print_styles)].style);
	l.head = print_arrows[slot / KG__COUNT(print_styles) % KG__COUNT(print_arrows)];
	l.tail = "normal";
	if (kg_relation_type_is_symmetric(r->g, t))
		dir = "none";
	if ((own = rtype_key(r->g, t, "style")))
		l.style = style_bits(own);
	if ((own = rtype_key(r->g, t, "penwidth")))
		width = own;
	if ((own = rtype_key(r->g, t, "arrowhead")))
		l.head = own;
	if ((own = rtype_key(r->g, t, "arrowtail")))
		l.tail = own;
	if ((own = rtype_key(r->g, t, "dir")))
		dir = own;
	l.width = width ? kg__strtod(width, NULL) : 1;
	if (strcmp(dir, "none") == 0 || strcmp(dir, "back") == 0)
		l.head = "none";
	if (strcmp(dir, "none") == 0 || strcmp(dir, "forward") == 0)
		l.tail = "none";
	return l;
}

static bool same_line_look(const line_look *a, const line_look *b)
{
	return a->style == b->style && fabs(a->width - b->width) < 0.05 && strcmp(a->head, b->head) == 0 &&
	       strcmp(a->tail, b->tail) == 0;
}

/* Whether relation type t has style keys of its own that shape its line. */
static bool own_line(const kg__render *r, uint32_t t)
{
	size_t k;
	for (k = 0; k < KG__COUNT(line_keys); k++)
		if (rtype_key(r->g, t, line_keys[k]))
			return true;
	return false;
}

/* The print plan of relation types (order: by use). A type with keys of
 * its own goes first and takes the first free style that, with its keys
 * on top, looks like no type planned before it; when its keys decide
 * the whole look, it takes a style number without using it up. Then the
 * others, by use, take the first free style whose look no declared type
 * has: so an automatic style never repeats a declared one. In
 * O(T x S x D) for T types, S styles and D types with keys of their own. */
static int print_slots(kg__render *r, const ranked *order, size_t nrt)
{
	size_t nstyles = KG__COUNT(print_styles) * KG__COUNT(print_arrows), i, s, k;
	uint8_t *used = kg__calloc(2 * nstyles, 1);
	line_look *declared = kg__calloc(nrt ? nrt : 1, sizeof *declared);
	size_t ndeclared = 0;
	int pass;

	if (!used || !declared) {
		kg__free(used);
		kg__free(declared);
		return KG_ENOMEM;
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nrt; i++) {
			uint32_t t = order[i].index;
			bool sym = kg_relation_type_is_symmetric(r->g, t), mine = own_line(r, t), fixed = true;
			size_t count = rel_style_count(r, sym);
			if (mine != (pass == 0))
				continue;
			r->rtype_slot[t] = KG_NONE;
			for (s = 0; s < count && r->rtype_slot[t] == KG_NONE; s++) {
				line_look l = print_line_look(r, t, s);
				bool taken = used[sym * nstyles + s];
				for (k = 0; k < ndeclared && !taken; k++)
					taken = same_line_look(&l, &declared[k]);
				if (!taken)
					r->rtype_slot[t] = (uint32_t)s;
			}
			if (r->rtype_slot[t] == KG_NONE)
				continue;
			if (mine) {
				line_look l = print_line_look(r, t, r->rtype_slot[t]);
				for (s = 0; s < count && fixed; s++) {
					line_look o = print_line_look(r, t, s);
					fixed = same_line_look(&l, &o);
				}
				declared[ndeclared++] = l;
			}
			if (!fixed || !mine)
				used[sym * nstyles + r->rtype_slot[t]] = 1;
		}
	kg__free(used);
	kg__free(declared);
	return KG_OK;
}

/* The first palette entry not taken; when all are, the type's own turn
 * through the palette (repeats are then unavoidable). */
static uint32_t first_free(const kg__render *r, size_t t, size_t n, bool (*taken)(const kg__render *, size_t, size_t))
{
	size_t k;
	for (k = 0; k < n; k++)
		if (!taken(r, t, k))
			return (uint32_t)k;
	return (uint32_t)((t - NBUILTIN) % n);
}

int kg__style_plan(kg__render *r)
{
	const kg_graph *g = r->g;
	size_t nrt = kg_graph_relation_type_count(g), nt = kg_graph_type_count(g);
	size_t i, given = 0;
	ranked *order = kg__calloc(nrt ? nrt : 1, sizeof *order);

	r->rtype_slot = kg__calloc(nrt ? nrt : 1, sizeof *r->rtype_slot);
	r->auto_shape = kg__calloc(nt ? nt : 1, sizeof *r->auto_shape);
	r->auto_color = kg__calloc(nt ? nt : 1, sizeof *r->auto_color);
	r->print_look = kg__calloc(nt ? nt : 1, sizeof *r->print_look);
	if (!order || !r->rtype_slot || !r->auto_shape || !r->auto_color || !r->print_look) {
		kg__free(order);
		return KG_ENOMEM;
	}
	/* Relation types by use in the whole graph, then name: the most used
	 * keep a style of their own when there are more types than styles.
	 * The count is the one the graph keeps (kg_relation_type_use_count),
	 * not one taken over the relations at hand: a part of a graph fetched
	 * from a database (kgraph/db.h) then gets the colours the whole graph
	 * gives, so that render --db draws as render on the files. */
	for (i = 0; i < nrt; i++) {
		order[i].name = kg_relation_type_name(g, (uint32_t)i);
		order[i].index = (uint32_t)i;
		order[i].uses = kg_relation_type_use_count(g, (uint32_t)i);
	}
	qsort(order, nrt, sizeof *order, by_use);
	for (i = 0; i < nrt && !r->th->mono; i++)
		r->rtype_slot[order[i].index] = given < rel_style_count(r, false) ? (uint32_t)given++ : KG_NONE;
	if (r->th->mono && print_slots(r, order, nrt) != KG_OK) {
		kg__free(order);
		return KG_ENOMEM;
	}
	kg__free(order);
	/* Declared types without a shape or colour of their own take the
	 * first one no other type has, so no two types look alike. */
	for (i = 0; i < nt; i++) {
		r->auto_shape[i] = r->auto_color[i] = KG_NONE;
		if (i < NBUILTIN)
			continue;
		r->auto_shape[i] = first_free(r, i, KG__COUNT(extra_shapes), shape_taken);
		r->auto_color[i] = first_free(r, i, KG__COUNT(extra_colors), colour_taken);
	}
	for (i = 0; i < nt; i++)
		r->print_look[i] = print_look(r, (uint32_t)i);
	return KG_OK;
}

void kg__type_style(kg__render *r, uint32_t t, kg__props *p)
{
	const kg__theme *th = r->th;
	const char *shape, *style = "filled", *color;
	char fill[8], line[8];
	const char *user_fill = NULL;
	bool user_color = false;
	size_t i, n = kg_type_attr_count(r->g, t);

	if (t < NBUILTIN) {
		shape = builtin_types[t].shape;
		style = builtin_types[t].style;
		color = builtin_types[t].color;
	} else {
		shape = extra_shapes[r->auto_shape[t]];
		color = extra_colors[r->auto_color[t]];
	}
	for (i = 0; i < n && !th->mono; i++) {
		kg_attr a = kg_type_attr(r->g, t, i);
		if (strcmp(a.key, "color") == 0) {
			color = a.value;
			user_color = true;
		} else if (strcmp(a.key, "fillcolor") == 0)
			user_fill = a.value;
	}
	p->n = 0;
	kg__prop(p, "shape", kg__val(&r->b, shape));
	kg__prop(p, "style", kg__val(&r->b, style));
	if (th->mono) {
		kg__prop(p, "color", kg__val(&r->b, "#000000"));
		kg__prop(p, "fillcolor", kg__val(&r->b, print_looks[r->print_look[t]].fill));
	} else {
		rgb dummy;
		mix(line, color, "#000000", th == &kg__themes[1] ? 0.0 : 0.25);
		if (user_fill)
			kg__prop(p, "fillcolor", kg__val(&r->b, user_fill));
		else if (parse_hex(&dummy, color)) {
			mix(fill, color, th->fill_base, th->fill_mix);
			kg__prop(p, "fillcolor", kg__val(&r->b, fill));
		} else
			kg__prop(p, "fillcolor", kg__val(&r->b, color));
		kg__prop(p, "color", kg__val(&r->b, user_color && !parse_hex(&dummy, color) ? color : line));
	}
	for (i = 0; i < n; i++) {
		kg_attr a = kg_type_attr(r->g, t, i);
		if (strcmp(a.key, "color") == 0 || strcmp(a.key, "fillcolor") == 0)
			continue;
		if (th->mono && strcmp(a.key, "fontcolor") == 0)
			continue;
		kg__prop(p, a.key, kg__val(&r->b, a.value));
	}
	if (th->mono && print_looks[r->print_look[t]].dashed) {
		const char *own = type_key(r->g, t, "style");
		kg__prop(p, "style", kg__valf(&r->b, "%s,dashed", own ? own : style));
	}
}

/* The style of relation type t: kgraph's, then the type's own keys.
 * Colours and line styles go by the type's slot in the graph's style
 * plan (kg__style_plan), not by what this picture draws, so a type looks
 * the same in every figure of the graph; past the distinct styles a type
 * is drawn neutral and its edges always say what it is (elements.c). */
void kg__rtype_style(kg__render *r, uint32_t t, kg__props *p)
{
	const kg__theme *th = r->th;
	uint32_t slot = r->rtype_slot[t];
	const char *color, *style = "solid";
	const char *user_font = NULL;
	char font[8];
	size_t i, n = kg_relation_type_attr_count(r->g, t);
	rgb dummy;

	p->n = 0;
	if (slot == KG_NONE)
		color = th->neutral;
	else if (th->mono)
		color = "#000000";
	else
		color = th == &kg__themes[1] ? rel_colors_dark[slot % KG__COUNT(rel_colors_dark)]
		                             : rel_colors_light[slot % KG__COUNT(rel_colors_light)];
	if (th->mono) {
		if (slot != KG_NONE) {
			style = print_styles[slot % KG__COUNT(print_styles)].style;
			if (print_styles[slot % KG__COUNT(print_styles)].penwidth)
				kg__prop(p, "penwidth", kg__val(&r->b, print_styles[slot % KG__COUNT(print_styles)].penwidth));
			if (!kg_relation_type_is_symmetric(r->g, t))
				kg__prop(p, "arrowhead", kg__val(&r->b, print_arrows[slot / KG__COUNT(print_styles)]));
		}
	} else {
		if (slot != KG_NONE)
			style = rel_styles[slot / KG__COUNT(rel_colors_light)];
		for (i = 0; i < n; i++) {
			kg_attr a = kg_relation_type_attr(r->g, t, i);
			if (strcmp(a.key, "color") == 0)
				color = a.value;
			else if (strcmp(a.key, "fontcolor") == 0)
				user_font = a.value;
		}
	}
	kg__prop(p, "color", kg__val(&r->b, color));
	kg__prop(p, "style", kg__val(&r->b, style));
	if (user_font)
		kg__prop(p, "fontcolor", kg__val(&r->b, user_font));
	else if (parse_hex(&dummy, color)) {
		mix(font, color, th->text_base, th->text_mix);
		kg__prop(p, "fontcolor", kg__val(&r->b, font));
	} else
		kg__prop(p, "fontcolor", kg__val(&r->b, color));
	if (kg_relation_type_is_symmetric(r->g, t))
		kg__prop(p, "dir", kg__val(&r->b, "none"));
	for (i = 0; i < n; i++) {
		kg_attr a = kg_relation_type_attr(r->g, t, i);
		if (strcmp(a.key, "color") == 0 || strcmp(a.key, "fontcolor") == 0)
			continue;
		kg__prop(p, a.key, kg__val(&r->b, a.value));
	}
}

void kg__theme_props(kg__render *r)
{
	const kg__theme *th = r->th;
	r->faded_node.n = 0;
	kg__prop(&r->faded_node, "fillcolor", kg__val(&r->b, th->faded_fill));
	kg__prop(&r->faded_node, "color", kg__val(&r->b, th->faded_line));
	kg__prop(&r->faded_node, "fontcolor", kg__val(&r->b, th->faded_text));
	r->faded_edge.n = 0;
	kg__prop(&r->faded_edge, "color", kg__val(&r->b, th->faded_line));
	kg__prop(&r->faded_edge, "fontcolor", kg__val(&r->b, th->faded_text));
	r->path_node.n = 0;
	kg__prop(&r->path_node, "color", kg__val(&r->b, th->highlight));
	kg__prop(&r->path_node, "penwidth", kg__val(&r->b, "3"));
	r->path_edge.n = 0;
	kg__prop(&r->path_edge, "color", kg__val(&r->b, th->highlight));
	kg__prop(&r->path_edge, "fontcolor", kg__val(&r->b, th->highlight));
	kg__prop(&r->path_edge, "penwidth", kg__val(&r->b, "3"));
	/* solid whatever the type's own dash pattern: the path is one line */
	kg__prop(&r->path_edge, "style", kg__val(&r->b, "solid"));
	kg__prop(&r->path_edge, "arrowsize", kg__val(&r->b, "1"));
}
