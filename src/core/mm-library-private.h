/* mm-library-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-library.h"

G_BEGIN_DECLS

void                _mm_library_add_folder    (MmLibrary          *self,
                                               const char         *folder);
gboolean            _mm_library_remove_folder (MmLibrary          *self,
                                               const char         *folder);
void                _mm_library_reload        (MmLibrary          *self);

G_END_DECLS
