/*
 * import_internal.h - one reader per input format, over the builder
 * (private).
 */
#ifndef KG_IMPORT_INTERNAL_H
#define KG_IMPORT_INTERNAL_H

#include "import/build.h"
#include "import/json.h"

/* Node-link JSON (nodelink.c). KG_OK, KG_EINVALID (diagnostics in b),
 * KG_ENOMEM. */
int kg__import_nodelink(kg__build *b, const kg__jval *doc, const kg_import_options *o);

/* CSV tables (csv.c): n files, names[i] holding len[i] bytes at data[i],
 * read together (entities before relations). */
int kg__import_csv(kg__build *b, const char *const *names, const char *const *data, const size_t *len, size_t n,
                   const kg_import_options *o);

/* GraphML (graphml.c, the only user of libexpat). */
int kg__import_graphml(kg__build *b, const char *data, size_t len, const kg_import_options *o);

/* FollowTheMoney JSON lines (ftm.c). */
int kg__import_ftm(kg__build *b, const char *data, size_t len, const kg_import_options *o);

#endif
