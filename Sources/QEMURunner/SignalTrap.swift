// SPDX-License-Identifier: Apache-2.0
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into bytes on a pipe that a poll loop
/// watches (the self-pipe trick), so a run can stop its emulator, give the
/// terminal back and return instead of dying with the emulator still running.
/// While any trap is installed, SIGTTOU and SIGPIPE are ignored. Traps nest
/// (each gets every signal); removing the last restores the old dispositions.
final class SignalTrap {
    /// The read end: readable once a signal arrived.
    let descriptor: Int32
    private let writeEnd: Int32
    private var installed = true

    /// Installs the trap.
    init() throws(RunError) {
        var fds: [Int32] = [-1, -1]
        let error = cpc_pipe(&fds, 1)
        guard error == 0 else { throw .launchFailed(program: "signal trap", reason: "pipe2: \(String(cString: strerror(error)))") }
        descriptor = fds[0]
        writeEnd = fds[1]
        let trapError = cpc_trap_signals(writeEnd)
        guard trapError == 0 else {
            close(descriptor)
            close(writeEnd)
            throw .launchFailed(program: "signal trap", reason: "cannot install signal handlers: \(String(cString: strerror(trapError)))")
        }
    }

    /// The signals received since the last call, oldest first.
    func received() -> [Int32] {
        var bytes = [UInt8](repeating: 0, count: 16)
        var signals: [Int32] = []
        while true {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return signals }
            signals += bytes[0..<count].map { Int32($0) }
        }
    }

    /// Uninstalls the trap (the last one restores the previous dispositions).
    func remove() {
        guard installed else { return }
        installed = false
        cpc_untrap_signals(writeEnd)
        close(descriptor)
        close(writeEnd)
    }

    deinit { remove() }
}
