/*
 * path_opts.h - the path options, shared by `kgraph path` and
 * `kgraph render --path`: which paths to find, and finding them.
 */
#ifndef KG_CLI_PATH_OPTS_H
#define KG_CLI_PATH_OPTS_H

#include "query_opts.h"

typedef struct kg_cli_path_args {
	kg_path_options opts;
	bool has_k, has_limit, has_max_hops;
	int modes; /* how many of --all-shortest, -k, --all */
	size_t handed; /* paths opts.on_path was given (its caller counts them) */
	bool time; /* one of the time options was given */
} kg_cli_path_args;

/* --all-shortest, -k, --all, --max-hops, --limit, --directed, --weight,
 * and the --through and --avoid of a path (the ends excepted). */
extern const kg_cli_option kg_cli_opt_all_shortest, kg_cli_opt_k, kg_cli_opt_all, kg_cli_opt_max_hops,
	kg_cli_opt_limit, kg_cli_opt_directed, kg_cli_opt_weight, kg_cli_opt_path_through, kg_cli_opt_path_avoid;
/* --time-respecting, --timed-only, --from-date, --earliest (docs/time.md). */
extern const kg_cli_option kg_cli_opt_time_respecting, kg_cli_opt_timed_only, kg_cli_opt_from_date,
	kg_cli_opt_earliest;

void kg_cli_path_args_init(kg_cli_path_args *p);
/* Take one of the path options. Returns an exit code, or KG_CLI_PASS
 * for another option. */
int kg_cli_path_take(kg_cli_path_args *p, const kg_cli_query *q, const kg_cli_arg *a);
/* After the arguments: modes that cannot go together. An exit code. */
int kg_cli_path_check(kg_cli_path_args *p, const kg_cli_query *q);
/* Ask for the paths with q's filters. On no path, prints "no path from
 * A to B" and returns EXIT_NO_RESULT; on an invalid weight prints the
 * diagnostics (EXIT_INVALID). *out is set only with EXIT_OK. With
 * p->opts.on_path set, the paths go there (which counts them in
 * p->handed); when it stops the search, *out is NULL and the code
 * EXIT_OK: the output's writer reports why. */
int kg_cli_find_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to, kg_cli_path_args *p,
                      const kg_cli_query *q);

#endif
