// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Serves every frontend device of one type: discovers them by watching
/// `/local/domain/<self>/backend/<type>`, owns the device of each (in
/// creation order), runs `BackendStateMachine` for each on its frontend's
/// state changes, and routes event-channel notifications to the device that
/// bound the port. One instance is one `PollSource` of the process's single
/// `PollLoop`.
///
/// Notifications are served fairly (XSA-332): a round takes the ports that
/// fired (each once, at most `portsPerRound`), serves each channel one
/// budget's worth (`RequestChannel`), and unmasks a port only after its work.
/// A channel with work left stays masked and queued behind every other one;
/// its next turn comes after the poll loop has served every other fd (xenstore
/// watches, input devices, PCM timers, flips, USB completions) once more.
public final class XenBackend<Factory: XenDeviceFactory>: PollSource {
    public typealias Platform = Factory.Device.Platform
    public typealias Device = Factory.Device

    final class Entry {
        let link: XenbusLink<Platform>
        let device: Device
        init(link: XenbusLink<Platform>, device: Device) {
            self.link = link
            self.device = device
        }
    }

    public let platform: Platform
    public let factory: Factory
    public let root: String
    private let log: XenLog
    /// The devices by backend path (keyed and ordered by its bytes, see `ByteString`).
    private var entries: [ByteString: Entry] = [:]
    /// The live devices, in creation order.
    public private(set) var devices: [Device] = []
    /// Channels whose turn is due: (backend path, port), oldest first; a port
    /// is here at most once and stays masked while it is.
    private var turns: [(key: String, port: Port)] = []
    /// Most ports taken from the event channel per round.
    public static var portsPerRound: Int { 256 }
    private var stopped = false
    private var rootToken: String { "be:" + root }

    /// What this backend process may keep mapped, in all and per guest.
    public let budget: GrantBudget

    public init(platform: Platform, factory: Factory, log: XenLog, budget: GrantBudget = GrantBudget()) {
        self.budget = budget
        self.platform = platform
        self.factory = factory
        self.log = log
        self.root = XenPath.backendRoot(backend: platform.domain, type: factory.deviceType)
    }

    /// Starts watching for devices (the watch fires once at once).
    public func start() throws(XenError) {
        stopped = false
        try platform.store.watch(root, token: rootToken)
    }

    /// Closes every device (state Closed, mappings released) and stops watching.
    public func shutdown() {
        stopped = true
        for key in entries.keys.sorted() {
            guard let entry = entries[key] else { continue }
            close(entry, to: .closed)
            try? platform.store.unwatch(XenPath.join(entry.link.frontendPath, "state"), token: frontendToken(entry))
            retire(entry.device)
        }
        entries.removeAll()
        turns.removeAll()
        try? platform.store.unwatch(root, token: rootToken)
    }

    /// The links of all current devices, sorted by backend path.
    public var links: [XenbusLink<Platform>] { entries.keys.sorted().compactMap { entries[$0]?.link } }

    /// The device serving `deviceName` of `frontend`, if any.
    public func device(frontend: DomainID, name: String) -> Device? {
        entries[ByteString(XenPath.join(XenPath.join(root, frontend.description), name))]?.device
    }

    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        descriptors.append(platform.store.watchFD)
        descriptors.append(platform.events.fd)
    }

    public func handleReady(_ fd: Int32) {
        if stopped {  // events queued before shutdown must not bring devices back
            while platform.store.nextWatchEvent() != nil {}
            while let port = try? platform.events.pending() { try? platform.events.unmask(port) }
            return
        }
        if fd == platform.store.watchFD { drainWatches() }
        if fd == platform.events.fd { collectEvents() }
    }

    /// True while some channel's turn is due.
    public var hasDeferredWork: Bool { !turns.isEmpty && !stopped }

    /// Gives every due channel one turn (one budget's worth of requests).
    public func runDeferredWork() { serveTurns() }

    /// Queues another turn for `port` of `link`'s device (work left after a
    /// device fd served its requests); the port is unmasked after that turn.
    public func requeue(_ link: XenbusLink<Platform>, port: Port) {
        guard let entry = entries[ByteString(link.backendPath)], entry.link === link, link.ports.contains(port) else { return }
        if !turns.contains(where: { $0.key.bytesEqual(entry.link.backendPath) && $0.port == port }) {
            turns.append((entry.link.backendPath, port))
        }
    }

    /// Closes one frontend after `error` (e.g. its ring overran while the
    /// backend was producing into it); the others are untouched.
    public func closeFrontend(_ link: XenbusLink<Platform>, because error: XenError) {
        guard let entry = entries[ByteString(link.backendPath)], entry.link === link else { return }
        log.write("xen: \(link.backendPath): \(error.description)")
        close(entry, to: .closing)
    }

    private func frontendToken(_ entry: Entry) -> String { "fe:" + entry.link.backendPath }

    private func drainWatches() {
        var rescan = false
        var changed: [ByteString] = []
        while let event = platform.store.nextWatchEvent() {
            let token = ByteString(event.token)
            if token == ByteString(rootToken) {
                rescan = true
            } else if token.hasPrefix("fe:") {
                let key = token.dropFirst(3)
                if !changed.contains(key) { changed.append(key) }
            }
        }
        if rescan { self.rescan() }
        for key in changed { if let entry = entries[key] { evaluate(entry) } }
    }

    /// Takes the ports that fired (each once, at most `portsPerRound`) and
    /// queues their turns; ports no device bound are unmasked at once.
    private func collectEvents() {
        var taken = 0
        while taken < Self.portsPerRound {
            let port: Port?
            do { port = try platform.events.pending() } catch {
                log.write("xen: \(error.description)")
                return
            }
            guard let port else { return }
            taken += 1
            guard let entry = entries.values.first(where: { $0.link.ports.contains(port) }) else {
                unmask(port)
                continue
            }
            if !turns.contains(where: { $0.key.bytesEqual(entry.link.backendPath) && $0.port == port }) {
                turns.append((entry.link.backendPath, port))
            }
        }
    }

    /// One turn for every channel queued before this call, in order; a
    /// channel with work left goes to the back, still masked.
    private func serveTurns() {
        let due = turns
        turns.removeAll(keepingCapacity: true)
        for turn in due {
            guard let entry = entries[ByteString(turn.key)], entry.link.ports.contains(turn.port) else {
                unmask(turn.port)
                continue
            }
            guard entry.link.state == .connected else {
                unmask(turn.port)
                continue
            }
            var more = false
            do {
                more = try entry.device.handleEvent(entry.link, port: turn.port)
            } catch {
                log.write("xen: \(entry.link.backendPath): \(error.description)")
                close(entry, to: .closing)
                continue
            }
            if more {
                turns.append(turn)
            } else {
                unmask(turn.port)
            }
        }
    }

    private func unmask(_ port: Port) {
        do { try platform.events.unmask(port) } catch { log.write("xen: \(error.description)") }
    }

    /// Lists `backend/<type>/<domain>/<devid>` and creates or retires devices.
    private func rescan() {
        var present: [ByteString] = []
        let domains = (try? platform.store.directory(root)) ?? []
        for domainName in domains {
            guard XenPath.parseDomain(domainName) != nil else { continue }
            let domainPath = XenPath.join(root, domainName)
            for name in (try? platform.store.directory(domainPath)) ?? [] {
                present.append(ByteString(XenPath.join(domainPath, name)))
            }
        }
        for key in entries.keys.sorted() where !present.contains(key) {
            guard let entry = entries.removeValue(forKey: key) else { continue }
            log.write("xen: \(key) removed by the toolstack")
            entry.device.disconnect(entry.link)
            entry.link.releaseAll()
            try? platform.store.unwatch(XenPath.join(entry.link.frontendPath, "state"), token: frontendToken(entry))
            retire(entry.device)
        }
        for key in present where entries[key] == nil { create(backendPath: key.string) }
    }

    private func create(backendPath: String) {
        let store = platform.store
        guard let frontendPath = try? store.read(XenPath.join(backendPath, "frontend")),
              let idText = try? store.read(XenPath.join(backendPath, "frontend-id")),
              let frontendDomain = XenPath.parseDomain(idText) else { return }  // toolstack not done yet
        guard XenPath.isWithin(frontendPath, XenPath.domain(frontendDomain)) else {
            log.write("xen: \(backendPath): frontend path \(XenLog.escaped(frontendPath, limit: 160)) is outside domain \(frontendDomain); ignored")
            return
        }
        let link = XenbusLink(platform: platform, frontendDomain: frontendDomain,
                              deviceName: XenPath.lastComponent(backendPath),
                              backendPath: backendPath, frontendPath: frontendPath, log: log, budget: budget)
        let entry = Entry(link: link, device: factory.makeDevice(link))
        entries[ByteString(backendPath)] = entry
        devices.append(entry.device)
        do {
            try entry.device.publish(link)
            try link.setState(.initWait)
            try store.watch(XenPath.join(frontendPath, "state"), token: frontendToken(entry))
        } catch {
            log.write("xen: \(backendPath): \(error.description)")
            close(entry, to: .closing)
        }
    }

    /// Applies the state machine until it settles (at most a few steps).
    private func evaluate(_ entry: Entry) {
        for _ in 0..<4 {
            let action = BackendStateMachine.action(backend: entry.link.state, frontend: observe(entry.link))
            switch action {
            case .none:
                return
            case .reinitialise:
                do {
                    try entry.device.publish(entry.link)
                    try entry.link.setState(.initWait)
                } catch {
                    log.write("xen: \(entry.link.backendPath): \(error.description)")
                    return
                }
            case .connect:
                do {
                    try entry.device.connect(entry.link)
                    try entry.link.setState(.connected)
                } catch {
                    log.write("xen: \(entry.link.backendPath): unable to connect: \(error.description)")
                    close(entry, to: .closing)
                }
            case .disconnect(let state):
                close(entry, to: state)
            case .teardown:
                teardown(entry)
                return
            }
        }
    }

    private func observe(_ link: XenbusLink<Platform>) -> FrontendObservation {
        let text: String?
        do { text = try platform.store.read(XenPath.join(link.frontendPath, "state")) } catch { text = nil }
        guard let text else { return link.frontendSeen ? .gone : .notYet }
        link.frontendSeen = true
        guard let state = XenbusState(node: text) else { return .invalid(text) }
        return .state(state)
    }

    private func close(_ entry: Entry, to state: XenbusState) {
        var index = 0
        while index < turns.count {  // its ports are about to be unbound
            if turns[index].key.bytesEqual(entry.link.backendPath) { turns.remove(at: index) } else { index += 1 }
        }
        entry.device.disconnect(entry.link)
        entry.link.releaseAll()
        do { try entry.link.setState(state) } catch { log.write("xen: \(error.description)") }
    }

    /// The frontend vanished: close, and in a driver domain remove this
    /// backend's own nodes (no dom0 toolstack will); in dom0 wait for it to return.
    private func teardown(_ entry: Entry) {
        close(entry, to: .closed)
        entry.link.frontendSeen = false
        guard platform.domain != .dom0 else { return }
        let key = entry.link.backendPath
        try? platform.store.unwatch(XenPath.join(entry.link.frontendPath, "state"), token: frontendToken(entry))
        entries.removeValue(forKey: ByteString(key))
        do { try platform.store.remove(key) } catch { log.write("xen: \(error.description)") }
        removeIfEmpty(XenPath.parent(key))
        log.write("xen: \(key): frontend gone, backend nodes removed")
        retire(entry.device)
    }

    /// Removes the guest's folder `backend/<type>/<guest>` once its last device
    /// is gone, as libxl's path cleanup does for a driver domain; only where
    /// this domain may (a folder the toolstack owns is left to it), and in a
    /// transaction, so a device written meanwhile keeps its folder.
    private func removeIfEmpty(_ folder: String) {
        _ = try? platform.store.inTransaction { (t: XenTransaction) throws(XenError) in
            guard try platform.store.directory(folder, transaction: t).isEmpty else { return }
            try platform.store.remove(folder, transaction: t)
        }
    }

    private func retire(_ device: Device) {
        devices.removeAll { $0 === device }
        factory.deviceRetired(device)
    }
}
