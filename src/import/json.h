/*
 * json.h - a small strict JSON reader for the importers (private).
 *
 * RFC 8259 and nothing more: no comments, no trailing commas, no NaN, no
 * bare words; strings must be valid UTF-8 without raw control characters
 * and \u escapes must pair their surrogates and not be \u0000 (text in a
 * graph is a C string). Every bound is named in kgraph/limits.h: nesting
 * (KG_MAX_JSON_DEPTH), one string's length (KG_MAX_JSON_STRING_BYTES),
 * one number's (KG_MAX_NUMBER_BYTES). The whole document becomes a tree
 * in an arena the caller owns, each value with its 1-based line and column
 * (in characters), so that an importer can point at what it rejects.
 */
#ifndef KG_IMPORT_JSON_H
#define KG_IMPORT_JSON_H

#include "util/arena.h"

#include <stddef.h>

typedef enum kg__jtype {
	KG__J_NULL,
	KG__J_FALSE,
	KG__J_TRUE,
	KG__J_NUMBER,
	KG__J_STRING,
	KG__J_ARRAY,
	KG__J_OBJECT
} kg__jtype;

typedef struct kg__jval kg__jval;
struct kg__jval {
	kg__jtype type;
	unsigned line, col;
	const char *s;   /* string: decoded, NUL-terminated; number: its text */
	size_t len;      /* of s */
	const char *key; /* the member's name, when this is an object member */
	kg__jval *child; /* first item or member (array, object) */
	kg__jval *next;  /* next sibling */
	size_t n;        /* items or members */
};

typedef struct kg__json_error {
	unsigned line, col;
	char msg[160];
} kg__json_error;

/* The length of the valid UTF-8 sequence at p (before end): no overlong
 * form, no surrogate, nothing above U+10FFFF; 0 when there is none. The
 * CSV reader checks its cells with it too. */
size_t kg__utf8_valid(const unsigned char *p, const unsigned char *end);

/* Count byte c at *line, *col (1-based, columns in characters: a UTF-8
 * continuation byte does not start one). */
static inline void kg__text_step(unsigned *line, unsigned *col, unsigned char c)
{
	if (c == '\n') {
		++*line;
		*col = 1;
	} else if ((c & 0xC0) != 0x80)
		++*col;
}

/* Parse data (len bytes) into *out, allocated in arena. 0, or -1 with
 * err filled (err->line 0: out of memory). */
int kg__json_parse(kg__jval **out, kg__arena *arena, const char *data, size_t len, kg__json_error *err);

/* Add n to the line of v and of everything in it (a document parsed on
 * its own that was one line of a file). */
void kg__json_shift_lines(kg__jval *v, unsigned n);

/* The first member of object o called key, or NULL. O(members). */
const kg__jval *kg__json_get(const kg__jval *o, const char *key);

#endif
