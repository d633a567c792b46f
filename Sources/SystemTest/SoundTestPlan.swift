// SPDX-License-Identifier: Apache-2.0
import DriverdomBuild
import DriverdomConfig

/// The sndif end-to-end test of a session, with snd-aloop standing in for the codec.
///
/// The guest plays a burst of ``burstFrames`` frames of the counter signal
/// (`e2e-sound-probe`, SoundProbe.CounterSignal) with `aplay` through
/// snd_xen_front; DomD records the other side of the loopback and checks that
/// every frame arrived intact and in order (`sndif-playback`). DomD plays the
/// signal without end into the loopback the guest's capture stream records
/// from; the guest records ``recordSeconds`` seconds with `arecord` and checks
/// them the same way (`sndif-capture`). Only leading and trailing silence is
/// allowed, so one lost or corrupted period fails either check.
package struct SoundTestPlan: Sendable, Equatable {
    /// The sample format on every PCM of the test, and 2 s buffers (aplay/arecord arguments):
    /// under emulation a domain may not run for hundreds of milliseconds, and a starved
    /// buffer loses samples, which the checks would rightly count as a failure.
    package static let format = "-t raw -f S16_LE -r 48000 -c 2 --buffer-time=2000000"
    /// Frames per second of ``format``.
    package static let rate = 48000
    /// Frames of the burst the guest plays (2 s).
    package static let burstFrames = 2 * rate
    /// Seconds the guest records.
    package static let recordSeconds = 3
    /// Signal frames the guest's recording must hold (1 s).
    package static let minimumRecordedFrames = rate
    /// The guest's PCM: snd_xen_front's card 0, device 0 (the first vsnd PCM).
    package static let guestPCM = "hw:0,0"
    /// snd_xen_front and what it needs, in load order (files under kernel/).
    package static let guestModules = [
        "sound/soundcore.ko", "sound/core/snd.ko", "sound/core/snd-timer.ko", "sound/core/snd-pcm.ko",
        "drivers/xen/xen-front-pgdir-shbuf.ko", "sound/xen/snd_xen_front.ko",
    ]
    /// Checks this plan prints verdicts for.
    package static let checks = ["sndif-playback", "sndif-capture"]

    /// The DomD PCM that records what the guest's playback stream plays (nil: none to test).
    package var domdCapture: String?
    /// The DomD PCM whose sound the guest's capture stream records (nil: none to test).
    package var domdPlayback: String?

    package init(domdCapture: String?, domdPlayback: String?) {
        self.domdCapture = domdCapture
        self.domdPlayback = domdPlayback
    }

    /// The plan for the first guest's first vsnd card, or nil when the image serves no sound.
    /// A stream bound to snd-aloop PCM `hw:CARD,D,S` is looped to `hw:CARD,1-D,S`.
    package static func plan(for configuration: Configuration) -> SoundTestPlan? {
        guard Probes.testsSound(configuration),
              let card = configuration.image.guests.lazy.flatMap(\.vsnd).first else { return nil }
        let streams = card.pcms.first?.streams ?? []
        func partner(_ direction: VirtualSoundCard.Stream.Direction) -> String? {
            guard let stream = streams.first(where: { $0.direction == direction }),
                  let pcm = configuration.alsaPCM(of: stream, in: card) else { return nil }
            return loopPartner(of: pcm)
        }
        return SoundTestPlan(domdCapture: partner(.playback), domdPlayback: partner(.capture))
    }

    /// `hw:CARD,1-D,S` for snd-aloop PCM `hw:CARD,D,S` (D is 0 or 1), else nil.
    package static func loopPartner(of pcm: String) -> String? {
        guard pcm.hasPrefix("hw:") else { return nil }
        let parts = pcm.dropFirst(3).split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let device = Int(parts[1]), device == 0 || device == 1,
              Int(parts[2]) != nil else { return nil }
        return "hw:\(parts[0]),\(1 - device),\(parts[2])"
    }
}
