// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Turns evdev frames (events up to SYN_REPORT) into kbdif events for one
/// frontend, following what it negotiated:
/// - EV_KEY press/release → KEY (autorepeat dropped: the guest repeats itself);
/// - EV_REL X/Y/WHEEL → MOTION, or, for an absolute frontend, a cursor moved
///   within width×height → POS;
/// - EV_ABS X/Y → POS scaled to width×height (or [0, 0x7fff] when raw), or
///   deltas → MOTION for a relative frontend;
/// - ABS_MT_* with slots (protocol B) → MTOUCH DOWN/MOTION/SHAPE/ORIENT/UP and
///   a SYN per frame, contact id = slot;
/// - SYN_DROPPED discards the rest of the frame.
public struct EvdevTranslator {
    struct Slot {
        var active = false
        var x: Int32 = 0, y: Int32 = 0
        var major: UInt32 = 0, minor: UInt32 = 0
        var orientation: Int16 = 0
        var down = false, up = false, moved = false, shaped = false, turned = false
    }

    public let negotiation: KbdNegotiation
    public let options: KbdIfOptions
    public let capabilities: InputCapabilities
    private var relX: Int32 = 0, relY: Int32 = 0, wheel: Int32 = 0
    private var absX: Int32? = nil, absY: Int32? = nil
    private var absChanged = false
    private var cursorX: Int32 = 0, cursorY: Int32 = 0
    private var lastSentX: Int32? = nil, lastSentY: Int32? = nil
    private var slots: [Slot]
    private var slot = 0
    private var dropping = false

    public init(negotiation: KbdNegotiation, options: KbdIfOptions, capabilities: InputCapabilities) {
        self.negotiation = negotiation
        self.options = options
        self.capabilities = capabilities
        let count = capabilities.touchSlots > 0 ? capabilities.touchSlots : Int(options.touchContacts)
        slots = [Slot](repeating: Slot(), count: min(max(count, 1), 256))
    }

    /// Translates `input`, appending kbdif events to `output`.
    public mutating func translate(_ input: InputEvent, into output: inout [KbdEvent]) {
        if dropping {
            if input.type == UInt16(EV_SYN) && input.code == UInt16(SYN_REPORT) { dropping = false; resetFrame() }
            return
        }
        switch Int32(input.type) {
        case EV_KEY: key(input, &output)
        case EV_REL: relative(input)
        case EV_ABS: absolute(input)
        case EV_SYN:
            if input.code == UInt16(SYN_REPORT) { endFrame(&output) }
            if input.code == UInt16(SYN_DROPPED) { dropping = true }
        default: break
        }
    }

    private mutating func resetFrame() {
        relX = 0; relY = 0; wheel = 0; absChanged = false
        for index in slots.indices {
            slots[index].down = false; slots[index].up = false; slots[index].moved = false
            slots[index].shaped = false; slots[index].turned = false
        }
    }

    private func isPointerButton(_ code: UInt16) -> Bool { code >= UInt16(BTN_MISC) && code < UInt16(KEY_OK) }

    private mutating func key(_ input: InputEvent, _ output: inout [KbdEvent]) {
        guard input.value == 0 || input.value == 1 else { return }
        let pointer = isPointerButton(input.code)
        if pointer && options.disablePointer { return }
        if !pointer && options.disableKeyboard { return }
        output.append(.key(code: UInt32(input.code), pressed: input.value == 1))
    }

    private mutating func relative(_ input: InputEvent) {
        switch Int32(input.code) {
        case REL_X: relX &+= input.value
        case REL_Y: relY &+= input.value
        case REL_WHEEL: wheel &+= input.value
        default: break
        }
    }

    private mutating func absolute(_ input: InputEvent) {
        let code = Int32(input.code)
        switch code {
        case ABS_X: absX = input.value; absChanged = true
        case ABS_Y: absY = input.value; absChanged = true
        case ABS_MT_SLOT:
            slot = input.value >= 0 && Int(input.value) < slots.count ? Int(input.value) : -1
        default:
            guard slot >= 0, code >= ABS_MT_TOUCH_MAJOR, code <= ABS_MT_TOOL_Y else { return }
            touch(code, input.value)
        }
    }

    private mutating func touch(_ code: Int32, _ value: Int32) {
        switch code {
        case ABS_MT_TRACKING_ID:
            if value < 0 {
                if slots[slot].active { slots[slot].up = true; slots[slot].active = false }
            } else if !slots[slot].active {
                slots[slot].active = true; slots[slot].down = true; slots[slot].up = false
            }
        case ABS_MT_POSITION_X:
            slots[slot].x = Self.scale(value, capabilities.touchX, to: options.touchWidth); slots[slot].moved = true
        case ABS_MT_POSITION_Y:
            slots[slot].y = Self.scale(value, capabilities.touchY, to: options.touchHeight); slots[slot].moved = true
        case ABS_MT_TOUCH_MAJOR: slots[slot].major = UInt32(clamping: max(value, 0)); slots[slot].shaped = true
        case ABS_MT_TOUCH_MINOR: slots[slot].minor = UInt32(clamping: max(value, 0)); slots[slot].shaped = true
        case ABS_MT_ORIENTATION: slots[slot].orientation = Int16(clamping: value); slots[slot].turned = true
        default: break
        }
    }

    /// Maps `value` in `range` onto [0, `size`]; unchanged without a range.
    static func scale(_ value: Int32, _ range: AxisRange?, to size: UInt32) -> Int32 {
        guard let range, range.maximum > range.minimum else { return value }
        let clamped = min(max(value, range.minimum), range.maximum)
        let span = Int64(range.maximum) - Int64(range.minimum)
        return Int32(clamping: (Int64(clamped) - Int64(range.minimum)) * Int64(size) / span)
    }

    private mutating func endFrame(_ output: inout [KbdEvent]) {
        if !options.disablePointer { pointerFrame(&output) }
        if negotiation.multiTouch { touchFrame(&output) }
        resetFrame()
    }

    private mutating func pointerFrame(_ output: inout [KbdEvent]) {
        let width = negotiation.raw ? UInt32(KbdIfWire.rawPointerMax) : options.width
        let height = negotiation.raw ? UInt32(KbdIfWire.rawPointerMax) : options.height
        if absChanged, let rawX = absX, let rawY = absY {
            let x = Self.scale(rawX, capabilities.absoluteX, to: width)
            let y = Self.scale(rawY, capabilities.absoluteY, to: height)
            if negotiation.absolute {
                output.append(.position(x: x, y: y, dz: wheel))
            } else {
                let dx = lastSentX.map { x &- $0 } ?? 0, dy = lastSentY.map { y &- $0 } ?? 0
                if dx != 0 || dy != 0 || wheel != 0 { output.append(.motion(dx: dx, dy: dy, dz: wheel)) }
            }
            lastSentX = x; lastSentY = y
        } else if relX != 0 || relY != 0 || wheel != 0 {
            if negotiation.absolute {
                cursorX = min(max(cursorX &+ relX, 0), Int32(clamping: width))
                cursorY = min(max(cursorY &+ relY, 0), Int32(clamping: height))
                output.append(.position(x: cursorX, y: cursorY, dz: wheel))
            } else {
                output.append(.motion(dx: relX, dy: relY, dz: wheel))
            }
        }
    }

    private mutating func touchFrame(_ output: inout [KbdEvent]) {
        var any = false
        var lastContact: UInt8 = 0
        for index in slots.indices {
            let contact = UInt8(truncatingIfNeeded: index)
            var s = slots[index]
            if s.down && s.up {
                s.down = false  // touched and lifted within one frame: report nothing
                s.up = false
                s.moved = false
            }
            if s.down { output.append(.touchDown(contact: contact, x: s.x, y: s.y)); any = true; lastContact = contact }
            else if s.moved && s.active { output.append(.touchMotion(contact: contact, x: s.x, y: s.y)); any = true; lastContact = contact }
            if s.shaped && s.active { output.append(.touchShape(contact: contact, major: s.major, minor: s.minor)); any = true; lastContact = contact }
            if s.turned && s.active { output.append(.touchOrientation(contact: contact, angle: s.orientation)); any = true; lastContact = contact }
            if s.up { output.append(.touchUp(contact: contact)); any = true; lastContact = contact }
            slots[index] = s
        }
        if any { output.append(.touchSyn(contact: lastContact)) }
    }
}
