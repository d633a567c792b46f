// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DebianPackages
import Foundation
import RootfsAssembly

/// The license texts a rootfs carries (what GPL redistribution asks for): the
/// `/usr/share/doc/<pkg>/copyright` file of every Debian package the tree draws
/// a file from, and driverdom's own notice for its executables.
///
/// Deduplicated: a package whose doc folder links to another package's (as
/// libgcc-s1 → gcc-12-base) gets that link; a package whose copyright file is
/// byte-identical to one already carried (Xen's libraries) gets a symlink to it.
enum LicenseTexts {
    /// Origin of the entries in the size report and the manifest.
    static let origin = "license texts"
    /// Where driverdom's own notice goes.
    static let driverdomNotice = "/usr/share/doc/driverdom/copyright"

    /// Adds the texts for everything in `composer`'s tree so far.
    static func add(to composer: inout RootfsComposer, _ session: BuildSession, _ context: StepContext) throws {
        let fetched = try session.fetched()
        let facts = DebFacts(cache: session.toolCache.appendingPathComponent("deb-contents"), tools: context.tools)
        let contents = try PackageContents(fetched, facts: facts)
        let reader = PackageLicenseReader(lock: fetched.lock, files: fetched.files, facts: facts)
        var packages: [String: LockedPackage] = [:]
        for entry in composer.tree.sortedEntries() where !entry.isDirectory {
            if let owner = contents.owner(of: entry.path, symlinkTarget: entry.symlinkTarget) { packages[owner.name] = owner }
        }
        var carried: [Data: String] = [:]
        var linkedFolders: Set<String> = []
        for name in packages.keys.sorted() {
            guard let (owner, text) = try reader.copyright(of: packages[name]!) else { continue }
            let folder = "/usr/share/doc/" + owner.name
            if owner.name != name {
                if linkedFolders.insert(name).inserted, composer.tree.entry(at: "/usr/share/doc/" + name) == nil {
                    try composer.addSymlink("/usr/share/doc/" + name, target: owner.name, origin: origin)
                }
            }
            guard composer.tree.entry(at: folder + "/copyright") == nil else { continue }
            if let first = carried[text], first != owner.name {
                try composer.addSymlink(folder + "/copyright", target: "../\(first)/copyright", origin: origin)
            } else {
                try composer.addFile(folder + "/copyright", bytes: Array(text), origin: origin)
                carried[text] = owner.name
            }
        }
        try composer.addFile(driverdomNotice, bytes: Array(try driverdomNotice(session.packageRoot)), origin: origin)
    }

    /// driverdom's LICENSE followed by the license texts of its device code.
    static func driverdomNotice(_ packageRoot: URL) throws -> Data {
        var text = try Data(contentsOf: packageRoot.appendingPathComponent("LICENSE"))
        for name in ["GPL-2.0-only", "MIT"] {
            text.append(Data("\n\n==> LICENSES/\(name).txt <==\n\n".utf8))
            text.append(try Data(contentsOf: packageRoot.appendingPathComponent("LICENSES/\(name).txt")))
        }
        return text
    }
}
