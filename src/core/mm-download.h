/* mm-download.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmDownload belongs to the thread whose thread-default main
 * context was current when it was created. Call it there; its properties
 * are notified there (at most ten times a second for progress). The bytes
 * are moved, hashed and written by worker threads it owns. A running
 * attempt keeps the download alive: pause or cancel it before dropping
 * the last reference.
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-rate-limiter.h"
#include "mm-repo-file.h"

G_BEGIN_DECLS

#define MM_DOWNLOAD_ERROR (mm_download_error_quark ())

/**
 * MmDownloadError:
 * @MM_DOWNLOAD_ERROR_DISK_FULL: not enough free space, before or during the transfer
 * @MM_DOWNLOAD_ERROR_CHECKSUM: the bytes received do not match the Hub's SHA-256
 * @MM_DOWNLOAD_ERROR_SIZE: the server sent more or fewer bytes than the file has
 * @MM_DOWNLOAD_ERROR_UNSAFE_PATH: the file's name or the destination is not safe
 * @MM_DOWNLOAD_ERROR_IO: the file could not be written
 * @MM_DOWNLOAD_ERROR_GAVE_UP: too many attempts without progress
 * @MM_DOWNLOAD_ERROR_BUSY: another process is writing the same file
 * @MM_DOWNLOAD_ERROR_LINK_REFUSED: the download server refused a link the Hub had just given
 */
typedef enum {
  MM_DOWNLOAD_ERROR_DISK_FULL,
  MM_DOWNLOAD_ERROR_CHECKSUM,
  MM_DOWNLOAD_ERROR_SIZE,
  MM_DOWNLOAD_ERROR_UNSAFE_PATH,
  MM_DOWNLOAD_ERROR_IO,
  MM_DOWNLOAD_ERROR_GAVE_UP,
  MM_DOWNLOAD_ERROR_BUSY,
  MM_DOWNLOAD_ERROR_LINK_REFUSED,
} MmDownloadError;

/**
 * MmDownloadState:
 * @MM_DOWNLOAD_STATE_IDLE: created, not started
 * @MM_DOWNLOAD_STATE_CONNECTING: asking the Hub where the file is
 * @MM_DOWNLOAD_STATE_DOWNLOADING: bytes are arriving
 * @MM_DOWNLOAD_STATE_RETRYING: waiting for :retry-in seconds before trying again
 * @MM_DOWNLOAD_STATE_VERIFYING: hashing bytes already on disk
 * @MM_DOWNLOAD_STATE_PAUSED: stopped by the user; the partial file is kept
 * @MM_DOWNLOAD_STATE_COMPLETED: the file is in place and verified
 * @MM_DOWNLOAD_STATE_FAILED: stopped on an error (see :error); the partial is
 *   kept when it can be resumed
 * @MM_DOWNLOAD_STATE_CANCELLED: stopped by the user for good
 */
typedef enum {
  MM_DOWNLOAD_STATE_IDLE,
  MM_DOWNLOAD_STATE_CONNECTING,
  MM_DOWNLOAD_STATE_DOWNLOADING,
  MM_DOWNLOAD_STATE_RETRYING,
  MM_DOWNLOAD_STATE_VERIFYING,
  MM_DOWNLOAD_STATE_PAUSED,
  MM_DOWNLOAD_STATE_COMPLETED,
  MM_DOWNLOAD_STATE_FAILED,
  MM_DOWNLOAD_STATE_CANCELLED,
} MmDownloadState;

#define MM_TYPE_DOWNLOAD (mm_download_get_type ())

G_DECLARE_FINAL_TYPE (MmDownload, mm_download, MM, DOWNLOAD, GObject)

GQuark           mm_download_error_quark        (void);

MmDownload      *mm_download_new                (MmHubClient    *client,
                                                 const char     *repo_id,
                                                 const char     *revision,
                                                 MmRepoFile     *file,
                                                 const char     *download_dir,
                                                 GError        **error);
MmDownload      *mm_download_new_in_hf_cache    (MmHubClient    *client,
                                                 const char     *repo_id,
                                                 const char     *revision,
                                                 const char     *ref,
                                                 MmRepoFile     *file,
                                                 const char     *cache_dir,
                                                 GError        **error);
void             mm_download_start              (MmDownload     *self);
void             mm_download_pause              (MmDownload     *self);
void             mm_download_cancel             (MmDownload     *self,
                                                 gboolean        delete_partial);

MmDownloadState  mm_download_get_state          (MmDownload     *self);
gboolean         mm_download_is_finished        (MmDownload     *self);
const char      *mm_download_get_revision       (MmDownload     *self);
MmRepoFile      *mm_download_get_file           (MmDownload     *self);
const char      *mm_download_get_destination    (MmDownload     *self);
const char      *mm_download_get_partial_path   (MmDownload     *self);
guint64          mm_download_get_bytes_received (MmDownload     *self);
guint64          mm_download_get_total_bytes    (MmDownload     *self);
double           mm_download_get_speed          (MmDownload     *self);
gint64           mm_download_get_eta            (MmDownload     *self);
guint            mm_download_get_retry_in       (MmDownload     *self);
guint            mm_download_get_attempt        (MmDownload     *self);
guint            mm_download_get_connections    (MmDownload     *self);
const GError    *mm_download_get_error          (MmDownload     *self);
char            *mm_download_get_reused_from    (MmDownload     *self);

void             mm_download_set_client         (MmDownload     *self,
                                                 MmHubClient    *client);
void             mm_download_set_connections    (MmDownload     *self,
                                                 guint           connections);
void             mm_download_set_shared_limiter (MmDownload     *self,
                                                 MmRateLimiter  *limiter);

void             mm_download_set_worker_nice    (int             nice);

char            *mm_download_build_destination  (const char     *download_dir,
                                                 const char     *repo_id,
                                                 const char     *path,
                                                 GError        **error);

G_END_DECLS
