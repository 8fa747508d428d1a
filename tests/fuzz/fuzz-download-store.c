/* fuzz-download-store.c: libFuzzer target for the downloads.json store
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads each input as the MmDownloadStore reads
 * `$XDG_DATA_HOME/model-manager/downloads.json` (_mm_download_store_parse()):
 * a JSON object with an "items" array, each entry restored with
 * mm_download_item_new_from_json() (both ways an unfinished item can come
 * back), and the completed files found as the Library and the reuse index
 * find them (_mm_download_store_completed_files()). Parsing must give
 * items or an error; every entry must give an item or an error, without a
 * crash, a critical or a warning; a restored item must describe itself
 * again (mm_download_item_to_json()).
 */
#include "config.h"

#include <stdint.h>

#include "mm-download-item.h"
#include "mm-download-store-private.h"
#include "mm-download-store.h"
#include "mm-hub-client.h"

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
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = _mm_download_store_parse ((const char *) data, size, &error);
  g_autoptr(GPtrArray) completed = NULL;

  if ((items == NULL) == (error == NULL))
    g_error ("Result and error disagree");
  if (items == NULL)
    return 0;

  completed = _mm_download_store_completed_files (items);
  for (guint i = 0; i < completed->len; i++)
    {
      MmDownloadRecord *record = g_ptr_array_index (completed, i);

      if (record->destination == NULL || !g_path_is_absolute (record->destination) ||
          record->sha256 == NULL)
        g_error ("A completed file without an absolute destination or a SHA-256");
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      restore (json_node_get_object (node), FALSE);
      restore (json_node_get_object (node), TRUE);
    }
  return 0;
}
