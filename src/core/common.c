/*
 * common.c - error strings and the version, for every module.
 */
#include "kgraph/common.h"
#include "kgraph/version.h"

const char *kg_strerror(int error)
{
	switch (error) {
	case KG_OK: return "success";
	case KG_ENOMEM: return "out of memory";
	case KG_EIO: return "input/output error";
	case KG_EINVALID: return "invalid input";
	case KG_ENOTFOUND: return "not found";
	case KG_EAMBIGUOUS: return "ambiguous";
	case KG_EARG: return "invalid argument";
	default: return "unknown error";
	}
}

const char *kg_version(void)
{
	return KG_VERSION_STRING;
}
