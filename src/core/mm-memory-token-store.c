/* mm-memory-token-store.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token store that forgets everything when the process ends: for tests,
 * which must not touch the person's keyring, and for environments without a
 * Secret Service. Answers arrive asynchronously, like the keyring's, so
 * callers are exercised the same way.
 */
#define G_LOG_DOMAIN "mm-memory-token-store"

#include "config.h"

#include "mm-memory-token-store-private.h"

#include <string.h>

struct _MmMemoryTokenStore
{
  GObject parent_instance;

  GHashTable *tokens;  /* (owned) hub → token */
};

static void mm_memory_token_store_iface_init (MmTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmMemoryTokenStore, mm_memory_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MM_TYPE_TOKEN_STORE,
                                                      mm_memory_token_store_iface_init))

/* Overwrite a token before its memory goes back to the allocator. */
static void
token_free (gpointer data)
{
  char *token = data;

  if (token != NULL)
    memset (token, 0, strlen (token));
  g_free (token);
}

static void
memory_lookup_async (MmTokenStore        *store,
                     const char          *hub,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  MmMemoryTokenStore *self = MM_MEMORY_TOKEN_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, memory_lookup_async);
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->tokens, hub)), token_free);
}

static char *
memory_lookup_finish (MmTokenStore  *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
memory_store_async (MmTokenStore        *store,
                    const char          *hub,
                    const char          *token,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  MmMemoryTokenStore *self = MM_MEMORY_TOKEN_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, memory_store_async);
  g_hash_table_replace (self->tokens, g_strdup (hub), g_strdup (token));
  g_task_return_boolean (task, TRUE);
}

static gboolean
memory_boolean_finish (MmTokenStore  *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
memory_clear_async (MmTokenStore        *store,
                    const char          *hub,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  MmMemoryTokenStore *self = MM_MEMORY_TOKEN_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, memory_clear_async);
  g_hash_table_remove (self->tokens, hub);
  g_task_return_boolean (task, TRUE);
}

static void
mm_memory_token_store_iface_init (MmTokenStoreInterface *iface)
{
  iface->lookup_async = memory_lookup_async;
  iface->lookup_finish = memory_lookup_finish;
  iface->store_async = memory_store_async;
  iface->store_finish = memory_boolean_finish;
  iface->clear_async = memory_clear_async;
  iface->clear_finish = memory_boolean_finish;
}

static void
mm_memory_token_store_finalize (GObject *object)
{
  MmMemoryTokenStore *self = MM_MEMORY_TOKEN_STORE (object);

  g_clear_pointer (&self->tokens, g_hash_table_unref);

  G_OBJECT_CLASS (mm_memory_token_store_parent_class)->finalize (object);
}

static void
mm_memory_token_store_class_init (MmMemoryTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_memory_token_store_finalize;
}

static void
mm_memory_token_store_init (MmMemoryTokenStore *self)
{
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);
}

/**
 * mm_memory_token_store_new:
 *
 * Returns: (transfer full): a new, empty store
 */
MmMemoryTokenStore *
mm_memory_token_store_new (void)
{
  return g_object_new (MM_TYPE_MEMORY_TOKEN_STORE, NULL);
}

/**
 * _mm_memory_token_store_get_count:
 *
 * Returns: how many tokens the store holds
 */
guint
_mm_memory_token_store_get_count (MmMemoryTokenStore *self)
{
  g_return_val_if_fail (MM_IS_MEMORY_TOKEN_STORE (self), 0);

  return g_hash_table_size (self->tokens);
}
