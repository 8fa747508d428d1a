/* mm-quant.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mm-memory-estimate.h"
#include "mm-repo-file.h"
#include "mm-types.h"

G_BEGIN_DECLS

#define MM_TYPE_QUANT (mm_quant_get_type ())

G_DECLARE_FINAL_TYPE (MmQuant, mm_quant, MM, QUANT, GObject)

const char  *mm_quant_get_name             (MmQuant     *self);
const char  *mm_quant_get_label            (MmQuant     *self);
MmQuantKind  mm_quant_get_kind             (MmQuant     *self);
GPtrArray   *mm_quant_get_files            (MmQuant     *self);
guint64      mm_quant_get_size             (MmQuant     *self);
double       mm_quant_get_bits_per_weight  (MmQuant     *self);
MmFit        mm_quant_get_fit              (MmQuant     *self);
gboolean     mm_quant_get_is_split         (MmQuant     *self);
guint        mm_quant_get_split_count      (MmQuant     *self);
gboolean     mm_quant_get_is_complete      (MmQuant     *self);
guint64      mm_quant_get_memory_needed    (MmQuant     *self);

GPtrArray   *mm_quant_group_files          (GPtrArray   *files,
                                            guint64      total_memory,
                                            GPtrArray  **projectors,
                                            GPtrArray  **rejected);
MmFit        mm_quant_estimate_fit         (guint64      size,
                                            guint64      total_memory,
                                            guint64     *memory_needed);

gint         mm_quant_recommend            (GPtrArray              *quants,
                                            const MmModelShape     *shape,
                                            guint64                 context,
                                            const MmMachineMemory  *machine);

char        *mm_gguf_name_parse_quant      (const char  *path);
gboolean     mm_gguf_name_parse_split      (const char  *path,
                                            char       **prefix,
                                            guint       *part,
                                            guint       *count);
gboolean     mm_gguf_quant_perplexity_increase (const char *quant,
                                                double     *increase,
                                                const char **reference);
gboolean     mm_gguf_name_is_projector     (const char  *path);

G_END_DECLS
