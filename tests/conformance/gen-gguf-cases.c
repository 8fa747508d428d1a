/* gen-gguf-cases.c: writes GGUF edge cases for the parser conformance test
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `gen-gguf-cases DIR` writes small, valid GGUF files into DIR, each an edge
 * case for a header reader: a 200,000-token vocabulary, nested arrays,
 * per-layer head counts, alignments other than 32, split keys, every value
 * type at its limits, a version 2 file. gguf-parser.mjs parses each with
 * @huggingface/gguf and `model-manager-cli gguf --json` and compares them
 * field by field; it also cuts `truncate-base.gguf` at every header offset.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mm-gguf-writer.h"

static void
put_u16 (GByteArray *kv,
         guint16     value)
{
  guint8 bytes[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (kv, bytes, 2);
}

static void
put_f32 (GByteArray *kv,
         float       value)
{
  guint32 bits;

  memcpy (&bits, &value, 4);
  mm_gguf_put_u32 (kv, bits);
}

static void
put_f64 (GByteArray *kv,
         double      value)
{
  guint64 bits;

  memcpy (&bits, &value, 8);
  mm_gguf_put_u64 (kv, bits);
}

static void
add_tensor (MmGgufWriter *writer,
            const char   *name,
            guint64       d0,
            guint64       d1,
            guint32       ggml_type)
{
  guint64 dims[2] = { d0, d1 };
  guint32 n_dims = d1 ? 2 : 1;

  mm_gguf_writer_add_tensor (writer, name, n_dims, dims, ggml_type,
                             mm_gguf_ggml_type_data_size (ggml_type, d1 ? d0 * d1 : d0));
}

/* The keys every case has, and a few tensors (F32 and Q4_K). */
static void
add_model (MmGgufWriter *writer,
           const char   *arch,
           const char   *name)
{
  g_autofree char *context = g_strconcat (arch, ".context_length", NULL);
  g_autofree char *blocks = g_strconcat (arch, ".block_count", NULL);
  g_autofree char *embedding = g_strconcat (arch, ".embedding_length", NULL);

  mm_gguf_writer_add_string (writer, "general.architecture", arch);
  mm_gguf_writer_add_string (writer, "general.name", name);
  mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32, 15);
  mm_gguf_writer_add_uint (writer, context, MM_GGUF_TYPE_UINT32, 4096);
  mm_gguf_writer_add_uint (writer, blocks, MM_GGUF_TYPE_UINT32, 4);
  mm_gguf_writer_add_uint (writer, embedding, MM_GGUF_TYPE_UINT32, 256);
}

static void
add_tensors (MmGgufWriter *writer)
{
  add_tensor (writer, "token_embd.weight", 256, 32, 12);
  add_tensor (writer, "blk.0.attn_norm.weight", 256, 0, 0);
  add_tensor (writer, "blk.0.attn_q.weight", 256, 256, 12);
  add_tensor (writer, "output_norm.weight", 256, 0, 0);
}

static void
save (const char   *dir,
      const char   *name,
      MmGgufWriter *writer)
{
  g_autoptr(GBytes) bytes = mm_gguf_writer_finish (writer, TRUE, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            &error))
    g_error ("%s", error->message);
}

static void
write_big_vocab (const char *dir)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (w);
  const guint64 n = 200000;

  add_model (w, "llama", "Big Vocabulary");
  mm_gguf_writer_add_string (w, "tokenizer.ggml.model", "gpt2");
  mm_gguf_writer_add_strings (w, "tokenizer.ggml.tokens", "tok_", n);
  mm_gguf_writer_key (w, "tokenizer.ggml.scores", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_FLOAT32, n);
  for (guint64 i = 0; i < n; i++)
    put_f32 (kv, -(float) i / 7.0f);
  mm_gguf_writer_key (w, "tokenizer.ggml.token_type", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_INT32, n);
  for (guint64 i = 0; i < n; i++)
    mm_gguf_put_u32 (kv, i % 5 == 0 ? 3 : 1);
  mm_gguf_writer_add_uint (w, "tokenizer.ggml.bos_token_id", MM_GGUF_TYPE_UINT32, 1);
  mm_gguf_writer_add_string (w, "tokenizer.chat_template",
                             "{% for m in messages %}{{ m['content'] }}{% endfor %}");
  add_tensors (w);
  save (dir, "big-vocab.gguf", w);
}

static void
write_nested_arrays (const char *dir)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (w);

  add_model (w, "llama", "Nested Arrays");
  /* [[0], [1, 2], [], [3, 4, 5, …, 12]] */
  mm_gguf_writer_key (w, "test.nested_uint32", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_ARRAY, 4);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_UINT32, 1);
  mm_gguf_put_u32 (kv, 0);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_put_u32 (kv, 1);
  mm_gguf_put_u32 (kv, 2);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_UINT32, 0);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_UINT32, 10);
  for (guint i = 3; i < 13; i++)
    mm_gguf_put_u32 (kv, i);
  /* [["a", "bc"], ["ü"]] */
  mm_gguf_writer_key (w, "test.nested_strings", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_ARRAY, 2);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_STRING, 2);
  mm_gguf_put_string (kv, "a");
  mm_gguf_put_string (kv, "bc");
  mm_gguf_writer_array (w, MM_GGUF_TYPE_STRING, 1);
  mm_gguf_put_string (kv, "\xc3\xbc");
  /* Three levels: [[[7]]] */
  mm_gguf_writer_key (w, "test.three_levels", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_ARRAY, 1);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_ARRAY, 1);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_INT8, 1);
  mm_gguf_put_u8 (kv, 7);
  /* An empty array and one of booleans. */
  mm_gguf_writer_key (w, "test.empty", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_FLOAT64, 0);
  mm_gguf_writer_key (w, "test.bools", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_BOOL, 3);
  mm_gguf_put_u8 (kv, 1);
  mm_gguf_put_u8 (kv, 0);
  mm_gguf_put_u8 (kv, 1);
  add_tensors (w);
  save (dir, "nested-arrays.gguf", w);
}

/* OpenELM gives its head counts per layer. */
static void
write_per_layer_heads (const char *dir)
{
  const guint32 heads[] = { 12, 12, 16, 16, 20, 20, 24, 24, 28, 28, 32, 32 };
  const guint32 heads_kv[] = { 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8 };
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (w);

  mm_gguf_writer_add_string (w, "general.architecture", "openelm");
  mm_gguf_writer_add_string (w, "general.name", "OpenELM Per Layer");
  mm_gguf_writer_add_uint (w, "general.file_type", MM_GGUF_TYPE_UINT32, 1);
  mm_gguf_writer_add_uint (w, "openelm.context_length", MM_GGUF_TYPE_UINT32, 2048);
  mm_gguf_writer_add_uint (w, "openelm.block_count", MM_GGUF_TYPE_UINT32, G_N_ELEMENTS (heads));
  mm_gguf_writer_add_uint (w, "openelm.embedding_length", MM_GGUF_TYPE_UINT32, 1280);
  mm_gguf_writer_key (w, "openelm.attention.head_count", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_INT32, G_N_ELEMENTS (heads));
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    mm_gguf_put_u32 (kv, heads[i]);
  mm_gguf_writer_key (w, "openelm.attention.head_count_kv", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_INT32, G_N_ELEMENTS (heads_kv));
  for (guint i = 0; i < G_N_ELEMENTS (heads_kv); i++)
    mm_gguf_put_u32 (kv, heads_kv[i]);
  add_tensor (w, "token_embd.weight", 1280, 64, 1);
  add_tensor (w, "output_norm.weight", 1280, 0, 0);
  save (dir, "per-layer-heads.gguf", w);
}

static void
write_alignment (const char *dir,
                 guint32     alignment)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  g_autofree char *name = g_strdup_printf ("alignment-%u.gguf", alignment);

  mm_gguf_writer_set_alignment (w, alignment);
  add_model (w, "qwen2", "Aligned");
  /* Odd sizes, so that each tensor needs padding before the next. */
  add_tensor (w, "a.weight", 3, 0, 0);
  add_tensor (w, "b.weight", 5, 7, 0);
  add_tensor (w, "c.weight", 256, 1, 12);
  add_tensor (w, "d.weight", 1, 0, 1);
  save (dir, name, w);
}

static void
write_split (const char *dir)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (w);

  add_model (w, "llama", "Split Part");
  mm_gguf_writer_key (w, "split.no", MM_GGUF_TYPE_UINT16);
  put_u16 (kv, 1);
  mm_gguf_writer_key (w, "split.count", MM_GGUF_TYPE_UINT16);
  put_u16 (kv, 3);
  mm_gguf_writer_key (w, "split.tensors.count", MM_GGUF_TYPE_INT32);
  mm_gguf_put_u32 (kv, 12);
  add_tensors (w);
  save (dir, "split-00002-of-00003.gguf", w);
}

/* Every value type, at its limits. */
static void
write_all_types (const char *dir,
                 guint32     version)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (version);
  GByteArray *kv = mm_gguf_writer_get_kv (w);
  g_autofree char *name = g_strdup_printf ("all-types-v%u.gguf", version);

  add_model (w, "llama", "All Types \xe2\x80\x94 \xf0\x9f\xa6\x99");
  mm_gguf_writer_add_uint (w, "test.u8", MM_GGUF_TYPE_UINT8, 255);
  mm_gguf_writer_key (w, "test.i8", MM_GGUF_TYPE_INT8);
  mm_gguf_put_u8 (kv, 0x80);
  mm_gguf_writer_add_uint (w, "test.u16", MM_GGUF_TYPE_UINT16, 65535);
  mm_gguf_writer_key (w, "test.i16", MM_GGUF_TYPE_INT16);
  put_u16 (kv, 0x8000);
  mm_gguf_writer_add_uint (w, "test.u32", MM_GGUF_TYPE_UINT32, G_MAXUINT32);
  mm_gguf_writer_key (w, "test.i32", MM_GGUF_TYPE_INT32);
  mm_gguf_put_u32 (kv, 0x80000000u);
  mm_gguf_writer_add_uint (w, "test.u64_small", MM_GGUF_TYPE_UINT64, 42);
  mm_gguf_writer_add_uint (w, "test.u64_2p53", MM_GGUF_TYPE_UINT64, G_GUINT64_CONSTANT (1) << 53);
  mm_gguf_writer_key (w, "test.i64", MM_GGUF_TYPE_INT64);
  mm_gguf_put_u64 (kv, G_GUINT64_CONSTANT (0xfffffffffffffffe));
  mm_gguf_writer_key (w, "test.f32", MM_GGUF_TYPE_FLOAT32);
  put_f32 (kv, 0.1f);
  mm_gguf_writer_key (w, "test.f32_nan", MM_GGUF_TYPE_FLOAT32);
  put_f32 (kv, NAN);
  mm_gguf_writer_key (w, "test.f64", MM_GGUF_TYPE_FLOAT64);
  put_f64 (kv, -1.0e300);
  mm_gguf_writer_key (w, "test.f64_inf", MM_GGUF_TYPE_FLOAT64);
  put_f64 (kv, INFINITY);
  mm_gguf_writer_key (w, "test.true", MM_GGUF_TYPE_BOOL);
  mm_gguf_put_u8 (kv, 1);
  mm_gguf_writer_key (w, "test.false", MM_GGUF_TYPE_BOOL);
  mm_gguf_put_u8 (kv, 0);
  mm_gguf_writer_add_string (w, "test.empty_string", "");
  mm_gguf_writer_add_string (w, "test.unicode", "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\xa6\x99 \"q\"\n");
  mm_gguf_writer_key (w, "test.i16_array", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_INT16, 3);
  put_u16 (kv, 0xffff);
  put_u16 (kv, 0);
  put_u16 (kv, 0x7fff);
  mm_gguf_writer_key (w, "test.u64_array", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_UINT64, 2);
  mm_gguf_put_u64 (kv, 0);
  mm_gguf_put_u64 (kv, 1234567890123ull);
  mm_gguf_writer_key (w, "test.f64_array", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_FLOAT64, 2);
  put_f64 (kv, 0.5);
  put_f64 (kv, -2.25);
  add_tensors (w);
  save (dir, name, w);
}

/* A small header whose every prefix is a truncated file. */
static void
write_truncate_base (const char *dir)
{
  g_autoptr(MmGgufWriter) w = mm_gguf_writer_new (3);
  GByteArray *kv = mm_gguf_writer_get_kv (w);

  mm_gguf_writer_add_string (w, "general.architecture", "llama");
  mm_gguf_writer_add_uint (w, "llama.block_count", MM_GGUF_TYPE_UINT32, 1);
  mm_gguf_writer_key (w, "tokenizer.ggml.tokens", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (w, MM_GGUF_TYPE_STRING, 2);
  mm_gguf_put_string (kv, "<s>");
  mm_gguf_put_string (kv, "</s>");
  add_tensor (w, "token_embd.weight", 8, 2, 0);
  add_tensor (w, "output.weight", 8, 0, 0);
  save (dir, "truncate-base.gguf", w);
}

int
main (int    argc,
      char **argv)
{
  if (argc != 2)
    {
      g_printerr ("usage: %s DIR\n", argv[0]);
      return 2;
    }
  g_mkdir_with_parents (argv[1], 0755);
  write_big_vocab (argv[1]);
  write_nested_arrays (argv[1]);
  write_per_layer_heads (argv[1]);
  write_alignment (argv[1], 64);
  write_alignment (argv[1], 256);
  write_split (argv[1]);
  write_all_types (argv[1], 3);
  write_all_types (argv[1], 2);
  write_truncate_base (argv[1]);
  return 0;
}
