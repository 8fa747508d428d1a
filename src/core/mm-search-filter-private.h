/* mm-search-filter-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-search-filter.h"

G_BEGIN_DECLS

guint64         _mm_search_filter_max_fitting_parameters (guint64 total_memory);
const char     *_mm_size_range_to_string             (MmSizeRange           range);

G_END_DECLS
