/* mm-settings.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmSettings is what the app, the command line and the download engine ask
 * about preferences. Each GSettings key is a property of the same name, so a
 * widget binds to it whether or not the schema is installed: when the schema
 * is missing (the command line run from the build tree) the values live in
 * memory with the schema's defaults, instead of g_settings_new() aborting.
 *
 * It also answers two questions that are not plain keys:
 *
 * - the effective endpoint: HF_ENDPOINT when set (as for the Hub's own
 *   tools), else the "endpoint" key when not empty, else huggingface.co;
 * - the library folders: the effective download folder, then the other
 *   folders of the "library-folders" key, each once (by canonical path);
 * - the access token: the keyring item for the effective Hub host, else
 *   HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the Hub tools' token file.
 *   A token is never kept in GSettings or in a file of ours, and never
 *   written to a log or an error message.
 */
#define G_LOG_DOMAIN "mm-settings"

#include "config.h"

#include "mm-settings.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-hub-client-whoami.h"
#include "mm-hub-error.h"

#define DEFAULT_MAX_CONCURRENT 2
#define DEFAULT_CONNECTIONS 8
#define MAX_TOKEN_LENGTH 1024
#define MAX_TOKEN_FILE_BYTES 65536

struct _MmSettings
{
  GObject parent_instance;

  GSettings *settings;     /* (owned) (nullable) NULL without the schema */
  MmTokenStore *store;     /* (owned) */

  /* Values used when there is no schema. */
  char *download_folder;   /* (owned) */
  char *endpoint;          /* (owned) */
  char **library_folders;  /* (owned) */
  int max_concurrent;
  int connections;
  guint64 rate_limit;
  MmSort sort;
  MmDownloadLocation download_location;
  gboolean auto_resume;
  gboolean gguf_only;
  gboolean first_run_done;
  guint estimate_context;
  guint64 ram_budget;
};

G_DEFINE_FINAL_TYPE (MmSettings, mm_settings, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_TOKEN_STORE,
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

typedef enum {
  SIGNAL_TOKEN_CHANGED,
  N_SIGNALS,
} MmSettingsSignal;

static guint signals[N_SIGNALS];

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

/* Whether @token could be sent in an Authorization header: one word of
 * visible ASCII characters. */
gboolean
mm_settings_token_is_well_formed (const char *token)
{
  gsize len;

  if (token == NULL)
    return FALSE;

  len = strlen (token);
  if (len == 0 || len > MAX_TOKEN_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (token[i] <= ' ' || token[i] > '~')
        return FALSE;
    }

  return TRUE;
}

/* A token is a secret: should a message ever quote it (a server echoing the
 * header, a library quoting its input), the message is replaced. */
static GError *
scrub_error (GError     *error,
             const char *token)
{
  if (error != NULL && token != NULL && *token != '\0' && error->message != NULL &&
      strstr (error->message, token) != NULL)
    {
      g_free (error->message);
      error->message = g_strdup (_("The access token could not be used."));
    }

  return error;
}

static char *
strip_token (const char *token)
{
  char *copy = g_strdup (token ? token : "");

  g_strstrip (copy);
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

static void
mm_settings_constructed (GObject *object)
{
  MmSettings *self = MM_SETTINGS (object);

  G_OBJECT_CLASS (mm_settings_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = mm_token_store_get_default ();

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
mm_settings_dispose (GObject *object)
{
  MmSettings *self = MM_SETTINGS (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mm_settings_parent_class)->dispose (object);
}

static void
mm_settings_finalize (GObject *object)
{
  MmSettings *self = MM_SETTINGS (object);

  g_clear_pointer (&self->download_folder, g_free);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->library_folders, g_strfreev);

  G_OBJECT_CLASS (mm_settings_parent_class)->finalize (object);
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
    case PROP_TOKEN_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DOWNLOAD_FOLDER:
      g_value_set_string (value, mm_settings_get_download_folder (self));
      break;
    case PROP_LIBRARY_FOLDERS:
      g_value_take_boxed (value, mm_settings_dup_extra_library_folders (self));
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
      g_value_set_string (value, mm_settings_get_endpoint (self));
      break;
    case PROP_SORT:
      g_value_set_string (value, mm_sort_to_string (mm_settings_get_sort (self)));
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
      g_value_set_uint (value, mm_settings_get_download_location (self));
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
    case PROP_TOKEN_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DOWNLOAD_FOLDER:
      mm_settings_set_download_folder (self, g_value_get_string (value));
      break;
    case PROP_LIBRARY_FOLDERS:
      {
        const char * const *folders = g_value_get_boxed (value);
        const char * const none[] = { NULL };

        mm_settings_set_extra_library_folders (self, folders ? folders : none);
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
      {
        MmSort sort;

        if (mm_sort_from_string (g_value_get_string (value), &sort))
          mm_settings_set_sort (self, sort);
      }
      break;
    case PROP_GGUF_ONLY:
      mm_settings_set_gguf_only (self, g_value_get_boolean (value));
      break;
    case PROP_FIRST_RUN_DONE:
      mm_settings_set_first_run_done (self, g_value_get_boolean (value));
      break;
    case PROP_DOWNLOAD_LOCATION:
      mm_settings_set_download_location (self, (MmDownloadLocation) g_value_get_uint (value));
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
  object_class->finalize = mm_settings_finalize;
  object_class->get_property = mm_settings_get_property;
  object_class->set_property = mm_settings_set_property;

  /** MmSettings:settings: (nullable): the GSettings behind, %NULL without the schema */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmSettings:token-store: where tokens are saved; the default one when not given */
  properties[PROP_TOKEN_STORE] =
    g_param_spec_object ("token-store", NULL, NULL, MM_TYPE_TOKEN_STORE,
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
  /** MmSettings:sort: the search order, as a nick of #MmSort ("downloads") */
  properties[PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL, "downloads", rw);
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
    g_param_spec_uint ("download-location", NULL, NULL, 0, MM_DOWNLOAD_LOCATION_HF_CACHE,
                       MM_DOWNLOAD_LOCATION_MODELS_FOLDER, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmSettings::token-changed:
   *
   * A token was saved to or removed from the token store through these
   * settings: whoever holds a Hub client should look the token up again.
   */
  signals[SIGNAL_TOKEN_CHANGED] =
    g_signal_new ("token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mm_settings_init (MmSettings *self)
{
  self->download_folder = g_strdup ("");
  self->endpoint = g_strdup ("");
  self->library_folders = g_new0 (char *, 1);
  self->max_concurrent = DEFAULT_MAX_CONCURRENT;
  self->connections = DEFAULT_CONNECTIONS;
  self->rate_limit = 0;
  self->sort = MM_SORT_DOWNLOADS;
  self->auto_resume = TRUE;
  self->gguf_only = TRUE;
  self->first_run_done = FALSE;
  self->estimate_context = MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT;
  self->ram_budget = 0;
}

/**
 * mm_settings_new:
 *
 * Settings backed by the installed schema, or kept in memory with the
 * defaults when it is not installed; tokens in the default store (see
 * mm_token_store_get_default()).
 *
 * Returns: (transfer full): new settings
 */
MmSettings *
mm_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_debug ("Settings schema %s is not installed; using defaults in memory", SCHEMA_ID);

  return mm_settings_new_full (settings, NULL);
}

/**
 * mm_settings_new_full:
 * @settings: (nullable): GSettings of our schema, or %NULL to keep values in memory
 * @store: (nullable): a token store, or %NULL for the default one
 *
 * Returns: (transfer full): new settings
 */
MmSettings *
mm_settings_new_full (GSettings    *settings,
                      MmTokenStore *store)
{
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (!store || MM_IS_TOKEN_STORE (store), NULL);

  return g_object_new (MM_TYPE_SETTINGS,
                       "settings", settings,
                       "token-store", store,
                       NULL);
}

/**
 * mm_settings_get_gsettings:
 *
 * Returns: (transfer none) (nullable): the GSettings, or %NULL when the
 *   schema is not installed
 */
GSettings *
mm_settings_get_gsettings (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return self->settings;
}

/**
 * mm_settings_get_token_store:
 *
 * Returns: (transfer none): where tokens are saved
 */
MmTokenStore *
mm_settings_get_token_store (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return self->store;
}

/* String keys: the GSettings value is cached in the in-memory field so that
 * a const getter has something to point at. */
static const char *
get_string_key (MmSettings  *self,
                const char  *key,
                char       **field)
{
  if (self->settings != NULL)
    {
      g_free (*field);
      *field = g_settings_get_string (self->settings, key);
    }
  return *field;
}

static void
set_string_key (MmSettings         *self,
                const char         *key,
                char              **field,
                const char         *value,
                MmSettingsProperty  prop)
{
  value = value ? value : "";

  if (g_strcmp0 (get_string_key (self, key, field), value) == 0)
    return;

  if (self->settings != NULL)
    {
      /* GSettings emits "changed", which notifies. */
      g_settings_set_string (self->settings, key, value);
      return;
    }

  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

static gboolean
get_boolean_key (MmSettings *self,
                 const char *key,
                 gboolean    fallback)
{
  return self->settings ? g_settings_get_boolean (self->settings, key) : fallback;
}

static void
set_boolean_key (MmSettings         *self,
                 const char         *key,
                 gboolean           *field,
                 gboolean            value,
                 MmSettingsProperty  prop)
{
  value = !!value;
  if (get_boolean_key (self, key, *field) == value)
    return;

  if (self->settings != NULL)
    {
      g_settings_set_boolean (self->settings, key, value);
      return;
    }

  *field = value;
  notify (self, prop);
}

/**
 * mm_settings_get_download_folder:
 *
 * Returns: the download folder the person chose, or "" for the default;
 *   see mm_settings_dup_effective_download_folder()
 */
const char *
mm_settings_get_download_folder (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return get_string_key (self, "download-folder", &self->download_folder);
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
  set_string_key (self, "download-folder", &self->download_folder, folder,
                  PROP_DOWNLOAD_FOLDER);
}

/**
 * mm_settings_dup_default_download_folder:
 *
 * Returns: (transfer full): "Models" in the person's Downloads folder
 */
char *
mm_settings_dup_default_download_folder (void)
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
  const char *folder;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  folder = mm_settings_get_download_folder (self);
  if (folder == NULL || *folder == '\0')
    return mm_settings_dup_default_download_folder ();
  if (g_str_equal (folder, "~") || g_str_has_prefix (folder, "~/"))
    return g_build_filename (g_get_home_dir (), folder + 1, NULL);
  return g_strdup (folder);
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
 * mm_settings_dup_extra_library_folders:
 *
 * Returns: (transfer full) (array zero-terminated=1): the "library-folders"
 *   key: the folders the Library lists besides the download folder, as
 *   saved (possibly with `~/`, possibly the download folder itself)
 */
char **
mm_settings_dup_extra_library_folders (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  if (self->settings != NULL)
    return g_settings_get_strv (self->settings, "library-folders");
  return g_strdupv (self->library_folders);
}

/**
 * mm_settings_set_extra_library_folders:
 * @folders: (array zero-terminated=1): absolute paths (or `~/…`)
 *
 * Saves the folders the Library lists besides the download folder. Empty
 * and relative paths are dropped, and so is any folder given twice.
 */
void
mm_settings_set_extra_library_folders (MmSettings         *self,
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

  current = mm_settings_dup_extra_library_folders (self);
  if (g_strv_equal ((const char * const *) current, (const char * const *) wanted))
    return;

  if (self->settings != NULL)
    {
      /* GSettings emits "changed", which notifies. */
      g_settings_set_strv (self->settings, "library-folders", (const char * const *) wanted);
      return;
    }

  g_strfreev (self->library_folders);
  self->library_folders = g_steal_pointer (&wanted);
  notify (self, PROP_LIBRARY_FOLDERS);
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

  extra = mm_settings_dup_extra_library_folders (self);
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) extra);
  g_strv_builder_add (builder, folder);
  g_clear_pointer (&extra, g_strfreev);
  extra = g_strv_builder_end (builder);
  mm_settings_set_extra_library_folders (self, (const char * const *) extra);

  return TRUE;
}

/**
 * mm_settings_remove_library_folder:
 * @folder: a path as mm_settings_dup_extra_library_folders() or
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

  extra = mm_settings_dup_extra_library_folders (self);
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
  mm_settings_set_extra_library_folders (self, (const char * const *) kept);
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
  extra = mm_settings_dup_extra_library_folders (self);
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

  value = self->settings ? g_settings_get_int (self->settings, "max-concurrent")
                         : self->max_concurrent;
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

  if (self->settings != NULL)
    {
      g_settings_set_int (self->settings, "max-concurrent", max_concurrent);
      return;
    }

  self->max_concurrent = max_concurrent;
  notify (self, PROP_MAX_CONCURRENT);
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

  value = self->settings ? g_settings_get_int (self->settings, "connections")
                         : self->connections;
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

  if (self->settings != NULL)
    {
      g_settings_set_int (self->settings, "connections", connections);
      return;
    }

  self->connections = connections;
  notify (self, PROP_CONNECTIONS);
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

  return self->settings ? g_settings_get_uint64 (self->settings, "rate-limit")
                        : self->rate_limit;
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

  if (self->settings != NULL)
    {
      g_settings_set_uint64 (self->settings, "rate-limit", bytes_per_second);
      return;
    }

  self->rate_limit = bytes_per_second;
  notify (self, PROP_RATE_LIMIT);
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

  value = self->settings ? g_settings_get_uint (self->settings, "estimate-context")
                         : self->estimate_context;
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

  if (self->settings != NULL)
    {
      g_settings_set_uint (self->settings, "estimate-context", tokens);
      return;
    }

  self->estimate_context = tokens;
  notify (self, PROP_ESTIMATE_CONTEXT);
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

  return self->settings ? g_settings_get_uint64 (self->settings, "ram-budget")
                        : self->ram_budget;
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

  if (self->settings != NULL)
    {
      g_settings_set_uint64 (self->settings, "ram-budget", bytes);
      return;
    }

  self->ram_budget = bytes;
  notify (self, PROP_RAM_BUDGET);
}

gboolean
mm_settings_get_auto_resume (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), TRUE);
  return get_boolean_key (self, "auto-resume", self->auto_resume);
}

void
mm_settings_set_auto_resume (MmSettings *self,
                             gboolean    auto_resume)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "auto-resume", &self->auto_resume, auto_resume, PROP_AUTO_RESUME);
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

  if (self->settings == NULL)
    return self->download_location;
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

  if (self->settings != NULL)
    {
      g_settings_set_enum (self->settings, "download-location", (int) location);
      return;
    }

  self->download_location = location;
  notify (self, PROP_DOWNLOAD_LOCATION);
}

MmSort
mm_settings_get_sort (MmSettings *self)
{
  MmSort sort = MM_SORT_DOWNLOADS;

  g_return_val_if_fail (MM_IS_SETTINGS (self), MM_SORT_DOWNLOADS);

  if (self->settings == NULL)
    return self->sort;

  {
    g_autofree char *nick = g_settings_get_string (self->settings, "sort");

    if (!mm_sort_from_string (nick, &sort))
      sort = MM_SORT_DOWNLOADS;
  }
  return sort;
}

void
mm_settings_set_sort (MmSettings *self,
                      MmSort      sort)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (sort <= MM_SORT_CREATED);

  if (mm_settings_get_sort (self) == sort)
    return;

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "sort", mm_sort_to_string (sort));
      return;
    }

  self->sort = sort;
  notify (self, PROP_SORT);
}

gboolean
mm_settings_get_gguf_only (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), TRUE);
  return get_boolean_key (self, "gguf-only", self->gguf_only);
}

void
mm_settings_set_gguf_only (MmSettings *self,
                           gboolean    gguf_only)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "gguf-only", &self->gguf_only, gguf_only, PROP_GGUF_ONLY);
}

gboolean
mm_settings_get_first_run_done (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), FALSE);
  return get_boolean_key (self, "first-run-done", self->first_run_done);
}

void
mm_settings_set_first_run_done (MmSettings *self,
                                gboolean    done)
{
  g_return_if_fail (MM_IS_SETTINGS (self));
  set_boolean_key (self, "first-run-done", &self->first_run_done, done, PROP_FIRST_RUN_DONE);
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
 * mm_settings_get_endpoint:
 *
 * Returns: the Hub address the person chose, or "" for the default; see
 *   mm_settings_dup_effective_endpoint()
 */
const char *
mm_settings_get_endpoint (MmSettings *self)
{
  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);
  return get_string_key (self, "endpoint", &self->endpoint);
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

  set_string_key (self, "endpoint", &self->endpoint, normalized, PROP_ENDPOINT);
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
  const char *endpoint;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  endpoint = mm_settings_get_environment_endpoint ();
  if (endpoint == NULL)
    endpoint = mm_settings_get_endpoint (self);

  /* A key edited behind our back may be invalid: then the default, as the
   * Hub client would do. */
  if (endpoint == NULL || !mm_settings_validate_endpoint (endpoint, &normalized, NULL) ||
      *normalized == '\0')
    return g_strdup (DEFAULT_ENDPOINT);

  return g_steal_pointer (&normalized);
}

/**
 * mm_settings_dup_token_key:
 *
 * Returns: (transfer full): what the saved token is filed under: the host
 *   of the effective endpoint, with `:port` when one is given
 */
char *
mm_settings_dup_token_key (MmSettings *self)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (MM_IS_SETTINGS (self), NULL);

  endpoint = mm_settings_dup_effective_endpoint (self);
  uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("huggingface.co");

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  return g_steal_pointer (&host);
}

/**
 * mm_settings_dup_token_file_path:
 *
 * Where the Hub's own tools (`hf auth login`) keep the token: `HF_TOKEN_PATH`,
 * else `$HF_HOME/token`, else `$XDG_CACHE_HOME/huggingface/token` outside a
 * Flatpak sandbox, else `~/.cache/huggingface/token`.
 *
 * Returns: (transfer full): the path of the token file
 */
char *
mm_settings_dup_token_file_path (void)
{
  const char *token_path = g_getenv ("HF_TOKEN_PATH");
  const char *hf_home = g_getenv ("HF_HOME");
  const char *cache = g_getenv ("XDG_CACHE_HOME");

  if (token_path != NULL && *token_path != '\0')
    return g_strdup (token_path);
  if (hf_home != NULL && *hf_home != '\0')
    return g_build_filename (hf_home, "token", NULL);
  /* Inside the sandbox XDG_CACHE_HOME is the app's own cache; the Hub tools
   * wrote to the real one. */
  if (cache != NULL && g_path_is_absolute (cache) &&
      !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_build_filename (cache, "huggingface", "token", NULL);
  return g_build_filename (g_get_home_dir (), ".cache", "huggingface", "token", NULL);
}

/* Token lookup: keyring → environment → file. */

typedef struct {
  char *token;           /* (owned) (nullable) */
  char *location;        /* (owned) (nullable) variable name or file path */
  MmTokenSource source;
} TokenLookup;

static void
token_lookup_free (TokenLookup *lookup)
{
  if (lookup->token != NULL)
    memset (lookup->token, 0, strlen (lookup->token));
  g_clear_pointer (&lookup->token, g_free);
  g_clear_pointer (&lookup->location, g_free);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokenLookup, token_lookup_free)

static void lookup_store_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);
static void lookup_file_cb  (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
return_token (GTask         *task,
              char          *token,
              MmTokenSource  source,
              const char    *location)
{
  TokenLookup *lookup = g_new0 (TokenLookup, 1);

  lookup->token = token;
  lookup->source = token ? source : MM_TOKEN_SOURCE_NONE;
  lookup->location = token ? g_strdup (location) : NULL;
  g_task_return_pointer (task, lookup, (GDestroyNotify) token_lookup_free);
}

static gboolean
read_more_cb (const char *file_contents,
              goffset     file_size,
              gpointer    user_data)
{
  return file_size <= MAX_TOKEN_FILE_BYTES;
}

static void
lookup_environment_and_file (GTask *task)
{
  const char * const variables[] = { "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN" };
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *token = strip_token (g_getenv (variables[i]));

      if (token == NULL)
        continue;
      if (!mm_settings_token_is_well_formed (token))
        {
          g_warning ("Ignoring %s: it does not look like an access token", variables[i]);
          continue;
        }
      return_token (task, g_steal_pointer (&token), MM_TOKEN_SOURCE_ENVIRONMENT, variables[i]);
      return;
    }

  path = mm_settings_dup_token_file_path ();
  file = g_file_new_for_path (path);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_file_load_partial_contents_async (file, g_task_get_cancellable (task), read_more_cb,
                                      lookup_file_cb, g_object_ref (task));
}

static void
lookup_store_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stripped = NULL;

  token = mm_token_store_lookup_finish (MM_TOKEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* No keyring (a headless machine, no Secret Service) is common for the
   * command line: fall back quietly. */
  if (error != NULL)
    g_debug ("No token from the keyring: %s", error->message);

  stripped = strip_token (token);
  if (token != NULL)
    memset (token, 0, strlen (token));
  if (stripped != NULL && mm_settings_token_is_well_formed (stripped))
    {
      return_token (task, g_steal_pointer (&stripped), MM_TOKEN_SOURCE_KEYRING, NULL);
      return;
    }
  if (stripped != NULL)
    g_warning ("Ignoring the token saved in the keyring: it does not look like an access token");

  lookup_environment_and_file (task);
}

static void
lookup_file_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *path = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *token = NULL;
  gsize length = 0;

  if (!g_file_load_partial_contents_finish (G_FILE (source), result, &contents, &length,
                                            NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("No token from %s: %s", path, error->message);
      return_token (task, NULL, MM_TOKEN_SOURCE_NONE, NULL);
      return;
    }

  if (length > MAX_TOKEN_FILE_BYTES || memchr (contents, '\0', length) != NULL)
    {
      g_warning ("Ignoring %s: it does not look like a token file", path);
      return_token (task, NULL, MM_TOKEN_SOURCE_NONE, NULL);
      return;
    }

  token = strip_token (contents);
  memset (contents, 0, length);
  if (token != NULL && !mm_settings_token_is_well_formed (token))
    {
      g_warning ("Ignoring %s: it does not hold an access token", path);
      g_clear_pointer (&token, g_free);
    }

  return_token (task, g_steal_pointer (&token), MM_TOKEN_SOURCE_FILE, path);
}

/**
 * mm_settings_lookup_token_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Looks for the access token to use with the effective endpoint: the one
 * saved in the keyring for its host, else `HF_TOKEN`, else
 * `HUGGING_FACE_HUB_TOKEN`, else the token file of the Hub's tools
 * (mm_settings_dup_token_file_path()), with surrounding whitespace removed.
 * A keyring that cannot be reached counts as holding nothing.
 */
void
mm_settings_lookup_token_async (MmSettings          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_settings_lookup_token_async);

  key = mm_settings_dup_token_key (self);
  mm_token_store_lookup_async (self->store, key, cancellable, lookup_store_cb,
                               g_steal_pointer (&task));
}

/**
 * mm_settings_lookup_token_finish:
 * @source: (out) (optional): where the token came from
 * @location: (out) (optional) (transfer full) (nullable): for
 *   %MM_TOKEN_SOURCE_ENVIRONMENT the variable's name, for
 *   %MM_TOKEN_SOURCE_FILE the file's path, else %NULL
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when there is
 *   none (@error is not set then) or the lookup was cancelled (@error is set)
 */
char *
mm_settings_lookup_token_finish (MmSettings     *self,
                                 GAsyncResult   *result,
                                 MmTokenSource  *source,
                                 char          **location,
                                 GError        **error)
{
  g_autoptr(TokenLookup) lookup = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (source != NULL)
    *source = MM_TOKEN_SOURCE_NONE;
  if (location != NULL)
    *location = NULL;

  lookup = g_task_propagate_pointer (G_TASK (result), error);
  if (lookup == NULL)
    return NULL;

  if (source != NULL)
    *source = lookup->source;
  if (location != NULL)
    *location = g_steal_pointer (&lookup->location);
  return g_steal_pointer (&lookup->token);
}

static void
store_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmSettings *self = g_task_get_source_object (task);
  const char *token = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mm_token_store_store_finish (MM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, scrub_error (error, token));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_TOKEN_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_settings_store_token_async:
 * @token: the access token; surrounding whitespace is removed
 * @cancellable: (nullable): a #GCancellable
 *
 * Saves @token in the token store for the effective endpoint's host and
 * emits #MmSettings::token-changed. It does not check the token with the
 * Hub: see mm_settings_check_token_async().
 */
void
mm_settings_store_token_async (MmSettings          *self,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_settings_store_token_async);

  stripped = strip_token (token);
  if (!mm_settings_token_is_well_formed (stripped))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("This is not an access token: a token is one word of "
                                 "letters and digits, usually starting with “hf_”."));
      return;
    }

  key = mm_settings_dup_token_key (self);
  g_task_set_task_data (task, g_strdup (stripped), g_free);
  mm_token_store_store_async (self->store, key, stripped, cancellable, store_token_cb,
                              g_steal_pointer (&task));
}

gboolean
mm_settings_store_token_finish (MmSettings    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmSettings *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!mm_token_store_clear_finish (MM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_TOKEN_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_settings_clear_token_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Removes the token saved for the effective endpoint's host and emits
 * #MmSettings::token-changed. Tokens from the environment or the Hub
 * tools' file are not ours to remove and stay.
 */
void
mm_settings_clear_token_async (MmSettings          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_settings_clear_token_async);

  key = mm_settings_dup_token_key (self);
  mm_token_store_clear_async (self->store, key, cancellable, clear_token_cb,
                              g_steal_pointer (&task));
}

gboolean
mm_settings_clear_token_finish (MmSettings    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *token = g_task_get_task_data (task);
  GError *error = NULL;
  char *name;

  name = mm_hub_client_whoami_finish (MM_HUB_CLIENT (source), result, &error);
  if (name == NULL)
    {
      g_task_return_error (task, scrub_error (error, token));
      return;
    }

  g_task_return_pointer (task, name, g_free);
}

/**
 * mm_settings_check_token_async:
 * @token: an access token to check
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the effective endpoint which account @token belongs to (see
 * mm_hub_client_whoami_async()), without saving or using it.
 */
void
mm_settings_check_token_async (MmSettings          *self,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (MM_IS_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_settings_check_token_async);

  stripped = strip_token (token);
  if (!mm_settings_token_is_well_formed (stripped))
    {
      g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED, "%s",
                               _("This is not an access token: a token is one word of "
                                 "letters and digits, usually starting with “hf_”."));
      return;
    }

  client = mm_settings_create_client (self, stripped);
  g_task_set_task_data (task, g_steal_pointer (&stripped), g_free);
  mm_hub_client_whoami_async (client, cancellable, check_token_cb, g_steal_pointer (&task));
}

/**
 * mm_settings_check_token_finish:
 *
 * Returns: (transfer full): the account name, or %NULL with an
 *   %MM_HUB_ERROR (never quoting the token)
 */
char *
mm_settings_check_token_finish (MmSettings    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mm_settings_create_client:
 * @token: (nullable): the token, from mm_settings_lookup_token_finish()
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
