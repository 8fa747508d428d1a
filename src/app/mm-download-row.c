/* mm-download-row.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One queued or finished download. The row draws what its MmDownloadItem
 * exposes and calls the item's methods; it computes nothing itself.
 *
 * Two functions keep it current: refresh() for everything that depends on
 * the item's state (which buttons, the state text, the style), run when
 * :state, :error or :retry-in change; and update_progress() for the labels
 * that change on every progress tick (the bar and "312.0 MB of 668.0 MB ·
 * 45.2 MB/s · 8 seconds left · 0:07 elapsed"). An item notifies several progress
 * properties per tick, so update_progress() runs once per batch, from an
 * idle callback ahead of the next frame. No widget is rebuilt on a tick.
 *
 * A download the Hub refused (a gated or private model, a refused token)
 * shows the explanation and buttons of mm-access-help.c instead of the
 * raw message, the same as the detail pane: Add Access Token… and Open
 * Model Page, next to Retry.
 *
 * Cancel asks nothing and keeps the partial files, so Retry continues where
 * the download stopped. Deleting the partial files is a separate, explicit
 * choice offered when the user removes a cancelled or failed item.
 */
#define G_LOG_DOMAIN "mm-download-row"

#include "config.h"

#include "mm-download-row.h"

#include "mm-access-help.h"
#include "mm-adaptive-box.h"
#include "mm-use-with-dialog.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

struct _MmDownloadRow
{
  GtkListBoxRow   parent_instance;

  MmDownloadItem *item;        /* (owned) */
  guint           progress_id;

  GtkWidget      *access_buttons;
  GtkLabel       *body_label;
  GtkWidget      *cancel_button;
  GtkLabel       *details_error_label;
  GtkExpander    *details_expander;
  GtkLabel       *details_label;
  GtkWidget      *open_button;
  GtkWidget      *page_button;
  GtkWidget      *pause_button;
  GtkProgressBar *progress_bar;
  GtkLabel       *quant_label;
  GtkWidget      *remove_button;
  GtkWidget      *retry_button;
  GtkLabel       *status_label;
  GtkLabel       *title_label;
  GtkWidget      *token_button;
  GtkWidget      *wait_button;
  GtkWidget      *use_button;
};

G_DEFINE_FINAL_TYPE (MmDownloadRow, mm_download_row, GTK_TYPE_LIST_BOX_ROW)

typedef enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS,
} MmDownloadRowProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REMOVE,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static gboolean
state_shows_progress (MmDownloadItemState state)
{
  switch (state)
    {
    case MM_DOWNLOAD_ITEM_STATE_QUEUED:
    case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
    case MM_DOWNLOAD_ITEM_STATE_PAUSED:
    case MM_DOWNLOAD_ITEM_STATE_RETRYING:
    case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
    case MM_DOWNLOAD_ITEM_STATE_WAITING:
      return TRUE;
    case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
    case MM_DOWNLOAD_ITEM_STATE_FAILED:
    case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
    default:
      return FALSE;
    }
}

/* The per-tick part: cheap, and it only sets labels whose text changed. */
static void
update_progress (MmDownloadRow *self)
{
  MmDownloadItemState state = mm_download_item_get_state (self->item);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  char *eta;

  g_clear_handle_id (&self->progress_id, g_source_remove);

  if (!state_shows_progress (state))
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, mm_download_item_get_fraction (self->item));

  g_ptr_array_add (parts, mm_format_progress (mm_download_item_get_bytes_received (self->item),
                                              mm_download_item_get_total_bytes (self->item)));
  if (state == MM_DOWNLOAD_ITEM_STATE_DOWNLOADING)
    {
      guint connections = mm_download_item_get_connections (self->item);

      g_ptr_array_add (parts, mm_format_speed (mm_download_item_get_speed (self->item)));
      eta = mm_format_eta (mm_download_item_get_eta (self->item));
      if (eta != NULL)
        g_ptr_array_add (parts, eta);
      /* One connection is the ordinary case; more are worth saying. */
      if (connections > 1)
        g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u connection", "%u connections",
                                                           connections), connections));
    }
  if (mm_download_item_get_elapsed (self->item) > 0)
    {
      g_autofree char *elapsed = mm_format_elapsed (mm_download_item_get_elapsed (self->item));

      /* Translators: time spent on a download so far: "0:05 elapsed" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s elapsed"), elapsed));
    }
  g_ptr_array_add (parts, NULL);

  text = g_strjoinv (" · ", (char **) parts->pdata);
  if (g_strcmp0 (gtk_label_get_label (self->details_label), text) != 0)
    gtk_label_set_label (self->details_label, text);
}

static gboolean
progress_idle_cb (gpointer user_data)
{
  MmDownloadRow *self = user_data;

  self->progress_id = 0;
  update_progress (self);

  return G_SOURCE_REMOVE;
}

static void
queue_update_progress (MmDownloadRow *self)
{
  if (self->progress_id != 0)
    return;

  /* Before GDK's redraw (G_PRIORITY_HIGH_IDLE + 20), after the batch of
   * notifications that queued it. */
  self->progress_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, progress_idle_cb, self, NULL);
  g_source_set_name_by_id (self->progress_id, "[mm] download row progress");
}

static char *
describe_completed (MmDownloadItem *item)
{
  g_autofree char *size = mm_format_size (mm_download_item_get_total_bytes (item));
  g_autofree char *duration = mm_format_elapsed ((gint64) mm_download_item_get_duration (item));
  g_autofree char *speed = mm_format_speed (mm_download_item_get_average_speed (item));

  /* A completed item has passed its checksum (MM_DOWNLOAD_ITEM_STATE_COMPLETED
   * means "in place and verified"): say so, it is what sets a finished
   * download apart from a file that merely stopped growing.
   * Translators: a finished download whose checksum was checked:
   * "Verified · 668.0 MB in 0:07 · 45.2 MB/s on average" */
  return g_strdup_printf (_("Verified · %s in %s · %s on average"), size, duration, speed);
}

/* Where the first file of the item that is being (or was) made from a
 * copy already on disk came from, for display: "~/Models/…". */
static char *
dup_reused_from (MmDownloadItem *item)
{
  GPtrArray *downloads = mm_download_item_get_downloads (item);

  for (guint i = 0; downloads != NULL && i < downloads->len; i++)
    {
      g_autofree char *source = mm_download_get_reused_from (g_ptr_array_index (downloads, i));

      if (source != NULL)
        return mm_reuse_index_describe_source (source);
    }

  return NULL;
}

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  const char *styles[] = { "error", "warning", "success", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      if (g_strcmp0 (styles[i], style) != 0)
        gtk_widget_remove_css_class (widget, styles[i]);
    }
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

static void
set_button_label (GtkWidget  *button,
                  const char *icon_name,
                  const char *label)
{
  gtk_button_set_icon_name (GTK_BUTTON (button), icon_name);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* Everything that depends on the state; one switch, no widget rebuilt. */
static void
refresh (MmDownloadRow *self)
{
  MmDownloadItemState state = mm_download_item_get_state (self->item);
  const GError *error = mm_download_item_get_error (self->item);
  g_autofree char *status = NULL;
  g_autofree char *reused_from = NULL;
  const char *style = "dim-label";
  gboolean can_pause = FALSE;
  gboolean can_resume = FALSE;
  gboolean can_cancel = FALSE;
  gboolean can_retry = FALSE;
  gboolean can_open = FALSE;
  gboolean can_remove = FALSE;
  const char *body = NULL;
  const char *details = NULL;
  const char *wait_action = NULL;
  MmAccessHelp help = { 0, };

  switch (state)
    {
    case MM_DOWNLOAD_ITEM_STATE_QUEUED:
      /* Translators: a download waiting for its turn */
      status = g_strdup (_("Queued"));
      can_pause = can_cancel = TRUE;
      break;
    case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
      reused_from = dup_reused_from (self->item);
      if (reused_from != NULL)
        /* Translators: the file is copied from another place on this
         * computer instead of downloaded; %s is that file's path */
        status = g_strdup_printf (_("Copying from %s"), reused_from);
      else
        status = g_strdup (_("Downloading"));
      can_pause = can_cancel = TRUE;
      style = NULL;
      break;
    case MM_DOWNLOAD_ITEM_STATE_PAUSED:
      status = g_strdup (_("Paused"));
      can_resume = can_cancel = TRUE;
      break;
    case MM_DOWNLOAD_ITEM_STATE_RETRYING:
      {
        guint seconds = mm_download_item_get_retry_in (self->item);

        if (error != NULL)
          /* Translators: "Retrying in 5 s — The connection was closed." */
          status = g_strdup_printf (_("Retrying in %u s — %s"), seconds, error->message);
        else
          status = g_strdup_printf (_("Retrying in %u s"), seconds);
        can_pause = can_cancel = TRUE;
        style = "warning";
        /* Translators: try a download again without waiting for the countdown */
        wait_action = _("_Retry Now");
      }
      break;
    case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
      /* Translators: the bytes already on disk are being checked */
      status = g_strdup (_("Checking…"));
      can_pause = can_cancel = TRUE;
      break;
    case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
      reused_from = dup_reused_from (self->item);
      if (reused_from != NULL)
        /* Translators: a finished download made from a copy already on this
         * computer (and checked); %s is that file's path */
        status = g_strdup_printf (_("Copied from %s — no download needed"), reused_from);
      else
        status = describe_completed (self->item);
      can_open = can_remove = TRUE;
      style = "success";
      break;
    case MM_DOWNLOAD_ITEM_STATE_FAILED:
      if (g_error_matches (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_CHECKSUM))
        {
          /* The core's message names both hashes: true, but jargon. The
           * row says what it means and what to do; the hashes wait behind
           * Details for whoever wants them. */
          status = g_strdup (_("File Damaged — downloading again will fix it"));
          body = _("What arrived differs from the file on the Hub, so it was thrown away. "
                   "Retry downloads it again.");
          details = error->message;
        }
      else if (mm_access_help_init_from_error (&help, error, MM_GATED_NO))
        /* Translators: why a download was refused and what to do:
         * "Gated Model — Sign in with an access token, then …" */
        status = g_strdup_printf (_("%s — %s"), help.title, help.explanation);
      else if (error != NULL)
        /* Translators: "Failed — Not enough free space …" */
        status = g_strdup_printf (_("Failed — %s"), error->message);
      else
        status = g_strdup (_("Failed"));
      can_retry = can_remove = TRUE;
      style = "error";
      break;
    case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
      status = g_strdup (_("Cancelled"));
      can_retry = can_remove = TRUE;
      break;
    case MM_DOWNLOAD_ITEM_STATE_WAITING:
      status = mm_download_item_describe_wait (self->item);
      can_pause = can_cancel = TRUE;
      switch (mm_download_item_get_wait_reason (self->item))
        {
        case MM_DOWNLOAD_ITEM_WAIT_NETWORK:
          body = _("It continues by itself when the computer is online again.");
          style = "warning";
          break;
        case MM_DOWNLOAD_ITEM_WAIT_METERED:
          body = _("The network may charge for data. Downloads continue on an "
                   "unmetered network, or now if you say so.");
          /* Translators: download over a metered network all the same */
          wait_action = _("Resume _Anyway");
          break;
        case MM_DOWNLOAD_ITEM_WAIT_SCHEDULE:
          /* Translators: start a scheduled download at once */
          wait_action = _("Start _Now");
          break;
        case MM_DOWNLOAD_ITEM_WAIT_NONE:
        default:
          break;
        }
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->status_label, status);
  set_style (GTK_WIDGET (self->status_label), style);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               state == MM_DOWNLOAD_ITEM_STATE_COMPLETED
                               ? _("The file matches the checksum the Hub lists for it")
                               : NULL);
  /* A paused bar is grey, so that it does not look like one that moves. */
  if (state == MM_DOWNLOAD_ITEM_STATE_PAUSED || state == MM_DOWNLOAD_ITEM_STATE_WAITING)
    gtk_widget_add_css_class (GTK_WIDGET (self->progress_bar), "paused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->progress_bar), "paused");
  gtk_label_set_label (self->body_label, body);
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), body != NULL);
  gtk_label_set_label (self->details_error_label, details);
  if (details == NULL)
    gtk_expander_set_expanded (self->details_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_expander), details != NULL);

  gtk_widget_set_visible (self->pause_button, can_pause || can_resume);
  if (can_resume)
    set_button_label (self->pause_button, "media-playback-start-symbolic", _("Resume"));
  else
    set_button_label (self->pause_button, "media-playback-pause-symbolic", _("Pause"));
  gtk_widget_set_visible (self->cancel_button, can_cancel);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->open_button, can_open);
  gtk_widget_set_visible (self->use_button, can_open);
  gtk_widget_set_visible (self->remove_button, can_remove);
  gtk_widget_set_visible (self->token_button, (help.actions & MM_ACCESS_ACTION_ADD_TOKEN) != 0);
  gtk_widget_set_visible (self->page_button,
                          (help.actions & MM_ACCESS_ACTION_OPEN_MODEL_PAGE) != 0);
  gtk_widget_set_visible (self->access_buttons, help.actions != MM_ACCESS_ACTION_NONE);
  if (wait_action != NULL)
    gtk_button_set_label (GTK_BUTTON (self->wait_button), wait_action);
  gtk_widget_set_visible (self->wait_button, wait_action != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state_shows_progress (state));
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), state_shows_progress (state));
  update_progress (self);
}

static void
pause_clicked_cb (MmDownloadRow *self)
{
  if (mm_download_item_get_state (self->item) == MM_DOWNLOAD_ITEM_STATE_PAUSED)
    mm_download_item_resume (self->item);
  else
    mm_download_item_pause (self->item);
}

/* Resume Anyway, Start Now, Retry Now: the user overrules the wait. */
static void
wait_clicked_cb (MmDownloadRow *self)
{
  if (mm_download_item_get_state (self->item) == MM_DOWNLOAD_ITEM_STATE_RETRYING)
    mm_download_item_reconnect (self->item);
  else
    mm_download_item_resume (self->item);
}

static void
cancel_clicked_cb (MmDownloadRow *self)
{
  /* Keeps the partial files: Retry continues from them. */
  mm_download_item_cancel (self->item, FALSE);
}

static void
retry_clicked_cb (MmDownloadRow *self)
{
  mm_download_item_retry (self->item);
}

static void
page_clicked_cb (MmDownloadRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.open-model-page", "s",
                              mm_download_item_get_repo_id (self->item));
}

static void
open_clicked_cb (MmDownloadRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.open-folder", "s",
                              mm_download_item_get_folder (self->item));
}

static void
use_clicked_cb (MmDownloadRow *self)
{
  MmUseWithDialog *dialog;

  dialog = mm_use_with_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   mm_download_item_get_destination (self->item),
                                   mm_download_item_get_repo_id (self->item),
                                   mm_download_item_get_quant_name (self->item),
                                   mm_download_item_get_total_bytes (self->item), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_response_cb (MmDownloadRow  *self,
                    const char     *response,
                    AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "delete"))
    mm_download_item_cancel (self->item, TRUE);
  if (g_str_equal (response, "delete") || g_str_equal (response, "remove"))
    g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
remove_clicked_cb (MmDownloadRow *self)
{
  MmDownloadItemState state = mm_download_item_get_state (self->item);
  GtkWidget *dialog;
  g_autofree char *size = NULL;
  g_autofree char *body = NULL;

  /* A finished download, or nothing on disk yet: nothing to decide. */
  if (state == MM_DOWNLOAD_ITEM_STATE_COMPLETED ||
      mm_download_item_get_bytes_received (self->item) == 0)
    {
      g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
      return;
    }

  size = mm_format_size (mm_download_item_get_bytes_received (self->item));
  /* Translators: %s is a size such as "312.0 MB" */
  body = g_strdup_printf (_("The %s already downloaded stay on disk, so that this download "
                            "can continue if you queue it again."), size);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Remove Download?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("Remove and _Delete File"),
                                    "remove", _("_Remove from List"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
mm_download_row_constructed (GObject *object)
{
  MmDownloadRow *self = MM_DOWNLOAD_ROW (object);
  const char *progress_props[] = {
    "notify::bytes-received", "notify::total-bytes", "notify::fraction", "notify::speed",
    "notify::eta", "notify::elapsed", "notify::connections",
  };
  const char *state_props[] = {
    "notify::state", "notify::error", "notify::retry-in", "notify::wait-reason",
    "notify::scheduled-start",
  };

  G_OBJECT_CLASS (mm_download_row_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_DOWNLOAD_ITEM (self->item));

  gtk_label_set_label (self->title_label, mm_download_item_get_title (self->item));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label),
                               mm_download_item_get_repo_id (self->item));
  gtk_label_set_label (self->quant_label, mm_download_item_get_subtitle (self->item));

  for (guint i = 0; i < G_N_ELEMENTS (state_props); i++)
    g_signal_connect_object (self->item, state_props[i], G_CALLBACK (refresh), self,
                             G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (progress_props); i++)
    g_signal_connect_object (self->item, progress_props[i], G_CALLBACK (queue_update_progress),
                             self, G_CONNECT_SWAPPED);

  refresh (self);
}

static void
mm_download_row_dispose (GObject *object)
{
  MmDownloadRow *self = MM_DOWNLOAD_ROW (object);

  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_DOWNLOAD_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (mm_download_row_parent_class)->dispose (object);
}

static void
mm_download_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MmDownloadRow *self = MM_DOWNLOAD_ROW (object);

  switch ((MmDownloadRowProperty) prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MmDownloadRow *self = MM_DOWNLOAD_ROW (object);

  switch ((MmDownloadRowProperty) prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_download_row_class_init (MmDownloadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mm_download_row_constructed;
  object_class->dispose = mm_download_row_dispose;
  object_class->get_property = mm_download_row_get_property;
  object_class->set_property = mm_download_row_set_property;

  /** MmDownloadRow:item: the download shown */
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, MM_TYPE_DOWNLOAD_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmDownloadRow::remove:
   *
   * The user asked to take the item off the list (its partial files, if
   * any, were already deleted when the user asked for that too).
   */
  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MM_TYPE_ADAPTIVE_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-download-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, access_buttons);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, details_error_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, details_expander);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, page_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, quant_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, use_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, token_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadRow, wait_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, wait_clicked_cb);
}

static void
mm_download_row_init (MmDownloadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mm_download_row_new (MmDownloadItem *item)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ITEM (item), NULL);

  return g_object_new (MM_TYPE_DOWNLOAD_ROW, "item", item, NULL);
}

/**
 * mm_download_row_get_item:
 *
 * Returns: (transfer none): the download shown
 */
MmDownloadItem *
mm_download_row_get_item (MmDownloadRow *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ROW (self), NULL);
  return self->item;
}

/**
 * mm_download_row_get_status:
 *
 * Returns: (transfer none): the state text ("Paused", "Completed · …")
 */
const char *
mm_download_row_get_status (MmDownloadRow *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

/**
 * mm_download_row_get_details:
 *
 * Returns: (transfer none): the progress line ("312.0 MB of 668.0 MB · …")
 */
const char *
mm_download_row_get_details (MmDownloadRow *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOAD_ROW (self), NULL);
  return gtk_label_get_label (self->details_label);
}

/**
 * mm_download_row_get_access_actions:
 *
 * Returns: the buttons shown for a download the Hub refused
 */
MmAccessActions
mm_download_row_get_access_actions (MmDownloadRow *self)
{
  MmAccessActions actions = MM_ACCESS_ACTION_NONE;

  g_return_val_if_fail (MM_IS_DOWNLOAD_ROW (self), MM_ACCESS_ACTION_NONE);

  if (!gtk_widget_get_visible (self->access_buttons))
    return MM_ACCESS_ACTION_NONE;
  if (gtk_widget_get_visible (self->token_button))
    actions |= MM_ACCESS_ACTION_ADD_TOKEN;
  if (gtk_widget_get_visible (self->page_button))
    actions |= MM_ACCESS_ACTION_OPEN_MODEL_PAGE;
  return actions;
}
