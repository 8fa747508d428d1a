/* mm-compare-item.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One column of a comparison: a quantization of a model, with the model's
 * shape (from a GGUF header when one was read) for the memory estimate.
 * It says every line of the comparison as text, so that the app's table,
 * its cards and the command line's table read the same, and as JSON.
 */
#define G_LOG_DOMAIN "mm-compare-item"

#include "config.h"

#include "mm-compare-item.h"

#include <glib/gi18n-lib.h>

#include "mm-format.h"

struct _MmCompareItem
{
  GObject parent_instance;

  MmModel *model;       /* (owned) */
  MmQuant *quant;       /* (owned) */
  MmModelShape shape;
};

G_DEFINE_FINAL_TYPE (MmCompareItem, mm_compare_item, G_TYPE_OBJECT)

static void
mm_compare_item_dispose (GObject *object)
{
  MmCompareItem *self = MM_COMPARE_ITEM (object);

  g_clear_object (&self->model);
  g_clear_object (&self->quant);

  G_OBJECT_CLASS (mm_compare_item_parent_class)->dispose (object);
}

static void
mm_compare_item_class_init (MmCompareItemClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mm_compare_item_dispose;
}

static void
mm_compare_item_init (MmCompareItem *self)
{
}

/**
 * mm_compare_item_new:
 * @model: the repository
 * @quant: one of its choices
 * @shape: (nullable): the model's shape, copied; %NULL for what @model says
 *
 * Returns: (transfer full): a new item
 */
MmCompareItem *
mm_compare_item_new (MmModel            *model,
                     MmQuant            *quant,
                     const MmModelShape *shape)
{
  MmCompareItem *self;

  g_return_val_if_fail (MM_IS_MODEL (model), NULL);
  g_return_val_if_fail (MM_IS_QUANT (quant), NULL);

  self = g_object_new (MM_TYPE_COMPARE_ITEM, NULL);
  self->model = g_object_ref (model);
  self->quant = g_object_ref (quant);
  if (shape != NULL)
    self->shape = *shape;
  else
    mm_model_shape_init_from_model (&self->shape, model);
  return self;
}

/**
 * mm_compare_item_new_for_library_entry:
 * @entry: a model on disk, its GGUF header read
 *
 * An item for a downloaded model: what its header says stands in for the
 * Hub's facts (license and downloads stay unknown).
 *
 * Returns: (transfer full) (nullable): a new item, %NULL for a projector
 *   or an entry without files
 */
MmCompareItem *
mm_compare_item_new_for_library_entry (MmLibraryEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) quants = NULL;
  const char *id;
  const char *architecture;
  MmModelShape shape = { 0, };

  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (entry), NULL);

  if (mm_library_entry_get_kind (entry) != MM_QUANT_KIND_MODEL)
    return NULL;

  id = mm_library_entry_get_repo_id (entry) ? mm_library_entry_get_repo_id (entry)
                                            : mm_library_entry_get_name (entry);
  architecture = mm_library_entry_get_architecture (entry);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "gguf");
  json_builder_begin_object (builder);
  if (architecture != NULL)
    {
      json_builder_set_member_name (builder, "architecture");
      json_builder_add_string_value (builder, architecture);
    }
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, (gint64) mm_library_entry_get_parameters (entry));
  json_builder_set_member_name (builder, "context_length");
  json_builder_add_int_value (builder, (gint64) mm_library_entry_get_context_length (entry));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  model = mm_model_new_from_json (json_node_get_object (root), NULL);
  if (model == NULL)
    return NULL;

  for (guint i = 0; i < mm_library_entry_get_n_files (entry); i++)
    {
      const MmLibraryFile *file = mm_library_entry_get_file (entry, i);

      g_ptr_array_add (files, mm_repo_file_new (file->relative_path, file->size, NULL, NULL));
    }
  quants = mm_quant_group_files (files, 0, NULL, NULL);
  if (quants->len == 0)
    return NULL;

  if (mm_library_entry_get_info (entry) != NULL)
    mm_model_shape_init_from_gguf (&shape, mm_library_entry_get_info (entry));
  shape.parameters = mm_library_entry_get_parameters (entry);
  if (shape.context_length == 0)
    shape.context_length = mm_library_entry_get_context_length (entry);

  return mm_compare_item_new (model, g_ptr_array_index (quants, 0), &shape);
}

/**
 * mm_compare_item_get_model:
 *
 * Returns: (transfer none): the repository
 */
MmModel *
mm_compare_item_get_model (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  return self->model;
}

/**
 * mm_compare_item_get_quant:
 *
 * Returns: (transfer none): the choice
 */
MmQuant *
mm_compare_item_get_quant (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  return self->quant;
}

const MmModelShape *
mm_compare_item_get_shape (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  return &self->shape;
}

const char *
mm_compare_item_get_repo_id (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  return mm_model_get_id (self->model);
}

const char *
mm_compare_item_get_label (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  return mm_quant_get_label (self->quant);
}

/**
 * mm_compare_item_dup_title:
 *
 * Returns: (transfer full): "TinyChat-1.1B-GGUF · Q4_K_M"
 */
char *
mm_compare_item_dup_title (MmCompareItem *self)
{
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);

  return g_strdup_printf ("%s · %s", mm_model_get_name (self->model),
                          mm_quant_get_label (self->quant));
}

/**
 * mm_compare_fact_get_title:
 *
 * Returns: what a line of the comparison is called ("File Size")
 */
const char *
mm_compare_fact_get_title (MmCompareFact fact)
{
  switch (fact)
    {
    case MM_COMPARE_FACT_FILE_SIZE:
      return _("File Size");
    case MM_COMPARE_FACT_BITS_PER_WEIGHT:
      return _("Bits per Weight");
    case MM_COMPARE_FACT_MEMORY:
      /* Translators: the memory a model needs to run, at the chosen context */
      return _("Memory Needed");
    case MM_COMPARE_FACT_PLACEMENT:
      /* Translators: on the GPU, partly on it, on the processor only */
      return _("Where It Runs");
    case MM_COMPARE_FACT_QUALITY:
      /* Translators: how much the quantization costs in quality (perplexity) */
      return _("Typical Quality Loss");
    case MM_COMPARE_FACT_ARCHITECTURE:
      return _("Architecture");
    case MM_COMPARE_FACT_PARAMETERS:
      return _("Parameters");
    case MM_COMPARE_FACT_CONTEXT_LENGTH:
      return _("Context Length");
    case MM_COMPARE_FACT_LICENSE:
      return _("License");
    case MM_COMPARE_FACT_DOWNLOADS:
      return _("Downloads");
    case MM_COMPARE_N_FACTS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
format_tokens (guint64 tokens)
{
  g_autofree char *n = mm_format_integer (tokens);

  /* Translators: %s is a number of tokens such as "4,096" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                       (gulong) MIN (tokens, G_MAXULONG)),
                          n);
}

/**
 * mm_compare_item_dup_fact:
 * @fact: the line
 * @machine: (nullable): this computer, for the memory and where it runs
 *
 * Returns: (transfer full): the line's text for this item; "—" when it is
 *   not known
 */
char *
mm_compare_item_dup_fact (MmCompareItem *self,
                          MmCompareFact  fact,
                          MmMachine     *machine)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  char *text = NULL;

  g_return_val_if_fail (MM_IS_COMPARE_ITEM (self), NULL);
  g_return_val_if_fail (!machine || MM_IS_MACHINE (machine), NULL);

  if (machine != NULL &&
      (fact == MM_COMPARE_FACT_MEMORY || fact == MM_COMPARE_FACT_PLACEMENT))
    estimate = mm_machine_estimate (machine, mm_quant_get_size (self->quant), &self->shape);

  switch (fact)
    {
    case MM_COMPARE_FACT_FILE_SIZE:
      text = mm_format_size (mm_quant_get_size (self->quant));
      break;
    case MM_COMPARE_FACT_BITS_PER_WEIGHT:
      if (mm_quant_get_bits_per_weight (self->quant) > 0)
        text = g_strdup_printf ("%.1f", mm_quant_get_bits_per_weight (self->quant));
      break;
    case MM_COMPARE_FACT_MEMORY:
      if (estimate != NULL)
        {
          g_autofree char *size = mm_format_size (estimate->total);
          g_autofree char *tokens = format_tokens (estimate->context);

          /* Translators: memory needed at a context, "5.9 GB at 4,096 tokens" */
          text = g_strdup_printf (_("%s at %s"), size, tokens);
        }
      break;
    case MM_COMPARE_FACT_PLACEMENT:
      if (estimate != NULL)
        text = mm_memory_estimate_dup_placement_label (estimate);
      break;
    case MM_COMPARE_FACT_QUALITY:
      {
        double increase = 0;
        const char *reference = NULL;

        if (mm_gguf_quant_perplexity_increase (mm_quant_get_name (self->quant), &increase,
                                               &reference))
          {
            char number[G_ASCII_DTOSTR_BUF_SIZE];

            /* The locale's decimal mark, and a real minus sign. */
            g_snprintf (number, sizeof number, "%.4f", ABS (increase));
            /* Translators: a change in perplexity measured on a model, e.g.
             * "+0.1754 perplexity (Llama-3-8B)"; %s%s is the sign and the number */
            text = g_strdup_printf (_("%s%s perplexity (%s)"), increase < 0 ? "−" : "+",
                                    number, reference);
          }
        else
          {
            /* Translators: no figure of quality loss is published for this type */
            text = g_strdup (_("Not published"));
          }
      }
      break;
    case MM_COMPARE_FACT_ARCHITECTURE:
      text = g_strdup (mm_model_get_architecture (self->model));
      break;
    case MM_COMPARE_FACT_PARAMETERS:
      text = mm_format_params (self->shape.parameters ? self->shape.parameters
                                                      : mm_model_get_parameters (self->model));
      break;
    case MM_COMPARE_FACT_CONTEXT_LENGTH:
      {
        guint64 context = self->shape.context_length ? self->shape.context_length
                                                     : mm_model_get_context_length (self->model);

        if (context > 0)
          text = format_tokens (context);
      }
      break;
    case MM_COMPARE_FACT_LICENSE:
      text = mm_format_license (mm_model_get_license (self->model));
      break;
    case MM_COMPARE_FACT_DOWNLOADS:
      if (mm_model_get_downloads (self->model) >= 0)
        text = mm_format_count (mm_model_get_downloads (self->model));
      break;
    case MM_COMPARE_N_FACTS:
    default:
      g_return_val_if_reached (NULL);
    }

  if (text == NULL || *text == '\0')
    {
      g_free (text);
      text = g_strdup ("—");
    }
  return text;
}

/**
 * mm_compare_item_add_json:
 * @builder: a builder inside an array
 * @machine: (nullable): this computer
 *
 * Adds the item as one object with the raw figures.
 */
void
mm_compare_item_add_json (MmCompareItem *self,
                          JsonBuilder   *builder,
                          MmMachine     *machine)
{
  g_autoptr(MmMemoryEstimate) estimate = NULL;
  double increase = 0;
  const char *reference = NULL;
  const char *license = mm_model_get_license (self->model);
  const char *architecture = mm_model_get_architecture (self->model);

  g_return_if_fail (MM_IS_COMPARE_ITEM (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  if (machine != NULL)
    estimate = mm_machine_estimate (machine, mm_quant_get_size (self->quant), &self->shape);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "repo");
  json_builder_add_string_value (builder, mm_model_get_id (self->model));
  json_builder_set_member_name (builder, "quant");
  json_builder_add_string_value (builder, mm_quant_get_name (self->quant));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) mm_quant_get_size (self->quant));
  json_builder_set_member_name (builder, "bits_per_weight");
  if (mm_quant_get_bits_per_weight (self->quant) > 0)
    json_builder_add_double_value (builder, mm_quant_get_bits_per_weight (self->quant));
  else
    json_builder_add_null_value (builder);
  if (estimate != NULL)
    {
      json_builder_set_member_name (builder, "memory_at_context");
      json_builder_add_int_value (builder, (gint64) estimate->total);
      json_builder_set_member_name (builder, "context");
      json_builder_add_int_value (builder, (gint64) estimate->context);
      json_builder_set_member_name (builder, "placement");
      json_builder_add_string_value (builder, mm_placement_to_string (estimate->placement));
      json_builder_set_member_name (builder, "layers");
      json_builder_add_int_value (builder, (gint64) estimate->layers);
      json_builder_set_member_name (builder, "gpu_layers");
      json_builder_add_int_value (builder, (gint64) estimate->gpu_layers);
    }
  json_builder_set_member_name (builder, "perplexity_increase");
  if (mm_gguf_quant_perplexity_increase (mm_quant_get_name (self->quant), &increase, &reference))
    {
      json_builder_add_double_value (builder, increase);
      json_builder_set_member_name (builder, "perplexity_measured_on");
      json_builder_add_string_value (builder, reference);
    }
  else
    {
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "perplexity_measured_on");
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "architecture");
  if (architecture != NULL)
    json_builder_add_string_value (builder, architecture);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_add_int_value (builder, (gint64) (self->shape.parameters
                                                 ? self->shape.parameters
                                                 : mm_model_get_parameters (self->model)));
  json_builder_set_member_name (builder, "context_length");
  json_builder_add_int_value (builder, (gint64) (self->shape.context_length
                                                 ? self->shape.context_length
                                                 : mm_model_get_context_length (self->model)));
  json_builder_set_member_name (builder, "license");
  if (license != NULL)
    json_builder_add_string_value (builder, license);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "downloads");
  json_builder_add_int_value (builder, mm_model_get_downloads (self->model));
  json_builder_end_object (builder);
}
