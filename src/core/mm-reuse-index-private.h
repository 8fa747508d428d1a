/* mm-reuse-index-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-reuse-index.h"

G_BEGIN_DECLS

MmReuseIndex *_mm_reuse_index_new                (void);
void          _mm_reuse_index_forget             (MmReuseIndex       *self,
                                                  const char         *path);
void          _mm_reuse_index_set_enabled        (MmReuseIndex       *self,
                                                  gboolean            enabled);
void          _mm_reuse_index_set_hf_cache_dirs  (MmReuseIndex       *self,
                                                  const char * const *dirs);
void          _mm_reuse_index_set_state_file     (MmReuseIndex       *self,
                                                  const char         *state_file);

G_END_DECLS
