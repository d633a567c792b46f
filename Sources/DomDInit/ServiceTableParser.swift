// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Reads the service table text. Strict: every unknown directive, bad number,
/// duplicate or missing field is an error carrying its 1-based line number.
///
/// Format (one directive per line; leading spaces ignored; `#` starts a comment line):
///
///     driverdom-services 1                  first directive: format version
///     role domd|control                     required
///     modprobe /sbin/modprobe | init        optional (default /sbin/modprobe); `init`: the init
///                                           loads modules itself following modules.dep
///     module NAME [key=value ...]           kernel modules, loaded in order
///     directory /PATH                       created with parents
///     set /PATH VALUE                       write VALUE to a sysfs/procfs file after modules
///                                           and xenfs, before the `run` commands
///     run /PATH [ARG ...]                   run to completion in order (args split on spaces)
///     readiness console | file /DIR | xenstore-write /PATH
///     service NAME                          a backend stanza, started in file order
///       exec /PATH                          required
///       arg VALUE                           one argument: the rest of the line, verbatim
///       env NAME=VALUE                      the rest of the line, verbatim
///       device /PATH timeout-ms N           wait for this node before starting
///       restart always|on-failure|never max N backoff-ms N max-backoff-ms N
///       stop-timeout-ms N                   SIGTERM → SIGKILL delay at shutdown
///       ready fd|on-start                   readiness contract (default fd)
///     end
///   control role only:
///     toolstack /DIR                        xl is DIR/xl (default /usr/lib/xen-4.17/bin)
///     xl /PATH                              xl elsewhere
///     xenstore-read /PATH                   default /usr/bin/xenstore-read (xenstore-utils)
///     xenstore-chmod /PATH                  default /usr/bin/xenstore-chmod (xenstore-utils)
///     xenstore-write /PATH                  default /usr/bin/xenstore-write (xenstore-utils)
///     usbctrl GUEST DEVID VERSION PORTS     a PV USB controller of guest GUEST (its domain
///                                           name) placed in DomD; needs `domd`
///     domd NAME /PATH/TO/domd.cfg           DomD to create
///     await BACKEND                         DomD backend to wait for
///     await-timeout-ms N                    bound of that wait (default 60000)
///     guest /PATH/TO/guest.cfg              guests, created in order
///     boot-partition NAME FSTYPE /MOUNT wait-ms N
///                                           mount the partition with GPT name NAME
///                                           read-only on /MOUNT before creating any
///                                           domain, waiting up to N ms for it to appear
package enum ServiceTableParser {
    /// Parses a whole table.
    package static func parse(_ text: String) throws(InitError) -> ServiceTable {
        var state = ParserState()
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            while line.first == " " || line.first == "\t" { line = line.dropFirst() }
            if line.isEmpty || line.first == "#" { continue }
            try state.take(line, at: lineNumber)
        }
        return try state.finish(lastLine: lineNumber)
    }
}

private struct ParserState {
    var sawHeader = false
    var headerLine = 0
    var role: InitRole?
    var table = ServiceTable(role: .domd)
    var current: ServiceSpec?
    var currentLine = 0
    var currentHasExec = false
    var firstControlLine: Int?
    var firstUsbLine: Int?
    var names: [String] = []

    mutating func take(_ line: Substring, at number: Int) throws(InitError) {
        let (keyword, rest) = splitKeyword(line)
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map { String($0) }
        if !sawHeader {
            guard keyword == "driverdom-services" else {
                throw .parseServiceTable(line: number, reason: "expected 'driverdom-services \(ServiceTable.formatVersion)' as the first directive, found '" + keyword + "'")
            }
            guard words == ["\(ServiceTable.formatVersion)"] else {
                throw .parseServiceTable(line: number, reason: "unsupported format version '" + String(rest) + "'; this init reads version \(ServiceTable.formatVersion)")
            }
            sawHeader = true
            headerLine = number
            return
        }
        if current != nil {
            try takeServiceLine(keyword, rest: rest, words: words, at: number)
            return
        }
        switch keyword {
        case "role":
            guard role == nil else { throw .parseServiceTable(line: number, reason: "'role' given twice") }
            let value = try single(words, "role", number)
            guard let parsed = InitRole(rawValue: value) else {
                throw .parseServiceTable(line: number, reason: "unknown role '" + value + "'; expected domd or control")
            }
            role = parsed
        case "modprobe":
            let value = try single(words, "modprobe", number)
            table.modprobe = value == ServiceTable.initLoadsModules ? value : try absolutePath(value, number)
        case "module":
            guard let name = words.first else { throw .parseServiceTable(line: number, reason: "'module' needs a module name") }
            try checkName(name, number)
            table.modules.append(ModuleSpec(name: name, parameters: Array(words.dropFirst())))
        case "directory":
            table.directories.append(try absolutePath(try single(words, "directory", number), number))
        case "set":
            guard words.count == 2 else {
                throw .parseServiceTable(line: number, reason: "'set' needs a file path and one value")
            }
            table.settings.append(KernelSetting(path: try absolutePath(words[0], number), value: words[1]))
        case "run":
            guard let program = words.first else { throw .parseServiceTable(line: number, reason: "'run' needs a program path") }
            table.commands.append(CommandSpec(program: try absolutePath(program, number), arguments: Array(words.dropFirst())))
        case "readiness":
            table.readiness = try parseReadiness(words, number)
        case "service":
            let name = try single(words, "service", number)
            try checkName(name, number)
            guard !names.contains(name) else { throw .parseServiceTable(line: number, reason: "service '" + name + "' defined twice") }
            names.append(name)
            current = ServiceSpec(name: name, program: "")
            currentLine = number
            currentHasExec = false
        case "toolstack":
            let dir = try absolutePath(try single(words, "toolstack", number), number)
            table.control.xl = dir + "/xl"
            noteControl(number)
        case "xl":
            table.control.xl = try absolutePath(try single(words, "xl", number), number)
            noteControl(number)
        case "xenstore-read":
            table.control.xenstoreRead = try absolutePath(try single(words, "xenstore-read", number), number)
            noteControl(number)
        case "xenstore-chmod":
            table.control.xenstoreChmod = try absolutePath(try single(words, "xenstore-chmod", number), number)
            noteControl(number)
        case "xenstore-write":
            table.control.xenstoreWrite = try absolutePath(try single(words, "xenstore-write", number), number)
            noteControl(number)
        case "usbctrl":
            guard words.count == 4 else {
                throw .parseServiceTable(line: number, reason: "'usbctrl' needs a guest name, a devid, a USB version and a port count")
            }
            try checkName(words[0], number)
            let devid = try wholeNumber(words[1], number)
            let version = try wholeNumber(words[2], number)
            let ports = try wholeNumber(words[3], number)
            guard devid < 1024 else { throw .parseServiceTable(line: number, reason: "usbctrl devid \(devid) is not below 1024") }
            guard version == 1 || version == 2 else {
                throw .parseServiceTable(line: number, reason: "usbctrl USB version \(version) is not 1 or 2")
            }
            guard ports >= 1 && ports <= 31 else {
                throw .parseServiceTable(line: number, reason: "usbctrl port count \(ports) is not 1...31")
            }
            guard !table.control.usbControllers.contains(where: { $0.guest == words[0] && $0.devid == Int(devid) }) else {
                throw .parseServiceTable(line: number, reason: "usbctrl \(devid) of guest " + words[0] + " given twice")
            }
            table.control.usbControllers.append(UsbControllerSpec(guest: words[0], devid: Int(devid), version: Int(version),
                                                                  ports: Int(ports)))
            if firstUsbLine == nil { firstUsbLine = number }
            noteControl(number)
        case "domd":
            guard table.control.domd == nil else { throw .parseServiceTable(line: number, reason: "'domd' given twice") }
            guard words.count == 2 else { throw .parseServiceTable(line: number, reason: "'domd' needs a domain name and an xl.cfg path") }
            try checkName(words[0], number)
            table.control.domd = DomainSpec(name: words[0], config: try absolutePath(words[1], number))
            noteControl(number)
        case "await":
            let name = try single(words, "await", number)
            try checkName(name, number)
            table.control.awaitedBackends.append(name)
            noteControl(number)
        case "await-timeout-ms":
            table.control.readinessTimeoutMilliseconds = try wholeNumber(try single(words, "await-timeout-ms", number), number)
            noteControl(number)
        case "guest":
            table.control.guests.append(try absolutePath(try single(words, "guest", number), number))
            noteControl(number)
        case "boot-partition":
            guard table.control.bootPartition == nil else {
                throw .parseServiceTable(line: number, reason: "'boot-partition' given twice")
            }
            guard words.count == 5, words[3] == "wait-ms" else {
                throw .parseServiceTable(line: number, reason: "'boot-partition' needs 'NAME FSTYPE /MOUNT wait-ms N'")
            }
            try checkName(words[0], number)
            try checkName(words[1], number)
            table.control.bootPartition = BootPartitionSpec(name: words[0], filesystem: words[1],
                                                            mountPoint: try absolutePath(words[2], number),
                                                            waitMilliseconds: try wholeNumber(words[4], number))
            noteControl(number)
        case "end":
            throw .parseServiceTable(line: number, reason: "'end' outside a service stanza")
        default:
            throw .parseServiceTable(line: number, reason: "unknown directive '" + keyword + "'; expected role, modprobe, module, directory, set, run, readiness, service, toolstack, xl, xenstore-read, xenstore-chmod, xenstore-write, usbctrl, domd, await, await-timeout-ms, guest or boot-partition")
        }
    }

    mutating func takeServiceLine(_ keyword: String, rest: Substring, words: [String], at line: Int) throws(InitError) {
        guard var service = current else { return }
        switch keyword {
        case "exec":
            guard !currentHasExec else { throw .parseServiceTable(line: line, reason: "'exec' given twice in service '" + service.name + "'") }
            service.program = try absolutePath(try single(words, "exec", line), line)
            currentHasExec = true
        case "arg":
            service.arguments.append(String(rest))
        case "env":
            guard let equals = rest.firstIndex(of: "="), equals != rest.startIndex else {
                throw .parseServiceTable(line: line, reason: "'env' needs NAME=VALUE, found '" + String(rest) + "'")
            }
            service.environment.append(String(rest))
        case "device":
            guard words.count == 3, words[1] == "timeout-ms" else {
                throw .parseServiceTable(line: line, reason: "'device' needs '/PATH timeout-ms N'")
            }
            service.device = DeviceWait(path: try absolutePath(words[0], line), timeoutMilliseconds: try wholeNumber(words[2], line))
        case "restart":
            guard words.count == 7, words[1] == "max", words[3] == "backoff-ms", words[5] == "max-backoff-ms" else {
                throw .parseServiceTable(line: line, reason: "'restart' needs 'always|on-failure|never max N backoff-ms N max-backoff-ms N'")
            }
            guard let policy = RestartPolicy(rawValue: words[0]) else {
                throw .parseServiceTable(line: line, reason: "unknown restart policy '" + words[0] + "'; expected always, on-failure or never")
            }
            service.restart = policy
            service.maxRestarts = Int(try wholeNumber(words[2], line))
            service.backoffMilliseconds = try wholeNumber(words[4], line)
            service.maxBackoffMilliseconds = try wholeNumber(words[6], line)
            guard service.backoffMilliseconds <= service.maxBackoffMilliseconds else {
                throw .parseServiceTable(line: line, reason: "backoff-ms \(service.backoffMilliseconds) is larger than max-backoff-ms \(service.maxBackoffMilliseconds)")
            }
        case "stop-timeout-ms":
            service.stopTimeoutMilliseconds = try wholeNumber(try single(words, "stop-timeout-ms", line), line)
        case "ready":
            let value = try single(words, "ready", line)
            guard let mode = ReadinessMode(rawValue: value) else {
                throw .parseServiceTable(line: line, reason: "unknown readiness '" + value + "'; expected fd or on-start")
            }
            service.readiness = mode
        case "end":
            guard words.isEmpty else { throw .parseServiceTable(line: line, reason: "'end' takes no value") }
            guard currentHasExec else {
                throw .parseServiceTable(line: currentLine, reason: "service '" + service.name + "' has no 'exec' line")
            }
            table.services.append(service)
            current = nil
            return
        default:
            throw .parseServiceTable(line: line, reason: "unknown service directive '" + keyword + "' in service '" + service.name + "'; expected exec, arg, env, device, restart, stop-timeout-ms, ready or end")
        }
        current = service
    }

    mutating func finish(lastLine: Int) throws(InitError) -> ServiceTable {
        guard sawHeader else {
            throw .parseServiceTable(line: lastLine == 0 ? 1 : lastLine, reason: "empty table: expected 'driverdom-services \(ServiceTable.formatVersion)'")
        }
        if let service = current {
            throw .parseServiceTable(line: currentLine, reason: "service '" + service.name + "' is not closed with 'end'")
        }
        guard let role else {
            throw .parseServiceTable(line: headerLine, reason: "no 'role' directive; add 'role domd' or 'role control'")
        }
        if role == .domd, let controlLine = firstControlLine {
            throw .parseServiceTable(line: controlLine, reason: "this directive belongs to 'role control', but the table says 'role domd'")
        }
        if let usbLine = firstUsbLine, table.control.domd == nil {
            throw .parseServiceTable(line: usbLine, reason: "'usbctrl' places a controller in a separate DomD, but the table has no 'domd'")
        }
        table.role = role
        return table
    }

    mutating func noteControl(_ line: Int) {
        if firstControlLine == nil { firstControlLine = line }
    }
}

private func splitKeyword(_ line: Substring) -> (String, Substring) {
    guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (String(line), "") }
    return (String(line[line.startIndex..<space]), line[line.index(after: space)...])
}

private func parseReadiness(_ words: [String], _ line: Int) throws(InitError) -> ReadinessPublishing {
    switch (words.first ?? "", words.count) {
    case ("console", 1): return .console
    case ("file", 2): return .file(directory: try absolutePath(words[1], line))
    case ("xenstore-write", 2): return .xenstoreWrite(program: try absolutePath(words[1], line))
    default:
        throw .parseServiceTable(line: line, reason: "'readiness' needs 'console', 'file /DIR' or 'xenstore-write /PATH'")
    }
}

private func single(_ words: [String], _ keyword: String, _ line: Int) throws(InitError) -> String {
    guard words.count == 1 else {
        throw .parseServiceTable(line: line, reason: "'" + keyword + "' takes exactly one value, found \(words.count)")
    }
    return words[0]
}

private func absolutePath(_ value: String, _ line: Int) throws(InitError) -> String {
    guard value.hasPrefix("/") else {
        throw .parseServiceTable(line: line, reason: "'" + value + "' is not an absolute path")
    }
    return value
}

private func wholeNumber(_ value: String, _ line: Int) throws(InitError) -> UInt64 {
    guard let parsed = UInt64(value) else {
        throw .parseServiceTable(line: line, reason: "'" + value + "' is not a non-negative whole number")
    }
    return parsed
}

/// Names (services, modules, domains) are used in xenstore paths and argv:
/// letters, digits, `-`, `_`, `.` only.
func isValidName(_ name: String) -> Bool {
    guard !name.isEmpty else { return false }
    for byte in name.utf8 {
        let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F || byte == 0x2E
        if !ok { return false }
    }
    return true
}

private func checkName(_ name: String, _ line: Int) throws(InitError) {
    guard isValidName(name) else {
        throw .parseServiceTable(line: line, reason: "'" + name + "' is not a valid name (letters, digits, '-', '_', '.')")
    }
}
