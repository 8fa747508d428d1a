/* mm-gguf-info.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the header of a GGUF file says: its metadata and tensor infos, and the
 * facts a person wants derived from them. An MmGgufInfo is immutable once the
 * reader (mm-gguf-reader.c) hands it out, so it may be passed between threads.
 *
 * Values are GVariants: u8 is `y`, i8 and i16 are `n`, u16 `q`, u32 `u`, i32
 * `i`, u64 `t`, i64 `x`, f32 and f64 `d`, bool `b`, string `s` (made valid
 * UTF-8). An array is summarized as `(utav)`: the element type, the element
 * count and the first %MM_GGUF_ARRAY_FIRST elements, each as a value of the
 * element type (so nested arrays are `(utav)` again). A tokenizer's 150,000
 * tokens thus cost a few bytes, not megabytes. The exception are values that
 * some files give per layer (`attention.head_count` and `_kv`, an array in
 * OpenELM's files): those arrays are kept whole, for the KV cache estimate.
 */
#define G_LOG_DOMAIN "mm-gguf-info"

#include "config.h"

#include "mm-gguf-info-private.h"

typedef struct {
  char *key;
  MmGgufType type;
  GVariant *value;
} Entry;

struct _MmGgufInfo
{
  GObject parent_instance;

  GArray *entries;        /* (element-type Entry) */
  GHashTable *by_key;     /* key → index + 1 of its first entry */
  GArray *tensors;        /* (element-type MmGgufTensorInfo) */
  guint64 tensor_count;
  guint64 parameter_count;
  guint64 tensor_data_offset;
  guint64 file_size;
  guint32 version;
  guint32 alignment;
};

G_DEFINE_FINAL_TYPE (MmGgufInfo, mm_gguf_info, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_VERSION,
  PROP_TENSOR_COUNT,
  PROP_ARCHITECTURE,
  PROP_NAME,
  PROP_PARAMETER_COUNT,
  PROP_CONTEXT_LENGTH,
  PROP_FILE_TYPE_NAME,
  N_PROPS,
} MmGgufInfoProperty;

static GParamSpec *properties[N_PROPS];

/* llama_ftype, from hub-protocol.md §8. Removed values stay NULL. */
static const char * const file_type_names[] = {
  [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0",
  [9] = "Q5_1", [10] = "Q2_K", [11] = "Q3_K_S", [12] = "Q3_K_M", [13] = "Q3_K_L",
  [14] = "Q4_K_S", [15] = "Q4_K_M", [16] = "Q5_K_S", [17] = "Q5_K_M", [18] = "Q6_K",
  [19] = "IQ2_XXS", [20] = "IQ2_XS", [21] = "Q2_K_S", [22] = "IQ3_XS", [23] = "IQ3_XXS",
  [24] = "IQ1_S", [25] = "IQ4_NL", [26] = "IQ3_S", [27] = "IQ3_M", [28] = "IQ2_S",
  [29] = "IQ2_M", [30] = "IQ4_XS", [31] = "IQ1_M", [32] = "BF16", [36] = "TQ1_0",
  [37] = "TQ2_0", [38] = "MXFP4_MOE", [39] = "NVFP4", [40] = "Q1_0", [41] = "Q2_0",
};

/* ggml_type. Removed values stay NULL. */
static const char * const ggml_type_names[] = {
  [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [6] = "Q5_0", [7] = "Q5_1",
  [8] = "Q8_0", [9] = "Q8_1", [10] = "Q2_K", [11] = "Q3_K", [12] = "Q4_K", [13] = "Q5_K",
  [14] = "Q6_K", [15] = "Q8_K", [16] = "IQ2_XXS", [17] = "IQ2_XS", [18] = "IQ3_XXS",
  [19] = "IQ1_S", [20] = "IQ4_NL", [21] = "IQ3_S", [22] = "IQ2_S", [23] = "IQ4_XS",
  [24] = "I8", [25] = "I16", [26] = "I32", [27] = "I64", [28] = "F64", [29] = "IQ1_M",
  [30] = "BF16", [34] = "TQ1_0", [35] = "TQ2_0", [39] = "MXFP4", [40] = "NVFP4",
  [41] = "Q1_0",
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->key, g_free);
  g_clear_pointer (&entry->value, g_variant_unref);
}

static void
tensor_info_clear (gpointer data)
{
  MmGgufTensorInfo *info = data;

  g_clear_pointer (&info->name, g_free);
}

static const Entry *
find_entry (MmGgufInfo *self,
            const char *key)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_key, key));

  if (index == 0)
    return NULL;

  return &g_array_index (self->entries, Entry, index - 1);
}

/* Reads "<architecture>.<suffix>" as an unsigned integer of any width. */
static guint64
get_arch_uint (MmGgufInfo *self,
               const char *suffix)
{
  const char *arch = mm_gguf_info_get_architecture (self);
  g_autofree char *key = NULL;
  guint64 value = 0;

  if (arch == NULL)
    return 0;

  key = g_strconcat (arch, ".", suffix, NULL);
  if (!mm_gguf_info_get_uint (self, key, &value))
    return 0;

  return value;
}

/* The elements of an integer array, when all of them were kept. */
static guint64 *
array_get_uints (GVariant *value,
                 guint64  *n_elements)
{
  g_autoptr(GVariant) first = NULL;
  g_autofree guint64 *values = NULL;
  guint32 element_type;
  guint64 count;

  g_variant_get (value, "(ut@av)", &element_type, &count, &first);
  if (g_variant_n_children (first) != count)
    return NULL;

  values = g_new0 (guint64, MAX (count, 1));
  for (guint64 i = 0; i < count; i++)
    {
      g_autoptr(GVariant) element = g_variant_get_child_value (first, i);
      g_autoptr(GVariant) inner = g_variant_get_variant (element);
      gint64 signed_value;

      switch ((MmGgufType) element_type)
        {
        case MM_GGUF_TYPE_UINT8: values[i] = g_variant_get_byte (inner); break;
        case MM_GGUF_TYPE_UINT16: values[i] = g_variant_get_uint16 (inner); break;
        case MM_GGUF_TYPE_UINT32: values[i] = g_variant_get_uint32 (inner); break;
        case MM_GGUF_TYPE_UINT64: values[i] = g_variant_get_uint64 (inner); break;
        case MM_GGUF_TYPE_INT8:
        case MM_GGUF_TYPE_INT16:
        case MM_GGUF_TYPE_INT32:
        case MM_GGUF_TYPE_INT64:
          signed_value = element_type == MM_GGUF_TYPE_INT64 ? g_variant_get_int64 (inner)
                       : element_type == MM_GGUF_TYPE_INT32 ? g_variant_get_int32 (inner)
                       : g_variant_get_int16 (inner);
          if (signed_value < 0)
            return NULL;
          values[i] = (guint64) signed_value;
          break;
        case MM_GGUF_TYPE_FLOAT32:
        case MM_GGUF_TYPE_BOOL:
        case MM_GGUF_TYPE_STRING:
        case MM_GGUF_TYPE_ARRAY:
        case MM_GGUF_TYPE_FLOAT64:
        default:
          return NULL;
        }
    }

  *n_elements = count;
  return g_steal_pointer (&values);
}

/* `<architecture>.<suffix>` for each layer: the one value repeated, or
 * the elements of an array as long as the block count. */
static guint64 *
dup_arch_per_layer (MmGgufInfo *self,
                    const char *suffix,
                    guint64    *n_layers)
{
  const char *arch = mm_gguf_info_get_architecture (self);
  g_autofree char *key = NULL;
  g_autofree guint64 *values = NULL;
  guint64 layers = get_arch_uint (self, "block_count");
  MmGgufType type;
  GVariant *value;
  guint64 count = 0;

  if (arch == NULL || layers == 0 || layers > _MM_GGUF_MAX_PER_LAYER)
    return NULL;

  key = g_strconcat (arch, ".", suffix, NULL);
  if (!mm_gguf_info_lookup (self, key, &type, &value))
    return NULL;

  if (type == MM_GGUF_TYPE_ARRAY)
    {
      values = array_get_uints (value, &count);
      /* llama.cpp refuses a per-layer array of another length. */
      if (values == NULL || count != layers)
        return NULL;
    }
  else
    {
      guint64 single;

      if (!mm_gguf_info_get_uint (self, key, &single))
        return NULL;
      values = g_new (guint64, layers);
      for (guint64 i = 0; i < layers; i++)
        values[i] = single;
    }

  *n_layers = layers;
  return g_steal_pointer (&values);
}

/* `<architecture>.<suffix>`, or its largest element when it is given per
 * layer; 0 when unknown. */
static guint64
get_arch_uint_or_max (MmGgufInfo *self,
                      const char *suffix)
{
  g_autofree guint64 *values = NULL;
  guint64 n_layers = 0;
  guint64 largest = 0;

  if (get_arch_uint (self, suffix) != 0)
    return get_arch_uint (self, suffix);

  values = dup_arch_per_layer (self, suffix, &n_layers);
  for (guint64 i = 0; values != NULL && i < n_layers; i++)
    largest = MAX (largest, values[i]);

  return largest;
}

static void
mm_gguf_info_finalize (GObject *object)
{
  MmGgufInfo *self = MM_GGUF_INFO (object);

  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->tensors, g_array_unref);

  G_OBJECT_CLASS (mm_gguf_info_parent_class)->finalize (object);
}

static void
mm_gguf_info_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MmGgufInfo *self = MM_GGUF_INFO (object);

  switch ((MmGgufInfoProperty) prop_id)
    {
    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case PROP_TENSOR_COUNT:
      g_value_set_uint64 (value, self->tensor_count);
      break;
    case PROP_ARCHITECTURE:
      g_value_set_string (value, mm_gguf_info_get_architecture (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, mm_gguf_info_get_name (self));
      break;
    case PROP_PARAMETER_COUNT:
      g_value_set_uint64 (value, self->parameter_count);
      break;
    case PROP_CONTEXT_LENGTH:
      g_value_set_uint64 (value, mm_gguf_info_get_context_length (self));
      break;
    case PROP_FILE_TYPE_NAME:
      g_value_set_string (value, mm_gguf_info_get_file_type_name (self));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_gguf_info_class_init (MmGgufInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_gguf_info_finalize;
  object_class->get_property = mm_gguf_info_get_property;

  /**
   * MmGgufInfo:version:
   *
   * The GGUF format version of the file: 2 or 3.
   */
  properties[PROP_VERSION] =
    g_param_spec_uint ("version", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:tensor-count:
   *
   * How many tensors the file holds.
   */
  properties[PROP_TENSOR_COUNT] =
    g_param_spec_uint64 ("tensor-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:architecture:
   *
   * `general.architecture`, such as "llama", or %NULL.
   */
  properties[PROP_ARCHITECTURE] =
    g_param_spec_string ("architecture", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:name:
   *
   * `general.name`, or %NULL.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:parameter-count:
   *
   * The number of weights in this file: the sum of the products of the
   * tensors' dimensions. A split part counts only its own tensors.
   */
  properties[PROP_PARAMETER_COUNT] =
    g_param_spec_uint64 ("parameter-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:context-length:
   *
   * `<architecture>.context_length`, or 0 when the file does not say.
   */
  properties[PROP_CONTEXT_LENGTH] =
    g_param_spec_uint64 ("context-length", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmGgufInfo:file-type-name:
   *
   * The name of `general.file_type`, such as "Q4_K_M", or %NULL.
   */
  properties[PROP_FILE_TYPE_NAME] =
    g_param_spec_string ("file-type-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_gguf_info_init (MmGgufInfo *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->tensors = g_array_new (FALSE, TRUE, sizeof (MmGgufTensorInfo));
  g_array_set_clear_func (self->tensors, tensor_info_clear);
  self->alignment = 32;
}

MmGgufInfo *
_mm_gguf_info_new (guint32 version,
                   guint64 tensor_count)
{
  MmGgufInfo *self = g_object_new (MM_TYPE_GGUF_INFO, NULL);

  self->version = version;
  self->tensor_count = tensor_count;

  return self;
}

/* Takes @key; sinks @value. The reader refuses a file that gives a key
 * twice (as llama.cpp does), so keys are unique. */
void
_mm_gguf_info_add_metadata (MmGgufInfo *self,
                            char       *key,
                            MmGgufType  type,
                            GVariant   *value)
{
  Entry entry = { key, type, g_variant_ref_sink (value) };

  g_return_if_fail (!g_hash_table_contains (self->by_key, key));

  g_array_append_val (self->entries, entry);
  g_hash_table_insert (self->by_key, key, GUINT_TO_POINTER (self->entries->len));
}

/* Takes @name. Tensors past %MM_GGUF_MAX_STORED_TENSORS are dropped. */
void
_mm_gguf_info_add_tensor (MmGgufInfo    *self,
                          char          *name,
                          guint32        n_dims,
                          const guint64 *dims,
                          guint32        ggml_type,
                          guint64        offset)
{
  MmGgufTensorInfo info = { name, n_dims, ggml_type, { 1, 1, 1, 1 }, offset };

  g_return_if_fail (n_dims <= G_N_ELEMENTS (info.dims));

  if (self->tensors->len >= MM_GGUF_MAX_STORED_TENSORS)
    {
      g_free (name);
      return;
    }

  for (guint i = 0; i < n_dims; i++)
    info.dims[i] = dims[i];
  g_array_append_val (self->tensors, info);
}

void
_mm_gguf_info_set_layout (MmGgufInfo *self,
                          guint32     alignment,
                          guint64     tensor_data_offset,
                          guint64     parameter_count)
{
  self->alignment = alignment;
  self->tensor_data_offset = tensor_data_offset;
  self->parameter_count = parameter_count;
}

void
_mm_gguf_info_set_file_size (MmGgufInfo *self,
                             guint64     file_size)
{
  self->file_size = file_size;
}

/**
 * mm_gguf_type_to_string:
 *
 * Returns: the name of a metadata value type, such as "uint32" or "string"
 */
const char *
mm_gguf_type_to_string (MmGgufType type)
{
  switch (type)
    {
    case MM_GGUF_TYPE_UINT8: return "uint8";
    case MM_GGUF_TYPE_INT8: return "int8";
    case MM_GGUF_TYPE_UINT16: return "uint16";
    case MM_GGUF_TYPE_INT16: return "int16";
    case MM_GGUF_TYPE_UINT32: return "uint32";
    case MM_GGUF_TYPE_INT32: return "int32";
    case MM_GGUF_TYPE_FLOAT32: return "float32";
    case MM_GGUF_TYPE_BOOL: return "bool";
    case MM_GGUF_TYPE_STRING: return "string";
    case MM_GGUF_TYPE_ARRAY: return "array";
    case MM_GGUF_TYPE_UINT64: return "uint64";
    case MM_GGUF_TYPE_INT64: return "int64";
    case MM_GGUF_TYPE_FLOAT64: return "float64";
    default: return "unknown";
    }
}

/**
 * _mm_gguf_file_type_to_string:
 * @file_type: a `general.file_type` (`llama_ftype`) value
 *
 * Returns: (nullable): its name, such as "Q4_K_M", or %NULL when unknown
 */
const char *
_mm_gguf_file_type_to_string (gint64 file_type)
{
  if (file_type == 1024)
    return "GUESSED";
  if (file_type < 0 || file_type >= (gint64) G_N_ELEMENTS (file_type_names))
    return NULL;

  return file_type_names[file_type];
}

/**
 * mm_gguf_ggml_type_to_string:
 * @ggml_type: a tensor's `ggml_type`
 *
 * Returns: (nullable): its name, such as "Q4_K", or %NULL when unknown
 */
const char *
mm_gguf_ggml_type_to_string (guint32 ggml_type)
{
  if (ggml_type >= G_N_ELEMENTS (ggml_type_names))
    return NULL;

  return ggml_type_names[ggml_type];
}

guint32
mm_gguf_info_get_version (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->version;
}

guint64
mm_gguf_info_get_tensor_count (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->tensor_count;
}

/**
 * mm_gguf_info_get_n_metadata:
 *
 * Returns: the number of metadata entries, in file order (each key once: the
 *   reader refuses a file that gives a key twice)
 */
guint
mm_gguf_info_get_n_metadata (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->entries->len;
}

/**
 * mm_gguf_info_get_metadata_key:
 *
 * Returns: (transfer none): the key of entry @index, as valid UTF-8
 */
const char *
mm_gguf_info_get_metadata_key (MmGgufInfo *self,
                               guint       index)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).key;
}

MmGgufType
mm_gguf_info_get_metadata_type (MmGgufInfo *self,
                                guint       index)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);
  g_return_val_if_fail (index < self->entries->len, 0);

  return g_array_index (self->entries, Entry, index).type;
}

/**
 * mm_gguf_info_get_metadata_value:
 *
 * Returns: (transfer none): the value of entry @index; see the file
 *   description for how types map to GVariant and how arrays are summarized
 */
GVariant *
mm_gguf_info_get_metadata_value (MmGgufInfo *self,
                                 guint       index)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, index).value;
}

/**
 * mm_gguf_info_lookup:
 * @type: (out) (optional): the value type
 * @value: (out) (optional) (transfer none): the value
 *
 * Finds the first entry called @key.
 *
 * Returns: whether the file has it
 */
gboolean
mm_gguf_info_lookup (MmGgufInfo  *self,
                     const char  *key,
                     MmGgufType  *type,
                     GVariant   **value)
{
  const Entry *entry;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  entry = find_entry (self, key);
  if (entry == NULL)
    return FALSE;

  if (type != NULL)
    *type = entry->type;
  if (value != NULL)
    *value = entry->value;

  return TRUE;
}

/**
 * _mm_gguf_info_get_string:
 *
 * Returns: (nullable): the value of @key when it is a string
 */
const char *
_mm_gguf_info_get_string (MmGgufInfo *self,
                          const char *key)
{
  const Entry *entry;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = find_entry (self, key);
  if (entry == NULL || entry->type != MM_GGUF_TYPE_STRING)
    return NULL;

  return g_variant_get_string (entry->value, NULL);
}

/**
 * mm_gguf_info_get_uint:
 * @value: (out) (optional): the value
 *
 * Reads @key as an unsigned number. Files disagree on the width of counts
 * (`context_length` is usually uint64, sometimes uint32), so any integer type
 * is accepted as long as the value is not negative.
 *
 * Returns: whether @key is a non-negative integer
 */
gboolean
mm_gguf_info_get_uint (MmGgufInfo *self,
                       const char *key,
                       guint64    *value)
{
  const Entry *entry;
  gint64 signed_value;
  guint64 result;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  entry = find_entry (self, key);
  if (entry == NULL)
    return FALSE;

  switch (entry->type)
    {
    case MM_GGUF_TYPE_UINT8:
      result = g_variant_get_byte (entry->value);
      break;
    case MM_GGUF_TYPE_UINT16:
      result = g_variant_get_uint16 (entry->value);
      break;
    case MM_GGUF_TYPE_UINT32:
      result = g_variant_get_uint32 (entry->value);
      break;
    case MM_GGUF_TYPE_UINT64:
      result = g_variant_get_uint64 (entry->value);
      break;
    case MM_GGUF_TYPE_INT8:
    case MM_GGUF_TYPE_INT16:
    case MM_GGUF_TYPE_INT32:
    case MM_GGUF_TYPE_INT64:
      if (entry->type == MM_GGUF_TYPE_INT32)
        signed_value = g_variant_get_int32 (entry->value);
      else if (entry->type == MM_GGUF_TYPE_INT64)
        signed_value = g_variant_get_int64 (entry->value);
      else
        signed_value = g_variant_get_int16 (entry->value);
      if (signed_value < 0)
        return FALSE;
      result = (guint64) signed_value;
      break;
    case MM_GGUF_TYPE_FLOAT32:
    case MM_GGUF_TYPE_BOOL:
    case MM_GGUF_TYPE_STRING:
    case MM_GGUF_TYPE_ARRAY:
    case MM_GGUF_TYPE_FLOAT64:
    default:
      return FALSE;
    }

  if (value != NULL)
    *value = result;

  return TRUE;
}

/**
 * mm_gguf_info_get_n_tensor_infos:
 *
 * Returns: the number of tensor infos kept: the tensor count, but at most
 *   %MM_GGUF_MAX_STORED_TENSORS
 */
guint
mm_gguf_info_get_n_tensor_infos (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->tensors->len;
}

/**
 * mm_gguf_info_get_tensor_info:
 *
 * Returns: (transfer none): tensor @index, in file order
 */
const MmGgufTensorInfo *
mm_gguf_info_get_tensor_info (MmGgufInfo *self,
                              guint       index)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);
  g_return_val_if_fail (index < self->tensors->len, NULL);

  return &g_array_index (self->tensors, MmGgufTensorInfo, index);
}

const char *
mm_gguf_info_get_architecture (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);

  return _mm_gguf_info_get_string (self, "general.architecture");
}

const char *
mm_gguf_info_get_name (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);

  return _mm_gguf_info_get_string (self, "general.name");
}

/**
 * mm_gguf_info_get_parameter_count:
 *
 * GGUF has no standard key for this, so it is the sum of the products of the
 * tensors' dimensions (as huggingface.js computes it). For a split part,
 * only that part's tensors count.
 *
 * Returns: the number of weights in this file
 */
guint64
mm_gguf_info_get_parameter_count (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->parameter_count;
}

/**
 * mm_gguf_info_get_context_length:
 *
 * Returns: `<architecture>.context_length`, or 0 when unknown
 */
guint64
mm_gguf_info_get_context_length (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return get_arch_uint (self, "context_length");
}

/**
 * mm_gguf_info_get_block_count:
 *
 * Returns: `<architecture>.block_count` (the number of layers), or 0
 */
guint64
mm_gguf_info_get_block_count (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return get_arch_uint (self, "block_count");
}

guint64
mm_gguf_info_get_embedding_length (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return get_arch_uint (self, "embedding_length");
}

/**
 * mm_gguf_info_get_head_count:
 *
 * Returns: `<architecture>.attention.head_count`; when the file gives it per
 *   layer, the largest (see mm_gguf_info_dup_head_counts()); 0 when unknown
 */
guint64
mm_gguf_info_get_head_count (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return get_arch_uint_or_max (self, "attention.head_count");
}

/**
 * mm_gguf_info_get_head_count_kv:
 *
 * Returns: `<architecture>.attention.head_count_kv`; when the file gives it
 *   per layer, the largest; 0 when unknown
 */
guint64
mm_gguf_info_get_head_count_kv (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return get_arch_uint_or_max (self, "attention.head_count_kv");
}

/**
 * mm_gguf_info_dup_head_counts:
 * @kv: %TRUE for the KV heads (`attention.head_count_kv`), %FALSE for the
 *   attention heads (`attention.head_count`)
 * @n_layers: (out): the number of layers
 *
 * The heads of every layer. Most files give one count for all layers; some
 * (OpenELM's) give an array with a count per layer. As llama.cpp does, an
 * array counts only when it is as long as `<architecture>.block_count`.
 *
 * Returns: (transfer full) (array length=n_layers) (nullable): a count per
 *   layer, or %NULL when the file does not say (or says it wrongly)
 */
guint64 *
mm_gguf_info_dup_head_counts (MmGgufInfo *self,
                              gboolean    kv,
                              guint64    *n_layers)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);
  g_return_val_if_fail (n_layers != NULL, NULL);

  *n_layers = 0;
  return dup_arch_per_layer (self, kv ? "attention.head_count_kv" : "attention.head_count",
                             n_layers);
}

/**
 * mm_gguf_info_get_heads_per_layer:
 *
 * Returns: whether the file gives `attention.head_count` or
 *   `attention.head_count_kv` per layer (as an array)
 */
gboolean
mm_gguf_info_get_heads_per_layer (MmGgufInfo *self)
{
  const char *suffixes[] = { "attention.head_count", "attention.head_count_kv" };
  const char *arch;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), FALSE);

  arch = mm_gguf_info_get_architecture (self);
  if (arch == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *key = g_strconcat (arch, ".", suffixes[i], NULL);
      MmGgufType type;

      if (mm_gguf_info_lookup (self, key, &type, NULL) && type == MM_GGUF_TYPE_ARRAY)
        return TRUE;
    }

  return FALSE;
}

/**
 * mm_gguf_info_get_file_type:
 *
 * Returns: `general.file_type`, or -1 when the file does not say
 */
gint64
mm_gguf_info_get_file_type (MmGgufInfo *self)
{
  guint64 value;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), -1);

  if (!mm_gguf_info_get_uint (self, "general.file_type", &value) || value > G_MAXINT64)
    return -1;

  return (gint64) value;
}

/**
 * mm_gguf_info_get_file_type_name:
 *
 * Returns: (nullable): the quantization named by `general.file_type`, such
 *   as "Q4_K_M", or %NULL when absent or unknown
 */
const char *
mm_gguf_info_get_file_type_name (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), NULL);

  return _mm_gguf_file_type_to_string (mm_gguf_info_get_file_type (self));
}

gboolean
mm_gguf_info_get_has_chat_template (MmGgufInfo *self)
{
  const char *chat_template;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), FALSE);

  chat_template = _mm_gguf_info_get_string (self, "tokenizer.chat_template");

  return chat_template != NULL && chat_template[0] != '\0';
}

/**
 * mm_gguf_info_get_is_split:
 *
 * Returns: whether the file says it is one part of a split model
 *   (`split.count` present)
 */
gboolean
mm_gguf_info_get_is_split (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), FALSE);

  return mm_gguf_info_get_uint (self, "split.count", NULL);
}

/**
 * mm_gguf_info_get_split_no:
 *
 * Returns: `split.no`: which part this is, counted from 0 (file names count
 *   from 1); 0 when not split
 */
guint
mm_gguf_info_get_split_no (MmGgufInfo *self)
{
  guint64 value = 0;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  if (!mm_gguf_info_get_uint (self, "split.no", &value))
    return 0;

  return (guint) MIN (value, G_MAXUINT);
}

/**
 * mm_gguf_info_get_split_count:
 *
 * Returns: `split.count`, or 0 when the file carries no split metadata
 */
guint
mm_gguf_info_get_split_count (MmGgufInfo *self)
{
  guint64 value = 0;

  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  if (!mm_gguf_info_get_uint (self, "split.count", &value))
    return 0;

  return (guint) MIN (value, G_MAXUINT);
}

/**
 * mm_gguf_info_get_alignment:
 *
 * Returns: `general.alignment`, or its default 32
 */
guint32
mm_gguf_info_get_alignment (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 32);

  return self->alignment;
}

/**
 * mm_gguf_info_get_tensor_data_offset:
 *
 * Returns: where the tensor data starts: the end of the header rounded up to
 *   the alignment
 */
guint64
mm_gguf_info_get_tensor_data_offset (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->tensor_data_offset;
}

/**
 * mm_gguf_info_get_file_size:
 *
 * Returns: the size of the whole file in bytes, or 0 when unknown (as for
 *   mm_gguf_reader_parse_bytes())
 */
guint64
mm_gguf_info_get_file_size (MmGgufInfo *self)
{
  g_return_val_if_fail (MM_IS_GGUF_INFO (self), 0);

  return self->file_size;
}
