/*
 * render_bench.c - kgraph's rendering, timed, for the benchmark's
 * rendering row.
 *
 *   render_bench FILE OUT_PREFIX REPS [CHILD_REPS]
 *
 * Loads FILE (not timed), writes the DOT text kg_render makes to
 * OUT_PREFIX.dot (the peer, `dot -Tsvg`, draws that same text), then draws
 * SVG with the default options REPS times with Graphviz in this process
 * (in_process) and CHILD_REPS times (default REPS) in a child process
 * (kg_render's default, what the command does), and writes the last SVG to OUT_PREFIX.svg so that
 * bench.py can compare it with the peer's. One JSON line: the times, the
 * engine the default "auto" chose, what was drawn.
 */
#include "bench_util.h"

#include "kgraph.h"
#include "kgraph/render.h"

static int render(unsigned char **data, size_t *len, const kg_graph *g, kg_render_format format,
                  bool in_process, kg_render_stats *stats)
{
	kg_render_options o = KG_RENDER_OPTIONS_INIT;
	kg_diag_list *diags = kg_diag_list_new();
	int rc;

	o.format = format;
	o.in_process = in_process;
	o.stats = stats;
	rc = kg_render(data, len, g, &o, diags);
	if (rc != KG_OK) {
		size_t i;
		fprintf(stderr, "render_bench: kg_render: %s\n", kg_strerror(rc));
		for (i = 0; i < kg_diag_list_count(diags); i++)
			fprintf(stderr, "  %s\n", kg_diag_list_get(diags, i)->message);
	}
	kg_diag_list_free(diags);
	return rc;
}

static int write_file(const char *prefix, const char *ext, const unsigned char *data, size_t len)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s%s", prefix, ext);
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static void print_times(const char *name, const double *t, int n)
{
	int i;

	printf("\"%s\": [", name);
	for (i = 0; i < n; i++)
		printf("%s%.6f", i ? ", " : "", t[i]);
	printf("], ");
}

int main(int argc, char **argv)
{
	kg_load_options lo = KG_LOAD_OPTIONS_INIT;
	kg_render_stats st = {0};
	kg_graph *g = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	double *tin, *tchild;
	int reps, creps, r;
	const char *path;

	if (argc < 4 || argc > 5 || (reps = atoi(argv[3])) < 1 || (creps = argc == 5 ? atoi(argv[4]) : reps) < 0) {
		fprintf(stderr, "usage: render_bench FILE OUT_PREFIX REPS [CHILD_REPS]\n");
		return 3;
	}
	path = argv[1];
	if (kg_load_files(&g, &path, 1, &lo, NULL) != KG_OK) {
		fprintf(stderr, "render_bench: cannot load %s\n", path);
		return 2;
	}
	if (render(&data, &len, g, KG_RENDER_DOT, false, NULL) != KG_OK || write_file(argv[2], ".dot", data, len))
		return 4;
	kg_render_free(data);
	tin = calloc((size_t)reps, sizeof *tin);
	tchild = calloc((size_t)creps + 1, sizeof *tchild);
	for (r = 0; r < reps; r++) {
		double t0 = bench_now();
		if (render(&data, &len, g, KG_RENDER_SVG, true, &st) != KG_OK)
			return 4;
		tin[r] = bench_now() - t0;
		if (r + 1 < reps)
			kg_render_free(data);
	}
	if (write_file(argv[2], ".svg", data, len))
		return 4;
	kg_render_free(data);
	for (r = 0; r < creps; r++) {
		double t0 = bench_now();
		if (render(&data, &len, g, KG_RENDER_SVG, false, NULL) != KG_OK)
			return 4;
		tchild[r] = bench_now() - t0;
		kg_render_free(data);
	}
	printf("{");
	print_times("in_process", tin, reps);
	print_times("child", tchild, creps);
	printf("\"engine\": \"%s\", \"entities\": %zu, \"relations\": %zu, \"xlabels\": %s}\n", st.engine,
	       st.entities, st.relations, st.xlabels ? "true" : "false");
	free(tin);
	free(tchild);
	kg_graph_free(g);
	return 0;
}
