/*
 * kgraph/query.h - questions to a loaded graph: how does X connect to Y
 * (paths), who is near Z (neighbourhoods), who is called W (search), and
 * what the network as a whole looks like (stats).
 *
 * Queries use only the core interface of kgraph/graph.h and never change
 * the graph. Results are structures owned by the caller, freed with their
 * _free function; what they point into (relation and entity indexes) is
 * the graph's numbering.
 *
 * Directions. A relation is written from -> to. By default a query follows
 * relations both ways (who connects to whom); each step of a result says
 * whether it followed its relation as written (forward) or against it.
 * With `directed`, a query follows relations only as written, except that
 * a relation of a symmetric type (kg_relation_type_is_symmetric) is
 * followed both ways.
 *
 * Determinism. When several answers are equally good, the one whose
 * sequence of relation indexes is smallest (compared step by step; the
 * relation read first in the files is the smallest) comes first. The same
 * graph and question always give the same answer.
 *
 * Self-relations (from == to) never appear in a path: a path visits each
 * entity at most once.
 *
 * Threads: queries only read the graph; any number of threads may query
 * one graph at once, each with its own results (kgraph/common.h).
 */
#ifndef KGRAPH_QUERY_H
#define KGRAPH_QUERY_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- which relations and entities a query may use ------------------ */

/**
 * Restrictions shared by every query. Arrays are borrowed for the call;
 * a NULL array (or a count of 0) means "no restriction".
 */
typedef struct kg_filter {
	/** Follow relations only as written (symmetric types both ways). */
	bool directed;
	/** Only relations of these relation types. */
	const uint32_t *rel_types;
	size_t nrel_types;
	/** Never relations of these relation types. */
	const uint32_t *exclude_rel_types;
	size_t nexclude_rel_types;
	/** Entities inside a path (not its two ends), and entities a
	 * neighbourhood passes through, must have one of these types. */
	const uint32_t *through_types;
	size_t nthrough_types;
	/** Entities a path or a neighbourhood must not pass through. */
	const uint32_t *avoid;
	size_t navoid;
	/** Only relations valid on this date: since <= as_of < until, each
	 * bound optional, and no relation whose date (an event) is after
	 * as_of, comparing the first day each date names
	 * (kg_date_first_day). Relations without date, since or until are
	 * always valid. 0 = no date restriction. */
	kg_date as_of;
} kg_filter;

#define KG_FILTER_INIT {false, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0}

/* ---- paths --------------------------------------------------------- */

/** One step of a path: the relation followed, and whether it was followed
 * as written (from -> to) or against it. */
typedef struct kg_step {
	uint32_t relation;
	bool forward;
} kg_step;

/** A path: its steps, borrowed from the kg_paths that holds it. */
typedef struct kg_path {
	uint32_t from;        /**< first entity */
	uint32_t to;          /**< last entity */
	size_t nsteps;        /**< relations on the path (0 when from == to) */
	const kg_step *steps;
	double weight;        /**< total weight (kg_path_options.weight), or nsteps */
} kg_path;

/** The entity a path reaches after step i (i < nsteps). O(1). */
KG_EXPORT uint32_t kg_path_entity_after(const kg_graph *g, const kg_path *path, size_t i);

typedef enum kg_path_mode {
	KG_PATHS_SHORTEST = 0,     /**< one shortest (or lightest) path */
	KG_PATHS_ALL_SHORTEST = 1, /**< every shortest path */
	KG_PATHS_K_SHORTEST = 2,   /**< the k shortest loopless paths (Yen), shortest first */
	KG_PATHS_ALL = 3           /**< every simple path of at most max_hops relations */
} kg_path_mode;

/** The version of kg_path_options these headers describe: 2 added
 * on_path, 3 the time options. A caller built with an older version still
 * works (without them). */
#define KG_PATH_OPTIONS_VERSION 3

/**
 * A function kg_query_paths hands each path to as soon as it is final, in
 * result order (see kg_path_options.on_path). The path and its steps are
 * borrowed for the call. Return 0 to go on; anything else stops the
 * search, and kg_query_paths returns that value.
 */
typedef int (*kg_path_fn)(const kg_path *path, void *data);

/** Options for kg_query_paths. Start from KG_PATH_OPTIONS_INIT and set
 * the fields you need, by name. */
typedef struct kg_path_options {
	/** KG_PATH_OPTIONS_VERSION: which version of this struct the caller was
	 * built with, so that fields can be added without breaking programs
	 * built against older headers. Set by KG_PATH_OPTIONS_INIT. */
	unsigned version;
	kg_filter filter;
	kg_path_mode mode;
	/** For KG_PATHS_K_SHORTEST: how many paths (1 to KG_MAX_PATH_K). */
	size_t k;
	/** Longest path, in relations; 0 = no bound, except for KG_PATHS_ALL,
	 * which requires one (at most KG_MAX_PATH_HOPS). Not with `weight`:
	 * the lightest path within a number of hops is a different problem. */
	unsigned max_hops;
	/** Most paths returned; 0 = KG_DEFAULT_PATH_LIMIT. When there would be
	 * more, the first `limit` in result order are returned and
	 * kg_paths_truncated() is true. */
	size_t limit;
	/** Weigh each relation by this attribute and find the lightest paths
	 * (Dijkstra; not for KG_PATHS_ALL). "weight" means the weight: key; any
	 * other name an attribute whose value must be a number >= 0. A relation
	 * without it weighs 1. NULL = count relations. */
	const char *weight;
	/** (Version 2.) When set, every path is handed to on_path (with
	 * on_path_data) as soon as it is final, in result order, and is not
	 * kept: the result then holds no paths (kg_paths_count is 0), only
	 * whether the answer was cut short, and a search of a million paths
	 * needs memory for one. NULL = keep the paths in the result. */
	kg_path_fn on_path;
	void *on_path_data;

	/* ---- version 3: time (docs/time.md) ---- */
	/** Only paths that respect time: each relation happens no earlier than
	 * the one before it. A relation's time is its date (the whole period
	 * it names), else the interval since (inclusive) to until (exclusive);
	 * a relation with none of them is timeless and fits anywhere. A path
	 * fits when its steps can be given days t1 <= t2 <= ..., each within
	 * its relation's time. Any mode but with a weight; the longest path is
	 * max_hops, or KG_MAX_PATH_HOPS when it is 0. Setting timed_only or
	 * from_date implies it. */
	bool time_respecting;
	/** Leave out timeless relations (those with no date, since or until). */
	bool timed_only;
	/** The first step happens no earlier than this date (its first day);
	 * 0 = any time. */
	kg_date from_date;
	/** The earliest-arrival path: the time-respecting path that can reach
	 * `to` on the earliest day (one-pass sweep over the relations in time
	 * order). KG_PATHS_SHORTEST only, without weight or max_hops; implies
	 * time_respecting. */
	bool earliest;
} kg_path_options;

#define KG_DEFAULT_PATH_LIMIT 1000
#define KG_PATH_OPTIONS_INIT \
	{KG_PATH_OPTIONS_VERSION, KG_FILTER_INIT, KG_PATHS_SHORTEST, 1, 0, 0, NULL, NULL, NULL, false, false, 0, false}

typedef struct kg_paths kg_paths;

/**
 * Find paths from entity `from` to entity `to`.
 *
 * Results are ordered by length (or weight), then by relation indexes as
 * described at the top of this file. KG_PATHS_SHORTEST without a weight
 * searches from both ends at once, so it explores only as far as the
 * answer needs.
 *
 * @param out   receives the result (possibly with no path); free it with
 *              kg_paths_free. NULL on error.
 * @param diags receives the reason for KG_EINVALID (e.g. the relation
 *              whose weight is not a number); may be NULL.
 * @return KG_OK (also when there is no path: check kg_paths_count),
 *         KG_EINVALID (a weight that is not a number >= 0), KG_EARG (an
 *         option out of range: KG_PATHS_ALL without max_hops or with a
 *         weight, weight with max_hops, k of 0, a limit or max_hops over
 *         the caps of kgraph/limits.h, an entity index out of range, an
 *         opts->version this library does not know; time with a weight,
 *         earliest with another mode or max_hops),
 *         KG_ENOMEM, or what on_path returned to stop the search.
 *
 * Time, for V entities and E relations the filter admits:
 * - SHORTEST: O(V + E), usually far less (bidirectional search);
 *   with a weight O((V + E) log V).
 * - ALL_SHORTEST: O(V + E) plus the size of the paths returned.
 * - K_SHORTEST: O(k * L * (V + E)) for paths of up to L relations
 *   (with a weight, log V more), at worst; each spur search stops at
 *   the weight of the k-th best candidate, so usually far less. Stops
 *   after KG_MAX_PATH_WORK entities expanded (kg_paths_gave_up).
 * - ALL: O(paths returned * max_hops * degree) after a search of the
 *   entities within max_hops / 2 of `to` (O(V + E) at worst) that prunes
 *   branches which cannot reach `to` in time.
 * - time_respecting (any mode): O(H * (V + E)) for a table of, per
 *   entity and number of relations left h <= H, the latest day from
 *   which `to` can still be reached in time, then a depth-first walk that
 *   only takes steps the table allows: O(L * degree) per shortest path of
 *   L relations; other lengths may meet dead ends, bounded by
 *   KG_MAX_PATH_WORK. H is the answer's length (SHORTEST, ALL_SHORTEST) or
 *   max_hops (KG_MAX_PATH_HOPS by default).
 * - earliest: O(E log E + V) (the relations sorted by their start).
 */
KG_EXPORT int kg_query_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to,
                   const kg_path_options *opts, kg_diag_list *diags);

/** Number of paths found. */
KG_EXPORT size_t kg_paths_count(const kg_paths *paths);
/** The i-th path (i < kg_paths_count), borrowed from paths. */
KG_EXPORT kg_path kg_paths_get(const kg_paths *paths, size_t i);
/** True when the limit cut the answer short, or the search gave up
 * (kg_paths_gave_up). */
KG_EXPORT bool kg_paths_truncated(const kg_paths *paths);
/** True when a search that can be long (KG_PATHS_ALL, ALL_SHORTEST,
 * K_SHORTEST) stopped after KG_MAX_PATH_WORK units of work (branches
 * explored; for K_SHORTEST, entities its spur searches expanded): the
 * paths returned are right but there may be more. */
KG_EXPORT bool kg_paths_gave_up(const kg_paths *paths);
/** Free the result. NULL is a no-op. */
KG_EXPORT void kg_paths_free(kg_paths *paths);

/**
 * Whether a path respects time as kg_path_options.time_respecting says,
 * starting no earlier than from_date (0 = any time), timeless relations
 * not allowed when timed_only. When it does and arrival is not NULL,
 * *arrival is when it can reach its end at the earliest, as written: the
 * date, since or from_date that set it, whose first day it is (0 when no
 * step is dated and there is no from_date). O(path length).
 */
KG_EXPORT bool kg_path_time_respecting(const kg_graph *g, const kg_path *path, kg_date from_date, bool timed_only,
                                       kg_date *arrival);

/* ---- neighbourhoods ------------------------------------------------- */

typedef enum kg_direction {
	KG_DIRECTION_BOTH = 0, /**< relations either way */
	KG_DIRECTION_OUT = 1,  /**< relations as written, from the entity outwards */
	KG_DIRECTION_IN = 2    /**< relations as written, towards the entity */
} kg_direction;

/** The version of kg_neighbor_options these headers describe. */
#define KG_NEIGHBOR_OPTIONS_VERSION 1

/** Options for kg_query_neighbors. Start from KG_NEIGHBOR_OPTIONS_INIT. */
typedef struct kg_neighbor_options {
	/** KG_NEIGHBOR_OPTIONS_VERSION: which version of this struct the caller was
	 * built with, so that fields can be added without breaking programs
	 * built against older headers. Set by KG_NEIGHBOR_OPTIONS_INIT. */
	unsigned version;
	kg_filter filter; /**< filter.directed is ignored: direction decides */
	unsigned depth;   /**< relations away, at most; 0 = 1 */
	kg_direction direction;
} kg_neighbor_options;

#define KG_NEIGHBOR_OPTIONS_INIT {KG_NEIGHBOR_OPTIONS_VERSION, KG_FILTER_INIT, 1, KG_DIRECTION_BOTH}

/** An entity near the start: how far, and the relation (and direction)
 * through which it was first reached. */
typedef struct kg_neighbor {
	uint32_t entity;
	unsigned distance; /**< >= 1 */
	uint32_t via;      /**< the relation */
	bool forward;      /**< via was followed as written */
	uint32_t parent;   /**< the entity it was reached from */
} kg_neighbor;

typedef struct kg_neighbors kg_neighbors;

/**
 * The entities within opts->depth relations of `entity` (not counting
 * itself), nearest first; at equal distance in the order they were first
 * reached, exploring relations in file order. A symmetric relation type
 * counts as both directions for KG_DIRECTION_OUT and _IN.
 *
 * @return KG_OK, KG_EARG (entity or depth out of range, or an
 *         opts->version this library does not know), KG_ENOMEM.
 * O(V + E) at worst, and only the part of the graph within depth.
 */
KG_EXPORT int kg_query_neighbors(kg_neighbors **out, const kg_graph *g, uint32_t entity,
                       const kg_neighbor_options *opts);

KG_EXPORT size_t kg_neighbors_count(const kg_neighbors *n);
/** The i-th neighbour, borrowed. */
KG_EXPORT const kg_neighbor *kg_neighbors_get(const kg_neighbors *n, size_t i);
KG_EXPORT void kg_neighbors_free(kg_neighbors *n);

/* ---- single relations ---------------------------------------------- */

/**
 * Whether the filter admits relation rel (its type, its dates); the
 * entity restrictions (through_types, avoid) are not considered. O(number
 * of types listed in the filter).
 */
KG_EXPORT bool kg_filter_admits(const kg_graph *g, const kg_filter *filter, uint32_t rel);

/**
 * The value of a relation's weight attribute as a number: "weight" means
 * the weight: key; another name an attribute. A relation without it
 * weighs 1. Returns KG_OK, or KG_EINVALID when the value is not a finite
 * number >= 0. O(attributes of the relation).
 */
KG_EXPORT int kg_relation_weight_by(double *out, const kg_graph *g, uint32_t rel, const char *attr);

/* ---- finding entities by what a person types ------------------------ */

/** How well a search text matches, best first. Text and fields are
 * compared folded: case, accents and compatibility forms ignored
 * ("munchen" matches "München", "istanbul" "İstanbul"). */
typedef enum kg_search_rank {
	KG_SEARCH_EXACT = 0,    /**< the whole id, name, alias or value */
	KG_SEARCH_PREFIX = 1,   /**< its beginning */
	KG_SEARCH_WORD = 2,     /**< the beginning of one of its words; for text of
	                             several words, each begins one of its words */
	KG_SEARCH_SUBSTRING = 3 /**< anywhere else */
} kg_search_rank;

/** Where an entity matched. */
typedef enum kg_search_field {
	KG_SEARCH_ID = 0,
	KG_SEARCH_NAME = 1,
	KG_SEARCH_ALIAS = 2,
	KG_SEARCH_ATTRIBUTE = 3
} kg_search_field;

/** An entity found: its best match (best rank; at equal rank the first
 * field in kg_search_field's order). */
typedef struct kg_search_hit {
	uint32_t entity;
	kg_search_rank rank;
	kg_search_field field;
	const char *matched; /**< the id, name, alias or value, borrowed from the graph */
	const char *key;     /**< the attribute's key, or NULL */
} kg_search_hit;

/** The version of kg_search_options these headers describe. */
#define KG_SEARCH_OPTIONS_VERSION 1

/** Options for kg_query_search. Start from KG_SEARCH_OPTIONS_INIT. */
typedef struct kg_search_options {
	/** KG_SEARCH_OPTIONS_VERSION, set by KG_SEARCH_OPTIONS_INIT. */
	unsigned version;
	/** Also look in the entities' attribute values. */
	bool attributes;
	/** Only entities of these types (borrowed for the call); NULL = any. */
	const uint32_t *types;
	size_t ntypes;
} kg_search_options;

#define KG_SEARCH_OPTIONS_INIT {KG_SEARCH_OPTIONS_VERSION, false, NULL, 0}

typedef struct kg_search kg_search;

/**
 * The entities whose id, name, aliases (or, with opts->attributes,
 * attribute values) contain text: best rank first, then by field, then
 * in file order. Words are runs of letters and digits; the text's own
 * punctuation at its ends is ignored.
 *
 * @return KG_OK (possibly with no hits), KG_EARG (no letter or digit in
 *         text, or an opts->version this library does not know), KG_ENOMEM.
 * O(total length of the fields searched x length of text).
 */
KG_EXPORT int kg_query_search(kg_search **out, const kg_graph *g, const char *text, const kg_search_options *opts);
KG_EXPORT size_t kg_search_count(const kg_search *s);
/** The i-th hit, borrowed from s. */
KG_EXPORT const kg_search_hit *kg_search_get(const kg_search *s, size_t i);
KG_EXPORT void kg_search_free(kg_search *s);

/* ---- measures of the whole network ---------------------------------- */

/** An entity and a measure of it. */
typedef struct kg_stats_entry {
	uint32_t entity;
	double value;
} kg_stats_entry;

/**
 * What kg_query_stats measured. Read-only; every pointer is owned by the
 * result and freed with it (kg_stats_free). Degrees, components,
 * betweenness and diameter are those of the undirected simple graph
 * over the kept entities: one edge between two entities however many
 * admitted relations join them, none for a self-relation.
 */
typedef struct kg_stats {
	size_t entities;                 /**< kept by the type filter */
	size_t relations;                /**< admitted, between kept entities */
	const size_t *entities_by_type;  /**< indexed by entity type */
	const size_t *relations_by_type; /**< indexed by relation type */
	size_t ncomponents;
	const size_t *component_sizes;   /**< largest first */
	size_t isolated;                 /**< entities of degree 0 */
	size_t max_degree;
	const size_t *degree_count;      /**< [d]: entities of degree d, 0..max_degree */
	size_t ntop;                     /**< entries in each top list */
	const kg_stats_entry *top_degree;      /**< highest first; ties in file order */
	const kg_stats_entry *top_betweenness; /**< normalised as NetworkX does */
	bool betweenness_exact;          /**< false: estimated from sampled sources */
	size_t betweenness_sources;      /**< sources the estimate used (all when exact) */
	uint64_t seed;                   /**< the seed the sources were drawn with */
	size_t diameter_low, diameter_high; /**< of the largest component */
	bool diameter_exact;             /**< low == high */
} kg_stats;

/** The version of kg_stats_options these headers describe. */
#define KG_STATS_OPTIONS_VERSION 1

/** Options for kg_query_stats. Start from KG_STATS_OPTIONS_INIT. */
typedef struct kg_stats_options {
	/** KG_STATS_OPTIONS_VERSION, set by KG_STATS_OPTIONS_INIT. */
	unsigned version;
	/** Which relations count (directed, through_types and avoid are
	 * ignored: the measures are of the undirected graph). */
	kg_filter filter;
	/** Only entities of these types (borrowed for the call); NULL = all. */
	const uint32_t *types;
	size_t ntypes;
	/** Entries in the top lists (default 10). */
	size_t top;
	/** Seed of the sampled betweenness: the same seed, the same numbers. */
	uint64_t seed;
} kg_stats_options;

#define KG_STATS_OPTIONS_INIT {KG_STATS_OPTIONS_VERSION, KG_FILTER_INIT, NULL, 0, 10, 1}

/**
 * Measure the network: counts by type, connected components, degrees,
 * betweenness centrality (Brandes), the diameter of the largest
 * component. Exact while entities x (entities + edges) is at most
 * KG_MAX_STATS_EXACT_WORK; above it betweenness is estimated from
 * sources drawn with opts->seed, as many as that work allows (at least
 * KG_STATS_MIN_SAMPLES) and the diameter is
 * bounded by KG_STATS_DIAMETER_SWEEPS BFS sweeps; the result says which.
 *
 * @return KG_OK, KG_EARG (an opts->version this library does not know),
 *         KG_ENOMEM.
 * O(V x (V + E)) exact, O(KG_MAX_STATS_EXACT_WORK + KG_STATS_MIN_SAMPLES x (V + E))
 * above the bound.
 */
KG_EXPORT int kg_query_stats(kg_stats **out, const kg_graph *g, const kg_stats_options *opts);
KG_EXPORT void kg_stats_free(kg_stats *s);

#ifdef __cplusplus
}
#endif

#endif
