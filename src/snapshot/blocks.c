/*
 * blocks.c - a snapshot's cold sections, compressed in blocks.
 *
 * Issue 17 asks a snapshot to be at most 0.6 x its YAML. A snapshot is
 * the graph's arrays as they are in memory, and three of them are read
 * by few questions: the string text (a third of the 1M-relation benchmark
 * snapshot, of which a question reads a few dozen strings), the side
 * records (dates, sources, quotes: read for the relations an answer
 * prints) and the relations' location codes (read for diagnostics and
 * --explain). The writer cuts each into blocks of KG__Z_BLOCK bytes,
 * compressed on their own with zstd, with a checksum each; the reader
 * gives the graph a buffer of the section's size in which a block is
 * decompressed the first time something in it is read (kg__strtab.ready,
 * kg__lazy.ready). Untouched pages of the buffer cost nothing. Several
 * threads may read one graph: a block is claimed with an atomic state,
 * and the others wait for it.
 *
 * The blocks are input like the rest of the file: a block that does not
 * decompress to exactly its size, checksum verified, leaves what is in it
 * unreadable, and the read that wanted it says the snapshot is damaged.
 */
#include "snapshot/blocks.h"

#include <sched.h>
#include <string.h>
#include <zstd.h>

/* Level 3 (zstd's default): 3.5 x on the benchmark's text, against 3.3
 * at level 1, and compiling is dominated by the load either way. */
#define LEVEL 3

/* A block is stored compressed only when zstd makes it smaller, and at
 * most this many times smaller: else as it is. So a block's stored size
 * tells how it is stored (its full size: as it is), and no snapshot
 * decompresses to more than MAX_RATIO times its size, however hostile
 * (zstd alone can make 64 KiB out of 20 bytes). Text rarely compresses
 * 10 times. */
#define MAX_RATIO 64

int kg__snap_z_compress(char **z, size_t *nz, uint64_t **starts, size_t *nblocks, const char *text, size_t n)
{
	size_t nb = (n + KG__Z_BLOCK - 1) / KG__Z_BLOCK, b, bound = ZSTD_compressBound(KG__Z_BLOCK);
	ZSTD_CCtx *cx = ZSTD_createCCtx();
	uint64_t *start = kg__malloc((nb + 1) * sizeof *start);
	KG_VEC(char) out = {NULL, 0, 0};
	int rc = KG_OK;

	*z = NULL;
	*nz = 0;
	*starts = NULL;
	*nblocks = 0;
	/* Each block carries a checksum of its text (4 bytes), verified as it
	 * is decompressed: a changed byte is found when it is read, not only
	 * by a verified open. */
	if (!cx || !start || ZSTD_isError(ZSTD_CCtx_setParameter(cx, ZSTD_c_compressionLevel, LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cx, ZSTD_c_checksumFlag, 1))) {
		rc = KG_ENOMEM;
		goto done;
	}
	for (b = 0; b < nb; b++) {
		size_t len = b + 1 < nb ? KG__Z_BLOCK : n - b * KG__Z_BLOCK, got;
		start[b] = out.n;
		if (KG_VEC_RESERVE(out, out.n + bound)) {
			rc = KG_ENOMEM;
			goto done;
		}
		got = ZSTD_compress2(cx, out.v + out.n, bound, text + b * KG__Z_BLOCK, len);
		if (ZSTD_isError(got)) {
			rc = KG_ENOMEM;
			goto done;
		}
		/* A block that would not shrink, or would shrink more than
		 * MAX_RATIO times, is kept as it is (see raw_or_zstd). */
		if (got >= len || got < len / MAX_RATIO) {
			memcpy(out.v + out.n, text + b * KG__Z_BLOCK, len);
			got = len;
		}
		out.n += got;
	}
	start[nb] = out.n;
	*z = out.v;
	*nz = out.n;
	*starts = start;
	*nblocks = nb;
	out.v = NULL;
	start = NULL;
done:
	KG_VEC_FREE(out);
	kg__free(start);
	ZSTD_freeCCtx(cx);
	return rc;
}

int kg__snap_z_init(kg__snap_z *x, const unsigned char *z, size_t nz, const uint64_t *start, size_t nstart,
                       size_t size)
{
	size_t nb = (size + KG__Z_BLOCK - 1) / KG__Z_BLOCK, b;

	memset(x, 0, sizeof *x);
	if (nstart != nb + 1 || start[0] != 0 || start[nb] != nz)
		return 1;
	for (b = 0; b < nb; b++) {
		uint64_t len = b + 1 < nb ? KG__Z_BLOCK : size - b * KG__Z_BLOCK;
		if (start[b + 1] < start[b] || start[b + 1] - start[b] > len || start[b + 1] - start[b] < len / MAX_RATIO)
			return 1;
	}
	x->z = z;
	x->start = start;
	x->nblocks = nb;
	x->size = size;
	/* Pages of the buffer are only mapped as blocks are written into
	 * them. */
	x->plain = kg__malloc(size ? size : 1);
	x->state = kg__calloc(nb ? nb : 1, sizeof *x->state);
	if (!x->plain || !x->state) {
		kg__snap_z_free(x);
		return KG_ENOMEM;
	}
	return 0;
}

void kg__snap_z_free(kg__snap_z *x)
{
	kg__free(x->plain);
	kg__free(x->state);
	memset(x, 0, sizeof *x);
}

enum { EMPTY, FILLING, FILLED, BROKEN };

/* Block b decompressed into plain: FILLED or BROKEN. */
static uint8_t fill(kg__snap_z *x, size_t b)
{
	uint8_t s = __atomic_load_n(&x->state[b], __ATOMIC_ACQUIRE), empty = EMPTY;
	size_t len, zlen, got;

	if (s == FILLED || s == BROKEN)
		return s;
	if (s == EMPTY && __atomic_compare_exchange_n(&x->state[b], &empty, FILLING, false, __ATOMIC_ACQ_REL,
	                                              __ATOMIC_ACQUIRE)) {
		len = b + 1 < x->nblocks ? KG__Z_BLOCK : x->size - b * KG__Z_BLOCK;
		zlen = (size_t)(x->start[b + 1] - x->start[b]);
		if (zlen == len) {
			memcpy(x->plain + b * KG__Z_BLOCK, x->z + x->start[b], len);
			s = FILLED;
		} else {
			got = ZSTD_decompress(x->plain + b * KG__Z_BLOCK, len, x->z + x->start[b], zlen);
			s = !ZSTD_isError(got) && got == len ? FILLED : BROKEN;
		}
		__atomic_store_n(&x->state[b], s, __ATOMIC_RELEASE);
		return s;
	}
	/* Another thread is decompressing it: about 50 us. */
	while ((s = __atomic_load_n(&x->state[b], __ATOMIC_ACQUIRE)) == FILLING)
		sched_yield();
	return s;
}

int kg__snap_z_ready(void *ctx, uint64_t at, uint64_t end)
{
	kg__snap_z *x = ctx;
	size_t b;

	if (end <= at)
		return 0;
	if (end > x->size)
		return -1;
	for (b = (size_t)(at / KG__Z_BLOCK); b <= (end - 1) / KG__Z_BLOCK; b++)
		if (fill(x, b) != FILLED)
			return -1;
	return 0;
}
