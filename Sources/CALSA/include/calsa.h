// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libasound (alsa-lib) as the ALSAPCM adapter sees it, plus the timerfd that
// paces a stream's position checks in the backend's single poll loop (ALSA's
// own playback descriptors wait for POLLOUT, the loop waits for POLLIN).
#ifndef CALSA_H
#define CALSA_H

#include <alsa/asoundlib.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/// `timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)`; -1 on failure.
static inline int calsa_timer_create(void) {
    return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

/// Arms the timer to fire every `interval_ns` nanoseconds, or disarms it (0).
static inline int calsa_timer_set(int fd, uint64_t interval_ns) {
    struct itimerspec spec;
    spec.it_interval.tv_sec = (time_t)(interval_ns / 1000000000ull);
    spec.it_interval.tv_nsec = (long)(interval_ns % 1000000000ull);
    spec.it_value = spec.it_interval;
    return timerfd_settime(fd, 0, &spec, NULL);
}

/// Reads the expiration count, clearing readiness; 0 if it had not fired.
static inline uint64_t calsa_timer_drain(int fd) {
    uint64_t count = 0;
    if (read(fd, &count, sizeof count) != (ssize_t)sizeof count) return 0;
    return count;
}

/// `SND_PCM_NONBLOCK` (a macro).
static inline int calsa_nonblock(void) { return SND_PCM_NONBLOCK; }

#endif
