/* mm-cli.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * model-manager-cli: a thin front end on the core. It parses options, calls
 * the same asynchronous core API as the app (spinning a main loop until each
 * answer arrives), and prints. Exit status: 0 on success, 2 on a usage error,
 * 1 on any other failure, with a one-line human error on stderr.
 */
#define G_LOG_DOMAIN "mm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm-cli-commands.h"
#include "mm-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILURE_ 1

static int
fail (const GError *error)
{
  g_printerr ("model-manager-cli: %s\n", error->message);
  return EXIT_FAILURE_;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("model-manager-cli: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

/* Waits for one async result on the default main context. */
typedef struct {
  GAsyncResult *result;
} Waiter;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return waiter->result;
}

/* Fetches a model's facts and files, waiting on the main context. */
static MmModel *
fetch_model (MmHubClient  *client,
             const char   *repo_id,
             const char   *revision,
             GError      **error)
{
  Waiter waiter = { NULL };
  MmModel *model;

  mm_hub_client_model_info_async (client, repo_id, revision, NULL, wait_cb, &waiter);
  model = mm_hub_client_model_info_finish (client, wait_for (&waiter), error);
  g_clear_object (&waiter.result);

  return model;
}

/* This computer, as the app sees it: its RAM and GPUs, and the context
 * length and RAM budget of the app's settings. */
static MmMachine *
cli_machine (MmSettings *settings)
{
  MmMachine *machine = mm_machine_new (settings);

  mm_machine_detect_sync (machine);
  return machine;
}

/* The model's layers and heads, from the GGUF header of its smallest
 * complete choice (all choices share them), else what the Hub says. A
 * header that cannot be read (a gated model, say) is no failure. */
static void
fetch_shape (MmHubClient  *client,
             MmModel      *model,
             GPtrArray    *quants,
             MmModelShape *shape)
{
  mm_model_shape_init_from_model (shape, model);

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (quants, i);
      GPtrArray *files = mm_quant_get_files (quant);
      Waiter waiter = { NULL };
      g_autoptr(MmGgufInfo) info = NULL;
      g_autoptr(GError) error = NULL;
      MmModelShape header;

      if (!mm_quant_get_is_complete (quant) || files->len == 0 ||
          mm_repo_file_get_problem (g_ptr_array_index (files, 0)) != NULL)
        continue;

      mm_hub_client_read_gguf_async (client, mm_model_get_id (model), mm_model_get_sha (model),
                                     mm_repo_file_get_path (g_ptr_array_index (files, 0)),
                                     NULL, wait_cb, &waiter);
      info = mm_hub_client_read_gguf_finish (client, wait_for (&waiter), &error);
      g_clear_object (&waiter.result);
      if (info == NULL)
        {
          g_debug ("No GGUF header for the estimates: %s", error->message);
          return;
        }

      mm_model_shape_init_from_gguf (&header, info);
      if (mm_gguf_info_get_is_split (info) || header.parameters == 0)
        header.parameters = shape->parameters;
      if (header.context_length == 0)
        header.context_length = shape->context_length;
      *shape = header;
      return;
    }
}

static char *
describe_machine (MmMachine *machine)
{
  g_autofree char *ram = mm_format_size (mm_machine_get_ram (machine));
  g_autofree char *gpus = mm_machine_dup_gpu_description (machine);
  guint64 budget = mm_machine_get_ram_budget (machine);
  gulong context = (gulong) MIN (mm_machine_get_context (machine), G_MAXULONG);
  g_autofree char *tokens = mm_format_integer (context);
  g_autofree char *budget_text = NULL;

  if (budget > 0)
    {
      g_autofree char *size = mm_format_size (budget);

      /* Translators: after the RAM, e.g. " (models may use 20.0 GB)" */
      budget_text = g_strdup_printf (_(" (models may use %s)"), size);
    }

  /* Translators: "This computer: 16.0 GB of RAM; GPU: None found; estimates
   * at 4,096 tokens of context" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This computer: %s of RAM%s; GPU: %s; estimates at %s "
                                       "token of context",
                                       "This computer: %s of RAM%s; GPU: %s; estimates at %s "
                                       "tokens of context", context),
                          ram, budget_text ? budget_text : "", gpus, tokens);
}

static void
add_machine_json (JsonBuilder *builder,
                  MmMachine   *machine)
{
  GPtrArray *gpus = mm_machine_get_gpus (machine);

  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ram");
  json_builder_add_int_value (builder, (gint64) mm_machine_get_ram (machine));
  json_builder_set_member_name (builder, "ram_budget");
  json_builder_add_int_value (builder, (gint64) mm_machine_get_ram_budget (machine));
  json_builder_set_member_name (builder, "gpu_memory");
  json_builder_add_int_value (builder, (gint64) mm_machine_get_gpu_memory (machine));
  json_builder_set_member_name (builder, "gpu_kind");
  json_builder_add_string_value (builder,
                                 mm_gpu_kind_to_string (mm_machine_get_gpu_kind (machine)));
  json_builder_set_member_name (builder, "gpus");
  json_builder_begin_array (builder);
  for (guint i = 0; i < gpus->len; i++)
    {
      MmGpu *gpu = g_ptr_array_index (gpus, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, gpu->name);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, mm_gpu_kind_to_string (gpu->kind));
      json_builder_set_member_name (builder, "memory");
      json_builder_add_int_value (builder, (gint64) gpu->memory);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "context");
  json_builder_add_int_value (builder, (gint64) mm_machine_get_context (machine));
  json_builder_end_object (builder);
}

static void
add_model_facts (JsonBuilder *builder,
                 MmModel     *model)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, mm_model_get_id (model));
  mm_json_builder_add_string (builder, "author", mm_model_get_author (model));
  json_builder_set_member_name (builder, "downloads");
  json_builder_add_int_value (builder, mm_model_get_downloads (model));
  json_builder_set_member_name (builder, "likes");
  json_builder_add_int_value (builder, mm_model_get_likes (model));
  mm_json_builder_add_date (builder, "updated", mm_model_get_updated (model));
  json_builder_set_member_name (builder, "gated");
  if (mm_model_get_gated (model) == MM_GATED_NO)
    json_builder_add_boolean_value (builder, FALSE);
  else
    json_builder_add_string_value (builder, mm_gated_to_string (mm_model_get_gated (model)));
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Prints "  Label:  value" lines whose values start in one column, however
 * long the translated labels are. A %NULL value skips its line. */
typedef struct {
  const char *label;  /* translated, with its colon */
  const char *value;  /* (nullable) */
} Fact;

static void
print_facts (const Fact *facts,
             guint       n_facts)
{
  glong width = 0;

  for (guint i = 0; i < n_facts; i++)
    if (facts[i].value != NULL)
      width = MAX (width, g_utf8_strlen (facts[i].label, -1));

  for (guint i = 0; i < n_facts; i++)
    {
      if (facts[i].value == NULL)
        continue;
      g_print ("  %s%*s  %s\n", facts[i].label,
               (int) (width - g_utf8_strlen (facts[i].label, -1)), "", facts[i].value);
    }
}

/* The app's settings, or why there are none (the schema is not
 * installed): the caller prints that and fails. */
MmSettings *
mm_cli_settings (GError **error)
{
  return mm_settings_new (error);
}

/* The same client the app makes, by the same token chain: the endpoint of
 * the settings (HF_ENDPOINT wins), the token from the keyring for that
 * Hub, else HF_TOKEN (or HUGGING_FACE_HUB_TOKEN), else the Hub tools'
 * token file. Without any token, a client without one. */
static MmHubClient *
cli_client (MmSettings *settings)
{
  g_autoptr(MmTokenChain) chain = mm_token_chain_new (settings, NULL);
  g_autoptr(GError) error = NULL;
  Waiter waiter = { NULL };
  MmHubClient *client;

  mm_token_chain_new_client_async (chain, NULL, wait_cb, &waiter);
  client = mm_token_chain_new_client_finish (chain, wait_for (&waiter), &error);
  g_clear_object (&waiter.result);
  /* Not cancellable here: the chain always gives a client. */
  g_assert (client != NULL);

  return client;
}

/* For the subcommands in their own files. */
MmHubClient *
mm_cli_client (MmSettings *settings)
{
  return cli_client (settings);
}

static int
cmd_search (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *query = NULL;
  gboolean all_formats = FALSE;
  gboolean json = FALSE;
  int limit = 20;
  MmSort sort = MM_SORT_DOWNLOADS;
  GOptionEntry entries[] = {
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name,
      N_("Order: downloads, likes, trending, updated or created"), N_("ORDER") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show N results in total (default 20)"), "N" },
    { "all-formats", 0, 0, G_OPTION_ARG_NONE, &all_formats,
      N_("Include repositories without GGUF files"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("QUERY — search the Hugging Face Hub"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 2)
    return usage_error (context, _("Give the search words as one argument (quote them)."));
  if (sort_name != NULL && !mm_sort_from_string (sort_name, &sort))
    return usage_error (context, _("Unknown sort order: give downloads, likes, trending, "
                                   "updated or created."));
  if (limit <= 0 || limit > 10000)
    return usage_error (context, _("--limit takes a number from 1 to 10000."));

  query = g_strdup (argc == 2 ? argv[1] : "");
  settings = mm_cli_settings (&error);
  if (settings == NULL)
    return fail (error);
  client = cli_client (settings);
  url = mm_hub_client_build_search_url (client, query, sort, !all_formats, MIN (limit, 50));
  models = g_ptr_array_new_with_free_func (g_object_unref);

  /* Follow the cursor pages until we have enough. */
  while (url != NULL && models->len < (guint) limit)
    {
      Waiter waiter = { NULL };
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *next = NULL;

      mm_hub_client_search_async (client, url, NULL, wait_cb, &waiter);
      page = mm_hub_client_search_finish (client, wait_for (&waiter), &next, &error);
      g_clear_object (&waiter.result);
      if (page == NULL)
        return fail (error);

      for (guint i = 0; i < page->len && models->len < (guint) limit; i++)
        g_ptr_array_add (models, g_object_ref (g_ptr_array_index (page, i)));

      g_free (url);
      url = g_steal_pointer (&next);
      if (page->len == 0)
        break;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < models->len; i++)
        {
          json_builder_begin_object (builder);
          add_model_facts (builder, g_ptr_array_index (models, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_SUCCESS;
    }

  if (models->len == 0)
    {
      g_print (_("No models found.\n"));
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < models->len; i++)
    {
      MmModel *model = g_ptr_array_index (models, i);
      g_autofree char *downloads = mm_format_count (mm_model_get_downloads (model));
      g_autofree char *likes = mm_format_count (mm_model_get_likes (model));
      g_autofree char *updated = mm_format_relative (mm_model_get_updated (model), NULL);

      g_print ("%-50s  %8s ↓  %6s ♥  %s%s\n", mm_model_get_id (model), downloads, likes,
               updated, mm_model_get_gated (model) != MM_GATED_NO ? _("  [gated]") : "");
    }

  return EXIT_SUCCESS;
}

static void
add_quant_json (JsonBuilder            *builder,
                MmQuant                *quant,
                const MmMemoryEstimate *estimate,
                gboolean                recommended)
{
  GPtrArray *files = mm_quant_get_files (quant);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, mm_quant_get_name (quant));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) mm_quant_get_size (quant));
  json_builder_set_member_name (builder, "bits_per_weight");
  if (mm_quant_get_bits_per_weight (quant) > 0)
    json_builder_add_double_value (builder, mm_quant_get_bits_per_weight (quant));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fit");
  json_builder_add_string_value (builder, mm_fit_to_string (mm_quant_get_fit (quant)));
  json_builder_set_member_name (builder, "memory_needed");
  json_builder_add_int_value (builder, (gint64) mm_quant_get_memory_needed (quant));
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, mm_quant_get_is_complete (quant));
  if (estimate != NULL)
    {
      json_builder_set_member_name (builder, "placement");
      json_builder_add_string_value (builder, mm_placement_to_string (estimate->placement));
      json_builder_set_member_name (builder, "headroom");
      json_builder_add_boolean_value (builder, estimate->headroom);
      json_builder_set_member_name (builder, "memory_at_context");
      json_builder_add_int_value (builder, (gint64) estimate->total);
      json_builder_set_member_name (builder, "layers");
      json_builder_add_int_value (builder, (gint64) estimate->layers);
      json_builder_set_member_name (builder, "gpu_layers");
      json_builder_add_int_value (builder, (gint64) estimate->gpu_layers);
      json_builder_set_member_name (builder, "recommended");
      json_builder_add_boolean_value (builder, recommended);
    }
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, mm_repo_file_get_path (file));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) mm_repo_file_get_size (file));
      mm_json_builder_add_string (builder, "sha256", mm_repo_file_get_sha256 (file));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static const char *
fit_label (MmFit fit)
{
  switch (fit)
    {
    case MM_FIT_FITS:
      return _("Fits");
    case MM_FIT_TIGHT:
      return _("Tight");
    case MM_FIT_TOO_LARGE:
      return _("Too large");
    case MM_FIT_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static void
print_quant_text (MmQuant                *quant,
                  const MmMemoryEstimate *estimate,
                  gboolean                recommended)
{
  GPtrArray *files = mm_quant_get_files (quant);
  g_autofree char *size = mm_format_size (mm_quant_get_size (quant));
  g_autofree char *bpw = NULL;
  g_autofree char *placement = NULL;

  if (mm_quant_get_bits_per_weight (quant) > 0)
    bpw = g_strdup_printf (_("%.2f bpw"), mm_quant_get_bits_per_weight (quant));
  if (estimate != NULL)
    placement = mm_memory_estimate_dup_placement_label (estimate);

  g_print ("%s %-14s %10s  %-10s  %s%s%s\n", recommended ? "*" : " ",
           mm_quant_get_name (quant), size, bpw ? bpw : "",
           placement ? placement : fit_label (mm_quant_get_fit (quant)),
           /* Translators: after the choice recommended for this computer in `info` */
           recommended ? _("  ← recommended for this computer") : "",
           mm_quant_get_is_complete (quant) ? "" : _("  (incomplete split set)"));
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *file_size = mm_format_size (mm_repo_file_get_size (file));

      g_print ("      %s  %s  sha256:%s\n", mm_repo_file_get_path (file), file_size,
               mm_repo_file_get_sha256 (file) ? mm_repo_file_get_sha256 (file) : "—");
    }
}

static GPtrArray *
list_model_to_array (GListModel *list)
{
  guint n = g_list_model_get_n_items (list);
  GPtrArray *array = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (list, i));
  return array;
}

static int
cmd_info (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GPtrArray) projectors = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GPtrArray) estimates = NULL;
  g_autoptr(MmMachine) machine = NULL;
  g_autoptr(MmModelLoader) loader = NULL;
  g_autofree char *revision = NULL;
  Waiter waiter = { NULL };
  MmModelShape shape;
  gint recommended;
  gboolean loaded;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "revision", 0, 0, G_OPTION_ARG_STRING, &revision,
      N_("A branch, tag or commit (default: main)"), N_("REV") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("REPO — show a model and its quantizations"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, _("Give one model id, such as “org/Model-GGUF”."));

  settings = mm_cli_settings (&error);
  if (settings == NULL)
    return fail (error);
  client = cli_client (settings);
  /* The loader the app's detail pane uses: the model info, its choices and
   * the shape from the smallest choice's header (a header that cannot be
   * read, of a gated model say, leaves the Hub's figures). */
  loader = mm_model_loader_new (client);
  mm_model_loader_load_async (loader, argv[1], revision, NULL, wait_cb, &waiter);
  loaded = mm_model_loader_load_finish (loader, wait_for (&waiter), &error);
  g_clear_object (&waiter.result);
  if (!loaded)
    return fail (error);
  model = g_object_ref (mm_model_loader_get_model (loader));

  machine = cli_machine (settings);
  /* Grouped again for this computer's memory. */
  mm_model_loader_set_ram (loader, mm_machine_get_ram (machine));
  quants = list_model_to_array (mm_model_loader_get_quants (loader));
  projectors = list_model_to_array (mm_model_loader_get_projectors (loader));
  rejected = list_model_to_array (mm_model_loader_get_rejected (loader));
  mm_model_loader_get_shape (loader, &shape);
  recommended = mm_machine_recommend (machine, quants, &shape);
  estimates = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_memory_estimate_free);
  for (guint i = 0; i < quants->len; i++)
    g_ptr_array_add (estimates,
                     mm_machine_estimate (machine,
                                          mm_quant_get_size (g_ptr_array_index (quants, i)),
                                          &shape));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      const char * const *tags = mm_model_get_tags (model);

      json_builder_begin_object (builder);
      add_model_facts (builder, model);
      mm_json_builder_add_string (builder, "license", mm_model_get_license (model));
      mm_json_builder_add_string (builder, "sha", mm_model_get_sha (model));
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint i = 0; tags[i] != NULL; i++)
        json_builder_add_string_value (builder, tags[i]);
      json_builder_end_array (builder);
      add_machine_json (builder, machine);
      json_builder_set_member_name (builder, "layers");
      json_builder_add_int_value (builder, (gint64) shape.layers);
      json_builder_set_member_name (builder, "recommended");
      if (recommended >= 0)
        json_builder_add_string_value (builder,
                                       mm_quant_get_name (g_ptr_array_index (quants, recommended)));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "quants");
      json_builder_begin_array (builder);
      for (guint i = 0; i < quants->len; i++)
        add_quant_json (builder, g_ptr_array_index (quants, i), g_ptr_array_index (estimates, i),
                        (gint) i == recommended);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "projectors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < projectors->len; i++)
        add_quant_json (builder, g_ptr_array_index (projectors, i), NULL, FALSE);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "rejected");
      json_builder_begin_array (builder);
      for (guint i = 0; i < rejected->len; i++)
        {
          MmRepoFile *file = g_ptr_array_index (rejected, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, mm_repo_file_get_path (file));
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, mm_repo_file_get_problem (file));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *downloads = mm_format_count (mm_model_get_downloads (model));
    g_autofree char *likes = mm_format_count (mm_model_get_likes (model));
    g_autofree char *updated = mm_format_relative (mm_model_get_updated (model), NULL);
    g_autofree char *params = mm_format_params (mm_model_get_parameters (model));
    g_autofree char *tags = g_strjoinv (", ", (char **) mm_model_get_tags (model));

    const Fact facts[] = {
      { _("Author:"), mm_model_get_author (model) ?: "—" },
      { _("Downloads:"), downloads },
      { _("Likes:"), likes },
      { _("License:"), mm_model_get_license (model) ?: "—" },
      { _("Updated:"), updated },
      { _("Size:"), params },
      { _("Gated:"), mm_model_get_gated (model) != MM_GATED_NO
                       ? _("yes — downloads need an access token and accepted conditions")
                       : NULL },
      { _("Tags:"), tags },
    };

    g_print ("%s\n", mm_model_get_id (model));
    print_facts (facts, G_N_ELEMENTS (facts));
  }

  g_print ("\n");
  if (quants->len == 0)
    {
      g_print (_("No GGUF files in this repository.\n"));
    }
  else
    {
      g_autofree char *about = describe_machine (machine);

      g_print ("%s\n", about);
      if (recommended < 0)
        g_print (_("None of these runs on this computer with memory to spare.\n"));
      g_print (_("Quantizations:\n"));
    }
  for (guint i = 0; i < quants->len; i++)
    print_quant_text (g_ptr_array_index (quants, i), g_ptr_array_index (estimates, i),
                      (gint) i == recommended);

  if (projectors->len > 0)
    {
      g_print (_("\nVision projectors:\n"));
      for (guint i = 0; i < projectors->len; i++)
        print_quant_text (g_ptr_array_index (projectors, i), NULL, FALSE);
    }

  if (rejected->len > 0)
    {
      g_print (_("\nNot offered (unsafe file names):\n"));
      for (guint i = 0; i < rejected->len; i++)
        {
          MmRepoFile *file = g_ptr_array_index (rejected, i);
          g_autofree char *shown = mm_path_to_display (mm_repo_file_get_path (file));

          g_print ("  %s — %s\n", shown, mm_repo_file_get_problem (file));
        }
    }

  return EXIT_SUCCESS;
}

/* ---- download ---------------------------------------------------------- */

/* Parses "500k", "10M", "1.5MB", "2m" (bytes per second; k = 1000). */
static gboolean
parse_rate (const char *text,
            guint64    *rate)
{
  char *end = NULL;
  double value;
  double unit = 1;

  if (text == NULL)
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || value < 0)
    return FALSE;
  switch (g_ascii_tolower (*end))
    {
    case '\0':
      break;
    case 'k':
      unit = 1e3;
      end++;
      break;
    case 'm':
      unit = 1e6;
      end++;
      break;
    case 'g':
      unit = 1e9;
      end++;
      break;
    default:
      return FALSE;
    }
  if (g_ascii_tolower (*end) == 'b')
    end++;
  if (g_str_equal (end, "/s"))
    end += 2;
  if (*end != '\0')
    return FALSE;

  *rate = (guint64) (value * unit);
  return TRUE;
}


typedef struct {
  MmDownload *download;   /* the current file */
  GNetworkMonitor *monitor;
  gboolean interrupted;
  gboolean offline;       /* the current file waits for the network */
  gboolean tty;
  gboolean quiet;
  guint index;
  guint count;
  gint64 last_line_us;
  gint64 started_us;      /* when this run of the current file started */
  guint64 started_bytes;  /* the bytes it had then (a resumed partial file) */
} Progress;

/* "average 12.3 MB/s, took 4.2 s" for a file just finished: its speed and
 * ETA say nothing any more (0 bytes/s, no time left). The average counts
 * only this run's bytes, not those of a resumed partial file. */
static char *
format_finished (Progress *progress,
                 guint64   done)
{
  gint64 elapsed_us = MAX (g_get_monotonic_time () - progress->started_us, 1);
  double seconds = (double) elapsed_us / G_USEC_PER_SEC;
  guint64 fetched = done > progress->started_bytes ? done - progress->started_bytes : 0;
  g_autofree char *speed = mm_format_speed (fetched / seconds);
  g_autofree char *took = NULL;

  if (seconds < 1)
    /* Translators: how long a download took, in milliseconds, e.g. "420 ms" */
    took = g_strdup_printf (_("%.0f ms"), seconds * 1000);
  else if (seconds < 60)
    /* Translators: how long a download took, in seconds, e.g. "4.2 s" */
    took = g_strdup_printf (_("%.1f s"), seconds);
  else
    took = mm_format_elapsed ((gint64) seconds);

  /* Translators: after a finished download's size, e.g. "average 45.2 MB/s, took 4.2 s" */
  return g_strdup_printf (_("average %s, took %s"), speed, took);
}

static void
print_progress (Progress *progress,
                gboolean  final)
{
  MmDownload *download = progress->download;
  guint64 done = mm_download_get_bytes_received (download);
  guint64 total = mm_download_get_total_bytes (download);
  g_autofree char *progress_text = mm_format_progress (done, total);
  g_autofree char *speed_text = mm_format_speed (mm_download_get_speed (download));
  const char *name = mm_repo_file_get_basename (mm_download_get_file (download));
  g_autofree char *eta_text = mm_format_eta (mm_download_get_eta (download));
  double fraction = total > 0 ? (double) done / total : 0;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *finished = NULL;

  if (progress->quiet)
    return;

  if (final && mm_download_get_state (download) == MM_DOWNLOAD_STATE_COMPLETED)
    finished = format_finished (progress, done);

  if (progress->tty)
    {
      char bar[26];
      guint filled = (guint) (fraction * 25);
      const char *status = "";

      for (guint i = 0; i < 25; i++)
        bar[i] = i < filled ? '#' : '-';
      bar[25] = '\0';
      if (mm_download_get_state (download) == MM_DOWNLOAD_STATE_RETRYING)
        status = _("  retrying…");
      else if (mm_download_get_state (download) == MM_DOWNLOAD_STATE_VERIFYING)
        status = _("  checking…");
      if (finished != NULL)
        g_printerr ("\r\033[K[%u/%u] %s [%s] %3.0f%%  %s  %s\n",
                    progress->index, progress->count, name, bar, fraction * 100,
                    progress_text, finished);
      else
        g_printerr ("\r\033[K[%u/%u] %s [%s] %3.0f%%  %s  %s  %s%s",
                    progress->index, progress->count, name, bar, fraction * 100,
                    progress_text, speed_text, eta_text ? eta_text : "", status);
      if (final && finished == NULL)
        g_printerr ("\n");
      return;
    }

  /* Not a terminal: a plain line about once a second, for a log: the exact
   * bytes, then the speed and time left as the app says them. Once every
   * byte is there, the final line (with the average speed) says it better. */
  if (!final && (now - progress->last_line_us < G_USEC_PER_SEC || (total > 0 && done >= total)))
    return;
  progress->last_line_us = now;
  if (finished != NULL)
    g_printerr ("%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " bytes, %s\n",
                mm_repo_file_get_path (mm_download_get_file (download)), done, total,
                finished);
  else
    g_printerr ("%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " bytes, %s%s%s\n",
                mm_repo_file_get_path (mm_download_get_file (download)), done, total,
                speed_text, eta_text ? ", " : "", eta_text ? eta_text : "");
}

static void
progress_notify_cb (MmDownload *download,
                    GParamSpec *pspec,
                    Progress   *progress)
{
  print_progress (progress, FALSE);
}

/* No network: the transfer stops, keeping its bytes, instead of burning
 * its attempts; it goes on by itself when the network is back. */
static void
network_cb (GNetworkMonitor *monitor,
            GParamSpec      *pspec,
            Progress        *progress)
{
  gboolean available = g_network_monitor_get_network_available (monitor);

  if (!available && !progress->offline)
    {
      progress->offline = TRUE;
      if (progress->tty && !progress->quiet)
        g_printerr ("\n");
      g_printerr (_("model-manager-cli: The network is gone; waiting for it to come back…\n"));
      if (progress->download != NULL && !mm_download_is_finished (progress->download))
        mm_download_pause (progress->download);
    }
  else if (available && progress->offline)
    {
      progress->offline = FALSE;
      g_printerr (_("model-manager-cli: The network is back; continuing.\n"));
      if (progress->download != NULL && !progress->interrupted &&
          !mm_download_is_finished (progress->download))
        mm_download_start (progress->download);
    }
}

static gboolean
sigint_cb (gpointer user_data)
{
  Progress *progress = user_data;

  /* Pausing keeps the partial file; a rerun resumes from it. */
  progress->interrupted = TRUE;
  if (progress->download != NULL)
    mm_download_pause (progress->download);

  return G_SOURCE_CONTINUE;
}

static gboolean
second_passed_cb (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for a second, or less when Ctrl+C comes. */
static void
wait_a_second (Progress *progress)
{
  gboolean passed = FALSE;
  guint id = g_timeout_add_seconds (1, second_passed_cb, &passed);

  while (!passed && !progress->interrupted)
    g_main_context_iteration (NULL, TRUE);
  if (!passed)
    g_source_remove (id);
}

/* Finds the files named by @targets: quantization names or exact paths. */
static GPtrArray *
select_files (MmModel    *model,
              char      **targets,
              GError    **error)
{
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(GPtrArray) projectors = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *all = mm_model_get_files (model);

  quants = mm_quant_group_files (all, 0, &projectors, &rejected);

  for (guint t = 0; targets[t] != NULL; t++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < quants->len && !found; i++)
        {
          MmQuant *quant = g_ptr_array_index (quants, i);
          GPtrArray *parts = mm_quant_get_files (quant);

          if (g_ascii_strcasecmp (mm_quant_get_name (quant), targets[t]) != 0)
            continue;
          if (!mm_quant_get_is_complete (quant))
            {
              g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                           _("The %s set of %s is incomplete on the Hub (%u of %u parts); "
                             "it cannot be used."), mm_quant_get_name (quant),
                           mm_model_get_id (model), parts->len, mm_quant_get_split_count (quant));
              return NULL;
            }
          for (guint j = 0; j < parts->len; j++)
            g_ptr_array_add (files, g_object_ref (g_ptr_array_index (parts, j)));
          found = TRUE;
        }

      for (guint i = 0; i < all->len && !found; i++)
        {
          MmRepoFile *file = g_ptr_array_index (all, i);

          if (!g_str_equal (mm_repo_file_get_path (file), targets[t]))
            continue;
          if (mm_repo_file_get_problem (file) != NULL)
            {
              g_set_error (error, MM_DOWNLOAD_ERROR, MM_DOWNLOAD_ERROR_UNSAFE_PATH,
                           _("“%s” will not be downloaded: %s"), targets[t],
                           mm_repo_file_get_problem (file));
              return NULL;
            }
          g_ptr_array_add (files, g_object_ref (file));
          found = TRUE;
        }

      if (!found)
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint i = 0; i < quants->len; i++)
            g_string_append_printf (names, "%s%s", i ? ", " : "",
                                    mm_quant_get_name (g_ptr_array_index (quants, i)));
          g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                       _("%s has no quantization or file named “%s”. Choices: %s."),
                       mm_model_get_id (model), targets[t],
                       names->len ? names->str : _("none"));
          return NULL;
        }
    }

  return g_steal_pointer (&files);
}

/* `download REPO` without a choice: the one recommended for this computer,
 * said on stderr so that a script's stdout stays clean. */
static char *
recommend_quant (MmHubClient  *client,
                 MmSettings   *settings,
                 MmModel      *model,
                 GError      **error)
{
  g_autoptr(MmMachine) machine = cli_machine (settings);
  g_autoptr(GPtrArray) quants = NULL;
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  g_autofree char *placement = NULL;
  MmModelShape shape;
  MmQuant *quant;
  gint index;

  quants = mm_quant_group_files (mm_model_get_files (model), mm_machine_get_ram (machine),
                                 NULL, NULL);
  if (quants->len == 0)
    {
      g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                   _("%s has no GGUF files to download."), mm_model_get_id (model));
      return NULL;
    }

  fetch_shape (client, model, quants, &shape);
  index = mm_machine_recommend (machine, quants, &shape);
  if (index < 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < quants->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                mm_quant_get_name (g_ptr_array_index (quants, i)));
      g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                   _("None of the quantizations of %s runs on this computer with memory to "
                     "spare; name one to download it anyway. Choices: %s."),
                   mm_model_get_id (model), names->str);
      return NULL;
    }

  quant = g_ptr_array_index (quants, index);
  estimate = mm_machine_estimate (machine, mm_quant_get_size (quant), &shape);
  placement = mm_memory_estimate_dup_placement_label (estimate);
  /* Translators: %s: a quantization such as Q4_K_M, then where it runs
   * ("Runs on the GPU", "CPU only", …) */
  g_printerr (_("model-manager-cli: No quantization given: downloading %s, the one recommended "
                "for this computer (%s).\n"), mm_quant_get_name (quant), placement);
  return g_strdup (mm_quant_get_name (quant));
}

/* Runs mm_download_manager_check_files() for @files in @dir or @hf_cache,
 * with a manager that queues nothing. */
static gboolean
check_before_download (MmHubClient  *client,
                       MmModel      *model,
                       GPtrArray    *files,
                       const char   *label,
                       const char   *dir,
                       const char   *hf_cache,
                       GError      **error)
{
  g_autoptr(MmDownloadManager) manager = NULL;

  manager = mm_download_manager_new (client, hf_cache != NULL ? hf_cache : dir, NULL);
  if (hf_cache != NULL)
    mm_download_manager_set_hf_cache_dir (manager, hf_cache);
  return mm_download_manager_check_files (manager, model, files, label, error);
}

/* Every file is on disk already: where, as a finished download says it. */
static void
print_already_there (MmModel    *model,
                     GPtrArray  *files,
                     const char *dir,
                     const char *hf_cache,
                     gboolean    json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *path = NULL;

      if (hf_cache != NULL)
        path = mm_hf_cache_snapshot_path (hf_cache, mm_model_get_id (model),
                                          mm_model_get_sha (model), mm_repo_file_get_path (file));
      else
        path = mm_download_build_destination (dir, mm_model_get_id (model),
                                              mm_repo_file_get_path (file), NULL);
      if (path == NULL)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, mm_repo_file_get_path (file));
      json_builder_set_member_name (builder, "destination");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) mm_repo_file_get_size (file));
      mm_json_builder_add_string (builder, "sha256", mm_repo_file_get_sha256 (file));
      /* Not hashed again: the app's Verify (or a rerun after deleting it) does that. */
      json_builder_set_member_name (builder, "verified");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "already_downloaded");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);

      if (!json)
        /* Translators: a file on disk, then why it was not downloaded */
        g_print (_("%s — already downloaded\n"), path);
    }
  json_builder_end_array (builder);

  if (json)
    print_json (builder);
}

static int
cmd_download (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(MmRateLimiter) limiter = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) targets = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *hf_cache = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *label = NULL;
  gboolean json = FALSE;
  gboolean wait = FALSE;
  gboolean use_hf_cache = FALSE;
  gboolean told_waiting = FALSE;
  int connections = -1;
  guint64 rate = 0;
  Progress progress = { 0 };
  guint sigint_id;
  gulong network_handler;
  int status = EXIT_SUCCESS;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Download folder (default: the app’s, ~/Downloads/Models unless changed)"), N_("DIR") },
    { "hf-cache", 0, 0, G_OPTION_ARG_NONE, &use_hf_cache,
      N_("Save in the Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else "
         "~/.cache/huggingface/hub), where the Hub’s own tools find the files"), NULL },
    { "limit-rate", 0, 0, G_OPTION_ARG_STRING, &rate_text,
      N_("Bandwidth limit in bytes per second, e.g. 500k or 10M"), N_("RATE") },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections,
      N_("Connections per file, 1–16 (default: the app’s setting, 8; files under 64 MiB use one)"),
      N_("N") },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait,
      N_("When another download is writing a file, wait for it instead of failing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("REPO [QUANT|PATH…] — download a quantization or files; "
                                    "without one, the quantization recommended for this "
                                    "computer"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc < 2)
    return usage_error (context, _("Give a model id, and a quantization (such as Q4_K_M) or "
                                   "file paths if you want another one than the recommended."));
  if (rate_text != NULL && !parse_rate (rate_text, &rate))
    return usage_error (context, _("--limit-rate takes a number of bytes per second, such as "
                                   "500k or 10M."));
  if (connections != -1 && (connections < 1 || connections > 16))
    return usage_error (context, _("--connections takes a number from 1 to 16."));
  if (use_hf_cache && dir != NULL)
    return usage_error (context, _("Give either --dir or --hf-cache, not both."));
  /* The app's download folder and connections, unless asked otherwise. */
  settings = mm_cli_settings (&error);
  if (settings == NULL)
    return fail (error);
  if (dir == NULL && !use_hf_cache &&
      mm_settings_get_download_location (settings) == MM_DOWNLOAD_LOCATION_HF_CACHE)
    use_hf_cache = TRUE;
  if (use_hf_cache)
    hf_cache = mm_hf_cache_dup_dir (NULL);
  else if (dir == NULL)
    dir = mm_settings_dup_effective_download_folder (settings);
  if (connections == -1)
    connections = mm_settings_get_connections (settings);

  progress.tty = isatty (STDERR_FILENO);
  progress.quiet = json && !progress.tty;
  progress.monitor = g_network_monitor_get_default ();
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &progress);
  network_handler = g_signal_connect (progress.monitor, "notify::network-available",
                                      G_CALLBACK (network_cb), &progress);
  network_cb (progress.monitor, NULL, &progress);

  client = cli_client (settings);
  for (;;)
    {
      /* Asked for while offline: wait for the network, then ask the Hub. */
      while (progress.offline && !progress.interrupted)
        g_main_context_iteration (NULL, TRUE);
      if (progress.interrupted)
        {
          g_signal_handler_disconnect (progress.monitor, network_handler);
          g_source_remove (sigint_id);
          return 130;
        }
      model = fetch_model (client, argv[1], NULL, &error);
      if (model != NULL || !g_error_matches (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE) ||
          g_network_monitor_get_network_available (progress.monitor))
        break;
      g_clear_error (&error);
      network_cb (progress.monitor, NULL, &progress);
    }
  if (model == NULL)
    {
      g_signal_handler_disconnect (progress.monitor, network_handler);
      g_source_remove (sigint_id);
      return fail (error);
    }

  if (argc == 2)
    {
      g_autofree char *choice = recommend_quant (client, settings, model, &error);

      if (choice == NULL)
        return fail (error);
      targets = g_new0 (char *, 2);
      targets[0] = g_steal_pointer (&choice);
    }
  else
    {
      targets = g_strdupv (argv + 2);
    }

  files = select_files (model, targets, &error);
  if (files == NULL)
    {
      g_signal_handler_disconnect (progress.monitor, network_handler);
      g_source_remove (sigint_id);
      return fail (error);
    }

  /* The app's checks before it queues a download: not there already,
   * enough free space. The command line does not queue, but it does not
   * download what is there, nor start what cannot fit. */
  label = g_strjoinv (", ", targets);
  if (!check_before_download (client, model, files, label, dir, hf_cache, &error))
    {
      g_signal_handler_disconnect (progress.monitor, network_handler);
      g_source_remove (sigint_id);
      if (g_error_matches (error, MM_DOWNLOAD_MANAGER_ERROR,
                           MM_DOWNLOAD_MANAGER_ERROR_ALREADY_DOWNLOADED))
        {
          g_printerr ("model-manager-cli: %s\n", error->message);
          print_already_there (model, files, dir, hf_cache, json);
          return EXIT_SUCCESS;
        }
      return fail (error);
    }

  limiter = mm_rate_limiter_new (rate);
  progress.count = files->len;

  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len && status == EXIT_SUCCESS; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autoptr(MmDownload) download = NULL;
      gulong handler;

      /* All files of a choice come from the same commit. */
      if (hf_cache != NULL)
        /* Pinned to the commit that `main` had when the model was listed. */
        download = mm_download_new_in_hf_cache (client, mm_model_get_id (model),
                                                mm_model_get_sha (model), "main", file,
                                                hf_cache, &error);
      else
        download = mm_download_new (client, mm_model_get_id (model), mm_model_get_sha (model),
                                    file, dir, &error);
      if (download == NULL)
        {
          status = fail (error);
          break;
        }
      mm_download_set_shared_limiter (download, limiter);
      mm_download_set_connections (download, (guint) connections);

      progress.download = download;
      progress.index = i + 1;
      handler = g_signal_connect (download, "notify::bytes-received",
                                  G_CALLBACK (progress_notify_cb), &progress);
      progress.started_us = g_get_monotonic_time ();
      /* The engine counts the bytes a partial file already holds. */
      progress.started_bytes = mm_download_get_bytes_received (download);
      for (;;)
        {
          if (!progress.offline)
            mm_download_start (download);
          while (!mm_download_is_finished (download) &&
                 (progress.offline || mm_download_get_state (download) != MM_DOWNLOAD_STATE_PAUSED) &&
                 !(progress.interrupted && mm_download_get_state (download) == MM_DOWNLOAD_STATE_PAUSED))
            g_main_context_iteration (NULL, TRUE);
          if (!wait || progress.interrupted ||
              !g_error_matches (mm_download_get_error (download), MM_DOWNLOAD_ERROR,
                                MM_DOWNLOAD_ERROR_BUSY))
            break;
          if (!told_waiting)
            g_printerr (_("model-manager-cli: Another download is writing %s; waiting for it "
                          "to finish…\n"), mm_download_get_partial_path (download));
          told_waiting = TRUE;
          wait_a_second (&progress);
        }
      g_signal_handler_disconnect (download, handler);
      print_progress (&progress, TRUE);
      progress.download = NULL;

      if (mm_download_get_state (download) == MM_DOWNLOAD_STATE_PAUSED || progress.interrupted)
        {
          g_printerr (_("model-manager-cli: Interrupted. The partial download is kept in %s; "
                        "run the same command again to resume.\n"),
                      mm_download_get_partial_path (download));
          status = 130;
          break;
        }
      if (mm_download_get_state (download) != MM_DOWNLOAD_STATE_COMPLETED)
        {
          status = fail (mm_download_get_error (download));
          break;
        }

      /* In the cache, the file to use is the snapshot's link to the blob. */
      g_clear_pointer (&shown, g_free);
      if (hf_cache != NULL)
        shown = mm_hf_cache_snapshot_path (hf_cache, mm_model_get_id (model),
                                           mm_model_get_sha (model),
                                           mm_repo_file_get_path (file));
      else
        shown = g_strdup (mm_download_get_destination (download));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, mm_repo_file_get_path (file));
      json_builder_set_member_name (builder, "destination");
      json_builder_add_string_value (builder, shown);
      if (hf_cache != NULL)
        {
          json_builder_set_member_name (builder, "blob");
          json_builder_add_string_value (builder, mm_download_get_destination (download));
        }
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) mm_repo_file_get_size (file));
      mm_json_builder_add_string (builder, "sha256", mm_repo_file_get_sha256 (file));
      json_builder_set_member_name (builder, "verified");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);

      if (!json)
        g_print (_("%s — verified\n"), shown);
    }
  json_builder_end_array (builder);
  g_signal_handler_disconnect (progress.monitor, network_handler);
  g_source_remove (sigint_id);

  if (json && status == EXIT_SUCCESS)
    print_json (builder);

  return status;
}

/* ---- compare ------------------------------------------------------------ */

/* Appends @text padded with spaces to @width characters (not bytes). */
static void
append_padded (GString    *line,
               const char *text,
               glong       width)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (line, text);
  for (glong i = length; i < width; i++)
    g_string_append_c (line, ' ');
}

/* Finds REPO[:QUANT]'s choice: the named one, or the recommended one. */
static MmCompareItem *
compare_item_for (MmHubClient  *client,
                  MmMachine    *machine,
                  const char   *spec,
                  GError      **error)
{
  g_autofree char *repo_id = g_strdup (spec);
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) quants = NULL;
  char *colon = strrchr (repo_id, ':');
  const char *wanted = NULL;
  MmModelShape shape;
  MmQuant *quant = NULL;

  if (colon != NULL)
    {
      *colon = '\0';
      wanted = colon + 1;
    }

  model = fetch_model (client, repo_id, NULL, error);
  if (model == NULL)
    return NULL;

  quants = mm_quant_group_files (mm_model_get_files (model), mm_machine_get_ram (machine),
                                 NULL, NULL);
  fetch_shape (client, model, quants, &shape);

  if (wanted == NULL || *wanted == '\0')
    {
      gint index = mm_machine_recommend (machine, quants, &shape);

      if (index >= 0)
        quant = g_ptr_array_index (quants, index);
    }
  else
    {
      for (guint i = 0; i < quants->len && quant == NULL; i++)
        if (g_ascii_strcasecmp (mm_quant_get_name (g_ptr_array_index (quants, i)), wanted) == 0)
          quant = g_ptr_array_index (quants, i);
    }

  if (quant == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < quants->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                mm_quant_get_name (g_ptr_array_index (quants, i)));
      if (wanted != NULL && *wanted != '\0')
        g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                     _("%s has no quantization named “%s”. Choices: %s."),
                     mm_model_get_id (model), wanted, names->len ? names->str : _("none"));
      else
        g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_FILE_NOT_FOUND,
                     _("None of the quantizations of %s runs on this computer with memory to "
                       "spare; name one as %s:QUANT. Choices: %s."),
                     mm_model_get_id (model), mm_model_get_id (model),
                     names->len ? names->str : _("none"));
      return NULL;
    }

  return mm_compare_item_new (model, quant, &shape);
}

static int
cmd_compare (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmHubClient) client = NULL;
  g_autoptr(MmMachine) machine = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree glong *widths = NULL;
  gboolean json = FALSE;
  guint columns;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("REPO[:QUANT]… — compare two to four quantizations side by "
                                    "side; without :QUANT, the one recommended for this computer"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc < 1 + MM_COMPARISON_MIN_ITEMS || argc > 1 + MM_COMPARISON_MAX_ITEMS)
    return usage_error (context, _("Give two to four quantizations, such as "
                                   "“org/Model-GGUF:Q4_K_M org/Model-GGUF:Q8_0”."));

  settings = mm_cli_settings (&error);
  if (settings == NULL)
    return fail (error);
  client = cli_client (settings);
  machine = cli_machine (settings);

  for (int i = 1; i < argc; i++)
    {
      MmCompareItem *item = compare_item_for (client, machine, argv[i], &error);

      if (item == NULL)
        return fail (error);
      g_ptr_array_add (items, item);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_machine_json (builder, machine);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < items->len; i++)
        mm_compare_item_add_json (g_ptr_array_index (items, i), builder, machine);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_SUCCESS;
    }

  /* A table: a line per fact, a column per choice, each as wide as its widest cell. */
  columns = items->len + 1;
  widths = g_new0 (glong, columns);
  g_ptr_array_add (cells, g_strdup (""));
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (cells, mm_compare_item_dup_title (g_ptr_array_index (items, i)));
  for (guint f = 0; f < MM_COMPARE_N_FACTS; f++)
    {
      g_ptr_array_add (cells, g_strdup (mm_compare_fact_get_title (f)));
      for (guint i = 0; i < items->len; i++)
        g_ptr_array_add (cells, mm_compare_item_dup_fact (g_ptr_array_index (items, i), f,
                                                          machine));
    }
  for (guint c = 0; c < cells->len; c++)
    widths[c % columns] = MAX (widths[c % columns],
                               g_utf8_strlen (g_ptr_array_index (cells, c), -1));

  for (guint row = 0; row < cells->len / columns; row++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < columns; c++)
        {
          append_padded (line, g_ptr_array_index (cells, row * columns + c),
                         c + 1 < columns ? widths[c] : 0);
          if (c + 1 < columns)
            g_string_append (line, "  ");
        }
      g_print ("%s\n", line->str);
    }

  g_print ("\n%s\n",
           _("Typical quality loss: the rise in perplexity against the 16-bit model that "
             "llama.cpp publishes for each quantization type (tools/quantize); lower is better."));
  return EXIT_SUCCESS;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage: model-manager-cli COMMAND [OPTIONS]\n"
             "\n"
             "Commands:\n"
             "  search QUERY [--sort downloads|likes|trending|updated|created] [--limit N]\n"
             "               [--all-formats] [--json]\n"
             "  info REPO [--revision REV] [--json]\n"
             "  download REPO [QUANT|PATH…] [--dir DIR | --hf-cache] [--limit-rate RATE] [--json]\n"
             "  compare REPO[:QUANT]… [--json]\n"
             "  gguf FILE [--json]\n"
             "  list [--dir DIR]… [--json]\n"
             "  update [REPO] [--check]\n"
             "\n"
             "The Hub, the download folder and the access token are the app’s: the Hub\n"
             "address of Preferences unless HF_ENDPOINT is set; the token saved in the\n"
             "keyring, else HF_TOKEN, else the Hugging Face tools’ token file.\n"
             "Run “model-manager-cli COMMAND --help” for a command’s options.\n"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return EXIT_SUCCESS;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("model-manager-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_str_equal (argv[1], "search"))
    return cmd_search (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "info"))
    return cmd_info (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "download"))
    return cmd_download (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "compare"))
    return cmd_compare (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "gguf"))
    return mm_cli_gguf (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return mm_cli_list (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "update"))
    return mm_cli_update (argc - 1, argv + 1);

  g_printerr (_("model-manager-cli: Unknown command “%s”.\n\n"), argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
