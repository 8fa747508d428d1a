/* mm-application-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's downloads concern (mm-application-downloads.c): the one
 * MmDownloadManager, its actions, notifications and background mode.
 */
#pragma once

#include "mm-application.h"
#include "mm-core.h"
#include "mm-window.h"

G_BEGIN_DECLS

typedef struct _MmAppDownloads MmAppDownloads;

MmAppDownloads    *_mm_app_downloads_new                  (MmApplication  *app,
                                                           MmSettings     *settings);
void               _mm_app_downloads_free                 (MmAppDownloads *self);
void               _mm_app_downloads_set_client           (MmAppDownloads *self,
                                                           MmHubClient    *client);
MmDownloadManager *_mm_app_downloads_get_manager          (MmAppDownloads *self);
void               _mm_app_downloads_add_quant            (MmAppDownloads *self,
                                                           MmModel        *model,
                                                           MmQuant        *quant,
                                                           MmDownloadWhen  when);
void               _mm_app_downloads_attach_window        (MmAppDownloads *self,
                                                           MmWindow       *window);
void               _mm_app_downloads_activate             (MmAppDownloads *self);
gboolean           _mm_app_downloads_ask_before_quitting  (MmAppDownloads *self);
int                _mm_app_downloads_handle_local_options (GApplication   *app,
                                                           GVariantDict   *options);
void               _mm_app_downloads_add_main_options     (GApplication   *app);

MmAppDownloads    *_mm_application_get_downloads          (MmApplication  *app);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmAppDownloads, _mm_app_downloads_free)

G_END_DECLS
