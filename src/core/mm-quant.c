/* placeholder */
#include "config.h"
#include "mm-quant.h"
