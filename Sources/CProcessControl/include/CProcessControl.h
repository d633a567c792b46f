// SPDX-License-Identifier: Apache-2.0
// Process control the host tool cannot do safely in Swift: what a child must do
// between fork and exec (its own process group, the terminal's foreground,
// death with its parent, a clean signal state), and signal handlers that only
// write to a pipe. BuildEngine's ChildProcess starts every host-side child with
// `cpc_spawn`; QEMURunner traps signals with `cpc_trap_signals`.
#ifndef CPROCESSCONTROL_H
#define CPROCESSCONTROL_H

#include <sys/types.h>

/// What `cpc_spawn` starts: an executable with its arguments, environment,
/// working folder and standard descriptors.
struct cpc_child {
    /// The executable's path (no PATH lookup).
    const char *path;
    /// Arguments including argv[0], NULL-terminated.
    char *const *argv;
    /// The whole environment, NULL-terminated.
    char *const *envp;
    /// The folder the child changes to before exec, or NULL to keep ours.
    const char *directory;
    /// The descriptors that become the child's stdin, stdout and stderr (each
    /// either its own number or above 2; stdout and stderr may be the same).
    int input_fd, output_fd, error_fd;
    /// A terminal whose foreground group the child's group becomes, or -1.
    int foreground_tty;
    /// Non-zero: PR_SET_PDEATHSIG(SIGKILL), the child dies when the calling *thread* ends.
    int dies_with_parent;
};

/// Starts `child` in a new process group it leads and stores its pid in `*pid`.
/// In the child, before exec: the group becomes the foreground group of
/// `foreground_tty` (unless it is -1); the death signal is set when asked; the
/// working folder changes; the standard descriptors are put in place; every
/// other descriptor is closed on exec; every signal is unblocked with its
/// default action. Returns 0, or the errno of the first step that failed
/// (fork, or the child's setpgid, tcsetpgrp, prctl, chdir, dup2 or execve: the
/// child reports it through a pipe, and is reaped before this returns).
int cpc_spawn(const struct cpc_child *child, pid_t *pid);

/// Registers `fd` (the non-blocking write end of a pipe) to receive, as one byte,
/// the number of every SIGINT, SIGTERM and SIGHUP the process gets. The first
/// registration installs the handlers and ignores SIGTTOU (a process that handed
/// the terminal to another group must still write to it and take it back) and
/// SIGPIPE. Up to 16 descriptors at once. Returns 0, or an errno (EBUSY: full).
int cpc_trap_signals(int fd);

/// Unregisters `fd`; the last one restores the dispositions the first replaced.
void cpc_untrap_signals(int fd);

/// pipe2(fds, O_CLOEXEC), plus O_NONBLOCK on both ends when `nonblocking`.
/// Returns 0, or an errno.
int cpc_pipe(int fds[2], int nonblocking);

#endif
