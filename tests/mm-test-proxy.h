/* mm-test-proxy.h: a forward HTTP proxy on loopback, for proxy tests
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Takes requests in absolute form ("GET http://host:port/path"), as
 * clients send them to an HTTP proxy for http:// URLs, forwards each to
 * its origin (redirects are passed back, not followed) and records it.
 * It serves the thread-default main context it was made in.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MmTestProxy MmTestProxy;

MmTestProxy *mm_test_proxy_new          (GError      **error);
void         mm_test_proxy_free         (MmTestProxy  *self);
/* "http://127.0.0.1:PORT" */
const char  *mm_test_proxy_get_url      (MmTestProxy  *self);
/* Every request forwarded so far, as "METHOD URI". Free with g_strfreev(). */
char       **mm_test_proxy_dup_requests (MmTestProxy  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MmTestProxy, mm_test_proxy_free)

G_END_DECLS
