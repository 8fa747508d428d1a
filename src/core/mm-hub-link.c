/* mm-hub-link.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pasting beats searching: a person who has a model's address (from a
 * browser, a chat, a README) pastes it into the search field and wants
 * that model, not a list. This file tells the three cases apart:
 *
 *  - words to search for ("tinychat q4", "llama:8b");
 *  - a model: a bare `organization/name` id, or a link to the Hub
 *    (huggingface.co, hf.co, or the endpoint the app talks to, e.g. a
 *    mirror from HF_ENDPOINT) to a model's page or to anything below it:
 *    `/tree/main/…`, `/blob/…`, `/resolve/…`, discussions, with or without
 *    a query, a fragment or a trailing slash;
 *  - something that is a link but names no model: another web site, a
 *    dataset, a Space, a person's page, the documentation. These get a
 *    sentence that says which, so the search field never silently searches
 *    for "https".
 */
#define G_LOG_DOMAIN "mm-hub-link"

#include "config.h"

#include "mm-hub-link.h"

#include "mm-path.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (mm-hub-link-error-quark, mm_hub_link_error)

/* Hosts of the public Hub; the configured endpoint's host is added. */
static const char * const hub_hosts[] = {
  "huggingface.co", "www.huggingface.co", "hf.co",
};

/* First path segments of Hub pages that are not `owner/name` repositories. */
static const char * const reserved[] = {
  "api", "blog", "chat", "collections", "docs", "enterprise", "join", "learn", "login",
  "new", "new-dataset", "new-space", "notifications", "organizations", "papers",
  "posts", "pricing", "search", "settings", "tasks",
};

static gboolean
is_url_like (const char *text,
             const char *endpoint_host)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (strstr (lower, "://") != NULL ||
      g_str_has_prefix (lower, "http:") || g_str_has_prefix (lower, "https:"))
    return TRUE;

  /* "huggingface.co/org/name" without a scheme. */
  for (guint i = 0; i < G_N_ELEMENTS (hub_hosts); i++)
    {
      gsize len = strlen (hub_hosts[i]);

      if (g_str_has_prefix (lower, hub_hosts[i]) && (lower[len] == '/' || lower[len] == '\0'))
        return TRUE;
    }
  if (endpoint_host != NULL)
    {
      gsize len = strlen (endpoint_host);

      if (g_str_has_prefix (lower, endpoint_host) &&
          (lower[len] == '/' || lower[len] == ':' || lower[len] == '\0'))
        return TRUE;
    }

  return FALSE;
}

static int
default_port (const char *scheme)
{
  return g_ascii_strcasecmp (scheme, "http") == 0 ? 80 : 443;
}

static MmHubLinkKind
parse_url (const char  *text,
           GUri        *endpoint,
           char       **repo_id,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *host = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  g_autofree char *id = NULL;
  const char *scheme;
  const char *path;
  gboolean hub = FALSE;

  /* "hf.co/org/name", "mirror.example:8443/org/name": the host comes first
   * (g_uri_peek_scheme() would take "mirror.example" for a scheme). */
  if (strstr (text, "://") == NULL &&
      g_ascii_strncasecmp (text, "http:", 5) != 0 && g_ascii_strncasecmp (text, "https:", 6) != 0)
    text = with_scheme = g_strconcat ("https://", text, NULL);

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_INVALID,
                           _("This link cannot be read. Paste the whole address of a model "
                             "on the Hub, or its id, such as “organization/model-name”."));
      return MM_HUB_LINK_INVALID;
    }
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_HUB,
                           _("Only web links to models on the Hugging Face Hub can be "
                             "opened here."));
      return MM_HUB_LINK_INVALID;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  for (guint i = 0; i < G_N_ELEMENTS (hub_hosts); i++)
    if (g_str_equal (host, hub_hosts[i]))
      hub = TRUE;

  path = g_uri_get_path (uri);

  if (!hub && endpoint != NULL &&
      g_ascii_strcasecmp (host, g_uri_get_host (endpoint)) == 0)
    {
      int port = g_uri_get_port (uri);
      int endpoint_port = g_uri_get_port (endpoint);
      const char *prefix = g_uri_get_path (endpoint);

      if (port == -1)
        port = default_port (scheme);
      if (endpoint_port == -1)
        endpoint_port = default_port (g_uri_get_scheme (endpoint));
      if (port == endpoint_port)
        {
          gsize prefix_len;

          /* An endpoint below a path (a mirror at https://host/hf) serves
           * its model pages below that path too. */
          while (*prefix == '/')
            prefix++;
          prefix_len = strlen (prefix);
          while (prefix_len > 0 && prefix[prefix_len - 1] == '/')
            prefix_len--;
          while (*path == '/')
            path++;
          if (prefix_len == 0)
            hub = TRUE;
          else if (strncmp (path, prefix, prefix_len) == 0 &&
                   (path[prefix_len] == '/' || path[prefix_len] == '\0'))
            {
              hub = TRUE;
              path += prefix_len;
            }
        }
    }

  if (!hub)
    {
      g_set_error (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_HUB,
                   /* Translators: %s is a web site's name, such as "github.com" */
                   _("This is a link to %s, not to the Hugging Face Hub. Paste the address "
                     "of a model on the Hub, or its id."), host);
      return MM_HUB_LINK_INVALID;
    }

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (segments, parts[i]);

  /* The API's own address of a model: /api/models/owner/name. */
  if (segments->len >= 4 && g_str_equal (g_ptr_array_index (segments, 0), "api") &&
      g_str_equal (g_ptr_array_index (segments, 1), "models"))
    g_ptr_array_remove_range (segments, 0, 2);

  if (segments->len == 0)
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                           _("This is a link to the Hub’s front page, not to a model."));
      return MM_HUB_LINK_INVALID;
    }

  if (g_str_equal (g_ptr_array_index (segments, 0), "datasets"))
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                           _("This is a link to a dataset, not to a model."));
      return MM_HUB_LINK_INVALID;
    }
  if (g_str_equal (g_ptr_array_index (segments, 0), "spaces"))
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                           _("This is a link to a Space (an app on the Hub), not to a model."));
      return MM_HUB_LINK_INVALID;
    }
  if (g_str_equal (g_ptr_array_index (segments, 0), "models"))
    {
      g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                           _("This is a link to a list of models. Paste the address of "
                             "one model."));
      return MM_HUB_LINK_INVALID;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_str_equal (g_ptr_array_index (segments, 0), reserved[i]))
      {
        g_set_error_literal (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                             _("This is a link to a page of the Hub that shows no model."));
        return MM_HUB_LINK_INVALID;
      }

  if (segments->len == 1)
    {
      g_autofree char *owner = mm_path_to_display (g_ptr_array_index (segments, 0));

      g_set_error (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_MODEL,
                   /* Translators: %s is a user or organization on the Hub */
                   _("This is a link to the page of “%s”, not to one of their models."),
                   owner);
      return MM_HUB_LINK_INVALID;
    }

  /* Whatever follows the name (tree/main, blob/…, resolve/…, discussions)
   * is inside the model. */
  id = g_strdup_printf ("%s/%s", (char *) g_ptr_array_index (segments, 0),
                        (char *) g_ptr_array_index (segments, 1));
  if (!mm_repo_id_validate (id, NULL))
    {
      g_autofree char *shown = mm_path_to_display (id);

      g_set_error (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_INVALID,
                   /* Translators: %s is the part of a link that should be a model id */
                   _("“%s” in this link is not a model id."), shown);
      return MM_HUB_LINK_INVALID;
    }

  if (repo_id != NULL)
    *repo_id = g_steal_pointer (&id);
  return MM_HUB_LINK_URL;
}

/**
 * mm_hub_link_parse:
 * @text: what a person typed or pasted
 * @endpoint: (nullable): the Hub endpoint the app uses, whose links count
 *   as the Hub's too (a mirror, the mock Hub)
 * @repo_id: (out) (optional) (transfer full): the model's id, for
 *   %MM_HUB_LINK_REPO_ID and %MM_HUB_LINK_URL
 * @error: set for %MM_HUB_LINK_INVALID, with a sentence for a person
 *
 * Tells words to search for from a model's id or link.
 *
 * Returns: what @text is
 */
MmHubLinkKind
mm_hub_link_parse (const char  *text,
                   const char  *endpoint,
                   char       **repo_id,
                   GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) endpoint_uri = NULL;
  g_autofree char *endpoint_host = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, MM_HUB_LINK_NONE);

  if (repo_id != NULL)
    *repo_id = NULL;
  if (text == NULL)
    return MM_HUB_LINK_NONE;

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL))
    return MM_HUB_LINK_NONE;

  if (endpoint != NULL)
    endpoint_uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (endpoint_uri != NULL && g_uri_get_host (endpoint_uri) == NULL)
    g_clear_pointer (&endpoint_uri, g_uri_unref);
  if (endpoint_uri != NULL)
    endpoint_host = g_ascii_strdown (g_uri_get_host (endpoint_uri), -1);

  if (is_url_like (trimmed, endpoint_host))
    return parse_url (trimmed, endpoint_uri, repo_id, error);

  /* A bare id: one slash, the Hub's characters, no spaces. */
  if (mm_repo_id_validate (trimmed, NULL))
    {
      if (repo_id != NULL)
        *repo_id = g_steal_pointer (&trimmed);
      return MM_HUB_LINK_REPO_ID;
    }

  return MM_HUB_LINK_NONE;
}
