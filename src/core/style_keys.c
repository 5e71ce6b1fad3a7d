/*
 * style_keys.c - the allowlist of Graphviz attributes that entity types
 * and relation types may set as styles, and the check of their values.
 *
 * Pipeline position: core, below check and render. It is the one place
 * the rules live: `kgraph check` applies them so that CI on a graph
 * catches a graph that cannot be drawn, and kg_render applies them before
 * anything is drawn, so only known keys with checked values reach
 * Graphviz: keys that read files, set links or ids, or crash Graphviz are
 * refused with the reason. Both give the same diagnostics, at the type's
 * or relation type's declaration. It reads the graph through its public
 * interface only, and knows nothing of drawing; the loader keeps any key,
 * since a graph with a misspelt style can still be queried and exported.
 */
#include "core/style_keys.h"
#include "core/diag_internal.h"
#include "kgraph/common.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

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

/* An arrowType: up to four shapes, each optionally prefixed with o
 * (open) and then l or r (half). */
static bool valid_arrow(const char *s)
{
	size_t i, parts = 0;

	if (kg__name_index(s, arrow_legacy, COUNT(arrow_legacy)) >= 0)
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
			d = kg__diag_at(diags, KG_SEV_ERROR, at, "%sshape '%s' is not allowed", prefix, v);
			if (d < 0)
				return KG_ENOMEM;
			if (diags)
				kg__diag_hintf(diags, (size_t)d, "record shapes read '|', '{' and '}' in names as layout; use 'box' or 'rect'");
			return KG_EINVALID;
		}
		if (strcmp(v, "epsf") == 0 || strcmp(v, "custom") == 0) {
			return kg__diag_at(diags, KG_SEV_ERROR, at, "%sshape '%s' is not allowed: it makes Graphviz read a file",
			                       prefix, v) < 0 ? KG_ENOMEM : KG_EINVALID;
		}
		if (kg__name_index(v, shapes, COUNT(shapes)) < 0 ||
		    strcmp(v, shapes[kg__name_index(v, shapes, COUNT(shapes))]) != 0)
			return kg__diag_unknown(diags, at, KG_EINVALID, "shape", v, shapes, COUNT(shapes), prefix);
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
			if (kg__name_index(item, list, n) < 0) {
				rc = kg__diag_unknown(diags, at, KG_EINVALID, "style", item, list, n, prefix);
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
			return kg__diag_at(diags, KG_SEV_ERROR, at, "%s%s '%s' is not a colour", prefix, key, v) < 0
			           ? KG_ENOMEM : KG_EINVALID;
		return KG_OK;
	}
	case V_NUM:
	case V_INT: {
		char *end;
		double x;
		errno = 0;
		x = kg__strtod(v, &end);
		if (end == v || *end || errno || !isfinite(x) || x < a->min || x > a->max ||
		    (a->kind == V_INT && x != floor(x)))
			return kg__diag_at(diags, KG_SEV_ERROR, at, "%s%s '%s' must be a%s number from %g to %g", prefix, key, v,
			                       a->kind == V_INT ? " whole" : "", a->min, a->max) < 0
			           ? KG_ENOMEM : KG_EINVALID;
		return KG_OK;
	}
	case V_ARROW:
		if (!valid_arrow(v))
			return kg__diag_unknown(diags, at, KG_EINVALID, "arrow", v, arrow_shapes, COUNT(arrow_shapes), prefix);
		return KG_OK;
	case V_DIR:
		if (kg__name_index(v, dirs, COUNT(dirs)) < 0)
			return kg__diag_unknown(diags, at, KG_EINVALID, "dir", v, dirs, COUNT(dirs), prefix);
		return KG_OK;
	case V_BOOL:
		if (kg__name_index(v, bools, COUNT(bools)) < 0)
			return kg__diag_unknown(diags, at, KG_EINVALID, "value", v, bools, COUNT(bools), prefix);
		return KG_OK;
	}
	return KG_OK;
}

/* Check one style key and value of an entity type (edge = false: node
 * attributes) or a relation type (edge = true); prefix names the type. */
static int style_check(kg_diag_list *diags, const kg_location *at, const char *prefix, kg_attr a, bool edge)
{
	const allowed *keys = edge ? edge_keys : node_keys;
	size_t nkeys = edge ? COUNT(edge_keys) : COUNT(node_keys);
	const char *names[32];
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(a.key, keys[i].key) == 0)
			return check_value(diags, at, prefix, a.key, &keys[i], a.value);
	for (i = 0; i < COUNT(forbidden_keys); i++)
		if (strcasecmp(a.key, forbidden_keys[i].key) == 0)
			return kg__diag_at(diags, KG_SEV_ERROR, at, "%sstyle key '%s' is not allowed: %s", prefix, a.key,
			                       forbidden_keys[i].why) < 0 ? KG_ENOMEM : KG_EINVALID;
	for (i = 0; i < nkeys; i++)
		names[i] = keys[i].key;
	return kg__diag_unknown(diags, at, KG_EINVALID, "style key", a.key, names, nkeys, prefix);
}

int kg__style_check_graph(const kg_graph *g, kg_diag_list *diags)
{
	size_t i, j, n = kg_graph_type_count(g), nr = kg_graph_relation_type_count(g);
	char prefix[300];
	int result = KG_OK;

	for (i = 0; i < n; i++) {
		kg_location at = kg_type_location(g, (uint32_t)i);
		for (j = 0; j < kg_type_attr_count(g, (uint32_t)i); j++) {
			int rc;
			snprintf(prefix, sizeof prefix, "type '%s': ", kg_type_name(g, (uint32_t)i));
			rc = style_check(diags, at.file ? &at : NULL, prefix, kg_type_attr(g, (uint32_t)i, j), false);
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
			rc = style_check(diags, &at, prefix, kg_relation_type_attr(g, (uint32_t)i, j), true);
			if (rc == KG_ENOMEM)
				return rc;
			if (rc)
				result = rc;
		}
	}
	return result;
}
