/* mm-json.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tolerant accessors for the Hub's JSON. Any member can be missing, null or
 * of an unexpected type; these return the fallback instead of warning the way
 * json_object_get_*_member() does. Integers are read as gint64 so file sizes
 * beyond 2^31 survive, and integral doubles are accepted.
 */
#define G_LOG_DOMAIN "mm-json"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mm-hub-error.h"
#include "mm-json.h"

static JsonNode *
get_value_node (JsonObject *object,
                const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/**
 * mm_json_get_string:
 * Returns: (nullable): the string value, or %NULL when missing or not a string
 */
const char *
mm_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_value_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
mm_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node = get_value_node (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= (double) G_MININT64 && d <= (double) G_MAXINT64 && d == (double) (gint64) d)
        return (gint64) d;
    }

  return fallback;
}

guint64
mm_json_get_uint64 (JsonObject *object,
                    const char *member,
                    guint64     fallback)
{
  gint64 value = mm_json_get_int (object, member, -1);

  return value < 0 ? fallback : (guint64) value;
}

gboolean
mm_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean    fallback)
{
  JsonNode *node = get_value_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

/**
 * mm_json_get_object:
 * Returns: (nullable) (transfer none): the object member, or %NULL
 */
JsonObject *
mm_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = get_value_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

/**
 * mm_json_get_array:
 * Returns: (nullable) (transfer none): the array member, or %NULL
 */
JsonArray *
mm_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = get_value_node (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

/**
 * mm_json_get_strv:
 * Returns: (transfer full): the string elements of an array member; never %NULL
 */
char **
mm_json_get_strv (JsonObject *object,
                  const char *member)
{
  JsonArray *array = mm_json_get_array (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

/**
 * mm_json_get_date:
 * Returns: (transfer full) (nullable): the ISO-8601 member as a date, or %NULL
 */
GDateTime *
mm_json_get_date (JsonObject *object,
                  const char *member)
{
  const char *text = mm_json_get_string (object, member);

  if (text == NULL)
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

/**
 * mm_json_parse_bytes:
 * @bytes: a response body
 * @error: return location for a %MM_HUB_ERROR_MALFORMED error
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
mm_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonNode *root;

  if (len == 0)
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED,
                           _("The Hub sent an empty answer."));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED,
                   _("The Hub sent an answer that could not be read (%s)."),
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED,
                           _("The Hub sent an empty answer."));
      return NULL;
    }

  return json_node_copy (root);
}

/**
 * mm_json_builder_add_string:
 * @value: (nullable): the string, or %NULL for JSON null
 *
 * Adds the member @member with @value to the object being built.
 */
void
mm_json_builder_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * mm_json_builder_add_uint:
 * @known: %FALSE to write null instead of @value
 *
 * Adds the member @member with @value, or null when it is not known or
 * does not fit a JSON integer (int64).
 */
void
mm_json_builder_add_uint (JsonBuilder *builder,
                          const char  *member,
                          guint64      value,
                          gboolean     known)
{
  json_builder_set_member_name (builder, member);
  if (known && value <= G_MAXINT64)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_null_value (builder);
}

/**
 * mm_json_builder_add_date:
 * @date: (nullable): the date, written in ISO 8601, or %NULL for null
 */
void
mm_json_builder_add_date (JsonBuilder *builder,
                          const char  *member,
                          GDateTime   *date)
{
  g_autofree char *text = date != NULL ? g_date_time_format_iso8601 (date) : NULL;

  mm_json_builder_add_string (builder, member, text);
}
