/*
 * cli.c - helpers every kgraph command uses: error messages, checked
 * output, long options, loading graph files.
 *
 * Messages go to stderr; results to stdout, which is checked before the
 * command exits (a full disk is exit 4; a reader that went away, as with
 * `| head -1`, ends the command quietly).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "print.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kg_cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kgraph: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return EXIT_USAGE;
}

int kg_cli_input_error(const char *hint, const char *fmt, ...)
{
	va_list ap;

	fputs("kgraph: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (hint)
		fprintf(stderr, "hint: %s\n", hint);
	return EXIT_INVALID;
}

int kg_cli_out_of_memory(void)
{
	fputs("kgraph: out of memory\n", stderr);
	return EXIT_IO;
}

int kg_cli_finish_output(int code)
{
	/* A write that failed earlier left its reason in errno; callers
	 * write just before calling this, so it is still that reason. */
	int err = errno;

	if (!ferror(stdout)) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return code;
		err = errno;
	}
	if (err != EPIPE)
		fprintf(stderr, "kgraph: error writing output: %s\n", err ? strerror(err) : "write failed");
	return EXIT_IO;
}

int kg_cli_long_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (!value)
		return a[n] == '\0';
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int kg_cli_load(kg_graph **out, const char *const *files, size_t nfiles)
{
	kg_load_options opts = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *diags = kg_diag_list_new();
	size_t errors;
	int rc;

	*out = NULL;
	if (!diags)
		return kg_cli_out_of_memory();
	rc = kg_load_files(out, files, nfiles, &opts, diags);
	/* A query needs a valid graph; warnings are for `kgraph check`. */
	kg_cli_print_diags(stderr, diags, true);
	errors = kg_diag_list_count_severity(diags, KG_SEV_ERROR);
	if (errors)
		fprintf(stderr, "kgraph: %zu error%s\n", errors, errors == 1 ? "" : "s");
	kg_diag_list_free(diags);
	switch (rc) {
	case KG_OK: return EXIT_OK;
	case KG_EIO: return EXIT_IO;
	case KG_ENOMEM: return kg_cli_out_of_memory();
	default: return EXIT_INVALID;
	}
}
