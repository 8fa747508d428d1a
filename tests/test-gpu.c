/* test-gpu.c: finding the GPUs and their memory
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * _mm_gpu_detect_sysfs() on fake /sys trees (AMD and Intel cards, connectors
 * and render nodes beside them, and files that are missing, empty or
 * nonsense, which must be ignored with a debug message), and
 * _mm_gpu_detect_nvml() on a fake NVML library (tests/fake-nvml.c, path in
 * MM_FAKE_NVML), including its failures.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mm-core.h"
#include "mm-gpu-private.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static char *
make_root (void)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("mm-sysfs-XXXXXX", &error);

  g_assert_no_error (error);
  return root;
}

/* Writes @contents to ROOT/class/drm/@card/device/@file (NULL contents: just
 * the folder). */
static void
write_file (const char *root,
            const char *card,
            const char *file,
            const char *contents)
{
  g_autofree char *dir = g_build_filename (root, "class", "drm", card, "device", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (file != NULL)
    {
      g_autofree char *path = g_build_filename (dir, file, NULL);

      g_file_set_contents (path, contents, -1, &error);
      g_assert_no_error (error);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
assert_gpu (GPtrArray  *gpus,
            guint       index,
            const char *name,
            const char *source,
            MmGpuKind   kind,
            guint64     memory)
{
  MmGpu *gpu;

  g_assert_cmpuint (index, <, gpus->len);
  gpu = g_ptr_array_index (gpus, index);
  g_assert_cmpstr (gpu->name, ==, name);
  g_assert_cmpstr (gpu->source, ==, source);
  g_assert_cmpint (gpu->kind, ==, kind);
  g_assert_cmpuint (gpu->memory, ==, memory);
}

static void
test_sysfs_missing (void)
{
  g_autofree char *root = make_root ();
  g_autofree char *nowhere = g_build_filename (root, "nowhere", NULL);
  g_autoptr(GPtrArray) gpus = NULL;
  g_autoptr(GPtrArray) empty_gpus = NULL;

  /* No /sys/class/drm at all: a computer without a GPU driver. */
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "No GPUs in sysfs: *");
  gpus = _mm_gpu_detect_sysfs (nowhere);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (gpus->len, ==, 0);

  /* An empty class/drm. */
  write_file (root, "card0", NULL, NULL);
  empty_gpus = _mm_gpu_detect_sysfs (root);
  g_assert_cmpuint (empty_gpus->len, ==, 0);

  remove_tree (root);
}

static void
test_sysfs_cards (void)
{
  g_autofree char *root = make_root ();
  g_autoptr(GPtrArray) gpus = NULL;

  /* An AMD card with 16 GiB of VRAM, and its connector beside it. */
  write_file (root, "card0", "vendor", "0x1002\n");
  write_file (root, "card0", "mem_info_vram_total", "17163091968\n");
  write_file (root, "card0", "mem_info_vis_vram_total", "268435456\n");
  write_file (root, "card0-DP-1", "vendor", "0x1002\n");
  write_file (root, "card0-DP-1", "mem_info_vram_total", "1\n");
  write_file (root, "renderD128", "vendor", "0x1002\n");
  write_file (root, "renderD128", "mem_info_vram_total", "1\n");
  /* Intel integrated graphics: no VRAM, uses the RAM. */
  write_file (root, "card1", "vendor", "0x8086\n");
  /* NVIDIA: left to NVML. */
  write_file (root, "card2", "vendor", "0x10de\n");
  write_file (root, "card2", "mem_info_vram_total", "8589934592\n");
  /* Nonsense, empty, zero, absurd: ignored. */
  write_file (root, "card3", "vendor", "0x1002\n");
  write_file (root, "card3", "mem_info_vram_total", "lots\n");
  write_file (root, "card4", "vendor", "0x1002\n");
  write_file (root, "card4", "mem_info_vram_total", "");
  write_file (root, "card5", "vendor", "0x1002\n");
  write_file (root, "card5", "mem_info_vram_total", "0\n");
  write_file (root, "card6", "vendor", "0x1002\n");
  write_file (root, "card6", "mem_info_vram_total", "99999999999999999999999\n");
  write_file (root, "card7", "vendor", "banana\n");
  write_file (root, "card7", "mem_info_vram_total", "8589934592\n");
  /* Only the visible VRAM stated, and a product name. */
  write_file (root, "card8", "vendor", "0x1002\n");
  write_file (root, "card8", "mem_info_vis_vram_total", "4294967296\n");
  write_file (root, "card8", "product_name", "Radeon RX 6500 XT\n");
  /* An unknown vendor stating its memory; sorted after card8. */
  write_file (root, "card10", "vendor", "0x1234\n");
  write_file (root, "card10", "mem_info_vram_total", "2147483648");
  /* A card without a vendor file. */
  write_file (root, "card11", NULL, NULL);

  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "card2: an NVIDIA GPU, left to NVML");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "Ignoring */card3/device/mem_info_vram_total: *");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "card3: vendor 0x1002 states no memory; ignored");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "Ignoring */card4/device/mem_info_vram_total: *");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "Ignoring */card5/device/mem_info_vram_total: *");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "Ignoring */card6/device/mem_info_vram_total: *");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "Ignoring */card7/device/vendor: *");
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "card11: no PCI vendor*");
  gpus = _mm_gpu_detect_sysfs (root);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (gpus->len, ==, 4);
  assert_gpu (gpus, 0, "AMD", "card0", MM_GPU_KIND_DEDICATED, G_GUINT64_CONSTANT (17163091968));
  assert_gpu (gpus, 1, "Intel", "card1", MM_GPU_KIND_UNIFIED, 0);
  assert_gpu (gpus, 2, "Radeon RX 6500 XT", "card8", MM_GPU_KIND_DEDICATED, 4 * GIB);
  assert_gpu (gpus, 3, "card10", "card10", MM_GPU_KIND_DEDICATED, 2 * GIB);

  remove_tree (root);
}

static char *
log_path (void)
{
  return g_build_filename (g_get_tmp_dir (), "mm-fake-nvml.log", NULL);
}

static char *
read_log (void)
{
  g_autofree char *path = log_path ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
nvml_setup (const char *gpus,
            const char *fail)
{
  g_autofree char *path = log_path ();

  g_unlink (path);
  g_setenv ("FAKE_NVML_LOG", path, TRUE);
  if (gpus != NULL)
    g_setenv ("FAKE_NVML_GPUS", gpus, TRUE);
  else
    g_unsetenv ("FAKE_NVML_GPUS");
  if (fail != NULL)
    g_setenv ("FAKE_NVML_FAIL", fail, TRUE);
  else
    g_unsetenv ("FAKE_NVML_FAIL");
}

static const char *
fake_nvml (void)
{
  const char *path = g_getenv ("MM_FAKE_NVML");

  g_assert_nonnull (path);
  return path;
}

static void
test_nvml_gpus (void)
{
  g_autoptr(GPtrArray) gpus = NULL;
  g_autofree char *log = NULL;

  nvml_setup ("NVIDIA GeForce RTX 4090=25757220864;NVIDIA RTX A2000=6442450944", NULL);
  gpus = _mm_gpu_detect_nvml (fake_nvml ());
  g_assert_cmpuint (gpus->len, ==, 2);
  assert_gpu (gpus, 0, "NVIDIA GeForce RTX 4090", "nvml0", MM_GPU_KIND_DEDICATED,
              G_GUINT64_CONSTANT (25757220864));
  assert_gpu (gpus, 1, "NVIDIA RTX A2000", "nvml1", MM_GPU_KIND_DEDICATED, 6 * GIB);

  /* Every init is matched by a shutdown. */
  log = read_log ();
  g_assert_cmpstr (log, ==, "init\nshutdown\n");
}

static void
test_nvml_failures (void)
{
  static const struct {
    const char *fail;
    const char *gpus;
    const char *debug;
    const char *log;
    guint found;
  } cases[] = {
    { "init", "A=8589934592", "nvmlInit_v2 failed (999)*", "", 0 },
    { "count", "A=8589934592", "nvmlDeviceGetCount_v2 failed (999)", "init\nshutdown\n", 0 },
    { "handle", "A=8589934592", "NVML GPU 0: no handle (999)", "init\nshutdown\n", 0 },
    { "memory", "A=8589934592", "NVML GPU 0: no memory information (999)",
      "init\nshutdown\n", 0 },
    { NULL, "A=0", "NVML GPU 0: ignoring a memory size of 0 bytes", "init\nshutdown\n", 0 },
    { NULL, "A=2251799813685248", "NVML GPU 0: ignoring a memory size of *",
      "init\nshutdown\n", 0 },
    { NULL, "", NULL, "init\nshutdown\n", 0 },
    /* Without its name the GPU is still counted. */
    { "name", "A=8589934592", NULL, "init\nshutdown\n", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) gpus = NULL;
      g_autofree char *log = NULL;

      g_test_message ("case %u: fail %s, GPUs %s", i, cases[i].fail, cases[i].gpus);
      nvml_setup (cases[i].gpus, cases[i].fail);
      if (cases[i].debug != NULL)
        g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, cases[i].debug);
      gpus = _mm_gpu_detect_nvml (fake_nvml ());
      g_test_assert_expected_messages ();
      g_assert_cmpuint (gpus->len, ==, cases[i].found);
      if (cases[i].found > 0)
        assert_gpu (gpus, 0, "NVIDIA", "nvml0", MM_GPU_KIND_DEDICATED, 8 * GIB);
      log = read_log ();
      g_assert_cmpstr (log, ==, cases[i].log);
    }
}

static void
test_nvml_missing (void)
{
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) not_nvml = NULL;
  g_autofree char *dir = g_path_get_dirname (fake_nvml ());
  g_autofree char *other = NULL;

  nvml_setup ("A=8589934592", NULL);
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "No NVML: *");
  none = _mm_gpu_detect_nvml ("/nonexistent/libnvidia-ml.so.1");
  g_test_assert_expected_messages ();
  g_assert_cmpuint (none->len, ==, 0);

  /* A library that is not NVML. */
  other = g_build_filename (dir, "libfake-nvml-empty.so", NULL);
  g_test_expect_message ("mm-gpu", G_LOG_LEVEL_DEBUG, "*lacks the NVML functions*");
  not_nvml = _mm_gpu_detect_nvml (other);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (not_nvml->len, ==, 0);
}

static void
test_detect_both (void)
{
  g_autofree char *root = make_root ();
  g_autoptr(GPtrArray) gpus = NULL;

  write_file (root, "card0", "vendor", "0x8086\n");
  write_file (root, "card1", "vendor", "0x10de\n");
  nvml_setup ("NVIDIA GeForce RTX 3060=12884901888", NULL);

  gpus = _mm_gpu_detect (root, fake_nvml ());
  g_assert_cmpuint (gpus->len, ==, 2);
  assert_gpu (gpus, 0, "NVIDIA GeForce RTX 3060", "nvml0", MM_GPU_KIND_DEDICATED, 12 * GIB);
  assert_gpu (gpus, 1, "Intel", "card0", MM_GPU_KIND_UNIFIED, 0);

  remove_tree (root);
}

static void
test_environment_override (void)
{
  g_autoptr(GPtrArray) dedicated = NULL;
  g_autoptr(GPtrArray) unified = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) junk = NULL;

  g_setenv ("MM_GPU_NAME", "Test Card", TRUE);
  g_setenv ("MM_GPU_MEMORY", "8589934592", TRUE);
  dedicated = mm_gpu_detect_default ();
  g_assert_cmpuint (dedicated->len, ==, 1);
  assert_gpu (dedicated, 0, "Test Card", "environment", MM_GPU_KIND_DEDICATED, 8 * GIB);

  g_setenv ("MM_GPU_MEMORY", "unified", TRUE);
  unified = mm_gpu_detect_default ();
  g_assert_cmpuint (unified->len, ==, 1);
  assert_gpu (unified, 0, "Test Card", "environment", MM_GPU_KIND_UNIFIED, 0);

  g_setenv ("MM_GPU_MEMORY", "0", TRUE);
  none = mm_gpu_detect_default ();
  g_assert_cmpuint (none->len, ==, 0);

  g_setenv ("MM_GPU_MEMORY", "twelve", TRUE);
  junk = mm_gpu_detect_default ();
  g_assert_cmpuint (junk->len, ==, 0);

  g_unsetenv ("MM_GPU_NAME");
  g_setenv ("MM_GPU_MEMORY", "0", TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mm/gpu/sysfs/missing", test_sysfs_missing);
  g_test_add_func ("/mm/gpu/sysfs/cards", test_sysfs_cards);
  g_test_add_func ("/mm/gpu/nvml/gpus", test_nvml_gpus);
  g_test_add_func ("/mm/gpu/nvml/failures", test_nvml_failures);
  g_test_add_func ("/mm/gpu/nvml/missing", test_nvml_missing);
  g_test_add_func ("/mm/gpu/detect/both", test_detect_both);
  g_test_add_func ("/mm/gpu/detect/environment", test_environment_override);

  return g_test_run ();
}
