// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// A display sink for tests: converts every frame to XRGB8888 and records it
/// with the calls made. Flips complete at once, or (`vsync`) when the test calls
/// `vblank()`, which makes `fd` readable as a real DRM device's would be.
/// `failNext` makes the next enable or flip fail.
public final class RecordingDisplaySink: DisplaySink {
    /// One presented picture.
    public struct Picture: Equatable {
        public var output: String
        public var width: Int
        public var height: Int
        /// XRGB8888 pixels, row by row.
        public var pixels: [UInt32]
    }

    /// `enable <output> WxH`, `disable <output>`, `flip <output> #ticket`.
    public private(set) var calls: [String] = []
    public private(set) var pictures: [Picture] = []
    /// Mode of each enabled output.
    public private(set) var modes: [String: (width: UInt32, height: UInt32)] = [:]
    /// Outputs that exist; nil means any name does.
    public var knownOutputs: [String]?
    public let vsync: Bool
    public var failNext: DisplIfError?
    /// The EDID each output's monitor reports (none by default, as on vkms).
    public var edids: [String: [UInt8]] = [:]
    private var waiting: [FlipTicket] = []
    private var completed: [FlipTicket] = []
    private var pipe: [Int32] = [-1, -1]

    public init(vsync: Bool = false, knownOutputs: [String]? = nil) {
        self.vsync = vsync
        self.knownOutputs = knownOutputs
        if vsync { _ = pipe.withUnsafeMutableBufferPointer { clinux_pipe_cloexec($0.baseAddress) } }
    }

    deinit {
        for fd in pipe where fd >= 0 { close(fd) }
    }

    public var fd: Int32 { pipe[0] }

    /// Flips waiting for the next `vblank()`.
    public var pendingFlips: Int { waiting.count }

    public func enable(output: String, width: UInt32, height: UInt32, frame: DisplayFrame) throws(DisplIfError) {
        try check(output)
        calls.append("enable \(output) \(width)x\(height)")
        modes[output] = (width, height)
        record(output, frame)
    }

    public func disable(output: String) {
        calls.append("disable \(output)")
        modes[output] = nil
    }

    public func flip(output: String, frame: DisplayFrame, ticket: FlipTicket) throws(DisplIfError) -> Bool {
        try check(output)
        calls.append("flip \(output) #\(ticket.rawValue)")
        record(output, frame)
        guard vsync else { return true }
        waiting.append(ticket)
        return false
    }

    /// Completes every waiting flip, as a vertical blank would.
    public func vblank() {
        guard !waiting.isEmpty else { return }
        completed += waiting
        waiting.removeAll()
        var byte: UInt8 = 1
        _ = write(pipe[1], &byte, 1)
    }

    public func completedFlips() -> [FlipTicket] {
        var drain = [UInt8](repeating: 0, count: 64)
        if pipe[0] >= 0 { _ = drain.withUnsafeMutableBytes { clinux_read_nonblocking(pipe[0], $0.baseAddress, 64) } }
        defer { completed.removeAll() }
        return completed
    }

    private func check(_ output: String) throws(DisplIfError) {
        if let failure = failNext {
            failNext = nil
            throw failure
        }
        if let knownOutputs, !knownOutputs.contains(output) { throw .outputUnknown(name: output) }
    }

    private func record(_ output: String, _ frame: DisplayFrame) {
        var pixels = [UInt32](repeating: 0, count: frame.width * frame.height)
        pixels.withUnsafeMutableBytes { raw in
            for row in 0..<frame.height {
                frame.format.convertRow(from: frame.base + row * frame.pitch, to: raw.baseAddress! + row * frame.width * 4,
                                        width: frame.width)
            }
        }
        pictures.append(Picture(output: output, width: frame.width, height: frame.height, pixels: pixels))
    }

    public func edid(output: String) -> [UInt8]? { edids[output] }
}
