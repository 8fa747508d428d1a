/* test-hub-link.c: telling a pasted model link or id from search words
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"

#define ENDPOINT "https://hf-mirror.example:8443/hub"

typedef struct {
  const char    *path;
  const char    *input;
  MmHubLinkKind  kind;
  const char    *repo_id;    /* for REPO_ID and URL */
  int            error_code; /* for INVALID */
  const char    *message_has; /* for INVALID: a part of the message */
} Case;

static const Case cases[] = {
  /* Words */
  { "/mm/hub-link/words/plain", "tinychat q4", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/one-word", "tinychat", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/empty", "", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/blank", "  \t ", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/colon", "llama:8b", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/two-slashes", "a/b/c", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/space-in-id", "org/my model", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/leading-slash", "/name", MM_HUB_LINK_NONE },
  { "/mm/hub-link/words/dot-dot", "org/../name", MM_HUB_LINK_NONE },

  /* Bare ids */
  { "/mm/hub-link/id/plain", "example-org/TinyChat-1.1B-GGUF", MM_HUB_LINK_REPO_ID,
    "example-org/TinyChat-1.1B-GGUF" },
  { "/mm/hub-link/id/spaces-around", "  bartowski/Qwen2.5-7B-Instruct-GGUF \n",
    MM_HUB_LINK_REPO_ID, "bartowski/Qwen2.5-7B-Instruct-GGUF" },

  /* Links to a model */
  { "/mm/hub-link/url/page", "https://huggingface.co/example-org/TinyChat-1.1B-GGUF",
    MM_HUB_LINK_URL, "example-org/TinyChat-1.1B-GGUF" },
  { "/mm/hub-link/url/trailing-slash", "https://huggingface.co/example-org/TinyChat/",
    MM_HUB_LINK_URL, "example-org/TinyChat" },
  { "/mm/hub-link/url/http", "http://huggingface.co/org/name", MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/www", "https://www.huggingface.co/org/name", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/upper-case-host", "HTTPS://HuggingFace.CO/org/Name", MM_HUB_LINK_URL,
    "org/Name" },
  { "/mm/hub-link/url/hf-co", "https://hf.co/org/name", MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/no-scheme", "huggingface.co/org/name", MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/no-scheme-hf-co", "hf.co/org/name/tree/main", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/tree", "https://huggingface.co/org/name/tree/main", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/tree-folder", "https://huggingface.co/org/name/tree/main/BF16/",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/blob",
    "https://huggingface.co/org/name/blob/main/name-Q4_K_M.gguf", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/resolve",
    "https://huggingface.co/org/name/resolve/main/name-Q4_K_M.gguf?download=true",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/query", "https://huggingface.co/org/name?library=gguf",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/fragment", "https://huggingface.co/org/name#files", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/discussions", "https://huggingface.co/org/name/discussions/3",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/api", "https://huggingface.co/api/models/org/name", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/escaped", "https://huggingface.co/org/na%6De", MM_HUB_LINK_URL,
    "org/name" },
  { "/mm/hub-link/url/spaces-around", "\t https://huggingface.co/org/name \n",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/endpoint", "https://hf-mirror.example:8443/hub/org/name/tree/main",
    MM_HUB_LINK_URL, "org/name" },
  { "/mm/hub-link/url/endpoint-no-scheme", "hf-mirror.example:8443/hub/org/name",
    MM_HUB_LINK_URL, "org/name" },

  /* Links that name no model */
  { "/mm/hub-link/junk/other-site", "https://github.com/org/name", MM_HUB_LINK_INVALID,
    NULL, MM_HUB_LINK_ERROR_NOT_HUB, "github.com" },
  { "/mm/hub-link/junk/look-alike", "https://huggingface.co.evil.example/org/name",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_HUB, "huggingface.co.evil.example" },
  { "/mm/hub-link/junk/endpoint-other-port", "https://hf-mirror.example/hub/org/name",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_HUB, "hf-mirror.example" },
  { "/mm/hub-link/junk/endpoint-other-path", "https://hf-mirror.example:8443/other/org/name",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_HUB, "hf-mirror.example" },
  { "/mm/hub-link/junk/ftp", "ftp://huggingface.co/org/name", MM_HUB_LINK_INVALID, NULL,
    MM_HUB_LINK_ERROR_NOT_HUB, "web links" },
  { "/mm/hub-link/junk/front-page", "https://huggingface.co/", MM_HUB_LINK_INVALID, NULL,
    MM_HUB_LINK_ERROR_NOT_MODEL, "front page" },
  { "/mm/hub-link/junk/host-only", "huggingface.co", MM_HUB_LINK_INVALID, NULL,
    MM_HUB_LINK_ERROR_NOT_MODEL, "front page" },
  { "/mm/hub-link/junk/dataset", "https://huggingface.co/datasets/org/name",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_MODEL, "dataset" },
  { "/mm/hub-link/junk/space", "https://huggingface.co/spaces/org/name/tree/main",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_MODEL, "Space" },
  { "/mm/hub-link/junk/model-list", "https://huggingface.co/models?library=gguf",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_NOT_MODEL, "list of models" },
  { "/mm/hub-link/junk/docs", "https://huggingface.co/docs/hub/gguf", MM_HUB_LINK_INVALID,
    NULL, MM_HUB_LINK_ERROR_NOT_MODEL, "shows no model" },
  { "/mm/hub-link/junk/user", "https://huggingface.co/bartowski", MM_HUB_LINK_INVALID,
    NULL, MM_HUB_LINK_ERROR_NOT_MODEL, "“bartowski”" },
  { "/mm/hub-link/junk/bad-id", "https://huggingface.co/org/na$me", MM_HUB_LINK_INVALID,
    NULL, MM_HUB_LINK_ERROR_INVALID, "not a model id" },
  { "/mm/hub-link/junk/control-char", "https://huggingface.co/org/na%01me",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_INVALID, "org/na\xe2\x90\x81me" },
  { "/mm/hub-link/junk/no-host", "https:///org/name", MM_HUB_LINK_INVALID, NULL,
    MM_HUB_LINK_ERROR_INVALID, "cannot be read" },
  { "/mm/hub-link/junk/bad-escape", "https://huggingface.co/org/na%zzme",
    MM_HUB_LINK_INVALID, NULL, MM_HUB_LINK_ERROR_INVALID, "cannot be read" },
  { "/mm/hub-link/junk/scheme-only", "https://", MM_HUB_LINK_INVALID, NULL,
    MM_HUB_LINK_ERROR_INVALID, "cannot be read" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *repo_id = NULL;
  MmHubLinkKind kind;

  kind = mm_hub_link_parse (c->input, ENDPOINT, &repo_id, &error);
  g_assert_cmpint (kind, ==, c->kind);

  switch (c->kind)
    {
    case MM_HUB_LINK_NONE:
      g_assert_no_error (error);
      g_assert_null (repo_id);
      break;
    case MM_HUB_LINK_REPO_ID:
    case MM_HUB_LINK_URL:
      g_assert_no_error (error);
      g_assert_cmpstr (repo_id, ==, c->repo_id);
      break;
    case MM_HUB_LINK_INVALID:
      g_assert_error (error, MM_HUB_LINK_ERROR, c->error_code);
      g_assert_null (repo_id);
      if (strstr (error->message, c->message_has) == NULL)
        g_error ("“%s” is not in the message “%s”", c->message_has, error->message);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Without an endpoint, only the public Hub's hosts count; the optional
 * out-arguments may be left out. */
static void
test_no_endpoint (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mm_hub_link_parse ("https://huggingface.co/org/name", NULL, NULL, NULL),
                   ==, MM_HUB_LINK_URL);
  g_assert_cmpint (mm_hub_link_parse ("https://hf-mirror.example:8443/hub/org/name", NULL,
                                      NULL, &error), ==, MM_HUB_LINK_INVALID);
  g_assert_error (error, MM_HUB_LINK_ERROR, MM_HUB_LINK_ERROR_NOT_HUB);
  g_assert_cmpint (mm_hub_link_parse (NULL, NULL, NULL, NULL), ==, MM_HUB_LINK_NONE);
  g_assert_cmpint (mm_hub_link_parse ("org/name", "not a url", NULL, NULL), ==,
                   MM_HUB_LINK_REPO_ID);
}

/* The mock Hub's endpoint: plain http on a loopback port. */
static void
test_loopback_endpoint (void)
{
  g_autofree char *repo_id = NULL;

  g_assert_cmpint (mm_hub_link_parse ("http://127.0.0.1:40123/org/name/blob/main/x.gguf",
                                      "http://127.0.0.1:40123", &repo_id, NULL),
                   ==, MM_HUB_LINK_URL);
  g_assert_cmpstr (repo_id, ==, "org/name");
  g_assert_cmpint (mm_hub_link_parse ("http://127.0.0.1:40124/org/name",
                                      "http://127.0.0.1:40123", NULL, NULL),
                   ==, MM_HUB_LINK_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/mm/hub-link/no-endpoint", test_no_endpoint);
  g_test_add_func ("/mm/hub-link/loopback-endpoint", test_loopback_endpoint);

  return g_test_run ();
}
