/* mm-use-with-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mm-core.h"

G_BEGIN_DECLS

#define MM_TYPE_USE_WITH_DIALOG (mm_use_with_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MmUseWithDialog, mm_use_with_dialog, MM, USE_WITH_DIALOG, AdwWindow)

MmUseWithDialog *mm_use_with_dialog_new          (GtkWindow       *parent,
                                                  const char      *model_path,
                                                  const char      *repo_id,
                                                  const char      *quant,
                                                  guint64          weights,
                                                  MmGgufInfo      *info);
const char      *mm_use_with_dialog_get_command  (MmUseWithDialog *self,
                                                  const char      *name);
guint64          mm_use_with_dialog_get_context  (MmUseWithDialog *self);
gboolean         mm_use_with_dialog_get_ready    (MmUseWithDialog *self);

G_END_DECLS
