/* mm-application.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application owns what every window shares: the Hub client and the
 * settings. main() makes sure the settings schema is installed (else it
 * says so and stops) before the application runs.
 *
 * The Hub client comes from MmTokenChain, as the command line's does: the
 * effective endpoint of MmSettings and the token found for it (keyring,
 * HF_TOKEN, the Hub tools' file). The first
 * window waits for that lookup, for at most STARTUP_TOKEN_WAIT_MS so that a
 * slow keyring cannot keep it from appearing. When the endpoint or the
 * token changes (Preferences), the token is looked up again and every
 * window gets a new client and searches again.
 *
 * Downloads (the one MmDownloadManager, their actions, notifications,
 * `--download` and background mode) live in mm-application-downloads.c.
 */
#define G_LOG_DOMAIN "mm-application"

#include "config.h"

#include "mm-application.h"

#include "mm-application-private.h"
#include "mm-core.h"
#include "mm-first-run.h"
#include "mm-preferences-window.h"
#include "mm-window.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#define STARTUP_TOKEN_WAIT_MS 2000

struct _MmApplication
{
  AdwApplication  parent_instance;

  MmSettings     *settings;           /* (owned) */
  MmTokenChain   *tokens;             /* (owned) */
  MmHubClient    *client;             /* (owned) (nullable) */
  MmAppDownloads *downloads;          /* (owned) (nullable) */
  MmLibrary      *library;            /* (owned) (nullable) */
  MmMachine      *machine;            /* (owned) (nullable) */
  MmComparison   *comparison;         /* (owned) (nullable) */
  GCancellable   *machine_cancellable; /* (owned) (nullable) */
  GCancellable   *token_cancellable;  /* (owned) (nullable) */
  GtkWindow      *preferences;        /* (nullable) weak */
  guint           startup_wait_id;
  gboolean        token_known;        /* a token lookup has finished */
  gboolean        window_wanted;      /* activated before it had finished */
};

G_DEFINE_FINAL_TYPE (MmApplication, mm_application, ADW_TYPE_APPLICATION)

static void
show_window (MmApplication *self)
{
  MmWindow *window;

  g_clear_handle_id (&self->startup_wait_id, g_source_remove);
  if (!self->window_wanted)
    return;
  self->window_wanted = FALSE;
  g_application_release (G_APPLICATION (self));

  if (self->client == NULL)
    self->client = mm_settings_create_client (self->settings, NULL);
  _mm_app_downloads_set_client (self->downloads, self->client);
  window = mm_window_new (self, self->client, mm_settings_get_gsettings (self->settings));
  _mm_app_downloads_attach_window (self->downloads, window);
  mm_window_set_library (window, self->library);
  mm_window_set_machine (window, self->machine);
  mm_window_set_comparison (window, self->comparison);
  gtk_window_present (GTK_WINDOW (window));
  mm_first_run_offer_lm_studio_folder (GTK_WINDOW (window), self->settings);
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmHubClient) client = NULL;
  GList *windows;

  client = mm_token_chain_new_client_finish (MM_TOKEN_CHAIN (source), result, &error);
  if (client == NULL)
    return;

  g_clear_object (&self->client);
  self->client = g_steal_pointer (&client);
  self->token_known = TRUE;
  _mm_app_downloads_set_client (self->downloads, self->client);

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (MM_IS_WINDOW (l->data))
        mm_window_set_client (MM_WINDOW (l->data), self->client);
    }

  show_window (self);
}

/* Looks the token up (again) and then gives every window a new client. */
static void
reload_client (MmApplication *self)
{
  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  self->token_cancellable = g_cancellable_new ();

  mm_token_chain_new_client_async (self->tokens, self->token_cancellable,
                                   token_looked_up_cb, g_object_ref (self));
}

/* The Library shows the effective download folder (the setting, or the
 * default when it is empty) and the other folders the person added, and
 * follows both settings. The library watches the folders itself. */
static void
update_library_folders (MmApplication *self)
{
  g_auto(GStrv) folders = mm_settings_dup_library_folders (self->settings);

  if (!g_strv_equal ((const char * const *) folders, mm_library_get_folders (self->library)))
    mm_library_set_folders (self->library, (const char * const *) folders);
}

static void
startup_wait_cb (gpointer user_data)
{
  MmApplication *self = user_data;

  self->startup_wait_id = 0;
  g_message ("The keyring did not answer in time; searching without a saved token for now");
  show_window (self);
}

static gboolean
is_toplevel (GtkWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel == window)
        return TRUE;
    }

  return FALSE;
}

static void
present_preferences (MmApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* A closed Preferences window is destroyed but lives on until its last
   * token lookup lets go of it: never show that one again, it is on its
   * way out (and would go away under the person's eyes). */
  if (self->preferences != NULL && !is_toplevel (self->preferences))
    g_clear_weak_pointer (&self->preferences);

  if (self->preferences == NULL)
    {
      MmPreferencesWindow *preferences;

      if (parent != NULL && MM_IS_PREFERENCES_WINDOW (parent))
        parent = gtk_window_get_transient_for (parent);
      preferences = mm_preferences_window_new (parent, self->tokens);
      mm_preferences_window_set_machine (preferences, self->machine);
      g_set_weak_pointer (&self->preferences, GTK_WINDOW (preferences));
    }

  gtk_window_present (self->preferences);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  present_preferences (user_data);
}

/* app.add-token: Preferences, at the access token field. */
static void
add_token_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  MmApplication *self = user_data;

  present_preferences (self);
  mm_preferences_window_show_token (MM_PREFERENCES_WINDOW (self->preferences));
}

/* app.open-model-page (s): the model's page on the configured Hub, where a
 * person accepts a gated model's conditions or asks for access. */
static void
open_model_page_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  MmApplication *self = user_data;
  const char *repo_id = g_variant_get_string (parameter, NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *url = NULL;

  if (self->client == NULL || !mm_repo_id_validate (repo_id, NULL))
    return;

  url = mm_hub_client_build_model_url (self->client, repo_id);
  gtk_show_uri (window, url, GDK_CURRENT_TIME);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MmApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* With downloads running the window asks first, and quits if told to. */
  if (_mm_app_downloads_ask_before_quitting (self->downloads))
    return;

  /* Close the windows so that each saves its state, then quit. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "Model Manager developers", NULL };
  g_autofree char *release_notes = NULL;
  GtkWidget *about;

  /* The same text as the 0.1.0 release in the metainfo (data/), so
   * that the translations are shared. */
  release_notes = g_markup_printf_escaped ("<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>",
                                           _("The first release of Model Manager."),
                                           _("Search the Hugging Face Hub for GGUF models"),
                                           _("See every quantization with its size and whether it "
                                             "fits this computer’s memory"),
                                           _("Resumable downloads, checked against the Hub’s "
                                             "SHA-256 checksums"),
                                           _("Access tokens for gated and private models, kept "
                                             "in the keyring"));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Model Manager"),
                        "developer-name", _("Model Manager developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Find GGUF models on the Hugging Face Hub and download "
                                      "the quantization that fits your computer."),
                        "website", "https://github.com/modelmanager/model-manager",
                        "issue-url", "https://github.com/modelmanager/model-manager/issues",
                        "release-notes-version", "0.1.0",
                        "release-notes", release_notes,
                        /* GPL 3.0 or later; GTK_LICENSE_GPL_3_0_ONLY is the other one */
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 Model Manager developers",
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action_cb },
  { .name = "preferences", .activate = preferences_action_cb },
  { .name = "add-token", .activate = add_token_action_cb },
  { .name = "open-model-page", .activate = open_model_page_action_cb, .parameter_type = "s" },
  { .name = "about", .activate = about_action_cb },
};

/* `meson devenv` (build-aux/dev run) sets MM_ICON_DIR to the source tree's
 * icons, so that the app icon (in About, for one) shows uninstalled. They
 * come first, before an older installed copy. */
static void
add_uninstalled_icons (void)
{
  const char *dir = g_getenv ("MM_ICON_DIR");
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) paths = NULL;
  g_auto(GStrv) old = NULL;
  GtkIconTheme *theme;

  if (dir == NULL || *dir == '\0' || display == NULL)
    return;

  theme = gtk_icon_theme_get_for_display (display);
  old = gtk_icon_theme_get_search_path (theme);
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, dir);
  if (old != NULL)
    g_strv_builder_addv (builder, (const char **) old);
  paths = g_strv_builder_end (builder);
  gtk_icon_theme_set_search_path (theme, (const char * const *) paths);
}

static void
machine_detected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!mm_machine_detect_finish (MM_MACHINE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not look for GPUs: %s", error->message);
}

static void
mm_application_startup (GApplication *application)
{
  MmApplication *self = MM_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (mm_application_parent_class)->startup (application);

  add_uninstalled_icons ();
  {
    g_autoptr(GError) error = NULL;

    self->settings = mm_settings_new (&error);
    /* main() checked the schema before running the application. */
    if (self->settings == NULL)
      {
        g_printerr ("model-manager: %s\n", error->message);
        exit (EXIT_FAILURE);
      }
  }
  self->tokens = mm_token_chain_new (self->settings, NULL);

  /* A new Hub may have another token, and a new token needs a new client. */
  g_signal_connect_object (self->settings, "notify::effective-endpoint",
                           G_CALLBACK (reload_client), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tokens, "changed",
                           G_CALLBACK (reload_client), self, G_CONNECT_SWAPPED);
  self->downloads = _mm_app_downloads_new (self, self->settings);
  self->library = mm_library_new ();
  /* The Hugging Face cache is always listed: the Hub's own tools put
   * models there, and the app can save there too. */
  {
    g_autofree char *hf_cache = mm_hf_cache_dup_dir (NULL);

    mm_library_set_hf_cache_folder (self->library, hf_cache);
  }
  update_library_folders (self);
  g_signal_connect_object (self->settings, "notify::effective-download-folder",
                           G_CALLBACK (update_library_folders), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::library-folders",
                           G_CALLBACK (update_library_folders), self, G_CONNECT_SWAPPED);
  reload_client (self);

  /* The GPUs are looked for once, in a thread: loading NVML takes a moment. */
  self->machine = mm_machine_new (self->settings);
  self->comparison = mm_comparison_new ();
  self->machine_cancellable = g_cancellable_new ();
  mm_machine_detect_async (self->machine, self->machine_cancellable, machine_detected_cb, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

static void
mm_application_activate (GApplication *application)
{
  MmApplication *self = MM_APPLICATION (application);
  GtkWindow *window;

  _mm_app_downloads_activate (self->downloads);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->window_wanted)
    return;

  /* Keep running until the window can be made with the right token. */
  self->window_wanted = TRUE;
  g_application_hold (application);
  if (self->token_known)
    show_window (self);
  else
    self->startup_wait_id = g_timeout_add_once (STARTUP_TOKEN_WAIT_MS, startup_wait_cb, self);
}

static void
mm_application_dispose (GObject *object)
{
  MmApplication *self = MM_APPLICATION (object);

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_handle_id (&self->startup_wait_id, g_source_remove);
  g_clear_weak_pointer (&self->preferences);
  g_clear_pointer (&self->downloads, _mm_app_downloads_free);
  g_clear_object (&self->library);
  g_cancellable_cancel (self->machine_cancellable);
  g_clear_object (&self->machine_cancellable);
  g_clear_object (&self->machine);
  g_clear_object (&self->comparison);
  g_clear_object (&self->client);
  g_clear_object (&self->tokens);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mm_application_parent_class)->dispose (object);
}

static void
mm_application_class_init (MmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mm_application_dispose;
  app_class->startup = mm_application_startup;
  app_class->activate = mm_application_activate;
  app_class->handle_local_options = _mm_app_downloads_handle_local_options;
}

static void
mm_application_init (MmApplication *self)
{
  _mm_app_downloads_add_main_options (G_APPLICATION (self));
}

MmApplication *
mm_application_new (void)
{
  return g_object_new (MM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* Fixed, so that a .Devel build finds the same resources. */
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/**
 * mm_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, or %NULL before
 *   startup
 */
GSettings *
mm_application_get_settings (MmApplication *self)
{
  g_return_val_if_fail (MM_IS_APPLICATION (self), NULL);
  return self->settings ? mm_settings_get_gsettings (self->settings) : NULL;
}

/**
 * mm_application_get_library:
 *
 * Returns: (transfer none) (nullable): the models in the download folder
 *   and the other library folders, once the application has started
 */
MmLibrary *
mm_application_get_library (MmApplication *self)
{
  g_return_val_if_fail (MM_IS_APPLICATION (self), NULL);
  return self->library;
}

/**
 * mm_application_get_download_manager:
 *
 * Returns: (transfer none) (nullable): the downloads, once the Hub client
 *   exists (shortly after start)
 */
MmDownloadManager *
mm_application_get_download_manager (MmApplication *self)
{
  g_return_val_if_fail (MM_IS_APPLICATION (self), NULL);
  return self->downloads ? _mm_app_downloads_get_manager (self->downloads) : NULL;
}

/* The downloads concern, %NULL once the application has shut down. */
MmAppDownloads *
_mm_application_get_downloads (MmApplication *self)
{
  g_return_val_if_fail (MM_IS_APPLICATION (self), NULL);

  return self->downloads;
}

/**
 * mm_application_download_quant:
 * @model: the model, as the detail pane shows it
 * @quant: one of its quantizations
 * @when: now, later, or now even on a metered network
 *
 * Queues a download from the objects the window already has; nothing is
 * asked of the Hub first, so it works offline too (the item then waits
 * for the network). A decision (a metered network, a very large set) is
 * asked first, over the window.
 */
void
mm_application_download_quant (MmApplication  *self,
                               MmModel        *model,
                               MmQuant        *quant,
                               MmDownloadWhen  when)
{
  g_return_if_fail (MM_IS_APPLICATION (self));

  if (self->downloads != NULL)
    _mm_app_downloads_add_quant (self->downloads, model, quant, when);
}
