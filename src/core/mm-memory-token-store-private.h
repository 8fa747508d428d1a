/* mm-memory-token-store-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-memory-token-store.h"

G_BEGIN_DECLS

guint               _mm_memory_token_store_get_count (MmMemoryTokenStore *self);

G_END_DECLS
