/* mm-quant.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mm-gguf-info.h"
#include "mm-memory-estimate.h"
#include "mm-model.h"
#include "mm-repo-file.h"
#include "mm-types.h"

G_BEGIN_DECLS

/**
 * MmQuantHeaderState:
 * @MM_QUANT_HEADER_STATE_NONE: not read, or the read stopped because the
 *   model was left (a choice without a source is never read)
 * @MM_QUANT_HEADER_STATE_READING: a read is under way; see
 *   #MmQuant:header-bytes-read
 * @MM_QUANT_HEADER_STATE_LOADED: the header is known (see #MmQuant:header)
 * @MM_QUANT_HEADER_STATE_FAILED: it could not be read; see
 *   mm_quant_get_header_error()
 * @MM_QUANT_HEADER_STATE_CANCELLED: mm_quant_cancel_header() stopped the
 *   read; it is read again only when asked
 *
 * Where a choice is with the GGUF header of its first file.
 */
typedef enum {
  MM_QUANT_HEADER_STATE_NONE,
  MM_QUANT_HEADER_STATE_READING,
  MM_QUANT_HEADER_STATE_LOADED,
  MM_QUANT_HEADER_STATE_FAILED,
  MM_QUANT_HEADER_STATE_CANCELLED,
} MmQuantHeaderState;

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
MmModel     *mm_quant_get_model            (MmQuant     *self);

const char        *mm_quant_get_header_path        (MmQuant             *self);
MmQuantHeaderState mm_quant_get_header_state       (MmQuant             *self);
MmGgufInfo        *mm_quant_get_header             (MmQuant             *self);
const GError      *mm_quant_get_header_error       (MmQuant             *self);
guint64            mm_quant_get_header_bytes_read  (MmQuant             *self);
guint64            mm_quant_get_header_bytes_total (MmQuant             *self);
gboolean           mm_quant_get_header_shape       (MmQuant             *self,
                                                    MmModelShape        *shape);
void               mm_quant_read_header            (MmQuant             *self);
void               mm_quant_cancel_header          (MmQuant             *self);
void               mm_quant_load_header_async      (MmQuant             *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
MmGgufInfo        *mm_quant_load_header_finish     (MmQuant             *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

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
