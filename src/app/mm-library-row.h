/* mm-library-row.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_LIBRARY_ROW (mm_library_row_get_type ())

G_DECLARE_FINAL_TYPE (MmLibraryRow, mm_library_row, MM, LIBRARY_ROW, AdwActionRow)

GtkWidget      *mm_library_row_new          (MmLibraryEntry *entry,
                                             MmMachine      *machine);
MmLibraryEntry *mm_library_row_get_entry    (MmLibraryRow   *self);
void            mm_library_row_set_verifying (MmLibraryRow  *self,
                                             gboolean        verifying);
void            mm_library_row_set_grouped  (MmLibraryRow   *self,
                                             gboolean        grouped);
void            mm_library_row_set_update   (MmLibraryRow   *self,
                                             MmUpdate       *update);
MmUpdate       *mm_library_row_get_update   (MmLibraryRow   *self);

void            mm_library_row_set_comparison (MmLibraryRow   *self,
                                               MmComparison   *comparison);

void            mm_library_row_get_compare_state (MmLibraryRow *self,
                                                  gboolean     *can_add,
                                                  gboolean     *compared);

G_END_DECLS
