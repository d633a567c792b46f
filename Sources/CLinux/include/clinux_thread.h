// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// One extra thread for the simulator's flooding guest (a hostile frontend on
// another vCPU): started with a C function and a context pointer, joined once.
#ifndef CLINUX_THREAD_H
#define CLINUX_THREAD_H

#include <pthread.h>
#include <stdint.h>

typedef void (*clinux_thread_body)(void *context);

struct clinux_thread_start {
    clinux_thread_body body;
    void *context;
};

static inline void *clinux_thread_trampoline(void *argument) {
    struct clinux_thread_start start = *(struct clinux_thread_start *)argument;
    __atomic_store_n(&((struct clinux_thread_start *)argument)->body, (clinux_thread_body)0, __ATOMIC_RELEASE);
    start.body(start.context);
    return 0;
}

/// Runs `body(context)` on a new thread; its id in `*thread`. 0 or an errno.
static inline int clinux_thread_spawn(uint64_t *thread, clinux_thread_body body, void *context) {
    struct clinux_thread_start start = { body, context };
    pthread_t id;
    int result = pthread_create(&id, 0, clinux_thread_trampoline, &start);
    if (result != 0) return result;
    while (__atomic_load_n(&start.body, __ATOMIC_ACQUIRE) != 0) {}  // the thread copied its start
    *thread = (uint64_t)id;
    return 0;
}

/// Waits for a thread started by `clinux_thread_spawn`.
static inline int clinux_thread_join(uint64_t thread) { return pthread_join((pthread_t)thread, 0); }

/// Atomic 32-bit flag shared with such a thread.
static inline uint32_t clinux_atomic_load32(const uint32_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }
static inline void clinux_atomic_store32(uint32_t *address, uint32_t value) { __atomic_store_n(address, value, __ATOMIC_RELEASE); }
static inline uint64_t clinux_atomic_add64(uint64_t *address, uint64_t value) {
    return __atomic_add_fetch(address, value, __ATOMIC_ACQ_REL);
}

#endif
