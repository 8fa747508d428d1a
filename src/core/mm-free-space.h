/* mm-free-space.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean mm_free_space_check (const char *path,
                              guint64     bytes,
                              guint64     reserved,
                              guint64    *needed,
                              guint64    *available);

G_END_DECLS
