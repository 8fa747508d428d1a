/* gen-gguf-seeds.c: writes the seed corpus of fuzz-gguf
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: gen-gguf-seeds DIR. Run by `build-aux/fuzz --seeds`; the output is
 * committed in tests/fuzz/corpus/gguf/. Every seed is a valid header (some
 * with a little tensor data) below 64 KiB, so the fuzzer starts from inputs
 * that reach deep into the parser.
 */
#include "config.h"

#include <stdio.h>

#include "mm-gguf-writer.h"

static void
save (const char   *dir,
      const char   *name,
      MmGgufWriter *writer,
      gboolean      with_data)
{
  g_autoptr(GBytes) bytes = mm_gguf_writer_finish (writer, with_data, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (bytes), <, 64 * 1024);
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                            (gssize) g_bytes_get_size (bytes), &error))
    g_error ("%s", error->message);
  mm_gguf_writer_free (writer);
}

static void
put_f32 (GByteArray *buffer,
         float       value)
{
  union { float f; guint32 u; } bits = { .f = value };

  mm_gguf_put_u32 (buffer, bits.u);
}

int
main (int    argc,
      char **argv)
{
  const guint64 dims2[] = { 64, 32 };
  const guint64 dims4[] = { 2, 3, 4, 5 };
  MmGgufWriter *writer;
  GByteArray *kv;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s DIR\n", argv[0]);
      return 2;
    }

  /* The smallest header. */
  writer = mm_gguf_writer_new (3);
  save (argv[1], "empty-v3.gguf", writer, FALSE);

  /* A llama-like model, version 2, with tensors and their data. */
  writer = mm_gguf_writer_new (2);
  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_string (writer, "general.name", "Seed");
  mm_gguf_writer_add_uint (writer, "llama.context_length", MM_GGUF_TYPE_UINT32, 4096);
  mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT32, 1);
  mm_gguf_writer_add_uint (writer, "llama.embedding_length", MM_GGUF_TYPE_UINT64, 64);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 4);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count_kv", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32, 15);
  mm_gguf_writer_add_tensor (writer, "token_embd.weight", 2, dims2, 1, 4096);
  mm_gguf_writer_add_tensor (writer, "blk.0.ffn.weight", 4, dims4, 0, 480);
  save (argv[1], "llama-v2.gguf", writer, TRUE);

  /* One value of every type, version 3. */
  writer = mm_gguf_writer_new (3);
  kv = mm_gguf_writer_get_kv (writer);
  mm_gguf_writer_add_uint (writer, "u8", MM_GGUF_TYPE_UINT8, 1);
  mm_gguf_writer_add_uint (writer, "i8", MM_GGUF_TYPE_INT8, 0xff);
  mm_gguf_writer_add_uint (writer, "u16", MM_GGUF_TYPE_UINT16, 2);
  mm_gguf_writer_add_uint (writer, "i16", MM_GGUF_TYPE_INT16, 0xfffe);
  mm_gguf_writer_add_uint (writer, "u32", MM_GGUF_TYPE_UINT32, 3);
  mm_gguf_writer_add_uint (writer, "i32", MM_GGUF_TYPE_INT32, 0xfffffffd);
  mm_gguf_writer_key (writer, "f32", MM_GGUF_TYPE_FLOAT32);
  put_f32 (kv, 0.5f);
  mm_gguf_writer_add_uint (writer, "bool", MM_GGUF_TYPE_BOOL, 1);
  mm_gguf_writer_add_string (writer, "string", "value");
  mm_gguf_writer_add_uint (writer, "u64", MM_GGUF_TYPE_UINT64, 4);
  mm_gguf_writer_add_uint (writer, "i64", MM_GGUF_TYPE_INT64, G_MAXUINT64);
  mm_gguf_writer_add_uint (writer, "f64", MM_GGUF_TYPE_FLOAT64, 0);
  save (argv[1], "all-types-v3.gguf", writer, FALSE);

  /* Nested arrays, four levels deep. */
  writer = mm_gguf_writer_new (3);
  kv = mm_gguf_writer_get_kv (writer);
  mm_gguf_writer_key (writer, "nested", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_ARRAY, 2);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_ARRAY, 1);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_INT32, 2);
  mm_gguf_put_u32 (kv, 1);
  mm_gguf_put_u32 (kv, 2);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_STRING, 1);
  mm_gguf_put_string (kv, "x");
  save (argv[1], "nested-arrays.gguf", writer, FALSE);

  /* A vocabulary with scores, a chat template and a split part. */
  writer = mm_gguf_writer_new (3);
  kv = mm_gguf_writer_get_kv (writer);
  mm_gguf_writer_add_string (writer, "general.architecture", "qwen2");
  mm_gguf_writer_add_uint (writer, "split.no", MM_GGUF_TYPE_UINT16, 0);
  mm_gguf_writer_add_uint (writer, "split.count", MM_GGUF_TYPE_UINT16, 2);
  mm_gguf_writer_add_string (writer, "tokenizer.chat_template",
                             "{% for m in messages %}{{ m.content }}{% endfor %}");
  mm_gguf_writer_add_strings (writer, "tokenizer.ggml.tokens", "t", 300);
  mm_gguf_writer_key (writer, "tokenizer.ggml.scores", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_FLOAT32, 300);
  for (guint i = 0; i < 300; i++)
    put_f32 (kv, (float) i);
  mm_gguf_writer_add_tensor (writer, "output.weight", 2, dims2, 12, 1152);
  save (argv[1], "vocab-split.gguf", writer, FALSE);

  /* A custom alignment. */
  writer = mm_gguf_writer_new (3);
  mm_gguf_writer_set_alignment (writer, 64);
  mm_gguf_writer_add_tensor (writer, "a", 1, dims2, 0, 256);
  mm_gguf_writer_add_tensor (writer, "b", 2, dims2, 0, 8192);
  save (argv[1], "alignment-64.gguf", writer, TRUE);

  return 0;
}
