/*
 * db_pq.h - libpq, loaded when a command first needs the database
 * (private to src/db).
 *
 * libpq brings about twenty libraries with it (OpenSSL, Kerberos, LDAP,
 * GnuTLS, ...), and loading and initialising them cost every kgraph
 * command about 4 ms before main(), against 0.5 ms for a program without
 * them: a fifth of `kgraph path` on a compiled snapshot (issue 17). So
 * kgraph is not linked with libpq; kg__pq_load() opens libpq.so.5 with
 * dlopen the first time a database is opened, and every PQ* function
 * below is called through the table it fills. The types and prototypes
 * are libpq's own (<libpq-fe.h>), so a call is checked as before.
 */
#ifndef KG_DB_PQ_H
#define KG_DB_PQ_H

#include <libpq-fe.h>

/* Every libpq function kgraph calls. */
#define KG__PQ_FUNCTIONS(X) \
	X(PQconnectdb) X(PQfinish) X(PQstatus) X(PQerrorMessage) X(PQsetNoticeProcessor) X(PQexec) \
	X(PQexecParams) X(PQresultStatus) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQgetvalue) \
	X(PQgetisnull) X(PQgetlength) X(PQputCopyData) X(PQputCopyEnd) X(PQgetResult) X(PQfreemem) \
	X(PQconninfoParse) X(PQconninfoFree) X(PQconninfo)

#define KG__PQ_MEMBER(f) __typeof__(f) *f;
typedef struct kg__pq_api {
	KG__PQ_FUNCTIONS(KG__PQ_MEMBER)
} kg__pq_api;
#undef KG__PQ_MEMBER

extern kg__pq_api kg__pq;

/* Load libpq once (thread-safe). NULL when it is loaded, else what went
 * wrong (dlerror's text, or the missing function's name). */
const char *kg__pq_load(void);

/* Outside db_pq.c, PQexec(...) is kg__pq.PQexec(...). */
#ifndef KG__PQ_LOADER
#define PQconnectdb (kg__pq.PQconnectdb)
#define PQfinish (kg__pq.PQfinish)
#define PQstatus (kg__pq.PQstatus)
#define PQerrorMessage (kg__pq.PQerrorMessage)
#define PQsetNoticeProcessor (kg__pq.PQsetNoticeProcessor)
#define PQexec (kg__pq.PQexec)
#define PQexecParams (kg__pq.PQexecParams)
#define PQresultStatus (kg__pq.PQresultStatus)
#define PQresultErrorMessage (kg__pq.PQresultErrorMessage)
#define PQclear (kg__pq.PQclear)
#define PQntuples (kg__pq.PQntuples)
#define PQgetvalue (kg__pq.PQgetvalue)
#define PQgetisnull (kg__pq.PQgetisnull)
#define PQgetlength (kg__pq.PQgetlength)
#define PQputCopyData (kg__pq.PQputCopyData)
#define PQputCopyEnd (kg__pq.PQputCopyEnd)
#define PQgetResult (kg__pq.PQgetResult)
#define PQfreemem (kg__pq.PQfreemem)
#define PQconninfoParse (kg__pq.PQconninfoParse)
#define PQconninfoFree (kg__pq.PQconninfoFree)
#define PQconninfo (kg__pq.PQconninfo)
#endif

#endif
