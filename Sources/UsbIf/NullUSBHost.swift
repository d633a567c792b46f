// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A USB host with no devices: every port stays empty.
public final class NullUSBHost: USBHost {
    public init() {}
    public func find(vendor: UInt16, product: UInt16) -> UsbBusID? { nil }
    public func open(_ busID: UsbBusID) throws(UsbIfError) -> USBOpenedDevice {
        throw .openFailed(busID: busID.description, code: -4)  // LIBUSB_ERROR_NO_DEVICE
    }
    public func close(_ device: USBDeviceHandle) {}
    public func submit(_ transfer: USBTransfer) throws(UsbIfError) {
        throw .submitFailed(device: "null", code: -4)
    }
    public func cancel(_ token: USBTransferToken) {}
    public func appendPollDescriptors(to descriptors: inout [Int32]) {}
    public func handleReady(_ fd: Int32) -> Bool { false }
    public func nextCompletion() -> USBCompletion? { nil }
    public func nextEvent() -> USBHostEvent? { nil }
}
