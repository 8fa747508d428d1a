/* mm-application.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application owns what every window shares: the Hub client and the
 * settings. The settings are optional: when the schema is not installed (a
 * build tree without GSETTINGS_SCHEMA_DIR) the app runs without persisting
 * anything instead of aborting in g_settings_new().
 */
#define G_LOG_DOMAIN "mm-application"

#include "config.h"

#include "mm-application.h"

#include "mm-core.h"
#include "mm-window.h"

#include <glib/gi18n.h>

struct _MmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;  /* (owned) (nullable) */
  MmHubClient    *client;    /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (MmApplication, mm_application, ADW_TYPE_APPLICATION)

static MmHubClient *
create_client (MmApplication *self)
{
  g_autofree char *endpoint = NULL;

  /* HF_ENDPOINT wins, as for the Hub's own tools; then the setting. */
  if (self->settings != NULL && g_getenv ("HF_ENDPOINT") == NULL)
    endpoint = g_settings_get_string (self->settings, "endpoint");

  if (endpoint != NULL && *endpoint != '\0')
    return mm_hub_client_new (endpoint, g_getenv ("HF_TOKEN"));

  return mm_hub_client_new_from_environment ();
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MmApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

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
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Model Manager"),
                        "developer-name", _("Model Manager developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Find GGUF models on the Hugging Face Hub and download "
                                      "the quantization that fits your computer."),
                        "website", "https://github.com/modelmanager/ModelManager",
                        "issue-url", "https://github.com/modelmanager/ModelManager/issues",
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
  { .name = "about", .activate = about_action_cb },
};

static void
mm_application_startup (GApplication *application)
{
  MmApplication *self = MM_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (mm_application_parent_class)->startup (application);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_message ("Settings schema %s is not installed; settings will not be saved", SCHEMA_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
mm_application_activate (GApplication *application)
{
  MmApplication *self = MM_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      if (self->client == NULL)
        self->client = create_client (self);
      window = GTK_WINDOW (mm_window_new (self, self->client, self->settings));
    }

  gtk_window_present (window);
}

static void
mm_application_dispose (GObject *object)
{
  MmApplication *self = MM_APPLICATION (object);

  g_clear_object (&self->client);
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
}

static void
mm_application_init (MmApplication *self)
{
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
 * Returns: (transfer none) (nullable): the settings, or %NULL when the schema
 *   is not installed
 */
GSettings *
mm_application_get_settings (MmApplication *self)
{
  g_return_val_if_fail (MM_IS_APPLICATION (self), NULL);
  return self->settings;
}
