/* mm-fit-badge.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Fits" / "Tight" / "Too Large" badge that the detail pane's
 * quantizations and the Library's models both show: its text, its colour
 * and, in its tooltip, the arithmetic behind it.
 */
#include "config.h"

#include "mm-fit-badge.h"

#include <glib/gi18n.h>

/**
 * mm_fit_badge_update:
 * @badge: the badge label
 * @estimate: (nullable): the memory estimate; %NULL or an unknown fit hides
 *   the badge
 *
 * Shows @estimate on @badge.
 */
void
mm_fit_badge_update (GtkLabel               *badge,
                     const MmMemoryEstimate *estimate)
{
  static const char * const styles[] = { "success", "warning", "error" };
  g_autofree char *tooltip = NULL;
  const char *text = NULL;
  const char *style = NULL;

  g_return_if_fail (GTK_IS_LABEL (badge));

  if (estimate != NULL)
    {
      switch (estimate->fit)
        {
        case MM_FIT_FITS:
          /* Translators: badge: the model fits in this computer's memory */
          text = _("Fits");
          style = styles[0];
          break;
        case MM_FIT_TIGHT:
          /* Translators: badge: the model barely fits in this computer's memory */
          text = _("Tight");
          style = styles[1];
          break;
        case MM_FIT_TOO_LARGE:
          /* Translators: badge: the model does not fit in this computer's memory */
          text = _("Too Large");
          style = styles[2];
          break;
        case MM_FIT_UNKNOWN:
        default:
          break;
        }
      if (text != NULL)
        tooltip = mm_memory_estimate_dup_explanation (estimate);
    }

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (badge), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (badge), style);
  gtk_label_set_label (badge, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (badge), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (badge), text != NULL);
}
