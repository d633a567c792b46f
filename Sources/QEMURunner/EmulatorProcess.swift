// SPDX-License-Identifier: Apache-2.0
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The emulator as a child process that cannot outlive or be orphaned by us:
/// it leads a process group of its own (stopped as a group), and the kernel
/// kills it with SIGKILL when the thread that started it ends
/// (`PR_SET_PDEATHSIG`), so even a `driverdom` killed with SIGKILL leaves no
/// emulator behind. Optionally its group becomes a terminal's foreground group,
/// so it reads what the user types (`tcsetpgrp`).
final class EmulatorProcess {
    /// The emulator's pid (also its process group id).
    let pid: pid_t
    /// The raw wait status once the process was reaped.
    private(set) var waitStatus: Int32?

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments` and this process's environment.
    /// - Parameters:
    ///   - input: the descriptor that becomes its stdin.
    ///   - output: the descriptor that becomes its stdout and stderr.
    ///   - foregroundTerminal: a terminal whose foreground group it becomes, or nil.
    static func spawn(_ executable: URL, arguments: [String], input: Int32, output: Int32,
                      foregroundTerminal: Int32?) throws(RunError) -> EmulatorProcess {
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let error = cpc_spawn(executable.path, argv, envp, input, output, foregroundTerminal ?? -1, &pid)
        guard error == 0 else {
            if pid > 0 { _ = waitpid(pid, nil, 0) }
            throw .launchFailed(program: executable.path, reason: String(cString: strerror(error)))
        }
        return EmulatorProcess(pid: pid)
    }

    /// Whether the process has ended; reaps it without blocking.
    var hasEnded: Bool {
        if waitStatus != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            waitStatus = status
            return true
        }
        // ECHILD: someone else reaped it; it has ended all the same.
        return result < 0 && errno == ECHILD
    }

    /// Blocks until the process ends.
    func waitForExit() {
        while waitStatus == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid { waitStatus = status; return }
            if result < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Sends `signal` to the process's whole group.
    func signalGroup(_ signal: Int32) {
        guard waitStatus == nil else { return }
        _ = kill(-pid, signal)
    }

    /// The exit status, when the process exited by itself (not killed by a signal).
    var exitStatus: Int32? {
        guard let waitStatus, waitStatus & 0x7f == 0 else { return nil }
        return (waitStatus >> 8) & 0xff
    }
}
