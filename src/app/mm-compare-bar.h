/* mm-compare-bar.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_COMPARE_BAR (mm_compare_bar_get_type ())

G_DECLARE_FINAL_TYPE (MmCompareBar, mm_compare_bar, MM, COMPARE_BAR, GtkWidget)

MmComparison *mm_compare_bar_get_comparison       (MmCompareBar      *self);
void          mm_compare_bar_set_comparison       (MmCompareBar      *self,
                                                   MmComparison      *comparison);
void          mm_compare_bar_set_machine          (MmCompareBar      *self,
                                                   MmMachine         *machine);
void          mm_compare_bar_set_download_manager (MmCompareBar      *self,
                                                   MmDownloadManager *manager);
void          mm_compare_bar_open                 (MmCompareBar      *self);
const char   *mm_compare_bar_get_text             (MmCompareBar      *self);

G_END_DECLS
