// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Failures queued per operation, consumed by the next calls of that operation
/// on any simulated platform of one `XenSimulator` (instance state, no globals).
package final class SimulatedFaults {
    private var queued: [SimulatedOperation: [Int32]] = [:]
    /// How many queued failures were delivered.
    package private(set) var delivered = 0

    package init() {}

    /// The next call of `operation` fails with `errno`.
    package func failNext(_ operation: SimulatedOperation, errno: Int32) {
        queued[operation, default: []].append(errno)
    }

    /// The next `count` calls of `operation` fail with `errno`.
    package func failNext(_ operation: SimulatedOperation, count: Int, errno: Int32) {
        for _ in 0..<count { failNext(operation, errno: errno) }
    }

    /// Drops every queued failure.
    package func clear() { queued.removeAll() }

    /// Failures still queued for `operation`.
    package func pendingCount(_ operation: SimulatedOperation) -> Int { queued[operation]?.count ?? 0 }

    /// Takes the failure queued for `operation`, if any (called by the simulator).
    func take(_ operation: SimulatedOperation) -> Int32? {
        guard !queued.isEmpty, var list = queued[operation], !list.isEmpty else { return nil }
        let code = list.removeFirst()
        queued[operation] = list.isEmpty ? nil : list
        delivered += 1
        return code
    }
}
