// SPDX-License-Identifier: Apache-2.0
// GNU extensions of glibc that Swift's Glibc module does not expose (it is
// built without _GNU_SOURCE). Used by the host build engine only.
#ifndef CGLIBCGNU_H
#define CGLIBCGNU_H

/// renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE): swaps two paths atomically.
int cglibc_rename_exchange(const char *a, const char *b);

#endif
