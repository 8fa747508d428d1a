/* test-model-loader.c: loading one model, its choices, card and access
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-core.h"
#include "mm-hub-client-private.h"
#include "mm-mock-hub.h"
#include "mm-model-loader-private.h"
#include "mm-quant-private.h"
#include "mm-test-utils.h"

#define TIMEOUT_MS 30000
#define TINYCHAT "example-org/TinyChat-1.1B-GGUF"
#define PICO "tiny-org/Pico-GGUF"

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

static MmHubClient *
new_client (Fixture    *fixture,
            const char *token)
{
  MmHubClient *client = mm_hub_client_new (mm_mock_hub_get_url (fixture->hub), token);

  _mm_hub_client_set_retry_policy (client, 0, 5);
  return client;
}

/* Loads @repo_id and waits for the whole load; returns what _finish said. */
static gboolean
load (MmModelLoader  *loader,
      const char     *repo_id,
      const char     *revision,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mm_model_loader_load_async (loader, repo_id, revision, NULL, mm_test_store_result_cb,
                              &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  return mm_model_loader_load_finish (loader, result, error);
}

static void
finish_loader (MmModelLoader *loader,
               MmHubClient   *client)
{
  g_assert_finalize_object (loader);
  mm_test_wait_finalized (client);
}

typedef struct {
  GArray *states;
} StateLog;

static void
state_cb (MmModelLoader *loader,
          GParamSpec    *pspec,
          GArray        *states)
{
  MmModelLoaderState state = mm_model_loader_get_state (loader);

  /* The model and the choices are there before LOADED is announced. */
  if (state == MM_MODEL_LOADER_STATE_LOADED)
    {
      g_assert_nonnull (mm_model_loader_get_model (loader));
      g_assert_cmpuint (g_list_model_get_n_items (mm_model_loader_get_quants (loader)), >, 0);
    }
  g_array_append_val (states, state);
}

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (MmModelLoaderState));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) projectors = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(MmModel) direct = NULL;
  GListModel *quants = mm_model_loader_get_quants (loader);
  MmModelShape shape;
  MmModel *model;

  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_EMPTY);
  g_assert_cmpuint (g_list_model_get_n_items (quants), ==, 0);
  g_signal_connect (loader, "notify::state", G_CALLBACK (state_cb), states);
  mm_model_loader_set_ram (loader, G_GUINT64_CONSTANT (16) * 1000 * 1000 * 1000);

  g_assert_true (load (loader, TINYCHAT, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, MmModelLoaderState, 0), ==,
                   MM_MODEL_LOADER_STATE_LOADING);
  g_assert_cmpint (g_array_index (states, MmModelLoaderState, 1), ==,
                   MM_MODEL_LOADER_STATE_LOADED);
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_LOADED);
  g_assert_null (mm_model_loader_get_error (loader));
  model = mm_model_loader_get_model (loader);
  g_assert_nonnull (model);
  g_assert_cmpstr (mm_model_get_id (model), ==, TINYCHAT);
  g_assert_cmpstr (_mm_model_loader_get_repo_id (loader), ==, TINYCHAT);
  g_assert_null (_mm_model_loader_get_revision (loader));

  /* The choices are what MmQuant makes of the Hub's files. */
  direct = mm_test_fetch_model (client, TINYCHAT);
  expected = mm_quant_group_files (mm_model_get_files (direct), mm_model_loader_get_ram (loader),
                                   &projectors, &rejected);
  g_assert_cmpuint (expected->len, >, 1);
  g_assert_cmpuint (g_list_model_get_n_items (quants), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(MmQuant) quant = g_list_model_get_item (quants, i);

      g_assert_cmpstr (mm_quant_get_label (quant), ==,
                       mm_quant_get_label (g_ptr_array_index (expected, i)));
      g_assert_cmpuint (mm_quant_get_size (quant), ==,
                        mm_quant_get_size (g_ptr_array_index (expected, i)));
      g_assert_cmpint (mm_quant_get_fit (quant), ==,
                       mm_quant_get_fit (g_ptr_array_index (expected, i)));
    }
  g_assert_cmpuint (g_list_model_get_n_items (mm_model_loader_get_projectors (loader)), ==,
                    projectors->len);
  g_assert_cmpuint (g_list_model_get_n_items (mm_model_loader_get_rejected (loader)), ==,
                    rejected->len);

  /* The card, and the shape from the smallest choice's header. */
  g_assert_false (mm_model_loader_get_card_loading (loader));
  g_assert_nonnull (mm_model_loader_get_card (loader));
  g_assert_nonnull (strstr (mm_model_loader_get_card (loader), "TinyChat"));
  g_assert_null (mm_model_loader_get_card_error (loader));
  g_assert_true (mm_model_loader_get_shape (loader, &shape));
  g_assert_cmpuint (shape.layers, >, 0);
  g_assert_cmpint (mm_model_loader_get_access (loader), ==, MM_MODEL_ACCESS_OPEN);

  /* A new RAM groups the choices again. */
  mm_model_loader_set_ram (loader, G_GUINT64_CONSTANT (1) * 1000 * 1000 * 1000);
  g_assert_cmpuint (g_list_model_get_n_items (quants), ==, expected->len);
  {
    g_autoptr(MmQuant) last = g_list_model_get_item (quants, expected->len - 1);

    g_assert_cmpint (mm_quant_get_fit (last), ==, MM_FIT_TOO_LARGE);
  }

  /* Clearing empties it all. */
  mm_model_loader_clear (loader);
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_EMPTY);
  g_assert_null (mm_model_loader_get_model (loader));
  g_assert_null (mm_model_loader_get_card (loader));
  g_assert_cmpuint (g_list_model_get_n_items (quants), ==, 0);
  g_assert_false (mm_model_loader_get_shape (loader, &shape));

  finish_loader (loader, client);
}

static void
test_failed (Fixture       *fixture,
             gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GError) error = NULL;
  guint error_notifies = 0;

  g_assert_true (load (loader, TINYCHAT, NULL, &error));
  g_signal_connect_swapped (loader, "notify::error", G_CALLBACK (g_atomic_int_inc),
                            &error_notifies);

  g_assert_false (load (loader, "nobody/No-Such-Model", NULL, &error));
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND);
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_FAILED);
  g_assert_error (mm_model_loader_get_error (loader), MM_HUB_ERROR,
                  MM_HUB_ERROR_REPO_NOT_FOUND);
  g_assert_cmpuint (error_notifies, >=, 1);
  /* Nothing of the model before is left. */
  g_assert_null (mm_model_loader_get_model (loader));
  g_assert_cmpuint (g_list_model_get_n_items (mm_model_loader_get_quants (loader)), ==, 0);
  g_assert_null (mm_model_loader_get_card (loader));

  /* Loading again forgets the error. */
  g_clear_error (&error);
  g_assert_true (load (loader, TINYCHAT, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (mm_model_loader_get_error (loader));

  finish_loader (loader, client);
}

static void
test_cancel_previous (Fixture       *fixture,
                      gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  mm_mock_hub_set_delay (fixture->hub, 200);
  mm_model_loader_load_async (loader, TINYCHAT, NULL, NULL, mm_test_store_result_cb, &first);
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_LOADING);
  mm_model_loader_load_async (loader, "tiny-org/Pico-GGUF", NULL, NULL,
                              mm_test_store_result_cb, &second);

  mm_test_wait_for_result (&first, TIMEOUT_MS);
  g_assert_false (mm_model_loader_load_finish (loader, first, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* The cancelled load changed nothing: the second is still on its way. */
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_LOADING);
  g_assert_null (mm_model_loader_get_model (loader));

  mm_test_wait_for_result (&second, TIMEOUT_MS);
  g_assert_true (mm_model_loader_load_finish (loader, second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mm_model_get_id (mm_model_loader_get_model (loader)), ==,
                   "tiny-org/Pico-GGUF");
  g_assert_cmpstr (_mm_model_loader_get_repo_id (loader), ==, "tiny-org/Pico-GGUF");

  /* The caller's cancellable cancels its load too. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) third = NULL;

    mm_model_loader_load_async (loader, TINYCHAT, NULL, cancellable,
                                mm_test_store_result_cb, &third);
    g_cancellable_cancel (cancellable);
    mm_test_wait_for_result (&third, TIMEOUT_MS);
    g_assert_false (mm_model_loader_load_finish (loader, third, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (mm_model_loader_get_model (loader));
  }

  mm_mock_hub_set_delay (fixture->hub, 0);
  /* The results hold the loader. */
  g_clear_object (&first);
  g_clear_object (&second);
  finish_loader (loader, client);
}

typedef struct {
  const char    *repo_id;
  const char    *token;
  MmModelAccess  access;
  MmModelAccess  gated_access;
  gboolean       fails;
  gint           error_code;   /* of MM_HUB_ERROR, for a failed load or the access check */
} AccessCase;

static const AccessCase access_cases[] = {
  { TINYCHAT, NULL, MM_MODEL_ACCESS_OPEN, MM_MODEL_ACCESS_OPEN, FALSE, -1 },
  { "solo-dev/tinychat-nano-GGUF", NULL, MM_MODEL_ACCESS_NEEDS_TOKEN,
    MM_MODEL_ACCESS_NEEDS_TOKEN, FALSE, -1 },
  { "solo-dev/tinychat-nano-GGUF", MM_MOCK_HUB_TOKEN, MM_MODEL_ACCESS_GRANTED,
    MM_MODEL_ACCESS_GRANTED, FALSE, -1 },
  { "solo-dev/tinychat-nano-GGUF", MM_MOCK_HUB_TOKEN_NOACCESS, MM_MODEL_ACCESS_NOT_GRANTED,
    MM_MODEL_ACCESS_NOT_GRANTED, FALSE, MM_HUB_ERROR_GATED_NO_ACCESS },
  { "disabled-org/Disabled-GGUF", NULL, MM_MODEL_ACCESS_DISABLED, MM_MODEL_ACCESS_OPEN,
    FALSE, -1 },
  { MM_MOCK_HUB_PRIVATE_REPO, NULL, MM_MODEL_ACCESS_OPEN, MM_MODEL_ACCESS_OPEN, TRUE,
    MM_HUB_ERROR_REPO_NOT_FOUND },
  { MM_MOCK_HUB_PRIVATE_REPO, MM_MOCK_HUB_TOKEN, MM_MODEL_ACCESS_OPEN, MM_MODEL_ACCESS_OPEN,
    FALSE, -1 },
};

static void
access_changed_cb (MmModelLoader *loader,
                   GParamSpec    *pspec,
                   GArray        *seen)
{
  MmModelAccess access = mm_model_loader_get_access (loader);

  g_array_append_val (seen, access);
}

static void
test_access (Fixture       *fixture,
             gconstpointer  data)
{
  const AccessCase *c = data;
  MmHubClient *client = new_client (fixture, c->token);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (MmModelAccess));
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  g_signal_connect (loader, "notify::access", G_CALLBACK (access_changed_cb), seen);
  loaded = load (loader, c->repo_id, NULL, &error);

  if (c->fails)
    {
      g_assert_false (loaded);
      g_assert_error (error, MM_HUB_ERROR, c->error_code);
      g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_FAILED);
      g_assert_null (mm_model_loader_get_model (loader));
    }
  else
    {
      MmModel *model;

      g_assert_no_error (error);
      g_assert_true (loaded);
      model = mm_model_loader_get_model (loader);
      g_assert_cmpint (mm_model_loader_get_access (loader), ==, c->access);
      g_assert_cmpint (mm_model_loader_get_gated_access (loader), ==, c->gated_access);
      g_assert_cmpint (mm_model_get_private (model), ==,
                       g_str_equal (c->repo_id, MM_MOCK_HUB_PRIVATE_REPO));
      if (c->error_code >= 0)
        g_assert_error (mm_model_loader_get_access_error (loader), MM_HUB_ERROR, c->error_code);
      else
        g_assert_null (mm_model_loader_get_access_error (loader));

      /* With a token, the access check came after the load. */
      if (c->token != NULL && mm_model_get_gated (model) != MM_GATED_NO)
        {
          g_assert_cmpuint (seen->len, >=, 2);
          g_assert_cmpint (g_array_index (seen, MmModelAccess, seen->len - 2), ==,
                           MM_MODEL_ACCESS_CHECKING);
        }
      /* A disabled repository's card is refused, which is no card error. */
      if (c->access == MM_MODEL_ACCESS_DISABLED)
        {
          g_assert_null (mm_model_loader_get_card (loader));
          g_assert_null (mm_model_loader_get_card_error (loader));
        }
    }
  g_assert_cmpint (mm_model_loader_get_access (loader), ==, c->access);
  if (seen->len > 0)
    g_assert_cmpint (g_array_index (seen, MmModelAccess, seen->len - 1), ==, c->access);
  else
    g_assert_cmpint (c->access, ==, MM_MODEL_ACCESS_OPEN);

  finish_loader (loader, client);
}

static void
test_revision (Fixture       *fixture,
               gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;

  g_assert_true (load (loader, TINYCHAT, NULL, &error));
  sha = g_strdup (mm_model_get_sha (mm_model_loader_get_model (loader)));
  g_assert_nonnull (sha);

  /* A new commit upstream; the old one still loads by its sha. */
  g_assert_true (mm_mock_hub_set_repo_commit (fixture->hub, TINYCHAT,
                                              "0123456789abcdef0123456789abcdef01234567",
                                              "2026-09-01T10:00:00.000Z"));
  g_assert_true (load (loader, TINYCHAT, sha, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (_mm_model_loader_get_revision (loader), ==, sha);
  g_assert_cmpstr (mm_model_get_sha (mm_model_loader_get_model (loader)), ==, sha);

  g_assert_true (load (loader, TINYCHAT, NULL, &error));
  g_assert_cmpstr (mm_model_get_sha (mm_model_loader_get_model (loader)), ==,
                   "0123456789abcdef0123456789abcdef01234567");

  g_assert_false (load (loader, TINYCHAT, "no-such-branch", &error));
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REVISION_NOT_FOUND);
  g_assert_cmpint (mm_model_loader_get_state (loader), ==, MM_MODEL_LOADER_STATE_FAILED);
  g_assert_cmpstr (_mm_model_loader_get_revision (loader), ==, "no-such-branch");

  finish_loader (loader, client);
}

/* Choices and their headers */

static MmQuant *
find_quant (MmModelLoader *loader,
            const char    *label)
{
  GListModel *quants = mm_model_loader_get_quants (loader);

  for (guint i = 0; i < g_list_model_get_n_items (quants); i++)
    {
      g_autoptr(MmQuant) quant = g_list_model_get_item (quants, i);

      if (g_str_equal (mm_quant_get_label (quant), label))
        return quant;   /* the list holds it */
    }
  g_assert_not_reached ();
}

/* How many requests asked the CDN route for @path at the model's commit. */
static guint
count_reads (Fixture       *fixture,
             MmModelLoader *loader,
             const char    *path)
{
  MmModel *model = mm_model_loader_get_model (loader);
  g_autofree char *prefix = g_strdup_printf ("/%s/resolve/%s/%s", mm_model_get_id (model),
                                             mm_model_get_sha (model), path);

  return mm_mock_hub_get_request_count (fixture->hub, prefix);
}

static gboolean
header_not_reading_cb (gpointer data)
{
  return mm_quant_get_header_state (data) != MM_QUANT_HEADER_STATE_READING;
}

static gboolean
header_bytes_cb (gpointer data)
{
  return mm_quant_get_header_bytes_read (data) > 0;
}

static void
bytes_read_cb (MmQuant    *quant,
               GParamSpec *pspec,
               guint64    *last)
{
  guint64 now = mm_quant_get_header_bytes_read (quant);

  /* A read only goes forward; 0 is the reset when one starts. */
  if (now != 0)
    g_assert_cmpuint (now, >, *last);
  *last = now;
}

/* The smallest choice's header gives the model's shape at load and stays
 * with it; any other choice reads its own when asked, once, for however
 * many are waiting. */
static void
test_quant_header (Fixture       *fixture,
                   gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(MmGgufInfo) again = NULL;
  g_autoptr(MmGgufInfo) known = NULL;
  MmModelShape shape, own;
  MmQuant *smallest, *q8, *split;
  guint64 last = 0;

  g_assert_true (load (loader, PICO, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mm_model_loader_get_shape (loader, &shape));

  smallest = find_quant (loader, "Q4_K_M");
  g_assert_true (mm_quant_get_model (smallest) == mm_model_loader_get_model (loader));
  g_assert_cmpint (mm_quant_get_header_state (smallest), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_true (mm_quant_get_header_shape (smallest, &own));
  g_assert_cmpmem (&own, sizeof own, &shape, sizeof shape);
  g_assert_cmpuint (shape.layers, ==, 1);
  g_assert_cmpuint (mm_quant_get_header_bytes_read (smallest), >, 0);
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q4_K_M.gguf"), ==, 1);
  /* Known: asking again reads nothing. */
  mm_quant_read_header (smallest);
  g_assert_cmpint (mm_quant_get_header_state (smallest), ==, MM_QUANT_HEADER_STATE_LOADED);
  mm_quant_load_header_async (smallest, NULL, mm_test_store_result_cb, &third);
  mm_test_wait_for_result (&third, TIMEOUT_MS);
  known = mm_quant_load_header_finish (smallest, third, &error);
  g_assert_no_error (error);
  g_assert_true (known == mm_quant_get_header (smallest));
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q4_K_M.gguf"), ==, 1);

  /* Another choice: not read until asked; two waiters, one read. */
  q8 = find_quant (loader, "Q8_0");
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_NONE);
  g_assert_null (mm_quant_get_header (q8));
  g_assert_false (mm_quant_get_header_shape (q8, &own));
  g_assert_cmpuint (own.layers, ==, 0);
  g_assert_cmpstr (mm_quant_get_header_path (q8), ==, "Pico-Q8_0.gguf");
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q8_0.gguf"), ==, 0);
  g_signal_connect (q8, "notify::header-bytes-read", G_CALLBACK (bytes_read_cb), &last);
  mm_quant_load_header_async (q8, NULL, mm_test_store_result_cb, &first);
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_READING);
  mm_quant_load_header_async (q8, NULL, mm_test_store_result_cb, &second);
  mm_test_wait_for_result (&first, TIMEOUT_MS);
  mm_test_wait_for_result (&second, TIMEOUT_MS);
  info = mm_quant_load_header_finish (q8, first, &error);
  g_assert_no_error (error);
  again = mm_quant_load_header_finish (q8, second, &error);
  g_assert_no_error (error);
  g_assert_true (info == again);
  g_assert_true (info == mm_quant_get_header (q8));
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_cmpstr (mm_gguf_info_get_file_type_name (info), ==, "Q8_0");
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q8_0.gguf"), ==, 1);
  /* Pico's header fits in the first step; the progress said so. */
  g_assert_cmpuint (last, >, 0);
  g_assert_cmpuint (last, <=, 64 * 1024);
  g_assert_cmpuint (mm_quant_get_header_bytes_read (q8), ==, last);
  g_signal_handlers_disconnect_by_data (q8, &last);

  /* A split set reads part 1. */
  split = find_quant (loader, "Q2_K");
  g_assert_cmpstr (mm_quant_get_header_path (split), ==, "Pico-Q2_K-00001-of-00002.gguf");
  mm_quant_read_header (split);
  mm_test_wait_until (header_not_reading_cb, split, TIMEOUT_MS);
  g_assert_cmpint (mm_quant_get_header_state (split), ==, MM_QUANT_HEADER_STATE_LOADED);
  g_assert_true (mm_gguf_info_get_is_split (mm_quant_get_header (split)));
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q2_K-00001-of-00002.gguf"), ==, 1);
  g_assert_cmpuint (count_reads (fixture, loader, "Pico-Q2_K-00002-of-00002.gguf"), ==, 0);

  /* The results hold their choices, which hold the client. */
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_object (&third);
  finish_loader (loader, client);
}

/* Cancel stops a read and leaves it until asked again; a new load stops
 * the old choices' reads as if they had never been asked, and they read
 * nothing any more. */
static void
test_quant_header_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(MmQuant) left = NULL;
  MmQuant *q8;
  guint reads;

  g_assert_true (load (loader, PICO, NULL, &error));
  g_assert_no_error (error);

  mm_mock_hub_set_cdn_rate (fixture->hub, 8 * 1024);
  q8 = find_quant (loader, "Q8_0");
  mm_quant_load_header_async (q8, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_until (header_bytes_cb, q8, TIMEOUT_MS);
  mm_quant_cancel_header (q8);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_quant_load_header_finish (q8, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_CANCELLED);
  g_assert_null (mm_quant_get_header_error (q8));
  g_assert_null (mm_quant_get_header (q8));
  /* Cancelled below the first step. */
  g_assert_cmpuint (mm_quant_get_header_bytes_read (q8), <, 64 * 1024);

  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_quant_read_header (q8);
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_READING);
  mm_test_wait_until (header_not_reading_cb, q8, TIMEOUT_MS);
  g_assert_cmpint (mm_quant_get_header_state (q8), ==, MM_QUANT_HEADER_STATE_LOADED);

  /* Another model while a read is under way. */
  mm_mock_hub_set_cdn_rate (fixture->hub, 1024);
  left = g_object_ref (find_quant (loader, "Q2_K"));
  mm_quant_read_header (left);
  g_assert_cmpint (mm_quant_get_header_state (left), ==, MM_QUANT_HEADER_STATE_READING);
  mm_model_loader_load_async (loader, TINYCHAT, NULL, NULL, mm_test_store_result_cb, &result);
  mm_mock_hub_set_cdn_rate (fixture->hub, 0);
  mm_test_wait_until (header_not_reading_cb, left, TIMEOUT_MS);
  g_assert_cmpint (mm_quant_get_header_state (left), ==, MM_QUANT_HEADER_STATE_NONE);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  g_assert_true (mm_model_loader_load_finish (loader, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  reads = mm_mock_hub_get_request_count (fixture->hub, "/tiny-org/Pico-GGUF/resolve/");
  mm_quant_read_header (left);
  g_assert_cmpint (mm_quant_get_header_state (left), ==, MM_QUANT_HEADER_STATE_NONE);
  mm_quant_load_header_async (left, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_quant_load_header_finish (left, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
  g_assert_cmpuint (mm_mock_hub_get_request_count (fixture->hub, "/tiny-org/Pico-GGUF/resolve/"),
                    ==, reads);

  /* The choice keeps the client it would have read with. */
  g_clear_object (&left);
  g_clear_object (&result);
  finish_loader (loader, client);
}

/* A gated file without a token: the read fails with the Hub's reason and
 * is tried again when asked. A choice grouped on its own has nowhere to
 * read from. */
static void
test_quant_header_failed (Fixture       *fixture,
                          gconstpointer  data)
{
  MmHubClient *client = new_client (fixture, NULL);
  MmModelLoader *loader = mm_model_loader_new (client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) quants = NULL;
  MmModelShape shape;
  MmQuant *quant;

  g_assert_true (load (loader, "solo-dev/tinychat-nano-GGUF", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mm_model_loader_get_shape (loader, &shape));

  quant = g_list_model_get_item (mm_model_loader_get_quants (loader), 0);
  g_object_unref (quant);   /* the list holds it */
  /* The load's own read for the shape. */
  g_assert_cmpint (mm_quant_get_header_state (quant), ==, MM_QUANT_HEADER_STATE_FAILED);
  g_assert_error ((GError *) mm_quant_get_header_error (quant), MM_HUB_ERROR,
                  MM_HUB_ERROR_GATED_NO_TOKEN);
  mm_quant_load_header_async (quant, NULL, mm_test_store_result_cb, &result);
  g_assert_cmpint (mm_quant_get_header_state (quant), ==, MM_QUANT_HEADER_STATE_READING);
  g_assert_null (mm_quant_get_header_error (quant));
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_quant_load_header_finish (quant, result, &error);
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_GATED_NO_TOKEN);
  g_assert_null (info);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (mm_quant_get_header_state (quant), ==, MM_QUANT_HEADER_STATE_FAILED);

  g_ptr_array_add (files, mm_repo_file_new ("Alone-Q4_K_M.gguf", 4096, NULL, NULL));
  quants = mm_quant_group_files (files, 0, NULL, NULL);
  quant = g_ptr_array_index (quants, 0);
  g_assert_null (mm_quant_get_model (quant));
  mm_quant_read_header (quant);
  g_assert_cmpint (mm_quant_get_header_state (quant), ==, MM_QUANT_HEADER_STATE_NONE);
  mm_quant_load_header_async (quant, NULL, mm_test_store_result_cb, &result);
  mm_test_wait_for_result (&result, TIMEOUT_MS);
  info = mm_quant_load_header_finish (quant, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (info);

  g_clear_object (&result);
  finish_loader (loader, client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/mm/model-loader/load", test_load, NULL);
  ADD ("/mm/model-loader/failed", test_failed, NULL);
  ADD ("/mm/model-loader/cancel-previous", test_cancel_previous, NULL);
  ADD ("/mm/model-loader/access/open", test_access, &access_cases[0]);
  ADD ("/mm/model-loader/access/gated-no-token", test_access, &access_cases[1]);
  ADD ("/mm/model-loader/access/gated-granted", test_access, &access_cases[2]);
  ADD ("/mm/model-loader/access/gated-not-granted", test_access, &access_cases[3]);
  ADD ("/mm/model-loader/access/disabled", test_access, &access_cases[4]);
  ADD ("/mm/model-loader/access/private-no-token", test_access, &access_cases[5]);
  ADD ("/mm/model-loader/access/private-token", test_access, &access_cases[6]);
  ADD ("/mm/model-loader/revision", test_revision, NULL);
  ADD ("/mm/model-loader/quant-header", test_quant_header, NULL);
  ADD ("/mm/model-loader/quant-header/cancel", test_quant_header_cancel, NULL);
  ADD ("/mm/model-loader/quant-header/failed", test_quant_header_failed, NULL);

#undef ADD

  return g_test_run ();
}
