/* mm-download-store.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list of downloads on disk (by default
 * `$XDG_DATA_HOME/model-manager/downloads.json`), and the only code that
 * reads or writes it:
 *
 *     { "version": 1, "items": [ { "repo": …, "commit": …, "quant": …,
 *       "download-dir": …, "files": [ { "path": …, "size": …, "sha256": …,
 *       "destination": …, "completed": true, … } ], … } ] }
 *
 * Each entry of "items" is what mm_download_item_to_json() wrote; the
 * store hands them back as they are (mm_download_item_new_from_json()
 * checks them). Readers that only want the files already downloaded (the
 * Library's verify, the reuse index, the update checker) take
 * mm_download_store_read_completed(): a missing or damaged file then
 * simply records nothing.
 *
 * Writes replace the file atomically (a temporary file, fsync, rename),
 * in two steps so that the slow part may run in a worker thread:
 * mm_download_store_prepare() serializes on the caller's thread, and
 * mm_download_store_commit() writes, in any thread, unless a list
 * prepared later is already on disk.
 */
#define G_LOG_DOMAIN "mm-download-store"

#include "config.h"

#include "mm-download-store-private.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "mm-json.h"

#define STORE_VERSION 1

G_DEFINE_QUARK (mm-download-store-error-quark, mm_download_store_error)

struct _MmDownloadStore
{
  GObject parent_instance;

  char *path;
  GMutex lock;                    /* one writer at a time */
  guint64 prepared;               /* the newest generation prepared */
  guint64 written;                /* the newest generation on disk (under lock) */
};

G_DEFINE_FINAL_TYPE (MmDownloadStore, mm_download_store, G_TYPE_OBJECT)

struct _MmDownloadStoreWrite
{
  char *text;
  gsize len;
  guint64 generation;
};

void
mm_download_record_free (MmDownloadRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->repo_id);
  g_free (record->commit);
  g_free (record->quant);
  g_free (record->download_dir);
  g_free (record->path);
  g_free (record->destination);
  g_free (record->sha256);
  g_free (record);
}

void
mm_download_store_write_free (MmDownloadStoreWrite *write)
{
  if (write == NULL)
    return;

  g_free (write->text);
  g_free (write);
}

static void
mm_download_store_finalize (GObject *object)
{
  MmDownloadStore *self = MM_DOWNLOAD_STORE (object);

  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mm_download_store_parent_class)->finalize (object);
}

static void
mm_download_store_class_init (MmDownloadStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_download_store_finalize;
}

static void
mm_download_store_init (MmDownloadStore *self)
{
  g_mutex_init (&self->lock);
}

/**
 * _mm_download_store_parse:
 * @data: the file's contents
 * @len: their length in bytes
 * @error: return location for a %MM_DOWNLOAD_STORE_ERROR_CORRUPT error
 *
 * Reads a list of downloads. Its entries are not checked: each is
 * whatever the file holds (mm_download_item_new_from_json() tells).
 *
 * Returns: (transfer full) (nullable): the "items" array, or %NULL when
 *   @data is not JSON, not an object, or has no such array
 */
JsonArray *
_mm_download_store_parse (const char  *data,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *items;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) len,
                                   &local_error))
    {
      g_set_error_literal (error, MM_DOWNLOAD_STORE_ERROR, MM_DOWNLOAD_STORE_ERROR_CORRUPT,
                           local_error != NULL ? local_error->message
                                               : _("it is too large"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, MM_DOWNLOAD_STORE_ERROR, MM_DOWNLOAD_STORE_ERROR_CORRUPT,
                           _("it is not a JSON object"));
      return NULL;
    }
  items = mm_json_get_array (json_node_get_object (root), "items");
  if (items == NULL)
    {
      g_set_error_literal (error, MM_DOWNLOAD_STORE_ERROR, MM_DOWNLOAD_STORE_ERROR_CORRUPT,
                           _("it has no list of items"));
      return NULL;
    }

  return json_array_ref (items);
}

/**
 * _mm_download_store_completed_files:
 * @items: the entries, from _mm_download_store_parse()
 *
 * Finds every completed file with an absolute destination and a
 * SHA-256, in the order of the list (a later download of the same file
 * comes later). Entries and members of the wrong type are skipped.
 *
 * Returns: (transfer full) (element-type MmDownloadRecord): the files
 */
GPtrArray *
_mm_download_store_completed_files (JsonArray *items)
{
  g_autoptr(GPtrArray) records =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mm_download_record_free);

  g_return_val_if_fail (items != NULL, NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;
      JsonArray *files;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      files = mm_json_get_array (item, "files");
      for (guint j = 0; files != NULL && j < json_array_get_length (files); j++)
        {
          JsonNode *file_node = json_array_get_element (files, j);
          JsonObject *file;
          const char *destination;
          const char *sha256;
          MmDownloadRecord *record;

          if (!JSON_NODE_HOLDS_OBJECT (file_node))
            continue;
          file = json_node_get_object (file_node);
          destination = mm_json_get_string (file, "destination");
          sha256 = mm_json_get_string (file, "sha256");
          if (destination == NULL || sha256 == NULL || !g_path_is_absolute (destination) ||
              !mm_json_get_bool (file, "completed", FALSE))
            continue;

          record = g_new0 (MmDownloadRecord, 1);
          record->repo_id = g_strdup (mm_json_get_string (item, "repo"));
          record->commit = g_strdup (mm_json_get_string (item, "commit"));
          record->quant = g_strdup (mm_json_get_string (item, "quant"));
          record->download_dir = g_strdup (mm_json_get_string (item, "download-dir"));
          record->path = g_strdup (mm_json_get_string (file, "path"));
          record->destination = g_strdup (destination);
          record->sha256 = g_ascii_strdown (sha256, -1);
          record->size = mm_json_get_uint64 (file, "size", 0);
          g_ptr_array_add (records, record);
        }
    }

  return g_steal_pointer (&records);
}

/**
 * mm_download_store_new:
 * @path: (nullable): the file; %NULL for
 *   `$XDG_DATA_HOME/model-manager/downloads.json`
 *
 * Returns: (transfer full): a store for that file (nothing is read yet)
 */
MmDownloadStore *
mm_download_store_new (const char *path)
{
  MmDownloadStore *self = g_object_new (MM_TYPE_DOWNLOAD_STORE, NULL);

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_data_dir (), "model-manager",
                                                "downloads.json", NULL);
  return self;
}

/**
 * mm_download_store_get_path:
 *
 * Returns: the file the store reads and writes
 */
const char *
mm_download_store_get_path (MmDownloadStore *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), NULL);
  return self->path;
}

/**
 * mm_download_store_load:
 * @error: return location for a #GFileError (%G_FILE_ERROR_NOENT when
 *   there is no file yet) or a %MM_DOWNLOAD_STORE_ERROR_CORRUPT error
 *
 * Reads the file, see _mm_download_store_parse().
 *
 * Returns: (transfer full) (nullable): the entries, or %NULL
 */
JsonArray *
mm_download_store_load (MmDownloadStore  *self,
                        GError          **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), NULL);

  if (!g_file_get_contents (self->path, &contents, &len, error))
    return NULL;
  return _mm_download_store_parse (contents, len, error);
}

/**
 * mm_download_store_read_completed:
 *
 * Reads the completed files, see _mm_download_store_completed_files().
 * A missing or damaged file has none.
 *
 * Returns: (transfer full) (element-type MmDownloadRecord): the files
 */
GPtrArray *
mm_download_store_read_completed (MmDownloadStore *self)
{
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), NULL);

  items = mm_download_store_load (self, &error);
  if (items == NULL)
    {
      g_debug ("No download records in %s: %s", self->path, error->message);
      return g_ptr_array_new_with_free_func ((GDestroyNotify) mm_download_record_free);
    }
  return _mm_download_store_completed_files (items);
}

/**
 * mm_download_store_prepare:
 * @items: the entries, each a JSON object
 * @error: return location for a #GFileError
 *
 * Serializes the list and makes sure its folder exists.
 *
 * Returns: (transfer full) (nullable): what mm_download_store_commit()
 *   writes, or %NULL when the folder cannot be made
 */
MmDownloadStoreWrite *
mm_download_store_prepare (MmDownloadStore  *self,
                           JsonArray        *items,
                           GError          **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *dir = NULL;
  MmDownloadStoreWrite *write;

  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  json_object_set_int_member (object, "version", STORE_VERSION);
  json_object_set_array_member (object, "items", json_array_ref (items));
  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  write = g_new0 (MmDownloadStoreWrite, 1);
  write->text = json_generator_to_data (generator, &write->len);
  write->generation = ++self->prepared;
  return write;
}

/**
 * mm_download_store_commit:
 * @write: from mm_download_store_prepare() on this store
 * @error: return location for a #GFileError
 *
 * Replaces the file with @write atomically, unless a list prepared after
 * it is already on disk (then nothing happens, successfully). Any thread.
 *
 * Returns: whether the file holds @write or a newer list
 */
gboolean
mm_download_store_commit (MmDownloadStore       *self,
                          MmDownloadStoreWrite  *write,
                          GError               **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (write->generation > self->written)
    {
      /* A temporary file, fsync, rename: a crash leaves the old or the new. */
      ok = g_file_set_contents_full (self->path, write->text, (gssize) write->len,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
      if (ok)
        self->written = write->generation;
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

/**
 * mm_download_store_save:
 * @items: the entries, each a JSON object
 * @error: return location for a #GFileError
 *
 * Prepares and commits @items at once.
 *
 * Returns: whether the file was written
 */
gboolean
mm_download_store_save (MmDownloadStore  *self,
                        JsonArray        *items,
                        GError          **error)
{
  g_autoptr(MmDownloadStoreWrite) write = mm_download_store_prepare (self, items, error);

  return write != NULL && mm_download_store_commit (self, write, error);
}

/**
 * mm_download_store_move_aside:
 * @error: return location for a #GFileError
 *
 * Renames a damaged file to `<file>.corrupt-<timestamp>` (with a number
 * when that exists), so that it is never overwritten.
 *
 * Returns: (transfer full) (nullable): the new name, or %NULL
 */
char *
mm_download_store_move_aside (MmDownloadStore  *self,
                              GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *backup = NULL;

  g_return_val_if_fail (MM_IS_DOWNLOAD_STORE (self), NULL);

  backup = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
  for (guint n = 1; g_file_test (backup, G_FILE_TEST_EXISTS) && n < 1000; n++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, n);
    }

  if (g_rename (self->path, backup) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not move “%s” aside: %s"), self->path, g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&backup);
}
