/* mm-library-page.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-compare-bar.h"
#include "mm-core.h"
#include "mm-library-row.h"

G_BEGIN_DECLS

#define MM_TYPE_LIBRARY_PAGE (mm_library_page_get_type ())

G_DECLARE_FINAL_TYPE (MmLibraryPage, mm_library_page, MM, LIBRARY_PAGE, GtkWidget)

GtkWidget    *mm_library_page_new         (void);
MmLibrary    *mm_library_page_get_library (MmLibraryPage *self);
void          mm_library_page_set_library (MmLibraryPage *self,
                                           MmLibrary     *library);
void          mm_library_page_set_client  (MmLibraryPage *self,
                                           MmHubClient   *client);

/* For tests: what the page shows. */
const char   *mm_library_page_get_state   (MmLibraryPage *self);
void          mm_library_page_focus_start (MmLibraryPage *self);
MmLibraryRow *mm_library_page_find_row    (MmLibraryPage *self,
                                           const char    *name);
void          mm_library_page_delete_now  (MmLibraryPage *self,
                                           MmLibraryRow  *row);
const char   *mm_library_page_get_row_folder   (MmLibraryPage *self,
                                                MmLibraryRow  *row);
const char   *mm_library_page_get_section_note (MmLibraryPage *self,
                                                const char    *folder,
                                                gboolean      *has_heading);
GStrv         mm_library_page_get_repo_headings (MmLibraryPage *self);

void           mm_library_page_set_machine (MmLibraryPage *self,
                                            MmMachine     *machine);
void           mm_library_page_set_comparison (MmLibraryPage *self,
                                               MmComparison  *comparison);
MmCompareBar  *mm_library_page_get_compare_bar (MmLibraryPage *self);

G_END_DECLS
