/*
 * arena.c - chunked bump allocation. Chunks grow geometrically up to 1 MiB
 * so a small graph wastes little and a large one does few mallocs; an
 * allocation larger than a chunk gets a chunk of its own. Items are 8- or
 * 4-aligned as asked: strings (with their 8-byte header of two uint32_t)
 * only need 4, which saves 2 bytes per string on average.
 */
#include "util/arena.h"
#include "util/util.h"

#include <stdint.h>
#include <string.h>

struct kg__chunk {
	kg__chunk *next;
	size_t size;
	/* payload follows, 8-aligned */
};

#define HDR ((sizeof(kg__chunk) + 7) & ~(size_t)7)
#define MAX_CHUNK ((size_t)1 << 20)

static kg__chunk *new_chunk(kg__arena *a, size_t payload)
{
	kg__chunk *c;

	if (payload > SIZE_MAX - HDR)
		return NULL;
	c = kg__malloc(HDR + payload);
	if (!c)
		return NULL;
	c->size = payload;
	c->next = a->head;
	a->head = c;
	return c;
}

/* size bytes aligned to align (4 or 8). Every allocation is rounded up to
 * a multiple of 4, so the free space always starts 4-aligned. */
static void *alloc(kg__arena *a, size_t size, size_t align)
{
	kg__chunk *c;

	if (size > SIZE_MAX - 8)
		return NULL;
#ifdef KG_ARENA_DEBUG
	(void)align;
	c = new_chunk(a, size);
	if (!c)
		return NULL;
	a->total += size;
	return (char *)c + HDR;
#else
	size_t need = (size + 3) & ~(size_t)3;
	size_t pad = a->next ? (size_t)(-(uintptr_t)a->next & (align - 1)) : 0;
	char *p;

	if (pad + need > a->left) {
		size_t want = a->head ? a->head->size * 2 : 4096;
		if (want > MAX_CHUNK)
			want = MAX_CHUNK;
		if (need > want / 4) {
			/* Big item: give it its own chunk behind the head so the
			 * head's free space is not thrown away. */
			kg__chunk *head = a->head;
			c = new_chunk(a, need);
			if (!c)
				return NULL;
			if (head) {
				a->head = head;
				c->next = head->next;
				head->next = c;
			}
			a->total += size;
			if (!head) {
				a->next = NULL;
				a->left = 0;
			}
			return (char *)c + HDR;
		}
		c = new_chunk(a, want);
		if (!c)
			return NULL;
		a->next = (char *)c + HDR;
		a->left = want;
		pad = 0;
	}
	p = a->next + pad;
	a->next = p + need;
	a->left -= pad + need;
	a->total += size;
	return p;
#endif
}

void *kg__arena_alloc(kg__arena *a, size_t size)
{
	return alloc(a, size, 8);
}

void *kg__arena_alloc4(kg__arena *a, size_t size)
{
	return alloc(a, size, 4);
}

char *kg__arena_strndup(kg__arena *a, const char *s, size_t len)
{
	char *d;

	if (len == SIZE_MAX)
		return NULL;
	d = kg__arena_alloc(a, len + 1);
	if (d) {
		if (len)
			memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

void kg__arena_free(kg__arena *a)
{
	kg__chunk *c = a->head;

	while (c) {
		kg__chunk *next = c->next;
		kg__free(c);
		c = next;
	}
	memset(a, 0, sizeof *a);
}
