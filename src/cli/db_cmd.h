/*
 * db_cmd.h - the --db side of the commands: `kgraph push`, and the
 * options --db URL --graph NAME with which path and neighbors ask a graph
 * stored in PostgreSQL instead of files (db_cmd.c).
 */
#ifndef KG_CLI_DB_CMD_H
#define KG_CLI_DB_CMD_H

#include "query_opts.h"

typedef struct kg_cli_db_args {
	const char *url;   /* --db, or NULL: files */
	const char *graph; /* --graph */
} kg_cli_db_args;

/* --db URL and --graph NAME: 1 when argv[*i] was one, 0 if not, -1 when
 * the command must end with *code. */
int kg_cli_db_arg(kg_cli_db_args *d, int argc, char **argv, int *i, const char *cmd, int *code);

/* After the arguments: both or neither. An exit code. */
int kg_cli_db_check(const kg_cli_db_args *d, const char *cmd);

/* The part of the stored graph that a shortest path between q->args[0]
 * and q->args[1] (or the neighbourhood of q->args[0]) reads, with q's
 * filters, into *out: the command then resolves and asks as on files.
 * Prints what went wrong; returns an exit code. */
int kg_cli_db_path_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q, const kg_path_options *opts);
int kg_cli_db_neighbors_graph(kg_graph **out, const kg_cli_db_args *d, kg_cli_query *q,
                              const kg_neighbor_options *opts);

int kg_cli_cmd_push(int argc, char **argv);
extern const char kg_cli_push_help[];

#endif
