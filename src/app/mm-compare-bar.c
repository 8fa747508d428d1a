/* mm-compare-bar.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar under the detail pane and the Library while choices are picked
 * to compare: how many, Clear, and Compare, which opens them side by side
 * (from two on). It slides in with the first pick and out with the last.
 */
#define G_LOG_DOMAIN "mm-compare-bar"

#include "config.h"

#include "mm-compare-bar.h"

#include "mm-compare-window.h"

#include <glib/gi18n.h>

struct _MmCompareBar
{
  GtkWidget          parent_instance;

  MmComparison      *comparison;  /* (owned) */
  MmMachine         *machine;     /* (owned) (nullable) */
  MmDownloadManager *manager;     /* (owned) (nullable) */

  GtkWidget         *clear_button;
  GtkWidget         *compare_button;
  GtkLabel          *label;
  GtkRevealer       *revealer;
};

G_DEFINE_FINAL_TYPE (MmCompareBar, mm_compare_bar, GTK_TYPE_WIDGET)

static void
refresh (MmCompareBar *self)
{
  guint n = mm_comparison_get_n_items (self->comparison);
  g_autofree char *text = NULL;

  /* Translators: how many quantizations are picked to compare */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u chosen to compare",
                                       "%u chosen to compare", n), n);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_sensitive (self->compare_button, n >= MM_COMPARISON_MIN_ITEMS);
  gtk_widget_set_tooltip_text (self->compare_button,
                               n < MM_COMPARISON_MIN_ITEMS
                               ? _("Pick at least two quantizations") : NULL);
  gtk_revealer_set_reveal_child (self->revealer, n > 0);
}

static void
compare_clicked_cb (MmCompareBar *self)
{
  mm_compare_bar_open (self);
}

static void
clear_clicked_cb (MmCompareBar *self)
{
  mm_comparison_clear (self->comparison);
}

static void
mm_compare_bar_dispose (GObject *object)
{
  MmCompareBar *self = MM_COMPARE_BAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_COMPARE_BAR);
  g_clear_object (&self->comparison);
  g_clear_object (&self->machine);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (mm_compare_bar_parent_class)->dispose (object);
}

static void
mm_compare_bar_class_init (MmCompareBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_compare_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/mm-compare-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, MmCompareBar, clear_button);
  gtk_widget_class_bind_template_child (widget_class, MmCompareBar, compare_button);
  gtk_widget_class_bind_template_child (widget_class, MmCompareBar, label);
  gtk_widget_class_bind_template_child (widget_class, MmCompareBar, revealer);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, compare_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mm_compare_bar_init (MmCompareBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its own until the owner hands over the application's. */
  mm_compare_bar_set_comparison (self, NULL);
}

/**
 * mm_compare_bar_get_comparison:
 *
 * Returns: (transfer none): the choices picked
 */
MmComparison *
mm_compare_bar_get_comparison (MmCompareBar *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_BAR (self), NULL);
  return self->comparison;
}

/**
 * mm_compare_bar_set_comparison:
 * @comparison: (nullable): the choices picked, %NULL for a new, empty one
 */
void
mm_compare_bar_set_comparison (MmCompareBar *self,
                               MmComparison *comparison)
{
  g_return_if_fail (MM_IS_COMPARE_BAR (self));
  g_return_if_fail (!comparison || MM_IS_COMPARISON (comparison));

  if (comparison != NULL && self->comparison == comparison)
    return;

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (mm_comparison_get_items (self->comparison), self);
  g_clear_object (&self->comparison);
  self->comparison = comparison ? g_object_ref (comparison) : mm_comparison_new ();
  g_signal_connect_object (mm_comparison_get_items (self->comparison), "items-changed",
                           G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

void
mm_compare_bar_set_machine (MmCompareBar *self,
                            MmMachine    *machine)
{
  g_return_if_fail (MM_IS_COMPARE_BAR (self));
  g_return_if_fail (!machine || MM_IS_MACHINE (machine));
  g_set_object (&self->machine, machine);
}

void
mm_compare_bar_set_download_manager (MmCompareBar      *self,
                                     MmDownloadManager *manager)
{
  g_return_if_fail (MM_IS_COMPARE_BAR (self));
  g_return_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager));
  g_set_object (&self->manager, manager);
}

/**
 * mm_compare_bar_open:
 *
 * Opens the choices side by side, as Compare does.
 */
void
mm_compare_bar_open (MmCompareBar *self)
{
  GtkRoot *root;
  MmCompareWindow *window;

  g_return_if_fail (MM_IS_COMPARE_BAR (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = mm_compare_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  self->comparison, self->machine, self->manager);
  gtk_window_present (GTK_WINDOW (window));
}

/**
 * mm_compare_bar_get_text:
 *
 * Returns: (nullable): what the bar says, %NULL while it is hidden
 */
const char *
mm_compare_bar_get_text (MmCompareBar *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_BAR (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return NULL;
  return gtk_label_get_label (self->label);
}
