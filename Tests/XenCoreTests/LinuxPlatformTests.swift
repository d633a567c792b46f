// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import Testing
import XenCore
import XenLinux

/// The real platform cannot be exercised without a hypervisor; without one it
/// must fail with the error that names the missing interface, not crash.
@Suite struct LinuxPlatformTests {
    static let noXen = access("/dev/xen/evtchn", F_OK) != 0 && access("/dev/xen/xenbus", F_OK) != 0

    @Test(.enabled(if: noXen, "this host runs on Xen; the error path cannot be checked"))
    func openingWithoutXenReportsWhichInterfaceIsMissing() {
        do {
            _ = try LinuxXenPlatform()
            Issue.record("opening Xen interfaces succeeded on a host without /dev/xen")
        } catch {
            switch error {
            case .storeOpenFailed, .grantOpenFailed, .eventChannelOpenFailed: break
            default: Issue.record("unexpected error \(error)")
            }
        }
    }
}
