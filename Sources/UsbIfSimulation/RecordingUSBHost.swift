// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import UsbIf

/// A USB host for tests: devices are plugged and unplugged by the test,
/// every transfer is recorded, and transfers complete when the test says so
/// (`complete`) or at once through `responder`. Its fd is a pipe that is
/// readable while completions or events are queued, so the poll loop runs
/// the backend exactly when a real host would.
package final class RecordingUSBHost: USBHost {
    /// Devices on the bus and their speeds.
    package private(set) var plugged: [UsbBusID: UsbSpeed] = [:]
    /// Vendor and product ids of plugged devices that have them.
    package private(set) var ids: [UsbBusID: UInt32] = [:]
    /// Open devices by handle.
    package private(set) var opened: [USBDeviceHandle: UsbBusID] = [:]
    /// Every transfer submitted, in order.
    package private(set) var submitted: [USBTransfer] = []
    /// Transfers submitted and not yet completed.
    package private(set) var inFlight: [USBTransfer] = []
    /// Calls of `open`, successful or not.
    package private(set) var openAttempts = 0
    /// Every token cancelled.
    package private(set) var cancelledTokens: [USBTransferToken] = []
    /// Answers each transfer at once if it returns a completion.
    package var responder: ((USBTransfer) -> USBCompletion?)?
    /// Next `submit` calls fail with these library codes.
    package var submitFailures: [Int32] = []
    private var completions: [USBCompletion] = []
    private var events: [USBHostEvent] = []
    private var nextHandle: UInt32 = 1
    private let readFD: Int32
    private let writeFD: Int32
    private var ready = false

    package init() {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { clinux_pipe_nonblocking($0.baseAddress) }
        precondition(result == 0, "pipe failed")
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        CLinux.close(readFD)
        CLinux.close(writeFD)
    }

    /// Plugs a device in (queues `.arrived`).
    package func plug(_ busID: UsbBusID, speed: UsbSpeed = .high, vendor: UInt16 = 0, product: UInt16 = 0) {
        plugged[busID] = speed
        ids[busID] = UInt32(vendor) << 16 | UInt32(product)
        events.append(.arrived(busID))
        signal()
    }

    /// Pulls a device out (queues `.left`; its open transfers fail with NODEV).
    package func unplug(_ busID: UsbBusID) {
        plugged[busID] = nil
        ids[busID] = nil
        for transfer in inFlight where opened[transfer.device] == busID {
            complete(transfer.token, status: .noDevice)
        }
        events.append(.left(busID))
        signal()
    }

    /// Completes an in-flight transfer (`data` for IN transfers).
    package func complete(_ token: USBTransferToken, status: UsbStatus, data: [UInt8] = [], actualLength: Int? = nil,
                         isoPackets: [USBIsoPacketResult] = []) {
        guard let index = inFlight.firstIndex(where: { $0.token == token }) else { return }
        let transfer = inFlight.remove(at: index)
        let length = actualLength ?? (transfer.isIn ? data.count : transfer.length)
        completions.append(USBCompletion(token: token, status: status, actualLength: length, data: data, isoPackets: isoPackets))
        signal()
    }

    package func find(vendor: UInt16, product: UInt16) -> UsbBusID? {
        let wanted = UInt32(vendor) << 16 | UInt32(product)
        return ids.filter { $0.value == wanted }.keys.min { $0.bus != $1.bus ? $0.bus < $1.bus : $0.ports.lexicographicallyPrecedes($1.ports) }
    }

    package func open(_ busID: UsbBusID) throws(UsbIfError) -> USBOpenedDevice {
        openAttempts += 1
        guard let speed = plugged[busID] else { throw .openFailed(busID: busID.description, code: -4) }
        guard !opened.values.contains(busID) else { throw .openFailed(busID: busID.description, code: -6) }  // BUSY
        let handle = USBDeviceHandle(rawValue: nextHandle)
        nextHandle += 1
        opened[handle] = busID
        return USBOpenedDevice(handle: handle, speed: speed)
    }

    package func close(_ device: USBDeviceHandle) {
        for transfer in inFlight where transfer.device == device { cancel(transfer.token) }
        opened[device] = nil
    }

    package func submit(_ transfer: USBTransfer) throws(UsbIfError) {
        if !submitFailures.isEmpty { throw .submitFailed(device: "recording", code: submitFailures.removeFirst()) }
        guard opened[transfer.device] != nil else { throw .submitFailed(device: "recording", code: -4) }
        submitted.append(transfer)
        inFlight.append(transfer)
        if let responder, let completion = responder(transfer) {
            inFlight.removeAll { $0.token == transfer.token }
            completions.append(completion)
            signal()
        }
    }

    package func cancel(_ token: USBTransferToken) {
        guard let index = inFlight.firstIndex(where: { $0.token == token }) else { return }
        inFlight.remove(at: index)
        cancelledTokens.append(token)
        completions.append(USBCompletion(token: token, status: .shutdown, cancelled: true))
        signal()
    }

    package func appendPollDescriptors(to descriptors: inout [Int32]) { descriptors.append(readFD) }

    package func handleReady(_ fd: Int32) -> Bool {
        guard fd == readFD else { return false }
        if completions.isEmpty && events.isEmpty { setReady(false) }
        return true
    }

    package func nextCompletion() -> USBCompletion? {
        guard !completions.isEmpty else { return idle(nil) }
        return completions.removeFirst()
    }

    package func nextEvent() -> USBHostEvent? {
        guard !events.isEmpty else { return idle(nil) }
        return events.removeFirst()
    }

    private func idle<T>(_ value: T?) -> T? {
        if completions.isEmpty && events.isEmpty { setReady(false) }
        return value
    }

    private func signal() { setReady(true) }

    private func setReady(_ value: Bool) {
        guard value != ready else { return }
        ready = value
        var byte: UInt8 = 1
        if value { _ = write(writeFD, &byte, 1) } else { _ = read(readFD, &byte, 1) }
    }
}
