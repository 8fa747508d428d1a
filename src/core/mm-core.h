/* mm-core.h
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GTK-free core: everything the app, the command line and the tests share.
 */
#pragma once

#include "mm-card.h"
#include "mm-compare-item.h"
#include "mm-comparison.h"
#include "mm-download.h"
#include "mm-download-item.h"
#include "mm-download-manager.h"
#include "mm-download-store.h"
#include "mm-file-clone.h"
#include "mm-format.h"
#include "mm-gguf-info.h"
#include "mm-gguf-reader.h"
#include "mm-hf-cache.h"
#include "mm-gpu.h"
#include "mm-hub-client-whoami.h"
#include "mm-hub-client.h"
#include "mm-hub-error.h"
#include "mm-hub-link.h"
#include "mm-json.h"
#include "mm-library.h"
#include "mm-library-entry.h"
#include "mm-library-trash.h"
#include "mm-machine.h"
#include "mm-memory-estimate.h"
#include "mm-memory-token-store.h"
#include "mm-model.h"
#include "mm-path.h"
#include "mm-quant.h"
#include "mm-rate-limiter.h"
#include "mm-repo-file.h"
#include "mm-reuse-index.h"
#include "mm-search-filter.h"
#include "mm-search-results.h"
#include "mm-secret-token-store.h"
#include "mm-settings.h"
#include "mm-system.h"
#include "mm-token-store.h"
#include "mm-types.h"
#include "mm-update-checker.h"
#include "mm-use-with.h"
