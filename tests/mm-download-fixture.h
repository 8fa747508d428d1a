/* mm-download-fixture.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the download tests share: a mock Hub, a client and a download
 * folder per test, downloads of the mock's files, and waits and checks on
 * them.
 */
#pragma once

#include "mm-core.h"
#include "mm-mock-hub.h"

G_BEGIN_DECLS

#define PICO       "tiny-org/Pico-GGUF"
#define GATED      "example-org/Gated-7B-GGUF"
#define Q4         "Pico-Q4_K_M.gguf"          /* 300 KiB */
#define Q8         "Pico-Q8_0.gguf"            /* 600 KiB */
#define Q2_PART1   "Pico-Q2_K-00001-of-00002.gguf"
#define Q2_PART2   "Pico-Q2_K-00002-of-00002.gguf"
#define GATED_FILE "Gated-7B-IQ1_S.gguf"       /* 256 KiB */
#define CDN_PREFIX "/xet-bridge-us/"
#define KIB        1024

#define TIMEOUT_MS 20000

typedef struct {
  MmMockHub   *hub;
  MmHubClient *client;
  char        *dir;      /* the download folder */
  char        *outside;  /* a folder next to it, for escape attempts */
} Fixture;

void        fixture_setup      (Fixture       *f,
                                gconstpointer  data);
void        fixture_teardown   (Fixture       *f,
                                gconstpointer  data);
/* Waits until the worker let go of @object, then finalizes it. */
void        finalize           (gpointer       object);
MmRepoFile *hub_file           (Fixture       *f,
                                const char    *repo_id,
                                const char    *path);
MmDownload *new_download_full  (Fixture       *f,
                                MmHubClient   *client,
                                const char    *repo_id,
                                const char    *path);
MmDownload *new_download       (Fixture       *f,
                                const char    *path);
void        wait_finished      (MmDownload    *download);
void        wait_state         (MmDownload    *download,
                                MmDownloadState state);
void        wait_bytes         (MmDownload    *download,
                                guint64        bytes);
char       *sidecar_path       (MmDownload    *download);
gboolean    exists             (const char    *path);
void        assert_file_is     (Fixture       *f,
                                const char    *filename,
                                const char    *repo_id,
                                const char    *path);
void        assert_completed   (Fixture       *f,
                                MmDownload    *download,
                                const char    *repo_id);
void        assert_failed      (MmDownload    *download,
                                GQuark         domain,
                                int            code);
GArray     *cdn_range_starts   (Fixture       *f);

G_END_DECLS
