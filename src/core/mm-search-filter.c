/* mm-search-filter.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filters beside the sort order: a parameter count range, a model
 * architecture, and "fits this computer".
 *
 * The Hub filters by parameter count on its side with
 * `num_parameters=min:3B,max:8B` (huggingface_hub's list_models passes
 * it through; the web site's own size slider uses the same form), counting
 * a GGUF repository by the parameters the Hub read from its files
 * (`gguf.total`) and a safetensors one by `safetensors.total`. Repositories
 * whose count the Hub does not know are not listed then. "Fits this
 * computer" becomes an upper bound on the same count: the largest model
 * whose Q4_K_M download, KV cache and runtime still fit this machine's
 * memory by the same estimate the detail pane shows (mm-memory-estimate.c).
 * So both need no client-side paging tricks: every page the Hub sends is
 * already filtered.
 *
 * The Hub has no query for a GGUF architecture, and its tags name one
 * only when the card does. The architecture filter is therefore applied
 * here, to the results as they arrive, on `gguf.architecture`; a model
 * whose architecture is not known is left out. The search results say how
 * many models they looked through, and the window says so too.
 *
 * The bounds are inclusive at both ends: an 8.0 B model is both 3–8 B and
 * 8–15 B. Real models are rarely exactly on a bound (Llama-3-8B has 8.03 B).
 */
#define G_LOG_DOMAIN "mm-search-filter"

#include "config.h"

#include "mm-search-filter-private.h"

#include "mm-memory-estimate.h"

#define BILLION ((guint64) 1000000000)

G_DEFINE_BOXED_TYPE (MmSearchFilter, mm_search_filter,
                     mm_search_filter_copy, mm_search_filter_free)

static const struct {
  MmSizeRange range;
  const char *name;
  guint64 min;
  guint64 max; /* 0 = no bound */
} size_ranges[] = {
  { MM_SIZE_RANGE_ANY, "any", 0, 0 },
  { MM_SIZE_RANGE_UNDER_3B, "under-3b", 0, 3 * BILLION },
  { MM_SIZE_RANGE_3B_8B, "3b-8b", 3 * BILLION, 8 * BILLION },
  { MM_SIZE_RANGE_8B_15B, "8b-15b", 8 * BILLION, 15 * BILLION },
  { MM_SIZE_RANGE_15B_35B, "15b-35b", 15 * BILLION, 35 * BILLION },
  { MM_SIZE_RANGE_OVER_35B, "over-35b", 35 * BILLION, 0 },
};

/* The `general.architecture` values of the GGUF files people download
 * most, with their makers' spelling. Names are not translated. */
static const char * const architecture_ids[] = {
  "llama", "qwen2", "qwen3", "qwen3moe", "qwen2vl", "gemma2", "gemma3", "phi3", "mistral3",
  "deepseek2", "gpt-oss", "glm4", "granite", "olmo2", NULL
};
static const char * const architecture_names[] = {
  "Llama", "Qwen 2", "Qwen 3", "Qwen 3 MoE", "Qwen 2 VL", "Gemma 2", "Gemma 3", "Phi 3",
  "Mistral 3", "DeepSeek 2", "GPT-OSS", "GLM 4", "Granite", "OLMo 2",
};
G_STATIC_ASSERT (G_N_ELEMENTS (architecture_ids) == G_N_ELEMENTS (architecture_names) + 1);

/**
 * mm_search_filter_new:
 *
 * Returns: (transfer full): a filter that keeps everything
 */
MmSearchFilter *
mm_search_filter_new (void)
{
  return g_new0 (MmSearchFilter, 1);
}

MmSearchFilter *
mm_search_filter_copy (const MmSearchFilter *self)
{
  MmSearchFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (MmSearchFilter, 1);
  copy->size = self->size;
  copy->architecture = g_strdup (self->architecture);
  copy->fits_memory = self->fits_memory;
  return copy;
}

void
mm_search_filter_free (MmSearchFilter *self)
{
  if (self == NULL)
    return;

  g_free (self->architecture);
  g_free (self);
}

/**
 * mm_search_filter_is_empty:
 * @self: (nullable): a filter
 *
 * Returns: whether @self keeps every model
 */
gboolean
mm_search_filter_is_empty (const MmSearchFilter *self)
{
  return self == NULL ||
         (self->size == MM_SIZE_RANGE_ANY && self->architecture == NULL &&
          self->fits_memory == 0);
}

/* The least parameter count of @range (0 for none) and the largest
 * (0 for no bound). */
static void
size_range_get_bounds (MmSizeRange  range,
                       guint64     *min,
                       guint64     *max)
{
  *min = 0;
  *max = 0;
  for (guint i = 0; i < G_N_ELEMENTS (size_ranges); i++)
    if (size_ranges[i].range == range)
      {
        *min = size_ranges[i].min;
        *max = size_ranges[i].max;
      }
}

/**
 * _mm_size_range_to_string:
 *
 * Returns: the range's name in actions and tests: "any", "under-3b",
 *   "3b-8b", "8b-15b", "15b-35b", "over-35b"
 */
const char *
_mm_size_range_to_string (MmSizeRange range)
{
  for (guint i = 0; i < G_N_ELEMENTS (size_ranges); i++)
    if (size_ranges[i].range == range)
      return size_ranges[i].name;
  return "any";
}

gboolean
mm_size_range_from_string (const char  *name,
                           MmSizeRange *range)
{
  g_return_val_if_fail (range != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (size_ranges); i++)
    if (g_str_equal (name, size_ranges[i].name))
      {
        *range = size_ranges[i].range;
        return TRUE;
      }
  return FALSE;
}

static gboolean
fits (guint64 parameters,
      guint64 total_memory)
{
  MmModelShape shape = { .parameters = parameters };
  guint64 weights = (guint64) ((double) parameters * MM_SEARCH_FILTER_FIT_BITS_PER_WEIGHT / 8);
  g_autoptr(MmMemoryEstimate) estimate = NULL;

  if (weights == 0)
    weights = 1;
  estimate = mm_memory_estimate_new (weights, &shape, 0, total_memory);
  return estimate->fit == MM_FIT_FITS || estimate->fit == MM_FIT_TIGHT;
}

/**
 * _mm_search_filter_max_fitting_parameters:
 * @total_memory: this machine's memory in bytes, 0 when unknown
 *
 * The largest parameter count whose Q4_K_M download fits in @total_memory,
 * with the KV cache of the default context and the runtime, by
 * mm_memory_estimate_new() ("fits" or "tight").
 *
 * Returns: the parameter count, 0 when @total_memory is unknown or too
 *   small for any model
 */
guint64
_mm_search_filter_max_fitting_parameters (guint64 total_memory)
{
  guint64 low = 0;
  guint64 high = 10000 * BILLION;

  if (total_memory == 0 || !fits (1, total_memory))
    return 0;
  if (fits (high, total_memory))
    return high;

  /* fits (low) holds and fits (high) does not; the estimate grows with the
   * parameter count, so halve the gap. */
  low = 1;
  while (high - low > 1)
    {
      guint64 mid = low + (high - low) / 2;

      if (fits (mid, total_memory))
        low = mid;
      else
        high = mid;
    }
  return low;
}

/**
 * mm_search_filter_get_parameter_bounds:
 * @self: (nullable): a filter
 * @min: (out): the least parameter count to ask the Hub for, 0 for none
 * @max: (out): the largest, 0 for no bound
 *
 * Returns: %FALSE when no parameter count can match (a model over 35 B
 *   parameters that fits in 8 GB)
 */
gboolean
mm_search_filter_get_parameter_bounds (const MmSearchFilter *self,
                                       guint64              *min,
                                       guint64              *max)
{
  g_return_val_if_fail (min != NULL && max != NULL, FALSE);

  *min = 0;
  *max = 0;
  if (self == NULL)
    return TRUE;

  size_range_get_bounds (self->size, min, max);
  if (self->fits_memory != 0)
    {
      guint64 fit_max = _mm_search_filter_max_fitting_parameters (self->fits_memory);

      if (fit_max == 0)
        return FALSE;
      if (*max == 0 || fit_max < *max)
        *max = fit_max;
    }

  return *max == 0 || *min <= *max;
}

static void
append_count (GString *out,
              guint64  count)
{
  if (count != 0 && count % BILLION == 0)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT "B", count / BILLION);
  else
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, count);
}

/**
 * mm_search_filter_dup_num_parameters:
 * @self: (nullable): a filter
 *
 * The value of the Hub's `num_parameters` query parameter for @self:
 * "min:3B,max:8B", "min:0,max:3B", "min:35B". A bound that is not a whole
 * billion is written out in full ("max:7340032000").
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when @self does
 *   not bound the parameter count (or no count can match)
 */
char *
mm_search_filter_dup_num_parameters (const MmSearchFilter *self)
{
  guint64 min, max;
  GString *out;

  if (!mm_search_filter_get_parameter_bounds (self, &min, &max) || (min == 0 && max == 0))
    return NULL;

  out = g_string_new ("min:");
  append_count (out, min);
  if (max != 0)
    {
      g_string_append (out, ",max:");
      append_count (out, max);
    }
  return g_string_free (out, FALSE);
}

/**
 * mm_search_filter_needs_local_check:
 * @self: (nullable): a filter
 *
 * Returns: whether some results the Hub sends may not match @self, so that
 *   fewer models are shown than the Hub sent (the architecture filter)
 */
gboolean
mm_search_filter_needs_local_check (const MmSearchFilter *self)
{
  return self != NULL && self->architecture != NULL;
}

/**
 * mm_search_filter_matches:
 * @self: (nullable): a filter
 * @model: a search result
 *
 * Whether @model passes @self, by what the search result knows: its
 * parameter count and GGUF architecture. A model whose count or
 * architecture is unknown does not pass a filter on it.
 *
 * Returns: %TRUE when @model is to be shown
 */
gboolean
mm_search_filter_matches (const MmSearchFilter *self,
                          MmModel              *model)
{
  guint64 parameters;
  guint64 min, max;

  g_return_val_if_fail (MM_IS_MODEL (model), FALSE);

  if (mm_search_filter_is_empty (self))
    return TRUE;

  if (self->architecture != NULL &&
      g_strcmp0 (self->architecture, mm_model_get_architecture (model)) != 0)
    return FALSE;

  if (!mm_search_filter_get_parameter_bounds (self, &min, &max))
    return FALSE;
  if (min == 0 && max == 0)
    return TRUE;

  parameters = mm_model_get_parameters (model);
  if (parameters == 0)
    return FALSE;
  if (parameters < min || (max != 0 && parameters > max))
    return FALSE;

  return TRUE;
}

/**
 * mm_search_filter_get_architectures:
 *
 * Returns: (transfer none) (array zero-terminated=1): the architectures
 *   offered as filters, most downloaded families first
 */
const char * const *
mm_search_filter_get_architectures (void)
{
  return architecture_ids;
}

/**
 * mm_search_filter_get_architecture_name:
 * @architecture: a GGUF `general.architecture`
 *
 * Returns: (transfer none): how its makers write it ("Qwen 3"), or
 *   @architecture itself when it is not one of the list
 */
const char *
mm_search_filter_get_architecture_name (const char *architecture)
{
  g_return_val_if_fail (architecture != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (architecture_names); i++)
    if (g_str_equal (architecture, architecture_ids[i]))
      return architecture_names[i];
  return architecture;
}
