/* mm-hub-client-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For other core objects (the download engine), not for the app. These only
 * read the client's immutable fields, so a worker thread may call them.
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

G_END_DECLS
