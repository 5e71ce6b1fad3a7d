/*
 * generate.c - the man page kgraph(1) and the bash, zsh and fish
 * completions, written from the same option tables as --help.
 *
 * The build runs `kgraph --generate man|bash|zsh|fish` and installs what
 * it prints, so an option added to a table reaches all four without a
 * second edit. Each writer escapes for its language: roff (backslashes,
 * hyphens, a leading dot or quote, non-ASCII as \[uXXXX]), and single
 * quotes for the shells.
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <stdio.h>
#include <string.h>

/* Every option of cmd, in table order. */
#define EACH_OPTION(cmd, g, i, o)                                 \
	for (g = (cmd)->groups; g && g->heading; g++)             \
		for (i = 0; (o = g->options[i]) != NULL; i++)

/* ---- man ----------------------------------------------------------- */

/* text as roff: filled, a blank line a new paragraph. */
static void put_roff(kg_cli_buf *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	bool line_start = true;

	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			kg_cli_puts(b, "\\&");
		line_start = false;
		if (*s == '\n' && s[1] == '\n') {
			kg_cli_puts(b, "\n.PP\n");
			line_start = true;
			s++;
		} else if (*s == '\n') {
			kg_cli_puts(b, "\n");
			line_start = true;
		} else if (*s == '\\') {
			kg_cli_puts(b, "\\e");
		} else if (*s == '-') {
			kg_cli_puts(b, "\\-");
		} else if (*s >= 0xC0) {
			/* Decode one UTF-8 sequence (the texts are ours, so valid). */
			unsigned long c = *s >= 0xF0 ? *s & 0x07u : *s >= 0xE0 ? *s & 0x0Fu : *s & 0x1Fu;
			while ((s[1] & 0xC0) == 0x80)
				c = c << 6 | (*++s & 0x3Fu);
			kg_cli_printf(b, "\\[u%04lX]", c);
		} else {
			kg_cli_put(b, (const char *)s, 1);
		}
	}
}

static void put_roff_option(kg_cli_buf *b, const kg_cli_option *o)
{
	kg_cli_puts(b, ".TP\n");
	if (o->short_name)
		kg_cli_printf(b, "\\fB\\-%c\\fR%s", o->short_name, o->name ? ", " : "");
	if (o->name) {
		kg_cli_puts(b, "\\fB");
		put_roff(b, o->name);
		kg_cli_puts(b, "\\fR");
	}
	if (o->arg) {
		kg_cli_puts(b, " \\fI");
		put_roff(b, o->arg);
		kg_cli_puts(b, "\\fR");
	}
	kg_cli_puts(b, "\n");
	put_roff(b, o->help);
	kg_cli_puts(b, "\n");
}

static void put_roff_items(kg_cli_buf *b, const kg_cli_item *items)
{
	for (; items->term; items++) {
		kg_cli_puts(b, ".TP\n\\fB");
		put_roff(b, items->term);
		kg_cli_puts(b, "\\fR\n");
		put_roff(b, items->text);
		kg_cli_puts(b, "\n");
	}
}

static void put_roff_examples(kg_cli_buf *b, const char *const *examples)
{
	kg_cli_puts(b, ".PP\n.RS\n.nf\n");
	for (; *examples; examples++) {
		put_roff(b, *examples);
		kg_cli_puts(b, "\n");
	}
	kg_cli_puts(b, ".fi\n.RE\n");
}

static void put_roff_groups(kg_cli_buf *b, const kg_cli_command *cmd, const char *heading_macro)
{
	const kg_cli_group *g;
	size_t i;

	for (g = cmd->groups; g && g->heading; g++) {
		kg_cli_printf(b, "%s ", heading_macro);
		put_roff(b, g->heading);
		kg_cli_puts(b, ":\n");
		for (i = 0; g->options[i]; i++)
			put_roff_option(b, g->options[i]);
	}
}

static void generate_man(kg_cli_buf *b)
{
	const kg_cli_command *m = &kg_cli_main;
	size_t i;

	kg_cli_puts(b, ".\\\" kgraph.1 - written by `kgraph --generate man` from the option tables\n");
	kg_cli_printf(b, ".TH KGRAPH 1 \"\" \"kgraph %s\" \"User Commands\"\n.nh\n", kg_version());
	kg_cli_puts(b, ".SH NAME\nkgraph \\- build knowledge graphs from YAML files and ask them questions\n");
	kg_cli_puts(b, ".SH SYNOPSIS\n.nf\n\\fBkgraph\\fR ");
	put_roff(b, m->usage);
	kg_cli_puts(b, "\n");
	for (i = 0; m->commands[i]; i++) {
		kg_cli_printf(b, "\\fBkgraph %s\\fR ", m->commands[i]->name);
		put_roff(b, m->commands[i]->usage);
		kg_cli_puts(b, "\n");
	}
	kg_cli_puts(b, "\\fBkgraph \\-\\-help\\fR | \\fB\\-\\-version\\fR\n.fi\n");
	kg_cli_puts(b, ".SH DESCRIPTION\n");
	put_roff(b, m->description);
	kg_cli_puts(b, "\n.PP\n");
	put_roff(b, m->notes);
	kg_cli_puts(b, "\n.SH OPTIONS\n");
	for (i = 0; m->groups[0].options[i]; i++)
		put_roff_option(b, m->groups[0].options[i]);
	kg_cli_puts(b, ".SH COMMANDS\n");
	for (i = 0; m->commands[i]; i++) {
		const kg_cli_command *c = m->commands[i];
		kg_cli_printf(b, ".SS \"kgraph %s\"\n", c->name);
		put_roff(b, c->description);
		kg_cli_puts(b, "\n");
		put_roff_groups(b, c, ".PP\n.I");
		if (c->exit_status) {
			kg_cli_puts(b, ".PP\nExit status: ");
			put_roff(b, c->exit_status);
			kg_cli_puts(b, "\n");
		}
		if (c->examples) {
			kg_cli_puts(b, ".PP\nExamples:\n");
			put_roff_examples(b, c->examples);
		}
	}
	kg_cli_puts(b, ".SH EXIT STATUS\n");
	put_roff_items(b, m->exit_codes);
	kg_cli_puts(b, ".SH ENVIRONMENT\n");
	put_roff_items(b, m->environment);
	kg_cli_puts(b, ".SH EXAMPLES\n");
	put_roff_examples(b, m->examples);
	kg_cli_puts(b, ".SH SEE ALSO\n\\fBdot\\fR(1)\n");
}

/* ---- shells -------------------------------------------------------- */

/* text for inside single quotes, lines joined: each char of backslashed
 * gets a backslash (fish: ' and \; zsh's _arguments: [ ] and \), and
 * a quote that is not among them ends the quotes for a moment ('\''),
 * as POSIX shells need. */
static void put_escaped(kg_cli_buf *b, const char *text, const char *backslashed)
{
	for (; *text; text++) {
		if (*text == '\n')
			kg_cli_puts(b, " ");
		else if (strchr(backslashed, *text))
			kg_cli_printf(b, "\\%c", *text);
		else if (*text == '\'')
			kg_cli_puts(b, "'\\''");
		else
			kg_cli_put(b, text, 1);
	}
}

/* The values separated by spaces. */
static void put_words(kg_cli_buf *b, const char *const *values)
{
	size_t i;

	for (i = 0; values[i]; i++)
		kg_cli_printf(b, "%s%s", i ? " " : "", values[i]);
}

static void put_command_names(kg_cli_buf *b)
{
	size_t i;

	for (i = 0; kg_cli_main.commands[i]; i++)
		kg_cli_printf(b, "%s%s", i ? " " : "", kg_cli_main.commands[i]->name);
}

/* "-k --max-hops" (sep " ") or "-k|--max-hops" (sep "|"). */
static void put_spellings(kg_cli_buf *b, const kg_cli_option *o, const char *sep)
{
	if (o->short_name)
		kg_cli_printf(b, "-%c%s", o->short_name, o->name ? sep : "");
	if (o->name)
		kg_cli_puts(b, o->name);
}

static void generate_bash(kg_cli_buf *b)
{
	const kg_cli_command *const *c;
	const kg_cli_group *g;
	const kg_cli_option *o;
	size_t i;

	kg_cli_puts(b, "# bash completion for kgraph - written by `kgraph --generate bash` from the option tables\n"
	               "_kgraph()\n{\n"
	               "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
	               "\tCOMPREPLY=()\n"
	               "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	               "\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
	               "\tdone\n"
	               "\tif [[ -z $cmd ]]; then\n"
	               "\t\tif [[ $cur == -* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W '");
	EACH_OPTION(&kg_cli_main, g, i, o) {
		put_spellings(b, o, " ");
		kg_cli_puts(b, " ");
	}
	kg_cli_puts(b, "' -- \"$cur\"))\n\t\telse\n\t\t\tCOMPREPLY=($(compgen -W '");
	put_command_names(b);
	kg_cli_puts(b, "' -- \"$cur\"))\n\t\tfi\n\t\treturn\n\tfi\n\tcase $cmd in\n");
	for (c = kg_cli_main.commands; *c; c++) {
		kg_cli_printf(b, "\t%s)\n\t\tcase $prev in\n", (*c)->name);
		EACH_OPTION(*c, g, i, o) {
			if (o->kind == KG_CLI_FLAG)
				continue;
			kg_cli_puts(b, "\t\t");
			put_spellings(b, o, "|");
			if (o->kind == KG_CLI_CHOICE) {
				kg_cli_puts(b, ") COMPREPLY=($(compgen -W '");
				put_words(b, o->values);
				kg_cli_puts(b, "' -- \"$cur\")); return ;;\n");
			} else if (o->kind == KG_CLI_FILE) {
				kg_cli_puts(b, ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
			} else {
				kg_cli_puts(b, ") return ;; # a value: nothing to offer\n");
			}
		}
		kg_cli_puts(b, "\t\tesac\n\t\tif [[ $cur == -* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W '");
		EACH_OPTION(*c, g, i, o) {
			put_spellings(b, o, " ");
			kg_cli_puts(b, " ");
		}
		kg_cli_puts(b, "' -- \"$cur\"))\n\t\t\treturn\n\t\tfi\n");
		if ((*c)->operands_are_commands) {
			kg_cli_puts(b, "\t\tCOMPREPLY=($(compgen -W '");
			put_command_names(b);
			kg_cli_puts(b, "' -- \"$cur\"))\n\t\treturn\n");
		}
		kg_cli_puts(b, "\t\t;;\n");
	}
	kg_cli_puts(b, "\tesac\n\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n}\n"
	               "complete -o filenames -F _kgraph kgraph\n");
}

/* One _arguments spec of zsh: '(-o --output)'{-o+,--output=}'[help]:OUT:_files'. */
static void put_zsh_option(kg_cli_buf *b, const kg_cli_option *o)
{
	bool value = o->kind != KG_CLI_FLAG && o->kind != KG_CLI_PAIR;
	const char *repeat = o->kind == KG_CLI_NAMES || o->kind == KG_CLI_STRING ? "*" : "";

	kg_cli_puts(b, " \\\n\t\t");
	if (o->short_name && o->name)
		kg_cli_printf(b, "'%s(-%c %s)'{-%c%s,%s%s}'", repeat, o->short_name, o->name, o->short_name,
		              value ? "+" : "", o->name, value ? "=" : "");
	else if (o->short_name)
		kg_cli_printf(b, "'%s-%c%s", repeat, o->short_name, value ? "+" : "");
	else
		kg_cli_printf(b, "'%s%s%s", repeat, o->name, value ? "=" : "");
	kg_cli_puts(b, "[");
	put_escaped(b, o->help, "\\[]");
	kg_cli_puts(b, "]");
	if (o->kind == KG_CLI_CHOICE) {
		kg_cli_printf(b, ":%s:(", o->arg);
		put_words(b, o->values);
		kg_cli_puts(b, ")");
	} else if (o->kind == KG_CLI_FILE) {
		kg_cli_printf(b, ":%s:_files", o->arg);
	} else if (o->kind == KG_CLI_PAIR) {
		kg_cli_puts(b, ":FROM: :TO: ");
	} else if (value) {
		kg_cli_printf(b, ":%s: ", o->arg);
	}
	kg_cli_puts(b, "'");
}

static void generate_zsh(kg_cli_buf *b)
{
	const kg_cli_command *const *c;
	const kg_cli_group *g;
	const kg_cli_option *o;
	size_t i;

	kg_cli_puts(b, "#compdef kgraph\n# zsh completion for kgraph - written by `kgraph --generate zsh` from the option tables\n");
	for (c = kg_cli_main.commands; *c; c++) {
		kg_cli_printf(b, "\n_kgraph_%s()\n{\n\t_arguments -S", (*c)->name);
		EACH_OPTION(*c, g, i, o)
			put_zsh_option(b, o);
		if ((*c)->operands_are_commands) {
			kg_cli_puts(b, " \\\n\t\t'1:command:(");
			put_command_names(b);
			kg_cli_puts(b, ")'\n}\n");
		} else {
			kg_cli_puts(b, " \\\n\t\t'*:file:_files'\n}\n");
		}
	}
	kg_cli_puts(b, "\n_kgraph()\n{\n\tlocal -a commands\n\tcommands=(\n");
	for (c = kg_cli_main.commands; *c; c++) {
		kg_cli_printf(b, "\t\t'%s:", (*c)->name);
		put_escaped(b, (*c)->summary, "");
		kg_cli_puts(b, "'\n");
	}
	kg_cli_puts(b, "\t)\n\tif (( CURRENT == 2 )); then\n\t\tif [[ $PREFIX == -* ]]; then\n\t\t\t_arguments");
	EACH_OPTION(&kg_cli_main, g, i, o)
		put_zsh_option(b, o);
	kg_cli_puts(b, "\n\t\telse\n\t\t\t_describe -t commands 'kgraph command' commands\n\t\tfi\n\t\treturn\n\tfi\n"
	               "\tlocal cmd=$words[2]\n\tshift words\n\t(( CURRENT-- ))\n\tcase $cmd in\n");
	for (c = kg_cli_main.commands; *c; c++)
		kg_cli_printf(b, "\t%s) _kgraph_%s ;;\n", (*c)->name, (*c)->name);
	kg_cli_puts(b, "\tesac\n}\n\nif [[ $funcstack[1] == _kgraph ]]; then\n\t_kgraph \"$@\"\nelse\n"
	               "\tcompdef _kgraph kgraph\nfi\n");
}

/* The start of a fish `complete` line for option o of command name
 * (NULL: kgraph's own). */
static void put_fish_start(kg_cli_buf *b, const char *name, const char *commands, const kg_cli_option *o)
{
	if (name)
		kg_cli_printf(b, "complete -c kgraph -n '__fish_seen_subcommand_from %s'", name);
	else
		kg_cli_printf(b, "complete -c kgraph -n 'not __fish_seen_subcommand_from %s'", commands);
	if (o->short_name)
		kg_cli_printf(b, " -s %c", o->short_name);
	if (o->name)
		kg_cli_printf(b, " -l %s", o->name + 2);
}

static void put_fish_option(kg_cli_buf *b, const char *name, const char *commands, const kg_cli_option *o)
{
	/* The values on a line of their own: with the option's -d they
	 * would each be shown with the option's help. */
	if (o->kind == KG_CLI_CHOICE) {
		put_fish_start(b, name, commands, o);
		kg_cli_puts(b, " -x -a '");
		put_words(b, o->values);
		kg_cli_puts(b, "'\n");
	}
	put_fish_start(b, name, commands, o);
	if (o->kind == KG_CLI_FILE)
		kg_cli_puts(b, " -r -F");
	else if (o->kind != KG_CLI_FLAG)
		kg_cli_puts(b, " -x");
	kg_cli_puts(b, " -d '");
	put_escaped(b, o->help, "\\'");
	kg_cli_puts(b, "'\n");
}

static void generate_fish(kg_cli_buf *b)
{
	const kg_cli_command *const *c;
	const kg_cli_group *g;
	const kg_cli_option *o;
	kg_cli_buf names = {0};
	size_t i;

	put_command_names(&names);
	if (names.failed) {
		b->failed = true;
		return;
	}
	kg_cli_puts(b, "# fish completion for kgraph - written by `kgraph --generate fish` from the option tables\n"
	               "complete -c kgraph -f\n");
	for (c = kg_cli_main.commands; *c; c++) {
		kg_cli_printf(b, "complete -c kgraph -n 'not __fish_seen_subcommand_from %s' -a %s -d '", names.p,
		              (*c)->name);
		put_escaped(b, (*c)->summary, "\\'");
		kg_cli_puts(b, "'\n");
	}
	EACH_OPTION(&kg_cli_main, g, i, o)
		put_fish_option(b, NULL, names.p, o);
	for (c = kg_cli_main.commands; *c; c++) {
		kg_cli_printf(b, "\n# kgraph %s\n", (*c)->name);
		if ((*c)->operands_are_commands)
			kg_cli_printf(b, "complete -c kgraph -n '__fish_seen_subcommand_from %s' -a '%s'\n", (*c)->name, names.p);
		else
			kg_cli_printf(b, "complete -c kgraph -n '__fish_seen_subcommand_from %s' -F\n", (*c)->name);
		EACH_OPTION(*c, g, i, o)
			put_fish_option(b, (*c)->name, names.p, o);
	}
	kg_cli_buf_free(&names);
}

int kg_cli_generate(const char *what)
{
	kg_cli_buf b = {.stream = stdout};

	if (strcmp(what, "man") == 0)
		generate_man(&b);
	else if (strcmp(what, "bash") == 0)
		generate_bash(&b);
	else if (strcmp(what, "zsh") == 0)
		generate_zsh(&b);
	else if (strcmp(what, "fish") == 0)
		generate_fish(&b);
	else
		return kg_cli_usage_error("--generate takes man, bash, zsh or fish, not '%s'", what);
	return kg_cli_buf_flush(&b, EXIT_OK);
}
