/* mm-model.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mm-types.h"

G_BEGIN_DECLS

#define MM_TYPE_MODEL (mm_model_get_type ())

G_DECLARE_FINAL_TYPE (MmModel, mm_model, MM, MODEL, GObject)

MmModel     *mm_model_new_from_json       (JsonObject  *object,
                                           GError     **error);
const char  *mm_model_get_id              (MmModel     *self);
const char  *mm_model_get_author          (MmModel     *self);
const char  *mm_model_get_name            (MmModel     *self);
gint64       mm_model_get_downloads       (MmModel     *self);
gint64       mm_model_get_likes           (MmModel     *self);
const char  *mm_model_get_license         (MmModel     *self);
const char * const *mm_model_get_tags     (MmModel     *self);
MmGated      mm_model_get_gated           (MmModel     *self);
gboolean     mm_model_get_private         (MmModel     *self);
gboolean     mm_model_get_disabled        (MmModel     *self);
GDateTime   *mm_model_get_updated         (MmModel     *self);
GDateTime   *mm_model_get_created         (MmModel     *self);
const char  *mm_model_get_sha             (MmModel     *self);
guint64      mm_model_get_parameters      (MmModel     *self);
const char  *mm_model_get_architecture    (MmModel     *self);
guint64      mm_model_get_context_length  (MmModel     *self);
GPtrArray   *mm_model_get_files           (MmModel     *self);

G_END_DECLS
