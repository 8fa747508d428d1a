/* mm-http-redirect.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Redirects followed by hand. The Hub client, the remote GGUF reader and
 * the download engine send their requests with SOUP_MESSAGE_NO_REDIRECT
 * (libsoup would carry the Authorization header along, and each needs to
 * see the hop: the token goes only to the Hub, the engine reads the
 * Hub's headers before the CDN's), and ask here where to go next.
 */
#define G_LOG_DOMAIN "mm-http-redirect"

#include "config.h"

#include "mm-http-redirect.h"

/**
 * mm_http_redirect_is_redirect:
 * @msg: a message with its answer
 *
 * Returns: whether the answer sends the client elsewhere (a 3xx status
 *   other than 304 Not Modified)
 */
gboolean
mm_http_redirect_is_redirect (SoupMessage *msg)
{
  guint status;

  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  status = soup_message_get_status (msg);
  return SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED;
}

/**
 * mm_http_redirect_next:
 * @msg: a message whose answer is a redirect
 * @followed: how many redirects this request followed already
 *
 * Where @msg's answer sends the request: its Location, which may be
 * relative (the Hub's are), resolved against @msg's address.
 *
 * Returns: (transfer full) (nullable): the next address, or %NULL when
 *   there is no Location, it is not an http or https address, or
 *   @followed reached %MM_HTTP_MAX_REDIRECTS
 */
GUri *
mm_http_redirect_next (SoupMessage *msg,
                       guint        followed)
{
  const char *location;
  const char *scheme;
  g_autoptr(GUri) next = NULL;

  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), NULL);

  if (followed >= MM_HTTP_MAX_REDIRECTS)
    return NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location == NULL || *location == '\0')
    return NULL;

  next = g_uri_parse_relative (soup_message_get_uri (msg), location, G_URI_FLAGS_ENCODED, NULL);
  if (next == NULL)
    return NULL;

  scheme = g_uri_get_scheme (next);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return NULL;

  return g_steal_pointer (&next);
}
