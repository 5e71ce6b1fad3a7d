/*
 * arena.h - a bump allocator: many small allocations, freed all at once
 * (private).
 *
 * A graph keeps its strings and records in one arena, so loading does no
 * malloc per item and freeing a graph is a walk over a few chunks. Built
 * with KG_ARENA_DEBUG, every allocation is its own malloc, so that
 * AddressSanitizer and valgrind see overflows between items.
 */
#ifndef KG_ARENA_H
#define KG_ARENA_H

#include <stddef.h>

typedef struct kg__chunk kg__chunk;

typedef struct kg__arena {
	kg__chunk *head;
	char *next;   /* free space in head */
	size_t left;  /* bytes free at next */
	size_t total; /* bytes handed out, for statistics */
} kg__arena;

/* Allocate size bytes aligned to 8; NULL when out of memory. Lives until
 * kg__arena_free. */
void *kg__arena_alloc(kg__arena *a, size_t size);
/* The same, aligned to 4 only: for items that hold nothing wider. */
void *kg__arena_alloc4(kg__arena *a, size_t size);
/* Copy len bytes of s and add a NUL. */
char *kg__arena_strndup(kg__arena *a, const char *s, size_t len);
void kg__arena_free(kg__arena *a);

#endif
