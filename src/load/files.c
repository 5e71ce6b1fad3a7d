/*
 * files.c - the files of a load: opening them (never waiting on a FIFO),
 * standard input, text in memory, includes (relative to the including
 * file, read once each, cycles and depth bounded), and the source lines of
 * the diagnostics found in a file.
 *
 * An include is read only when it is inside the folders the graph may
 * read (util/path.h): the folder of the file named by the caller that led
 * to it, or an include path. Anything else is an error at the include,
 * and the file is not opened.
 *
 * A file is read from start to end before its includes, so a file's
 * diagnostics come together, in order, then its includes'. Only
 * KG_ENOMEM stops the load here: a file that cannot be read is an error
 * and the next file is read.
 */
#define _POSIX_C_SOURCE 200809L /* open, fcntl, fdopen, fileno */
#include "load/loader.h"
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(FILE *fp, kg__buf *b)
{
	char chunk[65536];
	size_t got;

	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b->n + got > KG_MAX_FILE_BYTES || kg__buf_add(b, chunk, got))
			return -1;
	}
	return ferror(fp) ? -1 : 0;
}

/* Open a graph file for reading without waiting. fopen() on a FIFO (a
 * named pipe) blocks until some process opens it for writing, which may be
 * never: `include: some-fifo` or `kgraph check some-fifo` would hang.
 * With O_NONBLOCK, open() returns at once; kg__ld_load_file's fstat()
 * then refuses anything but a regular file. The flag is cleared again for
 * reading (it does nothing to a regular file anyway). */
static FILE *open_nonblocking(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK), flags, err;
	FILE *fp;

	if (fd < 0)
		return NULL;
	flags = fcntl(fd, F_GETFL);
	if (flags != -1)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	fp = fdopen(fd, "rb");
	if (!fp) {
		err = errno;
		close(fd);
		errno = err;
	}
	return fp;
}

/* Report a problem opening a file: at the include that named it, or for
 * the file itself when the user named it. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int open_error(kg__loader *L, const kg__loc *from, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (from)
		return kg__ld_error_loc(L, *from, NULL, NULL, "cannot include '%s': %s", path, msg);
	L->io_failed = 1;
	{
		kg_location where = {path, 0, 0};
		return kg__ld_report(L, &where, NULL, NULL, "cannot read: %s", msg);
	}
}

/* Record a file's name and identity in the graph (kg_graph_file_id: the
 * command line refuses to write over any file the graph was read from). */
static int add_file_name(kg__loader *L, const char *name, const kg__file_id *id, uint32_t *index)
{
	char *copy;

	if (L->g->files.n >= KG_MAX_FILES) {
		kg_location where = {name, 0, 0};
		TRY(kg__ld_report(L, &where, NULL, NULL, "more than %d files", KG_MAX_FILES));
		L->stopped = 1;
		return LD_STOP;
	}
	copy = kg__arena_strndup(&L->g->arena, name, strlen(name));
	if (!copy || KG_VEC_PUSH(L->g->file_ids, *id) || KG_VEC_PUSH(L->g->files, copy))
		return KG_ENOMEM;
	*index = (uint32_t)(L->g->files.n - 1);
	return 0;
}

static int load_includes(kg__loader *L, kg__ld_file *fc, unsigned depth)
{
	size_t i;

	for (i = 0; i < fc->includes.n && !L->stopped; i++) {
		const kg__ld_incl *in = &fc->includes.v[i];
		kg__buf p = {0};
		int rc;
		if (in->path[0] != '/' && kg__buf_puts(&p, fc->dir))
			return KG_ENOMEM;
		if (kg__buf_puts(&p, in->path)) {
			kg__buf_free(&p);
			return KG_ENOMEM;
		}
		if (depth + 1 > KG_MAX_INCLUDE_DEPTH)
			rc = kg__ld_error_loc(L, in->loc, NULL, NULL, "includes nest more than %d deep",
			                      KG_MAX_INCLUDE_DEPTH);
		else
			rc = kg__ld_load_file(L, p.p, NULL, 0, &in->loc, fc->folder, depth + 1);
		kg__buf_free(&p);
		if (rc == KG_ENOMEM)
			return rc;
	}
	return 0;
}

/* The folder of a file the caller named (dir: its folder as named, ""
 * for the current one) becomes one of the graph's; *index is where. A
 * folder that cannot be resolved gives KG_NONE: its file may then read
 * only from the include paths. */
static int add_folder(kg__loader *L, const char *dir, uint32_t *index)
{
	char *real = kg__path_folder(dir);
	const char *kept;

	*index = KG_NONE;
	if (!real)
		return errno == ENOMEM ? KG_ENOMEM : 0;
	kept = kg__arena_strndup(&L->g->arena, real, strlen(real));
	kg__free(real);
	if (!kept || KG_VEC_PUSH(L->g->folders, kept))
		return KG_ENOMEM;
	*index = (uint32_t)(L->g->folders.n - 1);
	return 0;
}

/* Read one file (from disk, or data when not NULL), then its includes.
 * from is the include that named it, or NULL for a file the caller named;
 * folder is the graph folder of the file that included it. */
int kg__ld_load_file(kg__loader *L, const char *path, const char *data, size_t len,
                     const kg__loc *from, uint32_t folder, unsigned depth)
{
	char *real = NULL;
	kg__ld_file fc;
	kg__buf in = {0};
	kg__ld_fileid id = {0, 0, 0};
	int has_id = 0, pushed = 0, rc = 0;
	const char *name = path, *slash;
	size_t i;

	memset(&fc, 0, sizeof fc);
	if (!data && strcmp(path, "-") == 0 && !from) {
		name = L->opts->stdin_name ? L->opts->stdin_name : "<stdin>";
		if (read_all(stdin, &in)) {
			kg__buf_free(&in);
			return open_error(L, NULL, name, "%s", "standard input could not be read");
		}
		data = in.p ? in.p : "";
		len = in.n;
	} else if (!data) {
		struct stat st;
		if (from) {
			int inside = kg__graph_confined(&real, L->g, folder, path);
			if (inside < 0 && errno == ENOMEM)
				return KG_ENOMEM;
			if (inside < 0)
				return open_error(L, from, path, "%s", strerror(errno));
			if (inside == 0) {
				rc = open_error(L, from, path, "%s", KG__PATH_OUTSIDE);
				kg__diag_hintf(L->diags, L->last_diag, "%s", KG__PATH_OUTSIDE_HINT);
				return rc == KG_ENOMEM ? rc : 0;
			}
		}
		fc.fp = open_nonblocking(real ? real : path);
		kg__free(real);
		if (!fc.fp)
			return open_error(L, from, path, "%s", strerror(errno));
		if (fstat(fileno(fc.fp), &st)) {
			int err = errno;
			fclose(fc.fp);
			return open_error(L, from, path, "%s", strerror(err));
		}
		if (!S_ISREG(st.st_mode)) {
			fclose(fc.fp);
			return open_error(L, from, path, "%s",
			                  S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
		}
		if ((unsigned long long)st.st_size > KG_MAX_FILE_BYTES) {
			fclose(fc.fp);
			return open_error(L, from, path, "it is larger than %u bytes", KG_MAX_FILE_BYTES);
		}
		id.dev = st.st_dev;
		id.ino = st.st_ino;
		id.valid = 1;
		has_id = 1;
		for (i = 0; i < L->chain.n; i++) {
			if (L->chain.v[i].valid && L->chain.v[i].dev == id.dev && L->chain.v[i].ino == id.ino) {
				kg__buf msg = {0};
				size_t j;
				for (j = i; j < L->chain_names.n; j++)
					kg__buf_printf(&msg, "%s -> ", L->chain_names.v[j]);
				kg__buf_puts(&msg, path);
				fclose(fc.fp);
				rc = kg__ld_error_loc(L, *from, NULL, NULL, "include cycle: %s", msg.p ? msg.p : path);
				kg__buf_free(&msg);
				return rc;
			}
		}
		for (i = 0; i < L->seen.n; i++) {
			if (L->seen.v[i].dev == id.dev && L->seen.v[i].ino == id.ino) {
				/* Already read (named twice, or included from two
				 * places): once is enough. */
				fclose(fc.fp);
				return 0;
			}
		}
		L->bytes += (size_t)st.st_size;
		fc.size = (size_t)st.st_size;
	}
	if (data) {
		fc.mem = data;
		fc.memlen = len;
		fc.size = len;
		L->bytes += len;
	}
	if (in.p) {
		/* The loader keeps standard input's text for the final pass
		 * over diagnostics (fill_late_positions). */
		L->stdin_text = in;
		memset(&in, 0, sizeof in);
	}
	L->files++;

	{
		kg__file_id gid = {id.dev, id.ino, id.valid};
		struct stat st;
		/* name != path: standard input, which may be a file too */
		if (name != path && fstat(fileno(stdin), &st) == 0 && S_ISREG(st.st_mode))
			gid = (kg__file_id){st.st_dev, st.st_ino, 1};
		rc = add_file_name(L, name, &gid, &fc.index);
	}
	if (rc)
		goto done;
	fc.name = L->g->files.v[fc.index];
	slash = strrchr(path, '/');
	fc.dir = kg__strndup(path, slash ? (size_t)(slash - path + 1) : 0);
	fc.folder = folder;
	if (fc.dir && !from && (rc = add_folder(L, fc.dir, &fc.folder)) != 0)
		goto done;
	if (!fc.dir || (has_id && KG_VEC_PUSH(L->seen, id)) || KG_VEC_PUSH(L->chain, id) ||
	    KG_VEC_PUSH(L->chain_names, fc.name)) {
		rc = KG_ENOMEM;
		goto done;
	}
	pushed = 1;
	fc.diag_first = kg_diag_list_count(L->diags);
	/* Size the string table for the file at once rather than doubling it
	 * a dozen times on a large one. Graph files have one distinct string
	 * per 70 to 170 bytes (the example graphs, the benchmark's); too many
	 * slots are given back by kg__strtab_trim, too few grow as before,
	 * and when the memory is not there, so does the table. */
	(void)kg__strtab_reserve(&L->g->strings, fc.size / LD_BYTES_PER_STRING);

	L->f = &fc;
	if (kg__strtab_init(&L->anames) || kg__ld_reader_open(L)) {
		/* What was made is freed with the loader. */
		L->f = NULL;
		rc = KG_ENOMEM;
		goto done;
	}
	rc = kg__ld_read_stream(L);
	if (L->opts->progress)
		L->opts->progress(L->opts->progress_ctx, fc.name, fc.size, fc.size);
	kg__ld_reader_close(L);
	kg__ld_aliases_reset(L);
	if (rc != KG_ENOMEM) {
		rc = kg__diag_fill_lines(L->diags, fc.name, fc.fp, fc.mem, fc.memlen, fc.diag_first,
		                         fc.offsets.v, fc.offsets.n);
		if (fc.fp) {
			fclose(fc.fp);
			fc.fp = NULL;
		}
	}
	L->f = NULL;
	if (rc != KG_ENOMEM)
		rc = load_includes(L, &fc, depth);
done:
	if (pushed && L->chain.n)
		L->chain.n--;
	if (pushed && L->chain_names.n)
		L->chain_names.n--;
	if (fc.fp)
		fclose(fc.fp);
	kg__free(fc.dir);
	for (i = 0; i < fc.includes.n; i++)
		kg__free(fc.includes.v[i].path);
	KG_VEC_FREE(fc.offsets);
	KG_VEC_FREE(fc.includes);
	kg__buf_free(&in);
	return rc == KG_ENOMEM ? rc : 0;
}
