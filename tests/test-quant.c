/* test-quant.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Quantization labels from real Hub file names, split-part names, the
 * grouping of a repository's files into choices, and the memory-fit rule.
 */
#include "config.h"

#include "mm-quant-private.h"
#include "mm-quant.h"

#define GIB ((guint64) 1024 * 1024 * 1024)

/* Helpers. */

static MmRepoFile *
file_new (const char *path,
          guint64     size)
{
  return mm_repo_file_new (path, size, NULL, NULL);
}

/* Builds a GPtrArray of new MmRepoFile from a NULL-terminated list of
 * (path, size) pairs. */
typedef struct {
  const char *path;
  guint64 size;
} FileSpec;

static GPtrArray *
files_new (const FileSpec *specs)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; specs[i].path != NULL; i++)
    g_ptr_array_add (files, file_new (specs[i].path, specs[i].size));

  return files;
}

/* Drops the array's references one object at a time, asserting that each
 * object is finalized: the array must hold the last reference. */
static void
assert_finalize_array (GPtrArray *array)
{
  g_ptr_array_set_free_func (array, NULL);
  for (guint i = 0; i < array->len; i++)
    g_assert_finalize_object (g_ptr_array_index (array, i));
  g_ptr_array_unref (array);
}

static MmQuant *
quant_at (GPtrArray *quants,
          guint      i)
{
  g_assert_cmpuint (i, <, quants->len);
  return g_ptr_array_index (quants, i);
}

static const char *
file_path_at (MmQuant *quant,
              guint    i)
{
  GPtrArray *files = mm_quant_get_files (quant);

  g_assert_cmpuint (i, <, files->len);
  return mm_repo_file_get_path (g_ptr_array_index (files, i));
}

static char *
test_path_for (const char *prefix,
               guint       index,
               const char *name)
{
  g_autofree char *clean = g_strdup (name);

  for (char *p = clean; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      *p = '_';

  return g_strdup_printf ("%s/%02u-%s", prefix, index, clean);
}

/* mm_gguf_name_parse_quant */

typedef struct {
  const char *name;
  const char *expected;
} ParseCase;

static const ParseCase parse_cases[] = {
  /* TheBloke: "name.Q4_K_M.gguf" */
  { "llama-2-7b-chat.Q4_K_M.gguf", "Q4_K_M" },
  { "llama-2-7b-chat.Q2_K.gguf", "Q2_K" },
  { "llama-2-7b.Q3_K_S.gguf", "Q3_K_S" },
  { "mistral-7b-instruct-v0.2.Q5_K_S.gguf", "Q5_K_S" },
  { "tinyllama-1.1b-chat-v1.0.Q5_K_M.gguf", "Q5_K_M" },
  { "mixtral-8x7b-instruct-v0.1.Q3_K_L.gguf", "Q3_K_L" },
  { "llama-2-13b-chat.Q8_0.gguf", "Q8_0" },
  { "codellama-7b-instruct.Q4_0.gguf", "Q4_0" },
  /* TheBloke's old split style is not a GGUF file name. */
  { "llama-2-70b.Q6_K.gguf-split-a", NULL },
  /* bartowski: "Name-Q4_K_M.gguf", "_L"/"_XL" mixes, ARM repacks */
  { "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "Q4_K_M" },
  { "Meta-Llama-3.1-8B-Instruct-Q6_K_L.gguf", "Q6_K_L" },
  { "Meta-Llama-3.1-8B-Instruct-Q5_K_L.gguf", "Q5_K_L" },
  { "Meta-Llama-3.1-8B-Instruct-Q3_K_XL.gguf", "Q3_K_XL" },
  { "Meta-Llama-3.1-8B-Instruct-IQ4_XS.gguf", "IQ4_XS" },
  { "Meta-Llama-3.1-8B-Instruct-Q4_0_4_4.gguf", "Q4_0_4_4" },
  { "Meta-Llama-3.1-8B-Instruct-f32.gguf", "F32" },
  { "Meta-Llama-3.1-70B-Instruct-IQ1_M.gguf", "IQ1_M" },
  { "Meta-Llama-3.1-70B-Instruct-IQ2_XXS.gguf", "IQ2_XXS" },
  { "Meta-Llama-3.1-70B-Instruct-IQ2_XS.gguf", "IQ2_XS" },
  { "Meta-Llama-3.1-70B-Instruct-IQ2_S.gguf", "IQ2_S" },
  { "Meta-Llama-3.1-70B-Instruct-IQ3_XS.gguf", "IQ3_XS" },
  { "Phi-3.5-mini-instruct-Q4_0_8_8.gguf", "Q4_0_8_8" },
  { "Phi-3.5-mini-instruct-Q4_0_4_8.gguf", "Q4_0_4_8" },
  { "gemma-2-9b-it-Q6_K_L.gguf", "Q6_K_L" },
  { "gemma-2-9b-it-IQ2_M.gguf", "IQ2_M" },
  { "Qwen2.5-7B-Instruct-IQ3_XXS.gguf", "IQ3_XXS" },
  { "Qwen2.5-7B-Instruct-IQ3_S.gguf", "IQ3_S" },
  { "DeepSeek-R1-Distill-Qwen-1.5B-Q2_K_L.gguf", "Q2_K_L" },
  { "Meta-Llama-3-8B-Q2_K_S.gguf", "Q2_K_S" },
  { "Mistral-Large-Instruct-2407-Q4_K_M/Mistral-Large-Instruct-2407-Q4_K_M-00001-of-00002.gguf",
    "Q4_K_M" },
  { "Q4_K_M/Mistral-Large-Instruct-2407-Q4_K_M-00001-of-00002.gguf", "Q4_K_M" },
  /* unsloth: "UD-" is kept, non-standard "_XL" mixes */
  { "DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf", "UD-IQ1_S" },
  { "DeepSeek-R1-UD-IQ1_S/DeepSeek-R1-UD-IQ1_S-00002-of-00003.gguf", "UD-IQ1_S" },
  { "Qwen3-4B-UD-Q4_K_XL.gguf", "UD-Q4_K_XL" },
  { "Qwen3-30B-A3B-UD-Q8_K_XL.gguf", "UD-Q8_K_XL" },
  { "Llama-3.3-70B-Instruct-UD-Q2_K_XL.gguf", "UD-Q2_K_XL" },
  { "UD-Q2_K_XL/DeepSeek-V3-0324-UD-Q2_K_XL-00001-of-00006.gguf", "UD-Q2_K_XL" },
  { "Qwen3-4B-Q6_K_XL.gguf", "Q6_K_XL" },
  { "Qwen3-4B-IQ4_NL.gguf", "IQ4_NL" },
  { "Qwen3-4B-BF16.gguf", "BF16" },
  { "gpt-oss-20b-F16.gguf", "F16" },
  { "mmproj-F16.gguf", "F16" },
  /* lmstudio-community and ggml-org */
  { "Meta-Llama-3-8B-Instruct-Q8_0.gguf", "Q8_0" },
  { "gpt-oss-20b-MXFP4.gguf", "MXFP4" },
  { "gpt-oss-120b-mxfp4-00001-of-00003.gguf", "MXFP4" },
  { "gpt-oss-20b-MXFP4_MOE.gguf", "MXFP4_MOE" },
  { "Qwen3-4B-Q8_0.gguf", "Q8_0" },
  { "mmproj-model-f16.gguf", "F16" },
  /* llama.cpp's convert and quantize defaults */
  { "ggml-model-f16.gguf", "F16" },
  { "ggml-model-bf16.gguf", "BF16" },
  { "ggml-model-q4_0.gguf", "Q4_0" },
  { "ggml-model-Q4_1.gguf", "Q4_1" },
  { "ggml-model-q5_1.gguf", "Q5_1" },
  /* QuantFactory */
  { "Meta-Llama-3-8B-Instruct.Q4_K_S.gguf", "Q4_K_S" },
  { "Qwen2-7B-Instruct.Q2_K.gguf", "Q2_K" },
  /* mradermacher: static and "i1-" imatrix quants, "partXofY" splits */
  { "Meta-Llama-3-8B.IQ4_XS.gguf", "IQ4_XS" },
  { "model.i1-IQ3_M.gguf", "IQ3_M" },
  { "Llama-3.1-8B-Instruct.i1-IQ3_M.gguf", "IQ3_M" },
  { "Llama-3.1-8B-Instruct.i1-Q4_K_M.gguf", "Q4_K_M" },
  { "Qwen2.5-72B-Instruct.Q8_0.gguf.part1of2", NULL },
  /* Qwen's own repositories: lower case, split, "fp16" */
  { "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", "Q4_K_M" },
  { "qwen2.5-7b-instruct-q5_0.gguf", "Q5_0" },
  { "qwen2.5-7b-instruct-fp16-00001-of-00004.gguf", "FP16" },
  /* microsoft: "q4" alone is not a known label */
  { "Phi-3-mini-4k-instruct-q4.gguf", NULL },
  { "phi-3-mini-4k-instruct-q4.gguf", NULL },
  { "Phi-3-mini-4k-instruct-fp16.gguf", "FP16" },
  { "ggml-model-i2_s.gguf", NULL },
  /* ternary and FP4 */
  { "Llama3-8B-1.58-100B-tokens-TQ1_0.gguf", "TQ1_0" },
  { "Llama3-8B-1.58-100B-tokens-TQ2_0.gguf", "TQ2_0" },
  { "Qwen3-8B-NVFP4.gguf", "NVFP4" },
  /* the TinyChat fixture */
  { "TinyChat-1.1B-Q2_K.gguf", "Q2_K" },
  { "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf", "BF16" },
  { "Q4_K_M/model-00001-of-00002.gguf", "Q4_K_M" },
  /* the forms of the brief, case and extension */
  { "name.Q4_K_M.gguf", "Q4_K_M" },
  { "name-Q4_K_M.gguf", "Q4_K_M" },
  { "name-q4_k_m.gguf", "Q4_K_M" },
  { "name_q4_k_m.gguf", "Q4_K_M" },
  { "NAME-Q4_K_M.GGUF", "Q4_K_M" },
  /* model names with digits and look-alikes */
  { "gemma-2-9b-it.gguf", NULL },
  { "Qwen2.5-7B.gguf", NULL },
  { "Qwen3-4B.gguf", NULL },
  { "Mistral-7B-Instruct-v0.3.gguf", NULL },
  { "Buf16er-7B-Q5_K_M.gguf", "Q5_K_M" },
  { "F16x-merge-7B.gguf", NULL },
  { "xbf16-7B.gguf", NULL },
  { "Q4_K_Mx.gguf", NULL },
  /* the last label wins */
  { "Llama-F16-merge.Q8_0.gguf", "Q8_0" },
  { "Q8_0/model-Q4_K_M.gguf", "Q4_K_M" },
  /* not GGUF files */
  { "llama-2-7b.ggmlv3.q4_0.bin", NULL },
  { "model-Q4_K_M.safetensors", NULL },
  { "Q4_K_M", NULL },
  { "", NULL },
};

static void
test_parse_quant (gconstpointer data)
{
  const ParseCase *c = data;
  g_autofree char *quant = mm_gguf_name_parse_quant (c->name);

  g_assert_cmpstr (quant, ==, c->expected);
}

/* _mm_gguf_quant_bits_per_weight */

typedef struct {
  const char *label;
  double bpw;
} BpwCase;

static const BpwCase bpw_cases[] = {
  { "Q2_K", 3.2 },
  { "Q3_K_S", 3.65 },
  { "Q3_K_M", 4.0 },
  { "Q3_K_L", 4.3 },
  { "Q4_0", 4.6 },
  { "Q4_K_S", 4.7 },
  { "Q4_K_M", 4.9 },
  { "Q5_K_S", 5.6 },
  { "Q5_K_M", 5.7 },
  { "Q6_K", 6.6 },
  { "Q8_0", 8.5 },
  { "IQ1_S", 1.5625 },
  { "IQ2_M", 2.7 },
  { "IQ3_XS", 3.3 },
  { "IQ3_M", 3.66 },
  { "IQ4_XS", 4.25 },
  { "IQ4_NL", 4.5 },
  { "F16", 16.0 },
  { "BF16", 16.0 },
  { "FP16", 16.0 },
  { "F32", 32.0 },
  { "MXFP4", 4.25 },
  { "MXFP4_MOE", 4.25 },
  { "NVFP4", 4.5 },
  { "TQ1_0", 1.6875 },
  { "Q4_0_4_4", 4.6 },
  /* "_L" is the medium mix or the plain type plus 0.3, "_XL" plus 0.5 */
  { "Q4_K_L", 5.2 },
  { "Q6_K_L", 6.9 },
  { "Q2_K_L", 3.5 },
  { "Q3_K_XL", 4.5 },
  { "Q8_K_XL", 9.0 },
  /* "UD-" does not change the mix */
  { "UD-IQ1_S", 1.5625 },
  { "UD-Q4_K_XL", 5.4 },
  { "q4_k_m", 4.9 },
  /* unknown */
  { "Q4", 0.0 },
  { "UD-", 0.0 },
  { "_XL", 0.0 },
  { "Q9_K_L", 0.0 },
  { "phi-3-mini-4k-instruct-q4", 0.0 },
  { "", 0.0 },
};

static void
test_bits_per_weight (gconstpointer data)
{
  const BpwCase *c = data;

  g_assert_cmpfloat_with_epsilon (_mm_gguf_quant_bits_per_weight (c->label), c->bpw, 1e-9);
}

static void
test_bits_per_weight_null (void)
{
  g_assert_cmpfloat (_mm_gguf_quant_bits_per_weight (NULL), ==, 0.0);
}

/* Every label the parser knows has a figure, so no choice shows 0 for a
 * file whose label was recognised. */
static void
test_bits_per_weight_all_parsed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      if (parse_cases[i].expected == NULL)
        continue;
      g_test_message ("%s", parse_cases[i].expected);
      g_assert_cmpfloat (_mm_gguf_quant_bits_per_weight (parse_cases[i].expected), >, 1.0);
    }
}

/* mm_gguf_name_parse_split */

typedef struct {
  const char *name;
  gboolean valid;
  const char *prefix;
  guint part;
  guint count;
} SplitCase;

static const SplitCase split_cases[] = {
  { "model-00001-of-00003.gguf", TRUE, "model", 1, 3 },
  { "model-00003-of-00003.gguf", TRUE, "model", 3, 3 },
  { "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf", TRUE, "BF16/TinyChat-1.1B-BF16", 2, 2 },
  { "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", TRUE, "qwen2.5-7b-instruct-q4_k_m", 1, 2 },
  { "DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf", TRUE, "DeepSeek-R1-UD-IQ1_S", 1, 3 },
  { "Model-00001-OF-00002.GGUF", TRUE, "Model", 1, 2 },
  { "single-00001-of-00001.gguf", TRUE, "single", 1, 1 },
  { "x-00001-of-00002-00002-of-00002.gguf", TRUE, "x-00001-of-00002", 2, 2 },
  { "big-99999-of-99999.gguf", TRUE, "big", 99999, 99999 },
  { "-00001-of-00002.gguf", TRUE, "", 1, 2 },
  /* invalid */
  { "model-00000-of-00003.gguf", FALSE, NULL, 0, 0 },
  { "model-00004-of-00003.gguf", FALSE, NULL, 0, 0 },
  { "model-00000-of-00000.gguf", FALSE, NULL, 0, 0 },
  { "model-0001-of-0003.gguf", FALSE, NULL, 0, 0 },
  { "model-00001-of-0003.gguf", FALSE, NULL, 0, 0 },
  { "model-000001-of-00003.gguf", FALSE, NULL, 0, 0 },
  { "model-00001-of-000003.gguf", FALSE, NULL, 0, 0 },
  { "model-0000a-of-00003.gguf", FALSE, NULL, 0, 0 },
  { "model-00001_of_00003.gguf", FALSE, NULL, 0, 0 },
  { "model_00001-of-00003.gguf", FALSE, NULL, 0, 0 },
  { "model-00001-of-00003.bin", FALSE, NULL, 0, 0 },
  { "model-00001-of-00003.gguf.part", FALSE, NULL, 0, 0 },
  { "model-00001-of-00003", FALSE, NULL, 0, 0 },
  { "Qwen2.5-72B-Instruct.Q8_0.gguf.part1of2", FALSE, NULL, 0, 0 },
  { "model-Q4_K_M.gguf", FALSE, NULL, 0, 0 },
  { "", FALSE, NULL, 0, 0 },
};

static void
test_parse_split (gconstpointer data)
{
  const SplitCase *c = data;
  g_autofree char *prefix = NULL;
  guint part = 0;
  guint count = 0;
  gboolean ret;

  ret = mm_gguf_name_parse_split (c->name, &prefix, &part, &count);

  g_assert_cmpint (ret, ==, c->valid);
  g_assert_cmpstr (prefix, ==, c->prefix);
  g_assert_cmpuint (part, ==, c->part);
  g_assert_cmpuint (count, ==, c->count);

  /* Every out parameter is optional. */
  g_assert_cmpint (mm_gguf_name_parse_split (c->name, NULL, NULL, NULL), ==, c->valid);
}

/* mm_gguf_name_is_projector */

typedef struct {
  const char *name;
  gboolean projector;
} ProjectorCase;

static const ProjectorCase projector_cases[] = {
  { "mmproj-model-f16.gguf", TRUE },
  { "mmproj-F16.gguf", TRUE },
  { "mmproj-google_gemma-3-4b-it-f16.gguf", TRUE },
  { "gemma-3-4b-it-mmproj-Q8_0.gguf", TRUE },
  { "MMPROJ-x.gguf", TRUE },
  { "vision/mmproj-BF16.gguf", TRUE },
  { "model-Q4_K_M.gguf", FALSE },
  { "mmproj/model-Q4_K_M.gguf", FALSE },
  { "mm-proj.gguf", FALSE },
  { "", FALSE },
};

static void
test_is_projector (gconstpointer data)
{
  const ProjectorCase *c = data;

  g_assert_cmpint (mm_gguf_name_is_projector (c->name), ==, c->projector);
}

/* mm_quant_group_files */

/* The file list of tests/fixtures/hub/tree-recursive.json, part 2 of the
 * BF16 set listed before part 1. */
static const FileSpec tinychat_files[] = {
  { ".gitattributes", 2013 },
  { "README.md", 5847 },
  { "TinyChat-1.1B-Q2_K.gguf", 432131456 },
  { "TinyChat-1.1B-Q3_K_M.gguf", 548405120 },
  { "TinyChat-1.1B-IQ4_XS.gguf", 617342208 },
  { "TinyChat-1.1B-Q4_K_M.gguf", 667814976 },
  { "TinyChat-1.1B-Q5_K_M.gguf", 782045184 },
  { "TinyChat-1.1B-Q6_K.gguf", 903751680 },
  { "TinyChat-1.1B-Q8_0.gguf", 1169807744 },
  { "BF16", 0 },
  { "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf", 917559168 },
  { "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf", 1283457152 },
  { NULL, 0 },
};

static const struct {
  const char *name;
  guint64 size;
  double bpw;
} tinychat_expected[] = {
  { "Q2_K", 432131456, 3.2 },
  { "Q3_K_M", 548405120, 4.0 },
  { "IQ4_XS", 617342208, 4.25 },
  { "Q4_K_M", 667814976, 4.9 },
  { "Q5_K_M", 782045184, 5.7 },
  { "Q6_K", 903751680, 6.6 },
  { "Q8_0", 1169807744, 8.5 },
  { "BF16", 2201016320, 16.0 },
};

static void
check_tinychat (GPtrArray *quants,
                guint64    total_memory)
{
  MmQuant *bf16;

  g_assert_cmpuint (quants->len, ==, G_N_ELEMENTS (tinychat_expected));

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *q = quant_at (quants, i);

      g_assert_cmpstr (mm_quant_get_name (q), ==, tinychat_expected[i].name);
      g_assert_cmpstr (mm_quant_get_label (q), ==, tinychat_expected[i].name);
      g_assert_cmpuint (mm_quant_get_size (q), ==, tinychat_expected[i].size);
      g_assert_cmpfloat_with_epsilon (mm_quant_get_bits_per_weight (q),
                                      tinychat_expected[i].bpw, 1e-9);
      g_assert_cmpint (mm_quant_get_kind (q), ==, MM_QUANT_KIND_MODEL);
      g_assert_true (mm_quant_get_is_complete (q));
      /* 8 GiB is plenty for a 1.1B model. */
      g_assert_cmpint (mm_quant_get_fit (q), ==, MM_FIT_FITS);
      g_assert_cmpuint (mm_quant_get_memory_needed (q), >, mm_quant_get_size (q));
      g_assert_cmpuint (total_memory, >, mm_quant_get_memory_needed (q));

      if (i < quants->len - 1)
        {
          g_assert_false (mm_quant_get_is_split (q));
          g_assert_cmpuint (mm_quant_get_split_count (q), ==, 1);
          g_assert_cmpuint (mm_quant_get_files (q)->len, ==, 1);
        }
    }

  bf16 = quant_at (quants, quants->len - 1);
  g_assert_true (mm_quant_get_is_split (bf16));
  g_assert_cmpuint (mm_quant_get_split_count (bf16), ==, 2);
  g_assert_cmpuint (mm_quant_get_files (bf16)->len, ==, 2);
  g_assert_cmpstr (file_path_at (bf16, 0), ==, "BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf");
  g_assert_cmpstr (file_path_at (bf16, 1), ==, "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf");
}

static void
test_group_tinychat (void)
{
  g_autoptr(GPtrArray) files = files_new (tinychat_files);
  GPtrArray *quants;
  GPtrArray *projectors = NULL;
  GPtrArray *rejected = NULL;

  quants = mm_quant_group_files (files, 8 * GIB, &projectors, &rejected);

  check_tinychat (quants, 8 * GIB);
  g_assert_nonnull (projectors);
  g_assert_cmpuint (projectors->len, ==, 0);
  g_assert_nonnull (rejected);
  g_assert_cmpuint (rejected->len, ==, 0);

  assert_finalize_array (quants);
  assert_finalize_array (projectors);
  /* The rejected files are the input files: they die with them below. */
  g_ptr_array_unref (rejected);
  assert_finalize_array (g_steal_pointer (&files));
}

/* The same, read from the fixture itself through mm_repo_file_new_from_json(). */
static void
test_group_tinychat_fixture (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *quants;
  JsonArray *entries;

  json_parser_load_from_file (parser,
                              g_test_get_filename (G_TEST_DIST, "fixtures", "hub",
                                                   "tree-recursive.json", NULL),
                              &error);
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      MmRepoFile *file = mm_repo_file_new_from_json (entry, &error);

      g_assert_no_error (error);
      g_ptr_array_add (files, file);
    }
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (tinychat_files) - 1);

  quants = mm_quant_group_files (files, 8 * GIB, NULL, NULL);
  check_tinychat (quants, 8 * GIB);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

static void
test_group_incomplete (void)
{
  static const FileSpec specs[] = {
    { "Q8_0/big-Q8_0-00003-of-00003.gguf", 300 },
    { "Q8_0/big-Q8_0-00001-of-00003.gguf", 100 },
    { "Q4_K_M/big-Q4_K_M-00002-of-00002.gguf", 20 },
    { "Q4_K_M/big-Q4_K_M-00001-of-00002.gguf", 10 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;
  MmQuant *q;

  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 2);

  q = quant_at (quants, 0);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "Q4_K_M");
  g_assert_true (mm_quant_get_is_complete (q));
  g_assert_cmpuint (mm_quant_get_size (q), ==, 30);

  q = quant_at (quants, 1);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "Q8_0");
  g_assert_true (mm_quant_get_is_split (q));
  g_assert_cmpuint (mm_quant_get_split_count (q), ==, 3);
  g_assert_false (mm_quant_get_is_complete (q));
  g_assert_cmpuint (mm_quant_get_files (q)->len, ==, 2);
  g_assert_cmpuint (mm_quant_get_size (q), ==, 400);
  g_assert_cmpstr (file_path_at (q, 0), ==, "Q8_0/big-Q8_0-00001-of-00003.gguf");
  g_assert_cmpstr (file_path_at (q, 1), ==, "Q8_0/big-Q8_0-00003-of-00003.gguf");
  /* Memory unknown: no fit. */
  g_assert_cmpint (mm_quant_get_fit (q), ==, MM_FIT_UNKNOWN);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

/* Parts with one prefix but different counts are different sets. */
static void
test_group_split_counts (void)
{
  static const FileSpec specs[] = {
    { "m-Q4_0-00001-of-00002.gguf", 1 },
    { "m-Q4_0-00002-of-00002.gguf", 1 },
    { "m-Q4_0-00001-of-00003.gguf", 1 },
    { "m-Q4_0-00002-of-00003.gguf", 1 },
    { "m-Q4_0-00003-of-00003.gguf", 1 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;

  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 2);

  /* Sorted by size: 2 bytes, then 3. */
  g_assert_cmpuint (mm_quant_get_split_count (quant_at (quants, 0)), ==, 2);
  g_assert_cmpuint (mm_quant_get_split_count (quant_at (quants, 1)), ==, 3);
  for (guint i = 0; i < quants->len; i++)
    {
      g_assert_cmpstr (mm_quant_get_name (quant_at (quants, i)), ==, "Q4_0");
      g_assert_true (mm_quant_get_is_complete (quant_at (quants, i)));
    }
  /* Both labels say more than the name, and differ. */
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 0)), !=,
                   mm_quant_get_label (quant_at (quants, 1)));
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 0)), !=, "Q4_0");

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

static void
test_group_projectors (void)
{
  static const FileSpec specs[] = {
    { "gemma-3-4b-it-Q4_K_M.gguf", 2489757856 },
    { "mmproj-model-f16.gguf", 851251104 },
    { "mmproj-model-Q8_0.gguf", 591362016 },
    { "gemma-3-4b-it.imatrix.gguf", 2000 },
    { "imatrix_unsloth.gguf", 3000 },
    { "imatrix.dat", 4000 },
    { "README.md", 100 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;
  GPtrArray *projectors = NULL;
  MmQuant *p;

  quants = mm_quant_group_files (files, 16 * GIB, &projectors, NULL);

  g_assert_cmpuint (quants->len, ==, 1);
  g_assert_cmpstr (mm_quant_get_name (quant_at (quants, 0)), ==, "Q4_K_M");

  g_assert_cmpuint (projectors->len, ==, 2);
  p = quant_at (projectors, 0);
  g_assert_cmpint (mm_quant_get_kind (p), ==, MM_QUANT_KIND_PROJECTOR);
  g_assert_cmpstr (mm_quant_get_name (p), ==, "Q8_0");
  g_assert_cmpstr (mm_quant_get_label (p), ==, "Projector Q8_0");
  g_assert_cmpuint (mm_quant_get_size (p), ==, 591362016);
  g_assert_cmpfloat_with_epsilon (mm_quant_get_bits_per_weight (p), 8.5, 1e-9);
  g_assert_cmpstr (file_path_at (p, 0), ==, "mmproj-model-Q8_0.gguf");
  p = quant_at (projectors, 1);
  g_assert_cmpint (mm_quant_get_kind (p), ==, MM_QUANT_KIND_PROJECTOR);
  g_assert_cmpstr (mm_quant_get_name (p), ==, "F16");
  g_assert_cmpstr (mm_quant_get_label (p), ==, "Projector F16");
  g_assert_cmpuint (mm_quant_get_size (p), ==, 851251104);

  assert_finalize_array (quants);
  assert_finalize_array (projectors);
  assert_finalize_array (g_steal_pointer (&files));
}

/* Hostile names from the network never become a choice. */
static const char * const hostile_names[] = {
  "../x-Q4_K_M.gguf",
  "/abs-Q8_0.gguf",
  "a\\b-Q4_0.gguf",
  "c\x01-Q6_K.gguf",
  "ok/../../up-Q2_K.gguf",
  "./dot-Q5_K_M.gguf",
  "a//b-Q3_K_M.gguf",
  "C:/win-Q4_1.gguf",
  "bad\xff-IQ4_XS.gguf",
  "mmproj/../../mmproj-f16.gguf",
  "../../shard-Q8_0-00001-of-00002.gguf",
};

static void
test_group_hostile (gconstpointer data)
{
  const char *name = data;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  MmRepoFile *bad = file_new (name, 5 * GIB);
  GPtrArray *quants;
  GPtrArray *projectors = NULL;
  GPtrArray *rejected = NULL;

  g_ptr_array_add (files, file_new ("ok-Q4_K_M.gguf", 1000));
  g_ptr_array_add (files, bad);
  g_ptr_array_add (files, file_new ("ok-Q8_0-00002-of-00002.gguf", 1000));

  quants = mm_quant_group_files (files, 8 * GIB, &projectors, &rejected);

  g_assert_cmpuint (quants->len, ==, 2);
  g_assert_cmpstr (file_path_at (quant_at (quants, 0), 0), ==, "ok-Q4_K_M.gguf");
  g_assert_cmpstr (file_path_at (quant_at (quants, 1), 0), ==, "ok-Q8_0-00002-of-00002.gguf");
  g_assert_cmpuint (mm_quant_get_files (quant_at (quants, 1))->len, ==, 1);
  g_assert_cmpuint (projectors->len, ==, 0);

  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_true (g_ptr_array_index (rejected, 0) == bad);
  g_assert_nonnull (mm_repo_file_get_problem (bad));
  g_assert_cmpstr (mm_repo_file_get_problem (bad), !=, "");

  assert_finalize_array (quants);
  assert_finalize_array (projectors);
  /* The rejected files are the input files: they die with them below. */
  g_ptr_array_unref (rejected);
  assert_finalize_array (g_steal_pointer (&files));
}

static void
test_group_hostile_all (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *quants;
  GPtrArray *rejected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    g_ptr_array_add (files, file_new (hostile_names[i], 1000));

  quants = mm_quant_group_files (files, 8 * GIB, NULL, &rejected);

  g_assert_cmpuint (quants->len, ==, 0);
  g_assert_cmpuint (rejected->len, ==, G_N_ELEMENTS (hostile_names));
  for (guint i = 0; i < rejected->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (rejected, i);

      g_assert_cmpstr (mm_repo_file_get_path (file), ==, hostile_names[i]);
      g_assert_nonnull (mm_repo_file_get_problem (file));
    }

  assert_finalize_array (quants);
  /* The rejected files are the input files: they die with them below. */
  g_ptr_array_unref (rejected);
  assert_finalize_array (g_steal_pointer (&files));
}

/* The same label under two prefixes or folders: two choices, told apart by
 * their labels. */
static void
test_group_same_label (void)
{
  static const FileSpec specs[] = {
    { "model-Q4_K_M.gguf", 4000 },
    { "model-v2-Q4_K_M.gguf", 4100 },
    { "a/x-Q8_0.gguf", 8000 },
    { "b/x-Q8_0.gguf", 8000 },
    { "model-Q6_K.gguf", 6000 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;

  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 5);

  g_assert_cmpstr (mm_quant_get_name (quant_at (quants, 0)), ==, "Q4_K_M");
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 0)), ==, "Q4_K_M (model-Q4_K_M)");
  g_assert_cmpstr (mm_quant_get_name (quant_at (quants, 1)), ==, "Q4_K_M");
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 1)), ==, "Q4_K_M (model-v2-Q4_K_M)");
  /* A unique name keeps the plain label. */
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 2)), ==, "Q6_K");
  /* Same size and name: ordered by label. */
  g_assert_cmpstr (mm_quant_get_name (quant_at (quants, 3)), ==, "Q8_0");
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 3)), ==, "Q8_0 (a/x-Q8_0)");
  g_assert_cmpstr (mm_quant_get_name (quant_at (quants, 4)), ==, "Q8_0");
  g_assert_cmpstr (mm_quant_get_label (quant_at (quants, 4)), ==, "Q8_0 (b/x-Q8_0)");

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

/* Sizes above 2^32 are summed in 64 bits; absurd ones saturate. */
static void
test_group_large_sizes (void)
{
  static const FileSpec specs[] = {
    { "DeepSeek-R1-Q8_0-00001-of-00003.gguf", G_GUINT64_CONSTANT (49000000000) },
    { "DeepSeek-R1-Q8_0-00002-of-00003.gguf", G_GUINT64_CONSTANT (49000000000) },
    { "DeepSeek-R1-Q8_0-00003-of-00003.gguf", G_GUINT64_CONSTANT (4294967297) },
    { "huge-F32-00001-of-00002.gguf", G_MAXUINT64 - 5 },
    { "huge-F32-00002-of-00002.gguf", 10 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;
  MmQuant *q;

  quants = mm_quant_group_files (files, 64 * GIB, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 2);

  q = quant_at (quants, 0);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "Q8_0");
  g_assert_cmpuint (mm_quant_get_size (q), ==, G_GUINT64_CONSTANT (102294967297));
  g_assert_cmpint (mm_quant_get_fit (q), ==, MM_FIT_TOO_LARGE);

  q = quant_at (quants, 1);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "F32");
  g_assert_cmpuint (mm_quant_get_size (q), ==, G_MAXUINT64);
  g_assert_cmpuint (mm_quant_get_memory_needed (q), ==, G_MAXUINT64);
  g_assert_cmpint (mm_quant_get_fit (q), ==, MM_FIT_TOO_LARGE);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

/* Files without a known label are named by their stem; non-GGUF files are
 * ignored and ".GGUF" counts. */
static void
test_group_unknown_and_ignored (void)
{
  static const FileSpec specs[] = {
    { "Phi-3-mini-4k-instruct-q4.gguf", 2393231072 },
    { "folder/custom-00002-of-00002.gguf", 20 },
    { "folder/custom-00001-of-00002.gguf", 10 },
    { "UPPER-Q5_K_M.GGUF", 500 },
    { "llama-2-7b.ggmlv3.q4_0.bin", 3000 },
    { "model.safetensors", 4000 },
    { "config.json", 500 },
    { "model-Q4_K_M.gguf.part", 500 },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;
  MmQuant *q;

  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 3);

  q = quant_at (quants, 0);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "custom");
  g_assert_cmpstr (mm_quant_get_label (q), ==, "custom");
  g_assert_true (mm_quant_get_is_split (q));
  g_assert_cmpuint (mm_quant_get_size (q), ==, 30);
  g_assert_cmpfloat (mm_quant_get_bits_per_weight (q), ==, 0.0);

  q = quant_at (quants, 1);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "Q5_K_M");
  g_assert_cmpstr (file_path_at (q, 0), ==, "UPPER-Q5_K_M.GGUF");

  q = quant_at (quants, 2);
  g_assert_cmpstr (mm_quant_get_name (q), ==, "Phi-3-mini-4k-instruct-q4");
  g_assert_cmpfloat (mm_quant_get_bits_per_weight (q), ==, 0.0);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

/* Equal sizes are ordered by name. */
static void
test_group_sort_ties (void)
{
  static const FileSpec specs[] = {
    { "x-Q8_0.gguf", 100 },
    { "x-F16.gguf", 100 },
    { "x-BF16.gguf", 100 },
    { "x-Q2_K.gguf", 50 },
    { NULL, 0 },
  };
  static const char * const expected[] = { "Q2_K", "BF16", "F16", "Q8_0" };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;

  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < quants->len; i++)
    g_assert_cmpstr (mm_quant_get_name (quant_at (quants, i)), ==, expected[i]);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

static void
test_group_empty (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *quants;
  GPtrArray *projectors = NULL;
  GPtrArray *rejected = NULL;

  quants = mm_quant_group_files (files, 8 * GIB, &projectors, &rejected);
  g_assert_nonnull (quants);
  g_assert_cmpuint (quants->len, ==, 0);
  g_assert_cmpuint (projectors->len, ==, 0);
  g_assert_cmpuint (rejected->len, ==, 0);

  g_ptr_array_unref (quants);
  g_ptr_array_unref (projectors);
  g_ptr_array_unref (rejected);
}

/* The properties report what the getters do. */
static void
test_properties (void)
{
  static const FileSpec specs[] = {
    { "Q4_K_M/m-UD-Q4_K_XL-00002-of-00002.gguf", 3 * GIB },
    { "Q4_K_M/m-UD-Q4_K_XL-00001-of-00002.gguf", 3 * GIB },
    { NULL, 0 },
  };
  g_autoptr(GPtrArray) files = files_new (specs);
  GPtrArray *quants;
  MmQuant *q;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  int kind = -1;
  int fit = -1;
  guint64 size = 0;
  guint64 memory_needed = 0;
  double bpw = 0.0;
  gboolean is_split = FALSE;
  gboolean is_complete = FALSE;
  guint split_count = 0;

  quants = mm_quant_group_files (files, 8 * GIB, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 1);
  q = quant_at (quants, 0);

  g_object_get (q,
                "name", &name,
                "label", &label,
                "kind", &kind,
                "size", &size,
                "bits-per-weight", &bpw,
                "fit", &fit,
                "is-split", &is_split,
                "split-count", &split_count,
                "is-complete", &is_complete,
                "memory-needed", &memory_needed,
                NULL);

  g_assert_cmpstr (name, ==, "UD-Q4_K_XL");
  g_assert_cmpstr (label, ==, "UD-Q4_K_XL");
  g_assert_cmpint (kind, ==, MM_QUANT_KIND_MODEL);
  g_assert_cmpuint (size, ==, 6 * GIB);
  g_assert_cmpfloat_with_epsilon (bpw, 5.4, 1e-9);
  /* 6 GiB + 10% + 512 MiB is more than 70% but at most 90% of 8 GiB. */
  g_assert_cmpint (fit, ==, MM_FIT_TIGHT);
  g_assert_true (is_split);
  g_assert_cmpuint (split_count, ==, 2);
  g_assert_true (is_complete);
  g_assert_cmpuint (memory_needed, ==, mm_quant_get_memory_needed (q));
  g_assert_cmpuint (memory_needed, ==, 6 * GIB + 6 * GIB / 10 + 512 * 1024 * 1024);

  assert_finalize_array (quants);
  assert_finalize_array (g_steal_pointer (&files));
}

/* mm_quant_estimate_fit */

typedef struct {
  const char *path;
  guint64 size;
  guint64 total_memory;
  MmFit fit;
  guint64 needed;
} FitCase;

/* For 1 GiB: needed = 1073741824 + 107374182 + 536870912 = 1717986918.
 * It fits from total = ceil (needed × 10 / 7) = 2454267026 and is tight
 * from ceil (needed × 10 / 9) = 1908874354. */
static const FitCase fit_cases[] = {
  { "unknown-size", 0, 8 * GIB, MM_FIT_UNKNOWN, 0 },
  { "unknown-memory", GIB, 0, MM_FIT_UNKNOWN, 1717986918 },
  { "unknown-both", 0, 0, MM_FIT_UNKNOWN, 0 },
  { "fits-small", 400 * 1024 * 1024, 16 * GIB, MM_FIT_FITS, 998244352 },
  { "fits-at-70", GIB, 2454267026, MM_FIT_FITS, 1717986918 },
  { "tight-above-70", GIB, 2454267025, MM_FIT_TIGHT, 1717986918 },
  { "tight-at-90", GIB, 1908874354, MM_FIT_TIGHT, 1717986918 },
  { "too-large-above-90", GIB, 1908874353, MM_FIT_TOO_LARGE, 1717986918 },
  { "too-large-70b", 40 * GIB, 32 * GIB, MM_FIT_TOO_LARGE,
    40 * GIB + 4 * GIB + 536870912 },
  { "fits-huge-memory", GIB, G_MAXUINT64, MM_FIT_FITS, 1717986918 },
  { "saturates", G_MAXUINT64, 16 * GIB, MM_FIT_TOO_LARGE, G_MAXUINT64 },
  { "saturates-huge-memory", G_MAXUINT64 - 1, G_MAXUINT64, MM_FIT_TOO_LARGE, G_MAXUINT64 },
};

static void
test_estimate_fit (gconstpointer data)
{
  const FitCase *c = data;
  guint64 needed = 12345;

  g_assert_cmpint (mm_quant_estimate_fit (c->size, c->total_memory, &needed), ==, c->fit);
  g_assert_cmpuint (needed, ==, c->needed);
  g_assert_cmpint (mm_quant_estimate_fit (c->size, c->total_memory, NULL), ==, c->fit);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = test_path_for ("/mm/quant/parse", i, parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse_quant);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bpw_cases); i++)
    {
      g_autofree char *path = test_path_for ("/mm/quant/bits-per-weight", i,
                                             bpw_cases[i].label);

      g_test_add_data_func (path, &bpw_cases[i], test_bits_per_weight);
    }
  g_test_add_func ("/mm/quant/bits-per-weight/null", test_bits_per_weight_null);
  g_test_add_func ("/mm/quant/bits-per-weight/all-parsed", test_bits_per_weight_all_parsed);

  for (guint i = 0; i < G_N_ELEMENTS (split_cases); i++)
    {
      g_autofree char *path = test_path_for ("/mm/quant/split", i, split_cases[i].name);

      g_test_add_data_func (path, &split_cases[i], test_parse_split);
    }

  for (guint i = 0; i < G_N_ELEMENTS (projector_cases); i++)
    {
      g_autofree char *path = test_path_for ("/mm/quant/projector", i,
                                             projector_cases[i].name);

      g_test_add_data_func (path, &projector_cases[i], test_is_projector);
    }

  g_test_add_func ("/mm/quant/group/tinychat", test_group_tinychat);
  g_test_add_func ("/mm/quant/group/tinychat-fixture", test_group_tinychat_fixture);
  g_test_add_func ("/mm/quant/group/incomplete", test_group_incomplete);
  g_test_add_func ("/mm/quant/group/split-counts", test_group_split_counts);
  g_test_add_func ("/mm/quant/group/projectors", test_group_projectors);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_autofree char *path = test_path_for ("/mm/quant/group/hostile", i, hostile_names[i]);

      g_test_add_data_func (path, hostile_names[i], test_group_hostile);
    }
  g_test_add_func ("/mm/quant/group/hostile-all", test_group_hostile_all);
  g_test_add_func ("/mm/quant/group/same-label", test_group_same_label);
  g_test_add_func ("/mm/quant/group/large-sizes", test_group_large_sizes);
  g_test_add_func ("/mm/quant/group/unknown-and-ignored", test_group_unknown_and_ignored);
  g_test_add_func ("/mm/quant/group/sort-ties", test_group_sort_ties);
  g_test_add_func ("/mm/quant/group/empty", test_group_empty);
  g_test_add_func ("/mm/quant/properties", test_properties);

  for (guint i = 0; i < G_N_ELEMENTS (fit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mm/quant/fit/%s", fit_cases[i].path);

      g_test_add_data_func (path, &fit_cases[i], test_estimate_fit);
    }

  return g_test_run ();
}
