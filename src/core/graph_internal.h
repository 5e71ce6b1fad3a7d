/*
 * graph_internal.h - the layout of kg_graph, shared by the graph module
 * and the loader that fills it (private).
 *
 * Sizes matter: a relation is 10 bytes (its ends and type), plus 8 in
 * the adjacency arrays (its index under each end; the other end is read
 * from the record), about 2.3 for its location (compressed, see
 * kg__locs) and a bit saying whether it has a side record;
 * the optional parts (dates, source, quote, weight, attributes) live in
 * that side record, which only relations that have them pay for.
 */
#ifndef KG_GRAPH_INTERNAL_H
#define KG_GRAPH_INTERNAL_H

#include "kgraph/graph.h"
#include "kgraph/limits.h"
#include "util/arena.h"
#include "util/strtab.h"
#include "util/fold.h"
#include "util/util.h"

/* A location in 8 bytes: line, column (clamped to KG_MAX_COLUMN) and
 * file index (below KG_MAX_FILES). */
typedef struct kg__loc {
	uint32_t line;
	uint32_t col : 20;
	uint32_t file : 12;
} kg__loc;

/* Attribute: string ids; KG__ATTR_LIST marks an item of a list value. */
#define KG__ATTR_LIST 0x80000000u
typedef struct kg__attr {
	uint32_t key;
	uint32_t value;
} kg__attr;

typedef struct kg__range {
	uint32_t start, count;
} kg__range;

typedef struct kg__entity {
	uint32_t id, name; /* string ids; name 0 = use id */
	uint32_t type;     /* type index; KG_NONE until resolved */
	kg__range attrs;   /* in g->attrs */
	kg__range aliases; /* in g->u32 (string ids) */
} kg__entity;

/* A relation in 10 bytes: packed, so an array of them is read with
 * unaligned loads, which cost nothing on the processors kgraph runs on
 * (issue 17: 2 bytes a relation). A snapshot holds the same records. */
typedef struct
#if defined(__GNUC__)
	__attribute__((packed))
#endif
	kg__relation {
	uint32_t from, to; /* entity indexes; KG_NONE until resolved */
	uint16_t type;     /* relation type index, below KG_MAX_RELATION_TYPES */
} kg__relation;
#if defined(__GNUC__)
_Static_assert(sizeof(kg__relation) == 10, "a relation is 10 bytes");
#endif

/* A column of locations, one per record (relations, entities), stored as
 * a difference from the location of the first record of their block of
 * KG__LOC_BLOCK, in 16 bits: lines after it (up to KG__LOC_MAX_LINES)
 * times 64 plus the column (below 64). Records of one file are read in
 * order, a line or a few apart, near the left margin. Any other location
 * (another file, an earlier line, which an alias can give, a far line or
 * column) is KG__LOC_FAR and kept whole in far. */
#define KG__LOC_BLOCK 32
#define KG__LOC_MAX_LINES 1022
#define KG__LOC_FAR 0xFFFFu
typedef struct kg__locfar {
	uint32_t record;
	kg__loc loc;
} kg__locfar;

typedef struct kg__locs {
	KG_VEC(kg__loc) base;     /* location of record b * KG__LOC_BLOCK */
	KG_VEC(uint16_t) code;    /* per record */
	KG_VEC(kg__locfar) far;   /* sorted by record */
} kg__locs;

#define KG__EXT_WEIGHT 1u
typedef struct kg__relation_ext {
	double weight;
	kg_date date, since, until;
	uint32_t source; /* source index; KG_NONE */
	uint32_t quote;  /* string id; 0 = none */
	uint32_t flags;
	kg__range attrs;
} kg__relation_ext;

typedef struct kg__type {
	uint32_t name, label;
	kg__range attrs;
	kg__loc loc;
	uint8_t builtin, declared;
} kg__type;

typedef struct kg__rtype {
	uint32_t name, label;
	kg__range attrs;
	kg__range from, to; /* in g->u32: type indexes once resolved */
	kg__loc loc;
	uint32_t uses;
	uint8_t symmetric, declared;
} kg__rtype;

typedef struct kg__source {
	uint32_t id, title, publisher, url, file;
	uint32_t folder; /* the folder of the file named by the caller that led to it (folders) */
	kg_date date;
	kg__range attrs;
	kg__loc loc;
	uint32_t cites;
} kg__source;

/* An open-addressing index from a string id to a record index. */
typedef struct kg__idmap {
	uint32_t *slot; /* record index + 1; 0 = empty */
	size_t nslot, n;
} kg__idmap;

/* The identity of a file the graph was read from (stat's st_dev and
 * st_ino), parallel to kg_graph.files; valid is 0 for text that was not a
 * file (memory, standard input from a pipe). */
typedef struct kg__file_id {
	uint64_t dev, ino;
	int valid;
} kg__file_id;

/* A name (id, name or alias) of an entity while the name index is built:
 * the hash of its case-folded text (kg__name_hash) and its string id, so
 * that names whose hashes collide can be told apart by folding them. */
typedef struct kg__name {
	uint32_t hash;
	uint32_t entity;
	uint32_t sid;
} kg__name;

/* What a graph over a snapshot that was not checked whole when opened
 * (src/snapshot/validate.c) needs to check the rest as it is read: the
 * relations, their side records and locations, the adjacency lists and
 * the strings. Every accessor of graph.c checks what it reads before
 * using it as an index; what fails marks the graph damaged (once, with
 * the reason) and the accessor answers something harmless instead (entity
 * 0, an empty string, an empty list), so the caller finishes and then
 * reports the damage (kg_graph_damage). A graph is read by several
 * threads at once: the flags are atomic. */
typedef struct kg__lazy {
	/* Per entity: bit 0 its outgoing list was found sound, bit 1 its
	 * incoming list; each list is checked in full the first time. */
	uint8_t *listed;
	int state; /* 0, 1 while the reason is written, 2 damaged */
	char why[256];
	void (*on_damage)(void *data, const char *why);
	void *data;
	/* Check everything left now (kg__graph_trust), for code that reads
	 * the arrays directly; 0, or 1 with the reason in why. */
	int (*check_all)(kg_graph *g, kg__buf *why);
	int checked_all;
	/* The side records and relation location codes are decompressed as
	 * they are read (snapshot/blocks.c): ready(fill, at, end) makes bytes
	 * at..end of one readable, 0 or -1 (they cannot be). */
	int (*ready)(void *fill, uint64_t at, uint64_t end);
	void *ext_fill, *rloc_fill;
} kg__lazy;

struct kg_graph {
	kg__arena arena;
	kg__strtab strings;
	uint32_t title, description;
	KG_VEC(const char *) files;
	/* The folders whose files the graph may read (util/path.h), in the
	 * arena: the first nshared_folders are every file's (the caller's
	 * include paths), then one for each file the caller named. */
	KG_VEC(const char *) folders;
	size_t nshared_folders;
	KG_VEC(kg__file_id) file_ids; /* one per file */

	KG_VEC(kg__entity) entities;
	KG_VEC(kg__relation) relations;
	/* Each relation's index in the whole graph, for a part of one
	 * (kg_relation_ordinal); NULL, as in every loaded graph, when it is
	 * the index itself. In the arena. */
	uint32_t *rel_ordinals;
	KG_VEC(kg__relation_ext) ext;
	/* Which relations have a side record: bit r of ext_bits, and
	 * ext_rank[w] side records before word w, so that relation r's is
	 * ext[ext_rank[r / 64] + the bits set below r in its word]. Side
	 * records are added in relation order. */
	KG_VEC(uint64_t) ext_bits;
	KG_VEC(uint32_t) ext_rank;
	kg__locs entity_locs, relation_locs;
	KG_VEC(kg__type) types;
	KG_VEC(kg__rtype) rtypes;
	KG_VEC(kg__source) sources;
	KG_VEC(kg__attr) attrs;
	KG_VEC(uint32_t) u32; /* aliases and type lists */

	/* While the graph is loaded, an entity id's string has the entity
	 * index + 1 as its owner's word (kg__straux), so that the relations'
	 * ends are found at the cost of interning their text. Once indexed,
	 * entities are found by id through id_slot instead (names.c): open
	 * addressing on the hash of the id's text, holding entity + 1, 0
	 * empty, at most 80% full; the string table keeps slots only for
	 * the other keys (issue 17: 9 bytes a string less). */
	uint32_t *id_slot;
	size_t nid_slot;
	kg__idmap type_ids, rtype_ids, source_ids;

	/* Adjacency, compressed sparse rows. */
	uint32_t *out_off, *out_rel, *in_off, *in_rel;

	/* Names for kg_graph_resolve: (hash of the case-folded text, entity)
	 * pairs in two columns, sorted by hash, so that the entities that may
	 * bear a name are a slice of name_entity, found by binary search in
	 * name_hash (a hash table would cost 4 bytes per relation for a lookup
	 * made once per command). No folded text is kept: a lookup folds the
	 * names of the slice's entities to confirm them. Within one hash, the
	 * entities of one folded text are together and ascending (pairs of one
	 * text unique), so that a name's entities are one slice even when
	 * texts collide; without a collision that is (hash, entity) order.
	 * An id that needs no folding and is alone with its hash is left out
	 * (names.c): it is found as an id. */
	uint32_t *name_hash, *name_entity;
	size_t nnames;

	/* A graph over memory it does not own, such as a mapped snapshot
	 * (src/snapshot): its arrays point into that memory, read-only, and
	 * kg_graph_free calls release(g), which frees what the owner
	 * allocated, instead of freeing the arrays. NULL for a loaded graph. */
	void (*release)(kg_graph *g);
	void *external; /* the owner's, for release */
	/* Non-NULL while parts of a snapshot are checked as they are read. */
	kg__lazy *lazy;
};

/* Mark a lazily checked graph damaged (the first reason is kept) and call
 * its on_damage. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void kg__graph_damage(const kg_graph *g, const char *fmt, ...);

/* Check whatever a lazily checked graph has not checked yet, for code
 * that reads its arrays directly instead of through graph.c (the
 * snapshot writer, the PostgreSQL rows). KG_OK, KG_EINVALID (the graph is
 * then marked damaged) or KG_ENOMEM. O(1) for other graphs. */
int kg__graph_trust(const kg_graph *g);

/* String id's text (NULL for 0), checked in a lazily checked graph: ""
 * and the graph marked damaged when it is out of bounds. */
const char *kg__graph_str(const kg_graph *g, uint32_t id);

/* kg__graph_str, and the string's length into *len. */
const char *kg__graph_str_len(const kg_graph *g, uint32_t id, size_t *len);

/* Build the name index (names.c) once the strings are trimmed. KG_OK or
 * KG_ENOMEM. */
int kg__graph_build_names(kg_graph *g);

/* Give back the unused capacity of an array grown by doubling once it is
 * complete (n of *cap elements of elem bytes); a failed realloc leaves it
 * as it was. */
void kg__trim_array(void **v, size_t *cap, size_t n, size_t elem);

/* idmap over records whose key string id is key_of(i). */
typedef uint32_t (*kg__key_fn)(const kg_graph *g, uint32_t record);
uint32_t kg__idmap_get(const kg_graph *g, const kg__idmap *m, kg__key_fn key_of, uint32_t sid);
int kg__idmap_put(const kg_graph *g, kg__idmap *m, kg__key_fn key_of, uint32_t sid, uint32_t record);
void kg__idmap_free(kg__idmap *m);

uint32_t kg__type_key(const kg_graph *g, uint32_t i);
uint32_t kg__rtype_key(const kg_graph *g, uint32_t i);
uint32_t kg__source_key(const kg_graph *g, uint32_t i);

/* While the graph is loaded (before kg__graph_index drops the owner's
 * words): the entity whose id is string sid, or KG_NONE (also for sid 0).
 * An indexed graph finds entities by id with kg__graph_find_entity_len. */
static inline uint32_t kg__graph_entity_of(const kg_graph *g, uint32_t sid)
{
	return kg__straux(&g->strings, sid) - 1;
}

/* Build id_slot (names.c) once every entity is in place. KG_OK or
 * KG_ENOMEM. */
int kg__graph_build_ids(kg_graph *g);

/* The string ids the finished graph looks up by their text, to be kept in
 * the string table's slots (kg__strtab_trim): type, relation type and
 * source names, into *keys (kg__free it). KG_OK or KG_ENOMEM. */
int kg__graph_keys(const kg_graph *g, uint32_t **keys, size_t *nkeys);

/* The entity whose id is the len bytes at s, or KG_NONE
 * (kg_graph_find_entity). */
uint32_t kg__graph_find_entity_len(const kg_graph *g, const char *s, size_t len);

/* Add entity e, written at loc. KG_OK or KG_ENOMEM (then nothing was
 * added). */
int kg__graph_add_entity(kg_graph *g, const kg__entity *e, kg__loc loc);

/* Where entity e was written. O(1), or O(log n) for the few locations
 * kept whole. */
kg__loc kg__entity_loc(const kg_graph *g, uint32_t e);

/* Add relation r, written at loc, with side record x (NULL: none).
 * KG_OK or KG_ENOMEM (then nothing was added). */
int kg__graph_add_relation(kg_graph *g, const kg__relation *r, kg__loc loc, const kg__relation_ext *x);

/* Where relation r was written. O(1), or O(log n) for the few locations
 * kept whole. */
kg__loc kg__relation_loc(const kg_graph *g, uint32_t r);

/* Relation r's side record, or NULL. O(1). */
static inline kg__relation_ext *kg__relation_ext_of(const kg_graph *g, uint32_t r)
{
	uint64_t word = g->ext_bits.v[r / 64], below = word & ((UINT64_C(1) << (r % 64)) - 1);

	if (!(word >> (r % 64) & 1))
		return NULL;
	return &g->ext.v[g->ext_rank.v[r / 64] + kg__popcount64(below)];
}

/* Whether side record x names only sources, strings and attributes that
 * exist in g and has a weight in bounds: what a snapshot's side records
 * are checked for, all at once (snapshot/validate.c) or as each is read
 * (graph.c). */
static inline bool kg__ext_sound(const kg_graph *g, const kg__relation_ext *x)
{
	return (x->source == KG_NONE || x->source < g->sources.n) && x->quote < g->strings.n &&
	       (uint64_t)x->attrs.start + x->attrs.count <= g->attrs.n &&
	       (!(x->flags & KG__EXT_WEIGHT) || (x->weight >= 0 && x->weight <= KG_MAX_WEIGHT));
}

/* A new graph with the built-in types. NULL when out of memory. */
kg_graph *kg__graph_new(void);

/* Convert an internal location to a public one. */
kg_location kg__graph_location(const kg_graph *g, kg__loc loc);

/* Whether a file reached from one named by the caller, whose folder is
 * folders[own] (KG_NONE: only the shared folders), may read path: the
 * rule of util/path.h with the graph's folders. 1 with *real (the
 * resolved path to open, kg__free it), 0 outside, -1 unresolvable (errno). */
int kg__graph_confined(char **real, const kg_graph *g, uint32_t own, const char *path);
/* The same for source s's file: (which it must have). */
int kg__graph_source_confined(char **real, const kg_graph *g, uint32_t s);

/* Build the adjacency arrays and the name index once every entity and
 * relation is in place and resolved. KG_OK or KG_ENOMEM. */
int kg__graph_index(kg_graph *g);


#endif
