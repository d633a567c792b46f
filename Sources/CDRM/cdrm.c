// SPDX-License-Identifier: GPL-2.0-only OR MIT
#include "cdrm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libdrm/drm_fourcc.h>

int cdrm_open(const char *path) {
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

void cdrm_close(int fd) {
    if (fd >= 0) close(fd);
}

int cdrm_has_dumb_buffers(int fd) {
    uint64_t value = 0;
    if (drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &value) != 0) return 0;
    return value != 0;
}

static void connector_name(const drmModeConnector *connector, char *name, size_t length) {
    const char *type = drmModeGetConnectorTypeName(connector->connector_type);
    snprintf(name, length, "%s-%u", type ? type : "Unknown", connector->connector_type_id);
}

int cdrm_connector_name(int fd, int index, char *name, size_t length) {
    drmModeRes *resources = drmModeGetResources(fd);
    if (!resources) return -errno;
    int result = -ENOENT;
    if (index >= 0 && index < resources->count_connectors) {
        drmModeConnector *connector = drmModeGetConnector(fd, resources->connectors[index]);
        if (connector) {
            connector_name(connector, name, length);
            drmModeFreeConnector(connector);
            result = 0;
        }
    }
    drmModeFreeResources(resources);
    return result;
}

static int crtc_index(const drmModeRes *resources, uint32_t crtc_id) {
    for (int i = 0; i < resources->count_crtcs; i++)
        if (resources->crtcs[i] == crtc_id) return i;
    return -1;
}

/// The CRTC for `connector`: the one its current encoder drives if free, else
/// the first free one any of its encoders can drive.
static int choose_crtc(int fd, const drmModeRes *resources, const drmModeConnector *connector, uint32_t busy) {
    if (connector->encoder_id) {
        drmModeEncoder *encoder = drmModeGetEncoder(fd, connector->encoder_id);
        if (encoder) {
            int index = encoder->crtc_id ? crtc_index(resources, encoder->crtc_id) : -1;
            drmModeFreeEncoder(encoder);
            if (index >= 0 && index < 32 && !(busy & (1u << index))) return index;
        }
    }
    for (int e = 0; e < connector->count_encoders; e++) {
        drmModeEncoder *encoder = drmModeGetEncoder(fd, connector->encoders[e]);
        if (!encoder) continue;
        uint32_t possible = encoder->possible_crtcs;
        drmModeFreeEncoder(encoder);
        for (int i = 0; i < resources->count_crtcs && i < 32; i++)
            if ((possible & (1u << i)) && !(busy & (1u << i))) return i;
    }
    return -1;
}

int cdrm_find_output(int fd, const char *name, uint32_t width, uint32_t height, uint32_t busy_crtcs,
                     struct cdrm_output *out) {
    drmModeRes *resources = drmModeGetResources(fd);
    if (!resources) return -errno;
    int result = -ENOENT;
    for (int c = 0; c < resources->count_connectors && result == -ENOENT; c++) {
        drmModeConnector *connector = drmModeGetConnector(fd, resources->connectors[c]);
        if (!connector) continue;
        char found[64];
        connector_name(connector, found, sizeof found);
        if (strcmp(found, name) != 0) {
            drmModeFreeConnector(connector);
            continue;
        }
        if (connector->count_modes <= 0) {
            result = -ENOLINK;
        } else {
            int chosen = -1, preferred = -1;
            for (int m = 0; m < connector->count_modes; m++) {
                const drmModeModeInfo *mode = &connector->modes[m];
                if (preferred < 0 && (mode->type & DRM_MODE_TYPE_PREFERRED)) preferred = m;
                if (chosen < 0 && mode->hdisplay == width && mode->vdisplay == height) chosen = m;
            }
            if (chosen < 0) chosen = preferred >= 0 ? preferred : 0;
            int index = choose_crtc(fd, resources, connector, busy_crtcs);
            if (index < 0) {
                result = -EBUSY;
            } else {
                memset(out, 0, sizeof *out);
                out->connector_id = connector->connector_id;
                out->crtc_id = resources->crtcs[index];
                out->crtc_index = (uint32_t)index;
                out->mode_count = (uint32_t)connector->count_modes;
                out->mode = connector->modes[chosen];
                drmModeCrtc *crtc = drmModeGetCrtc(fd, out->crtc_id);
                if (crtc) {
                    out->saved_valid = crtc->mode_valid;
                    out->saved_fb = crtc->buffer_id;
                    out->saved_x = crtc->x;
                    out->saved_y = crtc->y;
                    out->saved_mode = crtc->mode;
                    drmModeFreeCrtc(crtc);
                }
                result = 0;
            }
        }
        drmModeFreeConnector(connector);
    }
    drmModeFreeResources(resources);
    return result;
}

int cdrm_dumb_create(int fd, uint32_t width, uint32_t height, struct cdrm_dumb *out) {
    memset(out, 0, sizeof *out);
    struct drm_mode_create_dumb create = { .width = width, .height = height, .bpp = 32 };
    if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) != 0) return -errno;
    out->handle = create.handle;
    out->pitch = create.pitch;
    out->size = create.size;
    out->width = width;
    out->height = height;
    uint32_t handles[4] = { create.handle }, pitches[4] = { create.pitch }, offsets[4] = { 0 };
    if (drmModeAddFB2(fd, width, height, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &out->fb_id, 0) != 0) {
        int code = -errno;
        cdrm_dumb_destroy(fd, out);
        return code;
    }
    struct drm_mode_map_dumb map = { .handle = create.handle };
    if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) != 0) {
        int code = -errno;
        cdrm_dumb_destroy(fd, out);
        return code;
    }
    void *address = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)map.offset);
    if (address == MAP_FAILED) {
        int code = -errno;
        cdrm_dumb_destroy(fd, out);
        return code;
    }
    out->map = address;
    return 0;
}

void cdrm_dumb_destroy(int fd, struct cdrm_dumb *dumb) {
    if (dumb->map) munmap(dumb->map, dumb->size);
    if (dumb->fb_id) drmModeRmFB(fd, dumb->fb_id);
    if (dumb->handle) {
        struct drm_mode_destroy_dumb destroy = { .handle = dumb->handle };
        drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
    }
    memset(dumb, 0, sizeof *dumb);
}

int cdrm_set_crtc(int fd, const struct cdrm_output *output, uint32_t fb_id) {
    uint32_t connector = output->connector_id;
    drmModeModeInfo mode = output->mode;
    return drmModeSetCrtc(fd, output->crtc_id, fb_id, 0, 0, &connector, 1, &mode) != 0 ? -errno : 0;
}

int cdrm_disable(int fd, const struct cdrm_output *output) {
    return drmModeSetCrtc(fd, output->crtc_id, 0, 0, 0, NULL, 0, NULL) != 0 ? -errno : 0;
}

int cdrm_restore(int fd, const struct cdrm_output *output) {
    if (!output->saved_valid || !output->saved_fb) return cdrm_disable(fd, output);
    uint32_t connector = output->connector_id;
    drmModeModeInfo mode = output->saved_mode;
    return drmModeSetCrtc(fd, output->crtc_id, output->saved_fb, output->saved_x, output->saved_y, &connector, 1, &mode) != 0
        ? -errno : 0;
}

int cdrm_page_flip(int fd, uint32_t crtc_id, uint32_t fb_id, uint64_t user_data) {
    return drmModePageFlip(fd, crtc_id, fb_id, DRM_MODE_PAGE_FLIP_EVENT, (void *)(uintptr_t)user_data) != 0 ? -errno : 0;
}

int cdrm_read_flips(int fd, uint64_t *user_data, int max) {
    char buffer[1024];
    int count = 0;
    for (;;) {
        ssize_t length = read(fd, buffer, sizeof buffer);
        if (length < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN ? count : (count > 0 ? count : -errno);
        }
        if (length == 0) return count;
        ssize_t offset = 0;
        while (offset + (ssize_t)sizeof(struct drm_event) <= length) {
            struct drm_event header;
            memcpy(&header, buffer + offset, sizeof header);
            if (header.length < sizeof header || offset + (ssize_t)header.length > length) break;
            if (header.type == DRM_EVENT_FLIP_COMPLETE && header.length >= sizeof(struct drm_event_vblank) && count < max) {
                struct drm_event_vblank vblank;
                memcpy(&vblank, buffer + offset, sizeof vblank);
                user_data[count++] = vblank.user_data;
            }
            offset += header.length;
        }
    }
}

int cdrm_scanout_fb(int fd, const char *name, uint32_t *fb_id) {
    drmModeRes *resources = drmModeGetResources(fd);
    if (!resources) return -errno;
    int result = -ENOENT;
    for (int c = 0; c < resources->count_connectors && result == -ENOENT; c++) {
        drmModeConnector *connector = drmModeGetConnectorCurrent(fd, resources->connectors[c]);
        if (!connector) continue;
        char found[64];
        connector_name(connector, found, sizeof found);
        if (strcmp(found, name) == 0) {
            result = -ENOLINK;
            drmModeEncoder *encoder = connector->encoder_id ? drmModeGetEncoder(fd, connector->encoder_id) : NULL;
            if (encoder) {
                drmModeCrtc *crtc = encoder->crtc_id ? drmModeGetCrtc(fd, encoder->crtc_id) : NULL;
                if (crtc) {
                    if (crtc->buffer_id) {
                        *fb_id = crtc->buffer_id;
                        result = 0;
                    }
                    drmModeFreeCrtc(crtc);
                }
                drmModeFreeEncoder(encoder);
            }
        }
        drmModeFreeConnector(connector);
    }
    drmModeFreeResources(resources);
    return result;
}

int cdrm_fb_map(int fd, uint32_t fb_id, struct cdrm_dumb *out) {
    memset(out, 0, sizeof *out);
    drmModeFBPtr fb = drmModeGetFB(fd, fb_id);
    if (!fb) return -errno;
    out->handle = fb->handle;
    out->width = fb->width;
    out->height = fb->height;
    out->pitch = fb->pitch;
    out->size = (uint64_t)fb->pitch * fb->height;
    int bpp = (int)fb->bpp;
    drmModeFreeFB(fb);
    if (out->handle == 0) return -EACCES;  /* not master and no CAP_SYS_ADMIN: no handle given */
    if (bpp != 32) {
        cdrm_fb_unmap(fd, out);
        return -EPROTO;
    }
    struct drm_mode_map_dumb map = { .handle = out->handle };
    if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) != 0) {
        int code = -errno;
        cdrm_fb_unmap(fd, out);
        return code;
    }
    void *address = mmap(NULL, out->size, PROT_READ, MAP_SHARED, fd, (off_t)map.offset);
    if (address == MAP_FAILED) {
        int code = -errno;
        cdrm_fb_unmap(fd, out);
        return code;
    }
    out->map = address;
    return 0;
}

void cdrm_fb_unmap(int fd, struct cdrm_dumb *mapping) {
    if (mapping->map) munmap(mapping->map, mapping->size);
    if (mapping->handle) drmCloseBufferHandle(fd, mapping->handle);
    memset(mapping, 0, sizeof *mapping);
}

int cdrm_drop_master_if_held(int fd) {
    if (!drmIsMaster(fd)) return 0;
    if (drmDropMaster(fd) != 0) return -errno;
    return 1;
}

int cdrm_connector_edid(int fd, const char *name, uint8_t *buffer, size_t length) {
    drmModeRes *resources = drmModeGetResources(fd);
    if (!resources) return -errno;
    int result = -ENOENT;
    for (int c = 0; c < resources->count_connectors && result == -ENOENT; c++) {
        drmModeConnector *connector = drmModeGetConnectorCurrent(fd, resources->connectors[c]);
        if (!connector) continue;
        char found[64];
        connector_name(connector, found, sizeof found);
        if (strcmp(found, name) == 0) {
            result = 0;
            for (int p = 0; p < connector->count_props; p++) {
                drmModePropertyRes *property = drmModeGetProperty(fd, connector->props[p]);
                if (!property) continue;
                if (strcmp(property->name, "EDID") == 0 && connector->prop_values[p] != 0) {
                    drmModePropertyBlobRes *blob = drmModeGetPropertyBlob(fd, (uint32_t)connector->prop_values[p]);
                    if (blob) {
                        if (blob->length > length) {
                            result = -ENOSPC;
                        } else {
                            memcpy(buffer, blob->data, blob->length);
                            result = (int)blob->length;
                        }
                        drmModeFreePropertyBlob(blob);
                    }
                }
                drmModeFreeProperty(property);
            }
        }
        drmModeFreeConnector(connector);
    }
    drmModeFreeResources(resources);
    return result;
}
