/* mm-first-run.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What is asked once, at the first start. Today that is one question: when
 * LM Studio is installed, whether models should go into its models folder,
 * where LM Studio finds them without importing. Whatever the answer (or
 * when there is nothing to ask), the "first-run-done" key is set so that
 * the question never comes back; the folder can be changed in Preferences.
 */
#define G_LOG_DOMAIN "mm-first-run"

#include "config.h"

#include "mm-first-run.h"

#include <glib/gi18n.h>

typedef struct {
  MmSettings *settings;  /* (owned) */
  char *folder;          /* (owned) */
} Offer;

static void
offer_free (gpointer data,
            GClosure *closure)
{
  Offer *offer = data;

  g_clear_object (&offer->settings);
  g_clear_pointer (&offer->folder, g_free);
  g_free (offer);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Offer            *offer)
{
  if (g_strcmp0 (response, "use") == 0)
    mm_settings_set_download_folder (offer->settings, offer->folder);
  mm_settings_set_first_run_done (offer->settings, TRUE);
}

/**
 * mm_first_run_offer_lm_studio_folder:
 * @parent: the main window
 * @settings: the settings
 *
 * At the first start, offers LM Studio's models folder as the download
 * folder when it exists and no folder was chosen yet.
 *
 * Returns: (transfer none) (nullable): the dialog shown, or %NULL when
 *   nothing was asked
 */
AdwMessageDialog *
mm_first_run_offer_lm_studio_folder (GtkWindow  *parent,
                                     MmSettings *settings)
{
  g_autofree char *folder = NULL;
  g_autofree char *display = NULL;
  g_autofree char *chosen = NULL;
  AdwMessageDialog *dialog;
  Offer *offer;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MM_IS_SETTINGS (settings), NULL);

  if (mm_settings_get_first_run_done (settings))
    return NULL;

  folder = mm_settings_find_lm_studio_folder ();
  chosen = mm_settings_dup_download_folder (settings);
  if (folder == NULL || *chosen != '\0')
    {
      mm_settings_set_first_run_done (settings, TRUE);
      return NULL;
    }

  display = g_filename_display_name (folder);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                       _("Download into LM Studio’s Folder?"),
                                                       NULL));
  /* Translators: %s is a folder such as /home/ada/.lmstudio/models */
  adw_message_dialog_format_body (dialog,
                                  _("LM Studio keeps its models in %s. Models downloaded there "
                                    "show up in LM Studio without importing them. You can "
                                    "change the folder later in Preferences."),
                                  display);
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Default"),
                                    "use", _("_Use LM Studio’s Folder"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "use", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "use");
  adw_message_dialog_set_close_response (dialog, "keep");

  offer = g_new0 (Offer, 1);
  offer->settings = g_object_ref (settings);
  offer->folder = g_steal_pointer (&folder);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), offer, offer_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
