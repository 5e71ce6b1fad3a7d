/*
 * ttl.c - RDF as Turtle, for triple stores, rdflib and raptor.
 *
 * Names (IRIs): entities <urn:kgraph:entity:ID>, their types
 * <urn:kgraph:type:NAME>, relation types <urn:kgraph:rel:NAME>, sources
 * <urn:kgraph:source:ID>, relations <urn:kgraph:relation:rN>, attribute
 * keys <urn:kgraph:attr:KEY> (percent-encoded), vocabulary kg: =
 * <urn:kgraph:vocab#>. A URN and not an http IRI, because kgraph owns
 * no domain; replace the prefix with sed to mint your own.
 *
 * Each relation is written twice: as the plain triple (from, type, to),
 * so that queries over the graph are simple, and as a node of its own
 * (rdf:Statement with rdf:subject, rdf:predicate and rdf:object, the
 * reification RDF 1.1 has) carrying what a triple cannot: its dates, its
 * weight, its attributes and its provenance in PROV-O:
 * prov:wasQuotedFrom the source and prov:value the quote. Dates are typed
 * by their precision: xsd:date, xsd:gYearMonth or xsd:gYear, so nothing
 * is made up. Sources carry dcterms:title, dcterms:publisher,
 * dcterms:date and prov:atLocation for their url.
 */
#include "export/export_internal.h"

#include <string.h>

static void iri(kg__export *x, const char *kind, const char *id)
{
	x_puts(x, "<urn:kgraph:");
	x_puts(x, kind);
	x_puts(x, ":");
	x_pct(x, id);
	x_puts(x, ">");
}

static void literal(kg__export *x, const char *pred, const char *v)
{
	if (!v)
		return;
	x_puts(x, " ;\n  ");
	x_puts(x, pred);
	x_puts(x, " ");
	x_ttl(x, v);
}

static void date(kg__export *x, const char *pred, kg_date d)
{
	if (!d)
		return;
	x_puts(x, " ;\n  ");
	x_puts(x, pred);
	x_puts(x, " \"");
	x_date(x, d);
	x_puts(x, KG_DATE_DAY(d) ? "\"^^xsd:date" : KG_DATE_MONTH(d) ? "\"^^xsd:gYearMonth" : "\"^^xsd:gYear");
}

static void attrs(kg__export *x, const kg__attrs_of *of, uint32_t id)
{
	size_t n = of->count(x->g, id), i;

	for (i = 0; i < n; i++) {
		kg_attr a = of->get(x->g, id, i);
		x_puts(x, " ;\n  ");
		iri(x, "attr", a.key);
		x_puts(x, " ");
		x_ttl(x, a.value);
	}
}

void kg__export_ttl(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t i, j;

	x_puts(x, "# Written by kgraph export -T ttl\n"
	          "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
	          "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
	          "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
	          "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
	          "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
	          "@prefix kg: <urn:kgraph:vocab#> .\n\n");
	for (i = 0; i < kg_graph_type_count(g); i++) {
		iri(x, "type", kg_type_name(g, (uint32_t)i));
		x_puts(x, " a rdfs:Class");
		literal(x, "rdfs:label", kg_type_label(g, (uint32_t)i));
		x_puts(x, " .\n");
	}
	for (i = 0; i < kg_graph_relation_type_count(g); i++) {
		iri(x, "rel", kg_relation_type_name(g, (uint32_t)i));
		x_puts(x, " a rdf:Property");
		literal(x, "rdfs:label", kg_relation_type_label(g, (uint32_t)i));
		if (kg_relation_type_is_symmetric(g, (uint32_t)i))
			x_puts(x, " ;\n  a kg:SymmetricRelation");
		x_puts(x, " .\n");
	}
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		x_puts(x, "\n");
		iri(x, "source", kg_source_id(g, s));
		x_puts(x, " a prov:Entity, kg:Source");
		literal(x, "kg:id", kg_source_id(g, s));
		literal(x, "dcterms:title", kg_source_title(g, s));
		literal(x, "dcterms:publisher", kg_source_publisher(g, s));
		date(x, "dcterms:date", kg_source_date(g, s));
		if (kg_source_url(g, s)) {
			x_puts(x, " ;\n  prov:atLocation ");
			x_ttl(x, kg_source_url(g, s));
		}
		literal(x, "kg:file", kg_source_file(g, s));
		attrs(x, &kg__source_attrs, s);
		x_puts(x, " .\n");
	}
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i];
		x_puts(x, "\n");
		iri(x, "entity", kg_entity_id(g, e));
		x_puts(x, " a ");
		iri(x, "type", kg_type_name(g, kg_entity_type(g, e)));
		literal(x, "kg:id", kg_entity_id(g, e));
		literal(x, "rdfs:label", kg_entity_name(g, e));
		for (j = 0; j < kg_entity_alias_count(g, e); j++)
			literal(x, "kg:alias", kg_entity_alias(g, e, j));
		attrs(x, &kg__entity_attrs, e);
		x_puts(x, " .\n");
	}
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i], s = kg_relation_source(g, r);
		const char *from = kg_entity_id(g, kg_relation_from(g, r)), *to = kg_entity_id(g, kg_relation_to(g, r));
		const char *type = kg_relation_type_name(g, kg_relation_type(g, r));
		double w;
		x_puts(x, "\n");
		iri(x, "entity", from);
		x_puts(x, " ");
		iri(x, "rel", type);
		x_puts(x, " ");
		iri(x, "entity", to);
		x_printf(x, " .\n<urn:kgraph:relation:r%u> a rdf:Statement, kg:Relation ;\n  rdf:subject ", r);
		iri(x, "entity", from);
		x_puts(x, " ;\n  rdf:predicate ");
		iri(x, "rel", type);
		x_puts(x, " ;\n  rdf:object ");
		iri(x, "entity", to);
		date(x, "kg:date", kg_relation_date(g, r));
		date(x, "kg:since", kg_relation_since(g, r));
		date(x, "kg:until", kg_relation_until(g, r));
		if (kg_relation_weight(g, r, &w)) {
			x_puts(x, " ;\n  kg:weight \"");
			x_number(x, w);
			x_puts(x, "\"^^xsd:double");
		}
		if (s != KG_NONE) {
			x_puts(x, " ;\n  prov:wasQuotedFrom ");
			iri(x, "source", kg_source_id(g, s));
		}
		literal(x, "prov:value", kg_relation_quote(g, r));
		attrs(x, &kg__relation_attrs, r);
		x_puts(x, " .\n");
	}
}
