/*
 * escape.c - user text and urls as Graphviz attribute values.
 *
 * Pipeline position: render. Invariant: user text (names, labels,
 * attribute values, quotes, titles) reaches a drawing only through
 * kg__val_text, and a url only through kg__val_url after kg__url_allowed;
 * ids in the drawing come from entity and type ids, whose syntax
 * ([A-Za-z0-9][A-Za-z0-9_.-]*) needs no escaping. The result is a final
 * Graphviz value: DOT quoting is the DOT writer's job (dot.c).
 */
#include "render/render_internal.h"
#include "kgraph/common.h"

#include <string.h>
#include <strings.h>

/* Code points in the word starting at s (up to a space, newline or end). */
static size_t word_chars(const char *s)
{
	size_t n = 0;

	for (; *s && *s != ' ' && *s != '\n'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Append user text as a Graphviz escString, so that it is drawn exactly
 * as written:
 * - a backslash is doubled in labels; tooltips go through Graphviz's
 *   escape processing twice in 2.43 (a doubled backslash came out as
 *   \N expanded), so there it is written four times;
 * - & becomes &amp;, since Graphviz reads HTML entities in text;
 * - a newline becomes the escString \n (a centred line break); a CR is
 *   dropped and a tab becomes a space;
 * - other control characters and U+FFFE/U+FFFF, which XML cannot carry,
 *   become U+FFFD;
 * - with wrap > 0, a space becomes a line break where the line would
 *   otherwise exceed wrap characters.
 * A " needs nothing here (the DOT writer quotes it). Returns 0 or -1.
 */
static int put_text(kg__buf *b, const char *s, kg__esc kind, unsigned wrap)
{
	size_t line = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc = 0;
		if (c == '\\')
			rc = kg__buf_add(b, "\\\\\\\\", kind == KG__ESC_TOOLTIP ? 4 : 2);
		else if (c == '&')
			rc = kg__buf_add(b, "&amp;", 5);
		else if (c == '\n') {
			if (kg__buf_add(b, "\\n", 2))
				return -1;
			line = 0;
			continue;
		} else if (c == '\r')
			continue;
		else if (c == ' ' && wrap && line && line + 1 + word_chars(s + 1) > wrap) {
			rc = kg__buf_add(b, "\\n", 2);
			line = 0;
			if (rc)
				return -1;
			continue;
		} else if (c == '\t')
			rc = kg__buf_add(b, " ", 1);
		else if (c < 0x20 || c == 0x7F)
			rc = kg__buf_add(b, "\xEF\xBF\xBD", 3);
		else if (c == 0xEF && (unsigned char)s[1] == 0xBF &&
		         ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF)) {
			rc = kg__buf_add(b, "\xEF\xBF\xBD", 3);
			s += 2;
		} else
			rc = kg__buf_add(b, s, 1);
		if (rc)
			return -1;
		if ((c & 0xC0) != 0x80)
			line++;
	}
	return 0;
}

bool kg__url_allowed(const char *u)
{
	return (strncasecmp(u, "http://", 7) == 0 && u[7]) || (strncasecmp(u, "https://", 8) == 0 && u[8]);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Append an allowed url for Graphviz's URL attribute. Graphviz 2.43 copies
 * it into the SVG unescaped, so it must already be valid inside an XML
 * attribute: & becomes &amp; (which the SVG reader turns back into &, so
 * query strings keep their meaning); every byte outside the URI's
 * unreserved and reserved characters (", <, >, ', \, space, controls,
 * non-ASCII) is percent-encoded, as is a % not starting an escape. No
 * backslash survives, so Graphviz's escString processing cannot touch it.
 */
static int put_url(kg__buf *b, const char *u)
{
	static const char keep[] = "-._~:/?#[]@!$()*+,;=";

	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;
		int rc;
		if (c == '&')
			rc = kg__buf_add(b, "&amp;", 5);
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         (c && strchr(keep, c)) || (c == '%' && is_hex(u[1]) && is_hex(u[2])))
			rc = kg__buf_add(b, u, 1);
		else
			rc = kg__buf_printf(b, "%%%02X", c);
		if (rc)
			return -1;
	}
	return 0;
}

size_t kg__val_text(kg__builder *b, const char *s, kg__esc kind, unsigned wrap)
{
	size_t at = b->d->text.n;
	if (put_text(&b->d->text, s, kind, wrap))
		b->err = KG_ENOMEM;
	return kg__val_end(b, at);
}

size_t kg__val_url(kg__builder *b, const char *url)
{
	size_t at = b->d->text.n;
	if (put_url(&b->d->text, url))
		b->err = KG_ENOMEM;
	return kg__val_end(b, at);
}
