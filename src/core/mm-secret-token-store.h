/* mm-secret-token-store.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: use from one thread; libsecret calls back on the thread-default
 * main context of the call.
 */
#pragma once

#include "mm-token-store.h"

G_BEGIN_DECLS

#define MM_TYPE_SECRET_TOKEN_STORE (mm_secret_token_store_get_type ())

G_DECLARE_FINAL_TYPE (MmSecretTokenStore, mm_secret_token_store, MM, SECRET_TOKEN_STORE, GObject)

#define MM_SECRET_TOKEN_SCHEMA_NAME "io.github.modelmanager.ModelManager.Token"

MmSecretTokenStore *mm_secret_token_store_new (void);

G_END_DECLS
