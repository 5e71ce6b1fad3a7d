/*
 * query_opts.c - the options and operands the query commands share, and
 * names typed on the command line turned into graph indexes.
 *
 * Everything that can be checked without the graph (option values, dates,
 * number bounds) is checked before the files are read, so a typo costs
 * nothing; names are resolved once the graph is loaded. Errors follow the
 * exit codes: a malformed command line is a usage error (3), a name the
 * graph does not have is invalid input (2), with a "did you mean".
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"
#include "cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const kg_cli_format_names[] = {"text", "tsv", "json", NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};

const kg_cli_option kg_cli_opt_format = {.key = KG_OPT_FORMAT, .name = "--format", .arg = "FORMAT",
	.kind = KG_CLI_CHOICE, .values = kg_cli_format_names, .help = "text (default), tsv or json"};
const kg_cli_option kg_cli_opt_color = {.key = KG_OPT_COLOR, .name = "--color", .arg = "WHEN",
	.kind = KG_CLI_CHOICE, .values = color_names,
	.help = "auto (default: on a terminal, unless NO_COLOR is\nset), always or never"};
const kg_cli_option kg_cli_opt_rel = {.key = KG_OPT_REL, .name = "--rel", .arg = "TYPE,...",
	.kind = KG_CLI_NAMES, .help = "only relations of these types"};
const kg_cli_option kg_cli_opt_exclude_rel = {.key = KG_OPT_EXCLUDE_REL, .name = "--exclude-rel",
	.arg = "TYPE,...", .kind = KG_CLI_NAMES, .help = "no relations of these types"};
const kg_cli_option kg_cli_opt_as_of = {.key = KG_OPT_AS_OF, .name = "--as-of", .arg = "DATE",
	.kind = KG_CLI_DATE, .help = "only relations valid on DATE (since/until; no event dated after it)"};
const kg_cli_option kg_cli_opt_type = {.key = KG_OPT_TYPE, .name = "--type", .arg = "TYPE,...",
	.kind = KG_CLI_NAMES, .help = "only entities of these types"};

bool kg_cli_query_init(kg_cli_query *q, const char *cmd, int argc)
{
	memset(q, 0, sizeof *q);
	q->cmd = cmd;
	q->rel.option = "--rel";
	q->exclude_rel.option = "--exclude-rel";
	q->through.option = "--through";
	q->avoid.option = "--avoid";
	q->types.option = "--type";
	q->args = calloc((size_t)argc + 1, sizeof *q->args);
	q->owned = calloc((size_t)argc + 1, sizeof *q->owned);
	q->include_paths = calloc((size_t)argc + 1, sizeof *q->include_paths);
	return q->args && q->owned && q->include_paths;
}

void kg_cli_query_free(kg_cli_query *q)
{
	size_t i;

	for (i = 0; q->owned && i < q->nowned; i++)
		free(q->owned[i]);
	free(q->owned);
	free(q->args);
	free(q->include_paths);
	free(q->rel.v);
	free(q->exclude_rel.v);
	free(q->through.v);
	free(q->avoid.v);
	free(q->types.v);
	free((void *)q->filter.rel_types);
	free((void *)q->filter.exclude_rel_types);
	free((void *)q->filter.through_types);
	free((void *)q->filter.avoid);
	free(q->type_ids);
}

/* Add the items of "a,b,c" to names; spaces around an item are dropped.
 * Returns an exit code. */
static int add_names(kg_cli_query *q, kg_cli_names *names, const char *value)
{
	char *copy = strdup(value), *item, *next;

	if (!copy)
		return kg_cli_out_of_memory();
	q->owned[q->nowned++] = copy;
	for (item = copy; item; item = next) {
		char *end;
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		while (*item == ' ')
			item++;
		end = item + strlen(item);
		while (end > item && end[-1] == ' ')
			*--end = '\0';
		if (!*item)
			return kg_cli_usage_error("%s: %s takes a comma-separated list of names, not '%s'", q->cmd,
			                          names->option, value);
		if (names->n == names->cap) {
			size_t cap = names->cap ? 2 * names->cap : 8;
			const char **v = realloc(names->v, cap * sizeof *v);
			if (!v)
				return kg_cli_out_of_memory();
			names->v = v;
			names->cap = cap;
		}
		names->v[names->n++] = item;
	}
	return EXIT_OK;
}

int kg_cli_parse_date(kg_date *out, const char *option, const char *text)
{
	size_t len = strlen(text);
	kg_date ym;
	char hint[64];

	if (kg_date_parse(out, text, len) == KG_OK)
		return EXIT_OK;
	if (len == 10 && kg_date_parse(&ym, text, 7) == KG_OK)
		snprintf(hint, sizeof hint, "%.7s has no day %.2s", text, text + 8);
	else if ((len == 7 || len == 10) && kg_date_parse(&ym, text, 4) == KG_OK && text[4] == '-')
		snprintf(hint, sizeof hint, "there is no month %.2s", text + 5);
	else
		snprintf(hint, sizeof hint, "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-09-11");
	return kg_cli_input_error(hint, "%s '%.40s' is not a valid date", option, text);
}

static int parse_as_of(kg_cli_query *q, const char *text)
{
	int code = kg_cli_parse_date(&q->as_of, "--as-of", text);

	if (code == EXIT_OK)
		q->as_of_text = text;
	return code;
}

int kg_cli_query_take(kg_cli_query *q, const kg_cli_arg *a)
{
	kg_cli_names *names;

	if (!a->opt) {
		q->args[q->nargs++] = a->value;
		return EXIT_OK;
	}
	switch (a->opt->key) {
	case KG_OPT_FORMAT: q->format = (kg_cli_format)a->choice; return EXIT_OK;
	case KG_OPT_COLOR: q->color = a->value; return EXIT_OK;
	case KG_OPT_RELATIONS: q->relations = true; return EXIT_OK;
	case KG_OPT_INCLUDE_PATH: q->include_paths[q->ninclude_paths++] = a->value; return EXIT_OK;
	case KG_OPT_CACHE: kg_cli_cache_dir = a->value; return EXIT_OK;
	case KG_OPT_AS_OF: return parse_as_of(q, a->value);
	case KG_OPT_REL: names = &q->rel; break;
	case KG_OPT_EXCLUDE_REL: names = &q->exclude_rel; break;
	case KG_OPT_THROUGH: names = &q->through; break;
	case KG_OPT_AVOID: names = &q->avoid; break;
	case KG_OPT_TYPE: names = &q->types; break;
	default: return KG_CLI_PASS;
	}
	return add_names(q, names, a->value);
}

int kg_cli_query_finish_args(kg_cli_query *q)
{
	/* Machine formats are never coloured; --color's value was checked. */
	kg_cli_style_init(&q->style, q->format == KG_CLI_TEXT ? q->color : "never");
	return EXIT_OK;
}

/* ---- names --------------------------------------------------------- */

int kg_cli_check_files_last(const kg_cli_query *q, size_t nnames)
{
	const kg_cli_command *c = kg_cli_find_command(q->cmd);
	struct stat st;
	size_t i, j;

	/* Only when the order is surely wrong: an operand that names a file
	 * where a name belongs, and one where a file belongs that is no file.
	 * Then the files would fail to load with a message that hides the
	 * cause ("cannot read: gorbachev"). */
	for (j = nnames; j < q->nargs; j++)
		if (strcmp(q->args[j], "-") != 0 && stat(q->args[j], &st) != 0)
			break;
	if (j == q->nargs)
		return EXIT_OK;
	for (i = 0; i < nnames && i < q->nargs; i++)
		if (stat(q->args[i], &st) == 0 && S_ISREG(st.st_mode))
			return kg_cli_usage_error("%s: '%s' is a file, given where a name belongs; the files come last: "
			                          "kgraph %s %s",
			                          q->cmd, q->args[i], q->cmd, c ? c->usage : "...");
	return EXIT_OK;
}

static int unknown_name(const char *what, const char *text, const char *option, const char *near,
                        const char *otherwise)
{
	char hint[400];

	if (near)
		snprintf(hint, sizeof hint, "did you mean '%s'?", near);
	return kg_cli_input_error(near ? hint : otherwise, "unknown %s '%s' (%s)", what, text, option);
}

/* Resolve names into a new array of indexes in *out. */
static int resolve_types(uint32_t **out, size_t *nout, const kg_graph *g, const kg_cli_names *names,
                         bool relation_types)
{
	size_t i;

	*out = NULL;
	*nout = 0;
	if (!names->n)
		return EXIT_OK;
	*out = malloc(names->n * sizeof **out);
	if (!*out)
		return kg_cli_out_of_memory();
	for (i = 0; i < names->n; i++) {
		const char *s = names->v[i];
		uint32_t t = relation_types ? kg_graph_find_relation_type(g, s) : kg_graph_find_type(g, s);
		if (t != KG_NONE) {
			(*out)[(*nout)++] = t;
			continue;
		}
		if (relation_types)
			return unknown_name("relation type", s, names->option,
			                    kg_graph_suggest_relation_type(g, s),
			                    "'kgraph check FILE' lists the graph's relation types");
		return unknown_name("entity type", s, names->option, kg_graph_suggest_type(g, s),
		                    "'kgraph check FILE' lists the graph's entity types");
	}
	return EXIT_OK;
}

/* "  id  name" lines on stderr for the candidates a name could mean, at
 * most 20 of them. */
static void print_candidates(const kg_graph *g, const uint32_t *cand, size_t ncand)
{
	size_t i;

	for (i = 0; i < ncand && i < 20; i++) {
		kg_cli_buf line = {0};
		kg_cli_puts(&line, "  ");
		kg_cli_put_text(&line, kg_entity_id(g, cand[i]));
		kg_cli_puts(&line, "  ");
		kg_cli_put_text(&line, kg_entity_name(g, cand[i]));
		if (!line.failed)
			fprintf(stderr, "%s\n", line.p);
		kg_cli_buf_free(&line);
	}
	if (ncand > 20)
		fprintf(stderr, "  and %zu more\n", ncand - 20);
}

/* "did you mean 'id' (Name)?" into hint. */
static void did_you_mean(char *hint, size_t size, const kg_graph *g, uint32_t e)
{
	const char *id = kg_entity_id(g, e), *name = kg_entity_name(g, e);

	if (strcmp(name, id) != 0)
		snprintf(hint, size, "did you mean '%s' (%s)?", id, name);
	else
		snprintf(hint, size, "did you mean '%s'?", id);
}

/* The entities `kgraph search text` finds, into a new array *out (NULL
 * when none, or when text has nothing to search for). Returns an exit
 * code. */
static int search_candidates(uint32_t **out, size_t *nout, const kg_graph *g, const char *text)
{
	kg_search *s = NULL;
	size_t i;
	int rc = kg_query_search(&s, g, text, NULL);

	*out = NULL;
	*nout = 0;
	if (rc == KG_ENOMEM)
		return kg_cli_out_of_memory();
	if (rc != KG_OK || kg_search_count(s) == 0) {
		kg_search_free(s);
		return EXIT_OK;
	}
	if (!(*out = malloc(kg_search_count(s) * sizeof **out))) {
		kg_search_free(s);
		return kg_cli_out_of_memory();
	}
	for (i = 0; i < kg_search_count(s); i++)
		(*out)[i] = kg_search_get(s, i)->entity;
	*nout = i;
	kg_search_free(s);
	return EXIT_OK;
}

int kg_cli_resolve_entity(uint32_t *out, const kg_graph *g, const char *text, const char *option)
{
	const uint32_t *cand = NULL;
	uint32_t *found = NULL;
	size_t ncand = 0, nfound = 0;
	char where[64] = "", hint[1200];
	struct stat st;
	int code, rc = kg_graph_resolve(out, &cand, &ncand, g, text);

	if (option)
		snprintf(where, sizeof where, " (%s)", option);
	if (rc == KG_OK)
		return EXIT_OK;
	if (rc == KG_ENOMEM)
		return kg_cli_out_of_memory();
	if (rc == KG_EAMBIGUOUS) {
		kg_cli_input_error("name one by its id:", "'%s'%s names %zu entities", text, where, ncand);
		print_candidates(g, cand, ncand);
		return EXIT_INVALID;
	}
	/* Not a whole id, name or alias: what `kgraph search` would find is
	 * offered, never taken, since a part of a name may mean another
	 * entity than the one the person had in mind. */
	if ((code = search_candidates(&found, &nfound, g, text)) != EXIT_OK)
		return code;
	if (nfound > 1) {
		kg_cli_input_error("name one by its id:", "'%s'%s is ambiguous: it is part of the names of %zu entities",
		                   text, where, nfound);
		print_candidates(g, found, nfound);
		free(found);
		return EXIT_INVALID;
	}
	if (nfound == 1) {
		did_you_mean(hint, sizeof hint, g, found[0]);
		free(found);
	} else if (stat(text, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(hint, sizeof hint, "'%s' is a file: name the entities first and the files last", text);
	} else {
		const char *near = kg_graph_suggest_entity(g, text);
		if (near)
			did_you_mean(hint, sizeof hint, g, kg_graph_find_entity(g, near));
		else
			snprintf(hint, sizeof hint, "name an entity by its id, name or an alias; 'kgraph search TEXT FILE' finds one");
	}
	return kg_cli_input_error(hint, "unknown entity '%s'%s", text, where);
}

int kg_cli_query_resolve(kg_cli_query *q, const kg_graph *g)
{
	uint32_t *ids = NULL;
	size_t n = 0, i;
	int code;

	if ((code = resolve_types(&ids, &n, g, &q->rel, true)) != EXIT_OK)
		goto fail;
	q->filter.rel_types = ids;
	q->filter.nrel_types = n;
	if ((code = resolve_types(&ids, &n, g, &q->exclude_rel, true)) != EXIT_OK)
		goto fail;
	q->filter.exclude_rel_types = ids;
	q->filter.nexclude_rel_types = n;
	if ((code = resolve_types(&ids, &n, g, &q->through, false)) != EXIT_OK)
		goto fail;
	q->filter.through_types = ids;
	q->filter.nthrough_types = n;
	if ((code = resolve_types(&q->type_ids, &q->ntype_ids, g, &q->types, false)) != EXIT_OK)
		return code;
	q->filter.as_of = q->as_of;
	if (!q->avoid.n)
		return EXIT_OK;
	ids = malloc(q->avoid.n * sizeof *ids);
	if (!ids)
		return kg_cli_out_of_memory();
	q->filter.avoid = ids;
	q->filter.navoid = q->avoid.n;
	for (i = 0; i < q->avoid.n; i++)
		if ((code = kg_cli_resolve_entity(&ids[i], g, q->avoid.v[i], "--avoid")) != EXIT_OK)
			return code;
	return EXIT_OK;
fail:
	free(ids); /* the array being filled when the error came */
	return code;
}

/* ---- rendering shared by the commands ------------------------------ */

static void put_arrow_around(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward, bool by_id)
{
	uint32_t t = kg_relation_type(g, rel);
	bool sym = kg_relation_type_is_symmetric(g, t);

	kg_cli_puts(b, !sym && !forward ? "\xE2\x86\x90" : "\xE2\x80\x94"); /* ← or — */
	kg_cli_put_text(b, by_id ? kg_relation_type_name(g, t) : kg_relation_type_label(g, t));
	kg_cli_puts(b, !sym && forward ? "\xE2\x86\x92" : "\xE2\x80\x94"); /* → or — */
}

void kg_cli_put_arrow(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward)
{
	put_arrow_around(b, g, rel, forward, false);
}

void kg_cli_put_arrow_id(kg_cli_buf *b, const kg_graph *g, uint32_t rel, bool forward)
{
	put_arrow_around(b, g, rel, forward, true);
}

const char *kg_cli_direction_name(bool forward)
{
	return forward ? "forward" : "backward";
}

void kg_cli_json_step(kg_cli_json *j, const kg_graph *g, uint32_t rel, bool forward, const char *weight)
{
	double w;

	uint32_t from = kg_relation_from(g, rel), to = kg_relation_to(g, rel);
	uint32_t t = kg_relation_type(g, rel);

	kg_cli_json_object(j);
	kg_cli_json_kstring(j, "from", kg_entity_id(g, forward ? from : to));
	kg_cli_json_kstring(j, "relation", kg_relation_type_name(g, t));
	kg_cli_json_kstring(j, "to", kg_entity_id(g, forward ? to : from));
	kg_cli_json_kstring(j, "direction", kg_cli_direction_name(forward));
	kg_cli_json_key(j, "symmetric");
	kg_cli_json_bool(j, kg_relation_type_is_symmetric(g, t));
	/* The search has checked every weight already: this cannot fail. */
	if (weight && kg_relation_weight_by(&w, g, rel, weight) == KG_OK) {
		kg_cli_json_key(j, "weight");
		kg_cli_json_number(j, w);
	}
	kg_cli_json_evidence(j, g, rel);
	kg_cli_json_end(j, '}');
}

void kg_cli_json_evidence(kg_cli_json *j, const kg_graph *g, uint32_t rel)
{
	uint32_t src = kg_relation_source(g, rel);
	kg_location at = kg_relation_location(g, rel);
	char date[11];

	kg_cli_json_kstring(j, "date", kg_relation_date(g, rel) ? kg_date_format(date, kg_relation_date(g, rel)) : NULL);
	kg_cli_json_kstring(j, "since", kg_relation_since(g, rel) ? kg_date_format(date, kg_relation_since(g, rel)) : NULL);
	kg_cli_json_kstring(j, "until", kg_relation_until(g, rel) ? kg_date_format(date, kg_relation_until(g, rel)) : NULL);
	kg_cli_json_kstring(j, "source", src != KG_NONE ? kg_source_id(g, src) : NULL);
	kg_cli_json_kstring(j, "quote", kg_relation_quote(g, rel));
	kg_cli_json_location(j, at);
}

void kg_cli_json_location(kg_cli_json *j, kg_location at)
{
	kg_cli_json_kstring(j, "file", at.file);
	kg_cli_json_key(j, "line");
	if (at.line)
		kg_cli_json_uint(j, at.line);
	else
		kg_cli_json_null(j);
}

void kg_cli_tsv_evidence(kg_cli_buf *b, const kg_graph *g, uint32_t rel)
{
	uint32_t src = kg_relation_source(g, rel);
	char date[11];

	kg_cli_puts(b, "\t");
	kg_cli_puts(b, kg_date_format(date, kg_relation_date(g, rel)));
	kg_cli_puts(b, "\t");
	kg_cli_puts(b, kg_date_format(date, kg_relation_since(g, rel)));
	kg_cli_puts(b, "\t");
	kg_cli_puts(b, kg_date_format(date, kg_relation_until(g, rel)));
	kg_cli_puts(b, "\t");
	if (src != KG_NONE)
		kg_cli_put_clean(b, kg_source_id(g, src));
}

const char *kg_cli_relation_time(char buf[KG_CLI_TIME_LEN], const kg_graph *g, uint32_t rel)
{
	kg_date date = kg_relation_date(g, rel), since = kg_relation_since(g, rel), until = kg_relation_until(g, rel);
	char d[11];
	int n = 0;

	/* Each part is at most 7 + 10 characters: the three fit. */
	buf[0] = '\0';
	if (date)
		n += snprintf(buf + n, KG_CLI_TIME_LEN - (size_t)n, "%s", kg_date_format(d, date));
	if (since)
		n += snprintf(buf + n, KG_CLI_TIME_LEN - (size_t)n, "%ssince %s", n ? " " : "", kg_date_format(d, since));
	if (until)
		snprintf(buf + n, KG_CLI_TIME_LEN - (size_t)n, "%suntil %s", n ? " " : "", kg_date_format(d, until));
	return buf;
}
