/* mm-download-item-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-download-item.h"

G_BEGIN_DECLS

const char          *_mm_download_item_get_revision       (MmDownloadItem  *self);

G_END_DECLS
