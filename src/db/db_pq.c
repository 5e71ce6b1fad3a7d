/*
 * db_pq.c - opens libpq with dlopen the first time a database is opened
 * and fills the table db_pq.h calls through (why: db_pq.h).
 */
#define KG__PQ_LOADER
#include "db/db_pq.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <stddef.h>

kg__pq_api kg__pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure;
static char missing[64];

static void load(void)
{
	/* libpq5's soname on Debian (and every libpq since 8.2). */
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	const char *name = NULL;

	if (!h) {
		failure = dlerror();
		if (!failure)
			failure = "libpq.so.5 could not be opened";
		return;
	}
	/* dlsym gives void *; converting it to a function pointer is what
	 * POSIX promises works, through the object's bytes. */
#define KG__PQ_SYM(f)                                     \
	if (!name) {                                      \
		void *p = dlsym(h, #f);                   \
		if (p)                                    \
			memcpy(&kg__pq.f, &p, sizeof p);  \
		else                                      \
			name = #f;                        \
	}
	KG__PQ_FUNCTIONS(KG__PQ_SYM)
#undef KG__PQ_SYM
	if (name) {
		snprintf(missing, sizeof missing, "libpq.so.5 has no %s", name);
		failure = missing;
	}
}

const char *kg__pq_load(void)
{
	pthread_once(&once, load);
	return failure;
}
