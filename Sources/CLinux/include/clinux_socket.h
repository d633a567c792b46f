// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Sockets for device code: a connected pair of stream sockets (the usbif
// end-to-end test's USB/IP device hands one end to vhci-hcd).
#ifndef CLINUX_SOCKET_H
#define CLINUX_SOCKET_H

#include <sys/socket.h>

/// `socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)`: 0, or -1 and errno.
static inline int clinux_stream_socketpair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

#endif
