/* test-search-filter.c: the size, architecture and fit filters of a search
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-search-filter-private.h"

#define GB ((guint64) 1000000000)
#define GIB ((guint64) 1024 * 1024 * 1024)

static MmModel *
model_new (guint64     parameters,
           const char *architecture)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  MmModel *model;

  json_object_set_string_member (object, "id", "org/name");
  if (parameters != 0 || architecture != NULL)
    {
      JsonObject *gguf = json_object_new ();

      if (parameters != 0)
        json_object_set_int_member (gguf, "total", (gint64) parameters);
      if (architecture != NULL)
        json_object_set_string_member (gguf, "architecture", architecture);
      json_object_set_object_member (object, "gguf", gguf);
    }
  model = mm_model_new_from_json (object, &error);
  g_assert_no_error (error);
  return model;
}

static void
test_size_range_names (void)
{
  static const MmSizeRange ranges[] = {
    MM_SIZE_RANGE_ANY, MM_SIZE_RANGE_UNDER_3B, MM_SIZE_RANGE_3B_8B, MM_SIZE_RANGE_8B_15B,
    MM_SIZE_RANGE_15B_35B, MM_SIZE_RANGE_OVER_35B,
  };
  MmSizeRange range = MM_SIZE_RANGE_ANY;

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      const char *name = _mm_size_range_to_string (ranges[i]);

      g_assert_true (mm_size_range_from_string (name, &range));
      g_assert_cmpint (range, ==, ranges[i]);
    }
  g_assert_cmpstr (_mm_size_range_to_string (MM_SIZE_RANGE_8B_15B), ==, "8b-15b");
  g_assert_false (mm_size_range_from_string ("huge", &range));
  g_assert_false (mm_size_range_from_string (NULL, &range));
  g_assert_cmpint (range, ==, MM_SIZE_RANGE_OVER_35B);
}

static void
test_num_parameters (void)
{
  static const struct {
    MmSizeRange size;
    const char *expected;
  } rows[] = {
    { MM_SIZE_RANGE_ANY, NULL },
    { MM_SIZE_RANGE_UNDER_3B, "min:0,max:3B" },
    { MM_SIZE_RANGE_3B_8B, "min:3B,max:8B" },
    { MM_SIZE_RANGE_8B_15B, "min:8B,max:15B" },
    { MM_SIZE_RANGE_15B_35B, "min:15B,max:35B" },
    { MM_SIZE_RANGE_OVER_35B, "min:35B" },
  };
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();

  g_assert_true (mm_search_filter_is_empty (filter));
  g_assert_true (mm_search_filter_is_empty (NULL));
  g_assert_null (mm_search_filter_dup_num_parameters (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = NULL;

      filter->size = rows[i].size;
      value = mm_search_filter_dup_num_parameters (filter);
      g_assert_cmpstr (value, ==, rows[i].expected);
    }

  /* The architecture is not the Hub's business. */
  filter->size = MM_SIZE_RANGE_ANY;
  filter->architecture = g_strdup ("qwen3");
  g_assert_false (mm_search_filter_is_empty (filter));
  g_assert_null (mm_search_filter_dup_num_parameters (filter));
  g_assert_true (mm_search_filter_needs_local_check (filter));
}

/* The largest model that fits is the last parameter count the memory
 * estimate calls "fits" or "tight", at Q4_K_M and the default context. */
static void
test_max_fitting (void)
{
  static const guint64 memories[] = { 4 * GIB, 8 * GIB, 16 * GIB, 64 * GIB, 512 * GIB };
  guint64 previous = 0;

  for (guint i = 0; i < G_N_ELEMENTS (memories); i++)
    {
      guint64 max = _mm_search_filter_max_fitting_parameters (memories[i]);
      MmModelShape at = { .parameters = max };
      MmModelShape above = { .parameters = max + 1 };
      g_autoptr(MmMemoryEstimate) fits = NULL;
      g_autoptr(MmMemoryEstimate) too_large = NULL;

      g_assert_cmpuint (max, >, previous);
      previous = max;

      fits = mm_memory_estimate_new ((guint64) (max * MM_SEARCH_FILTER_FIT_BITS_PER_WEIGHT / 8),
                                     &at, 0, memories[i]);
      too_large = mm_memory_estimate_new ((guint64) ((max + 1) *
                                                     MM_SEARCH_FILTER_FIT_BITS_PER_WEIGHT / 8),
                                          &above, 0, memories[i]);
      g_assert_true (fits->fit == MM_FIT_FITS || fits->fit == MM_FIT_TIGHT);
      g_assert_cmpint (too_large->fit, ==, MM_FIT_TOO_LARGE);
      /* Q4_K_M takes about 0.6 bytes a parameter, and 90% of memory may be used. */
      g_assert_cmpuint (max, <, memories[i] / 10 * 9 * 8 / 4.9);
    }

  /* 16 GiB: a 7-8 B model fits at Q4_K_M, a 30 B one does not. */
  g_assert_cmpuint (_mm_search_filter_max_fitting_parameters (16 * GIB), >, 15 * GB);
  g_assert_cmpuint (_mm_search_filter_max_fitting_parameters (16 * GIB), <, 30 * GB);

  g_assert_cmpuint (_mm_search_filter_max_fitting_parameters (0), ==, 0);
  /* Not even the runtime fits in 100 MB. */
  g_assert_cmpuint (_mm_search_filter_max_fitting_parameters (100 * 1000 * 1000), ==, 0);
}

static void
test_bounds (void)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autofree char *value = NULL;
  g_autofree char *expected = NULL;
  guint64 min, max, fit_max;

  filter->fits_memory = 16 * GIB;
  fit_max = _mm_search_filter_max_fitting_parameters (16 * GIB);
  g_assert_true (mm_search_filter_get_parameter_bounds (filter, &min, &max));
  g_assert_cmpuint (min, ==, 0);
  g_assert_cmpuint (max, ==, fit_max);
  value = mm_search_filter_dup_num_parameters (filter);
  expected = g_strdup_printf ("min:0,max:%" G_GUINT64_FORMAT, fit_max);
  g_assert_cmpstr (value, ==, expected);

  /* The lower of the two upper bounds wins. */
  filter->size = MM_SIZE_RANGE_3B_8B;
  g_assert_true (mm_search_filter_get_parameter_bounds (filter, &min, &max));
  g_assert_cmpuint (min, ==, 3 * GB);
  g_assert_cmpuint (max, ==, 8 * GB);

  /* Nothing over 35 B fits in 16 GiB. */
  filter->size = MM_SIZE_RANGE_OVER_35B;
  g_assert_false (mm_search_filter_get_parameter_bounds (filter, &min, &max));
  g_clear_pointer (&value, g_free);
  value = mm_search_filter_dup_num_parameters (filter);
  g_assert_null (value);

  /* A machine too small for anything. */
  filter->size = MM_SIZE_RANGE_ANY;
  filter->fits_memory = 1000;
  g_assert_false (mm_search_filter_get_parameter_bounds (filter, &min, &max));
}

static void
test_matches (void)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(MmSearchFilter) copy = NULL;
  g_autoptr(MmModel) small = model_new (1100048384, "llama");
  g_autoptr(MmModel) seven = model_new (7241732096, "llama");
  g_autoptr(MmModel) vision = model_new (7615616512, "qwen2vl");
  g_autoptr(MmModel) giant = model_new (70553706496, "llama");
  g_autoptr(MmModel) unknown = model_new (0, NULL);

  /* No filter keeps everything, also what is unknown. */
  g_assert_true (mm_search_filter_matches (filter, unknown));
  g_assert_true (mm_search_filter_matches (NULL, giant));

  filter->size = MM_SIZE_RANGE_3B_8B;
  g_assert_false (mm_search_filter_matches (filter, small));
  g_assert_true (mm_search_filter_matches (filter, seven));
  g_assert_true (mm_search_filter_matches (filter, vision));
  g_assert_false (mm_search_filter_matches (filter, giant));
  g_assert_false (mm_search_filter_matches (filter, unknown));

  filter->architecture = g_strdup ("qwen2vl");
  g_assert_false (mm_search_filter_matches (filter, seven));
  g_assert_true (mm_search_filter_matches (filter, vision));

  copy = mm_search_filter_copy (filter);
  g_assert_cmpstr (copy->architecture, ==, "qwen2vl");
  g_assert_true (copy->architecture != filter->architecture);
  g_assert_true (mm_search_filter_matches (copy, vision));

  /* Fits in 16 GiB: the 7 B does, the 70 B does not, the unknown is left out. */
  g_clear_pointer (&filter->architecture, g_free);
  filter->size = MM_SIZE_RANGE_ANY;
  filter->fits_memory = 16 * GIB;
  g_assert_true (mm_search_filter_matches (filter, small));
  g_assert_true (mm_search_filter_matches (filter, seven));
  g_assert_false (mm_search_filter_matches (filter, giant));
  g_assert_false (mm_search_filter_matches (filter, unknown));
}

/* A repository of safetensors weights has the Hub's count too. */
static void
test_safetensors_count (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) safetensors = json_object_new ();
  g_autoptr(JsonObject) gguf = json_object_new ();
  g_autoptr(MmModel) model = NULL;
  g_autoptr(MmModel) both = NULL;

  json_object_set_string_member (object, "id", "org/plain");
  json_object_set_int_member (safetensors, "total", 1100059648);
  json_object_set_object_member (object, "safetensors", json_object_ref (safetensors));
  model = mm_model_new_from_json (object, NULL);
  g_assert_cmpuint (mm_model_get_parameters (model), ==, 1100059648);

  /* The GGUF's count wins when there are both. */
  json_object_set_int_member (gguf, "total", 1100048384);
  json_object_set_object_member (object, "gguf", json_object_ref (gguf));
  both = mm_model_new_from_json (object, NULL);
  g_assert_cmpuint (mm_model_get_parameters (both), ==, 1100048384);
}

static void
test_architectures (void)
{
  const char * const *ids = mm_search_filter_get_architectures ();

  g_assert_true (g_strv_contains (ids, "llama"));
  g_assert_true (g_strv_contains (ids, "qwen2vl"));
  g_assert_cmpstr (mm_search_filter_get_architecture_name ("qwen3moe"), ==, "Qwen 3 MoE");
  g_assert_cmpstr (mm_search_filter_get_architecture_name ("mamba"), ==, "mamba");
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (mm_search_filter_get_architecture_name (ids[i]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/search-filter/size-range-names", test_size_range_names);
  g_test_add_func ("/mm/search-filter/num-parameters", test_num_parameters);
  g_test_add_func ("/mm/search-filter/max-fitting", test_max_fitting);
  g_test_add_func ("/mm/search-filter/bounds", test_bounds);
  g_test_add_func ("/mm/search-filter/matches", test_matches);
  g_test_add_func ("/mm/search-filter/architectures", test_architectures);
  g_test_add_func ("/mm/search-filter/safetensors-count", test_safetensors_count);

  return g_test_run ();
}
