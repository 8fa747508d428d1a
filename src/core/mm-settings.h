/* mm-settings.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: use an MmSettings from the thread that made it (GSettings
 * signals arrive on that thread's main context).
 */
#pragma once

#include <gio/gio.h>

#include "mm-hub-client.h"
#include "mm-types.h"

G_BEGIN_DECLS

#define MM_TYPE_SETTINGS (mm_settings_get_type ())

G_DECLARE_FINAL_TYPE (MmSettings, mm_settings, MM, SETTINGS, GObject)

#define MM_SETTINGS_MIN_CONCURRENT 1
#define MM_SETTINGS_MAX_CONCURRENT 8
#define MM_SETTINGS_MIN_CONNECTIONS 1
#define MM_SETTINGS_MAX_CONNECTIONS 16
#define MM_SETTINGS_MIN_ESTIMATE_CONTEXT 256
#define MM_SETTINGS_MAX_ESTIMATE_CONTEXT 1048576
#define MM_SETTINGS_DEFAULT_ESTIMATE_CONTEXT 4096

/**
 * MmDownloadLocation:
 * @MM_DOWNLOAD_LOCATION_MODELS_FOLDER: the download folder, `owner/name/path`
 * @MM_DOWNLOAD_LOCATION_HF_CACHE: the Hugging Face cache (see mm-hf-cache.h)
 */
typedef enum {
  MM_DOWNLOAD_LOCATION_MODELS_FOLDER,
  MM_DOWNLOAD_LOCATION_HF_CACHE,
} MmDownloadLocation;

gboolean      mm_settings_check_schema               (GError              **error);
MmSettings   *mm_settings_new                        (GError              **error);

GSettings    *mm_settings_get_gsettings              (MmSettings           *self);

char         *mm_settings_dup_download_folder        (MmSettings           *self);
void          mm_settings_set_download_folder        (MmSettings           *self,
                                                      const char           *folder);
char         *mm_settings_dup_effective_download_folder (MmSettings        *self);
MmDownloadLocation mm_settings_get_download_location (MmSettings           *self);
void          mm_settings_set_download_location      (MmSettings           *self,
                                                      MmDownloadLocation    location);

gboolean      mm_settings_add_library_folder         (MmSettings           *self,
                                                      const char           *folder);
gboolean      mm_settings_remove_library_folder      (MmSettings           *self,
                                                      const char           *folder);
char        **mm_settings_dup_library_folders        (MmSettings           *self);

int           mm_settings_get_max_concurrent         (MmSettings           *self);
int           mm_settings_get_connections            (MmSettings           *self);
void          mm_settings_set_connections            (MmSettings           *self,
                                                      int                   connections);
void          mm_settings_set_max_concurrent         (MmSettings           *self,
                                                      int                   max_concurrent);
guint64       mm_settings_get_rate_limit             (MmSettings           *self);
void          mm_settings_set_rate_limit             (MmSettings           *self,
                                                      guint64               bytes_per_second);
guint         mm_settings_get_estimate_context       (MmSettings           *self);
void          mm_settings_set_estimate_context       (MmSettings           *self,
                                                      guint                 tokens);
guint64       mm_settings_get_ram_budget             (MmSettings           *self);
void          mm_settings_set_ram_budget             (MmSettings           *self,
                                                      guint64               bytes);
gboolean      mm_settings_get_auto_resume            (MmSettings           *self);
void          mm_settings_set_auto_resume            (MmSettings           *self,
                                                      gboolean              auto_resume);
MmSort        mm_settings_get_sort                   (MmSettings           *self);
void          mm_settings_set_sort                   (MmSettings           *self,
                                                      MmSort                sort);
gboolean      mm_settings_get_gguf_only              (MmSettings           *self);
void          mm_settings_set_gguf_only              (MmSettings           *self,
                                                      gboolean              gguf_only);
gboolean      mm_settings_get_first_run_done         (MmSettings           *self);
void          mm_settings_set_first_run_done         (MmSettings           *self,
                                                      gboolean              done);

char         *mm_settings_dup_endpoint               (MmSettings           *self);
gboolean      mm_settings_set_endpoint               (MmSettings           *self,
                                                      const char           *endpoint,
                                                      GError              **error);
char         *mm_settings_dup_effective_endpoint     (MmSettings           *self);
const char   *mm_settings_get_environment_endpoint   (void);
gboolean      mm_settings_validate_endpoint          (const char           *endpoint,
                                                      char                **normalized,
                                                      GError              **error);

MmHubClient  *mm_settings_create_client              (MmSettings           *self,
                                                      const char           *token);

char         *mm_settings_find_lm_studio_folder      (void);

G_END_DECLS
