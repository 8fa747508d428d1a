/* fake-nvml.c: a stand-in for libnvidia-ml.so.1, for test-gpu
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports the six NVML functions mm-gpu.c calls, with NVML's signatures.
 * The test says what to answer through the environment:
 *
 *   FAKE_NVML_GPUS  "name=bytes;name=bytes": the GPUs (empty: none)
 *   FAKE_NVML_FAIL  "init", "count", "handle", "memory" or "name": that call
 *                   fails (returns 999)
 *   FAKE_NVML_LOG   a file to which "init" and "shutdown" are appended
 *
 * Built with FAKE_NVML_NO_SYMBOLS it exports none of them, as a library
 * that is not NVML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_NVML_NO_SYMBOLS

#define EXPORT __attribute__ ((visibility ("default")))
#define MAX_GPUS 8

typedef struct {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} FakeMemory;

typedef struct {
  char name[64];
  unsigned long long memory;
} FakeGpu;

EXPORT int nvmlInit_v2 (void);
EXPORT int nvmlShutdown (void);
EXPORT int nvmlDeviceGetCount_v2 (unsigned int *count);
EXPORT int nvmlDeviceGetHandleByIndex_v2 (unsigned int index, void **device);
EXPORT int nvmlDeviceGetMemoryInfo (void *device, FakeMemory *memory);
EXPORT int nvmlDeviceGetName (void *device, char *name, unsigned int length);

static FakeGpu gpus[MAX_GPUS];
static unsigned int n_gpus;

static int
fails (const char *call)
{
  const char *fail = getenv ("FAKE_NVML_FAIL");

  return fail != NULL && strcmp (fail, call) == 0;
}

static void
log_call (const char *call)
{
  const char *path = getenv ("FAKE_NVML_LOG");
  FILE *file;

  if (path == NULL || (file = fopen (path, "a")) == NULL)
    return;
  fprintf (file, "%s\n", call);
  fclose (file);
}

static void
parse_gpus (void)
{
  const char *spec = getenv ("FAKE_NVML_GPUS");
  char buffer[512];
  char *save = NULL;

  n_gpus = 0;
  if (spec == NULL)
    return;
  snprintf (buffer, sizeof buffer, "%s", spec);
  for (char *item = strtok_r (buffer, ";", &save); item != NULL && n_gpus < MAX_GPUS;
       item = strtok_r (NULL, ";", &save))
    {
      char *equals = strchr (item, '=');

      if (equals == NULL)
        continue;
      *equals = '\0';
      snprintf (gpus[n_gpus].name, sizeof gpus[n_gpus].name, "%s", item);
      gpus[n_gpus].memory = strtoull (equals + 1, NULL, 10);
      n_gpus++;
    }
}

EXPORT int
nvmlInit_v2 (void)
{
  if (fails ("init"))
    return 999;
  log_call ("init");
  parse_gpus ();
  return 0;
}

EXPORT int
nvmlShutdown (void)
{
  log_call ("shutdown");
  return 0;
}

EXPORT int
nvmlDeviceGetCount_v2 (unsigned int *count)
{
  if (fails ("count"))
    return 999;
  *count = n_gpus;
  return 0;
}

EXPORT int
nvmlDeviceGetHandleByIndex_v2 (unsigned int   index,
                               void         **device)
{
  if (fails ("handle") || index >= n_gpus)
    return 999;
  *device = &gpus[index];
  return 0;
}

EXPORT int
nvmlDeviceGetMemoryInfo (void       *device,
                         FakeMemory *memory)
{
  FakeGpu *gpu = device;

  if (fails ("memory"))
    return 999;
  memory->total = gpu->memory;
  memory->used = gpu->memory / 4;
  memory->free = gpu->memory - memory->used;
  return 0;
}

EXPORT int
nvmlDeviceGetName (void         *device,
                   char         *name,
                   unsigned int  length)
{
  FakeGpu *gpu = device;

  if (fails ("name"))
    return 999;
  snprintf (name, length, "%s", gpu->name);
  return 0;
}

#else

int fake_nvml_nothing_here (void);

int
fake_nvml_nothing_here (void)
{
  return 0;
}

#endif
