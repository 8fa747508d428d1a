/* mm-library-section.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One library folder in the Library view: a heading with the folder's title
 * and its path (shortened with "~", whole in the tooltip) over a boxed list
 * of its models, which the page binds to its filtered part of the library.
 * With a single folder the page makes the section without a title: no
 * heading then, just the list. An empty list says why: the folder holds
 * no models, or it was not found.
 */
#define G_LOG_DOMAIN "mm-library-section"

#include "config.h"

#include "mm-library-section.h"

#include "mm-core.h"

#include <glib/gi18n.h>

struct _MmLibrarySection
{
  GtkWidget   parent_instance;

  char       *folder;     /* (owned) */

  GtkWidget  *heading;
  GtkLabel   *title;
  GtkLabel   *path;
  GtkListBox *list;
  GtkLabel   *placeholder;
};

G_DEFINE_FINAL_TYPE (MmLibrarySection, mm_library_section, GTK_TYPE_WIDGET)

static void
mm_library_section_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), MM_TYPE_LIBRARY_SECTION);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (mm_library_section_parent_class)->dispose (object);
}

static void
mm_library_section_finalize (GObject *object)
{
  MmLibrarySection *self = MM_LIBRARY_SECTION (object);

  g_free (self->folder);
  G_OBJECT_CLASS (mm_library_section_parent_class)->finalize (object);
}

static void
mm_library_section_class_init (MmLibrarySectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_library_section_dispose;
  object_class->finalize = mm_library_section_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-library-section.ui");
  gtk_widget_class_bind_template_child (widget_class, MmLibrarySection, heading);
  gtk_widget_class_bind_template_child (widget_class, MmLibrarySection, title);
  gtk_widget_class_bind_template_child (widget_class, MmLibrarySection, path);
  gtk_widget_class_bind_template_child (widget_class, MmLibrarySection, list);
  gtk_widget_class_bind_template_child (widget_class, MmLibrarySection, placeholder);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mm_library_section_init (MmLibrarySection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * mm_library_section_new:
 * @folder: the library folder
 * @title: (nullable): its title ("LM Studio", "Hugging Face Cache", its
 *   name), %NULL for a section without a heading (the only folder)
 */
GtkWidget *
mm_library_section_new (const char *folder,
                        const char *title)
{
  MmLibrarySection *self = g_object_new (MM_TYPE_LIBRARY_SECTION, NULL);

  g_return_val_if_fail (folder != NULL, NULL);

  self->folder = g_strdup (folder);
  if (title != NULL)
    {
      g_autofree char *path = mm_format_folder (folder);
      /* Translators: the accessible name of a list; %s is a folder such as "LM Studio" */
      g_autofree char *accessible = g_strdup_printf (_("Models in %s"), title);

      gtk_label_set_label (self->title, title);
      gtk_label_set_label (self->path, path);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->path), path);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
    }
  else
    {
      gtk_widget_set_visible (self->heading, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Models on this computer"), -1);
    }
  mm_library_section_set_missing (self, FALSE);
  return GTK_WIDGET (self);
}

const char *
mm_library_section_get_folder (MmLibrarySection *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_SECTION (self), NULL);
  return self->folder;
}

/**
 * mm_library_section_get_list:
 *
 * Returns: (transfer none): the list of the folder's models
 */
GtkListBox *
mm_library_section_get_list (MmLibrarySection *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_SECTION (self), NULL);
  return self->list;
}

/**
 * mm_library_section_set_missing:
 * @missing: whether the folder was not found
 *
 * Sets what the list says while it is empty.
 */
void
mm_library_section_set_missing (MmLibrarySection *self,
                                gboolean          missing)
{
  g_return_if_fail (MM_IS_LIBRARY_SECTION (self));

  gtk_label_set_label (self->placeholder,
                       missing ? _("This folder was not found. Its models appear when it is back.")
                               : _("No models in this folder"));
}

/**
 * mm_library_section_get_note:
 * @has_heading: (out) (optional): whether the section shows its heading
 *
 * For tests: what the list says while it is empty.
 */
const char *
mm_library_section_get_note (MmLibrarySection *self,
                             gboolean         *has_heading)
{
  g_return_val_if_fail (MM_IS_LIBRARY_SECTION (self), NULL);

  if (has_heading != NULL)
    *has_heading = gtk_widget_get_visible (self->heading);
  return gtk_label_get_label (self->placeholder);
}
