/* mm-machine.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This computer, as the memory estimates see it: its RAM and GPUs
 * (detected once, in a worker thread, see mm-gpu.c) and the two
 * preferences that change every estimate, the context length and the RAM
 * budget. Everything that shows an estimate (the quantization rows, the
 * Library, the comparison, the command line) asks one MmMachine and
 * listens to its ::changed signal, so that a new preference or the end of
 * the detection redraws every badge.
 *
 * Until the detection ends, the RAM is known (it is one system call) and
 * the GPUs are not: estimates count on the processor only.
 */
#define G_LOG_DOMAIN "mm-machine"

#include "config.h"

#include "mm-machine-private.h"

#include <glib/gi18n-lib.h>

#include "mm-format.h"
#include "mm-quant.h"
#include "mm-system.h"

struct _MmMachine
{
  GObject parent_instance;

  MmSettings *settings;   /* (owned) (nullable) */
  GPtrArray *gpus;        /* (owned) (element-type MmGpu) */
  guint64 ram;
  gboolean detected;
};

G_DEFINE_FINAL_TYPE (MmMachine, mm_machine, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DETECTED,
  N_PROPS,
} MmMachineProperty;

static GParamSpec *properties[N_PROPS];

typedef enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
} MmMachineSignal;

static guint signals[N_SIGNALS];

static void
settings_changed_cb (MmMachine *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
mm_machine_constructed (GObject *object)
{
  MmMachine *self = MM_MACHINE (object);

  G_OBJECT_CLASS (mm_machine_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "notify::estimate-context",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "notify::ram-budget",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

static void
mm_machine_dispose (GObject *object)
{
  MmMachine *self = MM_MACHINE (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mm_machine_parent_class)->dispose (object);
}

static void
mm_machine_finalize (GObject *object)
{
  MmMachine *self = MM_MACHINE (object);

  g_clear_pointer (&self->gpus, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_machine_parent_class)->finalize (object);
}

static void
mm_machine_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MmMachine *self = MM_MACHINE (object);

  switch ((MmMachineProperty) prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DETECTED:
      g_value_set_boolean (value, self->detected);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_machine_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MmMachine *self = MM_MACHINE (object);

  switch ((MmMachineProperty) prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_DETECTED:
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_machine_class_init (MmMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mm_machine_constructed;
  object_class->dispose = mm_machine_dispose;
  object_class->finalize = mm_machine_finalize;
  object_class->get_property = mm_machine_get_property;
  object_class->set_property = mm_machine_set_property;

  /** MmMachine:settings: (nullable): where the context length and RAM budget come from */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, MM_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** MmMachine:detected: whether the GPUs have been looked for */
  properties[PROP_DETECTED] =
    g_param_spec_boolean ("detected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmMachine::changed:
   *
   * Something every estimate depends on changed: the hardware was
   * detected, or the context length or the RAM budget was set.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mm_machine_init (MmMachine *self)
{
  self->gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
  self->ram = mm_system_get_total_memory ();
}

/**
 * mm_machine_new:
 * @settings: (nullable): the settings to follow, %NULL for the defaults
 *   (4096 tokens, no budget)
 *
 * A machine with its RAM known and its GPUs not yet looked for: call
 * mm_machine_detect_async() (or mm_machine_detect_sync() on the command
 * line).
 *
 * Returns: (transfer full): a new machine
 */
MmMachine *
mm_machine_new (MmSettings *settings)
{
  g_return_val_if_fail (!settings || MM_IS_SETTINGS (settings), NULL);

  return g_object_new (MM_TYPE_MACHINE, "settings", settings, NULL);
}

/**
 * mm_machine_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings followed
 */
MmSettings *
mm_machine_get_settings (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), NULL);
  return self->settings;
}

typedef struct {
  guint64 ram;
  GPtrArray *gpus;  /* (owned) */
} Hardware;

static void
hardware_free (Hardware *hardware)
{
  g_clear_pointer (&hardware->gpus, g_ptr_array_unref);
  g_free (hardware);
}

static void
detect_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Hardware *hardware = g_new0 (Hardware, 1);

  hardware->ram = mm_system_get_total_memory ();
  hardware->gpus = mm_gpu_detect_default ();
  g_task_return_pointer (task, hardware, (GDestroyNotify) hardware_free);
}

/**
 * mm_machine_detect_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Looks for the RAM and the GPUs in a worker thread (loading NVML can take
 * a moment), then sets them and emits ::changed. Cancelled, the machine
 * stays as it was.
 */
void
mm_machine_detect_async (MmMachine           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_MACHINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_machine_detect_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, detect_thread);
}

/**
 * mm_machine_detect_finish:
 *
 * Returns: %TRUE once the hardware is set; %FALSE with
 *   %G_IO_ERROR_CANCELLED when cancelled
 */
gboolean
mm_machine_detect_finish (MmMachine     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  Hardware *hardware;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  hardware = g_task_propagate_pointer (G_TASK (result), error);
  if (hardware == NULL)
    return FALSE;

  _mm_machine_set_hardware (self, hardware->ram, hardware->gpus);
  hardware_free (hardware);
  return TRUE;
}

/**
 * mm_machine_detect_sync:
 *
 * Looks for the RAM and the GPUs now, blocking: for the command line.
 */
void
mm_machine_detect_sync (MmMachine *self)
{
  g_autoptr(GPtrArray) gpus = NULL;

  g_return_if_fail (MM_IS_MACHINE (self));

  gpus = mm_gpu_detect_default ();
  _mm_machine_set_hardware (self, mm_system_get_total_memory (), gpus);
}

/**
 * _mm_machine_set_hardware:
 * @ram: bytes of RAM, 0 when unknown
 * @gpus: (nullable) (element-type MmGpu): the GPUs, copied
 *
 * Sets what the detection found, for the detection itself and for tests.
 * Emits ::changed.
 */
void
_mm_machine_set_hardware (MmMachine *self,
                          guint64    ram,
                          GPtrArray *gpus)
{
  g_return_if_fail (MM_IS_MACHINE (self));

  self->ram = ram;
  g_ptr_array_set_size (self->gpus, 0);
  for (guint i = 0; gpus != NULL && i < gpus->len; i++)
    g_ptr_array_add (self->gpus, mm_gpu_copy (g_ptr_array_index (gpus, i)));

  if (!self->detected)
    {
      self->detected = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETECTED]);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
mm_machine_get_detected (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), FALSE);
  return self->detected;
}

/**
 * mm_machine_get_ram:
 *
 * Returns: bytes of RAM, 0 when unknown
 */
guint64
mm_machine_get_ram (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), 0);
  return self->ram;
}

/**
 * mm_machine_get_gpus:
 *
 * Returns: (transfer none) (element-type MmGpu): the GPUs found
 */
GPtrArray *
mm_machine_get_gpus (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), NULL);
  return self->gpus;
}

/**
 * mm_machine_get_gpu_kind:
 *
 * Returns: %MM_GPU_KIND_DEDICATED when a GPU has memory of its own (a
 *   runtime uses those, not integrated graphics), else
 *   %MM_GPU_KIND_UNIFIED when there is a GPU that shares the RAM, else
 *   %MM_GPU_KIND_NONE
 */
MmGpuKind
mm_machine_get_gpu_kind (MmMachine *self)
{
  MmGpuKind kind = MM_GPU_KIND_NONE;

  g_return_val_if_fail (MM_IS_MACHINE (self), MM_GPU_KIND_NONE);

  for (guint i = 0; i < self->gpus->len; i++)
    {
      MmGpu *gpu = g_ptr_array_index (self->gpus, i);

      if (gpu->kind == MM_GPU_KIND_DEDICATED)
        return MM_GPU_KIND_DEDICATED;
      if (gpu->kind == MM_GPU_KIND_UNIFIED)
        kind = MM_GPU_KIND_UNIFIED;
    }

  return kind;
}

/**
 * mm_machine_get_gpu_memory:
 *
 * Returns: the bytes of all dedicated GPUs together (llama.cpp splits the
 *   layers over them), 0 when there is none
 */
guint64
mm_machine_get_gpu_memory (MmMachine *self)
{
  guint64 total = 0;

  g_return_val_if_fail (MM_IS_MACHINE (self), 0);

  for (guint i = 0; i < self->gpus->len; i++)
    {
      MmGpu *gpu = g_ptr_array_index (self->gpus, i);

      if (gpu->kind == MM_GPU_KIND_DEDICATED &&
          !g_uint64_checked_add (&total, total, gpu->memory))
        total = G_MAXUINT64;
    }

  return total;
}

/**
 * mm_machine_get_context:
 *
 * Returns: the tokens of context the estimates count, from the settings
 */
guint64
mm_machine_get_context (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT);

  return self->settings ? mm_settings_get_estimate_context (self->settings)
                        : MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT;
}

/**
 * mm_machine_get_ram_budget:
 *
 * Returns: the most RAM a model may use in bytes, 0 for no limit
 */
guint64
mm_machine_get_ram_budget (MmMachine *self)
{
  g_return_val_if_fail (MM_IS_MACHINE (self), 0);

  return self->settings ? mm_settings_get_ram_budget (self->settings) : 0;
}

/**
 * _mm_machine_get_memory:
 * @memory: (out caller-allocates): what estimates are measured against
 */
void
_mm_machine_get_memory (MmMachine       *self,
                        MmMachineMemory *memory)
{
  g_return_if_fail (MM_IS_MACHINE (self));
  g_return_if_fail (memory != NULL);

  *memory = (MmMachineMemory) {
    .ram = self->ram,
    .ram_budget = mm_machine_get_ram_budget (self),
    .gpu_kind = mm_machine_get_gpu_kind (self),
    .gpu_memory = mm_machine_get_gpu_memory (self),
  };
}

/**
 * mm_machine_dup_gpu_description:
 *
 * Returns: (transfer full): the GPUs for a person: "NVIDIA GeForce RTX 4090,
 *   24.0 GB", "Intel, uses the RAM", "None found", or "Looking…" before the
 *   detection has ended
 */
char *
mm_machine_dup_gpu_description (MmMachine *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (MM_IS_MACHINE (self), NULL);

  if (!self->detected)
    /* Translators: the GPUs are being looked for */
    return g_strdup (_("Looking…"));
  if (self->gpus->len == 0)
    /* Translators: no GPU was found on this computer */
    return g_strdup (_("None found"));

  for (guint i = 0; i < self->gpus->len; i++)
    {
      MmGpu *gpu = g_ptr_array_index (self->gpus, i);

      if (gpu->kind == MM_GPU_KIND_DEDICATED)
        {
          g_autofree char *size = mm_format_size (gpu->memory);

          /* Translators: a GPU and its memory, "NVIDIA GeForce RTX 4090, 24.0 GB" */
          g_ptr_array_add (parts, g_strdup_printf (_("%s, %s"), gpu->name, size));
        }
      else
        {
          /* Translators: integrated graphics, which have no memory of their own */
          g_ptr_array_add (parts, g_strdup_printf (_("%s, uses the RAM"), gpu->name));
        }
    }
  g_ptr_array_add (parts, NULL);

  return g_strjoinv ("; ", (char **) parts->pdata);
}

/**
 * _mm_machine_choose_context:
 * @shape: (nullable): the model's shape
 *
 * Returns: the context of the settings, or the model's own when shorter
 */
guint64
_mm_machine_choose_context (MmMachine          *self,
                            const MmModelShape *shape)
{
  guint64 context;

  g_return_val_if_fail (MM_IS_MACHINE (self), MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT);

  context = mm_machine_get_context (self);
  if (shape != NULL && shape->context_length != 0 && shape->context_length < context)
    context = shape->context_length;
  return context;
}

/**
 * mm_machine_estimate:
 * @weights: bytes of weights
 * @shape: (nullable): what is known of the model
 *
 * Returns: (transfer full): the estimate at the chosen context, with its
 *   placement on this machine
 */
MmMemoryEstimate *
mm_machine_estimate (MmMachine          *self,
                     guint64             weights,
                     const MmModelShape *shape)
{
  MmMachineMemory memory;

  g_return_val_if_fail (MM_IS_MACHINE (self), NULL);

  _mm_machine_get_memory (self, &memory);
  return mm_memory_estimate_new_for_machine (weights, shape,
                                             _mm_machine_choose_context (self, shape), &memory);
}

/**
 * mm_machine_recommend:
 * @quants: (element-type MmQuant): a repository's choices
 * @shape: (nullable): the model's shape
 *
 * mm_quant_recommend() for this machine.
 *
 * Returns: the index of the recommended choice, -1 when none fits with
 *   headroom
 */
gint
mm_machine_recommend (MmMachine          *self,
                      GPtrArray          *quants,
                      const MmModelShape *shape)
{
  MmMachineMemory memory;

  g_return_val_if_fail (MM_IS_MACHINE (self), -1);
  g_return_val_if_fail (quants != NULL, -1);

  _mm_machine_get_memory (self, &memory);
  return mm_quant_recommend (quants, shape, _mm_machine_choose_context (self, shape), &memory);
}
