/* mm-library-section.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MM_TYPE_LIBRARY_SECTION (mm_library_section_get_type ())

G_DECLARE_FINAL_TYPE (MmLibrarySection, mm_library_section, MM, LIBRARY_SECTION, GtkWidget)

GtkWidget  *mm_library_section_new         (const char       *folder,
                                            const char       *title);
const char *mm_library_section_get_folder  (MmLibrarySection *self);
GtkListBox *mm_library_section_get_list    (MmLibrarySection *self);
void        mm_library_section_set_missing (MmLibrarySection *self,
                                            gboolean          missing);
const char *mm_library_section_get_note    (MmLibrarySection *self,
                                            gboolean         *has_heading);

G_END_DECLS
