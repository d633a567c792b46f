// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Access to memory shared with another Xen domain. The other side may change it
// at any time, so every index is read and written exactly once, through these
// functions (a single 32-bit access the compiler cannot split, merge or repeat),
// and whole requests are copied out with one memcpy before they are checked.
#ifndef CLINUX_XENRING_H
#define CLINUX_XENRING_H

#include <stdint.h>
#include <string.h>

/// Reads a 32-bit index from shared memory exactly once.
static inline uint32_t clinux_shared_load32(const void *address) {
    return __atomic_load_n((const volatile uint32_t *)address, __ATOMIC_RELAXED);
}

/// Writes a 32-bit index to shared memory exactly once.
static inline void clinux_shared_store32(void *address, uint32_t value) {
    __atomic_store_n((volatile uint32_t *)address, value, __ATOMIC_RELAXED);
}

/// Copies `length` bytes out of (or into) shared memory.
static inline void clinux_shared_copy(void *destination, const void *source, size_t length) {
    memcpy(destination, source, length);
}

#endif
