// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import KbdIf
import Testing

func key(_ code: Int32, _ value: Int32) -> InputEvent { InputEvent(type: UInt16(EV_KEY), code: UInt16(code), value: value) }
func rel(_ code: Int32, _ value: Int32) -> InputEvent { InputEvent(type: UInt16(EV_REL), code: UInt16(code), value: value) }
func abs(_ code: Int32, _ value: Int32) -> InputEvent { InputEvent(type: UInt16(EV_ABS), code: UInt16(code), value: value) }
let syn = InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0)
let dropped = InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_DROPPED), value: 0)

@Suite struct EvdevTranslatorTests {
    static let tablet = InputCapabilities(absoluteX: AxisRange(minimum: 0, maximum: 1000),
                                          absoluteY: AxisRange(minimum: -500, maximum: 500),
                                          touchX: AxisRange(minimum: 0, maximum: 100), touchY: AxisRange(minimum: 0, maximum: 100),
                                          touchSlots: 4)

    func translate(_ input: [InputEvent], absolute: Bool = false, raw: Bool = false, multiTouch: Bool = false,
                   options: KbdIfOptions = KbdIfOptions(), capabilities: InputCapabilities = tablet) -> [KbdEvent] {
        var translator = EvdevTranslator(negotiation: KbdNegotiation(absolute: absolute, raw: raw, multiTouch: multiTouch),
                                         options: options, capabilities: capabilities)
        var output: [KbdEvent] = []
        for event in input { translator.translate(event, into: &output) }
        return output
    }

    @Test func keysPressAndReleaseWithoutAutorepeat() {
        #expect(translate([key(KEY_A, 1), key(KEY_A, 2), key(KEY_A, 0), syn])
                == [.key(code: UInt32(KEY_A), pressed: true), .key(code: UInt32(KEY_A), pressed: false)])
    }

    @Test func relativeMotionIsSummedPerFrame() {
        #expect(translate([rel(REL_X, 3), rel(REL_X, 2), rel(REL_Y, -1), rel(REL_WHEEL, 1), syn, syn])
                == [.motion(dx: 5, dy: -1, dz: 1)])
    }

    @Test func relativeMotionBecomesACursorForAbsoluteFrontends() {
        var options = KbdIfOptions()
        options.width = 100
        options.height = 50
        #expect(translate([rel(REL_X, 30), rel(REL_Y, 80), syn, rel(REL_X, -50), syn], absolute: true, options: options)
                == [.position(x: 30, y: 50, dz: 0), .position(x: 0, y: 50, dz: 0)])
    }

    @Test func absolutePositionsAreScaledToWidthAndHeight() {
        #expect(translate([abs(ABS_X, 500), abs(ABS_Y, 500), syn], absolute: true) == [.position(x: 960, y: 1080, dz: 0)])
    }

    @Test func rawPointerUsesTheFullRawRange() {
        #expect(translate([abs(ABS_X, 1000), abs(ABS_Y, -500), syn], absolute: true, raw: true)
                == [.position(x: 0x7fff, y: 0, dz: 0)])
    }

    @Test func absolutePositionsBecomeDeltasForRelativeFrontends() {
        #expect(translate([abs(ABS_X, 0), abs(ABS_Y, 0), syn, abs(ABS_X, 500), syn])
                == [.motion(dx: 960, dy: 0, dz: 0)])
    }

    @Test func multiTouchSlotsBecomeContacts() {
        let input = [
            abs(ABS_MT_SLOT, 0), abs(ABS_MT_TRACKING_ID, 11), abs(ABS_MT_POSITION_X, 50), abs(ABS_MT_POSITION_Y, 100),
            abs(ABS_MT_SLOT, 2), abs(ABS_MT_TRACKING_ID, 12), abs(ABS_MT_POSITION_X, 0), abs(ABS_MT_POSITION_Y, 0), syn,
            abs(ABS_MT_SLOT, 0), abs(ABS_MT_POSITION_X, 100), abs(ABS_MT_TOUCH_MAJOR, 9), abs(ABS_MT_TOUCH_MINOR, 4),
            abs(ABS_MT_ORIENTATION, -3), syn,
            abs(ABS_MT_SLOT, 2), abs(ABS_MT_TRACKING_ID, -1), syn,
        ]
        #expect(translate(input, multiTouch: true) == [
            .touchDown(contact: 0, x: 960, y: 1080), .touchDown(contact: 2, x: 0, y: 0), .touchSyn(contact: 2),
            .touchMotion(contact: 0, x: 1920, y: 1080), .touchShape(contact: 0, major: 9, minor: 4),
            .touchOrientation(contact: 0, angle: -3), .touchSyn(contact: 0),
            .touchUp(contact: 2), .touchSyn(contact: 2),
        ])
    }

    @Test func multiTouchIsDroppedUnlessNegotiated() {
        #expect(translate([abs(ABS_MT_TRACKING_ID, 1), abs(ABS_MT_POSITION_X, 5), syn]).isEmpty)
    }

    @Test func outOfRangeSlotsAreIgnored() {
        #expect(translate([abs(ABS_MT_SLOT, 99), abs(ABS_MT_TRACKING_ID, 1), syn, abs(ABS_MT_SLOT, -4),
                           abs(ABS_MT_TRACKING_ID, 1), syn], multiTouch: true).isEmpty)
    }

    @Test func disabledKeyboardAndPointer() {
        var options = KbdIfOptions()
        options.disableKeyboard = true
        #expect(translate([key(KEY_A, 1), key(BTN_LEFT, 1), syn], options: options) == [.key(code: UInt32(BTN_LEFT), pressed: true)])
        options = KbdIfOptions()
        options.disablePointer = true
        #expect(translate([key(KEY_A, 1), key(BTN_LEFT, 1), rel(REL_X, 1), syn], options: options)
                == [.key(code: UInt32(KEY_A), pressed: true)])
    }

    @Test func synDroppedDiscardsTheFrame() {
        #expect(translate([rel(REL_X, 4), dropped, rel(REL_X, 100), key(KEY_B, 1), syn, rel(REL_Y, 1), syn])
                == [.motion(dx: 0, dy: 1, dz: 0)])
    }
}
