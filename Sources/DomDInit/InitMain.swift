// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Options of the init's command line.
package struct InitOptions: Equatable, Sendable {
    /// Path of the service table.
    package var tablePath: String = ServiceTable.defaultPath
    /// Role override; nil uses the table's.
    package var role: InitRole?

    /// Parses `--table PATH` and `--role domd|control` (arguments after argv[0]).
    /// The kernel passes unknown `key=value` boot arguments to init too: those are ignored.
    package static func parse(_ arguments: [String]) throws(InitError) -> InitOptions {
        var options = InitOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--table", "--role":
                guard index + 1 < arguments.count else { throw .usage(reason: argument + " needs a value") }
                let value = arguments[index + 1]
                if argument == "--table" {
                    options.tablePath = value
                } else {
                    guard let role = InitRole(rawValue: value) else {
                        throw .usage(reason: "unknown role '" + value + "'")
                    }
                    options.role = role
                }
                index += 2
            default:
                guard !argument.hasPrefix("-") else { throw .usage(reason: "unknown option '" + argument + "'") }
                index += 1
            }
        }
        return options
    }
}

/// What the binary does, chosen by the name it was called under. The build can
/// link `/sbin/poweroff`, `/sbin/halt` and `/sbin/reboot` to driverdom-init: the
/// kernel runs `/sbin/poweroff` when Xen asks the domain to shut down
/// (`xl shutdown`), and a domain with no such program ignores that request.
package enum InitPersonality: Equatable, Sendable {
    /// Run as the init.
    case initProcess
    /// Ask PID 1 to stop the machine (SIGUSR2 for power-off, SIGINT for restart).
    case requestPower(PowerRequest)

    /// The personality for `argv[0]`.
    package static func from(programName: String) -> InitPersonality {
        let base = programName.split(separator: "/").last.map { String($0) } ?? programName
        switch base {
        case "poweroff", "halt": return .requestPower(.powerOff)
        case "reboot": return .requestPower(.restart)
        default: return .initProcess
        }
    }
}

/// Reads a whole (small) file as UTF-8.
func readTextFile(_ path: String) throws(InitError) -> String {
    let descriptor = path.withCString { clinux_open($0, O_RDONLY | O_CLOEXEC, 0) }
    guard descriptor >= 0 else { throw .readServiceTable(path: path, errno: clinux_errno()) }
    defer { _ = close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4_096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            let error = clinux_errno()
            if error == EINTR { continue }
            throw .readServiceTable(path: path, errno: error)
        }
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Usage text of `driverdom-init`.
let initUsage = """
    usage: driverdom-init [--table PATH] [--role domd|control]
      PID 1 of a driverdom domain: mounts the kernel filesystems, loads modules, starts
      and supervises the backends (domd role) or the Xen daemons and domains (control
      role) listed in the service table (default \(ServiceTable.defaultPath)).
      Called as poweroff, halt or reboot it asks PID 1 to stop the machine.
    """

/// Entry point of the `driverdom-init` executable, called from its C `main`
/// with the process arguments: runs the init over the real system.
@_cdecl("driverdom_init_main")
package func driverdomInitMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    clinux_stdout_line_buffered()
    var arguments: [String] = []
    var programName = "driverdom-init"
    if let argv, argc > 0 {
        if let first = argv[0] { programName = String(cString: first) }
        for index in 1..<Int(argc) {
            if let argument = argv[index] { arguments.append(String(cString: argument)) }
        }
    }
    if case .requestPower(let request) = InitPersonality.from(programName: programName) {
        guard kill(1, request == .powerOff ? SIGUSR2 : SIGINT) == 0 else {
            print("driverdom-init: cannot signal PID 1 (errno \(clinux_errno()))")
            return 1
        }
        return 0
    }
    if arguments.contains("--help") || arguments.contains("-h") {
        print(initUsage)
        return 0
    }
    // Mounting, module loading and power-off act on the whole machine: only the
    // process the kernel started (PID 1, also inside a PID namespace) may do them.
    guard getpid() == 1 else {
        print("driverdom-init: refusing to run as PID \(getpid()): this program is a domain's init (PID 1); "
              + "boot it with rdinit=/init, or test it under `unshare --pid --fork --mount-proc`")
        print(initUsage)
        return 2
    }
    let control = LinuxProcessControl()
    var table: ServiceTable
    do throws(InitError) {
        let options = try InitOptions.parse(arguments)
        table = try ServiceTableParser.parse(try readTextFile(options.tablePath))
        if let role = options.role { table.role = role }
    } catch {
        control.log("error: " + error.description)
        // A service table that cannot be read leaves nothing to supervise; stay
        // up (PID 1 must not exit) with an empty DomD table until power-off.
        table = ServiceTable(role: .domd)
    }
    let reporter = TableReadinessReporter(control: control, publishing: table.readiness)
    let initSystem = InitSystem(table: table, control: control, reporter: reporter)
    initSystem.run()
    if getpid() == 1 {
        // Power-off failed; PID 1 must not exit (that panics the kernel).
        while true { _ = pause() }
    }
    return 0
}
