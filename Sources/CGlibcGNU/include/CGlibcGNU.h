// SPDX-License-Identifier: Apache-2.0
// GNU extensions of glibc that Swift's Glibc module does not expose (it is
// built without _GNU_SOURCE). Used by the host build engine only.
#ifndef CGLIBCGNU_H
#define CGLIBCGNU_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are close-on-exec from birth.
int cglibc_pipe_cloexec(int fds[2]);

/// renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE): swaps two paths atomically.
int cglibc_rename_exchange(const char *a, const char *b);

/// posix_spawn_file_actions_addchdir_np: the child changes to `path` before exec.
int cglibc_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
