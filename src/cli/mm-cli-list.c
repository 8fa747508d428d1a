/* mm-cli-list.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `model-manager-cli list [--json] [--dir DIR]…`: the models on disk, as
 * the app's Library shows them: grouped by repo, one line per
 * quantization (a split set is one line), with what each file's GGUF
 * header says. Without --dir, the folders the app's Library shows: the
 * download folder, then the other library folders from the settings.
 */
#define G_LOG_DOMAIN "mm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "mm-cli-commands.h"
#include "mm-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILURE_ 1

static gboolean
not_loading (MmLibrary *library)
{
  return !mm_library_get_loading (library);
}

typedef struct {
  guint pending;
} InfoWait;

static void
load_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  InfoWait *wait = user_data;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  /* A header that cannot be read leaves its facts empty; the entry stays. */
  info = mm_library_entry_load_info_finish (MM_LIBRARY_ENTRY (source), result, &error);
  if (info == NULL)
    g_debug ("%s", error->message);
  wait->pending--;
}

/* A name from the disk, safe to print on a terminal. */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static void
print_json (MmLibrary *library,
            guint64    total_memory,
            MmMachine *machine)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GListModel *model = G_LIST_MODEL (library);

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (model, i);
      g_autoptr(GDateTime) modified = mm_library_entry_get_modified (entry);
      g_autoptr(MmMemoryEstimate) estimate = NULL;
      gboolean loaded = mm_library_entry_get_info_state (entry) == MM_LIBRARY_INFO_STATE_LOADED;

      estimate = mm_library_entry_estimate_memory (entry, 0, total_memory);

      json_builder_begin_object (builder);
      mm_json_builder_add_string (builder, "repo", mm_library_entry_get_repo_id (entry));
      mm_json_builder_add_string (builder, "name", mm_library_entry_get_name (entry));
      mm_json_builder_add_string (builder, "folder", mm_library_entry_get_folder (entry));
      mm_json_builder_add_string (builder, "library_folder", mm_library_entry_get_root (entry));
      json_builder_set_member_name (builder, "hf_cache");
      json_builder_add_boolean_value (builder, mm_library_entry_get_in_hf_cache (entry));
      mm_json_builder_add_string (builder, "problem", mm_library_entry_get_problem (entry));
      mm_json_builder_add_string (builder, "quant", mm_library_entry_get_quant (entry));
      mm_json_builder_add_string (builder, "label", mm_library_entry_get_label (entry));
      mm_json_builder_add_string (builder, "kind",
                                  mm_library_entry_get_kind (entry) == MM_QUANT_KIND_PROJECTOR
                                  ? "projector" : "model");
      mm_json_builder_add_uint (builder, "size", mm_library_entry_get_size (entry), TRUE);
      mm_json_builder_add_date (builder, "modified", modified);
      mm_json_builder_add_uint (builder, "split_count", mm_library_entry_get_split_count (entry),
                                mm_library_entry_get_is_split (entry));
      json_builder_set_member_name (builder, "complete");
      json_builder_add_boolean_value (builder, mm_library_entry_get_is_complete (entry));
      mm_json_builder_add_string (builder, "architecture",
                                  mm_library_entry_get_architecture (entry));
      mm_json_builder_add_uint (builder, "parameters",
                                mm_library_entry_get_parameters (entry),
                                loaded && mm_library_entry_get_parameters (entry) != 0);
      mm_json_builder_add_uint (builder, "context_length",
                                mm_library_entry_get_context_length (entry),
                                loaded && mm_library_entry_get_context_length (entry) != 0);
      mm_json_builder_add_uint (builder, "memory_needed", estimate->total, TRUE);
      mm_json_builder_add_string (builder, "fit", mm_fit_to_string (estimate->fit));
      /* Where it runs here, as the app's Library says: GPU, partly, CPU. */
      if (loaded && mm_library_entry_get_kind (entry) == MM_QUANT_KIND_MODEL)
        {
          g_autoptr(MmMemoryEstimate) placed = mm_library_entry_estimate_for_machine (entry,
                                                                                     machine);

          mm_json_builder_add_string (builder, "placement",
                                      mm_placement_to_string (placed->placement));
        }
      else
        {
          mm_json_builder_add_string (builder, "placement", NULL);
        }
      mm_json_builder_add_string (builder, "error", mm_library_entry_get_info_error (entry) != NULL
                                  ? mm_library_entry_get_info_error (entry)->message : NULL);

      json_builder_set_member_name (builder, "files");
      json_builder_begin_array (builder);
      for (guint j = 0; j < mm_library_entry_get_n_files (entry); j++)
        {
          const MmLibraryFile *file = mm_library_entry_get_file (entry, j);
          g_autoptr(GDateTime) file_date = g_date_time_new_from_unix_local (file->modified);

          json_builder_begin_object (builder);
          mm_json_builder_add_string (builder, "path", file->path);
          mm_json_builder_add_uint (builder, "size", file->size, TRUE);
          mm_json_builder_add_date (builder, "modified", file_date);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_text (MmLibrary          *library,
            const char * const *folders)
{
  GListModel *model = G_LIST_MODEL (library);
  const char *last_name = NULL;
  const char *last_folder = NULL;
  guint n = g_list_model_get_n_items (model);
  g_autofree char *total = NULL;

  if (n == 0)
    {
      for (guint i = 0; folders[i] != NULL; i++)
        {
          g_autofree char *folder = printable (folders[i]);

          /* Translators: %s is a folder */
          g_print (_("No models in %s.\n"), folder);
        }
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *label = printable (mm_library_entry_get_label (entry));
      g_autofree char *size = mm_format_size (mm_library_entry_get_size (entry));
      g_autofree char *params = mm_format_params (mm_library_entry_get_parameters (entry));
      g_autofree char *files = NULL;
      g_autofree char *context = NULL;
      g_autofree char *arch = NULL;
      guint n_files = mm_library_entry_get_n_files (entry);

      /* The same repo in two library folders is two groups. */
      if (g_strcmp0 (last_name, mm_library_entry_get_name (entry)) != 0 ||
          g_strcmp0 (last_folder, mm_library_entry_get_folder (entry)) != 0)
        {
          g_autofree char *name = printable (mm_library_entry_get_name (entry));
          g_autofree char *folder = printable (mm_library_entry_get_folder (entry));

          g_print ("%s%s  (%s)\n", i > 0 ? "\n" : "", name, folder);
          last_name = mm_library_entry_get_name (entry);
          last_folder = mm_library_entry_get_folder (entry);
        }

      if (mm_library_entry_get_is_split (entry))
        /* Translators: the parts of a split model on disk, e.g. "2 of 3 parts" */
        files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u part",
                                              "%u of %u parts",
                                              mm_library_entry_get_split_count (entry)),
                                 n_files, mm_library_entry_get_split_count (entry));
      else
        files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n_files),
                                 n_files);

      if (mm_library_entry_get_context_length (entry) != 0)
        /* Translators: a model's context length in tokens */
        context = g_strdup_printf (_("%" PRIu64 " context"),
                                   mm_library_entry_get_context_length (entry));
      arch = printable (mm_library_entry_get_architecture (entry) != NULL
                        ? mm_library_entry_get_architecture (entry) : "—");

      g_print ("  %-12s %-14s %10s  %-10s %-20s %s\n", label, files, size, arch,
               params != NULL ? params : "—", context != NULL ? context : "—");
      if (mm_library_entry_get_problem (entry) != NULL)
        {
          g_autofree char *problem = printable (mm_library_entry_get_problem (entry));

          g_print ("  %-12s %s\n", "", problem);
        }
    }

  total = mm_format_size (mm_library_get_total_size (library));
  /* Translators: the summary under the list; %u is a number of models, %s a size */
  g_print ("\n");
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u model, %s\n", "%u models, %s\n", n), n, total);
}

int
mm_cli_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmLibrary) library = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_auto(GStrv) dirs = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  gboolean json = FALSE;
  InfoWait wait = { 0 };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs,
      N_("A folder of models (may be given more than once; default: the download folder "
         "and the other library folders)"),
      N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("— list the models on disk"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("model-manager-cli: %s\n\n%s",
                  error != NULL ? error->message : _("The list command takes no arguments."),
                  help);
      return EXIT_USAGE;
    }

  /* The app's folders, and its context length and RAM budget for --json. */
  settings = mm_cli_settings (&error);
  if (settings == NULL)
    {
      g_printerr ("model-manager-cli: %s\n", error->message);
      return EXIT_FAILURE_;
    }

  if (dirs != NULL && dirs[0] != NULL)
    {
      for (guint i = 0; dirs[i] != NULL; i++)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (dirs[i]);
          g_autofree char *path = g_file_get_path (file);

          if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR))
            {
              g_autofree char *shown = printable (dirs[i]);

              /* Translators: %s is a folder given on the command line */
              g_printerr (_("model-manager-cli: “%s” is not a folder.\n"), shown);
              return EXIT_FAILURE_;
            }
          g_ptr_array_add (folders, g_steal_pointer (&path));
        }
    }
  else
    {
      g_auto(GStrv) library_folders = mm_settings_dup_library_folders (settings);

      for (guint i = 0; library_folders[i] != NULL; i++)
        g_ptr_array_add (folders, g_strdup (library_folders[i]));
    }
  g_ptr_array_add (folders, NULL);

  library = mm_library_new ();
  /* As the app's Library: the Hugging Face cache too, unless told the folders. */
  if (dirs == NULL || dirs[0] == NULL)
    {
      g_autofree char *hf_cache = mm_hf_cache_dup_dir (NULL);

      mm_library_set_hf_cache_folder (library, hf_cache);
    }
  mm_library_set_folders (library, (const char * const *) folders->pdata);
  while (!not_loading (library))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (library)); i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (library), i);

      wait.pending++;
      mm_library_entry_load_info_async (entry, NULL, load_info_cb, &wait);
    }
  while (wait.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  if (json)
    {
      g_autoptr(MmMachine) machine = mm_machine_new (settings);

      mm_machine_detect_sync (machine);
      print_json (library, mm_system_get_total_memory (), machine);
    }
  else
    print_text (library, mm_library_get_folders (library));

  return EXIT_SUCCESS;
}
