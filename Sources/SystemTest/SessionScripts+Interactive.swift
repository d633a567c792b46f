// SPDX-License-Identifier: Apache-2.0

/// The scripts of `driverdom run`: dom0's shell, which waits for the guests and
/// says how to reach them, and the guests' shell, which brings up and lists
/// their PV devices.
extension SessionScripts {
    /// The last line a guest of an interactive session prints once its PV devices are listed.
    package static let guestUpMarker = "driverdom-guest: up"
    /// What prefixes a guest's device lines on its console (relayed by dom0).
    package static let guestLinePrefix = "driverdom-guest: "
    /// On a guest's kernel command line: the guest's name (for its prompt).
    package static let guestNameFlag = "driverdom.name="
    /// Where the guest's device lister goes.
    package static let deviceLister = "/bin/pv-devices"
    /// dom0's prompt in an interactive session.
    package static let dom0Prompt = "dom0:/# "

    /// dom0's interactive session for `guests`: announces each guest once its
    /// console says it is up (with its PV devices and how to attach), at most
    /// `guestSeconds` each, then gives a shell on dom0's console (at once when
    /// Enter is pressed).
    package static func dom0Shell(guests: [String], guestSeconds: Int) -> String {
        let announced = "/run/driverdom-session/announced"
        let list = guests.joined(separator: " ")
        let waiting = guests.isEmpty ? "" : """
            say "dom0 is up; DomD and the guests start now. The dom0 shell follows once \(list) \
            \(guests.count == 1 ? "is" : "are") up (Enter: at once)."
            while [ ! -e \(announced) ]; do
              read -t 1 line && break
            done

            """
        return prologue("/run/driverdom-session/bin") + """
        export PS1='dom0:\\w# '
        say() { echo "driverdom: $*"; }
        log_of() { echo /var/log/xen/console/guest-$1.log; }
        announce() {
          say "guest $1 is up (domain $(xl domid $1 2>/dev/null)); its PV devices:"
          grep "\(guestLinePrefix)" $(log_of $1) | grep -v "\(guestUpMarker)" | sed "s/^.*\(guestLinePrefix)/  /"
          say "reach it with: xl console $1   (Ctrl-] comes back to dom0)"
        }
        await() {
          n=0
          until grep -q "\(guestUpMarker)" $(log_of $1) 2>/dev/null; do
            n=$((n+1))
            if [ $n -ge \(guestSeconds) ]; then
              say "guest $1 is not up after \(guestSeconds) s; xl list shows whether it exists, $(log_of $1) holds its console"
              return
            fi
            sleep 1
          done
          announce $1
        }
        rm -f \(announced)
        (for guest in \(list); do await $guest; done; touch \(announced)) &
        \(waiting)\
        say "dom0 shell: xl list shows the domains; xl console NAME attaches to a guest (Ctrl-] leaves); poweroff ends the session (Ctrl-A x quits QEMU at once)"
        while :; do setsid cttyhack sh -l; sleep 1; done

        """
    }

    /// Lists a guest's Xen PV devices and what its kernel made of them.
    package static func deviceListing() -> String {
        """
        #!/bin/busybox sh
        # The Xen PV devices of this domain and the Linux devices their frontends made.
        found=0
        for dev in /sys/bus/xen/devices/*; do
          [ -e "$dev" ] || continue
          found=1
          driver="no frontend driver"
          [ -e "$dev/driver" ] && driver="frontend $(basename "$(readlink "$dev/driver")")"
          state=$(cat "$dev/state" 2>/dev/null)
          echo "xenbus ${dev##*/}: $driver${state:+, $state}"
        done
        [ $found = 1 ] || echo "xenbus: no PV devices"
        for event in /sys/class/input/event*; do
          [ -e "$event" ] && echo "input /dev/input/${event##*/}: $(cat "$event/device/name")"
        done
        if grep -q "^ *[0-9]" /proc/asound/cards 2>/dev/null; then
          grep "^ *[0-9]" /proc/asound/cards | sed "s/^ *\\([0-9]*\\) \\[\\([^ ]*\\) *\\]: *\\(.*[^ -]\\)[ -]*$/sound card \\1 (\\2): \\3/"
        else
          echo "sound: no card"
        fi
        cards=$(ls /dev/dri/card* 2>/dev/null)
        if [ -n "$cards" ]; then
          for card in $cards; do echo "display $card"; done
        else
          echo "display: no /dev/dri card (this kernel has no xen-drm-front)"
        fi

        """
    }

    /// The interactive guest's /init: load evdev (and snd_xen_front when its
    /// command line has ``soundFlag``), wait at most 20 s for the PV devices
    /// bound to a frontend to connect, list them, offer a shell on its console.
    package static func guestShell(evdevModule: String, moduleFolder: String = "/lib/modules",
                                  guestModuleFolder: String = "/lib/modules/test") -> String {
        let soundModules = SoundTestPlan.guestModules.map { moduleFolder + "/" + ($0.split(separator: "/").last ?? "") }
        return prologue("/bin") + """
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        insmod \(evdevModule)
        \(loadGuestModules(guestModuleFolder))
        if grep -q \(soundFlag) /proc/cmdline; then
          for module in \(soundModules.joined(separator: " ")); do load_module $module; done
        fi
        name=$(sed -n 's/.*\(guestNameFlag)\\([^ ]*\\).*/\\1/p' /proc/cmdline)
        n=0
        while [ $n -lt 40 ]; do
          waiting=0
          for dev in /sys/bus/xen/devices/*; do
            [ -e "$dev/driver" ] && [ -e "$dev/state" ] && [ "$(cat "$dev/state")" != Connected ] && waiting=1
          done
          [ $waiting = 0 ] && break
          n=$((n+1)); sleep 0.5
        done
        \(deviceLister) | sed "s/^/\(guestLinePrefix)/"
        echo "\(guestUpMarker)"
        export PS1="${name:-guest}:\\w# "
        while :; do setsid cttyhack sh -l; sleep 1; done

        """
    }
}
