#define _POSIX_C_SOURCE 200809L
/*
 * diag.c - the caller-owned list of diagnostics. Strings are copied into
 * the list's own arena so a diagnostic outlives the graph (or the failed
 * load) that produced it.
 */
#include "core/diag_internal.h"
#include "util/arena.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct kg_diag_list {
	KG_VEC(kg_diag) items;
	kg__arena arena;
};

kg_diag_list *kg_diag_list_new(void)
{
	return kg__calloc(1, sizeof(kg_diag_list));
}

void kg_diag_list_free(kg_diag_list *list)
{
	if (!list)
		return;
	KG_VEC_FREE(list->items);
	kg__arena_free(&list->arena);
	kg__free(list);
}

size_t kg_diag_list_count(const kg_diag_list *list)
{
	return list ? list->items.n : 0;
}

size_t kg_diag_list_count_severity(const kg_diag_list *list, kg_severity severity)
{
	size_t i, n = 0;

	for (i = 0; list && i < list->items.n; i++)
		n += list->items.v[i].severity == severity;
	return n;
}

const kg_diag *kg_diag_list_get(const kg_diag_list *list, size_t i)
{
	return list && i < list->items.n ? &list->items.v[i] : NULL;
}

/* Copy s into the list's arena; NULL stays NULL. Sets *fail on failure. */
static const char *keep(kg_diag_list *list, const char *s, int *fail)
{
	const char *d;

	if (!s)
		return NULL;
	d = kg__arena_strndup(&list->arena, s, strlen(s));
	if (!d)
		*fail = 1;
	return d;
}

int kg_diag_list_add(kg_diag_list *list, kg_severity severity,
                     const kg_location *where, const char *message,
                     const char *hint, const kg_location *related,
                     const char *related_message)
{
	kg_diag d;
	int fail = 0;

	if (!list || !message)
		return KG_EARG;
	memset(&d, 0, sizeof d);
	d.severity = severity;
	if (where) {
		d.where = *where;
		d.where.file = keep(list, where->file, &fail);
	}
	d.message = keep(list, message, &fail);
	d.hint = keep(list, hint, &fail);
	if (related) {
		d.related = *related;
		d.related.file = keep(list, related->file, &fail);
	}
	d.related_message = keep(list, related_message, &fail);
	if (fail || KG_VEC_PUSH(list->items, d))
		return KG_ENOMEM;
	return KG_OK;
}

int kg_diag_set_source_line(kg_diag_list *list, size_t i, const char *text, size_t len)
{
	char *s;

	if (!list || i >= list->items.n || !text)
		return KG_EARG;
	s = kg__arena_strndup(&list->arena, text, len);
	if (!s)
		return KG_ENOMEM;
	list->items.v[i].source_line = s;
	return KG_OK;
}

/* Every formatted diagnostic text is made here, through kg__buf_vprintf:
 * as long as it needs to be, and in the "C" locale. */
int kg__diag_vaddf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                   const kg_location *related, const char *related_message,
                   const char *fmt, va_list ap)
{
	kg__buf msg = {0};
	int rc;

	if (!list)
		return KG_OK; /* no list: the diagnostic is discarded */
	if (kg__buf_vprintf(&msg, fmt, ap))
		return KG_ENOMEM;
	rc = kg_diag_list_add(list, sev, where, msg.p ? msg.p : "", NULL, related, related_message);
	kg__buf_free(&msg);
	return rc;
}

int kg__diag_addf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                  const kg_location *related, const char *related_message,
                  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kg__diag_vaddf(list, sev, where, related, related_message, fmt, ap);
	va_end(ap);
	return rc;
}

int kg__diag_hintf(kg_diag_list *list, size_t i, const char *fmt, ...)
{
	kg__buf hint = {0};
	va_list ap;
	int rc;

	if (!list || i >= list->items.n)
		return KG_EARG;
	va_start(ap, fmt);
	rc = kg__buf_vprintf(&hint, fmt, ap);
	va_end(ap);
	if (rc)
		return KG_ENOMEM;
	list->items.v[i].hint = kg__arena_strndup(&list->arena, hint.p ? hint.p : "", hint.n);
	kg__buf_free(&hint);
	return list->items.v[i].hint ? KG_OK : KG_ENOMEM;
}

void kg__diag_set_position(kg_diag_list *list, size_t i, unsigned line, unsigned column)
{
	if (list && i < list->items.n) {
		list->items.v[i].where.line = line;
		list->items.v[i].where.column = column;
	}
}

/* ---- source lines ------------------------------------------------ */


/* Bytes of a file or of memory, read front to back, for the passes that
 * find source lines. */
typedef struct reader {
	FILE *fp;
	const char *mem;
	size_t len, pos;
	char *buf; /* fp only: a chunk of the file, buf[pos..len) unread */
} reader;

#define READER_CHUNK 65536

static int rd_getc(reader *r)
{
	if (r->fp && r->pos == r->len) {
		if (!r->buf && !(r->buf = kg__malloc(READER_CHUNK)))
			return EOF;
		r->len = fread(r->buf, 1, READER_CHUNK, r->fp);
		r->pos = 0;
		if (!r->len)
			return EOF;
	}
	if (r->fp)
		return (unsigned char)r->buf[r->pos++];
	return r->pos < r->len ? (unsigned char)r->mem[r->pos++] : EOF;
}

static int rd_rewind(reader *r)
{
	r->pos = 0;
	if (r->fp) {
		r->len = 0;
		return fseek(r->fp, 0, SEEK_SET);
	}
	return 0;
}

typedef struct wanted {
	unsigned line;
	size_t diag;
} wanted;

static int cmp_wanted(const void *a, const void *b)
{
	const wanted *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

#define SNIPPET_MAX KG_MAX_SOURCE_LINE_BYTES

/* Give this file's diagnostics their source lines, and a line and column
 * to those known only by byte offset. One or two passes over the file,
 * only when it has diagnostics. */
int kg__diag_fill_lines(kg_diag_list *list, const char *name, FILE *fp, const char *mem, size_t memlen,
                        size_t first, const kg__offfix *offsets, size_t noffsets)
{
	size_t n = kg_diag_list_count(list), i, w = 0;
	reader r = {fp, mem, memlen, 0, NULL};
	wanted *want = NULL;
	char *text, *prev;
	int rc = 0;

	if (first >= n)
		return 0;
	if (noffsets) {
		for (i = 0; i < noffsets; i++) {
			size_t off = 0, target = offsets[i].offset;
			unsigned line = 1, col = 1;
			int c, c2, bom = 0;
			if (rd_rewind(&r)) {
				kg__free(r.buf);
				return 0;
			}
			/* libyaml reads UTF-16 when the file starts with its
			 * byte-order mark, and its offsets count bytes of the
			 * file: count 16-bit units there, a surrogate pair being
			 * one character. */
			c = rd_getc(&r);
			c2 = rd_getc(&r);
			if ((c == 0xFF && c2 == 0xFE) || (c == 0xFE && c2 == 0xFF)) {
				int le = c == 0xFF;
				for (off = 2; off < target && (c = rd_getc(&r)) != EOF && (c2 = rd_getc(&r)) != EOF;
				     off += 2) {
					unsigned u = le ? (unsigned)c | (unsigned)c2 << 8 : (unsigned)c << 8 | (unsigned)c2;
					if (u == '\n') {
						line++;
						col = 1;
					} else if (u < 0xDC00 || u > 0xDFFF) {
						col++;
					}
				}
				kg__diag_set_position(list, offsets[i].diag, line, col);
				continue;
			}
			if (rd_rewind(&r)) {
				kg__free(r.buf);
				return 0;
			}
			while (off < target && (c = rd_getc(&r)) != EOF) {
				if (off == 0)
					bom = c == 0xEF;
				off++;
				if (c == '\n') {
					line++;
					col = 1;
				} else if ((c & 0xC0) != 0x80) {
					col++;
				}
			}
			/* A UTF-8 byte-order mark is not a character of line 1. */
			if (line == 1 && bom && col > 1)
				col--;
			kg__diag_set_position(list, offsets[i].diag, line, col);
		}
	}
	want = kg__malloc((n - first) * sizeof *want);
	text = kg__malloc(2 * SNIPPET_MAX);
	if (!want || !text) {
		kg__free(want);
		kg__free(text);
		kg__free(r.buf);
		return KG_ENOMEM;
	}
	prev = text + SNIPPET_MAX;
	for (i = first; i < n; i++) {
		const kg_diag *d = kg_diag_list_get(list, i);
		if (d->where.file && d->where.line && !d->source_line && strcmp(d->where.file, name) == 0) {
			want[w].line = d->where.line;
			want[w].diag = i;
			w++;
		}
	}
	qsort(want, w, sizeof *want, cmp_wanted);
	if (w && rd_rewind(&r) == 0) {
		unsigned line = 1, last = want[w - 1].line;
		size_t k = 0, len = 0, prevlen = 0;
		int c, have_prev = 0;
		while (k < w) {
			c = rd_getc(&r);
			if (c == EOF || c == '\n') {
				if (len && text[len - 1] == '\r')
					len--;
				if (c == EOF && len == 0 && have_prev && want[k].line == line) {
					/* libyaml puts an error at the end of the input on
					 * the empty line after the last newline; point at
					 * the end of the last line instead. */
					unsigned col = 1;
					size_t j;
					for (j = 0; j < prevlen; j++)
						col += ((unsigned char)prev[j] & 0xC0) != 0x80;
					for (; k < w; k++) {
						kg__diag_set_position(list, want[k].diag, line - 1, col);
						if (kg_diag_set_source_line(list, want[k].diag, prev, prevlen)) {
							rc = KG_ENOMEM;
							break;
						}
					}
					break;
				}
				while (k < w && want[k].line == line) {
					if (kg_diag_set_source_line(list, want[k].diag, text, len)) {
						rc = KG_ENOMEM;
						break;
					}
					k++;
				}
				if (c == EOF || rc)
					break;
				if (line + 1 == last) {
					memcpy(prev, text, len);
					prevlen = len;
					have_prev = 1;
				}
				line++;
				len = 0;
			} else if (len < SNIPPET_MAX && (line == want[k].line || line + 1 == last)) {
				text[len++] = (char)c;
			}
		}
	}
	kg__free(want);
	kg__free(text);
	kg__free(r.buf);
	return rc;
}

int kg_diag_list_read_source_lines(kg_diag_list *list)
{
	size_t i, j;

	for (i = 0; list && i < list->items.n; i++) {
		const kg_diag *d = &list->items.v[i];
		struct stat st;
		FILE *fp;
		int rc;
		if (!d->where.file || !d->where.line || d->source_line)
			continue;
		/* The first such diagnostic of a file reads it for all. */
		for (j = 0; j < i; j++) {
			const kg_diag *e = &list->items.v[j];
			if (e->where.file && e->where.line && !e->source_line && strcmp(e->where.file, d->where.file) == 0)
				break;
		}
		if (j < i)
			continue;
		fp = fopen(d->where.file, "rb");
		if (!fp)
			continue;
		rc = KG_OK;
		if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
			rc = kg__diag_fill_lines(list, d->where.file, fp, NULL, 0, i, NULL, 0);
		fclose(fp);
		if (rc)
			return rc;
	}
	return KG_OK;
}
