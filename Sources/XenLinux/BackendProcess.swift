// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// The process plumbing every backend executable shares: its command-line
/// arguments, the stop signals and the readiness report to driverdom-init.
public enum BackendProcess {
    /// Set by SIGTERM or SIGINT; the backend's poll loop stops when it is true.
    nonisolated(unsafe) public static var stopRequested = false

    /// The arguments after the program name. Embedded Swift has no
    /// `CommandLine`; CXen captures argc/argv from glibc's `.init_array`.
    public static func arguments() -> [String] {
        var arguments: [String] = []
        var index: Int32 = 1
        while index < cxen_argc() {
            if let argument = cxen_argv(index) { arguments.append(String(cString: argument)) }
            index += 1
        }
        return arguments
    }

    /// Line-buffers stdout (a trap must not lose buffered log lines) and makes
    /// SIGTERM and SIGINT request a clean stop.
    public static func prepare() {
        clinux_stdout_line_buffered()
        signal(SIGTERM) { _ in BackendProcess.stopRequested = true }
        signal(SIGINT) { _ in BackendProcess.stopRequested = true }
    }

    /// Starts `backend`, prints `banner`, reports readiness, serves it on one
    /// poll loop until SIGTERM/SIGINT and shuts it down. Returns the process exit
    /// status: 0 after a requested stop, 1 when the backend failed.
    public static func serve<Backend: ServedBackend>(_ backend: Backend, name: String, banner: [String]) -> Int32 {
        let loop = PollLoop()
        loop.add(backend)
        do throws(XenError) {
            try backend.start()
            for line in banner { print(name + ": " + line) }
            notifyReady()
            try loop.run { BackendProcess.stopRequested }
        } catch {
            print(name + ": Unable to serve frontends: " + error.description)
            backend.shutdown()
            return 1
        }
        backend.shutdown()
        print(name + ": stopped")
        return 0
    }

    /// Tells driverdom-init the backend has registered (its watch on
    /// `backend/<type>` is set): `ready` on the pipe named by `DRIVERDOM_READY_FD`
    /// (`clinux_notify_ready`). Started by hand, without the variable, it does nothing.
    public static func notifyReady() {
        _ = clinux_notify_ready()
    }
}
