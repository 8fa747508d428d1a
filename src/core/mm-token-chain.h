/* mm-token-chain.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: use an MmTokenChain from the thread that made it; callbacks run
 * on that thread's main context.
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-settings.h"
#include "mm-token-store.h"

G_BEGIN_DECLS

/**
 * MmTokenSource:
 * @MM_TOKEN_SOURCE_NONE: no token was found
 * @MM_TOKEN_SOURCE_KEYRING: the token saved in the keyring for this Hub
 * @MM_TOKEN_SOURCE_ENVIRONMENT: `HF_TOKEN` or `HUGGING_FACE_HUB_TOKEN`
 * @MM_TOKEN_SOURCE_FILE: the Hub tools' token file (`huggingface-cli login`)
 */
typedef enum {
  MM_TOKEN_SOURCE_NONE,
  MM_TOKEN_SOURCE_KEYRING,
  MM_TOKEN_SOURCE_ENVIRONMENT,
  MM_TOKEN_SOURCE_FILE,
} MmTokenSource;

#define MM_TYPE_TOKEN_CHAIN (mm_token_chain_get_type ())

G_DECLARE_FINAL_TYPE (MmTokenChain, mm_token_chain, MM, TOKEN_CHAIN, GObject)

MmTokenChain *mm_token_chain_new                (MmSettings           *settings,
                                                 MmTokenStore         *store);

MmSettings   *mm_token_chain_get_settings       (MmTokenChain         *self);
MmTokenStore *mm_token_chain_get_store          (MmTokenChain         *self);

void          mm_token_chain_lookup_async       (MmTokenChain         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char         *mm_token_chain_lookup_finish      (MmTokenChain         *self,
                                                 GAsyncResult         *result,
                                                 MmTokenSource        *source,
                                                 char                **location,
                                                 GError              **error);
void          mm_token_chain_store_async        (MmTokenChain         *self,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      mm_token_chain_store_finish       (MmTokenChain         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          mm_token_chain_clear_async        (MmTokenChain         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      mm_token_chain_clear_finish       (MmTokenChain         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          mm_token_chain_check_async        (MmTokenChain         *self,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char         *mm_token_chain_check_finish       (MmTokenChain         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void          mm_token_chain_new_client_async   (MmTokenChain         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
MmHubClient  *mm_token_chain_new_client_finish  (MmTokenChain         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
