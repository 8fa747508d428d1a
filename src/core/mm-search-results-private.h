/* mm-search-results-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-search-results.h"

G_BEGIN_DECLS

const char      *_mm_search_results_get_text     (MmSearchResults *self);

MmSearchResults *_mm_search_results_new          (MmHubClient     *client,
                                                  const char      *text,
                                                  MmSort           sort,
                                                  gboolean         gguf_only,
                                                  guint            page_size);

G_END_DECLS
