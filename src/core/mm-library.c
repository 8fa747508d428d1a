/* mm-library.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models on disk, as a GListModel of MmLibraryEntry sorted by repo.
 *
 * Layout. The download manager writes DIR/<owner>/<repo>/<path>, and
 * LM Studio uses the same two levels, so a .gguf file two or more folders
 * below a library folder belongs to the repo `<owner>/<repo>` (when that
 * is a valid repo id). Any other .gguf file is "loose" and grouped by the
 * folder it is in. In a folder, the parts of a split set
 * ("-00001-of-00003.gguf") make one entry; every other file is one entry.
 * Partial downloads (`.gguf.part` and their `.part.json`) do not end in
 * `.gguf` and are not models. Hidden files and folders (such as the
 * `.trash-mm` folder deletes go to, see mm-library-trash.c) are skipped,
 * and so are symbolic links to folders, which could make loops; symbolic
 * links to files count (the Hub's own cache is made of them).
 *
 * Scanning only lists folders and reads file sizes and times, in a worker
 * thread, with a GCancellable: a new scan cancels the one in flight. The
 * result is merged into the list: an entry whose files have not changed
 * stays the same object (so the GGUF facts it read stay), and items-changed
 * is emitted for each entry that came, went or changed, never for the
 * whole list (see gnome-text-editor's editor-search-model.c on why).
 *
 * A library folder inside another one is left out of the other's scan:
 * its models belong to it, with repo ids from its own layout.
 *
 * A library folder that does not exist (an unplugged disk, LM Studio not
 * installed yet) lists nothing and is named in :missing-folders, so that
 * the app can say so; it is watched for its creation.
 *
 * The Hugging Face cache (mm_library_set_hf_cache_folder(), see
 * mm-hf-cache.c) is read by its own layout: each `models--org--name`
 * folder is the repo `org/name`, each `snapshots/<commit>` folder holds its
 * files as links into `blobs/`, grouped as in a library folder. Its
 * entries say they live there, and what is wrong with them when something
 * is: a link whose blob is gone, an empty blob, a folder that cannot be
 * read. A broken cache is listed, never fatal.
 *
 * Watching. GFileMonitor is not recursive, so every folder the scan saw
 * gets its own monitor. Any creation, deletion or move in them schedules a
 * new scan 300 ms later, pushed back by each further event, so a copy that
 * writes many times or a download that renames its parts costs one scan.
 * Writes to partial downloads are ignored.
 */
#define G_LOG_DOMAIN "mm-library"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-hf-cache.h"
#include "mm-library-entry-private.h"
#include "mm-library-trash-private.h"
#include "mm-library-private.h"
#include "mm-path.h"
#include "mm-quant.h"

#define RESCAN_DELAY_MS 300
/* How deep below a library folder files are looked for. */
#define MAX_DEPTH 8

struct _MmLibrary
{
  GObject parent_instance;

  GPtrArray *folders;             /* (element-type filename), %NULL-terminated */
  char *hf_cache;                 /* (nullable): the Hugging Face cache to list */
  GPtrArray *entries;             /* (element-type MmLibraryEntry), sorted */
  GStrv missing;                  /* (owned): folders the last scan did not find */
  GHashTable *monitors;           /* folder path → GFileMonitor */
  GCancellable *scan_cancellable; /* (nullable): the scan in flight */
  guint rescan_id;
  guint64 total_size;
  gboolean loading;
};

static void mm_library_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmLibrary, mm_library, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      mm_library_list_model_init))

typedef enum {
  PROP_0,
  PROP_LOADING,
  PROP_TOTAL_SIZE,
  PROP_N_ITEMS,
  PROP_FOLDERS,
  PROP_MISSING_FOLDERS,
  PROP_HF_CACHE_FOLDER,
  N_PROPS,
} MmLibraryProperty;

static GParamSpec *properties[N_PROPS];

/* Scanning, in the worker thread */

typedef struct {
  char *root;
  char *folder;
  char *repo_id;            /* (nullable) */
  char *group;
  GPtrArray *files;         /* (element-type MmLibraryFile) */
  guint split_count;
  gboolean in_hf_cache;
  GString *problem;         /* (nullable): what is wrong, in the cache */
} Group;

static void
group_free (Group *group)
{
  g_free (group->root);
  g_free (group->folder);
  g_free (group->repo_id);
  g_free (group->group);
  g_clear_pointer (&group->files, g_ptr_array_unref);
  if (group->problem != NULL)
    g_string_free (group->problem, TRUE);
  g_free (group);
}

typedef struct {
  const char * const *roots; /* the library folders */
  GHashTable *groups;       /* "folder\ngroup" → Group */
  GHashTable *seen;         /* paths of files already found */
  GPtrArray *dirs;          /* (element-type filename): folders to watch */
} Scan;

typedef struct {
  GPtrArray *entries;       /* (element-type MmLibraryEntry), sorted */
  GPtrArray *dirs;          /* (element-type filename) */
  GStrvBuilder *missing;    /* library folders that are not folders */
} ScanResult;

typedef struct {
  GStrv roots;              /* the library folders */
  char *hf_cache;           /* (nullable) */
} ScanInput;

static void
scan_input_free (ScanInput *input)
{
  g_strfreev (input->roots);
  g_free (input->hf_cache);
  g_free (input);
}

static void
scan_result_free (ScanResult *result)
{
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_pointer (&result->dirs, g_ptr_array_unref);
  g_clear_pointer (&result->missing, g_strv_builder_unref);
  g_free (result);
}

static gboolean
has_suffix_nocase (const char *name,
                   const char *suffix)
{
  gsize len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return len > suffix_len && g_ascii_strcasecmp (name + len - suffix_len, suffix) == 0;
}

static Group *
add_to_group (Scan       *scan,
              const char *root,
              const char *folder,
              const char *repo_id,
              const char *path,
              const char *relative,
              guint64     size,
              gint64      modified)
{
  g_autofree char *prefix = NULL;
  g_autofree char *group_name = NULL;
  g_autofree char *key = NULL;
  MmLibraryFile *file;
  Group *group;
  guint count = 0;

  if (mm_gguf_name_parse_split (relative, &prefix, NULL, &count))
    group_name = g_strdup_printf ("%s\n%u", prefix, count);
  else
    group_name = g_strdup (relative);

  key = g_strconcat (folder, "\n", group_name, NULL);
  group = g_hash_table_lookup (scan->groups, key);
  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->root = g_strdup (root);
      group->folder = g_strdup (folder);
      group->repo_id = g_strdup (repo_id);
      group->group = g_steal_pointer (&group_name);
      group->files = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_library_file_free);
      group->split_count = count;
      g_hash_table_insert (scan->groups, g_steal_pointer (&key), group);
    }

  file = g_new0 (MmLibraryFile, 1);
  file->path = g_strdup (path);
  file->relative_path = g_strdup (relative);
  file->size = size;
  file->modified = modified;
  g_ptr_array_add (group->files, file);
  return group;
}

static void
add_file (Scan       *scan,
          const char *root,
          const char *path,
          guint64     size,
          gint64      modified)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *repo_id = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *relative = NULL;

  parts = g_strsplit (path + strlen (root) + 1, G_DIR_SEPARATOR_S, 3);
  if (g_strv_length (parts) == 3)
    {
      repo_id = g_strconcat (parts[0], "/", parts[1], NULL);
      if (!mm_repo_id_validate (repo_id, NULL))
        g_clear_pointer (&repo_id, g_free);
    }

  if (repo_id != NULL)
    {
      folder = g_build_filename (root, parts[0], parts[1], NULL);
      relative = g_strdup (parts[2]);
    }
  else
    {
      folder = g_path_get_dirname (path);
      relative = g_path_get_basename (path);
    }

  add_to_group (scan, root, folder, repo_id, path, relative, size, modified);
}

static void
walk (Scan         *scan,
      const char   *root,
      GFile        *dir,
      guint         depth,
      GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  GFile *child;

  g_ptr_array_add (scan->dirs, g_file_get_path (dir));

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, &error);
  if (children == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("Cannot list %s: %s", g_file_peek_path (dir), error->message);
      return;
    }

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    {
      g_autoptr(GFileInfo) target = NULL;
      const char *name = g_file_info_get_name (info);
      GFileType type = g_file_info_get_file_type (info);

      if (name[0] == '.')
        continue;

      if (g_file_info_get_is_symlink (info))
        {
          if (!has_suffix_nocase (name, ".gguf"))
            continue;
          target = g_file_query_info (child,
                                      G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                      G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                      G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                      G_FILE_QUERY_INFO_NONE, cancellable, NULL);
          if (target == NULL || g_file_info_get_file_type (target) != G_FILE_TYPE_REGULAR)
            continue;
          info = target;
          type = G_FILE_TYPE_REGULAR;
        }

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          /* A library folder inside another one is scanned as itself,
           * so that its models keep its layout and say it is theirs. */
          if (depth < MAX_DEPTH &&
              !g_strv_contains (scan->roots, g_file_peek_path (child)))
            walk (scan, root, child, depth + 1, cancellable);
        }
      else if (type == G_FILE_TYPE_REGULAR && has_suffix_nocase (name, ".gguf"))
        {
          g_autofree char *path = g_file_get_path (child);

          if (!g_hash_table_add (scan->seen, g_strdup (path)))
            continue;
          add_file (scan, root, path, (guint64) g_file_info_get_size (info),
                    (gint64) g_file_info_get_attribute_uint64 (info,
                                                               G_FILE_ATTRIBUTE_TIME_MODIFIED));
        }
    }
}

/* The Hugging Face cache */

static void
add_problem (Group      *group,
             const char *problem)
{
  if (group->problem == NULL)
    group->problem = g_string_new (problem);
  else if (strstr (group->problem->str, problem) == NULL)
    g_string_append_printf (group->problem, " %s", problem);
}

/* A folder of the cache that cannot be read is listed as an entry of its
 * own that says so. */
static void
add_unreadable (Scan         *scan,
                const char   *cache,
                const char   *repo_id,
                GFile        *dir,
                const GError *error)
{
  g_autofree char *name = g_path_get_basename (g_file_peek_path (dir));
  g_autofree char *folder = g_path_get_dirname (g_file_peek_path (dir));
  g_autofree char *problem = NULL;
  Group *group;

  group = add_to_group (scan, cache, folder, repo_id, g_file_peek_path (dir), name, 0, 0);
  group->in_hf_cache = TRUE;
  /* Translators: %s says why, e.g. "Permission denied" */
  problem = g_strdup_printf (_("This folder of the Hugging Face cache cannot be read: %s"),
                             error->message);
  add_problem (group, problem);
}

static void
walk_snapshot (Scan         *scan,
               const char   *cache,
               const char   *repo_id,
               GFile        *snapshot,
               GFile        *dir,
               guint         depth,
               GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  GFile *child;

  g_ptr_array_add (scan->dirs, g_file_get_path (dir));

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                                        G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, &error);
  if (children == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_unreadable (scan, cache, repo_id, dir, error);
      return;
    }

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    {
      g_autoptr(GFileInfo) target = NULL;
      g_autoptr(GError) target_error = NULL;
      g_autofree char *relative = NULL;
      g_autofree char *path = NULL;
      const char *name = g_file_info_get_name (info);
      const char *problem = NULL;
      GFileType type = g_file_info_get_file_type (info);
      Group *group;

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          if (depth < MAX_DEPTH)
            walk_snapshot (scan, cache, repo_id, snapshot, child, depth + 1, cancellable);
          continue;
        }
      if (!has_suffix_nocase (name, ".gguf"))
        continue;

      path = g_file_get_path (child);
      relative = g_file_get_relative_path (snapshot, child);
      if (g_file_info_get_is_symlink (info))
        {
          target = g_file_query_info (child,
                                      G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                      G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                      G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                      G_FILE_QUERY_INFO_NONE, cancellable, &target_error);
          /* GIO describes a dangling link as itself: ask where it leads. */
          if (target == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
            problem = _("The file it points to is missing from the cache’s blobs.");
          else if (g_file_info_get_file_type (target) != G_FILE_TYPE_REGULAR)
            problem = _("It points to something in the cache that is not a file.");
          else
            info = target;
        }
      else if (type != G_FILE_TYPE_REGULAR)
        continue;

      if (problem == NULL && g_file_info_get_size (info) == 0)
        problem = _("Its file in the cache is empty.");

      if (!g_hash_table_add (scan->seen, g_strdup (path)))
        continue;
      group = add_to_group (scan, cache, g_file_peek_path (snapshot), repo_id, path, relative,
                            problem ? 0 : (guint64) g_file_info_get_size (info),
                            problem ? 0 : (gint64) g_file_info_get_attribute_uint64 (
                                            info, G_FILE_ATTRIBUTE_TIME_MODIFIED));
      group->in_hf_cache = TRUE;
      if (problem != NULL)
        add_problem (group, problem);
    }
}

static void
walk_hf_cache (Scan         *scan,
               const char   *cache,
               GCancellable *cancellable)
{
  g_autoptr(GFile) root = g_file_new_for_path (cache);
  g_autoptr(GFileEnumerator) repos = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  GFile *child;

  repos = g_file_enumerate_children (root, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                     G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (repos == NULL)
    {
      /* No cache (yet) is no problem: it is watched for its creation. A
       * cache folder that is there but cannot be read is one. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          g_file_query_file_type (root, G_FILE_QUERY_INFO_NONE, cancellable) ==
            G_FILE_TYPE_DIRECTORY)
        add_unreadable (scan, cache, NULL, root, error);
      return;
    }
  g_ptr_array_add (scan->dirs, g_strdup (cache));
  _mm_library_trash_clean_leftovers (cache, cancellable);

  while (g_file_enumerator_iterate (repos, &info, &child, cancellable, NULL) && info != NULL)
    {
      g_autofree char *repo_id = mm_hf_cache_repo_id_from_folder (g_file_info_get_name (info));
      g_autoptr(GFile) snapshots = NULL;
      g_autoptr(GFileEnumerator) commits = NULL;
      g_autoptr(GError) commits_error = NULL;
      GFileInfo *commit_info;
      GFile *commit;

      /* Datasets, spaces, .locks: not models. */
      if (repo_id == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
        continue;

      g_ptr_array_add (scan->dirs, g_file_get_path (child));
      snapshots = g_file_get_child (child, "snapshots");
      commits = g_file_enumerate_children (snapshots, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                           G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable,
                                           &commits_error);
      if (commits == NULL)
        {
          /* A repo whose first download is still running has no snapshot yet. */
          if (!g_error_matches (commits_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
              !g_error_matches (commits_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            add_unreadable (scan, cache, repo_id, snapshots, commits_error);
          continue;
        }
      g_ptr_array_add (scan->dirs, g_file_get_path (snapshots));

      while (g_file_enumerator_iterate (commits, &commit_info, &commit, cancellable, NULL) &&
             commit_info != NULL)
        if (g_file_info_get_file_type (commit_info) == G_FILE_TYPE_DIRECTORY)
          walk_snapshot (scan, cache, repo_id, commit, commit, 0, cancellable);
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return _mm_library_entry_compare (*(MmLibraryEntry * const *) a,
                                    *(MmLibraryEntry * const *) b);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanInput *input = task_data;
  const char * const *roots = (const char * const *) input->roots;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) group_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Scan scan = { roots, groups, seen, g_ptr_array_new_with_free_func (g_free) };
  ScanResult *result;
  GHashTableIter iter;
  Group *group;

  result = g_new0 (ScanResult, 1);
  result->dirs = scan.dirs;
  result->entries = g_ptr_array_new_with_free_func (g_object_unref);
  result->missing = g_strv_builder_new ();

  for (guint i = 0; roots[i] != NULL; i++)
    {
      g_autoptr(GFile) root = g_file_new_for_path (roots[i]);

      if (g_file_query_file_type (root, G_FILE_QUERY_INFO_NONE, cancellable) !=
          G_FILE_TYPE_DIRECTORY)
        {
          g_strv_builder_add (result->missing, roots[i]);
          continue;
        }
      _mm_library_trash_clean_leftovers (roots[i], cancellable);
      walk (&scan, roots[i], root, 0, cancellable);
    }
  if (input->hf_cache != NULL)
    walk_hf_cache (&scan, input->hf_cache, cancellable);

  if (g_task_return_error_if_cancelled (task))
    {
      scan_result_free (result);
      return;
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &group))
    {
      MmLibraryEntry *entry = _mm_library_entry_new (group->root, group->folder, group->repo_id,
                                                     group->group,
                                                     g_steal_pointer (&group->files),
                                                     group->split_count);

      if (group->in_hf_cache)
        _mm_library_entry_set_in_hf_cache (entry, group->problem ? group->problem->str : NULL);
      g_ptr_array_add (result->entries, entry);
    }
  g_ptr_array_sort (result->entries, compare_entries);

  g_task_return_pointer (task, result, (GDestroyNotify) scan_result_free);
}

/* Merging and watching, on the library's thread */

static void
set_loading (MmLibrary *self,
             gboolean   loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
items_changed (MmLibrary *self,
               guint      position,
               guint      removed,
               guint      added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Makes the list @fresh, keeping the objects of entries that did not change. */
static void
merge (MmLibrary *self,
       GPtrArray *fresh)
{
  guint pos = 0;
  guint64 total = 0;

  for (guint j = 0; j < fresh->len; j++)
    {
      MmLibraryEntry *new_entry = g_ptr_array_index (fresh, j);
      int cmp = -1;

      /* Drop what sorts before the new entry: it is gone. */
      while (pos < self->entries->len &&
             (cmp = _mm_library_entry_compare (g_ptr_array_index (self->entries, pos),
                                               new_entry)) < 0)
        {
          g_ptr_array_remove_index (self->entries, pos);
          items_changed (self, pos, 1, 0);
          cmp = -1;
        }

      if (pos < self->entries->len && cmp == 0)
        {
          if (!_mm_library_entry_same_files (g_ptr_array_index (self->entries, pos), new_entry))
            {
              MmLibraryEntry *old_entry = g_ptr_array_index (self->entries, pos);

              /* The files changed: a new object, so the old facts go. */
              g_ptr_array_index (self->entries, pos) = g_object_ref (new_entry);
              items_changed (self, pos, 1, 1);
              g_object_unref (old_entry);
            }
        }
      else
        {
          g_ptr_array_insert (self->entries, pos, g_object_ref (new_entry));
          items_changed (self, pos, 0, 1);
        }
      pos++;
    }

  if (pos < self->entries->len)
    {
      guint removed = self->entries->len - pos;

      g_ptr_array_remove_range (self->entries, pos, removed);
      items_changed (self, pos, removed, 0);
    }

  for (guint i = 0; i < self->entries->len; i++)
    if (!g_uint64_checked_add (&total, total,
                               mm_library_entry_get_size (g_ptr_array_index (self->entries, i))))
      total = G_MAXUINT64;

  if (total != self->total_size)
    {
      self->total_size = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_SIZE]);
    }
}

static gboolean
is_ignored (GFile *file)
{
  const char *path = file != NULL ? g_file_peek_path (file) : NULL;
  g_autofree char *name = NULL;

  if (path == NULL)
    return TRUE;

  name = g_path_get_basename (path);
  return name[0] == '.' || g_str_has_suffix (name, ".part") ||
         g_str_has_suffix (name, ".part.json");
}

static void
rescan_cb (gpointer user_data)
{
  MmLibrary *self = user_data;

  self->rescan_id = 0;
  _mm_library_reload (self);
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    MmLibrary         *self)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
      return;
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      break;
    }

  /* A download writing its partial file, or a hidden file: nothing to show. */
  if (is_ignored (file) && is_ignored (other_file))
    return;

  g_clear_handle_id (&self->rescan_id, g_source_remove);
  self->rescan_id = g_timeout_add_once (RESCAN_DELAY_MS, rescan_cb, self);
}

/* Watches exactly the folders the last scan saw. */
static void
sync_monitors (MmLibrary *self,
               GPtrArray *dirs)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  GFileMonitor *monitor;
  const char *path;

  for (guint i = 0; i < dirs->len; i++)
    g_hash_table_add (wanted, g_ptr_array_index (dirs, i));
  /* A library folder that does not exist yet is watched for its creation. */
  for (guint i = 0; i + 1 < self->folders->len; i++)
    g_hash_table_add (wanted, g_ptr_array_index (self->folders, i));
  if (self->hf_cache != NULL)
    g_hash_table_add (wanted, self->hf_cache);

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, (gpointer *) &monitor))
    if (!g_hash_table_contains (wanted, path))
      {
        g_file_monitor_cancel (monitor);
        g_hash_table_iter_remove (&iter);
      }

  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
    {
      g_autoptr(GFile) dir = NULL;
      g_autoptr(GError) error = NULL;

      if (g_hash_table_contains (self->monitors, path))
        continue;

      dir = g_file_new_for_path (path);
      monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
      if (monitor == NULL)
        {
          g_debug ("Cannot watch %s: %s", path, error->message);
          continue;
        }
      g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
      g_hash_table_insert (self->monitors, g_strdup (path), monitor);
    }
}

static void
scan_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  MmLibrary *self = MM_LIBRARY (source);
  g_autoptr(GError) error = NULL;
  ScanResult *scan;

  /* A newer scan replaced this one, or the library is going away. */
  if (g_task_get_cancellable (G_TASK (result)) != self->scan_cancellable)
    return;

  scan = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->scan_cancellable);
  if (scan == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not scan the library: %s", error->message);
      set_loading (self, FALSE);
      return;
    }

  merge (self, scan->entries);
  sync_monitors (self, scan->dirs);
  {
    g_auto(GStrv) missing = g_strv_builder_end (scan->missing);

    if (!g_strv_equal ((const char * const *) missing, (const char * const *) self->missing))
      {
        g_strfreev (self->missing);
        self->missing = g_steal_pointer (&missing);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MISSING_FOLDERS]);
      }
  }
  scan_result_free (scan);

  set_loading (self, FALSE);
}

/* GListModel */

static GType
mm_library_get_item_type (GListModel *model)
{
  return MM_TYPE_LIBRARY_ENTRY;
}

static guint
mm_library_get_n_items (GListModel *model)
{
  return MM_LIBRARY (model)->entries->len;
}

static gpointer
mm_library_get_item (GListModel *model,
                     guint       position)
{
  MmLibrary *self = MM_LIBRARY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
mm_library_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = mm_library_get_item_type;
  iface->get_n_items = mm_library_get_n_items;
  iface->get_item = mm_library_get_item;
}

static void
mm_library_dispose (GObject *object)
{
  MmLibrary *self = MM_LIBRARY (object);
  GHashTableIter iter;
  GFileMonitor *monitor;

  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_handle_id (&self->rescan_id, g_source_remove);

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &monitor))
    g_file_monitor_cancel (monitor);
  g_hash_table_remove_all (self->monitors);

  g_ptr_array_set_size (self->entries, 0);

  G_OBJECT_CLASS (mm_library_parent_class)->dispose (object);
}

static void
mm_library_finalize (GObject *object)
{
  MmLibrary *self = MM_LIBRARY (object);

  g_clear_pointer (&self->folders, g_ptr_array_unref);
  g_clear_pointer (&self->hf_cache, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->missing, g_strfreev);
  g_clear_pointer (&self->monitors, g_hash_table_unref);

  G_OBJECT_CLASS (mm_library_parent_class)->finalize (object);
}

static void
mm_library_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MmLibrary *self = MM_LIBRARY (object);

  switch ((MmLibraryProperty) prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_TOTAL_SIZE:
      g_value_set_uint64 (value, self->total_size);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    case PROP_FOLDERS:
      g_value_set_boxed (value, self->folders->pdata);
      break;
    case PROP_MISSING_FOLDERS:
      g_value_set_boxed (value, self->missing);
      break;
    case PROP_HF_CACHE_FOLDER:
      g_value_set_string (value, self->hf_cache);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_class_init (MmLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_library_dispose;
  object_class->finalize = mm_library_finalize;
  object_class->get_property = mm_library_get_property;

  /** MmLibrary:loading: whether a scan is running (show a spinner the first time) */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmLibrary:total-size: bytes of all the entries */
  properties[PROP_TOTAL_SIZE] =
    g_param_spec_uint64 ("total-size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmLibrary:n-items: the number of entries */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmLibrary:folders: the library folders, canonical, in their order */
  properties[PROP_FOLDERS] =
    g_param_spec_boxed ("folders", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmLibrary:missing-folders: the library folders the last scan did not find */
  properties[PROP_MISSING_FOLDERS] =
    g_param_spec_boxed ("missing-folders", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /** MmLibrary:hf-cache-folder: the Hugging Face cache listed too, or %NULL */
  properties[PROP_HF_CACHE_FOLDER] =
    g_param_spec_string ("hf-cache-folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_library_init (MmLibrary *self)
{
  self->folders = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->folders, NULL);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->missing = g_new0 (char *, 1);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * mm_library_new:
 *
 * Returns: (transfer full): an empty library; add folders to fill it
 */
MmLibrary *
mm_library_new (void)
{
  return g_object_new (MM_TYPE_LIBRARY, NULL);
}

static int
find_folder (MmLibrary  *self,
             const char *canonical)
{
  for (guint i = 0; i + 1 < self->folders->len; i++)
    if (g_str_equal (g_ptr_array_index (self->folders, i), canonical))
      return (int) i;
  return -1;
}

/**
 * _mm_library_add_folder:
 * @folder: an absolute path; it need not exist yet
 *
 * Adds a folder to scan and watch, and scans again. The caller owns the
 * list of folders (in settings): the library keeps it only in memory.
 */
void
_mm_library_add_folder (MmLibrary  *self,
                        const char *folder)
{
  g_autofree char *canonical = NULL;

  g_return_if_fail (MM_IS_LIBRARY (self));
  g_return_if_fail (folder != NULL && g_path_is_absolute (folder));

  canonical = g_canonicalize_filename (folder, NULL);
  if (find_folder (self, canonical) >= 0)
    return;

  g_ptr_array_insert (self->folders, (int) self->folders->len - 1, g_steal_pointer (&canonical));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDERS]);
  _mm_library_reload (self);
}

/**
 * _mm_library_remove_folder:
 *
 * Stops scanning and watching @folder; its entries go.
 *
 * Returns: whether @folder was in the library
 */
gboolean
_mm_library_remove_folder (MmLibrary  *self,
                           const char *folder)
{
  g_autofree char *canonical = NULL;
  int index;

  g_return_val_if_fail (MM_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  canonical = g_canonicalize_filename (folder, NULL);
  index = find_folder (self, canonical);
  if (index < 0)
    return FALSE;

  g_ptr_array_remove_index (self->folders, (guint) index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDERS]);
  _mm_library_reload (self);
  return TRUE;
}

/**
 * mm_library_set_folders:
 * @folders: (array zero-terminated=1): absolute paths
 *
 * Replaces the folders (duplicates are dropped) and scans again.
 */
void
mm_library_set_folders (MmLibrary          *self,
                        const char * const *folders)
{
  g_return_if_fail (MM_IS_LIBRARY (self));
  g_return_if_fail (folders != NULL);

  g_ptr_array_set_size (self->folders, 0);
  g_ptr_array_add (self->folders, NULL);
  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autofree char *canonical = NULL;

      g_return_if_fail (g_path_is_absolute (folders[i]));
      canonical = g_canonicalize_filename (folders[i], NULL);
      if (find_folder (self, canonical) < 0)
        g_ptr_array_insert (self->folders, (int) self->folders->len - 1,
                            g_steal_pointer (&canonical));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDERS]);
  _mm_library_reload (self);
}

/**
 * mm_library_get_folders:
 *
 * Returns: (transfer none) (array zero-terminated=1): the folders, canonical
 */
const char * const *
mm_library_get_folders (MmLibrary *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY (self), NULL);

  return (const char * const *) self->folders->pdata;
}

/**
 * mm_library_get_missing_folders:
 *
 * Returns: (transfer none) (array zero-terminated=1): the library folders
 *   that the last scan did not find (or found not to be folders)
 */
const char * const *
mm_library_get_missing_folders (MmLibrary *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY (self), NULL);

  return (const char * const *) self->missing;
}

/**
 * _mm_library_reload:
 *
 * Scans the folders again now, cancelling a scan in flight. Changes on
 * disk are noticed without this; it is for a "Reload" action.
 */
void
_mm_library_reload (MmLibrary *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_LIBRARY (self));

  g_clear_handle_id (&self->rescan_id, g_source_remove);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  self->scan_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->scan_cancellable, scan_cb, NULL);
  g_task_set_source_tag (task, _mm_library_reload);
  {
    ScanInput *input = g_new0 (ScanInput, 1);

    input->roots = g_strdupv ((char **) self->folders->pdata);
    input->hf_cache = g_strdup (self->hf_cache);
    g_task_set_task_data (task, input, (GDestroyNotify) scan_input_free);
  }
  set_loading (self, TRUE);
  g_task_run_in_thread (task, scan_thread);
}

gboolean
mm_library_get_loading (MmLibrary *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY (self), FALSE);

  return self->loading;
}

guint64
mm_library_get_total_size (MmLibrary *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY (self), 0);

  return self->total_size;
}

/**
 * mm_library_set_hf_cache_folder:
 * @folder: (nullable): the Hugging Face cache (see mm_hf_cache_dup_dir()),
 *   or %NULL to list none; it need not exist yet
 *
 * Lists the GGUF models of the Hugging Face cache too, and scans again.
 */
void
mm_library_set_hf_cache_folder (MmLibrary  *self,
                                const char *folder)
{
  g_autofree char *canonical = NULL;

  g_return_if_fail (MM_IS_LIBRARY (self));
  g_return_if_fail (folder == NULL || g_path_is_absolute (folder));

  canonical = folder ? g_canonicalize_filename (folder, NULL) : NULL;
  if (g_strcmp0 (canonical, self->hf_cache) == 0)
    return;

  g_free (self->hf_cache);
  self->hf_cache = g_steal_pointer (&canonical);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HF_CACHE_FOLDER]);
  _mm_library_reload (self);
}

/**
 * mm_library_get_hf_cache_folder:
 *
 * Returns: (nullable): the Hugging Face cache listed, canonical
 */
const char *
mm_library_get_hf_cache_folder (MmLibrary *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY (self), NULL);

  return self->hf_cache;
}
