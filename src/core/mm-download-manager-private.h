/* mm-download-manager-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-download-manager.h"

G_BEGIN_DECLS

/**
 * MmDownloadManagerClock:
 * @user_data: the data given with the clock
 *
 * The wall clock the manager reads, for tests.
 *
 * Returns: microseconds since the Unix epoch, like g_get_real_time()
 */
typedef gint64 (*MmDownloadManagerClock) (gpointer user_data);

MmDownloadItem    *_mm_download_manager_add_files        (MmDownloadManager  *self,
                                                          MmModel            *model,
                                                          GPtrArray          *files,
                                                          const char         *label,
                                                          GError            **error);
MmDownloadItem    *_mm_download_manager_add_quant        (MmDownloadManager  *self,
                                                          MmModel            *model,
                                                          MmQuant            *quant,
                                                          GError            **error);
void               _mm_download_manager_clear_history    (MmDownloadManager  *self);
void               _mm_download_manager_resume_all       (MmDownloadManager  *self);
gboolean           _mm_download_manager_save             (MmDownloadManager  *self,
                                                          GError            **error);
void               _mm_download_manager_set_clock        (MmDownloadManager  *self,
                                                          MmDownloadManagerClock clock,
                                                          gpointer            user_data);
void               _mm_download_manager_check_clock      (MmDownloadManager  *self);

G_END_DECLS
