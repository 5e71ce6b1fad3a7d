/*
 * load.c - YAML graph files to a kg_graph: kg_load_files and
 * kg_load_string, which read every file, resolve what they refer to and
 * build the graph's indexes.
 *
 * Pipeline position: load -> graph. Each file is read as a stream of
 * events by a recursive-descent reader whose shape follows the format
 * (docs/format.md); no document tree is built. Records go straight into
 * the graph's arrays; references that cannot be resolved yet (to an
 * entity, type or source declared later or in an include) are queued with
 * their location and resolved once every file is read, then the indexes
 * are built. loader.h lists the files that do each part.
 */
#include "load/loader.h"

#include "util/path.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static void loader_free(kg__loader *L)
{
	size_t i;

	kg__buf_free(&L->stdin_text);
	kg__ld_aliases_free(L);
	KG_VEC_FREE(L->pend);
	for (i = 0; i < sizeof L->keysets / sizeof *L->keysets; i++) {
		KG_VEC_FREE(L->keysets[i].ents);
		kg__free(L->keysets[i].slot);
	}
	KG_VEC_FREE(L->seen);
	KG_VEC_FREE(L->chain);
	KG_VEC_FREE(L->chain_names);
}

/* The caller's include paths as the graph's shared folders. One that
 * cannot be resolved is an error (an I/O one: the user named it). */
static int add_include_paths(kg__loader *L)
{
	size_t i;

	for (i = 0; i < L->opts->include_path_count; i++) {
		const char *dir = L->opts->include_paths[i];
		char *real = dir ? kg__path_folder(dir) : NULL;
		const char *kept;
		if (!real) {
			kg_location where = {dir ? dir : "(null)", 0, 0};
			if (errno == ENOMEM)
				return KG_ENOMEM;
			L->io_failed = 1;
			if (kg__ld_report(L, &where, NULL, NULL, "cannot use as an include path: %s",
			                  strerror(dir ? errno : EINVAL)) == KG_ENOMEM)
				return KG_ENOMEM;
			continue;
		}
		kept = kg__arena_strndup(&L->g->arena, real, strlen(real));
		kg__free(real);
		if (!kept || KG_VEC_PUSH(L->g->folders, kept))
			return KG_ENOMEM;
	}
	L->g->nshared_folders = L->g->folders.n;
	return 0;
}

/* The shared body of kg_load_files and kg_load_string. */
static int load(kg_graph **out, const char *const *paths, size_t npaths, const char *data,
                size_t len, const kg_load_options *opts, kg_diag_list *diags)
{
	kg_load_options defaults = KG_LOAD_OPTIONS_INIT, given = KG_LOAD_OPTIONS_INIT;
	kg_diag_list *own = NULL;
	kg__loader L;
	double t0 = kg__ld_now(), t1;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (opts && !KG__OPTIONS_VERSION_OK(opts->version, KG_LOAD_OPTIONS_VERSION))
		return KG_EARG;
	memset(&L, 0, sizeof L);
	if (opts) {
		/* A caller built with version 1 has a shorter struct: read only
		 * its fields, the rest keep their defaults. */
		memcpy(&given, opts, opts->version == 1 ? offsetof(kg_load_options, include_paths) : sizeof given);
		given.version = KG_LOAD_OPTIONS_VERSION;
	}
	L.opts = opts ? &given : &defaults;
	L.max_errors = L.opts->max_errors ? L.opts->max_errors : KG_MAX_ERRORS;
	if (!diags) {
		own = kg_diag_list_new();
		if (!own)
			return KG_ENOMEM;
		diags = own;
	}
	L.diags = diags;
	L.mem_data = data;
	L.mem_len = len;
	L.g = kg__graph_new();
	if (!L.g) {
		kg_diag_list_free(own);
		return KG_ENOMEM;
	}
	rc = add_include_paths(&L);
	for (i = 0; i < npaths && rc != KG_ENOMEM && !L.stopped; i++)
		rc = kg__ld_load_file(&L, paths[i], data, len, NULL, KG_NONE, 0);
	t1 = kg__ld_now();
	if (rc != KG_ENOMEM && !L.stopped) {
		rc = kg__ld_resolve(&L);
		if (rc != KG_ENOMEM && L.nerrors == 0 && kg__graph_index(L.g))
			rc = KG_ENOMEM;
	}
	if (rc != KG_ENOMEM && kg__ld_fill_late_positions(&L))
		rc = KG_ENOMEM;
	if (rc != KG_ENOMEM && kg__diag_note_dropped(L.diags))
		rc = KG_ENOMEM;
	if (L.opts->stats) {
		kg_load_stats *s = L.opts->stats;
		double t2 = kg__ld_now();
		s->parse = L.parse_seconds;
		s->build = (t1 - t0) - L.ahead_seconds;
		s->index = t2 - t1;
		s->bytes = L.bytes;
		s->files = L.files;
	}
	if (rc == KG_ENOMEM)
		rc = KG_ENOMEM;
	else if (L.io_failed)
		rc = KG_EIO;
	else if (L.nerrors)
		rc = KG_EINVALID;
	else
		rc = KG_OK;
	if (rc == KG_OK)
		*out = L.g;
	else
		kg_graph_free(L.g);
	loader_free(&L);
	kg_diag_list_free(own);
	return rc;
}

int kg_load_files(kg_graph **out, const char *const *paths, size_t npaths,
                  const kg_load_options *opts, kg_diag_list *diags)
{
	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!paths && npaths)
		return KG_EARG;
	return load(out, paths, npaths, NULL, 0, opts, diags);
}

int kg_load_string(kg_graph **out, const char *name, const char *data, size_t len,
                   const kg_load_options *opts, kg_diag_list *diags)
{
	if (!out)
		return KG_EARG;
	*out = NULL;
	if (!name || (!data && len))
		return KG_EARG;
	return load(out, &name, 1, data ? data : "", len, opts, diags);
}
