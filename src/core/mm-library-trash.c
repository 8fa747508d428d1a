/* mm-library-trash.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deleting a model with Undo. Restoring a file from the desktop's trash
 * needs the trash:// backend of gvfs and a search of the trash for the
 * right .trashinfo, which is fiddly and missing in a sandbox or a plain
 * session. So a delete happens in two steps:
 *
 *  1. mm_library_trash_files_async() renames the files into a hidden
 *     `.trash-mm/<pid>-<time>/` folder inside their library folder (the
 *     same file system, so it is instant and cannot fail half-way for want
 *     of space). The library ignores hidden folders, so the model is gone
 *     from the list at once. mm_library_trash_undo_async() renames them back.
 *  2. When the Undo toast is dismissed, mm_library_trash_commit_async()
 *     puts each file back where it was and at once moves it to the
 *     desktop's trash with g_file_trash(), so the trash remembers the real
 *     place and the person can still restore it from there. Where the file
 *     system has no trash, the file is deleted.
 *
 * When the folders cannot be renamed into (another file system below the
 * library folder), the files go to the desktop's trash at once and
 * mm_library_trash_get_can_undo() is %FALSE.
 *
 * If the program ends between the steps, the files stay in `.trash-mm`;
 * the next scan of that folder by any process (see
 * _mm_library_trash_clean_leftovers()) finishes step 2 for folders whose
 * process is gone.
 */
#define G_LOG_DOMAIN "mm-library-trash"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mm-library-trash-private.h"

struct _MmLibraryTrash
{
  char *root;
  char *stash;              /* (nullable): the folder in .trash-mm */
  GPtrArray *originals;     /* (element-type utf8) */
  GPtrArray *stashed;       /* (element-type utf8): where each one is now */
  int done;                 /* (atomic): undone or committed */
};

G_DEFINE_BOXED_TYPE (MmLibraryTrash, mm_library_trash,
                     mm_library_trash_ref, mm_library_trash_unref)

static void
library_trash_clear (MmLibraryTrash *self)
{
  g_free (self->root);
  g_free (self->stash);
  g_ptr_array_unref (self->originals);
  g_ptr_array_unref (self->stashed);
}

/* Moves @file to the desktop's trash, or deletes it where there is none. */
static gboolean
trash_or_delete (GFile         *file,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_trash (file, cancellable, &local_error))
    return TRUE;

  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_file_delete (file, cancellable, error);
}

/* Removes @dir and the folders in it when they hold no files. */
static void
remove_empty_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
          remove_empty_tree (child);
    }

  g_file_delete (dir, NULL, NULL);
}

/* Removes the now empty folders above @path, up to (not including) @root. */
static void
remove_empty_parents (const char *root,
                      const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  while (g_str_has_prefix (dir, root) && strlen (dir) > strlen (root) &&
         dir[strlen (root)] == G_DIR_SEPARATOR)
    {
      char *parent;

      if (g_rmdir (dir) != 0)
        break;
      parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
}

static gboolean
move_no_copy (const char    *from,
              const char    *to,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_make_directory_with_parents (parent, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Never copy: a model is many gigabytes, and a copy could fill the disk. */
  return g_file_move (source, destination,
                      G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                      cancellable, NULL, NULL, error);
}

static void
trash_files_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  MmLibraryTrash *self = task_data;
  g_autoptr(GError) error = NULL;
  guint moved = 0;

  for (; moved < self->originals->len; moved++)
    {
      const char *original = g_ptr_array_index (self->originals, moved);
      const char *relative = original + strlen (self->root) + 1;
      g_autofree char *stashed = g_build_filename (self->stash, relative, NULL);

      if (!move_no_copy (original, stashed, cancellable, &error))
        break;
      g_ptr_array_add (self->stashed, g_steal_pointer (&stashed));
    }

  if (error == NULL)
    {
      g_task_return_pointer (task, mm_library_trash_ref (self),
                             (GDestroyNotify) mm_library_trash_unref);
      return;
    }

  /* Put back what was moved, so that the model stays whole. */
  for (guint i = 0; i < self->stashed->len; i++)
    move_no_copy (g_ptr_array_index (self->stashed, i),
                  g_ptr_array_index (self->originals, i), NULL, NULL);
  g_ptr_array_set_size (self->stashed, 0);
  {
    g_autoptr(GFile) stash = g_file_new_for_path (self->stash);
    remove_empty_tree (stash);
  }

  if (moved == 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      /* Another file system below the library folder: no undo. */
      g_clear_error (&error);
      g_clear_pointer (&self->stash, g_free);
      for (guint i = 0; i < self->originals->len; i++)
        {
          const char *original = g_ptr_array_index (self->originals, i);
          g_autoptr(GFile) file = g_file_new_for_path (original);

          if (!trash_or_delete (file, cancellable, &error))
            break;
          g_ptr_array_add (self->stashed, NULL);
          remove_empty_parents (self->root, original);
        }
      if (error == NULL)
        {
          g_task_return_pointer (task, mm_library_trash_ref (self),
                                 (GDestroyNotify) mm_library_trash_unref);
          return;
        }
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (self->originals, moved));

      /* Translators: %s is a file name */
      g_prefix_error (&error, _("“%s” could not be moved to the trash: "), name);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * mm_library_trash_files_async:
 * @root: the library folder that holds every one of @paths
 * @paths: absolute paths of files below @root
 * @cancellable: (nullable): cancels before the files are moved
 *
 * Moves @paths aside so that an undo can bring them back (see the file's
 * opening comment). When one file cannot be moved, the others are put back
 * and the call fails.
 */
void
mm_library_trash_files_async (const char          *root,
                              const char * const  *paths,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MmLibraryTrash *self;
  g_autofree char *name = NULL;

  g_return_if_fail (root != NULL && g_path_is_absolute (root));
  g_return_if_fail (paths != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_trash_files_async);

  self = g_rc_box_new0 (MmLibraryTrash);
  self->root = g_canonicalize_filename (root, NULL);
  self->originals = g_ptr_array_new_with_free_func (g_free);
  self->stashed = g_ptr_array_new_with_free_func (g_free);
  name = g_strdup_printf ("%ld-%" G_GINT64_FORMAT, (long) getpid (), g_get_real_time ());
  self->stash = g_build_filename (self->root, MM_LIBRARY_TRASH_FOLDER, name, NULL);
  g_task_set_task_data (task, self, (GDestroyNotify) mm_library_trash_unref);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (paths[i], NULL);

      if (!g_str_has_prefix (path, self->root) ||
          path[strlen (self->root)] != G_DIR_SEPARATOR)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("“%s” is not in the library folder “%s”."),
                                   path, self->root);
          return;
        }
      g_ptr_array_add (self->originals, g_steal_pointer (&path));
    }

  g_task_run_in_thread (task, trash_files_thread);
}

/**
 * mm_library_trash_files_finish:
 *
 * Returns: (transfer full): what to undo or commit, or %NULL with @error set
 */
MmLibraryTrash *
mm_library_trash_files_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_trash_files_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MmLibraryTrash *
mm_library_trash_ref (MmLibraryTrash *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
mm_library_trash_unref (MmLibraryTrash *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, (GDestroyNotify) library_trash_clear);
}

guint
_mm_library_trash_get_n_files (MmLibraryTrash *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->originals->len;
}

/**
 * _mm_library_trash_get_original_path:
 *
 * Returns: where the file at @index was before it was deleted
 */
const char *
_mm_library_trash_get_original_path (MmLibraryTrash *self,
                                     guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->originals->len, NULL);

  return g_ptr_array_index (self->originals, index);
}

/**
 * mm_library_trash_get_can_undo:
 *
 * Returns: whether the files are still aside and an undo can bring them back
 */
gboolean
mm_library_trash_get_can_undo (MmLibraryTrash *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return !g_atomic_int_get (&self->done) && self->stash != NULL &&
         self->stashed->len == self->originals->len;
}

static void
undo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MmLibraryTrash *self = task_data;
  g_autoptr(GFile) stash = g_file_new_for_path (self->stash);

  for (guint i = 0; i < self->originals->len; i++)
    {
      const char *original = g_ptr_array_index (self->originals, i);
      g_autoptr(GError) error = NULL;

      if (g_file_test (original, G_FILE_TEST_EXISTS))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                                   _("“%s” cannot be restored: a file of that name is "
                                     "there now."), original);
          return;
        }
      if (!move_no_copy (g_ptr_array_index (self->stashed, i), original, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  remove_empty_tree (stash);
  g_atomic_int_set (&self->done, TRUE);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_library_trash_undo_async:
 * @cancellable: (nullable): cancels between files
 *
 * Puts the files back where they were. Fails with %G_IO_ERROR_EXISTS
 * when a file of the same name appeared there meanwhile, and with
 * %G_IO_ERROR_NOT_SUPPORTED when mm_library_trash_get_can_undo() is %FALSE
 * (the files went to the desktop's trash, or were restored already).
 */
void
mm_library_trash_undo_async (MmLibraryTrash      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_trash_undo_async);
  g_task_set_task_data (task, mm_library_trash_ref (self),
                        (GDestroyNotify) mm_library_trash_unref);

  if (!mm_library_trash_get_can_undo (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The files are no longer set aside; restore them from "
                                 "the trash."));
      return;
    }

  g_task_run_in_thread (task, undo_thread);
}

gboolean
mm_library_trash_undo_finish (MmLibraryTrash  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_trash_undo_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
commit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  MmLibraryTrash *self = task_data;
  g_autoptr(GFile) stash = g_file_new_for_path (self->stash);

  for (guint i = 0; i < self->originals->len; i++)
    {
      const char *original = g_ptr_array_index (self->originals, i);
      const char *stashed = g_ptr_array_index (self->stashed, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) file = NULL;

      /* Trash it from where it was, so the trash can restore it there. */
      if (!g_file_test (original, G_FILE_TEST_EXISTS) &&
          move_no_copy (stashed, original, cancellable, NULL))
        file = g_file_new_for_path (original);
      else
        file = g_file_new_for_path (stashed);

      if (!trash_or_delete (file, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      remove_empty_parents (self->root, original);
    }

  remove_empty_tree (stash);
  {
    g_autofree char *folder = g_build_filename (self->root, MM_LIBRARY_TRASH_FOLDER, NULL);
    g_rmdir (folder);
  }
  g_atomic_int_set (&self->done, TRUE);
  g_task_return_boolean (task, TRUE);
}

/**
 * mm_library_trash_commit_async:
 * @cancellable: (nullable): cancels between files
 *
 * Moves the files to the desktop's trash for good (deletes them where the
 * file system has no trash) and removes the folders they leave empty. Call
 * it when the chance to undo is over. Does nothing when the files went to
 * the trash already.
 */
void
mm_library_trash_commit_async (MmLibraryTrash      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_trash_commit_async);
  g_task_set_task_data (task, mm_library_trash_ref (self),
                        (GDestroyNotify) mm_library_trash_unref);

  if (!mm_library_trash_get_can_undo (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_task_run_in_thread (task, commit_thread);
}

gboolean
mm_library_trash_commit_finish (MmLibraryTrash  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_trash_commit_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Trashes every file below @dir, a folder in @stash, from the place in
 * @root it was deleted from when that is free. */
static void
trash_tree (const char   *root,
            GFile        *stash,
            GFile        *dir,
            GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (children == NULL)
    return;

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    {
      g_autofree char *relative = NULL;
      g_autofree char *original = NULL;
      g_autoptr(GFile) file = NULL;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          trash_tree (root, stash, child, cancellable);
          continue;
        }

      relative = g_file_get_relative_path (stash, child);
      original = g_build_filename (root, relative, NULL);
      if (!g_file_test (original, G_FILE_TEST_EXISTS) &&
          move_no_copy (g_file_peek_path (child), original, cancellable, NULL))
        file = g_file_new_for_path (original);
      else
        file = g_object_ref (child);

      if (!trash_or_delete (file, cancellable, NULL))
        g_debug ("Could not trash the leftover %s", g_file_peek_path (file));
      remove_empty_parents (root, original);
    }
}

/*
 * _mm_library_trash_clean_leftovers:
 * @root: a library folder
 *
 * Finishes deletes that a process which has ended left in @root's
 * `.trash-mm` folder. Blocks: call it from a worker thread.
 */
void
_mm_library_trash_clean_leftovers (const char   *root,
                                   GCancellable *cancellable)
{
  g_autofree char *folder = g_build_filename (root, MM_LIBRARY_TRASH_FOLDER, NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GFile) stash = NULL;
      char *end = NULL;
      long pid = strtol (name, &end, 10);

      if (end == name || *end != '-' || pid <= 0)
        continue;
      /* A process that still runs may yet undo. */
      if (pid == (long) getpid () || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;

      path = g_build_filename (folder, name, NULL);
      stash = g_file_new_for_path (path);
      trash_tree (root, stash, stash, cancellable);
      remove_empty_tree (stash);
    }

  g_rmdir (folder);
}
