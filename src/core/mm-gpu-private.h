/* mm-gpu-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-gpu.h"

G_BEGIN_DECLS

GPtrArray *_mm_gpu_detect        (const char  *sysfs_root,
                                  const char  *nvml_library);
GPtrArray *_mm_gpu_detect_nvml   (const char  *library);
GPtrArray *_mm_gpu_detect_sysfs  (const char  *sysfs_root);

MmGpu     *_mm_gpu_new           (const char  *name,
                                  const char  *source,
                                  MmGpuKind    kind,
                                  guint64      memory);

G_END_DECLS
