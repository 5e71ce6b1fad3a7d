/*
 * db_opts.h - the options --db URL --graph NAME, with which the query
 * commands and render ask a graph stored in PostgreSQL instead of files, and
 * fetching the part of the stored graph that a question reads
 * (db_opts.c). `kgraph push` (cmd_push.c) takes the same two options.
 */
#ifndef KG_CLI_DB_OPTS_H
#define KG_CLI_DB_OPTS_H

#include "query_opts.h"

typedef struct kg_cli_db_args {
	const char *url;   /* --db, or NULL: files */
	const char *graph; /* --graph */
} kg_cli_db_args;

/* --db URL and --graph NAME, declared once for every table, and their
 * group for a command's --help. */
extern const kg_cli_option kg_cli_opt_db, kg_cli_opt_graph;
extern const kg_cli_option *const kg_cli_db_options[];
#define KG_CLI_DB_GROUP {"From a database (kgraph push), instead of FILE...", kg_cli_db_options}

/* Take --db or --graph. Returns EXIT_OK, or KG_CLI_PASS for another
 * option or an operand. */
int kg_cli_db_take(kg_cli_db_args *d, const kg_cli_arg *a);

/* Read a command line whose options are the query options and --db and
 * --graph only (list, show): q must have been initialised. True to go on;
 * false when the command must end with *code (a usage error, or --help
 * was shown). */
bool kg_cli_parse_query_db(int *code, kg_cli_query *q, kg_cli_db_args *d, const kg_cli_command *cmd, int argc,
                           char **argv);

/* After the arguments: both or neither, and with --db exactly nnames
 * operands (no FILE); without, at least nnames + 1. usage is what the
 * command needs, for the message. An exit code. */
int kg_cli_db_check(const kg_cli_db_args *d, const kg_cli_query *q, size_t nnames, const char *usage);

/* Print the diagnostics and turn a library code into an exit code. */
int kg_cli_db_exit(int rc, kg_diag_list *diags);

/* Open a connection, with *diags a new list for its messages. */
int kg_cli_db_open(kg_db **db, const char *url, kg_diag_list **diags);

/* The part of the stored graph that the paths between q->args[0] and
 * q->args[1] (or the neighbourhood of q->args[0]) read, with q's filters,
 * into *out: the command then resolves and asks as on files. Prints what
 * went wrong; returns an exit code. */
int kg_cli_db_path_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_path_options *opts);
int kg_cli_db_neighbors_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q,
                              const kg_neighbor_options *opts);
/* The same for show (q->args[0] and its relations) and list (q's
 * --type, or with --relations q's relation filters). */
int kg_cli_db_show_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q);
int kg_cli_db_search_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_search_options *opts);
int kg_cli_db_list_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q);
/* What render draws (kg_db_fetch_drawing): the neighbourhoods of the
 * entities focus[0..nfocus) names (single names, not comma lists) with
 * around's depth and direction (around NULL: the entities alone, for
 * --path-only, which draws no focus), and the paths between ends[0] and
 * ends[1] (NULL: none) with paths' options; q's filters for both. */
int kg_cli_db_render_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const char *const *focus,
                           size_t nfocus, const kg_neighbor_options *around, const char *const *ends,
                           const kg_path_options *paths);

#endif
