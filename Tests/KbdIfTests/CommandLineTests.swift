// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf
import Testing
import XenCore

/// kbdif-backend's arguments: the default evdev device, vkbs bound by unique-id, the layer's options.
@Suite struct CommandLineTests {
    @Test func parsesEveryOption() throws {
        let parsed = try KbdIfCommandLine.parse([
            "--backlog", "64", "--grab", "--height", "768", "--width", "1024", "--touch-width", "800", "--touch-height", "480",
            "--touch-contacts", "5", "--no-abs-pointer", "--no-raw-pointer", "--no-multi-touch", "--disable-keyboard",
            "--disable-pointer", "--domain", "2", "/dev/input/event0", "--bind", "ivi-kbd", "/dev/input/event1",
        ])
        #expect(parsed.devicePath == "/dev/input/event0")
        #expect(parsed.binds.map { $0.uniqueID + " " + $0.devicePath } == ["ivi-kbd /dev/input/event1"])
        #expect(parsed.grab && parsed.domain == DomainID(2))
        #expect(parsed.options.width == 1024 && parsed.options.height == 768 && parsed.options.backlogCapacity == 64)
        #expect(parsed.options.touchWidth == 800 && parsed.options.touchHeight == 480 && parsed.options.touchContacts == 5)
        #expect(!parsed.options.absolutePointer && !parsed.options.rawPointer && !parsed.options.multiTouch)
        #expect(parsed.options.disableKeyboard && parsed.options.disablePointer)
    }

    @Test func bindsAloneAreEnough() throws {
        let parsed = try KbdIfCommandLine.parse(["--bind", "a", "/dev/input/event1", "--bind", "b", "/dev/input/event1"])
        #expect(parsed.devicePath.isEmpty && parsed.binds.count == 2)
    }

    @Test(arguments: [
        ([], .missing("an input device (or --bind UNIQUE-ID DEVICE)")),
        (["--grab"], .missing("an input device (or --bind UNIQUE-ID DEVICE)")),
        (["/dev/input/event0", "/dev/input/event1"],
         .unexpectedArgument("/dev/input/event1", reason: "one default input device is served, and /dev/input/event0 is given; "
                             + "name others with --bind")),
        (["--bind", "a"], .invalidValue(option: "--bind", value: nil, expected: "a vkb unique-id and an input device")),
        (["--bind", "a", "/dev/input/event0", "--bind", "a", "/dev/input/event1"], .givenTwice("the binding of unique-id 'a'")),
        (["/dev/input/event0", "--width", "wide"], .invalidValue(option: "--width", value: "wide", expected: "an unsigned number")),
        (["/dev/input/event0", "--backlog"], .invalidValue(option: "--backlog", value: nil, expected: "an unsigned number")),
        (["/dev/input/event0", "--domain", "32752"], .invalidValue(option: "--domain", value: "32752", expected: "a domain id below 32752")),
        (["/dev/input/event0", "--touch"], .unknownOption("--touch")),
        (["-h"], .helpRequested),
    ] as [([String], BackendArgumentError)])
    func rejects(arguments: [String], error: BackendArgumentError) {
        #expect(throws: error) { try KbdIfCommandLine.parse(arguments) }
    }

    @Test func usageNamesEveryOption() {
        for option in ["--bind", "--grab", "--width", "--height", "--touch-width", "--touch-height", "--touch-contacts",
                       "--no-abs-pointer", "--no-raw-pointer", "--no-multi-touch", "--disable-keyboard", "--disable-pointer",
                       "--domain", "--backlog"] {
            #expect(KbdIfCommandLine.usage.contains(option), "\(option)")
        }
    }
}
