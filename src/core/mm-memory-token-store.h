/* mm-memory-token-store.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: use from one thread.
 */
#pragma once

#include "mm-token-store.h"

G_BEGIN_DECLS

#define MM_TYPE_MEMORY_TOKEN_STORE (mm_memory_token_store_get_type ())

G_DECLARE_FINAL_TYPE (MmMemoryTokenStore, mm_memory_token_store, MM, MEMORY_TOKEN_STORE, GObject)

MmMemoryTokenStore *mm_memory_token_store_new       (void);

G_END_DECLS
