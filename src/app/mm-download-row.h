/* mm-download-row.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mm-access-help.h"
#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_DOWNLOAD_ROW (mm_download_row_get_type ())

G_DECLARE_FINAL_TYPE (MmDownloadRow, mm_download_row, MM, DOWNLOAD_ROW, GtkListBoxRow)

GtkWidget      *mm_download_row_new         (MmDownloadItem *item);
MmDownloadItem *mm_download_row_get_item    (MmDownloadRow  *self);

/* For tests: what the row shows. */
const char     *mm_download_row_get_status  (MmDownloadRow  *self);
const char     *mm_download_row_get_details (MmDownloadRow  *self);
MmAccessActions mm_download_row_get_access_actions (MmDownloadRow *self);

G_END_DECLS
