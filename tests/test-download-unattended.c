/* test-download-unattended.c: downloads that wait for the network, a
 * metered link's end and their scheduled time, and wake-ups
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real transfers from the mock Hub's tiny-org/Pico-GGUF (Q8_0, 600 KiB),
 * slowed down with the mock's CDN rate so that the network can go away in
 * the middle. The manager gets a fake GNetworkMonitor and a fake wall
 * clock. The retry policy is made short (MM_TEST_RETRY_POLICY): an item
 * that burnt attempts while offline would give up within a fraction of
 * the time these tests keep it offline.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mm-core.h"
#include "mm-download-manager-private.h"
#include "mm-fake-network-monitor.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 30000
#define KIB ((guint64) 1024)
#define PICO "tiny-org/Pico-GGUF"
#define Q8_FILE "Pico-Q8_0.gguf"
/* Two attempts 50 ms apart, a 2 s stall timeout: gives up in well under a
 * second when nothing answers. */
#define SHORT_RETRY_POLICY "2,50,2"
/* An hour, in microseconds. */
#define HOUR_US ((gint64) 3600 * G_USEC_PER_SEC)

typedef struct {
  MmMockHub *hub;
  MmHubClient *client;
  MmModel *model;
  GPtrArray *quants;
  GNetworkMonitor *monitor;
  MmDownloadManager *manager;
  char *download_dir;
  gint64 now_us;                  /* the fake wall clock */
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now_us;
}

static MmQuant *
find_quant (Fixture    *fixture,
            const char *name)
{
  for (guint i = 0; i < fixture->quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (fixture->quants, i);

      if (g_str_equal (mm_quant_get_name (quant), name))
        return quant;
    }

  g_error ("no quantization %s", name);
  return NULL;
}

static MmDownloadManager *
manager_new (Fixture *fixture)
{
  MmDownloadManager *manager = mm_download_manager_new (fixture->client, fixture->download_dir,
                                                        NULL);
  g_autoptr(GError) error = NULL;

  mm_download_manager_set_network_monitor (manager, fixture->monitor);
  _mm_download_manager_set_clock (manager, fake_clock, fixture);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);

  return manager;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("MM_TEST_RETRY_POLICY", SHORT_RETRY_POLICY, TRUE);
  fixture->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  fixture->client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), NULL);
  fixture->model = mm_test_fetch_model (fixture->client, PICO);
  fixture->quants = mm_quant_group_files (mm_model_get_files (fixture->model), 0, NULL, NULL);
  fixture->download_dir = g_build_filename (g_get_user_cache_dir (), "Models", NULL);
  fixture->monitor = mm_fake_network_monitor_new ();
  fixture->now_us = g_get_real_time ();
  fixture->manager = manager_new (fixture);
  mm_mock_hub_reset_counters (fixture->hub);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->manager);
  mm_test_wait_until_sole_owner (fixture->client);
  g_clear_pointer (&fixture->quants, g_ptr_array_unref);
  g_assert_finalize_object (fixture->model);
  g_assert_finalize_object (fixture->client);
  g_assert_finalize_object (fixture->monitor);
  mm_mock_hub_stop (fixture->hub);
  g_assert_finalize_object (fixture->hub);
  g_free (fixture->download_dir);
}

static MmFakeNetworkMonitor *
fake_monitor (Fixture *fixture)
{
  return MM_FAKE_NETWORK_MONITOR (fixture->monitor);
}

static MmDownloadItem *
add_q8 (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  MmDownloadItem *item;

  item = _mm_download_manager_add_quant (fixture->manager, fixture->model,
                                         find_quant (fixture, "Q8_0"), &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

typedef struct {
  MmDownloadItem *item;
  MmDownloadItemState state;
  MmDownloadItemWait reason;
  guint64 bytes;
} Wait;

static gboolean
state_reached (gpointer data)
{
  Wait *wait = data;

  return mm_download_item_get_state (wait->item) == wait->state &&
         mm_download_item_get_wait_reason (wait->item) == wait->reason;
}

static void
wait_for_state (MmDownloadItem      *item,
                MmDownloadItemState  state,
                MmDownloadItemWait   reason)
{
  Wait wait = { item, state, reason, 0 };

  mm_test_wait_until (state_reached, &wait, TIMEOUT_MS);
}

static void
wait_for_waiting (MmDownloadItem     *item,
                  MmDownloadItemWait  reason)
{
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_WAITING, reason);
}

static void
wait_for_completed (MmDownloadItem *item)
{
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, MM_DOWNLOAD_ITEM_WAIT_NONE);
}

static gboolean
bytes_reached (gpointer data)
{
  Wait *wait = data;

  return mm_download_item_get_bytes_received (wait->item) >= wait->bytes;
}

static void
wait_for_bytes (MmDownloadItem *item,
                guint64         bytes)
{
  Wait wait = { item, 0, 0, bytes };

  mm_test_wait_until (bytes_reached, &wait, TIMEOUT_MS);
}

/* Every state the item goes through, as "downloading waiting completed". */
static void
record_state_cb (MmDownloadItem *item,
                 GParamSpec     *pspec,
                 GString        *states)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_STATE);
  MmDownloadItemState state = mm_download_item_get_state (item);
  const char *nick = g_enum_get_value (klass, state)->value_nick;

  if (state == MM_DOWNLOAD_ITEM_STATE_VERIFYING)
    return;
  if (states->len > 0 && g_str_has_suffix (states->str, nick))
    return;
  if (states->len > 0)
    g_string_append_c (states, ' ');
  g_string_append (states, nick);
}

static GString *
record_states (MmDownloadItem *item)
{
  GString *states = g_string_new (NULL);

  record_state_cb (item, NULL, states);
  g_signal_connect (item, "notify::state", G_CALLBACK (record_state_cb), states);
  return states;
}

static void
stop_recording (MmDownloadItem *item,
                GString        *states)
{
  g_signal_handlers_disconnect_by_data (item, states);
  g_string_free (states, TRUE);
}

static void
assert_q8_matches_catalog (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->download_dir, "tiny-org", "Pico-GGUF",
                                            Q8_FILE, NULL);

  mm_test_assert_file_is (fixture->hub, PICO, Q8_FILE, path);
}

/* The offset of the last CDN GET's Range ("bytes=N-"), 0 without one. */
static guint64
last_range_start (MmMockHub *hub)
{
  g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (hub);
  guint n = ranges ? g_strv_length (ranges) : 0;

  g_assert_cmpuint (n, >, 0);
  if (!g_str_has_prefix (ranges[n - 1], "bytes="))
    return 0;
  return g_ascii_strtoull (ranges[n - 1] + strlen ("bytes="), NULL, 10);
}

/* The network */

static void
test_network_lost (Fixture       *fixture,
                   gconstpointer  data)
{
  MmDownloadItem *item;
  GString *states;
  guint requests;
  guint64 kept;

  mm_mock_hub_set_cdn_rate (fixture->hub, 200 * KIB);
  item = add_q8 (fixture);
  states = record_states (item);
  wait_for_bytes (item, 100 * KIB);

  /* The cable is pulled, and the CDN would refuse anything anyway. */
  mm_fake_network_monitor_set_available (fake_monitor (fixture), FALSE);
  mm_mock_hub_cdn_fail_next (fixture->hub, 503, MM_MOCK_HUB_ALWAYS);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_NETWORK);
  g_assert_false (mm_download_manager_get_network_available (fixture->manager));
  g_assert_cmpuint (mm_download_manager_get_active_count (fixture->manager), ==, 0);
  g_assert_cmpuint (mm_download_manager_get_waiting_count (fixture->manager), ==, 1);
  g_assert_null (mm_download_item_get_error (item));
  kept = mm_download_item_get_bytes_received (item);
  g_assert_cmpuint (kept, >=, 100 * KIB);

  /* Many times the retry horizon: no request, no attempt, no give-up. */
  requests = mm_mock_hub_get_request_count (fixture->hub, NULL);
  mm_test_wait_ms (1500);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, requests);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), ==, kept);

  /* Back: it goes on from the bytes on disk by itself. */
  mm_mock_hub_cdn_fail_next (fixture->hub, 503, 0);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_fake_network_monitor_set_available (fake_monitor (fixture), TRUE);
  wait_for_completed (item);
  g_assert_cmpuint (last_range_start (fixture->hub), >=, kept);
  assert_q8_matches_catalog (fixture);
  g_assert_cmpstr (states->str, ==, "downloading waiting queued downloading completed");
  stop_recording (item, states);
}

static void
test_queued_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  MmDownloadItem *item;

  mm_fake_network_monitor_set_available (fake_monitor (fixture), FALSE);
  item = add_q8 (fixture);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_NETWORK);

  mm_test_wait_ms (500);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);

  mm_fake_network_monitor_set_available (fake_monitor (fixture), TRUE);
  wait_for_completed (item);
  assert_q8_matches_catalog (fixture);
}

/* A wait that the user pauses stays paused when the network comes back. */
static void
test_paused_stays_paused (Fixture       *fixture,
                          gconstpointer  data)
{
  MmDownloadItem *item;

  mm_fake_network_monitor_set_available (fake_monitor (fixture), FALSE);
  item = add_q8 (fixture);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_NETWORK);
  mm_download_item_pause (item);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  g_assert_cmpint (mm_download_item_get_wait_reason (item), ==, MM_DOWNLOAD_ITEM_WAIT_NONE);

  mm_fake_network_monitor_set_available (fake_monitor (fixture), TRUE);
  mm_test_wait_ms (300);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);
}

/* Metered links */

static void
test_metered_pauses (Fixture       *fixture,
                     gconstpointer  data)
{
  MmMeteredPolicy policy = GPOINTER_TO_INT (data);
  MmDownloadItem *item;
  guint64 kept;

  mm_download_manager_set_metered_policy (fixture->manager, policy);
  mm_mock_hub_set_cdn_rate (fixture->hub, 200 * KIB);
  item = add_q8 (fixture);
  wait_for_bytes (item, 100 * KIB);

  mm_fake_network_monitor_set_metered (fake_monitor (fixture), TRUE);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_METERED);
  g_assert_true (mm_download_manager_get_network_metered (fixture->manager));
  kept = mm_download_item_get_bytes_received (item);

  mm_test_wait_ms (500);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);

  /* The phone hotspot is gone: the item goes on by itself. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_fake_network_monitor_set_metered (fake_monitor (fixture), FALSE);
  wait_for_completed (item);
  g_assert_cmpuint (last_range_start (fixture->hub), >=, kept);
  assert_q8_matches_catalog (fixture);
}

static void
test_metered_continue (Fixture       *fixture,
                       gconstpointer  data)
{
  MmDownloadItem *item;
  GString *states;

  mm_download_manager_set_metered_policy (fixture->manager, MM_METERED_POLICY_CONTINUE);
  mm_fake_network_monitor_set_metered (fake_monitor (fixture), TRUE);
  item = add_q8 (fixture);
  states = record_states (item);
  wait_for_completed (item);
  g_assert_cmpstr (states->str, ==, "downloading completed");
  assert_q8_matches_catalog (fixture);
  stop_recording (item, states);
}

/* "Resume Anyway": the user's word beats the setting. */
static void
test_metered_resume_anyway (Fixture       *fixture,
                            gconstpointer  data)
{
  MmDownloadItem *item;

  mm_fake_network_monitor_set_metered (fake_monitor (fixture), TRUE);
  item = add_q8 (fixture);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_METERED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);

  mm_download_item_resume (item);
  g_assert_true (mm_download_item_get_allow_metered (item));
  wait_for_completed (item);
  g_assert_true (mm_download_manager_get_network_metered (fixture->manager));
  assert_q8_matches_catalog (fixture);
}

/* A new policy applies at once to items that wait. */
static void
test_metered_policy_change (Fixture       *fixture,
                            gconstpointer  data)
{
  MmDownloadItem *item;

  mm_download_manager_set_metered_policy (fixture->manager, MM_METERED_POLICY_PAUSE);
  mm_fake_network_monitor_set_metered (fake_monitor (fixture), TRUE);
  item = add_q8 (fixture);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_METERED);

  mm_download_manager_set_metered_policy (fixture->manager, MM_METERED_POLICY_CONTINUE);
  wait_for_completed (item);
  g_assert_false (mm_download_item_get_allow_metered (item));
}

/* Schedules */

static GDateTime *
fake_date (Fixture *fixture,
           gint64   offset_us)
{
  gint64 us = fixture->now_us + offset_us;

  return g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
}

static MmDownloadItem *
add_q8_later (Fixture   *fixture,
              GDateTime *start,
              GDateTime *end)
{
  g_autoptr(GError) error = NULL;
  MmDownloadItem *item;

  item = mm_download_manager_add_quant_later (fixture->manager, fixture->model,
                                              find_quant (fixture, "Q8_0"), start, end, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

static void
test_scheduled_start (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) start = fake_date (fixture, HOUR_US);
  MmDownloadItem *item;

  item = add_q8_later (fixture, start, NULL);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_cmpint (mm_download_item_get_wait_reason (item), ==, MM_DOWNLOAD_ITEM_WAIT_SCHEDULE);
  g_assert_true (g_date_time_equal (mm_download_item_get_scheduled_start (item), start));
  g_assert_cmpuint (mm_download_manager_get_active_count (fixture->manager), ==, 0);

  /* A minute early: still waiting, nothing asked of the Hub. */
  fixture->now_us += HOUR_US - 60 * G_USEC_PER_SEC;
  _mm_download_manager_check_clock (fixture->manager);
  mm_test_wait_ms (300);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);

  /* Its time: it starts. */
  fixture->now_us += 61 * G_USEC_PER_SEC;
  _mm_download_manager_check_clock (fixture->manager);
  wait_for_completed (item);
  assert_q8_matches_catalog (fixture);
}

/* The schedule is saved: a new session (the app restarted) still waits. */
static void
test_scheduled_survives_restart (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GDateTime) start = fake_date (fixture, 2 * HOUR_US);
  g_autoptr(GDateTime) end = fake_date (fixture, 5 * HOUR_US);
  g_autoptr(MmDownloadItem) restored = NULL;

  add_q8_later (fixture, start, end);
  g_clear_object (&fixture->manager);

  fixture->manager = manager_new (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->manager)), ==, 1);
  restored = g_list_model_get_item (G_LIST_MODEL (fixture->manager), 0);
  g_assert_cmpint (mm_download_item_get_state (restored), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_cmpint (mm_download_item_get_wait_reason (restored), ==,
                   MM_DOWNLOAD_ITEM_WAIT_SCHEDULE);
  g_assert_true (g_date_time_equal (mm_download_item_get_scheduled_start (restored), start));
  g_assert_true (g_date_time_equal (mm_download_item_get_scheduled_end (restored), end));

  mm_test_wait_ms (300);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);

  /* After a suspend the clock is simply later: it starts at the next look. */
  fixture->now_us += 3 * HOUR_US;
  _mm_download_manager_check_clock (fixture->manager);
  wait_for_completed (restored);
  assert_q8_matches_catalog (fixture);
}

/* At the end of its window an unfinished item waits for tomorrow's. */
static void
test_scheduled_window_ends (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) start = fake_date (fixture, -HOUR_US);
  g_autoptr(GDateTime) end = fake_date (fixture, HOUR_US);
  g_autoptr(GDateTime) next_start = NULL;
  MmDownloadItem *item;
  guint64 kept;

  mm_mock_hub_set_cdn_rate (fixture->hub, 200 * KIB);
  item = add_q8_later (fixture, start, end);
  wait_for_bytes (item, 100 * KIB);

  fixture->now_us += HOUR_US;
  _mm_download_manager_check_clock (fixture->manager);
  wait_for_waiting (item, MM_DOWNLOAD_ITEM_WAIT_SCHEDULE);
  kept = mm_download_item_get_bytes_received (item);
  g_assert_cmpuint (kept, >=, 100 * KIB);

  next_start = g_date_time_add_days (start, 1);
  g_assert_cmpint (g_date_time_to_unix (mm_download_item_get_scheduled_start (item)), ==,
                   g_date_time_to_unix (next_start));
  g_assert_cmpint (g_date_time_to_unix (mm_download_item_get_scheduled_end (item)) -
                   g_date_time_to_unix (mm_download_item_get_scheduled_start (item)), ==,
                   2 * 3600);

  /* Tomorrow's window. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  fixture->now_us += 23 * HOUR_US + 60 * G_USEC_PER_SEC;
  _mm_download_manager_check_clock (fixture->manager);
  wait_for_completed (item);
  g_assert_cmpuint (last_range_start (fixture->hub), >=, kept);
  assert_q8_matches_catalog (fixture);
}

/* "Start Now" on a scheduled item forgets the schedule. */
static void
test_scheduled_start_now (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GDateTime) start = fake_date (fixture, HOUR_US);
  MmDownloadItem *item;

  item = add_q8_later (fixture, start, NULL);
  g_assert_cmpint (mm_download_item_get_wait_reason (item), ==, MM_DOWNLOAD_ITEM_WAIT_SCHEDULE);
  mm_download_item_resume (item);
  g_assert_null (mm_download_item_get_scheduled_start (item));
  wait_for_completed (item);
}

/* Wake-ups and network changes */

static guint
cdn_gets (MmMockHub *hub)
{
  g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (hub);

  return ranges ? g_strv_length (ranges) : 0;
}

typedef struct {
  MmMockHub *hub;
  guint gets;
} CdnGets;

/* The first GET got its 100 KiB and the CDN went silent. */
static gboolean
cdn_stalled (gpointer data)
{
  return mm_mock_hub_get_cdn_bytes_sent (data) >= 100 * KIB;
}

static gboolean
more_cdn_gets (gpointer data)
{
  CdnGets *wait = data;

  return cdn_gets (wait->hub) > wait->gets;
}

/* A connection that went silent over a suspend is replaced at once, not
 * after the stall timeout (a minute here, longer than the test waits). */
static void
test_wake_reconnects (Fixture       *fixture,
                      gconstpointer  data)
{
  MmDownloadItem *item;
  CdnGets wait;
  gint64 started;

  g_setenv ("MM_TEST_RETRY_POLICY", "3,50,60", TRUE);
  mm_mock_hub_set_cdn_stall_after (fixture->hub, 100 * KIB, 1);
  item = add_q8 (fixture);
  mm_test_wait_until (cdn_stalled, fixture->hub, TIMEOUT_MS);
  mm_test_wait_ms (200);
  wait = (CdnGets) { fixture->hub, cdn_gets (fixture->hub) };

  /* The computer slept for eight hours: the wall clock jumped ahead of
   * the monotonic one. */
  started = g_get_monotonic_time ();
  fixture->now_us += 8 * HOUR_US;
  _mm_download_manager_check_clock (fixture->manager);
  mm_test_wait_until (more_cdn_gets, &wait, 10000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  wait_for_completed (item);
  assert_q8_matches_catalog (fixture);
}

/* Another network (the laptop moved): transfers that stopped moving get
 * new connections a few seconds later. */
static void
test_network_change_reconnects (Fixture       *fixture,
                                gconstpointer  data)
{
  MmDownloadItem *item;
  CdnGets wait;

  g_setenv ("MM_TEST_RETRY_POLICY", "3,50,60", TRUE);
  mm_mock_hub_set_cdn_stall_after (fixture->hub, 100 * KIB, 1);
  item = add_q8 (fixture);
  mm_test_wait_until (cdn_stalled, fixture->hub, TIMEOUT_MS);
  wait = (CdnGets) { fixture->hub, cdn_gets (fixture->hub) };

  mm_fake_network_monitor_change (fake_monitor (fixture));
  mm_test_wait_until (more_cdn_gets, &wait, 10000);
  wait_for_completed (item);
  assert_q8_matches_catalog (fixture);
}

/* The "Download later" window */

static void
assert_window (const char *now_text,
               guint       start_minute,
               guint       end_minute,
               const char *want_start,
               const char *want_end)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (now_text, utc);
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;

  g_assert_nonnull (now);
  start = mm_download_window_next_start (now, start_minute, end_minute, &end);
  start_text = g_date_time_format (start, "%F %R");
  g_assert_cmpstr (start_text, ==, want_start);
  if (want_end == NULL)
    {
      g_assert_null (end);
      return;
    }
  end_text = g_date_time_format (end, "%F %R");
  g_assert_cmpstr (end_text, ==, want_end);
}

static void
test_window_next_start (void)
{
  /* 01:00–07:00 */
  assert_window ("2026-03-10T00:30:00", 60, 420, "2026-03-10 01:00", "2026-03-10 07:00");
  assert_window ("2026-03-10T03:00:00", 60, 420, "2026-03-10 01:00", "2026-03-10 07:00");
  assert_window ("2026-03-10T07:00:00", 60, 420, "2026-03-11 01:00", "2026-03-11 07:00");
  assert_window ("2026-03-10T18:00:00", 60, 420, "2026-03-11 01:00", "2026-03-11 07:00");
  /* 23:00–02:00, across midnight */
  assert_window ("2026-03-10T01:00:00", 1380, 120, "2026-03-09 23:00", "2026-03-10 02:00");
  assert_window ("2026-03-10T22:00:00", 1380, 120, "2026-03-10 23:00", "2026-03-11 02:00");
  assert_window ("2026-03-10T23:30:00", 1380, 120, "2026-03-10 23:00", "2026-03-11 02:00");
  assert_window ("2026-03-31T02:00:00", 1380, 120, "2026-03-31 23:00", "2026-04-01 02:00");
  /* From 01:00 with no end */
  assert_window ("2026-03-10T00:30:00", 60, 60, "2026-03-10 01:00", NULL);
  assert_window ("2026-03-10T02:00:00", 60, 60, "2026-03-11 01:00", NULL);
  /* The last day of the year */
  assert_window ("2026-12-31T20:00:00", 60, 420, "2027-01-01 01:00", "2027-01-01 07:00");
}

#define add_test(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  /* Local time is UTC, so that the window arithmetic reads plainly. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_test ("/mm/unattended/network/lost", test_network_lost, NULL);
  add_test ("/mm/unattended/network/queued-offline", test_queued_offline, NULL);
  add_test ("/mm/unattended/network/paused-stays-paused", test_paused_stays_paused, NULL);
  add_test ("/mm/unattended/network/change-reconnects", test_network_change_reconnects, NULL);
  add_test ("/mm/unattended/wake-reconnects", test_wake_reconnects, NULL);
  add_test ("/mm/unattended/metered/ask", test_metered_pauses,
            GINT_TO_POINTER (MM_METERED_POLICY_ASK));
  add_test ("/mm/unattended/metered/pause", test_metered_pauses,
            GINT_TO_POINTER (MM_METERED_POLICY_PAUSE));
  add_test ("/mm/unattended/metered/continue", test_metered_continue, NULL);
  add_test ("/mm/unattended/metered/resume-anyway", test_metered_resume_anyway, NULL);
  add_test ("/mm/unattended/metered/policy-change", test_metered_policy_change, NULL);
  add_test ("/mm/unattended/schedule/start", test_scheduled_start, NULL);
  add_test ("/mm/unattended/schedule/survives-restart", test_scheduled_survives_restart, NULL);
  add_test ("/mm/unattended/schedule/window-ends", test_scheduled_window_ends, NULL);
  add_test ("/mm/unattended/schedule/start-now", test_scheduled_start_now, NULL);
  g_test_add_func ("/mm/unattended/schedule/next-window", test_window_next_start);

  return g_test_run ();
}
