/*
 * nodelink.c - node-link JSON (NetworkX's node_link_data, d3) onto the
 * builder: what `kgraph export -T json` writes comes back as the same
 * graph, and what NetworkX or a d3 page writes comes in as well as it can.
 *
 *   {"directed", "multigraph", "graph": {"title", "description",
 *    "sources": [{"id", "title", "publisher", "date", "url", "file", ...}]},
 *    "nodes": [{"id", "type", "type_label", "name", "aliases", ATTR...}],
 *    "edges" or "links": [{"source", "target", "key", "type", "label",
 *    "symmetric", "date", "since", "until", "weight", "source_id",
 *    "quote", ATTR...}]}
 *
 * Node ids may be strings or numbers (NetworkX allows both, and 1 and
 * "1" are two nodes); a file whose nodes have no "id" names them by their
 * index, as d3 does. Edge ends must be nodes of the file. The edge "key"
 * is dropped (it only tells parallel edges apart, which kgraph's
 * relations are anyway), as are members with no kgraph meaning. An
 * undirected graph ("directed": false) makes its relation types
 * symmetric. Attributes named like a fixed member are written by the
 * exporter as "attr_NAME" and read back as NAME.
 */
#include "import/build.h"
#include "import/import_internal.h"

#include "kgraph/limits.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char *const node_fixed[] = {"id", "type", "type_label", "name", "aliases", NULL};
static const char *const edge_fixed[] = {"source", "target", "key",  "type",      "label", "symmetric", "date",
                                         "since",  "until",  "weight", "source_id", "quote", NULL};
/* Keys the YAML gives a meaning of its own, which an attribute may not use. */
static const char *const entity_keys[] = {"type", "name", "aliases", NULL};
static const char *const relation_keys[] = {"from", "to", "type", "date", "since", "until", "source", "quote",
                                            "weight", NULL};
static const char *const source_keys[] = {"id", "title", "publisher", "date", "url", "file", NULL};
/* What d3's force layout adds to nodes and links: positions, not data. */
static const char *const layout_keys[] = {"index", "x", "y", "vx", "vy", "fx", "fy", NULL};

static bool in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* The text of a scalar as an attribute: strings as they are, numbers as
 * written, booleans as true/false; NULL for null, arrays and objects. */
static const char *scalar(const kg__jval *v)
{
	switch (v->type) {
	case KG__J_STRING:
	case KG__J_NUMBER: return v->s;
	case KG__J_TRUE: return "true";
	case KG__J_FALSE: return "false";
	default: return NULL;
	}
}

/* The original id of a node or an edge end as a key: 's' and the text
 * for a string, 'n' and the text for a number, so 1 and "1" differ. */
static bool end_key(char *buf, size_t size, const kg__jval *v)
{
	if (!v || (v->type != KG__J_STRING && v->type != KG__J_NUMBER))
		return false;
	snprintf(buf, size, "%c%s", v->type == KG__J_STRING ? 's' : 'n', v->s);
	return true;
}

/* One attribute KEY: VALUE (or a list) under indent, or counted as left
 * out with a warning when the value is no text. */
static void attr(kg__build *b, kg__buf *out, const char *indent, const char *const *fixed,
                 const char *const *reserved, const kg__jval *m)
{
	const char *key = m->key;
	char renamed[64];
	const kg__jval *it;

	/* the exporter's escape for an attribute named like a member of the
	 * record (only there: a node's "target" is an attribute like another) */
	if (strncmp(key, "attr_", 5) == 0 && !in(reserved, key + 5) && in(fixed, key + 5))
		key += 5;
	else if (in(reserved, key) || !*key) {
		snprintf(renamed, sizeof renamed, "attr_%.50s", key);
		key = renamed;
	}
	if (m->type == KG__J_ARRAY) {
		for (it = m->child; it; it = it->next)
			if (!scalar(it))
				break;
		if (it) {
			kg__build_diag(b, KG_SEV_WARNING, m->line, m->col,
			               "attribute '%s' left out: a list may hold only text, numbers and booleans", m->key);
			b->sum->left_attrs++;
			return;
		}
		if (!m->n)
			return;
		kg__build_key(b, out, indent, key);
		kg__build_put(b, out, " [");
		for (it = m->child; it; it = it->next) {
			kg__build_yaml(b, out, scalar(it));
			kg__build_put(b, out, it->next ? ", " : "]\n");
		}
		return;
	}
	if (!scalar(m)) {
		kg__build_diag(b, KG_SEV_WARNING, m->line, m->col, "attribute '%s' left out: %s has no kgraph form",
		               m->key, m->type == KG__J_NULL ? "null" : "an object");
		b->sum->left_attrs++;
		return;
	}
	kg__build_kv(b, out, indent, key, scalar(m));
}

/* A member that must be text: its string, or NULL with a warning (and
 * counted) when it is something else or empty. */
static const char *text(kg__build *b, const kg__jval *m)
{
	if (!m)
		return NULL;
	if (m->type == KG__J_STRING && m->len)
		return m->s;
	if (m->type == KG__J_NUMBER)
		return m->s;
	kg__build_diag(b, KG_SEV_WARNING, m->line, m->col, "'%s' left out: it must be non-empty text", m->key);
	b->sum->left_values++;
	return NULL;
}

/* "  key: YYYY-MM-DD" when m is a kgraph date (returned); a warning otherwise. */
static kg_date date(kg__build *b, kg__buf *out, const char *indent, const kg__jval *m, const char *key)
{
	if (!m)
		return 0;
	return kg__build_date(b, out, indent, key, m->type == KG__J_STRING ? m->s : "", m->key, m->line, m->col);
}

static void graph_part(kg__build *b, const kg__jval *graph)
{
	const kg__jval *m, *s;
	const char *t;

	if (!graph)
		return;
	if (graph->type != KG__J_OBJECT) {
		kg__build_diag(b, KG_SEV_ERROR, graph->line, graph->col, "\"graph\" must be an object");
		return;
	}
	/* NetworkX keeps a graph's name in "name" */
	if (!b->title.n && ((t = text(b, kg__json_get(graph, "title"))) || (t = text(b, kg__json_get(graph, "name"))))) {
		kg__build_field(b, &b->title, "", "title", t);
		if ((t = text(b, kg__json_get(graph, "description"))))
			kg__build_field(b, &b->title, "", "description", t);
	}
	if (!(m = kg__json_get(graph, "sources")))
		return;
	if (m->type != KG__J_ARRAY) {
		kg__build_diag(b, KG_SEV_ERROR, m->line, m->col, "\"sources\" must be an array of objects");
		return;
	}
	for (s = m->child; s; s = s->next) {
		const kg__jval *id = kg__json_get(s, "id"), *f;
		const char *slug;
		bool renamed;
		if (s->type != KG__J_OBJECT || !id || id->type != KG__J_STRING || !id->len) {
			kg__build_diag(b, KG_SEV_ERROR, s->line, s->col, "a source must be an object with a text \"id\"");
			continue;
		}
		if (kg__build_find(b, KG__NS_SOURCE, id->s)) {
			kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, "source '%s' is given twice", id->s);
			continue;
		}
		if (!(slug = kg__build_assign(b, KG__NS_SOURCE, id->s, &renamed)))
			return;
		b->sum->sources++;
		kg__build_put(b, &b->sources, "  ");
		kg__build_yaml(b, &b->sources, slug);
		kg__build_put(b, &b->sources, ":\n");
		if (renamed)
			kg__build_kv(b, &b->sources, "    ", "original_id", id->s);
		for (f = s->child; f; f = f->next) {
			if (strcmp(f->key, "id") == 0)
				continue;
			if (strcmp(f->key, "date") == 0)
				date(b, &b->sources, "    ", f, "date");
			else if (in(source_keys, f->key)) {
				if ((t = text(b, f)))
					kg__build_field(b, &b->sources, "    ", f->key, t);
			} else
				attr(b, &b->sources, "    ", source_keys, source_keys, f);
		}
	}
}

static void nodes(kg__build *b, const kg__jval *list, const kg_import_options *o)
{
	const kg__jval *n, *m;
	size_t index = 0;

	for (n = list->child; n; n = n->next, index++) {
		const kg__jval *id = kg__json_get(n, "id"), *type, *label, *name, *aliases;
		char orig[KG_MAX_NUMBER_BYTES + 24];
		const char *slug, *t, *okey;
		bool renamed;
		int kns;
		if (n->type != KG__J_OBJECT) {
			kg__build_diag(b, KG_SEV_ERROR, n->line, n->col, "a node must be an object");
			continue;
		}
		if (!id)
			snprintf(orig, sizeof orig, "n%zu", index); /* d3: a node is its index */
		else if (!end_key(orig, sizeof orig, id) || (id->type == KG__J_STRING && !id->len)) {
			kg__build_diag(b, KG_SEV_ERROR, id->line, id->col, "a node id must be non-empty text or a number");
			continue;
		}
		/* a text id is keyed by its whole text, however long */
		kns = id && id->type == KG__J_STRING ? 'E' : 'N';
		okey = kns == 'E' ? id->s : orig;
		if (kg__build_find(b, kns, okey)) {
			kg__build_diag(b, KG_SEV_ERROR, id ? id->line : n->line, id ? id->col : n->col,
			               "node %s%s%s is given twice", kns == 'E' ? "'" : "", kns == 'E' ? id->s : orig + 1,
			               kns == 'E' ? "'" : "");
			continue;
		}
		if (!(slug = kg__build_assign(b, KG__NS_ENTITY, id ? id->s : orig + 1, &renamed)) ||
		    kg__build_link(b, kns, okey, KG__NS_ENTITY, slug) != KG_OK)
			return;
		type = kg__json_get(n, "type");
		label = kg__json_get(n, "type_label");
		t = type && type->type == KG__J_STRING && type->len ? type->s : NULL;
		if (type && !t) {
			kg__build_diag(b, KG_SEV_WARNING, type->line, type->col, "'type' left out: it must be non-empty text");
			b->sum->left_values++;
		}
		if (!(t = kg__build_type(b, t ? t : o->default_type ? o->default_type : "thing",
		                         label && label->type == KG__J_STRING ? label->s : NULL)))
			return;
		b->sum->entities++;
		kg__build_put(b, &b->entities, "  ");
		kg__build_yaml(b, &b->entities, slug);
		kg__build_put(b, &b->entities, ":\n    type: ");
		kg__build_yaml(b, &b->entities, t);
		kg__build_put(b, &b->entities, "\n");
		name = kg__json_get(n, "name");
		if (name && name->type == KG__J_STRING && name->len)
			kg__build_field(b, &b->entities, "    ", "name", name->s);
		else {
			/* an entity whose id changed is shown and found by the
			 * original; a name that is no text (NetworkX allows
			 * anything) stays an attribute */
			if (renamed)
				kg__build_field(b, &b->entities, "    ", "name", id ? id->s : orig + 1);
			if (name)
				attr(b, &b->entities, "    ", node_fixed, entity_keys, name);
		}
		if ((aliases = kg__json_get(n, "aliases"))) {
			const kg__jval *a;
			bool first = true;
			for (a = aliases->type == KG__J_ARRAY ? aliases->child : NULL; a; a = a->next) {
				if (a->type != KG__J_STRING || !a->len) {
					kg__build_diag(b, KG_SEV_WARNING, a->line, a->col, "an alias left out: it must be non-empty text");
					b->sum->left_values++;
					continue;
				}
				kg__build_put(b, &b->entities, first ? "    aliases: [" : ", ");
				kg__build_yaml(b, &b->entities, a->s);
				first = false;
			}
			if (!first)
				kg__build_put(b, &b->entities, "]\n");
			if (aliases->type != KG__J_ARRAY) {
				kg__build_diag(b, KG_SEV_WARNING, aliases->line, aliases->col,
				               "'aliases' left out: it must be an array of text");
				b->sum->left_values++;
			}
		}
		if (renamed && !kg__json_get(n, "original_id"))
			kg__build_kv(b, &b->entities, "    ", "original_id", id ? id->s : orig + 1);
		for (m = n->child; m; m = m->next) {
			if (in(node_fixed, m->key))
				continue;
			if (in(layout_keys, m->key)) {
				b->sum->left_fields++;
				continue;
			}
			attr(b, &b->entities, "    ", node_fixed, entity_keys, m);
		}
	}
}

/* The entity slug of an edge end, or NULL with an error. */
static const char *end(kg__build *b, const kg__jval *e, const char *which)
{
	const kg__jval *v = kg__json_get(e, which);
	char orig[KG_MAX_NUMBER_BYTES + 24];
	const char *slug = NULL;

	if (!v) {
		kg__build_diag(b, KG_SEV_ERROR, e->line, e->col, "an edge needs \"%s\"", which);
		return NULL;
	}
	if (v->type == KG__J_STRING)
		slug = kg__build_find(b, 'E', v->s);
	else if (v->type == KG__J_NUMBER && end_key(orig, sizeof orig, v))
		slug = kg__build_find(b, 'N', orig);
	else {
		kg__build_diag(b, KG_SEV_ERROR, v->line, v->col, "\"%s\" must be a node id (text or a number)", which);
		return NULL;
	}
	if (!slug)
		kg__build_diag(b, KG_SEV_ERROR, v->line, v->col, "\"%s\" %s%s%s is not a node of this file", which,
		               v->type == KG__J_STRING ? "'" : "", v->s, v->type == KG__J_STRING ? "'" : "");
	return slug;
}

static void edges(kg__build *b, const kg__jval *list, bool directed, const kg_import_options *o)
{
	const kg__jval *e, *m;

	for (e = list->child; e; e = e->next) {
		const char *from, *to, *rt, *t;
		const kg__jval *type, *label, *sym, *w, *src, *q;
		kg__buf *out = &b->relations;
		if (e->type != KG__J_OBJECT) {
			kg__build_diag(b, KG_SEV_ERROR, e->line, e->col, "an edge must be an object");
			continue;
		}
		from = end(b, e, "source");
		to = end(b, e, "target");
		if (!from || !to)
			continue;
		type = kg__json_get(e, "type");
		label = kg__json_get(e, "label");
		sym = kg__json_get(e, "symmetric");
		t = type && type->type == KG__J_STRING && type->len ? type->s : NULL;
		if (type && !t) {
			kg__build_diag(b, KG_SEV_WARNING, type->line, type->col, "'type' left out: it must be non-empty text");
			b->sum->left_values++;
		}
		if (!(rt = kg__build_rtype(b, t ? t : o->default_relation_type ? o->default_relation_type : "related_to",
		                           label && label->type == KG__J_STRING ? label->s : NULL,
		                           !directed || (sym && sym->type == KG__J_TRUE))))
			return;
		b->sum->relations++;
		kg__build_put(b, out, "  - from: ");
		kg__build_yaml(b, out, from);
		kg__build_put(b, out, "\n    type: ");
		kg__build_yaml(b, out, rt);
		kg__build_put(b, out, "\n    to: ");
		kg__build_yaml(b, out, to);
		kg__build_put(b, out, "\n");
		date(b, out, "    ", kg__json_get(e, "date"), "date");
		if ((m = kg__json_get(e, "since")))
			kg__build_validity(b, date(b, out, "    ", m, "since"), date(b, out, "    ", kg__json_get(e, "until"), "until"),
			                   m->line, m->col);
		else
			date(b, out, "    ", kg__json_get(e, "until"), "until");
		if ((w = kg__json_get(e, "weight")))
			kg__build_weight(b, out, "    ", w->type == KG__J_NUMBER ? w->s : "", w->line, w->col);
		if ((src = kg__json_get(e, "source_id")) && (t = text(b, src)) && (t = kg__build_cited_source(b, t)))
			kg__build_field(b, out, "    ", "source", t);
		if ((q = kg__json_get(e, "quote")) && (t = text(b, q)))
			kg__build_field(b, out, "    ", "quote", t);
		for (m = e->child; m; m = m->next) {
			if (in(edge_fixed, m->key))
				continue;
			if (in(layout_keys, m->key)) {
				b->sum->left_fields++;
				continue;
			}
			attr(b, out, "    ", edge_fixed, relation_keys, m);
		}
	}
}

int kg__import_nodelink(kg__build *b, const kg__jval *doc, const kg_import_options *o)
{
	const kg__jval *ns, *es, *ls, *dir;

	if (doc->type != KG__J_OBJECT) {
		kg__build_diag(b, KG_SEV_ERROR, doc->line, doc->col,
		               "node-link JSON is an object with \"nodes\" and \"edges\" (or \"links\")");
		return KG_EINVALID;
	}
	ns = kg__json_get(doc, "nodes");
	es = kg__json_get(doc, "edges");
	ls = kg__json_get(doc, "links");
	dir = kg__json_get(doc, "directed");
	if (!ns || ns->type != KG__J_ARRAY) {
		kg__build_diag(b, KG_SEV_ERROR, ns ? ns->line : doc->line, ns ? ns->col : doc->col,
		               "node-link JSON needs \"nodes\", an array of objects");
		return KG_EINVALID;
	}
	if (es && ls) {
		kg__build_diag(b, KG_SEV_ERROR, ls->line, ls->col,
		               "both \"edges\" and \"links\": a node-link file has one edge list");
		return KG_EINVALID;
	}
	if (!es)
		es = ls;
	if (es && es->type != KG__J_ARRAY) {
		kg__build_diag(b, KG_SEV_ERROR, es->line, es->col, "\"%s\" must be an array of objects", es->key);
		return KG_EINVALID;
	}
	graph_part(b, kg__json_get(doc, "graph"));
	nodes(b, ns, o);
	if (es)
		edges(b, es, !dir || dir->type != KG__J_FALSE, o);
	return b->nomem ? KG_ENOMEM : b->errors ? KG_EINVALID : KG_OK;
}
