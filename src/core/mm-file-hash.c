/* mm-file-hash.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checksums of files, with nettle: the SHA-256 the Hub publishes for each
 * LFS file, and Git's blob SHA-1 for the small files it stores itself.
 * The download engine's verification, the Library's "Verify" and the
 * copies made from files already on disk all hash through here.
 */
#define G_LOG_DOMAIN "mm-file-hash"

#include "config.h"

#include "mm-file-hash.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* Large reads keep the syscalls down; progress comes once per chunk. */
#define CHUNK (4 * 1024 * 1024)

static char *
to_hex (const guint8 *digest,
        gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc (2 * len + 1);

  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[2 * len] = '\0';
  return hex;
}

/**
 * mm_hasher_init:
 * @git_sha1: whether to compute Git's blob SHA-1 as well
 * @size: the size of all the bytes to come (Git's hash starts with it);
 *   ignored without @git_sha1
 */
void
mm_hasher_init (MmHasher *self,
                gboolean  git_sha1,
                guint64   size)
{
  g_return_if_fail (self != NULL);

  memset (self, 0, sizeof *self);
  sha256_init (&self->sha256);
  self->use_git_sha1 = git_sha1;
  if (git_sha1)
    {
      g_autofree char *header = g_strdup_printf ("blob %" G_GUINT64_FORMAT, size);

      sha1_init (&self->git_sha1);
      /* Git hashes "blob <size>\0" followed by the content. */
      sha1_update (&self->git_sha1, strlen (header) + 1, (const guint8 *) header);
    }
}

/**
 * mm_hasher_update:
 * @data: (array length=len): the next bytes
 */
void
mm_hasher_update (MmHasher     *self,
                  const guint8 *data,
                  gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  sha256_update (&self->sha256, len, data);
  if (self->use_git_sha1)
    sha1_update (&self->git_sha1, len, data);
}

/**
 * mm_hasher_sha256:
 *
 * Ends the SHA-256 (the hasher's SHA-256 starts over afterwards).
 *
 * Returns: (transfer full): the digest in lower-case hexadecimal
 */
char *
mm_hasher_sha256 (MmHasher *self)
{
  guint8 digest[SHA256_DIGEST_SIZE];

  g_return_val_if_fail (self != NULL, NULL);

  sha256_digest (&self->sha256, sizeof digest, digest);
  return to_hex (digest, sizeof digest);
}

/**
 * mm_hasher_git_sha1:
 *
 * Ends Git's blob SHA-1 (its state starts over afterwards).
 *
 * Returns: (transfer full) (nullable): the digest in lower-case
 *   hexadecimal, %NULL when the hasher was made without it
 */
char *
mm_hasher_git_sha1 (MmHasher *self)
{
  guint8 digest[SHA1_DIGEST_SIZE];

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->use_git_sha1)
    return NULL;
  sha1_digest (&self->git_sha1, sizeof digest, digest);
  return to_hex (digest, sizeof digest);
}

static GError *
read_error (int         saved_errno,
            const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  return g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                      _("“%s” could not be read: %s"), display, g_strerror (saved_errno));
}

/**
 * mm_file_hash_fd:
 * @fd: an open file, read from its start to its end (its offset is left
 *   alone)
 * @path: its name, for error messages
 * @hasher: where the bytes go, from mm_hasher_init()
 * @bytes: (out) (optional): how many bytes were hashed
 * @progress: (nullable) (scope call): told after each chunk
 * @cancellable: (nullable): stops between two chunks
 * @error: return location for a #GIOError (%G_IO_ERROR_CANCELLED too)
 *
 * Returns: whether the whole file was read into @hasher
 */
gboolean
mm_file_hash_fd (int                  fd,
                 const char          *path,
                 MmHasher            *hasher,
                 guint64             *bytes,
                 MmFileHashProgress   progress,
                 gpointer             user_data,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autofree guint8 *buffer = NULL;
  guint64 done = 0;

  g_return_val_if_fail (fd >= 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (hasher != NULL, FALSE);

  buffer = g_malloc (CHUNK);
  for (;;)
    {
      ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = pread (fd, buffer, CHUNK, (off_t) done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_propagate_error (error, read_error (errno, path));
          return FALSE;
        }
      if (n == 0)
        break;
      mm_hasher_update (hasher, buffer, (gsize) n);
      done += (guint64) n;
      if (bytes != NULL)
        *bytes = done;
      if (progress != NULL)
        progress (done, user_data);
    }

  if (bytes != NULL)
    *bytes = done;
  return TRUE;
}

/**
 * mm_file_hash_sha256:
 * @path: a regular file
 * @progress: (nullable) (scope call): told after each chunk
 * @cancellable: (nullable): stops between two chunks
 * @error: return location for a #GIOError (%G_IO_ERROR_CANCELLED too)
 *
 * Returns: (transfer full) (nullable): the SHA-256 of the file in
 *   lower-case hexadecimal, or %NULL
 */
char *
mm_file_hash_sha256 (const char          *path,
                     MmFileHashProgress   progress,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  MmHasher hasher;
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_propagate_error (error, read_error (errno, path));
      return NULL;
    }

  mm_hasher_init (&hasher, FALSE, 0);
  ok = mm_file_hash_fd (fd, path, &hasher, NULL, progress, user_data, cancellable, error);
  close (fd);

  return ok ? mm_hasher_sha256 (&hasher) : NULL;
}
