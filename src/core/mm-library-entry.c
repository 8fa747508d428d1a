/* mm-library-entry.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model on disk: a GGUF file, or all the parts of a split set, in one
 * folder of the library. What follows from the file names (repository,
 * quantization, sizes, dates) is known when the library makes the entry in
 * its scanning thread; what the GGUF header says (architecture, parameters,
 * context length) is read only when someone asks, in the reader's thread,
 * and kept. A split set's parameter count is the sum of its parts', so
 * every part's header is read; the other facts come from the first part,
 * which holds all the metadata.
 */
#define G_LOG_DOMAIN "mm-library-entry"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mm-download-store.h"
#include "mm-file-hash.h"
#include "mm-gguf-reader.h"
#include "mm-hf-cache.h"
#include "mm-library-entry-private.h"
#include "mm-quant.h"
#include "mm-reuse-index.h"
#include "mm-update-checker.h"

#define HASH_CHUNK (1024 * 1024)

struct _MmLibraryEntry
{
  GObject parent_instance;

  char *root;
  char *folder;
  char *repo_id;            /* (nullable) */
  char *name;
  char *group;              /* identifies the entry inside @folder */
  char *sort_name;          /* @name, case-folded */
  char *quant;              /* (nullable) */
  char *label;
  GPtrArray *files;         /* (element-type MmLibraryFile), by part */
  guint64 size;
  gint64 modified;
  guint split_count;
  gboolean is_complete;
  gboolean in_hf_cache;
  char *problem;            /* (nullable): what is wrong with it, in the cache */
  MmQuantKind kind;

  MmLibraryInfoState info_state;
  MmGgufInfo *info;         /* (nullable) */
  GError *info_error;       /* (nullable) */
  guint64 parameters;       /* summed over the parts */
  GCancellable *info_cancellable;
  GPtrArray *info_waiters;  /* (element-type GTask) */
  guint info_next;          /* the part being read */
};

G_DEFINE_FINAL_TYPE (MmLibraryEntry, mm_library_entry, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (MmLibraryFile, mm_library_file, mm_library_file_copy, mm_library_file_free)

typedef enum {
  PROP_0,
  PROP_REPO_ID,
  PROP_NAME,
  PROP_FOLDER,
  PROP_QUANT,
  PROP_LABEL,
  PROP_SIZE,
  PROP_MODIFIED,
  PROP_N_FILES,
  PROP_IS_SPLIT,
  PROP_IS_COMPLETE,
  PROP_INFO_STATE,
  PROP_ARCHITECTURE,
  PROP_PARAMETERS,
  PROP_CONTEXT_LENGTH,
  PROP_IN_HF_CACHE,
  PROP_PROBLEM,
  N_PROPS,
} MmLibraryEntryProperty;

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (MmLibraryInfoState, mm_library_info_state,
                    G_DEFINE_ENUM_VALUE (MM_LIBRARY_INFO_STATE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (MM_LIBRARY_INFO_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (MM_LIBRARY_INFO_STATE_LOADED, "loaded"),
                    G_DEFINE_ENUM_VALUE (MM_LIBRARY_INFO_STATE_FAILED, "failed"))

MmLibraryFile *
mm_library_file_copy (const MmLibraryFile *file)
{
  MmLibraryFile *copy;

  g_return_val_if_fail (file != NULL, NULL);

  copy = g_new0 (MmLibraryFile, 1);
  copy->path = g_strdup (file->path);
  copy->relative_path = g_strdup (file->relative_path);
  copy->size = file->size;
  copy->modified = file->modified;
  return copy;
}

void
mm_library_file_free (MmLibraryFile *file)
{
  if (file == NULL)
    return;

  g_free (file->path);
  g_free (file->relative_path);
  g_free (file);
}

static guint
file_part (const MmLibraryFile *file)
{
  guint part = 0;

  if (!mm_gguf_name_parse_split (file->relative_path, NULL, &part, NULL))
    return 0;
  return part;
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  const MmLibraryFile *fa = *(MmLibraryFile * const *) a;
  const MmLibraryFile *fb = *(MmLibraryFile * const *) b;
  guint pa = file_part (fa);
  guint pb = file_part (fb);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return strcmp (fa->relative_path, fb->relative_path);
}

/* "dir/model-Q4_K_M-00001-of-00002.gguf" → "model-Q4_K_M" */
static char *
file_stem (const char *relative_path)
{
  g_autofree char *prefix = NULL;
  g_autofree char *base = NULL;

  if (mm_gguf_name_parse_split (relative_path, &prefix, NULL, NULL))
    return g_path_get_basename (prefix);

  base = g_path_get_basename (relative_path);
  if (g_str_has_suffix (base, ".gguf") || g_str_has_suffix (base, ".GGUF"))
    base[strlen (base) - 5] = '\0';
  return g_steal_pointer (&base);
}

static void
notify_info (MmLibraryEntry *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARCHITECTURE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMETERS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT_LENGTH]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
mm_library_entry_dispose (GObject *object)
{
  MmLibraryEntry *self = MM_LIBRARY_ENTRY (object);

  g_cancellable_cancel (self->info_cancellable);

  G_OBJECT_CLASS (mm_library_entry_parent_class)->dispose (object);
}

static void
mm_library_entry_finalize (GObject *object)
{
  MmLibraryEntry *self = MM_LIBRARY_ENTRY (object);

  g_free (self->root);
  g_free (self->folder);
  g_free (self->repo_id);
  g_free (self->name);
  g_free (self->group);
  g_free (self->sort_name);
  g_free (self->quant);
  g_free (self->label);
  g_free (self->problem);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_object (&self->info);
  g_clear_error (&self->info_error);
  g_clear_object (&self->info_cancellable);
  g_clear_pointer (&self->info_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_library_entry_parent_class)->finalize (object);
}

static void
mm_library_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MmLibraryEntry *self = MM_LIBRARY_ENTRY (object);

  switch ((MmLibraryEntryProperty) prop_id)
    {
    case PROP_REPO_ID:
      g_value_set_string (value, self->repo_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    case PROP_QUANT:
      g_value_set_string (value, self->quant);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_MODIFIED:
      g_value_take_boxed (value, mm_library_entry_get_modified (self));
      break;
    case PROP_N_FILES:
      g_value_set_uint (value, self->files->len);
      break;
    case PROP_IS_SPLIT:
      g_value_set_boolean (value, mm_library_entry_get_is_split (self));
      break;
    case PROP_IS_COMPLETE:
      g_value_set_boolean (value, self->is_complete);
      break;
    case PROP_INFO_STATE:
      g_value_set_enum (value, self->info_state);
      break;
    case PROP_ARCHITECTURE:
      g_value_set_string (value, mm_library_entry_get_architecture (self));
      break;
    case PROP_PARAMETERS:
      g_value_set_uint64 (value, mm_library_entry_get_parameters (self));
      break;
    case PROP_CONTEXT_LENGTH:
      g_value_set_uint64 (value, mm_library_entry_get_context_length (self));
      break;
    case PROP_IN_HF_CACHE:
      g_value_set_boolean (value, self->in_hf_cache);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_entry_class_init (MmLibraryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_library_entry_dispose;
  object_class->finalize = mm_library_entry_finalize;
  object_class->get_property = mm_library_entry_get_property;

  /** MmLibraryEntry:repo-id: `owner/name` for a model in an `owner/name` folder, else %NULL */
  properties[PROP_REPO_ID] =
    g_param_spec_string ("repo-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:name: the repo id, or the name of the folder the file is in */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:folder: the absolute path of the repo's or loose file's folder */
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:quant: the quantization from the file name ("Q4_K_M"), or %NULL */
  properties[PROP_QUANT] =
    g_param_spec_string ("quant", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:label: the quantization, or the file's name without ".gguf" */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:size: bytes of all files */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:modified: the newest modification time of the files */
  properties[PROP_MODIFIED] =
    g_param_spec_boxed ("modified", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:n-files: how many files are on disk */
  properties[PROP_N_FILES] =
    g_param_spec_uint ("n-files", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:is-split: whether this is a split set ("-00001-of-00003") */
  properties[PROP_IS_SPLIT] =
    g_param_spec_boolean ("is-split", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:is-complete: whether every part of a split set is there */
  properties[PROP_IS_COMPLETE] =
    g_param_spec_boolean ("is-complete", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:info-state: whether the GGUF facts are known yet */
  properties[PROP_INFO_STATE] =
    g_param_spec_enum ("info-state", NULL, NULL, MM_TYPE_LIBRARY_INFO_STATE,
                       MM_LIBRARY_INFO_STATE_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:architecture: `general.architecture`, %NULL until read */
  properties[PROP_ARCHITECTURE] =
    g_param_spec_string ("architecture", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:parameters: the parameters of all parts, 0 until read */
  properties[PROP_PARAMETERS] =
    g_param_spec_uint64 ("parameters", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:context-length: the trained context in tokens, 0 until read */
  properties[PROP_CONTEXT_LENGTH] =
    g_param_spec_uint64 ("context-length", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:in-hf-cache: whether it lives in the Hugging Face cache */
  properties[PROP_IN_HF_CACHE] =
    g_param_spec_boolean ("in-hf-cache", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmLibraryEntry:problem: what is wrong with its files in the cache, or %NULL */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_library_entry_init (MmLibraryEntry *self)
{
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_library_file_free);
  self->info_cancellable = g_cancellable_new ();
  self->info_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->is_complete = TRUE;
}

/*
 * _mm_library_entry_new:
 * @root: the library folder it was found in
 * @folder: the repo's folder, or the loose file's folder
 * @repo_id: (nullable): `owner/name` when @folder is a repo's
 * @group: what sets the entry apart inside @folder
 * @files: (transfer container) (element-type MmLibraryFile): its files
 * @split_count: the parts of the set, or 0 for a single file
 *
 * Safe to call from any thread: the entry is not shared yet.
 */
MmLibraryEntry *
_mm_library_entry_new (const char *root,
                       const char *folder,
                       const char *repo_id,
                       const char *group,
                       GPtrArray  *files,
                       guint       split_count)
{
  MmLibraryEntry *self;
  const MmLibraryFile *first;
  g_autofree char *casefold = NULL;

  g_return_val_if_fail (files != NULL && files->len > 0, NULL);

  self = g_object_new (MM_TYPE_LIBRARY_ENTRY, NULL);
  self->root = g_strdup (root);
  self->folder = g_strdup (folder);
  self->repo_id = g_strdup (repo_id);
  self->name = repo_id != NULL ? g_strdup (repo_id) : g_path_get_basename (folder);
  casefold = g_utf8_casefold (self->name, -1);
  self->sort_name = g_utf8_collate_key_for_filename (casefold, -1);
  self->group = g_strdup (group);
  self->split_count = split_count;

  g_ptr_array_extend_and_steal (self->files, files);
  g_ptr_array_sort (self->files, compare_files);
  first = g_ptr_array_index (self->files, 0);

  for (guint i = 0; i < self->files->len; i++)
    {
      const MmLibraryFile *file = g_ptr_array_index (self->files, i);

      if (!g_uint64_checked_add (&self->size, self->size, file->size))
        self->size = G_MAXUINT64;
      self->modified = MAX (self->modified, file->modified);
    }

  if (split_count > 1)
    {
      guint distinct = 0;
      guint last = 0;

      for (guint i = 0; i < self->files->len; i++)
        {
          guint part = file_part (g_ptr_array_index (self->files, i));

          if (part != last)
            distinct++;
          last = part;
        }
      self->is_complete = distinct == split_count && file_part (first) == 1;
    }

  self->kind = mm_gguf_name_is_projector (first->relative_path) ? MM_QUANT_KIND_PROJECTOR
                                                                : MM_QUANT_KIND_MODEL;
  self->quant = mm_gguf_name_parse_quant (first->relative_path);
  self->label = self->quant != NULL ? g_strdup (self->quant) : file_stem (first->relative_path);

  return self;
}

/* Sorted by name (case-insensitively, numbers by value), then folder, then
 * quantization: all the entries of a repo are next to each other. Two
 * entries compare equal only when they are the same model on disk. */
int
_mm_library_entry_compare (MmLibraryEntry *a,
                           MmLibraryEntry *b)
{
  int ret;

  if ((ret = strcmp (a->sort_name, b->sort_name)) != 0)
    return ret;
  if ((ret = strcmp (a->name, b->name)) != 0)
    return ret;
  if ((ret = strcmp (a->folder, b->folder)) != 0)
    return ret;
  if ((ret = g_ascii_strcasecmp (a->label, b->label)) != 0)
    return ret;
  if ((ret = strcmp (a->label, b->label)) != 0)
    return ret;
  return strcmp (a->group, b->group);
}

/* Whether two entries for the same model have the same files, unchanged. */
gboolean
_mm_library_entry_same_files (MmLibraryEntry *a,
                              MmLibraryEntry *b)
{
  if (a->files->len != b->files->len || g_strcmp0 (a->root, b->root) != 0)
    return FALSE;

  for (guint i = 0; i < a->files->len; i++)
    {
      const MmLibraryFile *fa = g_ptr_array_index (a->files, i);
      const MmLibraryFile *fb = g_ptr_array_index (b->files, i);

      if (!g_str_equal (fa->path, fb->path) || fa->size != fb->size ||
          fa->modified != fb->modified)
        return FALSE;
    }

  return TRUE;
}

/*
 * _mm_library_entry_set_in_hf_cache:
 * @problem: (nullable): what is wrong with the files, for a person
 *
 * Marks a new entry as one of the Hugging Face cache (its root is the
 * cache, its folder a snapshot). Safe to call from the thread that made it,
 * before it is shared.
 */
void
_mm_library_entry_set_in_hf_cache (MmLibraryEntry *self,
                                   const char     *problem)
{
  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));

  self->in_hf_cache = TRUE;
  g_free (self->problem);
  self->problem = g_strdup (problem);
}

/**
 * mm_library_entry_get_in_hf_cache:
 *
 * Returns: whether the files are in the Hugging Face cache (their paths are
 *   a snapshot's links into its blobs)
 */
gboolean
mm_library_entry_get_in_hf_cache (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), FALSE);

  return self->in_hf_cache;
}

/**
 * mm_library_entry_get_problem:
 *
 * Returns: (nullable): what is wrong with the files in the Hugging Face
 *   cache (a link to a missing blob, an empty or cut-short blob, a folder
 *   that cannot be read), as a sentence for a person; %NULL when nothing is
 */
const char *
mm_library_entry_get_problem (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->problem;
}

/**
 * mm_library_entry_get_repo_id:
 *
 * Returns: (nullable): `owner/name` when the files are in an `owner/name`
 *   folder of the library (as the download manager and LM Studio put
 *   them), or %NULL for a loose file
 */
const char *
mm_library_entry_get_repo_id (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->repo_id;
}

/**
 * mm_library_entry_get_name:
 *
 * Returns: the repo id, or the name of a loose file's folder: what the
 *   entries are grouped by
 */
const char *
mm_library_entry_get_name (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->name;
}

/**
 * mm_library_entry_get_folder:
 *
 * Returns: the absolute path of the repo's folder, or of the loose file's
 *   folder (to open in a file manager)
 */
const char *
mm_library_entry_get_folder (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->folder;
}

/**
 * mm_library_entry_get_root:
 *
 * Returns: the library folder the entry was found in
 */
const char *
mm_library_entry_get_root (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->root;
}

/**
 * mm_library_entry_get_quant:
 *
 * Returns: (nullable): the quantization the file name carries ("Q4_K_M"),
 *   see mm_gguf_name_parse_quant()
 */
const char *
mm_library_entry_get_quant (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->quant;
}

/**
 * mm_library_entry_get_label:
 *
 * Returns: the quantization, or the file's name without ".gguf" and the
 *   part suffix when the name carries none
 */
const char *
mm_library_entry_get_label (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->label;
}

/**
 * mm_library_entry_get_kind:
 *
 * Returns: whether this is a model or a vision projector (`mmproj`)
 */
MmQuantKind
mm_library_entry_get_kind (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), MM_QUANT_KIND_MODEL);

  return self->kind;
}

guint
mm_library_entry_get_n_files (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), 0);

  return self->files->len;
}

/**
 * mm_library_entry_get_file:
 * @index: less than mm_library_entry_get_n_files(); parts come in order
 *
 * Returns: (transfer none): the file
 */
const MmLibraryFile *
mm_library_entry_get_file (MmLibraryEntry *self,
                           guint           index)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);
  g_return_val_if_fail (index < self->files->len, NULL);

  return g_ptr_array_index (self->files, index);
}

guint64
mm_library_entry_get_size (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), 0);

  return self->size;
}

/**
 * mm_library_entry_get_modified:
 *
 * Returns: (transfer full): the newest modification time of the files, in
 *   local time
 */
GDateTime *
mm_library_entry_get_modified (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return g_date_time_new_from_unix_local (self->modified);
}

gboolean
mm_library_entry_get_is_split (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), FALSE);

  return self->split_count > 1;
}

/**
 * mm_library_entry_get_split_count:
 *
 * Returns: the parts the set's names announce, or 0 for a single file
 */
guint
mm_library_entry_get_split_count (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), 0);

  return self->split_count;
}

/**
 * mm_library_entry_get_is_complete:
 *
 * Returns: %FALSE when parts of a split set are missing
 */
gboolean
mm_library_entry_get_is_complete (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), FALSE);

  return self->is_complete;
}

MmLibraryInfoState
mm_library_entry_get_info_state (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), MM_LIBRARY_INFO_STATE_NONE);

  return self->info_state;
}

/**
 * mm_library_entry_get_info:
 *
 * Returns: (transfer none) (nullable): the first file's GGUF header, once read
 */
MmGgufInfo *
mm_library_entry_get_info (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->info;
}

/**
 * mm_library_entry_get_info_error:
 *
 * Returns: (nullable): why the header could not be read
 */
const GError *
mm_library_entry_get_info_error (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->info_error;
}

/**
 * mm_library_entry_get_architecture:
 *
 * Returns: (nullable): `general.architecture`, %NULL until read
 */
const char *
mm_library_entry_get_architecture (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  return self->info != NULL ? mm_gguf_info_get_architecture (self->info) : NULL;
}

/**
 * mm_library_entry_get_parameters:
 *
 * Returns: the parameter count of all parts, 0 until read
 */
guint64
mm_library_entry_get_parameters (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), 0);

  return self->info != NULL ? self->parameters : 0;
}

/**
 * mm_library_entry_get_context_length:
 *
 * Returns: the context the model was trained for, 0 until read or unknown
 */
guint64
mm_library_entry_get_context_length (MmLibraryEntry *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), 0);

  return self->info != NULL ? mm_gguf_info_get_context_length (self->info) : 0;
}

static void read_next_part (MmLibraryEntry *self);

/* A cache blob shorter than its own header says (its tensors end past
 * its last byte) is the wrong size: cut short, or another file's. */
static void
check_blob_size (MmLibraryEntry *self)
{
  const MmLibraryFile *first = g_ptr_array_index (self->files, 0);
  guint64 end = 0;

  if (!self->in_hf_cache || self->info == NULL || self->problem != NULL ||
      mm_gguf_info_get_n_tensor_infos (self->info) == 0)
    return;

  for (guint i = 0; i < mm_gguf_info_get_n_tensor_infos (self->info); i++)
    {
      const MmGgufTensorInfo *tensor = mm_gguf_info_get_tensor_info (self->info, i);

      end = MAX (end, tensor->offset);
    }
  if (!g_uint64_checked_add (&end, end, mm_gguf_info_get_tensor_data_offset (self->info)) ||
      end >= first->size)
    {
      self->problem = g_strdup (_("Its file in the cache is shorter than the model it holds: "
                                  "it is cut short or is not the right file."));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
}

static void
finish_info (MmLibraryEntry *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->info_waiters);

  check_blob_size (self);
  self->info_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (self->info != NULL)
        g_task_return_pointer (task, g_object_ref (self->info), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (self->info_error));
    }

  notify_info (self);
}

static void
read_part_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MmLibraryEntry) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MmGgufInfo) info = NULL;

  info = mm_gguf_reader_read_file_finish (result, &error);
  if (info == NULL)
    {
      const MmLibraryFile *file = g_ptr_array_index (self->files, self->info_next);
      g_autofree char *name = g_path_get_basename (file->path);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: %s is a file name */
        g_prefix_error (&error, _("“%s” could not be read: "), name);
      self->info_state = MM_LIBRARY_INFO_STATE_FAILED;
      self->info_error = g_steal_pointer (&error);
      self->parameters = 0;
      g_clear_object (&self->info);
      finish_info (self);
      return;
    }

  if (self->info_next == 0)
    g_set_object (&self->info, info);
  if (!g_uint64_checked_add (&self->parameters, self->parameters,
                             mm_gguf_info_get_parameter_count (info)))
    self->parameters = G_MAXUINT64;

  self->info_next++;
  if (self->info_next < self->files->len)
    {
      read_next_part (self);
      return;
    }

  self->info_state = MM_LIBRARY_INFO_STATE_LOADED;
  finish_info (self);
}

static void
read_next_part (MmLibraryEntry *self)
{
  const MmLibraryFile *file = g_ptr_array_index (self->files, self->info_next);
  g_autoptr(GFile) gfile = g_file_new_for_path (file->path);

  mm_gguf_reader_read_file_async (gfile, self->info_cancellable, read_part_cb,
                                  g_object_ref (self));
}

static void
start_loading_info (MmLibraryEntry *self)
{
  if (self->info_state == MM_LIBRARY_INFO_STATE_LOADING ||
      self->info_state == MM_LIBRARY_INFO_STATE_LOADED)
    return;

  g_clear_error (&self->info_error);
  g_clear_object (&self->info);
  self->parameters = 0;
  self->info_next = 0;
  self->info_state = MM_LIBRARY_INFO_STATE_LOADING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO_STATE]);

  read_next_part (self);
}

/**
 * mm_library_entry_ensure_info:
 *
 * Starts reading the GGUF facts when nobody has asked yet; they are
 * notified when known. A view calls this when it shows the entry.
 */
void
mm_library_entry_ensure_info (MmLibraryEntry *self)
{
  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));

  if (self->info_state == MM_LIBRARY_INFO_STATE_NONE)
    start_loading_info (self);
}

/**
 * mm_library_entry_load_info_async:
 * @cancellable: (nullable): stops waiting (the read goes on for others)
 *
 * Reads the GGUF headers (each part's, for a split set) in a worker thread,
 * once: later calls get the same facts. A read that failed is tried again.
 */
void
mm_library_entry_load_info_async (MmLibraryEntry      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_entry_load_info_async);

  if (self->info_state == MM_LIBRARY_INFO_STATE_LOADED)
    {
      g_task_return_pointer (task, g_object_ref (self->info), g_object_unref);
      return;
    }

  g_ptr_array_add (self->info_waiters, g_steal_pointer (&task));
  start_loading_info (self);
}

/**
 * mm_library_entry_load_info_finish:
 *
 * Returns: (transfer full): the first file's header, or %NULL with @error
 *   set in the %MM_GGUF_ERROR domain (or %G_IO_ERROR_CANCELLED)
 */
MmGgufInfo *
mm_library_entry_load_info_finish (MmLibraryEntry  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_entry_load_info_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * mm_library_entry_estimate_memory:
 * @context: tokens of context, or 0 for the default
 * @total_memory: this machine's memory (mm_system_get_total_memory())
 *
 * Estimates the memory the model needs to run. Before the GGUF facts are
 * read, only the weights and the runtime are counted.
 *
 * Returns: (transfer full): the estimate
 */
MmMemoryEstimate *
mm_library_entry_estimate_memory (MmLibraryEntry *self,
                                  guint64         context,
                                  guint64         total_memory)
{
  MmModelShape shape = { 0, };

  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);

  if (self->info != NULL)
    {
      mm_model_shape_init_from_gguf (&shape, self->info);
      shape.parameters = self->parameters;
    }

  return mm_memory_estimate_new (self->size, &shape, context, total_memory);
}

/**
 * mm_library_entry_estimate_for_machine:
 * @machine: this computer
 *
 * Like mm_library_entry_estimate_memory(), at the machine's context and
 * with where the model runs on it.
 *
 * Returns: (transfer full): the estimate
 */
MmMemoryEstimate *
mm_library_entry_estimate_for_machine (MmLibraryEntry *self,
                                       MmMachine      *machine)
{
  MmModelShape shape = { 0, };

  g_return_val_if_fail (MM_IS_LIBRARY_ENTRY (self), NULL);
  g_return_val_if_fail (MM_IS_MACHINE (machine), NULL);

  if (self->info != NULL)
    {
      mm_model_shape_init_from_gguf (&shape, self->info);
      shape.parameters = self->parameters;
    }

  return mm_machine_estimate (machine, self->size, &shape);
}

/* Trash */

static void
trash_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MmLibraryTrash *trash;

  trash = mm_library_trash_files_finish (result, &error);
  if (trash == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, trash, (GDestroyNotify) mm_library_trash_unref);
}

/* In the Hugging Face cache: the links, the blobs no other snapshot uses,
 * and the refs to a snapshot left empty (mm_hf_cache_plan_delete()), all
 * set aside together below the cache, so that one undo brings all back.
 * The plan is made in a thread; the files are set aside from here. */
static void
plan_cache_delete_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  MmLibraryEntry *self = source_object;
  GPtrArray *links = task_data;
  g_autofree char *repo_folder = NULL;
  GPtrArray *plan;
  GError *error = NULL;

  if (self->repo_id == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("This is not a model of the Hugging Face cache."));
      return;
    }
  repo_folder = mm_hf_cache_repo_folder (self->root, self->repo_id);
  plan = mm_hf_cache_plan_delete (repo_folder, (const char * const *) links->pdata, &error);
  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) g_ptr_array_unref);
}

static void
cache_delete_planned_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  MmLibraryEntry *self = MM_LIBRARY_ENTRY (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  plan = g_task_propagate_pointer (G_TASK (result), &error);
  if (plan == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  mm_library_trash_files_async (self->root, (const char * const *) plan->pdata, cancellable,
                                trash_cb, g_steal_pointer (&task));
}

/**
 * mm_library_entry_trash_async:
 * @cancellable: (nullable): cancels before the files are moved
 *
 * Deletes the entry's files so that they can be brought back: they are
 * moved aside at once, and go to the desktop's trash when the caller
 * commits (see mm_library_trash_files_async()). The library notices and
 * drops the entry.
 */
void
mm_library_entry_trash_async (MmLibraryEntry      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_entry_trash_async);

  for (guint i = 0; i < self->files->len; i++)
    g_ptr_array_add (paths, g_strdup (((MmLibraryFile *) g_ptr_array_index (self->files, i))->path));
  g_ptr_array_add (paths, NULL);

  if (self->in_hf_cache)
    {
      /* What the cache's rules take with the links is found in a thread. */
      g_autoptr(GTask) plan = g_task_new (self, cancellable, cache_delete_planned_cb,
                                          g_steal_pointer (&task));

      g_task_set_source_tag (plan, plan_cache_delete_thread);
      g_task_set_task_data (plan, g_steal_pointer (&paths), (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (plan, plan_cache_delete_thread);
      return;
    }

  mm_library_trash_files_async (self->root, (const char * const *) paths->pdata, cancellable,
                                trash_cb, g_steal_pointer (&task));
}

/**
 * mm_library_entry_trash_finish:
 *
 * Returns: (transfer full): what mm_library_trash_undo_async() and
 *   mm_library_trash_commit_async() need, or %NULL with @error set
 */
MmLibraryTrash *
mm_library_entry_trash_finish (MmLibraryEntry  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_entry_trash_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Verify */

typedef struct {
  GPtrArray *files;         /* (owned) (element-type MmLibraryFile) */
  GHashTable *known;        /* (owned) (nullable): path → SHA-256 */
  char *state_file;         /* (owned) */
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_clear_pointer (&data->known, g_hash_table_unref);
  g_free (data->state_file);
  g_free (data);
}

typedef struct {
  char *sha256;
  guint64 size;
} Record;

static void
record_free (Record *record)
{
  g_free (record->sha256);
  g_free (record);
}

/* Reads what the download manager recorded: canonical destination →
 * Record, for each completed file with a SHA-256. A missing or broken
 * state file records nothing. */
static GHashTable *
read_records (const char *state_file)
{
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) record_free);
  g_autoptr(MmDownloadStore) store = mm_download_store_new (state_file);
  g_autoptr(GPtrArray) completed = mm_download_store_read_completed (store);

  for (guint i = 0; i < completed->len; i++)
    {
      MmDownloadRecord *file = g_ptr_array_index (completed, i);
      Record *record = g_new0 (Record, 1);

      record->sha256 = g_strdup (file->sha256);
      record->size = file->size;
      g_hash_table_replace (records, g_canonicalize_filename (file->destination, NULL), record);
    }

  /* A file an update replaced has the SHA-256 of its new version. */
  {
    g_autoptr(GHashTable) updated = mm_update_records_read_sha256 (state_file);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, updated);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        Record *record = g_hash_table_lookup (records, key);

        if (record != NULL)
          {
            g_free (record->sha256);
            record->sha256 = g_strdup (value);
          }
      }
  }

  return g_steal_pointer (&records);
}

static gpointer
copy_file (gconstpointer file,
           gpointer      user_data)
{
  return mm_library_file_copy (file);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  g_autoptr(GHashTable) records = NULL;
  gboolean unknown = FALSE;

  for (guint i = 0; i < data->files->len; i++)
    {
      const MmLibraryFile *file = g_ptr_array_index (data->files, i);
      g_autofree char *canonical = g_canonicalize_filename (file->path, NULL);
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;
      g_autoptr(GError) error = NULL;
      guint64 expected_size = 0;

      if (data->known != NULL && g_hash_table_contains (data->known, file->path))
        {
          expected = g_ascii_strdown (g_hash_table_lookup (data->known, file->path), -1);
        }
      else
        {
          Record *record;

          if (records == NULL)
            records = read_records (data->state_file);
          record = g_hash_table_lookup (records, canonical);
          if (record != NULL)
            {
              expected = g_strdup (record->sha256);
              expected_size = record->size;
            }
        }

      if (expected == NULL)
        {
          /* In the Hugging Face cache, an LFS blob is named by its SHA-256. */
          g_autofree char *target = g_file_read_link (file->path, NULL);
          g_autofree char *blob = target ? g_path_get_basename (target) : NULL;

          if (blob != NULL && strlen (blob) == 64 && mm_hf_cache_is_blob_id (blob))
            expected = g_steal_pointer (&blob);
        }
      if (expected == NULL)
        {
          unknown = TRUE;
          continue;
        }
      if (expected_size != 0 && expected_size != file->size)
        {
          g_task_return_int (task, MM_LIBRARY_VERIFY_MISMATCH);
          return;
        }

      actual = mm_file_hash_sha256 (file->path, NULL, NULL, cancellable, &error);
      if (actual == NULL)
        {
          g_autofree char *name = g_path_get_basename (file->path);

          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            /* Translators: %s is a file name */
            g_prefix_error (&error, _("“%s” could not be checked: "), name);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!g_str_equal (actual, expected))
        {
          g_task_return_int (task, MM_LIBRARY_VERIFY_MISMATCH);
          return;
        }
      /* Its bytes are known now: a later download of the same file can be
       * made from it instead of the network. */
      mm_reuse_index_add_verified (mm_reuse_index_get_default (), file->path, actual,
                                   file->size);
    }

  g_task_return_int (task, unknown ? MM_LIBRARY_VERIFY_UNKNOWN : MM_LIBRARY_VERIFY_MATCH);
}

/**
 * _mm_library_entry_verify_async:
 * @known_sha256: (nullable) (element-type filename utf8): SHA-256 digests
 *   (hex) by absolute path, which win over the state file's
 * @state_file: (nullable): the download manager's state file, %NULL for
 *   `$XDG_DATA_HOME/model-manager/downloads.json`
 * @cancellable: (nullable): stops hashing; the call then fails with
 *   %G_IO_ERROR_CANCELLED
 *
 * Hashes every file with SHA-256 in a worker thread and compares each with
 * the digest recorded when it was downloaded (or given in @known_sha256).
 */
void
_mm_library_entry_verify_async (MmLibraryEntry      *self,
                                GHashTable          *known_sha256,
                                const char          *state_file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _mm_library_entry_verify_async);

  data = g_new0 (VerifyData, 1);
  data->files = g_ptr_array_copy (self->files, copy_file, NULL);
  data->known = known_sha256 != NULL ? g_hash_table_ref (known_sha256) : NULL;
  data->state_file = state_file != NULL
                     ? g_strdup (state_file)
                     : g_build_filename (g_get_user_data_dir (), "model-manager",
                                         "downloads.json", NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  g_task_run_in_thread (task, verify_thread);
}

/**
 * _mm_library_entry_verify_finish:
 *
 * Returns: match, mismatch or unknown; on error (a file could not be read,
 *   or cancelled) %MM_LIBRARY_VERIFY_UNKNOWN with @error set
 */
MmLibraryVerifyResult
_mm_library_entry_verify_finish (MmLibraryEntry  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize ret;

  g_return_val_if_fail (g_task_is_valid (result, self), MM_LIBRARY_VERIFY_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        _mm_library_entry_verify_async, MM_LIBRARY_VERIFY_UNKNOWN);

  ret = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return MM_LIBRARY_VERIFY_UNKNOWN;
    }

  return (MmLibraryVerifyResult) ret;
}

/* Verify against the record, else the Hub
 *
 * A chain of up to three steps: verify against the download records;
 * when that finds nothing to compare with and the entry is a Hub repo,
 * fetch the model's files with their LFS SHA-256 (model info with
 * blobs=true); then verify again with those digests. */

typedef struct {
  MmHubClient *client;             /* (owned) (nullable) */
  char *state_file;                /* (owned) (nullable) */
  MmLibraryVerifySource source;
} HubVerifyData;

static void
hub_verify_data_free (HubVerifyData *data)
{
  g_clear_object (&data->client);
  g_free (data->state_file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubVerifyData, hub_verify_data_free)

static void recorded_verified_cb (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);
static void model_info_cb        (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);
static void hub_verified_cb      (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
recorded_verified_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmLibraryEntry *self = g_task_get_source_object (task);
  HubVerifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  MmLibraryVerifyResult verdict;
  GCancellable *cancellable;

  verdict = _mm_library_entry_verify_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (verdict != MM_LIBRARY_VERIFY_UNKNOWN)
    {
      data->source = MM_LIBRARY_VERIFY_SOURCE_RECORD;
      g_task_return_int (task, verdict);
      return;
    }

  if (data->client == NULL || self->repo_id == NULL)
    {
      g_task_return_int (task, MM_LIBRARY_VERIFY_UNKNOWN);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  mm_hub_client_model_info_async (data->client, self->repo_id, NULL, cancellable,
                                  model_info_cb, g_steal_pointer (&task));
}

static void
model_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MmLibraryEntry *self = g_task_get_source_object (task);
  HubVerifyData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) by_path = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(MmModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  GPtrArray *files;

  model = mm_hub_client_model_info_finish (MM_HUB_CLIENT (source), result, &error);
  if (model == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->source = MM_LIBRARY_VERIFY_SOURCE_HUB;
  files = mm_model_get_files (model);
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      MmRepoFile *file = g_ptr_array_index (files, i);

      if (mm_repo_file_get_sha256 (file) != NULL)
        g_hash_table_insert (by_path, (char *) mm_repo_file_get_path (file), file);
    }

  /* By the path on disk, as _mm_library_entry_verify_async() wants them;
   * a file of another size differs without hashing it. */
  known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < self->files->len; i++)
    {
      const MmLibraryFile *file = g_ptr_array_index (self->files, i);
      MmRepoFile *listed = g_hash_table_lookup (by_path, file->relative_path);

      if (listed == NULL)
        continue;
      if (mm_repo_file_get_size (listed) != file->size)
        {
          g_task_return_int (task, MM_LIBRARY_VERIFY_MISMATCH);
          return;
        }
      g_hash_table_insert (known, g_strdup (file->path),
                           g_strdup (mm_repo_file_get_sha256 (listed)));
    }

  if (g_hash_table_size (known) == 0)
    {
      g_task_return_int (task, MM_LIBRARY_VERIFY_UNKNOWN);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  _mm_library_entry_verify_async (self, known, data->state_file, cancellable, hub_verified_cb,
                                  g_steal_pointer (&task));
}

static void
hub_verified_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  MmLibraryVerifyResult verdict;

  verdict = _mm_library_entry_verify_finish (MM_LIBRARY_ENTRY (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, verdict);
}

/**
 * mm_library_entry_verify_with_hub_async:
 * @client: (nullable): the Hub to ask when nothing was recorded, or %NULL
 *   to use only the records
 * @state_file: (nullable): the download manager's state file, %NULL for
 *   the default one (see _mm_library_entry_verify_async())
 * @cancellable: (nullable): stops hashing and the Hub request; the call
 *   then fails with %G_IO_ERROR_CANCELLED (or the Hub client's cancelled
 *   error: %G_IO_ERROR_CANCELLED on cancel)
 *
 * Verifies the files against the SHA-256 recorded when they were
 * downloaded or, when there is no such record and the entry is a Hub repo
 * (see mm_library_entry_get_repo_id()), against the SHA-256 the Hub lists
 * for the same paths on the default branch. A file the Hub lists with
 * another size is a mismatch. The Hub's files may have changed since the
 * download: a mismatch against the Hub can also mean a newer version.
 */
void
mm_library_entry_verify_with_hub_async (MmLibraryEntry      *self,
                                        MmHubClient         *client,
                                        const char          *state_file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HubVerifyData *data;

  g_return_if_fail (MM_IS_LIBRARY_ENTRY (self));
  g_return_if_fail (!client || MM_IS_HUB_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mm_library_entry_verify_with_hub_async);

  data = g_new0 (HubVerifyData, 1);
  data->client = client != NULL ? g_object_ref (client) : NULL;
  data->state_file = g_strdup (state_file);
  data->source = MM_LIBRARY_VERIFY_SOURCE_NONE;
  g_task_set_task_data (task, data, (GDestroyNotify) hub_verify_data_free);

  _mm_library_entry_verify_async (self, NULL, state_file, cancellable, recorded_verified_cb,
                                  g_steal_pointer (&task));
}

/**
 * mm_library_entry_verify_with_hub_finish:
 * @source: (out) (optional): what the files were compared with; the Hub
 *   also when it listed none of them (the result is then unknown)
 *
 * Returns: match, mismatch or unknown; on error (a file could not be
 *   read, the Hub could not be asked: %MM_HUB_ERROR, or cancelled)
 *   %MM_LIBRARY_VERIFY_UNKNOWN with @error set
 */
MmLibraryVerifyResult
mm_library_entry_verify_with_hub_finish (MmLibraryEntry         *self,
                                         GAsyncResult           *result,
                                         MmLibraryVerifySource  *source,
                                         GError                **error)
{
  HubVerifyData *data;
  g_autoptr(GError) local_error = NULL;
  gssize ret;

  g_return_val_if_fail (g_task_is_valid (result, self), MM_LIBRARY_VERIFY_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mm_library_entry_verify_with_hub_async, MM_LIBRARY_VERIFY_UNKNOWN);

  data = g_task_get_task_data (G_TASK (result));
  if (source != NULL)
    *source = data->source;

  ret = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return MM_LIBRARY_VERIFY_UNKNOWN;
    }

  return (MmLibraryVerifyResult) ret;
}
