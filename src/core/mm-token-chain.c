/* mm-token-chain.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmTokenChain answers "which access token goes with the Hub in use?" for
 * the app and the command line alike: the keyring item for the effective
 * endpoint's host (through an MmTokenStore), else HF_TOKEN, else
 * HUGGING_FACE_HUB_TOKEN, else the Hub tools' token file. It also saves a
 * token to the keyring, removes it, checks one with the Hub (whoami), and
 * makes the Hub client both front ends use (mm_token_chain_new_client_async()).
 *
 * A token is never kept in GSettings or in a file of ours, and never
 * written to a log or an error message.
 */
#define G_LOG_DOMAIN "mm-token-chain"

#include "config.h"

#include "mm-token-chain-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-hub-client-whoami.h"
#include "mm-hub-error.h"

#define MAX_TOKEN_LENGTH 1024
#define MAX_TOKEN_FILE_BYTES 65536

struct _MmTokenChain
{
  GObject parent_instance;

  MmSettings *settings;  /* (owned) */
  MmTokenStore *store;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (MmTokenChain, mm_token_chain, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  N_PROPS,
} MmTokenChainProperty;

static GParamSpec *properties[N_PROPS];

typedef enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
} MmTokenChainSignal;

static guint signals[N_SIGNALS];

/* Whether @token (nullable) could be sent in an Authorization header: one
 * word of visible ASCII characters. */
static gboolean
token_is_well_formed (const char *token)
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
mm_token_chain_constructed (GObject *object)
{
  MmTokenChain *self = MM_TOKEN_CHAIN (object);

  G_OBJECT_CLASS (mm_token_chain_parent_class)->constructed (object);

  g_assert (MM_IS_SETTINGS (self->settings));
  if (self->store == NULL)
    self->store = mm_token_store_get_default ();
}

static void
mm_token_chain_dispose (GObject *object)
{
  MmTokenChain *self = MM_TOKEN_CHAIN (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mm_token_chain_parent_class)->dispose (object);
}

static void
mm_token_chain_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MmTokenChain *self = MM_TOKEN_CHAIN (object);

  switch ((MmTokenChainProperty) prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_token_chain_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MmTokenChain *self = MM_TOKEN_CHAIN (object);

  switch ((MmTokenChainProperty) prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_token_chain_class_init (MmTokenChainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mm_token_chain_constructed;
  object_class->dispose = mm_token_chain_dispose;
  object_class->get_property = mm_token_chain_get_property;
  object_class->set_property = mm_token_chain_set_property;

  /** MmTokenChain:settings: whose effective endpoint the token is for */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, MM_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmTokenChain:store: where tokens are saved; the default one when not given */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MM_TYPE_TOKEN_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmTokenChain::changed:
   *
   * A token was saved to or removed from the token store through this
   * chain: whoever holds a Hub client should make a new one.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mm_token_chain_init (MmTokenChain *self)
{
}

/**
 * mm_token_chain_new:
 * @settings: the settings whose effective endpoint the tokens are for
 * @store: (nullable): a token store, or %NULL for the default one (see
 *   mm_token_store_get_default())
 *
 * Returns: (transfer full): a new token chain
 */
MmTokenChain *
mm_token_chain_new (MmSettings   *settings,
                    MmTokenStore *store)
{
  g_return_val_if_fail (MM_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (!store || MM_IS_TOKEN_STORE (store), NULL);

  return g_object_new (MM_TYPE_TOKEN_CHAIN,
                       "settings", settings,
                       "store", store,
                       NULL);
}

/**
 * mm_token_chain_get_settings:
 *
 * Returns: (transfer none): the settings
 */
MmSettings *
mm_token_chain_get_settings (MmTokenChain *self)
{
  g_return_val_if_fail (MM_IS_TOKEN_CHAIN (self), NULL);
  return self->settings;
}

/**
 * mm_token_chain_get_store:
 *
 * Returns: (transfer none): where tokens are saved
 */
MmTokenStore *
mm_token_chain_get_store (MmTokenChain *self)
{
  g_return_val_if_fail (MM_IS_TOKEN_CHAIN (self), NULL);
  return self->store;
}

/**
 * _mm_token_chain_dup_key:
 *
 * Returns: (transfer full): what the saved token is filed under: the host
 *   of the effective endpoint, with `:port` when one is given
 */
char *
_mm_token_chain_dup_key (MmTokenChain *self)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (MM_IS_TOKEN_CHAIN (self), NULL);

  endpoint = mm_settings_dup_effective_endpoint (self->settings);
  uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("huggingface.co");

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  return g_steal_pointer (&host);
}

/**
 * _mm_token_chain_dup_file_path:
 *
 * Where the Hub's own tools (`hf auth login`) keep the token: `HF_TOKEN_PATH`,
 * else `$HF_HOME/token`, else `$XDG_CACHE_HOME/huggingface/token` outside a
 * Flatpak sandbox, else `~/.cache/huggingface/token`.
 *
 * Returns: (transfer full): the path of the token file
 */
char *
_mm_token_chain_dup_file_path (void)
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
      if (!token_is_well_formed (token))
        {
          g_warning ("Ignoring %s: it does not look like an access token", variables[i]);
          continue;
        }
      return_token (task, g_steal_pointer (&token), MM_TOKEN_SOURCE_ENVIRONMENT, variables[i]);
      return;
    }

  path = _mm_token_chain_dup_file_path ();
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
  if (stripped != NULL && token_is_well_formed (stripped))
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
  if (token != NULL && !token_is_well_formed (token))
    {
      g_warning ("Ignoring %s: it does not hold an access token", path);
      g_clear_pointer (&token, g_free);
    }

  return_token (task, g_steal_pointer (&token), MM_TOKEN_SOURCE_FILE, path);
}

/**
 * mm_token_chain_lookup_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Looks for the access token to use with the effective endpoint: the one
 * saved in the keyring for its host, else `HF_TOKEN`, else
 * `HUGGING_FACE_HUB_TOKEN`, else the token file of the Hub's tools
 * (_mm_token_chain_dup_file_path()), with surrounding whitespace removed.
 * A keyring that cannot be reached counts as holding nothing.
 */
void
mm_token_chain_lookup_async (MmTokenChain        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_token_chain_lookup_async);

  key = _mm_token_chain_dup_key (self);
  mm_token_store_lookup_async (self->store, key, cancellable, lookup_store_cb,
                               g_steal_pointer (&task));
}

/**
 * mm_token_chain_lookup_finish:
 * @source: (out) (optional): where the token came from
 * @location: (out) (optional) (transfer full) (nullable): for
 *   %MM_TOKEN_SOURCE_ENVIRONMENT the variable's name, for
 *   %MM_TOKEN_SOURCE_FILE the file's path, else %NULL
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when there is
 *   none (@error is not set then) or the lookup was cancelled (@error is set)
 */
char *
mm_token_chain_lookup_finish (MmTokenChain   *self,
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
  MmTokenChain *self = g_task_get_source_object (task);
  const char *token = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mm_token_store_store_finish (MM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, scrub_error (error, token));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_token_chain_store_async:
 * @token: the access token; surrounding whitespace is removed
 * @cancellable: (nullable): a #GCancellable
 *
 * Saves @token in the token store for the effective endpoint's host and
 * emits #MmTokenChain::changed. It does not check the token with the
 * Hub: see mm_token_chain_check_async().
 */
void
mm_token_chain_store_async (MmTokenChain        *self,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_token_chain_store_async);

  stripped = strip_token (token);
  if (!token_is_well_formed (stripped))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("This is not an access token: a token is one word of "
                                 "letters and digits, usually starting with “hf_”."));
      return;
    }

  key = _mm_token_chain_dup_key (self);
  g_task_set_task_data (task, g_strdup (stripped), g_free);
  mm_token_store_store_async (self->store, key, stripped, cancellable, store_token_cb,
                              g_steal_pointer (&task));
}

gboolean
mm_token_chain_store_finish (MmTokenChain  *self,
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
  MmTokenChain *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!mm_token_store_clear_finish (MM_TOKEN_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_token_chain_clear_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Removes the token saved for the effective endpoint's host and emits
 * #MmTokenChain::changed. Tokens from the environment or the Hub
 * tools' file are not ours to remove and stay.
 */
void
mm_token_chain_clear_async (MmTokenChain        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_token_chain_clear_async);

  key = _mm_token_chain_dup_key (self);
  mm_token_store_clear_async (self->store, key, cancellable, clear_token_cb,
                              g_steal_pointer (&task));
}

gboolean
mm_token_chain_clear_finish (MmTokenChain  *self,
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
 * mm_token_chain_check_async:
 * @token: an access token to check
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the effective endpoint which account @token belongs to (see
 * mm_hub_client_whoami_async()), without saving or using it.
 */
void
mm_token_chain_check_async (MmTokenChain        *self,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_token_chain_check_async);

  stripped = strip_token (token);
  if (!token_is_well_formed (stripped))
    {
      g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED, "%s",
                               _("This is not an access token: a token is one word of "
                                 "letters and digits, usually starting with “hf_”."));
      return;
    }

  client = mm_settings_create_client (self->settings, stripped);
  g_task_set_task_data (task, g_steal_pointer (&stripped), g_free);
  mm_hub_client_whoami_async (client, cancellable, check_token_cb, g_steal_pointer (&task));
}

/**
 * mm_token_chain_check_finish:
 *
 * Returns: (transfer full): the account name, or %NULL with an
 *   %MM_HUB_ERROR (never quoting the token)
 */
char *
mm_token_chain_check_finish (MmTokenChain  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* The client: one lookup, then mm_settings_create_client(). */

static void
new_client_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmTokenChain *self = MM_TOKEN_CHAIN (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mm_token_chain_lookup_finish (self, result, NULL, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, mm_settings_create_client (self->settings, token),
                         g_object_unref);
  if (token != NULL)
    memset (token, 0, strlen (token));
}

/**
 * mm_token_chain_new_client_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Makes the Hub client that the app and the command line use: for the
 * effective endpoint of the settings, with the token that
 * mm_token_chain_lookup_async() finds (or none).
 */
void
mm_token_chain_new_client_async (MmTokenChain        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_TOKEN_CHAIN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_token_chain_new_client_async);
  mm_token_chain_lookup_async (self, cancellable, new_client_cb, g_steal_pointer (&task));
}

/**
 * mm_token_chain_new_client_finish:
 *
 * Returns: (transfer full) (nullable): the client, or %NULL only when the
 *   lookup was cancelled (@error is set)
 */
MmHubClient *
mm_token_chain_new_client_finish (MmTokenChain  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
