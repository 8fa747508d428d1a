/* mm-system.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mm-system"

#include "config.h"

#include <unistd.h>

#include <gio/gio.h>

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

/**
 * mm_system_get_free_space:
 * @path: a folder, or a file or folder that is yet to be made (the nearest
 *   existing parent is asked)
 *
 * MM_TEST_FREE_SPACE=<bytes> overrides the answer, for tests.
 *
 * Returns: the bytes free on the file system of @path, or %G_MAXUINT64
 *   when that cannot be known
 */
guint64
mm_system_get_free_space (const char *path)
{
  const char *override = g_getenv ("MM_TEST_FREE_SPACE");
  g_autofree char *existing = g_strdup (path);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (override != NULL && *override != '\0')
    return g_ascii_strtoull (override, NULL, 10);

  while (!g_file_test (existing, G_FILE_TEST_IS_DIR))
    {
      char *parent = g_path_get_dirname (existing);

      if (g_str_equal (parent, existing))
        {
          g_free (parent);
          break;
        }
      g_free (existing);
      existing = parent;
    }

  file = g_file_new_for_path (existing);
  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return G_MAXUINT64;

  return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}
