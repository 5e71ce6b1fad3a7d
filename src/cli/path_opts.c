/*
 * path_opts.c - the path options of `kgraph path` and `kgraph render
 * --path`, and finding the paths they ask for.
 *
 * Both commands ask the same question (kg_query_paths) with the same
 * options; only what they do with the answer differs, so the question is
 * asked here and neither command calls the other.
 */
#define _POSIX_C_SOURCE 200809L
#include "path_opts.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const kg_cli_option kg_cli_opt_all_shortest = {.key = KG_OPT_ALL_SHORTEST, .name = "--all-shortest",
	.help = "every shortest path"};
const kg_cli_option kg_cli_opt_k = {.key = KG_OPT_K, .short_name = 'k', .arg = "N", .kind = KG_CLI_NUMBER,
	.min = 1, .max = KG_MAX_PATH_K, .cap = "KG_MAX_PATH_K",
	.help = "the N shortest paths (loopless), shortest first"};
const kg_cli_option kg_cli_opt_all = {.key = KG_OPT_ALL, .name = "--all",
	.help = "every path of at most --max-hops relations"};
const kg_cli_option kg_cli_opt_max_hops = {.key = KG_OPT_MAX_HOPS, .name = "--max-hops", .arg = "N",
	.kind = KG_CLI_NUMBER, .min = 1, .max = KG_MAX_PATH_HOPS, .cap = "KG_MAX_PATH_HOPS",
	.help = "paths of at most N relations (1 to 64; required\nwith --all)"};
const kg_cli_option kg_cli_opt_limit = {.key = KG_OPT_LIMIT, .name = "--limit", .arg = "M", .kind = KG_CLI_NUMBER,
	.min = 1, .max = KG_MAX_PATH_LIMIT, .cap = "KG_MAX_PATH_LIMIT",
	.help = "print at most M paths (default 1000)"};
const kg_cli_option kg_cli_opt_directed = {.key = KG_OPT_DIRECTED, .name = "--directed",
	.help = "follow relations only as written (symmetric\ntypes both ways)"};
const kg_cli_option kg_cli_opt_weight = {.key = KG_OPT_WEIGHT, .name = "--weight", .arg = "ATTR",
	.kind = KG_CLI_STRING,
	.help = "the lightest paths, each relation weighing its\nATTR attribute ('weight' for weight:; 1 without)"};
const kg_cli_option kg_cli_opt_path_through = {.key = KG_OPT_THROUGH, .name = "--through", .arg = "TYPE,...",
	.kind = KG_CLI_NAMES, .help = "entities inside a path must be of these types"};
const kg_cli_option kg_cli_opt_path_avoid = {.key = KG_OPT_AVOID, .name = "--avoid", .arg = "ENTITY,...",
	.kind = KG_CLI_NAMES, .help = "never pass through these entities (the ends excepted)"};

const kg_cli_option kg_cli_opt_time_respecting = {.key = KG_OPT_TIME_RESPECTING, .name = "--time-respecting",
	.help = "only paths whose steps happen in time order (each\nno earlier than the one before); undated\nrelations fit anywhere"};
const kg_cli_option kg_cli_opt_timed_only = {.key = KG_OPT_TIMED_ONLY, .name = "--timed-only",
	.help = "leave out relations without date, since or until\n(implies --time-respecting)"};
const kg_cli_option kg_cli_opt_from_date = {.key = KG_OPT_FROM_DATE, .name = "--from-date", .arg = "DATE",
	.kind = KG_CLI_DATE, .help = "the first step happens no earlier than DATE\n(implies --time-respecting)"};
const kg_cli_option kg_cli_opt_earliest = {.key = KG_OPT_EARLIEST, .name = "--earliest",
	.help = "the path that reaches TO on the earliest day\n(implies --time-respecting)"};

void kg_cli_path_args_init(kg_cli_path_args *p)
{
	kg_path_options init = KG_PATH_OPTIONS_INIT;

	memset(p, 0, sizeof *p);
	p->opts = init;
}

int kg_cli_path_take(kg_cli_path_args *p, const kg_cli_query *q, const kg_cli_arg *a)
{
	if (!a->opt)
		return KG_CLI_PASS;
	switch (a->opt->key) {
	case KG_OPT_DIRECTED:
		p->opts.filter.directed = true;
		break;
	case KG_OPT_ALL_SHORTEST:
		p->opts.mode = KG_PATHS_ALL_SHORTEST;
		p->modes++;
		break;
	case KG_OPT_ALL:
		p->opts.mode = KG_PATHS_ALL;
		p->modes++;
		break;
	case KG_OPT_K:
		p->opts.mode = KG_PATHS_K_SHORTEST;
		p->opts.k = a->number;
		p->has_k = true;
		p->modes++;
		break;
	case KG_OPT_MAX_HOPS:
		p->opts.max_hops = (unsigned)a->number;
		p->has_max_hops = true;
		break;
	case KG_OPT_LIMIT:
		p->opts.limit = a->number;
		p->has_limit = true;
		break;
	case KG_OPT_TIME_RESPECTING:
		p->opts.time_respecting = p->time = true;
		break;
	case KG_OPT_TIMED_ONLY:
		p->opts.timed_only = p->time = true;
		break;
	case KG_OPT_FROM_DATE:
		p->time = true;
		return kg_cli_parse_date(&p->opts.from_date, "--from-date", a->value);
	case KG_OPT_EARLIEST:
		p->opts.earliest = p->time = true;
		break;
	case KG_OPT_WEIGHT:
		if (!*a->value)
			return kg_cli_usage_error("%s: --weight takes an attribute name, e.g. --weight weight", q->cmd);
		p->opts.weight = a->value;
		break;
	default:
		return KG_CLI_PASS;
	}
	return EXIT_OK;
}

int kg_cli_path_check(kg_cli_path_args *p, const kg_cli_query *q)
{
	if (p->modes > 1)
		return kg_cli_usage_error("%s: choose one of --all-shortest, -k and --all", q->cmd);
	if (p->opts.mode == KG_PATHS_ALL && !p->has_max_hops)
		return kg_cli_usage_error("%s: --all needs --max-hops N (at most %d), to bound the search", q->cmd,
		                          KG_MAX_PATH_HOPS);
	if (p->opts.mode == KG_PATHS_ALL && p->opts.weight)
		return kg_cli_usage_error("%s: --weight finds the lightest paths; it cannot be used with --all", q->cmd);
	if (p->time && p->opts.weight)
		return kg_cli_usage_error("%s: --weight cannot be used with the time options (--time-respecting, "
		                          "--timed-only, --from-date, --earliest)", q->cmd);
	if (p->opts.earliest && (p->modes || p->has_max_hops))
		return kg_cli_usage_error("%s: --earliest finds one path; it cannot be used with --all-shortest, -k, "
		                          "--all or --max-hops", q->cmd);
	/* -k N asks for N paths: let it have them unless --limit says otherwise. */
	if (p->has_k && !p->has_limit && p->opts.k > KG_DEFAULT_PATH_LIMIT)
		p->opts.limit = p->opts.k;
	return EXIT_OK;
}

/* Does any relation have the weight attribute? Without one, every step
 * weighs 1 and --weight quietly answers the shortest path instead: a
 * typo, or an attribute only entities have. */
static bool any_relation_has(const kg_graph *g, const char *attr)
{
	size_t r, i, n = kg_graph_relation_count(g);
	double w;

	for (r = 0; r < n; r++) {
		if (strcmp(attr, "weight") == 0) {
			if (kg_relation_weight(g, (uint32_t)r, &w))
				return true;
			continue;
		}
		for (i = 0; i < kg_relation_attr_count(g, (uint32_t)r); i++)
			if (strcmp(kg_relation_attr(g, (uint32_t)r, i).key, attr) == 0)
				return true;
	}
	return false;
}

static bool any_entity_has(const kg_graph *g, const char *attr)
{
	size_t e, i, n = kg_graph_entity_count(g);

	for (e = 0; e < n; e++)
		for (i = 0; i < kg_entity_attr_count(g, (uint32_t)e); i++)
			if (strcmp(kg_entity_attr(g, (uint32_t)e, i).key, attr) == 0)
				return true;
	return false;
}

int kg_cli_find_paths(kg_paths **out, const kg_graph *g, uint32_t from, uint32_t to, kg_cli_path_args *p,
                      const kg_cli_query *q)
{
	kg_diag_list *diags = kg_diag_list_new();
	bool directed = p->opts.filter.directed;
	int rc, code = EXIT_OK;

	*out = NULL;
	if (!diags)
		return kg_cli_out_of_memory();
	p->opts.filter = q->filter;
	p->opts.filter.directed = directed;
	/* A path starts and ends where it was asked to: --avoid applies to
	 * the entities in between. Say so rather than ignore it silently. */
	for (size_t i = 0; i < q->filter.navoid; i++)
		if (q->filter.avoid[i] == from || q->filter.avoid[i] == to) {
			kg_cli_buf msg = {0};
			kg_cli_puts(&msg, "kgraph: warning: --avoid names ");
			kg_cli_put_text(&msg, kg_entity_name(g, q->filter.avoid[i]));
			kg_cli_puts(&msg, ", an end of the path; only the entities in between are avoided");
			if (!msg.failed)
				fprintf(stderr, "%s\n", msg.p);
			kg_cli_buf_free(&msg);
		}
	if (p->opts.weight && kg_graph_relation_count(g) && !any_relation_has(g, p->opts.weight)) {
		kg_cli_buf msg = {0};
		kg_cli_puts(&msg, "kgraph: warning: --weight ");
		kg_cli_put_text(&msg, p->opts.weight);
		kg_cli_puts(&msg, ": no relation has this attribute, so every step weighs 1 (the shortest path)");
		if (any_entity_has(g, p->opts.weight))
			kg_cli_puts(&msg, "\nhint: only entities have it; --weight reads relations' attributes");
		if (!msg.failed)
			fprintf(stderr, "%s\n", msg.p);
		kg_cli_buf_free(&msg);
	}
	rc = kg_query_paths(out, g, from, to, &p->opts, diags);
	if (rc > 0) {
		/* on_path stopped the search (its output could not be written). */
	} else if (rc == KG_EINVALID) {
		kg_diag_list_read_source_lines(diags);
		kg_cli_print_diags(stderr, diags, false);
		code = EXIT_INVALID;
	} else if (rc == KG_ENOMEM) {
		code = kg_cli_out_of_memory();
	} else if (rc != KG_OK) {
		code = kg_cli_usage_error("%s: %s", q->cmd, kg_strerror(rc));
	} else if (kg_paths_count(*out) + p->handed == 0) {
		kg_cli_buf msg = {0};
		kg_cli_puts(&msg, "kgraph: no path from ");
		kg_cli_put_text(&msg, kg_entity_name(g, from));
		kg_cli_puts(&msg, " to ");
		kg_cli_put_text(&msg, kg_entity_name(g, to));
		if (!msg.failed)
			fprintf(stderr, "%s\n", msg.p);
		kg_cli_buf_free(&msg);
		code = EXIT_NO_RESULT;
	}
	kg_diag_list_free(diags);
	if (code != EXIT_OK) {
		kg_paths_free(*out);
		*out = NULL;
	}
	return code;
}
