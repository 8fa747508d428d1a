/* mm-repo-heading.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heading over the quantizations of one repo in a Library list: the
 * repo's name, then "by OWNER" in small dim type; a file without a repo
 * (one the user put in a library folder) is headed by its own name. Its key
 * (the repo id, else the name) tells the list whether a row starts a new
 * group.
 */
#define G_LOG_DOMAIN "mm-repo-heading"

#include "config.h"

#include "mm-repo-heading.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MmRepoHeading
{
  GtkWidget  parent_instance;

  char      *key;    /* (owned) */

  GtkLabel  *title;
  GtkLabel  *owner;
};

G_DEFINE_FINAL_TYPE (MmRepoHeading, mm_repo_heading, GTK_TYPE_WIDGET)

static void
mm_repo_heading_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), MM_TYPE_REPO_HEADING);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (mm_repo_heading_parent_class)->dispose (object);
}

static void
mm_repo_heading_finalize (GObject *object)
{
  MmRepoHeading *self = MM_REPO_HEADING (object);

  g_free (self->key);
  G_OBJECT_CLASS (mm_repo_heading_parent_class)->finalize (object);
}

static void
mm_repo_heading_class_init (MmRepoHeadingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_repo_heading_dispose;
  object_class->finalize = mm_repo_heading_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/mm-repo-heading.ui");
  gtk_widget_class_bind_template_child (widget_class, MmRepoHeading, title);
  gtk_widget_class_bind_template_child (widget_class, MmRepoHeading, owner);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mm_repo_heading_init (MmRepoHeading *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * mm_repo_heading_new:
 * @repo_id: (nullable): "owner/name"
 * @name: the name to show without a repo id
 */
GtkWidget *
mm_repo_heading_new (const char *repo_id,
                     const char *name)
{
  MmRepoHeading *self = g_object_new (MM_TYPE_REPO_HEADING, NULL);
  const char *slash = repo_id != NULL ? strchr (repo_id, '/') : NULL;

  self->key = g_strdup (repo_id != NULL ? repo_id : name);
  if (slash != NULL)
    {
      g_autofree char *owner = g_strndup (repo_id, slash - repo_id);
      /* Translators: after a model's name in the Library; %s is its owner */
      g_autofree char *by = g_strdup_printf (_("by %s"), owner);

      gtk_label_set_label (self->title, slash + 1);
      gtk_label_set_label (self->owner, by);
    }
  else
    {
      gtk_label_set_label (self->title, name);
      gtk_widget_set_visible (GTK_WIDGET (self->owner), FALSE);
    }
  return GTK_WIDGET (self);
}

/**
 * mm_repo_heading_get_key:
 *
 * Returns: the repo id, or the name of a file without one
 */
const char *
mm_repo_heading_get_key (MmRepoHeading *self)
{
  g_return_val_if_fail (MM_IS_REPO_HEADING (self), NULL);
  return self->key;
}
