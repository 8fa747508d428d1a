/* mm-model-loader.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-memory-estimate.h"
#include "mm-model.h"

G_BEGIN_DECLS

/**
 * MmModelLoaderState:
 * @MM_MODEL_LOADER_STATE_EMPTY: nothing loaded, nothing asked
 * @MM_MODEL_LOADER_STATE_LOADING: the model info is on its way
 * @MM_MODEL_LOADER_STATE_LOADED: the model and its choices are known (the
 *   card, the access check and the header may still be on their way)
 * @MM_MODEL_LOADER_STATE_FAILED: the model info could not be loaded; see
 *   mm_model_loader_get_error()
 */
typedef enum {
  MM_MODEL_LOADER_STATE_EMPTY,
  MM_MODEL_LOADER_STATE_LOADING,
  MM_MODEL_LOADER_STATE_LOADED,
  MM_MODEL_LOADER_STATE_FAILED,
} MmModelLoaderState;

/**
 * MmModelAccess:
 * @MM_MODEL_ACCESS_OPEN: anyone may download (or nothing is loaded)
 * @MM_MODEL_ACCESS_DISABLED: the owner or the Hub disabled the repository;
 *   the Hub refuses its files
 * @MM_MODEL_ACCESS_NEEDS_TOKEN: gated, and there is no access token
 * @MM_MODEL_ACCESS_CHECKING: gated; asking the Hub whether this account may
 *   download
 * @MM_MODEL_ACCESS_GRANTED: gated, and this account may download
 * @MM_MODEL_ACCESS_NOT_GRANTED: gated, and the Hub said no or could not be
 *   asked; mm_model_loader_get_access_error() says which
 */
typedef enum {
  MM_MODEL_ACCESS_OPEN,
  MM_MODEL_ACCESS_DISABLED,
  MM_MODEL_ACCESS_NEEDS_TOKEN,
  MM_MODEL_ACCESS_CHECKING,
  MM_MODEL_ACCESS_GRANTED,
  MM_MODEL_ACCESS_NOT_GRANTED,
} MmModelAccess;

#define MM_TYPE_MODEL_LOADER (mm_model_loader_get_type ())

G_DECLARE_FINAL_TYPE (MmModelLoader, mm_model_loader, MM, MODEL_LOADER, GObject)

MmModelLoader     *mm_model_loader_new               (MmHubClient          *client);
MmHubClient       *mm_model_loader_get_client        (MmModelLoader        *self);
void               mm_model_loader_set_client        (MmModelLoader        *self,
                                                      MmHubClient          *client);
guint64            mm_model_loader_get_ram           (MmModelLoader        *self);
void               mm_model_loader_set_ram           (MmModelLoader        *self,
                                                      guint64               ram);

void               mm_model_loader_load              (MmModelLoader        *self,
                                                      const char           *repo_id,
                                                      const char           *revision);
void               mm_model_loader_load_async        (MmModelLoader        *self,
                                                      const char           *repo_id,
                                                      const char           *revision,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean           mm_model_loader_load_finish       (MmModelLoader        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void               mm_model_loader_clear             (MmModelLoader        *self);

MmModelLoaderState mm_model_loader_get_state         (MmModelLoader        *self);
const GError      *mm_model_loader_get_error         (MmModelLoader        *self);
MmModel           *mm_model_loader_get_model         (MmModelLoader        *self);
GListModel        *mm_model_loader_get_quants        (MmModelLoader        *self);
GListModel        *mm_model_loader_get_projectors    (MmModelLoader        *self);
GListModel        *mm_model_loader_get_rejected      (MmModelLoader        *self);
const char        *mm_model_loader_get_card          (MmModelLoader        *self);
const GError      *mm_model_loader_get_card_error    (MmModelLoader        *self);
gboolean           mm_model_loader_get_card_loading  (MmModelLoader        *self);
MmModelAccess      mm_model_loader_get_access        (MmModelLoader        *self);
MmModelAccess      mm_model_loader_get_gated_access  (MmModelLoader        *self);
const GError      *mm_model_loader_get_access_error  (MmModelLoader        *self);
gboolean           mm_model_loader_get_shape         (MmModelLoader        *self,
                                                      MmModelShape         *shape);

G_END_DECLS
