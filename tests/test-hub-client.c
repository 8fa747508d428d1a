/* test-hub-client.c: the Hub client against the mock Hub
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-hub-client-private.h"
#include "mm-hub-error-private.h"
#include "mm-mock-hub.h"
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
  const char *token = data;

  fixture->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  fixture->client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), token);
  _mm_hub_client_set_retry_policy (fixture->client, 3, 10);
}

static void
fixture_set_up_anonymous (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture_set_up (fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  mm_mock_hub_stop (fixture->hub);
  g_assert_finalize_object (fixture->hub);
}

static GPtrArray *
search_page (Fixture     *fixture,
             const char  *url,
             char       **next,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_search_async (fixture->client, url, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_search_finish (fixture->client, result, next, error);
}

static MmModel *
model_info (Fixture     *fixture,
            const char  *repo,
            const char  *revision,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_model_info_async (fixture->client, repo, revision, NULL,
                                  mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_model_info_finish (fixture->client, result, error);
}

static char *
model_card (Fixture     *fixture,
            const char  *repo,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_model_card_async (fixture->client, repo, NULL, NULL,
                                  mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_model_card_finish (fixture->client, result, error);
}

static void
test_search_first_page (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = mm_hub_client_build_search_url (fixture->client, "tinychat",
                                                         MM_SORT_DOWNLOADS, TRUE, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *next = NULL;
  g_autofree char *ua = NULL;
  MmModel *first;

  g_assert_true (g_str_has_prefix (url, mm_mock_hub_get_url (fixture->hub)));
  g_assert_nonnull (strstr (url, "search=tinychat"));
  g_assert_nonnull (strstr (url, "filter=gguf"));
  g_assert_nonnull (strstr (url, "expand=author"));

  models = search_page (fixture, url, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, >=, 3);
  first = g_ptr_array_index (models, 0);
  g_assert_cmpstr (mm_model_get_id (first), ==, "example-org/TinyChat-1.1B-GGUF");
  g_assert_cmpstr (mm_model_get_author (first), ==, "example-org");
  g_assert_cmpint (mm_model_get_downloads (first), ==, 48213);
  g_assert_cmpint (mm_model_get_likes (first), ==, 57);
  g_assert_nonnull (mm_model_get_updated (first));
  for (guint i = 0; i < models->len; i++)
    {
      MmModel *model = g_ptr_array_index (models, i);
      g_autofree char *lower = g_ascii_strdown (mm_model_get_id (model), -1);

      g_assert_nonnull (strstr (lower, "tinychat"));
      if (i > 0)
        g_assert_cmpint (mm_model_get_downloads (g_ptr_array_index (models, i - 1)), >=,
                         mm_model_get_downloads (model));
    }

  ua = mm_mock_hub_get_last_user_agent (fixture->hub);
  g_assert_cmpstr (ua, ==, "model-manager/" PACKAGE_VERSION);
}

static void
test_search_pagination (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = mm_hub_client_build_search_url (fixture->client, NULL,
                                                         MM_SORT_LIKES, TRUE, 7);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 last_likes = G_MAXINT64;
  guint pages = 0;

  while (url != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = NULL;
      char *next = NULL;

      models = search_page (fixture, url, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (models->len, <=, 7);
      /* The next URL is the server's, verbatim, with an opaque cursor. */
      if (next != NULL)
        {
          g_assert_cmpuint (models->len, ==, 7);
          g_assert_nonnull (strstr (next, "cursor="));
          g_assert_nonnull (strstr (next, "sort=likes"));
        }
      for (guint i = 0; i < models->len; i++)
        {
          MmModel *model = g_ptr_array_index (models, i);

          g_assert_true (g_hash_table_add (seen, g_strdup (mm_model_get_id (model))));
          g_assert_cmpint (mm_model_get_likes (model), <=, last_likes);
          last_likes = mm_model_get_likes (model);
          g_assert_true (g_strv_contains (mm_model_get_tags (model), "gguf"));
        }
      pages++;
      g_free (url);
      url = next;
    }

  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 40);
  g_assert_true (g_hash_table_contains (seen, "example-org/TinyChat-1.1B-GGUF"));
  g_assert_false (g_hash_table_contains (seen, "plain-org/Safetensors-Only"));
}

static void
test_search_all_formats (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = mm_hub_client_build_search_url (fixture->client, "safetensors",
                                                         MM_SORT_DOWNLOADS, FALSE, 10);
  g_autofree char *gguf_url = mm_hub_client_build_search_url (fixture->client, "safetensors",
                                                              MM_SORT_DOWNLOADS, TRUE, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = search_page (fixture, url, NULL, &error);
  g_autoptr(GPtrArray) gguf = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 1);
  gguf = search_page (fixture, gguf_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gguf->len, ==, 0);
}

static void
test_search_sort_orders (Fixture       *fixture,
                         gconstpointer  data)
{
  /* Each order must give a different first page over the filler catalog. */
  g_autoptr(GHashTable) firsts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (MmSort sort = MM_SORT_DOWNLOADS; sort <= MM_SORT_CREATED; sort++)
    {
      g_autofree char *url = mm_hub_client_build_search_url (fixture->client, "filler",
                                                             sort, TRUE, 5);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = search_page (fixture, url, NULL, &error);
      g_autoptr(GString) ids = g_string_new (NULL);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (url, mm_sort_to_api (sort)));
      for (guint i = 0; i < models->len; i++)
        g_string_append_printf (ids, "%s,", mm_model_get_id (g_ptr_array_index (models, i)));
      g_hash_table_add (firsts, g_string_free (g_steal_pointer (&ids), FALSE));

      if (sort == MM_SORT_UPDATED)
        for (guint i = 1; i < models->len; i++)
          g_assert_cmpint (g_date_time_compare (
                             mm_model_get_updated (g_ptr_array_index (models, i - 1)),
                             mm_model_get_updated (g_ptr_array_index (models, i))), >=, 0);
    }

  g_assert_cmpuint (g_hash_table_size (firsts), >=, 4);
}

static void
test_model_info_fields (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL,
                                         &error);
  g_autoptr(MmModel) pinned = NULL;
  GPtrArray *files;
  guint64 total = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (mm_model_get_id (model), ==, "example-org/TinyChat-1.1B-GGUF");
  g_assert_cmpstr (mm_model_get_sha (model), ==, "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc");
  g_assert_cmpstr (mm_model_get_license (model), ==, "apache-2.0");
  g_assert_cmpint (mm_model_get_gated (model), ==, MM_GATED_NO);
  files = mm_model_get_files (model);
  g_assert_cmpuint (files->len, >=, 11);
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);

      total += mm_repo_file_get_size (file);
      if (g_str_has_suffix (mm_repo_file_get_path (file), ".gguf"))
        g_assert_cmpuint (strlen (mm_repo_file_get_sha256 (file)), ==, 64);
      if (g_str_equal (mm_repo_file_get_path (file), "TinyChat-1.1B-Q4_K_M.gguf"))
        {
          g_assert_cmpuint (mm_repo_file_get_size (file), ==, 667814976);
          g_assert_cmpstr (mm_repo_file_get_sha256 (file), ==,
                           "10c32822b70cdb3bf66bed2c4780cdfc68fb5192c657931cbc8b43790b7b2f55");
        }
    }
  g_assert_cmpuint (total, >, G_MAXUINT32);

  /* The same commit by its id. */
  pinned = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", mm_model_get_sha (model),
                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mm_model_get_sha (pinned), ==, mm_model_get_sha (model));
  g_assert_cmpuint (mm_model_get_files (pinned)->len, ==, files->len);
}

static void
test_model_info_gated (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "example-org/Gated-7B-GGUF", NULL, &error);

  /* Metadata of gated repos is public. */
  g_assert_no_error (error);
  g_assert_cmpint (mm_model_get_gated (model), ==, MM_GATED_MANUAL);
  g_assert_false (mm_model_get_disabled (model));
}

/* A disabled repo's info is public too, says "disabled": true and lists
 * its files; only the files are refused (see read-gguf and the card). */
static void
test_model_info_disabled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "disabled-org/Disabled-GGUF", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (mm_model_get_disabled (model));
  g_assert_cmpint (mm_model_get_gated (model), ==, MM_GATED_NO);
  g_assert_cmpuint (mm_model_get_files (model)->len, >, 0);
}

static void
test_model_info_big_sizes (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "big-org/Giant-70B-GGUF", NULL, &error);
  GPtrArray *files;
  gboolean big = FALSE;

  g_assert_no_error (error);
  files = mm_model_get_files (model);
  for (guint i = 0; i < files->len; i++)
    if (mm_repo_file_get_size (g_ptr_array_index (files, i)) > G_MAXUINT32)
      big = TRUE;
  g_assert_true (big);
}

static void
test_error_repo_not_found (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "nobody/No-Such-Model", NULL, &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nobody/No-Such-Model"));
  g_assert_nonnull (_mm_hub_error_get_request_id (error));
}

static void
test_error_revision_not_found (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF",
                                         "no-such-branch", &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REVISION_NOT_FOUND);
}

static void
test_error_invalid_id (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const ids[] = { "no-slash", "../etc/passwd", "a/b/c", "a/b?x=1", "" };

  mm_mock_hub_reset_counters (fixture->hub);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MmModel) model = model_info (fixture, ids[i], NULL, &error);

      g_assert_null (model);
      g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND);
    }
  /* Refused before anything was sent. */
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, NULL), ==, 0);
}

static void
test_list_files_pages (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  gboolean found_split = FALSE;

  mm_mock_hub_set_tree_page_size (fixture->hub, 3);
  mm_mock_hub_reset_counters (fixture->hub);
  _mm_hub_client_list_files_async (fixture->client, "example-org/TinyChat-1.1B-GGUF",
                                   "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc", NULL,
                                   mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  files = _mm_hub_client_list_files_finish (fixture->client, result, &error);

  g_assert_no_error (error);
  /* 11 files; the BF16 directory entry is not a file. */
  g_assert_cmpuint (files->len, ==, 11);
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (mm_repo_file_get_path (g_ptr_array_index (files, i)),
                     "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf"))
      found_split = TRUE;
  g_assert_true (found_split);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/api/models/"), >=, 4);
}

static GPtrArray *
list_files (Fixture     *fixture,
            const char  *repo_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  _mm_hub_client_list_files_async (fixture->client, repo_id, NULL, NULL,
                                   mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return _mm_hub_client_list_files_finish (fixture->client, result, error);
}

/* The Hub's own page size: 1000 entries, then a Link to the rest. */
static void
test_list_files_many (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);

  mm_mock_hub_reset_counters (fixture->hub);
  files = list_files (fixture, MM_MOCK_HUB_MANY_FILES_REPO, &error);
  g_assert_no_error (error);
  /* 1100 logs, .gitattributes, README.md and the model; not the folder. */
  g_assert_cmpuint (files->len, ==, 1103);
  for (guint i = 0; i < files->len; i++)
    g_assert_true (g_hash_table_add (paths,
                                     (gpointer) mm_repo_file_get_path (g_ptr_array_index (files,
                                                                                          i))));
  g_assert_true (g_hash_table_contains (paths, "logs/step-1100.txt"));
  g_assert_true (g_hash_table_contains (paths, "Many-Q4_K_M.gguf"));
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/api/models/"), ==, 2);
}

/* A renamed repository answers with relative redirects; the client follows
 * them to the same answers as under the new name. */
static void
test_renamed_repo (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, MM_MOCK_HUB_RENAMED_REPO, NULL, &error);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) files_new = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (mm_model_get_id (model), ==, "tiny-org/Pico-GGUF");
  files = list_files (fixture, MM_MOCK_HUB_RENAMED_REPO, &error);
  g_assert_no_error (error);
  files_new = list_files (fixture, "tiny-org/Pico-GGUF", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, files_new->len);
  g_assert_cmpuint (files->len, >, 4);
}

static void
test_model_card (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card = model_card (fixture, "example-org/TinyChat-1.1B-GGUF", &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (card, "#"));
  g_assert_true (g_utf8_validate (card, -1, NULL));
}

static void
test_model_card_missing (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *card = model_card (fixture, "nobody/No-Such-Model", &error);

  g_assert_null (card);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND);
}

static void
test_retry_then_success (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;

  mm_mock_hub_fail_next (fixture->hub, 503, 2, 0);
  mm_mock_hub_reset_counters (fixture->hub);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/api/"), ==, 3);
}

static void
test_retry_exhausted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;

  _mm_hub_client_set_retry_policy (fixture->client, 2, 5);
  mm_mock_hub_fail_next (fixture->hub, 500, 10, 0);
  mm_mock_hub_reset_counters (fixture->hub);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER);
  g_assert_true (_mm_hub_error_is_transient (error));
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/api/"), ==, 3);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;

  _mm_hub_client_set_retry_policy (fixture->client, 0, 5);
  mm_mock_hub_fail_next (fixture->hub, 429, 1, 42);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), >=, 42);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), <=, 43);
  g_assert_nonnull (strstr (error->message, "42") ?: strstr (error->message, "43"));
}

static void
test_rate_limited_honours_retry_after (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  gint64 start = g_get_monotonic_time ();

  mm_mock_hub_fail_next (fixture->hub, 429, 1, 1);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  /* The base delay is 10 ms; only Retry-After makes it wait a second. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_offline (void)
{
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *url = NULL;

  /* Find a port nobody listens on: bind, read the port, close. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = mm_hub_client_new (endpoint, NULL);
  _mm_hub_client_set_retry_policy (client, 1, 5);
  url = mm_hub_client_build_search_url (client, "x", MM_SORT_DOWNLOADS, TRUE, 5);
  mm_hub_client_search_async (client, url, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  models = mm_hub_client_search_finish (client, result, NULL, &error);

  g_assert_null (models);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_body_mode (Fixture       *fixture,
                gconstpointer  data)
{
  MmMockBody mode = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;

  mm_mock_hub_set_body_mode (fixture->hub, mode, 1);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);

  /* The next answer is fine again. */
  g_clear_error (&error);
  model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
}

static void
test_search_malformed (Fixture       *fixture,
                       gconstpointer  data)
{
  static const MmMockBody modes[] = {
    MM_MOCK_BODY_MALFORMED, MM_MOCK_BODY_TRUNCATED, MM_MOCK_BODY_EMPTY,
  };
  g_autofree char *url = mm_hub_client_build_search_url (fixture->client, NULL,
                                                         MM_SORT_DOWNLOADS, TRUE, 5);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = NULL;

      mm_mock_hub_set_body_mode (fixture->hub, modes[i], 1);
      models = search_page (fixture, url, NULL, &error);
      g_assert_null (models);
      g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
    }
}

static void
test_search_wrong_types (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = mm_hub_client_build_search_url (fixture->client, NULL,
                                                         MM_SORT_DOWNLOADS, TRUE, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  /* Items whose every field has the wrong type are dropped or read with
   * fallbacks; nothing crashes and no error is invented. */
  mm_mock_hub_set_body_mode (fixture->hub, MM_MOCK_BODY_WRONG_TYPES, 1);
  models = search_page (fixture, url, NULL, &error);
  if (models == NULL)
    g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
  else
    for (guint i = 0; i < models->len; i++)
      g_assert_nonnull (mm_model_get_id (g_ptr_array_index (models, i)));
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_mid_request (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  gint64 start;

  mm_mock_hub_set_delay (fixture->hub, 5000);
  start = g_get_monotonic_time ();
  mm_hub_client_model_info_async (fixture->client, "example-org/TinyChat-1.1B-GGUF", NULL,
                                  cancellable, mm_test_store_result_cb, &result);
  g_timeout_add (50, cancel_cb, cancellable);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  model = mm_hub_client_model_info_finish (fixture->client, result, &error);

  g_assert_null (model);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  mm_mock_hub_set_delay (fixture->hub, 0);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  gint64 start;

  _mm_hub_client_set_retry_policy (fixture->client, 3, 10000);
  mm_mock_hub_fail_next (fixture->hub, 503, 10, 0);
  start = g_get_monotonic_time ();
  mm_hub_client_model_info_async (fixture->client, "example-org/TinyChat-1.1B-GGUF", NULL,
                                  cancellable, mm_test_store_result_cb, &result);
  g_timeout_add (300, cancel_cb, cancellable);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  model = mm_hub_client_model_info_finish (fixture->client, result, &error);

  g_assert_null (model);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

static void
test_token_sent_to_hub (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL,
                                         &error);
  g_autofree char *auth = mm_mock_hub_get_last_hub_auth (fixture->hub);

  g_assert_no_error (error);
  g_assert_true (mm_hub_client_get_has_token (fixture->client));
  g_assert_cmpstr (auth, ==, "Bearer " MM_MOCK_HUB_TOKEN);
}

static void
test_no_token_no_header (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = model_info (fixture, "example-org/TinyChat-1.1B-GGUF", NULL,
                                         &error);
  g_autofree char *auth = mm_mock_hub_get_last_hub_auth (fixture->hub);

  g_assert_no_error (error);
  g_assert_null (auth);
}

static void
test_endpoint_normalised (void)
{
  g_autoptr(MmHubClient) trailing = mm_hub_client_new ("https://hf-mirror.example/", NULL);
  g_autoptr(MmHubClient) fallback = mm_hub_client_new (NULL, NULL);
  g_autoptr(MmHubClient) bogus = NULL;
  g_autofree char *url = mm_hub_client_build_model_url (trailing, "a/b");

  g_assert_cmpstr (mm_hub_client_get_endpoint (trailing), ==, "https://hf-mirror.example");
  g_assert_cmpstr (url, ==, "https://hf-mirror.example/a/b");
  g_assert_cmpstr (mm_hub_client_get_endpoint (fallback), ==, "https://huggingface.co");

  g_test_expect_message ("mm-hub-client", G_LOG_LEVEL_WARNING, "*invalid Hub endpoint*");
  bogus = mm_hub_client_new ("ftp://example.com", NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (mm_hub_client_get_endpoint (bogus), ==, "https://huggingface.co");
}

static void
test_environment (void)
{
  g_autoptr(MmHubClient) client = NULL;

  g_setenv ("HF_ENDPOINT", "http://127.0.0.1:1234/", TRUE);
  g_setenv ("HF_TOKEN", "  hf_abc  ", TRUE);
  client = _mm_hub_client_new_from_environment ();
  g_assert_cmpstr (mm_hub_client_get_endpoint (client), ==, "http://127.0.0.1:1234");
  g_assert_true (mm_hub_client_get_has_token (client));
  g_clear_object (&client);

  g_unsetenv ("HF_ENDPOINT");
  g_setenv ("HF_TOKEN", "", TRUE);
  client = _mm_hub_client_new_from_environment ();
  g_assert_cmpstr (mm_hub_client_get_endpoint (client), ==, "https://huggingface.co");
  g_assert_false (mm_hub_client_get_has_token (client));
}

/* The model card is a file: gated and disabled repos answer like downloads. */
typedef struct {
  const char *token;
  const char *repo;
  MmHubError code;
} CardCase;

static const CardCase card_cases[] = {
  { NULL, "example-org/Gated-7B-GGUF", MM_HUB_ERROR_GATED_NO_TOKEN },
  { MM_MOCK_HUB_TOKEN_NOACCESS, "example-org/Gated-7B-GGUF", MM_HUB_ERROR_GATED_NO_ACCESS },
  { "hf_thisisnotavalidtoken", "example-org/Gated-7B-GGUF", MM_HUB_ERROR_UNAUTHORIZED },
  { NULL, "disabled-org/Disabled-GGUF", MM_HUB_ERROR_FORBIDDEN },
};

static void
test_card_error_kinds (void)
{
  g_autoptr(GError) hub_error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&hub_error);

  g_assert_no_error (hub_error);
  for (guint i = 0; i < G_N_ELEMENTS (card_cases); i++)
    {
      g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub),
                                                         card_cases[i].token);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *card = NULL;

      mm_hub_client_model_card_async (client, card_cases[i].repo, NULL, NULL,
                                      mm_test_store_result_cb, &result);
      mm_test_wait_for_result (&result, TIMEOUT_MS);
      card = mm_hub_client_model_card_finish (client, result, &error);
      g_assert_null (card);
      g_assert_error (error, MM_HUB_ERROR, (int) card_cases[i].code);
      g_assert_false (_mm_hub_error_is_transient (error));
      /* A person reads this: it names the repo or says what to do. */
      g_assert_cmpuint (strlen (error->message), >, 20);
      if (card_cases[i].token != NULL)
        g_assert_null (strstr (error->message, card_cases[i].token));
    }
  mm_mock_hub_stop (hub);
}

/* auth-check: "may this client download?", before any download. */
typedef struct {
  const char *token;
  const char *repo;
  int code;           /* -1: allowed */
} AuthCase;

static const AuthCase auth_cases[] = {
  { NULL, "example-org/TinyChat-1.1B-GGUF", -1 },
  { NULL, "example-org/Gated-7B-GGUF", MM_HUB_ERROR_GATED_NO_TOKEN },
  { NULL, "solo-dev/tinychat-nano-GGUF", MM_HUB_ERROR_GATED_NO_TOKEN },
  { MM_MOCK_HUB_TOKEN, "example-org/Gated-7B-GGUF", -1 },
  { MM_MOCK_HUB_TOKEN_NOACCESS, "example-org/Gated-7B-GGUF", MM_HUB_ERROR_GATED_NO_ACCESS },
  { "hf_thisisnotavalidtoken", "example-org/Gated-7B-GGUF", MM_HUB_ERROR_UNAUTHORIZED },
  { NULL, "nobody/No-Such-Model", MM_HUB_ERROR_REPO_NOT_FOUND },
  { NULL, MM_MOCK_HUB_PRIVATE_REPO, MM_HUB_ERROR_REPO_NOT_FOUND },
  { MM_MOCK_HUB_TOKEN_NOACCESS, MM_MOCK_HUB_PRIVATE_REPO, MM_HUB_ERROR_REPO_NOT_FOUND },
  { MM_MOCK_HUB_TOKEN, MM_MOCK_HUB_PRIVATE_REPO, -1 },
  { NULL, "disabled-org/Disabled-GGUF", MM_HUB_ERROR_FORBIDDEN },
};

static void
test_auth_check (void)
{
  g_autoptr(GError) hub_error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&hub_error);

  g_assert_no_error (hub_error);
  for (guint i = 0; i < G_N_ELEMENTS (auth_cases); i++)
    {
      g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub),
                                                         auth_cases[i].token);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gboolean allowed;

      g_test_message ("%s with %s", auth_cases[i].repo,
                      auth_cases[i].token ? "a token" : "no token");
      mm_hub_client_auth_check_async (client, auth_cases[i].repo, NULL,
                                      mm_test_store_result_cb, &result);
      mm_test_wait_for_result (&result, TIMEOUT_MS);
      allowed = mm_hub_client_auth_check_finish (client, result, &error);
      if (auth_cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (allowed);
          continue;
        }
      g_assert_false (allowed);
      g_assert_error (error, MM_HUB_ERROR, auth_cases[i].code);
      g_assert_false (_mm_hub_error_is_transient (error));
      if (auth_cases[i].token != NULL)
        g_assert_null (strstr (error->message, auth_cases[i].token));
    }
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/api/models/"), ==,
                    G_N_ELEMENTS (auth_cases));
  mm_mock_hub_stop (hub);
}

/* A token the Hub does not accept, on a gated repo: whichever of its two
 * known answers the Hub gives (the anonymous 401 GatedRepo, or a plain 401
 * "Invalid credentials"), the client says the token was refused, never
 * that the account waits for approval. Only a 403 GatedRepo means that. */
static void
test_gated_refused_token (void)
{
  const MmMockRefusedToken answers[] = {
    MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS,
    MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS,
  };
  const char *bad = "hf_thisisnotavalidtoken0123456789abcdef";
  g_autoptr(GError) hub_error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&hub_error);

  g_assert_no_error (hub_error);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), bad);
      g_autoptr(MmHubClient) noaccess = mm_hub_client_new (mm_mock_hub_get_url (hub),
                                                           MM_MOCK_HUB_TOKEN_NOACCESS);
      g_autoptr(GAsyncResult) auth_result = NULL;
      g_autoptr(GAsyncResult) card_result = NULL;
      g_autoptr(GAsyncResult) waiting_result = NULL;
      g_autoptr(GError) auth_error = NULL;
      g_autoptr(GError) card_error = NULL;
      g_autoptr(GError) waiting_error = NULL;
      g_autofree char *card = NULL;

      mm_mock_hub_set_refused_token (hub, answers[i]);

      mm_hub_client_auth_check_async (client, "example-org/Gated-7B-GGUF", NULL,
                                      mm_test_store_result_cb, &auth_result);
      mm_test_wait_for_result (&auth_result, TIMEOUT_MS);
      g_assert_false (mm_hub_client_auth_check_finish (client, auth_result, &auth_error));
      g_assert_error (auth_error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
      g_assert_nonnull (strstr (auth_error->message, "token"));
      g_assert_null (strstr (auth_error->message, "approval"));
      g_assert_null (strstr (auth_error->message, bad));

      mm_hub_client_model_card_async (client, "example-org/Gated-7B-GGUF", NULL, NULL,
                                      mm_test_store_result_cb, &card_result);
      mm_test_wait_for_result (&card_result, TIMEOUT_MS);
      card = mm_hub_client_model_card_finish (client, card_result, &card_error);
      g_assert_null (card);
      g_assert_error (card_error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
      g_assert_null (strstr (card_error->message, "approval"));

      /* The account that really waits for approval is told so. */
      mm_hub_client_auth_check_async (noaccess, "example-org/Gated-7B-GGUF", NULL,
                                      mm_test_store_result_cb, &waiting_result);
      mm_test_wait_for_result (&waiting_result, TIMEOUT_MS);
      g_assert_false (mm_hub_client_auth_check_finish (noaccess, waiting_result,
                                                       &waiting_error));
      g_assert_error (waiting_error, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_ACCESS);
      g_assert_nonnull (strstr (waiting_error->message, "approval"));
    }

  /* The anonymous answer names the model; the token is the problem. */
  mm_mock_hub_set_refused_token (hub, MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS);
  {
    g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), bad);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    mm_hub_client_auth_check_async (client, "example-org/Gated-7B-GGUF", NULL,
                                    mm_test_store_result_cb, &result);
    mm_test_wait_for_result (&result, TIMEOUT_MS);
    g_assert_false (mm_hub_client_auth_check_finish (client, result, &error));
    g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
    g_assert_nonnull (strstr (error->message, "example-org/Gated-7B-GGUF"));
  }
  mm_mock_hub_stop (hub);
}

static void
test_auth_check_cancelled (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mm_mock_hub_set_delay (fixture->hub, 2000);
  mm_hub_client_auth_check_async (fixture->client, "example-org/Gated-7B-GGUF", cancellable,
                                  mm_test_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_false (mm_hub_client_auth_check_finish (fixture->client, result, &error));
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

/* A private repo is indistinguishable from a missing one, except to an
 * account that can see it. */
static void
test_private_repo (void)
{
  const char *tokens[] = { NULL, MM_MOCK_HUB_TOKEN_NOACCESS, MM_MOCK_HUB_TOKEN };
  g_autoptr(GError) hub_error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&hub_error);

  g_assert_no_error (hub_error);
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), tokens[i]);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GAsyncResult) search_result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MmModel) model = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autofree char *url = NULL;
      gboolean listed = FALSE;

      mm_hub_client_model_info_async (client, MM_MOCK_HUB_PRIVATE_REPO, NULL, NULL,
                                      mm_test_store_result_cb, &result);
      mm_test_wait_for_result (&result, TIMEOUT_MS);
      model = mm_hub_client_model_info_finish (client, result, &error);

      url = mm_hub_client_build_search_url (client, "Private-3B", MM_SORT_DOWNLOADS, TRUE, 0);
      mm_hub_client_search_async (client, url, NULL, mm_test_store_result_cb, &search_result);
      mm_test_wait_for_result (&search_result, TIMEOUT_MS);
      found = mm_hub_client_search_finish (client, search_result, NULL, NULL);
      g_assert_nonnull (found);
      for (guint j = 0; j < found->len; j++)
        listed |= g_str_equal (mm_model_get_id (g_ptr_array_index (found, j)),
                               MM_MOCK_HUB_PRIVATE_REPO);

      if (g_strcmp0 (tokens[i], MM_MOCK_HUB_TOKEN) == 0)
        {
          g_assert_no_error (error);
          g_assert_true (mm_model_get_private (model));
          g_assert_true (listed);
        }
      else
        {
          g_assert_null (model);
          g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND);
          g_assert_false (listed);
        }
    }
  mm_mock_hub_stop (hub);
}

#define ADD(path, func, token) \
  g_test_add (path, Fixture, token, fixture_set_up, func, fixture_tear_down)

/* Reading GGUF headers */

#define PICO  "tiny-org/Pico-GGUF"
#define GATED "example-org/Gated-7B-GGUF"

static MmGgufInfo *
read_gguf (Fixture       *fixture,
           const char    *repo,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_read_gguf_async (fixture->client, repo, NULL, path, cancellable,
                                 mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_read_gguf_finish (fixture->client, result, error);
}

static void
test_read_gguf_public (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_auto(GStrv) ranges = NULL;

  info = read_gguf (fixture, PICO, "Pico-Q4_K_M.gguf", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mm_gguf_info_get_architecture (info), ==, "llama");
  g_assert_cmpstr (mm_gguf_info_get_name (info), ==, "Pico");
  g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, "Q4_K_M");
  g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, 512);
  g_assert_cmpuint (mm_gguf_info_get_block_count (info), ==, 1);
  g_assert_cmpuint (mm_gguf_info_get_embedding_length (info), ==, 256);
  g_assert_cmpuint (mm_gguf_info_get_head_count (info), ==, 4);
  g_assert_cmpuint (mm_gguf_info_get_head_count_kv (info), ==, 2);
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, 525056);
  g_assert_false (mm_gguf_info_get_is_split (info));
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, 300 * 1024);

  /* The bytes came from the CDN, by Range. */
  ranges = mm_mock_hub_get_cdn_ranges (fixture->hub);
  g_assert_cmpuint (g_strv_length (ranges), >=, 1);
  g_assert_true (g_str_has_prefix (ranges[0], "bytes=0-"));
}

static void
test_read_gguf_split (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = read_gguf (fixture, PICO, "Pico-Q2_K-00001-of-00002.gguf", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mm_gguf_info_get_is_split (info));
  g_assert_cmpuint (mm_gguf_info_get_split_no (info), ==, 0);
  g_assert_cmpuint (mm_gguf_info_get_split_count (info), ==, 2);
  g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, "Q2_K");
  g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, 512);
}

static void
test_read_gguf_gated_token (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autofree char *hub_auth = NULL;
  g_autofree char *cdn_auth = NULL;

  info = read_gguf (fixture, GATED, "Gated-7B-IQ1_S.gguf", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, "IQ1_S");
  g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, 32768);
  g_assert_true (mm_gguf_info_get_has_chat_template (info));

  /* The Hub got the token; the CDN, asked for ranges, never did. */
  hub_auth = mm_mock_hub_get_last_hub_auth (fixture->hub);
  cdn_auth = mm_mock_hub_get_last_cdn_auth (fixture->hub);
  g_assert_cmpstr (hub_auth, ==, "Bearer " MM_MOCK_HUB_TOKEN);
  g_assert_null (cdn_auth);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/" GATED "/resolve/"), ==, 1);
}

static void
test_read_gguf_gated_no_token (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = read_gguf (fixture, GATED, "Gated-7B-IQ1_S.gguf", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);
}

static void
test_read_gguf_gated_no_access (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = read_gguf (fixture, GATED, "Gated-7B-IQ1_S.gguf", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_ACCESS);
}

static void
test_read_gguf_missing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = read_gguf (fixture, PICO, "Pico-Q9_9.gguf", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Pico-Q9_9.gguf"));
}

/* A failing CDN is named like any Hub failure, and its signed address
 * stays out of the message. */
static void
test_read_gguf_cdn_error (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  mm_mock_hub_cdn_fail_next (fixture->hub, 503, 1);
  info = read_gguf (fixture, PICO, "Pico-Q8_0.gguf", NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER);
  g_assert_null (strstr (error->message, mm_mock_hub_get_cdn_url (fixture->hub)));
  g_assert_null (strstr (error->message, "http"));
}

typedef struct {
  guint         calls;
  guint64       bytes_read;
  guint64       bytes_total;
  GCancellable *cancel_at_first;  /* (nullable) */
} Progress;

static void
progress_cb (guint64  bytes_read,
             guint64  bytes_total,
             gpointer user_data)
{
  Progress *progress = user_data;

  /* Never backwards, never more than the file. */
  g_assert_cmpuint (bytes_read, >=, progress->bytes_read);
  if (bytes_total != 0)
    g_assert_cmpuint (bytes_read, <=, bytes_total);
  progress->calls++;
  progress->bytes_read = bytes_read;
  progress->bytes_total = bytes_total;
  if (progress->cancel_at_first != NULL)
    g_cancellable_cancel (progress->cancel_at_first);
}

static MmGgufInfo *
read_gguf_with_progress (Fixture       *fixture,
                         const char    *repo,
                         const char    *path,
                         Progress      *progress,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_read_gguf_with_progress_async (fixture->client, repo, NULL, path,
                                               progress_cb, progress, NULL, cancellable,
                                               mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_read_gguf_finish (fixture->client, result, error);
}

/* A small header is read in one first step of 64 KiB, not 2 MB: the mock
 * CDN sees one Range request for the first 64 KiB and sends no more. The
 * progress counts up to what was read; how much will be read is not known
 * (the 600 KiB file could have needed another step). */
static void
test_read_gguf_small_step (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_auto(GStrv) ranges = NULL;
  Progress progress = { 0, };

  mm_mock_hub_reset_counters (fixture->hub);
  info = read_gguf_with_progress (fixture, PICO, "Pico-Q8_0.gguf", &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mm_gguf_info_get_architecture (info), ==, "llama");
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, 600 * 1024);

  ranges = mm_mock_hub_get_cdn_ranges (fixture->hub);
  g_assert_cmpuint (g_strv_length (ranges), ==, 1);
  g_assert_cmpstr (ranges[0], ==, "bytes=0-65535");
  g_test_message ("CDN sent %" G_GUINT64_FORMAT " bytes",
                  mm_mock_hub_get_cdn_bytes_sent (fixture->hub));
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (fixture->hub), <=, 64 * 1024);

  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.bytes_read, ==, 64 * 1024);
  g_assert_cmpuint (progress.bytes_total, ==, 0);
}

/* Cancelled from its progress, once the first bytes came: the read stops
 * with CANCELLED, long before the first step is through. */
static void
test_read_gguf_cancel_mid_read (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  Progress progress = { .cancel_at_first = cancellable };

  /* 8 KiB a second: the first step would take eight seconds. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 8 * 1024);
  mm_mock_hub_reset_counters (fixture->hub);
  info = read_gguf_with_progress (fixture, PICO, "Pico-Q8_0.gguf", &progress, cancellable,
                                  &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpuint (progress.bytes_read, >, 0);
  g_assert_cmpuint (progress.bytes_read, <, 64 * 1024);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (fixture->hub), <, 64 * 1024);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
}

static void
count_free_cb (gpointer data)
{
  (*(guint *) data)++;
}

/* A refused repository id finishes at once, and the progress data is
 * freed all the same. */
static void
test_read_gguf_bad_repo (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  guint freed = 0;

  mm_hub_client_read_gguf_with_progress_async (fixture->client, "no-slash", NULL, "a.gguf",
                                               progress_cb, &freed, count_free_cb, NULL,
                                               mm_test_store_result_cb, &result);
  g_assert_cmpuint (freed, ==, 1);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_hub_client_read_gguf_finish (fixture->client, result, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
}

static void
test_read_gguf_cancelled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  gint64 start;

  /* Slow enough that the read is still going when it is cancelled. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 4096);
  start = g_get_monotonic_time ();
  g_timeout_add (50, cancel_cb, cancellable);
  info = read_gguf (fixture, PICO, "Pico-Q8_0.gguf", cancellable, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/mm/hub-client/search/first-page", test_search_first_page, NULL);
  ADD ("/mm/hub-client/search/pagination", test_search_pagination, NULL);
  ADD ("/mm/hub-client/search/all-formats", test_search_all_formats, NULL);
  ADD ("/mm/hub-client/search/sort-orders", test_search_sort_orders, NULL);
  ADD ("/mm/hub-client/search/malformed", test_search_malformed, NULL);
  ADD ("/mm/hub-client/search/wrong-types", test_search_wrong_types, NULL);
  ADD ("/mm/hub-client/model-info/fields", test_model_info_fields, NULL);
  ADD ("/mm/hub-client/model-info/gated", test_model_info_gated, NULL);
  ADD ("/mm/hub-client/model-info/disabled", test_model_info_disabled, NULL);
  ADD ("/mm/hub-client/model-info/big-sizes", test_model_info_big_sizes, NULL);
  ADD ("/mm/hub-client/list-files/pages", test_list_files_pages, NULL);
  ADD ("/mm/hub-client/list-files/many", test_list_files_many, NULL);
  ADD ("/mm/hub-client/renamed-repo", test_renamed_repo, NULL);
  ADD ("/mm/hub-client/model-card/found", test_model_card, NULL);
  ADD ("/mm/hub-client/model-card/missing", test_model_card_missing, NULL);
  ADD ("/mm/hub-client/error/repo-not-found", test_error_repo_not_found, NULL);
  ADD ("/mm/hub-client/error/revision-not-found", test_error_revision_not_found, NULL);
  ADD ("/mm/hub-client/error/invalid-id", test_error_invalid_id, NULL);
  ADD ("/mm/hub-client/error/retry-then-success", test_retry_then_success, NULL);
  ADD ("/mm/hub-client/error/retry-exhausted", test_retry_exhausted, NULL);
  ADD ("/mm/hub-client/error/rate-limited", test_rate_limited, NULL);
  ADD ("/mm/hub-client/error/rate-limit-waits", test_rate_limited_honours_retry_after, NULL);
  g_test_add_data_func ("/mm/hub-client/error/offline", NULL, (GTestDataFunc) test_offline);
  g_test_add ("/mm/hub-client/error/malformed", Fixture,
              GINT_TO_POINTER (MM_MOCK_BODY_MALFORMED),
              fixture_set_up_anonymous, test_body_mode, fixture_tear_down);
  g_test_add ("/mm/hub-client/error/truncated", Fixture,
              GINT_TO_POINTER (MM_MOCK_BODY_TRUNCATED),
              fixture_set_up_anonymous, test_body_mode, fixture_tear_down);
  g_test_add ("/mm/hub-client/error/empty-body", Fixture,
              GINT_TO_POINTER (MM_MOCK_BODY_EMPTY),
              fixture_set_up_anonymous, test_body_mode, fixture_tear_down);
  ADD ("/mm/hub-client/cancel/mid-request", test_cancel_mid_request, NULL);
  ADD ("/mm/hub-client/cancel/during-backoff", test_cancel_during_backoff, NULL);
  ADD ("/mm/hub-client/token/sent-to-hub", test_token_sent_to_hub, MM_MOCK_HUB_TOKEN);
  ADD ("/mm/hub-client/token/none", test_no_token_no_header, NULL);
  g_test_add_func ("/mm/hub-client/error/file-kinds", test_card_error_kinds);
  g_test_add_func ("/mm/hub-client/auth-check/kinds", test_auth_check);
  g_test_add_func ("/mm/hub-client/auth-check/gated-refused-token", test_gated_refused_token);
  ADD ("/mm/hub-client/auth-check/cancelled", test_auth_check_cancelled, NULL);
  g_test_add_func ("/mm/hub-client/model-info/private", test_private_repo);
  ADD ("/mm/hub-client/read-gguf/public", test_read_gguf_public, NULL);
  ADD ("/mm/hub-client/read-gguf/split", test_read_gguf_split, NULL);
  ADD ("/mm/hub-client/read-gguf/gated-token", test_read_gguf_gated_token, MM_MOCK_HUB_TOKEN);
  ADD ("/mm/hub-client/read-gguf/gated-no-token", test_read_gguf_gated_no_token, NULL);
  ADD ("/mm/hub-client/read-gguf/gated-no-access", test_read_gguf_gated_no_access,
       MM_MOCK_HUB_TOKEN_NOACCESS);
  ADD ("/mm/hub-client/read-gguf/missing", test_read_gguf_missing, NULL);
  ADD ("/mm/hub-client/read-gguf/cdn-error", test_read_gguf_cdn_error, NULL);
  ADD ("/mm/hub-client/read-gguf/cancelled", test_read_gguf_cancelled, NULL);
  ADD ("/mm/hub-client/read-gguf/small-step", test_read_gguf_small_step, NULL);
  ADD ("/mm/hub-client/read-gguf/bad-repo", test_read_gguf_bad_repo, NULL);
  ADD ("/mm/hub-client/read-gguf/cancel-mid-read", test_read_gguf_cancel_mid_read, NULL);
  g_test_add_func ("/mm/hub-client/endpoint/normalised", test_endpoint_normalised);
  g_test_add_func ("/mm/hub-client/endpoint/environment", test_environment);

  return g_test_run ();
}
