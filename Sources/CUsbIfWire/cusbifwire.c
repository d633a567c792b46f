// SPDX-License-Identifier: GPL-2.0-only OR MIT
// The shim is header-only; this file gives SwiftPM a source to compile.
#include "cusbifwire.h"
