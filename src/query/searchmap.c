/*
 * searchmap.c - the out-of-line half of the search map (searchmap.h):
 * creating, freeing and growing it.
 *
 * Invariant: the map is at most half full (seen_add_fast and kg__seen_add
 * grow it before it would pass that), so probes stay short and an empty
 * slot always ends a probe.
 */
#include "query/searchmap.h"
#include "util/util.h"

int kg__seen_init(seenmap *m, unsigned bits)
{
	m->nslot = (size_t)1 << bits;
	m->shift = 32 - bits;
	m->n = 0;
	m->slot = kg__calloc(m->nslot, sizeof *m->slot);
	return m->slot ? KG_OK : KG_ENOMEM;
}

void kg__seen_free(seenmap *m)
{
	kg__free(m->slot);
	m->slot = NULL;
}

/* Double the table; 0 or KG_ENOMEM. Entry pointers do not survive it. */
static int seen_grow(seenmap *m)
{
	seenmap bigger;
	size_t j;

	bigger.nslot = m->nslot * 2;
	bigger.shift = m->shift - 1;
	bigger.n = m->n;
	bigger.slot = kg__calloc(bigger.nslot, sizeof *bigger.slot);
	if (!bigger.slot)
		return KG_ENOMEM;
	for (j = 0; j < m->nslot; j++) {
		size_t k;
		if (!m->slot[j].key)
			continue;
		for (k = seen_hash(&bigger, m->slot[j].key - 1); bigger.slot[k].key; k = (k + 1) & (bigger.nslot - 1))
			;
		bigger.slot[k] = m->slot[j];
	}
	kg__free(m->slot);
	*m = bigger;
	return KG_OK;
}

seen *kg__seen_add(seenmap *m, uint32_t e)
{
	size_t i, mask = m->nslot - 1;

	for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
		if (m->slot[i].key == e + 1)
			return &m->slot[i];
	/* At most half full, so that probes stay short. */
	if ((m->n + 1) * 2 > m->nslot) {
		if (seen_grow(m))
			return NULL;
		mask = m->nslot - 1;
		for (i = seen_hash(m, e); m->slot[i].key; i = (i + 1) & mask)
			;
	}
	return seen_put(m, i, e);
}
