/* mm-download-attempt.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One attempt at moving a file's bytes from the Hub to disk: the worker side
 * of MmDownload (see mm-download-private.h for the seam). It runs in its own
 * thread, the coordinator, which starts:
 *
 *   - up to N connection threads, each with its own SoupSession (so its own
 *     TCP connection: HTTP/2 would multiplex every request of one session
 *     onto one connection, which a per-connection cap throttles as one),
 *     speaking HTTP/1.1. What is missing is cut into pieces (about eight
 *     per connection, 4–64 MiB); each connection takes the earliest free
 *     piece, asks the CDN for that byte range on its kept-alive connection
 *     and writes it in place with pwrite() into the preallocated partial.
 *     When no piece is left, a connection that finishes takes half of the
 *     largest range still in flight (down to 1 MiB), so there is no slow
 *     tail; one that fails hands its piece back for another to take.
 *   - one hasher thread that follows the contiguous prefix of written bytes
 *     as it grows, reading it back from the page cache: SHA-256 must run in
 *     file order, and this way it is done when the last range lands.
 *
 * The first connection asks /resolve (with the token, Hub origin only) and
 * follows the redirect by hand; the signed CDN URL it ends at is shared by
 * every connection for this attempt and never stored. A CDN 403 (an
 * expired signature) makes the next connection ask /resolve again; a 403
 * right after a fresh resolve is the link being refused, and says so.
 *
 * Resume state: the sidecar <destination>.part.json records which ranges are
 * on disk, bound to the file's SHA-256 (or commit) and the server's ETag.
 * The coordinator rewrites it after every few MiB written (so a crash loses
 * at most what was in flight), and every few seconds after an fdatasync()
 * it also records the ranges that are durable ("synced", with the boot id):
 * after a power cut, only those are trusted. A sidecar of the older
 * single-stream format (no ranges) resumes as the range [0, size of the
 * partial).
 *
 * The partial is locked with flock() for as long as an attempt runs: a
 * second process (the CLI beside the app) is told that another download is
 * writing the file, and writes nothing.
 */
#define G_LOG_DOMAIN "mm-download"

#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "mm-download-private.h"
#include "mm-file-hash.h"
#include "mm-free-space.h"
#include "mm-format.h"
#include "mm-hf-cache.h"
#include "mm-hub-client-private.h"
#include "mm-http-redirect.h"
#include "mm-hub-error.h"
#include "mm-json.h"

#define KIB                 (G_GUINT64_CONSTANT (1024))
#define MIB                 (1024 * KIB)
#define CONNECTION_BUFFER   (512 * 1024)
#define HASH_BUFFER         (256 * 1024)
#define CHECKPOINT_BYTES    (4 * MIB)   /* unrecorded bytes that make a sidecar write */
#define CHECKPOINT_MS       250
#define SYNC_INTERVAL_US    (2 * G_USEC_PER_SEC)
#define TICK_US             (100 * 1000)
#define MAX_CONN_FAILURES   3
#define SPLIT_ALIGN         (64 * KIB)
#define STEAL_MIN           (1 * MIB)   /* never take over less than this of a range */

/* ------------------------------------------------------------------ */
/* Priority                                                            */
/* ------------------------------------------------------------------ */

static int worker_nice;

/**
 * mm_download_set_worker_nice:
 * @nice: how much nicer than the rest of the process the threads that move
 *   and hash bytes are (0–19)
 *
 * An application sets this once, before any download, so that on a busy
 * machine its window (the main thread) comes before the transfer threads.
 * Linux applies a nice value to one thread with setpriority() on its id.
 */
void
mm_download_set_worker_nice (int nice)
{
  g_atomic_int_set (&worker_nice, CLAMP (nice, 0, 19));
}

static void
lower_priority (void)
{
#ifdef __linux__
  int nice = g_atomic_int_get (&worker_nice);

  if (nice > 0)
    {
      pid_t tid = gettid ();
      int current;

      errno = 0;
      current = getpriority (PRIO_PROCESS, (id_t) tid);
      if (errno == 0 && setpriority (PRIO_PROCESS, (id_t) tid, MIN (current + nice, 19)) != 0)
        g_debug ("Could not lower a download thread's priority: %s", g_strerror (errno));
    }
#endif
}

/* ------------------------------------------------------------------ */
/* Progress box shared with the main side                              */
/* ------------------------------------------------------------------ */

static void
progress_clear (MmDownloadProgress *progress)
{
  g_mutex_clear (&progress->mutex);
}

MmDownloadProgress *
_mm_download_progress_new (void)
{
  MmDownloadProgress *progress = g_atomic_rc_box_new0 (MmDownloadProgress);

  g_mutex_init (&progress->mutex);
  return progress;
}

MmDownloadProgress *
_mm_download_progress_ref (MmDownloadProgress *progress)
{
  return g_atomic_rc_box_acquire (progress);
}

void
_mm_download_progress_unref (MmDownloadProgress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

void
_mm_download_progress_set (MmDownloadProgress *progress,
                           guint64             bytes,
                           MmDownloadPhase     phase)
{
  atomic_store (&progress->bytes, bytes);
  atomic_store (&progress->phase, (int) phase);
}

void
_mm_download_progress_get (MmDownloadProgress *progress,
                           guint64            *bytes,
                           MmDownloadPhase    *phase,
                           guint              *connections)
{
  *bytes = atomic_load (&progress->bytes);
  *phase = (MmDownloadPhase) atomic_load (&progress->phase);
  *connections = atomic_load (&progress->connections);
}

static void
progress_publish (MmDownloadProgress *progress,
                  guint64             bytes,
                  guint               connections)
{
  atomic_store (&progress->bytes, bytes);
  atomic_store (&progress->connections, connections);
}

static void
progress_set_phase (MmDownloadProgress *progress,
                    MmDownloadPhase     phase)
{
  atomic_store (&progress->phase, (int) phase);
}

void
_mm_download_attempt_free (MmDownloadAttempt *attempt)
{
  g_clear_object (&attempt->client);
  g_clear_object (&attempt->limiter);
  g_clear_object (&attempt->shared_limiter);
  g_free (attempt->repo_id);
  g_free (attempt->revision);
  g_free (attempt->path);
  g_free (attempt->sha256);
  g_free (attempt->oid);
  g_free (attempt->download_dir);
  g_free (attempt->destination);
  g_free (attempt->partial_path);
  g_free (attempt->sidecar_path);
  g_free (attempt->hf_cache_dir);
  g_free (attempt->hf_ref);
  g_free (attempt->repo_commit);
  g_clear_pointer (&attempt->progress, _mm_download_progress_unref);
  g_free (attempt);
}

/* ------------------------------------------------------------------ */
/* Hashing                                                             */
/* ------------------------------------------------------------------ */

static void
hasher_init (MmDownloadHasher *hasher,
             guint64           size,
             gboolean          use_git_sha1)
{
  mm_hasher_init (hasher, use_git_sha1, size);
}

static void
hasher_update (MmDownloadHasher *hasher,
               const guint8     *data,
               gsize             len)
{
  mm_hasher_update (hasher, data, len);
}

/* Whether @hasher's digest is the one @attempt expects. Consumes the hasher. */
static gboolean
hasher_matches (MmDownloadHasher  *hasher,
                MmDownloadAttempt *attempt,
                char             **got)
{
  g_autofree char *hex = NULL;

  if (attempt->sha256 != NULL)
    {
      hex = mm_hasher_sha256 (hasher);
      if (got != NULL)
        *got = g_strdup (hex);
      return g_str_equal (hex, attempt->sha256);
    }
  if (hasher->use_git_sha1)
    {
      hex = mm_hasher_git_sha1 (hasher);
      if (got != NULL)
        *got = g_strdup (hex);
      return g_ascii_strcasecmp (hex, attempt->oid) == 0;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Disk                                                                */
/* ------------------------------------------------------------------ */

static GError *
io_error (int         saved_errno,
          const char *what,
          const char *path)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    return g_error_new (MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL,
                        _("The disk is full: could not write “%s”. The part already "
                          "downloaded is kept; free some space and resume."), path);

  return g_error_new (MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_IO,
                      _("Could not %s “%s”: %s"), what, path, g_strerror (saved_errno));
}

/* For tests: MM_TEST_WRITE_FAIL_AFTER=<bytes> makes writes fail with ENOSPC
 * once that many bytes have been written by this process. */
G_LOCK_DEFINE_STATIC (test_write_budget);
static gint64 test_write_budget = -2;

/* Read at the start of each attempt: unsetting the variable lifts the fault. */
static void
test_write_budget_refresh (void)
{
  const char *env = g_getenv ("MM_TEST_WRITE_FAIL_AFTER");

  G_LOCK (test_write_budget);
  if (env == NULL)
    test_write_budget = -1;
  else if (test_write_budget < 0)
    test_write_budget = (gint64) g_ascii_strtoull (env, NULL, 10);
  G_UNLOCK (test_write_budget);
}

/* How much of @len the test budget lets through; 0 means "disk full". */
static gsize
test_write_allow (gsize len)
{
  gsize allowed = len;

  G_LOCK (test_write_budget);
  if (test_write_budget >= 0)
    {
      allowed = (gsize) MIN ((guint64) len, (guint64) test_write_budget);
      test_write_budget -= allowed;
    }
  G_UNLOCK (test_write_budget);

  return allowed;
}

/* Writes @len bytes at @offset; on failure *@written says how many made it. */
static gboolean
pwrite_all (int           fd,
            const guint8 *data,
            gsize         len,
            guint64       offset,
            gsize        *written,
            int          *saved_errno)
{
  *written = 0;
  while (*written < len)
    {
      gsize chunk = test_write_allow (len - *written);
      gssize n;

      if (chunk == 0)
        {
          *saved_errno = ENOSPC;
          return FALSE;
        }

      n = pwrite (fd, data + *written, chunk, (off_t) (offset + *written));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }
      *written += n;
    }

  return TRUE;
}

/* Creates the folders between the download folder and the destination one
 * at a time, refusing any component that is a symbolic link: a link planted
 * in the download folder must not make us create or write anything outside. */
static gboolean
prepare_destination (MmDownloadAttempt  *attempt,
                     GError            **error)
{
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  g_autofree char *relative = NULL;
  g_autoptr(GString) current = NULL;
  g_auto(GStrv) parts = NULL;
  struct stat st;

  if (g_mkdir_with_parents (attempt->download_dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("create the folder"),
                                          attempt->download_dir));
      return FALSE;
    }

  /* The destination was built as download_dir/owner/name/path. */
  g_assert (g_str_has_prefix (parent, attempt->download_dir));
  relative = g_strdup (parent + strlen (attempt->download_dir));
  parts = g_strsplit (relative, G_DIR_SEPARATOR_S, -1);
  current = g_string_new (attempt->download_dir);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (current->len == 0 || current->str[current->len - 1] != G_DIR_SEPARATOR)
        g_string_append_c (current, G_DIR_SEPARATOR);
      g_string_append (current, parts[i]);

      if (lstat (current->str, &st) == 0)
        {
          if (S_ISLNK (st.st_mode) || !S_ISDIR (st.st_mode))
            {
              g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                           _("“%s” is not a plain folder inside the download folder (a "
                             "symbolic link or a file is in the way); “%s” will not be "
                             "written."), current->str, attempt->path);
              return FALSE;
            }
        }
      else if (mkdir (current->str, 0755) != 0 && errno != EEXIST)
        {
          int saved_errno = errno;

          g_propagate_error (error, io_error (saved_errno, _("create the folder"), current->str));
          return FALSE;
        }
    }

  /* The files themselves must not be symlinks either. */
  if ((lstat (attempt->destination, &st) == 0 && S_ISLNK (st.st_mode)) ||
      (lstat (attempt->partial_path, &st) == 0 && S_ISLNK (st.st_mode)) ||
      (lstat (attempt->sidecar_path, &st) == 0 && S_ISLNK (st.st_mode)))
    {
      g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                   _("“%s” is a symbolic link in the download folder; it will not be "
                     "written through."), attempt->path);
      return FALSE;
    }

  return TRUE;
}


static gboolean
check_free_space (MmDownloadAttempt  *attempt,
                  guint64             missing,
                  GError            **error)
{
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  guint64 needed = 0;
  guint64 available = 0;

  if (!mm_free_space_check (parent, missing, 0, &needed, &available))
    {
      g_autofree char *needed_text = mm_format_size (needed);
      g_autofree char *available_text = mm_format_size (available);

      g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL,
                   _("Not enough free space for “%s”: it needs %s, and the disk has %s free."),
                   attempt->path, needed_text, available_text);
      return FALSE;
    }

  return TRUE;
}

/* Reserves the whole file, so that a full disk shows now and not at 90 %. */
static gboolean
allocate_partial (MmDownloadAttempt  *attempt,
                  int                 fd,
                  GError            **error)
{
  struct stat st;

  if (fstat (fd, &st) == 0 && (guint64) st.st_size == attempt->size)
    return TRUE;

  /* MM_TEST_SPARSE_PARTIALS: benchmarks that start many downloads of the
   * mock's made-up giant files, and never finish them, do not reserve
   * their space; MM_TEST_WRITE_FAIL_AFTER needs writes that can fail. */
  if (g_getenv ("MM_TEST_WRITE_FAIL_AFTER") == NULL &&
      g_getenv ("MM_TEST_SPARSE_PARTIALS") == NULL)
    {
      if (fallocate (fd, 0, 0, (off_t) attempt->size) == 0)
        return TRUE;
      if (errno == ENOSPC || errno == EDQUOT)
        {
          g_autofree char *size_text = mm_format_size (attempt->size);

          g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL,
                       _("Not enough free space for “%s”: the disk cannot hold its %s. "
                         "Free some space and resume."), attempt->path, size_text);
          return FALSE;
        }
    }

  /* No fallocate here (or a test that needs writes to fail): a sparse file. */
  if (ftruncate (fd, (off_t) attempt->size) != 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("write"), attempt->partial_path));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Ranges and the sidecar                                              */
/* ------------------------------------------------------------------ */

typedef struct {
  guint64 start;
  guint64 end;    /* exclusive */
} Range;

static char *
current_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return g_strdup ("");

  return g_strstrip (g_steal_pointer (&text));
}

typedef struct {
  char *repo_id;
  char *revision;
  char *path;
  char *sha256;
  char *etag;
  char *boot_id;
  guint64 size;
  GArray *ranges;   /* (element-type Range) (nullable): NULL in the single-stream format */
  GArray *synced;   /* (element-type Range) (nullable) */
} Sidecar;

static void
sidecar_clear (Sidecar *sidecar)
{
  g_clear_pointer (&sidecar->repo_id, g_free);
  g_clear_pointer (&sidecar->revision, g_free);
  g_clear_pointer (&sidecar->path, g_free);
  g_clear_pointer (&sidecar->sha256, g_free);
  g_clear_pointer (&sidecar->etag, g_free);
  g_clear_pointer (&sidecar->boot_id, g_free);
  g_clear_pointer (&sidecar->ranges, g_array_unref);
  g_clear_pointer (&sidecar->synced, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sidecar, sidecar_clear)

/* Sorted, within [0, size], not overlapping and not empty; NULL otherwise. */
static GArray *
ranges_from_json (JsonArray *array,
                  guint64    size)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  guint64 last_end = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair;
      Range range;
      gint64 start, end;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return NULL;
      pair = json_node_get_array (node);
      if (json_array_get_length (pair) != 2 ||
          json_node_get_value_type (json_array_get_element (pair, 0)) != G_TYPE_INT64 ||
          json_node_get_value_type (json_array_get_element (pair, 1)) != G_TYPE_INT64)
        return NULL;
      start = json_array_get_int_element (pair, 0);
      end = json_array_get_int_element (pair, 1);
      if (start < 0 || end <= start || (guint64) end > size || (guint64) start < last_end)
        return NULL;
      range.start = start;
      range.end = end;
      last_end = end;
      g_array_append_val (ranges, range);
    }

  return g_steal_pointer (&ranges);
}

static gboolean
sidecar_parse (GBytes  *bytes,
               Sidecar *sidecar)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *array;

  root = mm_json_parse_bytes (bytes, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  sidecar->repo_id = g_strdup (mm_json_get_string (object, "repo"));
  sidecar->revision = g_strdup (mm_json_get_string (object, "revision"));
  sidecar->path = g_strdup (mm_json_get_string (object, "path"));
  sidecar->sha256 = g_strdup (mm_json_get_string (object, "sha256"));
  sidecar->etag = g_strdup (mm_json_get_string (object, "etag"));
  sidecar->boot_id = g_strdup (mm_json_get_string (object, "boot_id"));
  sidecar->size = mm_json_get_uint64 (object, "size", 0);

  if (json_object_has_member (object, "ranges"))
    {
      /* A sidecar with ranges we cannot trust keeps nothing. */
      array = mm_json_get_array (object, "ranges");
      sidecar->ranges = array ? ranges_from_json (array, sidecar->size) : NULL;
      if (sidecar->ranges == NULL)
        sidecar->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
      array = mm_json_get_array (object, "synced");
      sidecar->synced = array ? ranges_from_json (array, sidecar->size) : NULL;
      if (sidecar->synced == NULL)
        sidecar->synced = g_array_new (FALSE, FALSE, sizeof (Range));
    }

  return TRUE;
}

static gboolean
sidecar_read (const char *path,
              Sidecar    *sidecar)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return sidecar_parse (bytes, sidecar);
}

static gboolean
sidecar_describes (const Sidecar *sidecar,
                   const char    *repo_id,
                   const char    *revision,
                   const char    *path,
                   const char    *sha256,
                   guint64        size)
{
  if (g_strcmp0 (sidecar->repo_id, repo_id) != 0 ||
      g_strcmp0 (sidecar->path, path) != 0 ||
      sidecar->size != size)
    return FALSE;

  /* LFS files are identified by content; others by the commit. */
  if (sha256 != NULL)
    return g_strcmp0 (sidecar->sha256, sha256) == 0;

  return g_strcmp0 (sidecar->revision, revision) == 0;
}

/* The ranges of the partial that can be trusted, given its sidecar: all the
 * recorded ones after a crash of this process (the page cache survived),
 * only the synced ones after a reboot. */
static GArray *
sidecar_trusted_ranges (const Sidecar *sidecar,
                        guint64        partial_size)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autofree char *boot_id = NULL;
  GArray *source;

  if (sidecar->ranges == NULL)
    {
      /* The single-stream format: the partial's bytes, from the start. */
      Range range = { 0, MIN (partial_size, sidecar->size) };

      if (partial_size <= sidecar->size && range.end > 0)
        g_array_append_val (ranges, range);
      return ranges;
    }

  boot_id = current_boot_id ();
  source = g_strcmp0 (sidecar->boot_id, boot_id) == 0 ? sidecar->ranges : sidecar->synced;
  for (guint i = 0; i < source->len; i++)
    {
      Range range = g_array_index (source, Range, i);

      /* Bytes beyond the end of the file on disk are not there. */
      range.end = MIN (range.end, partial_size);
      if (range.end > range.start)
        g_array_append_val (ranges, range);
    }

  return ranges;
}

/* See mm-download-private.h: the sidecar parser on its own, for the fuzz
 * target (tests/fuzz/fuzz-sidecar.c). */
gboolean
mm_download_sidecar_parse (GBytes  *bytes,
                           guint64  partial_size,
                           guint64 *trusted_bytes)
{
  g_auto(Sidecar) sidecar = { 0 };
  g_autoptr(GArray) ranges = NULL;

  *trusted_bytes = 0;
  if (!sidecar_parse (bytes, &sidecar))
    return FALSE;

  ranges = sidecar_trusted_ranges (&sidecar, partial_size);
  for (guint i = 0; i < ranges->len; i++)
    *trusted_bytes += g_array_index (ranges, Range, i).end - g_array_index (ranges, Range, i).start;
  (void) sidecar_describes (&sidecar, "org/name", "main", "file.gguf", NULL, sidecar.size);
  return TRUE;
}

static guint64
ranges_total (GArray *ranges)
{
  guint64 total = 0;

  for (guint i = 0; i < ranges->len; i++)
    total += g_array_index (ranges, Range, i).end - g_array_index (ranges, Range, i).start;

  return total;
}

guint64
_mm_download_partial_bytes (const char *partial_path,
                            const char *sidecar_path,
                            const char *repo_id,
                            const char *revision,
                            const char *path,
                            const char *sha256,
                            guint64     size)
{
  g_auto(Sidecar) sidecar = { 0 };
  g_autoptr(GArray) ranges = NULL;
  struct stat st;

  if (lstat (partial_path, &st) != 0 || !S_ISREG (st.st_mode) ||
      !sidecar_read (sidecar_path, &sidecar) ||
      !sidecar_describes (&sidecar, repo_id, revision, path, sha256, size))
    return 0;

  ranges = sidecar_trusted_ranges (&sidecar, (guint64) st.st_size);
  return ranges_total (ranges);
}

static void
add_ranges (JsonBuilder *builder,
            const char  *name,
            GArray      *ranges)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ranges->len; i++)
    {
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) g_array_index (ranges, Range, i).start);
      json_builder_add_int_value (builder, (gint64) g_array_index (ranges, Range, i).end);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

/* Replaces the sidecar atomically (a temporary file renamed over it). It is
 * not fsynced: the "synced" ranges are the ones that survive a power cut. */
static void
sidecar_write (MmDownloadAttempt *attempt,
               const char        *etag,
               const char        *boot_id,
               GArray            *ranges,
               GArray            *synced)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (attempt->sidecar_path);
  g_autofree char *base = g_path_get_basename (attempt->sidecar_path);
  g_autofree char *hidden = g_strconcat (".", base, ".tmp", NULL);
  /* Hidden, so that folder watchers (the Library) pass over it. */
  g_autofree char *tmp = g_build_filename (dir, hidden, NULL);
  gsize len;
  int fd;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "repo");
  json_builder_add_string_value (builder, attempt->repo_id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_string_value (builder, attempt->revision);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, attempt->path);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) attempt->size);
  mm_json_builder_add_string (builder, "sha256", attempt->sha256);
  mm_json_builder_add_string (builder, "etag", etag);
  mm_json_builder_add_string (builder, "boot_id", boot_id);
  add_ranges (builder, "ranges", ranges);
  add_ranges (builder, "synced", synced);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 || write (fd, text, len) != (gssize) len)
    {
      g_warning ("Could not save %s: %s", attempt->sidecar_path, g_strerror (errno));
      if (fd >= 0)
        close (fd);
      g_unlink (tmp);
      return;
    }
  close (fd);
  if (g_rename (tmp, attempt->sidecar_path) != 0)
    {
      g_warning ("Could not save %s: %s", attempt->sidecar_path, g_strerror (errno));
      g_unlink (tmp);
    }
}

/* ------------------------------------------------------------------ */
/* HTTP helpers                                                        */
/* ------------------------------------------------------------------ */

static char *
normalize_etag (const char *etag)
{
  if (etag == NULL)
    return NULL;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;

  return g_strdup (etag);
}

/* Parses "bytes START-END/TOTAL". */
static gboolean
parse_content_range (const char *value,
                     guint64    *start,
                     guint64    *end,
                     guint64    *total)
{
  char *next = NULL;

  if (value == NULL || !g_str_has_prefix (value, "bytes "))
    return FALSE;
  value += strlen ("bytes ");
  *start = g_ascii_strtoull (value, &next, 10);
  if (next == value || *next != '-')
    return FALSE;
  value = next + 1;
  *end = g_ascii_strtoull (value, &next, 10);
  if (next == value || *next != '/' || next[1] == '*')
    return FALSE;
  *total = g_ascii_strtoull (next + 1, NULL, 10);

  return *end >= *start;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* ------------------------------------------------------------------ */
/* The transfer: segments, connections, hasher                         */
/* ------------------------------------------------------------------ */

typedef struct {
  guint64 start;
  guint64 pos;      /* [start, pos) is written */
  guint64 end;      /* exclusive; shrinks when another connection takes the tail */
  gboolean busy;    /* a connection works on it */
} Segment;

typedef struct _Connection Connection;

typedef struct {
  MmDownloadAttempt *attempt;
  GMutex mutex;
  GCond cond;                   /* a checkpoint is due, URL known, a thread gone, stop */
  GCond hash_cond;              /* the written prefix grew, or stop */
  GPtrArray *segments;          /* (element-type Segment) by start; they cover [0, size) */
  GPtrArray *retired;           /* (element-type Segment) dropped, maybe still in a thread's hands */
  int fd;
  GCancellable *outer;          /* the attempt's: pause or cancel */
  GCancellable *cancellable;    /* stops every connection and the hasher */
  gulong outer_id;
  GUri *resolve_uri;

  /* The CDN URL, shared and never stored. */
  GUri *data_uri;
  guint url_generation;
  gboolean resolving;
  char *etag;

  gboolean single;              /* the server ignores Range: one stream does it all */
  Connection *streamer;
  guint max_connections;
  guint running;                /* connection threads alive */
  guint transferring;           /* connections receiving bytes now */
  guint64 done;                 /* bytes written, over all segments */
  guint64 prefix;               /* [0, prefix) is written */
  guint64 recorded;             /* done when the sidecar was last written */
  gboolean hash_stop;
  gint64 started_us;

  GError *error;                /* the first error that ends the attempt */
  gboolean discard;             /* the bytes on disk are of another version */
  GError *last_error;           /* the last transient error of a connection */
  guint retry_after;

  MmDownloadHasher hasher;      /* the hasher thread's */
  guint64 hashed;
  GError *hash_error;
} Transfer;

struct _Connection {
  Transfer *transfer;
  guint index;
  GThread *thread;
};

static void
transfer_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  Transfer *t = user_data;

  g_cancellable_cancel (t->cancellable);
  g_mutex_lock (&t->mutex);
  g_cond_broadcast (&t->cond);
  g_cond_signal (&t->hash_cond);
  g_mutex_unlock (&t->mutex);
}

static gboolean
transfer_stopped (Transfer *t)
{
  return t->error != NULL || g_cancellable_is_cancelled (t->cancellable);
}

/* Ends the attempt with @error (taken); the first one wins. Call locked. */
static void
transfer_fail_locked (Transfer *t,
                      GError   *error)
{
  if (t->error == NULL)
    t->error = error;
  else
    g_error_free (error);
  g_cond_broadcast (&t->cond);
  g_cond_signal (&t->hash_cond);
}

static void
transfer_fail (Transfer *t,
               GError   *error)
{
  g_mutex_lock (&t->mutex);
  transfer_fail_locked (t, error);
  g_mutex_unlock (&t->mutex);
  g_cancellable_cancel (t->cancellable);
}

static GError *
transient_error (Transfer   *t,
                 guint       retry_after,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);

static GError *
transient_error (Transfer   *t,
                 guint       retry_after,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, retry_after, NULL, "%s", message);
}

/* The file changed on the server: the bytes on disk are worthless. */
static void
transfer_discard (Transfer *t)
{
  g_mutex_lock (&t->mutex);
  t->discard = TRUE;
  t->attempt->transient = TRUE;
  transfer_fail_locked (t, transient_error (t, 0, _("The file “%s” changed on the server; "
                                                    "starting over."), t->attempt->path));
  g_mutex_unlock (&t->mutex);
  g_cancellable_cancel (t->cancellable);
}

/* Call locked. The first segment not complete starts where the written
 * prefix ends. */
static void
update_prefix (Transfer *t)
{
  guint64 prefix = 0;

  for (guint i = 0; i < t->segments->len; i++)
    {
      Segment *seg = g_ptr_array_index (t->segments, i);

      if (seg->start != prefix)
        break;
      prefix = seg->pos;
      if (seg->pos < seg->end)
        break;
    }
  if (prefix != t->prefix)
    {
      t->prefix = prefix;
      g_cond_signal (&t->hash_cond);
    }
}

static GArray *
written_ranges_locked (Transfer *t)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (Range));

  for (guint i = 0; i < t->segments->len; i++)
    {
      Segment *seg = g_ptr_array_index (t->segments, i);
      Range *last = ranges->len > 0 ? &g_array_index (ranges, Range, ranges->len - 1) : NULL;

      if (seg->pos == seg->start)
        continue;
      if (last != NULL && last->end == seg->start)
        last->end = seg->pos;
      else
        {
          Range range = { seg->start, seg->pos };

          g_array_append_val (ranges, range);
        }
    }

  return ranges;
}

/* Call locked. A segment for a connection: one nobody works on (the
 * earliest, so that the hashed prefix moves on), else the back half of
 * the largest range still in flight. */
static Segment *
take_work_locked (Transfer   *t,
                  Connection *conn)
{
  Segment *largest = NULL;
  Segment *seg;
  guint largest_index = 0;
  guint64 mid;

  if (transfer_stopped (t) || (t->single && t->streamer != conn))
    return NULL;
  if (t->running > t->max_connections)
    return NULL;

  for (guint i = 0; i < t->segments->len; i++)
    {
      seg = g_ptr_array_index (t->segments, i);
      if (!seg->busy && seg->pos < seg->end)
        {
          seg->busy = TRUE;
          return seg;
        }
      if (seg->busy && (largest == NULL || seg->end - seg->pos > largest->end - largest->pos))
        {
          largest = seg;
          largest_index = i;
        }
    }

  if (t->single || largest == NULL ||
      largest->end - largest->pos < 2 * MIN (t->attempt->min_segment, (guint64) STEAL_MIN))
    return NULL;

  mid = largest->pos + (largest->end - largest->pos) / 2;
  mid -= mid % SPLIT_ALIGN;
  if (mid <= largest->pos)
    return NULL;

  seg = g_new0 (Segment, 1);
  seg->start = seg->pos = mid;
  seg->end = largest->end;
  seg->busy = TRUE;
  largest->end = mid;
  g_ptr_array_insert (t->segments, (int) largest_index + 1, seg);

  return seg;
}

/* Sleeps up to @ms, or less when the transfer stops. Call locked. */
static void
transfer_sleep_locked (Transfer *t,
                       guint     ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!transfer_stopped (t) && g_get_monotonic_time () < until)
    g_cond_wait_until (&t->cond, &t->mutex, until);
}

/* What became of one request for a segment. */
typedef enum {
  FETCH_DONE,       /* the segment is complete, or was shortened and its part is done */
  FETCH_STOP,       /* the transfer stops (pause, cancel, another connection's error) */
  FETCH_RETRY,      /* a transient failure of this connection */
  FETCH_AGAIN,      /* the URL expired: ask again at once */
  FETCH_SLOW_DOWN,  /* 429 or 503: fewer connections */
} FetchResult;

/* Sends @msg; classifies a failure into *@result and returns NULL. */
static GInputStream *
send_request (Connection   *conn,
              SoupSession  *session,
              SoupMessage  *msg,
              gboolean      fresh_link,
              guint         generation,
              FetchResult  *result)
{
  Transfer *t = conn->transfer;
  MmDownloadAttempt *attempt = t->attempt;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  GInputStream *stream;
  GError *error;
  guint status;

  stream = soup_session_send (session, msg, t->cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_cancellable_is_cancelled (t->cancellable))
        {
          *result = FETCH_STOP;
          return NULL;
        }
      /* A download outlives network drops: even a refused connection or a
       * name that does not resolve (Wi-Fi gone) is retried with backoff. */
      g_mutex_lock (&t->mutex);
      g_clear_error (&t->last_error);
      t->last_error = _mm_hub_client_transport_error (attempt->client, local_error);
      g_mutex_unlock (&t->mutex);
      *result = FETCH_RETRY;
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) || SOUP_STATUS_IS_REDIRECTION (status))
    return stream;

  /* Error bodies are small; read a bounded amount for the message. */
  body = g_input_stream_read_bytes (stream, 64 * 1024, t->cancellable, NULL);
  g_input_stream_close (stream, NULL, NULL);
  g_object_unref (stream);

  if (status == SOUP_STATUS_FORBIDDEN && !same_origin (soup_message_get_uri (msg),
                                                       t->resolve_uri))
    {
      /* The CDN refused its signed URL. One the Hub has just handed out is
       * refused for good (and that is not the token's fault); one used for
       * a while has expired: the next request asks the Hub again. */
      if (fresh_link)
        {
          transfer_fail (t, g_error_new (MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_LINK_REFUSED,
                                         _("The download server refused the link to “%s” that "
                                           "the Hub had just given (HTTP 403). The part "
                                           "already downloaded is kept; try again later."),
                                         attempt->path));
          *result = FETCH_STOP;
          return NULL;
        }
      g_mutex_lock (&t->mutex);
      if (generation == t->url_generation)
        g_clear_pointer (&t->data_uri, g_uri_unref);
      g_mutex_unlock (&t->mutex);
      *result = FETCH_AGAIN;
      return NULL;
    }

  error = _mm_hub_client_error_for_file (attempt->client, msg, body, attempt->repo_id,
                                         attempt->path);
  if (!_mm_hub_client_status_is_retryable (status))
    {
      transfer_fail (t, error);
      *result = FETCH_STOP;
      return NULL;
    }

  g_mutex_lock (&t->mutex);
  g_clear_error (&t->last_error);
  t->retry_after = MAX (t->retry_after, mm_hub_error_get_retry_after (error));
  t->last_error = error;
  g_mutex_unlock (&t->mutex);
  *result = (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE) ? FETCH_SLOW_DOWN
                                                                          : FETCH_RETRY;
  return NULL;
}

/* The Hub's answer to /resolve names the version it serves now
 * (X-Linked-Etag is the LFS SHA-256, X-Linked-Size its size). When that is
 * not the version the listing promised — a branch moved on — follow the
 * Hub: verify against the new hash, never mixing its bytes with the old. */
static gboolean
upstream_version_changed (Transfer    *t,
                          SoupMessage *msg)
{
  MmDownloadAttempt *attempt = t->attempt;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *linked = normalize_etag (soup_message_headers_get_one (headers,
                                                                          "X-Linked-Etag"));
  const char *linked_size = soup_message_headers_get_one (headers, "X-Linked-Size");
  g_autofree char *sha256 = NULL;

  /* The commit the Hub answered from, for the Hugging Face cache. */
  if (mm_hf_cache_is_commit (soup_message_headers_get_one (headers, "X-Repo-Commit")))
    {
      g_mutex_lock (&t->mutex);
      if (attempt->repo_commit == NULL)
        attempt->repo_commit = g_strdup (soup_message_headers_get_one (headers,
                                                                       "X-Repo-Commit"));
      g_mutex_unlock (&t->mutex);
    }

  if (linked == NULL || attempt->sha256 == NULL)
    return FALSE;

  sha256 = g_ascii_strdown (linked[0] == '"' ? linked + 1 : linked, -1);
  if (g_str_has_suffix (sha256, "\""))
    sha256[strlen (sha256) - 1] = '\0';
  if (strlen (sha256) != 64 || g_str_equal (sha256, attempt->sha256))
    return FALSE;
  for (const char *p = sha256; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  g_debug ("%s changed upstream: %s → %s", attempt->path, attempt->sha256, sha256);
  g_mutex_lock (&t->mutex);
  g_free (attempt->sha256);
  attempt->sha256 = g_steal_pointer (&sha256);
  if (linked_size != NULL && g_ascii_strtoull (linked_size, NULL, 10) > 0)
    attempt->size = g_ascii_strtoull (linked_size, NULL, 10);
  attempt->version_changed = TRUE;
  g_mutex_unlock (&t->mutex);

  return TRUE;
}

#if !SOUP_CHECK_VERSION (3, 4, 0)
static void
offer_http1_only_cb (SoupMessage        *msg,
                     GSocketClientEvent  event,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  static const char * const http1[] = { "http/1.1", NULL };

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);
}
#endif

/* Transfers speak HTTP/1.1, each on its own connection. libsoup's HTTP/2
 * (3.2) buffers up to a 32 MB window per connection and costs a third of
 * the throughput on one connection (see tests/bench-download.sh); with a
 * connection per range, multiplexing gains nothing. MM_DOWNLOAD_HTTP2=1
 * lets the server choose again, for measurements. */
static void
use_http1 (SoupMessage *msg)
{
  if (g_getenv ("MM_DOWNLOAD_HTTP2") != NULL)
    return;
#if SOUP_CHECK_VERSION (3, 4, 0)
  soup_message_set_force_http1 (msg, TRUE);
#else
  /* No API for it before libsoup 3.4: offer only http/1.1 in the TLS
   * handshake, which libsoup announces before it starts. */
  g_signal_connect (msg, "network-event", G_CALLBACK (offer_http1_only_cb), NULL);
#endif
}

/* Asks for [@start, @end) at @uri, following redirects by hand when
 * @resolving (the token goes only to the Hub's origin). On success
 * *@final_uri is where the bytes came from. */
static GInputStream *
open_range (Connection   *conn,
            SoupSession  *session,
            GUri         *uri,
            gboolean      resolving,
            guint         generation,
            guint64       start,
            guint64       end,
            SoupMessage **out_msg,
            GUri        **final_uri,
            FetchResult  *result)
{
  Transfer *t = conn->transfer;
  g_autoptr(GUri) current = g_uri_ref (uri);

  for (guint redirects = 0; ; redirects++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      GInputStream *stream;
      GUri *next;

      msg = _mm_hub_client_new_message (t->attempt->client, SOUP_METHOD_GET, current);
      use_http1 (msg);
      soup_message_headers_set_range (soup_message_get_request_headers (msg),
                                      (goffset) start, (goffset) end - 1);
      stream = send_request (conn, session, msg, resolving, generation, result);
      if (stream == NULL)
        return NULL;

      if (resolving && redirects == 0 && upstream_version_changed (t, msg))
        {
          g_input_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
          transfer_discard (t);
          *result = FETCH_STOP;
          return NULL;
        }

      if (!SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (msg)))
        {
          *out_msg = g_steal_pointer (&msg);
          *final_uri = g_steal_pointer (&current);
          return stream;
        }

      g_input_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      next = mm_http_redirect_next (msg, redirects);
      if (next == NULL)
        {
          g_mutex_lock (&t->mutex);
          g_clear_error (&t->last_error);
          t->last_error = transient_error (t, 0, _("The Hub redirected the download of “%s” "
                                                   "to an invalid address."), t->attempt->path);
          g_mutex_unlock (&t->mutex);
          *result = FETCH_RETRY;
          return NULL;
        }
      g_uri_unref (current);
      current = next;
    }
}

/* Reads until @buffer holds @want bytes, the body ends or an error — or
 * FILL_TIME_US passed with some bytes in hand, so that a slow link still
 * writes (and shows) its bytes several times a second. Big buffers keep
 * the syscalls and the locking down on a fast one. */
#define FILL_TIME_US (50 * 1000)

static gssize
read_fill (GInputStream  *stream,
           guint8        *buffer,
           gsize          want,
           gboolean      *eof,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + FILL_TIME_US;
  gsize got = 0;

  *eof = FALSE;

  while (got < want && (got == 0 || g_get_monotonic_time () < deadline))
    {
      gssize n = g_input_stream_read (stream, buffer + got, want - got, cancellable,
                                      got == 0 ? error : NULL);

      if (n < 0)
        return got > 0 ? (gssize) got : -1;
      if (n == 0)
        {
          *eof = TRUE;
          break;
        }
      got += n;
    }

  return got;
}

static gsize
read_size (Transfer *t)
{
  MmDownloadAttempt *attempt = t->attempt;
  guint64 rate = mm_rate_limiter_get_rate (attempt->limiter);
  gsize want = CONNECTION_BUFFER;

  /* Under a limit, small reads keep the pace smooth. */
  if (rate > 0)
    want = (gsize) CLAMP (rate / 10, 16 * 1024, CONNECTION_BUFFER);
  if (attempt->shared_limiter != NULL && mm_rate_limiter_get_rate (attempt->shared_limiter) > 0)
    want = (gsize) MIN (want, CLAMP (mm_rate_limiter_get_rate (attempt->shared_limiter) / 10,
                                     16 * 1024, CONNECTION_BUFFER));
  return want;
}

/* Checks a response for @seg; FALSE when it cannot be used (result set). */
static gboolean
check_response (Connection  *conn,
                SoupMessage *msg,
                Segment     *seg,
                guint64      start,
                FetchResult *result)
{
  Transfer *t = conn->transfer;
  MmDownloadAttempt *attempt = t->attempt;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *etag = normalize_etag (soup_message_headers_get_one (headers, "ETag"));
  guint status = soup_message_get_status (msg);
  gboolean changed = FALSE;

  g_mutex_lock (&t->mutex);
  if (etag != NULL)
    {
      if (t->etag == NULL)
        t->etag = g_strdup (etag);
      else if (!g_str_equal (t->etag, etag))
        changed = TRUE;
    }
  g_mutex_unlock (&t->mutex);

  if (changed)
    {
      g_debug ("%s: ETag changed between connections", attempt->path);
      transfer_discard (t);
      *result = FETCH_STOP;
      return FALSE;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      guint64 range_start = 0, range_end = 0, total = 0;

      if (!parse_content_range (soup_message_headers_get_one (headers, "Content-Range"),
                                &range_start, &range_end, &total) ||
          range_start != start || total != attempt->size)
        {
          /* A range of something else: never splice it in. */
          transfer_discard (t);
          *result = FETCH_STOP;
          return FALSE;
        }
      return TRUE;
    }

  if (status == SOUP_STATUS_OK)
    {
      goffset length = soup_message_headers_get_content_length (headers);

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          (guint64) length != attempt->size)
        {
          transfer_fail (t, g_error_new (MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_SIZE,
                                         _("The server offers “%s” with a different size than "
                                           "the Hub lists (%" PRIu64 " instead of %" PRIu64
                                           " bytes)."),
                                         attempt->path, (guint64) length, attempt->size));
          *result = FETCH_STOP;
          return FALSE;
        }

      /* The whole file to a ranged request: the server ignores Range. This
       * connection streams it all from the start; the others stop. */
      g_mutex_lock (&t->mutex);
      if (t->single && t->streamer != conn)
        {
          g_mutex_unlock (&t->mutex);
          *result = FETCH_STOP;
          return FALSE;
        }
      if (!t->single)
        {
          g_debug ("%s: the server ignores Range; one connection from the start",
                   attempt->path);
          t->single = TRUE;
          t->streamer = conn;
          /* One segment for the whole file, the bytes on disk rewritten
           * with the same ones. The other segments may still be in their
           * connections' hands: retire them, do not free them. */
          t->done = 0;
          for (guint i = t->segments->len; i > 0; i--)
            if (g_ptr_array_index (t->segments, i - 1) != seg)
              g_ptr_array_add (t->retired, g_ptr_array_steal_index (t->segments, i - 1));
          seg->start = seg->pos = 0;
          seg->end = attempt->size;
          t->prefix = 0;
        }
      g_mutex_unlock (&t->mutex);
      return TRUE;
    }

  g_mutex_lock (&t->mutex);
  g_clear_error (&t->last_error);
  t->last_error = transient_error (t, 0, _("The server answered the download of “%s” with "
                                           "HTTP %u."), attempt->path, status);
  g_mutex_unlock (&t->mutex);
  *result = FETCH_RETRY;
  return FALSE;
}

/* Moves the bytes of @seg from one request to disk. *@moved says how many. */
static FetchResult
fetch_segment (Connection  *conn,
               SoupSession *session,
               Segment     *seg,
               guint8      *buffer,
               guint64     *moved)
{
  Transfer *t = conn->transfer;
  MmDownloadAttempt *attempt = t->attempt;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) final_uri = NULL;
  FetchResult result = FETCH_RETRY;
  gboolean resolving = FALSE;
  guint generation;
  guint64 start, end, requested_end;

  *moved = 0;

  g_mutex_lock (&t->mutex);
  while (t->data_uri == NULL && t->resolving && !transfer_stopped (t))
    g_cond_wait (&t->cond, &t->mutex);
  if (transfer_stopped (t))
    {
      g_mutex_unlock (&t->mutex);
      return FETCH_STOP;
    }
  if (t->data_uri == NULL)
    {
      t->resolving = resolving = TRUE;
      uri = g_uri_ref (t->resolve_uri);
    }
  else
    uri = g_uri_ref (t->data_uri);
  generation = t->url_generation;
  start = seg->pos;
  end = requested_end = seg->end;
  g_mutex_unlock (&t->mutex);

  stream = open_range (conn, session, uri, resolving, generation, start, end, &msg, &final_uri,
                       &result);

  if (resolving)
    {
      g_mutex_lock (&t->mutex);
      t->resolving = FALSE;
      if (stream != NULL)
        {
          g_clear_pointer (&t->data_uri, g_uri_unref);
          t->data_uri = g_uri_ref (final_uri);
          g_debug ("%s: resolved after %" G_GINT64_FORMAT " ms", t->attempt->path,
                   (g_get_monotonic_time () - t->started_us) / 1000);
          t->url_generation++;
        }
      g_cond_broadcast (&t->cond);
      g_mutex_unlock (&t->mutex);
    }
  if (stream == NULL)
    return result;

  if (!check_response (conn, msg, seg, start, &result))
    {
      g_input_stream_close (stream, NULL, NULL);
      return result;
    }

  g_mutex_lock (&t->mutex);
  t->transferring++;
  g_mutex_unlock (&t->mutex);
  progress_set_phase (attempt->progress, MM_DOWNLOAD_PHASE_DOWNLOADING);

  for (;;)
    {
      g_autoptr(GError) read_error = NULL;
      gboolean stop;
      guint64 pos;
      gsize want, written = 0;
      gboolean eof = FALSE;
      gssize n;
      int saved_errno = 0;

      g_mutex_lock (&t->mutex);
      stop = transfer_stopped (t) || (t->single && t->streamer != conn);
      pos = seg->pos;
      end = seg->end;
      g_mutex_unlock (&t->mutex);
      if (stop)
        {
          result = FETCH_STOP;
          break;
        }
      if (pos >= end)
        {
          result = FETCH_DONE;
          break;
        }

      want = (gsize) MIN ((guint64) read_size (t), end - pos);
      n = read_fill (stream, buffer, want, &eof, t->cancellable, &read_error);
      if (n > 0 && !pwrite_all (t->fd, buffer, n, pos, &written, &saved_errno))
        n = -2;
      else if (n > 0)
        written = n;

      if (written > 0)
        {
          g_mutex_lock (&t->mutex);
          if (t->single && t->streamer != conn)
            {
              /* Retired while writing: the streamer writes these bytes too. */
              g_mutex_unlock (&t->mutex);
              result = FETCH_STOP;
              break;
            }
          seg->pos += written;
          t->done += written;
          *moved += written;
          if (seg->start <= t->prefix)
            update_prefix (t);
          if (t->done - t->recorded >= CHECKPOINT_BYTES)
            g_cond_broadcast (&t->cond);
          g_mutex_unlock (&t->mutex);

          if (!mm_rate_limiter_take (attempt->limiter, written, t->cancellable) ||
              (attempt->shared_limiter != NULL &&
               !mm_rate_limiter_take (attempt->shared_limiter, written, t->cancellable)))
            {
              result = FETCH_STOP;
              break;
            }
        }

      if (n == -2)
        {
          transfer_fail (t, io_error (saved_errno, _("write"), attempt->partial_path));
          result = FETCH_STOP;
          break;
        }
      if (n < 0 || eof)
        {
          GError *error;

          if (g_cancellable_is_cancelled (t->cancellable))
            {
              result = FETCH_STOP;
              break;
            }
          if (read_error != NULL && g_error_matches (read_error, G_IO_ERROR,
                                                     G_IO_ERROR_TIMED_OUT))
            error = transient_error (t, 0, _("The download of “%s” stalled: no data for %u "
                                             "seconds."), attempt->path,
                                     attempt->stall_timeout_s);
          else if (read_error != NULL)
            error = transient_error (t, 0, _("The connection broke while downloading “%s” "
                                             "(%s)."), attempt->path, read_error->message);
          else
            error = transient_error (t, 0, _("The server closed the connection early while "
                                             "sending “%s”."), attempt->path);
          g_mutex_lock (&t->mutex);
          g_clear_error (&t->last_error);
          t->last_error = error;
          g_mutex_unlock (&t->mutex);
          result = FETCH_RETRY;
          break;
        }
    }

  g_mutex_lock (&t->mutex);
  t->transferring--;
  g_mutex_unlock (&t->mutex);

  /* A body read to its end lets libsoup keep the connection for the next
   * piece: see the end (a read of 0) before closing. A shortened range
   * leaves the rest of the body unread: that connection is closed rather
   * than drained. */
  if (result == FETCH_DONE)
    {
      g_mutex_lock (&t->mutex);
      end = seg->end;
      g_mutex_unlock (&t->mutex);
      if (end == requested_end)
        {
          guint8 extra;

          if (g_input_stream_read (stream, &extra, 1, t->cancellable, NULL) > 0)
            g_debug ("%s: the server sent more than the range asked for", attempt->path);
        }
    }
  g_input_stream_close (stream, NULL, NULL);
  return result;
}

static gpointer
connection_thread (gpointer data)
{
  Connection *conn = data;
  Transfer *t = conn->transfer;
  g_autoptr(SoupSession) session = NULL;
  g_autofree guint8 *buffer = g_malloc (CONNECTION_BUFFER);
  guint failures = 0;

  session = _mm_hub_client_new_transfer_session (t->attempt->client, t->attempt->stall_timeout_s);

  g_mutex_lock (&t->mutex);
  for (;;)
    {
      Segment *seg = take_work_locked (t, conn);
      FetchResult result;
      guint64 moved = 0;

      if (seg == NULL)
        break;
      g_mutex_unlock (&t->mutex);
      result = fetch_segment (conn, session, seg, buffer, &moved);
      g_mutex_lock (&t->mutex);
      seg->busy = FALSE;
      g_cond_broadcast (&t->cond);

      if (moved > 0)
        failures = 0;
      if (result == FETCH_DONE || result == FETCH_AGAIN)
        continue;
      if (result == FETCH_STOP)
        {
          if (transfer_stopped (t) || t->single)
            break;
          continue;
        }

      failures++;
      if (result == FETCH_SLOW_DOWN && t->max_connections > 1)
        {
          /* The server wants less of us: one connection fewer for good. */
          t->max_connections = MAX (1u, MIN (t->max_connections, t->running) - 1);
          g_debug ("%s: the server asks to slow down; %u connections",
                   t->attempt->path, t->max_connections);
        }
      /* The last connection standing hands its failure to the download,
       * which shows it and retries on its own timer; the others back off
       * here while the rest go on. */
      if (failures >= MAX_CONN_FAILURES || t->running == 1)
        break;
      transfer_sleep_locked (t, MAX (t->retry_after * 1000, 500u << failures));
    }
  t->running--;
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->mutex);

  return NULL;
}

static gpointer
hasher_thread (gpointer data)
{
  Transfer *t = data;
  g_autofree guint8 *buffer = g_malloc (HASH_BUFFER);
  guint64 from, avail;

  g_mutex_lock (&t->mutex);
  for (;;)
    {
      while (t->prefix <= t->hashed && !t->hash_stop && !transfer_stopped (t))
        g_cond_wait (&t->hash_cond, &t->mutex);
      if (t->prefix <= t->hashed || transfer_stopped (t))
        break;
      from = t->hashed;
      avail = t->prefix;
      g_mutex_unlock (&t->mutex);

      while (from < avail && !g_cancellable_is_cancelled (t->cancellable))
        {
          gssize n = pread (t->fd, buffer, (gsize) MIN ((guint64) HASH_BUFFER, avail - from),
                            (off_t) from);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              int saved_errno = n < 0 ? errno : EIO;

              g_mutex_lock (&t->mutex);
              t->hash_error = io_error (saved_errno, _("read"), t->attempt->partial_path);
              g_mutex_unlock (&t->mutex);
              g_cancellable_cancel (t->cancellable);
              break;
            }
          hasher_update (&t->hasher, buffer, n);
          from += n;
        }

      g_mutex_lock (&t->mutex);
      t->hashed = from;
      if (t->hash_error != NULL)
        break;
    }
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->mutex);

  return NULL;
}

/* ------------------------------------------------------------------ */
/* The coordinator                                                     */
/* ------------------------------------------------------------------ */

static void
add_segment (GPtrArray *segments,
             guint64    start,
             guint64    pos,
             guint64    end)
{
  Segment *seg = g_new0 (Segment, 1);

  seg->start = start;
  seg->pos = pos;
  seg->end = end;
  g_ptr_array_add (segments, seg);
}

/* How big the pieces of a file are when @connections share it: about
 * eight pieces per connection, between @min_segment and MAX_PIECE. Small
 * pieces taken in file order keep the written prefix (and so the hash)
 * close behind the connections, at most one piece per connection; big
 * ones mean fewer requests. */
#define MAX_PIECE (64 * MIB)

static guint64
piece_size (guint64 size,
            guint   connections,
            guint64 min_segment)
{
  guint64 piece = size / MAX (connections * 8u, 1u);

  piece = CLAMP (piece, min_segment, MAX ((guint64) MAX_PIECE, min_segment));
  piece -= piece % SPLIT_ALIGN;
  return MAX (piece, (guint64) SPLIT_ALIGN);
}

/* Covers [0, size) with segments: the written ranges as complete ones, the
 * gaps cut into pieces of @piece bytes (a single-connection download
 * takes each gap whole). */
static GPtrArray *
plan_segments (GArray  *written,
               guint64  size,
               guint64  piece)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func (g_free);
  guint64 at = 0;

  for (guint i = 0; i <= written->len; i++)
    {
      guint64 gap_end = i < written->len ? g_array_index (written, Range, i).start : size;

      while (at < gap_end)
        {
          /* No crumb at the end of a gap: the last piece takes it. */
          guint64 to = gap_end - at < 2 * piece ? gap_end : at + piece;

          add_segment (segments, at, at, to);
          at = to;
        }
      if (i < written->len)
        {
          add_segment (segments, g_array_index (written, Range, i).start,
                       g_array_index (written, Range, i).end,
                       g_array_index (written, Range, i).end);
          at = g_array_index (written, Range, i).end;
        }
    }

  return segments;
}

/* The destination exists with the right size: is it the right file? */
static gboolean
destination_is_complete (MmDownloadAttempt *attempt,
                         GCancellable      *cancellable)
{
  g_autoptr(GError) error = NULL;
  MmDownloadHasher hasher;
  struct stat st;
  guint64 done = 0;
  gboolean read_all;
  int fd;

  if (stat (attempt->destination, &st) != 0 || (guint64) st.st_size != attempt->size ||
      (attempt->sha256 == NULL && attempt->oid == NULL))
    return FALSE;

  progress_set_phase (attempt->progress, MM_DOWNLOAD_PHASE_VERIFYING);
  fd = open (attempt->destination, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  hasher_init (&hasher, attempt->size, attempt->sha256 == NULL);
  read_all = mm_file_hash_fd (fd, attempt->destination, &hasher, &done, NULL, NULL,
                              cancellable, &error);
  close (fd);
  if (!read_all)
    g_debug ("%s not checked: %s", attempt->destination, error->message);

  return read_all && done == attempt->size && hasher_matches (&hasher, attempt, NULL);
}

static gboolean
finish_file (Transfer  *t,
             GError   **error)
{
  MmDownloadAttempt *attempt = t->attempt;
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  g_autofree char *got = NULL;
  int dir_fd;

  progress_set_phase (attempt->progress, MM_DOWNLOAD_PHASE_VERIFYING);

  if (!hasher_matches (&t->hasher, attempt, &got))
    {
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
      if (attempt->sha256 != NULL)
        g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM,
                     _("“%s” arrived damaged: its SHA-256 checksum does not match the "
                       "Hub’s (expected %.12s…, got %.12s…). The bad data was discarded; "
                       "try again."), attempt->path, attempt->sha256, got);
      else
        g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM,
                     _("“%s” arrived damaged: its checksum does not match the Hub’s. "
                       "The bad data was discarded; try again."), attempt->path);
      return FALSE;
    }

  if (fsync (t->fd) != 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("write"), attempt->partial_path));
      return FALSE;
    }

  if (g_rename (attempt->partial_path, attempt->destination) != 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("rename"), attempt->partial_path));
      return FALSE;
    }

  /* Make the rename itself durable. */
  dir_fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  g_unlink (attempt->sidecar_path);
  return TRUE;
}

/* In the Hugging Face cache, the verified blob is linked from its snapshot
 * (the commit the Hub answered with, else the pinned revision) and the
 * ref recorded. */
gboolean
_mm_download_attempt_place_in_hf_cache (MmDownloadAttempt  *attempt,
                                        GError            **error)
{
  g_autofree char *blob_id = NULL;

  if (attempt->hf_cache_dir == NULL)
    return TRUE;
  blob_id = g_path_get_basename (attempt->destination);
  return mm_hf_cache_place (attempt->hf_cache_dir, attempt->repo_id,
                            attempt->repo_commit ? attempt->repo_commit : attempt->revision,
                            attempt->hf_ref, attempt->path, blob_id, error);
}

/* Opens and locks the partial. Returns -1 with @error set on failure. */
static int
open_partial (MmDownloadAttempt  *attempt,
              gboolean           *created,
              GError            **error)
{
  struct stat st;
  int fd;

  fd = open (attempt->partial_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("create"), attempt->partial_path));
      return -1;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_BUSY,
                     _("Another download is writing “%s” at the moment (the command line "
                       "or another window). It was left alone; try again when that one "
                       "is done."), attempt->path);
      else
        g_propagate_error (error, io_error (saved_errno, _("lock"), attempt->partial_path));
      return -1;
    }

  *created = fstat (fd, &st) == 0 && st.st_size == 0;
  return fd;
}

typedef struct {
  GArray *synced;               /* the ranges known to be on disk after a power cut */
  char *boot_id;
  gint64 last_write_us;
  gint64 last_sync_us;
  guint64 synced_done;
} Checkpoint;

static void
checkpoint_clear (Checkpoint *cp)
{
  g_clear_pointer (&cp->synced, g_array_unref);
  g_clear_pointer (&cp->boot_id, g_free);
}

/* Records the written ranges in the sidecar; with @sync, flushes the
 * partial first and records them as durable too. Call unlocked. */
static void
checkpoint (Transfer   *t,
            Checkpoint *cp,
            gboolean    sync)
{
  g_autoptr(GArray) ranges = NULL;
  g_autofree char *etag = NULL;
  guint64 done;

  g_mutex_lock (&t->mutex);
  ranges = written_ranges_locked (t);
  done = t->done;
  etag = g_strdup (t->etag);
  g_mutex_unlock (&t->mutex);

  if (sync && done != cp->synced_done)
    {
      if (fdatasync (t->fd) == 0)
        {
          g_clear_pointer (&cp->synced, g_array_unref);
          cp->synced = g_array_ref (ranges);
          cp->synced_done = done;
        }
      cp->last_sync_us = g_get_monotonic_time ();
    }

  sidecar_write (t->attempt, etag, cp->boot_id, ranges, cp->synced);
  cp->last_write_us = g_get_monotonic_time ();

  g_mutex_lock (&t->mutex);
  t->recorded = done;
  g_mutex_unlock (&t->mutex);
}

static gboolean
take_saved_hasher (MmDownloadAttempt *attempt,
                   MmDownloadHasher  *hasher,
                   guint64            prefix,
                   guint64           *hashed)
{
  MmDownloadProgress *progress = attempt->progress;
  gboolean ok;

  g_mutex_lock (&progress->mutex);
  ok = progress->hasher_valid && progress->hashed_bytes <= prefix;
  if (ok)
    {
      *hasher = progress->hasher;
      *hashed = progress->hashed_bytes;
    }
  progress->hasher_valid = FALSE;
  g_mutex_unlock (&progress->mutex);

  return ok;
}

static void
save_hasher (MmDownloadAttempt      *attempt,
             const MmDownloadHasher *hasher,
             guint64                 hashed,
             gboolean                valid)
{
  MmDownloadProgress *progress = attempt->progress;

  g_mutex_lock (&progress->mutex);
  progress->hasher_valid = valid;
  if (valid)
    {
      progress->hasher = *hasher;
      progress->hashed_bytes = hashed;
    }
  g_mutex_unlock (&progress->mutex);
}

static void
transfer_clear (Transfer *t)
{
  if (t->outer_id != 0)
    g_cancellable_disconnect (t->outer, t->outer_id);
  g_clear_object (&t->cancellable);
  g_clear_pointer (&t->segments, g_ptr_array_unref);
  g_clear_pointer (&t->retired, g_ptr_array_unref);
  g_clear_pointer (&t->resolve_uri, g_uri_unref);
  g_clear_pointer (&t->data_uri, g_uri_unref);
  g_clear_pointer (&t->etag, g_free);
  g_clear_error (&t->error);
  g_clear_error (&t->last_error);
  g_clear_error (&t->hash_error);
  g_mutex_clear (&t->mutex);
  g_cond_clear (&t->cond);
  g_cond_clear (&t->hash_cond);
}

/* Runs the connections and the hasher until the file is on disk or the
 * attempt ends. Returns whether every byte is written and hashed. */
static gboolean
transfer_run (Transfer   *t,
              Checkpoint *cp,
              guint       n_connections)
{
  MmDownloadAttempt *attempt = t->attempt;
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_free);
  GThread *hasher;

  hasher = g_thread_new ("mm-sha256", hasher_thread, t);

  g_mutex_lock (&t->mutex);
  t->running = n_connections;
  t->max_connections = n_connections;
  g_mutex_unlock (&t->mutex);
  for (guint i = 0; i < n_connections; i++)
    {
      Connection *conn = g_new0 (Connection, 1);

      conn->transfer = t;
      conn->index = i;
      conn->thread = g_thread_new ("mm-connection", connection_thread, conn);
      g_ptr_array_add (connections, conn);
    }

  g_mutex_lock (&t->mutex);
  while (t->running > 0)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean write_now, sync_now;
      guint64 done = t->done;

      progress_publish (attempt->progress, t->done, t->transferring);

      write_now = done != t->recorded &&
                  (done - t->recorded >= CHECKPOINT_BYTES ||
                   now - cp->last_write_us >= CHECKPOINT_MS * 1000);
      sync_now = write_now && now - cp->last_sync_us >= SYNC_INTERVAL_US;
      if (write_now)
        {
          g_mutex_unlock (&t->mutex);
          checkpoint (t, cp, sync_now);
          g_mutex_lock (&t->mutex);
          continue;
        }
      g_cond_wait_until (&t->cond, &t->mutex, now + TICK_US);
    }
  g_mutex_unlock (&t->mutex);

  for (guint i = 0; i < connections->len; i++)
    g_thread_join (((Connection *) g_ptr_array_index (connections, i))->thread);
  g_debug ("%s: connections done after %" G_GINT64_FORMAT " ms, %" G_GUINT64_FORMAT
           " bytes still to hash", attempt->path, (g_get_monotonic_time () - t->started_us) / 1000,
           t->done - t->hashed);

  /* Every byte is written, or nothing more will be: let the hasher finish
   * what it can, and say that it is verifying meanwhile. */
  g_mutex_lock (&t->mutex);
  if (t->done == attempt->size && t->error == NULL)
    progress_set_phase (attempt->progress, MM_DOWNLOAD_PHASE_VERIFYING);
  t->hash_stop = TRUE;
  g_cond_signal (&t->hash_cond);
  g_mutex_unlock (&t->mutex);
  g_thread_join (hasher);
  g_debug ("%s: hashed after %" G_GINT64_FORMAT " ms", attempt->path,
           (g_get_monotonic_time () - t->started_us) / 1000);

  progress_publish (attempt->progress, t->done, 0);

  return t->error == NULL && t->hash_error == NULL && t->done == attempt->size &&
         t->hashed == attempt->size;
}

void
_mm_download_attempt_run (GTask             *task,
                          MmDownloadAttempt *attempt,
                          GCancellable      *cancellable)
{
  g_auto(Sidecar) sidecar = { 0 };
  g_autoptr(GArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *resolve_url = NULL;
  Checkpoint cp = { 0 };
  Transfer t = { 0 };
  gboolean created = FALSE;
  gboolean multi;
  struct stat st;
  guint n_connections;

  /* The connection and hasher threads started below inherit it. */
  lower_priority ();
  g_mutex_init (&t.mutex);
  g_cond_init (&t.cond);
  g_cond_init (&t.hash_cond);
  t.attempt = attempt;
  t.started_us = g_get_monotonic_time ();
  t.fd = -1;
  t.outer = cancellable;
  t.cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    t.outer_id = g_cancellable_connect (cancellable, G_CALLBACK (transfer_cancelled_cb), &t,
                                        NULL);

  test_write_budget_refresh ();
  if (!prepare_destination (attempt, &error))
    goto fail;

  t.fd = open_partial (attempt, &created, &error);
  if (t.fd < 0)
    goto fail;

  if (destination_is_complete (attempt, cancellable))
    {
      /* A finished file with the right hash: nothing to download. */
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
      attempt->already_complete = TRUE;
      attempt->start_bytes = attempt->end_bytes = attempt->size;
      progress_publish (attempt->progress, attempt->size, 0);
      close (t.fd);
      transfer_clear (&t);
      if (!_mm_download_attempt_place_in_hf_cache (attempt, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Which bytes of the partial can be kept. */
  if (!created && fstat (t.fd, &st) == 0 && sidecar_read (attempt->sidecar_path, &sidecar) &&
      sidecar_describes (&sidecar, attempt->repo_id, attempt->revision, attempt->path,
                         attempt->sha256, attempt->size))
    {
      written = sidecar_trusted_ranges (&sidecar, (guint64) st.st_size);
      t.etag = g_strdup (sidecar.etag);
    }
  else
    {
      if (!created)
        g_debug ("Partial %s belongs to another version; starting over",
                 attempt->partial_path);
      written = g_array_new (FALSE, FALSE, sizeof (Range));
      if (ftruncate (t.fd, 0) != 0)
        {
          int saved_errno = errno;

          g_propagate_error (&error, io_error (saved_errno, _("write"), attempt->partial_path));
          goto fail;
        }
    }
  attempt->start_bytes = attempt->end_bytes = ranges_total (written);
  progress_publish (attempt->progress, attempt->start_bytes, 0);

  if (!check_free_space (attempt, attempt->size - attempt->start_bytes, &error) ||
      !allocate_partial (attempt, t.fd, &error))
    goto fail;

  multi = attempt->connections > 1 && attempt->size >= attempt->multi_threshold;
  n_connections = multi ? attempt->connections : 1;
  t.segments = plan_segments (written, attempt->size,
                              multi ? piece_size (attempt->size, n_connections,
                                                  attempt->min_segment)
                                    : attempt->size);
  t.retired = g_ptr_array_new_with_free_func (g_free);
  update_prefix (&t);
  for (guint i = 0; i < t.segments->len; i++)
    {
      Segment *seg = g_ptr_array_index (t.segments, i);

      t.done += seg->pos - seg->start;
    }
  t.recorded = t.done;

  /* The sidecar now says which ranges are there (the file's size no longer
   * does: it is preallocated). */
  cp.boot_id = current_boot_id ();
  cp.synced = g_array_ref (written);
  cp.synced_done = t.done;
  cp.last_sync_us = cp.last_write_us = g_get_monotonic_time ();
  sidecar_write (attempt, t.etag, cp.boot_id, written, cp.synced);

  hasher_init (&t.hasher, attempt->size, attempt->sha256 == NULL && attempt->oid != NULL);
  if (!take_saved_hasher (attempt, &t.hasher, t.prefix, &t.hashed))
    {
      hasher_init (&t.hasher, attempt->size, attempt->sha256 == NULL && attempt->oid != NULL);
      t.hashed = 0;
    }

  resolve_url = mm_hub_client_build_resolve_url (attempt->client, attempt->repo_id,
                                                 attempt->revision, attempt->path);
  t.resolve_uri = g_uri_parse (resolve_url, G_URI_FLAGS_ENCODED, &error);
  if (t.resolve_uri == NULL)
    goto fail;

  progress_set_phase (attempt->progress, t.done == attempt->size ? MM_DOWNLOAD_PHASE_VERIFYING
                                                                 : MM_DOWNLOAD_PHASE_CONNECTING);
  if (transfer_run (&t, &cp, t.done == attempt->size ? 0 : n_connections))
    {
      attempt->end_bytes = t.done;
      if (!finish_file (&t, &error) || !_mm_download_attempt_place_in_hf_cache (attempt, &error))
        goto fail;
      close (t.fd);
      checkpoint_clear (&cp);
      transfer_clear (&t);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The attempt ends with bytes to go. */
  attempt->end_bytes = t.done;
  if (t.error != NULL)
    error = g_steal_pointer (&t.error);
  else if (t.hash_error != NULL)
    error = g_steal_pointer (&t.hash_error);
  else if (g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  else
    {
      /* Every connection gave up on a transient error. */
      attempt->transient = TRUE;
      attempt->retry_after = t.retry_after;
      error = t.last_error ? g_steal_pointer (&t.last_error)
                           : transient_error (&t, 0, _("The download of “%s” stopped."),
                                              attempt->path);
    }
  attempt->retry_after = MAX (attempt->retry_after, mm_hub_error_get_retry_after (error));

  if (t.discard)
    {
      /* Another version: nothing on disk is worth keeping. */
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
      attempt->end_bytes = 0;
      progress_publish (attempt->progress, 0, 0);
      save_hasher (attempt, NULL, 0, FALSE);
    }
  else
    {
      /* Record exactly what is on disk for the next attempt, and keep the
       * running hash when it covers a prefix of it. */
      checkpoint (&t, &cp, FALSE);
      save_hasher (attempt, &t.hasher, t.hashed, t.hash_error == NULL);
    }

fail:
  if (t.fd >= 0)
    close (t.fd);
  /* A partial that was empty and still is holds nothing to resume: a
   * download the Hub refused (gated, not found) leaves no file behind. One
   * with bytes always stays, whatever went wrong. */
  if (created && attempt->end_bytes == 0 &&
      !g_error_matches (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_BUSY))
    {
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
    }
  checkpoint_clear (&cp);
  transfer_clear (&t);
  g_task_return_error (task, g_steal_pointer (&error));
}
