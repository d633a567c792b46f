// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Renders a `ServiceTable` in the text format `ServiceTableParser` reads. The
/// host build calls this to write `/etc/driverdom/services` into the rootfs.
/// It refuses values the format cannot carry (newlines, spaces inside
/// space-separated values, relative paths, invalid names), so what it writes
/// always parses back to an equal table.
package enum ServiceTableWriter {
    /// The table as text, ending with a newline.
    package static func write(_ table: ServiceTable) throws(InitError) -> String {
        var out = "# driverdom service table: read by driverdom-init at boot\n"
        out += "driverdom-services \(ServiceTable.formatVersion)\n"
        out += "role " + table.role.rawValue + "\n"
        out += "modprobe " + (table.modprobe == ServiceTable.initLoadsModules
            ? table.modprobe : try path(table.modprobe, "modprobe")) + "\n"
        for module in table.modules {
            try name(module.name, "module")
            out += "module " + module.name
            for parameter in module.parameters { out += " " + (try word(parameter, "module parameter")) }
            out += "\n"
        }
        for directory in table.directories { out += "directory " + (try path(directory, "directory")) + "\n" }
        for setting in table.settings {
            out += "set " + (try path(setting.path, "set")) + " " + (try word(setting.value, "set value")) + "\n"
        }
        for command in table.commands {
            out += "run " + (try path(command.program, "run"))
            for argument in command.arguments { out += " " + (try word(argument, "run argument")) }
            out += "\n"
        }
        switch table.readiness {
        case .console: out += "readiness console\n"
        case .file(let directory): out += "readiness file " + (try path(directory, "readiness file")) + "\n"
        case .xenstoreWrite(let program): out += "readiness xenstore-write " + (try path(program, "readiness xenstore-write")) + "\n"
        }
        var seen: [String] = []
        for service in table.services {
            guard !seen.contains(service.name) else {
                throw .writeServiceTable(field: "service", value: service.name, reason: "defined twice")
            }
            seen.append(service.name)
            out += try write(service)
        }
        out += try write(table.control, role: table.role)
        return out
    }

    static func write(_ service: ServiceSpec) throws(InitError) -> String {
        try name(service.name, "service")
        var out = "service " + service.name + "\n"
        out += "  exec " + (try path(service.program, "exec")) + "\n"
        for argument in service.arguments { out += "  arg " + (try line(argument, "arg")) + "\n" }
        for variable in service.environment {
            guard let equals = variable.firstIndex(of: "="), equals != variable.startIndex else {
                throw .writeServiceTable(field: "env", value: variable, reason: "expected NAME=VALUE")
            }
            out += "  env " + (try line(variable, "env")) + "\n"
        }
        if let device = service.device {
            out += "  device " + (try path(device.path, "device")) + " timeout-ms \(device.timeoutMilliseconds)\n"
        }
        guard service.maxRestarts >= 0 else {
            throw .writeServiceTable(field: "restart max", value: "\(service.maxRestarts)", reason: "must not be negative")
        }
        guard service.backoffMilliseconds <= service.maxBackoffMilliseconds else {
            throw .writeServiceTable(field: "restart backoff-ms", value: "\(service.backoffMilliseconds)",
                                     reason: "larger than max-backoff-ms \(service.maxBackoffMilliseconds)")
        }
        out += "  restart " + service.restart.rawValue + " max \(service.maxRestarts) backoff-ms \(service.backoffMilliseconds) max-backoff-ms \(service.maxBackoffMilliseconds)\n"
        out += "  stop-timeout-ms \(service.stopTimeoutMilliseconds)\n"
        out += "  ready " + service.readiness.rawValue + "\n"
        out += "end\n"
        return out
    }

    static func write(_ plan: ControlPlan, role: InitRole) throws(InitError) -> String {
        let defaults = ControlPlan()
        if role == .domd {
            guard plan.isEmpty && plan.xl == defaults.xl && plan.xenstoreRead == defaults.xenstoreRead
                    && plan.xenstoreChmod == defaults.xenstoreChmod && plan.xenstoreWrite == defaults.xenstoreWrite else {
                throw .writeServiceTable(field: "role", value: role.rawValue, reason: "a DomD table cannot carry a control plan (domd, await, guest, xl, boot-partition)")
            }
            return ""
        }
        var out = "xl " + (try path(plan.xl, "xl")) + "\n"
        out += "xenstore-read " + (try path(plan.xenstoreRead, "xenstore-read")) + "\n"
        out += "xenstore-chmod " + (try path(plan.xenstoreChmod, "xenstore-chmod")) + "\n"
        out += "xenstore-write " + (try path(plan.xenstoreWrite, "xenstore-write")) + "\n"
        if let boot = plan.bootPartition {
            try name(boot.name, "boot-partition")
            try name(boot.filesystem, "boot-partition file system")
            out += "boot-partition " + boot.name + " " + boot.filesystem + " "
                + (try word(try path(boot.mountPoint, "boot-partition"), "boot-partition")) + " wait-ms \(boot.waitMilliseconds)\n"
        }
        if let domd = plan.domd {
            try name(domd.name, "domd")
            out += "domd " + domd.name + " " + (try word(try path(domd.config, "domd"), "domd")) + "\n"
        }
        for backend in plan.awaitedBackends {
            try name(backend, "await")
            out += "await " + backend + "\n"
        }
        out += "await-timeout-ms \(plan.readinessTimeoutMilliseconds)\n"
        for guest in plan.guests { out += "guest " + (try word(try path(guest, "guest"), "guest")) + "\n" }
        for controller in plan.usbControllers {
            try name(controller.guest, "usbctrl")
            guard plan.domd != nil else {
                throw .writeServiceTable(field: "usbctrl", value: controller.guest,
                                         reason: "USB controllers are placed only in a separate DomD (xl places them in dom0)")
            }
            guard controller.devid >= 0 && controller.devid < 1024, controller.version == 1 || controller.version == 2,
                  controller.ports >= 1 && controller.ports <= 31 else {
                throw .writeServiceTable(field: "usbctrl", value: "\(controller.devid) \(controller.version) \(controller.ports)",
                                         reason: "needs devid 0...1023, USB version 1 or 2 and 1...31 ports")
            }
            out += "usbctrl " + controller.guest + " \(controller.devid) \(controller.version) \(controller.ports)\n"
        }
        return out
    }
}

private func name(_ value: String, _ field: String) throws(InitError) {
    guard isValidName(value) else {
        throw .writeServiceTable(field: field, value: value, reason: "names may hold only letters, digits, '-', '_', '.'")
    }
}

private func line(_ value: String, _ field: String) throws(InitError) -> String {
    for byte in value.utf8 where byte == 0x0A || byte == 0x0D || byte == 0 {
        throw .writeServiceTable(field: field, value: value, reason: "values cannot contain line breaks or NUL")
    }
    return value
}

private func word(_ value: String, _ field: String) throws(InitError) -> String {
    _ = try line(value, field)
    guard !value.isEmpty else { throw .writeServiceTable(field: field, value: value, reason: "cannot be empty") }
    for byte in value.utf8 where byte == 0x20 || byte == 0x09 {
        throw .writeServiceTable(field: field, value: value, reason: "cannot contain spaces (use a service 'arg' line for such values)")
    }
    return value
}

private func path(_ value: String, _ field: String) throws(InitError) -> String {
    let checked = try word(value, field)
    guard checked.hasPrefix("/") else { throw .writeServiceTable(field: field, value: value, reason: "must be an absolute path") }
    return checked
}
