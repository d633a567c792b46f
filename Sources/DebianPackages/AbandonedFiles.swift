// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Temporary entries in the cache are named `<prefix><pid>` by the process that
/// writes them and renamed into place when complete. A build killed with SIGKILL
/// leaves its entry behind; this removes entries whose process no longer runs.
package enum AbandonedFiles {
    /// Removes the entries of `folder` named `<prefix><pid>` whose process is gone.
    package static func remove(in folder: URL, prefix: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}
