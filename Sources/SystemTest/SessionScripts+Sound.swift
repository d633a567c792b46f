// SPDX-License-Identifier: Apache-2.0

/// The sndif test's scripts (see ``SoundTestPlan``).
extension SessionScripts {
    /// On a test guest's kernel command line: the guest has a vsnd card to test.
    package static let soundFlag = "driverdom.sound=1"

    /// DomD's sound service: plays the endless counter signal into the loopback
    /// the guest records, and checks every burst the guest plays.
    package static func domdSound(_ plan: SoundTestPlan) -> String {
        var script = prologue("/run/driverdom-session/bin")
        let format = SoundTestPlan.format
        if let pcm = plan.domdPlayback {
            script += """
            echo "e2e-sound: playing the counter signal into \(pcm)"
            \(Probes.soundProbe) generate endless | aplay -D \(pcm) \(format) &

            """
        }
        if let pcm = plan.domdCapture {
            script += """
            echo "e2e-sound: recording \(pcm)"
            arecord -D \(pcm) \(format) | \(Probes.soundProbe) check-bursts \(SoundTestPlan.burstFrames) sndif-playback
            echo "e2e-sound: recording \(pcm) ended"

            """
        }
        script += "wait\n"
        return script
    }

    /// The test guest's sound checks: load snd_xen_front, play a burst, record and check.
    static func guestSound(_ plan: SoundTestPlan, moduleFolder: String) -> String {
        let format = SoundTestPlan.format
        let pcm = SoundTestPlan.guestPCM
        let modules = SoundTestPlan.guestModules.map { moduleFolder + "/" + ($0.split(separator: "/").last ?? "") }
        var script = """
        if grep -q \(soundFlag) /proc/cmdline; then
        for module in \(modules.joined(separator: " ")); do load_module $module; done
        n=0
        until [ -e /dev/snd/pcmC0D0p ] && [ -e /dev/snd/pcmC0D0c ]; do
          n=$((n+1)); [ $n -ge 30 ] && break; sleep 1
        done
        cards=$(cat /proc/asound/cards 2>/dev/null | head -n 1)

        """
        if plan.domdCapture == nil {
            script += "echo \"driverdom-test: verdict sndif-playback FAIL the guest's playback stream is not bound to an snd-aloop hw: PCM\"\n"
        } else {
            script += """
            if [ -e /dev/snd/pcmC0D0p ]; then
              echo "driverdom-test: guest plays \(SoundTestPlan.burstFrames) frames of the counter signal on \(pcm)"
              if ! \(Probes.soundProbe) generate \(SoundTestPlan.burstFrames) | aplay -D \(pcm) \(format); then
                echo "driverdom-test: verdict sndif-playback FAIL aplay in the guest failed"
              fi
            else
              echo "driverdom-test: verdict sndif-playback FAIL snd_xen_front gave the guest no playback PCM (cards: $cards)"
            fi

            """
        }
        if plan.domdPlayback == nil {
            script += "echo \"driverdom-test: verdict sndif-capture FAIL the guest's capture stream is not bound to an snd-aloop hw: PCM\"\n"
        } else {
            script += """
            if [ -e /dev/snd/pcmC0D0c ]; then
              echo "driverdom-test: guest records \(SoundTestPlan.recordSeconds) s on \(pcm)"
              arecord -D \(pcm) \(format) -d \(SoundTestPlan.recordSeconds) | \(Probes.soundProbe) check-window \(SoundTestPlan.minimumRecordedFrames) sndif-capture
            else
              echo "driverdom-test: verdict sndif-capture FAIL snd_xen_front gave the guest no capture PCM (cards: $cards)"
            fi

            """
        }
        return script + "fi\n"
    }

    /// dom0's relay of the driver domain's `sndif-playback` verdicts (printed on DomD's console).
    static func relayDomDSound(domd: String) -> String {
        """
        log=/var/log/xen/console/guest-\(domd).log
        n=0
        until grep -q "driverdom-test: verdict sndif-playback" $log 2>/dev/null; do
          n=$((n+1)); [ $n -ge 15 ] && break; sleep 1
        done
        grep "driverdom-test: verdict sndif-playback" $log | sed "s/^/[\(domd)] /"

        """
    }
}
