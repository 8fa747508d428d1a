/* mm-gguf-reader.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the header of a GGUF file (hub-protocol.md §8): the metadata and the
 * tensor infos, never the tensor data.
 *
 * One parser reads from a byte source: a window of the file's bytes plus an
 * optional blocking `fill` function. The file is hostile until proven
 * otherwise, so every length and count is checked against the bytes that are
 * there and against fixed caps before it is used, and nothing is allocated in
 * proportion to a count: arrays keep only their first few elements and are
 * otherwise skipped.
 *
 * - mm_gguf_reader_parse_bytes() has no fill function: when the bytes run out
 *   it fails with %MM_GGUF_ERROR_TRUNCATED and notes how many it needed.
 * - A local file is parsed in a worker thread whose fill function reads the
 *   stream on demand and drops the bytes the parser is done with, so a large
 *   header costs little memory and the tensor data is never read.
 * - A remote file is fetched with HTTP Range requests on the caller's main
 *   context, in steps that start at 64 KiB and double each time the header
 *   goes on (capped at %MM_GGUF_MAX_HEADER_REMOTE). Most headers fit in the
 *   first step: on a slow link a 2 MB first chunk (as huggingface.js asks
 *   for) took over a minute for a header of a few kB. Each time the prefix
 *   grows, the parser runs again over it without a fill function; re-parsing
 *   a few MB is cheap next to a network round trip. A server that ignores
 *   Range and answers 200 gets its body read only as far as needed, then
 *   dropped. Progress (bytes read, and the most that will be read once a
 *   step reaches the end of the file) goes to an optional callback, at most
 *   ten times a second.
 */
#define G_LOG_DOMAIN "mm-gguf-reader"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "mm-gguf-info-private.h"
#include "mm-gguf-reader-private.h"
#include "mm-http-redirect.h"

G_DEFINE_QUARK (mm-gguf-error-quark, mm_gguf_error)

#define GGUF_MAGIC "GGUF"
#define MAX_KEY_LENGTH 65535
#define MAX_TENSOR_NAME_LENGTH 65535
#define MAX_DIMS 4
#define DEFAULT_ALIGNMENT 32
/* Local reads happen in pieces of at least this size. */
#define FILE_READ_SIZE (64 * 1024)
/* Skipped data is consumed in pieces of at most this size. */
#define SKIP_PIECE (1024 * 1024)
/* The first remote step; each next one is twice the last. */
#define REMOTE_FIRST_CHUNK (64 * 1024)
/* Progress is reported at most this often, in microseconds. */
#define REMOTE_PROGRESS_INTERVAL (100 * 1000)
#define REMOTE_READ_SIZE (256 * 1024)
/* Redirects followed by hand (see MmGgufRemoteFuncs) per request. */

typedef struct _Source Source;

/* Makes the bytes up to @end available in source->data, or fails. Bytes
 * before @keep_from are no longer needed and may be dropped. */
typedef gboolean (*SourceFillFunc) (Source   *source,
                                    guint64   keep_from,
                                    guint64   end,
                                    GError  **error);

struct _Source
{
  const guint8 *data;   /* bytes [base, base + length) of the file */
  guint64 base;
  guint64 length;
  guint64 file_size;    /* 0 when unknown */
  SourceFillFunc fill;  /* (nullable): NULL when data is all there is */
};

typedef struct {
  Source *source;
  guint64 pos;
  /* When the parser fails with TRUNCATED: how many bytes it needs in all. */
  guint64 needed;
  /* How many elements of the metadata value being read, if it is an array,
   * to keep: MM_GGUF_ARRAY_FIRST, or all of a per-layer array. */
  guint64 keep;
} Parser;

/* Values some files give per layer, as an array (OpenELM's head counts):
 * the memory estimate needs every element. */
#define MAX_PER_LAYER_VALUES _MM_GGUF_MAX_PER_LAYER

static gboolean
is_per_layer_key (const char *key)
{
  return g_str_has_suffix (key, ".attention.head_count") ||
         g_str_has_suffix (key, ".attention.head_count_kv");
}

static void
set_truncated (Parser  *parser,
               guint64  end,
               GError **error)
{
  parser->needed = end;
  g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED,
               _("The GGUF header is incomplete: the data ends after %" PRIu64
                 " bytes, but at least %" PRIu64 " are needed."),
               parser->source->file_size != 0 ? parser->source->file_size
                                              : parser->source->base + parser->source->length,
               end);
}

/* Makes @n bytes at the parser's position available. */
static gboolean
ensure (Parser   *parser,
        guint64   n,
        GError  **error)
{
  Source *source = parser->source;
  guint64 end;

  if (n > G_MAXUINT64 - parser->pos)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header describes data beyond any possible file size."));
      return FALSE;
    }

  end = parser->pos + n;
  if (end <= source->base + source->length)
    return TRUE;

  if ((source->file_size != 0 && end > source->file_size) || source->fill == NULL)
    {
      set_truncated (parser, end, error);
      return FALSE;
    }

  if (!source->fill (source, parser->pos, end, error))
    {
      parser->needed = end;
      return FALSE;
    }

  g_assert (end <= source->base + source->length);
  return TRUE;
}

static const guint8 *
peek (Parser *parser)
{
  return parser->source->data + (parser->pos - parser->source->base);
}

static gboolean
read_u8 (Parser  *parser,
         guint8  *value,
         GError **error)
{
  if (!ensure (parser, 1, error))
    return FALSE;

  *value = *peek (parser);
  parser->pos += 1;
  return TRUE;
}

static gboolean
read_u16 (Parser   *parser,
          guint16  *value,
          GError  **error)
{
  guint16 raw;

  if (!ensure (parser, sizeof raw, error))
    return FALSE;

  memcpy (&raw, peek (parser), sizeof raw);
  *value = GUINT16_FROM_LE (raw);
  parser->pos += sizeof raw;
  return TRUE;
}

static gboolean
read_u32 (Parser   *parser,
          guint32  *value,
          GError  **error)
{
  guint32 raw;

  if (!ensure (parser, sizeof raw, error))
    return FALSE;

  memcpy (&raw, peek (parser), sizeof raw);
  *value = GUINT32_FROM_LE (raw);
  parser->pos += sizeof raw;
  return TRUE;
}

static gboolean
read_u64 (Parser   *parser,
          guint64  *value,
          GError  **error)
{
  guint64 raw;

  if (!ensure (parser, sizeof raw, error))
    return FALSE;

  memcpy (&raw, peek (parser), sizeof raw);
  *value = GUINT64_FROM_LE (raw);
  parser->pos += sizeof raw;
  return TRUE;
}

/* Moves past @n bytes without keeping them. A blocking source is consumed in
 * pieces, so that skipping a long array does not buffer all of it. */
static gboolean
skip (Parser   *parser,
      guint64   n,
      GError  **error)
{
  if (parser->source->fill == NULL)
    {
      if (!ensure (parser, n, error))
        return FALSE;
      parser->pos += n;
      return TRUE;
    }

  while (n > 0)
    {
      guint64 piece = MIN (n, SKIP_PIECE);

      if (!ensure (parser, piece, error))
        return FALSE;
      parser->pos += piece;
      n -= piece;
    }

  return TRUE;
}

/* Reads a string of at most @max_length bytes; @value may be NULL to skip it.
 * Strings should be UTF-8 but come from anywhere: they are made valid. */
static gboolean
read_string (Parser      *parser,
             guint64      max_length,
             const char  *what,
             char       **value,
             GError     **error)
{
  guint64 length;

  if (!read_u64 (parser, &length, error))
    return FALSE;

  if (length > max_length)
    {
      g_set_error (error, MM_GGUF_ERROR,
                   max_length == MM_GGUF_MAX_STRING_LENGTH ? MM_GGUF_ERROR_TOO_LARGE
                                                           : MM_GGUF_ERROR_CORRUPT,
                   /* Translators: the first %s is “a metadata key”, “a string” or similar */
                   _("The GGUF header holds %s of %" PRIu64 " bytes; at most %"
                     PRIu64 " are allowed."),
                   what, length, max_length);
      return FALSE;
    }

  if (value == NULL)
    return skip (parser, length, error);

  if (!ensure (parser, length, error))
    return FALSE;

  *value = g_utf8_make_valid ((const char *) peek (parser), (gssize) length);
  parser->pos += length;
  return TRUE;
}

static gboolean
type_is_valid (guint32 type)
{
  return type <= MM_GGUF_TYPE_FLOAT64;
}

/* The size of a value of @type, or 0 when it varies. */
static guint
type_size (MmGgufType type)
{
  switch (type)
    {
    case MM_GGUF_TYPE_UINT8:
    case MM_GGUF_TYPE_INT8:
    case MM_GGUF_TYPE_BOOL:
      return 1;
    case MM_GGUF_TYPE_UINT16:
    case MM_GGUF_TYPE_INT16:
      return 2;
    case MM_GGUF_TYPE_UINT32:
    case MM_GGUF_TYPE_INT32:
    case MM_GGUF_TYPE_FLOAT32:
      return 4;
    case MM_GGUF_TYPE_UINT64:
    case MM_GGUF_TYPE_INT64:
    case MM_GGUF_TYPE_FLOAT64:
      return 8;
    case MM_GGUF_TYPE_STRING:
    case MM_GGUF_TYPE_ARRAY:
    default:
      return 0;
    }
}

static gboolean read_value (Parser      *parser,
                            MmGgufType   type,
                            guint        depth,
                            GVariant   **value,
                            GError     **error);

/* Reads an array at nesting level @depth (1 for a top-level array). With
 * @value NULL it is skipped; otherwise it is summarized as `(utav)`. */
static gboolean
read_array (Parser    *parser,
            guint      depth,
            GVariant **value,
            GError   **error)
{
  g_auto(GVariantBuilder) first = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));
  guint32 element_type;
  guint64 count;
  guint64 n_keep;
  guint size;

  if (depth > MM_GGUF_MAX_ARRAY_DEPTH)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header nests arrays more than %d levels deep."),
                   MM_GGUF_MAX_ARRAY_DEPTH);
      return FALSE;
    }

  if (!read_u32 (parser, &element_type, error) || !read_u64 (parser, &count, error))
    return FALSE;

  if (!type_is_valid (element_type))
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header holds an array of unknown type %u."), element_type);
      return FALSE;
    }

  if (count > MM_GGUF_MAX_ARRAY_LENGTH)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TOO_LARGE,
                   _("The GGUF header holds an array of %" PRIu64
                     " elements; at most %d are allowed."),
                   count, MM_GGUF_MAX_ARRAY_LENGTH);
      return FALSE;
    }

  n_keep = value != NULL ? MIN (count, depth == 1 ? parser->keep : MM_GGUF_ARRAY_FIRST) : 0;
  for (guint64 i = 0; i < n_keep; i++)
    {
      GVariant *element = NULL;

      if (!read_value (parser, element_type, depth, &element, error))
        return FALSE;
      g_variant_builder_add (&first, "v", element);
    }

  /* The rest is only walked over: fixed-size elements all at once, checked
   * against the bytes there before any of them is looked at. */
  size = type_size (element_type);
  if (size != 0)
    {
      if (!skip (parser, (count - n_keep) * size, error))
        return FALSE;
    }
  else
    {
      for (guint64 i = n_keep; i < count; i++)
        if (!read_value (parser, element_type, depth, NULL, error))
          return FALSE;
    }

  if (value != NULL)
    *value = g_variant_new ("(ut@av)", element_type, count, g_variant_builder_end (&first));

  return TRUE;
}

/* Reads a value of @type. @depth is the nesting level of the array holding
 * it (0 for a top-level value). With @value NULL it is only skipped. */
static gboolean
read_value (Parser      *parser,
            MmGgufType   type,
            guint        depth,
            GVariant   **value,
            GError     **error)
{
  guint8 u8;
  guint16 u16;
  guint32 u32;
  guint64 u64;
  union { guint32 u; float f; } f32;
  union { guint64 u; double f; } f64;
  char *string = NULL;

  if (value == NULL && type_size (type) != 0)
    return skip (parser, type_size (type), error);

  switch (type)
    {
    case MM_GGUF_TYPE_UINT8:
      if (!read_u8 (parser, &u8, error))
        return FALSE;
      *value = g_variant_new_byte (u8);
      return TRUE;
    case MM_GGUF_TYPE_INT8:
      if (!read_u8 (parser, &u8, error))
        return FALSE;
      *value = g_variant_new_int16 ((gint8) u8);
      return TRUE;
    case MM_GGUF_TYPE_UINT16:
      if (!read_u16 (parser, &u16, error))
        return FALSE;
      *value = g_variant_new_uint16 (u16);
      return TRUE;
    case MM_GGUF_TYPE_INT16:
      if (!read_u16 (parser, &u16, error))
        return FALSE;
      *value = g_variant_new_int16 ((gint16) u16);
      return TRUE;
    case MM_GGUF_TYPE_UINT32:
      if (!read_u32 (parser, &u32, error))
        return FALSE;
      *value = g_variant_new_uint32 (u32);
      return TRUE;
    case MM_GGUF_TYPE_INT32:
      if (!read_u32 (parser, &u32, error))
        return FALSE;
      *value = g_variant_new_int32 ((gint32) u32);
      return TRUE;
    case MM_GGUF_TYPE_FLOAT32:
      if (!read_u32 (parser, &f32.u, error))
        return FALSE;
      *value = g_variant_new_double (f32.f);
      return TRUE;
    case MM_GGUF_TYPE_BOOL:
      /* The format says 0 or 1; like llama.cpp, read anything else as true. */
      if (!read_u8 (parser, &u8, error))
        return FALSE;
      *value = g_variant_new_boolean (u8 != 0);
      return TRUE;
    case MM_GGUF_TYPE_STRING:
      if (!read_string (parser, MM_GGUF_MAX_STRING_LENGTH, _("a string"),
                        value != NULL ? &string : NULL, error))
        return FALSE;
      if (value != NULL)
        *value = g_variant_new_take_string (string);
      return TRUE;
    case MM_GGUF_TYPE_ARRAY:
      return read_array (parser, depth + 1, value, error);
    case MM_GGUF_TYPE_UINT64:
      if (!read_u64 (parser, &u64, error))
        return FALSE;
      *value = g_variant_new_uint64 (u64);
      return TRUE;
    case MM_GGUF_TYPE_INT64:
      if (!read_u64 (parser, &u64, error))
        return FALSE;
      *value = g_variant_new_int64 ((gint64) u64);
      return TRUE;
    case MM_GGUF_TYPE_FLOAT64:
      if (!read_u64 (parser, &f64.u, error))
        return FALSE;
      *value = g_variant_new_double (f64.f);
      return TRUE;
    default:
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header holds a value of unknown type %u."), (guint) type);
      return FALSE;
    }
}

static gboolean
read_header (Parser   *parser,
             guint32  *version,
             GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 magic[4];

  if (!ensure (parser, sizeof magic, &local_error))
    {
      Source *source = parser->source;
      guint64 available = source->base + source->length;

      /* Refuse what is clearly not GGUF even from its first bytes. */
      if (g_error_matches (local_error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED) &&
          available > 0 && memcmp (source->data, GGUF_MAGIC, available) != 0)
        {
          g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_NOT_GGUF,
                       _("This is not a GGUF file: it does not start with “GGUF”."));
          return FALSE;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  memcpy (magic, peek (parser), sizeof magic);
  parser->pos += sizeof magic;
  if (memcmp (magic, GGUF_MAGIC, sizeof magic) != 0)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_NOT_GGUF,
                   _("This is not a GGUF file: it does not start with “GGUF”."));
      return FALSE;
    }

  if (!read_u32 (parser, version, error))
    return FALSE;

  /* Big-endian files carry no flag; their version read as little-endian has
   * its low 16 bits zero (as huggingface.js detects them). */
  if (*version != 0 && (*version & 0xffff) == 0)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
                   _("This GGUF file is big-endian, which is not supported."));
      return FALSE;
    }

  if (*version == 1)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
                   _("This file uses GGUF version 1 from 2023, which is not supported; "
                     "a newer conversion of the model is needed."));
      return FALSE;
    }

  if (*version != 2 && *version != 3)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_UNSUPPORTED_VERSION,
                   _("This file uses GGUF version %u, which is not supported."), *version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_alignment (MmGgufInfo  *info,
                guint32     *alignment,
                GError     **error)
{
  guint64 value;

  if (!mm_gguf_info_lookup (info, "general.alignment", NULL, NULL))
    {
      *alignment = DEFAULT_ALIGNMENT;
      return TRUE;
    }

  /* The format says uint32; accept any integer type, as for other counts. */
  if (!mm_gguf_info_get_uint (info, "general.alignment", &value) ||
      value == 0 || value > G_MAXUINT32 || (value & (value - 1)) != 0)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header gives an invalid alignment."));
      return FALSE;
    }

  *alignment = (guint32) value;
  return TRUE;
}

static gboolean
read_tensor_info (Parser      *parser,
                  MmGgufInfo  *info,
                  guint64     *parameter_count,
                  GError     **error)
{
  g_autofree char *name = NULL;
  guint64 dims[MAX_DIMS];
  guint64 product = 1;
  guint32 n_dims;
  guint32 ggml_type;
  guint64 offset;

  if (!read_string (parser, MAX_TENSOR_NAME_LENGTH, _("a tensor name"), &name, error) ||
      !read_u32 (parser, &n_dims, error))
    return FALSE;

  if (n_dims > MAX_DIMS)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header gives a tensor %u dimensions; at most %d are allowed."),
                   n_dims, MAX_DIMS);
      return FALSE;
    }

  for (guint i = 0; i < n_dims; i++)
    {
      if (!read_u64 (parser, &dims[i], error))
        return FALSE;
      if (dims[i] > G_MAXINT64 || !g_uint64_checked_mul (&product, product, dims[i]))
        {
          g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                       _("The GGUF header gives a tensor impossibly large dimensions."));
          return FALSE;
        }
    }

  if (!read_u32 (parser, &ggml_type, error) || !read_u64 (parser, &offset, error))
    return FALSE;

  if (!g_uint64_checked_add (parameter_count, *parameter_count, product))
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                   _("The GGUF header gives its tensors impossibly large dimensions."));
      return FALSE;
    }

  _mm_gguf_info_add_tensor (info, g_steal_pointer (&name), n_dims, dims, ggml_type, offset);
  return TRUE;
}

/* Parses the header from @source. On %MM_GGUF_ERROR_TRUNCATED, *@needed is
 * the number of bytes (from the start of the file) the parser asked for. */
static MmGgufInfo *
parse (Source   *source,
       guint64  *needed,
       GError  **error)
{
  Parser parser = { source, 0, 0, MM_GGUF_ARRAY_FIRST };
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  guint32 version = 0;
  guint64 tensor_count;
  guint64 kv_count;
  guint64 parameter_count = 0;
  guint64 data_offset;
  guint32 alignment;

  if (!read_header (&parser, &version, &local_error) ||
      !read_u64 (&parser, &tensor_count, &local_error) ||
      !read_u64 (&parser, &kv_count, &local_error))
    goto fail;

  if (tensor_count > MM_GGUF_MAX_TENSOR_COUNT)
    {
      g_set_error (&local_error, MM_GGUF_ERROR, MM_GGUF_ERROR_TOO_LARGE,
                   _("The GGUF header claims %" PRIu64 " tensors; at most %d are "
                     "allowed."), tensor_count, MM_GGUF_MAX_TENSOR_COUNT);
      goto fail;
    }

  if (kv_count > MM_GGUF_MAX_KV_COUNT)
    {
      g_set_error (&local_error, MM_GGUF_ERROR, MM_GGUF_ERROR_TOO_LARGE,
                   _("The GGUF header claims %" PRIu64 " metadata entries; at most "
                     "%d are allowed."), kv_count, MM_GGUF_MAX_KV_COUNT);
      goto fail;
    }

  info = _mm_gguf_info_new (version, tensor_count);

  for (guint64 i = 0; i < kv_count; i++)
    {
      g_autofree char *key = NULL;
      GVariant *value = NULL;
      guint32 type;

      if (!read_string (&parser, MAX_KEY_LENGTH, _("a metadata key"), &key, &local_error))
        goto fail;

      /* Which of two values would count? Readers disagree (huggingface.js
       * keeps the last), so do what llama.cpp does, the program these files
       * are made for: ggml's gguf_init_from_file() refuses the whole file
       * ("duplicate key"), so nothing built on it can load this one. */
      if (mm_gguf_info_lookup (info, key, NULL, NULL))
        {
          g_strcanon (key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", '?');
          g_set_error (&local_error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                       _("The GGUF header gives the metadata key “%s” twice. llama.cpp "
                         "refuses such a file, so programs built on it cannot load this "
                         "one."), key);
          goto fail;
        }

      if (!read_u32 (&parser, &type, &local_error))
        goto fail;

      if (!type_is_valid (type))
        {
          /* The key goes into a message for a terminal: no control characters. */
          g_strcanon (key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", '?');
          g_set_error (&local_error, MM_GGUF_ERROR, MM_GGUF_ERROR_CORRUPT,
                       _("The GGUF metadata entry “%s” has unknown type %u."), key, type);
          goto fail;
        }

      parser.keep = is_per_layer_key (key) ? MAX_PER_LAYER_VALUES : MM_GGUF_ARRAY_FIRST;
      if (!read_value (&parser, type, 0, &value, &local_error))
        goto fail;

      _mm_gguf_info_add_metadata (info, g_steal_pointer (&key), type, value);
    }

  if (!read_alignment (info, &alignment, &local_error))
    goto fail;

  for (guint64 i = 0; i < tensor_count; i++)
    if (!read_tensor_info (&parser, info, &parameter_count, &local_error))
      goto fail;

  /* The tensor data starts at the next multiple of the alignment. */
  data_offset = parser.pos + (alignment - parser.pos % alignment) % alignment;
  _mm_gguf_info_set_layout (info, alignment, data_offset, parameter_count);
  _mm_gguf_info_set_file_size (info, source->file_size);

  return g_steal_pointer (&info);

fail:
  if (needed != NULL)
    *needed = parser.needed;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * mm_gguf_reader_parse_bytes:
 * @bytes: the start of a GGUF file
 *
 * Parses a GGUF header from memory. @bytes may be a prefix of the file: it
 * only needs to reach the end of the tensor infos.
 *
 * Returns: (transfer full): the header, or %NULL with @error set; when
 *   @bytes ends before the header does, the error is
 *   %MM_GGUF_ERROR_TRUNCATED (“needs more bytes”)
 */
MmGgufInfo *
mm_gguf_reader_parse_bytes (GBytes  *bytes,
                            GError **error)
{
  Source source = { 0, };
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source.data = g_bytes_get_data (bytes, &size);
  source.length = size;

  return parse (&source, NULL, error);
}

/* Local files */

typedef struct {
  Source source;
  GInputStream *stream;
  GByteArray *buffer;
  GCancellable *cancellable;
  char *display_name;
  gboolean eof;
} FileSource;

static void
set_io_error (GError     **error,
              GError      *cause,
              const char  *display_name)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }

  /* GIO's own messages name the path again ("Error opening file /x/y: No
   * such file or directory"): say the common cases in words, and keep only
   * the reason of the others. */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                 _("Could not read “%s”: there is no such file."), display_name);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                 _("Could not read “%s”: you do not have permission to read it."),
                 display_name);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                 _("Could not read “%s”: it is a folder, not a file."), display_name);
  else
    {
      g_autofree char *named = g_strconcat (display_name, ": ", NULL);
      const char *reason = strstr (cause->message, named);

      reason = reason != NULL ? reason + strlen (named) : cause->message;
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                   _("Could not read “%s”: %s"), display_name, reason);
    }
  g_error_free (cause);
}

/* A local file always says which file ends too soon, whether its size was
 * known before parsing (the parser's own message cannot name it) or not. */
static void
set_file_truncated (GError     **error,
                    const char  *display_name,
                    guint64      size,
                    guint64      needed)
{
  g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED,
               _("The GGUF header of “%s” is incomplete: the file ends after %" PRIu64
                 " bytes, but at least %" PRIu64 " are needed."),
               display_name, size, needed);
}

static gboolean
file_source_fill (Source   *source,
                  guint64   keep_from,
                  guint64   end,
                  GError  **error)
{
  FileSource *self = (FileSource *) source;

  if (end > MM_GGUF_MAX_HEADER_LOCAL)
    {
      g_set_error (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TOO_LARGE,
                   _("The GGUF header of “%s” is larger than %d MiB."),
                   self->display_name, MM_GGUF_MAX_HEADER_LOCAL / (1024 * 1024));
      return FALSE;
    }

  /* Drop what the parser is done with, once it is worth the move. */
  if (keep_from > source->base && keep_from - source->base >= SKIP_PIECE)
    {
      guint64 drop = MIN (keep_from - source->base, self->buffer->len);

      g_byte_array_remove_range (self->buffer, 0, (guint) drop);
      source->base += drop;
    }

  while (source->base + self->buffer->len < end)
    {
      guint64 missing = end - (source->base + self->buffer->len);
      gsize want = (gsize) MAX (missing, FILE_READ_SIZE);
      guint old_length = self->buffer->len;
      GError *local_error = NULL;
      gsize n_read = 0;

      if (self->eof)
        break;

      g_byte_array_set_size (self->buffer, old_length + want);
      if (!g_input_stream_read_all (self->stream, self->buffer->data + old_length, want,
                                    &n_read, self->cancellable, &local_error))
        {
          g_byte_array_set_size (self->buffer, old_length);
          source->data = self->buffer->data;
          source->length = self->buffer->len;
          set_io_error (error, local_error, self->display_name);
          return FALSE;
        }

      g_byte_array_set_size (self->buffer, old_length + n_read);
      if (n_read < want)
        self->eof = TRUE;
    }

  source->data = self->buffer->data;
  source->length = self->buffer->len;

  if (source->base + source->length < end)
    {
      set_file_truncated (error, self->display_name, source->base + source->length, end);
      return FALSE;
    }

  return TRUE;
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(MmGgufInfo) info = NULL;
  g_autofree char *display_name = g_file_get_parse_name (file);
  GError *error = NULL;
  FileSource source = { { 0, }, };
  guint64 needed = 0;

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      GError *io_error = NULL;

      set_io_error (&io_error, error, display_name);
      g_task_return_error (task, io_error);
      return;
    }

  /* Knowing the size turns a hostile length into an early error. */
  file_info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                              cancellable, NULL);
  if (file_info != NULL &&
      g_file_info_has_attribute (file_info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (file_info) > 0)
    source.source.file_size = (guint64) g_file_info_get_size (file_info);

  source.source.fill = file_source_fill;
  source.stream = G_INPUT_STREAM (stream);
  source.buffer = buffer;
  source.cancellable = cancellable;
  source.display_name = display_name;

  info = parse (&source.source, &needed, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED))
        {
          guint64 size = source.source.file_size != 0
                         ? source.source.file_size
                         : source.source.base + source.source.length;

          g_clear_error (&error);
          set_file_truncated (&error, display_name, size, needed);
        }
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
}

/**
 * mm_gguf_reader_read_file_async:
 * @file: a GGUF file
 * @cancellable: (nullable): cancels the read
 *
 * Reads the header of a local GGUF file in a worker thread. Only the header
 * is read (at most %MM_GGUF_MAX_HEADER_LOCAL bytes), never the tensor data.
 * On cancel, finishes with %G_IO_ERROR_CANCELLED.
 */
void
mm_gguf_reader_read_file_async (GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_gguf_reader_read_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_file_thread);
}

/**
 * mm_gguf_reader_read_file_finish:
 *
 * Returns: (transfer full): the header, or %NULL with @error set in the
 *   %MM_GGUF_ERROR domain (or %G_IO_ERROR_CANCELLED)
 */
MmGgufInfo *
mm_gguf_reader_read_file_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_gguf_reader_read_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remote files */

typedef struct {
  SoupSession *session;     /* (owned) */
  char *url;                /* (owned): where the next range is asked for */
  char *display_name;       /* (owned): names the file in error messages */
  MmGgufRemoteFuncs funcs;  /* all NULL for a plain URL */
  gpointer funcs_data;      /* (owned) (nullable) */
  GDestroyNotify funcs_data_free;
  guint redirects;          /* followed by hand for the current request */
  SoupMessage *message;     /* (owned) (nullable): the request being read */
  GInputStream *stream;     /* (owned) (nullable): its body */
  GByteArray *buffer;       /* (owned): the start of the file */
  guint64 file_size;        /* 0 while unknown */
  guint64 want;             /* read until the buffer holds this much */
  guint64 range_end;        /* for a 206: one past its last byte */
  guint64 chunk;            /* the size of the next request */
  gboolean whole_body;      /* the server ignored Range: the stream is the file */
  gboolean at_end;          /* the buffer holds the whole file */
  MmGgufProgressFunc progress;  /* (nullable) */
  gpointer progress_data;   /* (owned) (nullable) */
  GDestroyNotify progress_data_free;
  gint64 progress_time;     /* when progress was last reported, monotonic */
} ReadUrlData;

static void
read_url_data_free (ReadUrlData *data)
{
  g_clear_object (&data->session);
  g_clear_pointer (&data->url, g_free);
  g_clear_pointer (&data->display_name, g_free);
  if (data->funcs_data_free != NULL)
    g_clear_pointer (&data->funcs_data, data->funcs_data_free);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  if (data->progress_data_free != NULL)
    g_clear_pointer (&data->progress_data, data->progress_data_free);
  g_free (data);
}

/* Tells the caller how far the read is: the bytes read, and the most that
 * will be read when that is known (0 otherwise). Not more than ten times a
 * second, unless @force. */
static void
report_progress (ReadUrlData *data,
                 gboolean     force)
{
  gint64 now;
  guint64 total = 0;

  if (data->progress == NULL)
    return;

  now = g_get_monotonic_time ();
  if (!force && data->progress_time != 0 && now - data->progress_time < REMOTE_PROGRESS_INTERVAL)
    return;
  data->progress_time = now;

  /* The header's length is known only once it is parsed; but when this
   * step reaches the end of the file, the read ends there at the latest. */
  if (data->file_size != 0 && data->want >= data->file_size)
    total = data->file_size;
  data->progress (data->buffer->len, total, data->progress_data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadUrlData, read_url_data_free)

static void request_range (GTask *task);
static void send_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);
static void read_more (GTask *task);
static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);
static void try_parse (GTask *task);

static void
return_io_error (GTask  *task,
                 GError *cause)
{
  ReadUrlData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (data->funcs.transport_error != NULL &&
      !g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      error = data->funcs.transport_error (cause, data->funcs_data);
      g_error_free (cause);
    }
  else
    set_io_error (&error, cause, data->display_name);
  g_task_return_error (task, error);
}

static SoupMessage *
new_message (ReadUrlData *data)
{
  g_autoptr(GUri) uri = g_uri_parse (data->url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    return NULL;

  if (data->funcs.new_message != NULL)
    return data->funcs.new_message (uri, data->funcs_data);

  return soup_message_new_from_uri (SOUP_METHOD_GET, uri);
}

/* Follows a redirect of a request sent with SOUP_MESSAGE_NO_REDIRECT: the
 * next ranges are asked of the new address, through new_message(). */
static gboolean
follow_redirect (GTask *task)
{
  ReadUrlData *data = g_task_get_task_data (task);
  g_autoptr(GUri) next = mm_http_redirect_next (data->message, data->redirects);

  if (next == NULL)
    {
      g_task_return_new_error (task, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                               _("Could not read “%s”: the server redirected the request "
                                 "too often or to an invalid address."), data->display_name);
      return FALSE;
    }

  data->redirects++;
  g_free (data->url);
  data->url = g_uri_to_string (next);
  return TRUE;
}

static void
request_range (GTask *task)
{
  ReadUrlData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&data->message);
  g_clear_object (&data->stream);

  data->message = new_message (data);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                               _("“%s” is not a valid address."), data->display_name);
      g_object_unref (task);
      return;
    }

  /* Ranges are of the stored bytes: a compressed answer would not do. */
  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_set_range (headers, data->buffer->len, data->want - 1);
  soup_message_headers_replace (headers, "Accept-Encoding", "identity");
  soup_message_disable_feature (data->message, SOUP_TYPE_CONTENT_DECODER);

  g_debug ("Requesting bytes %u-%" G_GUINT64_FORMAT " of %s",
           data->buffer->len, data->want - 1, data->display_name);
  soup_session_send_async (data->session, data->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadUrlData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset start, end, total;
  guint status;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      return_io_error (task, error);
      return;
    }

  status = soup_message_get_status (data->message);
  headers = soup_message_get_response_headers (data->message);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED &&
      (soup_message_get_flags (data->message) & SOUP_MESSAGE_NO_REDIRECT) != 0)
    {
      if (follow_redirect (task))
        request_range (g_steal_pointer (&task));
      return;
    }

  /* A request that arrived answered: its next hop starts counting anew. */
  data->redirects = 0;

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (!soup_message_headers_get_content_range (headers, &start, &end, &total) ||
          start != (goffset) data->buffer->len || end < start)
        {
          g_task_return_new_error (task, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                                   _("The server answered “%s” with the wrong part of "
                                     "the file."), data->display_name);
          return;
        }
      if (total > 0)
        data->file_size = (guint64) total;
      data->range_end = (guint64) end + 1;
    }
  else if (status == SOUP_STATUS_OK)
    {
      /* The server ignores Range: read the file from its start, only as far
       * as the parser needs, and keep the stream for more. */
      g_byte_array_set_size (data->buffer, 0);
      data->whole_body = TRUE;
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        data->file_size = (guint64) soup_message_headers_get_content_length (headers);
    }
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    {
      /* Nothing is left past what we have. */
      data->at_end = TRUE;
      data->file_size = data->buffer->len;
      try_parse (g_steal_pointer (&task));
      return;
    }
  else if (data->funcs.status_error != NULL)
    {
      g_task_return_error (task, data->funcs.status_error (data->message, data->funcs_data));
      return;
    }
  else
    {
      g_task_return_new_error (task, MM_GGUF_ERROR, MM_GGUF_ERROR_IO,
                               _("Could not read “%s”: the server answered %u %s."),
                               data->display_name, status,
                               soup_message_get_reason_phrase (data->message));
      return;
    }

  read_more (g_steal_pointer (&task));
}

/* Reads the body until the buffer holds what was asked for or the body ends.
 * A 206 is read to the end of its range, but never past data->want: a
 * server answering with more than was asked does not get to fill memory. */
static void
read_more (GTask *task)
{
  ReadUrlData *data = g_task_get_task_data (task);
  guint64 limit = data->want;
  guint old_length = data->buffer->len;
  gsize size;

  if (!data->whole_body)
    limit = MIN (limit, data->range_end);

  if (old_length >= limit)
    {
      /* Dropping an unfinished body closes its connection; libsoup does
       * not read the rest of it. */
      if (!data->whole_body)
        g_clear_object (&data->stream);
      try_parse (task);
      return;
    }

  size = (gsize) MIN (limit - old_length, REMOTE_READ_SIZE);
  g_byte_array_set_size (data->buffer, old_length + size);
  /* Keep the length honest until the read says how much arrived; the
   * storage stays where it is until then. */
  data->buffer->len = old_length;
  g_input_stream_read_async (data->stream, data->buffer->data + old_length, size,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadUrlData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read < 0)
    {
      return_io_error (task, error);
      return;
    }

  if (n_read == 0)
    {
      /* The body ended before what was asked for: so did the file. */
      data->at_end = TRUE;
      data->file_size = data->buffer->len;
      g_clear_object (&data->stream);
      try_parse (g_steal_pointer (&task));
      return;
    }

  g_byte_array_set_size (data->buffer, data->buffer->len + (guint) n_read);
  report_progress (data, FALSE);
  read_more (g_steal_pointer (&task));
}

static void
try_parse (GTask *task)
{
  ReadUrlData *data = g_task_get_task_data (task);
  g_autoptr(MmGgufInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Source source = { 0, };
  guint64 needed = 0;
  guint64 next;

  source.data = data->buffer->data;
  source.length = data->buffer->len;
  if (data->at_end)
    source.file_size = data->file_size;

  info = parse (&source, &needed, &error);
  if (info != NULL)
    {
      report_progress (data, TRUE);
      _mm_gguf_info_set_file_size (info, data->file_size);
      g_clear_object (&data->stream);
      g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (!g_error_matches (error, MM_GGUF_ERROR, MM_GGUF_ERROR_TRUNCATED) || data->at_end ||
      (data->file_size != 0 && data->buffer->len >= data->file_size))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (needed > MM_GGUF_MAX_HEADER_REMOTE)
    {
      g_task_return_new_error (task, MM_GGUF_ERROR, MM_GGUF_ERROR_TOO_LARGE,
                               _("The GGUF header of “%s” is larger than %d MiB."),
                               data->display_name, MM_GGUF_MAX_HEADER_REMOTE / (1024 * 1024));
      g_object_unref (task);
      return;
    }

  /* Ask for what the parser needs, but at least one growing chunk. */
  next = MAX (needed, data->buffer->len + data->chunk);
  next = MIN (next, MM_GGUF_MAX_HEADER_REMOTE);
  if (data->file_size != 0)
    next = MIN (next, data->file_size);
  data->want = next;
  data->chunk = MIN (data->chunk * 2, MM_GGUF_MAX_HEADER_REMOTE);

  if (data->whole_body && data->stream != NULL)
    read_more (task);
  else
    request_range (task);
}

/**
 * mm_gguf_reader_read_url_async:
 * @session: the session to send the requests with
 * @url: where the GGUF file is (a resolved CDN address)
 * @cancellable: (nullable): cancels the read
 *
 * Reads the header of a remote GGUF file with HTTP Range requests: first
 * 64 KiB, then steps twice as large each time the header goes on, up to
 * %MM_GGUF_MAX_HEADER_REMOTE in total. If the server ignores Range, only as
 * much of its answer is read as the header needs. The file size, when the
 * server tells it, ends up in mm_gguf_info_get_file_size(). On cancel,
 * finishes with %G_IO_ERROR_CANCELLED.
 */
void
mm_gguf_reader_read_url_async (SoupSession         *session,
                               const char          *url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  static const MmGgufRemoteFuncs plain = { NULL, NULL, NULL };

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _mm_gguf_reader_read_remote_async (session, url, url, &plain, NULL, NULL, NULL, NULL, NULL,
                                     cancellable, callback, user_data);
}

/*
 * _mm_gguf_reader_read_remote_async:
 * @url: where to ask for the first range
 * @display_name: names the file in error messages (a signed CDN address
 *   must not end up in one)
 * @funcs: how requests are made and failures named, see #MmGgufRemoteFuncs
 * @funcs_data: (transfer full) (nullable): passed to @funcs
 * @progress: (nullable): called on the caller's main context as bytes
 *   arrive, see #MmGgufProgressFunc
 * @progress_data: (transfer full) (nullable): passed to @progress
 *
 * As mm_gguf_reader_read_url_async(), finished with
 * mm_gguf_reader_read_url_finish().
 */
void
_mm_gguf_reader_read_remote_async (SoupSession             *session,
                                   const char              *url,
                                   const char              *display_name,
                                   const MmGgufRemoteFuncs *funcs,
                                   gpointer                 funcs_data,
                                   GDestroyNotify           funcs_data_free,
                                   MmGgufProgressFunc       progress,
                                   gpointer                 progress_data,
                                   GDestroyNotify           progress_data_free,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ReadUrlData) data = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (funcs != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_gguf_reader_read_url_async);

  data = g_new0 (ReadUrlData, 1);
  data->session = g_object_ref (session);
  data->url = g_strdup (url);
  data->display_name = g_strdup (display_name);
  data->funcs = *funcs;
  data->funcs_data = funcs_data;
  data->funcs_data_free = funcs_data_free;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_free = progress_data_free;
  data->buffer = g_byte_array_new ();
  data->want = REMOTE_FIRST_CHUNK;
  data->chunk = REMOTE_FIRST_CHUNK * 2;
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) read_url_data_free);

  request_range (g_steal_pointer (&task));
}

/**
 * mm_gguf_reader_read_url_finish:
 *
 * Returns: (transfer full): the header, or %NULL with @error set in the
 *   %MM_GGUF_ERROR domain (or %G_IO_ERROR_CANCELLED)
 */
MmGgufInfo *
mm_gguf_reader_read_url_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_gguf_reader_read_url_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
