/* mm-quant-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-hub-client.h"
#include "mm-quant.h"

G_BEGIN_DECLS

double       _mm_gguf_quant_bits_per_weight (const char  *quant);

void         _mm_quant_set_source           (MmQuant      *self,
                                             MmHubClient  *client,
                                             MmModel      *model,
                                             GCancellable *cancellable);
void         _mm_quant_set_header           (MmQuant      *self,
                                             MmGgufInfo   *info);

G_END_DECLS
