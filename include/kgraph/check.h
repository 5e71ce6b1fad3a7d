/*
 * kgraph/check.h - validation beyond what loading requires: warnings about
 * likely mistakes, and checking quotes against the documents they cite.
 *
 * The functions only read the graph and append diagnostics: several
 * threads may check one graph at once, each with its own kg_diag_list.
 */
#ifndef KGRAPH_CHECK_H
#define KGRAPH_CHECK_H

#include "kgraph/visibility.h"

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Append a warning for each likely mistake: an entity with no relations,
 * a source that no relation cites, and a relation type used once whose
 * name is close to another relation type's (a likely typo).
 *
 * @param nadded  receives the number of warnings added (may be NULL)
 * @return KG_OK or KG_ENOMEM.
 * O(entities + relations + relation types^2).
 */
KG_EXPORT int kg_check_warnings(size_t *nadded, const kg_graph *g, kg_diag_list *diags);

/**
 * Check the style keys of every entity type and relation type (their keys
 * other than `label:`, which are Graphviz attributes) against the
 * allowlist kg_render applies, with the same errors: an unknown key (with
 * a did-you-mean hint), a key refused outright (with the reason), a value
 * of the wrong kind or out of range. So a graph that passes this check can
 * be drawn.
 *
 * @return KG_OK; KG_EINVALID when an error was added; KG_ENOMEM;
 *         KG_EARG when g is NULL.
 * O(style keys x allowed keys).
 */
KG_EXPORT int kg_check_styles(const kg_graph *g, kg_diag_list *diags);

/** A source's text named by the caller, overriding its `file:`. */
typedef struct kg_source_text {
	const char *source; /**< source id */
	const char *file;   /**< path of a UTF-8 text file */
} kg_source_text;

/** What kg_check_quotes did. */
typedef struct kg_quote_counts {
	size_t checked;     /**< quotes compared with their source's text */
	size_t found;       /**< of those, found */
	size_t typographic; /**< of those found, found only with typography folded */
	size_t unchecked;   /**< quotes that could not be compared (no source, no text) */
	size_t sources;     /**< sources whose text was read */
	size_t errors;      /**< errors added to the list */
} kg_quote_counts;

/**
 * Check that every relation's `quote:` occurs word for word in the text of
 * the source it cites, after folding each run of white space to one space.
 * A quote not found that way is looked for again with typography folded
 * (what copying from a web page or a PDF changes: curly and straight
 * quotes, hyphens and dashes, no-break and other Unicode spaces, composed
 * and decomposed accents); found so, it gets a warning that says so.
 * "..." or "…" in a quote stands for omitted words: the pieces around it
 * must occur in that order. The text comes from overrides (matched by
 * source id), else from the source's `file:`.
 *
 * Adds an error for each quote not found, and a warning for each quote that
 * cannot be checked (no source, or a source without text). An override for
 * an unknown source, or a text file that cannot be read, is an error too.
 *
 * @param counts  receives what was checked and found (may be NULL);
 *                counts->errors is 0 when every checkable quote was found
 * @return KG_OK; KG_EIO when a source's text could not be read (the
 *         other quotes are still checked, and the failure is one of the
 *         errors added); or KG_ENOMEM.
 * O(T + Q) for texts of total size T and quotes of total size Q, times the
 * number of sources one text serves: each quote is found by one linear
 * Knuth-Morris-Pratt pass over its source's text, whatever the input.
 */
KG_EXPORT int kg_check_quotes(kg_quote_counts *counts, const kg_graph *g, const kg_source_text *overrides,
                              size_t noverrides, kg_diag_list *diags);

#ifdef __cplusplus
}
#endif

#endif
