/* mm-adaptive-box.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MM_TYPE_ADAPTIVE_BOX (mm_adaptive_box_get_type ())

G_DECLARE_FINAL_TYPE (MmAdaptiveBox, mm_adaptive_box, MM, ADAPTIVE_BOX, GtkWidget)

GtkWidget *mm_adaptive_box_new         (void);
gboolean   mm_adaptive_box_get_stacked (MmAdaptiveBox *self);

G_END_DECLS
