/* mm-model.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A repository on the Hub, built from a search item or a model-info answer.
 * Search items carry only what was asked for with `expand=`, so every field
 * is optional; `gated` is `false`, `"auto"` or `"manual"`; the license comes
 * from `cardData.license` or a `license:` tag.
 */
#define G_LOG_DOMAIN "mm-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mm-hub-error.h"
#include "mm-json.h"
#include "mm-model-private.h"
#include "mm-repo-file.h"

struct _MmModel
{
  GObject parent_instance;

  char *id;
  char *author;
  char *license;
  char **tags;
  char *sha;
  char *pipeline_tag;
  char *architecture;
  GDateTime *updated;
  GDateTime *created;
  GPtrArray *files;
  gint64 downloads;
  gint64 likes;
  guint64 parameters;
  guint64 context_length;
  MmGated gated;
  guint private : 1;
  guint disabled : 1;
  guint has_files : 1;
};

G_DEFINE_FINAL_TYPE (MmModel, mm_model, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_ID,
  PROP_AUTHOR,
  PROP_NAME,
  PROP_DOWNLOADS,
  PROP_LIKES,
  PROP_LICENSE,
  PROP_GATED,
  PROP_UPDATED,
  N_PROPS,
} MmModelProperty;

static GParamSpec *properties[N_PROPS];

static void
mm_model_finalize (GObject *object)
{
  MmModel *self = MM_MODEL (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->license, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->sha, g_free);
  g_clear_pointer (&self->pipeline_tag, g_free);
  g_clear_pointer (&self->architecture, g_free);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_model_parent_class)->finalize (object);
}

static void
mm_model_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MmModel *self = MM_MODEL (object);

  switch ((MmModelProperty) prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_NAME:
      g_value_set_string (value, mm_model_get_name (self));
      break;
    case PROP_DOWNLOADS:
      g_value_set_int64 (value, self->downloads);
      break;
    case PROP_LIKES:
      g_value_set_int64 (value, self->likes);
      break;
    case PROP_LICENSE:
      g_value_set_string (value, self->license);
      break;
    case PROP_GATED:
      g_value_set_int (value, self->gated);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_class_init (MmModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_model_finalize;
  object_class->get_property = mm_model_get_property;

  /** MmModel:id: the repository id, `owner/name` */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:author: the owner (user or organization) */
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:name: the part of the id after the owner */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:downloads: downloads in the last 30 days, -1 when unknown */
  properties[PROP_DOWNLOADS] =
    g_param_spec_int64 ("downloads", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:likes: likes, -1 when unknown */
  properties[PROP_LIKES] =
    g_param_spec_int64 ("likes", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:license: the license id, or %NULL */
  properties[PROP_LICENSE] =
    g_param_spec_string ("license", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:gated: an #MmGated value */
  properties[PROP_GATED] =
    g_param_spec_int ("gated", NULL, NULL, MM_GATED_NO, MM_GATED_MANUAL, MM_GATED_NO,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmModel:updated: (nullable): the last modification */
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_model_init (MmModel *self)
{
  self->downloads = -1;
  self->likes = -1;
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
}

static MmGated
parse_gated (JsonObject *object)
{
  const char *text = mm_json_get_string (object, "gated");

  if (text != NULL)
    {
      if (g_ascii_strcasecmp (text, "manual") == 0)
        return MM_GATED_MANUAL;
      if (g_ascii_strcasecmp (text, "false") == 0 || *text == '\0')
        return MM_GATED_NO;
      /* "auto" and any future mode we do not know yet: still gated. */
      return MM_GATED_AUTO;
    }

  return mm_json_get_bool (object, "gated", FALSE) ? MM_GATED_AUTO : MM_GATED_NO;
}

static char *
find_license (JsonObject  *object,
              char       **tags)
{
  JsonObject *card = mm_json_get_object (object, "cardData");
  const char *license = mm_json_get_string (card, "license");

  if (license != NULL)
    return g_strdup (license);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    if (g_str_has_prefix (tags[i], "license:"))
      return g_strdup (tags[i] + strlen ("license:"));

  return NULL;
}

/* Replaces the file list with @files (element-type MmRepoFile). */
static void
model_set_files (MmModel   *self,
                 GPtrArray *files)
{
  g_return_if_fail (MM_IS_MODEL (self));
  g_return_if_fail (files != NULL);

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (self->files, g_object_ref (g_ptr_array_index (files, i)));
  self->has_files = TRUE;
}

/**
 * mm_model_new_from_json:
 * @object: a search item or a model-info answer
 * @error: return location for a %MM_HUB_ERROR_MALFORMED error
 *
 * Returns: (transfer full) (nullable): the model, or %NULL when @object has no id
 */
MmModel *
mm_model_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_autoptr(MmModel) self = NULL;
  const char *id;
  const char *author;
  JsonObject *gguf;
  JsonArray *siblings;

  id = mm_json_get_string (object, "id");
  if (id == NULL)
    id = mm_json_get_string (object, "modelId");
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED,
                           _("The Hub listed a model without an id."));
      return NULL;
    }

  self = g_object_new (MM_TYPE_MODEL, NULL);
  self->id = g_strdup (id);

  author = mm_json_get_string (object, "author");
  if (author != NULL)
    self->author = g_strdup (author);
  else if (strchr (id, '/') != NULL)
    self->author = g_strndup (id, strchr (id, '/') - id);

  self->downloads = mm_json_get_int (object, "downloads", -1);
  self->likes = mm_json_get_int (object, "likes", -1);
  self->tags = mm_json_get_strv (object, "tags");
  self->license = find_license (object, self->tags);
  self->gated = parse_gated (object);
  self->private = mm_json_get_bool (object, "private", FALSE);
  self->disabled = mm_json_get_bool (object, "disabled", FALSE);
  self->updated = mm_json_get_date (object, "lastModified");
  self->created = mm_json_get_date (object, "createdAt");
  self->sha = g_strdup (mm_json_get_string (object, "sha"));
  self->pipeline_tag = g_strdup (mm_json_get_string (object, "pipeline_tag"));

  gguf = mm_json_get_object (object, "gguf");
  if (gguf != NULL)
    {
      self->parameters = mm_json_get_uint64 (gguf, "total", 0);
      self->architecture = g_strdup (mm_json_get_string (gguf, "architecture"));
      self->context_length = mm_json_get_uint64 (gguf, "context_length", 0);
    }
  if (self->parameters == 0)
    {
      /* A repository of safetensors weights: the Hub counts them too. */
      JsonObject *safetensors = mm_json_get_object (object, "safetensors");

      if (safetensors != NULL)
        self->parameters = mm_json_get_uint64 (safetensors, "total", 0);
    }

  siblings = mm_json_get_array (object, "siblings");
  if (siblings != NULL)
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < json_array_get_length (siblings); i++)
        {
          JsonNode *node = json_array_get_element (siblings, i);
          MmRepoFile *file;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          file = mm_repo_file_new_from_json (json_node_get_object (node), NULL);
          if (file != NULL)
            g_ptr_array_add (files, file);
        }
      model_set_files (self, files);
    }

  return g_steal_pointer (&self);
}

const char *
mm_model_get_id (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->id;
}

/**
 * mm_model_get_author:
 * Returns: (nullable): the owner
 */
const char *
mm_model_get_author (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->author;
}

/**
 * mm_model_get_name:
 * Returns: the repository name without its owner
 */
const char *
mm_model_get_name (MmModel *self)
{
  const char *slash;

  g_return_val_if_fail (MM_IS_MODEL (self), NULL);

  slash = strchr (self->id, '/');
  return slash ? slash + 1 : self->id;
}

gint64
mm_model_get_downloads (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), -1);
  return self->downloads;
}

gint64
mm_model_get_likes (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), -1);
  return self->likes;
}

const char *
mm_model_get_license (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->license;
}

/**
 * mm_model_get_tags:
 * Returns: (transfer none): the tags; never %NULL
 */
const char * const *
mm_model_get_tags (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return (const char * const *) self->tags;
}

MmGated
mm_model_get_gated (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), MM_GATED_NO);
  return self->gated;
}

gboolean
mm_model_get_private (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), FALSE);
  return self->private;
}

gboolean
mm_model_get_disabled (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), FALSE);
  return self->disabled;
}

/**
 * mm_model_get_updated:
 * Returns: (transfer none) (nullable): the last modification
 */
GDateTime *
mm_model_get_updated (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->updated;
}

/**
 * mm_model_get_created:
 * Returns: (transfer none) (nullable): the creation date
 */
GDateTime *
mm_model_get_created (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->created;
}

/**
 * mm_model_get_sha:
 * Returns: (nullable): the commit the model info describes
 */
const char *
mm_model_get_sha (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->sha;
}

const char *
_mm_model_get_pipeline_tag (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->pipeline_tag;
}

/**
 * mm_model_get_parameters:
 * Returns: the parameter count the Hub parsed from a GGUF file (or, for a
 *   repository without one, from its safetensors files), 0 when unknown
 */
guint64
mm_model_get_parameters (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), 0);
  return self->parameters;
}

const char *
mm_model_get_architecture (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->architecture;
}

guint64
mm_model_get_context_length (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), 0);
  return self->context_length;
}

/**
 * mm_model_get_files:
 * Returns: (transfer none) (element-type MmRepoFile): the files; empty when not known
 */
GPtrArray *
mm_model_get_files (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), NULL);
  return self->files;
}

/**
 * _mm_model_get_has_files:
 * Returns: whether the file list was part of the answer (a search item has none)
 */
gboolean
_mm_model_get_has_files (MmModel *self)
{
  g_return_val_if_fail (MM_IS_MODEL (self), FALSE);
  return self->has_files;
}
