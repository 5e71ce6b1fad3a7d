/*
 * graph.c - the graph's records, lookups and adjacency.
 *
 * The loader fills the record arrays (graph_internal.h); this file builds
 * the indexes once everything is resolved and answers every read-only
 * question through the small core interface in kgraph/graph.h. It knows
 * nothing of YAML. The name index and the lookups by name are in
 * names.c.
 *
 * Invariant after kg__graph_index: every relation's from/to is a valid
 * entity index, out_off/in_off have entity_count + 1 entries, and
 * name_hash[] is sorted, the entities of one folded text together within
 * a hash and (text, entity) pairs unique.
 */
#include "core/graph_internal.h"
#include "kgraph/common.h"
#include "util/path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const builtin_types[] = {
	"person", "country", "organization", "weapon", "decision", "event", "place",
};

/* ---- id maps ------------------------------------------------------- */

uint32_t kg__type_key(const kg_graph *g, uint32_t i) { return g->types.v[i].name; }
uint32_t kg__rtype_key(const kg_graph *g, uint32_t i) { return g->rtypes.v[i].name; }
uint32_t kg__source_key(const kg_graph *g, uint32_t i) { return g->sources.v[i].id; }

/* String ids are dense and well spread already; a multiplicative hash
 * scatters runs of consecutive ids. */
static size_t sid_slot(uint32_t sid, size_t nslot)
{
	return (size_t)((sid * 0x9E3779B1u) >> 7) & (nslot - 1);
}

uint32_t kg__idmap_get(const kg_graph *g, const kg__idmap *m, kg__key_fn key_of, uint32_t sid)
{
	size_t i;

	if (!m->nslot || !sid)
		return KG_NONE;
	for (i = sid_slot(sid, m->nslot);; i = (i + 1) & (m->nslot - 1)) {
		uint32_t r = m->slot[i];
		if (!r)
			return KG_NONE;
		if (key_of(g, r - 1) == sid)
			return r - 1;
	}
}

int kg__idmap_put(const kg_graph *g, kg__idmap *m, kg__key_fn key_of, uint32_t sid, uint32_t record)
{
	size_t i;

	if ((m->n + 1) * 2 > m->nslot) {
		size_t nslot = m->nslot ? m->nslot * 2 : 64, j;
		uint32_t *slot = kg__calloc(nslot, sizeof *slot);
		if (!slot)
			return KG_ENOMEM;
		for (j = 0; j < m->nslot; j++) {
			uint32_t r = m->slot[j];
			size_t k;
			if (!r)
				continue;
			for (k = sid_slot(key_of(g, r - 1), nslot); slot[k]; k = (k + 1) & (nslot - 1))
				;
			slot[k] = r;
		}
		kg__free(m->slot);
		m->slot = slot;
		m->nslot = nslot;
	}
	for (i = sid_slot(sid, m->nslot); m->slot[i]; i = (i + 1) & (m->nslot - 1))
		;
	m->slot[i] = record + 1;
	m->n++;
	return KG_OK;
}

/* ---- relations ----------------------------------------------------- */

static uint16_t loc_code(kg__loc base, kg__loc loc)
{
	if (loc.file != base.file || loc.line < base.line || loc.line - base.line > KG__LOC_MAX_LINES ||
	    loc.col > 63)
		return KG__LOC_FAR;
	return (uint16_t)((loc.line - base.line) << 6 | loc.col);
}

/* Make room in l for record i (the next one). */
static int locs_reserve(kg__locs *l, size_t i)
{
	if (KG_VEC_RESERVE(l->code, i + 1) || KG_VEC_RESERVE(l->base, i / KG__LOC_BLOCK + 1) ||
	    KG_VEC_RESERVE(l->far, l->far.n + 1))
		return KG_ENOMEM;
	return KG_OK;
}

/* Add record i's location; locs_reserve made room. */
static void locs_add(kg__locs *l, size_t i, kg__loc loc)
{
	uint16_t code;

	if (i % KG__LOC_BLOCK == 0)
		l->base.v[l->base.n++] = loc;
	code = loc_code(l->base.v[i / KG__LOC_BLOCK], loc);
	if (code == KG__LOC_FAR) {
		l->far.v[l->far.n].record = (uint32_t)i;
		l->far.v[l->far.n++].loc = loc;
	}
	l->code.v[l->code.n++] = code;
}

/* Record i's location. A far code with no far location of its own (only
 * in a damaged snapshot, read lazily) gives its block's and false. */
static bool locs_get(const kg__locs *l, uint32_t i, kg__loc *out)
{
	kg__loc loc = l->base.v[i / KG__LOC_BLOCK];
	uint16_t code = l->code.v[i];
	size_t lo = 0, hi = l->far.n;

	*out = loc;
	if (code != KG__LOC_FAR) {
		out->line += code >> 6;
		out->col = code & 63;
		return true;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->far.v[mid].record < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == l->far.n || l->far.v[lo].record != i)
		return false;
	*out = l->far.v[lo].loc;
	return true;
}

static void locs_free(kg__locs *l)
{
	KG_VEC_FREE(l->base);
	KG_VEC_FREE(l->code);
	KG_VEC_FREE(l->far);
}

static size_t locs_memory(const kg__locs *l)
{
	return l->base.cap * sizeof *l->base.v + l->code.cap * sizeof *l->code.v + l->far.cap * sizeof *l->far.v;
}

int kg__graph_add_entity(kg_graph *g, const kg__entity *e, kg__loc loc)
{
	size_t i = g->entities.n;

	if (KG_VEC_RESERVE(g->entities, i + 1) || locs_reserve(&g->entity_locs, i))
		return KG_ENOMEM;
	locs_add(&g->entity_locs, i, loc);
	g->entities.v[g->entities.n++] = *e;
	return KG_OK;
}

kg__loc kg__entity_loc(const kg_graph *g, uint32_t e)
{
	kg__loc loc;

	/* Checked whole when a snapshot is opened: always found. */
	locs_get(&g->entity_locs, e, &loc);
	return loc;
}

int kg__graph_add_relation(kg_graph *g, const kg__relation *r, kg__loc loc, const kg__relation_ext *x)
{
	size_t i = g->relations.n, w = i / 64;

	if (KG_VEC_RESERVE(g->relations, i + 1) || locs_reserve(&g->relation_locs, i) ||
	    KG_VEC_RESERVE(g->ext_bits, w + 1) || KG_VEC_RESERVE(g->ext_rank, w + 1) ||
	    (x && KG_VEC_RESERVE(g->ext, g->ext.n + 1)))
		return KG_ENOMEM;
	locs_add(&g->relation_locs, i, loc);
	if (i % 64 == 0) {
		g->ext_bits.v[g->ext_bits.n++] = 0;
		g->ext_rank.v[g->ext_rank.n++] = (uint32_t)g->ext.n;
	}
	if (x) {
		g->ext_bits.v[w] |= UINT64_C(1) << (i % 64);
		g->ext.v[g->ext.n++] = *x;
	}
	g->relations.v[g->relations.n++] = *r;
	return KG_OK;
}

kg__loc kg__relation_loc(const kg_graph *g, uint32_t r)
{
	kg__loc loc;
	const kg__lazy *z = g->lazy;

	if (z && z->ready(z->rloc_fill, (uint64_t)r * sizeof(uint16_t), ((uint64_t)r + 1) * sizeof(uint16_t))) {
		kg__graph_damage(g, "relation %u's location is in a damaged block", r);
		return g->relation_locs.base.v[r / KG__LOC_BLOCK];
	}
	if (!locs_get(&g->relation_locs, r, &loc))
		kg__graph_damage(g, "relation %u's location code names no far location", r);
	return loc;
}

void kg__idmap_free(kg__idmap *m)
{
	kg__free(m->slot);
	memset(m, 0, sizeof *m);
}

/* ---- life cycle ---------------------------------------------------- */

kg_graph *kg__graph_new(void)
{
	kg_graph *g = kg__calloc(1, sizeof *g);
	size_t i;

	if (!g)
		return NULL;
	if (kg__strtab_init(&g->strings)) {
		kg__free(g);
		return NULL;
	}
	for (i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++) {
		kg__type t;
		memset(&t, 0, sizeof t);
		t.name = kg__strtab_intern(&g->strings, builtin_types[i], strlen(builtin_types[i]));
		t.builtin = 1;
		if (!t.name || KG_VEC_PUSH(g->types, t) ||
		    kg__idmap_put(g, &g->type_ids, kg__type_key, t.name, (uint32_t)i)) {
			kg_graph_free(g);
			return NULL;
		}
	}
	return g;
}

void kg_graph_free(kg_graph *g)
{
	if (!g)
		return;
	if (g->release) {
		g->release(g);
		return;
	}
	KG_VEC_FREE(g->files);
	KG_VEC_FREE(g->folders);
	KG_VEC_FREE(g->file_ids);
	KG_VEC_FREE(g->entities);
	KG_VEC_FREE(g->relations);
	KG_VEC_FREE(g->ext);
	KG_VEC_FREE(g->ext_bits);
	KG_VEC_FREE(g->ext_rank);
	locs_free(&g->entity_locs);
	locs_free(&g->relation_locs);
	KG_VEC_FREE(g->types);
	KG_VEC_FREE(g->rtypes);
	KG_VEC_FREE(g->sources);
	KG_VEC_FREE(g->attrs);
	KG_VEC_FREE(g->u32);
	kg__idmap_free(&g->type_ids);
	kg__idmap_free(&g->rtype_ids);
	kg__idmap_free(&g->source_ids);
	kg__free(g->out_off);
	kg__free(g->out_rel);
	kg__free(g->in_off);
	kg__free(g->in_rel);
	kg__free(g->name_hash);
	kg__free(g->name_entity);
	kg__free(g->id_slot);
	kg__strtab_free(&g->strings);
	kg__arena_free(&g->arena);
	kg__free(g);
}

kg_location kg__graph_location(const kg_graph *g, kg__loc loc)
{
	kg_location l;

	l.file = loc.file < g->files.n ? g->files.v[loc.file] : NULL;
	l.line = loc.line;
	l.column = loc.col;
	return l;
}

/* ---- indexes ------------------------------------------------------- */

/* Counting sort of relations by one endpoint: off[e]..off[e+1] in rel[]
 * are e's relations in file order, and end[] the entity at the other end
 * of each. O(entities + relations). */
static int build_csr(const kg_graph *g, int by_to, uint32_t **off_out, uint32_t **rel_out)
{
	size_t ne = g->entities.n, nr = g->relations.n, i;
	uint32_t *off = kg__calloc(ne + 2, sizeof *off);
	uint32_t *rel = kg__malloc((nr ? nr : 1) * sizeof *rel);

	if (!off || !rel) {
		kg__free(off);
		kg__free(rel);
		return KG_ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		const kg__relation *r = &g->relations.v[i];
		off[(by_to ? r->to : r->from) + 2]++;
	}
	for (i = 2; i < ne + 2; i++)
		off[i] += off[i - 1];
	for (i = 0; i < nr; i++) {
		const kg__relation *r = &g->relations.v[i];
		uint32_t at = off[(by_to ? r->to : r->from) + 1]++;
		rel[at] = (uint32_t)i;
	}
	*off_out = off;
	*rel_out = rel;
	return KG_OK;
}

/* Up to half of an array grown by doubling is unused once it is complete;
 * a failed realloc is only a waste. */
void kg__trim_array(void **v, size_t *cap, size_t n, size_t elem)
{
	void *p;

	if (n == 0 || n >= *cap)
		return;
	p = kg__realloc(*v, n * elem);
	if (p) {
		*v = p;
		*cap = n;
	}
}

#define TRIM(vec) kg__trim_array((void **)&(vec).v, &(vec).cap, (vec).n, sizeof *(vec).v)

int kg__graph_keys(const kg_graph *g, uint32_t **keys, size_t *nkeys)
{
	size_t n = g->types.n + g->rtypes.n + g->sources.n, i, k = 0;
	uint32_t *v = kg__malloc((n ? n : 1) * sizeof *v);

	*keys = v;
	*nkeys = n;
	if (!v)
		return KG_ENOMEM;
	for (i = 0; i < g->types.n; i++)
		v[k++] = g->types.v[i].name;
	for (i = 0; i < g->rtypes.n; i++)
		v[k++] = g->rtypes.v[i].name;
	for (i = 0; i < g->sources.n; i++)
		v[k++] = g->sources.v[i].id;
	return KG_OK;
}

/* Trim the string table to slots for the graph's keys. */
static int trim_strings(kg_graph *g)
{
	uint32_t *keys;
	size_t n;

	if (kg__graph_keys(g, &keys, &n))
		return KG_ENOMEM;
	kg__strtab_trim(&g->strings, keys, n);
	kg__free(keys);
	return KG_OK;
}

int kg__graph_index(kg_graph *g)
{
	/* Before the adjacency is allocated, so that the peak holds less. */
	TRIM(g->relations);
	TRIM(g->entities);
	TRIM(g->ext);
	TRIM(g->ext_bits);
	TRIM(g->ext_rank);
	TRIM(g->entity_locs.base);
	TRIM(g->entity_locs.code);
	TRIM(g->entity_locs.far);
	TRIM(g->relation_locs.base);
	TRIM(g->relation_locs.code);
	TRIM(g->relation_locs.far);
	TRIM(g->attrs);
	TRIM(g->u32);
	/* No string is added after the load (the name index keeps hashes,
	 * not folded text), so the table is trimmed before the names' and
	 * the adjacency's arrays are allocated; entities are found by id
	 * through their own slots from then on. */
	if (trim_strings(g) || kg__graph_build_ids(g) || kg__graph_build_names(g))
		return KG_ENOMEM;
	kg__strtab_drop_aux(&g->strings);
	if (build_csr(g, 0, &g->out_off, &g->out_rel) ||
	    build_csr(g, 1, &g->in_off, &g->in_rel))
		return KG_ENOMEM;
	return KG_OK;
}

/* ---- dates --------------------------------------------------------- */

static int digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int kg_date_parse(kg_date *out, const char *text, size_t len)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m = 0, d = 0;

	*out = 0;
	if (!text || (len != 4 && len != 7 && len != 10))
		return KG_EINVALID;
	if (digits(text, 4, &y) || y < 1)
		return KG_EINVALID;
	if (len >= 7 && (text[4] != '-' || digits(text + 5, 2, &m) || m < 1 || m > 12))
		return KG_EINVALID;
	if (len == 10) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (text[7] != '-' || digits(text + 8, 2, &d) || d < 1 || d > mdays[m - 1] ||
		    (m == 2 && d == 29 && !leap))
			return KG_EINVALID;
	}
	*out = ((kg_date)y << 9) | ((kg_date)m << 5) | (kg_date)d;
	return KG_OK;
}

kg_date kg_date_first_day(kg_date date)
{
	if (!date)
		return 0;
	if (!KG_DATE_MONTH(date))
		date |= 1u << 5;
	if (!KG_DATE_DAY(date))
		date |= 1u;
	return date;
}

char *kg_date_format(char buf[11], kg_date date)
{
	if (!date)
		buf[0] = '\0';
	else if (!KG_DATE_MONTH(date))
		snprintf(buf, 11, "%04d", KG_DATE_YEAR(date) % 10000);
	else if (!KG_DATE_DAY(date))
		snprintf(buf, 11, "%04d-%02d", KG_DATE_YEAR(date) % 10000, KG_DATE_MONTH(date));
	else
		snprintf(buf, 11, "%04d-%02d-%02d", KG_DATE_YEAR(date) % 10000,
		         KG_DATE_MONTH(date), KG_DATE_DAY(date));
	return buf;
}

/* ---- lazily checked snapshots -------------------------------------- */

void kg__graph_damage(const kg_graph *g, const char *fmt, ...)
{
	kg__lazy *z = g->lazy;
	int expect = 0;
	va_list ap;

	if (!z || !__atomic_compare_exchange_n(&z->state, &expect, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	va_start(ap, fmt);
	vsnprintf(z->why, sizeof z->why, fmt, ap);
	va_end(ap);
	__atomic_store_n(&z->state, 2, __ATOMIC_RELEASE);
	if (z->on_damage)
		z->on_damage(z->data, z->why);
}

const char *kg_graph_damage(const kg_graph *g)
{
	return g && g->lazy && __atomic_load_n(&g->lazy->state, __ATOMIC_ACQUIRE) == 2 ? g->lazy->why : NULL;
}

int kg__graph_trust(const kg_graph *g)
{
	kg__lazy *z = g->lazy;
	kg__buf why = {0};
	int rc;

	if (!z || __atomic_load_n(&z->checked_all, __ATOMIC_ACQUIRE))
		return kg_graph_damage(g) ? KG_EINVALID : KG_OK;
	rc = z->check_all((kg_graph *)g, &why);
	if (rc == 1) {
		kg__graph_damage(g, "%s", why.p ? why.p : "");
		rc = KG_EINVALID;
	}
	kg__buf_free(&why);
	if (rc == KG_OK)
		__atomic_store_n(&z->checked_all, 1, __ATOMIC_RELEASE);
	return rc;
}

const char *kg__graph_str(const kg_graph *g, uint32_t id)
{
	const char *s;

	if (!g->lazy || !id)
		return kg__str(&g->strings, id);
	if ((s = kg__strtab_checked(&g->strings, id, NULL)) != NULL)
		return s;
	kg__graph_damage(g, "string %u cannot be read: it lies outside the text, is not terminated or is in a "
	                 "damaged block", id);
	return "";
}

const char *kg__graph_str_len(const kg_graph *g, uint32_t id, size_t *len)
{
	uint32_t n;
	const char *s;

	if (!g->lazy || !id) {
		*len = kg__strlen(&g->strings, id);
		return kg__str(&g->strings, id);
	}
	if ((s = kg__strtab_checked(&g->strings, id, &n)) != NULL) {
		*len = n;
		return s;
	}
	*len = 0;
	return kg__graph_str(g, id);
}

/* The string id of len bytes at s, or 0: in a lazily checked graph every
 * slot and string the probe meets is checked. */
static uint32_t lookup(const kg_graph *g, const char *s, size_t len)
{
	int bad = 0;
	uint32_t sid;

	if (!g->lazy)
		return kg__strtab_find(&g->strings, s, len);
	sid = kg__strtab_find_checked(&g->strings, s, len, &bad);
	if (bad)
		kg__graph_damage(g, "a lookup met a string that cannot be read: a slot names a string that does not "
		                 "exist, or the string lies outside the text, is not terminated or is in a damaged "
		                 "block");
	return sid;
}

/* Whether relation r is in the sorted slice rel[lo..hi). */
static bool listed_in(const uint32_t *rel, uint32_t lo, uint32_t end, uint32_t r)
{
	uint32_t hi = end;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (rel[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < end && rel[lo] == r;
}

/* Whether direction d (0 out, 1 in) of entity e lists exactly relations
 * of e, each once, in increasing order, each naming existing entities
 * and a relation type, and each also listed under its other end in the
 * other direction: the adjacency check of a whole snapshot (validate.c),
 * made for one list when it is first read. The last part keeps what the
 * searches rely on, that a relation met from one end is met from the
 * other (a bidirectional search read a null pointer without it, found by
 * fuzz_snapshot); it costs a binary search in the other end's list. */
static bool list_sound(const kg_graph *g, int d, uint32_t e)
{
	const uint32_t *off = d ? g->in_off : g->out_off, *rel = d ? g->in_rel : g->out_rel;
	const uint32_t *off2 = d ? g->out_off : g->in_off, *rel2 = d ? g->out_rel : g->in_rel;
	uint64_t ne = g->entities.n, nr = g->relations.n, nrt = g->rtypes.n;
	uint32_t i;

	for (i = off[e]; i < off[e + 1]; i++) {
		uint32_t r = rel[i], other;
		const kg__relation *x;
		if (r >= nr || (i > off[e] && r <= rel[i - 1]))
			return false;
		x = &g->relations.v[r];
		if ((d ? x->to : x->from) != e || x->from >= ne || x->to >= ne || x->type >= nrt)
			return false;
		other = d ? x->from : x->to;
		if (!listed_in(rel2, off2[other], off2[other + 1], r))
			return false;
	}
	return true;
}

/* ---- accessors ----------------------------------------------------- */

#define STR(id) kg__graph_str(g, (id))

static kg_attr attr_at(const kg_graph *g, kg__range r, size_t i)
{
	const kg__attr *a = &g->attrs.v[r.start + i];
	kg_attr out;

	out.in_list = (a->key & KG__ATTR_LIST) != 0;
	if (g->lazy && (!(a->key & ~KG__ATTR_LIST) || !a->value)) {
		kg__graph_damage(g, "attribute %zu has no key or no value", (size_t)r.start + i);
		out.key = out.value = "";
		return out;
	}
	out.key = STR(a->key & ~KG__ATTR_LIST);
	out.value = STR(a->value);
	return out;
}

static uint32_t find_by_name(const kg_graph *g, const kg__idmap *m, kg__key_fn key, const char *name)
{
	if (!name)
		return KG_NONE;
	return kg__idmap_get(g, m, key, lookup(g, name, strlen(name)));
}

const char *kg_graph_title(const kg_graph *g) { return STR(g->title); }
const char *kg_graph_description(const kg_graph *g) { return STR(g->description); }
size_t kg_graph_file_count(const kg_graph *g) { return g->files.n; }
const char *kg_graph_file(const kg_graph *g, size_t i) { return i < g->files.n ? g->files.v[i] : NULL; }

bool kg_graph_file_id(const kg_graph *g, size_t i, uint64_t *dev, uint64_t *ino)
{
	if (!g || i >= g->file_ids.n || !g->file_ids.v[i].valid)
		return false;
	if (dev)
		*dev = g->file_ids.v[i].dev;
	if (ino)
		*ino = g->file_ids.v[i].ino;
	return true;
}

size_t kg_graph_type_count(const kg_graph *g) { return g->types.n; }
const char *kg_type_name(const kg_graph *g, uint32_t t) { return STR(g->types.v[t].name); }
const char *kg_type_label(const kg_graph *g, uint32_t t)
{
	return STR(g->types.v[t].label ? g->types.v[t].label : g->types.v[t].name);
}
bool kg_type_is_builtin(const kg_graph *g, uint32_t t) { return g->types.v[t].builtin; }
size_t kg_type_attr_count(const kg_graph *g, uint32_t t) { return g->types.v[t].attrs.count; }
kg_attr kg_type_attr(const kg_graph *g, uint32_t t, size_t i) { return attr_at(g, g->types.v[t].attrs, i); }
uint32_t kg_graph_find_type(const kg_graph *g, const char *name)
{
	return find_by_name(g, &g->type_ids, kg__type_key, name);
}
kg_location kg_type_location(const kg_graph *g, uint32_t t)
{
	kg_location none = {NULL, 0, 0};
	return g->types.v[t].declared ? kg__graph_location(g, g->types.v[t].loc) : none;
}

size_t kg_graph_relation_type_count(const kg_graph *g) { return g->rtypes.n; }
const char *kg_relation_type_name(const kg_graph *g, uint32_t t) { return STR(g->rtypes.v[t].name); }
const char *kg_relation_type_label(const kg_graph *g, uint32_t t)
{
	return STR(g->rtypes.v[t].label ? g->rtypes.v[t].label : g->rtypes.v[t].name);
}
bool kg_relation_type_is_symmetric(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].symmetric; }
bool kg_relation_type_is_declared(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].declared; }
size_t kg_relation_type_from_count(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].from.count; }
uint32_t kg_relation_type_from(const kg_graph *g, uint32_t t, size_t i)
{
	return g->u32.v[g->rtypes.v[t].from.start + i];
}
size_t kg_relation_type_to_count(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].to.count; }
uint32_t kg_relation_type_to(const kg_graph *g, uint32_t t, size_t i)
{
	return g->u32.v[g->rtypes.v[t].to.start + i];
}
size_t kg_relation_type_attr_count(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].attrs.count; }
kg_attr kg_relation_type_attr(const kg_graph *g, uint32_t t, size_t i)
{
	return attr_at(g, g->rtypes.v[t].attrs, i);
}
size_t kg_relation_type_use_count(const kg_graph *g, uint32_t t) { return g->rtypes.v[t].uses; }
uint32_t kg_graph_find_relation_type(const kg_graph *g, const char *name)
{
	return find_by_name(g, &g->rtype_ids, kg__rtype_key, name);
}
kg_location kg_relation_type_location(const kg_graph *g, uint32_t t)
{
	return kg__graph_location(g, g->rtypes.v[t].loc);
}

size_t kg_graph_source_count(const kg_graph *g) { return g->sources.n; }
const char *kg_source_id(const kg_graph *g, uint32_t s) { return STR(g->sources.v[s].id); }
const char *kg_source_title(const kg_graph *g, uint32_t s) { return STR(g->sources.v[s].title); }
const char *kg_source_publisher(const kg_graph *g, uint32_t s) { return STR(g->sources.v[s].publisher); }
const char *kg_source_url(const kg_graph *g, uint32_t s) { return STR(g->sources.v[s].url); }
const char *kg_source_file(const kg_graph *g, uint32_t s) { return STR(g->sources.v[s].file); }
kg_date kg_source_date(const kg_graph *g, uint32_t s) { return g->sources.v[s].date; }
size_t kg_source_attr_count(const kg_graph *g, uint32_t s) { return g->sources.v[s].attrs.count; }
kg_attr kg_source_attr(const kg_graph *g, uint32_t s, size_t i) { return attr_at(g, g->sources.v[s].attrs, i); }
kg_location kg_source_location(const kg_graph *g, uint32_t s) { return kg__graph_location(g, g->sources.v[s].loc); }
size_t kg_source_cite_count(const kg_graph *g, uint32_t s) { return g->sources.v[s].cites; }
uint32_t kg_graph_find_source(const kg_graph *g, const char *id)
{
	return find_by_name(g, &g->source_ids, kg__source_key, id);
}

size_t kg_graph_entity_count(const kg_graph *g) { return g->entities.n; }
const char *kg_entity_id(const kg_graph *g, uint32_t e) { return STR(g->entities.v[e].id); }
const char *kg_entity_name(const kg_graph *g, uint32_t e)
{
	const kg__entity *x = &g->entities.v[e];
	return STR(x->name ? x->name : x->id);
}
uint32_t kg_entity_type(const kg_graph *g, uint32_t e) { return g->entities.v[e].type; }
size_t kg_entity_alias_count(const kg_graph *g, uint32_t e) { return g->entities.v[e].aliases.count; }
const char *kg_entity_alias(const kg_graph *g, uint32_t e, size_t i)
{
	return STR(g->u32.v[g->entities.v[e].aliases.start + i]);
}
size_t kg_entity_attr_count(const kg_graph *g, uint32_t e) { return g->entities.v[e].attrs.count; }
kg_attr kg_entity_attr(const kg_graph *g, uint32_t e, size_t i) { return attr_at(g, g->entities.v[e].attrs, i); }
kg_location kg_entity_location(const kg_graph *g, uint32_t e) { return kg__graph_location(g, kg__entity_loc(g, e)); }
uint32_t kg_graph_find_entity(const kg_graph *g, const char *id)
{
	return id ? kg__graph_find_entity_len(g, id, strlen(id)) : KG_NONE;
}

size_t kg_graph_relation_count(const kg_graph *g) { return g->relations.n; }

uint32_t kg_relation_ordinal(const kg_graph *g, uint32_t rel) { return g->rel_ordinals ? g->rel_ordinals[rel] : rel; }

/* A relation's end or type, checked against its count: a lazily checked
 * snapshot may lie (a snapshot that is opened has at least one entity
 * and relation type when it has a relation, so 0 is harmless). */
static uint32_t below(const kg_graph *g, uint32_t v, size_t n, uint32_t r, const char *what)
{
	if (v < n)
		return v;
	kg__graph_damage(g, "relation %u names %s %u of %zu", r, what, v, n);
	return 0;
}

uint32_t kg_relation_from(const kg_graph *g, uint32_t r)
{
	return below(g, g->relations.v[r].from, g->entities.n, r, "entity");
}
uint32_t kg_relation_to(const kg_graph *g, uint32_t r)
{
	return below(g, g->relations.v[r].to, g->entities.n, r, "entity");
}
uint32_t kg_relation_type(const kg_graph *g, uint32_t r)
{
	return below(g, g->relations.v[r].type, g->rtypes.n, r, "relation type");
}

static const kg__relation_ext *ext_of(const kg_graph *g, uint32_t r)
{
	const kg__relation_ext *x = kg__relation_ext_of(g, r);
	uint64_t at;

	if (!x || !g->lazy)
		return x;
	at = (uint64_t)(x - g->ext.v) * sizeof *x;
	if (g->lazy->ready(g->lazy->ext_fill, at, at + sizeof *x)) {
		kg__graph_damage(g, "relation %u's side record is in a damaged block", r);
		return NULL;
	}
	if (!kg__ext_sound(g, x)) {
		kg__graph_damage(g, "relation %u's side record names a source, string or attribute that does not exist, "
		                 "or has a weight out of bounds", r);
		return NULL;
	}
	return x;
}

kg_date kg_relation_date(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? x->date : 0; }
kg_date kg_relation_since(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? x->since : 0; }
kg_date kg_relation_until(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? x->until : 0; }
uint32_t kg_relation_source(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? x->source : KG_NONE; }
const char *kg_relation_quote(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? STR(x->quote) : NULL; }
bool kg_relation_weight(const kg_graph *g, uint32_t r, double *out)
{
	const kg__relation_ext *x = ext_of(g, r);
	if (!x || !(x->flags & KG__EXT_WEIGHT))
		return false;
	*out = x->weight;
	return true;
}
size_t kg_relation_attr_count(const kg_graph *g, uint32_t r) { const kg__relation_ext *x = ext_of(g, r); return x ? x->attrs.count : 0; }
kg_attr kg_relation_attr(const kg_graph *g, uint32_t r, size_t i)
{
	const kg__relation_ext *x = ext_of(g, r);
	kg_attr none = {"", "", false};

	return x && i < x->attrs.count ? attr_at(g, x->attrs, i) : none;
}
kg_location kg_relation_location(const kg_graph *g, uint32_t r) { return kg__graph_location(g, kg__relation_loc(g, r)); }

/* Entity e's relations in direction d (0 out, 1 in); in a lazily checked
 * graph a list is checked whole the first time it is read, and a damaged
 * one reads as empty. */
static const uint32_t *adjacency(const kg_graph *g, int d, uint32_t e, size_t *count)
{
	const uint32_t *off = d ? g->in_off : g->out_off, *rel = d ? g->in_rel : g->out_rel;
	uint8_t bit = (uint8_t)(1u << d);

	*count = off[e + 1] - off[e];
	if (g->lazy && !(__atomic_load_n(&g->lazy->listed[e], __ATOMIC_RELAXED) & bit)) {
		if (!list_sound(g, d, e)) {
			kg__graph_damage(g, "the %s adjacency of entity %u does not list exactly its relations, once each, "
			                 "in order, each also under its other end", d ? "incoming" : "outgoing", e);
			*count = 0;
		} else {
			__atomic_fetch_or(&g->lazy->listed[e], bit, __ATOMIC_RELAXED);
		}
	}
	return rel + off[e];
}

const uint32_t *kg_graph_out(const kg_graph *g, uint32_t e, size_t *count)
{
	return adjacency(g, 0, e, count);
}

const uint32_t *kg_graph_in(const kg_graph *g, uint32_t e, size_t *count)
{
	return adjacency(g, 1, e, count);
}

size_t kg_graph_memory(const kg_graph *g)
{
	size_t n = g->arena.total;

	n += g->strings.bytes + kg__strtab_overhead(&g->strings);
	n += g->entities.cap * sizeof(kg__entity) + g->relations.cap * sizeof(kg__relation);
	n += g->ext.cap * sizeof(kg__relation_ext) + g->attrs.cap * sizeof(kg__attr);
	n += g->ext_bits.cap * sizeof(uint64_t) + g->ext_rank.cap * sizeof(uint32_t);
	n += locs_memory(&g->entity_locs) + locs_memory(&g->relation_locs);
	n += g->u32.cap * sizeof(uint32_t);
	n += 2 * ((g->entities.n + 2) + g->relations.n) * sizeof(uint32_t);
	n += g->nnames * 2 * sizeof(uint32_t) + g->nid_slot * sizeof(uint32_t);
	return n;
}

int kg__graph_confined(char **real, const kg_graph *g, uint32_t own, const char *path)
{
	size_t n = g->nshared_folders;
	const char **set = kg__malloc((n + 1) * sizeof *set);
	int rc;

	*real = NULL;
	if (!set) {
		errno = ENOMEM;
		return -1;
	}
	if (n)
		memcpy(set, g->folders.v, n * sizeof *set);
	set[n] = own < g->folders.n ? g->folders.v[own] : NULL;
	rc = kg__path_confined(real, path, set, n + 1);
	kg__free(set);
	return rc;
}

int kg__graph_source_confined(char **real, const kg_graph *g, uint32_t s)
{
	return kg__graph_confined(real, g, g->sources.v[s].folder, STR(g->sources.v[s].file));
}
