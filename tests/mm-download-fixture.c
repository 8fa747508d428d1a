/* mm-download-fixture.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-download-fixture.h"
#include "mm-download-private.h"

#include "mm-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>


void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = mm_mock_hub_new (&error);
  g_assert_no_error (error);
  f->client = mm_hub_client_new (mm_mock_hub_get_url (f->hub), NULL);
  f->dir = g_build_filename (g_get_user_cache_dir (), "Models", NULL);
  f->outside = g_build_filename (g_get_user_cache_dir (), "elsewhere", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (f->outside, 0755), ==, 0);
}

void
finalize (gpointer object)
{
  /* An attempt's worker thread may hold a reference for a moment after
   * the result reached the main context. */
  mm_test_wait_until_sole_owner (object);
  g_assert_finalize_object (object);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  finalize (g_steal_pointer (&f->client));
  mm_mock_hub_stop (f->hub);
  g_assert_finalize_object (f->hub);
  g_free (f->dir);
  g_free (f->outside);
}

/* A file as the Hub lists it (size and SHA-256 from the catalog). */
MmRepoFile *
hub_file (Fixture    *f,
          const char *repo_id,
          const char *path)
{
  g_autofree char *sha256 = NULL;
  guint64 size = 0;

  g_assert_true (mm_mock_hub_lookup_file (f->hub, repo_id, path, &size, &sha256));
  return mm_repo_file_new (path, size, sha256, NULL);
}

MmDownload *
new_download_full (Fixture     *f,
                   MmHubClient *client,
                   const char  *repo_id,
                   const char  *path)
{
  g_autoptr(MmRepoFile) file = hub_file (f, repo_id, path);
  g_autoptr(GError) error = NULL;
  MmDownload *download;

  download = mm_download_new (client, repo_id, "main", file, f->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (download);
  _mm_download_set_retry_policy (download, 6, 20, 1);
  return download;
}

MmDownload *
new_download (Fixture    *f,
              const char *path)
{
  return new_download_full (f, f->client, PICO, path);
}

static gboolean
download_finished (gpointer data)
{
  return mm_download_is_finished (data);
}

void
wait_finished (MmDownload *download)
{
  mm_test_wait_until (download_finished, download, TIMEOUT_MS);
}

typedef struct {
  MmDownload      *download;
  MmDownloadState  state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return mm_download_get_state (wait->download) == wait->state;
}

void
wait_state (MmDownload      *download,
            MmDownloadState  state)
{
  StateWait wait = { download, state };

  mm_test_wait_until (state_reached, &wait, TIMEOUT_MS);
}

typedef struct {
  MmDownload *download;
  guint64     bytes;
} BytesWait;

static gboolean
bytes_reached (gpointer data)
{
  BytesWait *wait = data;

  return mm_download_get_bytes_received (wait->download) >= wait->bytes;
}

void
wait_bytes (MmDownload *download,
            guint64     bytes)
{
  BytesWait wait = { download, bytes };

  mm_test_wait_until (bytes_reached, &wait, TIMEOUT_MS);
}

char *
sidecar_path (MmDownload *download)
{
  return g_strconcat (mm_download_get_destination (download), ".part.json", NULL);
}

gboolean
exists (const char *path)
{
  struct stat st;

  return g_lstat (path, &st) == 0;
}

/* @filename holds exactly the bytes the mock serves for the file now, and
 * they hash to the SHA-256 the Hub lists. */
void
assert_file_is (Fixture    *f,
                const char *filename,
                const char *repo_id,
                const char *path)
{
  g_autoptr(GBytes) expected = mm_mock_hub_read_file (f->hub, repo_id, path, 0, G_MAXSIZE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *listed = NULL;
  gsize len = 0;

  g_assert_nonnull (expected);
  g_file_get_contents (filename, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, g_bytes_get_size (expected));
  if (memcmp (contents, g_bytes_get_data (expected, NULL), len) != 0)
    g_error ("%s differs from %s:%s", filename, repo_id, path);

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, len);
  g_assert_true (mm_mock_hub_lookup_file (f->hub, repo_id, path, NULL, &listed));
  g_assert_cmpstr (sha256, ==, listed);
}

/* COMPLETED, the file in place and correct, no partial or sidecar left. */
void
assert_completed (Fixture    *f,
                  MmDownload *download,
                  const char *repo_id)
{
  const char *path = mm_repo_file_get_path (mm_download_get_file (download));
  g_autofree char *sidecar = sidecar_path (download);

  if (mm_download_get_state (download) != MM_DOWNLOAD_STATE_COMPLETED)
    {
      const GError *error = mm_download_get_error (download);

      g_error ("%s: state %d instead of COMPLETED: %s", path, mm_download_get_state (download),
               error ? error->message : "(no error)");
    }
  g_assert_null (mm_download_get_error (download));
  g_assert_cmpuint (mm_download_get_bytes_received (download), ==,
                    mm_download_get_total_bytes (download));
  assert_file_is (f, mm_download_get_destination (download), repo_id, path);
  g_assert_false (exists (mm_download_get_partial_path (download)));
  g_assert_false (exists (sidecar));
}

/* FAILED with @domain/@code and no final file. */
void
assert_failed (MmDownload *download,
               GQuark      domain,
               int         code)
{
  const GError *error = mm_download_get_error (download);

  g_assert_cmpint (mm_download_get_state (download), ==, MM_DOWNLOAD_STATE_FAILED);
  g_assert_error (error, domain, code);
  g_assert_nonnull (error->message);
  g_assert_false (exists (mm_download_get_destination (download)));
}

/* Byte offsets of the CDN GETs' "bytes=N-" ranges; -1 for a GET without. */
GArray *
cdn_range_starts (Fixture *f)
{
  g_auto(GStrv) ranges = mm_mock_hub_get_cdn_ranges (f->hub);
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; ranges[i]; i++)
    {
      gint64 start = -1;

      if (ranges[i][0] != '\0')
        {
          g_assert_true (g_str_has_prefix (ranges[i], "bytes="));
          start = g_ascii_strtoll (ranges[i] + strlen ("bytes="), NULL, 10);
        }
      g_array_append_val (starts, start);
    }

  return starts;
}

