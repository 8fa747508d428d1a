/* mm-download-manager.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmDownloadManager belongs to the thread whose thread-default
 * main context was current when it was created; call it there. Its list
 * and properties change and are notified there.
 */
#pragma once

#include <gio/gio.h>

#include "mm-download-item.h"
#include "mm-hub-client.h"
#include "mm-model.h"
#include "mm-quant.h"

G_BEGIN_DECLS

#define MM_DOWNLOAD_MANAGER_ERROR (mm_download_manager_error_quark ())

/**
 * MmDownloadManagerError:
 * @MM_DOWNLOAD_MANAGER_ERROR_INVALID_REPO: the model's id is not `owner/name`
 * @MM_DOWNLOAD_MANAGER_ERROR_NO_FILES: there is nothing to download
 * @MM_DOWNLOAD_MANAGER_ERROR_UNSAFE_NAME: a file's name is not safe to write
 * @MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT: parts of a split set are missing
 * @MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED: every file is already on disk
 *   with the right size (offer to open it)
 * @MM_DOWNLOAD_MANAGER_ERROR_ALREADY_QUEUED: an unfinished item already
 *   downloads one of these files
 * @MM_DOWNLOAD_MANAGER_ERROR_NO_SPACE: not enough free space for all files
 * @MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE: the saved list of downloads
 *   could not be read; it was moved aside
 */
typedef enum {
  MM_DOWNLOAD_MANAGER_ERROR_INVALID_REPO,
  MM_DOWNLOAD_MANAGER_ERROR_NO_FILES,
  MM_DOWNLOAD_MANAGER_ERROR_UNSAFE_NAME,
  MM_DOWNLOAD_MANAGER_ERROR_INCOMPLETE_SPLIT,
  MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED,
  MM_DOWNLOAD_MANAGER_ERROR_ALREADY_QUEUED,
  MM_DOWNLOAD_MANAGER_ERROR_NO_SPACE,
  MM_DOWNLOAD_MANAGER_ERROR_CORRUPT_STATE,
} MmDownloadManagerError;

/**
 * MmMeteredPolicy:
 * @MM_METERED_POLICY_ASK: items wait on a metered network; the app asks
 *   before it queues new ones (the manager treats it like @PAUSE)
 * @MM_METERED_POLICY_PAUSE: items wait on a metered network
 * @MM_METERED_POLICY_CONTINUE: a metered network is like any other
 *
 * What to do when the network is metered. An item the user allowed
 * (mm_download_item_set_allow_metered()) downloads whatever the policy.
 */
typedef enum {
  MM_METERED_POLICY_ASK,
  MM_METERED_POLICY_PAUSE,
  MM_METERED_POLICY_CONTINUE,
} MmMeteredPolicy;

/* MM_TYPE_METERED_POLICY is in mm-enum-types.h (glib-mkenums), as the other
 * enums of settings keys are. */

#define MM_TYPE_DOWNLOAD_MANAGER (mm_download_manager_get_type ())

G_DECLARE_FINAL_TYPE (MmDownloadManager, mm_download_manager, MM, DOWNLOAD_MANAGER, GObject)

GQuark             mm_download_manager_error_quark      (void);

MmDownloadManager *mm_download_manager_new              (MmHubClient        *client,
                                                         const char         *download_dir,
                                                         const char         *state_file);
gboolean           mm_download_manager_load             (MmDownloadManager  *self,
                                                         GError            **error);

MmDownloadItem    *mm_download_manager_add_quant_later  (MmDownloadManager  *self,
                                                         MmModel            *model,
                                                         MmQuant            *quant,
                                                         GDateTime          *start,
                                                         GDateTime          *end,
                                                         GError            **error);
gboolean           mm_download_manager_check_files      (MmDownloadManager  *self,
                                                         MmModel            *model,
                                                         GPtrArray          *files,
                                                         const char         *label,
                                                         GError            **error);
void               mm_download_manager_remove           (MmDownloadManager  *self,
                                                         MmDownloadItem     *item);
MmDownloadItem    *mm_download_manager_find             (MmDownloadManager  *self,
                                                         const char         *repo_id,
                                                         const char         *quant_name);
void               mm_download_manager_pause_all        (MmDownloadManager  *self);

MmHubClient       *mm_download_manager_get_client       (MmDownloadManager  *self);
void               mm_download_manager_set_client       (MmDownloadManager  *self,
                                                         MmHubClient        *client);
const char        *mm_download_manager_get_state_file   (MmDownloadManager  *self);
guint              mm_download_manager_get_max_concurrent (MmDownloadManager *self);
guint              mm_download_manager_get_connections    (MmDownloadManager *self);
void               mm_download_manager_set_connections    (MmDownloadManager *self,
                                                           guint              connections);
void               mm_download_manager_set_max_concurrent (MmDownloadManager *self,
                                                           guint              max_concurrent);
guint              mm_download_manager_get_active_count (MmDownloadManager  *self);
guint64            mm_download_manager_get_rate_limit   (MmDownloadManager  *self);
void               mm_download_manager_set_rate_limit   (MmDownloadManager  *self,
                                                         guint64             bytes_per_second);
const char        *mm_download_manager_get_download_dir (MmDownloadManager  *self);
void               mm_download_manager_set_download_dir (MmDownloadManager  *self,
                                                         const char         *download_dir);
gboolean           mm_download_manager_get_auto_resume  (MmDownloadManager  *self);
void               mm_download_manager_set_auto_resume  (MmDownloadManager  *self,
                                                         gboolean            auto_resume);

GNetworkMonitor   *mm_download_manager_get_network_monitor (MmDownloadManager *self);
void               mm_download_manager_set_network_monitor (MmDownloadManager *self,
                                                            GNetworkMonitor   *monitor);
gboolean           mm_download_manager_get_network_available (MmDownloadManager *self);
gboolean           mm_download_manager_get_network_metered (MmDownloadManager *self);
MmMeteredPolicy    mm_download_manager_get_metered_policy (MmDownloadManager *self);
void               mm_download_manager_set_metered_policy (MmDownloadManager *self,
                                                           MmMeteredPolicy    policy);
guint              mm_download_manager_get_waiting_count (MmDownloadManager *self);

GDateTime         *mm_download_window_next_start        (GDateTime          *now,
                                                         guint               start_minute,
                                                         guint               end_minute,
                                                         GDateTime         **end);
void                mm_download_manager_set_hf_cache_dir (MmDownloadManager *self,
                                                          const char        *cache_dir);
const char         *mm_download_manager_get_hf_cache_dir (MmDownloadManager *self);

G_END_DECLS
