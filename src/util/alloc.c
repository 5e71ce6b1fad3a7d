/*
 * alloc.c - the allocation wrappers every kgraph allocation goes through.
 *
 * In the library that is built and installed they are plain calls to the
 * C allocator (a size of 0 asks for 1 byte, so NULL always means "out of
 * memory"). The test variant of the library (the kgraph_testing target,
 * compiled with KG_TESTING) adds a hook that makes the Nth allocation fail,
 * so that a test can check that every caller turns that into KG_ENOMEM
 * without leaking. The hook is compiled in only there, rather than made
 * thread-local, because then a release build touches no counter at all on
 * its allocation path, and a shared library needs no TLS lookup per
 * allocation; and the test variant counts allocations of every thread (the
 * parser thread's too) with relaxed atomics, which ThreadSanitizer accepts.
 */
#include "util/util.h"

#include <stdlib.h>

#ifdef KG_TESTING
#include <stdatomic.h>

static atomic_long alloc_count;
static atomic_long alloc_fail_at;

long kg__alloc_fail_at(long n)
{
	long before = atomic_exchange_explicit(&alloc_count, 0, memory_order_relaxed);
	atomic_store_explicit(&alloc_fail_at, n, memory_order_relaxed);
	return before;
}

/* Count an allocation and say whether the failure hook wants it to fail. */
static int should_fail(void)
{
	long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
	long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
	return at > 0 && n == at;
}
#else
#define should_fail() 0
#endif

void *kg__malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *kg__calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *kg__realloc(void *p, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

void kg__free(void *p)
{
	free(p);
}
