/*
 * arena.c - chunked bump allocation. Chunks grow geometrically up to 1 MiB
 * so a small graph wastes little and a large one does few mallocs; an
 * allocation larger than a chunk gets a chunk of its own.
 */
#include "arena.h"
#include "util.h"

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

void *kg__arena_alloc(kg__arena *a, size_t size)
{
	kg__chunk *c;

	if (size > SIZE_MAX - 8)
		return NULL;
#ifdef KG_ARENA_DEBUG
	c = new_chunk(a, size);
	if (!c)
		return NULL;
	a->total += size;
	return (char *)c + HDR;
#else
	size_t need = (size + 7) & ~(size_t)7;
	char *p;

	if (need > a->left) {
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
	}
	p = a->next;
	a->next += need;
	a->left -= need;
	a->total += size;
	return p;
#endif
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
