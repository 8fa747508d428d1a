/* mm-gguf-writer.h: writes small GGUF files for the tests
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mm-gguf-info.h"

G_BEGIN_DECLS

typedef struct _MmGgufWriter MmGgufWriter;

/* Little-endian writers into any buffer, for hand-made hostile headers. */
void          mm_gguf_put_u8              (GByteArray    *buffer,
                                           guint8         value);
void          mm_gguf_put_u32             (GByteArray    *buffer,
                                           guint32        value);
void          mm_gguf_put_u64             (GByteArray    *buffer,
                                           guint64        value);
void          mm_gguf_put_string          (GByteArray    *buffer,
                                           const char    *value);

/* The data size in bytes of @elements elements of @ggml_type, or 0 when the
 * type is unknown or @elements is not a whole number of its blocks. */
guint64       mm_gguf_ggml_type_data_size (guint32        ggml_type,
                                           guint64        elements);
/* The elements per block of @ggml_type (1 for F32, 256 for Q4_K), 0 if unknown. */
guint32       mm_gguf_ggml_type_block     (guint32        ggml_type);
/* The ggml_type that llama.cpp quantizes a model's 2-D weights to for the
 * llama_ftype @file_type (Q4_K for Q4_K_M), or -1 when unknown. */
gint          mm_gguf_file_type_ggml_type (gint64         file_type);

MmGgufWriter *mm_gguf_writer_new          (guint32        version);
void          mm_gguf_writer_free         (MmGgufWriter  *self);

/* The raw sections, to append values or broken entries to. */
GByteArray   *mm_gguf_writer_get_kv       (MmGgufWriter  *self);
GByteArray   *mm_gguf_writer_get_tensors  (MmGgufWriter  *self);
/* Starts a metadata entry; append exactly one value of @type after it. */
void          mm_gguf_writer_key          (MmGgufWriter  *self,
                                           const char    *key,
                                           MmGgufType     type);
/* Appends an array header; append @count values of @element_type after it. */
void          mm_gguf_writer_array        (MmGgufWriter  *self,
                                           MmGgufType     element_type,
                                           guint64        count);

void          mm_gguf_writer_add_string   (MmGgufWriter  *self,
                                           const char    *key,
                                           const char    *value);
void          mm_gguf_writer_add_uint     (MmGgufWriter  *self,
                                           const char    *key,
                                           MmGgufType     type,
                                           guint64        value);
/* An array of @count strings "<prefix>0", "<prefix>1", … */
void          mm_gguf_writer_add_strings  (MmGgufWriter  *self,
                                           const char    *key,
                                           const char    *prefix,
                                           guint64        count);
/* Sets the alignment of the data section and writes general.alignment. */
void          mm_gguf_writer_set_alignment (MmGgufWriter *self,
                                           guint32        alignment);
/* Describes a tensor whose data takes @data_size bytes. */
void          mm_gguf_writer_add_tensor   (MmGgufWriter  *self,
                                           const char    *name,
                                           guint32        n_dims,
                                           const guint64 *dims,
                                           guint32        ggml_type,
                                           guint64        data_size);
/* Replaces the counts written in the header (for lying headers). */
void          mm_gguf_writer_set_counts   (MmGgufWriter  *self,
                                           guint64        tensor_count,
                                           guint64        kv_count);

/* Returns the file. @infos_end (optional) gets the offset just past the
 * tensor infos. With @with_data, the padding and zeroed tensor data follow. */
GBytes       *mm_gguf_writer_finish       (MmGgufWriter  *self,
                                           gboolean       with_data,
                                           guint64       *infos_end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmGgufWriter, mm_gguf_writer_free)

G_END_DECLS
