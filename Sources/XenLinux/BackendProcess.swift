// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// The process plumbing every backend executable shares: its command line
/// (read with its own `BackendCommandLine` parser), the stop signals and the
/// readiness report to driverdom-init.
public enum BackendProcess {
    /// SIGTERM and SIGINT, read from a signalfd in the poll loop; made by `prepare`.
    nonisolated(unsafe) public private(set) static var stopSignals: StopSignals?
    /// Why `prepare` could not make `stopSignals`; `serve` reports it.
    nonisolated(unsafe) static var stopSignalsError: XenError?

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

    /// The process's arguments parsed by `Line`, the backend's own parser. On an
    /// error prints `<name>: <problem>` and the usage text and exits 2; for
    /// `--help` prints the usage text and exits 0.
    public static func commandLine<Line: BackendCommandLine>(_ line: Line.Type, name: String) -> Line {
        do {
            return try Line.parse(arguments())
        } catch .helpRequested {
            print(Line.usage)
            exit(0)
        } catch {
            print(name + ": " + error.description)
            print(Line.usage)
            exit(2)
        }
    }

    /// Line-buffers stdout (a trap must not lose buffered log lines) and blocks
    /// SIGTERM and SIGINT into a signalfd (`StopSignals`) that `serve` polls.
    /// Call it first in `main`, before any library starts a thread. When the
    /// signalfd cannot be made, `serve` says why and fails.
    public static func prepare() {
        clinux_stdout_line_buffered()
        guard stopSignals == nil else { return }
        do {
            stopSignals = try StopSignals()
        } catch {
            stopSignalsError = error
        }
    }

    /// Starts `backend`, prints `banner`, reports readiness, serves it on one
    /// poll loop until SIGTERM/SIGINT arrives on the signalfd and shuts it down.
    /// The loop waits without a timeout: the signal itself wakes it. Returns the
    /// process exit status: 0 after a requested stop, 1 when the backend failed
    /// (or `prepare` did not make the signalfd).
    public static func serve<Backend: ServedBackend>(_ backend: Backend, name: String, banner: [String]) -> Int32 {
        guard let stop = stopSignals else {
            print(name + ": Unable to serve frontends: "
                  + (stopSignalsError?.description ?? "BackendProcess.prepare() was not called"))
            return 1
        }
        let loop = PollLoop()
        loop.add(stop)
        loop.add(backend)
        var rounds = 0
        do throws(XenError) {
            try backend.start()
            for line in banner { print(name + ": " + line) }
            notifyReady()
            rounds = try loop.run { stop.stopRequested }
        } catch {
            print(name + ": Unable to serve frontends: " + error.description)
            backend.shutdown()
            return 1
        }
        backend.shutdown()
        print(name + ": stopped by " + stop.receivedName + " after \(rounds) poll rounds")
        return 0
    }

    /// Tells driverdom-init the backend has registered (its watch on
    /// `backend/<type>` is set): `ready` on the pipe named by `DRIVERDOM_READY_FD`
    /// (`clinux_notify_ready`). Started by hand, without the variable, it does nothing.
    public static func notifyReady() {
        _ = clinux_notify_ready()
    }
}
