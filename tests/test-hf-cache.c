/* test-hf-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Hugging Face cache: where it is, the layout a download leaves there
 * (file by file: blobs, relative symlinks, refs), resume, verification
 * and a full disk there, the Library's view of it (a broken cache
 * included) and deleting by its rules with undo.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mm-download-fixture.h"
#include "mm-download-manager-private.h"
#include "mm-download-private.h"
#include "mm-hf-cache-private.h"
#include "mm-library-entry-private.h"
#include "mm-library-private.h"
#include "mm-test-utils.h"

#define README "README.md"

/* Helpers */

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "huggingface", "hub", NULL);
}

static MmRepoFile *
model_file (MmModel    *model,
            const char *path)
{
  GPtrArray *files = mm_model_get_files (model);

  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (mm_repo_file_get_path (g_ptr_array_index (files, i)), path))
      return g_object_ref (g_ptr_array_index (files, i));
  g_assert_not_reached ();
}

static MmDownload *
cache_download (Fixture    *f,
                MmModel    *model,
                const char *path)
{
  g_autoptr(MmRepoFile) file = model_file (model, path);
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = cache_dir ();
  MmDownload *download;

  download = mm_download_new_in_hf_cache (f->client, mm_model_get_id (model),
                                          mm_model_get_sha (model), "main", file, cache,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (download);
  _mm_download_set_retry_policy (download, 6, 20, 1);
  return download;
}

static void
download_all (Fixture            *f,
              MmModel            *model,
              const char * const *paths)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(MmDownload) download = cache_download (f, model, paths[i]);

      mm_download_start (download);
      wait_finished (download);
      g_assert_no_error ((GError *) mm_download_get_error (download));
      g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_COMPLETED);
      finalize (g_steal_pointer (&download));
    }
}

/* Every file, folder and link below @dir as "d path", "f path size" and
 * "l path -> target", sorted. */
static void
list_tree (const char *dir,
           const char *prefix,
           GPtrArray  *lines)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *relative = *prefix ? g_strconcat (prefix, "/", name, NULL)
                                          : g_strdup (name);
      GStatBuf st;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISLNK (st.st_mode))
        {
          g_autofree char *target = g_file_read_link (path, NULL);

          g_ptr_array_add (lines, g_strdup_printf ("l %s -> %s", relative, target));
        }
      else if (S_ISDIR (st.st_mode))
        {
          g_ptr_array_add (lines, g_strdup_printf ("d %s", relative));
          list_tree (path, relative, lines);
        }
      else
        g_ptr_array_add (lines, g_strdup_printf ("f %s %" G_GINT64_FORMAT, relative,
                                                 (gint64) st.st_size));
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
tree (const char *dir)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  list_tree (dir, "", lines);
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static char *
git_blob_id_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  header = g_strdup_printf ("blob %" G_GSIZE_FORMAT, len);
  g_checksum_update (checksum, (const guchar *) header, strlen (header) + 1);
  g_checksum_update (checksum, (const guchar *) contents, len);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Names and places */

static void
test_names (void)
{
  g_autofree char *folder = mm_hf_cache_repo_folder ("/c", "org/Name-GGUF");
  g_autofree char *blob = mm_hf_cache_blob_path ("/c", "org/Name-GGUF", "ab");
  g_autofree char *snapshot = mm_hf_cache_snapshot_path ("/c", "org/Name-GGUF", "c0", "d/x");
  g_autofree char *top = _mm_hf_cache_link_target ("x.gguf", "b1");
  g_autofree char *deep = _mm_hf_cache_link_target ("a/b/x.gguf", "b1");
  g_autofree char *repo_id = mm_hf_cache_repo_id_from_folder ("models--org--Name-GGUF");
  g_autofree char *dataset = mm_hf_cache_repo_id_from_folder ("datasets--org--data");
  g_autofree char *no_name = mm_hf_cache_repo_id_from_folder ("models--solo");
  g_autofree char *escape = mm_hf_cache_repo_id_from_folder ("models--..--x");

  g_assert_cmpstr (folder, ==, "/c/models--org--Name-GGUF");
  g_assert_cmpstr (blob, ==, "/c/models--org--Name-GGUF/blobs/ab");
  g_assert_cmpstr (snapshot, ==, "/c/models--org--Name-GGUF/snapshots/c0/d/x");
  g_assert_cmpstr (top, ==, "../../blobs/b1");
  g_assert_cmpstr (deep, ==, "../../../../blobs/b1");
  g_assert_cmpstr (repo_id, ==, "org/Name-GGUF");
  g_assert_null (dataset);
  g_assert_null (no_name);
  g_assert_null (escape);

  g_assert_true (mm_hf_cache_is_commit ("5668b11d231950a81d3b4b1ef40e2c0e67ea45bc"));
  g_assert_false (mm_hf_cache_is_commit ("main"));
  g_assert_false (mm_hf_cache_is_commit ("5668B11D231950A81D3B4B1EF40E2C0E67EA45BC"));
  g_assert_true (mm_hf_cache_is_blob_id ("c8fdc2ab82240b4ae29aeed801e7c54c612805d7336e3164c16f369a8367fd6d"));
  g_assert_false (mm_hf_cache_is_blob_id ("../../etc/passwd"));
}

static void
test_where (void)
{
  g_autofree char *from_hub_cache = NULL;
  g_autofree char *from_home = NULL;
  g_autofree char *from_xdg = NULL;
  g_autofree char *expected_xdg = g_build_filename (g_get_user_cache_dir (), "huggingface",
                                                    "hub", NULL);
  MmHfCacheSource source;

  g_setenv ("HF_HOME", "/srv/hf", TRUE);
  g_setenv ("HF_HUB_CACHE", "/srv/hub-cache", TRUE);
  from_hub_cache = mm_hf_cache_dup_dir (&source);
  g_assert_cmpstr (from_hub_cache, ==, "/srv/hub-cache");
  g_assert_cmpint (source, ==, MM_HF_CACHE_SOURCE_HF_HUB_CACHE);

  g_unsetenv ("HF_HUB_CACHE");
  from_home = mm_hf_cache_dup_dir (&source);
  g_assert_cmpstr (from_home, ==, "/srv/hf/hub");
  g_assert_cmpint (source, ==, MM_HF_CACHE_SOURCE_HF_HOME);

  /* The isolated test directories set XDG_CACHE_HOME. */
  g_unsetenv ("HF_HOME");
  g_setenv ("XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  from_xdg = mm_hf_cache_dup_dir (&source);
  g_assert_cmpstr (from_xdg, ==, expected_xdg);
  g_assert_cmpint (source, ==, MM_HF_CACHE_SOURCE_XDG_CACHE_HOME);
}

/* The layout, file by file */

static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  const char * const paths[] = { Q4, Q2_PART1, Q2_PART2, README, NULL };
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autofree char *cache = cache_dir ();
  g_autofree char *folder = mm_hf_cache_repo_folder (cache, PICO);
  g_autofree char *listing = NULL;
  g_autofree char *ref = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *commit = mm_model_get_sha (model);
  g_autoptr(MmRepoFile) readme = model_file (model, README);

  download_all (f, model, paths);

  /* Exactly what huggingface_hub writes: a blob per file, named by its
   * SHA-256 (LFS) or git blob id, and a relative link per file. */
  g_ptr_array_add (lines, g_strdup ("d blobs"));
  g_ptr_array_add (lines, g_strdup ("d refs"));
  g_ptr_array_add (lines, g_strdup ("f refs/main 40"));
  g_ptr_array_add (lines, g_strdup ("d snapshots"));
  g_ptr_array_add (lines, g_strdup_printf ("d snapshots/%s", commit));
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(MmRepoFile) file = model_file (model, paths[i]);
      const char *id = mm_repo_file_get_sha256 (file) ? mm_repo_file_get_sha256 (file)
                                                      : mm_repo_file_get_oid (file);

      g_assert_true (mm_hf_cache_is_blob_id (id));
      g_ptr_array_add (lines, g_strdup_printf ("f blobs/%s %" G_GUINT64_FORMAT, id,
                                               mm_repo_file_get_size (file)));
      g_ptr_array_add (lines, g_strdup_printf ("l snapshots/%s/%s -> ../../blobs/%s", commit,
                                               paths[i], id));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (expected, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (lines, i));
  listing = tree (folder);
  g_assert_cmpstr (listing, ==, expected->str);
  /* Nothing else in the cache (no lock, no partial, no record of ours). */
  {
    g_autoptr(GDir) top = g_dir_open (cache, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (top), ==, "models--tiny-org--Pico-GGUF");
    g_assert_null (g_dir_read_name (top));
  }

  /* refs/main holds the commit, no newline. */
  {
    g_autofree char *ref_path = g_build_filename (folder, "refs", "main", NULL);

    g_assert_true (g_file_get_contents (ref_path, &ref, NULL, NULL));
    g_assert_cmpstr (ref, ==, commit);
  }

  /* The links lead to the right bytes: each LFS blob hashes to its name,
   * the git file's blob to its git blob id. */
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, commit, paths[i]);
      g_autoptr(MmRepoFile) file = model_file (model, paths[i]);

      if (mm_repo_file_get_sha256 (file) != NULL)
        {
          g_autofree char *sha = sha256_of_file (link);
          g_assert_cmpstr (sha, ==, mm_repo_file_get_sha256 (file));
        }
      else
        {
          g_autofree char *oid = git_blob_id_of_file (link);
          g_assert_cmpstr (oid, ==, mm_repo_file_get_oid (readme));
        }
    }
}

static void
test_nested_path (void)
{
  g_autofree char *cache = cache_dir ();
  const char *commit = "0123456789abcdef0123456789abcdef01234567";
  const char *id = "c8fdc2ab82240b4ae29aeed801e7c54c612805d7336e3164c16f369a8367fd6d";
  g_autofree char *blob = mm_hf_cache_blob_path (cache, "org/Deep-GGUF", id);
  g_autofree char *blob_dir = g_path_get_dirname (blob);
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, "org/Deep-GGUF", commit,
                                                     "BF16/part/x.gguf");
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (blob_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (blob, "GGUF bytes", -1, NULL));

  g_assert_true (mm_hf_cache_place (cache, "org/Deep-GGUF", commit, "main", "BF16/part/x.gguf",
                                    id, &error));
  g_assert_no_error (error);
  target = g_file_read_link (link, NULL);
  g_assert_cmpstr (target, ==, "../../../../blobs/" "c8fdc2ab82240b4ae29aeed801e7c54c612805d7336e3164c16f369a8367fd6d");
  g_assert_true (g_file_get_contents (link, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "GGUF bytes");

  /* Placing again changes nothing; a path that climbs out is refused. */
  g_assert_true (mm_hf_cache_place (cache, "org/Deep-GGUF", commit, "main", "BF16/part/x.gguf",
                                    id, &error));
  g_assert_false (mm_hf_cache_place (cache, "org/Deep-GGUF", commit, "main", "../../x.gguf",
                                     id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (mm_hf_cache_place (cache, "org/Deep-GGUF", "main", "main", "x.gguf", id,
                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Resume, verification, a file already there */

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmDownload) download = cache_download (f, model, Q8);
  g_autoptr(MmRepoFile) file = model_file (model, Q8);
  g_autofree char *cache = cache_dir ();
  g_autofree char *blob = mm_hf_cache_blob_path (cache, PICO, mm_repo_file_get_sha256 (file));
  g_autofree char *incomplete = g_strconcat (blob, ".incomplete", NULL);
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, mm_model_get_sha (model), Q8);
  g_autoptr(GArray) starts = NULL;
  guint64 kept;

  g_assert_cmpstr (mm_download_get_destination (download), ==, blob);
  g_assert_cmpstr (mm_download_get_partial_path (download), ==, incomplete);
  g_assert_cmpstr (_mm_download_get_hf_cache_dir (download), ==, cache);

  mm_mock_hub_set_cdn_rate (f->hub, 300 * KIB);
  mm_download_start (download);
  wait_bytes (download, 100000);
  mm_download_pause (download);
  wait_state (download, MM_DOWNLOAD_STATE_PAUSED);

  /* While unfinished: blobs/ID.incomplete only, no blob, no link. */
  g_assert_true (exists (incomplete));
  g_assert_false (exists (blob));
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  /* (Our resume record is hidden beside it: .ID.mm-resume.json.) */
  kept = mm_download_get_bytes_received (download);
  g_assert_cmpuint (kept, >=, 100000);
  {
    g_autofree char *blobs = g_path_get_dirname (blob);
    g_autofree char *record_name = g_strconcat (".", mm_repo_file_get_sha256 (file),
                                                ".mm-resume.json", NULL);
    g_autofree char *record = g_build_filename (blobs, record_name, NULL);

    g_assert_true (exists (record));
  }

  /* A new download object (the next run) resumes from the partial. */
  finalize (g_steal_pointer (&download));
  mm_mock_hub_set_cdn_rate (f->hub, 0);
  mm_mock_hub_reset_counters (f->hub);
  download = cache_download (f, model, Q8);
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==, kept);
  mm_download_start (download);
  wait_finished (download);
  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_COMPLETED);
  starts = cdn_range_starts (f);
  g_assert_cmpuint (starts->len, >=, 1);
  g_assert_cmpuint (g_array_index (starts, guint64, 0), >=, kept);

  g_assert_false (exists (incomplete));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  {
    g_autofree char *sha = sha256_of_file (link);
    g_assert_cmpstr (sha, ==, mm_repo_file_get_sha256 (file));
  }
  /* Our resume record went with the partial. */
  {
    g_autofree char *blobs = g_path_get_dirname (blob);
    g_autoptr(GDir) dir = g_dir_open (blobs, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_cmpstr (name, ==, mm_repo_file_get_sha256 (file));
  }
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmDownload) download = cache_download (f, model, Q4);
  g_autofree char *cache = cache_dir ();
  g_autofree char *folder = mm_hf_cache_repo_folder (cache, PICO);
  g_autofree char *snapshots = g_build_filename (folder, "snapshots", NULL);
  g_autofree char *refs = g_build_filename (folder, "refs", NULL);

  mm_mock_hub_set_cdn_corrupt_at (f->hub, 1000, MM_MOCK_HUB_ALWAYS);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM);
  g_assert_false (exists (mm_download_get_destination (download)));
  g_assert_false (exists (mm_download_get_partial_path (download)));
  g_assert_false (exists (snapshots));
  g_assert_false (exists (refs));
}

/* The file changes on the Hub between two attempts: in the cache the new
 * version is another blob, named by its own SHA-256. */
static void
change_version_on_retry_cb (MmDownload *download,
                            GParamSpec *pspec,
                            Fixture    *f)
{
  if (mm_download_get_state (download) == MM_DOWNLOAD_STATE_RETRYING)
    g_assert_true (mm_mock_hub_set_file_version (f->hub, PICO, Q8, 2));
}

static void
test_version_changed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmDownload) download = cache_download (f, model, Q8);
  g_autofree char *cache = cache_dir ();
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, mm_model_get_sha (model), Q8);
  g_autofree char *v1_sha = NULL;
  g_autofree char *v2_sha = NULL;
  g_autofree char *v1_blob = NULL;
  g_autofree char *v2_blob = NULL;
  g_autofree char *target = NULL;
  g_autofree char *expected_target = NULL;
  g_autofree char *actual = NULL;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q8, NULL, &v1_sha));
  v1_blob = mm_hf_cache_blob_path (cache, PICO, v1_sha);
  mm_mock_hub_set_cdn_drop_after (f->hub, 200000, 1);
  g_signal_connect (download, "notify::state", G_CALLBACK (change_version_on_retry_cb), f);

  mm_download_start (download);
  wait_finished (download);
  g_signal_handlers_disconnect_by_func (download, change_version_on_retry_cb, f);

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q8, NULL, &v2_sha));
  g_assert_cmpstr (v1_sha, !=, v2_sha);
  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_COMPLETED);
  v2_blob = mm_hf_cache_blob_path (cache, PICO, v2_sha);
  g_assert_cmpstr (mm_download_get_destination (download), ==, v2_blob);
  g_assert_true (exists (v2_blob));
  g_assert_false (exists (v1_blob));
  g_assert_false (exists (mm_download_get_partial_path (download)));
  target = g_file_read_link (link, NULL);
  expected_target = g_strconcat ("../../blobs/", v2_sha, NULL);
  g_assert_cmpstr (target, ==, expected_target);
  actual = sha256_of_file (link);
  g_assert_cmpstr (actual, ==, v2_sha);
  /* Nothing of the first version is left in blobs/. */
  {
    g_autofree char *blobs = g_path_get_dirname (v2_blob);
    g_autoptr(GDir) dir = g_dir_open (blobs, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_cmpstr (name, ==, v2_sha);
  }
  finalize (g_steal_pointer (&download));
}

static void
test_already_there (Fixture       *f,
                    gconstpointer  data)
{
  const char * const paths[] = { Q4, NULL };
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmDownload) again = NULL;
  g_autofree char *cache = cache_dir ();
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, mm_model_get_sha (model), Q4);

  download_all (f, model, paths);

  /* The link went (say, `hf cache` deleted the revision) but the blob is
   * there: a download makes the link again without a transfer. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  mm_mock_hub_reset_counters (f->hub);
  again = cache_download (f, model, Q4);
  mm_download_start (again);
  wait_finished (again);
  g_assert_cmpint (mm_download_get_state (again), ==, MM_DOWNLOAD_STATE_COMPLETED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, CDN_PREFIX), ==, 0);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_REGULAR));
}

static void
run_disk_full (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(MmDownload) download = NULL;

  g_setenv ("MM_TEST_WRITE_FAIL_AFTER", "150000", TRUE);
  fixture_setup (f, NULL);
  model = mm_test_fetch_model (f->client, PICO);
  download = cache_download (f, model, Q4);
  mm_download_start (download);
  wait_finished (download);

  assert_failed (download, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL);
  g_assert_cmpuint (mm_download_get_bytes_received (download), >, 0);
  g_assert_true (exists (mm_download_get_partial_path (download)));
  g_assert_true (g_str_has_suffix (mm_download_get_partial_path (download), ".incomplete"));

  /* Room again: the same download resumes and ends in place. */
  g_unsetenv ("MM_TEST_WRITE_FAIL_AFTER");
  mm_download_start (download);
  wait_finished (download);
  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_COMPLETED);
  g_assert_true (exists (mm_download_get_destination (download)));

  finalize (g_steal_pointer (&download));
  fixture_teardown (f, NULL);
}

static void
test_disk_full (void)
{
  mm_test_run_in_subprocess (run_disk_full, 30, G_TEST_SUBPROCESS_INHERIT_STDERR);
}

/* The download manager, as the app uses it with "Save downloads in:
 * Hugging Face cache" */

static gboolean
item_finished (gpointer data)
{
  return mm_download_item_is_finished (data);
}

static void
test_manager (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(GPtrArray) quants = mm_quant_group_files (mm_model_get_files (model), 0, NULL, NULL);
  g_autofree char *cache = cache_dir ();
  g_autofree char *state = g_build_filename (g_get_user_data_dir (), "hf-downloads.json", NULL);
  g_autofree char *snapshot = NULL;
  g_autoptr(MmDownloadManager) manager = NULL;
  g_autoptr(MmDownloadManager) restored = NULL;
  g_autoptr(MmDownloadItem) again = NULL;
  g_autoptr(GError) error = NULL;
  MmDownloadItem *item;
  MmQuant *q2 = NULL;

  for (guint i = 0; i < quants->len; i++)
    if (g_str_equal (mm_quant_get_name (g_ptr_array_index (quants, i)), "Q2_K"))
      q2 = g_ptr_array_index (quants, i);
  g_assert_nonnull (q2);
  snapshot = g_build_filename (cache, "models--tiny-org--Pico-GGUF", "snapshots",
                               mm_model_get_sha (model), NULL);

  manager = mm_download_manager_new (f->client, f->dir, state);
  mm_download_manager_set_hf_cache_dir (manager, cache);
  item = _mm_download_manager_add_quant (manager, model, q2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_object_ref (item);
  mm_test_wait_until (item_finished, item, TIMEOUT_MS);
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  /* Its folder is the snapshot's; both parts are there, through links. */
  g_assert_cmpstr (mm_download_item_get_folder (item), ==, snapshot);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("Pico-Q2_K-0000%u-of-00002.gguf", i);
      g_autofree char *link = g_build_filename (snapshot, name, NULL);

      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_true (g_file_test (link, G_FILE_TEST_IS_REGULAR));
    }
  /* Nothing in the download folder. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    g_assert_null (g_dir_read_name (dir));
  }
  /* Asking again: already downloaded, in the cache. */
  g_assert_null (_mm_download_manager_add_quant (manager, model, q2, &error));
  g_assert_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED);
  g_clear_error (&error);

  /* The saved list remembers the item is in the cache. */
  g_assert_true (_mm_download_manager_save (manager, &error));
  g_assert_no_error (error);
  restored = mm_download_manager_new (f->client, f->dir, state);
  g_assert_true (mm_download_manager_load (restored, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (restored)), ==, 1);
  again = g_list_model_get_item (G_LIST_MODEL (restored), 0);
  g_assert_cmpstr (mm_download_item_get_folder (again), ==, snapshot);
  g_assert_cmpint (mm_download_item_get_state (again), ==, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  g_assert_nonnull (_mm_download_get_hf_cache_dir (
     g_ptr_array_index (mm_download_item_get_downloads (again), 0)));
  g_object_unref (item);
}

/* The Library */

static gboolean
not_loading (gpointer data)
{
  return !mm_library_get_loading (data);
}

static MmLibrary *
cache_library (void)
{
  g_autofree char *cache = cache_dir ();
  MmLibrary *library = mm_library_new ();

  mm_library_set_hf_cache_folder (library, cache);
  mm_test_wait_until (not_loading, library, TIMEOUT_MS);
  return library;
}

static MmLibraryEntry *
find_entry (MmLibrary  *library,
            const char *label)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (library)); i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (library), i);

      if (g_str_equal (mm_library_entry_get_label (entry), label))
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static void
test_library (Fixture       *f,
              gconstpointer  data)
{
  const char * const paths[] = { Q4, Q2_PART1, Q2_PART2, README, NULL };
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmLibrary) library = NULL;
  g_autoptr(MmLibraryEntry) q4 = NULL;
  g_autoptr(MmLibraryEntry) q2 = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmRepoFile) file = model_file (model, Q4);
  g_autofree char *cache = cache_dir ();
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, mm_model_get_sha (model), Q4);
  g_autofree char *snapshot = g_path_get_dirname (link);

  download_all (f, model, paths);
  library = cache_library ();

  /* Two models (README is not one); the split set is one entry. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 2);
  q4 = find_entry (library, "Q4_K_M");
  q2 = find_entry (library, "Q2_K");
  g_assert_nonnull (q4);
  g_assert_nonnull (q2);
  g_assert_true (mm_library_entry_get_in_hf_cache (q4));
  g_assert_null (mm_library_entry_get_problem (q4));
  g_assert_cmpstr (mm_library_entry_get_repo_id (q4), ==, PICO);
  g_assert_cmpstr (mm_library_entry_get_folder (q4), ==, snapshot);
  g_assert_cmpstr (mm_library_entry_get_file (q4, 0)->path, ==, link);
  g_assert_cmpuint (mm_library_entry_get_size (q4), ==, mm_repo_file_get_size (file));
  g_assert_cmpuint (mm_library_entry_get_n_files (q2), ==, 2);
  g_assert_true (mm_library_entry_get_is_complete (q2));

  /* Its facts are read through the link; the blob is the right size. */
  mm_library_entry_load_info_async (q4, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_clear_object (&result);
  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_LOADED);
  g_assert_null (mm_library_entry_get_problem (q4));

  /* Verify knows the SHA-256 from the blob's name, without any record. */
  _mm_library_entry_verify_async (q4, NULL, "/nonexistent/downloads.json", NULL,
                                  mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_cmpint (_mm_library_entry_verify_finish (q4, result, &error), ==,
                   MM_LIBRARY_VERIFY_MATCH);
  g_assert_no_error (error);
}

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  const char * const paths[] = { Q4, Q8, Q2_PART1, Q2_PART2, NULL };
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmLibrary) library = NULL;
  g_autoptr(MmLibraryEntry) q4 = NULL;
  g_autoptr(MmLibraryEntry) q8 = NULL;
  g_autoptr(MmLibraryEntry) q2 = NULL;
  g_autoptr(MmLibraryEntry) unreadable = NULL;
  g_autoptr(MmRepoFile) q4_file = model_file (model, Q4);
  g_autoptr(MmRepoFile) q8_file = model_file (model, Q8);
  g_autoptr(MmRepoFile) q2_file = model_file (model, Q2_PART2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *cache = cache_dir ();
  g_autofree char *q4_blob = mm_hf_cache_blob_path (cache, PICO, mm_repo_file_get_sha256 (q4_file));
  g_autofree char *q8_blob = mm_hf_cache_blob_path (cache, PICO, mm_repo_file_get_sha256 (q8_file));
  g_autofree char *q2_blob = mm_hf_cache_blob_path (cache, PICO, mm_repo_file_get_sha256 (q2_file));
  g_autofree char *other = g_build_filename (cache, "models--other-org--Other-GGUF", NULL);
  g_autofree char *other_snapshots = g_build_filename (other, "snapshots", NULL);
  g_autofree char *junk = g_build_filename (cache, "models--no-name", NULL);

  download_all (f, model, paths);

  /* A dangling link, a blob cut short, an empty blob, a repo whose
   * snapshots folder is a file (cannot be listed), a folder that is no
   * repo: all listed or passed over, none fatal. */
  g_assert_cmpint (g_unlink (q4_blob), ==, 0);
  g_assert_cmpint (truncate (q8_blob, 100 * KIB), ==, 0);
  g_assert_cmpint (truncate (q2_blob, 0), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (other, 0755), ==, 0);
  g_assert_true (g_file_set_contents (other_snapshots, "not a folder", -1, NULL));
  g_assert_cmpint (g_mkdir_with_parents (junk, 0755), ==, 0);

  library = cache_library ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 4);

  q4 = find_entry (library, "Q4_K_M");
  g_assert_nonnull (q4);
  g_assert_nonnull (strstr (mm_library_entry_get_problem (q4), "missing"));

  q2 = find_entry (library, "Q2_K");
  g_assert_nonnull (q2);
  g_assert_nonnull (strstr (mm_library_entry_get_problem (q2), "empty"));

  unreadable = find_entry (library, "snapshots");
  g_assert_nonnull (unreadable);
  g_assert_cmpstr (mm_library_entry_get_repo_id (unreadable), ==, "other-org/Other-GGUF");
  g_assert_nonnull (strstr (mm_library_entry_get_problem (unreadable), "cannot be read"));

  /* The cut-short blob shows once its header is read. */
  q8 = find_entry (library, "Q8_0");
  g_assert_nonnull (q8);
  g_assert_null (mm_library_entry_get_problem (q8));
  mm_library_entry_load_info_async (q8, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_nonnull (mm_library_entry_get_problem (q8));
  g_assert_nonnull (strstr (mm_library_entry_get_problem (q8), "shorter"));

  /* Reading the others' facts fails cleanly. */
  g_clear_object (&result);
  mm_library_entry_load_info_async (q4, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_cmpint (mm_library_entry_get_info_state (q4), ==, MM_LIBRARY_INFO_STATE_FAILED);

  if (getuid () != 0)
    {
      /* A folder without read permission (root reads it anyway). */
      g_autofree char *snapshots = g_build_filename (cache, "models--tiny-org--Pico-GGUF",
                                                     "snapshots", NULL);
      g_autoptr(MmLibraryEntry) locked = NULL;

      g_assert_cmpint (g_chmod (snapshots, 0), ==, 0);
      _mm_library_reload (library);
      mm_test_wait_until (not_loading, library, TIMEOUT_MS);
      locked = find_entry (library, "snapshots");
      g_assert_nonnull (locked);
      g_chmod (snapshots, 0755);
    }
}

static void
test_no_cache (void)
{
  g_autoptr(MmLibrary) library = mm_library_new ();
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "no", "hub", NULL);
  g_autofree char *file = g_build_filename (g_get_user_cache_dir (), "a-file", NULL);
  g_autofree char *below_file = g_build_filename (file, "hub", NULL);

  /* No cache, or a path through a file: nothing to list, nothing wrong. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, "x", -1, NULL));
  mm_library_set_hf_cache_folder (library, missing);
  mm_test_wait_until (not_loading, library, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
  mm_library_set_hf_cache_folder (library, below_file);
  mm_test_wait_until (not_loading, library, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 0);
  g_assert_cmpstr (mm_library_get_hf_cache_folder (library), ==, below_file);
}

/* Deleting by the cache's rules */

static MmLibraryTrash *
trash_entry (MmLibraryEntry *entry)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MmLibraryTrash *trash;

  mm_library_entry_trash_async (entry, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  trash = mm_library_entry_trash_finish (entry, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trash);
  return trash;
}

static void
commit_trash (MmLibraryTrash *trash)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gboolean ok;

  mm_library_trash_commit_async (trash, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  ok = mm_library_trash_commit_finish (trash, result, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  const char * const paths[] = { Q4, NULL };
  g_autoptr(MmModel) model = mm_test_fetch_model (f->client, PICO);
  g_autoptr(MmRepoFile) file = model_file (model, Q4);
  g_autoptr(MmLibrary) library = NULL;
  g_autoptr(MmLibraryEntry) first = NULL;
  g_autoptr(MmLibraryEntry) second = NULL;
  g_autoptr(MmLibraryTrash) trash = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = cache_dir ();
  g_autofree char *folder = mm_hf_cache_repo_folder (cache, PICO);
  g_autofree char *blob = mm_hf_cache_blob_path (cache, PICO, mm_repo_file_get_sha256 (file));
  g_autofree char *ref = g_build_filename (folder, "refs", "main", NULL);
  g_autofree char *pr_ref = g_build_filename (folder, "refs", "pr", "1", NULL);
  g_autofree char *link = mm_hf_cache_snapshot_path (cache, PICO, mm_model_get_sha (model), Q4);
  const char *old_commit = "1111111111111111111111111111111111111111";
  g_autofree char *old_link = mm_hf_cache_snapshot_path (cache, PICO, old_commit, Q4);
  g_autofree char *before = NULL;
  g_autofree char *after_undo = NULL;

  /* g_file_trash () needs the home folder, which the isolated dirs lack. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  download_all (f, model, paths);
  /* An older snapshot (a PR's) points at the same blob. */
  g_assert_true (mm_hf_cache_place (cache, PICO, old_commit, "pr/1", Q4,
                                    mm_repo_file_get_sha256 (file), &error));
  g_assert_no_error (error);
  before = tree (folder);

  library = cache_library ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (library), 0);
  second = g_list_model_get_item (G_LIST_MODEL (library), 1);
  if (strstr (mm_library_entry_get_folder (first), old_commit) == NULL)
    {
      MmLibraryEntry *swap = first;
      first = second;
      second = swap;
    }
  g_assert_nonnull (strstr (mm_library_entry_get_folder (first), old_commit));

  /* Deleting the old snapshot's file keeps the blob the other one uses;
   * its ref goes with the emptied snapshot. Undo puts all back. */
  trash = trash_entry (first);
  g_assert_true (mm_library_trash_get_can_undo (trash));
  g_assert_false (g_file_test (old_link, G_FILE_TEST_IS_SYMLINK));
  g_assert_false (exists (pr_ref));
  g_assert_true (exists (blob));
  g_assert_true (exists (ref));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_REGULAR));
  mm_library_trash_undo_async (trash, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_true (mm_library_trash_undo_finish (trash, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  after_undo = tree (folder);
  g_assert_cmpstr (after_undo, ==, before);
  g_clear_pointer (&trash, mm_library_trash_unref);

  /* For good, then the last one: its blob and ref go too, and nothing of
   * the repo is left for the cache's scanners to call corrupted. */
  trash = trash_entry (first);
  commit_trash (trash);
  g_clear_pointer (&trash, mm_library_trash_unref);
  g_assert_true (exists (blob));
  trash = trash_entry (second);
  g_assert_false (exists (blob));
  g_assert_false (exists (ref));
  commit_trash (trash);
  g_assert_false (exists (folder));
  {
    g_autofree char *top = tree (cache);
    g_assert_cmpstr (top, ==, "");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_unsetenv ("HF_HUB_CACHE");
  g_unsetenv ("HUGGINGFACE_HUB_CACHE");
  g_unsetenv ("HF_HOME");

#define ADD(path, func) \
  g_test_add ("/mm/hf-cache/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/mm/hf-cache/names", test_names);
  g_test_add_func ("/mm/hf-cache/where", test_where);
  g_test_add_func ("/mm/hf-cache/nested-path", test_nested_path);
  ADD ("layout", test_layout);
  ADD ("resume", test_resume);
  ADD ("damaged", test_damaged);
  ADD ("already-there", test_already_there);
  ADD ("version-changed", test_version_changed);
  g_test_add_func ("/mm/hf-cache/disk-full", test_disk_full);
  ADD ("manager", test_manager);
  ADD ("library", test_library);
  ADD ("broken", test_broken);
  g_test_add_func ("/mm/hf-cache/no-cache", test_no_cache);
  ADD ("delete", test_delete);

#undef ADD

  return g_test_run ();
}
