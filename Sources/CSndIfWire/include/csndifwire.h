// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// Sizes and offsets of the xen/io/sndif.h wire structures, so SndIfTests can
// check SndIfWire's constants against the C header itself.
#ifndef CSNDIFWIRE_H
#define CSNDIFWIRE_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/sndif.h>

static inline size_t csnd_req_size(void) { return sizeof(struct xensnd_req); }
static inline size_t csnd_resp_size(void) { return sizeof(struct xensnd_resp); }
static inline size_t csnd_evt_size(void) { return sizeof(struct xensnd_evt); }
static inline size_t csnd_req_operation(void) { return offsetof(struct xensnd_req, operation); }
static inline size_t csnd_req_op(void) { return offsetof(struct xensnd_req, op); }
static inline size_t csnd_resp_status(void) { return offsetof(struct xensnd_resp, status); }
static inline size_t csnd_resp_resp(void) { return offsetof(struct xensnd_resp, resp); }
static inline size_t csnd_open_format(void) { return offsetof(struct xensnd_open_req, pcm_format); }
static inline size_t csnd_open_channels(void) { return offsetof(struct xensnd_open_req, pcm_channels); }
static inline size_t csnd_open_buffer_sz(void) { return offsetof(struct xensnd_open_req, buffer_sz); }
static inline size_t csnd_open_gref_directory(void) { return offsetof(struct xensnd_open_req, gref_directory); }
static inline size_t csnd_open_period_sz(void) { return offsetof(struct xensnd_open_req, period_sz); }
static inline size_t csnd_rw_length(void) { return offsetof(struct xensnd_rw_req, length); }
static inline size_t csnd_hw_rates(void) { return offsetof(struct xensnd_query_hw_param, rates); }
static inline size_t csnd_hw_channels(void) { return offsetof(struct xensnd_query_hw_param, channels); }
static inline size_t csnd_hw_buffer(void) { return offsetof(struct xensnd_query_hw_param, buffer); }
static inline size_t csnd_hw_period(void) { return offsetof(struct xensnd_query_hw_param, period); }
static inline size_t csnd_evt_op(void) { return offsetof(struct xensnd_evt, op); }
static inline size_t csnd_event_in_prod(void) { return offsetof(struct xensnd_event_page, in_prod); }
static inline size_t csnd_in_ring_offs(void) { return XENSND_IN_RING_OFFS; }
static inline size_t csnd_in_ring_len(void) { return XENSND_IN_RING_LEN; }
static inline unsigned csnd_ring_size(void) { return __CONST_RING_SIZE(xen_sndif, 4096); }
static inline int csnd_op_hw_param_query(void) { return XENSND_OP_HW_PARAM_QUERY; }
static inline int csnd_op_trigger(void) { return XENSND_OP_TRIGGER; }
static inline int csnd_op_unmute(void) { return XENSND_OP_UNMUTE; }
static inline int csnd_trigger_resume(void) { return XENSND_OP_TRIGGER_RESUME; }
static inline int csnd_format_gsm(void) { return XENSND_PCM_FORMAT_GSM; }
static inline int csnd_format_f64_be(void) { return XENSND_PCM_FORMAT_F64_BE; }

#endif
