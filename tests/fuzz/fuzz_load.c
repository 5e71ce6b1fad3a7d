/*
 * fuzz_load.c - libFuzzer target: bytes -> graph, with check's warnings,
 * then questions to the graph (one shortest path, all shortest paths of
 * a bounded length, a neighbourhood, name lookups). Each input is also
 * loaded with libyaml in a parser thread, which must give the same
 * result and the same diagnostics (it aborts otherwise).
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz), and
 * always as fuzz_load_replay, which runs each file of the regression
 * corpus once under ctest.
 */
#include "kgraph.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ask(const kg_graph *g)
{
	size_t n = kg_graph_entity_count(g);
	kg_path_options po = KG_PATH_OPTIONS_INIT;
	kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
	kg_paths *p = NULL;
	kg_neighbors *nb = NULL;
	uint32_t e;

	if (!n)
		return;
	kg_query_paths(&p, g, 0, (uint32_t)(n - 1), &po, NULL);
	kg_paths_free(p);
	po.mode = KG_PATHS_ALL;
	po.max_hops = 4;
	po.limit = 50;
	kg_query_paths(&p, g, (uint32_t)(n - 1), 0, &po, NULL);
	kg_paths_free(p);
	po.mode = KG_PATHS_K_SHORTEST;
	po.max_hops = 0;
	po.k = 3;
	kg_query_paths(&p, g, 0, (uint32_t)(n / 2), &po, NULL);
	kg_paths_free(p);
	no.depth = 2;
	kg_query_neighbors(&nb, g, (uint32_t)(n / 2), &no);
	kg_neighbors_free(nb);
	kg_graph_resolve(&e, NULL, NULL, g, kg_entity_name(g, 0));
	kg_graph_suggest_entity(g, "x");
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Load with the parser thread: the same result, diagnostics and counts
 * as rc, d and g0, or abort. Out of memory on either side proves
 * nothing. */
static void same_with_thread(const uint8_t *data, size_t size, int rc, const kg_diag_list *d,
                             const kg_graph *g0)
{
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *t = kg_diag_list_new();
	kg_graph *g = NULL;
	int trc;
	size_t i;

	if (!t)
		return;
	opts.thread = KG_LOAD_THREAD_ON;
	trc = kg_load_string(&g, "fuzz.yaml", (const char *)data, size, &opts, t);
	if (trc != KG_ENOMEM && rc != KG_ENOMEM) {
		if (trc != rc || kg_diag_list_count(t) != kg_diag_list_count(d))
			abort();
		for (i = 0; i < kg_diag_list_count(d); i++) {
			const kg_diag *a = kg_diag_list_get(d, i), *b = kg_diag_list_get(t, i);
			if (a->where.line != b->where.line || a->where.column != b->where.column ||
			    !same(a->message, b->message) || !same(a->hint, b->hint))
				abort();
		}
		if (g && (kg_graph_entity_count(g) != kg_graph_entity_count(g0) ||
		          kg_graph_relation_count(g) != kg_graph_relation_count(g0)))
			abort();
	}
	kg_graph_free(g);
	kg_diag_list_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = NULL;
	int rc;

	if (!d)
		return 0;
	rc = kg_load_string(&g, "fuzz.yaml", (const char *)data, size, NULL, d);
	same_with_thread(data, size, rc, d, g);
	if (rc == KG_OK) {
		kg_check_warnings(NULL, g, d);
		ask(g);
	}
	kg_graph_free(g);
	kg_diag_list_free(d);
	return 0;
}
