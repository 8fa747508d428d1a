/* mm-use-with.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions on plain data; call them from any thread.
 */
#pragma once

#include <glib.h>

#include "mm-memory-estimate.h"

G_BEGIN_DECLS

/**
 * MmUseWithTool:
 * @MM_USE_WITH_LLAMA_SERVER: `llama-server -m PATH -c N` (llama.cpp)
 * @MM_USE_WITH_LLAMA_CLI: `llama-cli -m PATH -c N` (llama.cpp)
 * @MM_USE_WITH_OLLAMA: `ollama create NAME -f MODELFILE`, with a Modelfile
 *   holding `FROM PATH`
 * @MM_USE_WITH_LM_STUDIO: `lms import PATH`
 *
 * The tools that run a model, for which the app writes a command line.
 */
typedef enum {
  MM_USE_WITH_LLAMA_SERVER,
  MM_USE_WITH_LLAMA_CLI,
  MM_USE_WITH_OLLAMA,
  MM_USE_WITH_LM_STUDIO,
} MmUseWithTool;

/**
 * MmUseWithMachine:
 * @total_memory: bytes of memory that can hold the model (RAM today; a GPU's
 *   memory once known), 0 when unknown
 * @max_context: the longest context the user allows, 0 for no limit of
 *   their own
 *
 * What the context length is fitted to.
 */
typedef struct {
  guint64 total_memory;
  guint64 max_context;
} MmUseWithMachine;

#define MM_USE_WITH_MIN_CONTEXT 2048
#define MM_USE_WITH_MAX_CONTEXT 32768

void     mm_use_with_machine_init_default (MmUseWithMachine       *machine);
guint64  mm_use_with_fit_context          (const MmModelShape     *shape,
                                           guint64                 weights,
                                           const MmUseWithMachine *machine);

char    *mm_use_with_command              (MmUseWithTool           tool,
                                           const char             *model_path,
                                           guint64                 context,
                                           const char             *ollama_name,
                                           const char             *modelfile_path);
char    *mm_use_with_modelfile            (const char             *model_path,
                                           guint64                 context);
char    *mm_use_with_modelfile_path       (const char             *model_path);
char    *mm_use_with_ollama_name          (const char             *repo_id,
                                           const char             *model_path,
                                           const char             *quant);

G_END_DECLS
