/*
 * fuzz_render.c - libFuzzer target: bytes -> graph -> one shortest path
 * -> a drawing of it in context, as DOT and as SVG (Graphviz in-process,
 * dot engine on small inputs only, so each run stays fast).
 *
 * Built with -DKGRAPH_FUZZ=ON (scripts/fuzz render), and always as
 * fuzz_render_replay, which replays the regression corpus under ctest.
 */
#include "kgraph.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = NULL;
	kg_paths *p = NULL;

	if (!d)
		return 0;
	if (size < 20000 &&
	    kg_load_string(&g, "fuzz.yaml", (const char *)data, size, NULL, d) == KG_OK &&
	    kg_graph_entity_count(g) > 0 && kg_graph_entity_count(g) <= 60) {
		size_t n = kg_graph_entity_count(g);
		kg_path_options po = KG_PATH_OPTIONS_INIT;
		kg_render_options ro = KG_RENDER_OPTIONS_INIT;
		unsigned char *out = NULL;
		size_t len = 0;
		kg_query_paths(&p, g, 0, (uint32_t)(n - 1), &po, NULL);
		ro.paths = p;
		ro.format = KG_RENDER_DOT;
		if (kg_render(&out, &len, g, &ro, d) == KG_OK)
			kg_render_free(out);
		ro.format = KG_RENDER_SVG;
		ro.in_process = true;
		ro.engine = "dot";
		out = NULL;
		if (kg_render(&out, &len, g, &ro, d) == KG_OK)
			kg_render_free(out);
	}
	kg_paths_free(p);
	kg_graph_free(g);
	kg_diag_list_free(d);
	return 0;
}
