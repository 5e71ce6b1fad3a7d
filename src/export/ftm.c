#include "export/export_internal.h"
void kg__export_ftm(kg__export *x) { x->err = KG_EARG; }
