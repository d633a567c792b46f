// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The sndif backend for one vsnd frontend (one virtual sound card,
/// xen/io/sndif.h): publishes `versions`, and at connect reads the card's
/// topology (`<fe>/<pcm>/<stream>/type`, `unique-id` and the parameter nodes
/// of each level), maps each stream's request ring (`ring-ref`) and event page
/// (`evt-ring-ref`), binds both event channels, and makes the stream's PCM
/// device through the provider. A stream is served only if the backend's
/// bindings (the image config) bind (guest name, `unique-id`, direction).
public final class SndDevice<Platform: XenPlatform, Provider: PCMDeviceProvider>: XenDevice {
    public typealias Stream = SndStream<Provider.Device>
    public let link: XenbusLink<Platform>
    public let provider: Provider
    public let table: BindingTable
    private let log: XenLog
    /// The connected streams, sorted by PCM and stream index; empty while not connected.
    public private(set) var streams: [Stream] = []
    /// Most streams one card may declare (bounds the work a hostile frontend causes).
    public static var streamLimit: Int { 64 }

    public init(link: XenbusLink<Platform>, provider: Provider, table: BindingTable, log: XenLog) {
        self.link = link
        self.provider = provider
        self.table = table
        self.log = log
    }

    public var isConnected: Bool { !streams.isEmpty }

    public func publish(_ link: XenbusLink<Platform>) throws(XenError) {
        try link.writeBackend(SndIfWire.fieldVersions, SndIfWire.protocolVersion)
    }

    public func connect(_ link: XenbusLink<Platform>) throws(XenError) {
        let store = link.platform.store
        var card = SndStreamConfig(pcmIndex: 0, streamIndex: 0, direction: .playback, uniqueID: "")
        var made: [Stream] = []
        guard let guest = link.frontendDomainName() else {
            throw .frontendProtocolViolation(domain: link.frontendDomain,
                                             reason: "the domain has no readable name, so none of its streams is bound")
        }
        do throws(SndIfError) {
            try card.apply(level: link.frontendPath, store: store)
            for pcmIndex in try xen({ () throws(XenError) in try Self.numericChildren(store, link.frontendPath) }) {
                let pcmPath = XenPath.join(link.frontendPath, String(pcmIndex))
                var device = card
                try device.apply(level: pcmPath, store: store)
                for streamIndex in try xen({ () throws(XenError) in try Self.numericChildren(store, pcmPath) }) {
                    guard made.count < Self.streamLimit else {
                        throw SndIfError.topologyInvalid(path: pcmPath, reason: "more than \(Self.streamLimit) streams")
                    }
                    let path = XenPath.join(pcmPath, String(streamIndex))
                    made.append(try makeStream(path: path, pcmIndex: pcmIndex, streamIndex: streamIndex, inherited: device,
                                               guest: guest))
                }
            }
        } catch {
            for stream in made { stream.disconnect() }
            if case .xenFailed(let cause) = error { throw cause }
            throw .frontendProtocolViolation(domain: link.frontendDomain, reason: error.description)
        }
        guard !made.isEmpty else {
            throw .frontendProtocolViolation(domain: link.frontendDomain, reason: "the card declares no streams")
        }
        streams = made
        log.write("sndif: \(link.backendPath): connected \(made.count) stream(s)")
    }

    private func makeStream(path: String, pcmIndex: UInt32, streamIndex: UInt32,
                            inherited: SndStreamConfig, guest: String) throws(SndIfError) -> Stream {
        let store = link.platform.store
        func required(_ key: String) throws(XenError) -> String {
            let nodePath = XenPath.join(path, key)
            guard let text = try store.read(nodePath) else { throw .frontendNodeMissing(path: nodePath) }
            return text
        }
        func number(_ key: String) throws(XenError) -> UInt32 {
            let text = try required(key)
            guard let value = XenPath.parseUInt32(text) else { throw .frontendNodeInvalid(path: XenPath.join(path, key), value: text) }
            return value
        }
        var config = inherited
        config.pcmIndex = pcmIndex
        config.streamIndex = streamIndex
        let type = try xen { () throws(XenError) in try required(SndIfWire.fieldType) }
        if type.bytesEqual(SndIfWire.streamTypePlayback) {
            config.direction = .playback
        } else if type.bytesEqual(SndIfWire.streamTypeCapture) {
            config.direction = .capture
        } else {
            throw SndIfError.topologyInvalid(path: XenPath.join(path, SndIfWire.fieldType),
                                             reason: "type '\(XenLog.escaped(type))' is neither p nor c")
        }
        config.uniqueID = try xen { () throws(XenError) in try required(SndIfWire.fieldUniqueID) }
        try config.apply(level: path, store: store)
        let kind = config.direction == .playback ? SndIfWire.streamTypePlayback : SndIfWire.streamTypeCapture
        guard let pcmName = table.bindings.target(guest: guest, id: config.uniqueID, direction: kind) else {
            throw .streamUnbound(guest: guest, uniqueID: config.uniqueID, direction: config.direction)
        }
        let pcm = try provider.makeDevice(name: pcmName, direction: config.direction)
        let link = self.link
        return try xen { () throws(XenError) -> Stream in
            let channel = try RequestChannel.open(link: link, ringRef: try number(SndIfWire.fieldRingRef),
                                             remotePort: try number(SndIfWire.fieldEventChannel),
                                             requestSize: SndIfWire.packetSize, responseSize: SndIfWire.packetSize)
            let eventMapping = try link.map(refs: [GrantRef(try number(SndIfWire.fieldEventRingRef))], writable: true)
            let eventPort = try link.bind(remotePort: Port(try number(SndIfWire.fieldEventEventChannel)))
            return Stream(config: config, pcm: pcm, channel: channel, events: SndEventRing(page: eventMapping.address),
                          eventPort: eventPort)
        }
    }

    /// Runs a Xen call inside a sndif operation.
    private func xen<T>(_ body: () throws(XenError) -> T) throws(SndIfError) -> T {
        do { return try body() } catch { throw .xenFailed(error) }
    }

    /// Children of `path` whose names are decimal indices, in numeric order.
    static func numericChildren<Store: XenStore>(_ store: Store, _ path: String) throws(XenError) -> [UInt32] {
        var indices: [UInt32] = []
        for name in try store.directory(path) {
            if let index = XenPath.parseUInt32(name) { indices.append(index) }
        }
        return indices.sorted()
    }

    // The per-round-trip loops below index `streams` instead of iterating it:
    // in a host build that does not specialise across modules, an iterator over
    // an array of a generic class costs a metadata lookup per loop.

    public func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool {
        var more = false
        var index = 0
        while index < streams.count {
            let stream = streams[index]
            if stream.requestPort == port, try stream.processRequests(link) { more = true }
            index += 1
        }
        return more
    }

    public func disconnect(_ link: XenbusLink<Platform>) {
        for stream in streams { stream.disconnect() }
        streams.removeAll()
    }

    /// Appends the fds of the streams' PCM devices.
    public func appendPollDescriptors(to descriptors: inout [Int32]) {
        var index = 0
        while index < streams.count {
            let fd = streams[index].pcm.fd
            if fd >= 0 { descriptors.append(fd) }
            index += 1
        }
    }

    /// Serves the streams whose device fd is `fd`; true if one owned it.
    /// A stream with requests left gets another turn through `requeue`.
    public func handleDeviceReady(_ fd: Int32, requeue: (Port) -> Void) throws(XenError) -> Bool {
        var owned = false
        var index = 0
        while index < streams.count {
            let stream = streams[index]
            if stream.pcm.fd == fd {
                owned = true
                if try stream.service(link) { requeue(stream.requestPort) }
            }
            index += 1
        }
        return owned
    }
}
