/* mm-search-filter.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions on plain data; call them from any thread.
 */
#pragma once

#include <glib-object.h>

#include "mm-model.h"

G_BEGIN_DECLS

/**
 * MmSizeRange:
 * @MM_SIZE_RANGE_ANY: any size, and models of unknown size
 * @MM_SIZE_RANGE_UNDER_3B: fewer than 3 billion parameters
 * @MM_SIZE_RANGE_3B_8B: 3 to 8 billion
 * @MM_SIZE_RANGE_8B_15B: 8 to 15 billion
 * @MM_SIZE_RANGE_15B_35B: 15 to 35 billion
 * @MM_SIZE_RANGE_OVER_35B: more than 35 billion
 *
 * The parameter counts a search can be narrowed to.
 */
typedef enum {
  MM_SIZE_RANGE_ANY,
  MM_SIZE_RANGE_UNDER_3B,
  MM_SIZE_RANGE_3B_8B,
  MM_SIZE_RANGE_8B_15B,
  MM_SIZE_RANGE_15B_35B,
  MM_SIZE_RANGE_OVER_35B,
} MmSizeRange;

/* The bits per weight a model is assumed to be downloaded at when asking
 * whether it fits: Q4_K_M, the choice most front ends make first (4.9 for
 * Llama-3-8B by llama.cpp's own file sizes, hub-protocol.md section 8). */
#define MM_SEARCH_FILTER_FIT_BITS_PER_WEIGHT 4.9

/**
 * MmSearchFilter:
 * @size: the parameter counts to keep
 * @architecture: (nullable): the GGUF `general.architecture` to keep, %NULL for any
 * @fits_memory: keep only models that fit in this much memory (at
 *   %MM_SEARCH_FILTER_FIT_BITS_PER_WEIGHT); 0 for no such condition
 *
 * What a search keeps besides matching its words. The Hub itself filters
 * by parameter count (`num_parameters=min:…,max:…`), which is how @size
 * and @fits_memory reach it; it cannot filter by a GGUF architecture, so
 * @architecture is applied to the results as they arrive.
 */
typedef struct {
  MmSizeRange size;
  char *architecture;
  guint64 fits_memory;
} MmSearchFilter;

#define MM_TYPE_SEARCH_FILTER (mm_search_filter_get_type ())

GType           mm_search_filter_get_type           (void) G_GNUC_CONST;
MmSearchFilter *mm_search_filter_new                (void);
MmSearchFilter *mm_search_filter_copy               (const MmSearchFilter *self);
void            mm_search_filter_free               (MmSearchFilter       *self);
gboolean        mm_search_filter_is_empty           (const MmSearchFilter *self);
gboolean        mm_search_filter_get_parameter_bounds (const MmSearchFilter *self,
                                                     guint64              *min,
                                                     guint64              *max);
char           *mm_search_filter_dup_num_parameters (const MmSearchFilter *self);
gboolean        mm_search_filter_needs_local_check  (const MmSearchFilter *self);
gboolean        mm_search_filter_matches            (const MmSearchFilter *self,
                                                     MmModel              *model);

gboolean        mm_size_range_from_string           (const char           *name,
                                                     MmSizeRange          *range);

const char * const *mm_search_filter_get_architectures (void);
const char     *mm_search_filter_get_architecture_name (const char        *architecture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmSearchFilter, mm_search_filter_free)

G_END_DECLS
