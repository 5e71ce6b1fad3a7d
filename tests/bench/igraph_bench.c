/*
 * igraph_bench.c - the igraph peer: the benchmark's queries asked of
 * igraph's C library, on the same relations as an undirected simple graph.
 *
 *   igraph_bench mem EDGES                 build once: peak RSS, bytes
 *   igraph_bench query EDGES QUERIES REPS  the query batches, REPS times
 *
 * EDGES is gen.py's edge list ("V E", then one "u v" per relation, entity
 * numbers); QUERIES names entities by the same numbers. igraph does not
 * read kgraph's YAML, so it has no load row: the graph is built from the
 * edge list before any clock starts, and only the queries are timed, as
 * for kgraph. The generated graphs have no duplicate pairs and no
 * self-relations, so this graph has exactly kgraph's paths (followed both
 * ways, kgraph's default).
 *
 * The calls (igraph 0.10):
 *   igraph_get_shortest_path(..., IGRAPH_ALL)        one shortest path
 *   igraph_get_all_simple_paths(..., cutoff 4, ALL)  paths of <= 4 edges
 *   igraph_neighborhood_size(..., order 2, ALL, mindist 1)
 */
#include "bench_util.h"

#include <igraph.h>

static void read_edges(igraph_t *g, const char *path)
{
	igraph_vector_int_t edges;
	long nv, ne, i, u, v;
	FILE *fp = fopen(path, "r");

	if (!fp || fscanf(fp, "%ld %ld", &nv, &ne) != 2) {
		fprintf(stderr, "igraph_bench: cannot read %s\n", path);
		exit(4);
	}
	igraph_vector_int_init(&edges, 2 * ne);
	for (i = 0; i < ne; i++) {
		if (fscanf(fp, "%ld %ld", &u, &v) != 2) {
			fprintf(stderr, "igraph_bench: %s: short edge list\n", path);
			exit(4);
		}
		VECTOR(edges)[2 * i] = u;
		VECTOR(edges)[2 * i + 1] = v;
	}
	fclose(fp);
	if (igraph_create(g, &edges, nv, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS) {
		fprintf(stderr, "igraph_bench: igraph_create failed\n");
		exit(4);
	}
	igraph_vector_int_destroy(&edges);
}

static const char *version(void)
{
	const char *s;
	int major, minor, sub;

	igraph_version(&s, &major, &minor, &sub);
	return s;
}

static int cmd_mem(const char *path)
{
	size_t before = bench_malloc_in_use(), after;
	igraph_t g;

	read_edges(&g, path);
	after = bench_malloc_in_use();
	printf("{\"maxrss_kb\": %ld, \"graph_bytes\": %zu, \"vertices\": %ld, \"edges\": %ld, "
	       "\"version\": \"%s\"}\n",
	       bench_maxrss_kb(), after - before, (long)igraph_vcount(&g), (long)igraph_ecount(&g), version());
	igraph_destroy(&g);
	return 0;
}

static int cmd_query(const char *path, const char *qpath, int reps)
{
	igraph_t g;
	bench_queries qs;
	bench_result res[3] = {{"shortest", 0, 0, 0, 0}, {"all", 0, 0, 0, 0}, {"neighbors", 0, 0, 0, 0}};
	igraph_vector_int_t vs, es, paths, sizes;
	size_t i, k;
	int r;

	igraph_set_warning_handler(igraph_warning_handler_ignore);
	read_edges(&g, path);
	if (bench_read_queries(&qs, qpath))
		return 4;
	igraph_vector_int_init(&vs, 0);
	igraph_vector_int_init(&es, 0);
	igraph_vector_int_init(&paths, 0);
	igraph_vector_int_init(&sizes, 0);
	for (k = 0; k < 3; k++) {
		res[k].times = calloc((size_t)reps, sizeof(double));
		res[k].answers = calloc(qs.n, sizeof(long));
	}
	for (r = 0; r < reps; r++) {
		for (k = 0; k < 3; k++) {
			double t0 = bench_now();
			size_t na = 0;

			for (i = 0; i < qs.n; i++) {
				const bench_query *q = &qs.q[i];
				long answer = -1;
				igraph_integer_t j, n;

				if (strcmp(q->kind, res[k].kind) != 0)
					continue;
				if (k == 0) {
					igraph_get_shortest_path(&g, &vs, &es, q->from_n, q->to_n, IGRAPH_ALL);
					answer = igraph_vector_int_size(&vs) ? (long)igraph_vector_int_size(&es) : -1;
				} else if (k == 1) {
					igraph_get_all_simple_paths(&g, &paths, q->from_n, igraph_vss_1(q->to_n), 4,
					                            IGRAPH_ALL);
					n = igraph_vector_int_size(&paths);
					answer = 0;
					for (j = 0; j < n; j++)
						answer += VECTOR(paths)[j] == -1;
				} else {
					igraph_neighborhood_size(&g, &sizes, igraph_vss_1(q->from_n), 2, IGRAPH_ALL, 1);
					answer = (long)VECTOR(sizes)[0];
				}
				res[k].answers[na++] = answer;
			}
			res[k].nanswers = na;
			res[k].times[r] = bench_now() - t0;
			res[k].ntimes = (size_t)r + 1;
		}
	}
	printf("{");
	for (k = 0; k < 3; k++)
		bench_print_result(stdout, &res[k], k == 2);
	printf("}\n");
	for (k = 0; k < 3; k++) {
		free(res[k].times);
		free(res[k].answers);
	}
	igraph_vector_int_destroy(&vs);
	igraph_vector_int_destroy(&es);
	igraph_vector_int_destroy(&paths);
	igraph_vector_int_destroy(&sizes);
	igraph_destroy(&g);
	free(qs.q);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "mem") == 0)
		return cmd_mem(argv[2]);
	if (argc == 5 && strcmp(argv[1], "query") == 0)
		return cmd_query(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: igraph_bench mem EDGES\n"
	                "       igraph_bench query EDGES QUERIES REPS\n");
	return 3;
}
