/*
 * options.h - the kgraph command's option tables: every command declares
 * its options once, here described, and the same table drives parsing,
 * --help, the man page and the shell completions (generate.c), so that
 * none of them can drift from the others.
 */
#ifndef KG_CLI_OPTIONS_H
#define KG_CLI_OPTIONS_H

#include "cli.h"
#include "output.h"

#include <stdbool.h>

/* What an option's value is: how it is checked, and what a shell
 * completion offers for it. */
typedef enum kg_cli_kind {
	KG_CLI_FLAG = 0, /* no value */
	KG_CLI_STRING,   /* any text (an attribute name, ID=FILE) */
	KG_CLI_NAMES,    /* NAME[,NAME...] (types, entities) */
	KG_CLI_DATE,     /* YYYY, YYYY-MM or YYYY-MM-DD */
	KG_CLI_NUMBER,   /* a whole number from min to max */
	KG_CLI_CHOICE,   /* one of values */
	KG_CLI_FILE,     /* a file name ('-' for standard output) */
	KG_CLI_PAIR      /* two values: --path FROM TO */
} kg_cli_kind;

/* Every option of every command, for the commands' switches. */
typedef enum kg_cli_key {
	KG_OPT_HELP = 1,
	KG_OPT_VERSION,
	/* every command that reads graph files */
	KG_OPT_INCLUDE_PATH,
	KG_OPT_CACHE,
	/* check */
	KG_OPT_QUIET, KG_OPT_TIMING, KG_OPT_QUOTES, KG_OPT_SOURCE,
	/* the query commands (query_opts.c) */
	KG_OPT_FORMAT, KG_OPT_COLOR, KG_OPT_REL, KG_OPT_EXCLUDE_REL, KG_OPT_THROUGH, KG_OPT_AVOID,
	KG_OPT_AS_OF, KG_OPT_TYPE, KG_OPT_RELATIONS, KG_OPT_DEPTH, KG_OPT_DIRECTION,
	/* paths (path_opts.c) */
	KG_OPT_ALL_SHORTEST, KG_OPT_K, KG_OPT_ALL, KG_OPT_MAX_HOPS, KG_OPT_LIMIT, KG_OPT_DIRECTED,
	KG_OPT_WEIGHT, KG_OPT_EXPLAIN, KG_OPT_TIME_RESPECTING, KG_OPT_TIMED_ONLY, KG_OPT_FROM_DATE, KG_OPT_EARLIEST,
	/* drawing (draw_opts.c) */
	KG_OPT_OUTPUT, KG_OPT_T, KG_OPT_FOCUS, KG_OPT_PATH, KG_OPT_PATH_ONLY, KG_OPT_ENGINE,
	KG_OPT_RANKDIR, KG_OPT_THEME, KG_OPT_LABEL, KG_OPT_NO_EDGE_LABELS, KG_OPT_EDGE_DATES,
	KG_OPT_LEGEND, KG_OPT_NO_LEGEND, KG_OPT_NO_TITLE, KG_OPT_CLUSTER_BY, KG_OPT_DPI, KG_OPT_TIMEOUT,
	/* match */
	KG_OPT_CONTEXT,
	/* export */
	KG_OPT_LINKS,
	/* PostgreSQL (db_opts.c) */
	KG_OPT_DB, KG_OPT_GRAPH,
	/* compile */
	KG_OPT_FRESH,
	/* diff */
	KG_OPT_OLD, KG_OPT_NEW, KG_OPT_OLD_LABEL, KG_OPT_NEW_LABEL,
	/* drawing, continued */
	KG_OPT_FIT, KG_OPT_CREDIT, KG_OPT_CAPTION, KG_OPT_TIMELINE, KG_OPT_DIFF, KG_OPT_LAYOUT,
	/* search, stats */
	KG_OPT_ATTRIBUTES, KG_OPT_TOP,
	/* check */
	KG_OPT_UNSOURCED,
	/* import */
	KG_OPT_F, KG_OPT_DEFAULT_TYPE, KG_OPT_DEFAULT_REL_TYPE, KG_OPT_CSV_ID, KG_OPT_CSV_TYPE, KG_OPT_CSV_NAME,
	KG_OPT_CSV_FROM, KG_OPT_CSV_TO, KG_OPT_CSV_REL_TYPE
} kg_cli_key;

typedef struct kg_cli_option {
	kg_cli_key key;
	const char *name;          /* "--max-hops", or NULL */
	char short_name;           /* 'k', or 0 */
	const char *arg;           /* what --help calls the value ("N"); NULL for a flag */
	kg_cli_kind kind;
	const char *const *values; /* KG_CLI_CHOICE: the values, NULL-terminated */
	bool nocase;               /* KG_CLI_CHOICE: in any case */
	unsigned long min, max;    /* KG_CLI_NUMBER */
	const char *cap;           /* the limits.h name of max, when it is one */
	const char *help;          /* lines of --help text, '\n' between them */
} kg_cli_option;

/* Options under a heading of --help ("Options", "Which paths"). */
typedef struct kg_cli_group {
	const char *heading;
	const kg_cli_option *const *options; /* NULL-terminated */
} kg_cli_group;

/* "TERM  text" lines: the commands, exit codes and environment of kgraph --help. */
typedef struct kg_cli_item {
	const char *term, *text;
} kg_cli_item;

/* A command, or kgraph itself (name NULL, with its commands). */
typedef struct kg_cli_command {
	const char *name;
	const char *summary;     /* one line, for the list of commands */
	const char *usage;       /* after "kgraph NAME " */
	const char *description; /* paragraphs, blank lines between them */
	const kg_cli_group *groups; /* ended by a NULL heading */
	const char *notes;       /* a paragraph after the options, or NULL */
	const char *exit_status; /* one sentence, or NULL when exit_codes */
	const kg_cli_item *exit_codes, *environment; /* ended by a NULL term */
	const char *const *examples; /* command lines, NULL-terminated */
	bool operands_are_commands;  /* kgraph help COMMAND */
	const struct kg_cli_command *const *commands; /* kgraph's, NULL-terminated */
	int (*run)(int argc, char **argv);
} kg_cli_command;

/* kgraph itself (main.c), its commands (cmd_<name>.c), and the command
 * named name (NULL when there is none). */
extern const kg_cli_command kg_cli_main, kg_cli_check_command, kg_cli_path_command, kg_cli_neighbors_command,
	kg_cli_show_command, kg_cli_list_command, kg_cli_match_command, kg_cli_render_command, kg_cli_export_command, kg_cli_import_command,
	kg_cli_diff_command, kg_cli_push_command, kg_cli_compile_command, kg_cli_help_command, kg_cli_search_command,
	kg_cli_stats_command;
const kg_cli_command *kg_cli_find_command(const char *name);

/* The options every command has. */
extern const kg_cli_option kg_cli_opt_help;
/* --include-path DIR, for every command that reads graph files. */
extern const kg_cli_option kg_cli_opt_include_path;
extern const kg_cli_option kg_cli_opt_cache;

/* One option or operand from the command line. */
typedef struct kg_cli_arg {
	const kg_cli_option *opt; /* NULL for an operand */
	const char *value;        /* the value (a pair's first), or the operand */
	const char *value2;       /* a pair's second value */
	unsigned long number;     /* KG_CLI_NUMBER: the value */
	int choice;               /* KG_CLI_CHOICE: the index of the value */
} kg_cli_arg;

typedef struct kg_cli_parser {
	const kg_cli_command *cmd;
	int argc, i;
	char **argv;
	bool options_done, stdin_used;
} kg_cli_parser;

/* Read a command's arguments (argv[0] is its name). */
void kg_cli_parser_init(kg_cli_parser *p, const kg_cli_command *cmd, int argc, char **argv);

/* The next option or operand, with its value checked against the table:
 * returns 1 with *a set, 0 after the last, and -1 when the command must
 * end with *code (a usage error, or --help was shown). '-' is an operand,
 * at most once; after '--' everything is. */
int kg_cli_next(kg_cli_parser *p, kg_cli_arg *a, int *code);

/* What a shared option handler returns for an option that is not its own. */
#define KG_CLI_PASS (-1)

/* Report an unknown option arg of cmd, with the closest option's name
 * when one is near; returns EXIT_USAGE. */
int kg_cli_unknown_option(const kg_cli_command *cmd, const char *arg);

/* Report an unknown command, with the closest command; EXIT_USAGE. */
int kg_cli_unknown_command(const char *name);

/* Of the NULL-terminated names, the closest to text within a small edit
 * distance (as for entity names), or NULL. */
const char *kg_cli_closest(const char *text, const char *const *names);

/* ---- generated text ------------------------------------------------ */

/* cmd's --help. */
void kg_cli_put_help(kg_cli_buf *b, const kg_cli_command *cmd);
/* "  -o, --output OUT" or "      --depth N". */
void kg_cli_put_option_name(kg_cli_buf *b, const kg_cli_option *o);
/* "a, b or c". */
void kg_cli_put_values(kg_cli_buf *b, const char *const *values);

/* kgraph --generate WHAT: man, bash, zsh or fish. Returns an exit code. */
int kg_cli_generate(const char *what);

#endif
