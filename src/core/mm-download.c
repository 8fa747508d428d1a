/* mm-download.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file from the Hub to disk, never losing a byte.
 *
 * The state machine lives on the creating thread's main context; each
 * attempt at moving bytes runs in a worker thread (g_task_run_in_thread)
 * with a private SoupSession, so reading, hashing and writing never touch
 * the main loop:
 *
 *   start → [worker] check destination, trust or discard the partial,
 *                    hash what is on disk, check free space,
 *                    GET /resolve (token) → 3xx → GET CDN (no token)
 *                    with Range + If-Range, stream: hash + write,
 *                    verify SHA-256, fsync, rename
 *         → done: COMPLETED
 *         → transient error: RETRYING on a GSource timer (exponential
 *           backoff with jitter, honouring Retry-After), then a new attempt
 *           that resumes from the bytes on disk
 *         → permanent error: FAILED, the partial kept when resumable
 *           (an attempt that began and ended without a byte removes the
 *           empty partial again, so a refused download leaves no file)
 *
 * The partial lives at <destination>.part, with a sidecar
 * <destination>.part.json that records which file (repo, revision, path,
 * size, SHA-256) and which server version (ETag) its bytes belong to. The
 * signed CDN URL is never stored: every attempt asks /resolve again.
 *
 * The worker publishes progress through atomics; a 100 ms timer on the main
 * context turns them into property notifications (≤ 10 a second), with the
 * speed smoothed over the last seconds.
 */
#define G_LOG_DOMAIN "mm-download"

#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "mm-download.h"
#include "mm-format.h"
#include "mm-hub-client-private.h"
#include "mm-hub-error.h"
#include "mm-json.h"
#include "mm-path.h"

#define TICK_MS 100
#define READ_SIZE (1024 * 1024)
#define MAX_REDIRECTS 5
#define SPACE_MARGIN (64 * 1024 * 1024)
#define MAX_BACKOFF_MS (60 * 1000)
#define SPEED_WINDOW_S 3.0

G_DEFINE_QUARK (mm-download-error-quark, mm_download_error)

/* What the worker is doing, published to the main thread. */
typedef enum {
  PHASE_CONNECTING,
  PHASE_VERIFYING,
  PHASE_DOWNLOADING,
} Phase;

typedef struct {
  struct sha256_ctx sha256;
  struct sha1_ctx git_sha1;
  gboolean use_git_sha1;
} Hasher;

/* Shared by a download and its running attempt (an atomic refcounted box):
 * the worker writes, the main thread's tick reads. It also carries the
 * running hash from one attempt to the next, so a resume in the same
 * process does not hash gigabytes on disk again. */
typedef struct {
  GMutex mutex;
  guint64 bytes;
  Phase phase;
  Hasher hasher;          /* valid when hasher_valid: covers exactly hashed_bytes */
  guint64 hashed_bytes;
  gboolean hasher_valid;
} Progress;

static void
progress_clear (Progress *progress)
{
  g_mutex_clear (&progress->mutex);
}

static Progress *
progress_new (void)
{
  Progress *progress = g_atomic_rc_box_new0 (Progress);

  g_mutex_init (&progress->mutex);
  return progress;
}

static void
progress_unref (Progress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

static void
progress_set (Progress *progress,
              guint64   bytes,
              Phase     phase)
{
  g_mutex_lock (&progress->mutex);
  progress->bytes = bytes;
  progress->phase = phase;
  g_mutex_unlock (&progress->mutex);
}

static void
progress_set_phase (Progress *progress,
                    Phase     phase)
{
  g_mutex_lock (&progress->mutex);
  progress->phase = phase;
  g_mutex_unlock (&progress->mutex);
}

static void
progress_get (Progress *progress,
              guint64  *bytes,
              Phase    *phase)
{
  g_mutex_lock (&progress->mutex);
  *bytes = progress->bytes;
  *phase = progress->phase;
  g_mutex_unlock (&progress->mutex);
}

struct _MmDownload
{
  GObject parent_instance;

  MmHubClient *client;
  MmRepoFile *file;
  MmRateLimiter *limiter;         /* this download's own limit */
  MmRateLimiter *shared_limiter;  /* (nullable) all downloads together */
  GCancellable *cancellable;      /* (nullable) the running attempt's */
  GError *error;
  char *repo_id;
  char *revision;
  char *download_dir;
  char *destination;
  char *partial_path;
  char *sidecar_path;

  Progress *progress;             /* shared with the running attempt */

  MmDownloadState state;
  guint tick_id;
  guint retry_id;
  guint countdown_id;
  guint retry_in;
  guint attempt;
  guint attempts_without_progress;
  guint max_attempts_without_progress;
  guint base_delay_ms;
  guint stall_timeout_s;

  guint64 bytes_received;
  double speed;
  gint64 last_tick_us;
  guint64 last_tick_bytes;
  gint64 active_since_us;         /* 0 when not active */
  gint64 elapsed_us;              /* accumulated before active_since_us */

  guint pause_requested : 1;
  guint cancel_requested : 1;
  guint delete_requested : 1;
  guint restart_requested : 1;
};

G_DEFINE_FINAL_TYPE (MmDownload, mm_download, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_STATE,
  PROP_BYTES_RECEIVED,
  PROP_TOTAL_BYTES,
  PROP_SPEED,
  PROP_ETA,
  PROP_ELAPSED,
  PROP_RETRY_IN,
  PROP_ATTEMPT,
  PROP_ERROR,
  PROP_DESTINATION,
  N_PROPS,
} MmDownloadProperty;

static GParamSpec *properties[N_PROPS];

/* One attempt, owned by its GTask. Everything the worker needs is copied
 * here so it never touches the MmDownload's fields. */
typedef struct {
  MmHubClient *client;            /* (owned) */
  MmRateLimiter *limiter;         /* (owned) */
  MmRateLimiter *shared_limiter;  /* (owned) (nullable) */
  char *repo_id;
  char *revision;
  char *path;
  char *sha256;                   /* (nullable) for non-LFS files */
  char *oid;                      /* (nullable) git blob id */
  char *download_dir;
  char *destination;
  char *partial_path;
  char *sidecar_path;
  Progress *progress;             /* (owned) */
  guint64 size;
  guint stall_timeout_s;

  /* Results for the main thread. */
  guint64 start_offset;
  guint64 end_offset;
  guint retry_after;
  gboolean transient;
  gboolean already_complete;
  gboolean version_changed;       /* sha256 and size now describe the Hub's new version */
  gboolean empty_partial;         /* the partial held no bytes when this attempt began */
} Attempt;

static void
attempt_free (Attempt *attempt)
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
  g_clear_pointer (&attempt->progress, progress_unref);
  g_free (attempt);
}

static void start_attempt (MmDownload *self);
static void publish_bytes (Attempt *attempt,
                           guint64  offset);
static gboolean take_saved_hasher (Attempt *attempt,
                                   Hasher  *hasher,
                                   guint64  offset);

/* ------------------------------------------------------------------ */
/* Worker side                                                         */
/* ------------------------------------------------------------------ */

static void
hasher_init (Hasher     *hasher,
             guint64     size,
             gboolean    use_git_sha1)
{
  sha256_init (&hasher->sha256);
  hasher->use_git_sha1 = use_git_sha1;
  if (use_git_sha1)
    {
      g_autofree char *header = g_strdup_printf ("blob %" G_GUINT64_FORMAT, size);

      sha1_init (&hasher->git_sha1);
      /* Git hashes "blob <size>\0" followed by the content. */
      sha1_update (&hasher->git_sha1, strlen (header) + 1, (const guint8 *) header);
    }
}

static void
hasher_update (Hasher       *hasher,
               const guint8 *data,
               gsize         len)
{
  sha256_update (&hasher->sha256, len, data);
  if (hasher->use_git_sha1)
    sha1_update (&hasher->git_sha1, len, data);
}

static char *
digest_to_hex (const guint8 *digest,
               gsize         len)
{
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", digest[i]);

  return g_string_free (hex, FALSE);
}

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
 * once that many bytes of a file have been written by this process. */
static gint64 test_write_budget = -2;

/* Read at the start of each attempt: unsetting the variable lifts the fault. */
static void
test_write_budget_refresh (void)
{
  const char *env = g_getenv ("MM_TEST_WRITE_FAIL_AFTER");

  if (env == NULL)
    test_write_budget = -1;
  else if (test_write_budget < 0)
    test_write_budget = (gint64) g_ascii_strtoull (env, NULL, 10);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           int          *saved_errno)
{

  while (len > 0)
    {
      gssize written;
      gsize chunk = len;

      if (test_write_budget >= 0)
        {
          if (test_write_budget == 0)
            {
              *saved_errno = ENOSPC;
              return FALSE;
            }
          chunk = MIN (chunk, (gsize) test_write_budget);
        }

      written = write (fd, data, chunk);
      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }
      if (test_write_budget >= 0)
        test_write_budget -= written;
      data += written;
      len -= written;
    }

  return TRUE;
}

/* Creates the folders between @download_dir and the destination one at a
 * time, refusing any component that is a symbolic link: a link planted in
 * the download folder must not make us create or write anything outside. */
static gboolean
prepare_destination (Attempt  *attempt,
                     GError  **error)
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

/* Hashes @len bytes of @fd from the start into @hasher. */
static gboolean
hash_existing (int           fd,
               guint64       len,
               Hasher       *hasher,
               GCancellable *cancellable,
               const char   *path,
               GError      **error)
{
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  guint64 done = 0;

  if (lseek (fd, 0, SEEK_SET) < 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("read"), path));
      return FALSE;
    }

  while (done < len)
    {
      gssize n = read (fd, buffer, (gsize) MIN ((guint64) READ_SIZE, len - done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          g_propagate_error (error, io_error (saved_errno, _("read"), path));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      hasher_update (hasher, buffer, n);
      done += n;
    }

  return TRUE;
}

/* Hashing runs on its own thread, one buffer behind the network and the
 * disk: SHA-256 was half of the worker's CPU time when it ran in line (see
 * tests/bench-download.sh). Buffers go to the hasher in order after they
 * were written, so when the pipe is drained the hash covers exactly the
 * bytes on disk. */
#define PIPE_BUFFERS 4

typedef struct {
  guint8 *data;
  gsize len;              /* 0 ends the hasher thread */
} Chunk;

typedef struct {
  GAsyncQueue *full;      /* chunks to hash, in order */
  GAsyncQueue *empty;     /* chunks to fill */
  GThread *thread;
  Hasher *hasher;
  Chunk chunks[PIPE_BUFFERS];
  Chunk stop;
} HashPipe;

static gpointer
hash_pipe_thread (gpointer data)
{
  HashPipe *pipe = data;

  for (;;)
    {
      Chunk *chunk = g_async_queue_pop (pipe->full);

      if (chunk->len == 0)
        break;
      hasher_update (pipe->hasher, chunk->data, chunk->len);
      g_async_queue_push (pipe->empty, chunk);
    }

  return NULL;
}

static HashPipe *
hash_pipe_new (Hasher *hasher)
{
  HashPipe *pipe = g_new0 (HashPipe, 1);

  pipe->full = g_async_queue_new ();
  pipe->empty = g_async_queue_new ();
  pipe->hasher = hasher;
  for (guint i = 0; i < PIPE_BUFFERS; i++)
    {
      pipe->chunks[i].data = g_malloc (READ_SIZE);
      g_async_queue_push (pipe->empty, &pipe->chunks[i]);
    }
  pipe->thread = g_thread_new ("mm-sha256", hash_pipe_thread, pipe);

  return pipe;
}

/* Waits for every submitted chunk to be hashed and frees the pipe. */
static void
hash_pipe_finish (HashPipe *pipe)
{
  pipe->stop.len = 0;
  g_async_queue_push (pipe->full, &pipe->stop);
  g_thread_join (pipe->thread);

  for (guint i = 0; i < PIPE_BUFFERS; i++)
    g_free (pipe->chunks[i].data);
  g_async_queue_unref (pipe->full);
  g_async_queue_unref (pipe->empty);
  g_free (pipe);
}

typedef struct {
  char *repo_id;
  char *revision;
  char *path;
  char *sha256;
  char *etag;
  guint64 size;
} Sidecar;

static void
sidecar_clear (Sidecar *sidecar)
{
  g_clear_pointer (&sidecar->repo_id, g_free);
  g_clear_pointer (&sidecar->revision, g_free);
  g_clear_pointer (&sidecar->path, g_free);
  g_clear_pointer (&sidecar->sha256, g_free);
  g_clear_pointer (&sidecar->etag, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sidecar, sidecar_clear)

static gboolean
sidecar_read (const char *path,
              Sidecar    *sidecar)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  JsonObject *object;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  root = mm_json_parse_bytes (bytes, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  sidecar->repo_id = g_strdup (mm_json_get_string (object, "repo"));
  sidecar->revision = g_strdup (mm_json_get_string (object, "revision"));
  sidecar->path = g_strdup (mm_json_get_string (object, "path"));
  sidecar->sha256 = g_strdup (mm_json_get_string (object, "sha256"));
  sidecar->etag = g_strdup (mm_json_get_string (object, "etag"));
  sidecar->size = mm_json_get_uint64 (object, "size", 0);

  return TRUE;
}

static void
sidecar_write (Attempt    *attempt,
               const char *etag)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

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
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  /* g_file_set_contents writes a temporary file and renames it: atomic. */
  if (!g_file_set_contents (attempt->sidecar_path, text, -1, &error))
    g_warning ("Could not save %s: %s", attempt->sidecar_path, error->message);
}

/* Whether the partial's bytes belong to the file we want now. */
static gboolean
sidecar_matches (const Sidecar *sidecar,
                 Attempt       *attempt)
{
  if (g_strcmp0 (sidecar->repo_id, attempt->repo_id) != 0 ||
      g_strcmp0 (sidecar->path, attempt->path) != 0 ||
      sidecar->size != attempt->size)
    return FALSE;

  /* LFS files are identified by content; others by the commit. */
  if (attempt->sha256 != NULL)
    return g_strcmp0 (sidecar->sha256, attempt->sha256) == 0;

  return g_strcmp0 (sidecar->revision, attempt->revision) == 0;
}

static guint64
free_space (const char *dir)
{
  const char *override = g_getenv ("MM_TEST_FREE_SPACE");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (override != NULL && *override != '\0')
    return g_ascii_strtoull (override, NULL, 10);

  file = g_file_new_for_path (dir);
  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return G_MAXUINT64;

  return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
}

static gboolean
check_free_space (Attempt  *attempt,
                  guint64   offset,
                  GError  **error)
{
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  guint64 needed = attempt->size - offset;
  guint64 margin = MIN ((guint64) SPACE_MARGIN, needed / 10 + 1024 * 1024);
  guint64 available = free_space (parent);

  if (available < needed + margin)
    {
      g_autofree char *needed_text = mm_format_size (needed + margin);
      g_autofree char *available_text = mm_format_size (available);

      g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_DISK_FULL,
                   _("Not enough free space for “%s”: it needs %s, and the disk has %s free."),
                   attempt->path, needed_text, available_text);
      return FALSE;
    }

  return TRUE;
}

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
                     guint64    *total)
{
  char *end = NULL;

  if (value == NULL || !g_str_has_prefix (value, "bytes "))
    return FALSE;
  value += strlen ("bytes ");
  *start = g_ascii_strtoull (value, &end, 10);
  if (end == value || *end != '-')
    return FALSE;
  end = strchr (end, '/');
  if (end == NULL || end[1] == '*')
    return FALSE;
  *total = g_ascii_strtoull (end + 1, NULL, 10);

  return TRUE;
}

static GError *
transient_error (Attempt    *attempt,
                 guint       retry_after,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);

static GError *
transient_error (Attempt    *attempt,
                 guint       retry_after,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  attempt->transient = TRUE;
  attempt->retry_after = retry_after;

  return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, retry_after, NULL, "%s", message);
}

/* Sends @msg and classifies a failure; returns the body stream on 2xx/3xx. */
static GInputStream *
send_message (Attempt       *attempt,
              SoupSession   *session,
              SoupMessage   *msg,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GInputStream *stream;
  guint status;

  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          return NULL;
        }
      /* A download outlives network drops: even a refused connection or a
       * name that does not resolve (Wi-Fi gone) is retried with backoff,
       * until too many attempts in a row make no progress. */
      attempt->transient = TRUE;
      g_propagate_error (error, _mm_hub_client_transport_error (attempt->client, local_error));
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) || SOUP_STATUS_IS_REDIRECTION (status) ||
      status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    return stream;

  {
    /* Error bodies are small JSON; read a bounded amount for the message. */
    g_autoptr(GBytes) body = g_input_stream_read_bytes (stream, 64 * 1024, cancellable, NULL);
    GError *hub_error = _mm_hub_client_error_for_file (attempt->client, msg, body,
                                                       attempt->repo_id, attempt->path);

    g_input_stream_close (stream, NULL, NULL);
    g_object_unref (stream);

    attempt->transient = _mm_hub_client_status_is_retryable (status);
    attempt->retry_after = mm_hub_error_get_retry_after (hub_error);
    g_propagate_error (error, hub_error);
  }

  return NULL;
}

static gboolean
finish_file (Attempt  *attempt,
             int       fd,
             Hasher   *hasher,
             GError  **error)
{
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  int dir_fd;

  progress_set_phase (attempt->progress, PHASE_VERIFYING);

  if (attempt->sha256 != NULL)
    {
      guint8 digest[SHA256_DIGEST_SIZE];
      g_autofree char *hex = NULL;

      sha256_digest (&hasher->sha256, sizeof digest, digest);
      hex = digest_to_hex (digest, sizeof digest);
      if (!g_str_equal (hex, attempt->sha256))
        {
          g_unlink (attempt->partial_path);
          g_unlink (attempt->sidecar_path);
          g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM,
                       _("“%s” arrived damaged: its SHA-256 checksum does not match the "
                         "Hub’s (expected %.12s…, got %.12s…). The bad data was discarded; "
                         "try again."), attempt->path, attempt->sha256, hex);
          return FALSE;
        }
    }
  else if (hasher->use_git_sha1)
    {
      guint8 digest[SHA1_DIGEST_SIZE];
      g_autofree char *hex = NULL;

      sha1_digest (&hasher->git_sha1, sizeof digest, digest);
      hex = digest_to_hex (digest, sizeof digest);
      if (g_ascii_strcasecmp (hex, attempt->oid) != 0)
        {
          g_unlink (attempt->partial_path);
          g_unlink (attempt->sidecar_path);
          g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM,
                       _("“%s” arrived damaged: its checksum does not match the Hub’s. "
                         "The bad data was discarded; try again."), attempt->path);
          return FALSE;
        }
    }

  if (fsync (fd) != 0)
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

/* The destination exists with the right size: is it the right file? */
static gboolean
destination_is_complete (Attempt      *attempt,
                         GCancellable *cancellable)
{
  struct stat st;
  Hasher hasher;
  int fd;
  gboolean ok;

  if (stat (attempt->destination, &st) != 0 || (guint64) st.st_size != attempt->size ||
      (attempt->sha256 == NULL && attempt->oid == NULL))
    return FALSE;

  progress_set_phase (attempt->progress, PHASE_VERIFYING);
  fd = open (attempt->destination, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  hasher_init (&hasher, attempt->size, attempt->sha256 == NULL);
  ok = hash_existing (fd, attempt->size, &hasher, cancellable, attempt->destination, NULL);
  close (fd);
  if (!ok)
    return FALSE;

  if (attempt->sha256 != NULL)
    {
      guint8 digest[SHA256_DIGEST_SIZE];
      g_autofree char *hex = NULL;

      sha256_digest (&hasher.sha256, sizeof digest, digest);
      hex = digest_to_hex (digest, sizeof digest);
      return g_str_equal (hex, attempt->sha256);
    }
  else
    {
      guint8 digest[SHA1_DIGEST_SIZE];
      g_autofree char *hex = NULL;

      sha1_digest (&hasher.git_sha1, sizeof digest, digest);
      hex = digest_to_hex (digest, sizeof digest);
      return g_ascii_strcasecmp (hex, attempt->oid) == 0;
    }
}

/* Opens the partial and decides how many of its bytes can be kept. */
static int
open_partial (Attempt       *attempt,
              Hasher        *hasher,
              guint64       *offset,
              char         **etag,
              GCancellable  *cancellable,
              GError       **error)
{
  g_auto(Sidecar) sidecar = { 0 };
  struct stat st;
  int fd;

  *offset = 0;
  fd = open (attempt->partial_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_propagate_error (error, io_error (saved_errno, _("create"), attempt->partial_path));
      return -1;
    }

  /* A partial without bytes (made just now, or by an attempt that got
   * nothing) is ours to remove again when nothing comes of this attempt. */
  attempt->empty_partial = fstat (fd, &st) == 0 && st.st_size == 0;
  if (!attempt->empty_partial)
    {
      if (sidecar_read (attempt->sidecar_path, &sidecar) && sidecar_matches (&sidecar, attempt) &&
          (guint64) st.st_size <= attempt->size)
        {
          *offset = st.st_size;
          *etag = g_strdup (sidecar.etag);
        }
      else
        g_debug ("Partial %s belongs to another version; starting over", attempt->partial_path);
    }

  /* Drop whatever cannot be trusted. */
  if (ftruncate (fd, (off_t) *offset) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_propagate_error (error, io_error (saved_errno, _("write"), attempt->partial_path));
      return -1;
    }

  if (*offset > 0 && !take_saved_hasher (attempt, hasher, *offset))
    {
      progress_set (attempt->progress, 0, PHASE_VERIFYING);
      if (!hash_existing (fd, *offset, hasher, cancellable, attempt->partial_path, error))
        {
          close (fd);
          return -1;
        }
    }

  if (lseek (fd, (off_t) *offset, SEEK_SET) < 0)
    {
      int saved_errno = errno;

      close (fd);
      g_propagate_error (error, io_error (saved_errno, _("write"), attempt->partial_path));
      return -1;
    }

  return fd;
}

static void
restart_from_zero (int      fd,
                   Hasher  *hasher,
                   Attempt *attempt,
                   guint64 *offset)
{
  if (ftruncate (fd, 0) == 0)
    lseek (fd, 0, SEEK_SET);
  hasher_init (hasher, attempt->size, attempt->sha256 == NULL && attempt->oid != NULL);
  *offset = 0;
  publish_bytes (attempt, 0);
}

static void
publish_bytes (Attempt *attempt,
               guint64  offset)
{
  g_mutex_lock (&attempt->progress->mutex);
  attempt->progress->bytes = offset;
  g_mutex_unlock (&attempt->progress->mutex);
}

/* Hands the running hash to the next attempt when it covers exactly the
 * bytes kept on disk. */
static void
save_hasher (Attempt      *attempt,
             const Hasher *hasher,
             guint64       offset,
             gboolean      valid)
{
  g_mutex_lock (&attempt->progress->mutex);
  attempt->progress->hasher_valid = valid;
  if (valid)
    {
      attempt->progress->hasher = *hasher;
      attempt->progress->hashed_bytes = offset;
    }
  g_mutex_unlock (&attempt->progress->mutex);
}

static gboolean
take_saved_hasher (Attempt *attempt,
                   Hasher  *hasher,
                   guint64  offset)
{
  gboolean ok;

  g_mutex_lock (&attempt->progress->mutex);
  ok = attempt->progress->hasher_valid && attempt->progress->hashed_bytes == offset;
  if (ok)
    *hasher = attempt->progress->hasher;
  attempt->progress->hasher_valid = FALSE;
  g_mutex_unlock (&attempt->progress->mutex);

  return ok;
}

/* Starts writing back each 64 MiB as soon as it is complete, so the page
 * cache does not pile up gigabytes of dirty data and the final fsync has
 * little left to do. It only starts I/O; it never waits for it. */
#define WRITEBACK_WINDOW (64 * 1024 * 1024)

static void
maybe_start_writeback (int     fd,
                       guint64 offset,
                       gsize   just_written)
{
#ifdef __linux__
  guint64 window_end = offset - offset % WRITEBACK_WINDOW;

  if (window_end > 0 && offset - just_written < window_end)
    sync_file_range (fd, (off64_t) (window_end - WRITEBACK_WINDOW), WRITEBACK_WINDOW,
                     SYNC_FILE_RANGE_WRITE);
#endif
}

/* The Hub's answer to /resolve names the version it serves now
 * (X-Linked-Etag is the LFS SHA-256, X-Linked-Size its size). When that is
 * not the version the listing promised — a branch moved on — follow the
 * Hub: verify against the new hash, and never append its bytes to a
 * partial of the old version. */
static void
follow_upstream_version (Attempt     *attempt,
                         SoupMessage *msg,
                         int          fd,
                         Hasher      *hasher,
                         guint64     *offset,
                         char       **etag)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autofree char *linked = normalize_etag (soup_message_headers_get_one (headers,
                                                                          "X-Linked-Etag"));
  const char *linked_size = soup_message_headers_get_one (headers, "X-Linked-Size");
  g_autofree char *sha256 = NULL;

  if (linked == NULL || attempt->sha256 == NULL)
    return;

  sha256 = g_ascii_strdown (linked[0] == '"' ? linked + 1 : linked, -1);
  if (g_str_has_suffix (sha256, "\""))
    sha256[strlen (sha256) - 1] = '\0';
  if (strlen (sha256) != 64 || g_str_equal (sha256, attempt->sha256))
    return;
  for (const char *p = sha256; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return;

  g_debug ("%s changed upstream: %s → %s", attempt->path, attempt->sha256, sha256);
  g_free (attempt->sha256);
  attempt->sha256 = g_steal_pointer (&sha256);
  if (linked_size != NULL && g_ascii_strtoull (linked_size, NULL, 10) > 0)
    attempt->size = g_ascii_strtoull (linked_size, NULL, 10);
  attempt->version_changed = TRUE;

  restart_from_zero (fd, hasher, attempt, offset);
  g_clear_pointer (etag, g_free);
  sidecar_write (attempt, NULL);
}

static void
attempt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *resolve_url = NULL;
  HashPipe *pipe = NULL;
  Hasher hasher;
  gboolean hasher_valid = FALSE;
  guint64 offset = 0;
  guint status;
  int fd = -1;

  test_write_budget_refresh ();
  if (!prepare_destination (attempt, &error))
    goto fail;

  if (destination_is_complete (attempt, cancellable))
    {
      /* A finished file with the right hash: nothing to download. */
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
      attempt->already_complete = TRUE;
      attempt->start_offset = attempt->end_offset = attempt->size;
      publish_bytes (attempt, attempt->size);
      g_task_return_boolean (task, TRUE);
      return;
    }

  hasher_init (&hasher, attempt->size, attempt->sha256 == NULL && attempt->oid != NULL);
  fd = open_partial (attempt, &hasher, &offset, &etag, cancellable, &error);
  if (fd < 0)
    goto fail;
  hasher_valid = TRUE;
  attempt->start_offset = attempt->end_offset = offset;
  publish_bytes (attempt, offset);

  if (!check_free_space (attempt, offset, &error))
    goto fail;

  if (offset == attempt->size)
    {
      /* Everything is here already: verify and finish. */
      if (!finish_file (attempt, fd, &hasher, &error))
        goto fail;
      close (fd);
      g_task_return_boolean (task, TRUE);
      return;
    }

  progress_set_phase (attempt->progress, PHASE_CONNECTING);
  session = _mm_hub_client_new_transfer_session (attempt->client, attempt->stall_timeout_s);
  resolve_url = mm_hub_client_build_resolve_url (attempt->client, attempt->repo_id,
                                                 attempt->revision, attempt->path);
  uri = g_uri_parse (resolve_url, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL)
    goto fail;

  /* Follow redirects by hand: the token goes only to the Hub's origin. */
  for (guint redirects = 0; ; redirects++)
    {
      SoupMessageHeaders *headers;
      const char *location;
      GUri *next;

      g_clear_object (&msg);
      msg = _mm_hub_client_new_message (attempt->client, SOUP_METHOD_GET, uri);
      headers = soup_message_get_request_headers (msg);
      if (offset > 0)
        {
          soup_message_headers_set_range (headers, (goffset) offset, -1);
          if (etag != NULL)
            soup_message_headers_replace (headers, "If-Range", etag);
        }

      stream = send_message (attempt, session, msg, cancellable, &error);
      if (stream == NULL)
        goto fail;

      status = soup_message_get_status (msg);
      if (redirects == 0)
        follow_upstream_version (attempt, msg, fd, &hasher, &offset, &etag);
      if (!SOUP_STATUS_IS_REDIRECTION (status))
        break;

      location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                               "Location");
      g_input_stream_close (stream, NULL, NULL);
      g_clear_object (&stream);
      next = location ? g_uri_parse_relative (uri, location, G_URI_FLAGS_ENCODED, NULL) : NULL;
      if (next == NULL || redirects >= MAX_REDIRECTS ||
          (g_strcmp0 (g_uri_get_scheme (next), "https") != 0 &&
           g_strcmp0 (g_uri_get_scheme (next), "http") != 0))
        {
          g_clear_pointer (&next, g_uri_unref);
          error = transient_error (attempt, 0, _("The Hub redirected the download of “%s” "
                                                 "to an invalid address."), attempt->path);
          goto fail;
        }
      g_uri_unref (uri);
      uri = next;
    }

  {
    SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
    g_autofree char *new_etag = normalize_etag (soup_message_headers_get_one (headers, "ETag"));

    if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
      {
        /* Our partial does not fit the file the server has: start over. */
        restart_from_zero (fd, &hasher, attempt, &offset);
        sidecar_write (attempt, NULL);
        error = transient_error (attempt, 0, _("The server did not accept the resume "
                                               "position; starting “%s” over."),
                                 attempt->path);
        attempt->end_offset = 0;
        goto fail;
      }

    if (status == SOUP_STATUS_PARTIAL_CONTENT)
      {
        guint64 range_start = 0, total = 0;

        if (!parse_content_range (soup_message_headers_get_one (headers, "Content-Range"),
                                  &range_start, &total) ||
            range_start != offset || total != attempt->size ||
            (etag != NULL && new_etag != NULL && !g_str_equal (etag, new_etag)))
          {
            /* A range of something else, or of another version (a server
             * that ignores If-Range): never splice; start over. */
            restart_from_zero (fd, &hasher, attempt, &offset);
            sidecar_write (attempt, NULL);
            error = transient_error (attempt, 0, _("The file “%s” changed on the server; "
                                                   "starting over."), attempt->path);
            attempt->end_offset = 0;
            goto fail;
          }
      }
    else if (offset > 0)
      {
        /* 200 to a ranged request: the server ignored Range (or If-Range
         * said the file changed). The body is the whole file. */
        g_debug ("Server ignored Range for %s; restarting from zero", attempt->path);
        restart_from_zero (fd, &hasher, attempt, &offset);
        attempt->start_offset = 0;
      }

    if (status == SOUP_STATUS_OK)
      {
        goffset length = soup_message_headers_get_content_length (headers);

        if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
            (guint64) length != attempt->size)
          {
            g_set_error (&error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_SIZE,
                         _("The server offers “%s” with a different size than the Hub lists "
                           "(%" PRIu64 " instead of %" PRIu64 " bytes)."),
                         attempt->path, (guint64) length, attempt->size);
            goto fail;
          }
      }

    sidecar_write (attempt, new_etag);
  }

  progress_set_phase (attempt->progress, PHASE_DOWNLOADING);
  pipe = hash_pipe_new (&hasher);

  while (offset < attempt->size)
    {
      g_autoptr(GError) read_error = NULL;
      guint64 rate = mm_rate_limiter_get_rate (attempt->limiter);
      gsize want = READ_SIZE;
      Chunk *chunk;
      gssize n;
      int saved_errno = 0;

      /* Under a limit, small reads keep the pace smooth. */
      if (rate > 0)
        want = (gsize) CLAMP (rate / 10, 16 * 1024, READ_SIZE);
      if (attempt->shared_limiter != NULL && mm_rate_limiter_get_rate (attempt->shared_limiter) > 0)
        want = (gsize) MIN (want, CLAMP (mm_rate_limiter_get_rate (attempt->shared_limiter) / 10,
                                         16 * 1024, READ_SIZE));
      want = (gsize) MIN ((guint64) want, attempt->size - offset);

      chunk = g_async_queue_pop (pipe->empty);
      n = g_input_stream_read (stream, chunk->data, want, cancellable, &read_error);
      if (n <= 0)
        g_async_queue_push (pipe->empty, chunk);
      if (n < 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
              goto fail;
            }
          if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            error = transient_error (attempt, 0,
                                     _("The download of “%s” stalled: no data for %u seconds."),
                                     attempt->path, attempt->stall_timeout_s);
          else
            error = transient_error (attempt, 0, _("The connection broke while downloading "
                                                   "“%s” (%s)."), attempt->path,
                                     read_error->message);
          goto fail;
        }
      if (n == 0)
        {
          error = transient_error (attempt, 0, _("The server closed the connection early while "
                                                 "sending “%s”."), attempt->path);
          goto fail;
        }

      if (!write_all (fd, chunk->data, n, &saved_errno))
        {
          g_async_queue_push (pipe->empty, chunk);
          g_propagate_error (&error, io_error (saved_errno, _("write"), attempt->partial_path));
          goto fail;
        }
      chunk->len = n;
      g_async_queue_push (pipe->full, chunk);
      offset += n;
      maybe_start_writeback (fd, offset, n);
      attempt->end_offset = offset;
      publish_bytes (attempt, offset);

      if (!mm_rate_limiter_take (attempt->limiter, n, cancellable) ||
          (attempt->shared_limiter != NULL &&
           !mm_rate_limiter_take (attempt->shared_limiter, n, cancellable)))
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          goto fail;
        }
    }

  hash_pipe_finish (g_steal_pointer (&pipe));

  /* The server must not have more to say than the file has. */
  {
    guint8 extra;
    gssize n = g_input_stream_read (stream, &extra, 1, cancellable, NULL);

    if (n > 0)
      {
        restart_from_zero (fd, &hasher, attempt, &offset);
        g_unlink (attempt->sidecar_path);
        g_set_error (&error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_SIZE,
                     _("The server sent more data for “%s” than the file has."), attempt->path);
        goto fail;
      }
  }

  g_input_stream_close (stream, NULL, NULL);
  if (!finish_file (attempt, fd, &hasher, &error))
    goto fail;

  close (fd);
  g_task_return_boolean (task, TRUE);
  return;

fail:
  if (pipe != NULL)
    hash_pipe_finish (g_steal_pointer (&pipe));
  /* The hash covers exactly the bytes kept, unless verification failed
   * and discarded them. */
  save_hasher (attempt, &hasher, offset,
               hasher_valid && fd >= 0 && offset < attempt->size &&
               !g_error_matches (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM));
  if (fd >= 0)
    {
      /* Keep exactly the bytes that were written and hashed, so the
       * partial stays consistent whatever happened mid-chunk. */
      if (g_file_test (attempt->partial_path, G_FILE_TEST_EXISTS) &&
          ftruncate (fd, (off_t) offset) != 0)
        g_debug ("Could not trim %s: %s", attempt->partial_path, g_strerror (errno));
      close (fd);
    }
  /* A partial that was empty and still is holds nothing to resume: a
   * download the Hub refused (gated, not found) leaves no file behind. One
   * with bytes always stays, whatever went wrong. */
  if (attempt->empty_partial && offset == 0)
    {
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
    }
  if (stream != NULL)
    g_input_stream_close (stream, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* ------------------------------------------------------------------ */
/* Main thread side                                                    */
/* ------------------------------------------------------------------ */

static void
set_state (MmDownload      *self,
           MmDownloadState  state)
{
  if (self->state == state)
    return;

  /* Elapsed time counts only while the download is working. */
  if (state == MM_DOWNLOAD_STATE_CONNECTING || state == MM_DOWNLOAD_STATE_DOWNLOADING ||
      state == MM_DOWNLOAD_STATE_VERIFYING || state == MM_DOWNLOAD_STATE_RETRYING)
    {
      if (self->active_since_us == 0)
        self->active_since_us = g_get_monotonic_time ();
    }
  else if (self->active_since_us != 0)
    {
      self->elapsed_us += g_get_monotonic_time () - self->active_since_us;
      self->active_since_us = 0;
    }

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (MmDownload *self,
           GError     *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_progress (MmDownload *self,
                 gboolean    final)
{
  gint64 now = g_get_monotonic_time ();
  guint64 bytes;
  Phase phase;

  progress_get (self->progress, &bytes, &phase);

  g_object_freeze_notify (G_OBJECT (self));

  if (!final && (self->state == MM_DOWNLOAD_STATE_CONNECTING ||
                 self->state == MM_DOWNLOAD_STATE_DOWNLOADING ||
                 self->state == MM_DOWNLOAD_STATE_VERIFYING))
    set_state (self, phase == PHASE_DOWNLOADING ? MM_DOWNLOAD_STATE_DOWNLOADING
                     : phase == PHASE_VERIFYING ? MM_DOWNLOAD_STATE_VERIFYING
                     : MM_DOWNLOAD_STATE_CONNECTING);

  if (self->last_tick_us > 0 && now > self->last_tick_us && phase == PHASE_DOWNLOADING &&
      bytes >= self->last_tick_bytes)
    {
      double dt = (now - self->last_tick_us) / (double) G_USEC_PER_SEC;
      double instant = (bytes - self->last_tick_bytes) / dt;
      double alpha = 1.0 - exp (-dt / SPEED_WINDOW_S);

      /* Exponential smoothing over the last few seconds: steady figures
       * without hiding a real change for long. */
      self->speed = self->speed <= 0 ? instant : self->speed + alpha * (instant - self->speed);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }
  self->last_tick_us = now;
  self->last_tick_bytes = bytes;

  if (bytes != self->bytes_received)
    {
      self->bytes_received = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);

  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  update_progress (user_data, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
stop_timers (MmDownload *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

static void
set_retry_in (MmDownload *self,
              guint       seconds)
{
  if (self->retry_in == seconds)
    return;
  self->retry_in = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_IN]);
}

static gboolean
countdown_cb (gpointer user_data)
{
  MmDownload *self = user_data;

  if (self->retry_in > 1)
    set_retry_in (self, self->retry_in - 1);

  return G_SOURCE_CONTINUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  MmDownload *self = user_data;

  self->retry_id = 0;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  set_retry_in (self, 0);
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

static void
remove_partial_files (MmDownload *self)
{
  g_unlink (self->partial_path);
  g_unlink (self->sidecar_path);

  /* The bytes are gone: say so. */
  progress_set (self->progress, 0, PHASE_CONNECTING);
  if (self->bytes_received != 0)
    {
      self->bytes_received = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
    }
}

static void
schedule_retry (MmDownload   *self,
                const GError *error,
                guint         retry_after)
{
  guint exponent = MIN (self->attempts_without_progress, 10u);
  guint64 delay_ms = (guint64) self->base_delay_ms << exponent;

  delay_ms = MIN (delay_ms, (guint64) MAX_BACKOFF_MS);
  /* Jitter spreads out many clients hitting the same outage. */
  delay_ms += g_random_int_range (0, (gint32) (delay_ms / 4 + 1));
  if (retry_after > 0)
    delay_ms = MAX (delay_ms, (guint64) retry_after * 1000);

  g_debug ("%s: retrying in %" G_GUINT64_FORMAT " ms: %s",
           mm_repo_file_get_path (self->file), delay_ms, error->message);

  set_error (self, g_error_copy (error));
  set_state (self, MM_DOWNLOAD_STATE_RETRYING);
  set_retry_in (self, (guint) ((delay_ms + 999) / 1000));
  self->retry_id = g_timeout_add ((guint) delay_ms, retry_cb, self);
  g_source_set_name_by_id (self->retry_id, "[mm] download retry");
  self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
}

static void
attempt_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MmDownload *self = MM_DOWNLOAD (source);
  Attempt *attempt = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean progressed;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
  if (attempt->version_changed)
    {
      MmRepoFile *file = mm_repo_file_new (attempt->path, attempt->size, attempt->sha256,
                                           NULL);

      g_object_unref (self->file);
      self->file = file;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_BYTES]);
    }
  update_progress (self, TRUE);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->bytes_received = attempt->size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
      if (self->error != NULL)
        set_error (self, NULL);
      self->speed = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
      set_state (self, MM_DOWNLOAD_STATE_COMPLETED);
      return;
    }

  if (self->restart_requested && !attempt->transient &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->restart_requested = FALSE;
      start_attempt (self);
      return;
    }
  self->restart_requested = FALSE;

  if (self->cancel_requested)
    {
      if (self->delete_requested)
        remove_partial_files (self);
      set_state (self, MM_DOWNLOAD_STATE_CANCELLED);
      return;
    }

  if (self->pause_requested || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->speed = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
      set_state (self, MM_DOWNLOAD_STATE_PAUSED);
      return;
    }

  if (!attempt->transient)
    {
      /* A damaged file was discarded by the worker. */
      if (g_error_matches (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM))
        remove_partial_files (self);
      set_error (self, g_steal_pointer (&error));
      set_state (self, MM_DOWNLOAD_STATE_FAILED);
      return;
    }

  /* Keep going while each attempt makes progress; give up only after a
   * run of attempts that moved nothing. */
  progressed = attempt->end_offset > attempt->start_offset;
  if (progressed)
    self->attempts_without_progress = 0;
  else
    self->attempts_without_progress++;

  if (self->attempts_without_progress >= self->max_attempts_without_progress)
    {
      set_error (self, g_error_new (MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_GAVE_UP,
                                    _("Gave up on “%s” after %u attempts without progress. "
                                      "The part already downloaded is kept. Last error: %s"),
                                    mm_repo_file_get_path (self->file),
                                    self->attempts_without_progress, error->message));
      set_state (self, MM_DOWNLOAD_STATE_FAILED);
      return;
    }

  schedule_retry (self, error, attempt->retry_after);
}

static gboolean
release_task_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static gpointer
attempt_thread_func (gpointer data)
{
  GTask *task = data;
  GSource *source;

  attempt_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                  g_task_get_cancellable (task));

  /* Drop the thread's reference on the download's own main context: if it
   * is the last one, the MmDownload must be finalized there, not here. */
  source = g_idle_source_new ();
  g_source_set_callback (source, release_task_cb, task, NULL);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);

  return NULL;
}

static void
start_attempt (MmDownload *self)
{
  g_autoptr(GTask) task = NULL;
  Attempt *attempt;

  self->pause_requested = FALSE;
  self->cancel_requested = FALSE;
  self->delete_requested = FALSE;
  self->attempt++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);

  attempt = g_new0 (Attempt, 1);
  attempt->client = g_object_ref (self->client);
  attempt->limiter = g_object_ref (self->limiter);
  attempt->shared_limiter = self->shared_limiter ? g_object_ref (self->shared_limiter) : NULL;
  attempt->repo_id = g_strdup (self->repo_id);
  attempt->revision = g_strdup (self->revision);
  attempt->path = g_strdup (mm_repo_file_get_path (self->file));
  attempt->sha256 = g_strdup (mm_repo_file_get_sha256 (self->file));
  attempt->oid = g_strdup (mm_repo_file_get_oid (self->file));
  attempt->download_dir = g_strdup (self->download_dir);
  attempt->destination = g_strdup (self->destination);
  attempt->partial_path = g_strdup (self->partial_path);
  attempt->sidecar_path = g_strdup (self->sidecar_path);
  attempt->size = mm_repo_file_get_size (self->file);
  attempt->stall_timeout_s = self->stall_timeout_s;
  attempt->progress = g_atomic_rc_box_acquire (self->progress);

  progress_set_phase (self->progress, PHASE_CONNECTING);
  self->cancellable = g_cancellable_new ();
  self->last_tick_us = 0;
  set_state (self, MM_DOWNLOAD_STATE_CONNECTING);

  task = g_task_new (self, self->cancellable, attempt_done_cb, NULL);
  g_task_set_source_tag (task, start_attempt);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);
  /* The attempt reports cancellation itself, after trimming the partial. */
  g_task_set_check_cancellable (task, FALSE);
  /* A transfer can take hours: give it its own thread rather than one of
   * GTask's shared pool, which other GIO users need. */
  g_thread_unref (g_thread_new ("mm-download", attempt_thread_func, g_steal_pointer (&task)));

  self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
  g_source_set_name_by_id (self->tick_id, "[mm] download progress");
}

static void
mm_download_dispose (GObject *object)
{
  MmDownload *self = MM_DOWNLOAD (object);

  stop_timers (self);
  if (self->cancellable != NULL)
    {
      self->pause_requested = TRUE;
      g_cancellable_cancel (self->cancellable);
    }

  G_OBJECT_CLASS (mm_download_parent_class)->dispose (object);
}

static void
mm_download_finalize (GObject *object)
{
  MmDownload *self = MM_DOWNLOAD (object);

  g_clear_object (&self->client);
  g_clear_object (&self->file);
  g_clear_object (&self->limiter);
  g_clear_object (&self->shared_limiter);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_pointer (&self->progress, progress_unref);
  g_free (self->repo_id);
  g_free (self->revision);
  g_free (self->download_dir);
  g_free (self->destination);
  g_free (self->partial_path);
  g_free (self->sidecar_path);

  G_OBJECT_CLASS (mm_download_parent_class)->finalize (object);
}

static void
mm_download_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MmDownload *self = MM_DOWNLOAD (object);

  switch ((MmDownloadProperty) prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case PROP_TOTAL_BYTES:
      g_value_set_uint64 (value, mm_download_get_total_bytes (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, mm_download_get_eta (self));
      break;
    case PROP_ELAPSED:
      g_value_set_int64 (value, mm_download_get_elapsed (self));
      break;
    case PROP_RETRY_IN:
      g_value_set_uint (value, self->retry_in);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_DESTINATION:
      g_value_set_string (value, self->destination);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_class_init (MmDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_download_dispose;
  object_class->finalize = mm_download_finalize;
  object_class->get_property = mm_download_get_property;

  /** MmDownload:state: an #MmDownloadState */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, MM_DOWNLOAD_STATE_IDLE, MM_DOWNLOAD_STATE_CANCELLED,
                      MM_DOWNLOAD_STATE_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:bytes-received: bytes of the file on disk (or hashed, while verifying) */
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:total-bytes: the file's size */
  properties[PROP_TOTAL_BYTES] =
    g_param_spec_uint64 ("total-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:speed: bytes per second, smoothed over the last seconds */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:eta: seconds left at the current speed, -1 when unknown */
  properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:elapsed: seconds spent working on the file (pauses excluded) */
  properties[PROP_ELAPSED] =
    g_param_spec_int64 ("elapsed", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:retry-in: seconds until the next attempt while retrying */
  properties[PROP_RETRY_IN] =
    g_param_spec_uint ("retry-in", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:attempt: how many attempts were started */
  properties[PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:error: (nullable): why it failed, or the last transient error while retrying */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:destination: where the finished file goes */
  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_download_init (MmDownload *self)
{
  self->limiter = mm_rate_limiter_new (0);
  self->progress = progress_new ();
  self->max_attempts_without_progress = 6;
  self->base_delay_ms = 1000;
  self->stall_timeout_s = 30;
}

/**
 * mm_download_build_destination:
 * @download_dir: the download folder
 * @repo_id: `owner/name`
 * @path: the file's path inside the repository
 * @error: return location for a %MM_DOWNLOAD_ERROR_UNSAFE_PATH error
 *
 * Returns: (transfer full) (nullable): `download_dir/owner/name/path`, or
 *   %NULL when the repo id or the path is not safe
 */
char *
mm_download_build_destination (const char  *download_dir,
                               const char  *repo_id,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) parts = NULL;

  if (!mm_repo_id_validate (repo_id, &local_error) ||
      !mm_path_validate (path, &local_error))
    {
      g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                   _("“%s” will not be downloaded: %s"), path ? path : "", local_error->message);
      return NULL;
    }

  parts = g_strsplit (repo_id, "/", 2);
  return g_build_filename (download_dir, parts[0], parts[1], path, NULL);
}

/**
 * mm_download_new:
 * @client: the Hub client (endpoint, token)
 * @repo_id: `owner/name`
 * @revision: (nullable): the commit to download from; pass the model's
 *   commit so all files of a quantization come from the same one; %NULL
 *   for `main`
 * @file: the file, with its size and SHA-256 from the Hub's listing
 * @download_dir: the download folder; the file goes to
 *   `download_dir/owner/name/path`
 * @error: return location for a %MM_DOWNLOAD_ERROR_UNSAFE_PATH error
 *
 * Returns: (transfer full) (nullable): an idle download; call mm_download_start()
 */
MmDownload *
mm_download_new (MmHubClient  *client,
                 const char   *repo_id,
                 const char   *revision,
                 MmRepoFile   *file,
                 const char   *download_dir,
                 GError      **error)
{
  g_autofree char *destination = NULL;
  MmDownload *self;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (MM_IS_REPO_FILE (file), NULL);
  g_return_val_if_fail (download_dir != NULL, NULL);

  destination = mm_download_build_destination (download_dir, repo_id,
                                               mm_repo_file_get_path (file), error);
  if (destination == NULL)
    return NULL;

  self = g_object_new (MM_TYPE_DOWNLOAD, NULL);
  self->client = g_object_ref (client);
  self->file = g_object_ref (file);
  self->repo_id = g_strdup (repo_id);
  self->revision = g_strdup (revision ? revision : "main");
  self->download_dir = g_strdup (download_dir);
  self->destination = g_steal_pointer (&destination);
  self->partial_path = g_strconcat (self->destination, ".part", NULL);
  self->sidecar_path = g_strconcat (self->destination, ".part.json", NULL);

  return self;
}

static gboolean
is_active (MmDownload *self)
{
  return self->cancellable != NULL || self->retry_id != 0;
}

/**
 * mm_download_start:
 *
 * Starts the download, or resumes it after a pause or a failure, from the
 * bytes already on disk. Does nothing while it is already running.
 */
void
mm_download_start (MmDownload *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  if (self->cancellable != NULL)
    {
      /* A pause or cancel that has not landed yet: the attempt is already
       * stopping, so start a fresh one as soon as it has. */
      if (g_cancellable_is_cancelled (self->cancellable))
        {
          self->restart_requested = TRUE;
          self->pause_requested = FALSE;
          self->cancel_requested = FALSE;
          self->delete_requested = FALSE;
        }
      return;
    }

  if (self->retry_id != 0)
    {
      /* Retry now instead of waiting. */
      g_clear_handle_id (&self->retry_id, g_source_remove);
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      set_retry_in (self, 0);
    }

  if (self->state == MM_DOWNLOAD_STATE_COMPLETED)
    return;

  if (self->state == MM_DOWNLOAD_STATE_FAILED || self->state == MM_DOWNLOAD_STATE_CANCELLED)
    self->attempts_without_progress = 0;
  if (self->error != NULL)
    set_error (self, NULL);

  start_attempt (self);
}

/**
 * mm_download_pause:
 *
 * Stops the transfer and keeps the partial file; mm_download_start() resumes.
 */
void
mm_download_pause (MmDownload *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  if (self->cancellable != NULL)
    {
      self->pause_requested = TRUE;
      g_cancellable_cancel (self->cancellable);
      return;
    }

  if (self->retry_id != 0)
    {
      stop_timers (self);
      set_retry_in (self, 0);
      set_state (self, MM_DOWNLOAD_STATE_PAUSED);
    }
}

/**
 * mm_download_cancel:
 * @delete_partial: whether to delete the bytes downloaded so far
 *
 * Stops the download for good. The partial file is deleted only when
 * @delete_partial is %TRUE.
 */
void
mm_download_cancel (MmDownload *self,
                    gboolean    delete_partial)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  if (self->state == MM_DOWNLOAD_STATE_COMPLETED)
    return;

  if (self->cancellable != NULL)
    {
      self->cancel_requested = TRUE;
      self->delete_requested = delete_partial;
      g_cancellable_cancel (self->cancellable);
      return;
    }

  stop_timers (self);
  set_retry_in (self, 0);
  if (delete_partial)
    remove_partial_files (self);
  set_state (self, MM_DOWNLOAD_STATE_CANCELLED);
}

MmDownloadState
mm_download_get_state (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), MM_DOWNLOAD_STATE_IDLE);
  return self->state;
}

/**
 * mm_download_is_finished:
 *
 * Returns: whether the download is completed, failed or cancelled and no
 *   attempt or retry is pending
 */
gboolean
mm_download_is_finished (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), FALSE);

  return !is_active (self) &&
         (self->state == MM_DOWNLOAD_STATE_COMPLETED || self->state == MM_DOWNLOAD_STATE_FAILED ||
          self->state == MM_DOWNLOAD_STATE_CANCELLED);
}

const char *
mm_download_get_repo_id (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->repo_id;
}

const char *
mm_download_get_revision (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->revision;
}

/**
 * mm_download_get_file:
 * Returns: (transfer none): the file being downloaded
 */
MmRepoFile *
mm_download_get_file (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->file;
}

const char *
mm_download_get_destination (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->destination;
}

const char *
mm_download_get_partial_path (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->partial_path;
}

guint64
mm_download_get_bytes_received (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return self->bytes_received;
}

guint64
mm_download_get_total_bytes (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return mm_repo_file_get_size (self->file);
}

double
mm_download_get_speed (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return self->speed;
}

/**
 * mm_download_get_eta:
 * Returns: seconds left at the current speed, or -1 when unknown
 */
gint64
mm_download_get_eta (MmDownload *self)
{
  guint64 total;

  g_return_val_if_fail (MM_IS_DOWNLOAD (self), -1);

  total = mm_download_get_total_bytes (self);
  if (self->state != MM_DOWNLOAD_STATE_DOWNLOADING || self->speed < 1.0 ||
      self->bytes_received > total)
    return -1;

  return (gint64) ceil ((total - self->bytes_received) / self->speed);
}

/**
 * mm_download_get_elapsed:
 * Returns: seconds spent working on this file, pauses excluded
 */
gint64
mm_download_get_elapsed (MmDownload *self)
{
  gint64 us;

  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);

  us = self->elapsed_us;
  if (self->active_since_us != 0)
    us += g_get_monotonic_time () - self->active_since_us;

  return us / G_USEC_PER_SEC;
}

guint
mm_download_get_retry_in (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return self->retry_in;
}

guint
mm_download_get_attempt (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return self->attempt;
}

/**
 * mm_download_get_error:
 * Returns: (nullable) (transfer none): why the download failed, or the
 *   last transient error while it is retrying
 */
const GError *
mm_download_get_error (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->error;
}

/**
 * mm_download_get_client:
 *
 * Returns: (transfer none): the Hub client the next attempt uses
 */
MmHubClient *
mm_download_get_client (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);
  return self->client;
}

/**
 * mm_download_set_client:
 * @client: the Hub client (endpoint, token) for the next attempts
 *
 * Replaces the client, say after the user added an access token. A running
 * attempt finishes with the client it started with; every later attempt
 * (a retry, a resume, a retry timer that fires) uses @client.
 */
void
mm_download_set_client (MmDownload  *self,
                        MmHubClient *client)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));

  g_set_object (&self->client, client);
}

/**
 * mm_download_set_rate_limit:
 * @bytes_per_second: the limit for this download, 0 for none
 */
void
mm_download_set_rate_limit (MmDownload *self,
                            guint64     bytes_per_second)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  mm_rate_limiter_set_rate (self->limiter, bytes_per_second);
}

/**
 * mm_download_set_shared_limiter:
 * @limiter: (nullable): a limit shared by several downloads
 *
 * Takes effect at the next attempt.
 */
void
mm_download_set_shared_limiter (MmDownload    *self,
                                MmRateLimiter *limiter)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  g_set_object (&self->shared_limiter, limiter);
}

/**
 * mm_download_set_retry_policy:
 * @max_attempts_without_progress: give up after this many attempts in a
 *   row that moved no bytes
 * @base_delay_ms: the first backoff delay; it doubles each time
 * @stall_timeout_s: seconds without any byte before an attempt counts as stalled
 */
void
mm_download_set_retry_policy (MmDownload *self,
                              guint       max_attempts_without_progress,
                              guint       base_delay_ms,
                              guint       stall_timeout_s)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  self->max_attempts_without_progress = MAX (max_attempts_without_progress, 1u);
  self->base_delay_ms = base_delay_ms;
  self->stall_timeout_s = MAX (stall_timeout_s, 1u);
}
