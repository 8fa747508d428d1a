/* mm-fake-network-monitor.h: a GNetworkMonitor that tests switch by hand
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MM_TYPE_FAKE_NETWORK_MONITOR (mm_fake_network_monitor_get_type ())

G_DECLARE_FINAL_TYPE (MmFakeNetworkMonitor, mm_fake_network_monitor, MM, FAKE_NETWORK_MONITOR,
                      GObject)

/* Starts with a network that is available and not metered. */
GNetworkMonitor *mm_fake_network_monitor_new           (void);
/* Each change notifies the property and emits network-changed, as
 * GLib's own monitors do. */
void             mm_fake_network_monitor_set_available (MmFakeNetworkMonitor *self,
                                                        gboolean              available);
void             mm_fake_network_monitor_set_metered   (MmFakeNetworkMonitor *self,
                                                        gboolean              metered);
/* Only emits network-changed, like a switch to another network. */
void             mm_fake_network_monitor_change        (MmFakeNetworkMonitor *self);

G_END_DECLS
