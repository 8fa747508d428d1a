/* mm-access-help.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mm-core.h"

G_BEGIN_DECLS

/**
 * MmAccessProblem:
 * @MM_ACCESS_PROBLEM_NONE: not a problem of access
 * @MM_ACCESS_PROBLEM_GATED_NO_TOKEN: a gated model, and no access token was sent
 * @MM_ACCESS_PROBLEM_GATED_NO_ACCESS: a gated model, and the token's account
 *   has not been granted access yet
 * @MM_ACCESS_PROBLEM_BAD_TOKEN: the Hub refused the access token
 * @MM_ACCESS_PROBLEM_NOT_FOUND: the model does not exist, or is private and
 *   the token (if any) cannot see it; the Hub does not say which
 *
 * Why the Hub would not let us have a model, as far as a person can act on it.
 */
typedef enum {
  MM_ACCESS_PROBLEM_NONE,
  MM_ACCESS_PROBLEM_GATED_NO_TOKEN,
  MM_ACCESS_PROBLEM_GATED_NO_ACCESS,
  MM_ACCESS_PROBLEM_BAD_TOKEN,
  MM_ACCESS_PROBLEM_NOT_FOUND,
} MmAccessProblem;

/**
 * MmAccessActions:
 * @MM_ACCESS_ACTION_NONE: nothing to offer
 * @MM_ACCESS_ACTION_ADD_TOKEN: "Add Access Token…" (`app.add-token`)
 * @MM_ACCESS_ACTION_OPEN_MODEL_PAGE: "Open Model Page" (`app.open-model-page`)
 *
 * The buttons that go with an explanation.
 */
typedef enum {
  MM_ACCESS_ACTION_NONE            = 0,
  MM_ACCESS_ACTION_ADD_TOKEN       = 1 << 0,
  MM_ACCESS_ACTION_OPEN_MODEL_PAGE = 1 << 1,
} MmAccessActions;

/**
 * MmAccessHelp:
 * @problem: what is wrong
 * @title: a short heading, translated
 * @explanation: what to do, one or two translated sentences
 * @actions: the buttons to offer
 *
 * What to tell a person about a problem of access. The strings are static.
 */
typedef struct {
  MmAccessProblem  problem;
  const char      *title;
  const char      *explanation;
  MmAccessActions  actions;
} MmAccessHelp;

MmAccessProblem mm_access_problem_from_error (const GError    *error);
gboolean        mm_access_help_init          (MmAccessHelp    *help,
                                              MmAccessProblem  problem,
                                              MmGated          gated);
gboolean        mm_access_help_init_from_error (MmAccessHelp  *help,
                                                const GError  *error,
                                                MmGated        gated);

G_END_DECLS
