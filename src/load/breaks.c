/*
 * breaks.c - where libyaml ends a line and an editor does not, so that
 * the event reader's 1-based lines and columns are the ones an editor
 * and `grep -n` show. It is also libyaml's read handler: it sees every
 * byte of the input once, as libyaml reads it.
 *
 * No libyaml here: the handler's signature is plain C, and marks come as
 * their character index and column.
 */
#include "load/breaks.h"
#include "load/loader.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* libyaml ends a line at LF, CR LF, a lone CR, and also at NEL (U+0085),
 * LS (U+2028) and PS (U+2029). Editors and `grep -n` do not end a line at
 * the last three, so a file with an LS inside a quoted name would have
 * every later error one line down, at the wrong column. libyaml reads the
 * input through kg__breaks_read below, which notes where each NEL, LS and PS
 * is (as libyaml's character index, mark.index) and where the line it is
 * on begins; kg__breaks_fix takes them out of libyaml's marks. A file without
 * them (nearly all) costs one pass over its bytes as they are read.
 *
 * With a parser thread, kg__breaks_read runs there and kg__breaks_fix in the reader:
 * the list is guarded by a mutex, taken only once there is something in
 * it. Every event's input has been read before the event reaches the
 * reader, so the breaks before its mark are always known. */

typedef struct kg__brk {
	size_t at;    /* libyaml's character index of the NEL, LS or PS */
	size_t start; /* of the first character of the line it is on */
} kg__brk;

typedef struct kg__breaks {
	FILE *fp; /* the input: a file, or memory */
	const unsigned char *mem;
	size_t memlen, mempos;
	/* Reading state: the encoding (known after the first bytes), the
	 * characters seen (libyaml's index of the next one), where the current
	 * line starts, the last two bytes (or the half of a UTF-16 unit). */
	int enc;     /* 0 not known yet, 1 UTF-8, 2 UTF-16LE, 3 UTF-16BE */
	size_t skip; /* byte-order mark bytes still to skip */
	size_t chars, line_start;
	unsigned b1, b2;
	int have_half;
	pthread_mutex_t mu;
	_Atomic size_t n; /* breaks found */
	KG_VEC(kg__brk) v;
	int failed; /* out of memory: marks are libyaml's */
} kg__breaks;

static void note_break(kg__breaks *k)
{
	kg__brk b;

	b.at = k->chars - 1;
	b.start = k->line_start;
	pthread_mutex_lock(&k->mu);
	if (KG_VEC_PUSH(k->v, b))
		k->failed = 1;
	else
		atomic_store(&k->n, k->v.n);
	pthread_mutex_unlock(&k->mu);
}

/* Count one UTF-16 unit u. */
static void scan_unit(kg__breaks *k, unsigned u)
{
	if (u >= 0xDC00 && u <= 0xDFFF)
		return; /* the second half of a pair: no new character */
	k->chars++;
	if (u == '\n' || u == '\r')
		k->line_start = k->chars;
	else if (u == 0x85 || u == 0x2028 || u == 0x2029)
		note_break(k);
}

/* Count the bytes p[0..n) as libyaml will read them. */
static void scan(kg__breaks *k, const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (k->enc == 0) {
		/* libyaml decides by the first bytes, and a byte-order mark is no
		 * character of its index. (A first read shorter than 3 bytes is
		 * the whole input.) */
		if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
			k->enc = p[0] == 0xFF ? 2 : 3;
			k->skip = 2;
		} else {
			k->enc = 1;
			k->skip = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
		}
	}
	for (; k->skip && i < n; i++)
		k->skip--;
	if (k->enc != 1) {
		for (; i < n; i++) {
			if (!k->have_half) {
				k->b1 = p[i];
				k->have_half = 1;
				continue;
			}
			k->have_half = 0;
			scan_unit(k, k->enc == 2 ? k->b1 | (unsigned)p[i] << 8 : k->b1 << 8 | p[i]);
		}
		return;
	}
	for (; i < n; i++) {
		unsigned b = p[i];
		if (b < 0x80) {
			k->chars++;
			if (b == '\n' || b == '\r')
				k->line_start = k->chars;
		} else if ((b & 0xC0) != 0x80) {
			k->chars++;
		} else if ((b == 0x85 && k->b1 == 0xC2) ||
		           ((b == 0xA8 || b == 0xA9) && k->b1 == 0x80 && k->b2 == 0xE2)) {
			note_break(k);
		}
		k->b2 = k->b1;
		k->b1 = b;
	}
}

/* libyaml's read handler: the next bytes of the input, counted. */
int kg__breaks_read(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	kg__breaks *k = data;

	if (k->fp) {
		*size_read = fread(buffer, 1, size, k->fp);
		if (ferror(k->fp))
			return 0;
	} else {
		*size_read = k->memlen - k->mempos < size ? k->memlen - k->mempos : size;
		memcpy(buffer, k->mem + k->mempos, *size_read);
		k->mempos += *size_read;
	}
	scan(k, buffer, *size_read);
	return 1;
}

kg__breaks *kg__breaks_new(const kg__ld_file *f)
{
	kg__breaks *k = kg__calloc(1, sizeof *k);

	if (!k)
		return NULL;
	if (pthread_mutex_init(&k->mu, NULL)) {
		kg__free(k);
		return NULL;
	}
	k->fp = f->fp;
	k->mem = (const unsigned char *)f->mem;
	k->memlen = f->memlen;
	return k;
}

void kg__breaks_free(kg__breaks *k)
{
	if (!k)
		return;
	pthread_mutex_destroy(&k->mu);
	KG_VEC_FREE(k->v);
	kg__free(k);
}

void kg__breaks_fix(kg__breaks *k, size_t index, size_t column, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi;

	if (!k || !(hi = atomic_load(&k->n)))
		return;
	pthread_mutex_lock(&k->mu);
	if (!k->failed) {
		/* lo = the breaks before the mark */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (k->v.v[mid].at < index)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			const kg__brk *b = &k->v.v[lo - 1];
			*line -= (unsigned)lo;
			if (index >= column && index - column == b->at + 1)
				*col = (unsigned)(index - b->start + 1);
		}
	}
	pthread_mutex_unlock(&k->mu);
}
