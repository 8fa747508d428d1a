/* mm-search-results.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-search-filter.h"

G_BEGIN_DECLS

#define MM_TYPE_SEARCH_RESULTS (mm_search_results_get_type ())

G_DECLARE_FINAL_TYPE (MmSearchResults, mm_search_results, MM, SEARCH_RESULTS, GObject)

MmSearchResults *mm_search_results_new_filtered (MmHubClient          *client,
                                                 const char           *text,
                                                 MmSort                sort,
                                                 gboolean              gguf_only,
                                                 const MmSearchFilter *filter,
                                                 guint                 page_size);
void             mm_search_results_load_more    (MmSearchResults *self);
void             mm_search_results_cancel       (MmSearchResults *self);
gboolean         mm_search_results_get_loading  (MmSearchResults *self);
gboolean         mm_search_results_get_has_more (MmSearchResults *self);
gboolean         mm_search_results_get_started  (MmSearchResults *self);
const GError    *mm_search_results_get_error    (MmSearchResults *self);
const MmSearchFilter *mm_search_results_get_filter (MmSearchResults *self);
guint            mm_search_results_get_scanned  (MmSearchResults *self);
gboolean         mm_search_results_get_stalled  (MmSearchResults *self);

G_END_DECLS
