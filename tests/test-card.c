/* test-card.c: model cards parsed with md4c into blocks
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-card-private.h"
#include "mm-core.h"

#include <string.h>

/* Checks that @markup is what the card promises: well-formed, only the
 * tags b, i, s, u, tt and a, and a only with an http(s) href. */
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
      g_assert_cmpstr (names[0], ==, "href");
      g_assert_null (names[1]);
      g_assert_true (_mm_card_is_safe_link (values[0]));
    }
  else
    g_assert_null (names[0]);
}

static void
assert_card_markup (const char *markup)
{
  static const GMarkupParser parser = { start_element_cb, NULL, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context =
    g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);

  g_assert_true (g_utf8_validate (markup, -1, NULL));
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("invalid markup (%s): %s", error->message, markup);
  /* No control character but tab and newline reaches a label. */
  for (const char *p = markup; *p; p++)
    g_assert_true ((guchar) *p >= 0x20 || *p == '\n' || *p == '\t');
}

static void
assert_blocks_valid (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      MmCardBlock *block = g_ptr_array_index (blocks, i);

      switch (block->kind)
        {
        case MM_CARD_BLOCK_PARAGRAPH:
        case MM_CARD_BLOCK_HEADING:
        case MM_CARD_BLOCK_LIST_ITEM:
          g_assert_nonnull (block->markup);
          assert_card_markup (block->markup);
          break;
        case MM_CARD_BLOCK_CODE:
          g_assert_nonnull (block->text);
          g_assert_true (g_utf8_validate (block->text, -1, NULL));
          break;
        case MM_CARD_BLOCK_TABLE:
          g_assert_cmpuint (block->n_columns, >, 0);
          g_assert_cmpuint (block->cells->len % block->n_columns, ==, 0);
          for (guint c = 0; c < block->cells->len; c++)
            assert_card_markup (g_ptr_array_index (block->cells, c));
          break;
        case MM_CARD_BLOCK_RULE:
          break;
        default:
          g_assert_not_reached ();
        }
      if (block->kind == MM_CARD_BLOCK_HEADING)
        g_assert_cmpuint (block->level, >=, 1);
      if (block->kind == MM_CARD_BLOCK_LIST_ITEM)
        g_assert_nonnull (block->marker);
    }
}

static GPtrArray *
parse (const char *markdown)
{
  GPtrArray *blocks = mm_card_parse (markdown, 0, NULL);

  assert_blocks_valid (blocks);
  return blocks;
}

static MmCardBlock *
block (GPtrArray *blocks,
       guint      i)
{
  g_assert_cmpuint (i, <, blocks->len);
  return g_ptr_array_index (blocks, i);
}

static void
test_front_matter (void)
{
  g_autoptr(GPtrArray) blocks = parse ("---\nlicense: apache-2.0\ntags:\n- gguf\n---\n# Title\n");
  g_autoptr(GPtrArray) crlf = parse ("---\r\nlicense: mit\r\n...\r\nText\r\n");
  g_autoptr(GPtrArray) unclosed = parse ("---\nfront: matter\nnever closed");
  g_autoptr(GPtrArray) only = parse ("---\nlicense: mit\n---\n\n");

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpint (block (blocks, 0)->kind, ==, MM_CARD_BLOCK_HEADING);
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "Title");
  g_assert_cmpuint (crlf->len, ==, 1);
  g_assert_cmpstr (block (crlf, 0)->markup, ==, "Text");
  /* Never closed: not front matter, but a rule and text. */
  g_assert_cmpuint (unclosed->len, ==, 2);
  g_assert_cmpint (block (unclosed, 0)->kind, ==, MM_CARD_BLOCK_RULE);
  g_assert_nonnull (strstr (block (unclosed, 1)->markup, "front: matter"));
  g_assert_cmpuint (only->len, ==, 0);
  g_assert_true (_mm_card_skip_front_matter ("--- \nx: 1\n---") != NULL);
  g_assert_cmpstr (_mm_card_skip_front_matter ("--- \nx: 1\n---"), ==, "");
  g_assert_cmpstr (_mm_card_skip_front_matter ("----\nx\n---\ny"), ==, "----\nx\n---\ny");
}

static void
test_inline (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("Some **bold**, *italic*, ~~gone~~, `x < y` & \"q\"\nnext line  \nhard &amp; &#233; &#0; &bogus;");
  const char *markup;

  g_assert_cmpuint (blocks->len, ==, 1);
  markup = block (blocks, 0)->markup;
  g_assert_cmpstr (markup, ==,
                   "Some <b>bold</b>, <i>italic</i>, <s>gone</s>, <tt>x &lt; y</tt> &amp; "
                   "&quot;q&quot; next line\nhard &amp; \xc3\xa9 \xef\xbf\xbd &amp;bogus;");
}

static void
test_links (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("See [the site](https://x.org/?a=1&b=\"2\").\n\n"
           "[click](javascript:alert(1)) [mail](mailto:a@b.c) [rel](/docs) now\n\n"
           "<https://x.org/a> and https://auto.example/path\n\n"
           "[![badge](https://x.org/b.svg)](https://x.org) ok\n\n"
           "![a cat](https://x.org/cat.png) ![](https://x.org/empty.png) ![local](cat.png)\n\n"
           "[outer [inner](https://b.org)](https://a.org)");

  g_assert_cmpuint (blocks->len, ==, 6);
  g_assert_cmpstr (block (blocks, 0)->markup, ==,
                   "See <a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\">the site</a>.");
  /* Only http and https links are kept; the text stays. */
  g_assert_cmpstr (block (blocks, 1)->markup, ==, "click mail rel now");
  g_assert_cmpstr (block (blocks, 2)->markup, ==,
                   "<a href=\"https://x.org/a\">https://x.org/a</a> and "
                   "<a href=\"https://auto.example/path\">https://auto.example/path</a>");
  /* A badge in a link: its alt text is the link's text. */
  g_assert_cmpstr (block (blocks, 3)->markup, ==, "<a href=\"https://x.org\">badge</a> ok");
  /* Images show as their alt text, linked to the picture. */
  g_assert_cmpstr (block (blocks, 4)->markup, ==,
                   "<a href=\"https://x.org/cat.png\">a cat</a> "
                   "<a href=\"https://x.org/empty.png\">image</a> local");
  /* CommonMark: a link may not contain a link; the inner one wins. */
  g_assert_nonnull (strstr (block (blocks, 5)->markup, "<a href=\"https://b.org\">inner</a>"));
  g_assert_null (strstr (block (blocks, 5)->markup, "https://a.org\">"));
}

static void
test_html (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("<div align=\"center\">\n<img src=\"x.png\" onerror=\"y\">\n</div>\n\n"
           "Text <b>with</b> tags<br>and <script>alert(1)</script> more\n\n"
           "<!-- a comment\nover lines -->\n\nAfter");

  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "Text with tags\nand alert(1) more");
  g_assert_cmpstr (block (blocks, 1)->markup, ==, "After");
}

static void
test_headings_lists_quotes (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("# One\n## Two\n###### Six\nSetext\n---\n\n"
           "- a\n- b\n  - nested\n    - deeper\n\n"
           "3. three\n4. four\n\n"
           "- [ ] todo\n- [x] done\n\n"
           "- loose one\n\n  second paragraph\n\n- loose two\n\n"
           "> quoted **text**\n> > deeper\n\n***\n");
  guint i = 0;

  g_assert_cmpint (block (blocks, i)->kind, ==, MM_CARD_BLOCK_HEADING);
  g_assert_cmpuint (block (blocks, i++)->level, ==, 1);
  g_assert_cmpuint (block (blocks, i++)->level, ==, 2);
  g_assert_cmpuint (block (blocks, i++)->level, ==, 6);
  g_assert_cmpstr (block (blocks, i)->markup, ==, "Setext");
  g_assert_cmpuint (block (blocks, i++)->level, ==, 2);

  g_assert_cmpstr (block (blocks, i)->marker, ==, "•");
  g_assert_cmpuint (block (blocks, i)->indent, ==, 1);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "a");
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "b");
  g_assert_cmpstr (block (blocks, i)->marker, ==, "◦");
  g_assert_cmpuint (block (blocks, i)->indent, ==, 2);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "nested");
  g_assert_cmpuint (block (blocks, i)->indent, ==, 3);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "deeper");

  g_assert_cmpstr (block (blocks, i++)->marker, ==, "3.");
  g_assert_cmpstr (block (blocks, i++)->marker, ==, "4.");
  g_assert_cmpstr (block (blocks, i)->marker, ==, "☐");
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "todo");
  g_assert_cmpstr (block (blocks, i++)->marker, ==, "☑");

  /* A loose item's second paragraph follows it, without a marker. */
  g_assert_cmpint (block (blocks, i)->kind, ==, MM_CARD_BLOCK_LIST_ITEM);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "loose one");
  g_assert_cmpint (block (blocks, i)->kind, ==, MM_CARD_BLOCK_PARAGRAPH);
  g_assert_cmpuint (block (blocks, i)->indent, ==, 1);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "second paragraph");
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "loose two");

  g_assert_cmpuint (block (blocks, i)->quote, ==, 1);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "quoted <b>text</b>");
  g_assert_cmpuint (block (blocks, i)->quote, ==, 2);
  g_assert_cmpstr (block (blocks, i++)->markup, ==, "deeper");
  g_assert_cmpint (block (blocks, i++)->kind, ==, MM_CARD_BLOCK_RULE);
  g_assert_cmpuint (blocks->len, ==, i);
}

static void
test_code (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("```sh\nllama-cli -m <file> --flag \"x\" && y\n\n  indented\n```\n\n"
           "~~~\nno language\n~~~\n\n    indented code\n\n```\nnever closed <b>");

  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_cmpint (block (blocks, 0)->kind, ==, MM_CARD_BLOCK_CODE);
  g_assert_cmpstr (block (blocks, 0)->language, ==, "sh");
  /* Code is text, not markup: nothing is escaped, nothing dropped. */
  g_assert_cmpstr (block (blocks, 0)->text, ==,
                   "llama-cli -m <file> --flag \"x\" && y\n\n  indented");
  g_assert_null (block (blocks, 1)->language);
  g_assert_cmpstr (block (blocks, 1)->text, ==, "no language");
  g_assert_cmpstr (block (blocks, 2)->text, ==, "indented code");
  g_assert_cmpstr (block (blocks, 3)->text, ==, "never closed <b>");
}

static void
test_table (void)
{
  g_autoptr(GPtrArray) blocks =
    parse ("| File | Size | Note |\n|:-----|-----:|:----:|\n"
           "| `a.gguf` | 1 GB | **fast** |\n| b & c | 2 GB |\n| x | y | z | extra |\n");
  MmCardBlock *table;

  g_assert_cmpuint (blocks->len, ==, 1);
  table = block (blocks, 0);
  g_assert_cmpint (table->kind, ==, MM_CARD_BLOCK_TABLE);
  g_assert_cmpuint (table->n_columns, ==, 3);
  g_assert_cmpuint (table->n_header_rows, ==, 1);
  g_assert_cmpuint (mm_card_block_get_n_rows (table), ==, 4);
  g_assert_cmpint (table->align[0], ==, MM_CARD_ALIGN_LEFT);
  g_assert_cmpint (table->align[1], ==, MM_CARD_ALIGN_RIGHT);
  g_assert_cmpint (table->align[2], ==, MM_CARD_ALIGN_CENTER);
  g_assert_cmpstr (mm_card_block_get_cell (table, 0, 0), ==, "File");
  g_assert_cmpstr (mm_card_block_get_cell (table, 1, 0), ==, "<tt>a.gguf</tt>");
  g_assert_cmpstr (mm_card_block_get_cell (table, 1, 2), ==, "<b>fast</b>");
  g_assert_cmpstr (mm_card_block_get_cell (table, 2, 0), ==, "b &amp; c");
  /* A short row is padded, a long one cut to the header's columns. */
  g_assert_cmpstr (mm_card_block_get_cell (table, 2, 2), ==, "");
  g_assert_cmpstr (mm_card_block_get_cell (table, 3, 2), ==, "z");
}

static void
test_truncate (void)
{
  g_autoptr(GString) input = g_string_new ("---\nlicense: mit\n---\n");
  g_autoptr(GPtrArray) preview = NULL;
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GPtrArray) exact = NULL;
  gboolean truncated = FALSE;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (input, "Paragraph %u with some words.\n\n", i);

  preview = mm_card_parse (input->str, 500, &truncated);
  assert_blocks_valid (preview);
  g_assert_true (truncated);
  g_assert_cmpuint (preview->len, >, 5);
  g_assert_cmpuint (preview->len, <, 25);
  g_assert_cmpstr (block (preview, 0)->markup, ==, "Paragraph 0 with some words.");

  full = mm_card_parse (input->str, 0, &truncated);
  g_assert_false (truncated);
  g_assert_cmpuint (full->len, ==, 200);

  /* Only white space after the cut: nothing was left out. */
  exact = mm_card_parse ("Short.\n\n\n   \n", 8, &truncated);
  g_assert_false (truncated);
  g_assert_cmpuint (exact->len, ==, 1);
}

/* A real card: the fixtures' own README, with two tables and lists. */
static void
test_fixture_readme (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MM_FIXTURES_DIR"), "README.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  guint tables = 0, headings = 0, items = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  blocks = parse (text);

  for (guint i = 0; i < blocks->len; i++)
    {
      MmCardBlock *b = block (blocks, i);

      if (b->kind == MM_CARD_BLOCK_TABLE)
        {
          tables++;
          g_assert_cmpuint (b->n_header_rows, ==, 1);
          g_assert_cmpuint (b->n_columns, >=, 3);
          g_assert_cmpuint (mm_card_block_get_n_rows (b), >=, 8);
        }
      headings += b->kind == MM_CARD_BLOCK_HEADING;
      items += b->kind == MM_CARD_BLOCK_LIST_ITEM;
    }
  g_assert_cmpuint (tables, ==, 2);
  g_assert_cmpuint (headings, ==, 1);
  g_assert_cmpuint (items, ==, 4);
  g_assert_cmpstr (block (blocks, 0)->markup, ==, "Hub fixtures");
}

static void
test_safe_link (void)
{
  g_assert_true (_mm_card_is_safe_link ("https://huggingface.co/x"));
  g_assert_true (_mm_card_is_safe_link ("HTTP://example.org"));
  g_assert_false (_mm_card_is_safe_link ("javascript:alert(1)"));
  g_assert_false (_mm_card_is_safe_link ("mailto:a@b.c"));
  g_assert_false (_mm_card_is_safe_link ("file:///etc/passwd"));
  g_assert_false (_mm_card_is_safe_link ("https://"));
  g_assert_false (_mm_card_is_safe_link ("https:///path"));
  g_assert_false (_mm_card_is_safe_link ("https://x.org/a b"));
  g_assert_false (_mm_card_is_safe_link ("https://x.org/\"><script>"));
  g_assert_false (_mm_card_is_safe_link (NULL));
}

/* Whatever comes in, valid blocks come out. */
static const char *hostile_inputs[] = {
  "**unclosed bold",
  "*a **b* c**",
  "_a __b_ c__ ~~d",
  "``` never closed\n<b>",
  "[a](https://x.org/\"><script>)",
  "[[nested [links]](https://a)](https://b)",
  "<a href=\"javascript:x\">raw html</a> & <img src=x onerror=y>",
  "&amp; &lt; &#x41; &bogus; &#xD800; &#1114112; &#99999999999;",
  "# \n## ###\n####### seven",
  "| a | <b> |\n|---|---|\n| & | ` |",
  "> quote **bold\n> more_",
  "\xff\xfe invalid utf-8 \xc3",
  "`unclosed code <x>",
  "![](",
  "![![![deep](https://a)](https://b)](https://c)",
  "snake_case_name and 2*3*4",
  "- [ ] task <x>\n  1) sub & item\n    * deeper",
  "<!-- comment\nspanning --> after",
  "---\nfront: matter\nnever closed",
  "a\x01\x02\x1b[31mred\x7f\n\n```\ncode\x01\x1b\n```",
  "text\0after nul",
  "|||\n|-|-|\n|||",
  "1. a\n   > b\n   > ```\n   > c\n\n   | t |\n   |---|\n   | u |",
  "[x](<https://a.org/with space>) [y]( https://b.org \"title\" )",
  "www.example.com and user@example.com",
  "\t- tab\n\t\t- tabs",
};

static void
test_hostile (gconstpointer data)
{
  const char *input = data;
  g_autoptr(GPtrArray) blocks = parse (input);
  g_autoptr(GPtrArray) preview = mm_card_parse (input, 5, NULL);

  assert_blocks_valid (preview);
}

/* Deep nesting does not blow the stack or the markup. */
static void
test_deep (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (input, "> ");
  g_string_append (input, "deep\n\n");
  for (guint i = 0; i < 500; i++)
    g_string_append_printf (input, "%*s- item\n", i * 2, "");
  for (guint i = 0; i < 2000; i++)
    g_string_append (input, "*a **b ");

  blocks = parse (input->str);
  g_assert_cmpuint (blocks->len, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/card/front-matter", test_front_matter);
  g_test_add_func ("/mm/card/inline", test_inline);
  g_test_add_func ("/mm/card/links", test_links);
  g_test_add_func ("/mm/card/html", test_html);
  g_test_add_func ("/mm/card/headings-lists-quotes", test_headings_lists_quotes);
  g_test_add_func ("/mm/card/code", test_code);
  g_test_add_func ("/mm/card/table", test_table);
  g_test_add_func ("/mm/card/truncate", test_truncate);
  g_test_add_func ("/mm/card/fixture-readme", test_fixture_readme);
  g_test_add_func ("/mm/card/safe-link", test_safe_link);
  g_test_add_func ("/mm/card/deep", test_deep);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mm/card/hostile/%u", i);

      g_test_add_data_func (path, hostile_inputs[i], test_hostile);
    }

  return g_test_run ();
}
