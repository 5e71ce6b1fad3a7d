/*
 * import.c - kg_import_files (kgraph/import.h): read each file whole,
 * parse it with the format's reader, map it onto the builder, and load
 * what was built.
 *
 * Inputs are read whole (a JSON document is one value, and its tree is
 * about as large as its text); a file must be a regular file or standard
 * input, so that a FIFO or a device cannot hang an import, and no larger
 * than KG_MAX_FILE_BYTES.
 */
#define _POSIX_C_SOURCE 200809L /* open, fdopen */
#include "import/import_internal.h"

#include "core/diag_internal.h"
#include "kgraph/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const format_names[] = {"json", "csv", "ftm", "graphml", NULL};

int kg_import_format_from_name(kg_import_format *out, const char *name)
{
	size_t i;

	for (i = 0; name && format_names[i]; i++)
		if (strcasecmp(name, format_names[i]) == 0) {
			*out = (kg_import_format)i;
			return KG_OK;
		}
	return KG_EARG;
}

/* The bytes of path ("-": standard input) in *b. 0, or an errno value. */
static int read_file(kg__buf *b, const char *path)
{
	char chunk[65536];
	struct stat st;
	FILE *fp;
	size_t got;
	int fd, err = 0;

	if (strcmp(path, "-") == 0)
		fd = dup(0);
	else
		fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO must not block the open */
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0 || (strcmp(path, "-") != 0 && !S_ISREG(st.st_mode))) {
		err = errno ? errno : EINVAL;
		if (!S_ISREG(st.st_mode))
			err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		return err;
	}
	if (strcmp(path, "-") != 0)
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(fp = fdopen(fd, "rb"))) {
		err = errno;
		close(fd);
		return err;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b->n + got > KG_MAX_FILE_BYTES) {
			err = EFBIG;
			break;
		}
		if (kg__buf_add(b, chunk, got) != 0) {
			err = ENOMEM;
			break;
		}
	}
	if (!err && ferror(fp))
		err = errno ? errno : EIO;
	fclose(fp);
	return err;
}

static const char *read_error(int err)
{
	return err == EFBIG ? "it is larger than 4294967295 bytes" : err == EINVAL ? "not a regular file" : strerror(err);
}

/* Parse and map one input, data (len bytes) read from name. */
static int import_data(kg__build *b, const char *name, const char *data, size_t len, const kg_import_options *o)
{
	kg__arena arena = {0};
	kg__json_error je;
	kg__jval *doc;
	int rc;

	if (o->format == KG_IMPORT_CSV)
		return kg__import_csv(b, &name, &data, &len, 1, o);
	b->file = name;
	b->sum->files++;
	if (o->format == KG_IMPORT_FTM)
		return kg__import_ftm(b, data, len, o);
	if (o->format == KG_IMPORT_GRAPHML)
		return kg__import_graphml(b, data, len, o);
	if (kg__json_parse(&doc, &arena, data, len, &je) != 0) {
		if (!je.line)
			rc = KG_ENOMEM;
		else {
			kg__build_diag(b, KG_SEV_ERROR, je.line, je.col, "%s", je.msg);
			rc = KG_EINVALID;
		}
	} else
		rc = kg__import_nodelink(b, doc, o);
	kg__arena_free(&arena);
	return rc;
}

static int import_one(kg__build *b, const char *path, const kg_import_options *o)
{
	kg__buf data = {0};
	kg_location at = {path, 0, 0};
	int err, rc;

	at.file = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((err = read_file(&data, path)) != 0) {
		if (err == ENOMEM)
			rc = KG_ENOMEM;
		else {
			kg__diag_addf(b->diags, KG_SEV_ERROR, &at, NULL, NULL, "cannot read: %s", read_error(err));
			rc = KG_EIO;
		}
	} else
		rc = import_data(b, at.file, data.p ? data.p : "", data.n, o);
	kg__buf_free(&data);
	return rc;
}

/* Tables are read together: a relations table names entities of the
 * entities tables, which may come after it. */
static int import_tables(kg__build *b, const char *const *paths, size_t n, const kg_import_options *o)
{
	kg__buf *data = kg__calloc(n, sizeof *data);
	const char **names = kg__calloc(n, sizeof *names), **texts = kg__calloc(n, sizeof *texts);
	size_t *len = kg__calloc(n, sizeof *len), i;
	int rc = KG_OK, err;

	if (!data || !names || !texts || !len)
		rc = KG_ENOMEM;
	for (i = 0; rc == KG_OK && i < n; i++) {
		kg_location at = {paths[i], 0, 0};
		names[i] = at.file = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
		if ((err = read_file(&data[i], paths[i])) == ENOMEM)
			rc = KG_ENOMEM;
		else if (err) {
			kg__diag_addf(b->diags, KG_SEV_ERROR, &at, NULL, NULL, "cannot read: %s", read_error(err));
			rc = KG_EIO;
		}
		texts[i] = data[i].p ? data[i].p : "";
		len[i] = data[i].n;
	}
	if (rc == KG_OK)
		rc = kg__import_csv(b, names, texts, len, n, o);
	for (i = 0; data && i < n; i++)
		kg__buf_free(&data[i]);
	kg__free(data);
	kg__free(names);
	kg__free(texts);
	kg__free(len);
	return rc;
}

/* The options to use (opts or the defaults) in *o; KG_EARG when the
 * caller's are not ones this library can read. */
static int options(kg_import_options *o, const kg_import_options *opts)
{
	kg_import_options defaults = KG_IMPORT_OPTIONS_INIT;

	*o = defaults;
	if (opts) {
		if (!KG__OPTIONS_VERSION_OK(opts->version, KG_IMPORT_OPTIONS_VERSION))
			return KG_EARG;
		*o = *opts;
	}
	return o->format == KG_IMPORT_JSON || o->format == KG_IMPORT_CSV || o->format == KG_IMPORT_FTM ||
	               o->format == KG_IMPORT_GRAPHML
	           ? KG_OK
	           : KG_EARG;
}

int kg_import_string(kg_graph **out, kg_import_summary *summary, const char *name, const char *data, size_t len,
                     const kg_import_options *opts, kg_diag_list *diags)
{
	kg_import_options o;
	kg_import_summary sum;
	kg__build b;
	int rc;

	*out = NULL;
	memset(&sum, 0, sizeof sum);
	if ((rc = options(&o, opts)) != KG_OK || !data)
		return KG_EARG;
	if (kg__build_init(&b, &sum, diags) == KG_OK) {
		rc = import_data(&b, name ? name : "<string>", data, len, &o);
		if (rc == KG_OK)
			rc = kg__build_finish(&b, out);
	} else
		rc = KG_ENOMEM;
	kg__build_free(&b);
	if (summary)
		*summary = sum;
	return rc;
}

int kg_import_files(kg_graph **out, kg_import_summary *summary, const char *const *paths, size_t npaths,
                    const kg_import_options *opts, kg_diag_list *diags)
{
	kg_import_options o;
	kg_import_summary sum;
	kg__build b;
	size_t i;
	int rc = KG_OK, r;

	*out = NULL;
	memset(&sum, 0, sizeof sum);
	if (options(&o, opts) != KG_OK || !npaths)
		return KG_EARG;
	if (kg__build_init(&b, &sum, diags) != KG_OK) {
		kg__build_free(&b);
		return KG_ENOMEM;
	}
	if (o.format == KG_IMPORT_CSV)
		rc = import_tables(&b, paths, npaths, &o);
	else
		for (i = 0; i < npaths; i++) {
			r = import_one(&b, paths[i], &o);
			if (r == KG_ENOMEM) {
				rc = r;
				goto done;
			}
			if (r != KG_OK && (rc == KG_OK || r == KG_EIO))
				rc = r;
		}
	if (rc == KG_OK)
		rc = kg__build_finish(&b, out);
done:
	kg__build_free(&b);
	if (summary)
		*summary = sum;
	return rc;
}
