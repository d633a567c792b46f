// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// An input source fed by the test: `push` queues events and makes `fd`
/// readable, so the poll loop picks them up like evdev's.
public final class ScriptedInputSource: InputEventSource {
    public let capabilities: InputCapabilities
    private var queued: [InputEvent] = []
    private let readFD: Int32
    private let writeFD: Int32
    private var signalled = false

    public init(capabilities: InputCapabilities = InputCapabilities()) {
        self.capabilities = capabilities
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
        precondition(result == 0, "pipe failed")
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    public var fd: Int32 { readFD }

    /// Queues events for the next read.
    public func push(_ events: [InputEvent]) {
        queued.append(contentsOf: events)
        if !signalled, !queued.isEmpty {
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
            signalled = true
        }
    }

    public func readEvents(into events: inout [InputEvent]) throws(InputSourceError) {
        events.append(contentsOf: queued)
        queued.removeAll()
        if signalled {
            var byte: UInt8 = 0
            _ = read(readFD, &byte, 1)
            signalled = false
        }
    }
}
