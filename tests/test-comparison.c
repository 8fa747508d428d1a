/* test-comparison.c: quantizations side by side
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmComparison picks two to four choices across models; MmCompareItem
 * says each line of the comparison; the quality table is llama.cpp's.
 */
#include "config.h"

#include <locale.h>

#include "mm-core.h"
#include "mm-gpu-private.h"
#include "mm-machine-private.h"

#define NBSP "\302\240"
#define GIB (G_GUINT64_CONSTANT (1) << 30)

static MmModel *
model_new (const char *id,
           const char *license,
           gint64      downloads)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"downloads\": %" G_GINT64_FORMAT
                                           ", \"cardData\": {\"license\": \"%s\"},"
                                           " \"gguf\": {\"total\": 8030261248,"
                                           " \"architecture\": \"llama\","
                                           " \"context_length\": 8192}}",
                                           id, downloads, license);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  MmModel *model;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  model = mm_model_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return model;
}

static GPtrArray *
quants_new (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, mm_repo_file_new ("m-Q4_K_M.gguf", G_GUINT64_CONSTANT (4920734016),
                                            NULL, NULL));
  g_ptr_array_add (files, mm_repo_file_new ("m-IQ4_XS.gguf", G_GUINT64_CONSTANT (4447671296),
                                            NULL, NULL));
  g_ptr_array_add (files, mm_repo_file_new ("m-BF16.gguf", G_GUINT64_CONSTANT (16068890624),
                                            NULL, NULL));
  return mm_quant_group_files (files, 0, NULL, NULL);
}

static MmQuant *
quant_named (GPtrArray  *quants,
             const char *name)
{
  for (guint i = 0; i < quants->len; i++)
    if (g_str_equal (mm_quant_get_name (g_ptr_array_index (quants, i)), name))
      return g_ptr_array_index (quants, i);
  g_assert_not_reached ();
}

static void
test_quality_table (void)
{
  static const struct {
    const char *quant;
    gboolean known;
    double increase;
    const char *reference;
  } cases[] = {
    { "Q4_K_M", TRUE, 0.1754, "Llama-3-8B" },
    { "q8_0", TRUE, 0.0026, "Llama-3-8B" },
    { "Q2_K", TRUE, 3.5199, "Llama-3-8B" },
    { "UD-Q4_K_M", TRUE, 0.1754, "Llama-3-8B" },
    { "BF16", TRUE, -0.0050, "Mistral-7B" },
    { "F16", TRUE, 0.0020, "Mistral-7B" },
    { "IQ4_XS", FALSE, 0, NULL },
    { "Q4_K_L", FALSE, 0, NULL },
    { "nonsense", FALSE, 0, NULL },
    { NULL, FALSE, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double increase = 42;
      const char *reference = NULL;

      g_assert_cmpint (mm_gguf_quant_perplexity_increase (cases[i].quant, &increase, &reference),
                       ==, cases[i].known);
      if (cases[i].known)
        {
          g_assert_cmpfloat_with_epsilon (increase, cases[i].increase, 1e-9);
          g_assert_cmpstr (reference, ==, cases[i].reference);
        }
    }
}

static guint changes;

static void
items_changed_cb (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added)
{
  changes++;
}

static void
test_pick (void)
{
  g_autoptr(MmComparison) comparison = mm_comparison_new ();
  g_autoptr(MmModel) a = model_new ("org/A-GGUF", "mit", 10);
  g_autoptr(MmModel) b = model_new ("org/B-GGUF", "apache-2.0", 20);
  g_autoptr(GPtrArray) quants = quants_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MmCompareItem) first = NULL;

  g_signal_connect (mm_comparison_get_items (comparison), "items-changed",
                    G_CALLBACK (items_changed_cb), NULL);
  changes = 0;

  g_assert_true (mm_comparison_add (comparison, a, quant_named (quants, "Q4_K_M"), NULL, &error));
  g_assert_true (mm_comparison_add (comparison, a, quant_named (quants, "IQ4_XS"), NULL, &error));
  /* The same choice again: nothing changes. */
  g_assert_true (mm_comparison_add (comparison, a, quant_named (quants, "Q4_K_M"), NULL, &error));
  g_assert_true (mm_comparison_add (comparison, b, quant_named (quants, "Q4_K_M"), NULL, &error));
  g_assert_true (mm_comparison_add (comparison, b, quant_named (quants, "BF16"), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mm_comparison_get_n_items (comparison), ==, 4);
  g_assert_cmpuint (changes, ==, 4);

  /* A fifth is refused with a reason. */
  g_assert_false (mm_comparison_add (comparison, b, quant_named (quants, "IQ4_XS"), NULL, &error));
  g_assert_error (error, MM_COMPARISON_ERROR, MM_COMPARISON_ERROR_FULL);
  g_assert_cmpstr (error->message, ==, "At most 4 choices can be compared; remove one first.");
  g_clear_error (&error);

  g_assert_true (mm_comparison_contains (comparison, "org/B-GGUF", "Q4_K_M"));
  g_assert_false (mm_comparison_contains (comparison, "org/B-GGUF", "IQ4_XS"));
  g_assert_true (mm_comparison_remove (comparison, "org/A-GGUF", "Q4_K_M"));
  g_assert_false (mm_comparison_remove (comparison, "org/A-GGUF", "Q4_K_M"));
  g_assert_false (mm_comparison_contains (comparison, "org/A-GGUF", "Q4_K_M"));

  /* In the order picked. */
  first = g_list_model_get_item (mm_comparison_get_items (comparison), 0);
  g_assert_cmpstr (mm_compare_item_get_repo_id (first), ==, "org/A-GGUF");
  g_assert_cmpstr (mm_compare_item_get_label (first), ==, "IQ4_XS");

  mm_comparison_clear (comparison);
  g_assert_cmpuint (mm_comparison_get_n_items (comparison), ==, 0);
  g_clear_object (&first);
  g_assert_finalize_object (g_steal_pointer (&comparison));
}

static void
test_facts (void)
{
  g_autoptr(MmModel) model = model_new ("org/Llama-3-8B-GGUF", "llama3", 123456);
  g_autoptr(GPtrArray) quants = quants_new ();
  g_autoptr(MmMachine) machine = mm_machine_new (NULL);
  g_autoptr(GPtrArray) gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  MmModelShape shape = {
    .parameters = G_GUINT64_CONSTANT (8030261248), .context_length = 8192,
    .layers = 32, .embedding_length = 4096, .head_count = 32, .head_count_kv = 8,
  };
  g_autoptr(MmCompareItem) q4 = mm_compare_item_new (model, quant_named (quants, "Q4_K_M"),
                                                     &shape);
  g_autoptr(MmCompareItem) iq4 = mm_compare_item_new (model, quant_named (quants, "IQ4_XS"),
                                                      NULL);
  g_autoptr(MmCompareItem) bf16 = mm_compare_item_new (model, quant_named (quants, "BF16"),
                                                       &shape);
  static const char * const q4_facts[] = {
    "4.9" NBSP "GB", "4.9", "5.9" NBSP "GB at 4096 tokens", "Runs on the GPU",
    "+0.1754 perplexity (Llama-3-8B)", "llama", "8.0B parameters", "8192 tokens",
    "Llama 3 Community License", "123.5 k",
  };
  g_autofree char *title = mm_compare_item_dup_title (q4);
  g_autofree char *quality = NULL;
  g_autofree char *placement = NULL;
  g_autofree char *no_machine = NULL;

  g_ptr_array_add (gpus, _mm_gpu_new ("GPU", "test", MM_GPU_KIND_DEDICATED, 8 * GIB));
  _mm_machine_set_hardware (machine, 16 * GIB, gpus);

  g_assert_cmpstr (title, ==, "Llama-3-8B-GGUF · Q4_K_M");
  for (guint f = 0; f < MM_COMPARE_N_FACTS; f++)
    {
      g_autofree char *text = mm_compare_item_dup_fact (q4, f, machine);

      g_assert_nonnull (mm_compare_fact_get_title (f));
      g_assert_cmpstr (text, ==, q4_facts[f]);
    }

  quality = mm_compare_item_dup_fact (iq4, MM_COMPARE_FACT_QUALITY, machine);
  g_assert_cmpstr (quality, ==, "Not published");
  g_clear_pointer (&quality, g_free);
  quality = mm_compare_item_dup_fact (bf16, MM_COMPARE_FACT_QUALITY, machine);
  g_assert_cmpstr (quality, ==, "−0.0050 perplexity (Mistral-7B)");
  /* 16.07 GB + 512 MiB + R on 8 GiB: 13 of 32 layers on the GPU. */
  placement = mm_compare_item_dup_fact (bf16, MM_COMPARE_FACT_PLACEMENT, machine);
  g_assert_cmpstr (placement, ==, "Partly on the GPU — 13 of 32 layers");
  no_machine = mm_compare_item_dup_fact (bf16, MM_COMPARE_FACT_MEMORY, NULL);
  g_assert_cmpstr (no_machine, ==, "—");

  g_assert_finalize_object (g_steal_pointer (&q4));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/comparison/quality-table", test_quality_table);
  g_test_add_func ("/mm/comparison/pick", test_pick);
  g_test_add_func ("/mm/comparison/facts", test_facts);

  return g_test_run ();
}
