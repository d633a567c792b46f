// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "CProcessControl.h"

/// Writes the child's errno to `fd` and ends the child (only async-signal-safe calls).
static void child_fail(int fd, int error) {
    ssize_t ignored = write(fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

/// Puts `fd` at `target` in the child (dup2 clears close-on-exec; a descriptor
/// already at its place gets close-on-exec cleared instead).
static int place(int fd, int target) {
    if (fd == target) {
        int flags = fcntl(fd, F_GETFD);
        return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    return dup2(fd, target) < 0 ? -1 : 0;
}

int cpc_spawn(const struct cpc_child *request, pid_t *pid) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    // Block every signal across fork: no handler of this process may run in the child.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        close(report[0]);
        if (setpgid(0, 0) != 0) child_fail(report[1], errno);
        // SIGTTOU is blocked: a background group may take the terminal's foreground.
        if (request->foreground_tty >= 0 && tcsetpgrp(request->foreground_tty, getpid()) != 0) {
            child_fail(report[1], errno);
        }
        if (request->dies_with_parent) {
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(report[1], errno);
            if (getppid() != parent) _exit(127);  // the parent already ended
        }
        if (request->directory && chdir(request->directory) != 0) child_fail(report[1], errno);
        if (place(request->input_fd, 0) != 0) child_fail(report[1], errno);
        if (place(request->output_fd, 1) != 0) child_fail(report[1], errno);
        if (place(request->error_fd, 2) != 0) child_fail(report[1], errno);
        // Everything above 2 closes on exec (the report pipe already does).
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            for (int fd = 3; fd < 1024; fd++) {
                int flags = fcntl(fd, F_GETFD);
                if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
            }
        }
        struct sigaction defaults;
        memset(&defaults, 0, sizeof defaults);
        defaults.sa_handler = SIG_DFL;
        for (int number = 1; number < NSIG; number++) {
            if (number == SIGKILL || number == SIGSTOP) continue;
            if (sigaction(number, &defaults, NULL) != 0) {
                // glibc refuses its own real-time signals (32, 33); an ignored one
                // would stay ignored across exec, so reset it with the kernel's call.
                struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } kernel_defaults = { 0 };
                kernel_defaults.handler = (void *)SIG_DFL;
                syscall(SYS_rt_sigaction, number, &kernel_defaults, NULL, sizeof kernel_defaults.mask);
            }
        }
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, NULL);
        execve(request->path, request->argv, request->envp);
        child_fail(report[1], errno);
    }
    int error = child < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report[1]);
    if (child < 0) {
        close(report[0]);
        return error;
    }
    // Also from the parent, so neither order of the two calls can race.
    setpgid(child, child);
    int childError = 0;
    ssize_t count;
    do {
        count = read(report[0], &childError, sizeof childError);
    } while (count < 0 && errno == EINTR);
    close(report[0]);
    if (count == (ssize_t)sizeof childError) {
        // The child failed before exec and ended: reap it here.
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
        return childError ? childError : ECHILD;
    }
    *pid = child;
    return 0;
}

#define TRAP_SLOTS 16
static const int trapped[] = {SIGINT, SIGTERM, SIGHUP, SIGTTOU, SIGPIPE};
#define TRAPPED_COUNT 5
static struct sigaction saved[TRAPPED_COUNT];
static int slots[TRAP_SLOTS] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static int users = 0;
static pthread_mutex_t trap_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_signal(int number) {
    int saved_errno = errno;
    unsigned char byte = (unsigned char)number;
    for (int index = 0; index < TRAP_SLOTS; index++) {
        int fd = __atomic_load_n(&slots[index], __ATOMIC_ACQUIRE);
        if (fd >= 0) {
            ssize_t ignored = write(fd, &byte, 1);
            (void)ignored;
        }
    }
    errno = saved_errno;
}

int cpc_trap_signals(int fd) {
    pthread_mutex_lock(&trap_lock);
    int slot = -1;
    for (int index = 0; index < TRAP_SLOTS && slot < 0; index++) {
        if (__atomic_load_n(&slots[index], __ATOMIC_ACQUIRE) < 0) slot = index;
    }
    if (slot < 0) {
        pthread_mutex_unlock(&trap_lock);
        return EBUSY;
    }
    __atomic_store_n(&slots[slot], fd, __ATOMIC_RELEASE);
    if (users++ == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        sigemptyset(&action.sa_mask);
        for (int index = 0; index < TRAPPED_COUNT; index++) {
            // SIGTTOU and SIGPIPE are ignored: writes to a terminal handed to another
            // group, or to a closed reader, fail or proceed instead of stopping us.
            int ignore = trapped[index] == SIGTTOU || trapped[index] == SIGPIPE;
            action.sa_handler = ignore ? SIG_IGN : on_signal;
            sigaction(trapped[index], &action, &saved[index]);
        }
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
    pthread_mutex_unlock(&trap_lock);
    return 0;
}

void cpc_untrap_signals(int fd) {
    pthread_mutex_lock(&trap_lock);
    for (int index = 0; index < TRAP_SLOTS; index++) {
        if (__atomic_load_n(&slots[index], __ATOMIC_ACQUIRE) == fd) {
            __atomic_store_n(&slots[index], -1, __ATOMIC_RELEASE);
            if (--users == 0) {
                for (int signal = 0; signal < TRAPPED_COUNT; signal++) sigaction(trapped[signal], &saved[signal], NULL);
            }
            break;
        }
    }
    pthread_mutex_unlock(&trap_lock);
}

int cpc_pipe(int fds[2], int nonblocking) {
    if (pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) != 0) return errno;
    return 0;
}
