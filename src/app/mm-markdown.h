/* mm-markdown.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *mm_markdown_to_pango (const char *markdown,
                            gsize       max_length,
                            gboolean   *truncated);

G_END_DECLS
