/* mm-fake-network-monitor.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-fake-network-monitor.h"

struct _MmFakeNetworkMonitor
{
  GObject parent_instance;

  gboolean available;
  gboolean metered;
};

static void network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MmFakeNetworkMonitor, mm_fake_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      network_monitor_iface_init))

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
fake_can_reach (GNetworkMonitor     *monitor,
                GSocketConnectable  *connectable,
                GCancellable        *cancellable,
                GError             **error)
{
  MmFakeNetworkMonitor *self = MM_FAKE_NETWORK_MONITOR (monitor);

  if (!self->available)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                           "The fake network is down");
      return FALSE;
    }
  return TRUE;
}

static void
network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_can_reach;
}

static gboolean
fake_init (GInitable     *initable,
           GCancellable  *cancellable,
           GError       **error)
{
  return TRUE;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_init;
}

static void
mm_fake_network_monitor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  MmFakeNetworkMonitor *self = MM_FAKE_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, self->metered);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_fake_network_monitor_class_init (MmFakeNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mm_fake_network_monitor_get_property;

  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
mm_fake_network_monitor_init (MmFakeNetworkMonitor *self)
{
  self->available = TRUE;
}

GNetworkMonitor *
mm_fake_network_monitor_new (void)
{
  return g_object_new (MM_TYPE_FAKE_NETWORK_MONITOR, NULL);
}

void
mm_fake_network_monitor_set_available (MmFakeNetworkMonitor *self,
                                       gboolean              available)
{
  if (self->available == !!available)
    return;

  self->available = !!available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", self->available);
}

void
mm_fake_network_monitor_set_metered (MmFakeNetworkMonitor *self,
                                     gboolean              metered)
{
  if (self->metered == !!metered)
    return;

  self->metered = !!metered;
  g_object_notify (G_OBJECT (self), "network-metered");
  g_signal_emit_by_name (self, "network-changed", self->available);
}

void
mm_fake_network_monitor_change (MmFakeNetworkMonitor *self)
{
  g_signal_emit_by_name (self, "network-changed", self->available);
}
