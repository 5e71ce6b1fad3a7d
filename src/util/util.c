#define _GNU_SOURCE /* strtod_l, sched_getaffinity */
/*
 * util.c - growable arrays, buffers, hashing, edit distance and number
 * parsing. Everything here is independent of the graph and of any input
 * format. The allocation wrappers are in alloc.c, which the test variant
 * of the library compiles with its failure hook.
 *
 * Numbers are read and written in the "C" locale whatever locale the
 * program that embeds kgraph has set: a graph file's "2.5" means the
 * same in Germany. Reading uses strtod_l with a "C" locale object made
 * once; writing (kg__buf_printf) switches the calling thread, and only
 * it, to that locale for the one call (uselocale).
 */
#include "util/util.h"
#include "kgraph/limits.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *kg__strndup(const char *s, size_t len)
{
	char *d = kg__malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

int kg__grow(void **data, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		return -1;
	p = kg__realloc(*data, ncap * elem);
	if (!p)
		return -1;
	*data = p;
	*cap = ncap;
	return 0;
}

int kg__buf_add(kg__buf *b, const char *s, size_t len)
{
	if (len > SIZE_MAX - b->n - 1 ||
	    kg__grow((void **)&b->p, &b->cap, b->n + len + 1, 1))
		return -1;
	if (len)
		memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
	return 0;
}

int kg__buf_puts(kg__buf *b, const char *s)
{
	return kg__buf_add(b, s, strlen(s));
}

/* ---- numbers in the "C" locale ------------------------------------ */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
	/* glibc returns its built-in "C" locale here without allocating. */
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The "C" locale object, or (locale_t)0 in the unlikely case that it
 * could not be made (then the program's locale is used). */
static locale_t get_c_locale(void)
{
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale;
}

double kg__strtod(const char *s, char **end)
{
	locale_t c = get_c_locale();
	return c ? strtod_l(s, end, c) : strtod(s, end);
}

int kg__buf_vprintf(kg__buf *b, const char *fmt, va_list ap)
{
	locale_t c = get_c_locale(), old = c ? uselocale(c) : (locale_t)0;
	va_list again;
	int len;

	va_copy(again, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	if (len >= 0 && (size_t)len < SIZE_MAX - b->n - 1 &&
	    kg__grow((void **)&b->p, &b->cap, b->n + (size_t)len + 1, 1) == 0) {
		vsnprintf(b->p + b->n, (size_t)len + 1, fmt, again);
		b->n += (size_t)len;
	} else {
		len = -1;
	}
	va_end(again);
	if (old)
		uselocale(old);
	return len < 0 ? -1 : 0;
}

int kg__buf_printf(kg__buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kg__buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void kg__buf_free(kg__buf *b)
{
	kg__free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t read64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

long kg__cpus_available(void)
{
	long n;
#ifdef __linux__
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return CPU_COUNT(&set);
#endif
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

uint64_t kg__hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9E3779B97F4A7C15u ^ len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		h = mix(h ^ read64(p + i), 0xA0761D6478BD642Fu);
	if (i < len) {
		uint64_t t = 0;
		memcpy(&t, p + i, len - i);
		h = mix(h ^ t, 0xE7037ED1A0B428DBu);
	}
	return mix(h, 0x8EBC6AF09C88C6E3u);
}

unsigned kg__edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
	/* Three rows of the optimal-string-alignment table: the previous
	 * two are needed to count a swap of neighbours as one edit. */
	unsigned rows[3][KG_MAX_SUGGEST_BYTES + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	size_t i, j;

	if (alen > KG_MAX_SUGGEST_BYTES || blen > KG_MAX_SUGGEST_BYTES)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	for (j = 0; j <= blen; j++)
		prev[j] = (unsigned)j;
	for (i = 1; i <= alen; i++) {
		unsigned best, *t;
		cur[0] = (unsigned)i;
		best = cur[0];
		for (j = 1; j <= blen; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen];
}

/* ASCII only, whatever the locale: keywords are ASCII. */
static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

const char *kg__closest(const char *text, size_t len, const char *const *names, size_t n, bool fold)
{
	unsigned best = kg__suggest_distance(len) + 1;
	const char *pick = NULL;
	char a[KG_MAX_SUGGEST_BYTES + 1], b[KG_MAX_SUGGEST_BYTES + 1];
	size_t i, j;

	if (fold && len <= KG_MAX_SUGGEST_BYTES) {
		for (j = 0; j < len; j++)
			a[j] = ascii_upper(text[j]);
		text = a;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i];
		size_t m = strlen(name);
		unsigned d;
		if (fold && m <= KG_MAX_SUGGEST_BYTES) {
			for (j = 0; j < m; j++)
				b[j] = ascii_upper(name[j]);
			name = b;
		}
		d = kg__edit_distance(text, len, name, m, best - 1);
		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return pick;
}

unsigned kg__suggest_distance(size_t len)
{
	if (len <= 3)
		return 1;
	if (len <= 8)
		return 2;
	return 3;
}

/* The YAML 1.2 core schema's numbers, finite ones only. */
int kg__parse_number(const char *s, size_t len, double *out)
{
	size_t i = 0, digits = 0;
	char *end;

	if (len == 0 || len > KG_MAX_NUMBER_BYTES)
		return -1;
	if (s[i] == '-' || s[i] == '+')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp++;
		if (!exp)
			return -1;
	}
	if (i != len)
		return -1;
	errno = 0;
	*out = kg__strtod(s, &end);
	if (end != s + len || !isfinite(*out))
		return -1;
	return 0;
}

int kg__in_list(const uint32_t *list, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; list && i < n; i++)
		if (list[i] == x)
			return 1;
	return 0;
}

int kg__name_index(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

bool kg__yaml_explicit_key(const char *k)
{
	size_t n = strlen(k), i;

	if (n <= 160)
		return false;
	for (i = 0; i < n; i++) /* an id's characters are never escaped */
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') ||
		      k[i] == '_' || k[i] == '.' || k[i] == '-'))
			return true;
	return n > 1000;
}
