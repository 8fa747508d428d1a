/* mm-fake-session-manager.h: org.gnome.SessionManager on the test's bus
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns org.gnome.SessionManager on the session bus (the private one of
 * dbus-run-session) and records the inhibitors applications take. GTK asks
 * for them synchronously, so the fake answers from a thread of its own.
 * Start it before the GtkApplication registers: GTK looks for a session
 * manager only then.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MmFakeSessionManager MmFakeSessionManager;

MmFakeSessionManager *mm_fake_session_manager_start (GError              **error);
void                  mm_fake_session_manager_stop  (MmFakeSessionManager  *self);
/* The inhibitors held now, as "FLAGS:REASON" strings in the order taken
 * (FLAGS in decimal: 4 is suspend). Free with g_strfreev(). */
char                **mm_fake_session_manager_dup_inhibitors (MmFakeSessionManager *self);
/* How many Inhibit calls were made in all. */
guint                 mm_fake_session_manager_get_inhibit_calls (MmFakeSessionManager *self);

G_END_DECLS
