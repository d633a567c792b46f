// SPDX-License-Identifier: Apache-2.0
// Process control the host tool cannot do safely in Swift: what a child must do
// between fork and exec (its own process group, the terminal's foreground,
// death with its parent), and signal handlers that only write to a pipe.
// Used by QEMURunner for the emulator of `driverdom run` and `driverdom test`.
#ifndef CPROCESSCONTROL_H
#define CPROCESSCONTROL_H

#include <spawn.h>
#include <sys/types.h>

/// Starts `path` (argv/envp NULL-terminated) in a new process group it leads and
/// stores its pid in `*pid`. In the child, before exec: the group becomes the
/// foreground group of terminal `foreground_tty` (unless it is -1);
/// PR_SET_PDEATHSIG(SIGKILL), so the child dies when the calling *thread* ends;
/// stdin is `input_fd`, stdout and stderr are `output_fd`; every other
/// descriptor is closed on exec; every signal is unblocked with its default action.
/// Returns 0, or the errno of the first step that failed (fork, or the child's
/// setpgid, tcsetpgrp, dup2 or execve: the child reports it through a pipe).
int cpc_spawn(const char *path, char *const argv[], char *const envp[],
              int input_fd, int output_fd, int foreground_tty, pid_t *pid);

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

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `from` up.
int cpc_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
