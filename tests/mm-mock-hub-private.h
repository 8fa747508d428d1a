/* mm-mock-hub-private.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the three parts of the mock Hub share. The mock has three parts, one
 * file each:
 *
 *  1. The catalog (mm-mock-hub-catalog.c): the repositories and files it
 *     serves, generated at start.
 *  2. The handlers (mm-mock-hub-handlers.c): one per endpoint of
 *     ../shared/hub-protocol.md, all called on the server thread.
 *  3. The object (mm-mock-hub.c): the thread and the two SoupServers it runs,
 *     and the public API of mm-mock-hub.h.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <stdio.h>

#include "mm-mock-hub.h"

G_BEGIN_DECLS

#define KIB (G_GUINT64_CONSTANT (1024))
#define MIB (KIB * 1024)

/* How much of a file is made at once: a streamed body's chunk, a step of
 * the SHA-256 computed at start. */
#define CHUNK_SIZE           (64 * 1024)
#define DEFAULT_SEARCH_LIMIT 30
#define MAX_SEARCH_LIMIT     1000
#define DEFAULT_TREE_PAGE    1000

/* ------------------------------------------------------------------------ */
/* The catalog (mm-mock-hub-catalog.c)                                       */
/* ------------------------------------------------------------------------ */

typedef enum {
  FILE_LFS,            /* binary LFS file, content generated from a seed */
  FILE_TEXT,           /* git file whose content is @text */
  FILE_CARD,           /* git README.md generated from the repo */
  FILE_GITATTRIBUTES,  /* the .gitattributes every Hub repo starts with */
  FILE_CONFIG,         /* a small config.json */
} FileKind;

typedef struct {
  gint64      total;            /* parameter count */
  const char *architecture;
  gint64      context_length;
  const char *chat_template;
  const char *bos_token;
  const char *eos_token;
  guint64     total_file_size;  /* 0 = the largest model file */
  /* The shape written into each file's GGUF header; 0 = key left out. */
  guint64     block_count;
  guint64     embedding_length;
  guint64     head_count;
  guint64     head_count_kv;
  guint64     vocab_size;       /* 0 = 32000 */
} GgufSpec;

typedef struct _MockRepo MockRepo;

typedef struct _MockFileStruct {
  char     *path;
  guint64   size;
  char     *blob_id;       /* git oid (of the LFS pointer for LFS files) */
  char     *sha256;        /* (nullable): LFS content hash; NULL for git files */
  char     *xet_hash;      /* (nullable) */
  guint     pointer_size;
  GBytes   *text;          /* (nullable): content of a git file */
  guint64   seed;
  GBytes   *gguf_header;    /* (nullable): the first bytes of a .gguf file */
  FileKind  kind;
  guint     version;       /* 1 for the catalog's files */
  MockRepo *repo;          /* (unowned) */
  /* (nullable) (owned): for an LFS file, its pointer text as a git file of
   * its own, which is what /raw/ serves */
  struct _MockFileStruct *pointer;
  /* (atomic) (nullable) (unowned): the version currently served instead of
   * this catalog file, owned by the hub's version_files table. Set from the
   * test thread, read on the server thread. */
  gpointer  current;
} MockFile;

typedef struct {
  gboolean  is_dir;
  char     *path;
  char     *oid;           /* directories only */
  MockFile *file;          /* (unowned) files only */
} MockEntry;

struct _MockRepo {
  char      *id;
  char      *author;
  char      *name;
  char      *object_id;
  char      *sha;
  char      *pipeline_tag;
  char      *library_name;
  char     **tags;
  gint64     downloads;
  gint64     likes;
  gint64     trending_score;
  char      *created_at;
  char      *last_modified;
  char      *gated;
  gboolean   disabled;
  gboolean   is_private;
  char      *license;
  char      *base_model;
  gboolean   has_gguf;
  GgufSpec   gguf;          /* strings point into gguf_strings */
  GPtrArray *gguf_strings;
  guint64    used_storage;
  GPtrArray *files;         /* (element-type MockFile) */
  GPtrArray *entries;       /* (element-type MockEntry): tree order */
  GPtrArray *old_shas;      /* (nullable): earlier commits, still served */
  GPtrArray *old_dates;     /* (nullable): their lastModified, kept for readers in flight */
};

/* FNV-1a of "@a\n@b": the seed of a path's content and other stable values. */
guint64         mock_fnv1a64            (const char     *a,
                                         const char     *b);
void            mock_file_free          (MockFile       *file);
void            mock_repo_free          (MockRepo       *repo);
/* Fills @buf with bytes [@offset, @offset + @len) of @file. */
void            mock_file_read          (const MockFile *file,
                                         guint64         offset,
                                         guint8         *buf,
                                         gsize           len);
/* The version of @file that is served now (see mm_mock_hub_set_file_version()). */
const MockFile *mock_file_current       (const MockFile *file);
/* Another version of the LFS file @base: same path and size, other bytes. */
MockFile       *mock_file_new_version   (const MockFile *base,
                                         guint           version);
MockFile       *mock_repo_find_file     (const MockRepo *repo,
                                         const char     *path);
/* @len hex digits of the @checksum of "@kind\n@id": stable made-up ids. */
char           *mock_derive_hex         (const char     *kind,
                                         const char     *id,
                                         GChecksumType   checksum,
                                         gsize           len);
/* The new name of a renamed repository, or NULL. */
const char     *mock_catalog_renamed_to (const char     *old_id);
/* Fills @self's repos, repo_index and cdn_index. */
void            mock_catalog_build      (MmMockHub      *self);

/* ------------------------------------------------------------------------ */
/* The object (mm-mock-hub.c)                                                */
/* ------------------------------------------------------------------------ */

struct _MmMockHub
{
  GObject         parent_instance;

  /* Immutable after mm_mock_hub_new() returns. */
  GPtrArray      *repos;          /* (element-type MockRepo) */
  GHashTable     *repo_index;     /* id → MockRepo */
  GHashTable     *cdn_index;      /* "object_id/sha256" → MockFile */
  char           *url;
  char           *cdn_url;
  guint           port;

  /* Owned by the server thread while it runs. */
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
  SoupServer     *hub_server;
  SoupServer     *cdn_server;
  GSocketService *hub_service;
  GSocketService *cdn_service;

  GMutex          mutex;
  GCond           cond;
  gboolean        started;
  GError         *start_error;

  /* Everything below is protected by @mutex. */
  guint           request_serial;
  guint           search_page_size;
  guint           search_limit_cap;
  guint           max_search_limit;    /* the largest `limit` honoured */
  guint           tree_page_size;
  guint           fail_status;
  guint           fail_count;
  guint           fail_retry_after;
  MmMockBody      body_mode;
  guint           body_count;
  guint           delay_ms;
  MmMockRefusedToken refused_token;
  guint           cdn_fail_status;
  guint           cdn_fail_count;
  guint           cdn_fail_retry_after;
  guint64         cdn_drop_after;
  guint           cdn_drop_count;
  guint64         cdn_stall_after;
  guint           cdn_stall_count;
  guint64         cdn_short_by;
  guint           cdn_short_count;
  guint64         cdn_corrupt_at;
  guint           cdn_corrupt_count;
  guint64         cdn_rate;
  gboolean        cdn_ignore_range;
  gboolean        resolve_cache;       /* small files redirect to /api/resolve-cache */
  guint           cdn_max_connections; /* 0 = no limit */
  char           *cdn_etag;            /* (nullable) the ETag every CDN answer gives */
  guint           cdn_active;          /* CDN bodies being sent now */
  guint           cdn_peak;            /* the most at once since the last reset */
  guint64         cdn_bytes_sent;      /* CDN body bytes since the last reset */
  guint           cdn_url_issue;       /* signed URLs handed out */
  guint           cdn_expired_through; /* those up to this one answer 403 */
  GHashTable     *version_files;  /* "repo\npath\nversion" → MockFile (owned) */
  GHashTable     *cdn_versions;   /* "object_id/sha256" → MockFile of version_files */
  GPtrArray      *cdn_ranges;     /* (element-type utf8): Range of each CDN GET */
  GPtrArray      *request_paths;
  FILE           *request_log;    /* (nullable) one line per request, for other processes */
  char           *last_user_agent;
  char           *last_hub_auth;
  char           *last_cdn_auth;
};

/* ------------------------------------------------------------------------ */
/* The handlers (mm-mock-hub-handlers.c)                                     */
/* ------------------------------------------------------------------------ */

/* The SoupServerCallbacks of the Hub and of the CDN; @user_data is the hub. */
void            mock_hub_handler_cb     (SoupServer        *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);
void            mock_cdn_handler_cb     (SoupServer        *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);

G_END_DECLS
