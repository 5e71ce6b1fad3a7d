/*
 * kgraph/match.h - pattern questions in a subset of Cypher:
 *
 *   MATCH (p:person)-[:decided]->(d:decision)-[:restricts|excludes]->(w:weapon)
 *   WHERE d.date >= "2024-05" RETURN p.name, d.name, w.name ORDER BY d.date
 *
 * The subset (docs/match.md teaches it): MATCH with comma-separated linear
 * patterns sharing variables; node patterns (v:type1|type2 {key: value});
 * relation patterns -[r:t1|t2 {key: value}]->, <-[...]-, -[...]- and
 * bounded variable length -[:t*1..3]-> (upper bound required, at most
 * KG_MAX_MATCH_HOPS); WHERE with = <> < <= > >=, AND OR NOT, IN [...],
 * STARTS WITH, ENDS WITH, CONTAINS, IS [NOT] NULL and lower(); RETURN
 * with AS, DISTINCT, count(*) and count(x), ORDER BY [DESC], SKIP, LIMIT.
 * Other Cypher (OPTIONAL MATCH, WITH, CREATE, shortestPath, ...) is
 * refused with an error naming it.
 *
 * Semantics worth knowing. A relation is bound at most once per match
 * (Cypher's rule). A symmetric relation type connects both ways, so a
 * directed pattern matches it either way round. Dates compare as periods
 * (docs/match.md): "2024-05" is all of May 2024, so a day in May is equal
 * to it, >= it and <= it, and neither < nor > it. Without ORDER BY, rows
 * come in the order of the matched items in the files: by the entities
 * and relations bound, in the order the pattern names them.
 *
 * Evaluation. The planner starts each pattern at its most selective node
 * (an id or name given, then the fewest entities of its types), and
 * expands along the adjacency of bound entities (kg_graph_out and
 * kg_graph_in), never scanning all relations once a node is bound. WHERE
 * conditions are checked as soon as their variables are bound.
 */
#ifndef KGRAPH_MATCH_H
#define KGRAPH_MATCH_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The version of kg_match_options these headers describe. */
#define KG_MATCH_OPTIONS_VERSION 1

/** Options for kg_match. Start from KG_MATCH_OPTIONS_INIT and set the
 * fields you need, by name. */
typedef struct kg_match_options {
	/** KG_MATCH_OPTIONS_VERSION: which version of this struct the caller was
	 * built with, so that fields can be added without breaking programs
	 * built against older headers. Set by KG_MATCH_OPTIONS_INIT. */
	unsigned version;
	/** Only relations valid on this date (as kg_filter.as_of), for every
	 * relation matched, variable-length ones included; 0 = any. */
	kg_date as_of;
	/** Most steps before giving up; 0 = KG_MAX_MATCH_WORK (also the
	 * largest value honoured). */
	size_t max_work;
	/** The name diagnostics give the query text ("query" when NULL). */
	const char *name;
} kg_match_options;

#define KG_MATCH_OPTIONS_INIT {KG_MATCH_OPTIONS_VERSION, 0, 0, NULL}

typedef enum kg_match_kind {
	KG_MATCH_NULL = 0,     /**< a missing property */
	KG_MATCH_STRING = 1,   /**< text; a list property is joined with ", " */
	KG_MATCH_NUMBER = 2,   /**< a weight, a count */
	KG_MATCH_DATE = 3,     /**< a relation's date, since or until */
	KG_MATCH_ENTITY = 4,   /**< a node variable: index */
	KG_MATCH_RELATION = 5, /**< a relation variable: index */
	KG_MATCH_RELATIONS = 6 /**< a variable-length relation variable */
} kg_match_kind;

/** One cell of a result. Pointers are borrowed from the result (or the
 * graph) and live until kg_match_free. */
typedef struct kg_match_value {
	kg_match_kind kind;
	const char *string;        /**< KG_MATCH_STRING */
	double number;             /**< KG_MATCH_NUMBER */
	kg_date date;              /**< KG_MATCH_DATE */
	uint32_t index;            /**< KG_MATCH_ENTITY, KG_MATCH_RELATION */
	const uint32_t *relations; /**< KG_MATCH_RELATIONS, in path order */
	size_t nrelations;
} kg_match_value;

typedef struct kg_match_result kg_match_result;

/**
 * Answer a query on the graph.
 *
 * @param out   receives the result (possibly with no row); free it with
 *              kg_match_free. NULL on error.
 * @param query the query text, UTF-8
 * @param opts  options, or NULL for KG_MATCH_OPTIONS_INIT
 * @param diags receives the errors, located in the query (file opts->name,
 *              line, column, the query line, a did-you-mean for keywords,
 *              variables, types, relation types and properties); may be NULL
 * @return KG_OK; KG_EINVALID for a query with a mistake, unsupported
 *         Cypher, or one that took more than max_work steps; KG_EARG for
 *         NULL arguments or options of an unknown version; KG_ENOMEM.
 *
 * Time: parsing is linear in the query. Matching is proportional to the
 * steps taken: the candidates of the start node (1 with an id, the
 * entities of its types otherwise) times the relations followed from
 * each, bounded by max_work; then O(R log R) to order R bindings.
 */
KG_EXPORT int kg_match(kg_match_result **out, const kg_graph *g, const char *query, const kg_match_options *opts,
             kg_diag_list *diags);

/** Free a result. NULL is a no-op. */
KG_EXPORT void kg_match_free(kg_match_result *r);

/** Number of columns, and the i-th one's name: its AS alias, or the text
 * of its expression as written. Borrowed from the result. */
KG_EXPORT size_t kg_match_column_count(const kg_match_result *r);
KG_EXPORT const char *kg_match_column_name(const kg_match_result *r, size_t col);

/** Number of rows (after DISTINCT, counting, SKIP and LIMIT). */
KG_EXPORT size_t kg_match_row_count(const kg_match_result *r);

/** The cell at row, col (both in range). O(1). */
KG_EXPORT kg_match_value kg_match_get(const kg_match_result *r, size_t row, size_t col);

/** Number of bindings of the pattern that passed WHERE, before RETURN
 * made rows of them: 0 means nothing matched (a count(*) query still has
 * one row then). */
KG_EXPORT size_t kg_match_binding_count(const kg_match_result *r);

/**
 * The entities and relations bound by the bindings behind the rows
 * returned (after SKIP and LIMIT; every binding for a count), ascending
 * and without repeats, for drawing the answer (kg_render_options.entities
 * and .relations). Borrowed from the result. O(1).
 */
KG_EXPORT const uint32_t *kg_match_entities(const kg_match_result *r, size_t *count);
KG_EXPORT const uint32_t *kg_match_relations(const kg_match_result *r, size_t *count);

#ifdef __cplusplus
}
#endif

#endif
