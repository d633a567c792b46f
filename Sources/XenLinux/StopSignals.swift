// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import XenCore

/// SIGTERM and SIGINT as a poll source: blocked for the process and read from a
/// signalfd (`clinux_stop_signalfd`, the mechanism driverdom-init uses for its
/// own signals), so a stop wakes the backend's poll loop at once instead of
/// waiting for a poll timeout.
///
/// Create it before anything starts a thread (libusb does): the mask is per
/// thread and threads inherit it, so a thread made earlier would still take
/// the signal's default action.
public final class StopSignals: PollSource {
    /// The signalfd.
    public let fd: Int32
    /// The first stop signal read (SIGTERM or SIGINT), 0 while none has come.
    public private(set) var received: Int32 = 0

    /// Blocks SIGTERM and SIGINT and opens the signalfd that reports them.
    public init() throws(XenError) {
        fd = clinux_stop_signalfd()
        guard fd >= 0 else { throw .signalSetupFailed(errno: clinux_errno()) }
    }

    deinit { _ = close(fd) }

    /// True once a stop signal has been read.
    public var stopRequested: Bool { received != 0 }

    /// The received signal's name (`SIGTERM`, `SIGINT`), empty while none has come.
    public var receivedName: String {
        switch received {
        case 0: return ""
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(received)"
        }
    }

    public func appendPollDescriptors(to descriptors: inout [Int32]) { descriptors.append(fd) }

    /// Drains the signalfd; the first signal read is kept.
    public func handleReady(_ fd: Int32) {
        while true {
            let number = clinux_signalfd_next(self.fd)
            if number <= 0 { return }
            if received == 0 { received = number }
        }
    }
}
