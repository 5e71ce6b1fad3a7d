/*
 * strtab.c - string interning with open addressing and linear probing.
 * The table is kept at most 70% full. A slot holds enough of its string
 * (16 hash bits, the length, the first 8 bytes) that a probe touches the
 * entry and the bytes only to confirm a likely match of a long string.
 */
#include "strtab.h"
#include "util.h"

#include <string.h>

int kg__strtab_init(kg__strtab *t, kg__arena *arena)
{
	memset(t, 0, sizeof *t);
	t->arena = arena;
	t->nslot = 64;
	t->slot = kg__calloc(t->nslot, sizeof *t->slot);
	t->cap = 64;
	t->ent = kg__malloc(t->cap * sizeof *t->ent);
	if (!t->slot || !t->ent) {
		kg__strtab_free(t);
		return -1;
	}
	t->ent[0].p = "";
	t->ent[0].len = 0;
	t->n = 1;
	return 0;
}

void kg__strtab_free(kg__strtab *t)
{
	kg__free(t->slot);
	kg__free(t->ent);
	memset(t, 0, sizeof *t);
}

static uint64_t head_of(const char *s, size_t len)
{
	uint64_t h = 0;

	memcpy(&h, s, len < 8 ? len : 8);
	return h;
}

static uint16_t len16(size_t len)
{
	return (uint16_t)(len < 65535 ? len : 65535);
}

static size_t probe(const kg__strtab *t, const char *s, size_t len, uint64_t h)
{
	size_t mask = t->nslot - 1, i = (size_t)h & mask;
	uint16_t h16 = (uint16_t)(h >> 48), l16 = len16(len);
	uint64_t head = head_of(s, len);

	for (;; i = (i + 1) & mask) {
		const kg__strslot *sl = &t->slot[i];
		if (!sl->id)
			return i;
		if (sl->hash == h16 && sl->len == l16 && sl->head == head &&
		    (len <= 8 || (t->ent[sl->id].len == len && memcmp(t->ent[sl->id].p, s, len) == 0)))
			return i;
	}
}

/* Keep the table at most 70% full. */
static int too_full(size_t n, size_t nslot)
{
	return n * 10 > nslot * 7;
}

static int rehash(kg__strtab *t)
{
	size_t nslot = t->nslot * 2, i;
	kg__strslot *slot = kg__calloc(nslot, sizeof *slot);

	if (!slot)
		return -1;
	for (i = 0; i < t->nslot; i++) {
		const kg__strslot *sl = &t->slot[i];
		size_t j;
		if (!sl->id)
			continue;
		j = (size_t)kg__hash(t->ent[sl->id].p, t->ent[sl->id].len) & (nslot - 1);
		while (slot[j].id)
			j = (j + 1) & (nslot - 1);
		slot[j] = *sl;
	}
	kg__free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len)
{
	uint64_t h = kg__hash(s, len);
	return t->slot[probe(t, s, len, h)].id;
}

uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len)
{
	uint64_t h = kg__hash(s, len);
	size_t i = probe(t, s, len, h);
	char *copy;

	if (t->slot[i].id)
		return t->slot[i].id;
	if (len > UINT32_MAX || t->n >= UINT32_MAX - 1)
		return 0;
	if (too_full(t->n + 1, t->nslot)) {
		if (rehash(t))
			return 0;
		i = probe(t, s, len, h);
	}
	if (t->n == t->cap && kg__grow((void **)&t->ent, &t->cap, t->n + 1, sizeof *t->ent))
		return 0;
	copy = kg__arena_strndup(t->arena, s, len);
	if (!copy)
		return 0;
	t->ent[t->n].p = copy;
	t->ent[t->n].len = (uint32_t)len;
	t->slot[i].id = (uint32_t)t->n;
	t->slot[i].hash = (uint16_t)(h >> 48);
	t->slot[i].len = len16(len);
	t->slot[i].head = head_of(s, len);
	return (uint32_t)t->n++;
}
