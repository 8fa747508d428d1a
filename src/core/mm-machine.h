/* mm-machine.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: use an MmMachine from the thread that made it; the detection
 * runs in a worker thread and reports on that thread's main context.
 */
#pragma once

#include <gio/gio.h>

#include "mm-gpu.h"
#include "mm-memory-estimate.h"
#include "mm-settings.h"

G_BEGIN_DECLS

#define MM_TYPE_MACHINE (mm_machine_get_type ())

G_DECLARE_FINAL_TYPE (MmMachine, mm_machine, MM, MACHINE, GObject)

MmMachine        *mm_machine_new                 (MmSettings           *settings);
MmSettings       *mm_machine_get_settings        (MmMachine            *self);

void              mm_machine_detect_async        (MmMachine            *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          mm_machine_detect_finish       (MmMachine            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void              mm_machine_detect_sync         (MmMachine            *self);

gboolean          mm_machine_get_detected        (MmMachine            *self);
guint64           mm_machine_get_ram             (MmMachine            *self);
GPtrArray        *mm_machine_get_gpus            (MmMachine            *self);
MmGpuKind         mm_machine_get_gpu_kind        (MmMachine            *self);
guint64           mm_machine_get_gpu_memory      (MmMachine            *self);
guint64           mm_machine_get_context         (MmMachine            *self);
guint64           mm_machine_get_ram_budget      (MmMachine            *self);
char             *mm_machine_dup_gpu_description (MmMachine            *self);

MmMemoryEstimate *mm_machine_estimate            (MmMachine            *self,
                                                  guint64               weights,
                                                  const MmModelShape   *shape);
gint              mm_machine_recommend           (MmMachine            *self,
                                                  GPtrArray            *quants,
                                                  const MmModelShape   *shape);

G_END_DECLS
