/* mm-free-space.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether a download fits on its disk. The download manager asks before
 * it queues an item, the engine before it writes a file's first byte; both
 * want the same headroom beyond the bytes themselves, so that a disk is
 * never filled to the last block by a download.
 */
#define G_LOG_DOMAIN "mm-free-space"

#include "config.h"

#include "mm-free-space.h"

#include "mm-system.h"

#define MIB ((guint64) 1024 * 1024)
/* At most this much headroom, and a tenth of the bytes (plus a MiB) below. */
#define MAX_MARGIN (64 * MIB)

/* The headroom to keep free besides @bytes: a tenth of them and a MiB, at
 * most 64 MiB. */
static guint64
margin_for (guint64 bytes)
{
  return MIN (MAX_MARGIN, bytes / 10 + MIB);
}

/**
 * mm_free_space_check:
 * @path: the folder (or a file or folder yet to be made in it) to write to
 * @bytes: the bytes to be written
 * @reserved: bytes that other writes will take first (downloads already
 *   queued), 0 for none
 * @needed: (out) (optional): @bytes with the margin, for messages
 * @available: (out) (optional): the bytes free, %G_MAXUINT64 when unknown
 *
 * Sums saturate: a sum too large to count never fits.
 * MM_TEST_FREE_SPACE=<bytes> sets the free space (mm_system_get_free_space()).
 *
 * Returns: whether @bytes and their margin fit beside @reserved, or the
 *   free space cannot be known
 */
gboolean
mm_free_space_check (const char *path,
                     guint64     bytes,
                     guint64     reserved,
                     guint64    *needed,
                     guint64    *available)
{
  guint64 with_margin;
  guint64 free_bytes;

  g_return_val_if_fail (path != NULL, TRUE);

  if (!g_uint64_checked_add (&with_margin, bytes, margin_for (bytes)))
    with_margin = G_MAXUINT64;
  free_bytes = mm_system_get_free_space (path);

  if (needed != NULL)
    *needed = with_margin;
  if (available != NULL)
    *available = free_bytes;

  if (free_bytes == G_MAXUINT64)
    return TRUE;
  return free_bytes >= reserved && free_bytes - reserved >= with_margin;
}
