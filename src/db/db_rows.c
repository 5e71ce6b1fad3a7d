/*
 * db_rows.c - a graph's rows in the schema of share/kgraph/kgraph.sql, in
 * COPY's text format, handed to a sink a buffer at a time: `kgraph push`
 * streams them to the server (db_push.c), `kgraph export -T sql` writes
 * them into a psql script (src/export/sql.c), so both hold the same data.
 *
 * No libpq here. Backslash, tab, newline and carriage return in a value
 * are escaped, \N is NULL. Records go in with their index as `ord`, so
 * that queries can order them as the loaded graph does.
 */
#define _POSIX_C_SOURCE 200809L
#include "db/db_rows.h"
#include "core/graph_internal.h"
#include "util/fold.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

/* The schema, embedded from share/kgraph/kgraph.sql at build time. */
extern const unsigned char kg__db_schema[];

const char *kg_db_schema_sql(void) { return (const char *)kg__db_schema; }

/* Bytes of COPY data sent at a time. */
#define KG_DB_COPY_CHUNK 65536

typedef struct copier {
	const kg__db_sink *sink;
	kg__buf row;   /* rows not yet sent */
	kg__buf tmp;   /* an array or JSON value before it is escaped */
	kg__buf fold;  /* a folded name */
	const char *gid;
	bool copying;  /* a COPY is under way */
	int rc;        /* the first failure */
} copier;

/* ---- COPY text format ----------------------------------------------- */

static void put(copier *c, const char *s, size_t n)
{
	if (c->rc == KG_OK && kg__buf_add(&c->row, s, n))
		c->rc = KG_ENOMEM;
}

static void put_escaped(copier *c, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *e = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n"
		              : s[i] == '\r' ? "\\r" : NULL;
		if (!e)
			continue;
		put(c, s + start, i - start);
		put(c, e, 2);
		start = i + 1;
	}
	put(c, s + start, n - start);
}

/* A column: tab before all but the first. */
static void col_text(copier *c, const char *s, bool first)
{
	if (!first)
		put(c, "\t", 1);
	if (s)
		put_escaped(c, s, strlen(s));
	else
		put(c, "\\N", 2);
}

static void col_uint(copier *c, unsigned long long v)
{
	char num[32];

	snprintf(num, sizeof num, "%llu", v);
	col_text(c, num, false);
}

static void col_ref(copier *c, uint32_t v)
{
	if (v == KG_NONE)
		col_text(c, NULL, false);
	else
		col_uint(c, v);
}

static void col_bool(copier *c, bool v) { col_text(c, v ? "t" : "f", false); }

/* A date as its first day and its precision (1 year, 2 month, 3 day):
 * two columns, NULL and NULL for no date. */
static void col_date(copier *c, kg_date d)
{
	char text[16];

	if (!d) {
		col_text(c, NULL, false);
		col_text(c, NULL, false);
		return;
	}
	snprintf(text, sizeof text, "%04d-%02d-%02d", KG_DATE_YEAR(d), KG_DATE_MONTH(d) ? KG_DATE_MONTH(d) : 1,
	         KG_DATE_DAY(d) ? KG_DATE_DAY(d) : 1);
	col_text(c, text, false);
	col_uint(c, KG_DATE_DAY(d) ? 3 : KG_DATE_MONTH(d) ? 2 : 1);
}

/* Location: file index, line, column; NULLs without a file. */
static void col_loc(copier *c, kg__loc loc, bool has)
{
	if (!has) {
		col_text(c, NULL, false);
		col_text(c, NULL, false);
		col_text(c, NULL, false);
		return;
	}
	col_uint(c, loc.file);
	col_uint(c, loc.line);
	col_uint(c, loc.col);
}

static void tmp_add(copier *c, const char *s, size_t n)
{
	if (c->rc == KG_OK && kg__buf_add(&c->tmp, s, n))
		c->rc = KG_ENOMEM;
}

/* s as an item of the array literal in tmp. */
static void tmp_array_item(copier *c, const char *s, size_t n)
{
	if (c->rc == KG_OK && kg__db_text_item(&c->tmp, s, n))
		c->rc = KG_ENOMEM;
}

/* s as a JSON string. */
static void tmp_json_string(copier *c, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = 0, i;

	tmp_add(c, "\"", 1);
	for (i = 0; p[i]; i++) {
		char esc[8];
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
			continue;
		tmp_add(c, s + start, i - start);
		snprintf(esc, sizeof esc, p[i] == '"' ? "\\\"" : p[i] == '\\' ? "\\\\" : "\\u%04x", p[i]);
		tmp_add(c, esc, strlen(esc));
		start = i + 1;
	}
	tmp_add(c, s + start, i - start);
	tmp_add(c, "\"", 1);
}

static void col_tmp(copier *c)
{
	put(c, "\t", 1);
	if (c->rc == KG_OK)
		put_escaped(c, c->tmp.p ? c->tmp.p : "", c->tmp.n);
	c->tmp.n = 0;
}

/* Attributes: a jsonb object (a list value as an array) and the keys in
 * the order written, two columns. */
typedef kg_attr (*attr_fn)(const kg_graph *g, uint32_t rec, size_t i);
static void col_attrs(copier *c, const kg_graph *g, uint32_t rec, size_t n, attr_fn at)
{
	size_t i;

	if (!n) {
		col_text(c, NULL, false);
		col_text(c, NULL, false);
		return;
	}
	c->tmp.n = 0;
	tmp_add(c, "{", 1);
	for (i = 0; i < n; i++) {
		kg_attr a = at(g, rec, i);
		bool starts = !a.in_list || i == 0 || strcmp(at(g, rec, i - 1).key, a.key) != 0;
		bool ends = !a.in_list || i + 1 == n || strcmp(at(g, rec, i + 1).key, a.key) != 0;
		if (starts) {
			tmp_add(c, i ? ", " : "", i ? 2 : 0);
			tmp_json_string(c, a.key);
			tmp_add(c, a.in_list ? ": [" : ": ", a.in_list ? 3 : 2);
		} else {
			tmp_add(c, ", ", 2);
		}
		tmp_json_string(c, a.value);
		if (a.in_list && ends)
			tmp_add(c, "]", 1);
	}
	tmp_add(c, "}", 1);
	col_tmp(c);
	tmp_add(c, "{", 1);
	for (i = 0; i < n; i++) {
		kg_attr a = at(g, rec, i);
		if (!a.in_list || i == 0 || strcmp(at(g, rec, i - 1).key, a.key) != 0)
			tmp_array_item(c, a.key, strlen(a.key));
	}
	tmp_add(c, "}", 1);
	col_tmp(c);
}

static void col_uint_array(copier *c, const uint32_t *v, size_t n)
{
	c->tmp.n = 0;
	if (c->rc == KG_OK && kg__db_int_array(&c->tmp, v, n))
		c->rc = KG_ENOMEM;
	col_tmp(c);
}

/* End a row; send the buffer when it is full. */
static void end_row(copier *c)
{
	put(c, "\n", 1);
	if (c->rc == KG_OK && c->row.n >= KG_DB_COPY_CHUNK) {
		c->rc = c->sink->data(c->sink->ctx, c->row.p, c->row.n);
		c->row.n = 0;
	}
}

/* Start a table's rows, or end them: the rest of the buffer, then the
 * sink's verdict. */
static void copy_begin(copier *c, const char *table, const char *columns)
{
	c->row.n = 0;
	if (c->rc != KG_OK)
		return;
	c->rc = c->sink->begin(c->sink->ctx, table, columns);
	c->copying = c->rc == KG_OK;
}

static void copy_end(copier *c)
{
	if (!c->copying)
		return;
	c->copying = false;
	if (c->rc == KG_OK && c->row.n)
		c->rc = c->sink->data(c->sink->ctx, c->row.p, c->row.n);
	c->row.n = 0;
	c->rc = c->sink->end(c->sink->ctx, c->rc);
}

/* ---- the tables ------------------------------------------------------ */

static void begin_row(copier *c, uint32_t ord)
{
	col_text(c, c->gid, true);
	col_uint(c, ord);
}

static void copy_types(copier *c, const kg_graph *g)
{
	size_t i;

	copy_begin(c, "kgraph.types",
	           "graph, kind, ord, name, label, builtin, declared, is_symmetric, from_types, "
	           "to_types, uses, attrs, attr_keys, file, line, col");
	for (i = 0; i < g->types.n && c->rc == KG_OK; i++) {
		const kg__type *t = &g->types.v[i];
		uint32_t ti = (uint32_t)i;
		col_text(c, c->gid, true);
		col_text(c, "entity", false);
		col_uint(c, ti);
		col_text(c, kg_type_name(g, ti), false);
		col_text(c, t->label ? kg_type_label(g, ti) : NULL, false);
		col_bool(c, t->builtin);
		col_bool(c, t->declared);
		col_bool(c, false);
		col_text(c, NULL, false);
		col_text(c, NULL, false);
		col_uint(c, 0);
		col_attrs(c, g, ti, kg_type_attr_count(g, ti), kg_type_attr);
		col_loc(c, t->loc, t->declared);
		end_row(c);
	}
	for (i = 0; i < g->rtypes.n && c->rc == KG_OK; i++) {
		const kg__rtype *t = &g->rtypes.v[i];
		uint32_t ti = (uint32_t)i;
		col_text(c, c->gid, true);
		col_text(c, "relation", false);
		col_uint(c, ti);
		col_text(c, kg_relation_type_name(g, ti), false);
		col_text(c, t->label ? kg_relation_type_label(g, ti) : NULL, false);
		col_bool(c, false);
		col_bool(c, t->declared);
		col_bool(c, t->symmetric);
		col_uint_array(c, g->u32.v + t->from.start, t->from.count);
		col_uint_array(c, g->u32.v + t->to.start, t->to.count);
		col_uint(c, t->uses);
		col_attrs(c, g, ti, kg_relation_type_attr_count(g, ti), kg_relation_type_attr);
		col_loc(c, t->loc, true);
		end_row(c);
	}
	copy_end(c);
}

static void copy_sources(copier *c, const kg_graph *g)
{
	size_t i;

	copy_begin(c, "kgraph.sources",
	           "graph, ord, id, title, publisher, url, path, date, date_precision, cites, attrs, "
	           "attr_keys, file, line, col");
	for (i = 0; i < g->sources.n && c->rc == KG_OK; i++) {
		uint32_t s = (uint32_t)i;
		begin_row(c, s);
		col_text(c, kg_source_id(g, s), false);
		col_text(c, kg_source_title(g, s), false);
		col_text(c, kg_source_publisher(g, s), false);
		col_text(c, kg_source_url(g, s), false);
		col_text(c, kg_source_file(g, s), false);
		col_date(c, kg_source_date(g, s));
		col_uint(c, kg_source_cite_count(g, s));
		col_attrs(c, g, s, kg_source_attr_count(g, s), kg_source_attr);
		col_loc(c, g->sources.v[i].loc, true);
		end_row(c);
	}
	copy_end(c);
}

/* A folded name as an item of the folded array; names that are not
 * UTF-8 are left out, as kg_graph_resolve cannot match them either. */
static void tmp_folded(copier *c, const char *s)
{
	if (c->rc != KG_OK || kg__fold(&c->fold, s, strlen(s)))
		return;
	tmp_array_item(c, c->fold.p ? c->fold.p : "", c->fold.n);
}

/* A field folded for search as an item of a search array; text that
 * does not fold is left out, as kg_query_search skips it too. */
static void tmp_search_key(copier *c, const char *s)
{
	int rc = c->rc == KG_OK ? kg__fold_search(&c->fold, s, strlen(s)) : 0;

	if (rc == KG__FOLD_NOMEM)
		c->rc = KG_ENOMEM;
	if (c->rc != KG_OK || rc || !c->fold.p)
		return;
	tmp_array_item(c, c->fold.p, c->fold.n);
}

/* An array column of an entity's id, name and aliases, each written by
 * item (folded one way or the other). */
static void col_names(copier *c, const kg_graph *g, uint32_t ei, void (*item)(copier *c, const char *s))
{
	size_t j;

	c->tmp.n = 0;
	tmp_add(c, "{", 1);
	item(c, kg_entity_id(g, ei));
	if (g->entities.v[ei].name)
		item(c, kg_entity_name(g, ei));
	for (j = 0; j < kg_entity_alias_count(g, ei); j++)
		item(c, kg_entity_alias(g, ei, j));
	tmp_add(c, "}", 1);
	col_tmp(c);
}

static void copy_entities(copier *c, const kg_graph *g)
{
	size_t i, j;

	copy_begin(c, "kgraph.entities",
	           "graph, ord, id, name, type, aliases, folded, search_keys, search_values, attrs, attr_keys, file, "
	           "line, col");
	for (i = 0; i < g->entities.n && c->rc == KG_OK; i++) {
		const kg__entity *e = &g->entities.v[i];
		uint32_t ei = (uint32_t)i;
		size_t na = kg_entity_alias_count(g, ei);
		begin_row(c, ei);
		col_text(c, kg_entity_id(g, ei), false);
		col_text(c, e->name ? kg_entity_name(g, ei) : NULL, false);
		col_uint(c, e->type);
		if (na) {
			c->tmp.n = 0;
			tmp_add(c, "{", 1);
			for (j = 0; j < na; j++)
				tmp_array_item(c, kg_entity_alias(g, ei, j), strlen(kg_entity_alias(g, ei, j)));
			tmp_add(c, "}", 1);
			col_tmp(c);
		} else {
			col_text(c, NULL, false);
		}
		col_names(c, g, ei, tmp_folded);
		col_names(c, g, ei, tmp_search_key);
		c->tmp.n = 0;
		tmp_add(c, "{", 1);
		for (j = 0; j < kg_entity_attr_count(g, ei); j++)
			tmp_search_key(c, kg_entity_attr(g, ei, j).value);
		tmp_add(c, "}", 1);
		col_tmp(c);
		col_attrs(c, g, ei, kg_entity_attr_count(g, ei), kg_entity_attr);
		col_loc(c, kg__entity_loc(g, ei), true);
		end_row(c);
	}
	copy_end(c);
}

static void copy_relations(copier *c, const kg_graph *g)
{
	size_t i;

	copy_begin(c, "kgraph.relations",
	           "graph, ord, from_ord, to_ord, type, date, date_precision, since, since_precision, "
	           "until, until_precision, source, quote, weight, attrs, attr_keys, file, line, col");
	for (i = 0; i < g->relations.n && c->rc == KG_OK; i++) {
		uint32_t r = (uint32_t)i;
		double w;
		begin_row(c, r);
		col_uint(c, kg_relation_from(g, r));
		col_uint(c, kg_relation_to(g, r));
		col_uint(c, kg_relation_type(g, r));
		col_date(c, kg_relation_date(g, r));
		col_date(c, kg_relation_since(g, r));
		col_date(c, kg_relation_until(g, r));
		col_ref(c, kg_relation_source(g, r));
		col_text(c, kg_relation_quote(g, r), false);
		if (kg_relation_weight(g, r, &w)) {
			char num[40];
			snprintf(num, sizeof num, "%.17g", w);
			col_text(c, num, false);
		} else {
			col_text(c, NULL, false);
		}
		col_attrs(c, g, r, kg_relation_attr_count(g, r), kg_relation_attr);
		col_loc(c, kg__relation_loc(g, r), true);
		end_row(c);
	}
	copy_end(c);
}

int kg__db_int_array(kg__buf *b, const uint32_t *v, size_t n)
{
	size_t i;

	if (kg__buf_puts(b, "{"))
		return KG_ENOMEM;
	for (i = 0; i < n; i++)
		if (kg__buf_printf(b, i ? ",%u" : "%u", (unsigned)v[i]))
			return KG_ENOMEM;
	return kg__buf_puts(b, "}") ? KG_ENOMEM : KG_OK;
}

int kg__db_text_item(kg__buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	if (kg__buf_puts(b, b->n > 1 ? ",\"" : "\""))
		return KG_ENOMEM;
	for (i = 0; i < n; i++) {
		if (s[i] != '\\' && s[i] != '"')
			continue;
		if (kg__buf_add(b, s + start, i - start) || kg__buf_add(b, "\\", 1))
			return KG_ENOMEM;
		start = i;
	}
	return kg__buf_add(b, s + start, n - start) || kg__buf_add(b, "\"", 1) ? KG_ENOMEM : KG_OK;
}

int kg__db_files_array(kg__buf *b, const kg_graph *g)
{
	size_t i;

	if (kg__buf_puts(b, "{"))
		return KG_ENOMEM;
	for (i = 0; i < kg_graph_file_count(g); i++)
		if (kg__db_text_item(b, kg_graph_file(g, i), strlen(kg_graph_file(g, i))))
			return KG_ENOMEM;
	return kg__buf_puts(b, "}") ? KG_ENOMEM : KG_OK;
}

int kg__db_rows(const kg_graph *g, const char *gid, const kg__db_sink *sink)
{
	copier c;
	int rc;

	/* The rows are read from the arrays directly: a snapshot read lazily
	 * is checked whole first (a damaged one is then marked so). */
	if ((rc = kg__graph_trust(g)) != KG_OK)
		return rc;
	memset(&c, 0, sizeof c);
	c.sink = sink;
	c.gid = gid;
	copy_types(&c, g);
	copy_sources(&c, g);
	copy_entities(&c, g);
	copy_relations(&c, g);
	kg__buf_free(&c.row);
	kg__buf_free(&c.tmp);
	kg__buf_free(&c.fold);
	return c.rc;
}
