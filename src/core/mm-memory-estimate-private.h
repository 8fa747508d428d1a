/* mm-memory-estimate-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-memory-estimate.h"

G_BEGIN_DECLS

guint64           _mm_memory_estimate_choose_context  (const MmModelShape     *shape,
                                                       guint64                 context);
char             *_mm_memory_estimate_dup_explanation (const MmMemoryEstimate *self);
char             *_mm_memory_estimate_dup_placement_explanation (const MmMemoryEstimate *self);
MmFit             _mm_memory_estimate_fit             (guint64                 size,
                                                       const MmModelShape     *shape,
                                                       guint64                 total_memory,
                                                       guint64                *memory_needed);
guint64           _mm_memory_estimate_kv_cache        (const MmModelShape     *shape,
                                                       guint64                 context,
                                                       guint                   bytes_per_element);
guint64           _mm_memory_estimate_kv_cache_approximate (guint64            parameters,
                                                       guint64                 context);
guint64           _mm_memory_estimate_runtime         (guint64                 weights);

G_END_DECLS
