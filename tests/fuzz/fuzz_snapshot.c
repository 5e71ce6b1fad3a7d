/*
 * fuzz_snapshot.c - libFuzzer target: bytes -> snapshot file -> graph,
 * then every accessor on every record, and questions to the graph (a
 * shortest path, all paths, a neighbourhood, name lookups, suggestions).
 *
 * Each input is opened as it is, checksums verified, and with the
 * header's and the section table's checksums made right, so that the
 * fuzzer reaches the structural checks (validate.c) instead of stopping
 * at a checksum: a hostile writer can always make the checksums right;
 * that copy both checked whole and read lazily (checked as it is read),
 * and what passes the whole check must read lazily without damage.
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz
 * SECONDS snapshot), and always as fuzz_snapshot_replay, which runs the
 * regression corpus, and snapshot_flip (flip.c), which runs every
 * one-byte change of a small snapshot (ctest snapshot.flip_every_byte).
 */
#define _POSIX_C_SOURCE 200809L
#include "kgraph.h"
#include "snapshot/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void touch_attr(kg_attr a)
{
	touch(a.key);
	touch(a.value);
}

/* Every accessor of graph.h on every record, as the printers call them. */
static void read_all(const kg_graph *g)
{
	size_t i, j, n;
	double w;

	touch(kg_graph_title(g));
	touch(kg_graph_description(g));
	for (i = 0; i < kg_graph_file_count(g); i++)
		touch(kg_graph_file(g, i));
	for (i = 0; i < kg_graph_type_count(g); i++) {
		touch(kg_type_name(g, (uint32_t)i));
		touch(kg_type_label(g, (uint32_t)i));
		for (j = 0; j < kg_type_attr_count(g, (uint32_t)i); j++)
			touch_attr(kg_type_attr(g, (uint32_t)i, j));
		touch(kg_type_location(g, (uint32_t)i).file);
	}
	for (i = 0; i < kg_graph_relation_type_count(g); i++) {
		touch(kg_relation_type_name(g, (uint32_t)i));
		touch(kg_relation_type_label(g, (uint32_t)i));
		for (j = 0; j < kg_relation_type_from_count(g, (uint32_t)i); j++)
			touch(kg_type_name(g, kg_relation_type_from(g, (uint32_t)i, j)));
		for (j = 0; j < kg_relation_type_to_count(g, (uint32_t)i); j++)
			touch(kg_type_name(g, kg_relation_type_to(g, (uint32_t)i, j)));
		for (j = 0; j < kg_relation_type_attr_count(g, (uint32_t)i); j++)
			touch_attr(kg_relation_type_attr(g, (uint32_t)i, j));
		touch(kg_relation_type_location(g, (uint32_t)i).file);
	}
	for (i = 0; i < kg_graph_source_count(g); i++) {
		touch(kg_source_id(g, (uint32_t)i));
		touch(kg_source_title(g, (uint32_t)i));
		touch(kg_source_url(g, (uint32_t)i));
		for (j = 0; j < kg_source_attr_count(g, (uint32_t)i); j++)
			touch_attr(kg_source_attr(g, (uint32_t)i, j));
		touch(kg_source_location(g, (uint32_t)i).file);
	}
	for (i = 0; i < kg_graph_entity_count(g); i++) {
		touch(kg_entity_id(g, (uint32_t)i));
		touch(kg_entity_name(g, (uint32_t)i));
		touch(kg_type_name(g, kg_entity_type(g, (uint32_t)i)));
		for (j = 0; j < kg_entity_alias_count(g, (uint32_t)i); j++)
			touch(kg_entity_alias(g, (uint32_t)i, j));
		for (j = 0; j < kg_entity_attr_count(g, (uint32_t)i); j++)
			touch_attr(kg_entity_attr(g, (uint32_t)i, j));
		touch(kg_entity_location(g, (uint32_t)i).file);
		sink += kg_graph_find_entity(g, kg_entity_id(g, (uint32_t)i));
		kg_graph_out(g, (uint32_t)i, &n);
		kg_graph_in(g, (uint32_t)i, &n);
	}
	for (i = 0; i < kg_graph_relation_count(g); i++) {
		uint32_t r = (uint32_t)i, s = kg_relation_source(g, r);
		touch(kg_entity_id(g, kg_relation_from(g, r)));
		touch(kg_entity_id(g, kg_relation_to(g, r)));
		touch(kg_relation_type_name(g, kg_relation_type(g, r)));
		touch(kg_relation_quote(g, r));
		if (s != KG_NONE)
			touch(kg_source_id(g, s));
		for (j = 0; j < kg_relation_attr_count(g, r); j++)
			touch_attr(kg_relation_attr(g, r, j));
		sink += kg_relation_weight(g, r, &w);
		touch(kg_relation_location(g, r).file);
	}
}

static void ask(const kg_graph *g)
{
	size_t n = kg_graph_entity_count(g);
	kg_path_options po = KG_PATH_OPTIONS_INIT;
	kg_neighbor_options no = KG_NEIGHBOR_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	kg_paths *p = NULL;
	kg_neighbors *nb = NULL;
	uint32_t e;

	read_all(g);
	if (d)
		kg_check_warnings(NULL, g, d);
	kg_diag_list_free(d);
	kg_graph_resolve(&e, NULL, NULL, g, "Ada");
	kg_graph_suggest_entity(g, "x");
	kg_graph_find_type(g, "person");
	kg_graph_find_source(g, "memo");
	if (!n)
		return;
	kg_query_paths(&p, g, 0, (uint32_t)(n - 1), &po, NULL);
	kg_paths_free(p);
	po.mode = KG_PATHS_ALL;
	po.max_hops = 4;
	po.limit = 50;
	kg_query_paths(&p, g, (uint32_t)(n - 1), 0, &po, NULL);
	kg_paths_free(p);
	no.depth = 2;
	kg_query_neighbors(&nb, g, (uint32_t)(n / 2), &no);
	kg_neighbors_free(nb);
	kg_graph_resolve(&e, NULL, NULL, g, kg_entity_name(g, 0));
}

enum depth { VERIFY, CHECK_ALL, LAZY };

/* Open bytes as a snapshot file; on success, read and ask everything.
 * Whether it opened, and in *damaged whether the reads found damage. */
static bool open_bytes(const uint8_t *data, size_t size, enum depth depth, bool *damaged)
{
	bool opened = false;
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	char path[64];
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = NULL;
	FILE *f;

	snprintf(path, sizeof path, "/tmp/fuzz_snapshot.%ld", (long)getpid());
	f = fopen(path, "wb");
	if (!f || !d || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		kg_diag_list_free(d);
		abort();
	}
	so.verify = depth == VERIFY;
	so.check_all = depth == CHECK_ALL;
	*damaged = false;
	if (kg_snapshot_open(&g, path, &so, d) == KG_OK) {
		opened = true;
		ask(g);
		kg_snapshot_stale(g, d);
		*damaged = kg_graph_damage(g) != NULL;
		/* Checked whole, nothing is left to find. */
		if (depth != LAZY && *damaged)
			abort();
	}
	kg_graph_free(g);
	kg_diag_list_free(d);
	unlink(path);
	return opened;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t head = sizeof(kg__snap_header) + KG__S_COUNT * sizeof(kg__snap_section);
	kg__snap_header h;
	uint8_t *copy;
	bool whole, lazy, damaged;

	open_bytes(data, size, VERIFY, &damaged);
	if (size < head || !(copy = malloc(size)))
		return 0;
	memcpy(copy, data, size);
	memcpy(&h, copy, sizeof h);
	h.table_hash = kg__hash(copy + sizeof h, head - sizeof h);
	h.header_hash = 0;
	h.header_hash = kg__hash(&h, sizeof h);
	memcpy(copy, &h, sizeof h);
	whole = open_bytes(copy, size, CHECK_ALL, &damaged);
	lazy = open_bytes(copy, size, LAZY, &damaged);
	/* What passes every check when opened reads without damage when
	 * checked as it is read; and opening lazily refuses nothing the whole
	 * check accepts. */
	if (whole && (!lazy || damaged))
		abort();
	free(copy);
	return 0;
}
