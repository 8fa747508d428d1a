/* mm-tls-database.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The system's certificate database, asked through a wrapper.
 *
 * glib-networking's GnuTLS backend (2.74, Debian 12) gives every TLS
 * connection whose database is its own a fresh copy of the whole system
 * trust list: about 4 MiB per connection, so eight download connections
 * cost 32 MiB. For any other GTlsDatabase it keeps no copy and asks the
 * database to verify the chain. MmTlsDatabase is such another database:
 * it hands every question, unchanged, to the backend's own default
 * database, which is loaded once, and it is installed as the process's
 * default database (a connection picks its database up when it is made,
 * before libsoup could set another). What is trusted, and how a chain is
 * checked, stays the system's.
 */
#define G_LOG_DOMAIN "mm-tls-database"

#include "config.h"

#include "mm-tls-database.h"

struct _MmTlsDatabase
{
  GTlsDatabase parent_instance;

  GTlsDatabase *system;
};

G_DEFINE_FINAL_TYPE (MmTlsDatabase, mm_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
mm_tls_database_verify_chain (GTlsDatabase             *database,
                              GTlsCertificate          *chain,
                              const char               *purpose,
                              GSocketConnectable       *identity,
                              GTlsInteraction          *interaction,
                              GTlsDatabaseVerifyFlags   flags,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (database);

  return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction,
                                      flags, cancellable, error);
}

static char *
mm_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                           GTlsCertificate *certificate)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->system, certificate);
}

static GTlsCertificate *
mm_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                               const char               *handle,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_for_handle (self->system, handle, interaction,
                                                       flags, cancellable, error);
}

static GTlsCertificate *
mm_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                           GTlsCertificate          *certificate,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseLookupFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction,
                                                   flags, cancellable, error);
}

static GList *
mm_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                               GByteArray               *issuer_raw_dn,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (database);

  return g_tls_database_lookup_certificates_issued_by (self->system, issuer_raw_dn,
                                                       interaction, flags, cancellable, error);
}

static void
mm_tls_database_finalize (GObject *object)
{
  MmTlsDatabase *self = MM_TLS_DATABASE (object);

  g_clear_object (&self->system);

  G_OBJECT_CLASS (mm_tls_database_parent_class)->finalize (object);
}

static void
mm_tls_database_class_init (MmTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = mm_tls_database_finalize;

  database_class->verify_chain = mm_tls_database_verify_chain;
  database_class->create_certificate_handle = mm_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = mm_tls_database_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = mm_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = mm_tls_database_lookup_certificates_issued_by;
}

static void
mm_tls_database_init (MmTlsDatabase *self)
{
}

/**
 * mm_tls_database_install:
 *
 * Makes an MmTlsDatabase, wrapping the TLS backend's own default database,
 * the default database of the process, once. Every TLS connection made
 * after this (libsoup's included) checks certificates through it. Call it
 * before the first connection; later calls do nothing.
 */
void
mm_tls_database_install (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      GTlsBackend *backend = g_tls_backend_get_default ();
      g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (backend);

      /* The dummy backend (no glib-networking) has no database: leave it. */
      if (system != NULL && !MM_IS_TLS_DATABASE (system))
        {
          g_autoptr(MmTlsDatabase) wrapper = g_object_new (MM_TYPE_TLS_DATABASE, NULL);

          wrapper->system = g_steal_pointer (&system);
          g_tls_backend_set_default_database (backend, G_TLS_DATABASE (wrapper));
        }
      g_once_init_leave (&installed, 1);
    }
}
