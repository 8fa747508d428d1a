/* mm-download-reuse.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never download what is already on disk. Runs in the attempt's worker
 * thread, before any request:
 *
 *   1. ask the default MmReuseIndex for files with the same SHA-256 and
 *      size (download records, verified Library files, Hugging Face cache
 *      blobs);
 *   2. for each, make `<destination>.reuse` from it (reflink, else hard
 *      link, else a copy whose progress is the download's), hashing what
 *      ends up there;
 *   3. when size and SHA-256 match, rename it to the destination and
 *      finish the attempt; otherwise remove it and try the next one.
 *
 * When nothing verifies, the attempt goes on to the network as if nothing
 * happened: the partial file and its sidecar are never touched before a
 * reuse has succeeded. Which file a destination was made from is kept for
 * the session (mm_download_get_reused_from()).
 */
#define G_LOG_DOMAIN "mm-download-reuse"

#include "config.h"

#include "mm-download-reuse-private.h"

#include "mm-file-clone.h"
#include "mm-reuse-index.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

static GMutex sources_mutex;
static GHashTable *sources;   /* destination → source, for the session */

static void
set_source (const char *destination,
            const char *source)
{
  g_mutex_lock (&sources_mutex);
  if (sources == NULL)
    sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (source != NULL)
    g_hash_table_replace (sources, g_strdup (destination), g_strdup (source));
  else
    g_hash_table_remove (sources, destination);
  g_mutex_unlock (&sources_mutex);
}

/**
 * mm_download_get_reused_from:
 *
 * Returns: (transfer full) (nullable): the file on disk that the download
 *   is being made from or was made from in this session, instead of
 *   downloading it; %NULL when its bytes come from the network
 */
char *
mm_download_get_reused_from (MmDownload *self)
{
  char *source = NULL;

  g_return_val_if_fail (MM_IS_DOWNLOAD (self), NULL);

  g_mutex_lock (&sources_mutex);
  if (sources != NULL)
    source = g_strdup (g_hash_table_lookup (sources, mm_download_get_destination (self)));
  g_mutex_unlock (&sources_mutex);
  return source;
}

/* The folders from the download folder to the destination, made one at a
 * time; FALSE when any is a symbolic link or not a folder (the attempt
 * then reports it properly). */
static gboolean
prepare_folders (MmDownloadAttempt *attempt)
{
  g_autofree char *parent = g_path_get_dirname (attempt->destination);
  g_autoptr(GString) current = NULL;
  g_auto(GStrv) parts = NULL;
  struct stat st;

  if (!g_str_has_prefix (parent, attempt->download_dir) ||
      g_mkdir_with_parents (attempt->download_dir, 0755) != 0)
    return FALSE;

  parts = g_strsplit (parent + strlen (attempt->download_dir), G_DIR_SEPARATOR_S, -1);
  current = g_string_new (attempt->download_dir);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (current->len == 0 || current->str[current->len - 1] != G_DIR_SEPARATOR)
        g_string_append_c (current, G_DIR_SEPARATOR);
      g_string_append (current, parts[i]);

      if (lstat (current->str, &st) == 0)
        {
          if (!S_ISDIR (st.st_mode))
            return FALSE;
        }
      else if (mkdir (current->str, 0755) != 0 && errno != EEXIST)
        return FALSE;
    }

  return !(lstat (attempt->partial_path, &st) == 0 && S_ISLNK (st.st_mode)) &&
         !(lstat (attempt->sidecar_path, &st) == 0 && S_ISLNK (st.st_mode));
}

static void
clone_progress_cb (guint64  bytes,
                   gboolean hashing,
                   gpointer user_data)
{
  MmDownloadAttempt *attempt = user_data;

  _mm_download_progress_set (attempt->progress, MIN (bytes, attempt->size),
                             hashing ? MM_DOWNLOAD_PHASE_VERIFYING
                                     : MM_DOWNLOAD_PHASE_DOWNLOADING);
}

/**
 * _mm_download_reuse_run:
 * @task: the attempt's task
 * @attempt: the attempt, in its worker thread
 * @cancellable: the attempt's
 *
 * Returns: %TRUE when @task was returned (the file is in place and
 *   verified, or the attempt was cancelled while copying); %FALSE when the
 *   attempt must go to the network
 */
gboolean
_mm_download_reuse_run (GTask             *task,
                        MmDownloadAttempt *attempt,
                        GCancellable      *cancellable)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *temp = NULL;
  guint64 partial_bytes;
  struct stat st;

  set_source (attempt->destination, NULL);

  /* Only LFS files are known by SHA-256; a file already at the
   * destination is the attempt's to verify. */
  if (attempt->sha256 == NULL || attempt->size == 0 ||
      lstat (attempt->destination, &st) == 0)
    return FALSE;

  candidates = mm_reuse_index_lookup (mm_reuse_index_get_default (), attempt->sha256,
                                      attempt->size, attempt->destination);
  if (candidates->len == 0 || !prepare_folders (attempt))
    return FALSE;

  partial_bytes = _mm_download_partial_bytes (attempt->partial_path, attempt->sidecar_path,
                                              attempt->repo_id, attempt->revision,
                                              attempt->path, attempt->sha256, attempt->size);
  temp = g_strconcat (attempt->destination, ".reuse", NULL);

  for (guint i = 0; i < candidates->len; i++)
    {
      MmReuseCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *sha256 = NULL;
      MmCloneMethod method = MM_CLONE_METHOD_NONE;

      /* Left over by a process that stopped half-way. */
      if (lstat (temp, &st) == 0)
        {
          if (S_ISLNK (st.st_mode) || g_unlink (temp) != 0)
            break;
        }

      set_source (attempt->destination, candidate->path);
      _mm_download_progress_set (attempt->progress, 0, MM_DOWNLOAD_PHASE_DOWNLOADING);

      if (!mm_file_clone (candidate->path, temp, MM_CLONE_FLAGS_NONE, &method, &sha256,
                          clone_progress_cb, attempt, cancellable, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              set_source (attempt->destination, NULL);
              _mm_download_progress_set (attempt->progress, partial_bytes,
                                         MM_DOWNLOAD_PHASE_CONNECTING);
              attempt->start_bytes = attempt->end_bytes = partial_bytes;
              g_task_return_error (task, g_steal_pointer (&error));
              return TRUE;
            }
          g_debug ("Could not reuse %s for %s: %s", candidate->path, attempt->path,
                   error->message);
          continue;
        }

      /* Verified as a download is: size and SHA-256. */
      if (stat (temp, &st) != 0 || (guint64) st.st_size != attempt->size ||
          g_ascii_strcasecmp (sha256, attempt->sha256) != 0)
        {
          g_message ("%s does not hold the bytes of %s (SHA-256 %s); not reused",
                     candidate->path, attempt->path, sha256);
          g_unlink (temp);
          continue;
        }

      if (g_rename (temp, attempt->destination) != 0)
        {
          g_debug ("Could not move %s into place: %s", temp, g_strerror (errno));
          g_unlink (temp);
          break;
        }

      g_debug ("%s made from %s by %s", attempt->destination, candidate->path,
               mm_clone_method_to_string (method));
      if (!_mm_download_attempt_place_in_hf_cache (attempt, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return TRUE;
        }
      g_unlink (attempt->partial_path);
      g_unlink (attempt->sidecar_path);
      attempt->already_complete = TRUE;
      attempt->start_bytes = attempt->end_bytes = attempt->size;
      _mm_download_progress_set (attempt->progress, attempt->size,
                                 MM_DOWNLOAD_PHASE_VERIFYING);
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }

  set_source (attempt->destination, NULL);
  _mm_download_progress_set (attempt->progress, partial_bytes, MM_DOWNLOAD_PHASE_CONNECTING);
  return FALSE;
}
