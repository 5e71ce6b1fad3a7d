/*
 * db_build.c - a partial copy of a pushed graph: the rows a query fetched,
 * turned into an ordinary kg_graph.
 *
 * Pipeline position: database rows -> graph, beside the loader (which
 * builds graphs from YAML) and with the same private builder of
 * core/graph_internal.h. Invariants of the result: entities, relations
 * and sources appear in increasing `ord` (the order the pushed graph read
 * them in), so every comparison of indexes a query makes comes out as on
 * the whole graph; all entity and relation types are there with their
 * pushed indexes; every relation's two ends are there; names, locations
 * (files keep their pushed numbering) and the per-type and per-source
 * counts are those of the whole graph.
 *
 * Rows are kept as the PGresults they came in until kg__dbg_finish reads
 * them, found by ord through two small hash maps.
 */
#include "db/db_internal.h"
#include "kgraph/limits.h"
#include "util/fold.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns read back, in this order (E_* and R_* below). */
#define ENTITY_COLS "ord, id, name, type, aliases, kgraph.attr_list(attrs, attr_keys), file, line, col"
enum { E_ORD, E_ID, E_NAME, E_TYPE, E_ALIASES, E_ATTRS, E_FILE, E_LINE, E_COL };
#define RELATION_COLS                                                                                       \
	"ord, from_ord, to_ord, type, date, date_precision, since, since_precision, until, until_precision, "   \
	"source, quote, weight, kgraph.attr_list(attrs, attr_keys), file, line, col"
enum { R_ORD, R_FROM, R_TO, R_TYPE, R_DATE, R_DATEP, R_SINCE, R_SINCEP, R_UNTIL, R_UNTILP, R_SOURCE, R_QUOTE,
       R_WEIGHT, R_ATTRS, R_FILE, R_LINE, R_COL };

struct kg__dbg {
	kg_db *db;
	char gid[24];
	PGresult *head, *types;
	uint8_t *symmetric; /* per relation type */
	size_t nrtypes;
	KG_VEC(PGresult *) res;
	kg__omap ents, rels;
	const char *weight; /* kg__dbg_weigh: the attribute weights are read from */
};

static uint32_t u32_of(const PGresult *r, int row, int col)
{
	return (uint32_t)strtoul(PQgetvalue(r, row, col), NULL, 10);
}

static bool null_at(const PGresult *r, int row, int col) { return PQgetisnull(r, row, col) != 0; }

void kg__dbg_free(kg__dbg *b)
{
	size_t i;

	if (!b)
		return;
	PQclear(b->head);
	PQclear(b->types);
	for (i = 0; i < b->res.n; i++)
		PQclear(b->res.v[i]);
	KG_VEC_FREE(b->res);
	kg__omap_free(&b->ents);
	kg__omap_free(&b->rels);
	kg__free(b->symmetric);
	kg__free(b);
}

int kg__dbg_new(kg__dbg **out, kg_db *db, const char *gid, kg_diag_list *diags)
{
	kg__dbg *b = kg__calloc(1, sizeof *b);
	const char *params[1] = {gid};
	int i;

	*out = NULL;
	if (!b)
		return KG_ENOMEM;
	b->db = db;
	snprintf(b->gid, sizeof b->gid, "%s", gid);
	b->head = kg__db_exec(db, diags, "cannot read the graph",
	                      "SELECT title, description, files FROM kgraph.graphs WHERE id = $1", 1, params);
	if (b->head)
		b->types = kg__db_exec(db, diags, "cannot read the graph",
		                       "SELECT kind, ord, name, label, builtin, declared, is_symmetric, from_types, to_types, "
		                       "uses, kgraph.attr_list(attrs, attr_keys), file, line, col FROM kgraph.types "
		                       "WHERE graph = $1 ORDER BY kind, ord",
		                       1, params);
	if (!b->types || PQntuples(b->head) != 1) {
		kg__dbg_free(b);
		return KG_EIO;
	}
	for (i = 0; i < PQntuples(b->types); i++)
		if (PQgetvalue(b->types, i, 0)[0] == 'r')
			b->nrtypes++;
	b->symmetric = kg__calloc(b->nrtypes + 1, 1);
	if (!b->symmetric) {
		kg__dbg_free(b);
		return KG_ENOMEM;
	}
	for (i = 0; i < PQntuples(b->types); i++)
		if (PQgetvalue(b->types, i, 0)[0] == 'r' && u32_of(b->types, i, 1) < b->nrtypes)
			b->symmetric[u32_of(b->types, i, 1)] = PQgetvalue(b->types, i, 6)[0] == 't';
	*out = b;
	return KG_OK;
}

bool kg__dbg_symmetric(const kg__dbg *b, uint32_t type) { return type < b->nrtypes && b->symmetric[type]; }

/* Keep result res and index its rows by their first column in m. */
static int keep(kg__dbg *b, PGresult *res, kg__omap *m)
{
	int i;

	if (KG_VEC_PUSH(b->res, res)) {
		PQclear(res);
		return KG_ENOMEM;
	}
	for (i = 0; i < PQntuples(res); i++)
		if (kg__omap_put(m, u32_of(res, i, 0), (uint64_t)(b->res.n - 1) << 32 | (uint32_t)i) < 0)
			return KG_ENOMEM;
	return KG_OK;
}

int kg__dbg_entities(kg__dbg *b, const uint32_t *ords, size_t n, kg_diag_list *diags)
{
	KG_VEC(uint32_t) want = {0};
	kg__buf list = {0};
	const char *params[2];
	PGresult *res;
	size_t i;
	int rc = KG_OK;

	for (i = 0; i < n && rc == KG_OK; i++)
		if (!kg__omap_get(&b->ents, ords[i]) && KG_VEC_PUSH(want, ords[i]))
			rc = KG_ENOMEM;
	if (rc == KG_OK && want.n) {
		rc = kg__db_int_array(&list, want.v, want.n);
		params[0] = b->gid;
		params[1] = list.p;
		if (rc == KG_OK) {
			res = kg__db_exec(b->db, diags, "cannot read entities",
			                  "SELECT " ENTITY_COLS " FROM kgraph.entities WHERE graph = $1 AND ord = ANY($2::int[])",
			                  2, params);
			rc = res ? keep(b, res, &b->ents) : KG_EIO;
		}
	}
	KG_VEC_FREE(want);
	kg__buf_free(&list);
	return rc;
}

int kg__dbg_entities_of_types(kg__dbg *b, const uint32_t *types, size_t n, kg_diag_list *diags)
{
	kg__buf list = {0};
	const char *params[2];
	PGresult *res;
	int rc = n ? kg__db_int_array(&list, types, n) : KG_OK;

	if (rc != KG_OK)
		return rc;
	params[0] = b->gid;
	params[1] = n ? list.p : NULL;
	res = kg__db_exec(b->db, diags, "cannot read entities",
	                  "SELECT " ENTITY_COLS " FROM kgraph.entities WHERE graph = $1 "
	                  "AND ($2::int[] IS NULL OR type = ANY($2::int[]))",
	                  2, params);
	rc = res ? keep(b, res, &b->ents) : KG_EIO;
	kg__buf_free(&list);
	return rc;
}

int kg__dbg_names(kg__dbg *b, const char *const *names, size_t n, bool fold, kg_diag_list *diags)
{
	kg__buf ids = {0}, folded = {0}, f = {0};
	const char *params[3];
	PGresult *res;
	size_t i;
	int rc = KG_OK;

	if (kg__buf_puts(&ids, "{") || kg__buf_puts(&folded, "{"))
		rc = KG_ENOMEM;
	for (i = 0; i < n && rc == KG_OK; i++) {
		rc = kg__db_text_item(&ids, names[i], strlen(names[i]));
		/* Text that does not fold (not UTF-8) can only be an exact id. */
		if (rc == KG_OK && fold && kg__fold(&f, names[i], strlen(names[i])) == 0)
			rc = kg__db_text_item(&folded, f.p ? f.p : "", f.n);
	}
	if (rc == KG_OK && (kg__buf_puts(&ids, "}") || kg__buf_puts(&folded, "}")))
		rc = KG_ENOMEM;
	if (rc == KG_OK) {
		params[0] = b->gid;
		params[1] = ids.p;
		params[2] = folded.p;
		res = kg__db_exec(b->db, diags, "cannot look up entities",
		                  "SELECT " ENTITY_COLS " FROM kgraph.entities WHERE graph = $1 "
		                  "AND (id = ANY($2::text[]) OR folded && $3::text[])",
		                  3, params);
		rc = res ? keep(b, res, &b->ents) : KG_EIO;
	}
	kg__buf_free(&ids);
	kg__buf_free(&folded);
	kg__buf_free(&f);
	return rc;
}

int kg__dbg_search(kg__dbg *b, const char *words, bool attributes, const uint32_t *types, size_t ntypes,
                   kg_diag_list *diags)
{
	/* An entity is a candidate when one of its folded fields holds every
	 * word: each way kg_query_search matches (the whole text, or every
	 * word at the start of a word of one field) implies that. */
	static const char sql[] =
		"SELECT " ENTITY_COLS " FROM kgraph.entities WHERE graph = $1 "
		"AND ($2::int[] IS NULL OR type = ANY($2::int[])) "
		"AND EXISTS (SELECT 1 FROM unnest(CASE WHEN $4::bool THEN search_keys || search_values ELSE search_keys END) k "
		"WHERE NOT EXISTS (SELECT 1 FROM unnest($3::text[]) w WHERE strpos(k, w) = 0))";
	kg__buf list = {0}, tl = {0};
	const char *params[4];
	const char *w = words;
	PGresult *res;
	int rc = kg__buf_puts(&list, "{") ? KG_ENOMEM : KG_OK;

	while (rc == KG_OK && *w) {
		size_t n = strcspn(w, " ");
		rc = kg__db_text_item(&list, w, n);
		w += n;
		w += *w == ' ';
	}
	if (rc == KG_OK && kg__buf_puts(&list, "}"))
		rc = KG_ENOMEM;
	if (rc == KG_OK && ntypes)
		rc = kg__db_int_array(&tl, types, ntypes);
	if (rc == KG_OK) {
		params[0] = b->gid;
		params[1] = ntypes ? tl.p : NULL;
		params[2] = list.p;
		params[3] = attributes ? "true" : "false";
		res = kg__db_exec(b->db, diags, "cannot search entities", sql, 4, params);
		rc = res ? keep(b, res, &b->ents) : KG_EIO;
	}
	kg__buf_free(&list);
	kg__buf_free(&tl);
	return rc;
}

uint32_t kg__dbg_entity_type(const kg__dbg *b, uint32_t ord)
{
	const uint64_t *at = kg__omap_get(&b->ents, ord);

	return at ? u32_of(b->res.v[*at >> 32], (int)(uint32_t)*at, E_TYPE) : KG_NONE;
}

uint32_t kg__dbg_ord_of(const kg__dbg *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->ents.nslot; i++) {
		uint64_t at = b->ents.val[i];
		if (b->ents.key[i] && strcmp(PQgetvalue(b->res.v[at >> 32], (int)(uint32_t)at, E_ID), id) == 0)
			return b->ents.key[i] - 1;
	}
	return KG_NONE;
}

void kg__dbg_weigh(kg__dbg *b, const char *attr) { b->weight = attr; }

/* A weight as kg_relation_weight_by reads it, from the text W_TEXT gives
 * ("" for a list, which is no number); -1 when it is not a number from 0
 * to KG_MAX_WEIGHT. */
double kg__dbg_weight_of(const char *text)
{
	double v;

	if (kg__parse_number(text, strlen(text), &v) || v < 0 || v > KG_MAX_WEIGHT)
		return -1;
	return v;
}

/* kg__dbg_relations, or with among kg__dbg_relations_among. */
static int relations(kg__dbg *b, const uint32_t *ords, size_t n, bool among, const uint32_t *rel_types, size_t nrel,
                     const uint32_t *exclude, size_t nexclude, kg_date as_of, kg__dbrel **rels, size_t *nrels,
                     kg_diag_list *diags)
{
	/* One statement, two indexed scans: the relations leaving the
	 * entities and those entering them. The filter's relation types and
	 * dates (in_force's rule: validity, and no event dated after as_of)
	 * are applied here; the rest (direction, entity types, avoided
	 * entities) by the caller, on what comes back. */
	static const char where[] =
		" AND ($3::int[] IS NULL OR type = ANY($3::int[])) AND ($4::int[] IS NULL OR type <> ALL($4::int[]))"
		" AND ($5::date IS NULL OR ((validity IS NULL OR validity @> $5::date) AND (date IS NULL OR date <= $5::date)))";
	static const char sql[] =
		"SELECT " RELATION_COLS ", " W_TEXT("$6") " FROM kgraph.relations WHERE graph = $1 AND from_ord = ANY($2::int[])%s"
		" UNION ALL "
		"SELECT " RELATION_COLS ", " W_TEXT("$6") " FROM kgraph.relations WHERE graph = $1 AND to_ord = ANY($2::int[])%s";
	/* Without ords: every relation, one scan of the graph's rows. */
	static const char all[] =
		"SELECT " RELATION_COLS ", " W_TEXT("$6") " FROM kgraph.relations WHERE graph = $1 AND $2::int[] IS NULL%s";
	/* Among: one indexed scan, the other end checked on what it finds. */
	static const char inside[] =
		"SELECT " RELATION_COLS ", " W_TEXT("$6") " FROM kgraph.relations WHERE graph = $1 AND from_ord = ANY($2::int[]) "
		"AND to_ord = ANY($2::int[])%s";
	char query[sizeof sql + 2 * sizeof where], day[16];
	kg__buf list = {0}, inc = {0}, exc = {0};
	const char *params[6];
	KG_VEC(kg__dbrel) out = {0};
	KG_VEC(uint32_t) ends = {0};
	PGresult *res;
	kg__omap seen = {0};
	int i, rc;

	*rels = NULL;
	*nrels = 0;
	if (ords && among)
		snprintf(query, sizeof query, inside, where);
	else if (ords)
		snprintf(query, sizeof query, sql, where, where);
	else
		snprintf(query, sizeof query, all, where);
	rc = ords ? kg__db_int_array(&list, ords, n) : KG_OK;
	if (rc == KG_OK && nrel)
		rc = kg__db_int_array(&inc, rel_types, nrel);
	if (rc == KG_OK && nexclude)
		rc = kg__db_int_array(&exc, exclude, nexclude);
	if (rc != KG_OK)
		goto done;
	if (as_of) {
		kg_date d = kg_date_first_day(as_of);
		snprintf(day, sizeof day, "%04d-%02d-%02d", KG_DATE_YEAR(d), KG_DATE_MONTH(d), KG_DATE_DAY(d));
	}
	params[0] = b->gid;
	params[1] = ords ? list.p : NULL;
	params[2] = nrel ? inc.p : NULL;
	params[3] = nexclude ? exc.p : NULL;
	params[4] = as_of ? day : NULL;
	params[5] = b->weight;
	res = kg__db_exec(b->db, diags, "cannot read relations", query, 6, params);
	if (!res) {
		rc = KG_EIO;
		goto done;
	}
	if ((rc = keep(b, res, &b->rels)) != KG_OK)
		goto done;
	for (i = 0; i < PQntuples(res) && rc == KG_OK; i++) {
		kg__dbrel r;
		int added;
		r.ord = u32_of(res, i, R_ORD);
		r.from = u32_of(res, i, R_FROM);
		r.to = u32_of(res, i, R_TO);
		r.type = u32_of(res, i, R_TYPE);
		r.w = b->weight ? kg__dbg_weight_of(PQgetvalue(res, i, R_COL + 1)) : 1;
		/* A relation between two of the entities comes twice. */
		if ((added = kg__omap_put(&seen, r.ord, 0)) < 0 || (added && KG_VEC_PUSH(out, r)) ||
		    KG_VEC_PUSH(ends, r.from) || KG_VEC_PUSH(ends, r.to))
			rc = KG_ENOMEM;
	}
	if (rc == KG_OK)
		rc = kg__dbg_entities(b, ends.v, ends.n, diags);
	if (rc == KG_OK) {
		*rels = out.v;
		*nrels = out.n;
		out.v = NULL;
	}
done:
	KG_VEC_FREE(out);
	KG_VEC_FREE(ends);
	kg__omap_free(&seen);
	kg__buf_free(&list);
	kg__buf_free(&inc);
	kg__buf_free(&exc);
	return rc;
}

int kg__dbg_relations(kg__dbg *b, const uint32_t *ords, size_t n, const uint32_t *rel_types, size_t nrel,
                      const uint32_t *exclude, size_t nexclude, kg_date as_of, kg__dbrel **rels,
                      size_t *nrels, kg_diag_list *diags)
{
	return relations(b, ords, n, false, rel_types, nrel, exclude, nexclude, as_of, rels, nrels, diags);
}

int kg__dbg_relations_among(kg__dbg *b, const uint32_t *ords, size_t n, const kg_filter *f, kg_diag_list *diags)
{
	kg__dbrel *rels = NULL;
	size_t nrels = 0;
	int rc = relations(b, ords, n, true, f->nrel_types ? f->rel_types : NULL, f->rel_types ? f->nrel_types : 0,
	                   f->exclude_rel_types, f->exclude_rel_types ? f->nexclude_rel_types : 0, f->as_of, &rels,
	                   &nrels, diags);

	kg__free(rels);
	return rc;
}

int kg__dbg_relations_by_ord(kg__dbg *b, const uint32_t *ords, size_t n, kg_diag_list *diags)
{
	KG_VEC(uint32_t) ends = {0};
	kg__buf list = {0};
	const char *params[2];
	PGresult *res;
	int i, rc = kg__db_int_array(&list, ords, n);

	if (rc != KG_OK)
		return rc;
	params[0] = b->gid;
	params[1] = list.p;
	res = kg__db_exec(b->db, diags, "cannot read relations",
	                  "SELECT " RELATION_COLS " FROM kgraph.relations WHERE graph = $1 AND ord = ANY($2::int[])", 2,
	                  params);
	rc = res ? keep(b, res, &b->rels) : KG_EIO;
	for (i = 0; rc == KG_OK && i < PQntuples(res); i++)
		if (KG_VEC_PUSH(ends, u32_of(res, i, R_FROM)) || KG_VEC_PUSH(ends, u32_of(res, i, R_TO)))
			rc = KG_ENOMEM;
	if (rc == KG_OK)
		rc = kg__dbg_entities(b, ends.v, ends.n, diags);
	KG_VEC_FREE(ends);
	kg__buf_free(&list);
	return rc;
}

/* ---- turning rows into the graph ------------------------------------- */

typedef struct builder {
	kg__dbg *b;
	kg_graph *g;
	kg__buf scratch;
	int rc;
} builder;

static uint32_t intern(builder *x, const PGresult *r, int row, int col)
{
	uint32_t sid;

	if (null_at(r, row, col) || x->rc != KG_OK)
		return 0;
	sid = kg__strtab_intern(&x->g->strings, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
	if (!sid)
		x->rc = KG_ENOMEM;
	return sid;
}

static kg__loc loc_of(const PGresult *r, int row, int col)
{
	kg__loc loc = {0, 0, 0};

	if (!null_at(r, row, col)) {
		loc.file = u32_of(r, row, col) & 0xFFF;
		loc.line = u32_of(r, row, col + 1);
		loc.col = u32_of(r, row, col + 2) & 0xFFFFF;
	}
	return loc;
}

/* A date column and its precision back into a kg_date. */
static kg_date date_of(const PGresult *r, int row, int col)
{
	int y, m, d, prec;

	if (null_at(r, row, col) || sscanf(PQgetvalue(r, row, col), "%d-%d-%d", &y, &m, &d) != 3)
		return 0;
	prec = (int)u32_of(r, row, col + 1);
	return (kg_date)y << 9 | (kg_date)(prec >= 2 ? m : 0) << 5 | (kg_date)(prec >= 3 ? d : 0);
}

/* Attributes from kgraph.attr_list's key, kind, value triples. */
typedef struct attr_reader {
	builder *x;
	int k; /* 0 key, 1 kind, 2 value */
	kg__attr a;
} attr_reader;

static int attr_item(void *ctx, const char *s, size_t n)
{
	attr_reader *ar = ctx;
	uint32_t sid = 0;

	if (ar->k != 1 && !(sid = kg__strtab_intern(&ar->x->g->strings, s, n)))
		return KG_ENOMEM;
	if (ar->k == 0)
		ar->a.key = sid;
	else if (ar->k == 1 && *s == 'l')
		ar->a.key |= KG__ATTR_LIST;
	else if (ar->k == 2) {
		ar->a.value = sid;
		if (KG_VEC_PUSH(ar->x->g->attrs, ar->a))
			return KG_ENOMEM;
	}
	ar->k = (ar->k + 1) % 3;
	return KG_OK;
}

static kg__range attrs_of(builder *x, const PGresult *r, int row, int col)
{
	attr_reader ar;
	kg__range range;

	memset(&ar, 0, sizeof ar);
	ar.x = x;
	range.start = (uint32_t)x->g->attrs.n;
	if (x->rc == KG_OK && !null_at(r, row, col))
		x->rc = kg__db_parse_array(PQgetvalue(r, row, col), attr_item, &ar);
	range.count = (uint32_t)(x->g->attrs.n - range.start);
	return range;
}

/* Strings (aliases) or numbers (type lists) of an array into g->u32. */
typedef struct u32_reader {
	builder *x;
	bool strings;
} u32_reader;

static int u32_item(void *ctx, const char *s, size_t n)
{
	u32_reader *ur = ctx;
	uint32_t v = ur->strings ? kg__strtab_intern(&ur->x->g->strings, s, n) : (uint32_t)strtoul(s, NULL, 10);

	return (ur->strings && !v) || KG_VEC_PUSH(ur->x->g->u32, v) ? KG_ENOMEM : KG_OK;
}

static kg__range u32s_of(builder *x, const PGresult *r, int row, int col, bool strings)
{
	u32_reader ur = {x, strings};
	kg__range range;

	range.start = (uint32_t)x->g->u32.n;
	if (x->rc == KG_OK && !null_at(r, row, col))
		x->rc = kg__db_parse_array(PQgetvalue(r, row, col), u32_item, &ur);
	range.count = (uint32_t)(x->g->u32.n - range.start);
	return range;
}

static int file_item(void *ctx, const char *s, size_t n)
{
	builder *x = ctx;
	char *copy = kg__arena_strndup(&x->g->arena, s, n);

	return !copy || KG_VEC_PUSH(x->g->files, copy) ? KG_ENOMEM : KG_OK;
}

static void build_types(builder *x)
{
	const PGresult *r = x->b->types;
	int i;

	for (i = 0; i < PQntuples(r) && x->rc == KG_OK; i++) {
		uint32_t ord = u32_of(r, i, 1);
		if (PQgetvalue(r, i, 0)[0] == 'e') {
			kg__type t;
			memset(&t, 0, sizeof t);
			t.name = intern(x, r, i, 2);
			t.label = intern(x, r, i, 3);
			t.builtin = PQgetvalue(r, i, 4)[0] == 't';
			t.declared = PQgetvalue(r, i, 5)[0] == 't';
			t.attrs = attrs_of(x, r, i, 10);
			t.loc = loc_of(r, i, 11);
			if (ord < x->g->types.n)
				x->g->types.v[ord] = t; /* a built-in, as pushed */
			else if (x->rc == KG_OK && (KG_VEC_PUSH(x->g->types, t) ||
			                            kg__idmap_put(x->g, &x->g->type_ids, kg__type_key, t.name, ord)))
				x->rc = KG_ENOMEM;
		} else {
			kg__rtype t;
			memset(&t, 0, sizeof t);
			t.name = intern(x, r, i, 2);
			t.label = intern(x, r, i, 3);
			t.declared = PQgetvalue(r, i, 5)[0] == 't';
			t.symmetric = PQgetvalue(r, i, 6)[0] == 't';
			t.from = u32s_of(x, r, i, 7, false);
			t.to = u32s_of(x, r, i, 8, false);
			t.uses = u32_of(r, i, 9);
			t.attrs = attrs_of(x, r, i, 10);
			t.loc = loc_of(r, i, 11);
			if (x->rc == KG_OK && (KG_VEC_PUSH(x->g->rtypes, t) ||
			                       kg__idmap_put(x->g, &x->g->rtype_ids, kg__rtype_key, t.name, ord)))
				x->rc = KG_ENOMEM;
		}
	}
}

static int cmp_u32(const void *a, const void *c)
{
	uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)c;
	return p < q ? -1 : p > q;
}

/* The ords of map m, ascending, into *out. */
static int sorted_keys(const kg__omap *m, uint32_t **out)
{
	size_t i, n = 0;

	*out = kg__malloc((m->n + 1) * sizeof **out);
	if (!*out)
		return KG_ENOMEM;
	for (i = 0; i < m->nslot; i++)
		if (m->key[i])
			(*out)[n++] = m->key[i] - 1;
	qsort(*out, n, sizeof **out, cmp_u32);
	return KG_OK;
}

static uint32_t local_of(const uint32_t *sorted, size_t n, uint32_t ord)
{
	const uint32_t *p = bsearch(&ord, sorted, n, sizeof ord, cmp_u32);
	return p ? (uint32_t)(p - sorted) : KG_NONE;
}

#define ROW_OF(m, ord, r, row)                                                                             \
	do {                                                                                                   \
		uint64_t at_ = *kg__omap_get((m), (ord));                                                              \
		(r) = x->b->res.v[at_ >> 32];                                                                      \
		(row) = (int)(uint32_t)at_;                                                                        \
	} while (0)

/* The sources the relations cite, in ord order; *src the sorted ords. */
static int build_sources(builder *x, const uint32_t *rels, size_t nrels, uint32_t **src, size_t *nsrc)
{
	KG_VEC(uint32_t) want = {0};
	kg__buf list = {0};
	const char *params[2];
	PGresult *res = NULL;
	size_t i;
	int row, rc = KG_OK;

	*src = NULL;
	*nsrc = 0;
	for (i = 0; i < nrels && rc == KG_OK; i++) {
		const PGresult *r;
		ROW_OF(&x->b->rels, rels[i], r, row);
		if (!null_at(r, row, R_SOURCE) && KG_VEC_PUSH(want, u32_of(r, row, R_SOURCE)))
			rc = KG_ENOMEM;
	}
	if (rc != KG_OK || !want.n)
		goto done;
	if ((rc = kg__db_int_array(&list, want.v, want.n)) != KG_OK)
		goto done;
	params[0] = x->b->gid;
	params[1] = list.p;
	res = kg__db_exec(x->b->db, NULL, "", "SELECT ord, id, title, publisher, url, path, date, date_precision, "
	                  "cites, kgraph.attr_list(attrs, attr_keys), file, line, col FROM kgraph.sources "
	                  "WHERE graph = $1 AND ord = ANY($2::int[]) ORDER BY ord", 2, params);
	if (!res) {
		rc = KG_EIO;
		goto done;
	}
	for (row = 0; row < PQntuples(res) && x->rc == KG_OK; row++) {
		kg__source s;
		memset(&s, 0, sizeof s);
		s.id = intern(x, res, row, 1);
		s.title = intern(x, res, row, 2);
		s.publisher = intern(x, res, row, 3);
		s.url = intern(x, res, row, 4);
		s.file = intern(x, res, row, 5);
		s.date = date_of(res, row, 6);
		s.cites = u32_of(res, row, 8);
		s.attrs = attrs_of(x, res, row, 9);
		s.loc = loc_of(res, row, 10);
		if (x->rc == KG_OK && (KG_VEC_PUSH(x->g->sources, s) ||
		                       kg__idmap_put(x->g, &x->g->source_ids, kg__source_key, s.id,
		                                     (uint32_t)x->g->sources.n - 1)))
			x->rc = KG_ENOMEM;
		want.v[row] = u32_of(res, row, 0);
	}
	rc = x->rc;
	*nsrc = (size_t)PQntuples(res);
	*src = want.v;
	want.v = NULL;
done:
	PQclear(res);
	KG_VEC_FREE(want);
	kg__buf_free(&list);
	return rc;
}

static void build_records(builder *x)
{
	uint32_t *ents = NULL, *rels = NULL, *src = NULL;
	size_t i, nsrc = 0, ne = x->b->ents.n, nr = x->b->rels.n;
	const PGresult *r;
	int row;

	if (sorted_keys(&x->b->ents, &ents) || sorted_keys(&x->b->rels, &rels)) {
		x->rc = KG_ENOMEM;
		goto done;
	}
	if ((x->rc = build_sources(x, rels, nr, &src, &nsrc)) != KG_OK)
		goto done;
	for (i = 0; i < ne && x->rc == KG_OK; i++) {
		kg__entity e;
		ROW_OF(&x->b->ents, ents[i], r, row);
		e.id = intern(x, r, row, E_ID);
		e.name = intern(x, r, row, E_NAME);
		e.type = u32_of(r, row, E_TYPE);
		e.aliases = u32s_of(x, r, row, E_ALIASES, true);
		e.attrs = attrs_of(x, r, row, E_ATTRS);
		if (x->rc == KG_OK && kg__graph_add_entity(x->g, &e, loc_of(r, row, E_FILE)))
			x->rc = KG_ENOMEM;
		if (x->rc == KG_OK && kg__strtab_set_aux(&x->g->strings, e.id, (uint32_t)x->g->entities.n))
			x->rc = KG_ENOMEM;
	}
	if (nr && !(x->g->rel_ordinals = kg__arena_alloc4(&x->g->arena, nr * sizeof *x->g->rel_ordinals)))
		x->rc = KG_ENOMEM;
	for (i = 0; i < nr && x->rc == KG_OK; i++) {
		kg__relation rel;
		uint32_t type;
		x->g->rel_ordinals[i] = rels[i];
		kg__relation_ext ext;
		bool has;
		ROW_OF(&x->b->rels, rels[i], r, row);
		rel.from = local_of(ents, ne, u32_of(r, row, R_FROM));
		rel.to = local_of(ents, ne, u32_of(r, row, R_TO));
		type = u32_of(r, row, R_TYPE);
		rel.type = (uint16_t)type;
		memset(&ext, 0, sizeof ext);
		ext.weight = 1;
		ext.date = date_of(r, row, R_DATE);
		ext.since = date_of(r, row, R_SINCE);
		ext.until = date_of(r, row, R_UNTIL);
		ext.source = null_at(r, row, R_SOURCE) ? KG_NONE : local_of(src, nsrc, u32_of(r, row, R_SOURCE));
		ext.quote = intern(x, r, row, R_QUOTE);
		if (!null_at(r, row, R_WEIGHT)) {
			ext.weight = strtod(PQgetvalue(r, row, R_WEIGHT), NULL);
			ext.flags |= KG__EXT_WEIGHT;
		}
		ext.attrs = attrs_of(x, r, row, R_ATTRS);
		has = ext.date || ext.since || ext.until || ext.source != KG_NONE || ext.quote || ext.flags ||
		      ext.attrs.count;
		if (rel.from == KG_NONE || rel.to == KG_NONE || type >= x->g->rtypes.n)
			x->rc = KG_EIO; /* cannot happen: both ends are always fetched, types pushed */
		else if (x->rc == KG_OK && kg__graph_add_relation(x->g, &rel, loc_of(r, row, R_FILE), has ? &ext : NULL))
			x->rc = KG_ENOMEM;
	}
done:
	kg__free(ents);
	kg__free(rels);
	kg__free(src);
}

int kg__dbg_finish(kg__dbg *b, kg_graph **out, kg_diag_list *diags)
{
	builder x;

	(void)diags;
	*out = NULL;
	memset(&x, 0, sizeof x);
	x.b = b;
	if (!(x.g = kg__graph_new()))
		return KG_ENOMEM;
	x.g->title = intern(&x, b->head, 0, 0);
	x.g->description = intern(&x, b->head, 0, 1);
	if (x.rc == KG_OK)
		x.rc = kg__db_parse_array(PQgetvalue(b->head, 0, 2), file_item, &x);
	build_types(&x);
	if (x.rc == KG_OK)
		build_records(&x);
	if (x.rc == KG_OK)
		x.rc = kg__graph_index(x.g);
	kg__buf_free(&x.scratch);
	if (x.rc != KG_OK) {
		kg_graph_free(x.g);
		return x.rc;
	}
	*out = x.g;
	return KG_OK;
}
