/* mm-token-chain-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the core and the tests only: not part of what the app may call.
 */
#pragma once

#include "mm-token-chain.h"

G_BEGIN_DECLS

char         *_mm_token_chain_dup_file_path      (void);
char         *_mm_token_chain_dup_key            (MmTokenChain         *self);

G_END_DECLS
