/* mm-hub-client-whoami.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: as for MmHubClient.
 */
#pragma once

#include "mm-hub-client.h"

G_BEGIN_DECLS

void   mm_hub_client_whoami_async  (MmHubClient          *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
char  *mm_hub_client_whoami_finish (MmHubClient          *self,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
