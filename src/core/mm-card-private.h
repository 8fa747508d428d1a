/* mm-card-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-card.h"

G_BEGIN_DECLS

gboolean   _mm_card_is_safe_link      (const char   *url);
const char *_mm_card_skip_front_matter (const char  *markdown);

G_END_DECLS
