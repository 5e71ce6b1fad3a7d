/*
 * cmd_neighbors.c - `kgraph neighbors ENTITY FILE...`: who is near an entity.
 *
 * One kg_query_neighbors call, rendered nearest first: each neighbour
 * with its distance and the step through which it was first reached
 * (parent, relation, direction). Exit 1 when there is none, with nothing
 * on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"
#include "db_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --direction's values, and what each means; JSON names a direction by
 * kg_direction's order. */
static const char *const direction_values[] = {"out", "in", "both", NULL};
static const kg_direction directions[] = {KG_DIRECTION_OUT, KG_DIRECTION_IN, KG_DIRECTION_BOTH};
static const char *const direction_names[] = {"both", "out", "in"};

static const kg_cli_option opt_depth = {.key = KG_OPT_DEPTH, .name = "--depth", .arg = "N", .kind = KG_CLI_NUMBER,
	.min = 1, .max = KG_MAX_NEIGHBOR_DEPTH, .cap = "KG_MAX_NEIGHBOR_DEPTH",
	.help = "at most N relations away (default 1, at most 64)"};
static const kg_cli_option opt_direction = {.key = KG_OPT_DIRECTION, .name = "--direction", .arg = "DIR",
	.kind = KG_CLI_CHOICE, .values = direction_values,
	.help = "out (relations as written, away from ENTITY), in\n(towards it) or both (default)"};
static const kg_cli_option opt_through = {.key = KG_OPT_THROUGH, .name = "--through", .arg = "TYPE,...",
	.kind = KG_CLI_NAMES, .help = "only pass through entities of these types"};
static const kg_cli_option opt_avoid = {.key = KG_OPT_AVOID, .name = "--avoid", .arg = "ENTITY,...",
	.kind = KG_CLI_NAMES, .help = "never pass through these entities"};

static const kg_cli_option *const options[] = {&opt_depth, &opt_direction, &kg_cli_opt_rel, &kg_cli_opt_exclude_rel,
	&opt_through, &opt_avoid, &kg_cli_opt_as_of, &kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache,
	&kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, KG_CLI_DB_GROUP, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph neighbors starmer graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph neighbors --depth 2 --direction in atacms graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph neighbors --rel decided,prepares --format tsv 'joe biden' graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_neighbors_command = {
	.name = "neighbors",
	.summary = "the entities within a few relations of one entity",
	.usage = "[OPTIONS] ENTITY FILE...",
	.description =
		"Show the entities within --depth relations of ENTITY (an id, name or alias,\n"
		"in any case), nearest first. Each line gives the distance and the relation\n"
		"through which the entity was first reached: '\xE2\x80\x94type\xE2\x86\x92' followed as written,\n"
		"'\xE2\x86\x90type\xE2\x80\x94' against it, '\xE2\x80\x94type\xE2\x80\x94' a symmetric type.",
	.groups = groups,
	.exit_status = "0 found some, 1 none, 2 invalid input, 3 usage error,\n4 a file could not be read or the database failed.",
	.examples = examples,
	.run = run};

static void render_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, const kg_neighbors *nb)
{
	size_t i, n = kg_neighbors_count(nb);

	char time[KG_CLI_TIME_LEN];

	for (i = 0; i < n; i++) {
		const kg_neighbor *x = kg_neighbors_get(nb, i);
		kg_cli_printf(b, "%u  ", x->distance);
		kg_cli_puts(b, st->entity);
		kg_cli_put_text(b, kg_entity_name(g, x->parent));
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, " ");
		kg_cli_puts(b, st->rel);
		kg_cli_put_arrow(b, g, x->via, x->forward);
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, " ");
		kg_cli_puts(b, st->entity);
		kg_cli_put_text(b, kg_entity_name(g, x->entity));
		kg_cli_puts(b, st->off);
		/* When the relation held: what --as-of would ask about. */
		if (*kg_cli_relation_time(time, g, x->via))
			kg_cli_printf(b, "  %s(%s)%s", st->dim, time, st->off);
		kg_cli_puts(b, "\n");
	}
}

static void render_tsv(kg_cli_buf *b, const kg_graph *g, const kg_neighbors *nb)
{
	size_t i, n = kg_neighbors_count(nb);

	kg_cli_puts(b, "distance\tentity\ttype\tname\tparent\trelation\tdirection\t" KG_CLI_TSV_EVIDENCE "\n");
	for (i = 0; i < n; i++) {
		const kg_neighbor *x = kg_neighbors_get(nb, i);
		kg_cli_printf(b, "%u\t", x->distance);
		kg_cli_put_clean(b, kg_entity_id(g, x->entity));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_type_name(g, kg_entity_type(g, x->entity)));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_entity_name(g, x->entity));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_entity_id(g, x->parent));
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, kg_relation_type_name(g, kg_relation_type(g, x->via)));
		kg_cli_puts(b, "\t");
		kg_cli_puts(b, kg_cli_direction_name(x->forward));
		kg_cli_tsv_evidence(b, g, x->via);
		kg_cli_puts(b, "\n");
	}
}

static void render_json(kg_cli_buf *b, const kg_graph *g, uint32_t start, const kg_neighbor_options *o,
                        const kg_neighbors *nb)
{
	size_t i, n = kg_neighbors_count(nb);
	kg_cli_json j;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kstring(&j, "entity", kg_entity_id(g, start));
	kg_cli_json_kuint(&j, "depth", o->depth);
	kg_cli_json_kstring(&j, "direction", direction_names[o->direction]);
	kg_cli_json_key(&j, "neighbors");
	kg_cli_json_array(&j);
	for (i = 0; i < n; i++) {
		const kg_neighbor *x = kg_neighbors_get(nb, i);
		kg_cli_json_object(&j);
		kg_cli_json_kstring(&j, "entity", kg_entity_id(g, x->entity));
		kg_cli_json_kstring(&j, "type", kg_type_name(g, kg_entity_type(g, x->entity)));
		kg_cli_json_kstring(&j, "name", kg_entity_name(g, x->entity));
		kg_cli_json_kuint(&j, "distance", x->distance);
		kg_cli_json_key(&j, "via");
		kg_cli_json_step(&j, g, x->via, x->forward, NULL);
		kg_cli_json_end(&j, '}');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_end(&j, '}');
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_neighbor_options opts = KG_NEIGHBOR_OPTIONS_INIT;
	kg_neighbors *nb = NULL;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	kg_cli_parser ps;
	kg_cli_arg a;
	uint32_t start;
	kg_cli_db_args d = {NULL, NULL};
	int r, rc, code = EXIT_OK;

	if (!kg_cli_query_init(&q, "neighbors", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_neighbors_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_DEPTH)
			opts.depth = (unsigned)a.number;
		else if (a.opt && a.opt->key == KG_OPT_DIRECTION)
			opts.direction = directions[a.choice];
		else if ((code = kg_cli_query_take(&q, &a)) == KG_CLI_PASS)
			code = kg_cli_db_take(&d, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	if ((code = kg_cli_db_check(&d, &q, 1, "ENTITY")) != EXIT_OK)
		goto done;
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK)
		goto done;
	code = d.url ? kg_cli_db_neighbors_graph(&g, &d, &q, &opts) : kg_cli_load(&g, q.args + 1, q.nargs - 1, q.include_paths, q.ninclude_paths);
	if (code != EXIT_OK)
		goto done;
	if ((code = kg_cli_resolve_entity(&start, g, q.args[0], NULL)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	opts.filter = q.filter;
	rc = kg_query_neighbors(&nb, g, start, &opts);
	if (rc == KG_ENOMEM) {
		code = kg_cli_out_of_memory();
		goto done;
	} else if (rc != KG_OK) {
		code = kg_cli_usage_error("neighbors: %s", kg_strerror(rc));
		goto done;
	}
	if (kg_neighbors_count(nb) == 0) {
		kg_cli_buf msg = {0};
		kg_cli_printf(&msg, "kgraph: no entity within %u relation%s of ", opts.depth, opts.depth == 1 ? "" : "s");
		kg_cli_put_text(&msg, kg_entity_name(g, start));
		if (!msg.failed)
			fprintf(stderr, "%s\n", msg.p);
		kg_cli_buf_free(&msg);
		code = EXIT_NO_RESULT;
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		render_text(&out, g, &q.style, nb);
	else if (q.format == KG_CLI_TSV)
		render_tsv(&out, g, nb);
	else
		render_json(&out, g, start, &opts, nb);
	code = kg_cli_buf_flush(&out, EXIT_OK);
done:
	kg_cli_buf_free(&out);
	kg_neighbors_free(nb);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
