/* mm-path.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File names and repo ids come from the network. Before one is shown as
 * something to download, or joined to a local folder, it must be a plain
 * relative `/`-separated path: no `..` or `.` component, no leading `/`, no
 * backslash (a Windows separator that tools may honour), no control
 * character, no empty component and valid UTF-8.
 */
#define G_LOG_DOMAIN "mm-path"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mm-hub-error.h"
#include "mm-path.h"

/**
 * mm_path_validate:
 * @path: a path inside a repository, as the Hub sent it
 * @error: return location for a %MM_HUB_ERROR_UNSAFE_PATH error that says why
 *
 * Returns: %TRUE when @path is safe to join to a download folder
 */
gboolean
mm_path_validate (const char  *path,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                           _("The file has no name."));
      return FALSE;
    }

  if (!g_utf8_validate (path, -1, NULL))
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                           _("The file name is not valid text."));
      return FALSE;
    }

  if (strlen (path) > 4096)
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                           _("The file name is too long."));
      return FALSE;
    }

  for (const char *p = path; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                               _("The file name contains a control character."));
          return FALSE;
        }
      if (*p == '\\')
        {
          g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                               _("The file name contains a backslash."));
          return FALSE;
        }
    }

  if (path[0] == '/' || (g_ascii_isalpha (path[0]) && path[1] == ':'))
    {
      g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                           _("The file name is an absolute path."));
      return FALSE;
    }

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        {
          g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                               _("The file name points outside its folder (“..”)."));
          return FALSE;
        }
      if (*parts[i] == '\0' || g_str_equal (parts[i], "."))
        {
          g_set_error_literal (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH,
                               _("The file name has an empty or “.” folder."));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * mm_repo_id_validate:
 * @repo_id: a repository id such as `org/name`
 * @error: return location for a %MM_HUB_ERROR_REPO_NOT_FOUND error
 *
 * Returns: %TRUE when @repo_id has the Hub's `owner/name` shape
 */
gboolean
mm_repo_id_validate (const char  *repo_id,
                     GError     **error)
{
  const char *slash;

  if (repo_id == NULL)
    goto invalid;

  slash = strchr (repo_id, '/');
  if (slash == NULL || slash == repo_id || slash[1] == '\0' || strchr (slash + 1, '/'))
    goto invalid;

  for (const char *p = repo_id; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '/'))
      goto invalid;

  if (strstr (repo_id, "..") || repo_id[0] == '.' || slash[1] == '.')
    goto invalid;

  if (strlen (repo_id) > 200)
    goto invalid;

  return TRUE;

invalid:
  g_set_error (error, MM_HUB_ERROR, MM_HUB_ERROR_REPO_NOT_FOUND,
               _("“%s” is not a model id; it should look like “organization/model-name”."),
               repo_id ? repo_id : "");
  return FALSE;
}

/**
 * mm_path_to_display:
 * @path: an untrusted path, possibly with control characters or bad UTF-8
 *
 * Makes a hostile name showable: invalid UTF-8 becomes U+FFFD and each
 * control character its visible Unicode symbol (U+2400 block), so a person
 * sees what the name really holds instead of a terminal escape or a box.
 *
 * Returns: (transfer full): printable text
 */
char *
mm_path_to_display (const char *path)
{
  g_autofree char *valid = g_utf8_make_valid (path ? path : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7f)
        g_string_append_unichar (out, 0x2421);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}
