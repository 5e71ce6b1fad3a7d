/*
 * match_internal.h - the compiled form of a match query, shared by the
 * lexer (lex.c), the parser (parse.c), the executor (exec.c) and the
 * projection (result.c).
 *
 * The parser resolves every name against the graph while it reads, so
 * the AST holds type indexes, variable numbers and property codes, never
 * names to look up again per binding.
 */
#ifndef KG_MATCH_INTERNAL_H
#define KG_MATCH_INTERNAL_H

#include "kgraph/common.h"
#include "kgraph/match.h"
#include "kgraph/limits.h"
#include "util/arena.h"
#include "util/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Properties with a meaning; anything else is an attribute key. */
typedef enum mprop {
	P_ID, P_NAME, P_TYPE, P_ALIASES,                   /* entities */
	P_DATE, P_SINCE, P_UNTIL, P_WEIGHT, P_SOURCE, P_QUOTE, /* relations (P_TYPE too) */
	P_ATTR
} mprop;

typedef enum mexpr_kind {
	X_STR, X_NUM, X_NULL, X_BOOL, X_LIST, /* literals */
	X_VAR, X_PROP,
	X_CMP,       /* op: one of the C_* below */
	X_AND, X_OR, X_NOT,
	X_IN, X_STARTS, X_ENDS, X_CONTAINS, X_ISNULL, X_NOTNULL,
	X_LOWER, X_COUNT
} mexpr_kind;

enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

typedef struct mexpr mexpr;
struct mexpr {
	mexpr_kind kind;
	int op;          /* X_CMP: C_*; X_BOOL: the value */
	size_t pos, end; /* bytes of the query it was written at */
	mexpr *a, *b;
	mexpr **items;   /* X_LIST */
	size_t nitems;
	const char *str; /* X_STR; X_PROP: attribute key */
	double num;
	int var;         /* X_VAR, X_PROP; X_COUNT: -1 for count(*) */
	mprop prop;
	uint64_t vars;   /* the variables it reads, as bits */
};

/* A variable: a node (entity) or a relation pattern element. */
typedef struct mvar {
	const char *name; /* NULL for an anonymous element */
	bool is_rel;
	bool varlen;      /* relation: -[*a..b]- */
	size_t pos;       /* where first written */
	int order;        /* place among the items that order the rows */
} mvar;

/* A relation pattern element between two node variables. */
typedef enum { D_RIGHT, D_LEFT, D_BOTH } mdir; /* -> <- - */

typedef struct melem {
	int var;          /* its relation variable */
	int left, right;  /* node variables as written */
	mdir dir;
	uint32_t *types;  /* allowed relation types; ntypes 0 = any */
	size_t ntypes;
	unsigned min, max; /* hops; 1..1 unless variable length */
	mexpr **props;    /* {key: value} as equality tests on the relation */
	size_t nprops;
} melem;

/* What a node variable must satisfy, from all its occurrences. */
typedef struct mnode {
	uint32_t **labels; /* each occurrence's :a|b list; all must hold */
	size_t *nlabels;
	size_t nlabelsets;
	mexpr **props;
	size_t nprops;
	const char *seed_id, *seed_name; /* {id: "x"} / WHERE v.id = "x" */
} mnode;

typedef struct mitem {
	mexpr *e;
	const char *name; /* AS alias, or the text written */
	bool desc;        /* ORDER BY */
	int column;       /* ORDER BY: the RETURN column it names, or -1 */
} mitem;

typedef struct mquery {
	kg__arena arena;
	const kg_graph *g;
	const char *text;
	mvar *vars;
	size_t nvars;
	mnode *nodes;    /* per variable (unused for relations) */
	melem *elems;
	size_t nelems;
	mexpr **conj;    /* WHERE, split at its top-level ANDs */
	size_t nconj;
	mitem *ret;
	size_t nret;
	bool distinct, aggregate;
	mitem *order;
	size_t norder;
	size_t skip, limit;
	bool has_limit;
} mquery;

/* Parse and resolve text into q (whose arena the caller frees with
 * kg__arena_free). KG_OK, KG_EINVALID with a diagnostic, or KG_ENOMEM. */
int kg__match_parse(mquery *q, const kg_graph *g, const char *text, const char *name, kg_diag_list *diags);

/* Report an error at byte pos of the query (lex.c). Returns KG_EINVALID (or
 * KG_ENOMEM when the diagnostic could not be added). */
int kg__match_error(kg_diag_list *diags, const char *name, const char *text, size_t pos, const char *hint,
                    const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* ---- values (exec.c) ------------------------------------------------ */

typedef enum { V_NULL, V_STR, V_NUM, V_DATE, V_ENT, V_REL, V_PATH, V_LIST, V_BOOL } vkind;

/* A value while evaluating. V_LIST is a list property: key (NULL for
 * aliases) of entity or relation idx. V_PATH: n relations at rels. */
typedef struct mval {
	vkind kind;
	const char *s;
	double num;
	kg_date date;
	uint32_t idx;
	bool of_rel;
	const char *key;
	const uint32_t *rels;
	size_t n;
} mval;

/* A binding: the entity of each node variable, and for each relation
 * variable the run [start, start + len) of the relation stack. */
typedef struct mbind {
	const uint32_t *ent;   /* per variable (relations: unused) */
	const uint32_t *start; /* per variable */
	const uint32_t *len;
	const uint32_t *rels;
} mbind;

typedef struct mscratch {
	KG_VEC(char *) strings; /* folded text, freed after each test */
} mscratch;

/* Evaluate e on binding b. Strings made by lower() go to sc. */
mval kg__match_eval(const mquery *q, const mexpr *e, const mbind *b, mscratch *sc);
/* 1 true, 0 false, -1 null (unknown). */
int kg__match_test(const mquery *q, const mexpr *e, const mbind *b, mscratch *sc);
void kg__match_scratch_clear(mscratch *sc);
/* The items of a V_LIST value. */
size_t kg__match_list_count(const kg_graph *g, const mval *v);
mval kg__match_list_item(const kg_graph *g, const mval *v, size_t k);
/* Total order for ORDER BY and the row order: nulls last. */
int kg__match_order(const kg_graph *g, const mval *a, const mval *b);

/* ---- the bindings found (exec.c), turned into rows (result.c) -------- */

typedef struct mbindings {
	KG_VEC(uint32_t) data; /* per binding: nvars entities, nvars starts, nvars lengths */
	KG_VEC(uint32_t) rels; /* the relation stacks, concatenated */
	KG_VEC(uint32_t) rel_at; /* per binding: its offset in rels */
	size_t count;
} mbindings;

/* Bind b to binding i of bs. */
void kg__match_binding(mbind *b, const mquery *q, const mbindings *bs, size_t i);

int kg__match_run(mbindings *out, const mquery *q, const kg_match_options *opts, kg_diag_list *diags);

/* Make r's rows from the bindings; r is the opaque kg_match_result. */
int kg__match_project(kg_match_result *r, const mquery *q, const mbindings *bs);

#endif
