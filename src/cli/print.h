/*
 * print.h - how the kgraph command shows diagnostics and writes output.
 */
#ifndef KG_CLI_PRINT_H
#define KG_CLI_PRINT_H

#include "kgraph.h"

#include <stdbool.h>
#include <stdio.h>

/* Print one diagnostic like a compiler: FILE:LINE:COLUMN: error: MESSAGE,
 * the source line with a caret under the column, the hint, and the
 * related location as a note. */
void kg_cli_print_diag(FILE *out, const kg_diag *d);

/* Print the diagnostics in the list; errors only when errors_only. */
void kg_cli_print_diags(FILE *out, const kg_diag_list *list, bool errors_only);

#endif
