/* mm-file-clone-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-file-clone.h"

G_BEGIN_DECLS

void         _mm_file_clone_set_test_failures (gboolean reflink,
                                               gboolean hardlink);

G_END_DECLS
