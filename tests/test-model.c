/* test-model.c: parsing the Hub's JSON shapes into MmModel and MmRepoFile
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-model-private.h"
#include "mm-repo-file-private.h"
#include "mm-test-utils.h"

static JsonNode *
load_json (const char *name)
{
  g_autoptr(GBytes) bytes = mm_test_load_fixture (name);
  g_autoptr(GError) error = NULL;
  JsonNode *root = mm_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static JsonObject *
parse_object (JsonNode **root,
              const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  *root = mm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static void
test_model_info_blobs (void)
{
  g_autoptr(JsonNode) root = load_json ("model-info-blobs.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = mm_model_new_from_json (json_node_get_object (root), &error);
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 5, 14, 9, 21, 37);
  GPtrArray *files;
  MmRepoFile *bf16;

  g_assert_no_error (error);
  g_assert_cmpstr (mm_model_get_id (model), ==, "example-org/TinyChat-1.1B-GGUF");
  g_assert_cmpstr (mm_model_get_author (model), ==, "example-org");
  g_assert_cmpstr (mm_model_get_name (model), ==, "TinyChat-1.1B-GGUF");
  g_assert_cmpint (mm_model_get_downloads (model), ==, 48213);
  g_assert_cmpint (mm_model_get_likes (model), ==, 57);
  g_assert_cmpstr (mm_model_get_license (model), ==, "apache-2.0");
  g_assert_cmpint (mm_model_get_gated (model), ==, MM_GATED_NO);
  g_assert_cmpstr (mm_model_get_sha (model), ==, "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc");
  g_assert_cmpstr (_mm_model_get_pipeline_tag (model), ==, "text-generation");
  g_assert_cmpuint (mm_model_get_parameters (model), ==, 1100048384);
  g_assert_cmpstr (mm_model_get_architecture (model), ==, "llama");
  g_assert_cmpuint (mm_model_get_context_length (model), ==, 2048);
  g_assert_true (g_date_time_equal (mm_model_get_updated (model), expected));
  g_assert_true (g_strv_contains (mm_model_get_tags (model), "conversational"));
  g_assert_true (_mm_model_get_has_files (model));

  files = mm_model_get_files (model);
  g_assert_cmpuint (files->len, ==, 11);
  g_assert_cmpstr (mm_repo_file_get_path (g_ptr_array_index (files, 0)), ==, ".gitattributes");
  g_assert_false (_mm_repo_file_get_is_lfs (g_ptr_array_index (files, 0)));
  bf16 = g_ptr_array_index (files, 9);
  g_assert_cmpstr (mm_repo_file_get_path (bf16), ==, "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf");
  g_assert_cmpstr (mm_repo_file_get_basename (bf16), ==, "TinyChat-1.1B-BF16-00001-of-00002.gguf");
  g_assert_cmpuint (mm_repo_file_get_size (bf16), ==, 1283457152);
  g_assert_cmpstr (mm_repo_file_get_sha256 (bf16), ==,
                   "d74adf1263cb877874eaae76c0fb7df37ad8343432961efdf7574b60ff61dc4f");
  g_assert_cmpstr (mm_repo_file_get_oid (bf16), ==, "8f18eee96cd68d4530fc807110247a8fad484956");
  g_assert_null (mm_repo_file_get_problem (bf16));

  g_clear_object (&model);
}

static void
test_model_info_plain (void)
{
  g_autoptr(JsonNode) root = load_json ("model-info.json");
  g_autoptr(MmModel) model = mm_model_new_from_json (json_node_get_object (root), NULL);
  GPtrArray *files = mm_model_get_files (model);

  /* Without blobs=true the siblings carry names only. */
  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    {
      g_assert_cmpuint (mm_repo_file_get_size (g_ptr_array_index (files, i)), ==, 0);
      g_assert_null (mm_repo_file_get_sha256 (g_ptr_array_index (files, i)));
    }
}

static void
test_search_items (void)
{
  g_autoptr(JsonNode) expand = load_json ("search-models-expand.json");
  g_autoptr(JsonNode) plain = load_json ("search-models-default.json");
  JsonArray *array = json_node_get_array (expand);
  static const MmGated gated[] = { MM_GATED_NO, MM_GATED_AUTO, MM_GATED_MANUAL };

  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MmModel) model =
        mm_model_new_from_json (json_array_get_object_element (array, i), NULL);

      g_assert_nonnull (model);
      g_assert_cmpint (mm_model_get_gated (model), ==, gated[i]);
      g_assert_nonnull (mm_model_get_updated (model));
      g_assert_false (_mm_model_get_has_files (model));
    }

  /* The default shape has no author: it is derived from the id. */
  array = json_node_get_array (plain);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(MmModel) model =
        mm_model_new_from_json (json_array_get_object_element (array, i), NULL);
      g_autofree char *owner = NULL;

      g_assert_nonnull (model);
      owner = g_strndup (mm_model_get_id (model),
                         strchr (mm_model_get_id (model), '/') - mm_model_get_id (model));
      g_assert_cmpstr (mm_model_get_author (model), ==, owner);
      g_assert_null (mm_model_get_updated (model));
      g_assert_cmpint (mm_model_get_downloads (model), >=, 0);
    }
}

static void
test_tree_entries (void)
{
  g_autoptr(JsonNode) root = load_json ("tree-recursive.json");
  JsonArray *array = json_node_get_array (root);
  guint lfs = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(MmRepoFile) file =
        mm_repo_file_new_from_json (json_array_get_object_element (array, i), NULL);

      g_assert_nonnull (file);
      if (_mm_repo_file_get_is_lfs (file))
        {
          lfs++;
          g_assert_cmpuint (strlen (mm_repo_file_get_sha256 (file)), ==, 64);
        }
    }
  g_assert_cmpuint (lfs, ==, 9);
}

static void
test_missing_null_mixed (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (&root,
    "{\"id\": \"a/b\", \"author\": null, \"downloads\": \"many\", \"likes\": 3.0,"
    " \"gated\": \"manual\", \"tags\": [\"x\", 1, null, \"license:mit\"],"
    " \"lastModified\": \"not a date\", \"private\": \"yes\", \"gguf\": [],"
    " \"siblings\": [{\"rfilename\": \"x.gguf\", \"size\": null}, 5, {\"nope\": 1}],"
    " \"unknownField\": {\"deep\": [1, 2, 3]}}");
  g_autoptr(MmModel) model = mm_model_new_from_json (object, NULL);

  g_assert_nonnull (model);
  g_assert_cmpstr (mm_model_get_author (model), ==, "a");
  g_assert_cmpint (mm_model_get_downloads (model), ==, -1);
  g_assert_cmpint (mm_model_get_likes (model), ==, 3);
  g_assert_cmpint (mm_model_get_gated (model), ==, MM_GATED_MANUAL);
  g_assert_cmpuint (g_strv_length ((char **) mm_model_get_tags (model)), ==, 2);
  g_assert_cmpstr (mm_model_get_license (model), ==, "mit");
  g_assert_null (mm_model_get_updated (model));
  g_assert_false (mm_model_get_private (model));
  g_assert_cmpuint (mm_model_get_parameters (model), ==, 0);
  g_assert_cmpuint (mm_model_get_files (model)->len, ==, 1);
}

static void
test_gated_forms (void)
{
  static const struct { const char *json; MmGated gated; } cases[] = {
    { "{\"id\": \"a/b\", \"gated\": false}", MM_GATED_NO },
    { "{\"id\": \"a/b\", \"gated\": true}", MM_GATED_AUTO },
    { "{\"id\": \"a/b\", \"gated\": \"auto\"}", MM_GATED_AUTO },
    { "{\"id\": \"a/b\", \"gated\": \"manual\"}", MM_GATED_MANUAL },
    { "{\"id\": \"a/b\", \"gated\": \"some-future-mode\"}", MM_GATED_AUTO },
    { "{\"id\": \"a/b\"}", MM_GATED_NO },
    { "{\"id\": \"a/b\", \"gated\": null}", MM_GATED_NO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(MmModel) model = mm_model_new_from_json (parse_object (&root, cases[i].json),
                                                         NULL);

      g_assert_cmpint (mm_model_get_gated (model), ==, cases[i].gated);
    }
}

static void
test_big_numbers (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (&root,
    "{\"path\": \"big-00001-of-00002.gguf\", \"size\": 53687091200,"
    " \"lfs\": {\"oid\": \"D74ADF1263CB877874EAAE76C0FB7DF37AD8343432961EFDF7574B60FF61DC4F\","
    " \"size\": 53687091200}}");
  g_autoptr(MmRepoFile) file = mm_repo_file_new_from_json (object, NULL);

  g_assert_cmpuint (mm_repo_file_get_size (file), ==, G_GUINT64_CONSTANT (53687091200));
  /* Hashes are normalised to lower case. */
  g_assert_cmpstr (mm_repo_file_get_sha256 (file), ==,
                   "d74adf1263cb877874eaae76c0fb7df37ad8343432961efdf7574b60ff61dc4f");
}

static void
test_bad_sha (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (&root,
    "{\"path\": \"a.gguf\", \"size\": 10, \"lfs\": {\"oid\": \"not-a-hash\"}}");
  g_autoptr(MmRepoFile) file = mm_repo_file_new_from_json (object, NULL);

  g_assert_null (mm_repo_file_get_sha256 (file));
  g_assert_false (_mm_repo_file_get_is_lfs (file));
}

static void
test_hostile_file (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (&root, "{\"path\": \"../../etc/passwd-Q4_K_M.gguf\"}");
  g_autoptr(MmRepoFile) file = mm_repo_file_new_from_json (object, NULL);

  g_assert_nonnull (mm_repo_file_get_problem (file));
}

static void
test_no_id (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = parse_object (&root, "{\"author\": \"x\"}");
  MmModel *model = mm_model_new_from_json (object, &error);

  g_assert_null (model);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
}

static void
test_malformed_json (void)
{
  static const char * const bodies[] = {
    "", "{", "[{\"id\": \"a/b\",", "<html>502 Bad Gateway</html>", "\xff\xfe", "{\"id\": }",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GError) error = NULL;
      JsonNode *root = mm_json_parse_bytes (bytes, &error);

      g_assert_null (root);
      g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
      g_assert_nonnull (error->message);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/model/info/blobs", test_model_info_blobs);
  g_test_add_func ("/mm/model/info/plain", test_model_info_plain);
  g_test_add_func ("/mm/model/search-items", test_search_items);
  g_test_add_func ("/mm/model/tree-entries", test_tree_entries);
  g_test_add_func ("/mm/model/missing-null-mixed", test_missing_null_mixed);
  g_test_add_func ("/mm/model/gated-forms", test_gated_forms);
  g_test_add_func ("/mm/model/no-id", test_no_id);
  g_test_add_func ("/mm/repo-file/big-numbers", test_big_numbers);
  g_test_add_func ("/mm/repo-file/bad-sha", test_bad_sha);
  g_test_add_func ("/mm/repo-file/hostile", test_hostile_file);
  g_test_add_func ("/mm/json/malformed", test_malformed_json);

  return g_test_run ();
}
