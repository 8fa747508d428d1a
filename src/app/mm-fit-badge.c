/* mm-fit-badge.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The badge that the detail pane's quantizations and the Library's models
 * show: where the model runs on this computer ("Runs on the GPU", "Partly
 * on the GPU — 28 of 40 layers", "CPU only", "Too large for this
 * computer"), or for an estimate without a machine the older "Fits" /
 * "Tight" / "Too Large"; its colour; and its tooltip.
 * Green is the GPU, blue the processor, amber little to spare, red too
 * large. The tooltip says it in plain words (mm_memory_estimate_dup_summary()).
 */
#include "config.h"

#include "mm-fit-badge.h"

#include <glib/gi18n.h>

/* The tooltip is two sentences of some length: wrapped, not one line
 * across the screen (GTK's own tooltip label does not wrap). The text stays
 * the widget's tooltip text, for screen readers and tests. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_widget_get_tooltip_text (widget);
  GtkWidget *label;

  if (text == NULL)
    return FALSE;

  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_tooltip_set_custom (tooltip, label);
  return TRUE;
}

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
  static const char * const styles[] = { "success", "accent", "warning", "error" };
  g_autofree char *tooltip = NULL;
  g_autofree char *text = NULL;
  const char *style = NULL;

  g_return_if_fail (GTK_IS_LABEL (badge));

  if (estimate != NULL && estimate->placement != MM_PLACEMENT_UNKNOWN)
    {
      /* Where it runs; little memory to spare is a warning whatever the place. */
      text = mm_memory_estimate_dup_placement_label (estimate);
      switch (estimate->placement)
        {
        case MM_PLACEMENT_GPU:
          style = estimate->headroom ? styles[0] : styles[2];
          break;
        case MM_PLACEMENT_PARTIAL:
        case MM_PLACEMENT_CPU:
          style = estimate->headroom ? styles[1] : styles[2];
          break;
        case MM_PLACEMENT_TOO_LARGE:
          style = styles[3];
          break;
        case MM_PLACEMENT_UNKNOWN:
        default:
          g_assert_not_reached ();
        }
    }
  else if (estimate != NULL)
    {
      switch (estimate->fit)
        {
        case MM_FIT_FITS:
          /* Translators: badge: the model fits in this computer's memory */
          text = g_strdup (_("Fits"));
          style = styles[0];
          break;
        case MM_FIT_TIGHT:
          /* Translators: badge: the model barely fits in this computer's memory */
          text = g_strdup (_("Tight"));
          style = styles[2];
          break;
        case MM_FIT_TOO_LARGE:
          /* Translators: badge: the model does not fit in this computer's memory */
          text = g_strdup (_("Too Large"));
          style = styles[3];
          break;
        case MM_FIT_UNKNOWN:
        default:
          break;
        }
    }

  /* The tooltip in words a person knows, not the arithmetic in the
   * trade's terms (KV cache, runtime). */
  if (text != NULL)
    tooltip = mm_memory_estimate_dup_summary (estimate);

  if (g_object_get_data (G_OBJECT (badge), "mm-fit-badge-tooltip") == NULL)
    {
      g_signal_connect (badge, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (badge), "mm-fit-badge-tooltip", GINT_TO_POINTER (TRUE));
    }

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (badge), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (badge), style);
  /* A long label ("Too large for this computer") wraps in a narrow row, but
   * into two or three lines rather than a word a line: it asks for the width
   * of 14 characters. A short one ("CPU only") asks for nothing more than
   * its text: GTK would report a natural width below that minimum. */
  gtk_label_set_width_chars (badge, text != NULL && g_utf8_strlen (text, -1) > 20 ? 14 : -1);
  gtk_label_set_label (badge, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (badge), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (badge), text != NULL);
}
