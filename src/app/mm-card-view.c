/* mm-card-view.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a model card: the blocks mm_card_parse() makes of its Markdown
 * (src/core/mm-card.c, which holds the parsing and all the escaping) as
 * widgets in a vertical box, one a block:
 *
 *  - paragraphs, headings and list items are wrapping labels of the
 *    block's Pango markup, whose http(s) links GtkLabel opens itself;
 *  - a code block is a monospace label that does not wrap, in a frame that
 *    scrolls sideways, so a long command line neither wraps nor widens the
 *    window (the detail pane must fit in 360 px);
 *  - a table is a GtkGrid of cells in a frame that scrolls sideways when
 *    it is wider than the pane. Its cells are labels that do not wrap: a
 *    scrolled window measures its child's height for the child's smallest
 *    width, so wrapping cells would leave blank space under the table.
 *    Instead a long cell is broken into lines of about 28 characters
 *    here, at spaces, before it is shown (28 characters: a five-column table
 *    of model files still fits a wide window);
 *  - a block quote is indented behind a rule; a list nests by indenting.
 */
#define G_LOG_DOMAIN "mm-card-view"

#include "config.h"

#include "mm-card-view.h"

#include "mm-core.h"

#include <math.h>
#include <string.h>

#define INDENT 18
/* A table cell's text is broken into lines about this long. */
#define CELL_LINE_CHARS 28

/* Whether @markup is what GtkLabel takes: links aside, Pango markup. */
static gboolean
is_label_markup (const char *markup)
{
  g_autoptr(GRegex) links = g_regex_new ("</?a( href=\"[^\"<>]*\")?>", 0, 0, NULL);
  g_autofree char *rest = g_regex_replace_literal (links, markup, -1, 0, "", 0, NULL);

  return rest != NULL && pango_parse_markup (rest, -1, 0, NULL, NULL, NULL, NULL);
}

static GtkWidget *
markup_label_new (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* The core always writes valid markup; should it ever not, show the
   * text with its tags rather than nothing. */
  if (is_label_markup (markup))
    gtk_label_set_markup (GTK_LABEL (label), markup);
  else
    gtk_label_set_text (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  return label;
}

/* Breaks @markup into lines of about @width characters, at spaces outside
 * tags. Entities count as one character; tags and their nesting are left
 * as they are, so the result is as valid as @markup. */
static char *
break_lines (const char *markup,
             guint       width)
{
  GString *out = g_string_new (NULL);
  gboolean in_tag = FALSE;
  guint column = 0;

  for (const char *p = markup; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (in_tag)
        {
          if (*p == '>')
            in_tag = FALSE;
          g_string_append_unichar (out, g_utf8_get_char (p));
          continue;
        }

      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '\n')
        column = 0;
      else if (*p == ' ' && column >= width)
        {
          g_string_append_c (out, '\n');
          column = 0;
          continue;
        }
      else if (*p == '&')
        {
          const char *end = strchr (p, ';');

          if (end != NULL)
            {
              g_string_append_len (out, p, end - p + 1);
              column++;
              p = end;
              continue;
            }
        }
      else
        column++;

      g_string_append_unichar (out, g_utf8_get_char (p));
    }

  return g_string_free (out, FALSE);
}

static GtkWidget *
heading_new (const MmCardBlock *block)
{
  static const char * const classes[] = { "title-2", "title-3", "title-4", "heading" };
  GtkWidget *label = markup_label_new (block->markup);

  gtk_widget_add_css_class (label, classes[MIN (block->level, 4) - 1]);
  return label;
}

static GtkWidget *
list_item_new (const MmCardBlock *block)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *marker = gtk_label_new (block->marker);
  GtkWidget *text = markup_label_new (block->markup);

  gtk_label_set_xalign (GTK_LABEL (marker), 1);
  gtk_label_set_yalign (GTK_LABEL (marker), 0);
  gtk_label_set_width_chars (GTK_LABEL (marker), 2);
  gtk_widget_add_css_class (marker, "numeric");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), marker);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

/* A scrolled window that may only scroll sideways turns the mouse wheel
 * into sideways scrolling, which would stop the page from scrolling under
 * the pointer. Give the wheel (without Shift) to the page instead. */
static gboolean
sideways_scroll_cb (GtkEventControllerScroll *controller,
                    double                    dx,
                    double                    dy,
                    gpointer                  user_data)
{
  GtkWidget *scroller = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *page = gtk_widget_get_ancestor (gtk_widget_get_parent (scroller),
                                             GTK_TYPE_SCROLLED_WINDOW);
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GtkAdjustment *adj;
  double step;

  if (page == NULL || (state & GDK_SHIFT_MASK) || fabs (dy) <= fabs (dx))
    return GDK_EVENT_PROPAGATE;

  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
  /* The step GtkScrolledWindow itself takes for a wheel click. */
  step = pow (gtk_adjustment_get_page_size (adj), 2.0 / 3.0);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + dy * step);
  return GDK_EVENT_STOP;
}

/* A frame that scrolls its child sideways and is as tall as the child. */
static GtkWidget *
sideways_new (GtkWidget  *child,
              const char *css_class)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkEventController *scroll;

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (sideways_scroll_cb), NULL);
  gtk_widget_add_controller (scroller, scroll);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_widget_add_css_class (scroller, css_class);
  gtk_widget_set_overflow (scroller, GTK_OVERFLOW_HIDDEN);
  return scroller;
}

static GtkWidget *
code_new (const MmCardBlock *block)
{
  GtkWidget *label = gtk_label_new (block->text);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_set_margin_start (label, 10);
  gtk_widget_set_margin_end (label, 10);
  return sideways_new (label, "card-code");
}

static float
align_to_xalign (MmCardAlign align)
{
  switch (align)
    {
    case MM_CARD_ALIGN_CENTER:
      return 0.5;
    case MM_CARD_ALIGN_RIGHT:
      return 1;
    case MM_CARD_ALIGN_LEFT:
    case MM_CARD_ALIGN_DEFAULT:
    default:
      return 0;
    }
}

static GtkWidget *
table_new (const MmCardBlock *block)
{
  GtkWidget *grid = gtk_grid_new ();
  guint n_rows = mm_card_block_get_n_rows (block);

  gtk_widget_add_css_class (grid, "card-grid");
  for (guint row = 0; row < n_rows; row++)
    for (guint column = 0; column < block->n_columns; column++)
      {
        g_autofree char *markup = break_lines (mm_card_block_get_cell (block, row, column),
                                               CELL_LINE_CHARS);
        GtkWidget *cell = markup_label_new (markup);

        gtk_label_set_wrap (GTK_LABEL (cell), FALSE);
        gtk_label_set_xalign (GTK_LABEL (cell), align_to_xalign (block->align[column]));
        gtk_widget_set_hexpand (cell, TRUE);
        gtk_widget_add_css_class (cell, "card-cell");
        if (row < block->n_header_rows)
          gtk_widget_add_css_class (cell, "card-header-cell");
        if (row == n_rows - 1)
          gtk_widget_add_css_class (cell, "last-row");
        gtk_grid_attach (GTK_GRID (grid), cell, column, row, 1, 1);
      }

  return sideways_new (grid, "card-table");
}

static GtkWidget *
quote_wrap (GtkWidget *child,
            guint      depth)
{
  for (guint i = 0; i < depth; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_widget_add_css_class (box, "card-quote");
      gtk_box_append (GTK_BOX (box), child);
      child = box;
    }
  return child;
}

/**
 * mm_card_view_new_for_blocks:
 * @blocks: (element-type MmCardBlock): a card's blocks from mm_card_parse()
 *
 * Returns: (transfer floating): a vertical box that shows @blocks
 */
GtkWidget *
mm_card_view_new_for_blocks (GPtrArray *blocks)
{
  GtkWidget *view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  const MmCardBlock *previous = NULL;

  g_return_val_if_fail (blocks != NULL, view);

  gtk_widget_add_css_class (view, "markdown");
  for (guint i = 0; i < blocks->len; i++)
    {
      const MmCardBlock *block = g_ptr_array_index (blocks, i);
      GtkWidget *widget = NULL;
      int top = 12;
      int indent = INDENT * (int) MIN (block->indent, 6);

      switch (block->kind)
        {
        case MM_CARD_BLOCK_PARAGRAPH:
          widget = markup_label_new (block->markup);
          /* A later paragraph of a list item lines up with its text. */
          if (block->indent > 0)
            indent += 6 + 14;
          break;
        case MM_CARD_BLOCK_HEADING:
          widget = heading_new (block);
          top = 18;
          break;
        case MM_CARD_BLOCK_LIST_ITEM:
          widget = list_item_new (block);
          indent = MAX (indent - INDENT, 0);
          if (previous != NULL && previous->indent > 0)
            top = 4;
          break;
        case MM_CARD_BLOCK_CODE:
          widget = code_new (block);
          break;
        case MM_CARD_BLOCK_TABLE:
          widget = table_new (block);
          break;
        case MM_CARD_BLOCK_RULE:
          widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
          break;
        default:
          continue;
        }

      widget = quote_wrap (widget, MIN (block->quote, 4));
      gtk_widget_set_margin_start (widget, indent);
      gtk_widget_set_margin_top (widget, previous == NULL ? 0 : top);
      gtk_box_append (GTK_BOX (view), widget);
      previous = block;
    }

  return view;
}

/**
 * mm_card_view_new:
 * @markdown: (nullable): a model card
 * @max_length: how many bytes of it to show, 0 for all
 * @truncated: (out) (optional): whether some of it was left out
 *
 * Returns: (transfer floating): a vertical box that shows the card
 */
GtkWidget *
mm_card_view_new (const char *markdown,
                      gsize       max_length,
                      gboolean   *truncated)
{
  g_autoptr(GPtrArray) blocks = mm_card_parse (markdown, max_length, truncated);

  return mm_card_view_new_for_blocks (blocks);
}

/**
 * mm_card_view_is_empty:
 * @view: a view from mm_card_view_new()
 *
 * Returns: whether the card shows nothing: it held only front matter,
 *   raw HTML or white space
 */
gboolean
mm_card_view_is_empty (GtkWidget *view)
{
  g_return_val_if_fail (GTK_IS_BOX (view), TRUE);

  return gtk_widget_get_first_child (view) == NULL;
}
