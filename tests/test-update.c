/* test-update.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Updates: the mock Hub changes a file's commit and SHA-256; a check (one
 * request per repo) finds exactly that file of that quantization; Update
 * downloads only it, replaces the old file only once the new one is
 * verified, and records it, so the next check finds nothing. A 429 with
 * Retry-After stops the checks until then. The CLI says the same.
 */
#include "config.h"

#include "mm-core.h"
#include "mm-download-fixture.h"
#include "mm-hub-client-private.h"
#include "mm-mock-hub.h"
#include "mm-reuse-index-private.h"
#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define NEW_COMMIT "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
#define NEW_DATE   "2026-11-30T10:20:30.000Z"

typedef struct {
  char *state_file;
  char *q4;
  char *q8;
} Local;

static void
local_clear (Local *local)
{
  g_free (local->state_file);
  g_free (local->q4);
  g_free (local->q8);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Local, local_clear)

static void
put_file (Fixture    *f,
          const char *path,
          const char *filename)
{
  g_autoptr(GBytes) bytes = mm_mock_hub_read_file (f->hub, PICO, path, 0, G_MAXSIZE);
  g_autofree char *dir = g_path_get_dirname (filename);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (filename, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
}

static char *
file_record (Fixture    *f,
             const char *path,
             const char *destination)
{
  g_autofree char *sha256 = NULL;
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, path, &size, &sha256));
  return g_strdup_printf ("{\"path\":\"%s\",\"size\":%" G_GUINT64_FORMAT ",\"sha256\":\"%s\","
                          "\"destination\":\"%s\",\"completed\":true}",
                          path, size, sha256, destination);
}

/* Two quantizations of Pico on disk, as the download manager records
 * them (in the default state file, which the CLI reads too). */
static void
set_up_local (Fixture *f,
              Local   *local)
{
  g_autofree char *q4_record = NULL;
  g_autofree char *q8_record = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "model-manager", NULL);

  local->q4 = g_build_filename (f->dir, PICO, Q4, NULL);
  local->q8 = g_build_filename (f->dir, PICO, Q8, NULL);
  put_file (f, Q4, local->q4);
  put_file (f, Q8, local->q8);
  q4_record = file_record (f, Q4, local->q4);
  q8_record = file_record (f, Q8, local->q8);
  json = g_strdup_printf ("{\"version\":1,\"items\":["
                          "{\"repo\":\"%s\",\"commit\":\"5668b11d231950a81d3b4b1ef40e2c0e67ea45bc\","
                          "\"quant\":\"Q4_K_M\",\"state\":\"completed\",\"download-dir\":\"%s\","
                          "\"files\":[%s]},"
                          "{\"repo\":\"%s\",\"commit\":\"5668b11d231950a81d3b4b1ef40e2c0e67ea45bc\","
                          "\"quant\":\"Q8_0\",\"state\":\"completed\",\"download-dir\":\"%s\","
                          "\"files\":[%s]}]}",
                          PICO, f->dir, q4_record, PICO, f->dir, q8_record);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  local->state_file = g_build_filename (dir, "downloads.json", NULL);
  g_assert_true (g_file_set_contents (local->state_file, json, -1, NULL));
}

static GPtrArray *
check (MmUpdateChecker  *checker,
       const char       *repo_id,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_update_checker_check_async (checker, repo_id, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_update_checker_check_finish (checker, result, error);
}

static gboolean
update (MmUpdateChecker  *checker,
        MmUpdate         *update,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_update_checker_update_async (checker, update, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_update_checker_update_finish (checker, result, error);
}

static guint
model_info_requests (Fixture *f)
{
  return mm_mock_hub_get_request_count (f->hub, "/api/models/");
}

static void
test_check_and_update (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GHashTable) recorded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_sha256 = NULL;
  g_autofree char *date = NULL;
  MmUpdate *found;
  MmUpdateFile *file;
  struct stat q8_before, q8_after;

  set_up_local (f, &local);
  checker = mm_update_checker_new (f->client, local.state_file);
  g_assert_null (mm_update_checker_get_last_check (checker));

  /* Nothing changed: no update, one request for the one repo. */
  mm_mock_hub_reset_counters (f->hub);
  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
  g_assert_cmpuint (model_info_requests (f), ==, 1);
  g_assert_nonnull (mm_update_checker_get_last_check (checker));
  g_clear_pointer (&updates, g_ptr_array_unref);

  /* Upstream, Q4_K_M gets new bytes in a new commit. */
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q4, 2));
  g_assert_true (mm_mock_hub_set_repo_commit (f->hub, PICO, NEW_COMMIT, NEW_DATE));
  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q4, NULL, &new_sha256));

  mm_mock_hub_reset_counters (f->hub);
  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (model_info_requests (f), ==, 1);
  g_assert_cmpuint (updates->len, ==, 1);
  found = g_ptr_array_index (updates, 0);
  g_assert_cmpstr (found->repo_id, ==, PICO);
  g_assert_cmpstr (found->quant, ==, "Q4_K_M");
  g_assert_cmpstr (found->old_commit, ==, "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc");
  g_assert_cmpstr (found->new_commit, ==, NEW_COMMIT);
  g_assert_nonnull (found->date);
  date = g_date_time_format_iso8601 (found->date);
  g_assert_true (g_str_has_prefix (date, "2026-11-30T10:20:30"));
  g_assert_cmpuint (found->files->len, ==, 1);
  file = g_ptr_array_index (found->files, 0);
  g_assert_cmpstr (file->destination, ==, local.q4);
  g_assert_cmpstr (mm_repo_file_get_sha256 (file->file), ==, new_sha256);
  g_assert_true (mm_update_checker_find (checker, local.q4) == found);
  g_assert_null (mm_update_checker_find (checker, local.q8));
  g_assert_cmpuint (mm_update_checker_get_updates (checker)->len, ==, 1);

  /* Update: only Q4 comes over the network, into its own place. */
  g_assert_cmpint (g_stat (local.q8, &q8_before), ==, 0);
  mm_mock_hub_reset_counters (f->hub);
  g_assert_true (update (checker, found, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), ==, 300 * KIB);
  assert_file_is (f, local.q4, PICO, Q4);
  g_assert_cmpint (g_stat (local.q8, &q8_after), ==, 0);
  g_assert_true (q8_before.st_ino == q8_after.st_ino &&
                 q8_before.st_mtim.tv_sec == q8_after.st_mtim.tv_sec &&
                 q8_before.st_mtim.tv_nsec == q8_after.st_mtim.tv_nsec);
  g_assert_cmpuint (mm_update_checker_get_updates (checker)->len, ==, 0);

  /* Recorded: the Library verifies against the new SHA-256, and the next
   * check, even by a new checker, finds nothing. */
  recorded = mm_update_records_read_sha256 (local.state_file);
  g_assert_cmpstr (g_hash_table_lookup (recorded, local.q4), ==, new_sha256);
  g_assert_false (g_hash_table_contains (recorded, local.q8));
  {
    /* And a later download of the same new version is made from it. */
    g_autoptr(MmReuseIndex) index = _mm_reuse_index_new ();
    g_autoptr(GPtrArray) candidates = NULL;
    const char *none[] = { NULL };

    _mm_reuse_index_set_state_file (index, local.state_file);
    _mm_reuse_index_set_hf_cache_dirs (index, none);
    candidates = mm_reuse_index_lookup (index, new_sha256, 300 * KIB, NULL);
    g_assert_cmpuint (candidates->len, ==, 1);
    g_assert_cmpstr (((MmReuseCandidate *) candidates->pdata[0])->path, ==, local.q4);
  }
  g_clear_object (&checker);
  g_clear_pointer (&updates, g_ptr_array_unref);
  checker = mm_update_checker_new (f->client, local.state_file);
  g_assert_nonnull (mm_update_checker_get_last_check (checker));
  updates = check (checker, PICO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
}

/* The new version arrives damaged: the update fails and the old file is
 * still there, whole. */
static void
test_update_keeps_old_file (Fixture       *f,
                            gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) old_bytes = mm_mock_hub_read_file (f->hub, PICO, Q4, 0, G_MAXSIZE);
  g_autofree char *contents = NULL;
  gsize len = 0;

  set_up_local (f, &local);
  checker = mm_update_checker_new (f->client, local.state_file);
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q4, 3));
  g_assert_true (mm_mock_hub_set_repo_commit (f->hub, PICO, NEW_COMMIT, NEW_DATE));
  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 1);

  mm_mock_hub_set_cdn_corrupt_at (f->hub, 1000, MM_MOCK_HUB_ALWAYS);
  g_assert_false (update (checker, g_ptr_array_index (updates, 0), &error));
  g_assert_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM);
  mm_mock_hub_set_cdn_corrupt_at (f->hub, 0, 0);

  g_assert_true (g_file_get_contents (local.q4, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, g_bytes_get_size (old_bytes));
  g_assert_true (memcmp (contents, g_bytes_get_data (old_bytes, NULL), len) == 0);
  /* Still offered. */
  g_assert_cmpuint (mm_update_checker_get_updates (checker)->len, ==, 1);
}

/* 429 with Retry-After: the check stops, and no request goes out until
 * the Retry-After has passed, not even from a new checker. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(MmUpdateChecker) again = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint requests;

  set_up_local (f, &local);
  _mm_hub_client_set_retry_policy (f->client, 0, 10);
  checker = mm_update_checker_new (f->client, local.state_file);
  g_assert_true (mm_update_checker_is_due (checker, now, FALSE));

  mm_mock_hub_fail_next (f->hub, 429, MM_MOCK_HUB_ALWAYS, 300);
  mm_mock_hub_reset_counters (f->hub);
  updates = check (checker, NULL, &error);
  g_assert_null (updates);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), >=, 300);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), <=, 301);
  g_clear_error (&error);
  requests = mm_mock_hub_get_request_count (f->hub, NULL);
  g_assert_cmpuint (requests, ==, 1);

  updates = check (checker, NULL, &error);
  g_assert_null (updates);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), >, 290);
  g_clear_error (&error);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, requests);
  g_assert_false (mm_update_checker_is_due (checker, now, FALSE));

  again = mm_update_checker_new (f->client, local.state_file);
  g_assert_false (mm_update_checker_is_due (again, now, FALSE));
  updates = check (again, NULL, &error);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, requests);
  mm_mock_hub_fail_next (f->hub, 429, 0, 0);
}

/* Once a day at most, never on a metered network. */
static void
test_is_due (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) next_day = NULL;

  set_up_local (f, &local);
  checker = mm_update_checker_new (f->client, local.state_file);
  now = g_date_time_new_now_utc ();
  g_assert_true (mm_update_checker_is_due (checker, now, FALSE));
  g_assert_false (mm_update_checker_is_due (checker, now, TRUE));

  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_hours (now, 23);
  next_day = g_date_time_add_hours (now, 25);
  g_assert_false (mm_update_checker_is_due (checker, now, FALSE));
  g_assert_false (mm_update_checker_is_due (checker, later, FALSE));
  g_assert_true (mm_update_checker_is_due (checker, next_day, FALSE));
  g_assert_false (mm_update_checker_is_due (checker, next_day, TRUE));
}

/* A file deleted from disk is not checked; a broken state file is nothing
 * to check, not a crash. */
static void
test_nothing_on_disk (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autoptr(MmUpdateChecker) checker = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;

  set_up_local (f, &local);
  g_assert_cmpint (g_unlink (local.q4), ==, 0);
  g_assert_cmpint (g_unlink (local.q8), ==, 0);
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q4, 2));
  checker = mm_update_checker_new (f->client, local.state_file);
  mm_mock_hub_reset_counters (f->hub);
  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
  g_assert_cmpuint (model_info_requests (f), ==, 0);
  g_clear_pointer (&updates, g_ptr_array_unref);

  g_assert_true (g_file_set_contents (local.state_file, "{\"items\": [1, {\"files\": 7}", -1,
                                      NULL));
  updates = check (checker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
}

static void
run_cli (Fixture    *f,
         MmTestRun  *run,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = mm_test_cli_launcher_new (mm_mock_hub_get_url (f->hub));
  g_autoptr(GSubprocess) process = NULL;
  va_list ap;

  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  /* This test's own folders: the records are found where the app keeps them. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  va_start (ap, run);
  process = mm_test_cli_spawn_valist (launcher, ap);
  va_end (ap);
  mm_test_run_finish (process, run);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_auto(Local) local = { 0 };
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;

  set_up_local (f, &local);

  {
    g_auto(MmTestRun) run = { 0 };

    run_cli (f, &run, "update", "--check", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Every downloaded model is up to date.\n");
  }

  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q4, 2));
  g_assert_true (mm_mock_hub_set_repo_commit (f->hub, PICO, NEW_COMMIT, NEW_DATE));

  {
    g_auto(MmTestRun) run = { 0 };

    mm_mock_hub_reset_counters (f->hub);
    run_cli (f, &run, "update", PICO, "--check", NULL);
    g_assert_cmpint (run.status, ==, 0);
    expected = g_strdup_printf ("tiny-org/Pico-GGUF · Q4_K_M: update available (changed "
                                "30 November 2026, 10:20; commit 5668b11 → 0a1b2c3)\n"
                                "  %s  307.2\u00a0kB\n"
                                "1 update available; “model-manager-cli update” downloads it.\n",
                                local.q4);
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), ==, 0);
    g_assert_cmpuint (model_info_requests (f), ==, 1);
  }

  {
    g_auto(MmTestRun) run = { 0 };

    run_cli (f, &run, "update", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Updated tiny-org/Pico-GGUF · Q4_K_M.\n"));
    assert_file_is (f, local.q4, PICO, Q4);
  }

  {
    g_auto(MmTestRun) run = { 0 };

    run_cli (f, &run, "update", "--check", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Every downloaded model is up to date.\n");
  }

  {
    g_auto(MmTestRun) run = { 0 };

    run_cli (f, &run, "update", "not a repo", NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_true (g_str_has_prefix (run.err, "model-manager-cli: "));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/mm/update/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("check-and-update", test_check_and_update);
  ADD ("update-keeps-old-file", test_update_keeps_old_file);
  ADD ("rate-limited", test_rate_limited);
  ADD ("is-due", test_is_due);
  ADD ("nothing-on-disk", test_nothing_on_disk);
  ADD ("cli", test_cli);

  return g_test_run ();
}
