/*
 * atomic_write.c - replace a file through a temporary file and rename(),
 * or write in place what is not a regular file (atomic_write.h).
 *
 * Invariant: between open and commit or abort, f->fd is an open
 * descriptor of f->tmp, a file this process created, or (f->tmp NULL) of
 * the target itself; commit and abort close it, and remove a temporary
 * file unless it was renamed over the target, so no temporary file
 * outlives a failure. While a temporary file exists its name is also in
 * `pending`, for kg__atomic_signal_cleanup.
 */
#define _POSIX_C_SOURCE 200809L

#include "util/atomic_write.h"
#include "util/util.h"
#include "kgraph/common.h"
#include "kgraph/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Names tried before giving up when another file already has the name
 * (a leftover of a process with the same PID). */
#define ATTEMPTS 100

/* The temporary file a signal handler should remove: the name is
 * complete before pending_live is set, and pending_live is cleared before
 * the name changes (the fences keep the compiler from reordering the
 * two; a handler runs on this thread). */
static char pending[PATH_MAX + 1];
static volatile sig_atomic_t pending_live;

static void track(const char *name)
{
	pending_live = 0;
	atomic_signal_fence(memory_order_seq_cst);
	if (!name || strlen(name) >= sizeof pending)
		return; /* longer than any path the system opens */
	memcpy(pending, name, strlen(name) + 1);
	atomic_signal_fence(memory_order_seq_cst);
	pending_live = 1;
}

void kg__atomic_signal_cleanup(void)
{
	if (pending_live) {
		pending_live = 0;
		unlink(pending);
	}
}

/* Open the target itself: a device, a FIFO (waiting, as a shell
 * redirection does, until a reader opens it), or a file through a
 * symbolic link, truncated as cp truncates it. */
static int open_in_place(kg__atomic_file *f, const char *path, const struct stat *st)
{
	f->fd = open(path, O_WRONLY | O_CLOEXEC | (S_ISREG(st->st_mode) ? O_TRUNC : 0));
	return f->fd < 0 ? errno : 0;
}

/* Give the new file what the replaced one had: permission bits, and the
 * owner and group where allowed (root; a group of one's own). Failing to
 * change the owner is not an error: the file is then the user's, as any
 * file they write. */
static int keep_attributes(int fd, const struct stat *st)
{
	if (fchown(fd, st->st_uid, st->st_gid) != 0)
		(void)fchown(fd, (uid_t)-1, st->st_gid);
	return fchmod(fd, st->st_mode & 0777) != 0 ? errno : 0;
}

int kg__atomic_open(kg__atomic_file *f, const char *path)
{
	size_t n = strlen(path) + sizeof ".tmp-" + 3 * sizeof(long) + 3 * sizeof(unsigned) + 2;
	struct stat st, lst;
	bool replacing = false;
	unsigned attempt;
	int err;

	f->fd = -1;
	f->path = path;
	f->tmp = NULL;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode) || (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)))
			return open_in_place(f, path, &st);
		/* rename() needs only the folder's permission: ask as cp would
		 * whether this file may be written. */
		if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
			return errno;
		replacing = true;
	}
	f->tmp = kg__malloc(n);
	if (!f->tmp)
		return -1;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		snprintf(f->tmp, n, "%s.tmp-%ld-%u", path, (long)getpid(), attempt);
		track(f->tmp);
		f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (f->fd >= 0)
			break;
		track(NULL);
		if (errno != EEXIST)
			break;
	}
	err = f->fd < 0 ? errno : replacing ? keep_attributes(f->fd, &st) : 0;
	if (err && f->fd >= 0) {
		close(f->fd);
		unlink(f->tmp);
		track(NULL);
	}
	if (err) {
		kg__free(f->tmp);
		f->tmp = NULL;
		f->fd = -1;
	}
	return err;
}

int kg__atomic_write(kg__atomic_file *f, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(f->fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		done += (size_t)w;
	}
	return 0;
}

int kg__atomic_commit(kg__atomic_file *f)
{
	int err = 0;

	if (close(f->fd) != 0)
		err = errno;
	if (f->tmp) {
		if (!err && rename(f->tmp, f->path) != 0)
			err = errno;
		if (err)
			unlink(f->tmp);
		track(NULL);
		kg__free(f->tmp);
		f->tmp = NULL;
	}
	f->fd = -1;
	return err;
}

void kg__atomic_abort(kg__atomic_file *f)
{
	close(f->fd);
	if (f->tmp) {
		unlink(f->tmp);
		track(NULL);
		kg__free(f->tmp);
		f->tmp = NULL;
	}
	f->fd = -1;
}

/* ---- the public face (kgraph/file.h) ---------------------------------- */

struct kg_file_writer {
	kg__atomic_file f;
	char *path; /* kg__atomic_file borrows its path */
};

/* An atomic_write result as a kg_error: errno keeps the reason. */
static int file_error(int err)
{
	if (err == -1)
		return KG_ENOMEM;
	if (err) {
		errno = err;
		return KG_EIO;
	}
	return KG_OK;
}

int kg_file_writer_open(kg_file_writer **out, const char *path)
{
	kg_file_writer *w;
	int err;

	if (!out || !path)
		return KG_EARG;
	*out = NULL;
	if (!(w = kg__malloc(sizeof *w)) || !(w->path = kg__strndup(path, strlen(path)))) {
		kg__free(w);
		return KG_ENOMEM;
	}
	if ((err = kg__atomic_open(&w->f, w->path)) != 0) {
		kg__free(w->path);
		kg__free(w);
		return file_error(err);
	}
	*out = w;
	return KG_OK;
}

int kg_file_writer_write(kg_file_writer *w, const void *data, size_t len)
{
	return w ? file_error(kg__atomic_write(&w->f, data, len)) : KG_EARG;
}

int kg_file_writer_commit(kg_file_writer *w)
{
	int err;

	if (!w)
		return KG_EARG;
	err = kg__atomic_commit(&w->f);
	kg__free(w->path);
	kg__free(w);
	return file_error(err);
}

void kg_file_writer_abort(kg_file_writer *w)
{
	if (!w)
		return;
	kg__atomic_abort(&w->f);
	kg__free(w->path);
	kg__free(w);
}
