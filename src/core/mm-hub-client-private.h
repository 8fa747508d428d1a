/* mm-hub-client-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For other core objects (the download engine) and the tests, not for the
 * app. The first ones only read the client's immutable fields, so a worker
 * thread may call them.
 */
#pragma once

#include <libsoup/soup.h>

#include "mm-hub-client.h"

G_BEGIN_DECLS

SoupSession *_mm_hub_client_new_transfer_session (MmHubClient  *self,
                                                  guint         stall_timeout_s);
SoupMessage *_mm_hub_client_new_message          (MmHubClient  *self,
                                                  const char   *method,
                                                  GUri         *uri);
GError      *_mm_hub_client_error_for_file       (MmHubClient  *self,
                                                  SoupMessage  *msg,
                                                  GBytes       *body,
                                                  const char   *repo_id,
                                                  const char   *path);
GError      *_mm_hub_client_transport_error      (MmHubClient  *self,
                                                  const GError *error);
gboolean     _mm_hub_client_transport_is_retryable (const GError *error);
gboolean     _mm_hub_client_status_is_retryable  (guint         status);

void         _mm_hub_client_list_files_async     (MmHubClient          *self,
                                                  const char           *repo_id,
                                                  const char           *revision,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray   *_mm_hub_client_list_files_finish    (MmHubClient          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
MmHubClient *_mm_hub_client_new_from_environment (void);
void         _mm_hub_client_set_proxy_resolver   (MmHubClient          *self,
                                                  GProxyResolver       *resolver);
void         _mm_hub_client_set_retry_policy     (MmHubClient          *self,
                                                  guint                 max_retries,
                                                  guint                 base_delay_ms);

G_END_DECLS
