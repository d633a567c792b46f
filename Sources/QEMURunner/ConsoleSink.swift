// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes console text to a descriptor the way a terminal relay must: every
/// byte, waiting when the descriptor is non-blocking and full (QEMU makes the
/// terminal it shares with us non-blocking), and silently dropping output once
/// the descriptor fails (a hung-up terminal, a closed pipe) instead of trapping.
package struct ConsoleSink: Sendable {
    /// The descriptor written to.
    package let descriptor: Int32

    /// A sink for `descriptor`.
    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Standard output.
    package static var standardOutput: ConsoleSink { ConsoleSink(descriptor: 1) }
    /// Standard error.
    package static var standardError: ConsoleSink { ConsoleSink(descriptor: 2) }

    /// Writes `text`; gives up quietly on an error other than EINTR/EAGAIN.
    package func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes = bytes.dropFirst(count)
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&entry, 1, 100)
                continue
            }
            return
        }
    }
}
