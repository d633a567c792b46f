// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Linux evdev (linux/input.h): event codes for the input translators and the
// ioctls of the real evdev reader, whose request numbers are function-like macros.
#ifndef CLINUX_EVDEV_H
#define CLINUX_EVDEV_H

#include <linux/input.h>
#include <sys/ioctl.h>

/// `ioctl(fd, EVIOCGRAB, on)`: takes (1) or releases (0) the device exclusively.
static inline int clinux_evdev_grab(int fd, int on) {
    return ioctl(fd, EVIOCGRAB, (unsigned long)on);
}

/// `ioctl(fd, EVIOCGABS(axis), info)`: range of an absolute axis.
static inline int clinux_evdev_absinfo(int fd, unsigned axis, struct input_absinfo *info) {
    return ioctl(fd, EVIOCGABS(axis), info);
}

/// `ioctl(fd, EVIOCGBIT(type, length), bits)`: which codes of `type` the device reports.
static inline int clinux_evdev_bits(int fd, unsigned type, void *bits, unsigned length) {
    return ioctl(fd, EVIOCGBIT(type, length), bits);
}

/// Size of `struct input_event` on this architecture (24 on 64-bit, 16 on 32-bit).
static inline size_t clinux_input_event_size(void) { return sizeof(struct input_event); }

#endif
