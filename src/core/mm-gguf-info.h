/* mm-gguf-info.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MmGgufType:
 *
 * The metadata value types of GGUF, with the numbers the format uses.
 */
typedef enum {
  MM_GGUF_TYPE_UINT8   = 0,
  MM_GGUF_TYPE_INT8    = 1,
  MM_GGUF_TYPE_UINT16  = 2,
  MM_GGUF_TYPE_INT16   = 3,
  MM_GGUF_TYPE_UINT32  = 4,
  MM_GGUF_TYPE_INT32   = 5,
  MM_GGUF_TYPE_FLOAT32 = 6,
  MM_GGUF_TYPE_BOOL    = 7,
  MM_GGUF_TYPE_STRING  = 8,
  MM_GGUF_TYPE_ARRAY   = 9,
  MM_GGUF_TYPE_UINT64  = 10,
  MM_GGUF_TYPE_INT64   = 11,
  MM_GGUF_TYPE_FLOAT64 = 12,
} MmGgufType;

/* How many elements of an array are kept; the rest are only counted. Per-layer
 * arrays (`attention.head_count`, `attention.head_count_kv`) are kept whole. */
#define MM_GGUF_ARRAY_FIRST 8

/* How many tensor infos are kept; beyond that they are only counted and summed. */
#define MM_GGUF_MAX_STORED_TENSORS 100000

/**
 * MmGgufTensorInfo:
 * @name: the tensor's name (valid UTF-8)
 * @n_dims: the number of dimensions, at most 4
 * @ggml_type: the `ggml_type` of the data, see mm_gguf_ggml_type_to_string()
 * @dims: the dimensions; entries past @n_dims are 1
 * @offset: the offset of the data, relative to the tensor data section
 *
 * One tensor of a GGUF file, as its header describes it.
 */
typedef struct {
  char *name;
  guint32 n_dims;
  guint32 ggml_type;
  guint64 dims[4];
  guint64 offset;
} MmGgufTensorInfo;

#define MM_TYPE_GGUF_INFO (mm_gguf_info_get_type ())

G_DECLARE_FINAL_TYPE (MmGgufInfo, mm_gguf_info, MM, GGUF_INFO, GObject)

const char             *mm_gguf_type_to_string            (MmGgufType   type);
const char             *mm_gguf_ggml_type_to_string       (guint32      ggml_type);

guint32                 mm_gguf_info_get_version          (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_tensor_count     (MmGgufInfo  *self);

guint                   mm_gguf_info_get_n_metadata       (MmGgufInfo  *self);
const char             *mm_gguf_info_get_metadata_key     (MmGgufInfo  *self,
                                                           guint        index);
MmGgufType              mm_gguf_info_get_metadata_type    (MmGgufInfo  *self,
                                                           guint        index);
GVariant               *mm_gguf_info_get_metadata_value   (MmGgufInfo  *self,
                                                           guint        index);
gboolean                mm_gguf_info_lookup               (MmGgufInfo  *self,
                                                           const char  *key,
                                                           MmGgufType  *type,
                                                           GVariant   **value);
gboolean                mm_gguf_info_get_uint             (MmGgufInfo  *self,
                                                           const char  *key,
                                                           guint64     *value);

guint                   mm_gguf_info_get_n_tensor_infos   (MmGgufInfo  *self);
const MmGgufTensorInfo *mm_gguf_info_get_tensor_info      (MmGgufInfo  *self,
                                                           guint        index);

const char             *mm_gguf_info_get_architecture     (MmGgufInfo  *self);
const char             *mm_gguf_info_get_name             (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_parameter_count  (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_context_length   (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_block_count      (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_embedding_length (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_head_count       (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_head_count_kv    (MmGgufInfo  *self);
guint64                *mm_gguf_info_dup_head_counts      (MmGgufInfo  *self,
                                                           gboolean     kv,
                                                           guint64     *n_layers);
gboolean                mm_gguf_info_get_heads_per_layer  (MmGgufInfo  *self);
gint64                  mm_gguf_info_get_file_type        (MmGgufInfo  *self);
const char             *mm_gguf_info_get_file_type_name   (MmGgufInfo  *self);
gboolean                mm_gguf_info_get_has_chat_template (MmGgufInfo *self);
gboolean                mm_gguf_info_get_is_split         (MmGgufInfo  *self);
guint                   mm_gguf_info_get_split_no         (MmGgufInfo  *self);
guint                   mm_gguf_info_get_split_count      (MmGgufInfo  *self);
guint32                 mm_gguf_info_get_alignment        (MmGgufInfo  *self);
guint64                 mm_gguf_info_get_tensor_data_offset (MmGgufInfo *self);
guint64                 mm_gguf_info_get_file_size        (MmGgufInfo  *self);

G_END_DECLS
