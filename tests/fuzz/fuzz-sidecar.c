/* fuzz-sidecar.c: libFuzzer target for the download sidecar
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses each input as a resumed download parses `<file>.part.json`
 * (mm_download_sidecar_parse()), for partial files of several sizes. The
 * bytes it vouches for can never be more than the partial file holds.
 */
#include "config.h"

#include <stdint.h>

#include "mm-download-private.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint64 partial_sizes[] = { 0, 1, 4096, G_GUINT64_CONSTANT (1) << 40, G_MAXUINT64 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);

  for (guint i = 0; i < G_N_ELEMENTS (partial_sizes); i++)
    {
      guint64 trusted = 0;

      if (mm_download_sidecar_parse (bytes, partial_sizes[i], &trusted) &&
          trusted > partial_sizes[i])
        g_error ("A sidecar vouches for %" G_GUINT64_FORMAT " bytes of a %" G_GUINT64_FORMAT
                 "-byte partial file", trusted, partial_sizes[i]);
    }
  return 0;
}
