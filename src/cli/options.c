/*
 * options.c - reading a command line against a command's option table,
 * and the --help text made from the same table.
 *
 * Every value is checked here, before any file is read: a number against
 * its bounds, a choice against its values; an unknown option or value
 * gets the nearest one as a "did you mean", as unknown entities do. The
 * command sees only options its table declares, with checked values.
 * Usage errors are exit 3 and name the command ("kgraph: path: ...").
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const kg_cli_option kg_cli_opt_help = {
	.key = KG_OPT_HELP, .name = "--help", .short_name = 'h', .help = "show this help"};
const kg_cli_option kg_cli_opt_include_path = {.key = KG_OPT_INCLUDE_PATH, .name = "--include-path",
	.arg = "DIR", .kind = KG_CLI_FILE,
	.help = "graph files may also include (and cite source files)\nfrom DIR, not only from their own folder; may be\nrepeated"};
const kg_cli_option kg_cli_opt_cache = {.key = KG_OPT_CACHE, .name = "--cache", .arg = "DIR", .kind = KG_CLI_FILE,
	.help = "keep a snapshot of the graph files in DIR and open it\ninstead of the YAML while they are unchanged (as\nKGRAPH_CACHE=DIR does; '' for no cache)"};

/* ---- did you mean -------------------------------------------------- */

/* Levenshtein distance of a and b, from one row of the table; an
 * option name is short, so the row fits on the stack (longer text is
 * simply never near). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], i, j;

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *kg_cli_closest(const char *text, const char *const *names)
{
	/* The same tolerance as the library's suggestions for names: one
	 * edit in short words, two in medium ones, three in long ones. */
	size_t len = strlen(text), best = len <= 3 ? 2 : len <= 8 ? 3 : 4;
	const char *near = NULL;

	for (; *names; names++) {
		size_t d = distance(text, *names);
		if (d < best) {
			best = d;
			near = *names;
		}
	}
	return near;
}

/* The long names of cmd's options, NULL-terminated, in *names (at most
 * max). */
static void long_names(const char **names, size_t max, const kg_cli_command *cmd)
{
	const kg_cli_group *g;
	size_t n = 0, i;

	for (g = cmd->groups; g && g->heading; g++)
		for (i = 0; g->options[i] && n + 1 < max; i++)
			if (g->options[i]->name)
				names[n++] = g->options[i]->name;
	names[n] = NULL;
}

int kg_cli_unknown_option(const kg_cli_command *cmd, const char *arg)
{
	const char *names[128], *near = NULL;
	char text[64];
	const char *eq = strchr(arg, '=');

	/* "--dept=2" is near "--depth"; "-x" is near every short option,
	 * which helps nobody. */
	snprintf(text, sizeof text, "%.*s", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
	long_names(names, sizeof names / sizeof *names, cmd);
	if (strlen(text) > 2)
		near = kg_cli_closest(text, names);
	if (!cmd->name)
		return near ? kg_cli_usage_error("unknown option '%s'; did you mean '%s'? (see 'kgraph --help')", arg, near)
		            : kg_cli_usage_error("unknown option '%s' (see 'kgraph --help')", arg);
	if (near)
		return kg_cli_usage_error("%s: unknown option '%s'; did you mean '%s'? (see 'kgraph %s --help')", cmd->name,
		                          arg, near, cmd->name);
	return kg_cli_usage_error("%s: unknown option '%s' (see 'kgraph %s --help')", cmd->name, arg, cmd->name);
}

int kg_cli_unknown_command(const char *name)
{
	const char *names[32], *near;
	size_t n = 0;

	for (; kg_cli_main.commands[n] && n + 1 < sizeof names / sizeof *names; n++)
		names[n] = kg_cli_main.commands[n]->name;
	names[n] = NULL;
	near = kg_cli_closest(name, names);
	if (near)
		return kg_cli_usage_error("unknown command '%s'; did you mean '%s'? (see 'kgraph --help')", name, near);
	return kg_cli_usage_error("unknown command '%s' (see 'kgraph --help')", name);
}

/* ---- parsing ------------------------------------------------------- */

void kg_cli_parser_init(kg_cli_parser *p, const kg_cli_command *cmd, int argc, char **argv)
{
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
}

/* The option of cmd called text ("--depth", or "-k" when short is set). */
static const kg_cli_option *find_option(const kg_cli_command *cmd, const char *text, size_t len, char short_name)
{
	const kg_cli_group *g;
	size_t i;

	for (g = cmd->groups; g && g->heading; g++)
		for (i = 0; g->options[i]; i++) {
			const kg_cli_option *o = g->options[i];
			if (short_name ? o->short_name == short_name
			               : o->name && strlen(o->name) == len && strncmp(o->name, text, len) == 0)
				return o;
		}
	return NULL;
}

static int check_number(kg_cli_arg *a, const kg_cli_command *cmd, const char *shown)
{
	const kg_cli_option *o = a->opt;
	const char *text = a->value, *p;
	unsigned long v = 0;

	for (p = text; *p >= '0' && *p <= '9'; p++)
		;
	errno = 0;
	if (*text && !*p)
		v = strtoul(text, NULL, 10);
	if (!*text || *p || (v < o->min && errno != ERANGE))
		return kg_cli_usage_error("%s: %s takes a whole number from %lu to %lu, not '%s'", cmd->name, shown, o->min,
		                          o->max, text);
	if (errno == ERANGE || v > o->max) {
		if (o->cap)
			return kg_cli_usage_error("%s: %s %s is more than %lu, the most kgraph allows (%s)", cmd->name, shown,
			                          text, o->max, o->cap);
		return kg_cli_usage_error("%s: %s takes a whole number from %lu to %lu, not '%s'", cmd->name, shown, o->min,
		                          o->max, text);
	}
	a->number = v;
	return EXIT_OK;
}

static int check_choice(kg_cli_arg *a, const kg_cli_command *cmd, const char *shown)
{
	const kg_cli_option *o = a->opt;
	kg_cli_buf list = {0};
	const char *near;
	int i, code;

	for (i = 0; o->values[i]; i++)
		if ((o->nocase ? strcasecmp : strcmp)(a->value, o->values[i]) == 0) {
			a->choice = i;
			return EXIT_OK;
		}
	kg_cli_put_values(&list, o->values);
	if (list.failed)
		return kg_cli_out_of_memory();
	near = kg_cli_closest(a->value, o->values);
	if (near)
		code = kg_cli_usage_error("%s: %s takes %s, not '%s'; did you mean '%s'?", cmd->name, shown, list.p,
		                          a->value, near);
	else
		code = kg_cli_usage_error("%s: %s takes %s, not '%s'", cmd->name, shown, list.p, a->value);
	kg_cli_buf_free(&list);
	return code;
}

int kg_cli_next(kg_cli_parser *p, kg_cli_arg *a, int *code)
{
	const kg_cli_command *cmd = p->cmd;
	const char *s, *inline_value = NULL;
	char shown[64];
	bool is_long;

	memset(a, 0, sizeof *a);
	*code = EXIT_OK;
	for (;;) {
		if (++p->i >= p->argc)
			return 0;
		s = p->argv[p->i];
		if (p->options_done || s[0] != '-' || strcmp(s, "-") == 0) {
			if (strcmp(s, "-") == 0) {
				if (p->stdin_used) {
					*code = kg_cli_usage_error("%s: standard input ('-') can be read only once", cmd->name);
					return -1;
				}
				p->stdin_used = true;
			}
			a->value = s;
			return 1;
		}
		if (strcmp(s, "--") != 0)
			break;
		p->options_done = true;
	}

	/* "--name", "--name=VALUE", "-k", "-kVALUE", "-k=VALUE". */
	is_long = s[1] == '-';
	if (is_long) {
		const char *eq = strchr(s, '=');
		a->opt = find_option(cmd, s, eq ? (size_t)(eq - s) : strlen(s), 0);
		inline_value = eq ? eq + 1 : NULL;
	} else {
		a->opt = find_option(cmd, s, 0, s[1]);
		if (a->opt && s[2])
			inline_value = s[2] == '=' ? s + 3 : s + 2;
		if (a->opt && inline_value && a->opt->kind == KG_CLI_FLAG)
			a->opt = NULL; /* "-quiet" is not "-q" */
	}
	if (!a->opt) {
		*code = kg_cli_unknown_option(cmd, s);
		return -1;
	}
	snprintf(shown, sizeof shown, "%.*s", is_long && inline_value ? (int)(inline_value - 1 - s) : (int)strlen(s),
	         s);
	if (!is_long)
		snprintf(shown, sizeof shown, "-%c", s[1]);
	if (a->opt->kind == KG_CLI_FLAG) {
		if (inline_value) {
			*code = kg_cli_usage_error("%s: %s takes no value (see 'kgraph %s --help')", cmd->name, shown, cmd->name);
			return -1;
		}
		if (a->opt->key == KG_OPT_HELP) {
			kg_cli_buf help = {0}; /* whole, for put_options' widths */
			kg_cli_put_help(&help, cmd);
			*code = kg_cli_buf_flush(&help, EXIT_OK);
			return -1;
		}
		return 1;
	}
	if (inline_value)
		a->value = inline_value;
	else if (p->i + 1 < p->argc)
		a->value = p->argv[++p->i];
	if (a->opt->kind == KG_CLI_PAIR && a->value && p->i + 1 < p->argc)
		a->value2 = p->argv[++p->i];
	if (!a->value || (a->opt->kind == KG_CLI_PAIR && !a->value2)) {
		if (a->opt->kind == KG_CLI_PAIR) {
			/* "FROM TO" reads "needs FROM and TO". */
			const char *sp = strchr(a->opt->arg, ' ');
			*code = kg_cli_usage_error("%s: %s needs %.*s and %s (see 'kgraph %s --help')", cmd->name, shown,
			                           (int)(sp - a->opt->arg), a->opt->arg, sp + 1, cmd->name);
		}
		else
			*code = kg_cli_usage_error("%s: %s needs a value (see 'kgraph %s --help')", cmd->name, shown, cmd->name);
		return -1;
	}
	if (a->opt->kind == KG_CLI_NUMBER)
		*code = check_number(a, cmd, shown);
	else if (a->opt->kind == KG_CLI_CHOICE)
		*code = check_choice(a, cmd, shown);
	return *code == EXIT_OK ? 1 : -1;
}

/* ---- --help -------------------------------------------------------- */

/* The column at which option and item texts start in --help. */
#define HELP_COLUMN 25

void kg_cli_put_values(kg_cli_buf *b, const char *const *values)
{
	size_t i;

	for (i = 0; values[i]; i++) {
		if (i)
			kg_cli_puts(b, values[i + 1] ? ", " : " or ");
		kg_cli_puts(b, values[i]);
	}
}

void kg_cli_put_option_name(kg_cli_buf *b, const kg_cli_option *o)
{
	if (o->short_name)
		kg_cli_printf(b, "-%c%s", o->short_name, o->name ? ", " : "");
	if (o->name)
		kg_cli_puts(b, o->name);
	if (o->arg)
		kg_cli_printf(b, " %s", o->arg);
}

/* text, its lines after the first indented to column indent. */
static void put_indented(kg_cli_buf *b, const char *text, size_t indent)
{
	const char *nl;

	for (; (nl = strchr(text, '\n')) != NULL; text = nl + 1)
		kg_cli_printf(b, "%.*s\n%*s", (int)(nl - text), text, (int)indent, "");
	kg_cli_printf(b, "%s\n", text);
}

/* "  TERM  text", terms padded to the widest. */
static void put_items(kg_cli_buf *b, const kg_cli_item *items)
{
	size_t width = 0, i;

	for (i = 0; items[i].term; i++)
		if (strlen(items[i].term) > width)
			width = strlen(items[i].term);
	for (i = 0; items[i].term; i++) {
		kg_cli_printf(b, "  %-*s  ", (int)width, items[i].term);
		put_indented(b, items[i].text, width + 4);
	}
}

static void put_options(kg_cli_buf *b, const kg_cli_option *const *options)
{
	size_t i;

	for (i = 0; options[i]; i++) {
		const kg_cli_option *o = options[i];
		size_t start = b->len, len;
		kg_cli_puts(b, o->short_name ? "  " : "      ");
		kg_cli_put_option_name(b, o);
		/* Pad to the column; a longer name keeps two spaces. */
		len = b->len - start;
		kg_cli_printf(b, "%*s", len < HELP_COLUMN ? (int)(HELP_COLUMN - len) : 2, "");
		put_indented(b, o->help, HELP_COLUMN);
	}
}

void kg_cli_put_help(kg_cli_buf *b, const kg_cli_command *cmd)
{
	const kg_cli_group *g;
	size_t i;

	kg_cli_printf(b, "Usage: kgraph %s%s%s\n\n", cmd->name ? cmd->name : "", cmd->name ? " " : "", cmd->usage);
	kg_cli_printf(b, "%s\n", cmd->description);
	if (cmd->commands) {
		kg_cli_item items[32];
		for (i = 0; cmd->commands[i] && i + 1 < sizeof items / sizeof *items; i++) {
			items[i].term = cmd->commands[i]->name;
			items[i].text = cmd->commands[i]->summary;
		}
		items[i].term = NULL;
		kg_cli_puts(b, "\nCommands:\n");
		put_items(b, items);
	}
	for (g = cmd->groups; g && g->heading; g++) {
		kg_cli_printf(b, "\n%s:\n", g->heading);
		put_options(b, g->options);
	}
	if (cmd->notes)
		kg_cli_printf(b, "\n%s\n", cmd->notes);
	if (cmd->exit_status)
		kg_cli_printf(b, "\nExit status: %s\n", cmd->exit_status);
	if (cmd->exit_codes) {
		kg_cli_puts(b, "\nExit status:\n");
		put_items(b, cmd->exit_codes);
	}
	if (cmd->environment) {
		kg_cli_puts(b, "\nEnvironment:\n");
		put_items(b, cmd->environment);
	}
	if (cmd->examples && cmd->examples[0]) {
		kg_cli_printf(b, "\nExample%s:\n", cmd->examples[1] ? "s" : "");
		for (i = 0; cmd->examples[i]; i++)
			kg_cli_printf(b, "  %s\n", cmd->examples[i]);
	}
}
