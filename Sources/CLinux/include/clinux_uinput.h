// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// uinput and evdev for the end-to-end input probes: create a virtual input
// device, emit events into it, and read events from an evdev node. The UI_* and
// EVIOC* requests are function-like macros, hence these wrappers.
#ifndef CLINUX_UINPUT_H
#define CLINUX_UINPUT_H

#include <linux/input.h>
#include <linux/uinput.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/// Declares the event types, keys and absolute axes of a uinput device and
/// creates it (UI_SET_*BIT, UI_DEV_SETUP, UI_ABS_SETUP, UI_DEV_CREATE).
/// `keys` lists key codes; the device gets ABS_X 0...abs_max_x and ABS_Y
/// 0...abs_max_y and BTN_LEFT when abs_max_x > 0. Returns 0 or -1 with errno set.
static inline int clinux_uinput_create(int fd, const char *name, const unsigned short *keys, int key_count,
                                       int abs_max_x, int abs_max_y) {
    if (ioctl(fd, UI_SET_EVBIT, EV_SYN) < 0 || ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0) return -1;
    for (int i = 0; i < key_count; i++) {
        if (ioctl(fd, UI_SET_KEYBIT, (int)keys[i]) < 0) return -1;
    }
    if (abs_max_x > 0) {
        if (ioctl(fd, UI_SET_EVBIT, EV_ABS) < 0 || ioctl(fd, UI_SET_ABSBIT, ABS_X) < 0 ||
            ioctl(fd, UI_SET_ABSBIT, ABS_Y) < 0 || ioctl(fd, UI_SET_KEYBIT, BTN_LEFT) < 0) return -1;
        struct uinput_abs_setup axis;
        memset(&axis, 0, sizeof axis);
        axis.code = ABS_X;
        axis.absinfo.maximum = abs_max_x;
        if (ioctl(fd, UI_ABS_SETUP, &axis) < 0) return -1;
        axis.code = ABS_Y;
        axis.absinfo.maximum = abs_max_y;
        if (ioctl(fd, UI_ABS_SETUP, &axis) < 0) return -1;
    }
    struct uinput_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.id.bustype = BUS_VIRTUAL;
    setup.id.vendor = 0x5844;  /* "XD" */
    setup.id.product = 0x0001;
    strncpy(setup.name, name, UINPUT_MAX_NAME_SIZE - 1);
    if (ioctl(fd, UI_DEV_SETUP, &setup) < 0) return -1;
    return ioctl(fd, UI_DEV_CREATE);
}

/// Removes a device made by clinux_uinput_create (UI_DEV_DESTROY).
static inline int clinux_uinput_destroy(int fd) { return ioctl(fd, UI_DEV_DESTROY); }

/// Writes one `struct input_event` (time left zero: the kernel stamps it).
static inline int clinux_input_emit(int fd, unsigned short type, unsigned short code, int value) {
    struct input_event event;
    memset(&event, 0, sizeof event);
    event.type = type;
    event.code = code;
    event.value = value;
    return write(fd, &event, sizeof event) == (ssize_t)sizeof event ? 0 : -1;
}

/// Reads one `struct input_event`. Returns 0, or -1 with errno set (EAGAIN when
/// a non-blocking descriptor has nothing).
static inline int clinux_input_read(int fd, unsigned short *type, unsigned short *code, int *value) {
    struct input_event event;
    ssize_t n = read(fd, &event, sizeof event);
    if (n != (ssize_t)sizeof event) return -1;
    *type = event.type;
    *code = event.code;
    *value = event.value;
    return 0;
}

/// The device name of an evdev node (EVIOCGNAME), NUL-terminated.
static inline int clinux_evdev_name(int fd, char *buffer, int length) {
    int n = ioctl(fd, EVIOCGNAME(length - 1), buffer);
    if (n >= 0) buffer[n < length ? n : length - 1] = 0;
    return n;
}

/// The physical path of an evdev node (EVIOCGPHYS), NUL-terminated; xen-kbdfront
/// reports "xenbus/device/vkbd/N".
static inline int clinux_evdev_phys(int fd, char *buffer, int length) {
    int n = ioctl(fd, EVIOCGPHYS(length - 1), buffer);
    if (n >= 0) buffer[n < length ? n : length - 1] = 0;
    return n;
}

#endif
