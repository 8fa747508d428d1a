/* test-use-with.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Use With…" command lines: real paths quoted so that a shell gives
 * the program exactly that path back, Modelfiles that name the file, and a
 * context length that fits the machine's memory.
 */
#include "config.h"

#include "mm-core.h"

#include <string.h>

#define GIB ((guint64) 1024 * 1024 * 1024)

/* What a POSIX shell makes of @command: its words. */
static char **
shell_words (const char *command)
{
  g_autoptr(GError) error = NULL;
  char **argv = NULL;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_no_error (error);
  return argv;
}

static const char *odd_paths[] = {
  "/home/ada/Models/tiny-org/Pico-GGUF/Pico-Q4_K_M.gguf",
  "/home/ada/My Models/Pico Q4.gguf",
  "/home/ada/it's \"quoted\"/x.gguf",
  "/home/ada/$HOME/`id`/a;b&c|d>e<f*.gguf",
  "/home/ada/Modèles/Größe – 7B/ü.gguf",
  "/home/ada/new\nline/tab\tbed.gguf",
  "-starts-with-dash.gguf",
};

static void
test_commands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (odd_paths); i++)
    {
      const char *path = odd_paths[i];
      g_autofree char *server = mm_use_with_command (MM_USE_WITH_LLAMA_SERVER, path, 8192,
                                                     NULL, NULL);
      g_autofree char *cli = mm_use_with_command (MM_USE_WITH_LLAMA_CLI, path, 4096, NULL,
                                                  NULL);
      g_autofree char *lms = mm_use_with_command (MM_USE_WITH_LM_STUDIO, path, 4096, NULL,
                                                  NULL);
      g_autofree char *modelfile = mm_use_with_modelfile_path (path);
      g_autofree char *ollama = mm_use_with_command (MM_USE_WITH_OLLAMA, path, 4096,
                                                     "pico:q4_k_m", modelfile);
      g_auto(GStrv) w_server = shell_words (server);
      g_auto(GStrv) w_cli = shell_words (cli);
      g_auto(GStrv) w_lms = shell_words (lms);
      g_auto(GStrv) w_ollama = shell_words (ollama);

      g_assert_cmpuint (g_strv_length (w_server), ==, 5);
      g_assert_cmpstr (w_server[0], ==, "llama-server");
      g_assert_cmpstr (w_server[1], ==, "-m");
      g_assert_cmpstr (w_server[2], ==, path);
      g_assert_cmpstr (w_server[3], ==, "-c");
      g_assert_cmpstr (w_server[4], ==, "8192");

      g_assert_cmpuint (g_strv_length (w_cli), ==, 5);
      g_assert_cmpstr (w_cli[0], ==, "llama-cli");
      g_assert_cmpstr (w_cli[2], ==, path);
      g_assert_cmpstr (w_cli[4], ==, "4096");

      g_assert_cmpuint (g_strv_length (w_lms), ==, 3);
      g_assert_cmpstr (w_lms[0], ==, "lms");
      g_assert_cmpstr (w_lms[1], ==, "import");
      g_assert_cmpstr (w_lms[2], ==, path);

      g_assert_cmpuint (g_strv_length (w_ollama), ==, 5);
      g_assert_cmpstr (w_ollama[0], ==, "ollama");
      g_assert_cmpstr (w_ollama[1], ==, "create");
      g_assert_cmpstr (w_ollama[2], ==, "pico:q4_k_m");
      g_assert_cmpstr (w_ollama[3], ==, "-f");
      g_assert_cmpstr (w_ollama[4], ==, modelfile);

      /* A plain path stays readable, unquoted. */
      if (i == 0)
        g_assert_cmpstr (server, ==, "llama-server -m /home/ada/Models/tiny-org/Pico-GGUF/"
                                     "Pico-Q4_K_M.gguf -c 8192");
    }
}

/* Reads a Modelfile's FROM back the way Ollama's parser does: one word, or
 * a double-quoted string with backslash escapes. */
static char *
modelfile_from (const char *text)
{
  GString *value = g_string_new (NULL);
  const char *p;

  g_assert_true (g_str_has_prefix (text, "FROM "));
  p = text + strlen ("FROM ");
  if (*p != '"')
    {
      while (*p != '\0' && *p != '\n')
        g_string_append_c (value, *p++);
      return g_string_free (value, FALSE);
    }
  for (p++; *p != '"'; p++)
    {
      g_assert_true (*p != '\0' && *p != '\n');
      if (*p == '\\')
        {
          p++;
          g_string_append_c (value, *p == 'n' ? '\n' : *p);
        }
      else
        g_string_append_c (value, *p);
    }
  g_assert_true (p[1] == '\n');
  return g_string_free (value, FALSE);
}

static void
test_modelfile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (odd_paths); i++)
    {
      g_autofree char *text = mm_use_with_modelfile (odd_paths[i], 16384);
      g_autofree char *from = modelfile_from (text);

      g_assert_cmpstr (from, ==, odd_paths[i]);
      g_assert_nonnull (strstr (text, "\nPARAMETER num_ctx 16384\n"));
    }

  {
    g_autofree char *text = mm_use_with_modelfile ("/m/a.gguf", 2048);

    g_assert_cmpstr (text, ==, "FROM /m/a.gguf\nPARAMETER num_ctx 2048\n");
  }
  {
    g_autofree char *a = mm_use_with_modelfile_path ("/m/x/Pico-Q4_K_M.gguf");
    g_autofree char *b = mm_use_with_modelfile_path ("/m/x/odd name");
    g_autofree char *c = mm_use_with_modelfile_path ("/m/x/Big-00001-of-00002.GGUF");

    g_assert_cmpstr (a, ==, "/m/x/Pico-Q4_K_M.Modelfile");
    g_assert_cmpstr (b, ==, "/m/x/odd name.Modelfile");
    g_assert_cmpstr (c, ==, "/m/x/Big-00001-of-00002.Modelfile");
  }
}

static void
test_ollama_name (void)
{
  static const struct {
    const char *repo, *path, *quant, *expected;
  } cases[] = {
    { "tiny-org/Pico-GGUF", NULL, "Q4_K_M", "pico:q4_k_m" },
    { "bartowski/Llama-3.2-3B-Instruct-GGUF", NULL, "IQ4_XS", "llama-3.2-3b-instruct:iq4_xs" },
    { NULL, "/x/My Model (final).gguf", NULL, "my-model-final" },
    { "org/Ünïcode Name", NULL, "Q8_0", "n-code-name:q8_0" },
    { NULL, "/x/???.gguf", "", "model" },
    { NULL, NULL, NULL, "model" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = mm_use_with_ollama_name (cases[i].repo, cases[i].path,
                                                       cases[i].quant);

      g_assert_cmpstr (name, ==, cases[i].expected);
    }
}

static void
test_fit_context (void)
{
  MmModelShape shape = { 0 };
  MmUseWithMachine machine = { 0 };
  guint64 weights = 4 * GIB;
  guint64 context;

  /* A Llama-3-8B-like shape: 32 layers, 8 KV heads of 128. */
  shape.parameters = 8000000000;
  shape.context_length = 131072;
  shape.layers = 32;
  shape.embedding_length = 4096;
  shape.head_count = 32;
  shape.head_count_kv = 8;

  /* Plenty of memory: the cap, not the trained 128 k. */
  machine.total_memory = 256 * GIB;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==,
                    MM_USE_WITH_MAX_CONTEXT);

  /* Each answer fits, and twice it would not (unless at the cap). */
  for (guint64 gib = 6; gib <= 16; gib++)
    {
      g_autoptr(MmMemoryEstimate) estimate = NULL;

      machine.total_memory = gib * GIB;
      context = mm_use_with_fit_context (&shape, weights, &machine);
      g_assert_cmpuint (context, >=, MM_USE_WITH_MIN_CONTEXT);
      g_assert_cmpuint (context, <=, MM_USE_WITH_MAX_CONTEXT);
      estimate = mm_memory_estimate_new (weights, &shape, context, machine.total_memory);
      if (context > MM_USE_WITH_MIN_CONTEXT)
        g_assert_cmpint (estimate->fit, ==, MM_FIT_FITS);
      if (context < MM_USE_WITH_MAX_CONTEXT)
        {
          g_autoptr(MmMemoryEstimate) twice =
            mm_memory_estimate_new (weights, &shape, context * 2, machine.total_memory);

          g_assert_cmpint (twice->fit, !=, MM_FIT_FITS);
        }
    }

  /* More memory never means less context. */
  machine.total_memory = 8 * GIB;
  context = mm_use_with_fit_context (&shape, weights, &machine);
  machine.total_memory = 12 * GIB;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), >=, context);

  /* Too little memory: the floor. */
  machine.total_memory = 2 * GIB;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==,
                    MM_USE_WITH_MIN_CONTEXT);

  /* A short trained context and the user's limit both cap it. */
  machine.total_memory = 256 * GIB;
  shape.context_length = 2048;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==, 2048);
  shape.context_length = 1024;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==, 1024);
  shape.context_length = 131072;
  machine.max_context = 8192;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==, 8192);

  /* Unknown memory or model: the tools' usual default. */
  machine.max_context = 0;
  machine.total_memory = 0;
  g_assert_cmpuint (mm_use_with_fit_context (&shape, weights, &machine), ==,
                    MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT);
  machine.total_memory = 64 * GIB;
  g_assert_cmpuint (mm_use_with_fit_context (NULL, weights, &machine), ==,
                    MM_USE_WITH_MAX_CONTEXT);

  /* This machine's RAM is read. */
  mm_use_with_machine_init_default (&machine);
  g_assert_cmpuint (machine.total_memory, ==, mm_system_get_total_memory ());
  g_assert_cmpuint (machine.max_context, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mm/use-with/commands", test_commands);
  g_test_add_func ("/mm/use-with/modelfile", test_modelfile);
  g_test_add_func ("/mm/use-with/ollama-name", test_ollama_name);
  g_test_add_func ("/mm/use-with/fit-context", test_fit_context);

  return g_test_run ();
}
