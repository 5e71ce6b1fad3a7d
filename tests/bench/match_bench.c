/*
 * match_bench.c - time kg_match after load: a selective two-hop pattern
 * (from one entity given by id) and a type-wide pattern, each the best of
 * several runs. The NetworkX peer asks the same questions: match_nx.py.
 *
 *   match_bench FILE.yaml [ID]
 *
 * ID defaults to the first person in the file with at least one
 * member_of relation. Prints one line per query: name, rows, ms.
 */
#define _POSIX_C_SOURCE 200809L
#include "kgraph.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(const kg_graph *g, const char *name, const char *query, int reps)
{
	double best = 1e9;
	size_t rows = 0;
	int i;

	for (i = 0; i < reps; i++) {
		kg_match_result *r = NULL;
		double t = now();
		if (kg_match(&r, g, query, NULL, NULL) != KG_OK) {
			fprintf(stderr, "match_bench: %s failed\n", name);
			return;
		}
		t = now() - t;
		if (t < best)
			best = t;
		rows = kg_match_row_count(r) == 1 && kg_match_get(r, 0, 0).kind == KG_MATCH_NUMBER
		               ? (size_t)kg_match_get(r, 0, 0).number
		               : kg_match_row_count(r);
		kg_match_free(r);
	}
	printf("%-10s %10zu rows %10.3f ms  %s\n", name, rows, best * 1e3, query);
}

int main(int argc, char **argv)
{
	kg_graph *g = NULL;
	const char *files[1];
	char id[300] = "", q[600];
	double t;

	if (argc < 2) {
		fprintf(stderr, "usage: match_bench FILE.yaml [ID]\n");
		return 3;
	}
	files[0] = argv[1];
	t = now();
	if (kg_load_files(&g, files, 1, NULL, NULL) != KG_OK)
		return 2;
	printf("load       %.0f ms, %zu entities, %zu relations\n", (now() - t) * 1e3, kg_graph_entity_count(g),
	       kg_graph_relation_count(g));
	if (argc > 2) {
		snprintf(id, sizeof id, "%s", argv[2]);
	} else {
		uint32_t person = kg_graph_find_type(g, "person"), member = kg_graph_find_relation_type(g, "member_of");
		size_t e, n, k;
		for (e = 0; !id[0] && e < kg_graph_entity_count(g); e++) {
			const uint32_t *rels = kg_graph_out(g, (uint32_t)e, &n);
			if (kg_entity_type(g, (uint32_t)e) != person)
				continue;
			for (k = 0; k < n; k++)
				if (kg_relation_type(g, rels[k]) == member)
					snprintf(id, sizeof id, "%s", kg_entity_id(g, (uint32_t)e));
		}
	}
	printf("start      %s\n", id);
	snprintf(q, sizeof q,
	         "MATCH (p {id: \"%s\"})-[:member_of]->(o)<-[:member_of]-(q:person) RETURN q.id, o.id", id);
	run(g, "two-hop", q, 20);
	run(g, "type-wide", "MATCH (p:person)-[:member_of]->(o:organization) RETURN count(*)", 3);
	kg_graph_free(g);
	return 0;
}
