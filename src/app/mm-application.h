/* mm-application.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

/**
 * MmDownloadWhen:
 * @MM_DOWNLOAD_WHEN_NOW: as soon as a slot is free (waiting on a metered
 *   network as the settings say)
 * @MM_DOWNLOAD_WHEN_LATER: in the Download Later window of the settings
 * @MM_DOWNLOAD_WHEN_NOW_METERED: now, even on a metered network
 */
typedef enum {
  MM_DOWNLOAD_WHEN_NOW,
  MM_DOWNLOAD_WHEN_LATER,
  MM_DOWNLOAD_WHEN_NOW_METERED,
} MmDownloadWhen;

#define MM_TYPE_APPLICATION (mm_application_get_type ())

G_DECLARE_FINAL_TYPE (MmApplication, mm_application, MM, APPLICATION, AdwApplication)

MmApplication *mm_application_new          (void);
GSettings     *mm_application_get_settings (MmApplication *self);
MmDownloadManager *mm_application_get_download_manager (MmApplication *self);
MmLibrary         *mm_application_get_library          (MmApplication *self);
void               mm_application_download_quant       (MmApplication *self,
                                                        MmModel       *model,
                                                        MmQuant       *quant,
                                                        MmDownloadWhen when);

G_END_DECLS
