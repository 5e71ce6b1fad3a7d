/*
 * breaks.h - the line breaks libyaml counts and editors do not (NEL, LS,
 * PS), noted as the input is read (breaks.c; private to src/load).
 */
#ifndef KG_LOAD_BREAKS_H
#define KG_LOAD_BREAKS_H

#include <stddef.h>

struct kg__ld_file;
typedef struct kg__breaks kg__breaks;

/* A reader of f's FILE or text in memory; NULL when out of memory. */
kg__breaks *kg__breaks_new(const struct kg__ld_file *f);
/* Free k; NULL is a no-op. */
void kg__breaks_free(kg__breaks *k);
/* libyaml's read handler (yaml_read_handler_t), data being a kg__breaks:
 * the next bytes of the input, counted. 1, or 0 on a read error. */
int kg__breaks_read(void *data, unsigned char *buffer, size_t size, size_t *size_read);
/* Take the breaks before the character at index (libyaml's mark.index,
 * column its mark.column) out of *line and *col, already made 1-based
 * from the mark. k may be NULL. Safe while another thread reads. */
void kg__breaks_fix(kg__breaks *k, size_t index, size_t column, unsigned *line, unsigned *col);

#endif
