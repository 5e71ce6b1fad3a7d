/*
 * util.h - allocation, growable arrays and small helpers shared by every
 * module (private).
 *
 * All of kgraph's own allocations go through kg__malloc/kg__realloc (alloc.c)
 * so that a test can make the Nth one fail (kg__alloc_fail_at) and check
 * that every caller turns that into KG_ENOMEM without leaking. libyaml and
 * utf8proc allocate on their own and are not covered.
 */
#ifndef KG_UTIL_H
#define KG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *kg__malloc(size_t size);
void *kg__calloc(size_t n, size_t size);
void *kg__realloc(void *p, size_t size);
void kg__free(void *p);
char *kg__strndup(const char *s, size_t len);

#ifdef KG_TESTING
/* Make the n-th allocation from now fail (1 = the next one); 0 turns it off.
 * Returns how many allocations happened since the last call, in every
 * thread. Only in the test variant of the library (kgraph_testing, which
 * defines KG_TESTING for itself and for what links it). */
long kg__alloc_fail_at(long n);
#endif

/* Grow *data (of *cap elements of elem bytes) to hold at least need
 * elements, doubling. Returns 0, or -1 (data untouched) when out of memory
 * or when the size would overflow. */
int kg__grow(void **data, size_t *cap, size_t need, size_t elem);

/* A growable array of T: KG_VEC(uint32_t) v = {0}; */
#define KG_VEC(T) struct { T *v; size_t n, cap; }
#define KG_VEC_RESERVE(vec, need) \
	((need) <= (vec).cap ? 0 : kg__grow((void **)&(vec).v, &(vec).cap, (need), sizeof *(vec).v))
/* Append x; evaluates to 0 or -1 (out of memory). */
#define KG_VEC_PUSH(vec, x) \
	(KG_VEC_RESERVE(vec, (vec).n + 1) ? -1 : ((vec).v[(vec).n++] = (x), 0))
#define KG_VEC_FREE(vec) (kg__free((vec).v), (vec).v = NULL, (vec).n = (vec).cap = 0)

/* A growable byte buffer, always NUL-terminated once anything was added. */
typedef struct kg__buf {
	char *p;
	size_t n, cap;
} kg__buf;
int kg__buf_add(kg__buf *b, const char *s, size_t len);
int kg__buf_puts(kg__buf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int kg__buf_printf(kg__buf *b, const char *fmt, ...);
/* Append printf-style text, as long as it is, formatted in the "C" locale
 * whatever the program's locale (a decimal point is always '.'). 0, or -1
 * when out of memory (b unchanged but for its capacity). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
int kg__buf_vprintf(kg__buf *b, const char *fmt, va_list ap);
void kg__buf_free(kg__buf *b);
/* Append s through kg_text_escape (kgraph/text.h): no character of it
 * can break the line or drive a terminal. 0, or -1 when out of memory.
 * (escape.c) */
int kg__buf_escape(kg__buf *b, const char *s);

/* Must a YAML writer give key k as an explicit key ("? k")? YAML reads at
 * most 1024 characters of a simple key and an escaped character takes up
 * to six, so: a key over 160 bytes with anything but id characters, or
 * over 1000 bytes. Shared by export -T yaml and the import builder. */
bool kg__yaml_explicit_key(const char *k);

/* 64-bit hash of a byte string (wyhash-style multiply-mix). */
uint64_t kg__hash(const void *data, size_t len);

/* How many CPUs this process may run on (its affinity), at least 1. */
long kg__cpus_available(void);

/* Edit distance between a and b (insertions, deletions, substitutions and
 * swaps of neighbours each count 1), or max+1 as soon as it is known to
 * exceed max. O(len_a * len_b) time, O(len_b) space; strings longer than
 * KG_MAX_SUGGEST_BYTES bytes are never close. */
unsigned kg__edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/* The largest edit distance at which a name of this length still counts as
 * "close" for a did-you-mean hint. */
unsigned kg__suggest_distance(size_t len);

/* The one of names[0..n-1] closest to text (len bytes) within
 * kg__suggest_distance(len), the first on a tie, or NULL: the "did you
 * mean" of every list of known words (keys, keywords, option values).
 * With fold, ASCII letters match in either case (for keywords). O(n) edit
 * distances. */
const char *kg__closest(const char *text, size_t len, const char *const *names, size_t n, bool fold);


/* The index of name in names[0..n-1] (any ASCII case), or -1. */
int kg__name_index(const char *name, const char *const *names, size_t n);

/* Parse a number the way the YAML 1.2 core schema writes one (digits,
 * an optional fraction and exponent, no hex, no spaces, no .inf/.nan), at
 * most KG_MAX_NUMBER_BYTES; 0 and *out set when it is one and finite, else -1.
 * The decimal point is '.' whatever the program's locale. */
int kg__parse_number(const char *s, size_t len, double *out);

/* strtod in the "C" locale, whatever locale the program has set: use it
 * instead of strtod and atof everywhere in the library. */
double kg__strtod(const char *s, char **end);

/* The number of bits set in x. */
static inline uint32_t kg__popcount64(uint64_t x)
{
#if defined(__GNUC__)
	return (uint32_t)__builtin_popcountll(x);
#else
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (uint32_t)((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

/* Whether an options struct's version field (kgraph/load.h, query.h,
 * render.h) is one this library knows: 1 up to the headers' current one.
 * A newer struct than the library knows, or one never initialised, is
 * refused with KG_EARG. */
#define KG__OPTIONS_VERSION_OK(version, current) ((version) >= 1 && (version) <= (current))

/* Is x one of the n values of list? O(n). */
int kg__in_list(const uint32_t *list, size_t n, uint32_t x);

#endif
