/*
 * query_opts.h - what the query commands (path, neighbors, show, list)
 * share: their common options (--format, --color, the filters), their
 * operands, and turning names typed by a person into graph indexes, with
 * "did you mean" when a name is unknown.
 */
#ifndef KG_CLI_QUERY_OPTS_H
#define KG_CLI_QUERY_OPTS_H

#include "cli.h"
#include "output.h"

typedef enum kg_cli_format {
	KG_CLI_TEXT = 0,
	KG_CLI_TSV = 1,
	KG_CLI_JSON = 2
} kg_cli_format;

/* The options a command takes besides --format, --color and --help. */
enum {
	KG_CLI_OPT_FILTERS = 1, /* --rel --exclude-rel --through --avoid --as-of */
	KG_CLI_OPT_LIST = 2     /* --type --rel --exclude-rel --as-of --relations */
};

/* Names from options that take NAME[,NAME...], in the order given. */
typedef struct kg_cli_names {
	const char **v;
	size_t n, cap;
	const char *option; /* the option they came from, for messages */
} kg_cli_names;

typedef struct kg_cli_query {
	const char *cmd;  /* "path", ... */
	const char *help; /* the command's --help text */
	unsigned takes;   /* KG_CLI_OPT_* */
	kg_cli_format format;
	const char *color;
	kg_cli_style style;
	/* Operands (entity names, then files), in order. */
	const char **args;
	size_t nargs;
	bool stdin_used;
	bool relations; /* list --relations */
	kg_cli_names rel, exclude_rel, through, avoid, types;
	kg_date as_of;
	const char *as_of_text;
	/* Filled by kg_cli_query_resolve. */
	kg_filter filter;
	uint32_t *type_ids;
	size_t ntype_ids;
	char **owned; /* copies of comma lists, freed at the end */
	size_t nowned;
} kg_cli_query;

/* Start parsing: argc bounds the number of operands. Returns false when
 * out of memory. */
bool kg_cli_query_init(kg_cli_query *q, const char *cmd, const char *help, unsigned takes, int argc);
void kg_cli_query_free(kg_cli_query *q);

/* Handle argv[*i] if it is an operand or a shared option. Returns 1 when
 * handled, 0 when the command must look at it, and -1 when the command
 * must end with *code (an error, or --help was shown). */
int kg_cli_query_arg(kg_cli_query *q, int argc, char **argv, int *i, bool *options_done, int *code);

/* A command's own options, tried after the shared ones: same protocol
 * as kg_cli_query_arg, with the command's state in ctx. */
typedef int (*kg_cli_arg_fn)(void *ctx, kg_cli_query *q, int argc, char **argv, int *i, int *code);

/* Read all of argv: shared options and operands, then f1's and f2's
 * options (either may be NULL); anything else is a usage error. Returns
 * 0, or -1 when the command must end with *code (an error, or --help). */
int kg_cli_query_parse(kg_cli_query *q, int argc, char **argv, kg_cli_arg_fn f1, void *c1, kg_cli_arg_fn f2,
                       void *c2, int *code);

/* After the arguments: check the --format and --color values. Returns an
 * exit code. */
int kg_cli_query_finish_args(kg_cli_query *q);

/* Parse a number option's value: a whole number from min to max, where
 * max is the bound named cap (a limits.h name), or NULL when the bound is
 * not one. Returns EXIT_OK or a usage error. */
int kg_cli_parse_count(unsigned long *out, const kg_cli_query *q, const char *option, const char *text,
                       unsigned long min, unsigned long max, const char *cap);

/* Turn the type, relation type and --avoid names into q->filter and
 * q->type_ids. Returns an exit code (EXIT_INVALID after the message). */
int kg_cli_query_resolve(kg_cli_query *q, const kg_graph *g);

/* Find the entity text names (id, name or alias, any case). option is
 * the option it came from, or NULL for an operand. Returns an exit code. */
int kg_cli_resolve_entity(uint32_t *out, const kg_graph *g, const char *text, const char *option);

/* ---- path options, shared by path and render --path ------------------ */

typedef struct kg_cli_path_args {
	kg_path_options opts;
	bool explain, has_k, has_limit, has_max_hops;
	int modes; /* how many of --all-shortest, -k, --all */
} kg_cli_path_args;

void kg_cli_path_args_init(kg_cli_path_args *p);
/* The path options (--all-shortest, -k, --all, --max-hops, --limit,
 * --directed, --weight, --explain). Same protocol as kg_cli_query_arg. */
int kg_cli_path_arg(void *p, kg_cli_query *q, int argc, char **argv, int *i, int *code);
/* After the arguments: modes that cannot go together. An exit code. */
int kg_cli_path_check(kg_cli_path_args *p, const kg_cli_query *q);
/* Ask for the paths with q's filters. On no path, prints "no path from
 * A to B" and returns EXIT_NO_RESULT; on an invalid weight prints the
 * diagnostics (EXIT_INVALID). *out is set only with EXIT_OK. */
int kg_cli_find_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to, kg_cli_path_args *p,
                      const kg_cli_query *q);

/* ---- rendering shared by the commands ------------------------------ */

/* "—type→" for a relation followed as written, "←type—" against it,
 * "—type—" for a symmetric type (no colour, no spaces around). */
void kg_cli_put_arrow(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward);

/* "forward" or "backward". */
const char *kg_cli_direction_name(bool forward);

/* One relation as a step, from and to as traversed: an object with from,
 * relation, to, direction, symmetric, date, source, quote, file, line
 * (docs/json.md). */
void kg_cli_json_step(kg_cli_json *j, const kg_graph *g, uint32_t rel, bool forward);

/* A relation's evidence as JSON members: date, source, quote, file, line. */
void kg_cli_json_evidence(kg_cli_json *j, const kg_graph *g, uint32_t rel);

/* A TSV row's date and source cells: "\tDATE\tSOURCE" (each may be empty). */
void kg_cli_tsv_date_source(kg_cli_buf *b, const kg_graph *g, uint32_t rel);

#endif
