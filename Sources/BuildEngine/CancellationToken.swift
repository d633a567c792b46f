// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Shared "stop now" flag of a build. Cancelling runs the registered handlers
/// once (the real tool runner registers one that kills its children's process
/// groups). Thread-safe.
// @unchecked Sendable: `cancelled`, `handlers` and `nextHandler` are read and written
// only under `lock`; handlers run outside it (they may take other locks).
package final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextHandler = 0

    /// A token that is not cancelled.
    package init() {}

    /// Whether `cancel()` was called.
    package var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }

    /// Marks the build interrupted and runs every registered handler.
    package func cancel() {
        lock.lock()
        if cancelled { lock.unlock(); return }
        cancelled = true
        let toRun = Array(handlers.values)
        lock.unlock()
        for handler in toRun { handler() }
    }

    /// Registers a handler to run on cancel (immediately if already
    /// cancelled); returns an id for `removeHandler`.
    @discardableResult
    package func addHandler(_ handler: @escaping @Sendable () -> Void) -> Int {
        lock.lock()
        if cancelled { lock.unlock(); handler(); return -1 }
        nextHandler += 1
        let id = nextHandler
        handlers[id] = handler
        lock.unlock()
        return id
    }

    /// Removes a handler registered with `addHandler`.
    package func removeHandler(_ id: Int) {
        lock.lock(); defer { lock.unlock() }
        handlers[id] = nil
    }
}
