/* mm-screenshots.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Takes one screenshot of the app, for data/screenshots/take-screenshots:
 *
 *   mm-screenshots SCENE WIDTH OUTPUT.png
 *
 * The app runs in this process against an in-process mock Hub, with a
 * private download folder; the scene is reached through the app's own
 * actions and objects (no clicks at coordinates), then the window is drawn
 * into a PNG with GSK. Scenes:
 *
 *   browse      search results for "TinyChat" and, when wide, its details
 *   detail      TinyChat's details with the recommended quantization open
 *   split       Giant-70B's split quantization, open to show its parts
 *   header      Pico's quantizations open on a slow link: one header being
 *               read, one whose read was cancelled (for review)
 *   downloads   the Downloads page: running, paused, scheduled, finished and
 *               failed downloads
 *   library     the Library after two downloads
 *   preferences the Preferences window
 *   compare     three quantizations side by side
 *
 * The caller sets the language and the style (LANGUAGE, LANG,
 * ADW_DEBUG_COLOR_SCHEME), a display (Xvfb) and TMPDIR, which holds the
 * run's home folder and downloads and which it removes afterwards.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "mm-application.h"
#include "mm-compare-window.h"
#include "mm-fake-network-monitor.h"
#include "mm-mock-hub.h"
#include "mm-model-detail.h"
#include "mm-preferences-window.h"
#include "mm-quant-row.h"
#include "mm-test-utils.h"
#include "mm-window.h"

#define TIMEOUT_MS 30000

/* Draws @widget into a PNG. A frame caught in the middle of a transition
 * can draw nothing; then it tries again a little later. */
static void
save_png (GtkWidget  *widget,
          const char *path)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint attempt = 0; node == NULL; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL && attempt == 10)
        g_error ("%s drew nothing", G_OBJECT_TYPE_NAME (widget));
      if (node == NULL)
        mm_test_wait_ms (300);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s: %d×%d\n", path, width, height);
}

static gboolean
app_ready_cb (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return MM_IS_WINDOW (window) &&
         mm_application_get_download_manager (MM_APPLICATION (app)) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
toplevel_shown_cb (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* Search ------------------------------------------------------------------ */

typedef struct {
  MmWindow *window;
  const char *id;
} Find;

static int
result_position (MmWindow   *window,
                 const char *id)
{
  GListModel *results = mm_window_get_results (window);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (results, i);

      if (g_strcmp0 (mm_model_get_id (model), id) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
result_found_cb (gpointer data)
{
  Find *find = data;

  return result_position (find->window, find->id) >= 0 &&
         !mm_search_results_get_loading (MM_SEARCH_RESULTS (mm_window_get_results (find->window)));
}

static gboolean
detail_settled_cb (gpointer data)
{
  const char *state = mm_model_detail_get_state (data);

  return !g_str_equal (state, "loading") && !g_str_equal (state, "empty");
}

/* Types @text into the search entry, waits for @id among the results and,
 * if @open, opens it as Enter on its row would. */
static void
search (MmWindow   *window,
        const char *text,
        const char *id,
        gboolean    open)
{
  Find find = { window, id };

  gtk_editable_set_text (mm_window_get_search_entry (window), text);
  mm_test_wait_until (result_found_cb, &find, TIMEOUT_MS);
  if (!open)
    return;

  gtk_widget_activate_action (GTK_WIDGET (mm_window_get_results_view (window)),
                              "list.activate-item", "u", (guint) result_position (window, id));
  mm_test_wait_until (detail_settled_cb, mm_window_get_detail (window), TIMEOUT_MS);
}

/* Widgets ----------------------------------------------------------------- */

/* Every descendant of @widget of @type, depth first. */
static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The expander row of the quantization @label in the detail pane. */
static AdwExpanderRow *
quant_row (MmWindow   *window,
           const char *label)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (mm_window_get_detail (window)), ADW_TYPE_EXPANDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *title = adw_preferences_row_get_title (g_ptr_array_index (rows, i));

      if (title != NULL && g_str_has_prefix (title, label))
        return g_ptr_array_index (rows, i);
    }
  g_error ("No row for the quantization %s", label);
}

static void
open_quant (MmWindow   *window,
            const char *label)
{
  AdwExpanderRow *row = quant_row (window, label);

  adw_expander_row_set_expanded (row, TRUE);
  /* Its header is read from the mock Hub on the first expansion. */
  mm_test_wait_ms (2500);
  /* Bring the open row into view. */
  gtk_widget_grab_focus (GTK_WIDGET (row));
  mm_test_wait_ms (500);
}

static gboolean
no_toast_cb (gpointer data)
{
  g_autoptr(GPtrArray) toasts = g_ptr_array_new ();
  GType type = g_type_from_name ("AdwToastWidget");

  if (type == G_TYPE_INVALID)
    return TRUE;
  collect (data, type, toasts);
  return toasts->len == 0;
}

/* Waits until no toast is shown, nor comes after a shown one. */
static void
wait_for_toasts (GtkWidget *window)
{
  do
    {
      mm_test_wait_until (no_toast_cb, window, 60000);
      mm_test_wait_ms (1000);
    }
  while (!no_toast_cb (window));
}

/* Downloads --------------------------------------------------------------- */

static MmModel *
fetch_model (MmHubClient *client,
             const char  *id)
{
  return mm_test_fetch_model (client, id);
}

static MmQuant *
find_quant (MmModel    *model,
            const char *label)
{
  g_autoptr(GPtrArray) quants = mm_quant_group_files (mm_model_get_files (model), 16ull << 30,
                                                      NULL, NULL);

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (quants, i);

      if (g_str_equal (mm_quant_get_label (quant), label))
        return g_object_ref (quant);
    }
  g_error ("%s has no quantization %s", mm_model_get_id (model), label);
}

static gboolean
item_in_state_cb (gpointer data)
{
  MmDownloadItem *item = data;
  MmDownloadItemState state = mm_download_item_get_state (item);

  return (int) state == GPOINTER_TO_INT (g_object_get_data (data, "wanted"));
}

static MmDownloadItem *
download (MmApplication      *app,
          MmModel            *model,
          const char         *label,
          MmDownloadWhen      when,
          MmDownloadItemState wait_for)
{
  MmDownloadManager *manager = mm_application_get_download_manager (app);
  g_autoptr(MmQuant) quant = find_quant (model, label);
  MmDownloadItem *item;

  mm_application_download_quant (app, model, quant, when);
  item = mm_download_manager_find (manager, mm_model_get_id (model), label);
  g_assert (item != NULL);
  g_object_set_data (G_OBJECT (item), "wanted", GINT_TO_POINTER (wait_for));
  g_debug ("Waiting for %s %s to reach state %d", mm_model_get_id (model), label, wait_for);
  mm_test_wait_until (item_in_state_cb, item, TIMEOUT_MS);
  if (mm_download_item_get_error (item) != NULL)
    g_debug ("%s", mm_download_item_get_error (item)->message);
  return item;
}

/* Adds the downloads of the downloads and library scenes: two of Pico
 * finished; then, if @all, TinyChat running slowly and paused, Pico's split
 * set scheduled and the gated model failed for want of a token. */
static void
add_downloads (MmApplication *app,
               MmMockHub     *hub,
               gboolean       all)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  g_autoptr(MmModel) pico = fetch_model (client, "tiny-org/Pico-GGUF");
  g_autoptr(MmModel) tinychat = NULL;
  g_autoptr(MmModel) gated = NULL;
  MmDownloadItem *item;

  download (app, pico, "Q8_0", MM_DOWNLOAD_WHEN_NOW, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  download (app, pico, "Q4_K_M", MM_DOWNLOAD_WHEN_NOW, MM_DOWNLOAD_ITEM_STATE_COMPLETED);
  if (!all)
    return;

  tinychat = fetch_model (client, "example-org/TinyChat-1.1B-GGUF");
  gated = fetch_model (client, "example-org/Gated-7B-GGUF");
  mm_mock_hub_set_cdn_rate (hub, 512 * 1024);

  download (app, gated, "Q4_K_M", MM_DOWNLOAD_WHEN_NOW, MM_DOWNLOAD_ITEM_STATE_FAILED);
  item = download (app, tinychat, "Q8_0", MM_DOWNLOAD_WHEN_NOW, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  mm_test_wait_ms (2000);
  mm_download_item_pause (item);
  download (app, tinychat, "Q4_K_M", MM_DOWNLOAD_WHEN_NOW, MM_DOWNLOAD_ITEM_STATE_DOWNLOADING);
  download (app, pico, "Q2_K", MM_DOWNLOAD_WHEN_LATER, MM_DOWNLOAD_ITEM_STATE_WAITING);
  /* Long enough for a speed and an estimate of the time left. */
  mm_test_wait_ms (5000);
}

/* Scenes ------------------------------------------------------------------ */

static GtkWidget *
scene_browse (MmApplication *app,
              MmWindow      *window,
              gboolean       narrow)
{
  search (window, "TinyChat", "example-org/TinyChat-1.1B-GGUF", !narrow);
  mm_test_wait_ms (1000);
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_detail (MmApplication *app,
              MmWindow      *window)
{
  search (window, "TinyChat", "example-org/TinyChat-1.1B-GGUF", TRUE);
  open_quant (window, mm_model_detail_get_recommended (mm_window_get_detail (window)));
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_split (MmApplication *app,
             MmWindow      *window)
{
  search (window, "Giant", "big-org/Giant-70B-GGUF", TRUE);
  open_quant (window, "Q4_K_M");
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_header (MmApplication *app,
              MmWindow      *window,
              MmMockHub     *hub)
{
  MmQuantRow *cancelled;

  search (window, "Pico", "tiny-org/Pico-GGUF", TRUE);
  /* The smallest one's header came with the model. */
  mm_test_wait_ms (1500);
  mm_mock_hub_set_cdn_rate (hub, 4 * 1024);
  cancelled = MM_QUANT_ROW (quant_row (window, "Q2_K"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cancelled), TRUE);
  mm_test_wait_ms (1500);
  mm_quant_row_cancel_header (cancelled);
  adw_expander_row_set_expanded (quant_row (window, "Q8_0"), TRUE);
  mm_test_wait_ms (2000);
  /* Down to the row being read. */
  {
    GtkWidget *row = GTK_WIDGET (quant_row (window, "Q8_0"));
    GtkWidget *scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
    graphene_point_t point;

    g_assert (scrolled != NULL);
    g_assert (gtk_widget_compute_point (row, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                        &GRAPHENE_POINT_INIT (0, 0), &point));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                              point.y - 120);
  }
  mm_test_wait_ms (500);
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_downloads (MmApplication *app,
                 MmWindow      *window,
                 MmMockHub     *hub)
{
  add_downloads (app, hub, TRUE);
  mm_window_show_downloads (window);
  mm_test_wait_ms (1500);
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_library (MmApplication *app,
               MmWindow      *window,
               MmMockHub     *hub)
{
  add_downloads (app, hub, FALSE);
  g_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "library"));
  mm_test_wait_ms (2500);
  return GTK_WIDGET (window);
}

static GtkWidget *
scene_preferences (MmApplication *app,
                   int            width)
{
  GtkWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  mm_test_wait_until (toplevel_shown_cb, GSIZE_TO_POINTER (MM_TYPE_PREFERENCES_WINDOW), TIMEOUT_MS);
  preferences = find_toplevel (MM_TYPE_PREFERENCES_WINDOW);
  gtk_window_set_default_size (preferences, MIN (width, 640), 720);
  mm_test_wait_ms (1500);
  return GTK_WIDGET (preferences);
}

static GtkWidget *
scene_compare (MmApplication *app,
               MmWindow      *window,
               int            width)
{
  const char *labels[] = { "Q4_K_M", "Q5_K_M", "Q8_0" };
  GtkWindow *compare;

  search (window, "TinyChat", "example-org/TinyChat-1.1B-GGUF", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      AdwExpanderRow *row = quant_row (window, labels[i]);
      g_autoptr(GPtrArray) switches = g_ptr_array_new ();

      adw_expander_row_set_expanded (row, TRUE);
      mm_test_wait_ms (2500);
      /* The row's own switch (an expander row has a hidden one too). */
      collect (GTK_WIDGET (row), GTK_TYPE_SWITCH, switches);
      for (guint j = 0; j < switches->len; j++)
        if (gtk_widget_is_visible (g_ptr_array_index (switches, j)))
          gtk_switch_set_active (g_ptr_array_index (switches, j), TRUE);
      adw_expander_row_set_expanded (row, FALSE);
    }
  mm_model_detail_open_comparison (mm_window_get_detail (window));
  mm_test_wait_until (toplevel_shown_cb, GSIZE_TO_POINTER (MM_TYPE_COMPARE_WINDOW), TIMEOUT_MS);
  compare = find_toplevel (MM_TYPE_COMPARE_WINDOW);
  gtk_window_set_default_size (compare, MIN (width, 900), 640);
  mm_test_wait_ms (1500);
  return GTK_WIDGET (compare);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmMockHub) hub = NULL;
  g_autoptr(MmApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GNetworkMonitor) monitor = NULL;
  g_autofree char *home = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *size = NULL;
  const char *scene;
  const char *output;
  GtkWidget *shot = NULL;
  MmWindow *window;
  int width;
  gboolean narrow;

  if (argc != 4)
    {
      g_printerr ("Usage: %s SCENE WIDTH OUTPUT.png\n", argv[0]);
      return 2;
    }
  scene = argv[1];
  width = atoi (argv[2]);
  output = argv[3];
  narrow = width < 600;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MM_LOCALEDIR") ? g_getenv ("MM_LOCALEDIR")
                                                             : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  home = g_dir_make_tmp ("mm-screenshots-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (home, "Models", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);
  g_setenv ("MM_TOTAL_MEMORY", "17179869184", TRUE);
  size = g_strdup_printf ("%dx%d", width, narrow ? 720 : 760);
  g_setenv ("MM_WINDOW_SIZE", size, TRUE);

  hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);

  adw_init ();
  settings = g_settings_new (SCHEMA_ID);
  g_settings_set_string (settings, "download-folder", folder);
  g_settings_set_boolean (settings, "first-run-done", TRUE);
  {
    /* Downloads asked for later wait for a window that opens in two hours. */
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

    g_settings_set_int (settings, "schedule-start", (minute + 120) % (24 * 60));
    g_settings_set_int (settings, "schedule-end", (minute + 360) % (24 * 60));
  }

  app = mm_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  mm_test_wait_until (app_ready_cb, app, TIMEOUT_MS);
  window = MM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  /* A network that is there and not metered, whatever the machine has. */
  monitor = mm_fake_network_monitor_new ();
  mm_download_manager_set_network_monitor (mm_application_get_download_manager (app), monitor);

  if (g_str_equal (scene, "browse"))
    shot = scene_browse (app, window, narrow);
  else if (g_str_equal (scene, "detail"))
    shot = scene_detail (app, window);
  else if (g_str_equal (scene, "split"))
    shot = scene_split (app, window);
  else if (g_str_equal (scene, "header"))
    shot = scene_header (app, window, hub);
  else if (g_str_equal (scene, "downloads"))
    shot = scene_downloads (app, window, hub);
  else if (g_str_equal (scene, "library"))
    shot = scene_library (app, window, hub);
  else if (g_str_equal (scene, "preferences"))
    shot = scene_preferences (app, width);
  else if (g_str_equal (scene, "compare"))
    shot = scene_compare (app, window, width);
  else
    {
      g_printerr ("Unknown scene %s\n", scene);
      return 2;
    }

  if (MM_IS_WINDOW (shot))
    wait_for_toasts (shot);
  save_png (shot, output);

  /* Stop the downloads; the caller removes the folder (under TMPDIR). */
  g_application_quit (G_APPLICATION (app));
  mm_test_wait_ms (500);
  return 0;
}
