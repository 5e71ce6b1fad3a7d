/*
 * render.c - decide what to draw and how it looks, for every output
 * format; no Graphviz here.
 *
 * Pipeline position: graph (+ query results) -> render. Uses only the
 * public graph and query interfaces. It
 *   1. checks the options and the style keys of types and relation types
 *      against an allowlist of Graphviz attributes;
 *   2. selects the entities and relations to draw (focus and depth via
 *      kg_query_neighbors, entity types, the relation filter via
 *      kg_filter_admits, paths);
 *   3. builds a drawing (render_internal.h): every node, edge and cluster
 *      with its final Graphviz attributes - theme, palette, user styles,
 *      labels, tooltips, links, legend, title;
 *   4. hands the drawing to render_dot.c (DOT text) or render_gv.c
 *      (Graphviz layout and rendering in a child process).
 *
 * Invariants. Objects are emitted in graph index order, so the same input
 * gives the same bytes. User text reaches a drawing only through
 * put_text() (escString escaping) or put_url() (scheme allowlist and
 * percent-encoding); ids in the drawing come from entity and type ids,
 * whose syntax ([A-Za-z0-9][A-Za-z0-9_.-]*) needs no escaping.
 */
#define _POSIX_C_SOURCE 200809L

#include "kgraph/render.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "core/diag_internal.h"
#include "render/render_internal.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NBUILTIN 7

/* Add a diagnostic; only running out of memory is a failure (a NULL list
 * simply discards). Returns the new diagnostic's index, or -1 on ENOMEM. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static long diag(kg_diag_list *diags, kg_severity sev, const kg_location *where, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t at = kg_diag_list_count(diags);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!diags)
		return 0;
	if (kg_diag_list_add(diags, sev, where && where->file ? where : NULL, msg, NULL, NULL, NULL) == KG_ENOMEM)
		return -1;
	return (long)at;
}

/* The name in names[] closest to text within a small edit distance, or NULL. */
static const char *closest(const char *text, const char *const *names, size_t n)
{
	size_t len = strlen(text), i;
	unsigned best = kg__suggest_distance(len) + 1;
	const char *near = NULL;

	for (i = 0; i < n; i++) {
		unsigned d = kg__edit_distance(text, len, names[i], strlen(names[i]), best - 1);
		if (d < best) {
			best = d;
			near = names[i];
		}
	}
	return near;
}

/* An error about an unknown name, with a did-you-mean hint. */
static int unknown_name(kg_diag_list *diags, const kg_location *where, int rc, const char *what,
                        const char *name, const char *const *names, size_t n, const char *prefix)
{
	const char *near = closest(name, names, n);
	long at = diag(diags, KG_SEV_ERROR, where, "%sunknown %s '%s'", prefix ? prefix : "", what, name);

	if (at < 0)
		return KG_ENOMEM;
	if (diags) {
		if (near)
			kg__diag_hintf(diags, (size_t)at, "did you mean '%s'?", near);
		else {
			char list[512] = "";
			size_t i;
			for (i = 0; i < n && strlen(list) + strlen(names[i]) + 3 < sizeof list; i++) {
				strcat(list, i ? ", " : "");
				strcat(list, names[i]);
			}
			kg__diag_hintf(diags, (size_t)at, "one of: %s", list);
		}
	}
	return rc;
}

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

/* The index of name in names (any case), or -1. */
static int name_index(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

void kg_render_free(unsigned char *data)
{
	kg__free(data);
}

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

typedef struct theme {
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
} theme;

static const theme themes[3] = {
	/* light */
	{"#FFFFFF", "#1A1A1A", "#1A1A1A", "#F7F7F7", "#BDBDBD", "#4D4D4D", "#FFFFFF", "#9E9E9E",
	 "#F4F4F4", "#CFCFCF", "#ABABAB", "#D55E00", 0.72, "#FFFFFF", 0.35, "#000000", false},
	/* dark */
	{"#1E1E1E", "#EEEEEE", "#F5F5F5", "#2A2A2A", "#5A5A5A", "#C8C8C8", "#262626", "#6A6A6A",
	 "#2B2B2B", "#4A4A4A", "#6E6E6E", "#FFB000", 0.62, "#1E1E1E", 0.25, "#FFFFFF", false},
	/* print */
	{"#FFFFFF", "#000000", "#000000", "#FFFFFF", "#000000", "#000000", "#FFFFFF", "#000000",
	 "#FFFFFF", "#BBBBBB", "#999999", "#000000", 1.0, "#FFFFFF", 0.0, "#000000", true},
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
 * not use. */
static const char *const extra_colors[] = {"#332288", "#117733", "#44AA99", "#88CCEE",
                                           "#DDCC77", "#CC6677", "#AA4499", "#882255"};
static const char *const extra_shapes[] = {"note", "tab", "folder", "component", "cylinder", "egg",
                                           "trapezium", "pentagon", "septagon", "invtrapezium",
                                           "doubleoctagon", "Msquare"};

/* Relation types: colour by index, then line style; in print, line style
 * then arrowhead. */
static const char *const rel_colors_light[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                               "#E69F00", "#56B4E9", "#000000"};
static const char *const rel_colors_dark[] = {"#56B4E9", "#E69F00", "#009E73", "#CC79A7",
                                              "#D55E00", "#F0E442", "#DDDDDD"};
static const char *const rel_styles[] = {"solid", "dashed", "dotted"};
static const char *const print_styles[] = {"solid", "dashed", "dotted", "bold"};
static const char *const print_arrows[] = {"normal", "empty", "vee", "diamond", "odiamond", "dot", "odot", "box"};

#define FONT "Helvetica"

/* ---- the style-key allowlist ---------------------------------------- */

typedef enum vkind { V_COLOR, V_SHAPE, V_NSTYLE, V_ESTYLE, V_NUM, V_INT, V_ARROW, V_DIR, V_BOOL } vkind;

typedef struct allowed {
	const char *key;
	vkind kind;
	double min, max;
} allowed;

static const allowed node_keys[] = {
	{"shape", V_SHAPE, 0, 0},       {"color", V_COLOR, 0, 0},         {"fillcolor", V_COLOR, 0, 0},
	{"fontcolor", V_COLOR, 0, 0},   {"fontsize", V_NUM, 4, 72},       {"style", V_NSTYLE, 0, 0},
	{"penwidth", V_NUM, 0, 10},     {"peripheries", V_INT, 0, 5},     {"width", V_NUM, 0.05, 10},
	{"height", V_NUM, 0.05, 10},    {"margin", V_NUM, 0, 2},          {"sides", V_INT, 3, 20},
	{"skew", V_NUM, -1, 1},         {"distortion", V_NUM, -1, 1},     {"orientation", V_NUM, -360, 360},
	{"regular", V_BOOL, 0, 0},      {"gradientangle", V_INT, 0, 360},
};
static const allowed edge_keys[] = {
	{"color", V_COLOR, 0, 0},       {"fontcolor", V_COLOR, 0, 0},     {"fontsize", V_NUM, 4, 72},
	{"style", V_ESTYLE, 0, 0},      {"penwidth", V_NUM, 0, 10},       {"arrowhead", V_ARROW, 0, 0},
	{"arrowtail", V_ARROW, 0, 0},   {"arrowsize", V_NUM, 0.1, 5},     {"dir", V_DIR, 0, 0},
	{"weight", V_INT, 0, 1000},     {"minlen", V_INT, 0, 10},         {"constraint", V_BOOL, 0, 0},
};

/* Keys refused outright, and why. */
static const struct {
	const char *key, *why;
} forbidden_keys[] = {
	{"image", "it makes Graphviz read a file"},
	{"imagescale", "images are not allowed"},
	{"imagepos", "images are not allowed"},
	{"shapefile", "it makes Graphviz read a file"},
	{"fontpath", "it makes Graphviz read files"},
	{"imagepath", "it makes Graphviz read files"},
	{"stylesheet", "it makes the SVG load a file"},
	{"fontname", "kgraph chooses fonts by theme"},
	{"URL", "links come from entities' url attributes and sources' urls"},
	{"href", "links come from entities' url attributes and sources' urls"},
	{"labelURL", "links come from entities' url attributes and sources' urls"},
	{"labelhref", "links come from entities' url attributes and sources' urls"},
	{"headURL", "links come from entities' url attributes and sources' urls"},
	{"headhref", "links come from entities' url attributes and sources' urls"},
	{"tailURL", "links come from entities' url attributes and sources' urls"},
	{"tailhref", "links come from entities' url attributes and sources' urls"},
	{"edgeURL", "links come from entities' url attributes and sources' urls"},
	{"edgehref", "links come from entities' url attributes and sources' urls"},
	{"target", "links come from entities' url attributes and sources' urls"},
	{"splines", "it applies to the whole drawing, and some of its values crash Graphviz"},
	{"layout", "the engine is a render option"},
	{"id", "kgraph sets it"},
	{"class", "kgraph sets it"},
	{"label", "kgraph sets it"},
	{"xlabel", "kgraph sets it"},
	{"headlabel", "kgraph sets it"},
	{"taillabel", "kgraph sets it"},
	{"tooltip", "kgraph sets it"},
	{"labeltooltip", "kgraph sets it"},
	{"comment", "kgraph sets it"},
};

static const char *const shapes[] = {
	"box", "polygon", "ellipse", "oval", "circle", "point", "egg", "triangle", "plaintext", "plain",
	"diamond", "trapezium", "parallelogram", "house", "pentagon", "hexagon", "septagon", "octagon",
	"doublecircle", "doubleoctagon", "tripleoctagon", "invtriangle", "invtrapezium", "invhouse",
	"Mdiamond", "Msquare", "Mcircle", "rect", "rectangle", "square", "star", "none", "underline",
	"cylinder", "note", "tab", "folder", "box3d", "component", "promoter", "cds", "terminator", "utr",
	"primersite", "restrictionsite", "fivepoverhang", "threepoverhang", "noverhang", "assembly",
	"signature", "insulator", "ribosite", "rnastab", "proteasesite", "proteinstab", "rpromoter",
	"rarrow", "larrow", "lpromoter"};
static const char *const node_styles[] = {"filled", "invis", "dashed", "dotted", "solid", "bold",
                                          "rounded", "diagonals", "striped", "wedged", "radial"};
static const char *const edge_styles[] = {"solid", "dashed", "dotted", "bold", "invis", "tapered"};
static const char *const arrow_shapes[] = {"box", "crow", "curve", "icurve", "diamond", "dot",
                                           "inv", "none", "normal", "tee", "vee"};
static const char *const arrow_legacy[] = {"ediamond", "open", "halfopen", "empty", "invempty"};
static const char *const dirs[] = {"forward", "back", "both", "none"};
static const char *const bools[] = {"true", "false", "yes", "no", "1", "0"};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* An arrowType: up to four shapes, each optionally prefixed with o
 * (open) and then l or r (half). */
static bool valid_arrow(const char *s)
{
	size_t i, parts = 0;

	if (name_index(s, arrow_legacy, COUNT(arrow_legacy)) >= 0)
		return true;
	while (*s) {
		bool found = false;
		if (++parts > 4)
			return false;
		if (*s == 'o' && strncmp(s, "none", 4) != 0)
			s++;
		if (*s == 'l' || *s == 'r')
			s++;
		for (i = 0; i < COUNT(arrow_shapes); i++) {
			size_t n = strlen(arrow_shapes[i]);
			if (strncmp(s, arrow_shapes[i], n) == 0) {
				s += n;
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return parts > 0;
}

/* Check one style value; on a problem add an error (prefix names the
 * type) and return KG_EINVALID. */
static int check_value(kg_diag_list *diags, const kg_location *at, const char *prefix, const char *key,
                       const allowed *a, const char *v)
{
	long d;

	switch (a->kind) {
	case V_SHAPE:
		if (strcmp(v, "record") == 0 || strcmp(v, "Mrecord") == 0) {
			d = diag(diags, KG_SEV_ERROR, at, "%sshape '%s' is not allowed", prefix, v);
			if (d < 0)
				return KG_ENOMEM;
			if (diags)
				kg__diag_hintf(diags, (size_t)d, "record shapes read '|', '{' and '}' in names as layout; use 'box' or 'rect'");
			return KG_EINVALID;
		}
		if (strcmp(v, "epsf") == 0 || strcmp(v, "custom") == 0) {
			return diag(diags, KG_SEV_ERROR, at, "%sshape '%s' is not allowed: it makes Graphviz read a file",
			            prefix, v) < 0 ? KG_ENOMEM : KG_EINVALID;
		}
		if (name_index(v, shapes, COUNT(shapes)) < 0 || strcmp(v, shapes[name_index(v, shapes, COUNT(shapes))]) != 0)
			return unknown_name(diags, at, KG_EINVALID, "shape", v, shapes, COUNT(shapes), prefix);
		return KG_OK;
	case V_NSTYLE:
	case V_ESTYLE: {
		const char *const *list = a->kind == V_NSTYLE ? node_styles : edge_styles;
		size_t n = a->kind == V_NSTYLE ? COUNT(node_styles) : COUNT(edge_styles);
		char item[64];
		const char *s = v;
		while (*s) {
			size_t len = strcspn(s, ",");
			int rc;
			snprintf(item, sizeof item, "%.*s", (int)(len < 63 ? len : 63), s);
			if (name_index(item, list, n) < 0) {
				rc = unknown_name(diags, at, KG_EINVALID, "style", item, list, n, prefix);
				return rc;
			}
			s += len;
			if (*s == ',')
				s++;
		}
		return KG_OK;
	}
	case V_COLOR: {
		size_t i, n = strlen(v);
		for (i = 0; i < n; i++) {
			char c = v[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      strchr("#.,:;/ _-", c)))
				break;
		}
		if (n == 0 || n > 64 || i < n)
			return diag(diags, KG_SEV_ERROR, at, "%s%s '%s' is not a colour", prefix, key, v) < 0
			           ? KG_ENOMEM : KG_EINVALID;
		return KG_OK;
	}
	case V_NUM:
	case V_INT: {
		char *end;
		double x;
		errno = 0;
		x = strtod(v, &end);
		if (end == v || *end || errno || !isfinite(x) || x < a->min || x > a->max ||
		    (a->kind == V_INT && x != floor(x)))
			return diag(diags, KG_SEV_ERROR, at, "%s%s '%s' must be a%s number from %g to %g", prefix, key, v,
			            a->kind == V_INT ? " whole" : "", a->min, a->max) < 0
			           ? KG_ENOMEM : KG_EINVALID;
		return KG_OK;
	}
	case V_ARROW:
		if (!valid_arrow(v))
			return unknown_name(diags, at, KG_EINVALID, "arrow", v, arrow_shapes, COUNT(arrow_shapes), prefix);
		return KG_OK;
	case V_DIR:
		if (name_index(v, dirs, COUNT(dirs)) < 0)
			return unknown_name(diags, at, KG_EINVALID, "dir", v, dirs, COUNT(dirs), prefix);
		return KG_OK;
	case V_BOOL:
		if (name_index(v, bools, COUNT(bools)) < 0)
			return unknown_name(diags, at, KG_EINVALID, "value", v, bools, COUNT(bools), prefix);
		return KG_OK;
	}
	return KG_OK;
}

/* Check one style key and value. */
static int check_style(kg_diag_list *diags, const kg_location *at, const char *prefix, kg_attr a,
                       const allowed *keys, size_t nkeys)
{
	const char *names[32];
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(a.key, keys[i].key) == 0)
			return check_value(diags, at, prefix, a.key, &keys[i], a.value);
	for (i = 0; i < COUNT(forbidden_keys); i++)
		if (strcasecmp(a.key, forbidden_keys[i].key) == 0)
			return diag(diags, KG_SEV_ERROR, at, "%sstyle key '%s' is not allowed: %s", prefix, a.key,
			            forbidden_keys[i].why) < 0 ? KG_ENOMEM : KG_EINVALID;
	for (i = 0; i < nkeys; i++)
		names[i] = keys[i].key;
	return unknown_name(diags, at, KG_EINVALID, "style key", a.key, names, nkeys, prefix);
}

/* Check the style keys of every type and relation type, reporting every
 * problem. */
static int check_styles(const kg_graph *g, kg_diag_list *diags)
{
	size_t i, j, n = kg_graph_type_count(g), nr = kg_graph_relation_type_count(g);
	char prefix[300];
	int result = KG_OK;

	for (i = 0; i < n; i++) {
		kg_location at = kg_type_location(g, (uint32_t)i);
		for (j = 0; j < kg_type_attr_count(g, (uint32_t)i); j++) {
			int rc;
			snprintf(prefix, sizeof prefix, "type '%s': ", kg_type_name(g, (uint32_t)i));
			rc = check_style(diags, at.file ? &at : NULL, prefix, kg_type_attr(g, (uint32_t)i, j), node_keys,
			                 COUNT(node_keys));
			if (rc == KG_ENOMEM)
				return rc;
			if (rc)
				result = rc;
		}
	}
	for (i = 0; i < nr; i++) {
		kg_location at = kg_relation_type_location(g, (uint32_t)i);
		for (j = 0; j < kg_relation_type_attr_count(g, (uint32_t)i); j++) {
			int rc;
			snprintf(prefix, sizeof prefix, "relation type '%s': ", kg_relation_type_name(g, (uint32_t)i));
			rc = check_style(diags, &at, prefix, kg_relation_type_attr(g, (uint32_t)i, j), edge_keys,
			                 COUNT(edge_keys));
			if (rc == KG_ENOMEM)
				return rc;
			if (rc)
				result = rc;
		}
	}
	return result;
}

/* ---- escaping -------------------------------------------------------- */

typedef enum esc {
	ESC_LABEL,  /* label, xlabel, graph and cluster labels */
	ESC_TOOLTIP /* tooltip, labeltooltip */
} esc;

/* Code points in the word starting at s (up to a space, newline or end). */
static size_t word_chars(const char *s)
{
	size_t n = 0;

	for (; *s && *s != ' ' && *s != '\n'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Append user text as a Graphviz escString, so that it is drawn exactly
 * as written:
 * - a backslash is doubled in labels; tooltips go through Graphviz's
 *   escape processing twice in 2.43 (a doubled backslash came out as
 *   \N expanded), so there it is written four times;
 * - & becomes &amp;, since Graphviz reads HTML entities in text;
 * - a newline becomes the escString \n (a centred line break); a CR is
 *   dropped and a tab becomes a space;
 * - other control characters and U+FFFE/U+FFFF, which XML cannot carry,
 *   become U+FFFD;
 * - with wrap > 0, a space becomes a line break where the line would
 *   otherwise exceed wrap characters.
 * A " needs nothing here (the DOT writer quotes it). Returns 0 or -1.
 */
static int put_text(kg__buf *b, const char *s, esc kind, unsigned wrap)
{
	size_t line = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc = 0;
		if (c == '\\')
			rc = kg__buf_add(b, "\\\\\\\\", kind == ESC_TOOLTIP ? 4 : 2);
		else if (c == '&')
			rc = kg__buf_add(b, "&amp;", 5);
		else if (c == '\n') {
			rc = kg__buf_add(b, "\\n", 2);
			line = 0;
			continue;
		} else if (c == '\r')
			continue;
		else if (c == ' ' && wrap && line && line + 1 + word_chars(s + 1) > wrap) {
			rc = kg__buf_add(b, "\\n", 2);
			line = 0;
			if (rc)
				return -1;
			continue;
		} else if (c == '\t')
			rc = kg__buf_add(b, " ", 1);
		else if (c < 0x20 || c == 0x7F)
			rc = kg__buf_add(b, "\xEF\xBF\xBD", 3);
		else if (c == 0xEF && (unsigned char)s[1] == 0xBF &&
		         ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF)) {
			rc = kg__buf_add(b, "\xEF\xBF\xBD", 3);
			s += 2;
		} else
			rc = kg__buf_add(b, s, 1);
		if (rc)
			return -1;
		if ((c & 0xC0) != 0x80)
			line++;
	}
	return 0;
}

/* Whether a url may become a link: http or https only. */
static bool url_allowed(const char *u)
{
	return (strncasecmp(u, "http://", 7) == 0 && u[7]) || (strncasecmp(u, "https://", 8) == 0 && u[8]);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Append an allowed url for Graphviz's URL attribute. Graphviz 2.43 copies
 * it into the SVG unescaped, so it must already be valid inside an XML
 * attribute: & becomes &amp; (which the SVG reader turns back into &, so
 * query strings keep their meaning); every byte outside the URI's
 * unreserved and reserved characters (", <, >, ', \, space, controls,
 * non-ASCII) is percent-encoded, as is a % not starting an escape. No
 * backslash survives, so Graphviz's escString processing cannot touch it.
 */
static int put_url(kg__buf *b, const char *u)
{
	static const char keep[] = "-._~:/?#[]@!$()*+,;=";

	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;
		int rc;
		if (c == '&')
			rc = kg__buf_add(b, "&amp;", 5);
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         (c && strchr(keep, c)) || (c == '%' && is_hex(u[1]) && is_hex(u[2])))
			rc = kg__buf_add(b, u, 1);
		else
			rc = kg__buf_printf(b, "%%%02X", c);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- building the drawing -------------------------------------------- */

void kg__rdrawing_free(kg__rdrawing *d)
{
	kg__buf_free(&d->text);
	KG_VEC_FREE(d->attrs);
	KG_VEC_FREE(d->nodes);
	KG_VEC_FREE(d->clusters);
	KG_VEC_FREE(d->members);
	KG_VEC_FREE(d->edges);
}

/* The attributes of one object while it is being put together: later
 * values replace earlier ones for the same key, in place. 40 holds
 * kgraph's own keys plus every allowlisted style key. */
#define MAXPROPS 40
typedef struct props {
	kg__rattr v[MAXPROPS];
	size_t n;
} props;

/* The drawing under construction; `err` is sticky so that the many small
 * additions need no checks of their own. */
typedef struct builder {
	kg__rdrawing *d;
	kg__buf tmp;
	int err;
} builder;

static size_t text_begin(builder *b)
{
	return b->d->text.n;
}

/* Values are appended to the drawing's text one after another, each
 * ending in a NUL; text_begin gives a value's offset, text_end closes it. */
static size_t text_end(builder *b, size_t start)
{
	if (kg__buf_add(&b->d->text, "", 1)) /* the NUL separator */
		b->err = KG_ENOMEM;
	return start;
}

static size_t value(builder *b, const char *s)
{
	size_t at = text_begin(b);
	if (kg__buf_add(&b->d->text, s, strlen(s)))
		b->err = KG_ENOMEM;
	return text_end(b, at);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static size_t valuef(builder *b, const char *fmt, ...)
{
	size_t at = text_begin(b);
	char small[256], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= sizeof small && (big = kg__malloc((size_t)n + 1))) {
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (n < 0 || ((size_t)n >= sizeof small && !big) ||
	    kg__buf_add(&b->d->text, big ? big : small, (size_t)n))
		b->err = KG_ENOMEM;
	kg__free(big);
	return text_end(b, at);
}

static size_t escaped(builder *b, const char *s, esc kind, unsigned wrap)
{
	size_t at = text_begin(b);
	if (put_text(&b->d->text, s, kind, wrap))
		b->err = KG_ENOMEM;
	return text_end(b, at);
}

static void set(props *p, const char *key, size_t val)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0) {
			p->v[i].value = val;
			return;
		}
	if (p->n < MAXPROPS) {
		p->v[p->n].key = key;
		p->v[p->n].value = val;
		p->n++;
	}
}

static void set_props(props *p, const props *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		set(p, from->v[i].key, from->v[i].value);
}

/* Append p to the drawing's attributes; returns the run. */
static kg__rattrs emit(builder *b, const props *p)
{
	kg__rattrs run;
	size_t i;

	run.first = b->d->attrs.n;
	run.count = p->n;
	for (i = 0; i < p->n; i++)
		if (KG_VEC_PUSH(b->d->attrs, p->v[i]))
			b->err = KG_ENOMEM;
	return run;
}

static uint32_t add_node(builder *b, const props *p)
{
	kg__rattrs run = emit(b, p);
	if (KG_VEC_PUSH(b->d->nodes, run))
		b->err = KG_ENOMEM;
	return (uint32_t)(b->d->nodes.n - 1);
}

static void add_edge(builder *b, uint32_t tail, uint32_t head, const props *p)
{
	kg__redge e;

	e.tail = tail;
	e.head = head;
	e.attrs = emit(b, p);
	if (KG_VEC_PUSH(b->d->edges, e))
		b->err = KG_ENOMEM;
}

/* ---- what to draw ----------------------------------------------------- */

enum {
	SEL_DRAWN = 1,
	SEL_PATH = 2, /* on a highlighted path */
	SEL_FOCUS = 4
};

typedef struct selection {
	uint8_t *entity;              /* SEL_* per entity */
	uint8_t *relation;            /* SEL_* per relation */
	KG_VEC(uint32_t) entities;    /* drawn, ascending */
	KG_VEC(uint32_t) relations;   /* drawn, ascending */
	bool highlight;               /* paths are shown in context */
} selection;

static void selection_free(selection *s)
{
	kg__free(s->entity);
	kg__free(s->relation);
	KG_VEC_FREE(s->entities);
	KG_VEC_FREE(s->relations);
}

static void mark_paths(selection *s, const kg_graph *g, const kg_paths *paths)
{
	size_t i, j;

	for (i = 0; i < kg_paths_count(paths); i++) {
		kg_path p = kg_paths_get(paths, i);
		s->entity[p.from] |= SEL_DRAWN | SEL_PATH;
		s->entity[p.to] |= SEL_DRAWN | SEL_PATH;
		for (j = 0; j < p.nsteps; j++) {
			uint32_t r = p.steps[j].relation;
			s->relation[r] |= SEL_DRAWN | SEL_PATH;
			s->entity[kg_relation_from(g, r)] |= SEL_DRAWN | SEL_PATH;
			s->entity[kg_relation_to(g, r)] |= SEL_DRAWN | SEL_PATH;
		}
	}
}

/* Items given one by one are drawn as paths are. */
static void mark_items(selection *s, const kg_graph *g, const kg_render_options *o)
{
	size_t i;

	for (i = 0; i < o->nentities; i++)
		s->entity[o->entities[i]] |= SEL_DRAWN | SEL_PATH;
	for (i = 0; i < o->nrelations; i++) {
		uint32_t r = o->relations[i];
		s->relation[r] |= SEL_DRAWN | SEL_PATH;
		s->entity[kg_relation_from(g, r)] |= SEL_DRAWN | SEL_PATH;
		s->entity[kg_relation_to(g, r)] |= SEL_DRAWN | SEL_PATH;
	}
}

static int select_items(selection *s, const kg_graph *g, const kg_render_options *o)
{
	size_t ne = kg_graph_entity_count(g), nr = kg_graph_relation_count(g), i;
	bool items = o->nentities || o->nrelations;
	bool path_only = (o->paths || items) && o->path_only;

	s->entity = kg__calloc(ne ? ne : 1, 1);
	s->relation = kg__calloc(nr ? nr : 1, 1);
	if (!s->entity || !s->relation)
		return KG_ENOMEM;
	if (o->paths)
		mark_paths(s, g, o->paths);
	mark_items(s, g, o);
	s->highlight = !o->path_only && ((o->paths && kg_paths_count(o->paths) > 0) || items);
	if (!path_only) {
		if (o->nfocus) {
			kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
			no.filter = o->filter;
			if (o->ntypes && !o->filter.nthrough_types) {
				no.filter.through_types = o->types;
				no.filter.nthrough_types = o->ntypes;
			}
			no.depth = o->depth ? o->depth : 1;
			no.direction = o->direction;
			for (i = 0; i < o->nfocus; i++) {
				kg_neighbors *nb = NULL;
				size_t j;
				int rc = kg_query_neighbors(&nb, g, o->focus[i], &no);
				if (rc)
					return rc;
				s->entity[o->focus[i]] |= SEL_DRAWN | SEL_FOCUS;
				for (j = 0; j < kg_neighbors_count(nb); j++) {
					uint32_t e = kg_neighbors_get(nb, j)->entity;
					if (!o->ntypes || kg__in_list(o->types, o->ntypes, kg_entity_type(g, e)))
						s->entity[e] |= SEL_DRAWN;
				}
				kg_neighbors_free(nb);
			}
		} else {
			for (i = 0; i < ne; i++) {
				if (o->ntypes && !kg__in_list(o->types, o->ntypes, kg_entity_type(g, (uint32_t)i)))
					continue;
				if (o->filter.navoid && kg__in_list(o->filter.avoid, o->filter.navoid, (uint32_t)i))
					continue;
				s->entity[i] |= SEL_DRAWN;
			}
		}
		for (i = 0; i < nr; i++) {
			uint32_t r = (uint32_t)i;
			if ((s->entity[kg_relation_from(g, r)] & SEL_DRAWN) && (s->entity[kg_relation_to(g, r)] & SEL_DRAWN) &&
			    kg_filter_admits(g, &o->filter, r))
				s->relation[i] |= SEL_DRAWN;
		}
	}
	for (i = 0; i < ne; i++)
		if ((s->entity[i] & SEL_DRAWN) && KG_VEC_PUSH(s->entities, (uint32_t)i))
			return KG_ENOMEM;
	for (i = 0; i < nr; i++)
		if ((s->relation[i] & SEL_DRAWN) && KG_VEC_PUSH(s->relations, (uint32_t)i))
			return KG_ENOMEM;
	return KG_OK;
}

/* ---- the render state ------------------------------------------------- */

typedef struct render {
	const kg_graph *g;
	const kg_render_options *o;
	kg_diag_list *diags;
	const theme *th;
	int rankdir;            /* index into rankdir_names */
	const char *engine;
	bool xlabels;           /* relation text as xlabel */
	bool edge_text;         /* relation types written on edges */
	bool clusters_drawn;    /* the engine draws clusters */
	selection sel;
	uint32_t *node_of;      /* entity -> node index */
	props *type_style;      /* per entity type: shape, colours, style */
	props *rtype_style;     /* per relation type */
	props faded_node, faded_edge, path_node, path_edge;
	uint8_t *type_used, *rtype_used;
	size_t ntypes_used, nrtypes_used;
	uint8_t *source_warned;
	builder b;
} render;

static const char *rel_color(const render *r, size_t i)
{
	if (r->th->mono)
		return "#000000";
	return r->th == &themes[1] ? rel_colors_dark[i % COUNT(rel_colors_dark)]
	                           : rel_colors_light[i % COUNT(rel_colors_light)];
}

/* The style of entity type t: kgraph's, then the type's own keys. */
static void type_style(render *r, uint32_t t, props *p)
{
	const theme *th = r->th;
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
		shape = extra_shapes[(t - NBUILTIN) % COUNT(extra_shapes)];
		color = extra_colors[(t - NBUILTIN) % COUNT(extra_colors)];
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
	set(p, "shape", value(&r->b, shape));
	set(p, "style", value(&r->b, style));
	if (th->mono) {
		set(p, "color", value(&r->b, "#000000"));
		set(p, "fillcolor", value(&r->b, "#FFFFFF"));
	} else {
		rgb dummy;
		mix(line, color, "#000000", th == &themes[1] ? 0.0 : 0.25);
		if (user_fill)
			set(p, "fillcolor", value(&r->b, user_fill));
		else if (parse_hex(&dummy, color)) {
			mix(fill, color, th->fill_base, th->fill_mix);
			set(p, "fillcolor", value(&r->b, fill));
		} else
			set(p, "fillcolor", value(&r->b, color));
		set(p, "color", value(&r->b, user_color && !parse_hex(&dummy, color) ? color : line));
	}
	for (i = 0; i < n; i++) {
		kg_attr a = kg_type_attr(r->g, t, i);
		if (strcmp(a.key, "color") == 0 || strcmp(a.key, "fillcolor") == 0)
			continue;
		if (th->mono && strcmp(a.key, "fontcolor") == 0)
			continue;
		set(p, a.key, value(&r->b, a.value));
	}
}

/* The style of relation type t, the slot-th relation type drawn:
 * kgraph's, then the type's own keys. Colours and line styles go by the
 * slot, not the type's index in the graph, so that the types in one
 * picture differ as long as the palette lasts (a graph with 50 relation
 * types would otherwise give a picture of 3 of them the same colour). */
static void rtype_style(render *r, uint32_t t, size_t slot, props *p)
{
	const theme *th = r->th;
	const char *color = rel_color(r, slot), *style;
	const char *user_font = NULL;
	char font[8];
	size_t i, n = kg_relation_type_attr_count(r->g, t);
	rgb dummy;

	p->n = 0;
	if (th->mono) {
		style = print_styles[slot % COUNT(print_styles)];
		set(p, "arrowhead", value(&r->b, print_arrows[(slot / COUNT(print_styles)) % COUNT(print_arrows)]));
	} else {
		style = rel_styles[(slot / COUNT(rel_colors_light)) % COUNT(rel_styles)];
		for (i = 0; i < n; i++) {
			kg_attr a = kg_relation_type_attr(r->g, t, i);
			if (strcmp(a.key, "color") == 0)
				color = a.value;
			else if (strcmp(a.key, "fontcolor") == 0)
				user_font = a.value;
		}
	}
	set(p, "color", value(&r->b, color));
	set(p, "style", value(&r->b, style));
	if (user_font)
		set(p, "fontcolor", value(&r->b, user_font));
	else if (parse_hex(&dummy, color)) {
		mix(font, color, th->text_base, th->text_mix);
		set(p, "fontcolor", value(&r->b, font));
	} else
		set(p, "fontcolor", value(&r->b, color));
	if (kg_relation_type_is_symmetric(r->g, t))
		set(p, "dir", value(&r->b, "none"));
	for (i = 0; i < n; i++) {
		kg_attr a = kg_relation_type_attr(r->g, t, i);
		if (strcmp(a.key, "color") == 0 || strcmp(a.key, "fontcolor") == 0)
			continue;
		set(p, a.key, value(&r->b, a.value));
	}
}

static void theme_props(render *r)
{
	const theme *th = r->th;
	r->faded_node.n = 0;
	set(&r->faded_node, "fillcolor", value(&r->b, th->faded_fill));
	set(&r->faded_node, "color", value(&r->b, th->faded_line));
	set(&r->faded_node, "fontcolor", value(&r->b, th->faded_text));
	r->faded_edge.n = 0;
	set(&r->faded_edge, "color", value(&r->b, th->faded_line));
	set(&r->faded_edge, "fontcolor", value(&r->b, th->faded_text));
	r->path_node.n = 0;
	set(&r->path_node, "color", value(&r->b, th->highlight));
	set(&r->path_node, "penwidth", value(&r->b, "3"));
	r->path_edge.n = 0;
	set(&r->path_edge, "color", value(&r->b, th->highlight));
	set(&r->path_edge, "fontcolor", value(&r->b, th->highlight));
	set(&r->path_edge, "penwidth", value(&r->b, "3"));
	set(&r->path_edge, "arrowsize", value(&r->b, "1"));
}

/* ---- tooltips and labels ---------------------------------------------- */

static const char *first_attr(const kg_graph *g, uint32_t e, const char *key)
{
	size_t i, n = kg_entity_attr_count(g, e);

	for (i = 0; i < n; i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		if (strcmp(a.key, key) == 0)
			return a.value;
	}
	return NULL;
}

/* Attributes as "key: value" lines, list values joined by ", ". */
static int attr_lines(kg__buf *t, kg_attr (*get)(const kg_graph *, uint32_t, size_t), const kg_graph *g,
                      uint32_t x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		kg_attr a = get(g, x, i);
		bool cont = i && a.in_list && get(g, x, i - 1).in_list && strcmp(get(g, x, i - 1).key, a.key) == 0;
		if (cont ? kg__buf_printf(t, ", %s", a.value) : kg__buf_printf(t, "\n%s: %s", a.key, a.value))
			return -1;
	}
	return 0;
}

static int entity_tooltip(render *r, uint32_t e)
{
	const kg_graph *g = r->g;
	kg__buf *t = &r->b.tmp;
	size_t i, n = kg_entity_alias_count(g, e);

	t->n = 0;
	if (kg__buf_printf(t, "%s\n%s \xC2\xB7 %s", kg_entity_name(g, e), kg_type_label(g, kg_entity_type(g, e)),
	                   kg_entity_id(g, e)))
		return -1;
	for (i = 0; i < n; i++)
		if (kg__buf_printf(t, i ? ", %s" : "\naliases: %s", kg_entity_alias(g, e, i)))
			return -1;
	for (i = 0; i < kg_entity_attr_count(g, e); i++) {
		kg_attr a = kg_entity_attr(g, e, i);
		bool cont = i && a.in_list && kg_entity_attr(g, e, i - 1).in_list &&
		            strcmp(kg_entity_attr(g, e, i - 1).key, a.key) == 0;
		if (strcmp(a.key, "url") == 0) /* it is the link, or was refused with a warning */
			continue;
		if (cont ? kg__buf_printf(t, ", %s", a.value) : kg__buf_printf(t, "\n%s: %s", a.key, a.value))
			return -1;
	}
	return 0;
}

static int date_range(kg__buf *t, const kg_graph *g, uint32_t rel, const char *sep)
{
	char a[11], b[11];
	kg_date d = kg_relation_date(g, rel), s = kg_relation_since(g, rel), u = kg_relation_until(g, rel);

	if (d)
		return kg__buf_printf(t, "%s%s", sep, kg_date_format(a, d));
	if (s && u)
		return kg__buf_printf(t, "%s%s \xE2\x80\x93 %s", sep, kg_date_format(a, s), kg_date_format(b, u));
	if (s)
		return kg__buf_printf(t, "%ssince %s", sep, kg_date_format(a, s));
	if (u)
		return kg__buf_printf(t, "%suntil %s", sep, kg_date_format(b, u));
	return 0;
}

static int relation_tooltip(render *r, uint32_t rel)
{
	const kg_graph *g = r->g;
	kg__buf *t = &r->b.tmp;
	uint32_t src = kg_relation_source(g, rel);
	const char *quote = kg_relation_quote(g, rel);
	double w;

	t->n = 0;
	if (kg__buf_printf(t, "%s \xE2\x80\x94 %s \xE2\x86\x92 %s", kg_entity_name(g, kg_relation_from(g, rel)),
	                   kg_relation_type_label(g, kg_relation_type(g, rel)),
	                   kg_entity_name(g, kg_relation_to(g, rel))))
		return -1;
	if (date_range(t, g, rel, "\ndate: "))
		return -1;
	if (src != KG_NONE) {
		const char *title = kg_source_title(g, src), *pub = kg_source_publisher(g, src);
		char d[11];
		kg_date sd = kg_source_date(g, src);
		if (kg__buf_printf(t, "\nsource: %s", title ? title : kg_source_id(g, src)))
			return -1;
		if ((pub || sd) && kg__buf_printf(t, " (%s%s%s)", pub ? pub : "", pub && sd ? ", " : "",
		                                  sd ? kg_date_format(d, sd) : ""))
			return -1;
	}
	if (quote && kg__buf_printf(t, "\n\xE2\x80\x9C%s\xE2\x80\x9D", quote))
		return -1;
	if (kg_relation_weight(g, rel, &w) && kg__buf_printf(t, "\nweight: %g", w))
		return -1;
	return attr_lines(t, kg_relation_attr, g, rel, kg_relation_attr_count(g, rel));
}

static size_t tmp_escaped(render *r, esc kind, unsigned wrap)
{
	return escaped(&r->b, r->b.tmp.p ? r->b.tmp.p : "", kind, wrap);
}

/* A url attribute value as a link, or a warning. */
static bool link_ok(render *r, const char *url, const kg_location *at, const char *what)
{
	if (url_allowed(url))
		return true;
	if (diag(r->diags, KG_SEV_WARNING, at, "%s: url '%s' is not http or https; it is not linked", what, url) < 0)
		r->b.err = KG_ENOMEM;
	return false;
}

static size_t url_value(render *r, const char *url)
{
	size_t at = text_begin(&r->b);
	if (put_url(&r->b.d->text, url))
		r->b.err = KG_ENOMEM;
	return text_end(&r->b, at);
}

/* ---- nodes, edges, clusters -------------------------------------------- */

static size_t type_label(render *r, uint32_t t);

static void add_entity(render *r, uint32_t e)
{
	const kg_graph *g = r->g;
	const kg_render_options *o = r->o;
	uint32_t t = kg_entity_type(g, e);
	uint8_t mark = r->sel.entity[e];
	const char *url = first_attr(g, e, "url");
	kg__buf *tmp = &r->b.tmp;
	props p;

	p.n = 0;
	set(&p, "id", valuef(&r->b, "e-%s", kg_entity_id(g, e)));
	set(&p, "class", valuef(&r->b, "kg-entity kg-type-%s%s", kg_type_name(g, t),
	                        mark & SEL_PATH && r->sel.highlight ? " kg-path" : ""));
	tmp->n = 0;
	if (o->label == KG_RENDER_LABEL_ID ? kg__buf_puts(tmp, kg_entity_id(g, e))
	    : o->label == KG_RENDER_LABEL_BOTH && strcmp(kg_entity_id(g, e), kg_entity_name(g, e)) != 0
	        ? kg__buf_printf(tmp, "%s\n(%s)", kg_entity_name(g, e), kg_entity_id(g, e))
	        : kg__buf_puts(tmp, kg_entity_name(g, e)))
		r->b.err = KG_ENOMEM;
	set(&p, "label", tmp_escaped(r, ESC_LABEL, o->wrap));
	set_props(&p, &r->type_style[t]);
	if (r->sel.highlight)
		set_props(&p, mark & SEL_PATH ? &r->path_node : &r->faded_node);
	if (entity_tooltip(r, e))
		r->b.err = KG_ENOMEM;
	set(&p, "tooltip", tmp_escaped(r, ESC_TOOLTIP, 0));
	if (url) {
		kg_location at = kg_entity_location(g, e);
		char what[300];
		snprintf(what, sizeof what, "entity '%s'", kg_entity_id(g, e));
		if (link_ok(r, url, &at, what)) {
			set(&p, "URL", url_value(r, url));
			set(&p, "target", value(&r->b, "_top"));
		}
	}
	r->node_of[e] = add_node(&r->b, &p);
}

static void add_relation(render *r, uint32_t rel)
{
	const kg_graph *g = r->g;
	const kg_render_options *o = r->o;
	uint32_t t = kg_relation_type(g, rel), src = kg_relation_source(g, rel);
	uint8_t mark = r->sel.relation[rel];
	kg__buf *tmp = &r->b.tmp;
	size_t tip;
	props p;

	p.n = 0;
	set(&p, "id", valuef(&r->b, "r-%u", rel));
	set(&p, "class", valuef(&r->b, "kg-relation kg-rtype-%s%s", kg_relation_type_name(g, t),
	                        mark & SEL_PATH && r->sel.highlight ? " kg-path" : ""));
	set_props(&p, &r->rtype_style[t]);
	if (r->sel.highlight)
		set_props(&p, mark & SEL_PATH ? &r->path_edge : &r->faded_edge);
	if (relation_tooltip(r, rel))
		r->b.err = KG_ENOMEM;
	tip = tmp_escaped(r, ESC_TOOLTIP, 0);
	set(&p, "tooltip", tip);
	tmp->n = 0;
	if (r->edge_text && kg__buf_puts(tmp, kg_relation_type_label(g, t)))
		r->b.err = KG_ENOMEM;
	if (o->edge_dates && date_range(tmp, g, rel, tmp->n ? "\n" : ""))
		r->b.err = KG_ENOMEM;
	if (tmp->n) {
		set(&p, r->xlabels ? "xlabel" : "label", tmp_escaped(r, ESC_LABEL, o->wrap));
		set(&p, "labeltooltip", tip);
	}
	if (src != KG_NONE && kg_source_url(g, src)) {
		const char *url = kg_source_url(g, src);
		if (url_allowed(url)) {
			set(&p, "URL", url_value(r, url));
			set(&p, "target", value(&r->b, "_top"));
		} else if (!r->source_warned[src]) {
			kg_location at = kg_source_location(g, src);
			char what[300];
			r->source_warned[src] = 1;
			snprintf(what, sizeof what, "source '%s'", kg_source_id(g, src));
			link_ok(r, url, &at, what);
		}
	}
	add_edge(&r->b, r->node_of[kg_relation_from(g, rel)], r->node_of[kg_relation_to(g, rel)], &p);
}

static void cluster_props(render *r, props *p, const char *id, size_t label)
{
	const theme *th = r->th;

	p->n = 0;
	set(p, "id", value(&r->b, id));
	set(p, "label", label);
	set(p, "style", value(&r->b, th->mono ? "rounded,dashed" : "rounded,filled"));
	set(p, "color", value(&r->b, th->cluster_line));
	set(p, "fillcolor", value(&r->b, th->cluster_fill));
	set(p, "fontcolor", value(&r->b, th->cluster_text));
	set(p, "fontsize", value(&r->b, "13"));
	set(p, "labeljust", value(&r->b, "l"));
	/* dot leaves too little room for a top label of a cluster whose
	 * first rank it shares with other nodes; at the bottom it fits. */
	set(p, "labelloc", value(&r->b, "b"));
	set(p, "margin", value(&r->b, "10"));
	set(p, "penwidth", value(&r->b, "1"));
}

static void add_cluster(render *r, const props *p, const uint32_t *members, size_t n)
{
	kg__rcluster c;
	size_t i;

	c.attrs = emit(&r->b, p);
	c.first_member = r->b.d->members.n;
	c.nmembers = n;
	for (i = 0; i < n; i++)
		if (KG_VEC_PUSH(r->b.d->members, members[i]))
			r->b.err = KG_ENOMEM;
	if (KG_VEC_PUSH(r->b.d->clusters, c))
		r->b.err = KG_ENOMEM;
}

typedef struct keyed {
	const char *key;
	uint32_t rank; /* the group's place among clusters */
	uint32_t entity;
} keyed;

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : cmp_u32(x->entity, y->entity);
}

static int by_rank(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = cmp_u32(x->rank, y->rank);
	return c ? c : cmp_u32(x->entity, y->entity);
}

/* Clusters by entity type (in type order) or by an attribute's value (in
 * order of the first entity with each value; entities without it stay
 * outside). Sorting twice keeps this O(V log V) however many groups. */
static void add_entity_clusters(render *r)
{
	const kg_graph *g = r->g;
	bool by_type = strcmp(r->o->cluster_by, "type") == 0;
	size_t n = r->sel.entities.n, m = 0, i, j;
	keyed *items = kg__calloc(n ? n : 1, sizeof *items);
	uint32_t *members = kg__calloc(n ? n : 1, sizeof *members);

	if (!items || !members) {
		r->b.err = KG_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		uint32_t e = r->sel.entities.v[i];
		const char *k = by_type ? kg_type_name(g, kg_entity_type(g, e)) : first_attr(g, e, r->o->cluster_by);
		if (!k)
			continue;
		items[m].key = k;
		items[m].entity = e;
		m++;
	}
	qsort(items, m, sizeof *items, by_key);
	for (i = 0; i < m; i = j) {
		uint32_t rank = by_type ? kg_entity_type(g, items[i].entity) : items[i].entity;
		for (j = i; j < m && strcmp(items[j].key, items[i].key) == 0; j++)
			items[j].rank = rank;
	}
	qsort(items, m, sizeof *items, by_rank);
	for (i = 0; i < m && !r->b.err; i = j) {
		props p;
		char id[32];
		size_t k = 0;
		for (j = i; j < m && items[j].rank == items[i].rank; j++)
			members[k++] = r->node_of[items[j].entity];
		snprintf(id, sizeof id, "cluster-%zu", r->b.d->clusters.n + 1);
		cluster_props(r, &p, id, by_type ? type_label(r, kg_entity_type(g, items[i].entity))
		                                 : escaped(&r->b, items[i].key, ESC_LABEL, 0));
		add_cluster(r, &p, members, k);
	}
done:
	kg__free(items);
	kg__free(members);
}

/* ---- the legend -------------------------------------------------------- */

/* Relation types listed in the legend: all when edges carry no text
 * (then colour and line style are all there is to go by), otherwise only
 * when they are few enough to be worth it. */
#define LEGEND_MAX_RTYPES_LABELLED 12
#define LEGEND_MAX_RTYPES 40
/* Most entries in a row (TB/BT; a column for LR/RL) of the legend. */
#define LEGEND_ROW 8

/* A type's label for the legend and clusters; a built-in type without a
 * label of its own is shown capitalised ("person" -> "Person"). */
static size_t type_label(render *r, uint32_t t)
{
	const char *label = kg_type_label(r->g, t);
	size_t at;

	if (!kg_type_is_builtin(r->g, t) || strcmp(label, kg_type_name(r->g, t)) != 0 || label[0] < 'a' ||
	    label[0] > 'z')
		return escaped(&r->b, label, ESC_LABEL, r->o->wrap);
	at = valuef(&r->b, "%c%s", label[0] - 'a' + 'A', label + 1);
	return at;
}

static bool legend_wanted(const render *r)
{
	if (r->o->legend == KG_RENDER_LEGEND_ON)
		return true;
	if (r->o->legend == KG_RENDER_LEGEND_OFF)
		return false;
	return r->ntypes_used > 1 || r->nrtypes_used > 1;
}

static void add_legend(render *r)
{
	const kg_graph *g = r->g;
	const theme *th = r->th;
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g), i;
	/* With a path highlighted, every other relation is drawn faded, so
	 * the relation types' colours appear nowhere in the picture: the
	 * legend lists the path instead of them. */
	bool rtypes = r->nrtypes_used && !r->sel.highlight &&
	              (!r->edge_text || r->nrtypes_used <= LEGEND_MAX_RTYPES_LABELLED);
	KG_VEC(uint32_t) nodes = {0};
	size_t listed = 0;
	bool dot = strcmp(r->engine, "dot") == 0;
	props p;

	if (!r->clusters_drawn) {
		/* Engines without clusters get a heading instead of the box label. */
		p.n = 0;
		set(&p, "id", value(&r->b, "legend"));
		set(&p, "class", value(&r->b, "kg-legend"));
		set(&p, "label", value(&r->b, "Legend"));
		set(&p, "shape", value(&r->b, "plaintext"));
		set(&p, "style", value(&r->b, ""));
		set(&p, "fontsize", value(&r->b, "13"));
		if (KG_VEC_PUSH(nodes, add_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	for (i = 0; i < nt; i++) {
		if (!r->type_used[i])
			continue;
		p.n = 0;
		set(&p, "id", valuef(&r->b, "legend-e-%s", kg_type_name(g, (uint32_t)i)));
		set(&p, "class", value(&r->b, "kg-legend"));
		set(&p, "label", type_label(r, (uint32_t)i));
		set(&p, "tooltip", valuef(&r->b, "entity type %s", kg_type_name(g, (uint32_t)i)));
		set_props(&p, &r->type_style[i]);
		set(&p, "fontsize", value(&r->b, "11"));
		if (KG_VEC_PUSH(nodes, add_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	for (i = 0; i < nrt && rtypes; i++) {
		if (!r->rtype_used[i])
			continue;
		if (++listed > LEGEND_MAX_RTYPES) {
			size_t more = r->nrtypes_used - LEGEND_MAX_RTYPES;
			p.n = 0;
			set(&p, "id", value(&r->b, "legend-r-more"));
			set(&p, "class", value(&r->b, "kg-legend"));
			set(&p, "label", valuef(&r->b, "and %zu more relation types", more));
			set(&p, "shape", value(&r->b, "plaintext"));
			set(&p, "style", value(&r->b, ""));
			set(&p, "fontsize", value(&r->b, "11"));
			if (KG_VEC_PUSH(nodes, add_node(&r->b, &p)))
				r->b.err = KG_ENOMEM;
			break;
		}
		p.n = 0;
		set(&p, "id", valuef(&r->b, "legend-r-%s", kg_relation_type_name(g, (uint32_t)i)));
		set(&p, "class", value(&r->b, "kg-legend"));
		set(&p, "label", escaped(&r->b, kg_relation_type_label(g, (uint32_t)i), ESC_LABEL, r->o->wrap));
		set(&p, "tooltip", valuef(&r->b, "relation type %s", kg_relation_type_name(g, (uint32_t)i)));
		set(&p, "shape", value(&r->b, "underline"));
		set(&p, "fillcolor", value(&r->b, "none"));
		set(&p, "penwidth", value(&r->b, "2"));
		set(&p, "fontsize", value(&r->b, "11"));
		set_props(&p, &r->rtype_style[i]);
		/* a node's style: keep only what draws a line */
		for (size_t k = 0; k < p.n && !r->b.err; k++)
			if (strcmp(p.v[k].key, "style") == 0 && strcmp(r->b.d->text.p + p.v[k].value, "invis") == 0)
				p.v[k].value = value(&r->b, "solid");
		if (KG_VEC_PUSH(nodes, add_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	if (r->sel.highlight) {
		p.n = 0;
		set(&p, "id", value(&r->b, "legend-path"));
		set(&p, "class", value(&r->b, "kg-legend"));
		set(&p, "label", value(&r->b, "path"));
		set(&p, "shape", value(&r->b, "underline"));
		set(&p, "style", value(&r->b, "solid"));
		set(&p, "fillcolor", value(&r->b, "none"));
		set(&p, "color", value(&r->b, th->highlight));
		set(&p, "fontcolor", value(&r->b, th->highlight));
		set(&p, "penwidth", value(&r->b, "3"));
		set(&p, "fontsize", value(&r->b, "11"));
		if (KG_VEC_PUSH(nodes, add_node(&r->b, &p)))
			r->b.err = KG_ENOMEM;
	}
	if (r->b.err)
		goto done;
	if (r->clusters_drawn) {
		p.n = 0;
		cluster_props(r, &p, "legend", value(&r->b, "Legend"));
		set(&p, "labelloc", value(&r->b, "t"));
		set(&p, "fillcolor", value(&r->b, th->legend_fill));
		set(&p, "color", value(&r->b, th->legend_line));
		set(&p, "style", value(&r->b, th->mono ? "rounded" : "rounded,filled"));
		add_cluster(r, &p, nodes.v, nodes.n);
	}
	/* Keep the entries together and in order. In dot: rows (TB/BT;
	 * columns for LR/RL) of at most LEGEND_ROW entries, each row chained
	 * by invisible edges of minlen 0 - a flat edge on one rank, which dot
	 * draws tail before head - and each entry tied to the one below it.
	 * fdp keeps a cluster together by itself. Other engines draw no
	 * clusters: a chain of invisible edges holds the entries together. */
	if (!r->clusters_drawn || dot) {
		size_t step = 1, i0;
		if (dot) {
			size_t rows = (nodes.n + LEGEND_ROW - 1) / LEGEND_ROW;
			step = rows ? (nodes.n + rows - 1) / rows : 1;
		}
		for (i0 = 0; i0 + 1 < nodes.n; i0++) {
			props e;
			e.n = 0;
			set(&e, "style", value(&r->b, "invis"));
			set(&e, "class", value(&r->b, "kg-legend"));
			if (dot && (i0 + 1) % step) {
				/* LR and RL turn dot's left-to-right into bottom-to-top */
				bool up = r->rankdir == 1 || r->rankdir == 3;
				set(&e, "minlen", value(&r->b, "0"));
				add_edge(&r->b, nodes.v[up ? i0 + 1 : i0], nodes.v[up ? i0 : i0 + 1], &e);
				e.n = 0;
				set(&e, "style", value(&r->b, "invis"));
				set(&e, "class", value(&r->b, "kg-legend"));
			} else if (!dot) {
				add_edge(&r->b, nodes.v[i0], nodes.v[i0 + 1], &e);
				continue;
			}
			if (dot && i0 + step < nodes.n) {
				uint32_t a = nodes.v[i0], b = nodes.v[i0 + step];
				if (r->rankdir == 2 || r->rankdir == 3) {
					uint32_t t = a;
					a = b;
					b = t;
				}
				add_edge(&r->b, a, b, &e);
			}
		}
	}
done:
	KG_VEC_FREE(nodes);
}

/* ---- the whole drawing ------------------------------------------------- */

static void graph_attrs(render *r, unsigned dpi)
{
	const kg_graph *g = r->g;
	const theme *th = r->th;
	const char *title = kg_graph_title(g);
	bool dot = strcmp(r->engine, "dot") == 0;
	props p;

	p.n = 0;
	set(&p, "layout", value(&r->b, r->engine));
	set(&p, "id", value(&r->b, "kgraph"));
	set(&p, "bgcolor", value(&r->b, th->bg));
	set(&p, "fontname", value(&r->b, FONT));
	set(&p, "fontsize", value(&r->b, "20"));
	set(&p, "fontcolor", value(&r->b, th->title));
	set(&p, "label", r->o->title && title ? escaped(&r->b, title, ESC_LABEL, 0) : value(&r->b, ""));
	set(&p, "labelloc", value(&r->b, "t"));
	set(&p, "pad", value(&r->b, "0.3"));
	set(&p, "outputorder", value(&r->b, "edgesfirst"));
	if (dot) {
		set(&p, "rankdir", value(&r->b, rankdir_names[r->rankdir]));
		set(&p, "nodesep", value(&r->b, "0.3"));
		set(&p, "ranksep", value(&r->b, "0.5"));
		/* The newer ranking handles clusters (the legend is one): with
		 * the old one, clustering the example graph by type made dot
		 * 2.43 lose edges and abort (double free in spline routing). */
		set(&p, "newrank", value(&r->b, "true"));
		if (r->xlabels)
			set(&p, "forcelabels", value(&r->b, "true"));
		if (r->sel.entities.n > KG_RENDER_AUTO_DOT_MAX_NODES || r->sel.relations.n > KG_RENDER_AUTO_DOT_MAX_EDGES) {
			/* Bounded effort in crossing minimisation and network
			 * simplex: at 300 entities, 84 s became 2.5 s. */
			set(&p, "mclimit", value(&r->b, "1"));
			set(&p, "nslimit", value(&r->b, "1"));
			set(&p, "nslimit1", value(&r->b, "1"));
		}
	} else {
		set(&p, "overlap", value(&r->b, "prism"));
		set(&p, "overlap_scaling", value(&r->b, "-4"));
		set(&p, "sep", value(&r->b, "+8"));
		set(&p, "pack", value(&r->b, "true"));
	}
	if (dpi)
		set(&p, "dpi", valuef(&r->b, "%u", dpi));
	r->b.d->graph = emit(&r->b, &p);

	p.n = 0;
	set(&p, "fontname", value(&r->b, FONT));
	set(&p, "fontsize", value(&r->b, "12"));
	set(&p, "fontcolor", value(&r->b, th->text));
	set(&p, "style", value(&r->b, "filled"));
	set(&p, "penwidth", value(&r->b, "1.4"));
	set(&p, "margin", value(&r->b, "0.12,0.05"));
	r->b.d->node_defaults = emit(&r->b, &p);

	p.n = 0;
	set(&p, "fontname", value(&r->b, FONT));
	set(&p, "fontsize", value(&r->b, "10"));
	set(&p, "penwidth", value(&r->b, "1.2"));
	set(&p, "arrowsize", value(&r->b, "0.7"));
	r->b.d->edge_defaults = emit(&r->b, &p);
}

static int check_options(const kg_graph *g, const kg_render_options *o, kg_diag_list *diags,
                         int *engine, int *rankdir, int *th)
{
	size_t i, ne = kg_graph_entity_count(g), nt = kg_graph_type_count(g), nr = kg_graph_relation_count(g);

	if ((unsigned)o->format > KG_RENDER_PDF) {
		diag(diags, KG_SEV_ERROR, NULL, "unknown render format %d", (int)o->format);
		return KG_EARG;
	}
	*engine = o->engine ? name_index(o->engine, engine_names, COUNT(engine_names)) : 0;
	if (*engine < 0)
		return unknown_name(diags, NULL, KG_EARG, "layout engine", o->engine, engine_names, COUNT(engine_names), NULL);
	*rankdir = o->rankdir ? name_index(o->rankdir, rankdir_names, COUNT(rankdir_names)) : 0;
	if (*rankdir < 0)
		return unknown_name(diags, NULL, KG_EARG, "rank direction", o->rankdir, rankdir_names, COUNT(rankdir_names), NULL);
	*th = o->theme ? name_index(o->theme, theme_names, COUNT(theme_names)) : 0;
	if (*th < 0)
		return unknown_name(diags, NULL, KG_EARG, "theme", o->theme, theme_names, COUNT(theme_names), NULL);
	if (o->dpi > 600) {
		diag(diags, KG_SEV_ERROR, NULL, "dpi %u is more than 600", o->dpi);
		return KG_EARG;
	}
	if ((unsigned)o->label > KG_RENDER_LABEL_BOTH || (unsigned)o->legend > KG_RENDER_LEGEND_OFF ||
	    (unsigned)o->direction > KG_DIRECTION_IN) {
		diag(diags, KG_SEV_ERROR, NULL, "a label, legend or direction option is out of range");
		return KG_EARG;
	}
	if (o->depth > KG_MAX_NEIGHBOR_DEPTH) {
		diag(diags, KG_SEV_ERROR, NULL, "depth %u is more than %d", o->depth, KG_MAX_NEIGHBOR_DEPTH);
		return KG_EARG;
	}
	if ((o->nfocus && !o->focus) || (o->ntypes && !o->types)) {
		diag(diags, KG_SEV_ERROR, NULL, "a focus or type list is NULL but its count is not 0");
		return KG_EARG;
	}
	for (i = 0; i < o->nfocus; i++)
		if (o->focus[i] >= ne) {
			diag(diags, KG_SEV_ERROR, NULL, "focus entity %u is out of range", o->focus[i]);
			return KG_EARG;
		}
	for (i = 0; i < o->ntypes; i++)
		if (o->types[i] >= nt) {
			diag(diags, KG_SEV_ERROR, NULL, "entity type %u is out of range", o->types[i]);
			return KG_EARG;
		}
	if (o->cluster_by && !o->cluster_by[0]) {
		diag(diags, KG_SEV_ERROR, NULL, "cluster_by is empty");
		return KG_EARG;
	}
	if ((o->nentities && !o->entities) || (o->nrelations && !o->relations)) {
		diag(diags, KG_SEV_ERROR, NULL, "an entity or relation list is NULL but its count is not 0");
		return KG_EARG;
	}
	for (i = 0; i < o->nentities; i++)
		if (o->entities[i] >= ne) {
			diag(diags, KG_SEV_ERROR, NULL, "entity %u is out of range", o->entities[i]);
			return KG_EARG;
		}
	for (i = 0; i < o->nrelations; i++)
		if (o->relations[i] >= nr) {
			diag(diags, KG_SEV_ERROR, NULL, "relation %u is out of range", o->relations[i]);
			return KG_EARG;
		}
	for (i = 0; o->paths && i < kg_paths_count(o->paths); i++) {
		kg_path p = kg_paths_get(o->paths, i);
		size_t j;
		if (p.from >= ne || p.to >= ne) {
			diag(diags, KG_SEV_ERROR, NULL, "a path does not belong to this graph");
			return KG_EARG;
		}
		for (j = 0; j < p.nsteps; j++)
			if (p.steps[j].relation >= nr) {
				diag(diags, KG_SEV_ERROR, NULL, "a path does not belong to this graph");
				return KG_EARG;
			}
	}
	return KG_OK;
}

static void render_free(render *r)
{
	selection_free(&r->sel);
	kg__free(r->node_of);
	kg__free(r->type_style);
	kg__free(r->rtype_style);
	kg__free(r->type_used);
	kg__free(r->rtype_used);
	kg__free(r->source_warned);
	kg__buf_free(&r->b.tmp);
}

/* Count what is drawn, choose the engine and the edge label placement. */
static int plan(render *r, int engine)
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
	if (engine == 0)
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
		if (diag(r->diags, KG_SEV_NOTE, NULL,
		         "%zu relations: their types are told by colour and the legend, not written on the "
		         "edges (more than %d; choose --engine to keep them)",
		         r->sel.relations.n, KG_RENDER_AUTO_MAX_EDGE_LABELS) < 0)
			return KG_ENOMEM;
	}
	r->clusters_drawn = strcmp(r->engine, "dot") == 0 || strcmp(r->engine, "fdp") == 0;
	if (r->o->cluster_by && !r->clusters_drawn &&
	    diag(r->diags, KG_SEV_WARNING, NULL, "the layout engine '%s' does not draw clusters; entities are not grouped",
	         r->engine) < 0)
		return KG_ENOMEM;
	return KG_OK;
}

static int build_drawing(render *r, kg__rdrawing *d, unsigned dpi)
{
	const kg_graph *g = r->g;
	size_t nt = kg_graph_type_count(g), nrt = kg_graph_relation_type_count(g), i, slot;

	r->b.d = d;
	d->engine = r->engine;
	r->type_style = kg__calloc(nt ? nt : 1, sizeof *r->type_style);
	r->rtype_style = kg__calloc(nrt ? nrt : 1, sizeof *r->rtype_style);
	if (!r->type_style || !r->rtype_style)
		return KG_ENOMEM;
	graph_attrs(r, dpi);
	theme_props(r);
	for (i = 0; i < nt; i++)
		if (r->type_used[i])
			type_style(r, (uint32_t)i, &r->type_style[i]);
	for (i = 0, slot = 0; i < nrt; i++)
		if (r->rtype_used[i])
			rtype_style(r, (uint32_t)i, slot++, &r->rtype_style[i]);
	for (i = 0; i < r->sel.entities.n && !r->b.err; i++)
		add_entity(r, r->sel.entities.v[i]);
	if (r->o->cluster_by && r->clusters_drawn && !r->b.err)
		add_entity_clusters(r);
	for (i = 0; i < r->sel.relations.n && !r->b.err; i++)
		add_relation(r, r->sel.relations.v[i]);
	if (!r->b.err && legend_wanted(r))
		add_legend(r);
	return r->b.err;
}

int kg_render(unsigned char **data, size_t *len, const kg_graph *g, const kg_render_options *opts,
              kg_diag_list *diags)
{
	static const kg_render_options defaults = KG_RENDER_OPTIONS_INIT;
	kg_render_options o = opts ? *opts : defaults;
	kg__rdrawing d;
	render r;
	int engine = 0, rankdir = 0, th = 0, rc;
	double secs = 0;
	unsigned dpi = o.format == KG_RENDER_PNG ? (o.dpi ? o.dpi : 96) : 0;

	if (!data || !len || !g)
		return KG_EARG;
	*data = NULL;
	*len = 0;
	memset(&d, 0, sizeof d);
	memset(&r, 0, sizeof r);
	rc = check_options(g, &o, diags, &engine, &rankdir, &th);
	if (rc)
		return rc;
	rc = check_styles(g, diags);
	if (rc)
		return rc;
	r.g = g;
	r.o = &o;
	r.diags = diags;
	r.th = &themes[th];
	r.rankdir = rankdir;
	r.node_of = kg__malloc((kg_graph_entity_count(g) ? kg_graph_entity_count(g) : 1) * sizeof *r.node_of);
	r.type_used = kg__calloc(kg_graph_type_count(g) + 1, 1);
	r.rtype_used = kg__calloc(kg_graph_relation_type_count(g) + 1, 1);
	r.source_warned = kg__calloc(kg_graph_source_count(g) + 1, 1);
	if (!r.node_of || !r.type_used || !r.rtype_used || !r.source_warned) {
		rc = KG_ENOMEM;
		goto done;
	}
	rc = select_items(&r.sel, g, &o);
	if (rc)
		goto done;
	if (!r.sel.entities.n) {
		rc = KG_ENOTFOUND;
		if (diag(diags, KG_SEV_ERROR, NULL, "nothing to draw: no entity is selected") < 0)
			rc = KG_ENOMEM;
		goto done;
	}
	if (o.format != KG_RENDER_DOT &&
	    (r.sel.entities.n > KG_RENDER_MAX_NODES || r.sel.relations.n > KG_RENDER_MAX_EDGES)) {
		long at = diag(diags, KG_SEV_ERROR, NULL,
		               "too much to lay out: %zu entities and %zu relations (at most %d and %d)",
		               r.sel.entities.n, r.sel.relations.n, KG_RENDER_MAX_NODES, KG_RENDER_MAX_EDGES);
		rc = at < 0 ? KG_ENOMEM : KG_EIO;
		if (at >= 0 && diags)
			kg__diag_hintf(diags, (size_t)at, "draw part of the graph (a focus and depth, types, relation types), or write DOT");
		goto done;
	}
	rc = plan(&r, engine);
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
		rc = kg__render_graphviz(data, len, &d, &job, diags);
		if (rc)
			goto done;
		dpi = job.dpi_used;
		secs = job.seconds;
	}
	if (o.stats) {
		kg_render_stats *s = o.stats;
		memset(s, 0, sizeof *s);
		s->engine = r.engine;
		s->entities = r.sel.entities.n;
		s->relations = r.sel.relations.n;
		s->entity_types = r.ntypes_used;
		s->relation_types = r.nrtypes_used;
		s->legend = legend_wanted(&r);
		s->xlabels = r.xlabels;
		s->dpi = dpi;
		s->seconds = secs;
	}
done:
	render_free(&r);
	kg__rdrawing_free(&d);
	return rc;
}

/* ---- writing files ----------------------------------------------------- */

int kg_render_write_file(const char *path, const unsigned char *data, size_t len, kg_diag_list *diags)
{
	kg__buf tmp = {0};
	unsigned attempt;
	int fd = -1, err = 0;
	size_t done = 0;

	if (!path || (!data && len))
		return KG_EARG;
	/* A new name beside the target: path.tmp-PID-N, created exclusively
	 * with mode 0666 so the umask applies as for any new file. */
	for (attempt = 0; attempt < 100; attempt++) {
		tmp.n = 0;
		if (kg__buf_printf(&tmp, "%s.tmp-%ld-%u", path, (long)getpid(), attempt)) {
			kg__buf_free(&tmp);
			return KG_ENOMEM;
		}
		fd = open(tmp.p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err = errno;
		goto fail;
	}
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp.p, path) != 0)
		err = errno;
	if (err) {
		unlink(tmp.p);
		goto fail;
	}
	kg__buf_free(&tmp);
	return KG_OK;
fail:
	kg__buf_free(&tmp);
	return diag(diags, KG_SEV_ERROR, NULL, "cannot write '%s': %s", path, strerror(err)) < 0 ? KG_ENOMEM : KG_EIO;
}
