/* mm-test-proxy.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "mm-test-proxy.h"
#include "mm-test-utils.h"

struct _MmTestProxy
{
  SoupServer *server;
  GSocketService *service;
  SoupSession *session;       /* to the origins, never through a proxy */
  GMutex mutex;
  GPtrArray *requests;        /* (element-type utf8) under mutex */
  char *url;
};

typedef struct {
  MmTestProxy *proxy;
  SoupServerMessage *msg;     /* (owned) */
  SoupMessage *forward;       /* (owned) */
} Forward;

static gboolean
is_hop_by_hop (const char *name)
{
  const char *hop[] = {
    "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
    "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    "Content-Length",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hop); i++)
    {
      if (g_ascii_strcasecmp (name, hop[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
copy_headers (SoupMessageHeaders *from,
              SoupMessageHeaders *to)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, from);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (!is_hop_by_hop (name))
        soup_message_headers_append (to, name, value);
    }
}

static void
forward_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  if (body == NULL)
    {
      soup_server_message_set_status (forward->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
    }
  else
    {
      soup_server_message_set_status (forward->msg, soup_message_get_status (forward->forward),
                                      soup_message_get_reason_phrase (forward->forward));
      copy_headers (soup_message_get_response_headers (forward->forward),
                    soup_server_message_get_response_headers (forward->msg));
      if (!g_str_equal (soup_server_message_get_method (forward->msg), "HEAD"))
        soup_message_body_append_bytes (soup_server_message_get_response_body (forward->msg),
                                        body);
    }

  soup_server_message_unpause (forward->msg);
  g_object_unref (forward->msg);
  g_object_unref (forward->forward);
  g_free (forward);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  MmTestProxy *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *text = g_uri_to_string (uri);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  Forward *forward;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->requests, g_strdup_printf ("%s %s", method, text));
  g_mutex_unlock (&self->mutex);

  forward = g_new0 (Forward, 1);
  forward->proxy = self;
  forward->msg = g_object_ref (msg);
  forward->forward = soup_message_new_from_uri (method, uri);
  soup_message_set_flags (forward->forward, SOUP_MESSAGE_NO_REDIRECT);
  copy_headers (soup_server_message_get_request_headers (msg),
                soup_message_get_request_headers (forward->forward));
  if (request_body != NULL && request_body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
      const char *type = soup_message_headers_get_content_type (
        soup_server_message_get_request_headers (msg), NULL);

      soup_message_set_request_body_from_bytes (forward->forward, type, bytes);
    }

  soup_server_message_pause (msg);
  soup_session_send_and_read_async (self->session, forward->forward, G_PRIORITY_DEFAULT, NULL,
                                    forward_done_cb, forward);
}

MmTestProxy *
mm_test_proxy_new (GError **error)
{
  MmTestProxy *self = g_new0 (MmTestProxy, 1);
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

  g_mutex_init (&self->mutex);
  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  self->service = mm_test_server_listen (self->server, "127.0.0.1", 0, &self->url, error);
  if (self->service == NULL)
    {
      mm_test_proxy_free (self);
      return NULL;
    }

  return self;
}

void
mm_test_proxy_free (MmTestProxy *self)
{
  if (self == NULL)
    return;

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  g_clear_object (&self->server);
  g_clear_object (&self->session);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->url, g_free);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

const char *
mm_test_proxy_get_url (MmTestProxy *self)
{
  return self->url;
}

char **
mm_test_proxy_dup_requests (MmTestProxy *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->requests, i));
  g_mutex_unlock (&self->mutex);
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}
