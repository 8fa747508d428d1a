/* mm-http-redirect.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* How many redirects one request may follow before it gives up. */
#define MM_HTTP_MAX_REDIRECTS 5

gboolean  mm_http_redirect_is_redirect (SoupMessage *msg);
GUri     *mm_http_redirect_next        (SoupMessage *msg,
                                        guint        followed);

G_END_DECLS
