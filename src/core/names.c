/*
 * names.c - the name index, and finding entities by what people call them.
 *
 * kg_graph_resolve finds an entity by its id, or by its id, name or an
 * alias in any case: the index holds, for each (case-folded text, entity)
 * pair, a 32-bit hash of the folded text (the string table's hash) and the
 * entity, sorted by hash, the entities of one folded text together and
 * ascending; no folded text is stored, so a lookup folds each candidate's
 * names to confirm it. An id that needs no folding and shares its hash
 * with no other name is not in the index: it is found as an id, through
 * the entity id slots (kg__graph_build_ids, also here). Also the
 * suggestions of a near name for an unknown one. graph.c builds the rest
 * of the graph's indexes and calls kg__graph_build_names and
 * kg__graph_build_ids.
 */
#include "core/graph_internal.h"
#include "kgraph/common.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Does text need case folding, i.e. is it anything but ASCII without
 * capitals? Most ids are not, and their folded form is themselves. */
static bool needs_fold(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || ((unsigned char)s[i] & 0x80))
			return true;
	return false;
}

/* The case-folded text of string sid, into *p and *len: the string itself
 * when folding would not change it (most ids), else folded into buf. Text
 * that is not UTF-8 stands for itself: no query can name it (the loader
 * lets none in). KG_OK, or KG_ENOMEM. */
static int folded_name(const char **p, size_t *len, const kg_graph *g, uint32_t sid, kg__buf *buf)
{
	size_t n;
	/* Checked: a snapshot read lazily resolves names through this. */
	const char *s = kg__graph_str_len(g, sid, &n);

	if (needs_fold(s, n)) {
		int rc = kg__fold(buf, s, n);
		if (rc == KG__FOLD_NOMEM)
			return KG_ENOMEM;
		if (rc == 0) {
			*p = buf->p ? buf->p : "";
			*len = buf->n;
			return KG_OK;
		}
	}
	*p = s;
	*len = n;
	return KG_OK;
}

/* Count the names' 16-bit digits at shift into count[65536] and turn the
 * counts into starting positions. */
static void digit_starts(size_t *count, const kg__name *names, size_t n, int shift)
{
	size_t i, sum = 0;

	memset(count, 0, 65536 * sizeof *count);
	for (i = 0; i < n; i++)
		count[(names[i].hash >> shift) & 0xFFFF]++;
	for (i = 0; i < 65536; i++) {
		size_t c = count[i];
		count[i] = sum;
		sum += c;
	}
}

/* Sort the n names by hash, stably: a radix sort of two passes on 16
 * bits, from names into tmp and back. The names are added in entity
 * order, so the entities of one hash stay ascending and the repeats of a
 * (hash, entity) pair adjacent. */
static int sort_names(kg__name *names, kg__name *tmp, size_t n)
{
	size_t *count = kg__malloc(65536 * sizeof *count), i;

	if (!count)
		return KG_ENOMEM;
	digit_starts(count, names, n, 0);
	for (i = 0; i < n; i++)
		tmp[count[names[i].hash & 0xFFFF]++] = names[i];
	digit_starts(count, tmp, n, 16);
	for (i = 0; i < n; i++)
		names[count[tmp[i].hash >> 16]++] = tmp[i];
	kg__free(count);
	return KG_OK;
}

static int by_sid(const void *a, const void *b)
{
	const kg__name *x = a, *y = b;

	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return (x->entity > y->entity) - (x->entity < y->entity);
}

static int by_text(const void *a, const void *b)
{
	const kg__name *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->entity > y->entity) - (x->entity < y->entity);
}

/* The k names of a run with one hash, of more than one string: put the
 * number of their folded text (0, 1, ... in the order of their string ids)
 * in place of the hash, and sort them by (that, entity), so that the
 * entities of one text are together and ascending. Texts whose hashes
 * collide are rare, and strings that fold alike ("Paris", "paris") fold
 * here once per string, so this costs little beside the load. KG_OK or
 * KG_ENOMEM; the run is then only partly sorted. */
static int group_run(const kg_graph *g, kg__name *run, size_t k)
{
	KG_VEC(kg__buf) texts = {0};
	kg__buf buf = {0};
	size_t i, t;
	int rc = KG_OK;

	qsort(run, k, sizeof *run, by_sid);
	for (i = 0; i < k && rc == KG_OK; i++) {
		const char *p;
		size_t len;
		kg__buf copy = {0};
		if (i > 0 && run[i].sid == run[i - 1].sid) {
			run[i].hash = run[i - 1].hash;
			continue;
		}
		if ((rc = folded_name(&p, &len, g, run[i].sid, &buf)) != KG_OK)
			break;
		for (t = 0; t < texts.n; t++)
			if (texts.v[t].n == len && (len == 0 || memcmp(texts.v[t].p, p, len) == 0))
				break;
		if (t == texts.n && (kg__buf_add(&copy, p, len) || KG_VEC_PUSH(texts, copy))) {
			kg__buf_free(&copy);
			rc = KG_ENOMEM;
		}
		run[i].hash = (uint32_t)t;
	}
	if (rc == KG_OK)
		qsort(run, k, sizeof *run, by_text);
	for (t = 0; t < texts.n; t++)
		kg__buf_free(&texts.v[t]);
	KG_VEC_FREE(texts);
	kg__buf_free(&buf);
	return rc;
}

/* Is name n its entity's id, and that id its own case-folded form? */
static bool self_folded_id(const kg_graph *g, const kg__name *n)
{
	size_t len;
	const char *s;

	if (g->entities.v[n->entity].id != n->sid)
		return false;
	s = kg__graph_str_len(g, n->sid, &len);
	return !needs_fold(s, len);
}

/* Move the sorted names into the columns name_hash and name_entity,
 * each (text, entity) pair once: a run of one hash whose names are not
 * all one string is grouped by text first (group_run). */
static int fill_names(kg_graph *g, kg__name *names, size_t n)
{
	size_t a, b, i, j = 0;

	for (a = 0; a < n; a = b) {
		uint32_t hash = names[a].hash;
		bool one_string = true;
		for (b = a + 1; b < n && names[b].hash == hash; b++)
			one_string &= names[b].sid == names[a].sid;
		if (!one_string && group_run(g, names + a, b - a) != KG_OK)
			return KG_ENOMEM;
		/* An entity id that is its own folded form (most ids) and
		 * alone with its hash is left out: kg_graph_resolve finds it
		 * by looking the folded query up as an id (issue 17: 8 bytes
		 * an entity). One that shares its hash stays, so that every
		 * entity of a folded text is in its slice. */
		if (b - a == 1 && self_folded_id(g, &names[a]))
			continue;
		/* Repeats of a pair are adjacent (in group_run's order, the
		 * text's number is in the hash). */
		for (i = a; i < b; i++)
			if (i == a || names[i].hash != names[i - 1].hash || names[i].entity != names[i - 1].entity) {
				g->name_hash[j] = hash;
				g->name_entity[j++] = names[i].entity;
			}
	}
	g->nnames = j;
	return KG_OK;
}

/* The name index (graph_internal.h): every entity's id, name and aliases,
 * hashed folded, sorted and grouped. No folded text is kept. */
int kg__graph_build_names(kg_graph *g)
{
	size_t total = 0, n = 0, i, j;
	kg__name *names, *tmp;
	kg__buf buf = {0};
	int rc = KG_OK;

	for (i = 0; i < g->entities.n; i++)
		total += 2 + g->entities.v[i].aliases.count;
	names = kg__malloc((total ? total : 1) * sizeof *names);
	if (!names)
		return KG_ENOMEM;
	for (i = 0; i < g->entities.n; i++) {
		const kg__entity *e = &g->entities.v[i];
		names[n].sid = e->id;
		names[n++].entity = (uint32_t)i;
		if (e->name) {
			names[n].sid = e->name;
			names[n++].entity = (uint32_t)i;
		}
		for (j = 0; j < e->aliases.count; j++) {
			names[n].sid = g->u32.v[e->aliases.start + j];
			names[n++].entity = (uint32_t)i;
		}
	}
	for (i = 0; i < n && rc == KG_OK; i++) {
		const char *p;
		size_t len;
		if ((rc = folded_name(&p, &len, g, names[i].sid, &buf)) == KG_OK)
			names[i].hash = kg__strtab_hash(p, len);
	}
	kg__buf_free(&buf);
	tmp = rc == KG_OK ? kg__malloc((n ? n : 1) * sizeof *tmp) : NULL;
	if (!tmp || sort_names(names, tmp, n) != KG_OK) {
		kg__free(tmp);
		kg__free(names);
		return KG_ENOMEM;
	}
	kg__free(tmp);
	g->name_hash = kg__malloc((n ? n : 1) * sizeof *g->name_hash);
	g->name_entity = kg__malloc((n ? n : 1) * sizeof *g->name_entity);
	rc = g->name_hash && g->name_entity ? fill_names(g, names, n) : KG_ENOMEM;
	kg__free(names);
	if (rc != KG_OK)
		return rc;
	{
		size_t cap = n;
		kg__trim_array((void **)&g->name_hash, &cap, g->nnames, sizeof *g->name_hash);
		cap = n;
		kg__trim_array((void **)&g->name_entity, &cap, g->nnames, sizeof *g->name_entity);
	}
	return KG_OK;
}

/* ---- entities by id ----------------------------------------------- */

int kg__graph_build_ids(kg_graph *g)
{
	size_t ne = g->entities.n, want = kg__slots80(ne), i;
	uint32_t *slot;

	if (want > (size_t)UINT32_MAX + 1 || !(slot = kg__calloc(want, sizeof *slot)))
		return KG_ENOMEM;
	for (i = 0; i < ne; i++) {
		size_t len;
		const char *s = kg__graph_str_len(g, g->entities.v[i].id, &len);
		kg__slot_place(slot, want, kg__strtab_hash(s, len), (uint32_t)i + 1);
	}
	kg__free(g->id_slot);
	g->id_slot = slot;
	g->nid_slot = want;
	return KG_OK;
}

/* The entity of id_slot whose id's text is the len bytes at s. A
 * snapshot's slots were checked when it was
 * opened (each at most the number of entities, one empty), and its
 * entities' ids are strings that exist; their text is checked as it is
 * read. A probe stops after every slot. */
static uint32_t probe_ids(const kg_graph *g, const char *s, size_t len)
{
	size_t n = g->nid_slot, i, k;

	if (!n)
		return KG_NONE;
	i = kg__slot_home(kg__strtab_hash(s, len), n);
	for (k = 0; k < n; k++) {
		uint32_t v = g->id_slot[i];
		size_t m;
		const char *t;
		if (!v)
			return KG_NONE;
		t = kg__graph_str_len(g, g->entities.v[v - 1].id, &m);
		if (m == len && memcmp(t, s, len) == 0)
			return v - 1;
		if (++i == n)
			i = 0;
	}
	return KG_NONE;
}

uint32_t kg__graph_find_entity_len(const kg_graph *g, const char *id, size_t len)
{
	if (!g->id_slot)
		return kg__straux(&g->strings, kg__strtab_find(&g->strings, id, len)) - 1;
	return probe_ids(g, id, len);
}

/* ---- lookup by what people call things ----------------------------- */

/* The first of the names with this hash, or g->nnames: a binary search
 * of the sorted name_hash. */
static size_t first_name(const kg_graph *g, uint32_t hash)
{
	size_t lo = 0, hi = g->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->name_hash[mid] < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does one of entity e's id, name and aliases fold to the text q (len
 * bytes)? Into *yes; KG_OK, or KG_ENOMEM (folding them, into buf). */
static int bears_name(bool *yes, const kg_graph *g, uint32_t e, const char *q, size_t len, kg__buf *buf)
{
	const kg__entity *r = &g->entities.v[e];
	size_t i, n = 2 + r->aliases.count;

	*yes = false;
	for (i = 0; i < n && !*yes; i++) {
		uint32_t sid = i == 0 ? r->id : i == 1 ? r->name : g->u32.v[r->aliases.start + i - 2];
		const char *p;
		size_t m;
		if (i == 1 && !sid)
			continue;
		if (folded_name(&p, &m, g, sid, buf) != KG_OK)
			return KG_ENOMEM;
		*yes = m == len && memcmp(p, q, len) == 0;
	}
	return KG_OK;
}

int kg_graph_resolve(uint32_t *out, const uint32_t **candidates, size_t *ncandidates,
                     const kg_graph *g, const char *text)
{
	kg__buf q = {0}, buf = {0};
	uint32_t e = kg_graph_find_entity(g, text), hash;
	size_t i, start = SIZE_MAX, first = 0, end = 0;
	int rc = KG_OK;

	*out = KG_NONE;
	if (candidates)
		*candidates = NULL;
	if (ncandidates)
		*ncandidates = 0;
	if (e != KG_NONE) {
		*out = e;
		return KG_OK;
	}
	if (!text)
		return KG_ENOTFOUND;
	switch (kg__fold(&q, text, strlen(text))) {
	case 0:
		break;
	case KG__FOLD_NOMEM:
		kg__buf_free(&q);
		return KG_ENOMEM;
	default:
		/* Text that is not UTF-8 names nothing. */
		kg__buf_free(&q);
		return KG_ENOTFOUND;
	}
	/* The names with the query's hash, each confirmed by folding its
	 * entity's names: a collision must not answer. Each text's entities
	 * are together and ascending (build_names), but an entity that bears
	 * two colliding texts is confirmed in the other's group too. The
	 * answer is the longest window of confirmed entities that ascends:
	 * any other such window holds only entities that are in the answer
	 * (so it is shorter, or the same entities in the same order). */
	hash = kg__strtab_hash(q.p ? q.p : "", q.n);
	for (i = first_name(g, hash); i < g->nnames && g->name_hash[i] == hash; i++) {
		bool yes;
		if ((rc = bears_name(&yes, g, g->name_entity[i], q.p ? q.p : "", q.n, &buf)) != KG_OK)
			break;
		if (!yes)
			start = SIZE_MAX;
		else if (start == SIZE_MAX || g->name_entity[i] <= g->name_entity[i - 1])
			start = i;
		if (yes && i + 1 - start > end - first) {
			first = start;
			end = i + 1;
		}
	}
	/* None in the index: the one entity whose id is the folded query
	 * and needs no folding (left out of the index by fill_names). */
	if (rc == KG_OK && end == first && !needs_fold(q.p ? q.p : "", q.n))
		e = kg__graph_find_entity_len(g, q.p ? q.p : "", q.n);
	kg__buf_free(&q);
	kg__buf_free(&buf);
	if (rc != KG_OK)
		return rc;
	if (e != KG_NONE) {
		*out = e;
		return KG_OK;
	}
	if (end == first)
		return KG_ENOTFOUND;
	if (end - first == 1) {
		*out = g->name_entity[first];
		return KG_OK;
	}
	if (candidates)
		*candidates = g->name_entity + first;
	if (ncandidates)
		*ncandidates = end - first;
	return KG_EAMBIGUOUS;
}

/* Keep (d, e) as the best so far when text is closer to sid than best. */
static void closer(const kg_graph *g, const char *text, size_t len, uint32_t sid, uint32_t e,
                   unsigned *best, uint32_t *best_e)
{
	size_t slen;
	const char *s = kg__graph_str_len(g, sid, &slen);
	unsigned d = kg__edit_distance(text, len, s, slen, *best - 1);
	if (d < *best) {
		*best = d;
		*best_e = e;
	}
}

const char *kg_graph_suggest_entity(const kg_graph *g, const char *text)
{
	size_t len = text ? strlen(text) : 0, i, j;
	unsigned best = kg__suggest_distance(len) + 1;
	uint32_t best_e = KG_NONE;

	for (i = 0; text && i < g->entities.n; i++) {
		const kg__entity *e = &g->entities.v[i];
		closer(g, text, len, e->id, (uint32_t)i, &best, &best_e);
		if (e->name)
			closer(g, text, len, e->name, (uint32_t)i, &best, &best_e);
		for (j = 0; j < e->aliases.count; j++)
			closer(g, text, len, g->u32.v[e->aliases.start + j], (uint32_t)i, &best, &best_e);
	}
	return best_e == KG_NONE ? NULL : kg_entity_id(g, best_e);
}

/* The closest of n names (name(g, i)) to text, within a small distance. */
static const char *suggest_among(const kg_graph *g, const char *text, size_t n,
                                 const char *(*name)(const kg_graph *, uint32_t))
{
	size_t len = text ? strlen(text) : 0, i;
	unsigned best = kg__suggest_distance(len) + 1;
	const char *pick = NULL;

	for (i = 0; text && i < n; i++) {
		const char *s = name(g, (uint32_t)i);
		unsigned d = kg__edit_distance(text, len, s, strlen(s), best - 1);
		if (d < best) {
			best = d;
			pick = s;
		}
	}
	return pick;
}

const char *kg_graph_suggest_type(const kg_graph *g, const char *text)
{
	return suggest_among(g, text, g->types.n, kg_type_name);
}

const char *kg_graph_suggest_relation_type(const kg_graph *g, const char *text)
{
	return suggest_among(g, text, g->rtypes.n, kg_relation_type_name);
}
