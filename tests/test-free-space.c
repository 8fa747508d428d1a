/* test-free-space.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The free-space check the download manager and the engine share: the
 * margin, the reserved bytes of queued downloads, unknown free space and
 * sums too large to count. MM_TEST_FREE_SPACE sets the free space.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mm-free-space.h"

#define MIB ((guint64) 1024 * 1024)

static guint64
margin_of (guint64 bytes)
{
  guint64 needed = 0;

  g_setenv ("MM_TEST_FREE_SPACE", "0", TRUE);
  mm_free_space_check ("/nowhere/in/particular", bytes, 0, &needed, NULL);
  g_unsetenv ("MM_TEST_FREE_SPACE");
  return needed == G_MAXUINT64 ? G_MAXUINT64 : needed - bytes;
}

/* A tenth of the bytes and a MiB, at most 64 MiB. */
static void
test_margin (void)
{
  g_assert_cmpuint (margin_of (0), ==, MIB);
  g_assert_cmpuint (margin_of (10 * MIB), ==, 2 * MIB);
  g_assert_cmpuint (margin_of (100 * MIB), ==, 11 * MIB);
  g_assert_cmpuint (margin_of (630 * MIB), ==, 64 * MIB);
  g_assert_cmpuint (margin_of (1024 * MIB), ==, 64 * MIB);
  g_assert_cmpuint (margin_of (G_MAXUINT64 - 65 * MIB), ==, 64 * MIB);
}

static gboolean
check_with_free (guint64  free_bytes,
                 guint64  bytes,
                 guint64  reserved,
                 guint64 *needed,
                 guint64 *available)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, free_bytes);

  g_setenv ("MM_TEST_FREE_SPACE", text, TRUE);
  return mm_free_space_check ("/nowhere/in/particular", bytes, reserved, needed, available);
}

static void
test_check (void)
{
  guint64 needed = 0;
  guint64 available = 0;

  /* 90 MiB and their 10 MiB margin fit in exactly 100 MiB, not one byte more. */
  g_assert_true (check_with_free (100 * MIB, 90 * MIB, 0, &needed, &available));
  g_assert_cmpuint (needed, ==, 100 * MIB);
  g_assert_cmpuint (available, ==, 100 * MIB);
  g_assert_false (check_with_free (100 * MIB - 1, 90 * MIB, 0, &needed, &available));
  g_assert_cmpuint (needed, ==, 100 * MIB);
  g_assert_cmpuint (available, ==, 100 * MIB - 1);

  /* Downloads already queued take their share first. */
  g_assert_true (check_with_free (100 * MIB, 40 * MIB, 55 * MIB, NULL, NULL));
  g_assert_false (check_with_free (100 * MIB, 40 * MIB, 56 * MIB, NULL, NULL));
  g_assert_false (check_with_free (100 * MIB, 0, 200 * MIB, NULL, NULL));

  /* A sum too large to count never fits, unless nobody knows. */
  g_assert_false (check_with_free (G_MAXUINT64 - 1, G_MAXUINT64 - 1, 0, &needed, NULL));
  g_assert_cmpuint (needed, ==, G_MAXUINT64);
  g_assert_true (check_with_free (G_MAXUINT64, G_MAXUINT64 - 1, G_MAXUINT64, NULL, &available));
  g_assert_cmpuint (available, ==, G_MAXUINT64);

  g_unsetenv ("MM_TEST_FREE_SPACE");
}

/* Without the override: the real file system, asked at the nearest folder
 * that exists. */
static void
test_real_file_system (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-space-XXXXXX", NULL);
  g_autofree char *later = g_build_filename (dir, "not", "yet", "made.gguf", NULL);
  guint64 needed = 0;
  guint64 available = 0;
  guint64 again = 0;

  g_unsetenv ("MM_TEST_FREE_SPACE");
  g_assert_true (mm_free_space_check (dir, 0, 0, &needed, &available));
  g_assert_cmpuint (needed, ==, MIB);
  g_assert_cmpuint (available, >, MIB);
  g_assert_cmpuint (available, <, G_MAXUINT64);

  mm_free_space_check (later, 0, 0, NULL, &again);
  g_assert_cmpuint (again, >, 0);
  g_assert_cmpuint (again, <, G_MAXUINT64);
  g_assert_false (mm_free_space_check (later, 2 * again, 0, NULL, NULL));

  g_assert_no_errno (g_rmdir (dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/free-space/margin", test_margin);
  g_test_add_func ("/mm/free-space/check", test_check);
  g_test_add_func ("/mm/free-space/real-file-system", test_real_file_system);

  return g_test_run ();
}
