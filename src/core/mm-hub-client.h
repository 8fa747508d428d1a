/* mm-hub-client.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmHubClient belongs to the thread whose thread-default main
 * context was current when it was created; call it and get its callbacks there.
 */
#pragma once

#include <gio/gio.h>

#include "mm-gguf-info.h"
#include "mm-gguf-reader.h"
#include "mm-model.h"
#include "mm-search-filter.h"
#include "mm-types.h"

G_BEGIN_DECLS

#define MM_TYPE_HUB_CLIENT (mm_hub_client_get_type ())

G_DECLARE_FINAL_TYPE (MmHubClient, mm_hub_client, MM, HUB_CLIENT, GObject)

#define MM_HUB_DEFAULT_PAGE_SIZE 30

MmHubClient *mm_hub_client_new                  (const char           *endpoint,
                                                 const char           *token);
const char  *mm_hub_client_get_endpoint         (MmHubClient          *self);
gboolean     mm_hub_client_get_has_token        (MmHubClient          *self);
const char  *mm_hub_client_get_user_agent       (MmHubClient          *self);

char        *mm_hub_client_build_search_url     (MmHubClient          *self,
                                                 const char           *text,
                                                 MmSort                sort,
                                                 gboolean              gguf_only,
                                                 guint                 page_size);
char        *mm_hub_client_build_filtered_search_url (MmHubClient          *self,
                                                      const char           *text,
                                                      MmSort                sort,
                                                      gboolean              gguf_only,
                                                      const MmSearchFilter *filter,
                                                      guint                 page_size);
void         mm_hub_client_search_async         (MmHubClient          *self,
                                                 const char           *url,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray   *mm_hub_client_search_finish        (MmHubClient          *self,
                                                 GAsyncResult         *result,
                                                 char                **next_url,
                                                 GError              **error);

void         mm_hub_client_model_info_async     (MmHubClient          *self,
                                                 const char           *repo_id,
                                                 const char           *revision,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
MmModel     *mm_hub_client_model_info_finish    (MmHubClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         mm_hub_client_auth_check_async     (MmHubClient          *self,
                                                 const char           *repo_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     mm_hub_client_auth_check_finish    (MmHubClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         mm_hub_client_model_card_async     (MmHubClient          *self,
                                                 const char           *repo_id,
                                                 const char           *revision,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char        *mm_hub_client_model_card_finish    (MmHubClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         mm_hub_client_read_gguf_async      (MmHubClient          *self,
                                                 const char           *repo_id,
                                                 const char           *revision,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void         mm_hub_client_read_gguf_with_progress_async (MmHubClient       *self,
                                                 const char           *repo_id,
                                                 const char           *revision,
                                                 const char           *path,
                                                 MmGgufProgressFunc    progress,
                                                 gpointer              progress_data,
                                                 GDestroyNotify        progress_data_free,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
MmGgufInfo  *mm_hub_client_read_gguf_finish     (MmHubClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

char        *mm_hub_client_build_model_url      (MmHubClient          *self,
                                                 const char           *repo_id);
char        *mm_hub_client_build_resolve_url    (MmHubClient          *self,
                                                 const char           *repo_id,
                                                 const char           *revision,
                                                 const char           *path);

G_END_DECLS
