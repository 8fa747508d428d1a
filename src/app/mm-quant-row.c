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
 * button; the row emits ::download and the detail pane asks and queues.
 * Afterwards the row follows the manager's item for this choice (found with
 * mm_download_manager_find() whenever the list changes): one refresh that
 * switches over its state, and only the small progress bar on a tick.
 */
#define G_LOG_DOMAIN "mm-quant-row"

#include "config.h"

#include "mm-quant-row.h"

#include <glib/gi18n.h>

struct _MmQuantRow
{
  AdwExpanderRow  parent_instance;

  MmQuant           *quant;          /* (owned) */
  guint64            total_memory;
  MmModelShape       shape;          /* zeroed when the model's shape is unknown */
  MmDownloadManager *manager;        /* (owned) (nullable) */
  char              *repo_id;        /* (owned) (nullable) */
  MmDownloadItem    *item;           /* (owned) (nullable) */

  GtkWidget         *download_button;
  GtkWidget         *open_button;
  GtkProgressBar    *progress_bar;
  GtkLabel          *status_label;
};

G_DEFINE_FINAL_TYPE (MmQuantRow, mm_quant_row, ADW_TYPE_EXPANDER_ROW)

typedef enum {
  PROP_0,
  PROP_QUANT,
  PROP_TOTAL_MEMORY,
  PROP_SHAPE,
  N_PROPS,
} MmQuantRowProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DOWNLOAD,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static GtkWidget *
badge_new (const char *text,
           const char *style,
           const char *tooltip)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, style);
  gtk_widget_set_tooltip_text (badge, tooltip);
  return badge;
}

/* The badge counts the KV cache and the runtime as well as the weights
 * (mm-memory-estimate.c), and its tooltip shows that sum. */
static GtkWidget *
fit_badge_new (MmQuantRow *self)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  g_autofree char *tooltip = NULL;

  if (self->total_memory == 0 || mm_quant_get_size (self->quant) == 0)
    return NULL;

  estimate = mm_memory_estimate_new (mm_quant_get_size (self->quant), &self->shape, 0,
                                     self->total_memory);
  tooltip = mm_memory_estimate_dup_explanation (estimate);

  switch (estimate->fit)
    {
    case MM_FIT_FITS:
      /* Translators: badge: the model fits in this computer's memory */
      return badge_new (_("Fits"), "success", tooltip);
    case MM_FIT_TIGHT:
      /* Translators: badge: the model barely fits in this computer's memory */
      return badge_new (_("Tight"), "warning", tooltip);
    case MM_FIT_TOO_LARGE:
      /* Translators: badge: the model does not fit in this computer's memory */
      return badge_new (_("Too large"), "error", tooltip);
    case MM_FIT_UNKNOWN:
    default:
      return NULL;
    }
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

static void
mm_quant_row_build (MmQuantRow *self)
{
  GPtrArray *files = mm_quant_get_files (self->quant);
  g_autofree char *subtitle = build_subtitle (self->quant);
  GtkWidget *badge = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), mm_quant_get_label (self->quant));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  if (mm_quant_get_is_split (self->quant) && !mm_quant_get_is_complete (self->quant))
    {
      guint count = mm_quant_get_split_count (self->quant);
      guint missing = count > files->len ? count - files->len : 0;
      g_autofree char *title = NULL;
      GtkWidget *row;

      /* Translators: a split model; e.g. "Incomplete: 1 of 3 parts missing" */
      title = g_strdup_printf (ngettext ("Incomplete: %u of %u part missing",
                                         "Incomplete: %u of %u parts missing", count),
                               missing, count);
      badge = badge_new (_("Incomplete"), "error",
                         _("Some parts of this set are not in the repository"));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("This set cannot be used until the missing parts are uploaded."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
  else if (mm_quant_get_kind (self->quant) == MM_QUANT_KIND_MODEL)
    badge = fit_badge_new (self);

  if (badge != NULL)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (self), badge);

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
        default:
          g_assert_not_reached ();
        }
    }

  gtk_widget_set_visible (self->download_button, show_download);
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
    {
      g_signal_connect_object (self->item, "notify::state", G_CALLBACK (refresh_download), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->item, "notify::fraction", G_CALLBACK (update_progress), self,
                               G_CONNECT_SWAPPED);
    }
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
    g_signal_emit (self, signals[SIGNAL_DOWNLOAD], 0);
}

static void
open_clicked_cb (MmQuantRow *self)
{
  if (self->item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-folder", "s",
                                mm_download_item_get_folder (self->item));
}

static void
build_download_widgets (MmQuantRow *self)
{
  g_autofree char *download_label = NULL;

  /* add_action() prepends: add from the right end, before the badge. */
  self->open_button = gtk_button_new_from_icon_name ("folder-open-symbolic");
  gtk_widget_set_valign (self->open_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->open_button, "flat");
  gtk_widget_set_tooltip_text (self->open_button, _("Open Folder"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open Folder"),
                                  -1);
  g_signal_connect_object (self->open_button, "clicked",
                           G_CALLBACK (open_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->open_button);

  self->download_button = gtk_button_new_from_icon_name ("folder-download-symbolic");
  gtk_widget_set_valign (self->download_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->download_button, "flat");
  gtk_widget_set_tooltip_text (self->download_button, _("Download"));
  /* A screen reader lists the buttons of every row: say which one this is. */
  /* Translators: %s is a quantization, e.g. Q4_K_M */
  download_label = g_strdup_printf (_("Download %s"), mm_quant_get_label (self->quant));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, download_label,
                                  -1);
  g_signal_connect_object (self->download_button, "clicked",
                           G_CALLBACK (download_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->download_button);

  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->progress_bar), 64, -1);
  gtk_widget_set_valign (GTK_WIDGET (self->progress_bar), GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->progress_bar));

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_set_valign (GTK_WIDGET (self->status_label), GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->status_label));

  refresh_download (self);
}

static void
mm_quant_row_constructed (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_QUANT (self->quant));
  build_download_widgets (self);
  mm_quant_row_build (self);
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

  G_OBJECT_CLASS (mm_quant_row_parent_class)->dispose (object);
}

static void
mm_quant_row_finalize (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  g_clear_pointer (&self->repo_id, g_free);

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
    case PROP_TOTAL_MEMORY:
      g_value_set_uint64 (value, self->total_memory);
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
    case PROP_TOTAL_MEMORY:
      self->total_memory = g_value_get_uint64 (value);
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

  object_class->constructed = mm_quant_row_constructed;
  object_class->dispose = mm_quant_row_dispose;
  object_class->finalize = mm_quant_row_finalize;
  object_class->get_property = mm_quant_row_get_property;
  object_class->set_property = mm_quant_row_set_property;

  /** MmQuantRow:quant: the download choice shown */
  properties[PROP_QUANT] =
    g_param_spec_object ("quant", NULL, NULL, MM_TYPE_QUANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmQuantRow:total-memory: this computer's memory in bytes, for the fit tooltip */
  properties[PROP_TOTAL_MEMORY] =
    g_param_spec_uint64 ("total-memory", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmQuantRow:shape: (type gpointer) (nullable): the model's MmModelShape, copied, for
   * the KV cache in the memory estimate */
  properties[PROP_SHAPE] =
    g_param_spec_pointer ("shape", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmQuantRow::download:
   *
   * The user pressed Download; the owner asks for confirmation and queues.
   */
  signals[SIGNAL_DOWNLOAD] =
    g_signal_new ("download", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mm_quant_row_init (MmQuantRow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "quant-row");
}

GtkWidget *
mm_quant_row_new (MmQuant            *quant,
                  const MmModelShape *shape,
                  guint64             total_memory)
{
  g_return_val_if_fail (MM_IS_QUANT (quant), NULL);

  return g_object_new (MM_TYPE_QUANT_ROW,
                       "quant", quant,
                       "shape", shape,
                       "total-memory", total_memory,
                       NULL);
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
    g_signal_connect_object (self->manager, "items-changed", G_CALLBACK (find_item), self,
                             G_CONNECT_SWAPPED);
  find_item (self);
  refresh_download (self);
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

  gtk_widget_activate (self->download_button);
}
