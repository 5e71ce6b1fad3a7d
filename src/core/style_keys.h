/*
 * style_keys.h - the style-key allowlist (private), shared by kgraph check
 * and kg_render.
 *
 * Types and relation types may carry Graphviz attributes as styles; only
 * allowlisted keys with checked values may reach Graphviz (some
 * attributes read files, others crash it). Keeping the one check here,
 * below both, lets `check` reject exactly what `render` would, with the
 * same words, without depending on rendering.
 */
#ifndef KG_CORE_STYLE_KEYS_H
#define KG_CORE_STYLE_KEYS_H

#include "kgraph/diag.h"
#include "kgraph/graph.h"

/* Check the style keys of every entity type and relation type, adding an
 * error for each problem at the type's declaration, whose message names
 * the type ("type 'person': unknown style key 'colr'"), with a
 * did-you-mean hint where one helps. Returns KG_OK, KG_EINVALID (an error
 * was added), or KG_ENOMEM. O(style keys x allowlist). */
int kg__style_check_graph(const kg_graph *g, kg_diag_list *diags);

#endif
