/* mm-model-loader.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything about one repository, as the detail pane and `info` show it:
 * the Hub's full model info (files, sizes, checksums), its files grouped
 * into download choices by MmQuant, the model card, whether this account
 * may download a gated model, and the model's shape from one GGUF header.
 *
 * A load goes LOADING → LOADED (or FAILED) as soon as the model info is
 * there; the card, the access check and the header follow, each with a
 * notify, and the load's _finish comes when all of them have. A new load
 * (or mm_model_loader_clear()) cancels the one in flight, whose results are
 * then never shown and whose _finish says G_IO_ERROR_CANCELLED.
 *
 * The choices are three GListStores that stay the same objects for the
 * loader's life: a load empties them, the model info fills them. Each
 * choice can read its own GGUF header when asked (mm_quant_read_header()),
 * until the next load cancels it; the shape is the smallest one's. The model
 * and the access are set before they are filled, so a handler of
 * items-changed can ask for both.
 */
#define G_LOG_DOMAIN "mm-model-loader"

#include "config.h"

#include "mm-model-loader-private.h"

#include "mm-enum-types.h"
#include "mm-gguf-info.h"
#include "mm-hub-error.h"
#include "mm-quant-private.h"
#include "mm-repo-file.h"

struct _MmModelLoader
{
  GObject             parent_instance;

  MmHubClient        *client;        /* (owned) (nullable) */
  GCancellable       *cancellable;   /* (owned) (nullable) the last load's */
  char               *repo_id;       /* (owned) (nullable) */
  char               *revision;      /* (owned) (nullable) */
  MmModel            *model;         /* (owned) (nullable) */
  GError             *error;         /* (owned) (nullable) */
  GListStore         *quants;        /* (owned) MmQuant */
  GListStore         *projectors;    /* (owned) MmQuant */
  GListStore         *rejected;      /* (owned) MmRepoFile or MmQuant */
  char               *card;          /* (owned) (nullable) */
  GError             *card_error;    /* (owned) (nullable) */
  GError             *access_error;  /* (owned) (nullable) */
  guint64             ram;
  MmModelShape        shape;
  MmModelLoaderState  state;
  MmModelAccess       gated_access;
  gboolean            card_loading;
  gboolean            shape_known;
};

G_DEFINE_FINAL_TYPE (MmModelLoader, mm_model_loader, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_CLIENT,
  PROP_RAM,
  PROP_STATE,
  PROP_ERROR,
  PROP_MODEL,
  PROP_QUANTS,
  PROP_PROJECTORS,
  PROP_REJECTED,
  PROP_CARD,
  PROP_CARD_LOADING,
  PROP_ACCESS,
  PROP_SHAPE_KNOWN,
  N_PROPS,
} MmModelLoaderProperty;

static GParamSpec *properties[N_PROPS];

/* One load: its own cancellable, which a newer load cancels, and the
 * number of requests still out. */
typedef struct {
  GCancellable *cancellable;   /* (owned) */
  GCancellable *external;      /* (owned) (nullable) the caller's */
  gulong        external_id;
  guint         pending;
} Load;

static void
load_free (Load *load)
{
  /* Once cancelled, the handler has run; disconnecting from inside it would
   * wait for itself, and it only holds a reference to our cancellable. */
  if (load->external != NULL && !g_cancellable_is_cancelled (load->external))
    g_cancellable_disconnect (load->external, load->external_id);
  g_clear_object (&load->external);
  g_clear_object (&load->cancellable);
  g_free (load);
}

static void
cancel_load_cb (GCancellable *external,
                GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
load_is_cancelled (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  return g_cancellable_is_cancelled (load->cancellable);
}

/* A request of @task came back: once none is out, the load is done. */
static void
load_request_done (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  g_assert (load->pending > 0);
  if (--load->pending > 0)
    return;

  if (g_cancellable_is_cancelled (load->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The load was cancelled");
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_set_items (GListStore *store,
                 GPtrArray  *items)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (n == 0 && (items == NULL || items->len == 0))
    return;
  g_list_store_splice (store, 0, n, items ? items->pdata : NULL, items ? items->len : 0);
}

/* Each choice can read its own header: from this client, at the model's
 * commit, until this load is cancelled. */
static void
set_sources (MmModelLoader *self,
             GPtrArray     *quants)
{
  for (guint i = 0; quants != NULL && i < quants->len; i++)
    _mm_quant_set_source (g_ptr_array_index (quants, i), self->client, self->model,
                          self->cancellable);
}

static void
group_files (MmModelLoader *self)
{
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GPtrArray) projectors = NULL;
  g_autoptr(GPtrArray) rejected = NULL;

  if (self->model != NULL)
    {
      quants = mm_quant_group_files (mm_model_get_files (self->model), self->ram,
                                     &projectors, &rejected);
      set_sources (self, quants);
      set_sources (self, projectors);
    }
  store_set_items (self->quants, quants);
  store_set_items (self->projectors, projectors);
  store_set_items (self->rejected, rejected);
}

/* Forgets the last load and cancels what is left of it. */
static void
reset (MmModelLoader *self)
{
  MmModelLoaderState old_state = self->state;
  MmModelAccess old_access = mm_model_loader_get_access (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->repo_id, g_free);
  g_clear_pointer (&self->revision, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->card, g_free);
  g_clear_error (&self->card_error);
  g_clear_error (&self->access_error);
  self->gated_access = MM_MODEL_ACCESS_OPEN;
  self->state = MM_MODEL_LOADER_STATE_EMPTY;

  if (self->model != NULL)
    {
      g_clear_object (&self->model);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
    }
  group_files (self);
  if (self->card_loading)
    {
      self->card_loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_LOADING]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  if (self->shape_known)
    {
      self->shape_known = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_KNOWN]);
    }
  if (old_access != MM_MODEL_ACCESS_OPEN)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
  if (old_state != MM_MODEL_LOADER_STATE_EMPTY)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
access_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmModelLoader *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean granted;

  granted = mm_hub_client_auth_check_finish (MM_HUB_CLIENT (source), result, &error);
  if (!load_is_cancelled (task))
    {
      self->gated_access = granted ? MM_MODEL_ACCESS_GRANTED : MM_MODEL_ACCESS_NOT_GRANTED;
      g_clear_error (&self->access_error);
      self->access_error = g_steal_pointer (&error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
    }
  load_request_done (task);
}

static void
model_card_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmModelLoader *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *card = NULL;

  card = mm_hub_client_model_card_finish (MM_HUB_CLIENT (source), result, &error);
  if (!load_is_cancelled (task))
    {
      g_object_freeze_notify (G_OBJECT (self));
      self->card_loading = FALSE;
      /* No card, or a disabled repository that refuses it too: nothing to
       * show, and no error either. */
      if (card == NULL && !g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND) &&
          !mm_model_get_disabled (self->model))
        self->card_error = g_steal_pointer (&error);
      self->card = g_steal_pointer (&card);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_LOADING]);
      g_object_thaw_notify (G_OBJECT (self));
    }
  load_request_done (task);
}

/* The layers and heads of a model are the same in all its quantizations:
 * the header of the smallest choice gives them, and that choice keeps it.
 * A failure (a gated model without access, say) only leaves the Hub's
 * figures. */
static void
shape_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmModelLoader *self = g_task_get_source_object (task);
  MmQuant *quant = MM_QUANT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = mm_quant_load_header_finish (quant, result, &error);
  if (load_is_cancelled (task))
    ;
  else if (info == NULL)
    g_debug ("No shape for the estimates: %s", error->message);
  else
    {
      mm_quant_get_header_shape (quant, &self->shape);
      self->shape_known = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHAPE_KNOWN]);
    }
  load_request_done (task);
}

static gboolean
read_shape (MmModelLoader *self,
            GTask         *task)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->quants));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MmQuant) quant = g_list_model_get_item (G_LIST_MODEL (self->quants), i);

      if (!mm_quant_get_is_complete (quant) || mm_quant_get_header_path (quant) == NULL)
        continue;

      mm_quant_load_header_async (quant, self->cancellable, shape_read_cb,
                                  g_object_ref (task));
      return TRUE;
    }

  return FALSE;
}

static void
model_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmModelLoader *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmModel) model = NULL;
  gboolean checking;

  model = mm_hub_client_model_info_finish (MM_HUB_CLIENT (source), result, &error);
  if (load_is_cancelled (task))
    {
      load_request_done (task);
      return;
    }

  if (model == NULL)
    {
      self->error = g_error_copy (error);
      self->state = MM_MODEL_LOADER_STATE_FAILED;
      g_object_freeze_notify (G_OBJECT (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_thaw_notify (G_OBJECT (self));
      load->pending--;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_set_object (&self->model, model);
  /* A gated model: may this account download it? */
  checking = mm_model_get_gated (model) != MM_GATED_NO &&
             mm_hub_client_get_has_token (self->client);
  if (mm_model_get_gated (model) == MM_GATED_NO)
    self->gated_access = MM_MODEL_ACCESS_OPEN;
  else
    self->gated_access = checking ? MM_MODEL_ACCESS_CHECKING : MM_MODEL_ACCESS_NEEDS_TOKEN;
  self->shape_known = FALSE;
  self->card_loading = TRUE;
  self->state = MM_MODEL_LOADER_STATE_LOADED;
  group_files (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));

  /* A handler may have started another load. */
  if (load_is_cancelled (task))
    {
      load_request_done (task);
      return;
    }

  if (checking)
    {
      load->pending++;
      mm_hub_client_auth_check_async (self->client,
                                      mm_model_get_id (model),
                                      self->cancellable,
                                      access_checked_cb,
                                      g_object_ref (task));
    }

  load->pending++;
  mm_hub_client_model_card_async (self->client,
                                  mm_model_get_id (model),
                                  mm_model_get_sha (model),
                                  self->cancellable,
                                  model_card_cb,
                                  g_object_ref (task));
  if (read_shape (self, task))
    load->pending++;

  load_request_done (task);
}

static void
mm_model_loader_dispose (GObject *object)
{
  MmModelLoader *self = MM_MODEL_LOADER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->model);
  g_clear_object (&self->quants);
  g_clear_object (&self->projectors);
  g_clear_object (&self->rejected);

  G_OBJECT_CLASS (mm_model_loader_parent_class)->dispose (object);
}

static void
mm_model_loader_finalize (GObject *object)
{
  MmModelLoader *self = MM_MODEL_LOADER (object);

  g_free (self->repo_id);
  g_free (self->revision);
  g_free (self->card);
  g_clear_error (&self->error);
  g_clear_error (&self->card_error);
  g_clear_error (&self->access_error);

  G_OBJECT_CLASS (mm_model_loader_parent_class)->finalize (object);
}

static void
mm_model_loader_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MmModelLoader *self = MM_MODEL_LOADER (object);

  switch ((MmModelLoaderProperty) prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_RAM:
      g_value_set_uint64 (value, self->ram);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_QUANTS:
      g_value_set_object (value, self->quants);
      break;
    case PROP_PROJECTORS:
      g_value_set_object (value, self->projectors);
      break;
    case PROP_REJECTED:
      g_value_set_object (value, self->rejected);
      break;
    case PROP_CARD:
      g_value_set_string (value, self->card);
      break;
    case PROP_CARD_LOADING:
      g_value_set_boolean (value, self->card_loading);
      break;
    case PROP_ACCESS:
      g_value_set_enum (value, mm_model_loader_get_access (self));
      break;
    case PROP_SHAPE_KNOWN:
      g_value_set_boolean (value, self->shape_known);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_loader_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MmModelLoader *self = MM_MODEL_LOADER (object);

  switch ((MmModelLoaderProperty) prop_id)
    {
    case PROP_CLIENT:
      mm_model_loader_set_client (self, g_value_get_object (value));
      break;
    case PROP_RAM:
      mm_model_loader_set_ram (self, g_value_get_uint64 (value));
      break;
    case PROP_STATE:
    case PROP_ERROR:
    case PROP_MODEL:
    case PROP_QUANTS:
    case PROP_PROJECTORS:
    case PROP_REJECTED:
    case PROP_CARD:
    case PROP_CARD_LOADING:
    case PROP_ACCESS:
    case PROP_SHAPE_KNOWN:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_loader_class_init (MmModelLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mm_model_loader_dispose;
  object_class->finalize = mm_model_loader_finalize;
  object_class->get_property = mm_model_loader_get_property;
  object_class->set_property = mm_model_loader_set_property;

  /** MmModelLoader:client: (nullable): the Hub client that loads */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, MM_TYPE_HUB_CLIENT, rw);
  /** MmModelLoader:ram: this computer's memory, which the grouping uses (0: unknown) */
  properties[PROP_RAM] =
    g_param_spec_uint64 ("ram", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  /** MmModelLoader:state: where the last load is */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MM_TYPE_MODEL_LOADER_STATE,
                       MM_MODEL_LOADER_STATE_EMPTY, ro);
  /** MmModelLoader:error: (nullable): why the last load failed */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  /** MmModelLoader:model: (nullable): the full model info, once loaded */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, MM_TYPE_MODEL, ro);
  /** MmModelLoader:quants: the download choices (#MmQuant) */
  properties[PROP_QUANTS] =
    g_param_spec_object ("quants", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  /** MmModelLoader:projectors: the projectors (#MmQuant) */
  properties[PROP_PROJECTORS] =
    g_param_spec_object ("projectors", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  /** MmModelLoader:rejected: files refused (#MmRepoFile or #MmQuant) */
  properties[PROP_REJECTED] =
    g_param_spec_object ("rejected", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  /** MmModelLoader:card: (nullable): the model card's Markdown */
  properties[PROP_CARD] =
    g_param_spec_string ("card", NULL, NULL, NULL, ro);
  /** MmModelLoader:card-loading: whether the card is on its way */
  properties[PROP_CARD_LOADING] =
    g_param_spec_boolean ("card-loading", NULL, NULL, FALSE, ro);
  /** MmModelLoader:access: whether this account may download the files */
  properties[PROP_ACCESS] =
    g_param_spec_enum ("access", NULL, NULL, MM_TYPE_MODEL_ACCESS, MM_MODEL_ACCESS_OPEN, ro);
  /** MmModelLoader:shape-known: whether a GGUF header gave the model's shape */
  properties[PROP_SHAPE_KNOWN] =
    g_param_spec_boolean ("shape-known", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_model_loader_init (MmModelLoader *self)
{
  self->quants = g_list_store_new (MM_TYPE_QUANT);
  self->projectors = g_list_store_new (MM_TYPE_QUANT);
  self->rejected = g_list_store_new (G_TYPE_OBJECT);
}

/**
 * mm_model_loader_new:
 * @client: (nullable): the Hub client that loads
 *
 * Returns: (transfer full): a loader with nothing loaded
 */
MmModelLoader *
mm_model_loader_new (MmHubClient *client)
{
  g_return_val_if_fail (!client || MM_IS_HUB_CLIENT (client), NULL);

  return g_object_new (MM_TYPE_MODEL_LOADER, "client", client, NULL);
}

/**
 * mm_model_loader_get_client:
 *
 * Returns: (transfer none) (nullable): the Hub client
 */
MmHubClient *
mm_model_loader_get_client (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->client;
}

/**
 * mm_model_loader_set_client:
 * @client: (nullable): the Hub client for the next load
 *
 * What is loaded stays; the caller loads again if it wants to.
 */
void
mm_model_loader_set_client (MmModelLoader *self,
                            MmHubClient   *client)
{
  g_return_if_fail (MM_IS_MODEL_LOADER (self));
  g_return_if_fail (!client || MM_IS_HUB_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

guint64
mm_model_loader_get_ram (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), 0);
  return self->ram;
}

/**
 * mm_model_loader_set_ram:
 * @ram: this computer's memory in bytes, 0 when unknown
 *
 * The memory the choices' fit is judged by; a loaded model's choices are
 * grouped again (new #MmQuant objects) when it changes.
 */
void
mm_model_loader_set_ram (MmModelLoader *self,
                         guint64        ram)
{
  g_return_if_fail (MM_IS_MODEL_LOADER (self));

  if (self->ram == ram)
    return;

  self->ram = ram;
  if (self->state == MM_MODEL_LOADER_STATE_LOADED)
    group_files (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RAM]);
}

/**
 * mm_model_loader_load:
 * @repo_id: a repository id such as "org/Model-GGUF"
 * @revision: (nullable): a branch, tag or commit; %NULL for the default
 *
 * Loads @repo_id, cancelling the load in flight. Follow the properties.
 */
void
mm_model_loader_load (MmModelLoader *self,
                      const char    *repo_id,
                      const char    *revision)
{
  mm_model_loader_load_async (self, repo_id, revision, NULL, NULL, NULL);
}

/**
 * mm_model_loader_load_async:
 * @repo_id: a repository id such as "org/Model-GGUF"
 * @revision: (nullable): a branch, tag or commit; %NULL for the default
 * @cancellable: (nullable): cancels this load
 *
 * Loads @repo_id with the loader's client, which must be set, cancelling
 * the load in flight. @callback runs once the
 * model info failed, or once it and the card, the access check and the
 * header read that follow it have all come back.
 */
void
mm_model_loader_load_async (MmModelLoader       *self,
                            const char          *repo_id,
                            const char          *revision,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (MM_IS_MODEL_LOADER (self));
  g_return_if_fail (repo_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  /* Without a client there is nothing to load with: the caller clears. */
  g_return_if_fail (self->client != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  reset (self);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, mm_model_loader_load_async);
  load = g_new0 (Load, 1);
  load->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  self->cancellable = g_object_ref (load->cancellable);
  if (cancellable != NULL)
    {
      load->external = g_object_ref (cancellable);
      /* Runs at once when it is cancelled already. */
      load->external_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_load_cb),
                                                 g_object_ref (load->cancellable),
                                                 g_object_unref);
    }

  self->repo_id = g_strdup (repo_id);
  self->revision = g_strdup (revision);

  self->state = MM_MODEL_LOADER_STATE_LOADING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  load->pending = 1;
  mm_hub_client_model_info_async (self->client, repo_id, revision, load->cancellable,
                                  model_info_cb, g_object_ref (task));
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * mm_model_loader_load_finish:
 *
 * Returns: whether the model loaded; a load that a newer one (or the
 *   caller) cancelled fails with %G_IO_ERROR_CANCELLED
 */
gboolean
mm_model_loader_load_finish (MmModelLoader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mm_model_loader_clear:
 *
 * Cancels the load in flight and forgets the last one: the state is
 * %MM_MODEL_LOADER_STATE_EMPTY again.
 */
void
mm_model_loader_clear (MmModelLoader *self)
{
  g_return_if_fail (MM_IS_MODEL_LOADER (self));

  g_object_freeze_notify (G_OBJECT (self));
  reset (self);
  g_object_thaw_notify (G_OBJECT (self));
}

MmModelLoaderState
mm_model_loader_get_state (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), MM_MODEL_LOADER_STATE_EMPTY);
  return self->state;
}

/**
 * mm_model_loader_get_error:
 *
 * Returns: (nullable): why the last load failed
 */
const GError *
mm_model_loader_get_error (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->error;
}

/**
 * _mm_model_loader_get_repo_id:
 *
 * Returns: (nullable): the repository of the last load, as asked for
 */
const char *
_mm_model_loader_get_repo_id (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->repo_id;
}

/**
 * _mm_model_loader_get_revision:
 *
 * Returns: (nullable): the revision of the last load, as asked for
 */
const char *
_mm_model_loader_get_revision (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->revision;
}

/**
 * mm_model_loader_get_model:
 *
 * Returns: (transfer none) (nullable): the full model info, once loaded
 */
MmModel *
mm_model_loader_get_model (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->model;
}

/**
 * mm_model_loader_get_quants:
 *
 * Returns: (transfer none): the download choices, #MmQuant, smallest first
 */
GListModel *
mm_model_loader_get_quants (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return G_LIST_MODEL (self->quants);
}

/**
 * mm_model_loader_get_projectors:
 *
 * Returns: (transfer none): the projectors, #MmQuant
 */
GListModel *
mm_model_loader_get_projectors (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return G_LIST_MODEL (self->projectors);
}

/**
 * mm_model_loader_get_rejected:
 *
 * Returns: (transfer none): the files that cannot be offered, #MmRepoFile
 *   or #MmQuant, each with its problem
 */
GListModel *
mm_model_loader_get_rejected (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return G_LIST_MODEL (self->rejected);
}

/**
 * mm_model_loader_get_card:
 *
 * Returns: (nullable): the model card's Markdown; %NULL while it loads,
 *   when it failed (see mm_model_loader_get_card_error()) or when there is
 *   none
 */
const char *
mm_model_loader_get_card (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->card;
}

/**
 * mm_model_loader_get_card_error:
 *
 * Returns: (nullable): why the card could not be loaded; %NULL when it was,
 *   or when there is none to load (no README, a disabled repository)
 */
const GError *
mm_model_loader_get_card_error (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->card_error;
}

gboolean
mm_model_loader_get_card_loading (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), FALSE);
  return self->card_loading;
}

/**
 * mm_model_loader_get_access:
 *
 * Returns: whether this account may download the files: a disabled
 *   repository first, then what mm_model_loader_get_gated_access() says
 */
MmModelAccess
mm_model_loader_get_access (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), MM_MODEL_ACCESS_OPEN);

  if (self->model != NULL && mm_model_get_disabled (self->model))
    return MM_MODEL_ACCESS_DISABLED;
  return self->gated_access;
}

/**
 * mm_model_loader_get_gated_access:
 *
 * Returns: the gate alone, whether or not the repository is disabled:
 *   %MM_MODEL_ACCESS_OPEN for a model that is not gated, else
 *   NEEDS_TOKEN, CHECKING, GRANTED or NOT_GRANTED
 */
MmModelAccess
mm_model_loader_get_gated_access (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), MM_MODEL_ACCESS_OPEN);
  return self->gated_access;
}

/**
 * mm_model_loader_get_access_error:
 *
 * Returns: (nullable): with %MM_MODEL_ACCESS_NOT_GRANTED, the Hub's answer
 *   (a refused token, no access yet) or why it could not be asked
 */
const GError *
mm_model_loader_get_access_error (MmModelLoader *self)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), NULL);
  return self->access_error;
}

/**
 * mm_model_loader_get_shape:
 * @shape: (out): the model's shape
 *
 * The shape from the GGUF header read after the load when it came, else
 * what the Hub says (parameters and context, no layers).
 *
 * Returns: whether @shape comes from a header
 */
gboolean
mm_model_loader_get_shape (MmModelLoader *self,
                           MmModelShape  *shape)
{
  g_return_val_if_fail (MM_IS_MODEL_LOADER (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  *shape = (MmModelShape) { 0, };
  if (self->shape_known)
    *shape = self->shape;
  else if (self->model != NULL)
    mm_model_shape_init_from_model (shape, self->model);
  return self->shape_known;
}
