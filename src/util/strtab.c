/*
 * strtab.c - string interning with open addressing and linear probing.
 * The table is kept at most 70% full (80% once trimmed). While strings are
 * added a slot holds 32 bits of its string's hash and its id, so a probe
 * reads a string's offset and text only to confirm a likely match; a
 * trimmed table keeps only the ids of the keys, and compares the text of
 * each slot it probes (lookups in a finished graph are a few per command). The
 * table's size need not be a power of two (homes are hash * nslot / 2^32),
 * so that it can be trimmed to what the finished graph needs.
 *
 * The text lives in chunks that never move (strtab.h): the first is
 * 64 KiB and each next one twice the last, up to 2^24 bytes, so a small
 * graph allocates little; a string too long for a chunk gets memory of its
 * own spanning as many chunk numbers as it needs.
 */
#include "util/strtab.h"

#include <string.h>

#define CHUNK_BYTES ((size_t)1 << KG__STR_CHUNK_BITS)
#define FIRST_CHUNK ((size_t)64 * 1024)

/* Id 0 is "": a NUL at offset 0 of chunk 0. */
int kg__strtab_init(kg__strtab *t)
{
	memset(t, 0, sizeof *t);
	t->nslot = 64;
	t->slot = kg__calloc(t->nslot, sizeof *t->slot);
	t->cap = 64;
	t->off = kg__malloc(t->cap * sizeof *t->off);
	t->chunk = kg__calloc(KG__STR_CHUNKS, sizeof *t->chunk);
	if (!t->slot || !t->off || !t->chunk || KG_VEC_RESERVE(t->allocs, 8) ||
	    !(t->chunk[0] = kg__calloc(1, FIRST_CHUNK))) {
		kg__strtab_free(t);
		return -1;
	}
	t->allocs.v[t->allocs.n++] = t->chunk[0];
	t->nchunk = 1;
	t->size = FIRST_CHUNK;
	t->used = 1;
	t->bytes = t->used;
	t->piece_end[0] = (uint32_t)t->used;
	t->off[0] = 0;
	t->n = 1;
	return 0;
}

void kg__strtab_free(kg__strtab *t)
{
	size_t i;

	for (i = 0; i < t->allocs.n; i++)
		kg__free(t->allocs.v[i]);
	KG_VEC_FREE(t->allocs);
	kg__free(t->chunk);
	if (!t->borrowed) {
		kg__free(t->off);
		kg__free(t->slot4);
	}
	kg__free(t->aux);
	kg__free(t->slot);
	memset(t, 0, sizeof *t);
}

uint32_t kg__strtab_hash(const char *s, size_t len)
{
	return (uint32_t)(kg__hash(s, len) >> 32);
}


static int same(const kg__strtab *t, uint32_t id, const char *s, size_t len)
{
	return kg__strlen(t, id) == len && memcmp(kg__str(t, id), s, len) == 0;
}

static size_t probe(const kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t i = kg__slot_home(h, t->nslot);

	for (;;) {
		const kg__strslot *sl = &t->slot[i];
		if (!sl->id || (sl->hash == h && same(t, sl->id, s, len)))
			return i;
		if (++i == t->nslot)
			i = 0;
	}
}

static size_t probe4(const kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t i = kg__slot_home(h, t->nslot);

	for (;;) {
		uint32_t id = t->slot4[i];
		if (!id || same(t, id, s, len))
			return i;
		if (++i == t->nslot)
			i = 0;
	}
}

static void place(kg__strslot *slot, size_t nslot, kg__strslot sl)
{
	size_t j;

	for (j = kg__slot_home(sl.hash, nslot); slot[j].id;)
		if (++j == nslot)
			j = 0;
	slot[j] = sl;
}

/* Put every string into a table of nslot slots with hashes: from the
 * hashes kept in the slots when there are any (no text is read), else
 * (a trimmed table) hashing each string again. */
static int resize(kg__strtab *t, size_t nslot)
{
	kg__strslot *slot;
	size_t i;

	if (nslot > (size_t)UINT32_MAX + 1)
		return -1; /* homes are computed from 32 bits */
	slot = kg__calloc(nslot, sizeof *slot);
	if (!slot)
		return -1;
	if (t->slot) {
		for (i = 0; i < t->nslot; i++)
			if (t->slot[i].id)
				place(slot, nslot, t->slot[i]);
	} else {
		for (i = 1; i < t->n; i++) {
			kg__strslot sl;
			sl.id = (uint32_t)i;
			sl.hash = kg__strtab_hash(kg__str(t, sl.id), kg__strlen(t, sl.id));
			place(slot, nslot, sl);
		}
	}
	kg__free(t->slot);
	kg__free(t->slot4);
	t->slot4 = NULL;
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

/* Keep the table at most 70% full. */
static int too_full(size_t n, size_t nslot)
{
	return n * 10 > nslot * 7;
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

	if (t->borrowed || n > SIZE_MAX / 16 - t->n)
		return -1;
	want = slots_for(t->n + n);
	if (t->slot4 && want < t->nslot)
		want = t->nslot;
	if (want <= t->nslot && t->slot)
		return 0;
	return resize(t, want) ? -1 : 0;
}

int kg__strtab_key_slots(const kg__strtab *t, const uint32_t *keys, size_t nkeys, uint32_t **slot4,
                         size_t *nslot)
{
	size_t want = kg__slots80(nkeys), i;
	uint32_t *slot;

	*slot4 = NULL;
	*nslot = 0;
	if (want > (size_t)UINT32_MAX + 1 || !(slot = kg__calloc(want, sizeof *slot)))
		return -1;
	for (i = 0; i < nkeys; i++)
		kg__slot_place(slot, want, kg__strtab_hash(kg__str(t, keys[i]), kg__strlen(t, keys[i])), keys[i]);
	*slot4 = slot;
	*nslot = want;
	return 0;
}

void kg__strtab_trim(kg__strtab *t, const uint32_t *keys, size_t nkeys)
{
	uint32_t *slot4;
	size_t nslot;

	if (t->slot && !t->borrowed && kg__strtab_key_slots(t, keys, nkeys, &slot4, &nslot) == 0) {
		kg__free(t->slot);
		t->slot = NULL;
		t->slot4 = slot4;
		t->nslot = nslot;
	}
	if (t->n < t->cap && !t->borrowed) {
		uint32_t *off = kg__realloc(t->off, t->n * sizeof *off);
		if (off) {
			t->off = off;
			t->cap = t->n;
		}
	}
}

int kg__strtab_set_aux(kg__strtab *t, uint32_t id, uint32_t aux)
{
	if (id >= t->naux) {
		size_t n = t->cap > id ? t->cap : (size_t)id + 1;
		uint32_t *p = kg__realloc(t->aux, n * sizeof *p);
		if (!p)
			return -1;
		memset(p + t->naux, 0, (n - t->naux) * sizeof *p);
		t->aux = p;
		t->naux = n;
	}
	t->aux[id] = aux;
	return 0;
}

void kg__strtab_drop_aux(kg__strtab *t)
{
	kg__free(t->aux);
	t->aux = NULL;
	t->naux = 0;
}

size_t kg__strtab_overhead(const kg__strtab *t)
{
	size_t n = t->cap * sizeof *t->off + t->naux * sizeof *t->aux;

	n += t->nslot * (t->slot ? sizeof *t->slot : sizeof *t->slot4);
	return n + KG__STR_CHUNKS * sizeof *t->chunk;
}

void kg__strtab_prefetch(const kg__strtab *t, uint32_t hash)
{
#if defined(__GNUC__)
	if (t->slot)
		__builtin_prefetch(&t->slot[kg__slot_home(hash, t->nslot)]);
#else
	(void)t;
	(void)hash;
#endif
}

void kg__strtab_prefetch_text(const kg__strtab *t, uint32_t hash)
{
#if defined(__GNUC__)
	const kg__strslot *sl = t->slot ? &t->slot[kg__slot_home(hash, t->nslot)] : NULL;
	if (sl && sl->id) {
		__builtin_prefetch(&t->off[sl->id]);
		/* The owner's word is what a lookup of an entity id is for. */
		if (sl->id < t->naux)
			__builtin_prefetch(&t->aux[sl->id]);
	}
#else
	(void)t;
	(void)hash;
#endif
}

uint32_t kg__strtab_find_hashed(const kg__strtab *t, const char *s, size_t len, uint32_t hash)
{
	if (!t->slot)
		return t->slot4[probe4(t, s, len, hash)];
	return t->slot[probe(t, s, len, hash)].id;
}

uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len)
{
	return kg__strtab_find_hashed(t, s, len, kg__strtab_hash(s, len));
}

const char *kg__strtab_checked(const kg__strtab *t, uint32_t id, uint32_t *len)
{
	uint64_t at, end, ntext = t->piece_end[0];
	const char *p;

	if (!id || id >= t->n)
		return NULL;
	at = t->off[id];
	end = id + 1 < t->n ? t->off[id + 1] : ntext;
	if (end > ntext || end < at + 1 || (t->ready && t->ready(t->fill, at, end)))
		return NULL;
	/* at < end <= ntext: inside the one piece, which every chunk
	 * number below its end points into. */
	p = kg__strtab_at(t, (uint32_t)at);
	if (p[end - at - 1] != '\0')
		return NULL;
	if (len)
		*len = (uint32_t)(end - at - 1);
	return p;
}

uint32_t kg__strtab_find_checked(const kg__strtab *t, const char *s, size_t len, int *bad)
{
	size_t i, k;

	if (!t->nslot)
		return 0;
	i = kg__slot_home(kg__strtab_hash(s, len), t->nslot);
	for (k = 0; k < t->nslot; k++) {
		uint32_t id = t->slot4[i], n;
		const char *p;
		if (!id)
			return 0;
		if (!(p = kg__strtab_checked(t, id, &n))) {
			*bad = 1;
			return 0;
		}
		if (n == len && memcmp(p, s, len) == 0)
			return id;
		if (++i == t->nslot)
			i = 0;
	}
	return 0;
}

uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len)
{
	return kg__strtab_intern_hashed(t, s, len, kg__strtab_hash(s, len));
}

/* Room for need bytes at the end of the text: in the last chunk, or in a
 * new piece of memory (of several chunk numbers when need is more than a
 * chunk). The offset of the room, or 0 when out of memory or offsets. */
static uint32_t room(kg__strtab *t, size_t need)
{
	size_t first, span, size, k;
	uint32_t at;
	char *mem;

	if (t->used + need <= t->size) {
		at = (uint32_t)(((t->nchunk - 1) << KG__STR_CHUNK_BITS) + t->used);
		return (uint64_t)at + need <= UINT32_MAX ? at : 0;
	}
	first = t->nchunk;
	span = (need + CHUNK_BYTES - 1) / CHUNK_BYTES;
	if (first + span > KG__STR_CHUNKS || (first + span == KG__STR_CHUNKS && need == span * CHUNK_BYTES) ||
	    t->allocs.n >= KG__STR_CHUNKS || KG_VEC_RESERVE(t->allocs, t->allocs.n + 1))
		return 0;
	size = t->size * 2 < CHUNK_BYTES ? t->size * 2 : CHUNK_BYTES;
	if (size < need)
		size = span * CHUNK_BYTES;
	if (!(mem = kg__malloc(size)))
		return 0;
	t->allocs.v[t->allocs.n++] = mem;
	for (k = first; k < first + span; k++) {
		t->chunk[k] = mem + (k - first) * CHUNK_BYTES;
		t->piece_of[k] = (uint8_t)(t->allocs.n - 1);
	}
	/* The last chunk number is the one being filled: a long string's
	 * memory ends in it. */
	t->nchunk = first + span;
	t->size = size - (span - 1) * CHUNK_BYTES;
	t->used = 0;
	return (uint32_t)(first << KG__STR_CHUNK_BITS);
}

uint32_t kg__strtab_intern_hashed(kg__strtab *t, const char *s, size_t len, uint32_t h)
{
	uint32_t at;
	size_t i, need = len + 1;
	char *p;

	if (t->slot4) {
		uint32_t id = t->slot4[probe4(t, s, len, h)];
		if (id || t->borrowed || resize(t, slots_for(t->n + 1)))
			return id;
	}
	i = probe(t, s, len, h);
	if (t->slot[i].id)
		return t->slot[i].id;
	if (len >= UINT32_MAX - 1 || t->n >= UINT32_MAX - 1)
		return 0;
	if (too_full(t->n + 1, t->nslot)) {
		if (resize(t, t->nslot * 2))
			return 0;
		i = probe(t, s, len, h);
	}
	if (t->n == t->cap && kg__grow((void **)&t->off, &t->cap, t->n + 1, sizeof *t->off))
		return 0;
	if (!(at = room(t, need)))
		return 0;
	p = (char *)kg__strtab_at(t, at);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	/* used counts from the last chunk number's start: a long string
	 * began chunks before it. */
	t->used = (size_t)at + need - ((t->nchunk - 1) << KG__STR_CHUNK_BITS);
	t->piece_end[t->allocs.n - 1] = (uint32_t)(at + need);
	t->bytes += need;
	t->off[t->n] = at;
	t->slot[i].id = (uint32_t)t->n;
	t->slot[i].hash = h;
	return (uint32_t)t->n++;
}
