/* mm-repo-file.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MM_TYPE_REPO_FILE (mm_repo_file_get_type ())

G_DECLARE_FINAL_TYPE (MmRepoFile, mm_repo_file, MM, REPO_FILE, GObject)

MmRepoFile *mm_repo_file_new             (const char  *path,
                                          guint64      size,
                                          const char  *sha256,
                                          const char  *oid);
MmRepoFile *mm_repo_file_new_from_json   (JsonObject  *object,
                                          GError     **error);
const char *mm_repo_file_get_path        (MmRepoFile  *self);
const char *mm_repo_file_get_basename    (MmRepoFile  *self);
guint64     mm_repo_file_get_size        (MmRepoFile  *self);
const char *mm_repo_file_get_sha256      (MmRepoFile  *self);
const char *mm_repo_file_get_oid         (MmRepoFile  *self);
const char *mm_repo_file_get_problem     (MmRepoFile  *self);

G_END_DECLS
