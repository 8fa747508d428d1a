/* mm-download-store-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-download-store.h"

G_BEGIN_DECLS

JsonArray            *_mm_download_store_parse            (const char            *data,
                                                           gsize                  len,
                                                           GError               **error);
GPtrArray            *_mm_download_store_completed_files  (JsonArray             *items);

G_END_DECLS
