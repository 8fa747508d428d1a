/* test-card-view.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model card as widgets (src/app/mm-card-view.c): tables as a grid,
 * code in a frame that scrolls sideways instead of wrapping or widening a
 * 360 px window, hostile input without a warning; and the detail pane
 * showing the mock Hub's card that way.
 */
#include "config.h"

#include <adwaita.h>

#include "mm-card-view.h"
#include "mm-mock-hub.h"
#include "mm-model-detail.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 15000

static const char *card =
  "---\nlicense: apache-2.0\n---\n"
  "# Model\n\n"
  "Made by [us](https://example.org) and <b>not</b> [them](javascript:alert(1)).\n\n"
  "| File | Quant | Size | Use case |\n"
  "|------|:-----:|-----:|----------|\n"
  "| model-Q4_K_M.gguf | Q4_K_M | 4.4 GB | medium, balanced quality, the one most people want |\n"
  "| model-Q8_0.gguf | Q8_0 | 7.7 GB | very large |\n\n"
  "```sh\n"
  "llama-server -m model-Q4_K_M.gguf --ctx-size 32768 --n-gpu-layers 99 --host 127.0.0.1 "
  "--port 8080 --threads 8 --batch-size 512\n"
  "```\n";

/* Depth-first: the first widget under @root with @css_class. */
static GtkWidget *
find_class (GtkWidget  *root,
            const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_type (GtkWidget *root,
            GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (root, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    n += count_type (child, type);
  return n;
}

static void
test_blocks (void)
{
  GtkWidget *view = g_object_ref_sink (mm_card_view_new (card, 0, NULL));
  GtkWidget *code = find_class (view, "card-code");
  GtkWidget *table = find_class (view, "card-table");
  GtkWidget *code_label, *grid, *first, *link_label;
  g_autofree char *all_text = NULL;

  g_assert_false (mm_card_view_is_empty (view));

  /* The heading first, with a title style. */
  first = gtk_widget_get_first_child (view);
  g_assert_true (GTK_IS_LABEL (first));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (first)), ==, "Model");
  g_assert_true (gtk_widget_has_css_class (first, "title-2"));

  /* Only the https link is a link. */
  link_label = gtk_widget_get_next_sibling (first);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (link_label)), ==, "Made by us and not them.");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (link_label)),
                            "<a href=\"https://example.org\">us</a>"));
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (link_label)), "javascript"));

  /* Code: a monospace label that does not wrap, in a sideways scroller. */
  g_assert_true (GTK_IS_SCROLLED_WINDOW (code));
  code_label = find_type (code, GTK_TYPE_LABEL);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (code_label)), "--batch-size 512"));
  g_assert_false (gtk_label_get_wrap (GTK_LABEL (code_label)));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (code_label)));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (code_label)));
  g_assert_true (gtk_widget_has_css_class (code_label, "monospace"));

  /* The table: a grid of 4 × 3 cells, the first row a header. */
  g_assert_true (GTK_IS_SCROLLED_WINDOW (table));
  grid = find_type (table, GTK_TYPE_GRID);
  g_assert_cmpuint (count_type (grid, GTK_TYPE_LABEL), ==, 12);
  g_assert_true (gtk_widget_has_css_class (gtk_grid_get_child_at (GTK_GRID (grid), 3, 0),
                                           "card-header-cell"));
  g_assert_false (gtk_widget_has_css_class (gtk_grid_get_child_at (GTK_GRID (grid), 3, 1),
                                            "card-header-cell"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 1, 2))),
                   ==, "Q8_0");
  /* Aligned as the separator row says. */
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid),
                                                                             1, 1))), ==, 0.5);
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid),
                                                                             2, 1))), ==, 1);
  /* The long cell is broken into lines, at spaces. */
  g_assert_nonnull (strchr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid),
                                                                                   3, 1))),
                            '\n'));

  /* No front matter. */
  g_assert_null (find_class (view, "front-matter"));
  for (GtkWidget *w = gtk_widget_get_first_child (view); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w))
      g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (w)), "license"));

  g_assert_finalize_object (view);
}

/* In a 360 px window, the card asks for less than the pane's width, and
 * the code and the table are exactly as tall as what they show. */
static void
test_narrow (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = mm_card_view_new (card, 0, NULL);
  GtkWidget *code, *code_label, *table, *grid;
  int min_width, code_height, label_height, table_height, grid_height;

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  gtk_window_present (GTK_WINDOW (window));

  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <, 300);

  code = find_class (view, "card-code");
  code_label = find_type (code, GTK_TYPE_LABEL);
  gtk_widget_measure (code, GTK_ORIENTATION_VERTICAL, 300, NULL, &code_height, NULL, NULL);
  gtk_widget_measure (code_label, GTK_ORIENTATION_VERTICAL, -1, NULL, &label_height, NULL, NULL);
  /* One line of code (the label's measure holds its margins): no wrapping
   * and no blank space, but room for a scrollbar when scrollbars do not
   * overlay the content. */
  g_assert_cmpint (code_height, >=, label_height);
  g_assert_cmpint (code_height, <=, label_height + 16);
  g_assert_cmpint (label_height, <, 60);
  gtk_widget_measure (code_label, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, >, 360);

  table = find_class (view, "card-table");
  grid = find_type (table, GTK_TYPE_GRID);
  gtk_widget_measure (table, GTK_ORIENTATION_VERTICAL, 300, NULL, &table_height, NULL, NULL);
  gtk_widget_measure (grid, GTK_ORIENTATION_VERTICAL, -1, NULL, &grid_height, NULL, NULL);
  g_assert_cmpint (table_height, >=, grid_height);
  g_assert_cmpint (table_height, <=, grid_height + 18);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty (void)
{
  GtkWidget *view = g_object_ref_sink (mm_card_view_new ("---\nlicense: mit\n---\n"
                                                             "<div>only html</div>\n\n   \n",
                                                             0, NULL));
  gboolean truncated = TRUE;
  GtkWidget *null_view = g_object_ref_sink (mm_card_view_new (NULL, 0, &truncated));

  g_assert_true (mm_card_view_is_empty (view));
  g_assert_true (mm_card_view_is_empty (null_view));
  g_assert_false (truncated);
  g_assert_finalize_object (view);
  g_assert_finalize_object (null_view);
}

static const char *hostile_inputs[] = {
  "**unclosed bold",
  "[a](https://x.org/\"><script>)",
  "<a href=\"javascript:x\">raw html</a> & <img src=x onerror=y>",
  "&amp; &lt; &#x41; &bogus; &#xD800;",
  "| a | <b> |\n|---|---|\n| & | ` |",
  "\xff\xfe invalid utf-8 \xc3",
  "a\x01\x1b[31mred\n\n```\ncode\x01\x1b\n```",
  "> > > > > > > > > deep quote\n\n- a\n  - b\n    - c\n      - d\n        - e\n          - f\n"
  "            - g\n              - h",
  "|||\n|-|-|\n|||",
  "![![x](https://a)](https://b) [[x](https://c)](https://d)",
};

/* Under G_DEBUG=fatal-warnings: any warning from a label fails. */
static void
test_hostile (gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (mm_card_view_new (data, 0, NULL));
  GtkWidget *preview = g_object_ref_sink (mm_card_view_new (data, 7, NULL));

  g_assert_finalize_object (view);
  g_assert_finalize_object (preview);
}

/* The detail pane shows the mock Hub's card with a table and code. */
static gboolean
card_shown_cb (gpointer data)
{
  return find_class (GTK_WIDGET (data), "card-table") != NULL;
}

static void
test_detail (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmMockHub) hub = mm_mock_hub_new (&error);
  MmHubClient *client;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *detail = g_object_new (MM_TYPE_MODEL_DETAIL, NULL);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(MmModel) model = NULL;
  GtkWidget *code;

  g_assert_no_error (error);
  client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  mm_model_detail_set_client (MM_MODEL_DETAIL (detail), client);
  gtk_window_set_child (GTK_WINDOW (window), detail);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));

  json_object_set_string_member (object, "id", "example-org/TinyChat-1.1B-GGUF");
  model = mm_model_new_from_json (object, NULL);
  mm_model_detail_set_model (MM_MODEL_DETAIL (detail), model);
  mm_test_wait_until (card_shown_cb, detail, TIMEOUT_MS);

  code = find_class (detail, "card-code");
  g_assert_nonnull (code);
  g_assert_false (gtk_label_get_wrap (GTK_LABEL (find_type (code, GTK_TYPE_LABEL))));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&model);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (client);
  mm_mock_hub_stop (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  adw_init ();

  g_test_add_func ("/app/card-view/blocks", test_blocks);
  g_test_add_func ("/app/card-view/narrow", test_narrow);
  g_test_add_func ("/app/card-view/empty", test_empty);
  g_test_add_func ("/app/card-view/detail", test_detail);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/app/card-view/hostile/%u", i);

      g_test_add_data_func (path, hostile_inputs[i], test_hostile);
    }

  return g_test_run ();
}
