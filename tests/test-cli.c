/* test-cli.c: model-manager-cli's output and exit codes against the mock Hub
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-mock-hub.h"

typedef struct {
  MmMockHub *hub;
} Fixture;

typedef struct {
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

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

static void
run_cli (const char  *endpoint,
         Run         *run,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("MM_CLI"));
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HF_ENDPOINT", endpoint, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "HF_TOKEN");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "MM_TOTAL_MEMORY", "17179869184", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
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
  g_auto(Run) run = { 0 };
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
  g_auto(Run) run = { 0 };
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
  g_auto(Run) run = { 0 };
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

static void
test_info_hostile (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
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
  g_auto(Run) run = { 0 };

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "example-org/TinyChat-1.1B-GGUF",
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Quantizations:"));
  g_assert_nonnull (strstr (run.out, "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf"));
  g_assert_nonnull (strstr (run.out, "apache-2.0"));
}

static void
test_info_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  run_cli (mm_mock_hub_get_url (fixture->hub), &run, "info", "nobody/Missing-GGUF", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "model-manager-cli: "));
  g_assert_nonnull (strstr (run.err, "nobody/Missing-GGUF"));
  /* One line. */
  g_assert_true (g_str_has_suffix (run.err, "\n"));
  g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
}

static void
test_offline (void)
{
  g_auto(Run) run = { 0 };

  /* Port 9 (discard) is closed on a test machine. */
  run_cli ("http://127.0.0.1:9", &run, "search", "x", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Could not reach the Hub"));
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
      g_auto(Run) run = { 0 };

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
  g_auto(Run) run = { 0 };

  run_cli ("http://127.0.0.1:9", &run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "search QUERY"));
  g_assert_nonnull (strstr (run.out, "info REPO"));
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
  g_test_add ("/mm/cli/info/hostile", Fixture, NULL,
              fixture_set_up, test_info_hostile, fixture_tear_down);
  g_test_add ("/mm/cli/info/not-found", Fixture, NULL,
              fixture_set_up, test_info_not_found, fixture_tear_down);
  g_test_add_func ("/mm/cli/offline", test_offline);
  g_test_add_func ("/mm/cli/usage", test_usage);
  g_test_add_func ("/mm/cli/help", test_help);

  return g_test_run ();
}
