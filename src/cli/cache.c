/*
 * cache.c - the transparent snapshot cache: with KGRAPH_CACHE=DIR or
 * --cache DIR, a command on YAML files opens a snapshot of them from DIR
 * instead of loading them, and writes one there when there is none.
 *
 * An entry is named by a 128-bit xxHash (XXH3) of what decides the graph:
 * this kgraph's version, the include paths, and each named file's name as
 * given (diagnostics show it), its absolute path and its whole content.
 * Files reached through includes cannot be known before loading, so the
 * entry itself answers for them: a snapshot records every file it was read
 * from with its size and content hash, and an entry with any of them
 * changed (kg_snapshot_stale) is out of date and written again. Source
 * texts (a source's file:) are not part of the graph: check --quotes reads
 * them from disk each time, cached or not.
 *
 * An entry is input like any snapshot, and a cache folder may be shared or
 * damaged: it is opened with every check and every checksum, and one that
 * fails is a warning and is written again. Entries are written atomically
 * (a temporary file renamed over the name), so concurrent runs each see a
 * whole entry, the old or the new. This is the only file that includes
 * xxhash.h (tests/layout.cmake).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cache.h"
#include "cli.h"
#include "output.h"

#include <xxhash.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *kg_cli_cache_dir;

const char *kg_cli_cache_folder(void)
{
	const char *env = getenv("KGRAPH_CACHE");

	if (kg_cli_cache_dir)
		return *kg_cli_cache_dir ? kg_cli_cache_dir : NULL;
	return env && *env ? env : NULL;
}

/* KGRAPH_CACHE_TRACE=1 says on stderr what the cache did (for tests and
 * for people wondering whether it is used); it is silent otherwise. */
static void trace(const char *what, const char *path)
{
	const char *t = getenv("KGRAPH_CACHE_TRACE");

	if (t && *t && strcmp(t, "0") != 0) {
		fprintf(stderr, "kgraph: cache: %s ", what);
		kg_cli_fput_text(stderr, path);
		fputs("\n", stderr);
	}
}

/* A string into the key with its NUL, so that ("ab", "c") and ("a",
 * "bc") differ. */
static void put_string(XXH3_state_t *st, const char *s)
{
	XXH3_128bits_update(st, s, strlen(s) + 1);
}

/* A named file into the key: name, absolute path, size and content.
 * Returns 0, or -1 when it cannot be cached (not a regular file, not
 * readable: the load then says why). */
static int put_file(XXH3_state_t *st, const char *name)
{
	char *abs;
	struct stat sb;
	uint64_t size;
	void *p = NULL;
	int fd, rc = -1;

	if (strcmp(name, "-") == 0 || !(abs = realpath(name, NULL)))
		return -1;
	/* O_NONBLOCK: a FIFO given as a graph file must not hang the key. */
	fd = open(abs, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		size = (uint64_t)sb.st_size;
		put_string(st, name);
		put_string(st, abs);
		XXH3_128bits_update(st, &size, sizeof size);
		if (size == 0)
			rc = 0;
		else if ((p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
			XXH3_128bits_update(st, p, (size_t)size);
			munmap(p, (size_t)size);
			rc = 0;
		}
	}
	if (fd >= 0)
		close(fd);
	free(abs);
	return rc;
}

/* DIR/<32 hex digits>.kgs for these files and options, in a new string;
 * NULL when they cannot be cached (or out of memory). */
static char *entry_path(const char *dir, const char *const *files, size_t nfiles, const kg_load_options *opts)
{
	XXH3_state_t *st = XXH3_createState();
	XXH128_hash_t h;
	uint64_t n = nfiles;
	size_t i, len;
	char *path = NULL;
	int ok = st != NULL && nfiles > 0;

	if (ok) {
		XXH3_128bits_reset(st);
		put_string(st, "kgraph cache 1");
		put_string(st, kg_version());
		for (i = 0; opts && i < opts->include_path_count; i++) {
			char *abs = realpath(opts->include_paths[i], NULL);
			put_string(st, abs ? abs : opts->include_paths[i]);
			free(abs);
		}
		XXH3_128bits_update(st, &n, sizeof n);
		for (i = 0; ok && i < nfiles; i++)
			ok = put_file(st, files[i]) == 0;
	}
	if (ok) {
		h = XXH3_128bits_digest(st);
		len = strlen(dir) + 1 + 32 + sizeof ".kgs";
		if ((path = malloc(len)))
			snprintf(path, len, "%s/%016llx%016llx.kgs", dir, (unsigned long long)h.high64,
			         (unsigned long long)h.low64);
	}
	XXH3_freeState(st);
	return path;
}

/* Does the entry g record exactly these files as its inputs? The key
 * says so unless the entry was put there by hand. */
static bool same_inputs(const kg_graph *g, const char *const *files, size_t nfiles)
{
	size_t i;
	bool same = kg_snapshot_input_count(g) == nfiles;

	for (i = 0; same && i < nfiles; i++) {
		char *abs = realpath(files[i], NULL);
		same = abs && strcmp(abs, kg_snapshot_input(g, i)) == 0;
		free(abs);
	}
	return same;
}

/* Append every diagnostic of from to to, as the snapshot gives them back. */
static int copy_diags(kg_diag_list *to, const kg_diag_list *from)
{
	size_t i;

	for (i = 0; to && i < kg_diag_list_count(from); i++) {
		const kg_diag *d = kg_diag_list_get(from, i);
		if (kg_diag_list_add(to, d->severity, &d->where, d->message, d->hint, &d->related, d->related_message) ||
		    (d->source_line &&
		     kg_diag_set_source_line(to, kg_diag_list_count(to) - 1, d->source_line, strlen(d->source_line))))
			return KG_ENOMEM;
	}
	return KG_OK;
}

static void warn(const char *path, const char *why)
{
	fputs("kgraph: warning: cache entry ", stderr);
	kg_cli_fput_text(stderr, path);
	fputs(": ", stderr);
	kg_cli_fput_text(stderr, why);
	fputs("\n", stderr);
}

/* Open the entry at path when it is whole and up to date. KG_OK with *out
 * set; 1 when it must be written again; KG_ENOMEM. */
static int open_entry(kg_graph **out, const char *path, const char *const *files, size_t nfiles,
                      kg_diag_list *diags)
{
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	kg_diag_list *kept = kg_diag_list_new();
	struct stat sb;
	int rc;

	*out = NULL;
	if (!kept)
		return KG_ENOMEM;
	if (lstat(path, &sb)) {
		kg_diag_list_free(kept);
		return 1;
	}
	/* Only a regular file is read, and it is replaced by rename; anything
	 * else (a link to a file elsewhere, which would be written through)
	 * is removed first. */
	if (!S_ISREG(sb.st_mode)) {
		warn(path, "not a regular file; replaced");
		if (unlink(path))
			warn(path, strerror(errno));
		kg_diag_list_free(kept);
		return 1;
	}
	/* Every checksum too: a cached answer must be the YAML's answer,
	 * and a damaged entry that passes the structural checks could give
	 * another. It costs about what hashing the YAML for the key did. */
	so.verify = true;
	rc = kg_snapshot_open(out, path, &so, kept);
	if (rc == KG_OK && (!same_inputs(*out, files, nfiles) || kg_snapshot_stale(*out, NULL) != 0)) {
		trace("out of date", path);
		rc = 1;
	} else if (rc == KG_OK) {
		rc = copy_diags(diags, kept);
	} else if (rc != KG_ENOMEM) {
		const kg_diag *d = kg_diag_list_count(kept) ? kg_diag_list_get(kept, 0) : NULL;
		char why[600];
		snprintf(why, sizeof why, "%s; written again", d ? d->message : "cannot be read");
		warn(path, why);
		rc = 1;
	}
	if (rc) {
		kg_graph_free(*out);
		*out = NULL;
	}
	kg_diag_list_free(kept);
	return rc;
}

/* Write g to the entry at path; a failure is only a warning. */
static void write_entry(const kg_graph *g, const char *dir, const char *path, const char *const *files,
                        size_t nfiles, const kg_diag_list *diags)
{
	kg_snapshot_options so = KG_SNAPSHOT_OPTIONS_INIT;
	kg_diag_list *wd = kg_diag_list_new();

	/* Private: entries hold the graphs' text. An existing folder is
	 * left as it is. */
	if (mkdir(dir, 0700) && errno != EEXIST)
		warn(path, strerror(errno));
	so.inputs = files;
	so.ninputs = nfiles;
	so.diags = diags;
	if (wd && kg_snapshot_write(g, path, &so, wd) == KG_OK) {
		trace("wrote", path);
	} else {
		size_t i;
		for (i = 0; wd && i < kg_diag_list_count(wd); i++)
			warn(path, kg_diag_list_get(wd, i)->message);
		if (!wd)
			warn(path, "out of memory");
	}
	kg_diag_list_free(wd);
}

int kg_cli_cache_load(kg_graph **out, const char *dir, const char *const *files, size_t nfiles,
                      const kg_load_options *opts, kg_diag_list *diags)
{
	char *path = entry_path(dir, files, nfiles, opts);
	int rc;

	if (!path)
		return kg_load_files(out, files, nfiles, opts, diags);
	rc = open_entry(out, path, files, nfiles, diags);
	if (rc == KG_OK) {
		trace("read", path);
		if (opts && opts->stats)
			memset(opts->stats, 0, sizeof *opts->stats);
	} else if (rc != KG_ENOMEM) {
		rc = kg_load_files(out, files, nfiles, opts, diags);
		if (rc == KG_OK && kg_diag_list_count_severity(diags, KG_SEV_ERROR) == 0)
			write_entry(*out, dir, path, files, nfiles, diags);
	}
	free(path);
	return rc;
}
