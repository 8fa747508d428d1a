/* mm-model-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-model.h"

G_BEGIN_DECLS

gboolean     _mm_model_get_has_files       (MmModel     *self);
const char  *_mm_model_get_pipeline_tag    (MmModel     *self);

G_END_DECLS
