/*
 * cmd_stats.c - `kgraph stats FILE...`: what the network as a whole looks
 * like (kg_query_stats measures; this file prints). The text form is a
 * report in sections; TSV is one measure a row (measure, key, value), so
 * that a spreadsheet or `grep` can pick out one; JSON one object.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_top = {.key = KG_OPT_TOP, .name = "--top", .arg = "N", .kind = KG_CLI_NUMBER,
	.min = 1, .max = KG_MAX_STATS_TOP, .cap = "KG_MAX_STATS_TOP",
	.help = "list the N entities of highest degree and\nbetweenness (default 10)"};

static const kg_cli_option *const options[] = {&kg_cli_opt_type, &kg_cli_opt_rel, &kg_cli_opt_exclude_rel,
	&kg_cli_opt_as_of, &opt_top, &kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_include_path, &kg_cli_opt_cache,
	&kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"Options", options}, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph stats graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph stats --type person --top 5 graphs/ukraine-long-range-strikes-2024.yaml",
	"kgraph stats --format tsv graphs/ukraine-long-range-strikes-2024.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_stats_command = {
	.name = "stats",
	.summary = "measures of the network: components, degrees, betweenness",
	.usage = "[OPTIONS] FILE...",
	.description =
		"Measure the network: entities and relations by type, connected\n"
		"components, isolated entities, the degree distribution, the entities\n"
		"of highest degree and betweenness centrality, and the diameter of the\n"
		"largest component. The graph is taken as NetworkX's nx.Graph holds\n"
		"it: undirected, one edge between two entities however many relations\n"
		"join them. Betweenness is exact (Brandes) on graphs up to a size,\n"
		"estimated from sampled sources with a fixed seed above it; the\n"
		"diameter is exact or bounded. The output says which.",
	.groups = groups,
	.exit_status = "0 measured, 1 no entity left after the filters, 2 invalid\ninput, 3 usage error, 4 a file could not be read.",
	.examples = examples,
	.run = run};

/* One "LABEL  VALUE" line of the summary, or a row of a section. */
static void row2(kg_cli_table *t, const char *a, const char *b)
{
	kg_cli_table_row(t, (const char *const[]){a, b});
}

static void put_summary(kg_cli_buf *b, const kg_stats *s, const kg_cli_style *st)
{
	const char *colors[2] = {"", ""};
	char ent[32], rel[32], comp[200], iso[32], diam[120];
	size_t i, len;
	kg_cli_table t;
	int pass;

	snprintf(ent, sizeof ent, "%zu", s->entities);
	snprintf(rel, sizeof rel, "%zu", s->relations);
	len = (size_t)snprintf(comp, sizeof comp, "%zu", s->ncomponents);
	for (i = 0; i < s->ncomponents && i < 8; i++)
		len += (size_t)snprintf(comp + len, sizeof comp - len, "%s%zu", i ? ", " : " (sizes ", s->component_sizes[i]);
	if (s->ncomponents > 8)
		snprintf(comp + len, sizeof comp - len, ", ... %zu more)", s->ncomponents - 8);
	else if (s->ncomponents)
		snprintf(comp + len, sizeof comp - len, ")");
	snprintf(iso, sizeof iso, "%zu", s->isolated);
	if (s->diameter_exact)
		snprintf(diam, sizeof diam, "%zu (exact, of the largest component)", s->diameter_low);
	else
		snprintf(diam, sizeof diam, "between %zu and %zu (estimated by BFS sweeps, of the largest component)",
		         s->diameter_low, s->diameter_high);
	kg_cli_table_init(&t, 2, colors, b, st->off, 0);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_table_pass(&t, pass);
		row2(&t, "entities", ent);
		row2(&t, "relations", rel);
		row2(&t, "components", comp);
		row2(&t, "isolated", iso);
		row2(&t, "diameter", diam);
	}
	kg_cli_table_free(&t);
}

/* A section of "name  count" rows for the types with a count. */
static void put_by_type(kg_cli_buf *b, const char *heading, const kg_graph *g, const size_t *count, size_t ntypes,
                        bool relation_types, const kg_cli_style *st)
{
	const char *colors[2] = {relation_types ? st->rel : "", ""};
	kg_cli_table t;
	char num[32];
	size_t i, shown = 0;
	int pass;

	kg_cli_printf(b, "\n%s\n", heading);
	for (i = 0; i < ntypes; i++)
		shown += count[i] != 0;
	if (!shown)
		kg_cli_puts(b, "  none\n");
	kg_cli_table_init(&t, 2, colors, b, st->off, 2);
	for (pass = 0; pass < 2; pass++)
	for (kg_cli_table_pass(&t, pass), i = 0; i < ntypes; i++) {
		if (!count[i])
			continue;
		snprintf(num, sizeof num, "%zu", count[i]);
		row2(&t, relation_types ? kg_relation_type_name(g, (uint32_t)i) : kg_type_name(g, (uint32_t)i), num);
	}
	kg_cli_table_free(&t);
}

static void put_top(kg_cli_buf *b, const char *heading, const kg_graph *g, const kg_stats_entry *top, size_t n,
                    bool fraction, const kg_cli_style *st)
{
	const char *colors[3] = {st->dim, "", st->entity};
	kg_cli_table t;
	char num[40];
	size_t i;
	int pass;

	kg_cli_printf(b, "\n%s\n", heading);
	kg_cli_table_init(&t, 3, colors, b, st->off, 2);
	for (pass = 0; pass < 2; pass++)
	for (kg_cli_table_pass(&t, pass), i = 0; i < n; i++) {
		if (fraction)
			snprintf(num, sizeof num, "%.4f", top[i].value);
		else
			snprintf(num, sizeof num, "%.0f", top[i].value);
		kg_cli_table_row(&t, (const char *const[]){kg_entity_id(g, top[i].entity), num,
		                                          kg_entity_name(g, top[i].entity)});
	}
	kg_cli_table_free(&t);
}

static void render_text(kg_cli_buf *b, const kg_graph *g, const kg_stats *s, const kg_cli_style *st)
{
	const char *colors[2] = {"", ""};
	char heading[160], d[32], c[32];
	kg_cli_table t;
	size_t i;
	int pass;

	put_summary(b, s, st);
	put_by_type(b, "Entities by type", g, s->entities_by_type, kg_graph_type_count(g), false, st);
	put_by_type(b, "Relations by type", g, s->relations_by_type, kg_graph_relation_type_count(g), true, st);
	kg_cli_puts(b, "\nDegree distribution (distinct neighbours)\n");
	kg_cli_table_init(&t, 2, colors, b, st->off, 2);
	for (pass = 0; pass < 2; pass++) {
		kg_cli_table_pass(&t, pass);
		row2(&t, "degree", "entities");
		for (i = 0; i <= s->max_degree; i++) {
			if (!s->degree_count[i])
				continue;
			snprintf(d, sizeof d, "%zu", i);
			snprintf(c, sizeof c, "%zu", s->degree_count[i]);
			row2(&t, d, c);
		}
	}
	kg_cli_table_free(&t);
	snprintf(heading, sizeof heading, "Top %zu by degree", s->ntop);
	put_top(b, heading, g, s->top_degree, s->ntop, false, st);
	if (s->betweenness_exact)
		snprintf(heading, sizeof heading, "Top %zu by betweenness (exact, normalised)", s->ntop);
	else
		snprintf(heading, sizeof heading,
		         "Top %zu by betweenness (estimated from %zu sampled sources, seed %llu, normalised)", s->ntop,
		         s->betweenness_sources, (unsigned long long)s->seed);
	put_top(b, heading, g, s->top_betweenness, s->ntop, true, st);
}

static void tsv_row(kg_cli_buf *b, const char *measure, const char *key, double value)
{
	kg_cli_puts(b, measure);
	kg_cli_puts(b, "\t");
	kg_cli_put_clean(b, key);
	kg_cli_puts(b, "\t");
	kg_cli_put_number(b, value);
	kg_cli_puts(b, "\n");
}

static void render_tsv(kg_cli_buf *b, const kg_graph *g, const kg_stats *s)
{
	char key[32];
	size_t i;

	kg_cli_puts(b, "measure\tkey\tvalue\n");
	tsv_row(b, "entities", NULL, (double)s->entities);
	tsv_row(b, "relations", NULL, (double)s->relations);
	for (i = 0; i < kg_graph_type_count(g); i++)
		if (s->entities_by_type[i])
			tsv_row(b, "entities_by_type", kg_type_name(g, (uint32_t)i), (double)s->entities_by_type[i]);
	for (i = 0; i < kg_graph_relation_type_count(g); i++)
		if (s->relations_by_type[i])
			tsv_row(b, "relations_by_type", kg_relation_type_name(g, (uint32_t)i),
			        (double)s->relations_by_type[i]);
	tsv_row(b, "components", NULL, (double)s->ncomponents);
	for (i = 0; i < s->ncomponents; i++) {
		snprintf(key, sizeof key, "%zu", i + 1);
		tsv_row(b, "component_size", key, (double)s->component_sizes[i]);
	}
	tsv_row(b, "isolated", NULL, (double)s->isolated);
	for (i = 0; i <= s->max_degree; i++)
		if (s->degree_count[i]) {
			snprintf(key, sizeof key, "%zu", i);
			tsv_row(b, "degree_count", key, (double)s->degree_count[i]);
		}
	for (i = 0; i < s->ntop; i++)
		tsv_row(b, "degree", kg_entity_id(g, s->top_degree[i].entity), s->top_degree[i].value);
	for (i = 0; i < s->ntop; i++)
		tsv_row(b, "betweenness", kg_entity_id(g, s->top_betweenness[i].entity), s->top_betweenness[i].value);
	tsv_row(b, s->betweenness_exact ? "betweenness_exact" : "betweenness_sampled_sources", NULL,
	        (double)s->betweenness_sources);
	tsv_row(b, s->diameter_exact ? "diameter" : "diameter_at_least", NULL, (double)s->diameter_low);
	if (!s->diameter_exact)
		tsv_row(b, "diameter_at_most", NULL, (double)s->diameter_high);
}

static void json_top(kg_cli_json *j, const kg_graph *g, const char *key, const kg_stats_entry *top, size_t n)
{
	size_t i;

	kg_cli_json_key(j, key);
	kg_cli_json_array(j);
	for (i = 0; i < n; i++) {
		kg_cli_json_object(j);
		kg_cli_json_kstring(j, "id", kg_entity_id(g, top[i].entity));
		kg_cli_json_kstring(j, "name", kg_entity_name(g, top[i].entity));
		kg_cli_json_key(j, "value");
		kg_cli_json_number(j, top[i].value);
		kg_cli_json_end(j, '}');
	}
	kg_cli_json_end(j, ']');
}

static void json_by_type(kg_cli_json *j, const kg_graph *g, const char *key, const size_t *count, size_t n,
                         bool relation_types)
{
	size_t i;

	kg_cli_json_key(j, key);
	kg_cli_json_object(j);
	for (i = 0; i < n; i++)
		if (count[i])
			kg_cli_json_kuint(j, relation_types ? kg_relation_type_name(g, (uint32_t)i) : kg_type_name(g, (uint32_t)i),
			                  count[i]);
	kg_cli_json_end(j, '}');
}

static void render_json(kg_cli_buf *b, const kg_graph *g, const kg_stats *s)
{
	kg_cli_json j;
	size_t i;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	kg_cli_json_kuint(&j, "entities", s->entities);
	kg_cli_json_kuint(&j, "relations", s->relations);
	json_by_type(&j, g, "entities_by_type", s->entities_by_type, kg_graph_type_count(g), false);
	json_by_type(&j, g, "relations_by_type", s->relations_by_type, kg_graph_relation_type_count(g), true);
	kg_cli_json_key(&j, "component_sizes");
	kg_cli_json_array(&j);
	for (i = 0; i < s->ncomponents; i++)
		kg_cli_json_uint(&j, s->component_sizes[i]);
	kg_cli_json_end(&j, ']');
	kg_cli_json_kuint(&j, "isolated", s->isolated);
	kg_cli_json_key(&j, "degree_distribution");
	kg_cli_json_object(&j);
	for (i = 0; i <= s->max_degree; i++)
		if (s->degree_count[i]) {
			char key[32];
			snprintf(key, sizeof key, "%zu", i);
			kg_cli_json_kuint(&j, key, s->degree_count[i]);
		}
	kg_cli_json_end(&j, '}');
	json_top(&j, g, "top_degree", s->top_degree, s->ntop);
	kg_cli_json_key(&j, "betweenness");
	kg_cli_json_object(&j);
	kg_cli_json_key(&j, "exact");
	kg_cli_json_bool(&j, s->betweenness_exact);
	kg_cli_json_kuint(&j, "sources", s->betweenness_sources);
	kg_cli_json_kuint(&j, "seed", s->seed);
	json_top(&j, g, "top", s->top_betweenness, s->ntop);
	kg_cli_json_end(&j, '}');
	kg_cli_json_key(&j, "diameter");
	kg_cli_json_object(&j);
	kg_cli_json_key(&j, "exact");
	kg_cli_json_bool(&j, s->diameter_exact);
	kg_cli_json_kuint(&j, "at_least", s->diameter_low);
	kg_cli_json_kuint(&j, "at_most", s->diameter_high);
	kg_cli_json_end(&j, '}');
	kg_cli_json_end(&j, '}');
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	kg_stats_options opts = KG_STATS_OPTIONS_INIT;
	kg_graph *g = NULL;
	kg_stats *s = NULL;
	kg_cli_buf out = {.stream = stdout};
	kg_cli_parser ps;
	kg_cli_arg a;
	int r, rc, code = EXIT_OK;

	if (!kg_cli_query_init(&q, "stats", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_stats_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		if (a.opt && a.opt->key == KG_OPT_TOP)
			opts.top = (size_t)a.number;
		else if ((code = kg_cli_query_take(&q, &a)) != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	if (q.nargs < 1) {
		code = kg_cli_usage_error("stats: no FILE given (see 'kgraph stats --help')");
		goto done;
	}
	if ((code = kg_cli_query_finish_args(&q)) != EXIT_OK ||
	    (code = kg_cli_load(&g, q.args, q.nargs, q.include_paths, q.ninclude_paths)) != EXIT_OK ||
	    (code = kg_cli_query_resolve(&q, g)) != EXIT_OK)
		goto done;
	opts.filter = q.filter;
	opts.types = q.type_ids;
	opts.ntypes = q.ntype_ids;
	rc = kg_query_stats(&s, g, &opts);
	if (rc == KG_ENOMEM) {
		code = kg_cli_out_of_memory();
		goto done;
	} else if (rc != KG_OK) {
		code = kg_cli_usage_error("stats: %s", kg_strerror(rc));
		goto done;
	}
	if (s->entities == 0) {
		fprintf(stderr, "kgraph: no entity matched\n");
		code = EXIT_NO_RESULT;
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		render_text(&out, g, s, &q.style);
	else if (q.format == KG_CLI_TSV)
		render_tsv(&out, g, s);
	else
		render_json(&out, g, s);
	code = kg_cli_buf_flush(&out, EXIT_OK);
done:
	kg_cli_buf_free(&out);
	kg_stats_free(s);
	kg_graph_free(g);
	kg_cli_query_free(&q);
	return code;
}
