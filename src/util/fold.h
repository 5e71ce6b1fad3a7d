/*
 * fold.h - Unicode folding for name lookup and quote matching (private). fold.c is the only
 * file that includes utf8proc.
 */
#ifndef KG_FOLD_H
#define KG_FOLD_H

#include <stdbool.h>
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

/* The looser key of a search: compatibility-decomposed, case-folded,
 * marks (accents) stripped, Unicode dashes and spaces as their ASCII
 * forms, so that "munchen" finds "München" and "istanbul" "İstanbul".
 * Into buf (replaced, NUL-terminated). 0, KG__FOLD_INVALID or
 * KG__FOLD_NOMEM. O(len). */
int kg__fold_search(kg__buf *buf, const char *text, size_t len);

/* Is c part of a word of folded search text? Letters, digits, and every
 * byte of 0x80 and above (what folded non-Latin scripts are made of). */
static inline bool kg__is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The words of folded search text q, separated by single spaces, into
 * words (NUL-terminated); returns how many, or (size_t)-1 when out of
 * memory. kg_query_search matches by them, and a database search
 * selects its candidates by them. */
size_t kg__search_words(kg__buf *words, const char *q);

/* Text as a quote is compared with its source when copying from a web page
 * or a PDF changed its typography: NFC-normalised; curly quotes, primes
 * and guillemets as ' or "; hyphens, dashes and the minus sign as -; every
 * Unicode space and line break as one space (runs folded, ends trimmed);
 * soft hyphens and zero-width characters dropped. Case is kept. Bytes that
 * are not UTF-8 are kept as they are. Into buf (replaced). 0 or
 * KG__FOLD_NOMEM. O(len). */
int kg__fold_typography(kg__buf *buf, const char *text, size_t len);

#endif
