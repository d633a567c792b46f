// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Sizes, offsets and constants of the xen/io/usbif.h wire structures, so
// UsbIfTests can check UsbIfWire against the C header itself.
#ifndef CUSBIFWIRE_H
#define CUSBIFWIRE_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/usbif.h>

static inline size_t cusbif_req_size(void) { return sizeof(struct usbif_urb_request); }
static inline size_t cusbif_rsp_size(void) { return sizeof(struct usbif_urb_response); }
static inline size_t cusbif_seg_size(void) { return sizeof(struct usbif_request_segment); }
static inline size_t cusbif_conn_req_size(void) { return sizeof(struct usbif_conn_request); }
static inline size_t cusbif_conn_rsp_size(void) { return sizeof(struct usbif_conn_response); }
static inline size_t cusbif_req_nr_buffer_segs(void) { return offsetof(struct usbif_urb_request, nr_buffer_segs); }
static inline size_t cusbif_req_pipe(void) { return offsetof(struct usbif_urb_request, pipe); }
static inline size_t cusbif_req_transfer_flags(void) { return offsetof(struct usbif_urb_request, transfer_flags); }
static inline size_t cusbif_req_buffer_length(void) { return offsetof(struct usbif_urb_request, buffer_length); }
static inline size_t cusbif_req_u(void) { return offsetof(struct usbif_urb_request, u); }
static inline size_t cusbif_req_isoc_start_frame(void) { return offsetof(struct usbif_urb_request, u.isoc.start_frame); }
static inline size_t cusbif_req_isoc_packets(void) { return offsetof(struct usbif_urb_request, u.isoc.number_of_packets); }
static inline size_t cusbif_req_isoc_desc_segs(void) { return offsetof(struct usbif_urb_request, u.isoc.nr_frame_desc_segs); }
static inline size_t cusbif_req_unlink_id(void) { return offsetof(struct usbif_urb_request, u.unlink.unlink_id); }
static inline size_t cusbif_req_seg(void) { return offsetof(struct usbif_urb_request, seg); }
static inline size_t cusbif_seg_offset(void) { return offsetof(struct usbif_request_segment, offset); }
static inline size_t cusbif_seg_length(void) { return offsetof(struct usbif_request_segment, length); }
static inline size_t cusbif_rsp_start_frame(void) { return offsetof(struct usbif_urb_response, start_frame); }
static inline size_t cusbif_rsp_status(void) { return offsetof(struct usbif_urb_response, status); }
static inline size_t cusbif_rsp_actual_length(void) { return offsetof(struct usbif_urb_response, actual_length); }
static inline size_t cusbif_rsp_error_count(void) { return offsetof(struct usbif_urb_response, error_count); }
static inline size_t cusbif_conn_portnum(void) { return offsetof(struct usbif_conn_response, portnum); }
static inline size_t cusbif_conn_speed(void) { return offsetof(struct usbif_conn_response, speed); }
static inline unsigned cusbif_urb_ring_size(void) { return USB_URB_RING_SIZE; }
static inline unsigned cusbif_conn_ring_size(void) { return USB_CONN_RING_SIZE; }
static inline int cusbif_max_segments(void) { return USBIF_MAX_SEGMENTS_PER_REQUEST; }
static inline int cusbif_max_ports(void) { return USBIF_MAX_PORTNR; }
static inline int cusbif_short_not_ok(void) { return USBIF_SHORT_NOT_OK; }
static inline int cusbif_status(int index) {
    static const int statuses[] = {USBIF_STATUS_OK, USBIF_STATUS_NODEV, USBIF_STATUS_INVAL, USBIF_STATUS_STALL,
                                   USBIF_STATUS_IOERROR, USBIF_STATUS_BABBLE, USBIF_STATUS_SHUTDOWN};
    return statuses[index];
}
static inline int cusbif_speed_high(void) { return USBIF_SPEED_HIGH; }
static inline int cusbif_speed_low(void) { return USBIF_SPEED_LOW; }
static inline int cusbif_speed_full(void) { return USBIF_SPEED_FULL; }
/// usbif.h's accessor macros on a pipe value.
static inline unsigned cusbif_pipe_port(uint32_t pipe) { return usbif_pipeportnum(pipe); }
static inline unsigned cusbif_pipe_unlink(uint32_t pipe) { return usbif_pipeunlink(pipe) ? 1 : 0; }
static inline unsigned cusbif_pipe_in(uint32_t pipe) { return usbif_pipein(pipe) ? 1 : 0; }
static inline unsigned cusbif_pipe_device(uint32_t pipe) { return usbif_pipedevice(pipe); }
static inline unsigned cusbif_pipe_endpoint(uint32_t pipe) { return usbif_pipeendpoint(pipe); }
static inline unsigned cusbif_pipe_type(uint32_t pipe) { return usbif_pipetype(pipe); }

#endif
