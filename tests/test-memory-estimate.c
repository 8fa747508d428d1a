/* test-memory-estimate.c: will a model run here, and why
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mm-core.h"
#include "mm-gguf-writer.h"
#include "mm-memory-estimate-private.h"

/* g_format_size () puts a no-break space between number and unit. */
#define NBSP "\302\240"
#define MIB ((guint64) 1024 * 1024)
#define GIB (1024 * MIB)

/* Meta-Llama-3-8B's config.json. */
static const MmModelShape llama3_8b = {
  .parameters = G_GUINT64_CONSTANT (8030261248),
  .context_length = 8192,
  .layers = 32,
  .embedding_length = 4096,
  .head_count = 32,
  .head_count_kv = 8,
};

static void
test_kv_cache_llama3 (void)
{
  /* 2 × 32 layers × 4096 tokens × (4096 × 8 / 32 = 1024) × 2 bytes = 512 MiB,
   * llama.cpp's "KV self size = 512.00 MiB" for this model. */
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&llama3_8b, 4096, 2), ==, 512 * MIB);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&llama3_8b, 8192, 2), ==, 1024 * MIB);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&llama3_8b, 4096, 1), ==, 256 * MIB);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&llama3_8b, 0, 2), ==, 0);
}

static void
test_kv_cache_shapes (void)
{
  /* Llama-2-7B has no grouped query attention: head_count_kv is absent and
   * means head_count, so the cache is four times Llama-3's: 2 GiB. */
  MmModelShape llama2 = { .layers = 32, .embedding_length = 4096, .head_count = 32 };
  /* Gemma-7B: 16 heads of 256 on a 3072-wide model (key_length ≠ 3072/16). */
  MmModelShape gemma = { .layers = 28, .embedding_length = 3072, .head_count = 16,
                         .head_count_kv = 16, .key_length = 256, .value_length = 256 };
  MmModelShape no_layers = llama3_8b;
  MmModelShape no_heads = llama3_8b;
  MmModelShape no_width = llama3_8b;
  MmModelShape huge = { .layers = G_MAXUINT64 / 2, .embedding_length = 4096,
                        .head_count = 32 };

  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&llama2, 4096, 2), ==, 2 * GIB);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&gemma, 4096, 2), ==,
                    (guint64) 28 * 4096 * (256 + 256) * 16 * 2);

  no_layers.layers = 0;
  no_heads.head_count = 0;
  no_width.embedding_length = 0;
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&no_layers, 4096, 2), ==, 0);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&no_heads, 4096, 2), ==, 0);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&no_width, 4096, 2), ==, 0);
  /* Saturates instead of wrapping around. */
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&huge, 4096, 2), ==, G_MAXUINT64);
}

static void
test_context (void)
{
  MmModelShape short_context = { .context_length = 2048 };

  g_assert_cmpuint (_mm_memory_estimate_choose_context (NULL, 0), ==, 4096);
  g_assert_cmpuint (_mm_memory_estimate_choose_context (&llama3_8b, 0), ==, 4096);
  g_assert_cmpuint (_mm_memory_estimate_choose_context (&short_context, 0), ==, 2048);
  g_assert_cmpuint (_mm_memory_estimate_choose_context (&short_context, 8192), ==, 8192);
}

static void
test_runtime (void)
{
  g_assert_cmpuint (_mm_memory_estimate_runtime (0), ==, 320 * MIB);
  g_assert_cmpuint (_mm_memory_estimate_runtime (G_GUINT64_CONSTANT (4400000000)), ==,
                    320 * MIB + 88000000);
  g_assert_cmpuint (_mm_memory_estimate_runtime (150), ==, 320 * MIB + 3);
  g_assert_cmpuint (_mm_memory_estimate_runtime (G_MAXUINT64), ==,
                    G_MAXUINT64 / 100 * 2 + 320 * MIB);
}

static void
test_classify (void)
{
  guint64 total = 10 * GIB;
  guint64 fits = total / 10 * 7;
  guint64 tight = total / 10 * 9;

  g_assert_cmpint (mm_memory_estimate_classify (1, total), ==, MM_FIT_FITS);
  g_assert_cmpint (mm_memory_estimate_classify (fits, total), ==, MM_FIT_FITS);
  g_assert_cmpint (mm_memory_estimate_classify (fits + 1, total), ==, MM_FIT_TIGHT);
  g_assert_cmpint (mm_memory_estimate_classify (tight, total), ==, MM_FIT_TIGHT);
  g_assert_cmpint (mm_memory_estimate_classify (tight + 1, total), ==, MM_FIT_TOO_LARGE);
  g_assert_cmpint (mm_memory_estimate_classify (0, total), ==, MM_FIT_UNKNOWN);
  g_assert_cmpint (mm_memory_estimate_classify (fits, 0), ==, MM_FIT_UNKNOWN);
  /* floor (17 × 0.7) = 11, floor (17 × 0.9) = 15 */
  g_assert_cmpint (mm_memory_estimate_classify (11, 17), ==, MM_FIT_FITS);
  g_assert_cmpint (mm_memory_estimate_classify (12, 17), ==, MM_FIT_TIGHT);
  g_assert_cmpint (mm_memory_estimate_classify (15, 17), ==, MM_FIT_TIGHT);
  g_assert_cmpint (mm_memory_estimate_classify (16, 17), ==, MM_FIT_TOO_LARGE);
  g_assert_cmpint (mm_memory_estimate_classify (G_MAXUINT64, G_MAXUINT64), ==,
                   MM_FIT_TOO_LARGE);
}

static void
test_estimate_exact (void)
{
  /* Llama-3-8B Q4_K_M: 4.92 GB on a 16 GiB machine. */
  guint64 weights = G_GUINT64_CONSTANT (4920734016);
  guint64 memory = 16 * GIB;
  g_autoptr(MmMemoryEstimate) estimate = mm_memory_estimate_new (weights, &llama3_8b, 0,
                                                                  memory);
  g_autoptr(MmMemoryEstimate) copy = NULL;
  g_autofree char *text = NULL;
  guint64 runtime = 320 * MIB + weights / 100 * 2 + weights % 100 * 2 / 100;

  g_assert_cmpuint (estimate->weights, ==, weights);
  g_assert_cmpuint (estimate->context, ==, 4096);
  g_assert_cmpuint (estimate->kv_cache, ==, 512 * MIB);
  g_assert_cmpint (estimate->kv_source, ==, MM_KV_CACHE_EXACT);
  g_assert_cmpuint (estimate->runtime, ==, runtime);
  g_assert_cmpuint (estimate->total, ==, weights + 512 * MIB + runtime);
  g_assert_cmpuint (estimate->total_memory, ==, memory);
  g_assert_cmpint (estimate->fit, ==, MM_FIT_FITS);

  text = _mm_memory_estimate_dup_explanation (estimate);
  g_assert_cmpstr (text, ==,
                   "Weights 4.9" NBSP "GB + KV cache 536.9" NBSP "MB (4096 tokens) + "
                   "runtime 434.0" NBSP "MB = 5.9" NBSP "GB of 17.2" NBSP "GB");

  copy = mm_memory_estimate_copy (estimate);
  g_assert_cmpmem (copy, sizeof *copy, estimate, sizeof *estimate);

  /* The same model on 8 GiB still fits, on 7 GiB it is tight, on 6 GiB too
   * large. */
  g_clear_pointer (&estimate, mm_memory_estimate_free);
  estimate = mm_memory_estimate_new (weights, &llama3_8b, 0, 8 * GIB);
  g_assert_cmpint (estimate->fit, ==, MM_FIT_FITS);
  g_clear_pointer (&estimate, mm_memory_estimate_free);
  estimate = mm_memory_estimate_new (weights, &llama3_8b, 0, 7 * GIB);
  g_assert_cmpint (estimate->fit, ==, MM_FIT_TIGHT);
  g_clear_pointer (&estimate, mm_memory_estimate_free);
  estimate = mm_memory_estimate_new (weights, &llama3_8b, 0, 6 * GIB);
  g_assert_cmpint (estimate->fit, ==, MM_FIT_TOO_LARGE);

  /* A longer context counts a bigger cache. */
  g_clear_pointer (&estimate, mm_memory_estimate_free);
  estimate = mm_memory_estimate_new (weights, &llama3_8b, 8192, 8 * GIB);
  g_assert_cmpuint (estimate->kv_cache, ==, 1024 * MIB);
}

static void
test_estimate_approximate (void)
{
  MmModelShape hub = { .parameters = G_GUINT64_CONSTANT (8030261248), .context_length = 8192 };
  g_autoptr(MmMemoryEstimate) estimate = mm_memory_estimate_new (4 * GIB, &hub, 0, 16 * GIB);
  g_autofree char *text = _mm_memory_estimate_dup_explanation (estimate);

  /* 8030261 × 16 KiB / 10⁶ = 131,567 bytes a token, close to the 131,072 of
   * the exact shape. */
  g_assert_cmpint (estimate->kv_source, ==, MM_KV_CACHE_APPROXIMATE);
  g_assert_cmpuint (estimate->kv_cache, ==, (guint64) 131567 * 4096);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache_approximate (0, 4096), ==, 0);
  g_assert_nonnull (strstr (text, "KV cache about 538.9" NBSP "MB (4096 tokens, guessed"));
}

static void
test_estimate_weights_only (void)
{
  g_autoptr(MmMemoryEstimate) estimate = mm_memory_estimate_new (4 * GIB, NULL, 0, 0);
  g_autoptr(MmMemoryEstimate) empty = NULL;
  g_autofree char *text = _mm_memory_estimate_dup_explanation (estimate);
  MmModelShape nothing = { 0, };

  g_assert_cmpint (estimate->kv_source, ==, MM_KV_CACHE_UNKNOWN);
  g_assert_cmpuint (estimate->kv_cache, ==, 0);
  g_assert_cmpuint (estimate->total, ==, 4 * GIB + _mm_memory_estimate_runtime (4 * GIB));
  g_assert_cmpint (estimate->fit, ==, MM_FIT_UNKNOWN);
  g_assert_cmpstr (text, ==, "Weights 4.3" NBSP "GB + runtime 421.4" NBSP "MB = 4.7" NBSP "GB; "
                             "this computer’s memory is unknown (without the KV cache: the "
                             "model’s shape is unknown)");

  empty = mm_memory_estimate_new (0, &nothing, 0, 16 * GIB);
  g_assert_cmpint (empty->fit, ==, MM_FIT_UNKNOWN);
}

/* The tooltip's words: what a person knows, no KV cache and no runtime,
 * for each fit of an estimate made without the machine's GPUs. */
static void
test_estimate_summary (void)
{
  guint64 weights = G_GUINT64_CONSTANT (4920734016);
  struct {
    guint64 memory;
    const char *first_line;
  } cases[] = {
    { 16 * GIB, "Fits in your 17.2" NBSP "GB of memory with room for a 4096-token context\n" },
    { 7 * GIB, "Just fits in your 7.5" NBSP "GB of memory with a 4096-token context\n" },
    { 6 * GIB, "Needs about 5.9" NBSP "GB of memory with a 4096-token context; your computer "
               "has 6.4" NBSP "GB\n" },
    { 0, "Needs about 5.9" NBSP "GB of memory with a 4096-token context\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MmMemoryEstimate) estimate = mm_memory_estimate_new (weights, &llama3_8b, 0,
                                                                     cases[i].memory);
      g_autofree char *text = mm_memory_estimate_dup_summary (estimate);

      g_test_message ("%s", text);
      g_assert_true (g_str_has_prefix (text, cases[i].first_line));
      g_assert_true (g_str_has_suffix (text, "About 5.9" NBSP "GB in all: 4.9" NBSP "GB for the "
                                             "model, 536.9" NBSP "MB to remember the "
                                             "conversation and 434.0" NBSP "MB for the program "
                                             "that runs it"));
      g_assert_null (strstr (text, "KV"));
      g_assert_null (strstr (text, "runtime"));
    }

  /* Without the shape, the conversation's share is not known: it says so. */
  {
    g_autoptr(MmMemoryEstimate) estimate = mm_memory_estimate_new (4 * GIB, NULL, 0, 16 * GIB);
    g_autofree char *text = mm_memory_estimate_dup_summary (estimate);

    g_assert_nonnull (strstr (text, "plus what the conversation needs (not known for this "
                                    "model)"));
  }
}

static void
test_fit_like_quant (void)
{
  guint64 needed = 1;

  /* The contract of mm_quant_estimate_fit (). */
  g_assert_cmpint (_mm_memory_estimate_fit (0, &llama3_8b, 16 * GIB, &needed), ==,
                   MM_FIT_UNKNOWN);
  g_assert_cmpuint (needed, ==, 0);
  g_assert_cmpint (_mm_memory_estimate_fit (GIB, &llama3_8b, 0, &needed), ==, MM_FIT_UNKNOWN);
  g_assert_cmpuint (needed, ==, GIB + 512 * MIB + _mm_memory_estimate_runtime (GIB));
  g_assert_cmpint (_mm_memory_estimate_fit (GIB, NULL, 16 * GIB, NULL), ==, MM_FIT_FITS);

  /* A size that fits on weights alone but not with its KV cache. */
  g_assert_cmpint (_mm_memory_estimate_fit (4 * GIB + GIB / 2, NULL, 6 * GIB, NULL), ==,
                   MM_FIT_TIGHT);
  g_assert_cmpint (_mm_memory_estimate_fit (4 * GIB + GIB / 2, &llama3_8b, 6 * GIB, NULL), ==,
                   MM_FIT_TOO_LARGE);
}

static void
test_shape_from_gguf (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const guint64 dims[] = { 64, 10 };
  MmModelShape shape;

  mm_gguf_writer_add_string (writer, "general.architecture", "gemma");
  mm_gguf_writer_add_uint (writer, "gemma.context_length", MM_GGUF_TYPE_UINT32, 8192);
  mm_gguf_writer_add_uint (writer, "gemma.block_count", MM_GGUF_TYPE_UINT32, 28);
  mm_gguf_writer_add_uint (writer, "gemma.embedding_length", MM_GGUF_TYPE_UINT32, 3072);
  mm_gguf_writer_add_uint (writer, "gemma.attention.head_count", MM_GGUF_TYPE_UINT32, 16);
  mm_gguf_writer_add_uint (writer, "gemma.attention.head_count_kv", MM_GGUF_TYPE_UINT32, 16);
  mm_gguf_writer_add_uint (writer, "gemma.attention.key_length", MM_GGUF_TYPE_UINT32, 256);
  mm_gguf_writer_add_uint (writer, "gemma.attention.value_length", MM_GGUF_TYPE_UINT32, 256);
  mm_gguf_writer_add_tensor (writer, "token_embd.weight", 2, dims, 1, 64 * 10 * 2);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  info = mm_gguf_reader_parse_bytes (bytes, &error);
  g_assert_no_error (error);

  mm_model_shape_init_from_gguf (&shape, info);
  g_assert_cmpuint (shape.parameters, ==, 640);
  g_assert_cmpuint (shape.context_length, ==, 8192);
  g_assert_cmpuint (shape.layers, ==, 28);
  g_assert_cmpuint (shape.embedding_length, ==, 3072);
  g_assert_cmpuint (shape.head_count, ==, 16);
  g_assert_cmpuint (shape.head_count_kv, ==, 16);
  g_assert_cmpuint (shape.key_length, ==, 256);
  g_assert_cmpuint (shape.value_length, ==, 256);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&shape, 4096, 2), ==,
                    (guint64) 28 * 4096 * 512 * 16 * 2);
}

/* OpenELM-like: every layer has its own number of heads, as arrays. The KV
 * cache is the sum over the layers; before, the arrays were no head count
 * at all and the cache fell back on a guess from the parameter count. */
static MmGgufInfo *
per_layer_info (const guint32 *heads,
                const guint32 *kv_heads,
                guint          n_heads,
                guint          n_layers)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GByteArray *kv = mm_gguf_writer_get_kv (writer);
  const guint64 dims[] = { 64, 10 };
  MmGgufInfo *info;

  mm_gguf_writer_add_string (writer, "general.architecture", "openelm");
  mm_gguf_writer_add_uint (writer, "openelm.context_length", MM_GGUF_TYPE_UINT32, 2048);
  mm_gguf_writer_add_uint (writer, "openelm.block_count", MM_GGUF_TYPE_UINT32, n_layers);
  mm_gguf_writer_add_uint (writer, "openelm.embedding_length", MM_GGUF_TYPE_UINT32, 1280);
  mm_gguf_writer_key (writer, "openelm.attention.head_count", MM_GGUF_TYPE_ARRAY);
  mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT32, n_heads);
  for (guint i = 0; i < n_heads; i++)
    mm_gguf_put_u32 (kv, heads[i]);
  if (kv_heads != NULL)
    {
      mm_gguf_writer_key (writer, "openelm.attention.head_count_kv", MM_GGUF_TYPE_ARRAY);
      mm_gguf_writer_array (writer, MM_GGUF_TYPE_UINT32, n_heads);
      for (guint i = 0; i < n_heads; i++)
        mm_gguf_put_u32 (kv, kv_heads[i]);
    }
  mm_gguf_writer_add_uint (writer, "openelm.attention.key_length", MM_GGUF_TYPE_UINT32, 64);
  mm_gguf_writer_add_uint (writer, "openelm.attention.value_length", MM_GGUF_TYPE_UINT32, 64);
  mm_gguf_writer_add_tensor (writer, "token_embd.weight", 2, dims, 1, 64 * 10 * 2);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  info = mm_gguf_reader_parse_bytes (bytes, &error);
  g_assert_no_error (error);

  return info;
}

static void
test_shape_per_layer_heads (void)
{
  /* OpenELM-270M's 16 layers: 12 to 20 heads, 3 to 5 KV heads, 64 wide. */
  const guint32 heads[] = { 12, 12, 12, 12, 12, 16, 16, 16, 16, 16, 16, 16, 20, 20, 20, 20 };
  const guint32 kv_heads[] = { 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5 };
  guint64 kv_sum = 0;
  g_autoptr(MmGgufInfo) info = per_layer_info (heads, kv_heads, G_N_ELEMENTS (heads),
                                               G_N_ELEMENTS (heads));
  g_autoptr(MmGgufInfo) no_kv = per_layer_info (heads, NULL, G_N_ELEMENTS (heads),
                                                G_N_ELEMENTS (heads));
  g_autoptr(MmGgufInfo) wrong_length = per_layer_info (heads, kv_heads, G_N_ELEMENTS (heads),
                                                       12);
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  MmModelShape shape;

  for (guint i = 0; i < G_N_ELEMENTS (kv_heads); i++)
    kv_sum += kv_heads[i];
  g_assert_cmpuint (kv_sum, ==, 63);

  mm_model_shape_init_from_gguf (&shape, info);
  g_assert_cmpuint (shape.layers, ==, 16);
  g_assert_cmpuint (shape.head_count, ==, 12);
  g_assert_cmpuint (shape.kv_heads_total, ==, 63);
  /* 2048 tokens × (64 + 64) × 63 KV heads in all × 2 bytes. */
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&shape, 2048, 2), ==,
                    (guint64) 2048 * 128 * 63 * 2);

  /* The model's own 2048 tokens, shorter than the default context. */
  estimate = mm_memory_estimate_new (100 * 1024 * 1024, &shape, 0, G_GUINT64_CONSTANT (1) << 34);
  g_assert_cmpint (estimate->kv_source, ==, MM_KV_CACHE_EXACT);
  g_assert_cmpuint (estimate->context, ==, 2048);
  g_assert_cmpuint (estimate->kv_cache, ==, (guint64) 2048 * 128 * 63 * 2);

  /* Without head_count_kv, every head of every layer has its own KV. */
  mm_model_shape_init_from_gguf (&shape, no_kv);
  g_assert_cmpuint (shape.kv_heads_total, ==, 12 * 5 + 16 * 7 + 20 * 4);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&shape, 2048, 2), ==,
                    (guint64) 2048 * 128 * (12 * 5 + 16 * 7 + 20 * 4) * 2);

  /* llama.cpp refuses an array that is not one value per layer: unknown. */
  mm_model_shape_init_from_gguf (&shape, wrong_length);
  g_assert_cmpuint (shape.kv_heads_total, ==, 0);
  g_assert_cmpuint (_mm_memory_estimate_kv_cache (&shape, 2048, 2), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/memory-estimate/kv-cache/llama-3-8b", test_kv_cache_llama3);
  g_test_add_func ("/mm/memory-estimate/kv-cache/shapes", test_kv_cache_shapes);
  g_test_add_func ("/mm/memory-estimate/context", test_context);
  g_test_add_func ("/mm/memory-estimate/runtime", test_runtime);
  g_test_add_func ("/mm/memory-estimate/classify", test_classify);
  g_test_add_func ("/mm/memory-estimate/estimate/exact", test_estimate_exact);
  g_test_add_func ("/mm/memory-estimate/estimate/approximate", test_estimate_approximate);
  g_test_add_func ("/mm/memory-estimate/estimate/weights-only", test_estimate_weights_only);
  g_test_add_func ("/mm/memory-estimate/estimate/summary", test_estimate_summary);
  g_test_add_func ("/mm/memory-estimate/fit-like-quant", test_fit_like_quant);
  g_test_add_func ("/mm/memory-estimate/shape-from-gguf", test_shape_from_gguf);
  g_test_add_func ("/mm/memory-estimate/shape-from-gguf/per-layer-heads",
                   test_shape_per_layer_heads);

  return g_test_run ();
}
