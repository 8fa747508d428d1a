/* test-settings.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MmSettings: the keys (on a memory GSettings backend of each test's own,
 * with the schema compiled in the build folder), the schema's enums against
 * the GObject enum types, the effective endpoint and download folder.
 * MmTokenChain: where the access token comes from, the token stores (in
 * memory, and the real Secret Service when one can be started privately,
 * which the command line then reads too), checking a token against the mock
 * Hub, and the client it makes. A token must never show up in an error
 * message.
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "mm-core.h"
#include "mm-memory-token-store-private.h"
#include "mm-mock-hub.h"
#include "mm-settings-private.h"
#include "mm-test-utils.h"
#include "mm-token-chain-private.h"

#define TIMEOUT_MS 15000

static MmMockHub *hub;

/* Fixture: settings on a memory GSettings backend of their own (so every
 * test starts from the schema's defaults), a token chain with its own
 * in-memory token store; a clean environment. */

typedef struct {
  GSettingsBackend *backend;
  GSettings *gsettings;
  MmMemoryTokenStore *store;
  MmSettings *settings;
  MmTokenChain *chain;
} Fixture;

static void
clean_environment (void)
{
  const char * const variables[] = {
    "HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME",
    "XDG_CACHE_HOME",
  };

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i]);
}

static GSettings *
new_memory_gsettings (GSettingsBackend **backend)
{
  *backend = g_memory_settings_backend_new ();
  return g_settings_new_with_backend (SCHEMA_ID, *backend);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  clean_environment ();
  fixture->store = mm_memory_token_store_new ();
  fixture->gsettings = new_memory_gsettings (&fixture->backend);
  fixture->settings = _mm_settings_new_full (fixture->gsettings);
  fixture->chain = mm_token_chain_new (fixture->settings, MM_TOKEN_STORE (fixture->store));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->chain));
  g_assert_finalize_object (g_steal_pointer (&fixture->settings));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_assert_finalize_object (g_steal_pointer (&fixture->gsettings));
  g_assert_finalize_object (g_steal_pointer (&fixture->backend));
  clean_environment ();
}

/* Helpers */

typedef struct {
  char *token;
  char *location;
  MmTokenSource source;
  GError *error;
} Lookup;

static void
lookup_clear (Lookup *lookup)
{
  g_clear_pointer (&lookup->token, g_free);
  g_clear_pointer (&lookup->location, g_free);
  g_clear_error (&lookup->error);
}

static void
lookup_token (MmTokenChain *chain,
              Lookup       *lookup)
{
  g_autoptr(GAsyncResult) result = NULL;

  lookup_clear (lookup);
  mm_token_chain_lookup_async (chain, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  lookup->token = mm_token_chain_lookup_finish (chain, result, &lookup->source,
                                                &lookup->location, &lookup->error);
}

static gboolean
store_token (MmTokenChain  *chain,
             const char    *token,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_token_chain_store_async (chain, token, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_token_chain_store_finish (chain, result, error);
}

static gboolean
clear_token (MmTokenChain  *chain,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_token_chain_clear_async (chain, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_token_chain_clear_finish (chain, result, error);
}

static char *
check_token (MmTokenChain  *chain,
             const char    *token,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_token_chain_check_async (chain, token, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_token_chain_check_finish (chain, result, error);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
count_notify_cb (gpointer    instance,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
count_signal_cb (gpointer  instance,
                 guint    *count)
{
  (*count)++;
}

/* Keys */

static void
test_keys_defaults (Fixture       *fixture,
                    gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  g_autofree char *folder = mm_settings_dup_download_folder (settings);
  g_autofree char *endpoint = mm_settings_dup_endpoint (settings);

  g_assert_true (mm_settings_get_gsettings (settings) == fixture->gsettings);
  g_assert_cmpstr (folder, ==, "");
  g_assert_cmpint (mm_settings_get_max_concurrent (settings), ==, 2);
  g_assert_cmpuint (mm_settings_get_rate_limit (settings), ==, 0);
  g_assert_true (mm_settings_get_auto_resume (settings));
  g_assert_cmpstr (endpoint, ==, "");
  g_assert_cmpint (mm_settings_get_sort (settings), ==, MM_SORT_DOWNLOADS);
  g_assert_cmpint (mm_settings_get_download_location (settings), ==,
                   MM_DOWNLOAD_LOCATION_MODELS_FOLDER);
  g_assert_true (mm_settings_get_gguf_only (settings));
  g_assert_false (mm_settings_get_first_run_done (settings));
}

static void
test_keys_set (Fixture       *fixture,
               gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  guint notified = 0;
  g_autofree char *sort_key = NULL;
  g_autofree char *folder = NULL;
  MmSort sort = MM_SORT_DOWNLOADS;
  MmDownloadLocation location = MM_DOWNLOAD_LOCATION_MODELS_FOLDER;

  g_signal_connect (settings, "notify::max-concurrent", G_CALLBACK (count_notify_cb), &notified);

  mm_settings_set_max_concurrent (settings, 5);
  g_assert_cmpint (mm_settings_get_max_concurrent (settings), ==, 5);
  g_assert_cmpuint (notified, ==, 1);
  /* Setting the same value again does not notify. */
  mm_settings_set_max_concurrent (settings, 5);
  g_assert_cmpuint (notified, ==, 1);
  /* Out of range is clamped to the schema's range. */
  mm_settings_set_max_concurrent (settings, 100);
  g_assert_cmpint (mm_settings_get_max_concurrent (settings), ==, 8);
  mm_settings_set_max_concurrent (settings, 0);
  g_assert_cmpint (mm_settings_get_max_concurrent (settings), ==, 1);

  mm_settings_set_rate_limit (settings, G_GUINT64_CONSTANT (5000000000));
  g_assert_cmpuint (mm_settings_get_rate_limit (settings), ==, G_GUINT64_CONSTANT (5000000000));
  mm_settings_set_auto_resume (settings, FALSE);
  g_assert_false (mm_settings_get_auto_resume (settings));
  mm_settings_set_sort (settings, MM_SORT_TRENDING);
  g_assert_cmpint (mm_settings_get_sort (settings), ==, MM_SORT_TRENDING);
  /* The property has the GObject enum type; the key the schema's nick. */
  g_object_get (settings, "sort", &sort, NULL);
  g_assert_cmpint (sort, ==, MM_SORT_TRENDING);
  sort_key = g_settings_get_string (fixture->gsettings, "sort");
  g_assert_cmpstr (sort_key, ==, "trending");
  g_object_set (settings, "download-location", MM_DOWNLOAD_LOCATION_HF_CACHE, NULL);
  g_assert_cmpint (mm_settings_get_download_location (settings), ==,
                   MM_DOWNLOAD_LOCATION_HF_CACHE);
  g_object_get (settings, "download-location", &location, NULL);
  g_assert_cmpint (location, ==, MM_DOWNLOAD_LOCATION_HF_CACHE);
  mm_settings_set_gguf_only (settings, FALSE);
  g_assert_false (mm_settings_get_gguf_only (settings));
  mm_settings_set_first_run_done (settings, TRUE);
  g_assert_true (mm_settings_get_first_run_done (settings));
  mm_settings_set_download_folder (settings, "/srv/models");
  folder = mm_settings_dup_download_folder (settings);
  g_assert_cmpstr (folder, ==, "/srv/models");

  /* The values went to GSettings… */
  g_assert_cmpint (g_settings_get_int (fixture->gsettings, "max-concurrent"), ==, 1);
  g_assert_cmpuint (g_settings_get_uint64 (fixture->gsettings, "rate-limit"), ==,
                    G_GUINT64_CONSTANT (5000000000));
  g_assert_false (g_settings_get_boolean (fixture->gsettings, "auto-resume"));
  g_assert_true (g_settings_get_boolean (fixture->gsettings, "first-run-done"));

  /* …and a change made through GSettings (another process, dconf-editor)
   * notifies the property. */
  notified = 0;
  g_settings_set_int (fixture->gsettings, "max-concurrent", 7);
  g_assert_cmpint (mm_settings_get_max_concurrent (settings), ==, 7);
  g_assert_cmpuint (notified, ==, 1);
}

/* Each enum key of the schema lists the nicks and values of the GObject
 * enum type the code uses for it, no more and no fewer: a widget bound
 * through the type and the code reading the key mean the same thing. */
static void
test_keys_enums_agree (void)
{
  const struct {
    const char *key;
    GType type;
  } keys[] = {
    { "sort", MM_TYPE_SORT },
    { "download-location", MM_TYPE_DOWNLOAD_LOCATION },
    { "metered-policy", MM_TYPE_METERED_POLICY },
  };
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  g_assert_nonnull (schema);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i].key);
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
      g_autoptr(GVariant) nicks = NULL;
      g_autoptr(GEnumClass) klass = g_type_class_ref (keys[i].type);
      const char *kind = NULL;
      gsize n_nicks = 0;
      g_autofree const char **strv = NULL;

      g_test_message ("key %s", keys[i].key);
      g_variant_get (range, "(&sv)", &kind, &nicks);
      g_assert_cmpstr (kind, ==, "enum");
      strv = g_variant_get_strv (nicks, &n_nicks);
      g_assert_cmpuint (n_nicks, ==, klass->n_values);
      for (guint j = 0; j < n_nicks; j++)
        {
          g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
          g_autoptr(GSettings) settings = g_settings_new_with_backend (SCHEMA_ID, backend);
          GEnumValue *value = g_enum_get_value_by_nick (klass, strv[j]);

          g_assert_nonnull (value);
          /* The value GSettings gives for the nick is the enum value. */
          g_assert_true (g_settings_set_string (settings, keys[i].key, strv[j]));
          g_assert_cmpint (g_settings_get_enum (settings, keys[i].key), ==, value->value);
        }
    }
}

/* Endpoint */

static void
test_endpoint_precedence (Fixture       *fixture,
                          gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  g_autoptr(GError) error = NULL;
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;
  g_autofree char *key1 = NULL, *key2 = NULL;
  g_autofree char *saved = NULL;
  guint notified = 0;

  g_signal_connect (settings, "notify::effective-endpoint", G_CALLBACK (count_notify_cb), &notified);

  /* Nothing set: the Hub itself. */
  e1 = mm_settings_dup_effective_endpoint (settings);
  g_assert_cmpstr (e1, ==, "https://huggingface.co");
  key1 = _mm_token_chain_dup_key (fixture->chain);
  g_assert_cmpstr (key1, ==, "huggingface.co");

  /* The key, trimmed and without its trailing slash. */
  g_assert_true (mm_settings_set_endpoint (settings, "  https://hf-mirror.com/ ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  saved = mm_settings_dup_endpoint (settings);
  g_assert_cmpstr (saved, ==, "https://hf-mirror.com");
  e2 = mm_settings_dup_effective_endpoint (settings);
  g_assert_cmpstr (e2, ==, "https://hf-mirror.com");

  /* HF_ENDPOINT wins over the key. */
  g_setenv ("HF_ENDPOINT", "http://127.0.0.1:8080/", TRUE);
  e3 = mm_settings_dup_effective_endpoint (settings);
  g_assert_cmpstr (e3, ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (mm_settings_get_environment_endpoint (), ==, "http://127.0.0.1:8080/");
  key2 = _mm_token_chain_dup_key (fixture->chain);
  g_assert_cmpstr (key2, ==, "127.0.0.1:8080");

  /* An empty HF_ENDPOINT counts as unset. */
  g_setenv ("HF_ENDPOINT", "", TRUE);
  e4 = mm_settings_dup_effective_endpoint (settings);
  g_assert_cmpstr (e4, ==, "https://hf-mirror.com");
  g_unsetenv ("HF_ENDPOINT");

  /* An invalid address is refused and the old one stays. */
  g_assert_false (mm_settings_set_endpoint (settings, "ftp://example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_pointer (&saved, g_free);
  saved = mm_settings_dup_endpoint (settings);
  g_assert_cmpstr (saved, ==, "https://hf-mirror.com");
  g_assert_cmpuint (notified, ==, 1);

  /* Empty means the default again. */
  g_assert_true (mm_settings_set_endpoint (settings, "", NULL));
  e5 = mm_settings_dup_effective_endpoint (settings);
  g_assert_cmpstr (e5, ==, "https://huggingface.co");
}

static void
test_endpoint_invalid_key (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *endpoint = NULL;

  /* Written behind our back (gsettings set …): the default is used. */
  g_settings_set_string (fixture->gsettings, "endpoint", "not a url");
  endpoint = mm_settings_dup_effective_endpoint (fixture->settings);
  g_assert_cmpstr (endpoint, ==, "https://huggingface.co");
}

static const struct {
  const char *input;
  const char *normalized;  /* NULL: invalid */
} endpoints[] = {
  { "", "" },
  { "   ", "" },
  { "https://huggingface.co", "https://huggingface.co" },
  { "https://huggingface.co///", "https://huggingface.co" },
  { "http://127.0.0.1:9", "http://127.0.0.1:9" },
  { "https://mirror.example.org/hf", "https://mirror.example.org/hf" },
  { "https://[::1]:8443", "https://[::1]:8443" },
  { "huggingface.co", NULL },
  { "ftp://huggingface.co", NULL },
  { "file:///etc/passwd", NULL },
  { "https://", NULL },
  { "https:///path", NULL },
  { "https://user:secret@huggingface.co", NULL },
  { "https://huggingface.co/?x=1", NULL },
  { "https://huggingface.co/#top", NULL },
  { "https://huggingface.co:99999", NULL },
  { "https://exa mple.com", NULL },
  { "javascript:alert(1)", NULL },
};

static void
test_endpoint_validate (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      gboolean valid;

      g_test_message ("endpoint “%s”", endpoints[i].input);
      valid = mm_settings_validate_endpoint (endpoints[i].input, &normalized, &error);
      if (endpoints[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (valid);
          g_assert_cmpstr (normalized, ==, endpoints[i].normalized);
        }
      else
        {
          g_assert_false (valid);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_null (normalized);
        }
    }
}

/* Download folder */

static void
test_download_folder (Fixture       *fixture,
                      gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autofree char *expected = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *tilde = NULL;
  g_autofree char *tilde_expected = NULL;
  g_autofree char *basename = NULL;

  folder = mm_settings_dup_effective_download_folder (settings);
  if (downloads != NULL)
    expected = g_build_filename (downloads, "Models", NULL);
  else
    expected = g_build_filename (g_get_home_dir (), "Downloads", "Models", NULL);
  g_assert_cmpstr (folder, ==, expected);
  basename = g_path_get_basename (folder);
  g_assert_cmpstr (basename, ==, "Models");
  g_assert_true (g_path_is_absolute (folder));

  mm_settings_set_download_folder (settings, "/srv/models");
  chosen = mm_settings_dup_effective_download_folder (settings);
  g_assert_cmpstr (chosen, ==, "/srv/models");

  mm_settings_set_download_folder (settings, "~/LLMs");
  tilde = mm_settings_dup_effective_download_folder (settings);
  tilde_expected = g_build_filename (g_get_home_dir (), "LLMs", NULL);
  g_assert_cmpstr (tilde, ==, tilde_expected);
}

/* Library folders */

static void
test_library_folders (Fixture       *fixture,
                      gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  g_autofree char *download = NULL;
  g_autofree char *home_llms = g_build_filename (g_get_home_dir (), "LLMs", NULL);
  g_auto(GStrv) extra = NULL;
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) from_property = NULL;
  guint notified = 0;

  g_signal_connect (settings, "notify::library-folders", G_CALLBACK (count_notify_cb),
                    &notified);
  mm_settings_set_download_folder (settings, "/srv/models");

  /* By default the Library lists only the download folder. */
  extra = _mm_settings_dup_extra_library_folders (settings);
  g_assert_cmpuint (g_strv_length (extra), ==, 0);
  g_clear_pointer (&extra, g_strfreev);
  all = mm_settings_dup_library_folders (settings);
  g_assert_cmpstrv (all, ((const char * const[]) { "/srv/models", NULL }));
  g_clear_pointer (&all, g_strfreev);

  /* Added folders come after it, in order, canonical. */
  g_assert_true (mm_settings_add_library_folder (settings, "/opt/lmstudio/models/"));
  g_assert_true (mm_settings_add_library_folder (settings, "~/LLMs"));
  g_assert_cmpuint (notified, ==, 2);
  extra = _mm_settings_dup_extra_library_folders (settings);
  g_assert_cmpstrv (extra, ((const char * const[]) { "/opt/lmstudio/models/", "~/LLMs", NULL }));
  g_clear_pointer (&extra, g_strfreev);
  all = mm_settings_dup_library_folders (settings);
  g_assert_cmpstrv (all, ((const char * const[]) { "/srv/models", "/opt/lmstudio/models",
                                                   home_llms, NULL }));
  g_clear_pointer (&all, g_strfreev);

  /* The download folder, a folder already there (spelled differently) or a
   * relative path are not added, and nothing is notified. */
  g_assert_false (mm_settings_add_library_folder (settings, "/srv/models"));
  g_assert_false (mm_settings_add_library_folder (settings, "/srv/./models//"));
  g_assert_false (mm_settings_add_library_folder (settings, "/opt/lmstudio/../lmstudio/models"));
  g_assert_false (mm_settings_add_library_folder (settings, home_llms));
  g_assert_false (mm_settings_add_library_folder (settings, "relative/models"));
  g_assert_false (mm_settings_add_library_folder (settings, ""));
  g_assert_cmpuint (notified, ==, 2);

  /* The property is the key as saved. */
  g_object_get (settings, "library-folders", &from_property, NULL);
  g_assert_cmpstrv (from_property,
                    ((const char * const[]) { "/opt/lmstudio/models/", "~/LLMs", NULL }));

  /* Setting the list drops duplicates, empty and relative paths. */
  _mm_settings_set_extra_library_folders (settings, (const char * const[]) {
     "/a", "", "/b", "/a/", "b", "/srv/models", NULL });
  extra = _mm_settings_dup_extra_library_folders (settings);
  g_assert_cmpstrv (extra, ((const char * const[]) { "/a", "/b", "/srv/models", NULL }));
  g_clear_pointer (&extra, g_strfreev);
  g_assert_cmpuint (notified, ==, 3);

  /* A download folder that is also in the key is listed once, first. */
  all = mm_settings_dup_library_folders (settings);
  g_assert_cmpstrv (all, ((const char * const[]) { "/srv/models", "/a", "/b", NULL }));
  g_clear_pointer (&all, g_strfreev);

  /* When the download folder moves to one of the others, it still comes first. */
  mm_settings_set_download_folder (settings, "/b");
  all = mm_settings_dup_library_folders (settings);
  g_assert_cmpstrv (all, ((const char * const[]) { "/b", "/a", "/srv/models", NULL }));
  g_clear_pointer (&all, g_strfreev);

  /* Removing. */
  g_assert_true (mm_settings_remove_library_folder (settings, "/a/"));
  g_assert_false (mm_settings_remove_library_folder (settings, "/a"));
  g_assert_false (mm_settings_remove_library_folder (settings, "/nowhere"));
  g_assert_cmpuint (notified, ==, 4);
  extra = _mm_settings_dup_extra_library_folders (settings);
  g_assert_cmpstrv (extra, ((const char * const[]) { "/b", "/srv/models", NULL }));
  g_clear_pointer (&extra, g_strfreev);

  /* The default download folder counts too. */
  mm_settings_set_download_folder (settings, NULL);
  _mm_settings_set_extra_library_folders (settings, (const char * const[]) { NULL });
  download = mm_settings_dup_effective_download_folder (settings);
  g_assert_false (mm_settings_add_library_folder (settings, download));
  all = mm_settings_dup_library_folders (settings);
  g_assert_cmpuint (g_strv_length (all), ==, 1);
  g_assert_cmpstr (all[0], ==, download);

  {
    g_auto(GStrv) saved = NULL;

    /* Through GSettings both ways (another process, dconf-editor). */
    g_assert_true (mm_settings_add_library_folder (settings, "/c"));
    saved = g_settings_get_strv (fixture->gsettings, "library-folders");
    g_assert_cmpstrv (saved, ((const char * const[]) { "/c", NULL }));

    notified = 0;
    g_settings_set_strv (fixture->gsettings, "library-folders",
                         (const char * const[]) { "/d", NULL });
    g_assert_cmpuint (notified, ==, 1);
    extra = _mm_settings_dup_extra_library_folders (settings);
    g_assert_cmpstrv (extra, ((const char * const[]) { "/d", NULL }));
  }
}

/* Token sources */

static void
test_token_none (Fixture       *fixture,
                 gconstpointer  data)
{
  Lookup lookup = { 0 };

  lookup_token (fixture->chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.token);
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_NONE);
  g_assert_null (lookup.location);
  lookup_clear (&lookup);
}

static void
test_token_environment (Fixture       *fixture,
                        gconstpointer  data)
{
  Lookup lookup = { 0 };

  /* The legacy name alone. */
  g_setenv ("HUGGING_FACE_HUB_TOKEN", "hf_legacytoken", TRUE);
  lookup_token (fixture->chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.token, ==, "hf_legacytoken");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_ENVIRONMENT);
  g_assert_cmpstr (lookup.location, ==, "HUGGING_FACE_HUB_TOKEN");

  /* HF_TOKEN wins, whitespace around it is dropped. */
  g_setenv ("HF_TOKEN", "  hf_envtoken\n", TRUE);
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_envtoken");
  g_assert_cmpstr (lookup.location, ==, "HF_TOKEN");

  /* An empty HF_TOKEN is no token: on to the legacy name. */
  g_setenv ("HF_TOKEN", " ", TRUE);
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_legacytoken");

  /* Something that cannot be a token is ignored, with a warning that does
   * not quote it. */
  g_setenv ("HF_TOKEN", "hf_two words", TRUE);
  g_test_expect_message ("mm-token-chain", G_LOG_LEVEL_WARNING,
                         "Ignoring HF_TOKEN: it does not look like an access token");
  lookup_token (fixture->chain, &lookup);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (lookup.token, ==, "hf_legacytoken");

  lookup_clear (&lookup);
}

static void
test_token_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *default_path = g_build_filename (g_get_home_dir (), ".cache", "huggingface",
                                                    "token", NULL);
  g_autofree char *hf_home = g_build_filename (g_get_user_data_dir (), "hf-home", NULL);
  g_autofree char *hf_home_token = g_build_filename (hf_home, "token", NULL);
  g_autofree char *token_path = g_build_filename (g_get_user_data_dir (), "elsewhere", NULL);
  g_autofree char *xdg_cache = g_build_filename (g_get_user_data_dir (), "xdg-cache", NULL);
  g_autofree char *xdg_token = g_build_filename (xdg_cache, "huggingface", "token", NULL);
  g_autofree char *path = NULL;
  Lookup lookup = { 0 };

  /* ~/.cache/huggingface/token, as `hf auth login` writes it. */
  path = _mm_token_chain_dup_file_path ();
  g_assert_cmpstr (path, ==, default_path);
  write_file (default_path, "hf_fromdefaultfile\n");
  lookup_token (fixture->chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.token, ==, "hf_fromdefaultfile");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_FILE);
  g_assert_cmpstr (lookup.location, ==, default_path);

  /* XDG_CACHE_HOME moves the Hub tools' cache. */
  g_setenv ("XDG_CACHE_HOME", xdg_cache, TRUE);
  write_file (xdg_token, "hf_fromxdgcache");
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_fromxdgcache");

  /* $HF_HOME/token, with whitespace and newlines around it. */
  g_setenv ("HF_HOME", hf_home, TRUE);
  write_file (hf_home_token, " \t\r\nhf_fromhfhome \r\n\n");
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_fromhfhome");
  g_assert_cmpstr (lookup.location, ==, hf_home_token);

  /* HF_TOKEN_PATH wins over HF_HOME. */
  g_setenv ("HF_TOKEN_PATH", token_path, TRUE);
  write_file (token_path, "hf_fromtokenpath");
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_fromtokenpath");
  g_assert_cmpstr (lookup.location, ==, token_path);

  /* An empty file is no token. */
  write_file (token_path, "\n  \n");
  lookup_token (fixture->chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.token);
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_NONE);

  /* The environment wins over the file. */
  write_file (token_path, "hf_fromtokenpath");
  g_setenv ("HF_TOKEN", "hf_envtoken", TRUE);
  lookup_token (fixture->chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_envtoken");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_ENVIRONMENT);

  /* A missing file is no token and no error. */
  g_unsetenv ("HF_TOKEN");
  g_assert_cmpint (g_unlink (token_path), ==, 0);
  lookup_token (fixture->chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.token);

  lookup_clear (&lookup);
}

static void
test_token_memory_round_trip (Fixture       *fixture,
                              gconstpointer  data)
{
  MmSettings *settings = fixture->settings;
  MmTokenChain *chain = fixture->chain;
  g_autoptr(GError) error = NULL;
  Lookup lookup = { 0 };
  guint changed = 0;

  g_signal_connect (chain, "changed", G_CALLBACK (count_signal_cb), &changed);
  g_setenv ("HF_TOKEN", "hf_envtoken", TRUE);

  /* Saved: the keyring wins over the environment. */
  g_assert_true (store_token (chain, " hf_savedtoken\n", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 1);
  lookup_token (chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_savedtoken");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_KEYRING);
  g_assert_null (lookup.location);

  /* Saving again replaces it. */
  g_assert_true (store_token (chain, "hf_newertoken", &error));
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 1);
  lookup_token (chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_newertoken");

  /* It belongs to the Hub it was saved for: another endpoint does not see it. */
  g_assert_true (mm_settings_set_endpoint (settings, "https://hf-mirror.com", NULL));
  lookup_token (chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_envtoken");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_ENVIRONMENT);
  g_assert_true (mm_settings_set_endpoint (settings, "", NULL));

  /* Removed: back to the environment. */
  g_assert_true (clear_token (chain, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
  lookup_token (chain, &lookup);
  g_assert_cmpstr (lookup.token, ==, "hf_envtoken");

  /* Removing nothing is fine. */
  g_assert_true (clear_token (chain, &error));
  g_assert_no_error (error);

  /* Not a token: refused, nothing saved, no signal. */
  g_assert_false (store_token (chain, "hf_two words", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (strstr (error->message, "two words"));
  g_clear_error (&error);
  g_assert_false (store_token (chain, "   ", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
  g_assert_cmpuint (changed, ==, 4);

  lookup_clear (&lookup);
}

static void
test_token_default_store (void)
{
  g_autoptr(MmTokenStore) a = NULL;
  g_autoptr(MmTokenStore) b = NULL;
  g_autoptr(MmTokenStore) secret = NULL;

  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);
  a = mm_token_store_get_default ();
  b = mm_token_store_get_default ();
  g_assert_true (MM_IS_MEMORY_TOKEN_STORE (a));
  /* One store for the process, so the app and a test see the same tokens. */
  g_assert_true (a == b);

  g_unsetenv ("MM_TOKEN_STORE");
  secret = mm_token_store_get_default ();
  g_assert_true (MM_IS_SECRET_TOKEN_STORE (secret));
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);
  /* Making the libsecret store talks to no one. */
  g_assert_finalize_object (g_steal_pointer (&secret));
}

/* A store that fails and, misbehaving, quotes the token in its message. */

#define MM_TYPE_LEAKY_TOKEN_STORE (mm_leaky_token_store_get_type ())
G_DECLARE_FINAL_TYPE (MmLeakyTokenStore, mm_leaky_token_store, MM, LEAKY_TOKEN_STORE, GObject)

struct _MmLeakyTokenStore
{
  GObject parent_instance;
};

static void leaky_iface_init (MmTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmLeakyTokenStore, mm_leaky_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MM_TYPE_TOKEN_STORE, leaky_iface_init))

static void
leaky_lookup_async (MmTokenStore        *store,
                    const char          *key,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "no keyring here");
}

static char *
leaky_lookup_finish (MmTokenStore  *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
leaky_store_async (MmTokenStore        *store,
                   const char          *key,
                   const char          *token,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot store “%s”", token);
}

static gboolean
leaky_boolean_finish (MmTokenStore  *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
leaky_clear_async (MmTokenStore        *store,
                   const char          *key,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot clear");
}

static void
leaky_iface_init (MmTokenStoreInterface *iface)
{
  iface->lookup_async = leaky_lookup_async;
  iface->lookup_finish = leaky_lookup_finish;
  iface->store_async = leaky_store_async;
  iface->store_finish = leaky_boolean_finish;
  iface->clear_async = leaky_clear_async;
  iface->clear_finish = leaky_boolean_finish;
}

static void
mm_leaky_token_store_class_init (MmLeakyTokenStoreClass *klass)
{
}

static void
mm_leaky_token_store_init (MmLeakyTokenStore *self)
{
}

static void
test_token_store_failures (void)
{
  g_autoptr(MmLeakyTokenStore) store = g_object_new (MM_TYPE_LEAKY_TOKEN_STORE, NULL);
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) gsettings = new_memory_gsettings (&backend);
  g_autoptr(MmSettings) settings = _mm_settings_new_full (gsettings);
  g_autoptr(MmTokenChain) chain = NULL;
  g_autoptr(GError) error = NULL;
  Lookup lookup = { 0 };
  guint changed = 0;

  clean_environment ();
  chain = mm_token_chain_new (settings, MM_TOKEN_STORE (store));
  g_signal_connect (chain, "changed", G_CALLBACK (count_signal_cb), &changed);

  /* An unreachable keyring is no token, and the fallbacks still work. */
  g_setenv ("HF_TOKEN", "hf_envtoken", TRUE);
  lookup_token (chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.token, ==, "hf_envtoken");
  g_unsetenv ("HF_TOKEN");

  /* A failure to save is reported, without the token. */
  g_assert_false (store_token (chain, "hf_secretvalue123", &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "hf_secretvalue123"));
  g_clear_error (&error);

  g_assert_false (clear_token (chain, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (changed, ==, 0);

  lookup_clear (&lookup);
  g_assert_finalize_object (g_steal_pointer (&chain));
  g_assert_finalize_object (g_steal_pointer (&settings));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Checking a token with the Hub */

static void
test_whoami_valid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *noaccess = NULL;

  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);
  name = check_token (fixture->chain, "  " MM_MOCK_HUB_TOKEN "\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "mock-user");

  /* The token went to the Hub as a bearer token, stripped. */
  auth = mm_mock_hub_get_last_hub_auth (hub);
  g_assert_cmpstr (auth, ==, "Bearer " MM_MOCK_HUB_TOKEN);

  /* A valid token without access to gated models is still an account. */
  noaccess = check_token (fixture->chain, MM_MOCK_HUB_TOKEN_NOACCESS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (noaccess, ==, "mock-user");

  /* Checking saves nothing. */
  g_assert_cmpuint (_mm_memory_token_store_get_count (fixture->store), ==, 0);
}

static void
assert_no_token_in (const GError *error,
                    const char   *token)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strstr (error->message, token));
  g_test_message ("error message: %s", error->message);
}

static void
test_whoami_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *bad = "hf_refusedtoken0123456789abcdefghijklmn";
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);
  name = check_token (fixture->chain, bad, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (error->message, "The Hub refused the access token"));
  assert_no_token_in (error, bad);
}

static void
test_whoami_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  /* Port 9 (discard) is closed on any test machine. */
  g_setenv ("HF_ENDPOINT", "http://127.0.0.1:9", TRUE);
  name = check_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_OFFLINE);
  assert_no_token_in (error, MM_MOCK_HUB_TOKEN);
}

static void
test_whoami_server_errors (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *name;

  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);

  /* Not retried: a person is waiting for the answer. */
  mm_mock_hub_reset_counters (hub);
  mm_mock_hub_fail_next (hub, 503, 1, 0);
  name = check_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_SERVER);
  assert_no_token_in (error, MM_MOCK_HUB_TOKEN);
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, "/api/whoami-v2"), ==, 1);
  g_clear_error (&error);

  mm_mock_hub_fail_next (hub, 429, 1, 30);
  name = check_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_RATE_LIMITED);
  /* 30 s, or one more when the mock also sends a RateLimit header. */
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), >=, 30);
  g_assert_cmpuint (mm_hub_error_get_retry_after (error), <=, 31);
  assert_no_token_in (error, MM_MOCK_HUB_TOKEN);
  g_clear_error (&error);

  /* A 200 that does not name an account. */
  mm_mock_hub_set_body_mode (hub, MM_MOCK_BODY_WRONG_TYPES, 1);
  name = check_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
  g_clear_error (&error);

  mm_mock_hub_set_body_mode (hub, MM_MOCK_BODY_MALFORMED, 1);
  name = check_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED);
  assert_no_token_in (error, MM_MOCK_HUB_TOKEN);
}

static void
test_whoami_not_a_token (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *inputs[] = { "", "   ", "hf_two words", "hf_new\nline", "hf_ünïcode" };

  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);
  mm_mock_hub_reset_counters (hub);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = check_token (fixture->chain, inputs[i], &error);

      g_assert_null (name);
      g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
      if (*inputs[i] != '\0' && strcmp (inputs[i], "   ") != 0)
        assert_no_token_in (error, inputs[i]);
    }
  /* Refused before anything was sent. */
  g_assert_cmpuint (mm_mock_hub_get_request_count (hub, NULL), ==, 0);
}

static void
test_whoami_no_token (void)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub), NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  mm_hub_client_whoami_async (client, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  name = mm_hub_client_whoami_finish (client, result, &error);
  g_assert_null (name);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_whoami_cancelled (void)
{
  g_autoptr(MmHubClient) client = mm_hub_client_new (mm_mock_hub_get_url (hub),
                                                     MM_MOCK_HUB_TOKEN);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  mm_mock_hub_set_delay (hub, 2000);
  mm_hub_client_whoami_async (client, cancellable, mm_test_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  mm_mock_hub_set_delay (hub, 0);
  name = mm_hub_client_whoami_finish (client, result, &error);
  g_assert_null (name);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* The client the app and the command line use */

static MmHubClient *
new_client (MmTokenChain *chain)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MmHubClient *client;

  mm_token_chain_new_client_async (chain, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  client = mm_token_chain_new_client_finish (chain, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static char *
whoami (MmHubClient  *client,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_hub_client_whoami_async (client, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_hub_client_whoami_finish (client, result, error);
}

static void
test_token_new_client (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MmHubClient) anonymous = NULL;
  g_autoptr(MmHubClient) signed_in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *name = NULL;

  /* The endpoint of the settings: here the key, with no HF_ENDPOINT. */
  g_assert_true (mm_settings_set_endpoint (fixture->settings, mm_mock_hub_get_url (hub), NULL));

  /* No token anywhere: a client without one. */
  anonymous = new_client (fixture->chain);
  g_assert_cmpstr (mm_hub_client_get_endpoint (anonymous), ==, mm_mock_hub_get_url (hub));
  nobody = whoami (anonymous, &error);
  g_assert_null (nobody);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* The token saved for that Hub goes with it. */
  g_assert_true (store_token (fixture->chain, MM_MOCK_HUB_TOKEN, &error));
  g_assert_no_error (error);
  signed_in = new_client (fixture->chain);
  name = whoami (signed_in, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "mock-user");

  /* A connection may still hold a client for a moment after its answer. */
  mm_test_wait_until_sole_owner (anonymous);
  g_assert_finalize_object (g_steal_pointer (&anonymous));
  mm_test_wait_until_sole_owner (signed_in);
  g_assert_finalize_object (g_steal_pointer (&signed_in));
}

/* The real schema from the build folder (GSETTINGS_SCHEMA_DIR): found, and
 * mm_settings_new() uses it. Without it the command line and the app say so
 * and stop: see tests/test-cli.c. */
static void
test_schema_installed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmSettings) settings = NULL;

  g_assert_true (mm_settings_check_schema (&error));
  g_assert_no_error (error);
  settings = mm_settings_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (settings);
  g_assert_true (G_IS_SETTINGS (mm_settings_get_gsettings (settings)));
  g_assert_finalize_object (g_steal_pointer (&settings));
}

/* LM Studio */

static void
test_lm_studio_folder (void)
{
  const char *home = g_get_home_dir ();
  g_autofree char *current = g_build_filename (home, ".lmstudio", "models", NULL);
  g_autofree char *older = g_build_filename (home, ".cache", "lm-studio", "models", NULL);
  g_autofree char *moved_home = g_build_filename (home, "elsewhere", "lmstudio", NULL);
  g_autofree char *moved = g_build_filename (moved_home, "models", NULL);
  g_autofree char *pointer = g_build_filename (home, ".lmstudio-home-pointer", NULL);
  g_autofree char *pointer_contents = g_strdup_printf ("%s\n", moved_home);
  g_autofree char *none = NULL;
  g_autofree char *found_older = NULL;
  g_autofree char *found_current = NULL;
  g_autofree char *found_moved = NULL;

  none = mm_settings_find_lm_studio_folder ();
  g_assert_null (none);

  g_assert_cmpint (g_mkdir_with_parents (older, 0700), ==, 0);
  found_older = mm_settings_find_lm_studio_folder ();
  g_assert_cmpstr (found_older, ==, older);

  g_assert_cmpint (g_mkdir_with_parents (current, 0700), ==, 0);
  found_current = mm_settings_find_lm_studio_folder ();
  g_assert_cmpstr (found_current, ==, current);

  g_assert_cmpint (g_mkdir_with_parents (moved, 0700), ==, 0);
  write_file (pointer, pointer_contents);
  found_moved = mm_settings_find_lm_studio_folder ();
  g_assert_cmpstr (found_moved, ==, moved);
}

/* The real Secret Service: a private D-Bus and gnome-keyring-daemon, so the
 * person's own keyring is never touched. Runs in a subprocess because the
 * process's session bus connection is made once. */

static GPid
spawn_daemon (const char * const  *argv,
              char               **envp,
              int                 *stdin_fd,
              int                 *stdout_fd,
              GError             **error)
{
  GPid pid = 0;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &pid, stdin_fd, stdout_fd, NULL, error))
    return 0;
  return pid;
}

static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

static gboolean
secrets_name_owned (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Runs model-manager-cli with this process's environment. */
static void
run_cli (MmTestRun *run,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("MM_CLI"));
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

/* The parent learns why the child could not run through this file. */
static void
child_skip (const char *reason)
{
  const char *path = g_getenv ("MM_TEST_SKIP_FILE");

  g_assert_nonnull (path);
  g_file_set_contents (path, reason, -1, NULL);
}

static void
secret_service_child (void)
{
  const char *bus_argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL };
  const char *keyring_argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock",
                                 "--components=secrets", NULL, NULL };
  g_autofree char *runtime = g_build_filename (g_get_user_data_dir (), "run", NULL);
  g_autofree char *control = g_build_filename (runtime, "keyring", NULL);
  g_autofree char *control_arg = g_strdup_printf ("--control-directory=%s", control);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(MmSecretTokenStore) store = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) gsettings = NULL;
  g_autoptr(MmSettings) settings = NULL;
  g_autoptr(MmTokenChain) chain = NULL;
  g_auto(MmTestRun) refused = { 0 };
  g_auto(MmTestRun) run = { 0 };
  g_autofree char *models = g_build_filename (g_get_user_data_dir (), "cli-models", NULL);
  g_autofree char *hf_home = g_build_filename (g_get_user_data_dir (), "no-hf-home", NULL);
  g_autofree char *address = NULL;
  Lookup lookup = { 0 };
  GPid bus_pid, keyring_pid;
  int bus_out = -1, keyring_in = -1;
  gboolean up = FALSE;

  clean_environment ();
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  /* The daemons' files go to this test's own directories. */
  envp = g_environ_setenv (envp, "HOME", g_get_home_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);
  bus_pid = spawn_daemon (bus_argv, envp, NULL, &bus_out, &error);
  if (bus_pid == 0)
    {
      g_autofree char *reason = g_strdup_printf ("could not start a private D-Bus daemon: %s",
                                                 error->message);

      child_skip (reason);
      return;
    }
  address = read_line (bus_out);
  if (*address == '\0')
    {
      child_skip ("the private D-Bus daemon gave no address");
      kill (bus_pid, SIGTERM);
      return;
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  keyring_argv[4] = control_arg;
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  keyring_pid = spawn_daemon (keyring_argv, envp, &keyring_in, NULL, &error);
  if (keyring_pid == 0)
    {
      g_autofree char *reason = g_strdup_printf ("could not start gnome-keyring-daemon: %s",
                                                 error->message);

      child_skip (reason);
      kill (bus_pid, SIGTERM);
      return;
    }
  /* The password of the new login keyring, then end of input. */
  g_assert_cmpint (write (keyring_in, "test", 4), ==, 4);
  close (keyring_in);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  /* The daemons are stopped before this process ends. */
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  for (guint i = 0; i < 100 && !up; i++)
    {
      up = secrets_name_owned (bus);
      if (!up)
        g_usleep (100 * 1000);
    }
  if (!up)
    {
      child_skip ("gnome-keyring-daemon did not provide org.freedesktop.secrets in 10 s");
      kill (keyring_pid, SIGTERM);
      kill (bus_pid, SIGTERM);
      return;
    }

  store = mm_secret_token_store_new ();
  gsettings = new_memory_gsettings (&backend);
  settings = _mm_settings_new_full (gsettings);
  chain = mm_token_chain_new (settings, MM_TOKEN_STORE (store));

  lookup_token (chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.token);

  g_assert_true (store_token (chain, "hf_keyringtoken0123456789", &error));
  g_assert_no_error (error);
  lookup_token (chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.token, ==, "hf_keyringtoken0123456789");
  g_assert_cmpint (lookup.source, ==, MM_TOKEN_SOURCE_KEYRING);

  /* Filed under the Hub's host: a mirror does not get it. */
  g_setenv ("HF_ENDPOINT", "https://hf-mirror.com", TRUE);
  lookup_token (chain, &lookup);
  g_assert_null (lookup.token);
  g_unsetenv ("HF_ENDPOINT");

  g_assert_true (clear_token (chain, &error));
  g_assert_no_error (error);
  lookup_token (chain, &lookup);
  g_assert_no_error (lookup.error);
  g_assert_null (lookup.token);

  /* The command line reads the same keyring: a gated file that it may
   * not download without a token downloads once the keyring holds one
   * for the mock Hub (and nothing else offers a token). */
  g_setenv ("HF_ENDPOINT", mm_mock_hub_get_url (hub), TRUE);
  g_setenv ("HF_HOME", hf_home, TRUE);
  g_unsetenv ("MM_TOKEN_STORE");
  run_cli (&refused, "download", "example-org/Gated-7B-GGUF",
                       "IQ1_S", "--dir", models, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_true (store_token (chain, MM_MOCK_HUB_TOKEN, &error));
  g_assert_no_error (error);
  run_cli (&run, "download", "example-org/Gated-7B-GGUF",
                       "IQ1_S", "--dir", models, NULL);
  if (run.status != 0)
    g_error ("download with the token in the keyring: exit %d: %s", run.status, run.err);
  g_assert_true (clear_token (chain, &error));
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);
  clean_environment ();

  lookup_clear (&lookup);
  g_clear_object (&chain);
  g_clear_object (&settings);
  g_clear_object (&store);
  kill (keyring_pid, SIGTERM);
  kill (bus_pid, SIGTERM);
  g_spawn_close_pid (keyring_pid);
  g_spawn_close_pid (bus_pid);
  g_print ("PASSED: libsecret against gnome-keyring-daemon\n");
}

static void
test_token_secret_service (void)
{
  g_autofree char *keyring = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *dbus = g_find_program_in_path ("dbus-daemon");
  g_autofree char *skip_file = NULL;
  g_autofree char *reason = NULL;

  if (g_test_subprocess ())
    {
      secret_service_child ();
      return;
    }

  if (keyring == NULL || dbus == NULL)
    {
      g_test_skip (keyring == NULL
                   ? "gnome-keyring-daemon is not installed: the libsecret token store was "
                     "not tested against a Secret Service (install gnome-keyring)"
                   : "dbus-daemon is not installed: the libsecret token store was not tested");
      return;
    }

  skip_file = g_build_filename (g_get_user_data_dir (), "secret-service-skip", NULL);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_setenv ("MM_TEST_SKIP_FILE", skip_file, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("MM_TEST_SKIP_FILE");
  g_test_trap_assert_passed ();
  if (g_file_get_contents (skip_file, &reason, NULL, NULL))
    {
      g_test_skip (reason);
      return;
    }
  g_test_trap_assert_stdout ("*PASSED: libsecret against gnome-keyring-daemon*");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("MM_TOKEN_STORE", "memory", TRUE);

  hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/core/settings" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/core/settings/schema-installed", test_schema_installed);
  ADD ("/keys/defaults", test_keys_defaults);
  ADD ("/keys/set", test_keys_set);
  g_test_add_func ("/core/settings/keys/enums-agree", test_keys_enums_agree);
  ADD ("/endpoint/precedence", test_endpoint_precedence);
  ADD ("/endpoint/invalid-key", test_endpoint_invalid_key);
  g_test_add_func ("/core/settings/endpoint/validate", test_endpoint_validate);
  ADD ("/download-folder", test_download_folder);
  ADD ("/library-folders", test_library_folders);
  ADD ("/token/none", test_token_none);
  ADD ("/token/environment", test_token_environment);
  ADD ("/token/file", test_token_file);
  ADD ("/token/memory-round-trip", test_token_memory_round_trip);
  ADD ("/token/new-client", test_token_new_client);
  g_test_add_func ("/core/settings/token/default-store", test_token_default_store);
  g_test_add_func ("/core/settings/token/store-failures", test_token_store_failures);
  g_test_add_func ("/core/settings/token/secret-service", test_token_secret_service);
  ADD ("/whoami/valid", test_whoami_valid);
  ADD ("/whoami/refused", test_whoami_refused);
  ADD ("/whoami/offline", test_whoami_offline);
  ADD ("/whoami/server-errors", test_whoami_server_errors);
  ADD ("/whoami/not-a-token", test_whoami_not_a_token);
  g_test_add_func ("/core/settings/whoami/no-token", test_whoami_no_token);
  g_test_add_func ("/core/settings/whoami/cancelled", test_whoami_cancelled);
  g_test_add_func ("/core/settings/lm-studio-folder", test_lm_studio_folder);

  ret = g_test_run ();

  mm_mock_hub_stop (hub);
  g_clear_object (&hub);

  return ret;
}
