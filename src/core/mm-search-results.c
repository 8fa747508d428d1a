/* placeholder */
#include "config.h"
#include "mm-search-results.h"
