/* mm-model-row.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One search result. A model from a search page does not change, so the row
 * simply redraws itself whenever the list view hands it another model.
 */
#define G_LOG_DOMAIN "mm-model-row"

#include "config.h"

#include "mm-model-row.h"

#include <glib/gi18n.h>

struct _MmModelRow
{
  GtkWidget  parent_instance;

  MmModel   *model;  /* (owned) (nullable) */

  GtkLabel  *author_label;
  GtkWidget *box;
  GtkLabel  *downloads_label;
  GtkWidget *gated_badge;
  GtkLabel  *likes_label;
  GtkLabel  *name_label;
  GtkLabel  *params_label;
  GtkWidget *private_badge;
  GtkLabel  *updated_label;
};

G_DEFINE_FINAL_TYPE (MmModelRow, mm_model_row, GTK_TYPE_WIDGET)

typedef enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS,
} MmModelRowProperty;

static GParamSpec *properties[N_PROPS];

static void
mm_model_row_refresh (MmModelRow *self)
{
  g_autofree char *downloads = NULL;
  g_autofree char *params = NULL;
  g_autofree char *likes = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *updated_text = NULL;
  GDateTime *when;

  if (self->model == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->author_label, "");
      gtk_label_set_label (self->downloads_label, "");
      gtk_label_set_label (self->likes_label, "");
      gtk_label_set_label (self->updated_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->params_label), FALSE);
      gtk_widget_set_visible (self->gated_badge, FALSE);
      gtk_widget_set_visible (self->private_badge, FALSE);
      return;
    }

  params = mm_format_params_short (mm_model_get_parameters (self->model));
  gtk_label_set_label (self->params_label, params ? params : "");
  gtk_widget_set_visible (GTK_WIDGET (self->params_label), params != NULL);

  downloads = mm_format_count (mm_model_get_downloads (self->model));
  likes = mm_format_count (mm_model_get_likes (self->model));
  when = mm_model_get_updated (self->model);

  gtk_label_set_label (self->name_label, mm_model_get_name (self->model));
  gtk_label_set_label (self->author_label, mm_model_get_author (self->model));
  gtk_label_set_label (self->downloads_label, downloads);
  gtk_label_set_label (self->likes_label, likes);
  if (when != NULL)
    {
      updated = mm_format_relative (when, NULL);
      /* Translators: %s is a relative time such as "5 months ago" */
      updated_text = g_strdup_printf (_("Updated %s"), updated);
    }
  gtk_label_set_label (self->updated_label, updated_text ? updated_text : "");
  gtk_widget_set_visible (self->gated_badge, mm_model_get_gated (self->model) != MM_GATED_NO);
  gtk_widget_set_visible (self->private_badge, mm_model_get_private (self->model));
}

static void
mm_model_row_dispose (GObject *object)
{
  MmModelRow *self = MM_MODEL_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_MODEL_ROW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (mm_model_row_parent_class)->dispose (object);
}

static void
mm_model_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MmModelRow *self = MM_MODEL_ROW (object);

  switch ((MmModelRowProperty) prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MmModelRow *self = MM_MODEL_ROW (object);

  switch ((MmModelRowProperty) prop_id)
    {
    case PROP_MODEL:
      mm_model_row_set_model (self, g_value_get_object (value));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_row_class_init (MmModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_model_row_dispose;
  object_class->get_property = mm_model_row_get_property;
  object_class->set_property = mm_model_row_set_property;

  /** MmModelRow:model: (nullable): the search result shown */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, MM_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, box);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, downloads_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, gated_badge);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, likes_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, params_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, private_badge);
  gtk_widget_class_bind_template_child (widget_class, MmModelRow, updated_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "modelrow");
}

static void
mm_model_row_init (MmModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mm_model_row_new (void)
{
  return g_object_new (MM_TYPE_MODEL_ROW, NULL);
}

/**
 * mm_model_row_get_model:
 *
 * Returns: (transfer none) (nullable): the model shown
 */
MmModel *
mm_model_row_get_model (MmModelRow *self)
{
  g_return_val_if_fail (MM_IS_MODEL_ROW (self), NULL);
  return self->model;
}

void
mm_model_row_set_model (MmModelRow *self,
                        MmModel    *model)
{
  g_return_if_fail (MM_IS_MODEL_ROW (self));
  g_return_if_fail (!model || MM_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  mm_model_row_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}
