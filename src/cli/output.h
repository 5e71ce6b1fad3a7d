/*
 * output.h - how the query commands build their output: a growable
 * buffer written once, text made safe for a terminal or a TSV cell, a
 * small JSON writer with a fixed layout, colours, and aligned tables.
 */
#ifndef KG_CLI_OUTPUT_H
#define KG_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Bytes to be written. An allocation failure sets failed and drops all
 * later appends, so callers check once, at the end.
 *
 * A command's main output sets stream (stdout): the buffer is then
 * written out whenever it holds KG_CLI_STREAM_CHUNK bytes, so that a
 * million paths in JSON (1.7 GB) never sit in memory at once. A write
 * that fails stops the appends too (write_failed, with its errno), and
 * kg_cli_buf_flush reports it. Callers never read back what they put. */
#define KG_CLI_STREAM_CHUNK 65536
typedef struct kg_cli_buf {
	char *p;
	size_t len, cap;
	bool failed;
	bool write_failed;
	int write_errno;
	void *stream; /* FILE *, or NULL to keep everything */
} kg_cli_buf;

void kg_cli_put(kg_cli_buf *b, const char *s, size_t n);
void kg_cli_puts(kg_cli_buf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void kg_cli_printf(kg_cli_buf *b, const char *fmt, ...);
/* s with every character that could break a line or drive a terminal
 * (kg_text_escape: C0, DEL, C1, U+2028, U+2029, bytes not UTF-8) turned
 * into a space: what a TSV cell can hold. NULL puts nothing. */
void kg_cli_put_clean(kg_cli_buf *b, const char *s);
/* s with those characters written as escapes (\n, \e, \x7f, \u2028):
 * text output and messages. NULL puts nothing. */
void kg_cli_put_text(kg_cli_buf *b, const char *s);
/* kg_cli_put_text, straight to a stream (a message on stderr). */
void kg_cli_fput_text(FILE *f, const char *s);
void kg_cli_buf_free(kg_cli_buf *b);

/* A streamed buffer: hand what it holds to its stream now (stdio
 * buffers it, and a terminal shows it line by line). */
void kg_cli_buf_pass(kg_cli_buf *b);

/* Write the buffer (what remains of it, for a stream) to stdout and
 * check the writes (kg_cli_finish_output); frees it. Returns code,
 * EXIT_IO on a write or allocation failure. */
int kg_cli_buf_flush(kg_cli_buf *b, int code);

/* A number: whole ones as integers, others in the shortest form that
 * reads back exactly. */
void kg_cli_put_number(kg_cli_buf *b, double v);

/* Columns UTF-8 text takes on a terminal (kg_text_width), for alignment. */
size_t kg_cli_width(const char *s);

/* ---- colours ------------------------------------------------------- */

/* ANSI escapes, or "" each when colour is off. */
typedef struct kg_cli_style {
	const char *entity; /* entity names */
	const char *rel;    /* relation types and arrows */
	const char *head;   /* headings */
	const char *dim;    /* dates, sources, ids */
	const char *off;
} kg_cli_style;

/* Decide from --color's value (auto, always, never; NULL = auto): auto
 * colours only when stdout is a terminal, NO_COLOR is unset or empty and
 * TERM is not dumb.
 * Returns false for an unknown value. */
bool kg_cli_style_init(kg_cli_style *st, const char *when);

/* ---- JSON ---------------------------------------------------------- */

/* Writes one document: two-space indentation, one member or element a
 * line, empty containers as {} and []. Keys come in the order written. */
#define KG_CLI_JSON_DEPTH 16
typedef struct kg_cli_json {
	kg_cli_buf *b;
	int depth;
	bool after_key;
	bool first[KG_CLI_JSON_DEPTH];
} kg_cli_json;

void kg_cli_json_init(kg_cli_json *j, kg_cli_buf *b);
void kg_cli_json_object(kg_cli_json *j);
void kg_cli_json_array(kg_cli_json *j);
void kg_cli_json_end(kg_cli_json *j, char close);
void kg_cli_json_key(kg_cli_json *j, const char *key);
/* A string value; NULL writes null. */
void kg_cli_json_string(kg_cli_json *j, const char *s);
void kg_cli_json_uint(kg_cli_json *j, unsigned long long v);
void kg_cli_json_number(kg_cli_json *j, double v);
void kg_cli_json_bool(kg_cli_json *j, bool v);
void kg_cli_json_null(kg_cli_json *j);
/* Shorthands: key and value. */
void kg_cli_json_kstring(kg_cli_json *j, const char *key, const char *s);
void kg_cli_json_kuint(kg_cli_json *j, const char *key, unsigned long long v);
/* A quoted, escaped JSON string: quote and backslash escaped, control
 * characters as \uXXXX. */
void kg_cli_put_json_string(kg_cli_buf *b, const char *s);

/* ---- tables -------------------------------------------------------- */

/* Rows of cells printed with columns padded to their widest cell (the
 * last column is not padded), two spaces apart, each column in its own
 * colour, cells written by kg_cli_put_text. The rows are given twice, so
 * that the table never holds them (memory stays that of one row):
 *
 *     kg_cli_table_init(&t, 3, colors, b, off, 0);
 *     for (pass = 0; pass < 2; pass++) {
 *             kg_cli_table_pass(&t, pass);
 *             ... kg_cli_table_row(&t, cells) for each row, the same each pass
 *     }
 *     kg_cli_table_free(&t);
 *
 * Pass 0 measures the columns (in display width, kg_text_width); pass 1
 * appends the rows to b, each line indented by indent spaces. */
typedef struct kg_cli_table {
	size_t ncols;
	const char *const *colors; /* ncols escapes, or NULL */
	size_t *width;             /* ncols widths (b->failed when it could not be had) */
	bool printing;
	kg_cli_buf *b;
	const char *off;
	int indent;
	kg_cli_buf cell; /* the cell being written */
} kg_cli_table;

void kg_cli_table_init(kg_cli_table *t, size_t ncols, const char *const *colors, kg_cli_buf *b, const char *off,
                       int indent);
void kg_cli_table_pass(kg_cli_table *t, int pass);
/* A row of ncols cells (NULL = empty): measured, or printed. */
void kg_cli_table_row(kg_cli_table *t, const char *const *cells);
void kg_cli_table_free(kg_cli_table *t);

#endif
