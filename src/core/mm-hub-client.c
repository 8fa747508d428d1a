/* mm-hub-client.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Hub client owns one SoupSession and turns the Hub's HTTP API into
 * objects and MM_HUB_ERROR codes. Every request goes through one fetch
 * machine (fetch_async):
 *
 *   send → 3xx: follow by hand (the Authorization header is only ever sent
 *               to the configured Hub origin, never to a redirect target on
 *               another host)
 *        → 2xx: done
 *        → error: map status + X-Error-Code to an MM_HUB_ERROR; when it is
 *               transient (5xx, 408, 429, network) and tries remain, wait on
 *               a GSource timer with exponential backoff and jitter
 *               (honouring Retry-After) and send again
 *
 * Paginated answers are followed through the `Link: <…>; rel="next"` header,
 * verbatim, never by guessing offsets.
 */
#define G_LOG_DOMAIN "mm-hub-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "mm-gguf-reader-private.h"
#include "mm-hub-client-private.h"
#include "mm-http-redirect.h"
#include "mm-hub-error.h"
#include "mm-json.h"
#include "mm-tls-database.h"
#include "mm-path.h"
#include "mm-repo-file.h"

#define MAX_PAGES 1000
#define MAX_CARD_BYTES (512 * 1024)
#define MAX_RETRY_AFTER_SECONDS 120

struct _MmHubClient
{
  GObject parent_instance;

  SoupSession *session;
  GUri *endpoint_uri;
  char *endpoint;
  char *token;
  char *user_agent;
  GProxyResolver *proxy_resolver;  /* (nullable) NULL: the system's */
  guint max_retries;
  guint base_delay_ms;
};

G_DEFINE_FINAL_TYPE (MmHubClient, mm_hub_client, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_TOKEN,
  PROP_USER_AGENT,
  N_PROPS,
} MmHubClientProperty;

static GParamSpec *properties[N_PROPS];

/* What a failing request was about, so a 404 can say "model" or "file". */
typedef enum {
  SUBJECT_SEARCH,
  SUBJECT_REPO,
  SUBJECT_FILE,
} Subject;

typedef struct {
  char *url;             /* (owned) the URL being fetched now */
  char *repo_id;         /* (owned) (nullable) for error messages */
  char *path;            /* (owned) (nullable) for error messages */
  SoupMessage *msg;      /* (owned) (nullable) */
  GBytes *body;          /* (owned) (nullable) */
  GSource *timer;        /* (owned) (nullable) backoff timer */
  GSource *cancel_source; /* (owned) (nullable) */
  Subject subject;
  guint attempt;
  guint redirects;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  if (fetch->timer != NULL)
    g_source_destroy (fetch->timer);
  if (fetch->cancel_source != NULL)
    g_source_destroy (fetch->cancel_source);
  g_clear_pointer (&fetch->timer, g_source_unref);
  g_clear_pointer (&fetch->cancel_source, g_source_unref);
  g_clear_pointer (&fetch->url, g_free);
  g_clear_pointer (&fetch->repo_id, g_free);
  g_clear_pointer (&fetch->path, g_free);
  g_clear_object (&fetch->msg);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void fetch_send (GTask *task);
static void fetch_sent_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
mm_hub_client_finalize (GObject *object)
{
  MmHubClient *self = MM_HUB_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->proxy_resolver);
  g_clear_pointer (&self->endpoint_uri, g_uri_unref);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->user_agent, g_free);

  G_OBJECT_CLASS (mm_hub_client_parent_class)->finalize (object);
}

static void
mm_hub_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MmHubClient *self = MM_HUB_CLIENT (object);

  switch ((MmHubClientProperty) prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_TOKEN:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_hub_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MmHubClient *self = MM_HUB_CLIENT (object);

  switch ((MmHubClientProperty) prop_id)
    {
    case PROP_ENDPOINT:
      {
        const char *endpoint = g_value_get_string (value);
        g_autofree char *trimmed = g_strdup (endpoint && *endpoint ? endpoint : DEFAULT_ENDPOINT);

        g_strstrip (trimmed);
        while (g_str_has_suffix (trimmed, "/"))
          trimmed[strlen (trimmed) - 1] = '\0';
        self->endpoint_uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
        if (self->endpoint_uri == NULL ||
            (g_strcmp0 (g_uri_get_scheme (self->endpoint_uri), "https") != 0 &&
             g_strcmp0 (g_uri_get_scheme (self->endpoint_uri), "http") != 0) ||
            g_uri_get_host (self->endpoint_uri) == NULL)
          {
            g_warning ("Ignoring invalid Hub endpoint “%s”", trimmed);
            g_clear_pointer (&self->endpoint_uri, g_uri_unref);
            g_free (trimmed);
            trimmed = g_strdup (DEFAULT_ENDPOINT);
            self->endpoint_uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
          }
        self->endpoint = g_steal_pointer (&trimmed);
      }
      break;
    case PROP_TOKEN:
      {
        g_autofree char *token = g_strdup (g_value_get_string (value));

        if (token != NULL)
          g_strstrip (token);
        g_clear_pointer (&self->token, g_free);
        if (token != NULL && *token != '\0')
          self->token = g_steal_pointer (&token);
      }
      break;
    case PROP_USER_AGENT:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_hub_client_class_init (MmHubClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_hub_client_finalize;
  object_class->get_property = mm_hub_client_get_property;
  object_class->set_property = mm_hub_client_set_property;

  /** MmHubClient:endpoint: the Hub's base URL, without a trailing slash */
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, DEFAULT_ENDPOINT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmHubClient:token: the access token; write-only so it never leaks by accident */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmHubClient:user-agent: what the client calls itself */
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_hub_client_init (MmHubClient *self)
{
  self->user_agent = g_strdup_printf ("model-manager/%s", PACKAGE_VERSION);
  /* One copy of the system's trust list for all connections, not one each. */
  mm_tls_database_install ();
  self->session = soup_session_new_with_options ("user-agent", self->user_agent,
                                                 "timeout", 30,
                                                 "idle-timeout", 60,
                                                 NULL);
  self->max_retries = 3;
  self->base_delay_ms = 1000;
}

/**
 * mm_hub_client_new:
 * @endpoint: (nullable): the Hub's base URL; %NULL for https://huggingface.co
 * @token: (nullable): an access token
 *
 * Returns: (transfer full): a new client
 */
MmHubClient *
mm_hub_client_new (const char *endpoint,
                   const char *token)
{
  return g_object_new (MM_TYPE_HUB_CLIENT,
                       "endpoint", endpoint,
                       "token", token,
                       NULL);
}

/**
 * _mm_hub_client_new_from_environment:
 *
 * A client for `HF_ENDPOINT` (else https://huggingface.co) with the token
 * from `HF_TOKEN` (else the legacy `HUGGING_FACE_HUB_TOKEN`).
 *
 * Returns: (transfer full): a new client
 */
MmHubClient *
_mm_hub_client_new_from_environment (void)
{
  const char *token = g_getenv ("HF_TOKEN");

  if (token == NULL || *token == '\0')
    token = g_getenv ("HUGGING_FACE_HUB_TOKEN");

  return mm_hub_client_new (g_getenv ("HF_ENDPOINT"), token);
}

const char *
mm_hub_client_get_endpoint (MmHubClient *self)
{
  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), NULL);
  return self->endpoint;
}

gboolean
mm_hub_client_get_has_token (MmHubClient *self)
{
  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), FALSE);
  return self->token != NULL;
}

const char *
mm_hub_client_get_user_agent (MmHubClient *self)
{
  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), NULL);
  return self->user_agent;
}

/**
 * _mm_hub_client_set_retry_policy:
 * @max_retries: how many times a transient failure is retried
 * @base_delay_ms: the first backoff delay; it doubles each time, up to 8×
 *
 * Tests shorten the delays; the defaults are 3 retries from 1 s.
 */
void
_mm_hub_client_set_retry_policy (MmHubClient *self,
                                 guint        max_retries,
                                 guint        base_delay_ms)
{
  g_return_if_fail (MM_IS_HUB_CLIENT (self));

  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
}

/* The token goes only to the configured Hub origin (scheme, host and
 * port), and only over HTTPS or to a loopback host. */
static gboolean
may_send_token (MmHubClient *self,
                GUri        *uri)
{
  const char *host = g_uri_get_host (uri);

  if (self->token == NULL || host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, g_uri_get_host (self->endpoint_uri)) != 0 ||
      g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (self->endpoint_uri)) != 0 ||
      g_uri_get_port (uri) != g_uri_get_port (self->endpoint_uri))
    return FALSE;

  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;

  return g_str_equal (host, "localhost") || g_str_has_prefix (host, "127.") ||
         g_str_equal (host, "[::1]") || g_str_equal (host, "::1");
}

static GError *
transport_error (MmHubClient  *self,
                 const GError *error)
{
  const char *host = g_uri_get_host (self->endpoint_uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  /* In words, without libsoup's own text: whether the computer is online
   * at all is for the caller to say (it has the network monitor). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, 0, NULL,
                             _("The Hub at %s did not answer in time."), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, 0, NULL,
                             _("Could not reach the Hub at %s: it refused the connection. It may "
                               "be down, or the Hub address may be wrong."), host);
  if (error->domain == G_RESOLVER_ERROR)
    return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, 0, NULL,
                             _("Could not reach the Hub: the name %s could not be looked up."),
                             host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, 0, NULL,
                             _("Could not reach the Hub at %s: there is no way to it from this "
                               "network."), host);

  return mm_hub_error_new (MM_HUB_ERROR_OFFLINE, 0, NULL,
                           _("Could not reach the Hub at %s (%s)."), host, error->message);
}

static guint
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *ratelimit = soup_message_headers_get_one (headers, "RateLimit");
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");

  /* RateLimit: "api";r=0;t=42 — when nothing remains, wait t seconds. */
  if (ratelimit != NULL && strstr (ratelimit, ";r=0") != NULL)
    {
      const char *t = strstr (ratelimit, ";t=");

      if (t != NULL)
        {
          guint64 seconds = g_ascii_strtoull (t + 3, NULL, 10);

          if (seconds > 0)
            return (guint) MIN (seconds + 1, G_MAXUINT);
        }
    }

  if (retry_after != NULL)
    {
      g_autoptr(GDateTime) date = NULL;
      char *end = NULL;
      guint64 seconds = g_ascii_strtoull (retry_after, &end, 10);

      if (end != retry_after && *end == '\0')
        return (guint) MIN (seconds, G_MAXUINT);

      date = soup_date_time_new_from_http_string (retry_after);
      if (date != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          GTimeSpan span = g_date_time_difference (date, now);

          return span > 0 ? (guint) (span / G_TIME_SPAN_SECOND) + 1 : 1;
        }
    }

  return 0;
}

/* The server's own explanation: X-Error-Message, else the body's "error". */
static char *
server_message (SoupMessage *msg,
                GBytes      *body)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "X-Error-Message");
  g_autoptr(JsonNode) root = NULL;

  if (header != NULL && *header != '\0')
    return g_utf8_make_valid (header, -1);

  if (body != NULL && g_bytes_get_size (body) > 0)
    root = mm_json_parse_bytes (body, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *text = mm_json_get_string (json_node_get_object (root), "error");

      if (text != NULL)
        return g_utf8_make_valid (text, -1);
    }

  return NULL;
}

static GError *
http_error (MmHubClient *self,
            Fetch       *fetch)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
  guint status = soup_message_get_status (fetch->msg);
  const char *code = soup_message_headers_get_one (headers, "X-Error-Code");
  const char *request_id = soup_message_headers_get_one (headers, "X-Request-Id");
  g_autofree char *message = server_message (fetch->msg, fetch->body);
  const char *repo = fetch->repo_id ? fetch->repo_id : "";
  const char *path = fetch->path ? fetch->path : "";

  if (g_strcmp0 (code, "RevisionNotFound") == 0)
    return mm_hub_error_new (MM_HUB_ERROR_REVISION_NOT_FOUND, 0, request_id,
                             _("The model %s has no such branch, tag or commit."), repo);

  if (g_strcmp0 (code, "EntryNotFound") == 0)
    return mm_hub_error_new (MM_HUB_ERROR_FILE_NOT_FOUND, 0, request_id,
                             _("The file “%s” is not in the model %s."), path, repo);

  if (g_strcmp0 (code, "GatedRepo") == 0)
    {
      if (self->token == NULL)
        return mm_hub_error_new (MM_HUB_ERROR_GATED_NO_TOKEN, 0, request_id,
                                 _("The model %s is gated: its authors ask you to log in and "
                                   "accept their conditions. Add a Hugging Face access token, "
                                   "then accept the license on the model’s page."), repo);
      /* A token the Hub does not accept gets the same 401 GatedRepo as no
       * token at all (hub-protocol.md §5): the Hub ignored it. Only a 403
       * means that a known account waits for approval; telling a person
       * with a refused token to wait would have them wait forever. */
      if (status == SOUP_STATUS_UNAUTHORIZED)
        return mm_hub_error_new (MM_HUB_ERROR_UNAUTHORIZED, 0, request_id,
                                 _("The Hub did not accept your access token for the gated "
                                   "model %s. Check that the token is correct and has not "
                                   "been revoked, or replace it."), repo);
      return mm_hub_error_new (MM_HUB_ERROR_GATED_NO_ACCESS, 0, request_id,
                               _("Your account has no access to the gated model %s yet. "
                                 "Accept the license on the model’s page and wait for "
                                 "approval, then try again."), repo);
    }

  if (message != NULL && strstr (message, "Access to this resource is disabled") != NULL)
    return mm_hub_error_new (MM_HUB_ERROR_FORBIDDEN, 0, request_id,
                             _("The model %s has been disabled on the Hub."), repo);

  if (status == SOUP_STATUS_UNAUTHORIZED &&
      message != NULL && strstr (message, "Invalid credentials") != NULL)
    return mm_hub_error_new (MM_HUB_ERROR_UNAUTHORIZED, 0, request_id,
                             _("The Hub refused the access token. Check that it is "
                               "correct and has not been revoked."));

  if (g_strcmp0 (code, "RepoNotFound") == 0 || status == SOUP_STATUS_UNAUTHORIZED ||
      (status == SOUP_STATUS_NOT_FOUND && fetch->subject == SUBJECT_REPO))
    {
      if (self->token == NULL)
        return mm_hub_error_new (MM_HUB_ERROR_REPO_NOT_FOUND, 0, request_id,
                                 _("The model %s was not found. If it is private, add an "
                                   "access token that can see it."), repo);
      return mm_hub_error_new (MM_HUB_ERROR_REPO_NOT_FOUND, 0, request_id,
                               _("The model %s was not found, or your access token cannot "
                                 "see it."), repo);
    }

  if (status == SOUP_STATUS_NOT_FOUND && fetch->subject == SUBJECT_FILE)
    return mm_hub_error_new (MM_HUB_ERROR_FILE_NOT_FOUND, 0, request_id,
                             _("The file “%s” is not in the model %s."), path, repo);

  if (status == SOUP_STATUS_FORBIDDEN)
    return mm_hub_error_new (MM_HUB_ERROR_FORBIDDEN, 0, request_id,
                             _("The Hub refused access: %s"),
                             message ? message : _("your token lacks a permission."));

  if (status == 429)
    {
      guint retry_after = parse_retry_after (headers);

      if (retry_after > 0)
        return mm_hub_error_new (MM_HUB_ERROR_RATE_LIMITED, retry_after, request_id,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "The Hub is receiving too many requests from "
                                              "you. Try again in %u second.",
                                              "The Hub is receiving too many requests from "
                                              "you. Try again in %u seconds.",
                                              retry_after),
                                 retry_after);
      return mm_hub_error_new (MM_HUB_ERROR_RATE_LIMITED, 0, request_id,
                               _("The Hub is receiving too many requests from you. "
                                 "Try again in a few minutes."));
    }

  if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT)
    return mm_hub_error_new (MM_HUB_ERROR_SERVER, 0, request_id,
                             _("The Hub had a problem (error %u). Try again later."), status);

  if (fetch->subject == SUBJECT_SEARCH && status == SOUP_STATUS_NOT_FOUND)
    return mm_hub_error_new (MM_HUB_ERROR_MALFORMED, 0, request_id,
                             _("The server at %s does not look like a Hugging Face Hub."),
                             g_uri_get_host (self->endpoint_uri));

  return mm_hub_error_new (MM_HUB_ERROR_SERVER, 0, request_id,
                           _("The Hub refused the request (error %u: %s)."), status,
                           message ? message : soup_message_get_reason_phrase (fetch->msg));
}

static gboolean
is_retryable (const GError *error,
              guint         status)
{
  if (g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED))
    return mm_hub_error_get_retry_after (error) <= MAX_RETRY_AFTER_SECONDS;

  if (g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER))
    return status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT;

  return g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE);
}

static gboolean
fetch_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  if (fetch->cancel_source != NULL)
    g_source_destroy (fetch->cancel_source);
  g_clear_pointer (&fetch->cancel_source, g_source_unref);
  g_clear_pointer (&fetch->timer, g_source_unref);

  fetch_send (task);

  return G_SOURCE_REMOVE;
}

static gboolean
fetch_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  g_source_destroy (fetch->timer);
  g_clear_pointer (&fetch->timer, g_source_unref);
  g_clear_pointer (&fetch->cancel_source, g_source_unref);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "%s", _("The operation was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Waits on GSource timers (never a blocking sleep), cancellable. */
static void
fetch_schedule_retry (GTask        *task,
                      const GError *error)
{
  MmHubClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  guint delay_ms;

  delay_ms = self->base_delay_ms << MIN (fetch->attempt, 3u);
  delay_ms += g_random_int_range (0, (gint32) (self->base_delay_ms / 4 + 1));
  if (mm_hub_error_get_retry_after (error) > 0)
    delay_ms = MAX (delay_ms, mm_hub_error_get_retry_after (error) * 1000);

  g_debug ("Retrying %s in %u ms (attempt %u): %s",
           fetch->url, delay_ms, fetch->attempt + 1, error->message);
  fetch->attempt++;

  fetch->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (fetch->timer, fetch_timer_cb, task, NULL);
  g_source_set_name (fetch->timer, "[mm] hub retry");
  g_source_attach (fetch->timer, g_task_get_context (task));

  if (g_task_get_cancellable (task) != NULL)
    {
      fetch->cancel_source = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (fetch->cancel_source, G_SOURCE_FUNC (fetch_cancelled_cb),
                             task, NULL);
      g_source_attach (fetch->cancel_source, g_task_get_context (task));
    }
}

/* A refused connection or a name that does not resolve will not change in
 * the next seconds: say so at once instead of keeping a person waiting.
 * Resets, timeouts and early closes are worth another try. */
static gboolean
transport_is_retryable (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return FALSE;

  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
fetch_fail (GTask  *task,
            GError *error,
            guint   status)
{
  MmHubClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && is_retryable (error, status) &&
      fetch->attempt < self->max_retries &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      fetch_schedule_retry (task, error);
      g_error_free (error);
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fetch_send (GTask *task)
{
  MmHubClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  uri = g_uri_parse (fetch->url, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      fetch_fail (task,
                  mm_hub_error_new (MM_HUB_ERROR_MALFORMED, 0, NULL,
                                    _("The Hub sent an address that cannot be used.")),
                  0);
      return;
    }

  g_clear_object (&fetch->msg);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  fetch->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_set_flags (fetch->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (fetch->msg);
  soup_message_headers_replace (headers, "Accept", "application/json, text/plain, */*");
  if (may_send_token (self, uri))
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (headers, "Authorization", auth);
    }

  soup_session_send_and_read_async (self->session, fetch->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), fetch_sent_cb, task);
}

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MmHubClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (fetch->body == NULL)
    {
      if (!transport_is_retryable (error))
        {
          g_task_return_error (task, transport_error (self, error));
          g_object_unref (task);
          return;
        }
      fetch_fail (task, transport_error (self, error), 0);
      return;
    }

  status = soup_message_get_status (fetch->msg);
  if (mm_http_redirect_is_redirect (fetch->msg))
    {
      g_autoptr(GUri) next = mm_http_redirect_next (fetch->msg, fetch->redirects);

      if (next == NULL)
        {
          fetch_fail (task,
                      mm_hub_error_new (MM_HUB_ERROR_MALFORMED, 0, NULL,
                                        _("The Hub redirected the request too often or "
                                          "to an invalid address.")),
                      status);
          return;
        }

      fetch->redirects++;
      g_free (fetch->url);
      fetch->url = g_uri_to_string (next);
      fetch_send (task);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch_fail (task, http_error (self, fetch), status);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Fetches @url; on success the task data (a Fetch) holds msg and body. */
static void
fetch_async (MmHubClient         *self,
             const char          *url,
             Subject              subject,
             const char          *repo_id,
             const char          *path,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fetch_async);
  /* Cancellation is reported by us (when the request has stopped), not by GTask. */
  g_task_set_check_cancellable (task, FALSE);

  fetch = g_new0 (Fetch, 1);
  fetch->url = g_strdup (url);
  fetch->subject = subject;
  fetch->repo_id = g_strdup (repo_id);
  fetch->path = g_strdup (path);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  fetch_send (task);
}

/* Returns (transfer none) the finished Fetch, or NULL with @error set. */
static Fetch *
fetch_finish (GAsyncResult  *result,
              GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

/* Finishes a fetch whose body must be JSON of the @expected node type;
 * @shape_message says what was expected when it is not. */
static JsonNode *
fetch_finish_json (GAsyncResult  *result,
                   JsonNodeType   expected,
                   const char    *shape_message,
                   Fetch        **out_fetch,
                   GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  Fetch *fetch;

  fetch = fetch_finish (result, error);
  if (fetch == NULL)
    return NULL;

  root = mm_json_parse_bytes (fetch->body, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_TYPE (root) != expected)
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED, shape_message);
      return NULL;
    }

  if (out_fetch != NULL)
    *out_fetch = fetch;
  return g_steal_pointer (&root);
}

/* Parses `Link: <url>; rel="next"`; only absolute http(s) URLs count. */
static char *
find_next_link (SoupMessage *msg)
{
  const char *link = soup_message_headers_get_list (soup_message_get_response_headers (msg),
                                                    "Link");
  g_auto(GStrv) parts = NULL;

  if (link == NULL)
    return NULL;

  /* Link values are comma-separated; a URL may contain commas only when
   * escaped, so splitting on ", <" is safe enough and keeps commas inside
   * the angle brackets. */
  parts = g_strsplit (link, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];
      const char *end;
      g_autofree char *url = NULL;

      while (g_ascii_isspace (*p))
        p++;
      if (*p != '<')
        continue;
      end = strchr (p, '>');
      if (end == NULL)
        continue;
      url = g_strndup (p + 1, end - p - 1);
      if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
        continue;
      if (strstr (end, "rel=\"next\"") != NULL || strstr (end, "rel=next") != NULL)
        return g_steal_pointer (&url);
    }

  return NULL;
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/**
 * mm_hub_client_build_search_url:
 * @text: (nullable): words to look for in repo ids
 * @sort: the order
 * @gguf_only: only repositories tagged `gguf`
 * @page_size: results per page; 0 for the default
 *
 * Returns: (transfer full): the URL of the first page
 */
char *
mm_hub_client_build_search_url (MmHubClient *self,
                                const char  *text,
                                MmSort       sort,
                                gboolean     gguf_only,
                                guint        page_size)
{
  return mm_hub_client_build_filtered_search_url (self, text, sort, gguf_only, NULL, page_size);
}

/**
 * mm_hub_client_build_filtered_search_url:
 * @text: (nullable): words to look for in repo ids
 * @sort: the order
 * @gguf_only: only repositories tagged `gguf`
 * @filter: (nullable): the filters; the Hub applies the parameter count
 *   (`num_parameters=min:…,max:…`), the caller the rest
 *   (mm_search_filter_matches())
 * @page_size: results per page; 0 for the default
 *
 * Each result carries its `gguf` summary (parameter count, architecture,
 * context length) and `safetensors` count, so that a row can show the size
 * and the filters can be checked. `gguf` also carries each model's chat
 * template, often a few kB (one third-party measurement in hub-protocol.md:
 * a page grew from 50 kB to 857 kB); templates compress well, and this is
 * the price of knowing the sizes without one request per model.
 *
 * Returns: (transfer full): the URL of the first page
 */
char *
mm_hub_client_build_filtered_search_url (MmHubClient          *self,
                                         const char           *text,
                                         MmSort                sort,
                                         gboolean              gguf_only,
                                         const MmSearchFilter *filter,
                                         guint                 page_size)
{
  static const char * const expand[] = {
    "author", "downloads", "likes", "gated", "lastModified", "createdAt",
    "private", "tags", "pipeline_tag", "trendingScore", "gguf", "safetensors",
  };
  g_autofree char *num_parameters = NULL;
  GString *url;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), NULL);

  url = g_string_new (self->endpoint);
  g_string_append (url, "/api/models?");
  if (text != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      if (*trimmed != '\0')
        {
          g_autofree char *escaped = escape (trimmed);

          g_string_append_printf (url, "search=%s&", escaped);
        }
    }
  if (gguf_only)
    g_string_append (url, "filter=gguf&");
  num_parameters = mm_search_filter_dup_num_parameters (filter);
  if (num_parameters != NULL)
    {
      g_autofree char *escaped = escape (num_parameters);

      g_string_append_printf (url, "num_parameters=%s&", escaped);
    }
  g_string_append_printf (url, "sort=%s&limit=%u", mm_sort_to_api (sort),
                          page_size > 0 ? MIN (page_size, 100u) : MM_HUB_DEFAULT_PAGE_SIZE);
  for (guint i = 0; i < G_N_ELEMENTS (expand); i++)
    g_string_append_printf (url, "&expand=%s", expand[i]);

  return g_string_free (url, FALSE);
}

typedef struct {
  GPtrArray *models; /* (owned) */
  char *next_url;    /* (owned) (nullable) */
} SearchPage;

static void
search_page_free (SearchPage *page)
{
  g_clear_pointer (&page->models, g_ptr_array_unref);
  g_clear_pointer (&page->next_url, g_free);
  g_free (page);
}

static void
search_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  SearchPage *page;
  JsonArray *array;
  Fetch *fetch;

  root = fetch_finish_json (result, JSON_NODE_ARRAY,
                            _("The Hub sent search results in an unexpected shape."),
                            &fetch, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = g_new0 (SearchPage, 1);
  page->models = g_ptr_array_new_with_free_func (g_object_unref);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      MmModel *model;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      /* One bad item does not spoil the page. */
      model = mm_model_new_from_json (json_node_get_object (node), NULL);
      if (model != NULL)
        g_ptr_array_add (page->models, model);
    }
  page->next_url = find_next_link (fetch->msg);

  g_task_return_pointer (task, page, (GDestroyNotify) search_page_free);
}

/**
 * mm_hub_client_search_async:
 * @url: a page URL: from mm_hub_client_build_search_url() or a previous
 *   page's next URL
 * @cancellable: (nullable): a #GCancellable
 *
 * Fetches one page of search results.
 */
void
mm_hub_client_search_async (MmHubClient         *self,
                            const char          *url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_search_async);
  g_task_set_check_cancellable (task, FALSE);

  fetch_async (self, url, SUBJECT_SEARCH, NULL, NULL, cancellable,
               search_fetched_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_search_finish:
 * @next_url: (out) (optional) (transfer full) (nullable): the next page's
 *   URL, or %NULL on the last page
 *
 * Returns: (transfer full) (element-type MmModel): the page's models, or %NULL on error
 */
GPtrArray *
mm_hub_client_search_finish (MmHubClient   *self,
                             GAsyncResult  *result,
                             char         **next_url,
                             GError       **error)
{
  SearchPage *page;
  GPtrArray *models;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  page = g_task_propagate_pointer (G_TASK (result), error);
  if (page == NULL)
    return NULL;

  models = g_steal_pointer (&page->models);
  if (next_url != NULL)
    *next_url = g_steal_pointer (&page->next_url);
  search_page_free (page);

  return models;
}

static char *
build_repo_url (MmHubClient *self,
                const char  *prefix,
                const char  *repo_id,
                const char  *suffix)
{
  return g_strconcat (self->endpoint, prefix, repo_id, suffix, NULL);
}

static void
model_info_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  MmModel *model;

  root = fetch_finish_json (result, JSON_NODE_OBJECT,
                            _("The Hub sent model details in an unexpected shape."),
                            NULL, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  model = mm_model_new_from_json (json_node_get_object (root), &error);
  if (model == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, model, g_object_unref);
}

static gboolean
check_repo_id (GTask      *task,
               const char *repo_id)
{
  GError *error = NULL;

  if (!mm_repo_id_validate (repo_id, &error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * mm_hub_client_model_info_async:
 * @repo_id: `owner/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for the default branch
 * @cancellable: (nullable): a #GCancellable
 *
 * Fetches a model's facts and its files with sizes and LFS SHA-256
 * (`blobs=true`).
 */
void
mm_hub_client_model_info_async (MmHubClient         *self,
                                const char          *repo_id,
                                const char          *revision,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_model_info_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_repo_id (task, repo_id))
    return;

  if (revision != NULL)
    {
      g_autofree char *rev = escape (revision);
      g_autofree char *suffix = g_strdup_printf ("/revision/%s?blobs=true", rev);

      url = build_repo_url (self, "/api/models/", repo_id, suffix);
    }
  else
    url = build_repo_url (self, "/api/models/", repo_id, "?blobs=true");

  fetch_async (self, url, SUBJECT_REPO, repo_id, NULL, cancellable,
               model_info_fetched_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_model_info_finish:
 *
 * Returns: (transfer full): the model with its files, or %NULL on error
 */
MmModel *
mm_hub_client_model_info_finish (MmHubClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
auth_check_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* The answer's body says nothing more than its status. */
  if (fetch_finish (result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * mm_hub_client_auth_check_async:
 * @repo_id: `owner/name`
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the Hub whether this client (its token, or none) may download the
 * repository's files (`GET /api/models/{repo_id}/auth-check`). It is the
 * cheap way to learn, before any download, whether a gated repository has
 * granted this account access.
 *
 * The answer is an error in %MM_HUB_ERROR when it may not:
 * %MM_HUB_ERROR_GATED_NO_TOKEN (gated, no token sent),
 * %MM_HUB_ERROR_GATED_NO_ACCESS (gated, this account not approved yet: a 403),
 * %MM_HUB_ERROR_UNAUTHORIZED (the token was refused: any 401 with a token),
 * %MM_HUB_ERROR_REPO_NOT_FOUND (missing, or private and not visible),
 * %MM_HUB_ERROR_FORBIDDEN (disabled), or the transport errors of every
 * request; %G_IO_ERROR_CANCELLED on cancel.
 */
void
mm_hub_client_auth_check_async (MmHubClient         *self,
                                const char          *repo_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_auth_check_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_repo_id (task, repo_id))
    return;

  url = build_repo_url (self, "/api/models/", repo_id, "/auth-check");
  fetch_async (self, url, SUBJECT_REPO, repo_id, NULL, cancellable,
               auth_check_fetched_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_auth_check_finish:
 *
 * Returns: %TRUE when this client may download the repository's files;
 *   %FALSE with @error set otherwise
 */
gboolean
mm_hub_client_auth_check_finish (MmHubClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  char *repo_id;     /* (owned) */
  GPtrArray *files;  /* (owned) */
  guint pages;
} ListFiles;

static void
list_files_free (ListFiles *data)
{
  g_clear_pointer (&data->repo_id, g_free);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_free (data);
}

static void
list_files_page_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmHubClient *self = g_task_get_source_object (task);
  ListFiles *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *next = NULL;
  JsonArray *array;
  Fetch *fetch;

  root = fetch_finish_json (result, JSON_NODE_ARRAY,
                            _("The Hub sent a file list in an unexpected shape."),
                            &fetch, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      MmRepoFile *file;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (g_strcmp0 (mm_json_get_string (object, "type"), "directory") == 0)
        continue;
      file = mm_repo_file_new_from_json (object, NULL);
      if (file != NULL)
        g_ptr_array_add (data->files, file);
    }

  next = find_next_link (fetch->msg);
  if (next != NULL)
    {
      if (++data->pages >= MAX_PAGES)
        {
          g_task_return_new_error (task, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED, "%s",
                                   _("The Hub’s file list does not end."));
          return;
        }
      GCancellable *cancellable = g_task_get_cancellable (task);

      fetch_async (self, next, SUBJECT_REPO, data->repo_id, NULL, cancellable,
                   list_files_page_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_ptr_array_ref (data->files),
                         (GDestroyNotify) g_ptr_array_unref);
}

/**
 * _mm_hub_client_list_files_async:
 * @repo_id: `owner/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for `main`
 * @cancellable: (nullable): a #GCancellable
 *
 * Lists every file of the repository, recursively, following all pages.
 * Prefer passing the commit from model info so that all files come from
 * the same revision.
 */
void
_mm_hub_client_list_files_async (MmHubClient         *self,
                                 const char          *repo_id,
                                 const char          *revision,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *url = NULL;
  ListFiles *data;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _mm_hub_client_list_files_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_repo_id (task, repo_id))
    return;

  data = g_new0 (ListFiles, 1);
  data->repo_id = g_strdup (repo_id);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) list_files_free);

  rev = escape (revision ? revision : "main");
  suffix = g_strdup_printf ("/tree/%s?recursive=true", rev);
  url = build_repo_url (self, "/api/models/", repo_id, suffix);

  fetch_async (self, url, SUBJECT_REPO, repo_id, NULL, cancellable,
               list_files_page_cb, g_steal_pointer (&task));
}

/**
 * _mm_hub_client_list_files_finish:
 *
 * Returns: (transfer full) (element-type MmRepoFile): every file, or %NULL on error
 */
GPtrArray *
_mm_hub_client_list_files_finish (MmHubClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
model_card_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;
  Fetch *fetch;

  fetch = fetch_finish (result, &error);
  if (fetch == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (fetch->body, &len);
  /* A model card is text for a person; a huge one is cut, never trusted. */
  len = MIN (len, MAX_CARD_BYTES);
  g_task_return_pointer (task, g_utf8_make_valid (data ? data : "", (gssize) len), g_free);
}

/**
 * mm_hub_client_model_card_async:
 * @repo_id: `owner/name`
 * @revision: (nullable): a branch, tag or commit; %NULL for `main`
 * @cancellable: (nullable): a #GCancellable
 *
 * Fetches the model card (README.md) as Markdown text.
 */
void
mm_hub_client_model_card_async (MmHubClient         *self,
                                const char          *repo_id,
                                const char          *revision,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_model_card_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_repo_id (task, repo_id))
    return;

  rev = escape (revision ? revision : "main");
  suffix = g_strdup_printf ("/resolve/%s/README.md", rev);
  url = build_repo_url (self, "/", repo_id, suffix);

  fetch_async (self, url, SUBJECT_FILE, repo_id, "README.md", cancellable,
               model_card_fetched_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_model_card_finish:
 *
 * Returns: (transfer full): the Markdown text (valid UTF-8), or %NULL on error
 */
char *
mm_hub_client_model_card_finish (MmHubClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reading a GGUF header from the Hub */

typedef struct {
  MmHubClient *client;  /* (owned) */
  char *repo_id;        /* (owned) */
  char *path;           /* (owned) */
} ReadGguf;

static void
read_gguf_free (ReadGguf *read)
{
  g_clear_object (&read->client);
  g_clear_pointer (&read->repo_id, g_free);
  g_clear_pointer (&read->path, g_free);
  g_free (read);
}

/* Every hop, the /resolve request and the CDN's, is made here: the token
 * rides only to the Hub's origin (_mm_hub_client_new_message() decides),
 * and with NO_REDIRECT the reader comes back for each redirect. */
static SoupMessage *
read_gguf_new_message_cb (GUri     *uri,
                          gpointer  user_data)
{
  ReadGguf *read = user_data;

  return _mm_hub_client_new_message (read->client, SOUP_METHOD_GET, uri);
}

static GError *
read_gguf_status_error_cb (SoupMessage *message,
                           gpointer     user_data)
{
  ReadGguf *read = user_data;

  return _mm_hub_client_error_for_file (read->client, message, NULL,
                                        read->repo_id, read->path);
}

static GError *
read_gguf_transport_error_cb (const GError *error,
                              gpointer      user_data)
{
  ReadGguf *read = user_data;

  return transport_error (read->client, error);
}

static const MmGgufRemoteFuncs read_gguf_funcs = {
  read_gguf_new_message_cb,
  read_gguf_status_error_cb,
  read_gguf_transport_error_cb,
};

static void
read_gguf_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MmGgufInfo *info;

  info = mm_gguf_reader_read_url_finish (result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, info, g_object_unref);
}

/**
 * mm_hub_client_read_gguf_async:
 * @repo_id: `owner/name`
 * @revision: (nullable): a branch, tag or (better) commit; %NULL for `main`
 * @path: the GGUF file's path in the repository; for a split set, part 1
 * @cancellable: (nullable): a #GCancellable
 *
 * Reads the header of a GGUF file on the Hub without downloading the file:
 * asks `/resolve` with a Range request, follows the redirect to the CDN by
 * hand (the access token goes only to the Hub's origin, never to the CDN),
 * and reads growing ranges there until the header ends (see
 * mm_gguf_reader_read_url_async()). Requests are not retried.
 *
 * Refusals and network failures finish with the same %MM_HUB_ERROR codes
 * as the other calls (%MM_HUB_ERROR_GATED_NO_TOKEN,
 * %MM_HUB_ERROR_FILE_NOT_FOUND, %MM_HUB_ERROR_OFFLINE, …); a file that is
 * no GGUF or a broken header with %MM_GGUF_ERROR. On cancel, finishes with
 * %G_IO_ERROR_CANCELLED. No error message holds a CDN address or the token.
 */
void
mm_hub_client_read_gguf_async (MmHubClient         *self,
                               const char          *repo_id,
                               const char          *revision,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  mm_hub_client_read_gguf_with_progress_async (self, repo_id, revision, path, NULL, NULL, NULL,
                                               cancellable, callback, user_data);
}

/**
 * mm_hub_client_read_gguf_with_progress_async:
 * @repo_id: `owner/name`
 * @revision: (nullable): a branch, tag or (better) commit; %NULL for `main`
 * @path: the GGUF file's path in the repository; for a split set, part 1
 * @progress: (nullable) (scope notified): told how far the read is, on the
 *   caller's main context, see #MmGgufProgressFunc
 * @progress_data: (transfer full) (nullable): passed to @progress, freed
 *   with @progress_data_free when the read is over
 * @progress_data_free: (nullable): frees @progress_data
 * @cancellable: (nullable): a #GCancellable
 *
 * As mm_hub_client_read_gguf_async(), reporting progress; finished with
 * mm_hub_client_read_gguf_finish(). Cancelling stops the read at once (the
 * connection is dropped) and finishes with %G_IO_ERROR_CANCELLED.
 */
void
mm_hub_client_read_gguf_with_progress_async (MmHubClient         *self,
                                             const char          *repo_id,
                                             const char          *revision,
                                             const char          *path,
                                             MmGgufProgressFunc   progress,
                                             gpointer             progress_data,
                                             GDestroyNotify       progress_data_free,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  ReadGguf *read;

  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_hub_client_read_gguf_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!check_repo_id (task, repo_id))
    {
      if (progress_data_free != NULL && progress_data != NULL)
        progress_data_free (progress_data);
      return;
    }

  url = mm_hub_client_build_resolve_url (self, repo_id, revision, path);

  read = g_new0 (ReadGguf, 1);
  read->client = g_object_ref (self);
  read->repo_id = g_strdup (repo_id);
  read->path = g_strdup (path);

  _mm_gguf_reader_read_remote_async (self->session, url, path, &read_gguf_funcs,
                                     read, (GDestroyNotify) read_gguf_free,
                                     progress, progress_data, progress_data_free,
                                     cancellable, read_gguf_cb, g_steal_pointer (&task));
}

/**
 * mm_hub_client_read_gguf_finish:
 *
 * Returns: (transfer full): the file's header, or %NULL on error
 */
MmGgufInfo *
mm_hub_client_read_gguf_finish (MmHubClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_hub_client_read_gguf_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mm_hub_client_build_model_url:
 * @repo_id: `owner/name`
 *
 * Returns: (transfer full): the model's page on the Hub, for a browser
 */
char *
mm_hub_client_build_model_url (MmHubClient *self,
                               const char  *repo_id)
{
  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), NULL);

  return build_repo_url (self, "/", repo_id, NULL);
}

/**
 * mm_hub_client_build_resolve_url:
 * @repo_id: `owner/name`
 * @revision: a branch, tag or (better) a commit
 * @path: the file's path inside the repository (already validated)
 *
 * Returns: (transfer full): the `/resolve/` URL that serves or redirects to the file
 */
char *
mm_hub_client_build_resolve_url (MmHubClient *self,
                                 const char  *repo_id,
                                 const char  *revision,
                                 const char  *path)
{
  g_autofree char *rev = NULL;
  g_autofree char *escaped_path = NULL;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (self), NULL);

  rev = escape (revision ? revision : "main");
  /* Slashes between folders stay; everything else is escaped. */
  escaped_path = g_uri_escape_string (path, "/", FALSE);

  return g_strdup_printf ("%s/%s/resolve/%s/%s", self->endpoint, repo_id, rev, escaped_path);
}

/* A session for one worker thread's file transfer: no content decoder (the
 * bytes must arrive as stored, so sizes and ranges mean what they say), and
 * a socket timeout that doubles as stall detection. */
SoupSession *
_mm_hub_client_new_transfer_session (MmHubClient *self,
                                     guint        stall_timeout_s)
{
  SoupSession *session;

  session = soup_session_new_with_options ("user-agent", self->user_agent,
                                           "timeout", stall_timeout_s,
                                           "idle-timeout", 30,
                                           NULL);

  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  if (self->proxy_resolver != NULL)
    soup_session_set_proxy_resolver (session, self->proxy_resolver);

  return session;
}

/**
 * _mm_hub_client_set_proxy_resolver:
 * @resolver: (nullable): the proxy resolver; %NULL for the system's
 *
 * Every request of the client (Hub API, downloads from the Hub and its
 * CDN, account checks) goes through proxies that @resolver names. By
 * default that is g_proxy_resolver_get_default(): the desktop's proxy
 * settings, the proxy portal inside a sandbox, or `http_proxy`,
 * `https_proxy` and `no_proxy` from the environment through libproxy.
 * Transfers that already run keep their connections.
 */
void
_mm_hub_client_set_proxy_resolver (MmHubClient    *self,
                                   GProxyResolver *resolver)
{
  g_return_if_fail (MM_IS_HUB_CLIENT (self));
  g_return_if_fail (resolver == NULL || G_IS_PROXY_RESOLVER (resolver));

  if (!g_set_object (&self->proxy_resolver, resolver))
    return;
  soup_session_set_proxy_resolver (self->session,
                                   resolver ? resolver : g_proxy_resolver_get_default ());
}

/* A request that carries the token only when @uri is the Hub's own origin. */
SoupMessage *
_mm_hub_client_new_message (MmHubClient *self,
                            const char  *method,
                            GUri        *uri)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");
  if (may_send_token (self, uri))
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (headers, "Authorization", auth);
    }

  return msg;
}

GError *
_mm_hub_client_error_for_file (MmHubClient *self,
                               SoupMessage *msg,
                               GBytes      *body,
                               const char  *repo_id,
                               const char  *path)
{
  Fetch fetch = {
    .msg = msg,
    .body = body,
    .repo_id = (char *) repo_id,
    .path = (char *) path,
    .subject = SUBJECT_FILE,
  };

  return http_error (self, &fetch);
}

GError *
_mm_hub_client_transport_error (MmHubClient  *self,
                                const GError *error)
{
  return transport_error (self, error);
}

gboolean
_mm_hub_client_transport_is_retryable (const GError *error)
{
  return transport_is_retryable (error);
}

gboolean
_mm_hub_client_status_is_retryable (guint status)
{
  return status >= 500 || status == 429 || status == SOUP_STATUS_REQUEST_TIMEOUT;
}
