/*
 * sql.c - a psql script that stores the graph in PostgreSQL as `kgraph
 * push` does, for people who cannot connect to the server directly:
 * `psql -v ON_ERROR_STOP=1 -f graph.sql`.
 *
 * The script holds the schema (share/kgraph/kgraph.sql) and the very rows
 * push sends (db_rows.c), in one transaction that replaces a graph of the
 * same name. The rows carry no graph id (the server gives it), so they are
 * copied into temporary tables first and moved into the schema's tables
 * with the new graph's id; a script that stops half-way changes nothing.
 * Only the whole graph is written: ords are the graph's own indexes, and a
 * part would leave holes in them.
 */
#include "export/export_internal.h"
#include "db/db_rows.h"

#include <string.h>

/* The tables of one script, for moving the rows in at the end. */
typedef struct sql_script {
	kg__export *x;
	const char *table[4];
	char *columns[4]; /* without the leading "graph, " */
	size_t n;
} sql_script;

/* 'text' as an SQL string literal (standard_conforming_strings on), or NULL. */
static void x_sql(kg__export *x, const char *s)
{
	const char *q;

	if (!s) {
		x_puts(x, "NULL");
		return;
	}
	x_puts(x, "'");
	while ((q = strchr(s, '\'')) != NULL) {
		x_put(x, s, (size_t)(q - s) + 1);
		x_puts(x, "'");
		s = q + 1;
	}
	x_puts(x, s);
	x_puts(x, "'");
}

/* "kgraph.types" becomes the temporary table kgraph_load_types. */
static void load_table(kg__export *x, const char *table)
{
	x_puts(x, "kgraph_load_");
	x_puts(x, strchr(table, '.') + 1);
}

static int sql_begin(void *ctx, const char *table, const char *columns)
{
	sql_script *s = ctx;
	kg__export *x = s->x;
	size_t skip = strncmp(columns, "graph, ", 7) == 0 ? 7 : 0;

	if (s->n == sizeof s->table / sizeof *s->table || !(s->columns[s->n] = kg__strndup(columns + skip, strlen(columns + skip))))
		return x_fail(x, KG_ENOMEM);
	s->table[s->n++] = table;
	x_puts(x, "\nCREATE TEMP TABLE ");
	load_table(x, table);
	x_printf(x, " (LIKE %s) ON COMMIT DROP;\nCOPY ", table);
	load_table(x, table);
	x_printf(x, " (%s) FROM stdin;\n", columns);
	return x->err;
}

static int sql_data(void *ctx, const char *p, size_t n)
{
	sql_script *s = ctx;

	x_put(s->x, p, n);
	return s->x->err;
}

static int sql_end(void *ctx, int rc)
{
	sql_script *s = ctx;

	x_puts(s->x, "\\.\n");
	return rc != KG_OK ? rc : s->x->err;
}

void kg__export_sql(kg__export *x)
{
	const kg_graph *g = x->g;
	const char *name = x->o->version >= 2 ? x->o->graph_name : NULL;
	sql_script s = {x, {NULL}, {NULL}, 0};
	kg__db_sink sink = {&s, sql_begin, sql_data, sql_end};
	kg__buf files = {0}, fallback = {0};
	size_t i;
	int rc;

	if (x->nents != kg_graph_entity_count(g) || x->nrels != kg_graph_relation_count(g)) {
		kg_diag_list_add(x->diags, KG_SEV_ERROR, NULL,
		                 "export: sql writes the whole graph (a part would leave holes in its numbering)", NULL,
		                 NULL, NULL);
		x_fail(x, KG_EARG);
		return;
	}
	if (!name || !*name) {
		/* As push names it: the first file without folder and extension. */
		const char *f = kg_graph_file_count(g) ? kg_graph_file(g, 0) : "graph", *base = strrchr(f, '/'), *dot;
		base = base ? base + 1 : f;
		dot = strrchr(base, '.');
		if (kg__buf_add(&fallback, base, dot && dot != base ? (size_t)(dot - base) : strlen(base)) ||
		    kg__buf_add(&fallback, "", 1)) {
			x_fail(x, KG_ENOMEM);
			goto done;
		}
		name = fallback.p;
	}
	if (kg__db_files_array(&files, g) || kg__buf_add(&files, "", 1)) {
		x_fail(x, KG_ENOMEM);
		goto done;
	}
	x_puts(x, "-- A kgraph graph for PostgreSQL, written by kgraph export -T sql.\n"
	          "-- psql -v ON_ERROR_STOP=1 -f THIS_FILE: one transaction that replaces the\n"
	          "-- graph of the same name (docs/postgresql.md).\n"
	          "SET standard_conforming_strings = on;\nSET client_encoding = 'UTF8';\nBEGIN;\n\n");
	x_puts(x, kg_db_schema_sql());
	x_puts(x, "\n-- The graph, replacing one of the same name.\n");
	for (i = 0; i < 4; i++) {
		static const char *const tables[] = {"relations", "entities", "sources", "types"};
		x_printf(x, "DELETE FROM kgraph.%s WHERE graph IN (SELECT id FROM kgraph.graphs WHERE name = ", tables[i]);
		x_sql(x, name);
		x_puts(x, ");\n");
	}
	x_puts(x, "DELETE FROM kgraph.graphs WHERE name = ");
	x_sql(x, name);
	x_puts(x, ";\nINSERT INTO kgraph.graphs (name, title, description, files, entity_count, relation_count)\n"
	          "VALUES (");
	x_sql(x, name);
	x_puts(x, ", ");
	x_sql(x, kg_graph_title(g));
	x_puts(x, ", ");
	x_sql(x, kg_graph_description(g));
	x_puts(x, ", ");
	x_sql(x, files.p);
	x_printf(x, ", %zu, %zu);\n", kg_graph_entity_count(g), kg_graph_relation_count(g));
	if ((rc = kg__db_rows(g, "0", &sink)) != KG_OK) {
		x_fail(x, rc);
		goto done;
	}
	x_puts(x, "\n");
	for (i = 0; i < s.n; i++) {
		x_printf(x, "INSERT INTO %s (graph, %s)\nSELECT (SELECT id FROM kgraph.graphs WHERE name = ", s.table[i],
		         s.columns[i]);
		x_sql(x, name);
		x_printf(x, "), %s FROM ", s.columns[i]);
		load_table(x, s.table[i]);
		x_puts(x, ";\n");
	}
	x_puts(x, "COMMIT;\n");
done:
	for (i = 0; i < s.n; i++)
		kg__free(s.columns[i]);
	kg__buf_free(&files);
	kg__buf_free(&fallback);
}
