/* mm-suspend-inhibitor.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeps the computer awake while something downloads: a 40 GB model takes
 * hours, and a laptop that suspends at the idle timeout stops it in the
 * middle. While the download manager's :active-count is above zero the
 * application holds a suspend inhibitor (gtk_application_inhibit(), which
 * asks the session manager, or the Inhibit portal inside a sandbox) whose
 * reason says how many models download; a new count replaces it. Paused,
 * waiting and scheduled items are not active, so they hold none: the
 * computer may sleep until a schedule starts, and its wake-up is noticed
 * by the manager.
 */
#define G_LOG_DOMAIN "mm-suspend-inhibitor"

#include "config.h"

#include "mm-suspend-inhibitor.h"

#include <glib/gi18n.h>

struct _MmSuspendInhibitor
{
  GObject parent_instance;

  GtkApplication    *application;  /* (weak) */
  MmDownloadManager *manager;      /* (owned) */
  guint              cookie;       /* 0: none held */
  guint              count;        /* what the reason says */
  char              *reason;       /* (nullable) */
};

G_DEFINE_FINAL_TYPE (MmSuspendInhibitor, mm_suspend_inhibitor, G_TYPE_OBJECT)

static void
release (MmSuspendInhibitor *self)
{
  if (self->cookie != 0 && self->application != NULL)
    gtk_application_uninhibit (self->application, self->cookie);
  self->cookie = 0;
  self->count = 0;
  g_clear_pointer (&self->reason, g_free);
}

static void
update (MmSuspendInhibitor *self)
{
  guint count = mm_download_manager_get_active_count (self->manager);
  g_autofree char *reason = NULL;
  guint cookie;

  if (count == self->count && (count == 0 || self->cookie != 0))
    return;

  if (count == 0 || self->application == NULL)
    {
      g_debug ("Suspend allowed again");
      release (self);
      return;
    }

  /* Translators: why the computer does not suspend, shown by the
   * desktop (e.g. when the user tries to log out) */
  reason = g_strdup_printf (ngettext ("Downloading %u model", "Downloading %u models", count),
                            count);
  /* The new one first, so that there is no moment without any. */
  cookie = gtk_application_inhibit (self->application, NULL, GTK_APPLICATION_INHIBIT_SUSPEND,
                                    reason);
  if (cookie == 0)
    g_debug ("The session would not hold off suspend: %s", reason);
  else
    g_debug ("Suspend held off: %s", reason);

  if (self->cookie != 0)
    gtk_application_uninhibit (self->application, self->cookie);
  self->cookie = cookie;
  self->count = count;
  g_free (self->reason);
  self->reason = g_steal_pointer (&reason);
}

static void
mm_suspend_inhibitor_dispose (GObject *object)
{
  MmSuspendInhibitor *self = MM_SUSPEND_INHIBITOR (object);

  release (self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (mm_suspend_inhibitor_parent_class)->dispose (object);
}

static void
mm_suspend_inhibitor_class_init (MmSuspendInhibitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_suspend_inhibitor_dispose;
}

static void
mm_suspend_inhibitor_init (MmSuspendInhibitor *self)
{
}

/**
 * mm_suspend_inhibitor_new:
 * @application: the registered application that asks
 * @manager: the downloads to follow
 *
 * Returns: (transfer full): an inhibitor that follows @manager until it is
 *   disposed (then any inhibitor held is released)
 */
MmSuspendInhibitor *
mm_suspend_inhibitor_new (GtkApplication    *application,
                          MmDownloadManager *manager)
{
  MmSuspendInhibitor *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (MM_IS_DOWNLOAD_MANAGER (manager), NULL);

  self = g_object_new (MM_TYPE_SUSPEND_INHIBITOR, NULL);
  g_set_weak_pointer (&self->application, application);
  self->manager = g_object_ref (manager);
  g_signal_connect_object (manager, "notify::active-count", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  return self;
}

/**
 * mm_suspend_inhibitor_is_active:
 * Returns: whether the session holds off suspend for us now
 */
gboolean
mm_suspend_inhibitor_is_active (MmSuspendInhibitor *self)
{
  g_return_val_if_fail (MM_IS_SUSPEND_INHIBITOR (self), FALSE);
  return self->cookie != 0;
}

/**
 * mm_suspend_inhibitor_get_reason:
 * Returns: (nullable): the reason given, while one is held
 */
const char *
mm_suspend_inhibitor_get_reason (MmSuspendInhibitor *self)
{
  g_return_val_if_fail (MM_IS_SUSPEND_INHIBITOR (self), NULL);
  return self->cookie != 0 ? self->reason : NULL;
}
