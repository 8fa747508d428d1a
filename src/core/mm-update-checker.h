/* mm-update-checker.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmUpdateChecker belongs to the thread whose thread-default
 * main context was current when it was made; call it there.
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-repo-file.h"

G_BEGIN_DECLS

/* How often the background check runs at most. */
#define MM_UPDATE_CHECK_INTERVAL_S (24 * 60 * 60)

/**
 * MmUpdateFile:
 * @destination: the file on disk
 * @download_dir: the download folder it was downloaded into
 * @old_sha256: the SHA-256 it has (as recorded)
 * @file: the Hub's version: path, size and new SHA-256
 *
 * One file of a local quantization that changed upstream.
 */
typedef struct {
  char *destination;
  char *download_dir;
  char *old_sha256;
  MmRepoFile *file;
} MmUpdateFile;

/**
 * MmUpdate:
 * @repo_id: `owner/name`
 * @quant: (nullable): the quantization the files belong to
 * @old_commit: (nullable): the commit the files were downloaded from
 * @new_commit: the Hub's commit now
 * @date: (nullable): when the repo last changed on the Hub
 * @files: (element-type MmUpdateFile): the files that changed, only those
 *
 * An update of one local quantization.
 */
typedef struct {
  char *repo_id;
  char *quant;
  char *old_commit;
  char *new_commit;
  GDateTime *date;
  GPtrArray *files;
} MmUpdate;

#define MM_TYPE_UPDATE (mm_update_get_type ())
GType      mm_update_get_type         (void) G_GNUC_CONST;
MmUpdate  *mm_update_ref              (MmUpdate     *update);
void       mm_update_unref            (MmUpdate     *update);
guint64    mm_update_get_size         (MmUpdate     *update);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmUpdate, mm_update_unref)

#define MM_TYPE_UPDATE_CHECKER (mm_update_checker_get_type ())

G_DECLARE_FINAL_TYPE (MmUpdateChecker, mm_update_checker, MM, UPDATE_CHECKER, GObject)

MmUpdateChecker *mm_update_checker_new             (MmHubClient      *client,
                                                    const char       *state_file);
void             mm_update_checker_set_client      (MmUpdateChecker  *self,
                                                    MmHubClient      *client);

void             mm_update_checker_check_async     (MmUpdateChecker  *self,
                                                    const char       *repo_id,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
GPtrArray       *mm_update_checker_check_finish    (MmUpdateChecker  *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);

GPtrArray       *mm_update_checker_get_updates     (MmUpdateChecker  *self);
MmUpdate        *mm_update_checker_find            (MmUpdateChecker  *self,
                                                    const char       *destination);
GDateTime       *mm_update_checker_get_last_check  (MmUpdateChecker  *self);
gboolean         mm_update_checker_get_checking    (MmUpdateChecker  *self);
gboolean         mm_update_checker_is_due          (MmUpdateChecker  *self,
                                                    GDateTime        *now,
                                                    gboolean          metered);

void             mm_update_checker_update_async    (MmUpdateChecker  *self,
                                                    MmUpdate         *update,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
gboolean         mm_update_checker_update_finish   (MmUpdateChecker  *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);

GHashTable      *mm_update_records_read_sha256     (const char       *state_file);

G_END_DECLS
