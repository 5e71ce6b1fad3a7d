/*
 * strtab.h - string interning (private).
 *
 * Every string a graph holds (ids, names, attribute keys and values,
 * quotes) is stored once, in the graph's arena, and referred to by a dense
 * uint32_t id. Equal strings get equal ids, so comparing two ids compares
 * the strings. Id 0 is reserved for "absent".
 *
 * Layout for speed on large graphs, where most lookups miss the cache:
 * a slot holds 32 bits of the string's hash and a pointer to its text, and
 * the text is preceded in the arena by its length and one word for the
 * owner (aux). A lookup reads the slot, then the text with its length in
 * the same cache line: two misses, and the caller's aux comes with them.
 * Growing the table never reads the text again: the slot's hash says
 * where it goes.
 */
#ifndef KG_STRTAB_H
#define KG_STRTAB_H

#include "util/arena.h"

#include <stddef.h>
#include <stdint.h>

/* In the arena right before each string's bytes. */
typedef struct kg__strhdr {
	uint32_t len;
	uint32_t aux; /* the owner's; 0 until set */
} kg__strhdr;

typedef struct kg__strslot {
	uint32_t hash; /* the high 32 bits of the string's hash */
	uint32_t id;   /* 0 = empty */
	char *p;       /* the text (header before it) */
} kg__strslot;

/* The slot of a trimmed table (kg__strtab_trim): half the size, for a
 * table that is mostly read, a few lookups per command. */
typedef struct kg__strslot8 {
	uint32_t hash;
	uint32_t id; /* 0 = empty; the text is ent[id] */
} kg__strslot8;

typedef struct kg__strtab {
	kg__arena *arena;  /* where the bytes live; not owned */
	char **ent;        /* id -> text, NUL-terminated, kg__strhdr before it */
	size_t n, cap;     /* ids in use (including 0), capacity of ent */
	/* Open addressing, linear probing, at most 70% full (80% once
	 * trimmed): slot while strings are added, slot8 once trimmed (the
	 * other is NULL). */
	kg__strslot *slot;
	kg__strslot8 *slot8;
	size_t nslot;      /* any size from 1 to 2^32: homes by multiply-shift */
} kg__strtab;

/* Set up an empty table that allocates its text in arena. 0 or -1. */
int kg__strtab_init(kg__strtab *t, kg__arena *arena);
void kg__strtab_free(kg__strtab *t);

/* Intern len bytes at s; returns the id (>= 1) or 0 when out of memory. */
uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len);

/* Id of the string if it was interned, else 0. Never allocates. */
uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len);

/* Two steps of a lookup that can be spread out so that the cache misses
 * overlap other work: kg__strtab_hash, then kg__strtab_prefetch (the slot)
 * some time before kg__strtab_prefetch_text (the text the slot points to),
 * then kg__strtab_find_hashed. The prefetches are hints only. */
uint32_t kg__strtab_hash(const char *s, size_t len);
void kg__strtab_prefetch(const kg__strtab *t, uint32_t hash);
void kg__strtab_prefetch_text(const kg__strtab *t, uint32_t hash);
uint32_t kg__strtab_find_hashed(const kg__strtab *t, const char *s, size_t len, uint32_t hash);
/* kg__strtab_intern with hash = kg__strtab_hash(s, len) known. */
uint32_t kg__strtab_intern_hashed(kg__strtab *t, const char *s, size_t len, uint32_t hash);

/* Make room for about n more strings without growing on the way. 0, or
 * -1 when out of memory (the table is then unchanged and still works). */
int kg__strtab_reserve(kg__strtab *t, size_t n);

/* Shrink the slots and ids to what n strings need, once no more will be
 * added in bulk: 80% full, with slots of 8 bytes instead of 16
 * (a lookup then reads ent[] too, one more cache miss). Adding a string
 * later first goes back to the larger slots. Failing to allocate leaves
 * the table as it was. */
void kg__strtab_trim(kg__strtab *t);

static inline const kg__strhdr *kg__strtab_hdr(const char *p)
{
	return (const kg__strhdr *)(const void *)(p - sizeof(kg__strhdr));
}

static inline const char *kg__str(const kg__strtab *t, uint32_t id)
{
	return id ? t->ent[id] : NULL;
}

/* Length of string id; 0 for id 0, which has no text (as kg__str
 * gives NULL for it). */
static inline uint32_t kg__strlen(const kg__strtab *t, uint32_t id)
{
	return id ? kg__strtab_hdr(t->ent[id])->len : 0;
}

/* The owner's word for string id (0 until set; also 0 for id 0). */
static inline uint32_t kg__straux(const kg__strtab *t, uint32_t id)
{
	return kg__strtab_hdr(t->ent[id])->aux;
}

static inline void kg__strtab_set_aux(kg__strtab *t, uint32_t id, uint32_t aux)
{
	((kg__strhdr *)(void *)(t->ent[id] - sizeof(kg__strhdr)))->aux = aux;
}

#endif
