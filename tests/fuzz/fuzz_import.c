/*
 * fuzz_import.c - libFuzzer target: bytes -> kgraph import -> graph ->
 * kgraph YAML -> graph again. Whatever the JSON reader accepts must map
 * onto YAML that loads (kg__build_finish calls a load failure a bug, so
 * an import that returns KG_EINVALID without an error of its own aborts),
 * and the graph exported as YAML must load back with the same counts.
 *
 * One target for every import format: the first byte chooses it ('c':
 * csv, 'f': ftm, 'g': graphml, anything else: json); the rest of the input
 * is the file.
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz
 * SECONDS import), and always as fuzz_import_replay, which runs the
 * regression corpus (tests/fuzz/regressions-import) under ctest.
 */
#include "kgraph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct out {
	char *p;
	size_t n;
} out;

static int collect(void *ctx, const char *part, const void *data, size_t len)
{
	out *o = ctx;
	char *p = realloc(o->p, o->n + len + 1);

	(void)part;
	if (!p)
		return -1;
	memcpy(p + o->n, data, len);
	o->p = p;
	o->n += len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kg_import_options io = KG_IMPORT_OPTIONS_INIT;
	kg_export_options eo = KG_EXPORT_OPTIONS_INIT;
	kg_diag_list *d = kg_diag_list_new();
	kg_graph *g = NULL, *g2 = NULL;
	out o = {NULL, 0};
	int rc;

	if (!d || !size) {
		kg_diag_list_free(d);
		return 0;
	}
	io.format = data[0] == 'c' ? KG_IMPORT_CSV : data[0] == 'f' ? KG_IMPORT_FTM : data[0] == 'g' ? KG_IMPORT_GRAPHML : KG_IMPORT_JSON;
	rc = kg_import_string(&g, NULL, "fuzz.json", (const char *)data + 1, size - 1, &io, d);
	if (rc == KG_EINVALID && !kg_diag_list_count_severity(d, KG_SEV_ERROR))
		abort();
	if (rc == KG_OK) {
		/* the mapping loaded: a load failure would have been reported as
		 * a bug, so check that message never appears */
		eo.format = KG_EXPORT_YAML;
		eo.write = collect;
		eo.write_ctx = &o;
		if (kg_export(g, &eo, NULL) == KG_OK) {
			rc = kg_load_string(&g2, "again.yaml", o.p ? o.p : "", o.n, NULL, NULL);
			if (rc != KG_ENOMEM &&
			    (rc != KG_OK || kg_graph_entity_count(g2) != kg_graph_entity_count(g) ||
			     kg_graph_relation_count(g2) != kg_graph_relation_count(g)))
				abort();
		}
	} else if (rc == KG_EINVALID) {
		size_t i;
		for (i = 0; i < kg_diag_list_count(d); i++)
			if (strncmp(kg_diag_list_get(d, i)->message, "import: the imported graph does not load", 40) == 0)
				abort(); /* a prefix: the input's own text may say anything after it */
	}
	free(o.p);
	kg_graph_free(g2);
	kg_graph_free(g);
	kg_diag_list_free(d);
	return 0;
}
