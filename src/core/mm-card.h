/* mm-card.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions on plain data; call them from any thread.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MmCardBlockKind:
 * @MM_CARD_BLOCK_PARAGRAPH: a paragraph; in a list, a further paragraph
 *   of an item; in a block quote when @quote > 0
 * @MM_CARD_BLOCK_HEADING: a heading of @level 1 to 6
 * @MM_CARD_BLOCK_LIST_ITEM: a list item's first paragraph, after its @marker
 * @MM_CARD_BLOCK_CODE: a code block: plain @text, and its @language if named
 * @MM_CARD_BLOCK_TABLE: a table of @n_columns; @cells row by row, the
 *   first @n_header_rows rows name the columns
 * @MM_CARD_BLOCK_RULE: a thematic break
 *
 * The kinds of block a model card is made of.
 */
typedef enum {
  MM_CARD_BLOCK_PARAGRAPH,
  MM_CARD_BLOCK_HEADING,
  MM_CARD_BLOCK_LIST_ITEM,
  MM_CARD_BLOCK_CODE,
  MM_CARD_BLOCK_TABLE,
  MM_CARD_BLOCK_RULE,
} MmCardBlockKind;

/**
 * MmCardAlign:
 * @MM_CARD_ALIGN_DEFAULT: as the text runs
 * @MM_CARD_ALIGN_LEFT: `:---`
 * @MM_CARD_ALIGN_CENTER: `:---:`
 * @MM_CARD_ALIGN_RIGHT: `---:`
 *
 * How a table column is aligned.
 */
typedef enum {
  MM_CARD_ALIGN_DEFAULT,
  MM_CARD_ALIGN_LEFT,
  MM_CARD_ALIGN_CENTER,
  MM_CARD_ALIGN_RIGHT,
} MmCardAlign;

/**
 * MmCardBlock:
 * @kind: what the block is
 * @level: a heading's level, 1 to 6; 0 for other blocks
 * @indent: how many lists the block is inside, 0 outside lists
 * @quote: how many block quotes the block is inside
 * @marker: (nullable): a list item's marker: "•", "◦", "3.", "☐", "☑"
 * @markup: (nullable): the inline text as Pango markup (paragraph, heading,
 *   list item): always well-formed, with `<b>`, `<i>`, `<s>`, `<u>`,
 *   `<tt>` and `<a href="…">` for http and https links only
 * @text: (nullable): a code block's text, as is (not markup)
 * @language: (nullable): a code block's language, from its info string
 * @n_columns: a table's number of columns
 * @n_header_rows: how many of a table's rows are its header
 * @cells: (nullable) (element-type utf8): a table's cells as Pango markup,
 *   row by row, @n_columns to a row
 * @align: (nullable) (array length=n_columns): a table's column alignments
 *
 * One block of a model card, ready to be shown by any toolkit.
 */
typedef struct {
  MmCardBlockKind kind;
  guint level;
  guint indent;
  guint quote;
  char *marker;
  char *markup;
  char *text;
  char *language;
  guint n_columns;
  guint n_header_rows;
  GPtrArray *cells;
  MmCardAlign *align;
} MmCardBlock;

void       mm_card_block_free        (MmCardBlock  *block);
guint      mm_card_block_get_n_rows  (const MmCardBlock *block);
const char *mm_card_block_get_cell   (const MmCardBlock *block,
                                      guint         row,
                                      guint         column);

GPtrArray *mm_card_parse             (const char   *markdown,
                                      gsize         max_length,
                                      gboolean     *truncated);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmCardBlock, mm_card_block_free)

G_END_DECLS
