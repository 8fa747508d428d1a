/* mm-search-results.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of MmModel over the Hub's cursor pagination. The view asks
 * for more with mm_search_results_load_more() when the user scrolls near the
 * end; the model follows the `Link: rel="next"` URL the previous page gave
 * and appends, emitting items-changed for the new range only. It holds no
 * paging state but that URL. A failed page keeps what was loaded and sets
 * :error; calling load_more again retries the same page.
 *
 * An MmSearchFilter narrows the results. The Hub applies its parameter
 * count bounds; the rest (the architecture) is checked here, on each page
 * as it comes. A page may then add nothing: load_more goes on to the next
 * pages by itself, up to MAX_EMPTY_PAGES of them, and then stops with
 * :stalled set, so that a rare architecture does not walk the whole Hub
 * unasked. :scanned counts the models the Hub sent, to say how far the
 * search looked.
 */
#define G_LOG_DOMAIN "mm-search-results"

#include "config.h"

#include "mm-hub-error.h"
#include "mm-model.h"
#include "mm-search-results-private.h"

/* Pages fetched in a row, by one load_more, that add no model. */
#define MAX_EMPTY_PAGES 5

struct _MmSearchResults
{
  GObject parent_instance;

  MmHubClient *client;
  GCancellable *cancellable;
  GPtrArray *items;
  GHashTable *seen_ids;
  GError *error;
  char *text;
  char *next_url;
  MmSearchFilter *filter;
  MmSort sort;
  guint scanned;
  guint empty_pages;
  guint loading : 1;
  guint started : 1;
  guint stalled : 1;
};

static void mm_search_results_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmSearchResults, mm_search_results, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      mm_search_results_list_model_init))

typedef enum {
  PROP_0,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_STARTED,
  PROP_ERROR,
  PROP_N_ITEMS,
  PROP_SCANNED,
  PROP_STALLED,
  N_PROPS,
} MmSearchResultsProperty;

static GParamSpec *properties[N_PROPS];

static GType
mm_search_results_get_item_type (GListModel *model)
{
  return MM_TYPE_MODEL;
}

static guint
mm_search_results_get_n_items (GListModel *model)
{
  return MM_SEARCH_RESULTS (model)->items->len;
}

static gpointer
mm_search_results_get_item (GListModel *model,
                            guint       position)
{
  MmSearchResults *self = MM_SEARCH_RESULTS (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
mm_search_results_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = mm_search_results_get_item_type;
  iface->get_n_items = mm_search_results_get_n_items;
  iface->get_item = mm_search_results_get_item;
}

static void
mm_search_results_dispose (GObject *object)
{
  MmSearchResults *self = MM_SEARCH_RESULTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (mm_search_results_parent_class)->dispose (object);
}

static void
mm_search_results_finalize (GObject *object)
{
  MmSearchResults *self = MM_SEARCH_RESULTS (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->seen_ids, g_hash_table_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->next_url, g_free);
  g_clear_pointer (&self->filter, mm_search_filter_free);

  G_OBJECT_CLASS (mm_search_results_parent_class)->finalize (object);
}

static void
mm_search_results_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MmSearchResults *self = MM_SEARCH_RESULTS (object);

  switch ((MmSearchResultsProperty) prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, mm_search_results_get_has_more (self));
      break;
    case PROP_STARTED:
      g_value_set_boolean (value, self->started);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_SCANNED:
      g_value_set_uint (value, self->scanned);
      break;
    case PROP_STALLED:
      g_value_set_boolean (value, self->stalled);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_search_results_class_init (MmSearchResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_search_results_dispose;
  object_class->finalize = mm_search_results_finalize;
  object_class->get_property = mm_search_results_get_property;

  /** MmSearchResults:loading: whether a page is being fetched */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSearchResults:has-more: whether another page may follow */
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSearchResults:started: whether the first page was asked for */
  properties[PROP_STARTED] =
    g_param_spec_boolean ("started", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSearchResults:error: (nullable): why the last page failed */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSearchResults:n-items: the number of models loaded so far */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /** MmSearchResults:scanned: the models the Hub sent, shown or not */
  properties[PROP_SCANNED] =
    g_param_spec_uint ("scanned", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmSearchResults:stalled: whether the last load_more gave up after
   * several pages of which the filter kept nothing; more may follow */
  properties[PROP_STALLED] =
    g_param_spec_boolean ("stalled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_search_results_init (MmSearchResults *self)
{
  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * _mm_search_results_new:
 * @client: the Hub client
 * @text: (nullable): the words to look for; %NULL or empty lists every model
 * @sort: the order
 * @gguf_only: only repositories tagged `gguf`
 * @page_size: models per page, 0 for the default
 *
 * Creates an empty result list. Nothing is fetched until
 * mm_search_results_load_more() is called.
 *
 * Returns: (transfer full): a new #MmSearchResults
 */
MmSearchResults *
_mm_search_results_new (MmHubClient *client,
                        const char  *text,
                        MmSort       sort,
                        gboolean     gguf_only,
                        guint        page_size)
{
  return mm_search_results_new_filtered (client, text, sort, gguf_only, NULL, page_size);
}

/**
 * mm_search_results_new_filtered:
 * @client: the Hub client
 * @text: (nullable): the words to look for; %NULL or empty lists every model
 * @sort: the order
 * @gguf_only: only repositories tagged `gguf`
 * @filter: (nullable): what else a model must be to be listed
 * @page_size: models per page, 0 for the default
 *
 * Creates an empty result list. Nothing is fetched until
 * mm_search_results_load_more() is called. A filter no model can pass
 * (over 35 B parameters, and fitting in 4 GB) gives a list that is
 * already complete and empty.
 *
 * Returns: (transfer full): a new #MmSearchResults
 */
MmSearchResults *
mm_search_results_new_filtered (MmHubClient          *client,
                                const char           *text,
                                MmSort                sort,
                                gboolean              gguf_only,
                                const MmSearchFilter *filter,
                                guint                 page_size)
{
  MmSearchResults *self;
  guint64 min, max;

  g_return_val_if_fail (MM_IS_HUB_CLIENT (client), NULL);

  self = g_object_new (MM_TYPE_SEARCH_RESULTS, NULL);
  self->client = g_object_ref (client);
  self->text = g_strdup (text ? text : "");
  self->sort = sort;
  self->filter = mm_search_filter_is_empty (filter) ? NULL : mm_search_filter_copy (filter);

  if (mm_search_filter_get_parameter_bounds (self->filter, &min, &max))
    self->next_url = mm_hub_client_build_filtered_search_url (client, text, sort, gguf_only,
                                                              self->filter, page_size);
  else
    self->started = TRUE;

  return self;
}

static void
set_loading (MmSearchResults *self,
             gboolean         loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void load_page (MmSearchResults *self);

static void
set_stalled (MmSearchResults *self,
             gboolean         stalled)
{
  if (self->stalled == !!stalled)
    return;

  self->stalled = !!stalled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALLED]);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MmSearchResults) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *next_url = NULL;
  guint position;
  guint added = 0;

  models = mm_hub_client_search_finish (MM_HUB_CLIENT (source), result, &next_url, &error);

  g_object_freeze_notify (G_OBJECT (self));

  if (models == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
        }
      set_loading (self, FALSE);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  position = self->items->len;
  for (guint i = 0; i < models->len; i++)
    {
      MmModel *model = g_ptr_array_index (models, i);

      /* A cursor never repeats an item, but a server under change might. */
      if (!g_hash_table_add (self->seen_ids, g_strdup (mm_model_get_id (model))))
        continue;
      if (!mm_search_filter_matches (self->filter, model))
        continue;
      g_ptr_array_add (self->items, g_object_ref (model));
      added++;
    }

  g_free (self->next_url);
  self->next_url = g_steal_pointer (&next_url);
  self->scanned += models->len;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNED]);

  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  /* The filter kept nothing: look further, but not forever. */
  if (added == 0 && self->next_url != NULL && mm_search_filter_needs_local_check (self->filter))
    {
      self->empty_pages++;
      if (self->empty_pages < MAX_EMPTY_PAGES)
        {
          load_page (self);
          g_object_thaw_notify (G_OBJECT (self));
          return;
        }
      set_stalled (self, TRUE);
    }

  set_loading (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
  if (added > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
load_page (MmSearchResults *self)
{
  mm_hub_client_search_async (self->client, self->next_url, self->cancellable,
                              page_cb, g_object_ref (self));
}

/**
 * mm_search_results_load_more:
 *
 * Fetches the next page, or retries the one that failed. Does nothing while
 * a page is loading or after the last page. With a filter that the Hub
 * cannot apply, pages that add nothing are followed by the next, up to a
 * few; then :stalled is set until the next call.
 */
void
mm_search_results_load_more (MmSearchResults *self)
{
  g_return_if_fail (MM_IS_SEARCH_RESULTS (self));

  if (self->loading || self->next_url == NULL || self->client == NULL)
    return;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  if (!self->started)
    {
      self->started = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED]);
    }

  self->empty_pages = 0;
  set_stalled (self, FALSE);
  set_loading (self, TRUE);
  load_page (self);
}

/**
 * mm_search_results_cancel:
 *
 * Stops the page being fetched, if any; what was loaded stays.
 */
void
mm_search_results_cancel (MmSearchResults *self)
{
  g_return_if_fail (MM_IS_SEARCH_RESULTS (self));

  g_cancellable_cancel (self->cancellable);
}

gboolean
mm_search_results_get_loading (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), FALSE);
  return self->loading;
}

gboolean
mm_search_results_get_has_more (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), FALSE);
  return self->next_url != NULL;
}

gboolean
mm_search_results_get_started (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), FALSE);
  return self->started;
}

/**
 * mm_search_results_get_error:
 *
 * Returns: (nullable) (transfer none): why the last page failed
 */
const GError *
mm_search_results_get_error (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), NULL);
  return self->error;
}

const char *
_mm_search_results_get_text (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), NULL);
  return self->text;
}

/**
 * mm_search_results_get_filter:
 *
 * Returns: (transfer none) (nullable): the filter, %NULL when none
 */
const MmSearchFilter *
mm_search_results_get_filter (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), NULL);
  return self->filter;
}

/**
 * mm_search_results_get_scanned:
 *
 * Returns: how many models the Hub sent so far, including those the
 *   filter did not keep
 */
guint
mm_search_results_get_scanned (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), 0);
  return self->scanned;
}

/**
 * mm_search_results_get_stalled:
 *
 * Returns: whether the last load_more stopped after several pages that the
 *   filter kept nothing of, while more pages remain
 */
gboolean
mm_search_results_get_stalled (MmSearchResults *self)
{
  g_return_val_if_fail (MM_IS_SEARCH_RESULTS (self), FALSE);
  return self->stalled;
}
