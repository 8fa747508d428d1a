/* test-library.c: the models on disk, watched, with facts, delete and verify
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mm-core.h"
#include "mm-gguf-writer.h"
#include "mm-library-entry-private.h"
#include "mm-library-private.h"
#include "mm-library-trash-private.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 10000

typedef struct {
  char *root;
  MmLibrary *library;
  guint added;
  guint removed;
} Fixture;

/* Writes a small GGUF file: a llama with @n_rows × 64 parameters. */
static char *
write_gguf (const char *root,
            const char *relative,
            guint64     n_rows,
            int         split_no,
            int         split_count)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  const guint64 dims[] = { 64, n_rows };

  if (split_no <= 0)
    {
      mm_gguf_writer_add_string (writer, "general.architecture", "llama");
      mm_gguf_writer_add_uint (writer, "llama.context_length", MM_GGUF_TYPE_UINT32, 2048);
      mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT32, 2);
      mm_gguf_writer_add_uint (writer, "llama.embedding_length", MM_GGUF_TYPE_UINT32, 64);
      mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 4);
      mm_gguf_writer_add_uint (writer, "llama.attention.head_count_kv", MM_GGUF_TYPE_UINT32,
                               2);
    }
  if (split_count > 0)
    {
      mm_gguf_writer_add_uint (writer, "split.no", MM_GGUF_TYPE_UINT16, (guint64) split_no);
      mm_gguf_writer_add_uint (writer, "split.count", MM_GGUF_TYPE_UINT16,
                               (guint64) split_count);
    }
  mm_gguf_writer_add_tensor (writer, "blk.0.weight", 2, dims, 1, 64 * n_rows * 2);
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static void
write_text (const char *root,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static guint64
file_size (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return (guint64) buf.st_size;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->added += added;
  fixture->removed += removed;
}

static gboolean
not_loading (gpointer data)
{
  return !mm_library_get_loading (data);
}

static void
wait_loaded (MmLibrary *library)
{
  mm_test_wait_until (not_loading, library, TIMEOUT_MS);
}

typedef struct {
  MmLibrary *library;
  guint n_items;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *wait = data;

  return !mm_library_get_loading (wait->library) &&
         g_list_model_get_n_items (G_LIST_MODEL (wait->library)) == wait->n_items;
}

static void
wait_n_items (MmLibrary *library,
              guint      n_items)
{
  CountWait wait = { library, n_items };

  mm_test_wait_until (has_n_items, &wait, TIMEOUT_MS);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  GObject *object;
  guint ref_count;
} RefWait;

static gboolean
has_ref_count (gpointer data)
{
  RefWait *wait = data;

  return g_atomic_int_get ((int *) &wait->object->ref_count) == (int) wait->ref_count;
}

/* Worker threads drop their references to a task (and its source object)
 * a moment after its callback ran. */
static void
wait_only_ref_count (gpointer object,
                     guint    ref_count)
{
  guint tick = g_timeout_add (10, tick_cb, NULL);
  RefWait wait = { object, ref_count };

  mm_test_wait_until (has_ref_count, &wait, TIMEOUT_MS);
  g_source_remove (tick);
}

static void
wait_only_ref (gpointer object)
{
  wait_only_ref_count (object, 1);
}

static MmLibraryEntry *
find_entry (MmLibrary  *library,
            const char *name,
            const char *label)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (library)); i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (library), i);

      if (g_str_equal (mm_library_entry_get_name (entry), name) &&
          g_str_equal (mm_library_entry_get_label (entry), label))
        return entry;
    }

  return NULL;
}

/*
 * root/
 *   org1/repo1/model-Q4_K_M.gguf          one entry
 *   org1/repo1/model-Q8_0.gguf            one entry
 *   org1/repo1/model-Q6_K.gguf.part       (a partial download: not listed)
 *   org1/repo1/model-Q6_K.gguf.part.json
 *   org1/repo1/README.md
 *   org2/repo2/Q4_K_M/big-Q4_K_M-0000{1,2}-of-00002.gguf   one entry
 *   loose/thing.gguf                      one entry, named after its folder
 *   .hidden/secret.gguf                   (hidden: not listed)
 */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *e = NULL;
  g_autofree char *f = NULL;

  /* g_file_trash () needs the home folder, which the isolated dirs lack. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  fixture->root = g_build_filename (g_get_user_data_dir (), "Models", NULL);
  a = write_gguf (fixture->root, "org1/repo1/model-Q4_K_M.gguf", 10, -1, 0);
  b = write_gguf (fixture->root, "org1/repo1/model-Q8_0.gguf", 20, -1, 0);
  write_text (fixture->root, "org1/repo1/model-Q6_K.gguf.part", "GGUF partial");
  write_text (fixture->root, "org1/repo1/model-Q6_K.gguf.part.json", "{}");
  write_text (fixture->root, "org1/repo1/README.md", "# Model");
  c = write_gguf (fixture->root, "org2/repo2/Q4_K_M/big-Q4_K_M-00001-of-00002.gguf", 30, 0, 2);
  d = write_gguf (fixture->root, "org2/repo2/Q4_K_M/big-Q4_K_M-00002-of-00002.gguf", 40, 1, 2);
  e = write_gguf (fixture->root, "loose/thing.gguf", 5, -1, 0);
  f = write_gguf (fixture->root, ".hidden/secret.gguf", 5, -1, 0);

  fixture->library = mm_library_new ();
  g_signal_connect (fixture->library, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  _mm_library_add_folder (fixture->library, fixture->root);
  g_assert_true (mm_library_get_loading (fixture->library));
  wait_loaded (fixture->library);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  wait_loaded (fixture->library);
  wait_only_ref (fixture->library);

  /* The entries go with the library (and their readers with them). */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->library)); i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (fixture->library), i);
      gpointer *weak = g_new0 (gpointer, 1);

      wait_only_ref_count (entry, 2);
      g_set_weak_pointer (weak, entry);
      g_ptr_array_add (entries, weak);
    }
  g_assert_finalize_object (fixture->library);
  for (guint i = 0; i < entries->len; i++)
    {
      gpointer *weak = g_ptr_array_index (entries, i);

      g_assert_null (*weak);
      g_free (weak);
    }
  g_free (fixture->root);
}

static void
test_scan (Fixture       *fixture,
           gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->library);
  g_autoptr(MmLibraryEntry) loose = NULL;
  g_autoptr(MmLibraryEntry) q4 = NULL;
  g_autoptr(MmLibraryEntry) q8 = NULL;
  g_autoptr(MmLibraryEntry) split = NULL;
  g_autofree char *q4_path = g_build_filename (fixture->root, "org1/repo1/model-Q4_K_M.gguf",
                                               NULL);
  g_autofree char *part1 = g_build_filename (fixture->root,
                                             "org2/repo2/Q4_K_M/big-Q4_K_M-00001-of-00002.gguf",
                                             NULL);
  g_autofree char *part2 = g_build_filename (fixture->root,
                                             "org2/repo2/Q4_K_M/big-Q4_K_M-00002-of-00002.gguf",
                                             NULL);
  g_autofree char *loose_folder = g_build_filename (fixture->root, "loose", NULL);
  g_autofree char *repo1_folder = g_build_filename (fixture->root, "org1", "repo1", NULL);
  g_autoptr(GDateTime) modified = NULL;
  const MmLibraryFile *file;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (fixture->added, ==, 4);
  g_assert_cmpuint (fixture->removed, ==, 0);
  g_assert_true (g_list_model_get_item_type (model) == MM_TYPE_LIBRARY_ENTRY);
  g_assert_null (g_list_model_get_item (model, 4));

  /* Sorted by name, then quantization. */
  loose = g_list_model_get_item (model, 0);
  q4 = g_list_model_get_item (model, 1);
  q8 = g_list_model_get_item (model, 2);
  split = g_list_model_get_item (model, 3);

  g_assert_null (mm_library_entry_get_repo_id (loose));
  g_assert_cmpstr (mm_library_entry_get_name (loose), ==, "loose");
  g_assert_cmpstr (mm_library_entry_get_folder (loose), ==, loose_folder);
  g_assert_null (mm_library_entry_get_quant (loose));
  g_assert_cmpstr (mm_library_entry_get_label (loose), ==, "thing");

  g_assert_cmpstr (mm_library_entry_get_repo_id (q4), ==, "org1/repo1");
  g_assert_cmpstr (mm_library_entry_get_name (q4), ==, "org1/repo1");
  g_assert_cmpstr (mm_library_entry_get_folder (q4), ==, repo1_folder);
  g_assert_cmpstr (mm_library_entry_get_root (q4), ==, fixture->root);
  g_assert_cmpstr (mm_library_entry_get_quant (q4), ==, "Q4_K_M");
  g_assert_cmpint (mm_library_entry_get_kind (q4), ==, MM_QUANT_KIND_MODEL);
  g_assert_false (mm_library_entry_get_is_split (q4));
  g_assert_true (mm_library_entry_get_is_complete (q4));
  g_assert_cmpuint (mm_library_entry_get_n_files (q4), ==, 1);
  file = mm_library_entry_get_file (q4, 0);
  g_assert_cmpstr (file->path, ==, q4_path);
  g_assert_cmpstr (file->relative_path, ==, "model-Q4_K_M.gguf");
  g_assert_cmpuint (file->size, ==, file_size (q4_path));
  g_assert_cmpuint (mm_library_entry_get_size (q4), ==, file->size);
  g_assert_cmpint (file->modified, >, 0);
  modified = mm_library_entry_get_modified (q4);
  g_assert_cmpint (g_date_time_to_unix (modified), ==, file->modified);

  g_assert_cmpstr (mm_library_entry_get_quant (q8), ==, "Q8_0");

  g_assert_cmpstr (mm_library_entry_get_repo_id (split), ==, "org2/repo2");
  g_assert_cmpstr (mm_library_entry_get_quant (split), ==, "Q4_K_M");
  g_assert_true (mm_library_entry_get_is_split (split));
  g_assert_true (mm_library_entry_get_is_complete (split));
  g_assert_cmpuint (mm_library_entry_get_split_count (split), ==, 2);
  g_assert_cmpuint (mm_library_entry_get_n_files (split), ==, 2);
  g_assert_cmpstr (mm_library_entry_get_file (split, 0)->path, ==, part1);
  g_assert_cmpstr (mm_library_entry_get_file (split, 1)->path, ==, part2);
  g_assert_cmpstr (mm_library_entry_get_file (split, 1)->relative_path, ==,
                   "Q4_K_M/big-Q4_K_M-00002-of-00002.gguf");
  g_assert_cmpuint (mm_library_entry_get_size (split), ==, file_size (part1) + file_size (part2));

  g_assert_cmpuint (mm_library_get_total_size (fixture->library), ==,
                    mm_library_entry_get_size (loose) + mm_library_entry_get_size (q4) +
                    mm_library_entry_get_size (q8) + mm_library_entry_get_size (split));

  /* Nothing is read before someone asks. */
  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_NONE);
  g_assert_null (mm_library_entry_get_architecture (q4));

  /* A rescan with nothing changed keeps the same objects and says nothing. */
  _mm_library_reload (fixture->library);
  wait_loaded (fixture->library);
  g_assert_cmpuint (fixture->added, ==, 4);
  {
    g_autoptr(MmLibraryEntry) again = g_list_model_get_item (model, 1);
    g_assert_true (again == q4);
  }
}

static void
test_incomplete_split (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *part2 = g_build_filename (fixture->root,
                                             "org2/repo2/Q4_K_M/big-Q4_K_M-00002-of-00002.gguf",
                                             NULL);
  MmLibraryEntry *split;

  g_assert_cmpint (g_unlink (part2), ==, 0);
  _mm_library_reload (fixture->library);
  wait_loaded (fixture->library);

  split = find_entry (fixture->library, "org2/repo2", "Q4_K_M");
  g_assert_nonnull (split);
  g_assert_cmpuint (mm_library_entry_get_n_files (split), ==, 1);
  g_assert_false (mm_library_entry_get_is_complete (split));
}

static void
test_appear (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *final = NULL;
  MmLibraryEntry *entry;

  fixture->added = fixture->removed = 0;

  /* A file in a repo folder the library watches already. */
  path = write_gguf (fixture->root, "org1/repo1/model-Q5_K_M.gguf", 10, -1, 0);
  wait_n_items (fixture->library, 5);
  g_assert_cmpuint (fixture->added, ==, 1);
  g_assert_cmpuint (fixture->removed, ==, 0);
  entry = find_entry (fixture->library, "org1/repo1", "Q5_K_M");
  g_assert_nonnull (entry);

  /* A new repo folder: new folders are watched too. */
  g_clear_pointer (&path, g_free);
  path = write_gguf (fixture->root, "org3/repo3/new-Q2_K.gguf", 10, -1, 0);
  wait_n_items (fixture->library, 6);
  g_assert_nonnull (find_entry (fixture->library, "org3/repo3", "Q2_K"));
  g_clear_pointer (&path, g_free);
  path = write_gguf (fixture->root, "org3/repo3/sub/deeper-Q3_K_M.gguf", 10, -1, 0);
  wait_n_items (fixture->library, 7);

  /* A download finishing: the partial is renamed to its final name. */
  partial = write_gguf (fixture->root, "org3/repo3/done-Q6_K.gguf.part", 10, -1, 0);
  final = g_build_filename (fixture->root, "org3/repo3/done-Q6_K.gguf", NULL);
  g_assert_cmpint (g_rename (partial, final), ==, 0);
  wait_n_items (fixture->library, 8);
  g_assert_nonnull (find_entry (fixture->library, "org3/repo3", "Q6_K"));
}

static void
test_vanish (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "org1/repo1/model-Q8_0.gguf", NULL);
  g_autofree char *loose = g_build_filename (fixture->root, "loose/thing.gguf", NULL);

  fixture->added = fixture->removed = 0;

  g_assert_cmpint (g_unlink (path), ==, 0);
  wait_n_items (fixture->library, 3);
  g_assert_null (find_entry (fixture->library, "org1/repo1", "Q8_0"));
  g_assert_nonnull (find_entry (fixture->library, "org1/repo1", "Q4_K_M"));
  g_assert_cmpuint (fixture->removed, ==, 1);
  g_assert_cmpuint (fixture->added, ==, 0);

  g_assert_cmpint (g_unlink (loose), ==, 0);
  wait_n_items (fixture->library, 2);
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *other = g_build_filename (g_get_user_cache_dir (), "lmstudio", NULL);
  g_autofree char *with_slash = g_strconcat (fixture->root, "/", NULL);
  g_autofree char *gguf = write_gguf (other, "pub/model-GGUF/model-IQ4_XS.gguf", 10, -1, 0);
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "later", NULL);
  g_autofree char *later = NULL;
  const char * const *folders;
  g_auto(GStrv) notified_folders = NULL;
  MmLibraryEntry *entry;
  guint notified = 0;
  guint folders_notified = 0;

  g_signal_connect (fixture->library, "notify::folders", G_CALLBACK (count_notify_cb),
                    &folders_notified);

  _mm_library_add_folder (fixture->library, other);
  _mm_library_add_folder (fixture->library, with_slash);
  folders = mm_library_get_folders (fixture->library);
  g_assert_cmpuint (g_strv_length ((char **) folders), ==, 2);
  g_assert_cmpstr (folders[0], ==, fixture->root);
  g_assert_cmpstr (folders[1], ==, other);
  /* Adding a folder already there (spelled differently) changes nothing. */
  g_assert_cmpuint (folders_notified, ==, 1);
  g_object_get (fixture->library, "folders", &notified_folders, NULL);
  g_assert_cmpstrv (notified_folders, folders);
  wait_n_items (fixture->library, 5);
  g_assert_nonnull (find_entry (fixture->library, "pub/model-GGUF", "IQ4_XS"));

  g_assert_true (_mm_library_remove_folder (fixture->library, fixture->root));
  g_assert_false (_mm_library_remove_folder (fixture->library, fixture->root));
  wait_n_items (fixture->library, 1);

  /* A folder that does not exist yet: named as missing, and watched. */
  g_signal_connect (fixture->library, "notify::missing-folders",
                    G_CALLBACK (count_notify_cb), &notified);
  g_assert_cmpuint (g_strv_length ((char **) mm_library_get_missing_folders (fixture->library)),
                    ==, 0);
  _mm_library_add_folder (fixture->library, missing);
  wait_loaded (fixture->library);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 1);
  g_assert_cmpstrv (mm_library_get_missing_folders (fixture->library),
                    ((const char * const[]) { missing, NULL }));
  g_assert_cmpuint (notified, ==, 1);
  later = write_gguf (missing, "a.gguf", 10, -1, 0);
  _mm_library_reload (fixture->library);
  wait_n_items (fixture->library, 2);
  g_assert_cmpuint (g_strv_length ((char **) mm_library_get_missing_folders (fixture->library)),
                    ==, 0);
  g_assert_cmpuint (notified, ==, 2);
  entry = find_entry (fixture->library, "later", "a");
  g_assert_nonnull (entry);
  g_assert_cmpstr (mm_library_entry_get_root (entry), ==, missing);

  mm_library_set_folders (fixture->library, (const char * const []) { fixture->root, NULL });
  wait_n_items (fixture->library, 4);
}

/* A delete left in .trash-mm by a process that ended (a crash) is
 * finished at the next scan; one of a process still running stays, and
 * the library never lists what is in there. */
static void
test_trash_leftovers (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *argv[] = { "true", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dead_stash = NULL;
  g_autofree char *live_stash = NULL;
  g_autofree char *dead_file = NULL;
  g_autofree char *live_file = NULL;
  g_autofree char *restored = g_build_filename (fixture->root, "org3", "gone", NULL);
  GPid pid;
  int status;

  /* A process id that is surely over. */
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  dead_stash = g_strdup_printf ("%s/%s/%d-1", fixture->root, MM_LIBRARY_TRASH_FOLDER, (int) pid);
  live_stash = g_strdup_printf ("%s/%s/%d-1", fixture->root, MM_LIBRARY_TRASH_FOLDER,
                                (int) getpid ());
  dead_file = write_gguf (dead_stash, "org3/gone/gone-Q4_K_M.gguf", 10, -1, 0);
  live_file = write_gguf (live_stash, "org4/kept/kept-Q4_K_M.gguf", 10, -1, 0);

  _mm_library_reload (fixture->library);
  wait_loaded (fixture->library);

  g_assert_false (g_file_test (dead_file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dead_stash, G_FILE_TEST_EXISTS));
  /* Trashed from where it was, and that folder is not left behind. */
  g_assert_false (g_file_test (restored, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 4);
  g_assert_null (find_entry (fixture->library, "org3/gone", "Q4_K_M"));
  g_assert_null (find_entry (fixture->library, "org4/kept", "Q4_K_M"));
}

static void
test_facts (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MmLibraryEntry) q4 = g_object_ref (find_entry (fixture->library, "org1/repo1",
                                                           "Q4_K_M"));
  g_autoptr(MmLibraryEntry) split = g_object_ref (find_entry (fixture->library, "org2/repo2",
                                                              "Q4_K_M"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(MmGgufInfo) again = NULL;
  g_autoptr(MmMemoryEstimate) estimate = NULL;

  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_NONE);
  mm_library_entry_load_info_async (q4, NULL, mm_test_store_result_cb, &result);
  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_LOADING);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_library_entry_load_info_finish (q4, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_LOADED);
  g_assert_true (mm_library_entry_get_info (q4) == info);
  g_assert_cmpstr (mm_library_entry_get_architecture (q4), ==, "llama");
  g_assert_cmpuint (mm_library_entry_get_parameters (q4), ==, 64 * 10);
  g_assert_cmpuint (mm_library_entry_get_context_length (q4), ==, 2048);

  /* Cached: the same object. */
  g_clear_object (&result);
  mm_library_entry_load_info_async (q4, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  again = mm_library_entry_load_info_finish (q4, result, &error);
  g_assert_no_error (error);
  g_assert_true (again == info);

  /* 2 layers × 2048 tokens × (16 + 16) × 2 KV heads × 2 bytes */
  estimate = mm_library_entry_estimate_memory (q4, 0, 0);
  g_assert_cmpint (estimate->kv_source, ==, MM_KV_CACHE_EXACT);
  g_assert_cmpuint (estimate->context, ==, 2048);
  g_assert_cmpuint (estimate->kv_cache, ==, 2 * 2048 * 32 * 2 * 2);

  /* A split set: facts of the first part, parameters of all. The facts
   * are notified when known. */
  mm_library_entry_ensure_info (split);
  g_assert_cmpint (mm_library_entry_get_info_state (split), ==, MM_LIBRARY_INFO_STATE_LOADING);
  while (mm_library_entry_get_info_state (split) == MM_LIBRARY_INFO_STATE_LOADING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (mm_library_entry_get_info_state (split), ==, MM_LIBRARY_INFO_STATE_LOADED);
  g_assert_cmpstr (mm_library_entry_get_architecture (split), ==, "llama");
  g_assert_cmpuint (mm_library_entry_get_parameters (split), ==, 64 * 30 + 64 * 40);

}

static void
test_facts_broken (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  MmLibraryEntry *entry;

  write_text (fixture->root, "org1/repo1/broken-Q2_K.gguf", "not a GGUF file at all");
  _mm_library_reload (fixture->library);
  wait_n_items (fixture->library, 5);
  entry = find_entry (fixture->library, "org1/repo1", "Q2_K");

  mm_library_entry_load_info_async (entry, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_library_entry_load_info_finish (entry, result, &error);
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_NOT_GGUF);
  g_assert_null (info);
  g_assert_cmpint (mm_library_entry_get_info_state (entry), ==, MM_LIBRARY_INFO_STATE_FAILED);
  g_assert_nonnull (mm_library_entry_get_info_error (entry));
  g_assert_null (mm_library_entry_get_architecture (entry));
}

static void
test_trash_undo (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "org2/repo2/Q4_K_M/"
                                            "big-Q4_K_M-00001-of-00002.gguf", NULL);
  g_autofree char *stash = g_build_filename (fixture->root, MM_LIBRARY_TRASH_FOLDER, NULL);
  g_autofree char *trashed = g_build_filename (g_get_user_data_dir (), "Trash", "files",
                                               "big-Q4_K_M-00001-of-00002.gguf", NULL);
  g_autofree char *repo_folder = g_build_filename (fixture->root, "org2", NULL);
  g_autoptr(MmLibraryEntry) entry = NULL;
  g_autoptr(MmLibraryTrash) trash = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = file_size (path);

  entry = g_object_ref (find_entry (fixture->library, "org2/repo2", "Q4_K_M"));
  mm_library_entry_trash_async (entry, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  trash = mm_library_entry_trash_finish (entry, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trash);
  g_assert_true (mm_library_trash_get_can_undo (trash));
  g_assert_cmpuint (_mm_library_trash_get_n_files (trash), ==, 2);
  g_assert_cmpstr (_mm_library_trash_get_original_path (trash, 0), ==, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stash, G_FILE_TEST_IS_DIR));
  wait_n_items (fixture->library, 3);
  g_assert_null (find_entry (fixture->library, "org2/repo2", "Q4_K_M"));

  /* Undo */
  g_clear_object (&result);
  mm_library_trash_undo_async (trash, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_true (mm_library_trash_undo_finish (trash, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_size (path), ==, size);
  wait_n_items (fixture->library, 4);
  g_assert_nonnull (find_entry (fixture->library, "org2/repo2", "Q4_K_M"));
  g_clear_pointer (&trash, mm_library_trash_unref);

  /* Delete for good: the files go to the desktop's trash, and the folders
   * they leave empty go too. */
  g_clear_object (&result);
  mm_library_entry_trash_async (entry, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  trash = mm_library_entry_trash_finish (entry, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  mm_library_trash_commit_async (trash, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_true (mm_library_trash_commit_finish (trash, result, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stash, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (repo_folder, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (trashed, G_FILE_TEST_IS_REGULAR));
  wait_n_items (fixture->library, 3);

  /* Undo after commit is refused. */
  g_clear_object (&result);
  mm_library_trash_undo_async (trash, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_false (mm_library_trash_undo_finish (trash, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  wait_only_ref (entry);
  g_assert_finalize_object (g_steal_pointer (&entry));
}

static void
test_trash_refuses_outside (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MmLibraryTrash *trash;

  mm_library_trash_files_async ("/nonexistent/root", (const char * const []) { "/etc/passwd", NULL },
                                NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  trash = mm_library_trash_files_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (trash);
}

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
write_state_file (const char *path,
                  const char *destination,
                  const char *sha256,
                  guint64     size)
{
  g_autofree char *json = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  /* As mm_download_item_to_json () writes it. */
  json = g_strdup_printf ("{\"version\": 1, \"items\": [{\"repo\": \"org1/repo1\", "
                          "\"state\": \"completed\", \"files\": [{\"path\": \"x.gguf\", "
                          "\"size\": %" G_GUINT64_FORMAT ", \"sha256\": \"%s\", "
                          "\"destination\": \"%s\", \"completed\": true}]}]}",
                          size, sha256, destination);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

static MmLibraryVerifyResult
verify (MmLibraryEntry *entry,
        GHashTable     *known,
        const char     *state_file,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  _mm_library_entry_verify_async (entry, known, state_file, NULL, mm_test_store_result_cb,
                                  &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return _mm_library_entry_verify_finish (entry, result, error);
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  MmLibraryEntry *entry = find_entry (fixture->library, "org1/repo1", "Q4_K_M");
  const char *path = mm_library_entry_get_file (entry, 0)->path;
  g_autofree char *sha256 = sha256_of (path);
  g_autofree char *upper = g_ascii_strup (sha256, -1);
  g_autofree char *state_file = g_build_filename (g_get_user_data_dir (), "model-manager",
                                                  "downloads.json", NULL);
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint64 size = mm_library_entry_get_file (entry, 0)->size;

  /* No record at all. */
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_UNKNOWN);
  g_assert_no_error (error);

  /* The manager's record, in the default state file. */
  write_state_file (state_file, path, upper, size);
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_MATCH);
  g_assert_no_error (error);

  write_state_file (state_file, path,
                    "0000000000000000000000000000000000000000000000000000000000000000", size);
  g_assert_cmpint (verify (entry, NULL, state_file, &error), ==, MM_LIBRARY_VERIFY_MISMATCH);
  g_assert_no_error (error);

  /* A size that differs is a mismatch without hashing. */
  write_state_file (state_file, path, sha256, size + 1);
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_MISMATCH);

  /* The caller's digest wins over the record. */
  g_hash_table_insert (known, (gpointer) path, sha256);
  g_assert_cmpint (verify (entry, known, NULL, &error), ==, MM_LIBRARY_VERIFY_MATCH);
  g_assert_no_error (error);

  /* A verified file is one a later download of the same bytes is made from
   * (no record says so: the Library's verification does). */
  g_assert_cmpint (g_remove (state_file), ==, 0);
  {
    g_autoptr(GPtrArray) candidates = mm_reuse_index_lookup (mm_reuse_index_get_default (),
                                                             sha256, size, NULL);
    gboolean found = FALSE;

    for (guint i = 0; i < candidates->len; i++)
      {
        MmReuseCandidate *candidate = g_ptr_array_index (candidates, i);
        g_autofree char *canonical = g_canonicalize_filename (path, NULL);

        found |= g_str_equal (candidate->path, canonical) &&
                 candidate->origin == MM_REUSE_ORIGIN_LIBRARY;
      }
    g_assert_true (found);
  }

  /* A file changed on disk after the download. */
  write_state_file (state_file, path, sha256, size);
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_MATCH);
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    contents[len - 1] ^= 0x55;
    g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  }
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_MISMATCH);
  g_assert_no_error (error);

  /* A state file that is not JSON records nothing. */
  g_assert_true (g_file_set_contents (state_file, "{ broken", -1, NULL));
  g_assert_cmpint (verify (entry, NULL, NULL, &error), ==, MM_LIBRARY_VERIFY_UNKNOWN);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/mm/library/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("scan", test_scan);
  ADD ("scan/incomplete-split", test_incomplete_split);
  ADD ("watch/appear", test_appear);
  ADD ("watch/vanish", test_vanish);
  ADD ("folders", test_folders);
  ADD ("facts", test_facts);
  ADD ("facts/broken", test_facts_broken);
  ADD ("trash/undo", test_trash_undo);
  ADD ("verify", test_verify);
  ADD ("trash/leftovers", test_trash_leftovers);
#undef ADD
  g_test_add_func ("/mm/library/trash/outside-root", test_trash_refuses_outside);

  return g_test_run ();
}
