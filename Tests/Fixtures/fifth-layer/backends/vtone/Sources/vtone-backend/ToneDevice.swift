// SPDX-License-Identifier: MIT
import XenCore

/// The vtone protocol (this fixture's own; no header outside this file).
///
/// Backend nodes, written before InitWait: `sample-rate` (48000), `frequency`
/// (Hz), `fade-in` (0 or 1), `max-samples` (per response), and `card`/`pcms`
/// when the layer bound a sound device. Frontend nodes: `ring-ref` (one page)
/// and `event-channel`. On the ring, a request asks for a stretch of the tone:
///
///     request  (16 bytes): id u32, first u32 (sample index), count u32, reserved u32
///     response (48 bytes): id u32, status s32 (0 or -EINVAL), count u32, reserved u32,
///                          16 samples s16 (the first `count` are the tone, the rest 0)
///
/// A count of 0 or above `maxSamples` is answered -EINVAL with no samples.
enum ToneWire {
    static let deviceType = "vtone"
    static let requestSize = 16
    static let responseSize = 48
    static let maxSamples: UInt32 = 16
    static let statusInvalid: UInt32 = UInt32(bitPattern: -22)

    /// Answers `request` into the zeroed `response`.
    static func answer(_ request: UnsafeRawBufferPointer, _ response: UnsafeMutableRawBufferPointer,
                       signal: ToneSignal) {
        let id = PacketBytes.u32(request, 0)
        let first = PacketBytes.u32(request, 4)
        let count = PacketBytes.u32(request, 8)
        PacketBytes.put32(response, 0, id)
        guard count >= 1, count <= maxSamples else {
            PacketBytes.put32(response, 4, statusInvalid)
            return
        }
        PacketBytes.put32(response, 8, count)
        for offset in 0..<count {
            let sample = signal.sample(first &+ offset)   // the index wraps at 2^32, as the wire's u32 does
            PacketBytes.put16(response, 16 + 2 * Int(offset), UInt16(bitPattern: sample))
        }
    }
}

/// One vtone frontend: its ring, served a budget's worth per notification.
final class ToneDevice<Platform: XenPlatform>: XenDevice {
    let configuration: ToneCommandLine
    private var channel: RequestChannel?

    init(configuration: ToneCommandLine) { self.configuration = configuration }

    func publish(_ link: XenbusLink<Platform>) throws(XenError) {
        try link.writeBackend("sample-rate", String(ToneSignal.sampleRate))
        try link.writeBackend("frequency", String(configuration.hertz))
        try link.writeBackend("fade-in", configuration.fadeIn ? "1" : "0")
        try link.writeBackend("max-samples", String(ToneWire.maxSamples))
        if !configuration.card.isEmpty { try link.writeBackend("card", configuration.card) }
        if !configuration.pcms.isEmpty {
            var pcms = ""
            for pcm in configuration.pcms { pcms += (pcms.isEmpty ? "" : " ") + pcm }
            try link.writeBackend("pcms", pcms)
        }
    }

    func connect(_ link: XenbusLink<Platform>) throws(XenError) {
        channel = try RequestChannel.open(link: link, ringRef: try link.requireFrontendUInt32("ring-ref"),
                                          remotePort: try link.requireFrontendUInt32("event-channel"),
                                          requestSize: ToneWire.requestSize, responseSize: ToneWire.responseSize)
        link.log.write("vtone-backend: " + link.backendPath + " connected: " + String(configuration.hertz) + " Hz")
    }

    func handleEvent(_ link: XenbusLink<Platform>, port: Port) throws(XenError) -> Bool {
        guard let channel, channel.port == port else { return false }
        let signal = ToneSignal(hertz: configuration.hertz, fadeIn: configuration.fadeIn)
        return try channel.serve { request, response in
            ToneWire.answer(request, response, signal: signal)
            return .respond
        }
    }

    func disconnect(_ link: XenbusLink<Platform>) { channel = nil }
}

/// Makes a `ToneDevice` for every frontend under `backend/vtone`.
final class ToneDeviceFactory<Platform: XenPlatform>: XenDeviceFactory {
    let configuration: ToneCommandLine
    var deviceType: String { ToneWire.deviceType }

    init(configuration: ToneCommandLine) { self.configuration = configuration }

    func makeDevice(_ link: XenbusLink<Platform>) -> ToneDevice<Platform> { ToneDevice(configuration: configuration) }
}

/// The backend process's one poll source: every vtone frontend of this domain.
final class ToneBackend<Platform: XenPlatform>: ServedBackend {
    let backend: XenBackend<ToneDeviceFactory<Platform>>

    init(platform: Platform, configuration: ToneCommandLine) {
        backend = XenBackend(platform: platform, factory: ToneDeviceFactory(configuration: configuration),
                             log: .standardOutput)
    }

    func start() throws(XenError) { try backend.start() }
    func shutdown() { backend.shutdown() }
    func appendPollDescriptors(to descriptors: inout [Int32]) { backend.appendPollDescriptors(to: &descriptors) }
    func handleReady(_ fd: Int32) { backend.handleReady(fd) }
    var hasDeferredWork: Bool { backend.hasDeferredWork }
    func runDeferredWork() { backend.runDeferredWork() }
}
