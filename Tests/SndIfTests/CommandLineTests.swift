// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import Testing
import XenCore

/// sndif-backend's arguments: the stream-to-PCM binding from the image config.
@Suite struct CommandLineTests {
    @Test func parsesBindingsDefaultsAndDomain() {
        let (parsed, problem) = SndIfCommandLine.parse(["--bind", "nav", "plughw:0,0", "--bind", "mic", "hw:Loopback,1,0",
                                                        "--playback", "default", "--capture", "hw:1", "--domain", "3"])
        #expect(problem == nil)
        #expect(parsed.bindings == ["nav": "plughw:0,0", "mic": "hw:Loopback,1,0"])
        #expect(parsed.defaultPlayback == "default")
        #expect(parsed.defaultCapture == "hw:1")
        #expect(parsed.domain == DomainID(3))
    }

    @Test(arguments: [
        ([], "no PCM bound: give --bind, --playback or --capture"),
        (["--bind", "nav"], "--bind needs UNIQUE-ID and PCM"),
        (["--bind", "a", "x", "--bind", "a", "y"], "stream 'a' is bound twice"),
        (["--playback"], "--playback needs a PCM name"),
        (["--capture", ""], "--capture needs a PCM name"),
        (["--playback", "x", "--domain", "40000"], "--domain needs a domain id below 32752"),
        (["--playback", "x", "hw:0"], "unknown argument hw:0"),
    ])
    func rejects(arguments: [String], problem: String) {
        #expect(SndIfCommandLine.parse(arguments).1 == problem)
    }
}
