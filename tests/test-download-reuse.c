/* test-download-reuse.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never download what is already on disk: a download whose SHA-256 is
 * known elsewhere (download records, verified files, the Hugging Face
 * cache) is made from that file by reflink, hard link or copy, verified,
 * and asks nothing of the CDN. A file with the wrong bytes is not reused.
 */
#include "config.h"

#include "mm-core.h"
#include "mm-download-fixture.h"
#include "mm-file-clone-private.h"
#include "mm-mock-hub.h"
#include "mm-reuse-index-private.h"
#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes a downloads.json that records @destination as a completed,
 * verified download of @repo_id:@path. */
static char *
write_records (Fixture    *f,
               const char *repo_id,
               const char *path,
               const char *destination)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  char *state_file;
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, repo_id, path, &size, &sha256));
  json = g_strdup_printf ("{\"version\":1,\"items\":[{\"repo\":\"%s\",\"state\":\"completed\","
                          "\"download-dir\":\"/tmp\",\"files\":[{\"path\":\"%s\",\"size\":%"
                          G_GUINT64_FORMAT ",\"sha256\":\"%s\",\"destination\":\"%s\","
                          "\"completed\":true}]}]}",
                          repo_id, path, size, sha256, destination);
  state_file = g_build_filename (g_get_user_data_dir (), "records.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0755), ==, 0);
  g_file_set_contents (state_file, json, -1, &error);
  g_assert_no_error (error);
  _mm_reuse_index_set_state_file (mm_reuse_index_get_default (), state_file);
  return state_file;
}

/* Puts the mock's bytes of @path at @filename. */
static void
put_file (Fixture    *f,
          const char *path,
          const char *filename)
{
  g_autoptr(GBytes) bytes = mm_mock_hub_read_file (f->hub, PICO, path, 0, G_MAXSIZE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (filename);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (filename, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

static void
reuse_setup (Fixture       *f,
             gconstpointer  data)
{
  const char *none[] = { NULL };

  fixture_setup (f, data);
  _mm_reuse_index_set_enabled (mm_reuse_index_get_default (), TRUE);
  _mm_reuse_index_set_hf_cache_dirs (mm_reuse_index_get_default (), none);
  _mm_file_clone_set_test_failures (FALSE, FALSE);
}

static void
reuse_teardown (Fixture       *f,
                gconstpointer  data)
{
  _mm_reuse_index_set_state_file (mm_reuse_index_get_default (), NULL);
  _mm_reuse_index_set_hf_cache_dirs (mm_reuse_index_get_default (), NULL);
  _mm_file_clone_set_test_failures (FALSE, FALSE);
  fixture_teardown (f, data);
}

static guint
cdn_requests (Fixture *f)
{
  return mm_mock_hub_get_request_count (f->hub, CDN_PREFIX);
}

/* Downloads Q4 into the download folder and checks that no byte came from
 * the CDN and that it says where it came from. */
static MmDownload *
download_without_network (Fixture    *f,
                          const char *expected_source)
{
  MmDownload *download = new_download (f, Q4);
  g_autofree char *source = NULL;
  g_autofree char *temp = NULL;

  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  g_assert_cmpuint (cdn_requests (f), ==, 0);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), ==, 0);
  g_assert_cmpuint (mm_mock_hub_get_request_count (f->hub, NULL), ==, 0);

  source = mm_download_get_reused_from (download);
  g_assert_cmpstr (source, ==, expected_source);
  temp = g_strconcat (mm_download_get_destination (download), ".reuse", NULL);
  g_assert_false (exists (temp));
  return download;
}

static void
assert_same_inode (const char *a,
                   const char *b,
                   gboolean    same)
{
  struct stat sa, sb;

  g_assert_cmpint (g_stat (a, &sa), ==, 0);
  g_assert_cmpint (g_stat (b, &sb), ==, 0);
  if (same)
    g_assert_true (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
  else
    g_assert_false (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* A file the app downloaded before, elsewhere: the second download is a
 * reflink or (ext4, tmpfs…) a hard link of it. */
static void
test_record_link (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->outside, "old", Q4, NULL);
  g_autofree char *records = NULL;
  g_autoptr(MmDownload) download = NULL;
  struct stat st;

  put_file (f, Q4, first);
  records = write_records (f, PICO, Q4, first);
  download = download_without_network (f, first);

  /* No byte was copied: either the blocks are shared (a reflink, another
   * inode) or it is the same inode. */
  g_assert_cmpint (g_stat (mm_download_get_destination (download), &st), ==, 0);
  if (st.st_nlink == 2)
    assert_same_inode (first, mm_download_get_destination (download), TRUE);
  else
    assert_same_inode (first, mm_download_get_destination (download), FALSE);
  finalize (g_steal_pointer (&download));
}

/* No reflink, no hard link (another file system): the bytes are copied,
 * with progress, and verified. */
static void
test_record_copy (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->outside, "old", Q4, NULL);
  g_autofree char *records = NULL;
  g_autoptr(MmDownload) download = NULL;
  struct stat st;

  _mm_file_clone_set_test_failures (TRUE, TRUE);
  put_file (f, Q4, first);
  records = write_records (f, PICO, Q4, first);
  download = download_without_network (f, first);

  assert_same_inode (first, mm_download_get_destination (download), FALSE);
  g_assert_cmpint (g_stat (first, &st), ==, 0);
  g_assert_cmpuint (st.st_nlink, ==, 1);
  finalize (g_steal_pointer (&download));
}

/* A file in the Hugging Face cache, a blob named by its SHA-256. */
static void
test_hf_cache (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *cache = g_build_filename (f->outside, "hf", "hub", NULL);
  g_autofree char *sha256 = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(MmDownload) download = NULL;
  const char *dirs[] = { cache, NULL };

  g_assert_true (mm_mock_hub_lookup_file (f->hub, PICO, Q4, NULL, &sha256));
  blob = g_build_filename (cache, "models--tiny-org--Pico-GGUF", "blobs", sha256, NULL);
  put_file (f, Q4, blob);
  _mm_reuse_index_set_hf_cache_dirs (mm_reuse_index_get_default (), dirs);
  /* Also a cache folder that is not a model's, and one without blobs. */
  empty = g_build_filename (cache, "models--empty--repo", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);

  download = download_without_network (f, blob);
  finalize (g_steal_pointer (&download));
}

/* A record that points at a file with other bytes of the same size: not
 * reused, the file is downloaded and verified, the other file untouched. */
static void
test_wrong_bytes (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->outside, "old", Q4, NULL);
  g_autofree char *records = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *source = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(MmDownload) download = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  put_file (f, Q4, first);
  /* Flip one byte in the middle. */
  g_file_get_contents (first, &before, &len, &error);
  g_assert_no_error (error);
  before[len / 2] ^= 0x5a;
  g_file_set_contents (first, before, len, &error);
  g_assert_no_error (error);
  records = write_records (f, PICO, Q4, first);

  for (guint i = 0; i < 2; i++)
    {
      /* Once linked, once copied: neither is kept. */
      _mm_file_clone_set_test_failures (i == 1, i == 1);
      download = new_download (f, Q4);
      mm_mock_hub_reset_counters (f->hub);
      mm_download_start (download);
      wait_finished (download);
      assert_completed (f, download, PICO);
      g_assert_cmpuint (cdn_requests (f), >, 0);
      g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (f->hub), >=,
                        mm_download_get_total_bytes (download));
      source = mm_download_get_reused_from (download);
      g_assert_null (source);
      temp = g_strconcat (mm_download_get_destination (download), ".reuse", NULL);
      g_assert_false (exists (temp));
      g_clear_pointer (&temp, g_free);
      assert_same_inode (first, mm_download_get_destination (download), FALSE);

      g_file_get_contents (first, &after, &len, &error);
      g_assert_no_error (error);
      g_assert_true (memcmp (before, after, len) == 0);
      g_clear_pointer (&after, g_free);

      g_assert_cmpint (g_unlink (mm_download_get_destination (download)), ==, 0);
      finalize (g_steal_pointer (&download));
    }
}

/* A disabled index and a record of a missing file: plain downloads. */
static void
test_nothing_to_reuse (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->outside, "old", Q4, NULL);
  g_autofree char *records = NULL;
  g_autoptr(MmDownload) download = NULL;

  records = write_records (f, PICO, Q4, first);   /* the file is not there */
  download = new_download (f, Q4);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  g_assert_cmpuint (cdn_requests (f), >, 0);
  g_assert_cmpint (g_unlink (mm_download_get_destination (download)), ==, 0);
  finalize (g_steal_pointer (&download));

  put_file (f, Q4, first);
  _mm_reuse_index_set_enabled (mm_reuse_index_get_default (), FALSE);
  download = new_download (f, Q4);
  mm_mock_hub_reset_counters (f->hub);
  mm_download_start (download);
  wait_finished (download);
  assert_completed (f, download, PICO);
  g_assert_cmpuint (cdn_requests (f), >, 0);
  finalize (g_steal_pointer (&download));
}

/* The lookup: right size only, each path once, the destination never,
 * nonsense hashes find nothing. */
static void
test_index_lookup (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MmReuseIndex) index = _mm_reuse_index_new ();
  g_autofree char *a = g_build_filename (f->outside, "a.gguf", NULL);
  g_autofree char *b = g_build_filename (f->outside, "b.gguf", NULL);
  g_autofree char *cache = g_build_filename (f->outside, "hub", NULL);
  g_autofree char *blob = NULL;
  g_autofree char *blobs = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const char *dirs[] = { cache, NULL };
  const char *none[] = { NULL };

  g_assert_true (g_file_set_contents (a, "12345", 5, NULL));
  g_assert_true (g_file_set_contents (b, "1234", 4, NULL));
  blob = g_build_filename (cache, "models--o--n", "blobs", sha, NULL);
  blobs = g_build_filename (cache, "models--o--n", "blobs", NULL);
  g_assert_cmpint (g_mkdir_with_parents (blobs, 0755), ==, 0);
  g_assert_true (g_file_set_contents (blob, "12345", 5, NULL));

  _mm_reuse_index_set_state_file (index, "/nonexistent/downloads.json");
  _mm_reuse_index_set_hf_cache_dirs (index, dirs);
  mm_reuse_index_add_verified (index, a, "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", 5);
  mm_reuse_index_add_verified (index, b, sha, 5);   /* recorded 5, is 4 */

  found = mm_reuse_index_lookup (index, sha, 5, NULL);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((MmReuseCandidate *) found->pdata[0])->path, ==, a);
  g_assert_cmpint (((MmReuseCandidate *) found->pdata[0])->origin, ==, MM_REUSE_ORIGIN_LIBRARY);
  g_assert_cmpstr (((MmReuseCandidate *) found->pdata[1])->path, ==, blob);
  g_assert_cmpint (((MmReuseCandidate *) found->pdata[1])->origin, ==, MM_REUSE_ORIGIN_HF_CACHE);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = mm_reuse_index_lookup (index, sha, 5, a);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = mm_reuse_index_lookup (index, "../../etc/passwd", 5, NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  {
    g_autofree char *in_cache = mm_reuse_index_describe_source (blob);
    g_autofree char *in_home = NULL;
    g_autofree char *elsewhere = mm_reuse_index_describe_source ("/srv/m/x.gguf");
    g_autofree char *home_file = g_build_filename (g_get_home_dir (), "Models", "x.gguf", NULL);

    in_home = mm_reuse_index_describe_source (home_file);
    g_assert_cmpstr (in_cache, ==, "the Hugging Face cache (o/n)");
    g_assert_cmpstr (in_home, ==, "~/Models/x.gguf");
    g_assert_cmpstr (elsewhere, ==, "/srv/m/x.gguf");
  }

  _mm_reuse_index_forget (index, a);
  _mm_reuse_index_set_hf_cache_dirs (index, none);
  found = mm_reuse_index_lookup (index, sha, 5, NULL);
  g_assert_cmpuint (found->len, ==, 0);
}

typedef struct {
  guint64 copied;
  guint64 hashed;
} Progress;

static void
progress_cb (guint64  bytes,
             gboolean hashing,
             gpointer user_data)
{
  Progress *p = user_data;

  if (hashing)
    p->hashed = bytes;
  else
    p->copied = bytes;
}

/* mm_file_clone() itself: each way, its hash, its failures. */
static void
test_clone (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *src = g_build_filename (f->outside, "src.bin", NULL);
  g_autofree char *dst = g_build_filename (f->outside, "dst.bin", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *contents = g_malloc (9 * 1024 * 1024 + 7);
  gsize len = 9 * 1024 * 1024 + 7;
  static const struct {
    gboolean fail_reflink, fail_hardlink;
    MmCloneFlags flags;
  } cases[] = {
    { FALSE, FALSE, MM_CLONE_FLAGS_NONE },
    { TRUE, FALSE, MM_CLONE_FLAGS_NONE },
    { TRUE, TRUE, MM_CLONE_FLAGS_NONE },
    { TRUE, FALSE, MM_CLONE_FLAGS_NO_HARDLINK },
  };

  for (gsize i = 0; i < len; i++)
    contents[i] = (char) (i * 7 + i / 4096);
  g_assert_true (g_file_set_contents (src, contents, len, NULL));
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) contents, len);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *copy = NULL;
      MmCloneMethod method = MM_CLONE_METHOD_NONE;
      Progress progress = { 0 };
      gsize copy_len = 0;
      struct stat st;

      _mm_file_clone_set_test_failures (cases[i].fail_reflink, cases[i].fail_hardlink);
      g_assert_true (mm_file_clone (src, dst, cases[i].flags, &method, &sha256, progress_cb,
                                    &progress, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (sha256, ==, expected);
      g_assert_true (g_file_get_contents (dst, &copy, &copy_len, NULL));
      g_assert_cmpuint (copy_len, ==, len);
      g_assert_true (memcmp (copy, contents, len) == 0);
      g_assert_cmpint (g_stat (src, &st), ==, 0);

      if (cases[i].fail_reflink && cases[i].fail_hardlink)
        g_assert_cmpint (method, ==, MM_CLONE_METHOD_COPY);
      else if (cases[i].fail_reflink && (cases[i].flags & MM_CLONE_FLAGS_NO_HARDLINK))
        g_assert_cmpint (method, ==, MM_CLONE_METHOD_COPY);
      else if (cases[i].fail_reflink)
        g_assert_cmpint (method, ==, MM_CLONE_METHOD_HARDLINK);
      else
        /* This file system may or may not share blocks. */
        g_assert_true (method == MM_CLONE_METHOD_REFLINK || method == MM_CLONE_METHOD_HARDLINK);

      if (method == MM_CLONE_METHOD_HARDLINK)
        {
          assert_same_inode (src, dst, TRUE);
          g_assert_cmpuint (progress.copied, ==, 0);
        }
      else
        {
          assert_same_inode (src, dst, FALSE);
        }
      if (method == MM_CLONE_METHOD_COPY)
        {
          g_assert_cmpuint (progress.copied, ==, len);
          g_assert_cmpuint (progress.hashed, ==, 0);
        }
      else
        {
          g_assert_cmpuint (progress.hashed, ==, len);
        }
      g_assert_cmpint (g_unlink (dst), ==, 0);
    }

  /* The destination exists: refused, and left alone. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *kept = NULL;

    _mm_file_clone_set_test_failures (FALSE, FALSE);
    g_assert_true (g_file_set_contents (dst, "keep", 4, NULL));
    g_assert_false (mm_file_clone (src, dst, MM_CLONE_FLAGS_NONE, NULL, NULL, NULL, NULL, NULL,
                                   &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
    g_assert_true (g_file_get_contents (dst, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep");
    g_assert_cmpint (g_unlink (dst), ==, 0);
  }

  /* Cancelled while copying: nothing left behind. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;

    _mm_file_clone_set_test_failures (TRUE, TRUE);
    g_cancellable_cancel (cancellable);
    g_assert_false (mm_file_clone (src, dst, MM_CLONE_FLAGS_NONE, NULL, NULL, NULL, NULL,
                                   cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (exists (dst));
  }

  /* No source, a folder as the source, not enough room for a copy. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = g_build_filename (f->outside, "missing", NULL);

    g_assert_false (mm_file_clone (missing, dst, MM_CLONE_FLAGS_NONE, NULL, NULL, NULL, NULL,
                                   NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (mm_file_clone (f->dir, dst, MM_CLONE_FLAGS_NONE, NULL, NULL, NULL, NULL,
                                   NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_setenv ("MM_TEST_FREE_SPACE", "1000", TRUE);
    g_assert_false (mm_file_clone (src, dst, MM_CLONE_FLAGS_NONE, NULL, NULL, NULL, NULL,
                                   NULL, &error));
    g_unsetenv ("MM_TEST_FREE_SPACE");
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    g_assert_false (exists (dst));
  }
}

/* Across file systems a hard link is impossible (EXDEV): a real copy. */
static void
test_cross_fs (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *other = g_build_filename ("/dev/shm", "mm-reuse-test", NULL);
  g_autofree char *first = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(MmDownload) download = NULL;
  g_autofree char *records = NULL;
  struct stat st_a, st_b;

  /* /dev/shm is a tmpfs, another file system than the test's folders. */
  if (g_stat ("/dev/shm", &st_a) != 0 || g_stat (f->dir, &st_b) != 0 ||
      st_a.st_dev == st_b.st_dev)
    {
      g_test_skip ("No second file system (/dev/shm) to copy from");
      return;
    }

  first = g_strdup_printf ("%s/%d/%s", other, (int) getpid (), Q4);
  put_file (f, Q4, first);
  records = write_records (f, PICO, Q4, first);
  download = download_without_network (f, first);
  assert_same_inode (first, mm_download_get_destination (download), FALSE);
  finalize (g_steal_pointer (&download));

  folder = g_path_get_dirname (first);
  g_unlink (first);
  g_rmdir (folder);
  g_rmdir (other);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/mm/download-reuse/" path, Fixture, NULL, reuse_setup, func, reuse_teardown)

  ADD ("index-lookup", test_index_lookup);
  ADD ("clone", test_clone);
  ADD ("record-link", test_record_link);
  ADD ("record-copy", test_record_copy);
  ADD ("cross-fs-copy", test_cross_fs);
  ADD ("hf-cache", test_hf_cache);
  ADD ("wrong-bytes", test_wrong_bytes);
  ADD ("nothing-to-reuse", test_nothing_to_reuse);

  return g_test_run ();
}
