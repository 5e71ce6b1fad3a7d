/*
 * kgraph/diff.h - what changed between two versions of a graph.
 *
 * Items are matched across the two graphs: entities and sources by id,
 * relations by (from, type, to), the two ends in either order for a
 * symmetric type. A key that several relations share (repeated
 * relations) is paired in two passes: first each old relation with the
 * first new one of its key identical to it in every field, then the rest
 * in file order; what is left over on one side is added or removed. So
 * removing one of two repeated relations shows as that one removed.
 *
 * What is compared: an entity's type, name, aliases (as a list, in
 * order) and attributes; a relation's date, since, until, source, quote,
 * weight and attributes; a source's title, publisher, url, date and
 * attributes (not file:, which each side resolves against its own
 * folder). A list attribute compares as the whole list. Relation types,
 * entity types and the graph's title are not compared.
 *
 * Uses only kgraph/graph.h; the two graphs are only read.
 */
#ifndef KGRAPH_DIFF_H
#define KGRAPH_DIFF_H

#include "kgraph/visibility.h"

#include "kgraph/graph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kg_diff_item {
	KG_DIFF_ENTITY = 0,
	KG_DIFF_RELATION = 1,
	KG_DIFF_SOURCE = 2
} kg_diff_item;

typedef enum kg_diff_kind {
	KG_DIFF_REMOVED = 0,
	KG_DIFF_ADDED = 1,
	KG_DIFF_CHANGED = 2
} kg_diff_kind;

/** One field that differs, with its value on each side as text (dates as
 * written, a list as "[a, b]", a weight as a number), NULL where absent. */
typedef struct kg_diff_field {
	const char *name;      /**< "name", "aliases", "date", ... or the attribute's key */
	bool attribute;        /**< an attribute, not one of the fields above */
	const char *old_value;
	const char *new_value;
} kg_diff_field;

/** One item removed, added or changed. */
typedef struct kg_diff_change {
	kg_diff_item item;
	kg_diff_kind kind;
	uint32_t old_index; /**< in the old graph, or KG_NONE when added */
	uint32_t new_index; /**< in the new graph, or KG_NONE when removed */
	size_t nfields;     /**< KG_DIFF_CHANGED: the fields that differ (>= 1) */
	const kg_diff_field *fields;
} kg_diff_change;

typedef struct kg_diff kg_diff;

/**
 * Compare two graphs. Changes come entities first, then relations, then
 * sources; within each, the removed and changed ones in the old graph's
 * order, then the added ones in the new graph's order.
 *
 * @param out receives the result, to free with kg_diff_free; it owns its
 *            text and does not point into either graph, which may be
 *            freed first. NULL on error.
 * @return KG_OK, KG_EARG (a NULL argument), KG_ENOMEM.
 * O((V + E + S) log(V + E + S)) for V entities, E relations and S
 * sources on both sides, plus the size of their fields.
 */
KG_EXPORT int kg_diff_graphs(kg_diff **out, const kg_graph *old_graph, const kg_graph *new_graph);

/** Number of changes; 0 when the graphs are equal as compared. */
KG_EXPORT size_t kg_diff_count(const kg_diff *d);
/** The i-th change (i < kg_diff_count), borrowed from d. */
KG_EXPORT kg_diff_change kg_diff_get(const kg_diff *d, size_t i);
/** Free the result. NULL is a no-op. */
KG_EXPORT void kg_diff_free(kg_diff *d);

#ifdef __cplusplus
}
#endif

#endif
