// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// The probe's argv, read from /proc/self/cmdline: Embedded Swift has no
/// `CommandLine`. Shared by every end-to-end probe; empty if the file cannot be read.
package func processArguments() -> [String] {
    let fd = clinux_open("/proc/self/cmdline", O_RDONLY, 0)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
        String(decoding: $0, as: UTF8.self)
    }
}
