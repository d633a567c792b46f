// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CUSB
import UsbIf

/// Replays URBs on real USB devices with libusb-1.0, asynchronously: each
/// transfer is submitted at once and its completion collected when the
/// backend's poll loop finds the host's epoll fd (which mirrors libusb's
/// pollfds) readable, by `libusb_handle_events_timeout_completed` with a zero
/// timeout. Control requests that change the device's state on the host side
/// (SET_CONFIGURATION, SET_INTERFACE, CLEAR_FEATURE(ENDPOINT_HALT)) go through
/// the matching libusb calls, so libusb and the kernel stay in step.
public final class LibUSBHost: USBHost {
    final class OpenDevice {
        let handle: OpaquePointer
        let busID: UsbBusID
        var interfaces: Int32 = 0
        var closing = false
        init(handle: OpaquePointer, busID: UsbBusID) {
            self.handle = handle
            self.busID = busID
        }
    }

    struct Submitted {
        let transfer: UnsafeMutablePointer<libusb_transfer>
        let request: USBTransfer
    }

    let hostPointer: UnsafeMutablePointer<cusb_host>
    public let detachKernelDriver: Bool
    private var devices: [UInt32: OpenDevice] = [:]
    private var nextHandle: UInt32 = 1
    var submitted: [UInt64: Submitted] = [:]
    /// Completions made without libusb's event loop (intercepted control requests).
    var immediate: [USBCompletion] = []
    private var completions: [USBCompletion] = []
    private var events: [USBHostEvent] = []
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var woken = false

    /// Opens a libusb context; with `hotplug`, arrivals and departures are
    /// reported when libusb supports them on this system.
    public init(detachKernelDriver: Bool, hotplug: Bool) throws(UsbIfError) {
        var error: Int32 = 0
        guard let created = cusb_host_create(&error) else { throw .openFailed(busID: "libusb", code: error) }
        hostPointer = created
        self.detachKernelDriver = detachKernelDriver
        var fds: [Int32] = [-1, -1]
        _ = fds.withUnsafeMutableBufferPointer { clinux_pipe_nonblocking($0.baseAddress) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        if hotplug { hotplugEnabled = cusb_host_enable_hotplug(hostPointer) == 0 }
    }

    /// True if libusb reports hot-plug events here.
    public private(set) var hotplugEnabled = false

    deinit {
        for token in submitted.keys { _ = libusb_cancel_transfer(submitted[token]!.transfer) }
        for device in devices.values { cusb_close(hostPointer, device.handle) }
        cusb_host_destroy(hostPointer)
        CLinux.close(wakeRead)
        CLinux.close(wakeWrite)
    }

    public func find(vendor: UInt16, product: UInt16) -> UsbBusID? {
        var bus: UInt8 = 0
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = ports.withUnsafeMutableBufferPointer {
            cusb_find_by_ids(hostPointer, vendor, product, &bus, $0.baseAddress, Int32($0.count))
        }
        guard depth > 0, depth <= 7 else { return nil }
        return UsbBusID(bus: bus, ports: Array(ports[0..<Int(depth)]))
    }

    public func open(_ busID: UsbBusID) throws(UsbIfError) -> USBOpenedDevice {
        if devices.values.contains(where: { $0.busID == busID }) {  // one guest port per device
            throw .openFailed(busID: busID.description, code: Int32(LIBUSB_ERROR_BUSY.rawValue))
        }
        var error: Int32 = 0
        let opened = busID.ports.withUnsafeBufferPointer {
            cusb_open_by_path(hostPointer, busID.bus, $0.baseAddress, Int32($0.count), &error)
        }
        guard let handle = opened else { throw .openFailed(busID: busID.description, code: error) }
        let device = OpenDevice(handle: handle, busID: busID)
        if detachKernelDriver { _ = libusb_set_auto_detach_kernel_driver(handle, 1) }
        claimInterfaces(device)
        let id = nextHandle
        nextHandle &+= 1
        devices[id] = device
        return USBOpenedDevice(handle: USBDeviceHandle(rawValue: id), speed: Self.speed(cusb_device_speed(handle)))
    }

    /// libusb's speed as usbif offers it: xen-hcd is a USB 2.0 controller, so
    /// a super-speed device is offered at high speed (its USB 2 protocol).
    public static func speed(_ value: Int32) -> UsbSpeed {
        switch value {
        case Int32(LIBUSB_SPEED_LOW.rawValue): return .low
        case Int32(LIBUSB_SPEED_FULL.rawValue): return .full
        case Int32(LIBUSB_SPEED_HIGH.rawValue), Int32(LIBUSB_SPEED_SUPER.rawValue), Int32(LIBUSB_SPEED_SUPER_PLUS.rawValue):
            return .high
        default: return .none
        }
    }

    /// Claims every interface of the active configuration (detaching DomD's
    /// drivers first if asked); failures leave that interface to its driver.
    func claimInterfaces(_ device: OpenDevice) {
        device.interfaces = cusb_interface_count(device.handle)
        var index: Int32 = 0
        while index < device.interfaces {
            _ = libusb_claim_interface(device.handle, index)
            index += 1
        }
    }

    func releaseInterfaces(_ device: OpenDevice) {
        var index: Int32 = 0
        while index < device.interfaces {
            _ = libusb_release_interface(device.handle, index)
            index += 1
        }
        device.interfaces = 0
    }

    public func close(_ handle: USBDeviceHandle) {
        guard let device = devices[handle.rawValue] else { return }
        device.closing = true
        for entry in submitted.values where entry.request.device == handle { _ = libusb_cancel_transfer(entry.transfer) }
        finishClosing()
    }

    /// Closes devices being closed once libusb has returned all their transfers.
    private func finishClosing() {
        for (id, device) in devices where device.closing {
            guard !submitted.values.contains(where: { $0.request.device.rawValue == id }) else { continue }
            releaseInterfaces(device)  // re-attaches DomD's drivers when auto-detach was on
            cusb_close(hostPointer, device.handle)
            devices[id] = nil
        }
    }

    func device(_ handle: USBDeviceHandle) -> OpenDevice? {
        guard let device = devices[handle.rawValue], !device.closing else { return nil }
        return device
    }

    public func cancel(_ token: USBTransferToken) {
        guard let entry = submitted[token.rawValue] else { return }
        _ = libusb_cancel_transfer(entry.transfer)
    }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        descriptors.append(hostPointer.pointee.epoll_fd)
        descriptors.append(wakeRead)
    }

    public func handleReady(_ fd: Int32) -> Bool {
        guard fd == hostPointer.pointee.epoll_fd || fd == wakeRead else { return false }
        if fd == wakeRead { setWoken(false) }
        _ = cusb_host_handle_events(hostPointer)
        completions += immediate
        immediate.removeAll()
        while let node = cusb_host_next_done(hostPointer) {
            let token = node.pointee.token
            free(node)
            guard let entry = submitted.removeValue(forKey: token) else { continue }
            completions.append(Self.completion(entry))
            cusb_transfer_free(entry.transfer)
        }
        while let node = cusb_host_next_plug(hostPointer) {
            var ports: [UInt8] = []
            withUnsafeBytes(of: node.pointee.ports) { raw in
                for index in 0..<Int(min(node.pointee.depth, 8)) { ports.append(raw[index]) }
            }
            let busID = UsbBusID(bus: node.pointee.bus, ports: ports)
            if !ports.isEmpty { events.append(node.pointee.arrived != 0 ? .arrived(busID) : .left(busID)) }
            free(node)
        }
        finishClosing()
        return true
    }

    public func nextCompletion() -> USBCompletion? { completions.isEmpty ? nil : completions.removeFirst() }
    public func nextEvent() -> USBHostEvent? { events.isEmpty ? nil : events.removeFirst() }

    /// Makes the wake pipe readable so an immediate completion is collected.
    func wake() { setWoken(true) }

    private func setWoken(_ value: Bool) {
        guard value != woken else { return }
        woken = value
        var byte: UInt8 = 1
        if value { _ = write(wakeWrite, &byte, 1) } else { _ = read(wakeRead, &byte, 1) }
    }
}
