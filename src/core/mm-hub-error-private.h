/* mm-hub-error-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-hub-error.h"

G_BEGIN_DECLS

const char *_mm_hub_error_get_request_id   (const GError *error);
gboolean    _mm_hub_error_is_transient     (const GError *error);

G_END_DECLS
