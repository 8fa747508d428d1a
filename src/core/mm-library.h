/* mm-library.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmLibrary belongs to the thread whose thread-default main
 * context was current when it was made; call it there. Folders are scanned
 * in a worker thread; the list changes and is notified on that context.
 */
#pragma once

#include <gio/gio.h>

#include "mm-library-entry.h"

G_BEGIN_DECLS

#define MM_TYPE_LIBRARY (mm_library_get_type ())

G_DECLARE_FINAL_TYPE (MmLibrary, mm_library, MM, LIBRARY, GObject)

MmLibrary          *mm_library_new          (void);

void                mm_library_set_folders   (MmLibrary          *self,
                                              const char * const *folders);
const char * const *mm_library_get_folders   (MmLibrary          *self);
const char * const *mm_library_get_missing_folders (MmLibrary    *self);

void                mm_library_set_hf_cache_folder (MmLibrary    *self,
                                                    const char   *folder);
const char         *mm_library_get_hf_cache_folder (MmLibrary    *self);

gboolean            mm_library_get_loading   (MmLibrary          *self);
guint64             mm_library_get_total_size (MmLibrary         *self);

G_END_DECLS
