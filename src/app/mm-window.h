/* mm-window.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-application.h"
#include "mm-core.h"
#include "mm-downloads-page.h"
#include "mm-library-page.h"
#include "mm-model-detail.h"

G_BEGIN_DECLS

#define MM_TYPE_WINDOW (mm_window_get_type ())

G_DECLARE_FINAL_TYPE (MmWindow, mm_window, MM, WINDOW, AdwApplicationWindow)

MmWindow      *mm_window_new                     (MmApplication *application,
                                                  MmHubClient   *client,
                                                  GSettings     *settings);
void           mm_window_set_client              (MmWindow      *self,
                                                  MmHubClient   *client);
MmDownloadManager *mm_window_get_download_manager (MmWindow          *self);
void               mm_window_set_download_manager (MmWindow          *self,
                                                   MmDownloadManager *manager);
void               mm_window_add_toast            (MmWindow          *self,
                                                   AdwToast          *toast);
void               mm_window_show_downloads       (MmWindow          *self);
gboolean           mm_window_get_narrow           (MmWindow          *self);
void               mm_window_set_library          (MmWindow          *self,
                                                   MmLibrary         *library);

/* For tests and screenshots: what the window shows, without poking into it. */
GListModel    *mm_window_get_results             (MmWindow      *self);
GtkEditable   *mm_window_get_search_entry        (MmWindow      *self);
GtkListView   *mm_window_get_results_view        (MmWindow      *self);
const char    *mm_window_get_results_state       (MmWindow      *self);
AdwStatusPage *mm_window_get_results_status_page (MmWindow      *self);
MmModelDetail *mm_window_get_detail              (MmWindow      *self);
gboolean       mm_window_get_showing_detail      (MmWindow      *self);
MmDownloadsPage *mm_window_get_downloads_page    (MmWindow      *self);
const char    *mm_window_get_visible_view        (MmWindow      *self);
MmLibraryPage *mm_window_get_library_page        (MmWindow      *self);
GtkWidget     *mm_window_get_switcher_bar        (MmWindow      *self);
GtkWidget     *mm_window_get_toast_overlay       (MmWindow      *self);
GtkMenuButton *mm_window_get_filter_button       (MmWindow      *self);

void           mm_window_set_comparison          (MmWindow      *self,
                                                  MmComparison  *comparison);
void           mm_window_set_machine             (MmWindow      *self,
                                                  MmMachine     *machine);

G_END_DECLS
