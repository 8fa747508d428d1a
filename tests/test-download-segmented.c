/* test-download-segmented.c: one file over many connections
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mock's CDN caps each connection (as CDNs do), so several connections
 * really run side by side; the files are small, so the tests lower the
 * engine's thresholds (_mm_download_set_segmenting) to split them. Every
 * test checks the file on disk byte by byte, and what went over the wire:
 * which ranges were asked for and how many bytes the CDN sent.
 */
#define G_LOG_DOMAIN "test-download-segmented"

#include "config.h"

#include "mm-core.h"
#include "mm-download-fixture.h"
#include "mm-download-private.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define SIZE_Q8 (600 * KIB)

/* A download of Q8 (600 KiB) over up to @connections connections, split
 * down to 64 KiB ranges. */
static MmDownload *
new_segmented (Fixture *f,
               guint    connections)
{
  MmDownload *download = new_download (f, Q8);

  mm_download_set_connections (download, connections);
  _mm_download_set_segmenting (download, 0, 64 * KIB);
  return download;
}

/* The CDN sent @missing bytes, give or take what was in flight on a range
 * that another connection took over (the mock sends 64 KiB at a time). */
static void
assert_sent_about (Fixture *f,
                   guint64  missing)
{
  guint64 sent = mm_mock_hub_get_cdn_bytes_sent (f->hub);

  g_assert_cmpuint (sent, >=, missing);
  g_assert_cmpuint (sent, <, missing + 4 * 64 * KIB);
}

typedef struct {
  guint most;
} ConnectionsSeen;

static void
connections_cb (MmDownload      *download,
                GParamSpec      *pspec,
                ConnectionsSeen *seen)
{
  seen->most = MAX (seen->most, mm_download_get_connections (download));
}

/* Four connections at 150 KiB/s each: the file comes in ranges, side by
 * side, and the row can say how many connections are at work. */
static void
test_parallel (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);
  g_autoptr(GArray) starts = NULL;
  ConnectionsSeen seen = { 0 };
  gint64 begin;
  double seconds;

  mm_mock_hub_set_cdn_rate (f->hub, 150 * KIB);
  g_signal_connect (download, "notify::connections", G_CALLBACK (connections_cb), &seen);
  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_finished (download);
  seconds = (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC;

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (mm_download_get_connections (download), ==, 0);
  g_assert_cmpuint (seen.most, >=, 3);
  g_assert_cmpuint (mm_mock_hub_get_cdn_peak_connections (f->hub), >=, 3);
  g_assert_cmpuint (mm_mock_hub_get_cdn_peak_connections (f->hub), <=, 4);
  /* Each byte crossed the wire once (a shortened range may overshoot by
   * what was in flight when another connection took its tail). */
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), <, SIZE_Q8 + 4 * 64 * KIB);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 4);
  /* One connection alone would need 4 s. */
  g_test_message ("600 KiB over 4 × 150 KiB/s in %.2f s", seconds);
  g_assert_cmpfloat (seconds, <, 3.0);

  g_signal_handlers_disconnect_by_func (download, connections_cb, &seen);
  finalize (g_steal_pointer (&download));
}

/* One connection is cut in the middle of its range: the file completes in
 * the same attempt, and only the cut range's rest is asked for again. */
static void
test_dropped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_mock_hub_set_cdn_drop_after (f->hub, 40 * KIB, 1);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), <, SIZE_Q8 + 4 * 64 * KIB);
  finalize (g_steal_pointer (&download));
}

/* One connection goes silent: after the stall timeout its range moves on
 * and the file completes in the same attempt. */
static void
test_stalled (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 3);

  /* The two others need about three seconds for the rest, well past the
   * 1 s stall timeout even on a slow machine: they are still there to take
   * the silent one's range. */
  mm_mock_hub_set_cdn_rate (f->hub, 100 * KIB);
  mm_mock_hub_set_cdn_stall_after (f->hub, 20 * KIB, 1);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  finalize (g_steal_pointer (&download));
}

/* A server without Range support: one connection streams the file. */
static void
test_ranges_ignored (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);

  mm_mock_hub_set_cdn_ignore_range (f->hub, TRUE);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  /* Connections that got the whole file stopped; the one kept finished it. */
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), >=, SIZE_Q8);
  finalize (g_steal_pointer (&download));
}

/* Expiry in the middle of one attempt: a connection that must ask again
 * (here: one that stalled) gets 403 on the old URL, asks /resolve for a
 * fresh one and goes on; the bytes on disk stay. */
static void
test_url_expired_in_flight (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 3);
  guint resolves_before, resolves_after;

  /* Three ranges of 200 KiB at 60 KiB/s: 3.3 s. The stalled one gives up
   * after 1 s, waits 1 s and asks again well before the others end. */
  mm_mock_hub_set_cdn_rate (f->hub, 60 * KIB);
  mm_mock_hub_set_cdn_stall_after (f->hub, 20 * KIB, 1);
  mm_download_start (download);
  wait_bytes (download, 60 * KIB);
  resolves_before = mm_mock_hub_get_request_count (f->hub, "/" PICO "/resolve/");
  mm_mock_hub_expire_cdn_urls (f->hub);
  wait_finished (download);
  resolves_after = mm_mock_hub_get_request_count (f->hub, "/" PICO "/resolve/");

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  g_assert_cmpuint (resolves_after, ==, resolves_before + 1);
  assert_sent_about (f, SIZE_Q8);
  finalize (g_steal_pointer (&download));
}

/* The CDN refuses the link the Hub just gave: that is what the error says,
 * not a token problem, and no retry loop follows. */
static void
test_link_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);
  const GError *error;

  mm_mock_hub_cdn_fail_next (f->hub, 403, MM_MOCK_HUB_ALWAYS);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_LINK_REFUSED);
  error = mm_download_get_error (download);
  g_assert_nonnull (strstr (error->message, "403"));
  g_assert_null (strstr (error->message, "token"));
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  /* Nothing was written: nothing is left behind. */
  g_assert_false (exists (mm_download_get_partial_path (download)));
  finalize (g_steal_pointer (&download));
}

/* The CDN allows two connections at a time and answers 503 beyond: the
 * download settles on fewer connections and completes. */
static void
test_connection_limit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 6);

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_mock_hub_set_cdn_max_connections (f->hub, 2);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_mock_hub_get_cdn_peak_connections (f->hub), <=, 2);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  finalize (g_steal_pointer (&download));
}

/* One connection gets 429 with Retry-After: it backs off, the others go
 * on, the file completes in one attempt. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_download_start (download);
  wait_bytes (download, 30 * KIB);
  mm_mock_hub_set_cdn_drop_after (f->hub, 0, 1);
  mm_mock_hub_cdn_fail_next_retry_after (f->hub, 429, 1, 1);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), ==, 1);
  finalize (g_steal_pointer (&download));
}

/* A byte flipped in one range: the file never gets its final name. */
static void
test_corrupt_range (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);

  /* In every response that carries it: whichever connection ends up
   * writing that byte gets it flipped. */
  mm_mock_hub_set_cdn_corrupt_at (f->hub, 400 * KIB + 17, MM_MOCK_HUB_ALWAYS);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM);
  g_assert_false (exists (mm_download_get_destination (download)));
  finalize (g_steal_pointer (&download));
}

/* The file changes on the Hub while a download is under way (its URL
 * expires, the next /resolve names another version): the bytes of the old
 * one are dropped, and the new one is downloaded whole, never spliced. */
static void
test_version_changed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 2);

  /* One connection stalls, so that it must ask again after the change. */
  mm_mock_hub_set_cdn_rate (f->hub, 150 * KIB);
  mm_mock_hub_set_cdn_stall_after (f->hub, 20 * KIB, 1);
  mm_download_start (download);
  wait_bytes (download, 60 * KIB);
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q8, 2));
  mm_mock_hub_expire_cdn_urls (f->hub);
  wait_finished (download);

  g_assert_cmpuint (mm_download_get_attempt (download), >=, 2);
  /* assert_completed compares with what the mock serves now: version 2. */
  assert_completed (f, download, PICO);
  finalize (g_steal_pointer (&download));
}

/* The CDN starts answering with another ETag in the middle (the object
 * behind the URL was replaced): the bytes on disk cannot be trusted to be
 * of one version, so the file starts over, cleanly, and completes. */
static void
test_etag_changed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 3);
  g_autoptr(GArray) starts = NULL;
  guint zero_starts = 0;

  mm_mock_hub_set_cdn_rate (f->hub, 100 * KIB);
  mm_download_start (download);
  wait_bytes (download, 100 * KIB);
  mm_mock_hub_set_cdn_etag (f->hub, "replaced-object");
  mm_mock_hub_set_cdn_rate (f->hub, 0);
  wait_finished (download);

  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_download_get_attempt (download), >=, 2);
  /* The file was asked for from its first byte again. */
  starts = cdn_range_starts (f);
  for (guint i = 0; i < starts->len; i++)
    if (g_array_index (starts, gint64, i) == 0)
      zero_starts++;
  g_assert_cmpuint (zero_starts, >=, 2);
  finalize (g_steal_pointer (&download));
}

/* The disk fills up mid-way: the ranges on disk and the sidecar stay, and
 * once there is room the download resumes from them. */
static void
run_disk_full (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(MmDownload) download = NULL;
  g_autofree char *sidecar = NULL;
  guint64 kept;

  g_setenv ("MM_TEST_WRITE_FAIL_AFTER", "200000", TRUE);
  fixture_setup (f, NULL);
  download = new_segmented (f, 4);
  sidecar = sidecar_path (download);
  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL);
  kept = mm_test_partial_bytes (mm_download_get_partial_path (download));
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <=, 200000);
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, kept);
  g_assert_true (exists (sidecar));

  g_unsetenv ("MM_TEST_WRITE_FAIL_AFTER");
  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  /* Only what was missing came again (plus what was in flight when one
   * connection took over the tail of another's range). */
  assert_sent_about (f, SIZE_Q8 - kept);

  finalize (g_steal_pointer (&download));
  fixture_teardown (f, NULL);
}

static void
test_disk_full (void)
{
  mm_test_run_in_subprocess (run_disk_full, 60, G_TEST_SUBPROCESS_DEFAULT);
}

/* Writes a partial of Q8 holding its first @bytes bytes, and a sidecar. */
static void
write_partial (Fixture    *f,
               MmDownload *download,
               guint64     bytes,
               const char *sidecar_text)
{
  g_autoptr(GBytes) head = mm_mock_hub_read_file (f->hub, PICO, Q8, 0, bytes);
  g_autofree char *sidecar = sidecar_path (download);
  g_autofree char *parent = g_path_get_dirname (mm_download_get_partial_path (download));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (mm_download_get_partial_path (download),
                       g_bytes_get_data (head, NULL), g_bytes_get_size (head), &error);
  g_assert_no_error (error);
  g_file_set_contents (sidecar, sidecar_text, -1, &error);
  g_assert_no_error (error);
}

static char *
q8_sha256 (Fixture *f)
{
  char *sha256 = NULL;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q8, NULL, &sha256));
  return sha256;
}

/* A partial and sidecar of the older single-stream format resume from the
 * partial's size. */
static void
test_old_sidecar (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *sha256 = q8_sha256 (f);
  g_autofree char *text = NULL;
  g_autoptr(MmDownload) probe = new_segmented (f, 4);
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GArray) starts = NULL;

  text = g_strdup_printf ("{\"repo\":\"%s\",\"revision\":\"main\",\"path\":\"%s\","
                          "\"size\":%u,\"sha256\":\"%s\",\"etag\":null}",
                          PICO, Q8, (guint) SIZE_Q8, sha256);
  write_partial (f, probe, 250000, text);

  /* A download made now sees the bytes on disk before it starts. */
  download = new_segmented (f, 1);
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, 250000);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, ==, 1);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, 250000);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), ==, SIZE_Q8 - 250000);
  finalize (g_steal_pointer (&probe));
  finalize (g_steal_pointer (&download));
}

/* After a reboot (another boot id in the sidecar) only the ranges that
 * were synced to disk are trusted; in the same boot, all recorded ones. */
static void
test_boot_id (Fixture       *f,
              gconstpointer  data)
{
  gboolean same_boot = GPOINTER_TO_INT (data);
  g_autofree char *sha256 = q8_sha256 (f);
  g_autofree char *boot_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(MmDownload) probe = new_segmented (f, 4);
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GArray) starts = NULL;
  guint64 trusted = same_boot ? 300 * KIB : 100 * KIB;

  if (same_boot)
    {
      g_assert_true (g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot_id, NULL,
                                          NULL));
      g_strstrip (boot_id);
    }
  else
    boot_id = g_strdup ("00000000-0000-0000-0000-000000000000");
  text = g_strdup_printf ("{\"repo\":\"%s\",\"revision\":\"main\",\"path\":\"%s\","
                          "\"size\":%u,\"sha256\":\"%s\",\"etag\":null,\"boot_id\":\"%s\","
                          "\"ranges\":[[0,%u]],\"synced\":[[0,%u]]}",
                          PICO, Q8, (guint) SIZE_Q8, sha256, boot_id, 300 * KIB, 100 * KIB);
  write_partial (f, probe, 300 * KIB, text);

  download = new_segmented (f, 1);
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, trusted);
  mm_download_start (download);
  wait_finished (download);

  assert_completed (f, download, PICO);
  starts = cdn_range_starts (f);
  g_assert_cmpint (g_array_index (starts, gint64, 0), ==, (gint64) trusted);
  finalize (g_steal_pointer (&probe));
  finalize (g_steal_pointer (&download));
}

/* Ranges that do not make sense (overlapping, past the end) keep nothing. */
static void
test_bad_ranges (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *sha256 = q8_sha256 (f);
  g_autofree char *text = NULL;
  g_autoptr(MmDownload) probe = new_segmented (f, 4);
  g_autoptr(MmDownload) download = NULL;

  text = g_strdup_printf ("{\"repo\":\"%s\",\"revision\":\"main\",\"path\":\"%s\","
                          "\"size\":%u,\"sha256\":\"%s\",\"ranges\":[[0,200],[100,300]],"
                          "\"synced\":[]}", PICO, Q8, (guint) SIZE_Q8, sha256);
  write_partial (f, probe, 300, text);

  download = new_segmented (f, 2);
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, 0);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), >=, SIZE_Q8);
  finalize (g_steal_pointer (&probe));
  finalize (g_steal_pointer (&download));
}

/* Two downloads of the same file at once: the second says that another
 * one is writing it and touches nothing; the first completes. */
static void
test_one_writer (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MmDownload) first = new_segmented (f, 4);
  g_autoptr(MmDownload) second = new_segmented (f, 4);

  mm_mock_hub_set_cdn_rate (f->hub, 200 * KIB);
  mm_download_start (first);
  wait_bytes (first, 50 * KIB);
  mm_download_start (second);
  wait_finished (second);

  assert_failed (second, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_BUSY);
  g_assert_true (exists (mm_download_get_partial_path (first)));

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  wait_finished (first);
  assert_completed (f, first, PICO);
  finalize (g_steal_pointer (&first));
  finalize (g_steal_pointer (&second));
}

/* Paused with four connections in flight and resumed: the ranges on disk
 * are kept, and the resume asks only for what is missing. */
static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);
  guint64 kept;

  mm_mock_hub_set_cdn_rate (f->hub, 100 * KIB);
  mm_download_start (download);
  wait_bytes (download, 150 * KIB);
  mm_download_pause (download);
  wait_state (download, MM_DOWNLOAD_STATE_PAUSED);
  kept = mm_test_partial_bytes (mm_download_get_partial_path (download));
  g_assert_cmpuint (kept, ==, mm_download_get_bytes_received (download));
  g_assert_cmpuint (kept, >=, 150 * KIB);

  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  assert_sent_about (f, SIZE_Q8 - kept);
  finalize (g_steal_pointer (&download));
}

/* The bandwidth limit holds for all connections together. */
static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);
  g_autoptr(GArray) starts = NULL;
  gint64 begin;
  double seconds;

  _mm_download_set_rate_limit (download, 200 * KIB);
  begin = g_get_monotonic_time ();
  mm_download_start (download);
  wait_finished (download);
  seconds = (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC;

  assert_completed (f, download, PICO);
  /* Several connections asked for pieces… */
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 4);
  /* …and together kept to the limit: 600 KiB at 200 KiB/s: 3 s, less the limiter's first burst. */
  g_test_message ("600 KiB at 200 KiB/s over 4 connections in %.2f s", seconds);
  g_assert_cmpfloat (seconds, >=, 2.5);
  finalize (g_steal_pointer (&download));
}

/* Cancelled with the partial deleted, connections in flight: nothing stays. */
static void
test_cancel_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MmDownload) download = new_segmented (f, 4);
  g_autofree char *sidecar = sidecar_path (download);

  mm_mock_hub_set_cdn_rate (f->hub, 100 * KIB);
  mm_download_start (download);
  wait_bytes (download, 100 * KIB);
  mm_download_cancel (download, TRUE);
  wait_finished (download);

  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_CANCELLED);
  g_assert_false (exists (mm_download_get_partial_path (download)));
  g_assert_false (exists (sidecar));
  g_assert_false (exists (mm_download_get_destination (download)));
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, 0);
  finalize (g_steal_pointer (&download));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add ("/mm/download-segmented/" path, Fixture, data, fixture_setup, func, \
              fixture_teardown)

  ADD ("parallel", test_parallel, NULL);
  ADD ("pause-resume", test_pause_resume, NULL);
  ADD ("rate-limit", test_rate_limit, NULL);
  ADD ("cancel-delete", test_cancel_delete, NULL);
  ADD ("fault/dropped", test_dropped, NULL);
  ADD ("fault/stalled", test_stalled, NULL);
  ADD ("fault/ranges-ignored", test_ranges_ignored, NULL);
  ADD ("fault/url-expired-in-flight", test_url_expired_in_flight, NULL);
  ADD ("fault/link-refused", test_link_refused, NULL);
  ADD ("fault/connection-limit", test_connection_limit, NULL);
  ADD ("fault/429", test_rate_limited, NULL);
  ADD ("fault/corrupt-range", test_corrupt_range, NULL);
  ADD ("fault/version-changed", test_version_changed, NULL);
  ADD ("fault/etag-changed", test_etag_changed, NULL);
  g_test_add_func ("/mm/download-segmented/fault/disk-full", test_disk_full);
  ADD ("resume/old-sidecar", test_old_sidecar, NULL);
  ADD ("resume/same-boot", test_boot_id, GINT_TO_POINTER (TRUE));
  ADD ("resume/after-reboot", test_boot_id, GINT_TO_POINTER (FALSE));
  ADD ("resume/bad-ranges", test_bad_ranges, NULL);
  ADD ("one-writer", test_one_writer, NULL);

#undef ADD

  return g_test_run ();
}
