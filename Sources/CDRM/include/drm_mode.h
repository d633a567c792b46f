// SPDX-License-Identifier: GPL-2.0-only OR MIT
// Forwarder for xf86drmMode.h's <drm_mode.h> (see drm.h beside this file).
#include <libdrm/drm_mode.h>
