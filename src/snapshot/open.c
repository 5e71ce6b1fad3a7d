/*
 * open.c - a snapshot file to a read-only graph over its mapping.
 *
 * Opening maps the file, checks the header and the section table (magic,
 * version, byte order, record sizes, the table's checksum, every section
 * inside the file), optionally every section's checksum, then the graph's
 * structure (validate.c), and points the graph's arrays into the mapping.
 * The only things allocated are the string table's id -> text pointers
 * (filled by the same pass that checks each string), the file names and
 * the three small id maps of types, relation types and sources. Nothing
 * is parsed.
 *
 * Also here: whether a source file changed since the snapshot was written
 * (kg_snapshot_stale), and the files it was compiled from.
 */
#define _POSIX_C_SOURCE 200809L
#include "snapshot/format.h"
#include "snapshot/validate.h"
#include "kgraph/snapshot.h"
#include "core/diag_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const section_names[KG__S_COUNT] = {
	"meta", "text", "files", "inputs", "diagnostics", "string offsets", "string text", "string slots",
	"entities", "relations", "side records", "side-record bits", "side-record ranks",
	"entity location bases", "entity location codes", "entity far locations",
	"relation location bases", "relation location codes", "relation far locations",
	"types", "relation types", "sources", "attributes", "aliases and type lists",
	"outgoing offsets", "outgoing relations", "incoming offsets", "incoming relations",
	"name hashes", "name entities", "folders", "compressed blocks", "entity id slots",
};

static void release(kg_graph *g)
{
	kg__snap_ctx *ctx = g->external;

	kg__strtab_free(&g->strings);
	if (g->lazy)
		kg__free(g->lazy->listed);
	kg__free(g->lazy);
	KG_VEC_FREE(g->files);
	KG_VEC_FREE(g->folders);
	kg__idmap_free(&g->type_ids);
	kg__idmap_free(&g->rtype_ids);
	kg__idmap_free(&g->source_ids);
	kg__snap_z_free(&ctx->strtext);
	kg__snap_z_free(&ctx->ext);
	kg__snap_z_free(&ctx->rloc);
	if (ctx->map)
		munmap(ctx->map, ctx->size);
	kg__free(ctx->path);
	kg__free(ctx);
	kg__free(g);
}

const kg__snap_ctx *kg__snap_of(const kg_graph *g)
{
	return g && g->release == release ? g->external : NULL;
}

/* A damaged or foreign snapshot: one error naming the file. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int damaged(kg_diag_list *diags, const char *path, const char *fmt, ...)
{
	kg_location where = {path, 0, 0};
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kg__diag_vaddf(diags, KG_SEV_ERROR, &where, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc ? rc : KG_EINVALID;
}

/* Magic, version, byte order: what tells a snapshot of another kind or a
 * damaged transfer from a damaged snapshot. */
static int check_header(const kg__snap_header *h, size_t size, const char *path, kg_diag_list *diags)
{
	kg__snap_header copy;

	if (size < 8 || memcmp(h->magic + 1, "KGRAPH", 6) != 0)
		return damaged(diags, path, "not a kgraph snapshot");
	if ((unsigned char)h->magic[0] != 0x89)
		return damaged(diags, path, "damaged snapshot: its first byte lost its high bit, as a 7-bit "
		                            "transfer does; copy it again as binary");
	if (size < sizeof *h || memcmp(h->magic, KG__SNAP_MAGIC, KG__SNAP_MAGIC_LEN) != 0)
		return damaged(diags, path, "damaged snapshot: its line ends were changed, as a text-mode "
		                            "transfer does; copy it again as binary");
	if (h->endian != KG__SNAP_ENDIAN)
		return damaged(diags, path, "this snapshot was written on a machine of another byte order; "
		                            "compile it again here");
	if (h->version != KG__SNAP_VERSION)
		return damaged(diags, path, "snapshot format version %u; this kgraph reads version %u: compile "
		                            "it again with this kgraph", h->version, KG__SNAP_VERSION);
	copy = *h;
	copy.header_hash = 0;
	if (kg__hash(&copy, sizeof copy) != h->header_hash)
		return damaged(diags, path, "damaged snapshot: the header's checksum does not match");
	if (h->file_size != size)
		return damaged(diags, path, "truncated or extended snapshot: the file has %zu bytes, its header "
		                            "says %llu", size, (unsigned long long)h->file_size);
	if (h->nsections != KG__S_COUNT)
		return damaged(diags, path, "damaged snapshot: %u sections, not %d", h->nsections, KG__S_COUNT);
	return KG_OK;
}

/* The table: its checksum, every section inside the file, aligned, of
 * the record size this build has, a whole number of records. */
static int check_table(const kg__snap_header *h, const kg__snap_section *t, size_t size, bool verify,
                       const char *path, kg_diag_list *diags)
{
	const unsigned char *base = (const unsigned char *)h;
	uint64_t first = sizeof *h + KG__S_COUNT * sizeof *t;
	int i;

	if (kg__hash(t, KG__S_COUNT * sizeof *t) != h->table_hash)
		return damaged(diags, path, "damaged snapshot: the section table's checksum does not match");
	for (i = 0; i < KG__S_COUNT; i++) {
		const kg__snap_section *s = &t[i];
		if (s->id != (uint32_t)i)
			return damaged(diags, path, "damaged snapshot: section %d is numbered %u", i, s->id);
		if (s->elem != kg__snap_elem[i])
			return damaged(diags, path, "snapshot section %s has records of %u bytes; this kgraph's are %u: "
			               "compile it again here", section_names[i], s->elem, kg__snap_elem[i]);
		if (s->offset % 8 || s->offset < first || s->offset > size || s->length > size - s->offset ||
		    s->length % s->elem)
			return damaged(diags, path, "damaged snapshot: section %s lies outside the file",
			               section_names[i]);
		if (verify && kg__hash(base + s->offset, (size_t)s->length) != s->hash)
			return damaged(diags, path, "damaged snapshot: section %s's checksum does not match",
			               section_names[i]);
	}
	return KG_OK;
}

/* The section's bytes and element count. */
#define AT(id) ((void *)(map + t[id].offset))
#define COUNT(id) ((size_t)(t[id].length / t[id].elem))
#define POINT(vec, id) ((vec).v = AT(id), (vec).n = (vec).cap = COUNT(id))

/* Counts that must agree between sections, before validate.c reads any
 * of them. */
static int check_counts(const kg__snap_section *t, const char *path, kg_diag_list *diags)
{
	size_t ne = COUNT(KG__S_ENTITIES), nr = COUNT(KG__S_RELATIONS);

	if (COUNT(KG__S_META) != 1 || COUNT(KG__S_STROFF) == 0 || COUNT(KG__S_STRSLOT) == 0 ||
	    COUNT(KG__S_OUT_OFF) != ne + 1 || COUNT(KG__S_IN_OFF) != ne + 1 || COUNT(KG__S_OUT_REL) != nr ||
	    COUNT(KG__S_IN_REL) != nr ||
	    COUNT(KG__S_NAME_HASH) != COUNT(KG__S_NAME_ENTITY) || COUNT(KG__S_STRSLOT) > (size_t)UINT32_MAX + 1 ||
	    COUNT(KG__S_ID_SLOT) == 0 || COUNT(KG__S_ID_SLOT) > (size_t)UINT32_MAX + 1 ||
	    COUNT(KG__S_STRTEXT) > (size_t)UINT32_MAX)
		return damaged(diags, path, "damaged snapshot: its sections' counts disagree");
	return KG_OK;
}

/* The small sections outside the graph: texts terminated, offsets below
 * the text's size. */
static int check_extras(kg__snap_ctx *ctx, const kg__snap_diag *d, size_t nd, const char *path,
                        kg_diag_list *diags)
{
	size_t i;

#define TEXT_OK(o, may_be_none) ((o) < ctx->ntext || ((may_be_none) && (o) == KG__SNAP_NOTEXT))
	if (ctx->ntext && ctx->text[ctx->ntext - 1] != '\0')
		return damaged(diags, path, "damaged snapshot: its text section is not terminated");
	for (i = 0; i < ctx->nfiles; i++)
		if (!TEXT_OK(ctx->files[i].name, 0) || !TEXT_OK(ctx->files[i].path, 1))
			return damaged(diags, path, "damaged snapshot: file %zu's name is outside the text", i);
	for (i = 0; i < ctx->ninputs; i++)
		if (!TEXT_OK(ctx->inputs[i], 0))
			return damaged(diags, path, "damaged snapshot: input %zu's name is outside the text", i);
	for (i = 0; i < ctx->nfolders; i++)
		if (!TEXT_OK(ctx->folders[i], 0))
			return damaged(diags, path, "damaged snapshot: folder %zu's name is outside the text", i);
	for (i = 0; i < nd; i++)
		if (d[i].severity > KG_SEV_NOTE || !TEXT_OK(d[i].file, 1) || !TEXT_OK(d[i].message, 0) ||
		    !TEXT_OK(d[i].hint, 1) || !TEXT_OK(d[i].source_line, 1) || !TEXT_OK(d[i].rfile, 1) ||
		    !TEXT_OK(d[i].rmessage, 1))
			return damaged(diags, path, "damaged snapshot: diagnostic %zu is outside the text", i);
#undef TEXT_OK
	return KG_OK;
}

static const char *text_at(const kg__snap_ctx *ctx, uint32_t o)
{
	return o == KG__SNAP_NOTEXT ? NULL : ctx->text + o;
}

/* The load's diagnostics, given back as kg_load_files gave them. */
static int replay_diags(const kg__snap_ctx *ctx, const kg__snap_diag *d, size_t nd, kg_diag_list *diags)
{
	size_t i;

	for (i = 0; diags && i < nd; i++) {
		kg_location where = {text_at(ctx, d[i].file), d[i].line, d[i].column};
		kg_location related = {text_at(ctx, d[i].rfile), d[i].rline, d[i].rcolumn};
		const char *src = text_at(ctx, d[i].source_line);
		if (kg_diag_list_add(diags, (kg_severity)d[i].severity, &where, text_at(ctx, d[i].message),
		                     text_at(ctx, d[i].hint), &related, text_at(ctx, d[i].rmessage)) ||
		    (src && kg_diag_set_source_line(diags, kg_diag_list_count(diags) - 1, src, strlen(src))))
			return KG_ENOMEM;
	}
	return KG_OK;
}

/* Point g's arrays into the mapping. */
static void point(kg_graph *g, const unsigned char *map, const kg__snap_section *t)
{
	const kg__snap_meta *meta = AT(KG__S_META);

	g->title = meta->title;
	g->description = meta->description;
	POINT(g->entities, KG__S_ENTITIES);
	POINT(g->relations, KG__S_RELATIONS);
	POINT(g->ext_bits, KG__S_EXT_BITS);
	POINT(g->ext_rank, KG__S_EXT_RANK);
	POINT(g->entity_locs.base, KG__S_ELOC_BASE);
	POINT(g->entity_locs.code, KG__S_ELOC_CODE);
	POINT(g->entity_locs.far, KG__S_ELOC_FAR);
	POINT(g->relation_locs.base, KG__S_RLOC_BASE);
	POINT(g->relation_locs.far, KG__S_RLOC_FAR);
	POINT(g->types, KG__S_TYPES);
	POINT(g->rtypes, KG__S_RTYPES);
	POINT(g->sources, KG__S_SOURCES);
	POINT(g->attrs, KG__S_ATTRS);
	POINT(g->u32, KG__S_U32);
	g->out_off = AT(KG__S_OUT_OFF);
	g->out_rel = AT(KG__S_OUT_REL);
	g->in_off = AT(KG__S_IN_OFF);
	g->in_rel = AT(KG__S_IN_REL);
	g->name_hash = AT(KG__S_NAME_HASH);
	g->name_entity = AT(KG__S_NAME_ENTITY);
	g->nnames = COUNT(KG__S_NAME_HASH);
	g->strings.borrowed = 1;
	g->strings.off = AT(KG__S_STROFF);
	g->strings.n = g->strings.cap = COUNT(KG__S_STROFF);
	g->strings.slot4 = AT(KG__S_STRSLOT);
	g->strings.nslot = COUNT(KG__S_STRSLOT);
	g->id_slot = AT(KG__S_ID_SLOT);
	g->nid_slot = COUNT(KG__S_ID_SLOT);
}

/* What needs memory of its own: file names, id maps. */
static int build_rest(kg_graph *g, const kg__snap_ctx *ctx)
{
	size_t i;

	if (KG_VEC_RESERVE(g->files, ctx->nfiles ? ctx->nfiles : 1))
		return KG_ENOMEM;
	for (i = 0; i < ctx->nfiles; i++)
		g->files.v[g->files.n++] = ctx->text + ctx->files[i].name;
	/* A source's folder index beyond these reads as "none" (graph.c), so
	 * a lying index cannot reach outside the array. */
	if (ctx->nfolders && KG_VEC_RESERVE(g->folders, ctx->nfolders))
		return KG_ENOMEM;
	for (i = 0; i < ctx->nfolders; i++)
		g->folders.v[g->folders.n++] = ctx->text + ctx->folders[i];
	g->nshared_folders = ctx->nshared_folders;
	if (g->nshared_folders > g->folders.n)
		g->nshared_folders = g->folders.n;
	for (i = 0; i < g->types.n; i++)
		if (kg__idmap_put(g, &g->type_ids, kg__type_key, g->types.v[i].name, (uint32_t)i))
			return KG_ENOMEM;
	for (i = 0; i < g->rtypes.n; i++)
		if (kg__idmap_put(g, &g->rtype_ids, kg__rtype_key, g->rtypes.v[i].name, (uint32_t)i))
			return KG_ENOMEM;
	for (i = 0; i < g->sources.n; i++)
		if (kg__idmap_put(g, &g->source_ids, kg__source_key, g->sources.v[i].id, (uint32_t)i))
			return KG_ENOMEM;
	return KG_OK;
}

/* Map path into ctx; KG_OK, KG_EIO (diagnosed) or KG_ENOMEM. populate:
 * every page will be read at once. */
static int map_file(kg__snap_ctx *ctx, const char *path, bool populate, kg_diag_list *diags)
{
	kg_location where = {path, 0, 0};
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), flags = MAP_PRIVATE, rc = KG_OK;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int err = fd < 0 ? errno : S_ISREG(st.st_mode) ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		return kg__diag_addf(diags, KG_SEV_ERROR, &where, NULL, NULL, "cannot read the snapshot: %s",
		                     strerror(err)) ? KG_ENOMEM : KG_EIO;
	}
	ctx->size = (size_t)st.st_size;
#ifdef MAP_POPULATE
	/* Checked whole, every page is read: one call maps them all.
	 * Otherwise a question reads a few pages of a large file, and mapping
	 * them all cost more than it asked (30 ms of 582 MB). */
	if (populate)
		flags |= MAP_POPULATE;
#else
	(void)populate;
#endif
	if (ctx->size && (ctx->map = mmap(NULL, ctx->size, PROT_READ, flags, fd, 0)) == MAP_FAILED) {
		ctx->map = NULL;
		rc = kg__diag_addf(diags, KG_SEV_ERROR, &where, NULL, NULL, "cannot map the snapshot: %s",
		                   strerror(errno)) ? KG_ENOMEM : KG_EIO;
	}
	close(fd);
	return rc;
}

/* Compressed section id of size bytes decompressed into x, its blocks'
 * starts taken from *blocks (*nblocks left). 0, 1 (damaged) or
 * KG_ENOMEM. */
static int zsec(kg__snap_z *x, const unsigned char *map, const kg__snap_section *t, int id, uint64_t size,
                const uint64_t **blocks, size_t *nblocks)
{
	uint64_t need = (size + KG__Z_BLOCK - 1) / KG__Z_BLOCK + 1;
	int rc;

	if (need > *nblocks)
		return 1;
	rc = kg__snap_z_init(x, AT(id), COUNT(id), *blocks, (size_t)need, (size_t)size);
	*blocks += need;
	*nblocks -= (size_t)need;
	return rc;
}

int kg_snapshot_open(kg_graph **out, const char *path, const kg_snapshot_options *opts, kg_diag_list *diags)
{
	kg_graph *g;
	kg__snap_ctx *ctx;
	const unsigned char *map;
	const kg__snap_section *t;
	kg__buf why = {0};
	const kg__snap_meta *meta;
	const uint64_t *blocks;
	size_t i, ntext, nblocks;
	bool all;
	int rc;

	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > KG_SNAPSHOT_OPTIONS_VERSION))
		return KG_EARG;
	/* Version 1 had no check_all and on_damage: checksums verified means
	 * checked whole, as then. */
	all = opts && (opts->verify || (opts->version >= 2 && opts->check_all));
	g = kg__calloc(1, sizeof *g);
	ctx = kg__calloc(1, sizeof *ctx);
	if (!g || !ctx || !(ctx->path = kg__strndup(path, strlen(path)))) {
		kg__free(g);
		if (ctx)
			kg__free(ctx->path);
		kg__free(ctx);
		return KG_ENOMEM;
	}
	g->release = release;
	g->external = ctx;
	if ((rc = map_file(ctx, path, all, diags)))
		goto fail;
	map = ctx->map;
	if ((rc = check_header((const void *)map, ctx->size, path, diags)))
		goto fail;
	t = (const void *)(map + sizeof(kg__snap_header));
	if (ctx->size < sizeof(kg__snap_header) + KG__S_COUNT * sizeof *t) {
		rc = damaged(diags, path, "truncated snapshot: no room for its section table");
		goto fail;
	}
	if ((rc = check_table((const void *)map, t, ctx->size, opts && opts->verify, path, diags)) ||
	    (rc = check_counts(t, path, diags)))
		goto fail;
	ctx->text = AT(KG__S_TEXT);
	ctx->ntext = COUNT(KG__S_TEXT);
	ctx->files = AT(KG__S_FILES);
	ctx->nfiles = COUNT(KG__S_FILES);
	ctx->inputs = AT(KG__S_INPUTS);
	ctx->ninputs = COUNT(KG__S_INPUTS);
	ctx->folders = AT(KG__S_FOLDERS);
	ctx->nfolders = COUNT(KG__S_FOLDERS);
	ctx->nshared_folders = ((const kg__snap_meta *)AT(KG__S_META))->nshared_folders;
	if ((rc = check_extras(ctx, AT(KG__S_DIAGS), COUNT(KG__S_DIAGS), path, diags)))
		goto fail;
	point(g, map, t);
	/* The compressed sections, decompressed block by block as they are
	 * read. */
	meta = AT(KG__S_META);
	ntext = meta->strtext_size;
	blocks = AT(KG__S_BLOCKS);
	nblocks = COUNT(KG__S_BLOCKS);
	if ((rc = zsec(&ctx->strtext, map, t, KG__S_STRTEXT, ntext, &blocks, &nblocks)) ||
	    meta->ext_count > COUNT(KG__S_RELATIONS) ||
	    (rc = zsec(&ctx->ext, map, t, KG__S_EXT, (uint64_t)meta->ext_count * sizeof(kg__relation_ext), &blocks,
	               &nblocks)) ||
	    (rc = zsec(&ctx->rloc, map, t, KG__S_RLOC_CODE, (uint64_t)COUNT(KG__S_RELATIONS) * sizeof(uint16_t),
	               &blocks, &nblocks)) ||
	    (nblocks && (rc = 1))) {
		if (rc == 1 || rc == 0)
			rc = damaged(diags, path, "damaged snapshot: its compressed blocks do not describe its sections");
		goto fail;
	}
	g->ext.v = (kg__relation_ext *)ctx->ext.plain;
	g->ext.n = g->ext.cap = meta->ext_count;
	g->relation_locs.code.v = (uint16_t *)ctx->rloc.plain;
	g->relation_locs.code.n = g->relation_locs.code.cap = COUNT(KG__S_RELATIONS);
	/* The text is one piece: chunk k at k * 2^24 bytes into it. */
	g->strings.chunk = kg__calloc(KG__STR_CHUNKS, sizeof *g->strings.chunk);
	if (!g->strings.chunk) {
		rc = KG_ENOMEM;
		goto fail;
	}
	for (i = 0; i < KG__STR_CHUNKS && (i << KG__STR_CHUNK_BITS) < ntext; i++)
		g->strings.chunk[i] = ctx->strtext.plain + (i << KG__STR_CHUNK_BITS);
	g->strings.nchunk = i;
	g->strings.piece_end[0] = (uint32_t)ntext; /* one piece */
	g->strings.ready = kg__snap_z_ready;
	g->strings.fill = &ctx->strtext;
	rc = kg__snap_validate(g, ctx, all, &why);
	if (rc == 0 && g->lazy) {
		g->lazy->ready = kg__snap_z_ready;
		g->lazy->ext_fill = &ctx->ext;
		g->lazy->rloc_fill = &ctx->rloc;
		if (opts && opts->version >= 2) {
			g->lazy->on_damage = opts->on_damage;
			g->lazy->data = opts->on_damage_data;
		}
	}
	if (rc == 1)
		rc = damaged(diags, path, "damaged snapshot: %s", why.p);
	if (rc || (rc = build_rest(g, ctx)))
		goto fail;
	if (all && (rc = kg__snap_check_found(g, &why)) == 1)
		rc = damaged(diags, path, "damaged snapshot: %s", why.p);
	if (rc || (rc = replay_diags(ctx, AT(KG__S_DIAGS), COUNT(KG__S_DIAGS), diags)))
		goto fail;
	kg__buf_free(&why);
	*out = g;
	return KG_OK;
fail:
	kg__buf_free(&why);
	kg_graph_free(g);
	return rc;
}

bool kg_snapshot_sniff(const char *path)
{
	unsigned char head[8];
	struct stat st;
	int fd;
	bool yes = false;

	if (!path || stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* The high byte is not compared, so that a 7-bit copy is still
	 * recognised, and reported as damaged. */
	if (read(fd, head, sizeof head) == (ssize_t)sizeof head)
		yes = (head[0] & 0x7f) == 0x09 && memcmp(head + 1, "KGRAPH", 6) == 0;
	close(fd);
	return yes;
}

/* Did f change? Same size and time: no; else its content hash says. */
static bool changed(const kg__snap_ctx *ctx, const kg__snap_file *f)
{
	const char *path = ctx->text + f->path;
	struct stat st;
	uint64_t hash, size;

	if (stat(path, &st))
		return true;
	if ((uint64_t)st.st_size != f->size)
		return true;
	if ((int64_t)st.st_mtim.tv_sec == f->mtime_sec && (int64_t)st.st_mtim.tv_nsec == f->mtime_nsec)
		return false;
	return kg__snap_hash_file(&hash, path, &size) || size != f->size || hash != f->hash;
}

int kg_snapshot_stale(const kg_graph *g, kg_diag_list *diags)
{
	const kg__snap_ctx *ctx = kg__snap_of(g);
	size_t i;
	int n = 0;

	for (i = 0; ctx && i < ctx->nfiles; i++) {
		const kg__snap_file *f = &ctx->files[i];
		kg_location where = {ctx->text + f->name, 0, 0};
		if (f->path == KG__SNAP_NOTEXT || !changed(ctx, f))
			continue;
		n++;
		if (diags && (kg__diag_addf(diags, KG_SEV_WARNING, &where, NULL, NULL,
		                  "changed since %s was compiled; its answers are from the old version", ctx->path) ||
		    kg__diag_hintf(diags, kg_diag_list_count(diags) - 1, "kgraph compile --fresh -o %s compiles it again",
		                   ctx->path)))
			return KG_ENOMEM;
	}
	return n;
}

size_t kg_snapshot_input_count(const kg_graph *g)
{
	const kg__snap_ctx *ctx = kg__snap_of(g);
	return ctx ? ctx->ninputs : 0;
}

const char *kg_snapshot_input(const kg_graph *g, size_t i)
{
	const kg__snap_ctx *ctx = kg__snap_of(g);
	return ctx && i < ctx->ninputs ? ctx->text + ctx->inputs[i] : NULL;
}
