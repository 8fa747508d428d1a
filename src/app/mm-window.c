/* mm-window.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: search results on the left, the selected model on the
 * right, in an AdwLeaflet that folds into one page at a time on a narrow
 * screen. The window owns one MmSearchResults per search and only reflects
 * its state (loading, has-more, error, items) in the results stack; paging
 * and errors are the model's business.
 *
 * Above it, one header bar holds an AdwViewSwitcherTitle over the views
 * "Discover" (the leaflet) and "Downloads" (MmDownloadsPage, whose badge
 * counts the active downloads); on a narrow window the switcher moves to
 * an AdwViewSwitcherBar at the bottom. Toasts go to the AdwToastOverlay
 * around everything. Closing the window while downloads run asks whether
 * to pause them or to keep downloading in the background (app.background).
 *
 * Selecting a result shows it in the detail pane. When folded, only an
 * explicit choice (a click, Enter) moves to the detail page, so that moving
 * through the list with the arrow keys does not jump away from it.
 *
 * A model's link pasted into the search field (mm_hub_link_parse() tells
 * it from words) opens that model in the detail pane at once; so does a
 * bare `organization/name` id when it was pasted or confirmed with Enter.
 * An id typed letter by letter is searched for like words, so that every
 * pause while typing does not open a half-typed model. A link that names no
 * model says why in the results pane.
 *
 * The filters beside the sort (size, architecture, fits this computer) are
 * window actions that last as long as the window; they make a new
 * MmSearchResults with an MmSearchFilter.
 */
#define G_LOG_DOMAIN "mm-window"

#include "config.h"

#include "mm-window.h"

#include "mm-model-row.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* Start fetching the next page when less than this much list is left below
 * the visible part, in pixels. */
#define LOAD_MORE_MARGIN 400

struct _MmWindow
{
  AdwApplicationWindow  parent_instance;

  MmHubClient          *client;         /* (owned) */
  MmDownloadManager    *manager;        /* (owned) (nullable) */
  GBinding             *attention_binding; /* (nullable) */
  GSettings            *settings;       /* (owned) (nullable) */
  MmSearchResults      *results;        /* (owned) (nullable) */
  GSignalGroup         *results_signals;
  GAction              *sort_action;    /* (owned) */
  GAction              *gguf_action;    /* (owned) */
  GSimpleAction        *size_action;    /* (owned) */
  GSimpleAction        *arch_action;    /* (owned) */
  GSimpleAction        *fits_action;    /* (owned) */
  guint64               total_memory;
  gboolean              pasted;
  char                 *query;          /* (owned) (nullable) text of the current search */
  MmModel              *clicked;        /* (owned) (nullable) */
  guint                 check_more_id;
  guint                 clicked_id;
  gboolean              close_confirmed;

  GMenu                *architecture_menu;
  GtkWidget            *back_button;
  MmModelDetail        *detail;
  GtkWidget            *detail_pane;
  MmDownloadsPage      *downloads_page;
  AdwViewStackPage     *downloads_stack_page;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
  GtkLabel             *footer_error_label;
  GtkLabel             *footer_stalled_label;
  GtkMenuButton        *filter_button;
  GtkWidget            *clear_filters_button;
  AdwStatusPage        *link_page;
  GtkWidget            *link_search_button;
  GtkWidget            *look_further_button;
  GtkRevealer          *footer_revealer;
  GtkSpinner           *footer_spinner;
  GtkStack             *footer_stack;
  AdwLeaflet           *leaflet;
  MmLibraryPage        *library_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *loading_spinner;
  GtkWidget            *results_pane;
  GtkScrolledWindow    *results_scroller;
  GtkStack             *results_stack;
  GtkListView          *results_view;
  GtkWidget            *retry_button;
  GtkSearchEntry       *search_entry;
  GtkSingleSelection   *selection;
  GtkMenuButton        *sort_button;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
};

G_DEFINE_FINAL_TYPE (MmWindow, mm_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_badge (MmWindow *self);

/* Whether the computer has a network: the download manager's monitor
 * (which tests replace), else the system's. */
static gboolean
network_available (MmWindow *self)
{
  if (self->manager != NULL)
    return mm_download_manager_get_network_available (self->manager);
  return g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

typedef enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  PROP_DOWNLOAD_MANAGER,
  N_PROPS,
} MmWindowProperty;

static GParamSpec *properties[N_PROPS];

static gboolean
is_cancelled (const GError *error)
{
  return error != NULL &&
         (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

static MmSort
get_sort (MmWindow *self)
{
  g_autoptr(GVariant) state = g_action_get_state (self->sort_action);
  MmSort sort = MM_SORT_DOWNLOADS;

  if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_STRING))
    mm_sort_from_string (g_variant_get_string (state, NULL), &sort);
  return sort;
}

static gboolean
get_gguf_only (MmWindow *self)
{
  g_autoptr(GVariant) state = g_action_get_state (self->gguf_action);

  if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (state);
  return TRUE;
}

static const char *
sort_label (MmSort sort)
{
  switch (sort)
    {
    case MM_SORT_LIKES:
      return _("Most Likes");
    case MM_SORT_TRENDING:
      return _("Trending");
    case MM_SORT_UPDATED:
      return _("Recently Updated");
    case MM_SORT_CREATED:
      return _("Newest");
    case MM_SORT_DOWNLOADS:
    default:
      return _("Most Downloads");
    }
}

/* The filters chosen; (transfer full), %NULL when none. */
static MmSearchFilter *
get_filter (MmWindow *self)
{
  g_autoptr(MmSearchFilter) filter = mm_search_filter_new ();
  g_autoptr(GVariant) size = g_action_get_state (G_ACTION (self->size_action));
  g_autoptr(GVariant) arch = g_action_get_state (G_ACTION (self->arch_action));
  g_autoptr(GVariant) fits = g_action_get_state (G_ACTION (self->fits_action));

  mm_size_range_from_string (g_variant_get_string (size, NULL), &filter->size);
  if (*g_variant_get_string (arch, NULL) != '\0')
    filter->architecture = g_variant_dup_string (arch, NULL);
  if (g_variant_get_boolean (fits))
    filter->fits_memory = self->total_memory;

  if (mm_search_filter_is_empty (filter))
    return NULL;
  return g_steal_pointer (&filter);
}

static void
update_filter_button (MmWindow *self)
{
  g_autoptr(MmSearchFilter) filter = get_filter (self);
  g_autofree char *label = NULL;
  guint count = 0;

  if (filter != NULL)
    count = (filter->size != MM_SIZE_RANGE_ANY) + (filter->architecture != NULL) +
            (filter->fits_memory != 0);
  if (count == 0)
    label = g_strdup (_("Filters"));
  else
    /* Translators: the filter button when some are chosen; %u is how many */
    label = g_strdup_printf (ngettext ("%u Filter", "%u Filters", count), count);
  gtk_menu_button_set_label (self->filter_button, label);
}

static gboolean
is_folded (MmWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

static void
show_detail_page (MmWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

static void
show_results_page (MmWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->results_pane);
}

static void
open_model (MmWindow *self,
            MmModel  *model,
            gboolean  navigate)
{
  if (model == NULL)
    return;

  mm_model_detail_set_model (self->detail, model);
  if (navigate)
    show_detail_page (self);
}

/* Results state */

static void
update_results_state (MmWindow *self)
{
  GListModel *results = G_LIST_MODEL (self->results);
  guint n_items = results ? g_list_model_get_n_items (results) : 0;
  const GError *error = self->results ? mm_search_results_get_error (self->results) : NULL;
  gboolean loading = self->results && mm_search_results_get_loading (self->results);
  gboolean started = self->results && mm_search_results_get_started (self->results);
  gboolean stalled = FALSE;
  const char *page;

  if (is_cancelled (error))
    error = NULL;

  /* A pasted link shows its own page until the text changes. */
  if (self->results == NULL && self->query != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->results_stack), "link"))
    return;

  if (n_items > 0)
    page = "results";
  else if (error != NULL)
    page = "error";
  else if (loading || !started)
    page = "loading";
  else
    page = "empty";

  if (g_str_equal (page, "error"))
    {
      g_autofree char *description = g_markup_escape_text (error->message, -1);

      /* Offline only when the computer has no network; a Hub that does not
       * answer on a working network is another story, told in words. */
      if (g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE) && !network_available (self))
        {
          g_free (description);
          description = g_strdup (_("Connect to the internet: the search runs again by itself "
                                    "when the computer is online."));
          adw_status_page_set_icon_name (self->error_page, "network-offline-symbolic");
          adw_status_page_set_title (self->error_page, _("You Are Offline"));
        }
      else if (g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE))
        {
          adw_status_page_set_icon_name (self->error_page, "network-error-symbolic");
          adw_status_page_set_title (self->error_page, _("Could Not Reach the Hub"));
        }
      else
        {
          adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
          adw_status_page_set_title (self->error_page, _("Could Not Search the Hub"));
        }
      adw_status_page_set_description (self->error_page, description);
    }
  else if (g_str_equal (page, "empty"))
    {
      const MmSearchFilter *filter = self->results ? mm_search_results_get_filter (self->results)
                                                   : NULL;
      g_autofree char *description = NULL;

      stalled = self->results && mm_search_results_get_stalled (self->results) &&
                mm_search_results_get_has_more (self->results);

      if (stalled && filter != NULL && filter->architecture != NULL)
        {
          guint scanned = mm_search_results_get_scanned (self->results);
          const char *arch = mm_search_filter_get_architecture_name (filter->architecture);

          description = g_markup_printf_escaped (
            /* Translators: the Hub cannot filter by architecture; %u is a number of
             * models, %s an architecture such as "Qwen 3" */
            ngettext ("The Hub cannot filter by architecture, so each result is checked "
                      "here: none of the first %u model is a %s model.",
                      "The Hub cannot filter by architecture, so each result is checked "
                      "here: none of the first %u models is a %s model.", scanned),
            scanned, arch);
        }
      else if (filter != NULL && self->query != NULL && *self->query != '\0')
        /* Translators: %s is what the user searched for */
        description = g_markup_printf_escaped (_("Nothing on the Hub matches “%s” with "
                                                 "these filters."), self->query);
      else if (filter != NULL)
        description = g_strdup (_("No model on the Hub passes these filters. Models whose "
                                  "size or architecture the Hub does not know are left out."));
      else if (self->query != NULL && *self->query != '\0')
        /* Translators: %s is what the user searched for */
        description = g_markup_printf_escaped (_("Nothing on the Hub matches “%s”. "
                                                 "Try other words."), self->query);
      else
        description = g_strdup (_("The Hub lists no models here"));
      adw_status_page_set_description (self->empty_page, description);
      gtk_widget_set_visible (self->look_further_button, stalled);
      gtk_widget_set_visible (self->clear_filters_button, filter != NULL);
    }

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->results_stack, page);

  /* The footer under a non-empty list: loading the next page, its error,
   * or a filter that found nothing more in the last pages. */
  stalled = self->results && !loading && error == NULL &&
            mm_search_results_get_stalled (self->results) &&
            mm_search_results_get_has_more (self->results);
  if (n_items > 0 && (loading || error != NULL || stalled))
    {
      gtk_stack_set_visible_child_name (self->footer_stack,
                                        loading ? "loading" : error ? "error" : "stalled");
      if (error != NULL)
        gtk_label_set_label (self->footer_error_label, error->message);
      if (stalled)
        {
          guint scanned = mm_search_results_get_scanned (self->results);
          g_autofree char *text =
            /* Translators: %u is the number of models looked at so far */
            g_strdup_printf (ngettext ("No more matches among the first %u model",
                                       "No more matches among the first %u models", scanned),
                             scanned);

          gtk_label_set_label (self->footer_stalled_label, text);
        }
    }
  gtk_spinner_set_spinning (self->footer_spinner, n_items > 0 && loading);
  gtk_revealer_set_reveal_child (self->footer_revealer,
                                 n_items > 0 && (loading || error != NULL || stalled));
}

static void
maybe_load_more (MmWindow *self)
{
  GtkAdjustment *adj;
  double remaining;

  /* A stalled filter waits to be asked to look further. */
  if (self->results == NULL ||
      mm_search_results_get_loading (self->results) ||
      !mm_search_results_get_has_more (self->results) ||
      mm_search_results_get_stalled (self->results) ||
      mm_search_results_get_error (self->results) != NULL)
    return;

  /* Also when the list is shorter than the view: nothing can be scrolled,
   * so edge-reached would never come. */
  adj = gtk_scrolled_window_get_vadjustment (self->results_scroller);
  remaining = gtk_adjustment_get_upper (adj) -
              (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj));
  if (remaining < LOAD_MORE_MARGIN)
    mm_search_results_load_more (self->results);
}

static void
check_more_cb (gpointer user_data)
{
  MmWindow *self = user_data;

  self->check_more_id = 0;
  maybe_load_more (self);
}

static void
queue_check_more (MmWindow *self)
{
  if (self->check_more_id == 0)
    self->check_more_id = g_idle_add_once (check_more_cb, self);
}

static void
results_changed_cb (MmWindow *self)
{
  update_results_state (self);
  queue_check_more (self);
}

/* Shows the model @repo_id in the detail pane, as if it were a result. */
static void
open_repo_id (MmWindow   *self,
              const char *repo_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(MmModel) model = NULL;

  json_object_set_string_member (object, "id", repo_id);
  model = mm_model_new_from_json (object, NULL);
  open_model (self, model, TRUE);
}

static void
clear_results (MmWindow *self)
{
  if (self->results != NULL)
    mm_search_results_cancel (self->results);
  g_signal_group_set_target (self->results_signals, NULL);
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->results);
  gtk_revealer_set_reveal_child (self->footer_revealer, FALSE);
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
}

/* The results pane while a pasted link is shown, or why it is no model's. */
static void
show_link_page (MmWindow     *self,
                const char   *repo_id,
                const GError *error)
{
  clear_results (self);

  if (error != NULL)
    {
      g_autofree char *description = g_markup_escape_text (error->message, -1);

      adw_status_page_set_icon_name (self->link_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->link_page, _("Not a Model Link"));
      adw_status_page_set_description (self->link_page, description);
      gtk_widget_set_visible (self->link_search_button, FALSE);
    }
  else
    {
      const char *name = strchr (repo_id, '/') + 1;
      g_autofree char *description = NULL;
      g_autofree char *button = NULL;

      adw_status_page_set_icon_name (self->link_page, "web-browser-symbolic");
      adw_status_page_set_title (self->link_page, _("Model From a Link"));
      /* Translators: %s is a model id such as "org/name" */
      description = g_markup_printf_escaped (_("Showing “%s”. Clear the search field to "
                                               "search again."), repo_id);
      adw_status_page_set_description (self->link_page, description);
      /* Translators: %s is a model's name; the button searches for it */
      button = g_strdup_printf (_("_Search for “%s”"), name);
      gtk_button_set_label (GTK_BUTTON (self->link_search_button), button);
      gtk_widget_set_visible (self->link_search_button, TRUE);
    }

  gtk_stack_set_visible_child_name (self->results_stack, "link");
}

static void
link_search_clicked_cb (MmWindow *self)
{
  MmModel *model = mm_model_detail_get_model (self->detail);

  if (model == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), mm_model_get_name (model));
  /* Setting the text is no paste. */
  self->pasted = FALSE;
}

static void
start_search (MmWindow *self)
{
  g_autoptr(MmSearchResults) results = NULL;
  g_autoptr(MmSearchFilter) filter = NULL;
  g_autoptr(GError) link_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *repo_id = NULL;
  gboolean pasted = self->pasted;
  MmHubLinkKind kind;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  self->pasted = FALSE;

  kind = mm_hub_link_parse (text, mm_hub_client_get_endpoint (self->client), &repo_id,
                            &link_error);
  if (kind == MM_HUB_LINK_URL || (kind == MM_HUB_LINK_REPO_ID && pasted) ||
      kind == MM_HUB_LINK_INVALID)
    {
      g_free (self->query);
      self->query = g_steal_pointer (&text);
      show_link_page (self, repo_id, link_error);
      if (repo_id != NULL)
        open_repo_id (self, repo_id);
      return;
    }

  if (self->results != NULL)
    mm_search_results_cancel (self->results);

  filter = get_filter (self);
  results = mm_search_results_new_filtered (self->client, text, get_sort (self),
                                            get_gguf_only (self), filter,
                                            MM_HUB_DEFAULT_PAGE_SIZE);
  g_set_object (&self->results, results);
  g_free (self->query);
  self->query = g_steal_pointer (&text);

  g_signal_group_set_target (self->results_signals, self->results);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->results));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_scroller), 0);

  gtk_stack_set_visible_child_name (self->results_stack, "loading");
  mm_search_results_load_more (self->results);
  update_results_state (self);
}

/* Typing inserts one character at a time; pasting, dropping or setting
 * the text inserts many at once. */
static void
search_insert_text_cb (MmWindow   *self,
                       const char *text,
                       int         length,
                       int        *position)
{
  if (g_utf8_strlen (text, length) > 1)
    self->pasted = TRUE;
}

static void
search_changed_cb (MmWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  /* Typing a space does not make a new search. */
  if (g_strcmp0 (stripped, self->query) == 0)
    return;

  start_search (self);
}

static void
search_activate_cb (MmWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* Enter on an id opens it, even when it was typed. */
  if (mm_hub_link_parse (text, mm_hub_client_get_endpoint (self->client), NULL, NULL) ==
      MM_HUB_LINK_REPO_ID &&
      !g_str_equal (gtk_stack_get_visible_child_name (self->results_stack), "link"))
    {
      self->pasted = TRUE;
      start_search (self);
      return;
    }

  /* Enter searches now instead of after the delay, then moves to the list. */
  search_changed_cb (self);
  if (self->results != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
}

static gboolean
search_key_pressed_cb (MmWindow        *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;
  if (self->results == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
  return GDK_EVENT_STOP;
}

static void
search_stop_cb (MmWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
retry_clicked_cb (MmWindow *self)
{
  start_search (self);
}

/* Back online after a search failed for want of a network: search again. */
static void
network_back_cb (MmWindow *self)
{
  const GError *error = self->results ? mm_search_results_get_error (self->results) : NULL;

  if (network_available (self) && g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE))
    start_search (self);
}

static void
load_more_retry_cb (MmWindow *self)
{
  if (self->results != NULL)
    mm_search_results_load_more (self->results);
}

static void
edge_reached_cb (MmWindow        *self,
                 GtkPositionType  position)
{
  if (position == GTK_POS_BOTTOM && self->results != NULL)
    mm_search_results_load_more (self->results);
}

static void
settings_action_state_cb (MmWindow *self)
{
  gtk_menu_button_set_label (self->sort_button, sort_label (get_sort (self)));
  update_filter_button (self);
  if (self->results != NULL)
    start_search (self);
}

static void
fill_architecture_menu (MmWindow *self)
{
  const char * const *ids = mm_search_filter_get_architectures ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item =
        g_menu_item_new (mm_search_filter_get_architecture_name (ids[i]), NULL);

      g_menu_item_set_action_and_target_value (item, "win.filter-architecture",
                                               g_variant_new_string (ids[i]));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (self->architecture_menu, NULL, G_MENU_MODEL (section));
}

static void
clear_filters_clicked_cb (MmWindow *self)
{
  g_action_change_state (G_ACTION (self->size_action), g_variant_new_string ("any"));
  g_action_change_state (G_ACTION (self->arch_action), g_variant_new_string (""));
  g_action_change_state (G_ACTION (self->fits_action), g_variant_new_boolean (FALSE));
}

/* Selection and navigation */

static void
selected_item_cb (MmWindow *self)
{
  MmModel *model = gtk_single_selection_get_selected_item (self->selection);

  if (model != NULL)
    open_model (self, model, FALSE);
}

static void
results_activate_cb (MmWindow *self,
                     guint     position)
{
  g_autoptr(MmModel) model = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  gtk_single_selection_set_selected (self->selection, position);
  open_model (self, model, TRUE);
}

static void
clicked_idle_cb (gpointer user_data)
{
  MmWindow *self = user_data;
  g_autoptr(MmModel) clicked = g_steal_pointer (&self->clicked);

  self->clicked_id = 0;
  /* The list item selects on release, before this idle runs: only follow a
   * click that selected the row it landed on. */
  if (clicked != NULL && clicked == gtk_single_selection_get_selected_item (self->selection))
    open_model (self, clicked, TRUE);
}

static void
results_click_released_cb (GtkGestureClick *gesture,
                           int              n_press,
                           double           x,
                           double           y,
                           MmWindow        *self)
{
  GtkWidget *view = GTK_WIDGET (self->results_view);
  GtkWidget *row = NULL;

  if (!is_folded (self) || n_press != 1)
    return;

  /* Find the row under the pointer: a child of the row, the row itself, or
   * the list item widget around it. */
  for (GtkWidget *w = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
       w != NULL && w != view;
       w = gtk_widget_get_parent (w))
    {
      if (MM_IS_MODEL_ROW (w))
        {
          row = w;
          break;
        }
      if (gtk_widget_get_parent (w) == view)
        {
          if (MM_IS_MODEL_ROW (gtk_widget_get_first_child (w)))
            row = gtk_widget_get_first_child (w);
          break;
        }
    }
  if (row == NULL)
    return;

  g_set_object (&self->clicked, mm_model_row_get_model (MM_MODEL_ROW (row)));
  if (self->clicked_id == 0)
    self->clicked_id = g_idle_add_once (clicked_idle_cb, self);
}

static gboolean
on_discover (MmWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "discover") == 0;
}

static void
update_header (MmWindow *self)
{
  MmModel *model = mm_model_detail_get_model (self->detail);
  gboolean folded_detail = on_discover (self) && is_folded (self) &&
                           adw_leaflet_get_visible_child (self->leaflet) == self->detail_pane;

  /* Side by side the pane shows the name in large type; folded, the
   * header says where the back button leads from. */
  gtk_widget_set_visible (self->back_button, folded_detail);
  adw_view_switcher_title_set_title (self->switcher_title,
                                     folded_detail && model != NULL ? mm_model_get_name (model)
                                                                    : _("Model Manager"));
}

static void
detail_model_cb (MmWindow *self)
{
  update_header (self);
}

static void
leaflet_folded_cb (MmWindow *self)
{
  update_header (self);
}

static void
view_changed_cb (MmWindow *self)
{
  update_header (self);
}

static void
back_clicked_cb (MmWindow *self)
{
  show_results_page (self);
}

static gboolean
go_back_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  MmWindow *self = MM_WINDOW (widget);

  if (!on_discover (self) || !is_folded (self) ||
      adw_leaflet_get_visible_child (self->leaflet) != self->detail_pane)
    return FALSE;

  show_results_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
  return TRUE;
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  MmWindow *self = MM_WINDOW (widget);
  gboolean only_outside_text = args != NULL && g_variant_get_boolean (args);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* "/" is a character like any other inside a text field. */
  if (only_outside_text && focus != NULL && GTK_IS_EDITABLE (focus))
    return FALSE;

  adw_view_stack_set_visible_child_name (self->view_stack, "discover");
  if (is_folded (self))
    show_results_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  return TRUE;
}

static void
show_discover_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MmWindow *self = MM_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "discover");
}

/* Alt+1, Alt+2, Alt+3: switch to a view and put the focus into it, so the
 * next Tab lands on the view's content instead of the header bar. Always
 * on the same, harmless place, however often the key is pressed: the
 * results (or the search field while there are none), the first download's
 * row, the first model's row. Never a button, where Space would act. */
static void
show_view_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MmWindow *self = MM_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, name);

  if (child == NULL)
    return;

  adw_view_stack_set_visible_child (self->view_stack, child);
  if (g_str_equal (name, "discover"))
    {
      gboolean has_results = self->results != NULL &&
                             g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0;

      if (is_folded (self))
        show_results_page (self);
      if (!has_results || !gtk_widget_grab_focus (GTK_WIDGET (self->results_view)))
        gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (g_str_equal (name, "downloads"))
    mm_downloads_page_focus_start (self->downloads_page);
  else if (g_str_equal (name, "library"))
    mm_library_page_focus_start (self->library_page);
}

static void
library_add_toast_cb (MmWindow      *self,
                      AdwToast      *toast,
                      MmLibraryPage *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

/* Window state */

static void
restore_window_size (MmWindow *self)
{
  const char *override = g_getenv ("MM_WINDOW_SIZE");
  int width, height;

  /* MM_WINDOW_SIZE=WxH, for screenshots: wins over the saved size. */
  if (override != NULL && sscanf (override, "%dx%d", &width, &height) == 2 &&
      width > 0 && height > 0)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      return;
    }

  if (self->settings == NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
      return;
    }

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_size (MmWindow *self)
{
  int width, height;
  gboolean maximized;

  if (self->settings == NULL || g_getenv ("MM_WINDOW_SIZE") != NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static GAction *
create_setting_action (MmWindow           *self,
                       const char         *key,
                       const GVariantType *parameter_type,
                       GVariant           *fallback)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (fallback);

  if (self->settings != NULL)
    return g_settings_create_action (self->settings, key);

  /* Without the schema, the choice lasts as long as the window. A stateful
   * GSimpleAction without handlers takes a radio target as its new state and
   * flips a boolean, just like the settings action. */
  return G_ACTION (g_simple_action_new_stateful (key, parameter_type, owned));
}

static void
setup_actions (MmWindow *self)
{
  self->sort_action = create_setting_action (self, "sort", G_VARIANT_TYPE_STRING,
                                             g_variant_new_string ("downloads"));
  self->gguf_action = create_setting_action (self, "gguf-only", NULL,
                                             g_variant_new_boolean (TRUE));

  g_action_map_add_action (G_ACTION_MAP (self), self->sort_action);
  g_action_map_add_action (G_ACTION_MAP (self), self->gguf_action);

  /* The filters last as long as the window: a person who narrowed one
   * search rarely wants the next session to start narrowed. */
  self->size_action = g_simple_action_new_stateful ("filter-size", G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string ("any"));
  self->arch_action = g_simple_action_new_stateful ("filter-architecture",
                                                    G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string (""));
  self->fits_action = g_simple_action_new_stateful ("filter-fits", NULL,
                                                    g_variant_new_boolean (FALSE));
  /* Without knowing the memory, nothing can be said to fit. */
  g_simple_action_set_enabled (self->fits_action, self->total_memory > 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->size_action));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->arch_action));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->fits_action));
  g_signal_connect_object (self->size_action, "notify::state",
                           G_CALLBACK (settings_action_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->arch_action, "notify::state",
                           G_CALLBACK (settings_action_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fits_action, "notify::state",
                           G_CALLBACK (settings_action_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_action, "notify::state",
                           G_CALLBACK (settings_action_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gguf_action, "notify::state",
                           G_CALLBACK (settings_action_state_cb), self, G_CONNECT_SWAPPED);
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
quit_response_cb (MmWindow   *self,
                  const char *response)
{
  if (g_str_equal (response, "pause"))
    {
      mm_download_manager_pause_all (self->manager);
      self->close_confirmed = TRUE;
      /* Once the dialog, transient for us, is gone. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self),
                       g_object_unref);
    }
  else if (g_str_equal (response, "background"))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.background", NULL);
    }
}

/* Closing the window with downloads running quits the app: ask first. */
static gboolean
ask_before_closing (MmWindow *self)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  guint waiting;
  guint n;

  if (self->close_confirmed || self->manager == NULL ||
      gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return FALSE;

  n = mm_download_manager_get_active_count (self->manager);
  waiting = mm_download_manager_get_waiting_count (self->manager);
  if (n == 0 && waiting == 0)
    return FALSE;

  if (n > 0)
    body = g_strdup_printf (ngettext ("A download is still running. Paused downloads continue "
                                      "from where they stopped when you resume them.",
                                      "%u downloads are still running. Paused downloads continue "
                                      "from where they stopped when you resume them.", n), n);
  else
    body = g_strdup_printf (ngettext ("A download waits for the network or its scheduled time. "
                                      "It can only start while Model Manager runs.",
                                      "%u downloads wait for the network or their scheduled "
                                      "time. They can only start while Model Manager runs.",
                                      waiting), waiting);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Stop Downloading?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "background", _("_Keep Downloading in the Background"),
                                    "pause", _("_Pause and Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "background",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "background");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (quit_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static gboolean
mm_window_close_request (GtkWindow *window)
{
  MmWindow *self = MM_WINDOW (window);

  save_window_size (self);
  if (ask_before_closing (self))
    return TRUE;

  return GTK_WINDOW_CLASS (mm_window_parent_class)->close_request (window);
}

static void
mm_window_constructed (GObject *object)
{
  MmWindow *self = MM_WINDOW (object);
  GtkGesture *click;
  GtkEventController *keys;
  GtkAdjustment *adj;

  G_OBJECT_CLASS (mm_window_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_HUB_CLIENT (self->client));

  restore_window_size (self);
  self->total_memory = mm_system_get_total_memory ();
  setup_actions (self);
  gtk_menu_button_set_label (self->sort_button, sort_label (get_sort (self)));
  update_filter_button (self);
  fill_architecture_menu (self);
  mm_model_detail_set_client (self->detail, self->client);
  mm_library_page_set_client (self->library_page, self->client);

  /* Capture phase: see the click before the list item turns it into a
   * selection, to tell a click from arrow keys. */
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "released", G_CALLBACK (results_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->results_view), GTK_EVENT_CONTROLLER (click));

  /* Down in the search entry goes to the results, past the sort button. */
  keys = gtk_event_controller_key_new ();
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);

  /* The entry's text widget sees each insertion: to tell a paste from typing. */
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry)),
                           "insert-text", G_CALLBACK (search_insert_text_cb), self,
                           G_CONNECT_SWAPPED);

  adj = gtk_scrolled_window_get_vadjustment (self->results_scroller);
  g_signal_connect_object (adj, "changed", G_CALLBACK (queue_check_more), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (queue_check_more), self,
                           G_CONNECT_SWAPPED);

  /* The first thing a person sees: the most popular models. */
  start_search (self);
}

static void
mm_window_dispose (GObject *object)
{
  MmWindow *self = MM_WINDOW (object);

  if (self->results != NULL)
    mm_search_results_cancel (self->results);
  g_clear_handle_id (&self->check_more_id, g_source_remove);
  g_clear_handle_id (&self->clicked_id, g_source_remove);
  if (self->results_signals != NULL)
    g_signal_group_set_target (self->results_signals, NULL);
  /* Before the template goes: the bindings' target, the Downloads stack
   * page, goes with it, and a binding whose target is gone is gone too. */
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->manager, update_badge, self);
      g_signal_handlers_disconnect_by_func (self->manager, network_back_cb, self);
    }
  g_clear_pointer (&self->attention_binding, g_binding_unbind);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_WINDOW);

  g_clear_object (&self->results_signals);
  g_clear_object (&self->results);
  g_clear_object (&self->clicked);
  /* The settings actions hold the settings: take them out of the action
   * group, which GTK may keep alive a little longer than the window. */
  if (self->sort_action != NULL)
    g_action_map_remove_action (G_ACTION_MAP (self), g_action_get_name (self->sort_action));
  if (self->gguf_action != NULL)
    g_action_map_remove_action (G_ACTION_MAP (self), g_action_get_name (self->gguf_action));
  g_clear_object (&self->sort_action);
  g_clear_object (&self->gguf_action);
  g_clear_object (&self->size_action);
  g_clear_object (&self->arch_action);
  g_clear_object (&self->fits_action);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (mm_window_parent_class)->dispose (object);
}

static void
mm_window_finalize (GObject *object)
{
  MmWindow *self = MM_WINDOW (object);

  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (mm_window_parent_class)->finalize (object);
}

static void
mm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MmWindow *self = MM_WINDOW (object);

  switch ((MmWindowProperty) prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DOWNLOAD_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MmWindow *self = MM_WINDOW (object);

  switch ((MmWindowProperty) prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_DOWNLOAD_MANAGER:
      mm_window_set_download_manager (self, g_value_get_object (value));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_window_class_init (MmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = mm_window_constructed;
  object_class->dispose = mm_window_dispose;
  object_class->finalize = mm_window_finalize;
  object_class->get_property = mm_window_get_property;
  object_class->set_property = mm_window_set_property;
  window_class->close_request = mm_window_close_request;

  /** MmWindow:client: the Hub client every search and detail uses */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, MM_TYPE_HUB_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmWindow:settings: (nullable): the settings, %NULL when the schema is missing */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmWindow:download-manager: (nullable): the downloads; without it nothing can be queued */
  properties[PROP_DOWNLOAD_MANAGER] =
    g_param_spec_object ("download-manager", NULL, NULL, MM_TYPE_DOWNLOAD_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MM_TYPE_DOWNLOADS_PAGE);
  g_type_ensure (MM_TYPE_LIBRARY_PAGE);
  g_type_ensure (MM_TYPE_MODEL_DETAIL);
  g_type_ensure (MM_TYPE_MODEL_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/mm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MmWindow, architecture_menu);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, downloads_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, downloads_stack_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, clear_filters_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, footer_error_label);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, footer_stalled_label);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, footer_revealer);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, footer_stack);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, library_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, link_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, link_search_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, look_further_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, results_pane);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, sort_button);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MmWindow, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_filters_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_search_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_model_cb);
  gtk_widget_class_bind_template_callback (widget_class, edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, library_add_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, load_more_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-discover", NULL,
                                   show_discover_action_cb);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-view", "s", "discover");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-view", "s", "downloads");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-view", "s", "library");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                focus_search_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_slash, 0,
                                focus_search_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Divide, 0,
                                focus_search_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, go_back_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, GDK_ALT_MASK, go_back_cb, NULL);
}

static void
mm_window_init (MmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->results_signals = g_signal_group_new (MM_TYPE_SEARCH_RESULTS);
  g_signal_group_connect_object (self->results_signals, "items-changed",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->results_signals, "notify::loading",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->results_signals, "notify::has-more",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->results_signals, "notify::error",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->results_signals, "notify::started",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->results_signals, "notify::stalled",
                                 G_CALLBACK (results_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * mm_window_new:
 * @application: (nullable): the application
 * @client: the Hub client
 * @settings: (nullable): the settings, or %NULL to persist nothing
 */
MmWindow *
mm_window_new (MmApplication *application,
               MmHubClient   *client,
               GSettings     *settings)
{
  g_return_val_if_fail (!application || MM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (MM_TYPE_WINDOW,
                       "application", application,
                       "client", client,
                       "settings", settings,
                       NULL);
}

/**
 * mm_window_set_client:
 * @client: the new Hub client
 *
 * Replaces the Hub client (a new endpoint or token) and runs the current
 * search again with it; the detail pane reloads its model.
 */
void
mm_window_set_client (MmWindow    *self,
                      MmHubClient *client)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  mm_model_detail_set_client (self->detail, self->client);
  mm_library_page_set_client (self->library_page, self->client);
  start_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * mm_window_get_results:
 *
 * Returns: (transfer none) (nullable): the current MmSearchResults
 */
GListModel *
mm_window_get_results (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->results);
}

/**
 * mm_window_get_search_entry:
 *
 * Returns: (transfer none): the search entry
 */
GtkEditable *
mm_window_get_search_entry (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

/**
 * mm_window_get_results_view:
 *
 * Returns: (transfer none): the list of search results
 */
GtkListView *
mm_window_get_results_view (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->results_view;
}

/**
 * mm_window_get_results_state:
 *
 * Returns: what the results pane shows: "loading", "results", "empty" or "error"
 */
const char *
mm_window_get_results_state (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->results_stack);
}

/**
 * mm_window_get_results_status_page:
 *
 * Returns: (transfer none) (nullable): the status page the results pane
 *   shows, or %NULL when it shows results
 */
AdwStatusPage *
mm_window_get_results_status_page (MmWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);

  child = gtk_stack_get_visible_child (self->results_stack);
  return ADW_IS_STATUS_PAGE (child) ? ADW_STATUS_PAGE (child) : NULL;
}

/**
 * mm_window_set_comparison:
 * @comparison: the choices picked to compare, the application's
 */
void
mm_window_set_comparison (MmWindow     *self,
                          MmComparison *comparison)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (MM_IS_COMPARISON (comparison));

  mm_model_detail_set_comparison (self->detail, comparison);
  mm_library_page_set_comparison (self->library_page, comparison);
}

/**
 * mm_window_set_machine:
 * @machine: this computer, for the memory estimates
 *
 * Hands the application's machine (GPUs detected, the settings' context
 * length and RAM budget) to the detail pane.
 */
void
mm_window_set_machine (MmWindow  *self,
                       MmMachine *machine)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (MM_IS_MACHINE (machine));

  mm_model_detail_set_machine (self->detail, machine);
  mm_library_page_set_machine (self->library_page, machine);
}

/**
 * mm_window_get_detail:
 *
 * Returns: (transfer none): the detail pane
 */
MmModelDetail *
mm_window_get_detail (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->detail;
}

/**
 * mm_window_get_showing_detail:
 *
 * Returns: whether the detail pane is visible (always, unless folded)
 */
gboolean
mm_window_get_showing_detail (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), FALSE);
  return !is_folded (self) || adw_leaflet_get_visible_child (self->leaflet) == self->detail_pane;
}

/**
 * mm_window_get_download_manager:
 *
 * Returns: (transfer none) (nullable): the downloads shown
 */
MmDownloadManager *
mm_window_get_download_manager (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->manager;
}

static gboolean
count_to_attention (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_uint (from) > 0);
  return TRUE;
}

static void
update_badge (MmWindow *self)
{
  adw_view_stack_page_set_badge_number (self->downloads_stack_page,
                                        mm_download_manager_get_active_count (self->manager) +
                                        mm_download_manager_get_waiting_count (self->manager));
}

/**
 * mm_window_set_download_manager:
 * @manager: (nullable): the application's downloads
 *
 * Shows @manager's list in the Downloads view, lets the detail pane queue
 * choices, and counts the active downloads on the view switcher.
 */
void
mm_window_set_download_manager (MmWindow          *self,
                                MmDownloadManager *manager)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager));

  if (self->manager == manager)
    return;

  g_clear_pointer (&self->attention_binding, g_binding_unbind);
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->manager, update_badge, self);
      g_signal_handlers_disconnect_by_func (self->manager, network_back_cb, self);
    }
  g_set_object (&self->manager, manager);

  mm_downloads_page_set_manager (self->downloads_page, manager);
  mm_model_detail_set_download_manager (self->detail, manager);
  if (manager != NULL)
    {
      /* The badge counts what is under way, waiting items included (a
       * download waiting for the network is not done); the dot says
       * that bytes move. */
      g_signal_connect_object (manager, "notify::waiting-count", G_CALLBACK (update_badge),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::active-count", G_CALLBACK (update_badge),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::network-available",
                               G_CALLBACK (network_back_cb), self, G_CONNECT_SWAPPED);
      update_badge (self);
      self->attention_binding =
        g_object_bind_property_full (manager, "active-count",
                                     self->downloads_stack_page, "needs-attention",
                                     G_BINDING_SYNC_CREATE, count_to_attention, NULL,
                                     NULL, NULL);
    }
  else
    {
      adw_view_stack_page_set_badge_number (self->downloads_stack_page, 0);
      adw_view_stack_page_set_needs_attention (self->downloads_stack_page, FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_MANAGER]);
}

/**
 * mm_window_add_toast:
 * @toast: (transfer full): the message
 */
void
mm_window_add_toast (MmWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * mm_window_get_narrow:
 *
 * Returns: whether the window is narrow enough that the view switcher moved
 *   from the header bar to the bottom bar (a phone, a tiled window); a
 *   toast is then to be short
 */
gboolean
mm_window_get_narrow (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), FALSE);

  return adw_view_switcher_bar_get_reveal (self->switcher_bar);
}

/**
 * mm_window_get_switcher_bar:
 *
 * Returns: (transfer none): the bottom view switcher bar (for tests)
 */
GtkWidget *
mm_window_get_switcher_bar (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->switcher_bar);
}

/**
 * mm_window_get_toast_overlay:
 *
 * Returns: (transfer none): where toasts show (for tests)
 */
GtkWidget *
mm_window_get_toast_overlay (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->toast_overlay);
}

/**
 * mm_window_show_downloads:
 *
 * Switches to the Downloads view.
 */
void
mm_window_show_downloads (MmWindow *self)
{
  g_return_if_fail (MM_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "downloads");
}

/**
 * mm_window_get_downloads_page:
 *
 * Returns: (transfer none): the Downloads view
 */
MmDownloadsPage *
mm_window_get_downloads_page (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->downloads_page;
}

/**
 * mm_window_get_visible_view:
 *
 * Returns: the name of the view shown: "discover" or "downloads"
 */
const char *
mm_window_get_visible_view (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * mm_window_set_library:
 * @library: (nullable): the application's models on disk
 *
 * Shows @library in the Library view.
 */
void
mm_window_set_library (MmWindow  *self,
                       MmLibrary *library)
{
  g_return_if_fail (MM_IS_WINDOW (self));
  g_return_if_fail (!library || MM_IS_LIBRARY (library));

  mm_library_page_set_library (self->library_page, library);
}

/**
 * mm_window_get_library_page:
 *
 * Returns: (transfer none): the Library view
 */
MmLibraryPage *
mm_window_get_library_page (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->library_page;
}

/**
 * mm_window_get_filter_button:
 *
 * Returns: (transfer none): the menu button of the search filters (for tests)
 */
GtkMenuButton *
mm_window_get_filter_button (MmWindow *self)
{
  g_return_val_if_fail (MM_IS_WINDOW (self), NULL);
  return self->filter_button;
}
