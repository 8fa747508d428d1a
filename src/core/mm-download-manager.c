/* mm-download-manager.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue of downloads and their history, kept across restarts.
 *
 * The manager is a GListModel of every MmDownloadItem, in the order they
 * were queued; items-changed is emitted only for additions and removals
 * (a row follows its item's own properties). At most :max-concurrent
 * items hold a slot at once; the first QUEUED items in list order take the
 * free slots whenever an item stops (completes, fails, pauses, is
 * cancelled or removed). One MmRateLimiter is shared by every transfer,
 * so :rate-limit caps them all together.
 *
 * The list is saved to a JSON file (by default
 * `$XDG_DATA_HOME/model-manager/downloads.json`), replaced atomically
 * (a temporary file, fsync, rename). It is written synchronously as soon
 * as an item is added or removed or changes state: the file is small, and
 * an asynchronous write would leave a window in which a killed process
 * loses a finished entry. Progress alone is saved at most once a second.
 * At start mm_download_manager_load() brings the items back: finished
 * ones as history, unfinished ones paused or queued (:auto-resume), the
 * engine resuming from their partial files. A file that cannot be read is
 * never overwritten silently: it is moved aside and reported.
 *
 * Unattended downloads. Each pass over the queue also decides which items
 * must wait (mm_download_item_hold()) and which may go again
 * (mm_download_item_release()), from what is outside the app:
 *
 *   - the item's schedule: it waits until its start, and after the end of
 *     its window (when it has one) for the same window a day later;
 *   - the GNetworkMonitor: with no network every unfinished item waits
 *     for it, burning no attempts, and goes on when it comes back;
 *   - a metered network, per :metered-policy and the item's
 *     :allow-metered.
 *
 * Nothing here trusts a timer to have run while the computer slept: a
 * watch reads the wall clock every few seconds while something downloads
 * (at most a minute while only schedules wait), sees a jump between the
 * wall clock and the monotonic one (which stops during suspend) as a
 * wake-up, and then drops every transfer's connections at once instead of
 * letting them sit out the stall timeout. A change of network does the
 * same a few seconds later for the transfers that stopped moving.
 */
#define G_LOG_DOMAIN "mm-download-manager"

#include "config.h"

#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mm-download-manager.h"
#include "mm-enum-types.h"
#include "mm-download-manager-private.h"
#include "mm-download-store.h"
#include "mm-free-space.h"
#include "mm-hf-cache.h"
#include "mm-format.h"
#include "mm-json.h"
#include "mm-path.h"

#define PROGRESS_SAVE_DELAY_MS 1000
/* How often the wall clock is read while items download, and at most
 * while only scheduled items wait. */
#define WATCH_ACTIVE_S 5
#define WATCH_IDLE_S 60
/* A wall clock that ran this much further than the monotonic clock means
 * the computer slept. */
#define WAKE_JUMP_US ((gint64) 15 * G_USEC_PER_SEC)
/* After a change of network, transfers that moved nothing for this long
 * are given new connections. */
#define NETWORK_SETTLE_S 3

G_DEFINE_QUARK (mm-download-manager-error-quark, mm_download_manager_error)

struct _MmDownloadManager
{
  GObject parent_instance;

  MmHubClient *client;
  MmRateLimiter *limiter;         /* shared by every transfer */
  GPtrArray *items;               /* (owned) MmDownloadItem, in queue order */
  char *download_dir;
  char *hf_cache_dir;       /* (nullable): new items go to this Hugging Face cache */
  MmDownloadStore *store;         /* the state file */

  guint max_concurrent;
  guint connections;
  guint active_count;
  gboolean auto_resume;

  guint save_id;                  /* pending progress-only save */
  guint schedule_id;              /* pending pass over the queue */
  guint hold;                     /* > 0: do not start items */
  gboolean scheduling;
  gboolean reschedule;
  gboolean loaded;

  GNetworkMonitor *monitor;
  gboolean network_available;
  gboolean network_metered;
  MmMeteredPolicy metered_policy;
  guint waiting_count;
  guint settle_id;                /* pending look at transfers after a network change */

  MmDownloadManagerClock clock;
  gpointer clock_data;
  guint watch_id;
  guint watch_interval_s;
  gint64 watch_real_us;           /* both clocks at the last look */
  gint64 watch_mono_us;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmDownloadManager, mm_download_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

typedef enum {
  PROP_0,
  PROP_MAX_CONCURRENT,
  PROP_CONNECTIONS,
  PROP_ACTIVE_COUNT,
  PROP_RATE_LIMIT,
  PROP_DOWNLOAD_DIR,
  PROP_AUTO_RESUME,
  PROP_STATE_FILE,
  PROP_NETWORK_MONITOR,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_METERED_POLICY,
  PROP_WAITING_COUNT,
  N_PROPS,
} MmDownloadManagerProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ITEM_STATE_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* GListModel */

static GType
list_model_get_item_type (GListModel *model)
{
  return MM_TYPE_DOWNLOAD_ITEM;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return MM_DOWNLOAD_MANAGER (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  MmDownloadManager *self = MM_DOWNLOAD_MANAGER (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

/* Saving */

static JsonArray *
build_state (MmDownloadManager *self)
{
  JsonArray *items = json_array_sized_new (self->items->len);

  for (guint i = 0; i < self->items->len; i++)
    json_array_add_element (items, mm_download_item_to_json (g_ptr_array_index (self->items, i)));

  return items;
}

static void
save_or_warn (MmDownloadManager *self)
{
  g_autoptr(GError) error = NULL;

  if (!_mm_download_manager_save (self, &error))
    g_warning ("Could not save the list of downloads: %s", error->message);
}

static void
write_state_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  MmDownloadStore *store = source_object;
  GError *error = NULL;

  if (mm_download_store_commit (store, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_state_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not save the list of downloads: %s", error->message);
}

/* Progress is saved every second while bytes arrive. The write (with its
 * fsync) happens in a worker thread: on a disk busy with the downloads'
 * own writeback an fsync can take 100 ms, which the window must not wait
 * for. States written later always win over older ones. */
static gboolean
save_timeout_cb (gpointer user_data)
{
  MmDownloadManager *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = build_state (self);
  MmDownloadStoreWrite *write;

  self->save_id = 0;
  write = mm_download_store_prepare (self->store, items, &error);
  if (write == NULL)
    {
      g_warning ("Could not save the list of downloads: %s", error->message);
      return G_SOURCE_REMOVE;
    }

  /* The task holds the store, not the manager: a write may outlive it. */
  task = g_task_new (self->store, NULL, write_state_done_cb, NULL);
  g_task_set_source_tag (task, save_timeout_cb);
  g_task_set_task_data (task, write, (GDestroyNotify) mm_download_store_write_free);
  g_task_run_in_thread (task, write_state_thread);

  return G_SOURCE_REMOVE;
}

static void
save_later (MmDownloadManager *self)
{
  if (self->save_id != 0)
    return;

  self->save_id = g_timeout_add (PROGRESS_SAVE_DELAY_MS, save_timeout_cb, self);
  g_source_set_name_by_id (self->save_id, "[mm] save downloads");
}

/* The queue */

static guint
count_active (MmDownloadManager *self)
{
  guint count = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      if (mm_download_item_is_active (g_ptr_array_index (self->items, i)))
        count++;
    }

  return count;
}

static void
update_active_count (MmDownloadManager *self)
{
  guint count = count_active (self);
  guint waiting = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      if (mm_download_item_get_state (g_ptr_array_index (self->items, i)) ==
          MM_DOWNLOAD_ITEM_STATE_WAITING)
        waiting++;
    }

  if (waiting != self->waiting_count)
    {
      self->waiting_count = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_COUNT]);
    }

  if (count == self->active_count)
    return;

  self->active_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_COUNT]);
}

/* Waiting for the network, metered links and schedules */

static gint64
now_real_us (MmDownloadManager *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_real_time ();
}

static gint64
date_to_us (GDateTime *date)
{
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

/* An item whose window ended waits for the same window a day later. */
static void
advance_window (MmDownloadItem *item,
                gint64          now_us)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  GDateTime *scheduled_end = mm_download_item_get_scheduled_end (item);

  if (scheduled_end == NULL || date_to_us (scheduled_end) > now_us)
    return;

  start = g_date_time_to_local (mm_download_item_get_scheduled_start (item));
  end = g_date_time_to_local (scheduled_end);
  while (date_to_us (end) <= now_us)
    {
      GDateTime *next_start = g_date_time_add_days (start, 1);
      GDateTime *next_end = g_date_time_add_days (end, 1);

      g_date_time_unref (start);
      g_date_time_unref (end);
      start = next_start;
      end = next_end;
    }
  mm_download_item_set_schedule (item, start, end);
}

/* Why @item must wait now, or NONE. The schedule comes first: a scheduled
 * item says when it starts even while the network is away. */
static MmDownloadItemWait
wait_reason_for (MmDownloadManager *self,
                 MmDownloadItem    *item,
                 gint64             now_us)
{
  GDateTime *start = mm_download_item_get_scheduled_start (item);

  if (start != NULL && date_to_us (start) > now_us)
    return MM_DOWNLOAD_ITEM_WAIT_SCHEDULE;
  if (!self->network_available)
    return MM_DOWNLOAD_ITEM_WAIT_NETWORK;
  if (self->network_metered && self->metered_policy != MM_METERED_POLICY_CONTINUE &&
      !mm_download_item_get_allow_metered (item))
    return MM_DOWNLOAD_ITEM_WAIT_METERED;

  return MM_DOWNLOAD_ITEM_WAIT_NONE;
}

/* Holds or releases each unfinished item as the world says. */
static void
apply_waits (MmDownloadManager *self)
{
  gint64 now_us = now_real_us (self);

  for (guint i = 0; i < self->items->len; i++)
    {
      g_autoptr(MmDownloadItem) item = g_object_ref (g_ptr_array_index (self->items, i));
      MmDownloadItemState state = mm_download_item_get_state (item);
      MmDownloadItemWait reason;

      if (mm_download_item_is_finished (item) || state == MM_DOWNLOAD_ITEM_STATE_PAUSED)
        continue;

      advance_window (item, now_us);
      reason = wait_reason_for (self, item, now_us);
      if (reason != MM_DOWNLOAD_ITEM_WAIT_NONE)
        {
          if (mm_download_item_get_wait_reason (item) != reason)
            mm_download_item_hold (item, reason);
        }
      else if (state == MM_DOWNLOAD_ITEM_STATE_WAITING || mm_download_item_is_active (item))
        mm_download_item_release (item);
    }
}

static void update_watch (MmDownloadManager *self);

/* Gives free slots to the first queued items. Starting an item changes its
 * state synchronously, which calls back here: the nested call only asks
 * for another pass. */
static void
schedule (MmDownloadManager *self)
{
  if (self->scheduling)
    {
      self->reschedule = TRUE;
      return;
    }

  self->scheduling = TRUE;
  do
    {
      self->reschedule = FALSE;
      if (self->hold == 0)
        apply_waits (self);
      for (guint i = 0; self->hold == 0 && i < self->items->len; i++)
        {
          g_autoptr(MmDownloadItem) item = g_object_ref (g_ptr_array_index (self->items, i));

          if (count_active (self) >= self->max_concurrent)
            break;
          if (mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_QUEUED &&
              !mm_download_item_is_active (item))
            mm_download_item_start (item);
        }
    }
  while (self->reschedule);
  self->scheduling = FALSE;

  update_active_count (self);
  update_watch (self);
}

static gboolean
schedule_idle_cb (gpointer user_data)
{
  MmDownloadManager *self = user_data;

  self->schedule_id = 0;
  schedule (self);

  return G_SOURCE_REMOVE;
}

/* From a state notification, the queue moves on from an idle callback:
 * every listener first sees the state that was notified (a resumed item
 * is QUEUED before it is DOWNLOADING), and no item starts from within
 * another one's signal emission. */
static void
schedule_later (MmDownloadManager *self)
{
  if (self->schedule_id != 0)
    return;

  self->schedule_id = g_idle_add (schedule_idle_cb, self);
  g_source_set_name_by_id (self->schedule_id, "[mm] download queue");
}

/* The state each item had when the manager last looked, + 1 (0: unset). */
static GQuark
last_state_quark (void)
{
  return g_quark_from_static_string ("mm-download-manager-last-state");
}

static void
remember_state (MmDownloadItem      *item,
                MmDownloadItemState  state)
{
  g_object_set_qdata (G_OBJECT (item), last_state_quark (), GUINT_TO_POINTER ((guint) state + 1));
}

static void
item_state_cb (MmDownloadItem    *item,
               GParamSpec        *pspec,
               MmDownloadManager *self)
{
  /* A handler of ::item-state-changed may drop the manager's reference
   * (a cancelled item removed from the list): keep the item alive. */
  G_GNUC_UNUSED g_autoptr(MmDownloadItem) keep = g_object_ref (item);
  MmDownloadItemState state = mm_download_item_get_state (item);
  guint last = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (item), last_state_quark ()));
  MmDownloadItemState old_state;

  /* Notifications that were merged (a freeze) may bring the item back to
   * where it was: that is no transition. */
  g_return_if_fail (last != 0);
  old_state = (MmDownloadItemState) (last - 1);
  if (old_state == state)
    return;
  remember_state (item, state);

  g_debug ("%s %s: %s", mm_download_item_get_repo_id (item),
           mm_download_item_get_quant_name (item),
           g_enum_get_value (g_type_class_peek (MM_TYPE_DOWNLOAD_ITEM_STATE), state)->value_nick);

  /* Written at once: a finished entry must survive a crash a moment later. */
  save_or_warn (self);
  update_active_count (self);
  schedule_later (self);

  g_signal_emit (self, signals[SIGNAL_ITEM_STATE_CHANGED], 0, item, old_state);
}

static GQuark
last_progress_quark (void)
{
  return g_quark_from_static_string ("mm-download-manager-last-progress");
}

static void
item_progress_cb (MmDownloadItem    *item,
                  GParamSpec        *pspec,
                  MmDownloadManager *self)
{
  g_object_set_qdata (G_OBJECT (item), last_progress_quark (),
                      GSIZE_TO_POINTER ((gsize) (g_get_monotonic_time () / G_USEC_PER_SEC)));
  save_later (self);
}

/* Gives new connections to the running transfers; with @idle_s > 0 only
 * to those that moved nothing for that many seconds. */
static void
reconnect_items (MmDownloadManager *self,
                 guint              idle_s)
{
  gsize now_s = (gsize) (g_get_monotonic_time () / G_USEC_PER_SEC);

  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);
      gsize last = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (item), last_progress_quark ()));

      if (!mm_download_item_is_active (item))
        continue;
      if (idle_s > 0 && mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING &&
          last + idle_s > now_s)
        continue;

      g_debug ("%s %s: new connections", mm_download_item_get_repo_id (item),
               mm_download_item_get_quant_name (item));
      mm_download_item_reconnect (item);
    }
}

/* Reads both clocks: a wall clock that ran ahead of the monotonic one
 * means the computer slept, and every connection is likely dead. */
static void
check_clock (MmDownloadManager *self)
{
  gint64 real_us = now_real_us (self);
  gint64 mono_us = g_get_monotonic_time ();

  if (self->watch_mono_us != 0)
    {
      gint64 jump = (real_us - self->watch_real_us) - (mono_us - self->watch_mono_us);

      if (jump > WAKE_JUMP_US)
        {
          g_debug ("The wall clock jumped %" G_GINT64_FORMAT " s ahead: woke up from a suspend",
                   jump / G_USEC_PER_SEC);
          reconnect_items (self, 0);
        }
    }
  self->watch_real_us = real_us;
  self->watch_mono_us = mono_us;
}

static gboolean
watch_cb (gpointer user_data)
{
  MmDownloadManager *self = user_data;

  self->watch_id = 0;
  self->watch_interval_s = 0;
  check_clock (self);
  schedule (self);

  return G_SOURCE_REMOVE;
}

/* Seconds until the next scheduled start or window end, or 0 for none. */
static guint
seconds_to_next_event (MmDownloadManager *self)
{
  gint64 now_us = now_real_us (self);
  gint64 next_us = G_MAXINT64;

  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);
      GDateTime *dates[] = { mm_download_item_get_scheduled_start (item),
                             mm_download_item_get_scheduled_end (item) };

      if (mm_download_item_is_finished (item))
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (dates); j++)
        {
          if (dates[j] != NULL && date_to_us (dates[j]) > now_us)
            next_us = MIN (next_us, date_to_us (dates[j]));
        }
    }

  if (next_us == G_MAXINT64)
    return 0;
  return (guint) MIN ((next_us - now_us) / G_USEC_PER_SEC + 1, (gint64) G_MAXUINT);
}

/* Keeps the watch running as long as something needs it: often while
 * items download (to notice a wake-up), at most once a minute while
 * scheduled items wait (a long GLib timer stops while the computer
 * sleeps, so the wall clock is read again and again instead). */
static void
update_watch (MmDownloadManager *self)
{
  guint interval = 0;
  guint next = seconds_to_next_event (self);

  if (self->active_count > 0)
    interval = WATCH_ACTIVE_S;
  if (next > 0)
    interval = MIN (interval ? interval : WATCH_IDLE_S, next);

  if (interval == 0)
    {
      g_clear_handle_id (&self->watch_id, g_source_remove);
      self->watch_interval_s = 0;
      self->watch_mono_us = 0;
      return;
    }

  if (self->watch_id != 0 && self->watch_interval_s <= interval)
    return;

  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->watch_mono_us == 0)
    check_clock (self);
  self->watch_interval_s = interval;
  self->watch_id = g_timeout_add_seconds (interval, watch_cb, self);
  g_source_set_name_by_id (self->watch_id, "[mm] download watch");
}

static gboolean
network_settle_cb (gpointer user_data)
{
  MmDownloadManager *self = user_data;

  self->settle_id = 0;
  if (self->network_available)
    reconnect_items (self, NETWORK_SETTLE_S);

  return G_SOURCE_REMOVE;
}

static void
read_network (MmDownloadManager *self)
{
  gboolean available = TRUE;
  gboolean metered = FALSE;

  if (self->monitor != NULL)
    {
      available = g_network_monitor_get_network_available (self->monitor);
      metered = g_network_monitor_get_network_metered (self->monitor);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (available != self->network_available)
    {
      g_debug ("Network %s", available ? "available" : "gone");
      self->network_available = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
    }
  if (metered != self->network_metered)
    {
      g_debug ("Network %s", metered ? "metered" : "not metered");
      self->network_metered = metered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_METERED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
network_notify_cb (GNetworkMonitor   *monitor,
                   GParamSpec        *pspec,
                   MmDownloadManager *self)
{
  read_network (self);
  schedule_later (self);
}

static void
network_changed_cb (GNetworkMonitor   *monitor,
                    gboolean           available,
                    MmDownloadManager *self)
{
  read_network (self);
  schedule_later (self);

  /* Connections over the old network may be dead without an error: give
   * those that stop moving new ones soon, not after the stall timeout. */
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add_seconds (NETWORK_SETTLE_S, network_settle_cb, self);
  g_source_set_name_by_id (self->settle_id, "[mm] network settle");
}

static void
append_items (MmDownloadManager *self,
              GPtrArray         *items)
{
  guint position = self->items->len;

  if (items->len == 0)
    return;

  for (guint i = 0; i < items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (items, i);

      mm_download_item_set_shared_limiter (item, self->limiter);
      mm_download_item_set_connections (item, self->connections);
      remember_state (item, mm_download_item_get_state (item));
      g_signal_connect_object (item, "notify::state", G_CALLBACK (item_state_cb), self, 0);
      g_signal_connect_object (item, "notify::bytes-received", G_CALLBACK (item_progress_cb),
                               self, 0);
      g_ptr_array_add (self->items, g_object_ref (item));
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, items->len);
}

/* Removes @n_items from @position without touching them otherwise. */
static void
remove_range (MmDownloadManager *self,
              guint              position,
              guint              n_items)
{
  for (guint i = position; i < position + n_items; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->items, i), self);

  g_ptr_array_remove_range (self->items, position, n_items);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n_items, 0);
}

/* Checks before queueing */

static char *
describe (const char *repo_id,
          const char *label)
{
  /* Translators: a download in messages: "owner/model (Q4_K_M)" */
  return g_strdup_printf (_("%s (%s)"), repo_id, label);
}

static gboolean
has_part (GPtrArray  *files,
          const char *prefix,
          guint       part,
          guint       count)
{
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *other_prefix = NULL;
      guint other_part = 0, other_count = 0;

      if (mm_gguf_name_parse_split (mm_repo_file_get_path (file), &other_prefix,
                                    &other_part, &other_count) &&
          other_part == part && other_count == count && g_str_equal (other_prefix, prefix))
        return TRUE;
    }

  return FALSE;
}

/* Every part of every split set among @files must be there. */
static gboolean
check_split_sets (GPtrArray   *files,
                  GError     **error)
{
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *prefix = NULL;
      gboolean complete = TRUE;
      guint part = 0, count = 0;

      if (!mm_gguf_name_parse_split (mm_repo_file_get_path (file), &prefix, &part, &count))
        continue;

      /* The count comes from the network: more parts than files means
       * some are missing, without looking for each. */
      if (count > files->len)
        complete = FALSE;
      for (guint wanted = 1; complete && wanted <= count; wanted++)
        complete = has_part (files, prefix, wanted, count);

      if (!complete)
        {
          g_autofree char *display = mm_path_to_display (mm_repo_file_get_path (file));

          g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR,
                       MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT,
                       _("“%s” is one part of a model split into several files, and not "
                         "every part is available; the model could not be used."), display);
          return FALSE;
        }
    }

  return TRUE;
}

static guint64
file_size_at (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return G_MAXUINT64;
  return (guint64) st.st_size;
}


/* Bytes still to come for @item. */
static guint64
item_remaining (MmDownloadItem *item)
{
  guint64 total = mm_download_item_get_total_bytes (item);
  guint64 received = mm_download_item_get_bytes_received (item);

  return received < total ? total - received : 0;
}

static gboolean
check_not_queued (MmDownloadManager  *self,
                  const char         *name,
                  GPtrArray          *destinations,
                  GError            **error)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);
      GPtrArray *downloads = mm_download_item_get_downloads (item);

      if (mm_download_item_is_finished (item))
        continue;

      for (guint j = 0; j < downloads->len; j++)
        {
          const char *destination = mm_download_get_destination (g_ptr_array_index (downloads, j));

          if (g_ptr_array_find_with_equal_func (destinations, destination, g_str_equal, NULL))
            {
              g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR,
                           MM_DOWNLOAD_MANAGER_ERROR_ALREADY_QUEUED,
                           _("%s is already in the list of downloads."), name);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
check_space (MmDownloadManager  *self,
             const char         *name,
             GPtrArray          *files,
             GPtrArray          *destinations,
             GError            **error)
{
  guint64 needed = 0;
  guint64 reserved = 0;
  guint64 available;

  for (guint i = 0; i < files->len; i++)
    {
      guint64 size = mm_repo_file_get_size (g_ptr_array_index (files, i));
      g_autofree char *partial = g_strconcat (g_ptr_array_index (destinations, i),
                                              self->hf_cache_dir ? ".incomplete" : ".part", NULL);
      guint64 have = file_size_at (partial);

      if (file_size_at (g_ptr_array_index (destinations, i)) == size)
        continue;
      /* The engine resumes from a partial file: only the rest is needed. */
      if (have == G_MAXUINT64 || have > size)
        have = 0;
      if (!g_uint64_checked_add (&needed, needed, size - have))
        needed = G_MAXUINT64;
    }

  /* Downloads already in the queue will take their share first. */
  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);

      if (!mm_download_item_is_finished (item) &&
          !g_uint64_checked_add (&reserved, reserved, item_remaining (item)))
        reserved = G_MAXUINT64;
    }

  if (mm_free_space_check (self->hf_cache_dir ? self->hf_cache_dir : self->download_dir,
                           needed, reserved, &needed, &available))
    return TRUE;

  {
    g_autofree char *needed_text = mm_format_size (needed);
    g_autofree char *available_text = mm_format_size (available);

    if (reserved > 0)
      {
        g_autofree char *reserved_text = mm_format_size (reserved);

        g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_SPACE,
                     _("Not enough free space for %s: it needs %s, and the disk has %s free, "
                       "of which the downloads already queued will take %s."),
                     name, needed_text, available_text, reserved_text);
      }
    else
      g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_SPACE,
                   _("Not enough free space for %s: it needs %s, and the disk has %s free."),
                   name, needed_text, available_text);
  }

  return FALSE;
}

/* Everything checked before @files are queued; @label names them in the
 * messages (the first file's name when %NULL). */
static gboolean
check_files (MmDownloadManager  *self,
             MmModel            *model,
             GPtrArray          *files,
             const char         *label,
             GError            **error)
{
  g_autoptr(GPtrArray) destinations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  const char *repo_id = mm_model_get_id (model);
  gboolean downloaded = TRUE;

  if (!mm_repo_id_validate (repo_id, &local_error))
    {
      g_set_error_literal (error, MM_DOWNLOAD_MANAGER_ERROR,
                           MM_DOWNLOAD_MANAGER_ERROR_INVALID_REPO, local_error->message);
      return FALSE;
    }

  if (files == NULL || files->len == 0)
    {
      g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_NO_FILES,
                   _("There is nothing to download from %s."), repo_id);
      return FALSE;
    }

  if (label == NULL || *label == '\0')
    label = mm_repo_file_get_basename (g_ptr_array_index (files, 0));
  name = describe (repo_id, label);

  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      const char *problem = mm_repo_file_get_problem (file);
      char *destination;

      if (problem == NULL)
        {
          destination = mm_download_build_destination (self->hf_cache_dir ? self->hf_cache_dir
                                                                          : self->download_dir,
                                                       repo_id, mm_repo_file_get_path (file),
                                                       &local_error);
          if (destination == NULL)
            problem = local_error->message;
        }
      if (problem == NULL && self->hf_cache_dir != NULL)
        {
          /* In the cache: the file to use is the snapshot's link; the one
           * written (and compared with the queue) is the blob. */
          g_autofree char *link = mm_hf_cache_snapshot_path (self->hf_cache_dir, repo_id,
                                                             mm_model_get_sha (model),
                                                             mm_repo_file_get_path (file));

          if (file_size_at (link) != mm_repo_file_get_size (file))
            downloaded = FALSE;
          g_free (destination);
          destination = mm_hf_cache_blob_path (self->hf_cache_dir, repo_id,
                                               mm_repo_file_get_sha256 (file)
                                                 ? mm_repo_file_get_sha256 (file)
                                                 : mm_repo_file_get_oid (file));
        }
      if (problem != NULL)
        {
          g_autofree char *display = mm_path_to_display (mm_repo_file_get_path (file));

          g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_UNSAFE_NAME,
                       _("“%s” will not be downloaded: %s"), display, problem);
          return FALSE;
        }

      g_ptr_array_add (destinations, destination);
      if (self->hf_cache_dir == NULL && file_size_at (destination) != mm_repo_file_get_size (file))
        downloaded = FALSE;
    }

  if (!check_split_sets (files, error))
    return FALSE;

  if (!check_not_queued (self, name, destinations, error))
    return FALSE;

  if (downloaded)
    {
      g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED,
                   _("%s is already downloaded."), name);
      return FALSE;
    }

  return check_space (self, name, files, destinations, error);
}

static MmDownloadItem *
add_files_full (MmDownloadManager  *self,
                MmModel            *model,
                GPtrArray          *files,
                const char         *quant_name,
                const char         *label,
                GDateTime          *start,
                GDateTime          *end,
                GError            **error)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MmDownloadItem) item = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *repo_id = mm_model_get_id (model);

  if (!check_files (self, model, files,
                    label && *label ? label : quant_name && *quant_name ? quant_name : NULL,
                    error))
    return NULL;

  if (quant_name == NULL || *quant_name == '\0')
    quant_name = mm_repo_file_get_basename (g_ptr_array_index (files, 0));
  if (label == NULL || *label == '\0')
    label = quant_name;

  if (self->hf_cache_dir != NULL)
    item = mm_download_item_new_in_hf_cache (self->client, repo_id, mm_model_get_sha (model),
                                             quant_name, label, files, self->hf_cache_dir,
                                             &local_error);
  else
    item = mm_download_item_new (self->client, repo_id, mm_model_get_sha (model), quant_name,
                                 label, files, self->download_dir, &local_error);
  if (item == NULL)
    {
      g_set_error_literal (error, MM_DOWNLOAD_MANAGER_ERROR,
                           MM_DOWNLOAD_MANAGER_ERROR_UNSAFE_NAME, local_error->message);
      return NULL;
    }

  mm_download_item_set_schedule (item, start, end);
  g_ptr_array_add (added, g_object_ref (item));
  append_items (self, added);
  save_or_warn (self);
  schedule (self);

  return item;
}

static void
mm_download_manager_dispose (GObject *object)
{
  MmDownloadManager *self = MM_DOWNLOAD_MANAGER (object);

  if (self->save_id != 0)
    save_or_warn (self);
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  if (self->items != NULL)
    {
      /* The saved states stay as they are ("downloading" comes back per
       * :auto-resume); the transfers stop, keeping their partial files. */
      for (guint i = 0; i < self->items->len; i++)
        {
          MmDownloadItem *item = g_ptr_array_index (self->items, i);

          g_signal_handlers_disconnect_by_data (item, self);
          if (mm_download_item_is_active (item))
            mm_download_item_pause (item);
        }
      g_clear_pointer (&self->items, g_ptr_array_unref);
    }

  g_clear_object (&self->client);
  g_clear_object (&self->limiter);

  G_OBJECT_CLASS (mm_download_manager_parent_class)->dispose (object);
}

static void
mm_download_manager_finalize (GObject *object)
{
  MmDownloadManager *self = MM_DOWNLOAD_MANAGER (object);

  g_free (self->download_dir);
  g_free (self->hf_cache_dir);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (mm_download_manager_parent_class)->finalize (object);
}

static void
mm_download_manager_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MmDownloadManager *self = MM_DOWNLOAD_MANAGER (object);

  switch ((MmDownloadManagerProperty) prop_id)
    {
    case PROP_MAX_CONCURRENT:
      g_value_set_uint (value, self->max_concurrent);
      break;
    case PROP_CONNECTIONS:
      g_value_set_uint (value, self->connections);
      break;
    case PROP_ACTIVE_COUNT:
      g_value_set_uint (value, self->active_count);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint64 (value, mm_download_manager_get_rate_limit (self));
      break;
    case PROP_DOWNLOAD_DIR:
      g_value_set_string (value, self->download_dir);
      break;
    case PROP_AUTO_RESUME:
      g_value_set_boolean (value, self->auto_resume);
      break;
    case PROP_STATE_FILE:
      g_value_set_string (value, mm_download_store_get_path (self->store));
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->network_available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, self->network_metered);
      break;
    case PROP_METERED_POLICY:
      g_value_set_enum (value, self->metered_policy);
      break;
    case PROP_WAITING_COUNT:
      g_value_set_uint (value, self->waiting_count);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_manager_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MmDownloadManager *self = MM_DOWNLOAD_MANAGER (object);

  switch ((MmDownloadManagerProperty) prop_id)
    {
    case PROP_MAX_CONCURRENT:
      mm_download_manager_set_max_concurrent (self, g_value_get_uint (value));
      break;
    case PROP_CONNECTIONS:
      mm_download_manager_set_connections (self, g_value_get_uint (value));
      break;
    case PROP_RATE_LIMIT:
      mm_download_manager_set_rate_limit (self, g_value_get_uint64 (value));
      break;
    case PROP_DOWNLOAD_DIR:
      mm_download_manager_set_download_dir (self, g_value_get_string (value));
      break;
    case PROP_AUTO_RESUME:
      mm_download_manager_set_auto_resume (self, g_value_get_boolean (value));
      break;
    case PROP_NETWORK_MONITOR:
      mm_download_manager_set_network_monitor (self, g_value_get_object (value));
      break;
    case PROP_METERED_POLICY:
      mm_download_manager_set_metered_policy (self, g_value_get_enum (value));
      break;
    case PROP_NETWORK_AVAILABLE:
    case PROP_NETWORK_METERED:
    case PROP_WAITING_COUNT:
    case PROP_ACTIVE_COUNT:
    case PROP_STATE_FILE:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_manager_class_init (MmDownloadManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_download_manager_dispose;
  object_class->finalize = mm_download_manager_finalize;
  object_class->get_property = mm_download_manager_get_property;
  object_class->set_property = mm_download_manager_set_property;

  /**
   * MmDownloadManager:max-concurrent:
   *
   * How many items may download at once; the others wait, queued. Lowering
   * it lets running items finish.
   */
  properties[PROP_MAX_CONCURRENT] =
    g_param_spec_uint ("max-concurrent", NULL, NULL, 1, 16, 2,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MmDownloadManager:connections:
   *
   * How many connections one large file may use at once (1 for one).
   * Takes effect at each file's next attempt.
   */
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 1, 64, 8,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:active-count: items holding a slot (for the app's suspend inhibitor) */
  properties[PROP_ACTIVE_COUNT] =
    g_param_spec_uint ("active-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:rate-limit: bytes per second for all transfers together, 0 for none */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint64 ("rate-limit", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:download-dir: where new items download to */
  properties[PROP_DOWNLOAD_DIR] =
    g_param_spec_string ("download-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MmDownloadManager:auto-resume:
   *
   * Whether mm_download_manager_load() queues again the items that were
   * queued or running when the app stopped; otherwise they come back
   * paused. Items the user paused stay paused either way.
   */
  properties[PROP_AUTO_RESUME] =
    g_param_spec_boolean ("auto-resume", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:state-file: where the queue and history are saved */
  properties[PROP_STATE_FILE] =
    g_param_spec_string ("state-file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmDownloadManager:network-monitor: (nullable)
   *
   * Where the manager learns whether there is a network and whether it is
   * metered; the default monitor unless set. %NULL: always online.
   */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:network-available: whether the computer has a network */
  properties[PROP_NETWORK_AVAILABLE] =
    g_param_spec_boolean ("network-available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:network-metered: whether the network is metered */
  properties[PROP_NETWORK_METERED] =
    g_param_spec_boolean ("network-metered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:metered-policy: what to do on a metered network */
  properties[PROP_METERED_POLICY] =
    g_param_spec_enum ("metered-policy", NULL, NULL, MM_TYPE_METERED_POLICY,
                       MM_METERED_POLICY_ASK,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmDownloadManager:waiting-count: items waiting (network, metered, schedule) */
  properties[PROP_WAITING_COUNT] =
    g_param_spec_uint ("waiting-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmDownloadManager::item-state-changed:
   * @self: the manager
   * @item: the #MmDownloadItem whose :state changed
   * @old_state: the #MmDownloadItemState it had before
   *
   * Emitted once for each change of an item's :state while the item is in
   * the list, after the manager saved the list and counted its active
   * items; never when the state did not change (notifications merged by a
   * freeze that end where they began). The new state is
   * mm_download_item_get_state(). Watch this rather than each item's
   * notify::state: it follows the items that come and go by itself.
   */
  signals[SIGNAL_ITEM_STATE_CHANGED] =
    g_signal_new ("item-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, MM_TYPE_DOWNLOAD_ITEM,
                  MM_TYPE_DOWNLOAD_ITEM_STATE);
}

static void
mm_download_manager_init (MmDownloadManager *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->limiter = mm_rate_limiter_new (0);
  self->max_concurrent = 2;
  self->connections = 8;
  self->auto_resume = TRUE;
  self->network_available = TRUE;
  self->metered_policy = MM_METERED_POLICY_ASK;
}

/**
 * mm_download_manager_new:
 * @client: the Hub client the downloads use
 * @download_dir: where new items download to
 * @state_file: (nullable): where to save the queue and history; %NULL for
 *   `$XDG_DATA_HOME/model-manager/downloads.json`
 *
 * Creates an empty manager; call mm_download_manager_load() to restore the
 * saved list before adding to it.
 *
 * Returns: (transfer full): the manager
 */
MmDownloadManager *
mm_download_manager_new (MmHubClient *client,
                         const char  *download_dir,
                         const char  *state_file)
{
  MmDownloadManager *self;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (download_dir != NULL, NULL);

  self = g_object_new (MM_TYPE_DOWNLOAD_MANAGER,
                       "network-monitor", g_network_monitor_get_default (),
                       NULL);
  self->client = g_object_ref (client);
  self->download_dir = g_strdup (download_dir);
  self->store = mm_download_store_new (state_file);

  return self;
}

/* Keeps an unreadable state file for a person to look at. */
/**
 * mm_download_manager_load:
 * @error: return location for a %MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE
 *   error, or a #GFileError when the file cannot be read
 *
 * Restores the saved queue and history, once, before anything is added.
 * Completed, failed and cancelled items come back as history. Unfinished
 * items count the bytes of their partial files and come back queued when
 * :auto-resume is %TRUE (they then start by themselves), paused otherwise;
 * items the user paused stay paused. A missing file is an empty list.
 *
 * A file that cannot be read, in whole or in part, is moved aside to
 * `downloads.json.corrupt-<timestamp>` with a warning; the entries that
 * could be read are restored (and saved again), and the error says so.
 *
 * Returns: %TRUE when the whole list was restored
 */
gboolean
mm_download_manager_load (MmDownloadManager  *self,
                          GError            **error)
{
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *backup = NULL;
  const char *state_file;
  guint n_bad = 0;

  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), FALSE);
  g_return_val_if_fail (!self->loaded, FALSE);

  self->loaded = TRUE;
  state_file = mm_download_store_get_path (self->store);

  items = mm_download_store_load (self->store, &local_error);
  if (items == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return TRUE;
  if (items == NULL && !g_error_matches (local_error, MM_DOWNLOAD_STORE_ERROR,
                                         MM_DOWNLOAD_STORE_ERROR_CORRUPT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the list of downloads: "));
      return FALSE;
    }

  if (items == NULL)
    problem = g_strdup (local_error->message);
  else
    {
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          g_autoptr(GError) item_error = NULL;
          MmDownloadItem *item = NULL;

          if (JSON_NODE_HOLDS_OBJECT (node))
            item = mm_download_item_new_from_json (self->client, json_node_get_object (node),
                                                   self->auto_resume, &item_error);
          else
            g_set_error_literal (&item_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("an entry is not a JSON object"));

          if (item == NULL)
            {
              n_bad++;
              if (problem == NULL)
                problem = g_strdup (item_error->message);
              continue;
            }
          g_ptr_array_add (restored, item);
        }
    }

  append_items (self, restored);

  if (problem != NULL)
    {
      g_autoptr(GError) move_error = NULL;

      backup = mm_download_store_move_aside (self->store, &move_error);
      g_warning ("The list of downloads %s could not be read (%s); %s",
                 state_file, problem, backup ? backup : move_error->message);

      if (restored->len > 0)
        g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u saved download could not be read (%s). The damaged "
                                  "list was kept as “%s”; the others were restored.",
                                  "%u saved downloads could not be read (%s). The damaged "
                                  "list was kept as “%s”; the others were restored.", n_bad),
                     n_bad, problem, backup ? backup : state_file);
      else
        g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE,
                     _("The saved list of downloads could not be read (%s). It was kept "
                       "as “%s”, and the list starts empty."),
                     problem, backup ? backup : state_file);

      /* Only once the damaged file is safe elsewhere. */
      if (backup != NULL && restored->len > 0)
        save_or_warn (self);
      schedule (self);
      return FALSE;
    }

  schedule (self);
  return TRUE;
}

/**
 * _mm_download_manager_save:
 * @error: return location for a #GFileError
 *
 * Writes the queue and history now, atomically. The manager does this by
 * itself; this is for callers that want it on disk at a given moment.
 *
 * Returns: whether the file was written
 */
gboolean
_mm_download_manager_save (MmDownloadManager  *self,
                           GError            **error)
{
  g_autoptr(JsonArray) items = NULL;

  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);

  items = build_state (self);
  return mm_download_store_save (self->store, items, error);
}

/**
 * _mm_download_manager_add_quant:
 * @model: the repository, from model info (its commit is used for every file)
 * @quant: the quantization to download (all parts of a split set)
 * @error: return location for a %MM_DOWNLOAD_MANAGER_ERROR
 *
 * Queues @quant after checking it can be downloaded: a valid repository,
 * safe names, every part of a split set, not queued already, not on disk
 * already (%MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED: offer to open
 * it), and enough free space. It starts when a slot is free.
 *
 * Returns: (transfer none) (nullable): the new item, owned by the manager
 */
MmDownloadItem *
_mm_download_manager_add_quant (MmDownloadManager  *self,
                                MmModel            *model,
                                MmQuant            *quant,
                                GError            **error)
{
  return mm_download_manager_add_quant_later (self, model, quant, NULL, NULL, error);
}

/**
 * mm_download_manager_add_quant_later:
 * @model: the repository, from model info
 * @quant: the quantization to download
 * @start: (nullable): when it may start; %NULL for as soon as possible
 * @end: (nullable): when its window ends (it then waits for the same
 *   window a day later); %NULL to go on until done
 * @error: return location for a %MM_DOWNLOAD_MANAGER_ERROR
 *
 * Like _mm_download_manager_add_quant(), for a download the user asked for
 * later: the item waits (%MM_DOWNLOAD_ITEM_WAIT_SCHEDULE) until @start,
 * also across restarts.
 *
 * Returns: (transfer none) (nullable): the new item, owned by the manager
 */
MmDownloadItem *
mm_download_manager_add_quant_later (MmDownloadManager  *self,
                                     MmModel            *model,
                                     MmQuant            *quant,
                                     GDateTime          *start,
                                     GDateTime          *end,
                                     GError            **error)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  g_return_val_if_fail (MM_IS_MODEL (model), NULL);
  g_return_val_if_fail (MM_IS_QUANT (quant), NULL);
  g_return_val_if_fail (end == NULL || start != NULL, NULL);

  if (mm_quant_get_is_split (quant) && !mm_quant_get_is_complete (quant))
    {
      g_autofree char *name = describe (mm_model_get_id (model), mm_quant_get_label (quant));

      g_set_error (error, MM_DOWNLOAD_MANAGER_ERROR, MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT,
                   _("%s is split into %u files, and not every part is available; "
                     "the model could not be used."), name, mm_quant_get_split_count (quant));
      return NULL;
    }

  return add_files_full (self, model, mm_quant_get_files (quant), mm_quant_get_name (quant),
                         mm_quant_get_label (quant), start, end, error);
}

/**
 * _mm_download_manager_add_files:
 * @model: the repository, from model info (its commit is used for every file)
 * @files: (element-type MmRepoFile): the files, in download order
 * @label: (nullable): what a person reads; it is also the name that
 *   mm_download_manager_find() matches. The first file's name when %NULL.
 * @error: return location for a %MM_DOWNLOAD_MANAGER_ERROR
 *
 * Queues @files as one item, with the checks of
 * _mm_download_manager_add_quant().
 *
 * Returns: (transfer none) (nullable): the new item, owned by the manager
 */
MmDownloadItem *
_mm_download_manager_add_files (MmDownloadManager  *self,
                                MmModel            *model,
                                GPtrArray          *files,
                                const char         *label,
                                GError            **error)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  g_return_val_if_fail (MM_IS_MODEL (model), NULL);

  return add_files_full (self, model, files, label, label, NULL, NULL, error);
}

/**
 * mm_download_manager_check_files:
 * @model: the repository, from model info
 * @files: (element-type MmRepoFile): the files
 * @label: (nullable): what the messages call them; the first file's name
 *   when %NULL
 * @error: return location for a %MM_DOWNLOAD_MANAGER_ERROR
 *
 * Runs the checks of mm_download_manager_add_quant() (safe names, whole
 * split sets, not queued, not on disk already, enough free space in the
 * manager's folder) without queueing anything: for the command line,
 * which downloads by itself.
 *
 * Returns: whether @files could be queued
 */
gboolean
mm_download_manager_check_files (MmDownloadManager  *self,
                                 MmModel            *model,
                                 GPtrArray          *files,
                                 const char         *label,
                                 GError            **error)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), FALSE);
  g_return_val_if_fail (MM_IS_MODEL (model), FALSE);

  return check_files (self, model, files, label, error);
}

/**
 * mm_download_manager_remove:
 * @item: an item of the list
 *
 * Takes @item off the list (and the history). An unfinished item is
 * cancelled, keeping its partial files: queuing it again resumes.
 */
void
mm_download_manager_remove (MmDownloadManager *self,
                            MmDownloadItem    *item)
{
  g_autoptr(MmDownloadItem) held = NULL;
  guint position;

  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));
  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (item));

  if (!g_ptr_array_find (self->items, item, &position))
    return;

  held = g_object_ref (item);
  remove_range (self, position, 1);
  if (!mm_download_item_is_finished (item))
    mm_download_item_cancel (item, FALSE);

  save_or_warn (self);
  schedule (self);
}

/**
 * mm_download_manager_find:
 * @repo_id: `owner/name`
 * @quant_name: a quantization name or label
 *
 * Returns: (transfer none) (nullable): the unfinished item for that
 *   choice, else the latest finished one, or %NULL
 */
MmDownloadItem *
mm_download_manager_find (MmDownloadManager *self,
                          const char        *repo_id,
                          const char        *quant_name)
{
  MmDownloadItem *found = NULL;

  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  g_return_val_if_fail (repo_id != NULL, NULL);
  g_return_val_if_fail (quant_name != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);

      if (!g_str_equal (mm_download_item_get_repo_id (item), repo_id) ||
          (g_strcmp0 (mm_download_item_get_quant_name (item), quant_name) != 0 &&
           g_strcmp0 (mm_download_item_get_subtitle (item), quant_name) != 0))
        continue;

      if (!mm_download_item_is_finished (item))
        return item;
      found = item;
    }

  return found;
}

/**
 * mm_download_manager_pause_all:
 *
 * Pauses every queued, waiting and running item.
 */
void
mm_download_manager_pause_all (MmDownloadManager *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  /* Queued ones first, so that no stopping item hands its slot on. */
  self->hold++;
  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);

      if ((mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_QUEUED ||
           mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_WAITING) &&
          !mm_download_item_is_active (item))
        mm_download_item_pause (item);
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);

      if (mm_download_item_is_active (item))
        mm_download_item_pause (item);
    }
  self->hold--;
}

/**
 * _mm_download_manager_resume_all:
 *
 * Queues every paused item again, in list order.
 */
void
_mm_download_manager_resume_all (MmDownloadManager *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  self->hold++;
  for (guint i = 0; i < self->items->len; i++)
    {
      MmDownloadItem *item = g_ptr_array_index (self->items, i);

      if (mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_PAUSED)
        mm_download_item_resume (item);
    }
  self->hold--;
  schedule (self);
}

/**
 * _mm_download_manager_clear_history:
 *
 * Removes the completed, failed and cancelled items from the list. Files
 * on disk are kept.
 */
void
_mm_download_manager_clear_history (MmDownloadManager *self)
{
  guint end;

  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  /* From the end, one items-changed per run of finished items. */
  end = self->items->len;
  while (end > 0)
    {
      guint start = end;

      while (start > 0 && mm_download_item_is_finished (g_ptr_array_index (self->items, start - 1)))
        start--;
      if (start < end)
        remove_range (self, start, end - start);
      end = start > 0 ? start - 1 : 0;
    }

  save_or_warn (self);
}

/**
 * mm_download_manager_get_client:
 *
 * Returns: (transfer none): the Hub client new and waiting downloads use
 */
MmHubClient *
mm_download_manager_get_client (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  return self->client;
}

/**
 * mm_download_manager_set_client:
 * @client: a Hub client, say with a new access token or endpoint
 *
 * Makes @client the one every item uses from its next attempt on: queued,
 * paused, failed and cancelled items (so that Retry after adding a token
 * sends it), items waiting to retry, and items added later. Transfers that
 * are running finish with the client they started with.
 */
void
mm_download_manager_set_client (MmDownloadManager *self,
                                MmHubClient       *client)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  for (guint i = 0; i < self->items->len; i++)
    mm_download_item_set_client (g_ptr_array_index (self->items, i), client);
}

/**
 * mm_download_manager_get_state_file:
 * Returns: where the queue and history are saved
 */
const char *
mm_download_manager_get_state_file (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  return mm_download_store_get_path (self->store);
}

guint
mm_download_manager_get_max_concurrent (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), 0);
  return self->max_concurrent;
}

/**
 * mm_download_manager_set_max_concurrent:
 * @max_concurrent: at least 1
 *
 * Raising it starts queued items at once; lowering it lets running ones finish.
 */
void
mm_download_manager_set_max_concurrent (MmDownloadManager *self,
                                        guint              max_concurrent)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  max_concurrent = MAX (max_concurrent, 1u);
  if (self->max_concurrent == max_concurrent)
    return;

  self->max_concurrent = max_concurrent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
  schedule (self);
}

guint
mm_download_manager_get_connections (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), 1);
  return self->connections;
}

/**
 * mm_download_manager_set_connections:
 * @connections: at least 1
 *
 * How many connections one large file may use at once, from each file's
 * next attempt on.
 */
void
mm_download_manager_set_connections (MmDownloadManager *self,
                                     guint              connections)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  connections = CLAMP (connections, 1u, 64u);
  if (self->connections == connections)
    return;

  self->connections = connections;
  for (guint i = 0; i < self->items->len; i++)
    mm_download_item_set_connections (g_ptr_array_index (self->items, i), connections);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
}

/**
 * mm_download_manager_get_active_count:
 * Returns: how many items hold a slot (download, retry or verify)
 */
guint
mm_download_manager_get_active_count (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), 0);
  return self->active_count;
}

guint64
mm_download_manager_get_rate_limit (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), 0);
  return mm_rate_limiter_get_rate (self->limiter);
}

/**
 * mm_download_manager_set_rate_limit:
 * @bytes_per_second: for all transfers together; 0 for no limit
 *
 * Takes effect at once, running transfers included.
 */
void
mm_download_manager_set_rate_limit (MmDownloadManager *self,
                                    guint64            bytes_per_second)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  if (mm_rate_limiter_get_rate (self->limiter) == bytes_per_second)
    return;

  mm_rate_limiter_set_rate (self->limiter, bytes_per_second);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

const char *
mm_download_manager_get_download_dir (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  return self->download_dir;
}

/**
 * mm_download_manager_set_download_dir:
 * @download_dir: the folder for items added from now on
 *
 * Items already in the list keep their folder.
 */
void
mm_download_manager_set_download_dir (MmDownloadManager *self,
                                      const char        *download_dir)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));
  g_return_if_fail (download_dir != NULL);

  if (g_strcmp0 (self->download_dir, download_dir) == 0)
    return;

  g_free (self->download_dir);
  self->download_dir = g_strdup (download_dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_DIR]);
}

gboolean
mm_download_manager_get_auto_resume (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), FALSE);
  return self->auto_resume;
}

void
mm_download_manager_set_auto_resume (MmDownloadManager *self,
                                     gboolean           auto_resume)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  auto_resume = !!auto_resume;
  if (self->auto_resume == auto_resume)
    return;

  self->auto_resume = auto_resume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_RESUME]);
}

/**
 * mm_download_manager_get_network_monitor:
 * Returns: (transfer none) (nullable): the network monitor
 */
GNetworkMonitor *
mm_download_manager_get_network_monitor (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);
  return self->monitor;
}

/**
 * mm_download_manager_set_network_monitor:
 * @monitor: (nullable): the monitor; %NULL to count the network as always there
 *
 * Sets where the manager learns about the network. Tests give a monitor of
 * their own.
 */
void
mm_download_manager_set_network_monitor (MmDownloadManager *self,
                                         GNetworkMonitor   *monitor)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));
  g_return_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_object (monitor, "notify::network-available",
                               G_CALLBACK (network_notify_cb), self, 0);
      g_signal_connect_object (monitor, "notify::network-metered",
                               G_CALLBACK (network_notify_cb), self, 0);
      g_signal_connect_object (monitor, "network-changed",
                               G_CALLBACK (network_changed_cb), self, 0);
    }

  read_network (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
  schedule_later (self);
}

/**
 * mm_download_manager_get_network_available:
 * Returns: whether the network monitor says there is a network
 */
gboolean
mm_download_manager_get_network_available (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), TRUE);
  return self->network_available;
}

/**
 * mm_download_manager_get_network_metered:
 * Returns: whether the network monitor says the network is metered
 */
gboolean
mm_download_manager_get_network_metered (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), FALSE);
  return self->network_metered;
}

MmMeteredPolicy
mm_download_manager_get_metered_policy (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), MM_METERED_POLICY_ASK);
  return self->metered_policy;
}

/**
 * mm_download_manager_set_metered_policy:
 *
 * Sets what happens on a metered network; items waiting for it go on at
 * once when the new policy allows them.
 */
void
mm_download_manager_set_metered_policy (MmDownloadManager *self,
                                        MmMeteredPolicy    policy)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));
  g_return_if_fail (policy <= MM_METERED_POLICY_CONTINUE);

  if (self->metered_policy == policy)
    return;

  self->metered_policy = policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERED_POLICY]);
  schedule_later (self);
}

/**
 * mm_download_manager_get_waiting_count:
 * Returns: how many items wait for the network, a metered network's end or
 *   their scheduled time
 */
guint
mm_download_manager_get_waiting_count (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), 0);
  return self->waiting_count;
}

/**
 * _mm_download_manager_set_clock:
 * @clock: (nullable) (scope notified): the wall clock; %NULL for g_get_real_time()
 * @user_data: data for @clock
 *
 * Replaces the wall clock the schedules and the wake-up check read, for
 * tests. Call _mm_download_manager_check_clock() after moving it.
 */
void
_mm_download_manager_set_clock (MmDownloadManager      *self,
                                MmDownloadManagerClock  clock,
                                gpointer                user_data)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  self->clock = clock;
  self->clock_data = user_data;
  self->watch_mono_us = 0;
  schedule_later (self);
}

/**
 * _mm_download_manager_check_clock:
 *
 * Reads the wall clock now instead of at the next look: starts items whose
 * time has come, holds those whose window ended, and gives every transfer
 * new connections if the clock shows the computer slept. The manager does
 * this by itself every few seconds; call it when you know better (a
 * resume from suspend, a test's clock moved).
 */
void
_mm_download_manager_check_clock (MmDownloadManager *self)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  check_clock (self);
  schedule (self);
}

static void
set_date (GDateTime **date,
          GDateTime  *value)
{
  g_date_time_ref (value);
  g_clear_pointer (date, g_date_time_unref);
  *date = value;
}

/**
 * mm_download_window_next_start:
 * @now: the current time
 * @start_minute: the window's start, in minutes after local midnight
 * @end_minute: its end, in minutes after local midnight; before
 *   @start_minute for a window across midnight, equal for none
 * @end: (out) (optional) (nullable) (transfer full): the end of the window
 *   returned, %NULL when the window has no end
 *
 * Finds the window a "Download later" item waits for: the one under way at
 * @now (its start is then in the past), or else the next one.
 *
 * Returns: (transfer full): the window's start, in local time
 */
GDateTime *
mm_download_window_next_start (GDateTime  *now,
                               guint       start_minute,
                               guint       end_minute,
                               GDateTime **end)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) start = NULL;
  guint length;

  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (start_minute < 24 * 60 && end_minute < 24 * 60, NULL);

  local = g_date_time_to_local (now);
  length = (end_minute + 24 * 60 - start_minute) % (24 * 60);
  start = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                 g_date_time_get_day_of_month (local),
                                 start_minute / 60, start_minute % 60, 0);

  if (length > 0)
    {
      /* Yesterday's window may run past midnight into now. */
      g_autoptr(GDateTime) yesterday = g_date_time_add_days (start, -1);
      g_autoptr(GDateTime) yesterday_end = g_date_time_add_minutes (yesterday, (int) length);
      g_autoptr(GDateTime) today_end = g_date_time_add_minutes (start, (int) length);

      if (g_date_time_compare (local, yesterday_end) < 0)
        set_date (&start, yesterday);
      else if (g_date_time_compare (local, today_end) >= 0)
        {
          g_autoptr(GDateTime) tomorrow = g_date_time_add_days (start, 1);

          set_date (&start, tomorrow);
        }
    }
  else if (g_date_time_compare (local, start) >= 0)
    {
      g_autoptr(GDateTime) tomorrow = g_date_time_add_days (start, 1);

      set_date (&start, tomorrow);
    }

  if (end != NULL)
    *end = length > 0 ? g_date_time_add_minutes (start, (int) length) : NULL;

  return g_steal_pointer (&start);
}

/**
 * mm_download_manager_set_hf_cache_dir:
 * @cache_dir: (nullable): the Hugging Face cache new items are saved in,
 *   or %NULL for the download folder
 *
 * Items queued from now on are saved in the cache's own layout (see
 * mm_download_item_new_in_hf_cache()); queued ones stay where they are.
 */
void
mm_download_manager_set_hf_cache_dir (MmDownloadManager *self,
                                      const char        *cache_dir)
{
  g_return_if_fail (MM_IS_DOWNLOAD_MANAGER (self));

  g_free (self->hf_cache_dir);
  self->hf_cache_dir = g_strdup (cache_dir);
}

const char *
mm_download_manager_get_hf_cache_dir (MmDownloadManager *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (self), NULL);

  return self->hf_cache_dir;
}
