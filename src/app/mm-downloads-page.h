/* mm-downloads-page.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mm-core.h"
#include "mm-download-row.h"

G_BEGIN_DECLS

#define MM_TYPE_DOWNLOADS_PAGE (mm_downloads_page_get_type ())

G_DECLARE_FINAL_TYPE (MmDownloadsPage, mm_downloads_page, MM, DOWNLOADS_PAGE, GtkWidget)

GtkWidget         *mm_downloads_page_new         (void);
MmDownloadManager *mm_downloads_page_get_manager (MmDownloadsPage   *self);
void               mm_downloads_page_set_manager (MmDownloadsPage   *self,
                                                  MmDownloadManager *manager);

/* For tests: what the page shows. */
const char        *mm_downloads_page_get_state   (MmDownloadsPage   *self);
void               mm_downloads_page_focus_start (MmDownloadsPage   *self);
MmDownloadRow     *mm_downloads_page_find_row    (MmDownloadsPage   *self,
                                                  MmDownloadItem    *item,
                                                  gboolean          *in_finished);
const char        *mm_downloads_page_get_section (MmDownloadsPage   *self,
                                                  MmDownloadItem    *item);

G_END_DECLS
