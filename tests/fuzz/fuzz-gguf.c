/* fuzz-gguf.c: libFuzzer target for the GGUF header parser
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds each input to mm_gguf_reader_parse_bytes() and, when it parses, walks
 * everything the result exposes. Criticals and warnings abort, so a broken
 * invariant shows up as a crash. Built and run by build-aux/fuzz.
 */
#include "config.h"

#include <stdint.h>

#include "mm-gguf-reader.h"

static volatile guint64 sink;

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  guint64 sum = 0;

  info = mm_gguf_reader_parse_bytes (bytes, &error);
  if (info == NULL)
    {
      if (error == NULL || error->domain != MM_GGUF_ERROR || error->message[0] == '\0')
        g_error ("Failure without a proper error");
      return 0;
    }
  if (error != NULL)
    g_error ("Success with an error set");

  for (guint i = 0; i < mm_gguf_info_get_n_metadata (info); i++)
    {
      const char *key = mm_gguf_info_get_metadata_key (info, i);
      GVariant *value = mm_gguf_info_get_metadata_value (info, i);
      g_autofree char *text = g_variant_print (value, TRUE);

      if (!g_utf8_validate (key, -1, NULL) || !mm_gguf_info_lookup (info, key, NULL, NULL))
        g_error ("Bad key");
      if (mm_gguf_info_get_metadata_type (info, i) == MM_GGUF_TYPE_ARRAY &&
          !g_variant_is_of_type (value, G_VARIANT_TYPE ("(utav)")))
        g_error ("Bad array summary");
      sum += strlen (text);
    }

  for (guint i = 0; i < mm_gguf_info_get_n_tensor_infos (info); i++)
    {
      const MmGgufTensorInfo *tensor = mm_gguf_info_get_tensor_info (info, i);

      if (tensor->n_dims > 4 || !g_utf8_validate (tensor->name, -1, NULL))
        g_error ("Bad tensor info");
      sum += tensor->dims[0] + (mm_gguf_ggml_type_to_string (tensor->ggml_type) != NULL);
    }

  sum += mm_gguf_info_get_parameter_count (info);
  sum += mm_gguf_info_get_context_length (info);
  sum += mm_gguf_info_get_block_count (info);
  sum += mm_gguf_info_get_embedding_length (info);
  sum += mm_gguf_info_get_head_count (info);
  sum += mm_gguf_info_get_head_count_kv (info);
  sum += mm_gguf_info_get_split_no (info) + mm_gguf_info_get_split_count (info);
  sum += mm_gguf_info_get_has_chat_template (info);
  sum += mm_gguf_info_get_file_type_name (info) != NULL;
  sum += mm_gguf_info_get_architecture (info) != NULL;
  sum += mm_gguf_info_get_name (info) != NULL;
  if (mm_gguf_info_get_tensor_data_offset (info) > size + mm_gguf_info_get_alignment (info))
    g_error ("Tensor data offset past the input");

  /* Keep the walk from being optimized away. */
  sink = sum;
  return 0;
}
