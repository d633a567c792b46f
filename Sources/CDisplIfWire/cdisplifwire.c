// SPDX-License-Identifier: GPL-2.0-only OR MIT
// The header's functions are static inline; this file gives the target a source.
#include "cdisplifwire.h"
