/* test-mock-hub.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the mock Hub itself, with plain SoupSession requests: every other
 * test trusts it to speak the protocol of ../shared/hub-protocol.md, so its
 * answers are compared with the fixtures wherever a fixture exists.
 */
#define G_LOG_DOMAIN "test-mock-hub"

#include "config.h"

#include "mm-gguf-reader.h"
#include "mm-gguf-writer.h"
#include "mm-mock-hub.h"
#include "mm-quant.h"
#include "mm-test-utils.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#define TINYCHAT     "example-org/TinyChat-1.1B-GGUF"
#define TINYCHAT_SHA "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc"
#define PICO         "tiny-org/Pico-GGUF"
#define GATED        "example-org/Gated-7B-GGUF"
#define EXPAND_APP   "expand=author&expand=downloads&expand=likes&expand=gated" \
                     "&expand=lastModified&expand=private&expand=tags&expand=pipeline_tag"

typedef struct {
  MmMockHub   *hub;
  SoupSession *session;
} Fixture;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;  /* (owned) */
  GBytes             *body;     /* (owned) */
  JsonNode           *json;     /* (owned) (nullable): parsed body */
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (f->hub);
  f->session = soup_session_new_with_options ("user-agent", "mm-test/1.0", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  mm_mock_hub_stop (f->hub);
  g_assert_finalize_object (f->hub);
}

/* Sends a request synchronously (the mock runs in its own thread). @url is
 * absolute, or a path on the Hub. Extra headers come as name/value pairs. */
static Response *
request_full (Fixture    *f,
              const char *method,
              const char *url,
              gboolean    follow,
              ...)
{
  g_autofree char *full = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Response *response = g_new0 (Response, 1);
  const char *name;
  va_list args;

  full = url[0] == '/' ? g_strconcat (mm_mock_hub_get_url (f->hub), url, NULL) : g_strdup (url);
  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  if (!follow)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept-Encoding", "identity");

  va_start (args, follow);
  while ((name = va_arg (args, const char *)))
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);

  response->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (response->body) > 0)
    response->json = json_from_string (g_bytes_get_data (response->body, NULL), NULL);

  return response;
}

static Response *
get (Fixture    *f,
     const char *url)
{
  return request_full (f, "GET", url, FALSE, NULL);
}

static const char *
header (Response   *response,
        const char *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

static JsonNode *
load_fixture_json (const char *name)
{
  g_autoptr(GBytes) bytes = mm_test_load_fixture (name);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_json_equals_fixture (JsonNode   *node,
                            const char *fixture)
{
  g_autoptr(JsonNode) expected = load_fixture_json (fixture);

  g_assert_nonnull (node);
  if (!json_node_equal (node, expected))
    {
      g_autofree char *got = json_to_string (node, TRUE);

      g_error ("answer differs from %s:\n%s", fixture, got);
    }
}

static JsonArray *
json_array (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->json));
  return json_node_get_array (response->json);
}

static JsonObject *
json_object (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

static void
assert_error (Response   *response,
              guint       status,
              const char *code,
              const char *message)
{
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (header (response, "X-Error-Code"), ==, code);
  g_assert_true (g_str_has_prefix (header (response, "Content-Type"), "application/json"));
  if (message)
    {
      g_assert_cmpstr (header (response, "X-Error-Message"), ==, message);
      g_assert_cmpstr (json_object_get_string_member (json_object (response), "error"), ==,
                       message);
    }
}

/* Returns the URL of `Link: <URL>; rel="next"`, or NULL. */
static char *
next_link (Response *response)
{
  const char *link = header (response, "Link");
  const char *end;

  if (!link)
    return NULL;
  g_assert_true (link[0] == '<');
  end = strstr (link, ">; rel=\"next\"");
  g_assert_nonnull (end);
  return g_strndup (link + 1, end - link - 1);
}

static gboolean
is_hex (const char *str,
        gsize       len)
{
  if (!str || strlen (str) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (str[i]) || g_ascii_isupper (str[i]))
      return FALSE;
  return TRUE;
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* ------------------------------------------------------------------------ */

static void
test_start_stop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GUri) hub = g_uri_parse (mm_mock_hub_get_url (f->hub), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) cdn = g_uri_parse (mm_mock_hub_get_cdn_url (f->hub), G_URI_FLAGS_NONE, NULL);
  g_autoptr(Response) response = NULL;

  g_assert_nonnull (hub);
  g_assert_nonnull (cdn);
  g_assert_cmpstr (g_uri_get_host (hub), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (hub), >, 0);
  g_assert_false (g_str_has_suffix (mm_mock_hub_get_url (f->hub), "/"));
  g_assert_true (g_str_equal (g_uri_get_host (cdn), "127.0.0.2") ||
                 g_uri_get_port (cdn) != g_uri_get_port (hub));
  g_assert_cmpstr (mm_mock_hub_get_url (f->hub), !=, mm_mock_hub_get_cdn_url (f->hub));

  response = get (f, "/api/models?limit=1");
  g_assert_cmpuint (response->status, ==, 200);

  /* Stopping twice is fine; teardown stops again. */
  mm_mock_hub_stop (f->hub);
  mm_mock_hub_stop (f->hub);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Response) response = get (f, "/no/such/endpoint/at/all");

  g_assert_cmpuint (response->status, ==, 404);
  g_assert_cmpstr (json_object_get_string_member (json_object (response), "error"), ==,
                   "Not Found");
  g_assert_nonnull (header (response, "X-Request-Id"));
}

static void
test_search_fixture_default (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Response) response =
    get (f, "/api/models?search=tinychat&filter=gguf&sort=downloads&limit=3");
  g_autofree char *next = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_true (g_str_has_prefix (header (response, "Content-Type"), "application/json"));
  assert_json_equals_fixture (response->json, "search-models-default.json");

  /* A fourth TinyChat repo exists, so there is a next page, as in the fixture. */
  next = next_link (response);
  g_assert_nonnull (next);
  g_assert_true (g_str_has_prefix (next, mm_mock_hub_get_url (f->hub)));
  g_assert_nonnull (strstr (next, "search=tinychat&filter=gguf&sort=downloads&limit=3&"));
  g_assert_nonnull (strstr (next, "cursor="));
}

static void
test_search_fixture_expand (Fixture       *f,
                            gconstpointer  data)
{
  const char *urls[] = {
    "/api/models?search=tinychat&filter=gguf&sort=downloads&limit=3&" EXPAND_APP "&expand=gguf",
    "/api/models?search=tinychat&filter=gguf&sort=downloads&limit=3&expand%5B%5D=author"
      "&expand%5B%5D=downloads&expand%5B%5D=likes&expand%5B%5D=gated&expand%5B%5D=lastModified"
      "&expand%5B%5D=private&expand%5B%5D=tags&expand%5B%5D=pipeline_tag&expand%5B%5D=gguf",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(Response) response = get (f, urls[i]);

      g_assert_cmpuint (response->status, ==, 200);
      assert_json_equals_fixture (response->json, "search-models-expand.json");
    }
}

static void
test_search_default_shape (Fixture       *f,
                           gconstpointer  data)
{
  const char *allowed[] = { "_id", "id", "likes", "trendingScore", "private", "downloads", "tags",
                            "pipeline_tag", "library_name", "createdAt", "modelId", NULL };
  g_autoptr(Response) response = get (f, "/api/models?search=filler");
  JsonArray *array = json_array (response);
  gboolean saw_no_pipeline = FALSE;

  /* limit absent: 30 per page. */
  g_assert_cmpuint (json_array_get_length (array), ==, 30);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      g_autoptr(GList) members = json_object_get_members (item);

      for (GList *l = members; l; l = l->next)
        g_assert_true (g_strv_contains (allowed, l->data));
      g_assert_true (is_hex (json_object_get_string_member (item, "_id"), 24));
      g_assert_cmpstr (json_object_get_string_member (item, "id"), ==,
                       json_object_get_string_member (item, "modelId"));
      g_assert_false (json_object_has_member (item, "author"));
      g_assert_false (json_object_has_member (item, "gated"));
      if (!json_object_has_member (item, "pipeline_tag"))
        saw_no_pipeline = TRUE;
    }
  g_assert_true (saw_no_pipeline);
}

static void
test_search_expand_only (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Response) response = get (f, "/api/models?search=Giant&" EXPAND_APP);
  g_autoptr(Response) bad = get (f, "/api/models?expand=nonsense");
  JsonObject *item;
  g_autoptr(GList) members = NULL;
  const char *expected[] = { "_id", "id", "author", "downloads", "likes", "gated",
                             "lastModified", "private", "tags", "pipeline_tag", NULL };
  guint i = 0;

  g_assert_cmpuint (json_array_get_length (json_array (response)), ==, 1);
  item = json_array_get_object_element (json_array (response), 0);
  members = json_object_get_members (item);
  for (GList *l = members; l; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_null (expected[i]);
  g_assert_cmpstr (json_object_get_string_member (item, "author"), ==, "big-org");
  g_assert_false (json_object_get_boolean_member (item, "gated"));

  assert_error (bad, 400, NULL, NULL);
}

static void
test_search_pagination (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *url = g_strdup ("/api/models?search=Filler-Model&filter=gguf&sort=likes"
                                   "&limit=10&" EXPAND_APP);
  gint64 previous_likes = G_MAXINT64;
  guint pages = 0;

  while (url)
    {
      g_autoptr(Response) response = get (f, url);
      JsonArray *array = json_array (response);
      g_autofree char *next = next_link (response);

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (array), <=, 10);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *item = json_array_get_object_element (array, i);
          const char *id = json_object_get_string_member (item, "id");
          gint64 likes = json_object_get_int_member (item, "likes");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
          g_assert_cmpint (likes, <=, previous_likes);
          previous_likes = likes;
          g_assert_true (json_object_has_member (item, "author"));
        }

      if (next)
        {
          /* The next URL keeps every original parameter, repeated keys too. */
          g_assert_nonnull (strstr (next, "search=Filler-Model&filter=gguf&sort=likes&limit=10"));
          g_assert_nonnull (strstr (next, EXPAND_APP));
          g_assert_cmpuint (json_array_get_length (array), ==, 10);
        }
      g_free (url);
      url = g_steal_pointer (&next);
      pages++;
      g_assert_cmpuint (pages, <, 20);
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 44);
  g_assert_cmpuint (pages, ==, 5);
}

static void
test_search_bad_cursor (Fixture       *f,
                        gconstpointer  data)
{
  const char *cursors[] = { "%21%21%21", "bm90IGpzb24%3D", "eyJvZmZzZXQiOiJ4In0%3D" };

  for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
    {
      g_autofree char *url = g_strdup_printf ("/api/models?search=filler&cursor=%s", cursors[i]);
      g_autoptr(Response) response = get (f, url);

      g_assert_cmpuint (response->status, ==, 400);
      g_assert_nonnull (json_object_get_string_member (json_object (response), "error"));
    }
}

static GPtrArray *
search_ids (Fixture    *f,
            const char *sort,
            const char *key,
            gboolean    check_order)
{
  g_autofree char *url = g_strdup_printf ("/api/models?filter=gguf&sort=%s&limit=1000"
                                          "&expand=%s", sort, key);
  g_autoptr(Response) response = get (f, url);
  JsonArray *array = json_array (response);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_null (header (response, "Link"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (item, "id")));
      if (i == 0 || !check_order)
        continue;

      /* Always descending. */
      {
        JsonObject *prev = json_array_get_object_element (array, i - 1);
        JsonNode *a = json_object_get_member (prev, key);
        JsonNode *b = json_object_get_member (item, key);

        if (json_node_get_value_type (a) == G_TYPE_STRING)
          g_assert_cmpint (strcmp (json_node_get_string (a), json_node_get_string (b)), >=, 0);
        else
          g_assert_cmpint (json_node_get_int (a), >=, json_node_get_int (b));
      }
    }

  return ids;
}

static void
test_search_sorting (Fixture       *f,
                     gconstpointer  data)
{
  /* Every key the real Hub accepts (hub-protocol.md §1); the first five come
   * back in the answer, so their order is checked value by value. */
  const char *sorts[] = { "downloads", "likes", "trendingScore", "lastModified", "createdAt",
                          "likes30d", "num_parameters", "mainSize", "id" };
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(Response) bad = get (f, "/api/models?sort=bogus");
  g_autoptr(GPtrArray) all_time = search_ids (f, "downloadsAllTime", "downloadsAllTime", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      gboolean returned = i < 5;
      GPtrArray *ids = search_ids (f, sorts[i], returned ? sorts[i] : "downloads", returned);

      g_assert_cmpuint (ids->len, >=, 50);
      g_ptr_array_add (orders, ids);
    }

  /* The catalog spreads its counters, so no two sort keys give the same order. */
  for (guint i = 0; i < orders->len; i++)
    for (guint j = i + 1; j < orders->len; j++)
      {
        GPtrArray *a = g_ptr_array_index (orders, i);
        GPtrArray *b = g_ptr_array_index (orders, j);
        gboolean differ = FALSE;

        for (guint k = 0; k < a->len && !differ; k++)
          differ = !g_str_equal (g_ptr_array_index (a, k), g_ptr_array_index (b, k));
        g_assert_true (differ);
      }

  /* id: descending by name; mainSize and num_parameters: the giant first. */
  {
    GPtrArray *by_id = g_ptr_array_index (orders, 8);

    for (guint i = 1; i < by_id->len; i++)
      g_assert_cmpint (strcmp (g_ptr_array_index (by_id, i - 1), g_ptr_array_index (by_id, i)),
                       >, 0);
    GPtrArray *by_parameters = g_ptr_array_index (orders, 6);
    GPtrArray *by_size = g_ptr_array_index (orders, 7);

    g_assert_cmpstr (g_ptr_array_index (by_parameters, 0), ==, "big-org/Giant-70B-GGUF");
    g_assert_cmpstr (g_ptr_array_index (by_size, 0), ==, "big-org/Giant-70B-GGUF");
  }
  g_assert_cmpuint (all_time->len, ==, ((GPtrArray *) g_ptr_array_index (orders, 0))->len);

  assert_error (bad, 400, NULL, NULL);
}

static gboolean
ids_contain (GPtrArray  *ids,
             const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}

static void
test_search_filter (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) gguf = search_ids (f, "downloads", "tags", FALSE);
  g_autoptr(Response) all = get (f, "/api/models?search=SAFETENSORS&limit=100");
  g_autoptr(Response) author = get (f, "/api/models?author=tiny-org&filter=gguf");
  gboolean found = FALSE;

  g_assert_false (ids_contain (gguf, "plain-org/Safetensors-Only"));
  g_assert_false (ids_contain (gguf, "filler-org/Filler-Safetensors-01"));
  g_assert_true (ids_contain (gguf, "empty-org/NoQuant-GGUF"));
  g_assert_true (ids_contain (gguf, "big-org/Giant-70B-GGUF"));

  /* Without the filter (and case-insensitively) the safetensors repo is found. */
  for (guint i = 0; i < json_array_get_length (json_array (all)); i++)
    {
      JsonObject *item = json_array_get_object_element (json_array (all), i);

      if (g_str_equal (json_object_get_string_member (item, "id"), "plain-org/Safetensors-Only"))
        found = TRUE;
    }
  g_assert_true (found);

  g_assert_cmpuint (json_array_get_length (json_array (author)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_array (author), 0), "id"), ==, PICO);
}

static void
test_model_info_fixture (Fixture       *f,
                         gconstpointer  data)
{
  const struct { const char *url; const char *fixture; } cases[] = {
    { "/api/models/" TINYCHAT, "model-info.json" },
    { "/api/models/" TINYCHAT "/revision/main", "model-info.json" },
    { "/api/models/" TINYCHAT "/revision/" TINYCHAT_SHA, "model-info.json" },
    { "/api/models/" TINYCHAT "?blobs=true", "model-info-blobs.json" },
    { "/api/models/" TINYCHAT "/revision/main?blobs=true", "model-info-blobs.json" },
    { "/api/models/" TINYCHAT "/refs", "refs.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) response = get (f, cases[i].url);

      g_assert_cmpuint (response->status, ==, 200);
      assert_json_equals_fixture (response->json, cases[i].fixture);
    }
}

static void
test_model_info_types (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) giant = get (f, "/api/models/big-org/Giant-70B-GGUF?blobs=true");
  g_autoptr(Response) gated = get (f, "/api/models/" GATED);
  g_autoptr(Response) plain = get (f, "/api/models/plain-org/Safetensors-Only");
  JsonObject *info = json_object (giant);
  JsonArray *siblings = json_object_get_array_member (info, "siblings");
  gint64 used = 0;
  gboolean huge = FALSE;

  g_assert_true (is_hex (json_object_get_string_member (info, "sha"), 40));
  g_assert_false (json_object_get_boolean_member (info, "gated"));
  g_assert_false (json_object_get_boolean_member (info, "private"));
  g_assert_true (json_object_get_null_member (info, "model-index"));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (info, "config")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (info, "cardData"),
                                                  "license"), ==, "llama3.1");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info, "gguf"),
                                               "context_length"), ==, 131072);

  for (guint i = 0; i < json_array_get_length (siblings); i++)
    {
      JsonObject *sibling = json_array_get_object_element (siblings, i);
      gint64 size = json_object_get_int_member (sibling, "size");

      g_assert_true (is_hex (json_object_get_string_member (sibling, "blobId"), 40));
      used += size;
      if (size > G_MAXINT32)
        huge = TRUE;
      if (json_object_has_member (sibling, "lfs"))
        {
          JsonObject *lfs = json_object_get_object_member (sibling, "lfs");

          g_assert_true (is_hex (json_object_get_string_member (lfs, "sha256"), 64));
          g_assert_cmpint (json_object_get_int_member (lfs, "size"), ==, size);
          g_assert_cmpint (json_object_get_int_member (lfs, "pointerSize"), >, 100);
        }
    }
  g_assert_true (huge);
  g_assert_cmpint (json_object_get_int_member (info, "usedStorage"), ==, used);

  /* Gated metadata is public; `gated` is a string then. */
  g_assert_cmpuint (gated->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object (gated), "gated"), ==, "manual");

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_false (json_object_has_member (json_object (plain), "gguf"));
  g_assert_cmpstr (json_object_get_string_member (json_object (plain), "library_name"), ==,
                   "transformers");
}

static void
test_model_info_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) missing = get (f, "/api/models/nobody/Nothing-GGUF");
  g_autoptr(Response) missing_tree = get (f, "/api/models/nobody/Nothing-GGUF/tree/main");
  g_autoptr(Response) revision = get (f, "/api/models/" TINYCHAT "/revision/no-such-branch");

  assert_error (missing, 401, "RepoNotFound", "Invalid username or password.");
  assert_error (missing_tree, 401, "RepoNotFound", "Invalid username or password.");
  assert_error (revision, 404, "RevisionNotFound", "Revision not found: no-such-branch");
}

static void
test_tree_fixture (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) response =
    get (f, "/api/models/" TINYCHAT "/tree/" TINYCHAT_SHA "?recursive=true");

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_null (header (response, "Link"));
  assert_json_equals_fixture (response->json, "tree-recursive.json");
}

static void
test_tree_levels (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) top = get (f, "/api/models/" TINYCHAT "/tree/main");
  g_autoptr(Response) folder = get (f, "/api/models/" TINYCHAT "/tree/main/BF16");
  g_autoptr(Response) encoded = get (f, "/api/models/big-org/Giant-70B-GGUF/tree/main/F16");
  g_autoptr(Response) missing = get (f, "/api/models/" TINYCHAT "/tree/main/NOPE");
  g_autoptr(Response) bad_rev = get (f, "/api/models/" TINYCHAT "/tree/nope");
  JsonArray *array = json_array (top);
  gboolean saw_dir = FALSE;

  g_assert_cmpuint (json_array_get_length (array), ==, 10);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      g_assert_null (strchr (json_object_get_string_member (entry, "path"), '/'));
      if (g_str_equal (json_object_get_string_member (entry, "type"), "directory"))
        {
          saw_dir = TRUE;
          g_assert_cmpint (json_object_get_int_member (entry, "size"), ==, 0);
        }
    }
  g_assert_true (saw_dir);

  g_assert_cmpuint (json_array_get_length (json_array (folder)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_array (folder), 0), "path"), ==,
                   "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf");

  /* The incomplete split set: parts 1 and 3 of 3 only. */
  g_assert_cmpuint (json_array_get_length (json_array (encoded)), ==, 2);

  assert_error (missing, 404, "EntryNotFound", "Entry not found");
  assert_error (bad_rev, 404, "RevisionNotFound", NULL);
}

static void
test_tree_pagination (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) expected = load_fixture_json ("tree-recursive.json");
  g_autoptr(JsonArray) collected = json_array_new ();
  g_autoptr(JsonNode) collected_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *url = g_strdup ("/api/models/" TINYCHAT "/tree/main?recursive=true");
  guint pages = 0;

  mm_mock_hub_set_tree_page_size (f->hub, 3);

  while (url)
    {
      g_autoptr(Response) response = get (f, url);
      JsonArray *array = json_array (response);
      g_autofree char *next = next_link (response);

      g_assert_cmpuint (json_array_get_length (array), <=, 3);
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (collected, json_node_copy (json_array_get_element (array, i)));
      if (next)
        g_assert_nonnull (strstr (next, "recursive=true&cursor="));
      g_free (url);
      url = g_steal_pointer (&next);
      pages++;
    }

  g_assert_cmpuint (pages, ==, 4);
  json_node_set_array (collected_node, collected);
  g_assert_true (json_node_equal (collected_node, expected));
}

static void
test_resolve_redirect (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) head =
    request_full (f, "HEAD", "/" TINYCHAT "/resolve/main/TinyChat-1.1B-Q4_K_M.gguf", FALSE, NULL);
  g_autoptr(Response) fixture_head = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GUri) cdn = g_uri_parse (mm_mock_hub_get_cdn_url (f->hub), G_URI_FLAGS_NONE, NULL);
  g_autoptr(JsonNode) fixture = load_fixture_json ("resolve-head-gguf.json");
  JsonObject *expected = json_object_get_object_member (json_node_get_object (fixture), "headers");

  g_assert_cmpuint (head->status, ==, 302);
  g_assert_cmpstr (header (head, "X-Repo-Commit"), ==,
                   json_object_get_string_member (expected, "X-Repo-Commit"));
  g_assert_cmpstr (header (head, "X-Linked-Etag"), ==,
                   json_object_get_string_member (expected, "X-Linked-Etag"));
  g_assert_cmpstr (header (head, "X-Linked-Size"), ==,
                   json_object_get_string_member (expected, "X-Linked-Size"));
  g_assert_nonnull (header (head, "ETag"));
  /* The redirect's own Content-Length is not the file size. */
  g_assert_cmpstr (header (head, "Content-Length"), !=, "667814976");

  location = g_uri_parse (header (head, "Location"), G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (location);
  g_assert_cmpstr (g_uri_get_host (location), ==, g_uri_get_host (cdn));
  g_assert_cmpint (g_uri_get_port (location), ==, g_uri_get_port (cdn));
  g_assert_nonnull (strstr (g_uri_get_query (location), "Expires="));
  g_assert_nonnull (strstr (g_uri_get_query (location), "Signature="));
  g_assert_nonnull (strstr (g_uri_get_path (location),
                            "10c32822b70cdb3bf66bed2c4780cdfc68fb5192c657931cbc8b43790b7b2f55"));

  /* Revision by commit id and revision with percent-encoding work too. */
  fixture_head = request_full (f, "HEAD", "/" TINYCHAT "/resolve/" TINYCHAT_SHA
                               "/BF16%2FTinyChat-1.1B-BF16-00002-of-00002.gguf", FALSE, NULL);
  g_assert_cmpuint (fixture_head->status, ==, 302);
  g_assert_cmpstr (header (fixture_head, "X-Linked-Size"), ==, "917559168");
}

static void
test_resolve_download (Fixture       *f,
                       gconstpointer  data)
{
  const char *files[] = { "Pico-Q4_K_M.gguf", "Pico-Q8_0.gguf",
                          "Pico-Q2_K-00001-of-00002.gguf", "Pico-Q2_K-00002-of-00002.gguf" };
  g_autoptr(Response) tree = get (f, "/api/models/" PICO "/tree/main");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *url = g_strconcat ("/" PICO "/resolve/main/", files[i], NULL);
      g_autoptr(Response) response = request_full (f, "GET", url, TRUE, NULL);
      g_autofree char *sha256 = sha256_of (response->body);
      g_autofree char *expected_sha = NULL;
      g_autofree char *etag = NULL;
      guint64 expected_size = 0;
      const char *tree_sha = NULL;

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, files[i], &expected_size,
                                              &expected_sha));
      g_assert_cmpuint (g_bytes_get_size (response->body), ==, expected_size);
      g_assert_cmpstr (sha256, ==, expected_sha);
      g_assert_cmpstr (header (response, "Content-Type"), ==, "application/octet-stream");
      etag = g_strdup_printf ("\"%s\"", sha256);
      g_assert_cmpstr (header (response, "ETag"), ==, etag);
      g_assert_true (memcmp (g_bytes_get_data (response->body, NULL), "GGUF", 4) == 0);

      for (guint j = 0; j < json_array_get_length (json_array (tree)); j++)
        {
          JsonObject *entry = json_array_get_object_element (json_array (tree), j);

          if (g_str_equal (json_object_get_string_member (entry, "path"), files[i]))
            tree_sha = json_object_get_string_member (json_object_get_object_member (entry, "lfs"),
                                                      "oid");
        }
      g_assert_cmpstr (tree_sha, ==, sha256);
    }
}

static void
test_resolve_small_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" TINYCHAT "/resolve/main/README.md");
  g_autoptr(Response) readme = request_full (f, "GET", "/" TINYCHAT "/resolve/main/README.md",
                                             TRUE, NULL);
  g_autoptr(Response) config = request_full (f, "GET", "/" PICO "/resolve/main/config.json",
                                             TRUE, NULL);
  g_autoptr(Response) head = request_full (f, "HEAD", "/" TINYCHAT "/resolve/main/README.md",
                                           TRUE, NULL);
  g_autoptr(Response) direct = NULL;
  g_autofree char *text = NULL;

  /* First a relative redirect into the resolve cache, pinned to the commit. */
  g_assert_cmpuint (redirect->status, ==, 307);
  g_assert_cmpstr (header (redirect, "Location"), ==,
                   "/api/resolve-cache/models/" TINYCHAT "/" TINYCHAT_SHA "/README.md"
                   "?etag=%224cf199ecf653d00d88a5e8d20e8d4b8819db43d7%22");
  g_assert_cmpstr (header (redirect, "X-Repo-Commit"), ==, TINYCHAT_SHA);

  g_assert_cmpuint (readme->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (readme->body), ==, 5847);
  g_assert_cmpstr (header (readme, "ETag"), ==, "\"4cf199ecf653d00d88a5e8d20e8d4b8819db43d7\"");
  g_assert_cmpstr (header (readme, "X-Repo-Commit"), ==, TINYCHAT_SHA);
  text = g_strndup (g_bytes_get_data (readme->body, NULL), g_bytes_get_size (readme->body));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "\n# TinyChat"));
  g_assert_nonnull (strstr (text, "\n## "));
  g_assert_nonnull (strstr (text, "\n```sh\n"));
  g_assert_nonnull (strstr (text, "\n| ---- |"));
  g_assert_nonnull (strstr (text, "\n- **Parameters:**"));

  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpstr (header (head, "Content-Length"), ==, "5847");
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);

  /* A real git blob id for generated files. */
  g_assert_cmpuint (config->status, ==, 200);
  g_assert_nonnull (config->json);
  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
    g_autofree char *blob_header = g_strdup_printf ("blob %" G_GSIZE_FORMAT,
                                                    g_bytes_get_size (config->body));
    g_autofree char *etag = NULL;

    g_checksum_update (checksum, (const guchar *) blob_header, strlen (blob_header) + 1);
    g_checksum_update (checksum, g_bytes_get_data (config->body, NULL),
                       g_bytes_get_size (config->body));
    etag = g_strdup_printf ("\"%s\"", g_checksum_get_string (checksum));
    g_assert_cmpstr (header (config, "ETag"), ==, etag);
  }

  /* Without the resolve cache, the file comes straight away. */
  mm_mock_hub_set_resolve_cache (f->hub, FALSE);
  direct = get (f, "/" TINYCHAT "/resolve/main/README.md");
  g_assert_cmpuint (direct->status, ==, 200);
  g_assert_true (g_bytes_equal (direct->body, readme->body));
}

static void
test_resolve_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) no_file = get (f, "/" TINYCHAT "/resolve/main/nope.gguf");
  g_autoptr(Response) no_repo = get (f, "/nobody/Nothing/resolve/main/x.gguf");
  g_autoptr(Response) no_rev = get (f, "/" TINYCHAT "/resolve/no-such-branch/README.md");
  g_autoptr(Response) head_missing = request_full (f, "HEAD", "/" TINYCHAT "/resolve/main/x",
                                                   FALSE, NULL);
  g_autoptr(Response) disabled =
    get (f, "/disabled-org/Disabled-GGUF/resolve/main/Disabled-Q4_K_M.gguf");

  assert_error (no_file, 404, "EntryNotFound", "Entry not found");
  assert_error (no_repo, 401, "RepoNotFound", "Invalid username or password.");
  assert_error (no_rev, 404, "RevisionNotFound", "Revision not found: no-such-branch");
  g_assert_cmpuint (head_missing->status, ==, 404);
  g_assert_cmpstr (header (head_missing, "X-Error-Code"), ==, "EntryNotFound");
  assert_error (disabled, 403, NULL, "Access to this resource is disabled.");
}

static char *
fixture_message (const char *name)
{
  g_autoptr(JsonNode) index = load_fixture_json ("error-responses.json");
  JsonObject *entry = json_object_get_object_member (json_node_get_object (index), name);

  return g_strdup (json_object_get_string_member (json_object_get_object_member (entry, "headers"),
                                                  "X-Error-Message"));
}

static void
test_resolve_gated (Fixture       *f,
                    gconstpointer  data)
{
  const char *url = "/" GATED "/resolve/main/Gated-7B-Q4_K_M.gguf";
  g_autoptr(Response) anonymous = get (f, url);
  g_autoptr(Response) noaccess =
    request_full (f, "GET", url, FALSE, "Authorization", "Bearer " MM_MOCK_HUB_TOKEN_NOACCESS,
                  NULL);
  g_autoptr(Response) bad =
    request_full (f, "GET", url, FALSE, "Authorization", "Bearer hf_garbage", NULL);
  g_autoptr(Response) valid =
    request_full (f, "GET", url, FALSE, "Authorization", "Bearer " MM_MOCK_HUB_TOKEN, NULL);
  g_autoptr(Response) readme = get (f, "/" GATED "/resolve/main/README.md");
  g_autoptr(Response) info = get (f, "/api/models/" GATED "/tree/main");
  g_autofree char *auth = NULL;
  g_autofree char *message_401 = fixture_message ("gated-401");
  g_autofree char *message_403 = fixture_message ("gated-403");

  assert_error (anonymous, 401, "GatedRepo", message_401);
  assert_error (noaccess, 403, "GatedRepo", message_403);
  /* By default a refused token is ignored: the same answer as no token. */
  assert_error (bad, 401, "GatedRepo", message_401);
  g_assert_true (g_bytes_equal (bad->body, anonymous->body));
  g_assert_cmpuint (valid->status, ==, 302);
  assert_error (readme, 401, "GatedRepo", NULL);
  g_assert_cmpuint (info->status, ==, 200);

  auth = mm_mock_hub_get_last_hub_auth (f->hub);
  g_assert_null (auth);
}

/* The other answer the Hub has given a refused token: a plain 401 for every
 * request, gated repo or not, API or /resolve. */
static void
test_refused_token_invalid_credentials (Fixture       *f,
                                        gconstpointer  data)
{
  const char *urls[] = {
    "/" GATED "/resolve/main/Gated-7B-Q4_K_M.gguf",
    "/api/models/" GATED "/auth-check",
    "/api/models/" GATED,
    "/api/models/" TINYCHAT "/tree/main",
    "/" TINYCHAT "/resolve/main/README.md",
    "/api/models?search=tiny",
    "/api/whoami-v2",
  };
  g_autofree char *fixture = fixture_message ("bad-token-401");

  mm_mock_hub_set_refused_token (f->hub, MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(Response) bad =
        request_full (f, "GET", urls[i], FALSE, "Authorization", "Bearer hf_garbage", NULL);
      g_autoptr(Response) valid =
        request_full (f, "GET", urls[i], FALSE, "Authorization", "Bearer " MM_MOCK_HUB_TOKEN,
                      NULL);

      g_test_message ("%s", urls[i]);
      assert_error (bad, 401, NULL, fixture);
      g_assert_cmpuint (valid->status, <, 400);
    }

  /* Back to the default: only the token check refuses it. */
  mm_mock_hub_set_refused_token (f->hub, MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS);
  {
    g_autoptr(Response) search =
      request_full (f, "GET", "/api/models?search=tiny", FALSE,
                    "Authorization", "Bearer hf_garbage", NULL);
    g_autoptr(Response) whoami =
      request_full (f, "GET", "/api/whoami-v2", FALSE, "Authorization", "Bearer hf_garbage", NULL);

    g_assert_cmpuint (search->status, ==, 200);
    assert_error (whoami, 401, NULL, "Invalid credentials in Authorization header");
  }
}

static void
test_cdn_range (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q8_0.gguf");
  const char *location = header (redirect, "Location");
  g_autoptr(Response) open_range = NULL;
  g_autoptr(Response) closed_range = NULL;
  g_autoptr(Response) suffix = NULL;
  g_autoptr(Response) at_eof = NULL;
  g_autoptr(Response) malformed = NULL;
  g_autoptr(Response) head = NULL;
  g_autoptr(GBytes) expected = NULL;
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, "Pico-Q8_0.gguf", &size, NULL));
  g_assert_cmpuint (size, ==, 600 * 1024);

  open_range = request_full (f, "GET", location, FALSE, "Range", "bytes=614000-", NULL);
  g_assert_cmpuint (open_range->status, ==, 206);
  g_assert_cmpstr (header (open_range, "Content-Range"), ==, "bytes 614000-614399/614400");
  g_assert_cmpstr (header (open_range, "Accept-Ranges"), ==, "bytes");
  expected = mm_mock_hub_read_file (f->hub, PICO, "Pico-Q8_0.gguf", 614000, 400);
  g_assert_true (g_bytes_equal (open_range->body, expected));

  closed_range = request_full (f, "GET", location, FALSE, "Range", "bytes=0-3", NULL);
  g_assert_cmpuint (closed_range->status, ==, 206);
  g_assert_cmpstr (header (closed_range, "Content-Range"), ==, "bytes 0-3/614400");
  g_assert_cmpmem (g_bytes_get_data (closed_range->body, NULL),
                   g_bytes_get_size (closed_range->body), "GGUF", 4);

  suffix = request_full (f, "GET", location, FALSE, "Range", "bytes=-10", NULL);
  g_assert_cmpuint (suffix->status, ==, 206);
  g_assert_cmpstr (header (suffix, "Content-Range"), ==, "bytes 614390-614399/614400");

  at_eof = request_full (f, "GET", location, FALSE, "Range", "bytes=614400-", NULL);
  g_assert_cmpuint (at_eof->status, ==, 416);
  g_assert_cmpstr (header (at_eof, "Content-Range"), ==, "bytes */614400");

  malformed = request_full (f, "GET", location, FALSE, "Range", "bytes=5-2", NULL);
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (malformed->body), ==, size);
  g_assert_null (header (malformed, "Content-Range"));

  head = request_full (f, "HEAD", location, FALSE, NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpstr (header (head, "Content-Length"), ==, "614400");
}

static void
test_cdn_large_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) redirect =
    get (f, "/big-org/Giant-70B-GGUF/resolve/main/Q8_0/Giant-70B-Q8_0-00001-of-00003.gguf");
  const char *location = header (redirect, "Location");
  g_autoptr(Response) head = request_full (f, "HEAD", location, FALSE, NULL);
  g_autoptr(Response) tail = request_full (f, "GET", location, FALSE,
                                           "Range", "bytes=25777458000-", NULL);
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, "big-org/Giant-70B-GGUF",
                                          "Q8_0/Giant-70B-Q8_0-00001-of-00003.gguf", &size, NULL));
  g_assert_cmpuint (size, >, G_MAXUINT32);
  g_assert_cmpuint (g_ascii_strtoull (header (head, "Content-Length"), NULL, 10), ==, size);
  g_assert_cmpuint (tail->status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (tail->body), ==, size - 25777458000);
}

static void
test_cdn_auth_and_signature (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q4_K_M.gguf");
  g_autofree char *location = g_strdup (header (redirect, "Location"));
  g_autofree char *tampered = NULL;
  g_autoptr(Response) with_auth = NULL;
  g_autoptr(Response) forged = NULL;
  g_autofree char *cdn_auth = NULL;
  char *signature;

  with_auth = request_full (f, "HEAD", location, FALSE, "Authorization", "Bearer hf_leaked", NULL);
  g_assert_cmpuint (with_auth->status, ==, 200);
  cdn_auth = mm_mock_hub_get_last_cdn_auth (f->hub);
  g_assert_cmpstr (cdn_auth, ==, "Bearer hf_leaked");

  tampered = g_strdup (location);
  signature = strstr (tampered, "Signature=") + strlen ("Signature=");
  signature[0] = signature[0] == 'a' ? 'b' : 'a';
  forged = get (f, tampered);
  g_assert_cmpuint (forged->status, ==, 403);
}

static void
test_faults_fail_next (Fixture       *f,
                       gconstpointer  data)
{
  mm_mock_hub_fail_next (f->hub, 429, 2, 7);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Response) response = get (f, "/api/models?search=pico");

      g_assert_cmpuint (response->status, ==, 429);
      g_assert_cmpstr (header (response, "Retry-After"), ==, "7");
      g_assert_cmpstr (header (response, "RateLimit"), ==, "\"api\";r=0;t=7");
      g_assert_nonnull (header (response, "RateLimit-Policy"));
      g_assert_nonnull (json_object_get_string_member (json_object (response), "error"));
    }

  {
    g_autoptr(Response) ok = get (f, "/api/models?search=pico");
    g_autoptr(Response) resolve = request_full (f, "GET", "/" PICO "/resolve/main/README.md",
                                                 TRUE, NULL);

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpuint (resolve->status, ==, 200);
  }

  mm_mock_hub_fail_next (f->hub, 503, 1, 0);
  {
    g_autoptr(Response) resolve = request_full (f, "GET", "/" PICO "/resolve/main/README.md",
                                                 TRUE, NULL);
    g_autoptr(Response) failed = get (f, "/api/models/" PICO);
    g_autoptr(Response) ok = get (f, "/api/models/" PICO);

    /* Only /api/ requests fail. */
    g_assert_cmpuint (resolve->status, ==, 200);
    g_assert_cmpuint (failed->status, ==, 503);
    g_assert_cmpstr (json_object_get_string_member (json_object (failed), "error"), ==,
                     "Internal Error");
    g_assert_cmpuint (ok->status, ==, 200);
  }
}

static void
test_faults_body_modes (Fixture       *f,
                        gconstpointer  data)
{
  const char *url = "/api/models/" PICO;

  mm_mock_hub_set_body_mode (f->hub, MM_MOCK_BODY_MALFORMED, 1);
  {
    g_autoptr(Response) response = get (f, url);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (response->body), >, 0);
    g_assert_null (response->json);
  }

  mm_mock_hub_set_body_mode (f->hub, MM_MOCK_BODY_TRUNCATED, 1);
  {
    g_autoptr(Response) response = get (f, url);
    g_autoptr(Response) normal = get (f, url);

    g_assert_null (response->json);
    g_assert_cmpuint (g_bytes_get_size (response->body), ==,
                      g_bytes_get_size (normal->body) / 2);
    g_assert_true (memcmp (g_bytes_get_data (response->body, NULL),
                           g_bytes_get_data (normal->body, NULL),
                           g_bytes_get_size (response->body)) == 0);
    g_assert_nonnull (normal->json);
  }

  mm_mock_hub_set_body_mode (f->hub, MM_MOCK_BODY_EMPTY, 1);
  {
    g_autoptr(Response) response = get (f, url);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
  }

  mm_mock_hub_set_body_mode (f->hub, MM_MOCK_BODY_WRONG_TYPES, 2);
  {
    g_autoptr(Response) info = get (f, url);
    g_autoptr(Response) search = get (f, "/api/models?search=pico");
    JsonObject *object = json_object (info);
    JsonObject *item = json_array_get_object_element (json_array (search), 0);

    g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "id")), ==,
                     G_TYPE_INT64);
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "downloads")), ==,
                     G_TYPE_STRING);
    g_assert_false (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "siblings")));
    g_assert_false (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "gguf")));
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "id")), ==,
                     G_TYPE_INT64);
  }

  {
    g_autoptr(Response) back = get (f, url);

    g_assert_cmpstr (json_object_get_string_member (json_object (back), "id"), ==, PICO);
  }
}

static void
test_faults_delay (Fixture       *f,
                   gconstpointer  data)
{
  gint64 start;
  gint64 elapsed;

  mm_mock_hub_set_delay (f->hub, 300);

  start = g_get_monotonic_time ();
  {
    g_autoptr(Response) response = get (f, "/api/models/" PICO);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_nonnull (response->json);
  }
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, 300 * 1000);

  /* Non-API requests are not delayed. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(Response) response = request_full (f, "GET", "/" PICO "/resolve/main/README.md", TRUE, NULL);

    g_assert_cmpuint (response->status, ==, 200);
  }
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, <, 300 * 1000);

  mm_mock_hub_set_delay (f->hub, 0);
}

static void
delayed_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  (*pending)--;
}

static gboolean
none_pending (gpointer data)
{
  return *(guint *) data == 0;
}

/* The delay must not block the server thread: parallel requests overlap. */
static void
test_faults_delay_parallel (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *url = g_strconcat (mm_mock_hub_get_url (f->hub), "/api/models/" PICO, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  guint pending = 4;
  gint64 start;

  mm_mock_hub_set_delay (f->hub, 400);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        delayed_done_cb, &pending);
    }
  mm_test_wait_until (none_pending, &pending, 10000);

  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
  g_assert_finalize_object (g_steal_pointer (&session));
}

static void
test_cdn_faults (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q8_0.gguf");
  const char *location = header (redirect, "Location");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", location);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  mm_mock_hub_cdn_fail_next (f->hub, 503, 1);
  {
    g_autoptr(Response) failed = get (f, location);
    g_autoptr(Response) ok = get (f, location);

    g_assert_cmpuint (failed->status, ==, 503);
    g_assert_cmpuint (ok->status, ==, 200);
  }

  mm_mock_hub_set_cdn_ignore_range (f->hub, TRUE);
  {
    g_autoptr(Response) ignored = request_full (f, "GET", location, FALSE,
                                                "Range", "bytes=100-", NULL);

    g_assert_cmpuint (ignored->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (ignored->body), ==, 600 * 1024);
  }
  mm_mock_hub_set_cdn_ignore_range (f->hub, FALSE);

  /* A dropped connection gives the client a short read. */
  mm_mock_hub_set_cdn_drop_after (f->hub, 100000, 1);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept-Encoding", "identity");
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  {
    g_autoptr(Response) ok = get (f, location);

    g_assert_cmpuint (g_bytes_get_size (ok->body), ==, 600 * 1024);
  }
}

static void
test_cdn_rate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q4_K_M.gguf");
  const char *location = header (redirect, "Location");
  gint64 start;

  /* 300 KiB at 1 MiB/s takes about 0.3 s. */
  mm_mock_hub_set_cdn_rate (f->hub, 1024 * 1024);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Response) response = get (f, location);
    g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, PICO, "Pico-Q4_K_M.gguf",
                                                        0, G_MAXSIZE);

    g_assert_true (g_bytes_equal (response->body, expected));
  }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  mm_mock_hub_set_cdn_rate (f->hub, 0);
}

static void
stopped_download_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *failed = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  *failed = TRUE;
}

/* Sends @msg on @f's session, reads its whole body and returns the id of
 * the connection it went over. */
static guint64
send_on_connection (Fixture     *f,
                    SoupMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), <, 400);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                               "Connection"));
  return soup_message_get_connection_id (msg);
}

/* HTTP/1.1 keep-alive, as on the real Hub and CDN: one connection carries
 * request after request, API answers, redirects and ranges of a file alike.
 * A client's pool must not meet a connection that the server closed. */
static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q8_0.gguf");
  const char *location = header (redirect, "Location");
  guint64 hub_id;
  guint64 cdn_id;

  {
    g_autofree char *url = g_strconcat (mm_mock_hub_get_url (f->hub), "/api/models/" PICO, NULL);
    g_autoptr(SoupMessage) first = soup_message_new ("GET", url);

    hub_id = send_on_connection (f, first);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(SoupMessage) next = soup_message_new (i == 1 ? "HEAD" : "GET", url);

        g_assert_cmpuint (send_on_connection (f, next), ==, hub_id);
      }
  }

  {
    g_autoptr(SoupMessage) first = soup_message_new ("GET", location);

    soup_message_headers_replace (soup_message_get_request_headers (first), "Range", "bytes=0-3");
    cdn_id = send_on_connection (f, first);
    g_assert_cmpuint (cdn_id, !=, hub_id);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(SoupMessage) next = soup_message_new ("GET", location);

        if (i == 0)
          soup_message_headers_replace (soup_message_get_request_headers (next), "Range",
                                        "bytes=100-");
        g_assert_cmpuint (send_on_connection (f, next), ==, cdn_id);
      }
  }
}

/* Stopping in the middle of a throttled body closes the connection at once. */
static void
test_cdn_stop_while_streaming (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Response) redirect = get (f, "/" PICO "/resolve/main/Pico-Q8_0.gguf");
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", header (redirect, "Location"));
  gboolean failed = FALSE;
  gint64 start;

  mm_mock_hub_set_cdn_rate (f->hub, 64 * 1024);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    stopped_download_cb, &failed);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 300 * 1000)
    g_main_context_iteration (NULL, FALSE);

  start = g_get_monotonic_time ();
  mm_mock_hub_stop (f->hub);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  mm_test_wait_until (mm_test_flag_is_set, &failed, 5000);
}

/* A streamed GET, read until the end or the first error: what a download
 * engine sees of a cut or stalled connection. */
typedef struct {
  guint   status;
  char   *content_length;
  char   *content_range;
  char   *etag;
  GBytes *body;   /* the bytes that arrived before the end or the error */
  GError *error;  /* (nullable) */
} Streamed;

static void
streamed_free (Streamed *streamed)
{
  g_free (streamed->content_length);
  g_free (streamed->content_range);
  g_free (streamed->etag);
  g_clear_pointer (&streamed->body, g_bytes_unref);
  g_clear_error (&streamed->error);
  g_free (streamed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Streamed, streamed_free)

/* @timeout_s is the session's read timeout (0 = libsoup's default). Extra
 * request headers come as name/value pairs. */
static Streamed *
stream_get (const char *url,
            guint       timeout_s,
            ...)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", timeout_s, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  Streamed *streamed = g_new0 (Streamed, 1);
  SoupMessageHeaders *headers;
  const char *name;
  va_list args;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept-Encoding", "identity");
  va_start (args, timeout_s);
  while ((name = va_arg (args, const char *)))
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);

  stream = soup_session_send (session, msg, NULL, &streamed->error);
  g_assert_no_error (streamed->error);
  streamed->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  streamed->content_length = g_strdup (soup_message_headers_get_one (headers, "Content-Length"));
  streamed->content_range = g_strdup (soup_message_headers_get_one (headers, "Content-Range"));
  streamed->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));

  for (;;)
    {
      guint8 buf[16384];
      gssize n = g_input_stream_read (stream, buf, sizeof buf, NULL, &streamed->error);

      if (n <= 0)
        break;
      g_byte_array_append (data, buf, n);
    }

  streamed->body = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return streamed;
}

/* The CDN Location of a Pico file. */
static char *
pico_location (Fixture    *f,
               const char *path)
{
  g_autofree char *url = g_strconcat ("/" PICO "/resolve/main/", path, NULL);
  g_autoptr(Response) redirect = get (f, url);

  g_assert_cmpuint (redirect->status, ==, 302);
  return g_strdup (header (redirect, "Location"));
}

static void
assert_bytes_are_file (Fixture    *f,
                       GBytes     *bytes,
                       const char *path,
                       guint64     offset)
{
  g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, PICO, path, offset,
                                                      g_bytes_get_size (bytes));

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
test_cdn_retry_after (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q4_K_M.gguf");

  mm_mock_hub_cdn_fail_next_retry_after (f->hub, 429, 2, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Response) limited = get (f, location);

      g_assert_cmpuint (limited->status, ==, 429);
      g_assert_cmpstr (header (limited, "Retry-After"), ==, "3");
    }
  {
    g_autoptr(Response) ok = get (f, location);

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_null (header (ok, "Retry-After"));
  }

  /* The plain variant sends no Retry-After. */
  mm_mock_hub_cdn_fail_next (f->hub, 503, 1);
  {
    g_autoptr(Response) failed = get (f, location);

    g_assert_cmpuint (failed->status, ==, 503);
    g_assert_null (header (failed, "Retry-After"));
  }

  mm_mock_hub_cdn_fail_next_retry_after (f->hub, 500, MM_MOCK_HUB_ALWAYS, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) failed = get (f, location);

      g_assert_cmpuint (failed->status, ==, 500);
    }
  mm_mock_hub_cdn_fail_next (f->hub, 500, 0);
  {
    g_autoptr(Response) ok = get (f, location);

    g_assert_cmpuint (ok->status, ==, 200);
  }
}

/* A cut connection: exactly @bytes arrive, for a 200 and for a 206. */
static void
test_cdn_drop_200_and_206 (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q8_0.gguf");

  mm_mock_hub_set_cdn_drop_after (f->hub, 70000, 2);
  {
    g_autoptr(Streamed) full = stream_get (location, 0, NULL);
    g_autoptr(Streamed) ranged = stream_get (location, 0, "Range", "bytes=300000-", NULL);

    g_assert_cmpuint (full->status, ==, 200);
    g_assert_cmpstr (full->content_length, ==, "614400");
    g_assert_nonnull (full->error);
    g_assert_cmpuint (g_bytes_get_size (full->body), ==, 70000);
    assert_bytes_are_file (f, full->body, "Pico-Q8_0.gguf", 0);

    g_assert_cmpuint (ranged->status, ==, 206);
    g_assert_cmpstr (ranged->content_range, ==, "bytes 300000-614399/614400");
    g_assert_nonnull (ranged->error);
    g_assert_cmpuint (g_bytes_get_size (ranged->body), ==, 70000);
    assert_bytes_are_file (f, ranged->body, "Pico-Q8_0.gguf", 300000);
  }

  /* Zero bytes, for ever, until switched off. */
  mm_mock_hub_set_cdn_drop_after (f->hub, 0, MM_MOCK_HUB_ALWAYS);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Streamed) none = stream_get (location, 0, "Range", "bytes=10-", NULL);

      g_assert_cmpuint (none->status, ==, 206);
      g_assert_nonnull (none->error);
      g_assert_cmpuint (g_bytes_get_size (none->body), ==, 0);
    }
  mm_mock_hub_set_cdn_drop_after (f->hub, 0, 0);
  {
    g_autoptr(Streamed) ok = stream_get (location, 0, NULL);

    g_assert_no_error (ok->error);
    g_assert_cmpuint (g_bytes_get_size (ok->body), ==, 614400);
  }
}

static void
test_cdn_short_body (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q8_0.gguf");

  mm_mock_hub_set_cdn_short_body (f->hub, 1000, 2);
  {
    g_autoptr(Streamed) full = stream_get (location, 0, NULL);
    g_autoptr(Streamed) ranged = stream_get (location, 0, "Range", "bytes=500000-", NULL);
    g_autoptr(Streamed) ok = stream_get (location, 0, "Range", "bytes=500000-", NULL);

    /* Content-Length promises everything; the last 1000 bytes never come. */
    g_assert_cmpuint (full->status, ==, 200);
    g_assert_cmpstr (full->content_length, ==, "614400");
    g_assert_nonnull (full->error);
    g_assert_cmpuint (g_bytes_get_size (full->body), ==, 614400 - 1000);
    assert_bytes_are_file (f, full->body, "Pico-Q8_0.gguf", 0);

    g_assert_cmpuint (ranged->status, ==, 206);
    g_assert_cmpstr (ranged->content_length, ==, "114400");
    g_assert_nonnull (ranged->error);
    g_assert_cmpuint (g_bytes_get_size (ranged->body), ==, 114400 - 1000);
    assert_bytes_are_file (f, ranged->body, "Pico-Q8_0.gguf", 500000);

    g_assert_no_error (ok->error);
    g_assert_cmpuint (g_bytes_get_size (ok->body), ==, 114400);
  }

  /* Shorter than what is missing: nothing at all is sent. */
  mm_mock_hub_set_cdn_short_body (f->hub, 1000, 1);
  {
    g_autoptr(Streamed) tail = stream_get (location, 0, "Range", "bytes=614000-", NULL);

    g_assert_cmpuint (tail->status, ==, 206);
    g_assert_nonnull (tail->error);
    g_assert_cmpuint (g_bytes_get_size (tail->body), ==, 0);
  }
}

static void
test_cdn_stall (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q8_0.gguf");
  gint64 start;

  /* The client's 1 s read timeout ends the stall; the server thread is
   * not blocked meanwhile (the Hub answers). */
  mm_mock_hub_set_cdn_stall_after (f->hub, 100000, 1);
  start = g_get_monotonic_time ();
  {
    g_autoptr(Streamed) stalled = stream_get (location, 1, NULL);

    g_assert_cmpuint (stalled->status, ==, 200);
    g_assert_error (stalled->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_cmpuint (g_bytes_get_size (stalled->body), ==, 100000);
    assert_bytes_are_file (f, stalled->body, "Pico-Q8_0.gguf", 0);
  }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);

  /* A stall applies to a 206 from its own first byte. */
  mm_mock_hub_set_cdn_stall_after (f->hub, 5000, 1);
  {
    g_autoptr(Streamed) stalled = stream_get (location, 1, "Range", "bytes=600000-", NULL);
    g_autoptr(Response) api = get (f, "/api/models/" PICO);
    g_autoptr(Streamed) ok = stream_get (location, 1, "Range", "bytes=600000-", NULL);

    g_assert_cmpuint (stalled->status, ==, 206);
    g_assert_error (stalled->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_cmpuint (g_bytes_get_size (stalled->body), ==, 5000);
    g_assert_cmpuint (api->status, ==, 200);
    g_assert_no_error (ok->error);
    g_assert_cmpuint (g_bytes_get_size (ok->body), ==, 14400);
    assert_bytes_are_file (f, ok->body, "Pico-Q8_0.gguf", 600000);
  }

  /* A stalled connection that is still open does not hold up stopping. */
  mm_mock_hub_set_cdn_stall_after (f->hub, 1000, 1);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", location);
    g_autoptr(GInputStream) stream = soup_session_send (f->session, msg, NULL, NULL);
    guint8 buf[1000];
    gsize n = 0;

    g_assert_nonnull (stream);
    g_assert_true (g_input_stream_read_all (stream, buf, sizeof buf, &n, NULL, NULL));
    g_assert_cmpuint (n, ==, 1000);
    start = g_get_monotonic_time ();
    mm_mock_hub_stop (f->hub);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  }
}

static void
test_cdn_corrupt (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q4_K_M.gguf");
  g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, PICO, "Pico-Q4_K_M.gguf",
                                                      0, G_MAXSIZE);
  const guint8 *want = g_bytes_get_data (expected, NULL);

  /* A response that does not carry the byte leaves the fault armed. */
  mm_mock_hub_set_cdn_corrupt_at (f->hub, 12345, 1);
  {
    g_autoptr(Response) after = request_full (f, "GET", location, FALSE,
                                              "Range", "bytes=20000-", NULL);
    g_autoptr(Response) corrupted = get (f, location);
    g_autoptr(Response) clean = get (f, location);
    const guint8 *got = g_bytes_get_data (corrupted->body, NULL);

    g_assert_cmpuint (after->status, ==, 206);
    assert_bytes_are_file (f, after->body, "Pico-Q4_K_M.gguf", 20000);

    g_assert_cmpuint (corrupted->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (corrupted->body), ==, g_bytes_get_size (expected));
    for (gsize i = 0; i < g_bytes_get_size (expected); i++)
      if (i == 12345)
        g_assert_cmpuint (got[i], !=, want[i]);
      else if (got[i] != want[i])
        g_error ("byte %" G_GSIZE_FORMAT " differs too", i);

    g_assert_true (g_bytes_equal (clean->body, expected));
  }

  mm_mock_hub_set_cdn_corrupt_at (f->hub, 12345, MM_MOCK_HUB_ALWAYS);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Response) ranged = request_full (f, "GET", location, FALSE,
                                                 "Range", "bytes=12000-", NULL);

      g_assert_cmpuint (ranged->status, ==, 206);
      g_assert_cmpuint (((const guint8 *) g_bytes_get_data (ranged->body, NULL))[345], !=,
                        want[12345]);
    }
  mm_mock_hub_set_cdn_corrupt_at (f->hub, 0, 0);
  {
    g_autoptr(Response) clean = get (f, location);

    g_assert_true (g_bytes_equal (clean->body, expected));
  }
}

static const char *
tree_lfs_oid (Fixture    *f,
              const char *path)
{
  static char oid[65];
  g_autoptr(Response) tree = get (f, "/api/models/" PICO "/tree/main");

  for (guint j = 0; j < json_array_get_length (json_array (tree)); j++)
    {
      JsonObject *entry = json_array_get_object_element (json_array (tree), j);

      if (g_str_equal (json_object_get_string_member (entry, "path"), path))
        {
          g_strlcpy (oid, json_object_get_string_member (json_object_get_object_member (entry,
                                                                                       "lfs"),
                                                        "oid"),
                     sizeof oid);
          return oid;
        }
    }
  g_assert_not_reached ();
}

static const char *
sibling_sha256 (Fixture    *f,
                const char *path)
{
  static char sha[65];
  g_autoptr(Response) info = get (f, "/api/models/" PICO "?blobs=true");
  JsonArray *siblings = json_object_get_array_member (json_object (info), "siblings");

  for (guint j = 0; j < json_array_get_length (siblings); j++)
    {
      JsonObject *sibling = json_array_get_object_element (siblings, j);

      if (g_str_equal (json_object_get_string_member (sibling, "rfilename"), path))
        {
          g_strlcpy (sha, json_object_get_string_member (json_object_get_object_member (sibling,
                                                                                       "lfs"),
                                                        "sha256"),
                     sizeof sha);
          return sha;
        }
    }
  g_assert_not_reached ();
}

static void
test_file_version (Fixture       *f,
                   gconstpointer  data)
{
  const char *path = "Pico-Q4_K_M.gguf";
  g_autofree char *v1_location = pico_location (f, path);
  g_autofree char *v2_location = NULL;
  g_autofree char *v1_sha = NULL;
  g_autofree char *v2_sha = NULL;
  g_autofree char *v2_etag = NULL;
  g_autofree char *v1_etag = NULL;
  g_autofree char *again_sha = NULL;
  g_autoptr(GBytes) v1_bytes = mm_mock_hub_read_file (f->hub, PICO, path, 0, G_MAXSIZE);
  g_autoptr(GBytes) v2_bytes = NULL;
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, path, &size, &v1_sha));
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, path, 2));
  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, path, &size, &v2_sha));
  g_assert_cmpuint (size, ==, 300 * 1024);
  g_assert_true (is_hex (v2_sha, 64));
  g_assert_cmpstr (v2_sha, !=, v1_sha);
  v1_etag = g_strdup_printf ("\"%s\"", v1_sha);
  v2_etag = g_strdup_printf ("\"%s\"", v2_sha);

  /* Every answer of the Hub reports version 2. */
  g_assert_cmpstr (tree_lfs_oid (f, path), ==, v2_sha);
  g_assert_cmpstr (sibling_sha256 (f, path), ==, v2_sha);
  g_assert_cmpstr (tree_lfs_oid (f, "Pico-Q8_0.gguf"), !=, v2_sha);
  {
    g_autoptr(Response) head = request_full (f, "HEAD", "/" PICO "/resolve/main/Pico-Q4_K_M.gguf",
                                             FALSE, NULL);

    g_assert_cmpstr (header (head, "X-Linked-Etag"), ==, v2_etag);
    g_assert_cmpstr (header (head, "X-Linked-Size"), ==, "307200");
    v2_location = g_strdup (header (head, "Location"));
    g_assert_nonnull (strstr (v2_location, v2_sha));
  }

  /* The CDN serves different bytes that hash to the new SHA-256. */
  v2_bytes = mm_mock_hub_read_file (f->hub, PICO, path, 0, G_MAXSIZE);
  g_assert_false (g_bytes_equal (v1_bytes, v2_bytes));
  {
    g_autoptr(Response) v2 = get (f, v2_location);
    g_autoptr(Response) v1 = get (f, v1_location);
    g_autofree char *got_v2 = sha256_of (v2->body);
    g_autofree char *got_v1 = sha256_of (v1->body);

    g_assert_cmpuint (v2->status, ==, 200);
    g_assert_cmpstr (header (v2, "ETag"), ==, v2_etag);
    g_assert_true (g_bytes_equal (v2->body, v2_bytes));
    g_assert_cmpstr (got_v2, ==, v2_sha);
    /* The old, content-addressed URL still gives the old bytes. */
    g_assert_cmpstr (got_v1, ==, v1_sha);
  }

  /* If-Range: a stale ETag turns the Range into a 200 with everything. */
  {
    g_autoptr(Response) stale = request_full (f, "GET", v2_location, FALSE,
                                              "Range", "bytes=100000-", "If-Range", v1_etag, NULL);
    g_autoptr(Response) fresh = request_full (f, "GET", v2_location, FALSE,
                                              "Range", "bytes=100000-", "If-Range", v2_etag, NULL);
    g_autoptr(Response) stale_eof = request_full (f, "GET", v2_location, FALSE,
                                                  "Range", "bytes=307200-", "If-Range", v1_etag,
                                                  NULL);

    g_assert_cmpuint (stale->status, ==, 200);
    g_assert_true (g_bytes_equal (stale->body, v2_bytes));
    g_assert_cmpuint (fresh->status, ==, 206);
    g_assert_cmpuint (g_bytes_get_size (fresh->body), ==, 307200 - 100000);
    g_assert_cmpuint (stale_eof->status, ==, 200);
  }

  /* Back to version 1, and again to the same version 2. */
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, path, 1));
  g_assert_cmpstr (tree_lfs_oid (f, path), ==, v1_sha);
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, path, 2));
  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, path, NULL, &again_sha));
  g_assert_cmpstr (again_sha, ==, v2_sha);
  g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, path, 3));
  g_assert_cmpstr (tree_lfs_oid (f, path), !=, v2_sha);
  g_assert_cmpstr (tree_lfs_oid (f, path), !=, v1_sha);

  /* Only LFS files have versions. */
  g_assert_false (mm_mock_hub_set_file_version (f->hub, PICO, "README.md", 2));
  g_assert_false (mm_mock_hub_set_file_version (f->hub, PICO, "missing.gguf", 2));
}

static void
test_cdn_ranges (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *location = pico_location (f, "Pico-Q4_K_M.gguf");
  g_auto(GStrv) ranges = NULL;

  mm_mock_hub_reset_counters (f->hub);
  {
    g_autoptr(Response) a = get (f, location);
    g_autoptr(Response) b = request_full (f, "GET", location, FALSE, "Range", "bytes=42-", NULL);
    g_autoptr(Response) c = request_full (f, "HEAD", location, FALSE, NULL);
  }
  ranges = mm_mock_hub_get_cdn_ranges (f->hub);
  g_assert_cmpuint (g_strv_length (ranges), ==, 2);
  g_assert_cmpstr (ranges[0], ==, "");
  g_assert_cmpstr (ranges[1], ==, "bytes=42-");

  mm_mock_hub_reset_counters (f->hub);
  g_clear_pointer (&ranges, g_strfreev);
  ranges = mm_mock_hub_get_cdn_ranges (f->hub);
  g_assert_cmpuint (g_strv_length (ranges), ==, 0);
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *agent = NULL;
  g_autofree char *auth = NULL;

  mm_mock_hub_reset_counters (f->hub);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, 0);

  {
    g_autoptr(Response) a = get (f, "/api/models?search=x");
    g_autoptr(Response) b = request_full (f, "GET", "/api/models/" PICO, FALSE,
                                          "Authorization", "Bearer " MM_MOCK_HUB_TOKEN, NULL);
    g_autoptr(Response) c = request_full (f, "GET", "/" PICO "/resolve/main/Pico-Q8_0.gguf",
                                          TRUE, NULL);
  }

  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, 4);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/api/"), ==, 2);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/api/models/" PICO), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/" PICO "/resolve/"), ==, 1);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, "/xet-bridge-us/"), ==, 1);

  agent = mm_mock_hub_get_last_user_agent (f->hub);
  g_assert_cmpstr (agent, ==, "mm-test/1.0");
  /* The last Hub request (the resolve) carried no token. */
  auth = mm_mock_hub_get_last_hub_auth (f->hub);
  g_assert_null (auth);

  mm_mock_hub_reset_counters (f->hub);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, 0);
}

static void
test_whoami (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) valid = request_full (f, "GET", "/api/whoami-v2", FALSE,
                                            "Authorization", "Bearer " MM_MOCK_HUB_TOKEN, NULL);
  g_autoptr(Response) bad = request_full (f, "GET", "/api/whoami-v2", FALSE,
                                          "Authorization", "Bearer hf_nope", NULL);
  g_autoptr(Response) none = get (f, "/api/whoami-v2");
  g_autofree char *auth = mm_mock_hub_get_last_hub_auth (f->hub);

  g_assert_cmpuint (valid->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object (valid), "type"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_object (valid), "name"), ==, "mock-user");
  g_assert_cmpstr (json_object_get_string_member (json_object (valid), "fullname"), ==,
                   "Mock User");
  assert_error (bad, 401, NULL, "Invalid credentials in Authorization header");
  g_assert_cmpuint (none->status, ==, 401);
  g_assert_null (auth);
}

static void
test_catalog (Fixture       *f,
              gconstpointer  data)
{
  const char *hostile[] = { "../escape-Q4_K_M.gguf", "/etc/abs-Q8_0.gguf", "sub\\win-Q5_K_M.gguf",
                            "ctrl\001name-Q6_K.gguf", "ok/../../up-Q2_K.gguf",
                            "Hostile-Q4_0.gguf" };
  const char *vision[] = { "Vision-7B-Q4_K_M.gguf", "Vision-7B-Q8_0.gguf",
                           "mmproj-model-f16.gguf", "mmproj-Vision-7B-Q8_0.gguf" };
  g_autoptr(Response) noquant = get (f, "/api/models/empty-org/NoQuant-GGUF/tree/main");
  g_autoptr(Response) giant = get (f, "/api/models/big-org/Giant-70B-GGUF/tree/main"
                                      "?recursive=true");
  g_autoptr(Response) hostile_tree = get (f, "/api/models/evil-org/Hostile-GGUF/tree/main"
                                             "?recursive=true");
  guint gguf_files = 0;
  guint giant_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    g_assert_true (mm_mock_hub_lookup_file (f->hub, "evil-org/Hostile-GGUF", hostile[i],
                                            NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (vision); i++)
    g_assert_true (mm_mock_hub_lookup_file (f->hub, "vision-org/Vision-7B-GGUF", vision[i],
                                            NULL, NULL));
  g_assert_false (mm_mock_hub_lookup_file (f->hub, "big-org/Giant-70B-GGUF",
                                           "F16/Giant-70B-F16-00002-of-00003.gguf", NULL, NULL));
  g_assert_true (mm_mock_hub_lookup_file (f->hub, "big-org/Giant-70B-GGUF",
                                          "F16/Giant-70B-F16-00003-of-00003.gguf", NULL, NULL));

  for (guint i = 0; i < json_array_get_length (json_array (noquant)); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_array (noquant), i);

      if (g_str_has_suffix (json_object_get_string_member (entry, "path"), ".gguf"))
        gguf_files++;
    }
  g_assert_cmpuint (gguf_files, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_array (noquant)), ==, 4);

  for (guint i = 0; i < json_array_get_length (json_array (giant)); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_array (giant), i);

      if (g_str_equal (json_object_get_string_member (entry, "type"), "file") &&
          g_str_has_suffix (json_object_get_string_member (entry, "path"), ".gguf"))
        giant_files++;
    }
  g_assert_cmpuint (giant_files, ==, 7);

  /* The control character survives JSON as \u0001. */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (hostile_tree->body, NULL),
                                  g_bytes_get_size (hostile_tree->body), "ctrl\\u0001name"));
}

static void
test_hostile_download (Fixture       *f,
                       gconstpointer  data)
{
  const struct { const char *url; const char *path; } cases[] = {
    { "/evil-org/Hostile-GGUF/resolve/main/..%2Fescape-Q4_K_M.gguf", "../escape-Q4_K_M.gguf" },
    { "/evil-org/Hostile-GGUF/resolve/main/ctrl%01name-Q6_K.gguf", "ctrl\001name-Q6_K.gguf" },
    { "/evil-org/Hostile-GGUF/resolve/main/sub%5Cwin-Q5_K_M.gguf", "sub\\win-Q5_K_M.gguf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Response) response = request_full (f, "GET", cases[i].url, TRUE, NULL);
      g_autofree char *sha256 = sha256_of (response->body);
      g_autofree char *expected = NULL;

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_true (mm_mock_hub_lookup_file (f->hub, "evil-org/Hostile-GGUF", cases[i].path,
                                              NULL, &expected));
      g_assert_cmpstr (sha256, ==, expected);
      g_assert_null (strchr (header (response, "Content-Disposition"), '\001'));
    }
}

static void
test_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmMockHub) first = mm_mock_hub_new (&error);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(MmMockHub) second = NULL;

  g_assert_no_error (error);
  uri = g_uri_parse (mm_mock_hub_get_url (first), G_URI_FLAGS_NONE, NULL);

  /* The port is taken, so a second mock on it fails cleanly. */
  second = mm_mock_hub_new_on_port (g_uri_get_port (uri), &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);

  mm_mock_hub_stop (first);
  g_assert_finalize_object (g_steal_pointer (&first));
}

/* Served .gguf files start with a real header made from the repo's spec. */
typedef struct {
  const char *repo;
  const char *path;
  const char *architecture;
  const char *file_type;
  guint64     context_length;
  guint64     layers;
  guint64     parameters;
  gboolean    chat_template;
  guint       split_no;
  guint       split_count;
} HeaderCase;

static const HeaderCase header_cases[] = {
  { PICO, "Pico-Q4_K_M.gguf", "llama", "Q4_K_M", 512, 1, 525056, FALSE, 0, 0 },
  { PICO, "Pico-Q8_0.gguf", "llama", "Q8_0", 512, 1, 525056, FALSE, 0, 0 },
  /* Each part of a split set holds its share of the tensors. */
  { PICO, "Pico-Q2_K-00001-of-00002.gguf", "llama", "Q2_K", 512, 1, 262400, FALSE, 0, 2 },
  { PICO, "Pico-Q2_K-00002-of-00002.gguf", NULL, NULL, 0, 0, 262656, FALSE, 1, 2 },
  { TINYCHAT, "TinyChat-1.1B-IQ4_XS.gguf", "llama", "IQ4_XS", 2048, 22, 1100048384, TRUE, 0, 0 },
  { TINYCHAT, "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf", "llama", "BF16", 2048, 22,
    641296384, TRUE, 0, 2 },
  /* 256 KiB cannot hold 7 billion parameters: its header describes a model
   * small enough for its tensors to fit. */
  { GATED, "Gated-7B-IQ1_S.gguf", "llama", "IQ1_S", 32768, 3, 1197824, TRUE, 0, 0 },
  { GATED, "Gated-7B-Q4_K_M.gguf", "llama", "Q4_K_M", 32768, 32, 7241732096, TRUE, 0, 0 },
  { "vision-org/Vision-7B-GGUF", "mmproj-model-f16.gguf", "clip", "F16", 0, 0, 0, FALSE, 0, 0 },
};

static void
test_gguf_headers (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      const HeaderCase *c = &header_cases[i];
      g_autoptr(GBytes) bytes = mm_mock_hub_read_file (f->hub, c->repo, c->path, 0, 64 * 1024);
      g_autoptr(GBytes) again = mm_mock_hub_read_file (f->hub, c->repo, c->path, 0, 64 * 1024);
      g_autoptr(GError) error = NULL;
      g_autoptr(MmGgufInfo) info = NULL;

      g_test_message ("%s/%s", c->repo, c->path);
      g_assert_nonnull (bytes);
      g_assert_true (g_bytes_equal (bytes, again));
      info = mm_gguf_reader_parse_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (mm_gguf_info_get_version (info), ==, 3);
      g_assert_cmpstr (mm_gguf_info_get_architecture (info), ==, c->architecture);
      g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, c->file_type);
      g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, c->context_length);
      g_assert_cmpuint (mm_gguf_info_get_block_count (info), ==, c->layers);
      g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, c->parameters);
      g_assert_cmpint (mm_gguf_info_get_has_chat_template (info), ==, c->chat_template);
      g_assert_cmpuint (mm_gguf_info_get_split_no (info), ==, c->split_no);
      g_assert_cmpuint (mm_gguf_info_get_split_count (info), ==, c->split_count);
      if (c->architecture != NULL && !g_str_equal (c->architecture, "clip"))
        g_assert_nonnull (mm_gguf_info_get_name (info));
    }
}

/* The header of @path as the mock serves it, read with the app's own reader. */
static MmGgufInfo *
read_served_header (MmMockHub  *hub,
                    const char *repo_id,
                    const char *path,
                    guint64    *size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;

  g_assert_true (mm_mock_hub_lookup_file (hub, repo_id, path, size, NULL));
  /* The largest header (80 layers' tensor infos) takes some 40 KiB. */
  bytes = mm_mock_hub_read_file (hub, repo_id, path, 0, 1024 * 1024);
  info = mm_gguf_reader_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  return info;
}

/* Every .gguf the mock serves is a file that llama.cpp and
 * @huggingface/gguf accept: each tensor's data, at an aligned offset, fits in
 * the file; 2-D weights have the ggml_type of general.file_type and norms
 * are F32; a split set's parts say which part they are and together hold
 * split.tensors.count tensors. */
static void
test_gguf_consistency (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(GStrv) files = mm_mock_hub_list_gguf_files (f->hub);
  g_autoptr(GHashTable) split_tensors = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, NULL);
  g_autoptr(GHashTable) split_expected = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                g_free, NULL);
  guint n_files = 0, n_tensors = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; files[i] != NULL; i += 2)
    {
      const char *repo_id = files[i];
      const char *path = files[i + 1];
      g_autoptr(MmGgufInfo) info = NULL;
      g_autoptr(MmGgufInfo) first = NULL;
      g_autofree char *prefix = NULL;
      guint64 size = 0, data_offset, end = 0, split_total = 0;
      guint32 alignment;
      guint part = 0, count = 0;
      gint64 file_type;
      gint weight_type;

      g_test_message ("%s/%s", repo_id, path);
      info = read_served_header (f->hub, repo_id, path, &size);
      n_files++;

      /* A later part of a split set carries only the split keys: its
       * tensors follow the file type of part 1. */
      file_type = mm_gguf_info_get_file_type (info);
      if (mm_gguf_name_parse_split (path, &prefix, &part, &count))
        {
          g_autofree char *set = g_strdup_printf ("%s/%s", repo_id, prefix);
          g_autofree char *first_path = g_strdup_printf ("%s-00001-of-%05u.gguf", prefix, count);
          guint64 first_size;
          gsize held;

          g_assert_true (mm_gguf_info_get_is_split (info));
          g_assert_cmpuint (mm_gguf_info_get_split_no (info), ==, part - 1);
          g_assert_cmpuint (mm_gguf_info_get_split_count (info), ==, count);
          g_assert_true (mm_gguf_info_get_uint (info, "split.tensors.count", &split_total));
          if (part > 1)
            {
              first = read_served_header (f->hub, repo_id, first_path, &first_size);
              file_type = mm_gguf_info_get_file_type (first);
            }
          held = GPOINTER_TO_SIZE (g_hash_table_lookup (split_tensors, set));
          held += mm_gguf_info_get_tensor_count (info);
          g_hash_table_insert (split_expected, g_strdup (set), GSIZE_TO_POINTER (split_total));
          g_hash_table_insert (split_tensors, g_steal_pointer (&set), GSIZE_TO_POINTER (held));
        }
      else
        {
          g_assert_false (mm_gguf_info_get_is_split (info));
        }

      g_assert_cmpuint (mm_gguf_info_get_n_tensor_infos (info), ==,
                        mm_gguf_info_get_tensor_count (info));
      if (mm_gguf_info_get_tensor_count (info) == 0)
        continue;

      g_assert_cmpint (file_type, >=, 0);
      weight_type = mm_gguf_file_type_ggml_type (file_type);
      g_assert_cmpint (weight_type, >=, 0);

      alignment = mm_gguf_info_get_alignment (info);
      data_offset = mm_gguf_info_get_tensor_data_offset (info);
      g_assert_cmpuint (data_offset % alignment, ==, 0);
      for (guint t = 0; t < mm_gguf_info_get_n_tensor_infos (info); t++)
        {
          const MmGgufTensorInfo *tensor = mm_gguf_info_get_tensor_info (info, t);
          guint32 expected_type = tensor->n_dims == 1 ? 0 /* F32 */ : (guint32) weight_type;
          guint64 elements = 1;
          guint64 bytes;

          for (guint d = 0; d < tensor->n_dims; d++)
            elements *= tensor->dims[d];
          bytes = mm_gguf_ggml_type_data_size (tensor->ggml_type, elements);

          g_assert_cmpuint (tensor->ggml_type, ==, expected_type);
          /* Rows are whole blocks of the type. */
          g_assert_cmpuint (tensor->dims[0] % mm_gguf_ggml_type_block (tensor->ggml_type), ==, 0);
          g_assert_cmpuint (bytes, >, 0);
          g_assert_cmpuint (tensor->offset % alignment, ==, 0);
          g_assert_cmpuint (tensor->offset, >=, end);
          end = tensor->offset + bytes;
          g_assert_cmpuint (data_offset + end, <=, size);
          n_tensors++;
        }
    }

  /* Every split set's parts hold split.tensors.count tensors between them;
   * Giant-70B's F16 set lacks part 2 on purpose, so it holds fewer. */
  g_hash_table_iter_init (&iter, split_tensors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize expected = GPOINTER_TO_SIZE (g_hash_table_lookup (split_expected, key));

      g_test_message ("split set %s: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " tensors",
                      (const char *) key, GPOINTER_TO_SIZE (value), expected);
      if (g_str_has_suffix (key, "/F16/Giant-70B-F16"))
        g_assert_cmpuint (GPOINTER_TO_SIZE (value), <, expected);
      else
        g_assert_cmpuint (GPOINTER_TO_SIZE (value), ==, expected);
    }

  g_assert_cmpuint (n_files, >=, 170);
  g_assert_cmpuint (n_tensors, >, 10000);
}

/* Collects every entry of a paged tree listing; returns the number of pages. */
static guint
collect_tree (Fixture    *f,
              const char *first_url,
              guint       max_page,
              JsonArray  *collected)
{
  g_autofree char *url = g_strdup (first_url);
  guint pages = 0;

  while (url)
    {
      g_autoptr(Response) response = get (f, url);
      JsonArray *array = json_array (response);
      g_autofree char *next = next_link (response);

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (array), <=, max_page);
      /* Only the last page may be short. */
      if (next)
        g_assert_cmpuint (json_array_get_length (array), ==, max_page);
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (collected, json_node_copy (json_array_get_element (array, i)));
      g_free (url);
      url = g_steal_pointer (&next);
      pages++;
    }
  return pages;
}

static void
test_tree_expand (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonArray) plain = json_array_new ();
  g_autoptr(JsonArray) expanded = json_array_new ();
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);
  guint plain_pages = collect_tree (f, "/api/models/" MM_MOCK_HUB_MANY_FILES_REPO
                                    "/tree/main?recursive=true", 1000, plain);
  guint expanded_pages = collect_tree (f, "/api/models/" MM_MOCK_HUB_MANY_FILES_REPO
                                       "/tree/main?recursive=true&expand=true", 50, expanded);
  g_autoptr(Response) info = get (f, "/api/models/" MM_MOCK_HUB_MANY_FILES_REPO "?expand=sha"
                                  "&expand=lastModified");
  const char *sha = json_object_get_string_member (json_object (info), "sha");

  /* 1104 entries: 1000 + 104 plain, 22 × 50 + 4 expanded. */
  g_assert_cmpuint (json_array_get_length (plain), ==, 1104);
  g_assert_cmpuint (plain_pages, ==, 2);
  g_assert_cmpuint (json_array_get_length (expanded), ==, 1104);
  g_assert_cmpuint (expanded_pages, ==, 23);

  for (guint i = 0; i < json_array_get_length (expanded); i++)
    {
      JsonObject *entry = json_array_get_object_element (expanded, i);
      JsonObject *bare = json_array_get_object_element (plain, i);
      JsonObject *commit = json_object_get_object_member (entry, "lastCommit");
      const char *type = json_object_get_string_member (entry, "type");

      /* Every entry once, in the same order, with the same fields plus the expansion. */
      g_assert_true (g_hash_table_add (paths, (gpointer) json_object_get_string_member (entry,
                                                                                          "path")));
      g_assert_cmpstr (json_object_get_string_member (bare, "path"), ==,
                       json_object_get_string_member (entry, "path"));
      g_assert_false (json_object_has_member (bare, "lastCommit"));
      g_assert_cmpuint (json_object_get_size (entry), ==,
                        json_object_get_size (bare) + (g_str_equal (type, "file") ? 2 : 1));
      g_assert_cmpstr (json_object_get_string_member (commit, "id"), ==, sha);
      g_assert_cmpstr (json_object_get_string_member (commit, "date"), ==,
                       json_object_get_string_member (json_object (info), "lastModified"));
      g_assert_nonnull (json_object_get_string_member (commit, "title"));
      if (g_str_equal (type, "file"))
        {
          JsonObject *security = json_object_get_object_member (entry, "securityFileStatus");

          g_assert_cmpstr (json_object_get_string_member (security, "status"), ==, "safe");
          g_assert_nonnull (json_object_get_object_member (security, "avScan"));
          g_assert_nonnull (json_object_get_object_member (security, "pickleImportScan"));
        }
    }
}

static Response *
post (Fixture    *f,
      const char *path,
      const char *content_type,
      const char *body)
{
  g_autofree char *url = g_strconcat (mm_mock_hub_get_url (f->hub), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GError) error = NULL;
  Response *response = g_new0 (Response, 1);

  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  response->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (response->body) > 0)
    response->json = json_from_string (g_bytes_get_data (response->body, NULL), NULL);
  return response;
}

static void
test_paths_info (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) tree = get (f, "/api/models/" TINYCHAT "/tree/main?recursive=true"
                                  "&expand=true");
  g_autoptr(Response) json = post (f, "/api/models/" TINYCHAT "/paths-info/main",
                                   "application/json",
                                   "{\"paths\":[\"README.md\",\"nope.gguf\",\"BF16\","
                                   "\"TinyChat-1.1B-Q4_K_M.gguf\",\"README.md\"],\"expand\":true}");
  g_autoptr(Response) form = post (f, "/api/models/" TINYCHAT "/paths-info/" TINYCHAT_SHA,
                                   "application/x-www-form-urlencoded",
                                   "paths=BF16%2FTinyChat-1.1B-BF16-00002-of-00002.gguf"
                                   "&paths=.gitattributes&expand=False");
  g_autoptr(Response) bad = post (f, "/api/models/" TINYCHAT "/paths-info/main",
                                  "application/json", "{\"paths\":\"README.md\"}");
  g_autoptr(Response) bad_rev = post (f, "/api/models/" TINYCHAT "/paths-info/nope",
                                      "application/json", "{\"paths\":[]}");
  g_autoptr(Response) private = post (f, "/api/models/" MM_MOCK_HUB_PRIVATE_REPO
                                      "/paths-info/main", "application/json",
                                      "{\"paths\":[\"README.md\"]}");
  g_autoptr(Response) gated = post (f, "/api/models/" GATED "/paths-info/main",
                                    "application/json", "{\"paths\":[\"README.md\"]}");
  g_autoptr(Response) elsewhere = post (f, "/api/models/" TINYCHAT, "application/json", "{}");
  const char *expect_json[] = { "README.md", "BF16", "TinyChat-1.1B-Q4_K_M.gguf" };
  JsonArray *entries = json_array (json);

  /* In the order asked, once each, missing paths left out; each equal to its
   * entry in the expanded tree. */
  g_assert_cmpuint (json->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (entries), ==, G_N_ELEMENTS (expect_json));
  for (guint i = 0; i < G_N_ELEMENTS (expect_json); i++)
    {
      JsonNode *entry = json_array_get_element (entries, i);
      gboolean found = FALSE;

      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entry), "path"), ==,
                       expect_json[i]);
      for (guint j = 0; j < json_array_get_length (json_array (tree)); j++)
        if (json_node_equal (entry, json_array_get_element (json_array (tree), j)))
          found = TRUE;
      g_assert_true (found);
    }

  /* A form body, as huggingface_hub sends it; without expand no lastCommit. */
  g_assert_cmpuint (form->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_array (form)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_array (form),
                                                                              0), "size"),
                   ==, 917559168);
  g_assert_false (json_object_has_member (json_array_get_object_element (json_array (form), 1),
                                          "lastCommit"));

  assert_error (bad, 400, NULL, NULL);
  assert_error (bad_rev, 404, "RevisionNotFound", NULL);
  assert_error (private, 401, "RepoNotFound", NULL);
  /* A gated repo's metadata is public. */
  g_assert_cmpuint (gated->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_array (gated)), ==, 1);
  assert_error (elsewhere, 405, NULL, NULL);
}

static void
test_commits (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Response) all = get (f, "/api/models/" TINYCHAT "/commits/main");
  g_autoptr(Response) first = get (f, "/api/models/" TINYCHAT "/commits/main?limit=1");
  g_autofree char *next = next_link (first);
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) by_sha = get (f, "/api/models/" TINYCHAT "/commits/" TINYCHAT_SHA);
  g_autoptr(Response) bad_rev = get (f, "/api/models/" TINYCHAT "/commits/nope");
  JsonObject *head;
  JsonObject *initial;

  g_assert_cmpuint (all->status, ==, 200);
  g_assert_null (header (all, "Link"));
  g_assert_cmpuint (json_array_get_length (json_array (all)), ==, 2);
  head = json_array_get_object_element (json_array (all), 0);
  initial = json_array_get_object_element (json_array (all), 1);
  g_assert_cmpstr (json_object_get_string_member (head, "id"), ==, TINYCHAT_SHA);
  g_assert_nonnull (json_object_get_string_member (head, "title"));
  g_assert_nonnull (json_object_get_string_member (head, "message"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (head, "authors"),
                                                    0), "user"), ==, "example-org");
  /* Newest first. */
  g_assert_cmpint (strcmp (json_object_get_string_member (head, "date"),
                           json_object_get_string_member (initial, "date")), >, 0);

  g_assert_nonnull (next);
  g_assert_nonnull (strstr (next, "limit=1&p=1"));
  second = get (f, next);
  g_assert_null (header (second, "Link"));
  g_assert_cmpuint (json_array_get_length (json_array (first)), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_array (second)), ==, 1);
  g_assert_true (json_node_equal (json_array_get_element (json_array (second), 0),
                                  json_array_get_element (json_array (all), 1)));
  g_assert_true (json_node_equal (by_sha->json, all->json));
  assert_error (bad_rev, 404, "RevisionNotFound", NULL);
}

static void
test_raw (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(Response) tree = get (f, "/api/models/" PICO "/tree/main");
  g_autoptr(Response) pointer = get (f, "/" PICO "/raw/main/Pico-Q8_0.gguf");
  g_autoptr(Response) range = request_full (f, "GET", "/" PICO "/raw/main/Pico-Q8_0.gguf", FALSE,
                                            "Range", "bytes=0-0", NULL);
  g_autoptr(Response) config = get (f, "/" PICO "/raw/main/config.json");
  g_autoptr(Response) resolved = request_full (f, "GET", "/" PICO "/resolve/main/config.json",
                                               TRUE, NULL);
  g_autoptr(Response) missing = get (f, "/" PICO "/raw/main/nope.txt");
  g_autoptr(Response) gated = get (f, "/" GATED "/raw/main/Gated-7B-Q4_K_M.gguf");
  g_autofree char *text = g_strndup (g_bytes_get_data (pointer->body, NULL),
                                     g_bytes_get_size (pointer->body));
  JsonObject *entry = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *etag = NULL;

  for (guint i = 0; i < json_array_get_length (json_array (tree)); i++)
    {
      JsonObject *e = json_array_get_object_element (json_array (tree), i);

      if (g_str_equal (json_object_get_string_member (e, "path"), "Pico-Q8_0.gguf"))
        entry = e;
    }
  g_assert_nonnull (entry);

  /* An LFS file: its pointer, whose git id is the tree's oid. */
  expected = g_strdup_printf ("version https://git-lfs.github.com/spec/v1\n"
                              "oid sha256:%s\nsize %" G_GINT64_FORMAT "\n",
                              json_object_get_string_member (
                                json_object_get_object_member (entry, "lfs"), "oid"),
                              json_object_get_int_member (entry, "size"));
  g_assert_cmpuint (pointer->status, ==, 200);
  g_assert_cmpstr (text, ==, expected);
  etag = g_strdup_printf ("\"%s\"", json_object_get_string_member (entry, "oid"));
  g_assert_cmpstr (header (pointer, "ETag"), ==, etag);
  g_assert_nonnull (header (pointer, "X-Repo-Commit"));
  g_assert_null (header (pointer, "Location"));
  g_assert_cmpuint (range->status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (range->body), ==, 1);
  {
    g_autofree char *total = g_strdup_printf ("/%zu", strlen (expected));

    g_assert_true (g_str_has_suffix (header (range, "Content-Range"), total));
  }

  /* A git file: its content, as /resolve gives it. */
  g_assert_cmpuint (config->status, ==, 200);
  g_assert_true (g_bytes_equal (config->body, resolved->body));

  assert_error (missing, 404, "EntryNotFound", NULL);
  assert_error (gated, 401, "GatedRepo", NULL);
}

static void
test_renamed_repo (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) info = get (f, "/api/models/" MM_MOCK_HUB_RENAMED_REPO "?expand=sha");
  g_autoptr(Response) tree = get (f, "/api/models/" MM_MOCK_HUB_RENAMED_REPO
                                  "/tree/main?recursive=true");
  g_autoptr(Response) resolve = get (f, "/" MM_MOCK_HUB_RENAMED_REPO
                                     "/resolve/main/Pico-Q8_0.gguf");
  g_autoptr(Response) followed = request_full (f, "GET", "/api/models/" MM_MOCK_HUB_RENAMED_REPO
                                               "?expand=sha", TRUE, NULL);
  g_autoptr(Response) search = get (f, "/api/models?search=Pico-Old");

  /* Relative redirects to the same path and query under the new name. */
  g_assert_cmpuint (info->status, ==, 307);
  g_assert_cmpstr (header (info, "Location"), ==, "/api/models/" PICO "?expand=sha");
  g_assert_cmpuint (tree->status, ==, 307);
  g_assert_cmpstr (header (tree, "Location"), ==,
                   "/api/models/" PICO "/tree/main?recursive=true");
  g_assert_cmpuint (resolve->status, ==, 307);
  g_assert_cmpstr (header (resolve, "Location"), ==, "/" PICO "/resolve/main/Pico-Q8_0.gguf");

  g_assert_cmpuint (followed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object (followed), "id"), ==, PICO);
  /* The old name is not listed. */
  g_assert_cmpuint (json_array_get_length (json_array (search)), ==, 0);
}

static void
test_resolve_xet (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Response) tree = get (f, "/api/models/" PICO "/tree/main");
  g_autoptr(Response) head = request_full (f, "HEAD", "/" PICO "/resolve/main/Pico-Q8_0.gguf",
                                           FALSE, NULL);
  g_autoptr(Response) token = NULL;
  g_autoptr(Response) gated_token = NULL;
  const char *link = header (head, "Link");
  const char *start;
  const char *end;
  g_autofree char *auth_url = NULL;
  const char *xet_hash = NULL;

  for (guint i = 0; i < json_array_get_length (json_array (tree)); i++)
    {
      JsonObject *e = json_array_get_object_element (json_array (tree), i);

      if (g_str_equal (json_object_get_string_member (e, "path"), "Pico-Q8_0.gguf"))
        xet_hash = json_object_get_string_member (e, "xetHash");
    }

  g_assert_cmpuint (head->status, ==, 302);
  g_assert_nonnull (xet_hash);
  g_assert_cmpstr (header (head, "X-Xet-Hash"), ==, xet_hash);
  g_assert_nonnull (link);
  g_assert_nonnull (strstr (link, "rel=\"xet-reconstruction-info\""));
  g_assert_nonnull (strstr (link, xet_hash));
  end = strstr (link, ">; rel=\"xet-auth\"");
  g_assert_nonnull (end);
  start = link;
  g_assert_true (*start == '<');
  auth_url = g_strndup (start + 1, end - start - 1);
  g_assert_true (g_str_has_prefix (auth_url, mm_mock_hub_get_url (f->hub)));

  token = get (f, auth_url);
  g_assert_cmpuint (token->status, ==, 200);
  g_assert_nonnull (json_object_get_string_member (json_object (token), "accessToken"));
  g_assert_nonnull (json_object_get_string_member (json_object (token), "casUrl"));
  g_assert_cmpint (json_object_get_int_member (json_object (token), "exp"), >,
                   g_get_real_time () / G_USEC_PER_SEC);

  gated_token = get (f, "/api/models/" GATED "/xet-read-token/main");
  assert_error (gated_token, 401, "GatedRepo", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/mm/mock-hub/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("start-stop", test_start_stop);
  g_test_add_func ("/mm/mock-hub/port-in-use", test_port);
  ADD ("not-found", test_not_found);
  ADD ("search/fixture-default", test_search_fixture_default);
  ADD ("search/fixture-expand", test_search_fixture_expand);
  ADD ("search/default-shape", test_search_default_shape);
  ADD ("search/expand-only", test_search_expand_only);
  ADD ("search/pagination", test_search_pagination);
  ADD ("search/bad-cursor", test_search_bad_cursor);
  ADD ("search/sorting", test_search_sorting);
  ADD ("search/filter", test_search_filter);
  ADD ("model-info/fixture", test_model_info_fixture);
  ADD ("model-info/types", test_model_info_types);
  ADD ("model-info/errors", test_model_info_errors);
  ADD ("tree/fixture", test_tree_fixture);
  ADD ("tree/levels", test_tree_levels);
  ADD ("tree/pagination", test_tree_pagination);
  ADD ("tree/expand", test_tree_expand);
  ADD ("paths-info", test_paths_info);
  ADD ("commits", test_commits);
  ADD ("raw", test_raw);
  ADD ("renamed-repo", test_renamed_repo);
  ADD ("resolve/xet", test_resolve_xet);
  ADD ("resolve/redirect", test_resolve_redirect);
  ADD ("resolve/download", test_resolve_download);
  ADD ("resolve/small-file", test_resolve_small_file);
  ADD ("resolve/errors", test_resolve_errors);
  ADD ("resolve/gated", test_resolve_gated);
  ADD ("refused-token/invalid-credentials", test_refused_token_invalid_credentials);
  ADD ("resolve/hostile", test_hostile_download);
  ADD ("cdn/range", test_cdn_range);
  ADD ("cdn/large-file", test_cdn_large_file);
  ADD ("cdn/auth-and-signature", test_cdn_auth_and_signature);
  ADD ("cdn/faults", test_cdn_faults);
  ADD ("cdn/rate", test_cdn_rate);
  ADD ("cdn/stop-while-streaming", test_cdn_stop_while_streaming);
  ADD ("keep-alive", test_keep_alive);
  ADD ("cdn/retry-after", test_cdn_retry_after);
  ADD ("cdn/drop-200-and-206", test_cdn_drop_200_and_206);
  ADD ("cdn/short-body", test_cdn_short_body);
  ADD ("cdn/stall", test_cdn_stall);
  ADD ("cdn/corrupt", test_cdn_corrupt);
  ADD ("cdn/ranges", test_cdn_ranges);
  ADD ("file-version", test_file_version);
  ADD ("faults/fail-next", test_faults_fail_next);
  ADD ("faults/body-modes", test_faults_body_modes);
  ADD ("faults/delay", test_faults_delay);
  ADD ("faults/delay-parallel", test_faults_delay_parallel);
  ADD ("counters", test_counters);
  ADD ("whoami", test_whoami);
  ADD ("catalog", test_catalog);
  ADD ("gguf-headers", test_gguf_headers);
  ADD ("gguf-consistency", test_gguf_consistency);

#undef ADD

  return g_test_run ();
}
