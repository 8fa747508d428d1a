/* mm-format.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mm_format_integer   (guint64     value);
char *mm_format_count     (gint64      count);
char *mm_format_size      (guint64     bytes);
char *mm_format_relative  (GDateTime  *when,
                           GDateTime  *now);
char *mm_format_date      (GDateTime  *when);
char *mm_format_folder    (const char *path);
char *mm_format_params    (guint64     parameters);
char *mm_format_params_short (guint64  parameters);
char *mm_format_license   (const char *id);
char *mm_format_speed     (double      bytes_per_second);
char *mm_format_eta       (gint64      seconds);
char *mm_format_elapsed   (gint64      seconds);
char *mm_format_progress  (guint64     done,
                           guint64     total);

G_END_DECLS
