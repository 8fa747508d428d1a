/* mm-token-store.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The interface is small on purpose: the app, the command line and the
 * tests only ever need "the token for this Hub", and a Secret Service is not
 * something a test run or a CI container can be assumed to have. Setting
 * MM_TOKEN_STORE=memory selects a process-wide in-memory store instead of
 * the keyring.
 */
#define G_LOG_DOMAIN "mm-token-store"

#include "config.h"

#include "mm-token-store.h"

#include "mm-memory-token-store.h"
#include "mm-secret-token-store.h"

G_DEFINE_INTERFACE (MmTokenStore, mm_token_store, G_TYPE_OBJECT)

static void
mm_token_store_default_init (MmTokenStoreInterface *iface)
{
}

/**
 * mm_token_store_get_default:
 *
 * The keyring, or with `MM_TOKEN_STORE=memory` one in-memory store shared by
 * the whole process (so that a test sees what the preferences saved).
 *
 * Returns: (transfer full): the store to use
 */
MmTokenStore *
mm_token_store_get_default (void)
{
  static MmTokenStore *memory_store;

  if (g_strcmp0 (g_getenv ("MM_TOKEN_STORE"), "memory") == 0)
    {
      if (g_once_init_enter (&memory_store))
        g_once_init_leave (&memory_store, MM_TOKEN_STORE (mm_memory_token_store_new ()));
      return g_object_ref (memory_store);
    }

  return MM_TOKEN_STORE (mm_secret_token_store_new ());
}

/**
 * mm_token_store_lookup_async:
 * @hub: the Hub's host, with `:port` when it is not the scheme's default
 * @cancellable: (nullable): a #GCancellable
 *
 * Looks up the token saved for @hub.
 */
void
mm_token_store_lookup_async (MmTokenStore        *self,
                             const char          *hub,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MM_IS_TOKEN_STORE (self));
  g_return_if_fail (hub != NULL);

  MM_TOKEN_STORE_GET_IFACE (self)->lookup_async (self, hub, cancellable, callback, user_data);
}

/**
 * mm_token_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when none is
 *   saved (without an error) or on error
 */
char *
mm_token_store_lookup_finish (MmTokenStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (MM_IS_TOKEN_STORE (self), NULL);

  return MM_TOKEN_STORE_GET_IFACE (self)->lookup_finish (self, result, error);
}

/**
 * mm_token_store_store_async:
 * @hub: the Hub's host, with `:port` when it is not the scheme's default
 * @token: the token to save
 * @cancellable: (nullable): a #GCancellable
 *
 * Saves @token for @hub, replacing what was saved before.
 */
void
mm_token_store_store_async (MmTokenStore        *self,
                            const char          *hub,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MM_IS_TOKEN_STORE (self));
  g_return_if_fail (hub != NULL);
  g_return_if_fail (token != NULL);

  MM_TOKEN_STORE_GET_IFACE (self)->store_async (self, hub, token, cancellable,
                                                callback, user_data);
}

gboolean
mm_token_store_store_finish (MmTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MM_IS_TOKEN_STORE (self), FALSE);

  return MM_TOKEN_STORE_GET_IFACE (self)->store_finish (self, result, error);
}

/**
 * mm_token_store_clear_async:
 * @hub: the Hub's host, with `:port` when it is not the scheme's default
 * @cancellable: (nullable): a #GCancellable
 *
 * Forgets the token saved for @hub. Clearing when nothing is saved succeeds.
 */
void
mm_token_store_clear_async (MmTokenStore        *self,
                            const char          *hub,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MM_IS_TOKEN_STORE (self));
  g_return_if_fail (hub != NULL);

  MM_TOKEN_STORE_GET_IFACE (self)->clear_async (self, hub, cancellable, callback, user_data);
}

gboolean
mm_token_store_clear_finish (MmTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MM_IS_TOKEN_STORE (self), FALSE);

  return MM_TOKEN_STORE_GET_IFACE (self)->clear_finish (self, result, error);
}
