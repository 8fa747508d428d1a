/* mm-library-row.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model on disk. The row only draws its MmLibraryEntry: the title is
 * the quantization when the row stands under its repo's heading (as in the
 * Library page), else the repo (or folder) with the quantization in a
 * pill; the subtitle, which wraps on a narrow window, the size, once read
 * the GGUF facts, and when the files were saved ("saved 3 days ago"; the
 * full date is in the row's tooltip, under the folder). The facts are read
 * lazily: the row asks for them when it is made
 * (mm_library_entry_ensure_info() reads in a worker thread) and redraws on
 * the entry's notifications.
 *
 * One action is a button, Open Folder, which is what a model on disk is
 * for; Verify Checksum and Delete are in a menu, where a check mark cannot
 * be mistaken for "done". Verifying and deleting are the page's work: the
 * row emits ::verify and ::delete.
 */
#define G_LOG_DOMAIN "mm-library-row"

#include "config.h"

#include "mm-library-row.h"

#include "mm-fit-badge.h"
#include "mm-use-with-dialog.h"

#include <glib/gi18n.h>

struct _MmLibraryRow
{
  AdwActionRow    parent_instance;

  MmLibraryEntry *entry;        /* (owned) */
  MmUpdate       *update;       /* (owned) (nullable) */
  guint64         total_memory;
  MmMachine      *machine;       /* (owned) (nullable) */
  MmComparison   *comparison;    /* (owned) (nullable) */
  gboolean        can_compare;
  gboolean        compared;
  gboolean        grouped;

  GtkLabel       *cache_label;
  GtkWidget      *update_button;
  GtkLabel       *fit_label;
  GtkImage       *incomplete_image;
  GtkLabel       *quant_label;
  GtkStack       *verify_stack;
  GtkSpinner     *verify_spinner;
};

G_DEFINE_FINAL_TYPE (MmLibraryRow, mm_library_row, ADW_TYPE_ACTION_ROW)

typedef enum {
  PROP_0,
  PROP_ENTRY,
  PROP_MACHINE,
  N_PROPS,
} MmLibraryRowProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_VERIFY,
  SIGNAL_DELETE,
  SIGNAL_UPDATE,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static char *
build_subtitle (MmLibraryEntry *entry,
                MmUpdate       *update)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) modified = mm_library_entry_get_modified (entry);
  g_autofree char *relative = mm_format_relative (modified, NULL);
  guint64 parameters = mm_library_entry_get_parameters (entry);
  guint64 context = mm_library_entry_get_context_length (entry);
  const char *architecture = mm_library_entry_get_architecture (entry);

  /* What is wrong with it in the Hugging Face cache says more than facts. */
  if (mm_library_entry_get_problem (entry) != NULL)
    {
      if (mm_library_entry_get_size (entry) > 0)
        g_ptr_array_add (parts, mm_format_size (mm_library_entry_get_size (entry)));
      g_ptr_array_add (parts, g_strdup (mm_library_entry_get_problem (entry)));
      g_ptr_array_add (parts, NULL);
      return g_strjoinv (" · ", (char **) parts->pdata);
    }

  if (update != NULL && update->date != NULL)
    {
      g_autofree char *date = mm_format_date (update->date);

      /* Translators: first in a Library row's subtitle when the Hub has
       * changed files of it; %s is a date such as "3 March 2026, 14:05" */
      g_ptr_array_add (parts, g_strdup_printf (_("Update available (changed %s)"), date));
    }
  else if (update != NULL)
    {
      g_ptr_array_add (parts, g_strdup (_("Update available")));
    }
  g_ptr_array_add (parts, mm_format_size (mm_library_entry_get_size (entry)));

  switch (mm_library_entry_get_info_state (entry))
    {
    case MM_LIBRARY_INFO_STATE_LOADED:
      if (architecture != NULL && *architecture != '\0')
        g_ptr_array_add (parts, g_strdup (architecture));
      if (parameters > 0)
        g_ptr_array_add (parts, mm_format_params (parameters));
      if (context > 0)
        {
          g_autofree char *tokens = mm_format_integer (context);

          /* Translators: the context the model was trained for, e.g. "4,096-token context" */
          g_ptr_array_add (parts, g_strdup_printf (_("%s-token context"), tokens));
        }
      break;
    case MM_LIBRARY_INFO_STATE_NONE:
    case MM_LIBRARY_INFO_STATE_LOADING:
      /* Translators: the GGUF facts are being read from the file */
      g_ptr_array_add (parts, g_strdup (_("Reading…")));
      break;
    case MM_LIBRARY_INFO_STATE_FAILED:
      /* Translators: the GGUF header could not be read */
      g_ptr_array_add (parts, g_strdup (_("Unreadable file")));
      break;
    default:
      g_assert_not_reached ();
    }
  /* Translators: when a model's files were saved, last in a Library row's
   * subtitle; %s is a relative time such as "3 days ago" or "just now" */
  g_ptr_array_add (parts, g_strdup_printf (C_("library row", "saved %s"), relative));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
refresh_fit (MmLibraryRow *self)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;

  if (self->machine != NULL &&
      mm_library_entry_get_kind (self->entry) == MM_QUANT_KIND_MODEL &&
      mm_library_entry_get_info_state (self->entry) == MM_LIBRARY_INFO_STATE_LOADED)
    estimate = mm_library_entry_estimate_for_machine (self->entry, self->machine);
  mm_fit_badge_update (self->fit_label, estimate);
}

/* Where the files are, and when they were saved, in full. */
static void
refresh_tooltip (MmLibraryRow *self)
{
  g_autoptr(GDateTime) modified = mm_library_entry_get_modified (self->entry);
  g_autofree char *full = mm_format_date (modified);
  g_autofree char *folder = mm_format_folder (mm_library_entry_get_folder (self->entry));
  g_autofree char *saved = NULL;
  g_autofree char *tooltip = NULL;

  /* Translators: in the tooltip of a Library row, under its folder; %s is
   * a date and time such as "3 March 2026, 14:05" */
  saved = g_strdup_printf (_("Saved on %s"), full);
  tooltip = g_strconcat (folder, "\n", saved, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

static void
refresh (MmLibraryRow *self)
{
  g_autofree char *subtitle = build_subtitle (self->entry, self->update);
  const char *quant = mm_library_entry_get_quant (self->entry);

  if (quant == NULL)
    quant = mm_library_entry_get_label (self->entry);

  /* Under its repo's heading a row is the quantization; alone, the repo
   * with the quantization in a pill. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 self->grouped ? quant : mm_library_entry_get_name (self->entry));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_label_set_label (self->quant_label, quant);
  gtk_widget_set_visible (GTK_WIDGET (self->quant_label), !self->grouped);
  /* A screen reader does not read the list's headings with the row. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  mm_library_entry_get_name (self->entry), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->incomplete_image),
                          !mm_library_entry_get_is_complete (self->entry) ||
                          mm_library_entry_get_problem (self->entry) != NULL);
  if (mm_library_entry_get_problem (self->entry) != NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->incomplete_image),
                                   mm_library_entry_get_problem (self->entry));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->incomplete_image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      mm_library_entry_get_problem (self->entry), -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cache_label),
                          mm_library_entry_get_in_hf_cache (self->entry));
  gtk_widget_set_visible (self->update_button, self->update != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.update", self->update != NULL);
  if (self->update != NULL)
    {
      g_autofree char *size = mm_format_size (mm_update_get_size (self->update));
      g_autofree char *tooltip = NULL;

      /* Translators: the Update button's tooltip; %s is the size of the
       * changed files ("4.2 GB") */
      tooltip = g_strdup_printf (_("Download the changed files (%s); the old ones stay until "
                                   "the new ones are verified"), size);
      gtk_widget_set_tooltip_text (self->update_button, tooltip);
    }
  refresh_tooltip (self);
  refresh_fit (self);
}

static void
open_folder_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (widget);

  gtk_widget_activate_action (widget, "app.open-folder", "s",
                              mm_library_entry_get_folder (self->entry));
}

static void
use_with_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (widget);
  const MmLibraryFile *file;
  MmUseWithDialog *dialog;

  if (mm_library_entry_get_n_files (self->entry) == 0)
    return;

  /* For a split model, the first part: the tools open the rest. */
  file = mm_library_entry_get_file (self->entry, 0);
  dialog = mm_use_with_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), file->path,
                                   mm_library_entry_get_repo_id (self->entry),
                                   mm_library_entry_get_quant (self->entry),
                                   mm_library_entry_get_size (self->entry),
                                   mm_library_entry_get_info_state (self->entry) ==
                                   MM_LIBRARY_INFO_STATE_LOADED
                                   ? mm_library_entry_get_info (self->entry) : NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_UPDATE], 0);
}

static void
verify_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_VERIFY], 0);
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DELETE], 0);
}

/* Comparing: the menu offers Compare, or Stop Comparing once picked. A
 * model whose header is not read yet, a projector, or a fifth choice
 * cannot be picked. */
static gboolean
is_compared (MmLibraryRow *self)
{
  return self->comparison != NULL &&
         mm_comparison_contains (self->comparison,
                                 mm_library_entry_get_repo_id (self->entry)
                                 ? mm_library_entry_get_repo_id (self->entry)
                                 : mm_library_entry_get_name (self->entry),
                                 mm_library_entry_get_label (self->entry));
}

static void
refresh_compare (MmLibraryRow *self)
{
  gboolean picked = is_compared (self);
  gboolean can_add = self->comparison != NULL && !picked &&
                     mm_library_entry_get_kind (self->entry) == MM_QUANT_KIND_MODEL &&
                     mm_library_entry_get_is_complete (self->entry) &&
                     mm_library_entry_get_info_state (self->entry) ==
                       MM_LIBRARY_INFO_STATE_LOADED &&
                     mm_comparison_get_n_items (self->comparison) < MM_COMPARISON_MAX_ITEMS;

  self->can_compare = can_add;
  self->compared = picked;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.compare-add", can_add);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.compare-remove", picked);
}

static void
compare_add_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (widget);
  g_autoptr(MmCompareItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (self->comparison == NULL)
    return;
  item = mm_compare_item_new_for_library_entry (self->entry);
  if (item != NULL && !mm_comparison_add_item (self->comparison, item, &error))
    g_debug ("Not compared: %s", error->message);
}

static void
compare_remove_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (widget);

  if (self->comparison == NULL)
    return;
  mm_comparison_remove (self->comparison,
                        mm_library_entry_get_repo_id (self->entry)
                        ? mm_library_entry_get_repo_id (self->entry)
                        : mm_library_entry_get_name (self->entry),
                        mm_library_entry_get_label (self->entry));
}

static void
mm_library_row_constructed (GObject *object)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (object);

  G_OBJECT_CLASS (mm_library_row_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self->entry));

  g_signal_connect_object (self->entry, "notify", G_CALLBACK (refresh), self,
                           G_CONNECT_SWAPPED);
  if (self->machine != NULL)
    g_signal_connect_object (self->machine, "changed", G_CALLBACK (refresh_fit), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry, "notify::info-state", G_CALLBACK (refresh_compare), self,
                           G_CONNECT_SWAPPED);
  refresh_compare (self);
  refresh (self);
  /* Reads the GGUF header in a worker thread; the facts arrive as notifications. */
  mm_library_entry_ensure_info (self->entry);
}

static void
mm_library_row_dispose (GObject *object)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_LIBRARY_ROW);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->update, mm_update_unref);
  g_clear_object (&self->machine);
  g_clear_object (&self->comparison);

  G_OBJECT_CLASS (mm_library_row_parent_class)->dispose (object);
}

static void
mm_library_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (object);

  switch ((MmLibraryRowProperty) prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MmLibraryRow *self = MM_LIBRARY_ROW (object);

  switch ((MmLibraryRowProperty) prop_id)
    {
    case PROP_ENTRY:
      self->entry = g_value_dup_object (value);
      break;
    case PROP_MACHINE:
      self->machine = g_value_dup_object (value);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_row_class_init (MmLibraryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mm_library_row_constructed;
  object_class->dispose = mm_library_row_dispose;
  object_class->get_property = mm_library_row_get_property;
  object_class->set_property = mm_library_row_set_property;

  /** MmLibraryRow:entry: the model on disk shown */
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, MM_TYPE_LIBRARY_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmLibraryRow:machine: (nullable): this computer, for the fit badge */
  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, MM_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /** MmLibraryRow::verify: the person asked to check the files' checksums */
  signals[SIGNAL_VERIFY] =
    g_signal_new ("verify", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /** MmLibraryRow::delete: the person asked to delete the model */
  signals[SIGNAL_DELETE] =
    g_signal_new ("delete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /** MmLibraryRow::update: the user asked to download the changed files */
  signals[SIGNAL_UPDATE] =
    g_signal_new ("update", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-library-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, cache_label);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, fit_label);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, incomplete_image);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, quant_label);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, update_button);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, verify_stack);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryRow, verify_spinner);

  gtk_widget_class_install_action (widget_class, "row.open-folder", NULL, open_folder_action_cb);
  gtk_widget_class_install_action (widget_class, "row.use-with", NULL, use_with_action_cb);
  gtk_widget_class_install_action (widget_class, "row.update", NULL, update_action_cb);
  gtk_widget_class_install_action (widget_class, "row.verify", NULL, verify_action_cb);
  gtk_widget_class_install_action (widget_class, "row.compare-add", NULL, compare_add_action_cb);
  gtk_widget_class_install_action (widget_class, "row.compare-remove", NULL,
                                   compare_remove_action_cb);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, delete_action_cb);
}

static void
mm_library_row_init (MmLibraryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mm_library_row_new (MmLibraryEntry *entry,
                    MmMachine      *machine)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (entry), NULL);

  return g_object_new (MM_TYPE_LIBRARY_ROW,
                       "entry", entry,
                       "machine", machine,
                       NULL);
}

/**
 * mm_library_row_get_entry:
 *
 * Returns: (transfer none): the model on disk shown
 */
MmLibraryEntry *
mm_library_row_get_entry (MmLibraryRow *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ROW (self), NULL);
  return self->entry;
}

/**
 * mm_library_row_set_verifying:
 *
 * Shows a spinner instead of the menu (Verify, Delete) while the page
 * verifies.
 */
void
mm_library_row_set_verifying (MmLibraryRow *self,
                              gboolean      verifying)
{
  g_return_if_fail (MM_IS_LIBRARY_ROW (self));

  gtk_spinner_set_spinning (self->verify_spinner, verifying);
  gtk_stack_set_visible_child_name (self->verify_stack, verifying ? "spinner" : "button");
}

/**
 * mm_library_row_set_grouped:
 * @grouped: whether the row stands under a heading with its repo
 *
 * A grouped row's title is its quantization (the heading names the repo);
 * otherwise the title is the repo and a pill shows the quantization.
 */
void
mm_library_row_set_grouped (MmLibraryRow *self,
                            gboolean      grouped)
{
  g_return_if_fail (MM_IS_LIBRARY_ROW (self));

  grouped = !!grouped;
  if (self->grouped == grouped)
    return;
  self->grouped = grouped;
  refresh (self);
}

/**
 * mm_library_row_set_update:
 * @update: (nullable): the update of the row's files the Hub has, or %NULL
 *
 * Shows "Update available" with the date, and an Update button that emits
 * ::update.
 */
void
mm_library_row_set_update (MmLibraryRow *self,
                           MmUpdate     *update)
{
  g_return_if_fail (MM_IS_LIBRARY_ROW (self));

  if (self->update == update)
    return;
  g_clear_pointer (&self->update, mm_update_unref);
  self->update = update != NULL ? mm_update_ref (update) : NULL;
  refresh (self);
}

/**
 * mm_library_row_get_update:
 *
 * Returns: (transfer none) (nullable): the update shown
 */
MmUpdate *
mm_library_row_get_update (MmLibraryRow *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ROW (self), NULL);
  return self->update;
}

/**
 * mm_library_row_set_comparison:
 * @comparison: (nullable): the choices picked to compare
 *
 * Offers Compare (or Stop Comparing) in the row's menu.
 */
void
mm_library_row_set_comparison (MmLibraryRow *self,
                               MmComparison *comparison)
{
  g_return_if_fail (MM_IS_LIBRARY_ROW (self));
  g_return_if_fail (!comparison || MM_IS_COMPARISON (comparison));

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (mm_comparison_get_items (self->comparison), self);
  g_set_object (&self->comparison, comparison);
  if (self->comparison != NULL)
    g_signal_connect_object (mm_comparison_get_items (self->comparison), "items-changed",
                             G_CALLBACK (refresh_compare), self, G_CONNECT_SWAPPED);
  refresh_compare (self);
}

/**
 * mm_library_row_get_compare_state:
 * @can_add: (out) (optional): whether the menu offers Compare
 * @compared: (out) (optional): whether it offers Stop Comparing
 *
 * For tests: what the row's menu offers.
 */
void
mm_library_row_get_compare_state (MmLibraryRow *self,
                                  gboolean     *can_add,
                                  gboolean     *compared)
{
  g_return_if_fail (MM_IS_LIBRARY_ROW (self));

  if (can_add != NULL)
    *can_add = self->can_compare;
  if (compared != NULL)
    *compared = self->compared;
}
