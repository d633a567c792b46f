// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of sndif-backend, as the DomD init passes it from the
/// image config: which guest's stream (by guest name, the stream's `unique-id`
/// set in the guest's xl vsnd stanza, and its direction) uses which ALSA PCM.
/// Nothing else is served: there is no default device for unbound streams,
/// and the binding never comes from the frontend.
public struct SndIfCommandLine: Equatable {
    public static let usage = """
        usage: sndif-backend --bind GUEST UNIQUE-ID p|c PCM [--bind ...] [--domain N]
          --bind GUEST UNIQUE-ID p|c PCM   the playback (p) or capture (c) stream with this unique-id
                                           of the guest domain named GUEST uses ALSA PCM (repeatable)
          --domain N                       own domain id (default: read xenstore node "domid")
        At least one --bind is required; streams no --bind names are refused.
        """

    /// (guest, unique-id, direction) → ALSA PCM name.
    public var bindings = GuestBindings()
    public var domain: DomainID?

    public init() {}

    /// Parses `arguments` (without the program name); the problem as text if they are wrong.
    public static func parse(_ arguments: [String]) -> (SndIfCommandLine, String?) {
        var parsed = SndIfCommandLine()
        var index = 0
        func value() -> String? {
            index += 1
            guard index < arguments.count, !arguments[index].isEmpty else { return nil }
            return arguments[index]
        }
        while index < arguments.count {
            let option = arguments[index]
            switch option {
            case "--bind":
                guard let guest = value(), let id = value(), let direction = value(), let pcm = value() else {
                    return (parsed, "--bind needs GUEST, UNIQUE-ID, p or c, and PCM")
                }
                guard direction == SndIfWire.streamTypePlayback || direction == SndIfWire.streamTypeCapture else {
                    return (parsed, "--bind direction '\(direction)' is neither p (playback) nor c (capture)")
                }
                guard parsed.bindings.add(GuestBinding(guest: guest, id: id, direction: direction, target: pcm)) else {
                    return (parsed, "stream '\(id)' (\(direction)) of guest '\(guest)' is bound twice")
                }
            case "--domain":
                guard let text = value(), let domain = XenPath.parseDomain(text) else {
                    return (parsed, "--domain needs a domain id below 32752")
                }
                parsed.domain = domain
            default:
                return (parsed, "unknown argument " + option)
            }
            index += 1
        }
        if parsed.bindings.isEmpty { return (parsed, "no stream bound: give --bind GUEST UNIQUE-ID p|c PCM") }
        return (parsed, nil)
    }
}
