// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Prints a line that needs the Embedded runtime (arrays, sorting, string
/// interpolation) and libc through the CLinux shim.
@main
struct Hello {
    static func main() {
        clinux_stdout_line_buffered()
        var values: [Int] = [3, 1, 2]
        values.sort()
        let pidPositive = getpid() > 0
        print("hello from embedded swift: sorted \(values[0])\(values[1])\(values[2]), pid positive \(pidPositive)")
    }
}
