/*
 * format.h - the on-disk layout of a snapshot (private; docs/snapshot.md
 * describes it for readers of the file).
 *
 * A snapshot is a header, a table of sections and the sections, each at an
 * offset that is a multiple of 8. Most sections are one of kg_graph's
 * arrays byte for byte (graph_internal.h), so that opening one is a
 * pointer into the mapping; the rest (texts, string offsets, source files,
 * diagnostics) are arrays of the fixed-size records below. Integers are in
 * the writer's byte order, which the header's endian mark names.
 */
#ifndef KG_SNAPSHOT_FORMAT_H
#define KG_SNAPSHOT_FORMAT_H

#include "core/graph_internal.h"
#include "kgraph/common.h"
#include "snapshot/blocks.h"

#include <stdint.h>

/* PNG's idea: a high byte (7-bit transfers clear it), CR LF and a lone LF
 * (text-mode transfers change them), ^Z (stops a DOS type) and a NUL
 * (C string copies stop at it). */
#define KG__SNAP_MAGIC "\x89KGRAPH\r\n\x1a\n"
#define KG__SNAP_MAGIC_LEN 12 /* with the string's NUL */
#define KG__SNAP_VERSION 6u
#define KG__SNAP_ENDIAN 0x01020304u
#define KG__SNAP_NOTEXT UINT32_MAX /* a text offset meaning "none" */

enum {
	KG__S_META = 0,
	KG__S_TEXT,       /* NUL-terminated texts: file names, paths, diagnostics */
	KG__S_FILES,      /* kg__snap_file, one per kg_graph_file */
	KG__S_INPUTS,     /* uint32_t text offsets: the files compiled, in order */
	KG__S_DIAGS,      /* kg__snap_diag */
	KG__S_STROFF,     /* uint32_t per string id: offset of its text in STRTEXT */
	KG__S_STRTEXT,    /* per string in id order, nothing between: text, NUL;
	                     compressed in blocks (blocks.c, BLOCKS) */
	KG__S_STRSLOT,    /* uint32_t: the string table's slots (ids of its keys) */
	KG__S_ENTITIES,
	KG__S_RELATIONS,
	KG__S_EXT,        /* compressed in blocks */
	KG__S_EXT_BITS,
	KG__S_EXT_RANK,
	KG__S_ELOC_BASE,
	KG__S_ELOC_CODE,
	KG__S_ELOC_FAR,
	KG__S_RLOC_BASE,
	KG__S_RLOC_CODE,  /* compressed in blocks */
	KG__S_RLOC_FAR,
	KG__S_TYPES,
	KG__S_RTYPES,
	KG__S_SOURCES,
	KG__S_ATTRS,
	KG__S_U32,
	KG__S_OUT_OFF,
	KG__S_OUT_REL,
	KG__S_IN_OFF,
	KG__S_IN_REL,
	KG__S_NAME_HASH,
	KG__S_NAME_ENTITY,
	KG__S_FOLDERS,    /* uint32_t text offsets: the folders the graph may read (util/path.h) */
	KG__S_BLOCKS,     /* uint64_t: for STRTEXT, EXT and RLOC_CODE in turn, where each of
	                     its compressed blocks starts, then the section's size */
	KG__S_ID_SLOT,    /* uint32_t: entities by id (kg_graph.id_slot) */
	KG__S_COUNT
};

typedef struct kg__snap_header {
	char magic[KG__SNAP_MAGIC_LEN];
	uint32_t version;
	uint32_t endian;
	uint32_t nsections;   /* KG__S_COUNT */
	uint64_t file_size;
	uint64_t table_hash;  /* kg__hash of the section table */
	uint64_t header_hash; /* kg__hash of this header, this field 0 */
} kg__snap_header;

typedef struct kg__snap_section {
	uint32_t id;
	uint32_t elem;   /* bytes per element: sizeof the record, 1 for text */
	uint64_t offset; /* from the start of the file; a multiple of 8 */
	uint64_t length; /* bytes */
	uint64_t hash;   /* kg__hash of the bytes */
} kg__snap_section;

typedef struct kg__snap_meta {
	uint32_t title, description; /* string ids */
	uint32_t nshared_folders;    /* the first this many FOLDERS are every file's */
	uint32_t strtext_size;       /* bytes of string text, decompressed */
	uint32_t ext_count;          /* side records (EXT decompressed) */
	uint32_t pad;
} kg__snap_meta;

typedef struct kg__snap_file {
	uint32_t name;   /* text offset: the name locations use */
	uint32_t path;   /* text offset: absolute path; KG__SNAP_NOTEXT (stdin) */
	uint64_t size;
	int64_t mtime_sec, mtime_nsec;
	uint64_t hash;   /* kg__hash of the content */
} kg__snap_file;

typedef struct kg__snap_diag {
	uint32_t severity;
	uint32_t file, line, column;         /* file: text offset */
	uint32_t message, hint, source_line; /* text offsets */
	uint32_t rfile, rline, rcolumn, rmessage;
	uint32_t pad;
} kg__snap_diag;

/* The size of one element of each section (1 for bytes). */
extern const uint32_t kg__snap_elem[KG__S_COUNT];

/* What a graph opened from a snapshot keeps besides the graph: the
 * mapping and the pieces the graph's arrays do not cover. */
typedef struct kg__snap_ctx {
	void *map;
	size_t size;
	const char *text;
	size_t ntext;
	const kg__snap_file *files;
	size_t nfiles;
	const uint32_t *inputs;
	size_t ninputs;
	const uint32_t *folders;
	size_t nfolders, nshared_folders;
	char *path; /* the snapshot's own name, for messages */
	/* The compressed sections, decompressed as they are read: the
	 * string text, the side records, the relation location codes. */
	kg__snap_z strtext, ext, rloc;
} kg__snap_ctx;

/* The snapshot context of g, or NULL for a loaded graph. */
const kg__snap_ctx *kg__snap_of(const kg_graph *g);

/* kg__hash of a whole file's content into *hash; 0, or an errno value. */
int kg__snap_hash_file(uint64_t *hash, const char *path, uint64_t *size);

#endif
