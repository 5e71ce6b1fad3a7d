/*
 * event.h - the YAML events the loader's readers see, and the interface of
 * the event reader that makes them (private).
 *
 * The readers (read_*.c) know YAML only as this stream of events: kgraph's
 * own type, with 1-based lines and columns and the text of a scalar. Only
 * the event reader (events.c) knows libyaml, so no libyaml type appears
 * here. The event types keep libyaml's numbering (events.c checks that at
 * compile time), so that turning one of its events into ours costs no
 * table or switch on the hot path.
 */
#ifndef KG_LOAD_EVENT_H
#define KG_LOAD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum kg__ev_type {
	KG__EV_NONE,
	KG__EV_STREAM_START,
	KG__EV_STREAM_END,
	KG__EV_DOCUMENT_START,
	KG__EV_DOCUMENT_END,
	KG__EV_ALIAS,
	KG__EV_SCALAR,
	KG__EV_SEQUENCE_START,
	KG__EV_SEQUENCE_END,
	KG__EV_MAPPING_START,
	KG__EV_MAPPING_END
} kg__ev_type;

/* An event. A scalar's text is borrowed: it stays valid until the next
 * event is read (kg__ld_next), unless it came from an anchor (then it
 * lives as long as the file's anchors). */
typedef struct kg__ev {
	kg__ev_type type;
	const char *val; /* scalar text, NUL-terminated */
	size_t len;
	unsigned line, col; /* 1-based; 0:0 for the file as a whole */
	unsigned char plain; /* plain style and untagged: eligible for null/bool/number */
	unsigned char hashed; /* hash is kg__strtab_hash(val, len) */
	/* The null value of a key written with no ':' in a flow mapping
	 * (`{name: Washington, D.C.}`); line and col are the key's. */
	unsigned char split;
	uint32_t hash;
} kg__ev;

struct kg__loader;

/* ---- the event reader (events.c) ----------------------------------- */

/* Start reading the loader's current file (L->f): from its FILE or its
 * text in memory, in a parser thread when the options and the file's size
 * ask for one. 0 or KG_ENOMEM. */
int kg__ld_reader_open(struct kg__loader *L);

/* The file's next event as libyaml gives it, aliases not expanded: an
 * alias event has *name set to the anchor it names; another event with an
 * anchor has *name set to the anchor's name (borrowed like the text).
 * Reports a syntax error (then returns LD_STOP or KG_ENOMEM) and an
 * unknown tag (then goes on). Counts the event for progress. */
int kg__ld_read_event(struct kg__loader *L, kg__ev *e, const char **name);

/* Stop reading the current file: drop the events held, stop the parser
 * thread, free libyaml's parser. Safe after a failed open. */
void kg__ld_reader_close(struct kg__loader *L);

/* ---- syntax errors (events.c finds them, syntax_errors.c words them) */

/* A block collection (one laid out by indentation, not [...] or {...}),
 * where it starts: line and column of its first key or '-'. Line 0:
 * none. */
typedef struct kg__syn_block {
	unsigned line, col;
	unsigned char seq; /* a list; else a mapping */
} kg__syn_block;

/* What libyaml could not read, in kgraph's terms: the event reader fills
 * it from libyaml's parser, so that putting it into words needs no
 * libyaml. Lines and columns are 1-based. */
typedef struct kg__syntax {
	const char *problem; /* libyaml's words */
	const char *context; /* "while parsing a block mapping", or NULL */
	unsigned line, col, ctx_line, ctx_col;
	/* Text that is not UTF-8 or holds control characters: no line or
	 * column yet, the byte offset to blame, and its byte (-1: none). */
	bool unreadable, bad_utf8;
	size_t offset;
	int byte;
	bool tab;      /* the scanner stopped at a tab where it reads indentation */
	bool long_key; /* a key longer than YAML's 1024 characters (see events.c) */
	/* For the indentation mistakes: the spaces before the first character
	 * of the problem's line (-1: not known), the innermost block
	 * collection still open, and the one the last events closed (line 0:
	 * the last event closed none). */
	int indent;
	kg__syn_block open, closed;
	/* The last scalar began on an earlier line and ran on to the problem's
	 * line: YAML took a line indented too deep as more of a value. */
	unsigned swallowed_line;
} kg__syntax;

/* Report s as the file's syntax error: LD_STOP, or KG_ENOMEM. */
int kg__ld_syntax_error(struct kg__loader *L, const kg__syntax *s);

/* Seconds on a monotonic clock, for the load statistics. */
double kg__ld_now(void);

#endif
