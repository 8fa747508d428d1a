/* mm-mock-hub.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mock Hugging Face Hub: two SoupServers on loopback (the Hub, and a second
 * "CDN" host that LFS files redirect to), run in their own thread and main
 * context, speaking the protocol in ../shared/hub-protocol.md. The catalog is
 * generated at start. Tests configure faults through the setters; every
 * setter is thread-safe.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_TYPE_MOCK_HUB (mm_mock_hub_get_type ())

G_DECLARE_FINAL_TYPE (MmMockHub, mm_mock_hub, MM, MOCK_HUB, GObject)

/* The token that the mock Hub accepts as a valid account with access to
 * every gated repo; "hf_noaccess…" is valid but not approved for gated repos;
 * any other token is refused, as mm_mock_hub_set_refused_token() says. Only the
 * account of MM_MOCK_HUB_TOKEN sees the private repo MM_MOCK_HUB_PRIVATE_REPO:
 * everyone else gets 401 RepoNotFound for it, as for a repo that does not
 * exist, and anonymous searches do not list it. */
#define MM_MOCK_HUB_TOKEN          "hf_mockvalidtoken0123456789abcdefghij"
#define MM_MOCK_HUB_PRIVATE_REPO   "example-org/Private-3B-GGUF"
/* The old name of tiny-org/Pico-GGUF: every request under it answers 307
 * with a relative Location under the new name. */
#define MM_MOCK_HUB_RENAMED_REPO   "tiny-org/Pico-Old-GGUF"
/* A repository with 1104 tree entries (1100 small logs in a folder): more
 * than one page of the tree listing, 1000 entries or 50 with expand=true. */
#define MM_MOCK_HUB_MANY_FILES_REPO "many-org/ManyFiles-GGUF"
#define MM_MOCK_HUB_TOKEN_NOACCESS "hf_mocknoaccesstoken0123456789abcdefg"

MmMockHub  *mm_mock_hub_new                  (GError     **error);
MmMockHub  *mm_mock_hub_new_on_port          (guint        port,
                                              GError     **error);
const char *mm_mock_hub_get_url              (MmMockHub   *self);
const char *mm_mock_hub_get_cdn_url          (MmMockHub   *self);
void        mm_mock_hub_stop                 (MmMockHub   *self);

/* Paging: the tree page size (default 1000, as the Hub; with expand=true at
 * most 50, as the Hub). */
void        mm_mock_hub_set_tree_page_size   (MmMockHub   *self,
                                              guint        size);

/* The next @count API requests (paths under /api/) answer @status with the
 * matching error shape (429 gets Retry-After: @retry_after). */
void        mm_mock_hub_fail_next            (MmMockHub   *self,
                                              guint        status,
                                              guint        count,
                                              guint        retry_after);

typedef enum {
  MM_MOCK_BODY_NORMAL,
  MM_MOCK_BODY_MALFORMED,   /* not JSON at all */
  MM_MOCK_BODY_TRUNCATED,   /* valid JSON cut in half */
  MM_MOCK_BODY_WRONG_TYPES, /* every field of the wrong JSON type */
  MM_MOCK_BODY_EMPTY,       /* 200 with no body */
} MmMockBody;

/* How the next @count API answers with a JSON body are mangled. */
void        mm_mock_hub_set_body_mode        (MmMockHub   *self,
                                              MmMockBody   mode,
                                              guint        count);

/* How the Hub answers a token it does not accept. Both have been seen on the
 * real Hub (hub-protocol.md §5, tests/fixtures/hub/README.md):
 *
 * MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS (the default): the token is ignored and
 *   every request is answered as if none had been sent, so a gated repo's
 *   files and its auth-check answer the anonymous 401 with
 *   `X-Error-Code: GatedRepo`, byte for byte (a third-party probe of a gated
 *   file's /resolve, 2026-07). A client cannot tell it from "no token" by
 *   the answer, only by knowing that it sent one.
 * MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS: every Hub request answers a
 *   plain 401 (no X-Error-Code) with `X-Error-Message` and body
 *   `{"error":"Invalid credentials in Authorization header"}` (the
 *   bad-token-401 fixture; reported in 2025 for /resolve of public repos,
 *   huggingface_hub PR #2847, and for the model info of a gated repo).
 *
 * In both, /api/whoami-v2 (the token check) answers that plain 401, and only
 * the CDN ignores tokens. */
typedef enum {
  MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS,
  MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS,
} MmMockRefusedToken;

void        mm_mock_hub_set_refused_token    (MmMockHub          *self,
                                              MmMockRefusedToken  answer);

/* Whether /resolve of a small (non-LFS) file first answers 307 with a
 * relative Location under /api/resolve-cache/, as the real Hub does since
 * 2025 (default TRUE). */
void        mm_mock_hub_set_resolve_cache    (MmMockHub          *self,
                                              gboolean            enabled);

/* Every API answer waits @ms before it is sent (0 = none). */
void        mm_mock_hub_set_delay            (MmMockHub   *self,
                                              guint        ms);

/* Number of requests whose path starts with @prefix (NULL = all). */
gboolean    mm_mock_hub_set_request_log      (MmMockHub   *self,
                                              const char  *path,
                                              GError     **error);
guint       mm_mock_hub_get_request_count    (MmMockHub   *self,
                                              const char  *prefix);
void        mm_mock_hub_reset_counters       (MmMockHub   *self);

/* The User-Agent and Authorization headers of the last request each host saw
 * (the User-Agent is the Hub's). Free with g_free(); NULL when absent. */
char       *mm_mock_hub_get_last_user_agent  (MmMockHub   *self);
char       *mm_mock_hub_get_last_hub_auth    (MmMockHub   *self);
char       *mm_mock_hub_get_last_cdn_auth    (MmMockHub   *self);

/* Additions beyond the original contract. */

/* The largest search `limit` honoured (default 1000, as the real Hub);
 * a larger one gets pages of this size. */
void        mm_mock_hub_set_max_search_limit (MmMockHub   *self,
                                              guint        limit);

/* The search page size when `limit` is absent (default 30). */
void        mm_mock_hub_set_search_page_size (MmMockHub   *self,
                                              guint        size);
/* The most results a search page holds, whatever `limit` asks for (a
 * server with a lower maximum); 0 = the mock's own maximum. */
void        mm_mock_hub_set_search_limit_cap (MmMockHub   *self,
                                              guint        cap);

/* A fault count of MM_MOCK_HUB_ALWAYS never runs out. */
#define MM_MOCK_HUB_ALWAYS G_MAXUINT

/* The next @count CDN GETs/HEADs answer @status with a short text body. */
void        mm_mock_hub_cdn_fail_next        (MmMockHub   *self,
                                              guint        status,
                                              guint        count);

/* Like mm_mock_hub_cdn_fail_next(), and the failures carry
 * `Retry-After: @retry_after` (seconds; 0 = no header), as a 429 or 503 of
 * the CDN would. */
void        mm_mock_hub_cdn_fail_next_retry_after (MmMockHub *self,
                                                   guint      status,
                                                   guint      count,
                                                   guint      retry_after);

/* The next @count CDN GETs shut the connection down after @bytes body bytes
 * (counted from the first byte of that response, 200 or 206), so the client
 * sees a short read (for resume tests). */
void        mm_mock_hub_set_cdn_drop_after   (MmMockHub   *self,
                                              guint64      bytes,
                                              guint        count);

/* The next @count CDN GETs send @bytes body bytes and then stop sending
 * without closing the connection (the message is paused, the server thread
 * is not blocked). The connection is closed when the client goes away or
 * the mock stops. */
void        mm_mock_hub_set_cdn_stall_after  (MmMockHub   *self,
                                              guint64      bytes,
                                              guint        count);

/* The next @count CDN GETs announce their full Content-Length (200 or 206)
 * but close the connection @missing bytes before the end of that response
 * (nothing is sent when the response is shorter than @missing). */
void        mm_mock_hub_set_cdn_short_body   (MmMockHub   *self,
                                              guint64      missing,
                                              guint        count);

/* The byte at file offset @offset is flipped in the next @count CDN GET
 * responses that carry it (MM_MOCK_HUB_ALWAYS: in every one; 0: off). */
void        mm_mock_hub_set_cdn_corrupt_at   (MmMockHub   *self,
                                              guint64      offset,
                                              guint        count);

/* Replaces the content of an LFS file: version 1 is the catalog's, any other
 * version serves different bytes of the same size, with its own SHA-256,
 * ETag and CDN URL. /resolve, the tree and the model info report the
 * current version, as do mm_mock_hub_lookup_file() and mm_mock_hub_read_file().
 * CDN URLs handed out for an older version keep serving that version, and
 * the CDN honours If-Range: a Range with a stale ETag gets a 200 with the
 * whole file. Returns FALSE when there is no such LFS file. */
gboolean    mm_mock_hub_set_file_version     (MmMockHub   *self,
                                              const char  *repo_id,
                                              const char  *path,
                                              guint        version);

/* A new commit of @repo_id: its sha and lastModified (ISO 8601) change in
 * the model info, /resolve's X-Repo-Commit and the tree; the old commit
 * still resolves. With mm_mock_hub_set_file_version(), a file changed
 * upstream. Returns FALSE when there is no such repo. */
gboolean    mm_mock_hub_set_repo_commit      (MmMockHub   *self,
                                              const char  *repo_id,
                                              const char  *sha,
                                              const char  *last_modified);

/* The Range header of every CDN GET since the start or the last
 * mm_mock_hub_reset_counters(), in order; "" for a GET without one.
 * Free with g_strfreev(). */
char      **mm_mock_hub_get_cdn_ranges       (MmMockHub   *self);

/* Limits each CDN body to @bytes_per_second (0 = unlimited): a per-connection
 * cap, as CDNs and nginx's limit_rate apply. */
void        mm_mock_hub_set_cdn_rate         (MmMockHub   *self,
                                              guint64      bytes_per_second);

/* At most @max_connections CDN bodies at once (0 = no limit); beyond that
 * the CDN answers 503, as nginx's limit_conn does. */
void        mm_mock_hub_set_cdn_max_connections (MmMockHub *self,
                                                 guint      max_connections);

/* The most CDN bodies sent at once, and the CDN body bytes sent, since the
 * start or the last mm_mock_hub_reset_counters(). */
guint       mm_mock_hub_get_cdn_peak_connections (MmMockHub *self);
guint64     mm_mock_hub_get_cdn_bytes_sent   (MmMockHub   *self);

/* From now on every CDN answer carries the ETag @etag (NULL: the file's
 * own again), as when the object behind a URL is replaced at the CDN. */
void        mm_mock_hub_set_cdn_etag         (MmMockHub   *self,
                                              const char  *etag);

/* Every signed CDN URL handed out so far expires now: the CDN answers 403
 * AccessDenied to it, as to an expired signature. URLs from later
 * /resolve requests work. */
void        mm_mock_hub_expire_cdn_urls      (MmMockHub   *self);

/* When TRUE the CDN ignores Range and answers 200 with the whole file. */
void        mm_mock_hub_set_cdn_ignore_range (MmMockHub   *self,
                                              gboolean     ignore);

/* Looks a catalog file up; @size and @sha256 (LFS hash, or NULL for a git
 * file) are optional out-parameters. Returns FALSE when there is no such file. */
gboolean    mm_mock_hub_lookup_file          (MmMockHub   *self,
                                              const char  *repo_id,
                                              const char  *path,
                                              guint64     *size,
                                              char       **sha256);

/* Every .gguf file of the catalog, in catalog order, as a NULL-terminated
 * array of pairs: repo id, path, repo id, path, … */
char      **mm_mock_hub_list_gguf_files      (MmMockHub   *self);

/* The exact bytes the mock serves for [@offset, @offset + @length) of a file. */
GBytes     *mm_mock_hub_read_file            (MmMockHub   *self,
                                              const char  *repo_id,
                                              const char  *path,
                                              guint64      offset,
                                              gsize        length);

G_END_DECLS
