/* mm-use-with-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Use With…": the command lines that hand one model file to llama.cpp,
 * Ollama and LM Studio, built by the core (mm-use-with.c) with the real
 * path and a context length this machine has the memory for. Each has a
 * Copy button (clipboard and a toast); the Ollama Modelfile can also be
 * saved next to the model. Nothing is run.
 *
 * The context needs the model's shape: the dialog takes the GGUF facts
 * when the caller has them, else reads the header itself and fills the
 * commands in again when it arrives.
 */
#define G_LOG_DOMAIN "mm-use-with-dialog"

#include "config.h"

#include "mm-use-with-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MmUseWithDialog
{
  AdwWindow        parent_instance;

  char            *model_path;
  char            *repo_id;
  char            *quant;
  char            *ollama_name;
  char            *modelfile_path;
  guint64          weights;
  guint64          context;
  gboolean         ready;         /* the facts are known, or cannot be */
  MmGgufInfo      *info;          /* (nullable) */
  GCancellable    *cancellable;
  GHashTable      *commands;      /* name → text */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkLabel        *intro_label;
  GtkLabel        *server_title;
  GtkLabel        *server_label;
  GtkLabel        *cli_title;
  GtkLabel        *cli_label;
  GtkLabel        *modelfile_title;
  GtkLabel        *modelfile_label;
  GtkLabel        *ollama_title;
  GtkLabel        *ollama_label;
  GtkLabel        *lms_title;
  GtkLabel        *lms_label;
  GtkWidget       *server_copy;
};

G_DEFINE_FINAL_TYPE (MmUseWithDialog, mm_use_with_dialog, ADW_TYPE_WINDOW)

static void
toast (MmUseWithDialog *self,
       const char      *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_command (MmUseWithDialog *self,
             const char      *name,
             GtkLabel        *label,
             char            *text)
{
  g_autofree char *shown = g_strdup (text);

  /* A Modelfile ends with a newline; the card does not need it. */
  g_strchomp (shown);
  gtk_label_set_label (label, shown);
  g_hash_table_replace (self->commands, g_strdup (name), text);
}

/* Fills every command in for the current context. */
static void
update (MmUseWithDialog *self)
{
  MmUseWithMachine machine;
  MmModelShape shape = { 0 };
  g_autofree char *context = NULL;
  g_autofree char *intro = NULL;

  mm_use_with_machine_init_default (&machine);
  if (self->info != NULL)
    mm_model_shape_init_from_gguf (&shape, self->info);
  self->context = mm_use_with_fit_context (self->info ? &shape : NULL, self->weights, &machine);

  context = mm_format_integer (self->context);
  if (machine.total_memory != 0)
    {
      g_autofree char *memory = mm_format_size (machine.total_memory);

      /* Translators: the first %s is a number of tokens ("8,192"), the
       * second this computer's memory ("16.0 GB") */
      intro = g_strdup_printf (_("Copy a command and run it in a terminal. The context length, "
                                 "%s tokens, leaves room in this computer’s %s of memory."),
                               context, memory);
    }
  else
    {
      /* Translators: %s is a number of tokens ("4,096") */
      intro = g_strdup_printf (_("Copy a command and run it in a terminal. The context length "
                                 "is %s tokens."), context);
    }
  gtk_label_set_label (self->intro_label, intro);

  set_command (self, "llama-server", self->server_label,
               mm_use_with_command (MM_USE_WITH_LLAMA_SERVER, self->model_path, self->context,
                                    NULL, NULL));
  set_command (self, "llama-cli", self->cli_label,
               mm_use_with_command (MM_USE_WITH_LLAMA_CLI, self->model_path, self->context,
                                    NULL, NULL));
  set_command (self, "modelfile", self->modelfile_label,
               mm_use_with_modelfile (self->model_path, self->context));
  set_command (self, "ollama", self->ollama_label,
               mm_use_with_command (MM_USE_WITH_OLLAMA, self->model_path, self->context,
                                    self->ollama_name, self->modelfile_path));
  set_command (self, "lms", self->lms_label,
               mm_use_with_command (MM_USE_WITH_LM_STUDIO, self->model_path, self->context,
                                    NULL, NULL));
}

static void
info_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MmUseWithDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = mm_gguf_reader_read_file_finish (result, &error);

  self->ready = TRUE;
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No GGUF facts for %s: %s", self->model_path, error->message);
      return;
    }

  g_set_object (&self->info, info);
  update (self);
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MmUseWithDialog *self = MM_USE_WITH_DIALOG (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  const char *text = g_hash_table_lookup (self->commands, name);

  if (text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, g_str_equal (name, "modelfile") ? _("Modelfile copied to the clipboard")
                                               : _("Command copied to the clipboard"));
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MmUseWithDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "use-with.save-modelfile", TRUE);
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why ("Permission denied") */
      message = g_strdup_printf (_("The Modelfile could not be saved: %s"), error->message);
      toast (self, message);
      return;
    }

  name = g_path_get_basename (self->modelfile_path);
  /* Translators: %s is a file name ("Pico-Q4_K_M.Modelfile") */
  message = g_strdup_printf (_("Saved “%s” next to the model"), name);
  toast (self, message);
}

static void
save_modelfile_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  MmUseWithDialog *self = MM_USE_WITH_DIALOG (widget);
  const char *text = g_hash_table_lookup (self->commands, "modelfile");
  g_autoptr(GFile) file = g_file_new_for_path (self->modelfile_path);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  gtk_widget_action_set_enabled (widget, "use-with.save-modelfile", FALSE);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       self->cancellable, save_done_cb, g_object_ref (self));
}

static void
mm_use_with_dialog_dispose (GObject *object)
{
  MmUseWithDialog *self = MM_USE_WITH_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_USE_WITH_DIALOG);

  G_OBJECT_CLASS (mm_use_with_dialog_parent_class)->dispose (object);
}

static void
mm_use_with_dialog_finalize (GObject *object)
{
  MmUseWithDialog *self = MM_USE_WITH_DIALOG (object);

  g_clear_object (&self->info);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->commands, g_hash_table_unref);
  g_free (self->model_path);
  g_free (self->repo_id);
  g_free (self->quant);
  g_free (self->ollama_name);
  g_free (self->modelfile_path);

  G_OBJECT_CLASS (mm_use_with_dialog_parent_class)->finalize (object);
}

static void
mm_use_with_dialog_class_init (MmUseWithDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_use_with_dialog_dispose;
  object_class->finalize = mm_use_with_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-use-with-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, server_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, server_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, cli_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, cli_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, modelfile_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, modelfile_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, ollama_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, ollama_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, lms_title);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, lms_label);
  gtk_widget_class_bind_template_child (widget_class, MmUseWithDialog, server_copy);

  gtk_widget_class_install_action (widget_class, "use-with.copy", "s", copy_action_cb);
  gtk_widget_class_install_action (widget_class, "use-with.save-modelfile", NULL,
                                   save_modelfile_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mm_use_with_dialog_init (MmUseWithDialog *self)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  GtkLabel *commands[5];

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A command wraps anywhere, but a hyphen where it wraps would look like
   * part of the path. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  commands[0] = self->server_label;
  commands[1] = self->cli_label;
  commands[2] = self->modelfile_label;
  commands[3] = self->ollama_label;
  commands[4] = self->lms_label;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    gtk_label_set_attributes (commands[i], attrs);

  self->cancellable = g_cancellable_new ();
  self->commands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * mm_use_with_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @model_path: the model's file (the first part of a split model)
 * @repo_id: (nullable): `owner/name`, for the Ollama name
 * @quant: (nullable): the quantization, for the Ollama tag
 * @weights: the size of all the model's files
 * @info: (nullable): its GGUF facts, when known; else they are read
 *
 * Returns: (transfer full): the dialog, not shown yet
 */
MmUseWithDialog *
mm_use_with_dialog_new (GtkWindow  *parent,
                        const char *model_path,
                        const char *repo_id,
                        const char *quant,
                        guint64     weights,
                        MmGgufInfo *info)
{
  MmUseWithDialog *self;
  g_autofree char *basename = NULL;
  g_autofree char *modelfile_name = NULL;

  g_return_val_if_fail (model_path != NULL, NULL);

  self = g_object_new (MM_TYPE_USE_WITH_DIALOG, NULL);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);

  self->model_path = g_strdup (model_path);
  self->repo_id = g_strdup (repo_id);
  self->quant = g_strdup (quant);
  self->weights = weights;
  self->info = info != NULL ? g_object_ref (info) : NULL;
  self->ollama_name = mm_use_with_ollama_name (repo_id, model_path, quant);
  self->modelfile_path = mm_use_with_modelfile_path (model_path);

  basename = g_path_get_basename (model_path);
  modelfile_name = g_path_get_basename (self->modelfile_path);
  adw_window_title_set_subtitle (self->window_title, basename);

  gtk_label_set_label (self->server_title, _("Server with a web chat and an API"));
  gtk_label_set_label (self->cli_title, _("Chat in the terminal"));
  /* Translators: %s is a file name ("Pico-Q4_K_M.Modelfile") */
  {
    g_autofree char *title = g_strdup_printf (_("Modelfile “%s”"), modelfile_name);

    gtk_label_set_label (self->modelfile_title, title);
  }
  gtk_label_set_label (self->ollama_title, _("Add it to Ollama"));
  gtk_label_set_label (self->lms_title, _("Add it to LM Studio"));

  update (self);
  /* Not into the first command's text, which would show a caret in it. */
  gtk_window_set_focus (GTK_WINDOW (self), self->server_copy);

  self->ready = self->info != NULL;
  if (self->info == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (model_path);

      mm_gguf_reader_read_file_async (file, self->cancellable, info_read_cb,
                                      g_object_ref (self));
    }

  return self;
}

/**
 * mm_use_with_dialog_get_command:
 * @name: "llama-server", "llama-cli", "modelfile", "ollama" or "lms"
 *
 * Returns: (nullable): the text its Copy button copies
 */
const char *
mm_use_with_dialog_get_command (MmUseWithDialog *self,
                                const char      *name)
{
  g_return_val_if_fail (MM_IS_USE_WITH_DIALOG (self), NULL);

  return g_hash_table_lookup (self->commands, name);
}

guint64
mm_use_with_dialog_get_context (MmUseWithDialog *self)
{
  g_return_val_if_fail (MM_IS_USE_WITH_DIALOG (self), 0);

  return self->context;
}

/**
 * mm_use_with_dialog_get_ready:
 *
 * Returns: whether the commands are final: the model's facts were given,
 *   read, or could not be read
 */
gboolean
mm_use_with_dialog_get_ready (MmUseWithDialog *self)
{
  g_return_val_if_fail (MM_IS_USE_WITH_DIALOG (self), FALSE);

  return self->ready;
}
