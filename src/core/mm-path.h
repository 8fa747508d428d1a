/* mm-path.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean mm_path_validate      (const char  *path,
                                GError     **error);
gboolean mm_repo_id_validate   (const char  *repo_id,
                                GError     **error);
char    *mm_path_to_display    (const char  *path);

G_END_DECLS
