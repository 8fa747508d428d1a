/* mm-cli-update.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `model-manager-cli update [REPO] [--check]`: asks the Hub whether the
 * downloaded files (those the download records know) changed upstream,
 * one request per repo, and downloads the changed files, only those, into
 * their own place. --check only says what changed.
 */
#define G_LOG_DOMAIN "mm-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "mm-cli-commands.h"
#include "mm-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILURE_ 1

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
short_commit (const char *commit)
{
  if (commit == NULL)
    return g_strdup ("?");
  return g_strndup (commit, 7);
}

static void
print_update (MmUpdate *update)
{
  g_autofree char *date = update->date ? mm_format_date (update->date) : NULL;
  g_autofree char *old_commit = short_commit (update->old_commit);
  g_autofree char *new_commit = short_commit (update->new_commit);

  if (date != NULL)
    /* Translators: "tiny-org/Pico-GGUF · Q4_K_M: update available (changed 3 March 2026,
     * 14:05; commit 5668b11 → 0a1b2c3)" */
    g_print (_("%s · %s: update available (changed %s; commit %s → %s)\n"), update->repo_id,
             update->quant ? update->quant : "", date, old_commit, new_commit);
  else
    g_print (_("%s · %s: update available (commit %s → %s)\n"), update->repo_id,
             update->quant ? update->quant : "", old_commit, new_commit);

  for (guint i = 0; i < update->files->len; i++)
    {
      MmUpdateFile *file = g_ptr_array_index (update->files, i);
      g_autofree char *size = mm_format_size (mm_repo_file_get_size (file->file));

      g_print ("  %s  %s\n", file->destination, size);
    }
}

int
mm_cli_update (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  gboolean check_only = FALSE;
  const char *repo_id = NULL;
  int status = EXIT_SUCCESS;
  GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check_only,
      N_("Only say what changed; download nothing"), NULL },
    { NULL },
  };

  context = g_option_context_new (_("[REPO] — update downloaded models whose files changed on "
                                    "the Hub"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("model-manager-cli: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc > 3)
    {
      g_printerr ("model-manager-cli: %s\n", _("Give at most one repository."));
      return EXIT_USAGE;
    }
  if (argc == 2)
    {
      repo_id = argv[1];
      if (!mm_repo_id_validate (repo_id, &error))
        {
          g_printerr ("model-manager-cli: %s\n", error->message);
          return EXIT_USAGE;
        }
    }

  settings = mm_cli_settings (&error);
  if (settings == NULL)
    {
      g_printerr ("model-manager-cli: %s\n", error->message);
      return EXIT_FAILURE_;
    }
  client = mm_cli_client (settings);
  checker = mm_update_checker_new (client, NULL);

  mm_update_checker_check_async (checker, repo_id, NULL, store_cb, &result);
  updates = mm_update_checker_check_finish (checker, wait_for (&result), &error);
  if (updates == NULL)
    {
      g_printerr ("model-manager-cli: %s\n", error->message);
      return EXIT_FAILURE_;
    }

  if (updates->len == 0)
    {
      g_print ("%s\n", _("Every downloaded model is up to date."));
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < updates->len; i++)
    print_update (g_ptr_array_index (updates, i));

  if (check_only)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%u update available; “model-manager-cli update” downloads it.\n",
                            "%u updates available; “model-manager-cli update” downloads them.\n",
                            updates->len), updates->len);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < updates->len; i++)
    {
      MmUpdate *update = g_ptr_array_index (updates, i);
      g_autofree char *size = mm_format_size (mm_update_get_size (update));
      g_autoptr(GError) update_error = NULL;

      g_clear_object (&result);
      /* Translators: "Updating tiny-org/Pico-GGUF · Q4_K_M (300.0 kB)…" */
      g_print (_("Updating %s · %s (%s)…\n"), update->repo_id,
               update->quant ? update->quant : "", size);
      mm_update_checker_update_async (checker, update, NULL, store_cb, &result);
      if (!mm_update_checker_update_finish (checker, wait_for (&result), &update_error))
        {
          g_printerr ("model-manager-cli: %s\n", update_error->message);
          status = EXIT_FAILURE_;
          continue;
        }
      /* Translators: "Updated tiny-org/Pico-GGUF · Q4_K_M." */
      g_print (_("Updated %s · %s.\n"), update->repo_id, update->quant ? update->quant : "");
    }

  return status;
}
