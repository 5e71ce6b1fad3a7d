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

#endif
