/* mm-gguf-writer.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GGUF writer for tests and fuzzing seeds: little-endian, version 2 or 3,
 * metadata appended value by value (so nested and broken values are easy),
 * tensors laid out at aligned offsets with zeroed data.
 */
#define G_LOG_DOMAIN "mm-gguf-writer"

#include "config.h"

#include "mm-gguf-writer.h"

#include <string.h>

struct _MmGgufWriter
{
  GByteArray *kv;
  GByteArray *tensors;
  guint64 kv_count;
  guint64 tensor_count;
  guint64 data_size;
  guint64 tensor_count_override;
  guint64 kv_count_override;
  gboolean override_counts;
  guint32 version;
  guint32 alignment;
};

/* ggml_type → elements per block and bytes per block, from ggml.c's
 * type_traits. Types without an entry are unknown to the tests. */
static const struct {
  guint32 block;
  guint32 bytes;
} ggml_types[] = {
  [0] = { 1, 4 },      /* F32 */
  [1] = { 1, 2 },      /* F16 */
  [2] = { 32, 18 },    /* Q4_0 */
  [3] = { 32, 20 },    /* Q4_1 */
  [6] = { 32, 22 },    /* Q5_0 */
  [7] = { 32, 24 },    /* Q5_1 */
  [8] = { 32, 34 },    /* Q8_0 */
  [9] = { 32, 36 },    /* Q8_1 */
  [10] = { 256, 84 },  /* Q2_K */
  [11] = { 256, 110 }, /* Q3_K */
  [12] = { 256, 144 }, /* Q4_K */
  [13] = { 256, 176 }, /* Q5_K */
  [14] = { 256, 210 }, /* Q6_K */
  [15] = { 256, 292 }, /* Q8_K */
  [16] = { 256, 66 },  /* IQ2_XXS */
  [17] = { 256, 74 },  /* IQ2_XS */
  [18] = { 256, 98 },  /* IQ3_XXS */
  [19] = { 256, 50 },  /* IQ1_S */
  [20] = { 32, 18 },   /* IQ4_NL */
  [21] = { 256, 110 }, /* IQ3_S */
  [22] = { 256, 82 },  /* IQ2_S */
  [23] = { 256, 136 }, /* IQ4_XS */
  [24] = { 1, 1 },     /* I8 */
  [25] = { 1, 2 },     /* I16 */
  [26] = { 1, 4 },     /* I32 */
  [27] = { 1, 8 },     /* I64 */
  [28] = { 1, 8 },     /* F64 */
  [29] = { 256, 56 },  /* IQ1_M */
  [30] = { 1, 2 },     /* BF16 */
};

/* llama_ftype → the ggml_type of its 2-D weights (llama-quant.cpp's
 * default_type); -1 for removed or unknown file types. */
static const gint file_type_ggml_types[] = {
  [0] = 0, [1] = 1, [2] = 2, [3] = 3, [4] = -1, [5] = -1, [6] = -1, [7] = 8, [8] = 6,
  [9] = 7, [10] = 10, [11] = 11, [12] = 11, [13] = 11, [14] = 12, [15] = 12, [16] = 13,
  [17] = 13, [18] = 14, [19] = 16, [20] = 17, [21] = 10, [22] = 21, [23] = 18, [24] = 19,
  [25] = 20, [26] = 21, [27] = 21, [28] = 22, [29] = 22, [30] = 23, [31] = 29, [32] = 30,
};

guint32
mm_gguf_ggml_type_block (guint32 ggml_type)
{
  if (ggml_type >= G_N_ELEMENTS (ggml_types))
    return 0;
  return ggml_types[ggml_type].block;
}

guint64
mm_gguf_ggml_type_data_size (guint32 ggml_type,
                             guint64 elements)
{
  guint32 block = mm_gguf_ggml_type_block (ggml_type);

  if (block == 0 || elements % block != 0)
    return 0;
  return elements / block * ggml_types[ggml_type].bytes;
}

gint
mm_gguf_file_type_ggml_type (gint64 file_type)
{
  if (file_type < 0 || file_type >= (gint64) G_N_ELEMENTS (file_type_ggml_types))
    return -1;
  return file_type_ggml_types[file_type];
}

static guint64
align_up (guint64 value,
          guint32 alignment)
{
  return value + (alignment - value % alignment) % alignment;
}

void
mm_gguf_put_u8 (GByteArray *buffer,
                guint8      value)
{
  g_byte_array_append (buffer, &value, 1);
}

void
mm_gguf_put_u32 (GByteArray *buffer,
                 guint32     value)
{
  guint32 le = GUINT32_TO_LE (value);

  g_byte_array_append (buffer, (const guint8 *) &le, sizeof le);
}

void
mm_gguf_put_u64 (GByteArray *buffer,
                 guint64     value)
{
  guint64 le = GUINT64_TO_LE (value);

  g_byte_array_append (buffer, (const guint8 *) &le, sizeof le);
}

void
mm_gguf_put_string (GByteArray *buffer,
                    const char *value)
{
  gsize length = strlen (value);

  mm_gguf_put_u64 (buffer, length);
  g_byte_array_append (buffer, (const guint8 *) value, (guint) length);
}

MmGgufWriter *
mm_gguf_writer_new (guint32 version)
{
  MmGgufWriter *self = g_new0 (MmGgufWriter, 1);

  self->kv = g_byte_array_new ();
  self->tensors = g_byte_array_new ();
  self->version = version;
  self->alignment = 32;

  return self;
}

void
mm_gguf_writer_free (MmGgufWriter *self)
{
  g_byte_array_unref (self->kv);
  g_byte_array_unref (self->tensors);
  g_free (self);
}

GByteArray *
mm_gguf_writer_get_kv (MmGgufWriter *self)
{
  return self->kv;
}

GByteArray *
mm_gguf_writer_get_tensors (MmGgufWriter *self)
{
  return self->tensors;
}

void
mm_gguf_writer_key (MmGgufWriter *self,
                    const char   *key,
                    MmGgufType    type)
{
  mm_gguf_put_string (self->kv, key);
  mm_gguf_put_u32 (self->kv, type);
  self->kv_count++;
}

void
mm_gguf_writer_array (MmGgufWriter *self,
                      MmGgufType    element_type,
                      guint64       count)
{
  mm_gguf_put_u32 (self->kv, element_type);
  mm_gguf_put_u64 (self->kv, count);
}

void
mm_gguf_writer_add_string (MmGgufWriter *self,
                           const char   *key,
                           const char   *value)
{
  mm_gguf_writer_key (self, key, MM_GGUF_TYPE_STRING);
  mm_gguf_put_string (self->kv, value);
}

void
mm_gguf_writer_add_uint (MmGgufWriter *self,
                         const char   *key,
                         MmGgufType    type,
                         guint64       value)
{
  guint16 u16 = GUINT16_TO_LE ((guint16) value);

  mm_gguf_writer_key (self, key, type);
  switch (type)
    {
    case MM_GGUF_TYPE_UINT8:
    case MM_GGUF_TYPE_INT8:
    case MM_GGUF_TYPE_BOOL:
      mm_gguf_put_u8 (self->kv, (guint8) value);
      break;
    case MM_GGUF_TYPE_UINT16:
    case MM_GGUF_TYPE_INT16:
      g_byte_array_append (self->kv, (const guint8 *) &u16, sizeof u16);
      break;
    case MM_GGUF_TYPE_UINT32:
    case MM_GGUF_TYPE_INT32:
    case MM_GGUF_TYPE_FLOAT32:
      mm_gguf_put_u32 (self->kv, (guint32) value);
      break;
    case MM_GGUF_TYPE_UINT64:
    case MM_GGUF_TYPE_INT64:
    case MM_GGUF_TYPE_FLOAT64:
      mm_gguf_put_u64 (self->kv, value);
      break;
    case MM_GGUF_TYPE_STRING:
    case MM_GGUF_TYPE_ARRAY:
    default:
      g_assert_not_reached ();
    }
}

void
mm_gguf_writer_add_strings (MmGgufWriter *self,
                            const char   *key,
                            const char   *prefix,
                            guint64       count)
{
  mm_gguf_writer_key (self, key, MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (self, MM_GGUF_TYPE_STRING, count);
  for (guint64 i = 0; i < count; i++)
    {
      char item[64];

      g_snprintf (item, sizeof item, "%s%" G_GUINT64_FORMAT, prefix, i);
      mm_gguf_put_string (self->kv, item);
    }
}

void
mm_gguf_writer_set_alignment (MmGgufWriter *self,
                              guint32       alignment)
{
  self->alignment = alignment;
  mm_gguf_writer_add_uint (self, "general.alignment", MM_GGUF_TYPE_UINT32, alignment);
}

void
mm_gguf_writer_add_tensor (MmGgufWriter  *self,
                           const char    *name,
                           guint32        n_dims,
                           const guint64 *dims,
                           guint32        ggml_type,
                           guint64        data_size)
{
  guint64 offset = align_up (self->data_size, self->alignment);

  mm_gguf_put_string (self->tensors, name);
  mm_gguf_put_u32 (self->tensors, n_dims);
  for (guint i = 0; i < n_dims; i++)
    mm_gguf_put_u64 (self->tensors, dims[i]);
  mm_gguf_put_u32 (self->tensors, ggml_type);
  mm_gguf_put_u64 (self->tensors, offset);

  self->data_size = offset + data_size;
  self->tensor_count++;
}

void
mm_gguf_writer_set_counts (MmGgufWriter *self,
                           guint64       tensor_count,
                           guint64       kv_count)
{
  self->override_counts = TRUE;
  self->tensor_count_override = tensor_count;
  self->kv_count_override = kv_count;
}

GBytes *
mm_gguf_writer_finish (MmGgufWriter *self,
                       gboolean      with_data,
                       guint64      *infos_end)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();

  g_byte_array_append (file, (const guint8 *) "GGUF", 4);
  mm_gguf_put_u32 (file, self->version);
  mm_gguf_put_u64 (file, self->override_counts ? self->tensor_count_override
                                               : self->tensor_count);
  mm_gguf_put_u64 (file, self->override_counts ? self->kv_count_override : self->kv_count);
  g_byte_array_append (file, self->kv->data, self->kv->len);
  g_byte_array_append (file, self->tensors->data, self->tensors->len);

  if (infos_end != NULL)
    *infos_end = file->len;

  if (with_data)
    {
      guint old_length = file->len;
      guint64 data_start = align_up (old_length, self->alignment);

      g_byte_array_set_size (file, (guint) (data_start + self->data_size));
      memset (file->data + old_length, 0, file->len - old_length);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&file));
}
