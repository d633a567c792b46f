// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// One `struct usbif_urb_response`.
public struct UrbResponse: Equatable, Sendable {
    public var id: UInt16
    public var startFrame: UInt16
    /// `USBIF_STATUS_*` as sent (a frontend may see any value from a broken backend).
    public var status: Int32
    public var actualLength: Int32
    public var errorCount: Int32

    public init(id: UInt16, startFrame: UInt16 = 0, status: Int32, actualLength: Int32 = 0, errorCount: Int32 = 0) {
        self.id = id
        self.startFrame = startFrame
        self.status = status
        self.actualLength = actualLength
        self.errorCount = errorCount
    }

    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, UsbIfWire.responseIDOffset)
        startFrame = PacketBytes.u16(bytes, UsbIfWire.responseStartFrameOffset)
        status = Int32(bitPattern: PacketBytes.u32(bytes, UsbIfWire.responseStatusOffset))
        actualLength = Int32(bitPattern: PacketBytes.u32(bytes, UsbIfWire.responseActualLengthOffset))
        errorCount = Int32(bitPattern: PacketBytes.u32(bytes, UsbIfWire.responseErrorCountOffset))
    }

    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        PacketBytes.put16(bytes, UsbIfWire.responseIDOffset, id)
        PacketBytes.put16(bytes, UsbIfWire.responseStartFrameOffset, startFrame)
        PacketBytes.put32(bytes, UsbIfWire.responseStatusOffset, UInt32(bitPattern: status))
        PacketBytes.put32(bytes, UsbIfWire.responseActualLengthOffset, UInt32(bitPattern: actualLength))
        PacketBytes.put32(bytes, UsbIfWire.responseErrorCountOffset, UInt32(bitPattern: errorCount))
    }
}

/// One `struct usbif_conn_response`: a device on `port` appeared at `speed`,
/// or left (`.none`), answering the frontend's conn-ring request `id`.
public struct UsbConnEvent: Equatable, Sendable {
    public var id: UInt16
    public var port: UInt8
    /// Raw `speed` octet (`UsbSpeed` values).
    public var speed: UInt8

    public init(id: UInt16, port: UInt8, speed: UInt8) {
        self.id = id
        self.port = port
        self.speed = speed
    }

    public init(decoding bytes: UnsafeRawBufferPointer) {
        id = PacketBytes.u16(bytes, UsbIfWire.connIDOffset)
        port = bytes[UsbIfWire.connPortOffset]
        speed = bytes[UsbIfWire.connSpeedOffset]
    }

    public func encode(into bytes: UnsafeMutableRawBufferPointer) {
        PacketBytes.put16(bytes, UsbIfWire.connIDOffset, id)
        bytes[UsbIfWire.connPortOffset] = port
        bytes[UsbIfWire.connSpeedOffset] = speed
    }
}
