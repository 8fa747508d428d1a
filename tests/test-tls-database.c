/* test-tls-database.c: the shared system database answers as the system's
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmTlsDatabase only saves memory; it must never change what is trusted.
 * Each check asks the wrapper and the backend's own database the same
 * question and compares, and a real handshake with a self-signed server is
 * still refused.
 */
#define G_LOG_DOMAIN "test-tls-database"

#include "config.h"

#include "mm-tls-database.h"

#include <gio/gio.h>

/* The backend's own database, taken before the wrapper is installed. */
static GTlsDatabase *system_database;

static GTlsCertificate *
load_self_signed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "tls",
                                                 "self-signed.pem", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static GTlsDatabase *
default_database (void)
{
  return g_tls_backend_get_default_database (g_tls_backend_get_default ());
}

static void
test_installed (void)
{
  g_autoptr(GTlsDatabase) database = NULL;

  mm_tls_database_install ();
  mm_tls_database_install ();
  database = default_database ();
  g_assert_true (MM_IS_TLS_DATABASE (database));
}

static void
assert_same_verdict (GTlsCertificate    *certificate,
                     GSocketConnectable *identity)
{
  g_autoptr(GTlsDatabase) wrapper = default_database ();
  g_autoptr(GError) system_error = NULL;
  g_autoptr(GError) wrapper_error = NULL;
  GTlsCertificateFlags system_flags, wrapper_flags;

  system_flags = g_tls_database_verify_chain (system_database, certificate,
                                              G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                              identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                              NULL, &system_error);
  wrapper_flags = g_tls_database_verify_chain (wrapper, certificate,
                                               G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                               identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                               NULL, &wrapper_error);
  g_assert_no_error (system_error);
  g_assert_no_error (wrapper_error);
  g_assert_cmpuint (wrapper_flags, ==, system_flags);
}

/* A self-signed certificate: unknown to the system, and to the wrapper. */
static void
test_untrusted (void)
{
  g_autoptr(GTlsCertificate) certificate = load_self_signed ();
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(GTlsDatabase) wrapper = default_database ();
  GTlsCertificateFlags flags;

  g_assert_true (MM_IS_TLS_DATABASE (wrapper));
  assert_same_verdict (certificate, identity);
  flags = g_tls_database_verify_chain (wrapper, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                       NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_assert_true (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
}

/* The system's own roots: whatever the system says of each, so does the
 * wrapper; and the system trusts some of them. */
static void
test_system_roots (void)
{
  g_autoptr(GError) error = NULL;
  GList *roots = g_tls_certificate_list_new_from_file ("/etc/ssl/certs/ca-certificates.crt",
                                                       &error);
  guint trusted = 0;

  g_assert_no_error (error);
  g_assert_nonnull (roots);
  for (GList *l = roots; l != NULL; l = l->next)
    {
      GTlsCertificateFlags flags;

      assert_same_verdict (l->data, NULL);
      flags = g_tls_database_verify_chain (system_database, l->data,
                                           G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, NULL,
                                           NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
      if (flags == 0)
        trusted++;
    }
  g_assert_cmpuint (trusted, >, 0);
  g_list_free_full (roots, g_object_unref);
}

typedef struct {
  GTlsCertificate *certificate;
  GSocketListener *listener;
} Server;

static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;

  connection = g_socket_listener_accept (server->listener, NULL, NULL, NULL);
  if (connection == NULL)
    return NULL;
  tls = g_tls_server_connection_new (G_IO_STREAM (connection), server->certificate, NULL);
  if (tls != NULL)
    g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL);
  return NULL;
}

/* A real handshake through the default database: a server with a
 * self-signed certificate is refused. */
static void
test_handshake_refused (void)
{
  g_autoptr(GTlsCertificate) certificate = load_self_signed ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  Server server = { certificate, listener };
  GThread *thread;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("tls-server", server_thread, &server);

  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (bound), NULL, &error);
  g_assert_no_error (error);
  identity = g_network_address_new ("127.0.0.1", 443);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  g_assert_no_error (error);
  g_assert_true (MM_IS_TLS_DATABASE (g_tls_connection_get_database (G_TLS_CONNECTION (tls))));
  g_assert_false (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);

  g_io_stream_close (tls, NULL, NULL);
  g_thread_join (thread);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  system_database = default_database ();
  if (system_database == NULL)
    {
      g_printerr ("No TLS backend (glib-networking) to test against\n");
      return 1;
    }

  g_test_add_func ("/mm/tls-database/installed", test_installed);
  g_test_add_func ("/mm/tls-database/untrusted", test_untrusted);
  g_test_add_func ("/mm/tls-database/system-roots", test_system_roots);
  g_test_add_func ("/mm/tls-database/handshake-refused", test_handshake_refused);

  return g_test_run ();
}
