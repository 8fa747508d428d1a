/* test-find-ui.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding a model faster, in the window against the mock Hub: a pasted
 * link or id opens the model, junk says why, a missing model says so; the
 * size, architecture and fit filters beside the sort; the parameter count
 * on the result rows. Every wait has a timeout.
 */
#include "config.h"

#include <adwaita.h>

#include "mm-mock-hub.h"
#include "mm-model-detail.h"
#include "mm-model-row.h"
#include "mm-search-results-private.h"
#include "mm-test-utils.h"
#include "mm-window.h"

#define TIMEOUT_MS 15000

static MmMockHub *hub;

typedef struct {
  MmHubClient *client;
  MmWindow    *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  fixture->window = g_object_ref_sink (mm_window_new (NULL, fixture->client, NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  mm_test_wait_finalized (g_steal_pointer (&fixture->window));
  mm_test_wait_finalized (g_steal_pointer (&fixture->client));
}

static gboolean
has_results_cb (gpointer data)
{
  MmWindow *window = data;
  GListModel *results = mm_window_get_results (window);

  return g_strcmp0 (mm_window_get_results_state (window), "results") == 0 &&
         results != NULL && g_list_model_get_n_items (results) > 0;
}

static gboolean
results_settled_cb (gpointer data)
{
  MmWindow *window = data;
  GListModel *results = mm_window_get_results (window);
  const char *state = mm_window_get_results_state (window);

  return results != NULL && !mm_search_results_get_loading (MM_SEARCH_RESULTS (results)) &&
         (g_strcmp0 (state, "results") == 0 || g_strcmp0 (state, "empty") == 0);
}

typedef struct {
  MmModelDetail *detail;
  const char    *id;
} DetailWait;

static gboolean
detail_shows_cb (gpointer data)
{
  DetailWait *wait = data;
  MmModel *model = mm_model_detail_get_model (wait->detail);
  const char *state = mm_model_detail_get_state (wait->detail);

  return model != NULL && g_strcmp0 (mm_model_get_id (model), wait->id) == 0 &&
         !g_str_equal (state, "loading") && !g_str_equal (state, "empty");
}

static void
wait_detail (MmWindow   *window,
             const char *id)
{
  DetailWait wait = { mm_window_get_detail (window), id };

  mm_test_wait_until (detail_shows_cb, &wait, TIMEOUT_MS);
}

static gboolean
link_shown_cb (gpointer data)
{
  return g_strcmp0 (mm_window_get_results_state (data), "link") == 0;
}

/* What pasting does: the whole text arrives at once. */
static void
paste (MmWindow   *window,
       const char *text)
{
  gtk_editable_set_text (mm_window_get_search_entry (window), text);
}

typedef struct {
  MmWindow   *window;
  const char *text;
} TextWait;

static gboolean
searched_text_cb (gpointer data)
{
  TextWait *wait = data;
  GListModel *results = mm_window_get_results (wait->window);

  return results != NULL &&
         g_str_equal (_mm_search_results_get_text (MM_SEARCH_RESULTS (results)), wait->text) &&
         results_settled_cb (wait->window);
}

/* Waits for the search for @text to end. Setting the text empties the
 * entry first, which searches for nothing at once: wait past that. */
static void
wait_search_text (MmWindow   *window,
                  const char *text)
{
  TextWait wait = { window, text };

  mm_test_wait_until (searched_text_cb, &wait, TIMEOUT_MS);
}

/* Each form of a model's link opens that model, from the Hub's hosts and
 * from the endpoint the app talks to. */
static void
test_link_forms (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *id = "example-org/TinyChat-1.1B-GGUF";
  g_autofree char *endpoint_link = g_strdup_printf ("%s/%s/tree/main",
                                                    mm_mock_hub_get_url (hub), id);
  const char *forms[] = {
    "https://huggingface.co/example-org/TinyChat-1.1B-GGUF",
    "https://huggingface.co/example-org/TinyChat-1.1B-GGUF/",
    "https://huggingface.co/example-org/TinyChat-1.1B-GGUF/tree/main",
    "https://huggingface.co/example-org/TinyChat-1.1B-GGUF/blob/main/README.md",
    "https://huggingface.co/example-org/TinyChat-1.1B-GGUF/resolve/main/"
      "TinyChat-1.1B-Q4_K_M.gguf?download=true",
    "hf.co/example-org/TinyChat-1.1B-GGUF",
    endpoint_link,
  };
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  AdwStatusPage *page;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      /* Start from another model, so that each form must open it again. */
      paste (fixture->window, "https://huggingface.co/vision-org/Vision-7B-GGUF");
      wait_detail (fixture->window, "vision-org/Vision-7B-GGUF");

      paste (fixture->window, forms[i]);
      mm_test_wait_until (link_shown_cb, fixture->window, TIMEOUT_MS);
      wait_detail (fixture->window, id);
      g_assert_cmpstr (mm_model_detail_get_state (detail), ==, "content");
      g_assert_null (mm_window_get_results (fixture->window));

      page = mm_window_get_results_status_page (fixture->window);
      g_assert_nonnull (page);
      g_assert_cmpstr (adw_status_page_get_title (page), ==, "Model From a Link");
      g_assert_nonnull (strstr (adw_status_page_get_description (page), id));
    }

  /* The page's button searches for the model's name instead. */
  g_signal_emit_by_name (adw_status_page_get_child (page), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (mm_window_get_search_entry (fixture->window)), ==,
                   "TinyChat-1.1B-GGUF");
  wait_search_text (fixture->window, "TinyChat-1.1B-GGUF");
  g_assert_cmpstr (mm_window_get_results_state (fixture->window), ==, "results");
}

/* On a narrow window the link leads straight to the detail page. */
static void
test_link_narrow (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  paste (fixture->window, "https://huggingface.co/vision-org/Vision-7B-GGUF/tree/main");
  wait_detail (fixture->window, "vision-org/Vision-7B-GGUF");
  g_assert_true (mm_window_get_showing_detail (fixture->window));
}

typedef struct {
  const char *path;
  const char *text;
  const char *message_part;
} JunkCase;

static const JunkCase junk_cases[] = {
  { "/app/find/link/junk/other-site", "https://github.com/example-org/TinyChat", "github.com" },
  { "/app/find/link/junk/dataset", "https://huggingface.co/datasets/org/name", "dataset" },
  { "/app/find/link/junk/user", "https://huggingface.co/example-org", "“example-org”" },
  { "/app/find/link/junk/front-page", "https://huggingface.co", "front page" },
  { "/app/find/link/junk/unreadable", "https://", "cannot be read" },
};

/* A link to no model says why, in the results pane, and opens nothing. */
static void
test_link_junk (Fixture       *fixture,
                gconstpointer  data)
{
  const JunkCase *c = data;
  MmModelDetail *detail = mm_window_get_detail (fixture->window);
  AdwStatusPage *page;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  paste (fixture->window, c->text);
  mm_test_wait_until (link_shown_cb, fixture->window, TIMEOUT_MS);

  page = mm_window_get_results_status_page (fixture->window);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Not a Model Link");
  if (strstr (adw_status_page_get_description (page), c->message_part) == NULL)
    g_error ("“%s” not in “%s”", c->message_part, adw_status_page_get_description (page));
  g_assert_false (gtk_widget_get_visible (adw_status_page_get_child (page)));
  g_assert_null (mm_model_detail_get_model (detail));

  /* Clearing the field searches again. */
  paste (fixture->window, "");
  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
}

/* A pasted id that the Hub does not know: the detail says so. */
static void
test_link_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  MmModelDetail *detail = mm_window_get_detail (fixture->window);

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  paste (fixture->window, "nobody-org/No-Such-Model-GGUF");
  wait_detail (fixture->window, "nobody-org/No-Such-Model-GGUF");
  g_assert_cmpstr (mm_model_detail_get_state (detail), ==, "error");
  g_assert_cmpstr (mm_model_detail_get_access_text (detail), !=, NULL);
  g_assert_nonnull (strstr (mm_model_detail_get_access_text (detail), "does not exist"));
}

/* An id typed letter by letter is searched for; Enter opens it. */
static void
test_typed_id (Fixture       *fixture,
               gconstpointer  data)
{
  GtkEditable *entry = mm_window_get_search_entry (fixture->window);
  const char *id = "vision-org/Vision-7B-GGUF";
  int position = 0;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  for (const char *p = id; *p; p++)
    gtk_editable_insert_text (entry, p, 1, &position);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, id);

  /* The search runs after its delay; no link page. */
  wait_search_text (fixture->window, id);
  g_assert_cmpstr (mm_window_get_results_state (fixture->window), ==, "results");
  g_assert_null (mm_model_detail_get_model (mm_window_get_detail (fixture->window)));

  g_signal_emit_by_name (entry, "activate");
  mm_test_wait_until (link_shown_cb, fixture->window, TIMEOUT_MS);
  wait_detail (fixture->window, id);
}

static gboolean
filtered_results_cb (gpointer data)
{
  MmWindow *window = data;
  GListModel *results = mm_window_get_results (window);

  return results_settled_cb (window) &&
         mm_search_results_get_filter (MM_SEARCH_RESULTS (results)) != NULL;
}

static const char *
filter_label (MmWindow *window)
{
  return gtk_menu_button_get_label (mm_window_get_filter_button (window));
}

static void
test_filter_size (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *results;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  g_assert_cmpstr (filter_label (fixture->window), ==, "Filters");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.filter-size", "s", "3b-8b");
  mm_test_wait_until (filtered_results_cb, fixture->window, TIMEOUT_MS);
  g_assert_cmpstr (filter_label (fixture->window), ==, "1 Filter");

  results = mm_window_get_results (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (results), >=, 8);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(MmModel) model = g_list_model_get_item (results, i);

      g_assert_cmpuint (mm_model_get_parameters (model), >=, 3000000000);
      g_assert_cmpuint (mm_model_get_parameters (model), <=, 8000000000);
    }

  /* Together with the fit: two filters, still only 3–8 B. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.filter-fits", NULL);
  mm_test_wait_until (filtered_results_cb, fixture->window, TIMEOUT_MS);
  g_assert_cmpstr (filter_label (fixture->window), ==, "2 Filters");
  g_assert_cmpuint (mm_search_results_get_filter (MM_SEARCH_RESULTS (
                      mm_window_get_results (fixture->window)))->fits_memory, >, 0);
}

static void
test_filter_architecture (Fixture       *fixture,
                          gconstpointer  data)
{
  GListModel *results;
  g_autoptr(MmModel) model = NULL;
  AdwStatusPage *page;
  GtkWidget *box;
  GtkWidget *clear = NULL;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.filter-architecture", "s",
                              "qwen2vl");
  mm_test_wait_until (filtered_results_cb, fixture->window, TIMEOUT_MS);
  results = mm_window_get_results (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  model = g_list_model_get_item (results, 0);
  g_assert_cmpstr (mm_model_get_id (model), ==, "vision-org/Vision-7B-GGUF");

  /* No filler is a qwen2vl: an empty page that says the filters did it. */
  gtk_editable_set_text (mm_window_get_search_entry (fixture->window), "filler-model");
  wait_search_text (fixture->window, "filler-model");
  g_assert_cmpstr (mm_window_get_results_state (fixture->window), ==, "empty");
  page = mm_window_get_results_status_page (fixture->window);
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "with these filters"));

  box = adw_status_page_get_child (page);
  for (GtkWidget *w = gtk_widget_get_first_child (box); w; w = gtk_widget_get_next_sibling (w))
    if (gtk_widget_get_visible (w))
      {
        g_assert_null (clear);
        clear = w;
      }
  g_assert_nonnull (clear);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (clear)), ==, "_Clear Filters");
  g_signal_emit_by_name (clear, "clicked");
  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  g_assert_null (mm_search_results_get_filter (MM_SEARCH_RESULTS (
                   mm_window_get_results (fixture->window))));
  g_assert_cmpstr (filter_label (fixture->window), ==, "Filters");
}

/* Pages of 2 and no qwen2vl among the fillers: the search stops after a
 * few pages, says so, and looks further when asked. */
static gboolean
stalled_cb (gpointer data)
{
  GListModel *results = mm_window_get_results (data);

  return results != NULL && mm_search_results_get_stalled (MM_SEARCH_RESULTS (results)) &&
         g_str_equal (_mm_search_results_get_text (MM_SEARCH_RESULTS (results)), "filler-model") &&
         g_strcmp0 (mm_window_get_results_state (data), "empty") == 0;
}

static void
test_filter_stalled (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwStatusPage *page;
  GtkWidget *look_further;
  g_autoptr(MmSearchResults) results = NULL;

  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  mm_mock_hub_set_search_limit_cap (hub, 2);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.filter-architecture", "s",
                              "qwen2vl");
  gtk_editable_set_text (mm_window_get_search_entry (fixture->window), "filler-model");
  mm_test_wait_until (stalled_cb, fixture->window, TIMEOUT_MS);

  results = g_object_ref (MM_SEARCH_RESULTS (mm_window_get_results (fixture->window)));
  g_assert_cmpuint (mm_search_results_get_scanned (results), ==, 10);
  page = mm_window_get_results_status_page (fixture->window);
  g_assert_nonnull (strstr (adw_status_page_get_description (page),
                            "none of the first 10 models is a Qwen 2 VL model"));
  look_further = gtk_widget_get_first_child (adw_status_page_get_child (page));
  g_assert_true (gtk_widget_get_visible (look_further));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (look_further)), ==, "_Look Further");

  /* The window does not walk on by itself: once all is idle, nothing loads. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (mm_search_results_get_loading (results));
  g_assert_cmpuint (mm_search_results_get_scanned (results), ==, 10);

  g_signal_emit_by_name (look_further, "clicked");
  g_assert_true (mm_search_results_get_loading (results));
  mm_test_wait_until (stalled_cb, fixture->window, TIMEOUT_MS);
  g_assert_cmpuint (mm_search_results_get_scanned (results), ==, 20);
  mm_mock_hub_set_search_limit_cap (hub, 0);
}

/* A row shows the parameter count the Hub knows. */
static gboolean
row_shows_params_cb (gpointer data)
{
  GtkWidget *view = GTK_WIDGET (mm_window_get_results_view (data));

  for (GtkWidget *child = gtk_widget_get_first_child (view); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkWidget *w;

      if (row == NULL || !MM_IS_MODEL_ROW (row) ||
          g_strcmp0 (mm_model_get_id (mm_model_row_get_model (MM_MODEL_ROW (row))),
                     "example-org/TinyChat-1.1B-GGUF") != 0)
        continue;

      /* Depth-first through the row for the label with the Parameters tooltip. */
      w = gtk_widget_get_first_child (row);
      while (w != NULL)
        {
          if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_widget_get_tooltip_text (w), "Parameters") == 0)
            return gtk_widget_get_visible (w) &&
                   g_str_equal (gtk_label_get_label (GTK_LABEL (w)), "1.1B");
          if (gtk_widget_get_first_child (w) != NULL)
            w = gtk_widget_get_first_child (w);
          else
            {
              while (w != row && gtk_widget_get_next_sibling (w) == NULL)
                w = gtk_widget_get_parent (w);
              w = w == row ? NULL : gtk_widget_get_next_sibling (w);
            }
        }
    }
  return FALSE;
}

static void
test_row_params (Fixture       *fixture,
                 gconstpointer  data)
{
  mm_test_wait_until (has_results_cb, fixture->window, TIMEOUT_MS);
  gtk_editable_set_text (mm_window_get_search_entry (fixture->window), "TinyChat");
  mm_test_wait_until (row_shows_params_cb, fixture->window, TIMEOUT_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  adw_init ();

  hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);

  g_test_add ("/app/find/link/forms", Fixture, NULL,
              fixture_setup, test_link_forms, fixture_teardown);
  g_test_add ("/app/find/link/narrow", Fixture, NULL,
              fixture_setup, test_link_narrow, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (junk_cases); i++)
    g_test_add (junk_cases[i].path, Fixture, &junk_cases[i],
                fixture_setup, test_link_junk, fixture_teardown);
  g_test_add ("/app/find/link/not-found", Fixture, NULL,
              fixture_setup, test_link_not_found, fixture_teardown);
  g_test_add ("/app/find/link/typed-id", Fixture, NULL,
              fixture_setup, test_typed_id, fixture_teardown);
  g_test_add ("/app/find/filter/size", Fixture, NULL,
              fixture_setup, test_filter_size, fixture_teardown);
  g_test_add ("/app/find/filter/architecture", Fixture, NULL,
              fixture_setup, test_filter_architecture, fixture_teardown);
  g_test_add ("/app/find/filter/stalled", Fixture, NULL,
              fixture_setup, test_filter_stalled, fixture_teardown);
  g_test_add ("/app/find/row-params", Fixture, NULL,
              fixture_setup, test_row_params, fixture_teardown);

  ret = g_test_run ();

  mm_mock_hub_stop (hub);
  g_assert_finalize_object (hub);
  return ret;
}
