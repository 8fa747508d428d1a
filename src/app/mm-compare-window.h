/* mm-compare-window.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_COMPARE_WINDOW (mm_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (MmCompareWindow, mm_compare_window, MM, COMPARE_WINDOW, AdwWindow)

MmCompareWindow *mm_compare_window_new            (GtkWindow         *parent,
                                                   MmComparison      *comparison,
                                                   MmMachine         *machine,
                                                   MmDownloadManager *manager);
MmComparison    *mm_compare_window_get_comparison (MmCompareWindow   *self);

/* For tests: what the window shows. */
gboolean         mm_compare_window_get_showing_table (MmCompareWindow *self);
guint            mm_compare_window_get_n_columns  (MmCompareWindow   *self);
const char      *mm_compare_window_get_cell       (MmCompareWindow   *self,
                                                   guint              column,
                                                   MmCompareFact      fact);
GtkWidget       *mm_compare_window_get_action_button (MmCompareWindow *self,
                                                      guint            column);

G_END_DECLS
