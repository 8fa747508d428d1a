/* mm-json.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *mm_json_get_string  (JsonObject  *object,
                                 const char  *member);
gint64      mm_json_get_int     (JsonObject  *object,
                                 const char  *member,
                                 gint64       fallback);
guint64     mm_json_get_uint64  (JsonObject  *object,
                                 const char  *member,
                                 guint64      fallback);
gboolean    mm_json_get_bool    (JsonObject  *object,
                                 const char  *member,
                                 gboolean     fallback);
JsonObject *mm_json_get_object  (JsonObject  *object,
                                 const char  *member);
JsonArray  *mm_json_get_array   (JsonObject  *object,
                                 const char  *member);
char      **mm_json_get_strv    (JsonObject  *object,
                                 const char  *member);
GDateTime  *mm_json_get_date    (JsonObject  *object,
                                 const char  *member);
JsonNode   *mm_json_parse_bytes (GBytes      *bytes,
                                 GError     **error);

void        mm_json_builder_add_string (JsonBuilder *builder,
                                        const char  *member,
                                        const char  *value);
void        mm_json_builder_add_uint   (JsonBuilder *builder,
                                        const char  *member,
                                        guint64      value,
                                        gboolean     known);
void        mm_json_builder_add_date   (JsonBuilder *builder,
                                        const char  *member,
                                        GDateTime   *date);

G_END_DECLS
