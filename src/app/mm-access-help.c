/* mm-access-help.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that says what to do when the Hub keeps a model from us:
 * a gated model without a token or without approval, a refused token, a
 * model that is missing or private. The detail pane (before any click, and
 * when a model cannot be loaded) and a failed download in the Downloads
 * view show the same explanation and the same buttons, so a person learns
 * one story. Plain C: no widget, so that the mapping is easy to test.
 */
#define G_LOG_DOMAIN "mm-access-help"

#include "config.h"

#include "mm-access-help.h"

#include <glib/gi18n.h>

/**
 * mm_access_problem_from_error:
 * @error: (nullable): an error from the Hub client or a download
 *
 * Returns: the problem of access @error stands for, or
 *   %MM_ACCESS_PROBLEM_NONE when it is about something else
 */
MmAccessProblem
mm_access_problem_from_error (const GError *error)
{
  if (error == NULL || error->domain != MM_HUB_ERROR)
    return MM_ACCESS_PROBLEM_NONE;

  switch ((MmHubError) error->code)
    {
    case MM_HUB_ERROR_GATED_NO_TOKEN:
      return MM_ACCESS_PROBLEM_GATED_NO_TOKEN;
    case MM_HUB_ERROR_GATED_NO_ACCESS:
      return MM_ACCESS_PROBLEM_GATED_NO_ACCESS;
    case MM_HUB_ERROR_UNAUTHORIZED:
      return MM_ACCESS_PROBLEM_BAD_TOKEN;
    case MM_HUB_ERROR_REPO_NOT_FOUND:
      return MM_ACCESS_PROBLEM_NOT_FOUND;
    case MM_HUB_ERROR_FILE_NOT_FOUND:
    case MM_HUB_ERROR_REVISION_NOT_FOUND:
    case MM_HUB_ERROR_FORBIDDEN:
    case MM_HUB_ERROR_RATE_LIMITED:
    case MM_HUB_ERROR_SERVER:
    case MM_HUB_ERROR_OFFLINE:
    case MM_HUB_ERROR_MALFORMED:
    case MM_HUB_ERROR_UNSAFE_PATH:
    default:
      return MM_ACCESS_PROBLEM_NONE;
    }
}

/**
 * mm_access_help_init:
 * @help: (out caller-allocates): the help to fill in
 * @problem: the problem
 * @gated: how the model is gated, when known; %MM_GATED_NO when not
 *
 * Fills @help with what to tell a person about @problem. A model whose
 * author approves each request by hand (%MM_GATED_MANUAL) says so.
 *
 * Returns: %FALSE for %MM_ACCESS_PROBLEM_NONE (and @help is empty)
 */
gboolean
mm_access_help_init (MmAccessHelp    *help,
                     MmAccessProblem  problem,
                     MmGated          gated)
{
  gboolean manual = gated == MM_GATED_MANUAL;

  g_return_val_if_fail (help != NULL, FALSE);

  *help = (MmAccessHelp) { .problem = problem };

  switch (problem)
    {
    case MM_ACCESS_PROBLEM_GATED_NO_TOKEN:
      help->title = _("Gated Model");
      help->explanation = manual
        ? _("Sign in with an access token, then ask for access on the model’s page. "
            "The author reviews each request by hand.")
        : _("Sign in with an access token, then accept the conditions on the model’s page.");
      help->actions = MM_ACCESS_ACTION_ADD_TOKEN | MM_ACCESS_ACTION_OPEN_MODEL_PAGE;
      return TRUE;

    case MM_ACCESS_PROBLEM_GATED_NO_ACCESS:
      help->title = _("No Access Yet");
      help->explanation = manual
        ? _("Your account has not been granted access yet: ask for access on the model’s "
            "page. The author reviews each request by hand, so approval can take a while.")
        : _("Your account has not been granted access yet: ask for access on the model’s "
            "page.");
      help->actions = MM_ACCESS_ACTION_OPEN_MODEL_PAGE;
      return TRUE;

    case MM_ACCESS_PROBLEM_BAD_TOKEN:
      help->title = _("Access Token Refused");
      help->explanation = _("The Hub did not accept your access token. It may have been "
                            "mistyped or revoked: add a valid one.");
      help->actions = MM_ACCESS_ACTION_ADD_TOKEN;
      return TRUE;

    case MM_ACCESS_PROBLEM_NOT_FOUND:
      help->title = _("Model Not Found");
      help->explanation = _("This model does not exist or is private. If it is private, "
                            "add an access token of an account that can see it.");
      help->actions = MM_ACCESS_ACTION_ADD_TOKEN;
      return TRUE;

    case MM_ACCESS_PROBLEM_NONE:
    default:
      return FALSE;
    }
}

/**
 * mm_access_help_init_from_error:
 * @help: (out caller-allocates): the help to fill in
 * @error: (nullable): an error from the Hub client or a download
 * @gated: how the model is gated, when known; %MM_GATED_NO when not
 *
 * Returns: whether @error is a problem of access; @help is filled in then
 */
gboolean
mm_access_help_init_from_error (MmAccessHelp *help,
                                const GError *error,
                                MmGated       gated)
{
  return mm_access_help_init (help, mm_access_problem_from_error (error), gated);
}
