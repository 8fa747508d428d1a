/* mm-model-loader-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-model-loader.h"

G_BEGIN_DECLS

const char *_mm_model_loader_get_repo_id  (MmModelLoader *self);
const char *_mm_model_loader_get_revision (MmModelLoader *self);

G_END_DECLS
