/*
 * strtab.c - string interning with open addressing and linear probing.
 * The table is kept at most half full; each slot caches 32 bits of the
 * hash so that a probe rarely touches the string itself.
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
	t->slot_hash = kg__calloc(t->nslot, sizeof *t->slot_hash);
	t->cap = 64;
	t->str = kg__malloc(t->cap * sizeof *t->str);
	t->len = kg__malloc(t->cap * sizeof *t->len);
	if (!t->slot || !t->slot_hash || !t->str || !t->len) {
		kg__strtab_free(t);
		return -1;
	}
	t->str[0] = "";
	t->len[0] = 0;
	t->n = 1;
	return 0;
}

void kg__strtab_free(kg__strtab *t)
{
	kg__free(t->slot);
	kg__free(t->slot_hash);
	kg__free(t->str);
	kg__free(t->len);
	memset(t, 0, sizeof *t);
}

static size_t probe(const kg__strtab *t, const char *s, size_t len, uint64_t h)
{
	size_t mask = t->nslot - 1, i = (size_t)h & mask;
	uint32_t h32 = (uint32_t)(h >> 32);

	for (;; i = (i + 1) & mask) {
		uint32_t id = t->slot[i];
		if (!id)
			return i;
		if (t->slot_hash[i] == h32 && t->len[id] == len &&
		    memcmp(t->str[id], s, len) == 0)
			return i;
	}
}

static int rehash(kg__strtab *t)
{
	size_t nslot = t->nslot * 2, i;
	uint32_t *slot = kg__calloc(nslot, sizeof *slot);
	uint32_t *slot_hash = kg__calloc(nslot, sizeof *slot_hash);

	if (!slot || !slot_hash) {
		kg__free(slot);
		kg__free(slot_hash);
		return -1;
	}
	for (i = 0; i < t->nslot; i++) {
		uint32_t id = t->slot[i];
		size_t j;
		if (!id)
			continue;
		j = (size_t)kg__hash(t->str[id], t->len[id]) & (nslot - 1);
		while (slot[j])
			j = (j + 1) & (nslot - 1);
		slot[j] = id;
		slot_hash[j] = t->slot_hash[i];
	}
	kg__free(t->slot);
	kg__free(t->slot_hash);
	t->slot = slot;
	t->slot_hash = slot_hash;
	t->nslot = nslot;
	return 0;
}

uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len)
{
	uint64_t h = kg__hash(s, len);
	return t->slot[probe(t, s, len, h)];
}

uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len)
{
	uint64_t h = kg__hash(s, len);
	size_t i = probe(t, s, len, h);
	char *copy;

	if (t->slot[i])
		return t->slot[i];
	if (len > UINT32_MAX || t->n >= UINT32_MAX - 1)
		return 0;
	if ((t->n + 1) * 2 > t->nslot) {
		if (rehash(t))
			return 0;
		i = probe(t, s, len, h);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap;
		if (kg__grow((void **)&t->str, &cap, t->n + 1, sizeof *t->str))
			return 0;
		cap = t->cap;
		if (kg__grow((void **)&t->len, &cap, t->n + 1, sizeof *t->len))
			return 0;
		t->cap = cap;
	}
	copy = kg__arena_strndup(t->arena, s, len);
	if (!copy)
		return 0;
	t->str[t->n] = copy;
	t->len[t->n] = (uint32_t)len;
	t->slot[i] = (uint32_t)t->n;
	t->slot_hash[i] = (uint32_t)(h >> 32);
	return (uint32_t)t->n++;
}
