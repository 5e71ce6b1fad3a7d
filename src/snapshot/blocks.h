/*
 * blocks.h - a snapshot's cold sections (string text, side records,
 * relation location codes), compressed in blocks (private; see blocks.c).
 */
#ifndef KG_SNAPSHOT_BLOCKS_H
#define KG_SNAPSHOT_BLOCKS_H

#include "kgraph/common.h"
#include "util/util.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes a block holds decompressed (the last one fewer). */
#define KG__Z_BLOCK (64 * 1024)

/* Compress n bytes at text, block after block, into *z (*nz bytes,
 * allocated); *starts gets nblocks + 1 offsets into it (where each block
 * starts, then *nz), allocated. KG_OK or KG_ENOMEM. */
int kg__snap_z_compress(char **z, size_t *nz, uint64_t **starts, size_t *nblocks, const char *text, size_t n);

/* The reader's side: the compressed blocks, where each starts, and the
 * buffer they are decompressed into. */
typedef struct kg__snap_z {
	const unsigned char *z;
	const uint64_t *start; /* nblocks + 1 */
	size_t nblocks;
	size_t size;
	char *plain;    /* size bytes; block b at b * KG__Z_BLOCK */
	uint8_t *state; /* per block, atomic: blocks.c */
} kg__snap_z;

/* Set x up over nz compressed bytes at z, nstart block offsets at start,
 * for size bytes decompressed: 0; 1 when the offsets do not describe the
 * blocks of size bytes (one more than blocks, from 0, never decreasing,
 * ending at nz, each block stored in at most its size and at least
 * 1/64 of it); KG_ENOMEM. O(blocks). */
int kg__snap_z_init(kg__snap_z *x, const unsigned char *z, size_t nz, const uint64_t *start, size_t nstart,
                       size_t size);
void kg__snap_z_free(kg__snap_z *x);

/* kg__strtab.ready, kg__lazy.ready: make bytes at..end of x readable,
 * decompressing the blocks they lie in that were not yet: 0, or -1 when
 * one does not decompress to its size or end is beyond the section.
 * Thread-safe. */
int kg__snap_z_ready(void *x, uint64_t at, uint64_t end);

#endif
