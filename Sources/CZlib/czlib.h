// SPDX-License-Identifier: GPL-2.0-only OR MIT
// Shim exposing the system zlib (zlib1g-dev) to Swift for gzip and CRC32.
#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

/// deflateInit2 is a macro in zlib.h; this wraps it so Swift can call it.
static inline int czlib_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
}
#endif
