/* mm-update-checker.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether the files on disk still are the Hub's, and updating those that
 * are not.
 *
 * What is on disk comes from the records: the download manager's state file
 * (downloads.json: repo, commit, quantization and, per file, the path, size,
 * SHA-256 and destination) and, over it, this object's own records file
 * (updates.json next to it: the files replaced by an update, with their new
 * commit and SHA-256, and when the last check ran). A recorded file that is
 * no longer on disk is left out.
 *
 * A check asks the Hub once per repo (model info with the files' LFS
 * SHA-256) and, one repo after the other, compares each local file with
 * the Hub's file of the same path: another SHA-256 is an update. The
 * updates are grouped by quantization. A 429 stops the check; until its
 * Retry-After has passed no new check asks anything.
 *
 * An update downloads only the changed files, each with the download
 * engine into its own place: the engine writes a partial file beside it
 * and replaces the old file only once the new one is verified.
 */
#define G_LOG_DOMAIN "mm-update-checker"

#include "config.h"

#include "mm-update-checker.h"

#include "mm-download.h"
#include "mm-download-store.h"
#include "mm-hub-error.h"
#include "mm-json.h"
#include "mm-model.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define DEFAULT_RATE_LIMIT_S 60

/* MmUpdate */

static void
update_file_free (MmUpdateFile *file)
{
  g_free (file->destination);
  g_free (file->download_dir);
  g_free (file->old_sha256);
  g_clear_object (&file->file);
  g_free (file);
}

static void
update_clear (MmUpdate *update)
{
  g_free (update->repo_id);
  g_free (update->quant);
  g_free (update->old_commit);
  g_free (update->new_commit);
  g_clear_pointer (&update->date, g_date_time_unref);
  g_clear_pointer (&update->files, g_ptr_array_unref);
}

MmUpdate *
mm_update_ref (MmUpdate *update)
{
  return g_atomic_rc_box_acquire (update);
}

void
mm_update_unref (MmUpdate *update)
{
  g_atomic_rc_box_release_full (update, (GDestroyNotify) update_clear);
}

G_DEFINE_BOXED_TYPE (MmUpdate, mm_update, mm_update_ref, mm_update_unref)

/* Whether @destination is one of the files the update replaces. */
static gboolean
update_has_destination (MmUpdate   *update,
                        const char *destination)
{
  g_return_val_if_fail (update != NULL, FALSE);

  for (guint i = 0; i < update->files->len; i++)
    {
      MmUpdateFile *file = g_ptr_array_index (update->files, i);

      if (g_strcmp0 (file->destination, destination) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * mm_update_get_size:
 *
 * Returns: the bytes an update downloads
 */
guint64
mm_update_get_size (MmUpdate *update)
{
  guint64 size = 0;

  g_return_val_if_fail (update != NULL, 0);

  for (guint i = 0; i < update->files->len; i++)
    size += mm_repo_file_get_size (((MmUpdateFile *) g_ptr_array_index (update->files, i))->file);
  return size;
}

/* Local files */

typedef struct {
  char *repo_id;
  char *commit;
  char *quant;
  char *path;
  char *destination;
  char *download_dir;
  char *sha256;
} LocalFile;

static void
local_file_free (LocalFile *local)
{
  g_free (local->repo_id);
  g_free (local->commit);
  g_free (local->quant);
  g_free (local->path);
  g_free (local->destination);
  g_free (local->download_dir);
  g_free (local->sha256);
  g_free (local);
}

static JsonObject *
load_object (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, &error))
    {
      g_debug ("Nothing read from %s: %s", path, error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static char *
records_file_for (const char *state_file)
{
  g_autofree char *dir = g_path_get_dirname (state_file);

  return g_build_filename (dir, "updates.json", NULL);
}

/* destination → LocalFile for every completed file the download records
 * know, with this object's records over them. */
static GHashTable *
read_local_files (const char *state_file,
                  const char *records_file)
{
  g_autoptr(GHashTable) locals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) local_file_free);
  g_autoptr(MmDownloadStore) store = mm_download_store_new (state_file);
  g_autoptr(GPtrArray) completed = mm_download_store_read_completed (store);
  g_autoptr(JsonObject) records = load_object (records_file);
  JsonArray *files;

  for (guint i = 0; i < completed->len; i++)
    {
      MmDownloadRecord *record = g_ptr_array_index (completed, i);
      LocalFile *local;

      if (record->repo_id == NULL || record->download_dir == NULL || record->path == NULL)
        continue;

      local = g_new0 (LocalFile, 1);
      local->repo_id = g_strdup (record->repo_id);
      local->commit = g_strdup (record->commit);
      local->quant = g_strdup (record->quant);
      local->download_dir = g_strdup (record->download_dir);
      local->path = g_strdup (record->path);
      local->destination = g_strdup (record->destination);
      local->sha256 = g_strdup (record->sha256);
      /* A later download of the same file wins. */
      g_hash_table_replace (locals, local->destination, local);
    }

  files = records ? mm_json_get_array (records, "files") : NULL;
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);
      JsonObject *record;
      LocalFile *local;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      record = json_node_get_object (node);
      local = g_hash_table_lookup (locals, mm_json_get_string (record, "destination"));
      if (local == NULL || mm_json_get_string (record, "sha256") == NULL)
        continue;
      g_free (local->sha256);
      local->sha256 = g_ascii_strdown (mm_json_get_string (record, "sha256"), -1);
      g_free (local->commit);
      local->commit = g_strdup (mm_json_get_string (record, "commit"));
    }

  return g_steal_pointer (&locals);
}

/**
 * mm_update_records_read_sha256:
 * @state_file: (nullable): the download manager's state file, %NULL for
 *   the default; the records file is next to it
 *
 * What the Library verifies a file against after an update replaced it.
 *
 * Returns: (transfer full) (element-type filename utf8): destination →
 *   SHA-256 of each file an update replaced
 */
GHashTable *
mm_update_records_read_sha256 (const char *state_file)
{
  g_autofree char *default_state = NULL;
  g_autofree char *records_file = NULL;
  g_autoptr(JsonObject) records = NULL;
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *files;

  if (state_file == NULL)
    state_file = default_state = g_build_filename (g_get_user_data_dir (), "model-manager",
                                                   "downloads.json", NULL);
  records_file = records_file_for (state_file);
  records = load_object (records_file);
  files = records ? mm_json_get_array (records, "files") : NULL;
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);
      const char *destination, *sha256;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      destination = mm_json_get_string (json_node_get_object (node), "destination");
      sha256 = mm_json_get_string (json_node_get_object (node), "sha256");
      if (destination != NULL && sha256 != NULL)
        g_hash_table_replace (result, g_canonicalize_filename (destination, NULL),
                              g_ascii_strdown (sha256, -1));
    }

  return result;
}

/* MmUpdateChecker */

struct _MmUpdateChecker
{
  GObject parent_instance;

  MmHubClient *client;
  char *state_file;
  char *records_file;
  GPtrArray *updates;           /* (element-type MmUpdate) */
  GDateTime *last_check;        /* (nullable) */
  gint64 not_before_us;         /* real time before which the Hub is not asked */
  gboolean checking;
};

G_DEFINE_FINAL_TYPE (MmUpdateChecker, mm_update_checker, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
load_last_check (MmUpdateChecker *self)
{
  g_autoptr(JsonObject) records = load_object (self->records_file);

  g_clear_pointer (&self->last_check, g_date_time_unref);
  if (records != NULL)
    self->last_check = mm_json_get_date (records, "last-check");
  if (records != NULL)
    self->not_before_us = mm_json_get_int (records, "not-before", 0);
}

/* Rewrites the records file: the last check and @replaced files (over the
 * ones recorded before). */
static gboolean
save_records (MmUpdateChecker  *self,
              GPtrArray        *replaced,
              const char       *commit,
              GError          **error)
{
  g_autoptr(JsonObject) old = load_object (self->records_file);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) written = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *dir = g_path_get_dirname (self->records_file);
  g_autofree char *text = NULL;
  JsonArray *files = old ? mm_json_get_array (old, "files") : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  mm_json_builder_add_date (builder, "last-check", self->last_check);
  json_builder_set_member_name (builder, "not-before");
  json_builder_add_int_value (builder, self->not_before_us);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; replaced != NULL && i < replaced->len; i++)
    {
      MmUpdateFile *file = g_ptr_array_index (replaced, i);

      json_builder_begin_object (builder);
      mm_json_builder_add_string (builder, "destination", file->destination);
      mm_json_builder_add_string (builder, "path", mm_repo_file_get_path (file->file));
      mm_json_builder_add_string (builder, "commit", commit);
      mm_json_builder_add_string (builder, "sha256", mm_repo_file_get_sha256 (file->file));
      mm_json_builder_add_uint (builder, "size", mm_repo_file_get_size (file->file), TRUE);
      json_builder_end_object (builder);
      g_hash_table_add (written, file->destination);
    }
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          !g_hash_table_contains (written,
                                  mm_json_get_string (json_node_get_object (node),
                                                      "destination") ?: ""))
        json_builder_add_value (builder, json_node_copy (node));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The update records could not be saved: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (self->records_file, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error))
    {
      g_prefix_error (error, _("The update records could not be saved: "));
      return FALSE;
    }
  return TRUE;
}

static void
mm_update_checker_finalize (GObject *object)
{
  MmUpdateChecker *self = MM_UPDATE_CHECKER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->updates, g_ptr_array_unref);
  g_clear_pointer (&self->last_check, g_date_time_unref);
  g_free (self->state_file);
  g_free (self->records_file);

  G_OBJECT_CLASS (mm_update_checker_parent_class)->finalize (object);
}

static void
mm_update_checker_class_init (MmUpdateCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_update_checker_finalize;

  /**
   * MmUpdateChecker::changed:
   *
   * The updates, the last check or whether a check runs changed.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
mm_update_checker_init (MmUpdateChecker *self)
{
  self->updates = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_update_unref);
}

/**
 * mm_update_checker_new:
 * @client: the Hub client
 * @state_file: (nullable): the download manager's state file; %NULL for
 *   `$XDG_DATA_HOME/model-manager/downloads.json`. The update records go
 *   next to it, in `updates.json`.
 */
MmUpdateChecker *
mm_update_checker_new (MmHubClient *client,
                       const char  *state_file)
{
  MmUpdateChecker *self;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);

  self = g_object_new (MM_TYPE_UPDATE_CHECKER, NULL);
  self->client = g_object_ref (client);
  self->state_file = state_file != NULL
                     ? g_strdup (state_file)
                     : g_build_filename (g_get_user_data_dir (), "model-manager",
                                         "downloads.json", NULL);
  self->records_file = records_file_for (self->state_file);
  load_last_check (self);
  return self;
}

void
mm_update_checker_set_client (MmUpdateChecker *self,
                              MmHubClient     *client)
{
  g_return_if_fail (MM_IS_UPDATE_CHECKER (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));

  g_set_object (&self->client, client);
}

/* Check */

typedef struct {
  char *repo_id;               /* (nullable): only this repo */
  GHashTable *locals;          /* destination → LocalFile */
  GPtrArray *repos;            /* repo ids to ask, in order */
  guint next;
  GPtrArray *found;            /* (element-type MmUpdate) */
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->repo_id);
  g_clear_pointer (&data->locals, g_hash_table_unref);
  g_clear_pointer (&data->repos, g_ptr_array_unref);
  g_clear_pointer (&data->found, g_ptr_array_unref);
  g_free (data);
}

static void check_next (GTask *task);

static gint
compare_locals (gconstpointer a,
                gconstpointer b)
{
  const LocalFile *la = *(const LocalFile **) a;
  const LocalFile *lb = *(const LocalFile **) b;

  return g_strcmp0 (la->destination, lb->destination);
}

/* The local files of @repo_id that @model has in another version. */
static void
compare_with_hub (CheckData  *data,
                  const char *repo_id,
                  MmModel    *model)
{
  g_autoptr(GHashTable) upstream = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_quant = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) locals = g_ptr_array_new ();
  GPtrArray *files = mm_model_get_files (model);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; files != NULL && i < files->len; i++)
    g_hash_table_insert (upstream, (gpointer) mm_repo_file_get_path (files->pdata[i]),
                         files->pdata[i]);

  g_hash_table_iter_init (&iter, data->locals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((LocalFile *) value)->repo_id, repo_id))
      g_ptr_array_add (locals, value);
  g_ptr_array_sort (locals, compare_locals);

  for (guint i = 0; i < locals->len; i++)
    {
      LocalFile *local = g_ptr_array_index (locals, i);
      MmRepoFile *remote = g_hash_table_lookup (upstream, local->path);
      const char *sha256 = remote ? mm_repo_file_get_sha256 (remote) : NULL;
      const char *key = local->quant ? local->quant : local->path;
      MmUpdate *update;
      MmUpdateFile *file;

      /* Gone upstream, or not an LFS file: nothing to compare. */
      if (sha256 == NULL || g_ascii_strcasecmp (sha256, local->sha256) == 0)
        continue;

      update = g_hash_table_lookup (by_quant, key);
      if (update == NULL)
        {
          update = g_atomic_rc_box_new0 (MmUpdate);
          update->repo_id = g_strdup (repo_id);
          update->quant = g_strdup (local->quant);
          update->old_commit = g_strdup (local->commit);
          update->new_commit = g_strdup (mm_model_get_sha (model));
          update->date = mm_model_get_updated (model)
                         ? g_date_time_ref (mm_model_get_updated (model)) : NULL;
          update->files = g_ptr_array_new_with_free_func ((GDestroyNotify) update_file_free);
          g_hash_table_insert (by_quant, (gpointer) key, update);
          g_ptr_array_add (data->found, update);
        }

      file = g_new0 (MmUpdateFile, 1);
      file->destination = g_strdup (local->destination);
      file->download_dir = g_strdup (local->download_dir);
      file->old_sha256 = g_strdup (local->sha256);
      file->file = g_object_ref (remote);
      g_ptr_array_add (update->files, file);
    }
}

static void
finish_check (GTask  *task,
              GError *error)
{
  MmUpdateChecker *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_update_unref);
  g_autoptr(GHashTable) checked = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_checked = error == NULL ? data->repos->len : data->next - 1;

  /* The repos asked (all of them, or those before a failure) get this
   * check's updates; the others keep theirs. */
  for (guint i = 0; i < n_checked; i++)
    g_hash_table_add (checked, g_ptr_array_index (data->repos, i));
  for (guint i = 0; i < self->updates->len; i++)
    {
      MmUpdate *update = g_ptr_array_index (self->updates, i);
      gboolean replaced = g_hash_table_contains (checked, update->repo_id) ||
                          (error == NULL && data->repo_id == NULL);

      if (!replaced)
        g_ptr_array_add (kept, mm_update_ref (update));
    }
  for (guint i = 0; i < data->found->len; i++)
    g_ptr_array_add (kept, mm_update_ref (g_ptr_array_index (data->found, i)));
  g_ptr_array_unref (self->updates);
  self->updates = g_steal_pointer (&kept);

  if (error == NULL && data->repo_id == NULL)
    {
      g_clear_pointer (&self->last_check, g_date_time_unref);
      self->last_check = g_date_time_new_now_utc ();
    }
  if (error == NULL || g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED))
    {
      g_autoptr(GError) save_error = NULL;

      if (!save_records (self, NULL, NULL, &save_error))
        g_warning ("%s", save_error->message);
    }

  self->checking = FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_ptr_array_ref (data->found),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
model_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmUpdateChecker *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);
  const char *repo_id = g_ptr_array_index (data->repos, data->next - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;

  model = mm_hub_client_model_info_finish (MM_HUB_CLIENT (source), result, &error);
  if (model == NULL)
    {
      if (g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED))
        {
          guint seconds = mm_hub_error_get_retry_after (error);

          /* Honour Retry-After: no request before then, not even a new check. */
          self->not_before_us = g_get_real_time () +
                                (gint64) (seconds > 0 ? seconds : DEFAULT_RATE_LIMIT_S) *
                                G_USEC_PER_SEC;
          finish_check (task, g_steal_pointer (&error));
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE) ||
          data->repo_id != NULL)
        {
          finish_check (task, g_steal_pointer (&error));
          return;
        }
      /* One repo gone or closed does not stop the others. */
      g_debug ("No update check for %s: %s", repo_id, error->message);
    }
  else
    {
      compare_with_hub (data, repo_id, model);
    }

  check_next (g_steal_pointer (&task));
}

static void
check_next (GTask *task)
{
  MmUpdateChecker *self = g_task_get_source_object (task);
  CheckData *data = g_task_get_task_data (task);

  if (data->next >= data->repos->len)
    {
      finish_check (task, NULL);
      g_object_unref (task);
      return;
    }

  mm_hub_client_model_info_async (self->client, g_ptr_array_index (data->repos, data->next++),
                                  NULL, g_task_get_cancellable (task), model_info_cb, task);
}

/**
 * mm_update_checker_check_async:
 * @repo_id: (nullable): check only this repo; %NULL for every repo with
 *   files on disk
 * @cancellable: (nullable): stops the check
 *
 * Asks the Hub about each repo with downloaded files, one request per repo,
 * one after the other. Fails at once with %MM_HUB_ERROR_RATE_LIMITED while
 * a Retry-After from an earlier check has not passed.
 */
void
mm_update_checker_check_async (MmUpdateChecker     *self,
                               const char          *repo_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) locals = NULL;
  CheckData *data;
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_real_time ();

  g_return_if_fail (MM_IS_UPDATE_CHECKER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_update_checker_check_async);

  if (self->checking)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Updates are being checked already."));
      return;
    }
  if (self->not_before_us > now)
    {
      guint seconds = (guint) ((self->not_before_us - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      g_task_return_error (task, mm_hub_error_new (MM_HUB_ERROR_RATE_LIMITED, seconds, NULL,
                                                   g_dngettext (GETTEXT_PACKAGE,
                                                                "The Hub asked for a pause; "
                                                                "try again in %u second.",
                                                                "The Hub asked for a pause; "
                                                                "try again in %u seconds.",
                                                                seconds), seconds));
      return;
    }

  data = g_new0 (CheckData, 1);
  data->repo_id = g_strdup (repo_id);
  data->locals = read_local_files (self->state_file, self->records_file);
  data->repos = g_ptr_array_new_with_free_func (g_free);
  data->found = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_update_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  /* Files still on disk, sorted so the repos are asked in a stable order. */
  locals = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, data->locals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (locals, value);
  g_ptr_array_sort (locals, compare_locals);
  for (guint i = 0; i < locals->len; i++)
    {
      LocalFile *local = g_ptr_array_index (locals, i);

      if (!g_file_test (local->destination, G_FILE_TEST_IS_REGULAR))
        {
          g_hash_table_remove (data->locals, local->destination);
          continue;
        }
      if ((repo_id != NULL && !g_str_equal (local->repo_id, repo_id)) ||
          g_hash_table_contains (seen, local->repo_id))
        continue;
      g_hash_table_add (seen, local->repo_id);
      g_ptr_array_add (data->repos, g_strdup (local->repo_id));
    }

  self->checking = TRUE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  check_next (g_steal_pointer (&task));
}

/**
 * mm_update_checker_check_finish:
 *
 * Returns: (transfer container) (element-type MmUpdate): the updates this
 *   check found (mm_update_checker_get_updates() has all of them), or
 *   %NULL with @error set
 */
GPtrArray *
mm_update_checker_check_finish (MmUpdateChecker  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_update_checker_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mm_update_checker_get_updates:
 *
 * Returns: (transfer none) (element-type MmUpdate): the updates known
 */
GPtrArray *
mm_update_checker_get_updates (MmUpdateChecker *self)
{
  g_return_val_if_fail (MM_IS_UPDATE_CHECKER (self), NULL);
  return self->updates;
}

/**
 * mm_update_checker_find:
 * @destination: a file on disk
 *
 * Returns: (transfer none) (nullable): the update that replaces it
 */
MmUpdate *
mm_update_checker_find (MmUpdateChecker *self,
                        const char      *destination)
{
  g_return_val_if_fail (MM_IS_UPDATE_CHECKER (self), NULL);

  for (guint i = 0; i < self->updates->len; i++)
    if (update_has_destination (g_ptr_array_index (self->updates, i), destination))
      return g_ptr_array_index (self->updates, i);
  return NULL;
}

/**
 * mm_update_checker_get_last_check:
 *
 * Returns: (transfer none) (nullable): when every repo was last checked
 */
GDateTime *
mm_update_checker_get_last_check (MmUpdateChecker *self)
{
  g_return_val_if_fail (MM_IS_UPDATE_CHECKER (self), NULL);
  return self->last_check;
}

gboolean
mm_update_checker_get_checking (MmUpdateChecker *self)
{
  g_return_val_if_fail (MM_IS_UPDATE_CHECKER (self), FALSE);
  return self->checking;
}

/**
 * mm_update_checker_is_due:
 * @now: the time now
 * @metered: whether the network is metered (GNetworkMonitor:network-metered)
 *
 * Returns: whether the background check should run: never on a metered
 *   network, never while a check runs or a Retry-After lasts, at most once
 *   every %MM_UPDATE_CHECK_INTERVAL_S
 */
gboolean
mm_update_checker_is_due (MmUpdateChecker *self,
                          GDateTime       *now,
                          gboolean         metered)
{
  g_return_val_if_fail (MM_IS_UPDATE_CHECKER (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (metered || self->checking || g_date_time_to_unix (now) * G_USEC_PER_SEC <
                                   self->not_before_us)
    return FALSE;
  if (self->last_check == NULL)
    return TRUE;

  return g_date_time_difference (now, self->last_check) >=
         (GTimeSpan) MM_UPDATE_CHECK_INTERVAL_S * G_TIME_SPAN_SECOND ||
         g_date_time_compare (now, self->last_check) < 0;
}

/* Update */

typedef struct {
  MmUpdate *update;
  MmDownload *download;          /* (nullable): the file being downloaded */
  guint next;
  gulong state_id;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  if (data->download != NULL)
    {
      g_clear_signal_handler (&data->state_id, data->download);
      if (!mm_download_is_finished (data->download))
        mm_download_pause (data->download);
      g_clear_object (&data->download);
    }
  mm_update_unref (data->update);
  g_free (data);
}

static void update_next (GTask *task);

static void
download_state_cb (MmDownload *download,
                   GParamSpec *pspec,
                   GTask      *task)
{
  UpdateData *data = g_task_get_task_data (task);

  if (!mm_download_is_finished (download))
    return;

  g_clear_signal_handler (&data->state_id, download);
  if (mm_download_get_state (download) != MM_DOWNLOAD_STATE_COMPLETED)
    {
      const GError *error = mm_download_get_error (download);

      g_task_return_error (task, error ? g_error_copy (error)
                                       : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                              "Cancelled"));
      g_object_unref (task);
      return;
    }

  update_next (task);
}

static void
update_cancelled_cb (GCancellable *cancellable,
                     MmDownload   *download)
{
  mm_download_cancel (download, FALSE);
}

static void
update_next (GTask *task)
{
  MmUpdateChecker *self = g_task_get_source_object (task);
  UpdateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MmUpdateFile *file;

  g_clear_object (&data->download);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (data->next >= data->update->files->len)
    {
      g_autoptr(MmUpdate) done = mm_update_ref (data->update);
      guint index;

      if (!save_records (self, data->update->files, data->update->new_commit, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      if (g_ptr_array_find (self->updates, done, &index))
        g_ptr_array_remove_index (self->updates, index);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  file = g_ptr_array_index (data->update->files, data->next++);
  data->download = mm_download_new (self->client, data->update->repo_id,
                                    data->update->new_commit, file->file, file->download_dir,
                                    &error);
  if (data->download != NULL &&
      g_strcmp0 (mm_download_get_destination (data->download), file->destination) != 0)
    {
      g_autofree char *display = g_filename_display_name (file->destination);

      g_clear_object (&data->download);
      g_set_error (&error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                   _("“%s” is no longer where it was downloaded to; it was not updated."),
                   display);
    }
  if (data->download == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->state_id = g_signal_connect (data->download, "notify::state",
                                     G_CALLBACK (download_state_cb), task);
  if (g_task_get_cancellable (task) != NULL)
    g_signal_connect_object (g_task_get_cancellable (task), "cancelled",
                             G_CALLBACK (update_cancelled_cb), data->download, 0);
  mm_download_start (data->download);
}

/**
 * mm_update_checker_update_async:
 * @update: an update from this checker
 * @cancellable: (nullable): stops it; a file half downloaded keeps its
 *   partial, the old file stays
 *
 * Downloads the files of @update that changed, one after the other, each
 * into its own place. The old file is replaced only once its new version
 * is verified; on success the update is recorded and leaves the list.
 */
void
mm_update_checker_update_async (MmUpdateChecker     *self,
                                MmUpdate            *update,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  UpdateData *data;

  g_return_if_fail (MM_IS_UPDATE_CHECKER (self));
  g_return_if_fail (update != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_update_checker_update_async);
  data = g_new0 (UpdateData, 1);
  data->update = mm_update_ref (update);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);

  update_next (task);
}

gboolean
mm_update_checker_update_finish (MmUpdateChecker  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_update_checker_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
