/*
 * diag_internal.h - helpers the loader and checker use to build
 * diagnostics (private).
 */
#ifndef KG_DIAG_INTERNAL_H
#define KG_DIAG_INTERNAL_H

#include "kgraph/diag.h"

#include <stdarg.h>
#include <stdio.h>

/* Append a diagnostic whose message is formatted printf-style: the one
 * helper through which every formatted diagnostic should go. The message
 * is as long as it needs to be (never cut at a buffer's size) and numbers
 * in it are written in the "C" locale. A NULL list discards it. KG_OK or
 * KG_ENOMEM. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
int kg__diag_addf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                  const kg_location *related, const char *related_message,
                  const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
int kg__diag_vaddf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                   const kg_location *related, const char *related_message,
                   const char *fmt, va_list ap);

/* Warnings are capped at KG_MAX_WARNINGS per list, as errors are at
 * KG_MAX_ERRORS per load: call this before adding a warning, and add it
 * only when it returns 0 (1: it is counted as dropped instead). Once the
 * warnings of a stage are in, kg__diag_note_dropped adds one note saying
 * how many were dropped since the last such note. KG_OK or KG_ENOMEM. */
int kg__diag_warning_dropped(kg_diag_list *list);
int kg__diag_note_dropped(kg_diag_list *list);

/* Set the hint of diagnostic i, formatted. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int kg__diag_hintf(kg_diag_list *list, size_t i, const char *fmt, ...);

/* Add a diagnostic at where (NULL, or a location without a file: none);
 * only running out of memory is a failure (a NULL list simply discards).
 * Returns the new diagnostic's index, or -1 on ENOMEM. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
long kg__diag_at(kg_diag_list *diags, kg_severity sev, const kg_location *where, const char *fmt, ...);

/* An error "PREFIXunknown WHAT 'NAME'" with a did-you-mean hint from
 * names[], or else the list of them; returns rc, or KG_ENOMEM. */
int kg__diag_unknown(kg_diag_list *diags, const kg_location *where, int rc, const char *what, const char *name,
                     const char *const *names, size_t n, const char *prefix);

/* Never quote file name in a source line: it is not UTF-8 text, or not a
 * graph file (the loader found so). KG_OK or KG_ENOMEM. */
int kg__diag_no_excerpts(kg_diag_list *list, const char *name);

/* Move diagnostic i to a new line and column (used when the position is
 * only known after a second look at the file). */
void kg__diag_set_position(kg_diag_list *list, size_t i, unsigned line, unsigned column);

/* A diagnostic whose position is known only as a byte offset. */
typedef struct kg__offfix {
	size_t diag;
	size_t offset;
} kg__offfix;

/* Give the diagnostics from index first on that are in file name their
 * source lines (an excerpt of KG_MAX_EXCERPT_CHARS around the column;
 * none for a file kg__diag_no_excerpts named, or UTF-16 text), reading the file's text from fp (rewound; may be NULL)
 * or from mem; first move those in offsets to the line and column of
 * their byte offset. One pass over the text, or two with offsets.
 * KG_OK or KG_ENOMEM. */
int kg__diag_fill_lines(kg_diag_list *list, const char *name, FILE *fp, const char *mem, size_t memlen,
                        size_t first, const kg__offfix *offsets, size_t noffsets);

#endif
