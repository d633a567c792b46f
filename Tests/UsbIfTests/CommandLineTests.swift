// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import UsbIf
import XenCore

/// usbif-backend's arguments, exactly as the image build passes them.
@Suite struct CommandLineTests {
    @Test func parsesEveryOption() {
        let (parsed, problem) = UsbIfCommandLine.parse(["--detach-kernel-driver", "--hotplug", "--max-urbs", "64", "--domain", "1",
                                                        "--usb-controller", "ee080100.usb"])
        #expect(problem == nil)
        #expect(parsed.controller == "ee080100.usb")
        #expect(parsed.detachKernelDriver && parsed.hotplug)
        #expect(parsed.maxUrbs == 64)
        #expect(parsed.domain == DomainID(1))
    }

    @Test func defaultsWithOnlyTheController() {
        let (parsed, problem) = UsbIfCommandLine.parse(["--usb-controller", "dummy_hcd.0"])
        #expect(problem == nil)
        #expect(parsed.controller == "dummy_hcd.0" && !parsed.detachKernelDriver && !parsed.hotplug && parsed.maxUrbs == 64)
        #expect(parsed.domain == nil)
    }

    @Test(arguments: [
        ([], "--usb-controller is required"),
        (["--hotplug"], "--usb-controller is required"),
        (["--usb-controller"], "--usb-controller needs a platform device name"),
        (["--usb-controller", "../usb1"], "--usb-controller needs a platform device name"),
        (["--usb-controller", ".."], "--usb-controller needs a platform device name"),
        (["--usb-controller", "a", "--max-urbs", "0"], "--max-urbs needs a number from 1 to 4096"),
        (["--usb-controller", "a", "--max-urbs", "4097"], "--max-urbs needs a number from 1 to 4096"),
        (["--usb-controller", "a", "--max-urbs", "-1"], "--max-urbs needs a number from 1 to 4096"),
        (["--usb-controller", "a", "--max-urbs"], "--max-urbs needs a number from 1 to 4096"),
        (["--usb-controller", "a", "--domain", "40000"], "--domain needs a domain id below 32752"),
        (["--usb-controller", "a", "--grab"], "unknown argument --grab"),
    ])
    func rejects(arguments: [String], problem: String) {
        #expect(UsbIfCommandLine.parse(arguments).1 == problem)
    }
}
