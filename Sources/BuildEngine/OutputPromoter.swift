// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts a build's exports into the output folder atomically: everything is
/// copied into `<out>.tmp-<pid>`, then swapped with `<out>` by
/// `renameat2(RENAME_EXCHANGE)` (or, where unsupported, `<out>` is renamed
/// aside first and restored if the second rename fails). A failed or killed
/// build therefore leaves the previous output intact. A state file
/// (`.driverdom-output.json`) records what was exported; when nothing changed
/// and the files are untouched, promotion is skipped (no-op builds copy nothing).
enum OutputPromoter {
    static let stateFile = ".driverdom-output.json"

    struct State: Codable, Equatable {
        struct Export: Codable, Equatable { var step: String; var path: String; var destination: String; var digest: String }
        struct File: Codable, Equatable { var path: String; var size: Int64; var mtime: Int64 }
        var exports: [Export]
        var files: [File]
    }

    /// Promotes `exports`; throws `interrupted` (leaving `output` untouched)
    /// if `isCancelled` turns true before the swap.
    static func promote(_ exports: [OutputExport], entries: [StepID: CacheStore.Entry], to output: String,
                        isCancelled: () -> Bool = { false }) throws {
        let wanted = exports.map {
            State.Export(step: $0.step.rawValue, path: $0.path, destination: $0.destination,
                         digest: entries[$0.step]!.manifest.digest)
        }
        if let current = currentState(output), current.exports == wanted, filesUnchanged(current.files, in: output) {
            return
        }
        try removeStaleSiblings(of: output)
        let parent = (output as NSString).deletingLastPathComponent
        if !parent.isEmpty { try FileSystem.makeDirectory(parent) }
        let temporary = output + ".tmp-\(getpid())"
        try FileSystem.remove(temporary)
        try FileSystem.makeDirectory(temporary)
        do {
            for export in exports {
                if isCancelled() { throw BuildEngineError.interrupted }
                let source = entries[export.step]!.outputDirectory.path + (export.path.isEmpty ? "" : "/" + export.path)
                guard FileSystem.status(source) != nil else {
                    throw BuildEngineError.exportPathMissing(step: export.step.rawValue, path: export.path)
                }
                try TreeCopier.copy(source, to: temporary + (export.destination.isEmpty ? "" : "/" + export.destination))
            }
            let files = try TreeWalker.entries(under: temporary).filter { $0.status.isRegular }.map {
                State.File(path: $0.relativePath, size: $0.status.size, mtime: $0.status.mtimeNanoseconds)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try FileSystem.writeFile(temporary + "/" + stateFile, try encoder.encode(State(exports: wanted, files: files)))
            if isCancelled() { throw BuildEngineError.interrupted }
            try swap(temporary, into: output)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
    }

    private static func currentState(_ output: String) -> State? {
        guard let data = FileManager.default.contents(atPath: output + "/" + stateFile) else { return nil }
        return try? JSONDecoder().decode(State.self, from: data)
    }

    private static func filesUnchanged(_ files: [State.File], in output: String) -> Bool {
        let present = (try? TreeWalker.entries(under: output).filter { $0.status.isRegular && $0.relativePath != stateFile }) ?? []
        guard present.count == files.count else { return false }
        for (file, entry) in zip(files, present) {
            guard file.path == entry.relativePath, file.size == entry.status.size, file.mtime == entry.status.mtimeNanoseconds
            else { return false }
        }
        return true
    }

    private static func swap(_ temporary: String, into output: String) throws {
        if FileSystem.status(output) == nil {
            try FileSystem.rename(temporary, to: output)
        } else if FileSystem.exchange(temporary, output) {
            try FileSystem.remove(temporary)
        } else {
            let aside = output + ".old-\(getpid())"
            try FileSystem.remove(aside)
            try FileSystem.rename(output, to: aside)
            do {
                guard try FileSystem.rename(temporary, to: output) else {
                    throw BuildEngineError.fileOperationFailed(operation: "rename into place", path: output, errno: ENOTEMPTY)
                }
            } catch {
                _ = try? FileSystem.rename(aside, to: output)
                throw error
            }
            try FileSystem.remove(aside)
        }
        FileSystem.syncDirectory((output as NSString).deletingLastPathComponent)
    }

    /// Removes `<out>.tmp-<pid>` / `<out>.old-<pid>` left by dead processes;
    /// restores `<out>` from an `.old-` folder if a swap was cut short.
    static func removeStaleSiblings(of output: String) throws {
        let parent = (output as NSString).deletingLastPathComponent
        let base = (output as NSString).lastPathComponent
        for name in FileSystem.children(parent.isEmpty ? "." : parent) {
            for marker in [".tmp-", ".old-"] where name.hasPrefix(base + marker) {
                guard let pid = Int32(name.dropFirst(base.count + marker.count)), !FileSystem.processExists(pid) else { continue }
                let path = (parent.isEmpty ? "" : parent + "/") + name
                if marker == ".old-" && FileSystem.status(output) == nil {
                    try FileSystem.rename(path, to: output)
                } else {
                    try FileSystem.remove(path)
                }
            }
        }
    }
}
