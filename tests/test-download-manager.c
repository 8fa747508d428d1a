/* test-download-manager.c: the download queue, its items and its state file
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real transfers from the mock Hub's tiny-org/Pico-GGUF (Q4_K_M 300 KiB,
 * Q8_0 600 KiB, Q2_K split in 2 × 200 KiB), slowed down with the mock's
 * CDN rate where a test needs to act mid-transfer. Every test runs with
 * its own XDG folders, so the default state file is per test.
 *
 * The crash test runs this binary again with --download-child: the child
 * queues a slow download and waits forever; the parent kills it with
 * SIGKILL once the partial file has grown, then restores the list.
 */
#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "mm-core.h"
#include "mm-download-item-private.h"
#include "mm-download-manager-private.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 30000
#define KIB ((guint64) 1024)
#define PICO "tiny-org/Pico-GGUF"
#define CHILD_ARG "--download-child"

typedef struct {
  MmMockHub *hub;
  MmHubClient *client;
  MmModel *model;
  GPtrArray *quants;
  char *download_dir;
  char *state_file;
} Fixture;

/* Helpers */

static MmModel *
fetch_model (MmHubClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MmModel *model;

  mm_hub_client_model_info_async (client, PICO, NULL, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  model = mm_hub_client_model_info_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);

  return model;
}

static MmQuant *
find_quant (GPtrArray  *quants,
            const char *name)
{
  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (quants, i);

      if (g_str_equal (mm_quant_get_name (quant), name))
        return quant;
    }

  g_error ("no quantization %s", name);
  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  fixture->client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), NULL);
  fixture->model = fetch_model (fixture->client);
  fixture->quants = mm_quant_group_files (mm_model_get_files (fixture->model), 0, NULL, NULL);
  fixture->download_dir = g_build_filename (g_get_user_cache_dir (), "Models", NULL);
  fixture->state_file = g_build_filename (g_get_user_data_dir (), "model-manager",
                                          "downloads.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mm_test_wait_until_sole_owner (fixture->client);
  g_clear_pointer (&fixture->quants, g_ptr_array_unref);
  g_assert_finalize_object (fixture->model);
  g_assert_finalize_object (fixture->client);
  mm_mock_hub_stop (fixture->hub);
  g_assert_finalize_object (fixture->hub);
  g_free (fixture->download_dir);
  g_free (fixture->state_file);
}

/* Records every item's states as "queued downloading completed", from the
 * moment it enters the list. VERIFYING is a phase the engine may or may not
 * show for tiny files, so it is left out. */
static void
record_state_cb (MmDownloadItem *item,
                 GParamSpec     *pspec,
                 GString        *states)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_STATE);
  MmDownloadItemState state = mm_download_item_get_state (item);
  const char *nick = g_enum_get_value (klass, state)->value_nick;
  const char *last = strrchr (states->str, ' ');

  if (state == MM_DOWNLOAD_ITEM_STATE_VERIFYING)
    return;
  last = last ? last + 1 : states->str;
  if (g_str_equal (last, nick))
    return;
  if (states->len > 0)
    g_string_append_c (states, ' ');
  g_string_append (states, nick);
}

static void
free_string (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(MmDownloadItem) item = g_list_model_get_item (model, i);
      GString *states = g_string_new (NULL);

      if (g_object_get_data (G_OBJECT (item), "test-states") != NULL)
        continue;
      g_object_set_data_full (G_OBJECT (item), "test-states", states, free_string);
      record_state_cb (item, NULL, states);
      g_signal_connect (item, "notify::state", G_CALLBACK (record_state_cb), states);
    }
}

static const char *
states_of (MmDownloadItem *item)
{
  GString *states = g_object_get_data (G_OBJECT (item), "test-states");

  g_assert_nonnull (states);
  return states->str;
}

static MmDownloadManager *
manager_new (Fixture  *fixture,
             gboolean  auto_resume)
{
  MmDownloadManager *manager = mm_download_manager_new (fixture->client, fixture->download_dir,
                                                        NULL);

  mm_download_manager_set_auto_resume (manager, auto_resume);
  g_signal_connect (manager, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  return manager;
}

static MmDownloadItem *
add_quant (Fixture           *fixture,
           MmDownloadManager *manager,
           const char        *name)
{
  g_autoptr(GError) error = NULL;
  MmDownloadItem *item;

  item = _mm_download_manager_add_quant (manager, fixture->model,
                                         find_quant (fixture->quants, name), &error);
  g_assert_no_error (error);
  g_assert_true (MM_IS_DOWNLOAD_ITEM (item));

  return item;
}

typedef struct {
  MmDownloadItem *item;
  MmDownloadItemState state;
  guint64 bytes;
} Wait;

static gboolean
state_reached (gpointer data)
{
  Wait *wait = data;

  return mm_download_item_get_state (wait->item) == wait->state;
}

static void
wait_for_state (MmDownloadItem      *item,
                MmDownloadItemState  state)
{
  Wait wait = { item, state, 0 };

  mm_test_wait_until (state_reached, &wait, TIMEOUT_MS);
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
  Wait wait = { item, 0, bytes };

  mm_test_wait_until (bytes_reached, &wait, TIMEOUT_MS);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
pico_path (Fixture    *fixture,
           const char *file)
{
  return g_build_filename (fixture->download_dir, "tiny-org", "Pico-GGUF", file, NULL);
}

static void
assert_file_matches_catalog (Fixture    *fixture,
                             const char *file)
{
  g_autofree char *path = pico_path (fixture, file);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 0;
  gsize len = 0;

  g_assert_true (mm_mock_hub_lookup_file (fixture->hub, PICO, file, &size, &expected));
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, size);
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (actual, ==, expected);
}

static JsonObject *
read_state_file (Fixture    *fixture,
                 JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, fixture->state_file, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

static guint64
first_range_start (MmMockHub *hub)
{
  g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (hub);

  g_assert_nonnull (ranges);
  g_assert_nonnull (ranges[0]);
  g_assert_true (g_str_has_prefix (ranges[0], "bytes="));
  return g_ascii_strtoull (ranges[0] + strlen ("bytes="), NULL, 10);
}

/* The queue */

typedef struct {
  MmDownloadItem *items[3];
  guint max_active;
  guint max_active_count;
  gboolean third_started;
  gboolean third_started_after_one_finished;
} Concurrency;

static gboolean
is_active_state (MmDownloadItem *item)
{
  MmDownloadItemState state = mm_download_item_get_state (item);

  return state == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING ||
         state == MM_DOWNLOAD_ITEM_STATE_RETRYING ||
         state == MM_DOWNLOAD_ITEM_STATE_VERIFYING;
}

static void
concurrency_state_cb (MmDownloadItem *item,
                      GParamSpec     *pspec,
                      Concurrency    *c)
{
  guint active = 0;

  for (guint i = 0; i < G_N_ELEMENTS (c->items); i++)
    if (c->items[i] != NULL && is_active_state (c->items[i]))
      active++;
  c->max_active = MAX (c->max_active, active);

  if (item == c->items[2] && is_active_state (item) && !c->third_started)
    {
      c->third_started = TRUE;
      c->third_started_after_one_finished =
        mm_download_item_get_state (c->items[0]) == MM_DOWNLOAD_ITEM_STATE_COMPLETED ||
        mm_download_item_get_state (c->items[1]) == MM_DOWNLOAD_ITEM_STATE_COMPLETED;
    }
}

static void
active_count_cb (MmDownloadManager *manager,
                 GParamSpec        *pspec,
                 Concurrency       *c)
{
  c->max_active_count = MAX (c->max_active_count,
                             mm_download_manager_get_active_count (manager));
}

static gboolean
all_completed (gpointer data)
{
  Concurrency *c = data;

  for (guint i = 0; i < G_N_ELEMENTS (c->items); i++)
    if (mm_download_item_get_state (c->items[i]) != MM_DOWNLOAD_ITEM_STATE_COMPLETED)
      return FALSE;
  return TRUE;
}

static void
test_concurrency_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  Concurrency c = { 0 };
  const char *names[] = { "Q4_K_M", "Q8_0", "Q2_K" };

  g_assert_cmpuint (mm_download_manager_get_max_concurrent (manager), ==, 2);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (manager)) == MM_TYPE_DOWNLOAD_ITEM);
  g_signal_connect (manager, "notify::active-count", G_CALLBACK (active_count_cb), &c);
  mm_mock_hub_set_cdn_rate (fixture->hub, 400 * KIB);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      c.items[i] = add_quant (fixture, manager, names[i]);
      g_signal_connect (c.items[i], "notify::state", G_CALLBACK (concurrency_state_cb), &c);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 3);
  g_assert_cmpint (mm_download_item_get_state (c.items[0]), ==, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  g_assert_cmpint (mm_download_item_get_state (c.items[1]), ==, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  g_assert_cmpint (mm_download_item_get_state (c.items[2]), ==, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 2);

  mm_test_wait_until (all_completed, &c, TIMEOUT_MS);

  g_assert_cmpuint (c.max_active, ==, 2);
  g_assert_cmpuint (c.max_active_count, ==, 2);
  g_assert_true (c.third_started);
  g_assert_true (c.third_started_after_one_finished);
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (states_of (c.items[i]), ==, "queued downloading completed");
  assert_file_matches_catalog (fixture, "Pico-Q4_K_M.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00001-of-00002.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00002-of-00002.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* Item states */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_item_complete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autofree char *destination = pico_path (fixture, "Pico-Q4_K_M.gguf");
  g_autofree char *folder = g_build_filename (fixture->download_dir, "tiny-org", "Pico-GGUF",
                                              NULL);
  MmDownloadItem *item;
  MmDownload *download;
  guint item_notifies = 0;
  guint download_notifies = 0;

  mm_mock_hub_set_cdn_rate (fixture->hub, 600 * KIB);
  item = add_quant (fixture, manager, "Q4_K_M");
  download = g_ptr_array_index (mm_download_item_get_downloads (item), 0);
  g_signal_connect (item, "notify::bytes-received", G_CALLBACK (count_notify_cb), &item_notifies);
  g_signal_connect (download, "notify::bytes-received", G_CALLBACK (count_notify_cb),
                    &download_notifies);

  g_assert_cmpstr (mm_download_item_get_title (item), ==, "Pico-GGUF");
  g_assert_cmpstr (mm_download_item_get_subtitle (item), ==, "Q4_K_M");
  g_assert_cmpstr (mm_download_item_get_quant_name (item), ==, "Q4_K_M");
  g_assert_cmpstr (mm_download_item_get_repo_id (item), ==, PICO);
  g_assert_cmpstr (_mm_download_item_get_revision (item), ==, mm_model_get_sha (fixture->model) ?
                   mm_model_get_sha (fixture->model) : "main");
  g_assert_cmpstr (mm_download_item_get_folder (item), ==, folder);
  g_assert_cmpstr (mm_download_item_get_destination (item), ==, destination);
  g_assert_cmpuint (mm_download_item_get_total_bytes (item), ==, 300 * KIB);
  g_assert_nonnull (mm_download_item_get_created (item));
  g_assert_null (mm_download_item_get_finished (item));
  g_assert_true (mm_download_manager_find (manager, PICO, "Q4_K_M") == item);

  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpstr (states_of (item), ==, "queued downloading completed");
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), ==, 300 * KIB);
  g_assert_cmpfloat (mm_download_item_get_fraction (item), ==, 1.0);
  g_assert_cmpfloat (mm_download_item_get_speed (item), ==, 0.0);
  g_assert_cmpint (mm_download_item_get_eta (item), ==, -1);
  g_assert_null (mm_download_item_get_error (item));
  g_assert_nonnull (mm_download_item_get_finished (item));
  g_assert_true (mm_download_item_is_finished (item));
  /* The item passes progress on; it never adds notifications. */
  g_assert_cmpuint (item_notifies, >, 0);
  g_assert_cmpuint (item_notifies, <=, download_notifies);
  assert_file_matches_catalog (fixture, "Pico-Q4_K_M.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* item-state-changed: one emission per transition, with the state before. */

static const char *
state_nick (MmDownloadItemState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_STATE);

  return g_enum_get_value (klass, state)->value_nick;
}

static void
record_transition_cb (MmDownloadManager   *manager,
                      MmDownloadItem      *item,
                      MmDownloadItemState  old_state,
                      gpointer             user_data)
{
  GString *transitions = g_object_get_data (G_OBJECT (item), "test-transitions");

  if (transitions == NULL)
    {
      transitions = g_string_new (NULL);
      g_object_set_data_full (G_OBJECT (item), "test-transitions", transitions, free_string);
    }
  if (transitions->len > 0)
    g_string_append_c (transitions, ' ');
  g_string_append_printf (transitions, "%s>%s", state_nick (old_state),
                          state_nick (mm_download_item_get_state (item)));
}

static const char *
transitions_of (MmDownloadItem *item)
{
  GString *transitions = g_object_get_data (G_OBJECT (item), "test-transitions");

  return transitions != NULL ? transitions->str : "";
}

/* Checks that "a>b b>c c>d" chains, starts at @first and ends at @last. */
static void
assert_transitions_chain (const char *transitions,
                          const char *first,
                          const char *last)
{
  g_auto(GStrv) steps = g_strsplit (transitions, " ", -1);
  g_autofree char *from = g_strdup (first);

  g_assert_cmpuint (g_strv_length (steps), >, 0);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (steps[i], ">", 2);

      g_assert_cmpuint (g_strv_length (pair), ==, 2);
      g_assert_cmpstr (pair[0], ==, from);
      g_assert_cmpstr (pair[0], !=, pair[1]);
      g_free (from);
      from = g_strdup (pair[1]);
    }
  g_assert_cmpstr (from, ==, last);
}

static void
test_item_state_changed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  MmDownloadItem *first;
  MmDownloadItem *second;
  g_autoptr(MmDownloadItem) third = NULL;
  guint n_notifies = 0;

  g_signal_connect (manager, "item-state-changed", G_CALLBACK (record_transition_cb), NULL);
  mm_download_manager_set_max_concurrent (manager, 1);
  mm_mock_hub_set_cdn_rate (fixture->hub, 200 * KIB);
  first = add_quant (fixture, manager, "Q8_0");
  second = add_quant (fixture, manager, "Q4_K_M");
  wait_for_bytes (first, 50 * KIB);
  g_assert_cmpint (mm_download_item_get_state (second), ==, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  g_assert_cmpstr (transitions_of (second), ==, "");

  /* Paused and queued again within one freeze: the item notifies :state,
   * but it ends where it began, and that is no transition. */
  g_signal_connect (second, "notify::state", G_CALLBACK (count_notify_cb), &n_notifies);
  g_object_freeze_notify (G_OBJECT (second));
  mm_download_item_pause (second);
  mm_download_item_resume (second);
  g_object_thaw_notify (G_OBJECT (second));
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpstr (transitions_of (second), ==, "");

  /* One emission per transition, and none for a pause of a paused item. */
  mm_download_item_pause (second);
  g_assert_cmpstr (transitions_of (second), ==, "queued>paused");
  mm_download_item_pause (second);
  g_assert_cmpstr (transitions_of (second), ==, "queued>paused");
  mm_download_item_resume (second);
  g_assert_cmpstr (transitions_of (second), ==, "queued>paused paused>queued");

  /* A removed item is no longer reported, not even the cancel of its
   * removal. */
  third = g_object_ref (add_quant (fixture, manager, "Q2_K"));
  mm_download_manager_remove (manager, third);
  g_assert_cmpint (mm_download_item_get_state (third), ==, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
  g_assert_cmpstr (transitions_of (third), ==, "");

  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  wait_for_state (first, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  wait_for_state (second, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  assert_transitions_chain (transitions_of (first), "queued", "completed");
  assert_transitions_chain (transitions_of (second), "queued", "completed");
  g_assert_true (g_str_has_prefix (transitions_of (first), "queued>downloading"));
  g_assert_true (g_str_has_prefix (transitions_of (second),
                                   "queued>paused paused>queued queued>downloading"));

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_item_pause_resume (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autofree char *destination = pico_path (fixture, "Pico-Q8_0.gguf");
  g_autofree char *partial = g_strconcat (destination, ".part", NULL);
  MmDownloadItem *item;
  guint64 paused_bytes;

  mm_mock_hub_set_cdn_rate (fixture->hub, 200 * KIB);
  item = add_quant (fixture, manager, "Q8_0");
  wait_for_bytes (item, 50 * KIB);

  mm_download_item_pause (item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);
  g_assert_cmpfloat (mm_download_item_get_speed (item), ==, 0.0);
  paused_bytes = mm_download_item_get_bytes_received (item);
  g_assert_cmpuint (paused_bytes, >=, 50 * KIB);
  g_assert_cmpuint (paused_bytes, <, 600 * KIB);
  g_assert_cmpuint (mm_test_partial_bytes (partial), ==, paused_bytes);
  g_assert_null (mm_download_item_get_finished (item));

  /* Paused means paused. */
  spin (300);
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), ==, paused_bytes);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);

  mm_mock_hub_reset_counters (fixture->hub);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_download_item_resume (item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpstr (states_of (item), ==,
                   "queued downloading paused queued downloading completed");
  /* It went on from the partial file instead of starting over. */
  g_assert_cmpuint (first_range_start (fixture->hub), ==, paused_bytes);
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* A resume while the pause is still landing: the item must carry on. */
static void
test_item_resume_before_paused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  MmDownloadItem *item;

  mm_mock_hub_set_cdn_rate (fixture->hub, 300 * KIB);
  item = add_quant (fixture, manager, "Q8_0");
  wait_for_bytes (item, 30 * KIB);

  mm_download_item_pause (item);
  mm_download_item_resume (item);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpstr (states_of (item), ==, "queued downloading completed");
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_item_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autofree char *destination = pico_path (fixture, "Pico-Q8_0.gguf");
  g_autofree char *partial = g_strconcat (destination, ".part", NULL);
  g_autofree char *sidecar = g_strconcat (destination, ".part.json", NULL);
  MmDownloadItem *running;
  MmDownloadItem *queued;

  mm_download_manager_set_max_concurrent (manager, 1);
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  running = add_quant (fixture, manager, "Q8_0");
  queued = add_quant (fixture, manager, "Q4_K_M");
  g_assert_cmpint (mm_download_item_get_state (queued), ==, MM_DOWNLOAD_ITEM_STATE_QUEUED);

  /* A queued item is cancelled at once. */
  mm_download_item_cancel (queued, TRUE);
  g_assert_cmpint (mm_download_item_get_state (queued), ==, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
  g_assert_cmpstr (states_of (queued), ==, "queued cancelled");
  g_assert_nonnull (mm_download_item_get_finished (queued));

  /* A running one once its transfer has stopped; the partial goes too. */
  wait_for_bytes (running, 30 * KIB);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));
  mm_download_item_cancel (running, TRUE);
  wait_for_state (running, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
  g_assert_cmpstr (states_of (running), ==, "queued downloading cancelled");
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (destination, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (mm_download_item_get_bytes_received (running), ==, 0);
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);
  g_assert_true (mm_download_item_is_finished (running));

  /* The cancelled queued item never started. */
  g_assert_cmpstr (states_of (queued), ==, "queued cancelled");

  /* A cancelled item can be queued again. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_download_item_retry (running);
  wait_for_state (running, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_cmpstr (states_of (running), ==,
                   "queued downloading cancelled queued downloading completed");
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_item_fail_retry (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  const GError *error;
  MmDownloadItem *item;

  /* A damaged byte fails the checksum: a permanent error. */
  mm_mock_hub_set_cdn_corrupt_at (fixture->hub, 1000, 1);
  item = add_quant (fixture, manager, "Q4_K_M");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED);

  error = mm_download_item_get_error (item);
  g_assert_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (error->message, "Pico-Q4_K_M.gguf"));
  g_assert_nonnull (mm_download_item_get_finished (item));
  g_assert_true (mm_download_item_is_finished (item));
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);

  mm_download_item_retry (item);
  g_assert_null (mm_download_item_get_error (item));
  g_assert_null (mm_download_item_get_finished (item));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpstr (states_of (item), ==,
                   "queued downloading failed queued downloading completed");
  g_assert_null (mm_download_item_get_error (item));
  assert_file_matches_catalog (fixture, "Pico-Q4_K_M.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* A gated download fails without a token; once the token is set, Retry
 * sends it and succeeds. Items pick up a new client on their next attempt. */
static void
test_item_retry_with_token (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *path = NULL;
  MmDownloadItem *item;

  /* The metadata of a gated repo is public. */
  mm_hub_client_model_info_async (fixture->client, "example-org/Gated-7B-GGUF", NULL, NULL,
                                  mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  model = mm_hub_client_model_info_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  quants = mm_quant_group_files (mm_model_get_files (model), 0, NULL, NULL);

  item = _mm_download_manager_add_quant (manager, model, find_quant (quants, "IQ1_S"), &error);
  g_assert_no_error (error);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED);
  g_assert_error (mm_download_item_get_error (item), MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);

  /* Retry with the same client fails the same way. */
  mm_download_item_retry (item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED);
  g_assert_error (mm_download_item_get_error (item), MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);

  client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), MM_MOCK_HUB_TOKEN);
  mm_download_manager_set_client (manager, client);
  g_assert_true (mm_download_manager_get_client (manager) == client);
  mm_download_item_retry (item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_null (mm_download_item_get_error (item));

  auth = mm_mock_hub_get_last_hub_auth (fixture->hub);
  g_assert_cmpstr (auth, ==, "Bearer " MM_MOCK_HUB_TOKEN);
  path = g_build_filename (fixture->download_dir, "example-org", "Gated-7B-GGUF",
                           "Gated-7B-IQ1_S.gguf", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_finalize_object (g_steal_pointer (&manager));
  mm_test_wait_until_sole_owner (client);
  g_assert_finalize_object (g_steal_pointer (&client));
}

typedef struct {
  guint max_retry_in;
  gboolean error_while_retrying;
} Retrying;

static void
retrying_cb (MmDownloadItem *item,
             GParamSpec     *pspec,
             Retrying       *r)
{
  r->max_retry_in = MAX (r->max_retry_in, mm_download_item_get_retry_in (item));
  if (mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_RETRYING &&
      mm_download_item_get_error (item) != NULL)
    r->error_while_retrying = TRUE;
}

static void
test_item_retrying (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  Retrying r = { 0 };
  MmDownloadItem *item;

  /* A dropped connection is transient: the item waits and carries on. */
  mm_mock_hub_set_cdn_drop_after (fixture->hub, 100 * KIB, 1);
  item = add_quant (fixture, manager, "Q4_K_M");
  g_signal_connect (item, "notify", G_CALLBACK (retrying_cb), &r);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpstr (states_of (item), ==,
                   "queued downloading retrying downloading completed");
  g_assert_cmpuint (r.max_retry_in, >=, 1);
  g_assert_true (r.error_while_retrying);
  g_assert_cmpuint (mm_download_item_get_retry_in (item), ==, 0);
  g_assert_null (mm_download_item_get_error (item));
  assert_file_matches_catalog (fixture, "Pico-Q4_K_M.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

typedef struct {
  guint64 last;
  gboolean went_back;
  gboolean second_part_counted;
  MmDownload *second;
} SplitProgress;

static void
split_bytes_cb (MmDownloadItem *item,
                GParamSpec     *pspec,
                SplitProgress  *p)
{
  guint64 bytes = mm_download_item_get_bytes_received (item);

  if (bytes < p->last)
    p->went_back = TRUE;
  p->last = bytes;
  if (mm_download_get_state (p->second) == MM_DOWNLOAD_STATE_DOWNLOADING &&
      bytes > 200 * KIB && bytes < 400 * KIB)
    p->second_part_counted = TRUE;
}

static void
test_item_split (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  SplitProgress p = { 0 };
  MmDownloadItem *item;
  GPtrArray *downloads;

  mm_mock_hub_set_cdn_rate (fixture->hub, 400 * KIB);
  item = add_quant (fixture, manager, "Q2_K");
  downloads = mm_download_item_get_downloads (item);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  g_assert_cmpuint (downloads->len, ==, 2);
  g_assert_cmpuint (mm_download_item_get_total_bytes (item), ==, 400 * KIB);
  p.second = g_ptr_array_index (downloads, 1);
  g_signal_connect (item, "notify::bytes-received", G_CALLBACK (split_bytes_cb), &p);

  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  /* One row from 0 to 400 KiB, never back, through both parts. */
  g_assert_cmpstr (states_of (item), ==, "queued downloading completed");
  g_assert_false (p.went_back);
  g_assert_true (p.second_part_counted);
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), ==, 400 * KIB);
  g_assert_cmpstr (mm_download_item_get_destination (item), ==,
                   mm_download_get_destination (g_ptr_array_index (downloads, 0)));
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00001-of-00002.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00002-of-00002.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* Checks before queueing */

static void
test_checks (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) one_part = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) partial_quants = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(MmModel) bad_model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *free_text = NULL;
  MmQuant *q2 = find_quant (fixture->quants, "Q2_K");
  MmQuant *q8 = find_quant (fixture->quants, "Q8_0");
  MmDownloadItem *item;
  MmDownloadItem *downloaded;

  /* Not a repository id. */
  json_object_set_string_member (object, "id", "not a repo");
  bad_model = mm_model_new_from_json (object, &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, mm_repo_file_new ("model-Q4_K_M.gguf", 10, NULL, NULL));
  item = _mm_download_manager_add_files (manager, bad_model, files, "Q4_K_M", &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_INVALID_REPO);
  g_clear_error (&error);

  /* Nothing to download. */
  g_ptr_array_set_size (files, 0);
  item = _mm_download_manager_add_files (manager, fixture->model, files, "Q4_K_M", &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_FILES);
  g_clear_error (&error);
  item = _mm_download_manager_add_files (manager, fixture->model, NULL, NULL, &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_FILES);
  g_clear_error (&error);

  /* A name that leads elsewhere. */
  g_ptr_array_add (files, mm_repo_file_new ("../../escape-Q4_K_M.gguf", 10, NULL, NULL));
  g_assert_nonnull (mm_repo_file_get_problem (g_ptr_array_index (files, 0)));
  item = _mm_download_manager_add_files (manager, fixture->model, files, "escape", &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_UNSAFE_NAME);
  g_clear_error (&error);

  /* One part of two, as files and as a quantization. */
  g_ptr_array_add (one_part, g_object_ref (g_ptr_array_index (mm_quant_get_files (q2), 0)));
  item = _mm_download_manager_add_files (manager, fixture->model, one_part, "Q2_K", &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT);
  g_clear_error (&error);
  partial_quants = mm_quant_group_files (one_part, 0, NULL, NULL);
  g_assert_cmpuint (partial_quants->len, ==, 1);
  g_assert_false (mm_quant_get_is_complete (g_ptr_array_index (partial_quants, 0)));
  item = _mm_download_manager_add_quant (manager, fixture->model,
                                         g_ptr_array_index (partial_quants, 0), &error);
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT);
  g_clear_error (&error);

  /* Not enough space: the message names what is needed and what is free.
   * Nothing runs yet, so changing the environment is safe. */
  g_setenv ("MM_TEST_FREE_SPACE", "102400", TRUE);
  item = _mm_download_manager_add_quant (manager, fixture->model, q8, &error);
  g_unsetenv ("MM_TEST_FREE_SPACE");
  g_assert_null (item);
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_SPACE);
  free_text = g_format_size (102400);
  g_assert_nonnull (strstr (error->message, free_text));
  g_assert_nonnull (strstr (error->message, "needs"));
  g_assert_nonnull (strstr (error->message, "Q8_0"));
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_false (g_file_test (fixture->state_file, G_FILE_TEST_EXISTS));

  /* Already queued: the same choice, or the same file under another name. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  item = add_quant (fixture, manager, "Q8_0");
  g_assert_null (_mm_download_manager_add_quant (manager, fixture->model, q8, &error));
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_ALREADY_QUEUED);
  g_clear_error (&error);
  g_assert_null (_mm_download_manager_add_files (manager, fixture->model, mm_quant_get_files (q8),
                                                 "Eight bits", &error));
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_ALREADY_QUEUED);
  g_clear_error (&error);

  /* Already downloaded. */
  mm_download_item_cancel (item, TRUE);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  downloaded = add_quant (fixture, manager, "Q4_K_M");
  wait_for_state (downloaded, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_null (_mm_download_manager_add_quant (manager, fixture->model,
                                                 find_quant (fixture->quants, "Q4_K_M"), &error));
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED);
  g_clear_error (&error);

  /* The cancelled item has stopped by now; failed checks added nothing. */
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* The list */

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *partial = pico_path (fixture, "Pico-Q8_0.gguf.part");
  g_autoptr(MmDownloadItem) first = NULL;
  MmDownloadItem *second;

  mm_download_manager_set_max_concurrent (manager, 1);
  g_signal_connect (manager, "items-changed", G_CALLBACK (count_items_changed_cb), log);
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  first = g_object_ref (add_quant (fixture, manager, "Q8_0"));
  second = add_quant (fixture, manager, "Q4_K_M");
  g_assert_cmpint (mm_download_item_get_state (second), ==, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  wait_for_bytes (first, 20 * KIB);

  /* Removing the running item frees its slot; its partial stays. */
  mm_download_manager_remove (manager, first);
  g_assert_cmpstr (log->str, ==, "0-0+1 1-0+1 0-1+0 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  g_assert_null (mm_download_manager_find (manager, PICO, "Q8_0"));
  g_assert_true (mm_download_manager_find (manager, PICO, "Q4_K_M") == second);
  g_assert_cmpint (mm_download_item_get_state (second), ==, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  wait_for_state (first, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));

  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  wait_for_state (second, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_finalize_object (g_steal_pointer (&manager));
  g_assert_finalize_object (g_steal_pointer (&first));
}

static void
test_pause_all (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  MmDownloadItem *running;
  MmDownloadItem *queued;

  mm_download_manager_set_max_concurrent (manager, 1);
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  running = add_quant (fixture, manager, "Q8_0");
  queued = add_quant (fixture, manager, "Q4_K_M");
  wait_for_bytes (running, 20 * KIB);

  mm_download_manager_pause_all (manager);
  g_assert_cmpint (mm_download_item_get_state (queued), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  wait_for_state (running, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  spin (200);
  /* The queued item did not take the freed slot. */
  g_assert_cmpstr (states_of (queued), ==, "queued paused");
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);

  /* Back in list order. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  _mm_download_manager_resume_all (manager);
  g_assert_cmpint (mm_download_item_get_state (running), ==, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  g_assert_cmpint (mm_download_item_get_state (queued), ==, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  wait_for_state (queued, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_cmpint (mm_download_item_get_state (running), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  MmDownloadItem *a;
  MmDownloadItem *b;
  gint64 start;
  double seconds;

  /* 700 KiB in two transfers under one shared limit of 350 KiB/s. */
  g_object_set (manager, "rate-limit", (guint64) 350 * KIB, NULL);
  g_assert_cmpuint (mm_download_manager_get_rate_limit (manager), ==, 350 * KIB);
  start = g_get_monotonic_time ();
  a = add_quant (fixture, manager, "Q4_K_M");
  b = add_quant (fixture, manager, "Q2_K");
  wait_for_state (a, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  wait_for_state (b, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* Each alone would take well under a second unlimited; together,
   * limited, about two (minus the limiter's 100 ms burst). */
  g_assert_cmpfloat (seconds, >=, 1.5);

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* History */

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *destination = pico_path (fixture, "Pico-Q4_K_M.gguf");
  JsonObject *root;
  JsonObject *entry;
  JsonObject *file;
  MmDownloadItem *item;
  double duration;

  mm_mock_hub_set_cdn_rate (fixture->hub, 250 * KIB);
  item = add_quant (fixture, manager, "Q4_K_M");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  duration = mm_download_item_get_duration (item);
  g_assert_cmpfloat (duration, >=, 0.9);
  g_assert_cmpfloat (duration, <, 10.0);
  g_assert_cmpint (mm_download_item_get_elapsed (item), ==, (gint64) duration);
  g_assert_cmpfloat_with_epsilon (mm_download_item_get_average_speed (item),
                                  300 * KIB / duration, 300 * KIB / duration / 100);
  g_assert_cmpint (g_date_time_compare (mm_download_item_get_finished (item),
                                        mm_download_item_get_created (item)), >=, 0);

  /* The state file has the same history. */
  root = read_state_file (fixture, parser);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")), ==, 1);
  entry = json_array_get_object_element (json_object_get_array_member (root, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (entry, "repo"), ==, PICO);
  g_assert_cmpstr (json_object_get_string_member (entry, "quant"), ==, "Q4_K_M");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "duration"),
                                  duration, 0.001);
  g_assert_cmpfloat (json_object_get_double_member (entry, "average-speed"), >, 0);
  g_assert_cmpint (json_object_get_int_member (entry, "bytes"), ==, 300 * KIB);
  g_assert_nonnull (json_object_get_string_member (entry, "finished"));
  g_assert_nonnull (json_object_get_string_member (entry, "created"));
  file = json_array_get_object_element (json_object_get_array_member (entry, "files"), 0);
  g_assert_cmpstr (json_object_get_string_member (file, "destination"), ==, destination);
  g_assert_cmpstr (json_object_get_string_member (file, "path"), ==, "Pico-Q4_K_M.gguf");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 300 * KIB);
  g_assert_true (json_object_get_boolean_member (file, "completed"));

  /* Clearing the history keeps the files. */
  g_signal_connect (manager, "items-changed", G_CALLBACK (count_items_changed_cb), log);
  _mm_download_manager_clear_history (manager);
  g_assert_cmpstr (log->str, ==, "0-1+0 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_true (g_file_test (destination, G_FILE_TEST_EXISTS));
  g_clear_object (&parser);
  parser = json_parser_new ();
  root = read_state_file (fixture, parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* Persistence */

typedef struct {
  char *repo;
  char *quant;
  MmDownloadItemState state;
  GDateTime *created;
  GDateTime *finished;
  double duration;
  guint64 bytes;
  char *error;
} Snapshot;

static void
snapshot_take (Snapshot       *s,
               MmDownloadItem *item)
{
  const GError *error = mm_download_item_get_error (item);

  s->repo = g_strdup (mm_download_item_get_repo_id (item));
  s->quant = g_strdup (mm_download_item_get_quant_name (item));
  s->state = mm_download_item_get_state (item);
  s->created = g_date_time_ref (mm_download_item_get_created (item));
  s->finished = mm_download_item_get_finished (item) ?
                g_date_time_ref (mm_download_item_get_finished (item)) : NULL;
  s->duration = mm_download_item_get_duration (item);
  s->bytes = mm_download_item_get_bytes_received (item);
  s->error = error ? g_strdup (error->message) : NULL;
}

static void
snapshot_assert (Snapshot       *s,
                 MmDownloadItem *item)
{
  const GError *error = mm_download_item_get_error (item);

  g_assert_cmpstr (mm_download_item_get_repo_id (item), ==, s->repo);
  g_assert_cmpstr (mm_download_item_get_quant_name (item), ==, s->quant);
  g_assert_cmpint (mm_download_item_get_state (item), ==, s->state);
  g_assert_true (g_date_time_equal (mm_download_item_get_created (item), s->created));
  if (s->finished != NULL)
    g_assert_true (g_date_time_equal (mm_download_item_get_finished (item), s->finished));
  else
    g_assert_null (mm_download_item_get_finished (item));
  g_assert_cmpfloat_with_epsilon (mm_download_item_get_duration (item), s->duration, 0.001);
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), ==, s->bytes);
  g_assert_cmpstr (error ? error->message : NULL, ==, s->error);
}

static void
snapshot_clear (Snapshot *s)
{
  g_free (s->repo);
  g_free (s->quant);
  g_date_time_unref (s->created);
  g_clear_pointer (&s->finished, g_date_time_unref);
  g_free (s->error);
}

static MmDownloadItem *
item_at (MmDownloadManager *manager,
         guint              position)
{
  g_autoptr(MmDownloadItem) item = g_list_model_get_item (G_LIST_MODEL (manager), position);

  g_assert_nonnull (item);
  /* The manager keeps its own reference. */
  return item;
}

static void
test_persistence_round_trip (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, FALSE);
  g_autoptr(GError) error = NULL;
  Snapshot snapshots[3] = { { 0 } };
  MmDownloadItem *completed;
  MmDownloadItem *failed;
  MmDownloadItem *paused;

  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);

  completed = add_quant (fixture, manager, "Q4_K_M");
  wait_for_state (completed, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  mm_mock_hub_set_cdn_corrupt_at (fixture->hub, 1000, 1);
  failed = add_quant (fixture, manager, "Q2_K");
  wait_for_state (failed, MM_DOWNLOAD_ITEM_STATE_FAILED);
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  paused = add_quant (fixture, manager, "Q8_0");
  wait_for_bytes (paused, 40 * KIB);
  mm_download_item_pause (paused);
  wait_for_state (paused, MM_DOWNLOAD_ITEM_STATE_PAUSED);

  snapshot_take (&snapshots[0], completed);
  snapshot_take (&snapshots[1], failed);
  snapshot_take (&snapshots[2], paused);
  g_assert_finalize_object (g_steal_pointer (&manager));

  /* Even with auto-resume, what the user paused stays paused. */
  manager = manager_new (fixture, TRUE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 3);
  for (guint i = 0; i < 3; i++)
    snapshot_assert (&snapshots[i], item_at (manager, i));
  g_assert_cmpuint (mm_download_manager_get_active_count (manager), ==, 0);
  g_assert_true (mm_download_manager_find (manager, PICO, "Q2_K") == item_at (manager, 1));

  /* The restored items work: the paused one resumes, the failed one retries. */
  mm_mock_hub_reset_counters (fixture->hub);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_download_item_resume (item_at (manager, 2));
  wait_for_state (item_at (manager, 2), MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_cmpuint (first_range_start (fixture->hub), ==, snapshots[2].bytes);
  mm_download_item_retry (item_at (manager, 1));
  wait_for_state (item_at (manager, 1), MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00001-of-00002.gguf");
  assert_file_matches_catalog (fixture, "Pico-Q2_K-00002-of-00002.gguf");
  g_assert_finalize_object (g_steal_pointer (&manager));

  /* And a third session sees it all finished. */
  manager = manager_new (fixture, FALSE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      MmDownloadItem *item = item_at (manager, i);

      g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
      g_assert_cmpfloat (mm_download_item_get_fraction (item), ==, 1.0);
      g_assert_cmpfloat (mm_download_item_get_average_speed (item), >, 0);
      g_assert_nonnull (mm_download_item_get_finished (item));
    }

  for (guint i = 0; i < 3; i++)
    snapshot_clear (&snapshots[i]);
  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_persistence_auto_resume (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(GError) error = NULL;
  MmDownloadItem *item;
  guint64 bytes;

  /* Quit in the middle of a transfer. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  item = add_quant (fixture, manager, "Q4_K_M");
  wait_for_bytes (item, 30 * KIB);
  g_assert_finalize_object (g_steal_pointer (&manager));
  mm_test_wait_until_sole_owner (fixture->client);

  /* Without auto-resume it comes back paused, with its bytes. */
  manager = manager_new (fixture, FALSE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  item = item_at (manager, 0);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  bytes = mm_download_item_get_bytes_received (item);
  g_assert_cmpuint (bytes, >=, 30 * KIB);
  g_assert_cmpuint (bytes, <, 300 * KIB);
  g_assert_finalize_object (g_steal_pointer (&manager));

  /* With it, it carries on by itself. Nothing changed the saved state. */
  mm_mock_hub_reset_counters (fixture->hub);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  manager = manager_new (fixture, TRUE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  item = item_at (manager, 0);
  g_assert_cmpstr (states_of (item), ==, "queued downloading");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_cmpuint (first_range_start (fixture->hub), ==, bytes);
  assert_file_matches_catalog (fixture, "Pico-Q4_K_M.gguf");

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static char *
self_exe (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

static void
test_persistence_sigkill (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *exe = self_exe ();
  g_autofree char *partial = pico_path (fixture, "Pico-Q8_0.gguf.part");
  JsonObject *root;
  JsonObject *entry;
  MmDownloadItem *item;
  guint64 bytes;
  gint64 deadline;

  g_assert_nonnull (exe);
  mm_mock_hub_set_cdn_rate (fixture->hub, 100 * KIB);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            exe, CHILD_ARG, mm_mock_hub_get_url (fixture->hub),
                            fixture->download_dir, fixture->state_file, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + TIMEOUT_MS * (gint64) 1000;
  while (mm_test_partial_bytes (partial) <= 50 * KIB)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* The child saved the item as running when it started. */
  root = read_state_file (fixture, parser);
  entry = json_array_get_object_element (json_object_get_array_member (root, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "downloading");

  manager = manager_new (fixture, FALSE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 1);
  item = item_at (manager, 0);
  g_assert_cmpstr (mm_download_item_get_repo_id (item), ==, PICO);
  g_assert_cmpstr (mm_download_item_get_quant_name (item), ==, "Q8_0");
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  g_assert_false (mm_download_item_is_finished (item));
  bytes = mm_download_item_get_bytes_received (item);
  g_assert_cmpuint (bytes, >, 50 * KIB);
  g_assert_cmpuint (bytes, <, 600 * KIB);
  g_assert_cmpuint (bytes, ==, mm_test_partial_bytes (partial));

  mm_mock_hub_reset_counters (fixture->hub);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_download_item_resume (item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED);

  g_assert_cmpuint (first_range_start (fixture->hub), ==, bytes);
  assert_file_matches_catalog (fixture, "Pico-Q8_0.gguf");
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* Queues Q8_0 and waits forever, to be killed (see test_persistence_sigkill). */
static int
run_child (int    argc,
           char **argv)
{
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(MmDownloadManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  if (argc != 5)
    return 2;

  client = mm_hub_client_new (argv[2], NULL);
  model = fetch_model (client);
  quants = mm_quant_group_files (mm_model_get_files (model), 0, NULL, NULL);
  manager = mm_download_manager_new (client, argv[3], argv[4]);
  if (_mm_download_manager_add_quant (manager, model, find_quant (quants, "Q8_0"), &error) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_main_loop_run (loop);
  return 0;
}

/* A damaged state file */

#define GOOD_ITEM \
  "{\"repo\": \"tiny-org/Pico-GGUF\", \"commit\": null, \"quant\": \"Q4_K_M\", " \
  "\"label\": \"Q4_K_M\", \"state\": \"completed\", \"created\": \"2026-01-02T03:04:05Z\", " \
  "\"finished\": \"2026-01-02T03:04:09Z\", \"download-dir\": \"@DIR@\", \"duration\": 4.0, " \
  "\"error\": null, \"files\": [{\"path\": \"Pico-Q4_K_M.gguf\", \"size\": 307200, " \
  "\"sha256\": null, \"oid\": null, \"completed\": true}]}"

typedef struct {
  const char *path;
  const char *contents;
  guint n_good;
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
  { "/mm/download-manager/corrupt/garbage", "\x7f" "ELF\x01\x02 not JSON {{{ at all", 0 },
  { "/mm/download-manager/corrupt/truncated",
    "{\"version\": 1, \"items\": [{\"repo\": \"tiny-org/Pico-GGUF\", \"sta", 0 },
  { "/mm/download-manager/corrupt/empty", "", 0 },
  { "/mm/download-manager/corrupt/not-an-object", "[1, 2, 3]", 0 },
  { "/mm/download-manager/corrupt/wrong-types",
    "{\"version\": \"one\", \"items\": {\"repo\": 5}}", 0 },
  { "/mm/download-manager/corrupt/item-wrong-types",
    "{\"version\": 1, \"items\": [{\"repo\": 42, \"state\": [], \"files\": \"many\", "
    "\"download-dir\": false}]}", 0 },
  { "/mm/download-manager/corrupt/file-wrong-types",
    "{\"version\": 1, \"items\": [{\"repo\": \"tiny-org/Pico-GGUF\", \"state\": \"paused\", "
    "\"download-dir\": \"@DIR@\", \"files\": [{\"path\": 7, \"size\": \"big\"}]}]}", 0 },
  { "/mm/download-manager/corrupt/unsafe-path",
    "{\"version\": 1, \"items\": [{\"repo\": \"tiny-org/Pico-GGUF\", \"state\": \"paused\", "
    "\"download-dir\": \"@DIR@\", \"files\": [{\"path\": \"../../../.bashrc\", \"size\": 1}]}]}",
    0 },
  { "/mm/download-manager/corrupt/unknown-state",
    "{\"version\": 1, \"items\": [{\"repo\": \"tiny-org/Pico-GGUF\", \"state\": \"exploded\", "
    "\"download-dir\": \"@DIR@\", \"files\": [{\"path\": \"Pico-Q8_0.gguf\", \"size\": 1}]}]}",
    0 },
  { "/mm/download-manager/corrupt/partly",
    "{\"version\": 1, \"items\": [" GOOD_ITEM ", 17, {\"repo\": \"tiny-org/Pico-GGUF\"}]}", 1 },
};

static char *
find_backup (Fixture *fixture)
{
  g_autofree char *dir = g_path_get_dirname (fixture->state_file);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_has_prefix (name, "downloads.json.corrupt-"))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }

  return found;
}

static void
test_corrupt_state (Fixture       *fixture,
                    gconstpointer  data)
{
  const CorruptCase *c = data;
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) contents = g_string_new (c->contents);
  g_autofree char *dir = g_path_get_dirname (fixture->state_file);
  g_autofree char *backup = NULL;
  g_autofree char *saved = NULL;
  gsize len = 0;

  g_string_replace (contents, "@DIR@", fixture->download_dir, 0);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->state_file, contents->str, contents->len, &error);
  g_assert_no_error (error);

  g_test_expect_message ("mm-download-manager", G_LOG_LEVEL_WARNING, "*could not be read*");
  g_assert_false (mm_download_manager_load (manager, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE);

  /* The damaged file is kept, byte for byte, and the message says where. */
  backup = find_backup (fixture);
  g_assert_nonnull (backup);
  g_assert_nonnull (strstr (error->message, backup));
  g_file_get_contents (backup, &saved, &len, NULL);
  g_assert_cmpmem (saved, len, contents->str, contents->len);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, c->n_good);
  if (c->n_good > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
      MmDownloadItem *item = item_at (manager, 0);
      JsonObject *root;

      /* What could be read is restored, and saved again on its own. */
      g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
      g_assert_true (g_date_time_equal (mm_download_item_get_created (item), created));
      g_assert_cmpfloat (mm_download_item_get_duration (item), ==, 4.0);
      g_assert_cmpfloat (mm_download_item_get_average_speed (item), ==, 300 * KIB / 4.0);
      root = read_state_file (fixture, parser);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")),
                        ==, c->n_good);
    }
  else
    g_assert_false (g_file_test (fixture->state_file, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&manager));
}

static void
test_missing_state (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MmDownloadManager) manager = manager_new (fixture, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  g_assert_cmpstr (mm_download_manager_get_state_file (manager), ==, fixture->state_file);

  g_assert_finalize_object (g_steal_pointer (&manager));
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], CHILD_ARG))
    return run_child (argc, argv);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/mm/download-manager/queue/concurrency-limit", test_concurrency_limit, NULL);
  ADD ("/mm/download-manager/queue/remove", test_remove, NULL);
  ADD ("/mm/download-manager/queue/pause-all", test_pause_all, NULL);
  ADD ("/mm/download-manager/queue/rate-limit", test_rate_limit, NULL);
  ADD ("/mm/download-manager/item/complete", test_item_complete, NULL);
  ADD ("/mm/download-manager/item/pause-resume", test_item_pause_resume, NULL);
  ADD ("/mm/download-manager/item/state-changed", test_item_state_changed, NULL);
  ADD ("/mm/download-manager/item/resume-before-paused", test_item_resume_before_paused, NULL);
  ADD ("/mm/download-manager/item/cancel", test_item_cancel, NULL);
  ADD ("/mm/download-manager/item/fail-retry", test_item_fail_retry, NULL);
  ADD ("/mm/download-manager/item/retrying", test_item_retrying, NULL);
  ADD ("/mm/download-manager/item/retry-with-token", test_item_retry_with_token, NULL);
  ADD ("/mm/download-manager/item/split", test_item_split, NULL);
  ADD ("/mm/download-manager/checks", test_checks, NULL);
  ADD ("/mm/download-manager/history", test_history, NULL);
  ADD ("/mm/download-manager/persistence/missing", test_missing_state, NULL);
  ADD ("/mm/download-manager/persistence/round-trip", test_persistence_round_trip, NULL);
  ADD ("/mm/download-manager/persistence/auto-resume", test_persistence_auto_resume, NULL);
  ADD ("/mm/download-manager/persistence/sigkill", test_persistence_sigkill, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    ADD (corrupt_cases[i].path, test_corrupt_state, &corrupt_cases[i]);

  return g_test_run ();
}
