/* fuzz-hub-json.c: libFuzzer target for parsing the Hub's JSON
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses each input with mm_json_parse_bytes() and offers every object in it
 * (the root, array elements, nested members) to mm_model_new_from_json() and
 * mm_repo_file_new_from_json(), which must accept or refuse it without a
 * crash, a critical or a warning. Built and run by build-aux/fuzz.
 */
#include "config.h"

#include <stdint.h>

#include "mm-json.h"
#include "mm-model.h"
#include "mm-repo-file.h"

#define MAX_DEPTH 6

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
try_object (JsonObject *object)
{
  g_autoptr(GError) model_error = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autoptr(MmModel) model = mm_model_new_from_json (object, &model_error);
  g_autoptr(MmRepoFile) file = mm_repo_file_new_from_json (object, &file_error);

  if ((model == NULL) == (model_error == NULL) || (file == NULL) == (file_error == NULL))
    g_error ("Result and error disagree");

  if (model != NULL)
    {
      GPtrArray *files = mm_model_get_files (model);

      (void) mm_model_get_id (model);
      (void) mm_model_get_tags (model);
      (void) mm_model_get_parameters (model);
      (void) mm_model_get_context_length (model);
      for (guint i = 0; files != NULL && i < files->len; i++)
        (void) mm_repo_file_get_basename (g_ptr_array_index (files, i));
    }

  if (file != NULL)
    {
      (void) mm_repo_file_get_basename (file);
      (void) mm_repo_file_get_problem (file);
    }
}

static void
visit (JsonNode *node,
       guint     depth)
{
  if (node == NULL || depth > MAX_DEPTH)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_values (object);

      try_object (object);
      for (GList *l = members; l != NULL; l = l->next)
        visit (l->data, depth + 1);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        visit (json_array_get_element (array, i), depth + 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = mm_json_parse_bytes (bytes, &error);

  if (root == NULL)
    {
      if (error == NULL)
        g_error ("Failure without an error");
      return 0;
    }

  visit (root, 0);
  return 0;
}
