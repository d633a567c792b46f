// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal an interactive run hands to its emulator: its settings and
/// file-status flags as they were (QEMU switches the terminal to raw mode and
/// its descriptor to non-blocking), and the process group that had it in the
/// foreground. ``restore()`` puts all three back, whatever way the emulator ended.
struct TerminalHandover {
    /// The terminal's descriptor (standard input).
    let descriptor: Int32
    private let attributes: termios
    private let flags: Int32
    private let group: pid_t

    /// The terminal on `descriptor` if it is one and this process's group has it in
    /// the foreground (a background job must not take it); nil otherwise.
    static func claim(_ descriptor: Int32) -> TerminalHandover? {
        guard isatty(descriptor) == 1, tcgetpgrp(descriptor) == getpgrp() else { return nil }
        var attributes = termios()
        guard tcgetattr(descriptor, &attributes) == 0 else { return nil }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { return nil }
        return TerminalHandover(descriptor: descriptor, attributes: attributes, flags: flags, group: getpgrp())
    }

    /// Takes the foreground back for this process's group and restores the
    /// settings and flags. Failures are ignored (a hung-up terminal has none to restore).
    func restore() {
        // From a background group these calls raise SIGTTOU unless it is blocked.
        var block = sigset_t()
        var previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        _ = tcsetpgrp(descriptor, group)
        var saved = attributes
        _ = tcsetattr(descriptor, TCSADRAIN, &saved)
        _ = fcntl(descriptor, F_SETFL, flags)
    }
}
