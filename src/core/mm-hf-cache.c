/* mm-hf-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Hugging Face cache, as the Hub's own clients (huggingface_hub's
 * file_download.py, @huggingface/hub's downloadFileToCacheDir, llama.cpp
 * since 2026-03) write and read it, so that a file the app saves there is
 * found by them without a download, and theirs are found by the app:
 *
 *   CACHE/models--{org}--{name}/blobs/{id}                the bytes; {id} is
 *        the SHA-256 of an LFS file, the git blob id of any other
 *   CACHE/models--{org}--{name}/blobs/{id}.incomplete     while downloading
 *   CACHE/models--{org}--{name}/snapshots/{commit}/{path} a relative symlink,
 *        ../../blobs/{id}, one more ../ per folder in {path}
 *   CACHE/models--{org}--{name}/refs/{revision}           the commit, no newline
 *
 * CACHE is $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
 * (huggingface_hub also honours $XDG_CACHE_HOME, which inside a Flatpak
 * names the sandbox's own cache, so it counts only outside one).
 *
 * Deleting follows the cache's rules (as huggingface_hub's
 * delete_revisions): the snapshot's link goes, its blob only when no other
 * snapshot points at it, and a ref only when the snapshot it names is left
 * with nothing (a ref to a missing snapshot makes the cache "corrupted" for
 * `hf cache scan`).
 */
#define G_LOG_DOMAIN "mm-hf-cache"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mm-hf-cache-private.h"
#include "mm-path.h"

#define REPO_PREFIX "models--"
#define SEPARATOR "--"

static gboolean
is_hex_of_length (const char *text,
                  gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/**
 * mm_hf_cache_dup_dir:
 * @source: (out) (optional): which setting named it
 *
 * Returns: (transfer full): the absolute path of the cache, whether or not
 *   it exists
 */
char *
mm_hf_cache_dup_dir (MmHfCacheSource *source)
{
  const char *hub_cache = g_getenv ("HF_HUB_CACHE");
  const char *home = g_getenv ("HF_HOME");
  const char *xdg = g_getenv ("XDG_CACHE_HOME");
  MmHfCacheSource found;
  g_autofree char *dir = NULL;

  if (!is_set (hub_cache))
    hub_cache = g_getenv ("HUGGINGFACE_HUB_CACHE");

  if (is_set (hub_cache))
    {
      found = MM_HF_CACHE_SOURCE_HF_HUB_CACHE;
      dir = g_strdup (hub_cache);
    }
  else if (is_set (home))
    {
      found = MM_HF_CACHE_SOURCE_HF_HOME;
      dir = g_build_filename (home, "hub", NULL);
    }
  else if (is_set (xdg) && g_getenv ("FLATPAK_ID") == NULL &&
           !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      found = MM_HF_CACHE_SOURCE_XDG_CACHE_HOME;
      dir = g_build_filename (xdg, "huggingface", "hub", NULL);
    }
  else
    {
      found = MM_HF_CACHE_SOURCE_DEFAULT;
      dir = g_build_filename (g_get_home_dir (), ".cache", "huggingface", "hub", NULL);
    }

  if (source != NULL)
    *source = found;
  if (!g_path_is_absolute (dir))
    {
      g_autofree char *cwd = g_get_current_dir ();
      return g_canonicalize_filename (dir, cwd);
    }
  return g_canonicalize_filename (dir, NULL);
}

/**
 * mm_hf_cache_is_commit:
 *
 * Returns: whether @revision is a commit id (40 lower-case hex digits)
 */
gboolean
mm_hf_cache_is_commit (const char *revision)
{
  return is_hex_of_length (revision, 40);
}

/**
 * mm_hf_cache_is_blob_id:
 *
 * Returns: whether @blob_id can name a blob: a SHA-256 (64 hex digits) or
 *   a git blob id (40)
 */
gboolean
mm_hf_cache_is_blob_id (const char *blob_id)
{
  return is_hex_of_length (blob_id, 64) || is_hex_of_length (blob_id, 40);
}

/**
 * mm_hf_cache_repo_folder:
 * @repo_id: `org/name`, already validated
 *
 * Returns: (transfer full): `cache_dir/models--org--name`
 */
char *
mm_hf_cache_repo_folder (const char *cache_dir,
                         const char *repo_id)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (cache_dir != NULL, NULL);
  g_return_val_if_fail (repo_id != NULL, NULL);

  parts = g_strsplit (repo_id, "/", -1);
  name = g_strjoinv (SEPARATOR, parts);
  return g_strconcat (cache_dir, G_DIR_SEPARATOR_S, REPO_PREFIX, name, NULL);
}

/**
 * mm_hf_cache_repo_id_from_folder:
 * @folder_name: the name of a folder in the cache, `models--org--name`
 *
 * Returns: (transfer full) (nullable): `org/name`, or %NULL when the name
 *   is not that of a model repository with a valid id
 */
char *
mm_hf_cache_repo_id_from_folder (const char *folder_name)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *repo_id = NULL;

  if (folder_name == NULL || !g_str_has_prefix (folder_name, REPO_PREFIX))
    return NULL;

  parts = g_strsplit (folder_name + strlen (REPO_PREFIX), SEPARATOR, -1);
  repo_id = g_strjoinv ("/", parts);
  if (!mm_repo_id_validate (repo_id, NULL))
    return NULL;
  return g_steal_pointer (&repo_id);
}

char *
mm_hf_cache_blob_path (const char *cache_dir,
                       const char *repo_id,
                       const char *blob_id)
{
  g_autofree char *folder = mm_hf_cache_repo_folder (cache_dir, repo_id);

  return g_build_filename (folder, "blobs", blob_id, NULL);
}

char *
mm_hf_cache_snapshot_path (const char *cache_dir,
                           const char *repo_id,
                           const char *commit,
                           const char *path)
{
  g_autofree char *folder = mm_hf_cache_repo_folder (cache_dir, repo_id);

  return g_build_filename (folder, "snapshots", commit, path, NULL);
}

/**
 * _mm_hf_cache_link_target:
 * @path: the file's path in the repository ("a/b.gguf")
 *
 * Returns: (transfer full): what the snapshot's symlink holds:
 *   `../../blobs/ID`, with one more `../` for each folder in @path (as
 *   os.path.relpath gives huggingface_hub)
 */
char *
_mm_hf_cache_link_target (const char *path,
                          const char *blob_id)
{
  GString *target = g_string_new ("../../");

  for (const char *p = path; *p; p++)
    if (*p == '/')
      g_string_append (target, "../");
  g_string_append (target, "blobs/");
  g_string_append (target, blob_id);
  return g_string_free (target, FALSE);
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  /* Translators: %s is a path, the second %s why it failed */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s” in the Hugging Face cache: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Makes @link a symlink holding @target, replacing what is there at once
 * (a new link renamed over the old one). */
static gboolean
replace_symlink (const char  *link,
                 const char  *target,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (link);
  g_autofree char *base = g_path_get_basename (link);
  g_autofree char *hidden = g_strdup_printf (".%s.%ld.mm-link", base, (long) getpid ());
  g_autofree char *tmp = g_build_filename (dir, hidden, NULL);
  g_autofree char *current = g_file_read_link (link, NULL);

  if (g_strcmp0 (current, target) == 0)
    return TRUE;

  g_unlink (tmp);
  if (symlink (target, tmp) != 0)
    return set_io_error (error, errno, link);
  if (g_rename (tmp, link) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return set_io_error (error, saved_errno, link);
    }
  return TRUE;
}

/**
 * mm_hf_cache_place:
 * @cache_dir: the cache
 * @repo_id: `org/name`
 * @commit: the commit the file was downloaded from (40 hex digits)
 * @ref: (nullable): the branch or tag @commit was reached by ("main"), or
 *   %NULL when it was asked for by its id (no ref is written then)
 * @path: the file's path in the repository
 * @blob_id: the name of its blob, which must be in place already
 *
 * Links the snapshot's file to its blob and records the ref, as
 * huggingface_hub does after a download. Blocks.
 *
 * Returns: whether it worked
 */
gboolean
mm_hf_cache_place (const char  *cache_dir,
                   const char  *repo_id,
                   const char  *commit,
                   const char  *ref,
                   const char  *path,
                   const char  *blob_id,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *link_dir = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (cache_dir != NULL, FALSE);

  if (!mm_repo_id_validate (repo_id, &local_error) || !mm_path_validate (path, &local_error) ||
      (ref != NULL && !mm_path_validate (ref, &local_error)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Nothing was written to the Hugging Face cache: %s"),
                   local_error->message);
      return FALSE;
    }
  if (!mm_hf_cache_is_commit (commit) || !mm_hf_cache_is_blob_id (blob_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Nothing was written to the Hugging Face cache: the Hub did not say "
                     "which commit or blob “%s” belongs to."), path);
      return FALSE;
    }

  link = mm_hf_cache_snapshot_path (cache_dir, repo_id, commit, path);
  link_dir = g_path_get_dirname (link);
  target = _mm_hf_cache_link_target (path, blob_id);
  if (g_mkdir_with_parents (link_dir, 0755) != 0)
    return set_io_error (error, errno, link_dir);
  if (!replace_symlink (link, target, error))
    return FALSE;

  if (ref != NULL && !g_str_equal (ref, commit))
    {
      g_autofree char *folder = mm_hf_cache_repo_folder (cache_dir, repo_id);
      g_autofree char *ref_path = g_build_filename (folder, "refs", ref, NULL);
      g_autofree char *ref_dir = g_path_get_dirname (ref_path);
      g_autofree char *current = NULL;

      if (g_file_get_contents (ref_path, &current, NULL, NULL) &&
          g_str_equal (g_strstrip (current), commit))
        return TRUE;
      if (g_mkdir_with_parents (ref_dir, 0755) != 0)
        return set_io_error (error, errno, ref_dir);
      /* Written to a temporary file and renamed, as huggingface_hub does. */
      if (!g_file_set_contents (ref_path, commit, -1, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not write “%s” in the Hugging Face cache: %s"), ref_path,
                       local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

/* The blob a snapshot file stands for: the name of its link's target when
 * that is in blobs/, else %NULL (a plain file, or a link elsewhere). */
static char *
blob_of (const char *path)
{
  g_autofree char *target = g_file_read_link (path, NULL);
  g_autofree char *dir = NULL;

  if (target == NULL)
    return NULL;
  dir = g_path_get_dirname (target);
  if (!g_str_has_suffix (dir, "blobs"))
    return NULL;
  return g_path_get_basename (target);
}

/* Counts, below @dir, the files (and links) not in @deleted, and collects
 * the blobs they point at in @kept_blobs. */
static guint
count_kept (GFile      *dir,
            GHashTable *deleted,
            GHashTable *kept_blobs)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;
  guint count = 0;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children == NULL)
    return 1; /* unreadable: count it as kept, never delete on a guess */

  while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      const char *path = g_file_peek_path (child);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        count += count_kept (child, deleted, kept_blobs);
      else if (!g_hash_table_contains (deleted, path))
        {
          char *blob = blob_of (path);

          count++;
          if (blob != NULL)
            g_hash_table_add (kept_blobs, blob);
        }
    }

  return count;
}

static void
collect_refs (GFile      *dir,
              GHashTable *emptied,
              GPtrArray  *paths)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children == NULL)
    return;

  while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      g_autofree char *contents = NULL;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        collect_refs (child, emptied, paths);
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
               g_file_get_contents (g_file_peek_path (child), &contents, NULL, NULL) &&
               g_hash_table_contains (emptied, g_strstrip (contents)))
        g_ptr_array_add (paths, g_file_get_path (child));
    }
}

/**
 * mm_hf_cache_plan_delete:
 * @repo_folder: a repository's folder in the cache (`…/models--org--name`)
 * @snapshot_files: (array zero-terminated=1): absolute paths of files in
 *   its `snapshots/` folder
 *
 * Says what deleting @snapshot_files takes under the cache's rules: the
 * files themselves, each blob they point at that no other snapshot file
 * does, and each ref to a snapshot that is left with no file. Blocks.
 *
 * Returns: (transfer full) (element-type filename): absolute paths below
 *   @repo_folder, %NULL-terminated; or %NULL with @error set when a path is
 *   not a snapshot file of @repo_folder
 */
GPtrArray *
mm_hf_cache_plan_delete (const char          *repo_folder,
                         const char * const  *snapshot_files,
                         GError             **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept_blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) emptied = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *snapshots = g_build_filename (repo_folder, "snapshots", NULL);
  g_autoptr(GFile) snapshots_dir = g_file_new_for_path (snapshots);
  GHashTableIter iter;
  const char *name;

  g_return_val_if_fail (repo_folder != NULL, NULL);
  g_return_val_if_fail (snapshot_files != NULL, NULL);

  for (guint i = 0; snapshot_files[i] != NULL; i++)
    {
      const char *path = snapshot_files[i];
      const char *rest;
      const char *slash;
      char *blob;

      if (!g_str_has_prefix (path, snapshots) || path[strlen (snapshots)] != G_DIR_SEPARATOR ||
          strstr (path, "/../") != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a file of a snapshot in the Hugging Face cache."), path);
          return NULL;
        }
      rest = path + strlen (snapshots) + 1;
      slash = strchr (rest, G_DIR_SEPARATOR);
      if (slash == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a file of a snapshot in the Hugging Face cache."), path);
          return NULL;
        }
      g_hash_table_add (touched, g_strndup (rest, slash - rest));
      g_hash_table_add (deleted, (gpointer) path);
      g_ptr_array_add (paths, g_strdup (path));
      blob = blob_of (path);
      if (blob != NULL)
        g_hash_table_add (blobs, blob);
    }

  /* What every other snapshot keeps, and which snapshots are left empty. */
  {
    g_autoptr(GFileEnumerator) children = NULL;
    GFileInfo *info;
    GFile *child;

    children = g_file_enumerate_children (snapshots_dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
    if (children == NULL)
      return NULL;
    while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
      {
        const char *commit = g_file_info_get_name (info);
        guint kept;

        if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
          continue;
        kept = count_kept (child, deleted, kept_blobs);
        if (kept == 0 && g_hash_table_contains (touched, commit))
          {
            g_hash_table_iter_init (&iter, touched);
            while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
              if (g_str_equal (name, commit))
                g_hash_table_add (emptied, (gpointer) name);
          }
      }
  }

  g_hash_table_iter_init (&iter, blobs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      g_autofree char *blob = g_build_filename (repo_folder, "blobs", name, NULL);

      if (!g_hash_table_contains (kept_blobs, name) &&
          g_file_test (blob, G_FILE_TEST_EXISTS) &&
          !g_file_test (blob, G_FILE_TEST_IS_SYMLINK))
        g_ptr_array_add (paths, g_steal_pointer (&blob));
    }

  if (g_hash_table_size (emptied) > 0)
    {
      g_autofree char *refs = g_build_filename (repo_folder, "refs", NULL);
      g_autoptr(GFile) refs_dir = g_file_new_for_path (refs);

      collect_refs (refs_dir, emptied, paths);
    }

  g_ptr_array_add (paths, NULL);
  return g_steal_pointer (&paths);
}
