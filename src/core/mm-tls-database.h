/* mm-tls-database.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: thread-safe, as the database it wraps.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_TYPE_TLS_DATABASE (mm_tls_database_get_type ())

G_DECLARE_FINAL_TYPE (MmTlsDatabase, mm_tls_database, MM, TLS_DATABASE, GTlsDatabase)

void mm_tls_database_install (void);

G_END_DECLS
