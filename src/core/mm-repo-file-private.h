/* mm-repo-file-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-repo-file.h"

G_BEGIN_DECLS

gboolean    _mm_repo_file_get_is_lfs      (MmRepoFile  *self);

G_END_DECLS
