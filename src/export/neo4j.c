/*
 * neo4j.c - files for `neo4j-admin database import full`: a folder with
 * entities.csv and sources.csv (nodes), relations.csv (relationships),
 * each with a typed header, and import.sh, the command that loads them.
 *
 * Headers follow the import tool's rules: `id:ID(Entity)`, `:LABEL`
 * (Entity and the entity's type, separated by ;), `:START_ID(Entity)`,
 * `:END_ID(Entity)`, `:TYPE`, `date:date`, `weight:double`, and
 * `aliases:string[]` and `KEY:string[]` for lists, whose items are
 * separated by the array delimiter: ; unless some item holds one, then
 * the first of | ^ ~ that none holds (import.sh passes it). A property
 * name may not hold ':' (the header would split there), so ':' in an
 * attribute key becomes '_'. Fields are quoted as in RFC 4180 and may
 * span lines (import.sh passes --multiline-fields=true). The import tool
 * reads an empty field as no value, so empty attribute texts are lost.
 */
#include "export/export_internal.h"

#include <string.h>

/* id:ID(...) stores the id as the property id as well. */
static const char *const entity_fixed[] = {"id:ID(Entity)", ":LABEL", "name", "type", "aliases:string[]", NULL};
static const char *const relation_fixed[] = {":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "kg_id",
                                             "date:date", "since:date", "until:date", "weight:double",
                                             "source", "quote", NULL};
static const char *const source_fixed[] = {"id:ID(Source)", ":LABEL", "title", "publisher", "date:date",
                                           "url", "file", NULL};
/* The property names the fixed columns take, which attribute columns must
 * not repeat. */
static const char *const entity_props[] = {"id", "name", "type", "aliases", NULL};
static const char *const relation_props[] = {"kg_id", "date", "since", "until", "weight", "source", "quote", NULL};
static const char *const source_props[] = {"id", "title", "publisher", "date", "url", "file", NULL};

/* Does any list item (aliases, list attributes) hold c? */
static bool in_some_item(kg__export *x, char c)
{
	const kg_graph *g = x->g;
	size_t i, j;

	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i];
		for (j = 0; j < kg_entity_alias_count(g, e); j++)
			if (strchr(kg_entity_alias(g, e, j), c))
				return true;
		for (j = 0; j < kg_entity_attr_count(g, e); j++)
			if (kg_entity_attr(g, e, j).in_list && strchr(kg_entity_attr(g, e, j).value, c))
				return true;
	}
	for (i = 0; i < x->nrels; i++)
		for (j = 0; j < kg_relation_attr_count(g, x->rels[i]); j++)
			if (kg_relation_attr(g, x->rels[i], j).in_list && strchr(kg_relation_attr(g, x->rels[i], j).value, c))
				return true;
	for (i = 0; i < x->nsrcs; i++)
		for (j = 0; j < kg_source_attr_count(g, x->srcs[i]); j++)
			if (kg_source_attr(g, x->srcs[i], j).in_list && strchr(kg_source_attr(g, x->srcs[i], j).value, c))
				return true;
	return false;
}

/* Make the column names valid property names and add their types. */
static int type_columns(kg__columns *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		char *p, *typed;
		size_t n = strlen(c->name[i]);
		for (p = c->name[i]; *p; p++)
			if (*p == ':')
				*p = '_';
		typed = kg__realloc(c->name[i], n + sizeof ":string[]");
		if (!typed)
			return KG_ENOMEM;
		memcpy(typed + n, c->list[i] ? ":string[]" : ":string", c->list[i] ? sizeof ":string[]" : sizeof ":string");
		c->name[i] = typed;
	}
	return KG_OK;
}

static int columns(kg__columns *c, kg__export *x, const kg__attrs_of *of, const uint32_t *ids, size_t n,
                   const char *const *props)
{
	int rc = kg__columns_collect(c, x->g, of, ids, n, props);
	return rc ? rc : type_columns(c);
}

void kg__export_neo4j(kg__export *x)
{
	static const char delimiters[] = ";|^~";
	const kg_graph *g = x->g;
	char sep[2] = ";";
	kg__columns c;
	size_t i;

	for (i = 0; delimiters[i] && in_some_item(x, delimiters[i]); i++)
		;
	if (delimiters[i])
		sep[0] = delimiters[i];
	else
		x_warn(x, "neo4j: every array delimiter (; | ^ ~) occurs in some list item; items holding ; will be split");

	x_part(x, "entities.csv");
	if (x_fail(x, columns(&c, x, &kg__entity_attrs, x->ents, x->nents, entity_props)) != KG_OK)
		goto done;
	kg__csv_header(x, entity_fixed, &c);
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i];
		const char *type = kg_type_name(g, kg_entity_type(g, e));
		x_csv(x, kg_entity_id(g, e));
		x_puts(x, ",Entity;");
		x_csv(x, type);
		kg__csv_cell(x, kg_entity_name(g, e));
		kg__csv_cell(x, type);
		x_puts(x, ",");
		kg__csv_aliases(x, e, sep);
		kg__csv_attr_cells(x, &c, &kg__entity_attrs, e, sep);
		x_puts(x, "\r\n");
	}
	kg__columns_free(&c);

	x_part(x, "sources.csv");
	if (x_fail(x, columns(&c, x, &kg__source_attrs, x->srcs, x->nsrcs, source_props)) != KG_OK)
		goto done;
	kg__csv_header(x, source_fixed, &c);
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		x_csv(x, kg_source_id(g, s));
		x_puts(x, ",Source");
		kg__csv_source_cells(x, s);
		kg__csv_attr_cells(x, &c, &kg__source_attrs, s, sep);
		x_puts(x, "\r\n");
	}
	kg__columns_free(&c);

	x_part(x, "relations.csv");
	if (x_fail(x, columns(&c, x, &kg__relation_attrs, x->rels, x->nrels, relation_props)) != KG_OK)
		goto done;
	kg__csv_header(x, relation_fixed, &c);
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i];
		x_csv(x, kg_entity_id(g, kg_relation_from(g, r)));
		kg__csv_cell(x, kg_entity_id(g, kg_relation_to(g, r)));
		kg__csv_cell(x, kg_relation_type_name(g, kg_relation_type(g, r)));
		x_printf(x, ",r%u", r);
		kg__csv_relation_cells(x, r);
		kg__csv_attr_cells(x, &c, &kg__relation_attrs, r, sep);
		x_puts(x, "\r\n");
	}

	x_part(x, "import.sh");
	x_puts(x, "#!/bin/sh\n"
	          "# Written by kgraph export -T neo4j: load these files into a new Neo4j\n"
	          "# database (default: neo4j) with the database stopped. Neo4j 5:\n"
	          "#   sh import.sh [DATABASE]\n"
	          "cd \"$(dirname \"$0\")\" || exit 1\n"
	          "exec neo4j-admin database import full --overwrite-destination \\\n"
	          "  --multiline-fields=true --array-delimiter='");
	x_puts(x, sep);
	x_puts(x, "' \\\n"
	          "  --nodes=entities.csv --nodes=sources.csv --relationships=relations.csv \\\n"
	          "  \"${1:-neo4j}\"\n");
done:
	kg__columns_free(&c);
}
