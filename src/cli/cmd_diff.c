/*
 * cmd_diff.c - `kgraph diff OLD NEW`: what changed between two versions
 * of a graph (kg_diff_graphs; kgraph/diff.h says how items are matched).
 *
 * Each side is one file (an operand, '-' for standard input) or, with
 * --old and --new, any number of files loaded together as the query
 * commands load them. The answer is text like a unified diff ('-'
 * removed, '+' added, '~' changed with one indented line per field, each
 * item with where it is written), TSV (one row per field) or JSON. Exit 0
 * when equal, 1 when different, 2 when a side is not a valid graph, as
 * diff(1) does; docs/diff.md shows how git can use it.
 */
#define _POSIX_C_SOURCE 200809L
#include "query_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const kg_cli_option opt_old = {.key = KG_OPT_OLD, .name = "--old", .arg = "FILE", .kind = KG_CLI_FILE,
	.help = "a file of the old version (repeat for several;\nthen give the new one with --new)"};
static const kg_cli_option opt_new = {.key = KG_OPT_NEW, .name = "--new", .arg = "FILE", .kind = KG_CLI_FILE,
	.help = "a file of the new version (repeat for several)"};
static const kg_cli_option opt_old_label = {.key = KG_OPT_OLD_LABEL, .name = "--old-label", .arg = "NAME",
	.kind = KG_CLI_STRING, .help = "call the old side NAME (in the header and, for\none file, in locations)"};
static const kg_cli_option opt_new_label = {.key = KG_OPT_NEW_LABEL, .name = "--new-label", .arg = "NAME",
	.kind = KG_CLI_STRING, .help = "call the new side NAME"};
static const kg_cli_option *const side_opts[] = {&opt_old, &opt_new, &opt_old_label, &opt_new_label, NULL};
static const kg_cli_option *const output_opts[] = {&kg_cli_opt_format, &kg_cli_opt_color, &kg_cli_opt_help, NULL};
static const kg_cli_group groups[] = {{"The two versions", side_opts}, {"Output", output_opts}, {NULL, NULL}};
static const char *const examples[] = {
	"kgraph diff tests/cli/inputs/diff-old.yaml tests/cli/inputs/diff-new.yaml",
	"kgraph diff --format tsv tests/cli/inputs/diff-old.yaml tests/cli/inputs/diff-new.yaml",
	"git show HEAD~1:graph.yaml | kgraph diff --old-label HEAD~1 - graph.yaml",
	NULL};

static int run(int argc, char **argv);

const kg_cli_command kg_cli_diff_command = {
	.name = "diff",
	.summary = "what changed between two versions of a graph",
	.usage = "[OPTIONS] OLD NEW | --old FILE... --new FILE...",
	.description =
		"Compare two versions of a graph: the entities, relations and sources\n"
		"removed (-), added (+) and changed (~, with each field that differs).\n"
		"Entities and sources are matched by id, relations by (from, type, to);\n"
		"repeated relations are paired identical ones first, then in file order.\n"
		"A side is one file ('-' is standard input) or, with --old and --new,\n"
		"several files loaded together.",
	.groups = groups,
	.exit_status = "0 the versions are equal, 1 they differ, 2 invalid input,\n"
	               "3 usage error, 4 a file could not be read.",
	.examples = examples,
	.run = run};

/* One side: its files, its graph, and what to call it. */
typedef struct side {
	const char **files;
	size_t nfiles;
	const char *label; /* or NULL */
	kg_graph *g;
} side;

static const char *const item_names[] = {"entity", "relation", "source"};
static const char *const kind_names[] = {"removed", "added", "changed"};

/* ---- describing items ---------------------------------------------- */

static kg_location where(const kg_graph *g, kg_diff_item item, uint32_t i)
{
	return item == KG_DIFF_ENTITY ? kg_entity_location(g, i)
	     : item == KG_DIFF_RELATION ? kg_relation_location(g, i) : kg_source_location(g, i);
}

/* "FILE:LINE", with the side's label for the file when it has one file. */
static void put_location(kg_cli_buf *b, const side *s, kg_diff_item item, uint32_t i)
{
	kg_location at = where(s->g, item, i);

	kg_cli_put_clean(b, s->label && s->nfiles == 1 ? s->label : at.file);
	if (at.line)
		kg_cli_printf(b, ":%u", at.line);
}

/* An item by its key: the id, or "FROM TYPE TO" for a relation. The type
 * is its id, not its label, even in text: it is part of what identifies
 * the relation across the two versions, and a label may change between
 * them. */
static void put_key(kg_cli_buf *b, const kg_graph *g, kg_diff_item item, uint32_t i, const kg_cli_style *st)
{
	if (item == KG_DIFF_ENTITY) {
		kg_cli_put_clean(b, kg_entity_id(g, i));
	} else if (item == KG_DIFF_SOURCE) {
		kg_cli_put_clean(b, kg_source_id(g, i));
	} else {
		kg_cli_put_clean(b, kg_entity_id(g, kg_relation_from(g, i)));
		kg_cli_puts(b, " ");
		kg_cli_puts(b, st ? st->rel : "");
		if (st)
			kg_cli_put_arrow_id(b, g, i, true);
		else
			kg_cli_put_clean(b, kg_relation_type_name(g, kg_relation_type(g, i)));
		kg_cli_puts(b, st ? st->off : "");
		kg_cli_puts(b, " ");
		kg_cli_put_clean(b, kg_entity_id(g, kg_relation_to(g, i)));
	}
}

static void put_value(kg_cli_buf *b, const char *v)
{
	if (!v) {
		kg_cli_puts(b, "(none)");
		return;
	}
	kg_cli_puts(b, "\"");
	kg_cli_put_clean(b, v);
	kg_cli_puts(b, "\"");
}

/* ---- text ---------------------------------------------------------- */

static void put_side_name(kg_cli_buf *b, const side *s)
{
	if (s->label) {
		kg_cli_put_clean(b, s->label);
		return;
	}
	for (size_t i = 0; i < s->nfiles; i++) {
		kg_cli_puts(b, i ? " " : "");
		kg_cli_put_clean(b, strcmp(s->files[i], "-") == 0 ? "(standard input)" : s->files[i]);
	}
}

/* Under an item added or removed, what it was: an entity's type and
 * name, a relation's date and quote, a source's title. */
static void put_summary(kg_cli_buf *b, const kg_graph *g, kg_diff_item item, uint32_t i)
{
	char date[11];

	if (item == KG_DIFF_ENTITY) {
		kg_cli_puts(b, "    ");
		kg_cli_put_clean(b, kg_type_name(g, kg_entity_type(g, i)));
		kg_cli_puts(b, " ");
		put_value(b, kg_entity_name(g, i));
		kg_cli_puts(b, "\n");
	} else if (item == KG_DIFF_SOURCE && kg_source_title(g, i)) {
		kg_cli_puts(b, "    title ");
		put_value(b, kg_source_title(g, i));
		kg_cli_puts(b, "\n");
	} else if (item == KG_DIFF_RELATION && (kg_relation_date(g, i) || kg_relation_quote(g, i))) {
		kg_cli_puts(b, "   ");
		if (kg_relation_date(g, i))
			kg_cli_printf(b, " date %s", kg_date_format(date, kg_relation_date(g, i)));
		if (kg_relation_quote(g, i)) {
			kg_cli_puts(b, " quote ");
			put_value(b, kg_relation_quote(g, i));
		}
		kg_cli_puts(b, "\n");
	}
}

static void render_text(kg_cli_buf *b, const kg_diff *d, const side *o, const side *n, const kg_cli_style *st)
{
	static const char *const signs[] = {"-", "+", "~"};

	if (!kg_diff_count(d))
		return;
	kg_cli_printf(b, "%s--- ", st->head);
	put_side_name(b, o);
	kg_cli_printf(b, "%s\n%s+++ ", st->off, st->head);
	put_side_name(b, n);
	kg_cli_printf(b, "%s\n", st->off);
	for (size_t i = 0; i < kg_diff_count(d); i++) {
		kg_diff_change c = kg_diff_get(d, i);
		const side *s = c.kind == KG_DIFF_ADDED ? n : o;
		uint32_t at = c.kind == KG_DIFF_ADDED ? c.new_index : c.old_index;
		kg_cli_printf(b, "%s %s ", signs[c.kind], item_names[c.item]);
		kg_cli_puts(b, st->entity);
		put_key(b, s->g, c.item, at, st);
		kg_cli_printf(b, "%s  %s", st->off, st->dim);
		put_location(b, s, c.item, at);
		if (c.kind == KG_DIFF_CHANGED) {
			kg_cli_puts(b, " -> ");
			put_location(b, n, c.item, c.new_index);
		}
		kg_cli_printf(b, "%s\n", st->off);
		if (c.kind != KG_DIFF_CHANGED)
			put_summary(b, s->g, c.item, at);
		for (size_t f = 0; f < c.nfields; f++) {
			kg_cli_puts(b, c.fields[f].attribute ? "    attribute " : "    ");
			kg_cli_put_clean(b, c.fields[f].name);
			kg_cli_puts(b, ": ");
			put_value(b, c.fields[f].old_value);
			kg_cli_puts(b, " -> ");
			put_value(b, c.fields[f].new_value);
			kg_cli_puts(b, "\n");
		}
	}
}

/* ---- TSV ----------------------------------------------------------- */

static void tsv_row(kg_cli_buf *b, const kg_diff_change *c, const side *o, const side *n, const kg_diff_field *f)
{
	const side *s = c->kind == KG_DIFF_ADDED ? n : o;

	kg_cli_printf(b, "%s\t%s\t", kind_names[c->kind], item_names[c->item]);
	put_key(b, s->g, c->item, c->kind == KG_DIFF_ADDED ? c->new_index : c->old_index, NULL);
	kg_cli_puts(b, "\t");
	if (c->old_index != KG_NONE)
		put_location(b, o, c->item, c->old_index);
	kg_cli_puts(b, "\t");
	if (c->new_index != KG_NONE)
		put_location(b, n, c->item, c->new_index);
	kg_cli_puts(b, "\t");
	if (f) {
		kg_cli_puts(b, f->attribute ? "attribute " : "");
		kg_cli_put_clean(b, f->name);
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, f->old_value);
		kg_cli_puts(b, "\t");
		kg_cli_put_clean(b, f->new_value);
	} else {
		kg_cli_puts(b, "\t\t");
	}
	kg_cli_puts(b, "\n");
}

static void render_tsv(kg_cli_buf *b, const kg_diff *d, const side *o, const side *n)
{
	kg_cli_puts(b, "change\titem\tkey\told_at\tnew_at\tfield\told\tnew\n");
	for (size_t i = 0; i < kg_diff_count(d); i++) {
		kg_diff_change c = kg_diff_get(d, i);
		if (!c.nfields)
			tsv_row(b, &c, o, n, NULL);
		for (size_t f = 0; f < c.nfields; f++)
			tsv_row(b, &c, o, n, &c.fields[f]);
	}
}

/* ---- JSON ---------------------------------------------------------- */

static void json_at(kg_cli_json *j, const char *key, const side *s, kg_diff_item item, uint32_t i)
{
	kg_cli_buf text = {0};

	kg_cli_json_key(j, key);
	if (i == KG_NONE) {
		kg_cli_json_null(j);
		return;
	}
	put_location(&text, s, item, i);
	kg_cli_json_string(j, text.failed ? NULL : text.p);
	kg_cli_buf_free(&text);
}

static void json_files(kg_cli_json *j, const char *key, const side *s)
{
	kg_cli_json_key(j, key);
	kg_cli_json_array(j);
	for (size_t i = 0; i < s->nfiles; i++)
		kg_cli_json_string(j, s->files[i]);
	kg_cli_json_end(j, ']');
}

static void render_json(kg_cli_buf *b, const kg_diff *d, const side *o, const side *n)
{
	kg_cli_json j;

	kg_cli_json_init(&j, b);
	kg_cli_json_object(&j);
	json_files(&j, "old", o);
	json_files(&j, "new", n);
	kg_cli_json_key(&j, "equal");
	kg_cli_json_bool(&j, kg_diff_count(d) == 0);
	kg_cli_json_key(&j, "changes");
	kg_cli_json_array(&j);
	for (size_t i = 0; i < kg_diff_count(d); i++) {
		kg_diff_change c = kg_diff_get(d, i);
		const kg_graph *g = c.kind == KG_DIFF_ADDED ? n->g : o->g;
		uint32_t at = c.kind == KG_DIFF_ADDED ? c.new_index : c.old_index;
		kg_cli_json_object(&j);
		kg_cli_json_kstring(&j, "change", kind_names[c.kind]);
		kg_cli_json_kstring(&j, "item", item_names[c.item]);
		if (c.item == KG_DIFF_RELATION) {
			kg_cli_json_kstring(&j, "from", kg_entity_id(g, kg_relation_from(g, at)));
			kg_cli_json_kstring(&j, "type", kg_relation_type_name(g, kg_relation_type(g, at)));
			kg_cli_json_kstring(&j, "to", kg_entity_id(g, kg_relation_to(g, at)));
		} else {
			kg_cli_json_kstring(&j, "id", c.item == KG_DIFF_ENTITY ? kg_entity_id(g, at) : kg_source_id(g, at));
		}
		json_at(&j, "old_at", o, c.item, c.old_index);
		json_at(&j, "new_at", n, c.item, c.new_index);
		kg_cli_json_key(&j, "fields");
		kg_cli_json_array(&j);
		for (size_t f = 0; f < c.nfields; f++) {
			kg_cli_json_object(&j);
			kg_cli_json_kstring(&j, "name", c.fields[f].name);
			kg_cli_json_key(&j, "attribute");
			kg_cli_json_bool(&j, c.fields[f].attribute);
			kg_cli_json_kstring(&j, "old", c.fields[f].old_value);
			kg_cli_json_kstring(&j, "new", c.fields[f].new_value);
			kg_cli_json_end(&j, '}');
		}
		kg_cli_json_end(&j, ']');
		kg_cli_json_end(&j, '}');
	}
	kg_cli_json_end(&j, ']');
	kg_cli_json_end(&j, '}');
}

/* ---- the command --------------------------------------------------- */

static bool push_file(side *s, const char *file)
{
	const char **v = realloc(s->files, (s->nfiles + 1) * sizeof *v);

	if (!v)
		return false;
	s->files = v;
	s->files[s->nfiles++] = file;
	return true;
}

/* The sides from the operands or from --old and --new, checked. */
static int sides_from_args(side *o, side *n, const kg_cli_query *q)
{
	size_t stdin_uses = 0, i;

	if (!o->nfiles && !n->nfiles) {
		if (q->nargs != 2)
			return kg_cli_usage_error("diff: needs OLD and NEW, or --old FILE... --new FILE... "
			                          "(see 'kgraph diff --help')");
		if (!push_file(o, q->args[0]) || !push_file(n, q->args[1]))
			return kg_cli_out_of_memory();
	} else if (q->nargs || !o->nfiles || !n->nfiles) {
		return kg_cli_usage_error("diff: give both sides with --old and --new, and no other files "
		                          "(see 'kgraph diff --help')");
	}
	for (i = 0; i < o->nfiles; i++)
		stdin_uses += strcmp(o->files[i], "-") == 0;
	for (i = 0; i < n->nfiles; i++)
		stdin_uses += strcmp(n->files[i], "-") == 0;
	if (stdin_uses > 1)
		return kg_cli_usage_error("diff: standard input ('-') can be only one of the files");
	return EXIT_OK;
}

/* git names /dev/null for the side of a file that does not exist there
 * (added or deleted): that side is an empty graph. */
static int load_side(side *s)
{
	kg_diag_list *diags;
	int rc;

	if (s->nfiles != 1 || strcmp(s->files[0], "/dev/null") != 0)
		return kg_cli_load(&s->g, s->files, s->nfiles, NULL, 0);
	if (!(diags = kg_diag_list_new()))
		return kg_cli_out_of_memory();
	rc = kg_load_string(&s->g, "/dev/null", "{}", 2, NULL, diags);
	kg_diag_list_free(diags);
	return rc == KG_OK ? EXIT_OK : kg_cli_out_of_memory();
}

static int run(int argc, char **argv)
{
	kg_cli_query q;
	side o = {0}, n = {0};
	kg_diff *d = NULL;
	kg_cli_buf out = {.stream = stdout};
	kg_cli_parser ps;
	kg_cli_arg a;
	int r, rc, code = EXIT_OK;

	if (!kg_cli_query_init(&q, "diff", argc)) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	kg_cli_parser_init(&ps, &kg_cli_diff_command, argc, argv);
	while ((r = kg_cli_next(&ps, &a, &code)) > 0) {
		int key = a.opt ? (int)a.opt->key : 0;
		if (key == KG_OPT_OLD || key == KG_OPT_NEW)
			code = push_file(key == KG_OPT_OLD ? &o : &n, a.value) ? EXIT_OK : kg_cli_out_of_memory();
		else if (key == KG_OPT_OLD_LABEL || key == KG_OPT_NEW_LABEL)
			(key == KG_OPT_OLD_LABEL ? &o : &n)->label = a.value;
		else
			code = kg_cli_query_take(&q, &a);
		if (code != EXIT_OK)
			goto done;
	}
	if (r < 0)
		goto done;
	if ((code = sides_from_args(&o, &n, &q)) != EXIT_OK || (code = kg_cli_query_finish_args(&q)) != EXIT_OK)
		goto done;
	/* Both sides are loaded (and their errors shown) before giving up,
	 * so that one run reports every invalid file. */
	code = load_side(&o);
	rc = load_side(&n);
	if (code != EXIT_OK || rc != EXIT_OK) {
		code = code == EXIT_IO || rc == EXIT_IO ? EXIT_IO : code != EXIT_OK ? code : rc;
		goto done;
	}
	if ((rc = kg_diff_graphs(&d, o.g, n.g)) != KG_OK) {
		code = kg_cli_out_of_memory();
		goto done;
	}
	if (q.format == KG_CLI_TEXT)
		render_text(&out, d, &o, &n, &q.style);
	else if (q.format == KG_CLI_TSV)
		render_tsv(&out, d, &o, &n);
	else
		render_json(&out, d, &o, &n);
	code = kg_cli_buf_flush(&out, kg_diff_count(d) ? EXIT_NO_RESULT : EXIT_OK);
done:
	kg_cli_buf_free(&out);
	kg_diff_free(d);
	kg_graph_free(o.g);
	kg_graph_free(n.g);
	free(o.files);
	free(n.files);
	kg_cli_query_free(&q);
	return code;
}
