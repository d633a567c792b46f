// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Kernel module loading for the init: finit_module(2) (no modprobe program in
// DomD) and the running kernel's release for /lib/modules/RELEASE.
#ifndef CLINUX_MODULE_H
#define CLINUX_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/// Loads the module in file `path` with `parameters` ("key=value ..."):
/// open + finit_module(fd, parameters, 0). Returns 0 or the errno (EEXIST: already loaded).
static inline int clinux_load_module_file(const char *path, const char *parameters) {
    int fd;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return errno;
    long result = syscall(SYS_finit_module, fd, parameters, 0);
    int error = result == 0 ? 0 : errno;
    close(fd);
    return error;
}

/// Copies uname(2)'s release (`6.1.0-28-arm64`) into `buffer`; returns 0 or the errno.
static inline int clinux_kernel_release(char *buffer, size_t size) {
    struct utsname names;
    if (uname(&names) != 0) return errno;
    if (size == 0) return EINVAL;
    strncpy(buffer, names.release, size - 1);
    buffer[size - 1] = 0;
    return 0;
}

#endif
