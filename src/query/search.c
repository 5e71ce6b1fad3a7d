/*
 * search.c - finding entities by a piece of their id, name, aliases or
 * (on request) attribute values, as a person types it: `kgraph search`,
 * and the candidates the CLI offers when a name is not exact.
 *
 * Pipeline position: graph -> query. Both the text and every field are
 * folded by kg__fold_search (case, accents, compatibility forms), then
 * compared byte by byte: the folded forms are plain enough that words
 * are runs of letters and digits, with ASCII punctuation and spaces
 * between them (bytes of 0x80 and above count as letters, which is what
 * the folded non-Latin scripts are). A field is folded anew for every
 * search: O(total length of the names), which is what a scan costs
 * anyway, and no index has to be kept in the graph.
 */
#include "query/query_internal.h"
#include "util/fold.h"

struct kg_search {
	KG_VEC(kg_search_hit) hits;
};

size_t kg_search_count(const kg_search *s) { return s ? s->hits.n : 0; }
const kg_search_hit *kg_search_get(const kg_search *s, size_t i) { return &s->hits.v[i]; }

void kg_search_free(kg_search *s)
{
	if (!s)
		return;
	KG_VEC_FREE(s->hits);
	kg__free(s);
}

/* Does word (len bytes) begin some word of f? */
static bool at_word_start(const char *f, const char *word, size_t len)
{
	const char *p;

	for (p = f; *p; p++)
		if ((p == f || !kg__is_word_byte((unsigned char)p[-1])) && strncmp(p, word, len) == 0)
			return true;
	return false;
}

/* The rank at which the folded query q (its words separated by single
 * spaces in words, nwords of them) matches the folded field f, or -1. */
static int rank_of(const char *f, const char *q, const char *words, size_t nwords)
{
	size_t qlen = strlen(q);
	const char *w;

	if (strcmp(f, q) == 0)
		return KG_SEARCH_EXACT;
	if (strncmp(f, q, qlen) == 0)
		return KG_SEARCH_PREFIX;
	if (at_word_start(f, q, qlen))
		return KG_SEARCH_WORD;
	if (nwords > 1) {
		/* "george bush" finds "George W. Bush": every word of the text
		 * begins a word of the field. */
		for (w = words; *w;) {
			size_t n = strcspn(w, " ");
			if (!at_word_start(f, w, n))
				break;
			w += n;
			w += *w == ' ';
		}
		if (!*w)
			return KG_SEARCH_WORD;
	}
	return strstr(f, q) ? KG_SEARCH_SUBSTRING : -1;
}

static int hit_cmp(const void *pa, const void *pb)
{
	const kg_search_hit *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	return a->entity < b->entity ? -1 : a->entity > b->entity;
}

/* Fold field and see whether it beats *best; on out of memory, -1. */
static int try_field(kg_search_hit *best, kg__buf *buf, const char *field, kg_search_field which,
                     const char *key, const char *q, const char *words, size_t nwords)
{
	int rc, rank;

	if (!field)
		return 0;
	rc = kg__fold_search(buf, field, strlen(field));
	if (rc == KG__FOLD_NOMEM)
		return -1;
	if (rc != 0 || !buf->p)
		return 0;
	rank = rank_of(buf->p, q, words, nwords);
	if (rank >= 0 && (best->matched == NULL || rank < (int)best->rank)) {
		best->rank = (kg_search_rank)rank;
		best->field = which;
		best->matched = field;
		best->key = key;
	}
	return 0;
}

int kg_query_search(kg_search **out, const kg_graph *g, const char *text, const kg_search_options *opts)
{
	kg_search_options defaults = KG_SEARCH_OPTIONS_INIT;
	kg__buf q = {0}, words = {0}, buf = {0};
	size_t nwords, e, n, i;
	kg_search *res = NULL;
	int rc = KG_ENOMEM;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!KG__OPTIONS_VERSION_OK(opts->version, KG_SEARCH_OPTIONS_VERSION) || !g || !text)
		return KG_EARG;
	rc = kg__fold_search(&q, text, strlen(text));
	if (rc == KG__FOLD_NOMEM) {
		rc = KG_ENOMEM;
		goto done;
	}
	nwords = rc == 0 && q.p ? kg__search_words(&words, q.p) : 0;
	rc = KG_ENOMEM;
	if (nwords == (size_t)-1)
		goto done;
	if (nwords == 0) {
		rc = KG_EARG; /* nothing to look for: no letter or digit */
		goto done;
	}
	/* Matched as typed, but with its ends trimmed: " bush" is "bush". */
	{
		size_t a = 0, b = q.n;
		while (a < b && !kg__is_word_byte((unsigned char)q.p[a]))
			a++;
		while (b > a && !kg__is_word_byte((unsigned char)q.p[b - 1]))
			b--;
		memmove(q.p, q.p + a, b - a);
		q.p[b - a] = '\0';
		q.n = b - a;
	}
	if (!(res = kg__calloc(1, sizeof *res)))
		goto done;
	n = kg_graph_entity_count(g);
	for (e = 0; e < n; e++) {
		kg_search_hit best = {(uint32_t)e, KG_SEARCH_SUBSTRING, KG_SEARCH_ID, NULL, NULL};
		if (opts->ntypes && !kg__in_list(opts->types, opts->ntypes, kg_entity_type(g, (uint32_t)e)))
			continue;
		if (try_field(&best, &buf, kg_entity_id(g, (uint32_t)e), KG_SEARCH_ID, NULL, q.p, words.p, nwords) ||
		    try_field(&best, &buf, kg_entity_name(g, (uint32_t)e), KG_SEARCH_NAME, NULL, q.p, words.p, nwords))
			goto done;
		for (i = 0; i < kg_entity_alias_count(g, (uint32_t)e); i++)
			if (try_field(&best, &buf, kg_entity_alias(g, (uint32_t)e, i), KG_SEARCH_ALIAS, NULL, q.p,
			              words.p, nwords))
				goto done;
		for (i = 0; opts->attributes && i < kg_entity_attr_count(g, (uint32_t)e); i++) {
			kg_attr a = kg_entity_attr(g, (uint32_t)e, i);
			if (try_field(&best, &buf, a.value, KG_SEARCH_ATTRIBUTE, a.key, q.p, words.p, nwords))
				goto done;
		}
		if (best.matched && KG_VEC_PUSH(res->hits, best))
			goto done;
	}
	if (res->hits.n > 1)
		qsort(res->hits.v, res->hits.n, sizeof *res->hits.v, hit_cmp);
	*out = res;
	res = NULL;
	rc = KG_OK;
done:
	kg_search_free(res);
	kg__free(q.p);
	kg__free(words.p);
	kg__free(buf.p);
	return rc;
}
