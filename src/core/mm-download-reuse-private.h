/* mm-download-reuse-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hook between an MmDownload and the files already on disk: before an
 * attempt moves bytes over the network, _mm_download_reuse_run() looks for
 * the same SHA-256 in the default MmReuseIndex and, when a copy verifies,
 * finishes the attempt without a request.
 */
#pragma once

#include "mm-download-private.h"

G_BEGIN_DECLS

gboolean _mm_download_reuse_run (GTask             *task,
                                 MmDownloadAttempt *attempt,
                                 GCancellable      *cancellable);

G_END_DECLS
