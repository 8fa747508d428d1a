/* mm-cli-commands.h: subcommands of model-manager-cli that live in their own files
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each takes the arguments from the command name on (argv[0] is the command)
 * and returns the exit status: 0 on success, 2 on a usage error, 1 on any
 * other failure.
 */
#pragma once

#include <glib.h>

#include "mm-core.h"

G_BEGIN_DECLS

int mm_cli_gguf (int    argc,
                 char **argv);
int mm_cli_list (int    argc,
                 char **argv);
int mm_cli_update (int    argc,
                   char **argv);

MmSettings  *mm_cli_settings (GError    **error);
MmHubClient *mm_cli_client   (MmSettings *settings);

G_END_DECLS
