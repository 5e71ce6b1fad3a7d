/*
 * graphml.c - GraphML for Gephi, yEd, Cytoscape, NetworkX and igraph.
 *
 * GraphML has typed keys (string, double, boolean, ...) but no date and
 * no list type, so dates are written as text as written (YYYY,
 * YYYY-MM or YYYY-MM-DD) and lists (aliases, list attributes) as the text
 * of a JSON array, e.g. ["Ada", "A. Lin"]. Every attribute key gets a
 * string key of its own; one named like a key of ours, or "id" (which
 * igraph gives the node and edge ids), is written as "attr_KEY".
 *
 * The labels: a node key and an edge key with attr.name "label" (the
 * entity's name, the relation type's label), which Gephi and Cytoscape
 * show, and a yEd node graphics element with the same name in a
 * y:NodeLabel, which is where yEd looks. Each edge has an id, the
 * relation's id ("r" and its index), so readers that build a multigraph
 * (NetworkX, igraph) keep parallel relations apart; Gephi merges
 * parallel edges of the same type unless told not to (docs/interop.md).
 * Provenance rides on each edge: source_id, source_title, source_url and
 * quote.
 */
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const node_fixed[] = {"id", "label", "type", "type_label", "aliases", NULL};
static const char *const edge_fixed[] = {"id", "label", "type", "symmetric", "date", "since", "until", "weight",
                                         "source_id", "source_title", "source_url", "quote", NULL};

static void key(kg__export *x, const char *id, const char *domain, const char *name, const char *type)
{
	x_printf(x, "  <key id=\"%s\" for=\"%s\" attr.name=\"", id, domain);
	x_xml(x, name);
	x_printf(x, "\" attr.type=\"%s\"/>\n", type);
}

static void data(kg__export *x, const char *k, const char *text)
{
	if (!text)
		return;
	x_printf(x, "      <data key=\"%s\">", k);
	x_xml(x, text);
	x_puts(x, "</data>\n");
}

static void data_date(kg__export *x, const char *k, kg_date d)
{
	char buf[11];
	if (d)
		data(x, k, kg_date_format(buf, d));
}

static void aliases(kg__export *x, uint32_t e)
{
	if (!kg_entity_alias_count(x->g, e))
		return;
	x_capture(x);
	x_json_aliases(x, e);
	data(x, "aliases", x_captured(x));
}

void kg__export_graphml(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns nc, ec;
	size_t i;

	if (x_graph_columns(x, &nc, &ec, node_fixed, edge_fixed) != KG_OK)
		goto done;
	x_puts(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
	          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	          "    xmlns:y=\"http://www.yworks.com/xml/graphml\"\n"
	          "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
	          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
	key(x, "title", "graph", "title", "string");
	key(x, "description", "graph", "description", "string");
	key(x, "label", "node", "label", "string");
	key(x, "type", "node", "type", "string");
	key(x, "type_label", "node", "type_label", "string");
	key(x, "aliases", "node", "aliases", "string");
	for (i = 0; i < nc.n; i++) {
		char id[32];
		snprintf(id, sizeof id, "na%zu", i);
		key(x, id, "node", nc.name[i], "string");
	}
	x_puts(x, "  <key id=\"yed\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n");
	key(x, "elabel", "edge", "label", "string");
	key(x, "etype", "edge", "type", "string");
	key(x, "symmetric", "edge", "symmetric", "boolean");
	key(x, "date", "edge", "date", "string");
	key(x, "since", "edge", "since", "string");
	key(x, "until", "edge", "until", "string");
	key(x, "weight", "edge", "weight", "double");
	key(x, "source_id", "edge", "source_id", "string");
	key(x, "source_title", "edge", "source_title", "string");
	key(x, "source_url", "edge", "source_url", "string");
	key(x, "quote", "edge", "quote", "string");
	for (i = 0; i < ec.n; i++) {
		char id[32];
		snprintf(id, sizeof id, "ea%zu", i);
		key(x, id, "edge", ec.name[i], "string");
	}
	x_puts(x, "  <graph id=\"G\" edgedefault=\"directed\">\n");
	if (kg_graph_title(g)) {
		x_puts(x, "    <data key=\"title\">");
		x_xml(x, kg_graph_title(g));
		x_puts(x, "</data>\n");
	}
	if (kg_graph_description(g)) {
		x_puts(x, "    <data key=\"description\">");
		x_xml(x, kg_graph_description(g));
		x_puts(x, "</data>\n");
	}
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i], t = kg_entity_type(g, e);
		x_puts(x, "    <node id=\"");
		x_xml(x, kg_entity_id(g, e));
		x_puts(x, "\">\n");
		data(x, "label", kg_entity_name(g, e));
		data(x, "type", kg_type_name(g, t));
		data(x, "type_label", kg_type_label(g, t));
		aliases(x, e);
		x_xml_attrs(x, &nc, &kg__entity_attrs, e, 'n', "      <data key=\"", "\">", "</data>\n");
		x_puts(x, "      <data key=\"yed\"><y:ShapeNode><y:NodeLabel>");
		x_xml(x, kg_entity_name(g, e));
		x_puts(x, "</y:NodeLabel></y:ShapeNode></data>\n    </node>\n");
	}
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i], t = kg_relation_type(g, r), s = kg_relation_source(g, r);
		double w;
		x_printf(x, "    <edge id=\"r%u\" source=\"", r);
		x_xml(x, kg_entity_id(g, kg_relation_from(g, r)));
		x_puts(x, "\" target=\"");
		x_xml(x, kg_entity_id(g, kg_relation_to(g, r)));
		x_puts(x, "\">\n");
		data(x, "elabel", kg_relation_type_label(g, t));
		data(x, "etype", kg_relation_type_name(g, t));
		if (kg_relation_type_is_symmetric(g, t))
			data(x, "symmetric", "true");
		data_date(x, "date", kg_relation_date(g, r));
		data_date(x, "since", kg_relation_since(g, r));
		data_date(x, "until", kg_relation_until(g, r));
		if (kg_relation_weight(g, r, &w)) {
			x_puts(x, "      <data key=\"weight\">");
			x_number(x, w);
			x_puts(x, "</data>\n");
		}
		if (s != KG_NONE) {
			data(x, "source_id", kg_source_id(g, s));
			data(x, "source_title", kg_source_title(g, s));
			data(x, "source_url", kg_source_url(g, s));
		}
		data(x, "quote", kg_relation_quote(g, r));
		x_xml_attrs(x, &ec, &kg__relation_attrs, r, 'e', "      <data key=\"", "\">", "</data>\n");
		x_puts(x, "    </edge>\n");
	}
	x_puts(x, "  </graph>\n</graphml>\n");
done:
	kg__columns_free(&nc);
	kg__columns_free(&ec);
}
