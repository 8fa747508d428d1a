/* mm-downloads-page.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Downloads view: the manager's list split in three boxed lists, "In
 * Progress" (queued, downloading, paused, retrying, checking), "Failed"
 * (what needs the user: Retry, a token, another try at a damaged file) and
 * "Finished" (completed and cancelled), the last two newest first, as
 * Fragments and Epiphany set failures apart. Each is a GtkFilterListModel
 * over the manager bound to a GtkListBox. An item moves from one list to
 * another when its :state changes: the page watches the state of every
 * item and tells the filters to look again. Progress never touches the
 * lists; each MmDownloadRow follows its own item.
 */
#define G_LOG_DOMAIN "mm-downloads-page"

#include "config.h"

#include "mm-downloads-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _MmDownloadsPage
{
  GtkWidget            parent_instance;

  MmDownloadManager   *manager;          /* (owned) (nullable) */
  GtkFilterListModel  *active_model;     /* (owned) */
  GtkFilterListModel  *failed_filtered;  /* (owned) */
  GtkSortListModel    *failed_model;     /* (owned) */
  GtkFilterListModel  *finished_filtered; /* (owned) */
  GtkSortListModel    *finished_model;   /* (owned) */
  GtkFilter           *active_filter;    /* (owned) */
  GtkFilter           *failed_filter;    /* (owned) */
  GtkFilter           *finished_filter;  /* (owned) */

  AdwPreferencesGroup *active_group;
  GtkListBox          *active_list;
  GtkWidget           *clear_button;
  AdwPreferencesGroup *failed_group;
  GtkListBox          *failed_list;
  AdwPreferencesGroup *finished_group;
  GtkListBox          *finished_list;
  GtkStack            *stack;
};

G_DEFINE_FINAL_TYPE (MmDownloadsPage, mm_downloads_page, GTK_TYPE_WIDGET)

typedef enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS,
} MmDownloadsPageProperty;

static GParamSpec *properties[N_PROPS];

static gboolean
state_is_finished (MmDownloadItemState state)
{
  switch (state)
    {
    case MM_DOWNLOAD_ITEM_STATE_COMPLETED:
    case MM_DOWNLOAD_ITEM_STATE_FAILED:
    case MM_DOWNLOAD_ITEM_STATE_CANCELLED:
      return TRUE;
    case MM_DOWNLOAD_ITEM_STATE_QUEUED:
    case MM_DOWNLOAD_ITEM_STATE_DOWNLOADING:
    case MM_DOWNLOAD_ITEM_STATE_PAUSED:
    case MM_DOWNLOAD_ITEM_STATE_RETRYING:
    case MM_DOWNLOAD_ITEM_STATE_VERIFYING:
    default:
      return FALSE;
    }
}

static gboolean
active_filter_func (gpointer item,
                    gpointer user_data)
{
  return !state_is_finished (mm_download_item_get_state (item));
}

static gboolean
failed_filter_func (gpointer item,
                    gpointer user_data)
{
  return mm_download_item_get_state (item) == MM_DOWNLOAD_ITEM_STATE_FAILED;
}

static gboolean
finished_filter_func (gpointer item,
                      gpointer user_data)
{
  MmDownloadItemState state = mm_download_item_get_state (item);

  return state_is_finished (state) && state != MM_DOWNLOAD_ITEM_STATE_FAILED;
}

/* Newest first; an item without a date (restored from an old list) last. */
static int
finished_sort_func (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GDateTime *fa = mm_download_item_get_finished ((MmDownloadItem *) a);
  GDateTime *fb = mm_download_item_get_finished ((MmDownloadItem *) b);

  if (fa == NULL || fb == NULL)
    return (fa == NULL) - (fb == NULL);
  return g_date_time_compare (fb, fa);
}

static void
update_state (MmDownloadsPage *self)
{
  guint n_all = self->manager ? g_list_model_get_n_items (G_LIST_MODEL (self->manager)) : 0;
  guint n_active = g_list_model_get_n_items (G_LIST_MODEL (self->active_model));
  guint n_failed = g_list_model_get_n_items (G_LIST_MODEL (self->failed_model));
  guint n_finished = g_list_model_get_n_items (G_LIST_MODEL (self->finished_model));

  gtk_stack_set_visible_child_name (self->stack, n_all > 0 ? "list" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->active_group), n_active > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_group), n_failed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->finished_group), n_finished > 0);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
item_state_changed_cb (MmDownloadManager   *manager,
                       MmDownloadItem      *item,
                       MmDownloadItemState  old_state,
                       MmDownloadsPage     *self)
{
  g_autoptr(GtkWidget) old_row = NULL;
  MmDownloadRow *row;
  gboolean had_focus;

  old_row = (GtkWidget *) mm_downloads_page_find_row (self, item, NULL);
  if (old_row != NULL)
    g_object_ref (old_row);
  had_focus = old_row != NULL && has_focus_within (old_row);

  /* Only the item that changed moves; the other rows stay as they are. */
  gtk_filter_changed (self->active_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->failed_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->finished_filter, GTK_FILTER_CHANGE_DIFFERENT);

  /* A row that moves to the other list is a new widget: when the keyboard
   * focus was in the old one (Pause, Resume, Retry), it follows the item
   * instead of falling back to the top of the window. */
  row = mm_downloads_page_find_row (self, item, NULL);
  if (had_focus && row != NULL && GTK_WIDGET (row) != old_row)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
manager_items_changed_cb (MmDownloadsPage *self,
                          guint            position,
                          guint            removed,
                          guint            added)
{
  update_state (self);
}

static void
row_remove_cb (MmDownloadsPage *self,
               MmDownloadRow   *row)
{
  if (self->manager != NULL)
    mm_download_manager_remove (self->manager, mm_download_row_get_item (row));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  MmDownloadsPage *self = user_data;
  GtkWidget *row = mm_download_row_new (item);

  g_signal_connect_object (row, "remove", G_CALLBACK (row_remove_cb), self, G_CONNECT_SWAPPED);
  return row;
}

/* Clear sits on "Finished" and empties that list only: a failure stays
 * until it is retried or removed, since it still asks for something. */
static void
clear_clicked_cb (MmDownloadsPage *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->finished_model));

  if (self->manager == NULL)
    return;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->finished_model), i));
  for (guint i = 0; i < items->len; i++)
    mm_download_manager_remove (self->manager, g_ptr_array_index (items, i));
}

static void
mm_downloads_page_dispose (GObject *object)
{
  MmDownloadsPage *self = MM_DOWNLOADS_PAGE (object);

  if (self->manager != NULL)
    mm_downloads_page_set_manager (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_DOWNLOADS_PAGE);

  g_clear_object (&self->finished_model);
  g_clear_object (&self->finished_filtered);
  g_clear_object (&self->failed_model);
  g_clear_object (&self->failed_filtered);
  g_clear_object (&self->active_model);
  g_clear_object (&self->active_filter);
  g_clear_object (&self->failed_filter);
  g_clear_object (&self->finished_filter);

  G_OBJECT_CLASS (mm_downloads_page_parent_class)->dispose (object);
}

static void
mm_downloads_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MmDownloadsPage *self = MM_DOWNLOADS_PAGE (object);

  switch ((MmDownloadsPageProperty) prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_downloads_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MmDownloadsPage *self = MM_DOWNLOADS_PAGE (object);

  switch ((MmDownloadsPageProperty) prop_id)
    {
    case PROP_MANAGER:
      mm_downloads_page_set_manager (self, g_value_get_object (value));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_downloads_page_class_init (MmDownloadsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_downloads_page_dispose;
  object_class->get_property = mm_downloads_page_get_property;
  object_class->set_property = mm_downloads_page_set_property;

  /** MmDownloadsPage:manager: (nullable): the downloads shown */
  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, MM_TYPE_DOWNLOAD_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-downloads-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, active_group);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, active_list);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, failed_group);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, failed_list);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, finished_group);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, finished_list);
  gtk_widget_class_bind_template_child (widget_class, MmDownloadsPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mm_downloads_page_init (MmDownloadsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->active_filter = GTK_FILTER (gtk_custom_filter_new (active_filter_func, NULL, NULL));
  self->failed_filter = GTK_FILTER (gtk_custom_filter_new (failed_filter_func, NULL, NULL));
  self->finished_filter = GTK_FILTER (gtk_custom_filter_new (finished_filter_func, NULL, NULL));
  self->active_model = gtk_filter_list_model_new (NULL, g_object_ref (self->active_filter));
  self->failed_filtered = gtk_filter_list_model_new (NULL, g_object_ref (self->failed_filter));
  self->failed_model =
    gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->failed_filtered)),
                             GTK_SORTER (gtk_custom_sorter_new (finished_sort_func, NULL, NULL)));
  self->finished_filtered = gtk_filter_list_model_new (NULL,
                                                       g_object_ref (self->finished_filter));
  self->finished_model =
    gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->finished_filtered)),
                             GTK_SORTER (gtk_custom_sorter_new (finished_sort_func, NULL, NULL)));

  g_signal_connect_object (self->active_model, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->failed_model, "items-changed", G_CALLBACK (update_state),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->finished_model, "items-changed", G_CALLBACK (update_state),
                           self, G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->active_list, G_LIST_MODEL (self->active_model),
                           create_row_cb, self, NULL);
  gtk_list_box_bind_model (self->failed_list, G_LIST_MODEL (self->failed_model),
                           create_row_cb, self, NULL);
  gtk_list_box_bind_model (self->finished_list, G_LIST_MODEL (self->finished_model),
                           create_row_cb, self, NULL);
  update_state (self);
}

GtkWidget *
mm_downloads_page_new (void)
{
  return g_object_new (MM_TYPE_DOWNLOADS_PAGE, NULL);
}

/**
 * mm_downloads_page_get_manager:
 *
 * Returns: (transfer none) (nullable): the downloads shown
 */
MmDownloadManager *
mm_downloads_page_get_manager (MmDownloadsPage *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOADS_PAGE (self), NULL);
  return self->manager;
}

void
mm_downloads_page_set_manager (MmDownloadsPage   *self,
                               MmDownloadManager *manager)
{
  g_return_if_fail (MM_IS_DOWNLOADS_PAGE (self));
  g_return_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager));

  if (self->manager == manager)
    return;

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);

  g_set_object (&self->manager, manager);

  if (self->manager != NULL)
    {
      g_signal_connect_object (self->manager, "items-changed",
                               G_CALLBACK (manager_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->manager, "item-state-changed",
                               G_CALLBACK (item_state_changed_cb), self, 0);
    }

  gtk_filter_list_model_set_model (self->active_model, G_LIST_MODEL (self->manager));
  gtk_filter_list_model_set_model (self->failed_filtered, G_LIST_MODEL (self->manager));
  gtk_filter_list_model_set_model (self->finished_filtered, G_LIST_MODEL (self->manager));
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

/**
 * mm_downloads_page_get_state:
 *
 * Returns: "empty" or "list"
 */
const char *
mm_downloads_page_get_state (MmDownloadsPage *self)
{
  g_return_val_if_fail (MM_IS_DOWNLOADS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * mm_downloads_page_focus_start:
 *
 * Puts the keyboard focus where Alt+2 lands: the first download's row
 * itself, never one of its buttons, so that Space right after it does
 * nothing; with no downloads, nowhere in the page (Tab then starts at the
 * top of the window). The same place however often it is called.
 */
void
mm_downloads_page_focus_start (MmDownloadsPage *self)
{
  GtkListBox *lists[] = { self->active_list, self->failed_list, self->finished_list };
  GtkRoot *root;

  g_return_if_fail (MM_IS_DOWNLOADS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (lists[i], 0);

      if (row != NULL && gtk_widget_get_visible (GTK_WIDGET (lists[i])) &&
          gtk_widget_grab_focus (GTK_WIDGET (row)))
        return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus (GTK_WINDOW (root), NULL);
}

static MmDownloadRow *
find_in (GtkListBox     *list,
         MmDownloadItem *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (MM_IS_DOWNLOAD_ROW (child) &&
          mm_download_row_get_item (MM_DOWNLOAD_ROW (child)) == item)
        return MM_DOWNLOAD_ROW (child);
    }

  return NULL;
}

/**
 * mm_downloads_page_find_row:
 * @in_finished: (out) (optional): whether the row is out of the In Progress
 *   list (in Failed or Finished)
 *
 * Returns: (transfer none) (nullable): the row showing @item
 */
MmDownloadRow *
mm_downloads_page_find_row (MmDownloadsPage *self,
                            MmDownloadItem  *item,
                            gboolean        *in_finished)
{
  MmDownloadRow *row;

  g_return_val_if_fail (MM_IS_DOWNLOADS_PAGE (self), NULL);

  row = find_in (self->active_list, item);
  if (in_finished != NULL)
    *in_finished = row == NULL;
  if (row == NULL)
    row = find_in (self->failed_list, item);
  if (row == NULL)
    row = find_in (self->finished_list, item);

  return row;
}

/**
 * mm_downloads_page_get_section:
 *
 * Returns: (nullable): the list that shows @item: "in-progress", "failed"
 *   or "finished"; %NULL when none does
 */
const char *
mm_downloads_page_get_section (MmDownloadsPage *self,
                               MmDownloadItem  *item)
{
  g_return_val_if_fail (MM_IS_DOWNLOADS_PAGE (self), NULL);

  if (find_in (self->active_list, item) != NULL)
    return "in-progress";
  if (find_in (self->failed_list, item) != NULL)
    return "failed";
  if (find_in (self->finished_list, item) != NULL)
    return "finished";
  return NULL;
}
