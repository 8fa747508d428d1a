/* mm-library-entry-private.h: how MmLibrary makes and compares entries
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mm-library-entry.h"

G_BEGIN_DECLS

MmLibraryEntry *_mm_library_entry_new        (const char      *root,
                                              const char      *folder,
                                              const char      *repo_id,
                                              const char      *group,
                                              GPtrArray       *files,
                                              guint            split_count);
void            _mm_library_entry_set_in_hf_cache (MmLibraryEntry *self,
                                                   const char     *problem);
int             _mm_library_entry_compare    (MmLibraryEntry  *a,
                                              MmLibraryEntry  *b);
gboolean        _mm_library_entry_same_files (MmLibraryEntry  *a,
                                              MmLibraryEntry  *b);

void                 _mm_library_entry_verify_async       (MmLibraryEntry       *self,
                                                           GHashTable           *known_sha256,
                                                           const char           *state_file,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
MmLibraryVerifyResult _mm_library_entry_verify_finish     (MmLibraryEntry       *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
