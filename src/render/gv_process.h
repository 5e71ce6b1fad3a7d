/*
 * gv_process.h - between gv.c (what Graphviz does) and gv_process.c
 * (where it runs: a child process, or in-process) (private).
 */
#ifndef KG_RENDER_GV_PROCESS_H
#define KG_RENDER_GV_PROCESS_H

#include "render/drawing.h"

#include <stdbool.h>
#include <stddef.h>

/* gv.c: in the forked child, lay out and render the drawing and write
 * the frames (gv.c's opening comment) to the file descriptor out; then
 * _exit. Never returns. */
void kg__gv_child_main(int out, const kg__rdrawing *d, const kg__gvjob *job);

/* gv.c: lay out and render in this process; as kg__render_graphviz. */
int kg__gv_in_process(unsigned char **out, size_t *len, const kg__rdrawing *d, kg__gvjob *job,
                      kg_diag_list *diags);

/* gv_process.c: write all of data to fd (retrying after EINTR). */
bool kg__gv_write_all(int fd, const void *data, size_t len);

/* gv_process.c: turn the 'M' frames in buf[0..n) into diagnostics; stop
 * at the first other frame. Returns the offset reached. */
size_t kg__gv_read_messages(const char *buf, size_t n, kg_diag_list *diags);

#endif
