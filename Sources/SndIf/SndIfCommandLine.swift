// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The command line of sndif-backend, as the DomD init passes it from the
/// image config: which guest's stream (by guest name, the stream's `unique-id`
/// set in the guest's xl vsnd stanza, and its direction) uses which ALSA PCM.
/// Nothing else is served: there is no default device for unbound streams,
/// and the binding never comes from the frontend.
public struct SndIfCommandLine: BackendCommandLine, Equatable {
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

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(BackendArgumentError) -> SndIfCommandLine {
        var parsed = SndIfCommandLine()
        var reader = ArgumentReader(arguments)
        while let option = try reader.next() {
            switch ByteString(option) {
            case "--bind":
                let words = try reader.values(of: option, count: 4, expected: "GUEST, UNIQUE-ID, p or c, and PCM")
                let (guest, id, direction, pcm) = (words[0], words[1], words[2], words[3])
                guard direction.bytesEqual(SndIfWire.streamTypePlayback) || direction.bytesEqual(SndIfWire.streamTypeCapture) else {
                    throw .invalidValue(option: option, value: direction, expected: "a direction p (playback) or c (capture)")
                }
                guard parsed.bindings.add(GuestBinding(guest: guest, id: id, direction: direction, target: pcm)) else {
                    throw .givenTwice("the binding of stream '\(id)' (\(direction)) of guest '\(guest)'")
                }
            case "--domain":
                parsed.domain = try reader.domain(of: option)
            default:
                throw .unknownOption(option)
            }
        }
        if parsed.bindings.isEmpty { throw .missing("--bind GUEST UNIQUE-ID p|c PCM: no stream is bound") }
        return parsed
    }
}
