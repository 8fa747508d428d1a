/* mm-card-view.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *mm_card_view_new         (const char *markdown,
                                         gsize       max_length,
                                         gboolean   *truncated);
GtkWidget *mm_card_view_new_for_blocks (GPtrArray *blocks);
gboolean   mm_card_view_is_empty    (GtkWidget  *view);

G_END_DECLS
