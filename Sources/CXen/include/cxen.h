// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The Xen user-space libraries and public I/O headers as the real platform
// (XenLinux) and the kbdif-backend executable see them. Function-like macros
// and things Embedded Swift cannot reach (errno, argv) get static inline or
// small C wrappers named cxen_<what>.
#ifndef CXEN_H
#define CXEN_H

#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <xenstore.h>
#include <xengnttab.h>
#include <xenevtchn.h>
#include <xen/io/ring.h>
#include <xen/io/xenbus.h>
#include <xen/io/kbdif.h>

/// `errno` after a failed libxen call.
static inline int cxen_errno(void) { return errno; }

/// Byte offsets and sizes of the kbdif wire structures, for layout tests.
static inline size_t cxen_kbd_in_event_size(void) { return sizeof(union xenkbd_in_event); }
static inline size_t cxen_kbd_offset_in_cons(void) { return offsetof(struct xenkbd_page, in_cons); }
static inline size_t cxen_kbd_offset_in_prod(void) { return offsetof(struct xenkbd_page, in_prod); }
static inline size_t cxen_kbd_offset_out_cons(void) { return offsetof(struct xenkbd_page, out_cons); }
static inline size_t cxen_kbd_offset_out_prod(void) { return offsetof(struct xenkbd_page, out_prod); }
static inline size_t cxen_kbd_offset_motion_rel_x(void) { return offsetof(struct xenkbd_motion, rel_x); }
static inline size_t cxen_kbd_offset_motion_rel_z(void) { return offsetof(struct xenkbd_motion, rel_z); }
static inline size_t cxen_kbd_offset_key_pressed(void) { return offsetof(struct xenkbd_key, pressed); }
static inline size_t cxen_kbd_offset_key_keycode(void) { return offsetof(struct xenkbd_key, keycode); }
static inline size_t cxen_kbd_offset_pos_abs_y(void) { return offsetof(struct xenkbd_position, abs_y); }
static inline size_t cxen_kbd_offset_mtouch_contact(void) { return offsetof(struct xenkbd_mtouch, contact_id); }
static inline size_t cxen_kbd_offset_mtouch_u(void) { return offsetof(struct xenkbd_mtouch, u); }

/// A ring.h ring with 8-byte requests and responses, to check RingGeometry.
struct cxen_test_request { uint64_t id; };
struct cxen_test_response { uint64_t id; };
DEFINE_RING_TYPES(cxen_test, struct cxen_test_request, struct cxen_test_response);
/// `__CONST_RING_SIZE(cxen_test, XEN_PAGE_SIZE)`.
static inline unsigned cxen_test_ring_size(void) { return __CONST_RING_SIZE(cxen_test, 4096); }
/// Offset of `ring` in the shared ring header.
static inline size_t cxen_test_ring_offset(void) { return offsetof(struct cxen_test_sring, ring); }

/// argc/argv of the process, saved before main runs (glibc passes them to ELF constructors).
int cxen_argc(void);
const char *cxen_argv(int index);

#endif
