/* mm-quant.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GGUF repository holds one file per quantization ("…-Q4_K_M.gguf"), big
 * quantizations split into numbered parts ("…-00001-of-00003.gguf", often in
 * a folder named after the quantization), vision projectors ("mmproj-…") and
 * sometimes an importance matrix. MmQuant is one thing a person can choose to
 * download: a single file or a whole split set, with its summed size, a rough
 * bits-per-weight figure and whether it fits in this machine's memory.
 *
 * The label is read from the file name, as huggingface.js does: every known
 * quantization name is searched for in the upper-cased path and the last one
 * wins. Unlike huggingface.js a match must stand alone (no letter or digit
 * right before or after it), so that "Qwen3-4B" or "bf16" inside a longer word
 * are not read as labels. File names come from the network: a file whose
 * path is unsafe is never part of a choice and is handed back as rejected.
 *
 * A choice grouped for a model (MmModelLoader gives it its Hub client, the
 * model and the load's GCancellable) can also read the GGUF header of its
 * first file, once and only when asked, like MmLibraryEntry: the read goes
 * in growing steps, reports how far it is, can be cancelled by the user
 * (it is then read again only when asked) and stops with the load. The
 * header stays with the choice, so a second look reads nothing.
 */
#define G_LOG_DOMAIN "mm-quant"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-enum-types.h"
#include "mm-quant-private.h"

struct _MmQuant
{
  GObject parent_instance;

  char *name;
  char *label;
  /* The path without ".gguf" and the shard suffix; shown to tell apart two
   * choices with the same name. */
  char *base;
  GPtrArray *files;
  guint64 size;
  guint64 memory_needed;
  double bits_per_weight;
  MmQuantKind kind;
  MmFit fit;
  guint split_count;
  gboolean is_complete;

  /* Where the files are: set by the loader, or never. */
  MmHubClient *client;
  MmModel *model;
  GCancellable *source_cancellable;   /* the load's: cancels any read */

  /* The GGUF header of the first file (part 1 of a split set). */
  MmQuantHeaderState header_state;
  MmGgufInfo *header;
  GError *header_error;
  guint64 header_bytes_read;
  guint64 header_bytes_total;
  GCancellable *header_cancellable;   /* the read under way */
  gulong header_cancel_id;            /* its handler on source_cancellable */
  gboolean header_cancelled;          /* by mm_quant_cancel_header() */
  GPtrArray *header_waiters;          /* GTask of mm_quant_load_header_async() */
};

G_DEFINE_FINAL_TYPE (MmQuant, mm_quant, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_NAME,
  PROP_LABEL,
  PROP_KIND,
  PROP_SIZE,
  PROP_BITS_PER_WEIGHT,
  PROP_FIT,
  PROP_IS_SPLIT,
  PROP_SPLIT_COUNT,
  PROP_IS_COMPLETE,
  PROP_MEMORY_NEEDED,
  PROP_MODEL,
  PROP_HEADER_STATE,
  PROP_HEADER,
  PROP_HEADER_BYTES_READ,
  PROP_HEADER_BYTES_TOTAL,
  N_PROPS,
} MmQuantProperty;

static GParamSpec *properties[N_PROPS];

#define GGUF_SUFFIX ".gguf"
#define GGUF_SUFFIX_LEN 5
/* "-00001-of-00003.gguf" */
#define SHARD_SUFFIX_LEN 20

#define MIB ((guint64) 1024 * 1024)
/* What llama.cpp and similar runtimes need besides the weights. */
#define RUNTIME_OVERHEAD (512 * MIB)

/* Quantization labels seen on the Hub: every llama_ftype name, the
 * non-standard Unsloth "_XL" and bartowski "_L" mixes, MXFP4 as gpt-oss
 * files are named, and the "fp16" of Qwen's and Microsoft's own repositories. */
static const char * const known_labels[] = {
  "IQ1_S", "IQ1_M",
  "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M",
  "IQ3_XXS", "IQ3_XS", "IQ3_S", "IQ3_M",
  "IQ4_XS", "IQ4_NL",
  "Q1_0", "Q2_0",
  "Q2_K", "Q2_K_S", "Q2_K_L", "Q2_K_XL",
  "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q3_K_XL",
  "Q4_0", "Q4_1", "Q4_K_S", "Q4_K_M", "Q4_K_L", "Q4_K_XL",
  "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8",
  "Q5_0", "Q5_1", "Q5_K_S", "Q5_K_M", "Q5_K_L", "Q5_K_XL",
  "Q6_K", "Q6_K_L", "Q6_K_XL",
  "Q8_0", "Q8_K_XL",
  "F16", "BF16", "F32", "FP16", "FP32",
  "TQ1_0", "TQ2_0",
  "MXFP4", "MXFP4_MOE", "NVFP4",
};

/* Approximate bits per weight of a whole file. Mixes keep embeddings and
 * output at a higher precision, so where llama.cpp gives a whole-file size
 * (Llama-3-8B, hub-protocol.md §8) that figure is used; otherwise the exact
 * figure of the tensor type. */
static const struct {
  const char *label;
  double bpw;
} bits_per_weight[] = {
  { "IQ1_S", 1.5625 },
  { "IQ1_M", 1.75 },
  { "IQ2_XXS", 2.0625 },
  { "IQ2_XS", 2.3125 },
  { "IQ2_S", 2.5625 },
  { "IQ2_M", 2.7 },
  { "IQ3_XXS", 3.0625 },
  { "IQ3_XS", 3.3 },
  { "IQ3_S", 3.4375 },
  { "IQ3_M", 3.66 },
  { "IQ4_XS", 4.25 },
  { "IQ4_NL", 4.5 },
  { "Q1_0", 1.125 },
  { "Q2_0", 2.25 },
  { "Q2_K", 3.2 },
  { "Q2_K_S", 2.625 },
  { "Q3_K_S", 3.65 },
  { "Q3_K_M", 4.0 },
  { "Q3_K_L", 4.3 },
  { "Q4_0", 4.6 },
  { "Q4_1", 5.0 },
  { "Q4_K_S", 4.7 },
  { "Q4_K_M", 4.9 },
  /* The ARM repacks of Q4_0 are the same size as Q4_0. */
  { "Q4_0_4_4", 4.6 },
  { "Q4_0_4_8", 4.6 },
  { "Q4_0_8_8", 4.6 },
  { "Q5_0", 5.5 },
  { "Q5_1", 6.0 },
  { "Q5_K_S", 5.6 },
  { "Q5_K_M", 5.7 },
  { "Q6_K", 6.6 },
  { "Q8_0", 8.5 },
  { "F16", 16.0 },
  { "BF16", 16.0 },
  { "F32", 32.0 },
  { "FP16", 16.0 },
  { "FP32", 32.0 },
  { "TQ1_0", 1.6875 },
  { "TQ2_0", 2.0625 },
  { "MXFP4", 4.25 },
  { "MXFP4_MOE", 4.25 },
  { "NVFP4", 4.5 },
};

/* The typical quality loss of each quantization type: how much the
 * perplexity rises against the 16-bit model, as llama.cpp publishes it in
 * the QUANT_OPTIONS table of tools/quantize/quantize.cpp (the list that
 * `llama-quantize --help` prints), measured on Llama-3-8B; the 16-bit types
 * on Mistral-7B. Lower is better. The i-quants and the ternary types have
 * no published figure, and neither have the "_L"/"_XL" mixes of others. */
static const struct {
  const char *label;
  double increase;
  const char *reference;
} perplexity_increase[] = {
  { "Q2_K", 3.5199, "Llama-3-8B" },
  { "Q2_K_S", 3.1836, "Llama-3-8B" },
  { "Q3_K_S", 1.6321, "Llama-3-8B" },
  { "Q3_K_M", 0.6569, "Llama-3-8B" },
  { "Q3_K_L", 0.5562, "Llama-3-8B" },
  { "Q4_0", 0.4685, "Llama-3-8B" },
  { "Q4_1", 0.4511, "Llama-3-8B" },
  { "Q4_K_S", 0.2689, "Llama-3-8B" },
  { "Q4_K_M", 0.1754, "Llama-3-8B" },
  { "Q5_0", 0.1316, "Llama-3-8B" },
  { "Q5_1", 0.1062, "Llama-3-8B" },
  { "Q5_K_S", 0.1049, "Llama-3-8B" },
  { "Q5_K_M", 0.0569, "Llama-3-8B" },
  { "Q6_K", 0.0217, "Llama-3-8B" },
  { "Q8_0", 0.0026, "Llama-3-8B" },
  { "F16", 0.0020, "Mistral-7B" },
  { "FP16", 0.0020, "Mistral-7B" },
  { "BF16", -0.0050, "Mistral-7B" },
};

static gboolean
is_label_char (char c)
{
  return g_ascii_isalnum (c);
}

static gboolean
has_gguf_suffix (const char *path,
                 gsize       len)
{
  return len >= GGUF_SUFFIX_LEN &&
         g_ascii_strcasecmp (path + len - GGUF_SUFFIX_LEN, GGUF_SUFFIX) == 0;
}

static const char *
path_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? slash + 1 : path;
}

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (haystack, -1);

  return strstr (lower, needle) != NULL;
}

/* Parses exactly five ASCII digits. */
static gboolean
parse_five_digits (const char *s,
                   guint      *value)
{
  guint v = 0;

  for (guint i = 0; i < 5; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }

  *value = v;
  return TRUE;
}

/* Returns the length of the longest known label at @s (upper-case) that is
 * not followed by a letter or a digit, or 0. */
static gsize
match_label_at (const char *s)
{
  gsize best = 0;

  for (guint i = 0; i < G_N_ELEMENTS (known_labels); i++)
    {
      gsize len = strlen (known_labels[i]);

      if (len > best &&
          strncmp (s, known_labels[i], len) == 0 &&
          !is_label_char (s[len]))
        best = len;
    }

  return best;
}

/* Strips ".gguf" and, for a split part, the shard suffix. */
static char *
gguf_path_base (const char *path)
{
  char *prefix = NULL;

  if (mm_gguf_name_parse_split (path, &prefix, NULL, NULL))
    return prefix;

  return g_strndup (path, strlen (path) - GGUF_SUFFIX_LEN);
}

static double
lookup_bits_per_weight (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (bits_per_weight); i++)
    if (g_str_equal (label, bits_per_weight[i].label))
      return bits_per_weight[i].bpw;

  return 0.0;
}

static void
mm_quant_dispose (GObject *object)
{
  MmQuant *self = MM_QUANT (object);

  /* No read is under way: it holds a reference. */
  g_clear_object (&self->client);
  g_clear_object (&self->model);
  g_clear_object (&self->source_cancellable);
  g_clear_object (&self->header);

  G_OBJECT_CLASS (mm_quant_parent_class)->dispose (object);
}

static void
mm_quant_finalize (GObject *object)
{
  MmQuant *self = MM_QUANT (object);

  g_clear_error (&self->header_error);
  g_clear_pointer (&self->header_waiters, g_ptr_array_unref);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->base, g_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_quant_parent_class)->finalize (object);
}

static void
mm_quant_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MmQuant *self = MM_QUANT (object);

  switch ((MmQuantProperty) prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_BITS_PER_WEIGHT:
      g_value_set_double (value, self->bits_per_weight);
      break;
    case PROP_FIT:
      g_value_set_int (value, self->fit);
      break;
    case PROP_IS_SPLIT:
      g_value_set_boolean (value, mm_quant_get_is_split (self));
      break;
    case PROP_SPLIT_COUNT:
      g_value_set_uint (value, self->split_count);
      break;
    case PROP_IS_COMPLETE:
      g_value_set_boolean (value, self->is_complete);
      break;
    case PROP_MEMORY_NEEDED:
      g_value_set_uint64 (value, self->memory_needed);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_HEADER_STATE:
      g_value_set_enum (value, self->header_state);
      break;
    case PROP_HEADER:
      g_value_set_object (value, self->header);
      break;
    case PROP_HEADER_BYTES_READ:
      g_value_set_uint64 (value, self->header_bytes_read);
      break;
    case PROP_HEADER_BYTES_TOTAL:
      g_value_set_uint64 (value, self->header_bytes_total);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_quant_class_init (MmQuantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_quant_dispose;
  object_class->finalize = mm_quant_finalize;
  object_class->get_property = mm_quant_get_property;

  /**
   * MmQuant:name:
   *
   * The quantization label in upper case ("Q4_K_M", "UD-Q4_K_XL"), or the
   * file's stem when the name carries no known label.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MmQuant:label:
   *
   * What a person reads: the name, "Projector F16" for a projector, and the
   * file name added when two choices share a name.
   */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:kind: an #MmQuantKind: model weights or a projector */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      MM_QUANT_KIND_MODEL, MM_QUANT_KIND_PROJECTOR, MM_QUANT_KIND_MODEL,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:size: the summed size of the files in bytes */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:bits-per-weight: approximate bits per weight, 0 when unknown */
  properties[PROP_BITS_PER_WEIGHT] =
    g_param_spec_double ("bits-per-weight", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:fit: an #MmFit: whether it fits in this machine's memory */
  properties[PROP_FIT] =
    g_param_spec_int ("fit", NULL, NULL,
                      MM_FIT_UNKNOWN, MM_FIT_TOO_LARGE, MM_FIT_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:is-split: whether the choice is a set of several numbered parts */
  properties[PROP_IS_SPLIT] =
    g_param_spec_boolean ("is-split", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:split-count: how many parts the set has (1 for a single file) */
  properties[PROP_SPLIT_COUNT] =
    g_param_spec_uint ("split-count", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:is-complete: %FALSE when parts of a split set are missing */
  properties[PROP_IS_COMPLETE] =
    g_param_spec_boolean ("is-complete", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:memory-needed: estimated memory to run it in bytes, 0 when unknown */
  properties[PROP_MEMORY_NEEDED] =
    g_param_spec_uint64 ("memory-needed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:model: (nullable): the model the choice was grouped for, once
   * it has a source to read its header from */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, MM_TYPE_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmQuant:header-state: where the choice is with its GGUF header */
  properties[PROP_HEADER_STATE] =
    g_param_spec_enum ("header-state", NULL, NULL, MM_TYPE_QUANT_HEADER_STATE,
                       MM_QUANT_HEADER_STATE_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmQuant:header: (nullable): the GGUF header of the first file, once read */
  properties[PROP_HEADER] =
    g_param_spec_object ("header", NULL, NULL, MM_TYPE_GGUF_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmQuant:header-bytes-read: how much of the first file the last read took */
  properties[PROP_HEADER_BYTES_READ] =
    g_param_spec_uint64 ("header-bytes-read", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** MmQuant:header-bytes-total: the most the header can take, 0 while not known */
  properties[PROP_HEADER_BYTES_TOTAL] =
    g_param_spec_uint64 ("header-bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_quant_init (MmQuant *self)
{
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->header_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->split_count = 1;
  self->is_complete = TRUE;
}

/* Grouping. */

static guint
file_part (MmRepoFile *file)
{
  guint part = 0;

  if (!mm_gguf_name_parse_split (mm_repo_file_get_path (file), NULL, &part, NULL))
    return 0;
  return part;
}

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  MmRepoFile *fa = *(MmRepoFile * const *) a;
  MmRepoFile *fb = *(MmRepoFile * const *) b;
  guint pa = file_part (fa);
  guint pb = file_part (fb);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return strcmp (mm_repo_file_get_path (fa), mm_repo_file_get_path (fb));
}

static int
compare_quants (gconstpointer a,
                gconstpointer b)
{
  MmQuant *qa = *(MmQuant * const *) a;
  MmQuant *qb = *(MmQuant * const *) b;
  int ret;

  if (qa->size != qb->size)
    return qa->size < qb->size ? -1 : 1;
  if ((ret = strcmp (qa->name, qb->name)) != 0)
    return ret;
  if ((ret = strcmp (qa->label, qb->label)) != 0)
    return ret;
  return strcmp (qa->base, qb->base);
}

/* Fills in everything that follows from the files. */
static void
mm_quant_complete (MmQuant  *self,
                   guint64   total_memory)
{
  MmRepoFile *first;
  g_autofree char *quant = NULL;

  g_ptr_array_sort (self->files, compare_parts);
  first = g_ptr_array_index (self->files, 0);

  self->size = 0;
  for (guint i = 0; i < self->files->len; i++)
    {
      guint64 size = mm_repo_file_get_size (g_ptr_array_index (self->files, i));

      /* Saturate rather than wrap on absurd sizes from the network. */
      if (!g_uint64_checked_add (&self->size, self->size, size))
        self->size = G_MAXUINT64;
    }

  if (self->split_count > 1)
    {
      guint distinct = 0;
      guint last = 0;

      /* Parts are sorted, so duplicates (the same part in two spellings) are
       * next to each other. */
      for (guint i = 0; i < self->files->len; i++)
        {
          guint part = file_part (g_ptr_array_index (self->files, i));

          if (part != last)
            distinct++;
          last = part;
        }
      self->is_complete = distinct == self->split_count;
    }

  self->base = gguf_path_base (mm_repo_file_get_path (first));

  quant = mm_gguf_name_parse_quant (mm_repo_file_get_path (first));
  if (quant != NULL)
    {
      self->name = g_steal_pointer (&quant);
    }
  else
    {
      const char *stem = path_basename (self->base);

      self->name = g_strdup (*stem ? stem : mm_repo_file_get_basename (first));
    }

  self->bits_per_weight = _mm_gguf_quant_bits_per_weight (self->name);

  if (self->kind == MM_QUANT_KIND_PROJECTOR)
    {
      /* Translators: a vision projector file used next to a model; %s is its
       * quantization, such as "F16". */
      self->label = g_strdup_printf (_("Projector %s"), self->name);
      /* A projector is loaded next to a model, never on its own, so its
       * fit alone says nothing. */
      self->fit = MM_FIT_UNKNOWN;
      self->memory_needed = 0;
    }
  else
    {
      self->label = g_strdup (self->name);
      self->fit = mm_quant_estimate_fit (self->size, total_memory, &self->memory_needed);
    }
}

/* When two choices share a label (the same quantization under two prefixes
 * or folders), adds the file name to each so that a person can tell them
 * apart. */
static void
disambiguate_labels (GPtrArray *quants)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) new_counts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *q = g_ptr_array_index (quants, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, q->label));

      g_hash_table_insert (counts, q->label, GUINT_TO_POINTER (n + 1));
    }

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *q = g_ptr_array_index (quants, i);
      char *label = NULL;

      if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, q->label)) > 1)
        label = g_strdup_printf ("%s (%s)", q->label, q->base);
      g_ptr_array_add (labels, label);
      if (label != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (new_counts, label));

          g_hash_table_insert (new_counts, label, GUINT_TO_POINTER (n + 1));
        }
    }

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *q = g_ptr_array_index (quants, i);
      const char *label = g_ptr_array_index (labels, i);
      char *new_label;

      if (label == NULL)
        continue;

      /* Split sets with one prefix and different part counts still look
       * alike: add the first file's full path, which is unique. */
      if (GPOINTER_TO_UINT (g_hash_table_lookup (new_counts, label)) > 1)
        {
          MmRepoFile *first = g_ptr_array_index (q->files, 0);

          new_label = g_strdup_printf ("%s (%s)", q->label, mm_repo_file_get_path (first));
        }
      else
        {
          new_label = g_strdup (label);
        }

      g_free (q->label);
      q->label = new_label;
    }
}

static MmQuant *
mm_quant_new (MmQuantKind kind)
{
  MmQuant *self = g_object_new (MM_TYPE_QUANT, NULL);

  self->kind = kind;
  return self;
}

/* Public API. */

const char *
mm_quant_get_name (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->name;
}

const char *
mm_quant_get_label (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->label;
}

MmQuantKind
mm_quant_get_kind (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), MM_QUANT_KIND_MODEL);
  return self->kind;
}

/**
 * mm_quant_get_files:
 * @self: a #MmQuant
 *
 * Returns: (transfer none) (element-type MmRepoFile): the files to download;
 *   the parts of a split set in part order
 */
GPtrArray *
mm_quant_get_files (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->files;
}

guint64
mm_quant_get_size (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 0);
  return self->size;
}

double
mm_quant_get_bits_per_weight (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 0.0);
  return self->bits_per_weight;
}

MmFit
mm_quant_get_fit (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), MM_FIT_UNKNOWN);
  return self->fit;
}

gboolean
mm_quant_get_is_split (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), FALSE);
  return self->split_count > 1;
}

guint
mm_quant_get_split_count (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 1);
  return self->split_count;
}

gboolean
mm_quant_get_is_complete (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), FALSE);
  return self->is_complete;
}

guint64
mm_quant_get_memory_needed (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 0);
  return self->memory_needed;
}

/**
 * mm_quant_get_model:
 *
 * Returns: (transfer none) (nullable): the model the choice was grouped
 *   for by a #MmModelLoader; %NULL for a choice grouped on its own
 */
MmModel *
mm_quant_get_model (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->model;
}

/* The GGUF header. */

/**
 * mm_quant_get_header_path:
 *
 * Returns: (nullable): the file whose header describes the choice: the
 *   only file, or part 1 of a split set; %NULL when there is none
 */
const char *
mm_quant_get_header_path (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);

  for (guint i = 0; i < self->files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (self->files, i);
      const char *path = mm_repo_file_get_path (file);

      if (mm_repo_file_get_problem (file) != NULL || !has_gguf_suffix (path, strlen (path)))
        continue;
      if (!mm_quant_get_is_split (self) || file_part (file) == 1)
        return path;
    }

  return NULL;
}

MmQuantHeaderState
mm_quant_get_header_state (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), MM_QUANT_HEADER_STATE_NONE);
  return self->header_state;
}

/**
 * mm_quant_get_header:
 *
 * Returns: (transfer none) (nullable): the header, once read
 */
MmGgufInfo *
mm_quant_get_header (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->header;
}

/**
 * mm_quant_get_header_error:
 *
 * Returns: (nullable): why the header could not be read, in the
 *   %MM_HUB_ERROR or %MM_GGUF_ERROR domain
 */
const GError *
mm_quant_get_header_error (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), NULL);
  return self->header_error;
}

guint64
mm_quant_get_header_bytes_read (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 0);
  return self->header_bytes_read;
}

guint64
mm_quant_get_header_bytes_total (MmQuant *self)
{
  g_return_val_if_fail (MM_IS_QUANT (self), 0);
  return self->header_bytes_total;
}

/**
 * mm_quant_get_header_shape:
 * @shape: (out): the model's shape
 *
 * The model's exact shape (layers, heads) from this choice's header; what
 * the header leaves out (the parameter count of a split set, a context
 * length) is the Hub's figure for the model.
 *
 * Returns: whether the header is known; @shape is zeroed when not
 */
gboolean
mm_quant_get_header_shape (MmQuant      *self,
                           MmModelShape *shape)
{
  g_return_val_if_fail (MM_IS_QUANT (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  *shape = (MmModelShape) { 0, };
  if (self->header == NULL)
    return FALSE;

  mm_model_shape_init_from_gguf (shape, self->header);
  if (self->model != NULL)
    {
      if (mm_gguf_info_get_is_split (self->header) || shape->parameters == 0)
        shape->parameters = mm_model_get_parameters (self->model);
      if (shape->context_length == 0)
        shape->context_length = mm_model_get_context_length (self->model);
    }
  return TRUE;
}

static void
set_header_state (MmQuant            *self,
                  MmQuantHeaderState  state)
{
  if (self->header_state == state)
    return;
  self->header_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_STATE]);
}

static void
set_header_progress (MmQuant *self,
                     guint64  bytes_read,
                     guint64  bytes_total)
{
  if (self->header_bytes_total != bytes_total)
    {
      self->header_bytes_total = bytes_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_BYTES_TOTAL]);
    }
  if (self->header_bytes_read != bytes_read)
    {
      self->header_bytes_read = bytes_read;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_BYTES_READ]);
    }
}

/* Every waiter gets what the read gave; one whose own cancellable went
 * off gets that instead. */
static void
return_to_waiters (MmQuant *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->header_waiters);

  self->header_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (self->header != NULL)
        g_task_return_pointer (task, g_object_ref (self->header), g_object_unref);
      else if (self->header_error != NULL)
        g_task_return_error (task, g_error_copy (self->header_error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The header read was cancelled");
    }
}

static void
header_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MmQuant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;
  MmQuantHeaderState state;

  info = mm_hub_client_read_gguf_finish (MM_HUB_CLIENT (source), result, &error);

  /* Once the load's is cancelled its handler has run (or runs now: a
   * disconnect would wait for itself); it only holds a reference to this
   * read's cancellable. */
  if (self->source_cancellable != NULL && !g_cancellable_is_cancelled (self->source_cancellable))
    g_cancellable_disconnect (self->source_cancellable, self->header_cancel_id);
  self->header_cancel_id = 0;
  g_clear_object (&self->header_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (info != NULL)
    {
      self->header = g_steal_pointer (&info);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER]);
      state = MM_QUANT_HEADER_STATE_LOADED;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Stopped by the user: read again only when asked. Stopped because the
     * model was left: as if never read. */
    state = self->header_cancelled ? MM_QUANT_HEADER_STATE_CANCELLED : MM_QUANT_HEADER_STATE_NONE;
  else
    {
      self->header_error = g_steal_pointer (&error);
      state = MM_QUANT_HEADER_STATE_FAILED;
    }
  self->header_cancelled = FALSE;
  set_header_state (self, state);
  g_object_thaw_notify (G_OBJECT (self));

  return_to_waiters (self);
}

static void
header_progress_cb (guint64  bytes_read,
                    guint64  bytes_total,
                    gpointer user_data)
{
  MmQuant *self = user_data;

  if (self->header_state == MM_QUANT_HEADER_STATE_READING)
    set_header_progress (self, bytes_read, bytes_total);
}

static void
cancel_read_cb (GCancellable *source,
                GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Starts a read unless one is under way or the header is known. Returns
 * whether the header is known or on its way. */
static gboolean
start_reading (MmQuant *self)
{
  const char *path = mm_quant_get_header_path (self);

  if (self->header_state == MM_QUANT_HEADER_STATE_READING ||
      self->header_state == MM_QUANT_HEADER_STATE_LOADED)
    return TRUE;
  if (self->client == NULL || self->model == NULL || path == NULL ||
      g_cancellable_is_cancelled (self->source_cancellable))
    return FALSE;

  g_clear_error (&self->header_error);
  self->header_cancelled = FALSE;
  set_header_progress (self, 0, 0);
  self->header_cancellable = g_cancellable_new ();
  if (self->source_cancellable != NULL)
    self->header_cancel_id = g_cancellable_connect (self->source_cancellable,
                                                    G_CALLBACK (cancel_read_cb),
                                                    g_object_ref (self->header_cancellable),
                                                    g_object_unref);
  set_header_state (self, MM_QUANT_HEADER_STATE_READING);
  mm_hub_client_read_gguf_with_progress_async (self->client,
                                               mm_model_get_id (self->model),
                                               mm_model_get_sha (self->model),
                                               path,
                                               header_progress_cb,
                                               g_object_ref (self),
                                               g_object_unref,
                                               self->header_cancellable,
                                               header_read_cb,
                                               g_object_ref (self));
  return TRUE;
}

/**
 * mm_quant_read_header:
 *
 * Starts reading the GGUF header of the first file unless it is known or
 * being read; a failed or cancelled read is tried again. Follow
 * #MmQuant:header-state. A choice without a source (not grouped by a
 * #MmModelLoader, or of a model that was left) stays as it is.
 */
void
mm_quant_read_header (MmQuant *self)
{
  g_return_if_fail (MM_IS_QUANT (self));

  start_reading (self);
}

/**
 * mm_quant_cancel_header:
 *
 * Stops the read under way; the state becomes
 * %MM_QUANT_HEADER_STATE_CANCELLED.
 */
void
mm_quant_cancel_header (MmQuant *self)
{
  g_return_if_fail (MM_IS_QUANT (self));

  if (self->header_state != MM_QUANT_HEADER_STATE_READING || self->header_cancellable == NULL)
    return;
  self->header_cancelled = TRUE;
  g_cancellable_cancel (self->header_cancellable);
}

/**
 * mm_quant_load_header_async:
 * @cancellable: (nullable): stops waiting (the read goes on for others)
 *
 * Reads the header as mm_quant_read_header() does, once: later calls get
 * the same header.
 */
void
mm_quant_load_header_async (MmQuant             *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_QUANT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_quant_load_header_async);

  if (self->header_state == MM_QUANT_HEADER_STATE_LOADED)
    {
      g_task_return_pointer (task, g_object_ref (self->header), g_object_unref);
      return;
    }
  if (!start_reading (self))
    {
      if (g_cancellable_is_cancelled (self->source_cancellable))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The model was left");
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 "“%s” has no GGUF file to read from the Hub",
                                 self->label);
      return;
    }
  g_ptr_array_add (self->header_waiters, g_steal_pointer (&task));
}

/**
 * mm_quant_load_header_finish:
 *
 * Returns: (transfer full): the header, or %NULL with @error set
 */
MmGgufInfo *
mm_quant_load_header_finish (MmQuant       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_quant_load_header_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * _mm_quant_set_source:
 * @client: reads the header
 * @model: the model the choice belongs to, at the commit to read
 * @cancellable: (nullable): the load's: cancelling it stops any read
 *
 * Where the choice's files are, so that it can read its header when asked.
 */
void
_mm_quant_set_source (MmQuant      *self,
                      MmHubClient  *client,
                      MmModel      *model,
                      GCancellable *cancellable)
{
  g_return_if_fail (MM_IS_QUANT (self));
  g_return_if_fail (MM_IS_HUB_CLIENT (client));
  g_return_if_fail (MM_IS_MODEL (model));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->header_state != MM_QUANT_HEADER_STATE_READING);

  g_set_object (&self->client, client);
  g_set_object (&self->source_cancellable, cancellable);
  if (g_set_object (&self->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * _mm_quant_set_header:
 *
 * For tests: the header as if it had been read.
 */
void
_mm_quant_set_header (MmQuant    *self,
                      MmGgufInfo *info)
{
  g_return_if_fail (MM_IS_QUANT (self));
  g_return_if_fail (MM_IS_GGUF_INFO (info));
  g_return_if_fail (self->header_state != MM_QUANT_HEADER_STATE_READING);

  g_clear_error (&self->header_error);
  if (g_set_object (&self->header, info))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER]);
  set_header_state (self, MM_QUANT_HEADER_STATE_LOADED);
}

/**
 * mm_quant_group_files:
 * @files: (element-type MmRepoFile): the repository's files; files that are
 *   not GGUF are ignored
 * @total_memory: this machine's memory in bytes, or 0 when unknown
 * @projectors: (out) (optional) (transfer full) (element-type MmQuant): the
 *   projector files, one #MmQuant of kind %MM_QUANT_KIND_PROJECTOR each
 * @rejected: (out) (optional) (transfer full) (element-type MmRepoFile): the
 *   files whose names are unsafe; mm_repo_file_get_problem() says why
 *
 * Groups a repository's GGUF files into the choices a person can download:
 * one per single file and one per split set (by prefix and part count).
 * Importance matrices are left out. Each list is sorted by size, then name.
 *
 * Returns: (transfer full) (element-type MmQuant): the model choices
 */
GPtrArray *
mm_quant_group_files (GPtrArray  *files,
                      guint64     total_memory,
                      GPtrArray **projectors,
                      GPtrArray **rejected)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) projs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (files != NULL, NULL);

  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      const char *path;
      const char *basename;
      g_autofree char *prefix = NULL;
      g_autofree char *key = NULL;
      guint count = 0;
      MmQuant *quant;

      g_return_val_if_fail (MM_IS_REPO_FILE (file), NULL);

      if (mm_repo_file_get_problem (file) != NULL)
        {
          g_ptr_array_add (bad, g_object_ref (file));
          continue;
        }

      path = mm_repo_file_get_path (file);
      basename = mm_repo_file_get_basename (file);

      if (!has_gguf_suffix (path, strlen (path)))
        continue;

      if (mm_gguf_name_is_projector (path))
        {
          quant = mm_quant_new (MM_QUANT_KIND_PROJECTOR);
          g_ptr_array_add (quant->files, g_object_ref (file));
          g_ptr_array_add (projs, quant);
          continue;
        }

      if (contains_ascii_nocase (basename, "imatrix"))
        continue;

      /* Parts are grouped by prefix and count, as llama.cpp does; the "s"
       * and "f" tags keep the two kinds of keys apart. */
      if (mm_gguf_name_parse_split (path, &prefix, NULL, &count))
        key = g_strdup_printf ("s%u:%s", count, prefix);
      else
        key = g_strconcat ("f:", path, NULL);

      quant = g_hash_table_lookup (groups, key);
      if (quant == NULL)
        {
          quant = mm_quant_new (MM_QUANT_KIND_MODEL);
          quant->split_count = MAX (count, 1);
          g_hash_table_insert (groups, g_steal_pointer (&key), quant);
          g_ptr_array_add (models, quant);
        }
      g_ptr_array_add (quant->files, g_object_ref (file));
    }

  for (guint i = 0; i < models->len; i++)
    mm_quant_complete (g_ptr_array_index (models, i), total_memory);
  for (guint i = 0; i < projs->len; i++)
    mm_quant_complete (g_ptr_array_index (projs, i), total_memory);

  disambiguate_labels (models);
  disambiguate_labels (projs);

  g_ptr_array_sort (models, compare_quants);
  g_ptr_array_sort (projs, compare_quants);

  if (projectors != NULL)
    *projectors = g_steal_pointer (&projs);
  if (rejected != NULL)
    *rejected = g_steal_pointer (&bad);

  return g_steal_pointer (&models);
}

/**
 * mm_quant_estimate_fit:
 * @size: the model's size on disk in bytes
 * @total_memory: this machine's memory in bytes, or 0 when unknown
 * @memory_needed: (out) (optional): the estimated memory needed in bytes, or
 *   0 when @size is 0
 *
 * Estimates whether a model of @size bytes can run on this machine.
 *
 * The rule: a runtime maps all the weights, and needs about 10% more for
 * its compute buffers plus about 512 MiB for itself, so
 * needed = size + size / 10 + 512 MiB. The rest of the system needs memory
 * too, so a model that needs at most 70% of the memory fits, up to 90% it is
 * tight, and above that it is too large. The context's KV cache is not
 * counted yet; it grows with the context length and will refine this.
 *
 * Returns: the estimate, %MM_FIT_UNKNOWN when @size or @total_memory is 0
 */
MmFit
mm_quant_estimate_fit (guint64  size,
                       guint64  total_memory,
                       guint64 *memory_needed)
{
  guint64 needed = 0;
  guint64 fits_limit;
  guint64 tight_limit;

  if (size > 0)
    {
      if (!g_uint64_checked_add (&needed, size, size / 10) ||
          !g_uint64_checked_add (&needed, needed, RUNTIME_OVERHEAD))
        needed = G_MAXUINT64;
    }

  if (memory_needed != NULL)
    *memory_needed = needed;

  if (size == 0 || total_memory == 0)
    return MM_FIT_UNKNOWN;

  /* floor (total × 7 / 10) and floor (total × 9 / 10), without overflow. */
  fits_limit = total_memory / 10 * 7 + total_memory % 10 * 7 / 10;
  tight_limit = total_memory / 10 * 9 + total_memory % 10 * 9 / 10;

  if (needed <= fits_limit)
    return MM_FIT_FITS;
  if (needed <= tight_limit)
    return MM_FIT_TIGHT;
  return MM_FIT_TOO_LARGE;
}

/* Above Q8_0 (F16, BF16, F32) the quality gain is too small to measure in
 * llama.cpp's perplexity tables, for twice the memory. */
#define RECOMMEND_MAX_BPW 9.0
/* A whole-GPU choice wins over a better one partly on the GPU only from
 * 4-bit K-quants up: below that the loss is plain in llama.cpp's tables. */
#define RECOMMEND_GPU_MIN_BPW 4.5

/**
 * mm_quant_recommend:
 * @quants: (element-type MmQuant): a repository's choices
 * @shape: (nullable): the model's shape (layers, heads), for the KV cache
 * @context: the tokens of context to count
 * @machine: the computer's memory
 *
 * The choice for this computer: the highest-quality (largest) complete
 * model choice that runs with headroom (see #MmMemoryEstimate:headroom).
 * Choices above 9 bits per weight count only when nothing else fits; and
 * when a choice of at least 4.5 bits per weight runs wholly on the GPU,
 * the best of those wins over larger ones that would run partly on the
 * processor, many times slower.
 *
 * Returns: the index in @quants, or -1 when nothing fits with headroom
 */
gint
mm_quant_recommend (GPtrArray             *quants,
                    const MmModelShape    *shape,
                    guint64                context,
                    const MmMachineMemory *machine)
{
  gint best = -1;
  gint best_precise = -1;
  gint best_gpu = -1;

  g_return_val_if_fail (quants != NULL, -1);
  g_return_val_if_fail (machine != NULL, -1);

  for (guint i = 0; i < quants->len; i++)
    {
      MmQuant *quant = g_ptr_array_index (quants, i);
      g_autoptr(MmMemoryEstimate) estimate = NULL;
      double bpw;

      g_return_val_if_fail (MM_IS_QUANT (quant), -1);

      if (quant->kind != MM_QUANT_KIND_MODEL || !quant->is_complete || quant->size == 0)
        continue;

      estimate = mm_memory_estimate_new_for_machine (quant->size, shape, context, machine);
      if (!estimate->headroom ||
          (estimate->placement != MM_PLACEMENT_GPU &&
           estimate->placement != MM_PLACEMENT_PARTIAL &&
           estimate->placement != MM_PLACEMENT_CPU))
        continue;

      bpw = quant->bits_per_weight;
#define LARGER(index) ((index) < 0 || \
                       quant->size > ((MmQuant *) g_ptr_array_index (quants, (index)))->size)
      if (bpw > RECOMMEND_MAX_BPW)
        {
          if (LARGER (best_precise))
            best_precise = (gint) i;
          continue;
        }
      if (LARGER (best))
        best = (gint) i;
      if (estimate->placement == MM_PLACEMENT_GPU &&
          machine->gpu_kind == MM_GPU_KIND_DEDICATED &&
          bpw >= RECOMMEND_GPU_MIN_BPW && LARGER (best_gpu))
        best_gpu = (gint) i;
#undef LARGER
    }

  if (best_gpu >= 0)
    return best_gpu;
  if (best >= 0)
    return best;
  return best_precise;
}

/**
 * mm_gguf_name_parse_quant:
 * @path: a file path in a repository, ending in ".gguf"
 *
 * Finds the quantization label in a GGUF file name ("model-Q4_K_M.gguf",
 * "model.q4_k_m.gguf", "Q4_K_M/model-00001-of-00002.gguf"). The last label
 * in the path wins, after the shard suffix is removed. An Unsloth Dynamic
 * "UD-" prefix is kept ("UD-Q4_K_XL"); an "i1-" prefix is not.
 *
 * Returns: (transfer full) (nullable): the label in upper case, or %NULL when
 *   the path carries none or is not a GGUF file name
 */
char *
mm_gguf_name_parse_quant (const char *path)
{
  g_autofree char *base = NULL;
  g_autofree char *upper = NULL;
  const char *last = NULL;
  gsize last_len = 0;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!has_gguf_suffix (path, strlen (path)))
    return NULL;

  base = gguf_path_base (path);
  upper = g_ascii_strup (base, -1);
  len = strlen (upper);

  for (gsize pos = 0; pos < len; )
    {
      gsize start = pos;
      gsize match = 0;

      if (pos > 0 && is_label_char (upper[pos - 1]))
        {
          pos++;
          continue;
        }

      if (g_str_has_prefix (upper + pos, "UD-"))
        {
          match = match_label_at (upper + pos + 3);
          if (match > 0)
            match += 3;
        }
      if (match == 0)
        match = match_label_at (upper + pos);

      if (match > 0)
        {
          last = upper + start;
          last_len = match;
          pos += match;
        }
      else
        {
          pos++;
        }
    }

  if (last == NULL)
    return NULL;

  return g_strndup (last, last_len);
}

/**
 * _mm_gguf_quant_bits_per_weight:
 * @quant: a label as mm_gguf_name_parse_quant() returns it
 *
 * Approximate bits per weight of a whole file of this quantization
 * (embeddings and output are kept at a higher precision). Unsloth's "_XL"
 * and bartowski's "_L" mixes keep more tensors at 8 bits: they count a bit
 * more than the mix they are based on.
 *
 * Returns: the bits per weight, or 0 when the label is unknown
 */
double
_mm_gguf_quant_bits_per_weight (const char *quant)
{
  g_autofree char *upper = NULL;
  const char *label;
  double bpw;
  gsize len;

  if (quant == NULL)
    return 0.0;

  upper = g_ascii_strup (quant, -1);
  label = upper;
  if (g_str_has_prefix (label, "UD-"))
    label += 3;

  bpw = lookup_bits_per_weight (label);
  if (bpw > 0.0)
    return bpw;

  /* Q4_K_L is Q4_K_M with 8-bit embeddings and output, Q6_K_L is Q6_K, and
   * Q8_K_XL is Q8_0 with some tensors at 16 bits. */
  len = strlen (label);
  if (len > 3 && (g_str_has_suffix (label, "_L") || g_str_has_suffix (label, "_XL")))
    {
      gboolean xl = g_str_has_suffix (label, "_XL");
      g_autofree char *stem = g_strndup (label, len - (xl ? 3 : 2));
      g_autofree char *medium = g_strconcat (stem, "_M", NULL);
      double extra = xl ? 0.5 : 0.3;

      if ((bpw = lookup_bits_per_weight (medium)) > 0.0 ||
          (bpw = lookup_bits_per_weight (stem)) > 0.0)
        return bpw + extra;

      if (g_str_equal (stem, "Q8_K"))
        return lookup_bits_per_weight ("Q8_0") + extra;
    }

  return 0.0;
}

/**
 * mm_gguf_quant_perplexity_increase:
 * @quant: a label as mm_gguf_name_parse_quant() returns it
 * @increase: (out) (optional): the rise in perplexity against the 16-bit
 *   model (lower is better; negative for BF16)
 * @reference: (out) (optional) (transfer none): the model it was measured
 *   on ("Llama-3-8B")
 *
 * The typical quality loss of a quantization type, as llama.cpp publishes
 * it (tools/quantize/quantize.cpp). An Unsloth "UD-" label counts as its
 * type.
 *
 * Returns: %FALSE when no figure is published for @quant
 */
gboolean
mm_gguf_quant_perplexity_increase (const char  *quant,
                                   double      *increase,
                                   const char **reference)
{
  g_autofree char *upper = NULL;
  const char *label;

  if (quant == NULL)
    return FALSE;

  upper = g_ascii_strup (quant, -1);
  label = upper;
  if (g_str_has_prefix (label, "UD-"))
    label += 3;

  for (guint i = 0; i < G_N_ELEMENTS (perplexity_increase); i++)
    {
      if (g_str_equal (label, perplexity_increase[i].label))
        {
          if (increase != NULL)
            *increase = perplexity_increase[i].increase;
          if (reference != NULL)
            *reference = perplexity_increase[i].reference;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * mm_gguf_name_parse_split:
 * @path: a file path in a repository
 * @prefix: (out) (optional) (transfer full): the path before "-00001-of-00003.gguf"
 * @part: (out) (optional): the part number, from 1
 * @count: (out) (optional): the number of parts
 *
 * Parses a split GGUF part name, `^(.*?)-(\d{5})-of-(\d{5})\.gguf$` without
 * regard to case, as huggingface.js and llama.cpp do.
 *
 * Returns: %TRUE when @path names part @part of @count, with
 *   1 ≤ @part ≤ @count
 */
gboolean
mm_gguf_name_parse_split (const char  *path,
                          char       **prefix,
                          guint       *part,
                          guint       *count)
{
  const char *suffix;
  guint p;
  guint c;
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);

  len = strlen (path);
  if (len < SHARD_SUFFIX_LEN)
    return FALSE;

  /* "-" 5 digits "-of-" 5 digits ".gguf" */
  suffix = path + len - SHARD_SUFFIX_LEN;
  if (suffix[0] != '-' ||
      !parse_five_digits (suffix + 1, &p) ||
      g_ascii_strncasecmp (suffix + 6, "-of-", 4) != 0 ||
      !parse_five_digits (suffix + 10, &c) ||
      g_ascii_strcasecmp (suffix + 15, GGUF_SUFFIX) != 0)
    return FALSE;

  if (p < 1 || c < 1 || p > c)
    return FALSE;

  if (prefix != NULL)
    *prefix = g_strndup (path, len - SHARD_SUFFIX_LEN);
  if (part != NULL)
    *part = p;
  if (count != NULL)
    *count = c;

  return TRUE;
}

/**
 * mm_gguf_name_is_projector:
 * @path: a file path in a repository
 *
 * Returns: whether the file's name says it is a multimodal projector
 *   ("mmproj-model-f16.gguf", "model-mmproj-f16.gguf")
 */
gboolean
mm_gguf_name_is_projector (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return contains_ascii_nocase (path_basename (path), "mmproj");
}
