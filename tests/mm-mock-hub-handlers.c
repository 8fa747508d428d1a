/* mm-mock-hub-handlers.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The handlers: one per endpoint of ../shared/hub-protocol.md, all called
 * on the server thread. Large bodies are streamed chunk by chunk from
 * "wrote-chunk" (as libsoup's streaming test does) and delays use a
 * GSource plus soup_server_message_pause/unpause, never a blocking sleep.
 */
#define G_LOG_DOMAIN "mm-mock-hub"

#include "config.h"

#include "mm-mock-hub-private.h"

#include <json-glib/json-glib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SIGNING_SECRET       "mm-mock-hub-signing-secret"
#define CDN_PREFIX           "xet-bridge-us"

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct {
  char *key;
  char *value;
} QueryParam;

typedef struct {
  SoupServerMessage *msg;        /* (unowned) */
  const char        *method;
  const char        *raw_path;   /* percent-encoded, as received */
  const char        *raw_query;  /* (nullable) */
  char             **segments;   /* decoded path segments */
  guint              n_segments;
  GPtrArray         *query;      /* (element-type QueryParam) */
  gboolean           head;
} Request;

static void
query_param_free (QueryParam *param)
{
  g_free (param->key);
  g_free (param->value);
  g_free (param);
}

static char *
form_unescape (const char *str,
               gssize      len)
{
  g_autofree char *copy = len < 0 ? g_strdup (str) : g_strndup (str, len);
  char *decoded;

  g_strdelimit (copy, "+", ' ');
  decoded = g_uri_unescape_string (copy, NULL);
  return decoded ? decoded : g_steal_pointer (&copy);
}

static void
request_free (Request *req)
{
  g_strfreev (req->segments);
  g_ptr_array_unref (req->query);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (SoupServerMessage *msg)
{
  Request *req = g_new0 (Request, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  g_auto(GStrv) raw_segments = NULL;
  g_auto(GStrv) pairs = NULL;
  guint n;

  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->head = req->method == SOUP_METHOD_HEAD;
  req->raw_path = g_uri_get_path (uri);
  req->raw_query = g_uri_get_query (uri);
  req->query = g_ptr_array_new_with_free_func ((GDestroyNotify) query_param_free);

  /* Split before decoding, so that "%2F" inside a revision or a file name
   * stays part of its segment. */
  raw_segments = g_strsplit (req->raw_path[0] == '/' ? req->raw_path + 1 : req->raw_path,
                             "/", -1);
  n = g_strv_length (raw_segments);
  if (n > 0 && raw_segments[n - 1][0] == '\0')
    n--;
  req->segments = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      char *decoded = g_uri_unescape_string (raw_segments[i], NULL);
      req->segments[i] = decoded ? decoded : g_strdup (raw_segments[i]);
    }
  req->n_segments = n;

  pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
  for (guint i = 0; pairs[i]; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      QueryParam *param;

      if (pairs[i][0] == '\0')
        continue;
      param = g_new0 (QueryParam, 1);
      param->key = form_unescape (pairs[i], eq ? eq - pairs[i] : -1);
      param->value = eq ? form_unescape (eq + 1, -1) : g_strdup ("");
      g_ptr_array_add (req->query, param);
    }

  return req;
}

static const char *
request_get_param (const Request *req,
                   const char    *key)
{
  for (guint i = 0; i < req->query->len; i++)
    {
      const QueryParam *param = g_ptr_array_index (req->query, i);

      if (g_str_equal (param->key, key))
        return param->value;
    }
  return NULL;
}

/* Collects every value of @key and of "@key[]"; comma-separated values are
 * split too, so "expand=a,b" and "expand=a&expand=b" mean the same. */
static GPtrArray *
request_get_list (const Request *req,
                  const char    *key)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bracket_key = g_strconcat (key, "[]", NULL);

  for (guint i = 0; i < req->query->len; i++)
    {
      const QueryParam *param = g_ptr_array_index (req->query, i);
      g_auto(GStrv) parts = NULL;

      if (!g_str_equal (param->key, key) && !g_str_equal (param->key, bracket_key))
        continue;
      parts = g_strsplit (param->value, ",", -1);
      for (guint j = 0; parts[j]; j++)
        if (parts[j][0] != '\0')
          g_ptr_array_add (values, g_strdup (parts[j]));
    }

  return values;
}

static gboolean
request_get_bool (const Request *req,
                  const char    *key)
{
  const char *value = request_get_param (req, key);

  return value && (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
}

static char *
request_join_segments (const Request *req,
                       guint          first)
{
  if (first >= req->n_segments)
    return g_strdup ("");
  return g_strjoinv ("/", req->segments + first);
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */
/* ------------------------------------------------------------------------ */

static void
set_header (SoupServerMessage *msg,
            const char        *name,
            const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, value);
}

static void
set_header_printf (SoupServerMessage *msg,
                   const char        *name,
                   const char        *format,
                   ...) G_GNUC_PRINTF (3, 4);

static void
set_header_printf (SoupServerMessage *msg,
                   const char        *name,
                   const char        *format,
                   ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  set_header (msg, name, value);
}

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

/* An error in the shape of error-responses.json: {"error": message} plus the
 * X-Error-Code (when @code is set) and X-Error-Message headers. */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  if (code)
    set_header (msg, "X-Error-Code", code);
  set_header (msg, "X-Error-Message", message);
  reply_text (msg, status, "application/json; charset=utf-8", body);
}

static void
reply_not_found (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                    "{\"error\":\"Not Found\"}",
                                    strlen ("{\"error\":\"Not Found\"}"));
}

static void
reply_repo_not_found (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "RepoNotFound", "Invalid username or password.");
}

static void
reply_entry_not_found (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "EntryNotFound", "Entry not found");
}

static void
reply_bad_token (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, "Invalid credentials in Authorization header");
}

/* Every member of every object becomes a value of another JSON type. The
 * top-level container is kept, so a client gets as far as reading fields. */
static JsonNode *
wrong_type_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return json_from_string ("7", NULL);
    case JSON_NODE_ARRAY:
      return json_from_string ("\"not-an-array\"", NULL);
    case JSON_NODE_NULL:
      return json_from_string ("\"null\"", NULL);
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return json_from_string ("42", NULL);
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return json_from_string ("\"yes\"", NULL);
      return json_from_string ("\"not-a-number\"", NULL);
    }
}

static void
mangle_object (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    json_object_set_member (object, l->data,
                            wrong_type_node (json_object_get_member (object, l->data)));
}

static void
mangle_wrong_types (JsonNode *root)
{
  if (JSON_NODE_HOLDS_OBJECT (root))
    mangle_object (json_node_get_object (root));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            mangle_object (json_node_get_object (element));
        }
    }
}

/* Sends a successful API answer; the body mode may mangle it. Takes @root. */
static void
reply_json (MmMockHub         *self,
            SoupServerMessage *msg,
            JsonNode          *root)
{
  g_autoptr(JsonNode) owned = root;
  g_autofree char *body = NULL;
  MmMockBody mode = MM_MOCK_BODY_NORMAL;

  g_mutex_lock (&self->mutex);
  if (self->body_count > 0 && self->body_mode != MM_MOCK_BODY_NORMAL)
    {
      mode = self->body_mode;
      self->body_count--;
    }
  g_mutex_unlock (&self->mutex);

  if (mode == MM_MOCK_BODY_WRONG_TYPES)
    mangle_wrong_types (owned);

  body = json_to_string (owned, FALSE);

  switch (mode)
    {
    case MM_MOCK_BODY_MALFORMED:
      g_free (body);
      body = g_strdup ("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>");
      break;
    case MM_MOCK_BODY_TRUNCATED:
      body[strlen (body) / 2] = '\0';
      break;
    case MM_MOCK_BODY_EMPTY:
      body[0] = '\0';
      break;
    case MM_MOCK_BODY_NORMAL:
    case MM_MOCK_BODY_WRONG_TYPES:
    default:
      break;
    }

  reply_text (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", body);
}

/* ------------------------------------------------------------------------ */
/* Model JSON                                                                */
/* ------------------------------------------------------------------------ */

static const char *const model_info_keys[] = {
  "_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes",
  "modelId", "author", "sha", "lastModified", "gated", "disabled", "model-index", "config",
  "cardData", "gguf", "siblings", "spaces", "createdAt", "usedStorage", NULL
};

static const char *const search_default_keys[] = {
  "_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
  "library_name", "createdAt", "modelId", NULL
};

/* ExpandModelProperty_T of huggingface_hub. */
static const char *const expand_keys[] = {
  "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
  "downloads", "downloadsAllTime", "evalResults", "gated", "gguf", "inference",
  "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token",
  "model-index", "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings",
  "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage", "widgetData", NULL
};

static JsonObject *
make_card_data (const MockRepo *repo)
{
  JsonObject *card = json_object_new ();

  if (repo->license)
    json_object_set_string_member (card, "license", repo->license);
  if (repo->base_model)
    {
      JsonArray *base = json_array_new ();

      json_array_add_string_element (base, repo->base_model);
      json_object_set_array_member (card, "base_model", base);
    }
  if (repo->pipeline_tag)
    json_object_set_string_member (card, "pipeline_tag", repo->pipeline_tag);

  return card;
}

static JsonObject *
make_gguf (const MockRepo *repo)
{
  JsonObject *gguf = json_object_new ();

  json_object_set_int_member (gguf, "total", repo->gguf.total);
  if (repo->gguf.architecture)
    json_object_set_string_member (gguf, "architecture", repo->gguf.architecture);
  if (repo->gguf.context_length)
    json_object_set_int_member (gguf, "context_length", repo->gguf.context_length);
  if (repo->gguf.chat_template)
    json_object_set_string_member (gguf, "chat_template", repo->gguf.chat_template);
  if (repo->gguf.bos_token)
    json_object_set_string_member (gguf, "bos_token", repo->gguf.bos_token);
  if (repo->gguf.eos_token)
    json_object_set_string_member (gguf, "eos_token", repo->gguf.eos_token);
  json_object_set_int_member (gguf, "totalFileSize", repo->gguf.total_file_size);

  return gguf;
}

/* The parameters of a repository's safetensors weights, as the Hub counts
 * them (`safetensors.total`): the mock's are all BF16, two bytes each.
 * 0 when the repository has none. */
static gint64
safetensors_parameters (const MockRepo *repo)
{
  guint64 bytes = 0;

  for (guint i = 0; i < repo->files->len; i++)
    {
      const MockFile *file = mock_file_current (g_ptr_array_index (repo->files, i));

      if (g_str_has_suffix (file->path, ".safetensors"))
        bytes += file->size;
    }
  return (gint64) (bytes / 2);
}

/* The count the Hub filters `num_parameters` on: the GGUF's, else the
 * safetensors'; 0 = unknown. */
static gint64
repo_parameters (const MockRepo *repo)
{
  if (repo->has_gguf && repo->gguf.total > 0)
    return repo->gguf.total;
  return safetensors_parameters (repo);
}

static JsonObject *
make_safetensors (const MockRepo *repo)
{
  JsonObject *safetensors = json_object_new ();
  JsonObject *parameters = json_object_new ();

  json_object_set_int_member (parameters, "BF16", safetensors_parameters (repo));
  json_object_set_object_member (safetensors, "parameters", parameters);
  json_object_set_int_member (safetensors, "total", safetensors_parameters (repo));
  return safetensors;
}

static JsonArray *
make_siblings (const MockRepo *repo,
               gboolean        blobs)
{
  JsonArray *siblings = json_array_new ();

  for (guint i = 0; i < repo->files->len; i++)
    {
      const MockFile *file = mock_file_current (g_ptr_array_index (repo->files, i));
      JsonObject *sibling = json_object_new ();

      json_object_set_string_member (sibling, "rfilename", file->path);
      if (blobs)
        {
          json_object_set_string_member (sibling, "blobId", file->blob_id);
          json_object_set_int_member (sibling, "size", file->size);
          if (file->sha256)
            {
              JsonObject *lfs = json_object_new ();

              json_object_set_string_member (lfs, "sha256", file->sha256);
              json_object_set_int_member (lfs, "size", file->size);
              json_object_set_int_member (lfs, "pointerSize", file->pointer_size);
              json_object_set_object_member (sibling, "lfs", lfs);
            }
        }
      json_array_add_object_element (siblings, sibling);
    }

  return siblings;
}

/* Adds the property @key of @repo to @object, as the Hub names and types it.
 * Properties without a value (pipeline_tag of an untagged repo) and
 * properties the mock does not model are left out. */
static void
add_model_property (JsonObject     *object,
                    const MockRepo *repo,
                    const char     *key,
                    gboolean        blobs)
{
  if (g_str_equal (key, "_id"))
    json_object_set_string_member (object, key, repo->object_id);
  else if (g_str_equal (key, "id") || g_str_equal (key, "modelId"))
    json_object_set_string_member (object, key, repo->id);
  else if (g_str_equal (key, "author"))
    json_object_set_string_member (object, key, repo->author);
  else if (g_str_equal (key, "sha"))
    json_object_set_string_member (object, key, repo->sha);
  else if (g_str_equal (key, "private"))
    json_object_set_boolean_member (object, key, repo->is_private);
  else if (g_str_equal (key, "disabled"))
    json_object_set_boolean_member (object, key, repo->disabled);
  else if (g_str_equal (key, "pipeline_tag") && repo->pipeline_tag)
    json_object_set_string_member (object, key, repo->pipeline_tag);
  else if (g_str_equal (key, "library_name") && repo->library_name)
    json_object_set_string_member (object, key, repo->library_name);
  else if (g_str_equal (key, "tags"))
    {
      JsonArray *tags = json_array_new ();

      for (guint i = 0; repo->tags[i]; i++)
        json_array_add_string_element (tags, repo->tags[i]);
      json_object_set_array_member (object, key, tags);
    }
  else if (g_str_equal (key, "downloads"))
    json_object_set_int_member (object, key, repo->downloads);
  else if (g_str_equal (key, "downloadsAllTime"))
    json_object_set_int_member (object, key, repo->downloads * 9);
  else if (g_str_equal (key, "likes"))
    json_object_set_int_member (object, key, repo->likes);
  else if (g_str_equal (key, "trendingScore"))
    json_object_set_int_member (object, key, repo->trending_score);
  else if (g_str_equal (key, "lastModified"))
    json_object_set_string_member (object, key, repo->last_modified);
  else if (g_str_equal (key, "createdAt"))
    json_object_set_string_member (object, key, repo->created_at);
  else if (g_str_equal (key, "gated"))
    {
      if (repo->gated)
        json_object_set_string_member (object, key, repo->gated);
      else
        json_object_set_boolean_member (object, key, FALSE);
    }
  else if (g_str_equal (key, "model-index"))
    json_object_set_null_member (object, key);
  else if (g_str_equal (key, "config"))
    json_object_set_object_member (object, key, json_object_new ());
  else if (g_str_equal (key, "cardData"))
    json_object_set_object_member (object, key, make_card_data (repo));
  else if (g_str_equal (key, "gguf") && repo->has_gguf)
    json_object_set_object_member (object, key, make_gguf (repo));
  else if (g_str_equal (key, "safetensors") && safetensors_parameters (repo) > 0)
    json_object_set_object_member (object, key, make_safetensors (repo));
  else if (g_str_equal (key, "siblings"))
    json_object_set_array_member (object, key, make_siblings (repo, blobs));
  else if (g_str_equal (key, "spaces"))
    json_object_set_array_member (object, key, json_array_new ());
  else if (g_str_equal (key, "usedStorage"))
    json_object_set_int_member (object, key, repo->used_storage);
}

static JsonNode *
make_model_node (const MockRepo    *repo,
                 const char *const *keys,
                 GPtrArray         *expand,
                 gboolean           blobs)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (expand && expand->len > 0)
    {
      /* "Only the listed properties (and id)", in the order asked for. */
      add_model_property (object, repo, "_id", FALSE);
      add_model_property (object, repo, "id", FALSE);
      for (guint i = 0; i < expand->len; i++)
        if (!json_object_has_member (object, g_ptr_array_index (expand, i)))
          add_model_property (object, repo, g_ptr_array_index (expand, i), blobs);
    }
  else
    {
      for (guint i = 0; keys[i]; i++)
        add_model_property (object, repo, keys[i], blobs);
    }

  json_node_take_object (node, object);
  return node;
}

/* Checks the expand values; replies 400 and returns FALSE when one is unknown. */
static gboolean
check_expand (SoupServerMessage *msg,
              GPtrArray         *expand)
{
  for (guint i = 0; i < expand->len; i++)
    {
      const char *key = g_ptr_array_index (expand, i);

      if (!g_strv_contains (expand_keys, key))
        {
          g_autofree char *message = g_strdup_printf ("Invalid expand value: \"%s\"", key);

          reply_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Pagination                                                                */
/* ------------------------------------------------------------------------ */

static char *
encode_cursor (guint offset)
{
  g_autofree char *json = g_strdup_printf ("{\"offset\":%u}", offset);

  return g_base64_encode ((const guchar *) json, strlen (json));
}

/* Parses an opaque cursor; replies 400 and returns FALSE when it is bad. */
static gboolean
decode_cursor (SoupServerMessage *msg,
               const char        *cursor,
               guint             *offset)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  JsonObject *object;

  *offset = 0;
  if (!cursor)
    return TRUE;

  decoded = g_base64_decode (cursor, &len);
  text = g_strndup ((const char *) decoded, len);
  if (g_utf8_validate (text, -1, NULL))
    node = json_from_string (text, NULL);

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      if (json_object_has_member (object, "offset") &&
          json_node_get_value_type (json_object_get_member (object, "offset")) == G_TYPE_INT64 &&
          json_object_get_int_member (object, "offset") >= 0 &&
          json_object_get_int_member (object, "offset") <= G_MAXINT)
        {
          *offset = json_object_get_int_member (object, "offset");
          return TRUE;
        }
    }

  reply_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid cursor");
  return FALSE;
}

/* Sets `Link: <absolute next URL>; rel="next"`: the URL repeats every query
 * parameter of the request verbatim and replaces the cursor. */
static void
set_next_link (MmMockHub     *self,
               const Request *req,
               guint          next_offset)
{
  g_autoptr(GString) url = g_string_new (self->url);
  g_auto(GStrv) pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
  g_autofree char *cursor = encode_cursor (next_offset);
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  g_autofree char *link = NULL;

  g_string_append (url, req->raw_path);
  g_string_append_c (url, '?');
  for (guint i = 0; pairs[i]; i++)
    {
      if (pairs[i][0] == '\0' || g_str_has_prefix (pairs[i], "cursor="))
        continue;
      g_string_append_printf (url, "%s&", pairs[i]);
    }
  g_string_append_printf (url, "cursor=%s", escaped);

  link = g_strdup_printf ("<%s>; rel=\"next\"", url->str);
  set_header (req->msg, "Link", link);
}

/* ------------------------------------------------------------------------ */
/* Hub endpoints                                                             */
/* ------------------------------------------------------------------------ */

typedef enum {
  TOKEN_NONE,
  TOKEN_VALID,
  TOKEN_NOACCESS,
  TOKEN_INVALID,
} TokenKind;

static TokenKind
classify_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (!auth)
    return TOKEN_NONE;
  if (g_str_equal (auth, "Bearer " MM_MOCK_HUB_TOKEN))
    return TOKEN_VALID;
  if (g_str_equal (auth, "Bearer " MM_MOCK_HUB_TOKEN_NOACCESS))
    return TOKEN_NOACCESS;
  return TOKEN_INVALID;
}

/* A private repo exists only for the account that can see it; everyone
 * else gets the same answer as for a repo that does not exist. */
static gboolean
repo_is_visible (const MockRepo    *repo,
                 SoupServerMessage *msg)
{
  return !repo->is_private || classify_token (msg) == TOKEN_VALID;
}

static MockRepo *
lookup_repo (MmMockHub     *self,
             const Request *req,
             guint          first)
{
  g_autofree char *id = NULL;
  MockRepo *repo;

  if (req->n_segments < first + 2)
    return NULL;
  id = g_strconcat (req->segments[first], "/", req->segments[first + 1], NULL);
  repo = g_hash_table_lookup (self->repo_index, id);
  return repo != NULL && repo_is_visible (repo, req->msg) ? repo : NULL;
}

/* Replies 404 RevisionNotFound and returns FALSE for an unknown revision. */
static gboolean
check_revision (SoupServerMessage *msg,
                const MockRepo    *repo,
                const char        *rev)
{
  g_autofree char *message = NULL;

  if (!rev || g_str_equal (rev, "main") || g_str_equal (rev, "HEAD") ||
      g_str_equal (rev, "refs/heads/main") || g_str_equal (rev, repo->sha))
    return TRUE;
  for (guint i = 0; repo->old_shas != NULL && i < repo->old_shas->len; i++)
    if (g_str_equal (rev, g_ptr_array_index (repo->old_shas, i)))
      return TRUE;

  message = g_strdup_printf ("Revision not found: %s", rev);
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", message);
  return FALSE;
}

/* Gated and disabled repos refuse downloads; replies and returns FALSE then. */
static gboolean
check_download_access (SoupServerMessage *msg,
                       const MockRepo    *repo)
{
  g_autofree char *message = NULL;

  if (repo->disabled)
    {
      reply_error (msg, SOUP_STATUS_FORBIDDEN, NULL, "Access to this resource is disabled.");
      return FALSE;
    }

  if (!repo->gated)
    return TRUE;

  switch (classify_token (msg))
    {
    case TOKEN_VALID:
      return TRUE;

    case TOKEN_NONE:
      message = g_strdup_printf ("Access to model %s is restricted. You must have access to it "
                                 "and be authenticated to access it. Please log in.", repo->id);
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "GatedRepo", message);
      return FALSE;

    case TOKEN_NOACCESS:
      message = g_strdup_printf ("Access to model %s is restricted and you are not in the "
                                 "authorized list. Visit https://huggingface.co/%s to ask for "
                                 "access.", repo->id, repo->id);
      reply_error (msg, SOUP_STATUS_FORBIDDEN, "GatedRepo", message);
      return FALSE;

    case TOKEN_INVALID:
    default:
      /* Only with MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS does a refused token
       * get this far (hub_handler_cb() refuses it otherwise): the answer is
       * the anonymous one, byte for byte. */
      message = g_strdup_printf ("Access to model %s is restricted. You must have access to it "
                                 "and be authenticated to access it. Please log in.", repo->id);
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "GatedRepo", message);
      return FALSE;
    }
}

typedef enum {
  SORT_NONE,
  SORT_DOWNLOADS,
  SORT_LIKES,
  SORT_TRENDING,
  SORT_LAST_MODIFIED,
  SORT_CREATED_AT,
  SORT_LIKES30D,
  SORT_NUM_PARAMETERS,
  SORT_MAIN_SIZE,
  SORT_ID,
  SORT_DOWNLOADS_ALL_TIME,
} SortKey;

/* Likes of the last 30 days: part of all likes, a different part per repo,
 * so that this order differs from sort=likes. */
static gint64
repo_likes30d (const MockRepo *repo)
{
  return repo->likes * (gint64) (mock_fnv1a64 (repo->id, "likes30d") % 100) / 100;
}

/* The size of the repo's largest file (the model, for a model repo). */
static guint64
repo_main_size (const MockRepo *repo)
{
  guint64 size = 0;

  for (guint i = 0; i < repo->files->len; i++)
    size = MAX (size, ((const MockFile *) g_ptr_array_index (repo->files, i))->size);
  return size;
}

#define CMP_DESC(x, y) (((y) > (x)) - ((y) < (x)))

static int
compare_repos (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const MockRepo *ra = *(MockRepo **) a;
  const MockRepo *rb = *(MockRepo **) b;
  SortKey key = GPOINTER_TO_INT (user_data);
  int result = 0;

  /* Always descending; ties fall back to the object id, like a database index. */
  switch (key)
    {
    case SORT_DOWNLOADS:
      result = (rb->downloads > ra->downloads) - (rb->downloads < ra->downloads);
      break;
    case SORT_LIKES:
      result = (rb->likes > ra->likes) - (rb->likes < ra->likes);
      break;
    case SORT_TRENDING:
      result = (rb->trending_score > ra->trending_score) -
               (rb->trending_score < ra->trending_score);
      break;
    case SORT_LAST_MODIFIED:
      result = strcmp (rb->last_modified, ra->last_modified);
      break;
    case SORT_CREATED_AT:
      result = strcmp (rb->created_at, ra->created_at);
      break;
    case SORT_LIKES30D:
      result = CMP_DESC (repo_likes30d (ra), repo_likes30d (rb));
      break;
    case SORT_NUM_PARAMETERS:
      result = CMP_DESC (ra->has_gguf ? ra->gguf.total : 0, rb->has_gguf ? rb->gguf.total : 0);
      break;
    case SORT_MAIN_SIZE:
      result = CMP_DESC (repo_main_size (ra), repo_main_size (rb));
      break;
    case SORT_ID:
      result = strcmp (rb->id, ra->id);
      break;
    case SORT_DOWNLOADS_ALL_TIME:
      result = CMP_DESC (ra->downloads, rb->downloads);
      break;
    case SORT_NONE:
    default:
      break;
    }

  return result != 0 ? result : strcmp (rb->object_id, ra->object_id);
}

static gboolean
repo_matches (const MockRepo *repo,
              const char     *search_folded,
              const char     *author,
              const char     *pipeline_tag,
              GPtrArray      *filters)
{
  if (search_folded)
    {
      g_autofree char *id_folded = g_utf8_casefold (repo->id, -1);

      if (!strstr (id_folded, search_folded))
        return FALSE;
    }
  if (author && g_ascii_strcasecmp (author, repo->author) != 0)
    return FALSE;
  if (pipeline_tag && g_strcmp0 (pipeline_tag, repo->pipeline_tag) != 0)
    return FALSE;
  for (guint i = 0; i < filters->len; i++)
    if (!g_strv_contains ((const char *const *) repo->tags, g_ptr_array_index (filters, i)))
      return FALSE;
  return TRUE;
}

/* One bound of `num_parameters`: digits with an optional K, M, B or T
 * ("3B", "7340032000", "0"), as the Hub's size filter takes them. */
static gboolean
parse_parameter_count (const char *text,
                       gint64     *count)
{
  g_autofree char *digits = g_strdup (text);
  gsize len = strlen (digits);
  guint64 scale = 1;
  guint64 value;

  if (len > 0)
    switch (g_ascii_toupper (digits[len - 1]))
      {
      case 'K': scale = 1000; break;
      case 'M': scale = 1000000; break;
      case 'B': scale = 1000000000; break;
      case 'T': scale = G_GUINT64_CONSTANT (1000000000000); break;
      default: break;
      }
  if (scale != 1)
    digits[len - 1] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64 / scale, &value, NULL))
    return FALSE;
  *count = (gint64) (value * scale);
  return TRUE;
}

/* `num_parameters=min:3B,max:8B` (either bound may be missing): inclusive
 * bounds; -1 = none. FALSE for anything else. */
static gboolean
parse_num_parameters (const char *text,
                      gint64     *min,
                      gint64     *max)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *min = -1;
  *max = -1;
  if (parts[0] == NULL)
    return FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "min:") && *min < 0)
        {
          if (!parse_parameter_count (parts[i] + 4, min))
            return FALSE;
        }
      else if (g_str_has_prefix (parts[i], "max:") && *max < 0)
        {
          if (!parse_parameter_count (parts[i] + 4, max))
            return FALSE;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* GET /api/models */
static void
handle_search (MmMockHub *self,
               Request   *req)
{
  static const struct { const char *name; SortKey key; } sorts[] = {
    { "downloads", SORT_DOWNLOADS },
    { "likes", SORT_LIKES },
    { "trendingScore", SORT_TRENDING },
    { "lastModified", SORT_LAST_MODIFIED },
    { "createdAt", SORT_CREATED_AT },
    { "likes30d", SORT_LIKES30D },
    { "num_parameters", SORT_NUM_PARAMETERS },
    { "mainSize", SORT_MAIN_SIZE },
    { "id", SORT_ID },
    { "downloadsAllTime", SORT_DOWNLOADS_ALL_TIME },
  };
  g_autoptr(GPtrArray) expand = request_get_list (req, "expand");
  g_autoptr(GPtrArray) filters = request_get_list (req, "filter");
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autofree char *search_folded = NULL;
  const char *search = request_get_param (req, "search");
  const char *sort = request_get_param (req, "sort");
  const char *limit_str = request_get_param (req, "limit");
  const char *num_parameters = request_get_param (req, "num_parameters");
  gint64 min_parameters = -1;
  gint64 max_parameters = -1;
  guint limit_cap;
  JsonArray *array;
  JsonNode *root;
  SortKey sort_key = SORT_NONE;
  guint64 max_limit;
  guint64 limit;
  guint offset;

  g_mutex_lock (&self->mutex);
  limit = self->search_page_size;
  limit_cap = self->search_limit_cap;
  max_limit = self->max_search_limit;
  g_mutex_unlock (&self->mutex);

  if (!check_expand (req->msg, expand))
    return;

  if (sort)
    {
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        if (g_str_equal (sort, sorts[i].name))
          sort_key = sorts[i].key;
      if (sort_key == SORT_NONE)
        {
          reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid sort parameter");
          return;
        }
    }

  if (limit_str)
    {
      if (!g_ascii_string_to_unsigned (limit_str, 10, 1, G_MAXUINT32, &limit, NULL))
        {
          reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid limit parameter");
          return;
        }
      limit = MIN (limit, max_limit);
    }
  if (limit_cap > 0)
    limit = MIN (limit, limit_cap);

  if (num_parameters != NULL &&
      !parse_num_parameters (num_parameters, &min_parameters, &max_parameters))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid num_parameters parameter");
      return;
    }

  if (!decode_cursor (req->msg, request_get_param (req, "cursor"), &offset))
    return;

  if (search && *search)
    search_folded = g_utf8_casefold (search, -1);

  for (guint i = 0; i < self->repos->len; i++)
    {
      MockRepo *repo = g_ptr_array_index (self->repos, i);

      if (num_parameters != NULL &&
          (repo_parameters (repo) == 0 ||
           (min_parameters >= 0 && repo_parameters (repo) < min_parameters) ||
           (max_parameters >= 0 && repo_parameters (repo) > max_parameters)))
        continue;
      if (repo_is_visible (repo, req->msg) &&
          repo_matches (repo, search_folded, request_get_param (req, "author"),
                        request_get_param (req, "pipeline_tag"), filters))
        g_ptr_array_add (matches, repo);
    }

  if (sort_key != SORT_NONE)
    g_ptr_array_sort_with_data (matches, compare_repos, GINT_TO_POINTER (sort_key));

  array = json_array_new ();
  for (guint i = offset; i < matches->len && i < offset + limit; i++)
    json_array_add_element (array, make_model_node (g_ptr_array_index (matches, i),
                                                    search_default_keys, expand, FALSE));

  if (offset + limit < matches->len)
    set_next_link (self, req, offset + limit);

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}[/revision/{rev}] */
static void
handle_model_info (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo,
                   const char     *rev)
{
  g_autoptr(GPtrArray) expand = request_get_list (req, "expand");

  JsonNode *node;

  if (!check_revision (req->msg, repo, rev) || !check_expand (req->msg, expand))
    return;

  node = make_model_node (repo, model_info_keys, expand, request_get_bool (req, "blobs"));
  /* At an earlier commit (mm_mock_hub_set_repo_commit()) the answer names
   * that commit, as the Hub's does; the files stay today's. */
  for (guint i = 0; rev != NULL && repo->old_shas != NULL && i < repo->old_shas->len; i++)
    if (g_str_equal (rev, g_ptr_array_index (repo->old_shas, i)) &&
        json_object_has_member (json_node_get_object (node), "sha"))
      json_object_set_string_member (json_node_get_object (node), "sha", rev);
  reply_json (self, req->msg, node);
}

#define COMMIT_TITLE "Upload folder using huggingface_hub"
#define EXPANDED_TREE_PAGE 50

/* `lastCommit`: every file of the catalog came with the repo's last commit. */
static JsonObject *
make_last_commit (const MockRepo *repo)
{
  JsonObject *commit = json_object_new ();

  json_object_set_string_member (commit, "id", repo->sha);
  json_object_set_string_member (commit, "title", COMMIT_TITLE);
  json_object_set_string_member (commit, "date", repo->last_modified);
  return commit;
}

static JsonObject *
make_scan (const char *status)
{
  JsonObject *scan = json_object_new ();

  json_object_set_string_member (scan, "status", status);
  return scan;
}

/* `securityFileStatus`, in the shape of the Hub's OpenAPI description:
 * status, avScan and pickleImportScan (each with its own status). */
static JsonObject *
make_security_status (const MockFile *file)
{
  JsonObject *status = json_object_new ();
  JsonObject *pickle = make_scan ("unscanned");

  json_object_set_string_member (status, "status", "safe");
  json_object_set_object_member (status, "avScan", make_scan ("safe"));
  json_object_set_array_member (pickle, "pickleImports", json_array_new ());
  json_object_set_object_member (status, "pickleImportScan", pickle);
  return status;
}

static JsonNode *
make_tree_entry (const MockRepo  *repo,
                 const MockEntry *entry,
                 gboolean         expand)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (entry->is_dir)
    {
      json_object_set_string_member (object, "type", "directory");
      json_object_set_string_member (object, "oid", entry->oid);
      json_object_set_int_member (object, "size", 0);
      json_object_set_string_member (object, "path", entry->path);
    }
  else
    {
      const MockFile *file = mock_file_current (entry->file);

      json_object_set_string_member (object, "type", "file");
      json_object_set_string_member (object, "oid", file->blob_id);
      json_object_set_int_member (object, "size", file->size);
      json_object_set_string_member (object, "path", file->path);
      if (file->sha256)
        {
          JsonObject *lfs = json_object_new ();

          json_object_set_string_member (lfs, "oid", file->sha256);
          json_object_set_int_member (lfs, "size", file->size);
          json_object_set_int_member (lfs, "pointerSize", file->pointer_size);
          json_object_set_object_member (object, "lfs", lfs);
          json_object_set_string_member (object, "xetHash", file->xet_hash);
        }
    }

  if (expand)
    {
      json_object_set_object_member (object, "lastCommit", make_last_commit (repo));
      if (!entry->is_dir)
        json_object_set_object_member (object, "securityFileStatus",
                                       make_security_status (entry->file));
    }

  json_node_take_object (node, object);
  return node;
}

/* GET /api/models/{org}/{name}/tree/{rev}[/{path}] */
static void
handle_tree (MmMockHub      *self,
             Request        *req,
             const MockRepo *repo)
{
  g_autofree char *folder = request_join_segments (req, 6);
  g_autofree char *prefix = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  gboolean recursive = request_get_bool (req, "recursive");
  gboolean expand = request_get_bool (req, "expand");
  JsonArray *array;
  JsonNode *root;
  guint page_size;
  guint offset;

  if (!check_revision (req->msg, repo, req->segments[5]))
    return;

  g_mutex_lock (&self->mutex);
  page_size = self->tree_page_size;
  g_mutex_unlock (&self->mutex);
  /* hub-protocol.md §3: 1000 entries per page, 50 with expand=true. */
  if (expand)
    page_size = MIN (page_size, EXPANDED_TREE_PAGE);

  if (*folder)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < repo->entries->len && !found; i++)
        {
          const MockEntry *entry = g_ptr_array_index (repo->entries, i);

          found = entry->is_dir && g_str_equal (entry->path, folder);
        }
      if (!found)
        {
          reply_entry_not_found (req->msg);
          return;
        }
      prefix = g_strconcat (folder, "/", NULL);
    }
  else
    prefix = g_strdup ("");

  if (!decode_cursor (req->msg, request_get_param (req, "cursor"), &offset))
    return;

  for (guint i = 0; i < repo->entries->len; i++)
    {
      MockEntry *entry = g_ptr_array_index (repo->entries, i);
      const char *rest;

      if (!g_str_has_prefix (entry->path, prefix))
        continue;
      rest = entry->path + strlen (prefix);
      if (*rest == '\0' || (!recursive && strchr (rest, '/')))
        continue;
      g_ptr_array_add (listed, entry);
    }

  array = json_array_new ();
  for (guint i = offset; i < listed->len && i < offset + page_size; i++)
    json_array_add_element (array, make_tree_entry (repo, g_ptr_array_index (listed, i), expand));

  if (offset + page_size < listed->len)
    set_next_link (self, req, offset + page_size);

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}/refs */
static void
handle_refs (MmMockHub      *self,
             Request        *req,
             const MockRepo *repo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "branches");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "main");
  json_builder_set_member_name (builder, "ref");
  json_builder_add_string_value (builder, "refs/heads/main");
  json_builder_set_member_name (builder, "targetCommit");
  json_builder_add_string_value (builder, repo->sha);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "converts");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  reply_json (self, req->msg, json_builder_get_root (builder));
}

/* GET /api/models/{org}/{name}/auth-check: "may this token download?",
 * answered with the same rules as /resolve. */
static void
handle_auth_check (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo)
{
  if (!check_download_access (req->msg, repo))
    return;

  reply_json (self, req->msg, json_from_string ("{}", NULL));
}

/* GET /api/whoami-v2 */
static void
handle_whoami (MmMockHub *self,
               Request   *req)
{
  TokenKind token = classify_token (req->msg);
  g_autoptr(JsonNode) root = NULL;

  if (token != TOKEN_VALID && token != TOKEN_NOACCESS)
    {
      reply_bad_token (req->msg);
      return;
    }

  root = json_from_string ("{\"type\":\"user\",\"id\":\"65f0c0ffee0000000000beef\","
                           "\"name\":\"mock-user\",\"fullname\":\"Mock User\","
                           "\"email\":\"mock-user@example.invalid\",\"emailVerified\":true,"
                           "\"canPay\":false,\"isPro\":false,\"periodEnd\":null,"
                           "\"avatarUrl\":\"https://example.invalid/avatar.png\",\"orgs\":[],"
                           "\"auth\":{\"type\":\"access_token\",\"accessToken\":"
                           "{\"displayName\":\"mock\",\"role\":\"read\"}}}", NULL);
  reply_json (self, req->msg, g_steal_pointer (&root));
}

/* Consumes one fail_next() failure; returns TRUE when it replied. */
static gboolean
consume_api_failure (MmMockHub         *self,
                     SoupServerMessage *msg)
{
  guint status = 0;
  guint retry_after = 0;

  g_mutex_lock (&self->mutex);
  if (self->fail_count > 0)
    {
      self->fail_count--;
      status = self->fail_status;
      retry_after = self->fail_retry_after;
    }
  g_mutex_unlock (&self->mutex);

  if (status == 0)
    return FALSE;

  if (status == 429)
    {
      set_header_printf (msg, "Retry-After", "%u", retry_after);
      set_header_printf (msg, "RateLimit", "\"api\";r=0;t=%u", retry_after);
      set_header (msg, "RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300");
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC,
                                        "{\"error\":\"Too many requests (synthetic message)\"}",
                                        strlen ("{\"error\":\"Too many requests "
                                                "(synthetic message)\"}"));
    }
  else if (status >= 500)
    {
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, "{\"error\":\"Internal Error\"}",
                                        strlen ("{\"error\":\"Internal Error\"}"));
    }
  else
    reply_error (msg, status, NULL, soup_status_get_phrase (status));

  return TRUE;
}

static void
destroy_source (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
delay_elapsed_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  GSource *source;

  /* The message owns the source; take it back so that dropping it does not
   * destroy the source we are dispatching. */
  source = g_object_steal_data (G_OBJECT (msg), "mm-delay-source");
  g_source_unref (source);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* Holds the answer back for @ms without blocking the server thread. If the
 * message goes away first, its data drops the source with it. */
static void
delay_response (MmMockHub         *self,
                SoupServerMessage *msg,
                guint              ms)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, delay_elapsed_cb, msg, NULL);
  g_source_set_name (source, "[mm-mock-hub] delay");
  g_object_set_data_full (G_OBJECT (msg), "mm-delay-source", source, destroy_source);
  g_source_attach (source, self->context);
  soup_server_message_pause (msg);
}

/* Adds @path to @paths once. */
static void
add_unique_path (GPtrArray  *paths,
                 const char *path)
{
  for (guint i = 0; i < paths->len; i++)
    if (g_str_equal (g_ptr_array_index (paths, i), path))
      return;
  g_ptr_array_add (paths, g_strdup (path));
}

/* Reads the body of POST paths-info: JSON `{"paths": [...], "expand": bool}`
 * as @huggingface/hub sends it, or a form `paths=a&paths=b&expand=True` as
 * huggingface_hub does. Returns FALSE (and the message) when it is neither. */
static gboolean
parse_paths_info_body (SoupServerMessage  *msg,
                       GPtrArray          *paths,
                       gboolean           *expand,
                       char              **problem)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_strndup (data ? data : "", len);

  *expand = FALSE;
  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonNode) root = json_from_string (text, NULL);
      JsonObject *object;
      JsonNode *list;

      if (!root || !JSON_NODE_HOLDS_OBJECT (root))
        {
          *problem = g_strdup ("Invalid JSON body");
          return FALSE;
        }
      object = json_node_get_object (root);
      list = json_object_get_member (object, "paths");
      if (!list || !JSON_NODE_HOLDS_ARRAY (list))
        {
          *problem = g_strdup ("Expected \"paths\" to be an array of strings");
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (list), i);

          if (json_node_get_value_type (element) != G_TYPE_STRING)
            {
              *problem = g_strdup ("Expected \"paths\" to be an array of strings");
              return FALSE;
            }
          add_unique_path (paths, json_node_get_string (element));
        }
      if (json_object_has_member (object, "expand"))
        {
          JsonNode *value = json_object_get_member (object, "expand");

          if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
            *expand = json_node_get_boolean (value);
          else if (!JSON_NODE_HOLDS_NULL (value))
            {
              *problem = g_strdup ("Expected \"expand\" to be a boolean");
              return FALSE;
            }
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") == 0)
    {
      g_auto(GStrv) pairs = g_strsplit (text, "&", -1);

      for (guint i = 0; pairs[i]; i++)
        {
          const char *eq = strchr (pairs[i], '=');
          g_autofree char *key = NULL;
          g_autofree char *value = NULL;

          if (!eq)
            continue;
          key = form_unescape (pairs[i], eq - pairs[i]);
          value = form_unescape (eq + 1, -1);
          if (g_str_equal (key, "paths") || g_str_equal (key, "paths[]"))
            add_unique_path (paths, value);
          else if (g_str_equal (key, "expand"))
            *expand = g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1");
        }
      return TRUE;
    }

  *problem = g_strdup ("Expected a JSON or form body");
  return FALSE;
}

/* POST /api/models/{org}/{name}/paths-info/{rev}: the tree entries of the
 * paths asked for, in the order asked; paths that do not exist are left
 * out (no error), a folder gives its directory entry. With expand, each
 * entry has lastCommit and (files) securityFileStatus, as in the tree. */
static void
handle_paths_info (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *rev = request_join_segments (req, 5);
  g_autofree char *problem = NULL;
  gboolean expand = FALSE;
  JsonArray *array;
  JsonNode *root;

  if (!check_revision (req->msg, repo, rev))
    return;
  if (!parse_paths_info_body (req->msg, paths, &expand, &problem))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, problem);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);

      for (guint j = 0; j < repo->entries->len; j++)
        {
          const MockEntry *entry = g_ptr_array_index (repo->entries, j);

          if (g_str_equal (entry->path, path))
            {
              json_array_add_element (array, make_tree_entry (repo, entry, expand));
              break;
            }
        }
    }

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

static void
add_commit (JsonArray      *array,
            const MockRepo *repo,
            const char     *id,
            const char     *title,
            const char     *date)
{
  JsonObject *commit = json_object_new ();
  JsonArray *authors = json_array_new ();
  JsonObject *author = json_object_new ();
  g_autofree char *avatar = g_strdup_printf ("https://example.invalid/avatars/%s.png",
                                             repo->author);

  json_object_set_string_member (author, "user", repo->author);
  json_object_set_string_member (author, "avatar", avatar);
  json_array_add_object_element (authors, author);

  json_object_set_string_member (commit, "id", id);
  json_object_set_string_member (commit, "title", title);
  json_object_set_string_member (commit, "message", "");
  json_object_set_array_member (commit, "authors", authors);
  json_object_set_string_member (commit, "date", date);
  json_array_add_object_element (array, commit);
}

/* GET /api/models/{org}/{name}/commits/{rev}[?limit=N&p=PAGE]: the history
 * of @rev, newest first. Each catalog repo has two commits: the upload
 * (its sha, at lastModified) and the initial one (at createdAt). Pages are
 * counted by `p` from 0 and linked with `Link: <…>; rel="next"`. */
static void
handle_commits (MmMockHub      *self,
                Request        *req,
                const MockRepo *repo)
{
  g_autofree char *rev = request_join_segments (req, 5);
  g_autofree char *initial = mock_derive_hex ("initial-commit", repo->id, G_CHECKSUM_SHA1, 40);
  g_autoptr(JsonArray) all = json_array_new ();
  const char *limit_str = request_get_param (req, "limit");
  const char *page_str = request_get_param (req, "p");
  guint64 limit = 50;
  guint64 page = 0;
  JsonArray *array;
  JsonNode *root;

  if (!g_str_equal (rev, initial))
    {
      if (!check_revision (req->msg, repo, rev))
        return;
      add_commit (all, repo, repo->sha, COMMIT_TITLE, repo->last_modified);
    }
  add_commit (all, repo, initial, "initial commit", repo->created_at);

  if ((limit_str && !g_ascii_string_to_unsigned (limit_str, 10, 1, 1000, &limit, NULL)) ||
      (page_str && !g_ascii_string_to_unsigned (page_str, 10, 0, G_MAXUINT32, &page, NULL)))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid limit or page parameter");
      return;
    }

  array = json_array_new ();
  for (guint64 i = page * limit; i < json_array_get_length (all) && i < (page + 1) * limit; i++)
    json_array_add_element (array, json_node_copy (json_array_get_element (all, i)));

  if ((page + 1) * limit < json_array_get_length (all))
    {
      g_autoptr(GString) url = g_string_new (self->url);
      g_auto(GStrv) pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
      g_autofree char *link = NULL;

      g_string_append (url, req->raw_path);
      g_string_append_c (url, '?');
      for (guint i = 0; pairs[i]; i++)
        if (pairs[i][0] != '\0' && !g_str_has_prefix (pairs[i], "p="))
          g_string_append_printf (url, "%s&", pairs[i]);
      g_string_append_printf (url, "p=%" G_GUINT64_FORMAT, page + 1);
      link = g_strdup_printf ("<%s>; rel=\"next\"", url->str);
      set_header (req->msg, "Link", link);
    }

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}/xet-read-token/{rev}: the target of the
 * `rel="xet-auth"` link of /resolve. A short-lived token for the CAS
 * server; the mock has no CAS server, so the token opens nothing. */
static void
handle_xet_read_token (MmMockHub      *self,
                       Request        *req,
                       const MockRepo *repo)
{
  g_autofree char *rev = request_join_segments (req, 5);
  JsonObject *object;
  JsonNode *root;

  if (!check_revision (req->msg, repo, rev) || !check_download_access (req->msg, repo))
    return;

  object = json_object_new ();
  json_object_set_string_member (object, "accessToken", "mock-xet-read-token");
  json_object_set_int_member (object, "exp", g_get_real_time () / G_USEC_PER_SEC + 3600);
  json_object_set_string_member (object, "casUrl", self->cdn_url);
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);
  reply_json (self, req->msg, root);
}

static void
route_api (MmMockHub *self,
           Request   *req)
{
  MockRepo *repo;

  gboolean post = req->method == SOUP_METHOD_POST;

  /* Only paths-info takes a POST. */
  if (post && !(req->n_segments >= 6 && g_str_equal (req->segments[1], "models") &&
                g_str_equal (req->segments[4], "paths-info")))
    reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method Not Allowed");
  else if (req->n_segments == 2 && g_str_equal (req->segments[1], "whoami-v2"))
    handle_whoami (self, req);

  else if (req->n_segments == 2 && g_str_equal (req->segments[1], "models"))
    handle_search (self, req);
  else if (req->n_segments >= 4 && g_str_equal (req->segments[1], "models"))
    {
      const char *what = req->n_segments > 4 ? req->segments[4] : NULL;

      repo = lookup_repo (self, req, 2);
      if (!repo)
        reply_repo_not_found (req->msg);
      else if (!what)
        handle_model_info (self, req, repo, NULL);
      else if (g_str_equal (what, "revision") && req->n_segments >= 6)
        {
          g_autofree char *rev = request_join_segments (req, 5);
          handle_model_info (self, req, repo, rev);
        }
      else if (g_str_equal (what, "tree") && req->n_segments >= 6)
        handle_tree (self, req, repo);
      else if (g_str_equal (what, "refs") && req->n_segments == 5)
        handle_refs (self, req, repo);
      else if (g_str_equal (what, "auth-check") && req->n_segments == 5)
        handle_auth_check (self, req, repo);
      else if (g_str_equal (what, "paths-info") && req->n_segments >= 6 && post)
        handle_paths_info (self, req, repo);
      else if (g_str_equal (what, "commits") && req->n_segments >= 6)
        handle_commits (self, req, repo);
      else if (g_str_equal (what, "xet-read-token") && req->n_segments >= 6)
        handle_xet_read_token (self, req, repo);
      else
        reply_not_found (req->msg);
    }
  else
    reply_not_found (req->msg);
}

/* Everything under /api/: faults first, then the endpoint, then the delay. */
static void
handle_api (MmMockHub *self,
            Request   *req)
{
  guint delay;

  if (!consume_api_failure (self, req->msg))
    route_api (self, req);

  g_mutex_lock (&self->mutex);
  delay = self->delay_ms;
  g_mutex_unlock (&self->mutex);

  if (delay > 0)
    delay_response (self, req->msg, delay);
}

/* ------------------------------------------------------------------------ */
/* Content: ranges and streaming                                             */
/* ------------------------------------------------------------------------ */

typedef enum {
  RANGE_NONE,            /* no Range, or one we ignore: serve the whole file */
  RANGE_OK,
  RANGE_UNSATISFIABLE,
} RangeResult;

static gboolean
parse_offset (const char *str,
              guint64    *value)
{
  return *str != '\0' && g_ascii_string_to_unsigned (str, 10, 0, G_MAXUINT64, value, NULL);
}

/* Single ranges "N-", "N-M" and "-N". Malformed and multi-range headers are
 * ignored (RFC 9110 allows that), as libsoup's range-test expects. */
static RangeResult
parse_range (const char *header,
             guint64     total,
             guint64    *start,
             guint64    *end)
{
  g_autofree char *first = NULL;
  const char *spec;
  const char *dash;
  guint64 a, b;

  if (!header || !g_str_has_prefix (header, "bytes="))
    return RANGE_NONE;
  spec = header + strlen ("bytes=");
  dash = strchr (spec, '-');
  if (!dash || strchr (spec, ','))
    return RANGE_NONE;

  if (dash == spec)
    {
      if (!parse_offset (dash + 1, &b))
        return RANGE_NONE;
      if (b == 0 || total == 0)
        return RANGE_UNSATISFIABLE;
      *start = total > b ? total - b : 0;
      *end = total - 1;
      return RANGE_OK;
    }

  first = g_strndup (spec, dash - spec);
  if (!parse_offset (first, &a))
    return RANGE_NONE;
  if (dash[1] != '\0')
    {
      if (!parse_offset (dash + 1, &b) || b < a)
        return RANGE_NONE;
    }
  else
    b = G_MAXUINT64;

  if (a >= total)
    return RANGE_UNSATISFIABLE;
  *start = a;
  *end = MIN (b, total - 1);
  return RANGE_OK;
}

typedef struct {
  MmMockHub         *self;      /* (unowned): outlives its servers */
  SoupServerMessage *msg;       /* (unowned): owns this state */
  const MockFile    *file;
  guint64            offset;    /* next byte to append */
  guint64            end;       /* exclusive */
  guint64            drop_at;   /* absolute offset to cut the connection at */
  guint64            stall_at;  /* absolute offset to stop sending at */
  guint64            corrupt_at; /* absolute offset of a flipped byte */
  guint64            rate;      /* bytes per second, 0 = unlimited */
  GSource           *throttle;
  GSource           *hangup;    /* (nullable): watches a stalled client */
  gboolean           finished;
  gboolean           cdn;       /* counted in cdn_active */
} StreamState;

/* A CDN body ended (or its connection did): one connection fewer. */
static void
stream_state_release (StreamState *st)
{
  if (!st->cdn)
    return;
  st->cdn = FALSE;
  g_mutex_lock (&st->self->mutex);
  st->self->cdn_active--;
  g_mutex_unlock (&st->self->mutex);
}

static void
stream_state_free (StreamState *st)
{
  stream_state_release (st);
  g_clear_pointer (&st->throttle, destroy_source);
  g_clear_pointer (&st->hangup, destroy_source);
  g_free (st);
}

static void
stream_append (StreamState *st,
               gsize        len)
{
  SoupMessageBody *body = soup_server_message_get_response_body (st->msg);
  guint8 *buf = g_malloc (len);

  mock_file_read (st->file, st->offset, buf, len);
  if (st->cdn)
    {
      g_mutex_lock (&st->self->mutex);
      st->self->cdn_bytes_sent += len;
      g_mutex_unlock (&st->self->mutex);
    }
  if (st->corrupt_at >= st->offset && st->corrupt_at - st->offset < len)
    buf[st->corrupt_at - st->offset] ^= 0x5a;
  soup_message_body_append_take (body, buf, len);
  st->offset += len;
}

static gsize
stream_next_length (const StreamState *st)
{
  gsize len = MIN (CHUNK_SIZE, st->end - st->offset);

  if (st->rate > 0)
    len = MIN (len, MAX (st->rate / 20, 1));
  if (st->drop_at > st->offset)
    len = MIN (len, st->drop_at - st->offset);
  if (st->stall_at > st->offset)
    len = MIN (len, st->stall_at - st->offset);
  return len;
}

static gboolean
throttle_elapsed_cb (gpointer user_data)
{
  StreamState *st = user_data;

  g_clear_pointer (&st->throttle, g_source_unref);
  if (!st->finished)
    {
      stream_append (st, stream_next_length (st));
      soup_server_message_unpause (st->msg);
    }
  return G_SOURCE_REMOVE;
}

/* The socket under a message; see mm_test_server_listen(). */
static GSocket *
message_get_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_data (G_OBJECT (remote), "mm-socket") : NULL;
}

/* Cuts the connection: the client sees fewer bytes than announced.
 * Appending one more chunk makes the server notice the dead socket. */
static void
stream_cut (StreamState *st)
{
  GSocket *socket = message_get_socket (st->msg);

  if (socket)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  st->corrupt_at = G_MAXUINT64;
  stream_append (st, MIN (16, st->end - st->offset));
}

/* A stalled client sent something or went away (a readable socket with no
 * request pending means EOF): finish the message by cutting the connection. */
static gboolean
stalled_client_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  StreamState *st = user_data;

  g_clear_pointer (&st->hangup, g_source_unref);
  g_debug ("A stalled client went away at offset %" G_GUINT64_FORMAT, st->offset);
  if (!st->finished)
    {
      stream_cut (st);
      soup_server_message_unpause (st->msg);
    }
  return G_SOURCE_REMOVE;
}

static void
stream_stall (StreamState *st)
{
  GSocket *socket = message_get_socket (st->msg);

  /* Nothing more is appended, and the paused message keeps the connection
   * open without blocking the server thread. */
  soup_server_message_pause (st->msg);
  if (socket && !st->hangup)
    {
      st->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (st->hangup, (GSourceFunc) (GCallback) stalled_client_cb, st, NULL);
      g_source_set_name (st->hangup, "[mm-mock-hub] stalled client");
      g_source_attach (st->hangup, st->self->context);
    }
}

/* Called after the headers and after each chunk went out: appends the next
 * chunk, so at most one chunk of the file is in memory at a time. */
static void
write_next_chunk_cb (SoupServerMessage *msg,
                     StreamState       *st)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize len;

  if (st->finished || st->throttle || st->hangup)
    return;

  if (st->offset >= st->end)
    {
      soup_message_body_complete (body);
      return;
    }

  if (st->offset >= st->drop_at)
    {
      stream_cut (st);
      return;
    }

  if (st->offset >= st->stall_at)
    {
      stream_stall (st);
      return;
    }

  len = stream_next_length (st);
  if (st->rate > 0)
    {
      /* Without a chunk the server pauses the message; the timeout appends
       * one and unpauses it. */
      st->throttle = g_timeout_source_new (MAX (len * 1000 / st->rate, 1));
      g_source_set_callback (st->throttle, throttle_elapsed_cb, st, NULL);
      g_source_set_name (st->throttle, "[mm-mock-hub] throttle");
      g_source_attach (st->throttle, st->self->context);
      return;
    }

  stream_append (st, len);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    StreamState       *st)
{
  st->finished = TRUE;
  g_clear_pointer (&st->throttle, destroy_source);
  g_clear_pointer (&st->hangup, destroy_source);
  stream_state_release (st);
}

/* Whether an If-Range validator lets a Range apply (RFC 9110 §13.1.5): only
 * a strong entity tag equal to the current one does; the mock sends no
 * Last-Modified, so a date never matches. */
static gboolean
if_range_matches (const char *if_range,
                  const char *etag)
{
  g_autofree char *quoted = NULL;
  g_autofree char *value = NULL;

  if (!if_range)
    return TRUE;

  quoted = g_strdup_printf ("\"%s\"", etag);
  value = g_strstrip (g_strdup (if_range));
  return g_str_equal (value, quoted);
}

/* Takes one fault of a counted setting; TRUE when it applies to this request. */
static gboolean
take_fault (guint *count)
{
  if (*count == 0)
    return FALSE;
  if (*count != MM_MOCK_HUB_ALWAYS)
    (*count)--;
  return TRUE;
}

/* Serves @file (or the requested range of it) with Content-Length, streaming
 * GET bodies chunk by chunk. @cdn applies the CDN fault settings. */
static void
serve_content (MmMockHub         *self,
               Request           *req,
               const MockFile    *file,
               const char        *content_type,
               const char        *etag,
               gboolean           cdn)
{
  SoupServerMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (request_headers, "Range");
  const char *if_range = soup_message_headers_get_one (request_headers, "If-Range");
  guint64 start = 0;
  guint64 end = file->size ? file->size - 1 : 0;
  guint64 drop_after = G_MAXUINT64;
  guint64 stall_after = G_MAXUINT64;
  guint64 short_by = 0;
  guint64 corrupt_at = G_MAXUINT64;
  guint64 rate = 0;
  gboolean ignore_range = FALSE;
  g_autofree char *etag_override = NULL;
  RangeResult result;
  StreamState *st;

  if (cdn)
    {
      g_mutex_lock (&self->mutex);
      ignore_range = self->cdn_ignore_range;
      etag_override = g_strdup (self->cdn_etag);
      rate = self->cdn_rate;
      g_mutex_unlock (&self->mutex);
    }

  set_header (msg, "Accept-Ranges", "bytes");
  if (etag_override != NULL)
    etag = etag_override;
  set_header_printf (msg, "ETag", "\"%s\"", etag);

  if (ignore_range || !if_range_matches (if_range, etag))
    result = RANGE_NONE;
  else
    result = parse_range (range, file->size, &start, &end);
  if (result == RANGE_UNSATISFIABLE)
    {
      set_header_printf (msg, "Content-Range", "bytes */%" G_GUINT64_FORMAT, file->size);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return;
    }

  set_header (msg, "Content-Type", content_type);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
  if (result == RANGE_OK)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (headers, start, end, file->size);
      soup_message_headers_set_content_length (headers, end - start + 1);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_length (headers, file->size);
      start = 0;
      end = file->size ? file->size - 1 : 0;
    }

  if (req->head || file->size == 0)
    return;

  /* Faults are used up by GETs with a body only. */
  if (cdn)
    {
      g_mutex_lock (&self->mutex);
      if (self->cdn_max_connections > 0 && self->cdn_active >= self->cdn_max_connections)
        {
          /* As nginx's limit_conn does: 503 beyond the limit. */
          g_mutex_unlock (&self->mutex);
          soup_message_headers_remove (headers, "Content-Range");
          soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                            "Too many connections\n",
                                            strlen ("Too many connections\n"));
          return;
        }
      self->cdn_active++;
      self->cdn_peak = MAX (self->cdn_peak, self->cdn_active);
      if (take_fault (&self->cdn_drop_count))
        drop_after = self->cdn_drop_after;
      if (take_fault (&self->cdn_stall_count))
        stall_after = self->cdn_stall_after;
      if (take_fault (&self->cdn_short_count))
        short_by = self->cdn_short_by;
      if (self->cdn_corrupt_at >= start && self->cdn_corrupt_at <= end &&
          take_fault (&self->cdn_corrupt_count))
        corrupt_at = self->cdn_corrupt_at;
      g_mutex_unlock (&self->mutex);
    }

  st = g_new0 (StreamState, 1);
  st->self = self;
  st->msg = msg;
  st->file = file;
  st->offset = start;
  st->end = end + 1;
  st->drop_at = drop_after == G_MAXUINT64 ? G_MAXUINT64 : start + MIN (drop_after, end + 1 - start);
  if (short_by > 0)
    st->drop_at = MIN (st->drop_at, st->end - MIN (short_by, st->end - start));
  st->stall_at = stall_after == G_MAXUINT64 ? G_MAXUINT64 : start + stall_after;
  st->corrupt_at = corrupt_at;
  st->rate = rate;
  st->cdn = cdn;
  g_object_set_data_full (G_OBJECT (msg), "mm-stream", st, (GDestroyNotify) stream_state_free);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_next_chunk_cb), st);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_chunk_cb), st);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), st);
}

static char *
sign_cdn_path (const char *path,
               const char *expires)
{
  g_autofree char *key = g_strdup_printf (SIGNING_SECRET "\n%s\n%s", path, expires);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

/* Replaces control characters, which cannot go into a header value, and with
 * @quoted also the characters that would end a quoted-string. */
static char *
sanitize_header_value (const char *value,
                       gboolean    quoted)
{
  char *copy = g_strdup (value);

  for (char *p = copy; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || (quoted && (*p == '"' || *p == '\\')))
      *p = '_';
  return copy;
}

static gboolean
resolve_cache_enabled (MmMockHub *self)
{
  gboolean enabled;

  g_mutex_lock (&self->mutex);
  enabled = self->resolve_cache;
  g_mutex_unlock (&self->mutex);
  return enabled;
}

/* Serves a file as git stores it (a small file, an LFS file's pointer):
 * plain text, its blob id as the ETag. */
static void
serve_git_file (MmMockHub      *self,
                Request        *req,
                const MockFile *file)
{
  serve_content (self, req, file, "text/plain; charset=utf-8", file->blob_id, FALSE);
}

/* The file a download route names: the repository at segments @repo_at and
 * @repo_at + 1, the revision at @rev_at, the path after it; the version of
 * it served now. Replies 404 (repository, revision or entry) or refuses the
 * download (gated, disabled) and returns NULL when there is none to serve. */
static const MockFile *
lookup_file_route (MmMockHub       *self,
                   const Request   *req,
                   guint            repo_at,
                   guint            rev_at,
                   const MockRepo **repo_out)
{
  const MockRepo *repo = lookup_repo (self, req, repo_at);
  g_autofree char *path = NULL;
  const MockFile *file;

  if (!repo)
    {
      reply_repo_not_found (req->msg);
      return NULL;
    }
  if (req->n_segments < rev_at + 2)
    {
      reply_entry_not_found (req->msg);
      return NULL;
    }
  if (!check_revision (req->msg, repo, req->segments[rev_at]) ||
      !check_download_access (req->msg, repo))
    return NULL;

  path = request_join_segments (req, rev_at + 1);
  file = mock_repo_find_file (repo, path);
  if (!file)
    {
      reply_entry_not_found (req->msg);
      return NULL;
    }

  *repo_out = repo;
  return mock_file_current (file);
}

/* GET/HEAD /{org}/{name}/resolve/{rev}/{path…} */
static void
handle_resolve (MmMockHub *self,
                Request   *req)
{
  const MockRepo *repo;
  const MockFile *file = lookup_file_route (self, req, 0, 3, &repo);

  if (!file)
    return;

  set_header (req->msg, "X-Repo-Commit", repo->sha);

  if (file->sha256)
    {
      const char *base = strrchr (file->path, '/') ? strrchr (file->path, '/') + 1 : file->path;
      g_autofree char *plain = sanitize_header_value (base, TRUE);
      g_autofree char *disposition = NULL;
      g_autofree char *escaped_disposition = NULL;
      g_autofree char *escaped_name = g_uri_escape_string (base, NULL, FALSE);
      g_autofree char *cdn_path = g_strdup_printf ("/" CDN_PREFIX "/%s/%s",
                                                   repo->object_id, file->sha256);
      g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  g_get_real_time () / G_USEC_PER_SEC + 3600);
      g_autofree char *signature = sign_cdn_path (cdn_path, expires);
      g_autofree char *location = NULL;
      g_autofree char *body = NULL;
      guint issue;

      g_mutex_lock (&self->mutex);
      issue = ++self->cdn_url_issue;
      g_mutex_unlock (&self->mutex);

      disposition = g_strdup_printf ("inline; filename*=UTF-8''%s; filename=\"%s\";",
                                     escaped_name, plain);
      escaped_disposition = g_uri_escape_string (disposition, NULL, FALSE);
      location = g_strdup_printf ("%s%s?X-Xet-Cas-Uid=public&response-content-disposition=%s"
                                  "&Expires=%s&Policy=eyJTdGF0ZW1lbnQiOltdfQ__&Signature=%s"
                                  "&Key-Pair-Id=K2MOCKHUBKEY&X-Mock-Issue=%u",
                                  self->cdn_url, cdn_path, escaped_disposition, expires,
                                  signature, issue);

      set_header (req->msg, "Location", location);
      if (file->xet_hash)
        {
          /* A Xet-backed file names its Xet hash and where a Xet client
           * gets its read token (hub-protocol.md §4.1); a client without
           * Xet follows the Location to the LFS bridge. */
          g_autofree char *link = g_strdup_printf (
            "<%s/api/models/%s/xet-read-token/%s>; rel=\"xet-auth\", "
            "<%s/v1/reconstructions/%s>; rel=\"xet-reconstruction-info\"",
            self->url, repo->id, repo->sha, self->cdn_url, file->xet_hash);

          set_header (req->msg, "X-Xet-Hash", file->xet_hash);
          set_header (req->msg, "Link", link);
        }
      set_header_printf (req->msg, "X-Linked-Etag", "\"%s\"", file->sha256);
      set_header_printf (req->msg, "X-Linked-Size", "%" G_GUINT64_FORMAT, file->size);
      set_header_printf (req->msg, "ETag", "\"%s\"", file->sha256);
      body = g_strdup_printf ("Found. Redirecting to %s", location);
      reply_text (req->msg, SOUP_STATUS_FOUND, "text/plain; charset=utf-8", body);
      return;
    }

  if (resolve_cache_enabled (self))
    {
      /* Small git files first answer with a relative redirect to the Hub's
       * resolve cache, pinned to the commit (hub-protocol.md §4.1). */
      g_autofree char *escaped_path = g_uri_escape_string (file->path, "/", FALSE);
      g_autofree char *location = g_strdup_printf ("/api/resolve-cache/models/%s/%s/%s"
                                                   "?etag=%%22%s%%22",
                                                   repo->id, repo->sha, escaped_path,
                                                   file->blob_id);
      g_autofree char *body = g_strdup_printf ("Temporary Redirect. Redirecting to %s",
                                               location);

      set_header (req->msg, "Location", location);
      set_header_printf (req->msg, "ETag", "\"%s\"", file->blob_id);
      reply_text (req->msg, SOUP_STATUS_TEMPORARY_REDIRECT, "text/plain; charset=utf-8", body);
      return;
    }

  serve_git_file (self, req, file);
}

/* GET/HEAD /api/resolve-cache/models/{org}/{name}/{commit}/{path…}: where
 * /resolve sends a small git file. */
static void
handle_resolve_cache (MmMockHub *self,
                      Request   *req)
{
  const MockRepo *repo;
  const MockFile *file = lookup_file_route (self, req, 3, 5, &repo);

  if (!file)
    return;
  /* LFS files are never in the resolve cache. */
  if (file->sha256)
    {
      reply_entry_not_found (req->msg);
      return;
    }

  set_header (req->msg, "X-Repo-Commit", repo->sha);
  serve_git_file (self, req, file);
}

/* GET/HEAD /{org}/{name}/raw/{rev}/{path…}: the file as git stores it: an
 * LFS file's pointer text, a small file's content; never a redirect. */
static void
handle_raw (MmMockHub *self,
            Request   *req)
{
  const MockRepo *repo;
  const MockFile *file = lookup_file_route (self, req, 0, 3, &repo);

  if (!file)
    return;
  if (file->pointer)
    file = file->pointer;

  set_header (req->msg, "X-Repo-Commit", repo->sha);
  serve_git_file (self, req, file);
}

/* A renamed repository answers every request under its old name with a
 * relative redirect to the same path under the new name
 * (hub-protocol.md §4.1). Returns TRUE when it replied. */
static gboolean
redirect_renamed (MmMockHub     *self,
                  const Request *req)
{
  guint first;
  g_autofree char *id = NULL;
  const char *new_id = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *location = NULL;
  g_autofree char *body = NULL;

  if (req->n_segments >= 4 && g_str_equal (req->segments[0], "api") &&
      g_str_equal (req->segments[1], "models"))
    first = 2;
  else if (req->n_segments >= 3 && (g_str_equal (req->segments[2], "resolve") ||
                                    g_str_equal (req->segments[2], "raw")))
    first = 0;
  else
    return FALSE;

  id = g_strconcat (req->segments[first], "/", req->segments[first + 1], NULL);
  new_id = mock_catalog_renamed_to (id);
  if (!new_id)
    return FALSE;

  /* The raw path: segment first + 2 onwards stays as the client sent it. */
  parts = g_strsplit (req->raw_path + 1, "/", first + 3);
  tail = g_strv_length (parts) == first + 3 ? g_strconcat ("/", parts[first + 2], NULL)
                                            : g_strdup ("");
  location = g_strdup_printf ("%s%s%s%s%s", first == 2 ? "/api/models/" : "/", new_id, tail,
                              req->raw_query ? "?" : "", req->raw_query ? req->raw_query : "");
  body = g_strdup_printf ("Temporary Redirect. Redirecting to %s", location);
  set_header (req->msg, "Location", location);
  reply_text (req->msg, SOUP_STATUS_TEMPORARY_REDIRECT, "text/plain; charset=utf-8", body);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Dispatch: the servers' callbacks                                       */
/* ------------------------------------------------------------------------ */

static void
record_request (MmMockHub         *self,
                SoupServerMessage *msg,
                gboolean           cdn)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  guint serial;

  g_mutex_lock (&self->mutex);
  serial = ++self->request_serial;
  g_ptr_array_add (self->request_paths, g_strdup (path));
  if (self->request_log != NULL)
    {
      fprintf (self->request_log, "%s %s %s\n", cdn ? "cdn" : "hub",
               soup_server_message_get_method (msg), path);
      fflush (self->request_log);
    }
  if (cdn)
    {
      g_free (self->last_cdn_auth);
      self->last_cdn_auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
      if (soup_server_message_get_method (msg) == SOUP_METHOD_GET)
        {
          const char *range = soup_message_headers_get_one (headers, "Range");

          g_ptr_array_add (self->cdn_ranges, g_strdup (range ? range : ""));
        }
    }
  else
    {
      g_free (self->last_hub_auth);
      self->last_hub_auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
      g_free (self->last_user_agent);
      self->last_user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
    }
  g_mutex_unlock (&self->mutex);

  set_header_printf (msg, "X-Request-Id", "Root=1-6a000000-%024x", serial);
}

static gboolean
is_read_method (const Request *req)
{
  return req->method == SOUP_METHOD_GET || req->method == SOUP_METHOD_HEAD;
}

/* Whether the Hub turns this request away at once for its refused token.
 * The token check endpoint (whoami) always does; everything else only with
 * MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS. */
static gboolean
refuses_token (MmMockHub     *self,
               const Request *req)
{
  MmMockRefusedToken refused;

  if (classify_token (req->msg) != TOKEN_INVALID)
    return FALSE;

  g_mutex_lock (&self->mutex);
  refused = self->refused_token;
  g_mutex_unlock (&self->mutex);

  return refused == MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS;
}

void
mock_hub_handler_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  MmMockHub *self = user_data;
  g_autoptr(Request) req = request_new (msg);

  record_request (self, msg, FALSE);

  if (!is_read_method (req) &&
      !(req->method == SOUP_METHOD_POST && g_str_equal (req->segments[0], "api")))
    reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method Not Allowed");
  else if (refuses_token (self, req))
    reply_bad_token (msg);
  else if (redirect_renamed (self, req))
    ;
  /* The resolve cache serves files, not the API: no API faults or delays. */
  else if (req->n_segments >= 6 && g_str_equal (req->segments[0], "api") &&
           g_str_equal (req->segments[1], "resolve-cache") &&
           g_str_equal (req->segments[2], "models"))
    handle_resolve_cache (self, req);
  else if (req->n_segments >= 2 && g_str_equal (req->segments[0], "api"))
    handle_api (self, req);
  else if (req->n_segments >= 5 && g_str_equal (req->segments[2], "resolve"))
    handle_resolve (self, req);
  else if (req->n_segments >= 5 && g_str_equal (req->segments[2], "raw"))
    handle_raw (self, req);
  else
    reply_not_found (msg);
}

static void
reply_cdn_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *code)
{
  g_autofree char *body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                           "<Error><Code>%s</Code><Message>%s</Message></Error>",
                                           code, soup_status_get_phrase (status));

  reply_text (msg, status, "application/xml", body);
}

void
mock_cdn_handler_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  MmMockHub *self = user_data;
  g_autoptr(Request) req = request_new (msg);
  g_autofree char *key = NULL;
  g_autofree char *expected = NULL;
  const char *expires;
  const char *signature;
  const char *disposition;
  const MockFile *file;
  guint fail_status = 0;
  guint fail_retry_after = 0;
  gint64 expires_at = 0;

  record_request (self, msg, TRUE);
  set_header (msg, "X-Amz-Cf-Id", "mock-cdn-request");

  g_mutex_lock (&self->mutex);
  if (self->cdn_fail_count > 0)
    {
      if (self->cdn_fail_count != MM_MOCK_HUB_ALWAYS)
        self->cdn_fail_count--;
      fail_status = self->cdn_fail_status;
      fail_retry_after = self->cdn_fail_retry_after;
    }
  g_mutex_unlock (&self->mutex);

  if (!is_read_method (req))
    {
      reply_cdn_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed");
      return;
    }
  if (fail_status)
    {
      if (fail_retry_after > 0)
        set_header_printf (msg, "Retry-After", "%u", fail_retry_after);
      reply_cdn_error (msg, fail_status,
                       fail_status == 429 ? "SlowDown" : "MockFailure");
      return;
    }
  if (req->n_segments != 3 || !g_str_equal (req->segments[0], CDN_PREFIX))
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey");
      return;
    }

  /* Signed URLs: a client must use the Location verbatim and not keep it. */
  expires = request_get_param (req, "Expires");
  signature = request_get_param (req, "Signature");
  if (expires)
    {
      expected = sign_cdn_path (req->raw_path, expires);
      expires_at = g_ascii_strtoll (expires, NULL, 10);
    }
  {
    const char *issue_text = request_get_param (req, "X-Mock-Issue");
    guint64 issue = issue_text ? g_ascii_strtoull (issue_text, NULL, 10) : 0;

    g_mutex_lock (&self->mutex);
    if (issue <= self->cdn_expired_through)
      expires_at = 0;
    g_mutex_unlock (&self->mutex);
  }
  if (!expected || g_strcmp0 (signature, expected) != 0 ||
      expires_at < g_get_real_time () / G_USEC_PER_SEC)
    {
      reply_cdn_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied");
      return;
    }

  key = g_strconcat (req->segments[1], "/", req->segments[2], NULL);
  file = g_hash_table_lookup (self->cdn_index, key);
  if (!file)
    {
      g_mutex_lock (&self->mutex);
      file = g_hash_table_lookup (self->cdn_versions, key);
      g_mutex_unlock (&self->mutex);
    }
  if (!file)
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey");
      return;
    }

  disposition = request_get_param (req, "response-content-disposition");
  if (disposition)
    {
      g_autofree char *clean = sanitize_header_value (disposition, FALSE);
      set_header (msg, "Content-Disposition", clean);
    }

  serve_content (self, req, file, "application/octet-stream", file->sha256, TRUE);
}

