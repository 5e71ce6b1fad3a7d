/*
 * db_none.c - kgraph/db.h when kgraph is built without libpq
 * (KGRAPH_POSTGRES=OFF): every entry point says so and fails with KG_EIO,
 * so that programs built against the header still link and run.
 */
#include "kgraph/db.h"
#include "kgraph/common.h"
#include "core/diag_internal.h"

static int unavailable(kg_diag_list *diags)
{
	if (diags && kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
	                           "this kgraph was built without PostgreSQL support (libpq)"))
		return KG_ENOMEM;
	return KG_EIO;
}

bool kg_db_available(void) { return false; }
void kg_db_close(kg_db *db) { (void)db; }

int kg_db_open(kg_db **out, const char *conninfo, kg_diag_list *diags)
{
	(void)conninfo;
	if (out)
		*out = NULL;
	return unavailable(diags);
}

int kg_db_push(kg_db *db, const kg_graph *g, const char *name, kg_db_push_stats *stats, kg_diag_list *diags)
{
	(void)db, (void)g, (void)name, (void)stats;
	return unavailable(diags);
}

int kg_db_fetch_names(kg_graph **out, kg_db *db, const char *graph, const char *const *names, size_t nnames,
                      kg_diag_list *diags)
{
	(void)db, (void)graph, (void)names, (void)nnames;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_path(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                     uint32_t to, const kg_filter *filter, unsigned max_hops, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)frame, (void)from, (void)to, (void)filter, (void)max_hops;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_neighbors(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t entity,
                          const kg_neighbor_options *opts, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)frame, (void)entity, (void)opts;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_search(kg_graph **out, kg_db *db, const char *graph, const char *text,
                       const kg_search_options *opts, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)text, (void)opts;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_entity(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t entity,
                       kg_diag_list *diags)
{
	(void)db, (void)graph, (void)frame, (void)entity;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_list(kg_graph **out, kg_db *db, const char *graph, bool relations, const uint32_t *types,
                     size_t ntypes, const kg_filter *filter, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)relations, (void)types, (void)ntypes, (void)filter;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_paths(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, uint32_t from,
                      uint32_t to, const kg_path_options *opts, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)frame, (void)from, (void)to, (void)opts;
	*out = NULL;
	return unavailable(diags);
}

int kg_db_fetch_drawing(kg_graph **out, kg_db *db, const char *graph, const kg_graph *frame, const uint32_t *focus,
                        size_t nfocus, const kg_neighbor_options *around, const uint32_t *ends,
                        const kg_path_options *paths, kg_diag_list *diags)
{
	(void)db, (void)graph, (void)frame, (void)focus, (void)nfocus, (void)around, (void)ends, (void)paths;
	*out = NULL;
	return unavailable(diags);
}
