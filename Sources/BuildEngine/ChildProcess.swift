// SPDX-License-Identifier: Apache-2.0
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A started child process: the one way the host side starts programs
/// (`ProcessToolRunner` for tools run to completion, QEMURunner for the
/// emulator, the terminal harness for tmux). Started with `cpc_spawn`
/// (fork and exec in C): the child leads a process group of its own (so it is
/// stopped as a group, with whatever it started), gets every signal unblocked at
/// its default action (a test thread's blocked signals would otherwise reach a
/// tmux server that then never sees SIGCHLD), and no descriptor but the three
/// it is given (a server that kept another test's half-written script open
/// would make that script unrunnable, ETXTBSY). Optionally its group becomes a
/// terminal's foreground group (`tcsetpgrp`), and the kernel kills it with
/// SIGKILL when the thread that started it ends (`PR_SET_PDEATHSIG`).
///
/// Not thread-safe: one thread starts, polls and reaps it; signalling the
/// group from elsewhere needs only ``pid``.
package final class ChildProcess {
    /// The child's pid (also its process group id).
    package let pid: pid_t
    /// The raw wait status once the process was reaped.
    private var waitStatus: Int32?

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `command` (a bare executable name is looked up in this process's
    /// PATH; `command.environment` applies to the child only).
    /// - Parameters:
    ///   - input, output, error: the descriptors that become its stdin, stdout
    ///     and stderr (each its own number or above 2; output and error may be the same).
    ///   - foregroundTerminal: a terminal whose foreground group it becomes, or nil.
    ///   - diesWithParent: the kernel kills it when the calling thread ends.
    /// - Throws: `BuildEngineError.toolLaunchFailed` with the errno of the step that failed.
    package static func spawn(_ command: ToolCommand, input: Int32, output: Int32, error: Int32,
                             foregroundTerminal: Int32? = nil,
                             diesWithParent: Bool = false) throws(BuildEngineError) -> ChildProcess {
        guard let path = ExecutableSearch.locate(command.executable) else {
            throw .toolLaunchFailed(command: command.description, errno: ENOENT)
        }
        var environment = command.inheritsEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (name, value) in command.environment { environment[name] = value }
        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = path.withCString { path in
            argv.withUnsafeBufferPointer { argv in
                envp.withUnsafeBufferPointer { envp in
                    withOptionalCString(command.workingDirectory) { directory in
                        var request = cpc_child(path: path, argv: argv.baseAddress, envp: envp.baseAddress,
                                                directory: directory, input_fd: input, output_fd: output,
                                                error_fd: error, foreground_tty: foregroundTerminal ?? -1,
                                                dies_with_parent: diesWithParent ? 1 : 0)
                        return cpc_spawn(&request, &pid)
                    }
                }
            }
        }
        guard status == 0 else { throw .toolLaunchFailed(command: command.description, errno: status) }
        return ChildProcess(pid: pid)
    }

    /// Whether the process has ended; reaps it without blocking.
    package var hasEnded: Bool {
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

    /// Blocks until the process ends and reaps it.
    package func waitForExit() {
        while waitStatus == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid { waitStatus = status; return }
            if result < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Sends `signal` to the process's whole group (nothing once it was reaped:
    /// its pid may name another process by then).
    package func signalGroup(_ signal: Int32) {
        guard waitStatus == nil else { return }
        _ = kill(-pid, signal)
    }

    /// The exit status, when the process exited by itself (not killed by a signal).
    package var exitStatus: Int32? {
        guard let waitStatus, waitStatus & 0x7f == 0 else { return nil }
        return (waitStatus >> 8) & 0xff
    }

    /// The signal that killed the process, if one did.
    package var terminatingSignal: Int32? {
        guard let waitStatus, waitStatus & 0x7f != 0 else { return nil }
        return waitStatus & 0x7f
    }
}

/// Finds executables the way `execvp(3)` does.
package enum ExecutableSearch {
    /// `name` itself when it contains a slash, else the first executable
    /// regular file `folder/name` of this process's PATH (`/bin:/usr/bin` when unset); nil if none.
    package static func locate(_ name: String) -> String? {
        if name.contains("/") { return name }
        guard !name.isEmpty else { return nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/bin:/usr/bin"
        for folder in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}

private func withOptionalCString<Result>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
