/* test-access-help.c: what a person is told when the Hub keeps a model
 * from them, the same in the detail pane and the Downloads view
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-access-help.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#include <string.h>

#define TIMEOUT_MS 20000

typedef struct {
  const char      *path;
  GQuark           domain;
  int              code;
  MmGated          gated;
  MmAccessProblem  problem;
  MmAccessActions  actions;
  const char      *says;     /* (nullable) a phrase the explanation has */
} Case;

#define BOTH (MM_ACCESS_ACTION_ADD_TOKEN | MM_ACCESS_ACTION_OPEN_MODEL_PAGE)

static Case cases[] = {
  { "/app/access-help/gated-no-token", 0, MM_HUB_ERROR_GATED_NO_TOKEN, MM_GATED_AUTO,
    MM_ACCESS_PROBLEM_GATED_NO_TOKEN, BOTH, "accept the conditions" },
  { "/app/access-help/gated-no-token/manual", 0, MM_HUB_ERROR_GATED_NO_TOKEN, MM_GATED_MANUAL,
    MM_ACCESS_PROBLEM_GATED_NO_TOKEN, BOTH, "by hand" },
  { "/app/access-help/gated-no-token/unknown-mode", 0, MM_HUB_ERROR_GATED_NO_TOKEN, MM_GATED_NO,
    MM_ACCESS_PROBLEM_GATED_NO_TOKEN, BOTH, "access token" },
  { "/app/access-help/gated-no-access", 0, MM_HUB_ERROR_GATED_NO_ACCESS, MM_GATED_AUTO,
    MM_ACCESS_PROBLEM_GATED_NO_ACCESS, MM_ACCESS_ACTION_OPEN_MODEL_PAGE, "not been granted" },
  { "/app/access-help/gated-no-access/manual", 0, MM_HUB_ERROR_GATED_NO_ACCESS,
    MM_GATED_MANUAL, MM_ACCESS_PROBLEM_GATED_NO_ACCESS, MM_ACCESS_ACTION_OPEN_MODEL_PAGE,
    "by hand" },
  { "/app/access-help/bad-token", 0, MM_HUB_ERROR_UNAUTHORIZED, MM_GATED_NO,
    MM_ACCESS_PROBLEM_BAD_TOKEN, MM_ACCESS_ACTION_ADD_TOKEN, "access token" },
  { "/app/access-help/not-found-or-private", 0, MM_HUB_ERROR_REPO_NOT_FOUND, MM_GATED_NO,
    MM_ACCESS_PROBLEM_NOT_FOUND, MM_ACCESS_ACTION_ADD_TOKEN, "private" },
  /* Everything else keeps its own message and no access buttons. */
  { "/app/access-help/other/file-not-found", 0, MM_HUB_ERROR_FILE_NOT_FOUND, MM_GATED_AUTO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
  { "/app/access-help/other/disabled", 0, MM_HUB_ERROR_FORBIDDEN, MM_GATED_NO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
  { "/app/access-help/other/offline", 0, MM_HUB_ERROR_OFFLINE, MM_GATED_AUTO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
  { "/app/access-help/other/cancelled", 2, G_IO_ERROR_CANCELLED, MM_GATED_AUTO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
  { "/app/access-help/other/disk-full", 1, MM_DOWNLOAD_ERROR_DISK_FULL, MM_GATED_NO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
  { "/app/access-help/other/io-not-found", 2, G_IO_ERROR_NOT_FOUND, MM_GATED_NO,
    MM_ACCESS_PROBLEM_NONE, MM_ACCESS_ACTION_NONE, NULL },
};

static GQuark
case_domain (const Case *c)
{
  switch (c->domain)
    {
    case 1:
      return MM_DOWNLOAD_ERROR;
    case 2:
      return G_IO_ERROR;
    default:
      return MM_HUB_ERROR;
    }
}

static void
test_mapping (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = g_error_new_literal (case_domain (c), c->code, "raw message");
  MmAccessHelp help;
  gboolean is_access;

  g_assert_cmpint (mm_access_problem_from_error (error), ==, c->problem);
  is_access = mm_access_help_init_from_error (&help, error, c->gated);
  g_assert_cmpint (is_access, ==, c->problem != MM_ACCESS_PROBLEM_NONE);
  g_assert_cmpint (help.problem, ==, c->problem);
  g_assert_cmpint (help.actions, ==, c->actions);

  if (!is_access)
    {
      g_assert_null (help.title);
      g_assert_null (help.explanation);
      return;
    }

  /* A heading and whole sentences, never the raw message. */
  g_assert_nonnull (help.title);
  g_assert_cmpuint (strlen (help.title), >, 3);
  g_assert_nonnull (help.explanation);
  g_assert_true (g_str_has_suffix (help.explanation, "."));
  g_assert_null (strstr (help.explanation, "raw message"));
  if (c->says != NULL && strstr (help.explanation, c->says) == NULL)
    g_error ("“%s” does not say “%s”", help.explanation, c->says);
}

/* The detail pane (which knows how the model is gated) and a failed
 * download (which does not) give the same buttons for the same problem. */
static void
test_same_actions_everywhere (void)
{
  const MmAccessProblem problems[] = {
    MM_ACCESS_PROBLEM_GATED_NO_TOKEN, MM_ACCESS_PROBLEM_GATED_NO_ACCESS,
    MM_ACCESS_PROBLEM_BAD_TOKEN, MM_ACCESS_PROBLEM_NOT_FOUND,
  };

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      MmAccessHelp unknown, automatic, manual;

      g_assert_true (mm_access_help_init (&unknown, problems[i], MM_GATED_NO));
      g_assert_true (mm_access_help_init (&automatic, problems[i], MM_GATED_AUTO));
      g_assert_true (mm_access_help_init (&manual, problems[i], MM_GATED_MANUAL));
      g_assert_cmpint (unknown.actions, ==, automatic.actions);
      g_assert_cmpint (unknown.actions, ==, manual.actions);
      g_assert_cmpstr (unknown.title, ==, manual.title);
      g_assert_cmpstr (unknown.explanation, ==, automatic.explanation);
    }
}

/* What the detail pane and a download row say when the Hub refuses a token
 * on a gated model, for both answers the Hub has given (the anonymous 401
 * GatedRepo, a plain 401): replace the token, never "wait for approval". An
 * account that is only waiting (403 GatedRepo) is told to wait. */
static void
test_gated_refused_token_from_hub (void)
{
  const MmMockRefusedToken answers[] = {
    MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS,
    MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS,
  };
  const struct {
    const char *token;
    MmAccessProblem problem;
    MmAccessActions actions;
    const char *says;
  } tokens[] = {
    { "hf_refusedtoken0123456789abcdefghijklmn", MM_ACCESS_PROBLEM_BAD_TOKEN,
      MM_ACCESS_ACTION_ADD_TOKEN, "did not accept your access token" },
    { MM_MOCK_HUB_TOKEN_NOACCESS, MM_ACCESS_PROBLEM_GATED_NO_ACCESS,
      MM_ACCESS_ACTION_OPEN_MODEL_PAGE, "not been granted" },
  };
  g_autoptr(GError) hub_error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&hub_error);

  g_assert_no_error (hub_error);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    for (guint j = 0; j < G_N_ELEMENTS (tokens); j++)
      {
        g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub),
                                                           tokens[j].token);
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        MmAccessHelp help;

        mm_mock_hub_set_refused_token (hub, answers[i]);
        mm_hub_client_auth_check_async (client, "example-org/Gated-7B-GGUF", NULL,
                                        mm_test_store_result_cb, &result);
        mm_test_wait_for_result (&result, TIMEOUT_MS);
        g_assert_false (mm_hub_client_auth_check_finish (client, result, &error));

        /* The detail pane knows the model is gated; a download row does not. */
        g_assert_true (mm_access_help_init_from_error (&help, error, MM_GATED_MANUAL));
        g_assert_cmpint (help.problem, ==, tokens[j].problem);
        g_assert_cmpint (help.actions, ==, tokens[j].actions);
        if (strstr (help.explanation, tokens[j].says) == NULL)
          g_error ("“%s” does not say “%s”", help.explanation, tokens[j].says);
        g_assert_true (mm_access_help_init_from_error (&help, error, MM_GATED_NO));
        g_assert_cmpint (help.problem, ==, tokens[j].problem);
      }
  mm_mock_hub_stop (hub);
}

static void
test_no_problem (void)
{
  MmAccessHelp help;

  g_assert_cmpint (mm_access_problem_from_error (NULL), ==, MM_ACCESS_PROBLEM_NONE);
  g_assert_false (mm_access_help_init_from_error (&help, NULL, MM_GATED_MANUAL));
  g_assert_false (mm_access_help_init (&help, MM_ACCESS_PROBLEM_NONE, MM_GATED_AUTO));
  g_assert_cmpint (help.actions, ==, MM_ACCESS_ACTION_NONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_mapping);
  g_test_add_func ("/app/access-help/same-actions-everywhere", test_same_actions_everywhere);
  g_test_add_func ("/app/access-help/no-problem", test_no_problem);
  g_test_add_func ("/app/access-help/from-hub/gated-refused-token",
                   test_gated_refused_token_from_hub);

  return g_test_run ();
}
