/*
 * load.c - YAML graph files to a kg_graph; the one file that uses libyaml.
 *
 * Pipeline position: load -> graph. Each file is read as a stream of
 * libyaml events by a recursive-descent reader whose shape follows the
 * format (docs/format.md); no document tree is built. Records go straight
 * into the graph's arrays; references that cannot be resolved yet (to an
 * entity, type or source declared later or in an include) are queued with
 * their location and resolved once every file is read, then the indexes
 * are built.
 *
 * Invariants and bounds:
 * - Nesting is capped at KG_MAX_YAML_DEPTH as events arrive, before
 *   libyaml's quadratic behaviour on deep flow nesting can matter.
 * - Aliases are expanded by replaying the anchored node's recorded events;
 *   the total replayed per file is capped (KG_MAX_ALIAS_EVENTS). An anchor
 *   is defined only once its node is complete, so an alias can never refer
 *   to a node that contains it: no cycles.
 * - libyaml marks are 0-based and count characters; they become 1-based in
 *   mark_loc() only. Reader errors carry a byte offset instead, turned into
 *   a line and column by a second look at the file (fill_positions).
 * - Every reader function returns 0 to go on (semantic errors have been
 *   reported and the offending value skipped) or a negative code to stop
 *   the file: LD_STOP (syntax error or a limit) or KG_ENOMEM.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "kgraph/load.h"
#include "kgraph/common.h"
#include "kgraph/limits.h"
#include "core/diag_internal.h"
#include "core/graph_internal.h"

#include <yaml.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LD_STOP (-100)
#define LD_BYTES_PER_STRING 128

/* ---- events -------------------------------------------------------- */

typedef struct ev {
	yaml_event_type_t type;
	const char *val; /* scalar text, NUL-terminated */
	size_t len;
	unsigned line, col;
	unsigned char plain; /* plain style and untagged: eligible for null/bool/number */
	unsigned char hashed; /* hash is kg__strtab_hash(val, len) */
	uint32_t hash;
} ev;

/* An event kept for alias replay. */
typedef struct rec {
	yaml_event_type_t type;
	const char *val;
	uint32_t len;
	unsigned line, col;
	unsigned char plain;
} rec;

typedef struct anchor {
	uint32_t start, end; /* in log */
	unsigned line, col;
} anchor;

typedef struct frame {
	uint32_t name; /* anchor name id in L->anames */
	uint32_t start;
	int depth;
	unsigned line, col;
} frame;

typedef struct replay {
	uint32_t pos, end;
} replay;

/* ---- references resolved at the end -------------------------------- */

enum pend_kind { P_FROM, P_TO, P_ETYPE, P_SOURCE, P_RTYPE_END, P_NONE };

typedef struct pend {
	unsigned char kind;
	uint32_t target; /* relation, entity or u32 index */
	uint32_t sid;
	kg__loc loc;
} pend;

/* ---- duplicate keys in one mapping --------------------------------- */

typedef struct keyent {
	uint32_t sid;
	unsigned line, col;
} keyent;

typedef struct keyset {
	KG_VEC(keyent) ents;
	uint32_t *slot; /* index + 1 */
	size_t nslot;
	int hashed;
} keyset;

/* ---- files --------------------------------------------------------- */

typedef struct incl {
	char *path; /* as written; malloc'd */
	kg__loc loc;
} incl;

typedef struct fileid {
	dev_t dev;
	ino_t ino;
	int valid; /* 0 for standard input and memory, which no include can name */
} fileid;

typedef struct file_ctx {
	const char *name; /* owned by the graph (files vector) */
	uint32_t index;
	char *dir; /* directory for relative paths, with trailing '/', or "" */
	FILE *fp;
	const char *mem;
	size_t memlen;
	size_t size;  /* bytes in the file, for progress; 0 when unknown */
	size_t diag_first;
	KG_VEC(kg__offfix) offsets;
	KG_VEC(incl) includes;
} file_ctx;

typedef struct loader {
	kg_graph *g;
	kg_diag_list *diags;
	const kg_load_options *opts;
	unsigned max_errors, nerrors;
	int stopped; /* too many errors: read nothing more */
	int io_failed;
	size_t last_diag;

	yaml_parser_t parser;
	struct kg__pipe *pipe; /* the parser thread, or NULL: parse here */
	yaml_event_t cur;
	int have_cur;
	uint64_t ahead_batch; /* the pipe's batches of ahead and cur */
	long cpus;            /* available to the process; 0 until asked */
	/* The event after cur, parsed before cur is handed out (see
	 * parse_ahead), and the hash of its text. */
	yaml_event_t ahead;
	enum { AHEAD_NONE, AHEAD_OK, AHEAD_FAILED } ahead_state;
	uint32_t ahead_hash, cur_hash;
	yaml_mark_t text_start, text_end; /* the last text libyaml read, for long_key_hint */
	int have_text, last_was_text, text_after_key;
	file_ctx *f;
	int depth;

	kg__arena scratch;
	kg__strtab anames;
	KG_VEC(rec) log;
	KG_VEC(uint32_t) anchor_of; /* anchor name id -> anchors index + 1 */
	KG_VEC(anchor) anchors;
	KG_VEC(frame) frames;
	KG_VEC(replay) replays;
	size_t replayed;
	unsigned alias_line, alias_col;

	KG_VEC(pend) pend;
	char end_text[2][KG_MAX_ID_BYTES]; /* a relation's ends, see rel_endpoint */
	keyset keysets[KG_MAX_YAML_DEPTH + 2];
	KG_VEC(fileid) seen;
	KG_VEC(fileid) chain;
	KG_VEC(const char *) chain_names;

	kg__buf stdin_text; /* standard input, kept until the end */
	const char *mem_data; /* kg_load_string's text */
	size_t mem_len;
	double parse_seconds; /* in libyaml, in either thread */
	double ahead_seconds; /* getting events: parsing, or waiting for the parser thread */
	size_t bytes;
	size_t files;
	size_t events; /* parsed, for progress */
} loader;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the parser thread --------------------------------------------- */

/* On a large file, libyaml runs in a thread of its own and hands its
 * events to the reader (next()) through a ring of PIPE_BATCHES batches,
 * so that parsing the YAML overlaps checking and storing what it says.
 * The reader takes the events in the order libyaml made them, as it
 * would take them from yaml_parser_parse: the graph, the diagnostics and
 * their order are the same with or without the thread.
 *
 * The parser thread copies an event's texts into its batch and frees
 * libyaml's copies itself, so that memory goes back to the thread that
 * allocated it and the reader reads one compact array. A batch goes back
 * to the parser once the reader holds no event from it (the current
 * event and the one parsed ahead, see next()), so the memory is fixed:
 * PIPE_BATCHES
 * batches of PIPE_EVENTS events and PIPE_TEXT bytes of text (more for a
 * longer scalar). The parser thread stops at the end of the stream, at
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
					double t0 = now();
					ok = yaml_parser_parse(p->parser, &y);
					p->parse_seconds += now() - t0;
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
		break;
	case YAML_MAPPING_START_EVENT:
		y->data.mapping_start.anchor = anc;
		y->data.mapping_start.tag = tag;
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

/* How many CPUs this process may run on. */
static long cpus_available(void)
{
	long n;
#ifdef __linux__
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return CPU_COUNT(&set);
#endif
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/* ---- diagnostics --------------------------------------------------- */

static kg__loc make_loc(const loader *L, unsigned line, unsigned col)
{
	kg__loc l;
	l.file = L->f ? L->f->index : 0;
	l.line = line;
	l.col = col > KG_MAX_COLUMN ? KG_MAX_COLUMN : col;
	return l;
}

static kg_location pub_loc(const loader *L, unsigned line, unsigned col)
{
	kg_location l;
	l.file = L->f ? L->f->name : NULL;
	l.line = line;
	l.column = col;
	return l;
}

static void mark_loc(yaml_mark_t m, unsigned *line, unsigned *col)
{
	*line = (unsigned)m.line + 1;
	*col = (unsigned)m.column + 1;
}

/* Report a diagnostic at where (NULL: the file as a whole); errors count
 * towards max_errors. Returns 0, or LD_STOP once too many errors were
 * reported, or KG_ENOMEM. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static int vreport(loader *L, kg_severity sev, const kg_location *where,
                   const kg_location *related, const char *related_msg,
                   const char *fmt, va_list ap)
{
	char msg[1024];
	int rc;

	if (L->stopped)
		return LD_STOP;
	vsnprintf(msg, sizeof msg, fmt, ap);
	rc = kg_diag_list_add(L->diags, sev, where, msg, NULL, related, related_msg);
	if (rc)
		return KG_ENOMEM;
	L->last_diag = kg_diag_list_count(L->diags) - 1;
	if (sev == KG_SEV_ERROR && ++L->nerrors >= L->max_errors) {
		char note[96];
		snprintf(note, sizeof note, "too many errors (%u); stopping here", L->nerrors);
		if (kg_diag_list_add(L->diags, KG_SEV_NOTE, NULL, note, NULL, NULL, NULL))
			return KG_ENOMEM;
		L->stopped = 1;
		return LD_STOP;
	}
	return 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int vreport_args(loader *L, const kg_location *where, const kg_location *related,
                        const char *related_msg, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, where, related, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int error_at(loader *L, unsigned line, unsigned col, const char *fmt, ...)
{
	kg_location where = pub_loc(L, line, col);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int warning_at(loader *L, unsigned line, unsigned col, const char *fmt, ...)
{
	kg_location where = pub_loc(L, line, col);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_WARNING, &where, NULL, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/* An error at a location stored in the graph, with an optional related
 * location, used once the file it is in may be closed. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int error_loc(loader *L, kg__loc at, const kg_location *related,
                     const char *related_msg, const char *fmt, ...)
{
	kg_location where = kg__graph_location(L->g, at);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, related, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* Add "did you mean 'x'?" to the last diagnostic when there is an x. */
static void hint_near(loader *L, const char *near)
{
	if (near)
		kg__diag_hintf(L->diags, L->last_diag, "did you mean '%s'?", near);
}

#define TRY(expr) do { int rc_ = (expr); if (rc_ < 0) return rc_; } while (0)

/* Closest of n names to text, or NULL. */
static const char *closest(const char *text, size_t len, const char *const *names, size_t n)
{
	unsigned best = kg__suggest_distance(len) + 1;
	const char *pick = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned d = kg__edit_distance(text, len, names[i], strlen(names[i]), best - 1);
		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return pick;
}

/* Closest record name among the string ids key_of(0..n-1). */
static const char *closest_key(loader *L, const char *text, kg__key_fn key_of, size_t n)
{
	size_t len = strlen(text), i;
	unsigned best = kg__suggest_distance(len) + 1;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		uint32_t sid = key_of(L->g, (uint32_t)i);
		unsigned d = kg__edit_distance(text, len, kg__str(&L->g->strings, sid),
		                               kg__strlen(&L->g->strings, sid), best - 1);
		if (d < best) {
			best = d;
			pick = kg__str(&L->g->strings, sid);
		}
	}
	return pick;
}

/* ---- reading events ------------------------------------------------ */

static const char *event_name(yaml_event_type_t t)
{
	switch (t) {
	case YAML_MAPPING_START_EVENT: return "a mapping";
	case YAML_SEQUENCE_START_EVENT: return "a list";
	case YAML_SCALAR_EVENT: return "text";
	default: return "nothing";
	}
}

/* An error here, with a related place in the same file. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static int error_rel(loader *L, unsigned line, unsigned col, unsigned rline, unsigned rcol,
                     const char *related_msg, const char *fmt, ...)
{
	kg_location where = pub_loc(L, line, col), rel = pub_loc(L, rline, rcol);
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vreport(L, KG_SEV_ERROR, &where, &rel, related_msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* A duplicate definition of what at key k; the first is at first. */
static int error_dup(loader *L, const ev *k, const char *what, kg__loc first)
{
	kg_location where = pub_loc(L, k->line, k->col);
	kg_location rel = kg__graph_location(L->g, first);

	return vreport_args(L, &where, &rel, "first defined here", "duplicate %s '%s'", what, k->val);
}

/* libyaml takes text as a key only when it is at most 1024 characters
 * long (YAML's limit for a key written without '? '). A longer key, such
 * as an entity id of a megabyte, is then a syntax error that does not say
 * why: "could not find expected ':'" (while scanning a simple key, on one
 * line) or, when the mapping is not open yet, "mapping values are not
 * allowed in this context" right after a long text on the same line (not
 * one that is the value of a key on that line: `title: a: b` is another
 * mistake). Add a hint to the last diagnostic in those two cases. */
static void long_key_hint(loader *L)
{
	const yaml_parser_t *p = &L->parser;
	int long_key = 0;

	if (strcmp(p->problem, "could not find expected ':'") == 0)
		long_key = p->context && strcmp(p->context, "while scanning a simple key") == 0 &&
		           p->problem_mark.line == p->context_mark.line &&
		           p->problem_mark.index > p->context_mark.index + 1024;
	else if (strcmp(p->problem, "mapping values are not allowed in this context") == 0)
		long_key = L->have_text && !L->text_after_key && L->text_start.line == p->problem_mark.line &&
		           L->text_end.line == p->problem_mark.line &&
		           L->text_end.index > L->text_start.index + 1024;
	if (long_key)
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "YAML reads at most 1024 characters before ':' as a key (a longer one needs '? ' "
		               "in front); ids are at most 256 bytes");
}

static int syntax_error(loader *L)
{
	yaml_parser_t *p = &L->parser;
	const char *problem = p->problem ? p->problem : "unknown problem";
	unsigned line, col;
	int rc;

	if (p->error == YAML_MEMORY_ERROR)
		return KG_ENOMEM;
	if (p->error == YAML_READER_ERROR) {
		/* libyaml leaves the mark at the start; the byte offset is right. */
		if (p->problem_value != -1)
			rc = error_at(L, 0, 0, "unreadable text: %s (byte 0x%02X)", problem,
			              (unsigned)p->problem_value & 0xFF);
		else
			rc = error_at(L, 0, 0, "unreadable text: %s", problem);
		if (rc != KG_ENOMEM)
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "a graph file must be UTF-8 text (a byte-order mark is fine)");
		if (rc != KG_ENOMEM) {
			kg__offfix fx;
			fx.diag = L->last_diag;
			fx.offset = p->problem_offset;
			if (KG_VEC_PUSH(L->f->offsets, fx))
				return KG_ENOMEM;
		}
		return rc == KG_ENOMEM ? rc : LD_STOP;
	}
	mark_loc(p->problem_mark, &line, &col);
	if (p->context) {
		unsigned cl, cc;
		char ctx[256];
		mark_loc(p->context_mark, &cl, &cc);
		snprintf(ctx, sizeof ctx, "%s", p->context);
		/* libyaml says "while parsing a block mapping"; point there. */
		if (strncmp(ctx, "while ", 6) == 0)
			memmove(ctx, ctx + 6, strlen(ctx + 6) + 1);
		rc = error_rel(L, line, col, cl, cc, ctx, "YAML syntax error: %s", problem);
	} else {
		rc = error_at(L, line, col, "YAML syntax error: %s", problem);
	}
	if (rc == 0 && p->problem)
		long_key_hint(L);
	return rc == KG_ENOMEM ? rc : LD_STOP;
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

static int record(loader *L, const ev *e)
{
	rec r;

	r.type = e->type;
	r.val = NULL;
	r.len = 0;
	if (e->type == YAML_SCALAR_EVENT) {
		if (e->len > UINT32_MAX)
			return KG_ENOMEM;
		r.val = kg__arena_strndup(&L->scratch, e->val, e->len);
		if (!r.val)
			return KG_ENOMEM;
		r.len = (uint32_t)e->len;
	}
	r.line = e->line;
	r.col = e->col;
	r.plain = e->plain;
	return KG_VEC_PUSH(L->log, r) ? KG_ENOMEM : 0;
}

/* The anchor named name (an id in L->anames) now stands for the log
 * entries from start to the end of the log. A second anchor of the same
 * name in one file is an error: YAML lets it shadow the first, but that
 * is rarely what a person meant. */
static int define_anchor(loader *L, uint32_t name, uint32_t start, unsigned line, unsigned col)
{
	anchor a;

	if (KG_VEC_RESERVE(L->anchor_of, (size_t)name + 1))
		return KG_ENOMEM;
	while (L->anchor_of.n <= name)
		L->anchor_of.v[L->anchor_of.n++] = 0;
	if (L->anchor_of.v[name]) {
		const anchor *old = &L->anchors.v[L->anchor_of.v[name] - 1];
		TRY(error_rel(L, line, col, old->line, old->col, "first defined here",
		              "duplicate anchor '&%s'", kg__str(&L->anames, name)));
	}
	a.start = start;
	a.end = (uint32_t)L->log.n;
	a.line = line;
	a.col = col;
	if (KG_VEC_PUSH(L->anchors, a))
		return KG_ENOMEM;
	L->anchor_of.v[name] = (uint32_t)L->anchors.n;
	return 0;
}

/* Fill e from libyaml's current event. Its text stays valid until the
 * next call to next(). */
static int convert(loader *L, ev *e, const char **anchor_name, const char **tag)
{
	yaml_event_t *y = &L->cur;

	memset(e, 0, sizeof *e);
	e->type = y->type;
	mark_loc(y->start_mark, &e->line, &e->col);
	*anchor_name = NULL;
	*tag = NULL;
	switch (y->type) {
	case YAML_SCALAR_EVENT:
		e->val = (const char *)y->data.scalar.value;
		e->len = y->data.scalar.length;
		e->hash = L->cur_hash;
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
	default:
		break;
	}
	return 0;
}

/* Start replaying the node an alias names. */
static int start_alias(loader *L, const char *name, unsigned line, unsigned col)
{
	uint32_t id = kg__strtab_find(&L->anames, name, strlen(name));
	replay r;

	if (!id || id >= L->anchor_of.n || !L->anchor_of.v[id]) {
		TRY(error_at(L, line, col, "alias '*%s' names no anchor defined before it", name));
		return LD_STOP;
	}
	r.pos = L->anchors.v[L->anchor_of.v[id] - 1].start;
	r.end = L->anchors.v[L->anchor_of.v[id] - 1].end;
	if (L->replays.n == 0) {
		L->alias_line = line;
		L->alias_col = col;
	}
	return KG_VEC_PUSH(L->replays, r) ? KG_ENOMEM : 0;
}

/* Get the event after the current one: parse it, or take it from the
 * parser thread. Most of a large graph's text is new to the string table
 * or not in the cache, and looking it up is a cache miss on the table's
 * slot: prefetching that slot now, an event early, takes the miss off
 * the critical path. A parse error is kept for when the caller reaches the
 * event that failed, so that diagnostics come in the same order. */
static void parse_ahead(loader *L)
{
	double t0 = L->opts->stats ? now() : 0;
	int ok;

	if (L->pipe)
		ok = pipe_take(L->pipe, &L->ahead, &L->ahead_batch);
	else
		ok = yaml_parser_parse(&L->parser, &L->ahead);
	if (L->opts->stats) {
		double dt = now() - t0;
		L->ahead_seconds += dt;
		if (!L->pipe)
			L->parse_seconds += dt;
	}
	L->ahead_state = ok ? AHEAD_OK : AHEAD_FAILED;
	if (ok && L->ahead.type == YAML_SCALAR_EVENT) {
		L->ahead_hash = kg__strtab_hash((const char *)L->ahead.data.scalar.value, L->ahead.data.scalar.length);
		kg__strtab_prefetch(&L->g->strings, L->ahead_hash);
	}
}

/* Done with event y: free it (a piped event is freed with its batch). */
static void event_done(loader *L, yaml_event_t *y)
{
	if (!L->pipe)
		yaml_event_delete(y);
}

/* Drop the current and the parsed-ahead events of a file. */
static void drop_events(loader *L)
{
	if (L->have_cur) {
		event_done(L, &L->cur);
		L->have_cur = 0;
	}
	if (L->ahead_state == AHEAD_OK)
		event_done(L, &L->ahead);
	L->ahead_state = AHEAD_NONE;
}

/* The next event of the file, with aliases expanded. */
static int next(loader *L, ev *e)
{
	const char *aname = NULL, *tag = NULL;

	for (;;) {
		if (L->replays.n) {
			replay *r = &L->replays.v[L->replays.n - 1];
			const rec *x;
			if (r->pos == r->end) {
				L->replays.n--;
				continue;
			}
			x = &L->log.v[r->pos++];
			if (++L->replayed > KG_MAX_ALIAS_EVENTS) {
				TRY(error_at(L, L->alias_line, L->alias_col,
				             "aliases expand to more than %d YAML events; is this a \"billion laughs\" file?",
				             KG_MAX_ALIAS_EVENTS));
				return LD_STOP;
			}
			memset(e, 0, sizeof *e);
			e->type = x->type;
			e->val = x->val;
			e->len = x->len;
			e->line = x->line;
			e->col = x->col;
			e->plain = x->plain;
			aname = NULL;
			break;
		}
		if (L->have_cur) {
			event_done(L, &L->cur);
			L->have_cur = 0;
		}
		if (L->ahead_state == AHEAD_NONE)
			parse_ahead(L);
		if (L->ahead_state == AHEAD_FAILED) {
			L->ahead_state = AHEAD_NONE;
			return syntax_error(L);
		}
		L->cur = L->ahead;
		L->cur_hash = L->ahead_hash;
		L->ahead_state = AHEAD_NONE;
		L->have_cur = 1;
		if (L->pipe)
			pipe_release(L->pipe, L->ahead_batch);
		if (L->cur.type != YAML_STREAM_END_EVENT)
			parse_ahead(L);
		if (L->cur.type == YAML_SCALAR_EVENT) {
			L->text_after_key = L->have_text && L->last_was_text &&
			                    L->text_end.line == L->cur.start_mark.line;
			L->text_start = L->cur.start_mark;
			L->text_end = L->cur.end_mark;
			L->have_text = 1;
		}
		L->last_was_text = L->cur.type == YAML_SCALAR_EVENT;
		if (L->opts->progress && !(++L->events & 0xFFFF))
			L->opts->progress(L->opts->progress_ctx, L->f->name,
			                  L->pipe ? atomic_load_explicit(&L->pipe->offset, memory_order_relaxed)
			                          : L->parser.offset,
			                  L->f->size);
		convert(L, e, &aname, &tag);
		if (tag && !tag_allowed(tag))
			TRY(error_at(L, e->line, e->col,
			             "unknown tag '%s': only the YAML core schema's tags (!!str, !!int, ...) are allowed", tag));
		if (e->type == YAML_ALIAS_EVENT) {
			TRY(start_alias(L, (const char *)L->cur.data.alias.anchor, e->line, e->col));
			continue;
		}
		break;
	}

	if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) {
		if (++L->depth > KG_MAX_YAML_DEPTH) {
			TRY(error_at(L, e->line, e->col, "nesting deeper than %d levels", KG_MAX_YAML_DEPTH));
			return LD_STOP;
		}
		if (aname) {
			frame fr;
			fr.name = kg__strtab_intern(&L->anames, aname, strlen(aname));
			if (!fr.name)
				return KG_ENOMEM;
			fr.start = (uint32_t)L->log.n;
			fr.depth = L->depth;
			fr.line = e->line;
			fr.col = e->col;
			if (KG_VEC_PUSH(L->frames, fr))
				return KG_ENOMEM;
		}
		if (L->frames.n)
			TRY(record(L, e));
	} else if (e->type == YAML_SEQUENCE_END_EVENT || e->type == YAML_MAPPING_END_EVENT) {
		if (L->frames.n)
			TRY(record(L, e));
		while (L->frames.n && L->frames.v[L->frames.n - 1].depth == L->depth) {
			frame fr = L->frames.v[--L->frames.n];
			TRY(define_anchor(L, fr.name, fr.start, fr.line, fr.col));
		}
		L->depth--;
	} else if (e->type == YAML_SCALAR_EVENT) {
		if (aname) {
			uint32_t name = kg__strtab_intern(&L->anames, aname, strlen(aname));
			uint32_t start = (uint32_t)L->log.n;
			if (!name)
				return KG_ENOMEM;
			TRY(record(L, e));
			TRY(define_anchor(L, name, start, e->line, e->col));
			/* record() copied the text; point at the copy, which
			 * outlives libyaml's event like any replayed one. */
			e->val = L->log.v[start].val;
		} else if (L->frames.n) {
			TRY(record(L, e));
		}
	}
	return 0;
}

/* Skip the rest of the node that e starts. */
static int skip(loader *L, const ev *e)
{
	int depth;
	ev x;

	if (e->type != YAML_SEQUENCE_START_EVENT && e->type != YAML_MAPPING_START_EVENT)
		return 0;
	for (depth = 1; depth > 0;) {
		TRY(next(L, &x));
		if (x.type == YAML_SEQUENCE_START_EVENT || x.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (x.type == YAML_SEQUENCE_END_EVENT || x.type == YAML_MAPPING_END_EVENT)
			depth--;
	}
	return 0;
}

/* Report that e is not what was expected, and skip it. */
static int wrong_kind(loader *L, const ev *e, const char *what, const char *expected)
{
	TRY(error_at(L, e->line, e->col, "%s must be %s, not %s", what, expected, event_name(e->type)));
	return skip(L, e);
}

/* ---- mapping keys -------------------------------------------------- */

static keyset *keyset_begin(loader *L)
{
	keyset *ks = &L->keysets[L->depth];

	ks->ents.n = 0;
	if (ks->hashed) {
		memset(ks->slot, 0, ks->nslot * sizeof *ks->slot);
		ks->hashed = 0;
	}
	return ks;
}

static size_t ks_slot(uint32_t sid, size_t nslot)
{
	return (size_t)((sid * 0x9E3779B1u) >> 5) & (nslot - 1);
}

/* Add key sid to the set. Returns 1 and reports when it is there already. */
static int keyset_add(loader *L, keyset *ks, uint32_t sid, unsigned line, unsigned col)
{
	const keyent *dup = NULL;
	keyent k;
	size_t i;

	if (ks->ents.n < 16) {
		for (i = 0; i < ks->ents.n; i++)
			if (ks->ents.v[i].sid == sid)
				dup = &ks->ents.v[i];
	} else {
		if (!ks->hashed || (ks->ents.n + 1) * 2 > ks->nslot) {
			size_t nslot = ks->nslot ? ks->nslot : 64, j;
			while ((ks->ents.n + 1) * 2 > nslot)
				nslot *= 2;
			if (nslot != ks->nslot) {
				uint32_t *s = kg__realloc(ks->slot, nslot * sizeof *s);
				if (!s)
					return KG_ENOMEM;
				ks->slot = s;
				ks->nslot = nslot;
			}
			memset(ks->slot, 0, ks->nslot * sizeof *ks->slot);
			for (j = 0; j < ks->ents.n; j++) {
				size_t h = ks_slot(ks->ents.v[j].sid, ks->nslot);
				while (ks->slot[h])
					h = (h + 1) & (ks->nslot - 1);
				ks->slot[h] = (uint32_t)j + 1;
			}
			ks->hashed = 1;
		}
		for (i = ks_slot(sid, ks->nslot); ks->slot[i]; i = (i + 1) & (ks->nslot - 1))
			if (ks->ents.v[ks->slot[i] - 1].sid == sid) {
				dup = &ks->ents.v[ks->slot[i] - 1];
				break;
			}
	}
	if (dup) {
		TRY(error_rel(L, line, col, dup->line, dup->col, "first given here",
		              "duplicate key '%s'", kg__str(&L->g->strings, sid)));
		return 1;
	}
	k.sid = sid;
	k.line = line;
	k.col = col;
	if (KG_VEC_PUSH(ks->ents, k))
		return KG_ENOMEM;
	if (ks->hashed) {
		i = ks_slot(sid, ks->nslot);
		while (ks->slot[i])
			i = (i + 1) & (ks->nslot - 1);
		ks->slot[i] = (uint32_t)ks->ents.n;
	}
	return 0;
}

/* Read the next key of the mapping being read into *k, with its text
 * interned: k->val then stays valid after the value is read, and *sid is
 * its string id. Returns 1 with a key, 0 at the end of the mapping, or
 * <0. Keys that are not text are reported and skipped with their values. */
static int intern_text(loader *L, const ev *e, const char *what, uint32_t *sid);

static int next_key(loader *L, ev *k, uint32_t *sid)
{
	for (;;) {
		ev v;
		TRY(next(L, k));
		if (k->type == YAML_MAPPING_END_EVENT)
			return 0;
		if (k->type == YAML_SCALAR_EVENT && k->plain && strcmp(k->val, "<<") == 0) {
			TRY(error_at(L, k->line, k->col, "merge keys ('<<') are not supported"));
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "write the keys out, or reuse a whole mapping with an alias (*name)");
		} else if (k->type == YAML_SCALAR_EVENT) {
			TRY(intern_text(L, k, "a key", sid));
			if (*sid) {
				k->val = kg__str(&L->g->strings, *sid);
				return 1;
			}
		} else {
			TRY(error_at(L, k->line, k->col, "a key must be text, not %s", event_name(k->type)));
			TRY(skip(L, k));
		}
		TRY(next(L, &v));
		TRY(skip(L, &v));
	}
}

/* ---- scalars ------------------------------------------------------- */

static int is_null(const ev *e)
{
	return e->type == YAML_SCALAR_EVENT && e->plain &&
	       (e->len == 0 || strcmp(e->val, "~") == 0 || strcmp(e->val, "null") == 0 ||
	        strcmp(e->val, "Null") == 0 || strcmp(e->val, "NULL") == 0);
}

/* Intern a scalar's text, refusing NUL characters. *sid = 0 after an
 * error. */
static int intern_text(loader *L, const ev *e, const char *what, uint32_t *sid)
{
	*sid = 0;
	if (memchr(e->val, '\0', e->len)) {
		TRY(error_at(L, e->line, e->col, "%s contains a NUL character", what));
		return 0;
	}
	*sid = e->hashed ? kg__strtab_intern_hashed(&L->g->strings, e->val, e->len, e->hash)
	                 : kg__strtab_intern(&L->g->strings, e->val, e->len);
	return *sid ? 0 : KG_ENOMEM;
}

/* A non-empty text value. */
static int get_text(loader *L, const ev *e, const char *what, uint32_t *sid)
{
	*sid = 0;
	if (e->type != YAML_SCALAR_EVENT)
		return wrong_kind(L, e, what, "text");
	if (is_null(e) || e->len == 0)
		return error_at(L, e->line, e->col, "%s is empty", what);
	return intern_text(L, e, what, sid);
}

static int valid_id(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > KG_MAX_ID_BYTES)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Check that e is an id: text matching [A-Za-z0-9][A-Za-z0-9_.-]*, at most
 * KG_MAX_ID_BYTES. *ok is set when it is; otherwise it was reported (and
 * skipped). */
static int check_id(loader *L, const ev *e, const char *what, bool *ok)
{
	*ok = false;
	if (e->type != YAML_SCALAR_EVENT)
		return wrong_kind(L, e, what, "an id");
	if (is_null(e))
		return error_at(L, e->line, e->col, "%s is empty", what);
	if (!valid_id(e->val, e->len)) {
		if (e->len > KG_MAX_ID_BYTES)
			return error_at(L, e->line, e->col, "%s is %zu bytes long; ids are at most %d",
			                what, e->len, KG_MAX_ID_BYTES);
		TRY(error_at(L, e->line, e->col, "%s '%.*s' is not a valid id", what,
		             (int)(e->len > 80 ? 80 : e->len), e->val));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "ids start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
		return 0;
	}
	*ok = true;
	return 0;
}

/* An id, interned; *sid = 0 after an error. */
static int get_id(loader *L, const ev *e, const char *what, uint32_t *sid)
{
	bool ok;

	*sid = 0;
	TRY(check_id(L, e, what, &ok));
	return ok ? intern_text(L, e, what, sid) : 0;
}

static int get_date(loader *L, const ev *e, const char *what, kg_date *d)
{
	*d = 0;
	if (e->type != YAML_SCALAR_EVENT)
		return wrong_kind(L, e, what, "a date");
	if (kg_date_parse(d, e->val, e->len) != KG_OK) {
		kg_date ym;
		TRY(error_at(L, e->line, e->col, "%s '%.*s' is not a valid date", what,
		             (int)(e->len > 40 ? 40 : e->len), e->val));
		/* Say what is wrong with a date of the right shape. */
		if (e->len == 10 && kg_date_parse(&ym, e->val, 7) == KG_OK)
			kg__diag_hintf(L->diags, L->last_diag, "%.7s has no day %.2s", e->val, e->val + 8);
		else if ((e->len == 7 || e->len == 10) && kg_date_parse(&ym, e->val, 4) == KG_OK &&
		         e->val[4] == '-')
			kg__diag_hintf(L->diags, L->last_diag, "there is no month %.2s", e->val + 5);
		else
			kg__diag_hintf(L->diags, L->last_diag, "%s",
			               "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-09-11");
	}
	return 0;
}


static int get_bool(loader *L, const ev *e, const char *what, int *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False", "FALSE"};
	size_t i;

	if (e->type != YAML_SCALAR_EVENT)
		return wrong_kind(L, e, what, "true or false");
	for (i = 0; i < 3; i++) {
		if (e->plain && strcmp(e->val, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (e->plain && strcmp(e->val, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return error_at(L, e->line, e->col, "%s must be true or false, not '%.*s'", what,
	                (int)(e->len > 40 ? 40 : e->len), e->val);
}

/* Call item() for a text value, or for each item of a list of text. */
typedef int (*text_fn)(loader *L, const ev *e, uint32_t sid, int in_list, void *ctx);

static int text_or_list(loader *L, const ev *e, const char *what, int want_id, text_fn item, void *ctx)
{
	uint32_t sid;
	ev x;

	if (e->type == YAML_SCALAR_EVENT) {
		TRY(want_id ? get_id(L, e, what, &sid) : get_text(L, e, what, &sid));
		return sid ? item(L, e, sid, 0, ctx) : 0;
	}
	if (e->type != YAML_SEQUENCE_START_EVENT)
		return wrong_kind(L, e, what, "text or a list of text");
	for (;;) {
		TRY(next(L, &x));
		if (x.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (x.type != YAML_SCALAR_EVENT) {
			TRY(wrong_kind(L, &x, "an item of this list", "text"));
			continue;
		}
		TRY(want_id ? get_id(L, &x, what, &sid) : get_text(L, &x, what, &sid));
		if (sid)
			TRY(item(L, &x, sid, 1, ctx));
	}
}

/* ---- attributes ---------------------------------------------------- */

static int push_attr(loader *L, const ev *e, uint32_t sid, int in_list, void *ctx)
{
	kg__attr a;

	(void)e;
	a.key = *(uint32_t *)ctx | (in_list ? KG__ATTR_LIST : 0);
	a.value = sid;
	return KG_VEC_PUSH(L->g->attrs, a) ? KG_ENOMEM : 0;
}

/* An attribute value: text (empty allowed) or a list of text. */
static int read_attr(loader *L, uint32_t key, const ev *e, const char *what)
{
	uint32_t sid;

	if (e->type == YAML_SCALAR_EVENT) {
		TRY(intern_text(L, e, what, &sid));
		return sid ? push_attr(L, e, sid, 0, &key) : 0;
	}
	if (e->type == YAML_SEQUENCE_START_EVENT)
		return text_or_list(L, e, what, 0, push_attr, &key);
	return wrong_kind(L, e, what, "text or a list of text");
}

/* Warn when an attribute key is one typo away from a key with a meaning,
 * e.g. "soruce" for "source": the value would otherwise be kept as a
 * plain attribute without a word. */
static int warn_near_key(loader *L, const ev *k, const char *const *keys, size_t n)
{
	const char *near;

	if (k->len < 4)
		return 0;
	near = closest(k->val, k->len, keys, n);
	if (near && kg__edit_distance(k->val, k->len, near, strlen(near), 1) <= 1) {
		TRY(warning_at(L, k->line, k->col, "'%s' is kept as a plain attribute", k->val));
		hint_near(L, near);
	}
	return 0;
}

/* Read a mapping of style keys (for types and relation types): every
 * value must be text. Calls known() first for keys with a meaning; it
 * returns 1 when it took the key. */
typedef int (*key_fn)(loader *L, const ev *k, const ev *v, void *ctx);

static int read_style_map(loader *L, const ev *start, const char *what, key_fn known,
                          const char *const *keys, size_t nkeys, void *ctx)
{
	keyset *ks;
	ev k, v;
	uint32_t key;
	int rc;

	if (is_null(start))
		return 0;
	if (start->type != YAML_MAPPING_START_EVENT)
		return wrong_kind(L, start, what, "a mapping");
	ks = keyset_begin(L);
	while ((rc = next_key(L, &k, &key)) == 1) {
		rc = keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(next(L, &v));
		if (rc) {
			TRY(skip(L, &v));
			continue;
		}
		rc = known(L, &k, &v, ctx);
		TRY(rc);
		if (rc)
			continue;
		TRY(warn_near_key(L, &k, keys, nkeys));
		if (v.type != YAML_SCALAR_EVENT) {
			char w[160];
			snprintf(w, sizeof w, "style key '%s'", k.val);
			TRY(wrong_kind(L, &v, w, "text"));
			continue;
		}
		TRY(read_attr(L, key, &v, "a style value"));
	}
	return rc;
}

/* ---- types and relation types -------------------------------------- */

/* A section that maps ids to bodies (types:, relation_types:, sources:,
 * entities:): checks the shape and each id, then hands each valid id and
 * the first event of its body to item(), which must consume the body. */
typedef int (*id_item_fn)(loader *L, const ev *k, uint32_t id, const ev *body);

static int read_id_map(loader *L, const ev *start, const char *section, const char *id_what,
                       id_item_fn item)
{
	char expected[64];
	ev k, v;
	uint32_t key, id;
	int rc;

	if (is_null(start))
		return 0;
	if (start->type != YAML_MAPPING_START_EVENT) {
		snprintf(expected, sizeof expected, "a mapping of %ss", id_what);
		return wrong_kind(L, start, section, expected);
	}
	while ((rc = next_key(L, &k, &key)) == 1) {
		TRY(get_id(L, &k, id_what, &id));
		TRY(next(L, &v));
		TRY(id ? item(L, &k, id, &v) : skip(L, &v));
	}
	return rc;
}

static const char *const type_keys[] = {"label"};
static const char *const rtype_keys[] = {"label", "symmetric", "from", "to"};

static int type_key(loader *L, const ev *k, const ev *v, void *ctx)
{
	kg__type *t = ctx;

	if (strcmp(k->val, "label") != 0)
		return 0;
	TRY(get_text(L, v, "label", &t->label));
	return 1;
}

static int type_item(loader *L, const ev *k, uint32_t name, const ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->type_ids, kg__type_key, name);
	kg__type t;

	if (idx != KG_NONE && L->g->types.v[idx].declared) {
		TRY(error_dup(L, k, "type", L->g->types.v[idx].loc));
		return skip(L, v);
	}
	memset(&t, 0, sizeof t);
	t.name = name;
	t.attrs.start = (uint32_t)L->g->attrs.n;
	TRY(read_style_map(L, v, "a type", type_key, type_keys, 1, &t));
	t.attrs.count = (uint32_t)(L->g->attrs.n - t.attrs.start);
	t.loc = make_loc(L, k->line, k->col);
	t.declared = 1;
	if (idx == KG_NONE) {
		if (KG_VEC_PUSH(L->g->types, t) ||
		    kg__idmap_put(L->g, &L->g->type_ids, kg__type_key, name, (uint32_t)L->g->types.n - 1))
			return KG_ENOMEM;
	} else {
		t.builtin = L->g->types.v[idx].builtin;
		L->g->types.v[idx] = t;
	}
	return 0;
}

/* Add a relation type seen for the first time; returns its index. */
static int new_rtype(loader *L, uint32_t name, kg__loc loc, uint32_t *idx)
{
	kg__rtype t;

	memset(&t, 0, sizeof t);
	t.name = name;
	t.loc = loc;
	if (KG_VEC_PUSH(L->g->rtypes, t) ||
	    kg__idmap_put(L->g, &L->g->rtype_ids, kg__rtype_key, name, (uint32_t)L->g->rtypes.n - 1))
		return KG_ENOMEM;
	*idx = (uint32_t)L->g->rtypes.n - 1;
	return 0;
}

static uint32_t entity_of(const loader *L, uint32_t sid)
{
	return kg__graph_entity_of(L->g, sid);
}

static int push_pend(loader *L, int kind, uint32_t target, uint32_t sid, unsigned line, unsigned col)
{
	pend p;

	p.kind = (unsigned char)kind;
	p.target = target;
	p.sid = sid;
	p.loc = make_loc(L, line, col);
	return KG_VEC_PUSH(L->pend, p) ? KG_ENOMEM : 0;
}

/* A type name in a relation type's from:/to: list, kept for resolution. */
static int push_end_type(loader *L, const ev *e, uint32_t sid, int in_list, void *ctx)
{
	(void)in_list;
	(void)ctx;
	if (KG_VEC_PUSH(L->g->u32, KG_NONE))
		return KG_ENOMEM;
	return push_pend(L, P_RTYPE_END, (uint32_t)L->g->u32.n - 1, sid, e->line, e->col);
}

static int rtype_key(loader *L, const ev *k, const ev *v, void *ctx)
{
	kg__rtype *t = ctx;
	int b = 0;

	if (strcmp(k->val, "label") == 0) {
		TRY(get_text(L, v, "label", &t->label));
	} else if (strcmp(k->val, "symmetric") == 0) {
		TRY(get_bool(L, v, "symmetric", &b));
		t->symmetric = (uint8_t)b;
	} else if (strcmp(k->val, "from") == 0 || strcmp(k->val, "to") == 0) {
		kg__range *r = k->val[0] == 'f' ? &t->from : &t->to;
		r->start = (uint32_t)L->g->u32.n;
		TRY(text_or_list(L, v, "an entity type", 1, push_end_type, NULL));
		r->count = (uint32_t)(L->g->u32.n - r->start);
	} else {
		return 0;
	}
	return 1;
}

static int rtype_item(loader *L, const ev *k, uint32_t name, const ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->rtype_ids, kg__rtype_key, name);
	kg__rtype t;

	if (idx != KG_NONE && L->g->rtypes.v[idx].declared) {
		TRY(error_dup(L, k, "relation type", L->g->rtypes.v[idx].loc));
		return skip(L, v);
	}
	memset(&t, 0, sizeof t);
	t.name = name;
	t.attrs.start = (uint32_t)L->g->attrs.n;
	TRY(read_style_map(L, v, "a relation type", rtype_key, rtype_keys, 4, &t));
	t.attrs.count = (uint32_t)(L->g->attrs.n - t.attrs.start);
	t.loc = make_loc(L, k->line, k->col);
	t.declared = 1;
	if (idx == KG_NONE)
		TRY(new_rtype(L, name, t.loc, &idx));
	t.uses = L->g->rtypes.v[idx].uses;
	L->g->rtypes.v[idx] = t;
	return 0;
}

/* ---- sources ------------------------------------------------------- */

/* dir + path, unless path is absolute; interned. */
static int resolve_path(loader *L, const char *path, size_t len, uint32_t *sid)
{
	kg__buf b = {0};

	if (path[0] != '/' && kg__buf_puts(&b, L->f->dir)) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	if (kg__buf_add(&b, path, len)) {
		kg__buf_free(&b);
		return KG_ENOMEM;
	}
	*sid = kg__strtab_intern(&L->g->strings, b.p, b.n);
	kg__buf_free(&b);
	return *sid ? 0 : KG_ENOMEM;
}

static int read_source(loader *L, const ev *start, kg__source *s)
{
	static const char *const keys[] = {"title", "publisher", "url", "file", "date"};
	keyset *ks;
	ev k, v;
	uint32_t key;
	int rc;

	if (is_null(start))
		return 0;
	if (start->type != YAML_MAPPING_START_EVENT)
		return wrong_kind(L, start, "a source", "a mapping (title:, publisher:, date:, url:, file:)");
	ks = keyset_begin(L);
	s->attrs.start = (uint32_t)L->g->attrs.n;
	while ((rc = next_key(L, &k, &key)) == 1) {
		rc = keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(next(L, &v));
		if (rc) {
			TRY(skip(L, &v));
		} else if (strcmp(k.val, "title") == 0) {
			TRY(get_text(L, &v, "title", &s->title));
		} else if (strcmp(k.val, "publisher") == 0) {
			TRY(get_text(L, &v, "publisher", &s->publisher));
		} else if (strcmp(k.val, "url") == 0) {
			TRY(get_text(L, &v, "url", &s->url));
		} else if (strcmp(k.val, "date") == 0) {
			TRY(get_date(L, &v, "date", &s->date));
		} else if (strcmp(k.val, "file") == 0) {
			uint32_t f;
			TRY(get_text(L, &v, "file", &f));
			if (f)
				TRY(resolve_path(L, kg__str(&L->g->strings, f), kg__strlen(&L->g->strings, f), &s->file));
		} else {
			TRY(warn_near_key(L, &k, keys, sizeof keys / sizeof *keys));
			TRY(read_attr(L, key, &v, "an attribute"));
		}
	}
	s->attrs.count = (uint32_t)(L->g->attrs.n - s->attrs.start);
	return rc;
}

static int source_item(loader *L, const ev *k, uint32_t id, const ev *v)
{
	uint32_t idx = kg__idmap_get(L->g, &L->g->source_ids, kg__source_key, id);
	kg__source src;

	if (idx != KG_NONE) {
		TRY(error_dup(L, k, "source", L->g->sources.v[idx].loc));
		return skip(L, v);
	}
	memset(&src, 0, sizeof src);
	src.id = id;
	src.loc = make_loc(L, k->line, k->col);
	TRY(read_source(L, v, &src));
	if (KG_VEC_PUSH(L->g->sources, src) ||
	    kg__idmap_put(L->g, &L->g->source_ids, kg__source_key, id, (uint32_t)L->g->sources.n - 1))
		return KG_ENOMEM;
	return 0;
}

/* ---- entities ------------------------------------------------------ */

static int push_alias(loader *L, const ev *e, uint32_t sid, int in_list, void *ctx)
{
	(void)e;
	(void)in_list;
	(void)ctx;
	return KG_VEC_PUSH(L->g->u32, sid) ? KG_ENOMEM : 0;
}

static int read_entity(loader *L, const ev *key, const ev *start, kg__entity *en, pend *type_ref)
{
	static const char *const keys[] = {"type", "name", "aliases"};
	int have_type = 0, rc;
	keyset *ks;
	ev k, v;
	uint32_t kid;

	/* Set first: the caller drops what the entity added, from here,
	 * when it has an error, also one found before anything was added. */
	en->attrs.start = (uint32_t)L->g->attrs.n;
	en->aliases.start = (uint32_t)L->g->u32.n;
	if (start->type != YAML_MAPPING_START_EVENT) {
		TRY(error_at(L, start->line, start->col,
		             "entity '%s' must be a mapping with at least type:, not %s", key->val,
		             event_name(start->type)));
		return skip(L, start);
	}
	ks = keyset_begin(L);
	while ((rc = next_key(L, &k, &kid)) == 1) {
		rc = keyset_add(L, ks, kid, k.line, k.col);
		TRY(rc);
		TRY(next(L, &v));
		if (rc) {
			TRY(skip(L, &v));
		} else if (strcmp(k.val, "type") == 0) {
			uint32_t sid;
			TRY(get_id(L, &v, "type", &sid));
			have_type = 1;
			if (sid) {
				type_ref->sid = sid;
				type_ref->loc = make_loc(L, v.line, v.col);
			}
		} else if (strcmp(k.val, "name") == 0) {
			TRY(get_text(L, &v, "name", &en->name));
		} else if (strcmp(k.val, "aliases") == 0) {
			TRY(text_or_list(L, &v, "aliases", 0, push_alias, NULL));
		} else {
			TRY(warn_near_key(L, &k, keys, sizeof keys / sizeof *keys));
			TRY(read_attr(L, kid, &v, "an attribute"));
		}
	}
	TRY(rc);
	en->attrs.count = (uint32_t)(L->g->attrs.n - en->attrs.start);
	en->aliases.count = (uint32_t)(L->g->u32.n - en->aliases.start);
	if (!have_type) {
		TRY(error_at(L, key->line, key->col, "entity '%s' has no type:", key->val));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "add e.g. 'type: person' (built-in types: person, country, organization, "
		               "weapon, decision, event, place)");
	}
	return 0;
}

static int entity_item(loader *L, const ev *k, uint32_t id, const ev *v)
{
	uint32_t idx = entity_of(L, id);
	size_t nerr = L->nerrors;
	kg__entity en;
	pend tref;

	if (idx != KG_NONE) {
		TRY(error_dup(L, k, "entity", kg__entity_loc(L->g, idx)));
		return skip(L, v);
	}
	memset(&en, 0, sizeof en);
	memset(&tref, 0, sizeof tref);
	en.id = id;
	en.type = KG_NONE;
	TRY(read_entity(L, k, v, &en, &tref));
	if (L->nerrors != nerr) {
		/* Drop what this entity added; keep the id so that relations
		 * to it are not reported as unknown too. */
		L->g->attrs.n = en.attrs.start;
		L->g->u32.n = en.aliases.start;
		en.attrs.count = en.aliases.count = 0;
	}
	if (L->g->entities.n >= KG_MAX_ITEMS) {
		TRY(error_at(L, k->line, k->col, "more than %u entities", KG_MAX_ITEMS));
		return LD_STOP;
	}
	if (tref.sid) {
		en.type = kg__idmap_get(L->g, &L->g->type_ids, kg__type_key, tref.sid);
		if (en.type == KG_NONE) {
			tref.kind = P_ETYPE;
			tref.target = (uint32_t)L->g->entities.n;
			if (KG_VEC_PUSH(L->pend, tref))
				return KG_ENOMEM;
		}
	}
	if (kg__graph_add_entity(L->g, &en, make_loc(L, k->line, k->col)))
		return KG_ENOMEM;
	kg__strtab_set_aux(&L->g->strings, id, (uint32_t)L->g->entities.n);
	return 0;
}

/* ---- relations ----------------------------------------------------- */

typedef struct relctx {
	kg__relation r;
	kg__loc loc;
	kg__relation_ext x;
	int has_ext;
	pend refs[3];
	int nrefs;
	uint32_t from_sid, to_sid; /* string ids of ends not resolved yet */
	bool have_from, have_to;
	/* The ends' text (in L->end_text) and hash, looked up only once the
	 * relation is read: see rel_endpoint. refs[end_ref[i]] is the
	 * reference queued for end i should it be unknown. */
	uint32_t end_len[2], end_hash[2];
	int end_ref[2];
	unsigned since_line, since_col;
} relctx;

static const char *const rel_keys[] = {
	"from", "type", "to", "date", "since", "until", "source", "quote", "weight",
};

/* One end of a relation, checked now and looked up in resolve_ends once
 * the relation is read. On a large graph the lookup is two cache misses
 * (the string table's slot, then the text); the slot was prefetched when
 * the event was parsed (parse_ahead), and waiting for the rest of the
 * relation lets libyaml's work hide more of both misses. The
 * reference for an unknown end takes its place among the relation's
 * references now, so that they are reported in the order written. */
static int rel_endpoint(loader *L, relctx *c, const ev *e, int which)
{
	int i = which == P_FROM ? 0 : 1;
	pend *p;
	bool ok;

	TRY(check_id(L, e, which == P_FROM ? "from" : "to", &ok));
	if (!ok)
		return 0;
	memcpy(L->end_text[i], e->val, e->len); /* check_id: at most KG_MAX_ID_BYTES */
	c->end_len[i] = (uint32_t)e->len;
	c->end_hash[i] = e->hashed ? e->hash : kg__strtab_hash(e->val, e->len);
	c->end_ref[i] = c->nrefs;
	p = &c->refs[c->nrefs++];
	p->kind = (unsigned char)which;
	p->sid = 0;
	p->loc = make_loc(L, e->line, e->col);
	if (which == P_FROM)
		c->have_from = true;
	else
		c->have_to = true;
	return 0;
}

/* Resolve the ends rel_endpoint saw: a known entity's id is in the string
 * table with the entity in its header, so one lookup, which neither
 * allocates nor copies, finds it; an unknown one is interned and its
 * reference queued (P_NONE marks a reference no longer needed). */
static int resolve_ends(loader *L, relctx *c)
{
	kg__strtab *t = &L->g->strings;
	bool have[2];
	int i;

	have[0] = c->have_from;
	have[1] = c->have_to;
	for (i = 0; i < 2; i++)
		if (have[i])
			kg__strtab_prefetch_text(t, c->end_hash[i]);
	for (i = 0; i < 2; i++) {
		uint32_t sid, idx;
		pend *p;
		if (!have[i])
			continue;
		p = &c->refs[c->end_ref[i]];
		idx = entity_of(L, kg__strtab_find_hashed(t, L->end_text[i], c->end_len[i], c->end_hash[i]));
		sid = 0;
		if (idx == KG_NONE) {
			sid = kg__strtab_intern(t, L->end_text[i], c->end_len[i]);
			if (!sid)
				return KG_ENOMEM;
			p->sid = sid;
		} else {
			p->kind = P_NONE;
		}
		if (i == 0) {
			c->r.from = idx;
			c->from_sid = sid;
		} else {
			c->r.to = idx;
			c->to_sid = sid;
		}
	}
	return 0;
}

static int rel_type(loader *L, relctx *c, const ev *e)
{
	uint32_t sid, idx;

	TRY(get_id(L, e, "relation type", &sid));
	if (!sid)
		return 0;
	idx = kg__idmap_get(L->g, &L->g->rtype_ids, kg__rtype_key, sid);
	if (idx == KG_NONE)
		TRY(new_rtype(L, sid, make_loc(L, e->line, e->col), &idx));
	c->r.type = idx;
	return 0;
}

/* The keys a relation may have besides from/type/to; anything else is an
 * attribute. */
static int rel_optional(loader *L, relctx *c, const ev *k, uint32_t key, const ev *v)
{
	if (strcmp(k->val, "date") == 0) {
		TRY(get_date(L, v, "date", &c->x.date));
	} else if (strcmp(k->val, "since") == 0) {
		TRY(get_date(L, v, "since", &c->x.since));
		c->since_line = v->line;
		c->since_col = v->col;
	} else if (strcmp(k->val, "until") == 0) {
		TRY(get_date(L, v, "until", &c->x.until));
	} else if (strcmp(k->val, "source") == 0) {
		uint32_t sid;
		TRY(get_id(L, v, "source", &sid));
		if (sid) {
			pend *p = &c->refs[c->nrefs++];
			p->kind = P_SOURCE;
			p->sid = sid;
			p->loc = make_loc(L, v->line, v->col);
		}
	} else if (strcmp(k->val, "quote") == 0) {
		TRY(get_text(L, v, "quote", &c->x.quote));
	} else if (strcmp(k->val, "weight") == 0) {
		double w;
		if (v->type != YAML_SCALAR_EVENT)
			return wrong_kind(L, v, "weight", "a number");
		if (!v->plain && kg__parse_number(v->val, v->len, &w) == 0) {
			TRY(error_at(L, v->line, v->col, "weight must be a number, not quoted text"));
			kg__diag_hintf(L->diags, L->last_diag, "write weight: %s without quotes", v->val);
		} else if (!v->plain || kg__parse_number(v->val, v->len, &w)) {
			TRY(error_at(L, v->line, v->col, "weight '%.*s' is not a finite number",
			             (int)(v->len > 40 ? 40 : v->len), v->val));
		} else if (w < 0) {
			TRY(error_at(L, v->line, v->col, "weight %s is negative; weights are distances, 0 or more",
			             v->val));
		} else {
			c->x.weight = w;
			c->x.flags |= KG__EXT_WEIGHT;
		}
	} else {
		TRY(warn_near_key(L, k, rel_keys, sizeof rel_keys / sizeof *rel_keys));
		return read_attr(L, key, v, "an attribute");
	}
	return 0;
}

/* Read the keys of a full-form relation (full = 1) or of a compact
 * relation's attribute mapping (full = 0). */
static int rel_mapping(loader *L, relctx *c, int full)
{
	keyset *ks = keyset_begin(L);
	ev k, v;
	uint32_t key;
	int rc;

	while ((rc = next_key(L, &k, &key)) == 1) {
		int is_end;
		rc = keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(next(L, &v));
		is_end = strcmp(k.val, "from") == 0 || strcmp(k.val, "to") == 0 || strcmp(k.val, "type") == 0;
		if (rc) {
			TRY(skip(L, &v));
		} else if (is_end && !full) {
			TRY(error_at(L, k.line, k.col, "'%s' belongs in the list [from, type, to], not among the attributes",
			             k.val));
			TRY(skip(L, &v));
		} else if (strcmp(k.val, "from") == 0) {
			TRY(rel_endpoint(L, c, &v, P_FROM));
		} else if (strcmp(k.val, "to") == 0) {
			TRY(rel_endpoint(L, c, &v, P_TO));
		} else if (strcmp(k.val, "type") == 0) {
			TRY(rel_type(L, c, &v));
		} else {
			TRY(rel_optional(L, c, &k, key, &v));
		}
	}
	return rc;
}

static int read_relation(loader *L, const ev *start)
{
	size_t nerr = L->nerrors;
	relctx c;
	int i;

	memset(&c, 0, sizeof c);
	c.r.from = c.r.to = c.r.type = KG_NONE;
	c.loc = make_loc(L, start->line, start->col);
	c.x.source = KG_NONE;
	c.x.attrs.start = (uint32_t)L->g->attrs.n;

	if (start->type == YAML_SEQUENCE_START_EVENT) {
		unsigned n = 0;
		ev e;
		for (;;) {
			TRY(next(L, &e));
			if (e.type == YAML_SEQUENCE_END_EVENT)
				break;
			n++;
			if (n == 1)
				TRY(rel_endpoint(L, &c, &e, P_FROM));
			else if (n == 2)
				TRY(rel_type(L, &c, &e));
			else if (n == 3)
				TRY(rel_endpoint(L, &c, &e, P_TO));
			else if (n == 4 && e.type == YAML_MAPPING_START_EVENT)
				TRY(rel_mapping(L, &c, 0));
			else if (n == 4)
				TRY(wrong_kind(L, &e, "the 4th item of a compact relation", "a mapping of attributes"));
			else
				TRY(skip(L, &e));
		}
		if (n < 3 || n > 4) {
			TRY(error_at(L, start->line, start->col,
			             "a compact relation has 3 items [from, type, to] and optionally a mapping of "
			             "attributes; this one has %u", n));
		}
	} else if (start->type == YAML_MAPPING_START_EVENT) {
		TRY(rel_mapping(L, &c, 1));
		if (L->nerrors == nerr) {
			const char *missing = NULL;
			if (!c.have_from)
				missing = "from";
			else if (c.r.type == KG_NONE)
				missing = "type";
			else if (!c.have_to)
				missing = "to";
			if (missing) {
				TRY(error_at(L, start->line, start->col, "relation has no '%s:'", missing));
				kg__diag_hintf(L->diags, L->last_diag, "%s",
				               "a relation needs from:, type: and to:");
			}
		}
	} else {
		TRY(error_at(L, start->line, start->col,
		             "a relation must be a list [from, type, to] or a mapping with from:, type: and to:, "
		             "not %s", event_name(start->type)));
		return skip(L, start);
	}

	if (c.x.since && c.x.until && kg_date_first_day(c.x.until) <= kg_date_first_day(c.x.since)) {
		char a[11], b[11];
		TRY(error_at(L, c.since_line, c.since_col, "since %s is not before until %s",
		             kg_date_format(a, c.x.since), kg_date_format(b, c.x.until)));
		kg__diag_hintf(L->diags, L->last_diag, "%s", "until: is exclusive: the first date the relation no longer holds");
	}
	if (L->nerrors != nerr) {
		L->g->attrs.n = c.x.attrs.start;
		return 0;
	}
	TRY(resolve_ends(L, &c));
	if (c.r.from != KG_NONE ? c.r.from == c.r.to : c.from_sid == c.to_sid)
		TRY(warning_at(L, start->line, start->col, "relation from '%s' to itself",
		               c.r.from != KG_NONE ? kg_entity_id(L->g, c.r.from) : kg__str(&L->g->strings, c.from_sid)));
	c.x.attrs.count = (uint32_t)(L->g->attrs.n - c.x.attrs.start);
	if (c.x.date || c.x.since || c.x.until || c.x.quote || c.x.flags || c.x.attrs.count)
		c.has_ext = 1;
	for (i = 0; i < c.nrefs; i++)
		if (c.refs[i].kind == P_SOURCE)
			c.has_ext = 1;
	if (L->g->relations.n >= KG_MAX_ITEMS) {
		TRY(error_at(L, start->line, start->col, "more than %u relations", KG_MAX_ITEMS));
		return LD_STOP;
	}
	for (i = 0; i < c.nrefs; i++) {
		if (c.refs[i].kind == P_NONE)
			continue;
		c.refs[i].target = (uint32_t)L->g->relations.n;
		if (KG_VEC_PUSH(L->pend, c.refs[i]))
			return KG_ENOMEM;
	}
	L->g->rtypes.v[c.r.type].uses++;
	return kg__graph_add_relation(L->g, &c.r, c.loc, c.has_ext ? &c.x : NULL);
}

static int read_relations(loader *L, const ev *start)
{
	ev e;

	if (is_null(start))
		return 0;
	if (start->type != YAML_SEQUENCE_START_EVENT)
		return wrong_kind(L, start, "relations:", "a list");
	for (;;) {
		TRY(next(L, &e));
		if (e.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		TRY(read_relation(L, &e));
	}
}

/* ---- the top level ------------------------------------------------- */

static const char *const top_keys[] = {
	"title", "description", "include", "sources", "types", "relation_types", "entities", "relations",
};

static int push_include(loader *L, const ev *e, uint32_t sid, int in_list, void *ctx)
{
	incl in;

	(void)in_list;
	(void)ctx;
	in.path = kg__strndup(kg__str(&L->g->strings, sid), kg__strlen(&L->g->strings, sid));
	if (!in.path)
		return KG_ENOMEM;
	in.loc = make_loc(L, e->line, e->col);
	if (KG_VEC_PUSH(L->f->includes, in)) {
		kg__free(in.path);
		return KG_ENOMEM;
	}
	return 0;
}

/* title: or description:, kept from the first file that gives it. */
static int read_meta(loader *L, const ev *k, const ev *v, uint32_t *slot)
{
	uint32_t sid;

	TRY(get_text(L, v, k->val, &sid));
	if (!sid)
		return 0;
	if (!*slot)
		*slot = sid;
	else if (*slot != sid)
		TRY(warning_at(L, v->line, v->col, "%s ignored: an earlier file set it to \"%s\"", k->val,
		               kg__str(&L->g->strings, *slot)));
	return 0;
}

static int read_top(loader *L)
{
	keyset *ks = keyset_begin(L);
	ev k, v;
	uint32_t key;
	int rc;

	while ((rc = next_key(L, &k, &key)) == 1) {
		const char *name = k.val;
		rc = keyset_add(L, ks, key, k.line, k.col);
		TRY(rc);
		TRY(next(L, &v));
		if (rc) {
			TRY(skip(L, &v));
		} else if (strcmp(name, "title") == 0) {
			TRY(read_meta(L, &k, &v, &L->g->title));
		} else if (strcmp(name, "description") == 0) {
			TRY(read_meta(L, &k, &v, &L->g->description));
		} else if (strcmp(name, "include") == 0) {
			TRY(text_or_list(L, &v, "include", 0, push_include, NULL));
		} else if (strcmp(name, "sources") == 0) {
			TRY(read_id_map(L, &v, "sources:", "source id", source_item));
		} else if (strcmp(name, "types") == 0) {
			TRY(read_id_map(L, &v, "types:", "type name", type_item));
		} else if (strcmp(name, "relation_types") == 0) {
			TRY(read_id_map(L, &v, "relation_types:", "relation type name", rtype_item));
		} else if (strcmp(name, "entities") == 0) {
			TRY(read_id_map(L, &v, "entities:", "entity id", entity_item));
		} else if (strcmp(name, "relations") == 0) {
			TRY(read_relations(L, &v));
		} else {
			TRY(error_at(L, k.line, k.col, "unknown top-level key '%s'", k.val));
			hint_near(L, closest(k.val, k.len, top_keys, sizeof top_keys / sizeof *top_keys));
			if (!kg_diag_list_get(L->diags, L->last_diag)->hint)
				kg__diag_hintf(L->diags, L->last_diag, "%s",
				               "the top-level keys are title, description, include, sources, types, "
				               "relation_types, entities and relations");
			TRY(skip(L, &v));
		}
	}
	return rc;
}

/* One YAML stream holding one document whose root is a mapping. */
static int read_stream(loader *L)
{
	ev e;

	TRY(next(L, &e)); /* stream start */
	TRY(next(L, &e));
	if (e.type == YAML_STREAM_END_EVENT) {
		TRY(error_at(L, 0, 0, "the file is empty"));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "a graph file is a YAML mapping with keys such as entities: and relations:");
		return 0;
	}
	TRY(next(L, &e));
	if (e.type != YAML_MAPPING_START_EVENT) {
		if (is_null(&e))
			TRY(error_at(L, e.line, e.col, "the document is empty"));
		else
			TRY(error_at(L, e.line, e.col, "the top level must be a mapping, not %s", event_name(e.type)));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "a graph file is a YAML mapping with keys such as entities: and relations:");
		TRY(skip(L, &e));
	} else {
		TRY(read_top(L));
	}
	TRY(next(L, &e)); /* document end */
	TRY(next(L, &e));
	if (e.type == YAML_DOCUMENT_START_EVENT) {
		TRY(error_at(L, e.line, e.col, "a second YAML document; a graph file holds exactly one"));
		kg__diag_hintf(L->diags, L->last_diag, "%s",
		               "remove the '---' line, or split the documents into files and use include:");
	}
	return 0;
}

/* ---- files --------------------------------------------------------- */

static int read_all(FILE *fp, kg__buf *b)
{
	char chunk[65536];
	size_t got;

	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b->n + got > KG_MAX_FILE_BYTES || kg__buf_add(b, chunk, got))
			return -1;
	}
	return ferror(fp) ? -1 : 0;
}

/* Open a graph file for reading without waiting. fopen() on a FIFO (a
 * named pipe) blocks until some process opens it for writing, which may be
 * never: `include: some-fifo` or `kgraph check some-fifo` would hang.
 * With O_NONBLOCK, open() returns at once; load_file's fstat() then refuses
 * anything but a regular file. The flag is cleared again for reading (it
 * does nothing to a regular file anyway). */
static FILE *open_nonblocking(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK), flags, err;
	FILE *fp;

	if (fd < 0)
		return NULL;
	flags = fcntl(fd, F_GETFL);
	if (flags != -1)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	fp = fdopen(fd, "rb");
	if (!fp) {
		err = errno;
		close(fd);
		errno = err;
	}
	return fp;
}

static void reset_aliases(loader *L)
{
	L->log.n = 0;
	L->anchor_of.n = 0;
	L->anchors.n = 0;
	L->frames.n = 0;
	L->replays.n = 0;
	L->replayed = 0;
	L->depth = 0;
	kg__strtab_free(&L->anames);
	kg__arena_free(&L->scratch);
}

/* Report a problem opening a file: at the include that named it, or for
 * the file itself when the user named it. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int open_error(loader *L, const kg__loc *from, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (from)
		return error_loc(L, *from, NULL, NULL, "cannot include '%s': %s", path, msg);
	L->io_failed = 1;
	{
		kg_location where = {path, 0, 0};
		return vreport_args(L, &where, NULL, NULL, "cannot read: %s", msg);
	}
}

static int add_file_name(loader *L, const char *name, uint32_t *index)
{
	char *copy;

	if (L->g->files.n >= KG_MAX_FILES) {
		kg_location where = {name, 0, 0};
		TRY(vreport_args(L, &where, NULL, NULL, "more than %d files", KG_MAX_FILES));
		L->stopped = 1;
		return LD_STOP;
	}
	copy = kg__arena_strndup(&L->g->arena, name, strlen(name));
	if (!copy || KG_VEC_PUSH(L->g->files, copy))
		return KG_ENOMEM;
	*index = (uint32_t)(L->g->files.n - 1);
	return 0;
}

static int load_file(loader *L, const char *path, const char *data, size_t len,
                     const kg__loc *from, unsigned depth);

static int load_includes(loader *L, file_ctx *fc, unsigned depth)
{
	size_t i;

	for (i = 0; i < fc->includes.n && !L->stopped; i++) {
		const incl *in = &fc->includes.v[i];
		kg__buf p = {0};
		int rc;
		if (in->path[0] != '/' && kg__buf_puts(&p, fc->dir))
			return KG_ENOMEM;
		if (kg__buf_puts(&p, in->path)) {
			kg__buf_free(&p);
			return KG_ENOMEM;
		}
		if (depth + 1 > KG_MAX_INCLUDE_DEPTH)
			rc = error_loc(L, in->loc, NULL, NULL, "includes nest more than %d deep", KG_MAX_INCLUDE_DEPTH);
		else
			rc = load_file(L, p.p, NULL, 0, &in->loc, depth + 1);
		kg__buf_free(&p);
		if (rc == KG_ENOMEM)
			return rc;
	}
	return 0;
}

/* Read one file (from disk, or data when not NULL), then its includes.
 * from is the include that named it, or NULL for a file the caller named. */
static int load_file(loader *L, const char *path, const char *data, size_t len,
                     const kg__loc *from, unsigned depth)
{
	file_ctx fc;
	kg__buf in = {0};
	fileid id = {0, 0, 0};
	int has_id = 0, pushed = 0, rc = 0;
	const char *name = path, *slash;
	size_t i;

	memset(&fc, 0, sizeof fc);
	if (!data && strcmp(path, "-") == 0 && !from) {
		name = L->opts->stdin_name ? L->opts->stdin_name : "<stdin>";
		if (read_all(stdin, &in)) {
			kg__buf_free(&in);
			return open_error(L, NULL, name, "%s", "standard input could not be read");
		}
		data = in.p ? in.p : "";
		len = in.n;
	} else if (!data) {
		struct stat st;
		fc.fp = open_nonblocking(path);
		if (!fc.fp)
			return open_error(L, from, path, "%s", strerror(errno));
		if (fstat(fileno(fc.fp), &st)) {
			int err = errno;
			fclose(fc.fp);
			return open_error(L, from, path, "%s", strerror(err));
		}
		if (!S_ISREG(st.st_mode)) {
			fclose(fc.fp);
			return open_error(L, from, path, "%s",
			                  S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
		}
		if ((unsigned long long)st.st_size > KG_MAX_FILE_BYTES) {
			fclose(fc.fp);
			return open_error(L, from, path, "it is larger than %u bytes", KG_MAX_FILE_BYTES);
		}
		id.dev = st.st_dev;
		id.ino = st.st_ino;
		id.valid = 1;
		has_id = 1;
		for (i = 0; i < L->chain.n; i++) {
			if (L->chain.v[i].valid && L->chain.v[i].dev == id.dev && L->chain.v[i].ino == id.ino) {
				kg__buf msg = {0};
				size_t j;
				for (j = i; j < L->chain_names.n; j++)
					kg__buf_printf(&msg, "%s -> ", L->chain_names.v[j]);
				kg__buf_puts(&msg, path);
				fclose(fc.fp);
				rc = error_loc(L, *from, NULL, NULL, "include cycle: %s", msg.p ? msg.p : path);
				kg__buf_free(&msg);
				return rc;
			}
		}
		for (i = 0; i < L->seen.n; i++) {
			if (L->seen.v[i].dev == id.dev && L->seen.v[i].ino == id.ino) {
				/* Already read (named twice, or included from two
				 * places): once is enough. */
				fclose(fc.fp);
				return 0;
			}
		}
		L->bytes += (size_t)st.st_size;
		fc.size = (size_t)st.st_size;
	}
	if (data) {
		fc.mem = data;
		fc.memlen = len;
		fc.size = len;
		L->bytes += len;
	}
	if (in.p) {
		/* The loader keeps standard input's text for the final pass
		 * over diagnostics (fill_late_positions). */
		L->stdin_text = in;
		memset(&in, 0, sizeof in);
	}
	L->files++;

	rc = add_file_name(L, name, &fc.index);
	if (rc)
		goto done;
	fc.name = L->g->files.v[fc.index];
	slash = strrchr(path, '/');
	fc.dir = kg__strndup(path, slash ? (size_t)(slash - path + 1) : 0);
	if (!fc.dir || (has_id && KG_VEC_PUSH(L->seen, id)) || KG_VEC_PUSH(L->chain, id) ||
	    KG_VEC_PUSH(L->chain_names, fc.name)) {
		rc = KG_ENOMEM;
		goto done;
	}
	pushed = 1;
	fc.diag_first = kg_diag_list_count(L->diags);
	/* Size the string table for the file at once rather than doubling it
	 * a dozen times on a large one. Graph files have one distinct string
	 * per 70 to 170 bytes (the example graphs, the benchmark's); too many
	 * slots are given back by kg__strtab_trim, too few grow as before,
	 * and when the memory is not there, so does the table. */
	(void)kg__strtab_reserve(&L->g->strings, fc.size / LD_BYTES_PER_STRING);

	if (!yaml_parser_initialize(&L->parser)) {
		rc = KG_ENOMEM;
		goto done;
	}
	L->have_text = L->last_was_text = 0;
	if (fc.fp)
		yaml_parser_set_input_file(&L->parser, fc.fp);
	else
		yaml_parser_set_input_string(&L->parser, (const unsigned char *)fc.mem, fc.memlen);
	L->f = &fc;
	if (kg__strtab_init(&L->anames, &L->scratch)) {
		yaml_parser_delete(&L->parser);
		rc = KG_ENOMEM;
		goto done;
	}
	if (L->opts->thread == KG_LOAD_THREAD_ON ||
	    (L->opts->thread == KG_LOAD_THREAD_AUTO && fc.size >= KG_LOAD_THREAD_MIN_BYTES &&
	     (L->cpus ? L->cpus : (L->cpus = cpus_available())) > 1)) {
		/* The marks of a piped event are 32-bit. */
		if (fc.size <= UINT32_MAX)
			L->pipe = pipe_start(&L->parser, L->opts->stats != NULL);
	}
	rc = read_stream(L);
	if (L->opts->progress)
		L->opts->progress(L->opts->progress_ctx, fc.name, fc.size, fc.size);
	drop_events(L);
	if (L->pipe) {
		pipe_stop(L->pipe, &L->parse_seconds);
		L->pipe = NULL;
	}
	yaml_parser_delete(&L->parser);
	reset_aliases(L);
	if (rc != KG_ENOMEM) {
		rc = kg__diag_fill_lines(L->diags, fc.name, fc.fp, fc.mem, fc.memlen, fc.diag_first,
		                         fc.offsets.v, fc.offsets.n);
		if (fc.fp) {
			fclose(fc.fp);
			fc.fp = NULL;
		}
	}
	L->f = NULL;
	if (rc != KG_ENOMEM)
		rc = load_includes(L, &fc, depth);
done:
	if (pushed && L->chain.n)
		L->chain.n--;
	if (pushed && L->chain_names.n)
		L->chain_names.n--;
	if (fc.fp)
		fclose(fc.fp);
	kg__free(fc.dir);
	for (i = 0; i < fc.includes.n; i++)
		kg__free(fc.includes.v[i].path);
	KG_VEC_FREE(fc.offsets);
	KG_VEC_FREE(fc.includes);
	kg__buf_free(&in);
	return rc == KG_ENOMEM ? rc : 0;
}

/* ---- after every file ---------------------------------------------- */

/* "a or b" / "a, b or c" of the type names in a from:/to: list. */
static void type_list(const kg_graph *g, kg__range r, kg__buf *out)
{
	uint32_t i;

	for (i = 0; i < r.count; i++) {
		uint32_t t = g->u32.v[r.start + i];
		if (i)
			kg__buf_puts(out, i + 1 == r.count ? " or " : ", ");
		kg__buf_puts(out, t == KG_NONE ? "?" : kg_type_name(g, t));
	}
}

/* Whether a from:/to: list holds a type that does not exist. */
static bool has_unknown(const kg_graph *g, kg__range r)
{
	for (uint32_t i = 0; i < r.count; i++)
		if (g->u32.v[r.start + i] == KG_NONE)
			return true;
	return false;
}

static int allows(const kg_graph *g, kg__range r, uint32_t type)
{
	uint32_t i;

	if (!r.count)
		return 1;
	for (i = 0; i < r.count; i++)
		if (g->u32.v[r.start + i] == type)
			return 1;
	return 0;
}


static int resolve(loader *L)
{
	kg_graph *g = L->g;
	size_t i;

	for (i = 0; i < L->pend.n && !L->stopped; i++) {
		const pend *p = &L->pend.v[i];
		const char *text = kg__str(&g->strings, p->sid);
		uint32_t idx;
		switch (p->kind) {
		case P_FROM:
		case P_TO:
			idx = entity_of(L, p->sid);
			if (idx == KG_NONE) {
				TRY(error_loc(L, p->loc, NULL, NULL, "unknown entity '%s'", text));
				hint_near(L, kg_graph_suggest_entity(g, text));
			} else if (p->kind == P_FROM) {
				g->relations.v[p->target].from = idx;
			} else {
				g->relations.v[p->target].to = idx;
			}
			break;
		case P_ETYPE:
		case P_RTYPE_END:
			idx = kg__idmap_get(g, &g->type_ids, kg__type_key, p->sid);
			if (idx == KG_NONE) {
				const char *near = kg_graph_suggest_type(g, text);
				TRY(error_loc(L, p->loc, NULL, NULL, "unknown entity type '%s'", text));
				if (near)
					hint_near(L, near);
				else
					kg__diag_hintf(L->diags, L->last_diag, "%s",
					               "use a built-in type (person, country, organization, weapon, "
					               "decision, event, place) or declare it under types:");
			}
			if (p->kind == P_ETYPE)
				g->entities.v[p->target].type = idx;
			else /* the string id it held until now is no type */
				g->u32.v[p->target] = idx;
			break;
		case P_SOURCE:
			idx = kg__idmap_get(g, &g->source_ids, kg__source_key, p->sid);
			if (idx == KG_NONE) {
				TRY(error_loc(L, p->loc, NULL, NULL, "unknown source '%s'", text));
				hint_near(L, closest_key(L, text, kg__source_key, g->sources.n));
			} else {
				kg__relation_ext_of(g, p->target)->source = idx;
			}
			break;
		}
	}
	if (L->stopped)
		return LD_STOP;

	for (i = 0; i < g->relations.n; i++) {
		const kg__relation *r = &g->relations.v[i];
		const kg__rtype *t = &g->rtypes.v[r->type];
		uint32_t ft, tt;
		int ok_from, ok_to;
		const kg__relation_ext *x = kg__relation_ext_of(g, (uint32_t)i);
		if (x && x->source != KG_NONE)
			g->sources.v[x->source].cites++;
		/* A type list with an unknown type in it was reported above;
		 * checking against the rest would only add confusing errors. */
		if (r->from == KG_NONE || r->to == KG_NONE || (!t->from.count && !t->to.count) ||
		    has_unknown(g, t->from) || has_unknown(g, t->to))
			continue;
		ft = g->entities.v[r->from].type;
		tt = g->entities.v[r->to].type;
		if (ft == KG_NONE || tt == KG_NONE)
			continue;
		ok_from = allows(g, t->from, ft);
		ok_to = allows(g, t->to, tt);
		/* A symmetric relation may be written either way round; when
		 * neither way fits, report the way it was written. */
		if (t->symmetric && !(ok_from && ok_to) && allows(g, t->from, tt) && allows(g, t->to, ft))
			continue;
		if (!ok_from || !ok_to) {
			const char *tname = kg_type_name(g, ok_from ? tt : ft);
			kg_location rel = kg__graph_location(g, t->loc);
			kg__buf allowed = {0};
			int rc;
			type_list(g, ok_from ? t->to : t->from, &allowed);
			rc = error_loc(L, kg__relation_loc(g, (uint32_t)i), &rel, "the relation type is declared here",
			               "'%s' relations %s %s, but '%s' is %s %s",
			               kg__str(&g->strings, t->name), ok_from ? "go to" : "come from",
			               allowed.p ? allowed.p : "?",
			               kg_entity_id(g, ok_from ? r->to : r->from),
			               strchr("aeiou", tname[0]) ? "an" : "a", tname);
			kg__buf_free(&allowed);
			TRY(rc);
		}
	}
	return 0;
}

/* Source lines for diagnostics reported after their file was closed
 * (unknown references, include problems): one more look at each file
 * that has such a diagnostic. */
static int fill_late_positions(loader *L)
{
	const char *stdin_name = L->opts->stdin_name ? L->opts->stdin_name : "<stdin>";
	size_t i;

	for (i = 0; i < L->g->files.n; i++) {
		const char *name = L->g->files.v[i];
		int rc;
		if (L->mem_data)
			rc = kg__diag_fill_lines(L->diags, name, NULL, L->mem_data, L->mem_len, 0, NULL, 0);
		else if (L->stdin_text.p && strcmp(name, stdin_name) == 0)
			rc = kg__diag_fill_lines(L->diags, name, NULL, L->stdin_text.p, L->stdin_text.n, 0, NULL, 0);
		else
			continue;
		if (rc)
			return rc;
	}
	return kg_diag_list_read_source_lines(L->diags);
}

static void loader_free(loader *L)
{
	size_t i;

	kg__buf_free(&L->stdin_text);
	reset_aliases(L);
	KG_VEC_FREE(L->log);
	KG_VEC_FREE(L->anchor_of);
	KG_VEC_FREE(L->anchors);
	KG_VEC_FREE(L->frames);
	KG_VEC_FREE(L->replays);
	KG_VEC_FREE(L->pend);
	for (i = 0; i < sizeof L->keysets / sizeof *L->keysets; i++) {
		KG_VEC_FREE(L->keysets[i].ents);
		kg__free(L->keysets[i].slot);
	}
	KG_VEC_FREE(L->seen);
	KG_VEC_FREE(L->chain);
	KG_VEC_FREE(L->chain_names);
}

/* The shared body of kg_load_files and kg_load_string. */
static int load(kg_graph **out, const char *const *paths, size_t npaths, const char *data,
                size_t len, const kg_load_options *opts, kg_diag_list *diags)
{
	kg_load_options defaults = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *own = NULL;
	loader L;
	double t0 = now(), t1;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (opts && !KG__OPTIONS_VERSION_OK(opts->version, KG_LOAD_OPTIONS_VERSION))
		return KG_EARG;
	memset(&L, 0, sizeof L);
	L.opts = opts ? opts : &defaults;
	L.max_errors = L.opts->max_errors ? L.opts->max_errors : KG_MAX_ERRORS;
	if (!diags) {
		own = kg_diag_list_new();
		if (!own)
			return KG_ENOMEM;
		diags = own;
	}
	L.diags = diags;
	L.mem_data = data;
	L.mem_len = len;
	L.g = kg__graph_new();
	if (!L.g) {
		kg_diag_list_free(own);
		return KG_ENOMEM;
	}
	for (i = 0; i < npaths && rc != KG_ENOMEM && !L.stopped; i++)
		rc = load_file(&L, paths[i], data, len, NULL, 0);
	t1 = now();
	if (rc != KG_ENOMEM && !L.stopped) {
		rc = resolve(&L);
		if (rc != KG_ENOMEM && L.nerrors == 0 && kg__graph_index(L.g))
			rc = KG_ENOMEM;
	}
	if (rc != KG_ENOMEM && fill_late_positions(&L))
		rc = KG_ENOMEM;
	if (L.opts->stats) {
		kg_load_stats *s = L.opts->stats;
		double t2 = now();
		s->parse = L.parse_seconds;
		s->build = (t1 - t0) - L.ahead_seconds;
		s->index = t2 - t1;
		s->bytes = L.bytes;
		s->files = L.files;
	}
	if (rc == KG_ENOMEM)
		rc = KG_ENOMEM;
	else if (L.io_failed)
		rc = KG_EIO;
	else if (L.nerrors)
		rc = KG_EINVALID;
	else
		rc = KG_OK;
	if (rc == KG_OK)
		*out = L.g;
	else
		kg_graph_free(L.g);
	loader_free(&L);
	kg_diag_list_free(own);
	return rc;
}

int kg_load_files(kg_graph **out, const char *const *paths, size_t npaths,
                  const kg_load_options *opts, kg_diag_list *diags)
{
	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!paths && npaths)
		return KG_EARG;
	return load(out, paths, npaths, NULL, 0, opts, diags);
}

int kg_load_string(kg_graph **out, const char *name, const char *data, size_t len,
                   const kg_load_options *opts, kg_diag_list *diags)
{
	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!name || (!data && len))
		return KG_EARG;
	return load(out, &name, 1, data ? data : "", len, opts, diags);
}
