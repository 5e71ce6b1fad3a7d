/*
 * strtab.h - string interning (private).
 *
 * Every string a graph holds (ids, names, attribute keys and values,
 * quotes) is stored once and referred to by a dense uint32_t id. Equal
 * strings get equal ids, so comparing two ids compares the strings. Id 0
 * is reserved for "absent".
 *
 * Layout, for memory on large graphs (issue 17: the string table cost
 * 27 bytes a string besides its text; it costs 4 in a finished graph):
 * each string is its bytes and a NUL, with no padding, one after the
 * other in id order, in pieces of memory that never move, so a pointer to
 * a string's text stays valid while others are added. A string is named
 * by a 32-bit offset: chunk number k covers offsets k * 2^24 to
 * (k + 1) * 2^24, so the text of the whole table is limited to 4 GiB.
 * off[id] is where string id starts, and its length is how far the next
 * one starts after it. The hash slots hold 32 bits of the hash and the id
 * while strings are added, for every string. Trimmed, they hold only the
 * ids of the strings the finished graph looks up by their text (its
 * keys: type and source names), so that most strings cost nothing but
 * their offset; adding a string to a trimmed table puts every string
 * back into slots first. An owner's word per string (the entity whose id
 * it is) is kept beside the offsets while they are wanted (the loader).
 * A snapshot maps the same layout with the text in one piece (chunk k at
 * text + k * 2^24).
 */
#ifndef KG_STRTAB_H
#define KG_STRTAB_H

#include "util/util.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct kg__strslot {
	uint32_t hash; /* the high 32 bits of the string's hash */
	uint32_t id;   /* 0 = empty */
} kg__strslot;

#define KG__STR_CHUNK_BITS 24
#define KG__STR_CHUNKS 256 /* 2^32 / 2^KG__STR_CHUNK_BITS */

typedef struct kg__strtab {
	char **chunk;      /* KG__STR_CHUNKS entries: chunk k's memory, or NULL */
	size_t nchunk;     /* chunks in use; the last is being filled */
	size_t used, size; /* bytes used and allocated in the last chunk */
	size_t bytes;      /* owner words and text of every string, for statistics */
	/* The pieces of memory: which one chunk k is in, and the offset where
	 * each one's strings end. */
	uint8_t piece_of[KG__STR_CHUNKS];
	uint32_t piece_end[KG__STR_CHUNKS];
	KG_VEC(void *) allocs; /* the pieces, to free (none when borrowed) */
	uint32_t *off;     /* id -> offset of its text; n used, cap allocated */
	size_t n, cap;
	/* id -> the owner's word (kg__strtab_set_aux), naux of them, or NULL:
	 * none set, or dropped (kg__strtab_drop_aux). */
	uint32_t *aux;
	size_t naux;
	/* Open addressing, linear probing, at most 70% full (80% once
	 * trimmed): slot while strings are added, slot4 (ids only, of the
	 * keys) once trimmed; the other is NULL. */
	kg__strslot *slot;
	uint32_t *slot4;
	size_t nslot;      /* any size from 1 to 2^32: homes by multiply-shift */
	/* chunk[], off and slot4 point into memory the table does not own
	 * (a mapped snapshot): only chunk[] itself is freed, and nothing can
	 * be added. */
	int borrowed;
	/* A borrowed text that is filled in as it is read (a snapshot's
	 * compressed text, snapshot/text.c): ready(fill, at, end) makes bytes
	 * at..end readable, 0 or -1 (they cannot be). NULL: all of it is.
	 * Called by kg__strtab_checked only. */
	int (*ready)(void *fill, uint64_t at, uint64_t end);
	void *fill;
} kg__strtab;

/* Set up an empty table. 0 or -1. */
int kg__strtab_init(kg__strtab *t);
void kg__strtab_free(kg__strtab *t);

/* Intern len bytes at s; returns the id (>= 1) or 0 when out of memory
 * (or when the table's 4 GiB are full, or it is borrowed). */
uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len);

/* Id of the string if it was interned, else 0. Never allocates. */
uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len);

/* Two steps of a lookup that can be spread out so that the cache misses
 * overlap other work: kg__strtab_hash, then kg__strtab_prefetch (the slot)
 * some time before kg__strtab_prefetch_text (the offset and owner's word
 * of the string the slot names), then kg__strtab_find_hashed. The prefetches are hints only. */
uint32_t kg__strtab_hash(const char *s, size_t len);
void kg__strtab_prefetch(const kg__strtab *t, uint32_t hash);
void kg__strtab_prefetch_text(const kg__strtab *t, uint32_t hash);
uint32_t kg__strtab_find_hashed(const kg__strtab *t, const char *s, size_t len, uint32_t hash);
/* kg__strtab_intern with hash = kg__strtab_hash(s, len) known. */
uint32_t kg__strtab_intern_hashed(kg__strtab *t, const char *s, size_t len, uint32_t hash);

/* Make room for about n more strings without growing on the way. 0, or
 * -1 when out of memory (the table is then unchanged and still works). */
int kg__strtab_reserve(kg__strtab *t, size_t n);

/* Shrink the slots and ids once no more strings will be added in bulk:
 * only the nkeys strings keys[] are left in slots (kg__strtab_find finds
 * no other), 80% full, with slots of 4 bytes (ids) instead of 8 (a probe
 * then reads each candidate's text). Adding a string later first goes
 * back to the larger slots, with every string. Failing to allocate leaves
 * the table as it was. */
void kg__strtab_trim(kg__strtab *t, const uint32_t *keys, size_t nkeys);

/* The slots of a trimmed table holding the nkeys strings keys[] (below
 * t->n), into *slot4 (kg__free it) and *nslot. 0, or -1 when out of
 * memory. */
int kg__strtab_key_slots(const kg__strtab *t, const uint32_t *keys, size_t nkeys, uint32_t **slot4,
                         size_t *nslot);

/* Bytes the table holds besides its strings' text (bytes): offsets,
 * owner's words, slots and the chunk table (statistics). */
size_t kg__strtab_overhead(const kg__strtab *t);

/* Tables of 4-byte slots of ids (0 empty) on a string's hash, open
 * addressing with linear probing: the string table's keys once trimmed,
 * and a graph's entities by id (core/names.c). A hash's home is
 * hash * nslot / 2^32, so nslot need not be a power of two. */
static inline size_t kg__slot_home(uint32_t hash, size_t nslot)
{
	return (size_t)(((uint64_t)hash * nslot) >> 32);
}

/* The slots n ids need at 80% full, plus one so that a probe always finds
 * an empty slot (lookups in a finished graph are a few per command). */
static inline size_t kg__slots80(size_t n)
{
	return n / 4 * 5 + n % 4 * 5 / 4 + 2;
}

/* Put id v (not 0) into the slots at hash's home or the next free one,
 * unless it is there already. */
static inline void kg__slot_place(uint32_t *slot, size_t nslot, uint32_t hash, uint32_t v)
{
	size_t j;

	for (j = kg__slot_home(hash, nslot); slot[j] && slot[j] != v;)
		if (++j == nslot)
			j = 0;
	slot[j] = v;
}

/* The string that starts at offset at. */
static inline const char *kg__strtab_at(const kg__strtab *t, uint32_t at)
{
	return t->chunk[at >> KG__STR_CHUNK_BITS] + (at & ((UINT32_C(1) << KG__STR_CHUNK_BITS) - 1));
}

static inline const char *kg__str(const kg__strtab *t, uint32_t id)
{
	return id ? kg__strtab_at(t, t->off[id]) : NULL;
}

/* Length of string id; 0 for id 0, which has no text (as kg__str
 * gives NULL for it). */
static inline uint32_t kg__strlen(const kg__strtab *t, uint32_t id)
{
	uint32_t at = t->off[id], end;
	unsigned piece = t->piece_of[at >> KG__STR_CHUNK_BITS];

	if (!id)
		return 0;
	end = id + 1 < t->n ? t->off[id + 1] : t->piece_end[piece];
	if (t->piece_of[end >> KG__STR_CHUNK_BITS] != piece || end < at)
		end = t->piece_end[piece];
	return end - at - 1;
}

/* For a borrowed table whose offsets were not checked (a snapshot read
 * lazily): string id's text and length, or NULL when id is 0 or beyond
 * the table, or the string does not lie inside the text and end in its
 * NUL, or its text cannot be made ready. The text is one piece
 * (piece_end[0] bytes). */
const char *kg__strtab_checked(const kg__strtab *t, uint32_t id, uint32_t *len);

/* kg__strtab_find for such a table: every slot and string it meets is
 * checked, and a probe stops after every slot. *bad is set when one was
 * out of bounds (the answer is then 0). */
uint32_t kg__strtab_find_checked(const kg__strtab *t, const char *s, size_t len, int *bad);

/* The owner's word for string id: 0 until set, for id 0, and once the
 * words are dropped. */
static inline uint32_t kg__straux(const kg__strtab *t, uint32_t id)
{
	return id < t->naux ? t->aux[id] : 0;
}

/* Set string id's owner's word. 0, or -1 when out of memory. */
int kg__strtab_set_aux(kg__strtab *t, uint32_t id, uint32_t aux);

/* Give back the owner's words, once no more are wanted. */
void kg__strtab_drop_aux(kg__strtab *t);

#endif
