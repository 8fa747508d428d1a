/* mm-compare-window.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two to four quantizations side by side. Every line comes from
 * MmCompareItem, so the window says what `model-manager-cli compare` says.
 * A wide window shows a table, a column a choice; a narrow one (a phone)
 * shows a card a choice to swipe through. GTK 4.8 has no breakpoints:
 * an AdwSqueezer shows the table while it gets its natural width and the
 * cards otherwise. Both are built from the same cells whenever the picked
 * choices, the machine or the downloads change.
 *
 * Each choice has Download, or Open Folder once it is downloaded, and a
 * button that takes it out of the comparison.
 */
#define G_LOG_DOMAIN "mm-compare-window"

#include "config.h"

#include "mm-compare-window.h"

#include <glib/gi18n.h>

struct _MmCompareWindow
{
  AdwWindow          parent_instance;

  MmComparison      *comparison;   /* (owned) */
  MmMachine         *machine;      /* (owned) (nullable) */
  MmDownloadManager *manager;      /* (owned) (nullable) */
  GPtrArray         *cells;        /* (owned) the table's value labels, column by column */
  GPtrArray         *buttons;      /* (owned) the table's Download/Open buttons */

  AdwCarousel       *carousel;
  GtkWidget         *cards_box;
  GtkLabel          *source_label;
  AdwSqueezer       *squeezer;
  GtkStack          *stack;
  GtkGrid           *table;
  GtkWidget         *table_scroller;
  AdwWindowTitle    *window_title;
};

G_DEFINE_FINAL_TYPE (MmCompareWindow, mm_compare_window, ADW_TYPE_WINDOW)

static void rebuild (MmCompareWindow *self);

static MmDownloadItem *
find_download (MmCompareWindow *self,
               MmCompareItem   *item)
{
  if (self->manager == NULL)
    return NULL;
  return mm_download_manager_find (self->manager, mm_compare_item_get_repo_id (item),
                                   mm_compare_item_get_label (item));
}

static void
action_clicked_cb (GtkButton       *button,
                   MmCompareWindow *self)
{
  MmCompareItem *item = g_object_get_data (G_OBJECT (button), "item");
  MmDownloadItem *download = find_download (self, item);

  if (download != NULL &&
      mm_download_item_get_state (download) == MM_DOWNLOAD_ITEM_STATE_COMPLETED)
    gtk_widget_activate_action (GTK_WIDGET (button), "app.open-folder", "s",
                                mm_download_item_get_folder (download));
  else
    {
      MmModel *model = mm_compare_item_get_model (item);
      const char *sha = model != NULL ? mm_model_get_sha (model) : NULL;

      /* The commit whose facts the window shows. */
      gtk_widget_activate_action (GTK_WIDGET (button), "app.download", "(sss)",
                                  mm_compare_item_get_repo_id (item), sha != NULL ? sha : "",
                                  mm_compare_item_get_label (item));
    }
}

static void
remove_clicked_cb (GtkButton       *button,
                   MmCompareWindow *self)
{
  MmCompareItem *item = g_object_get_data (G_OBJECT (button), "item");

  mm_comparison_remove (self->comparison, mm_compare_item_get_repo_id (item),
                        mm_compare_item_get_label (item));
}

/* Download, Open Folder, or what the download is doing. */
static GtkWidget *
action_button_new (MmCompareWindow *self,
                   MmCompareItem   *item)
{
  MmDownloadItem *download = find_download (self, item);
  MmDownloadItemState state = download ? mm_download_item_get_state (download)
                                       : MM_DOWNLOAD_ITEM_STATE_CANCELLED;
  GtkWidget *button;
  g_autofree char *name = mm_compare_item_dup_title (item);
  g_autofree char *a11y = NULL;

  switch (state)
    {
    case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
      button = gtk_button_new_with_mnemonic (_("_Open Folder"));
      /* Translators: %s is a model and a quantization */
      a11y = g_strdup_printf (_("Open the folder of %s"), name);
      break;
    case MM_DOWNLOAD_ITEM_STATE_QUEUED:
    case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
    case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
    case MM_DOWNLOAD_ITEM_STATE_PAUSED:
    case MM_DOWNLOAD_ITEM_STATE_RETRYING:
      /* Translators: on a button that cannot be pressed: the download runs */
      button = gtk_button_new_with_label (_("Downloading"));
      gtk_widget_set_sensitive (button, FALSE);
      break;
    case MM_DOWNLOAD_ITEM_STATE_FAILED:
    case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
    default:
      button = gtk_button_new_with_mnemonic (_("_Download"));
      gtk_widget_add_css_class (button, "suggested-action");
      /* Translators: %s is a model and a quantization */
      a11y = g_strdup_printf (_("Download %s"), name);
      break;
    }

  if (!mm_quant_get_is_complete (mm_compare_item_get_quant (item)))
    gtk_widget_set_sensitive (button, FALSE);
  if (a11y != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    a11y, -1);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (action_clicked_cb), self, 0);
  return button;
}

static GtkWidget *
remove_button_new (MmCompareWindow *self,
                   MmCompareItem   *item)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *name = mm_compare_item_dup_title (item);
  /* Translators: %s is a model and a quantization */
  g_autofree char *a11y = g_strdup_printf (_("Remove %s from the comparison"), name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Remove from the Comparison"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  a11y, -1);
  g_object_set_data_full (G_OBJECT (button), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  return button;
}

static GtkWidget *
title_label_new (MmCompareItem *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (mm_model_get_name (mm_compare_item_get_model (item)));
  GtkWidget *quant = gtk_label_new (mm_compare_item_get_label (item));

  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (quant), 0);
  gtk_widget_add_css_class (quant, "title-3");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), quant);
  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static GtkWidget *
value_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_width_chars (GTK_LABEL (label), 14);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
clear_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    gtk_widget_unparent (child);
}

static void
build_table (MmCompareWindow *self,
             GPtrArray       *items)
{
  GtkGrid *grid = self->table;

  clear_children (GTK_WIDGET (grid));
  g_ptr_array_set_size (self->cells, 0);
  g_ptr_array_set_size (self->buttons, 0);

  for (guint f = 0; f < MM_COMPARE_N_FACTS; f++)
    {
      GtkWidget *title = gtk_label_new (mm_compare_fact_get_title (f));

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_valign (title, GTK_ALIGN_START);
      gtk_widget_add_css_class (title, "heading");
      if (f == MM_COMPARE_FACT_QUALITY)
        gtk_widget_set_tooltip_text (title, gtk_label_get_label (self->source_label));
      gtk_grid_attach (grid, title, 0, (int) f + 1, 1, 1);
    }

  for (guint i = 0; i < items->len; i++)
    {
      MmCompareItem *item = g_ptr_array_index (items, i);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *action;

      gtk_box_append (GTK_BOX (header), title_label_new (item));
      gtk_box_append (GTK_BOX (header), remove_button_new (self, item));
      gtk_grid_attach (grid, header, (int) i + 1, 0, 1, 1);

      for (guint f = 0; f < MM_COMPARE_N_FACTS; f++)
        {
          g_autofree char *text = mm_compare_item_dup_fact (item, f, self->machine);
          GtkWidget *label = value_label_new (text);

          gtk_grid_attach (grid, label, (int) i + 1, (int) f + 1, 1, 1);
          g_ptr_array_add (self->cells, label);
        }

      action = action_button_new (self, item);
      gtk_widget_set_margin_top (action, 6);
      gtk_grid_attach (grid, action, (int) i + 1, MM_COMPARE_N_FACTS + 1, 1, 1);
      g_ptr_array_add (self->buttons, action);
    }
}

static GtkWidget *
card_new (MmCompareWindow *self,
          MmCompareItem   *item)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *list = gtk_list_box_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_box_append (GTK_BOX (header), title_label_new (item));
  gtk_box_append (GTK_BOX (header), remove_button_new (self, item));
  gtk_box_append (GTK_BOX (box), header);
  /* On a phone the button comes first, where the thumb is, not under ten lines. */
  gtk_box_append (GTK_BOX (box), action_button_new (self, item));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint f = 0; f < MM_COMPARE_N_FACTS; f++)
    {
      g_autofree char *text = mm_compare_item_dup_fact (item, f, self->machine);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mm_compare_fact_get_title (f));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_add_css_class (row, "compare-fact");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (box), list);

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  return scroller;
}

static void
build_cards (MmCompareWindow *self,
             GPtrArray       *items)
{
  while (adw_carousel_get_n_pages (self->carousel) > 0)
    adw_carousel_remove (self->carousel, adw_carousel_get_nth_page (self->carousel, 0));

  for (guint i = 0; i < items->len; i++)
    adw_carousel_append (self->carousel, card_new (self, g_ptr_array_index (items, i)));
}

static void
rebuild (MmCompareWindow *self)
{
  GListModel *list = mm_comparison_get_items (self->comparison);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (list);
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (list, i));

  build_table (self, items);
  build_cards (self, items);

  if (self->machine != NULL)
    {
      guint64 context = mm_machine_get_context (self->machine);
      g_autofree char *tokens = mm_format_integer (context);

      /* Translators: the subtitle of the comparison window; %s is a number
       * of tokens such as "4,096" (a model trained for less is counted at
       * its own, as its memory line says) */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Memory at up to %s token of context",
                                               "Memory at up to %s tokens of context",
                                               (gulong) MIN (context, G_MAXULONG)),
                                  tokens);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_stack_set_visible_child_name (self->stack, n >= MM_COMPARISON_MIN_ITEMS ? "compare"
                                                                              : "few");
}

static void
mm_compare_window_dispose (GObject *object)
{
  MmCompareWindow *self = MM_COMPARE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_COMPARE_WINDOW);
  g_clear_object (&self->comparison);
  g_clear_object (&self->machine);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (mm_compare_window_parent_class)->dispose (object);
}

static void
mm_compare_window_finalize (GObject *object)
{
  MmCompareWindow *self = MM_COMPARE_WINDOW (object);

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_compare_window_parent_class)->finalize (object);
}

static void
mm_compare_window_class_init (MmCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_compare_window_dispose;
  object_class->finalize = mm_compare_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, carousel);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, cards_box);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, squeezer);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, table);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, table_scroller);
  gtk_widget_class_bind_template_child (widget_class, MmCompareWindow, window_title);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mm_compare_window_init (MmCompareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cells = g_ptr_array_new ();
  self->buttons = g_ptr_array_new ();
}

/**
 * mm_compare_window_new:
 * @parent: (nullable): the main window; the comparison opens at its size
 * @comparison: the choices to compare
 * @machine: (nullable): this computer, for the memory and where each runs
 * @manager: (nullable): the downloads, for Download or Open Folder
 *
 * Returns: (transfer floating): a new window
 */
MmCompareWindow *
mm_compare_window_new (GtkWindow         *parent,
                       MmComparison      *comparison,
                       MmMachine         *machine,
                       MmDownloadManager *manager)
{
  MmCompareWindow *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MM_IS_COMPARISON (comparison), NULL);
  g_return_val_if_fail (!machine || MM_IS_MACHINE (machine), NULL);
  g_return_val_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager), NULL);

  self = g_object_new (MM_TYPE_COMPARE_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), gtk_widget_get_width (GTK_WIDGET (parent)),
                                 gtk_widget_get_height (GTK_WIDGET (parent)));

  self->comparison = g_object_ref (comparison);
  g_set_object (&self->machine, machine);
  g_set_object (&self->manager, manager);

  g_signal_connect_object (mm_comparison_get_items (comparison), "items-changed",
                           G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  if (machine != NULL)
    g_signal_connect_object (machine, "changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  if (manager != NULL)
    g_signal_connect_object (manager, "items-changed", G_CALLBACK (rebuild), self,
                             G_CONNECT_SWAPPED);
  rebuild (self);
  return self;
}

/**
 * mm_compare_window_get_comparison:
 *
 * Returns: (transfer none): the choices compared
 */
MmComparison *
mm_compare_window_get_comparison (MmCompareWindow *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_WINDOW (self), NULL);
  return self->comparison;
}

gboolean
mm_compare_window_get_showing_table (MmCompareWindow *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_WINDOW (self), FALSE);
  return adw_squeezer_get_visible_child (self->squeezer) == self->table_scroller;
}

guint
mm_compare_window_get_n_columns (MmCompareWindow *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_WINDOW (self), 0);
  return self->buttons->len;
}

/**
 * mm_compare_window_get_cell:
 *
 * Returns: (nullable): the table's text for @fact of the choice in @column
 */
const char *
mm_compare_window_get_cell (MmCompareWindow *self,
                            guint            column,
                            MmCompareFact    fact)
{
  g_return_val_if_fail (MM_IS_COMPARE_WINDOW (self), NULL);

  if (column >= self->buttons->len || fact >= MM_COMPARE_N_FACTS)
    return NULL;
  return gtk_label_get_label (g_ptr_array_index (self->cells,
                                                 column * MM_COMPARE_N_FACTS + fact));
}

/**
 * mm_compare_window_get_action_button:
 *
 * Returns: (transfer none) (nullable): the Download or Open button of @column
 */
GtkWidget *
mm_compare_window_get_action_button (MmCompareWindow *self,
                                     guint            column)
{
  g_return_val_if_fail (MM_IS_COMPARE_WINDOW (self), NULL);

  if (column >= self->buttons->len)
    return NULL;
  return g_ptr_array_index (self->buttons, column);
}
