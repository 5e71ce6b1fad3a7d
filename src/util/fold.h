/*
 * fold.h - Unicode folding for name lookup (private). fold.c is the only
 * file that includes utf8proc.
 */
#ifndef KG_FOLD_H
#define KG_FOLD_H

#include <stddef.h>

#include "util/util.h"

/* What kg__fold returns when it fails: a lookup of text that is not UTF-8
 * finds nothing, but running out of memory must say so (KG_ENOMEM). */
#define KG__FOLD_INVALID (-1)
#define KG__FOLD_NOMEM (-2)

/* Case-fold and NFC-normalise text for name lookup, into buf (reused
 * between calls). Returns 0, KG__FOLD_INVALID when the text is not valid
 * UTF-8, or KG__FOLD_NOMEM when out of memory. */
int kg__fold(kg__buf *buf, const char *text, size_t len);

#endif
