/* mm-file-clone.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A second name for bytes already on disk: reflink, else hard link, else
 * copy. Each way ends with the destination's SHA-256: read back after a
 * reflink or a link (the blocks are the source's), computed from the bytes
 * written during a copy. The destination is created exclusively and
 * removed again on any failure, so a half-made file is never left behind.
 */
#define G_LOG_DOMAIN "mm-file-clone"

#include "config.h"

#include "mm-file-clone-private.h"

#include "mm-file-hash.h"
#include "mm-system.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define CHUNK (4 * 1024 * 1024)

static int fail_reflink = -1;   /* -1: not decided yet (read the environment) */
static int fail_hardlink = -1;

/**
 * _mm_file_clone_set_test_failures:
 * @reflink: make every reflink fail with EOPNOTSUPP
 * @hardlink: make every hard link fail with EXDEV
 */
void
_mm_file_clone_set_test_failures (gboolean reflink,
                                  gboolean hardlink)
{
  g_atomic_int_set (&fail_reflink, reflink ? 1 : 0);
  g_atomic_int_set (&fail_hardlink, hardlink ? 1 : 0);
}

static gboolean
test_fails (int        *flag,
            const char *what)
{
  int value = g_atomic_int_get (flag);

  if (value < 0)
    {
      const char *env = g_getenv ("MM_TEST_CLONE_FAIL");

      value = env != NULL && strstr (env, what) != NULL ? 1 : 0;
      g_atomic_int_set (flag, value);
    }
  return value == 1;
}

const char *
mm_clone_method_to_string (MmCloneMethod method)
{
  switch (method)
    {
    case MM_CLONE_METHOD_REFLINK:
      return "reflink";
    case MM_CLONE_METHOD_HARDLINK:
      return "hardlink";
    case MM_CLONE_METHOD_COPY:
      return "copy";
    case MM_CLONE_METHOD_NONE:
    default:
      return "none";
    }
}

typedef enum {
  IO_READ,
  IO_CREATE,
  IO_WRITE,
} IoWhat;

static GError *
clone_io_error (int         saved_errno,
                IoWhat      what,
                const char *path)
{
  g_autofree char *display = g_filename_display_name (path);
  int code = g_io_error_from_errno (saved_errno);

  switch (what)
    {
    case IO_CREATE:
      return g_error_new (G_IO_ERROR, code, _("“%s” could not be created: %s"), display,
                          g_strerror (saved_errno));
    case IO_WRITE:
      return g_error_new (G_IO_ERROR, code, _("“%s” could not be written: %s"), display,
                          g_strerror (saved_errno));
    case IO_READ:
    default:
      return g_error_new (G_IO_ERROR, code, _("“%s” could not be read: %s"), display,
                          g_strerror (saved_errno));
    }
}

typedef struct {
  MmCloneProgressFunc progress;
  gpointer user_data;
} HashProgress;

static void
hash_progress_cb (guint64  bytes,
                  gpointer user_data)
{
  HashProgress *hp = user_data;

  hp->progress (bytes, TRUE, hp->user_data);
}

/* Reads @path from its start and hashes it. */
static char *
hash_path (const char          *path,
           MmCloneProgressFunc  progress,
           gpointer             user_data,
           GCancellable        *cancellable,
           GError             **error)
{
  HashProgress hp = { progress, user_data };

  return mm_file_hash_sha256 (path, progress != NULL ? hash_progress_cb : NULL, &hp,
                              cancellable, error);
}

static gboolean
try_reflink (int         src_fd,
             const char *destination,
             int        *saved_errno)
{
  int dst_fd;

  if (test_fails (&fail_reflink, "reflink"))
    {
      *saved_errno = EOPNOTSUPP;
      return FALSE;
    }

  dst_fd = g_open (destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (dst_fd < 0)
    {
      *saved_errno = errno;
      return FALSE;
    }
#ifdef FICLONE
  if (ioctl (dst_fd, FICLONE, src_fd) == 0)
    {
      close (dst_fd);
      return TRUE;
    }
  *saved_errno = errno;
#else
  *saved_errno = EOPNOTSUPP;
#endif
  close (dst_fd);
  g_unlink (destination);
  return FALSE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           off_t         offset)
{
  while (len > 0)
    {
      ssize_t n = pwrite (fd, data, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
      offset += n;
    }
  return TRUE;
}

static gboolean
copy_bytes (int                  src_fd,
            const char          *source,
            const char          *destination,
            guint64              size,
            char               **sha256,
            MmCloneProgressFunc  progress,
            gpointer             user_data,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autofree char *dir = g_path_get_dirname (destination);
  g_autofree guint8 *buffer = NULL;
  MmHasher hasher;
  guint64 done = 0;
  guint64 free_space;
  int dst_fd;

  free_space = mm_system_get_free_space (dir);
  if (free_space != G_MAXUINT64 && free_space < size)
    {
      g_autofree char *need = g_format_size (size);
      g_autofree char *have = g_format_size (free_space);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   /* Translators: the first %s is a size, the second the free space */
                   _("Copying the file needs %s, but only %s are free."), need, have);
      return FALSE;
    }

  dst_fd = g_open (destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (dst_fd < 0)
    {
      g_propagate_error (error, clone_io_error (errno, IO_CREATE, destination));
      return FALSE;
    }

  buffer = g_malloc (CHUNK);
  mm_hasher_init (&hasher, FALSE, 0);
  for (;;)
    {
      ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      n = pread (src_fd, buffer, CHUNK, (off_t) done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_propagate_error (error, clone_io_error (errno, IO_READ, source));
          goto fail;
        }
      if (n == 0)
        break;
      if (!write_all (dst_fd, buffer, (gsize) n, (off_t) done))
        {
          g_propagate_error (error, clone_io_error (errno, IO_WRITE, destination));
          goto fail;
        }
      mm_hasher_update (&hasher, buffer, (gsize) n);
      done += (guint64) n;
      if (progress != NULL)
        progress (done, FALSE, user_data);
    }

  if (fsync (dst_fd) != 0 || close (dst_fd) != 0)
    {
      g_propagate_error (error, clone_io_error (errno, IO_WRITE, destination));
      dst_fd = -1;
      goto fail;
    }

  *sha256 = mm_hasher_sha256 (&hasher);
  return TRUE;

fail:
  if (dst_fd >= 0)
    close (dst_fd);
  g_unlink (destination);
  return FALSE;
}

/**
 * mm_file_clone:
 * @source: an existing regular file
 * @destination: a path that does not exist yet (its folder does)
 * @flags: which ways are allowed
 * @method: (out) (optional): how the destination was made
 * @sha256: (out) (optional) (transfer full): the destination's SHA-256, hex
 * @progress: (nullable) (scope call): bytes copied, then bytes hashed
 * @cancellable: (nullable): stops copying or hashing; the destination is
 *   then removed and the call fails with %G_IO_ERROR_CANCELLED
 *
 * Makes @destination hold the bytes of @source: by reflink where the file
 * system shares blocks (Btrfs, XFS, bcachefs…), else by a hard link when
 * both are on one file system and @flags allow it, else by copying. Runs
 * synchronously: call it from a worker thread.
 *
 * Returns: %TRUE when @destination was made; on failure nothing is left at
 *   @destination
 */
gboolean
mm_file_clone (const char           *source,
               const char           *destination,
               MmCloneFlags          flags,
               MmCloneMethod        *method,
               char                **sha256,
               MmCloneProgressFunc   progress,
               gpointer              user_data,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autofree char *digest = NULL;
  MmCloneMethod used = MM_CLONE_METHOD_NONE;
  struct stat st;
  int saved_errno = 0;
  int src_fd;

  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);

  if (method != NULL)
    *method = MM_CLONE_METHOD_NONE;

  src_fd = g_open (source, O_RDONLY | O_CLOEXEC, 0);
  if (src_fd < 0)
    {
      g_propagate_error (error, clone_io_error (errno, IO_READ, source));
      return FALSE;
    }
  if (fstat (src_fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (source);

      close (src_fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file."), display);
      return FALSE;
    }

  if (try_reflink (src_fd, destination, &saved_errno))
    {
      used = MM_CLONE_METHOD_REFLINK;
    }
  else if (saved_errno == EEXIST)
    {
      close (src_fd);
      g_propagate_error (error, clone_io_error (saved_errno, IO_CREATE, destination));
      return FALSE;
    }
  else
    {
      g_debug ("No reflink of %s: %s", source, g_strerror (saved_errno));
      if (!(flags & MM_CLONE_FLAGS_NO_HARDLINK))
        {
          if (test_fails (&fail_hardlink, "hardlink"))
            errno = EXDEV;
          else if (link (source, destination) == 0)
            used = MM_CLONE_METHOD_HARDLINK;
          if (used == MM_CLONE_METHOD_NONE)
            g_debug ("No hard link of %s: %s", source, g_strerror (errno));
        }
    }

  if (used == MM_CLONE_METHOD_NONE)
    {
      if (!copy_bytes (src_fd, source, destination, (guint64) st.st_size, &digest, progress,
                       user_data, cancellable, error))
        {
          close (src_fd);
          return FALSE;
        }
      used = MM_CLONE_METHOD_COPY;
    }
  close (src_fd);

  if (digest == NULL)
    {
      digest = hash_path (destination, progress, user_data, cancellable, error);
      if (digest == NULL)
        {
          g_unlink (destination);
          return FALSE;
        }
    }

  if (method != NULL)
    *method = used;
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&digest);
  return TRUE;
}
