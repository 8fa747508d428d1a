/* mm-repo-file.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file of a repository as the Hub lists it. Both shapes are accepted: a
 * tree entry (`path`, `size`, `lfs.oid`) and a model-info sibling with
 * blobs=true (`rfilename`, `size`, `lfs.sha256`). Paths come from the
 * network and are untrusted: a file whose path could escape the download
 * folder carries a human explanation in :problem and is never offered.
 */
#define G_LOG_DOMAIN "mm-repo-file"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mm-hub-error.h"
#include "mm-json.h"
#include "mm-path.h"
#include "mm-repo-file-private.h"

struct _MmRepoFile
{
  GObject parent_instance;

  char *path;
  char *sha256;
  char *oid;
  char *problem;
  guint64 size;
};

G_DEFINE_FINAL_TYPE (MmRepoFile, mm_repo_file, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_PATH,
  PROP_SIZE,
  PROP_SHA256,
  PROP_PROBLEM,
  N_PROPS,
} MmRepoFileProperty;

static GParamSpec *properties[N_PROPS];

static void
mm_repo_file_finalize (GObject *object)
{
  MmRepoFile *self = MM_REPO_FILE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->oid, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (mm_repo_file_parent_class)->finalize (object);
}

static void
mm_repo_file_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MmRepoFile *self = MM_REPO_FILE (object);

  switch ((MmRepoFileProperty) prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
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
mm_repo_file_class_init (MmRepoFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mm_repo_file_finalize;
  object_class->get_property = mm_repo_file_get_property;

  /** MmRepoFile:path: the path inside the repository, `/`-separated */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmRepoFile:size: the real size in bytes (not the LFS pointer's) */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmRepoFile:sha256: the LFS SHA-256 as 64 lower-case hex digits, or %NULL */
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /** MmRepoFile:problem: why this file must not be downloaded, or %NULL */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mm_repo_file_init (MmRepoFile *self)
{
}

static gboolean
is_hex_string (const char *s,
               gsize       len)
{
  if (s == NULL || strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/**
 * mm_repo_file_new:
 * @path: the path inside the repository (untrusted)
 * @size: the size in bytes
 * @sha256: (nullable): the LFS SHA-256 in hex
 * @oid: (nullable): the git blob id
 *
 * Returns: (transfer full): a new #MmRepoFile; check mm_repo_file_get_problem()
 */
MmRepoFile *
mm_repo_file_new (const char *path,
                  guint64     size,
                  const char *sha256,
                  const char *oid)
{
  MmRepoFile *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MM_TYPE_REPO_FILE, NULL);
  self->path = g_strdup (path);
  self->size = size;
  if (is_hex_string (sha256, 64))
    self->sha256 = g_ascii_strdown (sha256, -1);
  self->oid = g_strdup (oid);

  if (!mm_path_validate (path, &error))
    self->problem = g_strdup (error->message);

  return self;
}

/**
 * mm_repo_file_new_from_json:
 * @object: a tree entry or a model-info sibling
 * @error: return location for a %MM_HUB_ERROR_MALFORMED error
 *
 * Returns: (transfer full) (nullable): the file, or %NULL when @object has no path
 */
MmRepoFile *
mm_repo_file_new_from_json (JsonObject  *object,
                            GError     **error)
{
  const char *path;
  const char *sha256 = NULL;
  guint64 size;
  JsonObject *lfs;

  path = mm_json_get_string (object, "path");
  if (path == NULL)
    path = mm_json_get_string (object, "rfilename");
  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_MALFORMED,
                           _("The Hub listed a file without a name."));
      return NULL;
    }

  size = mm_json_get_uint64 (object, "size", 0);
  lfs = mm_json_get_object (object, "lfs");
  if (lfs != NULL)
    {
      sha256 = mm_json_get_string (lfs, "oid");
      if (sha256 == NULL)
        sha256 = mm_json_get_string (lfs, "sha256");
      if (size == 0)
        size = mm_json_get_uint64 (lfs, "size", 0);
    }

  return mm_repo_file_new (path, size, sha256,
                           mm_json_get_string (object, "oid") ?:
                           mm_json_get_string (object, "blobId"));
}

const char *
mm_repo_file_get_path (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), NULL);
  return self->path;
}

/**
 * mm_repo_file_get_basename:
 * @self: a #MmRepoFile
 *
 * Returns: the last component of the path
 */
const char *
mm_repo_file_get_basename (MmRepoFile *self)
{
  const char *slash;

  g_return_val_if_fail (MM_IS_REPO_FILE (self), NULL);

  slash = strrchr (self->path, '/');
  return slash ? slash + 1 : self->path;
}

guint64
mm_repo_file_get_size (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), 0);
  return self->size;
}

const char *
mm_repo_file_get_sha256 (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), NULL);
  return self->sha256;
}

const char *
mm_repo_file_get_oid (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), NULL);
  return self->oid;
}

gboolean
_mm_repo_file_get_is_lfs (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), FALSE);
  return self->sha256 != NULL;
}

const char *
mm_repo_file_get_problem (MmRepoFile *self)
{
  g_return_val_if_fail (MM_IS_REPO_FILE (self), NULL);
  return self->problem;
}
