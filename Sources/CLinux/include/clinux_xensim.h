// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// What the simulated Xen platform needs from Linux beyond clinux_base.h: an
// anonymous memory file that stands in for guest physical memory (so a granted
// page can be mapped a second time, writable or read-only, at another address),
// and non-blocking pipes that stand in for event-channel and xenstore-watch fds.
#ifndef CLINUX_XENSIM_H
#define CLINUX_XENSIM_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/// `memfd_create(2)` through `syscall(2)` (no _GNU_SOURCE needed); -1 on failure.
static inline int clinux_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
}

/// `pipe2(2)` with O_NONBLOCK | O_CLOEXEC on both ends; fds[0] reads, fds[1] writes.
static inline int clinux_pipe_nonblocking(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL, 0) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

/// Reserves `length` bytes of address space with no access (PROT_NONE); NULL on failure.
static inline void *clinux_reserve_address_space(size_t length) {
    void *p = mmap(NULL, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/// Maps one page of `fd` at `offset` exactly at `address` (MAP_FIXED | MAP_SHARED).
static inline int clinux_map_shared_page_at(void *address, size_t length, int writable, int fd, off_t offset) {
    void *p = mmap(address, length, writable ? (PROT_READ | PROT_WRITE) : PROT_READ,
                   MAP_SHARED | MAP_FIXED, fd, offset);
    return p == MAP_FAILED ? -1 : 0;
}

#endif
