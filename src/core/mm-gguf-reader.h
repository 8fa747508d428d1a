/* mm-gguf-reader.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: the _async functions may be called from any thread with a
 * thread-default main context; they complete there.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "mm-gguf-info.h"

G_BEGIN_DECLS

#define MM_GGUF_ERROR (mm_gguf_error_quark ())

/**
 * MmGgufError:
 * @MM_GGUF_ERROR_NOT_GGUF: the data does not start with the GGUF magic
 * @MM_GGUF_ERROR_UNSUPPORTED_VERSION: GGUF version 1, an unknown version or a
 *   big-endian file
 * @MM_GGUF_ERROR_TRUNCATED: the data ends before the header does; for
 *   mm_gguf_reader_parse_bytes() this means “needs more bytes”
 * @MM_GGUF_ERROR_CORRUPT: the header contradicts itself or the format
 * @MM_GGUF_ERROR_TOO_LARGE: a count or length is beyond the reader's limits
 * @MM_GGUF_ERROR_IO: the file or the server could not be read
 *
 * Why a GGUF header could not be read. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED instead.
 */
typedef enum {
  MM_GGUF_ERROR_NOT_GGUF,
  MM_GGUF_ERROR_UNSUPPORTED_VERSION,
  MM_GGUF_ERROR_TRUNCATED,
  MM_GGUF_ERROR_CORRUPT,
  MM_GGUF_ERROR_TOO_LARGE,
  MM_GGUF_ERROR_IO,
} MmGgufError;

/* Limits on what a header may claim. */
#define MM_GGUF_MAX_STRING_LENGTH   (16 * 1024 * 1024)
#define MM_GGUF_MAX_ARRAY_LENGTH    (64 * 1024 * 1024)
#define MM_GGUF_MAX_KV_COUNT        1000000
#define MM_GGUF_MAX_TENSOR_COUNT    10000000
#define MM_GGUF_MAX_ARRAY_DEPTH     4
/* How much of a file is read at most to find the end of its header. */
#define MM_GGUF_MAX_HEADER_LOCAL    (256 * 1024 * 1024)
#define MM_GGUF_MAX_HEADER_REMOTE   (64 * 1024 * 1024)

/**
 * MmGgufProgressFunc:
 * @bytes_read: how much of the file's start has been read
 * @bytes_total: the most that will be read, when known: the file's size
 *   once a step reaches its end (a fraction is then @bytes_read /
 *   @bytes_total); 0 while the header may need another, larger step
 * @user_data: the data given with the function
 *
 * How far the read of a remote header is, reported on the caller's main
 * context as bytes arrive (at most ten times a second) and once more when
 * the header has been read.
 */
typedef void (*MmGgufProgressFunc) (guint64  bytes_read,
                                    guint64  bytes_total,
                                    gpointer user_data);

GQuark      mm_gguf_error_quark             (void);

MmGgufInfo *mm_gguf_reader_parse_bytes      (GBytes               *bytes,
                                             GError              **error);

void        mm_gguf_reader_read_file_async  (GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
MmGgufInfo *mm_gguf_reader_read_file_finish (GAsyncResult         *result,
                                             GError              **error);

void        mm_gguf_reader_read_url_async   (SoupSession          *session,
                                             const char           *url,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
MmGgufInfo *mm_gguf_reader_read_url_finish  (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
