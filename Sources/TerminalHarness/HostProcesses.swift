// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The host's processes as /proc shows them, for tests that check what a
/// command left running.
package enum HostProcesses {
    /// One process.
    package struct Entry: Equatable, Sendable {
        package var pid: pid_t
        package var parent: pid_t
        /// The kernel's state letter (`R`, `S`, `Z` for a zombie, …).
        package var state: Character
        /// The program's name (at most 15 characters).
        package var name: String
    }

    /// The process `pid`, or nil when there is none.
    package static func entry(_ pid: pid_t) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let name = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 1, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return Entry(pid: pid, parent: parent, state: state, name: name)
    }

    /// Every process whose parent is `parent`.
    package static func children(of parent: pid_t) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.compactMap(entry).filter { $0.parent == parent }
    }

    /// Whether `pid` is a live process named `name` (a zombie is not alive; a reused pid has another name).
    package static func isRunning(_ pid: pid_t, named name: String) -> Bool {
        guard let entry = entry(pid) else { return false }
        return entry.state != "Z" && name.hasPrefix(entry.name)
    }

    /// Waits up to `timeout` seconds for `condition`; returns whether it held.
    package static func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }

    /// The executable `name` built next to the running test binary (SwiftPM puts
    /// every product of the package in one folder), or nil.
    package static func builtProduct(_ name: String) -> String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
