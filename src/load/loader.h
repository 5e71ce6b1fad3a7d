/*
 * loader.h - the state of one load and the functions the loader's files
 * share (private to src/load).
 *
 * The loader's files, in the order an event passes through them:
 *   events.c          libyaml and the parser thread: kgraph's events (event.h)
 *   syntax_errors.c   a syntax error events.c found, put into words
 *   breaks.c          the read handler; NEL, LS, PS taken out of lines and columns
 *   alias.c           anchors and alias replay, nesting bound: kg__ld_next
 *   values.c          mapping keys, scalars, ids, dates, attribute values
 *   read_sections.c   a file's top level, sources, types, relation types, entities
 *   read_relations.c  relations (the hot path of a large graph)
 *   files.c           files, standard input, includes
 *   resolve.c         references resolved once every file is read
 *   report.c          diagnostics at the reader's positions
 *   load.c            kg_load_files and kg_load_string
 *
 * Every reader function returns 0 to go on (semantic errors have been
 * reported and the offending value skipped) or a negative code to stop
 * the file: LD_STOP (syntax error or a limit) or KG_ENOMEM. TRY passes a
 * negative code up.
 *
 * The small helpers the hot path calls for every relation are static
 * inline here rather than a call into another file.
 */
#ifndef KG_LOAD_LOADER_H
#define KG_LOAD_LOADER_H

#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "kgraph/load.h"
#include "core/diag_internal.h"
#include "core/graph_internal.h"
#include "load/event.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define LD_STOP (-100)
#define LD_BYTES_PER_STRING 128

#define TRY(expr) do { int rc_ = (expr); if (rc_ < 0) return rc_; } while (0)

/* ---- anchors (alias.c) --------------------------------------------- */

/* An event kept for alias replay. */
typedef struct kg__arec {
	kg__ev_type type;
	const char *val;
	uint32_t len;
	unsigned line, col;
	unsigned char plain;
} kg__arec;

typedef struct kg__anchor {
	uint32_t start, end; /* in log */
	unsigned line, col;
} kg__anchor;

/* A node with an anchor, open until its end event. */
typedef struct kg__aframe {
	uint32_t name; /* anchor name id in L->anames */
	uint32_t start;
	int depth;
	unsigned line, col;
} kg__aframe;

typedef struct kg__replay {
	uint32_t pos, end;
} kg__replay;

/* ---- references resolved at the end (resolve.c) -------------------- */

enum kg__pend_kind {
	KG__PEND_FROM,
	KG__PEND_TO,
	KG__PEND_ETYPE,
	KG__PEND_SOURCE,
	KG__PEND_RTYPE_END,
	KG__PEND_NONE
};

typedef struct kg__pend {
	unsigned char kind;
	uint32_t target; /* relation, entity or u32 index */
	uint32_t sid;
	kg__loc loc;
} kg__pend;

/* ---- duplicate keys in one mapping (values.c) ---------------------- */

typedef struct kg__keyent {
	uint32_t sid;
	unsigned line, col;
} kg__keyent;

typedef struct kg__keyset {
	KG_VEC(kg__keyent) ents;
	uint32_t *slot; /* index + 1 */
	size_t nslot;
	int hashed;
} kg__keyset;

/* ---- files (files.c) ----------------------------------------------- */

typedef struct kg__ld_incl {
	char *path; /* as written; malloc'd */
	kg__loc loc;
} kg__ld_incl;

typedef struct kg__ld_fileid {
	dev_t dev;
	ino_t ino;
	int valid; /* 0 for standard input and memory, which no include can name */
} kg__ld_fileid;

typedef struct kg__ld_file {
	const char *name; /* owned by the graph (files vector) */
	uint32_t index;
	char *dir; /* directory for relative paths, with trailing '/', or "" */
	uint32_t folder; /* its graph folder (g->folders), that of the file the caller named */
	FILE *fp;
	const char *mem;
	size_t memlen;
	size_t size;  /* bytes in the file, for progress; 0 when unknown */
	size_t diag_first;
	KG_VEC(kg__offfix) offsets;
	KG_VEC(kg__ld_incl) includes;
} kg__ld_file;

/* ---- the loader ---------------------------------------------------- */

typedef struct kg__loader {
	kg_graph *g;
	kg_diag_list *diags;
	const kg_load_options *opts;
	unsigned max_errors, nerrors;
	int stopped; /* too many errors: read nothing more */
	int io_failed;
	int syntax_failed; /* a file stopped at a syntax error: entities may be missing */
	size_t last_diag;

	struct kg__reader *rd; /* the event reader of the current file (events.c) */
	long cpus;             /* available to the process; 0 until asked */
	kg__ld_file *f;
	int depth;

	kg__arena scratch;
	kg__strtab anames;
	KG_VEC(kg__arec) log;
	KG_VEC(uint32_t) anchor_of; /* anchor name id -> anchors index + 1 */
	KG_VEC(kg__anchor) anchors;
	KG_VEC(kg__aframe) frames;
	KG_VEC(kg__replay) replays;
	size_t replayed;
	size_t replayed_bytes; /* text replayed, against KG_MAX_ALIAS_BYTES */
	unsigned alias_line, alias_col;

	KG_VEC(kg__pend) pend;
	char end_text[2][KG_MAX_ID_BYTES]; /* a relation's ends, see rel_endpoint */
	kg__keyset keysets[KG_MAX_YAML_DEPTH + 2];
	KG_VEC(kg__ld_fileid) seen;
	KG_VEC(kg__ld_fileid) chain;
	KG_VEC(const char *) chain_names;

	kg__buf stdin_text; /* standard input, kept until the end */
	const char *mem_data; /* kg_load_string's text */
	size_t mem_len;
	double parse_seconds; /* in libyaml, in either thread */
	double ahead_seconds; /* getting events: parsing, or waiting for the parser thread */
	size_t bytes;
	size_t files;
	size_t events; /* parsed, for progress */
} kg__loader;

/* ---- small helpers ------------------------------------------------- */

/* A location in the current file, as the graph stores it. */
static inline kg__loc kg__ld_loc(const kg__loader *L, unsigned line, unsigned col)
{
	kg__loc l;
	l.file = L->f ? L->f->index : 0;
	l.line = line;
	l.col = col > KG_MAX_COLUMN ? KG_MAX_COLUMN : col;
	return l;
}

/* A location in the current file, as a diagnostic gives it. */
static inline kg_location kg__ld_pub_loc(const kg__loader *L, unsigned line, unsigned col)
{
	kg_location l;
	l.file = L->f ? L->f->name : NULL;
	l.line = line;
	l.column = col;
	return l;
}

/* The entity whose id is string sid, or KG_NONE. */
static inline uint32_t kg__ld_entity_of(const kg__loader *L, uint32_t sid)
{
	return kg__graph_entity_of(L->g, sid);
}

/* A null scalar: empty, ~ or null, written plain. */
static inline int kg__ld_is_null(const kg__ev *e)
{
	return e->type == KG__EV_SCALAR && e->plain &&
	       (e->len == 0 || strcmp(e->val, "~") == 0 || strcmp(e->val, "null") == 0 ||
	        strcmp(e->val, "Null") == 0 || strcmp(e->val, "NULL") == 0);
}

/* ---- report.c: diagnostics ----------------------------------------- */

#if defined(__GNUC__)
#define KG__LD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KG__LD_PRINTF(f, a)
#endif

/* Report a diagnostic at where (NULL: the file as a whole); errors count
 * towards max_errors. Returns 0, or LD_STOP once too many errors were
 * reported, or KG_ENOMEM. */
KG__LD_PRINTF(5, 6)
int kg__ld_report(kg__loader *L, const kg_location *where, const kg_location *related,
                  const char *related_msg, const char *fmt, ...);
/* An error or a warning at line:col of the current file. */
KG__LD_PRINTF(4, 5)
int kg__ld_error_at(kg__loader *L, unsigned line, unsigned col, const char *fmt, ...);
KG__LD_PRINTF(4, 5)
int kg__ld_warning_at(kg__loader *L, unsigned line, unsigned col, const char *fmt, ...);
/* An error at a location stored in the graph, with an optional related
 * location, used once the file it is in may be closed. */
KG__LD_PRINTF(5, 6)
int kg__ld_error_loc(kg__loader *L, kg__loc at, const kg_location *related, const char *related_msg,
                     const char *fmt, ...);
/* An error here, with a related place in the same file. */
KG__LD_PRINTF(7, 8)
int kg__ld_error_rel(kg__loader *L, unsigned line, unsigned col, unsigned rline, unsigned rcol,
                     const char *related_msg, const char *fmt, ...);
/* A duplicate definition of what at key k; the first is at first. */
int kg__ld_error_dup(kg__loader *L, const kg__ev *k, const char *what, kg__loc first);
/* Report that e is not what was expected, and skip it. */
int kg__ld_wrong_kind(kg__loader *L, const kg__ev *e, const char *what, const char *expected);
/* "a mapping", "a list", "text" or "nothing". */
const char *kg__ld_event_name(kg__ev_type t);
/* Add "did you mean 'x'?" to the last diagnostic when there is an x. */
void kg__ld_hint_near(kg__loader *L, const char *near);
/* Closest record name among the string ids key_of(0..n-1), or NULL. */
const char *kg__ld_closest_key(kg__loader *L, const char *text, kg__key_fn key_of, size_t n);

/* ---- alias.c: the events the readers read -------------------------- */

/* The next event of the file, with aliases expanded and nesting bounded. */
int kg__ld_next(kg__loader *L, kg__ev *e);
/* Skip the rest of the node that e starts. */
int kg__ld_skip(kg__loader *L, const kg__ev *e);
/* Forget the file's anchors (between files); free them (at the end). */
void kg__ld_aliases_reset(kg__loader *L);
void kg__ld_aliases_free(kg__loader *L);

/* ---- values.c: keys and scalars ------------------------------------ */

/* The duplicate-key set of the mapping about to be read at L->depth. */
kg__keyset *kg__ld_keyset_begin(kg__loader *L);
/* Add key sid to the set. Returns 1 and reports when it is there already. */
int kg__ld_keyset_add(kg__loader *L, kg__keyset *ks, uint32_t sid, unsigned line, unsigned col);
/* Read the next key of the mapping being read into *k, with its text
 * interned: k->val then stays valid after the value is read, and *sid is
 * its string id. Returns 1 with a key, 0 at the end of the mapping, or
 * <0. Keys that are not text are reported and skipped with their values. */
int kg__ld_next_key(kg__loader *L, kg__ev *k, uint32_t *sid);
/* Intern a scalar's text, refusing NUL characters. *sid = 0 after an
 * error. */
int kg__ld_intern_text(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid);
/* A non-empty text value, interned; *sid = 0 after an error. */
int kg__ld_get_text(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid);
/* Check that e is an id: text matching [A-Za-z0-9][A-Za-z0-9_.-]*, at most
 * KG_MAX_ID_BYTES. *ok is set when it is; otherwise it was reported (and
 * skipped). */
int kg__ld_check_id(kg__loader *L, const kg__ev *e, const char *what, bool *ok);
/* An id, interned; *sid = 0 after an error. */
int kg__ld_get_id(kg__loader *L, const kg__ev *e, const char *what, uint32_t *sid);
int kg__ld_get_date(kg__loader *L, const kg__ev *e, const char *what, kg_date *d);
int kg__ld_get_bool(kg__loader *L, const kg__ev *e, const char *what, int *out);
/* Call item() for a text value, or for each item of a list of text. */
typedef int (*kg__ld_text_fn)(kg__loader *L, const kg__ev *e, uint32_t sid, int in_list, void *ctx);
int kg__ld_text_or_list(kg__loader *L, const kg__ev *e, const char *what, int want_id, kg__ld_text_fn item,
                        void *ctx);
/* An attribute value: text (empty allowed) or a list of text. */
int kg__ld_read_attr(kg__loader *L, uint32_t key, const kg__ev *e, const char *what);
/* Warn when an attribute key is one typo away from one of the n keys. */
int kg__ld_warn_near_key(kg__loader *L, const kg__ev *k, const char *const *keys, size_t n);
/* Read a mapping of style keys (for types and relation types): every
 * value must be text. Calls known() first for keys with a meaning; it
 * returns 1 when it took the key. */
typedef int (*kg__ld_key_fn)(kg__loader *L, const kg__ev *k, const kg__ev *v, void *ctx);
int kg__ld_read_style_map(kg__loader *L, const kg__ev *start, const char *what, kg__ld_key_fn known,
                          const char *const *keys, size_t nkeys, void *ctx);
/* A section that maps ids to bodies (types:, relation_types:, sources:,
 * entities:): checks the shape and each id, then hands each valid id and
 * the first event of its body to item(), which must consume the body. */
typedef int (*kg__ld_id_item_fn)(kg__loader *L, const kg__ev *k, uint32_t id, const kg__ev *body);
int kg__ld_read_id_map(kg__loader *L, const kg__ev *start, const char *section, const char *id_what,
                       kg__ld_id_item_fn item);

/* ---- read_sections.c, read_relations.c: the format ----------------- */

/* One YAML stream holding one document whose root is a mapping. */
int kg__ld_read_stream(kg__loader *L);
/* The relations: section. */
int kg__ld_read_relations(kg__loader *L, const kg__ev *start);
/* Add a relation type seen for the first time; *idx is its index. */
int kg__ld_new_rtype(kg__loader *L, uint32_t name, kg__loc loc, uint32_t *idx);

/* ---- files.c, resolve.c -------------------------------------------- */

/* Read one file (from disk, or data when not NULL), then its includes.
 * from is the include that named it, or NULL for a file the caller named;
 * folder is then the graph folder (g->folders) of the file that included
 * it, which it must be inside (or inside an include path) to be read.
 * 0 or KG_ENOMEM; every other problem is a diagnostic. */
int kg__ld_load_file(kg__loader *L, const char *path, const char *data, size_t len, const kg__loc *from,
                     uint32_t folder, unsigned depth);
/* Resolve the queued references and check relation types' from:/to:. */
int kg__ld_resolve(kg__loader *L);
/* Source lines for diagnostics reported after their file was closed. */
int kg__ld_fill_late_positions(kg__loader *L);

#endif
