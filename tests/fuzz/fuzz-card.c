/* fuzz-card.c: libFuzzer target for the model card parser
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses each input with mm_card_parse() (md4c underneath), whole and
 * cut short, and checks what the detail pane relies on: every block's
 * markup is well-formed XML with only the tags b, i, s, u, tt and a, every
 * link is http(s), tables are whole rows, text is valid UTF-8 without
 * control characters. Any failure is a g_error (a crash to libFuzzer).
 * Built and run by build-aux/fuzz.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mm-card-private.h"
#include "mm-card.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  static const char * const allowed[] = { "markup", "b", "i", "s", "u", "tt", "a", NULL };

  if (!g_strv_contains (allowed, element))
    g_error ("tag <%s> in card markup", element);
  if (g_str_equal (element, "a"))
    {
      if (names[0] == NULL || !g_str_equal (names[0], "href") || names[1] != NULL ||
          !_mm_card_is_safe_link (values[0]))
        g_error ("a link that is not a safe href");
    }
  else if (names[0] != NULL)
    g_error ("an attribute on <%s>", element);
}

static void
check_markup (const char *markup)
{
  static const GMarkupParser parser = { start_element_cb, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GError) error = NULL;

  if (markup == NULL || !g_utf8_validate (markup, -1, NULL))
    g_error ("markup missing or not UTF-8");
  for (const char *p = markup; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
      g_error ("a control character in markup");

  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("invalid markup: %s", error->message);
}

static void
check (const char *text,
       gsize       max_length)
{
  g_autoptr(GPtrArray) blocks = mm_card_parse (text, max_length, NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      MmCardBlock *block = g_ptr_array_index (blocks, i);

      switch (block->kind)
        {
        case MM_CARD_BLOCK_PARAGRAPH:
        case MM_CARD_BLOCK_HEADING:
        case MM_CARD_BLOCK_LIST_ITEM:
          check_markup (block->markup);
          if (block->kind == MM_CARD_BLOCK_LIST_ITEM && block->marker == NULL)
            g_error ("a list item without a marker");
          if (block->kind == MM_CARD_BLOCK_HEADING && (block->level < 1 || block->level > 6))
            g_error ("a heading of level %u", block->level);
          break;
        case MM_CARD_BLOCK_CODE:
          if (block->text == NULL || !g_utf8_validate (block->text, -1, NULL))
            g_error ("code missing or not UTF-8");
          break;
        case MM_CARD_BLOCK_TABLE:
          if (block->n_columns == 0 || block->cells->len % block->n_columns != 0)
            g_error ("a table of broken rows");
          for (guint c = 0; c < block->cells->len; c++)
            check_markup (g_ptr_array_index (block->cells, c));
          break;
        case MM_CARD_BLOCK_RULE:
          break;
        default:
          g_error ("a block of kind %d", block->kind);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Cards are text: the input up to its first NUL byte. */
  g_autofree char *text = g_strndup ((const char *) data, size);

  check (text, 0);
  check (text, size / 2 + 1);
  return 0;
}
