/*
 * syntax_errors.c - a file's YAML syntax error put into words: what the
 * event reader (events.c) found, as a kg__syntax, becomes one diagnostic
 * with a hint.
 *
 * Pipeline position: events.c -> here -> the diagnostics list. libyaml's
 * own words stay in the message (they are what a search finds), but the
 * usual mistakes get a message that names the cause: a tab, a byte that
 * is not UTF-8, a key too long, a line indented wrongly.
 *
 * This file knows no libyaml: events.c turns its parser's state into a
 * kg__syntax first, so libyaml stays in one file.
 */
#include "load/loader.h"

#include <stdio.h>
#include <string.h>

/* Text that is not UTF-8 (or holds control characters). It is never
 * quoted: it may be any file's bytes. Its line and column come from the
 * byte offset, on a second look at the file (kg__diag_fill_lines). */
static int unreadable(kg__loader *L, const kg__syntax *s)
{
	int rc;

	if (kg__diag_no_excerpts(L->diags, L->f->name))
		return KG_ENOMEM;
	if (s->bad_utf8)
		rc = kg__ld_error_at(L, 0, 0, "unreadable text: byte 0x%02X is not valid UTF-8 here (%s)",
		                     (unsigned)s->byte, s->problem);
	else if (s->byte != -1)
		rc = kg__ld_error_at(L, 0, 0, "unreadable text: %s (byte 0x%02X)", s->problem, (unsigned)s->byte);
	else
		rc = kg__ld_error_at(L, 0, 0, "unreadable text: %s", s->problem);
	if (rc == KG_ENOMEM)
		return rc;
	/* A byte from 0xA0 up is a letter or sign in Latin-1, the usual
	 * cause; below, it is more likely not text at all (a PNG). */
	kg__diag_hintf(L->diags, L->last_diag, "%s",
	               s->bad_utf8 && s->byte >= 0xA0 ? "a graph file must be UTF-8 text; one in Latin-1 converts with "
	                                                "'iconv -f latin1 -t utf-8 FILE > NEW'"
	                                              : "a graph file must be UTF-8 text (a byte-order mark is fine)");
	kg__offfix fx;
	fx.diag = L->last_diag;
	fx.offset = s->offset;
	if (KG_VEC_PUSH(L->f->offsets, fx))
		return KG_ENOMEM;
	return LD_STOP;
}

/* "4 spaces for another key of the mapping on line 9" into out. */
static size_t expect(char *out, size_t size, const kg__syn_block *b)
{
	unsigned n = b->col - 1;
	return (size_t)snprintf(out, size, "%u space%s%s for another %s of the %s on line %u", n, n == 1 ? "" : "s",
	                        b->seq ? " and '- '" : "", b->seq ? "item" : "key", b->seq ? "list" : "mapping",
	                        b->line);
}

/* A line indented wrongly. libyaml says "mapping values are not allowed
 * in this context" (the line went deeper than the keys above it and was
 * read as more of the value before), or "did not find expected key" or
 * "'-' indicator" (it lines up with no block above it), and the readers
 * would then report what the half-read block lacks. Say instead how deep
 * the line is and how deep it could be: the block it went out of (the
 * one closed just before) or the one it is in. 1 when reported, 0 when
 * the error is no such mistake. */
static int wrong_indent(kg__loader *L, const kg__syntax *s, int *rc)
{
	const kg__syn_block *in = s->open.line ? &s->open : NULL;
	const kg__syn_block *out = s->closed.line ? &s->closed : NULL;
	unsigned indent;
	char want[200];
	size_t n = 0;

	if (s->swallowed_line && in && !in->seq && s->indent >= 0 && (unsigned)s->indent + 1 > in->col) {
		indent = (unsigned)s->indent;
		out = NULL; /* the line is too deep for the block it is in */
	} else if ((strcmp(s->problem, "did not find expected key") == 0 ||
	            strcmp(s->problem, "did not find expected '-' indicator") == 0) &&
	           s->context && strstr(s->context, "parsing a block") && s->line > s->ctx_line && in) {
		indent = s->col - 1;
	} else {
		return 0;
	}
	if (out)
		n = expect(want, sizeof want, out);
	if (in && n < sizeof want) {
		if (n)
			n += (size_t)snprintf(want + n, sizeof want - n, ", or ");
		if (n < sizeof want)
			expect(want + n, sizeof want - n, in);
	}
	*rc = kg__ld_error_at(L, s->line, indent + 1,
	                      "YAML syntax error: wrong indentation: this line is indented %u "
	                      "space%s; expected %s",
	                      indent, indent == 1 ? "" : "s", want);
	if (*rc == KG_ENOMEM)
		return 1;
	if (s->swallowed_line)
		kg__diag_hintf(L->diags, L->last_diag,
		               "deeper than the key before it, the line was read as more of the value on line %u; "
		               "the keys of one mapping start in the same column",
		               s->swallowed_line);
	else
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "YAML nests by indentation: the keys of one mapping, and the '-' of one list's items, "
		               "start in the same column");
	*rc = LD_STOP;
	return 1;
}

int kg__ld_syntax_error(kg__loader *L, const kg__syntax *s)
{
	int rc;

	L->syntax_failed = 1;
	if (s->unreadable)
		return unreadable(L, s);
	if (s->tab) {
		rc = kg__ld_error_at(L, s->line, s->col, "YAML syntax error: a tab where YAML reads indentation");
		if (rc != KG_ENOMEM)
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "YAML indents with spaces only; replace the tab with spaces");
		return rc == KG_ENOMEM ? rc : LD_STOP;
	}
	if (wrong_indent(L, s, &rc))
		return rc;
	if (s->context) {
		char ctx[256];
		snprintf(ctx, sizeof ctx, "%s", s->context);
		/* libyaml says "while parsing a block mapping"; point there. */
		if (strncmp(ctx, "while ", 6) == 0)
			memmove(ctx, ctx + 6, strlen(ctx + 6) + 1);
		rc = kg__ld_error_rel(L, s->line, s->col, s->ctx_line, s->ctx_col, ctx, "YAML syntax error: %s",
		                      s->problem);
	} else {
		rc = kg__ld_error_at(L, s->line, s->col, "YAML syntax error: %s", s->problem);
	}
	if (rc == 0 && s->long_key)
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "YAML reads at most 1024 characters before ':' as a key (a longer one needs '? ' "
		               "in front); ids are at most 256 bytes");
	return rc == KG_ENOMEM ? rc : LD_STOP;
}
