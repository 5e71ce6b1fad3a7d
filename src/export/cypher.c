/*
 * cypher.c - Cypher for loading into Neo4j without the admin tool
 * (cypher-shell -f graph.cypher, or Neo4j Browser).
 *
 * Uniqueness constraints come first, so that every MERGE below is an index
 * lookup rather than a scan of every node with the label. Then rows go in
 * batches of KG_CYPHER_BATCH as `UNWIND [...] AS row MERGE ...`: entities
 * (one statement per batch and type, since a label cannot be a
 * parameter), sources, and relations (per batch and relation type,
 * merged on kg_id, the relation's id, so that running the file twice
 * changes nothing and parallel relations stay apart). Property names
 * and values are those of the neo4j export, with dates as Neo4j dates
 * (date('2024') is 2024-01-01, so each also has a DATE_text property with
 * the date as written) and lists as lists. Entities and relations are
 * grouped by type with one pass per type: O(types x rows).
 */
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

#define KG_CYPHER_BATCH 1000

/* key: 'value', as a member of a map literal. */
static void prop(kg__export *x, bool *first, const char *k, const char *v)
{
	if (!v)
		return;
	x_puts(x, *first ? "" : ", ");
	*first = false;
	x_cypher_name(x, k);
	x_puts(x, ": ");
	x_cypher(x, v);
}

static void prop_date(kg__export *x, bool *first, const char *k, kg_date d)
{
	char buf[11], name[32];

	if (!d)
		return;
	x_puts(x, *first ? "" : ", ");
	*first = false;
	x_cypher_name(x, k);
	x_puts(x, ": date('");
	x_date(x, d);
	x_puts(x, "')");
	snprintf(name, sizeof name, "%s_text", k);
	prop(x, first, name, kg_date_format(buf, d));
}

/* Attributes as properties: a list as a list; a key equal to one of ours
 * as attr_KEY (the columns' names). */
static void attr_props(kg__export *x, bool *first, kg__columns *c, const kg__attrs_of *of, uint32_t id)
{
	size_t col;

	kg__columns_row(c, x->g, of, id);
	for (col = 0; col < c->n; col++) {
		if (!c->count[col])
			continue;
		x_puts(x, *first ? "" : ", ");
		*first = false;
		x_cypher_name(x, c->name[col]);
		x_puts(x, ": ");
		if (of->get(x->g, id, c->first[col]).in_list)
			x_values(x, c, col, of, id, x_cypher, "[", ", ", "]");
		else
			x_cypher(x, of->get(x->g, id, c->first[col]).value);
	}
}

static const char *const entity_props[] = {"id", "name", "type", "aliases", NULL};
static const char *const source_props[] = {"id", "title", "publisher", "date", "date_text", "url", "file", NULL};
static const char *const relation_props[] = {"kg_id", "date", "date_text", "since", "since_text", "until",
                                             "until_text", "weight", "source", "quote", NULL};

static void entity_row(kg__export *x, kg__columns *c, uint32_t e)
{
	const kg_graph *g = x->g;
	size_t j, na = kg_entity_alias_count(g, e);
	bool first = true;

	x_puts(x, "{");
	prop(x, &first, "id", kg_entity_id(g, e));
	prop(x, &first, "name", kg_entity_name(g, e));
	prop(x, &first, "type", kg_type_name(g, kg_entity_type(g, e)));
	if (na) {
		x_puts(x, ", aliases: [");
		for (j = 0; j < na; j++) {
			if (j)
				x_puts(x, ", ");
			x_cypher(x, kg_entity_alias(g, e, j));
		}
		x_puts(x, "]");
	}
	attr_props(x, &first, c, &kg__entity_attrs, e);
	x_puts(x, "}");
}

static void entities(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t nt = kg_graph_type_count(g), t, i, inbatch;
	kg__columns c;

	if (x_fail(x, kg__columns_collect(&c, g, &kg__entity_attrs, x->ents, x->nents, entity_props)) != KG_OK)
		goto done;
	/* one pass per type keeps memory to the graph; O(types x entities) */
	for (t = 0; t < nt; t++) {
		inbatch = 0;
		for (i = 0; i < x->nents; i++) {
			uint32_t e = x->ents[i];
			if (kg_entity_type(g, e) != t)
				continue;
			x_puts(x, inbatch ? ",\n  " : "UNWIND [\n  ");
			entity_row(x, &c, e);
			if (++inbatch == KG_CYPHER_BATCH) {
				x_puts(x, "\n] AS row\nMERGE (n:Entity {id: row.id}) SET n += row, n:");
				x_cypher_name(x, kg_type_name(g, (uint32_t)t));
				x_puts(x, ";\n");
				inbatch = 0;
			}
		}
		if (inbatch) {
			x_puts(x, "\n] AS row\nMERGE (n:Entity {id: row.id}) SET n += row, n:");
			x_cypher_name(x, kg_type_name(g, (uint32_t)t));
			x_puts(x, ";\n");
		}
	}
done:
	kg__columns_free(&c);
}

static void sources(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns c;
	size_t i;

	if (x_fail(x, kg__columns_collect(&c, g, &kg__source_attrs, x->srcs, x->nsrcs, source_props)) != KG_OK)
		goto done;
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		bool first = true;
		x_puts(x, i % KG_CYPHER_BATCH ? ",\n  {" : "UNWIND [\n  {");
		prop(x, &first, "id", kg_source_id(g, s));
		prop(x, &first, "title", kg_source_title(g, s));
		prop(x, &first, "publisher", kg_source_publisher(g, s));
		prop_date(x, &first, "date", kg_source_date(g, s));
		prop(x, &first, "url", kg_source_url(g, s));
		prop(x, &first, "file", kg_source_file(g, s));
		attr_props(x, &first, &c, &kg__source_attrs, s);
		x_puts(x, "}");
		if ((i + 1) % KG_CYPHER_BATCH == 0 || i + 1 == x->nsrcs)
			x_puts(x, "\n] AS row\nMERGE (s:Source {id: row.id}) SET s += row;\n");
	}
done:
	kg__columns_free(&c);
}

static void relation_row(kg__export *x, kg__columns *c, uint32_t r)
{
	const kg_graph *g = x->g;
	uint32_t s = kg_relation_source(g, r);
	bool first = true;
	char id[16];
	double w;

	x_puts(x, "{from: ");
	x_cypher(x, kg_entity_id(g, kg_relation_from(g, r)));
	x_puts(x, ", to: ");
	x_cypher(x, kg_entity_id(g, kg_relation_to(g, r)));
	x_puts(x, ", props: {");
	snprintf(id, sizeof id, "r%u", r);
	prop(x, &first, "kg_id", id);
	prop_date(x, &first, "date", kg_relation_date(g, r));
	prop_date(x, &first, "since", kg_relation_since(g, r));
	prop_date(x, &first, "until", kg_relation_until(g, r));
	if (kg_relation_weight(g, r, &w)) {
		x_puts(x, ", weight: ");
		x_number(x, w);
	}
	prop(x, &first, "source", s != KG_NONE ? kg_source_id(g, s) : NULL);
	prop(x, &first, "quote", kg_relation_quote(g, r));
	attr_props(x, &first, c, &kg__relation_attrs, r);
	x_puts(x, "}}");
}

static void relations(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t nt = kg_graph_relation_type_count(g), t, i, inbatch;
	kg__columns c;

	if (x_fail(x, kg__columns_collect(&c, g, &kg__relation_attrs, x->rels, x->nrels, relation_props)) != KG_OK)
		goto done;
	for (t = 0; t < nt; t++) {
		inbatch = 0;
		for (i = 0; i <= x->nrels; i++) {
			bool end = i == x->nrels;
			if (!end && kg_relation_type(g, x->rels[i]) != t)
				continue;
			if (!end) {
				x_puts(x, inbatch ? ",\n  " : "UNWIND [\n  ");
				relation_row(x, &c, x->rels[i]);
				inbatch++;
			}
			if (inbatch && (end || inbatch == KG_CYPHER_BATCH)) {
				x_puts(x, "\n] AS row\nMATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})\nMERGE (a)-[r:");
				x_cypher_name(x, kg_relation_type_name(g, (uint32_t)t));
				x_puts(x, " {kg_id: row.props.kg_id}]->(b) SET r += row.props;\n");
				inbatch = 0;
			}
		}
	}
done:
	kg__columns_free(&c);
}

void kg__export_cypher(kg__export *x)
{
	x_puts(x, "// Written by kgraph export -T cypher: cypher-shell -f FILE\n"
	          "CREATE CONSTRAINT kgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n"
	          "CREATE CONSTRAINT kgraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;\n");
	entities(x);
	sources(x);
	relations(x);
}
