// SPDX-License-Identifier: GPL-2.0-only OR MIT
// xf86drm.h includes <drm.h>, which libdrm installs as <libdrm/drm.h>; this
// forwarder lets the shim build with only the sysroot's usr/include searched.
#include <libdrm/drm.h>
