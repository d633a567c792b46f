// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import Testing
import XenCore

/// sndif-backend's arguments: the (guest, stream, direction)-to-PCM binding from the image config.
@Suite struct CommandLineTests {
    @Test func parsesBindingsAndDomain() {
        let (parsed, problem) = SndIfCommandLine.parse(["--bind", "IVI", "nav", "p", "plughw:0,0",
                                                        "--bind", "IVI", "mic", "c", "hw:Loopback,1,0", "--domain", "3"])
        #expect(problem == nil)
        #expect(parsed.bindings == GuestBindings([GuestBinding(guest: "IVI", id: "nav", direction: "p", target: "plughw:0,0"),
                                                  GuestBinding(guest: "IVI", id: "mic", direction: "c", target: "hw:Loopback,1,0")]))
        #expect(parsed.bindings.target(guest: "IVI", id: "nav", direction: "p") == "plughw:0,0")
        #expect(parsed.bindings.target(guest: "IVI", id: "nav", direction: "c") == nil)
        #expect(parsed.bindings.target(guest: "Cluster", id: "nav", direction: "p") == nil)
        #expect(parsed.domain == DomainID(3))
    }

    @Test(arguments: [
        ([], "no stream bound: give --bind GUEST UNIQUE-ID p|c PCM"),
        (["--bind", "IVI", "nav"], "--bind needs GUEST, UNIQUE-ID, p or c, and PCM"),
        (["--bind", "IVI", "nav", "x", "hw:0"], "--bind direction 'x' is neither p (playback) nor c (capture)"),
        (["--bind", "G", "a", "p", "x", "--bind", "G", "a", "p", "y"], "stream 'a' (p) of guest 'G' is bound twice"),
        (["--playback", "default"], "unknown argument --playback"),
        (["--capture", "hw:1"], "unknown argument --capture"),
        (["--bind", "G", "a", "p", "x", "--domain", "40000"], "--domain needs a domain id below 32752"),
        (["--bind", "G", "a", "p", "x", "hw:0"], "unknown argument hw:0"),
    ])
    func rejects(arguments: [String], problem: String) {
        #expect(SndIfCommandLine.parse(arguments).1 == problem)
    }
}
