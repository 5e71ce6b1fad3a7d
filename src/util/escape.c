/*
 * escape.c - kg_text_escape: the one place that decides which characters
 * of a graph's text may reach a terminal as they are (kgraph/text.h).
 *
 * Used by kg_diag_format (src/core/diag_format.c) for every message and
 * file name, and by the kgraph command for its messages, its text output
 * (escapes) and its TSV cells (spaces). Text a person wrote, quotes and
 * backslashes included, passes unchanged; what could end a line (LF, CR,
 * NEL, LS, PS, a vertical tab...) or start a terminal command (ESC, the
 * one-character CSI U+009B, DEL) is written visibly, as is a byte that is
 * not UTF-8, which a terminal in a legacy 8-bit mode would read as C1.
 */
#include "kgraph/text.h"
#include "util/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at p (at most n bytes), with
 * its code point in *cp; 0 when there is none (overlong forms,
 * surrogates and code points past U+10FFFF are not valid). */
static size_t utf8_at(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (p[0] < 0xC2 || p[0] > 0xF4)
		return 0;
	len = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
	if (len > n)
		return 0;
	c = p[0] & (0x7F >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* How the character at p (n bytes left) is written: returns how many
 * bytes it takes, and puts its escape in esc ("" when it is safe). */
static size_t classify(const unsigned char *p, size_t n, char esc[8])
{
	uint32_t cp;
	size_t len;

	esc[0] = '\0';
	if (p[0] >= 0x20 && p[0] < 0x7F)
		return 1;
	if (p[0] < 0x80) {
		const char *named = p[0] == '\n' ? "\\n" : p[0] == '\r' ? "\\r" : p[0] == '\t' ? "\\t"
		                  : p[0] == 0x1B ? "\\e" : NULL;
		if (named)
			memcpy(esc, named, 3);
		else
			snprintf(esc, 8, "\\x%02x", p[0]);
		return 1;
	}
	if (!(len = utf8_at(p, n, &cp))) {
		snprintf(esc, 8, "\\x%02x", p[0]);
		return 1;
	}
	if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029)
		snprintf(esc, 8, "\\u%04x", (unsigned)cp);
	return len;
}

size_t kg_text_escape(char *out, size_t cap, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	while (i < len) {
		char esc[8];
		size_t n = classify(p + i, len - i, esc), m;
		const char *put = (const char *)p + i;
		if (*esc) {
			put = flags & KG_TEXT_SPACES ? " " : esc;
			m = strlen(put);
		} else {
			m = n;
		}
		if (o < cap)
			memcpy(out + o, put, o + m < cap ? m : cap - o);
		o += m;
		i += n;
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
	return o;
}

int kg__buf_escape(kg__buf *b, const char *s)
{
	size_t len = strlen(s), need = kg_text_escape(NULL, 0, s, len, 0);

	if (kg__grow((void **)&b->p, &b->cap, b->n + need + 1, 1))
		return -1;
	kg_text_escape(b->p + b->n, need + 1, s, len, 0);
	b->n += need;
	return 0;
}
