/* test-preferences.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Preferences window against the memory GSettings backend, an
 * in-memory token store and the mock Hub: controls change the keys live, an
 * invalid Hub address is never saved, a token is saved only after the Hub
 * accepted it. Also the first-run question about LM Studio's folder, and a
 * main window that gets a new Hub client. Every wait has a timeout.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mm-first-run.h"
#include "mm-gpu-private.h"
#include "mm-hub-client-private.h"
#include "mm-machine-private.h"
#include "mm-memory-token-store-private.h"
#include "mm-mock-hub.h"
#include "mm-preferences-window.h"
#include "mm-settings-private.h"
#include "mm-test-utils.h"
#include "mm-token-chain-private.h"
#include "mm-window.h"

#define NBSP "\302\240"
#define TIMEOUT_MS 15000

static MmMockHub *hub;

typedef struct {
  GSettings *gsettings;
  MmMemoryTokenStore *store;
  MmSettings *settings;
  MmTokenChain *chain;
  MmPreferencesWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_unsetenv ("HF_TOKEN");
  g_unsetenv ("HUGGING_FACE_HUB_TOKEN");
  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);

  /* The real schema, on a memory backend of this test's own. */
  fixture->settings = _mm_settings_new_in_memory ();
  fixture->gsettings = g_object_ref (mm_settings_get_gsettings (fixture->settings));
  fixture->store = mm_memory_token_store_new ();
  fixture->chain = mm_token_chain_new (fixture->settings, MM_TOKEN_STORE (fixture->store));
}

static gboolean
not_busy_cb (gpointer data)
{
  return !mm_preferences_window_get_busy (data);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref_sink (mm_preferences_window_new (NULL, fixture->chain));
  gtk_window_present (GTK_WINDOW (fixture->window));
  mm_test_wait_until (not_busy_cb, fixture->window, TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      mm_test_wait_finalized (g_steal_pointer (&fixture->window));
    }
  g_assert_finalize_object (g_steal_pointer (&fixture->chain));
  g_assert_finalize_object (g_steal_pointer (&fixture->settings));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_assert_finalize_object (g_steal_pointer (&fixture->gsettings));
  g_setenv ("HF_ENDPOINT", "http://127.0.0.1:9", TRUE);
  g_unsetenv ("HF_TOKEN");
}

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                   MM_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static const char *
account_title (Fixture *fixture)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (fixture, "account_row")));
}

static const char *
account_subtitle (Fixture *fixture)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "account_row")));
}

static char *
stored_token (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = _mm_token_chain_dup_key (fixture->chain);
  g_autoptr(GError) error = NULL;
  char *token;

  mm_token_store_lookup_async (MM_TOKEN_STORE (fixture->store), key, NULL,
                               mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  token = mm_token_store_lookup_finish (MM_TOKEN_STORE (fixture->store), result, &error);
  g_assert_no_error (error);
  return token;
}

/* Tests */

static void
test_builds (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = NULL;
  g_autofree char *shown = NULL;

  open_window (fixture);

  g_assert_cmpfloat (gtk_adjustment_get_value (child (fixture, "concurrent_adjustment")), ==, 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (child (fixture, "rate_adjustment")), ==, 0);
  g_assert_true (gtk_switch_get_active (child (fixture, "resume_switch")));
  g_assert_cmpuint (adw_combo_row_get_selected (child (fixture, "sort_row")), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (child (fixture, "endpoint_row")), ==, "");

  /* The default folder is shown, and there is nothing to reset. */
  folder = mm_settings_dup_effective_download_folder (fixture->settings);
  shown = mm_format_folder (folder);
  g_assert_true (g_str_has_prefix (shown, "~/"));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (fixture, "folder_row")), ==, shown);
  g_assert_false (gtk_widget_get_visible (child (fixture, "reset_folder_button")));

  /* No token anywhere. */
  g_assert_cmpstr (account_title (fixture), ==, "Not Signed In");
  g_assert_false (gtk_widget_get_visible (child (fixture, "remove_token_button")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "check_token_button")));
}

static void
test_live_changes (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkSpinButton *concurrent;
  GtkSpinButton *rate;
  g_autofree char *sort = NULL;
  g_autofree char *folder = NULL;

  open_window (fixture);
  concurrent = child (fixture, "concurrent_spin");
  rate = child (fixture, "rate_spin");

  /* Widgets → keys. */
  gtk_spin_button_set_value (concurrent, 5);
  g_assert_cmpint (g_settings_get_int (fixture->gsettings, "max-concurrent"), ==, 5);
  gtk_spin_button_set_value (concurrent, 20);
  g_assert_cmpint (g_settings_get_int (fixture->gsettings, "max-concurrent"), ==, 8);

  gtk_spin_button_set_value (rate, 2.5);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==, 2500000);
  gtk_spin_button_set_value (rate, 0);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==, 0);

  gtk_switch_set_active (child (fixture, "resume_switch"), FALSE);
  g_assert_false (g_settings_get_boolean (fixture->gsettings, "auto-resume"));

  adw_combo_row_set_selected (child (fixture, "sort_row"), 2);
  sort = g_settings_get_string (fixture->gsettings, "sort");
  g_assert_cmpstr (sort, ==, "trending");

  /* Keys → widgets (another window, dconf-editor). */
  g_settings_set_int (fixture->gsettings, "max-concurrent", 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (concurrent), ==, 3);
  g_settings_set_uint64 (fixture->gsettings, "rate-limit", 750000);
  g_assert_cmpfloat (gtk_spin_button_get_value (rate), ==, 0.75);
  g_settings_set_string (fixture->gsettings, "download-folder", "/srv/models");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (fixture, "folder_row")), ==,
                   "/srv/models");
  g_assert_true (gtk_widget_get_visible (child (fixture, "reset_folder_button")));

  /* Reset goes back to the default folder. */
  g_signal_emit_by_name (child (fixture, "reset_folder_button"), "clicked");
  folder = g_settings_get_string (fixture->gsettings, "download-folder");
  g_assert_cmpstr (folder, ==, "");
  g_assert_false (gtk_widget_get_visible (child (fixture, "reset_folder_button")));
}

static void
test_endpoint (Fixture       *fixture,
               gconstpointer  data)
{
  AdwEntryRow *row;
  GtkWidget *error_label;
  GtkLabel *env_label;
  g_autofree char *saved = NULL;
  g_autofree char *saved2 = NULL;

  open_window (fixture);
  row = child (fixture, "endpoint_row");
  error_label = child (fixture, "endpoint_error_label");
  env_label = child (fixture, "endpoint_env_label");

  /* HF_ENDPOINT is set (to the mock Hub): the window says it wins, and
   * the address cannot be edited. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (env_label)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_nonnull (strstr (gtk_label_get_label (env_label), mm_mock_hub_get_url (hub)));

  /* Invalid: an error shows while typing, and applying saves nothing. */
  gtk_editable_set_text (GTK_EDITABLE (row), "hf-mirror.com");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_signal_emit_by_name (row, "apply");
  saved = g_settings_get_string (fixture->gsettings, "endpoint");
  g_assert_cmpstr (saved, ==, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));

  /* Valid: saved as normalized, the error goes away. */
  gtk_editable_set_text (GTK_EDITABLE (row), " https://hf-mirror.com/ ");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_signal_emit_by_name (row, "apply");
  saved2 = g_settings_get_string (fixture->gsettings, "endpoint");
  g_assert_cmpstr (saved2, ==, "https://hf-mirror.com");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://hf-mirror.com");
}

static void
test_endpoint_no_environment (Fixture       *fixture,
                              gconstpointer  data)
{
  g_unsetenv ("HF_ENDPOINT");
  g_settings_set_string (fixture->gsettings, "endpoint", "https://hf-mirror.com");
  open_window (fixture);

  g_assert_false (gtk_widget_get_visible (child (fixture, "endpoint_env_label")));
  g_assert_cmpstr (gtk_editable_get_text (child (fixture, "endpoint_row")), ==,
                   "https://hf-mirror.com");
}

/* Folders show with the home folder as ~. */
static void
assert_subtitle_folder (AdwActionRow *row,
                        const char   *path)
{
  g_autofree char *shown = mm_format_folder (path);

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, shown);
}

static gboolean
focus_in (Fixture    *fixture,
          const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  GtkWidget *widget = child (fixture, name);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Turning to the Hub page does not drop the focus into the address, and
 * while HF_ENDPOINT is set the address cannot be edited at all. */
static void
test_endpoint_focus (Fixture       *fixture,
                     gconstpointer  data)
{
  gboolean environment = GPOINTER_TO_INT (data);

  if (!environment)
    g_unsetenv ("HF_ENDPOINT");
  open_window (fixture);
  g_assert_true (gtk_widget_get_sensitive (child (fixture, "endpoint_row")) == !environment);

  for (guint i = 0; i < 2; i++)
    {
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (fixture->window),
                                               child (fixture, "hub_page"));
      mm_test_wait_ms (300);
      g_assert_false (focus_in (fixture, "endpoint_row"));
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->window),
                                                    "downloads");
      mm_test_wait_ms (300);
    }

  /* Add Access Token… still puts it in the token field. */
  mm_preferences_window_show_token (fixture->window);
  mm_test_wait_ms (300);
  g_assert_true (focus_in (fixture, "token_row"));

  /* A window that opens on the Hub page. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  fixture->window = g_object_ref_sink (mm_preferences_window_new (NULL, fixture->chain));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->window), "hub");
  gtk_window_present (GTK_WINDOW (fixture->window));
  mm_test_wait_until (not_busy_cb, fixture->window, TIMEOUT_MS);
  mm_test_wait_ms (300);
  g_assert_false (focus_in (fixture, "endpoint_row"));
}

static void
test_bandwidth_unlimited (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkSpinButton *rate;

  open_window (fixture);
  rate = child (fixture, "rate_spin");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "Unlimited");
  gtk_spin_button_set_value (rate, 2.5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "2.5");
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==, 2500000);

  /* Typed: a number (either decimal mark), or the word back to no limit. */
  gtk_editable_set_text (GTK_EDITABLE (rate), "1,5");
  gtk_spin_button_update (rate);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==, 1500000);
  gtk_editable_set_text (GTK_EDITABLE (rate), "unlimited");
  gtk_spin_button_update (rate);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "Unlimited");
}

/* The Memory page: what the machine found, and the two settings of the
 * estimates, bound to their keys. */
static void
test_memory_page (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MmMachine) machine = mm_machine_new (fixture->settings);
  g_autoptr(GPtrArray) gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  GtkSpinButton *context;
  GtkSpinButton *budget;

  open_window (fixture);
  mm_preferences_window_show_memory (fixture->window);
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (
                     ADW_PREFERENCES_WINDOW (fixture->window)), ==, "memory");

  /* Before a machine is handed over, the GPUs are not known. */
  g_assert_cmpstr (mm_preferences_window_get_gpu_text (fixture->window), ==, "Unknown");

  mm_preferences_window_set_machine (fixture->window, machine);
  g_assert_cmpstr (mm_preferences_window_get_gpu_text (fixture->window), ==, "Looking…");
  g_ptr_array_add (gpus, _mm_gpu_new ("Radeon RX 7900 XTX", "card1", MM_GPU_KIND_DEDICATED,
                                      G_GUINT64_CONSTANT (25753026560)));
  _mm_machine_set_hardware (machine, G_GUINT64_CONSTANT (34359738368), gpus);
  g_assert_cmpstr (mm_preferences_window_get_ram_text (fixture->window), ==, "34.4" NBSP "GB");
  g_assert_cmpstr (mm_preferences_window_get_gpu_text (fixture->window), ==,
                   "Radeon RX 7900 XTX, 25.8" NBSP "GB");
  _mm_machine_set_hardware (machine, G_GUINT64_CONSTANT (34359738368), NULL);
  g_assert_cmpstr (mm_preferences_window_get_gpu_text (fixture->window), ==, "None found");

  context = child (fixture, "context_spin");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (context), ==, 4096);
  gtk_spin_button_set_value (context, 16384);
  g_assert_cmpuint (g_settings_get_uint (fixture->gsettings, "estimate-context"), ==, 16384);
  g_assert_cmpuint (mm_machine_get_context (machine), ==, 16384);
  g_settings_set_uint (fixture->gsettings, "estimate-context", 8192);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (context), ==, 8192);

  budget = child (fixture, "budget_spin");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (budget)), ==, "No Limit");
  gtk_spin_button_set_value (budget, 20);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "ram-budget"), ==, 20000000000);
  g_assert_cmpuint (mm_machine_get_ram_budget (machine), ==, 20000000000);
  gtk_editable_set_text (GTK_EDITABLE (budget), "no limit");
  gtk_spin_button_update (budget);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "ram-budget"), ==, 0);
  /* Nonsense is refused and the setting stays. */
  gtk_editable_set_text (GTK_EDITABLE (budget), "lots");
  gtk_spin_button_update (budget);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "ram-budget"), ==, 0);

  mm_preferences_window_set_machine (fixture->window, NULL);
  g_assert_finalize_object (g_steal_pointer (&machine));
}

static gboolean
title_is_cb (gpointer data)
{
  gpointer *args = data;

  return !mm_preferences_window_get_busy (args[0]) &&
         g_strcmp0 (account_title (args[1]), args[2]) == 0;
}

static void
wait_for_title (Fixture    *fixture,
                const char *title)
{
  gpointer args[] = { fixture->window, fixture, (gpointer) title };

  mm_test_wait_until (title_is_cb, args, TIMEOUT_MS);
}

static void
test_token_check_and_save (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkEditable *token_row;
  GtkWidget *check_button;
  g_autofree char *stored = NULL;
  g_autofree char *after_remove = NULL;

  open_window (fixture);
  token_row = child (fixture, "token_row");
  check_button = child (fixture, "check_token_button");

  gtk_editable_set_text (token_row, "  " MM_MOCK_HUB_TOKEN " ");
  g_assert_true (gtk_widget_get_visible (check_button));
  g_assert_true (gtk_widget_get_sensitive (check_button));
  g_signal_emit_by_name (check_button, "clicked");
  g_assert_true (mm_preferences_window_get_busy (fixture->window));
  wait_for_title (fixture, "Signed in as mock-user");

  /* Saved (stripped), out of sight, and removable. */
  stored = stored_token (fixture);
  g_assert_cmpstr (stored, ==, MM_MOCK_HUB_TOKEN);
  g_assert_cmpstr (gtk_editable_get_text (token_row), ==, "");
  g_assert_nonnull (strstr (account_subtitle (fixture), "keyring"));
  g_assert_true (gtk_widget_get_visible (child (fixture, "remove_token_button")));
  /* One button at a time: Check and Save only while a new token is typed. */
  g_assert_false (gtk_widget_get_visible (check_button));
  gtk_editable_set_text (token_row, "hf_another");
  g_assert_true (gtk_widget_get_visible (check_button));
  g_assert_false (gtk_widget_get_visible (child (fixture, "remove_token_button")));
  gtk_editable_set_text (token_row, "");
  g_assert_true (gtk_widget_get_visible (child (fixture, "remove_token_button")));

  /* Remove: nothing saved any more. */
  g_signal_emit_by_name (child (fixture, "remove_token_button"), "clicked");
  wait_for_title (fixture, "Not Signed In");
  after_remove = stored_token (fixture);
  g_assert_null (after_remove);
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "remove_token_button")));
}

static void
test_token_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *bad = "hf_refusedtoken0123456789abcdefghijklmn";
  GtkEditable *token_row;

  open_window (fixture);
  token_row = child (fixture, "token_row");

  gtk_editable_set_text (token_row, bad);
  g_signal_emit_by_name (child (fixture, "check_token_button"), "clicked");
  wait_for_title (fixture, "The Token Was Not Saved");

  /* Nothing stored, the reason shown without the token, the token kept
   * in the entry to be corrected. */
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
  g_assert_nonnull (strstr (account_subtitle (fixture), "refused"));
  g_assert_null (strstr (account_subtitle (fixture), bad));
  g_assert_cmpstr (gtk_editable_get_text (token_row), ==, bad);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (token_row), "error"));
  g_assert_false (gtk_widget_get_visible (child (fixture, "remove_token_button")));

  /* Typing again clears the error look. */
  gtk_editable_set_text (token_row, "hf_");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (token_row), "error"));
}

static void
test_token_offline (Fixture       *fixture,
                    gconstpointer  data)
{
  g_setenv ("HF_ENDPOINT", "http://127.0.0.1:9", TRUE);
  open_window (fixture);

  gtk_editable_set_text (child (fixture, "token_row"), MM_MOCK_HUB_TOKEN);
  g_signal_emit_by_name (child (fixture, "check_token_button"), "clicked");
  wait_for_title (fixture, "The Token Was Not Saved");
  g_assert_nonnull (strstr (account_subtitle (fixture), "Could not reach the Hub"));
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
}

static void
test_token_from_environment (Fixture       *fixture,
                             gconstpointer  data)
{
  g_setenv ("HF_TOKEN", MM_MOCK_HUB_TOKEN, TRUE);
  open_window (fixture);
  wait_for_title (fixture, "Signed in as mock-user");

  /* Says where it comes from; it is not ours to remove. */
  g_assert_nonnull (strstr (account_subtitle (fixture), "HF_TOKEN"));
  g_assert_null (strstr (account_subtitle (fixture), MM_MOCK_HUB_TOKEN));
  g_assert_false (gtk_widget_get_visible (child (fixture, "remove_token_button")));
}

/* Other library folders */

static guint
n_folder_rows (Fixture *fixture)
{
  GtkListBox *list = child (fixture, "library_list");
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static AdwActionRow *
folder_row (Fixture *fixture,
            guint    index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (child (fixture, "library_list"),
                                                      (int) index);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return ADW_ACTION_ROW (row);
}

/* The first descendant of @widget of @type, depth first. */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = find_descendant (c, type)) != NULL)
        return found;
    }
  return NULL;
}

/* An icon with a tooltip: the note on a folder that was not found. */
static GtkWidget *
find_note (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_IMAGE (c) && gtk_widget_get_tooltip_text (c) != NULL)
        return c;
      if ((found = find_note (c)) != NULL)
        return found;
    }
  return NULL;
}

static char *
make_folder (const char *name)
{
  char *path = g_build_filename (g_get_home_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  return path;
}

static void
test_library_folders_add_remove (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *models = make_folder ("Other Models");
  g_autofree char *download = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (models);
  g_autoptr(GFile) download_file = NULL;
  g_auto(GStrv) saved = NULL;
  GtkWidget *remove;
  AdwActionRow *row;

  open_window (fixture);
  download = mm_settings_dup_effective_download_folder (fixture->settings);
  download_file = g_file_new_for_path (download);

  /* Nothing but the download folder yet, and no LM Studio to offer. */
  g_assert_cmpuint (n_folder_rows (fixture), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "library_list")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "lm_studio_row")));
  g_assert_true (gtk_widget_get_visible (child (fixture, "add_folder_row")));

  /* What the folder chooser does with the folder chosen: live. */
  g_assert_true (mm_preferences_window_add_library_folder (fixture->window, file));
  saved = g_settings_get_strv (fixture->gsettings, "library-folders");
  g_assert_cmpstrv (saved, ((const char * const[]) { models, NULL }));
  g_clear_pointer (&saved, g_strfreev);
  g_assert_cmpuint (n_folder_rows (fixture), ==, 1);
  g_assert_true (gtk_widget_get_visible (child (fixture, "library_list")));
  row = folder_row (fixture, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Other Models");
  assert_subtitle_folder (row, models);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "~/"));

  /* The same folder again, or the download folder: nothing changes. */
  g_assert_false (mm_preferences_window_add_library_folder (fixture->window, file));
  g_assert_false (mm_preferences_window_add_library_folder (fixture->window, download_file));
  g_assert_false (mm_preferences_window_add_library_folder (fixture->window, NULL));
  saved = g_settings_get_strv (fixture->gsettings, "library-folders");
  g_assert_cmpstrv (saved, ((const char * const[]) { models, NULL }));
  g_clear_pointer (&saved, g_strfreev);
  g_assert_cmpuint (n_folder_rows (fixture), ==, 1);

  /* The row's remove button: labelled for everyone, and live. */
  remove = find_descendant (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  g_assert_nonnull (remove);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (remove), ==, "Remove from Library");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (remove)), ==, "window-close-symbolic");
  g_signal_emit_by_name (remove, "clicked");
  saved = g_settings_get_strv (fixture->gsettings, "library-folders");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);
  g_assert_cmpuint (n_folder_rows (fixture), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (fixture, "library_list")));
}

static void
test_library_folders_from_outside (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *first = make_folder ("first");
  g_autofree char *second = make_folder ("second");
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "unplugged", NULL);
  GtkWidget *note;

  open_window (fixture);

  /* Another window, or dconf-editor, changes the key. */
  g_settings_set_strv (fixture->gsettings, "library-folders",
                       (const char * const[]) { first, second, missing, NULL });
  g_assert_cmpuint (n_folder_rows (fixture), ==, 3);
  assert_subtitle_folder (folder_row (fixture, 1), second);

  /* A folder that does not exist is listed with a quiet note. */
  g_assert_null (find_note (GTK_WIDGET (folder_row (fixture, 0))));
  note = find_note (GTK_WIDGET (folder_row (fixture, 2)));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (note), "not found"));

  /* The download folder moves to one of them: it is no longer an "other" one. */
  g_settings_set_string (fixture->gsettings, "download-folder", first);
  g_assert_cmpuint (n_folder_rows (fixture), ==, 2);
  assert_subtitle_folder (folder_row (fixture, 0), second);

  g_settings_reset (fixture->gsettings, "library-folders");
  g_assert_cmpuint (n_folder_rows (fixture), ==, 0);
}

static void
test_library_folders_lm_studio (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *lm_studio = g_build_filename (g_get_home_dir (), ".lmstudio", "models", NULL);
  g_auto(GStrv) saved = NULL;
  AdwActionRow *offer;

  g_assert_cmpint (g_mkdir_with_parents (lm_studio, 0700), ==, 0);
  open_window (fixture);

  /* Found and not listed: offered with one click. */
  offer = child (fixture, "lm_studio_row");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (offer)));
  assert_subtitle_folder (offer, lm_studio);
  adw_action_row_activate (offer);

  saved = g_settings_get_strv (fixture->gsettings, "library-folders");
  g_assert_cmpstrv (saved, ((const char * const[]) { lm_studio, NULL }));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (offer)));
  g_assert_cmpuint (n_folder_rows (fixture), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (folder_row (fixture, 0))),
                   ==, "LM Studio");

  /* Not offered either when it is the download folder. */
  g_settings_reset (fixture->gsettings, "library-folders");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (offer)));
  g_settings_set_string (fixture->gsettings, "download-folder", lm_studio);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (offer)));
  g_assert_cmpuint (n_folder_rows (fixture), ==, 0);
}

/* First run */

static void
test_first_run_lm_studio (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *lm_studio = g_build_filename (g_get_home_dir (), ".lmstudio", "models", NULL);
  g_autoptr(GtkWindow) parent = g_object_ref_sink (GTK_WINDOW (gtk_window_new ()));
  g_autofree char *folder = NULL;
  AdwMessageDialog *dialog;

  g_assert_cmpint (g_mkdir_with_parents (lm_studio, 0700), ==, 0);
  gtk_window_present (parent);

  dialog = mm_first_run_offer_lm_studio_folder (parent, fixture->settings);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "use"));
  g_assert_false (g_settings_get_boolean (fixture->gsettings, "first-run-done"));

  adw_message_dialog_response (dialog, "use");
  folder = g_settings_get_string (fixture->gsettings, "download-folder");
  g_assert_cmpstr (folder, ==, lm_studio);
  g_assert_true (g_settings_get_boolean (fixture->gsettings, "first-run-done"));

  /* Asked once only. */
  g_assert_null (mm_first_run_offer_lm_studio_folder (parent, fixture->settings));

  gtk_window_destroy (parent);
  mm_test_wait_finalized (g_steal_pointer (&parent));
}

static void
test_first_run_keep_default (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *older = g_build_filename (g_get_home_dir (), ".cache", "lm-studio", "models",
                                             NULL);
  g_autoptr(GtkWindow) parent = g_object_ref_sink (GTK_WINDOW (gtk_window_new ()));
  g_autofree char *folder = NULL;
  AdwMessageDialog *dialog;

  g_assert_cmpint (g_mkdir_with_parents (older, 0700), ==, 0);
  dialog = mm_first_run_offer_lm_studio_folder (parent, fixture->settings);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "keep");
  folder = g_settings_get_string (fixture->gsettings, "download-folder");
  g_assert_cmpstr (folder, ==, "");
  g_assert_true (g_settings_get_boolean (fixture->gsettings, "first-run-done"));

  gtk_window_destroy (parent);
  mm_test_wait_finalized (g_steal_pointer (&parent));
}

static void
test_first_run_nothing_to_ask (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GtkWindow) parent = g_object_ref_sink (GTK_WINDOW (gtk_window_new ()));

  /* No LM Studio: no question, and none the next time either. */
  g_assert_null (mm_first_run_offer_lm_studio_folder (parent, fixture->settings));
  g_assert_true (g_settings_get_boolean (fixture->gsettings, "first-run-done"));

  gtk_window_destroy (parent);
  mm_test_wait_finalized (g_steal_pointer (&parent));
}

/* The main window with a new client */

static gboolean
window_has_results_cb (gpointer data)
{
  MmWindow *window = data;
  GListModel *results = mm_window_get_results (window);

  return g_strcmp0 (mm_window_get_results_state (window), "results") == 0 &&
         results != NULL && g_list_model_get_n_items (results) > 0;
}

static gboolean
window_offline_cb (gpointer data)
{
  return g_strcmp0 (mm_window_get_results_state (data), "error") == 0;
}

static void
test_window_new_client (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MmHubClient) offline = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(MmHubClient) online = NULL;
  MmWindow *window;

  _mm_hub_client_set_retry_policy (offline, 0, 10);
  window = g_object_ref_sink (mm_window_new (NULL, offline, fixture->gsettings));
  gtk_window_present (GTK_WINDOW (window));
  mm_test_wait_until (window_offline_cb, window, TIMEOUT_MS);

  /* What the application does when the endpoint or token changes. */
  online = mm_settings_create_client (fixture->settings, MM_MOCK_HUB_TOKEN);
  g_assert_cmpstr (mm_hub_client_get_endpoint (online), ==, mm_mock_hub_get_url (hub));
  mm_window_set_client (window, online);
  mm_test_wait_until (window_has_results_cb, window, TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  mm_test_wait_finalized (window);
  g_assert_finalize_object (g_steal_pointer (&offline));
  g_assert_finalize_object (g_steal_pointer (&online));
}

/* "Save downloads in", and where the Hugging Face cache was found. */
static void
test_download_location (Fixture       *fixture,
                        gconstpointer  data)
{
  AdwComboRow *location;
  AdwActionRow *cache_row;
  g_autofree char *cache_hub = g_build_filename (g_get_user_cache_dir (), "elsewhere", "hub",
                                                 NULL);
  g_autofree char *shown = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *nick = NULL;

  open_window (fixture);
  location = ADW_COMBO_ROW (child (fixture, "location_row"));
  cache_row = ADW_ACTION_ROW (child (fixture, "hf_cache_row"));

  /* The default: the Models folder. */
  g_assert_cmpuint (adw_combo_row_get_selected (location), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (child (fixture, "folder_row")));

  /* Choosing the cache saves the setting; the folder row is not where
   * new downloads go any more. */
  adw_combo_row_set_selected (location, 1);
  nick = g_settings_get_string (fixture->gsettings, "download-location");
  g_assert_cmpstr (nick, ==, "hf-cache");
  g_assert_false (gtk_widget_get_sensitive (child (fixture, "folder_row")));
  g_settings_set_string (fixture->gsettings, "download-location", "models-folder");
  g_assert_cmpuint (adw_combo_row_get_selected (location), ==, 0);

  /* Where the cache is, and by which variable: HF_HUB_CACHE here. */
  g_setenv ("HF_HUB_CACHE", cache_hub, TRUE);
  g_settings_set_string (fixture->gsettings, "download-location", "hf-cache");
  shown = mm_format_folder (cache_hub);
  expected = g_strdup_printf ("%s, set by HF_HUB_CACHE — nothing there yet", shown);
  g_assert_cmpstr (adw_action_row_get_subtitle (cache_row), ==, expected);
  g_assert_false (gtk_widget_get_visible (child (fixture, "open_cache_button")));
  g_assert_cmpint (g_mkdir_with_parents (cache_hub, 0755), ==, 0);
  g_settings_set_string (fixture->gsettings, "download-location", "models-folder");
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s, set by HF_HUB_CACHE", shown);
  g_assert_cmpstr (adw_action_row_get_subtitle (cache_row), ==, expected);
  g_assert_true (gtk_widget_get_visible (child (fixture, "open_cache_button")));
  g_unsetenv ("HF_HUB_CACHE");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Isolated directories for what the app writes, but the system's icon
   * theme: without it GTK falls back to icons it cannot load. */
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  /* Never the person's keyring. */
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);
  adw_init ();

  hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/app/preferences" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/builds", test_builds);
  ADD ("/live-changes", test_live_changes);
  ADD ("/endpoint/validation", test_endpoint);
  ADD ("/endpoint/no-environment", test_endpoint_no_environment);
  g_test_add ("/app/preferences/endpoint/focus/environment", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_endpoint_focus, fixture_teardown);
  g_test_add ("/app/preferences/endpoint/focus/no-environment", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_endpoint_focus, fixture_teardown);
  ADD ("/bandwidth/unlimited", test_bandwidth_unlimited);
  ADD ("/memory", test_memory_page);
  ADD ("/token/check-and-save", test_token_check_and_save);
  ADD ("/token/refused", test_token_refused);
  ADD ("/token/offline", test_token_offline);
  ADD ("/token/from-environment", test_token_from_environment);
  ADD ("/library-folders/add-remove", test_library_folders_add_remove);
  ADD ("/library-folders/from-outside", test_library_folders_from_outside);
  ADD ("/library-folders/lm-studio", test_library_folders_lm_studio);
  ADD ("/first-run/lm-studio", test_first_run_lm_studio);
  ADD ("/first-run/keep-default", test_first_run_keep_default);
  ADD ("/first-run/nothing-to-ask", test_first_run_nothing_to_ask);
  ADD ("/window/new-client", test_window_new_client);
  ADD ("/download-location", test_download_location);

  ret = g_test_run ();

  mm_mock_hub_stop (hub);
  g_clear_object (&hub);

  return ret;
}
