// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Process control for the DomD init (PID 1): fork+exec, wait status macros,
// signalfd (also the backends' stop signals), mount and power-off. Everything that Embedded Swift cannot reach
// directly (macros, fork's async-signal-safe child side) lives here as
// `static inline` functions named `clinux_<call>`.
#ifndef CLINUX_PROCESS_H
#define CLINUX_PROCESS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/// The descriptor number a backend finds its readiness pipe at (`DRIVERDOM_READY_FD`).
#define CLINUX_READY_FD 3

/// `WIFEXITED(status)`.
static inline int clinux_wifexited(int status) { return WIFEXITED(status); }
/// `WEXITSTATUS(status)`.
static inline int clinux_wexitstatus(int status) { return WEXITSTATUS(status); }
/// `WIFSIGNALED(status)`.
static inline int clinux_wifsignaled(int status) { return WIFSIGNALED(status); }
/// `WTERMSIG(status)`.
static inline int clinux_wtermsig(int status) { return WTERMSIG(status); }

/// `waitpid(-1, &status, WNOHANG)`: reaps any one child (orphans re-parented to
/// PID 1 included). Returns the pid, 0 when no child has changed state, -1 on
/// error (ECHILD when there are no children at all).
static inline pid_t clinux_reap_any(int *status) {
    pid_t pid;
    do {
        pid = waitpid(-1, status, WNOHANG);
    } while (pid < 0 && errno == EINTR);
    return pid;
}

/// `waitpid(pid, &status, WNOHANG)`: reaps that child if it has ended.
/// Returns the pid, 0 when it still runs, -1 on error.
static inline pid_t clinux_reap_pid(pid_t pid, int *status) {
    pid_t result;
    do {
        result = waitpid(pid, status, WNOHANG);
    } while (result < 0 && errno == EINTR);
    return result;
}

/// Blocks the `count` signals in `numbers` for the calling thread (threads it
/// starts later inherit the mask) and returns a non-blocking, close-on-exec
/// signalfd that reports them, or -1 with errno set. Block before starting
/// threads: a thread that does not block a signal still gets it the old way.
static inline int clinux_signalfd_blocking(const int *numbers, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int index = 0; index < count; index++) sigaddset(&set, numbers[index]);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/// The signals the init handles (SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2,
/// SIGPWR, SIGHUP) as a signalfd (`clinux_signalfd_blocking`), or -1.
static inline int clinux_init_signalfd(void) {
    static const int numbers[] = { SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPWR, SIGHUP };
    return clinux_signalfd_blocking(numbers, (int)(sizeof numbers / sizeof numbers[0]));
}

/// The signals that stop a backend (SIGTERM from driverdom-init, SIGINT from a
/// terminal) as a signalfd (`clinux_signalfd_blocking`), or -1.
static inline int clinux_stop_signalfd(void) {
    static const int numbers[] = { SIGTERM, SIGINT };
    return clinux_signalfd_blocking(numbers, (int)(sizeof numbers / sizeof numbers[0]));
}

/// Reads one signal from a signalfd. Returns its number, 0 when none is
/// pending, -1 on error.
static inline int clinux_signalfd_next(int fd) {
    struct signalfd_siginfo info;
    ssize_t n;
    do {
        n = read(fd, &info, sizeof info);
    } while (n < 0 && errno == EINTR);
    if (n == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (n < 0 && errno == EAGAIN) return 0;
    return -1;
}

/// A pipe whose ends are close-on-exec, with the read end (fds[0]) made
/// non-blocking. (pipe + fcntl rather than pipe2, which needs _GNU_SOURCE; the
/// init is single-threaded, so no exec can slip in between.)
static inline int clinux_pipe_cloexec(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    int flags = fcntl(fds[0], F_GETFL);
    if (flags < 0 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) != 0
        || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

/// fork + execve in one call. The child gets its own process group, an empty
/// signal mask, `out_fd` (if >= 0) as its stdout, /dev/null as its stderr if
/// `quiet_stderr`, and `ready_fd` (if >= 0) as descriptor CLINUX_READY_FD.
/// Every other close-on-exec descriptor closes at exec. A child that cannot
/// exec exits with status 127. Returns the child's pid, or -1 with errno set
/// when fork fails.
static inline pid_t clinux_spawn(const char *path, char *const argv[], char *const envp[],
                                 int ready_fd, int out_fd, int quiet_stderr) {
    pid_t pid = fork();
    if (pid != 0) {
        if (pid > 0) setpgid(pid, pid);
        return pid;
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    setpgid(0, 0);
    if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0) _exit(127);
    if (quiet_stderr) {
        int null_fd = open("/dev/null", O_WRONLY);
        if (null_fd >= 0 && null_fd != STDERR_FILENO) {
            dup2(null_fd, STDERR_FILENO);
            close(null_fd);
        }
    }
    if (ready_fd >= 0) {
        if (ready_fd == CLINUX_READY_FD) {
            if (fcntl(ready_fd, F_SETFD, 0) != 0) _exit(127);
        } else if (dup2(ready_fd, CLINUX_READY_FD) < 0) {
            _exit(127);
        }
    }
    execve(path, argv, envp);
    _exit(127);
}

/// Makes sure descriptors 0, 1 and 2 are open. The kernel starts PID 1 with
/// them on /dev/console, but leaves them closed when the initramfs has no
/// /dev/console node; each closed one is opened on /dev/console, or, when that
/// does not exist yet, on "/" to hold the number so later pipes cannot take it.
/// Returns 1 if a number is held that way (call clinux_attach_console once
/// devtmpfs is mounted), else 0.
static inline int clinux_reserve_standard_fds(void) {
    int held_on_root = 0;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) continue;
        int opened = open("/dev/console", O_RDWR | O_NOCTTY);
        if (opened < 0) {
            opened = open("/", O_RDONLY);
            held_on_root = 1;
        }
        if (opened >= 0 && opened != fd) {
            dup2(opened, fd);
            close(opened);
        }
    }
    return held_on_root;
}

/// Opens /dev/console on descriptors 0, 1 and 2. Returns 0 or errno.
static inline int clinux_attach_console(void) {
    int console = open("/dev/console", O_RDWR | O_NOCTTY);
    if (console < 0) return errno;
    for (int fd = 0; fd <= 2; fd++) {
        if (console != fd) dup2(console, fd);
    }
    if (console > 2) close(console);
    return 0;
}

/// `mkdir(path, mode)` that treats an existing directory as success. Returns 0 or errno.
static inline int clinux_mkdir_existing_ok(const char *path, mode_t mode) {
    if (mkdir(path, mode) == 0) return 0;
    int saved = errno;
    struct stat st;
    if (saved == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return saved;
}

/// `mount(2)`. Returns 0 or errno.
static inline int clinux_mount(const char *source, const char *target, const char *type,
                               unsigned long flags, const char *data) {
    if (mount(source, target, type, flags, data) == 0) return 0;
    return errno;
}

/// Whether `path` exists (`access(path, F_OK)`).
static inline int clinux_path_exists(const char *path) { return access(path, F_OK) == 0; }

/// Writes all of `data` to `fd`, retrying short writes and EINTR. Returns 0 or errno.
static inline int clinux_write_all(int fd, const void *data, size_t length) {
    const char *p = (const char *)data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

/// Reads up to `length` bytes without blocking. Returns the count, 0 at end of
/// file, -1 when nothing is available now (EAGAIN), -2 on another error.
static inline ssize_t clinux_read_nonblocking(int fd, void *buffer, size_t length) {
    ssize_t n;
    do {
        n = read(fd, buffer, length);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) return n;
    return errno == EAGAIN ? -1 : -2;
}

/// Flushes file systems and powers the machine off (`reboot(RB_POWER_OFF)`).
/// Returns only on failure, with errno.
static inline int clinux_power_off(void) {
    sync();
    reboot(RB_POWER_OFF);
    return errno;
}

/// Flushes file systems and restarts the machine (`reboot(RB_AUTOBOOT)`).
/// Returns only on failure, with errno.
static inline int clinux_restart(void) {
    sync();
    reboot(RB_AUTOBOOT);
    return errno;
}

/// The readiness contract, backend side. The init starts a backend whose
/// service says `ready fd` with a pipe at descriptor 3 and
/// `DRIVERDOM_READY_FD=3` in its environment. Once the backend has registered
/// (written InitWait for its devices, or set its watch on `backend/<type>`), it
/// writes the line `ready` there and closes it; the init then publishes
/// `drivers/<name>/status = ready`.
///
/// Parses a `DRIVERDOM_READY_FD` value: a descriptor number, or -1 if `value`
/// is NULL, empty or not a plain non-negative decimal number.
static inline int clinux_parse_ready_fd(const char *value) {
    if (value == NULL || *value == 0) return -1;
    long fd = 0;
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        fd = fd * 10 + (*p - '0');
        if (fd > 65535) return -1;
    }
    return (int)fd;
}

/// Writes `ready\n` to `fd` and closes it. Returns 0 or errno.
static inline int clinux_notify_ready_fd(int fd) {
    int result = clinux_write_all(fd, "ready\n", 6);
    close(fd);
    return result;
}

/// Tells the init this backend is ready (see above). Returns 0, errno of the
/// write, or -1 when the init gave no readiness descriptor (started by hand):
/// a backend may ignore -1.
static inline int clinux_notify_ready(void) {
    int fd = clinux_parse_ready_fd(getenv("DRIVERDOM_READY_FD"));
    if (fd < 0) return -1;
    return clinux_notify_ready_fd(fd);
}

#endif
