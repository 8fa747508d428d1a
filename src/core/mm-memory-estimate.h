/* mm-memory-estimate.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: plain functions on plain data; call them from any thread.
 */
#pragma once

#include <glib-object.h>

#include "mm-gguf-info.h"
#include "mm-model.h"
#include "mm-types.h"

G_BEGIN_DECLS

/* The context the KV cache is counted for when the caller does not choose
 * one: llama.cpp's and most front ends' default. */
#define MM_MEMORY_ESTIMATE_DEFAULT_CONTEXT 4096

/**
 * MmModelShape:
 * @parameters: the parameter count, 0 when unknown
 * @context_length: the context the model was trained for, 0 when unknown
 * @layers: `<arch>.block_count`, 0 when unknown
 * @embedding_length: `<arch>.embedding_length`, 0 when unknown
 * @head_count: `<arch>.attention.head_count`, 0 when unknown
 * @head_count_kv: `<arch>.attention.head_count_kv`; 0 means the same as
 *   @head_count (no grouped-query attention), as llama.cpp reads it
 * @key_length: `<arch>.attention.key_length`, the size of one key head;
 *   0 means @embedding_length / @head_count
 * @value_length: `<arch>.attention.value_length`; 0 means as @key_length
 * @kv_heads_total: the KV heads of all layers added up, for a model whose
 *   heads differ from layer to layer (OpenELM); 0 means @layers ×
 *   @head_count_kv. @head_count is then the first layer's, which llama.cpp
 *   divides the embedding length by when @key_length is 0
 *
 * What the memory estimate needs to know about a model. Zero the struct and
 * fill in what is known.
 */
typedef struct {
  guint64 parameters;
  guint64 context_length;
  guint64 layers;
  guint64 embedding_length;
  guint64 head_count;
  guint64 head_count_kv;
  guint64 key_length;
  guint64 value_length;
  guint64 kv_heads_total;
} MmModelShape;

/**
 * MmKvCacheSource:
 * @MM_KV_CACHE_EXACT: computed from the model's layers and attention heads
 * @MM_KV_CACHE_APPROXIMATE: guessed from the parameter count
 * @MM_KV_CACHE_UNKNOWN: not counted: neither the shape nor the parameter
 *   count is known
 *
 * How the KV cache part of an estimate was found.
 */
typedef enum {
  MM_KV_CACHE_EXACT,
  MM_KV_CACHE_APPROXIMATE,
  MM_KV_CACHE_UNKNOWN,
} MmKvCacheSource;

/**
 * MmMachineMemory:
 * @ram: the computer's RAM in bytes, 0 when unknown
 * @ram_budget: the most RAM the person lets a model use, 0 for no limit
 * @gpu_kind: whether there is a GPU, and whether it has memory of its own
 * @gpu_memory: bytes of dedicated GPU memory (all dedicated GPUs together);
 *   0 without one or for a GPU that shares the RAM
 *
 * What a placement estimate is measured against.
 */
typedef struct {
  guint64 ram;
  guint64 ram_budget;
  MmGpuKind gpu_kind;
  guint64 gpu_memory;
} MmMachineMemory;

/**
 * MmMemoryEstimate:
 * @weights: bytes of weights (the files' size)
 * @kv_cache: bytes of KV cache for @context tokens, 0 when unknown
 * @runtime: bytes the runtime needs besides (compute buffers, itself)
 * @total: @weights + @kv_cache + @runtime, saturated at %G_MAXUINT64
 * @context: the tokens the KV cache is counted for
 * @total_memory: this machine's memory, 0 when unknown
 * @kv_source: how @kv_cache was found
 * @fit: @total against @total_memory, see mm_memory_estimate_classify()
 * @placement: where it runs; %MM_PLACEMENT_UNKNOWN unless the estimate was
 *   made with mm_memory_estimate_new_for_machine()
 * @headroom: whether it runs with memory to spare (the RAM part within
 *   70% of the RAM or the budget, a whole-GPU model within 80% of the GPU
 *   memory): what a recommendation asks
 * @ram_limit: the most RAM a model may use here: 90% of the RAM, or the
 *   budget when that is less
 * @gpu_limit: the most GPU memory a model may use: 90% of it
 * @gpu_kind: the GPU the estimate was made for
 * @layers: the model's layers (blocks), 0 when unknown
 * @gpu_layers: how many of them run on the GPU (a partial placement with
 *   unknown layers has 0 here and @gpu_bytes says how much)
 * @gpu_bytes: bytes in GPU memory (a share of the runtime included)
 * @ram_bytes: bytes in RAM (for a GPU that shares the RAM: everything)
 *
 * How much memory running a model needs, and whether this machine has it.
 */
typedef struct {
  guint64 weights;
  guint64 kv_cache;
  guint64 runtime;
  guint64 total;
  guint64 context;
  guint64 total_memory;
  MmKvCacheSource kv_source;
  MmFit fit;
  MmPlacement placement;
  gboolean headroom;
  guint64 ram_limit;
  guint64 gpu_limit;
  MmGpuKind gpu_kind;
  guint64 gpu_memory;
  guint64 layers;
  guint64 gpu_layers;
  guint64 gpu_bytes;
  guint64 ram_bytes;
} MmMemoryEstimate;

#define MM_TYPE_MEMORY_ESTIMATE (mm_memory_estimate_get_type ())

GType             mm_memory_estimate_get_type        (void) G_GNUC_CONST;

void              mm_model_shape_init_from_gguf      (MmModelShape           *shape,
                                                      MmGgufInfo             *info);
void              mm_model_shape_init_from_model     (MmModelShape           *shape,
                                                      MmModel                *model);

MmFit             mm_memory_estimate_classify        (guint64                 needed,
                                                      guint64                 total_memory);

MmMemoryEstimate *mm_memory_estimate_new             (guint64                 weights,
                                                      const MmModelShape     *shape,
                                                      guint64                 context,
                                                      guint64                 total_memory);
MmMemoryEstimate *mm_memory_estimate_new_for_machine (guint64            weights,
                                                      const MmModelShape     *shape,
                                                      guint64                 context,
                                                      const MmMachineMemory  *machine);
MmMemoryEstimate *mm_memory_estimate_copy            (const MmMemoryEstimate *self);
void              mm_memory_estimate_free            (MmMemoryEstimate       *self);
char             *mm_memory_estimate_dup_summary     (const MmMemoryEstimate *self);
char             *mm_memory_estimate_dup_placement_label (const MmMemoryEstimate *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmMemoryEstimate, mm_memory_estimate_free)

G_END_DECLS
