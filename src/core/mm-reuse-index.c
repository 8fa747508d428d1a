/* mm-reuse-index.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where else on this machine the bytes of a file may already be, by
 * SHA-256, so that a download can be made from disk instead of the network:
 *
 *   - the download records (the download manager's state file): every
 *     completed file with its destination, size and SHA-256, and the
 *     files an update replaced since (updates.json beside it);
 *   - Library files verified in this session (mm_reuse_index_add_verified());
 *   - the Hugging Face cache: `models--*\/blobs/<sha256>`, the name of an
 *     LFS blob being its SHA-256. Only read, never written.
 *
 * The records and the cache are read at each lookup (both are small to
 * read, and change behind our back). A candidate is a belief: whoever uses
 * one verifies the bytes it ends up with.
 */
#define G_LOG_DOMAIN "mm-reuse-index"

#include "config.h"

#include "mm-reuse-index-private.h"

#include "mm-download-store.h"
#include "mm-update-checker.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

struct _MmReuseIndex
{
  GObject parent_instance;

  GMutex mutex;
  gboolean enabled;
  char *state_file;          /* (nullable): NULL for the default */
  GStrv hf_dirs;             /* (nullable): NULL for the default */
  gboolean hf_dirs_set;
  GHashTable *verified;      /* canonical path → Verified */
};

G_DEFINE_FINAL_TYPE (MmReuseIndex, mm_reuse_index, G_TYPE_OBJECT)

typedef struct {
  char *sha256;
  guint64 size;
} Verified;

static void
verified_free (Verified *verified)
{
  g_free (verified->sha256);
  g_free (verified);
}

void
mm_reuse_candidate_free (MmReuseCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->path);
  g_free (candidate);
}

static gboolean
is_sha256 (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (const char *p = sha256; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static void
mm_reuse_index_finalize (GObject *object)
{
  MmReuseIndex *self = MM_REUSE_INDEX (object);

  g_mutex_clear (&self->mutex);
  g_free (self->state_file);
  g_strfreev (self->hf_dirs);
  g_hash_table_unref (self->verified);

  G_OBJECT_CLASS (mm_reuse_index_parent_class)->finalize (object);
}

static void
mm_reuse_index_class_init (MmReuseIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_reuse_index_finalize;
}

static void
mm_reuse_index_init (MmReuseIndex *self)
{
  g_mutex_init (&self->mutex);
  self->enabled = TRUE;
  self->verified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) verified_free);
}

MmReuseIndex *
_mm_reuse_index_new (void)
{
  return g_object_new (MM_TYPE_REUSE_INDEX, NULL);
}

/**
 * mm_reuse_index_get_default:
 *
 * Returns: (transfer none): the index every download asks
 */
MmReuseIndex *
mm_reuse_index_get_default (void)
{
  static MmReuseIndex *index;

  if (g_once_init_enter (&index))
    g_once_init_leave (&index, _mm_reuse_index_new ());

  return index;
}

/**
 * _mm_reuse_index_set_enabled:
 *
 * A disabled index finds nothing (downloads then always use the network).
 */
void
_mm_reuse_index_set_enabled (MmReuseIndex *self,
                             gboolean      enabled)
{
  g_return_if_fail (MM_IS_REUSE_INDEX (self));

  g_mutex_lock (&self->mutex);
  self->enabled = !!enabled;
  g_mutex_unlock (&self->mutex);
}

/**
 * _mm_reuse_index_set_state_file:
 * @state_file: (nullable): the download manager's state file; %NULL for
 *   `$XDG_DATA_HOME/model-manager/downloads.json`
 */
void
_mm_reuse_index_set_state_file (MmReuseIndex *self,
                                const char   *state_file)
{
  g_return_if_fail (MM_IS_REUSE_INDEX (self));

  g_mutex_lock (&self->mutex);
  g_free (self->state_file);
  self->state_file = g_strdup (state_file);
  g_mutex_unlock (&self->mutex);
}

/* The Hugging Face cache folder as the Hub's own clients find it:
 * `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
static char **
default_hf_cache_dirs (void)
{
  const char *hub_cache = g_getenv ("HF_HUB_CACHE");
  const char *hf_home = g_getenv ("HF_HOME");
  char **dirs = g_new0 (char *, 2);

  if (hub_cache != NULL && *hub_cache != '\0')
    dirs[0] = g_strdup (hub_cache);
  else if (hf_home != NULL && *hf_home != '\0')
    dirs[0] = g_build_filename (hf_home, "hub", NULL);
  else
    dirs[0] = g_build_filename (g_get_home_dir (), ".cache", "huggingface", "hub", NULL);
  return dirs;
}

/**
 * _mm_reuse_index_set_hf_cache_dirs:
 * @dirs: (nullable) (array zero-terminated=1): the cache folders to look
 *   in; %NULL for the default (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 *   `~/.cache/huggingface/hub`),
 *   an empty array for none
 */
void
_mm_reuse_index_set_hf_cache_dirs (MmReuseIndex       *self,
                                   const char * const *dirs)
{
  g_return_if_fail (MM_IS_REUSE_INDEX (self));

  g_mutex_lock (&self->mutex);
  g_strfreev (self->hf_dirs);
  self->hf_dirs = g_strdupv ((char **) dirs);
  self->hf_dirs_set = dirs != NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * mm_reuse_index_add_verified:
 * @path: an absolute path
 * @sha256: its SHA-256, just verified
 * @size: its size
 *
 * Remembers a file whose bytes were verified (a Library file checked
 * against the Hub, say) for the rest of the session.
 */
void
mm_reuse_index_add_verified (MmReuseIndex *self,
                             const char   *path,
                             const char   *sha256,
                             guint64       size)
{
  Verified *verified;

  g_return_if_fail (MM_IS_REUSE_INDEX (self));
  g_return_if_fail (path != NULL && g_path_is_absolute (path));

  if (!is_sha256 (sha256))
    return;

  verified = g_new0 (Verified, 1);
  verified->sha256 = g_ascii_strdown (sha256, -1);
  verified->size = size;

  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->verified, g_canonicalize_filename (path, NULL), verified);
  g_mutex_unlock (&self->mutex);
}

/**
 * _mm_reuse_index_forget:
 *
 * Drops what mm_reuse_index_add_verified() said of @path (it was deleted
 * or changed).
 */
void
_mm_reuse_index_forget (MmReuseIndex *self,
                        const char   *path)
{
  g_autofree char *canonical = NULL;

  g_return_if_fail (MM_IS_REUSE_INDEX (self));
  g_return_if_fail (path != NULL);

  canonical = g_canonicalize_filename (path, NULL);
  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->verified, canonical);
  g_mutex_unlock (&self->mutex);
}

/* Adds @path when it is a regular file of @size, not @exclude and not yet
 * listed. */
static void
add_candidate (GPtrArray     *candidates,
               GHashTable    *seen,
               const char    *path,
               guint64        size,
               const char    *exclude,
               MmReuseOrigin  origin)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  MmReuseCandidate *candidate;
  struct stat st;

  if ((exclude != NULL && g_str_equal (canonical, exclude)) ||
      g_hash_table_contains (seen, canonical))
    return;
  if (stat (canonical, &st) != 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size != size)
    return;

  candidate = g_new0 (MmReuseCandidate, 1);
  candidate->path = g_strdup (canonical);
  candidate->origin = origin;
  g_ptr_array_add (candidates, candidate);
  g_hash_table_add (seen, g_steal_pointer (&canonical));
}

static void
add_records (GPtrArray  *candidates,
             GHashTable *seen,
             const char *state_file,
             const char *sha256,
             guint64     size,
             const char *exclude)
{
  g_autoptr(MmDownloadStore) store = mm_download_store_new (state_file);
  g_autoptr(GPtrArray) completed = mm_download_store_read_completed (store);

  for (guint i = 0; i < completed->len; i++)
    {
      MmDownloadRecord *record = g_ptr_array_index (completed, i);

      if (g_str_equal (record->sha256, sha256))
        add_candidate (candidates, seen, record->destination, size, exclude,
                       MM_REUSE_ORIGIN_RECORD);
    }
}

static void
add_hf_cache (GPtrArray  *candidates,
              GHashTable *seen,
              const char *cache_dir,
              const char *sha256,
              guint64     size,
              const char *exclude)
{
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *blob = NULL;

      if (!g_str_has_prefix (name, "models--"))
        continue;
      blob = g_build_filename (cache_dir, name, "blobs", sha256, NULL);
      add_candidate (candidates, seen, blob, size, exclude, MM_REUSE_ORIGIN_HF_CACHE);
    }
}

/**
 * mm_reuse_index_lookup:
 * @sha256: the SHA-256 wanted (hex)
 * @size: the size wanted
 * @exclude: (nullable): a path never to return (the destination itself)
 *
 * Looks for files that should hold these bytes: the download records
 * first, then files verified in this session, then the Hugging Face cache.
 * Only regular files of @size are returned, each path once. Reads the disk:
 * call it from a worker thread.
 *
 * Returns: (transfer container) (element-type MmReuseCandidate): the
 *   candidates, best first; empty when the index is disabled or @sha256 is
 *   not a SHA-256
 */
GPtrArray *
mm_reuse_index_lookup (MmReuseIndex *self,
                       const char   *sha256,
                       guint64       size,
                       const char   *exclude)
{
  g_autoptr(GPtrArray) candidates =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mm_reuse_candidate_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) verified = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *wanted = NULL;
  g_autofree char *excluded = NULL;
  g_autofree char *state_file = NULL;
  g_auto(GStrv) hf_dirs = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean enabled;

  g_return_val_if_fail (MM_IS_REUSE_INDEX (self), NULL);

  if (!is_sha256 (sha256))
    return g_steal_pointer (&candidates);
  wanted = g_ascii_strdown (sha256, -1);
  excluded = exclude != NULL ? g_canonicalize_filename (exclude, NULL) : NULL;

  g_mutex_lock (&self->mutex);
  enabled = self->enabled;
  state_file = self->state_file != NULL
               ? g_strdup (self->state_file)
               : g_build_filename (g_get_user_data_dir (), "model-manager", "downloads.json",
                                   NULL);
  hf_dirs = self->hf_dirs_set ? g_strdupv (self->hf_dirs)
                              : default_hf_cache_dirs ();
  g_hash_table_iter_init (&iter, self->verified);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Verified *v = value;

      if (v->size == size && g_str_equal (v->sha256, wanted))
        g_ptr_array_add (verified, g_strdup (key));
    }
  g_mutex_unlock (&self->mutex);

  if (!enabled)
    return g_steal_pointer (&candidates);

  add_records (candidates, seen, state_file, wanted, size, excluded);
  {
    /* Files an update replaced: their records say the new SHA-256. */
    g_autoptr(GHashTable) updated = mm_update_records_read_sha256 (state_file);
    GHashTableIter updated_iter;

    g_hash_table_iter_init (&updated_iter, updated);
    while (g_hash_table_iter_next (&updated_iter, &key, &value))
      if (g_str_equal (value, wanted))
        add_candidate (candidates, seen, key, size, excluded, MM_REUSE_ORIGIN_RECORD);
  }
  for (guint i = 0; i < verified->len; i++)
    add_candidate (candidates, seen, g_ptr_array_index (verified, i), size, excluded,
                   MM_REUSE_ORIGIN_LIBRARY);
  for (guint i = 0; hf_dirs != NULL && hf_dirs[i] != NULL; i++)
    add_hf_cache (candidates, seen, hf_dirs[i], wanted, size, excluded);

  return g_steal_pointer (&candidates);
}

/**
 * mm_reuse_index_describe_source:
 * @path: a file a download was copied from
 *
 * Returns: (transfer full): where that is, for a person: "the Hugging Face
 *   cache (owner/name)" for a cache blob (its name is only a hash), else the
 *   path with the home folder as "~"
 */
char *
mm_reuse_index_describe_source (const char *path)
{
  g_autofree char *blobs = NULL;
  g_autofree char *repo_dir = NULL;
  g_autofree char *repo_name = NULL;
  const char *home = g_get_home_dir ();
  gsize home_len = home != NULL ? strlen (home) : 0;

  g_return_val_if_fail (path != NULL, NULL);

  blobs = g_path_get_dirname (path);
  repo_dir = g_path_get_dirname (blobs);
  repo_name = g_path_get_basename (repo_dir);
  if (g_str_has_suffix (blobs, G_DIR_SEPARATOR_S "blobs") &&
      g_str_has_prefix (repo_name, "models--") && strstr (repo_name + 8, "--") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (repo_name + strlen ("models--"), "--", 2);
      g_autofree char *repo_id = g_strconcat (parts[0], "/", parts[1], NULL);

      /* Translators: where a file was copied from ("Copied from %s"); %s
       * is a repository such as "tiny-org/Pico-GGUF" */
      return g_strdup_printf (_("the Hugging Face cache (%s)"), repo_id);
    }

  if (home_len > 1 && g_str_has_prefix (path, home) && path[home_len] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + home_len, NULL);
  return g_strdup (path);
}
