/*
 * fold.c - case folding for name lookup, the one place kgraph uses
 * utf8proc. Names are compared after full Unicode case folding and NFC
 * normalisation, so "ЗЕЛЕНСЬКИЙ", "зеленський" and a decomposed "é" all
 * meet their written forms. The text as written is never changed; only
 * the lookup key is folded.
 *
 * The same tables fold a quote and its source's text so that what copying
 * from a web page or a PDF changes (curly quotes, dashes, no-break spaces,
 * composed or decomposed accents) does not hide a quote that is there.
 * Also the display width of text (kg_text_width), which needs utf8proc's
 * tables too, and the looser key of `kgraph search` (kg__fold_search),
 * which also drops accents.
 */
#include "util/fold.h"
#include "kgraph/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

int kg__fold(kg__buf *buf, const char *text, size_t len)
{
	size_t i;
	utf8proc_int32_t *cps;
	utf8proc_ssize_t n, need;
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;

	buf->n = 0;
	for (i = 0; i < len && !((unsigned char)text[i] & 0x80); i++)
		;
	if (i == len) {
		/* ASCII, the common case: no tables, no allocation. */
		if (kg__buf_add(buf, text, len))
			return KG__FOLD_NOMEM;
		for (i = 0; i < len; i++)
			if (buf->p[i] >= 'A' && buf->p[i] <= 'Z')
				buf->p[i] = (char)(buf->p[i] - 'A' + 'a');
		return 0;
	}
	if (len > (size_t)PTRDIFF_MAX / 8)
		return KG__FOLD_NOMEM;
	need = utf8proc_decompose((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, NULL, 0, opts);
	if (need < 0)
		return need == UTF8PROC_ERROR_NOMEM ? KG__FOLD_NOMEM : KG__FOLD_INVALID;
	/* Room for the code points, then reencoding in place needs up to 4
	 * bytes per code point, which fits in the same space. */
	if (kg__grow((void **)&buf->p, &buf->cap, (size_t)need * sizeof *cps + 1, 1))
		return KG__FOLD_NOMEM;
	cps = (utf8proc_int32_t *)(void *)buf->p;
	n = utf8proc_decompose((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, cps, need, opts);
	if (n < 0 || n > need)
		return n == UTF8PROC_ERROR_NOMEM ? KG__FOLD_NOMEM : KG__FOLD_INVALID;
	n = utf8proc_reencode(cps, n, opts);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? KG__FOLD_NOMEM : KG__FOLD_INVALID;
	buf->n = (size_t)n;
	buf->p[n] = '\0';
	return 0;
}

int kg__fold_search(kg__buf *buf, const char *text, size_t len)
{
	/* Compatibility decomposition, so that ligatures and full-width
	 * letters meet their plain forms; marks stripped after it, so that
	 * "München" and the "İ" of "İstanbul" (which folds to i and a
	 * combining dot) meet "munchen" and "istanbul"; LUMP turns Unicode
	 * dashes and spaces into their ASCII forms, which a search treats as
	 * separators between words. */
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
	                               UTF8PROC_STRIPMARK | UTF8PROC_LUMP;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;
	size_t i;
	int rc;

	for (i = 0; i < len && !((unsigned char)text[i] & 0x80); i++)
		;
	if (i == len)
		return kg__fold(buf, text, len); /* ASCII: lower case is all there is */
	buf->n = 0;
	if (len > (size_t)PTRDIFF_MAX / 8)
		return KG__FOLD_NOMEM;
	n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, &mapped, opts);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? KG__FOLD_NOMEM : KG__FOLD_INVALID;
	rc = kg__buf_add(buf, (const char *)mapped, (size_t)n) ? KG__FOLD_NOMEM : 0;
	free(mapped); /* utf8proc_map allocates with malloc */
	return rc;
}

/* What a code point becomes in a quote's comparison form: itself, a
 * replacement ASCII character, ' ' for any space, or 0 to drop it. */
static utf8proc_int32_t typographic(utf8proc_int32_t c)
{
	switch (c) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
	case 0x2039: case 0x203A: case 0xFF07:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
	case 0x00AB: case 0x00BB: case 0xFF02:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		return '-';
	case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
		return 0;
	case '\t': case '\n': case '\v': case '\f': case '\r': case 0x85: case 0x2028: case 0x2029:
		return ' ';
	default:
		return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS ? ' ' : c;
	}
}

int kg__fold_typography(kg__buf *buf, const char *text, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text, *end = p + len;
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_int32_t *cps = NULL;
	utf8proc_ssize_t n;
	int pending = 0, rc = 0;

	buf->n = 0;
	if (kg__buf_add(buf, "", 0))
		return KG__FOLD_NOMEM;
	/* NFC when the text is UTF-8; otherwise it is compared as it is. */
	n = len <= (size_t)PTRDIFF_MAX / 8
	        ? utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, (utf8proc_uint8_t **)&cps, opts)
	        : UTF8PROC_ERROR_NOMEM;
	if (n == UTF8PROC_ERROR_NOMEM)
		return KG__FOLD_NOMEM;
	if (n >= 0) {
		p = (const utf8proc_uint8_t *)cps;
		end = p + n;
	}
	while (p < end && rc == 0) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &c);
		utf8proc_uint8_t out[4];
		if (k <= 0) { /* not UTF-8: the byte as it is */
			c = -1;
			k = 1;
		}
		if (c >= 0 && (c = typographic(c)) == 0) {
			p += k;
			continue;
		}
		if (c == ' ') {
			pending = buf->n > 0;
			p += k;
			continue;
		}
		if (pending)
			rc = kg__buf_add(buf, " ", 1);
		pending = 0;
		if (rc == 0)
			rc = c < 0 ? kg__buf_add(buf, (const char *)p, 1)
			           : kg__buf_add(buf, (const char *)out, (size_t)utf8proc_encode_char(c, out));
		p += k;
	}
	free(cps); /* utf8proc_map allocates with malloc */
	return rc ? KG__FOLD_NOMEM : 0;
}

size_t kg_text_width(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0, w = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		if (p[i] < 0x80) {
			w += p[i] >= 0x20 && p[i] != 0x7F;
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			w++; /* a byte that is not UTF-8: one column, as its escape is written in four */
			i++;
			continue;
		}
		w += (size_t)utf8proc_charwidth(cp);
		i += (size_t)n;
	}
	return w;
}

size_t kg__search_words(kg__buf *words, const char *q)
{
	size_t n = 0;
	const char *p = q;

	words->n = 0;
	while (*p) {
		const char *s;
		while (*p && !kg__is_word_byte((unsigned char)*p))
			p++;
		if (!*p)
			break;
		for (s = p; *p && kg__is_word_byte((unsigned char)*p); p++)
			;
		if ((n && kg__buf_add(words, " ", 1)) || kg__buf_add(words, s, (size_t)(p - s)))
			return (size_t)-1;
		n++;
	}
	if (kg__buf_add(words, "", 0))
		return (size_t)-1;
	return n;
}
