/*
 * kgraph/graph.h - the in-memory knowledge graph: entities, relations,
 * their types, the sources they cite, and lookups.
 *
 * A kg_graph is built by the loader (kgraph/load.h) and is read-only
 * afterwards. Entities, relations, entity types, relation types and sources
 * are each numbered densely from 0 in the order they were first read (files
 * in load order, then position in the file); these uint32_t indexes are
 * how every function refers to them. KG_NONE means "none".
 *
 * Every string returned is borrowed from the graph and lives until
 * kg_graph_free. Functions taking an index do not check it: passing an
 * index >= the matching count is undefined, as with an array.
 *
 * Ownership: the graph owns everything in it; kg_graph_free releases all.
 *
 * Threads: every function here only reads the graph, and any number of
 * threads may call them on one graph at once (kgraph/common.h).
 */
#ifndef KGRAPH_GRAPH_H
#define KGRAPH_GRAPH_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KG_NONE UINT32_MAX

typedef struct kg_graph kg_graph;

/* ---- Dates --------------------------------------------------------- */

/**
 * A calendar date with year, month or day precision, packed so that
 * integer comparison orders dates: (year << 9) | (month << 5) | day, with
 * month and day 0 when not given. 0 means "no date".
 */
typedef uint32_t kg_date;

#define KG_DATE_YEAR(d) ((int)((d) >> 9))
#define KG_DATE_MONTH(d) ((int)(((d) >> 5) & 15))
#define KG_DATE_DAY(d) ((int)((d) & 31))

/**
 * Parse YYYY, YYYY-MM or YYYY-MM-DD (year 1..9999, a real month and day of
 * that month). Returns KG_OK or KG_EINVALID; *out is 0 on failure.
 */
KG_EXPORT int kg_date_parse(kg_date *out, const char *text, size_t len);

/**
 * The first day a date covers: 2024 -> 2024-01-01, 2024-05 -> 2024-05-01.
 * Compare validity bounds this way: since (inclusive) and until
 * (exclusive) both mean the start of the period they name.
 */
KG_EXPORT kg_date kg_date_first_day(kg_date date);

/** Write the date as it was written (YYYY, YYYY-MM or YYYY-MM-DD) into
 * buf, which must hold 11 bytes. Returns buf; "" for no date. */
KG_EXPORT char *kg_date_format(char buf[11], kg_date date);

/* ---- Attributes ---------------------------------------------------- */

/**
 * One attribute of an entity, relation, source or type. A list value is
 * stored as consecutive attributes with the same key, each with
 * in_list = true (a one-item list stays a list).
 */
typedef struct kg_attr {
	const char *key;
	const char *value;
	bool in_list;
} kg_attr;

/* ---- The graph ----------------------------------------------------- */

/** Free the graph and everything it owns. NULL is a no-op. */
KG_EXPORT void kg_graph_free(kg_graph *g);

/**
 * Why the graph was found damaged while it was read, or NULL when it was
 * not. Only a snapshot opened without checking it whole
 * (kg_snapshot_open) can be: what was not checked when it was opened is
 * checked as the accessors read it, and an accessor that finds a lie
 * answers something harmless (entity 0, an empty string, an empty list)
 * and sets this. Answers computed from a damaged graph are not to be
 * trusted: a caller reads this when it is done and reports an error.
 * Safe to call from any thread. O(1).
 */
KG_EXPORT const char *kg_graph_damage(const kg_graph *g);

/** The graph's title and description (first given in load order), or NULL. */
KG_EXPORT const char *kg_graph_title(const kg_graph *g);
KG_EXPORT const char *kg_graph_description(const kg_graph *g);

/** Number of files the graph was loaded from (given and included), and
 * the i-th file's name as given or as resolved from an include. */
KG_EXPORT size_t kg_graph_file_count(const kg_graph *g);
KG_EXPORT const char *kg_graph_file(const kg_graph *g, size_t i);

/** The identity of the i-th file as it was read: its device and inode
 * numbers (st_dev, st_ino), which tell whether another path names the
 * same file (kgraph refuses to write its output over one of the graph's
 * files). Either out-parameter may be NULL. Returns false, leaving them
 * untouched, when i is out of range or the text was not read from a file
 * (kg_load_string, or standard input from a pipe). O(1). */
KG_EXPORT bool kg_graph_file_id(const kg_graph *g, size_t i, uint64_t *dev, uint64_t *ino);

/* ---- Entity types -------------------------------------------------- */

/** Number of entity types: the 7 built-ins (person, country,
 * organization, weapon, decision, event, place; indexes 0-6) and those
 * declared under `types:`. */
KG_EXPORT size_t kg_graph_type_count(const kg_graph *g);
KG_EXPORT const char *kg_type_name(const kg_graph *g, uint32_t type);
/** The type's `label:`, or its name when it has none. */
KG_EXPORT const char *kg_type_label(const kg_graph *g, uint32_t type);
KG_EXPORT bool kg_type_is_builtin(const kg_graph *g, uint32_t type);
/** Style keys given under `types:` (e.g. shape, color), in file order. */
KG_EXPORT size_t kg_type_attr_count(const kg_graph *g, uint32_t type);
KG_EXPORT kg_attr kg_type_attr(const kg_graph *g, uint32_t type, size_t i);
/** The type named name, or KG_NONE. O(1) expected. */
KG_EXPORT uint32_t kg_graph_find_type(const kg_graph *g, const char *name);
/** Where the type was declared under `types:`; a built-in type that is
 * not declared has no location (file NULL, line 0). */
KG_EXPORT kg_location kg_type_location(const kg_graph *g, uint32_t type);

/* ---- Relation types ------------------------------------------------ */

/** Number of relation types: those declared under `relation_types:` and
 * those used by relations, in order of first appearance. */
KG_EXPORT size_t kg_graph_relation_type_count(const kg_graph *g);
KG_EXPORT const char *kg_relation_type_name(const kg_graph *g, uint32_t rtype);
/** The relation type's `label:`, or its name. */
KG_EXPORT const char *kg_relation_type_label(const kg_graph *g, uint32_t rtype);
/** True when declared `symmetric: true`: it connects both ways. */
KG_EXPORT bool kg_relation_type_is_symmetric(const kg_graph *g, uint32_t rtype);
KG_EXPORT bool kg_relation_type_is_declared(const kg_graph *g, uint32_t rtype);
/** Allowed entity types at the `from:` and `to:` end; a count of 0 means
 * any type is allowed. */
KG_EXPORT size_t kg_relation_type_from_count(const kg_graph *g, uint32_t rtype);
KG_EXPORT uint32_t kg_relation_type_from(const kg_graph *g, uint32_t rtype, size_t i);
KG_EXPORT size_t kg_relation_type_to_count(const kg_graph *g, uint32_t rtype);
KG_EXPORT uint32_t kg_relation_type_to(const kg_graph *g, uint32_t rtype, size_t i);
/** Style keys (e.g. style, color), in file order. */
KG_EXPORT size_t kg_relation_type_attr_count(const kg_graph *g, uint32_t rtype);
KG_EXPORT kg_attr kg_relation_type_attr(const kg_graph *g, uint32_t rtype, size_t i);
/** Number of relations of this type. */
KG_EXPORT size_t kg_relation_type_use_count(const kg_graph *g, uint32_t rtype);
/** The relation type named name, or KG_NONE. O(1) expected. */
KG_EXPORT uint32_t kg_graph_find_relation_type(const kg_graph *g, const char *name);
/** Where the relation type was declared, or first used. */
KG_EXPORT kg_location kg_relation_type_location(const kg_graph *g, uint32_t rtype);

/* ---- Sources ------------------------------------------------------- */

KG_EXPORT size_t kg_graph_source_count(const kg_graph *g);
KG_EXPORT const char *kg_source_id(const kg_graph *g, uint32_t source);
KG_EXPORT const char *kg_source_title(const kg_graph *g, uint32_t source);     /**< or NULL */
KG_EXPORT const char *kg_source_publisher(const kg_graph *g, uint32_t source); /**< or NULL */
KG_EXPORT const char *kg_source_url(const kg_graph *g, uint32_t source);       /**< or NULL */
/** The `file:` path resolved against the directory of the YAML file that
 * declared it, or NULL. */
KG_EXPORT const char *kg_source_file(const kg_graph *g, uint32_t source);
KG_EXPORT kg_date kg_source_date(const kg_graph *g, uint32_t source);
KG_EXPORT size_t kg_source_attr_count(const kg_graph *g, uint32_t source);
KG_EXPORT kg_attr kg_source_attr(const kg_graph *g, uint32_t source, size_t i);
KG_EXPORT kg_location kg_source_location(const kg_graph *g, uint32_t source);
/** Number of relations whose `source:` names this source. */
KG_EXPORT size_t kg_source_cite_count(const kg_graph *g, uint32_t source);
/** The source with this id, or KG_NONE. O(1) expected. */
KG_EXPORT uint32_t kg_graph_find_source(const kg_graph *g, const char *id);

/* ---- Entities ------------------------------------------------------ */

KG_EXPORT size_t kg_graph_entity_count(const kg_graph *g);
KG_EXPORT const char *kg_entity_id(const kg_graph *g, uint32_t entity);
/** The display name: `name:`, or the id when there is none. */
KG_EXPORT const char *kg_entity_name(const kg_graph *g, uint32_t entity);
KG_EXPORT uint32_t kg_entity_type(const kg_graph *g, uint32_t entity);
KG_EXPORT size_t kg_entity_alias_count(const kg_graph *g, uint32_t entity);
KG_EXPORT const char *kg_entity_alias(const kg_graph *g, uint32_t entity, size_t i);
KG_EXPORT size_t kg_entity_attr_count(const kg_graph *g, uint32_t entity);
KG_EXPORT kg_attr kg_entity_attr(const kg_graph *g, uint32_t entity, size_t i);
KG_EXPORT kg_location kg_entity_location(const kg_graph *g, uint32_t entity);

/**
 * Find an entity by its exact id. O(1) expected.
 * Returns the entity index, or KG_NONE.
 */
KG_EXPORT uint32_t kg_graph_find_entity(const kg_graph *g, const char *id);

/**
 * Find the entity a person means by text: its exact id first; otherwise
 * its id, name or an alias compared without regard to case, for all of
 * Unicode (full case folding and NFC normalisation, so "зеленський" finds
 * "Зеленський").
 *
 * @param out         the entity, when exactly one matches
 * @param candidates  when several match: their indexes, ascending,
 *                    borrowed from the graph; may be NULL
 * @param ncandidates number of candidates; may be NULL
 * @return KG_OK, KG_ENOTFOUND, KG_EAMBIGUOUS, or KG_ENOMEM (folding text)
 *
 * O(length of text + log of the number of names) expected.
 */
KG_EXPORT int kg_graph_resolve(uint32_t *out, const uint32_t **candidates, size_t *ncandidates,
                     const kg_graph *g, const char *text);

/**
 * The id of the entity whose id, name or alias is closest to text (by
 * edit distance, within a small distance), for a "did you mean" hint; or
 * NULL. O(number of entities and aliases).
 */
KG_EXPORT const char *kg_graph_suggest_entity(const kg_graph *g, const char *text);

/**
 * The name of the entity type (kg_graph_suggest_type) or relation type
 * (kg_graph_suggest_relation_type) closest to text by edit distance,
 * within the same small distance as kg_graph_suggest_entity, for a "did
 * you mean" hint; or NULL. Borrowed from the graph. O(number of types).
 */
KG_EXPORT const char *kg_graph_suggest_type(const kg_graph *g, const char *text);
KG_EXPORT const char *kg_graph_suggest_relation_type(const kg_graph *g, const char *text);

/* ---- Relations ----------------------------------------------------- */

KG_EXPORT size_t kg_graph_relation_count(const kg_graph *g);
KG_EXPORT uint32_t kg_relation_from(const kg_graph *g, uint32_t rel);
KG_EXPORT uint32_t kg_relation_to(const kg_graph *g, uint32_t rel);
KG_EXPORT uint32_t kg_relation_type(const kg_graph *g, uint32_t rel);
/** The relation's index in the whole graph it comes from: rel itself,
 * except in a part of a pushed graph fetched from a database
 * (kgraph/db.h), where it is the index the relation has in the graph
 * that was pushed. Relations have no ids; this names one the same way in
 * every part (a drawing's r-N ids). O(1). */
KG_EXPORT uint32_t kg_relation_ordinal(const kg_graph *g, uint32_t rel);
KG_EXPORT kg_date kg_relation_date(const kg_graph *g, uint32_t rel);
/** Start of validity (inclusive), or 0. */
KG_EXPORT kg_date kg_relation_since(const kg_graph *g, uint32_t rel);
/** End of validity (exclusive), or 0. */
KG_EXPORT kg_date kg_relation_until(const kg_graph *g, uint32_t rel);
/** The cited source, or KG_NONE. */
KG_EXPORT uint32_t kg_relation_source(const kg_graph *g, uint32_t rel);
/** The `quote:` text, or NULL. */
KG_EXPORT const char *kg_relation_quote(const kg_graph *g, uint32_t rel);
/** Store the `weight:` in *out and return true, or return false when the
 * relation has none. */
KG_EXPORT bool kg_relation_weight(const kg_graph *g, uint32_t rel, double *out);
KG_EXPORT size_t kg_relation_attr_count(const kg_graph *g, uint32_t rel);
KG_EXPORT kg_attr kg_relation_attr(const kg_graph *g, uint32_t rel, size_t i);
KG_EXPORT kg_location kg_relation_location(const kg_graph *g, uint32_t rel);

/* ---- Adjacency ----------------------------------------------------- */

/**
 * The relations leaving (kg_graph_out) or entering (kg_graph_in) an
 * entity, in file order, as an array of relation indexes borrowed from the
 * graph; *count receives its length. Symmetric relations appear once,
 * under their written direction. O(1).
 */
KG_EXPORT const uint32_t *kg_graph_out(const kg_graph *g, uint32_t entity, size_t *count);
KG_EXPORT const uint32_t *kg_graph_in(const kg_graph *g, uint32_t entity, size_t *count);

/** Bytes the graph holds (records, indexes and text), for statistics. */
KG_EXPORT size_t kg_graph_memory(const kg_graph *g);

#ifdef __cplusplus
}
#endif

#endif
