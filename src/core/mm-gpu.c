/* mm-gpu.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which GPUs this computer has, and how much memory each brings. Only what
 * the system states is believed:
 *
 *  - AMD (amdgpu) and Intel discrete cards say their memory in sysfs:
 *    /sys/class/drm/cardN/device/mem_info_vram_total, in bytes (or, on some
 *    kernels, only mem_info_vis_vram_total, the part the processor can
 *    see). The vendor is device/vendor ("0x1002" AMD, "0x8086" Intel).
 *  - An Intel GPU without VRAM is integrated graphics: it uses the RAM, so
 *    it is a unified-memory GPU whose size is the RAM's.
 *  - NVIDIA's driver says nothing in sysfs; its management library (NVML,
 *    libnvidia-ml.so.1, present wherever the driver is, and inside the
 *    Flatpak's NVIDIA GL extension) is loaded at run time and asked.
 *
 * No GPU is a normal answer. A file that is missing, empty or nonsense (not
 * a number, zero, more than a petabyte) is ignored with a debug message, so
 * a strange driver never turns into a wrong estimate. Both inputs (the
 * sysfs root and the NVML library) are parameters, so the tests run this
 * on fake trees and a fake library.
 */
#define G_LOG_DOMAIN "mm-gpu"

#include "config.h"

#include "mm-gpu-private.h"

#include <gmodule.h>
#include <string.h>

/* Anything above a petabyte of GPU memory is a misread file. */
#define MAX_SANE_MEMORY (G_GUINT64_CONSTANT (1) << 50)
#define VENDOR_AMD    0x1002
#define VENDOR_INTEL  0x8086
#define VENDOR_NVIDIA 0x10de

G_DEFINE_BOXED_TYPE (MmGpu, mm_gpu, mm_gpu_copy, mm_gpu_free)

/**
 * _mm_gpu_new:
 *
 * Returns: (transfer full): a new GPU description
 */
MmGpu *
_mm_gpu_new (const char *name,
             const char *source,
             MmGpuKind   kind,
             guint64     memory)
{
  MmGpu *self = g_new0 (MmGpu, 1);

  self->name = g_strdup (name);
  self->source = g_strdup (source);
  self->kind = kind;
  self->memory = memory;
  return self;
}

MmGpu *
mm_gpu_copy (const MmGpu *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return _mm_gpu_new (self->name, self->source, self->kind, self->memory);
}

void
mm_gpu_free (MmGpu *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->source);
  g_free (self);
}

static GPtrArray *
gpu_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) mm_gpu_free);
}

/* Reads a file holding one number. FALSE (with a debug message) when it is
 * missing, empty, not a number in @base, or out of [1, @max]. */
static gboolean
read_number (const char *path,
             guint       base,
             guint64     max,
             guint64    *value)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *text;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Ignoring %s: %s", path, error->message);
      return FALSE;
    }

  if (length != strlen (contents))
    {
      g_debug ("Ignoring %s: it holds a NUL byte", path);
      return FALSE;
    }

  text = g_strstrip (contents);
  if (base == 16 && (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X")))
    text += 2;

  if (!g_ascii_string_to_unsigned (text, base, 1, max, value, &error))
    {
      g_debug ("Ignoring %s: %s", path, error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_card_name (const char *name)
{
  if (!g_str_has_prefix (name, "card") || name[4] == '\0')
    return FALSE;
  for (const char *p = name + 4; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const char *na = *(const char * const *) a;
  const char *nb = *(const char * const *) b;

  /* card2 before card10. */
  if (strlen (na) != strlen (nb))
    return strlen (na) < strlen (nb) ? -1 : 1;
  return strcmp (na, nb);
}

static char *
read_product_name (const char *device)
{
  g_autofree char *path = g_build_filename (device, "product_name", NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0' || !g_utf8_validate (contents, -1, NULL) || strlen (contents) > 128)
    return NULL;
  return g_steal_pointer (&contents);
}

static MmGpu *
probe_card (const char *drm_dir,
            const char *card)
{
  g_autofree char *device = g_build_filename (drm_dir, card, "device", NULL);
  g_autofree char *vendor_path = g_build_filename (device, "vendor", NULL);
  g_autofree char *vram_path = g_build_filename (device, "mem_info_vram_total", NULL);
  g_autofree char *visible_path = g_build_filename (device, "mem_info_vis_vram_total", NULL);
  g_autofree char *product = NULL;
  const char *vendor_name;
  guint64 vendor = 0;
  guint64 vram = 0;

  if (!read_number (vendor_path, 16, 0xffff, &vendor))
    {
      g_debug ("%s: no PCI vendor, not a GPU we know", card);
      return NULL;
    }

  if (vendor == VENDOR_NVIDIA)
    {
      /* NVML answers for NVIDIA cards. */
      g_debug ("%s: an NVIDIA GPU, left to NVML", card);
      return NULL;
    }

  if (!read_number (vram_path, 10, MAX_SANE_MEMORY, &vram))
    read_number (visible_path, 10, MAX_SANE_MEMORY, &vram);

  switch (vendor)
    {
    case VENDOR_AMD:
      vendor_name = "AMD";
      break;
    case VENDOR_INTEL:
      vendor_name = "Intel";
      break;
    default:
      vendor_name = NULL;
      break;
    }

  product = read_product_name (device);

  if (vram > 0)
    return _mm_gpu_new (product ? product : vendor_name ? vendor_name : card, card,
                        MM_GPU_KIND_DEDICATED, vram);

  if (vendor == VENDOR_INTEL)
    return _mm_gpu_new (product ? product : vendor_name, card, MM_GPU_KIND_UNIFIED, 0);

  g_debug ("%s: vendor 0x%04" G_GINT64_MODIFIER "x states no memory; ignored", card, vendor);
  return NULL;
}

/**
 * _mm_gpu_detect_sysfs:
 * @sysfs_root: (nullable): where sysfs is mounted, %NULL for
 *   %MM_GPU_DEFAULT_SYSFS_ROOT
 *
 * The GPUs of /sys/class/drm/card* that say their memory, and Intel
 * integrated graphics; NVIDIA cards are left to _mm_gpu_detect_nvml().
 *
 * Returns: (transfer full) (element-type MmGpu): the GPUs, in card order;
 *   empty when none is found
 */
GPtrArray *
_mm_gpu_detect_sysfs (const char *sysfs_root)
{
  g_autoptr(GPtrArray) gpus = gpu_array_new ();
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *drm_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  drm_dir = g_build_filename (sysfs_root ? sysfs_root : MM_GPU_DEFAULT_SYSFS_ROOT,
                              "class", "drm", NULL);
  dir = g_dir_open (drm_dir, 0, &error);
  if (dir == NULL)
    {
      g_debug ("No GPUs in sysfs: %s", error->message);
      return g_steal_pointer (&gpus);
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_card_name (name))
      g_ptr_array_add (cards, g_strdup (name));
  g_ptr_array_sort (cards, compare_names);

  for (guint i = 0; i < cards->len; i++)
    {
      MmGpu *gpu = probe_card (drm_dir, g_ptr_array_index (cards, i));

      if (gpu != NULL)
        g_ptr_array_add (gpus, gpu);
    }

  return g_steal_pointer (&gpus);
}

/* NVML's C interface (nvml.h), of which we use six functions. Every call
 * returns an nvmlReturn_t, 0 (NVML_SUCCESS) on success. */
typedef struct {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} NvmlMemory;

#define NVML_SUCCESS 0
#define NVML_NAME_LENGTH 96

typedef int (*NvmlInitFunc)       (void);
typedef int (*NvmlShutdownFunc)   (void);
typedef int (*NvmlCountFunc)      (unsigned int *count);
typedef int (*NvmlHandleFunc)     (unsigned int index, void **device);
typedef int (*NvmlMemoryFunc)     (void *device, NvmlMemory *memory);
typedef int (*NvmlNameFunc)       (void *device, char *name, unsigned int length);

/**
 * _mm_gpu_detect_nvml:
 * @library: (nullable): the NVML library to load, %NULL for
 *   %MM_GPU_DEFAULT_NVML_LIBRARY (found on the library path)
 *
 * Asks NVIDIA's management library for each GPU's name and memory. Without
 * the library (no NVIDIA driver) the answer is empty.
 *
 * Returns: (transfer full) (element-type MmGpu): the NVIDIA GPUs
 */
GPtrArray *
_mm_gpu_detect_nvml (const char *library)
{
  g_autoptr(GPtrArray) gpus = gpu_array_new ();
  GModule *module;
  NvmlInitFunc init = NULL;
  NvmlShutdownFunc shutdown = NULL;
  NvmlCountFunc count_devices = NULL;
  NvmlHandleFunc get_handle = NULL;
  NvmlMemoryFunc get_memory = NULL;
  NvmlNameFunc get_name = NULL;
  unsigned int count = 0;
  int ret;

  if (library == NULL)
    library = MM_GPU_DEFAULT_NVML_LIBRARY;

  module = g_module_open (library, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_debug ("No NVML: %s", g_module_error ());
      return g_steal_pointer (&gpus);
    }

  if (!g_module_symbol (module, "nvmlInit_v2", (gpointer *) &init) ||
      !g_module_symbol (module, "nvmlShutdown", (gpointer *) &shutdown) ||
      !g_module_symbol (module, "nvmlDeviceGetCount_v2", (gpointer *) &count_devices) ||
      !g_module_symbol (module, "nvmlDeviceGetHandleByIndex_v2", (gpointer *) &get_handle) ||
      !g_module_symbol (module, "nvmlDeviceGetMemoryInfo", (gpointer *) &get_memory) ||
      init == NULL || shutdown == NULL || count_devices == NULL || get_handle == NULL ||
      get_memory == NULL)
    {
      g_debug ("%s lacks the NVML functions we need; ignored", library);
      g_module_close (module);
      return g_steal_pointer (&gpus);
    }
  /* The name is a nicety. */
  if (!g_module_symbol (module, "nvmlDeviceGetName", (gpointer *) &get_name))
    get_name = NULL;

  if ((ret = init ()) != NVML_SUCCESS)
    {
      g_debug ("nvmlInit_v2 failed (%d): no NVIDIA GPU in use", ret);
      g_module_close (module);
      return g_steal_pointer (&gpus);
    }

  if ((ret = count_devices (&count)) != NVML_SUCCESS)
    {
      g_debug ("nvmlDeviceGetCount_v2 failed (%d)", ret);
      count = 0;
    }

  /* No computer has a thousand GPUs; a bigger count is a broken library. */
  if (count > 1024)
    {
      g_debug ("NVML counts %u GPUs; ignored", count);
      count = 0;
    }

  for (unsigned int i = 0; i < count; i++)
    {
      void *device = NULL;
      NvmlMemory memory = { 0, };
      char name[NVML_NAME_LENGTH] = { 0, };
      g_autofree char *source = NULL;

      if ((ret = get_handle (i, &device)) != NVML_SUCCESS)
        {
          g_debug ("NVML GPU %u: no handle (%d)", i, ret);
          continue;
        }
      if ((ret = get_memory (device, &memory)) != NVML_SUCCESS)
        {
          g_debug ("NVML GPU %u: no memory information (%d)", i, ret);
          continue;
        }
      if (memory.total == 0 || memory.total > MAX_SANE_MEMORY)
        {
          g_debug ("NVML GPU %u: ignoring a memory size of %llu bytes", i, memory.total);
          continue;
        }
      if (get_name == NULL || get_name (device, name, sizeof name) != NVML_SUCCESS)
        name[0] = '\0';
      name[sizeof name - 1] = '\0';
      if (!g_utf8_validate (name, -1, NULL))
        name[0] = '\0';

      source = g_strdup_printf ("nvml%u", i);
      g_ptr_array_add (gpus, _mm_gpu_new (*name ? name : "NVIDIA", source,
                                          MM_GPU_KIND_DEDICATED, memory.total));
    }

  shutdown ();
  g_module_close (module);
  return g_steal_pointer (&gpus);
}

/**
 * _mm_gpu_detect:
 * @sysfs_root: (nullable): where sysfs is mounted, %NULL for /sys
 * @nvml_library: (nullable): the NVML library, %NULL for libnvidia-ml.so.1
 *
 * Every GPU found: NVIDIA's through NVML, then the others through sysfs.
 *
 * Returns: (transfer full) (element-type MmGpu): the GPUs; empty for none
 */
GPtrArray *
_mm_gpu_detect (const char *sysfs_root,
                const char *nvml_library)
{
  g_autoptr(GPtrArray) gpus = _mm_gpu_detect_nvml (nvml_library);
  g_autoptr(GPtrArray) others = _mm_gpu_detect_sysfs (sysfs_root);

  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (gpus, mm_gpu_copy (g_ptr_array_index (others, i)));

  return g_steal_pointer (&gpus);
}

/**
 * mm_gpu_detect_default:
 *
 * _mm_gpu_detect() on this computer. `MM_GPU_MEMORY` overrides it, so that
 * tests and screenshots do not depend on the machine: a number of bytes
 * for one dedicated GPU (named by `MM_GPU_NAME`, else "GPU"), `unified`
 * for integrated graphics, `0` for none.
 *
 * Returns: (transfer full) (element-type MmGpu): the GPUs
 */
GPtrArray *
mm_gpu_detect_default (void)
{
  const char *override = g_getenv ("MM_GPU_MEMORY");
  const char *name = g_getenv ("MM_GPU_NAME");
  g_autoptr(GPtrArray) gpus = NULL;
  guint64 memory = 0;

  if (override == NULL || *override == '\0')
    return _mm_gpu_detect (NULL, NULL);

  gpus = gpu_array_new ();
  if (g_str_equal (override, "unified"))
    g_ptr_array_add (gpus, _mm_gpu_new (name ? name : "GPU", "environment",
                                        MM_GPU_KIND_UNIFIED, 0));
  else if (g_ascii_string_to_unsigned (override, 10, 1, MAX_SANE_MEMORY, &memory, NULL))
    g_ptr_array_add (gpus, _mm_gpu_new (name ? name : "GPU", "environment",
                                        MM_GPU_KIND_DEDICATED, memory));
  return g_steal_pointer (&gpus);
}
