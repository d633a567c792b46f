// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The entry of one binary package version in a Packages index.
package struct IndexEntry: Equatable, Sendable {
    package var name: String
    package var version: String
    package var architecture: String
    /// Path of the .deb below the mirror root, e.g. `pool/main/g/glibc/libc6_2.36-9_arm64.deb`.
    package var filename: String
    package var size: Int
    package var sha256: String
}

/// Finds the entries of selected packages in a Packages index without parsing the rest.
package enum PackageIndex {
    /// Entries of the packages named in `names` found in `data`, keyed by name
    /// (several versions of a name are all kept).
    package static func entries(in data: Data, named names: Set<String>) -> [String: [IndexEntry]] {
        var found: [String: [IndexEntry]] = [:]
        let marker = Array("Package: ".utf8)
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var offset = 0
            while offset < count {
                // Each paragraph starts at `offset` and ends after the next blank line.
                let end = paragraphEnd(base, from: offset, count: count)
                if end - offset > marker.count, memcmp(base + offset, marker, marker.count) == 0 {
                    let nameStart = offset + marker.count
                    let lineEnd = memchr(base + nameStart, 0x0A, end - nameStart)
                        .map { base.distance(to: UnsafeRawPointer($0)) } ?? end
                    let name = text(base, nameStart, lineEnd)
                    if names.contains(name), let stanza = ControlStanza.parseAll(text(base, offset, end)).first,
                       let entry = entry(from: stanza) {
                        found[name, default: []].append(entry)
                    }
                }
                offset = end
                while offset < count, base.load(fromByteOffset: offset, as: UInt8.self) == 0x0A { offset += 1 }
            }
        }
        return found
    }

    private static func text(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }

    static func entry(from stanza: ControlStanza) -> IndexEntry? {
        guard let name = stanza["Package"], let version = stanza["Version"], let arch = stanza["Architecture"],
              let filename = stanza["Filename"], let size = stanza["Size"].flatMap({ Int($0) }),
              let sha256 = stanza["SHA256"] else { return nil }
        return IndexEntry(name: name, version: version, architecture: arch, filename: filename, size: size,
                          sha256: sha256)
    }

    private static func paragraphEnd(_ base: UnsafeRawPointer, from offset: Int, count: Int) -> Int {
        var position = offset
        while position < count {
            guard let hit = memchr(base + position, 0x0A, count - position) else { return count }
            let newline = base.distance(to: UnsafeRawPointer(hit))
            if newline + 1 >= count || base.load(fromByteOffset: newline + 1, as: UInt8.self) == 0x0A {
                return newline + 1
            }
            position = newline + 1
        }
        return count
    }
}
