/* mm-token-store.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: call a store from one thread; callbacks run on the thread-default
 * main context of the call.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_TYPE_TOKEN_STORE (mm_token_store_get_type ())

G_DECLARE_INTERFACE (MmTokenStore, mm_token_store, MM, TOKEN_STORE, GObject)

/**
 * MmTokenStoreInterface:
 * @lookup_async: starts looking up the token saved for a Hub
 * @lookup_finish: returns the token, or %NULL without an error when none is saved
 * @store_async: starts saving a token for a Hub, replacing an older one
 * @store_finish: returns whether the token was saved
 * @clear_async: starts forgetting the token saved for a Hub
 * @clear_finish: returns %FALSE only on error; clearing nothing is a success
 *
 * Where access tokens are kept, keyed by the Hub's host (and port). The
 * keyring implementation is #MmSecretTokenStore; tests use
 * #MmMemoryTokenStore, which needs no Secret Service.
 */
struct _MmTokenStoreInterface
{
  GTypeInterface parent_iface;

  void      (*lookup_async)  (MmTokenStore         *self,
                              const char           *hub,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  char     *(*lookup_finish) (MmTokenStore         *self,
                              GAsyncResult         *result,
                              GError              **error);
  void      (*store_async)   (MmTokenStore         *self,
                              const char           *hub,
                              const char           *token,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*store_finish)  (MmTokenStore         *self,
                              GAsyncResult         *result,
                              GError              **error);
  void      (*clear_async)   (MmTokenStore         *self,
                              const char           *hub,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean  (*clear_finish)  (MmTokenStore         *self,
                              GAsyncResult         *result,
                              GError              **error);
};

MmTokenStore *mm_token_store_get_default   (void);

void          mm_token_store_lookup_async  (MmTokenStore         *self,
                                            const char           *hub,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char         *mm_token_store_lookup_finish (MmTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void          mm_token_store_store_async   (MmTokenStore         *self,
                                            const char           *hub,
                                            const char           *token,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      mm_token_store_store_finish  (MmTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void          mm_token_store_clear_async   (MmTokenStore         *self,
                                            const char           *hub,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      mm_token_store_clear_finish  (MmTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
