/* mm-first-run.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

AdwMessageDialog *mm_first_run_offer_lm_studio_folder (GtkWindow  *parent,
                                                       MmSettings *settings);

G_END_DECLS
