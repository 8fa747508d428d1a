/* mm-file-hash.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: every function may run in any thread; an MmHasher belongs to
 * one thread at a time.
 */
#pragma once

#include <gio/gio.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

G_BEGIN_DECLS

/**
 * MmHasher:
 *
 * A running SHA-256 of some bytes, and with it Git's blob SHA-1 (the
 * "oid" of a file that is not in LFS) when asked for. A plain struct: it
 * may be copied to keep the state reached so far.
 */
typedef struct {
  struct sha256_ctx sha256;
  struct sha1_ctx git_sha1;
  gboolean use_git_sha1;
} MmHasher;

/**
 * MmFileHashProgress:
 * @bytes: bytes hashed so far
 * @user_data: the data given with the function
 *
 * Called from the thread that hashes, after each chunk of a few MiB.
 */
typedef void (*MmFileHashProgress) (guint64  bytes,
                                    gpointer user_data);

void      mm_hasher_init        (MmHasher            *self,
                                 gboolean             git_sha1,
                                 guint64              size);
void      mm_hasher_update      (MmHasher            *self,
                                 const guint8        *data,
                                 gsize                len);
char     *mm_hasher_sha256      (MmHasher            *self);
char     *mm_hasher_git_sha1    (MmHasher            *self);

gboolean  mm_file_hash_fd       (int                  fd,
                                 const char          *path,
                                 MmHasher            *hasher,
                                 guint64             *bytes,
                                 MmFileHashProgress   progress,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error);
char     *mm_file_hash_sha256   (const char          *path,
                                 MmFileHashProgress   progress,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error);

G_END_DECLS
