// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

@Suite("Service table format")
struct ServiceTableTests {
    static let domdTable = ServiceTable(
        role: .domd,
        modules: [ModuleSpec(name: "uinput"), ModuleSpec(name: "snd-aloop", parameters: ["index=0", "pcm_substreams=2"])],
        directories: ["/run/driverdom"],
        settings: [KernelSetting(path: "/sys/devices/system/xen_memory/xen_memory0/target_kb", value: "262144")],
        commands: [CommandSpec(program: "/bin/true", arguments: ["a", "b"])],
        readiness: .xenstoreWrite(program: "/usr/bin/xenstore-write"),
        services: [
            ServiceSpec(name: "kbdif", program: "/usr/bin/kbdif-backend",
                        arguments: ["--input", "/dev/input/event0", "a value with  spaces", ""],
                        environment: ["LOG=debug", "X=a=b"],
                        device: DeviceWait(path: "/dev/input/event0", timeoutMilliseconds: 5_000),
                        restart: .always, maxRestarts: 7, backoffMilliseconds: 50, maxBackoffMilliseconds: 800,
                        stopTimeoutMilliseconds: 1_500, readiness: .pipe),
            ServiceSpec(name: "sndif", program: "/usr/bin/sndif-backend", restart: .never, readiness: .onStart),
        ])

    @Test("a DomD table written by the writer parses back to the same table")
    func domdRoundTrip() throws {
        let text = try ServiceTableWriter.write(Self.domdTable)
        #expect(try ServiceTableParser.parse(text) == Self.domdTable)
    }

    @Test("a control table written by the writer parses back to the same table")
    func controlRoundTrip() throws {
        var table = ServiceTable.xenControl(domd: DomainSpec(name: "DomD", config: "/etc/xen/domd.cfg"),
                                            awaitedBackends: ["kbdif", "sndif"],
                                            guests: ["/etc/xen/guest1.cfg", "/etc/xen/guest2.cfg"],
                                            readinessTimeoutMilliseconds: 90_000,
                                            bootPartition: BootPartitionSpec(name: "boot", filesystem: "vfat",
                                                                             mountPoint: "/boot", waitMilliseconds: 15_000),
                                            storageModules: ["virtio_mmio", "virtio_blk", "vfat"])
        table.readiness = .file(directory: "/run/driverdom")
        let text = try ServiceTableWriter.write(table)
        #expect(try ServiceTableParser.parse(text) == table)
        #expect(text.contains("boot-partition boot vfat /boot wait-ms 15000\n"))
        #expect(table.modules.prefix(3).map(\.name) == ["virtio_mmio", "virtio_blk", "vfat"])
        #expect(text.contains("run /usr/lib/xen-4.17/bin/xenconsoled --log=guest --log-dir=/var/log/xen/console\n"))
    }

    @Test("a hand-written table with comments, blank lines and CRLF parses with defaults")
    func handWritten() throws {
        let text = "# comment\r\n\r\ndriverdom-services 1\r\nrole domd\r\n  # indented comment\nservice kbdif\n\texec /usr/bin/kbdif\nend\n"
        let table = try ServiceTableParser.parse(text)
        #expect(table.role == .domd)
        #expect(table.modprobe == "/sbin/modprobe")
        #expect(table.readiness == .console)
        #expect(table.services == [ServiceSpec(name: "kbdif", program: "/usr/bin/kbdif")])
    }

    @Test("parse errors carry the line number and say what is wrong", arguments: [
        ("", 1, "empty table"),
        ("role domd\n", 1, "expected 'driverdom-services 1'"),
        ("driverdom-services 2\nrole domd\n", 1, "unsupported format version"),
        ("driverdom-services 1\n", 1, "no 'role'"),
        ("driverdom-services 1\nrole domd\nrole domd\n", 3, "'role' given twice"),
        ("driverdom-services 1\nrole dom0\n", 2, "unknown role 'dom0'"),
        ("driverdom-services 1\nrole domd\nfrobnicate x\n", 3, "unknown directive 'frobnicate'"),
        ("driverdom-services 1\nrole domd\nmodule\n", 3, "'module' needs a module name"),
        ("driverdom-services 1\nrole domd\ndirectory var/run\n", 3, "not an absolute path"),
        ("driverdom-services 1\nrole domd\nservice a\n  exec /a\n", 3, "not closed with 'end'"),
        ("driverdom-services 1\nrole domd\n\nservice a\n  arg x\nend\n", 4, "has no 'exec' line"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\n device /dev/x timeout-ms soon\nend\n", 5, "'soon' is not a non-negative whole number"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\n restart sometimes max 1 backoff-ms 1 max-backoff-ms 2\nend\n", 5, "unknown restart policy 'sometimes'"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\n restart always max 1 backoff-ms 9 max-backoff-ms 2\nend\n", 5, "larger than max-backoff-ms"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\n colour blue\nend\n", 5, "unknown service directive 'colour'"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\n env =x\nend\n", 5, "'env' needs NAME=VALUE"),
        ("driverdom-services 1\nrole domd\nservice a\n exec /a\nend\nservice a\n exec /b\nend\n", 6, "defined twice"),
        ("driverdom-services 1\nrole domd\nservice a/b\n", 3, "not a valid name"),
        ("driverdom-services 1\nrole domd\nend\n", 3, "'end' outside a service stanza"),
        ("driverdom-services 1\nrole domd\nguest /etc/xen/g.cfg\n", 3, "belongs to 'role control'"),
        ("driverdom-services 1\nrole control\ndomd DomD\n", 3, "'domd' needs a domain name and an xl.cfg path"),
        ("driverdom-services 1\nrole domd\nreadiness xenstore\n", 3, "'readiness' needs"),
        ("driverdom-services 1\nrole domd\nset /sys/x\n", 3, "'set' needs a file path and one value"),
        ("driverdom-services 1\nrole domd\nset sys/x 1\n", 3, "not an absolute path"),
        ("driverdom-services 1\nrole control\nboot-partition boot vfat /boot\n", 3, "'boot-partition' needs 'NAME FSTYPE /MOUNT wait-ms N'"),
        ("driverdom-services 1\nrole control\nboot-partition boot vfat boot wait-ms 1\n", 3, "not an absolute path"),
        ("driverdom-services 1\nrole control\nboot-partition boot vfat /boot wait-ms 1\nboot-partition b ext4 /b wait-ms 1\n", 4, "'boot-partition' given twice"),
        ("driverdom-services 1\nrole domd\nboot-partition boot vfat /boot wait-ms 1\n", 3, "belongs to 'role control'"),
    ] as [(String, Int, String)])
    func parseErrors(text: String, line: Int, reason: String) {
        #expect {
            try ServiceTableParser.parse(text)
        } throws: { error in
            guard case .parseServiceTable(let errorLine, let errorReason) = error as? InitError else { return false }
            return errorLine == line && errorReason.contains(reason)
        }
    }

    @Test("the writer refuses values the format cannot carry", arguments: [
        ServiceTable(role: .domd, services: [ServiceSpec(name: "a b", program: "/a")]),
        ServiceTable(role: .domd, services: [ServiceSpec(name: "a", program: "relative")]),
        ServiceTable(role: .domd, services: [ServiceSpec(name: "a", program: "/a", arguments: ["two\nlines"])]),
        ServiceTable(role: .domd, services: [ServiceSpec(name: "a", program: "/a", environment: ["NOVALUE"])]),
        ServiceTable(role: .domd, services: [ServiceSpec(name: "a", program: "/a"), ServiceSpec(name: "a", program: "/b")]),
        ServiceTable(role: .domd, commands: [CommandSpec(program: "/bin/sh", arguments: ["-c", "echo hi"])]),
        ServiceTable(role: .domd, control: ControlPlan(guests: ["/etc/xen/g.cfg"])),
        ServiceTable(role: .domd, settings: [KernelSetting(path: "/sys/x", value: "1 2")]),
        ServiceTable(role: .domd, settings: [KernelSetting(path: "sys/x", value: "1")]),
    ])
    func writerRefuses(table: ServiceTable) {
        #expect(throws: InitError.self) { try ServiceTableWriter.write(table) }
    }

    @Test("restart delays double from the backoff and stop at the cap")
    func restartDelays() {
        let spec = ServiceSpec(name: "a", program: "/a", backoffMilliseconds: 100, maxBackoffMilliseconds: 700)
        #expect((1...5).map { spec.restartDelayMilliseconds(forRestart: $0) } == [100, 200, 400, 700, 700])
    }
}
