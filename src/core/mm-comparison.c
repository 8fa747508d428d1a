/* mm-comparison.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The choices a person put side by side: two to four quantizations, from
 * one model or several, in the order they were picked. A choice is known
 * by its repository and label, so that the Compare toggle of a row made
 * again (another visit to the model) still shows it as picked. The app
 * keeps one for all its windows.
 */
#define G_LOG_DOMAIN "mm-comparison"

#include "config.h"

#include "mm-comparison.h"

#include <glib/gi18n-lib.h>

struct _MmComparison
{
  GObject parent_instance;

  GListStore *items;  /* (owned) MmCompareItem */
};

G_DEFINE_FINAL_TYPE (MmComparison, mm_comparison, G_TYPE_OBJECT)

G_DEFINE_QUARK (mm-comparison-error-quark, mm_comparison_error)

static void
mm_comparison_dispose (GObject *object)
{
  MmComparison *self = MM_COMPARISON (object);

  g_clear_object (&self->items);

  G_OBJECT_CLASS (mm_comparison_parent_class)->dispose (object);
}

static void
mm_comparison_class_init (MmComparisonClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mm_comparison_dispose;
}

static void
mm_comparison_init (MmComparison *self)
{
  self->items = g_list_store_new (MM_TYPE_COMPARE_ITEM);
}

MmComparison *
mm_comparison_new (void)
{
  return g_object_new (MM_TYPE_COMPARISON, NULL);
}

/**
 * mm_comparison_get_items:
 *
 * Returns: (transfer none): the #MmCompareItem list, in the order picked;
 *   it emits ::items-changed as choices come and go
 */
GListModel *
mm_comparison_get_items (MmComparison *self)
{
  g_return_val_if_fail (MM_IS_COMPARISON (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
mm_comparison_get_n_items (MmComparison *self)
{
  g_return_val_if_fail (MM_IS_COMPARISON (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

static gboolean
find (MmComparison *self,
      const char   *repo_id,
      const char   *label,
      guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MmCompareItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_strcmp0 (mm_compare_item_get_repo_id (item), repo_id) == 0 &&
          g_strcmp0 (mm_compare_item_get_label (item), label) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * mm_comparison_contains:
 *
 * Returns: whether the choice @label of @repo_id is picked
 */
gboolean
mm_comparison_contains (MmComparison *self,
                        const char   *repo_id,
                        const char   *label)
{
  g_return_val_if_fail (MM_IS_COMPARISON (self), FALSE);
  return find (self, repo_id, label, NULL);
}

/**
 * mm_comparison_add:
 * @shape: (nullable): the model's shape, for the memory estimate
 *
 * Picks a choice; picking one that is picked already changes nothing.
 *
 * Returns: %FALSE with %MM_COMPARISON_ERROR_FULL when four are picked
 */
gboolean
mm_comparison_add (MmComparison        *self,
                   MmModel             *model,
                   MmQuant             *quant,
                   const MmModelShape  *shape,
                   GError             **error)
{
  g_autoptr(MmCompareItem) item = NULL;

  g_return_val_if_fail (MM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (MM_IS_MODEL (model), FALSE);
  g_return_val_if_fail (MM_IS_QUANT (quant), FALSE);

  if (find (self, mm_model_get_id (model), mm_quant_get_label (quant), NULL))
    return TRUE;

  if (mm_comparison_get_n_items (self) >= MM_COMPARISON_MAX_ITEMS)
    {
      g_set_error (error, MM_COMPARISON_ERROR, MM_COMPARISON_ERROR_FULL,
                   g_dngettext (GETTEXT_PACKAGE,
                                "At most %u choice can be compared; remove one first.",
                                "At most %u choices can be compared; remove one first.",
                                MM_COMPARISON_MAX_ITEMS),
                   MM_COMPARISON_MAX_ITEMS);
      return FALSE;
    }

  item = mm_compare_item_new (model, quant, shape);
  g_list_store_append (self->items, item);
  return TRUE;
}

/**
 * mm_comparison_add_item:
 * @item: a made item (a model on disk, say)
 *
 * Like mm_comparison_add().
 *
 * Returns: %FALSE with %MM_COMPARISON_ERROR_FULL when four are picked
 */
gboolean
mm_comparison_add_item (MmComparison   *self,
                        MmCompareItem  *item,
                        GError        **error)
{
  g_return_val_if_fail (MM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (MM_IS_COMPARE_ITEM (item), FALSE);

  return mm_comparison_add (self, mm_compare_item_get_model (item),
                            mm_compare_item_get_quant (item),
                            mm_compare_item_get_shape (item), error);
}

/**
 * mm_comparison_remove:
 *
 * Returns: whether the choice was picked
 */
gboolean
mm_comparison_remove (MmComparison *self,
                      const char   *repo_id,
                      const char   *label)
{
  guint position;

  g_return_val_if_fail (MM_IS_COMPARISON (self), FALSE);

  if (!find (self, repo_id, label, &position))
    return FALSE;
  g_list_store_remove (self->items, position);
  return TRUE;
}

void
mm_comparison_clear (MmComparison *self)
{
  g_return_if_fail (MM_IS_COMPARISON (self));
  g_list_store_remove_all (self->items);
}
