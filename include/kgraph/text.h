/*
 * kgraph/text.h - text from a graph made fit for a terminal.
 *
 * A graph file may come from someone who means harm (docs/limits.md): a
 * name holding a newline and "/etc/passwd:1:1: error: ..." would forge a
 * line of a diagnostic, and an escape sequence would drive the terminal.
 * kg_diag_format and the kgraph command write every string from a graph
 * (and every file name) through kg_text_escape, and align columns by
 * kg_text_width.
 */
#ifndef KGRAPH_TEXT_H
#define KGRAPH_TEXT_H

#include "kgraph/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** kg_text_escape flag: write each character that would be escaped as one
 * space instead (a TSV cell, which has no escapes). */
#define KG_TEXT_SPACES 1u

/**
 * Copy the len bytes of s into out with every character that could
 * break a line or drive a terminal written visibly:
 * - C0 controls and DEL as `\n`, `\r`, `\t`, `\e` (ESC) or `\xHH`;
 * - C1 controls (U+0080 to U+009F, such as U+009B, a one-character CSI,
 *   and U+0085, NEL) and the line and paragraph separators U+2028 and
 *   U+2029 as `\uHHHH`;
 * - a byte that does not belong to valid UTF-8 as `\xHH`.
 * Everything else, backslashes included, is copied as it is, so text
 * without such characters comes out unchanged.
 *
 * @param out   receives at most cap bytes, NUL-terminated when cap > 0
 *              (like snprintf); may be NULL when cap is 0
 * @param flags 0, or KG_TEXT_SPACES
 * @return the length of the whole escaped text (without its NUL): when
 *         it is cap or more, out holds only its beginning.
 * O(len). Any thread.
 */
KG_EXPORT size_t kg_text_escape(char *out, size_t cap, const char *s, size_t len, unsigned flags);

/**
 * The columns the UTF-8 text s (len bytes) takes on a terminal: 2 for a
 * wide East Asian character, 0 for a combining mark, 1 for others and for
 * each byte that is not valid UTF-8. Meant for text kg_text_escape wrote
 * (control characters count 0). O(len). Any thread.
 */
KG_EXPORT size_t kg_text_width(const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
