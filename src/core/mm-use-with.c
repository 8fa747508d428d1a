/* mm-use-with.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ready-to-copy command lines that hand a model file to the tool that runs
 * it (llama.cpp, Ollama, LM Studio), with the real path and a context
 * length this machine has the memory for. Nothing here runs anything.
 *
 * The context: the longest of the model's trained context (capped at
 * MM_USE_WITH_MAX_CONTEXT, and at the user's own limit) halved until the
 * memory estimate (weights + KV cache + runtime) fits this machine's memory
 * comfortably (MM_FIT_FITS, at most 70 %), never below
 * MM_USE_WITH_MIN_CONTEXT. MmUseWithMachine is what it is fitted to: RAM
 * today; a GPU's memory and a context setting can fill it in later.
 */
#define G_LOG_DOMAIN "mm-use-with"

#include "config.h"

#include "mm-use-with.h"

#include "mm-system.h"

#include <string.h>

/**
 * mm_use_with_machine_init_default:
 *
 * Fills @machine in for this computer: its RAM, no limit of the user's.
 */
void
mm_use_with_machine_init_default (MmUseWithMachine *machine)
{
  g_return_if_fail (machine != NULL);

  memset (machine, 0, sizeof *machine);
  machine->total_memory = mm_system_get_total_memory ();
}

/**
 * mm_use_with_fit_context:
 * @shape: (nullable): what is known of the model
 * @weights: the model's size on disk (all its files)
 * @machine: what to fit it to
 *
 * Returns: the context length (tokens) to ask the tool for
 */
guint64
mm_use_with_fit_context (const MmModelShape     *shape,
                         guint64                 weights,
                         const MmUseWithMachine *machine)
{
  guint64 trained = shape != NULL ? shape->context_length : 0;
  guint64 ceiling = MM_USE_WITH_MAX_CONTEXT;
  guint64 context;

  g_return_val_if_fail (machine != NULL, MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT);

  if (machine->max_context != 0)
    ceiling = MIN (ceiling, MAX (machine->max_context, (guint64) 512));
  if (trained != 0)
    ceiling = MIN (ceiling, trained);

  /* Not knowing the memory, ask for what the tools default to. */
  if (machine->total_memory == 0)
    return MIN (ceiling, (guint64) MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT);

  for (context = ceiling; context > MM_USE_WITH_MIN_CONTEXT; context /= 2)
    {
      g_autoptr(MmMemoryEstimate) estimate =
        mm_memory_estimate_new (weights, shape, context, machine->total_memory);

      if (mm_memory_estimate_classify (estimate->total, machine->total_memory) == MM_FIT_FITS)
        return context;
    }

  return MIN (ceiling, (guint64) MM_USE_WITH_MIN_CONTEXT);
}

static gboolean
is_plain_word (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("/._-+:,@%=", *p) == NULL)
        return FALSE;
    }
  return *word != '-';
}

/* @word as is when a POSIX shell reads it so (letters, digits and
 * `/._-+:,@%=`), else quoted with g_shell_quote(). */
static char *
shell_quote (const char *word)
{
  g_return_val_if_fail (word != NULL, NULL);

  if (is_plain_word (word))
    return g_strdup (word);
  return g_shell_quote (word);
}

/**
 * mm_use_with_command:
 * @tool: which tool
 * @model_path: the model's file (the first part of a split model)
 * @context: tokens of context (ignored by `lms import`)
 * @ollama_name: (nullable): the name for `ollama create`
 * @modelfile_path: (nullable): the Modelfile for `ollama create`
 *
 * Returns: (transfer full): one command line, every argument quoted for a
 *   POSIX shell where needed
 */
char *
mm_use_with_command (MmUseWithTool  tool,
                     const char    *model_path,
                     guint64        context,
                     const char    *ollama_name,
                     const char    *modelfile_path)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (model_path != NULL, NULL);

  path = shell_quote (model_path);

  switch (tool)
    {
    case MM_USE_WITH_LLAMA_SERVER:
      return g_strdup_printf ("llama-server -m %s -c %" G_GUINT64_FORMAT, path, context);
    case MM_USE_WITH_LLAMA_CLI:
      return g_strdup_printf ("llama-cli -m %s -c %" G_GUINT64_FORMAT, path, context);
    case MM_USE_WITH_OLLAMA:
      {
        g_autofree char *name = shell_quote (ollama_name ? ollama_name : "model");
        g_autofree char *default_modelfile = mm_use_with_modelfile_path (model_path);
        g_autofree char *modelfile = shell_quote (modelfile_path ? modelfile_path
                                                                 : default_modelfile);

        return g_strdup_printf ("ollama create %s -f %s", name, modelfile);
      }
    case MM_USE_WITH_LM_STUDIO:
      return g_strdup_printf ("lms import %s", path);
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * mm_use_with_modelfile:
 * @model_path: the model's file
 * @context: tokens of context
 *
 * Ollama reads `FROM` as one word unless it is in double quotes, in which
 * a double quote or a backslash is escaped with a backslash.
 *
 * Returns: (transfer full): the text of an Ollama Modelfile for the model
 */
char *
mm_use_with_modelfile (const char *model_path,
                       guint64     context)
{
  g_autoptr(GString) from = g_string_new (NULL);
  gboolean quote = FALSE;

  g_return_val_if_fail (model_path != NULL, NULL);

  for (const char *p = model_path; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '"' || *p == '\\' || *p == '#')
        quote = TRUE;
    }

  if (quote)
    {
      g_string_append_c (from, '"');
      for (const char *p = model_path; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (from, '\\');
          if (*p == '\n')
            g_string_append (from, "\\n");
          else
            g_string_append_c (from, *p);
        }
      g_string_append_c (from, '"');
    }
  else
    {
      g_string_append (from, model_path);
    }

  return g_strdup_printf ("FROM %s\nPARAMETER num_ctx %" G_GUINT64_FORMAT "\n", from->str,
                          context);
}

/**
 * mm_use_with_modelfile_path:
 * @model_path: the model's file
 *
 * Returns: (transfer full): where the Modelfile is saved: next to the
 *   model, named after it ("x-Q4_K_M.gguf" → "x-Q4_K_M.Modelfile")
 */
char *
mm_use_with_modelfile_path (const char *model_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (model_path != NULL, NULL);

  dir = g_path_get_dirname (model_path);
  base = g_path_get_basename (model_path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base && g_ascii_strcasecmp (dot, ".gguf") == 0)
    *dot = '\0';

  return g_strdup_printf ("%s%s%s.Modelfile", dir, G_DIR_SEPARATOR_S, base);
}

/* Ollama names: lower-case letters, digits, '_', '-' and '.'. */
static char *
ollama_word (const char *text,
             gsize       max_len)
{
  GString *word = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && word->len < max_len; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c) || c == '_' || c == '.')
        g_string_append_c (word, c);
      else if (word->len > 0 && word->str[word->len - 1] != '-')
        g_string_append_c (word, '-');
    }
  while (word->len > 0 && strchr ("-._", word->str[word->len - 1]) != NULL)
    g_string_truncate (word, word->len - 1);
  while (word->len > 0 && strchr ("-._", word->str[0]) != NULL)
    g_string_erase (word, 0, 1);

  return g_string_free (word, FALSE);
}

/**
 * mm_use_with_ollama_name:
 * @repo_id: (nullable): `owner/name` of the model
 * @model_path: the model's file, for a name when @repo_id is %NULL
 * @quant: (nullable): the quantization, as the tag ("Q4_K_M" → "q4_k_m")
 *
 * Returns: (transfer full): a valid Ollama model name such as
 *   `pico:q4_k_m` (the repo's name without "-GGUF")
 */
char *
mm_use_with_ollama_name (const char *repo_id,
                         const char *model_path,
                         const char *quant)
{
  g_autofree char *source = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tag = NULL;
  const char *slash;

  if (repo_id != NULL && (slash = strrchr (repo_id, '/')) != NULL)
    source = g_strdup (slash + 1);
  else if (repo_id != NULL)
    source = g_strdup (repo_id);
  else if (model_path != NULL)
    {
      char *dot;

      source = g_path_get_basename (model_path);
      dot = strrchr (source, '.');
      if (dot != NULL && dot != source)
        *dot = '\0';
    }
  else
    source = g_strdup ("model");

  if (g_str_has_suffix (source, "-GGUF") || g_str_has_suffix (source, "-gguf") ||
      g_str_has_suffix (source, "_GGUF") || g_str_has_suffix (source, ".gguf"))
    source[strlen (source) - 5] = '\0';

  name = ollama_word (source, 80);
  if (*name == '\0')
    {
      g_free (name);
      name = g_strdup ("model");
    }
  tag = quant != NULL ? ollama_word (quant, 40) : NULL;

  if (tag != NULL && *tag != '\0')
    return g_strdup_printf ("%s:%s", name, tag);
  return g_steal_pointer (&name);
}
