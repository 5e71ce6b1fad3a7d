/*
 * atomic_write.h - write a file so that readers see the old contents or
 * the new, never a part, and so that what was there keeps its kind, its
 * permissions and its links (private).
 *
 * What is at the path decides how it is written:
 * - nothing (or a path that cannot be looked at): the data goes to a new
 *   temporary file beside the target (same directory, so the same file
 *   system), created with mode 0666 less the umask, and replaces the
 *   target by rename() only when every byte is written and the file is
 *   closed. A failure leaves the target as it was and removes the
 *   temporary file. No fsync: this guards against a failed or
 *   interrupted write, not against a power cut;
 * - a regular file: the same, if the user may write it (access(W_OK)
 *   for the effective ids, as cp decides: root may write anything, but a
 *   read-only file is EACCES for others); the new file takes the old
 *   one's permission bits (not set-user-ID, set-group-ID or sticky) and,
 *   where the system lets it, its owner and group;
 * - anything else: a device such as /dev/null, a FIFO, a socket, or a
 *   symbolic link (/dev/stdout, a link to a file kept elsewhere) is
 *   opened and written in place, as a shell redirection would, so it
 *   stays what it is. No temporary file; a failure can leave a part.
 *
 *   kg__atomic_file f;
 *   int err = kg__atomic_open(&f, path);
 *   if (!err) err = kg__atomic_write(&f, data, len);
 *   err = err ? (kg__atomic_abort(&f), err) : kg__atomic_commit(&f);
 *
 * Each call returns 0, an errno value for an I/O failure, or -1 when an
 * allocation failed (no errno: the caller says "out of memory", not
 * "cannot write"). After an error from kg__atomic_open nothing is left
 * to clean up; after kg__atomic_open succeeds, exactly one of commit or
 * abort must follow, and each releases everything, on failure too.
 *
 * Signals. The name of the temporary file being written is also kept
 * where a signal handler can reach it: kg__atomic_signal_cleanup removes
 * it, so a program stopped by SIGINT or SIGTERM leaves nothing behind.
 * One temporary file at a time is tracked (the last opened); that is all
 * kgraph writes.
 */
#ifndef KG_ATOMIC_WRITE_H
#define KG_ATOMIC_WRITE_H

#include <stddef.h>

typedef struct kg__atomic_file {
	int fd;
	char *tmp;         /* the temporary file's name; NULL when written in place */
	const char *path;  /* the target, borrowed from the caller */
} kg__atomic_file;

/* Look at path and open what will be written (see above): a temporary
 * path.tmp-PID-N beside it, created exclusively, or path itself. path
 * must stay valid until commit or abort. EACCES when the user may not
 * write an existing regular file. */
int kg__atomic_open(kg__atomic_file *f, const char *path);

/* Append len bytes (retrying short writes and EINTR). */
int kg__atomic_write(kg__atomic_file *f, const void *data, size_t len);

/* Close the file; rename a temporary file over the target, or remove it
 * on failure. */
int kg__atomic_commit(kg__atomic_file *f);

/* Close and remove the temporary file; the target is untouched (unless
 * it was being written in place). */
void kg__atomic_abort(kg__atomic_file *f);

/* Async-signal-safe: remove the temporary file being written, if any.
 * For a handler that then ends the program; the kg__atomic_file must not
 * be used afterwards but commit or abort. */
void kg__atomic_signal_cleanup(void);

#endif
