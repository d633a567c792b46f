// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reports download progress while apt writes into a staging folder, by summing the
/// sizes of the files there every 100 ms on a background thread.
// @unchecked Sendable: `stopped` and `finished` are read and written only under
// `condition` (shared by the caller and the monitor thread); the rest is immutable.
final class DownloadMonitor: @unchecked Sendable {
    private let folder: URL
    private let total: Int64
    private let count: Int
    private let report: @Sendable (DownloadProgress) -> Void
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false

    init(folder: URL, total: Int64, count: Int, report: @escaping @Sendable (DownloadProgress) -> Void) {
        self.folder = folder
        self.total = total
        self.count = count
        self.report = report
    }

    func start() {
        Thread { [self] in
            condition.lock()
            while !stopped {
                condition.unlock()
                report(DownloadProgress(bytesDone: min(bytesPresent(), total), bytesTotal: total, packagesTotal: count))
                condition.lock()
                if !stopped { _ = condition.wait(until: Date().addingTimeInterval(0.1)) }
            }
            finished = true
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    /// Stops reporting; returns once the thread has made its last report.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func bytesPresent() -> Int64 {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return 0 }
        return names.reduce(Int64(0)) { sum, name in
            let size = (try? fm.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size]) as? NSNumber
            return sum + (size?.int64Value ?? 0)
        }
    }
}
