/* test-download.c: MmDownload against the mock Hub and its faults
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test checks the outcome on disk, not only the state: a completed
 * download is byte-identical to what the mock serves and hashes to the
 * Hub's SHA-256; a failed one leaves no final file, and keeps its partial
 * exactly when it can be resumed. Backoffs are 20 ms and the stall timeout
 * 1 s, so the whole program runs in seconds.
 */
#define G_LOG_DOMAIN "test-download"

#include "config.h"

#include "mm-core.h"
#include "mm-download-fixture.h"
#include "mm-download-private.h"
#include "mm-hub-client-private.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Lists every entry under @dir, recursively, as paths relative to it. */
static void
list_tree (const char *dir,
           const char *prefix,
           GPtrArray  *out)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (!handle)
    return;
  while ((name = g_dir_read_name (handle)))
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_autofree char *relative = prefix ? g_build_filename (prefix, name, NULL) : g_strdup (name);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        list_tree (child, relative, out);
      g_ptr_array_add (out, g_steal_pointer (&relative));
    }
}

static guint
count_regular_files (const char *dir)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  guint count = 0;

  list_tree (dir, NULL, entries);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (entries, i), NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
          !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        count++;
    }
  return count;
}

/* ------------------------------------------------------------------------ */
/* Transfers that succeed despite faults                                     */
/* ------------------------------------------------------------------------ */

typedef enum {
  FAULT_NONE,
  FAULT_DROP_REPEATEDLY,
  FAULT_STALL,
  FAULT_SERVER_ERRORS,
  FAULT_RATE_LIMITED,
  FAULT_IGNORE_RANGE,
  FAULT_SHORT_BODY,
} Fault;

typedef struct {
  Fault        fault;
  const char  *path;
  guint        min_attempts;
  gint64       min_duration_ms;
  /* The first CDN GET that resumes (asks for a range not starting at 0)
   * must start exactly here (0: none resumes; -1: do not check). */
  gint64       first_range;
} ResumeCase;

static const ResumeCase resume_cases[] = {
  { FAULT_NONE, Q4, 1, 0, 0 },
  /* Cut after 50 000 bytes five times: six attempts, each resuming where
   * the last one stopped. */
  { FAULT_DROP_REPEATEDLY, Q8, 6, 0, 50000 },
  /* 100 000 bytes, then silence until the 1 s stall timeout. */
  { FAULT_STALL, Q8, 2, 900, 100000 },
  { FAULT_SERVER_ERRORS, Q4, 4, 0, 0 },
  { FAULT_RATE_LIMITED, Q4, 2, 1000, 0 },
  /* The resume gets a 200 with everything: start over from zero. */
  { FAULT_IGNORE_RANGE, Q8, 2, 0, 100000 },
  /* Content-Length is right but the last 1000 bytes never come. */
  { FAULT_SHORT_BODY, Q4, 2, 0, 300 * KIB - 1000 },
};

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  const ResumeCase *c = data;
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GArray) starts = NULL;
  g_autofree char *expected_destination = NULL;
  gint64 begin;
  gint64 previous = 0;
  gint64 first_range = 0;

  switch (c->fault)
    {
    case FAULT_NONE:
      break;
    case FAULT_DROP_REPEATEDLY:
      mm_mock_hub_set_cdn_drop_after (f->hub, 50000, 5);
      break;
    case FAULT_STALL:
      mm_mock_hub_set_cdn_stall_after (f->hub, 100000, 1);
      break;
    case FAULT_SERVER_ERRORS:
      mm_mock_hub_cdn_fail_next (f->hub, 503, 3);
      break;
    case FAULT_RATE_LIMITED:
      mm_mock_hub_cdn_fail_next_retry_after (f->hub, 429, 1, 1);
      break;
    case FAULT_IGNORE_RANGE:
      mm_mock_hub_set_cdn_drop_after (f->hub, 100000, 1);
      mm_mock_hub_set_cdn_ignore_range (f->hub, TRUE);
      break;
    case FAULT_SHORT_BODY:
      mm_mock_hub_set_cdn_short_body (f->hub, 1000, 1);
      break;
    default:
      g_assert_not_reached ();
    }

  download = new_download (f, c->path);
  expected_destination = g_build_filename (f->dir, "tiny-org", "Pico-GGUF", c->path, NULL);
  g_assert_cmpstr (mm_download_get_destination (download), ==, expected_destination);
  g_assert_cmpuint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_IDLE);

  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), >=, c->min_attempts);
  if (c->fault == FAULT_NONE)
    g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpint ((g_get_monotonic_time () - begin) / 1000, >=, c->min_duration_ms);

  /* Every CDN GET asks for a range: the first from the start, each later
   * one from where the bytes on disk end, never going back. */
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, 0);
  for (guint i = 0; i < starts->len; i++)
    {
      gint64 start = g_array_index (starts, gint64, i);

      g_assert_cmpint (start, >=, 0);
      g_assert_cmpint (start, <, (gint64) mm_download_get_total_bytes (download));
      if (first_range == 0 && start > 0)
        first_range = start;
      if (c->fault != FAULT_IGNORE_RANGE)
        g_assert_cmpint (start, >=, previous);
      previous = start;
    }
  if (c->first_range >= 0)
    g_assert_cmpint (first_range, ==, c->first_range);
  if (c->fault == FAULT_DROP_REPEATEDLY)
    g_assert_cmpuint (starts->len, ==, 6);

  finalize (g_steal_pointer (&download));
}

static void
test_split_set (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(MmDownload) first = new_download (f, Q2_PART1);
  g_autoptr(MmDownload) second = new_download (f, Q2_PART2);
  g_autofree char *expected = g_build_filename (f->dir, "tiny-org", "Pico-GGUF", Q2_PART2, NULL);

  /* Both at once, as the app runs them. */
  mm_download_start (first);
  mm_download_start (second);
  wait_finished (first);
  wait_finished (second);

  assert_completed (f, first, PICO);
  assert_completed (f, second, PICO);
  g_assert_cmpstr (mm_download_get_destination (second), ==, expected);

  finalize (g_steal_pointer (&first));
  finalize (g_steal_pointer (&second));
}

/* The file changes on the Hub between two attempts: the result is the new
 * version, never the old bytes spliced with the new. */
static void
change_version_on_retry_cb (MmDownload *download,
                            GParamSpec *pspec,
                            Fixture    *f)
{
  if (mm_download_get_state (download) == MM_DOWNLOAD_STATE_RETRYING)
    g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q8, 2));
}

static void
test_etag_changed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q8);
  g_autofree char *v1_sha = NULL;
  g_autofree char *v2_sha = NULL;
  g_autoptr(GArray) starts = NULL;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q8, NULL, &v1_sha));
  mm_mock_hub_set_cdn_drop_after (f->hub, 200000, 1);
  g_signal_connect (download, "notify::state", G_CALLBACK (change_version_on_retry_cb), f);

  mm_download_start (download);
  wait_finished (download);

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q8, NULL, &v2_sha));
  g_assert_cmpstr (v1_sha, !=, v2_sha);
  /* The Hub's /resolve names the new version (X-Linked-Etag), so the
   * resume starts the new version from zero instead of asking the CDN for
   * the rest of the old one. */
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 2);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, 0);
  g_assert_cmpint (g_array_index (starts, gint64, 1), ==, 0);

  if (mm_download_get_state (download) != MM_DOWNLOAD_STATE_COMPLETED)
    {
      const GError *error = mm_download_get_error (download);

      /* Whatever happened, no spliced file may be in place. */
      g_assert_false (exists (mm_download_get_destination (download)));
      g_error ("the file changed between attempts: expected version 2 to complete, "
               "got state %d: %s", mm_download_get_state (download),
               error ? error->message : "(no error)");
    }
  assert_file_is (f, mm_download_get_destination (download), PICO, Q8);
  g_assert_false (exists (mm_download_get_partial_path (download)));

  g_signal_handlers_disconnect_by_func (download, change_version_on_retry_cb, f);
  finalize (g_steal_pointer (&download));
}

/* ------------------------------------------------------------------------ */
/* Failures                                                                  */
/* ------------------------------------------------------------------------ */

static void
test_checksum (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q4);
  g_autofree char *sidecar = sidecar_path (download);

  mm_mock_hub_set_cdn_corrupt_at (f->hub, 123456, 1);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM);
  /* Damaged bytes are not worth resuming. */
  g_assert_false (exists (mm_download_get_partial_path (download)));
  g_assert_false (exists (sidecar));
  g_assert_cmpuint (count_regular_files (f->dir), ==, 0);

  finalize (g_steal_pointer (&download));
}

static void
test_gave_up (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q4);
  g_autofree char *sidecar = sidecar_path (download);
  g_autoptr(GArray) starts = NULL;
  guint64 kept;

  /* Get part of the file first (slowly, then paused)… */
  mm_mock_hub_set_cdn_rate (f->hub, 200 * KIB);
  mm_download_start (download);
  wait_bytes (download, 60000);
  mm_download_pause (download);
  wait_state (download, MM_DOWNLOAD_STATE_PAUSED);
  kept = mm_test_partial_bytes (mm_download_get_partial_path (download));
  g_assert_cmpuint (kept, >=, 60000);

  /* …then every connection breaks before the first byte. */
  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_set_cdn_drop_after (f->hub, 0, MM_MOCK_HUB_ALWAYS);
  mm_mock_hub_reset_counters (f->hub);
  _mm_download_set_retry_policy (download, 3, 20, 1);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_GAVE_UP);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 3);
  starts = cdn_range_starts (f);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) kept);
  /* The partial is kept, whole, for later. */
  g_assert_cmpuint (mm_test_partial_bytes (mm_download_get_partial_path (download)), ==, kept);
  g_assert_true (exists (sidecar));

  /* Later the network is back: start resumes it. */
  mm_mock_hub_set_cdn_drop_after (f->hub, 0, 0);
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  g_clear_pointer (&starts, g_array_unref);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, ==, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) kept);

  finalize (g_steal_pointer (&download));
}

static void
test_file_not_found (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MmRepoFile) file = NULL;
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GError) error = NULL;

  file = mm_repo_file_new ("Pico-Q5_K_M.gguf", 300 * KIB,
                           "0000000000000000000000000000000000000000000000000000000000000000",
                           NULL);
  download = mm_download_new (f->client, PICO, "main", file, f->dir, &error);
  g_assert_no_error (error);
  _mm_download_set_retry_policy (download, 6, 20, 1);

  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND);
  /* Permanent: at once, without retries and without touching the CDN. */
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
  /* Nothing was received, so no empty partial is left behind. */
  g_assert_cmpuint (count_regular_files (f->dir), ==, 0);

  finalize (g_steal_pointer (&download));
}

static void
test_gated_no_token (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download_full (f, f->client, GATED, GATED_FILE);

  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
  /* A refused download leaves no empty partial or sidecar behind. */
  g_assert_false (exists (mm_download_get_partial_path (download)));
  g_assert_cmpuint (count_regular_files (f->dir), ==, 0);

  finalize (g_steal_pointer (&download));
}

/* A partial with bytes stays when a later attempt is refused (the token was
 * removed, say), and the next attempt with access resumes it. */
static void
test_gated_keeps_partial (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (f->hub),
                                                     MM_MOCK_HUB_TOKEN);
  g_autoptr(MmDownload) first = new_download_full (f, client, GATED, GATED_FILE);
  g_autoptr(MmDownload) refused = NULL;
  g_autoptr(MmDownload) resumed = NULL;
  g_autofree char *sidecar = sidecar_path (first);
  g_autoptr(GArray) starts = NULL;
  guint64 kept;

  mm_mock_hub_set_cdn_rate (f->hub, 128 * KIB);
  mm_download_start (first);
  wait_bytes (first, 40000);
  mm_download_pause (first);
  wait_state (first, MM_DOWNLOAD_STATE_PAUSED);
  kept = mm_test_partial_bytes (mm_download_get_partial_path (first));
  g_assert_cmpuint (kept, >=, 40000);
  g_assert_true (exists (sidecar));
  mm_mock_hub_set_cdn_rate (f->hub, 0);

  refused = new_download_full (f, f->client, GATED, GATED_FILE);
  mm_download_start (refused);
  wait_finished (refused);
  assert_failed (refused, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);
  g_assert_cmpuint (mm_test_partial_bytes (mm_download_get_partial_path (refused)), ==, kept);
  g_assert_true (exists (sidecar));

  mm_mock_hub_reset_counters (f->hub);
  resumed = new_download_full (f, client, GATED, GATED_FILE);
  mm_download_start (resumed);
  wait_finished (resumed);
  assert_completed (f, resumed, GATED);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, ==, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) kept);

  finalize (g_steal_pointer (&first));
  finalize (g_steal_pointer (&refused));
  finalize (g_steal_pointer (&resumed));
  finalize (g_steal_pointer (&client));
}

/* Everything logged by this process, debug messages included. Worker
 * threads log too, hence the lock. */
static GMutex log_mutex;
static GString *log_text;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  if (log_text == NULL)
    log_text = g_string_new (NULL);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        {
          g_string_append (log_text, fields[i].value);
          g_string_append_c (log_text, '\n');
        }
    }
  g_mutex_unlock (&log_mutex);

  /* Debug messages are only captured; the rest is shown as usual. */
  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static char *
take_log (void)
{
  char *text;

  g_mutex_lock (&log_mutex);
  text = log_text ? g_string_free (g_steal_pointer (&log_text), FALSE) : g_strdup ("");
  g_mutex_unlock (&log_mutex);
  return text;
}

/* Tokens go into an Authorization header and nowhere else: not into an
 * error message, not into a log line, whatever fails and however often. */
static void
test_token_not_in_logs (Fixture       *f,
                        gconstpointer  data)
{
  const char *tokens[] = { MM_MOCK_HUB_TOKEN_NOACCESS, "hf_mocknotavalidtokenatall0123456789" };
  const int codes[] = { MM_HUB_ERROR_GATED_NO_ACCESS, MM_HUB_ERROR_UNAUTHORIZED };

  /* Debug messages too, where the retries are. */
  g_log_set_debug_enabled (TRUE);
  g_free (take_log ());
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (f->hub),
                                                         tokens[i]);
      g_autoptr(MmDownload) download = new_download_full (f, client, GATED, GATED_FILE);
      g_autoptr(MmDownload) retried = new_download_full (f, client, PICO, Q4);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *log = NULL;

      mm_download_start (download);
      wait_finished (download);
      assert_failed (download, MM_HUB_ERROR, codes[i]);
      g_assert_null (strstr (mm_download_get_error (download)->message, tokens[i]));

      /* The Hub client's own requests, retried after a server error. */
      mm_mock_hub_fail_next (f->hub, 503, 1, 0);
      _mm_hub_client_set_retry_policy (client, 2, 10);
      mm_hub_client_auth_check_async (client, GATED, NULL, mm_test_store_result_cb, &result);
      mm_test_wait_for_result (&result, TIMEOUT_MS);
      g_assert_false (mm_hub_client_auth_check_finish (client, result, &error));
      g_assert_error (error, MM_HUB_ERROR, codes[i]);
      g_assert_null (strstr (error->message, tokens[i]));

      /* A download retried after a CDN error logs why. */
      mm_mock_hub_cdn_fail_next (f->hub, 503, 1);
      mm_download_start (retried);
      wait_finished (retried);
      assert_completed (f, retried, PICO);
      g_unlink (mm_download_get_destination (retried));

      log = take_log ();
      /* The log saw the retries, so it would have seen a token in them. */
      g_assert_nonnull (strstr (log, "etrying"));
      if (strstr (log, tokens[i]) != NULL)
        g_error ("The token leaked into the log:\n%s", log);

      g_clear_object (&result);
      finalize (g_steal_pointer (&download));
      finalize (g_steal_pointer (&retried));
      finalize (g_steal_pointer (&client));
    }
  g_log_set_debug_enabled (FALSE);
}

static void
test_gated_with_token (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (f->hub),
                                                     MM_MOCK_HUB_TOKEN);
  g_autoptr(MmDownload) download = new_download_full (f, client, GATED, GATED_FILE);
  g_autofree char *hub_auth = NULL;
  g_autofree char *cdn_auth = NULL;

  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, GATED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 1);
  /* The token went to the Hub and not to the redirect's host. */
  hub_auth = mm_mock_hub_get_last_hub_auth (f->hub);
  cdn_auth = mm_mock_hub_get_last_cdn_auth (f->hub);
  g_assert_cmpstr (hub_auth, ==, "Bearer " MM_MOCK_HUB_TOKEN);
  g_assert_null (cdn_auth);

  finalize (g_steal_pointer (&download));
  finalize (g_steal_pointer (&client));
}

static void
test_hostile_names (Fixture       *f,
                    gconstpointer  data)
{
  const char *names[] = { "../x.gguf", "/abs.gguf", "a\\b.gguf", "../../../x.gguf",
                          "sub/../../x.gguf", "" };
  g_autofree char *parent = g_path_get_dirname (f->dir);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_free);

  list_tree (parent, NULL, before);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MmRepoFile) file = NULL;
      g_autoptr(MmDownload) download = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;
      guint64 size = 0;

      g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q4, &size, &sha256));
      file = mm_repo_file_new (names[i], size, sha256, NULL);
      download = mm_download_new (f->client, PICO, "main", file, f->dir, &error);
      if (!download)
        {
          g_assert_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH);
          continue;
        }

      g_assert_no_error (error);
      _mm_download_set_retry_policy (download, 2, 20, 1);
      mm_download_start (download);
      wait_finished (download);
      assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH);
      finalize (g_steal_pointer (&download));
    }

  /* Nothing was written anywhere: not in the folder, not next to it. */
  g_assert_false (exists ("/abs.gguf"));
  g_assert_cmpuint (count_regular_files (f->dir), ==, 0);
  list_tree (parent, NULL, after);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
}

/* DIR/tiny-org is a symlink to a folder outside DIR. */
static void
test_symlink_escape (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *link = g_build_filename (f->dir, "tiny-org", NULL);
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmRepoFile) file = hub_file (f, PICO, Q4);

  g_assert_cmpint (symlink (f->outside, link), ==, 0);

  download = mm_download_new (f->client, PICO, "main", file, f->dir, &error);
  if (!download)
    g_assert_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH);
  else
    {
      g_assert_no_error (error);
      _mm_download_set_retry_policy (download, 2, 20, 1);
      mm_download_start (download);
      wait_finished (download);
      assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH);
      finalize (g_steal_pointer (&download));
    }

  /* Not a file, not even a folder, appeared outside. */
  list_tree (f->outside, NULL, outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("written outside the download folder: %s",
                    (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (count_regular_files (f->outside), ==, 0);
  g_assert_cmpuint (outside->len, ==, 0);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Pause, cancel, existing files                                             */
/* ------------------------------------------------------------------------ */

static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q8);
  g_autofree char *sidecar = sidecar_path (download);
  g_autoptr(GArray) starts = NULL;
  guint64 kept;

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_download_start (download);
  wait_bytes (download, 100000);
  mm_download_pause (download);
  wait_state (download, MM_DOWNLOAD_STATE_PAUSED);

  g_assert_false (mm_download_is_finished (download));
  g_assert_true (exists (sidecar));
  g_assert_false (exists (mm_download_get_destination (download)));
  kept = mm_test_partial_bytes (mm_download_get_partial_path (download));
  g_assert_cmpuint (kept, >=, 100000);
  g_assert_cmpuint (kept, <, 600 * KIB);
  /* What is on disk is the start of the file (the partial is preallocated
   * to the file's size; the sidecar says how much of it is there). */
  {
    g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, PICO, Q8, 0, kept);
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (mm_download_get_partial_path (download), &contents,
                                        &len, NULL));
    g_assert_cmpuint (len, >=, kept);
    g_assert_cmpmem (contents, kept, g_bytes_get_data (expected, NULL),
                     g_bytes_get_size (expected));
  }

  /* Paused stays paused. */
  {
    guint before = mm_mock_hub_get_request_count (f->hub, CDN_PREFIX);
    gint64 until = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_PAUSED);
    g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, before);
  }

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, ==, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) kept);

  finalize (g_steal_pointer (&download));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  gboolean delete_partial = GPOINTER_TO_INT (data);
  g_autoptr(MmDownload) download = new_download (f, Q8);
  g_autofree char *sidecar = sidecar_path (download);

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_download_start (download);
  wait_bytes (download, 50000);
  mm_download_cancel (download, delete_partial);
  wait_finished (download);

  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_CANCELLED);
  g_assert_false (exists (mm_download_get_destination (download)));
  if (delete_partial)
    {
      g_assert_false (exists (mm_download_get_partial_path (download)));
      g_assert_false (exists (sidecar));
      g_assert_cmpuint (count_regular_files (f->dir), ==, 0);
    }
  else
    {
      g_assert_cmpuint (mm_test_partial_bytes (mm_download_get_partial_path (download)), >=, 50000);
      g_assert_true (exists (sidecar));
    }

  finalize (g_steal_pointer (&download));
}

static void
test_already_complete (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MmDownload) first = new_download (f, Q4);
  g_autoptr(MmDownload) second = NULL;
  struct stat before, after;

  mm_download_start (first);
  wait_finished (first);
  assert_completed (f, first, PICO);
  g_assert_cmpint (g_stat (mm_download_get_destination (first), &before), ==, 0);
  finalize (g_steal_pointer (&first));

  mm_mock_hub_reset_counters (f->hub);
  second = new_download (f, Q4);
  mm_download_start (second);
  wait_finished (second);

  assert_completed (f, second, PICO);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
  /* The same file, not a new copy. */
  g_assert_cmpint (g_stat (mm_download_get_destination (second), &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);

  finalize (g_steal_pointer (&second));
}

static void
test_wrong_existing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q4);
  g_autofree char *parent = g_path_get_dirname (mm_download_get_destination (download));
  g_autofree char *zeros = g_malloc0 (300 * KIB);
  g_autoptr(GError) error = NULL;

  /* Same size, wrong bytes. */
  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (mm_download_get_destination (download), zeros, 300 * KIB, &error);
  g_assert_no_error (error);

  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), >=, 1);

  finalize (g_steal_pointer (&download));
}

/* ------------------------------------------------------------------------ */
/* Disk space (in a subprocess: the engine reads the variables there)        */
/* ------------------------------------------------------------------------ */

/* Sizes named in @message ("1.0 kB", "1.4 MB", "1000 bytes"), in bytes. */
static GArray *
sizes_in_message (const char *message)
{
  g_autoptr(GRegex) regex = g_regex_new ("(\\d+(?:[.,]\\d+)?)\\s?(bytes|byte|kB|KB|MB|GB|KiB|"
                                         "MiB|GiB|B)\\b", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (double));

  g_regex_match (regex, message, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);
      g_autofree char *unit = g_match_info_fetch (match, 2);
      double value;

      g_strdelimit (number, ",", '.');
      value = g_ascii_strtod (number, NULL);
      if (g_str_equal (unit, "kB") || g_str_equal (unit, "KB"))
        value *= 1e3;
      else if (g_str_equal (unit, "MB"))
        value *= 1e6;
      else if (g_str_equal (unit, "GB"))
        value *= 1e9;
      else if (g_str_equal (unit, "KiB"))
        value *= 1024;
      else if (g_str_equal (unit, "MiB"))
        value *= 1024 * 1024;
      else if (g_str_equal (unit, "GiB"))
        value *= 1024 * 1024 * 1024;
      g_array_append_val (sizes, value);
      g_match_info_next (match, NULL);
    }

  return sizes;
}

static void
run_free_space (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GArray) sizes = NULL;
  const GError *error;
  gboolean names_free = FALSE;
  gboolean names_needed = FALSE;

  g_setenv ("MM_TEST_FREE_SPACE", "1000", TRUE);
  fixture_setup (f, NULL);

  download = new_download (f, Q4);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);

  /* The message says how much is free and how much is needed. */
  error = mm_download_get_error (download);
  g_test_message ("%s", error->message);
  sizes = sizes_in_message (error->message);
  for (guint i = 0; i < sizes->len; i++)
    {
      double size = g_array_index (sizes, double, i);

      if (size >= 950 && size <= 1050)
        names_free = TRUE;
      if (size >= 300 * KIB * 0.95)
        names_needed = TRUE;
    }
  if (!names_free || !names_needed)
    g_error ("the message does not name both sizes: %s", error->message);

  finalize (g_steal_pointer (&download));
  fixture_teardown (f, NULL);
}

static void
test_free_space (void)
{
  mm_test_run_in_subprocess (run_free_space, 30, G_TEST_SUBPROCESS_INHERIT_STDERR);
}

static void
run_disk_fills (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GArray) starts = NULL;
  g_autofree char *sidecar = NULL;
  guint64 kept;

  g_setenv ("MM_TEST_WRITE_FAIL_AFTER", "150000", TRUE);
  fixture_setup (f, NULL);

  download = new_download (f, Q4);
  sidecar = sidecar_path (download);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL);
  /* Not transient: no retries into a full disk. */
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  kept = mm_test_partial_bytes (mm_download_get_partial_path (download));
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <=, 150000);
  g_assert_true (exists (sidecar));

  /* Space was freed: a restart resumes from the partial. */
  g_unsetenv ("MM_TEST_WRITE_FAIL_AFTER");
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) kept);

  finalize (g_steal_pointer (&download));
  fixture_teardown (f, NULL);
}

static void
test_disk_fills (void)
{
  mm_test_run_in_subprocess (run_disk_fills, 30, G_TEST_SUBPROCESS_INHERIT_STDERR);
}

/* ------------------------------------------------------------------------ */
/* Progress, rate, countdown                                                 */
/* ------------------------------------------------------------------------ */

typedef struct {
  guint   count;
  guint64 last;
} ProgressLog;

static void
bytes_received_cb (MmDownload  *download,
                   GParamSpec  *pspec,
                   ProgressLog *log)
{
  guint64 bytes = mm_download_get_bytes_received (download);

  g_assert_cmpuint (bytes, >=, log->last);
  g_assert_cmpuint (bytes, <=, mm_download_get_total_bytes (download));
  log->last = bytes;
  log->count++;
}

static void
test_progress_rate (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q4);
  ProgressLog log = { 0 };
  gint64 begin, duration;

  /* 300 KiB at 150 KiB/s: about 2 s. The CDN sends a piece every 50 ms,
   * so the bytes change 20 times a second and only the coalescing keeps
   * the notifications down. */
  mm_mock_hub_set_cdn_rate (f->hub, 150 * KIB);
  g_signal_connect (download, "notify::bytes-received", G_CALLBACK (bytes_received_cb), &log);
  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_finished (download);
  duration = g_get_monotonic_time () - begin;

  assert_completed (f, download, PICO);
  g_test_message ("%u notifications in %" G_GINT64_FORMAT " ms", log.count, duration / 1000);
  g_assert_cmpint (duration, >=, 1500 * 1000);
  g_assert_cmpuint (log.count, <=, 25);
  /* It did report progress along the way. */
  g_assert_cmpuint (log.count, >=, 5);
  g_assert_cmpuint (log.last, ==, 300 * KIB);

  g_signal_handlers_disconnect_by_func (download, bytes_received_cb, &log);
  finalize (g_steal_pointer (&download));
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q8);
  gint64 begin, duration;

  _mm_download_set_rate_limit (download, 200 * KIB);
  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_finished (download);
  duration = g_get_monotonic_time () - begin;

  assert_completed (f, download, PICO);
  g_test_message ("600 KiB at 200 KiB/s took %" G_GINT64_FORMAT " ms", duration / 1000);
  g_assert_cmpint (duration, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (duration, <, 10 * G_USEC_PER_SEC);

  finalize (g_steal_pointer (&download));
}

typedef struct {
  guint max_retry_in;
  gboolean saw_retrying;
} Countdown;

static void
countdown_cb (MmDownload *download,
              GParamSpec *pspec,
              Countdown  *countdown)
{
  if (mm_download_get_state (download) != MM_DOWNLOAD_STATE_RETRYING)
    return;
  countdown->saw_retrying = TRUE;
  countdown->max_retry_in = MAX (countdown->max_retry_in, mm_download_get_retry_in (download));
  /* While retrying, the reason is known. */
  g_assert_nonnull (mm_download_get_error (download));
}

static void
test_retry_countdown (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_download (f, Q4);
  Countdown countdown = { 0 };
  gint64 begin;

  mm_mock_hub_cdn_fail_next_retry_after (f->hub, 429, 1, 2);
  g_signal_connect (download, "notify::state", G_CALLBACK (countdown_cb), &countdown);
  g_signal_connect (download, "notify::retry-in", G_CALLBACK (countdown_cb), &countdown);
  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_state (download, MM_DOWNLOAD_STATE_RETRYING);
  g_assert_cmpuint (mm_download_get_retry_in (download), >=, 1);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_true (countdown.saw_retrying);
  g_assert_cmpuint (countdown.max_retry_in, >=, 2);
  g_assert_cmpuint (mm_download_get_retry_in (download), ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - begin, >=, 2 * G_USEC_PER_SEC);

  g_signal_handlers_disconnect_by_func (download, countdown_cb, &countdown);
  finalize (g_steal_pointer (&download));
}

int
main (int    argc,
      char **argv)
{
  static const char *const fault_names[] = {
    "plain", "drop-repeatedly", "stall", "server-errors", "429-retry-after", "ignore-range",
    "short-body",
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Before anything logs: the token test reads every message. */
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

#define ADD(path, func, data) \
  g_test_add ("/mm/download/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  G_STATIC_ASSERT (G_N_ELEMENTS (fault_names) == G_N_ELEMENTS (resume_cases));
  for (guint i = 0; i < G_N_ELEMENTS (resume_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mm/download/resume/%s",
                                               fault_names[resume_cases[i].fault]);

      g_test_add (path, Fixture, &resume_cases[i], fixture_setup, test_resume, fixture_teardown);
    }
  ADD ("split-set", test_split_set, NULL);
  ADD ("etag-changed", test_etag_changed, NULL);
  ADD ("fail/checksum", test_checksum, NULL);
  ADD ("fail/gave-up", test_gave_up, NULL);
  ADD ("fail/file-not-found", test_file_not_found, NULL);
  ADD ("fail/gated-no-token", test_gated_no_token, NULL);
  ADD ("gated-with-token", test_gated_with_token, NULL);
  ADD ("fail/gated-keeps-partial", test_gated_keeps_partial, NULL);
  ADD ("token/not-in-logs", test_token_not_in_logs, NULL);
  ADD ("unsafe/hostile-names", test_hostile_names, NULL);
  ADD ("unsafe/symlink", test_symlink_escape, NULL);
  ADD ("pause-resume", test_pause_resume, NULL);
  ADD ("cancel/delete", test_cancel, GINT_TO_POINTER (TRUE));
  ADD ("cancel/keep", test_cancel, GINT_TO_POINTER (FALSE));
  ADD ("existing/complete", test_already_complete, NULL);
  ADD ("existing/wrong", test_wrong_existing, NULL);
  g_test_add_func ("/mm/download/disk/free-space", test_free_space);
  g_test_add_func ("/mm/download/disk/fills-up", test_disk_fills);
  ADD ("progress-notifications", test_progress_rate, NULL);
  ADD ("rate-limit", test_rate_limit, NULL);
  ADD ("retry-countdown", test_retry_countdown, NULL);

#undef ADD

  return g_test_run ();
}
