// SPDX-License-Identifier: GPL-2.0-only OR MIT

extension InitSystem {
    /// The file systems every role mounts first, in order (E2E.md).
    package static var earlyMounts: [MountRequest] {
        [
            MountRequest(source: "proc", target: "/proc", type: "proc"),
            MountRequest(source: "sysfs", target: "/sys", type: "sysfs"),
            MountRequest(source: "devtmpfs", target: "/dev", type: "devtmpfs", options: "mode=0755"),
            MountRequest(source: "devpts", target: "/dev/pts", type: "devpts", options: "gid=5,mode=0620,ptmxmode=0666"),
        ]
    }

    /// xenfs, mounted after the modules are loaded (the xenfs module creates /proc/xen).
    package static var xenfsMount: MountRequest {
        MountRequest(source: "xenfs", target: "/proc/xen", type: "xenfs")
    }

    /// Mounts, directories, modules, xenfs, kernel settings and bring-up commands. Failures are
    /// logged and the init carries on: PID 1 must stay up so the console shows why.
    func bringUp() {
        for mount in Self.earlyMounts {
            do throws(InitError) {
                if mount.target != "/proc" && mount.target != "/sys" && mount.target != "/dev" {
                    try control.makeDirectory(mount.target)
                }
                try control.mount(mount)
            } catch {
                control.log("error: " + error.description)
            }
        }
        for directory in table.directories {
            do throws(InitError) {
                try control.makeDirectory(directory)
            } catch {
                control.log("error: " + error.description)
            }
        }
        if table.modprobe == ServiceTable.initLoadsModules {
            loadModulesItself()
        } else {
            for module in table.modules {
                if powerRequest != nil { return }
                do throws(InitError) {
                    try runChecked(table.modprobe, [module.name] + module.parameters, timeout: Self.commandTimeoutNanoseconds)
                    control.log("loaded module " + module.name)
                } catch {
                    control.log("error: cannot load module " + module.name + ": " + error.description)
                }
            }
        }
        do throws(InitError) {
            try control.mount(Self.xenfsMount)
        } catch {
            control.log("warning: " + error.description)
        }
        for setting in table.settings {
            do throws(InitError) {
                try control.writeFile(setting.path, contents: setting.value)
                control.log("set " + setting.path + " to " + setting.value)
            } catch {
                control.log("error: cannot set " + setting.path + " to " + setting.value + ": " + error.description)
            }
        }
        for command in table.commands {
            if powerRequest != nil { return }
            do throws(InitError) {
                try runChecked(command.program, command.arguments, timeout: Self.commandTimeoutNanoseconds)
                control.log("ran " + command.program)
            } catch {
                control.log("error: " + error.description)
            }
        }
    }

    /// The control role after bring-up: mount the boot partition (DomD's
    /// kernel), create DomD, wait for its backends, create the guests.
    func runControlPlan() throws(InitError) {
        let plan = table.control
        let started = control.now()
        if let boot = plan.bootPartition { try mountBootPartition(boot) }
        var domainPath = "/local/domain/0"
        var domdID: String?
        if let domd = plan.domd {
            control.log("creating " + domd.name + " from " + domd.config)
            try runChecked(plan.xl, ["create", domd.config], timeout: Self.createTimeoutNanoseconds)
            let output = try runChecked(plan.xl, ["domid", domd.name], timeout: Self.commandTimeoutNanoseconds,
                                        captureOutput: true)
            let domid = trimmed(output)
            guard !domid.isEmpty, UInt32(domid) != nil else {
                throw .commandFailed(program: plan.xl + " domid " + domd.name, status: .exited(0))
            }
            domainPath = "/local/domain/" + domid
            domdID = domid
            control.log(domd.name + " is domain " + domid)
        }
        let deadline = started &+ plan.readinessTimeoutMilliseconds &* 1_000_000
        for backend in plan.awaitedBackends {
            if plan.domd == nil, let index = services.firstIndex(where: { $0.spec.name == backend }) {
                try awaitLocal(index, deadline: deadline, timeout: plan.readinessTimeoutMilliseconds)
            } else {
                try awaitRemote(backend, path: domainPath + "/drivers/" + backend + "/status",
                                deadline: deadline, timeout: plan.readinessTimeoutMilliseconds)
            }
        }
        if !plan.awaitedBackends.isEmpty {
            control.log("all DomD backends ready (\(plan.awaitedBackends.count)) at "
                        + formatDuration(control.now()) + " after boot")
        }
        for guest in plan.guests {
            control.log("creating guest from " + guest)
            guard let domdID = domdID else {
                try runChecked(plan.xl, ["create", guest], timeout: Self.createTimeoutNanoseconds)
                continue
            }
            try createGuest(guest, servedBy: domdID)
        }
    }

    /// Creates a guest served by a separate DomD: paused, then DomD is given read
    /// access to the guest's `/local/domain/<id>/name` (libxl lets only dom0 and
    /// the guest read it; DomD's backends serve a stream or connector only when
    /// the image binds it to that guest name), then unpaused, so no frontend can
    /// connect before its backend can tell whose it is.
    func createGuest(_ config: String, servedBy domdID: String) throws(InitError) {
        let plan = table.control
        try runChecked(plan.xl, ["create", "-p", config], timeout: Self.createTimeoutNanoseconds)
        guard let name = Self.domainName(inConfig: control.readFile(config) ?? "") else {
            throw .commandFailed(program: "reading the guest name (name = \"...\") of " + config, status: .exited(1))
        }
        let id = trimmed(try runChecked(plan.xl, ["domid", name], timeout: Self.commandTimeoutNanoseconds,
                                        captureOutput: true))
        guard UInt32(id) != nil else {
            throw .commandFailed(program: plan.xl + " domid " + name, status: .exited(0))
        }
        do throws(InitError) {
            try runChecked(plan.xenstoreChmod, ["/local/domain/" + id + "/name", "n0", "r" + id, "r" + domdID],
                           timeout: Self.commandTimeoutNanoseconds)
        } catch {
            control.log("error: DomD cannot learn the name of guest " + name + " (its devices stay unbound): "
                        + error.description)
        }
        placeUsbControllers(guest: name, id: id, domdID: domdID)
        try runChecked(plan.xl, ["unpause", name], timeout: Self.commandTimeoutNanoseconds)
        control.log("guest " + name + " is domain " + id)
    }

    /// The `name = "..."` of an xl.cfg, or nil.
    static func domainName(inConfig text: String) -> String? {
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            guard line.hasPrefix("name") else { continue }
            let rest = line.dropFirst(4).drop { $0 == " " || $0 == "\t" }
            guard rest.first == "=" else { continue }
            let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            guard let quote = value.first, quote == "\"" || quote == "'" else { continue }
            let inner = value.dropFirst()
            guard let end = inner.firstIndex(of: quote) else { continue }
            let name = String(inner[..<end])
            return name.isEmpty ? nil : name
        }
        return nil
    }

    func awaitRemote(_ backend: String, path: String, deadline: UInt64, timeout: UInt64) throws(InitError) {
        let plan = table.control
        while true {
            let result = try runCommand(plan.xenstoreRead, [path], timeout: Self.commandTimeoutNanoseconds,
                                        captureOutput: true, quiet: true)
            let value = trimmed(result.output)
            if result.status.isSuccess {
                if value == BackendStatus.ready.rawValue {
                    control.log("DomD backend " + backend + " ready")
                    return
                }
                if value == BackendStatus.failed.rawValue {
                    throw .backendFailed(backend: backend, path: path, status: value)
                }
            }
            if control.now() >= deadline {
                throw .readinessTimedOut(backend: backend, path: path, seconds: formatDuration(timeout &* 1_000_000))
            }
            let next = control.now() &+ Self.readinessPollNanoseconds
            try pause(until: next < deadline ? next : deadline)
        }
    }

    func awaitLocal(_ index: Int, deadline: UInt64, timeout: UInt64) throws(InitError) {
        let name = services[index].spec.name
        while !services[index].isReady {
            if services[index].state == .failed {
                throw .backendFailed(backend: name, path: "local backend " + name, status: BackendStatus.failed.rawValue)
            }
            if control.now() >= deadline {
                throw .readinessTimedOut(backend: name, path: "local backend " + name,
                                         seconds: formatDuration(timeout &* 1_000_000))
            }
            if powerRequest != nil { throw .shutdownRequested }
            pump(until: deadline)
        }
    }

    /// Stops backends in reverse table order (SIGTERM, wait up to their stop
    /// timeout, SIGKILL), then stops the machine.
    func shutDown() -> PowerAction {
        shuttingDown = true
        control.log("stopping backends")
        for index in services.indices.reversed() {
            stop(index)
        }
        reapAll()
        let action: PowerAction = powerRequest == .restart ? .restart : .powerOff
        control.log(action == .restart ? "restarting" : "powering off")
        control.power(action)
        return action
    }

    func stop(_ index: Int) {
        let spec = services[index].spec
        guard let pid = services[index].pid else {
            if services[index].state != .failed { services[index].state = .stopped }
            return
        }
        control.log("stopping backend " + spec.name + " (pid \(pid)) with SIGTERM")
        control.signal(pid, .terminate)
        let timeout = spec.stopTimeoutMilliseconds &* 1_000_000
        let deadline = control.now() &+ timeout
        while services[index].pid != nil && control.now() < deadline { pump(until: deadline) }
        guard services[index].pid != nil else { return }
        control.log("backend " + spec.name + " did not stop within " + formatDuration(timeout) + ": SIGKILL")
        control.signal(pid, .kill)
        let killDeadline = control.now() &+ Self.killGraceNanoseconds
        while services[index].pid != nil && control.now() < killDeadline { pump(until: killDeadline) }
        if services[index].pid != nil {
            control.log("error: backend " + spec.name + " (pid \(pid)) survived SIGKILL; leaving it")
        }
    }
}

/// The text without leading and trailing spaces, tabs and line breaks.
func trimmed(_ text: String) -> String {
    var bytes = Array(text.utf8)
    while let last = bytes.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09 { bytes.removeLast() }
    var start = 0
    while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09 {
        start += 1
    }
    return String(decoding: bytes[start...], as: UTF8.self)
}
