/* test-window.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window against the mock Hub: search, results, the detail of a
 * model, the empty and offline states. Every wait has a timeout
 * (mm_test_wait_until), so a hang fails the test instead of stalling the run.
 */
#include "config.h"

#include <adwaita.h>

#include "mm-compare-window.h"
#include "mm-fake-network-monitor.h"
#include "mm-gguf-writer.h"
#include "mm-gpu-private.h"
#include "mm-hub-client-private.h"
#include "mm-machine-private.h"
#include "mm-mock-hub.h"
#include "mm-model-detail.h"
#include "mm-model-private.h"
#include "mm-model-row.h"
#include "mm-quant-private.h"
#include "mm-quant-row.h"
#include "mm-search-results-private.h"
#include "mm-settings-private.h"
#include "mm-test-utils.h"
#include "mm-window.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define NBSP "\302\240"
#define TIMEOUT_MS 15000

static MmMockHub *hub;

typedef struct {
  MmHubClient *client;
  GSettings   *settings;
  MmWindow    *window;
} Fixture;

static void
fixture_setup_with_endpoint (Fixture    *fixture,
                             const char *endpoint)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* The client reads HF_ENDPOINT when it is made. */
  g_setenv ("HF_ENDPOINT", endpoint, TRUE);
  fixture->client = _mm_hub_client_new_from_environment ();
  g_assert_cmpstr (mm_hub_client_get_endpoint (fixture->client), ==, endpoint);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    fixture->settings = g_settings_new_full (schema, NULL, NULL);

  fixture->window = g_object_ref_sink (mm_window_new (NULL, fixture->client, fixture->settings));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture_setup_with_endpoint (fixture, mm_mock_hub_get_url (hub));
}

static void
fixture_setup_offline (Fixture       *fixture,
                       gconstpointer  data)
{
  /* Port 9 (discard) is closed on any test machine. */
  fixture_setup_with_endpoint (fixture, "http://127.0.0.1:9");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mm_test_wait_finalized (g_steal_pointer (&fixture->window));
  mm_test_wait_finalized (g_steal_pointer (&fixture->client));
  if (fixture->settings != NULL)
    mm_test_wait_finalized (g_steal_pointer (&fixture->settings));
}

/* Helpers */

static gboolean
state_is (MmWindow   *window,
          const char *state)
{
  return g_strcmp0 (mm_window_get_results_state (window), state) == 0;
}

static gboolean
has_results_cb (gpointer data)
{
  MmWindow *window = data;
  GListModel *results = mm_window_get_results (window);

  return state_is (window, "results") && results != NULL &&
         g_list_model_get_n_items (results) > 0;
}

typedef struct {
  MmWindow   *window;
  GListModel *before;
  const char *state;
} SearchWait;

static gboolean
search_done_cb (gpointer data)
{
  SearchWait *wait = data;
  GListModel *results = mm_window_get_results (wait->window);

  return results != wait->before &&
         !mm_search_results_get_loading (MM_SEARCH_RESULTS (results)) &&
         state_is (wait->window, wait->state);
}

/* Types @text into the search entry and waits for that search to end in @state. */
static void
search_for (MmWindow   *window,
            const char *text,
            const char *state)
{
  SearchWait wait = { window, mm_window_get_results (window), state };
  MmSearchResults *results;

  gtk_editable_set_text (mm_window_get_search_entry (window), text);
  mm_test_wait_until (search_done_cb, &wait, TIMEOUT_MS);
  results = MM_SEARCH_RESULTS (mm_window_get_results (window));
  g_assert_cmpstr (_mm_search_results_get_text (results), ==, text);
}

static int
find_model (GListModel *results,
            const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (results, i);

      if (g_strcmp0 (mm_model_get_id (model), id) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
detail_settled_cb (gpointer data)
{
  MmModelDetail *detail = data;
  const char *state = mm_model_detail_get_state (detail);

  return !g_str_equal (state, "loading") && !g_str_equal (state, "empty");
}

static void
open_result (MmWindow   *window,
             const char *id)
{
  GListModel *results = mm_window_get_results (window);
  MmModelDetail *detail = mm_window_get_detail (window);
  int position = find_model (results, id);

  g_assert_cmpint (position, >=, 0);
  /* What Enter or a double click does on a row. */
  gtk_widget_activate_action (GTK_WIDGET (mm_window_get_results_view (window)),
                              "list.activate-item", "u", (guint) position);
  g_assert_cmpstr (mm_model_get_id (mm_model_detail_get_model (detail)), ==, id);
  mm_test_wait_until (detail_settled_cb, detail, TIMEOUT_MS);
}

/* Whether a row of the list view shows a TinyChat model. */
static gboolean
view_shows_tinychat_cb (gpointer data)
{
  GtkWidget *view = data;

  for (GtkWidget *child = gtk_widget_get_first_child (view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      MmModel *model;

      if (row == NULL || !MM_IS_MODEL_ROW (row))
        continue;
      model = mm_model_row_get_model (MM_MODEL_ROW (row));
      if (model != NULL && strstr (mm_model_get_id (model), "TinyChat") != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Window tests */

static void
test_search_results (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (mm_window_get_results_view (fixture->window));
  GListModel *results;

  /* An empty search lists the most popular models straight away. */
  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  g_assert_null (mm_window_get_results_status_page (fixture->window));

  search_for (fixture->window, "TinyChat", "results");
  results = mm_window_get_results (fixture->window);
  g_assert_cmpint (find_model (results, "example-org/TinyChat-1.1B-GGUF"), >=, 0);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (results, i);

      g_autofree char *id = g_ascii_strdown (mm_model_get_id (model), -1);

      /* The Hub matches ids case-insensitively. */
      g_assert_nonnull (strstr (id, "tinychat"));
    }

  /* The list view shows them as rows. */
  mm_test_wait_until (view_shows_tinychat_cb, view, TIMEOUT_MS);
}

/* Every visible label's text under @widget, each followed by "|". */
static void
collect_labels (GtkWidget *widget,
                GString   *labels)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (labels, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static void
test_detail_quantizations (Fixture       *fixture,
                           gconstpointer  data)
{
  const char * const expected[] = {
    "Q2_K", "Q3_K_M", "IQ4_XS", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "BF16", NULL,
  };
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  g_auto(GStrv) titles = NULL;

  g_assert_cmpstr (mm_model_detail_get_state (detail), ==, "empty");

  search_for (fixture->window, "TinyChat-1.1B-GGUF", "results");
  open_result (fixture->window, "example-org/TinyChat-1.1B-GGUF");

  g_assert_cmpstr (mm_model_detail_get_state (detail), ==, "content");
  titles = mm_model_detail_get_quant_titles (detail);
  g_assert_cmpstrv (titles, expected);

  /* The full model info replaced the search result: it has files now. */
  g_assert_true (_mm_model_get_has_files (mm_model_detail_get_model (detail)));

  /* The header's bindings show the loaded model. */
  {
    g_autoptr(GString) labels = g_string_new ("|");

    collect_labels (GTK_WIDGET (detail), labels);
    g_test_message ("Labels: %s", labels->str);
    g_assert_nonnull (strstr (labels->str, "|TinyChat-1.1B-GGUF|"));
    g_assert_nonnull (strstr (labels->str, "|48.2 k|"));
    g_assert_nonnull (strstr (labels->str, "|57|"));
    g_assert_nonnull (strstr (labels->str, "|Updated "));
  }
}

static gboolean
is_allocated_cb (gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

/* Tab from the top of the detail pane reaches the quantizations (a
 * focusable GtkFlowBox of tags used to swallow every Tab there). The
 * Download buttons in them are walked by build-aux/a11y-audit. */
static void
test_detail_tab_reaches_download (Fixture       *fixture,
                                  gconstpointer  data)
{
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  GtkWidget *focus = NULL;
  guint presses;

  search_for (fixture->window, "TinyChat-1.1B-GGUF", "results");
  open_result (fixture->window, "example-org/TinyChat-1.1B-GGUF");
  mm_test_wait_until (is_allocated_cb, detail, TIMEOUT_MS);

  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (detail), GTK_DIR_TAB_FORWARD));
  for (presses = 0; presses < 10; presses++)
    {
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      if (focus != NULL && gtk_widget_get_ancestor (focus, MM_TYPE_QUANT_ROW) != NULL)
        break;
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    }
  g_assert_cmpuint (presses, <, 10);
}

/* The same on a gated model: the access card's buttons are reachable, and
 * Tab goes on past them to the quantizations (a GtkFlowBox there trapped
 * the focus too). */
static void
test_detail_tab_reaches_access_buttons (Fixture       *fixture,
                                        gconstpointer  data)
{
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  gboolean saw_access_button = FALSE;
  guint presses;

  search_for (fixture->window, "Gated-7B", "results");
  open_result (fixture->window, "example-org/Gated-7B-GGUF");
  mm_test_wait_until (is_allocated_cb, detail, TIMEOUT_MS);

  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (detail), GTK_DIR_TAB_FORWARD));
  for (presses = 0; presses < 12; presses++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

      /* Without an application here app.add-token is missing, so that
       * button is insensitive; Open Model Page is the card's other one. */
      if (GTK_IS_BUTTON (focus) && gtk_widget_get_parent (focus) != NULL &&
          gtk_widget_has_css_class (gtk_widget_get_parent (focus), "access-buttons"))
        saw_access_button = TRUE;
      if (saw_access_button && focus != NULL &&
          gtk_widget_get_ancestor (focus, MM_TYPE_QUANT_ROW) != NULL)
        break;
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    }
  g_assert_true (saw_access_button);
  g_assert_cmpuint (presses, <, 12);
}

/* Alt+1/2/3 switch views and move the focus into the view shown, so that
 * Tab continues there instead of in the header bar; pressed again, they
 * land on the same place, never one control further (where Space could
 * act on it). */
static void
assert_focus_inside (MmWindow  *window,
                     GtkWidget *view)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_nonnull (focus);
  g_assert_true (focus == view || gtk_widget_is_ancestor (focus, view));
}

static GtkWidget *
press_view_key (MmWindow   *window,
                const char *view)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", view));
  g_assert_cmpstr (mm_window_get_visible_view (window), ==, view);
  return gtk_root_get_focus (GTK_ROOT (window));
}

static void
test_views_by_keyboard (Fixture       *fixture,
                        gconstpointer  data)
{
  MmWindow *window = fixture->window;
  GtkWidget *first;

  g_assert_cmpstr (mm_window_get_visible_view (window), ==, "discover");

  /* No downloads: nothing in the view to focus, and nothing else either. */
  g_assert_null (press_view_key (window, "downloads"));
  g_assert_null (press_view_key (window, "downloads"));

  /* An empty Library: its one button, each time. */
  first = press_view_key (window, "library");
  assert_focus_inside (window, GTK_WIDGET (mm_window_get_library_page (window)));
  g_assert_true (press_view_key (window, "library") == first);
  g_assert_true (press_view_key (window, "library") == first);

  /* An unknown name changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                             "nowhere"));
  g_assert_cmpstr (mm_window_get_visible_view (window), ==, "library");

  search_for (window, "TinyChat-1.1B-GGUF", "results");
  first = press_view_key (window, "discover");
  assert_focus_inside (window, GTK_WIDGET (mm_window_get_results_view (window)));
  g_assert_true (press_view_key (window, "discover") == first);
  g_assert_true (press_view_key (window, "discover") == first);
}

static GtkWidget *
find_mapped (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static graphene_rect_t
switcher_bounds (MmWindow *window)
{
  GtkWidget *switcher = find_mapped (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER);
  graphene_rect_t bounds;
  g_assert_true (gtk_widget_compute_bounds (switcher, GTK_WIDGET (window), &bounds));
  return bounds;
}

/* The Downloads badge appears and goes without moving the view switcher:
 * the views stay where the pointer and the eye left them. (The app's own
 * .badge pills once styled libadwaita's badge indicator too, and made the
 * Downloads button wider.) */
static void
test_switcher_stays_with_badge (Fixture       *fixture,
                                gconstpointer  data)
{
  MmWindow *window = fixture->window;
  GtkWidget *downloads = GTK_WIDGET (mm_window_get_downloads_page (window));
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (downloads, ADW_TYPE_VIEW_STACK));
  AdwViewStackPage *page = adw_view_stack_get_page (stack, downloads);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  graphene_rect_t before, with_badge, with_more, after;

  /* As AdwApplication loads it for the app. */
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (window)),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  mm_window_show_downloads (window);
  mm_test_wait_ms (200);
  before = switcher_bounds (window);
  adw_view_stack_page_set_badge_number (page, 1);
  adw_view_stack_page_set_needs_attention (page, TRUE);
  mm_test_wait_ms (200);
  with_badge = switcher_bounds (window);
  adw_view_stack_page_set_badge_number (page, 12);
  mm_test_wait_ms (200);
  with_more = switcher_bounds (window);
  adw_view_stack_page_set_badge_number (page, 0);
  adw_view_stack_page_set_needs_attention (page, FALSE);
  mm_test_wait_ms (200);
  after = switcher_bounds (window);

  g_test_message ("switcher x: %.0f, with a badge %.0f, with 12 %.0f, after %.0f",
                  before.origin.x, with_badge.origin.x, with_more.origin.x, after.origin.x);
  g_assert_cmpfloat_with_epsilon (with_badge.origin.x, before.origin.x, 0.5);
  g_assert_cmpfloat_with_epsilon (with_more.origin.x, before.origin.x, 0.5);
  g_assert_cmpfloat_with_epsilon (after.origin.x, before.origin.x, 0.5);
  g_assert_cmpfloat_with_epsilon (with_badge.size.width, before.size.width, 0.5);

  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (window)),
                                                 GTK_STYLE_PROVIDER (css));
}

static void
test_detail_no_gguf (Fixture       *fixture,
                     gconstpointer  data)
{
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  g_auto(GStrv) titles = NULL;

  search_for (fixture->window, "NoQuant", "results");
  open_result (fixture->window, "empty-org/NoQuant-GGUF");

  g_assert_cmpstr (mm_model_detail_get_state (detail), ==, "no-gguf");
  titles = mm_model_detail_get_quant_titles (detail);
  g_assert_cmpuint (g_strv_length (titles), ==, 0);
}

static void
test_search_no_results (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *query = "zzqx <nonsense> & 42";
  AdwStatusPage *page;
  g_autofree char *escaped = g_markup_escape_text (query, -1);

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  search_for (fixture->window, query, "empty");

  page = mm_window_get_results_status_page (fixture->window);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Models Found");
  /* The description names the query, escaped: it is markup. */
  g_assert_nonnull (strstr (adw_status_page_get_description (page), escaped));
  g_assert_cmpuint (g_list_model_get_n_items (mm_window_get_results (fixture->window)), ==, 0);
}

static gboolean
offline_shown_cb (gpointer data)
{
  MmWindow *window = data;

  return state_is (window, "error");
}

static gboolean
not_error_cb (gpointer data)
{
  MmWindow *window = data;

  return !state_is (window, "error");
}

static void
assert_error_page (Fixture    *fixture,
                   const char *title)
{
  AdwStatusPage *page = mm_window_get_results_status_page (fixture->window);

  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, title);
  g_assert_nonnull (adw_status_page_get_description (page));
  g_assert_cmpstr (adw_status_page_get_description (page), !=, "");
  /* In words, not libsoup's own ("Could not connect to 127.0.0.1: …"). */
  g_assert_null (strstr (adw_status_page_get_description (page), "Could not connect"));
}

/* A Hub that refuses the connection on a working network is not "offline";
 * with no network it is, and the search runs again when the network is back. */
static void
test_search_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GNetworkMonitor) monitor = mm_fake_network_monitor_new ();
  g_autoptr(MmDownloadManager) manager = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "Models", NULL);
  AdwStatusPage *page;
  GtkWidget *button;
  GListModel *before;

  manager = mm_download_manager_new (fixture->client, dir, NULL);
  mm_download_manager_set_network_monitor (manager, monitor);
  mm_window_set_download_manager (fixture->window, manager);

  mm_test_wait_until (offline_shown_cb, fixture->window, TIMEOUT_MS);
  assert_error_page (fixture, "Could Not Reach the Hub");
  g_assert_nonnull (strstr (adw_status_page_get_description (
                              mm_window_get_results_status_page (fixture->window)),
                            "refused the connection"));

  page = mm_window_get_results_status_page (fixture->window);
  button = adw_status_page_get_child (page);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Retry");
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  /* No network: offline, said so. Retry searches again: loading, then the
   * error once more. Never a spinner forever. */
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), FALSE);
  before = mm_window_get_results (fixture->window);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (mm_window_get_results (fixture->window) != before);
  mm_test_wait_until (not_error_cb, fixture->window, TIMEOUT_MS);
  mm_test_wait_until (offline_shown_cb, fixture->window, TIMEOUT_MS);
  assert_error_page (fixture, "You Are Offline");

  /* The network is back: the search runs again by itself. */
  before = mm_window_get_results (fixture->window);
  mm_fake_network_monitor_set_available (MM_FAKE_NETWORK_MONITOR (monitor), TRUE);
  g_assert_true (mm_window_get_results (fixture->window) != before);
  mm_test_wait_until (not_error_cb, fixture->window, TIMEOUT_MS);
  mm_test_wait_until (offline_shown_cb, fixture->window, TIMEOUT_MS);
  assert_error_page (fixture, "Could Not Reach the Hub");

  mm_window_set_download_manager (fixture->window, NULL);
}

/* The detail pane's word on access: a gated model says what to do before
 * any click, depending on the token and on what the Hub says about it; a
 * private model without access explains itself in the error state. */
typedef struct {
  const char      *path;
  const char      *repo;
  const char      *gated;    /* the search result's "gated" */
  const char      *token;
  const char      *state;
  const char      *says;     /* (nullable) the access text has this; NULL: no text */
  MmAccessActions  actions;
  const char      *blocked;  /* (nullable) the turned-off Download buttons' tooltip */
} AccessCase;

static const AccessCase access_cases[] = {
  { "/app/window/detail/access/gated-no-token", "example-org/Gated-7B-GGUF", "manual", NULL,
    "content", "Sign in with an access token",
    MM_ACCESS_ACTION_ADD_TOKEN | MM_ACCESS_ACTION_OPEN_MODEL_PAGE,
    "Sign in with an access token, then ask for access on the model’s page." },
  { "/app/window/detail/access/gated-granted", "example-org/Gated-7B-GGUF", "manual",
    MM_MOCK_HUB_TOKEN, "content", "approved your account", MM_ACCESS_ACTION_NONE },
  { "/app/window/detail/access/gated-not-granted", "example-org/Gated-7B-GGUF", "manual",
    MM_MOCK_HUB_TOKEN_NOACCESS, "content", "not been granted access yet",
    MM_ACCESS_ACTION_OPEN_MODEL_PAGE,
    "Your account has not been granted access yet: ask for access on the model’s page." },
  { "/app/window/detail/access/gated-bad-token", "solo-dev/tinychat-nano-GGUF", "manual",
    "hf_mockrefusedtoken0123456789abcdefgh", "content", "did not accept your access token",
    MM_ACCESS_ACTION_ADD_TOKEN, "The Hub did not accept your access token." },
  { "/app/window/detail/access/not-gated", "example-org/TinyChat-1.1B-GGUF", NULL, NULL,
    "content", NULL, MM_ACCESS_ACTION_NONE },
  /* The mock Hub serves its info with "disabled": true and refuses its files. */
  { "/app/window/detail/access/disabled", "disabled-org/Disabled-GGUF", NULL, NULL,
    "content", "The owner or the Hub disabled this repository", MM_ACCESS_ACTION_NONE,
    "its files cannot be downloaded" },
  { "/app/window/detail/access/private-no-token", MM_MOCK_HUB_PRIVATE_REPO, NULL, NULL,
    "error", "does not exist or is private", MM_ACCESS_ACTION_ADD_TOKEN },
  { "/app/window/detail/access/private-no-access", MM_MOCK_HUB_PRIVATE_REPO, NULL,
    MM_MOCK_HUB_TOKEN_NOACCESS, "error", "does not exist or is private",
    MM_ACCESS_ACTION_ADD_TOKEN },
  { "/app/window/detail/access/private-visible", MM_MOCK_HUB_PRIVATE_REPO, NULL,
    MM_MOCK_HUB_TOKEN, "content", NULL, MM_ACCESS_ACTION_NONE },
};

static gboolean
access_settled_cb (gpointer data)
{
  MmModelDetail *detail = data;

  return detail_settled_cb (detail) && !mm_model_detail_get_access_checking (detail);
}

static void
test_detail_access (gconstpointer data)
{
  const AccessCase *c = data;
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), c->token);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(MmModel) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(MmDownloadManager) manager = NULL;
  g_auto(GStrv) titles = NULL;
  MmModelDetail *detail;
  GtkWidget *window;
  const char *text;

  json = c->gated ? g_strdup_printf ("{\"id\": \"%s\", \"gated\": \"%s\"}", c->repo, c->gated)
                  : g_strdup_printf ("{\"id\": \"%s\", \"gated\": false}", c->repo);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  result = mm_model_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 700);
  manager = mm_download_manager_new (client, g_get_user_data_dir (), NULL);
  detail = g_object_new (MM_TYPE_MODEL_DETAIL, "client", client, "download-manager", manager,
                         NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
  gtk_window_present (GTK_WINDOW (window));

  mm_model_detail_set_model (detail, result);
  mm_test_wait_until (access_settled_cb, detail, TIMEOUT_MS);

  /* Without access the Download buttons are off, and say why in the
   * words of the notice; with access (or no gate) they are on. */
  titles = mm_model_detail_get_quant_titles (detail);
  if (g_str_equal (c->state, "content"))
    g_assert_cmpuint (g_strv_length (titles), >, 0);
  for (guint i = 0; titles[i] != NULL; i++)
    {
      MmQuantRow *row = MM_QUANT_ROW (mm_model_detail_find_quant_row (detail, titles[i]));

      if (!mm_quant_row_get_can_download (row))
        continue;
      if (c->blocked == NULL)
        {
          g_assert_null (mm_quant_row_get_blocked (row));
          g_assert_true (mm_quant_row_get_download_sensitive (row));
        }
      else
        {
          g_assert_nonnull (mm_quant_row_get_blocked (row));
          if (strstr (mm_quant_row_get_blocked (row), c->blocked) == NULL)
            g_error ("Download says “%s”, not “%s”", mm_quant_row_get_blocked (row), c->blocked);
          g_assert_false (mm_quant_row_get_download_sensitive (row));
          /* Not the token's words when the token is fine. */
          if (c->token != NULL && g_str_equal (c->token, MM_MOCK_HUB_TOKEN_NOACCESS))
            g_assert_null (strstr (mm_quant_row_get_blocked (row), "token"));
        }
    }

  g_assert_cmpstr (mm_model_detail_get_state (detail), ==, c->state);
  text = mm_model_detail_get_access_text (detail);
  if (c->says == NULL)
    g_assert_null (text);
  else if (text == NULL || strstr (text, c->says) == NULL)
    g_error ("The pane says “%s”, not “%s”", text ? text : "(nothing)", c->says);
  g_assert_cmpint (mm_model_detail_get_access_actions (detail), ==, c->actions);
  if (c->token != NULL && text != NULL)
    g_assert_null (strstr (text, c->token));
  if (g_str_equal (c->state, "content"))
    g_assert_cmpint (mm_model_get_private (mm_model_detail_get_model (detail)), ==,
                     g_str_equal (c->repo, MM_MOCK_HUB_PRIVATE_REPO));

  gtk_window_destroy (GTK_WINDOW (window));
  mm_test_wait_finalized (g_steal_pointer (&manager));
  mm_test_wait_finalized (g_steal_pointer (&client));
}

/* The header of a quantization, read when its row is expanded */

typedef struct {
  MmHubClient   *client;
  GtkWidget     *window;
  MmModelDetail *detail;
} HeaderFixture;

static MmModel *
model_from_json (const char *repo,
                 const char *gated)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  MmModel *model;

  json = gated ? g_strdup_printf ("{\"id\": \"%s\", \"gated\": \"%s\"}", repo, gated)
               : g_strdup_printf ("{\"id\": \"%s\", \"gated\": false}", repo);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  model = mm_model_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return model;
}

static void
header_fixture_open (HeaderFixture *f,
                     const char    *token,
                     const char    *repo,
                     const char    *gated,
                     int            width)
{
  g_autoptr(MmModel) model = model_from_json (repo, gated);

  f->client = mm_hub_client_new (mm_mock_hub_get_url (hub), token);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 700);
  f->detail = g_object_new (MM_TYPE_MODEL_DETAIL, "client", f->client, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->detail));
  gtk_window_present (GTK_WINDOW (f->window));

  mm_model_detail_set_model (f->detail, model);
  mm_test_wait_until (access_settled_cb, f->detail, TIMEOUT_MS);
  g_assert_cmpstr (mm_model_detail_get_state (f->detail), ==, "content");
}

static void
header_fixture_close (HeaderFixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  mm_test_wait_finalized (g_steal_pointer (&f->client));
}

static MmQuantHeaderState
row_header_state (MmQuantRow *row)
{
  return mm_quant_get_header_state (mm_quant_row_get_quant (row));
}

static gboolean
header_settled_cb (gpointer data)
{
  MmQuantHeaderState state = row_header_state (data);

  return state == MM_QUANT_HEADER_STATE_LOADED || state == MM_QUANT_HEADER_STATE_FAILED;
}

static gboolean
header_not_reading_cb (gpointer data)
{
  return row_header_state (data) != MM_QUANT_HEADER_STATE_READING;
}

/* Expands the row of @label as a click would, and waits for its header. */
static MmQuantRow *
expand_quant (MmModelDetail *detail,
              const char    *label)
{
  GtkWidget *row = mm_model_detail_find_quant_row (detail, label);

  g_assert_nonnull (row);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), !=,
                   MM_QUANT_HEADER_STATE_LOADED);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_READING);
  g_assert_cmpstr (mm_quant_row_get_header_title (MM_QUANT_ROW (row)), ==,
                   "Reading the File Header…");
  mm_test_wait_until (header_settled_cb, row, TIMEOUT_MS);
  return MM_QUANT_ROW (row);
}

static gboolean
layers_fact_cb (gpointer data)
{
  return mm_model_detail_get_fact (data, "layers") != NULL;
}

static gboolean
header_progress_shown_cb (gpointer data)
{
  const char *subtitle = mm_quant_row_get_header_subtitle (data);

  return subtitle != NULL && g_str_has_prefix (subtitle, "Read ");
}

static gboolean
header_cancelled_cb (gpointer data)
{
  return row_header_state (data) == MM_QUANT_HEADER_STATE_CANCELLED;
}

/* On a slow link the reading row shows how much it has read (no bar: the
 * 600 KiB file could need more than this step); Cancel stops it and offers
 * Read Again, which reads it. */
static void
test_detail_header_progress_cancel (void)
{
  HeaderFixture f = { 0, };
  GtkWidget *row;

  header_fixture_open (&f, NULL, "tiny-org/Pico-GGUF", NULL, 800);
  /* The header read at load is done before the link slows down. */
  mm_test_wait_until (layers_fact_cb, f.detail, TIMEOUT_MS);
  mm_mock_hub_set_cdn_rate (hub, 8 * 1024);

  row = mm_model_detail_find_quant_row (f.detail, "Q8_0");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_READING);
  mm_test_wait_until (header_progress_shown_cb, row, TIMEOUT_MS);
  g_test_message ("Reading: %s, %.2f", mm_quant_row_get_header_subtitle (MM_QUANT_ROW (row)),
                  mm_quant_row_get_header_fraction (MM_QUANT_ROW (row)));
  g_assert_true (g_str_has_suffix (mm_quant_row_get_header_subtitle (MM_QUANT_ROW (row)),
                                   " of the header"));
  g_assert_cmpfloat (mm_quant_row_get_header_fraction (MM_QUANT_ROW (row)), ==, -1);

  mm_quant_row_cancel_header (MM_QUANT_ROW (row));
  mm_test_wait_until (header_cancelled_cb, row, TIMEOUT_MS);
  g_assert_cmpstr (mm_quant_row_get_header_title (MM_QUANT_ROW (row)), ==,
                   "File Header Not Read");
  g_assert_cmpfloat (mm_quant_row_get_header_fraction (MM_QUANT_ROW (row)), ==, -1);
  /* Collapsing and expanding again does not start it by itself. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_CANCELLED);

  mm_mock_hub_set_cdn_rate (hub, 0);
  mm_quant_row_read_header_again (MM_QUANT_ROW (row));
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_READING);
  mm_test_wait_until (header_settled_cb, row, TIMEOUT_MS);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_LOADED);
  g_assert_null (mm_quant_row_get_header_title (MM_QUANT_ROW (row)));

  header_fixture_close (&f);
}

/* A file whose header names another quantization than its name: the row
 * says what the header says (the type is otherwise the row's title). */
static void
test_detail_header_type_differs (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  MmQuantRow *row;

  g_ptr_array_add (files, mm_repo_file_new ("Odd-Q4_K_M.gguf", 4096, NULL, NULL));
  quants = mm_quant_group_files (files, 0, NULL, NULL);
  g_assert_cmpuint (quants->len, ==, 1);
  row = MM_QUANT_ROW (g_object_ref_sink (mm_quant_row_new (g_ptr_array_index (quants, 0),
                                                           NULL, NULL)));

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  /* 7 is Q8_0 in llama.cpp's file types. */
  mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32, 7);
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  info = mm_gguf_reader_parse_bytes (bytes, &error);
  g_assert_no_error (error);

  _mm_quant_set_header (mm_quant_row_get_quant (row), info);
  g_assert_cmpstr (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_FILE_TYPE), ==, "Q8_0");
  g_assert_cmpstr (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_CHAT_TEMPLATE), ==, "No");

  g_assert_finalize_object (row);
}

static void
test_detail_header_facts (void)
{
  HeaderFixture f = { 0, };
  MmQuantRow *row;
  guint resolves;

  header_fixture_open (&f, NULL, "tiny-org/Pico-GGUF", NULL, 800);
  /* The smallest choice's header gave the model's shape at load, and the
   * choice kept it: expanding its row reads nothing. */
  mm_test_wait_until (layers_fact_cb, f.detail, TIMEOUT_MS);
  row = MM_QUANT_ROW (mm_model_detail_find_quant_row (f.detail, "Q4_K_M"));
  g_assert_cmpint (row_header_state (row), ==, MM_QUANT_HEADER_STATE_LOADED);
  resolves = mm_mock_hub_get_request_count (hub, "/tiny-org/Pico-GGUF/resolve/");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (row), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_null (mm_quant_row_get_header_title (row));
  /* The file's own facts: the type is the row's title already (the
   * header agrees with the file name), the chat template is the file's. */
  g_assert_null (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_FILE_TYPE));
  g_assert_cmpstr (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_CHAT_TEMPLATE), ==, "No");

  /* The model's facts, once, in Details: the header read at load adds
   * the layers and the embedding size. One layer: Pico's files are small
   * enough to hold its every tensor. */
  g_assert_cmpstr (mm_model_detail_get_fact (f.detail, "layers"), ==, "1");
  g_assert_cmpstr (mm_model_detail_get_fact (f.detail, "embedding-size"), ==, "256");
  g_assert_cmpstr (mm_model_detail_get_fact (f.detail, "architecture"), ==, "llama");
  g_assert_cmpstr (mm_model_detail_get_fact (f.detail, "context-length"), ==, "512 tokens");
  g_assert_nonnull (mm_model_detail_get_fact (f.detail, "parameters"));

  /* Collapsing and expanding again shows the same without asking again. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (row), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/tiny-org/Pico-GGUF/resolve/"), ==,
                    resolves);

  /* A split set reads part 1. */
  row = expand_quant (f.detail, "Q2_K");
  g_assert_cmpint (row_header_state (row), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_cmpstr (mm_quant_get_header_path (mm_quant_row_get_quant (row)), ==, "Pico-Q2_K-00001-of-00002.gguf");
  g_assert_null (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_FILE_TYPE));
  g_assert_cmpstr (mm_quant_row_get_fact_text (row, MM_QUANT_ROW_FACT_CHAT_TEMPLATE), ==, "No");

  header_fixture_close (&f);
}

static gboolean
layers_known_cb (gpointer data)
{
  const char *text = mm_quant_row_get_fit_text (data);

  return text != NULL && strstr (text, "of 80 layers") != NULL;
}

/* Where each choice runs on a machine with a 24 GiB GPU and 64 GiB of
 * RAM: the layers come from a header the pane reads by itself, the
 * recommendation is starred, and both follow the RAM budget. */
static void
test_detail_fit_gpu (void)
{
  HeaderFixture f = { 0, };
  g_autoptr(MmSettings) settings = _mm_settings_new_in_memory ();
  g_autoptr(MmMachine) machine = mm_machine_new (settings);
  g_autoptr(GPtrArray) gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  MmQuantRow *q4;
  MmQuantRow *q8;
  const char *tooltip;

  g_ptr_array_add (gpus, _mm_gpu_new ("Test GPU", "test", MM_GPU_KIND_DEDICATED, 24 * GIB));
  _mm_machine_set_hardware (machine, 64 * GIB, gpus);

  header_fixture_open (&f, NULL, "big-org/Giant-70B-GGUF", NULL, 1100);
  mm_model_detail_set_machine (f.detail, machine);
  g_assert_true (mm_model_detail_get_machine (f.detail) == machine);
  q4 = MM_QUANT_ROW (mm_model_detail_find_quant_row (f.detail, "Q4_K_M"));
  mm_test_wait_until (layers_known_cb, q4, TIMEOUT_MS);
  q8 = MM_QUANT_ROW (mm_model_detail_find_quant_row (f.detail, "Q8_0"));

  g_assert_cmpstr (mm_quant_row_get_fit_text (q4), ==, "Partly on the GPU — 40 of 80 layers");
  g_assert_cmpstr (mm_quant_row_get_fit_text (q8), ==, "Partly on the GPU — 22 of 80 layers");
  /* An incomplete set shows that instead. */
  g_assert_null (mm_quant_row_get_fit_text (MM_QUANT_ROW (mm_model_detail_find_quant_row (f.detail,
                                                                                          "F16"))));
  tooltip = mm_quant_row_get_fit_tooltip (q4);
  /* In words a person knows: no "KV cache", no "runtime". */
  g_test_message ("Tooltip: %s", tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "Too large for your GPU’s 25.8" NBSP "GB of memory "
                                            "alone: 40 of 80 layers run there, the rest on the "
                                            "processor, with a 4096-token context\n"));
  g_assert_nonnull (strstr (tooltip, "\nAbout "));
  g_assert_nonnull (strstr (tooltip, ": 42.6" NBSP "GB for the model, 1.3" NBSP "GB to remember "
                                     "the conversation and "));
  g_assert_null (strstr (tooltip, "KV"));
  g_assert_null (strstr (tooltip, "runtime"));
  g_assert_cmpstr (mm_model_detail_get_recommended (f.detail), ==, "Q4_K_M");
  g_assert_true (mm_quant_row_get_recommended (q4));
  g_assert_false (mm_quant_row_get_recommended (q8));

  /* A 20 GB budget leaves too little RAM for Q4_K_M's other 40 layers. */
  mm_settings_set_ram_budget (settings, 20000000000);
  g_assert_cmpstr (mm_quant_row_get_fit_text (q4), ==, "Too large for this computer");
  g_assert_null (mm_model_detail_get_recommended (f.detail));
  g_assert_false (mm_quant_row_get_recommended (q4));

  mm_settings_set_ram_budget (settings, 0);
  g_assert_cmpstr (mm_model_detail_get_recommended (f.detail), ==, "Q4_K_M");
  g_assert_true (mm_quant_row_get_recommended (q4));

  /* A longer context counts a bigger KV cache: fewer layers fit. */
  mm_settings_set_estimate_context (settings, 65536);
  g_assert_nonnull (strstr (mm_quant_row_get_fit_tooltip (q4), "with a 65536-token context"));
  g_assert_cmpstr (mm_quant_row_get_fit_text (q4), !=, "Partly on the GPU — 40 of 80 layers");

  header_fixture_close (&f);
  g_assert_finalize_object (g_steal_pointer (&machine));
  g_assert_finalize_object (g_steal_pointer (&settings));
}

static MmCompareWindow *
find_compare_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (MM_IS_COMPARE_WINDOW (window))
        return MM_COMPARE_WINDOW (window);
    }
  return NULL;
}

static void
set_compare (MmModelDetail *detail,
             const char    *label,
             gboolean       on)
{
  GtkWidget *row = mm_model_detail_find_quant_row (detail, label);
  GtkWidget *toggle;

  g_assert_nonnull (row);
  toggle = mm_quant_row_get_compare_switch (MM_QUANT_ROW (row));
  g_assert_nonnull (toggle);
  g_assert_true (gtk_widget_get_sensitive (toggle));
  gtk_switch_set_active (GTK_SWITCH (toggle), on);
}

static gboolean
compare_layout_settled_cb (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Picks choices of two models with the rows' Compare switches and opens
 * them side by side: a table in a wide window, cards in a narrow one. */
static void
test_detail_compare (void)
{
  HeaderFixture f = { 0, };
  g_autoptr(MmSettings) settings = _mm_settings_new_in_memory ();
  g_autoptr(MmMachine) machine = mm_machine_new (settings);
  g_autoptr(MmComparison) comparison = mm_comparison_new ();
  g_autoptr(GPtrArray) gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  g_autoptr(MmModel) giant = model_from_json ("big-org/Giant-70B-GGUF", NULL);
  MmCompareWindow *wide;
  MmCompareWindow *narrow;
  GtkWidget *toggle;

  g_ptr_array_add (gpus, _mm_gpu_new ("Test GPU", "test", MM_GPU_KIND_DEDICATED, 24 * GIB));
  _mm_machine_set_hardware (machine, 64 * GIB, gpus);

  header_fixture_open (&f, NULL, "example-org/TinyChat-1.1B-GGUF", NULL, 1100);
  mm_model_detail_set_machine (f.detail, machine);
  mm_model_detail_set_comparison (f.detail, comparison);
  g_assert_true (mm_model_detail_get_comparison (f.detail) == comparison);

  set_compare (f.detail, "Q4_K_M", TRUE);
  set_compare (f.detail, "IQ4_XS", TRUE);
  set_compare (f.detail, "Q8_0", TRUE);
  g_assert_cmpuint (mm_comparison_get_n_items (comparison), ==, 3);
  set_compare (f.detail, "Q8_0", FALSE);
  g_assert_false (mm_comparison_contains (comparison, "example-org/TinyChat-1.1B-GGUF", "Q8_0"));

  /* Another model: its rows know nothing is picked of it yet. */
  mm_model_detail_set_model (f.detail, giant);
  mm_test_wait_until (access_settled_cb, f.detail, TIMEOUT_MS);
  mm_test_wait_until (layers_known_cb,
                      mm_model_detail_find_quant_row (f.detail, "Q4_K_M"), TIMEOUT_MS);
  toggle = mm_quant_row_get_compare_switch (MM_QUANT_ROW (mm_model_detail_find_quant_row (
                                              f.detail, "Q4_K_M")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  set_compare (f.detail, "Q4_K_M", TRUE);
  set_compare (f.detail, "Q8_0", TRUE);
  /* Four: a fifth cannot be turned on; an incomplete set cannot either. */
  g_assert_null (mm_quant_row_get_compare_switch (MM_QUANT_ROW (mm_model_detail_find_quant_row (
                                                    f.detail, "F16"))));
  mm_comparison_remove (comparison, "big-org/Giant-70B-GGUF", "Q8_0");
  toggle = mm_quant_row_get_compare_switch (MM_QUANT_ROW (mm_model_detail_find_quant_row (
                                              f.detail, "Q8_0")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  mm_comparison_add (comparison, giant,
                     mm_quant_row_get_quant (MM_QUANT_ROW (mm_model_detail_find_quant_row (
                       f.detail, "Q8_0"))), NULL, NULL);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  mm_comparison_remove (comparison, "big-org/Giant-70B-GGUF", "Q8_0");

  /* The bar's Compare opens the window, at the main window's size. */
  mm_model_detail_open_comparison (f.detail);
  wide = find_compare_window ();
  g_assert_nonnull (wide);
  gtk_window_set_default_size (GTK_WINDOW (wide), 1400, 800);
  mm_test_wait_until (compare_layout_settled_cb, wide, TIMEOUT_MS);
  mm_test_wait_ms (200);
  g_assert_cmpuint (mm_compare_window_get_n_columns (wide), ==, 3);
  g_assert_true (mm_compare_window_get_showing_table (wide));
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 0, MM_COMPARE_FACT_QUALITY), ==,
                   "+0.1754 perplexity (Llama-3-8B)");
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 1, MM_COMPARE_FACT_QUALITY), ==,
                   "Not published");
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 2, MM_COMPARE_FACT_PLACEMENT), ==,
                   "Partly on the GPU — 40 of 80 layers");
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 2, MM_COMPARE_FACT_LICENSE), ==,
                   "Llama 3.1 Community License");
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 0, MM_COMPARE_FACT_MEMORY), ==,
                   "1.1" NBSP "GB at 2048 tokens");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (mm_compare_window_get_action_button (wide,
                                                                                          0))),
                   ==, "_Download");

  /* The same comparison at a phone's width: cards. */
  narrow = mm_compare_window_new (NULL, comparison, machine, NULL);
  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 700);
  gtk_window_present (GTK_WINDOW (narrow));
  mm_test_wait_until (compare_layout_settled_cb, narrow, TIMEOUT_MS);
  mm_test_wait_ms (200);
  g_assert_false (mm_compare_window_get_showing_table (narrow));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (narrow)), <=, 360);

  /* Taking one out shows one column less; the context follows the settings. */
  mm_comparison_remove (comparison, "example-org/TinyChat-1.1B-GGUF", "IQ4_XS");
  g_assert_cmpuint (mm_compare_window_get_n_columns (wide), ==, 2);
  mm_settings_set_estimate_context (settings, 1024);
  /* 42.60 GB + 80 × 1024 × 2048 × 2 bytes of KV (0.34 GB) + 320 MiB + 2% (1.19 GB). */
  g_assert_cmpstr (mm_compare_window_get_cell (wide, 1, MM_COMPARE_FACT_MEMORY), ==,
                   "44.1" NBSP "GB at 1024 tokens");
  mm_comparison_clear (comparison);
  g_assert_cmpuint (mm_compare_window_get_n_columns (wide), ==, 0);

  gtk_window_destroy (GTK_WINDOW (narrow));
  gtk_window_destroy (GTK_WINDOW (wide));
  header_fixture_close (&f);
  g_assert_finalize_object (g_steal_pointer (&comparison));
  g_assert_finalize_object (g_steal_pointer (&machine));
  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_detail_header_gated (void)
{
  HeaderFixture f = { 0, };
  MmAccessHelp help;
  MmQuantRow *row;

  header_fixture_open (&f, NULL, "example-org/Gated-7B-GGUF", "manual", 800);
  row = expand_quant (f.detail, "IQ1_S");

  g_assert_cmpint (row_header_state (row), ==, MM_QUANT_HEADER_STATE_FAILED);
  g_assert_true (mm_access_help_init (&help, MM_ACCESS_PROBLEM_GATED_NO_TOKEN, MM_GATED_MANUAL));
  g_assert_cmpstr (mm_quant_row_get_header_title (row), ==, help.title);
  g_assert_cmpstr (mm_quant_row_get_header_subtitle (row), ==, help.explanation);
  for (guint i = 0; i < MM_QUANT_ROW_N_FACTS; i++)
    g_assert_null (mm_quant_row_get_fact_text (row, i));

  header_fixture_close (&f);
}

/* Another model cancels the read, and the row forgets it was asked. */
static void
test_detail_header_cancelled (void)
{
  HeaderFixture f = { 0, };
  g_autoptr(MmModel) other = model_from_json ("example-org/TinyChat-1.1B-GGUF", NULL);
  g_autoptr(GtkWidget) row = NULL;

  header_fixture_open (&f, NULL, "tiny-org/Pico-GGUF", NULL, 800);
  mm_mock_hub_set_cdn_rate (hub, 1024);
  row = g_object_ref (mm_model_detail_find_quant_row (f.detail, "Q8_0"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_READING);

  mm_model_detail_set_model (f.detail, other);
  mm_test_wait_until (header_not_reading_cb, row, TIMEOUT_MS);
  g_assert_cmpint (row_header_state (MM_QUANT_ROW (row)), ==,
                   MM_QUANT_HEADER_STATE_NONE);
  mm_mock_hub_set_cdn_rate (hub, 0);
  mm_test_wait_until (access_settled_cb, f.detail, TIMEOUT_MS);

  /* The row's choice keeps the client it would read with. */
  g_clear_object (&row);
  header_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Isolated directories for what the app writes, but the system's icon
   * theme: without it GTK falls back to icons it cannot load. */
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  adw_init ();

  hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);

  g_test_add ("/app/window/search/results", Fixture, NULL,
              fixture_setup, test_search_results, fixture_teardown);
  g_test_add ("/app/window/search/no-results", Fixture, NULL,
              fixture_setup, test_search_no_results, fixture_teardown);
  g_test_add ("/app/window/search/offline", Fixture, NULL,
              fixture_setup_offline, test_search_offline, fixture_teardown);
  g_test_add ("/app/window/detail/quantizations", Fixture, NULL,
              fixture_setup, test_detail_quantizations, fixture_teardown);
  g_test_add ("/app/window/detail/tab-reaches-download", Fixture, NULL,
              fixture_setup, test_detail_tab_reaches_download, fixture_teardown);
  g_test_add ("/app/window/detail/tab-reaches-access-buttons", Fixture, NULL,
              fixture_setup, test_detail_tab_reaches_access_buttons, fixture_teardown);
  g_test_add ("/app/window/views-by-keyboard", Fixture, NULL,
              fixture_setup, test_views_by_keyboard, fixture_teardown);
  g_test_add ("/app/window/switcher-stays-with-badge", Fixture, NULL,
              fixture_setup, test_switcher_stays_with_badge, fixture_teardown);
  g_test_add ("/app/window/detail/no-gguf", Fixture, NULL,
              fixture_setup, test_detail_no_gguf, fixture_teardown);

  for (guint i = 0; i < G_N_ELEMENTS (access_cases); i++)
    g_test_add_data_func (access_cases[i].path, &access_cases[i], test_detail_access);

  g_test_add_func ("/app/window/detail/header/facts", test_detail_header_facts);
  g_test_add_func ("/app/window/detail/header/gated", test_detail_header_gated);
  g_test_add_func ("/app/window/detail/header/type-differs", test_detail_header_type_differs);
  g_test_add_func ("/app/window/detail/header/progress-and-cancel",
                   test_detail_header_progress_cancel);
  g_test_add_func ("/app/window/detail/fit/gpu", test_detail_fit_gpu);
  g_test_add_func ("/app/window/detail/compare", test_detail_compare);
  g_test_add_func ("/app/window/detail/header/cancelled", test_detail_header_cancelled);

  ret = g_test_run ();

  mm_mock_hub_stop (hub);
  g_assert_finalize_object (hub);
  return ret;
}
