// SPDX-License-Identifier: Apache-2.0

/// Decodes and validates a board file's root node into a `Board`.
///
/// Rules checked here: required keys, types, unknown keys, supported format and
/// architecture, the name matching the file name, load addresses inside RAM,
/// partition layout, and (in `BoardDeviceDecoder`) device ids, classes, `domd`
/// keys per class and overlapping `reg` ranges.
struct BoardDecoder {
    let sink: DiagnosticSink

    static let keys = ["format", "name", "description", "architecture", "soc", "dtb", "dtb_source", "ram",
                       "console", "boot", "flash", "devices", "domd_direct_map"]

    /// The board, or nil if the file had any violation (all of them are recorded).
    func decode(_ root: YAMLValue, fileName: String) -> Board? {
        let before = sink.count
        guard let map = root.mapping("board file", keys: Self.keys), YAMLDocument.checkFormat(map) else {
            return nil
        }
        let nameValue = map.required("name")
        let name = nameValue?.string()
        if let name, let nameValue, name != fileName {
            nameValue.error("board name '\(name)' does not match its file name '\(fileName).yaml'")
        }
        let description = map.optional("description")?.string() ?? ""
        let architecture = map.required("architecture")?.choice(Architecture.self, problem: "unsupported architecture")
        let soc = map.required("soc")?.string()
        let dtb = map.optional("dtb").flatMap { value -> String? in
            guard let text = value.string() else { return nil }
            if !text.hasSuffix(".dtb") { value.error("expected a .dtb file name for 'dtb', got '\(text)'") }
            return text
        }
        let dtbSourceValue = map.optional("dtb_source")
        let dtbSource = dtbSourceValue?.choice(DTBSource.self, problem: "unknown dtb_source")
        if let dtbSourceValue, dtb == nil {
            dtbSourceValue.error("'dtb_source' needs a 'dtb' to take from it")
        }
        let banks = map.required("ram").flatMap(decodeRAM)
        let ram = banks?.0
        let console = map.required("console").flatMap(decodeConsole)
        let boot = map.required("boot").flatMap { decodeBoot($0, ram: ram) }
        let flash = map.required("flash").flatMap { FlashDecoder(sink: sink).decode($0) }
        let devices = map.required("devices").flatMap { BoardDeviceDecoder(sink: sink).decodeAll($0) }
        let directMap = map.optional("domd_direct_map")?.bool() ?? false

        guard sink.count == before, let name, let architecture, let soc, let ram, let console,
              let boot, let flash, let devices else { return nil }
        var board = Board(name: name, description: description, architecture: architecture, soc: soc,
                          dtb: dtb, ram: ram, console: console, boot: boot, flash: flash,
                          devices: devices, location: map.location)
        board.moreRAM = banks?.1 ?? []
        board.dtbSource = dtbSource ?? .kernelPackage
        board.domdDirectMap = directMap
        return board
    }

    /// `ram:` — the boot bank (`base`, `size`) and optional `more_banks`.
    private func decodeRAM(_ value: YAMLValue) -> (MemoryRegion, [MemoryRegion])? {
        guard let map = value.mapping("'ram'", keys: ["base", "size", "more_banks"]) else { return nil }
        let first = decodeBank(map)
        let more = map.optional("more_banks")?.sequence()?.compactMap { bank -> MemoryRegion? in
            bank.mapping("'more_banks' item", keys: ["base", "size"]).flatMap(decodeBank)
        } ?? []
        return first.map { ($0, more) }
    }

    private func decodeBank(_ map: YAMLMap) -> MemoryRegion? {
        let base = map.required("base")?.address()
        let sizeValue = map.required("size")
        let size = sizeValue?.byteCount()
        if let size, size.bytes == 0 { sizeValue?.error("RAM size must be greater than 0") }
        guard let base, let size else { return nil }
        return MemoryRegion(base: base, size: size)
    }

    private func decodeConsole(_ value: YAMLValue) -> BoardConsole? {
        guard let map = value.mapping("'console'", keys: ["uart", "linux"]) else { return nil }
        let uartValue = map.required("uart")
        let uart = uartValue?.string()
        if let uart, !uart.hasPrefix("/") {
            uartValue?.error("expected a device-tree path starting with '/' for 'uart', got '\(uart)'")
        }
        let linux = map.required("linux")?.string()
        guard let uart, let linux else { return nil }
        return BoardConsole(uart: uart, linux: linux)
    }

    private func decodeBoot(_ value: YAMLValue, ram: MemoryRegion?) -> BootFacts? {
        let keys = ["loader", "xen", "kernel", "ramdisk", "dtb", "boot_device", "preboot"]
        guard let map = value.mapping("'boot'", keys: keys) else { return nil }
        let loader = map.required("loader")?.choice(BootFacts.Loader.self, problem: "unknown boot loader")
        var addresses: [String: UInt64] = [:]
        for key in ["xen", "kernel", "ramdisk", "dtb"] {
            guard let addressValue = map.required(key), let address = addressValue.address() else { continue }
            addresses[key] = address
            if let ram, address < ram.base || address - ram.base >= ram.size.bytes {
                addressValue.error("load address 0x\(String(address, radix: 16)) for '\(key)' is outside"
                    + " the board's RAM (0x\(String(ram.base, radix: 16)) + \(ram.size))")
            }
        }
        let bootDevice = map.optional("boot_device")?.string()
        let preboot = map.optional("preboot")?.strings() ?? []
        if loader == .qemu {
            for key in ["boot_device", "preboot"] where map.has(key) {
                sink.error("'\(key)' applies only to boot loader u-boot, not qemu", at: map.keyLocation(key))
            }
        }
        if loader == .uBoot, !map.has("boot_device") {
            sink.error("missing required key 'boot_device' in 'boot' (u-boot needs the storage holding"
                + " the boot partition, e.g. 'mmc 0:1')", at: map.location)
        }
        guard let loader, let xen = addresses["xen"], let kernel = addresses["kernel"],
              let ramdisk = addresses["ramdisk"], let dtb = addresses["dtb"] else { return nil }
        return BootFacts(loader: loader, xen: xen, kernel: kernel, ramdisk: ramdisk, dtb: dtb,
                         bootDevice: bootDevice, preboot: preboot)
    }
}
