/*
 * searchmap.h - what a search has seen, in a hash map keyed by entity
 * (private to src/query).
 *
 * The searches touch a few small balls of a large graph; arrays over all
 * entities would cost more to allocate and clear than the search itself.
 * Open addressing with linear probing, at most half full. The lookups
 * the inner loops make (seen_get, seen_add_fast) are inline here, as
 * they were when the searches lived in one file: docs/performance.md
 * measured what each call costs. Names without kg__ have internal
 * linkage.
 */
#ifndef KG_QUERY_SEARCHMAP_H
#define KG_QUERY_SEARCHMAP_H

#include "kgraph/common.h"
#include "kgraph/graph.h"

#include <stddef.h>
#include <stdint.h>

/* What a search knows of an entity. A hash map, not arrays over all
 * entities: the searches touch a few small balls, and allocating and
 * clearing V-sized arrays on every query would cost more than the search
 * itself. */
typedef struct seen {
	uint32_t key;       /* entity + 1; 0 = empty slot */
	int32_t ds, dt;     /* distance from the start / to the target, -1 = unknown */
	uint32_t via;       /* bidirectional search: on the start's side, the relation
	                       through which it was first reached; on the target's
	                       side, its smallest relation to an entity one nearer
	                       the target (no entity is on both sides); enumeration:
	                       its local number (local_of) */
} seen;

typedef struct seenmap {
	seen *slot;
	size_t nslot, n;
	unsigned shift; /* 32 - log2(nslot) */
} seenmap;

/* Fibonacci hashing: the top bits of a multiplication, so that entities
 * numbered close together spread over the table. */
static inline size_t seen_hash(const seenmap *m, uint32_t e)
{
	return (size_t)((e * 0x9E3779B1u) >> m->shift);
}

/* Initial sizes, in bits (2^bits slots of 16 bytes). Growing rehashes
 * every entry, so a search that usually sees a few thousand entities
 * should start big enough for them: clearing the slots costs less. */
#define SEEN_BITS_BIDIR_MIN 8  /* 4 KB */
#define SEEN_BITS_BIDIR_MAX 14 /* 256 KB */
#define SEEN_BITS_PATHS 12     /* the target's ball of an enumeration */
#define SEEN_BITS_NEIGHBORS 10 /* a neighbourhood, often a few dozen */

/* An empty map of 2^bits slots; 0 or KG_ENOMEM. */
int kg__seen_init(seenmap *m, unsigned bits);

/* Free the slots; the map may be initialised again. */
void kg__seen_free(seenmap *m);

/* The entry for e, or NULL. */
static inline seen *seen_get(const seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	return NULL;
}

/* The entry for e, added (nothing known) when missing; NULL when out of
 * memory. Adding may move every entry: pointers from earlier calls are
 * stale after it. */
seen *kg__seen_add(seenmap *m, uint32_t e);

/* Claim the free slot i for entity e, seen by neither side yet. */
static inline seen *seen_put(seenmap *m, size_t i, uint32_t e)
{
	seen *x = &m->slot[i];

	x->key = e + 1;
	x->ds = x->dt = -1;
	x->via = KG_NONE;
	m->n++;
	return x;
}

/* seen_add for the inner loops: the lookup, and an insert that needs no
 * growing, inline; the rest out of line. */
static inline seen *seen_add_fast(seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	if ((m->n + 1) * 2 > m->nslot)
		return kg__seen_add(m, e);
	return seen_put(m, i, e);
}

#endif
