// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import Testing
import XenCore

/// sndif-backend's arguments: the (guest, stream, direction)-to-PCM binding from the image config.
@Suite struct CommandLineTests {
    @Test func parsesBindingsAndDomain() throws {
        let parsed = try SndIfCommandLine.parse(["--bind", "IVI", "nav", "p", "plughw:0,0",
                                                 "--bind", "IVI", "mic", "c", "hw:Loopback,1,0", "--domain", "3"])
        #expect(parsed.bindings == GuestBindings([GuestBinding(guest: "IVI", id: "nav", direction: "p", target: "plughw:0,0"),
                                                  GuestBinding(guest: "IVI", id: "mic", direction: "c", target: "hw:Loopback,1,0")]))
        #expect(parsed.bindings.target(guest: "IVI", id: "nav", direction: "p") == "plughw:0,0")
        #expect(parsed.bindings.target(guest: "IVI", id: "nav", direction: "c") == nil)
        #expect(parsed.bindings.target(guest: "Cluster", id: "nav", direction: "p") == nil)
        #expect(parsed.domain == DomainID(3))
    }

    @Test(arguments: [
        ([], .missing("--bind GUEST UNIQUE-ID p|c PCM: no stream is bound")),
        (["--bind", "IVI", "nav"], .invalidValue(option: "--bind", value: nil, expected: "GUEST, UNIQUE-ID, p or c, and PCM")),
        (["--bind", "IVI", "nav", "x", "hw:0"],
         .invalidValue(option: "--bind", value: "x", expected: "a direction p (playback) or c (capture)")),
        (["--bind", "G", "a", "p", "x", "--bind", "G", "a", "p", "y"], .givenTwice("the binding of stream 'a' (p) of guest 'G'")),
        (["--playback", "default"], .unknownOption("--playback")),
        (["--capture", "hw:1"], .unknownOption("--capture")),
        (["--bind", "G", "a", "p", "x", "--domain", "40000"],
         .invalidValue(option: "--domain", value: "40000", expected: "a domain id below 32752")),
        (["--bind", "G", "a", "p", "x", "hw:0"], .unknownOption("hw:0")),
        (["--bind", "G", "a", "p", "x", "--help"], .helpRequested),
    ] as [([String], BackendArgumentError)])
    func rejects(arguments: [String], error: BackendArgumentError) {
        #expect(throws: error) { try SndIfCommandLine.parse(arguments) }
    }

    @Test func errorsNameTheValue() {
        #expect(BackendArgumentError.invalidValue(option: "--bind", value: "x", expected: "a direction p (playback) or c (capture)")
            .description == "--bind needs a direction p (playback) or c (capture), not 'x'")
        #expect(BackendArgumentError.unknownOption("--capture").description == "unknown option '--capture'")
    }
}
