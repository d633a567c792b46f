// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// libFuzzer target for the sndif backend: request decoding and the stream
// state machine, over the simulated Xen. Each input is a series of 66-byte
// records: a selector (which stream; request, or the device moving on), one
// spare byte, then 64 bytes put on that stream's ring as a request (an OPEN
// whose directory is 0 gets the stream's real page directory, so the fuzzer
// reaches the open states). After each input both streams are closed and
// the invariants checked: the card stays connected (no request may close a
// frontend that keeps its ring well-formed) and nothing but the rings is mapped.
import SndIf
import SndIfSimulation
import XenCore
import XenSimulator

final class Harness {
    let scenario: SndScenario
    var frontend: SimulatedSndFrontend
    var buffers: [SimulatedSndBuffer] = []
    let domain = DomainID(2)
    var answers: [SndResponse] = []
    var positions: [UInt64] = []
    let baseline: Int

    init() throws(XenError) {
        scenario = SndScenario()
        try scenario.start()
        frontend = try scenario.addFrontend(domain: domain, card: ["buffer-size": "65536"],
                                            pcms: [[SndStreamSpec(.playback, uniqueID: "pb"), SndStreamSpec(.capture, uniqueID: "cap")]])
        try scenario.run()
        try frontend.connect(pcms: [[0, 1]])
        try scenario.run()
        buffers = frontend.streams.map { $0.allocateBuffer(byteCount: 65536) }
        baseline = scenario.simulator.liveMappingCount
    }

    /// Closes the card as a frontend does and connects it again (a stream
    /// left waiting for its device cannot take CLOSE).
    func reconnect() throws(XenError) {
        try frontend.bus.setState(.closed)
        try scenario.run()
        precondition(scenario.simulator.liveMappingCount == 0, "a closed card kept guest memory mapped")
        frontend.release()
        try frontend.bus.setState(.initialising)
        try scenario.run()
        try frontend.connect(pcms: [[0, 1]])
        try scenario.run()
        buffers = frontend.streams.map { $0.allocateBuffer(byteCount: 65536) }
        precondition(scenario.backendState(frontend: domain) == .connected, "the card did not connect again")
    }

    func run(_ data: UnsafeRawBufferPointer) throws(XenError) {
        var offset = 0
        while offset + 66 <= data.count {
            let selector = data[offset]
            let index = Int(selector & 1)
            let stream = frontend.streams[index]
            if selector & 0x80 != 0 {
                let frames = Int(data[offset + 2]) | Int(data[offset + 3]) << 8
                for name in ["pb", "cap"] { scenario.provider.devices[name]?.advance(frames: frames) }
            } else {
                if stream.ring.freeRequests == 0 {
                    try scenario.run()
                    answers.removeAll(keepingCapacity: true)
                    try stream.responses(into: &answers)
                    if stream.ring.freeRequests == 0 {  // requests wait behind a READ/WRITE the device never takes
                        try reconnect()
                        offset += 66
                        continue
                    }
                }
                let directory = buffers[index].directory.rawValue
                try stream.sendRaw { packet in
                    for byte in 0..<64 { packet[byte] = data[offset + 2 + byte] }
                    if packet[SndIfWire.operationOffset] == SndIfWire.opOpen,
                       PacketBytes.u32(UnsafeRawBufferPointer(packet), SndIfWire.openDirectoryOffset) == 0 {
                        PacketBytes.put32(packet, SndIfWire.openDirectoryOffset, directory)
                    }
                }
            }
            if selector & 0x40 != 0 { try scenario.run() }
            offset += 66
        }
        try scenario.run()
        var closeIDs: [Int: UInt16] = [:]
        for (index, stream) in frontend.streams.enumerated() {
            answers.removeAll(keepingCapacity: true)
            try stream.responses(into: &answers)
            positions.removeAll(keepingCapacity: true)
            stream.positionEvents(into: &positions)
            if stream.ring.freeRequests == 0 { continue }
            closeIDs[index] = try stream.send(SndRequest(id: 0, operation: SndIfWire.opClose, body: .close))
        }
        try scenario.run()
        var closed = closeIDs.count == frontend.streams.count
        for (index, stream) in frontend.streams.enumerated() {
            answers.removeAll(keepingCapacity: true)
            try stream.responses(into: &answers)
            let answer = answers.last
            if closeIDs[index] == nil || answer?.id != closeIDs[index] || answer?.operation != SndIfWire.opClose
                || answer?.status != 0 {
                closed = false
            }
            stream.positionEvents(into: &positions)
        }
        precondition(scenario.backendState(frontend: domain) == .connected, "a well-formed ring closed the card")
        if closed {
            precondition(scenario.simulator.liveMappingCount == baseline, "a closed stream kept guest memory mapped")
        } else {
            try reconnect()
        }
    }
}

nonisolated(unsafe) var harness: Harness?
nonisolated(unsafe) var inputsServed = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A fresh scenario every 2,000 inputs: the recording PCM provider keeps every
    // device it made (each holds a pipe), so one scenario for a whole campaign ran
    // out of file descriptors after ~75,000 inputs ("pipe failed"), a limit of the
    // test double, not of the backend.
    inputsServed += 1
    if inputsServed % 2000 == 0 { harness = nil }
    if harness == nil {
        do { harness = try Harness() } catch { fatalError("the sndif harness did not connect") }
    }
    do { try harness!.run(UnsafeRawBufferPointer(start: data, count: size)) } catch {
        fatalError("sndif: \(error.description)")
    }
    return 0
}
