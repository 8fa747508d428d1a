/* mm-memory-estimate.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Will a model run here? A runtime such as llama.cpp needs, at the least:
 *
 *  - the weights: the file is mapped whole, so its size on disk;
 *  - the KV cache: for every layer, a key and a value vector per KV head for
 *    every token of the context. llama.cpp allocates per layer a K tensor of
 *    n_embd_k_gqa × n_ctx and a V tensor of n_embd_v_gqa × n_ctx elements,
 *    f16 by default, where n_embd_k_gqa = n_embd_head_k × n_head_kv and
 *    n_embd_head_k = n_embd / n_head unless `attention.key_length` says
 *    otherwise (llama.cpp src/llama-kv-cache.cpp, src/llama-hparams.cpp). So
 *      KV = layers × context × (key_length + value_length) × kv_heads × 2 bytes
 *         = 2 × layers × context × (embedding × kv_heads / heads) × 2 bytes.
 *    Llama-3-8B (32 layers, 4096 wide, 32 heads, 8 KV heads) at 4096 tokens:
 *    2 × 32 × 4096 × 1024 × 2 = 512 MiB, the "KV self size = 512.00 MiB"
 *    llama.cpp logs for it. Some models (OpenELM) give every layer its own
 *    number of heads, as arrays in the GGUF header; the cache is then the
 *    sum over the layers, context × (key_length + value_length) ×
 *    Σ kv_heads[layer] × 2 bytes (llama.cpp's n_embd_k_gqa (il));
 *  - the runtime: compute buffers (a few hundred MiB on a CPU for a 7–8 B
 *    model at 4096 tokens, growing with the model's width) plus the process
 *    itself. We count a fixed 320 MiB plus 2% of the weights: 0.4 GB for a
 *    4.4 GB file. This is a rounded rule, not a measurement of one runtime.
 *
 * The context is 4096 tokens, or the model's own context when that is
 * shorter: what a person gets without changing any setting.
 *
 * When the shape is unknown (a Hub listing without GGUF metadata), the KV
 * cache is guessed from the parameter count: about 16 KiB per token for
 * each billion parameters, which is what Llama-3-8B and Mistral-7B (grouped
 * query attention with 8 KV heads) need. Older models without grouped query
 * attention need up to four times more, so the explanation says "about".
 * Without a parameter count either, only weights and runtime are counted,
 * and the explanation says so.
 *
 * The verdict is the same as mm_quant_estimate_fit()'s: the rest of the
 * system needs memory too, so up to 70% of the memory fits, up to 90% is
 * tight, and above that it is too large.
 *
 * Where it runs (mm_memory_estimate_new_for_machine()) follows how
 * llama.cpp offloads: layer by layer to the GPU, the rest on the processor.
 * A model may use 90% of the dedicated GPU memory (the desktop and the
 * driver keep some) and 90% of the RAM, or the person's RAM budget when
 * that is less. Then:
 *
 *  - all of it (weights + KV cache + runtime) within the GPU's share: "Runs
 *    on the GPU";
 *  - else, with the layer count known, each layer costs its share of the
 *    weights and the KV cache, ⌈(weights + KV) / layers⌉; the GPU holds the
 *    runtime's compute buffers and as many layers as fit after them; the
 *    rest of the layers and the runtime again (the processor needs buffers
 *    too) must fit in RAM: "Partly on the GPU — n of N layers". With the
 *    layer count unknown the GPU holds bytes instead of layers;
 *  - else within the RAM's share: "CPU only"; a GPU that shares the RAM
 *    (integrated graphics) runs it from there: "Runs on the GPU";
 *  - else "Too large for this computer".
 *
 * With headroom means the RAM part is within 70% of the RAM (or within the
 * budget) and a model wholly on a GPU is within 80% of its memory: what the
 * recommendation asks, so that a slightly longer conversation or another
 * program does not tip it over.
 */
#define G_LOG_DOMAIN "mm-memory-estimate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mm-format.h"
#include "mm-memory-estimate-private.h"

#define MIB ((guint64) 1024 * 1024)
#define RUNTIME_FIXED (320 * MIB)
#define RUNTIME_PERCENT 2
/* Bytes of f16 KV cache per token for each billion parameters. */
#define APPROX_KV_BYTES_PER_TOKEN_PER_BILLION ((guint64) 16 * 1024)
#define RAM_LIMIT_PERCENT 90
#define RAM_HEADROOM_PERCENT 70
#define GPU_LIMIT_PERCENT 90
#define GPU_HEADROOM_PERCENT 80
/* f16, llama.cpp's default cache type. */
#define KV_BYTES_PER_ELEMENT 2

G_DEFINE_BOXED_TYPE (MmMemoryEstimate, mm_memory_estimate,
                     mm_memory_estimate_copy, mm_memory_estimate_free)

/* a × b, or G_MAXUINT64 when that overflows. */
static guint64
mul_sat (guint64 a,
         guint64 b)
{
  guint64 result;

  if (!g_uint64_checked_mul (&result, a, b))
    return G_MAXUINT64;
  return result;
}

static guint64
add_sat (guint64 a,
         guint64 b)
{
  guint64 result;

  if (!g_uint64_checked_add (&result, a, b))
    return G_MAXUINT64;
  return result;
}

/**
 * mm_model_shape_init_from_gguf:
 * @shape: (out caller-allocates): the shape to fill in
 * @info: a GGUF header (of the first part, for a split set)
 *
 * Fills in @shape from the header's metadata. The parameter count is the
 * one of this file's tensors: for a split set, add up the parts'.
 */
void
mm_model_shape_init_from_gguf (MmModelShape *shape,
                               MmGgufInfo   *info)
{
  const char *arch;

  g_return_if_fail (shape != NULL);
  g_return_if_fail (MM_IS_GGUF_INFO (info));

  *shape = (MmModelShape) {
    .parameters = mm_gguf_info_get_parameter_count (info),
    .context_length = mm_gguf_info_get_context_length (info),
    .layers = mm_gguf_info_get_block_count (info),
    .embedding_length = mm_gguf_info_get_embedding_length (info),
    .head_count = mm_gguf_info_get_head_count (info),
    .head_count_kv = mm_gguf_info_get_head_count_kv (info),
  };

  if (mm_gguf_info_get_heads_per_layer (info))
    {
      g_autofree guint64 *heads = NULL;
      g_autofree guint64 *kv_heads = NULL;
      guint64 n_heads = 0;
      guint64 n_kv_heads = 0;

      /* Per-layer counts that cannot be read leave the shape unknown, so
       * that the estimate falls back on the parameter count. */
      shape->head_count = 0;
      shape->head_count_kv = 0;
      heads = mm_gguf_info_dup_head_counts (info, FALSE, &n_heads);
      kv_heads = mm_gguf_info_dup_head_counts (info, TRUE, &n_kv_heads);
      if (heads != NULL)
        {
          /* Without head_count_kv a layer has as many KV heads as heads;
           * with it, a 0 is a layer without attention (hybrid models). */
          for (guint64 i = 0; i < n_heads; i++)
            shape->kv_heads_total = add_sat (shape->kv_heads_total,
                                             kv_heads != NULL ? kv_heads[i] : heads[i]);
          /* llama.cpp's n_embd_head_k is n_embd / n_head (0). */
          shape->head_count = heads[0];
          for (guint64 i = 0; i < n_heads && shape->head_count == 0; i++)
            shape->head_count = heads[i];
          shape->head_count_kv = mm_gguf_info_get_head_count_kv (info);
        }
    }

  arch = mm_gguf_info_get_architecture (info);
  if (arch != NULL)
    {
      g_autofree char *key_length = g_strconcat (arch, ".attention.key_length", NULL);
      g_autofree char *value_length = g_strconcat (arch, ".attention.value_length", NULL);

      if (!mm_gguf_info_get_uint (info, key_length, &shape->key_length))
        shape->key_length = 0;
      if (!mm_gguf_info_get_uint (info, value_length, &shape->value_length))
        shape->value_length = 0;
    }
}

/**
 * mm_model_shape_init_from_model:
 * @shape: (out caller-allocates): the shape to fill in
 * @model: a model as the Hub describes it
 *
 * Fills in what the Hub says about a model: its parameter count and
 * context length (`gguf.total`, `gguf.context_length`). Layers and heads
 * stay unknown, so the KV cache will be approximate.
 */
void
mm_model_shape_init_from_model (MmModelShape *shape,
                                MmModel      *model)
{
  g_return_if_fail (shape != NULL);
  g_return_if_fail (MM_IS_MODEL (model));

  *shape = (MmModelShape) {
    .parameters = mm_model_get_parameters (model),
    .context_length = mm_model_get_context_length (model),
  };
}

/**
 * _mm_memory_estimate_kv_cache:
 * @shape: the model's shape
 * @context: tokens of context
 * @bytes_per_element: bytes of one cached number: 2 for f16 (the default),
 *   1 for q8_0-ish caches
 *
 * The size of the KV cache: layers × context × (key length + value length)
 * × KV heads × @bytes_per_element, or with heads that differ from layer to
 * layer, context × (key length + value length) × the sum of the layers' KV
 * heads × @bytes_per_element.
 *
 * Returns: bytes, or 0 when the layers, embedding length or heads are unknown
 */
guint64
_mm_memory_estimate_kv_cache (const MmModelShape *shape,
                              guint64             context,
                              guint               bytes_per_element)
{
  guint64 key_length;
  guint64 value_length;
  guint64 kv_heads;
  guint64 per_token_layer;

  g_return_val_if_fail (shape != NULL, 0);

  if (shape->layers == 0 || shape->head_count == 0)
    return 0;

  key_length = shape->key_length;
  if (key_length == 0)
    {
      if (shape->embedding_length == 0)
        return 0;
      key_length = shape->embedding_length / shape->head_count;
    }
  value_length = shape->value_length != 0 ? shape->value_length : key_length;

  /* Heads that differ from layer to layer: their sum, times the context. */
  if (shape->kv_heads_total != 0)
    return mul_sat (context, mul_sat (mul_sat (add_sat (key_length, value_length),
                                               shape->kv_heads_total),
                                      bytes_per_element));

  kv_heads = shape->head_count_kv != 0 ? shape->head_count_kv : shape->head_count;

  per_token_layer = mul_sat (mul_sat (add_sat (key_length, value_length), kv_heads),
                             bytes_per_element);
  return mul_sat (mul_sat (shape->layers, context), per_token_layer);
}

/**
 * _mm_memory_estimate_kv_cache_approximate:
 * @parameters: the parameter count
 * @context: tokens of context
 *
 * A guess at the f16 KV cache from the parameter count alone: 16 KiB per
 * token for each billion parameters (a Llama-3-like shape).
 *
 * Returns: bytes, or 0 when @parameters is 0
 */
guint64
_mm_memory_estimate_kv_cache_approximate (guint64 parameters,
                                          guint64 context)
{
  guint64 per_token;

  /* parameters / 1e9 × 16 KiB, without losing the fraction of a billion. */
  per_token = mul_sat (parameters / 1000, APPROX_KV_BYTES_PER_TOKEN_PER_BILLION) / 1000000;
  return mul_sat (per_token, context);
}

/**
 * _mm_memory_estimate_runtime:
 * @weights: bytes of weights
 *
 * Returns: what a runtime needs besides weights and KV cache: 320 MiB plus
 *   2% of @weights
 */
guint64
_mm_memory_estimate_runtime (guint64 weights)
{
  return add_sat (RUNTIME_FIXED, weights / 100 * RUNTIME_PERCENT +
                                 weights % 100 * RUNTIME_PERCENT / 100);
}

/**
 * _mm_memory_estimate_choose_context:
 * @shape: (nullable): the model's shape
 * @context: the context asked for, or 0 for the default
 *
 * Returns: @context, or when it is 0, %MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT
 *   or the model's context length when that is shorter
 */
guint64
_mm_memory_estimate_choose_context (const MmModelShape *shape,
                                    guint64             context)
{
  if (context != 0)
    return context;

  context = MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT;
  if (shape != NULL && shape->context_length != 0 && shape->context_length < context)
    context = shape->context_length;

  return context;
}

/**
 * mm_memory_estimate_classify:
 * @needed: bytes needed
 * @total_memory: this machine's memory, or 0 when unknown
 *
 * Returns: %MM_FIT_FITS up to 70% of @total_memory, %MM_FIT_TIGHT up to
 *   90%, %MM_FIT_TOO_LARGE above, %MM_FIT_UNKNOWN when either is 0
 */
MmFit
mm_memory_estimate_classify (guint64 needed,
                             guint64 total_memory)
{
  guint64 fits_limit;
  guint64 tight_limit;

  if (needed == 0 || total_memory == 0)
    return MM_FIT_UNKNOWN;

  /* floor (total × 7 / 10) and floor (total × 9 / 10), without overflow. */
  fits_limit = total_memory / 10 * 7 + total_memory % 10 * 7 / 10;
  tight_limit = total_memory / 10 * 9 + total_memory % 10 * 9 / 10;

  if (needed <= fits_limit)
    return MM_FIT_FITS;
  if (needed <= tight_limit)
    return MM_FIT_TIGHT;
  return MM_FIT_TOO_LARGE;
}

/**
 * _mm_memory_estimate_fit:
 * @size: the model's size on disk in bytes
 * @shape: (nullable): what is known of the model, or %NULL
 * @total_memory: this machine's memory in bytes, or 0 when unknown
 * @memory_needed: (out) (optional): the estimated memory needed in bytes, or
 *   0 when @size is 0
 *
 * The same contract as mm_quant_estimate_fit(), with the KV cache at the
 * default context counted when @shape allows, so the quantization list can
 * switch to it.
 *
 * Returns: the estimate, %MM_FIT_UNKNOWN when @size or @total_memory is 0
 */
MmFit
_mm_memory_estimate_fit (guint64             size,
                         const MmModelShape *shape,
                         guint64             total_memory,
                         guint64            *memory_needed)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;

  if (size == 0)
    {
      if (memory_needed != NULL)
        *memory_needed = 0;
      return MM_FIT_UNKNOWN;
    }

  estimate = mm_memory_estimate_new (size, shape, 0, total_memory);
  if (memory_needed != NULL)
    *memory_needed = estimate->total;

  return estimate->fit;
}

/**
 * mm_memory_estimate_new:
 * @weights: bytes of weights (the model's files)
 * @shape: (nullable): what is known of the model
 * @context: the tokens of context to count, or 0 for the default (see
 *   _mm_memory_estimate_choose_context())
 * @total_memory: this machine's memory (mm_system_get_total_memory()), or 0
 *   when unknown
 *
 * Returns: (transfer full): the estimate
 */
MmMemoryEstimate *
mm_memory_estimate_new (guint64             weights,
                        const MmModelShape *shape,
                        guint64             context,
                        guint64             total_memory)
{
  MmMemoryEstimate *self = g_new0 (MmMemoryEstimate, 1);

  self->weights = weights;
  self->context = _mm_memory_estimate_choose_context (shape, context);
  self->total_memory = total_memory;
  self->runtime = _mm_memory_estimate_runtime (weights);
  self->kv_source = MM_KV_CACHE_UNKNOWN;

  if (shape != NULL)
    {
      self->kv_cache = _mm_memory_estimate_kv_cache (shape, self->context, KV_BYTES_PER_ELEMENT);
      if (self->kv_cache != 0)
        {
          self->kv_source = MM_KV_CACHE_EXACT;
        }
      else
        {
          self->kv_cache = _mm_memory_estimate_kv_cache_approximate (shape->parameters,
                                                                     self->context);
          if (self->kv_cache != 0)
            self->kv_source = MM_KV_CACHE_APPROXIMATE;
        }
    }

  self->total = add_sat (add_sat (weights, self->kv_cache), self->runtime);
  self->fit = weights != 0 ? mm_memory_estimate_classify (self->total, total_memory)
                           : MM_FIT_UNKNOWN;

  return self;
}

/* floor (value × percent / 100), without overflow. */
static guint64
percent_of (guint64 value,
            guint   percent)
{
  return value / 100 * percent + value % 100 * percent / 100;
}

static void
place (MmMemoryEstimate      *self,
       const MmMachineMemory *machine)
{
  guint64 ram_headroom;
  guint64 body;

  self->gpu_kind = machine->gpu_kind;
  self->gpu_memory = machine->gpu_kind == MM_GPU_KIND_DEDICATED ? machine->gpu_memory : 0;
  self->ram_limit = percent_of (machine->ram, RAM_LIMIT_PERCENT);
  ram_headroom = percent_of (machine->ram, RAM_HEADROOM_PERCENT);
  if (machine->ram_budget != 0)
    {
      /* The person said how much: up to that, with nothing held back. */
      self->ram_limit = MIN (self->ram_limit, machine->ram_budget);
      ram_headroom = MIN (ram_headroom, machine->ram_budget);
    }
  self->gpu_limit = percent_of (self->gpu_memory, GPU_LIMIT_PERCENT);

  if (self->weights == 0)
    return;

  body = add_sat (self->weights, self->kv_cache);

  if (self->gpu_memory > 0 && self->gpu_limit > self->runtime)
    {
      guint64 space = self->gpu_limit - self->runtime;
      guint64 on_gpu = 0;

      if (self->total <= self->gpu_limit)
        {
          self->placement = MM_PLACEMENT_GPU;
          self->gpu_layers = self->layers;
          self->gpu_bytes = self->total;
          self->headroom = self->total <= percent_of (self->gpu_memory, GPU_HEADROOM_PERCENT);
          return;
        }

      if (self->layers > 0)
        {
          /* ⌈body / layers⌉; body > space, so fewer than all layers fit. */
          guint64 per_layer = body / self->layers + (body % self->layers != 0);

          self->gpu_layers = space / per_layer;
          on_gpu = self->gpu_layers * per_layer;
        }
      else
        {
          on_gpu = space;
        }

      if (on_gpu > 0)
        {
          self->gpu_bytes = add_sat (on_gpu, self->runtime);
          self->ram_bytes = add_sat (body - on_gpu, self->runtime);
          if (machine->ram != 0 && self->ram_bytes <= self->ram_limit)
            {
              self->placement = MM_PLACEMENT_PARTIAL;
              self->headroom = self->ram_bytes <= ram_headroom;
            }
          else if (machine->ram != 0)
            {
              self->placement = MM_PLACEMENT_TOO_LARGE;
            }
          return;
        }
    }

  self->gpu_layers = 0;
  self->gpu_bytes = 0;
  if (machine->ram == 0)
    return;

  self->ram_bytes = self->total;
  if (self->total <= self->ram_limit)
    {
      self->placement = machine->gpu_kind == MM_GPU_KIND_UNIFIED ? MM_PLACEMENT_GPU
                                                                 : MM_PLACEMENT_CPU;
      self->headroom = self->total <= ram_headroom;
    }
  else
    {
      self->placement = MM_PLACEMENT_TOO_LARGE;
    }
}

/**
 * mm_memory_estimate_new_for_machine:
 * @weights: bytes of weights (the model's files)
 * @shape: (nullable): what is known of the model; its layer count decides
 *   how a model that does not fit wholly on the GPU is split
 * @context: the tokens of context to count, or 0 for the default
 * @machine: the computer's memory
 *
 * mm_memory_estimate_new() against @machine's RAM, and where the model
 * runs: on the GPU, partly on it, on the processor, or nowhere. The file's
 * opening comment gives the rule.
 *
 * Returns: (transfer full): the estimate
 */
MmMemoryEstimate *
mm_memory_estimate_new_for_machine (guint64                weights,
                                    const MmModelShape    *shape,
                                    guint64                context,
                                    const MmMachineMemory *machine)
{
  MmMemoryEstimate *self;

  g_return_val_if_fail (machine != NULL, NULL);

  self = mm_memory_estimate_new (weights, shape, context, machine->ram);
  self->layers = shape != NULL ? shape->layers : 0;
  place (self, machine);
  return self;
}

/**
 * mm_memory_estimate_copy:
 *
 * Returns: (transfer full): a copy of @self
 */
MmMemoryEstimate *
mm_memory_estimate_copy (const MmMemoryEstimate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
mm_memory_estimate_free (MmMemoryEstimate *self)
{
  g_free (self);
}

/**
 * _mm_memory_estimate_dup_explanation:
 *
 * The arithmetic for a tooltip: "Weights 4.4 GB + KV cache 536.9 MB
 * (4096 tokens) + runtime 423.5 MB = 5.4 GB of 17.2 GB".
 *
 * Returns: (transfer full): one line of text
 */
char *
_mm_memory_estimate_dup_explanation (const MmMemoryEstimate *self)
{
  g_autofree char *weights = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *total = NULL;
  g_autofree char *weights_term = NULL;
  g_autofree char *runtime_term = NULL;
  g_autofree char *kv_term = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *result = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  weights = mm_format_size (self->weights);
  runtime = mm_format_size (self->runtime);
  total = mm_format_size (self->total);

  /* Translators: the first term of a sum of memory, %s is a size such as "4.4 GB" */
  weights_term = g_strdup_printf (_("Weights %s"), weights);
  /* Translators: a term of a sum of memory: what the program that runs the
   * model needs for itself; %s is a size such as "0.4 GB" */
  runtime_term = g_strdup_printf (_("runtime %s"), runtime);

  if (self->kv_source != MM_KV_CACHE_UNKNOWN)
    {
      g_autofree char *kv = mm_format_size (self->kv_cache);
      g_autofree char *tokens = mm_format_integer (self->context);
      gulong n = (gulong) MIN (self->context, G_MAXULONG);

      if (self->kv_source == MM_KV_CACHE_EXACT)
        /* Translators: a term of a sum of memory: the KV cache (the model's
         * memory of the conversation) holding %2$s tokens; %1$s is a size */
        kv_term = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "KV cache %s (%s token)",
                                                "KV cache %s (%s tokens)", n),
                                   kv, tokens);
      else
        /* Translators: like "KV cache %s (%s tokens)", but the size is a guess
         * from the model's parameter count */
        kv_term = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "KV cache about %s (%s token, guessed "
                                                "from the parameter count)",
                                                "KV cache about %s (%s tokens, guessed "
                                                "from the parameter count)", n),
                                   kv, tokens);

      /* Translators: a sum of three terms, "Weights 4.4 GB", "KV cache 0.5 GB
       * (4096 tokens)" and "runtime 0.4 GB", and its result */
      sum = g_strdup_printf (_("%s + %s + %s = %s"), weights_term, kv_term, runtime_term, total);
    }
  else
    {
      /* Translators: a sum of two terms, "Weights 4.4 GB" and "runtime 0.4 GB",
       * and its result */
      sum = g_strdup_printf (_("%s + %s = %s"), weights_term, runtime_term, total);
    }

  if (self->total_memory != 0)
    {
      g_autofree char *memory = mm_format_size (self->total_memory);

      /* Translators: "<sum> of <this computer's memory>", as in
       * "… = 5.3 GB of 16 GB" */
      result = g_strdup_printf (_("%s of %s"), sum, memory);
    }
  else
    {
      /* Translators: %s is a sum of memory sizes */
      result = g_strdup_printf (_("%s; this computer’s memory is unknown"), sum);
    }

  if (self->kv_source == MM_KV_CACHE_UNKNOWN)
    {
      g_autofree char *with_note = NULL;

      /* Translators: %s is the sum of memory above; the note says a part is missing */
      with_note = g_strdup_printf (_("%s (without the KV cache: the model’s shape is "
                                     "unknown)"), result);
      return g_steal_pointer (&with_note);
    }

  return g_steal_pointer (&result);
}

/**
 * mm_memory_estimate_dup_placement_label:
 *
 * Returns: (transfer full) (nullable): what a badge says: "Runs on the GPU",
 *   "Partly on the GPU — 28 of 40 layers", "CPU only" or "Too large for
 *   this computer"; %NULL when the placement is unknown
 */
char *
mm_memory_estimate_dup_placement_label (const MmMemoryEstimate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->placement)
    {
    case MM_PLACEMENT_GPU:
      /* Translators: badge: the whole model fits in the GPU's memory */
      return g_strdup (_("Runs on the GPU"));
    case MM_PLACEMENT_PARTIAL:
      if (self->layers > 0)
        /* Translators: badge: some of the model's layers run on the GPU, the
         * rest on the processor; e.g. "Partly on the GPU — 28 of 40 layers" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Partly on the GPU — %lu of %lu layer",
                                             "Partly on the GPU — %lu of %lu layers",
                                             (gulong) self->layers),
                                (gulong) self->gpu_layers, (gulong) self->layers);
      /* Translators: badge: part of the model runs on the GPU, the rest on
       * the processor (how many layers is not known) */
      return g_strdup (_("Partly on the GPU"));
    case MM_PLACEMENT_CPU:
      /* Translators: badge: the model runs on the processor, from RAM */
      return g_strdup (_("CPU only"));
    case MM_PLACEMENT_TOO_LARGE:
      /* Translators: badge: the model does not fit in this computer's memory */
      return g_strdup (_("Too large for this computer"));
    case MM_PLACEMENT_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * _mm_memory_estimate_dup_placement_explanation:
 *
 * Where the memory goes, for the second line of a tooltip: "All 32 layers
 * on the GPU: 5.9 GB of 24.0 GB", "28 of 40 layers on the GPU: 7.2 GB of
 * 8.6 GB; the rest in RAM: 3.1 GB of 30.9 GB", …
 *
 * Returns: (transfer full) (nullable): one line, %NULL when the placement
 *   is unknown
 */
char *
_mm_memory_estimate_dup_placement_explanation (const MmMemoryEstimate *self)
{
  g_autofree char *total = NULL;
  g_autofree char *gpu_bytes = NULL;
  g_autofree char *gpu_memory = NULL;
  g_autofree char *ram_bytes = NULL;
  g_autofree char *ram_limit = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  total = mm_format_size (self->total);
  gpu_bytes = mm_format_size (self->gpu_bytes);
  gpu_memory = mm_format_size (self->gpu_memory);
  ram_bytes = mm_format_size (self->ram_bytes);
  ram_limit = mm_format_size (self->ram_limit);

  switch (self->placement)
    {
    case MM_PLACEMENT_GPU:
      if (self->gpu_kind == MM_GPU_KIND_UNIFIED)
        /* Translators: the GPU uses the computer's RAM; %s are sizes, "5.9 GB of 15.5 GB" */
        text = g_strdup_printf (_("On the GPU, in the RAM it shares: %s of %s"),
                                ram_bytes, ram_limit);
      else if (self->layers > 0)
        /* Translators: %s: a number of layers, the memory used and the GPU's
         * memory, as in "All 32 layers on the GPU: 5.9 GB of 24.0 GB" */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "All %lu layer on the GPU: %s of %s",
                                             "All %lu layers on the GPU: %s of %s",
                                             (gulong) self->layers),
                                (gulong) self->layers, gpu_bytes, gpu_memory);
      else
        /* Translators: %s are sizes, as in "On the GPU: 5.9 GB of 24.0 GB" */
        text = g_strdup_printf (_("On the GPU: %s of %s"), gpu_bytes, gpu_memory);
      break;
    case MM_PLACEMENT_PARTIAL:
      if (self->layers > 0)
        /* Translators: "28 of 40 layers on the GPU: 7.2 GB of 8.0 GB; the
         * rest in RAM: 3.1 GB of 28.8 GB" */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%lu of %lu layer on the GPU: %s of %s; the "
                                             "rest in RAM: %s of %s",
                                             "%lu of %lu layers on the GPU: %s of %s; the "
                                             "rest in RAM: %s of %s",
                                             (gulong) self->layers),
                                (gulong) self->gpu_layers, (gulong) self->layers,
                                gpu_bytes, gpu_memory,
                                ram_bytes, ram_limit);
      else
        /* Translators: "Part on the GPU: 7.2 GB of 8.0 GB; the rest in RAM:
         * 3.1 GB of 28.8 GB (the layer count is not known yet)" */
        text = g_strdup_printf (_("Part on the GPU: %s of %s; the rest in RAM: %s of %s (the "
                                  "layer count is not known yet)"),
                                gpu_bytes, gpu_memory, ram_bytes, ram_limit);
      break;
    case MM_PLACEMENT_CPU:
      if (self->gpu_memory > 0)
        /* Translators: "The GPU’s 2.0 GB cannot hold a layer: in RAM, 5.9 GB of 28.8 GB" */
        text = g_strdup_printf (_("The GPU’s %s cannot hold a layer: in RAM, %s of %s"),
                                gpu_memory, ram_bytes, ram_limit);
      else
        /* Translators: "No GPU found: in RAM, 5.9 GB of 28.8 GB" */
        text = g_strdup_printf (_("No GPU found: in RAM, %s of %s"), ram_bytes, ram_limit);
      break;
    case MM_PLACEMENT_TOO_LARGE:
      if (self->gpu_memory > 0)
        /* Translators: "Needs 40.1 GB: more than 28.8 GB of RAM and 21.6 GB of GPU memory" */
        text = g_strdup_printf (_("Needs %s: more than %s of RAM and %s of GPU memory can hold"),
                                total, ram_limit, gpu_memory);
      else
        /* Translators: "Needs 40.1 GB: more than 28.8 GB of RAM can hold" */
        text = g_strdup_printf (_("Needs %s: more than %s of RAM can hold"), total, ram_limit);
      break;
    case MM_PLACEMENT_UNKNOWN:
    default:
      return NULL;
    }

  if (self->placement != MM_PLACEMENT_TOO_LARGE && !self->headroom)
    {
      g_autofree char *with_note = NULL;

      /* Translators: %s is a sentence about where a model runs; the note
       * says that it barely fits */
      with_note = g_strdup_printf (_("%s — with little memory to spare"), text);
      return g_steal_pointer (&with_note);
    }

  return g_steal_pointer (&text);
}

/* The first line of the summary: where the model runs and whether it fits,
 * with the context the estimate counts. */
static char *
dup_summary_place (const MmMemoryEstimate *self)
{
  g_autofree char *tokens = mm_format_integer (self->context);
  g_autofree char *gpu = mm_format_size (self->gpu_memory);
  g_autofree char *ram = mm_format_size (self->total_memory);
  g_autofree char *total = mm_format_size (self->total);
  gulong n = (gulong) MIN (self->context, G_MAXULONG);
  gboolean fits = self->headroom;

  switch (self->placement)
    {
    case MM_PLACEMENT_GPU:
      if (self->gpu_kind == MM_GPU_KIND_UNIFIED)
        return g_strdup_printf (fits
                                /* Translators: the GPU uses the computer's RAM; the first %s
                                 * is a size such as "16.0 GB", the second a number of tokens
                                 * such as "4,096" */
                                ? g_dngettext (GETTEXT_PACKAGE,
                                               "Runs on the GPU in your %s of memory, with room "
                                               "for a %s-token context",
                                               "Runs on the GPU in your %s of memory, with room "
                                               "for a %s-token context", n)
                                /* Translators: as above, with little memory to spare */
                                : g_dngettext (GETTEXT_PACKAGE,
                                               "Runs on the GPU in your %s of memory, just "
                                               "fitting a %s-token context",
                                               "Runs on the GPU in your %s of memory, just "
                                               "fitting a %s-token context", n),
                                ram, tokens);
      return g_strdup_printf (fits
                              /* Translators: the first %s is the GPU's memory such as
                               * "24.0 GB", the second a number of tokens such as "4,096" */
                              ? g_dngettext (GETTEXT_PACKAGE,
                                             "Fits in your GPU’s %s of memory with room for a "
                                             "%s-token context",
                                             "Fits in your GPU’s %s of memory with room for a "
                                             "%s-token context", n)
                              /* Translators: as above, with little memory to spare */
                              : g_dngettext (GETTEXT_PACKAGE,
                                             "Just fits in your GPU’s %s of memory with a "
                                             "%s-token context",
                                             "Just fits in your GPU’s %s of memory with a "
                                             "%s-token context", n),
                              gpu, tokens);
    case MM_PLACEMENT_PARTIAL:
      if (self->layers > 0)
        {
          g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                /* Translators: "28 of 40 layers" */
                                                                "%lu of %lu layer",
                                                                "%lu of %lu layers",
                                                                (gulong) self->layers),
                                                   (gulong) self->gpu_layers,
                                                   (gulong) self->layers);

          /* Translators: the first %s is the GPU's memory such as "8.0 GB",
           * the second "28 of 40 layers", the third a number of tokens such as "4,096" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Too large for your GPU’s %s of memory alone: "
                                               "%s run there, the rest on the processor, with "
                                               "a %s-token context",
                                               "Too large for your GPU’s %s of memory alone: "
                                               "%s run there, the rest on the processor, with "
                                               "a %s-token context", n),
                                  gpu, part, tokens);
        }
      /* Translators: the first %s is the GPU's memory such as "8.0 GB", the
       * second a number of tokens such as "4,096" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Too large for your GPU’s %s of memory alone: part "
                                           "runs there, the rest on the processor, with a "
                                           "%s-token context",
                                           "Too large for your GPU’s %s of memory alone: part "
                                           "runs there, the rest on the processor, with a "
                                           "%s-token context", n),
                              gpu, tokens);
    case MM_PLACEMENT_CPU:
      return g_strdup_printf (fits
                              /* Translators: the first %s is the computer's memory such as
                               * "16.0 GB", the second a number of tokens such as "4,096" */
                              ? g_dngettext (GETTEXT_PACKAGE,
                                             "Runs on the processor and fits in your %s of "
                                             "memory with room for a %s-token context",
                                             "Runs on the processor and fits in your %s of "
                                             "memory with room for a %s-token context", n)
                              /* Translators: as above, with little memory to spare */
                              : g_dngettext (GETTEXT_PACKAGE,
                                             "Runs on the processor and just fits in your %s "
                                             "of memory with a %s-token context",
                                             "Runs on the processor and just fits in your %s "
                                             "of memory with a %s-token context", n),
                              ram, tokens);
    case MM_PLACEMENT_TOO_LARGE:
      break;
    case MM_PLACEMENT_UNKNOWN:
    default:
      switch (self->fit)
        {
        case MM_FIT_FITS:
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Fits in your %s of memory with room for a "
                                               "%s-token context",
                                               "Fits in your %s of memory with room for a "
                                               "%s-token context", n),
                                  ram, tokens);
        case MM_FIT_TIGHT:
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Just fits in your %s of memory with a "
                                               "%s-token context",
                                               "Just fits in your %s of memory with a "
                                               "%s-token context", n),
                                  ram, tokens);
        case MM_FIT_TOO_LARGE:
          break;
        case MM_FIT_UNKNOWN:
        default:
          /* Translators: the first %s is a size such as "5.4 GB", the second a
           * number of tokens such as "4,096" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Needs about %s of memory with a %s-token "
                                               "context",
                                               "Needs about %s of memory with a %s-token "
                                               "context", n),
                                  total, tokens);
        }
      break;
    }

  /* Translators: the first %s is a size such as "40.1 GB", the second a
   * number of tokens such as "4,096", the third the computer's memory */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Needs about %s of memory with a %s-token context; "
                                       "your computer has %s",
                                       "Needs about %s of memory with a %s-token context; "
                                       "your computer has %s", n),
                          total, tokens, ram);
}

/**
 * mm_memory_estimate_dup_summary:
 *
 * The estimate in words a person knows, for a tooltip, without the terms
 * of the trade (no "KV cache", no "runtime"): where the model runs and
 * whether it fits, then what the memory goes to. For example "Fits in
 * your GPU’s 24.0 GB of memory with room for a 4,096-token context\nAbout
 * 5.4 GB in all: 4.4 GB for the model, 536.9 MB to remember the
 * conversation and 423.5 MB for the program that runs it".
 *
 * Returns: (transfer full): two lines of text
 */
char *
mm_memory_estimate_dup_summary (const MmMemoryEstimate *self)
{
  g_autofree char *place = NULL;
  g_autofree char *total = NULL;
  g_autofree char *weights = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *parts = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  place = dup_summary_place (self);
  total = mm_format_size (self->total);
  weights = mm_format_size (self->weights);
  runtime = mm_format_size (self->runtime);

  if (self->kv_source == MM_KV_CACHE_UNKNOWN)
    /* Translators: what a model needs in memory; each %s is a size such as "4.4 GB" */
    parts = g_strdup_printf (_("About %s in all: %s for the model and %s for the program that "
                               "runs it, plus what the conversation needs (not known for "
                               "this model)"), total, weights, runtime);
  else
    {
      g_autofree char *kv = mm_format_size (self->kv_cache);

      parts = g_strdup_printf (self->kv_source == MM_KV_CACHE_EXACT
                               /* Translators: what a model needs in memory; each %s is a
                                * size such as "4.4 GB" */
                               ? _("About %s in all: %s for the model, %s to remember the "
                                   "conversation and %s for the program that runs it")
                               /* Translators: as above; the conversation's share is a guess */
                               : _("About %s in all: %s for the model, about %s to remember "
                                   "the conversation and %s for the program that runs it"),
                               total, weights, kv, runtime);
    }

  return g_strconcat (place, "\n", parts, NULL);
}
