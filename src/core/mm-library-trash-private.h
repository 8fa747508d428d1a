/* mm-library-trash-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mm-library-trash.h"

G_BEGIN_DECLS

void _mm_library_trash_clean_leftovers (const char   *root,
                                        GCancellable *cancellable);

guint           _mm_library_trash_get_n_files       (MmLibraryTrash       *self);
const char     *_mm_library_trash_get_original_path (MmLibraryTrash       *self,
                                                     guint                 index);

G_END_DECLS
