/*
 * output.c - the query commands' output: built in memory, written once.
 *
 * Text read from graph files goes to terminals and to TSV files, where a
 * control character would either drive the terminal, forge a line or
 * break a row, so every string from the graph passes through
 * kg_cli_put_text (text and messages: escapes, kgraph/text.h),
 * kg_cli_put_clean (TSV: spaces) or the JSON escaper. A failed
 * allocation is remembered, not reported at each call:
 * the commands check once before writing.
 */
#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "cli.h"
#include "kgraph/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool reserve(kg_cli_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed || b->write_failed)
		return false;
	if (b->cap - b->len > n)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len <= n) {
		if (cap > (size_t)-1 / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void kg_cli_buf_pass(kg_cli_buf *b)
{
	if (!b->stream || !b->len || b->failed || b->write_failed)
		return;
	errno = 0;
	if (fwrite(b->p, 1, b->len, b->stream) != b->len) {
		b->write_failed = true;
		b->write_errno = errno;
	}
	b->len = 0;
	b->p[0] = '\0';
}

/* A streamed buffer: write out what it holds once that is a chunk. */
static void spill(kg_cli_buf *b)
{
	if (b->len >= KG_CLI_STREAM_CHUNK)
		kg_cli_buf_pass(b);
}

void kg_cli_put(kg_cli_buf *b, const char *s, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	spill(b);
}

void kg_cli_puts(kg_cli_buf *b, const char *s)
{
	if (s)
		kg_cli_put(b, s, strlen(s));
}

void kg_cli_printf(kg_cli_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	spill(b);
}

/* s through kg_text_escape, straight into the buffer. */
static void put_escaped(kg_cli_buf *b, const char *s, unsigned flags)
{
	size_t len, n;

	if (!s)
		return;
	len = strlen(s);
	n = kg_text_escape(NULL, 0, s, len, flags);
	if (!n || !reserve(b, n))
		return;
	kg_text_escape(b->p + b->len, n + 1, s, len, flags);
	b->len += n;
	spill(b);
}

void kg_cli_put_clean(kg_cli_buf *b, const char *s)
{
	put_escaped(b, s, KG_TEXT_SPACES);
}

void kg_cli_put_text(kg_cli_buf *b, const char *s)
{
	put_escaped(b, s, 0);
}

void kg_cli_fput_text(FILE *f, const char *s)
{
	kg_cli_buf b = {0};

	kg_cli_put_text(&b, s);
	if (b.len)
		fwrite(b.p, 1, b.len, f);
	else if (b.failed)
		fputs("(out of memory)", f);
	kg_cli_buf_free(&b);
}

void kg_cli_buf_free(kg_cli_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int kg_cli_buf_flush(kg_cli_buf *b, int code)
{
	if (b->failed) {
		kg_cli_buf_free(b);
		return kg_cli_out_of_memory();
	}
	errno = 0;
	if (b->write_failed)
		errno = b->write_errno;
	else if (b->len)
		fwrite(b->p, 1, b->len, stdout);
	kg_cli_buf_free(b);
	return kg_cli_finish_output(code);
}

/* Whole numbers as integers (10, not 1e+01); others in the shortest
 * text that reads back as the same double (0.1, not 0.10000000000000001). */
void kg_cli_put_number(kg_cli_buf *b, double v)
{
	char text[40];
	int prec;

	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		kg_cli_printf(b, "%lld", (long long)v);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof text, "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	kg_cli_puts(b, text);
}

size_t kg_cli_width(const char *s)
{
	return s ? kg_text_width(s, strlen(s)) : 0;
}

/* ---- colours ------------------------------------------------------- */

bool kg_cli_style_init(kg_cli_style *st, const char *when)
{
	bool on;

	if (!when || strcmp(when, "auto") == 0) {
		const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
		/* A dumb terminal (Emacs shell, some CI logs) shows escapes as
		 * text: it means no colour as NO_COLOR does. */
		on = isatty(STDOUT_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
	} else if (strcmp(when, "always") == 0) {
		on = true;
	} else if (strcmp(when, "never") == 0) {
		on = false;
	} else {
		return false;
	}
	st->entity = on ? "\033[1m" : "";
	st->rel = on ? "\033[36m" : "";
	st->head = on ? "\033[1;4m" : "";
	st->dim = on ? "\033[2m" : "";
	st->off = on ? "\033[0m" : "";
	return true;
}

/* ---- JSON ---------------------------------------------------------- */

/* JSON needs only the controls below U+0020 escaped; DEL, the C1
 * controls and U+2028/U+2029 are escaped too, so that a document shown
 * on a terminal cannot drive it (and JavaScript, where U+2028 ends a
 * line, reads it as JSON does). Their UTF-8: 7F, C2 80-9F, E2 80 A8-A9. */
static size_t json_unsafe(const unsigned char *p, unsigned *cp)
{
	if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7F) {
		*cp = *p;
		return 1;
	}
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
		*cp = p[1];
		return 2;
	}
	if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
		*cp = 0x2000u | (p[2] - 0x80u);
		return 3;
	}
	return 0;
}

void kg_cli_put_json_string(kg_cli_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, n = 0;
	unsigned cp = 0;

	kg_cli_put(b, "\"", 1);
	for (;;) {
		if (*p && !(n = json_unsafe(p, &cp))) {
			run++;
			p++;
			continue;
		}
		kg_cli_put(b, (const char *)p - run, run);
		run = 0;
		if (!*p)
			break;
		if (cp == '"' || cp == '\\') {
			char esc[2] = {'\\', (char)cp};
			kg_cli_put(b, esc, 2);
		} else {
			kg_cli_printf(b, "\\u%04x", cp);
		}
		p += n;
	}
	kg_cli_put(b, "\"", 1);
}

void kg_cli_json_init(kg_cli_json *j, kg_cli_buf *b)
{
	memset(j, 0, sizeof *j);
	j->b = b;
	j->first[0] = true;
}

/* What comes before a value or a key: a comma after an earlier member,
 * and a new line at the container's depth. */
static void json_prefix(kg_cli_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		kg_cli_puts(j->b, j->first[j->depth] ? "\n" : ",\n");
		kg_cli_printf(j->b, "%*s", 2 * j->depth, "");
	}
	j->first[j->depth] = false;
}

static void json_open(kg_cli_json *j, char c)
{
	json_prefix(j);
	kg_cli_put(j->b, &c, 1);
	if (j->depth + 1 >= KG_CLI_JSON_DEPTH) {
		j->b->failed = true; /* a fixed schema never nests this deep */
		return;
	}
	j->first[++j->depth] = true;
}

void kg_cli_json_object(kg_cli_json *j) { json_open(j, '{'); }
void kg_cli_json_array(kg_cli_json *j) { json_open(j, '['); }

void kg_cli_json_end(kg_cli_json *j, char close)
{
	if (!j->first[j->depth])
		kg_cli_printf(j->b, "\n%*s", 2 * (j->depth - 1), "");
	kg_cli_put(j->b, &close, 1);
	j->depth--;
	j->first[j->depth] = false;
	if (j->depth == 0)
		kg_cli_puts(j->b, "\n");
}

void kg_cli_json_key(kg_cli_json *j, const char *key)
{
	json_prefix(j);
	kg_cli_put_json_string(j->b, key);
	kg_cli_puts(j->b, ": ");
	j->after_key = true;
}

void kg_cli_json_string(kg_cli_json *j, const char *s)
{
	json_prefix(j);
	if (s)
		kg_cli_put_json_string(j->b, s);
	else
		kg_cli_puts(j->b, "null");
}

void kg_cli_json_uint(kg_cli_json *j, unsigned long long v)
{
	json_prefix(j);
	kg_cli_printf(j->b, "%llu", v);
}

void kg_cli_json_number(kg_cli_json *j, double v)
{
	json_prefix(j);
	kg_cli_put_number(j->b, v);
}

void kg_cli_json_bool(kg_cli_json *j, bool v)
{
	json_prefix(j);
	kg_cli_puts(j->b, v ? "true" : "false");
}

void kg_cli_json_null(kg_cli_json *j)
{
	json_prefix(j);
	kg_cli_puts(j->b, "null");
}

void kg_cli_json_kstring(kg_cli_json *j, const char *key, const char *s)
{
	kg_cli_json_key(j, key);
	kg_cli_json_string(j, s);
}

void kg_cli_json_kuint(kg_cli_json *j, const char *key, unsigned long long v)
{
	kg_cli_json_key(j, key);
	kg_cli_json_uint(j, v);
}

/* ---- tables -------------------------------------------------------- */

/* A table is printed in two passes over its rows, so that it never holds
 * them: the first measures each column's widest cell, the second prints.
 * (Holding every row, each cell in a buffer of its own, took 4 KiB a
 * cell: a list of 200,000 entities ran out of memory.) */

void kg_cli_table_init(kg_cli_table *t, size_t ncols, const char *const *colors, kg_cli_buf *b, const char *off,
                       int indent)
{
	memset(t, 0, sizeof *t);
	t->width = calloc(ncols ? ncols : 1, sizeof *t->width);
	t->ncols = t->width ? ncols : 0;
	if (!t->width)
		b->failed = true;
	t->colors = colors;
	t->b = b;
	t->off = off;
	t->indent = indent;
}

void kg_cli_table_pass(kg_cli_table *t, int pass)
{
	t->printing = pass > 0;
}

/* The cell as it is printed, in t->cell. */
static const char *table_cell(kg_cli_table *t, const char *text)
{
	t->cell.len = 0;
	if (t->cell.p)
		t->cell.p[0] = '\0';
	kg_cli_put_text(&t->cell, text);
	if (t->cell.failed)
		t->b->failed = true;
	return t->cell.len ? t->cell.p : "";
}

void kg_cli_table_row(kg_cli_table *t, const char *const *cells)
{
	kg_cli_buf *b = t->b;
	size_t c, last = t->ncols;

	if (!t->printing) {
		for (c = 0; c < t->ncols; c++) {
			size_t w = kg_cli_width(table_cell(t, cells[c]));
			if (w > t->width[c])
				t->width[c] = w;
		}
		return;
	}
	/* Empty cells at the end of a row leave no trailing spaces. */
	while (last > 0 && !(cells[last - 1] && *cells[last - 1]))
		last--;
	kg_cli_printf(b, "%*s", t->indent, "");
	for (c = 0; c < last; c++) {
		const char *cell = table_cell(t, cells[c]);
		const char *color = t->colors && *cell ? t->colors[c] : "";
		kg_cli_puts(b, color);
		kg_cli_puts(b, cell);
		if (*color)
			kg_cli_puts(b, t->off);
		if (c + 1 < last)
			kg_cli_printf(b, "%*s", (int)(t->width[c] - kg_cli_width(cell) + 2), "");
	}
	kg_cli_puts(b, "\n");
}

void kg_cli_table_free(kg_cli_table *t)
{
	free(t->width);
	t->width = NULL;
	kg_cli_buf_free(&t->cell);
}
