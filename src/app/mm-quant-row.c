/* mm-quant-row.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One download choice. Every choice expands to list the files it is made of:
 * one file for most, every part for a split set, so a split set reads the
 * same as a single file and the user can always see what will land on disk.
 * The row only draws what MmQuant computed (size, bits per weight, fit).
 *
 * With a download manager, a complete choice of safe files gets a Download
 * split button (its menu: Download Later); the row emits ::download and the
 * detail pane queues it. When the choice cannot be downloaded now (a gated
 * model without access, a disabled repository) the pane turns the button
 * off with the reason as its tooltip.
 * Afterwards the row follows the manager's item for this choice (found with
 * mm_download_manager_find() whenever the list changes): one refresh that
 * switches over its state, and only the small progress bar on a tick.
 *
 * Expanded, the row also shows what the GGUF header of its file (part 1 of
 * a split set) says. The MmQuant reads and keeps it (mm_quant_read_header(),
 * once, so expanding again reads nothing); the row asks for it when first
 * expanded and follows the quant's header state: reading (with its progress
 * and a Cancel button), the facts, the failure, or the user's cancel (with
 * Read Again). A known header gives the memory badge the model's exact shape
 * (layers, heads).
 */
#define G_LOG_DOMAIN "mm-quant-row"

#include "config.h"

#include "mm-quant-row.h"

#include "mm-fit-badge.h"

#include "mm-access-help.h"

#include <glib/gi18n.h>

struct _MmQuantRow
{
  AdwExpanderRow  parent_instance;

  MmQuant           *quant;          /* (owned) */
  MmMachine         *machine;        /* (owned) (nullable) */
  gboolean           recommended;
  MmModelShape       shape;          /* zeroed when the model's shape is unknown */
  MmDownloadManager *manager;        /* (owned) (nullable) */
  char              *repo_id;        /* (owned) (nullable) */
  MmDownloadItem    *item;           /* (owned) (nullable) */
  char              *blocked;        /* (owned) (nullable) why Download is off */

  gboolean           updating_compare;
  MmComparison      *comparison;     /* (owned) (nullable) */
  MmModel           *model;          /* (owned) (nullable) the repository, for the comparison */

  /* Template widgets, and the fact rows by MmQuantRowFact */
  GtkLabel          *badge;          /* the fit, or that a split set is incomplete */
  GtkLabel          *chat_template_label;
  AdwActionRow      *chat_template_row;
  AdwActionRow      *compare_row;
  GtkSwitch         *compare_switch;
  GtkWidget         *download_button;
  GtkLabel          *file_type_label;
  AdwActionRow      *file_type_row;
  GtkWidget         *header_again_button;
  GtkWidget         *header_cancel_button;
  GtkImage          *header_icon;
  GtkProgressBar    *header_progress;
  AdwActionRow      *header_row;     /* reading / failure / cancelled */
  GtkSpinner        *header_spinner;
  GtkWidget         *open_button;
  GtkProgressBar    *progress_bar;
  GtkWidget         *recommended_icon;
  GtkLabel          *status_label;
  AdwActionRow      *fact_rows[MM_QUANT_ROW_N_FACTS];
  GtkLabel          *fact_labels[MM_QUANT_ROW_N_FACTS];
  gboolean           shows_fit;      /* the badge is the fit badge */
};

G_DEFINE_FINAL_TYPE (MmQuantRow, mm_quant_row, ADW_TYPE_EXPANDER_ROW)

typedef enum {
  PROP_0,
  PROP_QUANT,
  PROP_MACHINE,
  PROP_SHAPE,
  N_PROPS,
} MmQuantRowProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DOWNLOAD,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* The badge says where the choice runs on this machine (mm-machine.c),
 * counting the KV cache and the runtime as well as the weights, and its
 * tooltip shows the arithmetic. It is computed again when the file's header
 * gives the exact shape, and when the machine changes (the GPUs were found,
 * the context length or the RAM budget was set). */
static void
update_fit_badge (MmQuantRow *self)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;

  if (!self->shows_fit)
    return;

  if (self->machine != NULL && mm_quant_get_size (self->quant) > 0)
    estimate = mm_machine_estimate (self->machine, mm_quant_get_size (self->quant),
                                    &self->shape);
  mm_fit_badge_update (self->badge, estimate);
}

static char *
build_subtitle (MmQuant *quant)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  double bpw = mm_quant_get_bits_per_weight (quant);

  if (bpw > 0)
    /* Translators: e.g. "4.9 bits per weight" */
    g_ptr_array_add (parts, g_strdup_printf (_("%.1f bits per weight"), bpw));
  g_ptr_array_add (parts, mm_format_size (mm_quant_get_size (quant)));
  if (mm_quant_get_is_split (quant))
    {
      guint n = mm_quant_get_split_count (quant);

      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u part", "%u parts", n), n));
    }
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* The GGUF header, which the quant reads and keeps. The facts of a known
 * header are bound in the template through these closures. */

/* The type is the row's title already, unless the header disagrees with
 * the file name: then the header is right, and says so. */
static char *
file_type_text_cb (MmQuantRow *self,
                   MmGgufInfo *info)
{
  const char *type = info ? mm_gguf_info_get_file_type_name (info) : NULL;

  if (type == NULL || self->quant == NULL ||
      g_ascii_strcasecmp (type, mm_quant_get_name (self->quant)) == 0)
    return g_strdup ("");
  return g_strdup (type);
}

static char *
chat_template_text_cb (MmQuantRow *self,
                       MmGgufInfo *info)
{
  if (info == NULL)
    return g_strdup ("");
  return g_strdup (mm_gguf_info_get_has_chat_template (info) ? _("Yes") : _("No"));
}

static gboolean
has_text_cb (MmQuantRow *self,
             const char *text)
{
  return text != NULL && *text != '\0';
}

/* "Read 256.0 kB of the header", and a bar once the most it can take is
 * known. */
static void
refresh_header_progress (MmQuantRow *self)
{
  guint64 bytes_read = mm_quant_get_header_bytes_read (self->quant);
  guint64 bytes_total = mm_quant_get_header_bytes_total (self->quant);
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  if (mm_quant_get_header_state (self->quant) != MM_QUANT_HEADER_STATE_READING ||
      bytes_read == 0)
    return;

  size = mm_format_size (bytes_read);
  /* Translators: %s is a size such as "256.0 kB" */
  text = g_strdup_printf (_("Read %s of the header"), size);
  adw_action_row_set_subtitle (self->header_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->header_progress), bytes_total > 0);
  if (bytes_total > 0)
    gtk_progress_bar_set_fraction (self->header_progress,
                                   MIN (1.0, (double) bytes_read / (double) bytes_total));
}

/* Why the header could not be read: an access problem in the words the
 * pane uses for it, anything else as it came. */
static void
refresh_header_error (MmQuantRow *self)
{
  const GError *error = mm_quant_get_header_error (self->quant);
  MmModel *model = mm_quant_get_model (self->quant);
  MmAccessHelp help;

  g_return_if_fail (error != NULL);

  if (mm_access_help_init_from_error (&help, error,
                                      model ? mm_model_get_gated (model) : MM_GATED_NO))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row), help.title);
      adw_action_row_set_subtitle (self->header_row, help.explanation);
      gtk_image_set_from_icon_name (self->header_icon, "channel-secure-symbolic");
    }
  else
    {
      gtk_image_set_from_icon_name (self->header_icon, "dialog-warning-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row),
                                     _("Could Not Read the File Header"));
      adw_action_row_set_subtitle (self->header_row, error->message);
    }
}

/* One function draws every header state, as the quant has it; the facts
 * of a known header are bound in the template. */
static void
refresh_header (MmQuantRow *self)
{
  MmQuantHeaderState state = mm_quant_get_header_state (self->quant);

  gtk_widget_set_visible (GTK_WIDGET (self->header_progress), FALSE);
  gtk_widget_set_visible (self->header_cancel_button, state == MM_QUANT_HEADER_STATE_READING);
  gtk_widget_set_visible (self->header_again_button, state == MM_QUANT_HEADER_STATE_CANCELLED);
  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), state == MM_QUANT_HEADER_STATE_READING);
  gtk_spinner_set_spinning (self->header_spinner, state == MM_QUANT_HEADER_STATE_READING);
  gtk_widget_set_visible (GTK_WIDGET (self->header_icon), state != MM_QUANT_HEADER_STATE_READING);
  gtk_widget_set_visible (GTK_WIDGET (self->header_row),
                          state != MM_QUANT_HEADER_STATE_NONE &&
                          state != MM_QUANT_HEADER_STATE_LOADED);
  if (state == MM_QUANT_HEADER_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->header_row), "header-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->header_row), "header-problem");

  switch (state)
    {
    case MM_QUANT_HEADER_STATE_NONE:
    case MM_QUANT_HEADER_STATE_LOADED:
      break;
    case MM_QUANT_HEADER_STATE_READING:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row),
                                     _("Reading the File Header…"));
      /* The subtitle and the bar follow the progress. */
      adw_action_row_set_subtitle (self->header_row, NULL);
      refresh_header_progress (self);
      break;
    case MM_QUANT_HEADER_STATE_CANCELLED:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row),
                                     _("File Header Not Read"));
      adw_action_row_set_subtitle (self->header_row,
                                   _("Reading was cancelled. The download does not need it."));
      gtk_image_set_from_icon_name (self->header_icon, "document-properties-symbolic");
      break;
    case MM_QUANT_HEADER_STATE_FAILED:
      refresh_header_error (self);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A known header gives the memory badge the model's exact shape; what it
 * leaves out stays as the pane said. */
static void
header_state_changed_cb (MmQuantRow *self)
{
  MmModelShape shape;

  if (mm_quant_get_header_shape (self->quant, &shape))
    {
      if (shape.parameters == 0)
        shape.parameters = self->shape.parameters;
      if (shape.context_length == 0)
        shape.context_length = self->shape.context_length;
      self->shape = shape;
      update_fit_badge (self);
    }
  refresh_header (self);
}

/* Opened for the first time (or again after a failure): read the header,
 * unless the user stopped that read. */
static void
expanded_cb (MmQuantRow *self)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)) &&
      mm_quant_get_header_state (self->quant) != MM_QUANT_HEADER_STATE_CANCELLED)
    mm_quant_read_header (self->quant);
}

/* Comparing */

static void
refresh_compare (MmQuantRow *self)
{
  gboolean picked;
  gboolean full;

  if (self->comparison == NULL || self->model == NULL)
    return;

  picked = mm_comparison_contains (self->comparison, mm_model_get_id (self->model),
                                   mm_quant_get_label (self->quant));
  full = mm_comparison_get_n_items (self->comparison) >= MM_COMPARISON_MAX_ITEMS;

  self->updating_compare = TRUE;
  gtk_switch_set_active (self->compare_switch, picked);
  self->updating_compare = FALSE;
  /* Four are the most: a fifth cannot be turned on, and the row says why. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_switch), picked || !full);
  adw_action_row_set_subtitle (self->compare_row,
                               !picked && full
                               ? _("Four are compared already; turn one off first")
                               : _("Put it side by side with up to three others"));
}

static void
compare_switch_cb (MmQuantRow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->updating_compare || self->comparison == NULL || self->model == NULL)
    return;

  if (gtk_switch_get_active (self->compare_switch))
    {
      if (!mm_comparison_add (self->comparison, self->model, self->quant, &self->shape, &error))
        g_debug ("Not compared: %s", error->message);
    }
  else
    {
      mm_comparison_remove (self->comparison, mm_model_get_id (self->model),
                            mm_quant_get_label (self->quant));
    }
  refresh_compare (self);
}

/* What the template leaves to the choice: its title, subtitle and badge,
 * the star's column, the accessible names, and its files. */
static void
mm_quant_row_build (MmQuantRow *self)
{
  GPtrArray *files = mm_quant_get_files (self->quant);
  g_autofree char *subtitle = build_subtitle (self->quant);
  g_autofree char *download_label = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *compare_label = NULL;
  gboolean model_kind = mm_quant_get_kind (self->quant) == MM_QUANT_KIND_MODEL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), mm_quant_get_label (self->quant));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  /* A screen reader lists the buttons of every row: say which one this is. */
  /* Translators: %s is a quantization, e.g. Q4_K_M */
  download_label = g_strdup_printf (_("Download %s"), mm_quant_get_label (self->quant));
  /* Translators: the arrow beside a Download button; %s is a quantization */
  menu_label = g_strdup_printf (_("More Ways to Download %s"), mm_quant_get_label (self->quant));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, download_label, -1);
  /* The split button is a group: its two buttons are what a screen reader
   * lands on, and each needs a name (libadwaita 1.2 gives them none). */
  for (GtkWidget *child = gtk_widget_get_first_child (self->download_button);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *name = GTK_IS_MENU_BUTTON (child) ? menu_label : download_label;

      if (!GTK_IS_BUTTON (child) && !GTK_IS_MENU_BUTTON (child))
        continue;
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      if (GTK_IS_MENU_BUTTON (child) && gtk_widget_get_first_child (child) != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (child)),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  /* Translators: %s is a quantization, e.g. Q4_K_M */
  compare_label = g_strdup_printf (_("Compare %s"), mm_quant_get_label (self->quant));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->compare_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, compare_label, -1);

  gtk_widget_set_visible (self->recommended_icon, model_kind);

  if (mm_quant_get_is_split (self->quant) && !mm_quant_get_is_complete (self->quant))
    {
      guint count = mm_quant_get_split_count (self->quant);
      guint missing = count > files->len ? count - files->len : 0;
      g_autofree char *title = NULL;
      GtkWidget *row;

      gtk_label_set_label (self->badge, _("Incomplete"));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->badge),
                                   _("Some parts of this set are not in the repository"));
      gtk_widget_set_visible (GTK_WIDGET (self->badge), TRUE);

      /* Translators: a row title (header case); a split model, e.g.
       * "Incomplete: 1 of 3 Parts Missing" */
      title = g_strdup_printf (ngettext ("Incomplete: %u of %u Part Missing",
                                         "Incomplete: %u of %u Parts Missing", count),
                               missing, count);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("This set cannot be used until the missing parts are uploaded"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
  else if (model_kind)
    {
      self->shows_fit = TRUE;
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), "placement");
      update_fit_badge (self);
    }

  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *size = mm_format_size (mm_repo_file_get_size (file));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *size_label = gtk_label_new (size);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mm_repo_file_get_path (file));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_add_css_class (size_label, "dim-label");
      gtk_widget_add_css_class (size_label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), size_label);
      if (mm_repo_file_get_sha256 (file) != NULL)
        {
          /* Translators: %s is a SHA-256 checksum */
          g_autofree char *tip = g_strdup_printf (_("SHA-256: %s"),
                                                  mm_repo_file_get_sha256 (file));
          gtk_widget_set_tooltip_text (row, tip);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
}

/* Downloading */

gboolean
mm_quant_row_get_can_download (MmQuantRow *self)
{
  GPtrArray *files;

  g_return_val_if_fail (MM_IS_QUANT_ROW (self), FALSE);

  if (self->manager == NULL || self->repo_id == NULL ||
      !mm_quant_get_is_complete (self->quant))
    return FALSE;

  files = mm_quant_get_files (self->quant);
  for (guint i = 0; i < files->len; i++)
    {
      if (mm_repo_file_get_problem (g_ptr_array_index (files, i)) != NULL)
        return FALSE;
    }

  return files->len > 0;
}

static void
update_progress (MmQuantRow *self)
{
  g_autofree char *progress = NULL;

  if (self->item == NULL)
    return;

  progress = mm_format_progress (mm_download_item_get_bytes_received (self->item),
                                 mm_download_item_get_total_bytes (self->item));
  gtk_progress_bar_set_fraction (self->progress_bar, mm_download_item_get_fraction (self->item));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_bar), progress);
}

/* What the suffix shows: one switch over the item's state. */
static void
refresh_download (MmQuantRow *self)
{
  const char *status = NULL;
  gboolean can_download = mm_quant_row_get_can_download (self);
  gboolean show_download = FALSE;
  gboolean show_progress = FALSE;
  gboolean show_open = FALSE;

  if (can_download && self->item == NULL)
    show_download = TRUE;
  else if (can_download)
    {
      switch (mm_download_item_get_state (self->item))
        {
        case MM_DOWNLOAD_ITEM_STATE_QUEUED:
          /* Translators: a download waiting for its turn */
          status = _("Queued");
          break;
        case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
        case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
          show_progress = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_PAUSED:
          status = _("Paused");
          show_progress = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_RETRYING:
          status = _("Retrying");
          show_progress = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
          show_open = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_FAILED:
          status = _("Failed");
          show_download = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
          show_download = TRUE;
          break;
        case MM_DOWNLOAD_ITEM_STATE_WAITING:
          show_progress = TRUE;
          if (mm_download_item_get_wait_reason (self->item) == MM_DOWNLOAD_ITEM_WAIT_SCHEDULE)
            /* Translators: a download that starts later (short, beside a quantization) */
            status = _("Scheduled");
          else if (mm_download_item_get_wait_reason (self->item) == MM_DOWNLOAD_ITEM_WAIT_NETWORK)
            /* Translators: a download waiting for the network (short) */
            status = _("Offline");
          else
            status = _("Paused");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  gtk_widget_set_visible (self->download_button, show_download);
  gtk_widget_set_sensitive (self->download_button, self->blocked == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.download-later",
                                 show_download && self->blocked == NULL);
  gtk_widget_set_tooltip_text (self->download_button,
                               self->blocked ? self->blocked : _("Download"));
  gtk_widget_set_visible (self->open_button, show_open);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), show_progress);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_label_set_label (self->status_label, status ? status : "");
  update_progress (self);
}

static void
set_item (MmQuantRow     *self,
          MmDownloadItem *item)
{
  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (self->item != NULL)
    g_signal_connect_object (self->item, "notify::fraction", G_CALLBACK (update_progress), self,
                             G_CONNECT_SWAPPED);
  refresh_download (self);
}

static void
item_state_changed_cb (MmQuantRow          *self,
                       MmDownloadItem      *item,
                       MmDownloadItemState  old_state)
{
  if (item == self->item)
    refresh_download (self);
}

static void
find_item (MmQuantRow *self)
{
  MmDownloadItem *item = NULL;

  if (self->manager != NULL && self->repo_id != NULL)
    item = mm_download_manager_find (self->manager, self->repo_id,
                                     mm_quant_get_label (self->quant));
  set_item (self, item);
}

static void
download_clicked_cb (MmQuantRow *self)
{
  MmDownloadItemState state = self->item ? mm_download_item_get_state (self->item)
                                         : MM_DOWNLOAD_ITEM_STATE_QUEUED;

  /* Once asked, a stopped download continues from its partial files. */
  if (state == MM_DOWNLOAD_ITEM_STATE_FAILED || state == MM_DOWNLOAD_ITEM_STATE_CANCELLED)
    mm_download_item_retry (self->item);
  else
    g_signal_emit (self, signals[SIGNAL_DOWNLOAD], 0, FALSE);
}

static void
download_later_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MmQuantRow *self = MM_QUANT_ROW (widget);

  if (!mm_quant_row_get_can_download (self) || self->blocked != NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_DOWNLOAD], 0, TRUE);
}

static void
open_clicked_cb (MmQuantRow *self)
{
  if (self->item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-folder", "s",
                                mm_download_item_get_folder (self->item));
}

static void
header_cancel_clicked_cb (MmQuantRow *self)
{
  mm_quant_row_cancel_header (self);
}

static void
header_again_clicked_cb (MmQuantRow *self)
{
  mm_quant_row_read_header_again (self);
}

static void
mm_quant_row_constructed (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_QUANT (self->quant));
  mm_quant_row_build (self);
  refresh_download (self);
  g_signal_connect_object (self->quant, "notify::header-state",
                           G_CALLBACK (header_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->quant, "notify::header-bytes-read",
                           G_CALLBACK (refresh_header_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->quant, "notify::header-bytes-total",
                           G_CALLBACK (refresh_header_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::expanded", G_CALLBACK (expanded_cb), NULL);
  header_state_changed_cb (self);
  if (self->machine != NULL)
    g_signal_connect_object (self->machine, "changed", G_CALLBACK (update_fit_badge), self,
                             G_CONNECT_SWAPPED);
}

static void
mm_quant_row_dispose (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->item);
  g_clear_object (&self->manager);
  g_clear_object (&self->quant);
  g_clear_object (&self->machine);
  g_clear_object (&self->comparison);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_QUANT_ROW);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->dispose (object);
}

static void
mm_quant_row_finalize (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  g_clear_pointer (&self->repo_id, g_free);
  g_clear_pointer (&self->blocked, g_free);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->finalize (object);
}

static void
mm_quant_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  switch ((MmQuantRowProperty) prop_id)
    {
    case PROP_QUANT:
      g_value_set_object (value, self->quant);
      break;
    case PROP_MACHINE:
      g_value_set_object (value, self->machine);
      break;
    case PROP_SHAPE:
      g_value_set_pointer (value, &self->shape);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_quant_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  switch ((MmQuantRowProperty) prop_id)
    {
    case PROP_QUANT:
      self->quant = g_value_dup_object (value);
      break;
    case PROP_MACHINE:
      self->machine = g_value_dup_object (value);
      break;
    case PROP_SHAPE:
      if (g_value_get_pointer (value) != NULL)
        self->shape = *(const MmModelShape *) g_value_get_pointer (value);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_quant_row_class_init (MmQuantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mm_quant_row_constructed;
  object_class->dispose = mm_quant_row_dispose;
  object_class->finalize = mm_quant_row_finalize;
  object_class->get_property = mm_quant_row_get_property;
  object_class->set_property = mm_quant_row_set_property;

  /** MmQuantRow:quant: the download choice shown */
  properties[PROP_QUANT] =
    g_param_spec_object ("quant", NULL, NULL, MM_TYPE_QUANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmQuantRow:machine: (nullable): this computer, for the fit badge */
  properties[PROP_MACHINE] =
    g_param_spec_object ("machine", NULL, NULL, MM_TYPE_MACHINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmQuantRow:shape: (type gpointer) (nullable): the model's MmModelShape, copied, for
   * the KV cache in the memory estimate */
  properties[PROP_SHAPE] =
    g_param_spec_pointer ("shape", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmQuantRow::download:
   * @later: %TRUE for "Download Later" from the button's menu
   *
   * The user pressed Download (or chose Download Later); the owner queues
   * it, and asks first only when something needs a decision.
   */
  signals[SIGNAL_DOWNLOAD] =
    g_signal_new ("download", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "row.download-later", NULL,
                                   download_later_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/mm-quant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, badge);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, chat_template_label);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, chat_template_row);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, compare_row);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, compare_switch);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, download_button);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, file_type_label);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, file_type_row);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_again_button);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_icon);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_progress);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_row);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, recommended_icon);
  gtk_widget_class_bind_template_child (widget_class, MmQuantRow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, compare_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, chat_template_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, file_type_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, header_again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, header_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
}

static void
mm_quant_row_init (MmQuantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fact_rows[MM_QUANT_ROW_FACT_FILE_TYPE] = self->file_type_row;
  self->fact_labels[MM_QUANT_ROW_FACT_FILE_TYPE] = self->file_type_label;
  self->fact_rows[MM_QUANT_ROW_FACT_CHAT_TEMPLATE] = self->chat_template_row;
  self->fact_labels[MM_QUANT_ROW_FACT_CHAT_TEMPLATE] = self->chat_template_label;
}

GtkWidget *
mm_quant_row_new (MmQuant            *quant,
                  const MmModelShape *shape,
                  MmMachine          *machine)
{
  g_return_val_if_fail (MM_IS_QUANT (quant), NULL);
  g_return_val_if_fail (!machine || MM_IS_MACHINE (machine), NULL);

  return g_object_new (MM_TYPE_QUANT_ROW,
                       "quant", quant,
                       "shape", shape,
                       "machine", machine,
                       NULL);
}

/**
 * mm_quant_row_set_comparison:
 * @comparison: (nullable): the choices picked to compare
 * @model: (nullable): the repository this choice belongs to
 *
 * Shows the Compare switch of a model choice, which adds it to or takes it
 * out of @comparison, and follows it.
 */
void
mm_quant_row_set_comparison (MmQuantRow   *self,
                             MmComparison *comparison,
                             MmModel      *model)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));
  g_return_if_fail (!comparison || MM_IS_COMPARISON (comparison));
  g_return_if_fail (!model || MM_IS_MODEL (model));

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (mm_comparison_get_items (self->comparison), self);
  g_set_object (&self->comparison, comparison);
  g_set_object (&self->model, model);
  if (self->comparison != NULL)
    g_signal_connect_object (mm_comparison_get_items (self->comparison), "items-changed",
                             G_CALLBACK (refresh_compare), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->compare_row),
                          self->comparison != NULL && self->model != NULL &&
                          mm_quant_get_kind (self->quant) == MM_QUANT_KIND_MODEL &&
                          mm_quant_get_is_complete (self->quant));
  refresh_compare (self);
}

/**
 * mm_quant_row_get_compare_switch:
 *
 * Returns: (transfer none) (nullable): the Compare switch, for tests
 */
GtkWidget *
mm_quant_row_get_compare_switch (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->compare_row)))
    return NULL;
  return GTK_WIDGET (self->compare_switch);
}

/**
 * mm_quant_row_set_shape:
 * @shape: the model's shape, as another file's header gave it
 *
 * Counts the memory with the model's layers and heads (all quantizations of
 * a model share them), unless this row's own header is already known.
 */
void
mm_quant_row_set_shape (MmQuantRow         *self,
                        const MmModelShape *shape)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));
  g_return_if_fail (shape != NULL);

  if (mm_quant_get_header_state (self->quant) == MM_QUANT_HEADER_STATE_LOADED)
    return;
  self->shape = *shape;
  update_fit_badge (self);
}

/**
 * mm_quant_row_set_recommended:
 * @recommended: whether this is the choice recommended for this computer
 *
 * Marks the row with a star (and says so to a screen reader).
 */
void
mm_quant_row_set_recommended (MmQuantRow *self,
                              gboolean    recommended)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));

  recommended = !!recommended;
  if (self->recommended == recommended ||
      mm_quant_get_kind (self->quant) != MM_QUANT_KIND_MODEL)
    return;

  self->recommended = recommended;
  gtk_image_set_from_icon_name (GTK_IMAGE (self->recommended_icon),
                                recommended ? "starred-symbolic" : NULL);
  gtk_widget_set_tooltip_text (self->recommended_icon,
                               recommended ? _("Recommended for this computer") : NULL);
  if (recommended)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "recommended");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->recommended_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Recommended for this computer"), -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "recommended");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->recommended_icon),
                                     GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
}

gboolean
mm_quant_row_get_recommended (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), FALSE);
  return self->recommended;
}

/**
 * mm_quant_row_get_fit_text:
 *
 * Returns: (nullable): what the fit badge says, %NULL when it is hidden
 */
const char *
mm_quant_row_get_fit_text (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);

  if (!self->shows_fit || !gtk_widget_get_visible (GTK_WIDGET (self->badge)))
    return NULL;
  return gtk_label_get_label (self->badge);
}

/**
 * mm_quant_row_get_fit_tooltip:
 *
 * Returns: (nullable): the arithmetic behind the fit badge
 */
const char *
mm_quant_row_get_fit_tooltip (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);

  if (!self->shows_fit)
    return NULL;
  return gtk_widget_get_tooltip_text (GTK_WIDGET (self->badge));
}

/**
 * mm_quant_row_get_quant:
 *
 * Returns: (transfer none): the download choice shown
 */
MmQuant *
mm_quant_row_get_quant (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);
  return self->quant;
}

/**
 * mm_quant_row_set_download_manager:
 * @manager: (nullable): the manager that queues this choice
 * @repo_id: (nullable): the repository the choice belongs to
 *
 * Shows a Download button (for a complete choice of safe files), then the
 * state of the manager's item for this choice.
 */
void
mm_quant_row_set_download_manager (MmQuantRow        *self,
                                   MmDownloadManager *manager,
                                   const char        *repo_id)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));
  g_return_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager));

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_set_object (&self->manager, manager);
  g_free (self->repo_id);
  self->repo_id = g_strdup (repo_id);

  /* The list changes when an item is added or removed: look again then. */
  if (self->manager != NULL)
    {
      g_signal_connect_object (self->manager, "items-changed", G_CALLBACK (find_item), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->manager, "item-state-changed",
                               G_CALLBACK (item_state_changed_cb), self, G_CONNECT_SWAPPED);
    }
  find_item (self);
  refresh_download (self);
}

/**
 * mm_quant_row_set_blocked:
 * @reason: (nullable): why this choice cannot be downloaded now (a gated
 *   model without access, a disabled repository), or %NULL
 *
 * Turns the Download button off, with @reason as its tooltip.
 */
void
mm_quant_row_set_blocked (MmQuantRow *self,
                          const char *reason)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));

  if (g_strcmp0 (self->blocked, reason) == 0)
    return;
  g_free (self->blocked);
  self->blocked = g_strdup (reason);
  refresh_download (self);
}

/**
 * mm_quant_row_get_blocked:
 *
 * Returns: (nullable): why Download is off, %NULL when it is on
 */
const char *
mm_quant_row_get_blocked (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);
  return self->blocked;
}

/**
 * mm_quant_row_get_download_sensitive:
 *
 * Returns: whether the Download button is shown and can be pressed
 */
gboolean
mm_quant_row_get_download_sensitive (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), FALSE);
  return gtk_widget_get_visible (self->download_button) &&
         gtk_widget_is_sensitive (self->download_button);
}

/**
 * mm_quant_row_get_item:
 *
 * Returns: (transfer none) (nullable): the manager's item for this choice
 */
MmDownloadItem *
mm_quant_row_get_item (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);
  return self->item;
}

void
mm_quant_row_activate_download (MmQuantRow *self)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));
  g_return_if_fail (gtk_widget_get_visible (self->download_button));

  g_return_if_fail (self->blocked == NULL);

  gtk_widget_activate (self->download_button);
}

void
mm_quant_row_activate_download_later (MmQuantRow *self)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));
  g_return_if_fail (gtk_widget_get_visible (self->download_button));
  g_return_if_fail (self->blocked == NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), "row.download-later", NULL);
}

/**
 * mm_quant_row_get_header_fraction:
 *
 * Returns: the fraction the progress bar shows, -1 when it is hidden
 */
double
mm_quant_row_get_header_fraction (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), -1);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->header_progress)))
    return -1;
  return gtk_progress_bar_get_fraction (self->header_progress);
}

/**
 * mm_quant_row_cancel_header:
 *
 * What the Cancel button does: stops the read; the row then offers to read
 * again.
 */
void
mm_quant_row_cancel_header (MmQuantRow *self)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));

  if (gtk_widget_get_visible (self->header_cancel_button))
    mm_quant_cancel_header (self->quant);
}

/**
 * mm_quant_row_read_header_again:
 *
 * What the Read Again button does: reads the header again.
 */
void
mm_quant_row_read_header_again (MmQuantRow *self)
{
  g_return_if_fail (MM_IS_QUANT_ROW (self));

  if (gtk_widget_get_visible (self->header_again_button))
    mm_quant_read_header (self->quant);
}

const char *
mm_quant_row_get_fact_text (MmQuantRow     *self,
                            MmQuantRowFact  fact)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);
  g_return_val_if_fail (fact < MM_QUANT_ROW_N_FACTS, NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->fact_rows[fact])))
    return NULL;
  return gtk_label_get_label (self->fact_labels[fact]);
}

const char *
mm_quant_row_get_header_title (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->header_row)))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->header_row));
}

const char *
mm_quant_row_get_header_subtitle (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->header_row)))
    return NULL;
  return adw_action_row_get_subtitle (self->header_row);
}
