/*
 * fold.c - case folding for name lookup, the one place kgraph uses
 * utf8proc. Names are compared after full Unicode case folding and NFC
 * normalisation, so "ЗЕЛЕНСЬКИЙ", "зеленський" and a decomposed "é" all
 * meet their written forms. The text as written is never changed; only
 * the lookup key is folded. Also the display width of text
 * (kg_text_width), which needs utf8proc's tables too.
 */
#include "util/fold.h"
#include "kgraph/text.h"

#include <stdint.h>
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
