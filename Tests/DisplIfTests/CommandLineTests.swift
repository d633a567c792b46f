// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import Testing
import XenCore

/// displif-backend's command line, as the image build passes it.
@Suite struct CommandLineTests {
    @Test func parsesWhatTheImageBuildPasses() throws {
        let parsed = try DisplIfCommandLine.parse([
            "--vsync", "--background", "0x102030", "--domain", "1", "/dev/dri/card0",
            "--connector", "Virtual-1", "--connector", "HDMI-A-1", "--bind", "IVI", "guest-a", "HDMI-A-1", "--bind", "Cluster", "guest-b", "DP-1",
        ])
        #expect(parsed.cardPath == "/dev/dri/card0")
        #expect(parsed.connectors == ["Virtual-1", "HDMI-A-1"])
        #expect(parsed.bindings == GuestBindings([GuestBinding(guest: "IVI", id: "guest-a", target: "HDMI-A-1"),
                                                  GuestBinding(guest: "Cluster", id: "guest-b", target: "DP-1")]))
        #expect(parsed.vsync && !parsed.zeroCopy)
        #expect(parsed.background == 0x102030)
        #expect(parsed.domain == DomainID(1))
        #expect(parsed.outputs == ["Virtual-1", "HDMI-A-1", "DP-1"])
        #expect(parsed.options.bindings.target(guest: "IVI", id: "guest-a") == "HDMI-A-1")
        #expect(parsed.options.bindings.target(guest: "Cluster", id: "guest-a") == nil)
        #expect(parsed.options.bindings.target(guest: "IVI", id: "other") == nil)
    }

    /// What DomDServices writes for the displif layer today: options sorted by
    /// name (int as decimal, true bool as a flag, false left out), then the
    /// display device's facts (card path positional, `--connector` per connector).
    @Test func parsesTheServiceTableArguments() throws {
        let parsed = try DisplIfCommandLine.parse(["--background", "0", "--vsync", "/dev/dri/card0", "--connector", "Virtual-1"])
        #expect(parsed.cardPath == "/dev/dri/card0" && parsed.connectors == ["Virtual-1"] && parsed.vsync && parsed.background == 0)
        #expect(try DisplIfCommandLine.parse(["--background", "1052688", "/dev/dri/card0", "--connector", "Virtual-1"]).background == 0x101010)
    }

    @Test func minimalCommandLine() throws {
        let parsed = try DisplIfCommandLine.parse(["/dev/dri/card1", "--connector", "Virtual-1"])
        #expect(!parsed.vsync && parsed.background == 0 && parsed.domain == nil && parsed.bindings.isEmpty)
    }

    @Test func decimalBackground() throws {
        #expect(try DisplIfCommandLine.parse(["--background", "16777215", "c", "--connector", "X"]).background == 0xFFFFFF)
        #expect(try DisplIfCommandLine.parse(["--background", "0", "c", "--connector", "X"]).background == 0)
    }

    @Test func zeroCopyIsRefused() {
        #expect(throws: BackendArgumentError.refused(
            option: "--zero-copy", reason: "is not implemented: this backend copies frames; drop the option (zero_copy: false)")) {
            try DisplIfCommandLine.parse(["--zero-copy", "/dev/dri/card0", "--connector", "Virtual-1"])
        }
    }

    @Test(arguments: [
        ([], .missing("DRM-CARD (e.g. /dev/dri/card0)")),
        (["/dev/dri/card0"], .missing("--connector NAME")),
        (["/dev/dri/card0", "--connector"], .invalidValue(option: "--connector", value: nil, expected: "a DRM connector name")),
        (["/dev/dri/card0", "--connector", "A", "--connector", "A"], .givenTwice("connector 'A'")),
        (["/dev/dri/card0", "/dev/dri/card1", "--connector", "A"],
         .unexpectedArgument("/dev/dri/card1", reason: "one DRM card is served, and /dev/dri/card0 is given")),
        (["/dev/dri/card0", "--connector", "A", "--bind", "x"],
         .invalidValue(option: "--bind", value: nil, expected: "GUEST, UNIQUE-ID and CONNECTOR")),
        (["/dev/dri/card0", "--connector", "A", "--bind", "g", "x"],
         .invalidValue(option: "--bind", value: nil, expected: "GUEST, UNIQUE-ID and CONNECTOR")),
        (["/dev/dri/card0", "--connector", "A", "--bind", "g", "x", "A", "--bind", "g", "x", "B"],
         .givenTwice("the binding of unique-id 'x' of guest 'g'")),
        (["/dev/dri/card0", "--connector", "A", "--background", "0x1000000"],
         .invalidValue(option: "--background", value: "0x1000000", expected: "a colour 0...0xFFFFFF (decimal or 0x hex)")),
        (["/dev/dri/card0", "--connector", "A", "--background", "red"],
         .invalidValue(option: "--background", value: "red", expected: "a colour 0...0xFFFFFF (decimal or 0x hex)")),
        (["/dev/dri/card0", "--connector", "A", "--domain", "-1"],
         .invalidValue(option: "--domain", value: "-1", expected: "a domain id below 32752")),
        (["/dev/dri/card0", "--connector", "A", "--domain", "40000"],
         .invalidValue(option: "--domain", value: "40000", expected: "a domain id below 32752")),
        (["/dev/dri/card0", "--connector", "A", "--fast"], .unknownOption("--fast")),
    ] as [([String], BackendArgumentError)])
    func usageErrors(_ arguments: [String], _ error: BackendArgumentError) {
        #expect(throws: error) { try DisplIfCommandLine.parse(arguments) }
    }

    @Test func usageNamesEveryOption() {
        for option in ["--vsync", "--zero-copy", "--background", "--domain", "--connector", "--bind", "DRM-CARD"] {
            #expect(DisplIfCommandLine.usage.contains(option))
        }
    }
}
