/* mm-gguf-info-private.h: how the GGUF reader fills an MmGgufInfo
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mm-gguf-info.h"

G_BEGIN_DECLS

/* At most this many layers' values are kept or made for per-layer keys: a
 * hostile block_count must not make us allocate gigabytes. */
#define _MM_GGUF_MAX_PER_LAYER 65536

MmGgufInfo *_mm_gguf_info_new          (guint32      version,
                                        guint64      tensor_count);
void        _mm_gguf_info_add_metadata (MmGgufInfo  *self,
                                        char        *key,
                                        MmGgufType   type,
                                        GVariant    *value);
void        _mm_gguf_info_add_tensor   (MmGgufInfo  *self,
                                        char        *name,
                                        guint32      n_dims,
                                        const guint64 *dims,
                                        guint32      ggml_type,
                                        guint64      offset);
void        _mm_gguf_info_set_layout   (MmGgufInfo  *self,
                                        guint32      alignment,
                                        guint64      tensor_data_offset,
                                        guint64      parameter_count);
void        _mm_gguf_info_set_file_size (MmGgufInfo *self,
                                        guint64      file_size);

const char             *_mm_gguf_file_type_to_string       (gint64       file_type);
const char             *_mm_gguf_info_get_string           (MmGgufInfo  *self,
                                                            const char  *key);

G_END_DECLS
