/* mm-application-downloads.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's side of downloading, split out of mm-application.c by
 * concern. The app owns one MmDownloadManager, made as soon as there is a
 * Hub client (after the token lookup), restored from its state file and
 * kept in step with the settings (folder, concurrency, bandwidth,
 * auto-resume). Requests that come before it exists (`--download` at
 * start) wait in a short list.
 *
 * Everything a notification, the command line or another process may ask
 * is an action with plain parameters: app.download (sss: repo id,
 * revision, quantization; the revision is the commit the user saw, or ""
 * for the main branch, and the queued item downloads that commit),
 * app.download-later (sss) for the "Download Later" window, app.pause-,
 * resume-, cancel- and retry-download (ss: repo id, quantization),
 * app.open-folder (s), app.show-downloads and app.background. A second
 * `model-manager --download REPO[@REV] QUANT [--revision REV]` registers,
 * finds the primary instance over D-Bus and activates app.download there.
 *
 * When an item completes or fails while no window of ours is active, a
 * GNotification says so. In background mode (the user chose to keep
 * downloading when closing the window) the app holds itself with the
 * window hidden; activating it shows the window again, and when the last
 * download stops the window goes away and the hold is released (items
 * waiting for the network or a schedule keep it).
 *
 * While anything downloads, an MmSuspendInhibitor keeps the computer awake.
 * A download asked for by name while the Hub cannot be reached (no
 * network, a server error) is not refused: it is tried again when the
 * network comes back, or every half minute.
 */
#define G_LOG_DOMAIN "mm-application"

#include "config.h"

#include "mm-application-private.h"

#include "mm-access-help.h"
#include "mm-suspend-inhibitor.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MmAppDownloads
{
  MmApplication     *app;          /* (unowned) it owns us */
  MmSettings        *settings;     /* (owned) */
  MmHubClient       *client;       /* (owned) (nullable) */
  MmDownloadManager *manager;      /* (owned) (nullable) */
  GPtrArray         *pending;      /* (owned) GVariant (sssb) for app.download */
  GPtrArray         *unreachable;  /* (owned) GVariant (sssb): asked for while the Hub was away */
  MmSuspendInhibitor *inhibitor;   /* (owned) (nullable) */
  guint              unreachable_id; /* retry of the unreachable requests */
  char              *load_error;   /* (owned) (nullable) not shown yet */
  GCancellable      *cancellable;  /* (owned) */
  gboolean           background;
  gboolean           show_downloads_wanted;
};

typedef struct {
  MmAppDownloads *self;            /* (unowned) alive while cancellable is not cancelled */
  char           *repo_id;         /* (owned) */
  char           *revision;        /* (owned) "" for the main branch */
  char           *quant;           /* (owned) */
  gboolean        later;
} DownloadRequest;

static void
download_request_free (DownloadRequest *request)
{
  g_free (request->repo_id);
  g_free (request->revision);
  g_free (request->quant);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownloadRequest, download_request_free)

static MmWindow *
get_window (MmAppDownloads *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self->app));

  return window != NULL && MM_IS_WINDOW (window) ? MM_WINDOW (window) : NULL;
}

static gboolean
window_is_active (MmAppDownloads *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self->app));

  return window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) &&
         gtk_window_is_active (window);
}

static char *
describe_item (MmDownloadItem *item)
{
  /* Translators: a model and its quantization, "TinyChat-1.1B-GGUF · Q4_K_M" */
  return g_strdup_printf (_("%s · %s"), mm_download_item_get_title (item),
                          mm_download_item_get_subtitle (item));
}

static void
error_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  const char *folder = g_object_get_data (G_OBJECT (dialog), "folder");

  if (g_str_equal (response, "open") && folder != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (user_data), "open-folder",
                                    g_variant_new_string (folder));
  else if (g_str_equal (response, "add-token"))
    g_action_group_activate_action (G_ACTION_GROUP (user_data), "add-token", NULL);
}

/* Errors for a person: a dialog over the window, else a notification.
 * With @folder the dialog offers to open it; with @offer_token, to add an
 * access token. */
static void
report_error_full (MmAppDownloads *self,
                   const char     *heading,
                   const char     *message,
                   const char     *folder,
                   gboolean        offer_token)
{
  MmWindow *window = get_window (self);
  GtkWidget *dialog;

  if (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window)))
    {
      g_autoptr(GNotification) notification = g_notification_new (heading);

      g_notification_set_body (notification, message);
      if (folder != NULL)
        g_notification_set_default_action_and_target (notification, "app.open-folder", "s",
                                                      folder);
      g_application_send_notification (G_APPLICATION (self->app), "download-error",
                                       notification);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (window), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  if (folder != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "open", _("_Open Folder"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
      g_object_set_data_full (G_OBJECT (dialog), "folder", g_strdup (folder), g_free);
    }
  else if (offer_token)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "add-token",
                                       _("_Add Access Token…"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add-token",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add-token");
    }
  g_signal_connect (dialog, "response", G_CALLBACK (error_response_cb), self->app);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report_error (MmAppDownloads *self,
              const char     *heading,
              const char     *message,
              const char     *folder)
{
  report_error_full (self, heading, message, folder, FALSE);
}

/* Items: notifications and background mode */

static void
leave_background (MmAppDownloads *self)
{
  if (!self->background)
    return;

  self->background = FALSE;
  g_application_release (G_APPLICATION (self->app));
}

static void
active_count_cb (MmAppDownloads *self)
{
  GList *windows;

  /* Items waiting for the network or their time keep the app, or nobody
   * would be there to start them. */
  if (!self->background || mm_download_manager_get_active_count (self->manager) > 0 ||
      mm_download_manager_get_waiting_count (self->manager) > 0)
    return;

  /* The last download stopped while nobody was looking: let the app end. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self->app)));
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (!gtk_widget_get_visible (l->data))
        gtk_window_destroy (l->data);
    }
  g_list_free (windows);
  leave_background (self);
}

/* A download that stops to wait while nobody looks: one notification per
 * reason (not per item), withdrawn when the network is back. */
static void
notify_waiting (MmAppDownloads *self,
                MmDownloadItem *item)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *what = describe_item (item);
  g_autofree char *body = NULL;

  switch (mm_download_item_get_wait_reason (item))
    {
    case MM_DOWNLOAD_ITEM_WAIT_NETWORK:
      notification = g_notification_new (_("Downloads Wait for the Network"));
      /* Translators: %s is a model and quantization, "TinyChat-1.1B-GGUF · Q4_K_M" */
      body = g_strdup_printf (_("%s continues when the computer is online again."), what);
      g_notification_set_body (notification, body);
      g_notification_set_default_action (notification, "app.show-downloads");
      g_application_send_notification (G_APPLICATION (self->app), "downloads-network",
                                       notification);
      break;
    case MM_DOWNLOAD_ITEM_WAIT_METERED:
      notification = g_notification_new (_("Downloads Paused on a Metered Connection"));
      /* Translators: %s is a model and quantization, "TinyChat-1.1B-GGUF · Q4_K_M" */
      body = g_strdup_printf (_("%s continues on an unmetered network."), what);
      g_notification_set_body (notification, body);
      g_notification_set_default_action (notification, "app.show-downloads");
      g_notification_add_button_with_target (notification, _("Resume Anyway"),
                                             "app.resume-download", "(ss)",
                                             mm_download_item_get_repo_id (item),
                                             mm_download_item_get_quant_name (item));
      g_application_send_notification (G_APPLICATION (self->app), "downloads-metered",
                                       notification);
      break;
    case MM_DOWNLOAD_ITEM_WAIT_SCHEDULE:
    case MM_DOWNLOAD_ITEM_WAIT_NONE:
    default:
      break;
    }
}

static void
item_state_changed_cb (MmDownloadManager   *manager,
                       MmDownloadItem      *item,
                       MmDownloadItemState  old_state,
                       MmAppDownloads      *self)
{
  MmDownloadItemState state = mm_download_item_get_state (item);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *what = NULL;

  if (state == MM_DOWNLOAD_ITEM_STATE_WAITING && !window_is_active (self))
    {
      notify_waiting (self, item);
      return;
    }
  if (state != MM_DOWNLOAD_ITEM_STATE_COMPLETED && state != MM_DOWNLOAD_ITEM_STATE_FAILED)
    return;
  if (window_is_active (self))
    return;

  what = describe_item (item);
  id = g_strdup_printf ("download-%s-%s", mm_download_item_get_repo_id (item),
                        mm_download_item_get_quant_name (item));

  if (state == MM_DOWNLOAD_ITEM_STATE_COMPLETED)
    {
      notification = g_notification_new (_("Download Complete"));
      g_notification_set_body (notification, what);
      g_notification_set_default_action_and_target (notification, "app.open-folder", "s",
                                                    mm_download_item_get_folder (item));
      g_notification_add_button_with_target (notification, _("Open Folder"), "app.open-folder",
                                             "s", mm_download_item_get_folder (item));
    }
  else
    {
      const GError *error = mm_download_item_get_error (item);
      g_autofree char *body = NULL;

      /* Translators: "TinyChat-1.1B-GGUF · Q4_K_M: Not enough free space …" */
      body = error ? g_strdup_printf (_("%s: %s"), what, error->message) : g_strdup (what);
      notification = g_notification_new (_("Download Failed"));
      g_notification_set_body (notification, body);
      g_notification_set_default_action (notification, "app.show-downloads");
      g_notification_add_button_with_target (notification, _("Retry"), "app.retry-download",
                                             "(ss)", mm_download_item_get_repo_id (item),
                                             mm_download_item_get_quant_name (item));
    }

  g_application_send_notification (G_APPLICATION (self->app), id, notification);
}

/* app.download */

static MmQuant *
find_quant (GPtrArray  *quants,
            const char *name)
{
  MmQuant *by_name = NULL;
  guint n_by_name = 0;

  for (guint i = 0; quants != NULL && i < quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (quants, i);

      if (g_strcmp0 (mm_quant_get_label (quant), name) == 0)
        return quant;
      if (g_ascii_strcasecmp (mm_quant_get_name (quant), name) == 0)
        {
          by_name = quant;
          n_by_name++;
        }
    }

  return n_by_name == 1 ? by_name : NULL;
}

/* What was just queued, its size and where it goes, in words that say
 * when it starts: "Downloading Q4_K_M (668 MB) to ~/Models/…". */
static char *
describe_queued (MmDownloadItem *item,
                 gboolean        with_folder)
{
  g_autofree char *size = mm_format_size (mm_download_item_get_total_bytes (item));
  g_autofree char *folder = mm_format_folder (mm_download_item_get_folder (item));
  const char *quant = mm_download_item_get_subtitle (item);
  GDateTime *start = mm_download_item_get_scheduled_start (item);

  if (start != NULL)
    {
      g_autofree char *time = g_date_time_format (start, "%R");

      if (with_folder)
        /* Translators: a toast; the first %s is a quantization, the second a size
         * such as "668.0 MB", the third a time such as "01:00", the fourth a folder */
        return g_markup_printf_escaped (_("%s (%s) will download at %s to %s"), quant, size, time,
                                folder);
      /* Translators: a toast in a narrow window (about 28 characters fit); a
       * quantization, a size and a time such as "01:00" */
      return g_markup_printf_escaped (_("%s (%s) will download at %s"), quant, size, time);
    }

  if (with_folder)
    /* Translators: a toast; the first %s is a quantization, the second a size
     * such as "668.0 MB", the third a folder */
    return g_markup_printf_escaped (_("Downloading %s (%s) to %s"), quant, size, folder);
  /* Translators: a toast in a narrow window (about 28 characters fit); a
   * quantization and a size such as "668.0 MB" */
  return g_markup_printf_escaped (_("Downloading %s (%s)"), quant, size);
}

static void
queued_toast (MmAppDownloads *self,
              MmDownloadItem *item)
{
  MmWindow *window = get_window (self);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (window == NULL)
    return;

  /* A narrow window has no room for the folder next to Show: there the
   * toast says what and how large, without a button: the Downloads button
   * of the bottom switcher bar, right below, counts it and shows the view. */
  title = describe_queued (item, !mm_window_get_narrow (window));
  toast = adw_toast_new (title);
  if (!mm_window_get_narrow (window))
    {
      adw_toast_set_button_label (toast, _("_Show"));
      adw_toast_set_action_name (toast, "app.show-downloads");
    }
  mm_window_add_toast (window, toast);
}

static void     wait_for_hub         (MmAppDownloads  *self,
                                      DownloadRequest *request);
static gboolean error_is_unreachable (const GError    *error);

static void
model_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DownloadRequest) request = user_data;
  MmAppDownloads *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GPtrArray) projectors = NULL;
  g_autofree char *heading = NULL;
  MmQuant *quant;

  model = mm_hub_client_model_info_finish (MM_HUB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Translators: %s is a quantization such as "Q4_K_M" */
  heading = g_strdup_printf (_("Could Not Download %s"), request->quant);

  if (model == NULL && error_is_unreachable (error))
    {
      wait_for_hub (self, request);
      return;
    }

  if (model == NULL)
    {
      MmAccessHelp help;

      /* A private or missing model, a refused token: as everywhere else. */
      if (mm_access_help_init_from_error (&help, error, MM_GATED_NO))
        report_error_full (self, help.title, help.explanation, NULL,
                           (help.actions & MM_ACCESS_ACTION_ADD_TOKEN) != 0);
      else
        report_error (self, heading, error->message, NULL);
      return;
    }

  quants = mm_quant_group_files (mm_model_get_files (model), mm_system_get_total_memory (),
                                 &projectors, NULL);
  quant = find_quant (quants, request->quant);
  if (quant == NULL)
    quant = find_quant (projectors, request->quant);
  if (quant == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a model id, the second a quantization */
      message = g_strdup_printf (_("%s has no quantization called “%s”."), request->repo_id,
                                 request->quant);
      report_error (self, heading, message, NULL);
      return;
    }

  _mm_app_downloads_add_quant (self, model, quant,
                               request->later ? MM_DOWNLOAD_WHEN_LATER : MM_DOWNLOAD_WHEN_NOW);
}

static void start_download (MmAppDownloads *self,
                            GVariant       *parameter);

static gboolean
retry_unreachable_cb (gpointer user_data)
{
  MmAppDownloads *self = user_data;
  g_autoptr(GPtrArray) requests = g_steal_pointer (&self->unreachable);

  self->unreachable_id = 0;
  self->unreachable = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < requests->len; i++)
    start_download (self, g_ptr_array_index (requests, i));

  return G_SOURCE_REMOVE;
}

static void
network_available_cb (MmAppDownloads *self)
{
  if (mm_download_manager_get_network_available (self->manager))
    g_application_withdraw_notification (G_APPLICATION (self->app), "downloads-network");
  if (!mm_download_manager_get_network_metered (self->manager))
    g_application_withdraw_notification (G_APPLICATION (self->app), "downloads-metered");

  if (self->unreachable->len > 0 && mm_download_manager_get_network_available (self->manager))
    {
      g_clear_handle_id (&self->unreachable_id, g_source_remove);
      retry_unreachable_cb (self);
    }
}

/* The Hub could not be reached: try again when the network is back, or in
 * half a minute, and tell the user once. */
static void
wait_for_hub (MmAppDownloads  *self,
              DownloadRequest *request)
{
  g_autofree char *title = NULL;

  g_ptr_array_add (self->unreachable,
                   g_variant_ref_sink (g_variant_new ("(sssb)", request->repo_id, request->revision,
                                                      request->quant, request->later)));
  if (self->unreachable_id == 0)
    {
      self->unreachable_id = g_timeout_add_seconds (30, retry_unreachable_cb, self);
      g_source_set_name_by_id (self->unreachable_id, "[mm] retry download requests");
    }

  /* Translators: %s is a model and quantization, "TinyChat-1.1B-GGUF Q4_K_M" */
  title = g_strdup_printf (_("%s %s will be downloaded when the Hub can be reached"),
                           request->repo_id, request->quant);
  if (get_window (self) != NULL && gtk_widget_get_visible (GTK_WIDGET (get_window (self))))
    mm_window_add_toast (get_window (self), adw_toast_new (title));
  else
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Waiting for Network"));

      g_notification_set_body (notification, title);
      g_application_send_notification (G_APPLICATION (self->app), "download-waiting",
                                       notification);
    }
}

static gboolean
error_is_unreachable (const GError *error)
{
  return g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE) ||
         g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER) ||
         g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
}

static void
add_quant (MmAppDownloads *self,
           MmModel        *model,
           MmQuant        *quant,
           MmDownloadWhen  when)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *heading = NULL;
  MmDownloadItem *item;

  if (self->manager == NULL)
    return;

  if (when == MM_DOWNLOAD_WHEN_LATER)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      GSettings *gsettings = mm_settings_get_gsettings (self->settings);
      int from = g_settings_get_int (gsettings, "schedule-start");
      int until = g_settings_get_int (gsettings, "schedule-end");

      start = mm_download_window_next_start (now, (guint) CLAMP (from, 0, 1439),
                                             (guint) CLAMP (until, 0, 1439), &end);
    }

  item = mm_download_manager_add_quant_later (self->manager, model, quant, start, end, &error);
  if (item == NULL)
    {
      g_autofree char *folder = NULL;

      /* Translators: %s is a quantization such as "Q4_K_M" */
      heading = g_strdup_printf (_("Could Not Download %s"), mm_quant_get_label (quant));
      if (g_error_matches (error, MM_DOWNLOAD_MANAGER_ERROR,
                           MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED))
        {
          folder = g_build_filename (mm_download_manager_get_download_dir (self->manager),
                                     mm_model_get_id (model), NULL);
          g_free (heading);
          heading = g_strdup (_("Already Downloaded"));
        }
      report_error (self, heading, error->message, folder);
      return;
    }

  if (when == MM_DOWNLOAD_WHEN_NOW_METERED)
    mm_download_item_set_allow_metered (item, TRUE);
  queued_toast (self, item);
}

/* Questions before a download. A download starts at once, and the toast
 * says what and where; a question comes only when there is something to
 * decide: a metered network with the policy "ask", or a split set over
 * LARGE_SET_SIZE. (Not enough space and "already downloaded" come back
 * from the manager, as errors that offer what to do.) Every way to ask for
 * a download comes through here, so each asks the same. */

/* A split set larger than this asks before it starts: it takes hours and
 * fills a disk, and a click on the wrong row should not do that unasked. */
#define LARGE_SET_SIZE (G_GUINT64_CONSTANT (50) * 1000 * 1000 * 1000)

typedef struct {
  MmApplication *app;     /* (owned) */
  MmModel       *model;   /* (owned) */
  MmQuant       *quant;   /* (owned) */
  gboolean       later;
} Question;

static void
question_free (gpointer  data,
               GClosure *closure)
{
  Question *question = data;

  g_clear_object (&question->app);
  g_clear_object (&question->model);
  g_clear_object (&question->quant);
  g_free (question);
}

static void
question_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      Question         *question)
{
  MmAppDownloads *self = _mm_application_get_downloads (question->app);

  if (self == NULL)
    return;
  if (g_str_equal (response, "download"))
    add_quant (self, question->model, question->quant,
               question->later ? MM_DOWNLOAD_WHEN_LATER : MM_DOWNLOAD_WHEN_NOW);
  else if (g_str_equal (response, "anyway"))
    add_quant (self, question->model, question->quant, MM_DOWNLOAD_WHEN_NOW_METERED);
}

static void
ask (MmAppDownloads *self,
     GtkWindow      *parent,
     MmModel        *model,
     MmQuant        *quant,
     gboolean        later,
     const char     *heading,
     const char     *body,
     gboolean        metered)
{
  AdwMessageDialog *dialog;
  Question *question;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  if (metered)
    adw_message_dialog_add_responses (dialog,
                                      /* Translators: queue it; it starts on an unmetered network */
                                      "download", _("When _Unmetered"),
                                      "anyway", _("Download _Anyway"),
                                      NULL);
  else
    {
      adw_message_dialog_add_response (dialog, "download",
                                       later ? _("Download _Later") : _("_Download"));
      adw_message_dialog_set_response_appearance (dialog, "download", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (dialog, "download");
  adw_message_dialog_set_close_response (dialog, "cancel");

  question = g_new0 (Question, 1);
  question->app = g_object_ref (self->app);
  question->model = g_object_ref (model);
  question->quant = g_object_ref (quant);
  question->later = later;
  g_signal_connect_data (dialog, "response", G_CALLBACK (question_response_cb), question,
                         question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Asks about a large split set: its size, where it goes, the free space. */
static void
ask_large_set (MmAppDownloads *self,
               GtkWindow      *parent,
               MmModel        *model,
               MmQuant        *quant,
               gboolean        later)
{
  const char *base = mm_download_manager_get_hf_cache_dir (self->manager);
  const char *download_dir = mm_download_manager_get_download_dir (self->manager);
  guint parts = mm_quant_get_split_count (quant);
  g_autofree char *size = mm_format_size (mm_quant_get_size (quant));
  g_autofree char *folder = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *free_text = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  guint64 free_space;

  if (base != NULL)
    folder = mm_hf_cache_repo_folder (base, mm_model_get_id (model));
  else
    folder = g_build_filename (download_dir, mm_model_get_id (model), NULL);
  shown = mm_format_folder (folder);
  free_space = mm_system_get_free_space (base != NULL ? base : download_dir);
  free_text = free_space != G_MAXUINT64 ? mm_format_size (free_space) : NULL;

  /* Translators: %s is a size such as "75.0 GB" */
  heading = g_strdup_printf (_("Download %s?"), size);
  if (free_text != NULL)
    /* Translators: the first %s is a quantization such as "Q8_0", %u a number
     * of files, the second %s a folder, the third a size such as "120.5 GB" */
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s comes in %u file, saved in %s. A download "
                                         "this large takes long; the disk has %s free.",
                                         "%s comes in %u files, saved in %s. A download "
                                         "this large takes long; the disk has %s free.",
                                         parts),
                            mm_quant_get_label (quant), parts, shown, free_text);
  else
    /* Translators: the first %s is a quantization such as "Q8_0", %u a number
     * of files, the second %s a folder */
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s comes in %u file, saved in %s. A download "
                                         "this large takes long.",
                                         "%s comes in %u files, saved in %s. A download "
                                         "this large takes long.", parts),
                            mm_quant_get_label (quant), parts, shown);
  ask (self, parent, model, quant, later, heading, body, FALSE);
}

/**
 * _mm_app_downloads_add_quant:
 * @when: now, later (the Download Later window), or now even on a
 *   metered network
 *
 * Queues @quant of @model, from objects the caller already has: nothing is
 * asked of the Hub, so this works offline (the item then waits for the
 * network). With a window to ask in, a decision is asked first; problems
 * are reported to the user.
 */
void
_mm_app_downloads_add_quant (MmAppDownloads *self,
                             MmModel        *model,
                             MmQuant        *quant,
                             MmDownloadWhen  when)
{
  /* Over whichever of our windows the request came from: the main one,
   * or the compare window. */
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self->app));
  gboolean later = when == MM_DOWNLOAD_WHEN_LATER;

  g_return_if_fail (MM_IS_MODEL (model));
  g_return_if_fail (MM_IS_QUANT (quant));

  if (self->manager == NULL)
    return;

  if (parent != NULL && gtk_widget_get_visible (GTK_WIDGET (parent)))
    {
      if (when == MM_DOWNLOAD_WHEN_NOW && mm_download_manager_get_network_metered (self->manager) &&
          mm_download_manager_get_metered_policy (self->manager) == MM_METERED_POLICY_ASK)
        {
          g_autofree char *size = mm_format_size (mm_quant_get_size (quant));
          /* Translators: %s is a quantization such as "Q4_K_M" */
          g_autofree char *heading = g_strdup_printf (_("Download %s on a Metered Network?"),
                                                      mm_quant_get_label (quant));
          /* Translators: %s is a size such as "668.0 MB" */
          g_autofree char *body = g_strdup_printf (_("This network is metered and may charge "
                                                     "for data. Download %s now anyway, or when "
                                                     "the computer is on an unmetered network."),
                                                   size);

          ask (self, parent, model, quant, later, heading, body, TRUE);
          return;
        }
      if (when != MM_DOWNLOAD_WHEN_NOW_METERED && mm_quant_get_is_split (quant) &&
          mm_quant_get_size (quant) > LARGE_SET_SIZE)
        {
          ask_large_set (self, parent, model, quant, later);
          return;
        }
    }

  add_quant (self, model, quant, when);
}

static void
start_download (MmAppDownloads *self,
                GVariant       *parameter)
{
  DownloadRequest *request = g_new0 (DownloadRequest, 1);

  request->self = self;
  g_variant_get (parameter, "(sssb)", &request->repo_id, &request->revision, &request->quant,
                 &request->later);
  /* The model as it was at that commit: its files and their checksums,
   * and the commit the item records and downloads. */
  mm_hub_client_model_info_async (self->client, request->repo_id,
                                  request->revision[0] != '\0' ? request->revision : NULL,
                                  self->cancellable, model_info_cb, request);
}

static void
download_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MmAppDownloads *self = user_data;
  const char *repo_id = NULL;
  const char *revision = NULL;
  const char *quant = NULL;
  g_autoptr(GVariant) request = NULL;

  g_variant_get (parameter, "(&s&s&s)", &repo_id, &revision, &quant);
  request = g_variant_ref_sink (g_variant_new ("(sssb)", repo_id, revision, quant,
                                               g_str_equal (g_action_get_name (G_ACTION (action)),
                                                            "download-later")));
  if (self->manager == NULL)
    g_ptr_array_add (self->pending, g_steal_pointer (&request));
  else
    start_download (self, request);
}

/* Actions on one item */

static MmDownloadItem *
find_item (MmAppDownloads *self,
           GVariant       *parameter)
{
  const char *repo_id = NULL;
  const char *quant = NULL;

  if (self->manager == NULL)
    return NULL;

  g_variant_get (parameter, "(&s&s)", &repo_id, &quant);
  return mm_download_manager_find (self->manager, repo_id, quant);
}

static void
pause_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MmDownloadItem *item = find_item (user_data, parameter);

  if (item != NULL)
    mm_download_item_pause (item);
}

static void
resume_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MmDownloadItem *item = find_item (user_data, parameter);

  if (item != NULL)
    mm_download_item_resume (item);
}

static void
cancel_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MmDownloadItem *item = find_item (user_data, parameter);

  /* Keeps the partial files, as the Cancel button does. */
  if (item != NULL)
    mm_download_item_cancel (item, FALSE);
}

static void
retry_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MmDownloadItem *item = find_item (user_data, parameter);

  if (item != NULL)
    mm_download_item_retry (item);
}

static void
open_folder_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MmAppDownloads *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (get_window (self)), uri, GDK_CURRENT_TIME);
}

static void
show_downloads_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  MmAppDownloads *self = user_data;
  MmWindow *window = get_window (self);

  if (window != NULL)
    mm_window_show_downloads (window);
  else
    self->show_downloads_wanted = TRUE;
  g_application_activate (G_APPLICATION (self->app));
}

static void
background_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MmAppDownloads *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self->app));

  if (self->manager == NULL || (mm_download_manager_get_active_count (self->manager) == 0 &&
                                mm_download_manager_get_waiting_count (self->manager) == 0))
    return;

  if (!self->background)
    {
      self->background = TRUE;
      g_application_hold (G_APPLICATION (self->app));
    }
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_widget_set_visible (l->data, FALSE);
}

/* "Save downloads in": new items go to the download folder or to the
 * Hugging Face cache, in its own layout. */
static void
download_location_cb (MmSettings        *settings,
                      GParamSpec        *pspec,
                      MmDownloadManager *manager)
{
  g_autofree char *hf_cache = NULL;

  if (mm_settings_get_download_location (settings) == MM_DOWNLOAD_LOCATION_HF_CACHE)
    hf_cache = mm_hf_cache_dup_dir (NULL);
  mm_download_manager_set_hf_cache_dir (manager, hf_cache);
}

static const GActionEntry download_actions[] = {
  { .name = "download", .activate = download_action_cb, .parameter_type = "(sss)" },
  { .name = "download-later", .activate = download_action_cb, .parameter_type = "(sss)" },
  { .name = "pause-download", .activate = pause_action_cb, .parameter_type = "(ss)" },
  { .name = "resume-download", .activate = resume_action_cb, .parameter_type = "(ss)" },
  { .name = "cancel-download", .activate = cancel_action_cb, .parameter_type = "(ss)" },
  { .name = "retry-download", .activate = retry_action_cb, .parameter_type = "(ss)" },
  { .name = "open-folder", .activate = open_folder_action_cb, .parameter_type = "s" },
  { .name = "show-downloads", .activate = show_downloads_action_cb },
  { .name = "background", .activate = background_action_cb },
};

/* The manager */

static void
create_manager (MmAppDownloads *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = mm_settings_dup_effective_download_folder (self->settings);
  g_autoptr(GPtrArray) pending = NULL;

  self->manager = mm_download_manager_new (self->client, folder, NULL);

  /* Live: Preferences change these while downloads run. Before load, so
   * that auto-resume decides how unfinished items come back. */
  g_object_bind_property (self->settings, "max-concurrent", self->manager, "max-concurrent",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "rate-limit", self->manager, "rate-limit",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "connections", self->manager, "connections",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "auto-resume", self->manager, "auto-resume",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "effective-download-folder",
                          self->manager, "download-dir", G_BINDING_SYNC_CREATE);
  g_settings_bind (mm_settings_get_gsettings (self->settings), "metered-policy",
                   self->manager, "metered-policy", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "notify::download-location",
                           G_CALLBACK (download_location_cb), self->manager, 0);
  download_location_cb (self->settings, NULL, self->manager);

  g_signal_connect (self->manager, "item-state-changed", G_CALLBACK (item_state_changed_cb), self);
  g_signal_connect_swapped (self->manager, "notify::active-count",
                            G_CALLBACK (active_count_cb), self);
  g_signal_connect_swapped (self->manager, "notify::waiting-count",
                            G_CALLBACK (active_count_cb), self);
  g_signal_connect_swapped (self->manager, "notify::network-available",
                            G_CALLBACK (network_available_cb), self);
  g_signal_connect_swapped (self->manager, "notify::network-metered",
                            G_CALLBACK (network_available_cb), self);
  self->inhibitor = mm_suspend_inhibitor_new (GTK_APPLICATION (self->app), self->manager);

  /* A damaged list is moved aside by the manager; say so, never crash. */
  if (!mm_download_manager_load (self->manager, &error))
    {
      g_warning ("Could not restore the downloads: %s", error->message);
      self->load_error = g_strdup (error->message);
    }
  pending = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  for (guint i = 0; i < pending->len; i++)
    start_download (self, g_ptr_array_index (pending, i));
}

MmAppDownloads *
_mm_app_downloads_new (MmApplication *app,
                       MmSettings    *settings)
{
  MmAppDownloads *self = g_new0 (MmAppDownloads, 1);

  self->app = app;
  self->settings = g_object_ref (settings);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->unreachable = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->cancellable = g_cancellable_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), download_actions,
                                   G_N_ELEMENTS (download_actions), self);
  return self;
}

void
_mm_app_downloads_free (MmAppDownloads *self)
{
  if (self == NULL)
    return;

  /* Requests in flight point at us: cancel them first. */
  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (download_actions); i++)
    g_action_map_remove_action (G_ACTION_MAP (self->app), download_actions[i].name);

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);

  g_clear_handle_id (&self->unreachable_id, g_source_remove);
  g_clear_object (&self->inhibitor);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->unreachable, g_ptr_array_unref);
  g_clear_object (&self->manager);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->load_error, g_free);
  g_free (self);
}

/**
 * _mm_app_downloads_set_client:
 *
 * The first client makes the manager. Later clients (another endpoint or
 * token) serve new requests and every item from its next attempt on, so
 * that Retry after adding an access token sends it; transfers that are
 * running finish with the client they started with.
 */
void
_mm_app_downloads_set_client (MmAppDownloads *self,
                              MmHubClient    *client)
{
  if (!g_set_object (&self->client, client) || self->client == NULL)
    return;

  if (self->manager == NULL)
    create_manager (self);
  else
    mm_download_manager_set_client (self->manager, self->client);
}

MmDownloadManager *
_mm_app_downloads_get_manager (MmAppDownloads *self)
{
  return self->manager;
}

/* A new window shows the downloads, and what went wrong restoring them. */
void
_mm_app_downloads_attach_window (MmAppDownloads *self,
                                 MmWindow       *window)
{
  mm_window_set_download_manager (window, self->manager);

  if (self->show_downloads_wanted)
    mm_window_show_downloads (window);
  self->show_downloads_wanted = FALSE;

  if (self->load_error != NULL)
    {
      g_autofree char *message = g_steal_pointer (&self->load_error);

      report_error (self, _("Some Downloads Could Not Be Restored"), message, NULL);
    }
}

/* Launching the app again (or a notification) brings the window back. */
void
_mm_app_downloads_activate (MmAppDownloads *self)
{
  leave_background (self);
}

/**
 * _mm_app_downloads_ask_before_quitting:
 *
 * Returns: %TRUE when downloads run: the window was asked to close, and
 *   asks the user whether to pause them or keep downloading
 */
gboolean
_mm_app_downloads_ask_before_quitting (MmAppDownloads *self)
{
  MmWindow *window = get_window (self);

  if (window == NULL || self->manager == NULL ||
      mm_download_manager_get_active_count (self->manager) == 0)
    return FALSE;

  gtk_window_present (GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (window));
  return TRUE;
}

void
_mm_app_downloads_add_main_options (GApplication *app)
{
  const GOptionEntry entries[] = {
    { "download", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Add REPO’s quantization QUANT to the downloads of the running instance"), NULL },
    { "revision", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("With --download: the commit or branch to download (also REPO@REV)"), N_("REV") },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL, NULL,
      N_("[REPO[@REV] QUANT]") },
    { NULL },
  };

  g_application_add_main_option_entries (app, entries);
}

/**
 * _mm_app_downloads_handle_local_options:
 *
 * `--download REPO[@REV] QUANT [--revision REV]`: registers (which finds a
 * running instance over D-Bus) and activates app.download there. A remote
 * call ends this process; in the primary instance the app starts as usual
 * with the item queued.
 *
 * Returns: an exit status, or -1 to carry on
 */
int
_mm_app_downloads_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *repo_id = NULL;
  const char *at;

  if (!g_variant_dict_contains (options, "download"))
    return -1;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^as", &args);
  g_variant_dict_lookup (options, "revision", "s", &revision);
  if (args == NULL || g_strv_length (args) != 2)
    {
      g_printerr ("%s\n", _("Usage: model-manager --download REPO[@REV] QUANT [--revision REV]"));
      return 2;
    }

  /* A repository id has no "@": what follows one is the revision. */
  at = strchr (args[0], '@');
  repo_id = at != NULL ? g_strndup (args[0], (gsize) (at - args[0])) : g_strdup (args[0]);
  if (at != NULL && revision != NULL && !g_str_equal (at + 1, revision))
    {
      g_printerr ("%s\n", _("The revision was given twice, and differently."));
      return 2;
    }
  if (at != NULL && revision == NULL)
    revision = g_strdup (at + 1);
  if (repo_id[0] == '\0' || (revision != NULL && revision[0] == '\0'))
    {
      g_printerr ("%s\n", _("Usage: model-manager --download REPO[@REV] QUANT [--revision REV]"));
      return 2;
    }

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_action_group_activate_action (G_ACTION_GROUP (app), "download",
                                  g_variant_new ("(sss)", repo_id,
                                                 revision != NULL ? revision : "", args[1]));
  if (g_application_get_is_remote (app))
    return 0;

  return -1;
}
