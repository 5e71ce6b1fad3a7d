/*
 * db_rows.h - a graph's rows for the tables of share/kgraph/kgraph.sql,
 * in COPY's text format, and the array literals they use (db_rows.c).
 * Needs no libpq: push streams the rows to a server, export -T sql into a
 * script.
 */
#ifndef KG_DB_ROWS_H
#define KG_DB_ROWS_H

#include "kgraph/common.h"
#include "kgraph/db.h"
#include "util/util.h"

/* Where the rows go, table by table. Each returns KG_OK or a failure
 * (which stops the rows). */
typedef struct kg__db_sink {
	void *ctx;
	/* Start a table: "kgraph.types" and its columns, "graph, kind, ...",
	 * in the order of each row's values. */
	int (*begin)(void *ctx, const char *table, const char *columns);
	/* Whole rows, each ending in '\n'. */
	int (*data)(void *ctx, const char *p, size_t n);
	/* End the table; rc is KG_OK when every row was handed over. Returns
	 * the result of the table. */
	int (*end)(void *ctx, int rc);
} kg__db_sink;

/* The rows of g for types, sources, entities and relations, in that
 * order, with gid (decimal text) in the graph column. KG_OK, KG_ENOMEM
 * or the sink's failure. O(size of the graph). */
int kg__db_rows(const kg_graph *g, const char *gid, const kg__db_sink *sink);

/* Append the PostgreSQL array literal of n integers, {1,2,3}. */
int kg__db_int_array(kg__buf *b, const uint32_t *v, size_t n);

/* Append s as an item of the array literal b holds (b starts with "{";
 * the caller closes it): quoted, backslash and quote escaped, a comma
 * before all but the first. KG_OK or KG_ENOMEM. */
int kg__db_text_item(kg__buf *b, const char *s, size_t n);

/* Append the array literal of g's files, for graphs.files. */
int kg__db_files_array(kg__buf *b, const kg_graph *g);

#endif
