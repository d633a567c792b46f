// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A host device the backend opened (`USBHost.open`).
public struct USBDeviceHandle: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
}

/// An opened host device and the speed it runs at.
public struct USBOpenedDevice: Equatable, Sendable {
    public var handle: USBDeviceHandle
    public var speed: UsbSpeed
    public init(handle: USBDeviceHandle, speed: UsbSpeed) {
        self.handle = handle
        self.speed = speed
    }
}

/// Names one submitted transfer until its completion.
public struct USBTransferToken: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
}

/// One transfer the backend hands the host: a private copy of the guest's
/// data (OUT) or the number of bytes wanted (IN). The host owns its buffers.
public struct USBTransfer: Equatable, Sendable {
    public var token: USBTransferToken
    public var device: USBDeviceHandle
    public var type: UsbTransferType
    public var endpoint: UInt8
    public var isIn: Bool
    /// The 8-octet setup packet of a control transfer (empty otherwise).
    public var setup: [UInt8]
    /// OUT: the bytes to send. IN: empty.
    public var data: [UInt8]
    /// Bytes to move (OUT: `data.count`; IN: the buffer's size).
    public var length: Int
    /// `USBIF_SHORT_NOT_OK`: a short IN transfer is an error.
    public var shortNotOK: Bool
    /// Isochronous packets' lengths, in order (packets lie back to back in `data`).
    public var isoPacketLengths: [UInt32]

    public init(token: USBTransferToken, device: USBDeviceHandle, type: UsbTransferType, endpoint: UInt8, isIn: Bool,
                setup: [UInt8] = [], data: [UInt8] = [], length: Int, shortNotOK: Bool = false, isoPacketLengths: [UInt32] = []) {
        self.token = token
        self.device = device
        self.type = type
        self.endpoint = endpoint
        self.isIn = isIn
        self.setup = setup
        self.data = data
        self.length = length
        self.shortNotOK = shortNotOK
        self.isoPacketLengths = isoPacketLengths
    }
}

/// The result of one isochronous packet.
public struct USBIsoPacketResult: Equatable, Sendable {
    public var actualLength: UInt32
    public var status: UsbStatus
    public init(actualLength: UInt32, status: UsbStatus) {
        self.actualLength = actualLength
        self.status = status
    }
}

/// A finished (or cancelled) transfer.
public struct USBCompletion: Equatable, Sendable {
    public var token: USBTransferToken
    public var status: UsbStatus
    /// Bytes moved.
    public var actualLength: Int
    /// IN: the bytes received (isochronous: each packet at its place in the
    /// back-to-back layout of the request's packet lengths).
    public var data: [UInt8]
    public var isoPackets: [USBIsoPacketResult]
    public var startFrame: UInt16
    /// True if the host cancelled it (`USBHost.cancel`).
    public var cancelled: Bool

    public init(token: USBTransferToken, status: UsbStatus, actualLength: Int = 0, data: [UInt8] = [],
                isoPackets: [USBIsoPacketResult] = [], startFrame: UInt16 = 0, cancelled: Bool = false) {
        self.token = token
        self.status = status
        self.actualLength = actualLength
        self.data = data
        self.isoPackets = isoPackets
        self.startFrame = startFrame
        self.cancelled = cancelled
    }
}

/// A host device arrived on or left the bus (hot-plug).
public enum USBHostEvent: Equatable, Sendable {
    case arrived(UsbBusID)
    case left(UsbBusID)
}

/// The USB host side of the backend: where URBs go. The real implementation
/// replays them with libusb (`LibUSBHost`); tests use `RecordingUSBHost`
/// (UsbIfSimulation). Everything is asynchronous and driven by
/// the backend's single poll loop: `submit` returns at once, completions and
/// hot-plug events are collected when the host's fds are ready.
public protocol USBHost: AnyObject {
    /// The bus path of the first device with these vendor and product ids, if one is plugged.
    func find(vendor: UInt16, product: UInt16) -> UsbBusID?
    /// Opens the device at `busID` for one guest port (exclusively).
    func open(_ busID: UsbBusID) throws(UsbIfError) -> USBOpenedDevice
    /// Closes a device opened by `open`; its transfers still pending complete as cancelled.
    func close(_ device: USBDeviceHandle)
    /// Starts a transfer; its completion arrives through `nextCompletion`.
    func submit(_ transfer: USBTransfer) throws(UsbIfError)
    /// Asks the host to cancel a transfer; it still completes (cancelled or not).
    func cancel(_ token: USBTransferToken)
    /// The fds the poll loop should wait on for readability.
    func appendPollDescriptors(to descriptors: inout [Int32])
    /// `fd` is ready: collect completions and events; false if the fd is not the host's.
    func handleReady(_ fd: Int32) -> Bool
    /// The next completed transfer, if any.
    func nextCompletion() -> USBCompletion?
    /// The next hot-plug event, if any.
    func nextEvent() -> USBHostEvent?
}
