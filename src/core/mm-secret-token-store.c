/* mm-secret-token-store.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens in the keyring through libsecret: the Secret Service on the desktop
 * (GNOME Keyring, KWallet), or inside the Flatpak sandbox libsecret's own
 * encrypted file, unlocked through the Secret portal. One item per Hub host,
 * found by the schema's "endpoint" attribute, so a token for a mirror never
 * goes to huggingface.co and the other way round.
 */
#define G_LOG_DOMAIN "mm-secret-token-store"

#include "config.h"

#include "mm-secret-token-store.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

struct _MmSecretTokenStore
{
  GObject parent_instance;
};

static void mm_secret_token_store_iface_init (MmTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmSecretTokenStore, mm_secret_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MM_TYPE_TOKEN_STORE,
                                                      mm_secret_token_store_iface_init))

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    MM_SECRET_TOKEN_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_prefix_error (&error, "%s", _("Could not read the access token from the keyring: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

static void
secret_lookup_async (MmTokenStore        *store,
                     const char          *hub,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, secret_lookup_async);
  secret_password_lookup (token_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "endpoint", hub,
                          NULL);
}

static char *
secret_lookup_finish (MmTokenStore  *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_autofree char *copy = NULL;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  /* Hand out plain g_free()able memory: libsecret's may be non-pageable. */
  token = g_task_propagate_pointer (G_TASK (result), error);
  if (token == NULL)
    return NULL;
  copy = g_strdup (token);
  secret_password_free (token);

  return g_steal_pointer (&copy);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_prefix_error (&error, "%s", _("Could not save the access token in the keyring: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
secret_store_async (MmTokenStore        *store,
                    const char          *hub,
                    const char          *token,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  /* Translators: the label of the keyring item; %s is a host such as huggingface.co */
  g_autofree char *label = g_strdup_printf (_("Hugging Face access token for %s"), hub);

  g_task_set_source_tag (task, secret_store_async);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "endpoint", hub,
                         NULL);
}

static gboolean
secret_boolean_finish (MmTokenStore  *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to remove: fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_prefix_error (&error, "%s", _("Could not remove the access token from the keyring: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
secret_clear_async (MmTokenStore        *store,
                    const char          *hub,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, secret_clear_async);
  secret_password_clear (token_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "endpoint", hub,
                         NULL);
}

static void
mm_secret_token_store_iface_init (MmTokenStoreInterface *iface)
{
  iface->lookup_async = secret_lookup_async;
  iface->lookup_finish = secret_lookup_finish;
  iface->store_async = secret_store_async;
  iface->store_finish = secret_boolean_finish;
  iface->clear_async = secret_clear_async;
  iface->clear_finish = secret_boolean_finish;
}

static void
mm_secret_token_store_class_init (MmSecretTokenStoreClass *klass)
{
}

static void
mm_secret_token_store_init (MmSecretTokenStore *self)
{
}

/**
 * mm_secret_token_store_new:
 *
 * Returns: (transfer full): a store backed by the keyring
 */
MmSecretTokenStore *
mm_secret_token_store_new (void)
{
  return g_object_new (MM_TYPE_SECRET_TOKEN_STORE, NULL);
}
