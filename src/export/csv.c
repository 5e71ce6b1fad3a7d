/*
 * csv.c - CSV tables for spreadsheets, Kumu and Flourish: a folder with
 * entities.csv, relations.csv and sources.csv (RFC 4180: comma
 * separated, CRLF line ends, a field quoted when it holds a comma, a
 * quote, a line break or spaces at either end, quotes doubled).
 *
 * Each table has its fixed columns, then one column per attribute key
 * found among its rows, in order of first appearance; an empty cell means
 * the row has no such attribute. A list (aliases, list attributes) is one
 * cell with its items joined by "|", as Kumu reads multi-value fields; an
 * item that itself holds "|" cannot be told apart (docs/interop.md).
 * Relations have an id column (r and the relation's index) so that rows
 * can be referred to, and a source column with the source's id.
 */
#include "export/export_internal.h"

#include <string.h>

static const char *const entity_fixed[] = {"id", "type", "name", "aliases", NULL};
static const char *const relation_fixed[] = {"id", "from", "type", "to", "date", "since", "until",
                                             "weight", "source", "quote", NULL};
static const char *const source_fixed[] = {"id", "title", "publisher", "date", "url", "file", NULL};

void kg__csv_header(kg__export *x, const char *const *fixed, const kg__columns *c)
{
	size_t i;

	for (i = 0; fixed[i]; i++) {
		if (i)
			x_puts(x, ",");
		x_csv(x, fixed[i]);
	}
	for (i = 0; i < c->n; i++) {
		x_puts(x, ",");
		x_csv(x, c->name[i]);
	}
	x_puts(x, "\r\n");
}

void kg__csv_attr_cells(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id, const char *sep)
{
	size_t col;

	kg__columns_row(c, x->g, of, id);
	for (col = 0; col < c->n; col++) {
		x_puts(x, ",");
		if (!c->count[col])
			continue;
		x_capture(x);
		x_values(x, c, col, of, id, x_puts, "", sep, "");
		x_csv(x, x_captured(x));
	}
}

void kg__csv_aliases(kg__export *x, uint32_t e, const char *sep)
{
	size_t n = kg_entity_alias_count(x->g, e), i;

	x_capture(x);
	for (i = 0; i < n; i++) {
		if (i)
			x_puts(x, sep);
		x_puts(x, kg_entity_alias(x->g, e, i));
	}
	x_csv(x, x_captured(x));
}

/* ",text", or "," alone when text is NULL. */
void kg__csv_cell(kg__export *x, const char *text)
{
	x_puts(x, ",");
	if (text)
		x_csv(x, text);
}

void kg__csv_date_cell(kg__export *x, kg_date d)
{
	x_puts(x, ",");
	if (d)
		x_date(x, d);
}

void kg__csv_relation_cells(kg__export *x, uint32_t r)
{
	const kg_graph *g = x->g;
	uint32_t s = kg_relation_source(g, r);
	double w;

	kg__csv_date_cell(x, kg_relation_date(g, r));
	kg__csv_date_cell(x, kg_relation_since(g, r));
	kg__csv_date_cell(x, kg_relation_until(g, r));
	x_puts(x, ",");
	if (kg_relation_weight(g, r, &w))
		x_number(x, w);
	kg__csv_cell(x, s != KG_NONE ? kg_source_id(g, s) : NULL);
	kg__csv_cell(x, kg_relation_quote(g, r));
}

void kg__csv_source_cells(kg__export *x, uint32_t s)
{
	const kg_graph *g = x->g;

	kg__csv_cell(x, kg_source_title(g, s));
	kg__csv_cell(x, kg_source_publisher(g, s));
	kg__csv_date_cell(x, kg_source_date(g, s));
	kg__csv_cell(x, kg_source_url(g, s));
	kg__csv_cell(x, kg_source_file(g, s));
}

void kg__export_csv(kg__export *x)
{
	const kg_graph *g = x->g;
	kg__columns c;
	size_t i;

	x_part(x, "entities.csv");
	if (x_fail(x, kg__columns_collect(&c, g, &kg__entity_attrs, x->ents, x->nents, entity_fixed)) != KG_OK)
		goto done;
	kg__csv_header(x, entity_fixed, &c);
	for (i = 0; i < x->nents; i++) {
		uint32_t e = x->ents[i];
		x_csv(x, kg_entity_id(g, e));
		kg__csv_cell(x, kg_type_name(g, kg_entity_type(g, e)));
		kg__csv_cell(x, kg_entity_name(g, e));
		x_puts(x, ",");
		kg__csv_aliases(x, e, "|");
		kg__csv_attr_cells(x, &c, &kg__entity_attrs, e, "|");
		x_puts(x, "\r\n");
	}
	kg__columns_free(&c);

	x_part(x, "relations.csv");
	if (x_fail(x, kg__columns_collect(&c, g, &kg__relation_attrs, x->rels, x->nrels, relation_fixed)) != KG_OK)
		goto done;
	kg__csv_header(x, relation_fixed, &c);
	for (i = 0; i < x->nrels; i++) {
		uint32_t r = x->rels[i];
		x_printf(x, "r%u", r);
		kg__csv_cell(x, kg_entity_id(g, kg_relation_from(g, r)));
		kg__csv_cell(x, kg_relation_type_name(g, kg_relation_type(g, r)));
		kg__csv_cell(x, kg_entity_id(g, kg_relation_to(g, r)));
		kg__csv_relation_cells(x, r);
		kg__csv_attr_cells(x, &c, &kg__relation_attrs, r, "|");
		x_puts(x, "\r\n");
	}
	kg__columns_free(&c);

	x_part(x, "sources.csv");
	if (x_fail(x, kg__columns_collect(&c, g, &kg__source_attrs, x->srcs, x->nsrcs, source_fixed)) != KG_OK)
		goto done;
	kg__csv_header(x, source_fixed, &c);
	for (i = 0; i < x->nsrcs; i++) {
		uint32_t s = x->srcs[i];
		x_csv(x, kg_source_id(g, s));
		kg__csv_source_cells(x, s);
		kg__csv_attr_cells(x, &c, &kg__source_attrs, s, "|");
		x_puts(x, "\r\n");
	}
done:
	kg__columns_free(&c);
}
