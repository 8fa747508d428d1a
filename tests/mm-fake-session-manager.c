/* mm-fake-session-manager.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mm-fake-session-manager.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gnome.SessionManager'>"
  "    <method name='RegisterClient'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='client_startup_id' direction='in'/>"
  "      <arg type='o' name='client_id' direction='out'/>"
  "    </method>"
  "    <method name='Inhibit'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='u' name='toplevel_xid' direction='in'/>"
  "      <arg type='s' name='reason' direction='in'/>"
  "      <arg type='u' name='flags' direction='in'/>"
  "      <arg type='u' name='cookie' direction='out'/>"
  "    </method>"
  "    <method name='Uninhibit'>"
  "      <arg type='u' name='cookie' direction='in'/>"
  "    </method>"
  "    <method name='IsInhibited'>"
  "      <arg type='u' name='flags' direction='in'/>"
  "      <arg type='b' name='is_inhibited' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  guint cookie;
  guint flags;
  char *reason;
} Inhibitor;

struct _MmFakeSessionManager
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GDBusConnection *connection;
  GMutex mutex;
  GCond cond;
  GError *error;              /* why it could not start */
  GArray *inhibitors;         /* Inhibitor, under mutex */
  guint next_cookie;
  guint inhibit_calls;
  guint registration_id;
  guint owner_id;
  gboolean ready;
};

static void
inhibitor_clear (gpointer data)
{
  g_free (((Inhibitor *) data)->reason);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  MmFakeSessionManager *self = user_data;

  if (g_str_equal (method_name, "RegisterClient"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(o)",
                                                            "/org/gnome/SessionManager/Client1"));
    }
  else if (g_str_equal (method_name, "Inhibit"))
    {
      Inhibitor inhibitor = { 0, };
      const char *reason = NULL;

      g_variant_get (parameters, "(&su&su)", NULL, NULL, &reason, &inhibitor.flags);
      inhibitor.reason = g_strdup (reason);
      g_mutex_lock (&self->mutex);
      inhibitor.cookie = ++self->next_cookie;
      self->inhibit_calls++;
      g_array_append_val (self->inhibitors, inhibitor);
      g_mutex_unlock (&self->mutex);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", inhibitor.cookie));
    }
  else if (g_str_equal (method_name, "Uninhibit"))
    {
      guint cookie = 0;

      g_variant_get (parameters, "(u)", &cookie);
      g_mutex_lock (&self->mutex);
      for (guint i = 0; i < self->inhibitors->len; i++)
        {
          if (g_array_index (self->inhibitors, Inhibitor, i).cookie == cookie)
            {
              g_array_remove_index (self->inhibitors, i);
              break;
            }
        }
      g_mutex_unlock (&self->mutex);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "IsInhibited"))
    {
      guint flags = 0;
      gboolean inhibited = FALSE;

      g_variant_get (parameters, "(u)", &flags);
      g_mutex_lock (&self->mutex);
      for (guint i = 0; i < self->inhibitors->len; i++)
        inhibited |= (g_array_index (self->inhibitors, Inhibitor, i).flags & flags) != 0;
      g_mutex_unlock (&self->mutex);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", inhibited));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "The fake session manager has no %s", method_name);
    }
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static void
set_ready (MmFakeSessionManager *self,
           GError               *error)
{
  g_mutex_lock (&self->mutex);
  if (error != NULL && self->error == NULL)
    self->error = error;
  else if (error != NULL)
    g_error_free (error);
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  set_ready (user_data, NULL);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  set_ready (user_data, g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                     "org.gnome.SessionManager is owned already"));
}

static gpointer
thread_func (gpointer data)
{
  MmFakeSessionManager *self = data;
  g_autoptr(GDBusNodeInfo) info = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);

  /* A connection of our own: its method calls are dispatched here. */
  self->connection = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS") ? g_getenv ("DBUS_SESSION_BUS_ADDRESS") : "",
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  if (self->connection == NULL)
    {
      set_ready (self, error);
      goto out;
    }

  info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  self->registration_id = g_dbus_connection_register_object (self->connection,
                                                             "/org/gnome/SessionManager",
                                                             info->interfaces[0], &vtable,
                                                             self, NULL, &error);
  if (self->registration_id == 0)
    {
      set_ready (self, error);
      goto out;
    }
  self->owner_id = g_bus_own_name_on_connection (self->connection, "org.gnome.SessionManager",
                                                 G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                 name_acquired_cb, name_lost_cb, self, NULL);
  g_main_loop_run (self->loop);

  g_bus_unown_name (self->owner_id);
  g_dbus_connection_unregister_object (self->connection, self->registration_id);
  g_dbus_connection_flush_sync (self->connection, NULL, NULL);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);

out:
  g_clear_object (&self->connection);
  /* Let pending idles and the connection's last sources go. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

MmFakeSessionManager *
mm_fake_session_manager_start (GError **error)
{
  MmFakeSessionManager *self = g_new0 (MmFakeSessionManager, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->inhibitors = g_array_new (FALSE, TRUE, sizeof (Inhibitor));
  g_array_set_clear_func (self->inhibitors, inhibitor_clear);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fake-session-manager", thread_func, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      mm_fake_session_manager_stop (self);
      return NULL;
    }

  return self;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
mm_fake_session_manager_stop (MmFakeSessionManager *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_array_unref (self->inhibitors);
  g_clear_error (&self->error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

char **
mm_fake_session_manager_dup_inhibitors (MmFakeSessionManager *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->inhibitors->len; i++)
    {
      Inhibitor *inhibitor = &g_array_index (self->inhibitors, Inhibitor, i);
      g_autofree char *text = g_strdup_printf ("%u:%s", inhibitor->flags, inhibitor->reason);

      g_strv_builder_add (builder, text);
    }
  g_mutex_unlock (&self->mutex);

  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

guint
mm_fake_session_manager_get_inhibit_calls (MmFakeSessionManager *self)
{
  guint calls;

  g_mutex_lock (&self->mutex);
  calls = self->inhibit_calls;
  g_mutex_unlock (&self->mutex);
  return calls;
}
