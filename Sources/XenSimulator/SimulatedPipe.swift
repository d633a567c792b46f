// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// A non-blocking pipe used as a level-triggered "something is queued" flag:
/// its read end is readable exactly while `isReady` is true, so `poll` sees it.
final class SimulatedPipe {
    let readFD: Int32
    let writeFD: Int32
    private(set) var isReady = false

    init() {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { clinux_pipe_nonblocking($0.baseAddress) }
        precondition(result == 0, "pipe failed")
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Makes the read end readable (true) or not (false).
    func setReady(_ ready: Bool) {
        guard ready != isReady else { return }
        isReady = ready
        var byte: UInt8 = 1
        if ready {
            _ = write(writeFD, &byte, 1)
        } else {
            _ = read(readFD, &byte, 1)
        }
    }
}
