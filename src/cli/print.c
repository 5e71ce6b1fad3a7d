/*
 * print.c - diagnostics for people: the compiler format that editors and
 * terminals already understand (FILE:LINE:COLUMN: severity: message), with
 * the offending line and a caret.
 */
#include "print.h"

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
	if (!l->file)
		fputs("kgraph", out);
	else if (!l->line)
		fputs(l->file, out);
	else if (!l->column)
		fprintf(out, "%s:%u", l->file, l->line);
	else
		fprintf(out, "%s:%u:%u", l->file, l->line, l->column);
}

/* The source line, then a caret under the column-th character. Tabs in
 * the line are kept in the padding so the caret lines up. */
static void print_caret(FILE *out, const char *text, unsigned line, unsigned column)
{
	char num[16];
	int width = snprintf(num, sizeof num, "%u", line);
	unsigned col = 1;
	const char *p;

	fprintf(out, " %s | %s\n %*s | ", num, text, width, "");
	for (p = text; *p && col < column; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		col++;
	}
	fputs("^\n", out);
}

void kg_cli_print_diag(FILE *out, const kg_diag *d)
{
	print_location(out, &d->where);
	fprintf(out, ": %s: %s\n", severity_name(d->severity), d->message);
	if (d->source_line && d->where.line && d->where.column)
		print_caret(out, d->source_line, d->where.line, d->where.column);
	if (d->hint && *d->hint)
		fprintf(out, "hint: %s\n", d->hint);
	if (d->related.file && d->related_message) {
		print_location(out, &d->related);
		fprintf(out, ": note: %s\n", d->related_message);
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
