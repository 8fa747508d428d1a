/* test-path.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File names and repo ids come from the network: hostile ones, table-driven.
 */
#include "config.h"

#include "mm-hub-error.h"
#include "mm-path.h"

typedef struct {
  const char *path;   /* test path */
  const char *input;
  gboolean valid;
} PathCase;

static const PathCase path_cases[] = {
  { "/mm/path/valid/plain", "a.gguf", TRUE },
  { "/mm/path/valid/folder-split", "Q4_K_M/a-00001-of-00002.gguf", TRUE },
  { "/mm/path/valid/deep", "a/b/c/d.gguf", TRUE },
  { "/mm/path/valid/spaces", "my model/Q4 K M file.gguf", TRUE },
  { "/mm/path/valid/unicode", "模型/Modèle-ß-Q4_K_M.gguf", TRUE },
  { "/mm/path/valid/emoji", "🦙-Q8_0.gguf", TRUE },
  { "/mm/path/valid/dotfile", ".gitattributes", TRUE },
  { "/mm/path/valid/dots-inside", "a..b.gguf", TRUE },
  { "/mm/path/valid/three-dots", ".../a", TRUE },
  { "/mm/path/invalid/empty", "", FALSE },
  { "/mm/path/invalid/dotdot", "..", FALSE },
  { "/mm/path/invalid/dot", ".", FALSE },
  { "/mm/path/invalid/leading-dotdot", "../a", FALSE },
  { "/mm/path/invalid/inner-dotdot", "a/../b", FALSE },
  { "/mm/path/invalid/trailing-dotdot", "a/..", FALSE },
  { "/mm/path/invalid/escape-twice", "ok/../../up-Q2_K.gguf", FALSE },
  { "/mm/path/invalid/absolute", "/abs", FALSE },
  { "/mm/path/invalid/absolute-etc", "/etc/passwd", FALSE },
  { "/mm/path/invalid/drive", "C:/x", FALSE },
  { "/mm/path/invalid/drive-lower", "c:x", FALSE },
  { "/mm/path/invalid/backslash", "a\\b", FALSE },
  { "/mm/path/invalid/backslash-dotdot", "..\\a", FALSE },
  { "/mm/path/invalid/control", "a\x01" "b", FALSE },
  { "/mm/path/invalid/newline", "a\nb.gguf", FALSE },
  { "/mm/path/invalid/tab", "a\tb.gguf", FALSE },
  { "/mm/path/invalid/escape", "a\x1b[31m.gguf", FALSE },
  { "/mm/path/invalid/delete", "a\x7f" "b", FALSE },
  { "/mm/path/invalid/double-slash", "a//b", FALSE },
  { "/mm/path/invalid/trailing-slash", "a/", FALSE },
  { "/mm/path/invalid/leading-dot", "./a", FALSE },
  { "/mm/path/invalid/inner-dot", "a/./b", FALSE },
  { "/mm/path/invalid/utf8-ff", "\xff", FALSE },
  { "/mm/path/invalid/utf8-truncated", "a\xc3", FALSE },
  { "/mm/path/invalid/utf8-overlong-slash", "a\xc0\xaf..\xc0\xaf" "b", FALSE },
  { "/mm/path/invalid/utf8-surrogate", "\xed\xa0\x80.gguf", FALSE },
};

static void
test_path_validate (gconstpointer data)
{
  const PathCase *c = data;
  g_autoptr(GError) error = NULL;
  gboolean ret;

  ret = mm_path_validate (c->input, &error);

  if (c->valid)
    {
      g_assert_no_error (error);
      g_assert_true (ret);
    }
  else
    {
      g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH);
      g_assert_false (ret);
      /* A person reads the message. */
      g_assert_cmpuint (strlen (error->message), >, 0);
    }

  /* The error is optional. */
  g_assert_cmpint (mm_path_validate (c->input, NULL), ==, c->valid);
}

static void
test_path_validate_null (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (mm_path_validate (NULL, &error));
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH);
}

static void
test_path_validate_too_long (void)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  while (path->len < 4096)
    g_string_append (path, "abcdefg/");
  g_string_append (path, "a.gguf");

  g_assert_false (mm_path_validate (path->str, &error));
  g_assert_error (error, MM_HUB_ERROR, MM_HUB_ERROR_UNSAFE_PATH);
}

typedef struct {
  const char *path;   /* test path */
  const char *input;
  gboolean valid;
} RepoIdCase;

static const RepoIdCase repo_id_cases[] = {
  { "/mm/repo-id/valid/plain", "org/name", TRUE },
  { "/mm/repo-id/valid/punctuation", "o-r_g.x/Na.me-1", TRUE },
  { "/mm/repo-id/valid/real", "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", TRUE },
  { "/mm/repo-id/valid/qwen", "Qwen/Qwen2.5-7B-Instruct-GGUF", TRUE },
  { "/mm/repo-id/invalid/empty", "", FALSE },
  { "/mm/repo-id/invalid/no-org", "name", FALSE },
  { "/mm/repo-id/invalid/leading-slash", "/name", FALSE },
  { "/mm/repo-id/invalid/trailing-slash", "org/", FALSE },
  { "/mm/repo-id/invalid/three-parts", "a/b/c", FALSE },
  { "/mm/repo-id/invalid/dotdot-org", "../x", FALSE },
  { "/mm/repo-id/invalid/dotdot-name", "org/..", FALSE },
  { "/mm/repo-id/invalid/dot-name", "org/.", FALSE },
  { "/mm/repo-id/invalid/space", "org/na me", FALSE },
  { "/mm/repo-id/invalid/slash-only", "/", FALSE },
  { "/mm/repo-id/invalid/double-slash", "org//name", FALSE },
  { "/mm/repo-id/invalid/backslash", "org\\name", FALSE },
  { "/mm/repo-id/invalid/query", "org/name?x=1", FALSE },
  { "/mm/repo-id/invalid/fragment", "org/name#x", FALSE },
  { "/mm/repo-id/invalid/percent", "org/%2e%2e", FALSE },
  { "/mm/repo-id/invalid/control", "org/na\x01me", FALSE },
  { "/mm/repo-id/invalid/unicode", "org/modèle", FALSE },
  { "/mm/repo-id/invalid/url", "https://huggingface.co/org/name", FALSE },
};

static void
test_repo_id_validate (gconstpointer data)
{
  const RepoIdCase *c = data;
  g_autoptr(GError) error = NULL;
  gboolean ret;

  ret = mm_repo_id_validate (c->input, &error);

  if (c->valid)
    {
      g_assert_no_error (error);
      g_assert_true (ret);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == MM_HUB_ERROR);
      g_assert_false (ret);
      g_assert_cmpuint (strlen (error->message), >, 0);
    }

  g_assert_cmpint (mm_repo_id_validate (c->input, NULL), ==, c->valid);
}

static void
test_repo_id_validate_null (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (mm_repo_id_validate (NULL, &error));
  g_assert_nonnull (error);
}

static void
test_repo_id_validate_too_long (void)
{
  g_autoptr(GString) repo_id = g_string_new ("org/");
  g_autoptr(GError) error = NULL;

  while (repo_id->len < 300)
    g_string_append (repo_id, "abcdefghij");

  g_assert_false (mm_repo_id_validate (repo_id->str, &error));
  g_assert_nonnull (error);
}

static void
test_display (void)
{
  g_autofree char *ctrl = mm_path_to_display ("ctrl\x01name\x1b[31m-Q6_K.gguf");
  g_autofree char *bad = mm_path_to_display ("bad\xffname.gguf");
  g_autofree char *plain = mm_path_to_display ("Q4_K_M/m\xc3\xa4" "del-Q4_K_M.gguf");

  g_assert_cmpstr (ctrl, ==, "ctrl\u2401name\u241b[31m-Q6_K.gguf");
  g_assert_cmpstr (bad, ==, "bad\ufffdname.gguf");
  g_assert_cmpstr (plain, ==, "Q4_K_M/m\u00e4del-Q4_K_M.gguf");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (path_cases); i++)
    g_test_add_data_func (path_cases[i].path, &path_cases[i], test_path_validate);
  g_test_add_func ("/mm/path/invalid/null", test_path_validate_null);
  g_test_add_func ("/mm/path/invalid/too-long", test_path_validate_too_long);

  for (guint i = 0; i < G_N_ELEMENTS (repo_id_cases); i++)
    g_test_add_data_func (repo_id_cases[i].path, &repo_id_cases[i], test_repo_id_validate);
  g_test_add_func ("/mm/repo-id/invalid/null", test_repo_id_validate_null);
  g_test_add_func ("/mm/repo-id/invalid/too-long", test_repo_id_validate_too_long);

  g_test_add_func ("/mm/path/display", test_display);

  return g_test_run ();
}
