/*
 * lex.c - the match query language's words: the lexer, and the
 * diagnostics every stage of a query's reading shares (an error located
 * at a byte of the query; Cypher the subset leaves out, named; a mistyped
 * keyword's did-you-mean).
 *
 * Pipeline position: match, below parse.c, which reads the tokens. The
 * lexer knows no grammar: identifiers, `quoted names`, strings in ' or "
 * (with backslash escapes), numbers, punctuation, and // comments to the
 * end of a line. Token texts live in q->arena; positions are byte offsets into
 * q->text, turned into line and column (in characters) only when an error
 * is reported.
 */
#include "match/lex.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics ----------------------------------------------------- */

int kg__match_error(kg_diag_list *diags, const char *name, const char *text, size_t pos, const char *hint,
                    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	kg_location at = {name ? name : "query", 1, 1};
	size_t i, line_start = 0, line_end;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!diags)
		return KG_EINVALID;
	/* Columns count characters: skip UTF-8 continuation bytes. */
	for (i = 0; i < pos && text[i]; i++) {
		if (text[i] == '\n') {
			at.line++;
			at.column = 1;
			line_start = i + 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			at.column++;
		}
	}
	for (line_end = line_start; text[line_end] && text[line_end] != '\n'; line_end++)
		;
	if (kg_diag_list_add(diags, KG_SEV_ERROR, &at, msg, hint, NULL, NULL) != KG_OK ||
	    kg_diag_set_source_line(diags, kg_diag_list_count(diags) - 1, text + line_start,
	                            line_end - line_start) != KG_OK)
		return KG_ENOMEM;
	return KG_EINVALID;
}

/* ---- lexer ----------------------------------------------------------- */

static const char *const puncts[] = {"->", "<-", "..", "<=", ">=", "<>", "!=", "=~", "(", ")", "[", "]", "{",
                                     "}",  ":",  ",",  ".",  "|",  "*",  "-",  "<",  ">",  "=", "+", "/", "%",
                                     "^",  ";",  "$"};

/* What the lexer reads and where its errors go. */
typedef struct lexer {
	mquery *q;
	kg_diag_list *diags;
	const char *name;
	mtoken_vec *toks;
} lexer;

#define ERR(p, pos, hint, ...) kg__match_error((p)->diags, (p)->name, (p)->q->text, (pos), (hint), __VA_ARGS__)
#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int lex_string(lexer *p, mtoken *t, const char *s, size_t *at)
{
	char quote = s[*at];
	kg__buf b = {0};
	size_t i = *at + 1;

	for (;; i++) {
		char c = s[i];
		if (!c) {
			kg__buf_free(&b);
			return ERR(p, *at, NULL, "this string has no closing %c", quote);
		}
		if (c == quote)
			break;
		if (c == '\\' && s[i + 1]) {
			i++;
			c = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
		}
		if (kg__buf_add(&b, &c, 1)) {
			kg__buf_free(&b);
			return KG_ENOMEM;
		}
	}
	t->text = kg__arena_strndup(&p->q->arena, b.p ? b.p : "", b.n);
	kg__buf_free(&b);
	if (!t->text)
		return KG_ENOMEM;
	*at = i + 1;
	return KG_OK;
}

int kg__match_lex(mtoken_vec *toks, mquery *q, const char *name, kg_diag_list *diags)
{
	lexer lx = {q, diags, name, toks}, *p = &lx;
	const char *s = p->q->text;
	size_t at = 0;

	for (;;) {
		mtoken t = {T_EOF, 0, 0, NULL, 0};
		size_t k;
		while (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r' ||
		       (s[at] == '/' && s[at + 1] == '/')) {
			if (s[at] == '/')
				while (s[at] && s[at] != '\n')
					at++;
			else
				at++;
		}
		t.pos = at;
		if (!s[at]) {
			if (KG_VEC_PUSH(*p->toks, t))
				return KG_ENOMEM;
			return KG_OK;
		}
		if (isalpha((unsigned char)s[at]) || s[at] == '_' || (unsigned char)s[at] >= 0x80) {
			while (isalnum((unsigned char)s[at]) || s[at] == '_' || (unsigned char)s[at] >= 0x80)
				at++;
			t.kind = T_IDENT;
			t.text = kg__arena_strndup(&p->q->arena, s + t.pos, at - t.pos);
		} else if (isdigit((unsigned char)s[at])) {
			while (isdigit((unsigned char)s[at]))
				at++;
			if (s[at] == '.' && isdigit((unsigned char)s[at + 1]))
				for (at++; isdigit((unsigned char)s[at]);)
					at++;
			t.kind = T_NUMBER;
			t.num = strtod(s + t.pos, NULL);
			t.text = "";
		} else if (s[at] == '"' || s[at] == '\'') {
			t.kind = T_STRING;
			TRY(lex_string(p, &t, s, &at));
		} else if (s[at] == '`') {
			const char *close = strchr(s + at + 1, '`');
			if (!close)
				return ERR(p, at, NULL, "this name has no closing `");
			t.kind = T_QIDENT;
			t.text = kg__arena_strndup(&p->q->arena, s + at + 1, (size_t)(close - s) - at - 1);
			at = (size_t)(close - s) + 1;
		} else {
			for (k = 0; k < sizeof puncts / sizeof *puncts; k++)
				if (!strncmp(s + at, puncts[k], strlen(puncts[k])))
					break;
			if (k == sizeof puncts / sizeof *puncts)
				return ERR(p, at, NULL, "unexpected character '%c'", s[at]);
			t.kind = T_PUNCT;
			t.text = puncts[k];
			at += strlen(puncts[k]);
		}
		if (!t.text)
			return KG_ENOMEM;
		t.len = at - t.pos;
		if (KG_VEC_PUSH(*p->toks, t))
			return KG_ENOMEM;
	}
}

/* ---- keywords -------------------------------------------------------- */

static int upper(char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : (unsigned char)c;
}

int kg__match_casecmp(const char *a, const char *b)
{
	for (; *a && upper(*a) == upper(*b); a++, b++)
		;
	return upper(*a) - upper(*b);
}

/* The words of the subset, for "did you mean" when a keyword is mistyped. */
static const char *const keywords[] = {"MATCH", "WHERE",  "RETURN", "DISTINCT", "ORDER", "BY",   "ASC",
                                       "DESC",  "SKIP",   "LIMIT",  "AND",      "OR",    "NOT",  "IN",
                                       "STARTS", "ENDS",  "WITH",   "CONTAINS", "IS",    "NULL", "AS",
                                       "TRUE",  "FALSE",  "count",  "lower"};

/* Cypher the subset leaves out, named when met where a clause or an
 * expression could start. */
static const char *const unsupported[] = {"OPTIONAL", "WITH",    "CREATE", "MERGE", "DELETE", "DETACH",
                                          "SET",      "REMOVE",  "UNWIND", "CALL",  "FOREACH", "LOAD",
                                          "UNION",    "USE",     "YIELD",  "XOR",   "CASE",   "EXISTS",
                                          "shortestPath", "allShortestPaths"};

int kg__match_unsupported(kg_diag_list *diags, const char *name, const mquery *q, const mtoken *t)
{
	size_t k;
	static const char hint[] = "kgraph match answers MATCH ... WHERE ... RETURN (see docs/match.md)";

	if (t->kind != T_IDENT)
		return 0;
	for (k = 0; k < sizeof unsupported / sizeof *unsupported; k++)
		if (!kg__match_casecmp(t->text, unsupported[k])) {
			if (!kg__match_casecmp(t->text, "OPTIONAL"))
				return kg__match_error(diags, name, q->text, t->pos, hint, "OPTIONAL MATCH is not supported");
			return kg__match_error(diags, name, q->text, t->pos, hint, "%s is not supported", unsupported[k]);
		}
	return 0;
}

const char *kg__match_near_keyword(const char *text)
{
	return kg__closest(text, strlen(text), keywords, sizeof keywords / sizeof *keywords, true);
}
