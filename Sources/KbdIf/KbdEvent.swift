// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One backend-to-frontend event of xen/io/kbdif.h (`union xenkbd_in_event`).
public enum KbdEvent: Equatable, Sendable {
    /// `XENKBD_TYPE_MOTION`: relative pointer motion and wheel.
    case motion(dx: Int32, dy: Int32, dz: Int32)
    /// `XENKBD_TYPE_KEY`: a key or button (`KEY_*`/`BTN_*` of linux/input.h).
    case key(code: UInt32, pressed: Bool)
    /// `XENKBD_TYPE_POS`: absolute pointer position and wheel.
    case position(x: Int32, y: Int32, dz: Int32)
    /// `XENKBD_TYPE_MTOUCH` with `XENKBD_MT_EV_DOWN`.
    case touchDown(contact: UInt8, x: Int32, y: Int32)
    /// `XENKBD_MT_EV_MOTION`.
    case touchMotion(contact: UInt8, x: Int32, y: Int32)
    /// `XENKBD_MT_EV_UP`.
    case touchUp(contact: UInt8)
    /// `XENKBD_MT_EV_SHAPE`: contact ellipse axes.
    case touchShape(contact: UInt8, major: UInt32, minor: UInt32)
    /// `XENKBD_MT_EV_ORIENT`: clockwise angle of the major axis.
    case touchOrientation(contact: UInt8, angle: Int16)
    /// `XENKBD_MT_EV_SYN`: end of a multi-touch frame.
    case touchSyn(contact: UInt8)

    /// Writes the 40-byte wire form at `slot` (zeroing unused bytes). The
    /// frontend reads it only after `in_prod` is published behind a barrier.
    public func encode(to slot: UnsafeMutableRawPointer) {
        let bytes = KbdEventBytes(zeroing: slot)
        switch self {
        case .motion(let dx, let dy, let dz):
            bytes.set8(0, KbdIfWire.typeMotion); bytes.set32(4, UInt32(bitPattern: dx))
            bytes.set32(8, UInt32(bitPattern: dy)); bytes.set32(12, UInt32(bitPattern: dz))
        case .key(let code, let pressed):
            bytes.set8(0, KbdIfWire.typeKey); bytes.set8(1, pressed ? 1 : 0); bytes.set32(4, code)
        case .position(let x, let y, let dz):
            bytes.set8(0, KbdIfWire.typePosition); bytes.set32(4, UInt32(bitPattern: x))
            bytes.set32(8, UInt32(bitPattern: y)); bytes.set32(12, UInt32(bitPattern: dz))
        case .touchDown(let c, let x, let y): bytes.touch(KbdIfWire.multiTouchDown, c, UInt32(bitPattern: x), UInt32(bitPattern: y))
        case .touchMotion(let c, let x, let y): bytes.touch(KbdIfWire.multiTouchMotion, c, UInt32(bitPattern: x), UInt32(bitPattern: y))
        case .touchUp(let c): bytes.touch(KbdIfWire.multiTouchUp, c, 0, 0)
        case .touchShape(let c, let major, let minor): bytes.touch(KbdIfWire.multiTouchShape, c, major, minor)
        case .touchOrientation(let c, let angle):
            bytes.touch(KbdIfWire.multiTouchOrient, c, 0, 0)
            bytes.set16(8, UInt16(bitPattern: angle))
        case .touchSyn(let c): bytes.touch(KbdIfWire.multiTouchSyn, c, 0, 0)
        }
    }

    /// Decodes a 40-byte event already copied out of shared memory; nil for an
    /// unknown type (as frontends skip them).
    public static func decode(_ raw: UnsafeRawPointer) -> KbdEvent? {
        let bytes = KbdEventReader(base: raw)
        switch bytes.get8(0) {
        case KbdIfWire.typeMotion:
            return .motion(dx: Int32(bitPattern: bytes.get32(4)), dy: Int32(bitPattern: bytes.get32(8)),
                           dz: Int32(bitPattern: bytes.get32(12)))
        case KbdIfWire.typeKey:
            return .key(code: bytes.get32(4), pressed: bytes.get8(1) != 0)
        case KbdIfWire.typePosition:
            return .position(x: Int32(bitPattern: bytes.get32(4)), y: Int32(bitPattern: bytes.get32(8)),
                             dz: Int32(bitPattern: bytes.get32(12)))
        case KbdIfWire.typeMultiTouch:
            let contact = bytes.get8(2)
            let a = bytes.get32(8), b = bytes.get32(12)
            switch bytes.get8(1) {
            case KbdIfWire.multiTouchDown: return .touchDown(contact: contact, x: Int32(bitPattern: a), y: Int32(bitPattern: b))
            case KbdIfWire.multiTouchMotion: return .touchMotion(contact: contact, x: Int32(bitPattern: a), y: Int32(bitPattern: b))
            case KbdIfWire.multiTouchUp: return .touchUp(contact: contact)
            case KbdIfWire.multiTouchShape: return .touchShape(contact: contact, major: a, minor: b)
            case KbdIfWire.multiTouchOrient: return .touchOrientation(contact: contact, angle: Int16(bitPattern: bytes.get16(8)))
            case KbdIfWire.multiTouchSyn: return .touchSyn(contact: contact)
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// Writes and reads the fields of one 40-byte event slot, little-endian as on
/// every Xen architecture. Writing starts by zeroing the slot so no stale byte
/// reaches the guest; reading is done on a private copy.
struct KbdEventBytes {
    let base: UnsafeMutableRawPointer

    init(zeroing slot: UnsafeMutableRawPointer) {
        base = slot
        base.initializeMemory(as: UInt8.self, repeating: 0, count: KbdIfWire.eventSize)
    }

    func set8(_ offset: Int, _ value: UInt8) { base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self) }
    func set16(_ offset: Int, _ value: UInt16) { base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self) }
    func set32(_ offset: Int, _ value: UInt32) { base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    func touch(_ kind: UInt8, _ contact: UInt8, _ a: UInt32, _ b: UInt32) {
        set8(0, KbdIfWire.typeMultiTouch); set8(1, kind); set8(2, contact); set32(8, a); set32(12, b)
    }
}

/// Reads fields of an event already copied into private memory.
struct KbdEventReader {
    let base: UnsafeRawPointer
    func get8(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
    func get16(_ offset: Int) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
    func get32(_ offset: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
}
