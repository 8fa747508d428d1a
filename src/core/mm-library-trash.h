/* mm-library-trash.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: the _async functions may be called from any thread with a
 * thread-default main context; they complete there. Do not run an undo
 * and a commit of the same MmLibraryTrash at the same time.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The hidden folder, inside a library folder, that holds files deleted
 * until the person can no longer undo. */
#define MM_LIBRARY_TRASH_FOLDER ".trash-mm"

typedef struct _MmLibraryTrash MmLibraryTrash;

#define MM_TYPE_LIBRARY_TRASH (mm_library_trash_get_type ())

GType           mm_library_trash_get_type          (void) G_GNUC_CONST;
MmLibraryTrash *mm_library_trash_ref               (MmLibraryTrash       *self);
void            mm_library_trash_unref             (MmLibraryTrash       *self);

gboolean        mm_library_trash_get_can_undo      (MmLibraryTrash       *self);

void            mm_library_trash_files_async       (const char           *root,
                                                    const char * const   *paths,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
MmLibraryTrash *mm_library_trash_files_finish      (GAsyncResult         *result,
                                                    GError              **error);

void            mm_library_trash_undo_async        (MmLibraryTrash       *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        mm_library_trash_undo_finish       (MmLibraryTrash       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void            mm_library_trash_commit_async      (MmLibraryTrash       *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        mm_library_trash_commit_finish     (MmLibraryTrash       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmLibraryTrash, mm_library_trash_unref)

G_END_DECLS
