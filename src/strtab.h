/*
 * strtab.h - string interning (private).
 *
 * Every string a graph holds (ids, names, attribute keys and values,
 * quotes) is stored once, in the graph's arena, and referred to by a dense
 * uint32_t id. Equal strings get equal ids, so comparing two ids compares
 * the strings. Id 0 is reserved for "absent".
 *
 * Layout for speed on large graphs, where most lookups miss the cache:
 * a slot holds the string's length and first 8 bytes, so a string of up
 * to 8 bytes (most ids) is found by reading its slot alone; a longer one
 * also reads its entry (pointer and length together) and its bytes.
 */
#ifndef KG_STRTAB_H
#define KG_STRTAB_H

#include "arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct kg__strent {
	const char *p; /* NUL-terminated, in the arena */
	uint32_t len;
} kg__strent;

typedef struct kg__strslot {
	uint32_t id;   /* 0 = empty */
	uint16_t hash; /* 16 high bits of the string's hash */
	uint16_t len;  /* length, or 65535 for 65535 and longer */
	uint64_t head; /* the first 8 bytes, zero-padded */
} kg__strslot;

typedef struct kg__strtab {
	kg__arena *arena;  /* where the bytes live; not owned */
	kg__strent *ent;   /* id -> text */
	size_t n, cap;     /* ids in use (including 0), capacity of ent */
	kg__strslot *slot; /* open addressing, linear probing, at most half full */
	size_t nslot;      /* power of two */
} kg__strtab;

/* Set up an empty table that allocates its text in arena. 0 or -1. */
int kg__strtab_init(kg__strtab *t, kg__arena *arena);
void kg__strtab_free(kg__strtab *t);

/* Intern len bytes at s; returns the id (>= 1) or 0 when out of memory. */
uint32_t kg__strtab_intern(kg__strtab *t, const char *s, size_t len);

/* Id of the string if it was interned, else 0. Never allocates. */
uint32_t kg__strtab_find(const kg__strtab *t, const char *s, size_t len);

static inline const char *kg__str(const kg__strtab *t, uint32_t id)
{
	return id ? t->ent[id].p : NULL;
}

static inline uint32_t kg__strlen(const kg__strtab *t, uint32_t id)
{
	return t->ent[id].len;
}

#endif
