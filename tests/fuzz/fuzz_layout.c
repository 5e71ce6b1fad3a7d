/*
 * fuzz_layout.c - libFuzzer target: bytes -> layout file (render
 * --layout) -> every position looked up, and written back as text that
 * must read back to the same bytes.
 *
 * Built as a libFuzzer target with -DKGRAPH_FUZZ=ON (scripts/fuzz
 * SECONDS layout), and always as fuzz_layout_replay, which runs the
 * regression corpus tests/fuzz/regressions-layout (ctest
 * fuzz.layout.regressions).
 */
#include "kgraph.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kg_diag_list *diags = kg_diag_list_new();
	kg_render_layout *l = NULL, *again = NULL;
	unsigned char *text = NULL, *text2 = NULL;
	size_t len = 0, len2 = 0;

	if (!diags)
		return 0;
	if (kg_render_layout_parse(&l, (const char *)data, size, "fuzz.layout", diags) == KG_OK &&
	    kg_render_layout_format(&text, &len, l) == KG_OK) {
		/* what is written reads back, and writes the same again */
		if (kg_render_layout_parse(&again, (const char *)text, len, NULL, NULL) != KG_OK ||
		    kg_render_layout_count(again) != kg_render_layout_count(l) ||
		    kg_render_layout_format(&text2, &len2, again) != KG_OK || len2 != len || memcmp(text, text2, len))
			abort();
	}
	kg_render_free(text);
	kg_render_free(text2);
	kg_render_layout_free(l);
	kg_render_layout_free(again);
	kg_diag_list_free(diags);
	return 0;
}
