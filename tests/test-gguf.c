/* test-gguf.c: the GGUF header reader, from memory, local files and HTTP ranges
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mm-core.h"
#include "mm-gguf-info-private.h"
#include "mm-gguf-reader-private.h"
#include "mm-gguf-writer.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 30000

/* Helpers */

static void
put_f32 (GByteArray *buffer,
         float       value)
{
  union { float f; guint32 u; } bits = { .f = value };

  mm_gguf_put_u32 (buffer, bits.u);
}

static void
put_f64 (GByteArray *buffer,
         double      value)
{
  union { double f; guint64 u; } bits = { .f = value };

  mm_gguf_put_u64 (buffer, bits.u);
}

/* The tensors of the model files below, with their exact parameter count. */
static const struct {
  const char *name;
  guint32 n_dims;
  guint64 dims[4];
  guint32 ggml_type;
} model_tensors[] = {
  { "token_embd.weight", 2, { 64, 1000 }, 1 },
  { "blk.0.attn_q.weight", 2, { 64, 64 }, 12 },
  { "blk.0.ffn_gate_exps.weight", 3, { 2, 3, 4 }, 8 },
  { "output_norm.weight", 1, { 64 }, 0 },
};
#define MODEL_PARAMETERS (64 * 1000 + 64 * 64 + 2 * 3 * 4 + 64)

static void
add_model_tensors (MmGgufWriter *writer,
                   guint64       data_per_tensor)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_tensors); i++)
    mm_gguf_writer_add_tensor (writer, model_tensors[i].name, model_tensors[i].n_dims,
                               model_tensors[i].dims, model_tensors[i].ggml_type,
                               data_per_tensor);
}

/* A small llama-like model with a value of every type, a nested array and a
 * vocabulary of @n_tokens. */
static MmGgufWriter *
model_writer_new (guint32 version,
                  guint64 n_tokens)
{
  MmGgufWriter *writer = mm_gguf_writer_new (version);
  GByteArray *kv = mm_gguf_writer_get_kv (writer);

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_string (writer, "general.name", "Tiny Llama");
  mm_gguf_writer_add_uint (writer, "llama.context_length", MM_GGUF_TYPE_UINT32, 4096);
  mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_uint (writer, "llama.embedding_length", MM_GGUF_TYPE_UINT64, 64);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 4);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count_kv", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32, 15);
  mm_gguf_writer_add_string (writer, "tokenizer.chat_template",
                             "{% for m in messages %}{{ m.content }}\n{% endfor %}");

  mm_gguf_writer_add_uint (writer, "test.u8", MM_GGUF_TYPE_UINT8, 200);
  mm_gguf_writer_add_uint (writer, "test.i8", MM_GGUF_TYPE_INT8, (guint8) -5);
  mm_gguf_writer_add_uint (writer, "test.u16", MM_GGUF_TYPE_UINT16, 65000);
  mm_gguf_writer_add_uint (writer, "test.i16", MM_GGUF_TYPE_INT16, (guint16) -30000);
  mm_gguf_writer_add_uint (writer, "test.u32", MM_GGUF_TYPE_UINT32, 4000000000u);
  mm_gguf_writer_add_uint (writer, "test.i32", MM_GGUF_TYPE_INT32, (guint32) -2000000000);
  mm_gguf_writer_key (writer, "test.f32", MM_GGUF_TYPE_FLOAT32);
  put_f32 (kv, 1.5f);
  mm_gguf_writer_add_uint (writer, "test.bool", MM_GGUF_TYPE_BOOL, 1);
  mm_gguf_writer_add_uint (writer, "test.u64", MM_GGUF_TYPE_UINT64, G_GUINT64_CONSTANT (9223372036854775813));
  mm_gguf_writer_add_uint (writer, "test.i64", MM_GGUF_TYPE_INT64, (guint64) G_GINT64_CONSTANT (-1099511627776));
  mm_gguf_writer_key (writer, "test.f64", MM_GGUF_TYPE_FLOAT64);
  put_f64 (kv, -0.25);
  mm_gguf_writer_add_string (writer, "test.string", "h\xc3\xa9llo");
  mm_gguf_writer_add_string (writer, "test.empty", "");

  /* [[1, 2, 3], [4], []] */
  mm_gguf_writer_key (writer, "test.nested", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_ARRAY, 3);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_INT32, 3);
  mm_gguf_put_u32 (kv, 1);
  mm_gguf_put_u32 (kv, 2);
  mm_gguf_put_u32 (kv, 3);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_INT32, 1);
  mm_gguf_put_u32 (kv, 4);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_STRING, 0);

  /* Arrays of each fixed-size type. */
  mm_gguf_writer_key (writer, "test.bools", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_BOOL, 2);
  mm_gguf_put_u8 (kv, 0);
  mm_gguf_put_u8 (kv, 1);
  mm_gguf_writer_key (writer, "test.u64s", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT64, 10);
  for (guint i = 0; i < 10; i++)
    mm_gguf_put_u64 (kv, i * 1000);

  mm_gguf_writer_add_strings (writer, "tokenizer.ggml.tokens", "tok", n_tokens);
  mm_gguf_writer_key (writer, "tokenizer.ggml.scores", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_FLOAT32, n_tokens);
  for (guint64 i = 0; i < n_tokens; i++)
    put_f32 (kv, -(float) i);

  add_model_tensors (writer, 256);

  return writer;
}

static GBytes *
model_bytes (guint32  version,
             guint64  n_tokens,
             gboolean with_data,
             guint64 *infos_end)
{
  g_autoptr(MmGgufWriter) writer = model_writer_new (version, n_tokens);

  return mm_gguf_writer_finish (writer, with_data, infos_end);
}

static MmGgufInfo *
parse_ok (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info = mm_gguf_reader_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static GVariant *
lookup (MmGgufInfo *info,
        const char *key,
        MmGgufType  expected_type)
{
  GVariant *value = NULL;
  MmGgufType type;

  g_assert_true (mm_gguf_info_lookup (info, key, &type, &value));
  g_assert_cmpint (type, ==, expected_type);
  return value;
}

static void
assert_model (MmGgufInfo *info,
              guint32     version,
              guint64     n_tokens)
{
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) inner_first = NULL;
  g_autoptr(GVariant) element = NULL;
  g_autoptr(GVariant) inner = NULL;
  g_autoptr(GVariant) token = NULL;
  GVariant *value;
  guint32 element_type;
  guint64 count;

  g_assert_cmpuint (mm_gguf_info_get_version (info), ==, version);
  g_assert_cmpuint (mm_gguf_info_get_tensor_count (info), ==, G_N_ELEMENTS (model_tensors));
  g_assert_cmpuint (mm_gguf_info_get_n_metadata (info), ==, 27);
  g_assert_cmpstr (mm_gguf_info_get_metadata_key (info, 0), ==, "general.architecture");

  g_assert_cmpuint (g_variant_get_byte (lookup (info, "test.u8", MM_GGUF_TYPE_UINT8)), ==, 200);
  g_assert_cmpint (g_variant_get_int16 (lookup (info, "test.i8", MM_GGUF_TYPE_INT8)), ==, -5);
  g_assert_cmpuint (g_variant_get_uint16 (lookup (info, "test.u16", MM_GGUF_TYPE_UINT16)), ==,
                    65000);
  g_assert_cmpint (g_variant_get_int16 (lookup (info, "test.i16", MM_GGUF_TYPE_INT16)), ==,
                   -30000);
  g_assert_cmpuint (g_variant_get_uint32 (lookup (info, "test.u32", MM_GGUF_TYPE_UINT32)), ==,
                    4000000000u);
  g_assert_cmpint (g_variant_get_int32 (lookup (info, "test.i32", MM_GGUF_TYPE_INT32)), ==,
                   -2000000000);
  g_assert_cmpfloat (g_variant_get_double (lookup (info, "test.f32", MM_GGUF_TYPE_FLOAT32)),
                     ==, 1.5);
  g_assert_true (g_variant_get_boolean (lookup (info, "test.bool", MM_GGUF_TYPE_BOOL)));
  g_assert_cmpuint (g_variant_get_uint64 (lookup (info, "test.u64", MM_GGUF_TYPE_UINT64)), ==,
                    G_GUINT64_CONSTANT (9223372036854775813));
  g_assert_cmpint (g_variant_get_int64 (lookup (info, "test.i64", MM_GGUF_TYPE_INT64)), ==,
                   G_GINT64_CONSTANT (-1099511627776));
  g_assert_cmpfloat (g_variant_get_double (lookup (info, "test.f64", MM_GGUF_TYPE_FLOAT64)),
                     ==, -0.25);
  g_assert_cmpstr (_mm_gguf_info_get_string (info, "test.string"), ==, "h\xc3\xa9llo");
  g_assert_cmpstr (_mm_gguf_info_get_string (info, "test.empty"), ==, "");
  g_assert_null (_mm_gguf_info_get_string (info, "test.u8"));
  g_assert_false (mm_gguf_info_lookup (info, "test.missing", NULL, NULL));

  /* Nested: [[1, 2, 3], [4], []] */
  value = lookup (info, "test.nested", MM_GGUF_TYPE_ARRAY);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE ("(utav)")));
  g_variant_get (value, "(ut@av)", &element_type, &count, &first);
  g_assert_cmpuint (element_type, ==, MM_GGUF_TYPE_ARRAY);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (g_variant_n_children (first), ==, 3);
  g_variant_get_child (first, 0, "v", &element);
  g_variant_get (element, "(ut@av)", &element_type, &count, &inner_first);
  g_assert_cmpuint (element_type, ==, MM_GGUF_TYPE_INT32);
  g_assert_cmpuint (count, ==, 3);
  g_variant_get_child (inner_first, 2, "v", &inner);
  g_assert_cmpint (g_variant_get_int32 (inner), ==, 3);
  g_clear_pointer (&element, g_variant_unref);
  g_clear_pointer (&first, g_variant_unref);

  value = lookup (info, "test.u64s", MM_GGUF_TYPE_ARRAY);
  g_variant_get (value, "(ut@av)", &element_type, &count, &first);
  g_assert_cmpuint (element_type, ==, MM_GGUF_TYPE_UINT64);
  g_assert_cmpuint (count, ==, 10);
  g_assert_cmpuint (g_variant_n_children (first), ==, MM_GGUF_ARRAY_FIRST);
  g_clear_pointer (&first, g_variant_unref);

  /* The vocabulary is summarized, not stored. */
  value = lookup (info, "tokenizer.ggml.tokens", MM_GGUF_TYPE_ARRAY);
  g_variant_get (value, "(ut@av)", &element_type, &count, &first);
  g_assert_cmpuint (element_type, ==, MM_GGUF_TYPE_STRING);
  g_assert_cmpuint (count, ==, n_tokens);
  g_assert_cmpuint (g_variant_n_children (first), ==, MIN (n_tokens, MM_GGUF_ARRAY_FIRST));
  if (n_tokens > 1)
    {
      g_variant_get_child (first, 1, "v", &token);
      g_assert_cmpstr (g_variant_get_string (token, NULL), ==, "tok1");
    }

  /* Facts */
  g_assert_cmpstr (mm_gguf_info_get_architecture (info), ==, "llama");
  g_assert_cmpstr (mm_gguf_info_get_name (info), ==, "Tiny Llama");
  g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, 4096);
  g_assert_cmpuint (mm_gguf_info_get_block_count (info), ==, 2);
  g_assert_cmpuint (mm_gguf_info_get_embedding_length (info), ==, 64);
  g_assert_cmpuint (mm_gguf_info_get_head_count (info), ==, 4);
  g_assert_cmpuint (mm_gguf_info_get_head_count_kv (info), ==, 2);
  g_assert_cmpint (mm_gguf_info_get_file_type (info), ==, 15);
  g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, "Q4_K_M");
  g_assert_true (mm_gguf_info_get_has_chat_template (info));
  g_assert_false (mm_gguf_info_get_is_split (info));
  g_assert_cmpuint (mm_gguf_info_get_split_count (info), ==, 0);
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, MODEL_PARAMETERS);
  g_assert_cmpuint (mm_gguf_info_get_alignment (info), ==, 32);
  g_assert_cmpuint (mm_gguf_info_get_tensor_data_offset (info) % 32, ==, 0);

  g_assert_cmpuint (mm_gguf_info_get_n_tensor_infos (info), ==, G_N_ELEMENTS (model_tensors));
  for (guint i = 0; i < G_N_ELEMENTS (model_tensors); i++)
    {
      const MmGgufTensorInfo *tensor = mm_gguf_info_get_tensor_info (info, i);

      g_assert_cmpstr (tensor->name, ==, model_tensors[i].name);
      g_assert_cmpuint (tensor->n_dims, ==, model_tensors[i].n_dims);
      g_assert_cmpuint (tensor->ggml_type, ==, model_tensors[i].ggml_type);
      for (guint d = 0; d < tensor->n_dims; d++)
        g_assert_cmpuint (tensor->dims[d], ==, model_tensors[i].dims[d]);
      g_assert_cmpuint (tensor->offset % 32, ==, 0);
    }
  g_assert_cmpstr (mm_gguf_ggml_type_to_string (mm_gguf_info_get_tensor_info (info, 1)->ggml_type),
                   ==, "Q4_K");
}

/* Memory */

static void
test_types (gconstpointer data)
{
  guint32 version = GPOINTER_TO_UINT (data);
  g_autoptr(GBytes) bytes = model_bytes (version, 1000, FALSE, NULL);
  MmGgufInfo *info = parse_ok (bytes);

  assert_model (info, version, 1000);
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, 0);
  g_assert_finalize_object (info);
}

static void
test_properties (void)
{
  g_autoptr(GBytes) bytes = model_bytes (3, 4, FALSE, NULL);
  MmGgufInfo *info = parse_ok (bytes);
  g_autofree char *architecture = NULL;
  g_autofree char *file_type = NULL;
  guint64 parameters = 0;
  guint64 context_length = 0;

  g_object_get (info, "architecture", &architecture, "parameter-count", &parameters,
                "context-length", &context_length, "file-type-name", &file_type, NULL);
  g_assert_cmpstr (architecture, ==, "llama");
  g_assert_cmpuint (parameters, ==, MODEL_PARAMETERS);
  g_assert_cmpuint (context_length, ==, 4096);
  g_assert_cmpstr (file_type, ==, "Q4_K_M");
  g_assert_finalize_object (info);
}

static void
test_nested_depth (void)
{
  /* Four levels of arrays are fine; the reader stops at more. */
  for (guint levels = 1; levels <= MM_GGUF_MAX_ARRAY_DEPTH + 1; levels++)
    {
      g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      MmGgufInfo *info;

      mm_gguf_writer_key (writer, "deep", MM_GGUF_TYPE_ARRAY);
      for (guint i = 1; i < levels; i++)
        mm_gguf_writer_array (writer, MM_GGUF_TYPE_ARRAY, 1);
      mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT8, 1);
      mm_gguf_put_u8 (mm_gguf_writer_get_kv (writer), 7);
      bytes = mm_gguf_writer_finish (writer, FALSE, NULL);

      info = mm_gguf_reader_parse_bytes (bytes, &error);
      if (levels <= MM_GGUF_MAX_ARRAY_DEPTH)
        {
          GVariant *value = lookup (info, "deep", MM_GGUF_TYPE_ARRAY);
          g_autofree char *text = g_variant_print (value, FALSE);

          g_assert_no_error (error);
          g_test_message ("%u levels: %s", levels, text);
          g_assert_nonnull (strstr (text, "byte 0x07"));
          g_assert_finalize_object (info);
        }
      else
        {
          g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT);
          g_assert_null (info);
        }
    }
}

/* Head counts given per layer (OpenELM): arrays longer than the few
 * elements other arrays keep, which the facts and the memory estimate need
 * whole. Before, a head count that was an array was no head count at all. */
static void
test_per_layer_heads (void)
{
  const guint32 heads[] = { 12, 12, 12, 16, 16, 16, 16, 16, 20, 20, 20, 20 };
  const guint32 kv_heads[] = { 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5 };
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (writer);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint64 *counts = NULL;
  g_autofree guint64 *kv_counts = NULL;
  g_autoptr(GVariant) first = NULL;
  MmGgufInfo *info;
  guint64 n_layers = 0;
  guint64 n_kv_layers = 0;
  guint32 element_type;
  guint64 count;

  G_STATIC_ASSERT (G_N_ELEMENTS (heads) > MM_GGUF_ARRAY_FIRST);
  mm_gguf_writer_add_string (writer, "general.architecture", "openelm");
  mm_gguf_writer_add_uint (writer, "openelm.block_count", MM_GGUF_TYPE_UINT32,
                           G_N_ELEMENTS (heads));
  mm_gguf_writer_key (writer, "openelm.attention.head_count", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT32, G_N_ELEMENTS (heads));
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    mm_gguf_put_u32 (kv, heads[i]);
  mm_gguf_writer_key (writer, "openelm.attention.head_count_kv", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_INT32, G_N_ELEMENTS (kv_heads));
  for (guint i = 0; i < G_N_ELEMENTS (kv_heads); i++)
    mm_gguf_put_u32 (kv, kv_heads[i]);
  mm_gguf_writer_add_strings (writer, "other.array", "x", 20);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  info = parse_ok (bytes);

  g_assert_true (mm_gguf_info_get_heads_per_layer (info));
  /* One number for the facts: the largest layer's. */
  g_assert_cmpuint (mm_gguf_info_get_head_count (info), ==, 20);
  g_assert_cmpuint (mm_gguf_info_get_head_count_kv (info), ==, 5);

  counts = mm_gguf_info_dup_head_counts (info, FALSE, &n_layers);
  kv_counts = mm_gguf_info_dup_head_counts (info, TRUE, &n_kv_layers);
  g_assert_cmpuint (n_layers, ==, G_N_ELEMENTS (heads));
  g_assert_cmpuint (n_kv_layers, ==, G_N_ELEMENTS (kv_heads));
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_assert_cmpuint (counts[i], ==, heads[i]);
      g_assert_cmpuint (kv_counts[i], ==, kv_heads[i]);
    }

  /* Other arrays still keep only their first elements. */
  g_variant_get (lookup (info, "other.array", MM_GGUF_TYPE_ARRAY), "(ut@av)",
                 &element_type, &count, &first);
  g_assert_cmpuint (count, ==, 20);
  g_assert_cmpuint (g_variant_n_children (first), ==, MM_GGUF_ARRAY_FIRST);
  g_assert_finalize_object (info);
}

/* A single count is the same for every layer. */
static void
test_per_layer_heads_single (void)
{
  g_autoptr(GBytes) bytes = model_bytes (3, 4, FALSE, NULL);
  MmGgufInfo *info = parse_ok (bytes);
  g_autofree guint64 *counts = NULL;
  guint64 n_layers = 0;

  g_assert_false (mm_gguf_info_get_heads_per_layer (info));
  counts = mm_gguf_info_dup_head_counts (info, TRUE, &n_layers);
  g_assert_cmpuint (n_layers, ==, 2);
  g_assert_cmpuint (counts[0], ==, 2);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_finalize_object (info);
}

/* A hostile block count does not make us allocate a value per "layer". */
static void
test_per_layer_heads_huge_block_count (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint64 *counts = NULL;
  MmGgufInfo *info;
  guint64 n_layers = 1;

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT64,
                           G_GUINT64_CONSTANT (4000000000));
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 32);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  info = parse_ok (bytes);

  counts = mm_gguf_info_dup_head_counts (info, FALSE, &n_layers);
  g_assert_null (counts);
  g_assert_cmpuint (n_layers, ==, 0);
  g_assert_cmpuint (mm_gguf_info_get_head_count (info), ==, 32);
  g_assert_finalize_object (info);
}

static void
test_large_array (void)
{
  /* A 150k-token vocabulary: counted, with only its first items kept. */
  g_autoptr(GBytes) bytes = model_bytes (3, 150000, FALSE, NULL);
  MmGgufInfo *info = parse_ok (bytes);
  g_autoptr(GVariant) first = NULL;
  guint32 element_type;
  guint64 count;

  assert_model (info, 3, 150000);
  g_variant_get (lookup (info, "tokenizer.ggml.scores", MM_GGUF_TYPE_ARRAY), "(ut@av)",
                 &element_type, &count, &first);
  g_assert_cmpuint (count, ==, 150000);
  g_assert_cmpuint (g_variant_n_children (first), ==, MM_GGUF_ARRAY_FIRST);
  /* Far less than the header itself. */
  g_assert_cmpuint (g_variant_get_size (lookup (info, "tokenizer.ggml.tokens",
                                                MM_GGUF_TYPE_ARRAY)), <, 1024);
  g_assert_finalize_object (info);
}

static void
test_split (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  MmGgufInfo *info;
  const guint64 dims[] = { 10, 10 };

  mm_gguf_writer_add_string (writer, "general.architecture", "qwen2");
  mm_gguf_writer_add_uint (writer, "split.no", MM_GGUF_TYPE_UINT16, 1);
  mm_gguf_writer_add_uint (writer, "split.count", MM_GGUF_TYPE_UINT16, 3);
  mm_gguf_writer_add_uint (writer, "split.tensors.count", MM_GGUF_TYPE_INT32, 7);
  mm_gguf_writer_add_tensor (writer, "blk.5.ffn_up.weight", 2, dims, 0, 400);
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);

  info = parse_ok (bytes);
  g_assert_true (mm_gguf_info_get_is_split (info));
  g_assert_cmpuint (mm_gguf_info_get_split_no (info), ==, 1);
  g_assert_cmpuint (mm_gguf_info_get_split_count (info), ==, 3);
  /* Only this part's tensors count; no context length in a later part. */
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, 100);
  g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, 0);
  g_assert_null (mm_gguf_info_get_name (info));
  g_assert_cmpint (mm_gguf_info_get_file_type (info), ==, -1);
  g_assert_null (mm_gguf_info_get_file_type_name (info));
  g_assert_false (mm_gguf_info_get_has_chat_template (info));
  g_assert_finalize_object (info);
}

static void
test_integer_widths (void)
{
  /* Counts come as any integer type; negative ones are no count. */
  static const struct {
    MmGgufType type;
    guint64 raw;
    guint64 expected;
  } rows[] = {
    { MM_GGUF_TYPE_UINT64, 131072, 131072 },
    { MM_GGUF_TYPE_UINT32, 32768, 32768 },
    { MM_GGUF_TYPE_INT32, 8192, 8192 },
    { MM_GGUF_TYPE_UINT16, 2048, 2048 },
    { MM_GGUF_TYPE_INT64, 4096, 4096 },
    { MM_GGUF_TYPE_UINT8, 255, 255 },
    { MM_GGUF_TYPE_INT32, (guint32) -1, 0 },
    { MM_GGUF_TYPE_INT8, 0xff, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
      g_autoptr(GBytes) bytes = NULL;
      MmGgufInfo *info;

      mm_gguf_writer_add_string (writer, "general.architecture", "phi3");
      mm_gguf_writer_add_uint (writer, "phi3.context_length", rows[i].type, rows[i].raw);
      bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
      info = parse_ok (bytes);
      g_assert_cmpuint (mm_gguf_info_get_context_length (info), ==, rows[i].expected);
      g_assert_finalize_object (info);
    }
}

static void
test_file_type (void)
{
  static const struct {
    guint64 file_type;
    const char *name;
  } rows[] = {
    { 0, "F32" }, { 1, "F16" }, { 2, "Q4_0" }, { 3, "Q4_1" }, { 4, NULL }, { 7, "Q8_0" },
    { 10, "Q2_K" }, { 12, "Q3_K_M" }, { 15, "Q4_K_M" }, { 17, "Q5_K_M" }, { 18, "Q6_K" },
    { 19, "IQ2_XXS" }, { 24, "IQ1_S" }, { 30, "IQ4_XS" }, { 31, "IQ1_M" }, { 32, "BF16" },
    { 33, NULL }, { 36, "TQ1_0" }, { 37, "TQ2_0" }, { 38, "MXFP4_MOE" }, { 1024, "GUESSED" },
    { 5000, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
      g_autoptr(GBytes) bytes = NULL;
      MmGgufInfo *info;

      mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32,
                               rows[i].file_type);
      bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
      info = parse_ok (bytes);
      g_assert_cmpint (mm_gguf_info_get_file_type (info), ==, (gint64) rows[i].file_type);
      g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, rows[i].name);
      g_assert_finalize_object (info);
    }
}

static void
test_alignment (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  guint64 infos_end = 0;
  MmGgufInfo *info;

  mm_gguf_writer_set_alignment (writer, 256);
  add_model_tensors (writer, 1000);
  bytes = mm_gguf_writer_finish (writer, TRUE, &infos_end);
  info = parse_ok (bytes);
  g_assert_cmpuint (mm_gguf_info_get_alignment (info), ==, 256);
  g_assert_cmpuint (mm_gguf_info_get_tensor_data_offset (info), ==, (infos_end + 255) / 256 * 256);
  g_assert_cmpuint (mm_gguf_info_get_tensor_info (info, 1)->offset, ==, 1024);
  g_assert_finalize_object (info);

  /* 0 and non-powers of two are refused. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MmGgufWriter) bad = mm_gguf_writer_new (3);
      g_autoptr(GBytes) bad_bytes = NULL;
      g_autoptr(GError) error = NULL;

      mm_gguf_writer_add_uint (bad, "general.alignment", MM_GGUF_TYPE_UINT32, i == 0 ? 0 : 48);
      bad_bytes = mm_gguf_writer_finish (bad, FALSE, NULL);
      g_assert_null (mm_gguf_reader_parse_bytes (bad_bytes, &error));
      g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT);
    }
}

static void
test_empty_header (void)
{
  /* What the mock Hub serves: a header with nothing in it. */
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  MmGgufInfo *info = parse_ok (bytes);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 24);
  g_assert_cmpuint (mm_gguf_info_get_n_metadata (info), ==, 0);
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, 0);
  g_assert_null (mm_gguf_info_get_architecture (info));
  g_assert_cmpuint (mm_gguf_info_get_tensor_data_offset (info), ==, 32);
  g_assert_finalize_object (info);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  GByteArray *kv = mm_gguf_writer_get_kv (writer);
  MmGgufInfo *info;
  const char *value;

  /* A key and a value with bytes that are not UTF-8, and an embedded NUL. */
  mm_gguf_put_u64 (kv, 4);
  g_byte_array_append (kv, (const guint8 *) "k\xff\x00y", 4);
  mm_gguf_put_u32 (kv, MM_GGUF_TYPE_STRING);
  mm_gguf_put_u64 (kv, 3);
  g_byte_array_append (kv, (const guint8 *) "a\xc3z", 3);
  mm_gguf_writer_set_counts (writer, 0, 1);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);

  info = parse_ok (bytes);
  g_assert_true (g_utf8_validate (mm_gguf_info_get_metadata_key (info, 0), -1, NULL));
  g_assert_true (g_str_has_prefix (mm_gguf_info_get_metadata_key (info, 0), "k"));
  value = g_variant_get_string (mm_gguf_info_get_metadata_value (info, 0), NULL);
  g_assert_true (g_utf8_validate (value, -1, NULL));
  g_assert_true (g_str_has_prefix (value, "a"));
  g_assert_true (g_str_has_suffix (value, "z"));
  g_assert_finalize_object (info);
}

static void
test_truncated_everywhere (gconstpointer data)
{
  guint32 version = GPOINTER_TO_UINT (data);
  guint64 infos_end = 0;
  g_autoptr(GBytes) bytes = model_bytes (version, 20, TRUE, &infos_end);
  MmGgufInfo *info;

  g_assert_cmpuint (infos_end, >, 24);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, infos_end);

  /* Every prefix that ends before the tensor infos do needs more bytes. */
  for (guint64 length = 0; length < infos_end; length++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (bytes, 0, length);
      g_autoptr(GError) error = NULL;

      g_assert_null (mm_gguf_reader_parse_bytes (prefix, &error));
      if (!g_error_matches (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED))
        g_error ("A prefix of %" G_GUINT64_FORMAT " bytes gave: %s", length,
                 error ? error->message : "no error");
    }

  /* The header ends with the tensor infos: the data is not needed. */
  {
    g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (bytes, 0, infos_end);

    info = parse_ok (prefix);
    assert_model (info, version, 20);
    g_assert_finalize_object (info);
  }
}

/* Hostile headers, one row each */

typedef struct {
  const char *path;
  void (*build) (GByteArray *file);
  int code;
  const char *message_part;
} HostileCase;

static void
put_header (GByteArray *file,
            guint32     version,
            guint64     tensor_count,
            guint64     kv_count)
{
  g_byte_array_append (file, (const guint8 *) "GGUF", 4);
  mm_gguf_put_u32 (file, version);
  mm_gguf_put_u64 (file, tensor_count);
  mm_gguf_put_u64 (file, kv_count);
}

static void
build_empty (GByteArray *file)
{
}

static void
build_bad_magic (GByteArray *file)
{
  g_byte_array_append (file, (const guint8 *) "GGML", 4);
  mm_gguf_put_u32 (file, 3);
  mm_gguf_put_u64 (file, 0);
  mm_gguf_put_u64 (file, 0);
}

static void
build_html (GByteArray *file)
{
  g_byte_array_append (file, (const guint8 *) "<!DOCTYPE html>", 15);
}

static void
build_short_not_gguf (GByteArray *file)
{
  g_byte_array_append (file, (const guint8 *) "GX", 2);
}

static void
build_version_1 (GByteArray *file)
{
  /* v1 had 32-bit counts. */
  g_byte_array_append (file, (const guint8 *) "GGUF", 4);
  mm_gguf_put_u32 (file, 1);
  mm_gguf_put_u32 (file, 0);
  mm_gguf_put_u32 (file, 0);
}

static void
build_version_0 (GByteArray *file)
{
  put_header (file, 0, 0, 0);
}

static void
build_version_4 (GByteArray *file)
{
  put_header (file, 4, 0, 0);
}

static void
build_big_endian (GByteArray *file)
{
  static const guint8 header[] = {
    'G', 'G', 'U', 'F', 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };

  g_byte_array_append (file, header, sizeof header);
}

static void
build_huge_kv_count (GByteArray *file)
{
  put_header (file, 3, 0, G_GUINT64_CONSTANT (1) << 40);
}

static void
build_kv_count_beyond_data (GByteArray *file)
{
  put_header (file, 3, 0, 1000);
  mm_gguf_put_string (file, "general.architecture");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_string (file, "llama");
}

static void
build_huge_tensor_count (GByteArray *file)
{
  put_header (file, 3, G_MAXUINT64, 0);
}

static void
build_huge_key (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_u64 (file, G_MAXUINT64);
}

static void
build_long_key (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_u64 (file, 70000);
  g_byte_array_set_size (file, file->len + 70000);
  memset (file->data + file->len - 70000, 'k', 70000);
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_UINT8);
  mm_gguf_put_u8 (file, 1);
}

static void
build_huge_string (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "general.name");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_u64 (file, G_GUINT64_CONSTANT (1) << 62);
  g_byte_array_append (file, (const guint8 *) "abc", 3);
}

static void
build_string_beyond_data (GByteArray *file)
{
  /* Within the limit, but longer than the data. */
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "general.name");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_u64 (file, 1000000);
  g_byte_array_append (file, (const guint8 *) "abc", 3);
}

static void
build_huge_array (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "tokenizer.ggml.tokens");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_u64 (file, G_MAXUINT64);
}

static void
build_array_beyond_data (GByteArray *file)
{
  /* 64 M u64s claimed, 3 present: the count is checked against the data
   * before anything is allocated. */
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "scores");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_UINT64);
  mm_gguf_put_u64 (file, MM_GGUF_MAX_ARRAY_LENGTH);
  for (guint i = 0; i < 3; i++)
    mm_gguf_put_u64 (file, i);
}

static void
build_string_array_beyond_data (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "tokens");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_u64 (file, MM_GGUF_MAX_ARRAY_LENGTH);
  for (guint i = 0; i < 20; i++)
    mm_gguf_put_string (file, "x");
}

static void
build_bad_value_type (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "general.name");
  mm_gguf_put_u32 (file, 13);
  mm_gguf_put_u64 (file, 0);
}

/* The same key twice, with different values: llama.cpp refuses the file. */
static void
build_duplicate_key (GByteArray *file)
{
  put_header (file, 3, 0, 3);
  mm_gguf_put_string (file, "general.name");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_string (file, "first");
  mm_gguf_put_string (file, "general.architecture");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_STRING);
  mm_gguf_put_string (file, "llama");
  mm_gguf_put_string (file, "general.name");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_UINT32);
  mm_gguf_put_u32 (file, 7);
}

static void
build_bad_element_type (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "list");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
  mm_gguf_put_u32 (file, G_MAXUINT32);
  mm_gguf_put_u64 (file, 1);
  mm_gguf_put_u64 (file, 0);
}

static void
build_too_deep (GByteArray *file)
{
  put_header (file, 3, 0, 1);
  mm_gguf_put_string (file, "deep");
  mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
  for (guint i = 0; i < 1000; i++)
    {
      mm_gguf_put_u32 (file, MM_GGUF_TYPE_ARRAY);
      mm_gguf_put_u64 (file, 1);
    }
}

static void
put_tensor_start (GByteArray *file,
                  guint32     n_dims)
{
  put_header (file, 3, 1, 0);
  mm_gguf_put_string (file, "blk.0.attn_q.weight");
  mm_gguf_put_u32 (file, n_dims);
}

static void
build_many_dims (GByteArray *file)
{
  put_tensor_start (file, 100);
  for (guint i = 0; i < 100; i++)
    mm_gguf_put_u64 (file, 1);
  mm_gguf_put_u32 (file, 0);
  mm_gguf_put_u64 (file, 0);
}

static void
build_dims_overflow (GByteArray *file)
{
  put_tensor_start (file, 3);
  mm_gguf_put_u64 (file, G_GUINT64_CONSTANT (1) << 32);
  mm_gguf_put_u64 (file, G_GUINT64_CONSTANT (1) << 32);
  mm_gguf_put_u64 (file, 2);
  mm_gguf_put_u32 (file, 0);
  mm_gguf_put_u64 (file, 0);
}

static void
build_negative_dim (GByteArray *file)
{
  put_tensor_start (file, 1);
  mm_gguf_put_u64 (file, G_MAXUINT64);
  mm_gguf_put_u32 (file, 0);
  mm_gguf_put_u64 (file, 0);
}

static void
build_parameter_sum_overflow (GByteArray *file)
{
  put_header (file, 3, 5, 0);
  for (guint i = 0; i < 5; i++)
    {
      mm_gguf_put_string (file, "t");
      mm_gguf_put_u32 (file, 1);
      mm_gguf_put_u64 (file, G_GUINT64_CONSTANT (1) << 62);
      mm_gguf_put_u32 (file, 0);
      mm_gguf_put_u64 (file, 0);
    }
}

static void
build_tensor_count_beyond_data (GByteArray *file)
{
  put_header (file, 3, 5000000, 0);
  mm_gguf_put_string (file, "t");
  mm_gguf_put_u32 (file, 1);
  mm_gguf_put_u64 (file, 4);
  mm_gguf_put_u32 (file, 0);
  mm_gguf_put_u64 (file, 0);
}

static void
build_huge_tensor_name (GByteArray *file)
{
  put_header (file, 3, 1, 0);
  mm_gguf_put_u64 (file, G_GUINT64_CONSTANT (1) << 40);
}

static const HostileCase hostile_cases[] = {
  { "/mm/gguf/hostile/empty", build_empty, MM_GGUF_ERROR_TRUNCATED, NULL },
  { "/mm/gguf/hostile/bad-magic", build_bad_magic, MM_GGUF_ERROR_NOT_GGUF, "GGUF" },
  { "/mm/gguf/hostile/html", build_html, MM_GGUF_ERROR_NOT_GGUF, NULL },
  { "/mm/gguf/hostile/short-not-gguf", build_short_not_gguf, MM_GGUF_ERROR_NOT_GGUF, NULL },
  { "/mm/gguf/hostile/version-1", build_version_1, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
    "version 1" },
  { "/mm/gguf/hostile/version-0", build_version_0, MM_GGUF_ERROR_UNSUPPORTED_VERSION, NULL },
  { "/mm/gguf/hostile/version-4", build_version_4, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
    "version 4" },
  { "/mm/gguf/hostile/big-endian", build_big_endian, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
    "big-endian" },
  { "/mm/gguf/hostile/huge-kv-count", build_huge_kv_count, MM_GGUF_ERROR_TOO_LARGE, NULL },
  { "/mm/gguf/hostile/kv-count-beyond-data", build_kv_count_beyond_data,
    MM_GGUF_ERROR_TRUNCATED, NULL },
  { "/mm/gguf/hostile/huge-tensor-count", build_huge_tensor_count, MM_GGUF_ERROR_TOO_LARGE,
    NULL },
  { "/mm/gguf/hostile/huge-key", build_huge_key, MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/long-key", build_long_key, MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/huge-string", build_huge_string, MM_GGUF_ERROR_TOO_LARGE, NULL },
  { "/mm/gguf/hostile/string-beyond-data", build_string_beyond_data, MM_GGUF_ERROR_TRUNCATED,
    NULL },
  { "/mm/gguf/hostile/huge-array", build_huge_array, MM_GGUF_ERROR_TOO_LARGE, NULL },
  { "/mm/gguf/hostile/array-beyond-data", build_array_beyond_data, MM_GGUF_ERROR_TRUNCATED,
    NULL },
  { "/mm/gguf/hostile/string-array-beyond-data", build_string_array_beyond_data,
    MM_GGUF_ERROR_TRUNCATED, NULL },
  { "/mm/gguf/hostile/bad-value-type", build_bad_value_type, MM_GGUF_ERROR_CORRUPT,
    "unknown type 13" },
  { "/mm/gguf/hostile/bad-element-type", build_bad_element_type, MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/duplicate-key", build_duplicate_key, MM_GGUF_ERROR_CORRUPT,
    "“general.name” twice. llama.cpp refuses" },
  { "/mm/gguf/hostile/too-deep", build_too_deep, MM_GGUF_ERROR_CORRUPT, "levels" },
  { "/mm/gguf/hostile/many-dims", build_many_dims, MM_GGUF_ERROR_CORRUPT, "100 dimensions" },
  { "/mm/gguf/hostile/dims-overflow", build_dims_overflow, MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/negative-dim", build_negative_dim, MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/parameter-sum-overflow", build_parameter_sum_overflow,
    MM_GGUF_ERROR_CORRUPT, NULL },
  { "/mm/gguf/hostile/tensor-count-beyond-data", build_tensor_count_beyond_data,
    MM_GGUF_ERROR_TRUNCATED, NULL },
  { "/mm/gguf/hostile/huge-tensor-name", build_huge_tensor_name, MM_GGUF_ERROR_CORRUPT, NULL },
};

static void
test_hostile (gconstpointer data)
{
  const HostileCase *row = data;
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  row->build (file);
  bytes = g_bytes_new (file->data, file->len);
  g_assert_null (mm_gguf_reader_parse_bytes (bytes, &error));
  g_assert_error (error, MM_GGUF_ERROR, row->code);
  g_test_message ("%s", error->message);
  if (row->message_part != NULL)
    g_assert_nonnull (strstr (error->message, row->message_part));
}

/* Local files */

static GFile *
write_temp_file (const char *name,
                 GBytes     *contents)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (g_get_user_cache_dir (), 0700));
  g_file_set_contents (path, g_bytes_get_data (contents, NULL),
                       (gssize) g_bytes_get_size (contents), &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static MmGgufInfo *
read_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_gguf_reader_read_file_async (file, cancellable, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);

  return mm_gguf_reader_read_file_finish (result, error);
}

static void
test_file_read (void)
{
  g_autoptr(GBytes) bytes = model_bytes (3, 1000, TRUE, NULL);
  g_autoptr(GFile) file = write_temp_file ("model.gguf", bytes);
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;

  info = read_file (file, NULL, &error);
  g_assert_no_error (error);
  assert_model (info, 3, 1000);
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, g_bytes_get_size (bytes));
  g_assert_cmpuint (mm_gguf_info_get_tensor_data_offset (info), <, g_bytes_get_size (bytes));
  g_assert_finalize_object (info);
}

static void
test_file_large_header (void)
{
  /* A header of several MiB, with arrays skipped in pieces: the reader
   * drops what it has passed and still gets every value right. */
  g_autoptr(MmGgufWriter) writer = model_writer_new (3, 200000);
  GByteArray *kv = mm_gguf_writer_get_kv (writer);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;

  mm_gguf_writer_key (writer, "test.blob", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT8, 3 * 1024 * 1024 + 7);
  g_byte_array_set_size (kv, kv->len + 3 * 1024 * 1024 + 7);
  memset (kv->data + kv->len - (3 * 1024 * 1024 + 7), 0x5a, 3 * 1024 * 1024 + 7);
  mm_gguf_writer_add_string (writer, "test.after", "still here");
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);
  file = write_temp_file ("large.gguf", bytes);

  info = read_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (_mm_gguf_info_get_string (info, "test.after"), ==, "still here");
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, MODEL_PARAMETERS);
  g_assert_cmpuint (mm_gguf_info_get_n_metadata (info), ==, 29);
  g_assert_finalize_object (info);
}

static void
test_file_truncated (void)
{
  guint64 infos_end = 0;
  g_autoptr(GBytes) whole = model_bytes (3, 1000, FALSE, &infos_end);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (whole, 0, infos_end - 10);
  g_autoptr(GFile) file = write_temp_file ("partial.gguf", part);
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  g_autoptr(GFile) empty = write_temp_file ("empty.gguf", nothing);
  g_autofree char *path = g_file_get_parse_name (file);
  g_autofree char *empty_path = g_file_get_parse_name (empty);
  g_autofree char *expected = NULL;

  /* Whether the file is empty or not, the message names it. */
  g_assert_null (read_file (file, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED);
  expected = g_strdup_printf ("The GGUF header of “%s” is incomplete: the file ends after %"
                              G_GUINT64_FORMAT " bytes", path, infos_end - 10);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("“%s” is not “%s…”", error->message, expected);
  g_clear_error (&error);

  g_assert_null (read_file (empty, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, empty_path));
}

static void
test_file_errors (void)
{
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/model.gguf");
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, world\n", 13);
  g_autoptr(GFile) not_gguf = write_temp_file ("readme.txt", text);
  g_autoptr(GBytes) bytes = model_bytes (3, 10, TRUE, NULL);
  g_autoptr(GFile) file = write_temp_file ("cancel.gguf", bytes);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_autoptr(GFile) folder = g_file_new_for_path (g_get_user_cache_dir ());
  g_autofree char *folder_path = g_file_get_parse_name (folder);
  g_autofree char *folder_message = NULL;

  /* One mention of the path, and the reason in words. */
  g_assert_null (read_file (missing, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "Could not read “/nonexistent/model.gguf”: there is no such file.");
  g_clear_error (&error);

  g_assert_true (g_file_make_directory_with_parents (folder, NULL, NULL) ||
                 g_file_query_exists (folder, NULL));
  g_assert_null (read_file (folder, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO);
  folder_message = g_strdup_printf ("Could not read “%s”: it is a folder, not a file.",
                                    folder_path);
  g_assert_cmpstr (error->message, ==, folder_message);
  g_clear_error (&error);

  g_assert_null (read_file (not_gguf, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_NOT_GGUF);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (read_file (file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Remote files: a SoupServer in this thread serves one file with Range */

typedef struct {
  SoupServer *server;
  SoupSession *session;
  GBytes *file;
  GSocketService *service;
  char *url;
  guint n_requests;
  guint64 bytes_served;
  gboolean ignore_range;
  gboolean all_identity;
} RemoteFixture;

typedef struct {
  RemoteFixture *fixture;
  guint64 offset;
  guint64 end;
} Stream;

static void
stream_next_cb (SoupServerMessage *msg,
                Stream            *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) chunk = NULL;
  guint64 length;

  if (stream->offset >= stream->end)
    {
      soup_message_body_complete (body);
      return;
    }

  length = MIN (stream->end - stream->offset, 64 * 1024);
  chunk = g_bytes_new_from_bytes (stream->fixture->file, stream->offset, length);
  soup_message_body_append_bytes (body, chunk);
  stream->offset += length;
  stream->fixture->bytes_served += length;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  RemoteFixture *fixture = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  guint64 size = g_bytes_get_size (fixture->file);
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  Stream *stream;

  fixture->n_requests++;
  if (g_strcmp0 (soup_message_headers_get_one (request, "Accept-Encoding"), "identity") != 0)
    fixture->all_identity = FALSE;

  if (!g_str_equal (path, "/model.gguf"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  stream = g_new0 (Stream, 1);
  stream->fixture = fixture;
  stream->end = size;
  g_object_set_data_full (G_OBJECT (msg), "stream", stream, g_free);

  soup_message_headers_set_encoding (response, SOUP_ENCODING_CONTENT_LENGTH);
  if (!fixture->ignore_range &&
      soup_message_headers_get_ranges (request, (goffset) size, &ranges, &n_ranges))
    {
      g_assert_cmpint (n_ranges, ==, 1);
      /* A range reaching past the end is cut to the file (RFC 9110 §14.1.2). */
      stream->offset = (guint64) ranges[0].start;
      stream->end = MIN ((guint64) ranges[0].end + 1, size);
      g_assert_cmpuint (stream->offset, <, stream->end);
      soup_message_headers_free_ranges (request, ranges);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (response, (goffset) stream->offset,
                                              (goffset) stream->end - 1, (goffset) size);
    }
  else if (!fixture->ignore_range && soup_message_headers_get_one (request, "Range") != NULL)
    {
      soup_message_headers_set_content_range (response, -1, -1, (goffset) size);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return;
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  soup_message_headers_set_content_length (response, (goffset) (stream->end - stream->offset));

  /* Stream chunk by chunk, so a client that stops reading stops the count. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (stream_next_cb), stream);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_next_cb), stream);
}

static void
remote_set_up (RemoteFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  fixture->service = mm_test_server_listen (fixture->server, "127.0.0.1", 0, &base, &error);
  g_assert_no_error (error);
  fixture->url = g_strconcat (base, "/model.gguf", NULL);
  fixture->session = soup_session_new ();
  fixture->all_identity = TRUE;
}

static void
remote_tear_down (RemoteFixture *fixture,
                  gconstpointer  data)
{
  /* libsoup lets go of finished messages and closed connections from idle
   * callbacks: give them their turn first. */
  soup_session_abort (fixture->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->session);
  g_socket_service_stop (fixture->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->service));
  /* The cancelled accept lets go of the service from the main loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->service);
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  /* The server's side of each connection goes away in idle callbacks too. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fixture->file, g_bytes_unref);
  g_clear_pointer (&fixture->url, g_free);
}

static MmGgufInfo *
read_url (RemoteFixture  *fixture,
          const char     *url,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_gguf_reader_read_url_async (fixture->session, url, cancellable,
                                 mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);

  return mm_gguf_reader_read_url_finish (result, error);
}

static void
test_remote_small (RemoteFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;

  fixture->file = model_bytes (3, 1000, TRUE, NULL);
  info = read_url (fixture, fixture->url, NULL, &error);
  g_assert_no_error (error);
  assert_model (info, 3, 1000);
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, g_bytes_get_size (fixture->file));
  g_assert_cmpuint (fixture->n_requests, ==, 1);
  g_assert_true (fixture->all_identity);
  g_assert_finalize_object (info);
}

/* A header larger than the first chunk in front of 40 MB of tensor data. */
static GBytes *
big_model_bytes (void)
{
  g_autoptr(MmGgufWriter) writer = model_writer_new (3, 200000);
  const guint64 dims[] = { 5, 1000, 1000 };

  mm_gguf_writer_add_tensor (writer, "blk.1.ffn_down.weight", 3, dims, 0, 20000000);
  mm_gguf_writer_add_tensor (writer, "blk.1.ffn_up.weight", 3, dims, 0, 20000000);
  return mm_gguf_writer_finish (writer, TRUE, NULL);
}

static void
test_remote_ranges (RemoteFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;
  guint64 size;

  fixture->file = big_model_bytes ();
  size = g_bytes_get_size (fixture->file);
  info = read_url (fixture, fixture->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, MODEL_PARAMETERS + 10000000);
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, size);
  g_assert_cmpuint (mm_gguf_info_get_tensor_data_offset (info), >, 2000000);

  /* 64 KiB, then steps twice as large (128 KiB, 256 KiB … 2 MiB) until the
   * header of about 2 MB ends: six requests for 4 MiB minus 64 KiB, less
   * than twice the header, and not the 40 MB of data. */
  g_test_message ("%u requests, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                  fixture->n_requests, fixture->bytes_served, size);
  g_assert_cmpuint (fixture->n_requests, ==, 6);
  g_assert_cmpuint (fixture->bytes_served, ==, 4 * 1024 * 1024 - 64 * 1024);
  g_assert_cmpuint (fixture->bytes_served, <, 2 * mm_gguf_info_get_tensor_data_offset (info));
  g_assert_cmpuint (fixture->bytes_served, <, size / 5);
  g_assert_true (fixture->all_identity);
  g_assert_finalize_object (info);
}

typedef struct {
  guint   calls;
  guint64 bytes_read;
  guint64 bytes_total;
} Progress;

static void
progress_cb (guint64  bytes_read,
             guint64  bytes_total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (bytes_read, >=, progress->bytes_read);
  progress->calls++;
  progress->bytes_read = bytes_read;
  progress->bytes_total = bytes_total;
}

static MmGgufInfo *
read_url_with_progress (RemoteFixture  *fixture,
                        Progress       *progress,
                        GError        **error)
{
  static const MmGgufRemoteFuncs plain = { NULL, NULL, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  _mm_gguf_reader_read_remote_async (fixture->session, fixture->url, "model.gguf", &plain,
                                     NULL, NULL, progress_cb, progress, NULL, NULL,
                                     mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_gguf_reader_read_url_finish (result, error);
}

/* Progress: a file smaller than the first step is read whole, and how much
 * that is is known (a fraction); a large one is read in steps whose end is
 * not known until the header ends. Either way the last report is all that
 * was read. */
static void
test_remote_progress (RemoteFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Progress small = { 0, };
  Progress big = { 0, };
  MmGgufInfo *info;

  fixture->file = model_bytes (3, 1000, TRUE, NULL);
  g_assert_cmpuint (g_bytes_get_size (fixture->file), <, 64 * 1024);
  info = read_url_with_progress (fixture, &small, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (info);
  g_assert_cmpuint (small.calls, >=, 1);
  g_assert_cmpuint (small.bytes_read, ==, g_bytes_get_size (fixture->file));
  g_assert_cmpuint (small.bytes_total, ==, g_bytes_get_size (fixture->file));

  g_clear_pointer (&fixture->file, g_bytes_unref);
  fixture->file = big_model_bytes ();
  fixture->bytes_served = 0;
  info = read_url_with_progress (fixture, &big, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (info);
  /* The first bytes, and the end: what lies between comes at most ten
   * times a second, and here it all took less. */
  g_assert_cmpuint (big.calls, >=, 2);
  g_assert_cmpuint (big.bytes_read, ==, fixture->bytes_served);
  g_assert_cmpuint (big.bytes_total, ==, 0);
}

static void
test_remote_ignores_range (RemoteFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;
  guint64 size;

  fixture->file = big_model_bytes ();
  fixture->ignore_range = TRUE;
  size = g_bytes_get_size (fixture->file);
  info = read_url (fixture, fixture->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mm_gguf_info_get_parameter_count (info), ==, MODEL_PARAMETERS + 10000000);
  g_assert_cmpuint (mm_gguf_info_get_file_size (info), ==, size);

  /* One answer, read only as far as needed and then dropped. Socket buffers
   * let the server get somewhat ahead, but nowhere near the whole file. */
  g_test_message ("%u requests, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                  fixture->n_requests, fixture->bytes_served, size);
  g_assert_cmpuint (fixture->n_requests, ==, 1);
  g_assert_cmpuint (fixture->bytes_served, <, size / 2);
  g_assert_finalize_object (info);
}

static void
test_remote_truncated (RemoteFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) whole = model_bytes (3, 1000, FALSE, NULL);
  g_autoptr(GError) error = NULL;

  /* The file ends inside its header: a first short range tells so. */
  fixture->file = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) - 100);
  g_assert_null (read_url (fixture, fixture->url, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED);
  g_assert_cmpuint (fixture->n_requests, ==, 1);
}

static void
test_remote_errors (RemoteFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_strconcat (fixture->url, ".missing", NULL);

  fixture->file = g_bytes_new_static ("<html>Not a model</html>", 24);
  g_assert_null (read_url (fixture, fixture->url, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_NOT_GGUF);
  g_clear_error (&error);

  g_assert_null (read_url (fixture, missing, NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);

  g_assert_null (read_url (fixture, "http://[bad", NULL, &error));
  g_assert_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_null (read_url (fixture, fixture->url, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/mm/gguf/parse/types/v3", GUINT_TO_POINTER (3), test_types);
  g_test_add_data_func ("/mm/gguf/parse/types/v2", GUINT_TO_POINTER (2), test_types);
  g_test_add_func ("/mm/gguf/parse/properties", test_properties);
  g_test_add_func ("/mm/gguf/parse/nested-depth", test_nested_depth);
  g_test_add_func ("/mm/gguf/parse/large-array", test_large_array);
  g_test_add_func ("/mm/gguf/parse/per-layer-heads", test_per_layer_heads);
  g_test_add_func ("/mm/gguf/parse/per-layer-heads/single", test_per_layer_heads_single);
  g_test_add_func ("/mm/gguf/parse/per-layer-heads/huge-block-count",
                   test_per_layer_heads_huge_block_count);
  g_test_add_func ("/mm/gguf/parse/split", test_split);
  g_test_add_func ("/mm/gguf/parse/integer-widths", test_integer_widths);
  g_test_add_func ("/mm/gguf/parse/file-type", test_file_type);
  g_test_add_func ("/mm/gguf/parse/alignment", test_alignment);
  g_test_add_func ("/mm/gguf/parse/empty-header", test_empty_header);
  g_test_add_func ("/mm/gguf/parse/invalid-utf8", test_invalid_utf8);
  g_test_add_data_func ("/mm/gguf/truncated/every-offset/v3", GUINT_TO_POINTER (3),
                        test_truncated_everywhere);
  g_test_add_data_func ("/mm/gguf/truncated/every-offset/v2", GUINT_TO_POINTER (2),
                        test_truncated_everywhere);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    g_test_add_data_func (hostile_cases[i].path, &hostile_cases[i], test_hostile);
  g_test_add_func ("/mm/gguf/file/read", test_file_read);
  g_test_add_func ("/mm/gguf/file/large-header", test_file_large_header);
  g_test_add_func ("/mm/gguf/file/truncated", test_file_truncated);
  g_test_add_func ("/mm/gguf/file/errors", test_file_errors);
  g_test_add ("/mm/gguf/remote/small", RemoteFixture, NULL,
              remote_set_up, test_remote_small, remote_tear_down);
  g_test_add ("/mm/gguf/remote/ranges", RemoteFixture, NULL,
              remote_set_up, test_remote_ranges, remote_tear_down);
  g_test_add ("/mm/gguf/remote/progress", RemoteFixture, NULL,
              remote_set_up, test_remote_progress, remote_tear_down);
  g_test_add ("/mm/gguf/remote/ignores-range", RemoteFixture, NULL,
              remote_set_up, test_remote_ignores_range, remote_tear_down);
  g_test_add ("/mm/gguf/remote/truncated", RemoteFixture, NULL,
              remote_set_up, test_remote_truncated, remote_tear_down);
  g_test_add ("/mm/gguf/remote/errors", RemoteFixture, NULL,
              remote_set_up, test_remote_errors, remote_tear_down);

  return g_test_run ();
}
