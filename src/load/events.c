/*
 * events.c - the event reader: the one file that uses libyaml. It turns
 * a file's YAML into kgraph's events (event.h), parsed here or, for a
 * large file, in a parser thread beside the reader.
 *
 * Pipeline position: file text -> events -> alias.c -> the readers. No
 * document tree is built.
 *
 * Invariants:
 * - libyaml marks are 0-based and count characters; they become 1-based
 *   in mark_loc() only, which also counts lines as editors do (with
 *   breaks.c, libyaml's read handler). Reader errors (bad UTF-8, control characters)
 *   carry a byte offset instead, turned into a line and column by a second
 *   look at the file (kg__diag_fill_lines).
 * - With or without the parser thread the readers get the same events in
 *   the same order, and a parse error is reported when the reader reaches
 *   the event before the one that failed, so the diagnostics and their
 *   order are the same.
 * - A syntax error is described here (a kg__syntax) and put into words
 *   by syntax_errors.c, which needs no libyaml.
 * - kgraph's event types keep libyaml's numbers (checked below), so an
 *   event's type is converted by a cast.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "load/breaks.h"
#include "load/loader.h"

#include <yaml.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SAME_NUMBER(ours, libyaml) _Static_assert((int)(ours) == (int)(libyaml), #ours " is " #libyaml)
SAME_NUMBER(KG__EV_NONE, YAML_NO_EVENT);
SAME_NUMBER(KG__EV_STREAM_START, YAML_STREAM_START_EVENT);
SAME_NUMBER(KG__EV_STREAM_END, YAML_STREAM_END_EVENT);
SAME_NUMBER(KG__EV_DOCUMENT_START, YAML_DOCUMENT_START_EVENT);
SAME_NUMBER(KG__EV_DOCUMENT_END, YAML_DOCUMENT_END_EVENT);
SAME_NUMBER(KG__EV_ALIAS, YAML_ALIAS_EVENT);
SAME_NUMBER(KG__EV_SCALAR, YAML_SCALAR_EVENT);
SAME_NUMBER(KG__EV_SEQUENCE_START, YAML_SEQUENCE_START_EVENT);
SAME_NUMBER(KG__EV_SEQUENCE_END, YAML_SEQUENCE_END_EVENT);
SAME_NUMBER(KG__EV_MAPPING_START, YAML_MAPPING_START_EVENT);
SAME_NUMBER(KG__EV_MAPPING_END, YAML_MAPPING_END_EVENT);

/* A mapping or a list, where it starts; block: laid out by indentation
 * (not [...] or {...}). Deeper nesting than KG__BLOCKS is counted but
 * not kept (the loader stops far earlier, at KG_MAX_YAML_DEPTH). */
#define KG__BLOCKS 64
struct kg__block {
	yaml_mark_t mark;
	unsigned char seq, block;
};

/* The reader of one file: libyaml's parser, and the current event and the
 * one after it (see parse_ahead). */
struct kg__reader {
	yaml_parser_t parser;
	struct kg__pipe *pipe; /* the parser thread, or NULL: parse here */
	yaml_event_t cur;
	int have_cur;
	uint64_t ahead_batch; /* the pipe's batches of ahead and cur */
	/* The event after cur, parsed before cur is handed out (see
	 * parse_ahead), and the hash of its text. */
	yaml_event_t ahead;
	enum { AHEAD_NONE, AHEAD_OK, AHEAD_FAILED } ahead_state;
	uint32_t ahead_hash, cur_hash;
	yaml_mark_t text_start, text_end; /* the last text libyaml read, for long_key */
	yaml_mark_t key_start;            /* the text before it */
	int have_text, last_was_text, text_after_key;
	int split; /* the current event is a value missing after a comma (split_value) */
	struct kg__breaks *breaks; /* the input, as libyaml reads it */
	/* The collections open, innermost last (the first KG__BLOCKS of
	 * them), and the last one closed, for the indentation errors. */
	struct kg__block blocks[KG__BLOCKS];
	size_t depth;
	struct kg__block closed;
	int closed_fresh; /* the last event closed it */
	int failed;       /* the syntax error was reported */
};

double kg__ld_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the parser thread --------------------------------------------- */

/* On a large file, libyaml runs in a thread of its own and hands its
 * events to the reader (kg__ld_read_event) through a ring of PIPE_BATCHES
 * batches, so that parsing the YAML overlaps checking and storing what it
 * says.
 * The reader takes the events in the order libyaml made them, as it
 * would take them from yaml_parser_parse: the graph, the diagnostics and
 * their order are the same with or without the thread.
 *
 * The parser thread copies an event's texts into its batch and frees
 * libyaml's copies itself, so that memory goes back to the thread that
 * allocated it and the reader reads one compact array. A batch goes back
 * to the parser once the reader holds no event from it (the current
 * event and the one parsed ahead, see parse_ahead), so the memory is
 * fixed: PIPE_BATCHES batches of PIPE_EVENTS events and PIPE_TEXT bytes of
 * text (more for a longer scalar). The parser thread stops at the end of the stream, at
 * an error, which the reader reports when it gets there, or when the
 * reader stops early and cancels it. */

#define PIPE_BATCHES 16 /* at least 3: the reader holds two */
#define PIPE_EVENTS 4096
#define PIPE_TEXT (128 * 1024)
#define PIPE_STEP 32   /* events the parser adds to a batch between publications */
#define PIPE_SPIN 256 /* at most this many polls (a few us) before a side sleeps */
#define PIPE_SPIN_MIN 16

/* An event in 28 bytes: its marks in 32 bits (a piped file is below
 * 4 GiB; the loader reads no end column), and which texts it has. The
 * texts follow each other in the batch's text in the order of the events,
 * each value, anchor and tag NUL-terminated, so the reader finds them by
 * walking. */
#define PEV_VALUE 1u
#define PEV_ANCHOR 2u
#define PEV_TAG 4u
#define PEV_PLAIN_IMPLICIT 8u
#define PEV_QUOTED_IMPLICIT 16u
typedef struct pev {
	uint8_t type, style, flags, unused;
	uint32_t len; /* of the value */
	uint32_t start_index, start_line, start_col;
	uint32_t end_index, end_line;
} pev;

/* The reader reads a batch while the parser fills it: the events below n
 * are complete, and once closed is set, n is final. What the parser
 * writes for every event, what both sides poll, and what only the reader
 * writes are kept PIPE_PAD bytes apart, on separate cache lines: a line
 * shared by a field one thread writes all the time and one the other
 * polls moves between the CPUs on every write. */
#define PIPE_PAD 64
typedef struct pbatch {
	pev ev[PIPE_EVENTS];
	char *text;      /* written by the parser only while the batch is empty */
	int grown;       /* text was grown with malloc; else it is in the pipe's block */
	int failed;      /* the parse after the n events failed; set before closed */
	char pad0[PIPE_PAD];
	size_t tn, tcap; /* the parser's */
	char pad1[PIPE_PAD];
	_Atomic size_t n;
	_Atomic int closed;
	char pad2[PIPE_PAD];
} pbatch;

/* Both sides poll the other's progress for a while before they sleep:
 * the parser publishes every PIPE_STEP events, a few microseconds apart,
 * and waking a sleeping thread costs about 0.1 ms on a virtual machine. How long a side polls adapts:
 * polling that ends in sleep halves it, polling that succeeds doubles
 * it, up to PIPE_SPIN. So when the other CPU is busy with another
 * program, and the two threads share one CPU, they soon stop polling
 * and take turns a batch at a time. A side that sleeps says so in
 * sleeping; the parser wakes the reader when it closes a batch, and the
 * reader wakes the parser when it releases one. Each stores its progress
 * before it loads the other's state (sequentially consistent atomics),
 * so a wake-up is never missed. */
typedef struct kg__pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	yaml_parser_t *parser;
	int timed;
	char pad0[PIPE_PAD];
	/* The parser's. */
	double parse_seconds;     /* read after the join */
	_Atomic uint64_t started; /* batches it has begun to fill */
	_Atomic size_t offset;    /* bytes parsed, for progress */
	char pad1[PIPE_PAD];
	_Atomic uint64_t released; /* batches the reader is done with */
	_Atomic int cancel;
	_Atomic int sleeping;
	char pad2[PIPE_PAD];
	/* The reader's. */
	uint64_t rb;  /* the batch it reads */
	size_t rpos;  /* the next event in it */
	size_t avail; /* events in it known to be complete */
	size_t rtext; /* where the next event's texts start in it */
	uint64_t rel; /* its last release */
	unsigned spin;
	char pad3[PIPE_PAD];
	pbatch b[PIPE_BATCHES];
} kg__pipe;

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* Wake the other side if it sleeps. Call after storing progress. */
static void pipe_wake(kg__pipe *p)
{
	if (atomic_load(&p->sleeping)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* Wait until ready(p) holds, polling up to *spin times first. */
static void pipe_wait(kg__pipe *p, int (*ready)(kg__pipe *), unsigned *spin)
{
	unsigned i;

	for (i = 0; i < *spin; i++) {
		if (ready(p)) {
			if (*spin < PIPE_SPIN)
				*spin *= 2;
			return;
		}
		cpu_relax();
	}
	if (*spin > PIPE_SPIN_MIN)
		*spin /= 2;
	pthread_mutex_lock(&p->mu);
	atomic_fetch_add(&p->sleeping, 1);
	while (!ready(p))
		pthread_cond_wait(&p->cv, &p->mu);
	atomic_fetch_sub(&p->sleeping, 1);
	pthread_mutex_unlock(&p->mu);
}

/* Append text of len bytes and a NUL to the batch's text. */
static void pipe_text(pbatch *b, const unsigned char *text, size_t len)
{
	memcpy(b->text + b->tn, text, len);
	b->text[b->tn + len] = '\0';
	b->tn += len + 1;
}

static uint32_t clamp32(size_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Add y to b as its event n: 0, 1 when b is full (y goes in the next
 * batch), or KG_ENOMEM. An event whose texts do not fit an empty batch
 * grows it (the reader reads no text of a batch without events). */
static int pipe_put(pbatch *b, size_t n, const yaml_event_t *y)
{
	const unsigned char *anc = NULL, *tag = NULL, *value = NULL;
	size_t len = 0, need;
	pev *e;

	switch (y->type) {
	case YAML_SCALAR_EVENT:
		value = y->data.scalar.value;
		len = y->data.scalar.length;
		anc = y->data.scalar.anchor;
		tag = y->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anc = y->data.sequence_start.anchor;
		tag = y->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anc = y->data.mapping_start.anchor;
		tag = y->data.mapping_start.tag;
		break;
	case YAML_ALIAS_EVENT:
		anc = y->data.alias.anchor;
		break;
	default:
		break;
	}
	need = (value ? len + 1 : 0) + (anc ? strlen((const char *)anc) + 1 : 0) +
	       (tag ? strlen((const char *)tag) + 1 : 0);
	if (n == PIPE_EVENTS || need > b->tcap - b->tn) {
		char *grown;
		if (n)
			return 1;
		if (need > UINT32_MAX - 1)
			return KG_ENOMEM;
		/* Plain realloc: kg__realloc's failure hook is the reader's. */
		grown = realloc(b->grown ? b->text : NULL, need);
		if (!grown)
			return KG_ENOMEM;
		b->text = grown;
		b->grown = 1;
		b->tcap = need;
	}
	e = &b->ev[n];
	e->type = (uint8_t)y->type;
	e->style = 0;
	e->flags = 0;
	e->unused = 0;
	e->len = (uint32_t)len;
	if (value) {
		pipe_text(b, value, len);
		e->flags |= PEV_VALUE;
	}
	if (anc) {
		pipe_text(b, anc, strlen((const char *)anc));
		e->flags |= PEV_ANCHOR;
	}
	if (tag) {
		pipe_text(b, tag, strlen((const char *)tag));
		e->flags |= PEV_TAG;
	}
	/* A collection's style too: the syntax errors tell block from flow. */
	if (y->type == YAML_SEQUENCE_START_EVENT)
		e->style = (uint8_t)y->data.sequence_start.style;
	else if (y->type == YAML_MAPPING_START_EVENT)
		e->style = (uint8_t)y->data.mapping_start.style;
	if (y->type == YAML_SCALAR_EVENT) {
		e->style = (uint8_t)y->data.scalar.style;
		e->flags |= (y->data.scalar.plain_implicit ? PEV_PLAIN_IMPLICIT : 0) |
		            (y->data.scalar.quoted_implicit ? PEV_QUOTED_IMPLICIT : 0);
	}
	e->start_index = clamp32(y->start_mark.index);
	e->start_line = clamp32(y->start_mark.line);
	e->start_col = clamp32(y->start_mark.column);
	e->end_index = clamp32(y->end_mark.index);
	e->end_line = clamp32(y->end_mark.line);
	return 0;
}

/* The parser may begin another batch, or must stop. */
static int pipe_room(kg__pipe *p)
{
	return atomic_load(&p->cancel) || atomic_load(&p->started) - atomic_load(&p->released) < PIPE_BATCHES;
}

static void *pipe_main(void *arg)
{
	kg__pipe *p = arg;
	yaml_event_t y;
	int have = 0, done = 0;
	unsigned spin = PIPE_SPIN;
	uint64_t k;

	for (k = 0; !done; k++) {
		pbatch *b = &p->b[k % PIPE_BATCHES];
		size_t n = 0;

		pipe_wait(p, pipe_room, &spin);
		if (atomic_load(&p->cancel))
			break;
		b->tn = 0;
		b->failed = 0;
		atomic_store(&b->n, 0);
		atomic_store(&b->closed, 0);
		atomic_store(&p->started, k + 1);
		for (;;) {
			int rc;
			if (!have) {
				int ok;
				if (p->timed) {
					double t0 = kg__ld_now();
					ok = yaml_parser_parse(p->parser, &y);
					p->parse_seconds += kg__ld_now() - t0;
				} else {
					ok = yaml_parser_parse(p->parser, &y);
				}
				if (!ok) {
					b->failed = done = 1;
					break;
				}
				have = 1;
			}
			rc = pipe_put(b, n, &y);
			if (rc == 1)
				break;
			if (rc) {
				/* The reader reports it as libyaml's own. */
				p->parser->error = YAML_MEMORY_ERROR;
				b->failed = done = 1;
				break;
			}
			have = 0;
			yaml_event_delete(&y);
			if (b->ev[n++].type == YAML_STREAM_END_EVENT) {
				done = 1;
				break;
			}
			if (n % PIPE_STEP == 0) {
				/* For a reader that polls; one that sleeps waits
				 * for the batch to close. */
				atomic_store_explicit(&p->offset, p->parser->offset, memory_order_relaxed);
				atomic_store(&b->n, n);
			}
		}
		atomic_store_explicit(&p->offset, p->parser->offset, memory_order_relaxed);
		atomic_store(&b->n, n);
		atomic_store(&b->closed, 1);
		pipe_wake(p);
	}
	if (have)
		yaml_event_delete(&y);
	return NULL;
}

/* The pipe and its batches' text are one block of PIPE_BYTES, mapped
 * rather than allocated: unmapping gives the memory back to the system
 * before the indexes are built, whatever malloc would have kept. */
#define PIPE_BYTES (sizeof(kg__pipe) + (size_t)PIPE_BATCHES * PIPE_TEXT)

static void pipe_free(kg__pipe *p)
{
	size_t i;

	for (i = 0; i < PIPE_BATCHES; i++)
		if (p->b[i].grown)
			free(p->b[i].text);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	munmap(p, PIPE_BYTES);
}

/* Start parsing with parser in a thread; NULL when that cannot be done
 * (the caller then parses in its own). */
static kg__pipe *pipe_start(yaml_parser_t *parser, int timed)
{
	void *block = mmap(NULL, PIPE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	kg__pipe *p = block;
	size_t i;

	if (block == MAP_FAILED)
		return NULL;
	/* Mapped memory is zero: every counter and flag starts at 0. */
	if (pthread_mutex_init(&p->mu, NULL)) {
		munmap(block, PIPE_BYTES);
		return NULL;
	}
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->mu);
		munmap(block, PIPE_BYTES);
		return NULL;
	}
	for (i = 0; i < PIPE_BATCHES; i++) {
		p->b[i].text = (char *)block + sizeof *p + i * PIPE_TEXT;
		p->b[i].tcap = PIPE_TEXT;
	}
	p->parser = parser;
	p->timed = timed;
	p->spin = PIPE_SPIN;
	if (pthread_create(&p->thread, NULL, pipe_main, p)) {
		pipe_free(p);
		return NULL;
	}
	return p;
}

/* Cancel the parser thread, wait for it and free the pipe. Its parsing
 * time goes to *parse_seconds. */
static void pipe_stop(kg__pipe *p, double *parse_seconds)
{
	atomic_store(&p->cancel, 1);
	pipe_wake(p);
	pthread_join(p->thread, NULL);
	*parse_seconds += p->parse_seconds;
	pipe_free(p);
}

/* The reader may go on: its batch has an event it has not read, or is
 * closed (only closing wakes a sleeping reader). */
static int pipe_ready(kg__pipe *p)
{
	const pbatch *b = &p->b[p->rb % PIPE_BATCHES];

	return atomic_load(&p->started) > p->rb && (atomic_load(&b->n) > p->rpos || atomic_load(&b->closed));
}

/* The next event into y, and the batch it is in: 1, or 0 when libyaml
 * failed there (its parser holds the error, and the thread has stopped).
 * The event's texts stay valid until its batch is released. */
static int pipe_take(kg__pipe *p, yaml_event_t *y, uint64_t *batch)
{
	const pbatch *b;
	const pev *e;
	yaml_char_t *value = NULL, *anc = NULL, *tag = NULL;

	while (p->rpos >= p->avail) {
		b = &p->b[p->rb % PIPE_BATCHES];
		pipe_wait(p, pipe_ready, &p->spin);
		if (atomic_load(&b->closed)) {
			/* n is final now; read it after closed. */
			p->avail = atomic_load(&b->n);
			if (p->rpos < p->avail)
				break;
			if (b->failed)
				return 0;
			p->rb++;
			p->rpos = p->avail = p->rtext = 0;
		} else {
			p->avail = atomic_load(&b->n);
		}
	}
	b = &p->b[p->rb % PIPE_BATCHES];
	e = &b->ev[p->rpos++];
	memset(y, 0, sizeof *y);
	y->type = (yaml_event_type_t)e->type;
	y->start_mark.index = e->start_index;
	y->start_mark.line = e->start_line;
	y->start_mark.column = e->start_col;
	y->end_mark.index = e->end_index;
	y->end_mark.line = e->end_line;
	if (e->flags & PEV_VALUE) {
		value = (yaml_char_t *)b->text + p->rtext;
		p->rtext += e->len + 1;
	}
	if (e->flags & PEV_ANCHOR) {
		anc = (yaml_char_t *)b->text + p->rtext;
		p->rtext += strlen((const char *)anc) + 1;
	}
	if (e->flags & PEV_TAG) {
		tag = (yaml_char_t *)b->text + p->rtext;
		p->rtext += strlen((const char *)tag) + 1;
	}
	switch (y->type) {
	case YAML_SCALAR_EVENT:
		y->data.scalar.value = value;
		y->data.scalar.length = e->len;
		y->data.scalar.anchor = anc;
		y->data.scalar.tag = tag;
		y->data.scalar.style = (yaml_scalar_style_t)e->style;
		y->data.scalar.plain_implicit = (e->flags & PEV_PLAIN_IMPLICIT) != 0;
		y->data.scalar.quoted_implicit = (e->flags & PEV_QUOTED_IMPLICIT) != 0;
		break;
	case YAML_SEQUENCE_START_EVENT:
		y->data.sequence_start.anchor = anc;
		y->data.sequence_start.tag = tag;
		y->data.sequence_start.style = (yaml_sequence_style_t)e->style;
		break;
	case YAML_MAPPING_START_EVENT:
		y->data.mapping_start.anchor = anc;
		y->data.mapping_start.tag = tag;
		y->data.mapping_start.style = (yaml_mapping_style_t)e->style;
		break;
	case YAML_ALIAS_EVENT:
		y->data.alias.anchor = anc;
		break;
	default:
		break;
	}
	*batch = p->rb;
	return 1;
}

/* The reader holds no event from a batch before batch: give them back. */
static void pipe_release(kg__pipe *p, uint64_t batch)
{
	if (batch <= p->rel)
		return;
	p->rel = batch;
	atomic_store(&p->released, batch);
	pipe_wake(p);
}



/* ---- the reader ---------------------------------------------------- */

/* A libyaml mark, 0-based, as kgraph's 1-based line and column: the one
 * place that converts them (the NEL, LS and PS libyaml counted as line
 * breaks are taken out in breaks.c). */
static void mark_loc(const struct kg__reader *R, yaml_mark_t m, unsigned *line, unsigned *col)
{
	*line = (unsigned)m.line + 1;
	*col = (unsigned)m.column + 1;
	kg__breaks_fix(R->breaks, m.index, m.column, line, col);
}

/* libyaml takes text as a key only when it is at most 1024 characters
 * long (YAML's limit for a key written without '? '). A longer key, such
 * as an entity id of a megabyte, is then a syntax error that does not say
 * why: "could not find expected ':'" (while scanning a simple key, on one
 * line) or, when the mapping is not open yet, "mapping values are not
 * allowed in this context" right after a long text on the same line (not
 * one that is the value of a key on that line: `title: a: b` is another
 * mistake). */
static bool long_key(const struct kg__reader *R)
{
	const yaml_parser_t *p = &R->parser;

	if (strcmp(p->problem, "could not find expected ':'") == 0)
		return p->context && strcmp(p->context, "while scanning a simple key") == 0 &&
		       p->problem_mark.line == p->context_mark.line &&
		       p->problem_mark.index > p->context_mark.index + 1024;
	if (strcmp(p->problem, "mapping values are not allowed in this context") == 0)
		return R->have_text && !R->text_after_key && R->text_start.line == p->problem_mark.line &&
		       R->text_end.line == p->problem_mark.line && R->text_end.index > R->text_start.index + 1024;
	return false;
}

/* The spaces that begin the line of the scanner's mark, when that line
 * is still in libyaml's buffer; else -1. */
static int scanner_indent(const yaml_parser_t *p)
{
	const unsigned char *q = p->buffer.pointer;
	size_t back = p->mark.column;
	int n = 0;

	if (!q)
		return -1;
	while (back) {
		if (q == p->buffer.start)
			return -1;
		q--;
		if ((*q & 0xC0) != 0x80)
			back--;
	}
	while (q + n < p->buffer.last && q[n] == ' ' && n < 100000)
		n++;
	return n;
}

static void block_loc(const struct kg__reader *R, const struct kg__block *b, kg__syn_block *out)
{
	memset(out, 0, sizeof *out);
	if (!b)
		return;
	mark_loc(R, b->mark, &out->line, &out->col);
	out->seq = b->seq;
}

/* Report libyaml's error: LD_STOP, or KG_ENOMEM. */
static int syntax_error(kg__loader *L)
{
	const struct kg__reader *R = L->rd;
	const yaml_parser_t *p = &R->parser;
	kg__syntax s;

	if (p->error == YAML_MEMORY_ERROR)
		return KG_ENOMEM;
	memset(&s, 0, sizeof s);
	s.problem = p->problem ? p->problem : "unknown problem";
	s.byte = -1;
	s.indent = -1;
	if (p->error == YAML_READER_ERROR) {
		/* libyaml leaves the mark at the start; the byte offset is right,
		 * except that a bad UTF-8 sequence is blamed on the byte after
		 * its first one (the 0x20 after a Latin-1 'é'). The reader has
		 * not consumed the sequence: p->offset and raw_buffer.pointer
		 * are its first byte, the one to point at. */
		s.unreadable = true;
		s.offset = p->problem_offset;
		s.bad_utf8 = strstr(s.problem, "UTF-8") && p->raw_buffer.pointer < p->raw_buffer.last;
		if (s.bad_utf8) {
			s.offset = p->offset;
			s.byte = *p->raw_buffer.pointer;
		} else if (p->problem_value != -1) {
			s.byte = p->problem_value & 0xFF;
		}
		return kg__ld_syntax_error(L, &s);
	}
	mark_loc(R, p->problem_mark, &s.line, &s.col);
	/* libyaml's words for a tab where indentation is read; the scanner
	 * still points at the character it could not start a token with. */
	s.tab = strcmp(s.problem, "found character that cannot start any token") == 0 && p->buffer.pointer &&
	        p->buffer.pointer < p->buffer.last && *p->buffer.pointer == '\t';
	if (p->context) {
		s.context = p->context;
		mark_loc(R, p->context_mark, &s.ctx_line, &s.ctx_col);
	}
	s.long_key = p->problem && long_key(R);
	if (p->error == YAML_SCANNER_ERROR && p->problem_mark.index == p->mark.index)
		s.indent = scanner_indent(p);
	block_loc(R, R->depth && R->depth <= KG__BLOCKS ? &R->blocks[R->depth - 1] : NULL, &s.open);
	block_loc(R, R->closed_fresh ? &R->closed : NULL, &s.closed);
	if (R->have_text && R->last_was_text && R->text_start.line < p->problem_mark.line &&
	    R->text_end.line == p->problem_mark.line) {
		unsigned col;
		mark_loc(R, R->text_start, &s.swallowed_line, &col);
	}
	return kg__ld_syntax_error(L, &s);
}

static int tag_allowed(const char *tag)
{
	static const char *const ok[] = {"str", "int", "float", "bool", "null", "seq", "map"};
	static const char prefix[] = "tag:yaml.org,2002:";
	size_t i;

	if (!tag || strcmp(tag, "!") == 0)
		return 1;
	if (strncmp(tag, prefix, sizeof prefix - 1) != 0)
		return 0;
	for (i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strcmp(tag + sizeof prefix - 1, ok[i]) == 0)
			return 1;
	return 0;
}

/* Fill e from libyaml's current event, and *anchor_name and *tag from its
 * anchor and tag. Its texts stay valid until the next call to
 * kg__ld_read_event. */
static void convert(struct kg__reader *R, kg__ev *e, const char **anchor_name, const char **tag)
{
	const yaml_event_t *y = &R->cur;

	memset(e, 0, sizeof *e);
	e->type = (kg__ev_type)y->type;
	mark_loc(R, y->start_mark, &e->line, &e->col);
	*anchor_name = NULL;
	*tag = NULL;
	switch (y->type) {
	case YAML_SCALAR_EVENT:
		e->val = (const char *)y->data.scalar.value;
		e->len = y->data.scalar.length;
		e->hash = R->cur_hash;
		e->hashed = 1;
		*anchor_name = (const char *)y->data.scalar.anchor;
		*tag = (const char *)y->data.scalar.tag;
		/* Plain: resolved by the core schema as null, bool or number
		 * when it looks like one; an explicit !!int, !!float, !!bool or
		 * !!null asks for that resolution whatever the style. */
		e->plain = (y->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !*tag) ||
		           (*tag && (strcmp(*tag, "tag:yaml.org,2002:int") == 0 ||
		                     strcmp(*tag, "tag:yaml.org,2002:float") == 0 ||
		                     strcmp(*tag, "tag:yaml.org,2002:bool") == 0 ||
		                     strcmp(*tag, "tag:yaml.org,2002:null") == 0));
		break;
	case YAML_SEQUENCE_START_EVENT:
		*anchor_name = (const char *)y->data.sequence_start.anchor;
		*tag = (const char *)y->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		*anchor_name = (const char *)y->data.mapping_start.anchor;
		*tag = (const char *)y->data.mapping_start.tag;
		break;
	case YAML_ALIAS_EVENT:
		*anchor_name = (const char *)y->data.alias.anchor;
		break;
	default:
		break;
	}
}

/* Get the event after the current one: parse it, or take it from the
 * parser thread. Most of a large graph's text is new to the string table
 * or not in the cache, and looking it up is a cache miss on the table's
 * slot: prefetching that slot now, an event early, takes the miss off
 * the critical path. A parse error is kept for when the caller reaches the
 * event that failed, so that diagnostics come in the same order. */
static void parse_ahead(kg__loader *L, struct kg__reader *R)
{
	double t0 = L->opts->stats ? kg__ld_now() : 0;
	int ok;

	if (R->pipe)
		ok = pipe_take(R->pipe, &R->ahead, &R->ahead_batch);
	else
		ok = yaml_parser_parse(&R->parser, &R->ahead);
	if (L->opts->stats) {
		double dt = kg__ld_now() - t0;
		L->ahead_seconds += dt;
		if (!R->pipe)
			L->parse_seconds += dt;
	}
	R->ahead_state = ok ? AHEAD_OK : AHEAD_FAILED;
	if (ok && R->ahead.type == YAML_SCALAR_EVENT) {
		R->ahead_hash = kg__strtab_hash((const char *)R->ahead.data.scalar.value, R->ahead.data.scalar.length);
		kg__strtab_prefetch(&L->g->strings, R->ahead_hash);
	}
}

/* Done with event y: free it (a piped event is freed with its batch). */
static void event_done(struct kg__reader *R, yaml_event_t *y)
{
	if (!R->pipe)
		yaml_event_delete(y);
}

/* The current event is the null value libyaml supplies for a key with no
 * ':' in a flow mapping, as `D.C.` in `{name: Washington, D.C.}`: an
 * empty plain scalar right after the key. With a ':' it would be at least
 * two characters after the key (libyaml wants a blank after ':'); without
 * one it is where the ',' or '}' after the key is, at most a blank
 * away (two blanks escape this test). Called before the text marks move
 * on: text_end is the key's. */
static bool split_value(const struct kg__reader *R)
{
	const yaml_event_t *y = &R->cur;
	const struct kg__block *in = R->depth && R->depth <= KG__BLOCKS ? &R->blocks[R->depth - 1] : NULL;

	return in && !in->block && !in->seq && y->data.scalar.length == 0 &&
	       y->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !y->data.scalar.tag &&
	       y->start_mark.index == y->end_mark.index && y->start_mark.index < R->text_end.index + 2;
}

/* Keep the open collections and the last one closed up to date with the
 * current event. */
static void track_blocks(struct kg__reader *R)
{
	const yaml_event_t *y = &R->cur;
	int start = y->type == YAML_MAPPING_START_EVENT || y->type == YAML_SEQUENCE_START_EVENT;

	R->closed_fresh = 0;
	if (start) {
		if (R->depth < KG__BLOCKS) {
			struct kg__block *b = &R->blocks[R->depth];
			b->mark = y->start_mark;
			b->seq = y->type == YAML_SEQUENCE_START_EVENT;
			b->block = b->seq ? y->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE
			                  : y->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE;
		}
		R->depth++;
	} else if ((y->type == YAML_MAPPING_END_EVENT || y->type == YAML_SEQUENCE_END_EVENT) && R->depth) {
		R->depth--;
		if (R->depth < KG__BLOCKS && R->blocks[R->depth].block) {
			R->closed = R->blocks[R->depth];
			R->closed_fresh = 1;
		}
	}
}

int kg__ld_read_event(kg__loader *L, kg__ev *e, const char **name)
{
	struct kg__reader *R = L->rd;
	const char *tag;

	if (R->failed)
		return LD_STOP;
	if (R->have_cur) {
		event_done(R, &R->cur);
		R->have_cur = 0;
	}
	if (R->ahead_state == AHEAD_NONE)
		parse_ahead(L, R);
	if (R->ahead_state == AHEAD_FAILED) {
		R->ahead_state = AHEAD_NONE;
		R->failed = 1;
		return syntax_error(L);
	}
	R->cur = R->ahead;
	R->cur_hash = R->ahead_hash;
	R->ahead_state = AHEAD_NONE;
	R->have_cur = 1;
	if (R->pipe)
		pipe_release(R->pipe, R->ahead_batch);
	if (R->cur.type != YAML_STREAM_END_EVENT)
		parse_ahead(L, R);
	if (R->cur.type == YAML_SCALAR_EVENT) {
		R->text_after_key = R->have_text && R->last_was_text && R->text_end.line == R->cur.start_mark.line;
		R->split = R->last_was_text && split_value(R);
		R->key_start = R->text_start;
		R->text_start = R->cur.start_mark;
		R->text_end = R->cur.end_mark;
		R->have_text = 1;
	}
	R->last_was_text = R->cur.type == YAML_SCALAR_EVENT;
	track_blocks(R);
	/* An event just before a syntax error is often the mistake's first
	 * half (a value that swallowed the next, wrongly indented line; a
	 * mapping closed early): report the syntax error now, not what the
	 * readers would make of that event. */
	if (R->ahead_state == AHEAD_FAILED) {
		R->ahead_state = AHEAD_NONE;
		R->failed = 1;
		return syntax_error(L);
	}
	if (L->opts->progress && !(++L->events & 0xFFFF))
		L->opts->progress(L->opts->progress_ctx, L->f->name,
		                  R->pipe ? atomic_load_explicit(&R->pipe->offset, memory_order_relaxed)
		                          : R->parser.offset,
		                  L->f->size);
	convert(R, e, name, &tag);
	if (R->cur.type == YAML_SCALAR_EVENT && R->split) {
		/* A value not written is shown where its key is. */
		e->split = 1;
		mark_loc(R, R->key_start, &e->line, &e->col);
	}
	if (tag && !tag_allowed(tag))
		TRY(kg__ld_error_at(L, e->line, e->col,
		                    "unknown tag '%s': only the YAML core schema's tags (!!str, !!int, ...) are allowed",
		                    tag));
	return 0;
}

int kg__ld_reader_open(kg__loader *L)
{
	const kg__ld_file *f = L->f;
	struct kg__reader *R = kg__calloc(1, sizeof *R);

	if (!R)
		return KG_ENOMEM;
	if (!yaml_parser_initialize(&R->parser)) {
		kg__free(R);
		return KG_ENOMEM;
	}
	R->breaks = kg__breaks_new(f);
	if (!R->breaks) {
		yaml_parser_delete(&R->parser);
		kg__free(R);
		return KG_ENOMEM;
	}
	yaml_parser_set_input(&R->parser, kg__breaks_read, R->breaks);
	L->rd = R;
	if (L->opts->thread == KG_LOAD_THREAD_ON ||
	    (L->opts->thread == KG_LOAD_THREAD_AUTO && f->size >= KG_LOAD_THREAD_MIN_BYTES &&
	     (L->cpus ? L->cpus : (L->cpus = kg__cpus_available())) > 1)) {
		/* The marks of a piped event are 32-bit. */
		if (f->size <= UINT32_MAX)
			R->pipe = pipe_start(&R->parser, L->opts->stats != NULL);
	}
	return 0;
}

void kg__ld_reader_close(kg__loader *L)
{
	struct kg__reader *R = L->rd;

	if (!R)
		return;
	if (R->have_cur)
		event_done(R, &R->cur);
	if (R->ahead_state == AHEAD_OK)
		event_done(R, &R->ahead);
	if (R->pipe)
		pipe_stop(R->pipe, &L->parse_seconds);
	yaml_parser_delete(&R->parser);
	kg__breaks_free(R->breaks);
	kg__free(R);
	L->rd = NULL;
}
