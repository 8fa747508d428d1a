/* test-search-results.c: the paging GListModel over the mock Hub
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-hub-client-private.h"
#include "mm-mock-hub.h"
#include "mm-search-filter-private.h"
#include "mm-search-results-private.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 20000

typedef struct {
  MmMockHub *hub;
  MmHubClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  fixture->client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), NULL);
  _mm_hub_client_set_retry_policy (fixture->client, 0, 5);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  mm_mock_hub_stop (fixture->hub);
  g_assert_finalize_object (fixture->hub);
}

static gboolean
not_loading (gpointer data)
{
  return !mm_search_results_get_loading (data);
}

typedef struct {
  guint expected_position;
  guint calls;
  guint added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  /* Pages are appended: never a removal, always at the end. */
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (position, ==, changes->expected_position);
  g_assert_cmpuint (position + added, ==, g_list_model_get_n_items (model));
  changes->expected_position += added;
  changes->added += added;
  changes->calls++;
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MmSearchResults) results = _mm_search_results_new (fixture->client, NULL,
                                                               MM_SORT_DOWNLOADS, TRUE, 9);
  Changes changes = { 0 };
  guint pages = 0;

  g_signal_connect (results, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_false (mm_search_results_get_started (results));
  g_assert_true (mm_search_results_get_has_more (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (results)) == MM_TYPE_MODEL);

  while (mm_search_results_get_has_more (results))
    {
      mm_search_results_load_more (results);
      g_assert_true (mm_search_results_get_loading (results));
      /* A second call while loading is a no-op. */
      mm_search_results_load_more (results);
      mm_test_wait_until (not_loading, results, TIMEOUT_MS);
      g_assert_null (mm_search_results_get_error (results));
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }

  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (changes.calls, ==, pages);
  g_assert_cmpuint (changes.added, ==, g_list_model_get_n_items (G_LIST_MODEL (results)));
  g_assert_cmpuint (changes.added, >=, 40);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (results), changes.added));

  /* After the last page, load_more does nothing. */
  mm_search_results_load_more (results);
  g_assert_false (mm_search_results_get_loading (results));

  g_signal_handlers_disconnect_by_func (results, items_changed_cb, &changes);
  g_assert_finalize_object (g_steal_pointer (&results));
}

static void
test_error_then_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MmSearchResults) results = _mm_search_results_new (fixture->client, "tinychat",
                                                               MM_SORT_DOWNLOADS, TRUE, 30);
  const GError *error;

  mm_mock_hub_fail_next (fixture->hub, 502, 1, 0);
  mm_search_results_load_more (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);

  error = mm_search_results_get_error (results);
  g_assert_error ((GError *) error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER);
  g_assert_true (mm_search_results_get_has_more (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);

  mm_search_results_load_more (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  g_assert_null (mm_search_results_get_error (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), >=, 3);

  g_assert_finalize_object (g_steal_pointer (&results));
}

static void
test_no_results (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MmSearchResults) results = _mm_search_results_new (fixture->client,
                                                               "zzz-no-such-model-zzz",
                                                               MM_SORT_DOWNLOADS, TRUE, 30);

  mm_search_results_load_more (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  g_assert_null (mm_search_results_get_error (results));
  g_assert_true (mm_search_results_get_started (results));
  g_assert_false (mm_search_results_get_has_more (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&results));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MmSearchResults) results = _mm_search_results_new (fixture->client, NULL,
                                                               MM_SORT_DOWNLOADS, TRUE, 30);

  mm_mock_hub_set_delay (fixture->hub, 3000);
  mm_search_results_load_more (results);
  mm_search_results_cancel (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  /* Cancelling is not an error a person should see. */
  g_assert_null (mm_search_results_get_error (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);

  /* And the list can still load afterwards. */
  mm_mock_hub_set_delay (fixture->hub, 0);
  mm_search_results_load_more (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), >, 0);
  g_assert_finalize_object (g_steal_pointer (&results));
}

static void
test_dispose_while_loading (Fixture       *fixture,
                            gconstpointer  data)
{
  MmSearchResults *results = _mm_search_results_new (fixture->client, NULL,
                                                     MM_SORT_DOWNLOADS, TRUE, 30);
  GWeakRef weak;

  g_weak_ref_init (&weak, results);
  mm_mock_hub_set_delay (fixture->hub, 3000);
  mm_search_results_load_more (results);
  g_object_run_dispose (G_OBJECT (results));
  g_object_unref (results);
  /* The pending request holds the last reference until it is cancelled. */
  while (TRUE)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_weak_ref_clear (&weak);
  /* Let the finished request drop its last references to the client. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  mm_mock_hub_set_delay (fixture->hub, 0);
}

/* Loads every page (also past a stall) and returns the list. */
static MmSearchResults *
load_all (Fixture              *fixture,
          const char           *text,
          const MmSearchFilter *filter,
          guint                 page_size)
{
  MmSearchResults *results = mm_search_results_new_filtered (fixture->client, text,
                                                             MM_SORT_DOWNLOADS, TRUE,
                                                             filter, page_size);
  guint rounds = 0;

  while (mm_search_results_get_has_more (results))
    {
      mm_search_results_load_more (results);
      mm_test_wait_until (not_loading, results, TIMEOUT_MS);
      g_assert_null (mm_search_results_get_error (results));
      g_assert_cmpuint (++rounds, <, 200);
    }
  return results;
}

/* The Hub's num_parameters filter (in the mock as in the real Hub) keeps
 * exactly the models of the unfiltered list whose count is in the range. */
static void
test_filter_size (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(MmSearchResults) all = load_all (fixture, NULL, NULL, 50);
  g_autoptr(MmSearchResults) some = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_some;

  filter->size = MM_SIZE_RANGE_3B_8B;
  some = load_all (fixture, NULL, filter, 4);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (all)); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (G_LIST_MODEL (all), i);
      guint64 parameters = mm_model_get_parameters (model);

      if (parameters >= 3000000000 && parameters <= 8000000000)
        g_hash_table_add (expected, (gpointer) mm_model_get_id (model));
    }

  n_some = g_list_model_get_n_items (G_LIST_MODEL (some));
  g_assert_cmpuint (n_some, ==, g_hash_table_size (expected));
  /* Filler 3B…8B, the gated 7 B and the vision 7 B at the least. */
  g_assert_cmpuint (n_some, >=, 8);
  g_assert_true (g_hash_table_contains (expected, "vision-org/Vision-7B-GGUF"));
  for (guint i = 0; i < n_some; i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (G_LIST_MODEL (some), i);

      g_assert_true (g_hash_table_contains (expected, mm_model_get_id (model)));
    }
  /* All filtering was the Hub's: every model sent was shown. */
  g_assert_cmpuint (mm_search_results_get_scanned (some), ==, n_some);

  g_assert_finalize_object (g_steal_pointer (&some));
  g_assert_finalize_object (g_steal_pointer (&all));
}

/* "Fits this computer" is an upper bound the Hub applies. */
static void
test_filter_fits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(MmSearchResults) results = NULL;
  guint64 max = _mm_search_filter_max_fitting_parameters ((guint64) 16 << 30);
  gboolean saw_large = FALSE;

  filter->fits_memory = (guint64) 16 << 30;
  results = load_all (fixture, NULL, filter, 20);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), >, 10);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (results)); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (G_LIST_MODEL (results), i);

      g_assert_cmpuint (mm_model_get_parameters (model), >, 0);
      g_assert_cmpuint (mm_model_get_parameters (model), <=, max);
      g_assert_cmpstr (mm_model_get_id (model), !=, "big-org/Giant-70B-GGUF");
      if (mm_model_get_parameters (model) > 10000000000)
        saw_large = TRUE;
    }
  /* 16 GiB runs more than 10 B at Q4_K_M. */
  g_assert_true (saw_large);
  g_assert_finalize_object (g_steal_pointer (&results));
}

/* The Hub cannot filter by architecture: pages are checked as they come,
 * and a run of pages without a match stops instead of walking the Hub. */
static void
test_filter_architecture (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(MmSearchResults) results = NULL;
  g_autoptr(MmModel) model = NULL;

  filter->architecture = g_strdup ("qwen2vl");
  results = load_all (fixture, NULL, filter, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 1);
  model = g_list_model_get_item (G_LIST_MODEL (results), 0);
  g_assert_cmpstr (mm_model_get_id (model), ==, "vision-org/Vision-7B-GGUF");
  g_assert_cmpuint (mm_search_results_get_scanned (results), >, 40);
  g_clear_object (&model);
  g_assert_finalize_object (g_steal_pointer (&results));

  /* None of the 44 fillers is a qwen2vl: 2 a page, 5 pages, then a stop. */
  results = mm_search_results_new_filtered (fixture->client, "filler-model", MM_SORT_DOWNLOADS,
                                            TRUE, filter, 2);
  mm_search_results_load_more (results);
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  g_assert_null (mm_search_results_get_error (results));
  g_assert_true (mm_search_results_get_stalled (results));
  g_assert_true (mm_search_results_get_has_more (results));
  g_assert_cmpuint (mm_search_results_get_scanned (results), ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);

  /* Asking again looks five pages further. */
  mm_search_results_load_more (results);
  g_assert_false (mm_search_results_get_stalled (results));
  mm_test_wait_until (not_loading, results, TIMEOUT_MS);
  g_assert_true (mm_search_results_get_stalled (results));
  g_assert_cmpuint (mm_search_results_get_scanned (results), ==, 20);
  g_assert_finalize_object (g_steal_pointer (&results));
}

/* Nothing over 35 B fits in 8 GiB: no request, an empty finished list. */
static void
test_filter_impossible (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(MmSearchResults) results = NULL;

  filter->size = MM_SIZE_RANGE_OVER_35B;
  filter->fits_memory = (guint64) 8 << 30;
  results = mm_search_results_new_filtered (fixture->client, NULL, MM_SORT_DOWNLOADS, TRUE,
                                            filter, 0);
  g_assert_true (mm_search_results_get_started (results));
  g_assert_false (mm_search_results_get_has_more (results));
  mm_search_results_load_more (results);
  g_assert_false (mm_search_results_get_loading (results));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (results)), ==, 0);
  g_assert_nonnull (mm_search_results_get_filter (results));
  g_assert_finalize_object (g_steal_pointer (&results));
}

/* The mock Hub refuses a num_parameters it cannot read, as a bad request. */
static void
test_filter_bad_bounds (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/api/models?num_parameters=min:lots&limit=5",
                                          mm_mock_hub_get_url (fixture->hub));
  g_autofree char *good = g_strdup_printf ("%s/api/models?num_parameters=min:0,max:1B"
                                           "&expand=gguf&expand=safetensors&limit=50",
                                           mm_mock_hub_get_url (fixture->hub));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  mm_hub_client_search_async (fixture->client, url, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  models = mm_hub_client_search_finish (fixture->client, result, NULL, &error);
  g_assert_null (models);
  g_assert_nonnull (error);
  g_clear_object (&result);
  g_clear_error (&error);

  /* Under a billion: the nano and pico GGUFs; every count is known. */
  mm_hub_client_search_async (fixture->client, good, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  models = mm_hub_client_search_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, >=, 2);
  for (guint i = 0; i < models->len; i++)
    {
      guint64 parameters = mm_model_get_parameters (g_ptr_array_index (models, i));

      g_assert_cmpuint (parameters, >, 0);
      g_assert_cmpuint (parameters, <=, 1000000000);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/mm/search-results/pages", Fixture, NULL,
              fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/mm/search-results/error-then-retry", Fixture, NULL,
              fixture_set_up, test_error_then_retry, fixture_tear_down);
  g_test_add ("/mm/search-results/no-results", Fixture, NULL,
              fixture_set_up, test_no_results, fixture_tear_down);
  g_test_add ("/mm/search-results/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/mm/search-results/dispose-while-loading", Fixture, NULL,
              fixture_set_up, test_dispose_while_loading, fixture_tear_down);

  g_test_add ("/mm/search-results/filter/size", Fixture, NULL,
              fixture_set_up, test_filter_size, fixture_tear_down);
  g_test_add ("/mm/search-results/filter/fits", Fixture, NULL,
              fixture_set_up, test_filter_fits, fixture_tear_down);
  g_test_add ("/mm/search-results/filter/architecture", Fixture, NULL,
              fixture_set_up, test_filter_architecture, fixture_tear_down);
  g_test_add ("/mm/search-results/filter/bad-bounds", Fixture, NULL,
              fixture_set_up, test_filter_bad_bounds, fixture_tear_down);
  g_test_add ("/mm/search-results/filter/impossible", Fixture, NULL,
              fixture_set_up, test_filter_impossible, fixture_tear_down);

  return g_test_run ();
}
