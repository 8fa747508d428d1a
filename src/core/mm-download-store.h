/* mm-download-store.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: mm_download_store_commit() may run in any thread; call the
 * rest of an MmDownloadStore from one thread at a time. The free
 * functions may run anywhere.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MM_DOWNLOAD_STORE_ERROR (mm_download_store_error_quark ())

/**
 * MmDownloadStoreError:
 * @MM_DOWNLOAD_STORE_ERROR_CORRUPT: the file is not a list of downloads
 *   (the message says what is wrong with it)
 */
typedef enum {
  MM_DOWNLOAD_STORE_ERROR_CORRUPT,
} MmDownloadStoreError;

/**
 * MmDownloadRecord:
 * @repo_id: (nullable): the repository, `owner/name`
 * @commit: (nullable): the commit it was downloaded from
 * @quant: (nullable): the quantization's name
 * @download_dir: (nullable): the folder the item downloaded to
 * @path: (nullable): the file's path in the repository
 * @destination: the absolute path it was written to, as recorded
 * @sha256: its SHA-256, in lower case
 * @size: its size in bytes, 0 when not recorded
 *
 * One completed file of the list of downloads.
 */
typedef struct {
  char *repo_id;
  char *commit;
  char *quant;
  char *download_dir;
  char *path;
  char *destination;
  char *sha256;
  guint64 size;
} MmDownloadRecord;

void mm_download_record_free (MmDownloadRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmDownloadRecord, mm_download_record_free)

/**
 * MmDownloadStoreWrite:
 *
 * A list of downloads ready to be written, from mm_download_store_prepare().
 */
typedef struct _MmDownloadStoreWrite MmDownloadStoreWrite;

void mm_download_store_write_free (MmDownloadStoreWrite *write);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmDownloadStoreWrite, mm_download_store_write_free)

#define MM_TYPE_DOWNLOAD_STORE (mm_download_store_get_type ())

G_DECLARE_FINAL_TYPE (MmDownloadStore, mm_download_store, MM, DOWNLOAD_STORE, GObject)

GQuark                mm_download_store_error_quark      (void);


MmDownloadStore      *mm_download_store_new              (const char            *path);
const char           *mm_download_store_get_path         (MmDownloadStore       *self);
JsonArray            *mm_download_store_load             (MmDownloadStore       *self,
                                                          GError               **error);
GPtrArray            *mm_download_store_read_completed   (MmDownloadStore       *self);
MmDownloadStoreWrite *mm_download_store_prepare          (MmDownloadStore       *self,
                                                          JsonArray             *items,
                                                          GError               **error);
gboolean              mm_download_store_commit           (MmDownloadStore       *self,
                                                          MmDownloadStoreWrite  *write,
                                                          GError               **error);
gboolean              mm_download_store_save             (MmDownloadStore       *self,
                                                          JsonArray             *items,
                                                          GError               **error);
char                 *mm_download_store_move_aside       (MmDownloadStore       *self,
                                                          GError               **error);

G_END_DECLS
