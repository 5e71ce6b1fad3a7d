/*
 * export_internal.h - the streaming core every export writer shares
 * (private): the output buffer and its flushing, escaping for each kind
 * of text, dates, and the attribute columns of the table formats.
 *
 * A writer (json.c, graphml.c, ...) is one function that walks the
 * selection in index order and appends text with the x_* helpers; errors
 * are sticky in x->err, so a writer checks only at the end.
 */
#ifndef KG_EXPORT_INTERNAL_H
#define KG_EXPORT_INTERNAL_H

#include "kgraph/export.h"
#include "kgraph/common.h"
#include "util/util.h"

#include <stdint.h>

/* Output is handed to the writer callback in chunks of about this size. */
#define KG_EXPORT_CHUNK (64u * 1024u)

typedef struct kg__export {
	const kg_graph *g;
	const kg_export_options *o;
	kg_diag_list *diags;
	const uint32_t *ents; /* exported entities, ascending */
	size_t nents;
	const uint32_t *rels; /* exported relations, ascending */
	size_t nrels;
	uint32_t *srcs;       /* exported sources, ascending */
	size_t nsrcs;
	kg__buf out;
	const char *part;     /* the folder file being written, or NULL */
	int err;              /* first error; sticky */
	size_t replaced;      /* characters XML could not hold */
	kg__buf saved;        /* the output while capturing (x_capture) */
	kg__buf scratch;      /* the capture buffer, reused */
	bool capturing;
} kg__export;

/* ---- output ---------------------------------------------------------- */

void x_put(kg__export *x, const char *s, size_t len);
void x_puts(kg__export *x, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void x_printf(kg__export *x, const char *fmt, ...);
/* Flush what is buffered and start the folder file called part. */
void x_part(kg__export *x, const char *part);
/* Flush what is buffered (at the end, and between parts). */
void x_flush(kg__export *x);
/* Write into a scratch buffer instead of the output, until x_captured,
 * which returns what was written (valid until the next capture; "" on
 * error). For a value that must be escaped as a whole once built. No
 * nesting. */
void x_capture(kg__export *x);
const char *x_captured(kg__export *x);
/* Record rc as the error unless one is already recorded; returns the
 * recorded error (KG_OK when there is none). */
int x_fail(kg__export *x, int rc);
/* Add a warning; out of memory becomes x->err. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void x_warn(kg__export *x, const char *fmt, ...);

/* ---- text, escaped for one kind of output ---------------------------- */

/* "text" as a JSON string. */
void x_json(kg__export *x, const char *s);
/* XML character data or attribute value (without the quotes): & < > " '
 * and tab, newline, CR as references; what XML 1.0 cannot hold becomes
 * U+FFFD (counted in x->replaced). */
void x_xml(kg__export *x, const char *s);
/* One CSV field (RFC 4180): quoted when it holds , " CR or LF, or
 * begins or ends with a space. */
void x_csv(kg__export *x, const char *s);
/* "text" as a Turtle string. */
void x_ttl(kg__export *x, const char *s);
/* "text" as a YAML double-quoted scalar. */
void x_yaml(kg__export *x, const char *s);
/* 'text' as a Cypher string literal. */
void x_cypher(kg__export *x, const char *s);
/* `name` as a Cypher identifier. */
void x_cypher_name(kg__export *x, const char *s);
/* Percent-encode everything but A-Z a-z 0-9 - . _ ~ (for IRIs). */
void x_pct(kg__export *x, const char *s);

/* ---- dates ----------------------------------------------------------- */

/* The date as written: YYYY, YYYY-MM or YYYY-MM-DD. */
void x_date(kg__export *x, kg_date d);
/* The first (first = true) or last day the date covers, as YYYY-MM-DD. */
void x_day(kg__export *x, kg_date d, bool first);
/* The day before the first day of d, as YYYY-MM-DD (an exclusive bound
 * made inclusive). */
void x_day_before(kg__export *x, kg_date d);

/* The shortest decimal text that reads back as v. */
void x_number(kg__export *x, double v);

/* ---- attributes ------------------------------------------------------ */

/* Reading the attributes of an entity, relation or source alike. */
typedef struct kg__attrs_of {
	size_t (*count)(const kg_graph *, uint32_t);
	kg_attr (*get)(const kg_graph *, uint32_t, size_t);
} kg__attrs_of;

extern const kg__attrs_of kg__entity_attrs, kg__relation_attrs, kg__source_attrs;

/* The distinct attribute keys of a set of records, in order of first
 * appearance, each with a column name that differs from the fixed
 * columns of the format (a key equal to one gets "attr_" in front). */
typedef struct kg__columns {
	const char **key;   /* the attribute key, borrowed from the graph */
	char **name;        /* the column name (owned) */
	bool *list;         /* some record has a list under this key */
	size_t n, cap;
	uint32_t *slot;     /* hash index: column + 1, 0 = empty */
	size_t nslot;
	/* per record, filled by kg__columns_row: first attribute index and
	 * count of values of each column (count 0 = absent) */
	size_t *first, *count;
} kg__columns;

/* Collect the keys of the n records ids[] (all of them when ids is NULL).
 * fixed is a NULL-terminated list of the format's own column names. */
int kg__columns_collect(kg__columns *c, const kg_graph *g, const kg__attrs_of *of, const uint32_t *ids,
                        size_t n, const char *const *fixed);
void kg__columns_free(kg__columns *c);
/* Fill c->first and c->count for record id. O(its attributes). */
void kg__columns_row(kg__columns *c, const kg_graph *g, const kg__attrs_of *of, uint32_t id);

/* Write the values of a column of one record (c->first, c->count after
 * kg__columns_row) with str, between open and close, separated by sep. */
void x_values(kg__export *x, const kg__columns *c, size_t col, const kg__attrs_of *of, uint32_t id,
              void (*str)(kg__export *, const char *), const char *open, const char *sep, const char *close);
/* As x_values, as a JSON array when the record holds a list there, else
 * as a JSON string. */
void x_json_value(kg__export *x, const kg__columns *c, size_t col, const kg__attrs_of *of, uint32_t id);

/* The attribute values of record id for XML: for each column it has,
 * BEFORE, PREFIX "a" COLUMN, MIDDLE, the value, AFTER; a list as the text
 * of a JSON array (GraphML and GEXF have no list type that escapes its
 * separator). */
void x_xml_attrs(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id, char prefix,
                 const char *before, const char *middle, const char *after);
/* The entity's aliases as a JSON array. */
void x_json_aliases(kg__export *x, uint32_t e);
/* Collect the columns of the exported entities (nc) and relations (ec). */
int x_graph_columns(kg__export *x, kg__columns *nc, kg__columns *ec, const char *const *node_fixed,
                    const char *const *edge_fixed);

/* ---- CSV tables (csv.c), shared with neo4j.c ---------------------------- */

/* The header line: the fixed names, then the columns' names. */
void kg__csv_header(kg__export *x, const char *const *fixed, const kg__columns *c);
/* ",cell" for every column of record id; list items joined by sep. */
void kg__csv_attr_cells(kg__export *x, kg__columns *c, const kg__attrs_of *of, uint32_t id, const char *sep);
/* The entity's aliases as one cell, joined by sep. */
void kg__csv_aliases(kg__export *x, uint32_t e, const char *sep);
/* ",text" (just "," for NULL), and ",DATE" (just "," for no date). */
void kg__csv_cell(kg__export *x, const char *text);
void kg__csv_date_cell(kg__export *x, kg_date d);
/* A relation's ",date,since,until,weight,source,quote" cells, and a
 * source's ",title,publisher,date,url,file". */
void kg__csv_relation_cells(kg__export *x, uint32_t r);
void kg__csv_source_cells(kg__export *x, uint32_t s);

/* ---- the writers ------------------------------------------------------ */

void kg__export_json(kg__export *x);
void kg__export_graphml(kg__export *x);
void kg__export_gexf(kg__export *x);
void kg__export_csv(kg__export *x);
void kg__export_yaml(kg__export *x);
void kg__export_neo4j(kg__export *x);
void kg__export_cypher(kg__export *x);
void kg__export_ttl(kg__export *x);
void kg__export_ftm(kg__export *x);
void kg__export_sql(kg__export *x);

#endif
