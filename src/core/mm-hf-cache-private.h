/* mm-hf-cache-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-hf-cache.h"

G_BEGIN_DECLS

char      *_mm_hf_cache_link_target          (const char       *path,
                                              const char       *blob_id);

G_END_DECLS
