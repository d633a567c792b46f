// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into cancellation of a build: the first signal
/// cancels the token (no new steps start, running tools' process groups get
/// SIGTERM then SIGKILL, temporaries are removed, and `BuildEngine.run`
/// returns `.interrupted`, exit code 130). A second SIGINT ends the process
/// at once with status 130.
// @unchecked Sendable: `received` is read and written only under `lock` (the signal
// handlers run on a global queue); `sources` is written by `init` and `uninstall`
// (or deinit) only, on the thread that owns the trap, and read by no handler.
package final class InterruptTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?

    /// Installs handlers for `signals` that cancel `token`.
    package init(cancelling token: CancellationToken, signals: [Int32] = [SIGINT, SIGTERM]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let repeated = self.received != nil
                if self.received == nil { self.received = number }
                self.lock.unlock()
                if repeated && number == SIGINT { _exit(130) }
                token.cancel()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    package var receivedSignal: Int32? {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    /// Restores the default signal handling.
    package func uninstall() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    deinit { uninstall() }
}
