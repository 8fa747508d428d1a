/* mm-gpu.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions; the detection blocks (files, a library load),
 * so call it from a worker thread in an application.
 */
#pragma once

#include <glib-object.h>

#include "mm-types.h"

G_BEGIN_DECLS

/* What _mm_gpu_detect() uses when given NULL. */
#define MM_GPU_DEFAULT_SYSFS_ROOT   "/sys"
#define MM_GPU_DEFAULT_NVML_LIBRARY "libnvidia-ml.so.1"

/**
 * MmGpu:
 * @name: what to call it: the product name when the system gives one
 *   ("NVIDIA GeForce RTX 4090"), else the vendor ("AMD", "Intel")
 * @source: where it was found: "nvml" or the sysfs card ("card1")
 * @kind: %MM_GPU_KIND_DEDICATED or %MM_GPU_KIND_UNIFIED
 * @memory: bytes of its own memory; 0 for a GPU that shares the RAM
 *
 * One GPU of this computer.
 */
typedef struct {
  char *name;
  char *source;
  MmGpuKind kind;
  guint64 memory;
} MmGpu;

#define MM_TYPE_GPU (mm_gpu_get_type ())

GType      mm_gpu_get_type      (void) G_GNUC_CONST;
MmGpu     *mm_gpu_copy          (const MmGpu *self);
void       mm_gpu_free          (MmGpu       *self);

GPtrArray *mm_gpu_detect_default (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmGpu, mm_gpu_free)

G_END_DECLS
