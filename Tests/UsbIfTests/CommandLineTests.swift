// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing
import UsbIf
import XenCore

/// usbif-backend's arguments, exactly as the image build passes them.
@Suite struct CommandLineTests {
    @Test func parsesEveryOption() throws {
        let parsed = try UsbIfCommandLine.parse(["--detach-kernel-driver", "--hotplug", "--max-urbs", "64", "--domain", "1",
                                                 "--usb-controller", "ee080100.usb"])
        #expect(parsed.controllers == ["ee080100.usb"])
        #expect(parsed.detachKernelDriver && parsed.hotplug)
        #expect(parsed.maxUrbs == 64)
        #expect(parsed.domain == DomainID(1))
    }

    @Test func defaultsWithOnlyTheController() throws {
        let parsed = try UsbIfCommandLine.parse(["--usb-controller", "dummy_hcd.0"])
        #expect(parsed.controllers == ["dummy_hcd.0"] && !parsed.detachKernelDriver && !parsed.hotplug && parsed.maxUrbs == 64)
        #expect(parsed.domain == nil)
    }

    @Test func servesEveryControllerGiven() throws {
        let parsed = try UsbIfCommandLine.parse(["--usb-controller", "dummy_hcd.0", "--usb-controller", "vhci_hcd.0"])
        #expect(parsed.controllers == ["dummy_hcd.0", "vhci_hcd.0"])
    }

    @Test(arguments: [
        (["--usb-controller", "a", "--usb-controller", "a"], .givenTwice("USB controller a")),
        ([], .missing("--usb-controller NAME")),
        (["--hotplug"], .missing("--usb-controller NAME")),
        (["--usb-controller"], .invalidValue(option: "--usb-controller", value: nil, expected: "a platform device name")),
        (["--usb-controller", "../usb1"], .invalidValue(option: "--usb-controller", value: "../usb1", expected: "a platform device name")),
        (["--usb-controller", ".."], .invalidValue(option: "--usb-controller", value: "..", expected: "a platform device name")),
        (["--usb-controller", "a", "--max-urbs", "0"], .invalidValue(option: "--max-urbs", value: "0", expected: "a number from 1 to 4096")),
        (["--usb-controller", "a", "--max-urbs", "4097"],
         .invalidValue(option: "--max-urbs", value: "4097", expected: "a number from 1 to 4096")),
        (["--usb-controller", "a", "--max-urbs", "-1"], .invalidValue(option: "--max-urbs", value: "-1", expected: "a number from 1 to 4096")),
        (["--usb-controller", "a", "--max-urbs"], .invalidValue(option: "--max-urbs", value: nil, expected: "a number from 1 to 4096")),
        (["--usb-controller", "a", "--domain", "40000"],
         .invalidValue(option: "--domain", value: "40000", expected: "a domain id below 32752")),
        (["--usb-controller", "a", "--grab"], .unknownOption("--grab")),
    ] as [([String], BackendArgumentError)])
    func rejects(arguments: [String], error: BackendArgumentError) {
        #expect(throws: error) { try UsbIfCommandLine.parse(arguments) }
    }
}

/// The built usbif-backend's exit codes, run with the arguments the image build passes.
@Suite struct BackendExecutableTests {
    /// `usbif-backend` next to the test binary (SwiftPM builds it for this target).
    static let executable: String? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let path = folder.appendingPathComponent("usbif-backend").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test(.enabled(if: executable != nil, "usbif-backend is not built next to the tests"))
    func usageErrorsExitTwo() throws {
        let (status, output) = try run(["--hotplug", "--max-urbs", "many", "--usb-controller", "dummy_hcd.0"])
        #expect(status == 2)
        #expect(output.contains("--max-urbs needs a number") && output.contains("usage: usbif-backend"))
    }

    @Test(.enabled(if: executable != nil && !FileManager.default.fileExists(atPath: "/dev/xen/xenbus"),
                   "needs usbif-backend built and a machine without Xen"))
    func withoutXenItExitsOne() throws {
        let (status, output) = try run(["--detach-kernel-driver", "--hotplug", "--max-urbs", "64", "--usb-controller", "dummy_hcd.0"])
        #expect(status == 1)
        #expect(output.contains("usbif-backend: Unable to open Xen"))
    }
}
