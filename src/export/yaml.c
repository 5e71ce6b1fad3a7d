/*
 * yaml.c - kgraph's own format (docs/format.md), one file: a part of a
 * graph, or many files merged into one, that `kgraph check` accepts and
 * that loads back into the same graph.
 *
 * Every text is a double-quoted scalar (x_yaml escapes what YAML would
 * otherwise read differently), so nothing is ever resolved as a number,
 * boolean or null behind the reader's back; weights are plain numbers
 * written so they read back as the same double. Dates are plain, as
 * written. Order is kept: types, relation types, entities, relations and
 * every attribute in graph order, so indexes come back the same.
 *
 * The vocabulary is written whole (declared types and relation types,
 * built-in types only when they were given a label or style), since a
 * relation type's from:/to: may name any type. A source's file: is
 * written as an absolute path when the file exists (the loader resolved
 * it against the directory of the file that declared it, and the export
 * may be written anywhere), else as the loader resolved it.
 */
#define _XOPEN_SOURCE 700
#include "export/export_internal.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A key inside {...}: "? key" when it might be too long for a simple one. */
static void flow_key(kg__export *x, const char *k)
{
	if (kg__yaml_explicit_key(k))
		x_puts(x, "? ");
	x_yaml(x, k);
}

/* "  key:" at an indent, the key quoted (ids are always text, and an id
 * such as null or 2024 must not be read as anything else). A key YAML could
 * not read as a simple one (kg__yaml_explicit_key) is written as an
 * explicit one: "? key" on its line, then ":" at the same indent. */
static void key(kg__export *x, const char *indent, const char *k)
{
	x_puts(x, indent);
	if (kg__yaml_explicit_key(k)) {
		x_puts(x, "? ");
		x_yaml(x, k);
		x_puts(x, "\n");
		x_puts(x, indent);
	} else
		x_yaml(x, k);
	x_puts(x, ":");
}

static void text(kg__export *x, const char *indent, const char *k, const char *v)
{
	if (!v)
		return;
	x_puts(x, indent);
	x_puts(x, k);
	x_puts(x, ": ");
	x_yaml(x, v);
	x_puts(x, "\n");
}

static void date(kg__export *x, const char *indent, const char *k, kg_date d)
{
	if (!d)
		return;
	x_puts(x, indent);
	x_puts(x, k);
	x_puts(x, ": ");
	x_date(x, d);
	x_puts(x, "\n");
}

/* Attributes in order, a list as a flow sequence of its items (the
 * items of a list are consecutive, with the same key). */
static void attrs(kg__export *x, const char *indent, const kg__attrs_of *of, uint32_t id)
{
	size_t n = of->count(x->g, id), i = 0;

	while (i < n) {
		kg_attr a = of->get(x->g, id, i++);
		key(x, indent, a.key);
		x_puts(x, " ");
		if (!a.in_list) {
			x_yaml(x, a.value);
		} else {
			x_puts(x, "[");
			x_yaml(x, a.value);
			for (; i < n; i++) {
				kg_attr b = of->get(x->g, id, i);
				if (!b.in_list || strcmp(b.key, a.key) != 0)
					break;
				x_puts(x, ", ");
				x_yaml(x, b.value);
			}
			x_puts(x, "]");
		}
		x_puts(x, "\n");
	}
}

static void types(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t n = kg_graph_type_count(g), i, j, written = 0;

	for (i = 0; i < n; i++) {
		uint32_t t = (uint32_t)i;
		size_t na = kg_type_attr_count(g, t);
		bool labelled = strcmp(kg_type_label(g, t), kg_type_name(g, t)) != 0;
		if (kg_type_is_builtin(g, t) && !na && !labelled)
			continue;
		if (!written++)
			x_puts(x, "\ntypes:\n");
		key(x, "  ", kg_type_name(g, t));
		x_puts(x, " {");
		if (labelled) {
			x_puts(x, "label: ");
			x_yaml(x, kg_type_label(g, t));
		}
		for (j = 0; j < na; j++) {
			kg_attr a = kg_type_attr(g, t, j);
			if (j || labelled)
				x_puts(x, ", ");
			flow_key(x, a.key);
			x_puts(x, ": ");
			x_yaml(x, a.value);
		}
		x_puts(x, "}\n");
	}
}

static void type_list(kg__export *x, const char *k, size_t n, uint32_t (*get)(const kg_graph *, uint32_t, size_t),
                      uint32_t rt)
{
	size_t i;

	if (!n)
		return;
	x_printf(x, ", %s: [", k);
	for (i = 0; i < n; i++) {
		if (i)
			x_puts(x, ", ");
		x_yaml(x, kg_type_name(x->g, get(x->g, rt, i)));
	}
	x_puts(x, "]");
}

static void relation_types(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t n = kg_graph_relation_type_count(g), i, j, written = 0;

	for (i = 0; i < n; i++) {
		uint32_t t = (uint32_t)i;
		if (!kg_relation_type_is_declared(g, t))
			continue;
		if (!written++)
			x_puts(x, "\nrelation_types:\n");
		key(x, "  ", kg_relation_type_name(g, t));
		x_puts(x, " {label: ");
		x_yaml(x, kg_relation_type_label(g, t));
		x_puts(x, kg_relation_type_is_symmetric(g, t) ? ", symmetric: true" : ", symmetric: false");
		type_list(x, "from", kg_relation_type_from_count(g, t), kg_relation_type_from, t);
		type_list(x, "to", kg_relation_type_to_count(g, t), kg_relation_type_to, t);
		for (j = 0; j < kg_relation_type_attr_count(g, t); j++) {
			kg_attr a = kg_relation_type_attr(g, t, j);
			x_puts(x, ", ");
			flow_key(x, a.key);
			x_puts(x, ": ");
			x_yaml(x, a.value);
		}
		x_puts(x, "}\n");
	}
}

void kg__export_yaml(kg__export *x)
{
	const kg_graph *g = x->g;
	size_t i, j;

	x_puts(x, "# Written by kgraph export -T yaml (docs/format.md).\n");
	text(x, "", "title", kg_graph_title(g));
	text(x, "", "description", kg_graph_description(g));
	if (x->nsrcs)
		x_puts(x, "\nsources:\n");
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		key(x, "  ", kg_source_id(g, s));
		if (!kg_source_title(g, s) && !kg_source_publisher(g, s) && !kg_source_date(g, s) &&
		    !kg_source_url(g, s) && !kg_source_file(g, s) && !kg_source_attr_count(g, s)) {
			x_puts(x, " {}\n");
			continue;
		}
		x_puts(x, "\n");
		text(x, "    ", "title", kg_source_title(g, s));
		text(x, "    ", "publisher", kg_source_publisher(g, s));
		date(x, "    ", "date", kg_source_date(g, s));
		text(x, "    ", "url", kg_source_url(g, s));
		if (kg_source_file(g, s)) {
			char *abs = realpath(kg_source_file(g, s), NULL);
			text(x, "    ", "file", abs ? abs : kg_source_file(g, s));
			free(abs);
		}
		attrs(x, "    ", &kg__source_attrs, s);
	}
	types(x);
	relation_types(x);
	/* An empty graph still gets the key: a file of nothing but a
	 * comment is "empty" to the loader, and the export must load. */
	x_puts(x, x->nents ? "\nentities:\n" : "\nentities: {}\n");
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i];
		size_t na = kg_entity_alias_count(g, e);
		key(x, "  ", kg_entity_id(g, e));
		x_puts(x, "\n    type: ");
		x_yaml(x, kg_type_name(g, kg_entity_type(g, e)));
		x_puts(x, "\n");
		if (strcmp(kg_entity_name(g, e), kg_entity_id(g, e)) != 0)
			text(x, "    ", "name", kg_entity_name(g, e));
		if (na) {
			x_puts(x, "    aliases: [");
			for (j = 0; j < na; j++) {
				if (j)
					x_puts(x, ", ");
				x_yaml(x, kg_entity_alias(g, e, j));
			}
			x_puts(x, "]\n");
		}
		attrs(x, "    ", &kg__entity_attrs, e);
	}
	if (x->nrels)
		x_puts(x, "\nrelations:\n");
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i], s = kg_relation_source(g, r);
		double w;
		x_puts(x, "  - from: ");
		x_yaml(x, kg_entity_id(g, kg_relation_from(g, r)));
		x_puts(x, "\n    type: ");
		x_yaml(x, kg_relation_type_name(g, kg_relation_type(g, r)));
		x_puts(x, "\n    to: ");
		x_yaml(x, kg_entity_id(g, kg_relation_to(g, r)));
		x_puts(x, "\n");
		date(x, "    ", "date", kg_relation_date(g, r));
		date(x, "    ", "since", kg_relation_since(g, r));
		date(x, "    ", "until", kg_relation_until(g, r));
		if (kg_relation_weight(g, r, &w)) {
			x_puts(x, "    weight: ");
			x_number(x, w);
			x_puts(x, "\n");
		}
		if (s != KG_NONE)
			text(x, "    ", "source", kg_source_id(g, s));
		text(x, "    ", "quote", kg_relation_quote(g, r));
		attrs(x, "    ", &kg__relation_attrs, r);
	}
}
