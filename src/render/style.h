/*
 * style.h - the style-key allowlist (private).
 *
 * Types and relation types may carry Graphviz attributes as styles; only
 * allowlisted keys with checked values reach Graphviz (some attributes
 * read files, others crash it). This one function is the allowlist's
 * whole interface, so that another module (kgraph check) can apply the
 * same rules without seeing the tables.
 */
#ifndef KG_RENDER_STYLE_H
#define KG_RENDER_STYLE_H

#include "kgraph/diag.h"
#include "kgraph/graph.h"

#include <stdbool.h>

/* Check one style key and value of an entity type (edge = false: node
 * attributes) or a relation type (edge = true). A problem becomes an
 * error at `at` (may be NULL) whose message starts with prefix (e.g.
 * "type 'person': "), with a did-you-mean hint where one helps.
 * Returns KG_OK, KG_EINVALID, or KG_ENOMEM (the diagnostic could not be
 * added). */
int kg__style_check(kg_diag_list *diags, const kg_location *at, const char *prefix, kg_attr a, bool edge);

#endif
