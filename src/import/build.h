/*
 * build.h - the graph an importer builds, written as kgraph YAML and
 * loaded (private).
 *
 * Each importer maps its records onto calls here; the builder gives every
 * record a kgraph id (deterministic slugs, collisions numbered), remembers
 * which original id became which, declares the types, relation types and
 * sources that are used, and writes each section as kgraph YAML text with
 * every text double-quoted. kg__build_finish loads that text with the
 * ordinary loader, so the graph an import gives is exactly what `kgraph
 * check` would accept, and nothing here duplicates its rules.
 */
#ifndef KG_IMPORT_BUILD_H
#define KG_IMPORT_BUILD_H

#include "kgraph/diag.h"
#include "kgraph/import.h"
#include "util/arena.h"
#include "util/strtab.h"
#include "util/util.h"

#include <stdbool.h>

/* Namespaces of ids: a type and an entity may share a name. */
enum { KG__NS_ENTITY = 'e', KG__NS_SOURCE = 's', KG__NS_TYPE = 't', KG__NS_RTYPE = 'r' };

typedef struct kg__build {
	kg__strtab tab;                 /* "<ns>:slug" taken, "<ns>=original" mapped */
	KG_VEC(uint32_t) val;           /* by string id: slug's string id + 1 for a mapping */
	kg__buf title, sources, types, rtypes, entities, relations;
	KG_VEC(uint32_t) rtype_list;    /* rtype slugs in first use, to declare */
	KG_VEC(uint32_t) rtype_label;   /* their labels (string id, 0 none) */
	KG_VEC(uint8_t) rtype_sym;
	kg_import_summary *sum;
	kg_diag_list *diags;
	const char *file;               /* the file being read, for diagnostics */
	unsigned errors;
	int nomem;
} kg__build;

int kg__build_init(kg__build *b, kg_import_summary *sum, kg_diag_list *diags);
void kg__build_free(kg__build *b);

/* Report at line:col of b->file. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void kg__build_diag(kg__build *b, kg_severity sev, unsigned line, unsigned col, const char *fmt, ...);

/* The slug original maps to in namespace ns, or NULL. */
const char *kg__build_find(kg__build *b, int ns, const char *original);
/* Map original to a new slug in ns (it must not be mapped yet); *renamed
 * says whether the slug differs. NULL when out of memory. */
const char *kg__build_assign(kg__build *b, int ns, const char *original, bool *renamed);

/* Map original in ns to slug, already assigned in slug_ns (a second key
 * for the same record: a node's id as it is written in edges). */
int kg__build_link(kg__build *b, int ns, const char *original, int slug_ns, const char *slug);

/* Types and relation types: the slug of original, declared on first use
 * with label (NULL or the name: none) and, for relation types, symmetric. */
const char *kg__build_type(kg__build *b, const char *original, const char *label);
const char *kg__build_rtype(kg__build *b, const char *original, const char *label, bool symmetric);

/* Append s to out as a YAML double-quoted scalar. */
void kg__build_yaml(kg__build *b, kg__buf *out, const char *s);
/* Append text to out (no quoting). */
void kg__build_put(kg__build *b, kg__buf *out, const char *text);

/* indent KEYWORD: "value" (a key of the format, written plain). */
void kg__build_field(kg__build *b, kg__buf *out, const char *indent, const char *keyword, const char *value);
/* indent and key then ':' (an explicit "? key" when it is long). */
void kg__build_key(kg__build *b, kg__buf *out, const char *indent, const char *key);
/* indent "key": "value" (an attribute: the key quoted too). */
void kg__build_kv(kg__build *b, kg__buf *out, const char *indent, const char *key, const char *value);
/* indent KEYWORD: DATE when text is a kgraph date, else a warning at
 * line:col and a count (what names the input's field). Returns the date,
 * 0 when none was written. */
kg_date kg__build_date(kg__build *b, kg__buf *out, const char *indent, const char *keyword, const char *text,
                    const char *what, unsigned line, unsigned col);
/* An error at line:col (since's) unless since is before until, as the
 * loader requires (either 0: nothing to compare). */
void kg__build_validity(kg__build *b, kg_date since, kg_date until, unsigned line, unsigned col);
/* indent weight: TEXT when text is a number from 0 to KG_MAX_WEIGHT,
 * else a warning and a count. */
void kg__build_weight(kg__build *b, kg__buf *out, const char *indent, const char *text, unsigned line,
                      unsigned col);
/* The slug of source original, declared bare when the input did not
 * list it. */
const char *kg__build_cited_source(kg__build *b, const char *original);

/* Load what was built: KG_OK with *out, or an error code (KG_EINVALID
 * when b->errors, or when the loader refused the text: a bug, said so). */
int kg__build_finish(kg__build *b, kg_graph **out);

#endif
