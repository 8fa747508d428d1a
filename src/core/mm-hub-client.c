/* placeholder */
#include "config.h"
#include "mm-hub-client.h"
