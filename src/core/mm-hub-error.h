/* mm-hub-error.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_HUB_ERROR (mm_hub_error_quark ())

/**
 * MmHubError:
 * @MM_HUB_ERROR_REPO_NOT_FOUND: the repository does not exist, or is private
 *   and the token cannot see it (the Hub does not say which)
 * @MM_HUB_ERROR_FILE_NOT_FOUND: the file is not in the repository
 * @MM_HUB_ERROR_REVISION_NOT_FOUND: the branch, tag or commit does not exist
 * @MM_HUB_ERROR_GATED_NO_TOKEN: the repository is gated and no token was sent
 * @MM_HUB_ERROR_GATED_NO_ACCESS: the repository is gated and the token's account has
 *   no access yet (the Hub answered 403)
 * @MM_HUB_ERROR_UNAUTHORIZED: the access token was refused; on a gated repository
 *   too, where the Hub answers a refused token with the same 401 as no token
 * @MM_HUB_ERROR_FORBIDDEN: the repository is disabled or the token lacks a permission
 * @MM_HUB_ERROR_RATE_LIMITED: too many requests; see mm_hub_error_get_retry_after()
 * @MM_HUB_ERROR_SERVER: the Hub answered with a server error
 * @MM_HUB_ERROR_OFFLINE: the Hub could not be reached
 * @MM_HUB_ERROR_MALFORMED: the Hub answered with something that could not be understood
 * @MM_HUB_ERROR_UNSAFE_PATH: a file name from the Hub is not safe to write
 *
 * Error codes of the Hub client, chosen by what a user interface can do about them.
 */
typedef enum {
  MM_HUB_ERROR_REPO_NOT_FOUND,
  MM_HUB_ERROR_FILE_NOT_FOUND,
  MM_HUB_ERROR_REVISION_NOT_FOUND,
  MM_HUB_ERROR_GATED_NO_TOKEN,
  MM_HUB_ERROR_GATED_NO_ACCESS,
  MM_HUB_ERROR_UNAUTHORIZED,
  MM_HUB_ERROR_FORBIDDEN,
  MM_HUB_ERROR_RATE_LIMITED,
  MM_HUB_ERROR_SERVER,
  MM_HUB_ERROR_OFFLINE,
  MM_HUB_ERROR_MALFORMED,
  MM_HUB_ERROR_UNSAFE_PATH,
} MmHubError;

GQuark      mm_hub_error_quark            (void);

GError     *mm_hub_error_new              (MmHubError    code,
                                           guint         retry_after,
                                           const char   *request_id,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (4, 5);
guint       mm_hub_error_get_retry_after  (const GError *error);

G_END_DECLS
