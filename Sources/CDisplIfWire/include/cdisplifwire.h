// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Sizes and offsets of the xen/io/displif.h wire structures, so DisplIfTests
// can check DisplIfWire's constants against the C header itself.
#ifndef CDISPLIFWIRE_H
#define CDISPLIFWIRE_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/displif.h>

#define CDISPL_OP(type, field) (offsetof(struct xendispl_req, op) + offsetof(struct type, field))

static inline size_t cdispl_req_size(void) { return sizeof(struct xendispl_req); }
static inline size_t cdispl_resp_size(void) { return sizeof(struct xendispl_resp); }
static inline size_t cdispl_evt_size(void) { return sizeof(struct xendispl_evt); }
static inline size_t cdispl_req_operation(void) { return offsetof(struct xendispl_req, operation); }
static inline size_t cdispl_req_op(void) { return offsetof(struct xendispl_req, op); }
static inline size_t cdispl_resp_status(void) { return offsetof(struct xendispl_resp, status); }
static inline size_t cdispl_resp_edid_sz(void) { return offsetof(struct xendispl_resp, op) + offsetof(struct xendispl_get_edid_resp, edid_sz); }
static inline size_t cdispl_evt_type(void) { return offsetof(struct xendispl_evt, type); }
static inline size_t cdispl_evt_fb_cookie(void) { return offsetof(struct xendispl_evt, op) + offsetof(struct xendispl_pg_flip_evt, fb_cookie); }
static inline size_t cdispl_dbuf_cookie(void) { return CDISPL_OP(xendispl_dbuf_create_req, dbuf_cookie); }
static inline size_t cdispl_dbuf_width(void) { return CDISPL_OP(xendispl_dbuf_create_req, width); }
static inline size_t cdispl_dbuf_height(void) { return CDISPL_OP(xendispl_dbuf_create_req, height); }
static inline size_t cdispl_dbuf_bpp(void) { return CDISPL_OP(xendispl_dbuf_create_req, bpp); }
static inline size_t cdispl_dbuf_buffer_sz(void) { return CDISPL_OP(xendispl_dbuf_create_req, buffer_sz); }
static inline size_t cdispl_dbuf_flags(void) { return CDISPL_OP(xendispl_dbuf_create_req, flags); }
static inline size_t cdispl_dbuf_gref_directory(void) { return CDISPL_OP(xendispl_dbuf_create_req, gref_directory); }
static inline size_t cdispl_dbuf_data_ofs(void) { return CDISPL_OP(xendispl_dbuf_create_req, data_ofs); }
static inline size_t cdispl_destroy_cookie(void) { return CDISPL_OP(xendispl_dbuf_destroy_req, dbuf_cookie); }
static inline size_t cdispl_attach_dbuf_cookie(void) { return CDISPL_OP(xendispl_fb_attach_req, dbuf_cookie); }
static inline size_t cdispl_attach_fb_cookie(void) { return CDISPL_OP(xendispl_fb_attach_req, fb_cookie); }
static inline size_t cdispl_attach_width(void) { return CDISPL_OP(xendispl_fb_attach_req, width); }
static inline size_t cdispl_attach_height(void) { return CDISPL_OP(xendispl_fb_attach_req, height); }
static inline size_t cdispl_attach_format(void) { return CDISPL_OP(xendispl_fb_attach_req, pixel_format); }
static inline size_t cdispl_detach_cookie(void) { return CDISPL_OP(xendispl_fb_detach_req, fb_cookie); }
static inline size_t cdispl_config_cookie(void) { return CDISPL_OP(xendispl_set_config_req, fb_cookie); }
static inline size_t cdispl_config_x(void) { return CDISPL_OP(xendispl_set_config_req, x); }
static inline size_t cdispl_config_y(void) { return CDISPL_OP(xendispl_set_config_req, y); }
static inline size_t cdispl_config_width(void) { return CDISPL_OP(xendispl_set_config_req, width); }
static inline size_t cdispl_config_height(void) { return CDISPL_OP(xendispl_set_config_req, height); }
static inline size_t cdispl_config_bpp(void) { return CDISPL_OP(xendispl_set_config_req, bpp); }
static inline size_t cdispl_flip_cookie(void) { return CDISPL_OP(xendispl_page_flip_req, fb_cookie); }
static inline size_t cdispl_edid_buffer_sz(void) { return CDISPL_OP(xendispl_get_edid_req, buffer_sz); }
static inline size_t cdispl_edid_gref_directory(void) { return CDISPL_OP(xendispl_get_edid_req, gref_directory); }
static inline size_t cdispl_event_in_cons(void) { return offsetof(struct xendispl_event_page, in_cons); }
static inline size_t cdispl_event_in_prod(void) { return offsetof(struct xendispl_event_page, in_prod); }
static inline size_t cdispl_in_ring_offs(void) { return XENDISPL_IN_RING_OFFS; }
static inline size_t cdispl_in_ring_len(void) { return XENDISPL_IN_RING_LEN; }
static inline unsigned cdispl_ring_size(void) { return __CONST_RING_SIZE(xen_displif, 4096); }
static inline size_t cdispl_page_directory_gref(void) { return offsetof(struct xendispl_page_directory, gref); }
static inline int cdispl_op_dbuf_create(void) { return XENDISPL_OP_DBUF_CREATE; }
static inline int cdispl_op_dbuf_destroy(void) { return XENDISPL_OP_DBUF_DESTROY; }
static inline int cdispl_op_fb_attach(void) { return XENDISPL_OP_FB_ATTACH; }
static inline int cdispl_op_fb_detach(void) { return XENDISPL_OP_FB_DETACH; }
static inline int cdispl_op_set_config(void) { return XENDISPL_OP_SET_CONFIG; }
static inline int cdispl_op_pg_flip(void) { return XENDISPL_OP_PG_FLIP; }
static inline int cdispl_op_get_edid(void) { return XENDISPL_OP_GET_EDID; }
static inline int cdispl_evt_pg_flip(void) { return XENDISPL_EVT_PG_FLIP; }
static inline unsigned cdispl_flg_req_alloc(void) { return XENDISPL_DBUF_FLG_REQ_ALLOC; }
static inline int cdispl_edid_max_size(void) { return XENDISPL_EDID_MAX_SIZE; }
static inline const char *cdispl_driver_name(void) { return XENDISPL_DRIVER_NAME; }
static inline const char *cdispl_protocol_version(void) { return XENDISPL_PROTOCOL_VERSION; }

#endif
