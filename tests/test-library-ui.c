/* test-library-ui.c: the Library view over a real download folder
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A temporary download folder in the `org/repo` layout holds small GGUF
 * files written with mm-gguf-writer. An MmLibrary watches it and an
 * MmLibraryPage in a window shows it, as the application wires them. The
 * tests wait (with a timeout) for what a person would see: the row and its
 * facts, a file copied in while the page is open, and a delete undone
 * from the toast. Every test runs in a subprocess of its own, so a hang
 * fails the test instead of stalling the run.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mm-gguf-writer.h"
#include "mm-hub-client-private.h"
#include "mm-library-page.h"
#include "mm-library-private.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"
#include "mm-use-with-dialog.h"

#define TIMEOUT_MS    10000
#define SUBPROCESS_US (60 * G_USEC_PER_SEC)
#define REPO          "tiny-org/Pico-GGUF"
#define OTHER_REPO    "other-org/Nano-GGUF"

typedef struct {
  char          *dir;
  MmLibrary     *library;
  GtkWindow     *window;
  AdwToastOverlay *overlay;
  gboolean       keep_toasts; /* do not show them: nobody dismisses them */
  MmLibraryPage *page;
  AdwToast      *toast;   /* (owned) (nullable): the last toast the page sent */
} Fixture;

/* A llama with 64 × 64 parameters and a 2048-token context. */
static char *
write_gguf (const char *root,
            const char *relative)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  const guint64 dims[] = { 64, 64 };

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_uint (writer, "llama.context_length", MM_GGUF_TYPE_UINT32, 2048);
  mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_uint (writer, "llama.embedding_length", MM_GGUF_TYPE_UINT32, 64);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 4);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count_kv", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_tensor (writer, "blk.0.weight", 2, dims, 1, 64 * 64 * 2);
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* As the window wires it: into a toast overlay. */
static void
add_toast_cb (MmLibraryPage *page,
              AdwToast      *toast,
              Fixture       *fixture)
{
  g_set_object (&fixture->toast, toast);
  if (!fixture->keep_toasts)
    adw_toast_overlay_add_toast (fixture->overlay, g_object_ref (toast));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *folders[2] = { NULL, NULL };

  fixture->dir = g_dir_make_tmp ("mm-library-ui-XXXXXX", &error);
  g_assert_no_error (error);
  folders[0] = fixture->dir;

  fixture->library = mm_library_new ();
  fixture->page = MM_LIBRARY_PAGE (mm_library_page_new ());
  g_signal_connect (fixture->page, "add-toast", G_CALLBACK (add_toast_cb), fixture);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (fixture->overlay, GTK_WIDGET (fixture->page));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_present (fixture->window);

  /* Files written before the page looks, as after a restart. */
  if (data != NULL)
    g_free (write_gguf (fixture->dir, data));

  mm_library_set_folders (fixture->library, folders);
  mm_library_page_set_library (fixture->page, fixture->library);
}

static gboolean
not_loading (gpointer data)
{
  return !mm_library_get_loading (data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mm_test_wait_until (not_loading, fixture->library, TIMEOUT_MS);
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->toast);
  g_assert_finalize_object (fixture->library);

  /* The folder only holds what the tests wrote; leave it to the isolated
   * temporary directory rather than walking it here. */
  g_free (fixture->dir);
}

typedef struct {
  Fixture    *fixture;
  const char *name;
  const char *subtitle_part;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;
  MmLibraryRow *row = mm_library_page_find_row (wait->fixture->page, wait->name);
  const char *subtitle;

  if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)))
    return FALSE;
  if (wait->subtitle_part == NULL)
    return TRUE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  return subtitle != NULL && strstr (subtitle, wait->subtitle_part) != NULL;
}

static gboolean
row_gone (gpointer data)
{
  RowWait *wait = data;

  return mm_library_page_find_row (wait->fixture->page, wait->name) == NULL;
}

static void
wait_for_row (Fixture    *fixture,
              const char *name,
              const char *subtitle_part)
{
  RowWait wait = { fixture, name, subtitle_part };

  mm_test_wait_until (row_shown, &wait, TIMEOUT_MS);
}

static gboolean
page_is_empty (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (mm_library_page_get_state (fixture->page), "empty") == 0;
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  mm_test_wait_until (page_is_empty, fixture, TIMEOUT_MS);
  g_assert_null (mm_library_page_find_row (fixture->page, REPO));
}

static void
test_lists_facts (Fixture       *fixture,
                  gconstpointer  data)
{
  MmLibraryRow *row;

  /* The facts are read lazily, after the row is shown. */
  wait_for_row (fixture, REPO, "llama");
  wait_for_row (fixture, REPO, "2048-token context");
  g_assert_cmpstr (mm_library_page_get_state (fixture->page), ==, "list");

  row = mm_library_page_find_row (fixture->page, REPO);
  /* Under the repo's heading, the row is the quantization. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Q4_K_M");
  g_assert_cmpstr (mm_library_entry_get_quant (mm_library_row_get_entry (row)), ==, "Q4_K_M");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "parameters"));
}

/* A model on disk joins the comparison from its row's menu, with what its
 * GGUF header says. */
static void
test_compare (Fixture       *fixture,
              gconstpointer  data)
{
  MmCompareBar *bar = mm_library_page_get_compare_bar (fixture->page);
  MmComparison *comparison = mm_compare_bar_get_comparison (bar);
  g_autoptr(MmCompareItem) item = NULL;
  g_autofree char *architecture = NULL;
  g_autofree char *context = NULL;
  gboolean can_add = FALSE;
  gboolean compared = TRUE;
  MmLibraryRow *row;

  wait_for_row (fixture, REPO, "2048-token context");
  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_null (mm_compare_bar_get_text (bar));
  mm_library_row_get_compare_state (row, &can_add, &compared);
  g_assert_true (can_add);
  g_assert_false (compared);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.compare-add", NULL));
  g_assert_true (mm_comparison_contains (comparison, REPO, "Q4_K_M"));
  g_assert_cmpstr (mm_compare_bar_get_text (bar), ==, "1 chosen to compare");
  /* Picked: the menu offers to stop instead. */
  mm_library_row_get_compare_state (row, &can_add, &compared);
  g_assert_false (can_add);
  g_assert_true (compared);

  item = g_list_model_get_item (mm_comparison_get_items (comparison), 0);
  architecture = mm_compare_item_dup_fact (item, MM_COMPARE_FACT_ARCHITECTURE, NULL);
  context = mm_compare_item_dup_fact (item, MM_COMPARE_FACT_CONTEXT_LENGTH, NULL);
  g_assert_cmpstr (architecture, ==, "llama");
  g_assert_cmpstr (context, ==, "2048 tokens");
  g_assert_cmpuint (mm_compare_item_get_shape (item)->layers, ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.compare-remove", NULL));
  g_assert_false (mm_comparison_contains (comparison, REPO, "Q4_K_M"));
  g_assert_null (mm_compare_bar_get_text (bar));
}

static guint
count_rows_of (GtkWidget  *widget,
               const char *repo_id)
{
  guint n = 0;

  if (MM_IS_LIBRARY_ROW (widget))
    return g_strcmp0 (mm_library_entry_get_repo_id (mm_library_row_get_entry (MM_LIBRARY_ROW (widget))),
                      repo_id) == 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows_of (child, repo_id);

  return n;
}

static gboolean
two_pico_rows (gpointer data)
{
  Fixture *fixture = data;

  return count_rows_of (GTK_WIDGET (fixture->page), REPO) == 2;
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_dir = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) error = NULL;

  wait_for_row (fixture, REPO, NULL);
  g_assert_null (mm_library_page_find_row (fixture->page, OTHER_REPO));

  /* Copy a model in, as a file manager would, while the page is open. */
  source = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  target_dir = g_build_filename (fixture->dir, OTHER_REPO, NULL);
  target = g_build_filename (target_dir, "Nano-Q8_0.gguf", NULL);
  g_assert_cmpint (g_mkdir_with_parents (target_dir, 0755), ==, 0);
  from = g_file_new_for_path (source);
  to = g_file_new_for_path (target);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  wait_for_row (fixture, OTHER_REPO, "llama");
  g_assert_nonnull (mm_library_page_find_row (fixture->page, REPO));

  /* A second quantization of a repo joins it under the same heading. */
  g_free (write_gguf (fixture->dir, REPO "/Pico-Q8_0.gguf"));
  mm_test_wait_until (two_pico_rows, fixture, TIMEOUT_MS);
  {
    g_auto(GStrv) headings = mm_library_page_get_repo_headings (fixture->page);
    const char * const expected[] = { OTHER_REPO, REPO, NULL };
    const char * const expected_swapped[] = { REPO, OTHER_REPO, NULL };

    if (g_strcmp0 (OTHER_REPO, REPO) < 0)
      g_assert_cmpstrv (headings, expected);
    else
      g_assert_cmpstrv (headings, expected_swapped);
  }
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_missing (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
has_toast (gpointer data)
{
  Fixture *fixture = data;

  return fixture->toast != NULL;
}

static gboolean
row_says_days_ago (gpointer data)
{
  Fixture *fixture = data;
  MmLibraryRow *row = mm_library_page_find_row (fixture->page, REPO);
  const char *subtitle;

  if (row == NULL)
    return FALSE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  return g_str_has_suffix (subtitle, " · saved 3 days ago");
}

static void
test_date (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) then_minute = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *full = NULL;
  MmLibraryRow *row;

  /* Just written: "just now", last in the subtitle. */
  wait_for_row (fixture, REPO, " · saved just now");
  row = mm_library_page_find_row (fixture->page, REPO);

  /* A file saved three days ago, as after a copy that keeps times. */
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                               (guint64) g_date_time_to_unix (then),
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  _mm_library_reload (fixture->library);
  mm_test_wait_until (row_says_days_ago, fixture, TIMEOUT_MS);

  /* The row's tooltip has the folder, and the full date and time. */
  row = mm_library_page_find_row (fixture->page, REPO);
  then_minute = g_date_time_new_from_unix_local (g_date_time_to_unix (then));
  folder = mm_format_folder (mm_library_entry_get_folder (mm_library_row_get_entry (row)));
  full = g_date_time_format (then_minute, "%-d %B %Y, %H:%M");
  expected = g_strdup_printf ("%s\nSaved on %s", folder, full);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, expected);
}

static gboolean
folder_noted_missing (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *missing = g_build_filename (fixture->dir, "unplugged", NULL);
  const char *note = mm_library_page_get_section_note (fixture->page, missing, NULL);

  return note != NULL && strstr (note, "not found") != NULL;
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "lmstudio", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "unplugged", NULL);
  g_autofree char *nano = NULL;
  gboolean has_heading = TRUE;
  MmLibraryRow *row;

  /* One folder: one list, no heading. */
  wait_for_row (fixture, REPO, NULL);
  g_assert_nonnull (mm_library_page_get_section_note (fixture->page, fixture->dir, &has_heading));
  g_assert_false (has_heading);

  /* Models in a folder of the layout LM Studio uses, an empty folder and
   * one that is not there (an unplugged disk), all inside the first one. */
  nano = write_gguf (other, OTHER_REPO "/Nano-Q8_0.gguf");
  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);
  mm_library_set_folders (fixture->library, (const char * const[]) {
    fixture->dir, other, empty, missing, NULL });

  /* Each model is shown in the section of its folder, under a heading. */
  wait_for_row (fixture, OTHER_REPO, "llama");
  row = mm_library_page_find_row (fixture->page, OTHER_REPO);
  g_assert_cmpstr (mm_library_page_get_row_folder (fixture->page, row), ==, other);
  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_cmpstr (mm_library_page_get_row_folder (fixture->page, row), ==, fixture->dir);
  g_assert_nonnull (mm_library_page_get_section_note (fixture->page, fixture->dir,
                                                      &has_heading));
  g_assert_true (has_heading);

  /* The first folder holds the others: their models are theirs, listed once. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->library)), ==, 2);

  /* Empty and missing folders say so quietly, and break nothing. */
  g_assert_cmpstr (mm_library_page_get_section_note (fixture->page, empty, NULL), ==,
                   "No models in this folder");
  mm_test_wait_until (folder_noted_missing, fixture, TIMEOUT_MS);
  g_assert_cmpstr (mm_library_page_get_state (fixture->page), ==, "list");

  /* Back to one folder. */
  mm_library_set_folders (fixture->library, (const char * const[]) { other, NULL });
  wait_for_row (fixture, OTHER_REPO, NULL);
  g_assert_null (mm_library_page_find_row (fixture->page, REPO));
  g_assert_null (mm_library_page_get_section_note (fixture->page, fixture->dir, NULL));
}

static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return window;
    }
  return NULL;
}

static GtkWidget *
find_widget_of_type (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_buttons (GtkWidget *widget)
{
  /* A menu button counts once, not again for the toggle button inside. */
  guint n = gtk_widget_get_visible (widget) &&
            (GTK_IS_MENU_BUTTON (widget) ||
             (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_buttons (child);
  return n;
}

/* One button (Open Folder) and a menu with Verify Checksum and Delete,
 * a subtitle that wraps, and a footer that counts models and files. */
static void
test_row_actions_and_footer (Fixture       *fixture,
                             gconstpointer  data)
{
  MmLibraryRow *row;
  GtkWidget *menu_button;
  GMenuModel *menu;
  g_autofree char *label = NULL;
  g_autofree char *footer = NULL;
  GtkLabel *total;
  GStrvBuilder *labels = g_strv_builder_new ();
  g_auto(GStrv) all = NULL;

  wait_for_row (fixture, REPO, NULL);
  g_free (write_gguf (fixture->dir, REPO "/Pico-Q8_0.gguf"));
  mm_test_wait_until (two_pico_rows, fixture, TIMEOUT_MS);
  row = mm_library_page_find_row (fixture->page, REPO);

  g_assert_cmpint (adw_action_row_get_subtitle_lines (ADW_ACTION_ROW (row)), ==, 0);
  g_assert_cmpuint (count_buttons (GTK_WIDGET (row)), ==, 2);
  menu_button = find_widget_of_type (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (menu_button), ==, "More Actions");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          g_strv_builder_add (labels, label);
          g_clear_pointer (&label, g_free);
        }
    }
  all = g_strv_builder_end (labels);
  g_strv_builder_unref (labels);
  /* Compare and Stop Comparing: one of them shows, as the row is picked or not. */
  g_assert_cmpstrv (all, ((const char * const[]) { "_Update", "_Use With…", "_Compare",
                                                    "Stop _Comparing", "_Verify Checksum",
                                                    "_Delete", NULL }));

  /* One repo with two quantizations: one model, two files. */
  total = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                    MM_TYPE_LIBRARY_PAGE, "total_label"));
  footer = g_strdup (gtk_label_get_label (total));
  g_assert_true (g_str_has_prefix (footer, "1 model · 2 files · "));
  g_assert_true (g_str_has_suffix (footer, " on disk"));
}

static void
test_delete_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  RowWait gone = { fixture, REPO, NULL };

  wait_for_row (fixture, REPO, NULL);
  /* The row's menu: no question, the toast says exactly what went. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mm_library_page_find_row (fixture->page,
                                                                                   REPO)),
                                             "row.delete", NULL));
  g_assert_null (find_dialog ());

  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  g_assert_cmpstr (adw_toast_get_title (fixture->toast), ==, "Deleted Pico-Q4_K_M.gguf");
  g_assert_cmpstr (adw_toast_get_button_label (fixture->toast), ==, "_Undo");
  mm_test_wait_until (file_missing, path, TIMEOUT_MS);
  mm_test_wait_until (row_gone, &gone, TIMEOUT_MS);

  /* Undo, as the toast's button does. */
  g_signal_emit_by_name (fixture->toast, "button-clicked");
  mm_test_wait_until (file_exists, path, TIMEOUT_MS);
  wait_for_row (fixture, REPO, "llama");

  /* The toast going away after Undo must not delete the files again. The
   * page would commit the delete from the toast's "dismissed" or when the
   * toast lets go of the delete it carries, which is when the toast is
   * finalized; a commit that started ends in the main context. */
  g_signal_emit_by_name (fixture->toast, "dismissed");
  mm_test_wait_finalized (g_steal_pointer (&fixture->toast));
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (mm_library_page_find_row (fixture->page, REPO));
}

/* Verify against the Hub */

/* Puts the bytes the mock Hub serves for @path of @repo_id into the
 * library folder at <repo_id>/<path>, as a copy from elsewhere would,
 * with the byte in the middle changed when @damage. */
static void
copy_from_hub (Fixture    *fixture,
               MmMockHub  *hub,
               const char *repo_id,
               const char *path,
               gboolean    damage)
{
  g_autoptr(GBytes) bytes = mm_mock_hub_read_file (hub, repo_id, path, 0, G_MAXSIZE);
  g_autofree char *target = g_build_filename (fixture->dir, repo_id, path, NULL);
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree guint8 *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_assert_nonnull (bytes);
  data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &size);
  g_assert_cmpuint (size, >, 0);
  if (damage)
    data[size / 2] ^= 0x01;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (target, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);
}

/* Clicks Verify on @name's row and returns the toast's title. */
static const char *
verify_row (Fixture    *fixture,
            const char *name)
{
  MmLibraryRow *row;

  wait_for_row (fixture, name, NULL);
  row = mm_library_page_find_row (fixture->page, name);
  g_clear_object (&fixture->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.verify", NULL));
  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  return adw_toast_get_title (fixture->toast);
}

static MmMockHub *
start_hub (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmHubClient) client = NULL;
  MmMockHub *hub = mm_mock_hub_new (&error);

  g_assert_no_error (error);
  /* Files come after the first scan, which sets up the folder's watch. */
  mm_test_wait_until (not_loading, fixture->library, TIMEOUT_MS);
  client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  _mm_hub_client_set_retry_policy (client, 0, 10);
  mm_library_page_set_client (fixture->page, client);
  return hub;
}

static void
stop_hub (Fixture   *fixture,
          MmMockHub *hub)
{
  mm_library_page_set_client (fixture->page, NULL);
  mm_mock_hub_stop (hub);
  g_object_unref (hub);
}

static void
test_verify_hub (Fixture       *fixture,
                 gconstpointer  data)
{
  MmMockHub *hub = start_hub (fixture);

  /* Copied in, not downloaded: no record, so the Hub's checksum counts. */
  copy_from_hub (fixture, hub, REPO, "Pico-Q4_K_M.gguf", FALSE);
  g_assert_cmpstr (verify_row (fixture, REPO), ==,
                   "Verified Pico-Q4_K_M.gguf: it matches the Hub’s checksum");
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/api/models/" REPO), ==, 1);

  /* One byte changed: the same size, another checksum. */
  copy_from_hub (fixture, hub, REPO, "Pico-Q4_K_M.gguf", TRUE);
  _mm_library_reload (fixture->library);
  mm_test_wait_until (not_loading, fixture->library, TIMEOUT_MS);
  g_assert_cmpstr (verify_row (fixture, REPO), ==,
                   "Pico-Q4_K_M.gguf does not match the Hub’s checksum: the file is damaged, "
                   "was changed, or the Hub has a newer version");

  stop_hub (fixture, hub);
}

static void
test_verify_hub_not_listed (Fixture       *fixture,
                            gconstpointer  data)
{
  MmMockHub *hub = start_hub (fixture);
  g_autofree char *renamed = NULL;

  /* A file the Hub does not list under that name. */
  renamed = write_gguf (fixture->dir, REPO "/my-own-Q5_K_M.gguf");
  g_assert_cmpstr (verify_row (fixture, REPO), ==,
                   "No checksum recorded for my-own-Q5_K_M.gguf, and the Hub lists none");

  stop_hub (fixture, hub);
}

static void
test_verify_hub_not_found (Fixture       *fixture,
                           gconstpointer  data)
{
  MmMockHub *hub = start_hub (fixture);
  g_autofree char *path = write_gguf (fixture->dir, "nobody/Nothing-GGUF/Nothing-Q4_K_M.gguf");
  const char *title = verify_row (fixture, "nobody/Nothing-GGUF");

  g_assert_true (g_str_has_prefix (title, "Could not get the Hub’s checksum: "));
  g_assert_nonnull (strstr (title, "nobody/Nothing-GGUF"));
  stop_hub (fixture, hub);
}

static void
test_verify_hub_offline (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MmHubClient) offline = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  const char *title;

  _mm_hub_client_set_retry_policy (offline, 0, 10);
  mm_library_page_set_client (fixture->page, offline);
  title = verify_row (fixture, REPO);
  g_assert_true (g_str_has_prefix (title, "Could not get the Hub’s checksum: "));
  /* And the button is back. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (gtk_widget_get_template_child (
                       GTK_WIDGET (mm_library_page_find_row (fixture->page, REPO)),
                       MM_TYPE_LIBRARY_ROW, "verify_stack"))), ==, "button");
  mm_library_page_set_client (fixture->page, NULL);
}

static void
test_verify_recorded (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  g_autofree char *state_file = g_build_filename (g_get_user_data_dir (), "model-manager",
                                                  "downloads.json", NULL);
  g_autofree char *state_dir = g_path_get_dirname (state_file);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *json = NULL;
  g_autoptr(MmHubClient) offline = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(GError) error = NULL;
  gsize size;

  /* What the download manager recorded when it finished the file. */
  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
  json = g_strdup_printf ("{\"version\": 1, \"items\": [{\"repo\": \"%s\", "
                          "\"state\": \"completed\", \"files\": [{\"path\": "
                          "\"Pico-Q4_K_M.gguf\", \"size\": %" G_GSIZE_FORMAT ", "
                          "\"sha256\": \"%s\", \"destination\": \"%s\", "
                          "\"completed\": true}]}]}", REPO, size, sha256, path);
  g_assert_cmpint (g_mkdir_with_parents (state_dir, 0755), ==, 0);
  g_file_set_contents (state_file, json, -1, &error);
  g_assert_no_error (error);

  /* The record is enough: the Hub (offline here) is not asked. */
  mm_library_page_set_client (fixture->page, offline);
  g_assert_cmpstr (verify_row (fixture, REPO), ==,
                   "Verified Pico-Q4_K_M.gguf: it matches the checksum recorded at download");
  mm_library_page_set_client (fixture->page, NULL);
}

/* Files in the library folder's .trash-mm, at any depth. */
static guint
count_stashed (const char *dir)
{
  g_autoptr(GDir) children = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (children != NULL && (name = g_dir_read_name (children)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_stashed (path);
      else
        n++;
    }
  return n;
}

typedef struct {
  Fixture    *fixture;
  const char *path;
} DeleteWait;

/* The commit puts the file back where it was and then hands it to the
 * desktop's trash: the delete is final only when both the stash and the
 * original place are empty. */
static gboolean
delete_is_final (gpointer data)
{
  DeleteWait *wait = data;
  g_autofree char *stash = g_build_filename (wait->fixture->dir, MM_LIBRARY_TRASH_FOLDER, NULL);

  return count_stashed (stash) == 0 && !g_file_test (wait->path, G_FILE_TEST_EXISTS);
}

static void
delete_then_close (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  g_autofree char *stash = g_build_filename (fixture->dir, MM_LIBRARY_TRASH_FOLDER, NULL);
  g_autoptr(GtkApplication) application = gtk_application_new (NULL,
                                                               G_APPLICATION_DEFAULT_FLAGS);
  RowWait gone = { fixture, REPO, NULL };
  DeleteWait final = { fixture, path };

  /* The default application, which the page holds while it commits. */
  g_application_set_default (G_APPLICATION (application));
  /* g_file_trash () needs the home folder, which the isolated dirs lack. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);

  wait_for_row (fixture, REPO, NULL);
  mm_library_page_delete_now (fixture->page, mm_library_page_find_row (fixture->page, REPO));
  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  mm_test_wait_until (row_gone, &gone, TIMEOUT_MS);
  g_assert_cmpuint (count_stashed (stash), ==, 1);

  /* The window closes while the Undo toast shows: the delete is final. */
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  mm_test_wait_until (delete_is_final, &final, TIMEOUT_MS);

  /* The toast going away later does not try again. */
  g_signal_emit_by_name (fixture->toast, "dismissed");
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_application_set_default (NULL);
}

static void
test_delete_then_close (Fixture       *fixture,
                        gconstpointer  data)
{
  delete_then_close (fixture);
}

/* libadwaita 1.2's overlay says that a toast it drops was dismissed; the
 * page must not count on it. Here nobody does, as if the toast were still
 * up when the page goes away. */
static void
test_delete_then_close_undismissed (Fixture       *fixture,
                                    gconstpointer  data)
{
  fixture->keep_toasts = TRUE;
  delete_then_close (fixture);
}

static void
test_verify_unknown (Fixture       *fixture,
                     gconstpointer  data)
{
  MmLibraryRow *row;

  /* A file copied in, not downloaded: nothing to compare it with. */
  wait_for_row (fixture, REPO, NULL);
  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.verify", NULL));

  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  g_assert_cmpstr (adw_toast_get_title (fixture->toast), ==,
                   "No checksum recorded for Pico-Q4_K_M.gguf");
}

/* Runs each test in a subprocess with a timeout. GLib only runs the
 * "/subprocess" paths when asked for them. */
static MmUseWithDialog *
find_use_with_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (MM_IS_USE_WITH_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return MM_USE_WITH_DIALOG (window);
    }

  return NULL;
}

static gboolean
use_with_ready_cb (gpointer data)
{
  MmUseWithDialog *dialog = find_use_with_dialog ();

  return dialog != NULL && mm_use_with_dialog_get_ready (dialog);
}

/* "Use With…" on a file whose path needs quoting: every command gives the
 * shell that exact path back, and the context is the model's own 2048
 * tokens (read from its header), which this machine has room for. */
static void
test_use_with (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, data, NULL);
  g_auto(GStrv) argv = NULL;
  MmUseWithDialog *dialog;
  MmLibraryRow *row;

  wait_for_row (fixture, REPO, NULL);
  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.use-with", NULL));
  mm_test_wait_until (use_with_ready_cb, NULL, TIMEOUT_MS);
  dialog = find_use_with_dialog ();

  g_assert_true (g_shell_parse_argv (mm_use_with_dialog_get_command (dialog, "llama-server"),
                                     NULL, &argv, NULL));
  g_assert_cmpstrv (argv, ((const char * const[]) { "llama-server", "-m", path, "-c", "2048",
                                                    NULL }));
  g_clear_pointer (&argv, g_strfreev);
  g_assert_true (g_shell_parse_argv (mm_use_with_dialog_get_command (dialog, "lms"), NULL,
                                     &argv, NULL));
  g_assert_cmpstrv (argv, ((const char * const[]) { "lms", "import", path, NULL }));
  g_assert_nonnull (strstr (mm_use_with_dialog_get_command (dialog, "modelfile"),
                            "PARAMETER num_ctx 2048\n"));
  g_assert_true (g_str_has_prefix (mm_use_with_dialog_get_command (dialog, "ollama"),
                                   "ollama create pico:"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
row_has_update (gpointer data)
{
  Fixture *fixture = data;
  MmLibraryRow *row = mm_library_page_find_row (fixture->page, REPO);

  return row != NULL && mm_library_row_get_update (row) != NULL;
}

static gboolean
row_has_no_update (gpointer data)
{
  Fixture *fixture = data;
  MmLibraryRow *row = mm_library_page_find_row (fixture->page, REPO);

  return row != NULL && mm_library_row_get_update (row) == NULL;
}

/* A downloaded file changes on the Hub: Check for Updates finds it, the
 * row says "Update available" with the date and offers Update, which
 * replaces the file with the new version and says so. */
static void
test_update (Fixture       *fixture,
             gconstpointer  data)
{
  MmMockHub *hub = start_hub (fixture);
  g_autofree char *path = g_build_filename (fixture->dir, REPO, "Pico-Q4_K_M.gguf", NULL);
  g_autofree char *state_dir = g_build_filename (g_get_user_data_dir (), "model-manager", NULL);
  g_autofree char *state_file = g_build_filename (state_dir, "downloads.json", NULL);
  g_autofree char *sha256 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  GtkLabel *updates_label;
  MmLibraryRow *row;
  guint64 size = 0;
  gsize len = 0;

  copy_from_hub (fixture, hub, REPO, "Pico-Q4_K_M.gguf", FALSE);
  g_assert_true (mm_mock_hub_lookup_file (hub, REPO, "Pico-Q4_K_M.gguf", &size, &sha256));
  json = g_strdup_printf ("{\"version\": 1, \"items\": [{\"repo\": \"%s\", \"commit\": "
                          "\"5668b11d231950a81d3b4b1ef40e2c0e67ea45bc\", \"quant\": \"Q4_K_M\", "
                          "\"download-dir\": \"%s\", \"state\": \"completed\", \"files\": "
                          "[{\"path\": \"Pico-Q4_K_M.gguf\", \"size\": %" G_GUINT64_FORMAT ", "
                          "\"sha256\": \"%s\", \"destination\": \"%s\", \"completed\": true}]}]}",
                          REPO, fixture->dir, size, sha256, path);
  g_assert_cmpint (g_mkdir_with_parents (state_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (state_file, json, -1, NULL));
  wait_for_row (fixture, REPO, NULL);
  updates_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                            MM_TYPE_LIBRARY_PAGE,
                                                            "updates_label"));
  g_assert_cmpstr (gtk_label_get_label (updates_label), ==, "Not checked for updates yet");

  g_assert_true (mm_mock_hub_set_file_version (hub, REPO, "Pico-Q4_K_M.gguf", 2));
  g_assert_true (mm_mock_hub_set_repo_commit (hub, REPO, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
                                              "2026-11-30T10:20:30.000Z"));
  g_clear_object (&fixture->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "library.check-updates", NULL));
  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  g_assert_cmpstr (adw_toast_get_title (fixture->toast), ==, "1 model has an update");
  mm_test_wait_until (row_has_update, fixture, TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_label (updates_label), ==, "1 update available");

  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Update available (changed 30 November 2026, "));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (row), MM_TYPE_LIBRARY_ROW, "update_button"))));

  g_clear_object (&fixture->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.update", NULL));
  mm_test_wait_until (has_toast, fixture, TIMEOUT_MS);
  g_assert_cmpstr (adw_toast_get_title (fixture->toast), ==, "Pico-Q4_K_M.gguf was updated");
  mm_test_wait_until (row_has_no_update, fixture, TIMEOUT_MS);
  row = mm_library_page_find_row (fixture->page, REPO);
  g_assert_false (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                    "Update available"));

  expected = mm_mock_hub_read_file (hub, REPO, "Pico-Q4_K_M.gguf", 0, G_MAXSIZE);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpuint (len, ==, g_bytes_get_size (expected));
  g_assert_true (memcmp (contents, g_bytes_get_data (expected, NULL), len) == 0);

  /* Verify now compares with the new version's checksum. */
  g_assert_cmpstr (verify_row (fixture, REPO), ==,
                   "Verified Pico-Q4_K_M.gguf: it matches the checksum recorded at download");

  stop_hub (fixture, hub);
}

static void
run_in_subprocess (gconstpointer data)
{
  const char *path = data;

  g_test_trap_subprocess (path, SUBPROCESS_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

#define ADD_TEST(path, file, func) \
  G_STMT_START { \
    g_test_add ("/subprocess" path, Fixture, file, fixture_set_up, func, fixture_tear_down); \
    g_test_add_data_func (path, "/subprocess" path, run_in_subprocess); \
  } G_STMT_END

/* A widget below @widget that is a label saying @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The Hugging Face cache: its own section, a badge on its rows, and what
 * is wrong with a broken one instead of its facts. */
static void
test_hf_cache (Fixture       *fixture,
               gconstpointer  data)
{
  const char *commit = "0123456789abcdef0123456789abcdef01234567";
  const char *blob_id = "5f1c0c4d0c2e9b6c1a8f3e2d4b5a69788796a5b4c3d2e1f00112233445566778";
  g_autofree char *cache = g_build_filename (fixture->dir, ".hf", "hub", NULL);
  g_autofree char *blob = NULL;
  g_autofree char *link = g_build_filename (cache, "models--org--Cached-GGUF", "snapshots",
                                            commit, "Cached-Q4_K_M.gguf", NULL);
  g_autofree char *dangling = g_build_filename (cache, "models--org--Broken-GGUF", "snapshots",
                                                commit, "Broken-Q8_0.gguf", NULL);
  g_autofree char *dangling_dir = g_path_get_dirname (dangling);
  g_autofree char *link_dir = g_path_get_dirname (link);
  g_autofree char *relative = g_build_filename (".hf", "hub", "models--org--Cached-GGUF", "blobs",
                                                blob_id, NULL);
  g_autofree char *target = g_strconcat ("../../blobs/", blob_id, NULL);
  MmLibraryRow *row;
  MmLibraryRow *broken;

  blob = write_gguf (fixture->dir, relative);
  g_assert_cmpint (g_mkdir_with_parents (link_dir, 0755), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dangling_dir, 0755), ==, 0);
  g_assert_cmpint (symlink (target, dangling), ==, 0);

  mm_library_set_hf_cache_folder (fixture->library, cache);
  wait_for_row (fixture, "org/Cached-GGUF", "llama");
  wait_for_row (fixture, "org/Broken-GGUF", "missing");

  row = mm_library_page_find_row (fixture->page, "org/Cached-GGUF");
  broken = mm_library_page_find_row (fixture->page, "org/Broken-GGUF");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (row), MM_TYPE_LIBRARY_ROW, "cache_label"))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (broken), MM_TYPE_LIBRARY_ROW, "cache_label"))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (
    gtk_widget_get_template_child (GTK_WIDGET (broken), MM_TYPE_LIBRARY_ROW,
                                   "incomplete_image"))));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (broken)), "Reading"));
  /* A section of its own, with a heading (the download folder gets one too). */
  g_assert_true (has_label (GTK_WIDGET (fixture->page), "Hugging Face Cache"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Isolated directories, but the system's icon theme. */
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  adw_init ();

  ADD_TEST ("/mm/library-ui/empty", NULL, test_empty);
  ADD_TEST ("/mm/library-ui/lists-facts", REPO "/Pico-Q4_K_M.gguf", test_lists_facts);
  ADD_TEST ("/mm/library-ui/live", REPO "/Pico-Q4_K_M.gguf", test_live);
  ADD_TEST ("/mm/library-ui/compare", REPO "/Pico-Q4_K_M.gguf", test_compare);
  ADD_TEST ("/mm/library-ui/date", REPO "/Pico-Q4_K_M.gguf", test_date);
  ADD_TEST ("/mm/library-ui/folders", REPO "/Pico-Q4_K_M.gguf", test_folders);
  ADD_TEST ("/mm/library-ui/verify-hub", NULL, test_verify_hub);
  ADD_TEST ("/mm/library-ui/hf-cache", NULL, test_hf_cache);
  ADD_TEST ("/mm/library-ui/verify-hub-not-listed", NULL, test_verify_hub_not_listed);
  ADD_TEST ("/mm/library-ui/verify-hub-not-found", NULL, test_verify_hub_not_found);
  ADD_TEST ("/mm/library-ui/verify-hub-offline", REPO "/Pico-Q4_K_M.gguf",
            test_verify_hub_offline);
  ADD_TEST ("/mm/library-ui/verify-recorded", REPO "/Pico-Q4_K_M.gguf", test_verify_recorded);
  ADD_TEST ("/mm/library-ui/verify-unknown", REPO "/Pico-Q4_K_M.gguf", test_verify_unknown);
  ADD_TEST ("/mm/library-ui/update", NULL, test_update);
  ADD_TEST ("/mm/library-ui/use-with", REPO "/Pico it's \"odd\" Q4_K_M.gguf", test_use_with);
  ADD_TEST ("/mm/library-ui/delete-undo", REPO "/Pico-Q4_K_M.gguf", test_delete_undo);
  ADD_TEST ("/mm/library-ui/row-actions-and-footer", REPO "/Pico-Q4_K_M.gguf",
            test_row_actions_and_footer);
  ADD_TEST ("/mm/library-ui/delete-then-close", REPO "/Pico-Q4_K_M.gguf",
            test_delete_then_close);
  ADD_TEST ("/mm/library-ui/delete-then-close-undismissed", REPO "/Pico-Q4_K_M.gguf",
            test_delete_then_close_undismissed);

  return g_test_run ();
}
