/*
 * kgraph/file.h - writing an output file the way kgraph's own commands do,
 * for a program that writes what the library makes (an export, a drawing).
 *
 * The file is written so that readers see the old contents or the new,
 * never a part, and so that what was there keeps its kind and permissions:
 * a regular file is replaced through a temporary file beside it and a
 * rename, keeping its permission bits (and refused, EACCES, when the user
 * may not write it, as cp refuses it); a device, a FIFO or a symbolic link
 * (/dev/null, /dev/stdout) is written in place and stays what it is. A
 * SIGINT or SIGTERM handler that calls kg_render_abort_in_progress removes
 * the temporary file being written.
 *
 * Not for several threads at once: one file is written at a time.
 */
#ifndef KGRAPH_FILE_H
#define KGRAPH_FILE_H

#include "kgraph/visibility.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kg_file_writer kg_file_writer;

/**
 * Start writing path (see above). *out receives the writer, to be ended by
 * exactly one of kg_file_writer_commit or kg_file_writer_abort.
 * @return KG_OK; KG_EIO with errno set (EACCES for a file the user may not
 *         write, or why the temporary file could not be made); KG_ENOMEM.
 */
KG_EXPORT int kg_file_writer_open(kg_file_writer **out, const char *path);

/** Append len bytes. KG_OK, or KG_EIO with errno set. */
KG_EXPORT int kg_file_writer_write(kg_file_writer *w, const void *data, size_t len);

/** Finish: close, and put the new file in place. Frees w, on failure too.
 * KG_OK, or KG_EIO with errno set (the target is then as it was). */
KG_EXPORT int kg_file_writer_commit(kg_file_writer *w);

/** Give up: close and remove the temporary file; the target is as it was.
 * Frees w. NULL is a no-op. */
KG_EXPORT void kg_file_writer_abort(kg_file_writer *w);

#ifdef __cplusplus
}
#endif

#endif
