/* mm-model-row.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_MODEL_ROW (mm_model_row_get_type ())

G_DECLARE_FINAL_TYPE (MmModelRow, mm_model_row, MM, MODEL_ROW, GtkWidget)

GtkWidget *mm_model_row_new       (void);
MmModel   *mm_model_row_get_model (MmModelRow *self);
void       mm_model_row_set_model (MmModelRow *self,
                                   MmModel    *model);

G_END_DECLS
