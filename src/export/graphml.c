#include "export/export_internal.h"
void kg__export_graphml(kg__export *x) { x->err = KG_EARG; }
