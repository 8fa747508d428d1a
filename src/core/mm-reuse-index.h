/* mm-reuse-index.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: every method may be called from any thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MmReuseOrigin:
 * @MM_REUSE_ORIGIN_RECORD: a file the app downloaded and verified (its
 *   download records)
 * @MM_REUSE_ORIGIN_LIBRARY: a Library file verified in this session
 * @MM_REUSE_ORIGIN_HF_CACHE: a blob of the Hugging Face cache, named by its
 *   SHA-256
 */
typedef enum {
  MM_REUSE_ORIGIN_RECORD,
  MM_REUSE_ORIGIN_LIBRARY,
  MM_REUSE_ORIGIN_HF_CACHE,
} MmReuseOrigin;

/**
 * MmReuseCandidate:
 * @path: an absolute path to a regular file of the right size
 * @origin: why it is believed to hold the bytes
 *
 * A file that should hold the bytes asked for. Believed, not proven: the
 * caller verifies the copy it makes.
 */
typedef struct {
  char *path;
  MmReuseOrigin origin;
} MmReuseCandidate;

void mm_reuse_candidate_free (MmReuseCandidate *candidate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmReuseCandidate, mm_reuse_candidate_free)

#define MM_TYPE_REUSE_INDEX (mm_reuse_index_get_type ())

G_DECLARE_FINAL_TYPE (MmReuseIndex, mm_reuse_index, MM, REUSE_INDEX, GObject)

MmReuseIndex *mm_reuse_index_get_default        (void);

void          mm_reuse_index_add_verified       (MmReuseIndex       *self,
                                                 const char         *path,
                                                 const char         *sha256,
                                                 guint64             size);
GPtrArray    *mm_reuse_index_lookup             (MmReuseIndex       *self,
                                                 const char         *sha256,
                                                 guint64             size,
                                                 const char         *exclude);

char         *mm_reuse_index_describe_source       (const char *path);

G_END_DECLS
