/* mm-types.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MmSort:
 * @MM_SORT_DOWNLOADS: most downloads first (the Hub's `downloads`)
 * @MM_SORT_LIKES: most likes first (`likes`)
 * @MM_SORT_TRENDING: trending first (`trendingScore`)
 * @MM_SORT_UPDATED: recently updated first (`lastModified`)
 * @MM_SORT_CREATED: newest first (`createdAt`)
 */
typedef enum {
  MM_SORT_DOWNLOADS,
  MM_SORT_LIKES,
  MM_SORT_TRENDING,
  MM_SORT_UPDATED,
  MM_SORT_CREATED,
} MmSort;

/**
 * MmGated:
 * @MM_GATED_NO: anyone may download
 * @MM_GATED_AUTO: access is granted on request
 * @MM_GATED_MANUAL: the author approves each request
 */
typedef enum {
  MM_GATED_NO,
  MM_GATED_AUTO,
  MM_GATED_MANUAL,
} MmGated;

/**
 * MmFit:
 * @MM_FIT_UNKNOWN: the size or the machine's memory is unknown
 * @MM_FIT_FITS: comfortably fits in this machine's memory
 * @MM_FIT_TIGHT: fits only with little memory to spare
 * @MM_FIT_TOO_LARGE: does not fit in this machine's memory
 */
typedef enum {
  MM_FIT_UNKNOWN,
  MM_FIT_FITS,
  MM_FIT_TIGHT,
  MM_FIT_TOO_LARGE,
} MmFit;

/**
 * MmQuantKind:
 * @MM_QUANT_KIND_MODEL: the model's weights
 * @MM_QUANT_KIND_PROJECTOR: a vision/audio projector (`mmproj`), used next to a model
 */
typedef enum {
  MM_QUANT_KIND_MODEL,
  MM_QUANT_KIND_PROJECTOR,
} MmQuantKind;

/**
 * MmGpuKind:
 * @MM_GPU_KIND_NONE: no GPU whose memory is known
 * @MM_GPU_KIND_DEDICATED: a graphics card with memory of its own (VRAM)
 * @MM_GPU_KIND_UNIFIED: a GPU that shares the computer's RAM (integrated
 *   graphics, Apple-style unified memory)
 */
typedef enum {
  MM_GPU_KIND_NONE,
  MM_GPU_KIND_DEDICATED,
  MM_GPU_KIND_UNIFIED,
} MmGpuKind;

/**
 * MmPlacement:
 * @MM_PLACEMENT_UNKNOWN: not estimated (size or memory unknown)
 * @MM_PLACEMENT_GPU: every layer fits in GPU memory
 * @MM_PLACEMENT_PARTIAL: some layers fit in GPU memory, the rest in RAM
 * @MM_PLACEMENT_CPU: runs from RAM on the processor only
 * @MM_PLACEMENT_TOO_LARGE: does not fit in this computer's memory
 *
 * Where a model would run on this computer, best first.
 */
typedef enum {
  MM_PLACEMENT_UNKNOWN,
  MM_PLACEMENT_GPU,
  MM_PLACEMENT_PARTIAL,
  MM_PLACEMENT_CPU,
  MM_PLACEMENT_TOO_LARGE,
} MmPlacement;

const char *mm_sort_to_api        (MmSort       sort);
gboolean    mm_sort_from_string   (const char  *name,
                                   MmSort      *sort);
const char *mm_fit_to_string      (MmFit        fit);
const char *mm_gated_to_string    (MmGated      gated);
const char *mm_gpu_kind_to_string (MmGpuKind    kind);
const char *mm_placement_to_string (MmPlacement placement);

G_END_DECLS
