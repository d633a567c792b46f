// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CXen
import KbdIf
import Testing

/// KbdIfWire and KbdEvent against /usr/include/xen/io/kbdif.h.
@Suite struct WireFormatTests {
    @Test func layoutMatchesTheHeader() {
        #expect(KbdIfWire.eventSize == cxen_kbd_in_event_size())
        #expect(KbdIfWire.inConsOffset == cxen_kbd_offset_in_cons())
        #expect(KbdIfWire.inProdOffset == cxen_kbd_offset_in_prod())
        #expect(KbdIfWire.outConsOffset == cxen_kbd_offset_out_cons())
        #expect(KbdIfWire.outProdOffset == cxen_kbd_offset_out_prod())
        #expect(KbdIfWire.inRingOffset == XENKBD_IN_RING_OFFS)
        #expect(KbdIfWire.inRingLength == XENKBD_IN_RING_SIZE / XENKBD_IN_EVENT_SIZE)
        #expect(KbdIfWire.outRingOffset == XENKBD_IN_RING_OFFS + XENKBD_IN_RING_SIZE)
        #expect(KbdIfWire.outRingLength == XENKBD_OUT_RING_SIZE / XENKBD_OUT_EVENT_SIZE)
        #expect(cxen_kbd_offset_motion_rel_x() == 4 && cxen_kbd_offset_motion_rel_z() == 12)
        #expect(cxen_kbd_offset_key_pressed() == 1 && cxen_kbd_offset_key_keycode() == 4)
        #expect(cxen_kbd_offset_pos_abs_y() == 8)
        #expect(cxen_kbd_offset_mtouch_contact() == 2 && cxen_kbd_offset_mtouch_u() == 8)
        #expect(KbdIfWire.typeMotion == XENKBD_TYPE_MOTION && KbdIfWire.typeKey == XENKBD_TYPE_KEY)
        #expect(KbdIfWire.typePosition == XENKBD_TYPE_POS && KbdIfWire.typeMultiTouch == XENKBD_TYPE_MTOUCH)
        #expect(KbdIfWire.multiTouchShape == XENKBD_MT_EV_SHAPE && KbdIfWire.multiTouchOrient == XENKBD_MT_EV_ORIENT)
    }

    static let events: [KbdEvent] = [
        .motion(dx: -5, dy: 7, dz: -1), .key(code: 30, pressed: true), .key(code: 0x110, pressed: false),
        .position(x: 1919, y: 0, dz: 2), .touchDown(contact: 3, x: 10, y: 20), .touchMotion(contact: 9, x: -1, y: 5),
        .touchUp(contact: 1), .touchShape(contact: 2, major: 40, minor: 30), .touchOrientation(contact: 4, angle: -90),
        .touchSyn(contact: 0),
    ]

    @Test(arguments: events)
    func eventsRoundTrip(event: KbdEvent) {
        var slot = [UInt8](repeating: 0xEE, count: KbdIfWire.eventSize)
        slot.withUnsafeMutableBytes { event.encode(to: $0.baseAddress!) }
        #expect(slot.withUnsafeBytes { KbdEvent.decode($0.baseAddress!) } == event)
    }

    @Test func keyEventBytes() {
        var slot = [UInt8](repeating: 0xEE, count: KbdIfWire.eventSize)
        slot.withUnsafeMutableBytes { KbdEvent.key(code: 0x1234, pressed: true).encode(to: $0.baseAddress!) }
        #expect(Array(slot[0..<8]) == [3, 1, 0, 0, 0x34, 0x12, 0, 0])
        #expect(slot[8...].allSatisfy { $0 == 0 }, "unused bytes are zeroed, nothing leaks to the guest")
    }

    @Test func unknownTypesDecodeToNil() {
        var slot = [UInt8](repeating: 0, count: KbdIfWire.eventSize)
        slot[0] = 2  // XENKBD_TYPE_RESERVED
        #expect(slot.withUnsafeBytes { KbdEvent.decode($0.baseAddress!) } == nil)
    }
}
