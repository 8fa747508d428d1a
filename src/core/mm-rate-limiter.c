/* mm-rate-limiter.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token bucket shared by worker threads. Each worker asks for the bytes
 * it just read; when the bucket is short, the worker waits (in its own
 * thread, waking at once on cancellation) until the debt is paid. The
 * bucket holds at most a tenth of a second of credit, so a limit is kept
 * smoothly rather than in bursts.
 */
#define G_LOG_DOMAIN "mm-rate-limiter"

#include "config.h"

#include "mm-rate-limiter.h"

struct _MmRateLimiter
{
  GObject parent_instance;

  GMutex mutex;
  guint64 rate;          /* bytes per second, 0 = unlimited */
  double tokens;         /* may go negative: bytes owed */
  gint64 last_refill_us;
};

G_DEFINE_FINAL_TYPE (MmRateLimiter, mm_rate_limiter, G_TYPE_OBJECT)

static void
mm_rate_limiter_finalize (GObject *object)
{
  MmRateLimiter *self = MM_RATE_LIMITER (object);

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (mm_rate_limiter_parent_class)->finalize (object);
}

static void
mm_rate_limiter_class_init (MmRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mm_rate_limiter_finalize;
}

static void
mm_rate_limiter_init (MmRateLimiter *self)
{
  g_mutex_init (&self->mutex);
  self->last_refill_us = g_get_monotonic_time ();
}

/**
 * mm_rate_limiter_new:
 * @bytes_per_second: the limit, 0 for none
 *
 * Returns: (transfer full): a new limiter
 */
MmRateLimiter *
mm_rate_limiter_new (guint64 bytes_per_second)
{
  MmRateLimiter *self = g_object_new (MM_TYPE_RATE_LIMITER, NULL);

  self->rate = bytes_per_second;
  return self;
}

void
mm_rate_limiter_set_rate (MmRateLimiter *self,
                          guint64        bytes_per_second)
{
  g_return_if_fail (MM_IS_RATE_LIMITER (self));

  g_mutex_lock (&self->mutex);
  self->rate = bytes_per_second;
  self->tokens = 0;
  self->last_refill_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->mutex);
}

guint64
mm_rate_limiter_get_rate (MmRateLimiter *self)
{
  guint64 rate;

  g_return_val_if_fail (MM_IS_RATE_LIMITER (self), 0);

  g_mutex_lock (&self->mutex);
  rate = self->rate;
  g_mutex_unlock (&self->mutex);

  return rate;
}

/* Sleeps up to @us microseconds; returns FALSE when cancelled. */
static gboolean
cancellable_sleep (GCancellable *cancellable,
                   gint64        us)
{
  GPollFD pollfd;
  int timeout_ms = (int) MIN ((us + 999) / 1000, G_MAXINT);

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_usleep ((gulong) us);
      return TRUE;
    }

  g_poll (&pollfd, 1, timeout_ms);
  g_cancellable_release_fd (cancellable);

  return !g_cancellable_is_cancelled (cancellable);
}

/**
 * mm_rate_limiter_take:
 * @bytes: bytes just received
 * @cancellable: (nullable): stops the wait
 *
 * Accounts for @bytes and blocks the calling worker thread until the limit
 * allows them.
 *
 * Returns: %FALSE when @cancellable was cancelled during the wait
 */
gboolean
mm_rate_limiter_take (MmRateLimiter *self,
                      gsize          bytes,
                      GCancellable  *cancellable)
{
  gint64 wait_us = 0;

  g_return_val_if_fail (MM_IS_RATE_LIMITER (self), TRUE);

  g_mutex_lock (&self->mutex);
  if (self->rate > 0)
    {
      gint64 now = g_get_monotonic_time ();
      double capacity = self->rate / 10.0;

      self->tokens += (now - self->last_refill_us) * (double) self->rate / G_USEC_PER_SEC;
      self->tokens = MIN (self->tokens, capacity);
      self->last_refill_us = now;
      self->tokens -= (double) bytes;
      if (self->tokens < 0)
        wait_us = (gint64) (-self->tokens * G_USEC_PER_SEC / self->rate);
    }
  g_mutex_unlock (&self->mutex);

  if (wait_us > 0)
    return cancellable_sleep (cancellable, wait_us);

  return !g_cancellable_is_cancelled (cancellable);
}
