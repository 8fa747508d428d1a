/* mm-quant-row.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One download choice. Every choice expands to list the files it is made of:
 * one file for most, every part for a split set, so a split set reads the
 * same as a single file and the user can always see what will land on disk.
 * The row only draws what MmQuant computed (size, bits per weight, fit).
 */
#define G_LOG_DOMAIN "mm-quant-row"

#include "config.h"

#include "mm-quant-row.h"

#include <glib/gi18n.h>

struct _MmQuantRow
{
  AdwExpanderRow  parent_instance;

  MmQuant        *quant;         /* (owned) */
  guint64         total_memory;
};

G_DEFINE_FINAL_TYPE (MmQuantRow, mm_quant_row, ADW_TYPE_EXPANDER_ROW)

typedef enum {
  PROP_0,
  PROP_QUANT,
  PROP_TOTAL_MEMORY,
  N_PROPS,
} MmQuantRowProperty;

static GParamSpec *properties[N_PROPS];

static GtkWidget *
badge_new (const char *text,
           const char *style,
           const char *tooltip)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, style);
  gtk_widget_set_tooltip_text (badge, tooltip);
  return badge;
}

static GtkWidget *
fit_badge_new (MmQuantRow *self)
{
  g_autofree char *needed = mm_format_size (mm_quant_get_memory_needed (self->quant));
  g_autofree char *total = mm_format_size (self->total_memory);
  g_autofree char *tooltip = NULL;

  /* Translators: the first %s is a size such as "1.2 GB", the second the
   * computer's memory such as "16.0 GB" */
  tooltip = g_strdup_printf (_("Needs about %s of memory; this computer has %s"), needed, total);

  switch (mm_quant_get_fit (self->quant))
    {
    case MM_FIT_FITS:
      /* Translators: badge: the model fits in this computer's memory */
      return badge_new (_("Fits"), "success", tooltip);
    case MM_FIT_TIGHT:
      /* Translators: badge: the model barely fits in this computer's memory */
      return badge_new (_("Tight"), "warning", tooltip);
    case MM_FIT_TOO_LARGE:
      /* Translators: badge: the model does not fit in this computer's memory */
      return badge_new (_("Too large"), "error", tooltip);
    case MM_FIT_UNKNOWN:
    default:
      return NULL;
    }
}

static char *
build_subtitle (MmQuant *quant)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  double bpw = mm_quant_get_bits_per_weight (quant);

  if (bpw > 0)
    /* Translators: e.g. "4.9 bits per weight" */
    g_ptr_array_add (parts, g_strdup_printf (_("%.1f bits per weight"), bpw));
  g_ptr_array_add (parts, mm_format_size (mm_quant_get_size (quant)));
  if (mm_quant_get_is_split (quant))
    {
      guint n = mm_quant_get_split_count (quant);

      g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u part", "%u parts", n), n));
    }
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
mm_quant_row_build (MmQuantRow *self)
{
  GPtrArray *files = mm_quant_get_files (self->quant);
  g_autofree char *subtitle = build_subtitle (self->quant);
  GtkWidget *badge = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), mm_quant_get_label (self->quant));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  if (mm_quant_get_is_split (self->quant) && !mm_quant_get_is_complete (self->quant))
    {
      guint count = mm_quant_get_split_count (self->quant);
      guint missing = count > files->len ? count - files->len : 0;
      g_autofree char *title = NULL;
      GtkWidget *row;

      /* Translators: a split model; e.g. "Incomplete: 1 of 3 parts missing" */
      title = g_strdup_printf (ngettext ("Incomplete: %u of %u part missing",
                                         "Incomplete: %u of %u parts missing", count),
                               missing, count);
      badge = badge_new (_("Incomplete"), "error",
                         _("Some parts of this set are not in the repository"));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("This set cannot be used until the missing parts are uploaded."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "warning");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
  else if (mm_quant_get_kind (self->quant) == MM_QUANT_KIND_MODEL)
    badge = fit_badge_new (self);

  if (badge != NULL)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (self), badge);

  for (guint i = 0; i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);
      g_autofree char *size = mm_format_size (mm_repo_file_get_size (file));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *size_label = gtk_label_new (size);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), mm_repo_file_get_path (file));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_add_css_class (size_label, "dim-label");
      gtk_widget_add_css_class (size_label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), size_label);
      if (mm_repo_file_get_sha256 (file) != NULL)
        {
          /* Translators: %s is a SHA-256 checksum */
          g_autofree char *tip = g_strdup_printf (_("SHA-256: %s"),
                                                  mm_repo_file_get_sha256 (file));
          gtk_widget_set_tooltip_text (row, tip);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
    }
}

static void
mm_quant_row_constructed (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->constructed (object);

  g_return_if_fail (MM_IS_QUANT (self->quant));
  mm_quant_row_build (self);
}

static void
mm_quant_row_dispose (GObject *object)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  g_clear_object (&self->quant);

  G_OBJECT_CLASS (mm_quant_row_parent_class)->dispose (object);
}

static void
mm_quant_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  switch ((MmQuantRowProperty) prop_id)
    {
    case PROP_QUANT:
      g_value_set_object (value, self->quant);
      break;
    case PROP_TOTAL_MEMORY:
      g_value_set_uint64 (value, self->total_memory);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_quant_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MmQuantRow *self = MM_QUANT_ROW (object);

  switch ((MmQuantRowProperty) prop_id)
    {
    case PROP_QUANT:
      self->quant = g_value_dup_object (value);
      break;
    case PROP_TOTAL_MEMORY:
      self->total_memory = g_value_get_uint64 (value);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_quant_row_class_init (MmQuantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mm_quant_row_constructed;
  object_class->dispose = mm_quant_row_dispose;
  object_class->get_property = mm_quant_row_get_property;
  object_class->set_property = mm_quant_row_set_property;

  /** MmQuantRow:quant: the download choice shown */
  properties[PROP_QUANT] =
    g_param_spec_object ("quant", NULL, NULL, MM_TYPE_QUANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmQuantRow:total-memory: this computer's memory in bytes, for the fit tooltip */
  properties[PROP_TOTAL_MEMORY] =
    g_param_spec_uint64 ("total-memory", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_quant_row_init (MmQuantRow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "quant-row");
}

GtkWidget *
mm_quant_row_new (MmQuant *quant,
                  guint64  total_memory)
{
  g_return_val_if_fail (MM_IS_QUANT (quant), NULL);

  return g_object_new (MM_TYPE_QUANT_ROW,
                       "quant", quant,
                       "total-memory", total_memory,
                       NULL);
}

/**
 * mm_quant_row_get_quant:
 *
 * Returns: (transfer none): the download choice shown
 */
MmQuant *
mm_quant_row_get_quant (MmQuantRow *self)
{
  g_return_val_if_fail (MM_IS_QUANT_ROW (self), NULL);
  return self->quant;
}
