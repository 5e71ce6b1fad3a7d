/*
 * validate.c - every index, count and offset of a mapped snapshot checked
 * before anything reads the graph.
 *
 * A snapshot may come from anyone, and its checksums prove nothing
 * against a hostile writer, so the graph's code cannot trust it as it
 * trusts what the loader built. These checks establish the invariants
 * that code relies on (graph.c, the queries, the printers): every string
 * id below the number of strings and its text NUL-terminated inside its
 * section; every entity, relation, type and source index below its count;
 * every range inside its array; adjacency offsets starting at 0, never
 * decreasing and ending at the number of relations; the side-record bits
 * and ranks consistent; each far location where the location codes say;
 * at least one empty slot in the string hash table, so a probe ends.
 * They do not check what only makes answers wrong (a name index out of
 * order): a damaged snapshot can answer wrongly, never read out of
 * bounds or loop forever.
 *
 * Two depths (issue 17: `kgraph path` on a 10M-relation snapshot must
 * take at most 50 ms, so opening may cost O(entities), not O(relations)):
 * - When opened, what is sized by the entities and the declarations:
 *   entities, aliases, types, relation types, sources, the name index,
 *   the adjacency offsets, the side-record bits and ranks (a word per 64
 *   relations), the entity locations, and the counts that must agree.
 * - The rest (strings, attributes, relations, side records, relation
 *   locations, adjacency lists) either at once too (check_all: `kgraph
 *   check`, --verify), or as it is read: graph.c checks each record,
 *   string and list before using it (kg__lazy in core/graph_internal.h),
 *   and the whole of it when code that reads the arrays directly asks
 *   (kg__graph_trust).
 * Cost of the whole: one sequential pass over each array: O(entities +
 * relations + strings + attributes + aliases), with no hashing and no
 * text read but the byte after each string.
 */
#include "snapshot/validate.h"
#include "kgraph/limits.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#define FAIL(...) return (kg__buf_printf(why, __VA_ARGS__) ? KG_ENOMEM : 1)

typedef struct counts {
	uint64_t ns, ne, nr, nt, nrt, nsrc, nattr, nu32, nfiles;
} counts;

/* The strings one after the other from offset 0 to the end of the text
 * section, in id order, each at least a NUL long and ending in its NUL
 * (so its length, how far the next one starts, stays inside the
 * section), id 0 the empty string. */
static int check_strings(const counts *c, const char *text, size_t ntext, const uint32_t *off,
                         kg__buf *why)
{
	size_t i;

	if (off[0] != 0)
		FAIL("string 0 is not at offset 0");
	for (i = 0; i < c->ns; i++) {
		uint64_t at = off[i], end = i + 1 < c->ns ? off[i + 1] : ntext;
		if (end > ntext || end < at + 1 || (i == 0 && end != 1))
			FAIL("string %zu is at offset %llu, out of order or outside its section", i,
			     (unsigned long long)at);
		if (text[end - 1] != '\0')
			FAIL("string %zu is not terminated", i);
	}
	return 0;
}

/* Every slot of the string table and of the entity ids below its count
 * (a string, an entity + 1), each table with an empty slot, so that a
 * probe ends. */
static int check_slots(const kg_graph *g, const counts *c, kg__buf *why)
{
	size_t i, empty = 0;
	uint32_t bad = 0;

	for (i = 0; i < g->strings.nslot; i++) {
		bad |= (uint32_t)(g->strings.slot4[i] >= c->ns);
		empty += !g->strings.slot4[i];
	}
	if (bad || !empty)
		FAIL("the string slots name a string that does not exist, or have no empty slot");
	for (i = empty = 0; i < g->nid_slot; i++) {
		bad |= (uint32_t)(g->id_slot[i] > c->ne);
		empty += !g->id_slot[i];
	}
	if (bad || !empty)
		FAIL("the entity id slots name an entity that does not exist, or have no empty slot");
	return 0;
}

int kg__snap_check_found(const kg_graph *g, kg__buf *why)
{
	size_t i;

	for (i = 0; i < g->entities.n; i++) {
		size_t len;
		const char *s = kg__graph_str_len(g, g->entities.v[i].id, &len);
		if (kg__graph_find_entity_len(g, s, len) != i)
			FAIL("entity %zu is not found by its id '%s'", i, s);
	}
	for (i = 0; i < g->types.n; i++)
		if (kg_graph_find_type(g, kg_type_name(g, (uint32_t)i)) != i)
			FAIL("type %zu is not found by its name", i);
	for (i = 0; i < g->rtypes.n; i++)
		if (kg_graph_find_relation_type(g, kg_relation_type_name(g, (uint32_t)i)) != i)
			FAIL("relation type %zu is not found by its name", i);
	for (i = 0; i < g->sources.n; i++)
		if (kg_graph_find_source(g, kg_source_id(g, (uint32_t)i)) != i)
			FAIL("source %zu is not found by its id", i);
	return 0;
}

/* A range of n elements inside an array of size elements. */
static int in_range(kg__range r, uint64_t size)
{
	return (uint64_t)r.start + r.count <= size;
}

/* String ids: below ns; 0 (none) only when may_be_none. */
static int sid_ok(uint32_t sid, const counts *c, int may_be_none)
{
	return sid < c->ns && (sid || may_be_none);
}

static int loc_ok(kg__loc loc, const counts *c)
{
	return loc.file < c->nfiles;
}

static int check_attrs(const kg_graph *g, const counts *c, kg__buf *why)
{
	size_t i;

	for (i = 0; i < c->nattr; i++) {
		const kg__attr *a = &g->attrs.v[i];
		if (!sid_ok(a->key & ~KG__ATTR_LIST, c, 0) || !sid_ok(a->value, c, 0))
			FAIL("attribute %zu names a string that does not exist", i);
	}
	return 0;
}

/* Elements of u32 that entity aliases and relation type lists take: each
 * range is read element by element, so their total is bounded by the
 * array's size (they never overlap), or the checks could be quadratic. */
static int check_u32_range(const kg_graph *g, const counts *c, kg__range r, int strings, uint64_t *budget)
{
	uint32_t i;

	if (!in_range(r, c->nu32) || r.count > *budget)
		return -1;
	*budget -= r.count;
	for (i = 0; i < r.count; i++) {
		uint32_t v = g->u32.v[r.start + i];
		if (strings ? !sid_ok(v, c, 0) : v >= c->nt)
			return -1;
	}
	return 0;
}

static int check_entities(const kg_graph *g, const counts *c, uint64_t *budget, kg__buf *why)
{
	size_t i;

	for (i = 0; i < c->ne; i++) {
		const kg__entity *e = &g->entities.v[i];
		if (!sid_ok(e->id, c, 0) || !sid_ok(e->name, c, 1))
			FAIL("entity %zu names a string that does not exist", i);
		if (e->type >= c->nt)
			FAIL("entity %zu has type %u of %llu", i, e->type, (unsigned long long)c->nt);
		if (!in_range(e->attrs, c->nattr) || check_u32_range(g, c, e->aliases, 1, budget))
			FAIL("entity %zu has attributes or aliases outside their arrays", i);
	}
	return 0;
}

/* The relation records and their side records. */
static int check_relations(const kg_graph *g, const counts *c, kg__buf *why)
{
	const kg__relation *r = g->relations.v;
	uint64_t i;
	uint32_t bad = 0;

	/* One branch-free pass: a relation is checked by the OR of its
	 * comparisons, and the loop only stops at the end. */
	for (i = 0; i < c->nr; i++)
		bad |= (uint32_t)(r[i].from >= c->ne) | (uint32_t)(r[i].to >= c->ne) | (uint32_t)(r[i].type >= c->nrt);
	if (bad)
		FAIL("a relation names an entity or relation type that does not exist");
	for (i = 0; i < g->ext.n; i++) {
		if (!kg__ext_sound(g, &g->ext.v[i]))
			FAIL("side record %llu names a source, string or attribute that does not exist, or has a "
			     "weight out of bounds", (unsigned long long)i);
	}
	return 0;
}

/* Which relations have side records, and where each one's is: a word
 * per 64 relations. */
static int check_ext_bits(const kg_graph *g, const counts *c, kg__buf *why)
{
	uint64_t i, words = (c->nr + 63) / 64, total = 0;

	if (g->ext_bits.n != words || g->ext_rank.n != words)
		FAIL("the side-record bits cover %zu words for %llu relations", g->ext_bits.n,
		     (unsigned long long)c->nr);
	for (i = 0; i < words; i++) {
		if (g->ext_rank.v[i] != total)
			FAIL("side-record rank %llu is %u, not %llu", (unsigned long long)i, g->ext_rank.v[i],
			     (unsigned long long)total);
		total += (uint64_t)kg__popcount64(g->ext_bits.v[i]);
	}
	if (words && c->nr % 64 && g->ext_bits.v[words - 1] >> (c->nr % 64))
		FAIL("side-record bits are set past the last relation");
	if (total != g->ext.n)
		FAIL("the side-record bits count %llu records, the section holds %zu", (unsigned long long)total,
		     g->ext.n);
	return 0;
}

/* As many location codes as records, and a base for each block of them:
 * what reading a location relies on (a far code with no far location
 * reads as its block's base, graph.c). */
static int check_loc_counts(const kg__locs *l, uint64_t n, const char *what, kg__buf *why)
{
	if (l->code.n != n || l->base.n != (n + KG__LOC_BLOCK - 1) / KG__LOC_BLOCK || l->far.n > n)
		FAIL("%s locations: %zu codes, %zu bases and %zu far locations for %llu records", what, l->code.n,
		     l->base.n, l->far.n, (unsigned long long)n);
	return 0;
}

static int check_locs(const kg__locs *l, uint64_t n, const counts *c, const char *what, kg__buf *why)
{
	uint64_t i, far = 0;
	int rc;

	if ((rc = check_loc_counts(l, n, what, why)))
		return rc;
	for (i = 0; i < l->base.n; i++)
		if (!loc_ok(l->base.v[i], c))
			FAIL("%s location %llu names a file that does not exist", what, (unsigned long long)i);
	for (i = 0; i < n; i++)
		far += l->code.v[i] == KG__LOC_FAR;
	if (far != l->far.n)
		FAIL("%s locations: %llu far codes and %zu far locations", what, (unsigned long long)far, l->far.n);
	/* Strictly increasing records, each with a far code: the binary
	 * search for a far code then always ends on its own record. */
	for (i = 0; i < l->far.n; i++) {
		const kg__locfar *f = &l->far.v[i];
		if (f->record >= n || l->code.v[f->record] != KG__LOC_FAR || (i && f->record <= l->far.v[i - 1].record) ||
		    !loc_ok(f->loc, c))
			FAIL("%s far location %llu does not match its record", what, (unsigned long long)i);
	}
	return 0;
}

static int check_decls(const kg_graph *g, const counts *c, uint64_t *budget, kg__buf *why)
{
	size_t i;

	for (i = 0; i < c->nt; i++) {
		const kg__type *t = &g->types.v[i];
		if (!sid_ok(t->name, c, 0) || !sid_ok(t->label, c, 1) || !in_range(t->attrs, c->nattr) || !loc_ok(t->loc, c))
			FAIL("type %zu names something that does not exist", i);
	}
	for (i = 0; i < c->nrt; i++) {
		const kg__rtype *t = &g->rtypes.v[i];
		if (!sid_ok(t->name, c, 0) || !sid_ok(t->label, c, 1) || !in_range(t->attrs, c->nattr) ||
		    !loc_ok(t->loc, c) || check_u32_range(g, c, t->from, 0, budget) || check_u32_range(g, c, t->to, 0, budget))
			FAIL("relation type %zu names something that does not exist", i);
	}
	for (i = 0; i < c->nsrc; i++) {
		const kg__source *s = &g->sources.v[i];
		if (!sid_ok(s->id, c, 0) || !sid_ok(s->title, c, 1) || !sid_ok(s->publisher, c, 1) ||
		    !sid_ok(s->url, c, 1) || !sid_ok(s->file, c, 1) || !in_range(s->attrs, c->nattr) || !loc_ok(s->loc, c))
			FAIL("source %zu names something that does not exist", i);
	}
	if (!sid_ok(g->title, c, 1) || !sid_ok(g->description, c, 1))
		FAIL("the title or description names a string that does not exist");
	return 0;
}

/* The adjacency, both directions: offsets from 0 to the relation count,
 * never decreasing, and each entity's slots exactly its relations (from
 * for outgoing, to for incoming) in increasing order, every relation once:
 * what build_csr makes. The searches step to the other end through the
 * relation record; a slot under the wrong entity sent a walk through
 * memory that is not the graph's (found by fuzz_snapshot, when the other
 * ends were stored in the adjacency too).
 *
 * Reading each slot's relation record is a cache miss per relation (70%
 * of `kgraph path` on the 1M-relation benchmark snapshot). Instead the
 * slots are read in order and each one writes its entity into at[r] (a
 * write does not wait for its cache line), then at[] and the relations are
 * compared in order. A relation listed twice leaves another one unlisted,
 * whose at[] keeps KG_NONE. Needs 4 bytes a relation for the check. */
static int check_offsets(const kg_graph *g, const counts *c, kg__buf *why)
{
	const uint32_t *off[2] = {g->out_off, g->in_off};
	static const char *const what[2] = {"outgoing", "incoming"};
	uint32_t bad = 0;
	uint64_t u;
	int d;

	for (d = 0; d < 2; d++) {
		if (off[d][0] != 0 || off[d][c->ne] != c->nr)
			FAIL("%s adjacency offsets run from %u to %u, not 0 to %llu", what[d], off[d][0],
			     off[d][c->ne], (unsigned long long)c->nr);
		for (u = 0; u < c->ne; u++)
			bad |= (uint32_t)(off[d][u + 1] < off[d][u]);
		if (bad)
			FAIL("%s adjacency offsets are out of order", what[d]);
	}
	return 0;
}

static int check_csr(const kg_graph *g, const counts *c, kg__buf *why)
{
	const uint32_t *off[2] = {g->out_off, g->in_off}, *rel[2] = {g->out_rel, g->in_rel};
	uint32_t *at, bad = 0;
	uint64_t i, u;
	int d;

	for (d = 0; d < 2; d++)
		for (i = 0; i < c->nr; i++)
			bad |= (uint32_t)(rel[d][i] >= c->nr);
	if (bad)
		FAIL("the adjacency names a relation that does not exist");
	if (!c->nr)
		return 0;
	if (!(at = kg__malloc(c->nr * sizeof *at)))
		return KG_ENOMEM;
	for (d = 0; d < 2 && !bad; d++) {
		memset(at, 0xFF, c->nr * sizeof *at);
		for (u = 0; u < c->ne; u++)
			for (i = off[d][u]; i < off[d][u + 1]; i++) {
				at[rel[d][i]] = (uint32_t)u;
				bad |= (uint32_t)(i > off[d][u] && rel[d][i] <= rel[d][i - 1]);
			}
		for (i = 0; i < c->nr; i++)
			bad |= (uint32_t)(at[i] != (d ? g->relations.v[i].to : g->relations.v[i].from));
	}
	kg__free(at);
	if (bad)
		FAIL("the adjacency does not list each relation once under its ends, in order");
	return 0;
}

/* What opening always checks, in two halves that can run side by side:
 * O(entities + declarations + names + one word per 64 relations). */
static int check_open_entities(const kg_graph *g, const counts *c, kg__buf *why)
{
	uint64_t budget = g->u32.n;
	int rc;

	if ((rc = check_entities(g, c, &budget, why)) || (rc = check_locs(&g->entity_locs, c->ne, c, "entity", why)))
		return rc;
	return 0;
}

static int check_open_rest(const kg_graph *g, const counts *c, kg__buf *why)
{
	uint64_t budget = g->u32.n, i;
	uint32_t bad = 0;
	int rc;

	/* Accessors answer entity 0 or relation type 0 for a relation that
	 * names one that does not exist: there must be one. */
	if (c->nr && (!c->ne || !c->nrt))
		FAIL("%llu relations but no entity or relation type", (unsigned long long)c->nr);
	if ((rc = check_decls(g, c, &budget, why)) || (rc = check_offsets(g, c, why)) ||
	    (rc = check_ext_bits(g, c, why)) || (rc = check_loc_counts(&g->relation_locs, c->nr, "relation", why)))
		return rc;
	for (i = 0; i < g->nnames; i++)
		bad |= (uint32_t)(g->name_entity[i] >= c->ne);
	if (bad)
		FAIL("the name index names an entity that does not exist");
	return check_slots(g, c, why);
}

/* The rest but the adjacency lists. */
static int check_rest(kg_graph *g, const counts *c, kg__snap_ctx *ctx, kg__buf *why)
{
	int rc;

	/* All of the compressed sections, decompressed. */
	if (kg__snap_z_ready(&ctx->strtext, 0, ctx->strtext.size) || kg__snap_z_ready(&ctx->ext, 0, ctx->ext.size) ||
	    kg__snap_z_ready(&ctx->rloc, 0, ctx->rloc.size))
		FAIL("a compressed block does not decompress to its size");
	if ((rc = check_strings(c, g->strings.chunk[0], g->strings.piece_end[0], g->strings.off, why)) ||
	    (rc = check_attrs(g, c, why)) || (rc = check_relations(g, c, why)) ||
	    (rc = check_locs(&g->relation_locs, c->nr, c, "relation", why)))
		return rc;
	return 0;
}

/* One check in a thread of its own, beside the others: the adjacency
 * lists are about a third of checking a large snapshot whole, and the
 * entities about half of opening one. */
typedef struct job {
	int (*check)(const kg_graph *g, const counts *c, kg__buf *why);
	const kg_graph *g;
	const counts *c;
	kg__buf why;
	int rc;
	pthread_t thread;
	bool threaded;
} job;

static void *job_main(void *arg)
{
	job *j = arg;

	j->rc = j->check(j->g, j->c, &j->why);
	return NULL;
}

/* Start check on g in a second thread when there is a second CPU and
 * size reaches kg__snap_csr_thread_min; else run it now. */
static void job_start(job *j, int (*check)(const kg_graph *, const counts *, kg__buf *), const kg_graph *g,
                      const counts *c, uint64_t size)
{
	memset(j, 0, sizeof *j);
	j->check = check;
	j->g = g;
	j->c = c;
	if (size >= kg__snap_csr_thread_min && kg__cpus_available() > 1)
		j->threaded = pthread_create(&j->thread, NULL, job_main, j) == 0;
	if (!j->threaded)
		job_main(j);
}

/* Wait for j; rc is what ran beside it: the first failure wins. */
static int job_finish(job *j, int rc, kg__buf *why)
{
	if (j->threaded)
		pthread_join(j->thread, NULL);
	if (!rc && j->rc) {
		rc = j->rc;
		if (rc == 1 && kg__buf_puts(why, j->why.p ? j->why.p : ""))
			rc = KG_ENOMEM;
	}
	kg__buf_free(&j->why);
	return rc;
}

/* Below this much work (relations, entities) a thread costs more than it
 * saves (a variable so that the unit tests can make small snapshots use
 * it). */
uint32_t kg__snap_csr_thread_min = UINT32_C(1) << 17;

static void count(counts *c, const kg_graph *g, size_t nfiles)
{
	c->ns = g->strings.n;
	c->ne = g->entities.n;
	c->nr = g->relations.n;
	c->nt = g->types.n;
	c->nrt = g->rtypes.n;
	c->nsrc = g->sources.n;
	c->nattr = g->attrs.n;
	c->nu32 = g->u32.n;
	c->nfiles = nfiles;
}

/* What opening leaves: strings, attributes, relations, side records,
 * relation locations and the adjacency lists. */
static int check_deferred(kg_graph *g, const counts *c, kg__snap_ctx *ctx, kg__buf *why)
{
	job j;
	int rc;

	/* The adjacency check reads no compressed section. */
	job_start(&j, check_csr, g, c, c->nr);
	rc = check_rest(g, c, ctx, why);
	return job_finish(&j, rc, why);
}

/* kg__lazy.check_all: the files are the snapshot's by then. */
static int check_all_later(kg_graph *g, kg__buf *why)
{
	counts c;

	count(&c, g, g->files.n);
	return check_deferred(g, &c, g->external, why) || kg__snap_check_found(g, why);
}

int kg__snap_validate(kg_graph *g, kg__snap_ctx *ctx, bool all, kg__buf *why)
{
	counts c;
	int rc;

	job j;

	count(&c, g, ctx->nfiles);
	if (c.ns == 0 || c.ne >= KG_NONE || c.nr >= KG_NONE || c.nt >= KG_NONE || c.nrt >= KG_NONE ||
	    c.nsrc >= KG_NONE || c.ns >= KG_NONE || c.nfiles > KG_MAX_FILES)
		FAIL("a count is out of bounds");
	job_start(&j, check_open_entities, g, &c, c.ne);
	if ((rc = job_finish(&j, check_open_rest(g, &c, why), why)))
		return rc;
	if (all)
		return check_deferred(g, &c, ctx, why);
	if (!(g->lazy = kg__calloc(1, sizeof *g->lazy)) ||
	    !(g->lazy->listed = kg__calloc(c.ne ? c.ne : 1, sizeof *g->lazy->listed)))
		return KG_ENOMEM;
	g->lazy->check_all = check_all_later;
	return 0;
}
