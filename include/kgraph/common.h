/*
 * kgraph/common.h - error codes and version shared by every kgraph module.
 *
 * Every fallible function returns an int: KG_OK (0) on success or one of the
 * negative kg_error codes below. Details for the user (file, line, message)
 * go to a kg_diag_list that the caller owns; the library never prints.
 */
#ifndef KGRAPH_COMMON_H
#define KGRAPH_COMMON_H

#include "kgraph/export.h"
#include "kgraph/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes. 0 is success; every failure is negative. */
typedef enum kg_error {
	KG_OK = 0,
	KG_ENOMEM = -1,     /**< an allocation failed */
	KG_EIO = -2,        /**< a file could not be opened or read */
	KG_EINVALID = -3,   /**< the input data is invalid; see the diagnostics */
	KG_ENOTFOUND = -4,  /**< a lookup found nothing */
	KG_EAMBIGUOUS = -5, /**< a lookup matched more than one entity */
	KG_EARG = -6        /**< a caller passed an invalid argument */
} kg_error;

/**
 * Return a short English description of an error code, such as
 * "out of memory". The string is static; never NULL.
 */
KG_EXPORT const char *kg_strerror(int error);

/** Return the version of the library the program runs with, e.g. "0.1.0"
 * (KG_VERSION_STRING of kgraph/version.h is that of the headers it was
 * built with). Static; never NULL. */
KG_EXPORT const char *kg_version(void);

#ifdef __cplusplus
}
#endif

#endif
