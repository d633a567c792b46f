// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include "cusb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static void cusb_pollfd_added(int fd, short events, void *user_data) {
    cusb_host *host = user_data;
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = (uint32_t)events;
    event.data.fd = fd;
    if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST)
        epoll_ctl(host->epoll_fd, EPOLL_CTL_MOD, fd, &event);
}

static void cusb_pollfd_removed(int fd, void *user_data) {
    cusb_host *host = user_data;
    epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
}

cusb_host *cusb_host_create(int *error) {
    cusb_host *host = calloc(1, sizeof *host);
    if (!host) { *error = -ENOMEM; return NULL; }
    int status = libusb_init(&host->context);
    if (status != 0) { *error = status; free(host); return NULL; }
    host->uevent_fd = -1;
    host->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (host->epoll_fd < 0) {
        *error = -errno;
        libusb_exit(host->context);
        free(host);
        return NULL;
    }
    const struct libusb_pollfd **fds = libusb_get_pollfds(host->context);
    if (fds) {
        for (int i = 0; fds[i]; i++) cusb_pollfd_added(fds[i]->fd, fds[i]->events, host);
        libusb_free_pollfds(fds);
    }
    libusb_set_pollfd_notifiers(host->context, cusb_pollfd_added, cusb_pollfd_removed, host);
    *error = 0;
    return host;
}

void cusb_host_destroy(cusb_host *host) {
    if (!host) return;
    if (host->has_hotplug) libusb_hotplug_deregister_callback(host->context, host->hotplug);
    libusb_set_pollfd_notifiers(host->context, NULL, NULL, NULL);
    for (int i = 0; i < 32; i++) {
        if (host->wrapped[i]) { libusb_close(host->wrapped[i]); close(host->wrapped_fd[i]); }
    }
    libusb_exit(host->context);
    if (host->uevent_fd >= 0) close(host->uevent_fd);
    close(host->epoll_fd);
    while (host->done_head) { cusb_done *n = host->done_head; host->done_head = n->next; free(n); }
    while (host->plug_head) { cusb_plug *n = host->plug_head; host->plug_head = n->next; free(n); }
    free(host);
}

static int cusb_hotplug_callback(libusb_context *context, libusb_device *device, libusb_hotplug_event event,
                                 void *user_data) {
    (void)context;
    cusb_host *host = user_data;
    cusb_plug *node = calloc(1, sizeof *node);
    if (!node) return 0;
    node->bus = libusb_get_bus_number(device);
    int depth = libusb_get_port_numbers(device, node->ports, (int)sizeof node->ports);
    node->depth = depth > 0 ? (uint8_t)depth : 0;
    node->arrived = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED;
    if (host->plug_tail) host->plug_tail->next = node; else host->plug_head = node;
    host->plug_tail = node;
    return 0;
}

static void cusb_queue_plug(cusb_host *host, cusb_plug *node) {
    if (host->plug_tail) host->plug_tail->next = node; else host->plug_head = node;
    host->plug_tail = node;
}

/* Kernel uevents of USB devices (DEVTYPE=usb_device), read straight from the
   kernel's netlink group: a driver domain runs no udevd, and Debian's libusb
   (built for udev) then neither reports arrivals nor lists devices that came
   after libusb_init. The busid is the DEVPATH's last component ("1-1.2"). */
static void cusb_read_uevents(cusb_host *host) {
    char buffer[4096];
    for (int budget = 0; budget < 64; budget++) {
        ssize_t length = recv(host->uevent_fd, buffer, sizeof buffer - 1, MSG_DONTWAIT);
        if (length <= 0) return;
        buffer[length] = 0;
        const char *action = NULL, *devpath = NULL, *devtype = NULL;
        for (ssize_t at = 0; at < length; at += (ssize_t)strlen(buffer + at) + 1) {
            const char *field = buffer + at;
            if (!strncmp(field, "ACTION=", 7)) action = field + 7;
            else if (!strncmp(field, "DEVPATH=", 8)) devpath = field + 8;
            else if (!strncmp(field, "DEVTYPE=", 8)) devtype = field + 8;
        }
        if (!action || !devpath || !devtype || strcmp(devtype, "usb_device") != 0) continue;
        int arrived = !strcmp(action, "add");
        if (!arrived && strcmp(action, "remove") != 0) continue;
        const char *name = strrchr(devpath, '/');
        name = name ? name + 1 : devpath;
        cusb_plug node;
        memset(&node, 0, sizeof node);
        unsigned value = 0;
        int digits = 0, ok = 1, sawDash = 0;
        for (const char *c = name;; c++) {
            if (*c >= '0' && *c <= '9') {
                value = value * 10 + (unsigned)(*c - '0');
                if (++digits > 3 || value > 255) { ok = 0; break; }
            } else if ((*c == '-' && !sawDash) || (*c == '.' && sawDash) || *c == 0) {
                if (!digits || value == 0) { ok = 0; break; }
                if (!sawDash) node.bus = (uint8_t)value;
                else if (node.depth < 7) node.ports[node.depth++] = (uint8_t)value;
                else { ok = 0; break; }
                if (*c == '-') sawDash = 1;
                value = 0;
                digits = 0;
                if (*c == 0) break;
            } else { ok = 0; break; }
        }
        if (!ok || !sawDash || node.depth == 0) continue;  /* root hubs ("usb1") and interfaces ("1-1:1.0") */
        cusb_plug *queued = calloc(1, sizeof *queued);
        if (!queued) return;
        *queued = node;
        queued->arrived = arrived;
        cusb_queue_plug(host, queued);
    }
}

int cusb_host_enable_hotplug(cusb_host *host) {
    if (host->uevent_fd < 0) {
        int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        struct sockaddr_nl address;
        memset(&address, 0, sizeof address);
        address.nl_family = AF_NETLINK;
        address.nl_groups = 1;  /* the kernel's own uevents */
        if (fd >= 0 && bind(fd, (struct sockaddr *)&address, sizeof address) == 0) {
            struct epoll_event event;
            memset(&event, 0, sizeof event);
            event.events = EPOLLIN;
            event.data.fd = fd;
            if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0) host->uevent_fd = fd; else close(fd);
        } else if (fd >= 0) {
            close(fd);
        }
    }
    if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) return host->uevent_fd >= 0 ? 0 : LIBUSB_ERROR_NOT_SUPPORTED;
    int status = libusb_hotplug_register_callback(
        host->context, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
        LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        cusb_hotplug_callback, host, &host->hotplug);
    if (status == 0) host->has_hotplug = 1;
    return host->uevent_fd >= 0 ? 0 : status;
}

int cusb_host_handle_events(cusb_host *host) {
    if (host->uevent_fd >= 0) cusb_read_uevents(host);
    struct timeval zero = {0, 0};
    return libusb_handle_events_timeout_completed(host->context, &zero, NULL);
}

cusb_done *cusb_host_next_done(cusb_host *host) {
    cusb_done *node = host->done_head;
    if (!node) return NULL;
    host->done_head = node->next;
    if (!host->done_head) host->done_tail = NULL;
    return node;
}

cusb_plug *cusb_host_next_plug(cusb_host *host) {
    cusb_plug *node = host->plug_head;
    if (!node) return NULL;
    host->plug_head = node->next;
    if (!host->plug_head) host->plug_tail = NULL;
    return node;
}

/// What a transfer's user_data points to until it completes.
typedef struct cusb_pending {
    cusb_host *host;
    uint64_t token;
} cusb_pending;

static void LIBUSB_CALL cusb_transfer_done(struct libusb_transfer *transfer) {
    cusb_pending *pending = transfer->user_data;
    cusb_done *node = calloc(1, sizeof *node);
    if (!node) return;  // out of memory: the transfer is never reported
    node->transfer = transfer;
    node->token = pending->token;
    cusb_host *host = pending->host;
    if (host->done_tail) host->done_tail->next = node; else host->done_head = node;
    host->done_tail = node;
}

struct libusb_transfer *cusb_transfer_new(cusb_host *host, uint64_t token, int iso_packets) {
    struct libusb_transfer *transfer = libusb_alloc_transfer(iso_packets);
    if (!transfer) return NULL;
    // libusb_alloc_transfer only makes room for the packets: without the count
    // the lengths are never set and libusb refuses an isochronous submit
    // (LIBUSB_ERROR_INVALID_PARAM), as libusb_fill_iso_transfer would set it.
    transfer->num_iso_packets = iso_packets;
    cusb_pending *pending = calloc(1, sizeof *pending);
    if (!pending) { libusb_free_transfer(transfer); return NULL; }
    pending->host = host;
    pending->token = token;
    transfer->user_data = pending;
    return transfer;
}

void cusb_transfer_free(struct libusb_transfer *transfer) {
    if (!transfer) return;
    free(transfer->user_data);
    free(transfer->buffer);
    transfer->buffer = NULL;
    libusb_free_transfer(transfer);
}

void cusb_transfer_fill(struct libusb_transfer *transfer, libusb_device_handle *handle, unsigned char endpoint,
                        unsigned char type, unsigned char *buffer, int length, int short_not_ok) {
    transfer->dev_handle = handle;
    transfer->endpoint = endpoint;
    transfer->type = type;
    transfer->timeout = 0;
    transfer->buffer = buffer;
    transfer->length = length;
    transfer->callback = cusb_transfer_done;
    transfer->flags = short_not_ok ? LIBUSB_TRANSFER_SHORT_NOT_OK : 0;
}

void cusb_iso_set_length(struct libusb_transfer *transfer, int index, unsigned int length) {
    if (index >= 0 && index < transfer->num_iso_packets) transfer->iso_packet_desc[index].length = length;
}

unsigned int cusb_iso_actual_length(struct libusb_transfer *transfer, int index) {
    return index >= 0 && index < transfer->num_iso_packets ? transfer->iso_packet_desc[index].actual_length : 0;
}

int cusb_iso_status(struct libusb_transfer *transfer, int index) {
    return index >= 0 && index < transfer->num_iso_packets ? (int)transfer->iso_packet_desc[index].status
                                                           : (int)LIBUSB_TRANSFER_ERROR;
}

/* Opens the device with usbfs directly (/dev/bus/usb/BBB/DDD of its sysfs
   busnum/devnum) and hands the fd to libusb: for a device libusb has not
   listed (it arrived after libusb_init and no udevd told libusb). */
static libusb_device_handle *cusb_open_by_fd(cusb_host *host, uint8_t bus, const uint8_t *ports, int depth, int *error) {
    char name[64];
    int at = snprintf(name, sizeof name, "%u-", bus);
    for (int i = 0; i < depth && at < (int)sizeof name - 5; i++) at += snprintf(name + at, sizeof name - (size_t)at, i ? ".%u" : "%u", ports[i]);
    unsigned busnum = 0, devnum = 0;
    char path[128];
    snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/busnum", name);
    FILE *file = fopen(path, "re");
    if (!file) { *error = LIBUSB_ERROR_NO_DEVICE; return NULL; }
    int got = fscanf(file, "%u", &busnum);
    fclose(file);
    snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/devnum", name);
    file = fopen(path, "re");
    if (!file || got != 1) { if (file) fclose(file); *error = LIBUSB_ERROR_NO_DEVICE; return NULL; }
    got = fscanf(file, "%u", &devnum);
    fclose(file);
    if (got != 1 || busnum != bus) { *error = LIBUSB_ERROR_NO_DEVICE; return NULL; }
    int slot = -1;
    for (int i = 0; i < 32 && slot < 0; i++) if (!host->wrapped[i]) slot = i;
    if (slot < 0) { *error = LIBUSB_ERROR_NO_MEM; return NULL; }
    snprintf(path, sizeof path, "/dev/bus/usb/%03u/%03u", busnum, devnum);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) { *error = errno == ENOENT ? LIBUSB_ERROR_NO_DEVICE : LIBUSB_ERROR_ACCESS; return NULL; }
    libusb_device_handle *handle = NULL;
    *error = libusb_wrap_sys_device(host->context, (intptr_t)fd, &handle);
    if (*error != 0 || !handle) { close(fd); return NULL; }
    host->wrapped[slot] = handle;
    host->wrapped_fd[slot] = fd;
    return handle;
}

libusb_device_handle *cusb_open_by_path(cusb_host *host, uint8_t bus, const uint8_t *ports, int depth, int *error) {
    libusb_device **list = NULL;
    ssize_t count = libusb_get_device_list(host->context, &list);
    if (count < 0) { *error = (int)count; return NULL; }
    libusb_device_handle *handle = NULL;
    int listed = 0;
    *error = LIBUSB_ERROR_NO_DEVICE;
    for (ssize_t i = 0; i < count; i++) {
        uint8_t chain[8];
        if (libusb_get_bus_number(list[i]) != bus) continue;
        int found = libusb_get_port_numbers(list[i], chain, (int)sizeof chain);
        if (found != depth || memcmp(chain, ports, (size_t)depth) != 0) continue;
        listed = 1;
        *error = libusb_open(list[i], &handle);
        break;
    }
    libusb_free_device_list(list, 1);
    if (!listed) return cusb_open_by_fd(host, bus, ports, depth, error);
    return handle;
}

void cusb_close(cusb_host *host, libusb_device_handle *handle) {
    libusb_close(handle);
    for (int i = 0; i < 32; i++) {
        if (host->wrapped[i] == handle) {
            close(host->wrapped_fd[i]);
            host->wrapped[i] = NULL;
        }
    }
}

int cusb_find_by_ids(cusb_host *host, uint16_t vendor, uint16_t product, uint8_t *bus, uint8_t *ports, int capacity) {
    libusb_device **list = NULL;
    ssize_t count = libusb_get_device_list(host->context, &list);
    if (count < 0) return (int)count;
    int depth = 0;
    for (ssize_t i = 0; i < count && depth == 0; i++) {
        struct libusb_device_descriptor descriptor;
        if (libusb_get_device_descriptor(list[i], &descriptor) != 0) continue;
        if (descriptor.idVendor != vendor || descriptor.idProduct != product) continue;
        int found = libusb_get_port_numbers(list[i], ports, capacity);
        if (found <= 0) continue;  /* a root hub has no port chain */
        *bus = libusb_get_bus_number(list[i]);
        depth = found;
    }
    libusb_free_device_list(list, 1);
    if (depth > 0) return depth;
    /* Not listed (arrived after libusb_init with no udevd): sysfs has every device. */
    DIR *dir = opendir("/sys/bus/usb/devices");
    if (!dir) return 0;
    struct dirent *entry;
    while (depth == 0 && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] < '1' || name[0] > '9' || strchr(name, ':') || !strchr(name, '-')) continue;
        char path[320];
        unsigned ids[2] = {0, 0};
        const char *files[2] = {"idVendor", "idProduct"};
        int ok = 1;
        for (int i = 0; i < 2 && ok; i++) {
            snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/%s", name, files[i]);
            FILE *file = fopen(path, "re");
            ok = file && fscanf(file, "%x", &ids[i]) == 1;
            if (file) fclose(file);
        }
        if (!ok || ids[0] != vendor || ids[1] != product) continue;
        unsigned value = 0;
        int count = 0;
        const char *c = name;
        while (*c >= '0' && *c <= '9') value = value * 10 + (unsigned)(*c++ - '0');
        if (*c != '-' || value == 0 || value > 255) continue;
        *bus = (uint8_t)value;
        while (*c == '-' || *c == '.') {
            c++;
            value = 0;
            while (*c >= '0' && *c <= '9') value = value * 10 + (unsigned)(*c++ - '0');
            if (value == 0 || value > 255 || count >= capacity) { count = 0; break; }
            ports[count++] = (uint8_t)value;
        }
        if (*c == 0 && count > 0) depth = count;
    }
    closedir(dir);
    return depth;
}

int cusb_device_speed(libusb_device_handle *handle) {
    return libusb_get_device_speed(libusb_get_device(handle));
}

int cusb_interface_count(libusb_device_handle *handle) {
    struct libusb_config_descriptor *config = NULL;
    if (libusb_get_active_config_descriptor(libusb_get_device(handle), &config) != 0 || !config) return 0;
    int count = config->bNumInterfaces;
    libusb_free_config_descriptor(config);
    return count;
}

/// Stores the bus number of each `usbN` entry below `path` (real
/// subdirectories only, never symlinks, at most `depth` levels down).
static int cusb_find_buses(const char *path, int depth, uint8_t *buses, int stored, int capacity) {
    DIR *dir = opendir(path);
    if (!dir) return stored;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && stored < capacity) {
        const char *n = entry->d_name;
        if (entry->d_type != DT_DIR || n[0] == '.') continue;
        long value = 0;
        int ok = strncmp(n, "usb", 3) == 0 && n[3] != '\0';
        for (const char *c = n + 3; ok && *c; c++) {
            if (*c < '0' || *c > '9' || value > 255) ok = 0; else value = value * 10 + (*c - '0');
        }
        if (ok && value >= 1 && value <= 255) {
            int seen = 0;
            for (int i = 0; i < stored; i++) if (buses[i] == (uint8_t)value) seen = 1;
            if (!seen) buses[stored++] = (uint8_t)value;
            continue;  // a root hub: its children are devices, not controllers
        }
        if (depth > 0) {
            char child[1024];
            if (snprintf(child, sizeof child, "%s/%s", path, n) < (int)sizeof child)
                stored = cusb_find_buses(child, depth - 1, buses, stored, capacity);
        }
    }
    closedir(dir);
    return stored;
}

int cusb_controller_buses(const char *sysfs, const char *name, uint8_t *buses, int capacity) {
    char path[512];
    if (snprintf(path, sizeof path, "%s/bus/platform/devices/%s/", sysfs, name) >= (int)sizeof path) return -ENAMETOOLONG;
    DIR *dir = opendir(path);  // the entry is a symlink to the device: opening it resolves it
    if (!dir) return -errno;
    closedir(dir);
    return cusb_find_buses(path, 2, buses, 0, capacity);
}
