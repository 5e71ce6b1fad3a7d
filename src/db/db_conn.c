/*
 * db_conn.c - the connection to PostgreSQL and how its failures are told.
 *
 * Invariants: a message never holds the connection string or the
 * password. libpq's own messages do not quote the password, but a
 * connection string that does not parse may be echoed in part, so that
 * case gets a message of ours; every other message has the password (as
 * libpq resolved it, from the string, PGPASSWORD or a password file)
 * replaced by "***" before it is kept. Every statement with data in it
 * is sent with PQexecParams: values never become SQL text.
 */
#include "db/db_internal.h"
#include "core/diag_internal.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


bool kg_db_available(void) { return true; }


/* The message on one line, trimmed, with every occurrence of the password
 * replaced. NULL when out of memory. */
static char *clean_message(const kg_db *db, const char *msg)
{
	kg__buf b = {0};
	size_t plen = db && db->password ? strlen(db->password) : 0;
	const char *p = msg ? msg : "";
	bool space = false;

	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	while (*p) {
		if (plen && strncmp(p, db->password, plen) == 0) {
			if (kg__buf_puts(&b, "***"))
				goto nomem;
			p += plen;
			space = false;
			continue;
		}
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			space = true;
			p++;
			continue;
		}
		if ((space && b.n && kg__buf_add(&b, " ", 1)) || kg__buf_add(&b, p, 1))
			goto nomem;
		space = false;
		p++;
	}
	if (!b.p && kg__buf_add(&b, "", 0))
		goto nomem;
	return b.p;
nomem:
	kg__buf_free(&b);
	return NULL;
}

int kg__db_fail(kg_db *db, kg_diag_list *diags, const char *what, const char *detail)
{
	char *msg = clean_message(db, detail);
	int rc;

	if (!msg)
		return KG_ENOMEM;
	if (!diags)
		rc = 0;
	else if (*msg)
		rc = kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "%s: %s", what, msg);
	else
		rc = kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL, "%s", what);
	kg__free(msg);
	return rc ? KG_ENOMEM : KG_EIO;
}

int kg__db_fail_conn(kg_db *db, kg_diag_list *diags, const char *what)
{
	return kg__db_fail(db, diags, what, db->conn ? PQerrorMessage(db->conn) : "");
}

int kg_db_open(kg_db **out, const char *conninfo, kg_diag_list *diags)
{
	kg_db *db;
	char *err = NULL;
	PQconninfoOption *opts, *o;
	int rc;

	const char *missing;

	if (!out)
		return KG_EARG;
	*out = NULL;
	if ((missing = kg__pq_load()) != NULL) {
		long at = kg__diag_at(diags, KG_SEV_ERROR, NULL,
		                      "PostgreSQL support needs libpq, which could not be loaded: %s", missing);
		if (at < 0 || (diags && kg__diag_hintf(diags, (size_t)at, "%s", "install libpq5 (apt-get install libpq5)")))
			return KG_ENOMEM;
		return KG_EIO;
	}
	if (!conninfo)
		conninfo = "";
	/* Parse first, only to tell a malformed string without echoing it. */
	opts = PQconninfoParse(conninfo, &err);
	if (!opts) {
		PQfreemem(err);
		if (diags && kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
		                           "the database URL is not a valid libpq connection string"))
			return KG_ENOMEM;
		return KG_EIO;
	}
	PQconninfoFree(opts);
	db = kg__calloc(1, sizeof *db);
	if (!db)
		return KG_ENOMEM;
	db->conn = PQconnectdb(conninfo);
	if (!db->conn) {
		kg__free(db);
		return KG_ENOMEM;
	}
	/* What libpq will use as the password, wherever it came from. */
	opts = PQconninfo(db->conn);
	for (o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			db->password = kg__strndup(o->val, strlen(o->val));
	PQconninfoFree(opts);
	if (!db->password && getenv("PGPASSWORD") && *getenv("PGPASSWORD"))
		db->password = kg__strndup(getenv("PGPASSWORD"), strlen(getenv("PGPASSWORD")));
	if (PQstatus(db->conn) != CONNECTION_OK) {
		rc = kg__db_fail_conn(db, diags, "cannot connect to the database");
		kg_db_close(db);
		return rc;
	}
	/* Our messages are English and our dates ISO, whatever the server's
	 * defaults; notices (CREATE ... IF NOT EXISTS) are not for the user. */
	PQsetNoticeProcessor(db->conn, NULL, NULL);
	if ((rc = kg__db_run(db, diags, "cannot set up the session",
	                     "SET client_min_messages = warning; SET DateStyle = ISO; "
	                     "SET client_encoding = 'UTF8'", 0, NULL)) != KG_OK) {
		kg_db_close(db);
		return rc;
	}
	*out = db;
	return KG_OK;
}

void kg_db_close(kg_db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	if (db->password) {
		memset(db->password, 0, strlen(db->password));
		kg__free(db->password);
	}
	kg__free(db);
}

PGresult *kg__db_exec(kg_db *db, kg_diag_list *diags, const char *what, const char *sql, int nparams,
                      const char *const *params)
{
	PGresult *res = nparams ? PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)
	                        : PQexec(db->conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	kg__db_fail(db, diags, what, res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	PQclear(res);
	return NULL;
}

int kg__db_run(kg_db *db, kg_diag_list *diags, const char *what, const char *sql, int nparams,
               const char *const *params)
{
	PGresult *res = kg__db_exec(db, diags, what, sql, nparams, params);

	if (!res)
		return KG_EIO;
	PQclear(res);
	return KG_OK;
}

int kg__db_graph_id(kg_db *db, kg_diag_list *diags, const char *name, char buf[24])
{
	const char *params[1] = {name};
	PGresult *res;
	bool found = false;

	/* A database without the schema holds no graph, which is not a
	 * server error: look for the table before naming it. */
	res = kg__db_exec(db, diags, "cannot read the graph list", "SELECT to_regclass('kgraph.graphs') IS NOT NULL",
	                  0, NULL);
	if (!res)
		return KG_EIO;
	if (PQgetvalue(res, 0, 0)[0] == 't') {
		PQclear(res);
		res = kg__db_exec(db, diags, "cannot read the graph list", "SELECT id FROM kgraph.graphs WHERE name = $1",
		                  1, params);
		if (!res)
			return KG_EIO;
		if ((found = PQntuples(res) == 1))
			snprintf(buf, 24, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	if (found)
		return KG_OK;
	if (diags && kg__diag_addf(diags, KG_SEV_ERROR, NULL, NULL, NULL,
	                           "the database holds no graph named '%s' (push it with 'kgraph push')", name))
		return KG_ENOMEM;
	return KG_ENOTFOUND;
}

int kg__db_parse_array(const char *text, int (*item)(void *ctx, const char *s, size_t n), void *ctx)
{
	kg__buf b = {0};
	const char *p = text;
	int rc = KG_OK;

	if (!p || *p != '{')
		return KG_OK;
	p++;
	while (*p && *p != '}' && rc == KG_OK) {
		b.n = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (kg__buf_add(&b, p, 1))
					rc = KG_ENOMEM;
			}
			if (*p == '"')
				p++;
			if (rc == KG_OK)
				rc = item(ctx, b.p ? b.p : "", b.n);
		} else {
			const char *start = p;
			while (*p && *p != ',' && *p != '}')
				p++;
			if (!((size_t)(p - start) == 4 && strncmp(start, "NULL", 4) == 0))
				rc = item(ctx, start, (size_t)(p - start));
		}
		if (*p == ',')
			p++;
	}
	kg__buf_free(&b);
	return rc;
}

/* ---- a map from ords ---------------------------------------------- */

static size_t omap_home(const kg__omap *m, uint32_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (m->nslot - 1);
}

uint64_t *kg__omap_get(const kg__omap *m, uint32_t ord)
{
	size_t i;

	if (!m->nslot)
		return NULL;
	for (i = omap_home(m, ord + 1); m->key[i]; i = (i + 1) & (m->nslot - 1))
		if (m->key[i] == ord + 1)
			return &m->val[i];
	return NULL;
}

/* Add ord -> val unless ord is there; true when it was added. -1 when out
 * of memory. */
int kg__omap_put(kg__omap *m, uint32_t ord, uint64_t val)
{
	size_t i;

	if (kg__omap_get(m, ord))
		return 0;
	if ((m->n + 1) * 2 > m->nslot) {
		kg__omap bigger = {NULL, NULL, m->nslot ? m->nslot * 2 : 64, 0};
		bigger.key = kg__calloc(bigger.nslot, sizeof *bigger.key);
		bigger.val = kg__malloc(bigger.nslot * sizeof *bigger.val);
		if (!bigger.key || !bigger.val) {
			kg__free(bigger.key);
			kg__free(bigger.val);
			return -1;
		}
		for (i = 0; i < m->nslot; i++)
			if (m->key[i])
				kg__omap_put(&bigger, m->key[i] - 1, m->val[i]);
		kg__free(m->key);
		kg__free(m->val);
		*m = bigger;
	}
	for (i = omap_home(m, ord + 1); m->key[i]; i = (i + 1) & (m->nslot - 1))
		;
	m->key[i] = ord + 1;
	m->val[i] = val;
	m->n++;
	return 1;
}

void kg__omap_free(kg__omap *m)
{
	kg__free(m->key);
	kg__free(m->val);
	memset(m, 0, sizeof *m);
}

