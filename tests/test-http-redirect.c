/* test-http-redirect.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Redirects followed by hand: what counts as one, relative and absolute
 * Locations (escapes kept), addresses that are refused, and the limit.
 * A local SoupServer answers with the status and Location each case asks
 * for (?status=…&location=…), closing each connection after its answer.
 */
#include "config.h"

#include <libsoup/soup.h>

#include "mm-http-redirect.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 10000

static SoupServer *server;
static GUri *base;

static void
handler_cb (SoupServer        *srv,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *status = query != NULL ? g_hash_table_lookup (query, "status") : NULL;
  const char *location = query != NULL ? g_hash_table_lookup (query, "location") : NULL;

  /* Each answer ends its connection: none is left open when the test ends. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  if (location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  location);
  soup_server_message_set_status (msg, status != NULL ? (guint) atoi (status) : 200, NULL);
}

/* Sends GET @path?status=@status&location=@location without following. */
static SoupMessage *
answer (const char *path,
        guint       status,
        const char *location)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *query = NULL;
  g_autofree char *escaped = NULL;
  SoupMessage *msg;

  escaped = location != NULL ? g_uri_escape_string (location, NULL, FALSE) : NULL;
  query = location != NULL ? g_strdup_printf ("status=%u&location=%s", status, escaped)
                           : g_strdup_printf ("status=%u", status);
  uri = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, g_uri_get_host (base),
                     g_uri_get_port (base), path, query, NULL);
  msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, status);

  /* Let the server see the connection close before the next request. */
  soup_session_abort (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return msg;
}

static char *
next_of (const char *path,
         guint       status,
         const char *location,
         guint       followed)
{
  g_autoptr(SoupMessage) msg = answer (path, status, location);
  g_autoptr(GUri) next = mm_http_redirect_next (msg, followed);

  return next != NULL ? g_uri_to_string (next) : NULL;
}

static char *
on_server (const char *path_and_query)
{
  return g_strdup_printf ("http://%s:%d%s", g_uri_get_host (base), g_uri_get_port (base),
                          path_and_query);
}

static void
test_is_redirect (void)
{
  const struct { guint status; gboolean redirect; } cases[] = {
    { 200, FALSE }, { 206, FALSE }, { 301, TRUE }, { 302, TRUE }, { 303, TRUE },
    { 304, FALSE }, { 307, TRUE }, { 308, TRUE }, { 404, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) msg = answer ("/x", cases[i].status, "/y");

      g_test_message ("status %u", cases[i].status);
      g_assert_cmpint (mm_http_redirect_is_redirect (msg), ==, cases[i].redirect);
    }
}

static void
test_locations (void)
{
  g_autofree char *next = NULL;
  g_autofree char *expected = NULL;

  /* Relative, as the Hub answers: against the request's address, escapes
   * left as they came. */
  next = next_of ("/org/model/resolve/main/a.gguf", 302,
                  "/api/resolve-cache/models/org/model/abc/sub%2Fa.gguf?x=1", 0);
  expected = on_server ("/api/resolve-cache/models/org/model/abc/sub%2Fa.gguf?x=1");
  g_assert_cmpstr (next, ==, expected);
  g_clear_pointer (&next, g_free);
  g_clear_pointer (&expected, g_free);

  next = next_of ("/org/model/resolve/main/a.gguf", 307, "b.gguf", 0);
  expected = on_server ("/org/model/resolve/main/b.gguf");
  g_assert_cmpstr (next, ==, expected);
  g_clear_pointer (&next, g_free);

  /* Absolute, to the CDN. */
  next = next_of ("/x", 302, "https://cdn-lfs.example.org/repos/ab/cd?sig=a%2Bb", 0);
  g_assert_cmpstr (next, ==, "https://cdn-lfs.example.org/repos/ab/cd?sig=a%2Bb");
  g_clear_pointer (&next, g_free);
  next = next_of ("/x", 301, "HTTP://cdn.example.org/f", 0);
  g_assert_nonnull (next);
  g_clear_pointer (&next, g_free);
}

static void
test_refused (void)
{
  const char *bad[] = { "ftp://example.org/a.gguf", "file:///etc/passwd", "data:,hello",
                        "http://[::1", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *next = next_of ("/x", 302, bad[i], 0);

      g_test_message ("Location: %s", bad[i]);
      g_assert_null (next);
    }

  /* No Location at all. */
  {
    g_autofree char *next = next_of ("/x", 302, NULL, 0);

    g_assert_null (next);
  }
}

static void
test_limit (void)
{
  g_autofree char *last = next_of ("/x", 302, "/y", MM_HTTP_MAX_REDIRECTS - 1);
  g_autofree char *over = next_of ("/x", 302, "/y", MM_HTTP_MAX_REDIRECTS);

  g_assert_cmpint (MM_HTTP_MAX_REDIRECTS, ==, 5);
  g_assert_nonnull (last);
  g_assert_null (over);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSocketService *service;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);
  service = mm_test_server_listen (server, "127.0.0.1", 0, &url, &error);
  g_assert_no_error (error);
  base = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);

  g_test_add_func ("/mm/http-redirect/is-redirect", test_is_redirect);
  g_test_add_func ("/mm/http-redirect/locations", test_locations);
  g_test_add_func ("/mm/http-redirect/refused", test_refused);
  g_test_add_func ("/mm/http-redirect/limit", test_limit);

  ret = g_test_run ();

  g_uri_unref (base);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
  soup_server_disconnect (server);
  g_assert_finalize_object (server);
  return ret;
}
