/* mm-settings.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmSettings is what the app, the command line and the download engine ask
 * about preferences: one source, the GSettings of our schema, for all of
 * them. Each key is also a property of the same name that notifies when the
 * key changes (also from another process), for code that is not a widget;
 * widgets bind to the keys with g_settings_bind(). The enum keys have GObject
 * enum types from glib-mkenums (MM_TYPE_SORT, MM_TYPE_DOWNLOAD_LOCATION,
 * MM_TYPE_METERED_POLICY) whose nicks are the schema's. Without an installed
 * schema there are no settings: mm_settings_new() says so instead of
 * g_settings_new() aborting.
 *
 * It also answers questions that are not plain keys:
 *
 * - the effective endpoint: HF_ENDPOINT when set (as for the Hub's own
 *   tools), else the "endpoint" key when not empty, else huggingface.co;
 * - the library folders: the effective download folder, then the other
 *   folders of the "library-folders" key, each once (by canonical path);
 * - the Hub client for the effective endpoint (mm_settings_create_client();
 *   the token comes from MmTokenChain).
 */
#define G_LOG_DOMAIN "mm-settings"

#include "config.h"

#include "mm-settings-private.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-enum-types.h"

#define DEFAULT_MAX_CONCURRENT 2
#define DEFAULT_CONNECTIONS 8

struct _MmSettings
{
  GObject parent_instance;

  GSettings *settings;  /* (owned) never %NULL */
};

G_DEFINE_FINAL_TYPE (MmSettings, mm_settings, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DOWNLOAD_FOLDER,
  PROP_LIBRARY_FOLDERS,
  PROP_MAX_CONCURRENT,
  PROP_CONNECTIONS,
  PROP_RATE_LIMIT,
  PROP_AUTO_RESUME,
  PROP_ENDPOINT,
  PROP_SORT,
  PROP_GGUF_ONLY,
  PROP_FIRST_RUN_DONE,
  PROP_EFFECTIVE_ENDPOINT,
  PROP_EFFECTIVE_DOWNLOAD_FOLDER,
  PROP_DOWNLOAD_LOCATION,
  PROP_ESTIMATE_CONTEXT,
  PROP_RAM_BUDGET,
  N_PROPS,
} MmSettingsProperty;

static GParamSpec *properties[N_PROPS];

/* The keys that are properties of the same name. */
static const struct {
  const char *key;
  MmSettingsProperty prop;
} key_props[] = {
  { "download-folder", PROP_DOWNLOAD_FOLDER },
  { "library-folders", PROP_LIBRARY_FOLDERS },
  { "max-concurrent", PROP_MAX_CONCURRENT },
  { "connections", PROP_CONNECTIONS },
  { "rate-limit", PROP_RATE_LIMIT },
  { "auto-resume", PROP_AUTO_RESUME },
  { "endpoint", PROP_ENDPOINT },
  { "sort", PROP_SORT },
  { "gguf-only", PROP_GGUF_ONLY },
  { "first-run-done", PROP_FIRST_RUN_DONE },
  { "download-location", PROP_DOWNLOAD_LOCATION },
  { "estimate-context", PROP_ESTIMATE_CONTEXT },
  { "ram-budget", PROP_RAM_BUDGET },
};

static void
notify (MmSettings         *self,
        MmSettingsProperty  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);

  if (prop == PROP_ENDPOINT)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECTIVE_ENDPOINT]);
  else if (prop == PROP_DOWNLOAD_FOLDER)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECTIVE_DOWNLOAD_FOLDER]);
}

static void
settings_changed_cb (MmSettings *self,
                     const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_props); i++)
    {
      if (g_str_equal (key, key_props[i].key))
        {
          notify (self, key_props[i].prop);
          return;
        }
    }
}

static void
mm_settings_constructed (GObject *object)
{
  MmSettings *self = MM_SETTINGS (object);

  G_OBJECT_CLASS (mm_settings_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
mm_settings_dispose (GObject *object)
{
  MmSettings *self = MM_SETTINGS (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mm_settings_parent_class)->dispose (object);
}

static void
mm_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MmSettings *self = MM_SETTINGS (object);

  switch ((MmSettingsProperty) prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DOWNLOAD_FOLDER:
      g_value_take_string (value, mm_settings_dup_download_folder (self));
      break;
    case PROP_LIBRARY_FOLDERS:
      g_value_take_boxed (value, _mm_settings_dup_extra_library_folders (self));
      break;
    case PROP_MAX_CONCURRENT:
      g_value_set_int (value, mm_settings_get_max_concurrent (self));
      break;
    case PROP_CONNECTIONS:
      g_value_set_int (value, mm_settings_get_connections (self));
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint64 (value, mm_settings_get_rate_limit (self));
      break;
    case PROP_ESTIMATE_CONTEXT:
      g_value_set_uint (value, mm_settings_get_estimate_context (self));
      break;
    case PROP_RAM_BUDGET:
      g_value_set_uint64 (value, mm_settings_get_ram_budget (self));
      break;
    case PROP_AUTO_RESUME:
      g_value_set_boolean (value, mm_settings_get_auto_resume (self));
      break;
    case PROP_ENDPOINT:
      g_value_take_string (value, mm_settings_dup_endpoint (self));
      break;
    case PROP_SORT:
      g_value_set_enum (value, mm_settings_get_sort (self));
      break;
    case PROP_GGUF_ONLY:
      g_value_set_boolean (value, mm_settings_get_gguf_only (self));
      break;
    case PROP_FIRST_RUN_DONE:
      g_value_set_boolean (value, mm_settings_get_first_run_done (self));
      break;
    case PROP_EFFECTIVE_ENDPOINT:
      g_value_take_string (value, mm_settings_dup_effective_endpoint (self));
      break;
    case PROP_EFFECTIVE_DOWNLOAD_FOLDER:
      g_value_take_string (value, mm_settings_dup_effective_download_folder (self));
      break;
    case PROP_DOWNLOAD_LOCATION:
      g_value_set_enum (value, mm_settings_get_download_location (self));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MmSettings *self = MM_SETTINGS (object);

  switch ((MmSettingsProperty) prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_DOWNLOAD_FOLDER:
      mm_settings_set_download_folder (self, g_value_get_string (value));
      break;
    case PROP_LIBRARY_FOLDERS:
      {
        const char * const *folders = g_value_get_boxed (value);
        const char * const none[] = { NULL };

        _mm_settings_set_extra_library_folders (self, folders ? folders : none);
      }
      break;
    case PROP_MAX_CONCURRENT:
      mm_settings_set_max_concurrent (self, g_value_get_int (value));
      break;
    case PROP_CONNECTIONS:
      mm_settings_set_connections (self, g_value_get_int (value));
      break;
    case PROP_RATE_LIMIT:
      mm_settings_set_rate_limit (self, g_value_get_uint64 (value));
      break;
    case PROP_ESTIMATE_CONTEXT:
      mm_settings_set_estimate_context (self, g_value_get_uint (value));
      break;
    case PROP_RAM_BUDGET:
      mm_settings_set_ram_budget (self, g_value_get_uint64 (value));
      break;
    case PROP_AUTO_RESUME:
      mm_settings_set_auto_resume (self, g_value_get_boolean (value));
      break;
    case PROP_ENDPOINT:
      {
        g_autoptr(GError) error = NULL;

        if (!mm_settings_set_endpoint (self, g_value_get_string (value), &error))
          g_warning ("Not saving the Hub address: %s", error->message);
      }
      break;
    case PROP_SORT:
      mm_settings_set_sort (self, (MmSort) g_value_get_enum (value));
      break;
    case PROP_GGUF_ONLY:
      mm_settings_set_gguf_only (self, g_value_get_boolean (value));
      break;
    case PROP_FIRST_RUN_DONE:
      mm_settings_set_first_run_done (self, g_value_get_boolean (value));
      break;
    case PROP_DOWNLOAD_LOCATION:
      mm_settings_set_download_location (self, (MmDownloadLocation) g_value_get_enum (value));
      break;
    case PROP_EFFECTIVE_ENDPOINT:
    case PROP_EFFECTIVE_DOWNLOAD_FOLDER:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_settings_class_init (MmSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mm_settings_constructed;
  object_class->dispose = mm_settings_dispose;
  object_class->get_property = mm_settings_get_property;
  object_class->set_property = mm_settings_set_property;

  /** MmSettings:settings: the GSettings of our schema behind */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmSettings:download-folder: the chosen folder; empty for the default */
  properties[PROP_DOWNLOAD_FOLDER] =
    g_param_spec_string ("download-folder", NULL, NULL, "", rw);
  /**
   * MmSettings:library-folders:
   *
   * The folders the Library lists besides the download folder, as saved;
   * see mm_settings_dup_library_folders() for all of them.
   */
  properties[PROP_LIBRARY_FOLDERS] =
    g_param_spec_boxed ("library-folders", NULL, NULL, G_TYPE_STRV, rw);
  /** MmSettings:max-concurrent: how many files download at the same time */
  properties[PROP_MAX_CONCURRENT] =
    g_param_spec_int ("max-concurrent", NULL, NULL,
                      MM_SETTINGS_MIN_CONCURRENT, MM_SETTINGS_MAX_CONCURRENT,
                      DEFAULT_MAX_CONCURRENT, rw);
  /** MmSettings:connections: how many connections one large file uses at once */
  properties[PROP_CONNECTIONS] =
    g_param_spec_int ("connections", NULL, NULL,
                      MM_SETTINGS_MIN_CONNECTIONS, MM_SETTINGS_MAX_CONNECTIONS,
                      DEFAULT_CONNECTIONS, rw);
  /** MmSettings:rate-limit: the bandwidth limit in bytes per second; 0 for none */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint64 ("rate-limit", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  /** MmSettings:estimate-context: the tokens of context the memory estimates count */
  properties[PROP_ESTIMATE_CONTEXT] =
    g_param_spec_uint ("estimate-context", NULL, NULL,
                       MM_SETTINGS_MIN_ESTIMATE_CONTEXT, MM_SETTINGS_MAX_ESTIMATE_CONTEXT,
                       MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT, rw);
  /** MmSettings:ram-budget: the most RAM a model may use in bytes; 0 for all of it */
  properties[PROP_RAM_BUDGET] =
    g_param_spec_uint64 ("ram-budget", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  /** MmSettings:auto-resume: whether unfinished downloads continue at start */
  properties[PROP_AUTO_RESUME] =
    g_param_spec_boolean ("auto-resume", NULL, NULL, TRUE, rw);
  /** MmSettings:endpoint: the Hub address the person chose; empty for the default */
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, "", rw);
  /** MmSettings:sort: the search order */
  properties[PROP_SORT] =
    g_param_spec_enum ("sort", NULL, NULL, MM_TYPE_SORT, MM_SORT_DOWNLOADS, rw);
  /** MmSettings:gguf-only: whether searches list only repositories with GGUF files */
  properties[PROP_GGUF_ONLY] =
    g_param_spec_boolean ("gguf-only", NULL, NULL, TRUE, rw);
  /** MmSettings:first-run-done: whether the first-run questions were asked */
  properties[PROP_FIRST_RUN_DONE] =
    g_param_spec_boolean ("first-run-done", NULL, NULL, FALSE, rw);
  /** MmSettings:effective-endpoint: the Hub address in use, see mm_settings_dup_effective_endpoint() */
  properties[PROP_EFFECTIVE_ENDPOINT] =
    g_param_spec_string ("effective-endpoint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSettings:effective-download-folder: the folder in use, see mm_settings_dup_effective_download_folder() */
  properties[PROP_EFFECTIVE_DOWNLOAD_FOLDER] =
    g_param_spec_string ("effective-download-folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /** MmSettings:download-location: where new downloads are saved, an #MmDownloadLocation */
  properties[PROP_DOWNLOAD_LOCATION] =
    g_param_spec_enum ("download-location", NULL, NULL, MM_TYPE_DOWNLOAD_LOCATION,
                       MM_DOWNLOAD_LOCATION_MODELS_FOLDER, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
mm_settings_init (MmSettings *self)
{
}

/**
 * mm_settings_check_schema:
 *
 * Whether our settings schema is installed where GLib looks for it (the
 * system's folders, or GSETTINGS_SCHEMA_DIR).
 *
 * Returns: %TRUE when it is; else %FALSE with a %G_IO_ERROR_NOT_FOUND
 *   that says what to do
 */
gboolean
mm_settings_check_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    return TRUE;

  /* Translators: %s is the schema's id, io.github.modelmanager.ModelManager */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The settings schema %s is not installed. Install Model Manager, run it "
                 "from the build folder with “build-aux/dev run”, or set "
                 "GSETTINGS_SCHEMA_DIR to the folder of the compiled schema."), SCHEMA_ID);
  return FALSE;
}

/**
 * mm_settings_new:
 * @error: where to say that the schema is not installed
 *
 * Settings backed by the installed schema (and the GSettings backend in
 * use: dconf on a desktop, the memory backend in tests).
 *
 * Returns: (transfer full) (nullable): new settings, or %NULL when the
 *   schema is not installed (see mm_settings_check_schema())
 */
MmSettings *
mm_settings_new (GError **error)
{
  g_autoptr(GSettings) settings = NULL;

  if (!mm_settings_check_schema (error))
    return NULL;

  settings = g_settings_new (SCHEMA_ID);
  return _mm_settings_new_full (settings);
}

/**
 * _mm_settings_new_full:
 * @settings: GSettings of our schema, for instance on a backend of its own
 *
 * Returns: (transfer full): new settings
 */
MmSettings *
_mm_settings_new_full (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (MM_TYPE_SETTINGS, "settings", settings, NULL);
}

/**
 * _mm_settings_new_in_memory:
 *
 * Settings on a memory backend of their own: the schema's defaults, kept
 * for the life of the object and saved nowhere, whatever GSETTINGS_BACKEND
 * says. For tests, which must not share values. The schema must be
 * installed (see mm_settings_check_schema()).
 *
 * Returns: (transfer full): new settings
 */
MmSettings *
_mm_settings_new_in_memory (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (SCHEMA_ID, backend);

  return _mm_settings_new_full (settings);
}

/**
 * mm_settings_get_gsettings:
 *
 * Returns: (transfer none): the GSettings behind, to bind widgets to its
 *   keys with g_settings_bind()
 */
GSettings *
mm_settings_get_gsettings (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return self->settings;
}

/* GSettings emits "changed" for a key set to the value it has: the
 * setters compare first, so that a property notifies only on a change. */
static void
set_string_key (MmSettings *self,
                const char *key,
                const char *value)
{
  g_autofree char *current = g_settings_get_string (self->settings, key);

  value = value ? value : "";
  if (!g_str_equal (current, value))
    g_settings_set_string (self->settings, key, value);
}

static void
set_boolean_key (MmSettings *self,
                 const char *key,
                 gboolean    value)
{
  if (g_settings_get_boolean (self->settings, key) != !!value)
    g_settings_set_boolean (self->settings, key, !!value);
}

/**
 * mm_settings_dup_download_folder:
 *
 * Returns: (transfer full): the download folder the person chose, or ""
 *   for the default; see mm_settings_dup_effective_download_folder()
 */
char *
mm_settings_dup_download_folder (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return g_settings_get_string (self->settings, "download-folder");
}

/**
 * mm_settings_set_download_folder:
 * @folder: (nullable): an absolute path, or %NULL or "" for the default
 */
void
mm_settings_set_download_folder (MmSettings *self,
                                 const char *folder)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_string_key (self, "download-folder", folder);
}

/* "Models" in the person's Downloads folder. */
static char *
dup_default_download_folder (void)
{
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

  if (downloads != NULL && *downloads != '\0')
    return g_build_filename (downloads, "Models", NULL);

  /* Translators: the folder in the home folder that holds downloads, when
   * the desktop does not say which one it is */
  return g_build_filename (g_get_home_dir (), _("Downloads"), "Models", NULL);
}

/**
 * mm_settings_dup_effective_download_folder:
 *
 * Returns: (transfer full): the "download-folder" key when set (a leading
 *   `~/` means the home folder), else the default folder
 */
char *
mm_settings_dup_effective_download_folder (MmSettings *self)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  folder = mm_settings_dup_download_folder (self);
  if (*folder == '\0')
    return dup_default_download_folder ();
  if (g_str_equal (folder, "~") || g_str_has_prefix (folder, "~/"))
    return g_build_filename (g_get_home_dir (), folder + 1, NULL);
  return g_steal_pointer (&folder);
}

/* An absolute path with `~/` expanded and `.`, `..` and repeated
 * separators gone, to compare folders by; %NULL when @folder is not
 * absolute. Symbolic links are not resolved: that needs the disk. */
static char *
canonical_folder (const char *folder)
{
  g_autofree char *expanded = NULL;

  if (folder == NULL || *folder == '\0')
    return NULL;
  if (g_str_equal (folder, "~") || g_str_has_prefix (folder, "~/"))
    expanded = g_build_filename (g_get_home_dir (), folder + 1, NULL);
  else if (g_path_is_absolute (folder))
    expanded = g_strdup (folder);
  else
    return NULL;

  return g_canonicalize_filename (expanded, NULL);
}

/**
 * _mm_settings_dup_extra_library_folders:
 *
 * Returns: (transfer full) (array zero-terminated=1): the "library-folders"
 *   key: the folders the Library lists besides the download folder, as
 *   saved (possibly with `~/`, possibly the download folder itself)
 */
char **
_mm_settings_dup_extra_library_folders (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  return g_settings_get_strv (self->settings, "library-folders");
}

/**
 * _mm_settings_set_extra_library_folders:
 * @folders: (array zero-terminated=1): absolute paths (or `~/…`)
 *
 * Saves the folders the Library lists besides the download folder. Empty
 * and relative paths are dropped, and so is any folder given twice.
 */
void
_mm_settings_set_extra_library_folders (MmSettings         *self,
                                        const char * const *folders)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) current = NULL;
  g_auto(GStrv) wanted = NULL;

  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (folders != NULL);

  for (guint i = 0; folders[i] != NULL; i++)
    {
      char *canonical = canonical_folder (folders[i]);

      if (canonical == NULL)
        continue;
      if (g_hash_table_add (seen, canonical))
        g_strv_builder_add (builder, folders[i]);
    }
  wanted = g_strv_builder_end (builder);

  current = _mm_settings_dup_extra_library_folders (self);
  if (g_strv_equal ((const char * const *) current, (const char * const *) wanted))
    return;

  /* GSettings emits "changed", which notifies. */
  g_settings_set_strv (self->settings, "library-folders", (const char * const *) wanted);
}

/**
 * mm_settings_add_library_folder:
 * @folder: an absolute path
 *
 * Adds @folder to the folders the Library lists, unless it is already
 * listed: it is the download folder, or one of the others.
 *
 * Returns: whether @folder was added
 */
gboolean
mm_settings_add_library_folder (MmSettings *self,
                                const char *folder)
{
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) extra = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  canonical = canonical_folder (folder);
  if (canonical == NULL)
    return FALSE;

  all = mm_settings_dup_library_folders (self);
  if (g_strv_contains ((const char * const *) all, canonical))
    return FALSE;

  extra = _mm_settings_dup_extra_library_folders (self);
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) extra);
  g_strv_builder_add (builder, folder);
  g_clear_pointer (&extra, g_strfreev);
  extra = g_strv_builder_end (builder);
  _mm_settings_set_extra_library_folders (self, (const char * const *) extra);

  return TRUE;
}

/**
 * mm_settings_remove_library_folder:
 * @folder: a path as _mm_settings_dup_extra_library_folders() or
 *   mm_settings_dup_library_folders() gave it
 *
 * Stops listing @folder in the Library. The download folder is always
 * listed: removing it only drops it from the other folders, if there.
 *
 * Returns: whether @folder was one of the other folders
 */
gboolean
mm_settings_remove_library_folder (MmSettings *self,
                                   const char *folder)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) extra = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *canonical = NULL;
  gboolean removed = FALSE;

  g_return_val_if_fail (MM_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  canonical = canonical_folder (folder);
  if (canonical == NULL)
    return FALSE;

  extra = _mm_settings_dup_extra_library_folders (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; extra[i] != NULL; i++)
    {
      g_autofree char *other = canonical_folder (extra[i]);

      if (g_strcmp0 (other, canonical) == 0)
        removed = TRUE;
      else
        g_strv_builder_add (builder, extra[i]);
    }

  if (!removed)
    return FALSE;

  kept = g_strv_builder_end (builder);
  _mm_settings_set_extra_library_folders (self, (const char * const *) kept);
  return TRUE;
}

/**
 * mm_settings_dup_library_folders:
 *
 * Every folder the Library lists: the effective download folder first,
 * then the other folders of the "library-folders" key in their order, as
 * canonical absolute paths (`~/` expanded), each once.
 *
 * Returns: (transfer full) (array zero-terminated=1): the folders
 */
char **
mm_settings_dup_library_folders (MmSettings *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) extra = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  g_ptr_array_add (folders, mm_settings_dup_effective_download_folder (self));
  extra = _mm_settings_dup_extra_library_folders (self);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (folders, g_strdup (extra[i]));

  for (guint i = 0; i < folders->len; i++)
    {
      const char *folder = g_ptr_array_index (folders, i);
      g_autofree char *canonical = canonical_folder (folder);

      /* A relative download folder (a hand-edited key) is taken from the
       * current folder rather than dropped. */
      if (canonical == NULL && i == 0)
        canonical = g_canonicalize_filename (folder, NULL);
      if (canonical == NULL || g_hash_table_contains (seen, canonical))
        continue;
      g_strv_builder_add (builder, canonical);
      g_hash_table_add (seen, g_steal_pointer (&canonical));
    }

  return g_strv_builder_end (builder);
}

/**
 * mm_settings_get_max_concurrent:
 *
 * Returns: how many files download at the same time (1–8)
 */
int
mm_settings_get_max_concurrent (MmSettings *self)
{
  int value;

  g_return_val_if_fail (MM_IS_SETTINGS (self), DEFAULT_MAX_CONCURRENT);

  value = g_settings_get_int (self->settings, "max-concurrent");
  return CLAMP (value, MM_SETTINGS_MIN_CONCURRENT, MM_SETTINGS_MAX_CONCURRENT);
}

/**
 * mm_settings_set_max_concurrent:
 * @max_concurrent: 1–8; other values are clamped
 */
void
mm_settings_set_max_concurrent (MmSettings *self,
                                int         max_concurrent)
{
  g_return_if_fail (MM_IS_SETTINGS (self));

  max_concurrent = CLAMP (max_concurrent, MM_SETTINGS_MIN_CONCURRENT, MM_SETTINGS_MAX_CONCURRENT);
  if (mm_settings_get_max_concurrent (self) == max_concurrent)
    return;

  g_settings_set_int (self->settings, "max-concurrent", max_concurrent);
}

/**
 * mm_settings_get_connections:
 *
 * Returns: how many connections one large file is downloaded over (1–16)
 */
int
mm_settings_get_connections (MmSettings *self)
{
  int value;

  g_return_val_if_fail (MM_IS_SETTINGS (self), DEFAULT_CONNECTIONS);

  value = g_settings_get_int (self->settings, "connections");
  return CLAMP (value, MM_SETTINGS_MIN_CONNECTIONS, MM_SETTINGS_MAX_CONNECTIONS);
}

/**
 * mm_settings_set_connections:
 * @connections: 1–16; other values are clamped
 */
void
mm_settings_set_connections (MmSettings *self,
                             int         connections)
{
  g_return_if_fail (MM_IS_SETTINGS (self));

  connections = CLAMP (connections, MM_SETTINGS_MIN_CONNECTIONS, MM_SETTINGS_MAX_CONNECTIONS);
  if (mm_settings_get_connections (self) == connections)
    return;

  g_settings_set_int (self->settings, "connections", connections);
}

/**
 * mm_settings_get_rate_limit:
 *
 * Returns: the bandwidth limit of all downloads together, in bytes per
 *   second; 0 means unlimited
 */
guint64
mm_settings_get_rate_limit (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), 0);

  return g_settings_get_uint64 (self->settings, "rate-limit");
}

/**
 * mm_settings_set_rate_limit:
 * @bytes_per_second: the limit, 0 for unlimited
 */
void
mm_settings_set_rate_limit (MmSettings *self,
                            guint64     bytes_per_second)
{
  g_return_if_fail (MM_IS_SETTINGS (self));

  if (mm_settings_get_rate_limit (self) == bytes_per_second)
    return;

  g_settings_set_uint64 (self->settings, "rate-limit", bytes_per_second);
}

/**
 * mm_settings_get_estimate_context:
 *
 * Returns: the tokens of context the memory estimates count (the KV cache
 *   grows with it), 256–1048576; 4096 unless changed
 */
guint
mm_settings_get_estimate_context (MmSettings *self)
{
  guint value;

  g_return_val_if_fail (MM_IS_SETTINGS (self), MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT);

  value = g_settings_get_uint (self->settings, "estimate-context");
  return CLAMP (value, MM_SETTINGS_MIN_ESTIMATE_CONTEXT, MM_SETTINGS_MAX_ESTIMATE_CONTEXT);
}

/**
 * mm_settings_set_estimate_context:
 * @tokens: 256–1048576; other values are clamped
 */
void
mm_settings_set_estimate_context (MmSettings *self,
                                  guint       tokens)
{
  g_return_if_fail (MM_IS_SETTINGS (self));

  tokens = CLAMP (tokens, MM_SETTINGS_MIN_ESTIMATE_CONTEXT, MM_SETTINGS_MAX_ESTIMATE_CONTEXT);
  if (mm_settings_get_estimate_context (self) == tokens)
    return;

  g_settings_set_uint (self->settings, "estimate-context", tokens);
}

/**
 * mm_settings_get_ram_budget:
 *
 * Returns: the most RAM, in bytes, that the person lets a model use (for a
 *   computer that runs other things); 0 means no limit
 */
guint64
mm_settings_get_ram_budget (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), 0);

  return g_settings_get_uint64 (self->settings, "ram-budget");
}

/**
 * mm_settings_set_ram_budget:
 * @bytes: the budget, 0 for none
 */
void
mm_settings_set_ram_budget (MmSettings *self,
                            guint64     bytes)
{
  g_return_if_fail (MM_IS_SETTINGS (self));

  if (mm_settings_get_ram_budget (self) == bytes)
    return;

  g_settings_set_uint64 (self->settings, "ram-budget", bytes);
}

gboolean
mm_settings_get_auto_resume (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), TRUE);
  return g_settings_get_boolean (self->settings, "auto-resume");
}

void
mm_settings_set_auto_resume (MmSettings *self,
                             gboolean    auto_resume)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "auto-resume", auto_resume);
}

/**
 * mm_settings_get_download_location:
 *
 * Returns: where new downloads are saved
 */
MmDownloadLocation
mm_settings_get_download_location (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), MM_DOWNLOAD_LOCATION_MODELS_FOLDER);

  return g_settings_get_enum (self->settings, "download-location") == MM_DOWNLOAD_LOCATION_HF_CACHE
           ? MM_DOWNLOAD_LOCATION_HF_CACHE
           : MM_DOWNLOAD_LOCATION_MODELS_FOLDER;
}

void
mm_settings_set_download_location (MmSettings         *self,
                                   MmDownloadLocation  location)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (location <= MM_DOWNLOAD_LOCATION_HF_CACHE);

  if (mm_settings_get_download_location (self) == location)
    return;

  g_settings_set_enum (self->settings, "download-location", (int) location);
}

MmSort
mm_settings_get_sort (MmSettings *self)
{
  int sort;

  g_return_val_if_fail (MM_IS_SETTINGS (self), MM_SORT_DOWNLOADS);

  /* The schema's enum has the nicks and values of MM_TYPE_SORT. */
  sort = g_settings_get_enum (self->settings, "sort");
  return sort >= MM_SORT_DOWNLOADS && sort <= MM_SORT_CREATED ? (MmSort) sort : MM_SORT_DOWNLOADS;
}

void
mm_settings_set_sort (MmSettings *self,
                      MmSort      sort)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (sort <= MM_SORT_CREATED);

  if (mm_settings_get_sort (self) == sort)
    return;

  g_settings_set_enum (self->settings, "sort", (int) sort);
}

gboolean
mm_settings_get_gguf_only (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), TRUE);
  return g_settings_get_boolean (self->settings, "gguf-only");
}

void
mm_settings_set_gguf_only (MmSettings *self,
                           gboolean    gguf_only)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "gguf-only", gguf_only);
}

gboolean
mm_settings_get_first_run_done (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->settings, "first-run-done");
}

void
mm_settings_set_first_run_done (MmSettings *self,
                                gboolean    done)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "first-run-done", done);
}

/* GUri keeps what it does not understand in the host; a host name (or an
 * IPv6 address, which GUri hands out without brackets) has only these. */
static gboolean
host_is_valid (const char *host)
{
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != ':' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

/**
 * mm_settings_validate_endpoint:
 * @endpoint: (nullable): what the person typed
 * @normalized: (out) (optional) (transfer full): the address to save:
 *   trimmed, without a trailing slash; "" for the default
 *
 * An empty address is valid and means the default. Anything else must be an
 * `http` or `https` URL with a host, and without user name, password, query
 * or fragment (a token goes in a header, never in the address).
 *
 * Returns: whether @endpoint may be saved
 */
gboolean
mm_settings_validate_endpoint (const char  *endpoint,
                               char       **normalized,
                               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (endpoint ? endpoint : ""));
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  if (*trimmed != '\0')
    {
      uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
      scheme = uri ? g_uri_get_scheme (uri) : NULL;
      host = uri ? g_uri_get_host (uri) : NULL;

      if (uri == NULL ||
          (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Enter an address that starts with https:// or http://."));
          return FALSE;
        }
      if (host == NULL || *host == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The address has no server name."));
          return FALSE;
        }
      if (!host_is_valid (host))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The server name contains characters that are not allowed."));
          return FALSE;
        }
      if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
          g_uri_get_fragment (uri) != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The address must not contain a user name, a password, "
                                 "“?” or “#”."));
          return FALSE;
        }
    }

  if (normalized != NULL)
    *normalized = g_steal_pointer (&trimmed);
  return TRUE;
}

/**
 * mm_settings_dup_endpoint:
 *
 * Returns: (transfer full): the Hub address the person chose, or "" for the
 *   default; see mm_settings_dup_effective_endpoint()
 */
char *
mm_settings_dup_endpoint (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return g_settings_get_string (self->settings, "endpoint");
}

/**
 * mm_settings_set_endpoint:
 * @endpoint: (nullable): a Hub address, or %NULL or "" for the default
 *
 * Saves @endpoint after mm_settings_validate_endpoint(); an invalid address
 * is not saved.
 *
 * Returns: whether the address was valid
 */
gboolean
mm_settings_set_endpoint (MmSettings  *self,
                          const char  *endpoint,
                          GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), FALSE);

  if (!mm_settings_validate_endpoint (endpoint, &normalized, error))
    return FALSE;

  set_string_key (self, "endpoint", normalized);
  return TRUE;
}

/**
 * mm_settings_get_environment_endpoint:
 *
 * Returns: (nullable): `HF_ENDPOINT` when it is set and not empty
 */
const char *
mm_settings_get_environment_endpoint (void)
{
  const char *env = g_getenv ("HF_ENDPOINT");

  return env != NULL && *env != '\0' ? env : NULL;
}

/**
 * mm_settings_dup_effective_endpoint:
 *
 * Returns: (transfer full): `HF_ENDPOINT` when set, else the "endpoint" key
 *   when not empty, else https://huggingface.co; without a trailing slash
 */
char *
mm_settings_dup_effective_endpoint (MmSettings *self)
{
  g_autofree char *endpoint = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  endpoint = g_strdup (mm_settings_get_environment_endpoint ());
  if (endpoint == NULL)
    endpoint = mm_settings_dup_endpoint (self);

  /* A key edited behind our back may be invalid: then the default, as the
   * Hub client would do. */
  if (endpoint == NULL || !mm_settings_validate_endpoint (endpoint, &normalized, NULL) ||
      *normalized == '\0')
    return g_strdup (DEFAULT_ENDPOINT);

  return g_steal_pointer (&normalized);
}

/**
 * mm_settings_create_client:
 * @token: (nullable): the token, from mm_token_chain_lookup_finish()
 *
 * Returns: (transfer full): a Hub client for the effective endpoint
 */
MmHubClient *
mm_settings_create_client (MmSettings *self,
                           const char *token)
{
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  endpoint = mm_settings_dup_effective_endpoint (self);
  return mm_hub_client_new (endpoint, token);
}

/**
 * mm_settings_find_lm_studio_folder:
 *
 * Looks for LM Studio's models folder: where `~/.lmstudio-home-pointer`
 * points, else `~/.lmstudio/models`, else `~/.cache/lm-studio/models` (older
 * versions).
 *
 * Returns: (transfer full) (nullable): the folder, or %NULL when there is none
 */
char *
mm_settings_find_lm_studio_folder (void)
{
  const char *home = g_get_home_dir ();
  g_autofree char *pointer_file = g_build_filename (home, ".lmstudio-home-pointer", NULL);
  g_autofree char *pointer = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);

  if (g_file_get_contents (pointer_file, &pointer, NULL, NULL))
    {
      g_strstrip (pointer);
      if (g_path_is_absolute (pointer))
        g_ptr_array_add (candidates, g_build_filename (pointer, "models", NULL));
    }
  g_ptr_array_add (candidates, g_build_filename (home, ".lmstudio", "models", NULL));
  g_ptr_array_add (candidates, g_build_filename (home, ".cache", "lm-studio", "models", NULL));

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = g_ptr_array_index (candidates, i);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        return g_strdup (path);
    }

  return NULL;
}
