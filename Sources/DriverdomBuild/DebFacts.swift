// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import Foundation

/// What driverdom reads out of a verified .deb without unpacking it: its file
/// listing (`dpkg-deb -c`), its control fields (`dpkg-deb -f`) and single
/// members (`dpkg-deb --fsys-tarfile | tar -xO`). Each answer is kept in
/// `cache` under the package's SHA256, so it is read from the archive once.
struct DebFacts: Sendable {
    /// Folder of the remembered answers (in the build cache).
    let cache: URL
    /// Runs dpkg-deb and tar.
    let tools: any ToolRunner

    /// The `dpkg-deb -c` listing of `package`'s `deb`.
    func listing(_ package: LockedPackage, deb: URL) throws -> String {
        try remembered(package, suffix: ".txt") {
            try tools.run(ToolCommand("dpkg-deb", ["-c", deb.path])).standardOutput
        }.text
    }

    /// The control fields `Package`, `Version` and `Source` of `package`'s `deb`.
    func control(_ package: LockedPackage, deb: URL) throws -> ControlStanza {
        let data = try remembered(package, suffix: ".control") {
            try tools.run(ToolCommand("dpkg-deb", ["-f", deb.path, "Package", "Version", "Source"])).standardOutput
        }
        return ControlStanza.parseAll(data.text).first ?? ControlStanza.parseAll("Package: \(package.name)\n")[0]
    }

    /// The bytes of member `path` (`./usr/…`) of `package`'s `deb`, nil when it has none.
    func member(_ path: String, of package: LockedPackage, deb: URL) throws -> Data? {
        let key = ".member-" + KeyHasher.sha256(Data(path.utf8)).prefix(16)
        let data = try remembered(package, suffix: key) {
            let result = try tools.run(ToolCommand("sh", ["-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\"",
                                                          "sh", deb.path, path]), allowFailure: true)
            // A marker byte tells "absent" from "empty" in the remembered file.
            return result.status == 0 ? Data([1]) + result.standardOutput : Data([0])
        }
        guard data.first == 1 else { return nil }
        return data.dropFirst()
    }

    private func remembered(_ package: LockedPackage, suffix: String, make: () throws -> Data) throws -> Data {
        let file = cache.appendingPathComponent(package.sha256 + suffix)
        if let data = try? Data(contentsOf: file) { return data }
        let data = try make()
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let temporary = cache.appendingPathComponent(".tmp-\(UUID().uuidString)")
        try data.write(to: temporary)
        if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        return data
    }
}

extension Data {
    /// The bytes as UTF-8 text (invalid sequences replaced).
    var text: String { String(decoding: self, as: UTF8.self) }
}
