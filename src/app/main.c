/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-application.h"
#include "mm-download.h"
#include "mm-settings.h"

#include <glib/gi18n.h>
#include <locale.h>

/* MM_BENCH_MAIN_LOOP=1 (tests/bench-ui-rows.sh): a 10 ms timer measures how
 * late the main loop serves it — the time a person would wait for the
 * window to react — and prints a summary every 5 seconds. */
typedef struct {
  gint64 expected_us;
  gint64 worst_us;
  GArray *lateness;   /* gint64 microseconds */
  guint n_windows;
} LoopProbe;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
loop_probe_cb (gpointer data)
{
  LoopProbe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = MAX (now - probe->expected_us, 0);

  g_array_append_val (probe->lateness, late);
  probe->expected_us = now + 10 * 1000;

  if (probe->lateness->len >= 500)
    {
      g_array_sort (probe->lateness, compare_gint64);
      g_printerr ("main-loop-probe: window %u ticks %u median %.1f ms p99 %.1f ms max %.1f ms\n",
                  ++probe->n_windows, probe->lateness->len,
                  g_array_index (probe->lateness, gint64, probe->lateness->len / 2) / 1000.0,
                  g_array_index (probe->lateness, gint64, probe->lateness->len * 99 / 100) / 1000.0,
                  g_array_index (probe->lateness, gint64, probe->lateness->len - 1) / 1000.0);
      g_array_set_size (probe->lateness, 0);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_loop_probe (void)
{
  static LoopProbe probe;

  probe.lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe.expected_us = g_get_monotonic_time () + 10 * 1000;
  g_timeout_add_full (G_PRIORITY_DEFAULT, 10, loop_probe_cb, &probe, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MmApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* `meson devenv` (build-aux/dev run) points MM_LOCALEDIR at the build
   * tree's compiled translations: uninstalled, the app speaks the
   * person's language too. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MM_LOCALEDIR") ? g_getenv ("MM_LOCALEDIR")
                                                             : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Model Manager"));

  if (g_getenv ("MM_BENCH_MAIN_LOOP") != NULL)
    start_loop_probe ();

  /* On a busy machine the window comes before the bytes. */
  mm_download_set_worker_nice (5);

  /* Without the schema there is nothing to keep settings in: say how to
   * get it rather than let g_settings_new() abort. */
  {
    g_autoptr(GError) error = NULL;

    if (!mm_settings_check_schema (&error))
      {
        g_printerr ("model-manager: %s\n", error->message);
        return 1;
      }
  }

  app = mm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
