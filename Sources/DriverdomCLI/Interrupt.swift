// SPDX-License-Identifier: Apache-2.0
import Foundation

/// SIGINT handling: an interrupted `driverdom` exits with status 130.
enum Interrupt {
    /// Installs a SIGINT handler that exits at once with 130 (128 + SIGINT), the
    /// status shells and CI expect. Only async-signal-safe calls are made.
    static func installHandler() {
        signal(SIGINT) { _ in
            _exit(130)
        }
    }
}
