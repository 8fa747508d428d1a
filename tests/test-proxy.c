/* test-proxy.c: Hub and CDN requests go through the proxy the system names
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small forward proxy on loopback (mm-test-proxy.c) records what passes
 * through it. The app's client is pointed at it with a
 * GSimpleProxyResolver, as the desktop's proxy settings would through the
 * default resolver; the CLI with `http_proxy` in its environment, which
 * GLib's default resolver (libproxy) reads. Both must send the Hub's API
 * requests and the CDN's file transfer through it, and the file must
 * arrive whole. Without a proxy nothing goes through it.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mm-core.h"
#include "mm-hub-client-private.h"
#include "mm-mock-hub.h"
#include "mm-test-proxy.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 30000
#define PICO "tiny-org/Pico-GGUF"
#define Q4_FILE "Pico-Q4_K_M.gguf"

/* XDG_DATA_DIRS before the test isolated it: a person's shell has it. */
static char *system_data_dirs;

typedef struct {
  MmMockHub *hub;
  MmTestProxy *proxy;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  f->proxy = mm_test_proxy_new (&error);
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("mm-proxy-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_clear_pointer (&f->proxy, mm_test_proxy_free);
  mm_mock_hub_stop (f->hub);
  g_assert_finalize_object (f->hub);
  g_free (f->dir);
}

/* Whether the proxy forwarded a GET whose URI starts with @prefix. */
static gboolean
proxied (Fixture    *f,
         const char *prefix)
{
  g_auto(GStrv) requests = mm_test_proxy_dup_requests (f->proxy);
  g_autofree char *want = g_strdup_printf ("GET %s", prefix);

  for (guint i = 0; requests[i] != NULL; i++)
    {
      if (g_str_has_prefix (requests[i], want))
        return TRUE;
    }
  return FALSE;
}

static void
assert_q4_complete (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "tiny-org", "Pico-GGUF", Q4_FILE, NULL);

  mm_test_assert_file_is (f->hub, PICO, Q4_FILE, path);
}

static gboolean
download_finished (gpointer data)
{
  return mm_download_is_finished (data);
}

/* Model info and a file through the client, with or without a proxy. */
static void
fetch_through (Fixture     *f,
               MmHubClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = mm_test_fetch_model (client, PICO);
  g_autoptr(MmDownload) download = NULL;
  MmRepoFile *file = NULL;

  for (guint i = 0; i < mm_model_get_files (model)->len; i++)
    {
      MmRepoFile *candidate = g_ptr_array_index (mm_model_get_files (model), i);

      if (g_str_equal (mm_repo_file_get_path (candidate), Q4_FILE))
        file = candidate;
    }
  g_assert_nonnull (file);

  download = mm_download_new (client, PICO, mm_model_get_sha (model), file, f->dir, &error);
  g_assert_no_error (error);
  mm_download_start (download);
  mm_test_wait_until (download_finished, download, TIMEOUT_MS);
  g_assert_no_error (mm_download_get_error (download));
  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_COMPLETED);
}

static void
test_client_resolver (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (f->hub), NULL);
  g_autoptr(GProxyResolver) resolver = NULL;
  g_auto(GStrv) before = NULL;
  g_autofree char *path = g_build_filename (f->dir, "tiny-org", "Pico-GGUF", Q4_FILE, NULL);

  /* No proxy: nothing goes through it. */
  fetch_through (f, client);
  before = mm_test_proxy_dup_requests (f->proxy);
  g_assert_cmpuint (g_strv_length (before), ==, 0);
  g_assert_cmpint (g_remove (path), ==, 0);

  /* The desktop names a proxy: the Hub and the CDN both go through it. */
  resolver = g_simple_proxy_resolver_new (mm_test_proxy_get_url (f->proxy), NULL);
  _mm_hub_client_set_proxy_resolver (client, resolver);
  mm_mock_hub_reset_counters (f->hub);
  fetch_through (f, client);

  g_assert_true (proxied (f, mm_mock_hub_get_url (f->hub)));
  g_assert_true (proxied (f, mm_mock_hub_get_cdn_url (f->hub)));
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), >, 0);
  assert_q4_complete (f);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_cli_environment (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_assert_nonnull (g_getenv ("MM_CLI"));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HF_ENDPOINT", mm_mock_hub_get_url (f->hub), TRUE);
  g_subprocess_launcher_setenv (launcher, "http_proxy", mm_test_proxy_get_url (f->proxy), TRUE);
  g_subprocess_launcher_setenv (launcher, "https_proxy", mm_test_proxy_get_url (f->proxy), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "no_proxy");
  /* What a person's shell has: GLib picks its default resolver. */
  g_subprocess_launcher_unsetenv (launcher, "GIO_USE_PROXY_RESOLVER");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "HF_TOKEN");
  g_subprocess_launcher_setenv (launcher, "MM_TOKEN_STORE", "memory", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MM_CLI"), "download",
                                         PICO, "Q4_K_M", "--dir", f->dir, NULL);
  g_assert_no_error (error);

  /* The proxy answers from this process's main context. */
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  mm_test_wait_until (mm_test_flag_is_set, &done, TIMEOUT_MS);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_assert_true (proxied (f, mm_mock_hub_get_url (f->hub)));
  g_assert_true (proxied (f, mm_mock_hub_get_cdn_url (f->hub)));
  assert_q4_complete (f);
}

int
main (int   argc,
      char *argv[])
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");

  system_data_dirs = g_strdup (data_dirs ? data_dirs : "/usr/local/share:/usr/share");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/mm/proxy/client-resolver", Fixture, NULL, fixture_set_up,
              test_client_resolver, fixture_tear_down);
  g_test_add ("/mm/proxy/cli-environment", Fixture, NULL, fixture_set_up,
              test_cli_environment, fixture_tear_down);

  return g_test_run ();
}
