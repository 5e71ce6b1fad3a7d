/*
 * golden.c - runs one golden case of the kgraph command: the case's
 * arguments, stdin and input files go in, and what it prints on stdout and
 * stderr and its exit status must be exactly what the case says; with
 * --update (or KGRAPH_UPDATE=1) they are written back into the case file.
 *
 *   golden --kgraph PATH --root SRC --work DIR [--timeout S] [--update] FILE.test NAME
 *   golden --extract DIR FILE.test...
 *
 * The case format is in tests/cli/README.md: "=== NAME", "$ kgraph ARGS",
 * "exit N", then blocks "-- stdin --", "-- stdout --", "-- stderr --" and
 * "-- FILE --" (an input file), each running to the next marker without
 * its trailing blank lines; "-- X (escaped) --" spells the content with
 * \n \t \e \\ \xHH and its line breaks do not count. An update writes
 * that form only for what a plain block cannot hold exactly.
 *
 * Where a case runs: paths in the arguments and in kgraph's messages must
 * stay short and the same everywhere, as if the command ran in
 * tests/cli/inputs ("query-small.yaml", "../../../graphs/x.yaml"). So each
 * case gets WORK/NAME/tests/cli/inputs: real folders from the root down,
 * every other entry on the way a link into the source tree, links to the
 * shared inputs, and the case's own files written beside them. Only an
 * update writes into the source tree; parallel updates take a lock in WORK.
 *
 * With --snapshot the case runs through a snapshot of its one YAML input
 * (snapshot_case): the output must be the same, byte for byte.
 *
 * KGRAPH_WRAPPER is a command put before kgraph (split like the arguments),
 * e.g. "valgrind -q --error-exitcode=99". --extract writes every case's
 * input files into DIR/NAME/, for the tests that read all the project's YAML.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Buffers and failure ---------------------------------------------- */

struct buf {
	char *data;
	size_t len, cap;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("golden: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* realloc that never returns NULL: a test helper has nothing to recover. */
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *path_join(const char *a, const char *b)
{
	struct buf p = {0};

	buf_str(&p, a);
	buf_str(&p, "/");
	buf_str(&p, b);
	return p.data;
}

static struct buf read_file(const char *path)
{
	struct buf b = {0};
	char chunk[65536];
	size_t got;
	FILE *f = fopen(path, "rb");

	if (!f)
		die("%s: %s", path, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	buf_add(&b, "", 0);
	return b;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("%s: cannot write: %s", path, strerror(errno));
}

/* ---- Words: the command line and KGRAPH_WRAPPER ----------------------- */

/* Splits a line into words as a POSIX shell would, with no expansion:
 * blanks separate, '...' is literal, "..." takes \" and \\, and outside
 * quotes a backslash takes the next character as it is. */
static int split_words(const char *s, char ***out)
{
	char **words = NULL;
	int n = 0;

	for (;;) {
		struct buf w = {0};
		int have = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		buf_add(&w, "", 0);
		while (*s && *s != ' ' && *s != '\t') {
			have = 1;
			if (*s == '\'') {
				const char *end = strchr(s + 1, '\'');
				if (!end)
					die("unterminated ' in: %s", s);
				buf_add(&w, s + 1, (size_t)(end - s - 1));
				s = end + 1;
			} else if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					buf_add(&w, s, 1);
				}
				if (!*s)
					die("unterminated \" in a command line");
				s++;
			} else {
				if (*s == '\\' && s[1])
					s++;
				buf_add(&w, s++, 1);
			}
		}
		words = xrealloc(words, sizeof *words * (size_t)(n + 2));
		words[n++] = have ? w.data : xstrndup("", 0);
		words[n] = NULL;
	}
	*out = words;
	return n;
}

/* ---- The case file ---------------------------------------------------- */

enum kind { K_FILE, K_STDIN, K_STDOUT, K_STDERR };

struct block {
	enum kind kind;
	char *name;		/* the file's name, for K_FILE */
	struct buf content;	/* decoded */
	size_t start, end;	/* header line .. last content line, in the file */
};

struct gcase {
	char *name;
	size_t start, end;	/* "=== " line .. the next case */
	size_t head_end;	/* end of the last non-blank header line */
	size_t cmd_end;		/* end of the "$ kgraph" line */
	size_t exit_start, exit_end;	/* the "exit N" line, if any */
	int has_exit, exit_code;
	char **args;
	int nargs;
	struct block *blocks;
	size_t nblocks;
};

struct casefile {
	const char *path;
	struct buf text;
	struct gcase *cases;
	size_t ncases;
};

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static int is_case_marker(const char *s, size_t n)
{
	return starts(s, n, "=== ");
}

static int is_block_marker(const char *s, size_t n)
{
	return n >= 7 && starts(s, n, "-- ") && memcmp(s + n - 3, " --", 3) == 0;
}

static int is_blank(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one line of an escaped block; its line break does not count. */
static void unescape_line(struct buf *out, const char *s, size_t n, const char *path, int lineno)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\\') {
			buf_add(out, &c, 1);
			continue;
		}
		c = ++i < n ? s[i] : '\0';
		if (c == 'n' || c == 't' || c == 'e' || c == '\\') {
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'e' ? '\033' : '\\';
		} else if (c == 'x' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
			   hexval((unsigned char)s[i + 2]) >= 0) {
			c = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			die("%s:%d: unknown escape in an escaped block (use \\n \\t \\e \\\\ \\xHH)", path, lineno);
		}
		buf_add(out, &c, 1);
	}
}

/* Ends the block being read: drops its trailing blank lines and decodes
 * what is left. */
static void finish_block(struct casefile *cf, struct block *b, size_t first, size_t last_end,
			 int escaped, int first_lineno)
{
	const char *t = cf->text.data;
	size_t pos = first;
	int lineno = first_lineno;

	b->end = last_end;
	buf_add(&b->content, "", 0);
	while (pos < last_end) {
		const char *nl = memchr(t + pos, '\n', last_end - pos);
		size_t n = nl ? (size_t)(nl - (t + pos)) : last_end - pos;
		if (escaped)
			unescape_line(&b->content, t + pos, n, cf->path, lineno);
		else {
			buf_add(&b->content, t + pos, n);
			buf_add(&b->content, "\n", 1);
		}
		pos += n + 1;
		lineno++;
	}
}

static void parse_command(struct casefile *cf, struct gcase *c, const char *line, size_t n, int lineno)
{
	char *s = xstrndup(line, n);
	char **words;
	int nw = split_words(s + 2, &words);

	if (c->args)
		die("%s:%d: a second command in case %s", cf->path, lineno, c->name);
	if (nw < 1 || strcmp(words[0], "kgraph") != 0)
		die("%s:%d: the command must start with \"$ kgraph\"", cf->path, lineno);
	free(words[0]);
	c->args = words + 1;
	c->nargs = nw - 1;
	free(s);
}

static void parse_casefile(struct casefile *cf, const char *path)
{
	const char *t;
	size_t pos = 0, len;
	int lineno = 0;
	struct gcase *c = NULL;
	struct block *b = NULL;
	size_t content_first = 0, content_end = 0;
	int escaped = 0, content_lineno = 0;

	cf->path = path;
	cf->text = read_file(path);
	t = cf->text.data;
	len = cf->text.len;
	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (t + pos)) : len - pos;
		size_t next = nl ? pos + n + 1 : len;
		const char *line = t + pos;

		lineno++;
		if (is_case_marker(line, n) || (c && is_block_marker(line, n))) {
			if (b)
				finish_block(cf, b, content_first, content_end, escaped, content_lineno);
			b = NULL;
		}
		if (is_case_marker(line, n)) {
			size_t i;
			if (c)
				c->end = pos;
			cf->cases = xrealloc(cf->cases, sizeof *cf->cases * (cf->ncases + 1));
			c = &cf->cases[cf->ncases++];
			memset(c, 0, sizeof *c);
			c->start = pos;
			c->head_end = next;
			c->name = xstrndup(line + 4, n - 4);
			if (!c->name[0])
				die("%s:%d: a case without a name", path, lineno);
			for (i = 0; c->name[i]; i++)
				if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
					    c->name[i]))
					die("%s:%d: a case name is letters, digits, '.', '_' and '-'", path, lineno);
		} else if (c && is_block_marker(line, n)) {
			char *name = xstrndup(line + 3, n - 6);
			size_t k = strlen(name);
			escaped = k > 10 && strcmp(name + k - 10, " (escaped)") == 0;
			if (escaped)
				name[k - 10] = '\0';
			c->blocks = xrealloc(c->blocks, sizeof *c->blocks * (c->nblocks + 1));
			b = &c->blocks[c->nblocks++];
			memset(b, 0, sizeof *b);
			b->start = pos;
			b->kind = !strcmp(name, "stdin") ? K_STDIN : !strcmp(name, "stdout") ? K_STDOUT
				: !strcmp(name, "stderr") ? K_STDERR : K_FILE;
			b->name = name;
			if (b->kind == K_FILE && (name[0] == '/' || strstr(name, "..") || strchr(name, ' ')))
				die("%s:%d: an input file's name is relative, without '..' or spaces", path, lineno);
			content_first = next;
			content_end = next;
			content_lineno = lineno + 1;
		} else if (b) {
			if (!is_blank(line, n))
				content_end = next;
		} else if (c) {
			if (is_blank(line, n) || line[0] == '#') {
				/* spacing and comments */
			} else if (starts(line, n, "$ ")) {
				parse_command(cf, c, line, n, lineno);
				c->cmd_end = next;
			} else if (starts(line, n, "exit ")) {
				char *end;
				c->exit_code = (int)strtol(line + 5, &end, 10);
				if (end != line + n || n == 5)
					die("%s:%d: expected \"exit N\"", path, lineno);
				c->has_exit = 1;
				c->exit_start = pos;
				c->exit_end = next;
			} else {
				die("%s:%d: expected a comment, \"$ kgraph ...\", \"exit N\" or \"-- NAME --\"",
				    path, lineno);
			}
			if (!is_blank(line, n))
				c->head_end = next;
		}
		pos = next;
	}
	if (b)
		finish_block(cf, b, content_first, content_end, escaped, content_lineno);
	if (c)
		c->end = len;
}

static struct gcase *find_case(struct casefile *cf, const char *name)
{
	size_t i;

	for (i = 0; i < cf->ncases; i++)
		if (!strcmp(cf->cases[i].name, name))
			return &cf->cases[i];
	die("%s: no case named %s", cf->path, name);
	return NULL;
}

static const struct buf *block_of(const struct gcase *c, enum kind kind)
{
	size_t i;

	for (i = 0; i < c->nblocks; i++)
		if (c->blocks[i].kind == kind)
			return &c->blocks[i].content;
	return NULL;
}

static void free_casefile(struct casefile *cf)
{
	size_t i, k;
	int a;

	for (i = 0; i < cf->ncases; i++) {
		struct gcase *c = &cf->cases[i];
		for (k = 0; k < c->nblocks; k++) {
			free(c->blocks[k].name);
			free(c->blocks[k].content.data);
		}
		for (a = 0; a < c->nargs; a++)
			free(c->args[a]);
		if (c->args)
			free(c->args - 1);	/* words[0] was "kgraph" */
		free(c->blocks);
		free(c->name);
	}
	free(cf->cases);
	free(cf->text.data);
}

/* ---- Writing a block back --------------------------------------------- */

/* The length of the valid UTF-8 sequence at s (2 to 4 bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t k, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfeff)
		return 0;	/* overlong, surrogate, too large, or an invisible BOM */
	return k;
}

/* Whether the content can be written as a plain block and read back the
 * same: text lines, each ended by a newline, none ending in a blank or
 * looking like a marker, and no blank line at the end. */
static int plain_ok(const char *s, size_t n)
{
	size_t i, line = 0;

	if (n == 0)
		return 1;
	if (s[n - 1] != '\n' || n == 1 || s[n - 2] == '\n')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			if (i > line && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				return 0;
			if (is_case_marker(s + line, i - line) || is_block_marker(s + line, i - line))
				return 0;
			line = i + 1;
		} else if (c >= 0x80) {
			size_t k = utf8_seq((const unsigned char *)s + i, n - i);
			if (!k)
				return 0;
			i += k - 1;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return 0;
		}
	}
	return 1;
}

static void escape_into(struct buf *out, const char *s, size_t n)
{
	size_t i;
	char hex[8];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int line_start = i == 0 || s[i - 1] == '\n';
		size_t k;
		if (line_start && (starts(s + i, n - i, "=== ") || starts(s + i, n - i, "-- "))) {
			snprintf(hex, sizeof hex, "\\x%02x", c);
			buf_str(out, hex);
		} else if (c == '\\') {
			buf_str(out, "\\\\");
		} else if (c == '\n') {
			buf_str(out, "\\n\n");
		} else if (c == '\t') {
			buf_str(out, "\\t");
		} else if (c == 033) {
			buf_str(out, "\\e");
		} else if (c >= 0x80 && (k = utf8_seq((const unsigned char *)s + i, n - i)) > 0) {
			buf_add(out, s + i, k);
			i += k - 1;
		} else if (c < 0x20 || c >= 0x7f || (c == ' ' && i == n - 1)) {
			snprintf(hex, sizeof hex, "\\x%02x", c);
			buf_str(out, hex);
		} else {
			buf_add(out, s + i, 1);
		}
	}
	if (n > 0 && s[n - 1] != '\n')
		buf_str(out, "\n");
}

/* Appends "-- NAME --" and the content, plain when it can be. */
static void write_block(struct buf *out, const char *name, const struct buf *content)
{
	int plain = plain_ok(content->data, content->len);

	buf_str(out, "-- ");
	buf_str(out, name);
	buf_str(out, plain ? " --\n" : " (escaped) --\n");
	if (plain)
		buf_add(out, content->data, content->len);
	else
		escape_into(out, content->data, content->len);
}

/* ---- Files and folders ------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		die("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

static void remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		die("cannot remove %s", path);
}

static void make_dirs(const char *path)
{
	char *p = xstrndup(path, strlen(path));
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			die("cannot create %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", p, strerror(errno));
	free(p);
}

/* Links each entry of the folder src into dst, except the one named skip. */
static void link_entries(const char *src, const char *dst, const char *skip)
{
	DIR *d = opendir(src);
	struct dirent *e;

	if (!d)
		die("%s: %s", src, strerror(errno));
	while ((e = readdir(d))) {
		char *from, *to;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (skip && !strcmp(e->d_name, skip)))
			continue;
		from = path_join(src, e->d_name);
		to = path_join(dst, e->d_name);
		if (symlink(from, to) != 0)
			die("cannot link %s: %s", to, strerror(errno));
		free(from);
		free(to);
	}
	closedir(d);
}

/* Writes a case's input files into dir, making the folders they name. */
static void write_inputs(const struct gcase *c, const char *dir, int may_exist)
{
	size_t i;

	for (i = 0; i < c->nblocks; i++) {
		const struct block *b = &c->blocks[i];
		char *path, *slash;
		struct stat st;
		if (b->kind != K_FILE)
			continue;
		path = path_join(dir, b->name);
		if (!may_exist && lstat(path, &st) == 0)
			die("case %s: its file %s has the name of a shared input", c->name, b->name);
		slash = strrchr(path, '/');
		*slash = '\0';
		make_dirs(path);
		*slash = '/';
		write_file(path, b->content.data, b->content.len);
		free(path);
	}
}

/* Builds WORK/NAME: real folders from the root down to the folder the case
 * runs in, every other entry a link to the source tree (see the top). */
static char *make_workdir(const char *root, const char *rundir, const char *work, const struct gcase *c)
{
	char real_root[PATH_MAX], real_run[PATH_MAX];
	char *src, *dst, *rel, *part;
	size_t k;

	if (!realpath(root, real_root) || !realpath(rundir, real_run))
		die("%s or %s: %s", root, rundir, strerror(errno));
	k = strlen(real_root);
	if (strncmp(real_run, real_root, k) != 0 || (real_run[k] != '/' && real_run[k] != '\0'))
		die("%s is not inside %s", rundir, root);
	dst = path_join(work, c->name);
	remove_tree(dst);
	make_dirs(dst);
	src = xstrndup(real_root, k);
	rel = xstrndup(real_run + k, strlen(real_run + k));
	for (part = strtok(rel, "/"); part; part = strtok(NULL, "/")) {
		char *s2, *d2;
		link_entries(src, dst, part);
		s2 = path_join(src, part);
		d2 = path_join(dst, part);
		free(src);
		free(dst);
		src = s2;
		dst = d2;
		if (mkdir(dst, 0777) != 0)
			die("cannot create %s: %s", dst, strerror(errno));
	}
	link_entries(src, dst, NULL);
	write_inputs(c, dst, 0);
	free(src);
	free(rel);
	return dst;
}

/* ---- Running the command ---------------------------------------------- */

struct result {
	struct buf out, err;
	int code;		/* the exit status, or -1 */
	char why[128];		/* why there is no exit status */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(char **argv, const char *cwd, const char *stdin_path, int timeout, struct result *r)
{
	int out[2], err[2], status, open_fds = 2;
	double deadline = now() + timeout;
	struct pollfd fds[2];
	pid_t pid;

	if (pipe(out) != 0 || pipe(err) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int in = open(stdin_path, O_RDONLY);
		setpgid(0, 0);	/* so that a timeout kills the wrapper's children too */
		if (in < 0 || chdir(cwd) != 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0) {
			perror("golden: child");
			_exit(127);
		}
		close(out[0]), close(err[0]), close(out[1]), close(err[1]), close(in);
		execvp(argv[0], argv);
		fprintf(stderr, "golden: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	fds[0].fd = out[0];
	fds[1].fd = err[0];
	fds[0].events = fds[1].events = POLLIN;
	while (open_fds > 0) {
		double left = deadline - now();
		int i, ready = left > 0 ? poll(fds, 2, (int)(left * 1000) + 1) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			die("poll: %s", strerror(errno));
		if (ready == 0) {
			kill(-pid, SIGKILL);
			snprintf(r->why, sizeof r->why, "timed out after %d seconds", timeout);
			break;
		}
		for (i = 0; i < 2; i++) {
			char chunk[65536];
			ssize_t got;
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			got = read(fds[i].fd, chunk, sizeof chunk);
			if (got > 0) {
				buf_add(i ? &r->err : &r->out, chunk, (size_t)got);
			} else if (got == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	if (fds[0].fd >= 0)
		close(fds[0].fd);
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	buf_add(&r->out, "", 0);
	buf_add(&r->err, "", 0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	r->code = -1;
	if (r->why[0])
		return;
	if (WIFEXITED(status))
		r->code = WEXITSTATUS(status);
	else
		snprintf(r->why, sizeof r->why, "killed by signal %d", WTERMSIG(status));
}

/* --snapshot: compile the case's one .yaml argument (cmd[at]) into the
 * folder the case runs in and name the snapshot instead, so that the case checks that
 * a command gives the same output on a snapshot as on its YAML. Returns
 * 0, or 77 (skipped, with the reason on stdout) for a case a snapshot
 * cannot take: its YAML does not compile (the case is about loading
 * it), it reads standard input, it prints timings, or it is a diff (which
 * names each side by its file). */
static int snapshot_case(char **cmd, int n0, int at, const char *cwd, int timeout, int has_stdin, char **kgs_out)
{
	struct result r = {0};
	char *compile[6 + 64], *kgs;
	int i, k = 0;

	if (cmd[n0] && !strcmp(cmd[n0], "diff")) {
		printf("skipped: a diff names each side by its file\n");
		return 77;
	}
	for (i = n0; cmd[i]; i++)
		if ((has_stdin && !strcmp(cmd[i], "-")) || !strcmp(cmd[i], "--timing")) {
			printf("skipped: the case %s\n", has_stdin ? "reads standard input" : "prints timings");
			return 77;
		}
	/* In the case's own folder: the input may be a link into the source
	 * tree, which only an update writes. */
	kgs = xstrndup(".golden-snapshot.kgs", 20);
	for (i = 0; i < n0 && i < 64; i++)
		compile[k++] = cmd[i];
	compile[k++] = "compile";
	compile[k++] = cmd[at];
	compile[k++] = "-o";
	compile[k++] = kgs;
	compile[k] = NULL;
	run(compile, cwd, "/dev/null", timeout, &r);
	if (r.code != 0) {
		printf("skipped: %s does not compile (exit %d), the case is about loading it\n", cmd[at], r.code);
		free(kgs), free(r.out.data), free(r.err.data);
		return 77;
	}
	free(r.out.data), free(r.err.data);
	cmd[at] = *kgs_out = kgs;
	return 0;
}

/* ---- Comparing -------------------------------------------------------- */

struct lines {
	const char **at;
	size_t *len, n;
};

static struct lines split_lines(const struct buf *b)
{
	struct lines l = {0};
	size_t pos = 0;

	while (pos < b->len) {
		const char *nl = memchr(b->data + pos, '\n', b->len - pos);
		size_t n = nl ? (size_t)(nl - b->data - pos) + 1 : b->len - pos;
		l.at = xrealloc(l.at, sizeof *l.at * (l.n + 1));
		l.len = xrealloc(l.len, sizeof *l.len * (l.n + 1));
		l.at[l.n] = b->data + pos;
		l.len[l.n++] = n;
		pos += n;
	}
	return l;
}

static int same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

static void print_line(char mark, const char *s, size_t n)
{
	fputc(mark, stderr);
	fwrite(s, 1, n, stderr);
	if (n == 0 || s[n - 1] != '\n')
		fputs("\n\\ no newline at the end\n", stderr);
}

/* Prints the lines that differ, with two lines of context, from a longest
 * common subsequence (outputs are small: a few hundred lines at most). */
static void print_diff(const struct buf *want, const struct buf *got)
{
	struct lines a = split_lines(want), b = split_lines(got);
	size_t i, j, w = b.n + 1;
	unsigned *lcs;
	char *mark;
	const char **text;
	size_t *tlen, n = 0, shown = 0, k;

	if ((a.n + 1) * (b.n + 1) > 16u << 20) {
		fputs("(too long to compare line by line)\n", stderr);
		goto done;
	}
	lcs = xrealloc(NULL, sizeof *lcs * (a.n + 1) * w);
	memset(lcs, 0, sizeof *lcs * (a.n + 1) * w);
	mark = xrealloc(NULL, a.n + b.n + 1);
	text = xrealloc(NULL, sizeof *text * (a.n + b.n + 1));
	tlen = xrealloc(NULL, sizeof *tlen * (a.n + b.n + 1));
	for (i = a.n; i-- > 0;)
		for (j = b.n; j-- > 0;)
			lcs[i * w + j] = same_line(&a, i, &b, j) ? lcs[(i + 1) * w + j + 1] + 1
				: lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j] : lcs[i * w + j + 1];
	for (i = 0, j = 0; i < a.n || j < b.n; n++) {
		if (i < a.n && j < b.n && same_line(&a, i, &b, j))
			mark[n] = ' ', text[n] = a.at[i], tlen[n] = a.len[i], i++, j++;
		else if (i < a.n && (j == b.n || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]))
			mark[n] = '-', text[n] = a.at[i], tlen[n] = a.len[i], i++;
		else
			mark[n] = '+', text[n] = b.at[j], tlen[n] = b.len[j], j++;
	}
	for (k = 0; k < n; k++) {
		size_t d;
		int near = 0;
		for (d = k >= 2 ? k - 2 : 0; d < n && d <= k + 2; d++)
			near |= mark[d] != ' ';
		if (!near)
			continue;
		if (k > shown)
			fputs("...\n", stderr);
		print_line(mark[k], text[k], tlen[k]);
		shown = k + 1;
	}
	free(lcs), free(mark), free(text), free(tlen);
done:
	free(a.at), free(a.len), free(b.at), free(b.len);
}

/* ---- Updating the case file ------------------------------------------- */

/* Rewrites case `name` of the file with the actual output and status: the
 * header and the input blocks stay as they are, the stdout and stderr
 * blocks are written anew after them (absent when empty). */
static void update_case(const char *path, const char *name, const char *work, const struct result *r)
{
	char *lockpath = path_join(work, ".update-lock");
	int lock = open(lockpath, O_RDWR | O_CREAT, 0666);
	struct casefile cf = {0};
	struct gcase *c;
	struct buf out = {0};
	char line[32], *tmp;
	size_t i, end;

	if (lock < 0 || flock(lock, LOCK_EX) != 0)
		die("%s: %s", lockpath, strerror(errno));
	parse_casefile(&cf, path);	/* again, under the lock: another case may have changed it */
	c = find_case(&cf, name);
	buf_add(&out, cf.text.data, c->start);
	snprintf(line, sizeof line, "exit %d\n", r->code);
	if (c->has_exit) {
		buf_add(&out, cf.text.data + c->start, c->exit_start - c->start);
		buf_str(&out, line);
		buf_add(&out, cf.text.data + c->exit_end, c->head_end - c->exit_end);
	} else {
		buf_add(&out, cf.text.data + c->start, c->cmd_end - c->start);
		buf_str(&out, line);
		buf_add(&out, cf.text.data + c->cmd_end, c->head_end - c->cmd_end);
	}
	for (i = 0; i < c->nblocks; i++) {
		const struct block *b = &c->blocks[i];
		if (b->kind == K_FILE || b->kind == K_STDIN)
			buf_add(&out, cf.text.data + b->start, b->end - b->start);
	}
	if (r->out.len)
		write_block(&out, "stdout", &r->out);
	if (r->err.len)
		write_block(&out, "stderr", &r->err);
	/* One blank line before the next case; the file ends with the last. */
	end = c->end;
	if (end < cf.text.len)
		buf_str(&out, "\n");
	buf_add(&out, cf.text.data + end, cf.text.len - end);
	/* Written beside it and renamed, so that a run reading the file
	 * meanwhile (without the lock) sees the old text or the new. */
	tmp = xrealloc(NULL, strlen(path) + 32);
	sprintf(tmp, "%s.tmp%ld", path, (long)getpid());
	if (out.len != cf.text.len || memcmp(out.data, cf.text.data, out.len) != 0) {
		write_file(tmp, out.data, out.len);
		if (rename(tmp, path) != 0)
			die("cannot replace %s: %s", path, strerror(errno));
		fprintf(stderr, "golden: updated case %s in %s\n", name, path);
	}
	close(lock);
	free(lockpath);
	free(tmp);
	free(out.data);
	free_casefile(&cf);
}

/* Compares one stream with its block (absent: nothing expected). */
static int differs(const struct gcase *c, const char *file, enum kind kind, const struct buf *got)
{
	const struct buf *want = block_of(c, kind);
	static const struct buf empty = {"", 0, 0};

	if (!want)
		want = &empty;
	if (got->len == want->len && memcmp(got->data, want->data, got->len) == 0)
		return 0;
	fprintf(stderr, "case %s (%s): %s differs (- expected, + actual):\n", c->name, file,
		kind == K_STDOUT ? "stdout" : "stderr");
	print_diff(want, got);
	return 1;
}

static int compare(const struct gcase *c, const char *file, const struct result *r)
{
	int failed = differs(c, file, K_STDOUT, &r->out);

	failed |= differs(c, file, K_STDERR, &r->err);
	if (r->code != c->exit_code) {
		fprintf(stderr, "case %s (%s): exit %d, expected exit %d\n", c->name, file, r->code,
			c->exit_code);
		failed = 1;
	}
	if (failed)
		fprintf(stderr, "(KGRAPH_UPDATE=1 ctest -R '^cli[.]%s$' rewrites the case; review the diff)\n",
			c->name);
	return failed;
}

/* ---- Main ------------------------------------------------------------- */

static int extract(int argc, char **argv)
{
	int i;

	if (argc < 3)
		die("usage: golden --extract DIR FILE.test...");
	remove_tree(argv[2]);
	make_dirs(argv[2]);
	for (i = 3; i < argc; i++) {
		struct casefile cf = {0};
		size_t k;
		parse_casefile(&cf, argv[i]);
		for (k = 0; k < cf.ncases; k++) {
			char *dir = path_join(argv[2], cf.cases[k].name);
			make_dirs(dir);
			write_inputs(&cf.cases[k], dir, 1);
			free(dir);
		}
		free_casefile(&cf);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *kgraph = NULL, *root = NULL, *work = NULL, *file, *name, *env;
	int timeout = 60, update = 0, i, nw = 0, n, failed = 0, snapshot = 0, yaml = -1, nyaml = 0;
	char **wrapper = NULL, **cmd, *rundir, *cwd, *stdin_path, kgraph_path[PATH_MAX], *kgs = NULL;
	struct casefile cf = {0};
	struct gcase *c;
	struct result r = {0};
	const struct buf *in;

	if (argc > 1 && !strcmp(argv[1], "--extract"))
		return extract(argc, argv);
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--update"))
			update = 1;
		else if (!strcmp(argv[i], "--snapshot"))
			snapshot = 1;
		else if (!strcmp(argv[i], "--kgraph"))
			kgraph = argv[++i];
		else if (!strcmp(argv[i], "--root"))
			root = argv[++i];
		else if (!strcmp(argv[i], "--work"))
			work = argv[++i];
		else if (!strcmp(argv[i], "--timeout"))
			timeout = atoi(argv[++i]);
		else
			die("unknown option %s", argv[i]);
	}
	if (!kgraph || !root || !work || argc - i != 2 || timeout <= 0)
		die("usage: golden --kgraph PATH --root SRC --work DIR [--timeout S] [--update] FILE.test NAME");
	file = argv[i];
	name = argv[i + 1];
	env = getenv("KGRAPH_UPDATE");
	if (env && *env && strcmp(env, "0") != 0)
		update = 1;

	parse_casefile(&cf, file);
	c = find_case(&cf, name);
	if (!c->args)
		die("%s: case %s has no \"$ kgraph ...\" line", file, name);
	if (!c->has_exit && !update)
		die("%s: case %s has no \"exit N\" line (--update writes it)", file, name);

	/* The case runs in the inputs folder beside its file (see the top). */
	if (strrchr(file, '/')) {
		char *dir = xstrndup(file, (size_t)(strrchr(file, '/') - file));
		rundir = path_join(dir, "inputs");
		free(dir);
	} else {
		rundir = xstrndup("inputs", 6);
	}
	make_dirs(work);
	cwd = make_workdir(root, rundir, work, c);

	if ((in = block_of(c, K_STDIN))) {
		char *dir = path_join(work, name);
		stdin_path = path_join(dir, ".stdin");
		write_file(stdin_path, in->data, in->len);
		free(dir);
	} else {
		stdin_path = xstrndup("/dev/null", 9);
	}
	env = getenv("KGRAPH_WRAPPER");
	if (env)
		nw = split_words(env, &wrapper);
	cmd = xrealloc(NULL, sizeof *cmd * (size_t)(nw + c->nargs + 2));
	for (n = 0; n < nw; n++)
		cmd[n] = wrapper[n];
	/* The command runs elsewhere: a relative path to kgraph must not. */
	if (strchr(kgraph, '/') && !realpath(kgraph, kgraph_path))
		die("%s: %s", kgraph, strerror(errno));
	cmd[n++] = strchr(kgraph, '/') ? kgraph_path : (char *)kgraph;
	for (i = 0; i < c->nargs; i++) {
		size_t len = strlen(c->args[i]);
		if (len > 5 && !strcmp(c->args[i] + len - 5, ".yaml"))
			yaml = n, nyaml++;
		cmd[n++] = c->args[i];
	}
	cmd[n] = NULL;
	if (snapshot && (update || nyaml != 1))
		die("--snapshot: case %s must name one .yaml file, and cannot be updated", name);
	if (snapshot && snapshot_case(cmd, nw + 1, yaml, cwd, timeout, block_of(c, K_STDIN) != NULL, &kgs))
		r.code = 77; /* skipped: not run */
	else
		run(cmd, cwd, stdin_path, timeout, &r);
	for (n = 0; n < nw; n++)
		free(wrapper[n]);
	free(wrapper), free(cmd), free(rundir), free(cwd), free(stdin_path), free(kgs);
	if (r.code == 77 && !r.out.data) {
		failed = 77;
	} else if (r.code < 0) {
		fprintf(stderr, "case %s (%s): %s\n--- stdout:\n%s--- stderr:\n%s", name, file, r.why,
			r.out.data, r.err.data);
		failed = 1;
	} else if (update) {
		update_case(file, name, work, &r);
	} else {
		failed = compare(c, file, &r);
	}
	free(r.out.data), free(r.err.data);
	free_casefile(&cf);
	return failed;
}
