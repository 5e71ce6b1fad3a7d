/*
 * fold.h - Unicode folding for name lookup (private). fold.c is the only
 * file that includes utf8proc.
 */
#ifndef KG_FOLD_H
#define KG_FOLD_H

#include <stddef.h>

#include "util/util.h"

/* Case-fold and NFC-normalise text for name lookup, into buf (reused
 * between calls). Returns 0, or -1 when out of memory or the text is not
 * valid UTF-8. */
int kg__fold(kg__buf *buf, const char *text, size_t len);

#endif
