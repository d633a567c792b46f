// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// Computes a step's cache key: SHA-256 of a canonical, length-prefixed
/// encoding of its kind, kind version and every input in declared order.
/// File inputs contribute their content hash, step outputs the content hash of
/// that step's output (so an unchanged output does not invalidate dependants).
/// The step id and description are not part of the key.
struct CacheKey {
    static let formatVersion = "driverdom-step-key-1"

    private var hasher = SHA256()
    /// The input files hashed, with the `stat` fields their hash belongs to.
    private(set) var files: [(path: String, status: FileSystem.Status)] = []

    private mutating func field(_ tag: String, _ value: String) {
        for part in [tag, value] {
            let bytes = Array(part.utf8)
            var length = UInt64(bytes.count).littleEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
    }

    /// The key of `step` and the files it hashed. `outputDigest` gives each
    /// dependency's output hash.
    static func compute(for step: Step, hashes: FileHashCache, outputDigest: (StepID) -> String)
        throws -> (key: String, files: [(path: String, status: FileSystem.Status)]) {
        var key = CacheKey()
        key.field("format", formatVersion)
        key.field("kind", step.kind)
        key.field("kind-version", step.kindVersion)
        for input in step.inputs {
            switch input {
            case .file(let path, let label):
                do {
                    key.field("file", label)
                    try key.hashFile(path, hashes: hashes)
                } catch let error as BuildEngineError {
                    throw BuildEngineError.inputUnreadable(step: step.id.rawValue, path: path, reason: error.description)
                }
            case .tree(let path, let label):
                key.field("tree", label)
                try key.tree(path, step: step, hashes: hashes)
            case .value(let name, let value):
                key.field("value", name)
                key.field("is", value)
            case .output(let dependency):
                key.field("output-of", dependency.rawValue)
                key.field("digest", outputDigest(dependency))
            }
        }
        for dependency in step.orderAfter { key.field("after", dependency.rawValue) }
        return (ContentHasher.hex(key.hasher.finalize()), key.files)
    }

    private mutating func hashFile(_ path: String, hashes: FileHashCache) throws {
        let (digest, status) = try hashes.hash(ofFile: path)
        field("sha256", digest)
        files.append((path, status))
    }

    private mutating func tree(_ root: String, step: Step, hashes: FileHashCache) throws {
        guard let st = FileSystem.status(root), st.isDirectory else {
            throw BuildEngineError.inputUnreadable(step: step.id.rawValue, path: root, reason: "not a folder")
        }
        let entries: [TreeWalker.Entry]
        do { entries = try TreeWalker.entries(under: root) } catch let error as BuildEngineError {
            throw BuildEngineError.inputUnreadable(step: step.id.rawValue, path: root, reason: error.description)
        }
        for entry in entries {
            let full = root + "/" + entry.relativePath
            if entry.status.isRegular {
                field(entry.status.isExecutable ? "exec-file" : "file", entry.relativePath)
                try hashFile(full, hashes: hashes)
            } else if entry.status.isSymlink {
                field("symlink", entry.relativePath)
                field("target", try TreeWalker.linkTarget(full))
            } else if entry.status.isDirectory {
                field("folder", entry.relativePath)
            }
        }
    }
}
