/* mm-system.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64 mm_system_get_total_memory (void);
guint64 mm_system_get_free_space   (const char *path);

G_END_DECLS
