/* mm-model-detail.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-access-help.h"
#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_MODEL_DETAIL (mm_model_detail_get_type ())

G_DECLARE_FINAL_TYPE (MmModelDetail, mm_model_detail, MM, MODEL_DETAIL, GtkWidget)

MmHubClient *mm_model_detail_get_client       (MmModelDetail *self);
void         mm_model_detail_set_client       (MmModelDetail *self,
                                               MmHubClient   *client);
MmModel     *mm_model_detail_get_model        (MmModelDetail *self);
void         mm_model_detail_set_model        (MmModelDetail *self,
                                               MmModel       *model);
void         mm_model_detail_reload           (MmModelDetail *self);
const char  *mm_model_detail_get_state        (MmModelDetail *self);
GStrv        mm_model_detail_get_quant_titles (MmModelDetail *self);
MmDownloadManager *mm_model_detail_get_download_manager (MmModelDetail     *self);
void               mm_model_detail_set_download_manager (MmModelDetail     *self,
                                                         MmDownloadManager *manager);
GtkWidget         *mm_model_detail_find_quant_row       (MmModelDetail     *self,
                                                         const char        *label);
const char        *mm_model_detail_get_access_text      (MmModelDetail     *self);
MmAccessActions    mm_model_detail_get_access_actions   (MmModelDetail     *self);
gboolean           mm_model_detail_get_access_checking  (MmModelDetail     *self);
void               mm_model_detail_set_machine          (MmModelDetail     *self,
                                                         MmMachine         *machine);
MmMachine         *mm_model_detail_get_machine          (MmModelDetail     *self);
void               mm_model_detail_set_comparison       (MmModelDetail     *self,
                                                         MmComparison      *comparison);
MmComparison      *mm_model_detail_get_comparison       (MmModelDetail     *self);
void               mm_model_detail_open_comparison      (MmModelDetail     *self);
const char        *mm_model_detail_get_recommended      (MmModelDetail     *self);
const char        *mm_model_detail_get_fact             (MmModelDetail     *self,
                                                         const char        *name);

G_END_DECLS
