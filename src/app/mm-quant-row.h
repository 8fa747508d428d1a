/* mm-quant-row.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_QUANT_ROW (mm_quant_row_get_type ())

G_DECLARE_FINAL_TYPE (MmQuantRow, mm_quant_row, MM, QUANT_ROW, AdwExpanderRow)

GtkWidget      *mm_quant_row_new                  (MmQuant            *quant,
                                                   const MmModelShape *shape,
                                                   guint64             total_memory);
MmQuant        *mm_quant_row_get_quant            (MmQuantRow        *self);
void            mm_quant_row_set_download_manager (MmQuantRow        *self,
                                                   MmDownloadManager *manager,
                                                   const char        *repo_id);
gboolean        mm_quant_row_get_can_download     (MmQuantRow        *self);
MmDownloadItem *mm_quant_row_get_item             (MmQuantRow        *self);

/* For tests: presses the Download button, as a click would. */
void            mm_quant_row_activate_download    (MmQuantRow        *self);

G_END_DECLS
