/*
 * graphml.c - GraphML (NetworkX, Gephi, yEd, igraph, kgraph's own export)
 * onto the builder, through libexpat: the only file that uses it.
 *
 * The document is turned into the tree a node-link file would give
 * (json.h), so that one mapping (nodelink.c) serves both: each <node>
 * an object with "id" and one member per <data>, each <edge> one with
 * "source", "target" and its data, <graph edgedefault="undirected"> as
 * "directed": false. Values take their key's attr.type: int, long, float
 * and double become numbers, boolean true/false, anything else text.
 *
 * What each tool writes: a key named "label" is the node's name when it
 * has no "name" (Gephi, Cytoscape, kgraph's export) and the relation
 * type's label on an edge; yEd's node graphics give the text of their
 * y:NodeLabel the same way. kgraph's export writes aliases as the text of
 * a JSON array, read back as a list, and each edge's source as
 * source_id, source_title and source_url, read back as one source. An
 * edge's id is its key, dropped as in node-link. Nested graphs and
 * hyperedges have no kgraph form: an error.
 */
#include "import/import_internal.h"

#include "kgraph/limits.h"

#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct gkey {
	const char *id, *name, *type, *domain;
	int yfiles;
} gkey;

typedef struct gp {
	XML_Parser x;
	kg__build *b;
	kg__arena *arena;
	KG_VEC(gkey) keys;
	kg__jval *doc, *nodes, *edges, *sources, *cur; /* cur: the node or edge being read */
	kg__jval **ntail, **etail, **stail;
	int depth, graphs, in_data, yfiles_label, cur_edge;
	const gkey *data_key;
	unsigned data_line, data_col;
	kg__buf text;
	int failed;
} gp;

static kg__jval *val(gp *p, kg__jtype t)
{
	kg__jval *v = kg__arena_alloc(p->arena, sizeof *v);

	if (!v) {
		p->b->nomem = 1;
		XML_StopParser(p->x, XML_FALSE);
		return NULL;
	}
	memset(v, 0, sizeof *v);
	v->type = t;
	v->line = (unsigned)XML_GetCurrentLineNumber(p->x);
	v->col = (unsigned)XML_GetCurrentColumnNumber(p->x) + 1;
	return v;
}

static kg__jval *text_val(gp *p, const char *key, const char *s, size_t len)
{
	kg__jval *v = val(p, KG__J_STRING);

	if (v && (!(v->s = kg__arena_strndup(p->arena, s, len)) || !(v->key = kg__arena_strndup(p->arena, key, strlen(key))))) {
		p->b->nomem = 1;
		return NULL;
	}
	if (v)
		v->len = len;
	return v;
}

/* Append v as the last member of o. */
static void add(kg__jval *o, kg__jval *v)
{
	kg__jval **t = &o->child;

	while (*t)
		t = &(*t)->next;
	*t = v;
	o->n++;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(gp *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kg__build_diag(p->b, KG_SEV_ERROR, (unsigned)XML_GetCurrentLineNumber(p->x),
	               (unsigned)XML_GetCurrentColumnNumber(p->x) + 1, "%s", msg);
	p->failed = 1;
	XML_StopParser(p->x, XML_FALSE);
}

static const char *attr(const char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	return NULL;
}

/* Element names without their namespace (expat is not namespace-aware
 * here: "y:NodeLabel" and plain "node" both come as written). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static char *dup(gp *p, const char *s)
{
	char *d = s ? kg__arena_strndup(p->arena, s, strlen(s)) : NULL;

	if (s && !d)
		p->b->nomem = 1;
	return d;
}

static void XMLCALL start(void *ctx, const char *name, const char **atts)
{
	gp *p = ctx;
	const char *n = local(name);

	p->depth++;
	if (p->in_data) {
		if (strcmp(n, "NodeLabel") == 0 || strcmp(n, "EdgeLabel") == 0)
			p->yfiles_label = p->depth;
		return;
	}
	if (strcmp(n, "key") == 0) {
		gkey k = {dup(p, attr(atts, "id")), dup(p, attr(atts, "attr.name")), dup(p, attr(atts, "attr.type")),
		          dup(p, attr(atts, "for")), attr(atts, "yfiles.type") != NULL};
		if (!k.id)
			fail(p, "a <key> needs an id");
		else if (KG_VEC_PUSH(p->keys, k) != 0)
			p->b->nomem = 1;
	} else if (strcmp(n, "graph") == 0) {
		const char *d = attr(atts, "edgedefault");
		kg__jval *dir;
		if (p->graphs++) {
			fail(p, "a nested <graph>: kgraph has no graphs inside nodes");
			return;
		}
		if ((dir = val(p, d && strcmp(d, "undirected") == 0 ? KG__J_FALSE : KG__J_TRUE))) {
			dir->key = "directed";
			add(p->doc, dir);
		}
	} else if (strcmp(n, "node") == 0 || strcmp(n, "edge") == 0) {
		int edge = n[0] == 'e';
		const char *id = attr(atts, "id"), *s = attr(atts, "source"), *t = attr(atts, "target");
		kg__jval *o = val(p, KG__J_OBJECT), *m;
		if (!o)
			return;
		if (!edge && !id) {
			fail(p, "a <node> needs an id");
			return;
		}
		if (edge && (!s || !t)) {
			fail(p, "an <edge> needs a source and a target");
			return;
		}
		if (!edge && (m = text_val(p, "id", id, strlen(id))))
			add(o, m);
		if (edge && (m = text_val(p, "source", s, strlen(s))))
			add(o, m);
		if (edge && (m = text_val(p, "target", t, strlen(t))))
			add(o, m);
		add(edge ? p->edges : p->nodes, o);
		p->cur = o;
		p->cur_edge = edge;
	} else if (strcmp(n, "data") == 0) {
		const char *k = attr(atts, "key");
		size_t i;
		p->data_key = NULL;
		for (i = 0; k && i < p->keys.n; i++)
			if (strcmp(p->keys.v[i].id, k) == 0)
				p->data_key = &p->keys.v[i];
		if (!p->data_key) {
			fail(p, "<data key=\"%s\"> names no <key>", k ? k : "");
			return;
		}
		p->in_data = p->depth;
		p->text.n = 0;
		p->data_line = (unsigned)XML_GetCurrentLineNumber(p->x);
		p->data_col = (unsigned)XML_GetCurrentColumnNumber(p->x) + 1;
	} else if (strcmp(n, "hyperedge") == 0)
		fail(p, "a <hyperedge>: kgraph relations have two ends");
}

static void XMLCALL chars(void *ctx, const char *s, int len)
{
	gp *p = ctx;

	if (!p->in_data || (p->data_key->yfiles && !p->yfiles_label))
		return;
	if (p->text.n + (size_t)len > KG_MAX_JSON_STRING_BYTES) {
		fail(p, "a value longer than %u bytes (KG_MAX_JSON_STRING_BYTES)", (unsigned)KG_MAX_JSON_STRING_BYTES);
		return;
	}
	if (kg__buf_add(&p->text, s, (size_t)len) != 0)
		p->b->nomem = 1;
}

/* The value of the <data> just read, as its key's type says. */
static void data_end(gp *p)
{
	const gkey *k = p->data_key;
	const char *name = k->yfiles ? "label" : k->name ? k->name : k->id, *type = k->type ? k->type : "string";
	const char *t = p->text.p ? p->text.p : "";
	kg__jval *v = NULL;

	if (!p->cur || (k->yfiles && kg__json_get(p->cur, "label")))
		return; /* graph data is read by name below; a second label is yEd's copy */
	if (strcmp(type, "boolean") == 0)
		v = val(p, strcmp(t, "true") == 0 || strcmp(t, "1") == 0 ? KG__J_TRUE : KG__J_FALSE);
	else if (strcmp(type, "string") != 0 && p->text.n) {
		double d;
		if (kg__parse_number(t, p->text.n, &d) == 0 && (v = val(p, KG__J_NUMBER)) &&
		    !(v->s = kg__arena_strndup(p->arena, t, p->text.n)))
			p->b->nomem = 1;
		if (v)
			v->len = p->text.n;
	}
	if (!v)
		v = text_val(p, name, t, p->text.n);
	if (!v)
		return;
	/* a data named like what the element's own attributes became (or an
	 * edge's key, which node-link drops) is an attribute: node-link's
	 * attr_ escape says so */
	if (p->cur_edge ? strcmp(name, "source") == 0 || strcmp(name, "target") == 0 || strcmp(name, "key") == 0
	                : strcmp(name, "id") == 0) {
		char esc[80];
		snprintf(esc, sizeof esc, "attr_%s", name);
		name = esc;
		v->key = dup(p, name);
	} else
		v->key = dup(p, name);
	v->line = p->data_line;
	v->col = p->data_col;
	if (kg__json_get(p->cur, v->key)) {
		kg__build_diag(p->b, KG_SEV_WARNING, v->line, v->col, "'%s' given twice; the first is kept", v->key);
		p->b->sum->left_values++;
		return;
	}
	add(p->cur, v);
}

static void XMLCALL end(void *ctx, const char *name)
{
	gp *p = ctx;
	const char *n = local(name);

	if (p->yfiles_label == p->depth)
		p->yfiles_label = 0;
	if (p->in_data == p->depth) {
		if (kg__buf_add(&p->text, "", 0) != 0)
			p->b->nomem = 1;
		else if (p->cur)
			data_end(p);
		else if (p->data_key->name && (strcmp(p->data_key->name, "title") == 0 ||
		                                 strcmp(p->data_key->name, "description") == 0)) {
			kg__jval *graph = (kg__jval *)kg__json_get(p->doc, "graph"), *v;
			if ((v = text_val(p, p->data_key->name, p->text.p, p->text.n)))
				add(graph, v);
		}
		p->in_data = 0;
	} else if (!p->in_data && (strcmp(n, "node") == 0 || strcmp(n, "edge") == 0))
		p->cur = NULL;
	p->depth--;
}

/* kgraph's export writes aliases as a JSON array and a source as three
 * members of each edge: give them their node-link form. */
static void kgraph_members(gp *p)
{
	kg__jval *o, *m;

	for (o = p->nodes->child; o; o = o->next) {
		kg__jval *name = (kg__jval *)kg__json_get(o, "name"), *label = (kg__jval *)kg__json_get(o, "label");
		if (!name && label)
			label->key = "name";
		for (m = o->child; m; m = m->next)
			if (strcmp(m->key, "aliases") == 0 && m->type == KG__J_STRING && m->s[0] == '[') {
				kg__json_error je;
				kg__jval *list;
				if (kg__json_parse(&list, p->arena, m->s, m->len, &je) == 0 && list->type == KG__J_ARRAY) {
					m->type = KG__J_ARRAY;
					m->child = list->child;
					m->n = list->n;
				}
			}
	}
	for (o = p->edges->child; o; o = o->next) {
		const kg__jval *id = kg__json_get(o, "source_id"), *t = kg__json_get(o, "source_title"),
		               *u = kg__json_get(o, "source_url");
		kg__jval *s, *v;
		bool known = false;
		if (!id || id->type != KG__J_STRING)
			continue;
		for (s = p->sources->child; s; s = s->next)
			known |= strcmp(kg__json_get(s, "id")->s, id->s) == 0;
		if (known || !(s = val(p, KG__J_OBJECT)) || !(v = text_val(p, "id", id->s, id->len)))
			continue;
		add(s, v);
		if (t && t->type == KG__J_STRING && (v = text_val(p, "title", t->s, t->len)))
			add(s, v);
		if (u && u->type == KG__J_STRING && (v = text_val(p, "url", u->s, u->len)))
			add(s, v);
		add(p->sources, s);
	}
	/* drop what the source now carries */
	for (o = p->edges->child; o; o = o->next) {
		kg__jval **t = &o->child;
		while (*t) {
			if (strcmp((*t)->key, "source_title") == 0 || strcmp((*t)->key, "source_url") == 0) {
				*t = (*t)->next;
				o->n--;
			} else
				t = &(*t)->next;
		}
	}
}

int kg__import_graphml(kg__build *b, const char *data, size_t len, const kg_import_options *o)
{
	kg__arena arena = {0};
	gp p;
	kg__jval *graph;
	int rc = KG_OK;

	memset(&p, 0, sizeof p);
	p.b = b;
	p.arena = &arena;
	if (!(p.x = XML_ParserCreate("UTF-8")))
		return KG_ENOMEM;
	XML_SetUserData(p.x, &p);
	XML_SetElementHandler(p.x, start, end);
	XML_SetCharacterDataHandler(p.x, chars);
	if (!(p.doc = val(&p, KG__J_OBJECT)) || !(graph = val(&p, KG__J_OBJECT)) || !(p.nodes = val(&p, KG__J_ARRAY)) ||
	    !(p.edges = val(&p, KG__J_ARRAY)) || !(p.sources = val(&p, KG__J_ARRAY))) {
		rc = KG_ENOMEM;
		goto done;
	}
	graph->key = "graph";
	p.nodes->key = "nodes";
	p.edges->key = "edges";
	p.sources->key = "sources";
	add(graph, p.sources);
	add(p.doc, graph);
	add(p.doc, p.nodes);
	add(p.doc, p.edges);
	if (len > (size_t)INT_MAX) {
		kg__build_diag(b, KG_SEV_ERROR, 1, 1, "a GraphML file larger than %d bytes", INT_MAX);
		rc = KG_EINVALID;
		goto done;
	}
	if (XML_Parse(p.x, data, (int)len, XML_TRUE) == XML_STATUS_ERROR && !p.failed && !b->nomem)
		kg__build_diag(b, KG_SEV_ERROR, (unsigned)XML_GetCurrentLineNumber(p.x),
		               (unsigned)XML_GetCurrentColumnNumber(p.x) + 1, "%s", XML_ErrorString(XML_GetErrorCode(p.x)));
	if (b->nomem)
		rc = KG_ENOMEM;
	else if (b->errors)
		rc = KG_EINVALID;
	else {
		kgraph_members(&p);
		rc = b->nomem ? KG_ENOMEM : kg__import_nodelink(b, p.doc, o);
	}
done:
	XML_ParserFree(p.x);
	kg__buf_free(&p.text);
	KG_VEC_FREE(p.keys);
	kg__arena_free(&arena);
	return rc;
}
