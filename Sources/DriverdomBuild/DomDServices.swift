// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomConfig

/// Turns an image's layer bindings into the DomD init's service table (written
/// with DomDInit's own writer, so what the build writes is what the init parses).
///
/// Per binding: one service named after the layer, running
/// `/usr/bin/<backend executable>` with its options (sorted by name, each by its
/// layer-declared `argument:`): a true bool as the flag alone, a false bool left
/// out, anything else as `FLAG VALUE`; then the guest binds as `--bind …`
/// (vsnd streams, vdispl connectors, vkbs by unique-id, USB ports); then each
/// bound device's DomD facts the layer's `backend.device_arguments` names, in
/// its order: positional (unless a guest bind names it; the service waits for
/// the first `/dev/` one) or `FLAG VALUE` per value. Kernel modules: each layer's, then the bound devices' `provided_by`
/// or `passthrough.modules`, in binding order, each once.
package enum DomDServices {
    /// Where backends are installed in the DomD rootfs.
    package static let backendFolder = "/usr/bin"
    /// How long a backend waits for its device node before the init gives up on it.
    package static let deviceTimeoutMilliseconds: UInt64 = 10_000

    /// The kernel modules DomD loads for `bindings`, in load order, each once.
    package static func modules(for bindings: [ResolvedBinding]) -> [String] {
        var result: [String] = []
        for binding in bindings {
            for module in binding.layer.modules + binding.devices.flatMap(\.domdModules)
            where !result.contains(module) {
                result.append(module)
            }
        }
        return result
    }

    /// One guest endpoint and the DomD endpoint serving it, keyed by who may
    /// use it, as the backends take it: a vsnd stream of a guest, its direction
    /// and the ALSA PCM it plays to or records from (`--bind GUEST UNIQUE-ID p|c PCM`),
    /// or a vdispl connector of a guest and the DRM connector showing it
    /// (`--bind GUEST UNIQUE-ID CONNECTOR`). The guest is its domain name.
    package struct GuestBind: Sendable, Hashable {
        /// The guest the bind is for; nil for a vkb, whose `unique-id` libxl writes
        /// into the backend's own directory (no guest can claim another's).
        package var guest: String?
        package var id: String
        /// `p` or `c` for a sound stream; nil for a display connector.
        package var direction: String?
        package var target: String

        package init(guest: String?, id: String, direction: String? = nil, target: String) {
            self.guest = guest
            self.id = id
            self.direction = direction
            self.target = target
        }

        /// The backend arguments of this bind.
        package var arguments: [String] {
            ["--bind"] + (guest.map { [$0] } ?? []) + [id] + (direction.map { [$0] } ?? []) + [target]
        }
    }

    /// Every guest stream served from the board sound device `device`, in image order;
    /// a stream without its own `alsa_pcm` uses the device's first PCM.
    package static func soundStreams(of configuration: Configuration, device: String) -> [GuestBind] {
        configuration.image.guests.flatMap { guest in
            guest.vsnd.filter { $0.device == device }.flatMap { card in
                card.pcms.flatMap(\.streams).compactMap { stream in
                    configuration.alsaPCM(of: stream, in: card).map {
                        GuestBind(guest: guest.name, id: stream.id, direction: stream.direction == .playback ? "p" : "c",
                                  target: $0)
                    }
                }
            }
        }
    }

    /// Every guest vdispl connector shown on the board display device `device`, in image order.
    package static func displayConnectors(of configuration: Configuration, device: String) -> [GuestBind] {
        configuration.image.guests.flatMap { guest in
            guest.vdispl.filter { $0.device == device }.flatMap { display in
                display.connectors.compactMap { connector in
                    configuration.drmConnector(of: connector, in: display).map {
                        GuestBind(guest: guest.name, id: connector.id, target: $0)
                    }
                }
            }
        }
    }

    /// Every guest vkb served from the board input device `device`, in image order,
    /// with the evdev node it reads (the backend matches the vkb's `unique-id`).
    package static func keyboards(of configuration: Configuration, device: String) -> [GuestBind] {
        guard case .input(let node)? = configuration.board.device(id: device)?.domd else { return [] }
        return configuration.image.guests.flatMap { guest in
            guest.vkb.filter { $0.device == device }.map { GuestBind(guest: nil, id: $0.id, target: node) }
        }
    }

    /// Every guest USB port given a host device of the board USB controller `device`,
    /// in image order, as the usbif backend takes it: `--bind GUEST DEVID PORT VALUE`
    /// (the controller's devid is its index in the guest's `usbctrl`, as xl numbers
    /// them; VALUE a bus path or vendor:product). The backend writes the port's
    /// `port/N`. Devices named by hostbus/hostaddr are xl's `usbdev` (dom0 only).
    package static func usbPorts(of configuration: Configuration, device: String) -> [GuestBind] {
        configuration.image.guests.flatMap { guest in
            guest.usbctrl.enumerated().filter { $0.element.device == device }.flatMap { index, controller in
                controller.devices.compactMap { usb in
                    usb.match.backendValue.map {
                        GuestBind(guest: guest.name, id: String(index), direction: String(usb.port), target: $0)
                    }
                }
            }
        }
    }

    /// The guest binds (sound streams, display connectors, vkbs, USB ports) of every device a binding serves.
    package static func guestBinds(of configuration: Configuration, binding: ResolvedBinding) -> [GuestBind] {
        binding.devices.flatMap {
            soundStreams(of: configuration, device: $0.id) + displayConnectors(of: configuration, device: $0.id)
                + keyboards(of: configuration, device: $0.id) + usbPorts(of: configuration, device: $0.id)
        }
    }

    /// The service of one binding. Guest sound streams and display connectors
    /// become `--bind` entries keyed by guest (and direction); a stream or
    /// connector no entry names is refused by its backend, so a sound device
    /// passes no default PCM; other devices pass their DomD facts.
    package static func service(for binding: ResolvedBinding, guestBinds: [GuestBind] = []) -> ServiceSpec {
        var arguments: [String] = []
        for option in binding.layer.options.sorted(by: { $0.name < $1.name }) {
            arguments += option.arguments(for: binding.options[option.name] ?? option.defaultValue)
        }
        var device: DeviceWait?
        for bind in guestBinds { arguments += bind.arguments }
        for boardDevice in binding.devices {
            for mapping in binding.layer.factArguments {
                for value in boardDevice.domd.values(of: mapping.fact) {
                    switch mapping.argument {
                    case .positional:
                        // A node the guest binds already name (vkb unique-id → evdev node) is not repeated.
                        if !guestBinds.contains(where: { $0.target == value }) { arguments.append(value) }
                        if device == nil, value.hasPrefix("/dev/") {
                            device = DeviceWait(path: value, timeoutMilliseconds: deviceTimeoutMilliseconds)
                        }
                    case .flag(let flag):
                        arguments += [flag, value]
                    }
                }
            }
        }
        return ServiceSpec(name: binding.layer.name, program: backendFolder + "/" + binding.layer.executable,
                           arguments: arguments, device: device)
    }

    /// xenstore-write of Debian's xenstore-utils, with which a separate DomD's
    /// init reports each backend's readiness to the control domain.
    package static let xenstoreWrite = "/usr/bin/xenstore-write"

    /// How DomD reports readiness: in xenstore when it is a separate domain
    /// (the control domain waits for it there), on the console when it is dom0.
    package static func readiness(for mode: DriverDomain.Mode) -> ReadinessPublishing {
        mode == .separate ? .xenstoreWrite(program: xenstoreWrite) : .console
    }

    /// The Xen balloon's target in DomD's sysfs (KiB of populated RAM).
    package static let balloonTarget = "/sys/devices/system/xen_memory/xen_memory0/target_kb"

    /// Kernel settings DomD's init writes at boot. A separate DomD is created with
    /// `memory + grant_frames` (see `DomDConfigWriter`); setting the balloon's
    /// target to `memory` makes DomD hand `grant_frames` back to Xen at boot, so
    /// the pages gntdev maps guests' grants into come from that ballooned reserve.
    /// Without it (Debian's arm64 kernel has no XEN_UNPOPULATED_ALLOC) the balloon
    /// driver later hot-adds memory below DomD's RAM for them, and arm64's
    /// vmemmap_populate warns (arch/arm64/mm/mmu.c).
    package static func settings(for domd: DriverDomain) -> [KernelSetting] {
        guard domd.mode == .separate, domd.grantFrames.bytes > 0 else { return [] }
        return [KernelSetting(path: balloonTarget, value: String(domd.memory.bytes >> 10))]
    }

    /// The whole DomD table for `bindings`.
    package static func table(for bindings: [ResolvedBinding], mode: DriverDomain.Mode = .dom0,
                             guestBinds: [String: [GuestBind]] = [:],
                             settings: [KernelSetting] = []) -> ServiceTable {
        // DomD has no modprobe: its init loads modules itself, following modules.dep.
        ServiceTable(role: .domd, modprobe: ServiceTable.initLoadsModules,
                     modules: modules(for: bindings).map { ModuleSpec(name: $0) },
                     settings: settings,
                     readiness: readiness(for: mode),
                     services: bindings.map { service(for: $0, guestBinds: guestBinds[$0.layer.name] ?? []) })
    }

    /// The whole DomD table of a configuration, guest binds included.
    package static func table(for configuration: Configuration) -> ServiceTable {
        table(for: configuration.bindings, mode: configuration.image.driverDomain.mode,
              guestBinds: bindsByLayer(of: configuration),
              settings: settings(for: configuration.image.driverDomain))
    }

    /// Each binding's guest binds (sound streams, display connectors), keyed by layer name.
    package static func bindsByLayer(of configuration: Configuration) -> [String: [GuestBind]] {
        var result: [String: [GuestBind]] = [:]
        for binding in configuration.bindings {
            let streams = guestBinds(of: configuration, binding: binding)
            if !streams.isEmpty { result[binding.layer.name] = streams }
        }
        return result
    }

    /// The table as the text the init reads.
    package static func text(for bindings: [ResolvedBinding], mode: DriverDomain.Mode = .dom0,
                            guestBinds: [String: [GuestBind]] = [:]) throws(BuildError) -> String {
        try text(of: table(for: bindings, mode: mode, guestBinds: guestBinds))
    }

    /// The whole table of a configuration as the text the init reads.
    package static func text(for configuration: Configuration) throws(BuildError) -> String {
        try text(of: table(for: configuration))
    }

    static func text(of table: ServiceTable) throws(BuildError) -> String {
        do {
            return try ServiceTableWriter.write(table)
        } catch {
            throw .writeServiceTableFailed(reason: "\(error)")
        }
    }
}
