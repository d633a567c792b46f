// SPDX-License-Identifier: GPL-2.0-only OR MIT
// libxenstore as the probe sees it.
#ifndef CXENSTORE_PROBE_H
#define CXENSTORE_PROBE_H
#include <xenstore.h>
#endif
