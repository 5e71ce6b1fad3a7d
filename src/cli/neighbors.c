/*
 * neighbors.c - `kgraph neighbors ENTITY FILE...`: who is near an entity.
 *
 * One kg_query_neighbors call, rendered nearest first: each neighbour
 * with its distance and the step through which it was first reached
 * (parent, relation, direction). Exit 1 when there is none, with nothing
 * on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"
#include "db_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char kg_cli_neighbors_help[] =
	"Usage: kgraph neighbors [OPTIONS] ENTITY FILE...\n"
	"\n"
	"Show the entities within --depth relations of ENTITY (an id, name or alias,\n"
	"in any case), nearest first. Each line gives the distance and the relation\n"
	"through which the entity was first reached: '\xE2\x80\x94type\xE2\x86\x92' followed as written,\n"
	"'\xE2\x86\x90type\xE2\x80\x94' against it, '\xE2\x80\x94type\xE2\x80\x94' a symmetric type.\n"
	"\n"
	"Options:\n"
	"      --depth N          at most N relations away (default 1, at most 64)\n"
	"      --direction DIR    out (relations as written, away from ENTITY), in\n"
	"                         (towards it) or both (default)\n"
	"      --rel TYPE,...     only relations of these types\n"
	"      --exclude-rel TYPE,...  no relations of these types\n"
	"      --through TYPE,... only pass through entities of these types\n"
	"      --avoid ENTITY,... never pass through these entities\n"
	"      --as-of DATE       only relations valid on DATE (since/until)\n"
	"      --db URL --graph NAME  ask graph NAME stored in PostgreSQL (kgraph push)\n"
	"                         instead of FILE...\n"
	"      --format FORMAT    text (default), tsv or json\n"
	"      --color WHEN       auto (default), always or never\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 found some, 1 none, 2 invalid input, 3 usage error,\n"
	"4 a file could not be read or the database failed.\n"
	"\n"
	"Examples:\n"
	"  kgraph neighbors starmer graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph neighbors --depth 2 --direction in atacms graphs/ukraine-long-range-strikes-2024.yaml\n"
	"  kgraph neighbors --rel decided,prepares --format tsv 'joe biden' graphs/ukraine-long-range-strikes-2024.yaml\n";

static const char *direction_names[] = {"both", "out", "in"};

static void render_text(kg_cli_buf *b, const kg_graph *g, const kg_cli_style *st, const kg_neighbors *nb)
{
	size_t i, n = kg_neighbors_count(nb);

	for (i = 0; i < n; i++) {
		const kg_neighbor *x = kg_neighbors_get(nb, i);
		kg_cli_printf(b, "%u  ", x->distance);
		kg_cli_puts(b, st->entity);
		kg_cli_put_clean(b, kg_entity_name(g, x->parent));
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, " ");
		kg_cli_puts(b, st->rel);
		kg_cli_put_arrow(b, g, x->via, x->forward);
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, " ");
		kg_cli_puts(b, st->entity);
		kg_cli_put_clean(b, kg_entity_name(g, x->entity));
		kg_cli_puts(b, st->off);
		kg_cli_puts(b, "\n");
	}
}

static void render_tsv(kg_cli_buf *b, const kg_graph *g, const kg_neighbors *nb)
{
	size_t i, n = kg_neighbors_count(nb);

	kg_cli_puts(b, "distance\tentity\ttype\tname\tparent\trelation\tdirection\tdate\tsource\n");
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
		kg_cli_tsv_date_source(b, g, x->via);
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
		kg_cli_json_step(&j, g, x->via, x->forward);
		kg_cli_json_end(&j, '}');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_end(&j, '}');
}

int kg_cli_cmd_neighbors(int argc, char **argv)
{
	kg_cli_query q;
	kg_neighbor_options opts = KG_NEIGHBOR_OPTIONS_INIT;
	kg_neighbors *nb = NULL;
	kg_graph *g = NULL;
	kg_cli_buf out = {.stream = stdout};
	uint32_t start;
	kg_cli_db_args d = {NULL, NULL};
	bool options_done = false;
	int i, rc, code = EXIT_OK;

	if (!kg_cli_query_init(&q, "neighbors", kg_cli_neighbors_help, KG_CLI_OPT_FILTERS, argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	for (i = 1; i < argc; i++) {
		const char *v = NULL;
		int m, r = kg_cli_query_arg(&q, argc, argv, &i, &options_done, &code);
		if (r < 0)
			goto done;
		if (r > 0)
			continue;
		if ((m = kg_cli_db_arg(&d, argc, argv, &i, "neighbors", &code)) != 0) {
			if (m < 0)
				goto done;
		} else if ((m = kg_cli_long_opt(argc, argv, &i, "--depth", &v)) > 0) {
			unsigned long n;
			if ((code = kg_cli_parse_count(&n, &q, "--depth", v, 1, KG_MAX_NEIGHBOR_DEPTH,
			                               "KG_MAX_NEIGHBOR_DEPTH")) != EXIT_OK)
				goto done;
			opts.depth = (unsigned)n;
		} else if (m == 0 && (m = kg_cli_long_opt(argc, argv, &i, "--direction", &v)) > 0) {
			if (strcmp(v, "both") == 0)
				opts.direction = KG_DIRECTION_BOTH;
			else if (strcmp(v, "out") == 0)
				opts.direction = KG_DIRECTION_OUT;
			else if (strcmp(v, "in") == 0)
				opts.direction = KG_DIRECTION_IN;
			else {
				code = kg_cli_usage_error("neighbors: --direction takes out, in or both, not '%s'", v);
				goto done;
			}
		} else if (m < 0) {
			code = kg_cli_usage_error("neighbors: %s needs a value (see 'kgraph neighbors --help')", argv[i]);
			goto done;
		} else {
			code = kg_cli_usage_error("neighbors: unknown option '%s' (see 'kgraph neighbors --help')", argv[i]);
			goto done;
		}
	}
	if ((code = kg_cli_db_check(&d, "neighbors")) != EXIT_OK)
		goto done;
	if (d.url && q.nargs != 1) {
		code = kg_cli_usage_error("neighbors: with --db, give ENTITY and no FILE");
		goto done;
	}
	if (!d.url && q.nargs < 2) {
		code = kg_cli_usage_error("neighbors: needs ENTITY and at least one FILE (see 'kgraph neighbors --help')");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK)
		goto done;
	code = d.url ? kg_cli_db_neighbors_graph(&g, &d, &q, &opts) : kg_cli_load(&g, q.args + 1, q.nargs - 1);
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
		kg_cli_put_clean(&msg, kg_entity_name(g, start));
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
