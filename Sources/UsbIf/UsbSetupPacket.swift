// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The 8-octet setup packet of a control URB (USB 2.0 §9.3) and the checks
/// that keep a guest from reading backend memory or reconfiguring a device
/// behind the backend's back.
public struct UsbSetupPacket: Equatable, Sendable {
    /// `bmRequestType`: bit 7 direction (1: device to host), bits 6–5 type, bits 4–0 recipient.
    public var requestType: UInt8
    /// `bRequest`.
    public var request: UInt8
    public var value: UInt16
    public var index: UInt16
    public var length: UInt16

    /// `SET_ADDRESS`, `SET_CONFIGURATION`, `SET_INTERFACE`, `CLEAR_FEATURE` (§9.4).
    public static let setAddress: UInt8 = 5
    public static let setConfiguration: UInt8 = 9
    public static let setInterface: UInt8 = 11
    public static let clearFeature: UInt8 = 1

    /// Reads the packet from the first 8 of `bytes` (missing octets read as 0).
    public init(_ bytes: [UInt8]) {
        func byte(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }
        requestType = byte(0)
        request = byte(1)
        value = UInt16(byte(2)) | UInt16(byte(3)) << 8
        index = UInt16(byte(4)) | UInt16(byte(5)) << 8
        length = UInt16(byte(6)) | UInt16(byte(7)) << 8
    }

    /// True if the data stage runs device to host.
    public var isDeviceToHost: Bool { requestType & 0x80 != 0 }
    /// True for a standard request (type bits 0), whatever its direction and recipient.
    public var isStandard: Bool { requestType & 0x60 == 0 }
    /// The recipient bits (0 device, 1 interface, 2 endpoint, 3 other).
    public var recipient: UInt8 { requestType & 0x1F }

    /// True for a standard request that changes the device's address or
    /// configuration — recognised by its request code, not by an exact
    /// `bmRequestType`, so a direction-bit variant cannot slip past.
    public var changesDeviceState: Bool {
        isStandard && (request == Self.setAddress || request == Self.setConfiguration
                       || request == Self.setInterface || request == Self.clearFeature)
    }

    /// Checks the packet against its URB: with a data stage (`bufferLength` >
    /// 0) the pipe's direction must be bit 7's (otherwise an IN pipe would send
    /// a buffer nobody filled to the device); a state-changing standard request
    /// must be host to device with no data stage.
    public func validate(pipeIsIn: Bool, bufferLength: UInt16, address: UInt8) throws(UsbIfError) {
        if bufferLength > 0 && pipeIsIn != isDeviceToHost {
            throw .directionMismatch(requestType: requestType, pipeIsIn: pipeIsIn)
        }
        if changesDeviceState && (isDeviceToHost || bufferLength > 0) {
            throw .requestUnsupported(request: request, address: address)
        }
    }
}
