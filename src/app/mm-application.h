/* mm-application.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_APPLICATION (mm_application_get_type ())

G_DECLARE_FINAL_TYPE (MmApplication, mm_application, MM, APPLICATION, AdwApplication)

MmApplication *mm_application_new          (void);
GSettings     *mm_application_get_settings (MmApplication *self);
MmDownloadManager *mm_application_get_download_manager (MmApplication *self);
MmLibrary         *mm_application_get_library          (MmApplication *self);

G_END_DECLS
