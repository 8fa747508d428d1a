/* mm-file-clone.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Making a second copy of a file that is already on disk, as cheaply as the
 * file systems allow: a reflink (the blocks are shared until one copy is
 * written), else a hard link, else a copy of the bytes. The SHA-256 of what
 * ends up at the destination is computed on the way, so the caller can
 * verify it as it would a download.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MmCloneMethod:
 * @MM_CLONE_METHOD_NONE: nothing was made
 * @MM_CLONE_METHOD_REFLINK: a reflink (ioctl FICLONE): no bytes copied, the
 *   two files share their blocks until one is written
 * @MM_CLONE_METHOD_HARDLINK: a hard link: one file with two names
 * @MM_CLONE_METHOD_COPY: the bytes were copied
 */
typedef enum {
  MM_CLONE_METHOD_NONE,
  MM_CLONE_METHOD_REFLINK,
  MM_CLONE_METHOD_HARDLINK,
  MM_CLONE_METHOD_COPY,
} MmCloneMethod;

/**
 * MmCloneFlags:
 * @MM_CLONE_FLAGS_NONE: reflink, else hard link, else copy
 * @MM_CLONE_FLAGS_NO_HARDLINK: never a hard link (the two names must stay
 *   independent files)
 */
typedef enum {
  MM_CLONE_FLAGS_NONE = 0,
  MM_CLONE_FLAGS_NO_HARDLINK = 1 << 0,
} MmCloneFlags;

/**
 * MmCloneProgressFunc:
 * @bytes: bytes of the destination copied or hashed so far
 * @hashing: %TRUE while the destination is read back for its SHA-256
 *
 * Called from the thread that clones, at most every few MiB.
 */
typedef void (*MmCloneProgressFunc) (guint64  bytes,
                                     gboolean hashing,
                                     gpointer user_data);

gboolean     mm_file_clone             (const char           *source,
                                        const char           *destination,
                                        MmCloneFlags          flags,
                                        MmCloneMethod        *method,
                                        char                **sha256,
                                        MmCloneProgressFunc   progress,
                                        gpointer              user_data,
                                        GCancellable         *cancellable,
                                        GError              **error);

const char  *mm_clone_method_to_string (MmCloneMethod         method);

/* For tests: make the next reflinks and/or hard links fail as they do on
 * file systems without them. MM_TEST_CLONE_FAIL=reflink,hardlink does the
 * same for other processes. */

G_END_DECLS
