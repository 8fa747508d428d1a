/* mm-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
mm_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

void
mm_test_wait_for_result (GAsyncResult **result,
                         guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %u ms waiting for an async result", timeout_ms);

  g_source_remove (id);
}

void
mm_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %u ms waiting for a condition", timeout_ms);

  g_source_remove (id);
}

GBytes *
mm_test_load_fixture (const char *name)
{
  const char *dir = g_getenv ("MM_FIXTURES_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("fixture %s: %s", path, error->message);

  return g_bytes_new_take (contents, len);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  SoupServer *server = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL)
    return TRUE;

  g_object_set_data_full (G_OBJECT (remote), "mm-socket",
                          g_object_ref (g_socket_connection_get_socket (connection)),
                          g_object_unref);
  if (!soup_server_accept_iostream (server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Cannot accept a connection: %s", error->message);

  return TRUE;
}

/* libsoup keeps a connection open after a response only while the server
 * has a listener of its own: request_finished() in soup-server.c (3.2, and
 * still upstream) asks for "keepalive && priv->listeners", so without one
 * every connection that soup_server_accept_iostream() took is closed after
 * its first response, and clients that pool connections (Node's fetch, a
 * segmented download) meet closed sockets. So the server gets a listener
 * that nobody is told about: a socket on @inet at a port of the kernel's
 * choosing, closed with the server by soup_server_disconnect(). Nothing
 * connects to it (if something did, libsoup would serve it, and leak its
 * GSocket as 3.2 does). */
static gboolean
add_idle_listener (SoupServer    *server,
                   GInetAddress  *inet,
                   GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 0);

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL ||
      !g_socket_bind (socket, address, FALSE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;

  return soup_server_listen_socket (server, socket, 0, error);
}

GSocketService *
mm_test_server_listen (SoupServer  *server,
                       const char  *address,
                       guint16      port,
                       char       **url,
                       GError     **error)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) requested = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (inet != NULL, NULL);

  requested = g_inet_socket_address_new (inet, port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), requested,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return NULL;

  if (!add_idle_listener (server, inet, error))
    return NULL;

  g_signal_connect_object (service, "incoming", G_CALLBACK (incoming_cb), server, 0);
  g_socket_service_start (service);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    *url = g_strdup_printf ("http://[%s]:%u", address, port);
  else
    *url = g_strdup_printf ("http://%s:%u", address, port);

  return g_steal_pointer (&service);
}

void
mm_test_run_clear (MmTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

guint64
mm_test_partial_bytes (const char *partial_path)
{
  g_autofree char *sidecar_path = g_strconcat (partial_path, ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonArray *ranges;
  GStatBuf st;
  guint64 total = 0;

  if (g_stat (partial_path, &st) != 0)
    return 0;
  if (!json_parser_load_from_file (parser, sidecar_path, NULL))
    return 0;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "ranges"))
    return (guint64) st.st_size;

  ranges = json_object_get_array_member (object, "ranges");
  for (guint i = 0; i < json_array_get_length (ranges); i++)
    {
      JsonArray *pair = json_array_get_array_element (ranges, i);

      total += (guint64) (json_array_get_int_element (pair, 1) -
                          json_array_get_int_element (pair, 0));
    }

  return total;
}

gboolean
mm_test_flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
mm_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_flag_cb, &done);
  mm_test_wait_until (mm_test_flag_is_set, &done, ms + 60000);
}

MmModel *
mm_test_fetch_model (MmHubClient *client,
                     const char  *repo_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MmModel *model;

  mm_hub_client_model_info_async (client, repo_id, NULL, NULL, mm_test_store_result_cb,
                                  &result);
  mm_test_wait_for_result (&result, 30000);
  model = mm_hub_client_model_info_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);

  return model;
}

void
mm_test_assert_file_is (MmMockHub  *hub,
                        const char *repo_id,
                        const char *file,
                        const char *path)
{
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 0;
  gsize len = 0;

  g_assert_true (mm_mock_hub_lookup_file (hub, repo_id, file, &size, &expected));
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, size);
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (actual, ==, expected);
}

void
mm_test_wait_until_sole_owner (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (object)->ref_count) != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

gboolean
mm_test_pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
mm_test_wait_finalized (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  while (weak != NULL)
    {
      if (g_get_monotonic_time () >= deadline)
        g_error ("timed out after 30 s waiting for a %s to be finalized",
                 G_OBJECT_TYPE_NAME (weak));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (weak != NULL)
        g_usleep (1000);
    }
}

void
mm_test_run_in_subprocess (void               (*run) (void),
                           guint                timeout_s,
                           GTestSubprocessFlags flags)
{
  if (g_test_subprocess ())
    {
      run ();
      return;
    }

  g_test_trap_subprocess (NULL, timeout_s * G_USEC_PER_SEC, flags);
  g_test_trap_assert_passed ();
}

GSubprocessLauncher *
mm_test_cli_launcher_new (const char *endpoint)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "HF_ENDPOINT", endpoint, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "HF_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "HUGGING_FACE_HUB_TOKEN");
  /* The command line looks in the keyring first: keep the desktop's out. */
  g_subprocess_launcher_setenv (launcher, "MM_TOKEN_STORE", "memory", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MM_TEST_WRITE_FAIL_AFTER");
  g_subprocess_launcher_unsetenv (launcher, "MM_TEST_FREE_SPACE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  return launcher;
}

GSubprocess *
mm_test_cli_spawn_valist (GSubprocessLauncher *launcher,
                          va_list              args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *arg;

  g_assert_nonnull (g_getenv ("MM_CLI"));
  g_ptr_array_add (argv, (char *) g_getenv ("MM_CLI"));
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

void
mm_test_run_finish (GSubprocess *process,
                    MmTestRun   *run)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (process))
    run->status = g_subprocess_get_exit_status (process);
  else
    run->status = -g_subprocess_get_term_sig (process);
}
