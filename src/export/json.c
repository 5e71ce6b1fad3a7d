/*
 * json.c - NetworkX node-link JSON: what nx.node_link_graph reads back
 * as a MultiDiGraph, and what d3's force layouts take.
 *
 *   {"directed": true, "multigraph": true,
 *    "graph": {"title", "description", "sources": [{"id", "title", ...}]},
 *    "nodes": [{"id", "type", "type_label", "name", "aliases", ATTR...}],
 *    "edges": [{"source", "target", "key", "type", "label", "symmetric",
 *               "date", "since", "until", "weight", "source_id", "quote",
 *               ATTR...}]}
 *
 * The edge list is "edges" (NetworkX 3.6's default) or, with
 * opts->links, "links" (older NetworkX, d3). The key of an edge is the
 * relation's id, "r" and its index in the graph, which tells parallel
 * relations apart and stays the same in a partial export. Provenance is
 * "source_id" because "source" is the edge's start in node-link. An
 * attribute whose key is one of these fixed names is written as
 * "attr_KEY". Dates are text as written (YYYY, YYYY-MM or YYYY-MM-DD).
 */
#include "export/export_internal.h"

#include <string.h>

static const char *const node_fixed[] = {"id", "type", "type_label", "name", "aliases", NULL};
static const char *const edge_fixed[] = {"source", "target", "key",  "type",      "label", "symmetric", "date",
                                         "since",  "until",  "weight", "source_id", "quote", NULL};
static const char *const source_fixed[] = {"id", "title", "publisher", "date", "url", "file", NULL};

/* , "key": "text" when text is not NULL. */
static void member(kg__export *x, const char *key, const char *text)
{
	if (!text)
		return;
	x_puts(x, ", ");
	x_json(x, key);
	x_puts(x, ": ");
	x_json(x, text);
}

static void member_date(kg__export *x, const char *key, kg_date d)
{
	char buf[11];
	if (d)
		member(x, key, kg_date_format(buf, d));
}

/* The attributes of one record as members. */
static void attrs(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id)
{
	size_t col;

	kg__columns_row(c, x->g, of, id);
	for (col = 0; col < c->n; col++) {
		if (!c->count[col])
			continue;
		x_puts(x, ", ");
		x_json(x, c->name[col]);
		x_puts(x, ": ");
		x_json_value(x, c, col, of, id);
	}
}

static void sources(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns c;
	size_t i;

	if (x_fail(x, kg__columns_collect(&c, g, &kg__source_attrs, x->srcs, x->nsrcs, source_fixed)) != KG_OK)
		goto done;
	x_puts(x, ", \"sources\": [");
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		x_puts(x, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
		x_json(x, kg_source_id(g, s));
		member(x, "title", kg_source_title(g, s));
		member(x, "publisher", kg_source_publisher(g, s));
		member_date(x, "date", kg_source_date(g, s));
		member(x, "url", kg_source_url(g, s));
		member(x, "file", kg_source_file(g, s));
		attrs(x, &c, &kg__source_attrs, s);
		x_puts(x, "}");
	}
	x_puts(x, "]");
done:
	kg__columns_free(&c);
}

void kg__export_json(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns nc, ec;
	size_t i;

	if (x_graph_columns(x, &nc, &ec, node_fixed, edge_fixed) != KG_OK)
		goto done;
	x_puts(x, "{\"directed\": true, \"multigraph\": true, \"graph\": {\"generator\": \"kgraph\"");
	member(x, "title", kg_graph_title(g));
	member(x, "description", kg_graph_description(g));
	sources(x);
	x_puts(x, "},\n\"nodes\": [");
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i], t = kg_entity_type(g, e);
		x_puts(x, i ? ",\n  {\"id\": " : "\n  {\"id\": ");
		x_json(x, kg_entity_id(g, e));
		member(x, "type", kg_type_name(g, t));
		member(x, "type_label", kg_type_label(g, t));
		member(x, "name", kg_entity_name(g, e));
		if (kg_entity_alias_count(g, e)) {
			x_puts(x, ", \"aliases\": ");
			x_json_aliases(x, e);
		}
		attrs(x, &nc, &kg__entity_attrs, e);
		x_puts(x, "}");
	}
	x_puts(x, x->o->links ? "],\n\"links\": [" : "],\n\"edges\": [");
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i], t = kg_relation_type(g, r), s = kg_relation_source(g, r);
		double w;
		x_puts(x, i ? ",\n  {\"source\": " : "\n  {\"source\": ");
		x_json(x, kg_entity_id(g, kg_relation_from(g, r)));
		x_puts(x, ", \"target\": ");
		x_json(x, kg_entity_id(g, kg_relation_to(g, r)));
		x_printf(x, ", \"key\": \"r%u\"", r);
		member(x, "type", kg_relation_type_name(g, t));
		member(x, "label", kg_relation_type_label(g, t));
		if (kg_relation_type_is_symmetric(g, t))
			x_puts(x, ", \"symmetric\": true");
		member_date(x, "date", kg_relation_date(g, r));
		member_date(x, "since", kg_relation_since(g, r));
		member_date(x, "until", kg_relation_until(g, r));
		if (kg_relation_weight(g, r, &w)) {
			x_puts(x, ", \"weight\": ");
			x_number(x, w);
		}
		if (s != KG_NONE)
			member(x, "source_id", kg_source_id(g, s));
		member(x, "quote", kg_relation_quote(g, r));
		attrs(x, &ec, &kg__relation_attrs, r);
		x_puts(x, "}");
	}
	x_puts(x, "]}\n");
done:
	kg__columns_free(&nc);
	kg__columns_free(&ec);
}
