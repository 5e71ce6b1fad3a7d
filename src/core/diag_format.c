/*
 * diag_format.c - a diagnostic as people read it: the compiler format that
 * editors and terminals already understand,
 *
 *   FILE:LINE:COLUMN: error: MESSAGE
 *    LINE | the source line
 *         |     ^
 *   hint: HINT
 *   FILE:LINE:COLUMN: note: RELATED MESSAGE
 *
 * so that a program embedding kgraph shows errors as the kgraph command
 * does without writing its own printer. The text is built in a buffer of
 * any length (nothing is cut at a fixed size) and never carries a control
 * character from the input: a source line cannot drive the terminal, and
 * a message, hint or file name goes through kg_text_escape (escape.c).
 */
#include "kgraph/diag.h"
#include "kgraph/common.h"
#include "kgraph/text.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char *severity_name(kg_severity s)
{
	switch (s) {
	case KG_SEV_ERROR: return "error";
	case KG_SEV_WARNING: return "warning";
	default: return "note";
	}
}

/* FILE:LINE:COLUMN, as much of it as is known; "kgraph" for no file. */
static int put_location(kg__buf *b, const kg_location *l)
{
	if (!l->file)
		return kg__buf_puts(b, "kgraph");
	if (kg__buf_escape(b, l->file) || !l->line)
		return kg__buf_puts(b, "");
	if (!l->column)
		return kg__buf_printf(b, ":%u", l->line);
	return kg__buf_printf(b, ":%u:%u", l->line, l->column);
}

/* Length of the UTF-8 character at p (1 for a byte that starts none). */
static size_t char_len(const unsigned char *p)
{
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	n = p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return n ? n : 1;
}

/* Characters from..to (1-based, inclusive) of text. A control character
 * or a byte that is not UTF-8 becomes '?'. */
static int put_chars(kg__buf *b, const char *text, unsigned from, unsigned to)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned col = 1;

	while (*p && col <= to) {
		size_t n = char_len(p);
		if (col >= from) {
			int ok = *p == '\t' || (*p >= 0x20 && *p != 0x7F && (n > 1 || *p < 0x80));
			if (kg__buf_add(b, ok ? (const char *)p : "?", ok ? n : 1))
				return -1;
		}
		p += n;
		col++;
	}
	return 0;
}

/* Characters of a source line shown around the column: a long line is
 * shown as a window of this many, with "..." at the cut ends. */
#define SNIPPET_WIDTH 120

/* The source line, then a caret under the column-th character. Tabs in
 * the line are kept in the padding so that the caret lines up. The text
 * may be an excerpt of the line, from column first, with more after it. */
static int put_caret(kg__buf *b, const kg_diag *d)
{
	const char *text = d->source_line;
	const unsigned char *p = (const unsigned char *)text;
	unsigned first = d->source_column ? d->source_column : 1, column = d->where.column, nchars = 0, from = 1,
		 to, end, col;
	char num[16];
	int width = snprintf(num, sizeof num, "%u", d->where.line);

	for (; *p; p += char_len(p))
		nchars++;
	end = first + nchars - 1; /* the column of the last character held */
	if (column < first || column > end + 1)
		return 0; /* a caret would point at nothing */
	if ((end > SNIPPET_WIDTH || d->source_more) && column > SNIPPET_WIDTH / 2)
		from = column - SNIPPET_WIDTH / 2;
	if (from < first)
		from = first;
	to = from + SNIPPET_WIDTH - 1;
	if (kg__buf_printf(b, " %s | %s", num, from > 1 ? "..." : "") ||
	    put_chars(b, text, from - first + 1, to - first + 1) ||
	    kg__buf_printf(b, "%s\n %*s | %s", to < end || d->source_more ? "..." : "", width, "",
	                   from > 1 ? "   " : ""))
		return -1;
	/* The padding is as wide on screen as what it stands under: two
	 * columns for a CJK character, none for a combining accent (columns
	 * count characters, a terminal counts cells). A character shown as
	 * '?' (put_chars) takes one. */
	for (p = (const unsigned char *)text, col = first; *p && col < column; p += char_len(p), col++) {
		size_t n = char_len(p), w;
		if (col < from)
			continue;
		if (*p == '\t') {
			if (kg__buf_add(b, "\t", 1))
				return -1;
			continue;
		}
		w = *p < 0x80 || n == 1 ? 1 : kg_text_width((const char *)p, n);
		/* A C1 control (NEL) or a line or paragraph separator has no
		 * width, but is written as it is and terminals give it a cell. */
		if (!w && ((n == 2 && p[0] == 0xC2 && p[1] < 0xA0) ||
		           (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))))
			w = 1;
		while (w--)
			if (kg__buf_add(b, " ", 1))
				return -1;
	}
	return kg__buf_puts(b, "^\n");
}

int kg_diag_format(char **out, size_t *len, const kg_diag *d)
{
	kg__buf b = {0};
	int fail;

	if (out)
		*out = NULL;
	if (len)
		*len = 0;
	if (!out || !d || !d->message)
		return KG_EARG;
	/* Messages quote values from graph files: escaped (kgraph/text.h),
	 * they cannot forge a line or drive the terminal. */
	fail = put_location(&b, &d->where) || kg__buf_printf(&b, ": %s: ", severity_name(d->severity)) ||
	       kg__buf_escape(&b, d->message) || kg__buf_puts(&b, "\n");
	if (!fail && d->source_line && d->where.line && d->where.column)
		fail = put_caret(&b, d);
	if (!fail && d->hint && *d->hint)
		fail = kg__buf_puts(&b, "hint: ") || kg__buf_escape(&b, d->hint) || kg__buf_puts(&b, "\n");
	if (!fail && d->related.file && d->related_message)
		fail = put_location(&b, &d->related) || kg__buf_puts(&b, ": note: ") ||
		       kg__buf_escape(&b, d->related_message) || kg__buf_puts(&b, "\n");
	if (fail) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	*out = b.p;
	if (len)
		*len = b.n;
	return KG_OK;
}

void kg_diag_format_free(char *text)
{
	kg__free(text);
}
