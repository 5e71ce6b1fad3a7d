/* test_threads.c - one loaded graph read from several threads at once, as
 * kgraph/common.h promises is safe: paths (each mode), neighbourhoods,
 * lookups with Unicode folding, suggestions and warnings, each thread with
 * its own results and diagnostics, and loads of separate graphs running
 * side by side. Every thread must get exactly the answers one thread gets
 * alone. scripts/test runs this under ThreadSanitizer, where any data race
 * fails it; also a snapshot whose adjacency is checked in a second
 * thread. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "test_common.h"
#include "kgraph/snapshot.h"
#include "snapshot/format.h"
#include "snapshot/validate.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define NTHREADS 4
#define NENTITIES 240
#define NQUERIES 40

static kg_graph *shared;
static char *yaml_text;
/* test_load_options() writes a static: called once, before the threads. */
static kg_load_options load_opts;

/* A graph with a ring, chords, weights, names that need folding, and a
 * symmetric relation type. */
static char *make_yaml(void)
{
	size_t cap = 160 * NENTITIES + 4096, n = 0, i;
	char *s = malloc(cap);

	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n, "relation_types:\n  knows: {symmetric: true}\nentities:\n");
	for (i = 0; i < NENTITIES; i++)
		n += (size_t)snprintf(s + n, cap - n, "  e%zu: {type: %s, name: \"Ёлка %zu\"}\n", i,
		                      i % 3 ? "person" : "place", i);
	n += (size_t)snprintf(s + n, cap - n, "relations:\n");
	for (i = 0; i < NENTITIES; i++) {
		n += (size_t)snprintf(s + n, cap - n, "  - [e%zu, next, e%zu, {weight: %zu}]\n", i,
		                      (i + 1) % NENTITIES, 1 + i % 4);
		n += (size_t)snprintf(s + n, cap - n, "  - [e%zu, %s, e%zu]\n", i, i % 2 ? "knows" : "funds",
		                      (i * 7 + 3) % NENTITIES);
	}
	assert_true(n < cap);
	return s;
}

/* Ask the shared graph the same questions every thread asks, and fold the
 * answers into one number that differs when any answer does. */
static uint64_t ask(const kg_graph *g)
{
	uint64_t sum = 0;
	unsigned q;

	for (q = 0; q < NQUERIES; q++) {
		uint32_t from = (q * 13) % NENTITIES, to = (q * 29 + 7) % NENTITIES, e;
		kg_path_options po = KG_PATH_OPTIONS_INIT;
		kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
		kg_paths *p;
		kg_neighbors *nb;
		kg_diag_list *d;
		char name[32];
		size_t i;
		int mode;

		for (mode = 0; mode < 3; mode++) {
			po.mode = mode == 2 ? KG_PATHS_K_SHORTEST : KG_PATHS_SHORTEST;
			po.k = 3;
			po.weight = mode == 1 ? "weight" : NULL;
			assert_int_equal(kg_query_paths(&p, g, from, to, &po, NULL), KG_OK);
			for (i = 0; i < kg_paths_count(p); i++) {
				kg_path path = kg_paths_get(p, i);
				sum = sum * 31 + path.nsteps + (uint64_t)path.weight;
				if (path.nsteps)
					sum = sum * 31 + path.steps[path.nsteps - 1].relation;
			}
			kg_paths_free(p);
		}
		no.depth = 2;
		assert_int_equal(kg_query_neighbors(&nb, g, from, &no), KG_OK);
		for (i = 0; i < kg_neighbors_count(nb); i++)
			sum = sum * 31 + kg_neighbors_get(nb, i)->entity;
		kg_neighbors_free(nb);

		snprintf(name, sizeof name, "ЁЛКА %u", (unsigned)to);
		assert_int_equal(kg_graph_resolve(&e, NULL, NULL, g, name), KG_OK);
		assert_int_equal(e, to);
		assert_int_equal(kg_graph_find_entity(g, "e5"), 5);
		assert_string_equal(kg_graph_suggest_entity(g, "e5x"), "e5");

		d = kg_diag_list_new();
		assert_non_null(d);
		assert_int_equal(kg_check_warnings(NULL, g, d), KG_OK);
		sum = sum * 31 + kg_diag_list_count(d);
		kg_diag_list_free(d);
	}
	return sum;
}

static void *reader(void *arg)
{
	uint64_t *out = arg;
	kg_graph *own;
	kg_diag_list *d = kg_diag_list_new();

	*out = ask(shared);
	/* A load of another graph beside the readers. */
	if (d && kg_load_string(&own, "own.yaml", yaml_text, strlen(yaml_text), &load_opts, d) == KG_OK) {
		if (ask(own) != *out)
			*out = 0;
		kg_graph_free(own);
	} else {
		*out = 0;
	}
	kg_diag_list_free(d);
	return NULL;
}

static void test_threads__one_graph_many_readers(void **state)
{
	pthread_t t[NTHREADS];
	uint64_t got[NTHREADS], want;
	kg_diag_list *d;
	int i;
	(void)state;

	yaml_text = make_yaml();
	load_opts = *test_load_options();
	d = kg_diag_list_new();
	assert_non_null(d);
	assert_int_equal(kg_load_string(&shared, "t.yaml", yaml_text, strlen(yaml_text), &load_opts, d),
	                 KG_OK);
	want = ask(shared);
	assert_true(want != 0);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &got[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(got[i] == want);
	}
	kg_graph_free(shared);
	kg_diag_list_free(d);
	free(yaml_text);
}

/* Every adjacency list of the shared graph, read by several threads at
 * once: a snapshot read lazily checks each list the first time. */
static void *list_reader(void *arg)
{
	size_t i, n, *total = arg;

	*total = 0;
	for (i = 0; i < kg_graph_entity_count(shared); i++) {
		kg_graph_out(shared, (uint32_t)i, &n);
		*total += n;
		kg_graph_in(shared, (uint32_t)i, &n);
		*total += n;
	}
	return NULL;
}

static void *lazy_reader(void *arg)
{
	uint64_t *out = arg;

	*out = ask(shared);
	return NULL;
}

static int damage_calls;

static void count_damage(void *data, const char *why)
{
	(void)data;
	(void)why;
	__atomic_fetch_add(&damage_calls, 1, __ATOMIC_RELAXED);
}

/* A snapshot checked whole, its adjacency in a second thread (the
 * threshold lowered for the test), and the same snapshot read lazily by
 * several threads at once: the same answers as the loaded graph. Once an
 * adjacency slot is changed, checked whole it is refused with the
 * thread's reason; read lazily, the threads that read the list find it
 * and the graph says why, once. scripts/test runs this under
 * ThreadSanitizer too. */
static void test_threads__snapshot_checked_in_two_threads(void **state)
{
	char path[] = "/tmp/kgraph-test-threads-XXXXXX";
	kg__snap_header h;
	kg__snap_section sec;
	kg_graph *g, *s;
	kg_diag_list *d = kg_diag_list_new();
	kg_snapshot_options all = KG_SNAPSHOT_OPTIONS_INIT, lazy = KG_SNAPSHOT_OPTIONS_INIT;
	uint32_t saved = kg__snap_csr_thread_min, slot[2];
	pthread_t t[NTHREADS];
	uint64_t got[NTHREADS], want;
	size_t seen[NTHREADS];
	int fd = mkstemp(path), i;
	FILE *f;
	(void)state;

	all.check_all = true;
	lazy.on_damage = count_damage;

	assert_true(fd >= 0);
	close(fd);
	yaml_text = make_yaml();
	load_opts = *test_load_options();
	assert_int_equal(kg_load_string(&g, "t.yaml", yaml_text, strlen(yaml_text), &load_opts, d), KG_OK);
	assert_int_equal(kg_snapshot_write(g, path, NULL, d), KG_OK);
	kg__snap_csr_thread_min = 0;
	assert_int_equal(kg_snapshot_open(&s, path, &all, d), KG_OK);
	want = ask(g);
	assert_true(ask(s) == want);
	kg_graph_free(s);
	assert_int_equal(kg_snapshot_open(&shared, path, &lazy, d), KG_OK);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, lazy_reader, &got[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(got[i] == want);
	}
	assert_null(kg_graph_damage(shared));
	assert_int_equal(damage_calls, 0);
	kg_graph_free(shared);
	/* Repeat the first outgoing slot in the second: each slot still names
	 * a relation, but one relation is listed twice and another not. */
	assert_non_null(f = fopen(path, "r+b"));
	assert_int_equal(fread(&h, sizeof h, 1, f), 1);
	assert_int_equal(fseek(f, (long)(sizeof h + KG__S_OUT_REL * sizeof sec), SEEK_SET), 0);
	assert_int_equal(fread(&sec, sizeof sec, 1, f), 1);
	assert_int_equal(fseek(f, (long)sec.offset, SEEK_SET), 0);
	assert_int_equal(fread(slot, sizeof slot, 1, f), 1);
	assert_int_not_equal(slot[0], slot[1]);
	slot[1] = slot[0];
	assert_int_equal(fseek(f, (long)sec.offset, SEEK_SET), 0);
	assert_int_equal(fwrite(slot, sizeof slot, 1, f), 1);
	assert_int_equal(fclose(f), 0);
	s = NULL;
	assert_int_equal(kg_snapshot_open(&s, path, &all, d), KG_EINVALID);
	assert_null(s);
	assert_non_null(strstr(kg_diag_list_get(d, kg_diag_list_count(d) - 1)->message, "adjacency"));
	assert_int_equal(kg_snapshot_open(&shared, path, &lazy, d), KG_OK);
	assert_null(kg_graph_damage(shared));
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, list_reader, &seen[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		/* The damaged list reads as empty. */
		assert_true(seen[i] < 2 * kg_graph_relation_count(shared));
	}
	assert_non_null(kg_graph_damage(shared));
	assert_non_null(strstr(kg_graph_damage(shared), "outgoing adjacency of entity"));
	assert_int_equal(damage_calls, 1);
	kg_graph_free(shared);
	kg__snap_csr_thread_min = saved;
	unlink(path);
	kg_graph_free(g);
	kg_diag_list_free(d);
	free(yaml_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads__one_graph_many_readers),
		cmocka_unit_test(test_threads__snapshot_checked_in_two_threads),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
