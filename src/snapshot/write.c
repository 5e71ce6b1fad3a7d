/*
 * write.c - a loaded graph to a snapshot file (kgraph compile).
 *
 * Most of kg_graph's arrays go out byte for byte, as sections. Two things
 * cannot: the strings, which live in arena chunks behind pointers and are
 * gathered into one section with an offset per id, and what is outside
 * the graph (source files with their size, time and hash; the load's
 * diagnostics), which go out as fixed-size records with their text in a
 * text section. Writing is O(graph + source files); it is done once, so
 * it may cost what opening must not.
 */
#define _XOPEN_SOURCE 700
#include "snapshot/format.h"
#include "kgraph/snapshot.h"
#include "core/diag_internal.h"
#include "util/atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const uint32_t kg__snap_elem[KG__S_COUNT] = {
	[KG__S_META] = sizeof(kg__snap_meta),
	[KG__S_TEXT] = 1,
	[KG__S_FILES] = sizeof(kg__snap_file),
	[KG__S_INPUTS] = sizeof(uint32_t),
	[KG__S_DIAGS] = sizeof(kg__snap_diag),
	[KG__S_STROFF] = sizeof(uint32_t),
	[KG__S_STRTEXT] = 1,
	[KG__S_BLOCKS] = sizeof(uint64_t),
	[KG__S_STRSLOT] = sizeof(uint32_t),
	[KG__S_ENTITIES] = sizeof(kg__entity),
	[KG__S_RELATIONS] = sizeof(kg__relation),
	[KG__S_EXT] = 1, /* compressed */
	[KG__S_EXT_BITS] = sizeof(uint64_t),
	[KG__S_EXT_RANK] = sizeof(uint32_t),
	[KG__S_ELOC_BASE] = sizeof(kg__loc),
	[KG__S_ELOC_CODE] = sizeof(uint16_t),
	[KG__S_ELOC_FAR] = sizeof(kg__locfar),
	[KG__S_RLOC_BASE] = sizeof(kg__loc),
	[KG__S_RLOC_CODE] = 1, /* compressed */
	[KG__S_RLOC_FAR] = sizeof(kg__locfar),
	[KG__S_TYPES] = sizeof(kg__type),
	[KG__S_RTYPES] = sizeof(kg__rtype),
	[KG__S_SOURCES] = sizeof(kg__source),
	[KG__S_ATTRS] = sizeof(kg__attr),
	[KG__S_U32] = sizeof(uint32_t),
	[KG__S_OUT_OFF] = sizeof(uint32_t),
	[KG__S_OUT_REL] = sizeof(uint32_t),
	[KG__S_IN_OFF] = sizeof(uint32_t),
	[KG__S_IN_REL] = sizeof(uint32_t),
	[KG__S_NAME_HASH] = sizeof(uint32_t),
	[KG__S_NAME_ENTITY] = sizeof(uint32_t),
	[KG__S_FOLDERS] = sizeof(uint32_t),
	[KG__S_ID_SLOT] = sizeof(uint32_t),
};

int kg__snap_hash_file(uint64_t *hash, const char *path, uint64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	struct stat st;
	void *p;

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		err = errno ? errno : EINVAL;
		close(fd);
		return err;
	}
	*size = (uint64_t)st.st_size;
	if (st.st_size == 0) {
		*hash = kg__hash("", 0);
	} else if ((p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		*hash = kg__hash(p, (size_t)st.st_size);
		munmap(p, (size_t)st.st_size);
	} else {
		err = errno;
	}
	close(fd);
	return err;
}

/* What is being written: the sections' bytes (borrowed or in the bufs). */
typedef struct writer {
	const void *data[KG__S_COUNT];
	size_t len[KG__S_COUNT];
	kg__buf text, strtext;
	KG_VEC(uint32_t) stroff;
	KG_VEC(uint32_t) inputs;
	KG_VEC(uint32_t) folders;
	KG_VEC(kg__snap_file) files;
	KG_VEC(kg__snap_diag) diags;
	uint32_t *slot4; /* built when the table was not trimmed */
	/* The compressed sections (blocks.c): string text, side records,
	 * relation location codes; where their blocks start, one after the
	 * other. */
	char *z[3];
	KG_VEC(uint64_t) blocks;
	kg__snap_meta meta;
	bool too_big;
} writer;

#define SECTION(w, id, ptr, count) ((w)->data[id] = (ptr), (w)->len[id] = (size_t)(count) * kg__snap_elem[id])

/* Text s into the text section: its offset, or KG__SNAP_NOTEXT for NULL
 * (and when out of memory or too big, which w records). */
static uint32_t text(writer *w, const char *s)
{
	size_t at = w->text.n;

	if (!s)
		return KG__SNAP_NOTEXT;
	if (at >= KG__SNAP_NOTEXT - strlen(s) - 1 || kg__buf_add(&w->text, s, strlen(s) + 1)) {
		w->too_big = true;
		return KG__SNAP_NOTEXT;
	}
	return (uint32_t)at;
}

/* Section id, n bytes at p, compressed as the k-th compressed section
 * (blocks.c): its blocks' starts appended to BLOCKS. */
static int compress(writer *w, int k, int id, const void *p, size_t n)
{
	uint64_t *start;
	size_t nz, nblocks, i;
	int rc;

	if ((rc = kg__snap_z_compress(&w->z[k], &nz, &start, &nblocks, p, n)) != KG_OK)
		return rc;
	for (i = 0; i <= nblocks && rc == KG_OK; i++)
		rc = KG_VEC_PUSH(w->blocks, start[i]) ? KG_ENOMEM : KG_OK;
	kg__free(start);
	SECTION(w, id, w->z[k], nz);
	SECTION(w, KG__S_BLOCKS, w->blocks.v, w->blocks.n);
	return rc;
}

/* The strings in id order with nothing between them (the table's pieces
 * of memory may leave gaps), id 0's NUL first, at offset 0; the slots as
 * they are, or (a table still being filled) slots for the graph's keys,
 * as a trimmed table has. */
static int gather_strings(writer *w, const kg_graph *g)
{
	const kg__strtab *t = &g->strings;
	size_t id;

	if (KG_VEC_RESERVE(w->stroff, t->n ? t->n : 1))
		return KG_ENOMEM;
	for (id = 0; id < t->n; id++) {
		const char *h = kg__strtab_at(t, t->off[id]);
		size_t at = w->strtext.n, len = kg__strlen(t, (uint32_t)id);
		if (at + len + 1 > UINT32_MAX)
			return KG_EARG;
		if (kg__buf_add(&w->strtext, h, len + 1))
			return KG_ENOMEM;
		w->stroff.v[w->stroff.n++] = (uint32_t)at;
	}
	if (t->slot4) {
		SECTION(w, KG__S_STRSLOT, t->slot4, t->nslot);
	} else {
		uint32_t *keys;
		size_t nkeys, nslot;
		int rc = kg__graph_keys(g, &keys, &nkeys);
		if (rc == KG_OK && kg__strtab_key_slots(t, keys, nkeys, &w->slot4, &nslot))
			rc = KG_ENOMEM;
		kg__free(keys);
		if (rc != KG_OK)
			return rc;
		SECTION(w, KG__S_STRSLOT, w->slot4, nslot);
	}
	SECTION(w, KG__S_STROFF, w->stroff.v, w->stroff.n);
	w->meta.strtext_size = (uint32_t)w->strtext.n;
	return compress(w, 0, KG__S_STRTEXT, w->strtext.p, w->strtext.n);
}

/* Each file's name, absolute path, size, time and content hash. A file
 * that cannot be read again (standard input) has no path: it is never
 * reported as changed. */
static int gather_files(writer *w, const kg_graph *g, const kg_snapshot_options *opts)
{
	size_t i;

	for (i = 0; i < g->files.n; i++) {
		kg__snap_file f;
		char *abs = realpath(g->files.v[i], NULL);
		struct stat st;
		memset(&f, 0, sizeof f);
		f.name = text(w, g->files.v[i]);
		f.path = KG__SNAP_NOTEXT;
		if (abs && stat(abs, &st) == 0 && S_ISREG(st.st_mode) &&
		    kg__snap_hash_file(&f.hash, abs, &f.size) == 0) {
			f.path = text(w, abs);
			f.mtime_sec = (int64_t)st.st_mtim.tv_sec;
			f.mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
		}
		free(abs);
		if (KG_VEC_PUSH(w->files, f))
			return KG_ENOMEM;
	}
	for (i = 0; opts && i < opts->ninputs; i++) {
		char *abs = realpath(opts->inputs[i], NULL);
		uint32_t at = abs ? text(w, abs) : KG__SNAP_NOTEXT;
		free(abs);
		if (at != KG__SNAP_NOTEXT && KG_VEC_PUSH(w->inputs, at))
			return KG_ENOMEM;
	}
	/* The folders the graph may read files from (its sources' texts, for
	 * check --quotes), as the load resolved them. */
	for (i = 0; i < g->folders.n; i++)
		if (KG_VEC_PUSH(w->folders, text(w, g->folders.v[i])))
			return KG_ENOMEM;
	w->meta.nshared_folders = (uint32_t)g->nshared_folders;
	SECTION(w, KG__S_FILES, w->files.v, w->files.n);
	SECTION(w, KG__S_INPUTS, w->inputs.v, w->inputs.n);
	SECTION(w, KG__S_FOLDERS, w->folders.v, w->folders.n);
	return KG_OK;
}

static int gather_diags(writer *w, const kg_diag_list *diags)
{
	size_t i, n = diags ? kg_diag_list_count(diags) : 0;

	for (i = 0; i < n; i++) {
		const kg_diag *d = kg_diag_list_get(diags, i);
		kg__snap_diag s;
		memset(&s, 0, sizeof s);
		s.severity = (uint32_t)d->severity;
		s.file = text(w, d->where.file);
		s.line = d->where.line;
		s.column = d->where.column;
		s.message = text(w, d->message);
		s.hint = text(w, d->hint);
		s.source_line = text(w, d->source_line);
		s.rfile = text(w, d->related.file);
		s.rline = d->related.line;
		s.rcolumn = d->related.column;
		s.rmessage = text(w, d->related_message);
		if (KG_VEC_PUSH(w->diags, s))
			return KG_ENOMEM;
	}
	SECTION(w, KG__S_DIAGS, w->diags.v, w->diags.n);
	return KG_OK;
}

static void graph_sections(writer *w, const kg_graph *g)
{
	size_t ne = g->entities.n, nr = g->relations.n;

	w->meta.title = g->title;
	w->meta.description = g->description;
	SECTION(w, KG__S_META, &w->meta, 1);
	SECTION(w, KG__S_ENTITIES, g->entities.v, ne);
	SECTION(w, KG__S_RELATIONS, g->relations.v, nr);
	w->meta.ext_count = (uint32_t)g->ext.n;
	SECTION(w, KG__S_EXT_BITS, g->ext_bits.v, g->ext_bits.n);
	SECTION(w, KG__S_EXT_RANK, g->ext_rank.v, g->ext_rank.n);
	SECTION(w, KG__S_ELOC_BASE, g->entity_locs.base.v, g->entity_locs.base.n);
	SECTION(w, KG__S_ELOC_CODE, g->entity_locs.code.v, g->entity_locs.code.n);
	SECTION(w, KG__S_ELOC_FAR, g->entity_locs.far.v, g->entity_locs.far.n);
	SECTION(w, KG__S_RLOC_BASE, g->relation_locs.base.v, g->relation_locs.base.n);
	SECTION(w, KG__S_RLOC_FAR, g->relation_locs.far.v, g->relation_locs.far.n);
	SECTION(w, KG__S_TYPES, g->types.v, g->types.n);
	SECTION(w, KG__S_RTYPES, g->rtypes.v, g->rtypes.n);
	SECTION(w, KG__S_SOURCES, g->sources.v, g->sources.n);
	SECTION(w, KG__S_ATTRS, g->attrs.v, g->attrs.n);
	SECTION(w, KG__S_U32, g->u32.v, g->u32.n);
	/* The offsets have ne + 1 entries that count (build_csr allocates
	 * one more for its own use). */
	SECTION(w, KG__S_OUT_OFF, g->out_off, ne + 1);
	SECTION(w, KG__S_OUT_REL, g->out_rel, nr);
	SECTION(w, KG__S_IN_OFF, g->in_off, ne + 1);
	SECTION(w, KG__S_IN_REL, g->in_rel, nr);
	SECTION(w, KG__S_NAME_HASH, g->name_hash, g->nnames);
	SECTION(w, KG__S_NAME_ENTITY, g->name_entity, g->nnames);
	SECTION(w, KG__S_ID_SLOT, g->id_slot, g->nid_slot);
}

static uint64_t align8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

/* Header, table, sections, each section at a multiple of 8. */
static int emit(kg__atomic_file *f, writer *w)
{
	static const char zeros[8];
	kg__snap_header h;
	kg__snap_section table[KG__S_COUNT];
	uint64_t at = align8(sizeof h + sizeof table);
	int i, err;

	memset(&h, 0, sizeof h);
	memset(table, 0, sizeof table);
	for (i = 0; i < KG__S_COUNT; i++) {
		table[i].id = (uint32_t)i;
		table[i].elem = kg__snap_elem[i];
		table[i].offset = at;
		table[i].length = w->len[i];
		table[i].hash = kg__hash(w->len[i] ? w->data[i] : "", w->len[i]);
		at = align8(at + w->len[i]);
	}
	memcpy(h.magic, KG__SNAP_MAGIC, KG__SNAP_MAGIC_LEN);
	h.version = KG__SNAP_VERSION;
	h.endian = KG__SNAP_ENDIAN;
	h.nsections = KG__S_COUNT;
	h.file_size = at;
	h.table_hash = kg__hash(table, sizeof table);
	h.header_hash = kg__hash(&h, sizeof h);
	if ((err = kg__atomic_write(f, &h, sizeof h)) || (err = kg__atomic_write(f, table, sizeof table)))
		return err;
	at = sizeof h + sizeof table;
	for (i = 0; i < KG__S_COUNT; i++) {
		if (table[i].offset > at && (err = kg__atomic_write(f, zeros, (size_t)(table[i].offset - at))))
			return err;
		if (w->len[i] && (err = kg__atomic_write(f, w->data[i], w->len[i])))
			return err;
		at = table[i].offset + w->len[i];
	}
	if (h.file_size > at)
		return kg__atomic_write(f, zeros, (size_t)(h.file_size - at));
	return 0;
}

static void writer_free(writer *w)
{
	kg__buf_free(&w->text);
	kg__buf_free(&w->strtext);
	KG_VEC_FREE(w->stroff);
	KG_VEC_FREE(w->inputs);
	KG_VEC_FREE(w->files);
	KG_VEC_FREE(w->folders);
	KG_VEC_FREE(w->diags);
	kg__free(w->slot4);
	kg__free(w->z[0]);
	kg__free(w->z[1]);
	kg__free(w->z[2]);
	KG_VEC_FREE(w->blocks);
}

int kg_snapshot_write(const kg_graph *g, const char *path, const kg_snapshot_options *opts,
                      kg_diag_list *diags)
{
	kg_location where = {path, 0, 0};
	kg__atomic_file f;
	writer w;
	int rc, err;

	if (opts && (opts->version < 1 || opts->version > KG_SNAPSHOT_OPTIONS_VERSION))
		return KG_EARG;
	/* The writer reads the arrays directly: a snapshot read lazily is
	 * checked whole first. */
	if ((rc = kg__graph_trust(g)) != KG_OK) {
		if (rc == KG_EINVALID && kg__diag_addf(diags, KG_SEV_ERROR, &where, NULL, NULL,
		                                        "the graph is a damaged snapshot: %s", kg_graph_damage(g)))
			rc = KG_ENOMEM;
		return rc;
	}
	memset(&w, 0, sizeof w);
	graph_sections(&w, g);
	if ((rc = gather_strings(&w, g)) ||
	    (rc = compress(&w, 1, KG__S_EXT, g->ext.v, g->ext.n * sizeof *g->ext.v)) ||
	    (rc = compress(&w, 2, KG__S_RLOC_CODE, g->relation_locs.code.v,
	                   g->relation_locs.code.n * sizeof *g->relation_locs.code.v)) ||
	    (rc = gather_files(&w, g, opts)) ||
	    (rc = gather_diags(&w, opts ? opts->diags : NULL)))
		goto done;
	SECTION(&w, KG__S_TEXT, w.text.p, w.text.n);
	if (w.too_big) {
		rc = KG_EARG;
		goto done;
	}
	err = kg__atomic_open(&f, path);
	if (!err) {
		err = emit(&f, &w);
		err = err ? (kg__atomic_abort(&f), err) : kg__atomic_commit(&f);
	}
	if (err == -1) {
		rc = KG_ENOMEM;
	} else if (err) {
		kg__diag_addf(diags, KG_SEV_ERROR, &where, NULL, NULL, "cannot write the snapshot: %s",
		              strerror(err));
		rc = KG_EIO;
	}
done:
	if (rc == KG_EARG)
		kg__diag_addf(diags, KG_SEV_ERROR, &where, NULL, NULL,
		              "the graph's text is too large for a snapshot (4 GiB at most)");
	writer_free(&w);
	return rc;
}
