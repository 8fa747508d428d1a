/* mm-hub-client-whoami.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Who am I?": asks the Hub which account the client's token belongs to,
 * which is how a person learns whether a token they pasted works. It is a
 * single request that a person is waiting for, so it is not retried; a
 * failure is reported at once with a sentence saying what to do.
 *
 * It lives beside mm-hub-client.c and uses only the client's public and
 * private API: the request carries the token only to the Hub's own origin,
 * over HTTPS or to a loopback host, like every other request.
 */
#define G_LOG_DOMAIN "mm-hub-client"

#include "config.h"

#include "mm-hub-client-whoami.h"

#include <glib/gi18n-lib.h>

#include "mm-hub-client-private.h"
#include "mm-hub-error.h"
#include "mm-json.h"

#define WHOAMI_TIMEOUT_S 20
#define MAX_WHOAMI_BYTES (256 * 1024)

typedef struct {
  SoupSession *session;  /* (owned) */
  SoupMessage *msg;      /* (owned) */
} Whoami;

static void
whoami_free (Whoami *whoami)
{
  g_clear_object (&whoami->msg);
  g_clear_object (&whoami->session);
  g_free (whoami);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Whoami, whoami_free)

static GError *
whoami_http_error (MmHubClient *self,
                   SoupMessage *msg,
                   GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  const char *request_id = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "X-Request-Id");

  /* Any 401 here is about the token: there is no repository involved. */
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return mm_hub_error_new (MM_HUB_ERROR_UNAUTHORIZED, 0, request_id,
                             _("The Hub refused the access token. Check that it is "
                               "correct and has not been revoked."));

  if (status == SOUP_STATUS_NOT_FOUND || SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autoptr(GUri) uri = g_uri_parse (mm_hub_client_get_endpoint (self),
                                         G_URI_FLAGS_ENCODED, NULL);

      return mm_hub_error_new (MM_HUB_ERROR_MALFORMED, 0, request_id,
                               _("The server at %s does not look like a Hugging Face Hub."),
                               uri ? g_uri_get_host (uri) : mm_hub_client_get_endpoint (self));
    }

  /* 403, 429, 5xx: the client's general mapping says it well. */
  return _mm_hub_client_error_for_file (self, msg, body, NULL, NULL);
}

static void
whoami_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmHubClient *self = g_task_get_source_object (task);
  Whoami *whoami = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *name = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, _mm_hub_client_transport_error (self, error));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (whoami->msg)))
    {
      g_task_return_error (task, whoami_http_error (self, whoami->msg, body));
      return;
    }

  if (g_bytes_get_size (body) <= MAX_WHOAMI_BYTES)
    root = mm_json_parse_bytes (body, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    name = mm_json_get_string (json_node_get_object (root), "name");
  if (name == NULL || *name == '\0')
    {
      g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED, "%s",
                               _("The Hub accepted the access token but did not say "
                                 "which account it belongs to."));
      return;
    }

  g_task_return_pointer (task, g_utf8_make_valid (name, -1), g_free);
}

/**
 * mm_hub_client_whoami_async:
 * @self: a client made with the token to check
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the Hub (`GET /api/whoami-v2`) which account the client's token
 * belongs to. To check a token that is not in use yet, make a temporary
 * client with mm_hub_client_new() for it.
 *
 * Errors are in %MM_HUB_ERROR: %MM_HUB_ERROR_UNAUTHORIZED when the client
 * has no token or the Hub refuses it, %MM_HUB_ERROR_OFFLINE when the Hub
 * cannot be reached, %G_IO_ERROR_CANCELLED on cancel. No message ever
 * contains the token.
 */
void
mm_hub_client_whoami_async (MmHubClient         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  Whoami *whoami;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_whoami_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!mm_hub_client_get_has_token (self))
    {
      g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED, "%s",
                               _("There is no access token to check."));
      return;
    }

  url = g_strconcat (mm_hub_client_get_endpoint (self), "/api/whoami-v2", NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      /* The client only keeps endpoints that parse; this is a bug if reached. */
      g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED, "%s",
                               _("The Hub address is not valid."));
      return;
    }

  whoami = g_new0 (Whoami, 1);
  whoami->session = _mm_hub_client_new_transfer_session (self, WHOAMI_TIMEOUT_S);
  whoami->msg = _mm_hub_client_new_message (self, "GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (whoami->msg),
                                "Accept", "application/json");
  g_task_set_task_data (task, whoami, (GDestroyNotify) whoami_free);

  soup_session_send_and_read_async (whoami->session, whoami->msg, G_PRIORITY_DEFAULT,
                                    cancellable, whoami_sent_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_whoami_finish:
 *
 * Returns: (transfer full): the account name (the Hub's "name"), or %NULL
 *   on error
 */
char *
mm_hub_client_whoami_finish (MmHubClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
