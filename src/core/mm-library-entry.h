/* mm-library-entry.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: an MmLibraryEntry belongs to the thread of its MmLibrary (the
 * thread whose thread-default main context was current when the library
 * was made); call it there. Its GGUF facts are read and its files hashed
 * and moved in worker threads; the results and notifications arrive there.
 */
#pragma once

#include <gio/gio.h>

#include "mm-gguf-info.h"
#include "mm-hub-client.h"
#include "mm-library-trash.h"
#include "mm-machine.h"
#include "mm-memory-estimate.h"
#include "mm-types.h"

G_BEGIN_DECLS

/**
 * MmLibraryInfoState:
 * @MM_LIBRARY_INFO_STATE_NONE: the GGUF header has not been read yet
 * @MM_LIBRARY_INFO_STATE_LOADING: the header is being read
 * @MM_LIBRARY_INFO_STATE_LOADED: the facts are known (see :info)
 * @MM_LIBRARY_INFO_STATE_FAILED: the header could not be read (see
 *   mm_library_entry_get_info_error())
 */
typedef enum {
  MM_LIBRARY_INFO_STATE_NONE,
  MM_LIBRARY_INFO_STATE_LOADING,
  MM_LIBRARY_INFO_STATE_LOADED,
  MM_LIBRARY_INFO_STATE_FAILED,
} MmLibraryInfoState;

#define MM_TYPE_LIBRARY_INFO_STATE (mm_library_info_state_get_type ())
GType mm_library_info_state_get_type (void) G_GNUC_CONST;

/**
 * MmLibraryVerifyResult:
 * @MM_LIBRARY_VERIFY_MATCH: every file hashes to the SHA-256 recorded for it
 * @MM_LIBRARY_VERIFY_MISMATCH: at least one file differs from its record
 *   (its size or its SHA-256): it is damaged or was changed
 * @MM_LIBRARY_VERIFY_UNKNOWN: no file differs, but at least one has no
 *   recorded SHA-256 (it was not downloaded by us, or the record is gone)
 */
typedef enum {
  MM_LIBRARY_VERIFY_MATCH,
  MM_LIBRARY_VERIFY_MISMATCH,
  MM_LIBRARY_VERIFY_UNKNOWN,
} MmLibraryVerifyResult;

/**
 * MmLibraryVerifySource:
 * @MM_LIBRARY_VERIFY_SOURCE_NONE: nothing to compare with was found
 * @MM_LIBRARY_VERIFY_SOURCE_RECORD: the SHA-256 recorded when the files
 *   were downloaded
 * @MM_LIBRARY_VERIFY_SOURCE_HUB: the SHA-256 the Hub lists for the files
 *
 * What mm_library_entry_verify_with_hub_async() compared the files with.
 */
typedef enum {
  MM_LIBRARY_VERIFY_SOURCE_NONE,
  MM_LIBRARY_VERIFY_SOURCE_RECORD,
  MM_LIBRARY_VERIFY_SOURCE_HUB,
} MmLibraryVerifySource;

/**
 * MmLibraryFile:
 * @path: the absolute path
 * @relative_path: the path inside the entry's folder ("Q4_K_M/x-00001-of-00002.gguf")
 * @size: bytes
 * @modified: the modification time, in seconds since the epoch
 *
 * One file on disk of a library entry.
 */
typedef struct {
  char *path;
  char *relative_path;
  guint64 size;
  gint64 modified;
} MmLibraryFile;

#define MM_TYPE_LIBRARY_FILE (mm_library_file_get_type ())
GType          mm_library_file_get_type (void) G_GNUC_CONST;
MmLibraryFile *mm_library_file_copy     (const MmLibraryFile *file);
void           mm_library_file_free     (MmLibraryFile       *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmLibraryFile, mm_library_file_free)

#define MM_TYPE_LIBRARY_ENTRY (mm_library_entry_get_type ())

G_DECLARE_FINAL_TYPE (MmLibraryEntry, mm_library_entry, MM, LIBRARY_ENTRY, GObject)

const char          *mm_library_entry_get_repo_id        (MmLibraryEntry       *self);
const char          *mm_library_entry_get_name           (MmLibraryEntry       *self);
const char          *mm_library_entry_get_folder         (MmLibraryEntry       *self);
const char          *mm_library_entry_get_root           (MmLibraryEntry       *self);
const char          *mm_library_entry_get_quant          (MmLibraryEntry       *self);
const char          *mm_library_entry_get_label          (MmLibraryEntry       *self);
MmQuantKind          mm_library_entry_get_kind           (MmLibraryEntry       *self);
guint                mm_library_entry_get_n_files        (MmLibraryEntry       *self);
const MmLibraryFile *mm_library_entry_get_file           (MmLibraryEntry       *self,
                                                          guint                 index);
guint64              mm_library_entry_get_size           (MmLibraryEntry       *self);
GDateTime           *mm_library_entry_get_modified       (MmLibraryEntry       *self);
gboolean             mm_library_entry_get_is_split       (MmLibraryEntry       *self);
guint                mm_library_entry_get_split_count    (MmLibraryEntry       *self);
gboolean             mm_library_entry_get_is_complete    (MmLibraryEntry       *self);
gboolean             mm_library_entry_get_in_hf_cache    (MmLibraryEntry       *self);
const char          *mm_library_entry_get_problem        (MmLibraryEntry       *self);

MmLibraryInfoState   mm_library_entry_get_info_state     (MmLibraryEntry       *self);
MmGgufInfo          *mm_library_entry_get_info           (MmLibraryEntry       *self);
const GError        *mm_library_entry_get_info_error     (MmLibraryEntry       *self);
const char          *mm_library_entry_get_architecture   (MmLibraryEntry       *self);
guint64              mm_library_entry_get_parameters     (MmLibraryEntry       *self);
guint64              mm_library_entry_get_context_length (MmLibraryEntry       *self);
void                 mm_library_entry_ensure_info        (MmLibraryEntry       *self);
void                 mm_library_entry_load_info_async    (MmLibraryEntry       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MmGgufInfo          *mm_library_entry_load_info_finish   (MmLibraryEntry       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

MmMemoryEstimate    *mm_library_entry_estimate_memory    (MmLibraryEntry       *self,
                                                          guint64               context,
                                                          guint64               total_memory);
MmMemoryEstimate    *mm_library_entry_estimate_for_machine (MmLibraryEntry     *self,
                                                          MmMachine            *machine);

void                 mm_library_entry_trash_async        (MmLibraryEntry       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MmLibraryTrash      *mm_library_entry_trash_finish       (MmLibraryEntry       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void                 mm_library_entry_verify_with_hub_async (MmLibraryEntry    *self,
                                                          MmHubClient          *client,
                                                          const char           *state_file,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MmLibraryVerifyResult mm_library_entry_verify_with_hub_finish (MmLibraryEntry  *self,
                                                          GAsyncResult         *result,
                                                          MmLibraryVerifySource *source,
                                                          GError              **error);

G_END_DECLS
