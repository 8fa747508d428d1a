/* mm-system.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mm-system"

#include "config.h"

#include <unistd.h>

#include "mm-system.h"

/**
 * mm_system_get_total_memory:
 *
 * The machine's physical memory. `MM_TOTAL_MEMORY` (bytes) overrides it, so
 * tests and screenshots do not depend on the machine they run on.
 *
 * Returns: bytes of RAM, or 0 when unknown
 */
guint64
mm_system_get_total_memory (void)
{
  const char *override = g_getenv ("MM_TOTAL_MEMORY");
  long pages, page_size;

  if (override != NULL && *override != '\0')
    return g_ascii_strtoull (override, NULL, 10);

  pages = sysconf (_SC_PHYS_PAGES);
  page_size = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0)
    return 0;

  return (guint64) pages * (guint64) page_size;
}
