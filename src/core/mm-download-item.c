/* mm-download-item.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the user queued: one quantization of one repository, which may be
 * several files (the parts of a split set), shown as one row with combined
 * progress.
 *
 * The files are downloaded one after the other, in order: the queue limits
 * how many items run at once, so one item never opens more than one
 * transfer. The item's state follows the file being worked on (its
 * "current" MmDownload), with three item-level twists:
 *
 *   - QUEUED is the item's own: nothing runs until the queue calls
 *     mm_download_item_start() when a slot is free;
 *   - a file that completes starts the next one, and the item completes
 *     with the last;
 *   - a pause or cancel is only reported once the file's transfer has
 *     really stopped (the engine lands it on the main context), so the
 *     queue never starts a new item while an old transfer still runs;
 *   - WAITING is a pause the manager asks for (mm_download_item_hold():
 *     no network, a metered one, a schedule) and lifts again
 *     (mm_download_item_release()); like a pause it counts no time and
 *     no attempts, and it lands the same way.
 *
 * Progress is recomputed whenever a file notifies and only the properties
 * whose value changed are notified, inside one freeze/thaw: the engine
 * already limits itself to ten updates a second, and the item adds none.
 *
 * An item serializes itself for the manager's state file, and comes back
 * from it with its history (dates, duration, error) intact; the engine
 * counts the bytes its partial files hold and resumes from them.
 */
#define G_LOG_DOMAIN "mm-download-item"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mm-download-item-private.h"
#include "mm-hf-cache.h"
#include "mm-json.h"
#include "mm-path.h"

G_DEFINE_ENUM_TYPE (MmDownloadItemState, mm_download_item_state,
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, "downloading"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_RETRYING, "retrying"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_VERIFYING, "verifying"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_STATE_WAITING, "waiting"))

G_DEFINE_ENUM_TYPE (MmDownloadItemWait, mm_download_item_wait,
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_WAIT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_WAIT_NETWORK, "network"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_WAIT_METERED, "metered"),
  G_DEFINE_ENUM_VALUE (MM_DOWNLOAD_ITEM_WAIT_SCHEDULE, "schedule"))

/* What the engine does not say about a file: that it was completed in an
 * earlier session. The bytes on disk are the engine's to report, before,
 * during and after its attempts. */
typedef struct {
  gboolean done;
} Restored;

struct _MmDownloadItem
{
  GObject parent_instance;

  GPtrArray *downloads;           /* (owned) MmDownload, in download order */
  GArray *restored;               /* Restored, parallel to downloads */
  GError *error;                  /* (nullable) */
  GDateTime *created;
  GDateTime *finished;            /* (nullable) */
  GDateTime *scheduled_start;     /* (nullable) not before this time */
  GDateTime *scheduled_end;       /* (nullable) wait again from this time */
  char *repo_id;
  char *revision;
  char *quant_name;
  char *label;
  char *title;
  char *download_dir;
  char *folder;
  gboolean in_hf_cache;     /* download_dir is a Hugging Face cache */

  MmDownloadItemState state;
  MmDownloadItemWait wait_reason;
  MmDownloadItemWait hold_requested;  /* a hold landing, or NONE */
  guint current;                  /* index of the file being worked on */

  guint64 bytes_received;
  guint64 total_bytes;
  double fraction;
  double speed;
  double average_speed;
  gint64 eta;
  gint64 elapsed;
  guint retry_in;

  gint64 active_since_us;         /* 0 when not active */
  gint64 elapsed_us;              /* accumulated before active_since_us */

  guint running : 1;              /* a transfer of ours runs or is landing */
  guint pause_requested : 1;
  guint cancel_requested : 1;
  guint allow_metered : 1;
};

G_DEFINE_FINAL_TYPE (MmDownloadItem, mm_download_item, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_STATE,
  PROP_BYTES_RECEIVED,
  PROP_TOTAL_BYTES,
  PROP_FRACTION,
  PROP_SPEED,
  PROP_ETA,
  PROP_ELAPSED,
  PROP_AVERAGE_SPEED,
  PROP_RETRY_IN,
  PROP_CONNECTIONS,
  PROP_ERROR,
  PROP_REPO_ID,
  PROP_QUANT_NAME,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_DOWNLOAD_DIR,
  PROP_FOLDER,
  PROP_DESTINATION,
  PROP_CREATED,
  PROP_FINISHED,
  PROP_WAIT_REASON,
  PROP_SCHEDULED_START,
  PROP_SCHEDULED_END,
  PROP_ALLOW_METERED,
  N_PROPS,
} MmDownloadItemProperty;

static GParamSpec *properties[N_PROPS];

static void start_next (MmDownloadItem *self);

static gboolean
state_is_active (MmDownloadItemState state)
{
  return state == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING ||
         state == MM_DOWNLOAD_ITEM_STATE_RETRYING ||
         state == MM_DOWNLOAD_ITEM_STATE_VERIFYING;
}

/* Time spent moving or checking bytes; waiting for a retry is not work. */
static gboolean
state_counts_time (MmDownloadItemState state)
{
  return state == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING ||
         state == MM_DOWNLOAD_ITEM_STATE_VERIFYING;
}

static gboolean
state_is_finished (MmDownloadItemState state)
{
  return state == MM_DOWNLOAD_ITEM_STATE_COMPLETED ||
         state == MM_DOWNLOAD_ITEM_STATE_FAILED ||
         state == MM_DOWNLOAD_ITEM_STATE_CANCELLED;
}

static MmDownload *
download_at (MmDownloadItem *self,
             guint           index)
{
  return g_ptr_array_index (self->downloads, index);
}

static Restored *
restored_at (MmDownloadItem *self,
             guint           index)
{
  return &g_array_index (self->restored, Restored, index);
}

static gboolean
part_is_done (MmDownloadItem *self,
              guint           index)
{
  return restored_at (self, index)->done ||
         mm_download_get_state (download_at (self, index)) == MM_DOWNLOAD_STATE_COMPLETED;
}

static guint64
part_bytes (MmDownloadItem *self,
            guint           index)
{
  MmDownload *download = download_at (self, index);
  guint64 total = mm_download_get_total_bytes (download);

  if (part_is_done (self, index))
    return total;

  return MIN (total, mm_download_get_bytes_received (download));
}

static MmDownload *
current_download (MmDownloadItem *self)
{
  if (self->current >= self->downloads->len)
    return NULL;
  return download_at (self, self->current);
}

static gint64
get_elapsed_us (MmDownloadItem *self)
{
  gint64 us = self->elapsed_us;

  if (self->active_since_us != 0)
    us += g_get_monotonic_time () - self->active_since_us;

  return us;
}

static void
update_average_speed (MmDownloadItem *self)
{
  double seconds = get_elapsed_us (self) / (double) G_USEC_PER_SEC;
  double average = seconds > 0 ? self->bytes_received / seconds : 0.0;

  if (average != self->average_speed)
    {
      self->average_speed = average;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVERAGE_SPEED]);
    }
}

/* Recomputes the combined progress; notifies only what changed. */
static void
refresh (MmDownloadItem *self)
{
  MmDownload *current = current_download (self);
  guint64 bytes = 0;
  double speed = 0;
  double fraction;
  gint64 eta = -1;
  gint64 elapsed;
  guint retry_in = 0;

  for (guint i = 0; i < self->downloads->len; i++)
    {
      if (!g_uint64_checked_add (&bytes, bytes, part_bytes (self, i)))
        bytes = G_MAXUINT64;
    }

  if (self->state == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING && current != NULL)
    speed = mm_download_get_speed (current);
  if (speed >= 1.0 && bytes < self->total_bytes)
    eta = (gint64) ceil ((self->total_bytes - bytes) / speed);
  if (self->state == MM_DOWNLOAD_ITEM_STATE_RETRYING && current != NULL)
    retry_in = mm_download_get_retry_in (current);
  elapsed = get_elapsed_us (self) / G_USEC_PER_SEC;

  if (self->total_bytes > 0)
    fraction = CLAMP ((double) bytes / (double) self->total_bytes, 0.0, 1.0);
  else
    fraction = self->state == MM_DOWNLOAD_ITEM_STATE_COMPLETED ? 1.0 : 0.0;

  g_object_freeze_notify (G_OBJECT (self));

  if (bytes != self->bytes_received)
    {
      self->bytes_received = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_RECEIVED]);
      update_average_speed (self);
    }
  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (speed != self->speed)
    {
      self->speed = speed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
    }
  if (eta != self->eta)
    {
      self->eta = eta;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }
  if (retry_in != self->retry_in)
    {
      self->retry_in = retry_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_IN]);
    }
  if (elapsed != self->elapsed)
    {
      self->elapsed = elapsed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_error (MmDownloadItem *self,
           const GError   *error)
{
  if (error == NULL && self->error == NULL)
    return;
  if (error != NULL && self->error != NULL &&
      g_error_matches (self->error, error->domain, error->code) &&
      g_strcmp0 (self->error->message, error->message) == 0)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_state (MmDownloadItem      *self,
           MmDownloadItemState  state)
{
  gint64 now = g_get_monotonic_time ();

  if (self->state == state)
    return;

  /* The duration counts only the time spent working: pauses, waits and
   * the time before a retry excluded. */
  if (state_counts_time (state))
    {
      if (self->active_since_us == 0)
        self->active_since_us = now;
    }
  else if (self->active_since_us != 0)
    {
      self->elapsed_us += now - self->active_since_us;
      self->active_since_us = 0;
    }

  g_object_freeze_notify (G_OBJECT (self));

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  if (state_is_finished (state))
    {
      g_clear_pointer (&self->finished, g_date_time_unref);
      self->finished = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
    }
  else if (self->finished != NULL)
    {
      g_clear_pointer (&self->finished, g_date_time_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
    }

  refresh (self);
  update_average_speed (self);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_wait_reason (MmDownloadItem     *self,
                 MmDownloadItemWait  reason)
{
  if (self->wait_reason == reason)
    return;

  self->wait_reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAIT_REASON]);
}

/* Sets the state with its reason: WAITING always has one, other states none. */
static void
set_state_waiting (MmDownloadItem      *self,
                   MmDownloadItemState  state,
                   MmDownloadItemWait   reason)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_wait_reason (self, state == MM_DOWNLOAD_ITEM_STATE_WAITING ? reason
                                                                  : MM_DOWNLOAD_ITEM_WAIT_NONE);
  set_state (self, state);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The current file stopped for good or was paused: the item stops. A hold
 * that was asked for while running lands as WAITING. */
static void
stop_running (MmDownloadItem      *self,
              MmDownloadItemState  state)
{
  MmDownloadItemWait hold = self->hold_requested;

  self->running = FALSE;
  self->pause_requested = FALSE;
  self->hold_requested = MM_DOWNLOAD_ITEM_WAIT_NONE;
  if (state == MM_DOWNLOAD_ITEM_STATE_PAUSED && hold != MM_DOWNLOAD_ITEM_WAIT_NONE)
    state = MM_DOWNLOAD_ITEM_STATE_WAITING;
  set_state_waiting (self, state, hold);
}

/* Starts the first file not yet done, or finishes the item. */
static void
start_next (MmDownloadItem *self)
{
  guint next = self->downloads->len;

  for (guint i = 0; i < self->downloads->len; i++)
    {
      if (!part_is_done (self, i))
        {
          next = i;
          break;
        }
    }

  if (next == self->downloads->len)
    {
      self->current = next;
      set_error (self, NULL);
      stop_running (self, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
      return;
    }

  /* A pause or cancel asked for while the previous file was finishing. */
  if (self->cancel_requested)
    {
      stop_running (self, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
      return;
    }
  if (self->pause_requested || self->hold_requested != MM_DOWNLOAD_ITEM_WAIT_NONE)
    {
      stop_running (self, MM_DOWNLOAD_ITEM_STATE_PAUSED);
      return;
    }

  self->current = next;
  mm_download_start (download_at (self, next));
}

static void
download_state_changed (MmDownloadItem *self,
                        MmDownload     *download)
{
  MmDownloadState state = mm_download_get_state (download);
  guint index;

  if (!g_ptr_array_find (self->downloads, download, &index))
    return;

  if (!self->running || index != self->current)
    {
      refresh (self);
      return;
    }

  switch (state)
    {
    case MM_DOWNLOAD_STATE_IDLE:
      break;
    case MM_DOWNLOAD_STATE_DOWNLOADING:
    case MM_DOWNLOAD_STATE_CONNECTING:
      set_error (self, NULL);
      set_state (self, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
      break;
    case MM_DOWNLOAD_STATE_RETRYING:
      set_error (self, mm_download_get_error (download));
      set_state (self, MM_DOWNLOAD_ITEM_STATE_RETRYING);
      break;
    case MM_DOWNLOAD_STATE_VERIFYING:
      set_state (self, MM_DOWNLOAD_ITEM_STATE_VERIFYING);
      break;
    case MM_DOWNLOAD_STATE_PAUSED:
      if (self->pause_requested || self->hold_requested != MM_DOWNLOAD_ITEM_WAIT_NONE)
        stop_running (self, MM_DOWNLOAD_ITEM_STATE_PAUSED);
      else
        /* A resume raced the pause while it was landing, or the manager
         * asked for a fresh connection (the engine then still ends
         * paused): carry on. */
        mm_download_start (download);
      break;
    case MM_DOWNLOAD_STATE_COMPLETED:
      start_next (self);
      break;
    case MM_DOWNLOAD_STATE_FAILED:
      set_error (self, mm_download_get_error (download));
      stop_running (self, MM_DOWNLOAD_ITEM_STATE_FAILED);
      break;
    case MM_DOWNLOAD_STATE_CANCELLED:
      stop_running (self, MM_DOWNLOAD_ITEM_STATE_CANCELLED);
      break;
    default:
      g_assert_not_reached ();
    }

  refresh (self);
}

static void
download_notify_cb (MmDownload     *download,
                    GParamSpec     *pspec,
                    MmDownloadItem *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "state"))
    download_state_changed (self, download);
  else if (g_str_equal (name, "bytes-received") || g_str_equal (name, "speed") ||
           g_str_equal (name, "elapsed") || g_str_equal (name, "retry-in"))
    refresh (self);
  else if (g_str_equal (name, "connections"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
}

static void
add_download (MmDownloadItem *self,
              MmDownload     *download,
              const Restored *restored)
{
  g_ptr_array_add (self->downloads, g_object_ref (download));
  g_array_append_vals (self->restored, restored, 1);
  if (!g_uint64_checked_add (&self->total_bytes, self->total_bytes,
                             mm_download_get_total_bytes (download)))
    self->total_bytes = G_MAXUINT64;
  g_signal_connect (download, "notify", G_CALLBACK (download_notify_cb), self);
}

static void
mm_download_item_dispose (GObject *object)
{
  MmDownloadItem *self = MM_DOWNLOAD_ITEM (object);

  if (self->downloads != NULL)
    {
      for (guint i = 0; i < self->downloads->len; i++)
        {
          MmDownload *download = download_at (self, i);

          g_signal_handlers_disconnect_by_data (download, self);
          /* A running transfer holds its own reference: stop it, keeping
           * the partial for the next session. */
          if (!mm_download_is_finished (download))
            mm_download_pause (download);
        }
      g_clear_pointer (&self->downloads, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (mm_download_item_parent_class)->dispose (object);
}

static void
mm_download_item_finalize (GObject *object)
{
  MmDownloadItem *self = MM_DOWNLOAD_ITEM (object);

  g_clear_pointer (&self->restored, g_array_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_clear_pointer (&self->scheduled_start, g_date_time_unref);
  g_clear_pointer (&self->scheduled_end, g_date_time_unref);
  g_free (self->repo_id);
  g_free (self->revision);
  g_free (self->quant_name);
  g_free (self->label);
  g_free (self->title);
  g_free (self->download_dir);
  g_free (self->folder);

  G_OBJECT_CLASS (mm_download_item_parent_class)->finalize (object);
}

static void
mm_download_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MmDownloadItem *self = MM_DOWNLOAD_ITEM (object);

  switch ((MmDownloadItemProperty) prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case PROP_TOTAL_BYTES:
      g_value_set_uint64 (value, self->total_bytes);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_ELAPSED:
      g_value_set_int64 (value, mm_download_item_get_elapsed (self));
      break;
    case PROP_AVERAGE_SPEED:
      g_value_set_double (value, self->average_speed);
      break;
    case PROP_RETRY_IN:
      g_value_set_uint (value, self->retry_in);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint (value, mm_download_item_get_connections (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_REPO_ID:
      g_value_set_string (value, self->repo_id);
      break;
    case PROP_QUANT_NAME:
      g_value_set_string (value, self->quant_name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->label);
      break;
    case PROP_DOWNLOAD_DIR:
      g_value_set_string (value, self->download_dir);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    case PROP_DESTINATION:
      g_value_set_string (value, mm_download_item_get_destination (self));
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_FINISHED:
      g_value_set_boxed (value, self->finished);
      break;
    case PROP_WAIT_REASON:
      g_value_set_enum (value, self->wait_reason);
      break;
    case PROP_SCHEDULED_START:
      g_value_set_boxed (value, self->scheduled_start);
      break;
    case PROP_SCHEDULED_END:
      g_value_set_boxed (value, self->scheduled_end);
      break;
    case PROP_ALLOW_METERED:
      g_value_set_boolean (value, self->allow_metered);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_item_class_init (MmDownloadItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_download_item_dispose;
  object_class->finalize = mm_download_item_finalize;
  object_class->get_property = mm_download_item_get_property;

  /** MmDownloadItem:state: the #MmDownloadItemState */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MM_TYPE_DOWNLOAD_ITEM_STATE,
                       MM_DOWNLOAD_ITEM_STATE_QUEUED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:bytes-received: bytes of all files on disk together */
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:total-bytes: the size of all files together */
  properties[PROP_TOTAL_BYTES] =
    g_param_spec_uint64 ("total-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:fraction: :bytes-received over :total-bytes, from 0 to 1 */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:speed: bytes per second right now, 0 when not downloading */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:eta: seconds left for all files at the current speed, -1 when unknown */
  properties[PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:elapsed: whole seconds spent working, pauses excluded */
  properties[PROP_ELAPSED] =
    g_param_spec_int64 ("elapsed", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:average-speed: :bytes-received over the time spent working */
  properties[PROP_AVERAGE_SPEED] =
    g_param_spec_double ("average-speed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:retry-in: seconds until the next attempt while retrying */
  properties[PROP_RETRY_IN] =
    g_param_spec_uint ("retry-in", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:connections: connections moving the current file's bytes now */
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmDownloadItem:error: (nullable)
   *
   * Why the item failed (the failing file's error), or the last transient
   * error while it is retrying.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:repo-id: `owner/name` */
  properties[PROP_REPO_ID] =
    g_param_spec_string ("repo-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:quant-name: the quantization ("Q4_K_M") */
  properties[PROP_QUANT_NAME] =
    g_param_spec_string ("quant-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:title: the repository's name, without its owner */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:subtitle: the quantization's label, as a person reads it */
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:download-dir: the download folder the item was queued in */
  properties[PROP_DOWNLOAD_DIR] =
    g_param_spec_string ("download-dir", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:folder: the folder holding the files, `download-dir/owner/name` */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:destination: the first file's final path (what a loader opens) */
  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:created: when the item was queued */
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:finished: (nullable): when it completed, failed or was cancelled */
  properties[PROP_FINISHED] =
    g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /** MmDownloadItem:wait-reason: why the item is WAITING; NONE in other states */
  properties[PROP_WAIT_REASON] =
    g_param_spec_enum ("wait-reason", NULL, NULL, MM_TYPE_DOWNLOAD_ITEM_WAIT,
                       MM_DOWNLOAD_ITEM_WAIT_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:scheduled-start: (nullable): the item does not start before this time */
  properties[PROP_SCHEDULED_START] =
    g_param_spec_boxed ("scheduled-start", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmDownloadItem:scheduled-end: (nullable)
   *
   * When the scheduled window ends: an unfinished item waits again, for
   * the same window a day later.
   */
  properties[PROP_SCHEDULED_END] =
    g_param_spec_boxed ("scheduled-end", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadItem:allow-metered: the user said to go on over a metered network */
  properties[PROP_ALLOW_METERED] =
    g_param_spec_boolean ("allow-metered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_download_item_init (MmDownloadItem *self)
{
  self->downloads = g_ptr_array_new_with_free_func (g_object_unref);
  self->restored = g_array_new (FALSE, TRUE, sizeof (Restored));
  self->state = MM_DOWNLOAD_ITEM_STATE_QUEUED;
  self->eta = -1;
}

/* A download of one of the item's files, in its folder or its cache. */
static MmDownload *
new_download (MmDownloadItem  *self,
              MmHubClient     *client,
              const char      *revision,
              MmRepoFile      *file,
              GError         **error)
{
  if (self->in_hf_cache)
    return mm_download_new_in_hf_cache (client, self->repo_id, revision, "main", file,
                                        self->download_dir, error);
  return mm_download_new (client, self->repo_id, revision, file, self->download_dir, error);
}

static void
set_identity (MmDownloadItem *self,
              const char     *repo_id,
              const char     *quant_name,
              const char     *label,
              const char     *download_dir)
{
  g_auto(GStrv) parts = g_strsplit (repo_id, "/", 2);

  self->repo_id = g_strdup (repo_id);
  self->quant_name = g_strdup (quant_name);
  self->label = g_strdup (label ? label : quant_name);
  self->title = g_strdup (parts[1]);
  self->download_dir = g_strdup (download_dir);
  self->folder = g_build_filename (download_dir, parts[0], parts[1], NULL);
}

/* In the cache, the folder to open is the snapshot's, known with the commit. */
static void
set_hf_cache_folder (MmDownloadItem *self)
{
  g_autofree char *folder = NULL;

  if (!self->in_hf_cache || !mm_hf_cache_is_commit (self->revision))
    return;
  folder = mm_hf_cache_repo_folder (self->download_dir, self->repo_id);
  g_free (self->folder);
  self->folder = g_build_filename (folder, "snapshots", self->revision, NULL);
}

/**
 * mm_download_item_new:
 * @client: the Hub client
 * @repo_id: `owner/name`
 * @revision: (nullable): the commit all files come from; %NULL for `main`
 * @quant_name: the quantization ("Q4_K_M")
 * @label: (nullable): what a person reads; @quant_name when %NULL
 * @files: (element-type MmRepoFile): the files, in download order
 * @download_dir: the download folder
 * @error: return location for a %MM_DOWNLOAD_ERROR_UNSAFE_PATH error
 *
 * Creates a queued item. It does nothing until mm_download_item_start();
 * an #MmDownloadManager does that when a slot is free.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL when a name is unsafe
 */
MmDownloadItem *
mm_download_item_new (MmHubClient  *client,
                      const char   *repo_id,
                      const char   *revision,
                      const char   *quant_name,
                      const char   *label,
                      GPtrArray    *files,
                      const char   *download_dir,
                      GError      **error)
{
  g_autoptr(MmDownloadItem) self = NULL;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (quant_name != NULL, NULL);
  g_return_val_if_fail (files != NULL && files->len > 0, NULL);
  g_return_val_if_fail (download_dir != NULL, NULL);

  if (!mm_repo_id_validate (repo_id, error))
    return NULL;

  self = g_object_new (MM_TYPE_DOWNLOAD_ITEM, NULL);
  set_identity (self, repo_id, quant_name, label, download_dir);
  self->created = g_date_time_new_now_utc ();

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(MmDownload) download = NULL;
      Restored restored = { 0 };

      download = new_download (self, client, revision, g_ptr_array_index (files, i), error);
      if (download == NULL)
        return NULL;
      add_download (self, download, &restored);
    }

  self->revision = g_strdup (mm_download_get_revision (download_at (self, 0)));
  set_hf_cache_folder (self);
  refresh (self);

  return g_steal_pointer (&self);
}

/**
 * mm_download_item_new_in_hf_cache:
 * @revision: the commit all files come from (the model's, listed from `main`)
 * @cache_dir: the Hugging Face cache
 *
 * Like mm_download_item_new(), but the files are saved in the Hugging Face
 * cache's own layout (see mm_download_new_in_hf_cache()); the item's
 * folder is the snapshot's.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL when a name is
 *   unsafe or the Hub gave no checksum or commit
 */
MmDownloadItem *
mm_download_item_new_in_hf_cache (MmHubClient  *client,
                                  const char   *repo_id,
                                  const char   *revision,
                                  const char   *quant_name,
                                  const char   *label,
                                  GPtrArray    *files,
                                  const char   *cache_dir,
                                  GError      **error)
{
  g_autoptr(MmDownloadItem) self = NULL;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (quant_name != NULL, NULL);
  g_return_val_if_fail (files != NULL && files->len > 0, NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  if (!mm_repo_id_validate (repo_id, error))
    return NULL;

  self = g_object_new (MM_TYPE_DOWNLOAD_ITEM, NULL);
  self->in_hf_cache = TRUE;
  set_identity (self, repo_id, quant_name, label, cache_dir);
  self->created = g_date_time_new_now_utc ();

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(MmDownload) download = NULL;
      Restored restored = { 0 };

      download = new_download (self, client, revision, g_ptr_array_index (files, i), error);
      if (download == NULL)
        return NULL;
      add_download (self, download, &restored);
    }

  self->revision = g_strdup (mm_download_get_revision (download_at (self, 0)));
  set_hf_cache_folder (self);
  refresh (self);

  return g_steal_pointer (&self);
}

static const char *
state_to_string (MmDownloadItemState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value ? value->value_nick : "queued";
}

static gboolean
state_from_string (const char          *text,
                   MmDownloadItemState *state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_STATE);
  GEnumValue *value = text ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;

  *state = value->value;
  return TRUE;
}

static void
add_uint64 (JsonBuilder *builder,
            const char  *member,
            guint64      value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, (gint64) MIN (value, (guint64) G_MAXINT64));
}

/**
 * mm_download_item_to_json:
 *
 * Describes the item for the state file: repository, commit,
 * quantization, files (path, size, SHA-256, git id, destination, whether
 * done), state (and why it waits), dates, schedule, bytes, duration,
 * average speed and error.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
mm_download_item_to_json (MmDownloadItem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);

  json_builder_begin_object (builder);
  mm_json_builder_add_string (builder, "repo", self->repo_id);
  mm_json_builder_add_string (builder, "commit", self->revision);
  mm_json_builder_add_string (builder, "quant", self->quant_name);
  mm_json_builder_add_string (builder, "label", self->label);
  mm_json_builder_add_string (builder, "state", state_to_string (self->state));
  mm_json_builder_add_date (builder, "created", self->created);
  mm_json_builder_add_date (builder, "finished", self->finished);
  mm_json_builder_add_date (builder, "scheduled-start", self->scheduled_start);
  mm_json_builder_add_date (builder, "scheduled-end", self->scheduled_end);
  if (self->state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (MM_TYPE_DOWNLOAD_ITEM_WAIT);

      mm_json_builder_add_string (builder, "wait-reason",
                                  g_enum_get_value (klass, self->wait_reason)->value_nick);
    }
  mm_json_builder_add_string (builder, "download-dir", self->download_dir);
  if (self->in_hf_cache)
    {
      json_builder_set_member_name (builder, "hf-cache");
      json_builder_add_boolean_value (builder, TRUE);
    }
  mm_json_builder_add_string (builder, "folder", self->folder);
  add_uint64 (builder, "bytes", self->bytes_received);
  add_uint64 (builder, "total-bytes", self->total_bytes);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, mm_download_item_get_duration (self));
  json_builder_set_member_name (builder, "average-speed");
  json_builder_add_double_value (builder, self->average_speed);

  json_builder_set_member_name (builder, "error");
  if (self->error != NULL)
    {
      json_builder_begin_object (builder);
      mm_json_builder_add_string (builder, "domain", g_quark_to_string (self->error->domain));
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, self->error->code);
      mm_json_builder_add_string (builder, "message", self->error->message);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->downloads->len; i++)
    {
      MmDownload *download = download_at (self, i);
      MmRepoFile *file = mm_download_get_file (download);

      json_builder_begin_object (builder);
      mm_json_builder_add_string (builder, "path", mm_repo_file_get_path (file));
      add_uint64 (builder, "size", mm_repo_file_get_size (file));
      mm_json_builder_add_string (builder, "sha256", mm_repo_file_get_sha256 (file));
      mm_json_builder_add_string (builder, "oid", mm_repo_file_get_oid (file));
      mm_json_builder_add_string (builder, "destination", mm_download_get_destination (download));
      add_uint64 (builder, "bytes", part_bytes (self, i));
      json_builder_set_member_name (builder, "completed");
      json_builder_add_boolean_value (builder, part_is_done (self, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* A member that must be there with the right type, or an error. */
static gboolean
require (gboolean     ok,
         const char  *member,
         GError     **error)
{
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("The entry has no valid “%s”."), member);
  return ok;
}

static gboolean
member_is (JsonObject *object,
           const char *member,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == type;
}

/* Optional members may be missing or null, never of another type. */
static gboolean
optional_is (JsonObject *object,
             const char *member,
             GType       type)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (type == JSON_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);

  return member_is (object, member, type) ||
         (type == G_TYPE_DOUBLE && member_is (object, member, G_TYPE_INT64));
}

static double
get_double (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0.0;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);

  return 0.0;
}

static MmDownload *
download_from_json (MmDownloadItem  *self,
                    MmHubClient     *client,
                    const char      *revision,
                    JsonNode        *node,
                    Restored        *restored,
                    GError         **error)
{
  g_autoptr(MmRepoFile) file = NULL;
  g_autoptr(MmDownload) download = NULL;
  JsonObject *object;

  if (!require (JSON_NODE_HOLDS_OBJECT (node), "files", error))
    return NULL;
  object = json_node_get_object (node);
  if (!require (member_is (object, "path", G_TYPE_STRING), "path", error) ||
      !require (member_is (object, "size", G_TYPE_INT64) &&
                json_object_get_int_member (object, "size") >= 0, "size", error) ||
      !require (optional_is (object, "sha256", G_TYPE_STRING), "sha256", error) ||
      !require (optional_is (object, "oid", G_TYPE_STRING), "oid", error) ||
      !require (optional_is (object, "completed", G_TYPE_BOOLEAN), "completed", error))
    return NULL;

  file = mm_repo_file_new (json_object_get_string_member (object, "path"),
                           (guint64) json_object_get_int_member (object, "size"),
                           mm_json_get_string (object, "sha256"),
                           mm_json_get_string (object, "oid"));
  if (mm_repo_file_get_problem (file) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           mm_repo_file_get_problem (file));
      return NULL;
    }

  download = new_download (self, client, revision, file, error);
  if (download == NULL)
    return NULL;

  restored->done = mm_json_get_bool (object, "completed", FALSE);

  return g_steal_pointer (&download);
}

/**
 * mm_download_item_new_from_json:
 * @client: the Hub client
 * @object: an entry written by mm_download_item_to_json()
 * @resume_unfinished: whether an item that was queued or running comes
 *   back queued (%TRUE) or paused (%FALSE); an item the user paused stays
 *   paused
 * @error: return location for a %G_IO_ERROR_INVALID_DATA error
 *
 * Restores an item. Finished items keep their state, dates, duration and
 * error; unfinished ones count the bytes of their partial files.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL when @object is
 *   not a valid entry
 */
MmDownloadItem *
mm_download_item_new_from_json (MmHubClient  *client,
                                JsonObject   *object,
                                gboolean      resume_unfinished,
                                GError      **error)
{
  g_autoptr(MmDownloadItem) self = NULL;
  MmDownloadItemState state;
  JsonArray *files;
  const char *repo_id;
  const char *quant;
  const char *download_dir;
  const char *revision;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  if (!require (member_is (object, "repo", G_TYPE_STRING), "repo", error) ||
      !require (member_is (object, "state", G_TYPE_STRING) &&
                state_from_string (json_object_get_string_member (object, "state"), &state),
                "state", error) ||
      !require (member_is (object, "download-dir", G_TYPE_STRING) &&
                g_path_is_absolute (json_object_get_string_member (object, "download-dir")),
                "download-dir", error) ||
      !require ((files = mm_json_get_array (object, "files")) != NULL &&
                json_array_get_length (files) > 0, "files", error) ||
      !require (optional_is (object, "commit", G_TYPE_STRING), "commit", error) ||
      !require (optional_is (object, "hf-cache", G_TYPE_BOOLEAN), "hf-cache", error) ||
      !require (optional_is (object, "quant", G_TYPE_STRING), "quant", error) ||
      !require (optional_is (object, "label", G_TYPE_STRING), "label", error) ||
      !require (optional_is (object, "created", G_TYPE_STRING), "created", error) ||
      !require (optional_is (object, "finished", G_TYPE_STRING), "finished", error) ||
      !require (optional_is (object, "scheduled-start", G_TYPE_STRING), "scheduled-start", error) ||
      !require (optional_is (object, "scheduled-end", G_TYPE_STRING), "scheduled-end", error) ||
      !require (optional_is (object, "wait-reason", G_TYPE_STRING), "wait-reason", error) ||
      !require (optional_is (object, "duration", G_TYPE_DOUBLE), "duration", error) ||
      !require (optional_is (object, "error", JSON_TYPE_OBJECT), "error", error))
    return NULL;

  repo_id = json_object_get_string_member (object, "repo");
  if (!mm_repo_id_validate (repo_id, error))
    return NULL;

  revision = mm_json_get_string (object, "commit");
  download_dir = json_object_get_string_member (object, "download-dir");
  quant = mm_json_get_string (object, "quant");
  if (quant == NULL)
    quant = mm_json_get_string (object, "label");

  self = g_object_new (MM_TYPE_DOWNLOAD_ITEM, NULL);
  self->in_hf_cache = mm_json_get_bool (object, "hf-cache", FALSE);
  set_identity (self, repo_id, quant ? quant : "", mm_json_get_string (object, "label"),
                download_dir);

  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      g_autoptr(MmDownload) download = NULL;
      Restored restored = { 0 };

      download = download_from_json (self, client, revision,
                                     json_array_get_element (files, i), &restored, error);
      if (download == NULL)
        return NULL;
      if (state == MM_DOWNLOAD_ITEM_STATE_COMPLETED)
        restored.done = TRUE;
      add_download (self, download, &restored);
    }
  self->revision = g_strdup (mm_download_get_revision (download_at (self, 0)));
  set_hf_cache_folder (self);

  self->created = mm_json_get_date (object, "created");
  if (self->created == NULL)
    self->created = g_date_time_new_now_utc ();
  self->elapsed_us = (gint64) (MAX (get_double (object, "duration"), 0.0) * G_USEC_PER_SEC);
  self->scheduled_start = mm_json_get_date (object, "scheduled-start");
  self->scheduled_end = mm_json_get_date (object, "scheduled-end");

  switch (state)
    {
    case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
    case MM_DOWNLOAD_ITEM_STATE_FAILED:
    case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
      self->finished = mm_json_get_date (object, "finished");
      if (self->finished == NULL)
        self->finished = g_date_time_ref (self->created);
      break;
    case MM_DOWNLOAD_ITEM_STATE_PAUSED:
      break;
    case MM_DOWNLOAD_ITEM_STATE_WAITING:
      /* A schedule is the user's wish and outlives the session; the
       * network and the metered setting are looked at afresh. */
      if (g_strcmp0 (mm_json_get_string (object, "wait-reason"), "schedule") == 0 &&
          self->scheduled_start != NULL)
        {
          self->wait_reason = MM_DOWNLOAD_ITEM_WAIT_SCHEDULE;
          break;
        }
      state = resume_unfinished ? MM_DOWNLOAD_ITEM_STATE_QUEUED : MM_DOWNLOAD_ITEM_STATE_PAUSED;
      break;
    case MM_DOWNLOAD_ITEM_STATE_QUEUED:
    case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
    case MM_DOWNLOAD_ITEM_STATE_RETRYING:
    case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
      state = resume_unfinished ? MM_DOWNLOAD_ITEM_STATE_QUEUED : MM_DOWNLOAD_ITEM_STATE_PAUSED;
      break;
    default:
      g_assert_not_reached ();
    }
  self->state = state;

  if (state == MM_DOWNLOAD_ITEM_STATE_FAILED)
    {
      JsonObject *saved = mm_json_get_object (object, "error");
      const char *domain = mm_json_get_string (saved, "domain");
      const char *message = mm_json_get_string (saved, "message");

      if (domain != NULL && message != NULL)
        self->error = g_error_new_literal (g_quark_from_string (domain),
                                           (int) mm_json_get_int (saved, "code", 0), message);
      else
        self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           message ? message : _("The download failed."));
    }

  refresh (self);
  update_average_speed (self);

  return g_steal_pointer (&self);
}

/**
 * mm_download_item_start:
 *
 * Starts (or continues) downloading the files in order. The download
 * manager calls this when a queue slot is free; people use
 * mm_download_item_resume() instead, which puts the item back in the
 * queue. Does nothing while running or once completed.
 */
void
mm_download_item_start (MmDownloadItem *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->running || self->state == MM_DOWNLOAD_ITEM_STATE_COMPLETED)
    return;

  self->running = TRUE;
  self->pause_requested = FALSE;
  self->cancel_requested = FALSE;
  self->hold_requested = MM_DOWNLOAD_ITEM_WAIT_NONE;
  start_next (self);
}

/**
 * mm_download_item_pause:
 *
 * Holds a queued item, or stops a running one keeping its partial files.
 * A running item reports %MM_DOWNLOAD_ITEM_STATE_PAUSED once its transfer
 * has stopped.
 */
void
mm_download_item_pause (MmDownloadItem *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->running)
    {
      self->pause_requested = TRUE;
      self->hold_requested = MM_DOWNLOAD_ITEM_WAIT_NONE;
      mm_download_pause (current_download (self));
      return;
    }

  if (self->state == MM_DOWNLOAD_ITEM_STATE_QUEUED ||
      self->state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    set_state_waiting (self, MM_DOWNLOAD_ITEM_STATE_PAUSED, MM_DOWNLOAD_ITEM_WAIT_NONE);
}

/**
 * mm_download_item_resume:
 *
 * Puts a paused item back in the queue (in its place), and a failed or
 * cancelled one too (see mm_download_item_retry()). It continues from the
 * bytes on disk.
 *
 * A waiting item is the user overruling the wait: one held for a metered
 * network is allowed on it (:allow-metered), a scheduled one forgets its
 * schedule and starts now, one waiting for the network tries again now.
 */
void
mm_download_item_resume (MmDownloadItem *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->running)
    {
      /* A pause still landing: the item carries on when it lands. */
      self->pause_requested = FALSE;
      self->hold_requested = MM_DOWNLOAD_ITEM_WAIT_NONE;
      return;
    }

  if (self->state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    {
      g_object_freeze_notify (G_OBJECT (self));
      if (self->wait_reason == MM_DOWNLOAD_ITEM_WAIT_METERED)
        mm_download_item_set_allow_metered (self, TRUE);
      else if (self->wait_reason == MM_DOWNLOAD_ITEM_WAIT_SCHEDULE)
        mm_download_item_set_schedule (self, NULL, NULL);
      set_state_waiting (self, MM_DOWNLOAD_ITEM_STATE_QUEUED, MM_DOWNLOAD_ITEM_WAIT_NONE);
      g_object_thaw_notify (G_OBJECT (self));
    }
  else if (self->state == MM_DOWNLOAD_ITEM_STATE_PAUSED)
    set_state (self, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  else if (self->state == MM_DOWNLOAD_ITEM_STATE_FAILED ||
           self->state == MM_DOWNLOAD_ITEM_STATE_CANCELLED)
    mm_download_item_retry (self);
}

/**
 * mm_download_item_cancel:
 * @delete_partial: whether to delete the partial files
 *
 * Stops the item for good. Files already completed are kept; partial
 * files only when @delete_partial is %FALSE. A running item reports
 * %MM_DOWNLOAD_ITEM_STATE_CANCELLED once its transfer has stopped.
 */
void
mm_download_item_cancel (MmDownloadItem *self,
                         gboolean        delete_partial)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->state == MM_DOWNLOAD_ITEM_STATE_COMPLETED)
    return;

  self->cancel_requested = TRUE;
  for (guint i = 0; i < self->downloads->len; i++)
    {
      if (!part_is_done (self, i))
        mm_download_cancel (download_at (self, i), delete_partial);
    }

  if (!self->running)
    set_state_waiting (self, MM_DOWNLOAD_ITEM_STATE_CANCELLED, MM_DOWNLOAD_ITEM_WAIT_NONE);
  refresh (self);
}

/**
 * mm_download_item_hold:
 * @reason: why, not %MM_DOWNLOAD_ITEM_WAIT_NONE
 *
 * Makes a queued or running item wait, for the download manager: a
 * running one stops its transfer, keeping the partial files, and reports
 * %MM_DOWNLOAD_ITEM_STATE_WAITING once it has stopped. A waiting item
 * takes the new reason. Items the user paused and finished items are left
 * alone.
 */
void
mm_download_item_hold (MmDownloadItem     *self,
                       MmDownloadItemWait  reason)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));
  g_return_if_fail (reason != MM_DOWNLOAD_ITEM_WAIT_NONE);

  if (self->running)
    {
      if (self->pause_requested || self->cancel_requested)
        return;
      if (self->hold_requested == MM_DOWNLOAD_ITEM_WAIT_NONE)
        mm_download_pause (current_download (self));
      self->hold_requested = reason;
      return;
    }

  if (self->state == MM_DOWNLOAD_ITEM_STATE_QUEUED ||
      self->state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    set_state_waiting (self, MM_DOWNLOAD_ITEM_STATE_WAITING, reason);
}

/**
 * mm_download_item_release:
 *
 * Puts a waiting item back in the queue, for the download manager when the
 * reason to wait is gone. A hold still landing is called off.
 */
void
mm_download_item_release (MmDownloadItem *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->running)
    {
      self->hold_requested = MM_DOWNLOAD_ITEM_WAIT_NONE;
      return;
    }

  if (self->state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    set_state_waiting (self, MM_DOWNLOAD_ITEM_STATE_QUEUED, MM_DOWNLOAD_ITEM_WAIT_NONE);
}

/**
 * mm_download_item_reconnect:
 *
 * Drops the running transfer's connections and opens new ones at once,
 * from the bytes on disk; a retry that is waiting happens now. For the
 * download manager, when connections are known to be dead (after a
 * suspend, or when the network changed) and waiting for the stall timeout
 * would waste time. The item's state does not change.
 */
void
mm_download_item_reconnect (MmDownloadItem *self)
{
  MmDownload *download;

  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (!self->running || self->pause_requested || self->cancel_requested ||
      self->hold_requested != MM_DOWNLOAD_ITEM_WAIT_NONE)
    return;

  download = current_download (self);
  switch (mm_download_get_state (download))
    {
    case MM_DOWNLOAD_STATE_RETRYING:
      mm_download_start (download);
      break;
    case MM_DOWNLOAD_STATE_CONNECTING:
    case MM_DOWNLOAD_STATE_DOWNLOADING:
      /* Lands as PAUSED with no pause asked for: the item starts it again. */
      mm_download_pause (download);
      break;
    case MM_DOWNLOAD_STATE_IDLE:
    case MM_DOWNLOAD_STATE_VERIFYING:
    case MM_DOWNLOAD_STATE_PAUSED:
    case MM_DOWNLOAD_STATE_COMPLETED:
    case MM_DOWNLOAD_STATE_FAILED:
    case MM_DOWNLOAD_STATE_CANCELLED:
    default:
      break;
    }
}

static gboolean
date_equal0 (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

/**
 * mm_download_item_set_schedule:
 * @start: (nullable): not before this time; %NULL for no schedule
 * @end: (nullable): when the window ends (the item then waits for the same
 *   window a day later); %NULL to go on until done
 *
 * Sets when the item may download. The download manager holds the item
 * (%MM_DOWNLOAD_ITEM_WAIT_SCHEDULE) until @start and lets it go then.
 */
void
mm_download_item_set_schedule (MmDownloadItem *self,
                               GDateTime      *start,
                               GDateTime      *end)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));
  g_return_if_fail (end == NULL || start != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (!date_equal0 (start, self->scheduled_start))
    {
      g_clear_pointer (&self->scheduled_start, g_date_time_unref);
      self->scheduled_start = start ? g_date_time_ref (start) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULED_START]);
    }
  if (!date_equal0 (end, self->scheduled_end))
    {
      g_clear_pointer (&self->scheduled_end, g_date_time_unref);
      self->scheduled_end = end ? g_date_time_ref (end) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULED_END]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * mm_download_item_describe_wait:
 *
 * Says why a waiting item waits, for a row or a progress line: "Waiting
 * for network", "Paused — metered connection", "Scheduled for 01:00".
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when the item
 *   does not wait
 */
char *
mm_download_item_describe_wait (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);

  if (self->state != MM_DOWNLOAD_ITEM_STATE_WAITING)
    return NULL;

  switch (self->wait_reason)
    {
    case MM_DOWNLOAD_ITEM_WAIT_NETWORK:
      /* Translators: a download held until the computer is online again */
      return g_strdup (_("Waiting for network"));
    case MM_DOWNLOAD_ITEM_WAIT_METERED:
      /* Translators: a download held because the network is metered (a
       * phone hotspot, a mobile data plan) */
      return g_strdup (_("Paused — metered connection"));
    case MM_DOWNLOAD_ITEM_WAIT_SCHEDULE:
      if (self->scheduled_start != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (self->scheduled_start);
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *when = NULL;

          if (g_date_time_difference (local, now) < G_TIME_SPAN_DAY)
            /* Translators: a time of day, as in "Scheduled for 01:00"; see
             * g_date_time_format() */
            when = g_date_time_format (local, C_("schedule time", "%H:%M"));
          else
            /* Translators: a day and time, as in "Scheduled for Sat 01:00" */
            when = g_date_time_format (local, C_("schedule day and time", "%a %H:%M"));
          /* Translators: a download that starts later: "Scheduled for 01:00" */
          return g_strdup_printf (_("Scheduled for %s"), when);
        }
      return g_strdup (_("Scheduled"));
    case MM_DOWNLOAD_ITEM_WAIT_NONE:
    default:
      return NULL;
    }
}

/**
 * mm_download_item_get_scheduled_start:
 * Returns: (transfer none) (nullable): when the item may start
 */
GDateTime *
mm_download_item_get_scheduled_start (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->scheduled_start;
}

/**
 * mm_download_item_get_scheduled_end:
 * Returns: (transfer none) (nullable): when the item's window ends
 */
GDateTime *
mm_download_item_get_scheduled_end (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->scheduled_end;
}

MmDownloadItemWait
mm_download_item_get_wait_reason (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), MM_DOWNLOAD_ITEM_WAIT_NONE);
  return self->wait_reason;
}

gboolean
mm_download_item_get_allow_metered (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), FALSE);
  return self->allow_metered;
}

/**
 * mm_download_item_set_allow_metered:
 *
 * Lets the item download over a metered network whatever the setting
 * says (the user's "Resume Anyway"). Lasts for the session.
 */
void
mm_download_item_set_allow_metered (MmDownloadItem *self,
                                    gboolean        allow)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  allow = !!allow;
  if (self->allow_metered == (guint) allow)
    return;

  self->allow_metered = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_METERED]);
}

/**
 * mm_download_item_retry:
 *
 * Puts a failed or cancelled item back in the queue; it continues from
 * the bytes on disk.
 */
void
mm_download_item_retry (MmDownloadItem *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  if (self->running || (self->state != MM_DOWNLOAD_ITEM_STATE_FAILED &&
                        self->state != MM_DOWNLOAD_ITEM_STATE_CANCELLED))
    return;

  self->cancel_requested = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  set_state (self, MM_DOWNLOAD_ITEM_STATE_QUEUED);
  g_object_thaw_notify (G_OBJECT (self));
}

MmDownloadItemState
mm_download_item_get_state (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), MM_DOWNLOAD_ITEM_STATE_QUEUED);
  return self->state;
}

/**
 * mm_download_item_is_active:
 *
 * Returns: whether the item holds a queue slot: a transfer runs, retries,
 *   verifies, or is still stopping
 */
gboolean
mm_download_item_is_active (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), FALSE);
  return self->running || state_is_active (self->state);
}

/**
 * mm_download_item_is_finished:
 *
 * Returns: whether the item is completed, failed or cancelled (history)
 */
gboolean
mm_download_item_is_finished (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), FALSE);
  return !self->running && state_is_finished (self->state);
}

const char *
mm_download_item_get_repo_id (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->repo_id;
}

/**
 * _mm_download_item_get_revision:
 * Returns: the commit every file comes from
 */
const char *
_mm_download_item_get_revision (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->revision;
}

const char *
mm_download_item_get_quant_name (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->quant_name;
}

const char *
mm_download_item_get_title (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->title;
}

const char *
mm_download_item_get_subtitle (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->label;
}

const char *
mm_download_item_get_download_dir (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->download_dir;
}

/**
 * mm_download_item_get_folder:
 * Returns: the folder holding the item's files (`download-dir/owner/name`)
 */
const char *
mm_download_item_get_folder (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->folder;
}

/**
 * mm_download_item_get_destination:
 * Returns: the first file's final path; for a split set, the file a
 *   loader opens
 */
const char *
mm_download_item_get_destination (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);

  if (self->downloads == NULL || self->downloads->len == 0)
    return NULL;
  return mm_download_get_destination (download_at (self, 0));
}

/**
 * mm_download_item_get_downloads:
 * Returns: (transfer none) (element-type MmDownload): the files' downloads,
 *   in order
 */
GPtrArray *
mm_download_item_get_downloads (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->downloads;
}

guint64
mm_download_item_get_bytes_received (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0);
  return self->bytes_received;
}

guint64
mm_download_item_get_total_bytes (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0);
  return self->total_bytes;
}

double
mm_download_item_get_fraction (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0.0);
  return self->fraction;
}

double
mm_download_item_get_speed (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0.0);
  return self->speed;
}

/**
 * mm_download_item_get_eta:
 * Returns: seconds left for all files at the current speed, or -1
 */
gint64
mm_download_item_get_eta (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), -1);
  return self->eta;
}

/**
 * mm_download_item_get_elapsed:
 * Returns: whole seconds spent working on the item, pauses excluded,
 *   across sessions
 */
gint64
mm_download_item_get_elapsed (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0);
  return get_elapsed_us (self) / G_USEC_PER_SEC;
}

/**
 * mm_download_item_get_duration:
 * Returns: seconds spent working on the item (with fractions), pauses
 *   excluded, across sessions: the history's duration
 */
double
mm_download_item_get_duration (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0.0);
  return get_elapsed_us (self) / (double) G_USEC_PER_SEC;
}

/**
 * mm_download_item_get_average_speed:
 * Returns: bytes per second over the time spent working
 */
double
mm_download_item_get_average_speed (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0.0);
  return self->average_speed;
}

guint
mm_download_item_get_retry_in (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0);
  return self->retry_in;
}

/**
 * mm_download_item_get_error:
 * Returns: (nullable) (transfer none): why the item failed, or the last
 *   transient error while it is retrying
 */
const GError *
mm_download_item_get_error (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->error;
}

/**
 * mm_download_item_get_created:
 * Returns: (transfer none): when the item was queued (UTC)
 */
GDateTime *
mm_download_item_get_created (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->created;
}

/**
 * mm_download_item_get_finished:
 * Returns: (transfer none) (nullable): when the item completed, failed or
 *   was cancelled (UTC)
 */
GDateTime *
mm_download_item_get_finished (MmDownloadItem *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), NULL);
  return self->finished;
}

/**
 * mm_download_item_set_client:
 * @client: the Hub client (endpoint, token) for the next attempts
 *
 * Gives every file the client to use from its next attempt on, so that a
 * retry after adding an access token sends it. Transfers that are running
 * finish with the client they started with.
 */
void
mm_download_item_set_client (MmDownloadItem *self,
                             MmHubClient    *client)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));

  for (guint i = 0; i < self->downloads->len; i++)
    mm_download_set_client (download_at (self, i), client);
}

/**
 * mm_download_item_get_connections:
 *
 * Returns: how many connections are moving bytes of the item's current
 *   file now (0 when none)
 */
guint
mm_download_item_get_connections (MmDownloadItem *self)
{
  guint connections = 0;

  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (self), 0);

  for (guint i = 0; i < self->downloads->len; i++)
    connections += mm_download_get_connections (download_at (self, i));
  return connections;
}

/**
 * mm_download_item_set_connections:
 * @connections: at most this many connections for one file
 *
 * Applies to every file of the item (from their next attempt).
 */
void
mm_download_item_set_connections (MmDownloadItem *self,
                                  guint           connections)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  for (guint i = 0; i < self->downloads->len; i++)
    mm_download_set_connections (download_at (self, i), connections);
}

/**
 * mm_download_item_set_shared_limiter:
 * @limiter: (nullable): a rate limit shared with other items
 *
 * Applies @limiter to every file of the item (from their next attempt).
 */
void
mm_download_item_set_shared_limiter (MmDownloadItem *self,
                                     MmRateLimiter  *limiter)
{
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self));

  for (guint i = 0; i < self->downloads->len; i++)
    mm_download_set_shared_limiter (download_at (self, i), limiter);
}
