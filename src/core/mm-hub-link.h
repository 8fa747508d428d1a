/* mm-hub-link.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions on plain data; call them from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MM_HUB_LINK_ERROR (mm_hub_link_error_quark ())

/**
 * MmHubLinkError:
 * @MM_HUB_LINK_ERROR_NOT_HUB: a link to another web site
 * @MM_HUB_LINK_ERROR_NOT_MODEL: a link to the Hub that does not show one
 *   model (a dataset, a Space, a person, the documentation…)
 * @MM_HUB_LINK_ERROR_INVALID: a link whose model id cannot be one
 *
 * Why pasted text that looks like a link does not open a model.
 */
typedef enum {
  MM_HUB_LINK_ERROR_NOT_HUB,
  MM_HUB_LINK_ERROR_NOT_MODEL,
  MM_HUB_LINK_ERROR_INVALID,
} MmHubLinkError;

/**
 * MmHubLinkKind:
 * @MM_HUB_LINK_NONE: words to search for
 * @MM_HUB_LINK_REPO_ID: a bare `organization/name` id
 * @MM_HUB_LINK_URL: a link to a model's page, files or a file on the Hub
 * @MM_HUB_LINK_INVALID: looks like a link but names no model; the error says why
 *
 * What a person typed or pasted into the search field.
 */
typedef enum {
  MM_HUB_LINK_NONE,
  MM_HUB_LINK_REPO_ID,
  MM_HUB_LINK_URL,
  MM_HUB_LINK_INVALID,
} MmHubLinkKind;

GQuark        mm_hub_link_error_quark (void);
MmHubLinkKind mm_hub_link_parse       (const char  *text,
                                       const char  *endpoint,
                                       char       **repo_id,
                                       GError     **error);

G_END_DECLS
