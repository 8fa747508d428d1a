/* mm-machine-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-machine.h"

G_BEGIN_DECLS

guint64           _mm_machine_choose_context      (MmMachine            *self,
                                                   const MmModelShape   *shape);
void              _mm_machine_get_memory          (MmMachine            *self,
                                                   MmMachineMemory      *memory);
void              _mm_machine_set_hardware        (MmMachine            *self,
                                                   guint64               ram,
                                                   GPtrArray            *gpus);

G_END_DECLS
