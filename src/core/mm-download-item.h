/* mm-download-item.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmDownloadItem belongs to the thread whose thread-default
 * main context was current when it was created, like its MmDownloads; call
 * it there, and its properties are notified there.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mm-download.h"
#include "mm-hub-client.h"
#include "mm-rate-limiter.h"

G_BEGIN_DECLS

/**
 * MmDownloadItemState:
 * @MM_DOWNLOAD_ITEM_STATE_QUEUED: waiting for a free slot in the queue
 * @MM_DOWNLOAD_ITEM_STATE_DOWNLOADING: connecting or moving bytes
 * @MM_DOWNLOAD_ITEM_STATE_PAUSED: held by the user (or restored without
 *   auto-resume); the partial files are kept
 * @MM_DOWNLOAD_ITEM_STATE_RETRYING: waiting :retry-in seconds after a
 *   transient error (see :error)
 * @MM_DOWNLOAD_ITEM_STATE_VERIFYING: checking bytes already on disk
 * @MM_DOWNLOAD_ITEM_STATE_COMPLETED: every file is in place and verified
 * @MM_DOWNLOAD_ITEM_STATE_FAILED: a file failed for good (see :error)
 * @MM_DOWNLOAD_ITEM_STATE_CANCELLED: stopped by the user
 * @MM_DOWNLOAD_ITEM_STATE_WAITING: held by the download manager until
 *   something outside changes (see :wait-reason); holds no queue slot and
 *   counts no time or attempts; the partial files are kept
 */
typedef enum {
  MM_DOWNLOAD_ITEM_STATE_QUEUED,
  MM_DOWNLOAD_ITEM_STATE_DOWNLOADING,
  MM_DOWNLOAD_ITEM_STATE_PAUSED,
  MM_DOWNLOAD_ITEM_STATE_RETRYING,
  MM_DOWNLOAD_ITEM_STATE_VERIFYING,
  MM_DOWNLOAD_ITEM_STATE_COMPLETED,
  MM_DOWNLOAD_ITEM_STATE_FAILED,
  MM_DOWNLOAD_ITEM_STATE_CANCELLED,
  MM_DOWNLOAD_ITEM_STATE_WAITING,
} MmDownloadItemState;

/**
 * MmDownloadItemWait:
 * @MM_DOWNLOAD_ITEM_WAIT_NONE: not waiting
 * @MM_DOWNLOAD_ITEM_WAIT_NETWORK: the computer has no network
 * @MM_DOWNLOAD_ITEM_WAIT_METERED: the network is metered and the settings
 *   say not to download on it
 * @MM_DOWNLOAD_ITEM_WAIT_SCHEDULE: the item waits for its scheduled time
 *
 * Why an item is %MM_DOWNLOAD_ITEM_STATE_WAITING.
 */
typedef enum {
  MM_DOWNLOAD_ITEM_WAIT_NONE,
  MM_DOWNLOAD_ITEM_WAIT_NETWORK,
  MM_DOWNLOAD_ITEM_WAIT_METERED,
  MM_DOWNLOAD_ITEM_WAIT_SCHEDULE,
} MmDownloadItemWait;

#define MM_TYPE_DOWNLOAD_ITEM_WAIT (mm_download_item_wait_get_type ())
GType mm_download_item_wait_get_type (void) G_GNUC_CONST;

#define MM_TYPE_DOWNLOAD_ITEM_STATE (mm_download_item_state_get_type ())
GType mm_download_item_state_get_type (void) G_GNUC_CONST;

#define MM_TYPE_DOWNLOAD_ITEM (mm_download_item_get_type ())

G_DECLARE_FINAL_TYPE (MmDownloadItem, mm_download_item, MM, DOWNLOAD_ITEM, GObject)

MmDownloadItem      *mm_download_item_new                (MmHubClient     *client,
                                                          const char      *repo_id,
                                                          const char      *revision,
                                                          const char      *quant_name,
                                                          const char      *label,
                                                          GPtrArray       *files,
                                                          const char      *download_dir,
                                                          GError         **error);
MmDownloadItem      *mm_download_item_new_in_hf_cache    (MmHubClient     *client,
                                                          const char      *repo_id,
                                                          const char      *revision,
                                                          const char      *quant_name,
                                                          const char      *label,
                                                          GPtrArray       *files,
                                                          const char      *cache_dir,
                                                          GError         **error);
MmDownloadItem      *mm_download_item_new_from_json      (MmHubClient     *client,
                                                          JsonObject      *object,
                                                          gboolean         resume_unfinished,
                                                          GError         **error);
JsonNode            *mm_download_item_to_json            (MmDownloadItem  *self);

void                 mm_download_item_start              (MmDownloadItem  *self);
void                 mm_download_item_pause              (MmDownloadItem  *self);
void                 mm_download_item_resume             (MmDownloadItem  *self);
void                 mm_download_item_cancel             (MmDownloadItem  *self,
                                                          gboolean         delete_partial);
void                 mm_download_item_retry              (MmDownloadItem  *self);
void                 mm_download_item_hold               (MmDownloadItem  *self,
                                                          MmDownloadItemWait reason);
void                 mm_download_item_release            (MmDownloadItem  *self);
void                 mm_download_item_reconnect          (MmDownloadItem  *self);
void                 mm_download_item_set_schedule       (MmDownloadItem  *self,
                                                          GDateTime       *start,
                                                          GDateTime       *end);
GDateTime           *mm_download_item_get_scheduled_start (MmDownloadItem *self);
GDateTime           *mm_download_item_get_scheduled_end  (MmDownloadItem  *self);
MmDownloadItemWait   mm_download_item_get_wait_reason    (MmDownloadItem  *self);
char                *mm_download_item_describe_wait      (MmDownloadItem  *self);
gboolean             mm_download_item_get_allow_metered  (MmDownloadItem  *self);
void                 mm_download_item_set_allow_metered  (MmDownloadItem  *self,
                                                          gboolean         allow);

MmDownloadItemState  mm_download_item_get_state          (MmDownloadItem  *self);
gboolean             mm_download_item_is_active          (MmDownloadItem  *self);
gboolean             mm_download_item_is_finished        (MmDownloadItem  *self);
const char          *mm_download_item_get_repo_id        (MmDownloadItem  *self);
const char          *mm_download_item_get_quant_name     (MmDownloadItem  *self);
const char          *mm_download_item_get_title          (MmDownloadItem  *self);
const char          *mm_download_item_get_subtitle       (MmDownloadItem  *self);
const char          *mm_download_item_get_download_dir   (MmDownloadItem  *self);
const char          *mm_download_item_get_folder         (MmDownloadItem  *self);
const char          *mm_download_item_get_destination    (MmDownloadItem  *self);
GPtrArray           *mm_download_item_get_downloads      (MmDownloadItem  *self);
guint64              mm_download_item_get_bytes_received (MmDownloadItem  *self);
guint64              mm_download_item_get_total_bytes    (MmDownloadItem  *self);
double               mm_download_item_get_fraction       (MmDownloadItem  *self);
double               mm_download_item_get_speed          (MmDownloadItem  *self);
gint64               mm_download_item_get_eta            (MmDownloadItem  *self);
gint64               mm_download_item_get_elapsed        (MmDownloadItem  *self);
double               mm_download_item_get_duration       (MmDownloadItem  *self);
double               mm_download_item_get_average_speed  (MmDownloadItem  *self);
guint                mm_download_item_get_retry_in       (MmDownloadItem  *self);
const GError        *mm_download_item_get_error          (MmDownloadItem  *self);
GDateTime           *mm_download_item_get_created        (MmDownloadItem  *self);
GDateTime           *mm_download_item_get_finished       (MmDownloadItem  *self);

void                 mm_download_item_set_client         (MmDownloadItem  *self,
                                                          MmHubClient     *client);
guint                mm_download_item_get_connections    (MmDownloadItem  *self);
void                 mm_download_item_set_connections    (MmDownloadItem  *self,
                                                          guint            connections);
void                 mm_download_item_set_shared_limiter (MmDownloadItem  *self,
                                                          MmRateLimiter   *limiter);

G_END_DECLS
