// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf
import XenCore
import XenSimulator

/// A vkbd frontend in a simulated guest, doing what xen/io/kbdif.h asks of a
/// frontend (and what Linux's xen-kbdfront does): on backend InitWait it
/// requests features the backend offers, shares one zeroed page and an
/// unbound port (`page-gref`, `event-channel`) and goes Initialised; on
/// Connected it goes Connected; on each notification it consumes the in-ring
/// (copying events out, then `in_cons = in_prod`) and notifies back; when the
/// backend closes it releases everything and goes Closed.
package final class SimulatedKbdFrontend: PollSource {
    /// What the frontend asks for.
    package struct Requests: Equatable, Sendable {
        package var absolute: Bool
        package var raw: Bool
        package var multiTouch: Bool
        package init(absolute: Bool = false, raw: Bool = false, multiTouch: Bool = false) {
            self.absolute = absolute
            self.raw = raw
            self.multiTouch = multiTouch
        }
    }

    package let bus: SimulatedFrontendBus
    package let requests: Requests
    /// Events received, in order.
    package private(set) var received: [KbdEvent] = []
    /// While true, events stay in the ring (a slow guest).
    package var paused = false
    package private(set) var state: XenbusState = .initialising
    package private(set) var page: UnsafeMutableRawPointer?
    package private(set) var port: Port?
    /// Backend parameters read at connect time.
    package private(set) var backendNodes: [String: String] = [:]

    package init(simulator: XenSimulator, domain: DomainID, frontendPath: String, requests: Requests) throws(XenError) {
        self.bus = try SimulatedFrontendBus(simulator: simulator, domain: domain, frontendPath: frontendPath)
        self.requests = requests
    }

    /// Starts following the backend (as xenbus_probe does when the device appears).
    package func start() throws(XenError) { try bus.watchBackend() }

    package func appendPollDescriptors(to descriptors: inout [Int32]) { bus.appendPollDescriptors(to: &descriptors) }

    package func handleReady(_ fd: Int32) {
        if bus.takeWatchEvents() { backendChanged() }
        if !bus.takePendingPorts().isEmpty { consume() }
    }

    private func setState(_ newState: XenbusState) {
        state = newState
        try? bus.setState(newState)
    }

    private func backendChanged() {
        switch bus.backendState() {
        case .initWait?:
            if state == .initialising { connect() }
        case .connected?:
            if state == .initialised { setState(.connected); consume() }
        case .closing?, .closed?:
            if state != .closed && state != .initialising {
                bus.release()
                page = nil
                port = nil
                setState(.closed)
            }
        default:
            break
        }
    }

    private func connect() {
        for key in [KbdIfWire.featureAbsPointer, KbdIfWire.featureRawPointer, KbdIfWire.featureMultiTouch,
                    KbdIfWire.featureDisableKeyboard, KbdIfWire.featureDisablePointer, KbdIfWire.width,
                    KbdIfWire.height, KbdIfWire.multiTouchContacts, KbdIfWire.multiTouchWidth, KbdIfWire.multiTouchHeight] {
            backendNodes[key] = bus.readBackend(key)
        }
        let (page, ref) = bus.allocateGrantedPage()
        guard let port = try? bus.allocatePort() else { return }
        self.page = page
        self.port = port
        let offered = { (key: String) -> Bool in self.backendNodes[key] == "1" }
        do {
            let committed = try bus.platform.store.inTransaction { (t: XenTransaction) throws(XenError) in
                let store = bus.platform.store
                if requests.absolute && offered(KbdIfWire.featureAbsPointer) {
                    try store.write(XenPath.join(bus.frontendPath, KbdIfWire.requestAbsPointer), "1", transaction: t)
                }
                if requests.raw && offered(KbdIfWire.featureRawPointer) {
                    try store.write(XenPath.join(bus.frontendPath, KbdIfWire.requestRawPointer), "1", transaction: t)
                }
                if requests.multiTouch && offered(KbdIfWire.featureMultiTouch) {
                    try store.write(XenPath.join(bus.frontendPath, KbdIfWire.requestMultiTouch), "1", transaction: t)
                }
                try store.write(XenPath.join(bus.frontendPath, KbdIfWire.pageGref), ref.description, transaction: t)
                try store.write(XenPath.join(bus.frontendPath, KbdIfWire.eventChannel), port.description, transaction: t)
            }
            if committed { setState(.initialised) }
        } catch {
            return
        }
    }

    /// Consumes the in-ring unless paused.
    package func consume() {
        guard !paused, let page, let port else { return }
        let producer = SharedMemory.load32(page + KbdIfWire.inProdOffset)
        var consumer = SharedMemory.load32(page + KbdIfWire.inConsOffset)
        guard producer &- consumer <= KbdIfWire.inRingLength else { return }
        SharedMemory.readBarrier()
        var slot = [UInt8](repeating: 0, count: KbdIfWire.eventSize)
        while consumer != producer {
            let source = page + KbdIfWire.inRingOffset + Int(consumer % KbdIfWire.inRingLength) * KbdIfWire.eventSize
            slot.withUnsafeMutableBytes { SharedMemory.copy(to: $0.baseAddress!, from: source, count: KbdIfWire.eventSize) }
            if let event = slot.withUnsafeBytes({ KbdEvent.decode($0.baseAddress!) }) { received.append(event) }
            consumer &+= 1
        }
        SharedMemory.fullBarrier()
        SharedMemory.store32(page + KbdIfWire.inConsOffset, consumer)
        try? bus.notify(port)
    }

    /// Frontend-initiated close (guest unloads the driver): Closing, then Closed
    /// once the backend closed.
    package func close() { setState(.closing) }

    /// Starts over after Closed (driver reloaded): Initialising again.
    package func reconnect() {
        bus.release()
        page = nil
        port = nil
        setState(.initialising)
        backendChanged()
    }

    /// Forgets received events.
    package func clearReceived() { received.removeAll() }
}
