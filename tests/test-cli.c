/* test-cli.c: model-manager-cli's output and exit codes against the mock Hub
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-gguf-writer.h"
#include "mm-mock-hub.h"
#include "mm-test-utils.h"

#include <string.h>

typedef struct {
  MmMockHub *hub;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mm_mock_hub_stop (fixture->hub);
  g_assert_finalize_object (fixture->hub);
}

/* @env: (nullable): more NAME, VALUE pairs for the environment, then NULL */
static void
run_cli_va (const char * const *env,
            const char         *endpoint,
            MmTestRun                *run,
            va_list             ap)
{
  g_autoptr(GSubprocessLauncher) launcher = mm_test_cli_launcher_new (endpoint);
  g_autoptr(GSubprocess) process = NULL;

  g_subprocess_launcher_setenv (launcher, "MM_TOTAL_MEMORY", "17179869184", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = mm_test_cli_spawn_valist (launcher, ap);
  mm_test_run_finish (process, run);
}

static void
run_cli (const char *endpoint,
         MmTestRun        *run,
         ...)
{
  va_list ap;

  va_start (ap, run);
  run_cli_va (NULL, endpoint, run, ap);
  va_end (ap);
}

static void
run_cli_va_env (const char * const *env,
                const char         *endpoint,
                MmTestRun          *run,
                ...)
{
  va_list ap;

  va_start (ap, run);
  run_cli_va (env, endpoint, run, ap);
  va_end (ap);
}

static void
run_cli_env (const char * const *env,
             MmTestRun                *run,
             ...)
{
  va_list ap;

  va_start (ap, run);
  run_cli_va (env, "http://127.0.0.1:9", run, ap);
  va_end (ap);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_search_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  mm_mock_hub_reset_counters (fixture->hub);
  /* More than one page (the CLI asks for at most 50 a page): the cursor is followed. */
  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "search", "", "--limit", "53",
           "--sort", "likes", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/api/models"), >=, 2);

  root = parse (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 53);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      g_assert_true (json_object_has_member (item, "id"));
      g_assert_true (json_object_has_member (item, "author"));
      g_assert_true (json_object_has_member (item, "downloads"));
      g_assert_true (json_object_has_member (item, "likes"));
      g_assert_true (json_object_has_member (item, "updated"));
      g_assert_true (json_object_has_member (item, "gated"));
      g_assert_true (g_hash_table_add (ids, (gpointer) json_object_get_string_member (item, "id")));
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (item, "likes"), <=,
                         json_object_get_int_member (json_array_get_object_element (array, i - 1),
                                                     "likes"));
    }
}

static void
test_search_text (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "search", "tinychat", "--limit", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "example-org/TinyChat-1.1B-GGUF"));
  g_assert_nonnull (strstr (run.out, "48.2 k"));
  /* Exactly two lines. */
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
}

static JsonObject *
find_quant (JsonArray  *quants,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (quants); i++)
    {
      JsonObject *quant = json_array_get_object_element (quants, i);

      if (g_str_equal (json_object_get_string_member (quant, "name"), name))
        return quant;
    }
  return NULL;
}

static void
test_info_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *quants;
  JsonObject *bf16;
  JsonArray *files;
  guint64 last_size = 0;

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "example-org/TinyChat-1.1B-GGUF",
           "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==,
                   "example-org/TinyChat-1.1B-GGUF");
  g_assert_cmpstr (json_object_get_string_member (object, "author"), ==, "example-org");
  g_assert_cmpint (json_object_get_int_member (object, "downloads"), ==, 48213);
  g_assert_cmpint (json_object_get_int_member (object, "likes"), ==, 57);
  g_assert_cmpstr (json_object_get_string_member (object, "license"), ==, "apache-2.0");
  g_assert_false (json_object_get_boolean_member (object, "gated"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")), >, 3);

  quants = json_object_get_array_member (object, "quants");
  g_assert_cmpuint (json_array_get_length (quants), ==, 8);
  for (guint i = 0; i < json_array_get_length (quants); i++)
    {
      JsonObject *quant = json_array_get_object_element (quants, i);
      guint64 size = json_object_get_int_member (quant, "size");

      g_assert_cmpuint (size, >=, last_size);
      last_size = size;
      g_assert_true (json_object_has_member (quant, "bits_per_weight"));
      g_assert_true (json_object_has_member (quant, "fit"));
    }

  g_assert_nonnull (find_quant (quants, "Q4_K_M"));
  g_assert_nonnull (find_quant (quants, "IQ4_XS"));
  bf16 = find_quant (quants, "BF16");
  g_assert_nonnull (bf16);
  g_assert_cmpint (json_object_get_int_member (bf16, "size"), ==, 2201016320);
  g_assert_cmpfloat (json_object_get_double_member (bf16, "bits_per_weight"), ==, 16.0);
  files = json_object_get_array_member (bf16, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, 0), "sha256"),
                   ==, "d74adf1263cb877874eaae76c0fb7df37ad8343432961efdf7574b60ff61dc4f");
  /* 16 GiB of RAM: the 2.2 GB BF16 set fits, as every choice here. */
  g_assert_cmpstr (json_object_get_string_member (bf16, "fit"), ==, "fits");
}

/* Where each choice runs, and the one recommended: this computer is what
 * MM_TOTAL_MEMORY and MM_GPU_MEMORY say, and the layers come from the
 * GGUF header of the smallest choice. */
static void
test_info_recommended (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *cpu_env[] = { "MM_GPU_MEMORY", "0", NULL };
  /* 64 GiB of RAM, a 24 GiB GPU: Giant-70B's Q4_K_M half on it. */
  const char *gpu_env[] = {
    "MM_TOTAL_MEMORY", "68719476736", "MM_GPU_MEMORY", "25769803776",
    "MM_GPU_NAME", "Test GPU", NULL,
  };
  g_auto(MmTestRun) run = { 0 };
  g_auto(MmTestRun) giant = { 0 };
  g_auto(MmTestRun) small = { 0 };
  g_auto(MmTestRun) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) giant_root = NULL;
  g_autoptr(JsonNode) small_root = NULL;
  JsonObject *object;
  JsonObject *machine;
  JsonArray *quants;
  JsonObject *q4;

  run_cli_va_env (cpu_env, mm_mock_hub_get_url (fixture->hub), &run, "info",
                  "example-org/TinyChat-1.1B-GGUF", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  object = json_node_get_object (root);
  machine = json_object_get_object_member (object, "machine");
  g_assert_cmpint (json_object_get_int_member (machine, "ram"), ==, 17179869184);
  g_assert_cmpint (json_object_get_int_member (machine, "gpu_memory"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (machine, "gpu_kind"), ==, "none");
  g_assert_cmpint (json_object_get_int_member (machine, "context"), ==, 4096);
  /* 22 layers, from the header: the Hub does not say. */
  g_assert_cmpint (json_object_get_int_member (object, "layers"), ==, 22);
  /* Everything fits 16 GiB; Q8_0 is the best below 16 bits. */
  g_assert_cmpstr (json_object_get_string_member (object, "recommended"), ==, "Q8_0");
  quants = json_object_get_array_member (object, "quants");
  for (guint i = 0; i < json_array_get_length (quants); i++)
    {
      JsonObject *quant = json_array_get_object_element (quants, i);

      g_assert_cmpstr (json_object_get_string_member (quant, "placement"), ==, "cpu");
      g_assert_cmpint (json_object_get_boolean_member (quant, "recommended"), ==,
                       g_str_equal (json_object_get_string_member (quant, "name"), "Q8_0"));
    }

  run_cli_va_env (gpu_env, mm_mock_hub_get_url (fixture->hub), &giant, "info",
                  "big-org/Giant-70B-GGUF", "--json", NULL);
  g_assert_cmpint (giant.status, ==, 0);
  giant_root = parse (giant.out);
  object = json_node_get_object (giant_root);
  g_assert_cmpint (json_object_get_int_member (object, "layers"), ==, 80);
  g_assert_cmpstr (json_object_get_string_member (object, "recommended"), ==, "Q4_K_M");
  quants = json_object_get_array_member (object, "quants");
  q4 = find_quant (quants, "Q4_K_M");
  g_assert_cmpstr (json_object_get_string_member (q4, "placement"), ==, "partial");
  g_assert_cmpint (json_object_get_int_member (q4, "layers"), ==, 80);
  /* (42595279223 + 1342177280 KV) / 80 layers = 549216581 bytes a layer;
   * 90% of 24 GiB less the runtime (320 MiB + 2%) holds 40 of them. */
  g_assert_cmpint (json_object_get_int_member (q4, "gpu_layers"), ==, 40);
  g_assert_true (json_object_get_boolean_member (q4, "recommended"));
  g_assert_cmpstr (json_object_get_string_member (find_quant (quants, "F16"), "placement"), ==,
                   "too-large");

  /* On 16 GiB without a GPU nothing of Giant fits: no recommendation. */
  run_cli_va_env (cpu_env, mm_mock_hub_get_url (fixture->hub), &small, "info",
                  "big-org/Giant-70B-GGUF", "--json", NULL);
  g_assert_cmpint (small.status, ==, 0);
  small_root = parse (small.out);
  g_assert_true (json_object_get_null_member (json_node_get_object (small_root), "recommended"));

  run_cli_va_env (gpu_env, mm_mock_hub_get_url (fixture->hub), &text, "info",
                  "big-org/Giant-70B-GGUF", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "GPU: Test GPU, 25.8\302\240GB"));
  g_assert_nonnull (strstr (text.out, "* Q4_K_M"));
  g_assert_nonnull (strstr (text.out, "Partly on the GPU — 40 of 80 layers  ← recommended for "
                                      "this computer"));
  g_assert_nonnull (strstr (text.out, "Partly on the GPU — 22 of 80 layers\n"));
}

/* `download REPO` without a choice takes the recommended one, and says so
 * on stderr; when nothing fits it names the choices instead. */
static void
test_download_recommended (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *env[] = { "MM_GPU_MEMORY", "0", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-recommended-XXXXXX", &error);
  g_autofree char *expected = g_build_filename (tmp, "tiny-org", "Pico-GGUF", "Pico-Q8_0.gguf",
                                                NULL);
  g_autofree char *q4 = g_build_filename (tmp, "tiny-org", "Pico-GGUF", "Pico-Q4_K_M.gguf",
                                          NULL);
  g_auto(MmTestRun) run = { 0 };
  g_auto(MmTestRun) none = { 0 };

  g_assert_no_error (error);
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &run, "download",
                  "tiny-org/Pico-GGUF", "--dir", tmp, NULL);
  if (run.status != 0)
    g_error ("download: exit %d: %s", run.status, run.err);
  g_assert_nonnull (strstr (run.err, "No quantization given: downloading Q8_0, the one "
                                     "recommended for this computer (CPU only)."));
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (q4, G_FILE_TEST_EXISTS));

  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &none, "download",
                  "big-org/Giant-70B-GGUF", "--dir", tmp, NULL);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "None of the quantizations of big-org/Giant-70B-GGUF runs "
                                      "on this computer with memory to spare"));
  g_assert_nonnull (strstr (none.err, "Choices: Q4_K_M, Q8_0, F16."));
}

/* compare: the named choices, or the recommended one, side by side. */
static void
test_compare (Fixture       *fixture,
              gconstpointer  data)
{
  const char *env[] = { "MM_GPU_MEMORY", "0", NULL };
  g_auto(MmTestRun) text = { 0 };
  g_auto(MmTestRun) json = { 0 };
  g_auto(MmTestRun) missing = { 0 };
  g_auto(MmTestRun) one = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  JsonObject *q4;
  JsonObject *recommended;
  JsonObject *iq4;

  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &text, "compare",
                  "example-org/TinyChat-1.1B-GGUF:Q4_K_M", "example-org/TinyChat-1.1B-GGUF:iq4_xs",
                  "tiny-org/Pico-GGUF", NULL);
  if (text.status != 0)
    g_error ("compare: exit %d: %s", text.status, text.err);
  g_assert_nonnull (strstr (text.out, "TinyChat-1.1B-GGUF · Q4_K_M"));
  g_assert_nonnull (strstr (text.out, "TinyChat-1.1B-GGUF · IQ4_XS"));
  /* Pico without a choice: the one recommended here. */
  g_assert_nonnull (strstr (text.out, "Pico-GGUF · Q8_0"));
  g_assert_nonnull (strstr (text.out, "Typical Quality Loss  +0.1754 perplexity (Llama-3-8B)"));
  g_assert_nonnull (strstr (text.out, "Not published"));
  g_assert_nonnull (strstr (text.out, "Where It Runs         CPU only"));
  g_assert_nonnull (strstr (text.out, "llama.cpp publishes"));

  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &json, "compare",
                  "example-org/TinyChat-1.1B-GGUF:Q4_K_M", "tiny-org/Pico-GGUF",
                  "example-org/TinyChat-1.1B-GGUF:IQ4_XS", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse (json.out);
  items = json_object_get_array_member (json_node_get_object (root), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  q4 = json_array_get_object_element (items, 0);
  recommended = json_array_get_object_element (items, 1);
  iq4 = json_array_get_object_element (items, 2);
  g_assert_cmpstr (json_object_get_string_member (q4, "repo"), ==,
                   "example-org/TinyChat-1.1B-GGUF");
  g_assert_cmpstr (json_object_get_string_member (q4, "quant"), ==, "Q4_K_M");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (q4, "perplexity_increase"),
                                  0.1754, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (q4, "perplexity_measured_on"), ==,
                   "Llama-3-8B");
  g_assert_cmpstr (json_object_get_string_member (q4, "placement"), ==, "cpu");
  /* TinyChat's own context, 2048 tokens, is shorter than the 4096 counted. */
  g_assert_cmpint (json_object_get_int_member (q4, "context"), ==, 2048);
  g_assert_cmpint (json_object_get_int_member (q4, "layers"), ==, 22);
  g_assert_cmpstr (json_object_get_string_member (q4, "license"), ==, "apache-2.0");
  g_assert_cmpint (json_object_get_int_member (q4, "downloads"), ==, 48213);
  g_assert_cmpstr (json_object_get_string_member (recommended, "quant"), ==, "Q8_0");
  g_assert_true (json_object_get_null_member (iq4, "perplexity_increase"));

  /* A choice that is not there names the ones that are. */
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &missing, "compare",
                  "tiny-org/Pico-GGUF:Q5_K_M", "tiny-org/Pico-GGUF:Q8_0", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "tiny-org/Pico-GGUF has no quantization named "
                                         "“Q5_K_M”. Choices: Q4_K_M, Q2_K, Q8_0."));

  /* One is no comparison. */
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &one, "compare",
                  "tiny-org/Pico-GGUF:Q8_0", NULL);
  g_assert_cmpint (one.status, ==, 2);
  g_assert_nonnull (strstr (one.err, "Give two to four quantizations"));
}

static void
test_info_hostile (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *quants;
  JsonArray *rejected;

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "evil-org/Hostile-GGUF", "--json",
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  quants = json_object_get_array_member (json_node_get_object (root), "quants");
  rejected = json_object_get_array_member (json_node_get_object (root), "rejected");
  g_assert_cmpuint (json_array_get_length (rejected), >=, 4);
  for (guint i = 0; i < json_array_get_length (quants); i++)
    {
      JsonArray *files = json_object_get_array_member (json_array_get_object_element (quants, i),
                                                       "files");

      for (guint j = 0; j < json_array_get_length (files); j++)
        {
          const char *path = json_object_get_string_member (
            json_array_get_object_element (files, j), "path");

          g_assert_null (strstr (path, ".."));
          g_assert_false (g_path_is_absolute (path));
          g_assert_null (strchr (path, '\\'));
        }
    }
  for (guint i = 0; i < json_array_get_length (rejected); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, i),
                                                    "reason"), !=, "");
}

static void
test_info_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "example-org/TinyChat-1.1B-GGUF",
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Quantizations:"));
  g_assert_nonnull (strstr (run.out, "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf"));
  g_assert_nonnull (strstr (run.out, "apache-2.0"));
  /* The facts' values start in one column, two spaces after the longest
   * label ("Downloads:"). */
  g_assert_nonnull (strstr (run.out, "\n  Author:     "));
  g_assert_nonnull (strstr (run.out, "\n  Downloads:  "));
  g_assert_nonnull (strstr (run.out, "\n  License:    apache-2.0\n"));
  g_assert_nonnull (strstr (run.out, "\n  Tags:       "));
}

static void
test_info_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(MmTestRun) run = { 0 };

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "nobody/Missing-GGUF", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "model-manager-cli: "));
  g_assert_nonnull (strstr (run.err, "nobody/Missing-GGUF"));
  /* One line. */
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
}

/* A download of a gated model with a token the Hub refuses: whichever of
 * its two known answers the Hub gives, the one-line error says to check
 * the token, not to wait for an approval that never comes. An account that
 * is waiting for approval is told so. */
static void
test_download_gated_refused_token (Fixture       *fixture,
                                   gconstpointer  data)
{
  const MmMockRefusedToken answers[] = {
    MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS,
    MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS,
  };
  const char *bad = "hf_refusedtoken0123456789abcdefghijklmn";
  /* In the test's own isolated data folder, which GLib removes. */
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "models", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      const char *env[] = { "HF_ENDPOINT", mm_mock_hub_get_url (fixture->hub),
                            "HF_TOKEN", bad, NULL };
      g_auto(MmTestRun) run = { 0 };

      mm_mock_hub_set_refused_token (fixture->hub, answers[i]);
      run_cli_env (env, &run, "download", "example-org/Gated-7B-GGUF", "IQ1_S",
                   "--dir", dir, NULL);
      g_assert_cmpint (run.status, ==, 1);
      /* The error comes after any progress line. */
      g_assert_nonnull (strstr (run.err, "model-manager-cli: "));
      if (strstr (run.err, "access token") == NULL || strstr (run.err, "approval") != NULL)
        g_error ("for a refused token: %s", run.err);
      g_assert_null (strstr (run.err, bad));
      if (answers[i] == MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS)
        g_assert_nonnull (strstr (run.err, "did not accept"));
    }

  {
    const char *env[] = { "HF_ENDPOINT", mm_mock_hub_get_url (fixture->hub),
                          "HF_TOKEN", MM_MOCK_HUB_TOKEN_NOACCESS, NULL };
    g_auto(MmTestRun) run = { 0 };

    run_cli_env (env, &run, "download", "example-org/Gated-7B-GGUF", "IQ1_S",
                 "--dir", dir, NULL);
    g_assert_cmpint (run.status, ==, 1);
    if (strstr (run.err, "wait for approval") == NULL)
      g_error ("for an account not approved yet: %s", run.err);
  }
}

static char *
write_cache_file (const char *name,
                  GBytes     *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                       &error);
  g_assert_no_error (error);
  return path;
}

/* `gguf --json` lists the tensors: name, type name and number, shape, offset. */
static void
test_gguf_json_tensors (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  const guint64 embd_dims[] = { 64, 100 };
  const guint64 norm_dims[] = { 64 };
  const guint64 odd_dims[] = { 2, 3, 4 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *tensors;
  JsonObject *tensor;
  JsonArray *shape;

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_tensor (writer, "token_embd.weight", 2, embd_dims, 12, 64 * 100 * 9 / 16);
  mm_gguf_writer_add_tensor (writer, "output_norm.weight", 1, norm_dims, 0, 64 * 4);
  mm_gguf_writer_add_tensor (writer, "odd.weight", 3, odd_dims, 250, 64);
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);
  path = write_cache_file ("tensors.gguf", bytes);

  run_cli_env (NULL, &run, "gguf", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  root = parse (run.out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "tensor_count"), ==, 3);
  tensors = json_object_get_array_member (object, "tensors");
  g_assert_cmpuint (json_array_get_length (tensors), ==, 3);

  tensor = json_array_get_object_element (tensors, 0);
  g_assert_cmpstr (json_object_get_string_member (tensor, "name"), ==, "token_embd.weight");
  g_assert_cmpstr (json_object_get_string_member (tensor, "type"), ==, "Q4_K");
  g_assert_cmpint (json_object_get_int_member (tensor, "ggml_type"), ==, 12);
  shape = json_object_get_array_member (tensor, "shape");
  g_assert_cmpuint (json_array_get_length (shape), ==, 2);
  g_assert_cmpint (json_array_get_int_element (shape, 0), ==, 64);
  g_assert_cmpint (json_array_get_int_element (shape, 1), ==, 100);
  g_assert_cmpint (json_object_get_int_member (tensor, "offset"), ==, 0);

  tensor = json_array_get_object_element (tensors, 1);
  g_assert_cmpstr (json_object_get_string_member (tensor, "name"), ==, "output_norm.weight");
  g_assert_cmpstr (json_object_get_string_member (tensor, "type"), ==, "F32");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tensor, "shape")), ==,
                    1);
  /* The next aligned offset after the first tensor's 3600 bytes. */
  g_assert_cmpint (json_object_get_int_member (tensor, "offset"), ==, 3616);

  /* A type this version does not know: no name, but its number. */
  tensor = json_array_get_object_element (tensors, 2);
  g_assert_true (json_object_get_null_member (tensor, "type"));
  g_assert_cmpint (json_object_get_int_member (tensor, "ggml_type"), ==, 250);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tensor, "shape")), ==,
                    3);
}

/* A key given twice: refused as llama.cpp refuses it, and the error says so. */
static void
test_gguf_duplicate_key (void)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_auto(MmTestRun) run = { 0 };

  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_string (writer, "general.name", "First");
  mm_gguf_writer_add_string (writer, "general.name", "Last");
  bytes = mm_gguf_writer_finish (writer, FALSE, NULL);
  path = write_cache_file ("duplicate.gguf", bytes);

  run_cli_env (NULL, &run, "gguf", path, "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==,
                   "model-manager-cli: The GGUF header gives the metadata key “general.name” "
                   "twice. llama.cpp refuses such a file, so programs built on it cannot load "
                   "this one.\n");
}

/* On a pipe, the last progress line of a finished file says its average
 * speed and how long it took, not a speed of nothing and no time left. */
static void
test_download_progress_finished (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "models", NULL);
  const char *env[] = { "HF_ENDPOINT", mm_mock_hub_get_url (fixture->hub), NULL };
  g_auto(MmTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_lines;
  const char *last;

  run_cli_env (env, &run, "download", "tiny-org/Pico-GGUF", "Q8_0", "--dir", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.err, "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, >=, 2);
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  last = lines[n_lines - 2];
  g_test_message ("%s", last);
  g_assert_true (g_str_has_prefix (last, "Pico-Q8_0.gguf: 614400/614400 bytes, average "));
  g_assert_true (g_str_has_suffix (last, " s") || g_str_has_suffix (last, " ms"));
  g_assert_nonnull (strstr (last, "/s, took "));
  /* No line of the finished file claims a speed of nothing or time left. */
  for (guint i = 0; i < n_lines; i++)
    if (strstr (lines[i], "614400/614400") != NULL)
      {
        g_assert_null (strstr (lines[i], " left"));
        g_assert_null (strstr (lines[i], "—"));
      }
}

static void
test_offline (void)
{
  g_auto(MmTestRun) run = { 0 };

  /* Port 9 (discard) is closed on a test machine. */
  run_cli ("http://127.0.0.1:9", &run, "search", "x", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Could not reach the Hub"));
}

/* Without the settings schema (a binary run from an odd place) the command
 * line and the app do not run on made-up defaults, nor abort in
 * g_settings_new(): they say what is missing and how to get it. */
static void
test_no_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_dir_make_tmp ("mm-cli-no-schema-XXXXXX", &error);
  const char *env[] = {
    "GSETTINGS_SCHEMA_DIR", empty,
    "XDG_DATA_DIRS", empty,
    NULL,
  };
  const char *commands[][3] = {
    { "search", "x", NULL },
    { "list", NULL, NULL },
    { "download", "tiny-org/Pico-GGUF", "Q8_0" },
    { "update", NULL, NULL },
  };
  const char *message = "The settings schema io.github.modelmanager.ModelManager is not "
                        "installed. Install Model Manager, run it from the build folder with "
                        "“build-aux/dev run”, or set GSETTINGS_SCHEMA_DIR to the folder of the "
                        "compiled schema.\n";
  g_autofree char *cli_message = g_strconcat ("model-manager-cli: ", message, NULL);
  g_autofree char *app_message = g_strconcat ("model-manager: ", message, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *app_out = NULL;
  g_autofree char *app_err = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(MmTestRun) run = { 0 };

      run_cli_env (env, &run, commands[i][0], commands[i][1], commands[i][2], NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, ==, cli_message);
    }

  /* The app says so before it opens anything. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("MM_APP"), NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (app, NULL, NULL, &app_out, &app_err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (app));
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 1);
  g_assert_cmpstr (app_err, ==, app_message);
}

static void
test_usage (void)
{
  static const char * const cases[][4] = {
    { NULL },
    { "frobnicate", NULL },
    { "info", NULL },
    { "info", "a/b", "c/d", NULL },
    { "search", "x", "--sort", "sideways" },
    { "search", "x", "--limit", "0" },
    { "search", "--bogus", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(MmTestRun) run = { 0 };

      run_cli ("http://127.0.0.1:9", &run, cases[i][0], cases[i][1], cases[i][2], cases[i][3],
               NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, !=, "");
    }
}

static void
test_help (void)
{
  g_auto(MmTestRun) run = { 0 };

  run_cli ("http://127.0.0.1:9", &run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "search QUERY"));
  g_assert_nonnull (strstr (run.out, "info REPO"));
}

/* list */

static void
write_file (const char *root,
            const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  /* Not a valid header: the entry is listed all the same, with an error. */
  g_file_set_contents (path, "GGUF not really", -1, &error);
  g_assert_no_error (error);
}

/* list --json says where each model on disk runs here, as the Library
 * does: a readable header gives the shape; an unreadable one no placement. */
static void
test_list_placement (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-placement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "tiny-org", "Pico-GGUF", "Pico-Q4_K_M.gguf",
                                            NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) bytes = NULL;
  const guint64 dims[] = { 64, 64 };
  const char *gpu[] = { "MM_GPU_MEMORY", "8589934592", NULL };
  const char *none[] = { "MM_GPU_MEMORY", "0", NULL };
  g_auto(MmTestRun) on_gpu = { 0 };
  g_auto(MmTestRun) on_cpu = { 0 };
  g_autoptr(JsonNode) gpu_root = NULL;
  g_autoptr(JsonNode) cpu_root = NULL;

  g_assert_no_error (error);
  mm_gguf_writer_add_string (writer, "general.architecture", "llama");
  mm_gguf_writer_add_uint (writer, "llama.context_length", MM_GGUF_TYPE_UINT32, 2048);
  mm_gguf_writer_add_uint (writer, "llama.block_count", MM_GGUF_TYPE_UINT32, 2);
  mm_gguf_writer_add_uint (writer, "llama.embedding_length", MM_GGUF_TYPE_UINT32, 64);
  mm_gguf_writer_add_uint (writer, "llama.attention.head_count", MM_GGUF_TYPE_UINT32, 4);
  mm_gguf_writer_add_tensor (writer, "blk.0.weight", 2, dims, 1, 64 * 64 * 2);
  bytes = mm_gguf_writer_finish (writer, TRUE, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  write_file (tmp, "tiny-org/Pico-GGUF/Pico-Q8_0.gguf");

  run_cli_env (gpu, &on_gpu, "list", "--dir", tmp, "--json", NULL);
  g_assert_cmpint (on_gpu.status, ==, 0);
  gpu_root = parse (on_gpu.out);
  run_cli_env (none, &on_cpu, "list", "--dir", tmp, "--json", NULL);
  g_assert_cmpint (on_cpu.status, ==, 0);
  cpu_root = parse (on_cpu.out);

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *with_gpu = json_array_get_object_element (json_node_get_array (gpu_root), i);
      JsonObject *without = json_array_get_object_element (json_node_get_array (cpu_root), i);
      gboolean readable = g_str_equal (json_object_get_string_member (with_gpu, "quant"),
                                       "Q4_K_M");

      if (readable)
        {
          g_assert_cmpstr (json_object_get_string_member (with_gpu, "placement"), ==, "gpu");
          g_assert_cmpstr (json_object_get_string_member (without, "placement"), ==, "cpu");
        }
      else
        {
          g_assert_true (json_object_get_null_member (with_gpu, "placement"));
        }
    }
}

/* Settings in a key file, as another process (the app) saved them. */
static char *
write_settings (const char *config_home,
                const char *download_folder,
                const char *library_folders)
{
  g_autofree char *dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("[io/github/modelmanager/ModelManager]\n"
                              "download-folder='%s'\n"
                              "library-folders=%s\n", download_folder, library_folders);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_list_library_folders (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-list-XXXXXX", &error);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *downloads = g_build_filename (tmp, "Models", NULL);
  g_autofree char *lm_studio = g_build_filename (tmp, "lmstudio", "models", NULL);
  g_autofree char *empty = g_build_filename (tmp, "empty", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autofree char *extra = NULL;
  g_autofree char *keyfile = NULL;
  const char *env[] = {
    "GSETTINGS_BACKEND", "keyfile",
    "XDG_CONFIG_HOME", config,
    NULL,
  };
  g_auto(MmTestRun) run = { 0 };
  g_auto(MmTestRun) text = { 0 };
  g_auto(MmTestRun) only = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  write_file (downloads, "tiny-org/Pico-GGUF/Pico-Q4_K_M.gguf");
  write_file (lm_studio, "lmstudio-community/Nano-GGUF/Nano-Q8_0.gguf");
  write_file (lm_studio, "tiny-org/Pico-GGUF/Pico-Q8_0.gguf");
  /* The download folder listed again is listed once; an empty and a
   * missing folder list nothing and break nothing. */
  extra = g_strdup_printf ("['%s', '%s/', '%s', '%s']", lm_studio, downloads, empty, missing);
  keyfile = write_settings (config, downloads, extra);

  run_cli_env (env, &run, "list", "--json", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *repo = json_object_get_string_member (entry, "repo");
      const char *quant = json_object_get_string_member (entry, "quant");

      if (g_str_equal (repo, "tiny-org/Pico-GGUF"))
        g_assert_cmpstr (json_object_get_string_member (entry, "library_folder"), ==,
                         g_str_equal (quant, "Q8_0") ? lm_studio : downloads);
      else if (g_str_equal (repo, "lmstudio-community/Nano-GGUF"))
        g_assert_cmpstr (json_object_get_string_member (entry, "library_folder"), ==, lm_studio);
      else
        g_assert_not_reached ();
    }

  run_cli_env (env, &text, "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "tiny-org/Pico-GGUF"));
  g_assert_nonnull (strstr (text.out, "lmstudio-community/Nano-GGUF"));
  g_assert_nonnull (strstr (text.out, "3 models"));
  /* The same repo in two folders is shown under each folder. */
  {
    g_autofree char *in_downloads = g_strdup_printf ("tiny-org/Pico-GGUF  (%s/tiny-org/Pico-GGUF)",
                                                     downloads);
    g_autofree char *in_lm_studio = g_strdup_printf ("tiny-org/Pico-GGUF  (%s/tiny-org/Pico-GGUF)",
                                                     lm_studio);

    g_assert_nonnull (strstr (text.out, in_downloads));
    g_assert_nonnull (strstr (text.out, in_lm_studio));
  }

  /* --dir still means only that folder. */
  run_cli_env (env, &only, "list", "--dir", lm_studio, NULL);
  g_assert_cmpint (only.status, ==, 0);
  g_assert_null (strstr (only.out, downloads));
  g_assert_nonnull (strstr (only.out, "tiny-org/Pico-GGUF"));
  g_assert_nonnull (strstr (only.out, "lmstudio-community/Nano-GGUF"));
}

static void
test_list_nothing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-list-XXXXXX", &error);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *downloads = g_build_filename (tmp, "Models", NULL);
  g_autofree char *other = g_build_filename (tmp, "other", NULL);
  g_autofree char *extra = g_strdup_printf ("['%s']", other);
  g_autofree char *keyfile = NULL;
  g_autofree char *expected = NULL;
  const char *env[] = {
    "GSETTINGS_BACKEND", "keyfile",
    "XDG_CONFIG_HOME", config,
    NULL,
  };
  g_auto(MmTestRun) run = { 0 };

  g_assert_no_error (error);
  keyfile = write_settings (config, downloads, extra);

  /* Neither folder exists: each is named, and that is not an error. */
  run_cli_env (env, &run, "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  expected = g_strdup_printf ("No models in %s.\nNo models in %s.\n", downloads, other);
  g_assert_cmpstr (run.out, ==, expected);
}

/* Without --dir and --connections, download uses the app's settings (here
 * a key file, as the app saved it): its download folder, its connections. */
static void
test_download_follows_settings (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-settings-XXXXXX", &error);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *folder = g_build_filename (tmp, "AppModels", NULL);
  g_autofree char *keyfile = NULL;
  g_autofree char *expected = NULL;
  const char *env[] = {
    "GSETTINGS_BACKEND", "keyfile",
    "XDG_CONFIG_HOME", config,
    "MM_TOKEN_STORE", "memory",
    NULL,
  };
  g_auto(MmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *entry;

  g_assert_no_error (error);
  keyfile = write_settings (config, folder, "@as []");
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &run,
                  "download", "tiny-org/Pico-GGUF", "Q4_K_M", "--json", NULL);
  if (run.status != 0)
    g_error ("download: exit %d: %s", run.status, run.err);
  root = parse (run.out);
  entry = json_array_get_object_element (json_node_get_array (root), 0);
  expected = g_build_filename (folder, "tiny-org", "Pico-GGUF", "Pico-Q4_K_M.gguf", NULL);
  g_assert_cmpstr (json_object_get_string_member (entry, "destination"), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

/* The command line finds its token as the app does (keyring, then
 * HF_TOKEN, then the Hub tools' token file), not in HF_TOKEN alone: with
 * `huggingface-cli login`'s token file a gated file downloads. */
static void
test_download_token_chain (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mm-cli-token-XXXXXX", &error);
  g_autofree char *hf_home = g_build_filename (tmp, "hf-home", NULL);
  g_autofree char *token_file = g_build_filename (hf_home, "token", NULL);
  g_autofree char *models = g_build_filename (tmp, "Models", NULL);
  const char *env[] = { "HF_HOME", hf_home, NULL };
  g_auto(MmTestRun) refused = { 0 };
  g_auto(MmTestRun) run = { 0 };

  g_assert_no_error (error);
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &refused,
                  "download", "example-org/Gated-7B-GGUF", "IQ1_S", "--dir", models, NULL);
  g_assert_cmpint (refused.status, ==, 1);

  g_assert_cmpint (g_mkdir_with_parents (hf_home, 0700), ==, 0);
  g_file_set_contents (token_file, "hf_mockvalidtoken0123456789abcdefghij\n", -1, &error);
  g_assert_no_error (error);
  run_cli_va_env (env, mm_mock_hub_get_url (fixture->hub), &run,
                  "download", "example-org/Gated-7B-GGUF", "IQ1_S", "--dir", models, NULL);
  if (run.status != 0)
    g_error ("download with the token file: exit %d: %s", run.status, run.err);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/mm/cli/search/json", Fixture, NULL,
              fixture_set_up, test_search_json, fixture_tear_down);
  g_test_add ("/mm/cli/search/text", Fixture, NULL,
              fixture_set_up, test_search_text, fixture_tear_down);
  g_test_add ("/mm/cli/info/json", Fixture, NULL,
              fixture_set_up, test_info_json, fixture_tear_down);
  g_test_add ("/mm/cli/info/text", Fixture, NULL,
              fixture_set_up, test_info_text, fixture_tear_down);
  g_test_add ("/mm/cli/info/recommended", Fixture, NULL,
              fixture_set_up, test_info_recommended, fixture_tear_down);
  g_test_add ("/mm/cli/download/recommended", Fixture, NULL,
              fixture_set_up, test_download_recommended, fixture_tear_down);
  g_test_add_func ("/mm/cli/list/placement", test_list_placement);
  g_test_add ("/mm/cli/compare", Fixture, NULL,
              fixture_set_up, test_compare, fixture_tear_down);
  g_test_add ("/mm/cli/info/hostile", Fixture, NULL,
              fixture_set_up, test_info_hostile, fixture_tear_down);
  g_test_add ("/mm/cli/info/not-found", Fixture, NULL,
              fixture_set_up, test_info_not_found, fixture_tear_down);
  g_test_add ("/mm/cli/download/gated-refused-token", Fixture, NULL,
              fixture_set_up, test_download_gated_refused_token, fixture_tear_down);
  g_test_add ("/mm/cli/download/progress-finished", Fixture, NULL,
              fixture_set_up, test_download_progress_finished, fixture_tear_down);
  g_test_add ("/mm/cli/download/follows-settings", Fixture, NULL,
              fixture_set_up, test_download_follows_settings, fixture_tear_down);
  g_test_add ("/mm/cli/download/token-chain", Fixture, NULL,
              fixture_set_up, test_download_token_chain, fixture_tear_down);
  g_test_add_func ("/mm/cli/offline", test_offline);
  g_test_add_func ("/mm/cli/gguf/json-tensors", test_gguf_json_tensors);
  g_test_add_func ("/mm/cli/gguf/duplicate-key", test_gguf_duplicate_key);
  g_test_add_func ("/mm/cli/no-schema", test_no_schema);
  g_test_add_func ("/mm/cli/usage", test_usage);
  g_test_add_func ("/mm/cli/help", test_help);
  g_test_add_func ("/mm/cli/list/library-folders", test_list_library_folders);
  g_test_add_func ("/mm/cli/list/nothing", test_list_nothing);

  return g_test_run ();
}
