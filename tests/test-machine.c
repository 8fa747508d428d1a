/* test-machine.c: where a model runs on this computer, and what to pick
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The placement of mm_memory_estimate_new_for_machine() for a table of
 * (model, quantization, RAM, GPU memory, context) with every number of the
 * arithmetic asserted; the recommendation at its boundaries; and MmMachine,
 * which follows the context length and RAM budget of the settings.
 *
 * The expected numbers follow the rule of mm-memory-estimate.c by hand:
 * runtime R = 320 MiB + 2% of the weights W; KV for Llama-3-8B = 32 layers
 * × context × (128 + 128) × 8 KV heads × 2 bytes; a layer costs
 * ⌈(W + KV) / layers⌉; the GPU may hold 90% of its memory, R first.
 */
#include "config.h"

#include <locale.h>

#include "mm-core.h"
#include "mm-gpu-private.h"
#include "mm-machine-private.h"
#include "mm-memory-estimate-private.h"
#include "mm-settings-private.h"
#include "mm-test-utils.h"

#define NBSP "\302\240"
#define MIB (G_GUINT64_CONSTANT (1) << 20)
#define GIB (G_GUINT64_CONSTANT (1) << 30)

/* Llama-3-8B and Llama-3-70B as their GGUF headers describe them. */
static const MmModelShape llama3_8b = {
  .parameters = G_GUINT64_CONSTANT (8030261248), .context_length = 8192,
  .layers = 32, .embedding_length = 4096, .head_count = 32, .head_count_kv = 8,
};
static const MmModelShape llama3_70b = {
  .parameters = G_GUINT64_CONSTANT (70553706496), .context_length = 8192,
  .layers = 80, .embedding_length = 8192, .head_count = 64, .head_count_kv = 8,
};
/* What the Hub's listing says of Llama-3-8B: no layers, no heads. */
static const MmModelShape llama3_8b_hub = {
  .parameters = G_GUINT64_CONSTANT (8030261248), .context_length = 8192,
};

#define Q4_K_M_8B G_GUINT64_CONSTANT (4920734016)
#define Q8_0_8B   G_GUINT64_CONSTANT (8540770304)
#define F16_8B    G_GUINT64_CONSTANT (16068890624)
#define Q4_K_M_70B G_GUINT64_CONSTANT (42520393728)

typedef struct {
  const char *name;
  guint64 weights;
  const MmModelShape *shape;
  guint64 ram;
  guint64 ram_budget;
  MmGpuKind gpu_kind;
  guint64 gpu_memory;
  guint64 context;
  /* Expected */
  guint64 kv_cache;
  guint64 runtime;
  guint64 ram_limit;
  guint64 gpu_limit;
  MmPlacement placement;
  guint64 gpu_layers;
  guint64 gpu_bytes;
  guint64 ram_bytes;
  gboolean headroom;
  const char *label;
} PlacementCase;

static const PlacementCase placement_cases[] = {
  /* 4.92 GB + 512 MiB KV + R (320 MiB + 98.4 MB) = 5.89 GB ≤ 90% of 24 GiB,
   * and ≤ 80% of it: all on the GPU, with headroom. */
  { "8b-q4-gpu", Q4_K_M_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 24 * GIB, 4096,
    512 * MIB, 433959000, 15461882265, 23192823398,
    MM_PLACEMENT_GPU, 32, 5891563928, 0, TRUE, "Runs on the GPU" },
  /* 4 GiB: 3865470566 − R = 3431511566 for layers of ⌈5457604928 / 32⌉ =
   * 170550154 bytes: 20 layers; RAM holds the other 12 and R again. */
  { "8b-q4-partial", Q4_K_M_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 4 * GIB, 4096,
    512 * MIB, 433959000, 15461882265, 3865470566,
    MM_PLACEMENT_PARTIAL, 20, 3844962080, 2480560848, TRUE, "Partly on the GPU — 20 of 32 layers" },
  /* 8192 tokens double the KV cache. */
  { "8b-q8-partial-8k", Q8_0_8B, &llama3_8b, 32 * GIB, 0, MM_GPU_KIND_DEDICATED, 8 * GIB, 8192,
    1024 * MIB, 506359726, 30923764531, 7730941132,
    MM_PLACEMENT_PARTIAL, 24, 7717243822, 2909987758, TRUE, "Partly on the GPU — 24 of 32 layers" },
  { "8b-f16-too-large", F16_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_NONE, 0, 4096,
    512 * MIB, 656922132, 15461882265, 0,
    MM_PLACEMENT_TOO_LARGE, 0, 0, 17262683668, FALSE, "Too large for this computer" },
  { "8b-q4-cpu", Q4_K_M_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_NONE, 0, 4096,
    512 * MIB, 433959000, 15461882265, 0,
    MM_PLACEMENT_CPU, 0, 0, 5891563928, TRUE, "CPU only" },
  /* Integrated graphics run it from the RAM: 5.89 GB ≤ 70% of 8 GiB. */
  { "8b-q4-unified", Q4_K_M_8B, &llama3_8b, 8 * GIB, 0, MM_GPU_KIND_UNIFIED, 0, 4096,
    512 * MIB, 433959000, 7730941132, 0,
    MM_PLACEMENT_GPU, 0, 0, 5891563928, TRUE, "Runs on the GPU" },
  { "8b-f16-partial", F16_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 8 * GIB, 4096,
    512 * MIB, 656922132, 15461882265, 7730941132,
    MM_PLACEMENT_PARTIAL, 13, 7403012756, 10516593044, TRUE,
    "Partly on the GPU — 13 of 32 layers" },
  /* The example, at scale: half of a 70B model on a 24 GiB card. */
  { "70b-q4-partial", Q4_K_M_70B, &llama3_70b, 32 * GIB, 0, MM_GPU_KIND_DEDICATED, 24 * GIB,
    4096, 1280 * MIB, 1185952194, 30923764531, 23192823398,
    MM_PLACEMENT_PARTIAL, 40, 23117237714, 23117237682, TRUE,
    "Partly on the GPU — 40 of 80 layers" },
  /* The other 40 layers need 23.1 GB of RAM: more than 90% of 16 GiB. */
  { "70b-q4-too-large", Q4_K_M_70B, &llama3_70b, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 24 * GIB,
    4096, 1280 * MIB, 1185952194, 15461882265, 23192823398,
    MM_PLACEMENT_TOO_LARGE, 40, 23117237714, 23117237682, FALSE,
    "Too large for this computer" },
  /* 90% of 256 MiB does not even hold the runtime's buffers. */
  { "8b-q4-tiny-gpu", Q4_K_M_8B, &llama3_8b, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 256 * MIB, 4096,
    512 * MIB, 433959000, 15461882265, 241591910,
    MM_PLACEMENT_CPU, 0, 0, 5891563928, TRUE, "CPU only" },
  /* An 8 GiB budget on 64 GiB: the budget is the limit. */
  { "8b-q8-budget", Q8_0_8B, &llama3_8b, 64 * GIB, 8 * GIB, MM_GPU_KIND_NONE, 0, 4096,
    512 * MIB, 506359726, 8 * GIB, 0,
    MM_PLACEMENT_TOO_LARGE, 0, 0, 9584000942, FALSE, "Too large for this computer" },
  { "8b-q4-32k", Q4_K_M_8B, &llama3_8b, 32 * GIB, 0, MM_GPU_KIND_DEDICATED, 8 * GIB, 32768,
    4096 * MIB, 433959000, 30923764531, 7730941132,
    MM_PLACEMENT_PARTIAL, 25, 7633725650, 2449893662, TRUE, "Partly on the GPU — 25 of 32 layers" },
  /* Without the layer count the GPU holds bytes: all its share after R. */
  { "8b-q4-no-layers", Q4_K_M_8B, &llama3_8b_hub, 16 * GIB, 0, MM_GPU_KIND_DEDICATED, 4 * GIB,
    4096, 538898432, 433959000, 15461882265, 3865470566,
    MM_PLACEMENT_PARTIAL, 0, 3865470566, 2462079882, TRUE, "Partly on the GPU" },
  /* Little to spare: 90% but not 70% of the RAM. */
  { "8b-q4-tight", Q4_K_M_8B, &llama3_8b, 7 * GIB, 0, MM_GPU_KIND_NONE, 0, 4096,
    512 * MIB, 433959000, 6764573491, 0,
    MM_PLACEMENT_CPU, 0, 0, 5891563928, FALSE, "CPU only" },
  { "unknown-ram", Q4_K_M_8B, &llama3_8b, 0, 0, MM_GPU_KIND_NONE, 0, 4096,
    512 * MIB, 433959000, 0, 0,
    MM_PLACEMENT_UNKNOWN, 0, 0, 0, FALSE, NULL },
};

static void
test_placement (gconstpointer data)
{
  const PlacementCase *c = data;
  MmMachineMemory machine = {
    .ram = c->ram, .ram_budget = c->ram_budget,
    .gpu_kind = c->gpu_kind, .gpu_memory = c->gpu_memory,
  };
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  g_autofree char *label = NULL;
  g_autofree char *explanation = NULL;

  estimate = mm_memory_estimate_new_for_machine (c->weights, c->shape, c->context, &machine);

  g_assert_cmpuint (estimate->context, ==, c->context);
  g_assert_cmpuint (estimate->kv_cache, ==, c->kv_cache);
  g_assert_cmpuint (estimate->runtime, ==, c->runtime);
  g_assert_cmpuint (estimate->total, ==, c->weights + c->kv_cache + c->runtime);
  g_assert_cmpuint (estimate->ram_limit, ==, c->ram_limit);
  g_assert_cmpuint (estimate->gpu_limit, ==, c->gpu_limit);
  g_assert_cmpint (estimate->placement, ==, c->placement);
  g_assert_cmpuint (estimate->layers, ==, c->shape->layers);
  g_assert_cmpuint (estimate->gpu_layers, ==, c->gpu_layers);
  g_assert_cmpuint (estimate->gpu_bytes, ==, c->gpu_bytes);
  g_assert_cmpuint (estimate->ram_bytes, ==, c->ram_bytes);
  g_assert_cmpint (estimate->headroom, ==, c->headroom);

  label = mm_memory_estimate_dup_placement_label (estimate);
  g_assert_cmpstr (label, ==, c->label);
  explanation = _mm_memory_estimate_dup_placement_explanation (estimate);
  g_assert_true ((explanation == NULL) == (c->placement == MM_PLACEMENT_UNKNOWN));
}

static void
test_explanations (void)
{
  static const struct {
    guint index;
    const char *text;
  } cases[] = {
    { 0, "All 32 layers on the GPU: 5.9" NBSP "GB of 25.8" NBSP "GB" },
    { 1, "20 of 32 layers on the GPU: 3.8" NBSP "GB of 4.3" NBSP "GB; the rest in RAM: "
         "2.5" NBSP "GB of 15.5" NBSP "GB" },
    { 3, "Needs 17.3" NBSP "GB: more than 15.5" NBSP "GB of RAM can hold" },
    { 4, "No GPU found: in RAM, 5.9" NBSP "GB of 15.5" NBSP "GB" },
    { 5, "On the GPU, in the RAM it shares: 5.9" NBSP "GB of 7.7" NBSP "GB" },
    { 8, "Needs 45.0" NBSP "GB: more than 15.5" NBSP "GB of RAM and 25.8" NBSP "GB of GPU "
         "memory can hold" },
    { 9, "The GPU’s 268.4" NBSP "MB cannot hold a layer: in RAM, 5.9" NBSP "GB of 15.5" NBSP
         "GB" },
    { 12, "Part on the GPU: 3.9" NBSP "GB of 4.3" NBSP "GB; the rest in RAM: 2.5" NBSP "GB of "
          "15.5" NBSP "GB (the layer count is not known yet)" },
    { 13, "No GPU found: in RAM, 5.9" NBSP "GB of 6.8" NBSP "GB — with little memory to "
          "spare" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PlacementCase *c = &placement_cases[cases[i].index];
      MmMachineMemory machine = {
        .ram = c->ram, .ram_budget = c->ram_budget,
        .gpu_kind = c->gpu_kind, .gpu_memory = c->gpu_memory,
      };
      g_autoptr(MmMemoryEstimate) estimate = NULL;
      g_autofree char *text = NULL;

      estimate = mm_memory_estimate_new_for_machine (c->weights, c->shape, c->context, &machine);
      text = _mm_memory_estimate_dup_placement_explanation (estimate);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Recommendation */

static GPtrArray *
llama3_8b_quants (void)
{
  static const struct {
    const char *path;
    guint64 size;
  } files[] = {
    { "Meta-Llama-3-8B-Instruct-Q2_K.gguf", G_GUINT64_CONSTANT (3179131904) },
    { "Meta-Llama-3-8B-Instruct-Q4_K_M.gguf", Q4_K_M_8B },
    { "Meta-Llama-3-8B-Instruct-Q5_K_M.gguf", G_GUINT64_CONSTANT (5732987904) },
    { "Meta-Llama-3-8B-Instruct-Q6_K.gguf", G_GUINT64_CONSTANT (6596006912) },
    { "Meta-Llama-3-8B-Instruct-Q8_0.gguf", Q8_0_8B },
    { "Meta-Llama-3-8B-Instruct-F16.gguf", F16_8B },
    /* Neither counts: a projector, and a split set missing a part. */
    { "mmproj-model-f16.gguf", G_GUINT64_CONSTANT (600000000) },
    { "Q5_K_S/Meta-Llama-3-8B-Instruct-Q5_K_S-00001-of-00002.gguf", 2800000000 },
  };
  g_autoptr(GPtrArray) repo = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_ptr_array_add (repo, mm_repo_file_new (files[i].path, files[i].size, NULL, NULL));
  return mm_quant_group_files (repo, 0, NULL, NULL);
}

static const char *
recommended_name (GPtrArray             *quants,
                  const MmModelShape    *shape,
                  const MmMachineMemory *machine)
{
  gint index = mm_quant_recommend (quants, shape, 4096, machine);

  if (index < 0)
    return NULL;
  return mm_quant_get_name (g_ptr_array_index (quants, index));
}

/* The smallest memory m with ⌊m × percent / 100⌋ ≥ needed, as the rule
 * computes it. */
static guint64
smallest_memory_for (guint64 needed,
                     guint   percent)
{
  guint64 memory = needed / percent * 100;

  while (memory / 100 * percent + memory % 100 * percent / 100 < needed)
    memory++;
  return memory;
}

static guint64
total_of (guint64 weights)
{
  return weights + 512 * MIB + _mm_memory_estimate_runtime (weights);
}

static void
test_recommend_cpu (void)
{
  g_autoptr(GPtrArray) quants = llama3_8b_quants ();
  guint64 q8_ram = smallest_memory_for (total_of (Q8_0_8B), 70);
  guint64 q2_ram = smallest_memory_for (total_of (G_GUINT64_CONSTANT (3179131904)), 70);
  MmMachineMemory machine = { .ram = q8_ram };

  /* Q8_0 at 70% of the RAM exactly; a byte less and Q6_K is the one. */
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q8_0");
  machine.ram = q8_ram - 1;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q6_K");

  /* F16 fits on 64 GiB, but Q8_0 is as good for half the memory. */
  machine.ram = 64 * GIB;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q8_0");

  /* The smallest fits at its boundary; below it, nothing does. */
  machine.ram = q2_ram;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q2_K");
  machine.ram = q2_ram - 1;
  g_assert_null (recommended_name (quants, &llama3_8b, &machine));

  /* A budget below the RAM decides. */
  machine = (MmMachineMemory) { .ram = 64 * GIB, .ram_budget = total_of (Q4_K_M_8B) };
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q4_K_M");
}

static void
test_recommend_gpu (void)
{
  g_autoptr(GPtrArray) quants = llama3_8b_quants ();
  guint64 q6_vram = smallest_memory_for (total_of (G_GUINT64_CONSTANT (6596006912)), 80);
  guint64 q4_vram = smallest_memory_for (total_of (Q4_K_M_8B), 80);
  MmMachineMemory machine = {
    .ram = 32 * GIB, .gpu_kind = MM_GPU_KIND_DEDICATED, .gpu_memory = q6_vram,
  };

  /* Wholly on the GPU beats a larger choice partly on it. */
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q6_K");
  machine.gpu_memory = q6_vram - 1;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q5_K_M");

  /* Below 4.5 bits a whole-GPU choice does not win: Q2_K would fit on the
   * GPU, but the best overall (Q8_0, partly on it) is recommended. */
  machine.gpu_memory = q4_vram - 1;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q8_0");

  /* A big card takes Q8_0 whole. */
  machine.gpu_memory = 24 * GIB;
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "Q8_0");
}

static void
test_recommend_precise_only (void)
{
  g_autoptr(GPtrArray) repo = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  MmMachineMemory machine = { .ram = 64 * GIB };

  g_ptr_array_add (repo, mm_repo_file_new ("model-F16.gguf", F16_8B, NULL, NULL));
  g_ptr_array_add (repo, mm_repo_file_new ("model-BF16.gguf", F16_8B + 1, NULL, NULL));
  quants = mm_quant_group_files (repo, 0, NULL, NULL);

  /* Only 16-bit files: the largest that fits. */
  g_assert_cmpstr (recommended_name (quants, &llama3_8b, &machine), ==, "BF16");
  g_assert_cmpint (mm_quant_recommend (empty, &llama3_8b, 4096, &machine), ==, -1);
}

/* MmMachine */

static void
changed_cb (MmMachine *machine,
            guint     *count)
{
  (*count)++;
}

static void
test_machine_settings (void)
{
  g_autoptr(MmSettings) settings = _mm_settings_new_in_memory ();
  g_autoptr(MmMachine) machine = mm_machine_new (settings);
  g_autoptr(GPtrArray) gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  g_autofree char *description = NULL;
  MmModelShape short_model = llama3_8b;
  MmMachineMemory memory;
  guint changed = 0;

  g_signal_connect (machine, "changed", G_CALLBACK (changed_cb), &changed);
  g_assert_false (mm_machine_get_detected (machine));
  description = mm_machine_dup_gpu_description (machine);
  g_assert_cmpstr (description, ==, "Looking…");
  g_clear_pointer (&description, g_free);

  g_ptr_array_add (gpus, _mm_gpu_new ("Intel", "card0", MM_GPU_KIND_UNIFIED, 0));
  g_ptr_array_add (gpus, _mm_gpu_new ("NVIDIA GeForce RTX 3060", "nvml0",
                                      MM_GPU_KIND_DEDICATED, 12 * GIB));
  g_ptr_array_add (gpus, _mm_gpu_new ("NVIDIA GeForce RTX 3060", "nvml1",
                                      MM_GPU_KIND_DEDICATED, 12 * GIB));
  _mm_machine_set_hardware (machine, 32 * GIB, gpus);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (mm_machine_get_detected (machine));
  g_assert_cmpuint (mm_machine_get_ram (machine), ==, 32 * GIB);
  /* A dedicated GPU is what a runtime uses; two add up. */
  g_assert_cmpint (mm_machine_get_gpu_kind (machine), ==, MM_GPU_KIND_DEDICATED);
  g_assert_cmpuint (mm_machine_get_gpu_memory (machine), ==, 24 * GIB);
  description = mm_machine_dup_gpu_description (machine);
  g_assert_cmpstr (description, ==, "Intel, uses the RAM; NVIDIA GeForce RTX 3060, 12.9" NBSP
                                    "GB; NVIDIA GeForce RTX 3060, 12.9" NBSP "GB");

  /* The context of the settings, or the model's own when shorter. */
  g_assert_cmpuint (mm_machine_get_context (machine), ==, 4096);
  mm_settings_set_estimate_context (settings, 16384);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (_mm_machine_choose_context (machine, &llama3_8b), ==, 8192);
  short_model.context_length = 0;
  g_assert_cmpuint (_mm_machine_choose_context (machine, &short_model), ==, 16384);
  estimate = mm_machine_estimate (machine, Q4_K_M_8B, &llama3_8b);
  g_assert_cmpuint (estimate->context, ==, 8192);
  g_assert_cmpuint (estimate->kv_cache, ==, 1024 * MIB);
  g_assert_cmpint (estimate->placement, ==, MM_PLACEMENT_GPU);

  mm_settings_set_ram_budget (settings, 10 * GIB);
  g_assert_cmpuint (changed, ==, 3);
  _mm_machine_get_memory (machine, &memory);
  g_assert_cmpuint (memory.ram, ==, 32 * GIB);
  g_assert_cmpuint (memory.ram_budget, ==, 10 * GIB);
  g_assert_cmpuint (memory.gpu_memory, ==, 24 * GIB);

  /* Setting the same value again changes nothing. */
  mm_settings_set_ram_budget (settings, 10 * GIB);
  g_assert_cmpuint (changed, ==, 3);

  g_clear_pointer (&estimate, mm_memory_estimate_free);
  g_assert_finalize_object (g_steal_pointer (&machine));
  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
detected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (mm_machine_detect_finish (MM_MACHINE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_machine_detect (void)
{
  g_autoptr(MmMachine) machine = mm_machine_new (NULL);
  g_autofree char *description = NULL;
  gboolean done = FALSE;

  g_setenv ("MM_TOTAL_MEMORY", "17179869184", TRUE);
  g_setenv ("MM_GPU_MEMORY", "8589934592", TRUE);
  g_setenv ("MM_GPU_NAME", "Radeon RX 7600", TRUE);

  mm_machine_detect_async (machine, NULL, detected_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (mm_machine_get_ram (machine), ==, 16 * GIB);
  g_assert_cmpuint (mm_machine_get_gpu_memory (machine), ==, 8 * GIB);
  description = mm_machine_dup_gpu_description (machine);
  g_assert_cmpstr (description, ==, "Radeon RX 7600, 8.6" NBSP "GB");
  /* Without settings: the defaults. */
  g_assert_cmpuint (mm_machine_get_context (machine), ==, 4096);
  g_assert_cmpuint (mm_machine_get_ram_budget (machine), ==, 0);

  g_setenv ("MM_GPU_MEMORY", "0", TRUE);
  mm_machine_detect_sync (machine);
  g_clear_pointer (&description, g_free);
  description = mm_machine_dup_gpu_description (machine);
  g_assert_cmpstr (description, ==, "None found");
  g_assert_cmpint (mm_machine_get_gpu_kind (machine), ==, MM_GPU_KIND_NONE);

  g_unsetenv ("MM_GPU_NAME");
  g_unsetenv ("MM_TOTAL_MEMORY");
  /* The worker thread lets go of the task, and with it the machine, a
   * moment after the result reached the main context. */
  mm_test_wait_finalized (g_steal_pointer (&machine));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (placement_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mm/machine/placement/%s",
                                               placement_cases[i].name);

      g_test_add_data_func (path, &placement_cases[i], test_placement);
    }
  g_test_add_func ("/mm/machine/placement/explanations", test_explanations);
  g_test_add_func ("/mm/machine/recommend/cpu", test_recommend_cpu);
  g_test_add_func ("/mm/machine/recommend/gpu", test_recommend_gpu);
  g_test_add_func ("/mm/machine/recommend/precise-only", test_recommend_precise_only);
  g_test_add_func ("/mm/machine/settings", test_machine_settings);
  g_test_add_func ("/mm/machine/detect", test_machine_detect);

  return g_test_run ();
}
