/*
 * print.c - diagnostics for people: the compiler format that editors and
 * terminals already understand (FILE:LINE:COLUMN: severity: message), with
 * the offending line and a caret. File names, messages and hints are
 * written through kg_text_escape (kg_cli_fput_text): a value quoted in a
 * message cannot start a line of its own or drive the terminal.
 */
#include "print.h"
#include "output.h"

#include <string.h>

static const char *severity_name(kg_severity s)
{
	switch (s) {
	case KG_SEV_ERROR: return "error";
	case KG_SEV_WARNING: return "warning";
	default: return "note";
	}
}

static void print_location(FILE *out, const kg_location *l)
{
	if (!l->file) {
		fputs("kgraph", out);
		return;
	}
	kg_cli_fput_text(out, l->file);
	if (l->line && !l->column)
		fprintf(out, ":%u", l->line);
	else if (l->line)
		fprintf(out, ":%u:%u", l->line, l->column);
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

/* Print characters from..to (1-based, inclusive) of text. A control
 * character or a byte that is not UTF-8 prints as '?', so that a source
 * line can never drive the terminal. */
static void print_chars(FILE *out, const char *text, unsigned from, unsigned to)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned col = 1;

	while (*p && col <= to) {
		size_t n = char_len(p);
		if (col >= from) {
			if (*p == '\t' || (*p >= 0x20 && *p != 0x7F && (n > 1 || *p < 0x80)))
				fwrite(p, 1, n, out);
			else
				fputc('?', out);
		}
		p += n;
		col++;
	}
}

#define SNIPPET_WIDTH 120

/* The source line, then a caret under the column-th character. Tabs in
 * the line are kept in the padding so the caret lines up. A long line is
 * shown as a window around the column. */
static void print_caret(FILE *out, const char *text, unsigned line, unsigned column)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned nchars = 0, from = 1, to, col;
	char num[16];
	int width = snprintf(num, sizeof num, "%u", line);

	for (; *p; p += char_len(p))
		nchars++;
	if (column > nchars + 1)
		return; /* the line was cut short; a caret would point at nothing */
	if (nchars > SNIPPET_WIDTH && column > SNIPPET_WIDTH / 2)
		from = column - SNIPPET_WIDTH / 2;
	to = from + SNIPPET_WIDTH - 1;
	fprintf(out, " %s | %s", num, from > 1 ? "..." : "");
	print_chars(out, text, from, to);
	fprintf(out, "%s\n %*s | %s", to < nchars ? "..." : "", width, "", from > 1 ? "   " : "");
	for (p = (const unsigned char *)text, col = 1; *p && col < column; p += char_len(p), col++)
		if (col >= from)
			fputc(*p == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

void kg_cli_print_diag(FILE *out, const kg_diag *d)
{
	print_location(out, &d->where);
	fprintf(out, ": %s: ", severity_name(d->severity));
	kg_cli_fput_text(out, d->message);
	fputs("\n", out);
	if (d->source_line && d->where.line && d->where.column)
		print_caret(out, d->source_line, d->where.line, d->where.column);
	if (d->hint && *d->hint) {
		fputs("hint: ", out);
		kg_cli_fput_text(out, d->hint);
		fputs("\n", out);
	}
	if (d->related.file && d->related_message) {
		print_location(out, &d->related);
		fputs(": note: ", out);
		kg_cli_fput_text(out, d->related_message);
		fputs("\n", out);
	}
}

void kg_cli_print_diags(FILE *out, const kg_diag_list *list, bool errors_only)
{
	size_t i, n = kg_diag_list_count(list);

	for (i = 0; i < n; i++) {
		const kg_diag *d = kg_diag_list_get(list, i);
		if (errors_only && d->severity == KG_SEV_WARNING)
			continue;
		kg_cli_print_diag(out, d);
	}
}
