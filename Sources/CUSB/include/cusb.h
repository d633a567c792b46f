// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libusb-1.0 as the LibUSBHost adapter sees it. libusb calls back from inside
// libusb_handle_events*; these shims turn its callbacks into queues the Swift
// side drains after each call (no Swift function pointers cross into C), and
// keep an epoll instance in step with libusb's pollfds, so the backend's
// single poll loop waits on one readable fd whatever events libusb wants
// (usbfs signals completions as POLLOUT).
#ifndef CUSB_H
#define CUSB_H

#include <libusb-1.0/libusb.h>
#include <stdint.h>

/// A finished transfer, queued by the transfer callback.
typedef struct cusb_done {
    struct cusb_done *next;
    struct libusb_transfer *transfer;
    uint64_t token;
} cusb_done;

/// A hot-plug event: bus, port chain (root first), arrived (1) or left (0).
typedef struct cusb_plug {
    struct cusb_plug *next;
    uint8_t bus;
    uint8_t depth;
    uint8_t ports[8];
    int arrived;
} cusb_plug;

/// One libusb context with its epoll fd and callback queues.
typedef struct cusb_host {
    libusb_context *context;
    int epoll_fd;
    cusb_done *done_head, *done_tail;
    cusb_plug *plug_head, *plug_tail;
    libusb_hotplug_callback_handle hotplug;
    int has_hotplug;
    /// Kernel uevent socket (NETLINK_KOBJECT_UEVENT), in the epoll set; -1 if none.
    int uevent_fd;
    /// Devices opened through usbfs by fd (`libusb_wrap_sys_device`) and their fds.
    libusb_device_handle *wrapped[32];
    int wrapped_fd[32];
} cusb_host;

/// Creates the context and the epoll fd mirroring its pollfds; NULL on failure
/// (`*error` set to the libusb error or -errno).
cusb_host *cusb_host_create(int *error);
/// Deregisters hot-plug, exits the context and frees everything queued.
void cusb_host_destroy(cusb_host *host);
/// Registers for arrivals and departures of any device; 0 or a libusb error.
int cusb_host_enable_hotplug(cusb_host *host);
/// Handles pending libusb events without blocking (zero timeout); returns
/// libusb's status. The epoll fd is level-triggered: it stays readable only
/// while some libusb fd still is.
int cusb_host_handle_events(cusb_host *host);
/// The next finished transfer, or NULL; the caller frees the node with free().
cusb_done *cusb_host_next_done(cusb_host *host);
/// The next hot-plug event, or NULL; the caller frees it with free().
cusb_plug *cusb_host_next_plug(cusb_host *host);

/// Allocates a transfer whose completion is queued on `host` with `token`.
/// `buffer` (malloc'd, freed by cusb_transfer_free) holds `length` bytes.
struct libusb_transfer *cusb_transfer_new(cusb_host *host, uint64_t token, int iso_packets);
/// Frees a transfer and its buffer.
void cusb_transfer_free(struct libusb_transfer *transfer);
/// Fills a transfer (the buffer is taken over); type is LIBUSB_TRANSFER_TYPE_*.
void cusb_transfer_fill(struct libusb_transfer *transfer, libusb_device_handle *handle, unsigned char endpoint,
                        unsigned char type, unsigned char *buffer, int length, int short_not_ok);
/// Sets / reads isochronous packet `index`.
void cusb_iso_set_length(struct libusb_transfer *transfer, int index, unsigned int length);
unsigned int cusb_iso_actual_length(struct libusb_transfer *transfer, int index);
int cusb_iso_status(struct libusb_transfer *transfer, int index);

/// Opens the device at bus `bus` and port chain `ports[0..<depth]`; NULL if
/// none (`*error` set).
libusb_device_handle *cusb_open_by_path(cusb_host *host, uint8_t bus, const uint8_t *ports, int depth, int *error);
/* Closes a handle from cusb_open_by_path (and its usbfs fd when it was opened by fd). */
void cusb_close(cusb_host *host, libusb_device_handle *handle);
/* The first device with these ids that has a port chain: its bus and ports; returns the
   chain's length, 0 if there is none, a negative libusb error if listing failed. */
int cusb_find_by_ids(cusb_host *host, uint16_t vendor, uint16_t product, uint8_t *bus, uint8_t *ports, int capacity);
/// The device's speed (`enum libusb_speed`).
int cusb_device_speed(libusb_device_handle *handle);
/// Interfaces of the active configuration (0 if unconfigured).
int cusb_interface_count(libusb_device_handle *handle);

/// The USB bus numbers of a platform device's root hubs: directories `usbN`
/// in `<sysfs>/bus/platform/devices/<name>` or up to two levels of child
/// devices below it (a DWC3 glue's `xhci-hcd.1.auto/usb1`). Returns how many
/// were stored in `buses` (at most `capacity`), or -errno.
int cusb_controller_buses(const char *sysfs, const char *name, uint8_t *buses, int capacity);

#endif
