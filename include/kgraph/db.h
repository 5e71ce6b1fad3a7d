/*
 * kgraph/db.h - graphs in PostgreSQL: push a loaded graph into the schema
 * of share/kgraph/kgraph.sql, and answer queries from the database without
 * reading the whole graph (docs/postgresql.md).
 *
 * Queries from the database work by fetching: each kg_db_fetch_* function
 * reads the part of a pushed graph that one question needs (a shortest
 * path's two search balls, a neighbourhood, one entity and its relations)
 * frontier by frontier, with one indexed query per level, and returns it
 * as an ordinary kg_graph. Records keep their relative order (the order
 * they were read in when pushed), names, locations and counts, so the
 * functions of kgraph/query.h asked the same question of that partial
 * graph give the same answer, ties included, as on the whole graph.
 *
 * Errors from the server are reported as diagnostics without the
 * connection string (which may hold a password). Return codes:
 * KG_EIO for a connection or server failure (nothing was changed),
 * KG_ENOTFOUND for a graph name the database does not hold, KG_EARG for
 * a bad argument, KG_ENOMEM.
 *
 * Available when kgraph was built with libpq (KGRAPH_POSTGRES); without
 * it every function returns KG_EIO with a diagnostic saying so.
 */
#ifndef KGRAPH_DB_H
#define KGRAPH_DB_H

#include "kgraph/diag.h"
#include "kgraph/graph.h"
#include "kgraph/query.h"
#include "kgraph/visibility.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kg_db kg_db;

/** True when this kgraph was built with PostgreSQL support. */
KG_EXPORT bool kg_db_available(void);

/**
 * Connect to a database. conninfo is a libpq connection string
 * ("postgresql://user@host/db" or "host=... dbname=..."); the PG*
 * environment variables fill in what it leaves out.
 * @return KG_OK with *out set (free it with kg_db_close), KG_EIO with a
 *         diagnostic, KG_ENOMEM.
 */
KG_EXPORT int kg_db_open(kg_db **out, const char *conninfo, kg_diag_list *diags);

/** Close the connection. NULL is a no-op. */
KG_EXPORT void kg_db_close(kg_db *db);

/** The schema script (share/kgraph/kgraph.sql), embedded at build time. */
KG_EXPORT const char *kg_db_schema_sql(void);

typedef struct kg_db_push_stats {
	size_t entities, relations;
	double seconds; /**< from the first statement to the commit */
} kg_db_push_stats;

/**
 * Store graph g under name, replacing a graph of that name atomically:
 * one transaction creates the schema if missing, deletes the old version
 * and streams every table with COPY. If anything fails the transaction is
 * rolled back and the previous version stays as it was.
 * @param stats may be NULL
 * @return KG_OK, KG_EIO (a server error; diagnostic), KG_EARG (an empty
 *         name), KG_ENOMEM. O(size of the graph).
 */
KG_EXPORT int kg_db_push(kg_db *db, const kg_graph *g, const char *name, kg_db_push_stats *stats,
                         kg_diag_list *diags);

/**
 * The frame of a pushed graph for resolving what a person typed: its
 * files, all entity and relation types, and the entities each of
 * names[0..nnames) may mean (same id, or same id, name or alias without
 * regard to case, as kg_graph_resolve compares), and nothing else. The
 * indexes of types and relation types in it are those of the pushed graph.
 * @return KG_OK with *out set (caller frees), KG_ENOTFOUND (no graph of
 *         that name; diagnostic), KG_EIO, KG_ENOMEM.
 */
KG_EXPORT int kg_db_fetch_names(kg_graph **out, kg_db *db, const char *graph, const char *const *names,
                                size_t nnames, kg_diag_list *diags);

/**
 * The part of a pushed graph that a shortest-path search from `from` to
 * `to` reads: a bidirectional breadth-first search run against the
 * database, one indexed query per frontier (plus one for the records of
 * the entities it reaches), expanding the smaller side first as
 * kg_query_paths does. On the result, kg_query_paths with
 * KG_PATHS_SHORTEST (no weight), the same filter and max_hops finds the
 * same path as on the whole graph.
 * @param frame   from kg_db_fetch_names: from, to and the filter's
 *                indexes (types, relation types, avoided entities) refer
 *                to it
 * @return KG_OK with *out set (caller frees), KG_ENOTFOUND, KG_EIO,
 *         KG_ENOMEM.
 * Time: O(relations of the entities the search expands), in
 * (path length + 1) round trips at most, times two.
 */
KG_EXPORT int kg_db_fetch_path(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                               uint32_t from, uint32_t to, const kg_filter *filter, unsigned max_hops,
                               kg_diag_list *diags);

/**
 * The part of a pushed graph that kg_query_paths with opts reads for
 * KG_PATHS_ALL_SHORTEST, KG_PATHS_K_SHORTEST and KG_PATHS_ALL (also
 * KG_PATHS_SHORTEST, though kg_db_fetch_path reads less): the ball
 * around `from`, grown one frontier per round trip (same filter rules as
 * kg_db_fetch_path) until the paths it holds provably are the answer on
 * the whole graph: every path of at most r relations lies inside a ball
 * of radius r, and every path that leaves it is longer than r. After
 * each level the query runs on the ball; it stops when the answer's
 * longest path that counts (the shortest, or the k-th) has at most r
 * relations, when r reaches max_hops, or when the ball stops growing.
 * On the result kg_query_paths with the same options gives the same
 * paths, in the same order (docs/postgresql.md says when a search that
 * gives up at KG_MAX_PATH_WORK may differ).
 *
 * With opts->weight (KG_PATHS_SHORTEST or KG_PATHS_ALL_SHORTEST; with
 * max_hops, which kg_query_paths refuses, only the frame) it reads instead what a bidirectional Dijkstra reaches: both
 * ends pop entities by weight, fetching the relations of every entity
 * queued at the popped weight in one query, until the two smallest
 * queued weights add up to more than the lightest path found; the result
 * holds every lightest path. With a weight and KG_PATHS_K_SHORTEST: the
 * ball around `from` grown by weight (Dijkstra from `from`, the same
 * batches) until the k-th lightest path on it weighs less than the
 * smallest weight still queued. First, one statement checks every
 * relation's weight in the database (as kg_query_paths does on a loaded
 * graph) and, when one is not valid, the result holds it, so the query
 * reports the same error.
 * @param opts  version KG_PATH_OPTIONS_VERSION, none of the time options,
 *              a weight not with KG_PATHS_ALL (KG_EARG); filter indexes refer to
 *              frame
 * @return as kg_db_fetch_path.
 * Time: one query per level, plus the query on the ball after each level;
 * with a weight, one query per distinct weight popped, plus a scan of the
 * graph's relations in the server for the weight check.
 */
KG_EXPORT int kg_db_fetch_paths(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                                uint32_t from, uint32_t to, const kg_path_options *opts, kg_diag_list *diags);

/**
 * The entities of a pushed graph that kg_query_search with text and opts
 * may find: those one of whose fields (id, name, aliases; with
 * opts->attributes, attribute values), folded at push as the search folds
 * them, contains every word of the folded text. One statement; no entity
 * is folded in the database. On the result, kg_query_search with the same
 * text and options gives the same hits in the same order.
 * @param opts  its types are the pushed graph's type indexes (those of a
 *              frame from kg_db_fetch_names); NULL = the defaults
 * @return as kg_db_fetch_path; a text with no letter or digit fetches no
 *         entity (kg_query_search then refuses it).
 * Time: a scan of the graph's entities in the server.
 */
KG_EXPORT int kg_db_fetch_search(kg_graph **out, kg_db *db, const char *graph, const char *text,
                                 const kg_search_options *opts, kg_diag_list *diags);

/**
 * The part of a pushed graph within opts->depth relations of `entity`
 * that kg_query_neighbors reads, level by level. On the result,
 * kg_query_neighbors with the same options gives the same answer.
 * Arguments and returns as kg_db_fetch_path.
 */
KG_EXPORT int kg_db_fetch_neighbors(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                                    uint32_t entity, const kg_neighbor_options *opts, kg_diag_list *diags);

/**
 * What `kgraph show` reads: entity (an index into frame, from
 * kg_db_fetch_names), every relation leaving or entering it, and the
 * entities at their other ends, in one round trip (plus one for those
 * entities). On the result the entity's relations are those of the whole
 * graph, in the same order.
 * @return as kg_db_fetch_path. Time: O(degree of the entity).
 */
KG_EXPORT int kg_db_fetch_entity(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                                 uint32_t entity, kg_diag_list *diags);

/**
 * What `kgraph list` reads. With relations false: every entity whose type
 * is one of types[0..ntypes) (every entity when ntypes is 0). With
 * relations true: every relation the filter's relation types,
 * excluded relation types and as_of admit, and the entities at their
 * ends (the filter's other fields are ignored). Types are indexes in a
 * frame from kg_db_fetch_names, which are the pushed graph's. Each is one
 * statement (plus one for the ends of the relations); the result keeps
 * the pushed order.
 * @return as kg_db_fetch_path. Time: O(rows listed).
 */
KG_EXPORT int kg_db_fetch_list(kg_graph **out, kg_db *db, const char *graph, bool relations,
                               const uint32_t *types, size_t ntypes, const kg_filter *filter, kg_diag_list *diags);

/**
 * What kg_render (kgraph/render.h) draws of a pushed graph with a focus,
 * paths, or both, so that kg_render on the result, with the same
 * options, draws what it draws on the whole graph:
 * - with ends (ends[0] to ends[1]): what kg_db_fetch_path (one shortest
 *   path without a weight) or kg_db_fetch_paths reads with paths, so
 *   kg_query_paths finds the same paths on the result;
 * - with nfocus > 0: the neighbourhood of each focus entity as
 *   kg_db_fetch_neighbors reads it with around (all of them one level
 *   per statement), then every relation around->filter admits (relation
 *   types, excluded types, as_of) between two of the entities reached
 *   or on the paths found (one statement): a drawing shows every such
 *   relation between two entities it draws.
 * Every entity of the frame is in the result too. A render that draws
 * the whole graph needs the whole graph: this function reads no more
 * than the above.
 * @param focus   entity indexes of frame (kg_db_fetch_names), as
 *                kg_render_options.focus
 * @param around  depth, direction and filter of the neighbourhoods, as
 *                kg_render uses them (its filter with through_types set
 *                to the drawn types when it has none); NULL = defaults
 * @param ends    NULL, or the two ends of the paths (frame indexes)
 * @param paths   with ends: as for kg_db_fetch_paths
 * @return as kg_db_fetch_path. Time: one statement per level of each
 *         search, plus one for the relations between the entities drawn.
 */
KG_EXPORT int kg_db_fetch_drawing(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame,
                                  const uint32_t *focus, size_t nfocus, const kg_neighbor_options *around,
                                  const uint32_t *ends, const kg_path_options *paths, kg_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
