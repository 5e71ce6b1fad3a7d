/*
 * check.c - validation beyond loading: style keys that could not be drawn
 * (errors, by the allowlist in core/style_keys.c), likely mistakes
 * (warnings), and quotes checked against the documents they cite.
 *
 * Pipeline position: graph -> check. Uses only the public graph
 * interface, and the graph's rule for which files it may read
 * (kg__graph_source_confined, the loader's rule); knows nothing of YAML. Source texts are read here, once per
 * source, and only when a quote needs them.
 */
#define _POSIX_C_SOURCE 200809L
#include "kgraph/check.h"
#include "kgraph/limits.h"
#include "kgraph/common.h"
#include "core/diag_internal.h"
#include "core/graph_internal.h"
#include "core/style_keys.h"
#include "util/fold.h"
#include "util/path.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A hint quotes at most this many bytes of a quote that was not found:
 * enough to find it in the text, short enough to read on one line. */
#define HINT_QUOTE_BYTES 60

/* ---- style keys ---------------------------------------------------- */

/* The allowlist itself lives in core, shared with kg_render, so that check
 * and render can never disagree on what can be drawn. */
int kg_check_styles(const kg_graph *g, kg_diag_list *diags)
{
	if (!g)
		return KG_EARG;
	return kg__style_check_graph(g, diags);
}

/* ---- warnings ------------------------------------------------------ */

int kg_check_warnings(size_t *nadded, const kg_graph *g, kg_diag_list *diags)
{
	size_t ne = kg_graph_entity_count(g), ns = kg_graph_source_count(g);
	size_t nt = kg_graph_relation_type_count(g), i, j;
	size_t added = 0;

	if (nadded)
		*nadded = 0;
	for (i = 0; i < ne; i++) {
		size_t nout, nin;
		kg_location at = kg_entity_location(g, (uint32_t)i);
		kg_graph_out(g, (uint32_t)i, &nout);
		kg_graph_in(g, (uint32_t)i, &nin);
		if (nout + nin || kg__diag_warning_dropped(diags))
			continue;
		if (kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL, NULL, "entity '%s' has no relations",
		                  kg_entity_id(g, (uint32_t)i)))
			return KG_ENOMEM;
		added++;
	}
	for (i = 0; i < ns; i++) {
		kg_location at = kg_source_location(g, (uint32_t)i);
		if (kg_source_cite_count(g, (uint32_t)i) || kg__diag_warning_dropped(diags))
			continue;
		if (kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL, NULL, "source '%s' is cited by no relation",
		                  kg_source_id(g, (uint32_t)i)))
			return KG_ENOMEM;
		added++;
	}
	for (i = 0; i < nt; i++) {
		const char *name = kg_relation_type_name(g, (uint32_t)i);
		size_t len = strlen(name);
		unsigned best = kg__suggest_distance(len) + 1;
		const char *near = NULL;
		if (kg_relation_type_use_count(g, (uint32_t)i) != 1 || kg_relation_type_is_declared(g, (uint32_t)i))
			continue;
		for (j = 0; j < nt; j++) {
			const char *other = kg_relation_type_name(g, (uint32_t)j);
			unsigned d;
			if (j == i || kg_relation_type_use_count(g, (uint32_t)j) + kg_relation_type_is_declared(g, (uint32_t)j) == 0)
				continue;
			d = kg__edit_distance(name, len, other, strlen(other), best - 1);
			if (d < best) {
				best = d;
				near = other;
			}
			/* Names differ, so 1 is the closest: the first at 1 is
			 * the answer, as a longer search would keep it. */
			if (best == 1)
				break;
		}
		if (near && !kg__diag_warning_dropped(diags)) {
			kg_location at = kg_relation_type_location(g, (uint32_t)i);
			if (kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL, NULL,
			                  "relation type '%s' is used once and is close to '%s'", name, near) ||
			    kg__diag_hintf(diags, kg_diag_list_count(diags) - 1, "did you mean '%s'?", near))
				return KG_ENOMEM;
			added++;
		}
	}
	if (nadded)
		*nadded = added;
	return kg__diag_note_dropped(diags) ? KG_ENOMEM : KG_OK;
}

/* ---- quotes -------------------------------------------------------- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Fold each run of white space in s to one space and trim both ends. */
static void fold_space(kg__buf *out, const char *s, size_t len)
{
	size_t i;
	int pending = 0;

	out->n = 0;
	for (i = 0; i < len; i++) {
		if (is_space((unsigned char)s[i])) {
			pending = out->n > 0;
			continue;
		}
		if (pending && kg__buf_add(out, " ", 1))
			return;
		pending = 0;
		if (kg__buf_add(out, s + i, 1))
			return;
	}
	if (!out->p)
		kg__buf_add(out, "", 0);
}

typedef struct text {
	int state; /* 0 not loaded, 1 loaded, -1 unavailable, -2 unreadable */
	kg__buf folded; /* white space folded */
	kg__buf typo;   /* and typography (kg__fold_typography), when first needed */
} text;

/* Read a source's text. Only regular files: a FIFO would block, a device
 * like /dev/zero would never end. On failure *why says why. */
static int read_text(const char *path, kg__buf *raw, const char **why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	struct stat st;
	char chunk[65536];
	size_t got;
	FILE *fp;

	*why = NULL;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > KG_MAX_FILE_BYTES) {
		*why = S_ISDIR(st.st_mode) ? "it is a directory"
		       : !S_ISREG(st.st_mode) ? "it is not a regular file"
		                              : "it is too large";
		close(fd);
		return -1;
	}
	fp = fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (kg__buf_add(raw, chunk, got)) {
			fclose(fp);
			errno = ENOMEM;
			return -1;
		}
	if (ferror(fp)) {
		fclose(fp);
		errno = EIO;
		return -1;
	}
	fclose(fp);
	return 0;
}

/* Search t for the len bytes of piece with Knuth-Morris-Pratt: the first
 * occurrence, or NULL with *best the length of the longest prefix of
 * piece that occurs in t (for the hint). Linear in strlen(t) + len
 * whatever the text: glibc's strstr is quadratic on periodic input ("a a a
 * ... b" against "a a a ..."). *best is 0 and NULL returned when out of
 * memory; the caller cannot tell that from "not found" and need not: the
 * quote is then reported missing with a shorter hint. */
static const char *kmp_find(const char *t, const char *piece, size_t len, size_t *best)
{
	size_t *fail, k = 0, i;

	*best = 0;
	if (!len)
		return t;
	if (!(fail = kg__malloc(len * sizeof *fail)))
		return NULL;
	fail[0] = 0;
	for (i = 1; i < len; i++) {
		while (k && piece[i] != piece[k])
			k = fail[k - 1];
		if (piece[i] == piece[k])
			k++;
		fail[i] = k;
	}
	for (k = 0; *t; t++) {
		while (k && *t != piece[k])
			k = fail[k - 1];
		if (*t == piece[k] && ++k == len) {
			kg__free(fail);
			*best = len;
			return t + 1 - len;
		}
		if (k > *best)
			*best = k;
	}
	kg__free(fail);
	return NULL;
}

/* Find the pieces of quote q (split at "..." and "…") in order in t.
 * Returns NULL when all are found, else the first piece missing, with
 * *plen its length and *ok how many of its leading bytes, cut at a word
 * end, the text has after the previous piece. */
static const char *find_pieces(const char *t, const char *q, size_t *plen, size_t *ok)
{
	const char *at = t;

	while (*q) {
		const char *dots = strstr(q, "..."), *ell = strstr(q, "\xE2\x80\xA6"), *cut;
		size_t skip, len, best;
		const char *hit;
		if (ell && (!dots || ell < dots)) {
			cut = ell;
			skip = 3;
		} else if (dots) {
			cut = dots;
			skip = 3;
		} else {
			cut = q + strlen(q);
			skip = 0;
		}
		len = (size_t)(cut - q);
		while (len && q[0] == ' ')
			q++, len--;
		while (len && q[len - 1] == ' ')
			len--;
		if (len) {
			hit = kmp_find(at, q, len, &best);
			if (!hit) {
				/* Every prefix of one that occurs occurs too: cut back to a word end. */
				while (best && q[best] != ' ')
					best--;
				*plen = len;
				*ok = best;
				return q;
			}
			at = hit + len;
		}
		q = cut + skip;
		while (*q == '.')
			q++;
	}
	return NULL;
}

/* Find quote q in text t: as written (white space folded), else with
 * typography folded too (*typographic set). NULL when found; else the
 * first missing piece of the quote as written, with *plen and *ok as
 * find_pieces gives them. KG_ENOMEM in *rc when memory ran out. */
static const char *find_quote(text *t, const kg__buf *q, kg__buf *qt, size_t *plen, size_t *ok,
                              int *typographic, int *rc)
{
	const char *missing = find_pieces(t->folded.p, q->p, plen, ok);
	size_t plen2, ok2;

	*typographic = 0;
	if (!missing)
		return NULL;
	if (!t->typo.p && kg__fold_typography(&t->typo, t->folded.p, t->folded.n)) {
		*rc = KG_ENOMEM;
		return missing;
	}
	if (kg__fold_typography(qt, q->p, q->n)) {
		*rc = KG_ENOMEM;
		return missing;
	}
	if (find_pieces(t->typo.p, qt->p, &plen2, &ok2))
		return missing;
	*typographic = 1;
	return NULL;
}

int kg_check_quotes(kg_quote_counts *counts, const kg_graph *g, const kg_source_text *overrides,
                    size_t noverrides, kg_diag_list *diags)
{
	size_t ns = kg_graph_source_count(g), nr = kg_graph_relation_count(g), i;
	const char **paths = kg__calloc(ns ? ns : 1, sizeof *paths);
	text *texts = kg__calloc(ns ? ns : 1, sizeof *texts);
	kg__buf q = {0}, qt = {0}, raw = {0};
	kg_quote_counts n = {0, 0, 0, 0, 0, 0};
	int rc = 0, io_failed = 0;

	if (counts)
		*counts = n;
	if (!paths || !texts) {
		rc = KG_ENOMEM;
		goto done;
	}
	for (i = 0; i < ns; i++)
		paths[i] = kg_source_file(g, (uint32_t)i);
	for (i = 0; i < noverrides; i++) {
		uint32_t s = kg_graph_find_source(g, overrides[i].source);
		if (s == KG_NONE) {
			kg_location at = {overrides[i].file, 0, 0};
			if (kg__diag_addf(diags, KG_SEV_ERROR, &at, NULL, NULL,
			                  "the graph has no source '%s' for this text", overrides[i].source)) {
				rc = KG_ENOMEM;
				goto done;
			}
			n.errors++;
			continue;
		}
		paths[s] = overrides[i].file;
	}
	for (i = 0; i < nr; i++) {
		const char *quote = kg_relation_quote(g, (uint32_t)i), *missing;
		uint32_t s = kg_relation_source(g, (uint32_t)i);
		kg_location at = kg_relation_location(g, (uint32_t)i);
		size_t plen, ok;
		int typographic;
		text *t;

		if (!quote)
			continue;
		if (s == KG_NONE) {
			n.unchecked++;
			if (!kg__diag_warning_dropped(diags) &&
			    kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL, NULL,
			                  "quote not checked: the relation cites no source")) {
				rc = KG_ENOMEM;
				goto done;
			}
			continue;
		}
		t = &texts[s];
		if (t->state == 0) {
			t->state = -1;
			if (paths[s]) {
				const char *why = NULL;
				char *real = NULL;
				int inside = 1;
				raw.n = 0;
				/* A text the user named (overrides) is read as named; a
				 * graph's file: only inside the graph's folders, checked
				 * again now, by the loader's rule, in case a link changed
				 * since the load. */
				if (paths[s] == kg_source_file(g, (uint32_t)s)) {
					inside = kg__graph_source_confined(&real, g, (uint32_t)s);
					if (inside == 0)
						why = KG__PATH_OUTSIDE;
				}
				if (inside == 1 && read_text(real ? real : paths[s], &raw, &why) == 0) {
					kg__free(real);
					fold_space(&t->folded, raw.p ? raw.p : "", raw.n);
					t->state = t->folded.p ? 1 : -1;
					n.sources += t->state == 1;
				} else {
					kg_location f = {paths[s], 0, 0};
					kg__free(real);
					if (!why && errno == ENOMEM) {
						rc = KG_ENOMEM;
						goto done;
					}
					if (kg__diag_addf(diags, KG_SEV_ERROR, &f, NULL, NULL,
					                  "cannot read the text of source '%s': %s",
					                  kg_source_id(g, s), why ? why : strerror(errno))) {
						rc = KG_ENOMEM;
						goto done;
					}
					n.errors++;
					io_failed = 1;
					t->state = -2;
				}
			}
		}
		if (t->state == -2) {
			n.unchecked++;
			continue;
		}
		if (t->state == -1) {
			n.unchecked++;
			if (!kg__diag_warning_dropped(diags) &&
			    kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL, NULL,
			                  "quote not checked: source '%s' has no text (give it file:)",
			                  kg_source_id(g, s))) {
				rc = KG_ENOMEM;
				goto done;
			}
			continue;
		}
		fold_space(&q, quote, strlen(quote));
		if (!q.p) {
			rc = KG_ENOMEM;
			goto done;
		}
		n.checked++;
		missing = find_quote(t, &q, &qt, &plen, &ok, &typographic, &rc);
		if (rc)
			goto done;
		if (!missing) {
			n.found++;
			if (!typographic)
				continue;
			n.typographic++;
			if (kg__diag_addf(diags, KG_SEV_WARNING, &at, NULL,  NULL,
			                  "the quote is in the text of source '%s' only with its typography "
			                  "folded (quotes, dashes, spaces or accents written another way)",
			                  kg_source_id(g, s)) ||
			    kg__diag_hintf(diags, kg_diag_list_count(diags) - 1,
			                   "copy the words from the source again to quote it exactly")) {
				rc = KG_ENOMEM;
				goto done;
			}
			continue;
		}
		if (kg__diag_addf(diags, KG_SEV_ERROR, &at, NULL, NULL,
		                  "the quote is not in the text of source '%s'", kg_source_id(g, s))) {
			rc = KG_ENOMEM;
			goto done;
		}
		n.errors++;
		{
			int r;
			/* Only the end of a long matching part: the reader needs where it stops. */
			size_t shown = ok > HINT_QUOTE_BYTES ? HINT_QUOTE_BYTES : ok;
			if (ok)
				r = kg__diag_hintf(diags, kg_diag_list_count(diags) - 1,
				                   "the text has \"%s%.*s\" but not what follows: \"%.*s\"",
				                   ok > shown ? "..." : "", (int)shown, missing + ok - shown,
				                   (int)(plen - ok > HINT_QUOTE_BYTES ? HINT_QUOTE_BYTES : plen - ok), missing + ok);
			else
				r = kg__diag_hintf(diags, kg_diag_list_count(diags) - 1,
				                   "not found: \"%.*s\"", (int)(plen > HINT_QUOTE_BYTES ? HINT_QUOTE_BYTES : plen), missing);
			if (r) {
				rc = KG_ENOMEM;
				goto done;
			}
		}
	}
	if (counts)
		*counts = n;
	rc = io_failed ? KG_EIO : KG_OK;
	if (kg__diag_note_dropped(diags))
		rc = KG_ENOMEM;
done:
	for (i = 0; texts && i < ns; i++) {
		kg__buf_free(&texts[i].folded);
		kg__buf_free(&texts[i].typo);
	}
	kg__buf_free(&qt);
	kg__free(texts);
	kg__free(paths);
	kg__buf_free(&q);
	kg__buf_free(&raw);
	return rc;
}
