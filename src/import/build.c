/*
 * build.c - ids, declarations and the YAML text of an import (build.h).
 *
 * The text is kept in one buffer per section and joined at the end, so
 * that an importer can meet a relation type or a source while reading
 * relations and still have it declared above them. Every text is a
 * double-quoted YAML scalar, so nothing an input holds (a "null", a "2024",
 * a '#') is read as anything but text.
 */
#include "import/build.h"

#include "core/diag_internal.h"
#include "util/fold.h"
#include "kgraph/limits.h"
#include "kgraph/load.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kg__build_init(kg__build *b, kg_import_summary *sum, kg_diag_list *diags)
{
	memset(b, 0, sizeof *b);
	b->sum = sum;
	b->diags = diags;
	return kg__strtab_init(&b->tab) == 0 ? KG_OK : KG_ENOMEM;
}

void kg__build_free(kg__build *b)
{
	kg__strtab_free(&b->tab);
	KG_VEC_FREE(b->val);
	KG_VEC_FREE(b->rtype_list);
	KG_VEC_FREE(b->rtype_label);
	KG_VEC_FREE(b->rtype_sym);
	kg__buf_free(&b->title);
	kg__buf_free(&b->sources);
	kg__buf_free(&b->types);
	kg__buf_free(&b->rtypes);
	kg__buf_free(&b->entities);
	kg__buf_free(&b->relations);
}

void kg__build_diag(kg__build *b, kg_severity sev, unsigned line, unsigned col, const char *fmt, ...)
{
	kg_location at = {b->file, line, col};
	va_list ap;

	if (sev == KG_SEV_ERROR)
		b->errors++;
	else if (kg__diag_warning_dropped(b->diags))
		return;
	va_start(ap, fmt);
	if (kg__diag_vaddf(b->diags, sev, &at, NULL, NULL, fmt, ap) != KG_OK)
		b->nomem = 1;
	va_end(ap);
}

void kg__build_put(kg__build *b, kg__buf *out, const char *text)
{
	if (kg__buf_puts(out, text) != 0)
		b->nomem = 1;
}

/* The code point of the valid UTF-8 sequence at s, its length in *n. */
static unsigned decode(const unsigned char *s, size_t *n)
{
	if (s[0] < 0xE0) {
		*n = 2;
		return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0) {
		*n = 3;
		return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*n = 4;
	return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 | (unsigned)(s[2] & 0x3F) << 6 |
	       (s[3] & 0x3F);
}

/* Escaped: '"', '\\', every control character (C0, DEL, C1), the line and
 * paragraph separators YAML would fold, and U+FEFF; everything else, all
 * of it valid UTF-8 (the readers check), is written as it is. */
void kg__build_yaml(kg__build *b, kg__buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, from = 0, n;
	char esc[16];
	int rc = kg__buf_add(out, "\"", 1);

	while (u[i]) {
		unsigned c = u[i];
		n = 1;
		if (c >= 0x80)
			c = decode(u + i, &n);
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof esc, "\\%c", (char)c);
		else if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
			snprintf(esc, sizeof esc, "\\x%02X", c);
		else if (c == 0x2028 || c == 0x2029 || c == 0xFEFF)
			snprintf(esc, sizeof esc, "\\u%04X", c);
		else {
			i += n;
			continue;
		}
		rc |= kg__buf_add(out, s + from, i - from);
		rc |= kg__buf_puts(out, esc);
		i += n;
		from = i;
	}
	rc |= kg__buf_add(out, s + from, i - from);
	rc |= kg__buf_add(out, "\"", 1);
	if (rc)
		b->nomem = 1;
}

void kg__build_field(kg__build *b, kg__buf *out, const char *indent, const char *keyword, const char *value)
{
	kg__build_put(b, out, indent);
	kg__build_put(b, out, keyword);
	kg__build_put(b, out, ": ");
	kg__build_yaml(b, out, value);
	kg__build_put(b, out, "\n");
}

/* indent, key, ':'. YAML reads at most 1024 characters of a simple key
 * and an escaped character takes up to six, so a long key is written as
 * an explicit one ("? key", then ':' on the next line at the same indent),
 * as export -T yaml does. */
void kg__build_key(kg__build *b, kg__buf *out, const char *indent, const char *key)
{
	kg__build_put(b, out, indent);
	if (kg__yaml_explicit_key(key)) {
		kg__build_put(b, out, "? ");
		kg__build_yaml(b, out, key);
		kg__build_put(b, out, "\n");
		kg__build_put(b, out, indent);
	} else
		kg__build_yaml(b, out, key);
	kg__build_put(b, out, ":");
}

void kg__build_kv(kg__build *b, kg__buf *out, const char *indent, const char *key, const char *value)
{
	kg__build_key(b, out, indent, key);
	kg__build_put(b, out, " ");
	kg__build_yaml(b, out, value);
	kg__build_put(b, out, "\n");
}

kg_date kg__build_date(kg__build *b, kg__buf *out, const char *indent, const char *keyword, const char *text,
                       const char *what, unsigned line, unsigned col)
{
	kg_date d;

	if (kg_date_parse(&d, text, strlen(text)) != KG_OK) {
		kg__build_diag(b, KG_SEV_WARNING, line, col, "'%s' left out: kgraph dates are YYYY, YYYY-MM or YYYY-MM-DD",
		               what);
		b->sum->left_values++;
		return 0;
	}
	kg__build_put(b, out, indent);
	kg__build_put(b, out, keyword);
	kg__build_put(b, out, ": ");
	kg__build_put(b, out, text);
	kg__build_put(b, out, "\n");
	return d;
}

void kg__build_validity(kg__build *b, kg_date since, kg_date until, unsigned line, unsigned col)
{
	char a[11], c[11];

	if (since && until && kg_date_first_day(until) <= kg_date_first_day(since))
		kg__build_diag(b, KG_SEV_ERROR, line, col, "since %s is not before until %s (until is the first date it no longer holds)",
		               kg_date_format(a, since), kg_date_format(c, until));
}

void kg__build_weight(kg__build *b, kg__buf *out, const char *indent, const char *text, unsigned line,
                      unsigned col)
{
	double v;

	/* the loader's own syntax (kg__parse_number), and what it accepts */
	if (kg__parse_number(text, strlen(text), &v) != 0 || text[0] == '-' || v < 0 || v > KG_MAX_WEIGHT) {
		kg__build_diag(b, KG_SEV_WARNING, line, col, "'weight' left out: kgraph weights are numbers from 0 to 1e15");
		b->sum->left_values++;
		return;
	}
	kg__build_put(b, out, indent);
	kg__build_put(b, out, "weight: ");
	kg__build_put(b, out, text);
	kg__build_put(b, out, "\n");
}

const char *kg__build_cited_source(kg__build *b, const char *original)
{
	const char *s = kg__build_find(b, KG__NS_SOURCE, original);
	bool renamed;

	if (s || b->nomem)
		return s;
	if ((s = kg__build_assign(b, KG__NS_SOURCE, original, &renamed))) {
		b->sum->sources++;
		kg__build_put(b, &b->sources, "  ");
		kg__build_yaml(b, &b->sources, s);
		kg__build_put(b, &b->sources, ":\n");
		if (renamed)
			kg__build_kv(b, &b->sources, "    ", "original_id", original);
	}
	return s;
}

/* ---- ids -------------------------------------------------------------------- */

/* The string id of "<ns><sep>text", interned; 0 when out of memory. */
static uint32_t key(kg__build *b, int ns, char sep, const char *text, bool add)
{
	size_t len = strlen(text);
	char small[300], *k = len + 3 <= sizeof small ? small : kg__malloc(len + 3);
	uint32_t sid;

	if (!k) {
		b->nomem = 1;
		return 0;
	}
	k[0] = (char)ns;
	k[1] = sep;
	memcpy(k + 2, text, len + 1);
	sid = add ? kg__strtab_intern(&b->tab, k, len + 2) : kg__strtab_find(&b->tab, k, len + 2);
	if (k != small)
		kg__free(k);
	if (add && !sid)
		b->nomem = 1;
	while (sid && b->val.n <= sid) {
		if (KG_VEC_PUSH(b->val, 0) != 0) {
			b->nomem = 1;
			return 0;
		}
	}
	return sid;
}

static bool is_id(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return i <= KG_MAX_ID_BYTES;
}

/* A slug of s: id characters kept, every other run one '_', no '_' at
 * either end, at most 200 bytes (room for a "-N"); "x" when nothing is
 * left. */
static void slugify(char *out, const char *s)
{
	size_t n = 0;
	bool gap = false;

	for (; *s && n < 200; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          (n && (c == '_' || c == '.' || c == '-'));
		if (!ok) {
			gap = n > 0;
			continue;
		}
		if (gap) {
			out[n++] = '_';
			gap = false;
			if (n >= 200)
				break;
		}
		out[n++] = (char)c;
	}
	while (n && (out[n - 1] == '_' || out[n - 1] == '.' || out[n - 1] == '-'))
		n--;
	if (!n)
		out[n++] = 'x';
	out[n] = '\0';
}

const char *kg__build_find(kg__build *b, int ns, const char *original)
{
	uint32_t sid = key(b, ns, '=', original, false);

	if (!sid || !b->val.v[sid])
		return NULL;
	return kg__str(&b->tab, b->val.v[sid] - 1) + 2;
}

const char *kg__build_assign(kg__build *b, int ns, const char *original, bool *renamed)
{
	char slug[224];
	uint32_t orig, taken;
	unsigned k;

	if (is_id(original)) {
		snprintf(slug, sizeof slug, "%s", original);
	} else {
		/* Search folding first (marks stripped, case folded), so that
		 * "München" becomes "munchen", not "M_nchen"; text that is not
		 * UTF-8 is slugged as it is. */
		kg__buf folded = {0};
		int rc = kg__fold_search(&folded, original, strlen(original));
		if (rc == KG__FOLD_NOMEM) {
			b->nomem = 1;
			return NULL;
		}
		slugify(slug, rc == 0 && folded.p ? folded.p : original);
		kg__buf_free(&folded);
	}
	/* the first free of slug, slug-2, slug-3, ... */
	for (k = 1;; k++) {
		char name[240];
		if (k == 1)
			snprintf(name, sizeof name, "%s", slug);
		else
			snprintf(name, sizeof name, "%.200s-%u", slug, k);
		if (!(taken = key(b, ns, ':', name, true)))
			return NULL;
		if (!b->val.v[taken])
			break;
	}
	if (!(orig = key(b, ns, '=', original, true)))
		return NULL;
	b->val.v[taken] = 1;
	b->val.v[orig] = taken + 1;
	*renamed = strcmp(kg__str(&b->tab, taken) + 2, original) != 0;
	if (*renamed && b->sum)
		b->sum->renamed++;
	return kg__str(&b->tab, taken) + 2;
}

int kg__build_link(kg__build *b, int ns, const char *original, int slug_ns, const char *slug)
{
	uint32_t orig = key(b, ns, '=', original, true), taken = key(b, slug_ns, ':', slug, false);

	if (!orig || !taken)
		return KG_ENOMEM;
	b->val.v[orig] = taken + 1;
	return KG_OK;
}

/* ---- vocabulary ----------------------------------------------------------- */

/* The slug of type original in namespace ns, and *is_new when this is
 * its first use: then a renamed type without a label keeps its original
 * name as one (*label). NULL when out of memory. */
static const char *declare(kg__build *b, int ns, const char *original, const char **label, bool *is_new)
{
	const char *slug = kg__build_find(b, ns, original);
	bool renamed;

	*is_new = false;
	if (slug || b->nomem)
		return slug;
	if (!(slug = kg__build_assign(b, ns, original, &renamed)))
		return NULL;
	if ((!*label || !**label) && renamed)
		*label = original;
	*is_new = true;
	return slug;
}

const char *kg__build_type(kg__build *b, const char *original, const char *label)
{
	bool is_new;
	const char *slug = declare(b, KG__NS_TYPE, original, &label, &is_new);

	if (!is_new)
		return slug;
	if (b->sum)
		b->sum->types++;
	/* Declared even without a label: an entity's type must exist, and
	 * declaring a built-in type changes nothing. */
	kg__build_put(b, &b->types, "  ");
	kg__build_yaml(b, &b->types, slug);
	if (label && *label && strcmp(label, slug) != 0) {
		kg__build_put(b, &b->types, ": {label: ");
		kg__build_yaml(b, &b->types, label);
		kg__build_put(b, &b->types, "}\n");
	} else
		kg__build_put(b, &b->types, ": {}\n");
	return slug;
}

const char *kg__build_rtype(kg__build *b, const char *original, const char *label, bool symmetric)
{
	bool is_new;
	const char *slug = declare(b, KG__NS_RTYPE, original, &label, &is_new);
	uint32_t sid;

	if (!is_new)
		return slug;
	if (b->sum)
		b->sum->relation_types++;
	sid = kg__strtab_intern(&b->tab, slug, strlen(slug));
	if (!sid || KG_VEC_PUSH(b->rtype_list, sid) != 0 || KG_VEC_PUSH(b->rtype_sym, symmetric) != 0) {
		b->nomem = 1;
		return NULL;
	}
	sid = label && *label && strcmp(label, slug) != 0 ? kg__strtab_intern(&b->tab, label, strlen(label)) : 0;
	if ((label && *label && strcmp(label, slug) != 0 && !sid) || KG_VEC_PUSH(b->rtype_label, sid) != 0)
		b->nomem = 1;
	return slug;
}

/* Relation types are written last, each declared (so that `kgraph
 * check` does not take a type used once for a typo of another), with the
 * label and symmetric: the edges gave. */
static void write_rtypes(kg__build *b)
{
	size_t i;

	for (i = 0; i < b->rtype_list.n; i++) {
		kg__build_put(b, &b->rtypes, "  ");
		kg__build_yaml(b, &b->rtypes, kg__str(&b->tab, b->rtype_list.v[i]));
		kg__build_put(b, &b->rtypes, ": {");
		if (b->rtype_label.v[i]) {
			kg__build_put(b, &b->rtypes, "label: ");
			kg__build_yaml(b, &b->rtypes, kg__str(&b->tab, b->rtype_label.v[i]));
		}
		if (b->rtype_sym.v[i])
			kg__build_put(b, &b->rtypes, b->rtype_label.v[i] ? ", symmetric: true" : "symmetric: true");
		kg__build_put(b, &b->rtypes, "}\n");
	}
}

static void section(kg__build *b, kg__buf *all, const char *name, const kg__buf *part)
{
	if (!part->n)
		return;
	kg__build_put(b, all, name);
	if (kg__buf_add(all, part->p, part->n) != 0)
		b->nomem = 1;
}

int kg__build_finish(kg__build *b, kg_graph **out)
{
	kg_load_options lo = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *ld = NULL;
	kg__buf all = {0};
	int rc;

	*out = NULL;
	write_rtypes(b);
	kg__build_put(b, &all, "# Written by kgraph import.\n");
	section(b, &all, "", &b->title);
	section(b, &all, "sources:\n", &b->sources);
	section(b, &all, "types:\n", &b->types);
	section(b, &all, "relation_types:\n", &b->rtypes);
	section(b, &all, "entities:\n", &b->entities);
	section(b, &all, "relations:\n", &b->relations);
	if (!b->entities.n)
		kg__build_put(b, &all, "entities: {}\n"); /* no records: an empty graph, not an empty file */
	if (b->nomem) {
		rc = KG_ENOMEM;
		goto done;
	}
	if (b->errors) {
		rc = KG_EINVALID;
		goto done;
	}
	/* The loader's own warnings (a self-relation, an attribute key close
	 * to a keyword) point into this text, which the user never sees:
	 * `kgraph check` on the written file says them where they can be
	 * read. An error here means the mapping above is wrong. */
	if (!(ld = kg_diag_list_new())) {
		rc = KG_ENOMEM;
		goto done;
	}
	lo.thread = KG_LOAD_THREAD_OFF;
	rc = kg_load_string(out, "<import>", all.p, all.n, &lo, ld);
	if (rc == KG_EINVALID) {
		const kg_diag *d = NULL;
		size_t i;
		for (i = 0; i < kg_diag_list_count(ld) && (!d || d->severity != KG_SEV_ERROR); i++)
			d = kg_diag_list_get(ld, i);
		kg_location at = {NULL, 0, 0};
		kg__diag_addf(b->diags, KG_SEV_ERROR, &at, NULL, NULL,
		              "import: the imported graph does not load (a bug in kgraph import): %s",
		              d ? d->message : "");
	}
done:
	kg_diag_list_free(ld);
	kg__buf_free(&all);
	return rc;
}
