/* mm-markdown.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small, forgiving Markdown → Pango markup converter for model cards.
 *
 * A model card is untrusted text from the network, so the one rule this file
 * never breaks is: every byte of input that reaches the output goes through
 * g_markup_escape_text(), and every tag we open we also close, in order. The
 * result is always valid Pango markup, whatever the input (see the hostile
 * cases in tests/test-window.c).
 *
 * What it understands is the subset that makes a README readable in a label:
 * YAML front matter (dropped), ATX and setext headings, paragraphs joined from
 * soft-wrapped lines, bullet and numbered lists, block quotes, fenced code,
 * tables (flattened to "a · b · c"), emphasis, strong, strike-through, inline
 * code, links to http(s) and mailto URLs, and autolinks. Images and raw HTML
 * tags are dropped, since a label cannot show them.
 */
#define G_LOG_DOMAIN "mm-markdown"

#include "config.h"

#include "mm-markdown.h"

#include <string.h>

typedef enum {
  BLOCK_NONE,
  BLOCK_PARAGRAPH,
  BLOCK_HEADING,
  BLOCK_LIST,
  BLOCK_QUOTE,
  BLOCK_CODE,
  BLOCK_TABLE,
} BlockKind;

typedef struct {
  GString   *out;
  GString   *para;         /* raw text of the open paragraph, list item or quote */
  char      *para_prefix;  /* already markup-safe, e.g. "  • " */
  BlockKind  para_kind;
  BlockKind  last_kind;    /* the kind of the last block written to out */
} Converter;

typedef enum {
  MARK_BOLD,
  MARK_ITALIC,
  MARK_STRIKE,
} MarkKind;

typedef struct {
  MarkKind kind;
  char     ch;
} Mark;

#define MAX_MARKS 8

static void append_inline (GString    *out,
                           const char *text,
                           gsize       len,
                           gboolean    allow_links);

static void
append_escaped (GString    *out,
                const char *text,
                gssize      len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (out, escaped);
}

static const char *
mark_open_tag (MarkKind kind)
{
  switch (kind)
    {
    case MARK_BOLD:
      return "<b>";
    case MARK_ITALIC:
      return "<i>";
    case MARK_STRIKE:
      return "<s>";
    default:
      g_assert_not_reached ();
    }
}

static const char *
mark_close_tag (MarkKind kind)
{
  switch (kind)
    {
    case MARK_BOLD:
      return "</b>";
    case MARK_ITALIC:
      return "</i>";
    case MARK_STRIKE:
      return "</s>";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_safe_url (const char *url)
{
  return g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "http://", 7) == 0 ||
         g_ascii_strncasecmp (url, "mailto:", 7) == 0;
}

static gboolean
has_text (const char *markup)
{
  /* Whether @markup shows anything but tags and white space. */
  gboolean in_tag = FALSE;

  for (const char *p = markup; *p != '\0'; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>')
        in_tag = FALSE;
      else if (!in_tag && !g_ascii_isspace (*p))
        return TRUE;
    }

  return FALSE;
}

/* Parses "[text](url)" starting at text[start] == '['. On success returns the
 * index just past ')' and the ranges of the link text and URL. */
static gsize
parse_link (const char *text,
            gsize       len,
            gsize       start,
            gsize      *label_start,
            gsize      *label_len,
            gsize      *url_start,
            gsize      *url_len)
{
  gsize i = start + 1;
  int depth = 1;
  gsize close;
  gsize u, u_end;

  while (i < len && depth > 0)
    {
      if (text[i] == '\\' && i + 1 < len)
        i++;
      else if (text[i] == '[')
        depth++;
      else if (text[i] == ']')
        depth--;
      if (depth > 0)
        i++;
    }
  if (depth != 0 || i + 1 >= len || text[i + 1] != '(')
    return 0;
  close = i;

  depth = 1;
  u = i + 2;
  i = u;
  while (i < len && depth > 0)
    {
      if (text[i] == '(')
        depth++;
      else if (text[i] == ')')
        depth--;
      if (depth > 0)
        i++;
    }
  if (depth != 0)
    return 0;

  /* Drop an optional title: [text](url "title"). */
  while (u < i && text[u] == ' ')
    u++;
  u_end = u;
  while (u_end < i && text[u_end] != ' ')
    u_end++;
  if (u < u_end && text[u] == '<' && text[u_end - 1] == '>')
    {
      u++;
      u_end--;
    }

  *label_start = start + 1;
  *label_len = close - (start + 1);
  *url_start = u;
  *url_len = u_end > u ? u_end - u : 0;

  return i + 1;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

/* Handles a run of '*', '_' or '~' at text[i]; returns how many bytes it used. */
static gsize
handle_mark (GString    *out,
             const char *text,
             gsize       len,
             gsize       i,
             Mark       *marks,
             guint      *n_marks)
{
  char ch = text[i];
  gsize run = 0;
  gsize used;
  MarkKind kind;
  char needle[3] = { 0 };

  while (i + run < len && text[i + run] == ch)
    run++;

  if (ch == '~')
    {
      if (run != 2)
        goto literal;
      kind = MARK_STRIKE;
      used = 2;
    }
  else if (run >= 2)
    {
      kind = MARK_BOLD;
      used = 2;
    }
  else
    {
      kind = MARK_ITALIC;
      used = 1;
    }

  /* snake_case_names and 2*3*4 are not emphasis. */
  if (ch != '*' && i > 0 && is_word_char (text[i - 1]) &&
      i + run < len && is_word_char (text[i + run]))
    goto literal;

  /* Close the innermost mark if this is its closer. */
  if (*n_marks > 0 && marks[*n_marks - 1].kind == kind && marks[*n_marks - 1].ch == ch)
    {
      if (i > 0 && g_ascii_isspace (text[i - 1]))
        goto literal;
      g_string_append (out, mark_close_tag (kind));
      (*n_marks)--;
      return used;
    }

  /* A mark that is open further out cannot close here without crossing tags. */
  for (guint m = 0; m < *n_marks; m++)
    if (marks[m].kind == kind && marks[m].ch == ch)
      goto literal;

  /* Open only when followed by text and closed later on the same block. */
  if (*n_marks >= MAX_MARKS || i + used >= len || g_ascii_isspace (text[i + used]))
    goto literal;
  memset (needle, ch, used);
  if (g_strstr_len (text + i + used + 1, len - (i + used + 1), needle) == NULL)
    goto literal;

  marks[*n_marks].kind = kind;
  marks[*n_marks].ch = ch;
  (*n_marks)++;
  g_string_append (out, mark_open_tag (kind));
  return used;

literal:
  append_escaped (out, text + i, run);
  return run;
}

static void
append_inline (GString    *out,
               const char *text,
               gsize       len,
               gboolean    allow_links)
{
  Mark marks[MAX_MARKS];
  guint n_marks = 0;
  gsize i = 0;

  while (i < len)
    {
      char c = text[i];

      if (c == '\\' && i + 1 < len && g_ascii_ispunct (text[i + 1]))
        {
          append_escaped (out, text + i + 1, 1);
          i += 2;
        }
      else if (c == '`')
        {
          gsize run = 0, j;
          gboolean found = FALSE;

          while (i + run < len && text[i + run] == '`')
            run++;
          for (j = i + run; j + run <= len; j++)
            {
              gsize k = 0;

              while (j + k < len && text[j + k] == '`')
                k++;
              if (k == run)
                {
                  found = TRUE;
                  break;
                }
              if (k > 0)
                j += k - 1;
            }
          if (found)
            {
              g_string_append (out, "<tt>");
              append_escaped (out, text + i + run, j - (i + run));
              g_string_append (out, "</tt>");
              i = j + run;
            }
          else
            {
              append_escaped (out, text + i, run);
              i += run;
            }
        }
      else if (c == '!' && i + 1 < len && text[i + 1] == '[')
        {
          gsize ls, ll, us, ul;
          gsize end = parse_link (text, len, i + 1, &ls, &ll, &us, &ul);

          /* Images cannot be shown in a label; drop them (mostly badges). */
          if (end > 0)
            i = end;
          else
            {
              append_escaped (out, "!", 1);
              i++;
            }
        }
      else if (c == '[')
        {
          gsize ls, ll, us, ul;
          gsize end = parse_link (text, len, i, &ls, &ll, &us, &ul);

          if (end == 0)
            {
              append_escaped (out, "[", 1);
              i++;
              continue;
            }

          {
            g_autoptr(GString) label = g_string_new (NULL);
            g_autofree char *url = g_strndup (text + us, ul);

            append_inline (label, text + ls, ll, FALSE);
            if (has_text (label->str))
              {
                if (allow_links && is_safe_url (url))
                  {
                    g_string_append (out, "<a href=\"");
                    append_escaped (out, url, -1);
                    g_string_append (out, "\">");
                    g_string_append (out, label->str);
                    g_string_append (out, "</a>");
                  }
                else
                  g_string_append (out, label->str);
              }
          }
          i = end;
        }
      else if (c == '<')
        {
          const char *close = memchr (text + i, '>', len - i);
          gsize inner = close ? (gsize) (close - (text + i)) - 1 : 0;

          if (close != NULL && inner > 0 && memchr (text + i + 1, '<', inner) == NULL)
            {
              g_autofree char *inside = g_strndup (text + i + 1, inner);

              if (is_safe_url (inside) && strchr (inside, ' ') == NULL)
                {
                  /* An autolink: <https://example.com>. */
                  if (allow_links)
                    {
                      g_string_append (out, "<a href=\"");
                      append_escaped (out, inside, -1);
                      g_string_append (out, "\">");
                      append_escaped (out, inside, -1);
                      g_string_append (out, "</a>");
                    }
                  else
                    append_escaped (out, inside, -1);
                  i += inner + 2;
                  continue;
                }
              if (g_ascii_isalpha (inside[0]) || inside[0] == '/' || inside[0] == '!')
                {
                  /* Raw HTML: a label cannot show it, so drop the tag. <br> reads
                   * as a space. */
                  if (g_ascii_strncasecmp (inside, "br", 2) == 0)
                    g_string_append_c (out, ' ');
                  i += inner + 2;
                  continue;
                }
            }
          append_escaped (out, "<", 1);
          i++;
        }
      else if (c == '*' || c == '_' || c == '~')
        {
          i += handle_mark (out, text, len, i, marks, &n_marks);
        }
      else
        {
          gsize j = i + 1;

          while (j < len && strchr ("\\`![<*_~", text[j]) == NULL)
            j++;
          append_escaped (out, text + i, j - i);
          i = j;
        }
    }

  while (n_marks > 0)
    g_string_append (out, mark_close_tag (marks[--n_marks].kind));
}

static void
begin_block (Converter *conv,
             BlockKind  kind)
{
  if (conv->out->len > 0)
    {
      gboolean tight = kind == conv->last_kind &&
                       (kind == BLOCK_LIST || kind == BLOCK_TABLE);

      g_string_append (conv->out, tight ? "\n" : "\n\n");
    }
  conv->last_kind = kind;
}

static void
flush_paragraph (Converter *conv)
{
  if (conv->para->len > 0)
    {
      begin_block (conv, conv->para_kind);
      if (conv->para_prefix != NULL)
        g_string_append (conv->out, conv->para_prefix);
      if (conv->para_kind == BLOCK_QUOTE)
        g_string_append (conv->out, "<i>");
      append_inline (conv->out, conv->para->str, conv->para->len, TRUE);
      if (conv->para_kind == BLOCK_QUOTE)
        g_string_append (conv->out, "</i>");
    }

  g_string_truncate (conv->para, 0);
  g_clear_pointer (&conv->para_prefix, g_free);
  conv->para_kind = BLOCK_NONE;
}

static void
add_to_paragraph (Converter  *conv,
                  BlockKind   kind,
                  const char *text)
{
  if (conv->para->len > 0)
    g_string_append_c (conv->para, ' ');
  else
    conv->para_kind = kind;
  g_string_append (conv->para, text);
}

static void
write_heading (Converter  *conv,
               guint       level,
               const char *text)
{
  const char *open = level == 1 ? "<span size=\"x-large\" weight=\"bold\">"
                   : level == 2 ? "<span size=\"large\" weight=\"bold\">"
                   : "<span weight=\"bold\">";

  begin_block (conv, BLOCK_HEADING);
  g_string_append (conv->out, open);
  append_inline (conv->out, text, strlen (text), TRUE);
  g_string_append (conv->out, "</span>");
}

static gboolean
is_rule (const char *line,
         char        ch)
{
  guint count = 0;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == ch)
        count++;
      else if (*p != ' ')
        return FALSE;
    }

  return count >= 3 || (ch == '=' && count >= 1);
}

static void
write_table_row (Converter  *conv,
                 const char *line)
{
  g_auto(GStrv) cells = NULL;
  gboolean first = TRUE;
  gboolean separator = TRUE;
  gboolean header = conv->last_kind != BLOCK_TABLE;

  for (const char *p = line; *p != '\0'; p++)
    if (strchr ("|-: ", *p) == NULL)
      separator = FALSE;
  if (separator)
    return;

  begin_block (conv, BLOCK_TABLE);
  cells = g_strsplit (line, "|", -1);
  for (guint i = 0; cells[i] != NULL; i++)
    {
      char *cell = g_strstrip (cells[i]);

      if (*cell == '\0')
        continue;
      if (!first)
        g_string_append (conv->out, " · ");
      /* The first row of a table names the columns. */
      if (header)
        g_string_append (conv->out, "<b>");
      append_inline (conv->out, cell, strlen (cell), TRUE);
      if (header)
        g_string_append (conv->out, "</b>");
      first = FALSE;
    }
}

/* Matches "- item", "* item", "+ item", "12. item", "3) item". */
static gboolean
parse_list_item (const char  *line,
                 guint       *indent,
                 char       **marker,
                 const char **rest)
{
  const char *p = line;
  const char *start;

  while (*p == ' ')
    p++;
  *indent = (guint) (p - line);
  start = p;

  if ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' ')
    {
      *marker = g_strdup ("•");
      p += 2;
    }
  else if (g_ascii_isdigit (*p))
    {
      while (g_ascii_isdigit (*p))
        p++;
      if ((*p != '.' && *p != ')') || p[1] != ' ' || p - start > 9)
        return FALSE;
      *marker = g_strndup (start, p - start + 1);
      p += 2;
    }
  else
    return FALSE;

  while (*p == ' ')
    p++;
  *rest = p;
  return TRUE;
}

/**
 * mm_markdown_to_pango:
 * @markdown: (nullable): Markdown text, e.g. a model card
 * @max_length: stop at the first block boundary after this many bytes of
 *   input, or 0 for no limit
 * @truncated: (out) (optional): set to whether content was left out
 *
 * Converts Markdown to Pango markup for a wrapping GtkLabel. The result is
 * always valid markup: all input text is escaped.
 *
 * Returns: (transfer full): Pango markup, possibly empty
 */
char *
mm_markdown_to_pango (const char *markdown,
                      gsize       max_length,
                      gboolean   *truncated)
{
  g_autofree char *valid = NULL;
  g_auto(GStrv) lines = NULL;
  Converter conv = { 0 };
  gboolean in_code = FALSE;
  gboolean in_comment = FALSE;
  char fence = 0;
  gsize consumed = 0;
  guint i = 0;

  if (truncated != NULL)
    *truncated = FALSE;
  if (markdown == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (markdown, -1);
  lines = g_strsplit (valid, "\n", -1);
  conv.out = g_string_new (NULL);
  conv.para = g_string_new (NULL);

  for (guint j = 0; lines[j] != NULL; j++)
    {
      gsize l = strlen (lines[j]);

      if (l > 0 && lines[j][l - 1] == '\r')
        lines[j][l - 1] = '\0';
      for (char *p = lines[j]; *p != '\0'; p++)
        if (*p == '\t')
          *p = ' ';
    }

  /* YAML front matter: "---" on the first line up to the next "---" or "...". */
  if (lines[0] != NULL && g_str_equal (g_strchomp (lines[0]), "---"))
    {
      for (guint j = 1; lines[j] != NULL; j++)
        {
          g_strchomp (lines[j]);
          if (g_str_equal (lines[j], "---") || g_str_equal (lines[j], "..."))
            {
              i = j + 1;
              break;
            }
        }
    }

  for (; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      const char *stripped;
      guint indent;
      g_autofree char *marker = NULL;
      const char *rest;

      if (max_length > 0 && !in_code && conv.para->len == 0 && consumed >= max_length)
        break;
      if (max_length > 0 && consumed >= 2 * max_length)
        break;
      consumed += strlen (line) + 1;

      stripped = line;
      while (*stripped == ' ')
        stripped++;

      if (in_comment)
        {
          if (strstr (line, "-->") != NULL)
            in_comment = FALSE;
          continue;
        }

      if ((g_str_has_prefix (stripped, "```") || g_str_has_prefix (stripped, "~~~")) &&
          stripped - line < 4 && (!in_code || stripped[0] == fence))
        {
          flush_paragraph (&conv);
          if (in_code)
            g_string_append (conv.out, "</tt>");
          else
            {
              begin_block (&conv, BLOCK_CODE);
              g_string_append (conv.out, "<tt>");
              fence = stripped[0];
            }
          in_code = !in_code;
          /* The first line of code follows the opening tag directly. */
          conv.last_kind = in_code ? BLOCK_NONE : BLOCK_CODE;
          continue;
        }

      if (in_code)
        {
          if (conv.last_kind != BLOCK_NONE)
            g_string_append_c (conv.out, '\n');
          conv.last_kind = BLOCK_CODE;
          append_escaped (conv.out, line, -1);
          continue;
        }

      g_strchomp (line);

      if (g_str_has_prefix (stripped, "<!--"))
        {
          if (strstr (stripped, "-->") == NULL)
            in_comment = TRUE;
          continue;
        }

      if (*stripped == '\0')
        {
          flush_paragraph (&conv);
          continue;
        }

      /* Setext headings underline the paragraph above them. */
      if (conv.para->len > 0 && conv.para_kind == BLOCK_PARAGRAPH &&
          (is_rule (stripped, '=') || is_rule (stripped, '-')))
        {
          g_autofree char *text = g_strdup (conv.para->str);

          g_string_truncate (conv.para, 0);
          conv.para_kind = BLOCK_NONE;
          write_heading (&conv, stripped[0] == '=' ? 1 : 2, text);
          continue;
        }

      if (is_rule (stripped, '-') || is_rule (stripped, '*') || is_rule (stripped, '_'))
        {
          flush_paragraph (&conv);
          continue;
        }

      if (*stripped == '#')
        {
          guint level = 0;

          while (stripped[level] == '#')
            level++;
          if (level <= 6 && (stripped[level] == ' ' || stripped[level] == '\0'))
            {
              char *text = g_strstrip ((char *) stripped + level);
              gsize tl = strlen (text);

              while (tl > 0 && text[tl - 1] == '#')
                text[--tl] = '\0';
              g_strchomp (text);
              flush_paragraph (&conv);
              if (*text != '\0')
                write_heading (&conv, level, text);
              continue;
            }
        }

      if (*stripped == '|')
        {
          flush_paragraph (&conv);
          write_table_row (&conv, stripped);
          continue;
        }

      if (*stripped == '>')
        {
          const char *text = stripped + 1;

          while (*text == ' ' || *text == '>')
            text++;
          if (conv.para_kind != BLOCK_QUOTE)
            flush_paragraph (&conv);
          if (*text != '\0')
            add_to_paragraph (&conv, BLOCK_QUOTE, text);
          continue;
        }

      if (parse_list_item (line, &indent, &marker, &rest))
        {
          g_autoptr(GString) prefix = g_string_new (NULL);

          flush_paragraph (&conv);
          for (guint level = 0; level < MIN (indent / 2, 4); level++)
            g_string_append (prefix, "    ");
          g_string_append_printf (prefix, "%s ", marker);
          conv.para_prefix = g_markup_escape_text (prefix->str, -1);
          add_to_paragraph (&conv, BLOCK_LIST, rest);
          continue;
        }

      /* Plain text continues the open paragraph, list item or quote. */
      add_to_paragraph (&conv,
                        conv.para_kind != BLOCK_NONE ? conv.para_kind : BLOCK_PARAGRAPH,
                        stripped);
    }

  flush_paragraph (&conv);
  if (in_code)
    g_string_append (conv.out, "</tt>");

  if (truncated != NULL)
    {
      for (; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          {
            *truncated = TRUE;
            break;
          }
    }

  g_string_free (conv.para, TRUE);
  g_free (conv.para_prefix);
  return g_string_free (conv.out, FALSE);
}
