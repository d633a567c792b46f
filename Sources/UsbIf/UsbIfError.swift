// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Everything that can fail in the usbif backend and its USB host. Each case
/// names the failed operation and carries the offending values; `status` maps
/// it to the URB status answered to the frontend.
public enum UsbIfError: Error, Equatable, CustomStringConvertible {
    /// `nr_buffer_segs` (plus iso descriptor segments) above `USBIF_MAX_SEGMENTS_PER_REQUEST`.
    case tooManySegments(count: Int)
    /// A segment's offset + length runs past its page.
    case segmentOutsidePage(index: Int, offset: UInt16, length: UInt16)
    /// The buffer segments do not add up to `buffer_length`.
    case bufferLengthMismatch(segments: Int, bufferLength: UInt16)
    /// An isochronous request's descriptors are missing, too many or point outside the buffer.
    case isoDescriptorsInvalid(reason: String)
    /// A port number outside 1...num-ports.
    case portInvalid(port: UInt8, numPorts: Int)
    /// A request for a port with no device, or an address no device has.
    case noDevice(port: UInt8, address: UInt8)
    /// A request id that is already in flight.
    case duplicateID(id: UInt16)
    /// A control request to address 0 other than GET_DESCRIPTOR or SET_ADDRESS,
    /// or a SET_ADDRESS to an address above 127.
    case requestUnsupported(request: UInt8, address: UInt8)
    /// A control URB's pipe direction disagrees with `bmRequestType` bit 7.
    case directionMismatch(requestType: UInt8, pipeIsIn: Bool)
    /// A buffer or descriptor segment could not be mapped.
    case bufferMapFailed(XenError)
    /// The host library refused the transfer (`errno`-style code from the library).
    case submitFailed(device: String, code: Int32)
    /// A host device could not be opened.
    case openFailed(busID: String, code: Int32)
    /// A busid on a port is on another bus than the bound controller's, or malformed.
    case busIDRejected(busID: String, reason: String)
    /// The device's speed cannot be offered on this controller (USB 1.1 controller, super-speed device...).
    case speedUnsupported(busID: String, speed: UsbSpeed)
    /// The backend's own nodes (num-ports, usb-ver) are wrong.
    case topologyInvalid(path: String, value: String)

    /// The status answered to the frontend.
    public var status: UsbStatus {
        switch self {
        case .tooManySegments, .segmentOutsidePage, .bufferLengthMismatch, .isoDescriptorsInvalid, .portInvalid,
             .duplicateID, .requestUnsupported, .directionMismatch, .topologyInvalid:
            return .invalid
        case .noDevice, .openFailed, .busIDRejected, .speedUnsupported: return .noDevice
        case .bufferMapFailed, .submitFailed: return .shutdown
        }
    }

    public var description: String {
        switch self {
        case .tooManySegments(let n): return "Request has \(n) segments; usbif allows \(UsbIfWire.maxSegments)."
        case .segmentOutsidePage(let i, let o, let l): return "Segment \(i) at offset \(o) of \(l) bytes runs past its page."
        case .bufferLengthMismatch(let s, let b): return "Buffer segments hold \(s) bytes but buffer_length is \(b)."
        case .isoDescriptorsInvalid(let r): return "Isochronous descriptors are invalid: \(r)."
        case .portInvalid(let p, let n): return "Port \(p) is not one of the controller's ports 1...\(n)."
        case .noDevice(let p, let a): return "No device on port \(p) at address \(a)."
        case .duplicateID(let id): return "Request id \(id) is already in flight."
        case .directionMismatch(let t, let i):
            return "Control request type \(t) moves data \(t & 0x80 != 0 ? "in" : "out") but its pipe is \(i ? "IN" : "OUT")."
        case .requestUnsupported(let r, let a): return "Control request \(r) to address \(a) is not supported."
        case .bufferMapFailed(let e): return "Unable to map the URB buffer: \(e.description)"
        case .submitFailed(let d, let c): return "Unable to submit a transfer to \(d) (code \(c))."
        case .openFailed(let b, let c): return "Unable to open USB device \(b) (code \(c)): is it plugged in and not in use?"
        case .busIDRejected(let b, let r): return "USB device \(b) cannot be assigned: \(r)."
        case .speedUnsupported(let b, let s): return "USB device \(b) runs at \(s.description) speed, which this controller cannot offer."
        case .topologyInvalid(let p, let v): return "Backend node \(p) holds invalid value '\(v)'."
        }
    }
}
