/* mm-adaptive-box.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row of buttons of one width that stacks them, full width, one under
 * the other, when the row has no room for every label in full. GTK 4.8 has
 * no breakpoints (AdwBreakpoint is libadwaita 1.4), and a GtkBox whose
 * buttons wrap their labels turned "Add Access Token…" and "Open Model
 * Page" into three lines each at 360 px. A GtkFlowBox would reflow too, but
 * in GTK 4.8 Tab cannot leave one.
 *
 * Its minimum width is that of the widest child, so it never makes a
 * window wider; its natural width is the row side by side. The decision is
 * taken from the width it is given, in measure() and size_allocate() alike,
 * so the two always agree.
 */
#define G_LOG_DOMAIN "mm-adaptive-box"

#include "config.h"

#include "mm-adaptive-box.h"

#define SPACING 6

struct _MmAdaptiveBox
{
  GtkWidget parent_instance;

  gboolean  stacked;
};

G_DEFINE_FINAL_TYPE (MmAdaptiveBox, mm_adaptive_box, GTK_TYPE_WIDGET)

static guint
count_visible (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_should_layout (child))
        n++;
    }

  return n;
}

/* The largest minimum and natural width of the visible children. */
static void
measure_children_width (GtkWidget *widget,
                        int       *min,
                        int       *nat)
{
  *min = *nat = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat,
                          NULL, NULL);
      *min = MAX (*min, child_min);
      *nat = MAX (*nat, child_nat);
    }
}

/* Side by side only when every child gets its natural width in an equal
 * share of @width; -1 (no width yet) means side by side. */
static gboolean
stacks_at (GtkWidget *widget,
           int        width)
{
  guint n = count_visible (widget);
  int min, nat;

  if (width < 0 || n < 2)
    return FALSE;

  measure_children_width (widget, &min, &nat);
  return (int) n * nat + ((int) n - 1) * SPACING > width;
}

static void
mm_adaptive_box_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  guint n = count_visible (widget);
  int min = 0, nat = 0;

  if (n == 0)
    {
      *minimum = *natural = 0;
      return;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      measure_children_width (widget, &min, &nat);
      *minimum = min;
      *natural = (int) n * nat + ((int) n - 1) * SPACING;
      return;
    }

  {
    gboolean stacked = stacks_at (widget, for_size);
    int child_width = -1;

    if (for_size >= 0)
      child_width = stacked ? for_size : (for_size - ((int) n - 1) * SPACING) / (int) n;

    for (GtkWidget *child = gtk_widget_get_first_child (widget);
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        int child_min, child_nat;

        if (!gtk_widget_should_layout (child))
          continue;
        gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width, &child_min, &child_nat,
                            NULL, NULL);
        if (stacked)
          {
            min += child_min;
            nat += child_nat;
          }
        else
          {
            min = MAX (min, child_min);
            nat = MAX (nat, child_nat);
          }
      }
    if (stacked)
      {
        min += ((int) n - 1) * SPACING;
        nat += ((int) n - 1) * SPACING;
      }
  }

  *minimum = min;
  *natural = nat;
}

static void
mm_adaptive_box_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  MmAdaptiveBox *self = MM_ADAPTIVE_BOX (widget);
  guint n = count_visible (widget);
  int x = 0, y = 0;
  int child_width;

  self->stacked = stacks_at (widget, width);
  if (n == 0)
    return;
  child_width = self->stacked ? width : (width - ((int) n - 1) * SPACING) / (int) n;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      if (self->stacked)
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width, &child_height, NULL,
                              NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, child_width, child_height },
                                    -1);
          y += child_height + SPACING;
        }
      else
        {
          gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, child_width, height }, -1);
          x += child_width + SPACING;
        }
    }
}

static GtkSizeRequestMode
mm_adaptive_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mm_adaptive_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mm_adaptive_box_parent_class)->dispose (object);
}

static void
mm_adaptive_box_class_init (MmAdaptiveBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_adaptive_box_dispose;

  widget_class->measure = mm_adaptive_box_measure;
  widget_class->size_allocate = mm_adaptive_box_size_allocate;
  widget_class->get_request_mode = mm_adaptive_box_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
mm_adaptive_box_init (MmAdaptiveBox *self)
{
}

GtkWidget *
mm_adaptive_box_new (void)
{
  return g_object_new (MM_TYPE_ADAPTIVE_BOX, NULL);
}

/**
 * mm_adaptive_box_get_stacked:
 *
 * Returns: whether the last allocation put the children one under the other
 */
gboolean
mm_adaptive_box_get_stacked (MmAdaptiveBox *self)
{
  g_return_val_if_fail (MM_IS_ADAPTIVE_BOX (self), FALSE);
  return self->stacked;
}
