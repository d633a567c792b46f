// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import Testing

/// Compiles DisplIf, DisplIfSimulation, DRMDisplay and displif-backend (with the
/// core modules they need) in Embedded mode, links the backend and runs it.
@Suite struct DisplIfEmbeddedModeTests {
    static let script: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "embedded-check.sh"
    }()

    static let toolsPresent: Bool = {
        let root = "/opt/swift/usr/lib/swift/embedded/x86_64-unknown-linux-gnu"
        let clang = access("/usr/bin/clang", X_OK) == 0 || access("/opt/swift/usr/bin/clang", X_OK) == 0
        return access(root, F_OK) == 0 && clang && access("/usr/include/xf86drm.h", F_OK) == 0
    }()

    @Test(.enabled(if: toolsPresent, "needs the Embedded Swift stdlib for x86_64, clang and libdrm-dev"),
          .timeLimit(.minutes(25)))
    func backendBuildsAndRunsInEmbeddedMode() throws {
        let log = "/tmp/displif-embedded-check-" + String(getpid()) + ".log"
        let command = "PATH=/opt/swift/usr/bin:$PATH sh '" + Self.script + "' >" + log + " 2>&1"
        let status = system(command)
        #expect(status == 0, "embedded-check.sh failed; see \(log)")
    }
}
