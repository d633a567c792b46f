// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The kbdif backend for one vkbd frontend (xen/io/kbdif.h): publishes the
/// backend's features and parameters, maps the frontend's shared page
/// (`page-gref`), binds `event-channel`, and writes translated input events
/// into the page's in-ring. While the ring is full events wait in a bounded
/// backlog; beyond it they are counted and logged.
public final class KbdDevice<Platform: XenPlatform>: XenDevice {
    public let link: XenbusLink<Platform>
    public let options: KbdIfOptions
    public let capabilities: InputCapabilities
    private let log: XenLog
    /// What the connected frontend negotiated; nil while not connected.
    public private(set) var negotiation: KbdNegotiation?
    private var ring: KbdEventRing?
    private var port: Port?
    private var translator: EvdevTranslator?
    public private(set) var backlog: KbdBacklog
    private var overflowing = false
    private var overflowAtStart = 0
    private var scratch: [KbdEvent] = []
    /// Events written into the ring since creation.
    public private(set) var eventsDelivered = 0
    /// Frontend-to-backend events skipped (none are defined by kbdif.h).
    public private(set) var outEventsSkipped = 0
    /// Bounds the lines a frontend posting out events on every kick causes.
    private var outEventLog = LogLimiter(limit: 16)
    /// Which of the backend's input sources feeds this frontend (-1: none).
    public var sourceIndex = 0

    public init(link: XenbusLink<Platform>, options: KbdIfOptions, capabilities: InputCapabilities, log: XenLog) {
        self.link = link
        self.options = options
        self.capabilities = capabilities
        self.log = log
        self.backlog = KbdBacklog(capacity: options.backlogCapacity)
    }

    /// True while connected to a frontend.
    public var isConnected: Bool { ring != nil }

    /// Whether multi-touch is offered: enabled and the device has touch slots.
    private var offersMultiTouch: Bool { options.multiTouch && capabilities.touchSlots > 0 }

    public func publish(_ link: XenbusLink<Platform>) throws(XenError) {
        func flag(_ on: Bool) -> String { on ? "1" : "0" }
        try link.writeBackend(KbdIfWire.featureAbsPointer, flag(options.absolutePointer))
        try link.writeBackend(KbdIfWire.featureRawPointer, flag(options.rawPointer))
        try link.writeBackend(KbdIfWire.featureMultiTouch, flag(offersMultiTouch))
        // These overwrite what xl wrote for the vkb: Linux 6.1's xen-kbdfront dereferences its
        // pointer device for every key event (xenkbd_handle_key_event tests info->ptr->keybit),
        // so a guest whose vkb says feature-disable-pointer=1 oopses on its first key (seen with
        // the passed-through power button's vkb, `pointer: none`). The backend's options decide.
        try link.writeBackend(KbdIfWire.featureDisableKeyboard, flag(options.disableKeyboard))
        try link.writeBackend(KbdIfWire.featureDisablePointer, flag(options.disablePointer))
        try link.writeBackend(KbdIfWire.width, String(options.width))
        try link.writeBackend(KbdIfWire.height, String(options.height))
        if offersMultiTouch {
            try link.writeBackend(KbdIfWire.multiTouchContacts, String(min(options.touchContacts, UInt32(capabilities.touchSlots))))
            try link.writeBackend(KbdIfWire.multiTouchWidth, String(options.touchWidth))
            try link.writeBackend(KbdIfWire.multiTouchHeight, String(options.touchHeight))
        }
    }

    public func connect(_ link: XenbusLink<Platform>) throws(XenError) {
        let wanted = KbdNegotiation(
            absolute: options.absolutePointer && link.frontendFlag(KbdIfWire.requestAbsPointer),
            raw: options.rawPointer && link.frontendFlag(KbdIfWire.requestRawPointer),
            multiTouch: offersMultiTouch && link.frontendFlag(KbdIfWire.requestMultiTouch))
        let ref = try link.requireFrontendUInt32(KbdIfWire.pageGref)
        let remotePort = try link.requireFrontendUInt32(KbdIfWire.eventChannel)
        let mapping = try link.map(refs: [GrantRef(ref)], writable: true)
        let local = try link.bind(remotePort: Port(remotePort))
        ring = KbdEventRing(page: mapping.address)
        port = local
        negotiation = wanted
        translator = EvdevTranslator(negotiation: wanted, options: options, capabilities: capabilities)
        outEventLog.reset()
        log.write("kbdif: \(link.backendPath): connected (abs \(wanted.absolute), raw \(wanted.raw), multi-touch \(wanted.multiTouch))")
        try flush()
    }

    public func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool {
        guard let ring else { return false }
        let skipped = try ring.drainOutRing()
        if skipped > 0 {
            outEventsSkipped += Int(skipped)
            outEventLog.write(log, prefix: "kbdif: \(link.backendPath): ") {
                "skipped \(skipped) frontend event(s); kbdif defines none"
            }
        }
        try flush()
        return false
    }

    public func disconnect(_ link: XenbusLink<Platform>) {
        if !backlog.isEmpty { log.write("kbdif: \(link.backendPath): disconnected with \(backlog.count) event(s) undelivered") }
        ring = nil
        port = nil
        translator = nil
        negotiation = nil
        backlog.removeAll()
        overflowing = false
    }

    /// Translates input events for this frontend and writes them to its ring;
    /// what does not fit waits in the backlog. Throws if the frontend's ring
    /// indices are impossible.
    public func deliver(_ input: [InputEvent]) throws(XenError) {
        guard translator != nil, var current = ring, let port else { return }
        scratch.removeAll(keepingCapacity: true)
        for event in input { translator!.translate(event, into: &scratch) }
        try flush()
        current = ring!
        var free = try current.freeSlots()
        for event in scratch {
            if backlog.isEmpty && free > 0 {
                current.put(event)
                free -= 1
                eventsDelivered += 1
            } else if !backlog.append(event), !overflowing {
                overflowing = true
                overflowAtStart = backlog.overflowCount - 1
                log.write("kbdif: \(link.backendPath): frontend not consuming, backlog of \(backlog.capacity) full; dropping events")
            }
        }
        let notify = current.publish()
        ring = current
        if notify { try link.notify(port) }
    }

    /// Moves backlog events into free ring slots and notifies the frontend.
    private func flush() throws(XenError) {
        guard var current = ring, let port else { return }
        var free = try current.freeSlots()
        while free > 0, let event = backlog.first {
            current.put(event)
            backlog.removeFirst()
            free -= 1
            eventsDelivered += 1
        }
        let notify = current.publish()
        ring = current
        if overflowing && backlog.isEmpty {
            overflowing = false
            log.write("kbdif: \(link.backendPath): frontend caught up; \(backlog.overflowCount - overflowAtStart) event(s) were dropped (total \(backlog.overflowCount))")
        }
        if notify { try link.notify(port) }
    }
}
