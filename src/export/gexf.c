/*
 * gexf.c - GEXF 1.3 for Gephi, with the dates on its timeline.
 *
 * The graph is mode="dynamic" with timeformat="date". A relation's
 * since/until become the edge's start/end (GEXF intervals are closed, and
 * until is exclusive, so end is the day before until's first day); a
 * relation's date becomes a spell from the first to the last day it
 * covers (2024-09 -> 2024-09-01 .. 2024-09-30); the schema (1.3/
 * dynamics.rnc) allows both on one edge. Every date is also an attribute as written, so no precision is lost.
 *
 * kind is the relation type: Gephi keeps parallel edges of different
 * kinds apart. Lists (aliases, list attributes) are JSON array text in
 * string attributes: GEXF's list types have no escaping for their
 * separator. Entities have no time: they exist throughout.
 */
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

/* Ours, and the names readers give the XML attributes (NetworkX turns
 * id, label, start, end and spells into data, and takes key as its
 * multigraph key): an attribute named like one is written as attr_KEY. */
static const char *const node_fixed[] = {"id", "label", "start", "end", "spells", "type", "type_label",
                                         "aliases", NULL};
static const char *const edge_fixed[] = {"id", "key", "source", "target", "start", "end", "spells", "kind",
                                         "type", "label", "symmetric", "date", "since", "until", "weight",
                                         "source_id", "source_title", "source_url", "quote", NULL};

static void attribute(kg__export *x, const char *id, const char *title, const char *type)
{
	x_printf(x, "      <attribute id=\"%s\" title=\"", id);
	x_xml(x, title);
	x_printf(x, "\" type=\"%s\"/>\n", type);
}

static void attvalue(kg__export *x, const char *id, const char *value)
{
	if (!value)
		return;
	x_printf(x, "          <attvalue for=\"%s\" value=\"", id);
	x_xml(x, value);
	x_puts(x, "\"/>\n");
}

static void attvalue_date(kg__export *x, const char *id, kg_date d)
{
	char buf[11];
	if (d)
		attvalue(x, id, kg_date_format(buf, d));
}

static void attvalues(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id, char prefix)
{
	x_xml_attrs(x, c, of, id, prefix, "          <attvalue for=\"", "\" value=\"", "\"/>\n");
}

static void declare(kg__export *x, const kg__columns *c, char prefix)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		char id[32];
		snprintf(id, sizeof id, "%ca%zu", prefix, i);
		attribute(x, id, c->name[i], "string");
	}
}

static void node(kg__export *x, kg__columns *nc, uint32_t e)
{
	const kg_graph *g = x->g;
	uint32_t t = kg_entity_type(g, e);

	x_puts(x, "      <node id=\"");
	x_xml(x, kg_entity_id(g, e));
	x_puts(x, "\" label=\"");
	x_xml(x, kg_entity_name(g, e));
	x_puts(x, "\">\n        <attvalues>\n");
	attvalue(x, "type", kg_type_name(g, t));
	attvalue(x, "type_label", kg_type_label(g, t));
	if (kg_entity_alias_count(g, e)) {
		x_capture(x);
		x_json_aliases(x, e);
		attvalue(x, "aliases", x_captured(x));
	}
	attvalues(x, nc, &kg__entity_attrs, e, 'n');
	x_puts(x, "        </attvalues>\n      </node>\n");
}

static void edge(kg__export *x, kg__columns *ec, uint32_t r)
{
	const kg_graph *g = x->g;
	uint32_t t = kg_relation_type(g, r), s = kg_relation_source(g, r);
	kg_date date = kg_relation_date(g, r), since = kg_relation_since(g, r), until = kg_relation_until(g, r);
	double w;

	x_printf(x, "      <edge id=\"r%u\" source=\"", r);
	x_xml(x, kg_entity_id(g, kg_relation_from(g, r)));
	x_puts(x, "\" target=\"");
	x_xml(x, kg_entity_id(g, kg_relation_to(g, r)));
	x_puts(x, "\" kind=\"");
	x_xml(x, kg_relation_type_name(g, t));
	x_puts(x, "\" label=\"");
	x_xml(x, kg_relation_type_label(g, t));
	x_puts(x, "\"");
	if (since) {
		x_puts(x, " start=\"");
		x_day(x, since, true);
		x_puts(x, "\"");
	}
	if (until) {
		x_puts(x, " end=\"");
		x_day_before(x, until);
		x_puts(x, "\"");
	}
	x_puts(x, ">\n        <attvalues>\n");
	attvalue(x, "type", kg_relation_type_name(g, t));
	attvalue(x, "label", kg_relation_type_label(g, t));
	if (kg_relation_type_is_symmetric(g, t))
		attvalue(x, "symmetric", "true");
	attvalue_date(x, "date", date);
	attvalue_date(x, "since", since);
	attvalue_date(x, "until", until);
	if (kg_relation_weight(g, r, &w)) {
		x_puts(x, "          <attvalue for=\"weight\" value=\"");
		x_number(x, w);
		x_puts(x, "\"/>\n");
	}
	if (s != KG_NONE) {
		attvalue(x, "source_id", kg_source_id(g, s));
		attvalue(x, "source_title", kg_source_title(g, s));
		attvalue(x, "source_url", kg_source_url(g, s));
	}
	attvalue(x, "quote", kg_relation_quote(g, r));
	attvalues(x, ec, &kg__relation_attrs, r, 'e');
	x_puts(x, "        </attvalues>\n");
	if (date) {
		x_puts(x, "        <spells><spell start=\"");
		x_day(x, date, true);
		x_puts(x, "\" end=\"");
		x_day(x, date, false);
		x_puts(x, "\"/></spells>\n");
	}
	x_puts(x, "      </edge>\n");
}

void kg__export_gexf(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns nc, ec;
	size_t i;

	if (x_graph_columns(x, &nc, &ec, node_fixed, edge_fixed) != KG_OK)
		goto done;
	x_puts(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	          "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	          "    xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
	          "  <meta>\n    <creator>kgraph</creator>\n");
	/* GEXF's meta has no title: the description carries both */
	if (kg_graph_title(g) || kg_graph_description(g)) {
		x_puts(x, "    <description>");
		if (kg_graph_title(g))
			x_xml(x, kg_graph_title(g));
		if (kg_graph_title(g) && kg_graph_description(g))
			x_xml(x, "\n\n");
		if (kg_graph_description(g))
			x_xml(x, kg_graph_description(g));
		x_puts(x, "</description>\n");
	}
	x_puts(x, "  </meta>\n"
	          "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n"
	          "    <attributes class=\"node\">\n");
	attribute(x, "type", "type", "string");
	attribute(x, "type_label", "type_label", "string");
	attribute(x, "aliases", "aliases", "string");
	declare(x, &nc, 'n');
	x_puts(x, "    </attributes>\n    <attributes class=\"edge\">\n");
	attribute(x, "type", "type", "string");
	attribute(x, "label", "label", "string");
	attribute(x, "symmetric", "symmetric", "boolean");
	attribute(x, "date", "date", "string");
	attribute(x, "since", "since", "string");
	attribute(x, "until", "until", "string");
	attribute(x, "weight", "weight", "double");
	attribute(x, "source_id", "source_id", "string");
	attribute(x, "source_title", "source_title", "string");
	attribute(x, "source_url", "source_url", "string");
	attribute(x, "quote", "quote", "string");
	declare(x, &ec, 'e');
	x_puts(x, "    </attributes>\n    <nodes>\n");
	for (i = 0; i < x->nents; i++)
		node(x, &nc, x->ents[i]);
	x_puts(x, "    </nodes>\n    <edges>\n");
	for (i = 0; i < x->nrels; i++)
		edge(x, &ec, x->rels[i]);
	x_puts(x, "    </edges>\n  </graph>\n</gexf>\n");
done:
	kg__columns_free(&nc);
	kg__columns_free(&ec);
}
