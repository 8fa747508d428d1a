/* mm-mock-hub-main.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `mm-mock-hub [--port N]`: runs the mock Hub until SIGINT or SIGTERM, so a
 * person (or build-aux/dev) can point the app at it. The first line on stdout
 * is `HF_ENDPOINT=http://127.0.0.1:PORT`, ready for `export`.
 */
#define G_LOG_DOMAIN "mm-mock-hub"

#include "config.h"

#include "mm-mock-hub.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  /* Kept until main() removes it, so a second signal is still caught. */
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmMockHub) hub = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  int port = 0;
  int delay = 0;
  int max_search_limit = 0;
  gint64 cdn_rate = 0;
  g_autofree char *refused_token = NULL;
  gboolean print_ranges = FALSE;
  g_autofree char *request_log = NULL;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port of the Hub (0 = random)", "N" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay, "Delay of every API answer", "MS" },
    { "max-search-limit", 0, 0, G_OPTION_ARG_INT, &max_search_limit,
      "The largest search page (default 1000)", "N" },
    { "cdn-rate", 0, 0, G_OPTION_ARG_INT64, &cdn_rate, "CDN bytes per second (0 = no limit)",
      "BYTES" },
    { "request-log", 0, 0, G_OPTION_ARG_FILENAME, &request_log,
      "Append one line per request (hub|cdn METHOD PATH) to FILE", "FILE" },
    { "refused-token", 0, 0, G_OPTION_ARG_STRING, &refused_token,
      "How a refused token is answered: as-anonymous (default) or invalid-credentials",
      "ANSWER" },
    { "print-ranges", 0, 0, G_OPTION_ARG_NONE, &print_ranges,
      "When stopped, print the Range header of every CDN GET, one per line", NULL },
    { NULL }
  };

  context = g_option_context_new ("- mock Hugging Face Hub for Model Manager");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > G_MAXUINT16 || delay < 0 || cdn_rate < 0 || max_search_limit < 0 ||
      (refused_token != NULL && !g_str_equal (refused_token, "as-anonymous") &&
       !g_str_equal (refused_token, "invalid-credentials")))
    {
      g_printerr ("Invalid option value\n");
      return EXIT_FAILURE;
    }

  hub = mm_mock_hub_new_on_port (port, &error);
  if (!hub)
    {
      g_printerr ("Cannot start the mock Hub: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (request_log != NULL && !mm_mock_hub_set_request_log (hub, request_log, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  mm_mock_hub_set_delay (hub, delay);
  if (max_search_limit > 0)
    mm_mock_hub_set_max_search_limit (hub, max_search_limit);
  mm_mock_hub_set_cdn_rate (hub, cdn_rate);
  if (g_strcmp0 (refused_token, "invalid-credentials") == 0)
    mm_mock_hub_set_refused_token (hub, MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS);

  g_print ("HF_ENDPOINT=%s\n", mm_mock_hub_get_url (hub));
  fflush (stdout);
  g_printerr ("CDN at %s; valid token %s; Ctrl+C stops.\n",
              mm_mock_hub_get_cdn_url (hub), MM_MOCK_HUB_TOKEN);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (print_ranges)
    {
      g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (hub);

      for (guint i = 0; ranges != NULL && ranges[i] != NULL; i++)
        g_print ("CDN-RANGE: %s\n", *ranges[i] ? ranges[i] : "(none)");
      fflush (stdout);
    }
  mm_mock_hub_stop (hub);
  return EXIT_SUCCESS;
}
