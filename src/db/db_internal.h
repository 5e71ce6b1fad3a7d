/*
 * db_internal.h - what the files of src/db share: the connection, error
 * reporting that never shows the connection string, small helpers for
 * parameterised statements, and the partial-graph builder (private).
 *
 * src/db is the only part of kgraph that includes <libpq-fe.h>.
 */
#ifndef KG_DB_INTERNAL_H
#define KG_DB_INTERNAL_H

#include "kgraph/db.h"
#include "kgraph/common.h"
#include "core/graph_internal.h"
#include "db/db_rows.h"

#include "db/db_pq.h"

struct kg_db {
	PGconn *conn;
	char *password; /* scrubbed from every message; NULL when none */
};

/* Report a failure as an error diagnostic: "what: the server's message"
 * on one line, with the password (if any) replaced by "***". Returns
 * KG_EIO, or KG_ENOMEM if the diagnostic could not be added. */
int kg__db_fail(kg_db *db, kg_diag_list *diags, const char *what, const char *detail);

/* The same with the connection's last message as the detail. */
int kg__db_fail_conn(kg_db *db, kg_diag_list *diags, const char *what);

/* Run a statement with text parameters (NULL = SQL NULL); returns the
 * result when it succeeded (PGRES_COMMAND_OK or PGRES_TUPLES_OK), or NULL
 * after reporting the failure as `what`. */
PGresult *kg__db_exec(kg_db *db, kg_diag_list *diags, const char *what, const char *sql, int nparams,
                      const char *const *params);

/* Run a statement and discard its result: KG_OK or KG_EIO. */
int kg__db_run(kg_db *db, kg_diag_list *diags, const char *what, const char *sql, int nparams,
               const char *const *params);

/* The id of graph `name` into buf (decimal text); KG_ENOTFOUND (with a
 * diagnostic) when the database holds no such graph, or KG_EIO. */
int kg__db_graph_id(kg_db *db, kg_diag_list *diags, const char *name, char buf[24]);

/* Call item(ctx, text, len) for each item of array literal text (as
 * PostgreSQL writes them: quoted or not; NULL items are skipped).
 * KG_OK, KG_ENOMEM, or what item returned. */
int kg__db_parse_array(const char *text, int (*item)(void *ctx, const char *s, size_t n), void *ctx);

/* A map from ords (entity or relation indexes) to 64-bit values: open
 * addressing, at most half full. Zero-initialise; free with
 * kg__omap_free. */
typedef struct kg__omap {
	uint32_t *key; /* ord + 1; 0 = empty */
	uint64_t *val;
	size_t nslot, n;
} kg__omap;

/* The value of ord, or NULL. */
uint64_t *kg__omap_get(const kg__omap *m, uint32_t ord);
/* Add ord -> val unless ord is there: 1 when added, 0 when it was there,
 * -1 when out of memory. */
int kg__omap_put(kg__omap *m, uint32_t ord, uint64_t val);
void kg__omap_free(kg__omap *m);

/* ---- building a partial graph from rows (db_build.c) ----------------- */

/* A partial copy of a pushed graph being fetched: the graph it becomes,
 * and which entity ords and relation ords are in it so far. */
typedef struct kg__dbg kg__dbg;

/* Start: the graph's header, files, types and relation types. */
int kg__dbg_new(kg__dbg **out, kg_db *db, const char *gid, kg_diag_list *diags);
void kg__dbg_free(kg__dbg *b);
/* Fetch the entities of these ords not fetched yet. */
int kg__dbg_entities(kg__dbg *b, const uint32_t *ords, size_t n, kg_diag_list *diags);
/* Fetch every entity of these types (every entity when n is 0), in one
 * statement. */
int kg__dbg_entities_of_types(kg__dbg *b, const uint32_t *types, size_t n, kg_diag_list *diags);
/* Fetch the entities a name may mean: the same id, or with fold, the
 * same id, name or alias case-folded. */
int kg__dbg_names(kg__dbg *b, const char *const *names, size_t n, bool fold, kg_diag_list *diags);
/* The relations touching these entity ords (leaving and entering) that
 * the filter's relation types and date admit, and the entities at their
 * other ends, returned in *rels once each. With ords NULL: every
 * relation of the graph the filter admits. */
typedef struct kg__dbrel {
	uint32_t ord, from, to, type;
	double w; /* its weight after kg__dbg_weigh (else 1); -1 = not a valid weight */
} kg__dbrel;
int kg__dbg_relations(kg__dbg *b, const uint32_t *ords, size_t n, const uint32_t *rel_types, size_t nrel,
                      const uint32_t *exclude, size_t nexclude, kg_date as_of, kg__dbrel **rels,
                      size_t *nrels, kg_diag_list *diags);
/* Fetch every relation between two of these entity ords (both ends
 * among them) that the filter's relation types and date admit, in one
 * statement. */
int kg__dbg_relations_among(kg__dbg *b, const uint32_t *ords, size_t n, const kg_filter *f, kg_diag_list *diags);
/* Fetch the entities (of these types; any when n is 0) one of whose
 * folded fields (id, name, aliases; with attributes, attribute values
 * too) contains every word of words (kg__search_words' form): a superset
 * of kg_query_search's hits, in one statement. */
int kg__dbg_search(kg__dbg *b, const char *words, bool attributes, const uint32_t *types, size_t ntypes,
                   kg_diag_list *diags);
/* From now on, fill kg__dbrel.w with each relation's weight attribute
 * attr ("weight" = the weight: key), read as kg_relation_weight_by
 * does; attr is borrowed until the builder is freed. */
void kg__dbg_weigh(kg__dbg *b, const char *attr);
/* The text of a relation's weight attribute $6 as SQL gives it: the
 * weight: key's number, the attribute's string, "" for a list (never a
 * number), '1' when the relation has none. Its value for a statement's
 * parameter P; NULL when P is. */
#define W_TEXT(P)                                                                                           \
	"CASE WHEN " P "::text IS NULL THEN NULL WHEN " P "::text = 'weight' THEN coalesce(weight::text, '1') "    \
	"WHEN jsonb_typeof(attrs -> " P "::text) = 'array' THEN '' ELSE coalesce(attrs ->> " P "::text, '1') END"
/* A weight text (W_TEXT) as a number, or -1 when it is not a number from
 * 0 to KG_MAX_WEIGHT (kg_relation_weight_by's rule). */
double kg__dbg_weight_of(const char *text);
/* Fetch these relations by ord, whatever the filter, and their ends. */
int kg__dbg_relations_by_ord(kg__dbg *b, const uint32_t *ords, size_t n, kg_diag_list *diags);
/* The type (entity type ord) of entity ord, which must have been fetched. */
uint32_t kg__dbg_entity_type(const kg__dbg *b, uint32_t ord);
/* Is relation type `type` symmetric? */
bool kg__dbg_symmetric(const kg__dbg *b, uint32_t type);
/* Finish: build the graph from everything fetched, in ord order. */
int kg__dbg_finish(kg__dbg *b, kg_graph **out, kg_diag_list *diags);
/* The ord of the entity whose id is `id`, fetched already; KG_NONE. */
uint32_t kg__dbg_ord_of(const kg__dbg *b, const char *id);

/* ---- searches against the database (db_search.c, db_weight.c) ------- */

typedef KG_VEC(uint32_t) kg__ords;

/* Per search: the graph being fetched and the filter in pushed ords. */
typedef struct kg__dbsearch {
	kg__dbg *b;
	kg_db *db;
	char gid[24];
	const kg_filter *f;
	uint32_t *avoid; /* ords */
	size_t navoid;
	uint32_t from, to; /* ords; to is KG_NONE for a neighbourhood */
} kg__dbsearch;

/* May entity ord be inside a path (or be passed through)? */
bool kg__dbs_inner_ok(const kg__dbsearch *s, uint32_t ord);
/* Fetch the relations of the entities in front, as the filter admits
 * them (kg__dbg_relations). */
int kg__dbs_fetch(kg__dbsearch *s, const kg__ords *front, kg__dbrel **rels, size_t *n, kg_diag_list *diags);
/* The weighted search of kg_db_fetch_paths (db_weight.c): into *out the
 * part that holds every lightest path from s->from to s->to. */
int kg__dbs_lightest(kg_graph **out, kg__dbsearch *s, const char *weight, kg_diag_list *diags);
/* The same for KG_PATHS_K_SHORTEST with opts->weight: the part that
 * holds the k lightest paths from `from` to `to` (frame indexes;
 * s->from and s->to their ords). */
int kg__dbs_k_lightest(kg_graph **out, kg__dbsearch *s, const kg_graph *frame, uint32_t from, uint32_t to,
                       const kg_path_options *opts, kg_diag_list *diags);
/* kg_query_paths with opts (whose entities are the frame's) on h, a
 * graph fetched with the frame's entities in it; no on_path. */
int kg__dbs_paths_on(kg_paths **res, const kg_graph *h, const kg_graph *frame, uint32_t from, uint32_t to,
                     const kg_path_options *opts, kg_diag_list *diags);

#endif
