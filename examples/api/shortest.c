/*
 * shortest.c - the smallest program that uses libkgraph: load a graph,
 * find the shortest path between two entities, print it.
 *
 *   cc shortest.c $(pkg-config --cflags --libs kgraph) -o shortest
 *   ./shortest graph.yaml biden zelenskyy
 *
 * or with CMake: find_package(kgraph) and kgraph::kgraph (CMakeLists.txt
 * beside this file). Entities may be named by id, name or alias, in any
 * case. Exit status: 0 a path was printed, 1 there is none, 2 the graph or
 * a name is wrong, 3 usage.
 */
#include <kgraph.h>

#include <stdio.h>
#include <stdlib.h>

/* Print every diagnostic as the kgraph command does. */
static void print_diags(kg_diag_list *diags)
{
	size_t i;

	kg_diag_list_read_source_lines(diags);
	for (i = 0; i < kg_diag_list_count(diags); i++) {
		char *text;
		if (kg_diag_format(&text, NULL, kg_diag_list_get(diags, i)) == KG_OK) {
			fputs(text, stderr);
			kg_diag_format_free(text);
		}
	}
}

/* The entity text names, or KG_NONE after saying why. */
static uint32_t entity(const kg_graph *g, const char *text)
{
	uint32_t e;
	int rc = kg_graph_resolve(&e, NULL, NULL, g, text);

	if (rc != KG_OK) {
		const char *hint = kg_graph_suggest_entity(g, text);
		fprintf(stderr, "shortest: '%s': %s%s%s%s\n", text, kg_strerror(rc),
		        hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		return KG_NONE;
	}
	return e;
}

int main(int argc, char **argv)
{
	kg_path_options opts = KG_PATH_OPTIONS_INIT;
	kg_diag_list *diags = kg_diag_list_new();
	kg_graph *g = NULL;
	kg_paths *paths = NULL;
	uint32_t from, to;
	int status = 2, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: shortest GRAPH.yaml FROM TO   (kgraph %s)\n", kg_version());
		kg_diag_list_free(diags);
		return 3;
	}
	if (!diags)
		return 2;
	rc = kg_load_files(&g, (const char *const *)&argv[1], 1, NULL, diags);
	if (rc != KG_OK) {
		print_diags(diags);
		goto done;
	}
	from = entity(g, argv[2]);
	to = entity(g, argv[3]);
	if (from == KG_NONE || to == KG_NONE)
		goto done;
	rc = kg_query_paths(&paths, g, from, to, &opts, diags);
	if (rc != KG_OK) {
		fprintf(stderr, "shortest: %s\n", kg_strerror(rc));
		goto done;
	}
	if (kg_paths_count(paths) == 0) {
		printf("no path from %s to %s\n", kg_entity_name(g, from), kg_entity_name(g, to));
		status = 1;
		goto done;
	}
	{
		kg_path p = kg_paths_get(paths, 0);
		size_t i;
		printf("%s", kg_entity_name(g, p.from));
		for (i = 0; i < p.nsteps; i++) {
			uint32_t rel = p.steps[i].relation;
			printf(" %s[%s]%s %s", p.steps[i].forward ? "-" : "<-",
			       kg_relation_type_label(g, kg_relation_type(g, rel)),
			       p.steps[i].forward ? "->" : "-", kg_entity_name(g, kg_path_entity_after(g, &p, i)));
		}
		printf("\n");
	}
	status = 0;
done:
	kg_paths_free(paths);
	kg_graph_free(g);
	kg_diag_list_free(diags);
	return status;
}
