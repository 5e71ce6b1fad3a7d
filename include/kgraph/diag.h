/*
 * kgraph/diag.h - diagnostics: what went wrong, and where.
 *
 * The library never prints. Loading and checking append diagnostics to a
 * kg_diag_list that the caller creates and frees; the caller decides how
 * to show them (the kgraph CLI prints them like a compiler does).
 * Lines and columns are 1-based; columns count Unicode characters, not
 * bytes. A line of 0 means the diagnostic is about a whole file (or about
 * no file at all, when file is NULL).
 */
#ifndef KGRAPH_DIAG_H
#define KGRAPH_DIAG_H

#include "kgraph/visibility.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kg_severity {
	KG_SEV_ERROR = 0,
	KG_SEV_WARNING = 1,
	KG_SEV_NOTE = 2
} kg_severity;

/** A place in an input file. */
typedef struct kg_location {
	const char *file; /**< as the user named it; NULL if none */
	unsigned line;    /**< 1-based; 0 if unknown */
	unsigned column;  /**< 1-based, in characters; 0 if unknown */
} kg_location;

/** One diagnostic. All strings are owned by the list that holds it. */
typedef struct kg_diag {
	kg_severity severity;
	kg_location where;
	const char *message;     /**< one line, no trailing period */
	const char *hint;        /**< e.g. "did you mean 'biden'?", or NULL */
	const char *source_line; /**< text of where.line without its newline, or NULL */
	kg_location related;     /**< e.g. the first definition of a duplicate; file NULL if none */
	const char *related_message; /**< e.g. "first defined here", or NULL */
} kg_diag;

typedef struct kg_diag_list kg_diag_list;

/** Create an empty list. Returns NULL when out of memory. */
KG_EXPORT kg_diag_list *kg_diag_list_new(void);

/** Free the list and every string in it. NULL is a no-op. */
KG_EXPORT void kg_diag_list_free(kg_diag_list *list);

/** Number of diagnostics in the list. */
KG_EXPORT size_t kg_diag_list_count(const kg_diag_list *list);

/** Number of diagnostics of the given severity. */
KG_EXPORT size_t kg_diag_list_count_severity(const kg_diag_list *list, kg_severity severity);

/** The i-th diagnostic, borrowed from the list; NULL if i is out of range.
 * The pointer stays valid until the list is freed or appended to. */
KG_EXPORT const kg_diag *kg_diag_list_get(const kg_diag_list *list, size_t i);

/**
 * Append a diagnostic; every string is copied. hint, related_message and
 * source_line may be NULL; related may be NULL. Returns KG_OK or KG_ENOMEM.
 */
KG_EXPORT int kg_diag_list_add(kg_diag_list *list, kg_severity severity,
                     const kg_location *where, const char *message,
                     const char *hint, const kg_location *related,
                     const char *related_message);

/**
 * Fill in the source line of every diagnostic that has a file and a line
 * but no source line yet, reading each such file once (files that cannot
 * be opened, or are not regular files, are left alone).
 * KG_OK or KG_ENOMEM. O(size of those files).
 */
KG_EXPORT int kg_diag_list_read_source_lines(kg_diag_list *list);

/** Set the source line text of diagnostic i (copied). KG_OK, KG_EARG or KG_ENOMEM. */
KG_EXPORT int kg_diag_set_source_line(kg_diag_list *list, size_t i, const char *text, size_t len);

/**
 * Format a diagnostic for people, as the kgraph command prints it: the
 * compiler format that editors and terminals understand, then the source
 * line (when known; see kg_diag_list_read_source_lines) with a caret under
 * the column, the hint, and the related location as a note:
 *
 *     t.yaml:5:14: error: unknown entity 'bidne'
 *      5 |   - [a, met, bidne]
 *        |              ^
 *     hint: did you mean 'biden'?
 *
 * Every line ends with a newline. A file of NULL shows as "kgraph"; a
 * missing line or column is left out. A long source line is shown as a
 * window of 120 characters around the column; control characters and
 * bytes that are not UTF-8 in it show as '?'. Nothing is cut short.
 *
 * @param out receives the text, NUL-terminated; free it with
 *            kg_diag_format_free. NULL on failure.
 * @param len receives its length in bytes; may be NULL
 * @return KG_OK, KG_EARG (out or d NULL), KG_ENOMEM.
 * O(length of the text). Any thread, on diagnostics no one is changing.
 */
KG_EXPORT int kg_diag_format(char **out, size_t *len, const kg_diag *d);

/** Free what kg_diag_format returned. NULL is a no-op. */
KG_EXPORT void kg_diag_format_free(char *text);

#ifdef __cplusplus
}
#endif

#endif
