/*
 * query_opts.h - what the query commands (path, neighbors, show, list)
 * share: their common options (--format, --color, the filters), their
 * operands, and turning names typed by a person into graph indexes, with
 * "did you mean" when a name is unknown.
 */
#ifndef KG_CLI_QUERY_OPTS_H
#define KG_CLI_QUERY_OPTS_H

#include "cli.h"
#include "options.h"
#include "output.h"

typedef enum kg_cli_format {
	KG_CLI_TEXT = 0,
	KG_CLI_TSV = 1,
	KG_CLI_JSON = 2
} kg_cli_format;

/* Names from options that take NAME[,NAME...], in the order given. */
typedef struct kg_cli_names {
	const char **v;
	size_t n, cap;
	const char *option; /* the option they came from, for messages */
} kg_cli_names;

typedef struct kg_cli_query {
	const char *cmd; /* "path", ... */
	kg_cli_format format;
	const char *color;
	kg_cli_style style;
	/* Operands (entity names, then files), in order. */
	const char **args;
	size_t nargs;
	const char **include_paths; /* --include-path */
	size_t ninclude_paths;
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

/* The options these commands share, declared once for all their tables
 * (a command whose help says more declares its own, with the same key). */
extern const kg_cli_option kg_cli_opt_format, kg_cli_opt_color, kg_cli_opt_rel, kg_cli_opt_exclude_rel,
	kg_cli_opt_as_of, kg_cli_opt_type;
/* The values of --format, in kg_cli_format's order. */
extern const char *const kg_cli_format_names[];

/* Start parsing: argc bounds the number of operands. Returns false when
 * out of memory. */
bool kg_cli_query_init(kg_cli_query *q, const char *cmd, int argc);
void kg_cli_query_free(kg_cli_query *q);

/* Take an operand, or one of the options above (--format, --color, the
 * filters, --type, --relations). Returns an exit code, or KG_CLI_PASS
 * for another option. */
int kg_cli_query_take(kg_cli_query *q, const kg_cli_arg *a);
/* Read a DATE option's value into *out; a bad one is reported the way the
 * loader reports a bad date (the problem, then what is wrong with a date
 * of the right shape) and gives EXIT_INVALID. */
int kg_cli_parse_date(kg_date *out, const char *option, const char *text);

/* A usage error (with the command's usage) when one of the first nnames
 * operands is a file and one of the operands after them, where the files
 * belong, is not: `kgraph path graph.yaml bush gorbachev`. Returns an
 * exit code. */
int kg_cli_check_files_last(const kg_cli_query *q, size_t nnames);

/* After the arguments: settle the colours. Returns an exit code. */
int kg_cli_query_finish_args(kg_cli_query *q);

/* Turn the type, relation type and --avoid names into q->filter and
 * q->type_ids. Returns an exit code (EXIT_INVALID after the message). */
int kg_cli_query_resolve(kg_cli_query *q, const kg_graph *g);

/* Find the entity text names (id, name or alias, any case). option is
 * the option it came from, or NULL for an operand. Returns an exit code. */
int kg_cli_resolve_entity(uint32_t *out, const kg_graph *g, const char *text, const char *option);

/* ---- rendering shared by the commands ------------------------------ */

/* "—label→" for a relation followed as written, "←label—" against it,
 * "—label—" for a symmetric type (no colour, no spaces around): text
 * output is read by people, so it shows the relation type's label:; its
 * id stays in TSV and JSON. */
void kg_cli_put_arrow(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward);

/* The same arrow around the relation type's id, for text where the type
 * identifies a relation (diff's keys). */
void kg_cli_put_arrow_id(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward);

/* "forward" or "backward". */
const char *kg_cli_direction_name(bool forward);

/* One relation as a step, from and to as traversed: an object with from,
 * relation, to, direction, symmetric, date, since, until, source, quote,
 * file, line (docs/json.md), and with a weight attribute (path --weight)
 * the step's weight after symmetric. */
void kg_cli_json_step(kg_cli_json *j, const kg_graph *g, uint32_t rel, bool forward, const char *weight);

/* A relation's evidence as JSON members: date, since, until, source,
 * quote, file, line. */
void kg_cli_json_evidence(kg_cli_json *j, const kg_graph *g, uint32_t rel);

/* Where something is written, as JSON members: file, and line or null. */
void kg_cli_json_location(kg_cli_json *j, kg_location at);

/* A TSV row's time and source cells: "\tDATE\tSINCE\tUNTIL\tSOURCE" (each
 * may be empty); the header's names for them are KG_CLI_TSV_EVIDENCE. */
#define KG_CLI_TSV_EVIDENCE "date\tsince\tuntil\tsource"
void kg_cli_tsv_evidence(kg_cli_buf *b, const kg_graph *g, uint32_t rel);

/* A relation's time in a few words, for a text table: its date, "since
 * S", "until U" or "since S until U" (a date first when it has both);
 * "" when timeless. Returns buf. */
#define KG_CLI_TIME_LEN 48
const char *kg_cli_relation_time(char buf[KG_CLI_TIME_LEN], const kg_graph *g, uint32_t rel);

#endif
