/* mm-preferences-window.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_PREFERENCES_WINDOW (mm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MmPreferencesWindow, mm_preferences_window, MM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

MmPreferencesWindow *mm_preferences_window_new          (GtkWindow           *parent,
                                                         MmTokenChain        *tokens);
MmSettings          *mm_preferences_window_get_settings (MmPreferencesWindow *self);
gboolean             mm_preferences_window_get_busy     (MmPreferencesWindow *self);
gboolean             mm_preferences_window_add_library_folder (MmPreferencesWindow *self,
                                                               GFile               *folder);
void                 mm_preferences_window_show_token   (MmPreferencesWindow *self);

void                 mm_preferences_window_set_machine    (MmPreferencesWindow *self,
                                                           MmMachine           *machine);
void                 mm_preferences_window_show_memory    (MmPreferencesWindow *self);
const char          *mm_preferences_window_get_ram_text   (MmPreferencesWindow *self);
const char          *mm_preferences_window_get_gpu_text   (MmPreferencesWindow *self);

G_END_DECLS
