/* mm-hub-error.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MM_HUB_ERROR is an extended error domain (GLib 2.68): besides code and
 * message, an error carries the Retry-After delay of a 429 answer and the
 * Hub's request id, so a caller can schedule a retry or quote the id in a
 * bug report without parsing the message.
 */
#define G_LOG_DOMAIN "mm-hub-error"

#include "config.h"

#include "mm-hub-error-private.h"

typedef struct {
  guint retry_after;
  char *request_id;
} MmHubErrorPrivate;

static void
mm_hub_error_private_init (MmHubErrorPrivate *priv)
{
  priv->retry_after = 0;
  priv->request_id = NULL;
}

static void
mm_hub_error_private_copy (const MmHubErrorPrivate *src,
                           MmHubErrorPrivate       *dest)
{
  dest->retry_after = src->retry_after;
  dest->request_id = g_strdup (src->request_id);
}

static void
mm_hub_error_private_clear (MmHubErrorPrivate *priv)
{
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (MmHubError, mm_hub_error)

/**
 * mm_hub_error_new:
 * @code: the error code
 * @retry_after: seconds to wait before trying again, 0 when unknown
 * @request_id: (nullable): the Hub's request id
 * @format: printf-style message, already translated
 *
 * Returns: (transfer full): a new #GError in %MM_HUB_ERROR
 */
GError *
mm_hub_error_new (MmHubError  code,
                  guint       retry_after,
                  const char *request_id,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  GError *error;
  MmHubErrorPrivate *priv;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (MM_HUB_ERROR, code, message);
  priv = mm_hub_error_get_private (error);
  priv->retry_after = retry_after;
  priv->request_id = g_strdup (request_id);

  return error;
}

/**
 * mm_hub_error_get_retry_after:
 * @error: a #GError
 *
 * Returns: the seconds the Hub asked to wait, or 0 when it did not say
 *   or @error is not in %MM_HUB_ERROR
 */
guint
mm_hub_error_get_retry_after (const GError *error)
{
  MmHubErrorPrivate *priv;

  if (error == NULL || error->domain != MM_HUB_ERROR)
    return 0;

  priv = mm_hub_error_get_private (error);
  return priv ? priv->retry_after : 0;
}

/**
 * _mm_hub_error_get_request_id:
 * @error: a #GError
 *
 * Returns: (nullable): the Hub's request id, for error reports
 */
const char *
_mm_hub_error_get_request_id (const GError *error)
{
  MmHubErrorPrivate *priv;

  if (error == NULL || error->domain != MM_HUB_ERROR)
    return NULL;

  priv = mm_hub_error_get_private (error);
  return priv ? priv->request_id : NULL;
}

/**
 * _mm_hub_error_is_transient:
 * @error: (nullable): a #GError
 *
 * Returns: whether trying again later may succeed
 */
gboolean
_mm_hub_error_is_transient (const GError *error)
{
  return g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED) ||
         g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER) ||
         g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE);
}
