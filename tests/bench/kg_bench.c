/*
 * kg_bench.c - kgraph's side of the benchmark, through the public API only.
 *
 *   kg_bench load FILE [--stats|--only] one load: time, peak RSS, bytes
 *   kg_bench query FILE QUERIES REPS [KIND]  the query batches, REPS times
 *
 * --only loads and stops, and KIND (shortest, all or neighbors) runs one
 * kind of query: for profiling (docs/performance.md).
 *
 * Each prints one JSON line for tests/bench/bench.py. `load` times
 * kg_load_files (parse + build + index) from the file name to a finished
 * graph, and reads the peak RSS before doing anything else, so each load
 * measurement is a process of its own. `query` loads once (not timed),
 * resolves the ids of the .queries file, then times whole batches: 100
 * shortest paths, 10 "all simple paths of at most 4 hops", 10 depth-2
 * neighbourhoods, and reports each answer (path length, path count,
 * neighbourhood size) for bench.py to compare with the peers'.
 */
#include "bench_util.h"

#include "kgraph.h"

#include <stdint.h>

static kg_graph *load(const char *path, kg_load_stats *stats)
{
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *diags = kg_diag_list_new();
	kg_graph *g = NULL;
	int rc;

	opts.stats = stats;
	if (getenv("KGRAPH_PARSE_THREAD")) /* as the command reads it */
		opts.thread = strcmp(getenv("KGRAPH_PARSE_THREAD"), "on") == 0    ? KG_LOAD_THREAD_ON
		              : strcmp(getenv("KGRAPH_PARSE_THREAD"), "off") == 0 ? KG_LOAD_THREAD_OFF
		                                                                  : KG_LOAD_THREAD_AUTO;
	rc = kg_load_files(&g, &path, 1, &opts, diags);
	if (rc != KG_OK) {
		size_t i, n = kg_diag_list_count(diags);
		fprintf(stderr, "kg_bench: %s: %s\n", path, kg_strerror(rc));
		for (i = 0; i < n && i < 10; i++) {
			const kg_diag *d = kg_diag_list_get(diags, i);
			fprintf(stderr, "%s:%u:%u: %s\n", d->where.file ? d->where.file : "", d->where.line,
			        d->where.column, d->message);
		}
		exit(2);
	}
	kg_diag_list_free(diags);
	return g;
}

/* ---- text bytes: the distinct strings the graph gives back ---------- */

typedef struct strset {
	const char **slot;
	size_t nslot, n, bytes;
} strset;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void strset_add(strset *t, const char *s)
{
	size_t i;

	if (!s)
		return;
	if (2 * (t->n + 1) > t->nslot) {
		strset old = *t;
		t->nslot = old.nslot ? 2 * old.nslot : 1024;
		t->slot = calloc(t->nslot, sizeof *t->slot);
		if (!t->slot)
			abort();
		t->n = 0;
		t->bytes = 0;
		for (i = 0; i < old.nslot; i++)
			if (old.slot[i])
				strset_add(t, old.slot[i]);
		free(old.slot);
	}
	for (i = hash_str(s) & (t->nslot - 1); t->slot[i]; i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->slot[i], s) == 0)
			return;
	t->slot[i] = s;
	t->n++;
	t->bytes += strlen(s) + 1;
}

/* Every string reachable through graph.h, each distinct text counted once
 * with its NUL: what "plus text" means in bytes per relation. */
static void text_bytes(const kg_graph *g, size_t *bytes, size_t *count)
{
	strset t = {0};
	size_t i, j;

	strset_add(&t, kg_graph_title(g));
	strset_add(&t, kg_graph_description(g));
	for (i = 0; i < kg_graph_file_count(g); i++)
		strset_add(&t, kg_graph_file(g, i));
	for (i = 0; i < kg_graph_type_count(g); i++) {
		strset_add(&t, kg_type_name(g, (uint32_t)i));
		strset_add(&t, kg_type_label(g, (uint32_t)i));
		for (j = 0; j < kg_type_attr_count(g, (uint32_t)i); j++) {
			kg_attr a = kg_type_attr(g, (uint32_t)i, j);
			strset_add(&t, a.key);
			strset_add(&t, a.value);
		}
	}
	for (i = 0; i < kg_graph_relation_type_count(g); i++) {
		strset_add(&t, kg_relation_type_name(g, (uint32_t)i));
		strset_add(&t, kg_relation_type_label(g, (uint32_t)i));
		for (j = 0; j < kg_relation_type_attr_count(g, (uint32_t)i); j++) {
			kg_attr a = kg_relation_type_attr(g, (uint32_t)i, j);
			strset_add(&t, a.key);
			strset_add(&t, a.value);
		}
	}
	for (i = 0; i < kg_graph_source_count(g); i++) {
		uint32_t s = (uint32_t)i;
		strset_add(&t, kg_source_id(g, s));
		strset_add(&t, kg_source_title(g, s));
		strset_add(&t, kg_source_publisher(g, s));
		strset_add(&t, kg_source_url(g, s));
		strset_add(&t, kg_source_file(g, s));
		for (j = 0; j < kg_source_attr_count(g, s); j++) {
			kg_attr a = kg_source_attr(g, s, j);
			strset_add(&t, a.key);
			strset_add(&t, a.value);
		}
	}
	for (i = 0; i < kg_graph_entity_count(g); i++) {
		uint32_t e = (uint32_t)i;
		strset_add(&t, kg_entity_id(g, e));
		strset_add(&t, kg_entity_name(g, e));
		for (j = 0; j < kg_entity_alias_count(g, e); j++)
			strset_add(&t, kg_entity_alias(g, e, j));
		for (j = 0; j < kg_entity_attr_count(g, e); j++) {
			kg_attr a = kg_entity_attr(g, e, j);
			strset_add(&t, a.key);
			strset_add(&t, a.value);
		}
	}
	for (i = 0; i < kg_graph_relation_count(g); i++) {
		uint32_t r = (uint32_t)i;
		strset_add(&t, kg_relation_quote(g, r));
		for (j = 0; j < kg_relation_attr_count(g, r); j++) {
			kg_attr a = kg_relation_attr(g, r, j);
			strset_add(&t, a.key);
			strset_add(&t, a.value);
		}
	}
	*bytes = t.bytes;
	*count = t.n;
	free(t.slot);
}

static int cmd_load(const char *path, const char *flag)
{
	int stats = flag && strcmp(flag, "--stats") == 0;
	kg_load_stats st = {0};
	size_t before = bench_malloc_in_use(), tb, tn;
	double t0 = bench_now(), c0 = bench_cpu_now(), t1, c1;
	kg_graph *g = load(path, stats ? &st : NULL);
	long maxrss;
	size_t heap;

	t1 = bench_now();
	c1 = bench_cpu_now();
	maxrss = bench_maxrss_kb();
	heap = bench_malloc_in_use() - before;
	if (flag && strcmp(flag, "--only") == 0) {
		printf("{\"seconds\": %.6f}\n", t1 - t0);
		kg_graph_free(g);
		return 0;
	}
	text_bytes(g, &tb, &tn);
	printf("{\"seconds\": %.6f, \"cpu\": %.6f, \"maxrss_kb\": %ld, \"graph_bytes\": %zu, \"malloc_bytes\": %zu, "
	       "\"text_bytes\": %zu, \"strings\": %zu, \"entities\": %zu, \"relations\": %zu, "
	       "\"version\": \"%s\"",
	       t1 - t0, c1 - c0, maxrss, kg_graph_memory(g), heap, tb, tn, kg_graph_entity_count(g),
	       kg_graph_relation_count(g), kg_version());
	if (stats)
		printf(", \"parse\": %.6f, \"build\": %.6f, \"index\": %.6f", st.parse, st.build, st.index);
	printf("}\n");
	kg_graph_free(g);
	return 0;
}

static uint32_t entity(const kg_graph *g, const char *id)
{
	uint32_t e = kg_graph_find_entity(g, id);

	if (e == KG_NONE) {
		fprintf(stderr, "kg_bench: no entity '%s'\n", id);
		exit(2);
	}
	return e;
}

static int cmd_query(const char *path, const char *qpath, int reps, const char *only)
{
	kg_graph *g = load(path, NULL);
	bench_queries qs;
	bench_result res[3] = {{"shortest", 0, 0, 0, 0}, {"all", 0, 0, 0, 0}, {"neighbors", 0, 0, 0, 0}};
	uint32_t *from, *to;
	size_t i, k;
	int r;

	if (bench_read_queries(&qs, qpath))
		return 4;
	from = calloc(qs.n, sizeof *from);
	to = calloc(qs.n, sizeof *to);
	for (i = 0; i < qs.n; i++) {
		from[i] = entity(g, qs.q[i].from_id);
		to[i] = strcmp(qs.q[i].to_id, "-") ? entity(g, qs.q[i].to_id) : KG_NONE;
	}
	for (k = 0; k < 3; k++) {
		res[k].times = calloc((size_t)reps, sizeof(double));
		res[k].answers = calloc(qs.n, sizeof(long));
	}
	for (r = 0; r < reps; r++) {
		for (k = 0; k < 3; k++) {
			double t0 = bench_now();
			size_t na = 0;

			if (only && strcmp(only, res[k].kind) != 0)
				continue;
			for (i = 0; i < qs.n; i++) {
				long answer = -1;

				if (strcmp(qs.q[i].kind, res[k].kind) != 0)
					continue;
				if (k == 0 || k == 1) {
					kg_path_options po = KG_PATH_OPTIONS_INIT;
					kg_paths *p = NULL;
					int rc;

					if (k == 1) {
						po.mode = KG_PATHS_ALL;
						po.max_hops = 4;
						po.limit = KG_MAX_PATH_LIMIT;
					}
					rc = kg_query_paths(&p, g, from[i], to[i], &po, NULL);
					if (rc != KG_OK) {
						fprintf(stderr, "kg_bench: kg_query_paths: %s\n", kg_strerror(rc));
						return 4;
					}
					if (k == 0)
						answer = kg_paths_count(p) ? (long)kg_paths_get(p, 0).nsteps : -1;
					else
						answer = kg_paths_truncated(p) ? -2 : (long)kg_paths_count(p);
					kg_paths_free(p);
				} else {
					kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
					kg_neighbors *n = NULL;

					no.depth = 2;
					if (kg_query_neighbors(&n, g, from[i], &no) != KG_OK) {
						fprintf(stderr, "kg_bench: kg_query_neighbors failed\n");
						return 4;
					}
					answer = (long)kg_neighbors_count(n);
					kg_neighbors_free(n);
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
	free(from);
	free(to);
	free(qs.q);
	kg_graph_free(g);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2], argc == 4 ? argv[3] : NULL);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "query") == 0)
		return cmd_query(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	fprintf(stderr, "usage: kg_bench load FILE [--stats|--only]\n"
	                "       kg_bench query FILE QUERIES REPS [KIND]\n");
	return 3;
}
