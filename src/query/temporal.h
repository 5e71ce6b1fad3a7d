/*
 * temporal.h - paths that respect time (private to src/query; temporal.c).
 *
 * Kept out of query_internal.h so that the searches which know nothing
 * of time need not change for it: query.c calls these three functions.
 */
#ifndef KG_QUERY_TEMPORAL_H
#define KG_QUERY_TEMPORAL_H

#include "query/query_internal.h"

/* Does opts ask for a time-respecting search, and if so, is it one this
 * library can answer (no weight; earliest only for one path)? */
bool kg__path_is_temporal(const kg_path_options *opts);
bool kg__temporal_options_ok(const kg_path_options *opts);

/* The paths opts asks for, respecting time (docs/time.md), into out, at
 * most limit of them (with truncation as kg_query_paths says). from != to.
 * 0 or KG_ENOMEM. */
int kg__temporal_paths(ctx *c, kg_paths *out, uint32_t from, uint32_t to, const kg_path_options *opts, size_t limit);

#endif
