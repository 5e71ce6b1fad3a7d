/*
 * json.c - the strict, bounded JSON reader the importers share (json.h).
 *
 * A recursive descent over the bytes, one level of recursion per level of
 * nesting, stopped at KG_MAX_JSON_DEPTH; strings are decoded into the
 * arena as they are read and checked as UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF), so that whatever an importer puts
 * in a graph is text the loader accepts. The first error stops the parse:
 * a JSON file that is wrong in one place is rarely right after it.
 */
#include "import/json.h"

#include "kgraph/limits.h"

#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jp {
	const unsigned char *p, *end;
	unsigned line, col;
	kg__arena *arena;
	kg__json_error *err;
	char *tmp;      /* a string being decoded */
	size_t tmpcap;
	unsigned sline, scol; /* where it starts */
} jp;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(jp *j, const char *fmt, ...)
{
	va_list ap;

	j->err->line = j->line;
	j->err->col = j->col;
	va_start(ap, fmt);
	vsnprintf(j->err->msg, sizeof j->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(jp *j)
{
	j->err->line = 0;
	j->err->col = 0;
	snprintf(j->err->msg, sizeof j->err->msg, "out of memory");
	return -1;
}

/* Step over one byte, counting columns in characters (a UTF-8
 * continuation byte does not start one). */
static void step(jp *j)
{
	kg__text_step(&j->line, &j->col, *j->p++);
}

static void skip_ws(jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		step(j);
}

static const char *describe(jp *j, char buf[16])
{
	if (j->p >= j->end)
		return "the end of the file";
	if (*j->p >= 0x21 && *j->p < 0x7f)
		snprintf(buf, 16, "'%c'", *j->p);
	else
		snprintf(buf, 16, "byte 0x%02X", *j->p);
	return buf;
}

static kg__jval *node(jp *j, kg__jtype t)
{
	kg__jval *v = kg__arena_alloc(j->arena, sizeof *v);

	if (v) {
		memset(v, 0, sizeof *v);
		v->type = t;
		v->line = j->line;
		v->col = j->col;
	}
	return v;
}

static int put(jp *j, size_t *n, const char *s, size_t len)
{
	if (*n + len > KG_MAX_JSON_STRING_BYTES) {
		j->line = j->sline;
		j->col = j->scol;
		return fail(j, "a string longer than %u bytes (KG_MAX_JSON_STRING_BYTES)",
		            (unsigned)KG_MAX_JSON_STRING_BYTES);
	}
	if (*n + len + 1 > j->tmpcap) {
		size_t cap = j->tmpcap ? j->tmpcap : 256;
		char *t;
		while (cap < *n + len + 1)
			cap *= 2;
		t = kg__arena_alloc(j->arena, cap); /* the old one stays in the arena: strings are short */
		if (!t)
			return oom(j);
		if (*n)
			memcpy(t, j->tmp, *n);
		j->tmp = t;
		j->tmpcap = cap;
	}
	memcpy(j->tmp + *n, s, len);
	*n += len;
	return 0;
}

static size_t utf8_encode(char out[4], unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t kg__utf8_valid(const unsigned char *p, const unsigned char *end)
{
	unsigned c;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, c = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, c = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	return n;
}

static int hex4(jp *j, unsigned *out)
{
	unsigned c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned char h = j->p < j->end ? *j->p : 0;
		c <<= 4;
		if (h >= '0' && h <= '9')
			c |= h - '0';
		else if (h >= 'a' && h <= 'f')
			c |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			c |= h - 'A' + 10;
		else
			return fail(j, "\\u needs four hexadecimal digits");
		step(j);
	}
	*out = c;
	return 0;
}

/* A string at the opening quote: its decoded text in *s, *len. */
static int string(jp *j, const char **s, size_t *len)
{
	size_t n = 0;
	char buf[4];

	j->sline = j->line;
	j->scol = j->col;
	step(j); /* " */
	for (;;) {
		const unsigned char *from = j->p;
		size_t k;
		while (j->p < j->end && *j->p != '"' && *j->p != '\\' && *j->p >= 0x20 && *j->p < 0x80)
			step(j);
		if (j->p > from && put(j, &n, (const char *)from, (size_t)(j->p - from)) != 0)
			return -1;
		if (j->p >= j->end)
			return fail(j, "a string is not closed before the end of the file");
		if (*j->p == '"') {
			step(j);
			break;
		}
		if (*j->p < 0x20)
			return fail(j, "a control character (0x%02X) in a string; write it as \\u%04X", *j->p, *j->p);
		if (*j->p >= 0x80) {
			if (!(k = kg__utf8_valid(j->p, j->end)))
				return fail(j, "a string is not valid UTF-8 (byte 0x%02X)", *j->p);
			if (put(j, &n, (const char *)j->p, k) != 0)
				return -1;
			while (k--)
				step(j);
			continue;
		}
		step(j); /* backslash */
		if (j->p >= j->end)
			return fail(j, "a string is not closed before the end of the file");
		{
			unsigned char e = *j->p;
			const char *simple = NULL;
			unsigned c = 0;
			switch (e) {
			case '"': simple = "\""; break;
			case '\\': simple = "\\"; break;
			case '/': simple = "/"; break;
			case 'b': simple = "\b"; break;
			case 'f': simple = "\f"; break;
			case 'n': simple = "\n"; break;
			case 'r': simple = "\r"; break;
			case 't': simple = "\t"; break;
			case 'u': break;
			default: return fail(j, "unknown escape \\%c in a string", e >= 0x21 && e < 0x7f ? e : '?');
			}
			step(j);
			if (simple) {
				if (put(j, &n, simple, 1) != 0)
					return -1;
				continue;
			}
			if (hex4(j, &c) != 0)
				return -1;
			if (c >= 0xDC00 && c <= 0xDFFF)
				return fail(j, "\\u%04X is a low surrogate without a high one before it", c);
			if (c >= 0xD800 && c <= 0xDBFF) {
				unsigned lo = 0;
				if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
					return fail(j, "\\u%04X is a high surrogate without a low one after it", c);
				step(j);
				step(j);
				if (hex4(j, &lo) != 0)
					return -1;
				if (lo < 0xDC00 || lo > 0xDFFF)
					return fail(j, "\\u%04X is a high surrogate without a low one after it", c);
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (c == 0)
				return fail(j, "\\u0000 in a string: text in a graph cannot hold a NUL");
			if (put(j, &n, buf, utf8_encode(buf, c)) != 0)
				return -1;
		}
	}
	if (put(j, &n, "", 0) != 0)
		return -1;
	if (!(*s = kg__arena_strndup(j->arena, n ? j->tmp : "", n)))
		return oom(j);
	*len = n;
	return 0;
}

/* A number, checked against RFC 8259's grammar; kept as its text. */
static int number(jp *j, kg__jval *v)
{
	const unsigned char *from = j->p;
	size_t len;

	if (*j->p == '-')
		step(j);
	if (j->p < j->end && *j->p == '0') {
		step(j);
		if (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			return fail(j, "a number may not start with 0 followed by digits");
	}
	else if (j->p < j->end && *j->p >= '1' && *j->p <= '9')
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			step(j);
	else
		return fail(j, "a number needs a digit here");
	if (j->p < j->end && *j->p == '.') {
		step(j);
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "a number needs a digit after its decimal point");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			step(j);
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		step(j);
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			step(j);
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "a number needs a digit in its exponent");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			step(j);
	}
	len = (size_t)(j->p - from);
	if (len > KG_MAX_NUMBER_BYTES) {
		j->col = v->col;
		return fail(j, "a number longer than %d characters (KG_MAX_NUMBER_BYTES)", KG_MAX_NUMBER_BYTES);
	}
	if (!(v->s = kg__arena_strndup(j->arena, (const char *)from, len)))
		return oom(j);
	v->len = len;
	return 0;
}

static int word(jp *j, const char *w)
{
	size_t n = strlen(w);
	char buf[16];

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return fail(j, "expected a value, found %s", describe(j, buf));
	while (n--)
		step(j);
	return 0;
}

static int value(jp *j, kg__jval **out, unsigned depth);

static int by_key(const void *a, const void *b)
{
	const kg__jval *x = *(const kg__jval *const *)a, *y = *(const kg__jval *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

/* A member name given twice is an error (RFC 8259 leaves it open; a
 * reader that silently takes one of them would lose the other). Sorting
 * costs O(n log n), so an object of a million members is still fast. */
static int unique_keys(jp *j, const kg__jval *o)
{
	const kg__jval **m, *c;
	size_t i = 0;
	int rc = 0;

	if (o->n < 2)
		return 0;
	if (!(m = kg__malloc(o->n * sizeof *m)))
		return oom(j);
	for (c = o->child; c; c = c->next)
		m[i++] = c;
	qsort(m, o->n, sizeof *m, by_key);
	for (i = 1; i < o->n; i++)
		if (strcmp(m[i - 1]->key, m[i]->key) == 0) {
			j->line = m[i]->line;
			j->col = m[i]->col;
			rc = fail(j, "member '%.60s' is given twice (first at line %u, column %u)", m[i]->key, m[i - 1]->line,
			          m[i - 1]->col);
			break;
		}
	kg__free(m);
	return rc;
}

/* The items of an array or the members of an object, at its bracket. */
static int items(jp *j, kg__jval *v, unsigned depth)
{
	int object = v->type == KG__J_OBJECT;
	char close = object ? '}' : ']', buf[16];
	kg__jval **tail = &v->child;

	if (depth >= KG_MAX_JSON_DEPTH)
		return fail(j, "nesting deeper than %d levels (KG_MAX_JSON_DEPTH)", KG_MAX_JSON_DEPTH);
	step(j);
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		step(j);
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen;
		kg__jval *item;
		if (object) {
			if (j->p >= j->end || *j->p != '"')
				return fail(j, "expected a member name in double quotes, found %s", describe(j, buf));
			if (string(j, &key, &klen) != 0)
				return -1;
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return fail(j, "expected ':' after a member name, found %s", describe(j, buf));
			step(j);
		}
		if (value(j, &item, depth + 1) != 0)
			return -1;
		item->key = key;
		*tail = item;
		tail = &item->next;
		v->n++;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			step(j);
			skip_ws(j);
			if (j->p < j->end && *j->p == close)
				return fail(j, "a comma before '%c': JSON has no trailing commas", close);
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			step(j);
			return object ? unique_keys(j, v) : 0;
		}
		return fail(j, "expected ',' or '%c', found %s", close, describe(j, buf));
	}
}

static int value(jp *j, kg__jval **out, unsigned depth)
{
	kg__jval *v;
	char buf[16];

	skip_ws(j);
	if (j->p >= j->end)
		return fail(j, "expected a value, found the end of the file");
	switch (*j->p) {
	case '{': v = node(j, KG__J_OBJECT); break;
	case '[': v = node(j, KG__J_ARRAY); break;
	case '"': v = node(j, KG__J_STRING); break;
	case 't': v = node(j, KG__J_TRUE); break;
	case 'f': v = node(j, KG__J_FALSE); break;
	case 'n': v = node(j, KG__J_NULL); break;
	default:
		if (*j->p != '-' && (*j->p < '0' || *j->p > '9'))
			return fail(j, "expected a value, found %s", describe(j, buf));
		v = node(j, KG__J_NUMBER);
	}
	if (!v)
		return oom(j);
	*out = v;
	switch (v->type) {
	case KG__J_OBJECT:
	case KG__J_ARRAY: return items(j, v, depth);
	case KG__J_STRING: return string(j, &v->s, &v->len);
	case KG__J_TRUE: return word(j, "true");
	case KG__J_FALSE: return word(j, "false");
	case KG__J_NULL: return word(j, "null");
	default: return number(j, v);
	}
}

int kg__json_parse(kg__jval **out, kg__arena *arena, const char *data, size_t len, kg__json_error *err)
{
	jp j;
	char buf[16];

	memset(&j, 0, sizeof j);
	j.p = (const unsigned char *)data;
	j.end = j.p + len;
	j.line = j.col = 1;
	j.arena = arena;
	j.err = err;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		j.p += 3; /* a byte order mark, as some Windows tools write */
	if (value(&j, out, 0) != 0)
		return -1;
	skip_ws(&j);
	if (j.p < j.end)
		return fail(&j, "more after the end of the document: %s", describe(&j, buf));
	return 0;
}

const kg__jval *kg__json_get(const kg__jval *o, const char *key)
{
	const kg__jval *m;

	if (!o || o->type != KG__J_OBJECT)
		return NULL;
	for (m = o->child; m; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

void kg__json_shift_lines(kg__jval *v, unsigned n)
{
	kg__jval *c;

	v->line += n;
	for (c = v->child; c; c = c->next)
		kg__json_shift_lines(c, n); /* as deep as the document: at most KG_MAX_JSON_DEPTH */
}
