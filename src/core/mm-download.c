/* mm-download.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file from the Hub to disk, never losing a byte: the state machine.
 *
 * It lives on the creating thread's main context. Each attempt at moving
 * bytes runs in a thread of its own (mm-download-attempt.c: many
 * connections, in-place writes, a hasher following the written prefix),
 * so reading, hashing and writing never touch the main loop:
 *
 *   start → attempt → done: COMPLETED
 *                   → transient error: RETRYING on a GSource timer
 *                     (exponential backoff with jitter, honouring
 *                     Retry-After), then a new attempt that resumes from
 *                     the bytes on disk
 *                   → permanent error: FAILED, the partial kept when
 *                     resumable
 *
 * The attempt owns the bytes on disk and publishes them through an
 * MmDownloadProgress; this side owns the state, pause, cancel and retries.
 * The time spent is the item's (mm-download-item.c), which spans its files
 * and leaves out the waits. A 100 ms timer turns the published figures into
 * property notifications (≤ 10 a second), with the speed smoothed over the
 * last seconds.
 */
#define G_LOG_DOMAIN "mm-download"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mm-download.h"
#include "mm-download-private.h"
#include "mm-hf-cache.h"
#include "mm-download-reuse-private.h"
#include "mm-hub-error.h"
#include "mm-path.h"

#define TICK_MS 100
#define MAX_BACKOFF_MS (60 * 1000)
#define SPEED_WINDOW_S 3.0
#define DEFAULT_CONNECTIONS 8
#define DEFAULT_MULTI_THRESHOLD (64 * 1024 * 1024)
#define DEFAULT_MIN_SEGMENT (4 * 1024 * 1024)

G_DEFINE_QUARK (mm-download-error-quark, mm_download_error)

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
  char *hf_cache_dir;             /* (nullable) the destination is a blob of this cache */
  char *hf_ref;                   /* (nullable) the ref to record there */

  MmDownloadProgress *progress;   /* shared with the running attempt */

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
  guint max_connections;
  guint connections;              /* in use now */
  guint64 multi_threshold;
  guint64 min_segment;

  guint64 bytes_received;
  double speed;
  gint64 last_tick_us;
  guint64 last_tick_bytes;

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
  PROP_RETRY_IN,
  PROP_ATTEMPT,
  PROP_CONNECTIONS,
  PROP_ERROR,
  PROP_DESTINATION,
  N_PROPS,
} MmDownloadProperty;

static GParamSpec *properties[N_PROPS];

static void start_attempt (MmDownload *self);

/* ------------------------------------------------------------------ */
/* Main thread side                                                    */
/* ------------------------------------------------------------------ */

static void
set_state (MmDownload      *self,
           MmDownloadState  state)
{
  if (self->state == state)
    return;

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
  guint connections;
  MmDownloadPhase phase;

  _mm_download_progress_get (self->progress, &bytes, &phase, &connections);

  g_object_freeze_notify (G_OBJECT (self));

  if (!final && (self->state == MM_DOWNLOAD_STATE_CONNECTING ||
                 self->state == MM_DOWNLOAD_STATE_DOWNLOADING ||
                 self->state == MM_DOWNLOAD_STATE_VERIFYING))
    set_state (self, phase == MM_DOWNLOAD_PHASE_DOWNLOADING ? MM_DOWNLOAD_STATE_DOWNLOADING
                     : phase == MM_DOWNLOAD_PHASE_VERIFYING ? MM_DOWNLOAD_STATE_VERIFYING
                     : MM_DOWNLOAD_STATE_CONNECTING);

  if (self->last_tick_us > 0 && now > self->last_tick_us && phase == MM_DOWNLOAD_PHASE_DOWNLOADING &&
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
  if (final)
    connections = 0;
  if (connections != self->connections)
    {
      self->connections = connections;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
    }

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
  _mm_download_progress_set (self->progress, 0, MM_DOWNLOAD_PHASE_CONNECTING);
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

/* In the Hugging Face cache the file is the blob named @blob_id, written
 * as ID.incomplete, with our resume record hidden beside it. */
static void
set_hf_cache_paths (MmDownload *self,
                    const char *blob_id)
{
  g_autofree char *folder = NULL;
  g_autofree char *hidden = NULL;

  g_free (self->destination);
  g_free (self->partial_path);
  g_free (self->sidecar_path);
  self->destination = mm_hf_cache_blob_path (self->hf_cache_dir, self->repo_id, blob_id);
  self->partial_path = g_strconcat (self->destination, ".incomplete", NULL);
  folder = g_path_get_dirname (self->destination);
  hidden = g_strconcat (".", blob_id, ".mm-resume.json", NULL);
  self->sidecar_path = g_build_filename (folder, hidden, NULL);
}

static void
attempt_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MmDownload *self = MM_DOWNLOAD (source);
  MmDownloadAttempt *attempt = g_task_get_task_data (G_TASK (result));
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
      /* In the Hugging Face cache the new version is another blob. */
      if (self->hf_cache_dir != NULL && attempt->sha256 != NULL)
        {
          set_hf_cache_paths (self, attempt->sha256);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
        }
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
  progressed = attempt->end_bytes > attempt->start_bytes;
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

  /* A copy of the same bytes already on disk, when there is one. */
  if (!_mm_download_reuse_run (task, g_task_get_task_data (task), g_task_get_cancellable (task)))
    _mm_download_attempt_run (task, g_task_get_task_data (task), g_task_get_cancellable (task));

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
  MmDownloadAttempt *attempt;

  self->pause_requested = FALSE;
  self->cancel_requested = FALSE;
  self->delete_requested = FALSE;
  self->attempt++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPT]);

  attempt = g_new0 (MmDownloadAttempt, 1);
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
  attempt->hf_cache_dir = g_strdup (self->hf_cache_dir);
  attempt->hf_ref = g_strdup (self->hf_ref);
  attempt->size = mm_repo_file_get_size (self->file);
  attempt->stall_timeout_s = self->stall_timeout_s;
  attempt->progress = _mm_download_progress_ref (self->progress);
  attempt->connections = self->max_connections;
  attempt->multi_threshold = self->multi_threshold;
  attempt->min_segment = self->min_segment;

  _mm_download_progress_set (self->progress, self->bytes_received,
                             MM_DOWNLOAD_PHASE_CONNECTING);
  self->cancellable = g_cancellable_new ();
  self->last_tick_us = 0;
  set_state (self, MM_DOWNLOAD_STATE_CONNECTING);

  task = g_task_new (self, self->cancellable, attempt_done_cb, NULL);
  g_task_set_source_tag (task, start_attempt);
  g_task_set_task_data (task, attempt, (GDestroyNotify) _mm_download_attempt_free);
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
  g_clear_pointer (&self->progress, _mm_download_progress_unref);
  g_free (self->repo_id);
  g_free (self->revision);
  g_free (self->download_dir);
  g_free (self->destination);
  g_free (self->partial_path);
  g_free (self->sidecar_path);
  g_free (self->hf_cache_dir);
  g_free (self->hf_ref);

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
    case PROP_RETRY_IN:
      g_value_set_uint (value, self->retry_in);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint (value, self->connections);
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
  /** MmDownload:retry-in: seconds until the next attempt while retrying */
  properties[PROP_RETRY_IN] =
    g_param_spec_uint ("retry-in", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:attempt: how many attempts were started */
  properties[PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownload:connections: how many connections are moving bytes now */
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 0, G_MAXUINT, 0,
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
  self->progress = _mm_download_progress_new ();
  self->max_connections = DEFAULT_CONNECTIONS;
  self->multi_threshold = DEFAULT_MULTI_THRESHOLD;
  self->min_segment = DEFAULT_MIN_SEGMENT;
  /* For tests of other programs (the CLI): MM_TEST_MIN_SEGMENT=<bytes>
   * splits files of any size down to that size. */
  if (g_getenv ("MM_TEST_MIN_SEGMENT") != NULL)
    _mm_download_set_segmenting (self, 0, g_ascii_strtoull (g_getenv ("MM_TEST_MIN_SEGMENT"),
                                                            NULL, 10));
  self->max_attempts_without_progress = 6;
  self->base_delay_ms = 1000;
  self->stall_timeout_s = 30;
  /* For tests of other programs and of the manager:
   * MM_TEST_RETRY_POLICY=<attempts>,<base delay ms>,<stall timeout s>. */
  if (g_getenv ("MM_TEST_RETRY_POLICY") != NULL)
    {
      g_auto(GStrv) policy = g_strsplit (g_getenv ("MM_TEST_RETRY_POLICY"), ",", 3);

      if (g_strv_length (policy) == 3)
        _mm_download_set_retry_policy (self, (guint) g_ascii_strtoull (policy[0], NULL, 10),
                                       (guint) g_ascii_strtoull (policy[1], NULL, 10),
                                       (guint) g_ascii_strtoull (policy[2], NULL, 10));
    }
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
  /* What a previous run left on disk, before any attempt. */
  self->bytes_received = _mm_download_partial_bytes (self->partial_path, self->sidecar_path,
                                                     self->repo_id, self->revision,
                                                     mm_repo_file_get_path (file),
                                                     mm_repo_file_get_sha256 (file),
                                                     mm_repo_file_get_size (file));

  return self;
}

/**
 * mm_download_new_in_hf_cache:
 * @client: the Hub client (endpoint, token)
 * @repo_id: `owner/name`
 * @revision: the commit to download from (the model's)
 * @ref: (nullable): the branch @revision was listed from ("main"), recorded
 *   as `refs/REF` in the cache; %NULL records none
 * @file: the file, with its size and SHA-256 (or git blob id)
 * @cache_dir: the Hugging Face cache (see mm_hf_cache_dup_dir())
 * @error: return location for a %MM_DOWNLOAD_ERROR_UNSAFE_PATH error
 *
 * Like mm_download_new(), but the file is saved the way the Hub's own
 * clients save it (see mm-hf-cache.c): the bytes go to `blobs/ID.incomplete`
 * and then `blobs/ID`, and once they are verified the snapshot's symlink
 * and the ref are made. The destination is the blob.
 *
 * Returns: (transfer full) (nullable): an idle download; call mm_download_start()
 */
MmDownload *
mm_download_new_in_hf_cache (MmHubClient  *client,
                             const char   *repo_id,
                             const char   *revision,
                             const char   *ref,
                             MmRepoFile   *file,
                             const char   *cache_dir,
                             GError      **error)
{
  g_autofree char *checked = NULL;
  const char *blob_id;
  MmDownload *self;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (MM_IS_REPO_FILE (file), NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  checked = mm_download_build_destination (cache_dir, repo_id, mm_repo_file_get_path (file),
                                           error);
  if (checked == NULL)
    return NULL;

  blob_id = mm_repo_file_get_sha256 (file) ? mm_repo_file_get_sha256 (file)
                                           : mm_repo_file_get_oid (file);
  if (!mm_hf_cache_is_blob_id (blob_id) || !mm_hf_cache_is_commit (revision))
    {
      g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                   _("“%s” cannot be saved in the Hugging Face cache: the Hub did not give "
                     "its checksum and commit."), mm_repo_file_get_path (file));
      return NULL;
    }

  self = g_object_new (MM_TYPE_DOWNLOAD, NULL);
  self->client = g_object_ref (client);
  self->file = g_object_ref (file);
  self->repo_id = g_strdup (repo_id);
  self->revision = g_strdup (revision);
  self->download_dir = g_strdup (cache_dir);
  self->hf_cache_dir = g_strdup (cache_dir);
  self->hf_ref = g_strdup (ref);
  set_hf_cache_paths (self, blob_id);
  self->bytes_received = _mm_download_partial_bytes (self->partial_path, self->sidecar_path,
                                                     self->repo_id, self->revision,
                                                     mm_repo_file_get_path (file),
                                                     mm_repo_file_get_sha256 (file),
                                                     mm_repo_file_get_size (file));

  return self;
}

/**
 * _mm_download_get_hf_cache_dir:
 *
 * Returns: (nullable): the Hugging Face cache the file is saved in, or
 *   %NULL for a download folder
 */
const char *
_mm_download_get_hf_cache_dir (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);

  return self->hf_cache_dir;
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

  /* A start after a stop (a person's resume, the network coming back)
   * counts attempts afresh. */
  if (self->state == MM_DOWNLOAD_STATE_FAILED || self->state == MM_DOWNLOAD_STATE_CANCELLED ||
      self->state == MM_DOWNLOAD_STATE_PAUSED)
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
 * mm_download_get_connections:
 * Returns: how many connections are moving bytes now (0 when none)
 */
guint
mm_download_get_connections (MmDownload *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD (self), 0);
  return self->connections;
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
 * _mm_download_set_rate_limit:
 * @bytes_per_second: the limit for this download, 0 for none
 */
void
_mm_download_set_rate_limit (MmDownload *self,
                             guint64     bytes_per_second)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  mm_rate_limiter_set_rate (self->limiter, bytes_per_second);
}

/**
 * mm_download_set_connections:
 * @connections: at most this many connections for one file (1 turns
 *   segmented downloads off)
 *
 * Files of at least 64 MiB are fetched over several connections, each
 * asking for its own byte range. Takes effect at the next attempt.
 */
void
mm_download_set_connections (MmDownload *self,
                             guint       connections)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  self->max_connections = CLAMP (connections, 1u, 64u);
}

/**
 * _mm_download_set_segmenting:
 * @multi_threshold: files smaller than this use one connection
 * @min_segment: a range is never split below this size
 *
 * For tests, which use small files. Takes effect at the next attempt.
 */
void
_mm_download_set_segmenting (MmDownload *self,
                             guint64     multi_threshold,
                             guint64     min_segment)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  self->multi_threshold = multi_threshold;
  self->min_segment = MAX (min_segment, 64 * 1024);
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
 * _mm_download_set_retry_policy:
 * @max_attempts_without_progress: give up after this many attempts in a
 *   row that moved no bytes
 * @base_delay_ms: the first backoff delay; it doubles each time
 * @stall_timeout_s: seconds without any byte before an attempt counts as stalled
 */
void
_mm_download_set_retry_policy (MmDownload *self,
                               guint       max_attempts_without_progress,
                               guint       base_delay_ms,
                               guint       stall_timeout_s)
{
  g_return_if_fail (MM_IS_DOWNLOAD (self));

  self->max_attempts_without_progress = MAX (max_attempts_without_progress, 1u);
  self->base_delay_ms = base_delay_ms;
  self->stall_timeout_s = MAX (stall_timeout_s, 1u);
}
