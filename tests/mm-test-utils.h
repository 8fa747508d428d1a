/* mm-test-utils.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "mm-core.h"
#include "mm-mock-hub.h"

G_BEGIN_DECLS

/* Spins the thread-default main context until *@result is set or @timeout_ms
 * passes (then the test fails). Use with mm_test_store_result_cb. */
void      mm_test_wait_for_result   (GAsyncResult **result,
                                     guint          timeout_ms);
void      mm_test_store_result_cb   (GObject       *source,
                                     GAsyncResult  *result,
                                     gpointer       user_data);
/* Spins until @condition (called with @data) is TRUE or the timeout fails the test. */
void      mm_test_wait_until        (gboolean     (*condition) (gpointer data),
                                     gpointer       data,
                                     guint          timeout_ms);
/* A condition for mm_test_wait_until(): whether the gboolean at @data is set. */
gboolean  mm_test_flag_is_set       (gpointer       data);
/* A condition for mm_test_wait_until(): whether the pointer at @data is
 * NULL, as a weak pointer is once its object went. */
gboolean  mm_test_pointer_is_null   (gpointer       data);
/* Drops the caller's reference to @object and waits until pending callbacks
 * (cancelled requests, a toast's animation, a worker thread) let go of it
 * too and it is finalized. Polls, since a last reference dropped on another
 * thread wakes no main context. Fails the test after 30 s. */
void      mm_test_wait_finalized    (gpointer       object);
/* Runs @run in a subprocess of the current test (for a test that sets
 * environment variables the code reads once, or that must not leave its
 * state behind), and fails unless it passes within @timeout_s seconds. Call
 * it as the whole body of a test function. */
void      mm_test_run_in_subprocess (void         (*run) (void),
                                     guint          timeout_s,
                                     GTestSubprocessFlags flags);
/* Runs the thread-default main context for @ms: lets a window settle
 * (idles, transitions, focus changes) when there is no event to wait for. */
void      mm_test_wait_ms           (guint          ms);
/* Reads a fixture from ../shared/fixtures/hub (MM_FIXTURES_DIR). */
GBytes   *mm_test_load_fixture      (const char    *name);

/* Serves @server on @address (a numeric IPv4 or IPv6 address) at @port (0:
 * a free one), accepting connections itself instead of soup_server_listen*(), whose
 * listener leaks every accepted GSocket in libsoup 3.2 (fixed in 3.4).
 * Connections stay open between requests (HTTP/1.1 keep-alive), as with
 * libsoup's own listener. Each connection's GSocket rides on its remote
 * address as "mm-socket", for handlers that must cut it. Returns the
 * service (stop and unref it before the server) and sets @url to
 * "http://ADDRESS:PORT". */
GSocketService *mm_test_server_listen (SoupServer  *server,
                                       const char  *address,
                                       guint16      port,
                                       char       **url,
                                       GError     **error);

/* The bytes a partial download keeps, as its sidecar (`<partial>.json`)
 * records them: the sum of its ranges, or for a sidecar of the older
 * single-stream format the partial's size. 0 when there is no partial. */
guint64         mm_test_partial_bytes (const char  *partial_path);

/* Waits until the caller holds the only reference to @object: transfers
 * that were stopping hold their client until they land, and a worker
 * thread may drop the last other reference, which wakes no main context,
 * so this polls. Fails the test after 30 s. */
void            mm_test_wait_until_sole_owner (gpointer object);

/* Model info of @repo_id from @client; fails the test on an error. */
MmModel        *mm_test_fetch_model   (MmHubClient *client,
                                       const char  *repo_id);
/* Fails the test unless the file at @path holds exactly the bytes the mock
 * Hub serves as @file of @repo_id (size and SHA-256). */
void            mm_test_assert_file_is (MmMockHub  *hub,
                                        const char *repo_id,
                                        const char *file,
                                        const char *path);

/* What a command run by a test printed, and how it ended. */
typedef struct {
  char *out;
  char *err;
  int   status;
} MmTestRun;

void            mm_test_run_clear     (MmTestRun   *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MmTestRun, mm_test_run_clear)

/* A launcher for the command line (MM_CLI) with the Hub at @endpoint:
 * stdout and stderr piped, no token from the test's environment (HF_TOKEN,
 * HUGGING_FACE_HUB_TOKEN) or from the desktop's keyring
 * (MM_TOKEN_STORE=memory), no injected disk faults (MM_TEST_WRITE_FAIL_AFTER,
 * MM_TEST_FREE_SPACE), C.UTF-8. Set more of its environment on it. */
GSubprocessLauncher *mm_test_cli_launcher_new (const char          *endpoint);
/* Starts the command line from @launcher with the arguments in @args (the
 * program's name left out), up to a NULL. */
GSubprocess    *mm_test_cli_spawn_valist (GSubprocessLauncher *launcher,
                                          va_list              args);
/* Waits for @process and puts its output and how it ended into @run: its
 * exit status, or minus the signal that ended it. */
void            mm_test_run_finish    (GSubprocess *process,
                                       MmTestRun   *run);

G_END_DECLS
