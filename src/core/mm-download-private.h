/* mm-download-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seam between the two halves of a download: MmDownload (mm-download.c,
 * the state machine on its main context) and one attempt at moving the
 * bytes (mm-download-attempt.c, worker threads). The main side copies what
 * the attempt needs into an MmDownloadAttempt; the attempt publishes its
 * progress into the shared MmDownloadProgress and leaves its results in the
 * MmDownloadAttempt for the main side to read when the task returns.
 *
 * Who owns what:
 *   - bytes on disk: the attempt (the partial file and its sidecar); the
 *     main side learns them from MmDownloadProgress, and before any attempt
 *     from _mm_download_partial_bytes();
 *   - elapsed time, pause, cancel, retries: MmDownload alone.
 */
#pragma once

#include <gio/gio.h>
#include <stdatomic.h>

#include "mm-download.h"
#include "mm-file-hash.h"
#include "mm-hub-client.h"
#include "mm-rate-limiter.h"


G_BEGIN_DECLS

/* What the attempt is doing, published to the main side. */
typedef enum {
  MM_DOWNLOAD_PHASE_CONNECTING,
  MM_DOWNLOAD_PHASE_VERIFYING,
  MM_DOWNLOAD_PHASE_DOWNLOADING,
} MmDownloadPhase;

/* The running hash of a file being downloaded. */
typedef MmHasher MmDownloadHasher;

/* Shared by a download and its running attempt (an atomic refcounted box):
 * the attempt writes, the main side's tick reads. It also carries the
 * running hash from one attempt to the next, so that a resume in the same
 * process does not hash gigabytes on disk again. */
typedef struct {
  /* Read by the main side's tick without a lock: a worker thread that holds
   * a lock can be preempted (they run at a lower priority), and the window
   * must never wait for it. */
  _Atomic guint64 bytes;          /* bytes of the file on disk */
  _Atomic guint connections;      /* connections moving bytes now */
  _Atomic int phase;              /* an MmDownloadPhase */
  GMutex mutex;                   /* for the hasher hand-over below */
  MmDownloadHasher hasher;        /* valid when hasher_valid: covers exactly hashed_bytes */
  guint64 hashed_bytes;
  gboolean hasher_valid;
} MmDownloadProgress;

MmDownloadProgress *_mm_download_progress_new      (void);
MmDownloadProgress *_mm_download_progress_ref      (MmDownloadProgress *progress);
void                _mm_download_progress_unref    (MmDownloadProgress *progress);
void                _mm_download_progress_set      (MmDownloadProgress *progress,
                                                    guint64             bytes,
                                                    MmDownloadPhase     phase);
void                _mm_download_progress_get      (MmDownloadProgress *progress,
                                                    guint64            *bytes,
                                                    MmDownloadPhase    *phase,
                                                    guint              *connections);

/* One attempt, owned by its GTask. Everything the worker needs is copied
 * here so it never touches the MmDownload's fields. */
typedef struct {
  MmHubClient *client;            /* (owned) */
  MmRateLimiter *limiter;         /* (owned) */
  MmRateLimiter *shared_limiter;  /* (owned) (nullable) */
  char *repo_id;
  char *revision;
  char *path;
  char *sha256;                   /* (nullable) for non-LFS files */
  char *oid;                      /* (nullable) git blob id */
  char *download_dir;
  char *destination;
  char *partial_path;
  char *sidecar_path;
  char *hf_cache_dir;             /* (nullable): place the file in this Hugging Face cache */
  char *hf_ref;                   /* (nullable): the ref to record there */
  char *repo_commit;              /* (nullable): the Hub's X-Repo-Commit, once seen */
  MmDownloadProgress *progress;   /* (owned) */
  guint64 size;
  guint stall_timeout_s;
  guint connections;              /* at most this many at once */
  guint64 multi_threshold;        /* smaller files use one connection */
  guint64 min_segment;            /* never split a range below this */

  /* Results for the main side. */
  guint64 start_bytes;            /* bytes on disk when the attempt began */
  guint64 end_bytes;              /* and when it ended */
  guint retry_after;
  gboolean transient;
  gboolean already_complete;
  gboolean version_changed;       /* sha256 and size now describe the Hub's new version */
} MmDownloadAttempt;

void     _mm_download_attempt_free  (MmDownloadAttempt *attempt);
void     _mm_download_attempt_run   (GTask             *task,
                                     MmDownloadAttempt *attempt,
                                     GCancellable      *cancellable);

guint64  _mm_download_partial_bytes (const char        *partial_path,
                                     const char        *sidecar_path,
                                     const char        *repo_id,
                                     const char        *revision,
                                     const char        *path,
                                     const char        *sha256,
                                     guint64            size);

void     _mm_download_set_segmenting (MmDownload       *self,
                                      guint64           multi_threshold,
                                      guint64           min_segment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmDownloadAttempt, _mm_download_attempt_free)

/* For a download into the Hugging Face cache: links the finished blob from
 * its snapshot and records the ref, as the Hub's own clients do (a no-op
 * otherwise). The engine calls it after a transfer, the reuse path after a
 * copy. */
gboolean _mm_download_attempt_place_in_hf_cache (MmDownloadAttempt  *attempt,
                                                 GError            **error);
/* Parses the text of a sidecar (`<file>.part.json`) as a resumed download
 * does, and sets @trusted_bytes to the bytes of a partial file of
 * @partial_size bytes that it vouches for. FALSE when it is not a sidecar.
 * For the fuzz target; the download itself reads sidecars from disk. */
gboolean mm_download_sidecar_parse (GBytes  *bytes,
                                    guint64  partial_size,
                                    guint64 *trusted_bytes);

const char      *_mm_download_get_hf_cache_dir   (MmDownload     *self);
void             _mm_download_set_rate_limit     (MmDownload     *self,
                                                  guint64         bytes_per_second);
void             _mm_download_set_retry_policy   (MmDownload     *self,
                                                  guint           max_attempts_without_progress,
                                                  guint           base_delay_ms,
                                                  guint           stall_timeout_s);

G_END_DECLS
