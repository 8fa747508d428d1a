/* mm-comparison.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mm-compare-item.h"

G_BEGIN_DECLS

#define MM_COMPARISON_MAX_ITEMS 4
#define MM_COMPARISON_MIN_ITEMS 2

#define MM_COMPARISON_ERROR (mm_comparison_error_quark ())

/**
 * MmComparisonError:
 * @MM_COMPARISON_ERROR_FULL: four choices are compared already
 */
typedef enum {
  MM_COMPARISON_ERROR_FULL,
} MmComparisonError;

#define MM_TYPE_COMPARISON (mm_comparison_get_type ())

G_DECLARE_FINAL_TYPE (MmComparison, mm_comparison, MM, COMPARISON, GObject)

GQuark         mm_comparison_error_quark (void);
MmComparison  *mm_comparison_new          (void);
GListModel    *mm_comparison_get_items    (MmComparison       *self);
guint          mm_comparison_get_n_items  (MmComparison       *self);
gboolean       mm_comparison_contains     (MmComparison       *self,
                                           const char         *repo_id,
                                           const char         *label);
gboolean       mm_comparison_add          (MmComparison       *self,
                                           MmModel            *model,
                                           MmQuant            *quant,
                                           const MmModelShape *shape,
                                           GError            **error);
gboolean       mm_comparison_add_item     (MmComparison       *self,
                                           MmCompareItem      *item,
                                           GError            **error);
gboolean       mm_comparison_remove       (MmComparison       *self,
                                           const char         *repo_id,
                                           const char         *label);
void           mm_comparison_clear        (MmComparison       *self);

G_END_DECLS
