/* mm-types.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mm-types"

#include "config.h"

#include "mm-types.h"

static const struct {
  const char *name;
  const char *api;
} sorts[] = {
  [MM_SORT_DOWNLOADS] = { "downloads", "downloads" },
  [MM_SORT_LIKES] = { "likes", "likes" },
  [MM_SORT_TRENDING] = { "trending", "trendingScore" },
  [MM_SORT_UPDATED] = { "updated", "lastModified" },
  [MM_SORT_CREATED] = { "created", "createdAt" },
};

/**
 * mm_sort_to_api:
 * Returns: the Hub's `sort=` key for @sort
 */
const char *
mm_sort_to_api (MmSort sort)
{
  g_return_val_if_fail (sort <= MM_SORT_CREATED, "downloads");
  return sorts[sort].api;
}

/**
 * mm_sort_from_string:
 * @name: a short name (`downloads`, `likes`, `trending`, `updated`, `created`)
 *   or a Hub key (`trendingScore`, …)
 * @sort: (out): the sort order
 *
 * Returns: whether @name is known
 */
gboolean
mm_sort_from_string (const char *name,
                     MmSort     *sort)
{
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      if (g_strcmp0 (name, sorts[i].name) == 0 || g_strcmp0 (name, sorts[i].api) == 0)
        {
          *sort = (MmSort) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * mm_fit_to_string:
 * Returns: a stable machine name for @fit (`fits`, `tight`, `too-large`, `unknown`)
 */
const char *
mm_fit_to_string (MmFit fit)
{
  switch (fit)
    {
    case MM_FIT_FITS:
      return "fits";
    case MM_FIT_TIGHT:
      return "tight";
    case MM_FIT_TOO_LARGE:
      return "too-large";
    case MM_FIT_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * mm_gated_to_string:
 * Returns: `false`, `auto` or `manual`, as the Hub spells it
 */
const char *
mm_gated_to_string (MmGated gated)
{
  switch (gated)
    {
    case MM_GATED_AUTO:
      return "auto";
    case MM_GATED_MANUAL:
      return "manual";
    case MM_GATED_NO:
    default:
      return "false";
    }
}

/**
 * mm_gpu_kind_to_string:
 * Returns: a stable machine name for @kind (`none`, `dedicated`, `unified`)
 */
const char *
mm_gpu_kind_to_string (MmGpuKind kind)
{
  switch (kind)
    {
    case MM_GPU_KIND_DEDICATED:
      return "dedicated";
    case MM_GPU_KIND_UNIFIED:
      return "unified";
    case MM_GPU_KIND_NONE:
    default:
      return "none";
    }
}

/**
 * mm_placement_to_string:
 * Returns: a stable machine name for @placement (`gpu`, `partial`, `cpu`,
 *   `too-large`, `unknown`)
 */
const char *
mm_placement_to_string (MmPlacement placement)
{
  switch (placement)
    {
    case MM_PLACEMENT_GPU:
      return "gpu";
    case MM_PLACEMENT_PARTIAL:
      return "partial";
    case MM_PLACEMENT_CPU:
      return "cpu";
    case MM_PLACEMENT_TOO_LARGE:
      return "too-large";
    case MM_PLACEMENT_UNKNOWN:
    default:
      return "unknown";
    }
}
