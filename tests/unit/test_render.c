/*
 * test_render.c - drawing graphs: what is selected, how it is styled and
 * escaped, each output format, determinism, the style-key allowlist,
 * links, the legend, clusters, paths, timeouts and errors.
 *
 * SVG is checked with a small XML well-formedness checker written here
 * (tags nest, attributes are quoted and contain no '<', every entity is
 * one XML knows); it also decodes text and attribute values so the tests
 * can look for text exactly as written. DOT output is read back with
 * Graphviz's own parser (agmemread), and laid out to compare with the
 * in-process SVG.
 */
#define _POSIX_C_SOURCE 200809L
#include "test_common.h"
#include "util/util.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static const char small[] =
	"title: Small test graph\n"
	"sources:\n"
	"  memo: {title: A memo, publisher: Desk, date: 2024-09, url: \"https://example.org/m?a=1&b=2\"}\n"
	"types:\n"
	"  media: {label: News outlet, shape: note, color: \"#8c564b\"}\n"
	"relation_types:\n"
	"  met_with: {label: met with, symmetric: true}\n"
	"  heads: {label: heads, style: bold}\n"
	"entities:\n"
	"  biden: {type: person, name: Joe Biden, url: \"https://example.org/biden\"}\n"
	"  usa: {type: country, name: United States}\n"
	"  starmer: {type: person, name: Keir Starmer, party: Labour}\n"
	"  uk: {type: country, name: United Kingdom, party: none}\n"
	"  paper: {type: media, name: Paper}\n"
	"relations:\n"
	"  - [biden, heads, usa]\n"
	"  - [starmer, heads, uk]\n"
	"  - {from: biden, type: met_with, to: starmer, date: 2024-09-13, source: memo, quote: They met.}\n"
	"  - {from: paper, type: reported, to: biden, since: 2024-01, until: 2024-06}\n";

/* Names, quotes and urls that Graphviz, DOT, XML or a browser would
 * read as something other than text if they were not escaped. */
static const char hostile[] =
	"title: \"Hostile <title> & \\\"quotes\\\" \\\\N\"\n"
	"sources:\n"
	"  s1: {title: \"Src <i>one</i> & \\\"two\\\"\", publisher: \"AT&amp;T\", url: \"https://example.org/a?x=1&y=\\\"<>\\\"\"}\n"
	"  s2: {title: Bad source, url: \"javascript:alert(1)\"}\n"
	"entities:\n"
	"  lee: {type: person, name: \"C:\\\\Names\\\\Lee\", url: \"javascript:alert(1)\"}\n"
	"  n: {type: person, name: \"\\\\N \\\\G \\\\L end\\\\\"}\n"
	"  b: {type: organization, name: \"<b>x</b>\", url: \"http://example.com/\\\"<>&'\"}\n"
	"  s: {type: country, name: \"\\\"&<script>alert(1)</script>\"}\n"
	"  amp: {type: organization, name: \"AT&amp;T\"}\n"
	"  z: {type: person, name: \"Зеленський\"}\n"
	"  a: {type: place, name: \"العربية\"}\n"
	"  c: {type: place, name: \"中文\"}\n"
	"  e: {type: event, name: \"😀\"}\n"
	"  ctl: {type: event, name: \"bell\\u0001\"}\n"
	"relations:\n"
	"  - {from: lee, type: met, to: n, source: s1, quote: \"He said \\\"C:\\\\temp\\\" & <b>bold</b> \\\\N\"}\n"
	"  - {from: b, type: cites, to: s, source: s2, quote: \"</title><script>alert(1)</script>\"}\n"
	"  - [amp, r3, z]\n"
	"  - [z, r3, a]\n"
	"  - [a, r3, c]\n"
	"  - [c, r3, e]\n"
	"  - [e, r3, ctl]\n";

/* ---- a small XML well-formedness checker ----------------------------- */

typedef struct xml {
	char text[1 << 18];  /* decoded character data, one chunk per line */
	size_t ntext;
	char attrs[1 << 19]; /* decoded "element name=value" records, \x1e-separated */
	size_t nattrs;
	int elements;
	char error[128];
} xml;

static void xml_put(char *buf, size_t *n, size_t cap, const char *s, size_t len)
{
	if (*n + len + 1 < cap) {
		memcpy(buf + *n, s, len);
		*n += len;
		buf[*n] = '\0';
	}
}

/* Decode s[0..len) (entities) into out; 0, or -1 for a bad reference. */
static int xml_decode(const char *s, size_t len, char *out, size_t *outn, size_t cap)
{
	size_t i = 0;

	while (i < len) {
		if (s[i] != '&') {
			xml_put(out, outn, cap, s + i, 1);
			i++;
			continue;
		}
		{
			const char *semi = memchr(s + i, ';', len - i);
			size_t n;
			char utf8[5];
			unsigned long cp;
			if (!semi)
				return -1;
			n = (size_t)(semi - (s + i)) + 1;
			if (n == 4 && !strncmp(s + i, "&lt;", 4))
				xml_put(out, outn, cap, "<", 1);
			else if (n == 4 && !strncmp(s + i, "&gt;", 4))
				xml_put(out, outn, cap, ">", 1);
			else if (n == 5 && !strncmp(s + i, "&amp;", 5))
				xml_put(out, outn, cap, "&", 1);
			else if (n == 6 && !strncmp(s + i, "&quot;", 6))
				xml_put(out, outn, cap, "\"", 1);
			else if (n == 6 && !strncmp(s + i, "&apos;", 6))
				xml_put(out, outn, cap, "'", 1);
			else if (n > 3 && s[i + 1] == '#') {
				char *end;
				cp = s[i + 2] == 'x' ? strtoul(s + i + 3, &end, 16) : strtoul(s + i + 2, &end, 10);
				if (end != semi || cp == 0 || cp > 0x10FFFF || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13))
					return -1;
				if (cp < 0x80) {
					utf8[0] = (char)cp;
					n = 1;
				} else if (cp < 0x800) {
					utf8[0] = (char)(0xC0 | (cp >> 6));
					utf8[1] = (char)(0x80 | (cp & 63));
					n = 2;
				} else if (cp < 0x10000) {
					utf8[0] = (char)(0xE0 | (cp >> 12));
					utf8[1] = (char)(0x80 | ((cp >> 6) & 63));
					utf8[2] = (char)(0x80 | (cp & 63));
					n = 3;
				} else {
					utf8[0] = (char)(0xF0 | (cp >> 18));
					utf8[1] = (char)(0x80 | ((cp >> 12) & 63));
					utf8[2] = (char)(0x80 | ((cp >> 6) & 63));
					utf8[3] = (char)(0x80 | (cp & 63));
					n = 4;
				}
				xml_put(out, outn, cap, utf8, n);
				n = (size_t)(semi - (s + i)) + 1;
			} else
				return -1;
			i += n;
		}
	}
	return 0;
}

static bool name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

/* Parse s; returns 0 when well-formed, else -1 with x->error set. */
static int xml_parse(const char *s, size_t len, xml *x)
{
	const char *p = s, *end = s + len;
	char stack[64][64];
	int depth = 0, roots = 0;

	memset(x, 0, sizeof *x);
#define XFAIL(msg) do { snprintf(x->error, sizeof x->error, "%s at byte %ld", msg, (long)(p - s)); return -1; } while (0)
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *stop = lt ? lt : end;
		if (stop > p) {
			if (memchr(p, '>', (size_t)(stop - p)) && depth == 0)
				XFAIL("text outside the root");
			if (xml_decode(p, (size_t)(stop - p), x->text, &x->ntext, sizeof x->text))
				XFAIL("bad entity in text");
			xml_put(x->text, &x->ntext, sizeof x->text, "\n", 1);
		}
		if (!lt)
			break;
		p = lt;
		if (!strncmp(p, "<?", 2)) {
			const char *q = strstr(p, "?>");
			if (!q)
				XFAIL("unterminated <?");
			p = q + 2;
		} else if (!strncmp(p, "<!--", 4)) {
			const char *q = strstr(p + 4, "--");
			if (!q || q[2] != '>')
				XFAIL("bad comment");
			p = q + 3;
		} else if (!strncmp(p, "<!DOCTYPE", 9)) {
			const char *q = memchr(p, '>', (size_t)(end - p));
			if (!q || depth)
				XFAIL("bad doctype");
			p = q + 1;
		} else if (p[1] == '/') {
			const char *q = p + 2;
			size_t n;
			while (q < end && name_char(*q, q == p + 2))
				q++;
			n = (size_t)(q - (p + 2));
			if (*q != '>' || !depth || strlen(stack[depth - 1]) != n || strncmp(stack[depth - 1], p + 2, n))
				XFAIL("mismatched end tag");
			depth--;
			p = q + 1;
		} else {
			const char *q = p + 1, *name = q;
			char elem[64], seen[32][64];
			int nseen = 0, i;
			while (q < end && name_char(*q, q == name))
				q++;
			if (q == name || q - name >= 63)
				XFAIL("bad element name");
			snprintf(elem, sizeof elem, "%.*s", (int)(q - name), name);
			for (;;) {
				const char *an;
				char aname[64], quote;
				const char *vstart, *vend;
				bool ws = false;
				while (q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')) {
					q++;
					ws = true;
				}
				if (*q == '>' || (*q == '/' && q[1] == '>'))
					break;
				if (!ws)
					XFAIL("attributes must be separated by space");
				an = q;
				while (q < end && name_char(*q, q == an))
					q++;
				if (q == an || q - an >= 63 || *q != '=')
					XFAIL("bad attribute");
				snprintf(aname, sizeof aname, "%.*s", (int)(q - an), an);
				for (i = 0; i < nseen; i++)
					if (!strcmp(seen[i], aname))
						XFAIL("duplicate attribute");
				if (nseen < 32)
					strcpy(seen[nseen++], aname);
				q++;
				quote = *q;
				if (quote != '"' && quote != '\'')
					XFAIL("unquoted attribute value");
				vstart = q + 1;
				vend = memchr(vstart, quote, (size_t)(end - vstart));
				if (!vend || memchr(vstart, '<', (size_t)(vend - vstart)))
					XFAIL("bad attribute value");
				xml_put(x->attrs, &x->nattrs, sizeof x->attrs, elem, strlen(elem));
				xml_put(x->attrs, &x->nattrs, sizeof x->attrs, " ", 1);
				xml_put(x->attrs, &x->nattrs, sizeof x->attrs, aname, strlen(aname));
				xml_put(x->attrs, &x->nattrs, sizeof x->attrs, "=", 1);
				if (xml_decode(vstart, (size_t)(vend - vstart), x->attrs, &x->nattrs, sizeof x->attrs))
					XFAIL("bad entity in attribute");
				xml_put(x->attrs, &x->nattrs, sizeof x->attrs, "\x1e", 1);
				q = vend + 1;
			}
			x->elements++;
			if (depth == 0 && ++roots > 1)
				XFAIL("two root elements");
			if (*q == '/') {
				p = q + 2;
			} else {
				if (depth >= 64)
					XFAIL("too deep");
				strcpy(stack[depth++], elem);
				p = q + 1;
			}
		}
	}
	if (depth)
		XFAIL("unclosed element");
	if (roots != 1)
		XFAIL("no root element");
#undef XFAIL
	return 0;
}

/* Whether some element has attribute name with exactly this value. */
static bool xml_attr_is(const xml *x, const char *name, const char *val)
{
	char want[512];
	const char *p = x->attrs;

	snprintf(want, sizeof want, " %s=%s\x1e", name, val);
	while ((p = strstr(p, want)))
		return true;
	return false;
}

/* Whether some attribute `name` has a value containing sub. */
static bool xml_attr_has(const xml *x, const char *name, const char *sub)
{
	char key[128];
	const char *p = x->attrs;

	snprintf(key, sizeof key, " %s=", name);
	while ((p = strstr(p, key))) {
		const char *v = p + strlen(key), *e = strchr(v, '\x1e');
		size_t n = e ? (size_t)(e - v) : strlen(v);
		char *copy = strndup(v, n);
		bool hit = strstr(copy, sub) != NULL;
		free(copy);
		if (hit)
			return true;
		p = v;
	}
	return false;
}

static void assert_well_formed(const unsigned char *data, size_t len, xml *x)
{
	if (xml_parse((const char *)data, len, x) != 0)
		fail_msg("SVG is not well-formed XML: %s", x->error);
}

/* ---- helpers ------------------------------------------------------------ */

static int render(unsigned char **data, size_t *len, const kg_graph *g, const kg_render_options *o,
                  kg_diag_list *d)
{
	return kg_render(data, len, g, o, d);
}

/* Render that must succeed. */
static unsigned char *render_ok(size_t *len, const kg_graph *g, const kg_render_options *o)
{
	kg_diag_list *d = kg_diag_list_new();
	unsigned char *data = NULL;
	int rc = render(&data, len, g, o, d);

	if (rc != KG_OK) {
		size_t i;
		for (i = 0; i < kg_diag_list_count(d); i++)
			print_error("  %s\n", kg_diag_list_get(d, i)->message);
		fail_msg("render failed (%d)", rc);
	}
	assert_non_null(data);
	assert_int_equal(data[*len], '\0');
	kg_diag_list_free(d);
	return data;
}

static char *dot_of(const kg_graph *g, kg_render_options *o)
{
	size_t len;
	o->format = KG_RENDER_DOT;
	return (char *)render_ok(&len, g, o);
}

/* Read DOT back with Graphviz; counts nodes whose id starts with "e-"
 * and edges whose id starts with "r-". */
static Agraph_t *read_dot(const char *dot, int *entities, int *relations)
{
	Agraph_t *gv = agmemread(dot);
	Agnode_t *n;

	assert_non_null(gv);
	*entities = *relations = 0;
	for (n = agfstnode(gv); n; n = agnxtnode(gv, n)) {
		Agedge_t *e;
		const char *id = agget(n, "id");
		if (id && !strncmp(id, "e-", 2))
			(*entities)++;
		for (e = agfstout(gv, n); e; e = agnxtout(gv, e)) {
			const char *eid = agget(e, "id");
			if (eid && !strncmp(eid, "r-", 2))
				(*relations)++;
		}
	}
	return gv;
}

static Agedge_t *edge_with_id(Agraph_t *gv, const char *id)
{
	Agnode_t *n;

	for (n = agfstnode(gv); n; n = agnxtnode(gv, n)) {
		Agedge_t *e;
		for (e = agfstout(gv, n); e; e = agnxtout(gv, e))
			if (agget(e, "id") && !strcmp(agget(e, "id"), id))
				return e;
	}
	return NULL;
}

/* The first edge whose class list holds cls. */
static Agedge_t *edge_with_class(Agraph_t *gv, const char *cls)
{
	Agnode_t *n;
	size_t len = strlen(cls);

	for (n = agfstnode(gv); n; n = agnxtnode(gv, n)) {
		Agedge_t *e;
		for (e = agfstout(gv, n); e; e = agnxtout(gv, e)) {
			const char *c = agget(e, "class"), *at = c ? strstr(c, cls) : NULL;
			if (at && (at[len] == ' ' || !at[len]))
				return e;
		}
	}
	return NULL;
}

static Agnode_t *node_with_id(Agraph_t *gv, const char *id)
{
	Agnode_t *n;

	for (n = agfstnode(gv); n; n = agnxtnode(gv, n))
		if (agget(n, "id") && !strcmp(agget(n, "id"), id))
			return n;
	return NULL;
}

static bool has_diag(const kg_diag_list *d, kg_severity sev, const char *text)
{
	size_t i;

	for (i = 0; i < kg_diag_list_count(d); i++) {
		const kg_diag *x = kg_diag_list_get(d, i);
		if (x->severity == sev && strstr(x->message, text))
			return true;
	}
	return false;
}

static const kg_diag *diag_with(const kg_diag_list *d, const char *text)
{
	size_t i;

	for (i = 0; i < kg_diag_list_count(d); i++)
		if (strstr(kg_diag_list_get(d, i)->message, text))
			return kg_diag_list_get(d, i);
	fail_msg("no diagnostic containing \"%s\"", text);
	return NULL;
}

/* A generated graph: n entities of the seven built-in types, m relations. */
static kg_graph *generated(size_t n, size_t m)
{
	static const char *const types[] = {"person", "country", "organization", "weapon",
	                                    "decision", "event", "place"};
	size_t cap = 200 + n * 80 + m * 40, len = 0, i;
	char *y = malloc(cap);
	unsigned long seed = 12345;
	kg_graph *g;

	assert_non_null(y);
	len += (size_t)snprintf(y + len, cap - len, "title: Generated\nentities:\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(y + len, cap - len, "  e%zu: {type: %s, name: Entity %zu}\n", i, types[i % 7], i);
	if (m)
		len += (size_t)snprintf(y + len, cap - len, "relations:\n");
	for (i = 0; i < m; i++) {
		size_t a, b;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		a = (size_t)(seed >> 33) % n;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		b = (size_t)(seed >> 33) % n;
		if (a == b)
			b = (b + 1) % n;
		len += (size_t)snprintf(y + len, cap - len, "  - [e%zu, rel%zu, e%zu]\n", a, i % 20, b);
	}
	g = load_ok(y);
	free(y);
	return g;
}

/* ---- formats ------------------------------------------------------------ */

static void test_render__format_from_name(void **state)
{
	kg_render_format f = KG_RENDER_PNG;
	(void)state;

	assert_int_equal(kg_render_format_from_name(&f, "svg"), KG_OK);
	assert_int_equal(f, KG_RENDER_SVG);
	assert_int_equal(kg_render_format_from_name(&f, "out/graph.PNG"), KG_OK);
	assert_int_equal(f, KG_RENDER_PNG);
	assert_int_equal(kg_render_format_from_name(&f, "x.pdf"), KG_OK);
	assert_int_equal(f, KG_RENDER_PDF);
	assert_int_equal(kg_render_format_from_name(&f, "a.gv"), KG_OK);
	assert_int_equal(f, KG_RENDER_DOT);
	assert_int_equal(kg_render_format_from_name(&f, "DOT"), KG_OK);
	assert_int_equal(f, KG_RENDER_DOT);
	assert_int_equal(kg_render_format_from_name(&f, "picture.jpg"), KG_EARG);
	assert_int_equal(f, KG_RENDER_DOT);
	assert_int_equal(kg_render_format_from_name(&f, ""), KG_EARG);
	assert_string_equal(kg_render_format_name(KG_RENDER_PDF), "pdf");
}

static void test_render__dot_has_nodes_edges_and_styles(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot = dot_of(g, &o);
	int ne, nr;
	Agraph_t *gv;
	Agedge_t *e;
	Agnode_t *n;
	(void)state;

	assert_non_null(strstr(dot, "digraph kgraph {"));
	assert_non_null(strstr(dot, "layout=\"dot\""));
	assert_non_null(strstr(dot, "label=\"Small test graph\""));
	gv = read_dot(dot, &ne, &nr);
	assert_int_equal(ne, 5);
	assert_int_equal(nr, 4);
	n = node_with_id(gv, "e-biden");
	assert_non_null(n);
	assert_string_equal(agget(n, "label"), "Joe Biden");
	assert_string_equal(agget(n, "shape"), "ellipse");
	assert_string_equal(agget(n, "URL"), "https://example.org/biden");
	n = node_with_id(gv, "e-paper");
	assert_string_equal(agget(n, "shape"), "note");        /* the type's own style */
	assert_string_equal(agget(n, "color"), "#694138");     /* #8c564b, darkened for the outline */
	assert_string_equal(agget(node_with_id(gv, "e-usa"), "shape"), "box3d");
	e = edge_with_id(gv, "r-0");
	assert_non_null(e);
	assert_string_equal(agget(e, "label"), "heads");
	assert_string_equal(agget(e, "style"), "bold");        /* relation type style key */
	e = edge_with_id(gv, "r-2");
	assert_string_equal(agget(e, "dir"), "none");          /* symmetric */
	assert_string_equal(agget(e, "URL"), "https://example.org/m?a=1&amp;b=2");
	assert_non_null(strstr(agget(e, "tooltip"), "They met."));
	/* distinct colours for distinct relation types */
	assert_string_not_equal(agget(edge_with_id(gv, "r-0"), "color"), agget(edge_with_id(gv, "r-3"), "color"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

/* The DOT text, laid out by Graphviz, gives the very SVG kg_render gives:
 * `kgraph render -T dot | dot -Tsvg` draws the same picture. */
/* Automatic shapes skip egg: in black and white, shape is all that tells
 * types apart, and an egg around a label looks like the person's
 * ellipse. Five declared types take note..cylinder; the sixth is next. */
static void test_render__auto_shapes_never_egg(void **state)
{
	kg_graph *g = load_ok("types:\n  t1: {}\n  t2: {}\n  t3: {}\n  t4: {}\n  t5: {}\n  t6: {}\n"
	                      "entities:\n  a: {type: t1}\n  b: {type: t2}\n  c: {type: t3}\n"
	                      "  d: {type: t4}\n  e: {type: t5}\n  f: {type: t6}\n");
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot;
	(void)state;

	o.theme = "print";
	dot = dot_of(g, &o);
	assert_null(strstr(dot, "shape=\"egg\""));
	assert_non_null(strstr(dot, "shape=\"cylinder\""));
	assert_non_null(strstr(dot, "shape=\"trapezium\""));
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

static void test_render__dot_lays_out_like_in_process_svg(void **state)
{
	kg_graph *g = load_ok(hostile);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot, *buf;
	unsigned char *svg;
	unsigned int gvlen;
	size_t len;
	/* Never freed: Graphviz 2.43 keeps a pointer into a freed context
	 * (see src/render/gv.c), which later renders in this process would read. */
	static GVC_t *gvc;
	Agraph_t *gv;
	(void)state;

	/* The stretch into the page's shape needs the layout, so the DOT
	 * text does not carry it (docs/rendering.md): compare unstretched. */
	o.fit = "none";
	dot = dot_of(g, &o);
	gv = agmemread(dot);

	if (!gvc)
		gvc = gvContext();
	assert_non_null(gv);
	assert_int_equal(gvLayout(gvc, gv, agget(gv, "layout")), 0);
	assert_int_equal(gvRenderData(gvc, gv, "svg", &buf, &gvlen), 0);
	o.format = KG_RENDER_SVG;
	o.in_process = true;
	svg = render_ok(&len, g, &o);
	assert_int_equal(len, gvlen);
	assert_memory_equal(svg, buf, len);
	gvFreeRenderData(buf);
	gvFreeLayout(gvc, gv);
	agclose(gv);
	kg_render_free(svg);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

static void test_render__svg_is_xml_with_ids_labels_tooltips(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	static xml x;
	size_t len;
	unsigned char *svg = render_ok(&len, g, &o);
	(void)state;

	assert_memory_equal(svg, "<?xml", 5);
	assert_well_formed(svg, len, &x);
	assert_true(xml_attr_is(&x, "id", "e-biden"));
	assert_true(xml_attr_is(&x, "id", "e-paper"));
	assert_true(xml_attr_is(&x, "id", "r-0"));
	assert_true(xml_attr_is(&x, "id", "r-3"));
	assert_true(xml_attr_has(&x, "class", "kg-type-person"));
	assert_non_null(strstr(x.text, "Joe Biden\n"));
	assert_non_null(strstr(x.text, "met with\n"));
	assert_non_null(strstr(x.text, "Small test graph\n"));
	/* tooltips: an entity's attributes; a relation's source, date, quote */
	assert_true(xml_attr_has(&x, "xlink:title", "Keir Starmer\nperson \xC2\xB7 starmer\nparty: Labour"));
	assert_true(xml_attr_has(&x, "xlink:title", "date: 2024-09-13\nsource: A memo (Desk, 2024-09)\n"
	                                            "\xE2\x80\x9CThey met.\xE2\x80\x9D"));
	/* links, with & kept as & after XML decoding */
	assert_true(xml_attr_is(&x, "xlink:href", "https://example.org/biden"));
	assert_true(xml_attr_is(&x, "xlink:href", "https://example.org/m?a=1&b=2"));
	kg_render_free(svg);
	kg_graph_free(g);
}

static void test_render__png_has_signature_and_plausible_size(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_render_stats st;
	unsigned char *png;
	size_t len;
	unsigned long w, h;
	(void)state;

	o.format = KG_RENDER_PNG;
	o.stats = &st;
	png = render_ok(&len, g, &o);
	assert_true(len > 33);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(png + 12, "IHDR", 4);
	w = ((unsigned long)png[16] << 24) | ((unsigned long)png[17] << 16) | ((unsigned long)png[18] << 8) | png[19];
	h = ((unsigned long)png[20] << 24) | ((unsigned long)png[21] << 16) | ((unsigned long)png[22] << 8) | png[23];
	assert_true(w > 200 && w < 5000);
	assert_true(h > 100 && h < 5000);
	assert_int_equal(st.dpi, 96);
	assert_string_equal(st.engine, "dot");
	kg_render_free(png);

	/* twice the dpi, about twice the pixels */
	o.dpi = 192;
	png = render_ok(&len, g, &o);
	assert_true((((unsigned long)png[16] << 24) | ((unsigned long)png[17] << 16) | ((unsigned long)png[18] << 8) |
	             png[19]) > 3 * w / 2);
	kg_render_free(png);
	kg_graph_free(g);
}

/* Where needle occurs in p[0..len), or NULL. */
static const void *find_bytes(const unsigned char *p, size_t len, const char *needle, size_t nlen)
{
	for (size_t i = 0; i + nlen <= len; i++)
		if (memcmp(p + i, needle, nlen) == 0)
			return p + i;
	return NULL;
}

static void test_render__pdf_has_header(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	unsigned char *pdf;
	size_t len;
	(void)state;

	o.format = KG_RENDER_PDF;
	pdf = render_ok(&len, g, &o);
	assert_true(len > 100);
	assert_memory_equal(pdf, "%PDF-", 5);
	/* the creation date cairo writes is blanked out (determinism) */
	assert_null(find_bytes(pdf, len, "/CreationDate", 13));
	assert_non_null(find_bytes(pdf, len, "/Producer (cairo", 16));
	kg_render_free(pdf);
	kg_graph_free(g);
}

static void test_render__same_input_same_bytes(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_render_format formats[] = {KG_RENDER_DOT, KG_RENDER_SVG, KG_RENDER_PNG, KG_RENDER_PDF};
	size_t i;
	(void)state;

	for (i = 0; i < 4; i++) {
		unsigned char *a, *b;
		size_t alen, blen;
		o.format = formats[i];
		a = render_ok(&alen, g, &o);
		/* cairo stamps a PDF with the time to the second: make the
		 * second render fall in another second */
		if (formats[i] == KG_RENDER_PDF)
			sleep(1);
		b = render_ok(&blen, g, &o);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		kg_render_free(a);
		kg_render_free(b);
	}
	/* in-process and forked rendering agree */
	{
		unsigned char *a, *b;
		size_t alen, blen;
		o.format = KG_RENDER_SVG;
		a = render_ok(&alen, g, &o);
		o.in_process = true;
		b = render_ok(&blen, g, &o);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		kg_render_free(a);
		kg_render_free(b);
	}
	kg_graph_free(g);
}

/* ---- escaping ------------------------------------------------------------ */

static void test_render__hostile_text_is_literal_in_every_format(void **state)
{
	kg_graph *g = load_ok(hostile);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	static xml x;
	unsigned char *out = NULL;
	size_t len;
	char *dot;
	int ne, nr;
	Agraph_t *gv;
	(void)state;

	/* DOT: read back, the same objects and the escaped values */
	dot = dot_of(g, &o);
	gv = read_dot(dot, &ne, &nr);
	assert_int_equal(ne, 10);
	assert_int_equal(nr, 7);
	assert_string_equal(agget(node_with_id(gv, "e-lee"), "label"), "C:\\\\Names\\\\Lee");
	assert_string_equal(agget(node_with_id(gv, "e-n"), "label"), "\\\\N \\\\G \\\\L end\\\\");
	assert_string_equal(agget(node_with_id(gv, "e-s"), "label"), "\"&amp;<script>alert(1)</script>");
	assert_string_equal(agget(node_with_id(gv, "e-amp"), "label"), "AT&amp;amp;T");
	assert_string_equal(agget(node_with_id(gv, "e-lee"), "URL"), ""); /* javascript: dropped */
	assert_string_equal(agget(node_with_id(gv, "e-b"), "URL"), "http://example.com/%22%3C%3E&amp;%27");
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	/* SVG: well-formed, no markup from the text, the text decoded back */
	o.format = KG_RENDER_SVG;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	assert_well_formed(out, len, &x);
	assert_null(strstr((char *)out, "<script"));
	assert_null(strstr((char *)out, "<b>"));
	assert_null(strstr((char *)out, "javascript:"));
	assert_non_null(strstr(x.text, "\nC:\\Names\\Lee\n"));
	assert_non_null(strstr(x.text, "\n\\N \\G \\L end\\\n"));
	assert_non_null(strstr(x.text, "\n<b>x</b>\n"));
	assert_non_null(strstr(x.text, "\n\"&<script>alert(1)</script>\n"));
	assert_non_null(strstr(x.text, "\nAT&amp;T\n"));
	assert_non_null(strstr(x.text, "\nЗеленський\n"));
	assert_non_null(strstr(x.text, "\nالعربية\n"));
	assert_non_null(strstr(x.text, "\n中文\n"));
	assert_non_null(strstr(x.text, "\n😀\n"));
	assert_non_null(strstr(x.text, "\nbell\xEF\xBF\xBD\n")); /* a control character becomes U+FFFD */
	assert_non_null(strstr(x.text, "Hostile <title> & \"quotes\" \\N\n"));
	assert_true(xml_attr_has(&x, "xlink:title", "C:\\Names\\Lee\nperson"));
	assert_true(xml_attr_has(&x, "xlink:title", "He said \"C:\\temp\" & <b>bold</b> \\N"));
	assert_true(xml_attr_has(&x, "xlink:title", "source: Src <i>one</i> & \"two\" (AT&amp;T)"));
	assert_true(xml_attr_is(&x, "xlink:href", "https://example.org/a?x=1&y=%22%3C%3E%22"));
	assert_true(xml_attr_is(&x, "xlink:href", "http://example.com/%22%3C%3E&%27"));
	assert_true(has_diag(d, KG_SEV_WARNING, "entity 'lee': url 'javascript:alert(1)' is not http or https"));
	assert_true(has_diag(d, KG_SEV_WARNING, "source 's2': url 'javascript:alert(1)' is not http or https"));
	assert_int_equal(kg_diag_list_count_severity(d, KG_SEV_ERROR), 0);
	kg_render_free(out);

	/* PNG and PDF draw it too */
	o.format = KG_RENDER_PNG;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	assert_memory_equal(out, "\x89PNG", 4);
	kg_render_free(out);
	o.format = KG_RENDER_PDF;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	assert_memory_equal(out, "%PDF-", 5);
	kg_render_free(out);
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* ---- the style-key allowlist --------------------------------------------- */

/* Render a graph whose types carry the given style text; expect
 * KG_EINVALID and a diagnostic containing text; return its hint. */
static const char *style_error(const char *types_yaml, const char *text)
{
	static char hint[256];
	char yaml[1024];
	kg_graph *g;
	kg_diag_list *d = kg_diag_list_new();
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	unsigned char *out = (unsigned char *)"";
	size_t len = 1;
	const kg_diag *e;

	snprintf(yaml, sizeof yaml, "%sentities:\n  a: {type: person}\n  b: {type: country}\nrelations:\n  - [a, heads, b]\n",
	         types_yaml);
	g = load_ok(yaml);
	o.format = KG_RENDER_DOT;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EINVALID);
	assert_null(out);
	assert_int_equal(len, 0);
	e = diag_with(d, text);
	assert_int_equal(e->severity, KG_SEV_ERROR);
	snprintf(hint, sizeof hint, "%s", e->hint ? e->hint : "");
	kg_diag_list_free(d);
	kg_graph_free(g);
	return hint;
}

/* Style text, the error it gives, and its hint: exactly hint_is, or
 * containing hint_has (NULL: not checked). */
static const struct {
	const char *yaml, *error, *hint_is, *hint_has;
} refused_styles[] = {
	{"types:\n  person: {image: /etc/passwd}\n",
	 "type 'person': style key 'image' is not allowed: it makes Graphviz read a file", NULL, NULL},
	{"types:\n  person: {shapefile: x.png}\n", "style key 'shapefile' is not allowed", NULL, NULL},
	{"types:\n  person: {fontpath: /tmp}\n", "style key 'fontpath' is not allowed", NULL, NULL},
	{"types:\n  person: {stylesheet: x.css}\n", "style key 'stylesheet' is not allowed", NULL, NULL},
	{"types:\n  person: {URL: \"http://x\"}\n", "style key 'URL' is not allowed", NULL, NULL},
	{"types:\n  person: {href: \"http://x\"}\n", "style key 'href' is not allowed", NULL, NULL},
	{"types:\n  person: {shape: record}\n", "type 'person': shape 'record' is not allowed", NULL, "record shapes"},
	{"types:\n  person: {shape: Mrecord}\n", "shape 'Mrecord' is not allowed", NULL, NULL},
	{"types:\n  person: {shape: epsf}\n", "shape 'epsf' is not allowed", NULL, NULL},
	{"types:\n  person: {colr: red}\n", "unknown style key 'colr'", "did you mean 'color'?", NULL},
	{"types:\n  person: {shape: elipse}\n", "unknown shape 'elipse'", "did you mean 'ellipse'?", NULL},
	{"types:\n  person: {fontsize: \"1e9\"}\n", "fontsize '1e9' must be a number from 4 to 72", NULL, NULL},
	{"types:\n  person: {style: \"filled,sparkly\"}\n", "unknown style 'sparkly'", NULL, NULL},
	{"types:\n  person: {color: \"red\\\"; URL=x\"}\n", "is not a colour", NULL, NULL},
	{"relation_types:\n  heads: {splines: ortho}\n", "relation type 'heads': style key 'splines' is not allowed",
	 NULL, NULL},
	{"relation_types:\n  heads: {arrowhead: nrmal}\n", "unknown arrow 'nrmal'", "did you mean 'normal'?", NULL},
};

static void test_render__style_keys_are_allowlisted(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof refused_styles / sizeof *refused_styles; i++) {
		const char *hint = style_error(refused_styles[i].yaml, refused_styles[i].error);
		if (refused_styles[i].hint_is)
			assert_string_equal(hint, refused_styles[i].hint_is);
		if (refused_styles[i].hint_has)
			assert_non_null(strstr(hint, refused_styles[i].hint_has));
	}
}

static void test_render__allowed_style_keys_pass(void **state)
{
	kg_graph *g = load_ok("types:\n  person: {shape: doublecircle, fillcolor: \"#ffffff\", style: \"filled,dashed\", "
	                      "penwidth: \"2\", peripheries: \"2\"}\n"
	                      "relation_types:\n  heads: {arrowhead: odiamond, style: dotted, penwidth: \"2.5\", "
	                      "color: \"red:blue\", constraint: \"false\"}\n"
	                      "entities:\n  a: {type: person}\n  b: {type: country}\nrelations:\n  - [a, heads, b]\n");
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot = dot_of(g, &o);
	(void)state;

	assert_non_null(strstr(dot, "shape=\"doublecircle\""));
	assert_non_null(strstr(dot, "fillcolor=\"#ffffff\""));
	assert_non_null(strstr(dot, "arrowhead=\"odiamond\""));
	assert_non_null(strstr(dot, "color=\"red:blue\""));
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

/* A warning from Graphviz itself (an unknown colour name passes kgraph's
 * check) comes back as a diagnostic, from the child process. */
static void test_render__graphviz_warnings_become_diagnostics(void **state)
{
	kg_graph *g = load_ok("relation_types:\n  heads: {color: notacolour}\n"
	                      "entities:\n  a: {type: person}\n  b: {type: country}\nrelations:\n  - [a, heads, b]\n");
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	unsigned char *out;
	size_t len;
	(void)state;

	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_OK);
	assert_true(has_diag(d, KG_SEV_WARNING, "graphviz: notacolour is not a known color"));
	kg_render_free(out);
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* ---- options --------------------------------------------------------------- */

static void test_render__bad_options_are_earg_with_hints(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	unsigned char *out;
	size_t len;
	uint32_t bad = 99;
	(void)state;

	o.engine = "sfpd";
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	assert_string_equal(diag_with(d, "unknown layout engine 'sfpd'")->hint, "did you mean 'sfdp'?");
	o.engine = "neato";
	o.theme = "drak";
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	assert_string_equal(diag_with(d, "unknown theme 'drak'")->hint, "did you mean 'dark'?");
	o.theme = "print";
	o.rankdir = "XY";
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	assert_non_null(strstr(diag_with(d, "unknown rank direction 'XY'")->hint, "TB, LR, BT, RL"));
	o.rankdir = "lr";
	o.focus = &bad;
	o.nfocus = 1;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	o.nfocus = 0;
	o.dpi = 5000;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	o.dpi = KG_RENDER_MAX_DPI + 1;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	assert_int_equal(diag_with(d, "dpi 601 is more than 600")->severity, KG_SEV_ERROR);
	o.dpi = 0;
	o.depth = KG_MAX_NEIGHBOR_DEPTH + 1;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EARG);
	o.depth = 1;
	assert_int_equal(kg_render(NULL, &len, g, &o, d), KG_EARG);
	kg_diag_list_free(d);
	kg_graph_free(g);
}

static void test_render__focus_types_and_date_select(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	uint32_t focus = kg_graph_find_entity(g, "usa"), person = kg_graph_find_type(g, "person");
	kg_date day;
	char *dot;
	int ne, nr;
	Agraph_t *gv;
	(void)state;

	o.focus = &focus;
	o.nfocus = 1;
	o.depth = 1;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 2); /* usa, biden */
	assert_non_null(node_with_id(gv, "e-biden"));
	assert_null(node_with_id(gv, "e-starmer"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	o.depth = 2;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 4); /* + starmer, paper */
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	o.focus = NULL;
	o.nfocus = 0;
	o.types = &person;
	o.ntypes = 1;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 2);
	assert_int_equal(nr, 1); /* met_with */
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	o.types = NULL;
	o.ntypes = 0;
	assert_int_equal(kg_date_parse(&day, "2024-07", 7), KG_OK);
	o.filter.as_of = day; /* "reported" was valid until 2024-06 */
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 5);
	assert_int_equal(nr, 2); /* and the meeting of 2024-09-13 had not happened */
	assert_null(edge_with_id(gv, "r-3"));
	assert_null(edge_with_id(gv, "r-2"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	assert_int_equal(kg_date_parse(&day, "2024-09-13", 10), KG_OK);
	o.filter.as_of = day; /* the day of the meeting */
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(nr, 3);
	assert_non_null(edge_with_id(gv, "r-2"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

/* The look of edge id in a DOT text: "color style arrowhead". */
static void edge_look(char *out, size_t n, Agraph_t *gv, const char *id)
{
	Agedge_t *e = edge_with_id(gv, id);
	assert_non_null(e);
	snprintf(out, n, "%s %s %s", agget(e, "color"), agget(e, "style"), agget(e, "arrowhead"));
}

/* A relation type's look depends on the graph, not on the picture: the
 * same colour, line style and arrowhead whole or in part, and the types
 * drawn together still differ, in colour and in print. r0 and r7 share
 * a colour (7 colours) but not a line style; in print r0 and r4 share a
 * line style (4) but not an arrowhead. */
static void test_render__relation_types_look_the_same_in_every_picture(void **state)
{
	static const char many[] =
		"entities:\n"
		"  x: {type: person}\n  y: {type: person}\n  z: {type: person}\n"
		"  a: {type: place}\n  b: {type: place}\n"
		"relations:\n"
		"  - [x, r0, y]\n  - [a, r1, b]\n  - [a, r2, b]\n  - [a, r3, b]\n"
		"  - [x, r4, z]\n  - [a, r5, b]\n  - [a, r6, b]\n  - [x, r7, z]\n";
	static const char *const themes[] = {"light", "print"};
	kg_graph *g = load_ok(many);
	uint32_t focus = kg_graph_find_entity(g, "x");
	char part[3][128], whole[3][128];
	const char *ids[3] = {"r-0", "r-4", "r-7"};
	size_t t, i;
	(void)state;

	for (t = 0; t < 2; t++) {
		kg_render_options o = KG_RENDER_OPTIONS_INIT;
		char *dot;
		int ne, nr;
		Agraph_t *gv;
		o.theme = themes[t];
		gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
		for (i = 0; i < 3; i++)
			edge_look(whole[i], sizeof whole[i], gv, ids[i]);
		agclose(gv);
		kg_render_free((unsigned char *)dot);
		o.focus = &focus;
		o.nfocus = 1;
		gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
		assert_int_equal(nr, 3); /* r0, r4, r7 */
		for (i = 0; i < 3; i++) {
			edge_look(part[i], sizeof part[i], gv, ids[i]);
			assert_string_equal(part[i], whole[i]);
		}
		assert_string_not_equal(part[0], part[1]);
		assert_string_not_equal(part[0], part[2]);
		assert_string_not_equal(part[1], part[2]);
		agclose(gv);
		kg_render_free((unsigned char *)dot);
	}
	kg_graph_free(g);
}

/* Past the 21 distinct styles, the least used relation types are drawn
 * neutral and labelled even without edge labels, and the legend says so. */
static void test_render__types_past_the_styles_are_neutral_and_labelled(void **state)
{
	kg__buf y = {0};
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_graph *g;
	char *dot;
	int i, ne, nr;
	Agraph_t *gv;
	Agedge_t *rare, *common;
	(void)state;

	assert_int_equal(kg__buf_puts(&y, "entities:\n  a: {type: person}\n  b: {type: person}\nrelations:\n"), 0);
	/* t00 is used 23 times, t01 22 times, ... t22 once */
	for (i = 0; i < 23; i++)
		for (int k = 0; k < 23 - i; k++)
			assert_int_equal(kg__buf_printf(&y, "  - {from: a, type: t%02d, to: b, date: %d-01-01}\n", i, 1900 + k), 0);
	g = load_ok(y.p);
	o.edge_labels = false;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	rare = edge_with_class(gv, "kg-rtype-t22");
	common = edge_with_class(gv, "kg-rtype-t00");
	assert_non_null(rare);
	assert_non_null(common);
	assert_string_equal(agget(rare, "xlabel"), "t22"); /* 276 relations: external labels */
	assert_true(!agget(common, "xlabel") || !*agget(common, "xlabel"));
	assert_string_equal(agget(rare, "color"), agget(edge_with_class(gv, "kg-rtype-t21"), "color"));
	assert_non_null(strstr(dot, "2 other relation types"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
	kg__buf_free(&y);
}

static void test_render__nothing_selected_is_enotfound(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	uint32_t event = kg_graph_find_type(g, "event");
	unsigned char *out;
	size_t len;
	(void)state;

	o.types = &event;
	o.ntypes = 1;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_ENOTFOUND);
	assert_null(out);
	diag_with(d, "nothing to draw");
	kg_diag_list_free(d);
	kg_graph_free(g);
}

static void test_render__labels_dates_and_title_options(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot;
	int ne, nr;
	Agraph_t *gv;
	(void)state;

	o.label = KG_RENDER_LABEL_BOTH;
	o.edge_dates = true;
	o.title = false;
	dot = dot_of(g, &o);
	assert_non_null(strstr(dot, "label=\"Joe Biden\\n(biden)\""));
	assert_non_null(strstr(dot, "label=\"met with\\n2024-09-13\""));
	assert_non_null(strstr(dot, "label=\"reported\\n2024-01 \xE2\x80\x93 2024-06\""));
	assert_null(strstr(dot, "Small test graph"));
	kg_render_free((unsigned char *)dot);

	o.label = KG_RENDER_LABEL_ID;
	o.edge_labels = false;
	o.edge_dates = false;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_string_equal(agget(node_with_id(gv, "e-biden"), "label"), "biden");
	assert_true(!agget(edge_with_id(gv, "r-0"), "label") || !*agget(edge_with_id(gv, "r-0"), "label"));
	assert_non_null(node_with_id(gv, "legend-r-heads")); /* the legend says what colours mean */
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

/* ---- paths, legend, clusters ------------------------------------------------ */

static void test_render__paths_are_highlighted_and_the_rest_faded(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_path_options po = KG_PATH_OPTIONS_INIT;
	kg_paths *paths = NULL;
	char *dot;
	int ne, nr;
	Agraph_t *gv;
	Agedge_t *e;
	(void)state;

	assert_int_equal(kg_query_paths(&paths, g, kg_graph_find_entity(g, "usa"), kg_graph_find_entity(g, "uk"), &po, NULL),
	                 KG_OK);
	assert_int_equal(kg_paths_count(paths), 1);
	o.paths = paths;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 5);
	assert_int_equal(nr, 4);
	for (const char *const *id = (const char *const[]){"r-0", "r-2", "r-1", NULL}; *id; id++) {
		e = edge_with_id(gv, *id);
		assert_string_equal(agget(e, "penwidth"), "3");
		assert_string_equal(agget(e, "color"), "#D55E00");
		assert_non_null(strstr(agget(e, "class"), "kg-path"));
	}
	e = edge_with_id(gv, "r-3");
	assert_string_equal(agget(e, "color"), "#CFCFCF");
	assert_null(strstr(agget(e, "class"), "kg-path"));
	assert_string_equal(agget(node_with_id(gv, "e-paper"), "fillcolor"), "#F4F4F4");
	assert_string_equal(agget(node_with_id(gv, "e-biden"), "penwidth"), "3");
	assert_non_null(node_with_id(gv, "legend-path"));
	/* the relation types' colours are nowhere in this picture */
	assert_null(node_with_id(gv, "legend-r-heads"));
	assert_null(node_with_id(gv, "legend-r-met_with"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	/* only the path: drawn in the relation types' own styles */
	o.path_only = true;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	assert_int_equal(ne, 4);
	assert_int_equal(nr, 3);
	assert_null(node_with_id(gv, "e-paper"));
	assert_non_null(node_with_id(gv, "legend-r-heads"));
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_paths_free(paths);
	kg_graph_free(g);
}

static void test_render__legend_only_when_more_than_one_type(void **state)
{
	kg_graph *one = load_ok("entities:\n  a: {type: person}\n  b: {type: person}\nrelations:\n  - [a, knows, b]\n");
	kg_graph *two = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_render_stats st;
	char *dot;
	(void)state;

	o.stats = &st;
	dot = dot_of(one, &o);
	assert_null(strstr(dot, "legend"));
	assert_false(st.legend);
	kg_render_free((unsigned char *)dot);

	dot = dot_of(two, &o);
	assert_true(st.legend);
	assert_non_null(strstr(dot, "id=\"legend\""));          /* the box */
	assert_non_null(strstr(dot, "id=\"legend-e-person\""));
	assert_non_null(strstr(dot, "id=\"legend-e-media\""));
	assert_non_null(strstr(dot, "label=\"News outlet\""));
	assert_non_null(strstr(dot, "id=\"legend-r-met_with\""));
	assert_null(strstr(dot, "legend-e-event"));             /* not drawn, not listed */
	kg_render_free((unsigned char *)dot);

	o.legend = KG_RENDER_LEGEND_OFF;
	dot = dot_of(two, &o);
	assert_null(strstr(dot, "legend"));
	kg_render_free((unsigned char *)dot);
	o.legend = KG_RENDER_LEGEND_ON;
	dot = dot_of(one, &o);
	assert_non_null(strstr(dot, "id=\"legend-e-person\""));
	kg_render_free((unsigned char *)dot);
	kg_graph_free(one);
	kg_graph_free(two);
}

static void test_render__cluster_by_type_and_attribute(void **state)
{
	kg_graph *g = load_ok(small);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot;
	int ne, nr;
	Agraph_t *gv, *sg;
	(void)state;

	o.cluster_by = "type";
	o.legend = KG_RENDER_LEGEND_OFF;
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	sg = agsubg(gv, "cluster_1", 0); /* person: type 0 comes first */
	assert_non_null(sg);
	assert_string_equal(agget(sg, "label"), "Person");
	assert_int_equal(agnnodes(sg), 2);
	assert_non_null(agsubnode(sg, node_with_id(gv, "e-biden"), 0));
	sg = agsubg(gv, "cluster_3", 0);
	assert_string_equal(agget(sg, "label"), "News outlet");
	assert_null(agsubg(gv, "cluster_4", 0));
	agclose(gv);
	kg_render_free((unsigned char *)dot);

	o.cluster_by = "party";
	gv = read_dot(dot = dot_of(g, &o), &ne, &nr);
	sg = agsubg(gv, "cluster_1", 0); /* starmer's value comes first */
	assert_string_equal(agget(sg, "label"), "Labour");
	assert_int_equal(agnnodes(sg), 1);
	assert_string_equal(agget(agsubg(gv, "cluster_2", 0), "label"), "none");
	assert_null(agsubg(gv, "cluster_3", 0));
	agclose(gv);
	kg_render_free((unsigned char *)dot);
	kg_graph_free(g);
}

/* ---- engines, scale, time ---------------------------------------------------- */

static void test_render__auto_engine_and_edge_text_by_size(void **state)
{
	kg_graph *small_g = load_ok(small), *mid = generated(120, 200), *big = generated(400, 400);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	char *dot;
	(void)state;

	dot = dot_of(small_g, &o);
	assert_non_null(strstr(dot, "layout=\"dot\""));
	assert_null(strstr(dot, "xlabel="));
	kg_render_free((unsigned char *)dot);
	dot = dot_of(mid, &o); /* dot, but too many relations for ordinary edge labels */
	assert_non_null(strstr(dot, "layout=\"dot\""));
	assert_non_null(strstr(dot, "xlabel=\"rel0\""));
	assert_non_null(strstr(dot, "forcelabels=\"true\""));
	kg_render_free((unsigned char *)dot);
	dot = dot_of(big, &o);
	assert_non_null(strstr(dot, "layout=\"sfdp\""));
	assert_non_null(strstr(dot, "overlap=\"prism\""));
	kg_render_free((unsigned char *)dot);
	o.engine = "dot"; /* forced: bounded effort */
	dot = dot_of(big, &o);
	assert_non_null(strstr(dot, "nslimit=\"1\""));
	kg_render_free((unsigned char *)dot);
	kg_graph_free(small_g);
	kg_graph_free(mid);
	kg_graph_free(big);
}

/* dot on a large graph cannot finish in a second: the render is stopped
 * and the error names a faster engine. */
static void test_render__timeout_stops_and_names_sfdp(void **state)
{
	kg_graph *g = generated(1500, 3000);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	unsigned char *out = (unsigned char *)"x";
	size_t len = 1;
	const kg_diag *e;
	(void)state;

	o.engine = "dot";
	o.timeout_seconds = 1;
	assert_int_equal(kg_render(&out, &len, g, &o, d), KG_EIO);
	assert_null(out);
	assert_int_equal(len, 0);
	e = diag_with(d, "layout with engine 'dot' did not finish within 1 s");
	assert_int_equal(e->severity, KG_SEV_ERROR);
	assert_non_null(strstr(e->hint, "'sfdp'"));
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* A PNG larger than Graphviz can draw is scaled down with a warning. */
static void test_render__oversized_png_is_scaled_down(void **state)
{
	kg_graph *g = generated(400, 0);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_render_stats st;
	kg_diag_list *d = kg_diag_list_new();
	unsigned char *png;
	size_t len;
	unsigned long w;
	(void)state;

	o.format = KG_RENDER_PNG;
	o.engine = "dot"; /* 400 unrelated entities side by side: very wide */
	o.fit = "none";    /* as laid out, not reshaped for a page */
	o.dpi = 600;
	o.legend = KG_RENDER_LEGEND_OFF;
	o.stats = &st;
	assert_int_equal(kg_render(&png, &len, g, &o, d), KG_OK);
	assert_true(has_diag(d, KG_SEV_WARNING, "scaled down"));
	w = ((unsigned long)png[16] << 24) | ((unsigned long)png[17] << 16) | ((unsigned long)png[18] << 8) | png[19];
	assert_true(w <= KG_RENDER_MAX_PNG_SIDE);
	assert_true(w > KG_RENDER_MAX_PNG_SIDE / 2);
	assert_true(st.dpi < 600);
	kg_render_free(png);
	kg_diag_list_free(d);
	kg_graph_free(g);
}

/* ---- files -------------------------------------------------------------------- */

static void test_render__write_file_replaces_whole_or_not_at_all(void **state)
{
	char dir[] = "/tmp/kg-render-test-XXXXXX", path[512], bad[600];
	kg_diag_list *d = kg_diag_list_new();
	char buf[64];
	FILE *f;
	size_t n;
	DIR *dh;
	struct dirent *de;
	int files = 0;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.svg", dir);
	assert_int_equal(kg_render_write_file(path, (const unsigned char *)"first", 5, d), KG_OK);
	assert_int_equal(kg_render_write_file(path, (const unsigned char *)"second", 6, d), KG_OK);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "second", 6);
	dh = opendir(dir); /* no temporary file left behind */
	while ((de = readdir(dh)))
		files += de->d_name[0] != '.';
	closedir(dh);
	assert_int_equal(files, 1);

	snprintf(bad, sizeof bad, "%s/missing/out.svg", dir);
	assert_int_equal(kg_render_write_file(bad, (const unsigned char *)"x", 1, d), KG_EIO);
	assert_non_null(strstr(diag_with(d, "cannot write")->message, "missing/out.svg"));
	unlink(path);
	rmdir(dir);
	kg_diag_list_free(d);
}

/* Every allocation kg_render makes may fail: it then returns KG_ENOMEM,
 * nothing else, and leaks nothing (the sanitizer build checks that). */
static void test_render__out_of_memory_fails_cleanly(void **state)
{
	kg_graph *g = load_ok(hostile);
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_path_options po = KG_PATH_OPTIONS_INIT;
	kg_paths *paths = NULL;
	long n, total = 0;
	(void)state;

	assert_int_equal(kg_query_paths(&paths, g, kg_graph_find_entity(g, "amp"), kg_graph_find_entity(g, "c"), &po, NULL),
	                 KG_OK);
	o.format = KG_RENDER_DOT;
	o.paths = paths;
	o.cluster_by = "type";
	o.legend = KG_RENDER_LEGEND_ON;
	for (n = 1;; n++) {
		kg_diag_list *d = kg_diag_list_new();
		unsigned char *out = (unsigned char *)"x";
		size_t len = 1;
		int rc;
		assert_non_null(d);
		kg__alloc_fail_at(n);
		rc = kg_render(&out, &len, g, &o, d);
		total = kg__alloc_fail_at(0);
		kg_diag_list_free(d);
		if (rc == KG_OK) {
			kg_render_free(out);
			break;
		}
		assert_int_equal(rc, KG_ENOMEM);
		assert_null(out);
		assert_true(n < 100000);
	}
	/* every allocation failed once (the last run, which failed none, made n - 1) */
	assert_int_equal(total, n - 1);
	assert_true(n > 30);
	kg_paths_free(paths);
	kg_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render__format_from_name),
		cmocka_unit_test(test_render__dot_has_nodes_edges_and_styles),
		cmocka_unit_test(test_render__auto_shapes_never_egg),
		cmocka_unit_test(test_render__dot_lays_out_like_in_process_svg),
		cmocka_unit_test(test_render__svg_is_xml_with_ids_labels_tooltips),
		cmocka_unit_test(test_render__png_has_signature_and_plausible_size),
		cmocka_unit_test(test_render__pdf_has_header),
		cmocka_unit_test(test_render__same_input_same_bytes),
		cmocka_unit_test(test_render__hostile_text_is_literal_in_every_format),
		cmocka_unit_test(test_render__style_keys_are_allowlisted),
		cmocka_unit_test(test_render__allowed_style_keys_pass),
		cmocka_unit_test(test_render__graphviz_warnings_become_diagnostics),
		cmocka_unit_test(test_render__bad_options_are_earg_with_hints),
		cmocka_unit_test(test_render__focus_types_and_date_select),
		cmocka_unit_test(test_render__relation_types_look_the_same_in_every_picture),
		cmocka_unit_test(test_render__types_past_the_styles_are_neutral_and_labelled),
		cmocka_unit_test(test_render__nothing_selected_is_enotfound),
		cmocka_unit_test(test_render__labels_dates_and_title_options),
		cmocka_unit_test(test_render__paths_are_highlighted_and_the_rest_faded),
		cmocka_unit_test(test_render__legend_only_when_more_than_one_type),
		cmocka_unit_test(test_render__cluster_by_type_and_attribute),
		cmocka_unit_test(test_render__auto_engine_and_edge_text_by_size),
		cmocka_unit_test(test_render__timeout_stops_and_names_sfdp),
		cmocka_unit_test(test_render__oversized_png_is_scaled_down),
		cmocka_unit_test(test_render__write_file_replaces_whole_or_not_at_all),
		cmocka_unit_test(test_render__out_of_memory_fails_cleanly),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
