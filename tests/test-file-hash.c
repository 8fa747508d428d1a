/* test-file-hash.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one helper that hashes files: known digests (SHA-256 and Git's blob
 * SHA-1), files larger than one chunk with their progress, cancellation
 * before and during the read, and unreadable files.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "mm-file-hash.h"

#define MIB (1024 * 1024)

static char *
write_file (const char   *dir,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_known_digests (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-hash-XXXXXX", NULL);
  g_autofree char *empty = write_file (dir, "empty", (const guint8 *) "", 0);
  g_autofree char *abc = write_file (dir, "abc", (const guint8 *) "abc", 3);
  g_autofree char *digest = NULL;
  g_autofree char *sha1 = NULL;
  g_autoptr(GError) error = NULL;
  MmHasher hasher;
  guint64 bytes = 99;
  int fd;

  digest = mm_file_hash_sha256 (empty, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_clear_pointer (&digest, g_free);
  digest = mm_file_hash_sha256 (abc, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_clear_pointer (&digest, g_free);

  /* Git's blob SHA-1 along with the SHA-256, from an open file whose offset
   * stays where it was. */
  fd = g_open (abc, O_RDONLY | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (lseek (fd, 2, SEEK_SET), ==, 2);
  mm_hasher_init (&hasher, TRUE, 3);
  g_assert_true (mm_file_hash_fd (fd, abc, &hasher, &bytes, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bytes, ==, 3);
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 2);
  close (fd);
  sha1 = mm_hasher_git_sha1 (&hasher);
  digest = mm_hasher_sha256 (&hasher);
  g_assert_cmpstr (sha1, ==, "f2ba8f84ab5c1bce84a7b441cb1959cfc7093b7f");
  g_assert_cmpstr (digest, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_clear_pointer (&sha1, g_free);

  /* The empty blob, and no SHA-1 when none was asked for. */
  mm_hasher_init (&hasher, TRUE, 0);
  sha1 = mm_hasher_git_sha1 (&hasher);
  g_assert_cmpstr (sha1, ==, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  mm_hasher_init (&hasher, FALSE, 0);
  g_assert_null (mm_hasher_git_sha1 (&hasher));

  g_assert_no_errno (g_remove (empty));
  g_assert_no_errno (g_remove (abc));
  g_assert_no_errno (g_rmdir (dir));
}

typedef struct {
  GArray *seen;
  GCancellable *cancel_after_first;
} Progress;

static void
progress_cb (guint64  bytes,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->seen, bytes);
  if (progress->cancel_after_first != NULL)
    g_cancellable_cancel (progress->cancel_after_first);
}

static void
test_large_file_progress (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-hash-XXXXXX", NULL);
  gsize len = 9 * MIB + 17;
  g_autofree guint8 *data = g_malloc (len);
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *split = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint64));
  Progress progress = { seen, NULL };
  MmHasher hasher;
  MmHasher copy;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) ((i * 2654435761u) >> 13);
  path = write_file (dir, "big.gguf", data, len);
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);

  digest = mm_file_hash_sha256 (path, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (digest, ==, expected);

  /* Every few MiB, growing, ending at the size. */
  g_assert_cmpuint (seen->len, >=, 3);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint64, i), >, g_array_index (seen, guint64, i - 1));
  g_assert_cmpuint (g_array_index (seen, guint64, seen->len - 1), ==, len);

  /* A hasher copied midway goes on from where it was. */
  mm_hasher_init (&hasher, FALSE, 0);
  mm_hasher_update (&hasher, data, MIB);
  copy = hasher;
  mm_hasher_update (&copy, data + MIB, len - MIB);
  split = mm_hasher_sha256 (&copy);
  g_assert_cmpstr (split, ==, expected);

  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_cancel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-hash-XXXXXX", NULL);
  gsize len = 9 * MIB;
  g_autofree guint8 *data = g_malloc0 (len);
  g_autofree char *path = write_file (dir, "big.gguf", data, len);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint64));
  Progress progress = { seen, cancellable };
  g_autoptr(GError) error = NULL;
  char *digest;

  /* Cancelled during the read: it stops after the chunk it was in. */
  digest = mm_file_hash_sha256 (path, progress_cb, &progress, cancellable, &error);
  g_assert_null (digest);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpuint (g_array_index (seen, guint64, 0), <, len);
  g_clear_error (&error);

  /* Cancelled before: nothing is read. */
  g_array_set_size (seen, 0);
  progress.cancel_after_first = NULL;
  digest = mm_file_hash_sha256 (path, progress_cb, &progress, cancellable, &error);
  g_assert_null (digest);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (seen->len, ==, 0);

  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_unreadable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mm-hash-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "gone.gguf", NULL);
  g_autoptr(GError) error = NULL;
  char *digest;

  digest = mm_file_hash_sha256 (missing, NULL, NULL, NULL, &error);
  g_assert_null (digest);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gone.gguf"));
  g_clear_error (&error);

  /* A folder opens, and cannot be read. */
  digest = mm_file_hash_sha256 (dir, NULL, NULL, NULL, &error);
  g_assert_null (digest);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);

  g_assert_no_errno (g_rmdir (dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/file-hash/known-digests", test_known_digests);
  g_test_add_func ("/mm/file-hash/large-file-progress", test_large_file_progress);
  g_test_add_func ("/mm/file-hash/cancel", test_cancel);
  g_test_add_func ("/mm/file-hash/unreadable", test_unreadable);

  return g_test_run ();
}
