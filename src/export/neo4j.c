#include "export/export_internal.h"
void kg__export_neo4j(kg__export *x) { x->err = KG_EARG; }
