// SPDX-License-Identifier: GPL-2.0-only OR MIT
import DisplIf
import Testing
import XenCore

/// displif-backend's command line, as the image build passes it.
@Suite struct CommandLineTests {
    @Test func parsesWhatTheImageBuildPasses() {
        let (parsed, problem) = DisplIfCommandLine.parse([
            "--vsync", "--background", "0x102030", "--domain", "1", "/dev/dri/card0",
            "--connector", "Virtual-1", "--connector", "HDMI-A-1", "--bind", "IVI", "guest-a", "HDMI-A-1", "--bind", "Cluster", "guest-b", "DP-1",
        ])
        #expect(problem == nil)
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
    @Test func parsesTheServiceTableArguments() {
        let (parsed, problem) = DisplIfCommandLine.parse(["--background", "0", "--vsync", "/dev/dri/card0", "--connector", "Virtual-1"])
        #expect(problem == nil)
        #expect(parsed.cardPath == "/dev/dri/card0" && parsed.connectors == ["Virtual-1"] && parsed.vsync && parsed.background == 0)
        #expect(DisplIfCommandLine.parse(["--background", "1052688", "/dev/dri/card0", "--connector", "Virtual-1"]).0.background == 0x101010)
    }

    @Test func minimalCommandLine() {
        let (parsed, problem) = DisplIfCommandLine.parse(["/dev/dri/card1", "--connector", "Virtual-1"])
        #expect(problem == nil)
        #expect(!parsed.vsync && parsed.background == 0 && parsed.domain == nil && parsed.bindings.isEmpty)
    }

    @Test func decimalBackground() {
        #expect(DisplIfCommandLine.parse(["--background", "16777215", "c", "--connector", "X"]).0.background == 0xFFFFFF)
        #expect(DisplIfCommandLine.parse(["--background", "0", "c", "--connector", "X"]).1 == nil)
    }

    @Test func zeroCopyIsRefused() {
        let problem = DisplIfCommandLine.parse(["--zero-copy", "/dev/dri/card0", "--connector", "Virtual-1"]).1
        #expect(problem?.contains("--zero-copy is not implemented") == true)
    }

    @Test(arguments: [
        ([], "no DRM card"),
        (["/dev/dri/card0"], "no --connector"),
        (["/dev/dri/card0", "--connector"], "--connector needs"),
        (["/dev/dri/card0", "--connector", "A", "--connector", "A"], "given twice"),
        (["/dev/dri/card0", "/dev/dri/card1", "--connector", "A"], "more than one DRM card"),
        (["/dev/dri/card0", "--connector", "A", "--bind", "x"], "--bind needs"),
        (["/dev/dri/card0", "--connector", "A", "--bind", "g", "x"], "--bind needs"),
        (["/dev/dri/card0", "--connector", "A", "--bind", "g", "x", "A", "--bind", "g", "x", "B"], "bound twice"),
        (["/dev/dri/card0", "--connector", "A", "--background", "0x1000000"], "--background needs"),
        (["/dev/dri/card0", "--connector", "A", "--background", "red"], "--background needs"),
        (["/dev/dri/card0", "--connector", "A", "--domain", "-1"], "--domain needs"),
        (["/dev/dri/card0", "--connector", "A", "--domain", "40000"], "--domain needs"),
        (["/dev/dri/card0", "--connector", "A", "--fast"], "unknown option --fast"),
    ] as [([String], String)])
    func usageErrors(_ arguments: [String], _ expected: String) {
        let problem = DisplIfCommandLine.parse(arguments).1
        #expect(problem?.contains(expected) == true, "\(arguments): \(problem ?? "nil")")
    }

    @Test func usageNamesEveryOption() {
        for option in ["--vsync", "--zero-copy", "--background", "--domain", "--connector", "--bind", "DRM-CARD"] {
            #expect(DisplIfCommandLine.usage.contains(option))
        }
    }
}
