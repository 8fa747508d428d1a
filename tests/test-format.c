/* test-format.c: how numbers and dates read
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mm-core.h"

static void
test_count (void)
{
  static const struct { gint64 n; const char *text; } cases[] = {
    { -1, "—" }, { 0, "0" }, { 999, "999" }, { 1000, "1.0 k" }, { 48213, "48.2 k" },
    { 1250000, "1.2 M" }, { 3400000000, "3.4 B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mm_format_count (cases[i].n);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_relative (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 12, 0, 0);
  static const struct { GTimeSpan ago; const char *text; } cases[] = {
    { 10 * G_TIME_SPAN_SECOND, "just now" },
    { 1 * G_TIME_SPAN_MINUTE, "1 minute ago" },
    { 5 * G_TIME_SPAN_MINUTE, "5 minutes ago" },
    { 3 * G_TIME_SPAN_HOUR, "3 hours ago" },
    { 1 * G_TIME_SPAN_DAY, "1 day ago" },
    { 12 * G_TIME_SPAN_DAY, "12 days ago" },
    { 195 * G_TIME_SPAN_DAY, "6 months ago" },
    { 800 * G_TIME_SPAN_DAY, "2 years ago" },
  };
  g_autofree char *unknown = mm_format_relative (NULL, now);

  g_assert_cmpstr (unknown, ==, "unknown");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add (now, -cases[i].ago);
      g_autofree char *text = mm_format_relative (when, now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_date (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 3, 14, 5, 59);
  g_autofree char *text = mm_format_date (when);
  g_autofree char *unknown = mm_format_date (NULL);

  g_assert_cmpstr (text, ==, "3 March 2026, 14:05");
  g_assert_cmpstr (unknown, ==, "unknown");
}

static void
test_folder (void)
{
  g_autofree char *models = g_build_filename (g_get_home_dir (), "Downloads", "Models", NULL);
  g_autofree char *home_like = g_strconcat (g_get_home_dir (), "-other", NULL);
  g_autofree char *shown_models = mm_format_folder (models);
  g_autofree char *shown_home = mm_format_folder (g_get_home_dir ());
  g_autofree char *shown_home_like = mm_format_folder (home_like);
  g_autofree char *shown_other = mm_format_folder ("/srv/models");
  g_autofree char *shown_hostile = mm_format_folder ("/srv/a\nb");

  g_assert_cmpstr (shown_models, ==, "~/Downloads/Models");
  g_assert_cmpstr (shown_home, ==, "~");
  /* Only whole folder names count. */
  g_assert_cmpstr (shown_home_like, ==, home_like);
  g_assert_cmpstr (shown_other, ==, "/srv/models");
  g_assert_cmpstr (shown_hostile, ==, "/srv/a\u240ab");
}

static void
test_params (void)
{
  g_autofree char *none = mm_format_params (0);
  g_autofree char *billions = mm_format_params (1100048384);
  g_autofree char *millions = mm_format_params (260046848);

  g_assert_null (none);
  g_assert_cmpstr (billions, ==, "1.1B parameters");
  g_assert_cmpstr (millions, ==, "260M parameters");
}

static void
test_params_short (void)
{
  static const struct { guint64 parameters; const char *text; } cases[] = {
    { 0, NULL }, { 525056, "525K" }, { 260046848, "260M" }, { 1100048384, "1.1B" },
    { 7241732096, "7.2B" }, { 9999999999, "10.0B" }, { 70553706496, "71B" }, { 12, "1K" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mm_format_params_short (cases[i].parameters);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_license (void)
{
  static const struct { const char *id; const char *name; } cases[] = {
    { "apache-2.0", "Apache 2.0" }, { "mit", "MIT" }, { "MIT", "MIT" },
    { "llama3.1", "Llama 3.1 Community License" }, { "cc-by-nc-4.0", "CC BY-NC 4.0" },
    { "other", "Other" }, { "my-own-license", "my-own-license" },
    { "bad\x1b[31m", "bad\u241b[31m" },
  };
  g_autofree char *none = mm_format_license (NULL);
  g_autofree char *empty = mm_format_license ("");

  g_assert_null (none);
  g_assert_null (empty);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = mm_format_license (cases[i].id);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_size (void)
{
  g_autofree char *small = mm_format_size (667814976);
  g_autofree char *big = mm_format_size (G_GUINT64_CONSTANT (53687091200));

  g_autofree char *bytes = mm_format_size (512);
  g_autofree char *one = mm_format_size (1);
  g_autofree char *kilo = mm_format_size (12345);
  g_autofree char *tera = mm_format_size (G_GUINT64_CONSTANT (2500000000000));

  g_assert_cmpstr (small, ==, "667.8\u00a0MB");
  g_assert_cmpstr (big, ==, "53.7\u00a0GB");
  g_assert_cmpstr (bytes, ==, "512\u00a0bytes");
  g_assert_cmpstr (one, ==, "1\u00a0byte");
  g_assert_cmpstr (kilo, ==, "12.3\u00a0kB");
  g_assert_cmpstr (tera, ==, "2.5\u00a0TB");
}

/* GLib's own German translation of g_format_size() says "KB"; ours keeps
 * the SI unit, so that every size in the app reads the same. */
static void
test_size_german (void)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *kilo = NULL;
  g_autofree char *params = NULL;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("The German translation is not built");
      return;
    }

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  kilo = mm_format_size (12345);
  params = mm_format_params (1100048384);
  g_assert_cmpstr (kilo, ==, "12.3\u00a0kB");
  g_assert_cmpstr (params, ==, "1.1B Parameter");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");
}

/* Exact figures group their digits as the locale does. */
static void
test_integer (void)
{
  g_autofree char *plain = mm_format_integer (4096);
  g_autofree char *zero = mm_format_integer (0);
  g_autofree char *grouped = NULL;
  g_autofree char *large = NULL;

  g_assert_cmpstr (plain, ==, "4096");
  g_assert_cmpstr (zero, ==, "0");

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("The de_DE.UTF-8 locale is not installed");
      return;
    }
  grouped = mm_format_integer (4096);
  large = mm_format_integer (G_GUINT64_CONSTANT (1048576));
  setlocale (LC_NUMERIC, "C.UTF-8");
  g_assert_cmpstr (grouped, ==, "4.096");
  g_assert_cmpstr (large, ==, "1.048.576");
}

static void
test_sort_names (void)
{
  MmSort sort;

  g_assert_true (mm_sort_from_string ("trending", &sort));
  g_assert_cmpint (sort, ==, MM_SORT_TRENDING);
  g_assert_cmpstr (mm_sort_to_api (sort), ==, "trendingScore");
  g_assert_true (mm_sort_from_string ("updated", &sort));
  g_assert_cmpstr (mm_sort_to_api (sort), ==, "lastModified");
  g_assert_true (mm_sort_from_string ("created", &sort));
  g_assert_cmpstr (mm_sort_to_api (sort), ==, "createdAt");
  g_assert_false (mm_sort_from_string ("random", &sort));
  g_assert_cmpstr (mm_fit_to_string (MM_FIT_TOO_LARGE), ==, "too-large");
  g_assert_cmpstr (mm_gated_to_string (MM_GATED_MANUAL), ==, "manual");
}

static void
test_transfer (void)
{
  static const struct { gint64 s; const char *text; } etas[] = {
    { 0, "0 seconds left" }, { 1, "1 second left" }, { 8, "8 seconds left" },
    { 61, "2 minutes left" }, { 3600, "1 h 0 min left" }, { 7500, "2 h 5 min left" },
    { 500000, "more than 4 days left" },
  };
  g_autofree char *unknown = mm_format_eta (-1);
  g_autofree char *still = mm_format_speed (0);
  g_autofree char *speed = mm_format_speed (45200000);
  g_autofree char *short_time = mm_format_elapsed (7);
  g_autofree char *long_time = mm_format_elapsed (3723);
  g_autofree char *progress = mm_format_progress (312000000, 668000000);

  g_assert_null (unknown);
  for (guint i = 0; i < G_N_ELEMENTS (etas); i++)
    {
      g_autofree char *text = mm_format_eta (etas[i].s);
      g_assert_cmpstr (text, ==, etas[i].text);
    }
  g_assert_cmpstr (still, ==, "—");
  g_assert_cmpstr (speed, ==, "45.2\u00a0MB/s");
  g_assert_cmpstr (short_time, ==, "0:07");
  g_assert_cmpstr (long_time, ==, "1:02:03");
  g_assert_cmpstr (progress, ==, "312.0\u00a0MB of 668.0\u00a0MB");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/format/count", test_count);
  g_test_add_func ("/mm/format/integer", test_integer);
  g_test_add_func ("/mm/format/relative", test_relative);
  g_test_add_func ("/mm/format/date", test_date);
  g_test_add_func ("/mm/format/folder", test_folder);
  g_test_add_func ("/mm/format/params", test_params);
  g_test_add_func ("/mm/format/params-short", test_params_short);
  g_test_add_func ("/mm/format/size", test_size);
  g_test_add_func ("/mm/format/size/german", test_size_german);
  g_test_add_func ("/mm/format/license", test_license);
  g_test_add_func ("/mm/types/sort-names", test_sort_names);
  g_test_add_func ("/mm/format/transfer", test_transfer);

  return g_test_run ();
}
