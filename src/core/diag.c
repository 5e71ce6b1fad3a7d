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
	KG_VEC(const char *) quiet; /* files never quoted (kg__diag_no_excerpts) */
	size_t warnings, dropped, noted; /* warnings kept, and dropped past KG_MAX_WARNINGS */
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
	KG_VEC_FREE(list->quiet);
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
	list->warnings += severity == KG_SEV_WARNING;
	return KG_OK;
}

int kg__diag_warning_dropped(kg_diag_list *list)
{
	if (!list || list->warnings < KG_MAX_WARNINGS)
		return 0;
	list->dropped++;
	return 1;
}

int kg__diag_note_dropped(kg_diag_list *list)
{
	size_t n;

	if (!list || list->dropped == list->noted)
		return KG_OK;
	n = list->dropped - list->noted;
	list->noted = list->dropped;
	return kg__diag_addf(list, KG_SEV_NOTE, NULL, NULL, NULL, "%zu more warning%s not shown (at most %d are)", n,
	                     n == 1 ? " was" : "s were", KG_MAX_WARNINGS);
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
	list->items.v[i].source_column = 1;
	list->items.v[i].source_more = 0;
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

long kg__diag_at(kg_diag_list *diags, kg_severity sev, const kg_location *where, const char *fmt, ...)
{
	va_list ap;
	size_t at = kg_diag_list_count(diags);
	int rc;

	if (!diags)
		return 0;
	va_start(ap, fmt);
	rc = kg__diag_vaddf(diags, sev, where && where->file ? where : NULL, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc == KG_ENOMEM ? -1 : (long)at;
}

int kg__diag_unknown(kg_diag_list *diags, const kg_location *where, int rc, const char *what,
                       const char *name, const char *const *names, size_t n, const char *prefix)
{
	const char *near = kg__closest(name, strlen(name), names, n, false);
	long at = kg__diag_at(diags, KG_SEV_ERROR, where, "%sunknown %s '%s'", prefix ? prefix : "", what, name);

	if (at < 0)
		return KG_ENOMEM;
	if (diags) {
		if (near)
			kg__diag_hintf(diags, (size_t)at, "did you mean '%s'?", near);
		else {
			char list[512] = "";
			size_t i;
			for (i = 0; i < n && strlen(list) + strlen(names[i]) + 3 < sizeof list; i++) {
				strcat(list, i ? ", " : "");
				strcat(list, names[i]);
			}
			kg__diag_hintf(diags, (size_t)at, "one of: %s", list);
		}
	}
	return rc;
}

void kg__diag_set_position(kg_diag_list *list, size_t i, unsigned line, unsigned column)
{
	if (list && i < list->items.n) {
		list->items.v[i].where.line = line;
		list->items.v[i].where.column = column;
	}
}

/* ---- source lines ------------------------------------------------ */

/* Lines and columns are counted as editors and `grep -n` count them: LF,
 * CR LF and a lone CR end a line; NEL, LS and PS, which libyaml also
 * takes as line breaks, are characters of the line (the loader converts
 * libyaml's marks to match, in events.c). A UTF-8 byte-order mark is no
 * character. Only an excerpt of KG_MAX_EXCERPT_CHARS characters around a
 * diagnostic's column is kept, so a file of one 38 MB line with a
 * thousand warnings keeps kilobytes, not a copy of the line per warning. */

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

/* Count one character u (a byte of UTF-8 text, or a UTF-16 unit) into
 * *line and *col; *cr remembers a CR that a LF may complete. */
static void count_char(unsigned u, int cont, int *cr, unsigned *line, unsigned *col)
{
	if (u == '\n' && *cr) {
		*cr = 0; /* CR LF: the CR ended the line */
		return;
	}
	*cr = u == '\r';
	if (u == '\n' || u == '\r') {
		(*line)++;
		*col = 1;
	} else if (!cont) {
		(*col)++;
	}
}

/* Move the diagnostics in offsets to the line and column of their byte
 * offset. libyaml reads UTF-16 when the file starts with its byte-order
 * mark, and its offsets count bytes of the file: count 16-bit units
 * there, a surrogate pair being one character. */
static void place_offsets(kg_diag_list *list, reader *r, const kg__offfix *offsets, size_t noffsets)
{
	size_t i;

	for (i = 0; i < noffsets; i++) {
		size_t off = 0, target = offsets[i].offset;
		unsigned line = 1, col = 1;
		int c, c2, cr = 0, bom = 0;
		if (rd_rewind(r))
			return;
		c = rd_getc(r);
		c2 = rd_getc(r);
		if ((c == 0xFF && c2 == 0xFE) || (c == 0xFE && c2 == 0xFF)) {
			int le = c == 0xFF;
			for (off = 2; off < target && (c = rd_getc(r)) != EOF && (c2 = rd_getc(r)) != EOF; off += 2) {
				unsigned u = le ? (unsigned)c | (unsigned)c2 << 8 : (unsigned)c << 8 | (unsigned)c2;
				count_char(u, u >= 0xDC00 && u <= 0xDFFF, &cr, &line, &col);
			}
		} else {
			if (rd_rewind(r))
				return;
			while (off < target && (c = rd_getc(r)) != EOF) {
				if (off == 0)
					bom = c == 0xEF;
				off++;
				count_char((unsigned)c, (c & 0xC0) == 0x80, &cr, &line, &col);
			}
			/* A UTF-8 byte-order mark is not a character of line 1. */
			if (line == 1 && bom && col > 1)
				col--;
		}
		kg__diag_set_position(list, offsets[i].diag, line, col);
	}
}

/* A diagnostic that wants an excerpt of its line: characters from..to
 * (1-based) of line, collected in buf while the line is read. */
typedef struct wanted {
	unsigned line, col, from, to;
	size_t diag;
	char *buf;
	size_t n;
	int more; /* the line goes on after to */
} wanted;

/* kg_diag_format shows SHOWN characters of a long line: from HALF before
 * the column, or from the start when the column is within SHOWN. Keep
 * what it may show, and one more character to know whether to write
 * "..." (source_more says so past the excerpt). */
#define SHOWN 120
#define HALF (SHOWN / 2)
_Static_assert(KG_MAX_EXCERPT_CHARS >= SHOWN + HALF, "an excerpt holds what kg_diag_format shows");
#define EXCERPT_BYTES (4 * KG_MAX_EXCERPT_CHARS)

static int cmp_wanted(const void *a, const void *b)
{
	const wanted *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* The window of characters kept around column col. */
static void window(wanted *w, unsigned col)
{
	w->col = col ? col : 1;
	w->from = w->col > SHOWN ? w->col - HALF : 1;
	w->to = w->from + KG_MAX_EXCERPT_CHARS - 1;
}

static int set_excerpt(kg_diag_list *list, size_t i, const char *text, size_t len, unsigned column, int more)
{
	char *s = kg__arena_strndup(&list->arena, text, len);

	if (!s)
		return KG_ENOMEM;
	list->items.v[i].source_line = s;
	list->items.v[i].source_column = column;
	list->items.v[i].source_more = more;
	return KG_OK;
}

/* Whether the list was told not to quote file name (kg__diag_no_excerpts). */
static int quiet_file(const kg_diag_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->quiet.n; i++)
		if (strcmp(list->quiet.v[i], name) == 0)
			return 1;
	return 0;
}

int kg__diag_no_excerpts(kg_diag_list *list, const char *name)
{
	const char *kept;

	if (!list || quiet_file(list, name))
		return KG_OK;
	kept = kg__arena_strndup(&list->arena, name, strlen(name));
	return kept && !KG_VEC_PUSH(list->quiet, kept) ? KG_OK : KG_ENOMEM;
}

/* Characters (UTF-8 starts) in text[0..n). */
static unsigned count_chars(const char *text, size_t n)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += ((unsigned char)text[i] & 0xC0) != 0x80;
	return k;
}

/* libyaml puts an error at the end of the input on the empty line after
 * the last line break: point at the end of the line before, whose last
 * characters are prev[0..n), instead (nchars characters in that line). */
static int place_at_end(kg_diag_list *list, size_t diag, unsigned line, const char *prev, size_t n,
                        unsigned nchars)
{
	unsigned have = count_chars(prev, n), skip;
	wanted x;

	window(&x, nchars + 1);
	kg__diag_set_position(list, diag, line, x.col);
	/* Keep characters from..nchars of the line: the last ones of prev. */
	skip = have > nchars + 1 - x.from ? have - (nchars + 1 - x.from) : 0;
	while (skip && n) {
		prev++;
		n--;
		while (n && ((unsigned char)*prev & 0xC0) == 0x80) {
			prev++;
			n--;
		}
		skip--;
	}
	return set_excerpt(list, diag, prev, n, nchars + 1 - count_chars(prev, n), 0);
}

/* Read the text once, collecting each wanted excerpt as its window
 * passes. want is sorted by line and column, so the windows being
 * collected at any time are want[lo..hi). The line before the last one
 * wanted keeps its last characters in tail, for place_at_end. */
static int collect(kg_diag_list *list, reader *r, wanted *want, size_t w)
{
	unsigned line = 1, col = 1, last = want[w - 1].line, prevchars = 0;
	char tail[EXCERPT_BYTES + 4], prev[EXCERPT_BYTES + 4];
	size_t lo = 0, hi = 0, tailn = 0, prevn = 0, j;
	int c, cr = 0, first = 1, have_prev = 0, rc = 0;

	for (;;) {
		c = rd_getc(r);
		if (first && c == 0xEF) {
			/* A UTF-8 byte-order mark is no character: skip it. */
			int c1 = rd_getc(r), c2 = c1 == 0xBB ? rd_getc(r) : EOF;
			first = 0;
			if (c1 == 0xBB && c2 == 0xBF)
				continue;
			if (rd_rewind(r))
				return 0;
			c = rd_getc(r);
		}
		first = 0;
		if (c == '\n' && cr) {
			cr = 0; /* CR LF: the CR ended the line */
			continue;
		}
		cr = c == '\r';
		if (c == EOF || c == '\n' || c == '\r') {
			if (c == EOF && col == 1 && have_prev && lo < w && want[lo].line == line) {
				for (j = lo; j < w && rc == 0; j++)
					rc = place_at_end(list, want[j].diag, line - 1, prev, prevn, prevchars);
				return rc;
			}
			/* Windows still open end with the line; windows that start
			 * past its end get nothing. */
			for (; lo < hi && rc == 0; lo++)
				rc = set_excerpt(list, want[lo].diag, want[lo].buf, want[lo].n, want[lo].from, 0);
			while (hi < w && want[hi].line == line)
				hi++;
			lo = hi;
			if (c == EOF || rc || lo == w)
				return rc;
			if (line + 1 == last) {
				memcpy(prev, tail, tailn);
				prevn = tailn;
				prevchars = col - 1;
				have_prev = 1;
			}
			line++;
			col = 1;
			tailn = 0;
			continue;
		}
		if ((c & 0xC0) != 0x80) {
			/* Character col starts: windows that end before it are
			 * done (and the line goes on); those that start at it open. */
			for (; lo < hi && want[lo].to < col && rc == 0; lo++)
				rc = set_excerpt(list, want[lo].diag, want[lo].buf, want[lo].n, want[lo].from, 1);
			for (; hi < w && want[hi].line == line && want[hi].from == col && rc == 0; hi++)
				if (!(want[hi].buf = kg__malloc(EXCERPT_BYTES + 4)))
					rc = KG_ENOMEM;
			if (rc)
				return rc;
			if (line + 1 == last && tailn + 4 > sizeof tail) {
				/* Keep the later half of the tail, from a character. */
				size_t cut = tailn / 2;
				while (cut < tailn && ((unsigned char)tail[cut] & 0xC0) == 0x80)
					cut++;
				memmove(tail, tail + cut, tailn - cut);
				tailn -= cut;
			}
			col++;
		}
		if (line + 1 == last)
			tail[tailn++] = (char)c;
		for (j = lo; j < hi; j++)
			if (want[j].n < EXCERPT_BYTES + 4)
				want[j].buf[want[j].n++] = (char)c;
	}
}

/* Give this file's diagnostics their source lines, and a line and column
 * to those known only by byte offset. One or two passes over the file,
 * only when it has diagnostics. */
int kg__diag_fill_lines(kg_diag_list *list, const char *name, FILE *fp, const char *mem, size_t memlen,
                        size_t first, const kg__offfix *offsets, size_t noffsets)
{
	size_t n = kg_diag_list_count(list), i, w = 0;
	reader r = {fp, mem, memlen, 0, NULL};
	wanted *want;
	int rc = 0, c, c2;

	if (first >= n)
		return 0;
	place_offsets(list, &r, offsets, noffsets);
	if (quiet_file(list, name) || rd_rewind(&r)) {
		kg__free(r.buf);
		return 0;
	}
	/* UTF-16 text is not quoted: its excerpt would not be UTF-8. */
	c = rd_getc(&r);
	c2 = rd_getc(&r);
	if ((c == 0xFF && c2 == 0xFE) || (c == 0xFE && c2 == 0xFF) || rd_rewind(&r)) {
		kg__free(r.buf);
		return 0;
	}
	want = kg__calloc(n - first, sizeof *want);
	if (!want) {
		kg__free(r.buf);
		return KG_ENOMEM;
	}
	for (i = first; i < n; i++) {
		const kg_diag *d = kg_diag_list_get(list, i);
		if (d->where.file && d->where.line && !d->source_line && strcmp(d->where.file, name) == 0) {
			want[w].line = d->where.line;
			window(&want[w], d->where.column);
			want[w].diag = i;
			w++;
		}
	}
	qsort(want, w, sizeof *want, cmp_wanted);
	if (w)
		rc = collect(list, &r, want, w);
	for (i = 0; i < w; i++)
		kg__free(want[i].buf);
	kg__free(want);
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
		if (j < i || quiet_file(list, d->where.file))
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
