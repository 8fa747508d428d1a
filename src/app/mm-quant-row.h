/* mm-quant-row.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

/**
 * MmQuantRowFact:
 * @MM_QUANT_ROW_FACT_FILE_TYPE: the quantization the header names, shown
 *   only when it is not the one the file name says
 * @MM_QUANT_ROW_FACT_CHAT_TEMPLATE: whether the file brings a chat template
 *
 * The facts from a GGUF header that belong to the file and that the row
 * shows. What all files of a model share (architecture, parameters,
 * context length, layers) is in the pane's Details group, once.
 */
typedef enum {
  MM_QUANT_ROW_FACT_FILE_TYPE,
  MM_QUANT_ROW_FACT_CHAT_TEMPLATE,
  MM_QUANT_ROW_N_FACTS,
} MmQuantRowFact;

#define MM_TYPE_QUANT_ROW (mm_quant_row_get_type ())

G_DECLARE_FINAL_TYPE (MmQuantRow, mm_quant_row, MM, QUANT_ROW, AdwExpanderRow)

GtkWidget      *mm_quant_row_new                  (MmQuant            *quant,
                                                   const MmModelShape *shape,
                                                   MmMachine          *machine);
void            mm_quant_row_set_comparison       (MmQuantRow        *self,
                                                   MmComparison      *comparison,
                                                   MmModel           *model);
GtkWidget      *mm_quant_row_get_compare_switch   (MmQuantRow        *self);
void            mm_quant_row_set_shape            (MmQuantRow        *self,
                                                   const MmModelShape *shape);
void            mm_quant_row_set_recommended      (MmQuantRow        *self,
                                                   gboolean           recommended);
gboolean        mm_quant_row_get_recommended      (MmQuantRow        *self);
const char     *mm_quant_row_get_fit_text         (MmQuantRow        *self);
const char     *mm_quant_row_get_fit_tooltip      (MmQuantRow        *self);
MmQuant        *mm_quant_row_get_quant            (MmQuantRow        *self);
void            mm_quant_row_set_download_manager (MmQuantRow        *self,
                                                   MmDownloadManager *manager,
                                                   const char        *repo_id);
gboolean        mm_quant_row_get_can_download     (MmQuantRow        *self);
MmDownloadItem *mm_quant_row_get_item             (MmQuantRow        *self);
void            mm_quant_row_set_blocked          (MmQuantRow        *self,
                                                   const char        *reason);
const char     *mm_quant_row_get_blocked          (MmQuantRow        *self);
gboolean        mm_quant_row_get_download_sensitive (MmQuantRow      *self);

/* For tests: what the row shows, NULL when not shown. */
const char       *mm_quant_row_get_fact_text       (MmQuantRow         *self,
                                                    MmQuantRowFact      fact);
const char       *mm_quant_row_get_header_title    (MmQuantRow         *self);
const char       *mm_quant_row_get_header_subtitle (MmQuantRow         *self);

/* For tests: what the reading row shows, and its buttons. */
double            mm_quant_row_get_header_fraction (MmQuantRow         *self);
void              mm_quant_row_cancel_header       (MmQuantRow         *self);
void              mm_quant_row_read_header_again   (MmQuantRow         *self);

/* For tests: presses the Download button, as a click would. */
void            mm_quant_row_activate_download    (MmQuantRow        *self);
void            mm_quant_row_activate_download_later (MmQuantRow     *self);

G_END_DECLS
