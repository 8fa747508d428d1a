/* mm-model-detail.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail pane: everything about one repository. Given a model from the
 * search results it has its MmModelLoader (src/core) ask the Hub for the
 * full model info (files, sizes, checksums), group the files into download
 * choices, fetch the model card, check access and read one GGUF header; the
 * pane follows the loader's properties and lists. A newer selection cancels
 * the requests of the previous one, and cancellation is never shown.
 *
 * With a download manager, each complete choice offers Download (and, in
 * the button's menu, Download Later): the pane hands the model and
 * quantization it shows to the application (mm_application_download_quant()),
 * which queues them, says in a toast what goes where, and reports problems;
 * it asks first only when something needs a decision.
 * Nothing is looked up again, so this works offline.
 *
 * The pane has four states, the pages of its stack: "empty" (nothing
 * selected), "loading", "error" (with Retry) and "content".
 *
 * A repository that its owner or the Hub disabled (model info
 * `disabled: true`) says so above its choices, whose Download is off: the
 * Hub refuses its files.
 *
 * A gated model says so before any click, and what to do: without a token,
 * add one and accept the conditions; with one, the pane asks the Hub
 * (auth-check) whether this account may download, and says either that it
 * may or that access is still to be granted. A model that cannot be loaded
 * because it is missing or private explains that in the error state. The
 * words and buttons come from mm-access-help.c, which the Downloads view
 * uses for failed downloads too.
 */
#define G_LOG_DOMAIN "mm-model-detail"

#include "config.h"

#include "mm-model-detail.h"

#include "mm-access-help.h"
#include "mm-application.h"
#include "mm-compare-bar.h"
#include "mm-card-view.h"
#include "mm-quant-row.h"

#include <glib/gi18n.h>

/* How much of a model card to show before "Show More", in bytes of Markdown,
 * and the most we ever hand to a label. */
#define CARD_PREVIEW_LENGTH 3000
#define CARD_MAX_LENGTH     200000
#define MAX_TAGS            24

struct _MmModelDetail
{
  GtkWidget             parent_instance;

  MmHubClient          *client;        /* (owned) (nullable) */
  MmDownloadManager    *manager;       /* (owned) (nullable) */
  MmModel              *model;         /* (owned) (nullable) */
  MmModelLoader        *loader;        /* (owned) */
  GtkStringList        *tags;          /* (owned) */
  MmMachine            *machine;       /* (owned) */
  MmQuant              *recommended;   /* (owned) (nullable) */

  GtkLabel             *architecture_label;
  MmCompareBar         *compare_bar;
  GtkWidget            *main_box;
  AdwActionRow         *architecture_row;
  GtkLabel             *author_label;
  GtkStack             *card_stack;
  GtkLabel             *card_error_label;
  AdwPreferencesGroup  *card_group;
  GtkBox               *card_content;
  GtkSpinner           *card_spinner;
  GtkLabel             *context_label;
  AdwActionRow         *context_row;
  GtkLabel             *created_label;
  AdwActionRow         *created_row;
  GtkLabel             *embedding_label;
  AdwActionRow         *embedding_row;
  AdwStatusPage        *error_page;
  GtkWidget            *error_page_button;
  AdwPreferencesGroup  *disabled_group;
  GtkLabel             *disabled_label;
  GtkWidget            *error_token_button;
  AdwPreferencesGroup  *facts_group;
  GtkWidget            *gated_buttons;
  AdwPreferencesGroup  *gated_group;
  GtkImage             *gated_icon;
  GtkStack             *gated_icon_stack;
  GtkLabel             *gated_label;
  GtkWidget            *gated_page_button;
  GtkSpinner           *gated_spinner;
  GtkLabel             *gated_title;
  GtkWidget            *gated_token_button;
  GtkLabel             *layers_label;
  AdwActionRow         *layers_row;
  GtkLabel             *license_label;
  AdwActionRow         *license_row;
  GtkSpinner           *loading_spinner;
  GtkWidget            *no_gguf_page;
  GtkLabel             *parameters_label;
  AdwActionRow         *parameters_row;
  AdwPreferencesGroup  *projectors_group;
  GtkListBox           *projectors_list;
  AdwPreferencesGroup  *quants_group;
  GtkListBox           *quants_list;
  GtkWidget            *private_badge;
  AdwPreferencesGroup  *rejected_group;
  GtkListBox           *rejected_list;
  GtkWidget            *retry_button;
  GtkScrolledWindow    *scroller;
  GtkButton            *show_more_button;
  GtkStack             *stack;
  GtkFlowBox           *tags_box;
};

G_DEFINE_FINAL_TYPE (MmModelDetail, mm_model_detail, GTK_TYPE_WIDGET)

typedef enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MODEL,
  PROP_DOWNLOAD_MANAGER,
  N_PROPS,
} MmModelDetailProperty;

static GParamSpec *properties[N_PROPS];

static const char *get_blocked_reason (MmModelDetail *self);

/* The model's shape: from the GGUF header read at load when it came, else
 * what the Hub says (parameters and context, no layers). */
static void
get_shape (MmModelDetail *self,
           MmModelShape  *shape)
{
  if (!mm_model_loader_get_shape (self->loader, shape) && self->model != NULL)
    mm_model_shape_init_from_model (shape, self->model);
}

static gboolean
is_loaded (MmModelDetail *self)
{
  return mm_model_loader_get_state (self->loader) == MM_MODEL_LOADER_STATE_LOADED;
}

/* The loader's choices, for the recommendation. */
static GPtrArray *
get_quants (MmModelDetail *self)
{
  GListModel *list = mm_model_loader_get_quants (self->loader);
  guint n = g_list_model_get_n_items (list);
  GPtrArray *quants = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (quants, g_list_model_get_item (list, i));
  return quants;
}

static void
set_state (MmModelDetail *self,
           const char    *state)
{
  gboolean loading = g_str_equal (state, "loading");

  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
set_fact (AdwActionRow *row,
          GtkLabel     *label,
          const char   *value)
{
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL && *value != '\0');
  gtk_label_set_label (label, value ? value : "");
}

static gboolean
is_shown_tag (const char *tag)
{
  /* The license has its own row; the region, the base model's full id and
   * the Hub's own service flags say little to a person and crowd the rest. */
  return !g_str_has_prefix (tag, "license:") &&
         !g_str_has_prefix (tag, "region:") &&
         !g_str_has_prefix (tag, "base_model:") &&
         !g_str_equal (tag, "endpoints_compatible");
}

static GtkWidget *
create_tag_cb (gpointer item,
               gpointer user_data)
{
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (item));

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_widget_add_css_class (label, "tag");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), label);
  gtk_widget_set_focusable (child, FALSE);
  return child;
}

/* Download starts at once; the application asks first only when there is
 * something to decide, and reports what the manager refuses (not enough
 * free space, already downloaded) in a dialog that offers what to do. */
static void
quant_download_cb (MmModelDetail *self,
                   gboolean       later,
                   MmQuantRow    *row)
{
  GApplication *app = g_application_get_default ();

  if (self->model == NULL || !MM_IS_APPLICATION (app))
    return;

  /* The objects the pane shows: nothing to look up again, so a click
   * works offline too (the download then waits for the network). */
  mm_application_download_quant (MM_APPLICATION (app), self->model,
                                 mm_quant_row_get_quant (row),
                                 later ? MM_DOWNLOAD_WHEN_LATER : MM_DOWNLOAD_WHEN_NOW);
}

static GtkWidget *
create_quant_row_cb (gpointer item,
                     gpointer user_data)
{
  MmModelDetail *self = user_data;
  MmModelShape shape;
  GtkWidget *row;

  /* The shape gives the KV cache and the layers for the memory badge. */
  get_shape (self, &shape);
  row = mm_quant_row_new (item, &shape, self->machine);
  mm_quant_row_set_comparison (MM_QUANT_ROW (row),
                               mm_compare_bar_get_comparison (self->compare_bar), self->model);
  mm_quant_row_set_recommended (MM_QUANT_ROW (row), item == (gpointer) self->recommended);

  mm_quant_row_set_download_manager (MM_QUANT_ROW (row), self->manager,
                                     self->model ? mm_model_get_id (self->model) : NULL);
  mm_quant_row_set_blocked (MM_QUANT_ROW (row), get_blocked_reason (self));
  g_signal_connect_object (row, "download", G_CALLBACK (quant_download_cb), self,
                           G_CONNECT_SWAPPED);
  return row;
}

static GtkWidget *
create_rejected_row_cb (gpointer item,
                        gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  g_autofree char *title = NULL;
  const char *reason = NULL;

  if (MM_IS_REPO_FILE (item))
    {
      title = mm_path_to_display (mm_repo_file_get_path (item));
      reason = mm_repo_file_get_problem (item);
    }
  else if (MM_IS_QUANT (item))
    {
      GPtrArray *files = mm_quant_get_files (item);

      title = mm_path_to_display (mm_quant_get_label (item));
      if (files->len > 0)
        reason = mm_repo_file_get_problem (g_ptr_array_index (files, 0));
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               reason ? reason : _("This file name is not safe to save."));
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "rejected-row");
  return row;
}

/* Whether a label accepts @markup. GtkLabel takes the <a> tags out itself
 * before Pango sees the rest, so check the rest with Pango. */
static void
show_card (MmModelDetail *self,
           gsize          max_length)
{
  GtkWidget *view;
  GtkWidget *old;
  gboolean truncated = FALSE;

  view = mm_card_view_new (mm_model_loader_get_card (self->loader), max_length, &truncated);

  /* A card with nothing but front matter or HTML says nothing. */
  if (!truncated && mm_card_view_is_empty (view))
    {
      g_object_ref_sink (view);
      g_object_unref (view);
      gtk_widget_set_visible (GTK_WIDGET (self->card_group), FALSE);
      return;
    }

  while ((old = gtk_widget_get_first_child (GTK_WIDGET (self->card_content))) != NULL)
    gtk_box_remove (self->card_content, old);
  gtk_box_append (self->card_content, view);

  gtk_widget_set_visible (GTK_WIDGET (self->show_more_button), truncated);
  gtk_stack_set_visible_child_name (self->card_stack, "card");
}

/* Shows or hides each button of the access notice or the error page. */
static void
set_access_actions (MmModelDetail   *self,
                    MmAccessActions  actions,
                    GtkWidget       *token_button,
                    GtkWidget       *page_button)
{
  GtkWidget *buttons[] = { token_button, page_button };
  gboolean shown[] = {
    (actions & MM_ACCESS_ACTION_ADD_TOKEN) != 0,
    (actions & MM_ACCESS_ACTION_OPEN_MODEL_PAGE) != 0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_widget_set_visible (buttons[i], shown[i]);
}

/* Why the choices cannot be downloaded now, in the words the notice (and
 * the Downloads view, for a failed download) uses; %NULL when they can,
 * or when the Hub could not say (offline: the download then waits). */
static const char *
get_blocked_reason (MmModelDetail *self)
{
  MmGated gated = self->model ? mm_model_get_gated (self->model) : MM_GATED_NO;
  MmModelAccess access = mm_model_loader_get_gated_access (self->loader);
  MmAccessHelp help = { 0, };

  if (self->model == NULL)
    return NULL;
  /* The same words as the notice. */
  if (mm_model_get_disabled (self->model))
    return gtk_label_get_label (self->disabled_label);
  if (gated == MM_GATED_NO)
    return NULL;

  if (self->client == NULL || !mm_hub_client_get_has_token (self->client))
    mm_access_help_init (&help, MM_ACCESS_PROBLEM_GATED_NO_TOKEN, gated);
  else if (access == MM_MODEL_ACCESS_CHECKING)
    return _("Checking whether your account has access…");
  else if (access != MM_MODEL_ACCESS_GRANTED)
    mm_access_help_init_from_error (&help, mm_model_loader_get_access_error (self->loader),
                                    gated);

  return help.problem != MM_ACCESS_PROBLEM_NONE ? help.explanation : NULL;
}

static void
update_blocked (MmModelDetail *self)
{
  GtkListBox *lists[] = { self->quants_list, self->projectors_list };
  const char *reason = get_blocked_reason (self);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (lists[i]));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (MM_IS_QUANT_ROW (child))
            mm_quant_row_set_blocked (MM_QUANT_ROW (child), reason);
        }
    }
}

/* The notice above the download choices of a gated model: what the person
 * has to do, or that their account has access. */
static void
update_access_notice (MmModelDetail *self)
{
  MmGated gated = self->model ? mm_model_get_gated (self->model) : MM_GATED_NO;
  MmAccessHelp help = { 0, };
  const char *title = NULL;
  const char *text = NULL;
  MmAccessActions actions = MM_ACCESS_ACTION_NONE;
  MmModelAccess access = mm_model_loader_get_gated_access (self->loader);
  gboolean checking = access == MM_MODEL_ACCESS_CHECKING;
  gboolean granted = FALSE;

  update_blocked (self);
  gtk_widget_set_visible (GTK_WIDGET (self->gated_group), gated != MM_GATED_NO);
  if (gated == MM_GATED_NO)
    return;

  if (self->client == NULL || !mm_hub_client_get_has_token (self->client))
    mm_access_help_init (&help, MM_ACCESS_PROBLEM_GATED_NO_TOKEN, gated);
  else if (!checking && access != MM_MODEL_ACCESS_GRANTED)
    mm_access_help_init_from_error (&help, mm_model_loader_get_access_error (self->loader),
                                    gated);

  if (help.problem != MM_ACCESS_PROBLEM_NONE)
    {
      title = help.title;
      text = help.explanation;
      actions = help.actions;
    }
  else if (checking)
    {
      title = _("Gated Model");
      text = _("Checking whether your account has access…");
    }
  else if (access == MM_MODEL_ACCESS_GRANTED)
    {
      granted = TRUE;
      title = _("You Have Access");
      text = gated == MM_GATED_MANUAL
        ? _("The author has approved your account for this gated model.")
        : _("Your account has accepted the conditions of this gated model.");
    }
  else
    {
      /* The Hub could not be asked (offline, say): say what is needed. */
      title = _("Gated Model");
      text = _("Downloads need the conditions accepted on the model’s page, with the account "
               "of your access token.");
      actions = MM_ACCESS_ACTION_OPEN_MODEL_PAGE;
    }

  gtk_label_set_label (self->gated_title, title);
  gtk_label_set_label (self->gated_label, text);
  gtk_image_set_from_icon_name (self->gated_icon,
                                granted ? "emblem-ok-symbolic" : "channel-secure-symbolic");
  if (granted)
    gtk_widget_add_css_class (GTK_WIDGET (self->gated_group), "granted");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->gated_group), "granted");
  gtk_stack_set_visible_child_name (self->gated_icon_stack,
                                    checking ? "checking" : "icon");
  gtk_spinner_set_spinning (self->gated_spinner, checking);
  set_access_actions (self, actions, self->gated_token_button, self->gated_page_button);
  gtk_widget_set_visible (GTK_WIDGET (self->gated_buttons), actions != MM_ACCESS_ACTION_NONE);
}

/* Recommendation: which choice suits this computer (mm-quant.c), marked
 * with a star and named above the list. It follows the machine: the GPUs
 * found after the pane was filled, a new context length or RAM budget. */

static void
choose_recommended (MmModelDetail *self,
                    GPtrArray     *quants)
{
  MmModelShape shape;
  gint index = -1;

  get_shape (self, &shape);
  if (quants != NULL)
    index = mm_machine_recommend (self->machine, quants, &shape);
  g_clear_object (&self->recommended);
  if (index >= 0)
    self->recommended = g_object_ref (g_ptr_array_index (quants, index));
}

static void
update_quants_description (MmModelDetail *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 ram = mm_machine_get_ram (self->machine);
  guint64 budget = mm_machine_get_ram_budget (self->machine);
  guint64 gpu = mm_machine_get_gpu_memory (self->machine);
  guint64 context = mm_machine_get_context (self->machine);

  if (self->recommended != NULL)
    /* Translators: %s is a quantization such as Q4_K_M */
    g_string_append_printf (text, _("Recommended for this computer: %s."),
                            mm_quant_get_label (self->recommended));
  else if (ram > 0)
    g_string_append (text, _("None of these runs on this computer with memory to spare."));

  if (ram > 0)
    {
      g_autofree char *memory = mm_format_size (budget > 0 ? MIN (budget, ram) : ram);
      g_autofree char *gpu_memory = mm_format_size (gpu);
      g_autofree char *counts = NULL;
      g_autofree char *tokens = mm_format_integer (context);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (gpu > 0)
        /* Translators: the first %s is RAM such as "16.0 GB", the second GPU
         * memory; the third %s a number of tokens such as "4,096" */
        counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Estimates count %s of RAM, %s of GPU memory "
                                               "and %s token of context.",
                                               "Estimates count %s of RAM, %s of GPU memory "
                                               "and %s tokens of context.",
                                               (gulong) MIN (context, G_MAXULONG)),
                                  memory, gpu_memory, tokens);
      else
        /* Translators: the first %s is RAM such as "16.0 GB", the second a
         * number of tokens such as "4,096" */
        counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Estimates count %s of RAM and %s token of "
                                               "context.",
                                               "Estimates count %s of RAM and %s tokens of "
                                               "context.",
                                               (gulong) MIN (context, G_MAXULONG)),
                                  memory, tokens);
      g_string_append (text, counts);
    }

  adw_preferences_group_set_description (self->quants_group, text->len > 0 ? text->str : NULL);
}

static void
machine_changed_cb (MmModelDetail *self)
{
  g_autoptr(GPtrArray) quants = NULL;

  if (!is_loaded (self))
    return;

  quants = get_quants (self);
  choose_recommended (self, quants);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->quants_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (MM_IS_QUANT_ROW (child))
        mm_quant_row_set_recommended (MM_QUANT_ROW (child),
                                      mm_quant_row_get_quant (MM_QUANT_ROW (child)) ==
                                      self->recommended);
    }
  update_quants_description (self);
}

static char *
format_uint (guint64 value)
{
  return value > 0 ? mm_format_integer (value) : NULL;
}

/* The facts of the model, which all its files share: what the Hub says,
 * and what the header read at load adds (layers, embedding size; the
 * context when the Hub has none). A quantization's row shows only what
 * belongs to its file. */
static void
update_facts (MmModelDetail *self)
{
  MmModel *model = self->model;
  g_autofree char *created = NULL;
  g_autofree char *parameters = NULL;
  g_autofree char *license = NULL;
  g_autofree char *context = NULL;
  g_autofree char *layers = NULL;
  g_autofree char *embedding = NULL;
  guint64 tokens = mm_model_get_context_length (model);
  MmModelShape shape;
  gboolean shape_known = mm_model_loader_get_shape (self->loader, &shape);

  if (tokens == 0 && shape_known)
    tokens = shape.context_length;
  parameters = mm_format_params (mm_model_get_parameters (model));
  if (tokens > 0)
    {
      g_autofree char *n = mm_format_integer (tokens);

      /* Translators: %s is a number of tokens such as "4,096" */
      context = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                              (gulong) MIN (tokens, G_MAXULONG)),
                                 n);
    }
  if (shape_known)
    {
      layers = format_uint (shape.layers);
      embedding = format_uint (shape.embedding_length);
    }
  if (mm_model_get_created (model) != NULL)
    created = mm_format_relative (mm_model_get_created (model), NULL);
  license = mm_format_license (mm_model_get_license (model));
  set_fact (self->license_row, self->license_label, license);
  /* The name says it to a person; the id is what the Hub's filters use. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->license_label), mm_model_get_license (model));
  set_fact (self->parameters_row, self->parameters_label, parameters);
  set_fact (self->architecture_row, self->architecture_label, mm_model_get_architecture (model));
  set_fact (self->context_row, self->context_label, context);
  set_fact (self->layers_row, self->layers_label, layers);
  set_fact (self->embedding_row, self->embedding_label, embedding);
  set_fact (self->created_row, self->created_label, created);
  gtk_widget_set_visible (GTK_WIDGET (self->facts_group),
                          license != NULL || parameters != NULL ||
                          mm_model_get_architecture (model) != NULL || context != NULL ||
                          layers != NULL || embedding != NULL || created != NULL);
}

/* The card as the loader has it: on its way, shown, failed, or none. */
static void
update_card (MmModelDetail *self)
{
  const GError *error = mm_model_loader_get_card_error (self->loader);

  gtk_widget_set_visible (GTK_WIDGET (self->card_group), TRUE);
  if (mm_model_loader_get_card_loading (self->loader))
    {
      gtk_spinner_set_spinning (self->card_spinner, TRUE);
      gtk_stack_set_visible_child_name (self->card_stack, "loading");
      return;
    }

  gtk_spinner_set_spinning (self->card_spinner, FALSE);
  if (mm_model_loader_get_card (self->loader) != NULL)
    show_card (self, CARD_PREVIEW_LENGTH);
  else if (error != NULL)
    {
      gtk_label_set_label (self->card_error_label, error->message);
      gtk_stack_set_visible_child_name (self->card_stack, "error");
    }
  else
    /* No card, or a disabled repository that refuses it too: the notice
     * says why. */
    gtk_widget_set_visible (GTK_WIDGET (self->card_group), FALSE);
}

/* The template's closures for the model's header. */

static char *
format_count_cb (MmModelDetail *self,
                 gint64         count)
{
  return mm_format_count (count);
}

static gboolean
is_set_cb (MmModelDetail *self,
           GDateTime     *when)
{
  return when != NULL;
}

static char *
format_updated_cb (MmModelDetail *self,
                   GDateTime     *when)
{
  g_autofree char *relative = NULL;

  if (when == NULL)
    return g_strdup ("");
  relative = mm_format_relative (when, NULL);
  /* Translators: %s is a relative time such as "5 months ago" */
  return g_strdup_printf (_("Updated %s"), relative);
}

static void
show_model (MmModelDetail *self)
{
  MmModel *model = self->model;
  GListModel *quants = mm_model_loader_get_quants (self->loader);
  GListModel *projectors = mm_model_loader_get_projectors (self->loader);
  GListModel *rejected = mm_model_loader_get_rejected (self->loader);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  const char * const *all_tags = mm_model_get_tags (model);
  g_autofree char *author = NULL;
  g_autofree char *url = NULL;
  gboolean has_quants;

  /* Header: the name, counts and date are bound in the template. */
  url = mm_hub_client_build_model_url (self->client, mm_model_get_id (model));
  /* Translators: the first %s is the owner of a model, a person or an
   * organization; the second a link to the model's page on the Hub */
  author = g_markup_printf_escaped (_("by %s · <a href=\"%s\">View on the Hub</a>"),
                                    mm_model_get_author (model), url);
  gtk_label_set_markup (self->author_label, author);

  for (guint i = 0; all_tags != NULL && all_tags[i] != NULL && tags->len < MAX_TAGS; i++)
    if (is_shown_tag (all_tags[i]))
      g_ptr_array_add (tags, (gpointer) all_tags[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags->len > 0);
  g_ptr_array_add (tags, NULL);
  gtk_string_list_splice (self->tags,
                          0, g_list_model_get_n_items (G_LIST_MODEL (self->tags)),
                          (const char * const *) tags->pdata);

  /* Access */
  gtk_widget_set_visible (self->private_badge, mm_model_get_private (model));
  gtk_widget_set_visible (GTK_WIDGET (self->disabled_group), mm_model_get_disabled (model));
  update_access_notice (self);

  /* Facts */
  update_facts (self);

  /* Download choices: the loader's lists, whose rows are made as they
   * fill (loader_quants_changed_cb() chooses the recommended first) */
  has_quants = g_list_model_get_n_items (quants) > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->quants_group), has_quants);
  gtk_widget_set_visible (GTK_WIDGET (self->no_gguf_page), !has_quants);
  gtk_widget_set_visible (GTK_WIDGET (self->projectors_group),
                          g_list_model_get_n_items (projectors) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_group),
                          g_list_model_get_n_items (rejected) > 0);

  update_quants_description (self);

  /* The card comes next */
  update_card (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  set_state (self, "content");
}

/* The layers and heads of a model are the same in all its quantizations:
 * the loader reads one header, of the smallest choice, which gives them to
 * every row, so that a badge can say "28 of 40 layers" before any row is
 * expanded. */
static void
loader_shape_cb (MmModelDetail *self)
{
  MmModelShape shape;

  if (!is_loaded (self) || !mm_model_loader_get_shape (self->loader, &shape))
    return;

  update_facts (self);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->quants_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (MM_IS_QUANT_ROW (child))
        mm_quant_row_set_shape (MM_QUANT_ROW (child), &shape);
    }
  machine_changed_cb (self);
}

static void
loader_access_cb (MmModelDetail *self)
{
  if (is_loaded (self))
    update_access_notice (self);
}

static void
loader_card_cb (MmModelDetail *self)
{
  if (is_loaded (self))
    update_card (self);
}

/* Runs before the list box makes the rows of the new choices: they show
 * the model loaded and which of them is recommended. */
static void
loader_quants_changed_cb (MmModelDetail *self)
{
  g_autoptr(GPtrArray) quants = NULL;

  if (!is_loaded (self))
    {
      g_clear_object (&self->recommended);
      return;
    }

  if (g_set_object (&self->model, mm_model_loader_get_model (self->loader)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  quants = get_quants (self);
  choose_recommended (self, quants);
}

static void
show_error (MmModelDetail *self)
{
  const GError *error = mm_model_loader_get_error (self->loader);
  g_autofree char *description = NULL;
  MmAccessHelp help;
  MmAccessActions actions = MM_ACCESS_ACTION_NONE;

  /* A missing or private model, a refused token: say what to do. */
  if (mm_access_help_init_from_error (&help, error,
                                      self->model ? mm_model_get_gated (self->model)
                                                  : MM_GATED_NO))
    {
      adw_status_page_set_title (self->error_page, help.title);
      description = g_markup_escape_text (help.explanation, -1);
      actions = help.actions;
    }
  else
    {
      adw_status_page_set_title (self->error_page, _("Could Not Load This Model"));
      /* The status page's description is markup; the message is not. */
      description = g_markup_escape_text (error->message, -1);
    }
  adw_status_page_set_description (self->error_page, description);
  set_access_actions (self, actions, self->error_token_button, self->error_page_button);
  /* One suggested button: adding a token comes before trying again. */
  if (actions & MM_ACCESS_ACTION_ADD_TOKEN)
    gtk_widget_remove_css_class (self->retry_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->retry_button, "suggested-action");
  set_state (self, "error");
}

static void
loader_state_cb (MmModelDetail *self)
{
  switch (mm_model_loader_get_state (self->loader))
    {
    case MM_MODEL_LOADER_STATE_EMPTY:
      set_state (self, "empty");
      break;
    case MM_MODEL_LOADER_STATE_LOADING:
      set_state (self, "loading");
      break;
    case MM_MODEL_LOADER_STATE_FAILED:
      show_error (self);
      break;
    case MM_MODEL_LOADER_STATE_LOADED:
      g_set_object (&self->model, mm_model_loader_get_model (self->loader));
      show_model (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Makes the rows again: they hold the machine and the comparison they
 * were made with. */
static void
rebuild_rows (MmModelDetail *self)
{
  gtk_list_box_bind_model (self->quants_list, mm_model_loader_get_quants (self->loader),
                           create_quant_row_cb, self, NULL);
  gtk_list_box_bind_model (self->projectors_list, mm_model_loader_get_projectors (self->loader),
                           create_quant_row_cb, self, NULL);
}

static void
retry_clicked_cb (MmModelDetail *self)
{
  mm_model_detail_reload (self);
}

static void
open_page_clicked_cb (MmModelDetail *self)
{
  if (self->model != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-model-page", "s",
                                mm_model_get_id (self->model));
}

static void
show_more_clicked_cb (MmModelDetail *self)
{
  show_card (self, CARD_MAX_LENGTH);
}

static void
mm_model_detail_dispose (GObject *object)
{
  MmModelDetail *self = MM_MODEL_DETAIL (object);

  if (self->loader != NULL)
    {
      /* Cancels what is in flight; the pane hears nothing of it. */
      g_signal_handlers_disconnect_by_data (self->loader, self);
      g_signal_handlers_disconnect_by_data (mm_model_loader_get_quants (self->loader), self);
      mm_model_loader_clear (self->loader);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_MODEL_DETAIL);

  g_clear_object (&self->loader);
  g_clear_object (&self->client);
  g_clear_object (&self->manager);
  g_clear_object (&self->model);
  g_clear_object (&self->tags);
  g_clear_object (&self->recommended);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (mm_model_detail_parent_class)->dispose (object);
}

static void
mm_model_detail_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MmModelDetail *self = MM_MODEL_DETAIL (object);

  switch ((MmModelDetailProperty) prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_DOWNLOAD_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_detail_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MmModelDetail *self = MM_MODEL_DETAIL (object);

  switch ((MmModelDetailProperty) prop_id)
    {
    case PROP_CLIENT:
      mm_model_detail_set_client (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      mm_model_detail_set_model (self, g_value_get_object (value));
      break;
    case PROP_DOWNLOAD_MANAGER:
      mm_model_detail_set_download_manager (self, g_value_get_object (value));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_model_detail_class_init (MmModelDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_model_detail_dispose;
  object_class->get_property = mm_model_detail_get_property;
  object_class->set_property = mm_model_detail_set_property;

  /** MmModelDetail:client: (nullable): the Hub client used to load details */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, MM_TYPE_HUB_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MmModelDetail:model: (nullable)
   *
   * The model shown: the search result that was set, replaced by the full
   * model info once it has loaded.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, MM_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmModelDetail:download-manager: (nullable): queues the choices; no Download without it */
  properties[PROP_DOWNLOAD_MANAGER] =
    g_param_spec_object ("download-manager", NULL, NULL, MM_TYPE_DOWNLOAD_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MM_TYPE_COMPARE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-model-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, architecture_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, architecture_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, author_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, card_error_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, card_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, card_content);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, card_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, card_stack);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, context_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, context_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, created_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, disabled_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, disabled_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, embedding_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, embedding_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, error_page);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, error_page_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, error_token_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, facts_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_buttons);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_icon);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_page_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_title);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, gated_token_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, layers_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, layers_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, license_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, license_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, main_box);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, no_gguf_page);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, parameters_label);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, parameters_row);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, private_badge);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, projectors_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, projectors_list);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, quants_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, quants_list);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, rejected_group);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, rejected_list);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, show_more_button);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, MmModelDetail, tags_box);
  gtk_widget_class_bind_template_callback (widget_class, format_count_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_updated_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_set_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_page_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_more_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "modeldetail");
}

static void
mm_model_detail_init (MmModelDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->loader = mm_model_loader_new (NULL);
  g_signal_connect_object (self->loader, "notify::state", G_CALLBACK (loader_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify::access", G_CALLBACK (loader_access_cb), self,
                           G_CONNECT_SWAPPED);
  /* Set together with the card, which comes when it ends. */
  g_signal_connect_object (self->loader, "notify::card-loading", G_CALLBACK (loader_card_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify::shape-known", G_CALLBACK (loader_shape_cb),
                           self, G_CONNECT_SWAPPED);
  /* Before the list box's own handler, which makes the rows. */
  g_signal_connect_object (mm_model_loader_get_quants (self->loader), "items-changed",
                           G_CALLBACK (loader_quants_changed_cb), self, G_CONNECT_SWAPPED);
  self->tags = gtk_string_list_new (NULL);
  /* The RAM alone until the window hands over the application's machine. */
  self->machine = mm_machine_new (NULL);
  g_signal_connect_object (self->machine, "changed", G_CALLBACK (machine_changed_cb), self,
                           G_CONNECT_SWAPPED);
  mm_compare_bar_set_machine (self->compare_bar, self->machine);

  rebuild_rows (self);
  gtk_list_box_bind_model (self->rejected_list, mm_model_loader_get_rejected (self->loader),
                           create_rejected_row_cb, self, NULL);
  gtk_flow_box_bind_model (self->tags_box, G_LIST_MODEL (self->tags),
                           create_tag_cb, self, NULL);

  set_state (self, "empty");
}

/**
 * mm_model_detail_get_client:
 *
 * Returns: (transfer none) (nullable): the Hub client
 */
MmHubClient *
mm_model_detail_get_client (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return self->client;
}

void
mm_model_detail_set_client (MmModelDetail *self,
                            MmHubClient   *client)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  g_return_if_fail (!client || MM_IS_HUB_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  mm_model_loader_set_client (self->loader, client);
  if (self->model != NULL)
    mm_model_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * mm_model_detail_get_model:
 *
 * Returns: (transfer none) (nullable): the model shown, see #MmModelDetail:model
 */
MmModel *
mm_model_detail_get_model (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return self->model;
}

/**
 * mm_model_detail_set_model:
 * @model: (nullable): a model, usually a search result
 *
 * Shows @model and loads its files and card. Setting the repository that is
 * already shown does nothing, unless it failed to load.
 */
void
mm_model_detail_set_model (MmModelDetail *self,
                           MmModel       *model)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  g_return_if_fail (!model || MM_IS_MODEL (model));

  if (model != NULL && self->model != NULL &&
      g_strcmp0 (mm_model_get_id (model), mm_model_get_id (self->model)) == 0 &&
      !g_str_equal (mm_model_detail_get_state (self), "error"))
    return;

  if (!g_set_object (&self->model, model))
    return;

  mm_model_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * mm_model_detail_reload:
 *
 * Loads the shown model again, cancelling what is in flight.
 */
void
mm_model_detail_reload (MmModelDetail *self)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));

  if (self->model == NULL || self->client == NULL)
    {
      mm_model_loader_clear (self->loader);
      set_state (self, "empty");
      return;
    }

  mm_model_loader_load (self->loader, mm_model_get_id (self->model), NULL);
  /* The choices are grouped for this computer's memory when they come. */
  mm_model_loader_set_ram (self->loader, mm_machine_get_ram (self->machine));
  set_state (self, "loading");
}

/**
 * mm_model_detail_get_state:
 *
 * Returns: what the pane shows: "empty", "loading", "error", "content", or
 *   "no-gguf" for content without a single download choice
 */
const char *
mm_model_detail_get_state (MmModelDetail *self)
{
  const char *state;

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);

  state = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (state, "content") &&
      g_list_model_get_n_items (mm_model_loader_get_quants (self->loader)) == 0)
    return "no-gguf";
  return state;
}

/**
 * mm_model_detail_get_quant_titles:
 *
 * Returns: (transfer full): the titles of the quantization rows, in order
 */
GStrv
mm_model_detail_get_quant_titles (MmModelDetail *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->quants_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (MM_IS_QUANT_ROW (child))
        g_strv_builder_add (builder,
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)));
    }

  return g_strv_builder_end (builder);
}

/**
 * mm_model_detail_get_download_manager:
 *
 * Returns: (transfer none) (nullable): the manager that queues downloads
 */
MmDownloadManager *
mm_model_detail_get_download_manager (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return self->manager;
}

static void
update_rows_manager (MmModelDetail *self,
                     GtkListBox    *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (MM_IS_QUANT_ROW (child))
        mm_quant_row_set_download_manager (MM_QUANT_ROW (child), self->manager,
                                           self->model ? mm_model_get_id (self->model) : NULL);
    }
}

void
mm_model_detail_set_download_manager (MmModelDetail     *self,
                                      MmDownloadManager *manager)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  g_return_if_fail (!manager || MM_IS_DOWNLOAD_MANAGER (manager));

  if (!g_set_object (&self->manager, manager))
    return;

  mm_compare_bar_set_download_manager (self->compare_bar, manager);
  update_rows_manager (self, self->quants_list);
  update_rows_manager (self, self->projectors_list);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_MANAGER]);
}

/**
 * mm_model_detail_find_quant_row:
 * @label: a choice's label ("Q4_K_M")
 *
 * Returns: (transfer none) (nullable): the #MmQuantRow of that choice
 */
GtkWidget *
mm_model_detail_find_quant_row (MmModelDetail *self,
                                const char    *label)
{
  GtkListBox *lists[] = { self->quants_list, self->projectors_list };

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (lists[i]));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (MM_IS_QUANT_ROW (child) &&
              g_strcmp0 (mm_quant_get_label (mm_quant_row_get_quant (MM_QUANT_ROW (child))),
                         label) == 0)
            return child;
        }
    }

  return NULL;
}

/**
 * mm_model_detail_get_access_text:
 *
 * Returns: (transfer none) (nullable): what the pane says about access: the
 *   disabled or the gated notice when content is shown, the explanation
 *   (or the error message) in the error state; %NULL otherwise
 */
const char *
mm_model_detail_get_access_text (MmModelDetail *self)
{
  const char *state;

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);

  state = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (state, "error"))
    return adw_status_page_get_description (self->error_page);
  if (g_str_equal (state, "content") &&
      gtk_widget_get_visible (GTK_WIDGET (self->disabled_group)))
    return gtk_label_get_label (self->disabled_label);
  if (g_str_equal (state, "content") && gtk_widget_get_visible (GTK_WIDGET (self->gated_group)))
    return gtk_label_get_label (self->gated_label);
  return NULL;
}

/**
 * mm_model_detail_get_access_actions:
 *
 * Returns: the access buttons shown with mm_model_detail_get_access_text()
 */
MmAccessActions
mm_model_detail_get_access_actions (MmModelDetail *self)
{
  const char *state;
  GtkWidget *token_button = NULL;
  GtkWidget *page_button = NULL;
  MmAccessActions actions = MM_ACCESS_ACTION_NONE;

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), MM_ACCESS_ACTION_NONE);

  state = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (state, "error"))
    {
      token_button = self->error_token_button;
      page_button = self->error_page_button;
    }
  else if (g_str_equal (state, "content") &&
           gtk_widget_get_visible (GTK_WIDGET (self->gated_group)) &&
           gtk_widget_get_visible (GTK_WIDGET (self->gated_buttons)))
    {
      token_button = self->gated_token_button;
      page_button = self->gated_page_button;
    }

  if (token_button != NULL && gtk_widget_get_visible (token_button))
    actions |= MM_ACCESS_ACTION_ADD_TOKEN;
  if (page_button != NULL && gtk_widget_get_visible (page_button))
    actions |= MM_ACCESS_ACTION_OPEN_MODEL_PAGE;
  return actions;
}

/**
 * mm_model_detail_get_access_checking:
 *
 * Returns: whether the pane is asking the Hub if this account has access
 */
gboolean
mm_model_detail_get_access_checking (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), FALSE);
  return mm_model_loader_get_gated_access (self->loader) == MM_MODEL_ACCESS_CHECKING;
}

/**
 * mm_model_detail_set_machine:
 * @machine: this computer, whose estimates the pane shows
 */
void
mm_model_detail_set_machine (MmModelDetail *self,
                             MmMachine     *machine)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  g_return_if_fail (MM_IS_MACHINE (machine));

  if (self->machine == machine)
    return;

  g_signal_handlers_disconnect_by_data (self->machine, self);
  g_set_object (&self->machine, machine);
  g_signal_connect_object (self->machine, "changed", G_CALLBACK (machine_changed_cb), self,
                           G_CONNECT_SWAPPED);
  mm_compare_bar_set_machine (self->compare_bar, machine);
  /* The rows hold the machine they were made with: make them again (new
   * choices, when the memory changed, make new rows by themselves). */
  mm_model_loader_set_ram (self->loader, mm_machine_get_ram (machine));
  if (is_loaded (self))
    {
      g_autoptr(GPtrArray) quants = get_quants (self);

      choose_recommended (self, quants);
      rebuild_rows (self);
      show_model (self);
    }
}

/**
 * mm_model_detail_set_comparison:
 * @comparison: the choices picked to compare, shared by every window
 */
void
mm_model_detail_set_comparison (MmModelDetail *self,
                                MmComparison  *comparison)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  g_return_if_fail (MM_IS_COMPARISON (comparison));

  if (mm_compare_bar_get_comparison (self->compare_bar) == comparison)
    return;

  mm_compare_bar_set_comparison (self->compare_bar, comparison);
  if (is_loaded (self))
    {
      rebuild_rows (self);
      show_model (self);
    }
}

/**
 * mm_model_detail_get_comparison:
 *
 * Returns: (transfer none): the choices picked to compare
 */
MmComparison *
mm_model_detail_get_comparison (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return mm_compare_bar_get_comparison (self->compare_bar);
}

/**
 * mm_model_detail_open_comparison:
 *
 * What the Compare button of the bar does, for tests.
 */
void
mm_model_detail_open_comparison (MmModelDetail *self)
{
  g_return_if_fail (MM_IS_MODEL_DETAIL (self));
  mm_compare_bar_open (self->compare_bar);
}

/**
 * mm_model_detail_get_machine:
 *
 * Returns: (transfer none): the machine the estimates are for
 */
MmMachine *
mm_model_detail_get_machine (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return self->machine;
}

/**
 * mm_model_detail_get_recommended:
 *
 * Returns: (nullable): the label of the choice recommended for this
 *   computer, %NULL when none is
 */
const char *
mm_model_detail_get_recommended (MmModelDetail *self)
{
  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  return self->recommended ? mm_quant_get_label (self->recommended) : NULL;
}

/**
 * mm_model_detail_get_fact:
 * @name: "license", "parameters", "architecture", "context-length",
 *   "layers", "embedding-size" or "created"
 *
 * Returns: (nullable): what the Details group shows for @name, %NULL when
 *   the row is hidden
 */
const char *
mm_model_detail_get_fact (MmModelDetail *self,
                          const char    *name)
{
  struct {
    const char *name;
    AdwActionRow *row;
    GtkLabel *label;
  } facts[] = {
    { "license", self->license_row, self->license_label },
    { "parameters", self->parameters_row, self->parameters_label },
    { "architecture", self->architecture_row, self->architecture_label },
    { "context-length", self->context_row, self->context_label },
    { "layers", self->layers_row, self->layers_label },
    { "embedding-size", self->embedding_row, self->embedding_label },
    { "created", self->created_row, self->created_label },
  };

  g_return_val_if_fail (MM_IS_MODEL_DETAIL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      if (!g_str_equal (facts[i].name, name))
        continue;
      if (!gtk_widget_get_visible (GTK_WIDGET (facts[i].row)) ||
          !gtk_widget_get_visible (GTK_WIDGET (self->facts_group)))
        return NULL;
      return gtk_label_get_label (facts[i].label);
    }

  g_return_val_if_reached (NULL);
}
