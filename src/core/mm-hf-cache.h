/* mm-hf-cache.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions without state; those that touch the disk
 * block and belong in a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MmHfCacheSource:
 * @MM_HF_CACHE_SOURCE_HF_HUB_CACHE: `$HF_HUB_CACHE` (or its old name `$HUGGINGFACE_HUB_CACHE`)
 * @MM_HF_CACHE_SOURCE_HF_HOME: `$HF_HOME/hub`
 * @MM_HF_CACHE_SOURCE_XDG_CACHE_HOME: `$XDG_CACHE_HOME/huggingface/hub` (outside a sandbox)
 * @MM_HF_CACHE_SOURCE_DEFAULT: `~/.cache/huggingface/hub`
 *
 * Where mm_hf_cache_dup_dir() found the cache's location.
 */
typedef enum {
  MM_HF_CACHE_SOURCE_HF_HUB_CACHE,
  MM_HF_CACHE_SOURCE_HF_HOME,
  MM_HF_CACHE_SOURCE_XDG_CACHE_HOME,
  MM_HF_CACHE_SOURCE_DEFAULT,
} MmHfCacheSource;

char      *mm_hf_cache_dup_dir              (MmHfCacheSource  *source);
gboolean   mm_hf_cache_is_commit            (const char       *revision);
gboolean   mm_hf_cache_is_blob_id           (const char       *blob_id);

char      *mm_hf_cache_repo_folder          (const char       *cache_dir,
                                             const char       *repo_id);
char      *mm_hf_cache_repo_id_from_folder  (const char       *folder_name);
char      *mm_hf_cache_blob_path            (const char       *cache_dir,
                                             const char       *repo_id,
                                             const char       *blob_id);
char      *mm_hf_cache_snapshot_path        (const char       *cache_dir,
                                             const char       *repo_id,
                                             const char       *commit,
                                             const char       *path);

gboolean   mm_hf_cache_place                (const char       *cache_dir,
                                             const char       *repo_id,
                                             const char       *commit,
                                             const char       *ref,
                                             const char       *path,
                                             const char       *blob_id,
                                             GError          **error);

GPtrArray *mm_hf_cache_plan_delete          (const char       *repo_folder,
                                             const char * const *snapshot_files,
                                             GError          **error);

G_END_DECLS
