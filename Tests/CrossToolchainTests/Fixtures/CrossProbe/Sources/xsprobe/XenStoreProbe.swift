// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXenStoreProbe

/// Links libxenstore and calls `xs_open`; outside a Xen domain the call fails.
@main
struct XenStoreProbe {
    static func main() {
        clinux_stdout_line_buffered()
        if let handle = xs_open(0) {
            print("xenstore: connected")
            xs_close(handle)
        } else {
            print("xenstore: xs_open failed, errno \(clinux_errno())")
        }
    }
}
