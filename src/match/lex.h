/*
 * lex.h - the tokens of a match query (lex.c), for the parser, and the
 * diagnostics it shares with the parser.
 */
#ifndef KG_MATCH_LEX_H
#define KG_MATCH_LEX_H

#include "match/match_internal.h"

typedef enum { T_EOF, T_IDENT, T_QIDENT, T_STRING, T_NUMBER, T_PUNCT } mtkind;

typedef struct mtoken {
	mtkind kind;
	size_t pos, len; /* in the query */
	const char *text; /* IDENT, QIDENT and STRING: decoded; PUNCT: the symbol */
	double num;
} mtoken;

typedef KG_VEC(mtoken) mtoken_vec;

/* Split q->text into *toks, ended by a T_EOF token; texts in q->arena.
 * KG_EINVALID after a diagnostic (an unclosed string or `name`, a
 * character no token starts with), KG_ENOMEM. O(length). */
int kg__match_lex(mtoken_vec *toks, mquery *q, const char *name, kg_diag_list *diags);

/* strcasecmp for ASCII keywords, whatever the locale. */
int kg__match_casecmp(const char *a, const char *b);

/* When t is a word of Cypher the subset leaves out (OPTIONAL, WITH,
 * CREATE, shortestPath, ...), the error that names it (KG_EINVALID, or
 * KG_ENOMEM); else 0. */
int kg__match_unsupported(kg_diag_list *diags, const char *name, const mquery *q, const mtoken *t);

/* The keyword of the subset closest to text, for a did-you-mean, or NULL. */
const char *kg__match_near_keyword(const char *text);

#endif
