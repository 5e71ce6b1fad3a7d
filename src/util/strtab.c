/*
 * strtab.c - string interning with open addressing and linear probing.
 * The table is kept at most 70% full (80% once trimmed). A slot holds 32
 * bits of its string's hash and a pointer to the text, so a probe touches
 * the text only to confirm a likely match, and finds the length and the
 * owner's word (aux) in the same cache line. The table's size need not be
 * a power of two (homes are hash * nslot / 2^32), so that it can be
 * trimmed to what the finished graph needs; trimmed, its slots lose the
 * pointer (slot8).
 */
#include "util/strtab.h"
#include "util/util.h"

#include <string.h>

/* Id 0's text: "" with a header, never written. */
static struct {
	kg__strhdr hdr;
	char text[8];
} empty_string;

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
	t->ent[0] = empty_string.text;
	t->n = 1;
	return 0;
}

void kg__strtab_free(kg__strtab *t)
{
	kg__free(t->slot);
	kg__free(t->slot8);
	kg__free(t->ent);
	memset(t, 0, sizeof *t);
}

uint32_t kg__strtab_hash(const char *s, size_t len)
{
	return (uint32_t)(kg__hash(s, len) >> 32);
}

static size_t home(uint32_t h, size_t nslot)
{
	return (size_t)(((uint64_t)h * nslot) >> 32);
}

static size_t probe(const kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t i = home(h, t->nslot);

	for (;;) {
		const kg__strslot *sl = &t->slot[i];
		if (!sl->id)
			return i;
		if (sl->hash == h && kg__strtab_hdr(sl->p)->len == len && memcmp(sl->p, s, len) == 0)
			return i;
		if (++i == t->nslot)
			i = 0;
	}
}

static size_t probe8(const kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t i = home(h, t->nslot);

	for (;;) {
		const kg__strslot8 *sl = &t->slot8[i];
		const char *p;
		if (!sl->id)
			return i;
		p = t->ent[sl->id];
		if (sl->hash == h && kg__strtab_hdr(p)->len == len && memcmp(p, s, len) == 0)
			return i;
		if (++i == t->nslot)
			i = 0;
	}
}

/* Back to the slots with pointers of a table being filled. */
static int unpack(kg__strtab *t)
{
	kg__strslot *slot = kg__calloc(t->nslot, sizeof *slot);
	size_t i;

	if (!slot)
		return -1;
	for (i = 0; i < t->nslot; i++) {
		slot[i].hash = t->slot8[i].hash;
		slot[i].id = t->slot8[i].id;
		slot[i].p = t->slot8[i].id ? t->ent[t->slot8[i].id] : NULL;
	}
	kg__free(t->slot8);
	t->slot8 = NULL;
	t->slot = slot;
	return 0;
}

/* Keep the table at most 70% full. */
static int too_full(size_t n, size_t nslot)
{
	return n * 10 > nslot * 7;
}

/* Move every string to a table of nslot slots, from the hashes kept in
 * the slots: no text is read. */
static int resize(kg__strtab *t, size_t nslot)
{
	kg__strslot *slot;
	size_t i;

	if (nslot > (size_t)UINT32_MAX + 1)
		return -1; /* homes are computed from 32 bits */
	slot = kg__calloc(nslot, sizeof *slot);
	if (!slot)
		return -1;
	for (i = 0; i < t->nslot; i++) {
		const kg__strslot *sl = &t->slot[i];
		size_t j;
		if (!sl->id)
			continue;
		for (j = home(sl->hash, nslot); slot[j].id;)
			if (++j == nslot)
				j = 0;
		slot[j] = *sl;
	}
	kg__free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

/* The slots n strings need at 70% full, plus one so that a probe always
 * finds an empty slot. */
static size_t slots_for(size_t n)
{
	return n / 7 * 10 + n % 7 * 10 / 7 + 2;
}

int kg__strtab_reserve(kg__strtab *t, size_t n)
{
	size_t want;

	if (n > SIZE_MAX / 16 - t->n || (t->slot8 && unpack(t)))
		return -1;
	want = slots_for(t->n + n);
	if (want <= t->nslot)
		return 0;
	if (resize(t, want))
		return -1;
	return 0;
}

void kg__strtab_trim(kg__strtab *t)
{
	/* 80% full: lookups in a finished graph are few, and a probe of
	 * 8-byte slots reads several per cache line. */
	size_t want = t->n / 4 * 5 + t->n % 4 * 5 / 4 + 2, i;
	kg__strslot8 *slot8;

	if (t->slot && want <= (size_t)UINT32_MAX + 1 && (slot8 = kg__calloc(want, sizeof *slot8)) != NULL) {
		for (i = 0; i < t->nslot; i++) {
			const kg__strslot *sl = &t->slot[i];
			size_t j;
			if (!sl->id)
				continue;
			for (j = home(sl->hash, want); slot8[j].id;)
				if (++j == want)
					j = 0;
			slot8[j].hash = sl->hash;
			slot8[j].id = sl->id;
		}
		kg__free(t->slot);
		t->slot = NULL;
		t->slot8 = slot8;
		t->nslot = want;
	}
	if (t->n < t->cap) {
		char **ent = kg__realloc(t->ent, t->n * sizeof *ent);
		if (ent) {
			t->ent = ent;
			t->cap = t->n;
		}
	}
}

void kg__strtab_prefetch(const kg__strtab *t, uint32_t hash)
{
#if defined(__GNUC__)
	if (t->slot)
		__builtin_prefetch(&t->slot[home(hash, t->nslot)]);
#else
	(void)t;
	(void)hash;
#endif
}

void kg__strtab_prefetch_text(const kg__strtab *t, uint32_t hash)
{
#if defined(__GNUC__)
	const kg__strslot *sl = t->slot ? &t->slot[home(hash, t->nslot)] : NULL;
	if (sl && sl->id)
		__builtin_prefetch(sl->p - sizeof(kg__strhdr));
#else
	(void)t;
	(void)hash;
#endif
}

uint32_t kg__strtab_find_hashed(const kg__strtab *t, const char *s, size_t len, uint32_t hash)
{
	if (t->slot8)
		return t->slot8[probe8(t, s, len, hash)].id;
	return t->slot[probe(t, s, len, hash)].id;
}

uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len)
{
	return kg__strtab_find_hashed(t, s, len, kg__strtab_hash(s, len));
}

uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len)
{
	return kg__strtab_intern_hashed(t, s, len, kg__strtab_hash(s, len));
}

uint32_t kg__strtab_intern_hashed(kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t i;

	if (t->slot8) {
		uint32_t id = t->slot8[probe8(t, s, len, h)].id;
		if (id || unpack(t))
			return id;
	}
	i = probe(t, s, len, h);
	kg__strhdr *hdr;
	char *copy;

	if (t->slot[i].id)
		return t->slot[i].id;
	if (len >= UINT32_MAX - sizeof *hdr || t->n >= UINT32_MAX - 1)
		return 0;
	if (too_full(t->n + 1, t->nslot)) {
		if (resize(t, t->nslot * 2))
			return 0;
		i = probe(t, s, len, h);
	}
	if (t->n == t->cap && kg__grow((void **)&t->ent, &t->cap, t->n + 1, sizeof *t->ent))
		return 0;
	hdr = kg__arena_alloc4(t->arena, sizeof *hdr + len + 1);
	if (!hdr)
		return 0;
	hdr->len = (uint32_t)len;
	hdr->aux = 0;
	copy = (char *)(hdr + 1);
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	t->ent[t->n] = copy;
	t->slot[i].id = (uint32_t)t->n;
	t->slot[i].hash = h;
	t->slot[i].p = copy;
	return (uint32_t)t->n++;
}
