// SPDX-License-Identifier: GPL-2.0-only OR MIT
// A C target needs one source file; the module is the header.
#include "cxenstore_probe.h"
