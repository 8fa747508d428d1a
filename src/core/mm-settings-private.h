/* mm-settings-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-settings.h"

G_BEGIN_DECLS

char        **_mm_settings_dup_extra_library_folders  (MmSettings           *self);
MmSettings   *_mm_settings_new_full                   (GSettings            *settings);
MmSettings   *_mm_settings_new_in_memory              (void);
void          _mm_settings_set_extra_library_folders  (MmSettings           *self,
                                                       const char * const   *folders);

G_END_DECLS
