/*
 * print.c - diagnostics for people, on a stream: the compiler format that
 * editors and terminals already understand (FILE:LINE:COLUMN: severity:
 * message), with the offending line and a caret. The text itself is made
 * by the library's kg_diag_format, so the command and any program that
 * embeds kgraph print a diagnostic the same way.
 */
#include "print.h"

#include <string.h>

void kg_cli_print_diag(FILE *out, const kg_diag *d)
{
	char *text;
	size_t len;

	if (kg_diag_format(&text, &len, d) != KG_OK) {
		/* Out of memory: the message alone is better than nothing. */
		fprintf(out, "kgraph: %s\n", d->message ? d->message : "out of memory");
		return;
	}
	fwrite(text, 1, len, out);
	kg_diag_format_free(text);
}

void kg_cli_print_diags(FILE *out, const kg_diag_list *list, bool errors_only)
{
	size_t i, n = kg_diag_list_count(list);

	for (i = 0; i < n; i++) {
		const kg_diag *d = kg_diag_list_get(list, i);
		if (errors_only && d->severity == KG_SEV_WARNING)
			continue;
		kg_cli_print_diag(out, d);
	}
}
