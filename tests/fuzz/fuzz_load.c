/*
 * fuzz_load.c - libFuzzer target: bytes -> graph, with check's warnings,
 * then questions to the graph (one shortest path, all shortest paths of
 * a bounded length, a neighbourhood, name lookups).
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz), and
 * always as fuzz_load_replay, which runs each file of the regression
 * corpus once under ctest.
 */
#include "kgraph.h"

#include <stddef.h>
#include <stdint.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = NULL;

	if (!d)
		return 0;
	if (kg_load_string(&g, "fuzz.yaml", (const char *)data, size, NULL, d) == KG_OK) {
		kg_check_warnings(g, d);
		ask(g);
	}
	kg_graph_free(g);
	kg_diag_list_free(d);
	return 0;
}
