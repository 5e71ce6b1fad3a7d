/*
 * output.c - the query commands' output: built in memory, written once.
 *
 * Text read from graph files goes to terminals and to TSV files, where a
 * control character would either drive the terminal or break a row, so
 * every string from the graph passes through kg_cli_put_clean or the JSON
 * escaper. A failed allocation is remembered, not reported at each call:
 * the commands check once before writing.
 */
#define _POSIX_C_SOURCE 200809L
#include "output.h"
#include "cli.h"

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

/* A streamed buffer: write out what it holds once that is a chunk. */
static void spill(kg_cli_buf *b)
{
	if (!b->stream || b->len < KG_CLI_STREAM_CHUNK)
		return;
	errno = 0;
	if (fwrite(b->p, 1, b->len, b->stream) != b->len) {
		b->write_failed = true;
		b->write_errno = errno;
	}
	b->len = 0;
	b->p[0] = '\0';
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

void kg_cli_put_clean(kg_cli_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;

	if (!s)
		return;
	for (;; p++) {
		if (*p && *p >= 0x20 && *p != 0x7F) {
			run++;
			continue;
		}
		kg_cli_put(b, (const char *)p - run, run);
		run = 0;
		if (!*p)
			break;
		kg_cli_put(b, " ", 1);
	}
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
	size_t n = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- colours ------------------------------------------------------- */

bool kg_cli_style_init(kg_cli_style *st, const char *when)
{
	bool on;

	if (!when || strcmp(when, "auto") == 0) {
		const char *no = getenv("NO_COLOR");
		on = isatty(STDOUT_FILENO) && !(no && *no);
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

void kg_cli_put_json_string(kg_cli_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;

	kg_cli_put(b, "\"", 1);
	for (;; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			run++;
			continue;
		}
		kg_cli_put(b, (const char *)p - run, run);
		run = 0;
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			char esc[2] = {'\\', (char)*p};
			kg_cli_put(b, esc, 2);
		} else {
			kg_cli_printf(b, "\\u%04x", *p);
		}
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

void kg_cli_table_init(kg_cli_table *t, size_t ncols, const char *const *colors)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->colors = colors;
}

void kg_cli_table_row(kg_cli_table *t, const char *const *cells)
{
	size_t c;

	if (t->failed)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **p = realloc(t->cells, cap * t->ncols * sizeof *p);
		if (!p) {
			t->failed = true;
			return;
		}
		t->cells = p;
		t->cap = cap;
	}
	for (c = 0; c < t->ncols; c++) {
		kg_cli_buf cell = {0};
		kg_cli_put_clean(&cell, cells[c] ? cells[c] : "");
		if (!reserve(&cell, 1)) {
			t->failed = true;
			kg_cli_buf_free(&cell);
		} else {
			cell.p[cell.len] = '\0';
		}
		t->cells[t->nrows * t->ncols + c] = cell.p;
	}
	t->nrows++;
}

void kg_cli_table_put(kg_cli_buf *b, kg_cli_table *t, const char *off, int indent)
{
	size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
	size_t r, c;

	if (!width || t->failed) {
		b->failed = true;
		free(width);
		kg_cli_table_free(t);
		return;
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t w = kg_cli_width(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		size_t last = t->ncols;
		/* Empty cells at the end of a row leave no trailing spaces. */
		while (last > 0 && !*t->cells[r * t->ncols + last - 1])
			last--;
		kg_cli_printf(b, "%*s", indent, "");
		for (c = 0; c < last; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			const char *color = t->colors && *cell ? t->colors[c] : "";
			kg_cli_puts(b, color);
			kg_cli_puts(b, cell);
			if (*color)
				kg_cli_puts(b, off);
			if (c + 1 < last)
				kg_cli_printf(b, "%*s", (int)(width[c] - kg_cli_width(cell) + 2), "");
		}
		kg_cli_puts(b, "\n");
	}
	free(width);
	kg_cli_table_free(t);
}

void kg_cli_table_free(kg_cli_table *t)
{
	size_t i;

	for (i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}
