// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The few libdrm (DRM/KMS) steps displif-backend needs, as plain functions
// Swift can call: find a connector by name with a mode and a free CRTC, dumb
// buffers mapped into the process, mode set, page flip with an event, reading
// flip-complete events, and restoring the CRTC found at start. Every function
// returns 0 (or a count/fd) on success and a negative errno on failure.
#ifndef CDRM_H
#define CDRM_H

#include <stddef.h>
#include <stdint.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

/// One display output: a connector, the CRTC driving it and the chosen mode.
struct cdrm_output {
    uint32_t connector_id;
    uint32_t crtc_id;
    uint32_t crtc_index;
    uint32_t mode_count;
    drmModeModeInfo mode;
    /// The CRTC's state when the output was first found, restored at the end.
    int saved_valid;
    uint32_t saved_fb;
    uint32_t saved_x, saved_y;
    drmModeModeInfo saved_mode;
};

/// A dumb buffer, its framebuffer object and its mapping.
struct cdrm_dumb {
    uint32_t handle;
    uint32_t fb_id;
    uint32_t width, height, pitch;
    uint64_t size;
    void *map;
};

/// Opens a DRM card read-write, close-on-exec and non-blocking.
int cdrm_open(const char *path);
/// Closes a card.
void cdrm_close(int fd);
/// True if the card does modesetting with dumb buffers.
int cdrm_has_dumb_buffers(int fd);
/// Finds connector `name` (e.g. "Virtual-1": type name, '-', type index), picks
/// the mode `width`x`height` (else the preferred one, else the first; 0x0 asks
/// for the preferred) and a CRTC it can use outside `busy_crtcs` (a bit per CRTC
/// index) — its current one first. -ENOENT: no such connector; -ENOLINK: no
/// modes (disconnected); -EBUSY: no free CRTC.
int cdrm_find_output(int fd, const char *name, uint32_t width, uint32_t height, uint32_t busy_crtcs,
                     struct cdrm_output *out);
/// Writes the name of connector `index` of the card into `name` (for listings).
int cdrm_connector_name(int fd, int index, char *name, size_t length);
/// Copies the EDID property blob of connector `name` into `buffer`; returns its
/// length, 0 when the connector has none, -ENOSPC when it does not fit.
int cdrm_connector_edid(int fd, const char *name, uint8_t *buffer, size_t length);
/// Creates an XRGB8888 dumb buffer with a framebuffer object, mapped.
int cdrm_dumb_create(int fd, uint32_t width, uint32_t height, struct cdrm_dumb *out);
/// Unmaps and destroys a dumb buffer and its framebuffer object.
void cdrm_dumb_destroy(int fd, struct cdrm_dumb *dumb);
/// Lights the output with its mode showing framebuffer `fb_id` (drmModeSetCrtc).
int cdrm_set_crtc(int fd, const struct cdrm_output *output, uint32_t fb_id);
/// Turns the output's CRTC off.
int cdrm_disable(int fd, const struct cdrm_output *output);
/// Restores the CRTC state saved by cdrm_find_output.
int cdrm_restore(int fd, const struct cdrm_output *output);
/// Queues a flip to `fb_id` at the next vertical blank, with an event carrying `user_data`.
int cdrm_page_flip(int fd, uint32_t crtc_id, uint32_t fb_id, uint64_t user_data);
/// Reads pending DRM events; stores the user data of up to `max` flip-complete
/// events. Returns their count (0 if none is pending).
int cdrm_read_flips(int fd, uint64_t *user_data, int max);

/// The framebuffer object connector `name` scans out now (its encoder's CRTC's
/// buffer), without probing the connector. -ENOENT: no such connector;
/// -ENOLINK: the connector drives no CRTC or the CRTC shows nothing.
int cdrm_scanout_fb(int fd, const char *name, uint32_t *fb_id);
/// Maps framebuffer `fb_id` (made by any client: needs CAP_SYS_ADMIN or DRM
/// master) read-only into `out` (its width, height, pitch, size, map and a GEM
/// handle of this client); fb_id stays 0 so the framebuffer is not this client's.
int cdrm_fb_map(int fd, uint32_t fb_id, struct cdrm_dumb *out);
/// Gives up DRM master if opening the card made this client master (the first
/// opener of a card is), so that the card's real user can take it. 1 if it was master.
int cdrm_drop_master_if_held(int fd);
/// Unmaps a mapping of cdrm_fb_map and closes its GEM handle.
void cdrm_fb_unmap(int fd, struct cdrm_dumb *mapping);

#endif
