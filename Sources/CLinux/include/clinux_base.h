// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libc for device code. Embedded Swift cannot import Glibc, cannot call variadic
// C functions and cannot read `errno` (a macro), so the few calls that need it
// are wrapped here in `static inline` functions named `clinux_<call>`.
#ifndef CLINUX_BASE_H
#define CLINUX_BASE_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/// The calling thread's `errno`.
static inline int clinux_errno(void) { return errno; }

/// Sets `errno` (tests and simulated platforms report failures through it).
static inline void clinux_set_errno(int value) { errno = value; }

/// `open(2)` without the variadic signature.
static inline int clinux_open(const char *path, int flags, mode_t mode) {
    return open(path, flags, mode);
}

/// `ioctl(2)` with a pointer argument.
static inline int clinux_ioctl_ptr(int fd, unsigned long request, void *arg) {
    return ioctl(fd, request, arg);
}

/// `ioctl(2)` with an integer argument.
static inline int clinux_ioctl_int(int fd, unsigned long request, unsigned long arg) {
    return ioctl(fd, request, arg);
}

/// `fcntl(2)` with an integer argument.
static inline int clinux_fcntl_int(int fd, int command, int arg) {
    return fcntl(fd, command, arg);
}

/// `mmap(2)` reporting failure as NULL instead of `MAP_FAILED`.
static inline void *clinux_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) {
    void *p = mmap(addr, length, prot, flags, fd, offset);
    return p == MAP_FAILED ? NULL : p;
}

/// Makes stdout line-buffered, so a trap does not lose a full buffer of log lines.
static inline void clinux_stdout_line_buffered(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/// Monotonic clock in nanoseconds.
static inline uint64_t clinux_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/// Full memory barrier, as `xen_mb()` in xen/io/ring.h users.
static inline void clinux_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
/// Read barrier (`xen_rmb()`).
static inline void clinux_rmb(void) { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
/// Write barrier (`xen_wmb()`).
static inline void clinux_wmb(void) { __atomic_thread_fence(__ATOMIC_RELEASE); }

#endif
