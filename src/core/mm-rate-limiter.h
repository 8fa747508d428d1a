/* mm-rate-limiter.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: thread-safe. mm_rate_limiter_take() blocks the calling (worker)
 * thread; never call it on a main loop.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_TYPE_RATE_LIMITER (mm_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (MmRateLimiter, mm_rate_limiter, MM, RATE_LIMITER, GObject)

MmRateLimiter *mm_rate_limiter_new      (guint64         bytes_per_second);
void           mm_rate_limiter_set_rate (MmRateLimiter  *self,
                                         guint64         bytes_per_second);
guint64        mm_rate_limiter_get_rate (MmRateLimiter  *self);
gboolean       mm_rate_limiter_take     (MmRateLimiter  *self,
                                         gsize           bytes,
                                         GCancellable   *cancellable);

G_END_DECLS
