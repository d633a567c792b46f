// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import Testing

/// Compiles UsbIf, UsbIfSimulation, LibUSBHost and usbif-backend (with the
/// core modules they need) in Embedded mode, links the backend and runs it;
/// with SYSROOT (an aarch64 Debian sysroot with libusb-1.0-0-dev) also for aarch64.
@Suite struct UsbIfEmbeddedModeTests {
    static let script: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "embedded-check.sh"
    }()

    static let toolsPresent: Bool = {
        let root = "/opt/swift/usr/lib/swift/embedded/x86_64-unknown-linux-gnu"
        let clang = access("/usr/bin/clang", X_OK) == 0 || access("/opt/swift/usr/bin/clang", X_OK) == 0
        return access(root, F_OK) == 0 && clang && access("/usr/include/libusb-1.0/libusb.h", F_OK) == 0
    }()

    static let sysroot: String? = {
        guard let value = getenv("SYSROOT") else { return nil }
        let path = String(cString: value)
        return access(path + "/usr/include/libusb-1.0/libusb.h", F_OK) == 0 ? path : nil
    }()

    func run(sysroot: String?) -> Int32 {
        let log = "/tmp/usbif-embedded-check-" + String(getpid()) + (sysroot == nil ? "-host" : "-aarch64") + ".log"
        let environment = sysroot.map { "SYSROOT='" + $0 + "' " } ?? "SYSROOT= "
        return system(environment + "PATH=/opt/swift/usr/bin:$PATH sh '" + Self.script + "' >" + log + " 2>&1")
    }

    @Test(.enabled(if: toolsPresent, "needs the Embedded Swift stdlib for x86_64, clang and libusb-1.0-0-dev"),
          .timeLimit(.minutes(25)))
    func backendBuildsAndRunsInEmbeddedMode() {
        #expect(run(sysroot: nil) == 0, "embedded-check.sh failed; see /tmp/usbif-embedded-check-\(getpid())-host.log")
    }

    @Test(.enabled(if: toolsPresent && sysroot != nil, "needs SYSROOT: an aarch64 sysroot with libusb-1.0-0-dev"),
          .timeLimit(.minutes(25)))
    func backendCompilesForAArch64() {
        #expect(run(sysroot: Self.sysroot) == 0, "embedded-check.sh failed; see /tmp/usbif-embedded-check-\(getpid())-aarch64.log")
    }
}
