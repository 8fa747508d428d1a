/* placeholder */
#include "config.h"
#include "mm-mock-hub.h"
