/* mm-cli-gguf.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `model-manager-cli gguf FILE [--json]`: what the header of a local GGUF
 * file says. Long arrays (a tokenizer's vocabulary) are shown as their type,
 * count and first few elements, as the reader keeps them.
 */
#define G_LOG_DOMAIN "mm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "mm-cli-commands.h"
#include "mm-core.h"

#define EXIT_USAGE 2
#define EXIT_FAILURE_ 1
/* Longer strings are cut in the text listing (not in JSON). */
#define TEXT_STRING_MAX 120

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Appends @value for one line of a terminal: control characters (which a
 * hostile file could use to drive the terminal) and quotes escaped, long
 * strings cut. The string is valid UTF-8 (the reader made it so). */
static void
append_escaped (GString    *out,
                const char *value,
                gboolean    cut)
{
  glong shown = 0;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (cut && shown == TEXT_STRING_MAX)
        {
          g_string_append (out, "…");
          break;
        }
      shown++;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
}

static char *
escape (const char *value)
{
  GString *out = g_string_new (NULL);

  append_escaped (out, value, FALSE);
  return g_string_free (out, FALSE);
}

static void
append_quoted (GString    *out,
               const char *value)
{
  glong length = g_utf8_strlen (value, -1);

  g_string_append_c (out, '"');
  append_escaped (out, value, TRUE);
  g_string_append_c (out, '"');

  if (length > TEXT_STRING_MAX)
    /* Translators: after a cut string; %ld is its full length in characters */
    g_string_append_printf (out, _(" (%ld characters)"), length);
}

static void
append_value (GString    *out,
              MmGgufType  type,
              GVariant   *value)
{
  switch (type)
    {
    case MM_GGUF_TYPE_UINT8:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      break;
    case MM_GGUF_TYPE_INT8:
    case MM_GGUF_TYPE_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      break;
    case MM_GGUF_TYPE_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      break;
    case MM_GGUF_TYPE_UINT32:
      g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
      break;
    case MM_GGUF_TYPE_INT32:
      g_string_append_printf (out, "%d", g_variant_get_int32 (value));
      break;
    case MM_GGUF_TYPE_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      break;
    case MM_GGUF_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      break;
    case MM_GGUF_TYPE_FLOAT32:
    case MM_GGUF_TYPE_FLOAT64:
      g_string_append_printf (out, "%g", g_variant_get_double (value));
      break;
    case MM_GGUF_TYPE_BOOL:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      break;
    case MM_GGUF_TYPE_STRING:
      append_quoted (out, g_variant_get_string (value, NULL));
      break;
    case MM_GGUF_TYPE_ARRAY:
      {
        g_autoptr(GVariant) first = NULL;
        guint32 element_type;
        guint64 count;
        gsize n_first;

        g_variant_get (value, "(ut@av)", &element_type, &count, &first);
        n_first = g_variant_n_children (first);
        g_string_append_printf (out, "[%s × %" G_GUINT64_FORMAT "]",
                                mm_gguf_type_to_string (element_type), count);
        for (gsize i = 0; i < n_first; i++)
          {
            g_autoptr(GVariant) element = g_variant_get_child_value (first, i);
            g_autoptr(GVariant) inner = g_variant_get_variant (element);

            g_string_append (out, i == 0 ? " " : ", ");
            append_value (out, element_type, inner);
          }
        if (count > n_first)
          g_string_append (out, n_first > 0 ? ", …" : " …");
      }
      break;
    default:
      g_string_append (out, "?");
      break;
    }
}

static void
add_json_value (JsonBuilder *builder,
                MmGgufType   type,
                GVariant    *value)
{
  double d;

  switch (type)
    {
    case MM_GGUF_TYPE_UINT8:
      json_builder_add_int_value (builder, g_variant_get_byte (value));
      break;
    case MM_GGUF_TYPE_INT8:
    case MM_GGUF_TYPE_INT16:
      json_builder_add_int_value (builder, g_variant_get_int16 (value));
      break;
    case MM_GGUF_TYPE_UINT16:
      json_builder_add_int_value (builder, g_variant_get_uint16 (value));
      break;
    case MM_GGUF_TYPE_UINT32:
      json_builder_add_int_value (builder, g_variant_get_uint32 (value));
      break;
    case MM_GGUF_TYPE_INT32:
      json_builder_add_int_value (builder, g_variant_get_int32 (value));
      break;
    case MM_GGUF_TYPE_UINT64:
      if (g_variant_get_uint64 (value) <= G_MAXINT64)
        json_builder_add_int_value (builder, (gint64) g_variant_get_uint64 (value));
      else
        json_builder_add_double_value (builder, (double) g_variant_get_uint64 (value));
      break;
    case MM_GGUF_TYPE_INT64:
      json_builder_add_int_value (builder, g_variant_get_int64 (value));
      break;
    case MM_GGUF_TYPE_FLOAT32:
    case MM_GGUF_TYPE_FLOAT64:
      /* JSON has no NaN or infinity. */
      d = g_variant_get_double (value);
      if (isfinite (d))
        json_builder_add_double_value (builder, d);
      else
        json_builder_add_null_value (builder);
      break;
    case MM_GGUF_TYPE_BOOL:
      json_builder_add_boolean_value (builder, g_variant_get_boolean (value));
      break;
    case MM_GGUF_TYPE_STRING:
      json_builder_add_string_value (builder, g_variant_get_string (value, NULL));
      break;
    case MM_GGUF_TYPE_ARRAY:
      {
        g_autoptr(GVariant) first = NULL;
        guint32 element_type;
        guint64 count;
        gsize n_first;

        g_variant_get (value, "(ut@av)", &element_type, &count, &first);
        n_first = g_variant_n_children (first);
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "type");
        json_builder_add_string_value (builder, mm_gguf_type_to_string (element_type));
        json_builder_set_member_name (builder, "count");
        json_builder_add_int_value (builder, (gint64) count);
        json_builder_set_member_name (builder, "first");
        json_builder_begin_array (builder);
        for (gsize i = 0; i < n_first; i++)
          {
            g_autoptr(GVariant) element = g_variant_get_child_value (first, i);
            g_autoptr(GVariant) inner = g_variant_get_variant (element);

            add_json_value (builder, element_type, inner);
          }
        json_builder_end_array (builder);
        json_builder_end_object (builder);
      }
      break;
    default:
      json_builder_add_null_value (builder);
      break;
    }
}

static void
print_json (MmGgufInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gint64 file_type = mm_gguf_info_get_file_type (info);
  gboolean split = mm_gguf_info_get_is_split (info);

  json_builder_begin_object (builder);
  mm_json_builder_add_uint (builder, "version", mm_gguf_info_get_version (info), TRUE);
  mm_json_builder_add_uint (builder, "tensor_count", mm_gguf_info_get_tensor_count (info), TRUE);

  json_builder_set_member_name (builder, "facts");
  json_builder_begin_object (builder);
  mm_json_builder_add_string (builder, "architecture", mm_gguf_info_get_architecture (info));
  mm_json_builder_add_string (builder, "name", mm_gguf_info_get_name (info));
  mm_json_builder_add_uint (builder, "parameters", mm_gguf_info_get_parameter_count (info), TRUE);
  mm_json_builder_add_uint (builder, "context_length", mm_gguf_info_get_context_length (info),
                            mm_gguf_info_get_context_length (info) != 0);
  mm_json_builder_add_uint (builder, "layers", mm_gguf_info_get_block_count (info),
                            mm_gguf_info_get_block_count (info) != 0);
  mm_json_builder_add_uint (builder, "embedding_length", mm_gguf_info_get_embedding_length (info),
                            mm_gguf_info_get_embedding_length (info) != 0);
  mm_json_builder_add_uint (builder, "heads", mm_gguf_info_get_head_count (info),
                            mm_gguf_info_get_head_count (info) != 0);
  mm_json_builder_add_uint (builder, "heads_kv", mm_gguf_info_get_head_count_kv (info),
                            mm_gguf_info_get_head_count_kv (info) != 0);
  json_builder_set_member_name (builder, "file_type");
  if (mm_gguf_info_get_file_type_name (info) != NULL)
    json_builder_add_string_value (builder, mm_gguf_info_get_file_type_name (info));
  else if (file_type >= 0)
    json_builder_add_int_value (builder, file_type);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "chat_template");
  json_builder_add_boolean_value (builder, mm_gguf_info_get_has_chat_template (info));
  mm_json_builder_add_uint (builder, "split_no", mm_gguf_info_get_split_no (info), split);
  mm_json_builder_add_uint (builder, "split_count", mm_gguf_info_get_split_count (info), split);
  mm_json_builder_add_uint (builder, "alignment", mm_gguf_info_get_alignment (info), TRUE);
  mm_json_builder_add_uint (builder, "tensor_data_offset",
                            mm_gguf_info_get_tensor_data_offset (info), TRUE);
  mm_json_builder_add_uint (builder, "file_size", mm_gguf_info_get_file_size (info),
                            mm_gguf_info_get_file_size (info) != 0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  for (guint i = 0; i < mm_gguf_info_get_n_metadata (info); i++)
    {
      /* Keys are unique: the reader refuses a file that repeats one. */
      json_builder_set_member_name (builder, mm_gguf_info_get_metadata_key (info, i));
      add_json_value (builder, mm_gguf_info_get_metadata_type (info, i),
                      mm_gguf_info_get_metadata_value (info, i));
    }
  json_builder_end_object (builder);

  /* The tensor infos the reader kept (all but those beyond
   * MM_GGUF_MAX_STORED_TENSORS), in file order. */
  json_builder_set_member_name (builder, "tensors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mm_gguf_info_get_n_tensor_infos (info); i++)
    {
      const MmGgufTensorInfo *tensor = mm_gguf_info_get_tensor_info (info, i);

      json_builder_begin_object (builder);
      mm_json_builder_add_string (builder, "name", tensor->name);
      mm_json_builder_add_string (builder, "type",
                                  mm_gguf_ggml_type_to_string (tensor->ggml_type));
      mm_json_builder_add_uint (builder, "ggml_type", tensor->ggml_type, TRUE);
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < tensor->n_dims; d++)
        json_builder_add_int_value (builder, (gint64) tensor->dims[d]);
      json_builder_end_array (builder);
      mm_json_builder_add_uint (builder, "offset", tensor->offset, TRUE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_fact (const char *label,
            const char *value)
{
  /* Pads by characters, not bytes, so that translated labels line up. */
  glong width = g_utf8_strlen (label, -1);

  g_print ("%s%*s %s\n", label, (int) MAX (20 - width, 0), "", value);
}

static void
print_uint_fact (const char *label,
                 guint64     value)
{
  g_autofree char *text = NULL;

  if (value == 0)
    return;

  text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  print_fact (label, text);
}

static void
print_text (GFile      *file,
            MmGgufInfo *info)
{
  g_autofree char *path = g_file_get_parse_name (file);
  g_autofree char *version = g_strdup_printf ("%u", mm_gguf_info_get_version (info));
  g_autofree char *tensors = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                              mm_gguf_info_get_tensor_count (info));
  guint64 parameters = mm_gguf_info_get_parameter_count (info);
  gint64 file_type = mm_gguf_info_get_file_type (info);

  print_fact (_("File:"), path);
  print_fact (_("GGUF version:"), version);
  print_fact (_("Tensors:"), tensors);
  if (mm_gguf_info_get_architecture (info) != NULL)
    {
      g_autofree char *text = escape (mm_gguf_info_get_architecture (info));

      print_fact (_("Architecture:"), text);
    }
  if (mm_gguf_info_get_name (info) != NULL)
    {
      g_autofree char *text = escape (mm_gguf_info_get_name (info));

      print_fact (_("Name:"), text);
    }
  if (parameters != 0)
    {
      g_autofree char *text = NULL;

      /* Translators: a parameter count, exact and then rounded, e.g. "8030261248 (8.03 B)" */
      if (parameters >= 1000000000)
        text = g_strdup_printf (_("%" PRIu64 " (%.2f B)"), parameters,
                                parameters / 1e9);
      /* Translators: a parameter count, exact and then rounded, e.g. "135000000 (135.0 M)" */
      else if (parameters >= 1000000)
        text = g_strdup_printf (_("%" PRIu64 " (%.1f M)"), parameters,
                                parameters / 1e6);
      else
        text = g_strdup_printf ("%" G_GUINT64_FORMAT, parameters);
      print_fact (_("Parameters:"), text);
    }
  print_uint_fact (_("Context length:"), mm_gguf_info_get_context_length (info));
  print_uint_fact (_("Layers:"), mm_gguf_info_get_block_count (info));
  print_uint_fact (_("Embedding length:"), mm_gguf_info_get_embedding_length (info));
  print_uint_fact (_("Attention heads:"), mm_gguf_info_get_head_count (info));
  print_uint_fact (_("KV heads:"), mm_gguf_info_get_head_count_kv (info));
  if (file_type >= 0)
    {
      const char *name = mm_gguf_info_get_file_type_name (info);
      g_autofree char *text = NULL;

      text = name != NULL ? g_strdup (name)
                          : g_strdup_printf (_("unknown (%" PRId64 ")"), file_type);
      print_fact (_("File type:"), text);
    }
  print_fact (_("Chat template:"), mm_gguf_info_get_has_chat_template (info) ? _("yes")
                                                                            : _("no"));
  if (mm_gguf_info_get_is_split (info))
    {
      /* Translators: split.no counts from 0; people count parts from 1 */
      g_autofree char *text = g_strdup_printf (_("part %u of %u"),
                                               mm_gguf_info_get_split_no (info) + 1,
                                               mm_gguf_info_get_split_count (info));

      print_fact (_("Split:"), text);
    }
  print_uint_fact (_("Tensor data offset:"), mm_gguf_info_get_tensor_data_offset (info));
  if (mm_gguf_info_get_file_size (info) != 0)
    {
      g_autofree char *size = mm_format_size (mm_gguf_info_get_file_size (info));
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT " (%s)",
                                               mm_gguf_info_get_file_size (info), size);

      print_fact (_("File size:"), text);
    }

  g_print ("\n%s\n", _("Metadata:"));
  for (guint i = 0; i < mm_gguf_info_get_n_metadata (info); i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      MmGgufType type = mm_gguf_info_get_metadata_type (info, i);

      g_string_append (line, "  ");
      append_escaped (line, mm_gguf_info_get_metadata_key (info, i), FALSE);
      if (type != MM_GGUF_TYPE_ARRAY)
        g_string_append_printf (line, " (%s)", mm_gguf_type_to_string (type));
      g_string_append (line, " = ");
      append_value (line, type, mm_gguf_info_get_metadata_value (info, i));
      g_print ("%s\n", line->str);
    }
}

int
mm_cli_gguf (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — show what a GGUF file’s header says"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("model-manager-cli: %s\n\n%s",
                  error != NULL ? error->message : _("Give exactly one GGUF file."), help);
      return EXIT_USAGE;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  mm_gguf_reader_read_file_async (file, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  info = mm_gguf_reader_read_file_finish (result, &error);
  if (info == NULL)
    {
      g_printerr ("model-manager-cli: %s\n", error->message);
      return EXIT_FAILURE_;
    }

  if (json)
    print_json (info);
  else
    print_text (file, info);

  return EXIT_SUCCESS;
}
