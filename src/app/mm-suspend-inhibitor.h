/* mm-suspend-inhibitor.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_SUSPEND_INHIBITOR (mm_suspend_inhibitor_get_type ())

G_DECLARE_FINAL_TYPE (MmSuspendInhibitor, mm_suspend_inhibitor, MM, SUSPEND_INHIBITOR, GObject)

MmSuspendInhibitor *mm_suspend_inhibitor_new         (GtkApplication     *application,
                                                      MmDownloadManager  *manager);
gboolean            mm_suspend_inhibitor_is_active   (MmSuspendInhibitor *self);
const char         *mm_suspend_inhibitor_get_reason  (MmSuspendInhibitor *self);

G_END_DECLS
