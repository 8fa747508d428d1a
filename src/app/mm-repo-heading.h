/* mm-repo-heading.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MM_TYPE_REPO_HEADING (mm_repo_heading_get_type ())

G_DECLARE_FINAL_TYPE (MmRepoHeading, mm_repo_heading, MM, REPO_HEADING, GtkWidget)

GtkWidget  *mm_repo_heading_new      (const char    *repo_id,
                                      const char    *name);
const char *mm_repo_heading_get_key  (MmRepoHeading *self);

G_END_DECLS
