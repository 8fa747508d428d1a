/* test-download-cli.c: `model-manager-cli download` against the mock Hub
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI runs as a real process ($MM_CLI), so these tests also cover what
 * only a process can show: a kill in the middle leaves a partial file that
 * the next run resumes, and Ctrl+C keeps it.
 */
#define G_LOG_DOMAIN "test-download-cli"

#include "config.h"

#include "mm-core.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define PICO       "tiny-org/Pico-GGUF"
#define Q8         "Pico-Q8_0.gguf"
#define KIB        1024
#define TIMEOUT_MS 30000

typedef struct {
  MmMockHub  *hub;
  char       *dir;
  const char *free_space;  /* (nullable) MM_TEST_FREE_SPACE for the CLI */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  f->dir = g_build_filename (g_get_user_cache_dir (), "Models", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  mm_mock_hub_stop (f->hub);
  g_assert_finalize_object (f->hub);
  g_free (f->dir);
}

/* Starts the CLI with the mock as its Hub; the arguments end with NULL. */
static GSubprocess *
spawn_cli (Fixture *f,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = mm_test_cli_launcher_new (mm_mock_hub_get_url (f->hub));
  GSubprocess *process;
  va_list ap;

  if (f->free_space != NULL)
    g_subprocess_launcher_setenv (launcher, "MM_TEST_FREE_SPACE", f->free_space, TRUE);
  va_start (ap, f);
  process = mm_test_cli_spawn_valist (launcher, ap);
  va_end (ap);
  return process;
}

static void
assert_file_is (Fixture    *f,
                const char *filename,
                const char *path)
{
  g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, PICO, path, 0, G_MAXSIZE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *listed = NULL;
  gsize len = 0;

  g_file_get_contents (filename, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, path, NULL, &listed));
  g_assert_cmpstr (sha256, ==, listed);
}

static char *
destination (Fixture    *f,
             const char *path)
{
  return g_build_filename (f->dir, "tiny-org", "Pico-GGUF", path, NULL);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* A one-line error for a person, and nothing on stdout. */
static void
assert_one_line_error (const MmTestRun *run)
{
  g_assert_true (g_str_has_prefix (run->err, "model-manager-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_cmpstr (run->out, ==, "");
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = destination (f, "Pico-Q4_K_M.gguf");
  g_autofree char *sha256 = NULL;
  JsonObject *item;

  process = spawn_cli (f, "download", PICO, "Q4_K_M", "--dir", f->dir, "--json", NULL);
  mm_test_run_finish (process, &run);
  if (run.status != 0)
    g_error ("exit %d: %s", run.status, run.err);

  assert_file_is (f, expected, "Pico-Q4_K_M.gguf");
  root = parse (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  item = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "path"), ==, "Pico-Q4_K_M.gguf");
  g_assert_cmpstr (json_object_get_string_member (item, "destination"), ==, expected);
  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, "Pico-Q4_K_M.gguf", NULL, &sha256));
  g_assert_cmpstr (json_object_get_string_member (item, "sha256"), ==, sha256);
  g_assert_true (json_object_get_boolean_member (item, "verified"));
  /* No partial or sidecar left behind. */
  {
    g_autofree char *partial = g_strconcat (expected, ".part", NULL);
    g_autofree char *sidecar = g_strconcat (expected, ".part.json", NULL);

    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  }
}

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  const char *parts[] = { "Pico-Q2_K-00001-of-00002.gguf", "Pico-Q2_K-00002-of-00002.gguf" };
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonNode) root = NULL;

  process = spawn_cli (f, "download", PICO, "Q2_K", "--dir", f->dir, "--json", NULL);
  mm_test_run_finish (process, &run);
  if (run.status != 0)
    g_error ("exit %d: %s", run.status, run.err);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *path = destination (f, parts[i]);

      assert_file_is (f, path, parts[i]);
    }
  root = parse (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  /* Only that choice: Q4_K_M and Q8_0 were not fetched. */
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/xet-bridge-us/"), ==, 2);
}

static void
test_unknown_quant (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(GSubprocess) process = NULL;

  process = spawn_cli (f, "download", PICO, "Q7_X", "--dir", f->dir, NULL);
  mm_test_run_finish (process, &run);

  g_assert_cmpint (run.status, ==, 1);
  assert_one_line_error (&run);
  g_assert_nonnull (strstr (run.err, "Q7_X"));
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/xet-bridge-us/"), ==, 0);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  const char *path;
  guint64     size;
} SizeWait;

static gboolean
partial_reached (gpointer data)
{
  SizeWait *wait = data;

  return mm_test_partial_bytes (wait->path) > wait->size;
}

/* Waits (polling) until the partial @path keeps more than @size bytes. */
static void
wait_partial (const char *path,
              guint64     size)
{
  SizeWait wait = { path, size };
  guint id = g_timeout_add (20, wake_cb, NULL);

  mm_test_wait_until (partial_reached, &wait, TIMEOUT_MS);
  g_source_remove (id);
}

/* Stopped from outside in the middle (SIGKILL: no chance to clean up), a
 * rerun resumes from the partial file. */
static void
test_killed_and_resumed (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *final = destination (f, Q8);
  g_autofree char *partial = g_strconcat (final, ".part", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_auto(MmTestRun) killed = { 0 };
  g_auto(MmTestRun) rerun = { 0 };
  g_auto(GStrv) ranges = NULL;
  guint64 kept;
  gint64 resumed_at = -1;

  mm_mock_hub_set_cdn_rate (f->hub, 200 * KIB);
  first = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  wait_partial (partial, 100 * KIB);
  g_subprocess_force_exit (first);
  mm_test_run_finish (first, &killed);
  g_assert_cmpint (killed.status, ==, -SIGKILL);

  kept = mm_test_partial_bytes (partial);
  g_assert_cmpuint (kept, >, 100 * KIB);
  g_assert_cmpuint (kept, <, 600 * KIB);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  second = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  mm_test_run_finish (second, &rerun);
  if (rerun.status != 0)
    g_error ("rerun: exit %d: %s", rerun.status, rerun.err);

  assert_file_is (f, final, Q8);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  /* It asked for the rest, from where the partial ended. */
  ranges = mm_mock_hub_get_cdn_ranges (f->hub);
  g_assert_cmpuint (g_strv_length (ranges), ==, 1);
  g_assert_true (g_str_has_prefix (ranges[0], "bytes="));
  resumed_at = g_ascii_strtoll (ranges[0] + strlen ("bytes="), NULL, 10);
  g_test_message ("killed with %" G_GUINT64_FORMAT " bytes; resumed at %" G_GINT64_FORMAT,
                  kept, resumed_at);
  g_assert_cmpint (resumed_at, >=, (gint64) kept);
  g_assert_cmpint (resumed_at, <, 600 * KIB);
}

/* Killed with eight connections in flight: the rerun asks only for the
 * ranges the sidecar does not record, and the file is whole. */
static void
test_killed_segmented (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *final = destination (f, Q8);
  g_autofree char *partial = g_strconcat (final, ".part", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_auto(MmTestRun) killed = { 0 };
  g_auto(MmTestRun) rerun = { 0 };
  guint64 kept, sent;

  g_setenv ("MM_TEST_MIN_SEGMENT", "65536", TRUE);
  mm_mock_hub_set_cdn_rate (f->hub, 40 * KIB);
  first = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, "--connections", "8", NULL);
  wait_partial (partial, 150 * KIB);
  g_assert_cmpuint (mm_mock_hub_get_cdn_peak_connections (f->hub), >=, 6);
  g_subprocess_force_exit (first);
  mm_test_run_finish (first, &killed);
  g_assert_cmpint (killed.status, ==, -SIGKILL);

  kept = mm_test_partial_bytes (partial);
  g_assert_cmpuint (kept, >, 150 * KIB);
  g_assert_cmpuint (kept, <, 600 * KIB);

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  second = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, "--connections", "8", NULL);
  mm_test_run_finish (second, &rerun);
  g_unsetenv ("MM_TEST_MIN_SEGMENT");
  if (rerun.status != 0)
    g_error ("rerun: exit %d: %s", rerun.status, rerun.err);
  assert_file_is (f, final, Q8);

  /* What was recorded came not again; only the gaps did (and what a
   * connection had in flight when another took the tail of its range). */
  sent = mm_mock_hub_get_cdn_bytes_sent (f->hub);
  g_test_message ("killed with %" G_GUINT64_FORMAT " bytes recorded; rerun fetched %"
                  G_GUINT64_FORMAT, kept, sent);
  g_assert_cmpuint (sent, >=, 600 * KIB - kept);
  g_assert_cmpuint (sent, <, 600 * KIB - kept + 8 * 64 * KIB);
}

/* Two processes on one file: the second says another download is writing
 * it and touches nothing; with --wait it waits, then finds the file done. */
static void
test_one_writer (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *final = destination (f, Q8);
  g_autofree char *partial = g_strconcat (final, ".part", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) third = NULL;
  g_auto(MmTestRun) first_run = { 0 };
  g_auto(MmTestRun) second_run = { 0 };
  g_auto(MmTestRun) third_run = { 0 };
  guint requests;

  /* Slow enough (six seconds) that the first is still writing when the
   * third starts, even on a loaded machine under the sanitizers. */
  mm_mock_hub_set_cdn_rate (f->hub, 100 * KIB);
  first = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  wait_partial (partial, 50 * KIB);

  second = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  mm_test_run_finish (second, &second_run);
  g_assert_cmpint (second_run.status, ==, 1);
  g_assert_nonnull (strstr (second_run.err, "Another download is writing"));

  third = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, "--wait", NULL);
  mm_test_run_finish (first, &first_run);
  g_assert_cmpint (first_run.status, ==, 0);
  requests = mm_mock_hub_get_request_count (f->hub, "/xet-bridge-us/");
  mm_test_run_finish (third, &third_run);
  if (third_run.status != 0)
    g_error ("--wait: exit %d: %s", third_run.status, third_run.err);
  g_assert_nonnull (strstr (third_run.err, "waiting"));
  /* It found the file complete: no byte more from the CDN. */
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/xet-bridge-us/"), ==, requests);
  assert_file_is (f, final, Q8);
}

/* Ctrl+C keeps the partial and exits non-zero; a rerun finishes. */
static void
test_interrupted (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *final = destination (f, Q8);
  g_autofree char *partial = g_strconcat (final, ".part", NULL);
  g_autofree char *sidecar = g_strconcat (final, ".part.json", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_auto(MmTestRun) interrupted = { 0 };
  g_auto(MmTestRun) rerun = { 0 };
  guint64 kept;

  mm_mock_hub_set_cdn_rate (f->hub, 200 * KIB);
  first = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  wait_partial (partial, 50 * KIB);
  g_subprocess_send_signal (first, SIGINT);
  mm_test_run_finish (first, &interrupted);

  g_test_message ("exit %d: %s", interrupted.status, interrupted.err);
  /* It exited by itself (not killed by the signal), with an error status. */
  g_assert_cmpint (interrupted.status, >, 0);
  g_assert_nonnull (strstr (interrupted.err, "model-manager-cli: "));
  kept = mm_test_partial_bytes (partial);
  g_assert_cmpuint (kept, >, 50 * KIB);
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  second = spawn_cli (f, "download", PICO, Q8, "--dir", f->dir, NULL);
  mm_test_run_finish (second, &rerun);
  if (rerun.status != 0)
    g_error ("rerun: exit %d: %s", rerun.status, rerun.err);
  assert_file_is (f, final, Q8);
  {
    g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (f->hub);
    g_autofree char *expected = g_strdup_printf ("bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                                                 kept, (guint64) 600 * KIB - 1);

    g_assert_cmpuint (g_strv_length (ranges), ==, 1);
    g_assert_cmpstr (ranges[0], ==, expected);
  }
}

/* The app's checks before a download (mm_download_manager_check_files())
 * run for the command line too: what is on disk is not fetched again, and
 * what does not fit is not started. */
static void
test_already_downloaded (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(MmTestRun) first = { 0 };
  g_auto(MmTestRun) again = { 0 };
  g_auto(MmTestRun) json = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = destination (f, Q8);
  g_autofree char *line = NULL;
  JsonObject *item;

  process = spawn_cli (f, "download", PICO, "Q8_0", "--dir", f->dir, NULL);
  mm_test_run_finish (process, &first);
  if (first.status != 0)
    g_error ("exit %d: %s", first.status, first.err);
  g_clear_object (&process);

  mm_mock_hub_reset_counters (f->hub);
  process = spawn_cli (f, "download", PICO, "Q8_0", "--dir", f->dir, NULL);
  mm_test_run_finish (process, &again);
  g_clear_object (&process);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.err, "model-manager-cli: tiny-org/Pico-GGUF (Q8_0) is already "
                                       "downloaded.\n"));
  line = g_strdup_printf ("%s — already downloaded\n", expected);
  g_assert_cmpstr (again.out, ==, line);
  /* The file was not asked for again. */
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/" PICO "/resolve/"), ==, 0);
  assert_file_is (f, expected, Q8);

  process = spawn_cli (f, "download", PICO, "Q8_0", "--dir", f->dir, "--json", NULL);
  mm_test_run_finish (process, &json);
  g_assert_cmpint (json.status, ==, 0);
  root = parse (json.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  item = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "destination"), ==, expected);
  g_assert_true (json_object_get_boolean_member (item, "already_downloaded"));
  g_assert_false (json_object_get_boolean_member (item, "verified"));
}

static void
test_no_space (Fixture       *f,
               gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *expected = destination (f, Q8);
  g_autofree char *partial = g_strconcat (expected, ".part", NULL);

  /* 1 kB free: nowhere near the file. */
  f->free_space = "1000";
  mm_mock_hub_reset_counters (f->hub);
  process = spawn_cli (f, "download", PICO, "Q8_0", "--dir", f->dir, NULL);
  mm_test_run_finish (process, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "model-manager-cli: Not enough free space for "
                                            "tiny-org/Pico-GGUF (Q8_0): it needs "));
  g_assert_nonnull (strstr (run.err, "and the disk has 1.0\302\240kB free."));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/" PICO "/resolve/"), ==, 0);
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/mm/download-cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("json", test_json);
  ADD ("split", test_split);
  ADD ("unknown-quant", test_unknown_quant);
  ADD ("killed-and-resumed", test_killed_and_resumed);
  ADD ("interrupted", test_interrupted);
  ADD ("killed-segmented", test_killed_segmented);
  ADD ("one-writer", test_one_writer);
  ADD ("already-downloaded", test_already_downloaded);
  ADD ("no-space", test_no_space);

#undef ADD

  return g_test_run ();
}
