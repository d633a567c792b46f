// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of sndif-backend, as the DomD init passes it from the
/// image config: which ALSA PCM serves which stream (by the stream's
/// `unique-id`, set in the guest's xl vsnd stanza), and a default PCM per
/// direction. The binding never comes from the frontend.
public struct SndIfCommandLine: Equatable {
    public static let usage = """
        usage: sndif-backend [options]
          --bind UNIQUE-ID PCM   the stream with this unique-id uses ALSA PCM (repeatable)
          --playback PCM         ALSA PCM for playback streams not named by --bind
          --capture PCM          ALSA PCM for capture streams not named by --bind
          --domain N             own domain id (default: read xenstore node "domid")
        At least one of --bind, --playback, --capture is required.
        """

    /// `unique-id` → ALSA PCM name.
    public var bindings: [String: String] = [:]
    public var defaultPlayback: String?
    public var defaultCapture: String?
    public var domain: DomainID?

    public init() {}

    /// Parses `arguments` (without the program name); the problem as text if they are wrong.
    public static func parse(_ arguments: [String]) -> (SndIfCommandLine, String?) {
        var parsed = SndIfCommandLine()
        var index = 0
        func value(_ option: String) -> String? {
            index += 1
            guard index < arguments.count, !arguments[index].isEmpty else { return nil }
            return arguments[index]
        }
        while index < arguments.count {
            let option = arguments[index]
            switch option {
            case "--bind":
                guard let id = value(option), let pcm = value(option) else { return (parsed, "--bind needs UNIQUE-ID and PCM") }
                guard parsed.bindings[id] == nil else { return (parsed, "stream '\(id)' is bound twice") }
                parsed.bindings[id] = pcm
            case "--playback":
                guard let pcm = value(option) else { return (parsed, "--playback needs a PCM name") }
                parsed.defaultPlayback = pcm
            case "--capture":
                guard let pcm = value(option) else { return (parsed, "--capture needs a PCM name") }
                parsed.defaultCapture = pcm
            case "--domain":
                guard let text = value(option), let domain = XenPath.parseDomain(text) else {
                    return (parsed, "--domain needs a domain id below 32752")
                }
                parsed.domain = domain
            default:
                return (parsed, "unknown argument " + option)
            }
            index += 1
        }
        if parsed.bindings.isEmpty && parsed.defaultPlayback == nil && parsed.defaultCapture == nil {
            return (parsed, "no PCM bound: give --bind, --playback or --capture")
        }
        return (parsed, nil)
    }
}
