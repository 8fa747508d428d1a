/* fuzz-download-store.c: libFuzzer target for the downloads.json store
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads each input as mm_download_manager_load() reads
 * `$XDG_DATA_HOME/model-manager/downloads.json`: a JSON object with an
 * "items" array, each entry restored with mm_download_item_new_from_json()
 * (both ways an unfinished item can come back). Every entry must give an
 * item or an error, without a crash, a critical or a warning; a restored
 * item must describe itself again (mm_download_item_to_json()).
 */
#include "config.h"

#include <stdint.h>

#include "mm-download-item.h"
#include "mm-hub-client.h"
#include "mm-json.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static MmHubClient *client;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Nothing is ever sent: restored items are not started. */
  client = mm_hub_client_new ("http://127.0.0.1:9", NULL);
  return 0;
}

static void
restore (JsonObject *object,
         gboolean    resume)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MmDownloadItem) item = mm_download_item_new_from_json (client, object, resume,
                                                                   &error);

  if ((item == NULL) == (error == NULL))
    g_error ("Result and error disagree");
  if (item != NULL)
    {
      g_autoptr(JsonNode) again = mm_download_item_to_json (item);

      if (again == NULL || !JSON_NODE_HOLDS_OBJECT (again))
        g_error ("A restored item does not describe itself");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(JsonNode) root = mm_json_parse_bytes (bytes, NULL);
  JsonArray *items;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  items = mm_json_get_array (json_node_get_object (root), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      restore (json_node_get_object (node), FALSE);
      restore (json_node_get_object (node), TRUE);
    }
  return 0;
}
