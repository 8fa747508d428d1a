/* mm-fit-badge.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mm-core.h"

G_BEGIN_DECLS

void mm_fit_badge_update (GtkLabel               *badge,
                          const MmMemoryEstimate *estimate);

G_END_DECLS
