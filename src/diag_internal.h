/*
 * diag_internal.h - helpers the loader and checker use to build
 * diagnostics (private).
 */
#ifndef KG_DIAG_INTERNAL_H
#define KG_DIAG_INTERNAL_H

#include "kgraph/diag.h"

/* Append a diagnostic whose message is formatted printf-style. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
int kg__diag_addf(kg_diag_list *list, kg_severity sev, const kg_location *where,
                  const kg_location *related, const char *related_message,
                  const char *fmt, ...);

/* Set the hint of diagnostic i, formatted. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int kg__diag_hintf(kg_diag_list *list, size_t i, const char *fmt, ...);

/* Move diagnostic i to a new line and column (used when the position is
 * only known after a second look at the file). */
void kg__diag_set_position(kg_diag_list *list, size_t i, unsigned line, unsigned column);

#endif
