/* mm-mock-hub.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object: a thread with its own GMainContext runs two SoupServers,
 * the Hub on 127.0.0.1 and the CDN on 127.0.0.2. Fault settings live under
 * a mutex because tests set them from their own thread.
 *
 * The catalog and the handlers are mm-mock-hub-catalog.c and
 * mm-mock-hub-handlers.c; mm-mock-hub-private.h is what the three share.
 */
#define G_LOG_DOMAIN "mm-mock-hub"

#include "config.h"

#include "mm-mock-hub-private.h"

#include "mm-test-utils.h"

#include <stdio.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (MmMockHub, mm_mock_hub, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Servers                                                                   */
/* ------------------------------------------------------------------------ */

static gboolean
start_servers (MmMockHub  *self,
               GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  /* raw-paths: the handlers decode segments themselves, and libsoup would
   * otherwise refuse "..%2F" before they see it (the hostile repo has such
   * file names). */
  self->hub_server = soup_server_new ("server-header", "mm-mock-hub ", "raw-paths", TRUE, NULL);
  self->cdn_server = soup_server_new ("server-header", "mm-mock-cdn ", NULL);
  soup_server_add_handler (self->hub_server, NULL, mock_hub_handler_cb, self, NULL);
  soup_server_add_handler (self->cdn_server, NULL, mock_cdn_handler_cb, self, NULL);

  self->hub_service = mm_test_server_listen (self->hub_server, "127.0.0.1", self->port, &self->url,
                                             error);
  if (!self->hub_service)
    return FALSE;

  /* A second loopback address makes the CDN a different host, as on the real
   * Hub, so clients must drop Authorization on the redirect. */
  self->cdn_service = mm_test_server_listen (self->cdn_server, "127.0.0.2", 0, &self->cdn_url,
                                             &local_error);
  if (!self->cdn_service)
    {
      g_debug ("Cannot listen on 127.0.0.2 (%s); the CDN uses 127.0.0.1",
               local_error->message);
      self->cdn_service = mm_test_server_listen (self->cdn_server, "127.0.0.1", 0, &self->cdn_url,
                                                 error);
    }

  return self->cdn_service != NULL;
}

static void
stop_service (GSocketService **service)
{
  if (*service)
    {
      g_socket_service_stop (*service);
      g_socket_listener_close (G_SOCKET_LISTENER (*service));
      g_clear_object (service);
    }
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread_func (gpointer data)
{
  MmMockHub *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = start_servers (self, &error);

  g_mutex_lock (&self->mutex);
  self->started = TRUE;
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    g_main_loop_run (self->loop);

  /* Disconnecting finishes every open message; their data (streams, delay
   * sources) goes with them. Then run what is left on the context. */
  stop_service (&self->hub_service);
  stop_service (&self->cdn_service);
  soup_server_disconnect (self->hub_server);
  soup_server_disconnect (self->cdn_server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->hub_server);
  g_clear_object (&self->cdn_server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
mm_mock_hub_dispose (GObject *object)
{
  MmMockHub *self = MM_MOCK_HUB (object);

  mm_mock_hub_stop (self);

  G_OBJECT_CLASS (mm_mock_hub_parent_class)->dispose (object);
}

static void
mm_mock_hub_finalize (GObject *object)
{
  MmMockHub *self = MM_MOCK_HUB (object);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_hash_table_unref (self->cdn_versions);
  g_hash_table_unref (self->version_files);
  g_ptr_array_unref (self->cdn_ranges);
  g_hash_table_unref (self->cdn_index);
  g_hash_table_unref (self->repo_index);
  g_ptr_array_unref (self->repos);
  g_ptr_array_unref (self->request_paths);
  g_clear_pointer (&self->request_log, fclose);
  g_free (self->url);
  g_free (self->cdn_url);
  g_free (self->last_user_agent);
  g_free (self->last_hub_auth);
  g_free (self->last_cdn_auth);
  g_free (self->cdn_etag);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (mm_mock_hub_parent_class)->finalize (object);
}

static void
mm_mock_hub_class_init (MmMockHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_mock_hub_dispose;
  object_class->finalize = mm_mock_hub_finalize;
}

static void
mm_mock_hub_init (MmMockHub *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->repos = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_repo_free);
  self->repo_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->cdn_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->request_paths = g_ptr_array_new_with_free_func (g_free);
  self->version_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) mock_file_free);
  self->cdn_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cdn_ranges = g_ptr_array_new_with_free_func (g_free);
  self->search_page_size = DEFAULT_SEARCH_LIMIT;
  self->max_search_limit = MAX_SEARCH_LIMIT;
  self->tree_page_size = DEFAULT_TREE_PAGE;
  self->resolve_cache = TRUE;
  self->cdn_drop_after = G_MAXUINT64;
  self->cdn_stall_after = G_MAXUINT64;
  self->cdn_corrupt_at = G_MAXUINT64;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */
/* ------------------------------------------------------------------------ */

/**
 * mm_mock_hub_new_on_port:
 * @port: the Hub's port, 0 for a random one (the CDN always gets a random port)
 * @error: return location for a listening error
 *
 * Generates the catalog and starts both servers in a new thread; returns once
 * both listen.
 *
 * Returns: (transfer full) (nullable): the running mock, or %NULL on error
 */
MmMockHub *
mm_mock_hub_new_on_port (guint    port,
                         GError **error)
{
  g_autoptr(MmMockHub) self = g_object_new (MM_TYPE_MOCK_HUB, NULL);

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->port = port;
  mock_catalog_build (self);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("mm-mock-hub", server_thread_func, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * mm_mock_hub_new:
 * @error: return location for a listening error
 *
 * Like mm_mock_hub_new_on_port() with a random port.
 *
 * Returns: (transfer full) (nullable): the running mock, or %NULL on error
 */
MmMockHub *
mm_mock_hub_new (GError **error)
{
  return mm_mock_hub_new_on_port (0, error);
}

/**
 * mm_mock_hub_get_url:
 *
 * Returns: the Hub's base URL, e.g. "http://127.0.0.1:40123" (no trailing slash)
 */
const char *
mm_mock_hub_get_url (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return self->url;
}

/**
 * mm_mock_hub_get_cdn_url:
 *
 * Returns: the CDN's base URL, normally on 127.0.0.2
 */
const char *
mm_mock_hub_get_cdn_url (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return self->cdn_url;
}

/**
 * mm_mock_hub_stop:
 *
 * Stops both servers and joins their thread. Open connections are closed.
 * Safe to call more than once; dispose calls it too.
 */
void
mm_mock_hub_stop (MmMockHub *self)
{
  GThread *thread;

  g_return_if_fail (MM_IS_MOCK_HUB (self));

  thread = g_steal_pointer (&self->thread);
  if (!thread)
    return;

  /* Quit from inside the server's own loop: a g_main_loop_quit() from
   * here could land before the thread reaches g_main_loop_run() and be
   * lost, leaving the join waiting forever. */
  g_main_context_invoke (self->context, quit_loop_cb, self->loop);
  g_thread_join (thread);
}

void
mm_mock_hub_set_tree_page_size (MmMockHub *self,
                                guint      size)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (size > 0);

  g_mutex_lock (&self->mutex);
  self->tree_page_size = size;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_max_search_limit (MmMockHub *self,
                                  guint      limit)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (limit > 0);

  g_mutex_lock (&self->mutex);
  self->max_search_limit = MIN (limit, MAX_SEARCH_LIMIT);
  self->search_page_size = MIN (self->search_page_size, self->max_search_limit);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_search_page_size (MmMockHub *self,
                                  guint      size)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (size > 0);

  g_mutex_lock (&self->mutex);
  self->search_page_size = MIN (size, MAX_SEARCH_LIMIT);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_search_limit_cap (MmMockHub *self,
                                  guint      cap)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->search_limit_cap = cap;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_fail_next (MmMockHub *self,
                       guint      status,
                       guint      count,
                       guint      retry_after)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->fail_status = status;
  self->fail_count = count;
  self->fail_retry_after = retry_after;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_body_mode (MmMockHub  *self,
                           MmMockBody  mode,
                           guint       count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (mode <= MM_MOCK_BODY_EMPTY);

  g_mutex_lock (&self->mutex);
  self->body_mode = mode;
  self->body_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_refused_token (MmMockHub          *self,
                               MmMockRefusedToken  answer)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->refused_token = answer;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_resolve_cache (MmMockHub *self,
                               gboolean   enabled)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->resolve_cache = enabled;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_delay (MmMockHub *self,
                       guint      ms)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->delay_ms = ms;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_cdn_fail_next (MmMockHub *self,
                           guint      status,
                           guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->cdn_fail_status = status;
  self->cdn_fail_count = count;
  self->cdn_fail_retry_after = 0;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_cdn_fail_next_retry_after (MmMockHub *self,
                                       guint      status,
                                       guint      count,
                                       guint      retry_after)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->cdn_fail_status = status;
  self->cdn_fail_count = count;
  self->cdn_fail_retry_after = retry_after;
  g_mutex_unlock (&self->mutex);
}

/* Sets a CDN fault that applies to the next @count bodies. */
static void
set_counted_fault (MmMockHub *self,
                   guint64   *setting,
                   guint64    value,
                   guint     *counter,
                   guint      count)
{
  g_mutex_lock (&self->mutex);
  *setting = value;
  *counter = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_stall_after (MmMockHub *self,
                                 guint64    bytes,
                                 guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  set_counted_fault (self, &self->cdn_stall_after, bytes, &self->cdn_stall_count, count);
}

void
mm_mock_hub_set_cdn_short_body (MmMockHub *self,
                                guint64    missing,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (missing > 0 || count == 0);

  set_counted_fault (self, &self->cdn_short_by, missing, &self->cdn_short_count, count);
}

void
mm_mock_hub_set_cdn_corrupt_at (MmMockHub *self,
                                guint64    offset,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  set_counted_fault (self, &self->cdn_corrupt_at, offset, &self->cdn_corrupt_count, count);
}

void
mm_mock_hub_set_cdn_drop_after (MmMockHub *self,
                                guint64    bytes,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  set_counted_fault (self, &self->cdn_drop_after, bytes, &self->cdn_drop_count, count);
}

void
mm_mock_hub_set_cdn_rate (MmMockHub *self,
                          guint64    bytes_per_second)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_rate = bytes_per_second;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_ignore_range (MmMockHub *self,
                                  gboolean   ignore)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_ignore_range = !!ignore;
  g_mutex_unlock (&self->mutex);
}

/**
 * mm_mock_hub_set_request_log:
 * @path: (nullable): a file to append one line per request to
 *   (`hub|cdn METHOD PATH`), so that a test in another process can read
 *   the request log; %NULL stops
 */
gboolean
mm_mock_hub_set_request_log (MmMockHub   *self,
                             const char  *path,
                             GError     **error)
{
  FILE *file = NULL;

  if (path != NULL && (file = fopen (path, "a")) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->request_log, fclose);
  self->request_log = file;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

guint
mm_mock_hub_get_request_count (MmMockHub  *self,
                               const char *prefix)
{
  guint count = 0;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->request_paths->len; i++)
    if (!prefix || g_str_has_prefix (g_ptr_array_index (self->request_paths, i), prefix))
      count++;
  g_mutex_unlock (&self->mutex);

  return count;
}

void
mm_mock_hub_reset_counters (MmMockHub *self)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->request_paths, 0);
  g_ptr_array_set_size (self->cdn_ranges, 0);
  self->cdn_peak = self->cdn_active;
  self->cdn_bytes_sent = 0;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_max_connections (MmMockHub *self,
                                     guint      max_connections)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_max_connections = max_connections;
  g_mutex_unlock (&self->mutex);
}

guint
mm_mock_hub_get_cdn_peak_connections (MmMockHub *self)
{
  guint peak;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  peak = self->cdn_peak;
  g_mutex_unlock (&self->mutex);
  return peak;
}

guint64
mm_mock_hub_get_cdn_bytes_sent (MmMockHub *self)
{
  guint64 bytes;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  bytes = self->cdn_bytes_sent;
  g_mutex_unlock (&self->mutex);
  return bytes;
}

void
mm_mock_hub_set_cdn_etag (MmMockHub  *self,
                          const char *etag)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  g_free (self->cdn_etag);
  self->cdn_etag = g_strdup (etag);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_expire_cdn_urls (MmMockHub *self)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_expired_through = self->cdn_url_issue;
  g_mutex_unlock (&self->mutex);
}

static char *
dup_locked (MmMockHub   *self,
            char *const *field)
{
  char *copy;

  g_mutex_lock (&self->mutex);
  copy = g_strdup (*field);
  g_mutex_unlock (&self->mutex);
  return copy;
}

char *
mm_mock_hub_get_last_user_agent (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_user_agent);
}

char *
mm_mock_hub_get_last_hub_auth (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_hub_auth);
}

char *
mm_mock_hub_get_last_cdn_auth (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_cdn_auth);
}

static const MockFile *
lookup_file (MmMockHub  *self,
             const char *repo_id,
             const char *path)
{
  const MockRepo *repo = g_hash_table_lookup (self->repo_index, repo_id);

  return repo ? mock_repo_find_file (repo, path) : NULL;
}

gboolean
mm_mock_hub_lookup_file (MmMockHub   *self,
                         const char  *repo_id,
                         const char  *path,
                         guint64     *size,
                         char       **sha256)
{
  const MockFile *file;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && path, FALSE);

  file = lookup_file (self, repo_id, path);
  if (!file)
    return FALSE;
  file = mock_file_current (file);

  if (size)
    *size = file->size;
  if (sha256)
    *sha256 = g_strdup (file->sha256);
  return TRUE;
}

/**
 * mm_mock_hub_list_gguf_files:
 *
 * Returns: (transfer full): repo id and path of every .gguf file, in pairs
 */
char **
mm_mock_hub_list_gguf_files (MmMockHub *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);

  for (guint i = 0; i < self->repos->len; i++)
    {
      const MockRepo *repo = g_ptr_array_index (self->repos, i);

      for (guint j = 0; j < repo->files->len; j++)
        {
          const MockFile *file = g_ptr_array_index (repo->files, j);

          if (g_str_has_suffix (file->path, ".gguf"))
            {
              g_strv_builder_add (builder, repo->id);
              g_strv_builder_add (builder, file->path);
            }
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * mm_mock_hub_read_file:
 *
 * Returns: (transfer full) (nullable): the bytes served for the range, clamped
 *   to the end of the file; %NULL when there is no such file
 */
GBytes *
mm_mock_hub_read_file (MmMockHub  *self,
                       const char *repo_id,
                       const char *path,
                       guint64     offset,
                       gsize       length)
{
  const MockFile *file;
  guint8 *buf;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  g_return_val_if_fail (repo_id && path, NULL);

  file = lookup_file (self, repo_id, path);
  if (!file)
    return NULL;
  file = mock_file_current (file);

  offset = MIN (offset, file->size);
  length = MIN (length, file->size - offset);
  buf = g_malloc (length);
  mock_file_read (file, offset, buf, length);
  return g_bytes_new_take (buf, length);
}

/**
 * mm_mock_hub_set_file_version:
 *
 * Returns: FALSE when @repo_id has no LFS file @path
 */
gboolean
mm_mock_hub_set_file_version (MmMockHub  *self,
                              const char *repo_id,
                              const char *path,
                              guint       version)
{
  MockFile *base;
  MockFile *file = NULL;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && path, FALSE);
  g_return_val_if_fail (version > 0, FALSE);

  base = (MockFile *) lookup_file (self, repo_id, path);
  if (!base || !base->sha256)
    return FALSE;

  if (version > 1)
    {
      g_autofree char *key = g_strdup_printf ("%s\n%s\n%u", repo_id, path, version);

      /* Versions are kept until the mock goes: a stream in flight may
       * still read the one that is replaced now. */
      g_mutex_lock (&self->mutex);
      file = g_hash_table_lookup (self->version_files, key);
      if (!file)
        {
          file = mock_file_new_version (base, version);
          g_hash_table_insert (self->version_files, g_steal_pointer (&key), file);
          g_hash_table_insert (self->cdn_versions,
                               g_strconcat (base->repo->object_id, "/", file->sha256, NULL),
                               file);
        }
      g_mutex_unlock (&self->mutex);
    }

  g_atomic_pointer_set (&base->current, file);
  return TRUE;
}

gboolean
mm_mock_hub_set_repo_commit (MmMockHub  *self,
                             const char *repo_id,
                             const char *sha,
                             const char *last_modified)
{
  MockRepo *repo;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && sha && last_modified, FALSE);

  repo = g_hash_table_lookup (self->repo_index, repo_id);
  if (!repo)
    return FALSE;

  /* The old strings stay alive (a request in flight may read them); the
   * old commit still resolves, as on the Hub. */
  g_mutex_lock (&self->mutex);
  if (!repo->old_shas)
    {
      repo->old_shas = g_ptr_array_new_with_free_func (g_free);
      repo->old_dates = g_ptr_array_new_with_free_func (g_free);
    }
  g_ptr_array_add (repo->old_shas, repo->sha);
  g_ptr_array_add (repo->old_dates, repo->last_modified);
  g_atomic_pointer_set (&repo->sha, g_strdup (sha));
  g_atomic_pointer_set (&repo->last_modified, g_strdup (last_modified));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

char **
mm_mock_hub_get_cdn_ranges (MmMockHub *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ranges;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->cdn_ranges->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->cdn_ranges, i));
  g_mutex_unlock (&self->mutex);

  ranges = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ranges;
}

