/* mm-compare-item.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mm-library-entry.h"
#include "mm-machine.h"
#include "mm-model.h"
#include "mm-quant.h"

G_BEGIN_DECLS

/**
 * MmCompareFact:
 *
 * The lines of a comparison, in the order they are shown.
 */
typedef enum {
  MM_COMPARE_FACT_FILE_SIZE,
  MM_COMPARE_FACT_BITS_PER_WEIGHT,
  MM_COMPARE_FACT_MEMORY,
  MM_COMPARE_FACT_PLACEMENT,
  MM_COMPARE_FACT_QUALITY,
  MM_COMPARE_FACT_ARCHITECTURE,
  MM_COMPARE_FACT_PARAMETERS,
  MM_COMPARE_FACT_CONTEXT_LENGTH,
  MM_COMPARE_FACT_LICENSE,
  MM_COMPARE_FACT_DOWNLOADS,
  MM_COMPARE_N_FACTS,
} MmCompareFact;

#define MM_TYPE_COMPARE_ITEM (mm_compare_item_get_type ())

G_DECLARE_FINAL_TYPE (MmCompareItem, mm_compare_item, MM, COMPARE_ITEM, GObject)

MmCompareItem      *mm_compare_item_new         (MmModel            *model,
                                                 MmQuant            *quant,
                                                 const MmModelShape *shape);
MmCompareItem      *mm_compare_item_new_for_library_entry (MmLibraryEntry *entry);
MmModel            *mm_compare_item_get_model   (MmCompareItem      *self);
MmQuant            *mm_compare_item_get_quant   (MmCompareItem      *self);
const MmModelShape *mm_compare_item_get_shape   (MmCompareItem      *self);
const char         *mm_compare_item_get_repo_id (MmCompareItem      *self);
const char         *mm_compare_item_get_label   (MmCompareItem      *self);
char               *mm_compare_item_dup_title   (MmCompareItem      *self);

const char         *mm_compare_fact_get_title   (MmCompareFact       fact);
char               *mm_compare_item_dup_fact    (MmCompareItem      *self,
                                                 MmCompareFact       fact,
                                                 MmMachine          *machine);
void                mm_compare_item_add_json    (MmCompareItem      *self,
                                                 JsonBuilder        *builder,
                                                 MmMachine          *machine);

G_END_DECLS
