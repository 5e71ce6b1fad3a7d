/*
 * escape.c - text from the graph, escaped for each output the exporter
 * writes: JSON, XML, CSV, Turtle, YAML, Cypher and IRIs.
 *
 * Graph text is valid UTF-8 without NUL (the loader guarantees both), so
 * every function copies runs of ordinary bytes in one piece and looks only
 * at the few bytes (and, for YAML and XML, the few multi-byte characters)
 * that its format gives a meaning to. Each produces text that its
 * format's reader turns back into exactly the input, except where the
 * format cannot hold a character (see x_xml).
 */
#include "export/export_internal.h"

#include <string.h>

/* Copy s[from, to) unchanged. */
static void run(kg__export *x, const char *s, size_t from, size_t to)
{
	if (to > from)
		x_put(x, s + from, to - from);
}

/* Escape with a per-byte table: esc(c) returns the replacement of byte c,
 * or NULL to keep it. The replacement may be written into buf. */
typedef const char *(*esc_fn)(unsigned char c, char buf[16]);

static void escape(kg__export *x, const char *s, esc_fn esc)
{
	size_t i, from = 0;
	char buf[16];

	for (i = 0; s[i]; i++) {
		const char *r = esc((unsigned char)s[i], buf);
		if (!r)
			continue;
		run(x, s, from, i);
		x_puts(x, r);
		from = i + 1;
	}
	run(x, s, from, i);
}

static const char *hex4(char buf[16], unsigned c)
{
	static const char digits[] = "0123456789ABCDEF";
	buf[0] = '\\';
	buf[1] = 'u';
	buf[2] = '0';
	buf[3] = '0';
	buf[4] = digits[(c >> 4) & 15];
	buf[5] = digits[c & 15];
	buf[6] = '\0';
	return buf;
}

/* The escapes JSON, Turtle and Cypher share for C0 and backslash. */
static const char *c_escape(unsigned char c, char buf[16])
{
	switch (c) {
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\b': return "\\b";
	case '\f': return "\\f";
	default: return c < 0x20 || c == 0x7f ? hex4(buf, c) : NULL;
	}
}

static const char *json_esc(unsigned char c, char buf[16])
{
	return c == '"' ? "\\\"" : c == 0x7f ? NULL : c_escape(c, buf);
}

void x_json(kg__export *x, const char *s)
{
	x_put(x, "\"", 1);
	escape(x, s, json_esc);
	x_put(x, "\"", 1);
}

static const char *ttl_esc(unsigned char c, char buf[16])
{
	return c == '"' ? "\\\"" : c_escape(c, buf);
}

void x_ttl(kg__export *x, const char *s)
{
	x_put(x, "\"", 1);
	escape(x, s, ttl_esc);
	x_put(x, "\"", 1);
}

static const char *cypher_esc(unsigned char c, char buf[16])
{
	return c == '\'' ? "\\'" : c_escape(c, buf);
}

void x_cypher(kg__export *x, const char *s)
{
	x_put(x, "'", 1);
	escape(x, s, cypher_esc);
	x_put(x, "'", 1);
}

static const char *backtick_esc(unsigned char c, char buf[16])
{
	(void)buf;
	return c == '`' ? "``" : NULL;
}

void x_cypher_name(kg__export *x, const char *s)
{
	x_put(x, "`", 1);
	escape(x, s, backtick_esc);
	x_put(x, "`", 1);
}

/* ---- XML ------------------------------------------------------------------ */

void x_xml(kg__export *x, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, from = 0;

	for (i = 0; u[i]; i++) {
		const char *r = NULL;
		size_t skip = 1;
		switch (u[i]) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&apos;"; break;
		/* as references, so that attribute-value normalisation and
		 * line-end handling give them back unchanged */
		case '\t': r = "&#9;"; break;
		case '\n': r = "&#10;"; break;
		case '\r': r = "&#13;"; break;
		case 0xEF: /* U+FFFE and U+FFFF are not XML characters */
			if (u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
				r = "\xEF\xBF\xBD";
				skip = 3;
				x->replaced++;
			}
			break;
		default:
			if (u[i] < 0x20) {
				r = "\xEF\xBF\xBD";
				x->replaced++;
			}
			break;
		}
		if (!r)
			continue;
		run(x, s, from, i);
		x_puts(x, r);
		i += skip - 1;
		from = i + 1;
	}
	run(x, s, from, i);
}

/* ---- CSV ------------------------------------------------------------------ */

void x_csv(kg__export *x, const char *s)
{
	size_t len = strlen(s), i, from = 0;

	if (!strpbrk(s, ",\"\r\n") && !(len && (s[0] == ' ' || s[len - 1] == ' '))) {
		x_put(x, s, len);
		return;
	}
	x_put(x, "\"", 1);
	for (i = 0; i < len; i++)
		if (s[i] == '"') {
			run(x, s, from, i + 1); /* the quote, then it again */
			from = i;
		}
	run(x, s, from, len);
	x_put(x, "\"", 1);
}

/* ---- YAML ----------------------------------------------------------------- */

void x_yaml(kg__export *x, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, from = 0;
	char buf[16];

	x_put(x, "\"", 1);
	for (i = 0; u[i]; i++) {
		const char *r = NULL;
		size_t skip = 1;
		if (u[i] == '"')
			r = "\\\"";
		else if (u[i] < 0x80 && u[i] != 0x7f)
			r = c_escape(u[i], buf);
		else if (u[i] == 0x7f)
			r = "\\x7F";
		else if (u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			/* C1 controls (NEL among them) may not appear raw */
			static const char digits[] = "0123456789ABCDEF";
			buf[0] = '\\';
			buf[1] = 'x';
			buf[2] = digits[u[i + 1] >> 4];
			buf[3] = digits[u[i + 1] & 15];
			buf[4] = '\0';
			r = buf;
			skip = 2;
		} else if (u[i] == 0xE2 && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
			/* line and paragraph separators would be folded */
			r = u[i + 2] == 0xA8 ? "\\L" : "\\P";
			skip = 3;
		} else if (u[i] == 0xEF && u[i + 1] == 0xBB && u[i + 2] == 0xBF) {
			r = "\\uFEFF";
			skip = 3;
		}
		if (!r)
			continue;
		run(x, s, from, i);
		x_puts(x, r);
		i += skip - 1;
		from = i + 1;
	}
	run(x, s, from, i);
	x_put(x, "\"", 1);
}

/* ---- IRIs ----------------------------------------------------------------- */

void x_pct(kg__export *x, const char *s)
{
	static const char digits[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, from = 0;

	for (i = 0; u[i]; i++) {
		char b[4];
		if ((u[i] >= 'A' && u[i] <= 'Z') || (u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') ||
		    u[i] == '-' || u[i] == '.' || u[i] == '_' || u[i] == '~')
			continue;
		run(x, s, from, i);
		b[0] = '%';
		b[1] = digits[u[i] >> 4];
		b[2] = digits[u[i] & 15];
		x_put(x, b, 3);
		from = i + 1;
	}
	run(x, s, from, i);
}
