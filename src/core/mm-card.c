/* mm-card.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model card (a repository's README.md) as a list of blocks any toolkit
 * can show: paragraphs, headings, list items, code, tables, rules. md4c
 * parses the Markdown (CommonMark with GitHub's tables, strike-through,
 * task lists and autolinks); this file turns its callbacks into blocks.
 *
 * A card is untrusted text from the network, so:
 *  - the inline text of each block becomes Pango markup in which every
 *    byte of input went through g_markup_escape_text(), and every tag we
 *    open we close in order (md4c nests spans; a stack of closers keeps our
 *    output nested even where we leave a span's tag out);
 *  - links are kept only for http and https; a link inside a link is text;
 *  - raw HTML, block or inline, is dropped: a card's `<div align="center">`
 *    or `<img>` shows nothing rather than tags;
 *  - an image shows its alt text (or "image"), as a link to the picture
 *    when that is an http(s) address and it is not inside another link;
 *  - control characters other than tab and newline are dropped, invalid
 *    UTF-8 is repaired first;
 *  - YAML front matter ("---" on the first line up to "---" or "...") is
 *    metadata, not text: it is skipped, as the Hub does.
 *
 * tests/fuzz/fuzz-card.c runs this on arbitrary input.
 */
#define G_LOG_DOMAIN "mm-card"

#include "config.h"

#include "mm-card-private.h"

#include <glib/gi18n-lib.h>
#include <md4c.h>
#include <string.h>

/* Zero bytes after the text md4c parses (see mm_card_parse()). */
#define MD4C_PADDING 64

typedef struct {
  gboolean ordered;
  guint next;
} List;

typedef struct {
  GPtrArray *blocks;       /* (element-type MmCardBlock) */
  MmCardBlock *current;    /* (owned) (nullable) the block whose text is collected */
  GString *buf;            /* the current block's inline markup */
  gboolean visible;        /* whether buf shows any text */
  GPtrArray *closers;      /* (element-type utf8) one a span, innermost last */
  guint link_depth;        /* open <a> we wrote */
  guint image_depth;
  GArray *lists;           /* (element-type List) */
  guint in_item;           /* list items open */
  gboolean item_started;   /* the open item's first paragraph is written */
  guint quote;
  guint html;              /* in a raw HTML block */
  MmCardBlock *code;       /* (owned) (nullable) */
  GString *code_text;
  MmCardBlock *table;      /* (owned) (nullable) */
  guint column;
  gboolean table_head;
  const char *input_start; /* the text md4c parses */
  const char *input_end;
} Parser;

static const struct {
  const char *name;
  gunichar c;
} entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0x00a0 }, { "copy", 0x00a9 }, { "reg", 0x00ae }, { "trade", 0x2122 },
  { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "laquo", 0x00ab },
  { "raquo", 0x00bb }, { "middot", 0x00b7 }, { "times", 0x00d7 }, { "rarr", 0x2192 },
  { "larr", 0x2190 }, { "check", 0x2713 }, { "deg", 0x00b0 }, { "plusmn", 0x00b1 },
  { "asymp", 0x2248 }, { "le", 0x2264 }, { "ge", 0x2265 }, { "zwj", 0x200d },
  { "emsp", 0x2003 }, { "ensp", 0x2002 }, { "thinsp", 0x2009 }, { "bull", 0x2022 },
};

void
mm_card_block_free (MmCardBlock *block)
{
  if (block == NULL)
    return;

  g_free (block->marker);
  g_free (block->markup);
  g_free (block->text);
  g_free (block->language);
  g_clear_pointer (&block->cells, g_ptr_array_unref);
  g_free (block->align);
  g_free (block);
}

/**
 * mm_card_block_get_n_rows:
 *
 * Returns: a table's number of rows, header included; 0 for other blocks
 */
guint
mm_card_block_get_n_rows (const MmCardBlock *block)
{
  g_return_val_if_fail (block != NULL, 0);

  if (block->kind != MM_CARD_BLOCK_TABLE || block->cells == NULL || block->n_columns == 0)
    return 0;
  return block->cells->len / block->n_columns;
}

/**
 * mm_card_block_get_cell:
 *
 * Returns: (transfer none): the Pango markup of a table cell
 */
const char *
mm_card_block_get_cell (const MmCardBlock *block,
                        guint              row,
                        guint              column)
{
  g_return_val_if_fail (block != NULL, NULL);
  g_return_val_if_fail (row < mm_card_block_get_n_rows (block), NULL);
  g_return_val_if_fail (column < block->n_columns, NULL);

  return g_ptr_array_index (block->cells, row * block->n_columns + column);
}

/**
 * _mm_card_is_safe_link:
 * @url: (nullable): a link target
 *
 * Returns: whether a card may link to @url: an http or https address
 *   with a host and no white space or control characters
 */
gboolean
_mm_card_is_safe_link (const char *url)
{
  const char *rest;

  if (url == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (url, "https://", 8) == 0)
    rest = url + 8;
  else if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    rest = url + 7;
  else
    return FALSE;

  if (*rest == '\0' || *rest == '/')
    return FALSE;
  for (const char *p = url; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
      return FALSE;
  return g_utf8_validate (url, -1, NULL);
}

/**
 * _mm_card_skip_front_matter:
 * @markdown: a model card
 *
 * Returns: (transfer none): where the card's text starts after its YAML
 *   front matter ("---" on the first line, up to a line "---" or "..."),
 *   or @markdown itself when it has none or it is never closed
 */
const char *
_mm_card_skip_front_matter (const char *markdown)
{
  const char *p;

  g_return_val_if_fail (markdown != NULL, NULL);

  p = markdown;
  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  if (!g_str_has_prefix (p, "---"))
    return markdown;
  p += 3;
  while (*p == ' ' || *p == '\t' || *p == '\r')
    p++;
  if (*p != '\n')
    return markdown;
  p++;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      gsize len = end ? (gsize) (end - p) : strlen (p);

      while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
      if (len == 3 && (strncmp (p, "---", 3) == 0 || strncmp (p, "...", 3) == 0))
        return end ? end + 1 : p + strlen (p);
      if (end == NULL)
        break;
      p = end + 1;
    }

  return markdown;
}

/* Appends @len bytes of text, escaped, without control characters. */
static void
append_text (Parser     *self,
             const char *text,
             gsize       len)
{
  gsize start = 0;

  for (gsize i = 0; i <= len; i++)
    {
      gboolean control = i < len && (guchar) text[i] < 0x20 && text[i] != '\t' &&
                         text[i] != '\n';

      if (i == len || control)
        {
          if (i > start)
            {
              g_autofree char *escaped = g_markup_escape_text (text + start, i - start);

              g_string_append (self->buf, escaped);
              for (gsize j = start; j < i && !self->visible; j++)
                if (!g_ascii_isspace (text[j]))
                  self->visible = TRUE;
            }
          start = i + 1;
        }
    }
}

static void
append_unichar (Parser   *self,
                gunichar  c)
{
  char utf8[8];
  int len = g_unichar_to_utf8 (c, utf8);

  append_text (self, utf8, len);
}

/* Decodes "&amp;", "&#233;", "&#x1F600;" into @c; FALSE for an entity
 * this file does not know, which then stays as written. */
static gboolean
decode_entity (const char *text,
               gsize       len,
               gunichar   *c)
{
  g_autofree char *name = NULL;
  guint64 value;

  if (len < 3 || text[0] != '&' || text[len - 1] != ';')
    return FALSE;
  name = g_strndup (text + 1, len - 2);

  if (name[0] == '#')
    {
      gboolean hex = name[1] == 'x' || name[1] == 'X';

      if (g_ascii_string_to_unsigned (name + (hex ? 2 : 1), hex ? 16 : 10, 1, 0x10ffff,
                                      &value, NULL) &&
          g_unichar_validate ((gunichar) value) && value >= 0x20)
        *c = (gunichar) value;
      else
        *c = 0xfffd;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_equal (name, entities[i].name))
      {
        *c = entities[i].c;
        return TRUE;
      }

  return FALSE;
}

static void
append_entity (Parser     *self,
               const char *text,
               gsize       len)
{
  gunichar c;

  if (decode_entity (text, len, &c))
    append_unichar (self, c);
  else
    append_text (self, text, len);
}

/* An attribute (a link's target) as a plain string. */
static char *
attribute_to_string (const MD_ATTRIBUTE *attr)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      const char *text = attr->text + attr->substr_offsets[i];
      gsize len = attr->substr_offsets[i + 1] - attr->substr_offsets[i];
      gunichar c;

      if (attr->substr_types[i] == MD_TEXT_ENTITY && decode_entity (text, len, &c))
        g_string_append_unichar (out, c);
      else if (attr->substr_types[i] == MD_TEXT_NULLCHAR)
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_len (out, text, len);
    }

  return g_string_free (out, FALSE);
}

static MmCardBlock *
block_new (Parser          *self,
           MmCardBlockKind  kind)
{
  MmCardBlock *block = g_new0 (MmCardBlock, 1);

  block->kind = kind;
  block->indent = self->lists->len;
  block->quote = self->quote;
  return block;
}

/* Starts collecting inline text for @block. */
static void
begin_text (Parser      *self,
            MmCardBlock *block)
{
  g_clear_pointer (&self->current, mm_card_block_free);
  self->current = block;
  g_string_truncate (self->buf, 0);
  self->visible = FALSE;
}

/* Closes any span still open (md4c closes them itself, but a truncated
 * card or a callback order we did not foresee must not leave a tag open). */
static void
close_spans (Parser *self)
{
  while (self->closers->len > 0)
    {
      const char *closer = g_ptr_array_index (self->closers, self->closers->len - 1);

      g_string_append (self->buf, closer);
      g_ptr_array_remove_index (self->closers, self->closers->len - 1);
    }
  self->link_depth = 0;
  self->image_depth = 0;
}

/* Ends the current block; keeps it when it shows any text. */
static void
end_text (Parser *self)
{
  MmCardBlock *block = g_steal_pointer (&self->current);

  if (block == NULL)
    return;

  close_spans (self);
  if (!self->visible)
    {
      mm_card_block_free (block);
      return;
    }

  /* Trailing hard breaks and spaces say nothing. */
  while (self->buf->len > 0 && g_ascii_isspace (self->buf->str[self->buf->len - 1]))
    g_string_truncate (self->buf, self->buf->len - 1);
  block->markup = g_strdup (self->buf->str);
  g_ptr_array_add (self->blocks, block);
  g_string_truncate (self->buf, 0);
  self->visible = FALSE;
}

static char *
list_marker (Parser                    *self,
             const MD_BLOCK_LI_DETAIL  *detail)
{
  List *list;

  if (detail->is_task)
    return g_strdup (detail->task_mark == ' ' ? "☐" : "☑");
  if (self->lists->len == 0)
    return g_strdup ("•");

  list = &g_array_index (self->lists, List, self->lists->len - 1);
  if (list->ordered)
    return g_strdup_printf ("%u.", list->next++);
  return g_strdup (self->lists->len == 1 ? "•" : self->lists->len == 2 ? "◦" : "▪");
}

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Parser *self = user_data;

  switch (type)
    {
    case MD_BLOCK_DOC:
      break;

    case MD_BLOCK_QUOTE:
      end_text (self);
      self->quote++;
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        List list = { type == MD_BLOCK_OL, 1 };

        if (type == MD_BLOCK_OL)
          list.next = MIN (((MD_BLOCK_OL_DETAIL *) detail)->start, 999999999u);
        /* A nested list ends the text of the item it is in. */
        end_text (self);
        g_array_append_val (self->lists, list);
      }
      break;

    case MD_BLOCK_LI:
      {
        MmCardBlock *item;

        end_text (self);
        item = block_new (self, MM_CARD_BLOCK_LIST_ITEM);
        item->marker = list_marker (self, detail);
        /* Tight lists put the text straight in the item, loose ones in a
         * paragraph: either way it is the item's. */
        begin_text (self, item);
        self->in_item++;
        self->item_started = FALSE;
      }
      break;

    case MD_BLOCK_HR:
      end_text (self);
      g_ptr_array_add (self->blocks, block_new (self, MM_CARD_BLOCK_RULE));
      break;

    case MD_BLOCK_H:
      end_text (self);
      {
        MmCardBlock *heading = block_new (self, MM_CARD_BLOCK_HEADING);

        heading->level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
        begin_text (self, heading);
      }
      break;

    case MD_BLOCK_CODE:
      {
        const MD_BLOCK_CODE_DETAIL *code = detail;

        end_text (self);
        g_clear_pointer (&self->code, mm_card_block_free);
        self->code = block_new (self, MM_CARD_BLOCK_CODE);
        if (code->lang.size > 0)
          {
            g_autofree char *lang = attribute_to_string (&code->lang);

            if (*lang != '\0' && g_utf8_validate (lang, -1, NULL))
              self->code->language = g_steal_pointer (&lang);
          }
        g_string_truncate (self->code_text, 0);
      }
      break;

    case MD_BLOCK_HTML:
      end_text (self);
      self->html++;
      break;

    case MD_BLOCK_P:
      /* The first paragraph of a list item is the item's text. */
      if (self->in_item > 0 && self->current != NULL &&
          self->current->kind == MM_CARD_BLOCK_LIST_ITEM && !self->item_started)
        {
          self->item_started = TRUE;
          break;
        }
      end_text (self);
      begin_text (self, block_new (self, MM_CARD_BLOCK_PARAGRAPH));
      break;

    case MD_BLOCK_TABLE:
      {
        const MD_BLOCK_TABLE_DETAIL *table = detail;

        end_text (self);
        g_clear_pointer (&self->table, mm_card_block_free);
        self->table = block_new (self, MM_CARD_BLOCK_TABLE);
        self->table->n_columns = MAX (table->col_count, 1);
        self->table->n_header_rows = 0;
        self->table->cells = g_ptr_array_new_with_free_func (g_free);
        self->table->align = g_new0 (MmCardAlign, self->table->n_columns);
      }
      break;

    case MD_BLOCK_THEAD:
      self->table_head = TRUE;
      break;

    case MD_BLOCK_TBODY:
      self->table_head = FALSE;
      break;

    case MD_BLOCK_TR:
      self->column = 0;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (self->table != NULL && self->column < self->table->n_columns &&
          self->table->cells->len < self->table->n_columns)
        {
          switch (((MD_BLOCK_TD_DETAIL *) detail)->align)
            {
            case MD_ALIGN_LEFT:
              self->table->align[self->column] = MM_CARD_ALIGN_LEFT;
              break;
            case MD_ALIGN_CENTER:
              self->table->align[self->column] = MM_CARD_ALIGN_CENTER;
              break;
            case MD_ALIGN_RIGHT:
              self->table->align[self->column] = MM_CARD_ALIGN_RIGHT;
              break;
            case MD_ALIGN_DEFAULT:
            default:
              break;
            }
        }
      g_string_truncate (self->buf, 0);
      self->visible = FALSE;
      break;

    default:
      break;
    }

  return 0;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Parser *self = user_data;

  switch (type)
    {
    case MD_BLOCK_QUOTE:
      end_text (self);
      if (self->quote > 0)
        self->quote--;
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      end_text (self);
      if (self->lists->len > 0)
        g_array_set_size (self->lists, self->lists->len - 1);
      break;

    case MD_BLOCK_LI:
      end_text (self);
      if (self->in_item > 0)
        self->in_item--;
      /* An outer item's later paragraphs are not its first. */
      self->item_started = TRUE;
      break;

    case MD_BLOCK_P:
    case MD_BLOCK_H:
      end_text (self);
      break;

    case MD_BLOCK_CODE:
      if (self->code != NULL)
        {
          MmCardBlock *code = g_steal_pointer (&self->code);

          while (self->code_text->len > 0 &&
                 self->code_text->str[self->code_text->len - 1] == '\n')
            g_string_truncate (self->code_text, self->code_text->len - 1);
          code->text = g_strdup (self->code_text->str);
          g_ptr_array_add (self->blocks, code);
        }
      break;

    case MD_BLOCK_HTML:
      if (self->html > 0)
        self->html--;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      close_spans (self);
      if (self->table != NULL && self->column < self->table->n_columns)
        {
          while (self->buf->len > 0 && g_ascii_isspace (self->buf->str[self->buf->len - 1]))
            g_string_truncate (self->buf, self->buf->len - 1);
          g_ptr_array_add (self->table->cells, g_strdup (self->buf->str));
          self->column++;
        }
      g_string_truncate (self->buf, 0);
      self->visible = FALSE;
      break;

    case MD_BLOCK_TR:
      if (self->table != NULL)
        {
          /* Every row has every column. */
          while (self->column < self->table->n_columns)
            {
              g_ptr_array_add (self->table->cells, g_strdup (""));
              self->column++;
            }
          if (self->table_head)
            self->table->n_header_rows++;
        }
      break;

    case MD_BLOCK_TABLE:
      if (self->table != NULL)
        g_ptr_array_add (self->blocks, g_steal_pointer (&self->table));
      self->table_head = FALSE;
      break;

    case MD_BLOCK_DOC:
      end_text (self);
      break;

    case MD_BLOCK_HR:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }

  return 0;
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Parser *self = user_data;
  const char *open = NULL;
  const char *close = "";

  switch (type)
    {
    case MD_SPAN_EM:
      open = "<i>", close = "</i>";
      break;
    case MD_SPAN_STRONG:
      open = "<b>", close = "</b>";
      break;
    case MD_SPAN_DEL:
      open = "<s>", close = "</s>";
      break;
    case MD_SPAN_U:
      open = "<u>", close = "</u>";
      break;
    case MD_SPAN_CODE:
      open = "<tt>", close = "</tt>";
      break;

    case MD_SPAN_A:
    case MD_SPAN_IMG:
      {
        const MD_ATTRIBUTE *target = type == MD_SPAN_A ? &((MD_SPAN_A_DETAIL *) detail)->href
                                                       : &((MD_SPAN_IMG_DETAIL *) detail)->src;
        g_autofree char *url = attribute_to_string (target);

        /* GtkLabel cannot nest links, and an image's alt text is plain. */
        if (self->link_depth == 0 && self->image_depth == 0 && _mm_card_is_safe_link (url))
          {
            g_autofree char *escaped = g_markup_escape_text (url, -1);

            g_string_append_printf (self->buf, "<a href=\"%s\">", escaped);
            close = "</a>";
            self->link_depth++;
          }
        if (type == MD_SPAN_IMG)
          {
            self->image_depth++;
            /* Where the alt text starts, to tell an empty one. */
            g_ptr_array_add (self->closers,
                             g_strdup_printf ("\x01%s\x01%" G_GSIZE_FORMAT, close,
                                              self->buf->len));
            return 0;
          }
      }
      break;

    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    default:
      break;
    }

  if (open != NULL)
    g_string_append (self->buf, open);
  g_ptr_array_add (self->closers, g_strdup (close));
  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Parser *self = user_data;
  g_autofree char *closer = NULL;

  if (self->closers->len == 0)
    return 0;

  closer = g_ptr_array_steal_index (self->closers, self->closers->len - 1);
  if (closer[0] == '\x01')
    {
      /* An image: "\x01" closer "\x01" where its alt text started. */
      char *mark = strchr (closer + 1, '\x01');
      guint64 start = 0;

      *mark = '\0';
      g_ascii_string_to_unsigned (mark + 1, 10, 0, G_MAXSIZE, &start, NULL);
      if (self->buf->len == start)
        /* Translators: shown in a model card for a picture without a description */
        append_text (self, _("image"), strlen (_("image")));
      g_string_append (self->buf, closer + 1);
      if (g_str_equal (closer + 1, "</a>") && self->link_depth > 0)
        self->link_depth--;
      if (self->image_depth > 0)
        self->image_depth--;
      return 0;
    }

  g_string_append (self->buf, closer);
  if (g_str_equal (closer, "</a>") && self->link_depth > 0)
    self->link_depth--;
  return 0;
}

static int
text_cb (MD_TEXTTYPE     type,
         const MD_CHAR  *text,
         MD_SIZE         size,
         void           *user_data)
{
  Parser *self = user_data;

  /* Never past the input, whatever span md4c reports (see mm_card_parse());
   * its line breaks point at its own constant strings, not into the input. */
  if (text >= self->input_start && text < self->input_end + MD4C_PADDING)
    {
      if (text >= self->input_end)
        return 0;
      size = MIN (size, (MD_SIZE) (self->input_end - text));
    }

  if (self->html > 0)
    return 0;

  if (self->code != NULL)
    {
      if (type == MD_TEXT_NULLCHAR)
        g_string_append_unichar (self->code_text, 0xfffd);
      else
        for (MD_SIZE i = 0; i < size; i++)
          /* Keep tabs and newlines; other controls would only confuse. */
          if ((guchar) text[i] >= 0x20 || text[i] == '\t' || text[i] == '\n')
            g_string_append_c (self->code_text, text[i]);
      return 0;
    }

  /* Text after a nested list, in the same item: a paragraph of its own. */
  if (self->current == NULL && self->table == NULL && self->buf->len == 0)
    begin_text (self, block_new (self, MM_CARD_BLOCK_PARAGRAPH));

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      append_unichar (self, 0xfffd);
      break;
    case MD_TEXT_BR:
      g_string_append_c (self->buf, '\n');
      break;
    case MD_TEXT_SOFTBR:
      g_string_append_c (self->buf, ' ');
      break;
    case MD_TEXT_ENTITY:
      append_entity (self, text, size);
      break;
    case MD_TEXT_HTML:
      /* Inline HTML is dropped; a <br> still breaks the line. */
      if (size >= 3 && g_ascii_strncasecmp (text, "<br", 3) == 0)
        g_string_append_c (self->buf, '\n');
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_LATEXMATH:
    default:
      append_text (self, text, size);
      break;
    }

  return 0;
}

/**
 * mm_card_parse:
 * @markdown: (nullable): a model card, as the repository's README.md holds it
 * @max_length: how many bytes of the card (after its front matter) to read,
 *   cut at a line end; 0 for all of it
 * @truncated: (out) (optional): whether text was left out because of @max_length
 *
 * Parses a model card into blocks. Never fails: any input gives blocks
 * whose markup is valid.
 *
 * Returns: (transfer full) (element-type MmCardBlock): the blocks, in order
 */
GPtrArray *
mm_card_parse (const char *markdown,
               gsize       max_length,
               gboolean   *truncated)
{
  g_autofree char *valid = NULL;
  g_autofree char *padded = NULL;
  const char *text;
  gsize len;
  Parser self = { 0 };
  MD_PARSER parser = {
    .abi_version = 0,
    .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
             MD_FLAG_PERMISSIVEURLAUTOLINKS,
    .enter_block = enter_block_cb,
    .leave_block = leave_block_cb,
    .enter_span = enter_span_cb,
    .leave_span = leave_span_cb,
    .text = text_cb,
  };

  if (truncated != NULL)
    *truncated = FALSE;

  self.blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_card_block_free);
  if (markdown == NULL)
    return self.blocks;

  valid = g_utf8_make_valid (markdown, -1);
  text = _mm_card_skip_front_matter (valid);
  len = strlen (text);

  if (max_length > 0 && len > max_length)
    {
      const char *cut = g_utf8_find_prev_char (text, text + max_length + 1);
      const char *line_end = g_strrstr_len (text, max_length, "\n");
      gboolean more = FALSE;

      if (line_end != NULL && line_end > text)
        cut = line_end;
      else if (cut == NULL)
        cut = text;
      for (const char *p = cut; *p != '\0' && !more; p++)
        more = !g_ascii_isspace (*p);
      if (truncated != NULL)
        *truncated = more;
      len = cut - text;
    }

  self.buf = g_string_new (NULL);
  self.closers = g_ptr_array_new_with_free_func (g_free);
  self.lists = g_array_new (FALSE, FALSE, sizeof (List));
  self.code_text = g_string_new (NULL);

  /* md4c 0.4.8 can hand a text callback a span that runs a few bytes past
   * the end of its input (a permissive URL autolink before a trailing HTML
   * block, found by fuzz-card): it parses a copy with zeros after it, which
   * the callbacks drop as control characters. */
  padded = g_malloc0 (len + MD4C_PADDING);
  memcpy (padded, text, len);
  self.input_start = padded;
  self.input_end = padded + len;
  md_parse (padded, (MD_SIZE) MIN (len, G_MAXUINT32), &parser, &self);

  /* md4c closes everything it opened; this is for safety only. */
  end_text (&self);
  g_clear_pointer (&self.code, mm_card_block_free);
  g_clear_pointer (&self.table, mm_card_block_free);
  g_string_free (self.buf, TRUE);
  g_string_free (self.code_text, TRUE);
  g_ptr_array_unref (self.closers);
  g_array_unref (self.lists);

  return self.blocks;
}
