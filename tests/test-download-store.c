/* test-download-store.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one reader and writer of downloads.json: a file written by the
 * download manager before the store existed loads, is written back byte
 * for byte, and restores its items; broken files and members are refused
 * or skipped as documented; a write prepared earlier never replaces one
 * prepared later.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "mm-core.h"
#include "mm-download-item-private.h"
#include "mm-download-manager-private.h"
#include "mm-download-store-private.h"

/* tests/fixtures/downloads/downloads-v1.json, with @DIR@ made @dir. */
static char *
legacy_contents (const char *dir)
{
  g_autofree char *path = g_build_filename (g_getenv ("MM_FIXTURES_DIR"), "..", "downloads",
                                            "downloads-v1.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  text = g_string_new (contents);
  g_string_replace (text, "@DIR@", dir, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
write_legacy_file (const char *dir)
{
  g_autofree char *contents = legacy_contents (dir);
  g_autofree char *path = g_build_filename (dir, "downloads.json", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_legacy_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-store-XXXXXX", NULL);
  g_autofree char *path = write_legacy_file (dir);
  g_autofree char *original = legacy_contents (dir);
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(MmDownloadStore) store = mm_download_store_new (path);
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) completed = NULL;
  g_autoptr(GError) error = NULL;
  MmDownloadRecord *record;

  g_assert_cmpstr (mm_download_store_get_path (store), ==, path);
  items = mm_download_store_load (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);

  /* Only the finished file counts as downloaded; the split set is not done. */
  completed = mm_download_store_read_completed (store);
  g_assert_cmpuint (completed->len, ==, 1);
  record = g_ptr_array_index (completed, 0);
  expected = g_build_filename (dir, "Models", "tiny-org", "Pico-GGUF", "Pico-Q4_K_M.gguf", NULL);
  g_assert_cmpstr (record->destination, ==, expected);
  g_assert_cmpstr (record->sha256, ==,
                   "c8fdc2ab82240b4ae29aeed801e7c54c612805d7336e3164c16f369a8367fd6d");
  g_assert_cmpuint (record->size, ==, 307200);
  g_assert_cmpstr (record->repo_id, ==, "tiny-org/Pico-GGUF");
  g_assert_cmpstr (record->commit, ==, "fb69c472828732a2b4952a417b8779df40c11c7b");
  g_assert_cmpstr (record->quant, ==, "Q4_K_M");
  g_assert_cmpstr (record->path, ==, "Pico-Q4_K_M.gguf");
  g_clear_pointer (&expected, g_free);
  expected = g_build_filename (dir, "Models", NULL);
  g_assert_cmpstr (record->download_dir, ==, expected);

  /* Written back unchanged, it is the same file, byte for byte. */
  mm_download_store_save (store, items, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, original);

  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (dir));
}

/* The manager restores the old file through the store. */
static void
test_legacy_manager (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-store-XXXXXX", NULL);
  g_autofree char *path = write_legacy_file (dir);
  g_autofree char *models = g_build_filename (dir, "Models", NULL);
  g_autoptr(MmHubClient) client = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(MmDownloadManager) manager = mm_download_manager_new (client, models, path);
  g_autoptr(MmDownloadItem) done = NULL;
  g_autoptr(MmDownloadItem) split = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmDownloadStore) store = NULL;
  g_autoptr(JsonArray) items = NULL;

  mm_download_manager_set_network_monitor (manager, NULL);
  mm_download_manager_set_auto_resume (manager, FALSE);
  g_assert_true (mm_download_manager_load (manager, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);

  done = g_list_model_get_item (G_LIST_MODEL (manager), 0);
  g_assert_cmpstr (mm_download_item_get_quant_name (done), ==, "Q4_K_M");
  g_assert_cmpstr (_mm_download_item_get_revision (done), ==,
                   "fb69c472828732a2b4952a417b8779df40c11c7b");
  g_assert_cmpint (mm_download_item_get_state (done), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_cmpuint (mm_download_item_get_total_bytes (done), ==, 307200);
  split = g_list_model_get_item (G_LIST_MODEL (manager), 1);
  g_assert_cmpstr (mm_download_item_get_quant_name (split), ==, "Q2_K");
  g_assert_cmpint (mm_download_item_get_state (split), ==, MM_DOWNLOAD_ITEM_STATE_PAUSED);
  g_assert_cmpuint (mm_download_item_get_downloads (split)->len, ==, 2);

  /* And saves it so that the store reads it back. */
  g_assert_true (_mm_download_manager_save (manager, &error));
  g_assert_no_error (error);
  store = mm_download_store_new (path);
  items = mm_download_store_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (mm_json_get_string (json_array_get_object_element (items, 1), "state"), ==,
                   "paused");

  g_clear_object (&done);
  g_clear_object (&split);
  g_assert_finalize_object (g_steal_pointer (&manager));
  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_parse_errors (void)
{
  const char *bad[] = { "", "{", "[]", "\"items\"", "{\"items\": {}}", "{\"version\": 1}" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) items = _mm_download_store_parse (bad[i], strlen (bad[i]), &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (items);
      g_assert_error (error, MM_DOWNLOAD_STORE_ERROR, MM_DOWNLOAD_STORE_ERROR_CORRUPT);
      g_assert_cmpstr (error->message, !=, "");
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) items = _mm_download_store_parse ("{\"items\": [1, {}]}", 18, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (items), ==, 2);
  }
}

static void
test_missing_and_damaged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "downloads.json", NULL);
  g_autoptr(MmDownloadStore) store = mm_download_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) completed = NULL;
  g_autofree char *backup = NULL;

  items = mm_download_store_load (store, &error);
  g_assert_null (items);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  completed = mm_download_store_read_completed (store);
  g_assert_cmpuint (completed->len, ==, 0);
  g_clear_pointer (&completed, g_ptr_array_unref);

  g_file_set_contents (path, "{\"items\": [", -1, &error);
  g_assert_no_error (error);
  items = mm_download_store_load (store, &error);
  g_assert_null (items);
  g_assert_error (error, MM_DOWNLOAD_STORE_ERROR, MM_DOWNLOAD_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  completed = mm_download_store_read_completed (store);
  g_assert_cmpuint (completed->len, ==, 0);

  /* A damaged file is moved aside, never overwritten. */
  backup = mm_download_store_move_aside (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, path));
  g_assert_nonnull (strstr (backup, ".corrupt-"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_null (mm_download_store_move_aside (store, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_assert_no_errno (g_remove (backup));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_completed_files (void)
{
  const char *text =
    "{\"items\": ["
    "  7,"
    "  {\"repo\": \"o/n\", \"files\": {}},"
    "  {\"repo\": 3, \"commit\": \"c1\", \"files\": ["
    "    {\"destination\": \"/m/a.gguf\", \"sha256\": \"ABCDEF\", \"completed\": true,"
    "     \"size\": 12, \"path\": \"a.gguf\"},"
    "    {\"destination\": \"rel/b.gguf\", \"sha256\": \"00\", \"completed\": true},"
    "    {\"destination\": \"/m/c.gguf\", \"sha256\": \"00\", \"completed\": 1},"
    "    {\"destination\": \"/m/d.gguf\", \"sha256\": \"00\", \"completed\": false},"
    "    {\"destination\": \"/m/e.gguf\", \"sha256\": null, \"completed\": true},"
    "    {\"destination\": [\"/m/f.gguf\"], \"sha256\": \"00\", \"completed\": true},"
    "    {\"destination\": \"/m/g.gguf\", \"sha256\": \"11\", \"completed\": true,"
    "     \"size\": -5},"
    "    \"/m/h.gguf\""
    "  ]}"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = _mm_download_store_parse (text, strlen (text), &error);
  g_autoptr(GPtrArray) completed = NULL;
  MmDownloadRecord *record;

  g_assert_no_error (error);
  completed = _mm_download_store_completed_files (items);
  g_assert_cmpuint (completed->len, ==, 2);

  record = g_ptr_array_index (completed, 0);
  g_assert_cmpstr (record->destination, ==, "/m/a.gguf");
  g_assert_cmpstr (record->sha256, ==, "abcdef");
  g_assert_cmpuint (record->size, ==, 12);
  g_assert_cmpstr (record->path, ==, "a.gguf");
  g_assert_null (record->repo_id);
  g_assert_cmpstr (record->commit, ==, "c1");
  g_assert_null (record->download_dir);

  record = g_ptr_array_index (completed, 1);
  g_assert_cmpstr (record->destination, ==, "/m/g.gguf");
  g_assert_cmpuint (record->size, ==, 0);
  g_assert_null (record->path);
}

static char *
items_text (const char *state)
{
  return g_strdup_printf ("{\"items\": [{\"state\": \"%s\"}]}", state);
}

static JsonArray *
items_with_state (const char *state)
{
  g_autofree char *text = items_text (state);
  g_autoptr(GError) error = NULL;
  JsonArray *items = _mm_download_store_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return items;
}

static const char *
state_on_disk (MmDownloadStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = mm_download_store_load (store, &error);
  static char state[32];

  g_assert_no_error (error);
  g_strlcpy (state, mm_json_get_string (json_array_get_object_element (items, 0), "state"),
             sizeof state);
  return state;
}

static void
test_newer_write_wins (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-store-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "model-manager", NULL);
  g_autofree char *path = g_build_filename (sub, "downloads.json", NULL);
  g_autoptr(MmDownloadStore) store = mm_download_store_new (path);
  g_autoptr(JsonArray) older = items_with_state ("downloading");
  g_autoptr(JsonArray) newer = items_with_state ("completed");
  g_autoptr(MmDownloadStoreWrite) first = NULL;
  g_autoptr(MmDownloadStoreWrite) second = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* Preparing makes the folder, private to the user. */
  first = mm_download_store_prepare (store, older, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_stat (sub, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  second = mm_download_store_prepare (store, newer, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The later list lands first (a slow worker thread): the earlier one
   * must not replace it. */
  g_assert_true (mm_download_store_commit (store, second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_on_disk (store), ==, "completed");
  g_assert_true (mm_download_store_commit (store, first, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_on_disk (store), ==, "completed");
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (mm_download_store_save (store, older, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_on_disk (store), ==, "downloading");

  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (sub));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_default_path (void)
{
  g_autoptr(MmDownloadStore) store = mm_download_store_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "model-manager",
                                                "downloads.json", NULL);

  g_assert_cmpstr (mm_download_store_get_path (store), ==, expected);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/download-store/legacy-file", test_legacy_file);
  g_test_add_func ("/mm/download-store/legacy-manager", test_legacy_manager);
  g_test_add_func ("/mm/download-store/parse-errors", test_parse_errors);
  g_test_add_func ("/mm/download-store/missing-and-damaged", test_missing_and_damaged);
  g_test_add_func ("/mm/download-store/completed-files", test_completed_files);
  g_test_add_func ("/mm/download-store/newer-write-wins", test_newer_write_wins);
  g_test_add_func ("/mm/download-store/default-path", test_default_path);

  return g_test_run ();
}
