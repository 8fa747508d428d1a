/* test-downloads-ui.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The downloads as a person meets them: the real MmApplication (registered
 * on the test's D-Bus session, so each test runs in a subprocess of its
 * own), its window and download manager, against the mock Hub and a
 * temporary download folder. A quantization is queued from the detail
 * pane's Download button and its confirmation; a row is paused, resumed,
 * cancelled and retried through its buttons (found by their tooltips,
 * which are also their accessible labels); a second `model-manager
 * --download` process reaches the running instance. A fake notification
 * server on the bus takes GNotifications. Every wait has a timeout.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "mm-adaptive-box.h"
#include "mm-application.h"
#include "mm-compare-window.h"
#include "mm-download-item-private.h"
#include "mm-download-manager-private.h"
#include "mm-download-row.h"
#include "mm-downloads-page.h"
#include "mm-fake-network-monitor.h"
#include "mm-fake-session-manager.h"
#include "mm-mock-hub.h"
#include "mm-model-detail.h"
#include "mm-preferences-window.h"
#include "mm-quant-row.h"
#include "mm-search-results-private.h"
#include "mm-test-utils.h"
#include "mm-use-with-dialog.h"
#include "mm-window.h"

#define TIMEOUT_MS     20000
#define SUBPROCESS_US  (120 * G_USEC_PER_SEC)
#define REPO           "tiny-org/Pico-GGUF"
#define KIB            1024

static MmMockHub *hub;
static guint n_notifications;

typedef struct {
  char          *dir;
  GSettings     *settings;
  MmApplication *app;
  MmWindow      *window;
} Fixture;

/* A minimal org.freedesktop.Notifications, so that GNotification has
 * somewhere to go on a bare test bus. */

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'>"
  "<arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "</interface></node>";

static void
notifications_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      n_notifications++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n_notifications));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gboolean acquired = FALSE;

  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, NULL);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                &acquired, NULL);
  mm_test_wait_until (mm_test_flag_is_set, &acquired, TIMEOUT_MS);
}

/* Fixture: the application, as `model-manager` runs it */

static gboolean
has_window_cb (gpointer data)
{
  Fixture *fixture = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));

  return window != NULL && MM_IS_WINDOW (window) &&
         mm_application_get_download_manager (fixture->app) != NULL;
}

static gboolean
fixture_setup (Fixture *fixture)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No D-Bus session bus (run under dbus-run-session)");
      return FALSE;
    }

  g_unsetenv ("HF_TOKEN");
  g_unsetenv ("HUGGING_FACE_HUB_TOKEN");
  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);

  fixture->dir = g_dir_make_tmp ("mm-downloads-ui-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  g_assert_nonnull (schema);
  /* The memory backend is shared by the whole process: the app sees this. */
  fixture->settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_string (fixture->settings, "download-folder", fixture->dir);
  g_settings_set_boolean (fixture->settings, "first-run-done", TRUE);

  serve_notifications ();

  fixture->app = mm_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (fixture->app)));

  g_application_activate (G_APPLICATION (fixture->app));
  mm_test_wait_until (has_window_cb, fixture, TIMEOUT_MS);
  fixture->window = MM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  g_assert_true (mm_window_get_download_manager (fixture->window) ==
                 mm_application_get_download_manager (fixture->app));

  return TRUE;
}

static void
fixture_teardown (Fixture *fixture)
{
  gpointer window = fixture->window;

  /* Nothing is running any more: the window closes without asking. */
  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mm_test_wait_until (mm_test_pointer_is_null, &window, TIMEOUT_MS);

  g_object_unref (fixture->app);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->dir, g_free);
}

/* Helpers */

static MmDownloadManager *
get_manager (Fixture *fixture)
{
  return mm_application_get_download_manager (fixture->app);
}

typedef struct {
  MmDownloadManager *manager;
  const char        *quant;
} FindArgs;

static gboolean
item_exists_cb (gpointer data)
{
  FindArgs *args = data;

  return mm_download_manager_find (args->manager, REPO, args->quant) != NULL;
}

static MmDownloadItem *
wait_for_item (Fixture    *fixture,
               const char *quant)
{
  FindArgs args = { get_manager (fixture), quant };

  mm_test_wait_until (item_exists_cb, &args, TIMEOUT_MS);
  return mm_download_manager_find (args.manager, REPO, quant);
}

typedef struct {
  MmDownloadItem      *item;
  MmDownloadItemState  state;
  guint64              min_bytes;
} StateArgs;

static gboolean
item_state_cb (gpointer data)
{
  StateArgs *args = data;

  return mm_download_item_get_state (args->item) == args->state &&
         mm_download_item_get_bytes_received (args->item) >= args->min_bytes;
}

static void
wait_for_state (MmDownloadItem      *item,
                MmDownloadItemState  state,
                guint64              min_bytes)
{
  StateArgs args = { item, state, min_bytes };

  mm_test_wait_until (item_state_cb, &args, TIMEOUT_MS);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
click (GtkWidget  *row,
       const char *tooltip)
{
  GtkWidget *button = find_button (row, tooltip);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static MmDownloadRow *
row_for (Fixture        *fixture,
         MmDownloadItem *item,
         gboolean        finished)
{
  MmDownloadsPage *page = mm_window_get_downloads_page (fixture->window);
  gboolean in_finished = !finished;
  MmDownloadRow *row = mm_downloads_page_find_row (page, item, &in_finished);

  g_assert_nonnull (row);
  g_assert_cmpint (in_finished, ==, finished);
  return row;
}

static GtkWidget *
row_child (MmDownloadRow *row,
           const char    *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), MM_TYPE_DOWNLOAD_ROW,
                                                    name));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_dialog_cb (gpointer data)
{
  return find_dialog () != NULL;
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog;

  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct {
  MmWindow   *window;
  const char *text;
} SearchArgs;

static gboolean
results_ready_cb (gpointer data)
{
  SearchArgs *args = data;
  GListModel *results = mm_window_get_results (args->window);

  return results != NULL &&
         g_strcmp0 (_mm_search_results_get_text (MM_SEARCH_RESULTS (results)), args->text) == 0 &&
         !mm_search_results_get_loading (MM_SEARCH_RESULTS (results)) &&
         g_list_model_get_n_items (results) > 0 &&
         g_strcmp0 (mm_window_get_results_state (args->window), "results") == 0;
}

static gboolean
detail_content_cb (gpointer data)
{
  return g_strcmp0 (mm_model_detail_get_state (data), "content") == 0;
}

static void
open_model (Fixture    *fixture,
            const char *search,
            const char *repo)
{
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  SearchArgs args = { fixture->window, search };
  GListModel *results;
  int position = -1;

  gtk_editable_set_text (mm_window_get_search_entry (fixture->window), search);
  mm_test_wait_until (results_ready_cb, &args, TIMEOUT_MS);
  results = mm_window_get_results (fixture->window);
  for (guint i = 0; i < g_list_model_get_n_items (results) && position < 0; i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (results, i);

      if (g_str_equal (mm_model_get_id (model), repo))
        position = (int) i;
    }
  g_assert_cmpint (position, >=, 0);
  gtk_widget_activate_action (GTK_WIDGET (mm_window_get_results_view (fixture->window)),
                              "list.activate-item", "u", (guint) position);
  mm_test_wait_until (detail_content_cb, detail, TIMEOUT_MS);
}

static void
open_pico (Fixture *fixture)
{
  open_model (fixture, "Pico", REPO);
}

static char *
file_path (Fixture    *fixture,
           const char *name)
{
  return g_build_filename (fixture->dir, "tiny-org", "Pico-GGUF", name, NULL);
}

static guint64
file_size (const char *path)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return 0;
  return (guint64) buf.st_size;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelArgs;

static gboolean has_label_cb (gpointer data);

/* Tests (each body runs in its own subprocess) */

static void
test_detail_download (void)
{
  Fixture fixture = { 0 };
  MmModelDetail *detail;
  MmQuantRow *quant_row;
  AdwMessageDialog *dialog;
  MmDownloadItem *item;
  MmDownloadRow *row;
  g_autofree char *path = NULL;
  g_autofree char *toast = NULL;
  LabelArgs args;

  if (!fixture_setup (&fixture))
    return;

  g_assert_cmpstr (mm_downloads_page_get_state (mm_window_get_downloads_page (fixture.window)),
                   ==, "empty");

  open_pico (&fixture);
  detail = mm_window_get_detail (fixture.window);
  quant_row = MM_QUANT_ROW (mm_model_detail_find_quant_row (detail, "Q4_K_M"));
  g_assert_nonnull (quant_row);
  g_assert_true (mm_quant_row_get_can_download (quant_row));
  g_assert_null (mm_quant_row_get_item (quant_row));

  /* No question: it starts at once, and the toast names the size and the
   * folder (the window is wide). */
  mm_quant_row_activate_download (quant_row);
  g_assert_null (find_dialog ());
  toast = g_strdup_printf ("Downloading Q4_K_M (307.2\u00a0kB) to %s/tiny-org/Pico-GGUF",
                           fixture.dir);
  args.root = mm_window_get_toast_overlay (fixture.window);
  args.text = toast;
  mm_test_wait_until (has_label_cb, &args, TIMEOUT_MS);
  item = wait_for_item (&fixture, "Q4_K_M");
  g_assert_true (mm_quant_row_get_item (quant_row) == item);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);

  path = file_path (&fixture, "Pico-Q4_K_M.gguf");
  g_assert_cmpuint (file_size (path), ==, 300 * KIB);

  /* The Downloads view: one finished row that says so, Open Folder offered. */
  g_assert_cmpstr (mm_downloads_page_get_state (mm_window_get_downloads_page (fixture.window)),
                   ==, "list");
  row = row_for (&fixture, item, TRUE);
  g_assert_true (g_str_has_prefix (mm_download_row_get_status (row), "Verified · 307.2\u00a0kB"));
  g_assert_nonnull (find_button (GTK_WIDGET (row), "Open Folder"));
  g_assert_null (find_button (GTK_WIDGET (row), "Pause"));

  /* Queued again: already on disk, offered to open (a dialog, no new item). */
  mm_download_manager_remove (get_manager (&fixture), item);
  g_assert_null (mm_quant_row_get_item (quant_row));
  mm_quant_row_activate_download (quant_row);
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Already Downloaded");
  g_assert_true (adw_message_dialog_has_response (dialog, "open"));
  respond ("close");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_manager (&fixture))), ==, 0);

  fixture_teardown (&fixture);
}

/* A split set over 50 GB asks first; a smaller one does not. Cancel
 * queues nothing. */
static void
test_detail_large_set (void)
{
  Fixture fixture = { 0 };
  MmModelDetail *detail;
  MmQuantRow *quant_row;
  AdwMessageDialog *dialog;

  if (!fixture_setup (&fixture))
    return;

  open_model (&fixture, "Giant", "big-org/Giant-70B-GGUF");
  detail = mm_window_get_detail (fixture.window);
  quant_row = MM_QUANT_ROW (mm_model_detail_find_quant_row (detail, "Q8_0"));
  g_assert_nonnull (quant_row);
  g_assert_cmpuint (mm_quant_get_size (mm_quant_row_get_quant (quant_row)), >,
                    G_GUINT64_CONSTANT (50000000000));
  mm_quant_row_activate_download (quant_row);
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  dialog = find_dialog ();
  g_test_message ("Question: %s — %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Download 75.0\u00a0GB?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Q8_0 comes in 3 files, saved in "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "/big-org/Giant-70B-GGUF."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), " free."));
  g_assert_true (adw_message_dialog_has_response (dialog, "download"));
  g_assert_false (adw_message_dialog_has_response (dialog, "later"));
  respond ("cancel");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_manager (&fixture))), ==, 0);

  /* From the menu too: Download Later of a large set asks, and says so. */
  mm_quant_row_activate_download_later (quant_row);
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_response_label (find_dialog (), "download"), ==,
                   "Download _Later");
  respond ("cancel");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_manager (&fixture))), ==, 0);

  /* Asked for by name (the compare window, a notification, another
   * process): the same question, then the download. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", "big-org/Giant-70B-GGUF", "", "Q8_0"));
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (find_dialog ()), ==,
                   "Download 75.0\u00a0GB?");
  respond ("cancel");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_manager (&fixture))), ==, 0);

  /* The compare window's Download asks over the compare window. */
  {
    MmComparison *comparison = mm_model_detail_get_comparison (detail);
    MmQuantRow *other = MM_QUANT_ROW (mm_model_detail_find_quant_row (detail, "Q4_K_M"));
    MmCompareWindow *compare = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *button;

    g_assert_true (mm_comparison_add (comparison, mm_model_detail_get_model (detail),
                                      mm_quant_row_get_quant (quant_row), NULL, NULL));
    g_assert_true (mm_comparison_add (comparison, mm_model_detail_get_model (detail),
                                      mm_quant_row_get_quant (other), NULL, NULL));
    mm_model_detail_open_comparison (detail);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (MM_IS_COMPARE_WINDOW (window))
          compare = MM_COMPARE_WINDOW (window);
      }
    g_assert_nonnull (compare);
    button = mm_compare_window_get_action_button (compare, 0);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Download");
    g_signal_emit_by_name (button, "clicked");
    mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (find_dialog ())) ==
                   GTK_WINDOW (compare));
    g_assert_cmpstr (adw_message_dialog_get_heading (find_dialog ()), ==,
                     "Download 75.0\u00a0GB?");
    respond ("cancel");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_manager (&fixture))), ==, 0);
    gtk_window_destroy (GTK_WINDOW (compare));
    mm_comparison_clear (comparison);
  }

  fixture_teardown (&fixture);
}

static gboolean
bytes_stable (MmDownloadItem *item)
{
  guint64 before = mm_download_item_get_bytes_received (item);
  gint64 until = g_get_monotonic_time () + 600 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  return mm_download_item_get_bytes_received (item) == before;
}

static void
test_pause_resume_cancel (void)
{
  Fixture fixture = { 0 };
  MmDownloadItem *item;
  MmDownloadRow *row;
  const char *partial;

  if (!fixture_setup (&fixture))
    return;

  /* 600 KiB at 60 KiB/s: ten seconds, time enough to press buttons. */
  mm_mock_hub_set_cdn_rate (hub, 60 * KIB);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q8_0"));
  item = wait_for_item (&fixture, "Q8_0");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 1);

  row = row_for (&fixture, item, FALSE);
  g_assert_nonnull (strstr (mm_download_row_get_details (row), " of 614.4\u00a0kB"));

  /* A little over a second in, so that time has passed to show. */
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 80 * KIB);
  click (GTK_WIDGET (row), "Pause");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_PAUSED, 0);
  g_assert_cmpstr (mm_download_row_get_status (row), ==, "Paused");
  {
    GtkWidget *bar = row_child (row, "progress_bar");

    g_assert_true (gtk_widget_has_css_class (bar, "paused"));
    /* The time spent says what it is. */
    g_assert_nonnull (strstr (mm_download_row_get_details (row), " elapsed"));
  }
  g_assert_null (find_button (GTK_WIDGET (row), "Pause"));
  g_assert_true (bytes_stable (item));
  g_assert_cmpuint (mm_download_item_get_bytes_received (item), <, 600 * KIB);

  click (GTK_WIDGET (row), "Resume");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING,
                  mm_download_item_get_bytes_received (item) + 1);
  g_assert_false (gtk_widget_has_css_class (row_child (row, "progress_bar"), "paused"));

  /* Cancel asks nothing and keeps the partial file; the row moves down,
   * and the keyboard focus that was on the button moves with it. */
  mm_window_show_downloads (fixture.window);
  g_assert_true (gtk_widget_grab_focus (find_button (GTK_WIDGET (row),
                                                     "Cancel Download (the partial file is kept)")));
  click (GTK_WIDGET (row), "Cancel Download (the partial file is kept)");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED, 0);
  row = row_for (&fixture, item, TRUE);
  g_assert_cmpstr (mm_download_row_get_status (row), ==, "Cancelled");
  g_assert_cmpstr (mm_downloads_page_get_section (mm_window_get_downloads_page (fixture.window),
                                                  item), ==, "finished");
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture.window));

    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (row) || gtk_widget_is_ancestor (focus, GTK_WIDGET (row)));
  }
  partial = mm_download_get_partial_path (g_ptr_array_index (mm_download_item_get_downloads (item),
                                                             0));
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* Retry continues from it, at full speed now. */
  mm_mock_hub_set_cdn_rate (hub, 0);
  click (GTK_WIDGET (row), "Retry");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 600 * KIB);
  g_assert_cmpstr (mm_downloads_page_get_state (mm_window_get_downloads_page (fixture.window)),
                   ==, "list");

  /* Clear empties the history (the file stays). */
  row = row_for (&fixture, item, TRUE);
  click (GTK_WIDGET (row), "Remove from List");
  g_assert_cmpstr (mm_downloads_page_get_state (mm_window_get_downloads_page (fixture.window)),
                   ==, "empty");
  {
    g_autofree char *path = file_path (&fixture, "Pico-Q8_0.gguf");

    g_assert_cmpuint (file_size (path), ==, 600 * KIB);
  }

  fixture_teardown (&fixture);
}

/* Alt+2 again and again lands on the first download's row, never one
 * button further (Pause, then Cancel, then Clear), so that Alt+2, Space
 * cannot cancel a download. */
static void
test_view_key_lands_on_row (void)
{
  Fixture fixture = { 0 };
  MmDownloadsPage *page;
  MmDownloadItem *item;
  MmDownloadRow *row;

  if (!fixture_setup (&fixture))
    return;

  mm_mock_hub_set_cdn_rate (hub, 20 * KIB);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q8_0"));
  item = wait_for_item (&fixture, "Q8_0");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 1);
  page = mm_window_get_downloads_page (fixture.window);
  row = row_for (&fixture, item, FALSE);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-view",
                                                 "s", "downloads"));
      g_assert_cmpstr (mm_window_get_visible_view (fixture.window), ==, "downloads");
      g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture.window)) == GTK_WIDGET (row));
    }
  /* From a button of the row too. */
  g_assert_true (gtk_widget_grab_focus (find_button (GTK_WIDGET (row), "Pause")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-view",
                                             "s", "downloads"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture.window)) == GTK_WIDGET (row));
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);

  /* Finished only: its row, not the Clear button above it. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "cancel-download",
                                  g_variant_new ("(ss)", REPO, "Q8_0"));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED, 0);
  row = row_for (&fixture, item, TRUE);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-view",
                                                 "s", "downloads"));
      g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture.window)) == GTK_WIDGET (row));
    }

  _mm_download_manager_clear_history (get_manager (&fixture));
  g_assert_cmpstr (mm_downloads_page_get_state (page), ==, "empty");
  mm_mock_hub_set_cdn_rate (hub, 0);

  fixture_teardown (&fixture);
}

static void
test_badge_and_filters (void)
{
  Fixture fixture = { 0 };
  MmDownloadsPage *page;
  MmDownloadItem *item;

  if (!fixture_setup (&fixture))
    return;

  mm_mock_hub_set_cdn_rate (hub, 40 * KIB);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q2_K"));
  item = wait_for_item (&fixture, "Q2_K");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 1);

  /* app.show-downloads (a notification's action) shows the view. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "show-downloads", NULL);
  g_assert_cmpstr (mm_window_get_visible_view (fixture.window), ==, "downloads");
  page = mm_window_get_downloads_page (fixture.window);
  row_for (&fixture, item, FALSE);

  /* The app actions find the item by repository and quantization. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "pause-download",
                                  g_variant_new ("(ss)", REPO, "Q2_K"));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_PAUSED, 0);
  row_for (&fixture, item, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "cancel-download",
                                  g_variant_new ("(ss)", REPO, "Q2_K"));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED, 0);
  row_for (&fixture, item, TRUE);
  mm_mock_hub_set_cdn_rate (hub, 0);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "retry-download",
                                  g_variant_new ("(ss)", REPO, "Q2_K"));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 400 * KIB);
  row_for (&fixture, item, TRUE);

  /* Unknown choices are reported, not queued. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q9_Z"));
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (find_dialog ()), "Q9_Z"));
  respond ("close");

  _mm_download_manager_clear_history (get_manager (&fixture));
  g_assert_cmpstr (mm_downloads_page_get_state (page), ==, "empty");

  fixture_teardown (&fixture);
}

static gboolean
gated_item_exists_cb (gpointer data)
{
  return mm_download_manager_find (data, "example-org/Gated-7B-GGUF", "IQ1_S") != NULL;
}

static MmPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MM_IS_PREFERENCES_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MM_PREFERENCES_WINDOW (window);
    }

  return NULL;
}

static gboolean
focus_in_cb (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
client_has_token_cb (gpointer data)
{
  return mm_hub_client_get_has_token (mm_download_manager_get_client (data));
}

static gboolean
not_busy_cb (gpointer data)
{
  return !mm_preferences_window_get_busy (data);
}

static gboolean
has_preferences_cb (gpointer data)
{
  return find_preferences () != NULL;
}

static gboolean
about_shown_cb (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }

  return FALSE;
}

static void
close_and_wait (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (window);
  mm_test_wait_until (mm_test_pointer_is_null, &weak, TIMEOUT_MS);
}

/* The path that once warned "g_object_weak_unref: couldn't find weak ref"
 * (the UI tests fail on any warning): a finished download, the Library,
 * Preferences resized and turned to the Hub page, closed, opened again,
 * then About. A Preferences window that something still holds after it was
 * closed (a token lookup) is not shown again: a new one is. */
static void
test_preferences_and_about (void)
{
  Fixture fixture = { 0 };
  MmPreferencesWindow *preferences;
  MmPreferencesWindow *again;
  MmDownloadItem *item;
  GtkWindow *about = NULL;

  if (!fixture_setup (&fixture))
    return;

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q8_0"));
  item = wait_for_item (&fixture, "Q8_0");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 600 * KIB);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.show-view",
                                             "s", "library"));

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "preferences", NULL);
  mm_test_wait_until (has_preferences_cb, NULL, TIMEOUT_MS);
  preferences = find_preferences ();
  gtk_window_set_default_size (GTK_WINDOW (preferences), 420, 500);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "hub");
  mm_test_wait_until (not_busy_cb, preferences, TIMEOUT_MS);

  /* Closed while something holds it: a new window next time. */
  g_object_ref (preferences);
  gtk_window_close (GTK_WINDOW (preferences));
  g_assert_null (find_preferences ());
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "preferences", NULL);
  mm_test_wait_until (has_preferences_cb, NULL, TIMEOUT_MS);
  again = find_preferences ();
  g_assert_true (again != preferences);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  g_assert_finalize_object (preferences);
  close_and_wait (GTK_WINDOW (again));

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "preferences", NULL);
  mm_test_wait_until (has_preferences_cb, NULL, TIMEOUT_MS);
  close_and_wait (GTK_WINDOW (find_preferences ()));

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "about", NULL);
  mm_test_wait_until (about_shown_cb, &about, TIMEOUT_MS);
  close_and_wait (about);

  _mm_download_manager_clear_history (get_manager (&fixture));
  fixture_teardown (&fixture);
}

/* A gated download without a token: the row explains and offers Add
 * Access Token… and Open Model Page; once a token is added in Preferences
 * (opened at the token field), Retry downloads it. */
static void
test_gated_row (void)
{
  Fixture fixture = { 0 };
  MmPreferencesWindow *preferences;
  MmDownloadManager *manager;
  MmDownloadItem *item;
  MmDownloadRow *row;
  GtkWidget *token_row;
  gboolean in_finished = FALSE;
  g_autofree char *partial = NULL;
  g_autofree char *path = NULL;

  if (!fixture_setup (&fixture))
    return;
  manager = get_manager (&fixture);
  g_assert_false (mm_hub_client_get_has_token (mm_download_manager_get_client (manager)));

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", "example-org/Gated-7B-GGUF", "", "IQ1_S"));
  mm_test_wait_until (gated_item_exists_cb, manager, TIMEOUT_MS);
  item = mm_download_manager_find (manager, "example-org/Gated-7B-GGUF", "IQ1_S");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED, 0);
  g_assert_error (mm_download_item_get_error (item), MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);

  row = mm_downloads_page_find_row (mm_window_get_downloads_page (fixture.window), item,
                                    &in_finished);
  g_assert_nonnull (row);
  g_test_message ("Row: %s", mm_download_row_get_status (row));
  g_assert_nonnull (strstr (mm_download_row_get_status (row), "Sign in with an access token"));
  g_assert_cmpint (mm_download_row_get_access_actions (row), ==,
                   MM_ACCESS_ACTION_ADD_TOKEN | MM_ACCESS_ACTION_OPEN_MODEL_PAGE);
  g_assert_nonnull (find_button (GTK_WIDGET (row), "Retry"));
  /* A failure has a section of its own, above Finished, and Clear (which
   * empties Finished) leaves it there: it still asks for something. */
  {
    MmDownloadsPage *page = mm_window_get_downloads_page (fixture.window);

    g_assert_cmpstr (mm_downloads_page_get_section (page, item), ==, "failed");
    g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                          MM_TYPE_DOWNLOADS_PAGE,
                                                          "clear_button"), "clicked");
    g_assert_true (mm_download_manager_find (manager, "example-org/Gated-7B-GGUF", "IQ1_S") ==
                   item);
    g_assert_cmpstr (mm_downloads_page_get_section (page, item), ==, "failed");
  }
  /* The refusal left no empty partial behind. */
  path = g_build_filename (fixture.dir, "example-org", "Gated-7B-GGUF", "Gated-7B-IQ1_S.gguf",
                           NULL);
  partial = g_strconcat (path, ".part", NULL);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* Add Access Token… opens Preferences with the token field focused. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "add-token", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  token_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                         MM_TYPE_PREFERENCES_WINDOW,
                                                         "token_row"));
  mm_test_wait_until (focus_in_cb, token_row, TIMEOUT_MS);

  gtk_editable_set_text (GTK_EDITABLE (token_row), MM_MOCK_HUB_TOKEN);
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                        MM_TYPE_PREFERENCES_WINDOW,
                                                        "check_token_button"), "clicked");
  /* Saved, the app makes a new client, and the manager hands it on. */
  mm_test_wait_until (client_has_token_cb, manager, TIMEOUT_MS);
  gtk_window_destroy (GTK_WINDOW (preferences));

  click (GTK_WIDGET (row), "Retry");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 256 * KIB);
  g_assert_cmpuint (file_size (path), ==, 256 * KIB);
  /* The row may have moved between the lists: look it up again. */
  row = mm_downloads_page_find_row (mm_window_get_downloads_page (fixture.window), item, NULL);
  g_assert_nonnull (row);
  g_assert_cmpint (mm_download_row_get_access_actions (row), ==, MM_ACCESS_ACTION_NONE);

  fixture_teardown (&fixture);
}

/* A file that arrives damaged says so in one short line and a plain
 * sentence; the checksums wait behind Details. */
static void
test_damaged_row (void)
{
  Fixture fixture = { 0 };
  MmDownloadItem *item;
  MmDownloadRow *row;
  GtkWidget *label;
  GtkExpander *expander;

  if (!fixture_setup (&fixture))
    return;

  mm_mock_hub_set_cdn_corrupt_at (hub, 1000, MM_MOCK_HUB_ALWAYS);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q2_K"));
  item = wait_for_item (&fixture, "Q2_K");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED, 0);
  g_assert_error (mm_download_item_get_error (item), MM_DOWNLOAD_ERROR,
                  MM_DOWNLOAD_ERROR_CHECKSUM);

  row = row_for (&fixture, item, TRUE);
  g_assert_cmpstr (mm_download_row_get_status (row), ==,
                   "File Damaged — downloading again will fix it");
  g_assert_null (strstr (mm_download_row_get_status (row), "SHA-256"));
  label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), MM_TYPE_DOWNLOAD_ROW,
                                                     "body_label"));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
  expander = GTK_EXPANDER (gtk_widget_get_template_child (GTK_WIDGET (row), MM_TYPE_DOWNLOAD_ROW,
                                                          "details_expander"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (expander)));
  g_assert_false (gtk_expander_get_expanded (expander));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (gtk_expander_get_child (expander))),
                            "SHA-256"));
  g_assert_cmpint (mm_download_row_get_access_actions (row), ==, MM_ACCESS_ACTION_NONE);

  /* Retry with sound bytes: the row loses the explanation and the details. */
  mm_mock_hub_set_cdn_corrupt_at (hub, 0, 0);
  click (GTK_WIDGET (row), "Retry");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 400 * KIB);
  row = row_for (&fixture, item, TRUE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (row), MM_TYPE_DOWNLOAD_ROW, "details_expander"))));

  fixture_teardown (&fixture);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_label_cb (gpointer data)
{
  LabelArgs *args = data;

  return find_label (args->root, args->text) != NULL;
}

static gboolean
is_narrow_cb (gpointer data)
{
  return gtk_widget_get_width (data) <= 360 && mm_window_get_narrow (data) &&
         gtk_widget_get_mapped (mm_window_get_switcher_bar (data));
}

static void
make_narrow (Fixture *fixture)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  mm_test_wait_until (is_narrow_cb, fixture->window, TIMEOUT_MS);
}

/* At 360 px the toast says less (the name was cut), and it shows above the
 * bottom switcher bar rather than over it and its Downloads badge. */
static void
test_narrow_toast (void)
{
  Fixture fixture = { 0 };
  GtkWidget *bar;
  GtkWidget *overlay;
  graphene_rect_t bar_bounds;
  graphene_rect_t overlay_bounds;
  LabelArgs args;

  if (!fixture_setup (&fixture))
    return;
  make_narrow (&fixture);

  bar = mm_window_get_switcher_bar (fixture.window);
  overlay = mm_window_get_toast_overlay (fixture.window);
  g_assert_false (gtk_widget_is_ancestor (bar, overlay));
  g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (fixture.window), &bar_bounds));
  g_assert_true (gtk_widget_compute_bounds (overlay, GTK_WIDGET (fixture.window),
                                            &overlay_bounds));
  g_assert_cmpfloat (overlay_bounds.origin.y + overlay_bounds.size.height, <=,
                     bar_bounds.origin.y);

  mm_mock_hub_set_cdn_rate (hub, 60 * KIB);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q8_0"));
  args.root = overlay;
  args.text = "Downloading Q8_0 (614.4\u00a0kB)";
  mm_test_wait_until (has_label_cb, &args, TIMEOUT_MS);
  g_assert_true (gtk_widget_get_mapped (bar));
  /* No Show button to squeeze the title: the switcher bar is right there. */
  g_assert_null (find_label (overlay, "_Show"));

  {
    MmDownloadItem *item = wait_for_item (&fixture, "Q8_0");

    mm_download_item_cancel (item, TRUE);
    wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED, 0);
  }
  mm_mock_hub_set_cdn_rate (hub, 0);
  fixture_teardown (&fixture);
}

static int
content_min_width (Fixture *fixture)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (fixture->window));
  int min;

  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static gboolean
allocated_cb (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* At 360 px a refused download's two buttons stand one under the other,
 * each label on one line; in a wide window they stand side by side. */
static void
test_narrow_gated_buttons (void)
{
  Fixture fixture = { 0 };
  MmDownloadManager *manager;
  MmDownloadItem *item;
  MmDownloadRow *row;
  GtkWidget *box;
  GtkWidget *buttons[2];

  if (!fixture_setup (&fixture))
    return;
  manager = get_manager (&fixture);

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", "example-org/Gated-7B-GGUF", "", "IQ1_S"));
  mm_test_wait_until (gated_item_exists_cb, manager, TIMEOUT_MS);
  item = mm_download_manager_find (manager, "example-org/Gated-7B-GGUF", "IQ1_S");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_FAILED, 0);
  mm_window_show_downloads (fixture.window);
  row = row_for (&fixture, item, TRUE);
  box = row_child (row, "access_buttons");
  buttons[0] = row_child (row, "token_button");
  buttons[1] = row_child (row, "page_button");
  mm_test_wait_until (allocated_cb, box, TIMEOUT_MS);
  g_assert_false (mm_adaptive_box_get_stacked (MM_ADAPTIVE_BOX (box)));

  make_narrow (&fixture);
  mm_test_wait_until (allocated_cb, box, TIMEOUT_MS);
  g_assert_true (mm_adaptive_box_get_stacked (MM_ADAPTIVE_BOX (box)));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (buttons[i]));
      int nat;

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (label), >=, nat);
    }
  g_assert_cmpint (content_min_width (&fixture), <=, 360);

  fixture_teardown (&fixture);
}

/* The detail pane's quantization row, retrying while the Hub cannot be
 * reached, once made the window 378 px wide at 360: Adwaita's 150 px
 * progress bar next to "Retrying" and the fit badge. */
static void
test_narrow_retrying_detail (void)
{
  Fixture fixture = { 0 };
  g_autoptr(MmHubClient) offline = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  MmDownloadItem *item;

  if (!fixture_setup (&fixture))
    return;
  make_narrow (&fixture);
  open_pico (&fixture);

  mm_download_manager_set_client (get_manager (&fixture), offline);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q8_0"));
  item = wait_for_item (&fixture, "Q8_0");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_RETRYING, 0);
  g_assert_cmpint (content_min_width (&fixture), <=, 360);

  /* The row says why in words and offers Retry Now, which tries at once. */
  {
    MmDownloadRow *row = row_for (&fixture, item, FALSE);
    GtkWidget *retry_now = row_child (row, "wait_button");
    MmDownload *download = g_ptr_array_index (mm_download_item_get_downloads (item), 0);
    guint attempt = mm_download_get_attempt (download);

    g_assert_nonnull (strstr (mm_download_row_get_status (row), "refused the connection"));
    g_assert_null (strstr (mm_download_row_get_status (row), "Could not connect"));
    g_assert_true (gtk_widget_get_visible (retry_now));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (retry_now)), ==, "_Retry Now");
    g_signal_emit_by_name (retry_now, "clicked");
    g_assert_cmpuint (mm_download_get_attempt (download), ==, attempt + 1);
    g_assert_cmpint (content_min_width (&fixture), <=, 360);
  }

  mm_download_item_cancel (item, TRUE);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_CANCELLED, 0);
  fixture_teardown (&fixture);
}

static void
spawn_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *done = TRUE;
}

static void
test_second_instance (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("MM_APP");
  gboolean done = FALSE;
  MmDownloadItem *item;

  if (binary == NULL)
    {
      g_test_skip ("MM_APP is not set");
      return;
    }
  if (!fixture_setup (&fixture))
    return;

  /* The second process finds this one on the bus and hands it the request. */
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             binary, "--download", REPO, "Q4_K_M", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (second, NULL, spawn_done_cb, &done);
  mm_test_wait_until (mm_test_flag_is_set, &done, TIMEOUT_MS);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);

  item = wait_for_item (&fixture, "Q4_K_M");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);

  /* A wrong command line is refused without bothering the instance. */
  g_clear_object (&second);
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             binary, "--download", REPO, NULL);
  g_assert_no_error (error);
  done = FALSE;
  g_subprocess_wait_async (second, NULL, spawn_done_cb, &done);
  mm_test_wait_until (mm_test_flag_is_set, &done, TIMEOUT_MS);
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 2);

  fixture_teardown (&fixture);
}

/* app.download carries the commit the user saw: the item records and
 * downloads that one, even after the repository moved on. From the
 * command line the commit comes as REPO@REV or --revision. */
#define NEW_COMMIT "1111111111111111111111111111111111111111"

static char *
current_commit (void)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autofree char *sha = NULL;

  mm_hub_client_model_info_async (client, REPO, NULL, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  model = mm_hub_client_model_info_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mm_model_get_sha (model));
  sha = g_strdup (mm_model_get_sha (model));
  g_clear_object (&model);
  g_clear_object (&result);
  mm_test_wait_until_sole_owner (client);
  return g_steal_pointer (&sha);
}

static int
run_second_instance (const char *const *argv)
{
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  second = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (second, NULL, spawn_done_cb, &done);
  mm_test_wait_until (mm_test_flag_is_set, &done, TIMEOUT_MS);
  g_assert_true (g_subprocess_get_if_exited (second));
  return g_subprocess_get_exit_status (second);
}

static void
test_download_revision (void)
{
  Fixture fixture = { 0 };
  g_autofree char *old = NULL;
  g_autofree char *old_resolve = NULL;
  g_autofree char *repo_at_old = NULL;
  const char *binary = g_getenv ("MM_APP");
  MmDownloadItem *item;

  if (binary == NULL)
    {
      g_test_skip ("MM_APP is not set");
      return;
    }
  if (!fixture_setup (&fixture))
    return;

  /* The user saw the model at @old; then a new commit came. */
  old = current_commit ();
  g_assert_true (mm_mock_hub_set_repo_commit (hub, REPO, NEW_COMMIT,
                                              "2026-11-30T12:00:00.000Z"));
  old_resolve = g_strdup_printf ("/%s/resolve/%s/", REPO, old);
  mm_mock_hub_reset_counters (hub);

  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, old, "Q4_K_M"));
  item = wait_for_item (&fixture, "Q4_K_M");
  g_assert_cmpstr (_mm_download_item_get_revision (item), ==, old);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, old_resolve), >, 0);
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/" REPO "/resolve/" NEW_COMMIT "/"),
                    ==, 0);

  /* "" is the main branch: today's commit. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q2_K"));
  item = wait_for_item (&fixture, "Q2_K");
  g_assert_cmpstr (_mm_download_item_get_revision (item), ==, NEW_COMMIT);

  /* REPO@REV and --revision from a second instance. The first Q8_0 must
   * still be running when it is removed: finished, its file would make the
   * second request ask "already downloaded?" instead of queueing. */
  mm_mock_hub_set_cdn_rate (hub, 4 * KIB);
  repo_at_old = g_strdup_printf ("%s@%s", REPO, old);
  {
    const char *argv[] = { binary, "--download", repo_at_old, "Q8_0", NULL };

    g_assert_cmpint (run_second_instance (argv), ==, 0);
    item = wait_for_item (&fixture, "Q8_0");
    g_assert_cmpstr (_mm_download_item_get_revision (item), ==, old);
  }
  mm_download_manager_remove (get_manager (&fixture), item);
  {
    const char *argv[] = { binary, "--download", REPO, "Q8_0", "--revision", old, NULL };

    g_assert_cmpint (run_second_instance (argv), ==, 0);
    item = wait_for_item (&fixture, "Q8_0");
    g_assert_cmpstr (_mm_download_item_get_revision (item), ==, old);
  }

  /* Two different revisions, or an empty one, are refused. */
  {
    const char *twice[] = { binary, "--download", repo_at_old, "Q8_0", "--revision", "main",
                            NULL };
    const char *empty[] = { binary, "--download", REPO "@", "Q8_0", NULL };

    g_assert_cmpint (run_second_instance (twice), ==, 2);
    g_assert_cmpint (run_second_instance (empty), ==, 2);
  }

  fixture_teardown (&fixture);
}

/* libadwaita 1.2's AdwIndicatorBin (the badge on the Downloads view switcher
 * button) hands gtk_snapshot_append_node() the NULL node of a child that drew
 * nothing in that frame. It is a toolkit bug without consequence; every
 * other critical and warning stays fatal. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  /* The same NULL node is then released: Gsk complains once more. */
  return !((g_strcmp0 (log_domain, "Gtk") == 0 &&
            strstr (message, "gtk_snapshot_append_node: assertion 'GSK_IS_RENDER_NODE (node)'") != NULL) ||
           (g_strcmp0 (log_domain, "Gsk") == 0 &&
            strstr (message, "gsk_render_node_unref: assertion 'GSK_IS_RENDER_NODE (node)'") != NULL));
}


/* Unattended downloads */

typedef struct {
  MmFakeSessionManager *sm;
  const char           *want;
} InhibitorArgs;

static gboolean
inhibitors_are_cb (gpointer data)
{
  InhibitorArgs *args = data;
  g_auto(GStrv) held = mm_fake_session_manager_dup_inhibitors (args->sm);
  g_autofree char *joined = g_strjoinv ("|", held);

  return g_str_equal (joined, args->want);
}

static void
wait_for_inhibitors (MmFakeSessionManager *sm,
                     const char           *want)
{
  InhibitorArgs args = { sm, want };

  mm_test_wait_until (inhibitors_are_cb, &args, TIMEOUT_MS);
}

static MmDownloadItem *
queue_from_detail (Fixture    *fixture,
                   const char *quant,
                   const char *response)
{
  MmQuantRow *quant_row;

  quant_row = MM_QUANT_ROW (mm_model_detail_find_quant_row (mm_window_get_detail (fixture->window),
                                                            quant));
  g_assert_nonnull (quant_row);
  if (g_str_equal (response, "later"))
    mm_quant_row_activate_download_later (quant_row);
  else
    mm_quant_row_activate_download (quant_row);
  /* Nothing to decide: no question. */
  g_assert_null (find_dialog ());
  return wait_for_item (fixture, quant);
}

static GNetworkMonitor *
give_fake_network (Fixture *fixture)
{
  GNetworkMonitor *monitor = mm_fake_network_monitor_new ();

  mm_download_manager_set_network_monitor (get_manager (fixture), monitor);
  return monitor;
}

/* The computer stays awake while, and only while, something downloads; the
 * reason counts the models. */
static void
test_suspend_inhibitor (void)
{
  g_autoptr(GError) error = NULL;
  MmFakeSessionManager *sm = mm_fake_session_manager_start (&error);
  g_autoptr(GNetworkMonitor) monitor = NULL;
  Fixture fixture = { 0 };
  MmDownloadItem *q8, *q4;
  guint calls;

  g_assert_no_error (error);
  if (!fixture_setup (&fixture))
    return;
  monitor = give_fake_network (&fixture);
  wait_for_inhibitors (sm, "");

  mm_mock_hub_set_cdn_rate (hub, 50 * KIB);
  open_pico (&fixture);
  q8 = queue_from_detail (&fixture, "Q8_0", "download");
  wait_for_state (q8, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 0);
  wait_for_inhibitors (sm, "4:Downloading 1 model");

  q4 = queue_from_detail (&fixture, "Q4_K_M", "download");
  wait_for_state (q4, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 0);
  wait_for_inhibitors (sm, "4:Downloading 2 models");

  mm_download_item_pause (q4);
  wait_for_state (q4, MM_DOWNLOAD_ITEM_STATE_PAUSED, 0);
  wait_for_inhibitors (sm, "4:Downloading 1 model");

  /* Waiting for the network holds nothing: the laptop may sleep. */
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), FALSE);
  wait_for_state (q8, MM_DOWNLOAD_ITEM_STATE_WAITING, 0);
  wait_for_inhibitors (sm, "");
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), TRUE);
  wait_for_state (q8, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING, 0);
  wait_for_inhibitors (sm, "4:Downloading 1 model");

  mm_mock_hub_set_cdn_rate (hub, 0);
  wait_for_state (q8, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 600 * KIB);
  wait_for_inhibitors (sm, "");

  /* A failure releases it too. */
  calls = mm_fake_session_manager_get_inhibit_calls (sm);
  mm_mock_hub_cdn_fail_next (hub, 403, MM_MOCK_HUB_ALWAYS);
  mm_download_item_resume (q4);
  wait_for_state (q4, MM_DOWNLOAD_ITEM_STATE_FAILED, 0);
  g_assert_cmpuint (mm_fake_session_manager_get_inhibit_calls (sm), >, calls);
  wait_for_inhibitors (sm, "");
  mm_mock_hub_cdn_fail_next (hub, 403, 0);

  fixture_teardown (&fixture);
  mm_fake_session_manager_stop (sm);
}

static gboolean
row_status_is (MmDownloadRow *row,
               const char    *prefix)
{
  return g_str_has_prefix (mm_download_row_get_status (row), prefix);
}

typedef struct {
  MmDownloadRow *row;
  const char    *prefix;
} StatusArgs;

static gboolean
row_status_cb (gpointer data)
{
  StatusArgs *args = data;

  return row_status_is (args->row, args->prefix);
}

static void
wait_for_status (MmDownloadRow *row,
                 const char    *prefix)
{
  StatusArgs args = { row, prefix };

  mm_test_wait_until (row_status_cb, &args, TIMEOUT_MS);
}

/* Each wait says why in its row, and offers what overrules it. */
static void
test_waiting_rows (void)
{
  g_autoptr(GNetworkMonitor) monitor = NULL;
  Fixture fixture = { 0 };
  AdwMessageDialog *dialog;
  MmQuantRow *quant_row;
  MmDownloadItem *item;
  MmDownloadRow *row;
  GtkWidget *wait_button;

  if (!fixture_setup (&fixture))
    return;
  monitor = give_fake_network (&fixture);
  open_pico (&fixture);

  /* Metered, policy Ask: the question says so, and offers both ways. */
  mm_fake_network_monitor_set_metered (MM_FAKE_NETWORK_MONITOR (monitor), TRUE);
  quant_row = MM_QUANT_ROW (mm_model_detail_find_quant_row (mm_window_get_detail (fixture.window),
                                                            "Q8_0"));
  mm_quant_row_activate_download (quant_row);
  mm_test_wait_until (has_dialog_cb, NULL, TIMEOUT_MS);
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "metered"));
  g_assert_true (adw_message_dialog_has_response (dialog, "anyway"));
  /* Download Later is in the button's menu, not here. */
  g_assert_false (adw_message_dialog_has_response (dialog, "later"));
  respond ("download");
  item = wait_for_item (&fixture, "Q8_0");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_WAITING, 0);
  row = row_for (&fixture, item, FALSE);
  g_assert_cmpstr (mm_download_row_get_status (row), ==, "Paused — metered connection");
  wait_button = row_child (row, "wait_button");
  g_assert_true (gtk_widget_get_visible (wait_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (wait_button)), ==, "Resume _Anyway");
  g_assert_nonnull (find_button (GTK_WIDGET (row), "Pause"));
  g_signal_emit_by_name (wait_button, "clicked");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 600 * KIB);
  g_assert_true (mm_download_item_get_allow_metered (item));

  /* Download Later: scheduled for the window's start, Start Now overrules. */
  mm_fake_network_monitor_set_metered (MM_FAKE_NETWORK_MONITOR (monitor), FALSE);
  g_settings_set_int (fixture.settings, "schedule-start", 23 * 60 + 30);
  g_settings_set_int (fixture.settings, "schedule-end", 23 * 60 + 30);
  item = queue_from_detail (&fixture, "Q4_K_M", "later");
  g_assert_cmpint (mm_download_item_get_state (item), ==, MM_DOWNLOAD_ITEM_STATE_WAITING);
  g_assert_nonnull (mm_download_item_get_scheduled_start (item));
  g_assert_cmpint (g_date_time_get_hour (mm_download_item_get_scheduled_start (item)), ==, 23);
  g_assert_cmpint (g_date_time_get_minute (mm_download_item_get_scheduled_start (item)), ==, 30);
  g_assert_null (mm_download_item_get_scheduled_end (item));
  row = row_for (&fixture, item, FALSE);
  g_assert_true (row_status_is (row, "Scheduled for "));
  g_assert_nonnull (strstr (mm_download_row_get_status (row), "23:30"));
  wait_button = row_child (row, "wait_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (wait_button)), ==, "Start _Now");
  g_signal_emit_by_name (wait_button, "clicked");
  g_assert_null (mm_download_item_get_scheduled_start (item));
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);

  /* Offline: queued all the same, waiting, and done when the network is back. */
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), FALSE);
  item = queue_from_detail (&fixture, "Q2_K", "download");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_WAITING, 0);
  row = row_for (&fixture, item, FALSE);
  wait_for_status (row, "Waiting for network");
  g_assert_false (gtk_widget_get_visible (row_child (row, "wait_button")));
  g_assert_null (find_dialog ());
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), TRUE);
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 400 * KIB);

  fixture_teardown (&fixture);
}

/* The client asked the Hub for the model once and retried it (its own
 * retries of a 503): the request has been given up for now. */
static gboolean
api_gave_up_cb (gpointer data)
{
  return mm_mock_hub_get_request_count (hub, "/api/models/" REPO) >= 4;
}

/* Asked for by name while the Hub cannot be reached: no error dialog; the
 * request is kept and tried again when the network is back. */
static void
test_unreachable_request (void)
{
  g_autoptr(GNetworkMonitor) monitor = NULL;
  Fixture fixture = { 0 };
  MmDownloadItem *item;

  if (!fixture_setup (&fixture))
    return;
  monitor = give_fake_network (&fixture);

  /* The Hub answers every API call with 503 Service Unavailable. */
  mm_mock_hub_reset_counters (hub);
  mm_mock_hub_fail_next (hub, 503, G_MAXUINT, 0);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q4_K_M"));
  mm_test_wait_until (api_gave_up_cb, NULL, TIMEOUT_MS);
  mm_test_wait_ms (500);
  g_assert_null (find_dialog ());
  g_assert_null (mm_download_manager_find (get_manager (&fixture), REPO, "Q4_K_M"));

  /* The Hub is back, and the network says so. */
  mm_mock_hub_fail_next (hub, 503, 0, 0);
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), FALSE);
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), TRUE);
  item = wait_for_item (&fixture, "Q4_K_M");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);
  g_assert_null (find_dialog ());

  fixture_teardown (&fixture);
}

static MmUseWithDialog *
find_use_with_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MM_IS_USE_WITH_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MM_USE_WITH_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_use_with_dialog_cb (gpointer data)
{
  return find_use_with_dialog () != NULL;
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
use_with_ready_cb (gpointer data)
{
  return mm_use_with_dialog_get_ready (data);
}

static gboolean
file_exists_cb (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* A model already in the Hugging Face cache: the download is a copy of
 * it, with no byte from the CDN, and the row says so. Its "Use With…"
 * dialog has the real path in every command, copies one to the clipboard
 * and saves the Modelfile next to the model. */
static void
test_reused_row_and_use_with (void)
{
  Fixture fixture = { 0 };
  g_autofree char *cache = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *clipboard = NULL;
  g_autofree char *modelfile = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  MmUseWithDialog *dialog;
  MmDownloadItem *item;
  MmDownloadRow *row;
  LabelArgs args;

  cache = g_dir_make_tmp ("mm-hf-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HF_HUB_CACHE", cache, TRUE);
  if (!fixture_setup (&fixture))
    return;

  g_assert_true (mm_mock_hub_lookup_file (hub, REPO, "Pico-Q4_K_M.gguf", NULL, &sha256));
  blob = g_build_filename (cache, "models--tiny-org--Pico-GGUF", "blobs", sha256, NULL);
  folder = g_path_get_dirname (blob);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  bytes = mm_mock_hub_read_file (hub, REPO, "Pico-Q4_K_M.gguf", 0, G_MAXSIZE);
  g_assert_true (g_file_set_contents (blob, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));

  mm_mock_hub_reset_counters (hub);
  g_action_group_activate_action (G_ACTION_GROUP (fixture.app), "download",
                                  g_variant_new ("(sss)", REPO, "", "Q4_K_M"));
  item = wait_for_item (&fixture, "Q4_K_M");
  wait_for_state (item, MM_DOWNLOAD_ITEM_STATE_COMPLETED, 300 * KIB);
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/xet-bridge-us/"), ==, 0);
  g_assert_cmpuint (mm_mock_hub_get_cdn_bytes_sent (hub), ==, 0);

  row = row_for (&fixture, item, TRUE);
  g_assert_cmpstr (mm_download_row_get_status (row), ==,
                   "Copied from the Hugging Face cache (tiny-org/Pico-GGUF) — no download needed");

  click (GTK_WIDGET (row), "Use With…");
  mm_test_wait_until (has_use_with_dialog_cb, NULL, TIMEOUT_MS);
  dialog = find_use_with_dialog ();
  mm_test_wait_until (use_with_ready_cb, dialog, TIMEOUT_MS);
  destination = g_strdup (mm_download_item_get_destination (item));

  command = g_strdup (mm_use_with_dialog_get_command (dialog, "llama-server"));
  g_assert_true (g_str_has_prefix (command, "llama-server -m "));
  g_assert_nonnull (strstr (command, destination));
  g_assert_nonnull (strstr (command, " -c "));
  g_assert_cmpuint (mm_use_with_dialog_get_context (dialog), >=, 512);
  g_assert_nonnull (strstr (mm_use_with_dialog_get_command (dialog, "lms"), destination));
  g_assert_nonnull (strstr (mm_use_with_dialog_get_command (dialog, "ollama"),
                            "ollama create pico:q4_k_m -f "));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "use-with.copy", "s", "llama-server");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), NULL,
                                 clipboard_text_cb, &clipboard);
  while (clipboard == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (clipboard, ==, command);
  args.root = GTK_WIDGET (dialog);
  args.text = "Command copied to the clipboard";
  mm_test_wait_until (has_label_cb, &args, TIMEOUT_MS);

  modelfile = mm_use_with_modelfile_path (destination);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "use-with.save-modelfile", NULL);
  mm_test_wait_until (file_exists_cb, modelfile, TIMEOUT_MS);
  args.text = "Saved “Pico-Q4_K_M.Modelfile” next to the model";
  mm_test_wait_until (has_label_cb, &args, TIMEOUT_MS);
  g_assert_true (g_file_get_contents (modelfile, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==, mm_use_with_dialog_get_command (dialog, "modelfile"));
  g_assert_true (g_str_has_prefix (saved, "FROM "));

  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_teardown (&fixture);
  g_unsetenv ("HF_HUB_CACHE");
}

static void
run_in_subprocess (gconstpointer data)
{
  GTestFunc func = (GTestFunc) data;

  if (g_test_subprocess ())
    {
      g_test_log_set_fatal_handler (fatal_log_cb, NULL);
      func ();
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_US,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  /* Tokens go to the in-memory store, never to a keyring (none is started). */
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      hub = mm_mock_hub_new (&error);
      g_assert_no_error (error);
    }

  g_test_add_data_func ("/app/downloads/detail/download", test_detail_download,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/detail/large-set", test_detail_large_set,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/unattended/suspend-inhibitor", test_suspend_inhibitor,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/unattended/waiting-rows", test_waiting_rows,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/unattended/unreachable-request",
                        test_unreachable_request, run_in_subprocess);
  g_test_add_data_func ("/app/downloads/row/pause-resume-cancel", test_pause_resume_cancel,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/page/actions-and-filters", test_badge_and_filters,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/page/view-key-lands-on-row", test_view_key_lands_on_row,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/command-line/second-instance", test_second_instance,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/command-line/revision", test_download_revision,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/row/gated-access", test_gated_row, run_in_subprocess);
  g_test_add_data_func ("/app/downloads/row/damaged", test_damaged_row, run_in_subprocess);
  g_test_add_data_func ("/app/downloads/row/reused-and-use-with", test_reused_row_and_use_with,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/narrow/toast", test_narrow_toast, run_in_subprocess);
  g_test_add_data_func ("/app/downloads/narrow/gated-buttons", test_narrow_gated_buttons,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/narrow/retrying-detail", test_narrow_retrying_detail,
                        run_in_subprocess);
  g_test_add_data_func ("/app/downloads/preferences-and-about", test_preferences_and_about,
                        run_in_subprocess);

  ret = g_test_run ();

  if (hub != NULL)
    {
      mm_mock_hub_stop (hub);
      g_assert_finalize_object (hub);
    }
  return ret;
}
