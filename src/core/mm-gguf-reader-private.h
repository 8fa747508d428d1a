/* mm-gguf-reader-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For other core objects (the Hub client), not for the app.
 */
#pragma once

#include "mm-gguf-reader.h"

G_BEGIN_DECLS

/**
 * MmGgufRemoteFuncs:
 * @new_message: makes the request for @uri (the reader adds Range and
 *   Accept-Encoding). A message with %SOUP_MESSAGE_NO_REDIRECT has its
 *   redirects followed by the reader, each hop through @new_message again,
 *   so the owner decides per host which headers it carries.
 * @status_error: (nullable): the error for an answer that is neither a
 *   success, a redirect nor 416; the default is %MM_GGUF_ERROR_IO
 * @transport_error: (nullable): the error for a request or a body that
 *   failed on the way (never called for cancellation); the default is
 *   %MM_GGUF_ERROR_IO
 *
 * How a remote read makes its requests and names its failures.
 */
typedef struct {
  SoupMessage *(*new_message)     (GUri         *uri,
                                   gpointer      user_data);
  GError      *(*status_error)    (SoupMessage  *message,
                                   gpointer      user_data);
  GError      *(*transport_error) (const GError *error,
                                   gpointer      user_data);
} MmGgufRemoteFuncs;

void _mm_gguf_reader_read_remote_async (SoupSession             *session,
                                        const char              *url,
                                        const char              *display_name,
                                        const MmGgufRemoteFuncs *funcs,
                                        gpointer                 funcs_data,
                                        GDestroyNotify           funcs_data_free,
                                        MmGgufProgressFunc       progress,
                                        gpointer                 progress_data,
                                        GDestroyNotify           progress_data_free,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data);

/* Finish with mm_gguf_reader_read_url_finish(). */

G_END_DECLS
