/* mm-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences, applied as they change: every plain control is bound to its
 * GSettings key with g_settings_bind() (the combo rows through the GObject
 * enum type of the key, the sizes through a unit). Three controls need more
 * than a binding:
 *
 * - the other model folders, listed from the library-folders key (one row
 *   per folder, with a remove button) and refilled whenever it or the
 *   download folder changes; folders are added through a folder chooser,
 *   or with one click for LM Studio's models folder when it is found and
 *   not listed yet;
 * - the Hub address is saved only when it is a valid http(s) URL, on Enter
 *   or the apply button; while it is invalid the row shows why;
 * - the access token is never saved unchecked: "Check and Save" asks the
 *   Hub which account it belongs to, and only then puts it in the keyring.
 *   The token is never shown again once saved; the row under it says whose
 *   it is and where it comes from (keyring, HF_TOKEN, the Hub tools' file).
 */
#define G_LOG_DOMAIN "mm-preferences-window"

#include "config.h"

#include "mm-preferences-window.h"

#include <glib/gi18n.h>
#include <string.h>

#define BYTES_PER_MB 1000000.0
#define BYTES_PER_GB 1000000000.0

struct _MmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  MmTokenChain         *tokens;        /* (owned) */
  MmSettings           *settings;      /* (owned) the chain's */
  MmMachine            *machine;       /* (owned) (nullable) */
  GCancellable         *cancellable;   /* (owned) token lookups and checks */
  GtkFileChooserNative *chooser;       /* (owned) (nullable) */
  GtkFileChooserNative *library_chooser; /* (owned) (nullable) */
  GtkStringList        *library_folders; /* (owned) the other folders, canonical */
  char                 *pending_token; /* (owned) (nullable) checked, being saved */
  char                 *pending_name;  /* (owned) (nullable) its account */
  MmTokenSource         token_source;
  gboolean              busy;
  guint                 focus_token_id; /* idle: focus the token field */

  GtkImage             *account_icon;
  GtkAdjustment        *budget_adjustment;
  GtkSpinButton        *budget_spin;
  GtkAdjustment        *context_adjustment;
  GtkSpinButton        *context_spin;
  AdwActionRow         *gpu_row;
  AdwPreferencesPage   *memory_page;
  AdwActionRow         *ram_row;
  AdwActionRow         *add_folder_row;
  AdwActionRow         *account_row;
  GtkSpinner           *account_spinner;
  GtkWidget            *check_token_button;
  GtkWidget            *choose_folder_button;
  GtkAdjustment        *concurrent_adjustment;
  GtkSpinButton        *concurrent_spin;
  GtkAdjustment        *connections_adjustment;
  AdwComboRow          *metered_row;
  GtkAdjustment        *schedule_start_adjustment;
  GtkAdjustment        *schedule_end_adjustment;
  GtkLabel             *endpoint_env_label;
  GtkLabel             *endpoint_error_label;
  AdwEntryRow          *endpoint_row;
  AdwActionRow         *folder_row;
  AdwActionRow         *hf_cache_row;
  AdwComboRow          *location_row;
  GtkWidget            *open_cache_button;
  GtkWidget            *library_actions_list;
  GtkListBox           *library_list;
  AdwActionRow         *lm_studio_row;
  AdwPreferencesPage   *hub_page;
  GtkAdjustment        *rate_adjustment;
  GtkSpinButton        *rate_spin;
  GtkWidget            *remove_token_button;
  GtkWidget            *reset_folder_button;
  GtkSwitch            *resume_switch;
  AdwComboRow          *sort_row;
  AdwPasswordEntryRow  *token_row;
};

G_DEFINE_FINAL_TYPE (MmPreferencesWindow, mm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef enum {
  PROP_0,
  PROP_TOKENS,
  PROP_BUSY,
  N_PROPS,
} MmPreferencesWindowProperty;

static GParamSpec *properties[N_PROPS];

static void refresh_account (MmPreferencesWindow *self);

static gboolean
is_cancelled (const GError *error)
{
  return error != NULL &&
         (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* Transforms between settings and widgets */

/* A spin button whose 0 means "none" (the bandwidth limit, the RAM budget):
 * it shows @none_label for 0 and reads it (any case) or nothing back as 0.
 * Both decimal marks are read: "2,5" is what a German keyboard types. */
static gboolean
none_output_cb (GtkSpinButton *spin,
                const char    *none_label)
{
  double value = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));

  if (value > 0)
    return FALSE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), none_label) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), none_label);
  return TRUE;
}

static int
none_input_cb (GtkSpinButton *spin,
               double        *new_value,
               const char    *none_label)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *none = g_utf8_casefold (none_label, -1);
  char *end = NULL;
  double value;

  if (g_str_equal (g_strstrip (folded), none) || *folded == '\0')
    {
      *new_value = 0;
      return TRUE;
    }

  g_strdelimit (folded, ",", '.');
  value = g_ascii_strtod (folded, &end);
  if (end == folded || *g_strstrip (end) != '\0' || value < 0)
    return GTK_INPUT_ERROR;
  *new_value = value;
  return TRUE;
}

/* @none_label: translated, and static (it is the handlers' data) */
static void
setup_none_spin (GtkSpinButton *spin,
                 const char    *none_label)
{
  g_signal_connect (spin, "output", G_CALLBACK (none_output_cb), (gpointer) none_label);
  g_signal_connect (spin, "input", G_CALLBACK (none_input_cb), (gpointer) none_label);
  /* Wide enough for the label in any language. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin),
                                MAX (6, (int) g_utf8_strlen (none_label, -1)));
}

/* A size key in bytes ("t") shown in a unit (MB, GB) of @user_data bytes. */
static gboolean
bytes_to_unit (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  double unit = *(const double *) user_data;

  g_value_set_double (value, (double) g_variant_get_uint64 (variant) / unit);
  return TRUE;
}

static GVariant *
unit_to_bytes (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  double unit = *(const double *) user_data;
  double amount = MAX (g_value_get_double (value), 0.0);

  return g_variant_new_uint64 ((guint64) (amount * unit + 0.5));
}

static const double bytes_per_mb = BYTES_PER_MB;
static const double bytes_per_gb = BYTES_PER_GB;

/* The Download Later window shows times of day ("01:00") for minutes
 * after midnight, and reads "1:30", "01:30" or "1" back. */
static gboolean
time_output_cb (GtkSpinButton       *spin,
                MmPreferencesWindow *self)
{
  int minutes = (int) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
time_input_cb (GtkSpinButton       *spin,
               double              *new_value,
               MmPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  guint64 hours, minutes = 0;
  char *end = NULL;

  hours = g_ascii_strtoull (text, &end, 10);
  if (end == text || hours > 23)
    return GTK_INPUT_ERROR;
  if (*end == ':' || *end == '.')
    {
      char *start = end + 1;

      minutes = g_ascii_strtoull (start, &end, 10);
      if (end == start || minutes > 59)
        return GTK_INPUT_ERROR;
    }
  if (*end != '\0')
    return GTK_INPUT_ERROR;

  *new_value = (double) (hours * 60 + minutes);
  return TRUE;
}

/* A combo row lists the values of an enum key in the order of its GObject
 * enum type (@user_data), whose nicks are the schema's: the selected
 * position is the enum value. */
static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GPOINTER_TO_SIZE (user_data));
  GEnumValue *found = g_enum_get_value_by_nick (klass, g_variant_get_string (variant, NULL));

  g_value_set_uint (value, found ? (guint) found->value : 0);
  return TRUE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GPOINTER_TO_SIZE (user_data));
  GEnumValue *found = g_enum_get_value (klass, (int) g_value_get_uint (value));

  return found ? g_variant_new_string (found->value_nick) : NULL;
}

static void
bind_enum_row (GSettings   *settings,
               const char  *key,
               AdwComboRow *row,
               GType        enum_type)
{
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (enum_type), NULL);
}

/* This computer: the RAM and the GPUs the machine found. */
static void
refresh_machine (MmPreferencesWindow *self)
{
  guint64 ram = self->machine ? mm_machine_get_ram (self->machine)
                              : mm_system_get_total_memory ();
  g_autofree char *ram_text = ram > 0 ? mm_format_size (ram) : g_strdup (_("Unknown"));
  g_autofree char *gpu_text = NULL;

  if (self->machine != NULL)
    gpu_text = mm_machine_dup_gpu_description (self->machine);
  adw_action_row_set_subtitle (self->ram_row, ram_text);
  adw_action_row_set_subtitle (self->gpu_row, gpu_text ? gpu_text : _("Unknown"));
}

/* Download folder */

static void
update_folder (MmPreferencesWindow *self)
{
  g_autofree char *folder = mm_settings_dup_effective_download_folder (self->settings);
  g_autofree char *shown = mm_format_folder (folder);
  g_autofree char *chosen = mm_settings_dup_download_folder (self->settings);

  adw_action_row_set_subtitle (self->folder_row, shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->folder_row), folder);
  gtk_widget_set_visible (self->reset_folder_button, *chosen != '\0');
}

/* Where the Hugging Face cache was found, and by which setting. */
static void
update_hf_cache (MmPreferencesWindow *self)
{
  MmHfCacheSource source;
  g_autofree char *cache = mm_hf_cache_dup_dir (&source);
  g_autofree char *shown = mm_format_folder (cache);
  g_autofree char *subtitle = NULL;
  gboolean exists = g_file_test (cache, G_FILE_TEST_IS_DIR);

  switch (source)
    {
    case MM_HF_CACHE_SOURCE_HF_HUB_CACHE:
      /* Translators: %s is a folder; HF_HUB_CACHE is an environment variable */
      subtitle = g_strdup_printf (_("%s, set by HF_HUB_CACHE"), shown);
      break;
    case MM_HF_CACHE_SOURCE_HF_HOME:
      /* Translators: %s is a folder; HF_HOME is an environment variable */
      subtitle = g_strdup_printf (_("%s, inside HF_HOME"), shown);
      break;
    case MM_HF_CACHE_SOURCE_XDG_CACHE_HOME:
      /* Translators: %s is a folder; XDG_CACHE_HOME is an environment variable */
      subtitle = g_strdup_printf (_("%s, inside XDG_CACHE_HOME"), shown);
      break;
    case MM_HF_CACHE_SOURCE_DEFAULT:
    default:
      /* Translators: %s is a folder */
      subtitle = g_strdup_printf (_("%s, the usual place"), shown);
      break;
    }
  if (!exists)
    {
      g_autofree char *missing = NULL;

      /* Translators: %s says where the cache is looked for; it does not exist yet */
      missing = g_strdup_printf (_("%s — nothing there yet"), subtitle);
      g_free (subtitle);
      subtitle = g_steal_pointer (&missing);
    }

  adw_action_row_set_subtitle (self->hf_cache_row, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hf_cache_row), cache);
  gtk_widget_set_visible (self->open_cache_button, exists);
}

static void
open_cache_clicked_cb (MmPreferencesWindow *self)
{
  g_autofree char *cache = mm_hf_cache_dup_dir (NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), "app.open-folder", "s", cache);
}

static void
update_location (MmPreferencesWindow *self)
{
  gboolean in_cache = mm_settings_get_download_location (self->settings) ==
                      MM_DOWNLOAD_LOCATION_HF_CACHE;

  /* The folder row stays, for the downloads already there, but is not
   * where new ones go. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->folder_row), !in_cache);
  update_hf_cache (self);
}

static void
chooser_response_cb (MmPreferencesWindow *self,
                     int                  response,
                     GtkNativeDialog     *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file ? g_file_get_path (file) : NULL;
      if (path != NULL)
        mm_settings_set_download_folder (self->settings, path);
      else
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Choose a folder on this computer")));
    }

  g_clear_object (&self->chooser);
}

static void
choose_folder_clicked_cb (MmPreferencesWindow *self)
{
  g_autofree char *folder = NULL;
  g_autoptr(GFile) current = NULL;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  /* Inside the Flatpak this goes through the file chooser portal, which
   * also grants access to the folder chosen. */
  self->chooser = gtk_file_chooser_native_new (_("Choose a Download Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  folder = mm_settings_dup_effective_download_folder (self->settings);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&folder, g_free);
  current = g_file_new_for_path (folder ? folder : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_folder_clicked_cb (MmPreferencesWindow *self)
{
  mm_settings_set_download_folder (self->settings, NULL);
}

/* Other library folders */

static char *
dup_lm_studio_folder (void)
{
  g_autofree char *folder = mm_settings_find_lm_studio_folder ();

  return folder != NULL ? g_canonicalize_filename (folder, NULL) : NULL;
}

static void
remove_library_folder_clicked_cb (MmPreferencesWindow *self,
                                  GtkButton           *button)
{
  const char *folder = g_object_get_data (G_OBJECT (button), "folder");

  mm_settings_remove_library_folder (self->settings, folder);
}

static GtkWidget *
create_library_folder_row_cb (gpointer item,
                              gpointer user_data)
{
  MmPreferencesWindow *self = user_data;
  const char *folder = gtk_string_object_get_string (item);
  g_autofree char *lm_studio = dup_lm_studio_folder ();
  g_autofree char *subtitle = mm_format_folder (folder);
  g_autofree char *title = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  if (lm_studio != NULL && g_str_equal (lm_studio, folder))
    /* Translators: the title of LM Studio's models folder in the list of folders */
    title = g_strdup (_("LM Studio"));
  else
    title = g_filename_display_basename (folder);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("folder-symbolic"));

  /* A folder that is gone (an unplugged disk) stays listed, with a quiet note. */
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      GtkWidget *missing = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      const char *note = _("This folder was not found. Its models appear when it is back.");

      gtk_widget_set_tooltip_text (missing, note);
      gtk_accessible_update_property (GTK_ACCESSIBLE (missing),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, note, -1);
      gtk_widget_add_css_class (missing, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), missing);
    }

  /* A cross, as for any entry taken off a list: "—" read as nothing, and
   * a trash can would say the files go, which they do not. */
  button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: a button that stops listing a folder; its files stay */
  gtk_widget_set_tooltip_text (button, _("Remove from Library"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove from Library"), -1);
  g_object_set_data_full (G_OBJECT (button), "folder", g_strdup (folder), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_library_folder_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* Lists the folders besides the download folder, and offers LM Studio's
 * when it is there and not listed. */
static void
update_library_folders (MmPreferencesWindow *self)
{
  g_auto(GStrv) all = mm_settings_dup_library_folders (self->settings);
  g_autofree char *lm_studio = dup_lm_studio_folder ();
  GListModel *model = G_LIST_MODEL (self->library_folders);
  guint n = g_list_model_get_n_items (model);
  gboolean same = n + 1 == g_strv_length (all);
  gboolean offer_lm_studio;

  /* The first folder is the download folder, shown above. */
  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (gtk_string_list_get_string (self->library_folders, i), all[i + 1]);
  if (!same)
    gtk_string_list_splice (self->library_folders, 0, n, (const char * const *) all + 1);

  n = g_list_model_get_n_items (model);
  gtk_widget_set_visible (GTK_WIDGET (self->library_list), n > 0);
  gtk_widget_set_margin_top (self->library_actions_list, n > 0 ? 12 : 0);

  offer_lm_studio = lm_studio != NULL && !g_strv_contains ((const char * const *) all, lm_studio);
  if (offer_lm_studio)
    {
      g_autofree char *shown = mm_format_folder (lm_studio);

      adw_action_row_set_subtitle (self->lm_studio_row, shown);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->lm_studio_row), offer_lm_studio);
}

static void
add_lm_studio_activated_cb (MmPreferencesWindow *self)
{
  g_autofree char *lm_studio = dup_lm_studio_folder ();

  if (lm_studio != NULL)
    mm_settings_add_library_folder (self->settings, lm_studio);
}

static void
library_chooser_response_cb (MmPreferencesWindow *self,
                             int                  response,
                             GtkNativeDialog     *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      mm_preferences_window_add_library_folder (self, file);
    }

  g_clear_object (&self->library_chooser);
}

static void
add_folder_activated_cb (MmPreferencesWindow *self)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());

  if (self->library_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->library_chooser));
      return;
    }

  /* As for the download folder: the portal grants access in the Flatpak. */
  self->library_chooser = gtk_file_chooser_native_new (_("Add a Folder to the Library"),
                                                       GTK_WINDOW (self),
                                                       GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                       _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->library_chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->library_chooser), home, NULL);
  g_signal_connect_object (self->library_chooser, "response",
                           G_CALLBACK (library_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->library_chooser));
}

/* Hub address */

static void
show_endpoint_error (MmPreferencesWindow *self,
                     const GError        *error)
{
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->endpoint_row), "error");
      gtk_label_set_label (self->endpoint_error_label, error->message);
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->endpoint_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_error_label), error != NULL);
}

static void
endpoint_changed_cb (MmPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->endpoint_row));
  g_autoptr(GError) error = NULL;

  /* Say what is wrong while typing, but save only on apply. */
  mm_settings_validate_endpoint (text, NULL, &error);
  show_endpoint_error (self, error);
}

static void
endpoint_apply_cb (MmPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->endpoint_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  if (!mm_settings_set_endpoint (self->settings, text, &error))
    {
      show_endpoint_error (self, error);
      return;
    }

  show_endpoint_error (self, NULL);
  /* Show the address as saved: trimmed, without a trailing slash. */
  saved = mm_settings_dup_endpoint (self->settings);
  if (g_strcmp0 (text, saved) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), saved);
}

static void
settings_endpoint_cb (MmPreferencesWindow *self)
{
  const char *env = mm_settings_get_environment_endpoint ();

  if (env != NULL)
    {
      /* Translators: %s is a URL such as https://hf-mirror.com */
      g_autofree char *note = g_strdup_printf (_("The HF_ENDPOINT environment variable is set "
                                                 "to %s. Model Manager uses that address and "
                                                 "ignores this one while it is set."), env);

      gtk_label_set_label (self->endpoint_env_label, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_env_label), env != NULL);
  /* The address typed here would not be used: say so, and let it be. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->endpoint_row), env == NULL);

  /* The token is filed under the Hub's host: a new Hub, maybe another token. */
  if (self->settings != NULL && self->cancellable != NULL)
    refresh_account (self);
}

/* Access token */

/* The account row shows one button at a time, so that its title keeps
 * room on a narrow window: Check and Save while a token is typed (or
 * being checked), else Sign Out for a token from the keyring. */
static void
update_token_buttons (MmPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  gboolean typed = *stripped != '\0';

  clear_secret (&stripped);
  gtk_widget_set_visible (self->check_token_button, typed);
  gtk_widget_set_sensitive (self->check_token_button, typed && !self->busy);
  gtk_widget_set_visible (self->remove_token_button,
                          !typed && self->token_source == MM_TOKEN_SOURCE_KEYRING);
  gtk_widget_set_sensitive (self->remove_token_button, !self->busy);
}

static void
set_busy (MmPreferencesWindow *self,
          gboolean             busy)
{
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->account_spinner), busy);
  gtk_spinner_set_spinning (self->account_spinner, busy);
  /* A focused field that turns insensitive keeps its cursor blinking
   * without the focus-out GTK 4.8 expects (it warns): let go first. */
  if (busy)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      if (focus != NULL && (focus == GTK_WIDGET (self->token_row) ||
                            gtk_widget_is_ancestor (focus, GTK_WIDGET (self->token_row))))
        gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  update_token_buttons (self);
}

static void
show_account (MmPreferencesWindow *self,
              const char          *icon_name,
              const char          *title,
              const char          *subtitle)
{
  gtk_image_set_from_icon_name (self->account_icon, icon_name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), title);
  adw_action_row_set_subtitle (self->account_row, subtitle ? subtitle : "");
  update_token_buttons (self);
}

static char *
describe_source (MmTokenSource  source,
                 const char    *location)
{
  switch (source)
    {
    case MM_TOKEN_SOURCE_KEYRING:
      return g_strdup (_("The token is saved in your keyring"));
    case MM_TOKEN_SOURCE_ENVIRONMENT:
      /* Translators: %s is the name of an environment variable, HF_TOKEN */
      return g_strdup_printf (_("The token comes from the %s environment variable. "
                                "A token saved here takes its place."), location);
    case MM_TOKEN_SOURCE_FILE:
      {
        g_autofree char *shown = mm_format_folder (location ? location : "");

        /* Translators: %s is a file name, ~/.cache/huggingface/token */
        return g_strdup_printf (_("The token comes from %s, where the Hugging Face tools "
                                  "keep it. A token saved here takes its place."), shown);
      }
    case MM_TOKEN_SOURCE_NONE:
    default:
      return g_strdup (_("Without a token only public models can be downloaded"));
    }
}

typedef struct {
  MmPreferencesWindow *self;  /* (owned) */
  char *description;          /* (owned) */
} AccountCheck;

static void
account_check_free (AccountCheck *check)
{
  g_clear_object (&check->self);
  g_clear_pointer (&check->description, g_free);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccountCheck, account_check_free)

static void
account_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AccountCheck) check = user_data;
  MmPreferencesWindow *self = check->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  name = mm_token_chain_check_finish (MM_TOKEN_CHAIN (source), result, &error);
  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  if (name == NULL)
    {
      subtitle = g_strdup_printf ("%s %s", error->message, check->description);
      show_account (self, "dialog-warning-symbolic", _("The Token Could Not Be Checked"),
                    subtitle);
      return;
    }

  /* Translators: %s is a Hugging Face account name */
  title = g_strdup_printf (_("Signed in as %s"), name);
  show_account (self, "avatar-default-symbolic", title, check->description);
}

static void
account_looked_up_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *location = NULL;
  AccountCheck *check;
  MmTokenSource token_source;

  token = mm_token_chain_lookup_finish (MM_TOKEN_CHAIN (source), result, &token_source,
                                           &location, &error);
  if (is_cancelled (error))
    return;

  self->token_source = token_source;
  if (token == NULL)
    {
      g_autofree char *description = describe_source (MM_TOKEN_SOURCE_NONE, NULL);

      set_busy (self, FALSE);
      show_account (self, "avatar-default-symbolic", _("Not Signed In"), description);
      return;
    }

  /* Say whose token it is: that is what a person recognizes. */
  check = g_new0 (AccountCheck, 1);
  check->self = g_object_ref (self);
  check->description = describe_source (token_source, location);
  show_account (self, "avatar-default-symbolic", _("Checking the Token…"), check->description);
  mm_token_chain_check_async (self->tokens, token, self->cancellable,
                                 account_checked_cb, check);
  clear_secret (&token);
}

static void
refresh_account (MmPreferencesWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_secret (&self->pending_token);

  set_busy (self, TRUE);
  mm_token_chain_lookup_async (self->tokens, self->cancellable, account_looked_up_cb,
                                  g_object_ref (self));
}

static void
token_changed_cb (MmPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->token_row), "error");
  set_busy (self, self->busy);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  clear_secret (&self->pending_token);
  if (!mm_token_chain_store_finish (MM_TOKEN_CHAIN (source), result, &error))
    {
      if (is_cancelled (error))
        return;
      set_busy (self, FALSE);
      show_account (self, "dialog-warning-symbolic", _("The Token Was Not Saved"),
                    error->message);
      return;
    }

  self->token_source = MM_TOKEN_SOURCE_KEYRING;
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  set_busy (self, FALSE);
  /* Translators: %s is a Hugging Face account name */
  title = g_strdup_printf (_("Signed in as %s"), self->pending_name);
  description = describe_source (MM_TOKEN_SOURCE_KEYRING, NULL);
  show_account (self, "avatar-default-symbolic", title, description);
}

static void
token_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  name = mm_token_chain_check_finish (MM_TOKEN_CHAIN (source), result, &error);
  if (is_cancelled (error))
    return;

  if (name == NULL)
    {
      /* Nothing is saved; the token stays in the entry to be corrected. */
      clear_secret (&self->pending_token);
      set_busy (self, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->token_row), "error");
      show_account (self, "dialog-warning-symbolic", _("The Token Was Not Saved"),
                    error->message);
      return;
    }

  g_free (self->pending_name);
  self->pending_name = g_steal_pointer (&name);
  mm_token_chain_store_async (self->tokens, self->pending_token, self->cancellable,
                                 token_stored_cb, g_object_ref (self));
}

static void
check_token_clicked_cb (MmPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (self->busy || *stripped == '\0')
    {
      clear_secret (&stripped);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  clear_secret (&self->pending_token);
  self->pending_token = g_steal_pointer (&stripped);
  set_busy (self, TRUE);
  show_account (self, "avatar-default-symbolic", _("Checking the Token…"),
                _("Asking the Hub which account the token belongs to"));
  mm_token_chain_check_async (self->tokens, self->pending_token, self->cancellable,
                                 token_checked_cb, g_object_ref (self));
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mm_token_chain_clear_finish (MM_TOKEN_CHAIN (source), result, &error))
    {
      if (is_cancelled (error))
        return;
      set_busy (self, FALSE);
      show_account (self, "dialog-warning-symbolic", _("The Token Was Not Removed"),
                    error->message);
      return;
    }

  /* A token from HF_TOKEN or the Hub tools' file may still apply. */
  refresh_account (self);
}

static void
remove_token_clicked_cb (MmPreferencesWindow *self)
{
  if (self->busy)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_busy (self, TRUE);
  mm_token_chain_clear_async (self->tokens, self->cancellable, token_cleared_cb,
                                 g_object_ref (self));
}

/* GObject */

static void
mm_preferences_window_constructed (GObject *object)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (object);
  GSettings *gsettings;
  g_autofree char *endpoint = NULL;

  G_OBJECT_CLASS (mm_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self->tokens));
  self->settings = g_object_ref (mm_token_chain_get_settings (self->tokens));
  gsettings = mm_settings_get_gsettings (self->settings);

  g_settings_bind (gsettings, "max-concurrent", self->concurrent_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "connections", self->connections_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (gsettings, "rate-limit", self->rate_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, bytes_to_unit, unit_to_bytes,
                                (gpointer) &bytes_per_mb, NULL);
  /* Translators: the bandwidth limit when there is none */
  setup_none_spin (self->rate_spin, _("Unlimited"));
  g_settings_bind (gsettings, "auto-resume", self->resume_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  bind_enum_row (gsettings, "sort", self->sort_row, MM_TYPE_SORT);
  bind_enum_row (gsettings, "metered-policy", self->metered_row, MM_TYPE_METERED_POLICY);
  g_settings_bind (gsettings, "schedule-start", self->schedule_start_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "schedule-end", self->schedule_end_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "estimate-context", self->context_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (gsettings, "ram-budget", self->budget_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, bytes_to_unit, unit_to_bytes,
                                (gpointer) &bytes_per_gb, NULL);
  /* Translators: the RAM budget when there is none */
  setup_none_spin (self->budget_spin, _("No Limit"));
  refresh_machine (self);

  g_signal_connect_object (self->settings, "notify::effective-download-folder",
                           G_CALLBACK (update_folder), self, G_CONNECT_SWAPPED);
  update_folder (self);
  bind_enum_row (gsettings, "download-location", self->location_row, MM_TYPE_DOWNLOAD_LOCATION);
  g_signal_connect_object (self->settings, "notify::download-location",
                           G_CALLBACK (update_location), self, G_CONNECT_SWAPPED);
  update_location (self);

  self->library_folders = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->library_list, G_LIST_MODEL (self->library_folders),
                           create_library_folder_row_cb, self, NULL);
  g_signal_connect_object (self->settings, "notify::effective-download-folder",
                           G_CALLBACK (update_library_folders), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::library-folders",
                           G_CALLBACK (update_library_folders), self, G_CONNECT_SWAPPED);
  update_library_folders (self);

  /* Fill the address before the apply button may show, so that it appears
   * only once the person edits it. */
  endpoint = mm_settings_dup_endpoint (self->settings);
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), endpoint);
  adw_entry_row_set_show_apply_button (self->endpoint_row, TRUE);
  settings_endpoint_cb (self);
  g_signal_connect_object (self->settings, "notify::effective-endpoint",
                           G_CALLBACK (settings_endpoint_cb), self, G_CONNECT_SWAPPED);

  refresh_account (self);
}

/* Closed: the lookups and checks of the token are of no use any more, and
 * each holds the window until it ends. */
static void
mm_preferences_window_unrealize (GtkWidget *widget)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->focus_token_id, g_source_remove);

  GTK_WIDGET_CLASS (mm_preferences_window_parent_class)->unrealize (widget);
}

static void
mm_preferences_window_dispose (GObject *object)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->focus_token_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->library_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->library_chooser));
  g_clear_object (&self->library_chooser);
  if (self->library_list != NULL)
    gtk_list_box_bind_model (self->library_list, NULL, NULL, NULL, NULL);
  /* The GSettings bindings hold the settings while their targets live;
   * the adjustments may outlive the window. */
  {
    const struct {
      gpointer object;
      const char *property;
    } bound[] = {
      { self->concurrent_adjustment, "value" },
      { self->connections_adjustment, "value" },
      { self->rate_adjustment, "value" },
      { self->resume_switch, "active" },
      { self->sort_row, "selected" },
      { self->metered_row, "selected" },
      { self->schedule_start_adjustment, "value" },
      { self->schedule_end_adjustment, "value" },
      { self->context_adjustment, "value" },
      { self->budget_adjustment, "value" },
      { self->location_row, "selected" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
      {
        if (bound[i].object == NULL)
          continue;
        g_settings_unbind (bound[i].object, bound[i].property);
        /* g_settings_bind() binds a widget's sensitivity to whether the
         * key is writable, too. */
        if (GTK_IS_WIDGET (bound[i].object))
          g_settings_unbind (bound[i].object, "sensitive");
      }
  }

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->library_folders);
  g_clear_object (&self->machine);
  g_clear_object (&self->settings);
  g_clear_object (&self->tokens);

  G_OBJECT_CLASS (mm_preferences_window_parent_class)->dispose (object);
}

static void
mm_preferences_window_finalize (GObject *object)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (object);

  clear_secret (&self->pending_token);
  g_clear_pointer (&self->pending_name, g_free);

  G_OBJECT_CLASS (mm_preferences_window_parent_class)->finalize (object);
}

static void
mm_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (object);

  switch ((MmPreferencesWindowProperty) prop_id)
    {
    case PROP_TOKENS:
      g_value_set_object (value, self->tokens);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MmPreferencesWindow *self = MM_PREFERENCES_WINDOW (object);

  switch ((MmPreferencesWindowProperty) prop_id)
    {
    case PROP_TOKENS:
      self->tokens = g_value_dup_object (value);
      break;
    case PROP_BUSY:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_preferences_window_class_init (MmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mm_preferences_window_constructed;
  object_class->dispose = mm_preferences_window_dispose;
  object_class->finalize = mm_preferences_window_finalize;
  object_class->get_property = mm_preferences_window_get_property;
  object_class->set_property = mm_preferences_window_set_property;
  widget_class->unrealize = mm_preferences_window_unrealize;

  /** MmPreferencesWindow:tokens: the token chain, and through it the settings shown */
  properties[PROP_TOKENS] =
    g_param_spec_object ("tokens", NULL, NULL, MM_TYPE_TOKEN_CHAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmPreferencesWindow:busy: whether a token is being looked up, checked or saved */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, account_icon);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, add_folder_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, budget_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, context_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, context_spin);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, gpu_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, memory_page);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, ram_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, account_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, check_token_button);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, choose_folder_button);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, concurrent_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, concurrent_spin);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, connections_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, metered_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow,
                                        schedule_start_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow,
                                        schedule_end_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, endpoint_env_label);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, endpoint_error_label);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, hf_cache_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, library_actions_list);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, library_list);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, location_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, lm_studio_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, open_cache_button);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, hub_page);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, rate_adjustment);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, remove_token_button);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, reset_folder_button);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, resume_switch);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, sort_row);
  gtk_widget_class_bind_template_child (widget_class, MmPreferencesWindow, token_row);
  gtk_widget_class_bind_template_callback (widget_class, add_folder_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_lm_studio_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_token_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_cache_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_token_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
}

static void
mm_preferences_window_init (MmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * mm_preferences_window_new:
 * @parent: (nullable): the window the preferences belong to
 * @tokens: the token chain, whose settings are shown and changed
 *
 * Returns: (transfer floating): a new preferences window
 */
MmPreferencesWindow *
mm_preferences_window_new (GtkWindow    *parent,
                           MmTokenChain *tokens)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MM_IS_TOKEN_CHAIN (tokens), NULL);

  return g_object_new (MM_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "tokens", tokens,
                       NULL);
}

/**
 * mm_preferences_window_get_settings:
 *
 * Returns: (transfer none): the settings
 */
MmSettings *
mm_preferences_window_get_settings (MmPreferencesWindow *self)
{
  g_return_val_if_fail (MM_IS_PREFERENCES_WINDOW (self), NULL);
  return self->settings;
}

static gboolean
focus_token_cb (gpointer user_data)
{
  MmPreferencesWindow *self = user_data;

  self->focus_token_id = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
  return G_SOURCE_REMOVE;
}

/**
 * mm_preferences_window_show_token:
 *
 * Turns to the Hub page and puts the focus in the access token field, for
 * "Add Access Token…" wherever a gated or private model needs one.
 */
void
mm_preferences_window_show_token (MmPreferencesWindow *self)
{
  g_return_if_fail (MM_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           self->hub_page);
  /* Once the page has been switched to and the window has picked its own
   * first focus: a widget on a page that is not shown cannot take it. */
  if (self->focus_token_id == 0)
    self->focus_token_id = g_idle_add_full (G_PRIORITY_LOW, focus_token_cb, self, NULL);
}

/**
 * mm_preferences_window_get_busy:
 *
 * Returns: whether a token is being looked up, checked or saved
 */
gboolean
mm_preferences_window_get_busy (MmPreferencesWindow *self)
{
  g_return_val_if_fail (MM_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->busy;
}

/**
 * mm_preferences_window_add_library_folder:
 * @folder: (nullable): the folder chosen
 *
 * What the "Add Folder…" chooser does with the folder chosen: lists it in
 * the Library, or says why not in a toast (not a local folder, or already
 * listed). Public for tests, which cannot click in a file chooser.
 *
 * Returns: whether @folder was added
 */
gboolean
mm_preferences_window_add_library_folder (MmPreferencesWindow *self,
                                          GFile               *folder)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (MM_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (!folder || G_IS_FILE (folder), FALSE);

  path = folder != NULL ? g_file_get_path (folder) : NULL;
  if (path == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Choose a folder on this computer")));
      return FALSE;
    }

  if (mm_settings_add_library_folder (self->settings, path))
    return TRUE;

  name = g_filename_display_basename (path);
  /* Translators: a toast; %s is a folder name */
  message = g_strdup_printf (_("“%s” is already in the Library"), name);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  return FALSE;
}

/**
 * mm_preferences_window_set_machine:
 * @machine: (nullable): this computer, whose RAM and GPUs the Memory page shows
 */
void
mm_preferences_window_set_machine (MmPreferencesWindow *self,
                                   MmMachine           *machine)
{
  g_return_if_fail (MM_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (!machine || MM_IS_MACHINE (machine));

  if (self->machine != NULL)
    g_signal_handlers_disconnect_by_data (self->machine, self);
  g_set_object (&self->machine, machine);
  if (self->machine != NULL)
    g_signal_connect_object (self->machine, "changed", G_CALLBACK (refresh_machine), self,
                             G_CONNECT_SWAPPED);
  refresh_machine (self);
}

/**
 * mm_preferences_window_show_memory:
 *
 * Turns to the Memory page.
 */
void
mm_preferences_window_show_memory (MmPreferencesWindow *self)
{
  g_return_if_fail (MM_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->memory_page);
}

/* For tests: what the Memory page says. */
const char *
mm_preferences_window_get_ram_text (MmPreferencesWindow *self)
{
  g_return_val_if_fail (MM_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->ram_row);
}

const char *
mm_preferences_window_get_gpu_text (MmPreferencesWindow *self)
{
  g_return_val_if_fail (MM_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->gpu_row);
}
