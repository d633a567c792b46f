// SPDX-License-Identifier: Apache-2.0

/// Decodes a board's `flash:` block: sector size, partition table, storage
/// modules, partitions.
///
/// Rules: the sector size is a power of two from 512 to 4096; partition names are
/// unique; only the last partition may have size `auto`.
struct FlashDecoder {
    let sink: DiagnosticSink

    func decode(_ value: YAMLValue) -> FlashLayout? {
        let before = sink.count
        guard let map = value.mapping("'flash'", keys: ["sector_size", "partition_table", "storage_modules", "partitions"]) else {
            return nil
        }
        let sectorValue = map.required("sector_size")
        let sectorSize = sectorValue?.int()
        if let sectorSize, ![512, 1024, 2048, 4096].contains(sectorSize) {
            sectorValue?.error("invalid sector size \(sectorSize) (expected 512, 1024, 2048 or 4096)")
        }
        let table = map.optional("partition_table")?.choice(FlashLayout.Table.self,
                                                            problem: "unknown partition table") ?? .gpt
        var storageModules: [String] = []
        if let value = map.optional("storage_modules") {
            for item in value.sequence() ?? [] {
                guard let module = item.string() else { continue }
                if module.isEmpty || !module.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0)
                        || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
                    item.error("invalid kernel module name '\(module)' (letters, digits, '-' and '_')")
                }
                storageModules.append(module)
            }
        }
        var partitions: [FlashPartition] = []
        var seen: [String: SourceLocation] = [:]
        let items = map.required("partitions")?.sequence() ?? []
        for (index, item) in items.enumerated() {
            guard let partition = decodePartition(item, isLast: index == items.count - 1) else { continue }
            if let first = seen[partition.name] {
                item.error("duplicate partition name '\(partition.name)' (first at line \(first.line))")
            }
            seen[partition.name] = seen[partition.name] ?? item.location
            partitions.append(partition)
        }
        guard sink.count == before, let sectorSize else { return nil }
        return FlashLayout(table: table, sectorSize: sectorSize, partitions: partitions, storageModules: storageModules)
    }

    private func decodePartition(_ item: YAMLValue, isLast: Bool) -> FlashPartition? {
        guard let map = item.mapping(BoardDeviceDecoder.named("partition", item.peek("name")), keys: ["name", "size", "filesystem", "contents"]) else {
            return nil
        }
        let name = map.required("name")?.string()
        var size: FlashPartition.Size?
        if let sizeValue = map.required("size") {
            if case .scalar(let scalar) = sizeValue.node, scalar.string == "auto" {
                size = .auto
                if !isLast { sizeValue.error("only the last partition may have size 'auto'") }
            } else if let bytes = sizeValue.byteCount() {
                size = .fixed(bytes)
                if bytes.bytes == 0 { sizeValue.error("partition size must be greater than 0") }
            }
        }
        let filesystem = map.required("filesystem")?.choice(FlashPartition.Filesystem.self,
                                                            problem: "unknown filesystem")
        let contents = map.required("contents")?.choice(FlashPartition.Contents.self,
                                                        problem: "unknown partition contents")
        guard let name, let size, let filesystem, let contents else { return nil }
        return FlashPartition(name: name, size: size, filesystem: filesystem, contents: contents)
    }
}
