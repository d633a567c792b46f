// SPDX-License-Identifier: Apache-2.0
import QEMURunner

/// The shell scripts a session adds to a built image (run by busybox `sh`).
///
/// dom0's test script is the orchestration `driverdom test` needs on the
/// target: it waits for each guest, relays the guest's verdict lines from its
/// console log (xenconsoled writes `/var/log/xen/console/guest-<name>.log`) to
/// dom0's console where the host reads them, destroys the guest, checks that
/// the driver domain removed the guest's backend nodes, and ends with
/// `driverdom-test: finished`.
package enum SessionScripts {
    /// Where the scripts and the test guest's initramfs go in dom0.
    package static let folder = "/usr/lib/driverdom/session"
    static let toolstack = "/usr/lib/xen-4.17/bin"

    /// Lines every script starts with: console as stdio, busybox applets on PATH.
    static func prologue(_ bin: String) -> String {
        """
        #!/bin/busybox sh
        exec </dev/console >/dev/console 2>&1
        /bin/busybox mkdir -p \(bin)
        /bin/busybox --install -s \(bin)
        export PATH=\(bin):\(toolstack):/usr/bin:/bin:/sbin:/usr/sbin

        """
    }

    /// dom0's test orchestration for `guests` served by driver domain `domd`
    /// (nil when dom0 is the driver domain), each waited for at most `guestSeconds`.
    /// `sound` relays the driver domain's sndif-playback verdicts. `guestVerdicts`
    /// names the verdicts each guest prints itself (failed when it is not created
    /// or prints none), `teardowns` the layers whose xenstore folder dom0 checks
    /// is gone after destroying the guest (``LayerChecks``).
    package static func dom0Test(guests: [String], domd: String?, guestSeconds: Int, sound: Bool = false,
                                passthrough: PassthroughTestPlan? = nil, display: Bool = false,
                                usb: UsbTestPlan? = nil, guestVerdicts: [String: [String]] = [:],
                                teardowns: [String: [(layer: String, folder: String)]] = [:]) -> String {
        var script = prologue("/run/driverdom-session/bin")
        script += """
        say() { echo "driverdom-test: $*"; }
        domid() { xl domid "$1" 2>/dev/null; }
        backend_domid=0

        """
        if let domd {
            script += """
            n=0
            until backend_domid=$(domid \(domd)); do
              n=$((n+1)); [ $n -ge \(guestSeconds) ] && break; sleep 1
            done

            """
        }
        if let passthrough { script += dom0Hidden(passthrough) }
        let press = passthrough == nil ? "" : """
              if [ -z "$asked" ] && grep -q "\(buttonMarker)" $log 2>/dev/null; then
                asked=1; say "press \(PassthroughTestPlan.button)"
              fi

            """
        for guest in guests {
            let usbChecks = usb.map { $0.guests.contains(guest) ? $0.allChecks : [] } ?? []
            let own = guestVerdicts[guest] ?? []
            let layerTeardowns = teardowns[guest] ?? []
            let notCreated = (own + layerTeardowns.map { EndToEndChecks.teardown(of: $0.layer) }
                + (sound ? SoundTestPlan.checks : []) + (display ? [DisplayTestPlan.checks[0]] : []) + usbChecks)
                .map { "  say \"verdict \($0) FAIL guest $guest was not created\"\n" }.joined()
            let noVerdict = own.map { """
                    grep -q "driverdom-test: verdict \($0) " $log 2>/dev/null ||
                      say "verdict \($0) FAIL guest $guest printed no verdict within \(guestSeconds) s"

                """ }.joined()
            let teardownChecks = layerTeardowns.map { teardown($0.layer, folder: $0.folder) }.joined()
            script += """
            guest=\(guest)
            log=/var/log/xen/console/guest-$guest.log
            n=0
            until guestid=$(domid $guest); do
              n=$((n+1)); [ $n -ge \(guestSeconds) ] && break; sleep 1
            done
            if [ -z "$guestid" ]; then
              : # every check of the guest fails
            \(notCreated)\
            else
              n=0
              asked=""
              until grep -q "\(guestDoneMarker)" $log 2>/dev/null; do
            \(press)\
                n=$((n+1)); [ $n -ge \(guestSeconds) ] && break; sleep 1
              done
              grep "driverdom-test: verdict" $log | sed "s/^/[$guest] /"
              if ! grep -q "\(guestDoneMarker)" $log 2>/dev/null; then
            \(noVerdict)\
                echo "--- last lines of $guest's console (its checks did not finish within \(guestSeconds) s) ---"
                tail -n 30 $log | grep -v "driverdom-test: verdict" | sed "s/^/[$guest] /"
              elif grep -q "driverdom-test: verdict [^ ]* FAIL" $log; then
                echo "--- last lines of $guest's console (a check failed) ---"
                tail -n 30 $log | grep -v "driverdom-test: verdict" | sed "s/^/[$guest] /"
              fi
              # The guest powers itself off once its checks are done; destroy it only if it
              # is still there after that (destroying a dying domain makes libxl print errors).
              n=0
              while domid $guest >/dev/null && [ $n -lt 10 ]; do n=$((n+1)); sleep 1; done
              if domid $guest >/dev/null; then xl destroy $guest; fi
            \(teardownChecks)\
            \(usbChecks.isEmpty ? "" : usbTeardown)\
            fi

            """
        }
        if sound, let domd { script += relayDomDSound(domd: domd) }
        if display, let domd { script += relayDomDDisplay(domd: domd) }
        if usb != nil, let domd { script += relayDomDUsb(domd: domd) }
        if let domd {
            script += """
            echo "--- last lines of \(domd)'s console ---"
            tail -n 40 /var/log/xen/console/guest-\(domd).log | grep -v "driverdom-test: verdict" \
              | grep -v -F \(faultPatterns) | sed "s/^/[\(domd)] /"

            """
        }
        script += relayKernelFaults()
        script += """
        xl list
        say finished

        """
        return script
    }

    /// dom0's teardown check of `layer` for the destroyed guest: its backend
    /// folder `backend/<folder>/<guest domid>` gone from the backend domain within 20 s.
    static func teardown(_ layer: String, folder: String) -> String {
        let verdict = EndToEndChecks.teardown(of: layer)
        return """
          node=/local/domain/$backend_domid/backend/\(folder)/$guestid
          n=0
          while xenstore-read $node >/dev/null 2>&1 && [ $n -lt 20 ]; do n=$((n+1)); sleep 1; done
          if xenstore-read $node >/dev/null 2>&1; then
            say "verdict \(verdict) FAIL backend nodes left 20 s after destroying $guest: $node"
          else
            say "verdict \(verdict) PASS backend nodes of $guest (domain $guestid) removed after destroy"
          fi

        """
    }

    /// `-e 'MARKER'` for each of `ConsoleWatcher.kernelProblemMarkers`, for `grep -F`.
    static var faultPatterns: String {
        ConsoleWatcher.kernelProblemMarkers.map { "-e '\($0)'" }.joined(separator: " ")
    }

    /// Relays every kernel fault line (warning, bug, oops, panic) of every
    /// domain's whole console log — DomD's and each guest's, destroyed or not —
    /// to dom0's console, prefixed with the domain's name, where the host's
    /// console watcher fails the run on them.
    static func relayKernelFaults(folder: String = "/var/log/xen/console") -> String {
        """
        for log in \(folder)/guest-*.log; do
          [ -f "$log" ] || continue
          name=${log##*/guest-}; name=${name%.log}
          grep -F \(faultPatterns) "$log" | sed "s/^/[$name] /"
        done

        """
    }

    /// Shell lines defining `load_module FILE` (insmod unless a module of that
    /// name is loaded) and loading the test guests' out-of-tree modules listed
    /// in `folder`/load-order, when the session put them there — in the
    /// background: a xenbus frontend's insmod waits (up to 270 s) for its
    /// devices to connect, and one backend that never does must not hold up
    /// the checks of the others.
    static func loadGuestModules(_ folder: String) -> String {
        """
        load_module() {
          name=${1##*/}; name=${name%.ko}
          [ -d /sys/module/$(echo $name | tr - _) ] || insmod $1 || echo "driverdom-test: insmod $1 failed"
        }
        if [ -f \(folder)/load-order ]; then
          ( for module in $(cat \(folder)/load-order); do load_module \(folder)/$module; done ) &
        fi
        """
    }

    /// On a guest's kernel command line: the layers whose guest check script it runs (`a,b`).
    package static let layerChecksFlag = "driverdom.checks="
    /// Where the layers' guest check scripts go in the test guest (one file per layer, by name).
    package static let layerCheckFolder = "/usr/lib/driverdom/checks"

    /// What the test guest prints once all its checks ran.
    package static let guestDoneMarker = "driverdom-test: guest checks done"
    /// What the guest's button check prints when it waits for the press.
    package static let buttonMarker = "driverdom-test: waiting for the button"

    /// dom0's check that Xen hid the passed-through nodes from it: each is absent
    /// from dom0's tree or `status = "disabled"` there, and no gpio-keys input device exists in dom0.
    static func dom0Hidden(_ plan: PassthroughTestPlan) -> String {
        """
        shown=""
        for node in \(plan.hiddenNodes.joined(separator: " ")); do
          # Xen either leaves the node out of dom0's tree or writes it with status "disabled".
          [ -d /proc/device-tree$node ] || continue
          status=$(tr -d '\\000' < /proc/device-tree$node/status 2>/dev/null)
          [ "$status" = disabled ] || shown="$shown $node (status ${status:-okay})"
        done
        grep -q "gpio-keys" /proc/bus/input/devices 2>/dev/null && shown="$shown a gpio-keys input device"
        if [ -z "$shown" ]; then
          say "verdict \(PassthroughTestPlan.hiddenCheck) PASS dom0 sees \(plan.hiddenNodes.joined(separator: " ")) disabled and has no gpio-keys device"
        else
          say "verdict \(PassthroughTestPlan.hiddenCheck) FAIL dom0 has \(plan.device)'s hardware:$shown"
        fi

        """
    }

    /// The test guest's /init: load evdev, run the input check, then the sound
    /// checks of `sound` (modules in `moduleFolder`), power off.
    package static func guestTest(evdevModule: String, sound: SoundTestPlan? = nil,
                                 moduleFolder: String = "/lib/modules", passthrough: PassthroughTestPlan? = nil,
                                 guestModuleFolder: String = "/lib/modules/test", display: DisplayTestPlan? = nil,
                                 usb: Bool = false, input: Bool = true) -> String {
        var script = prologue("/bin") + """
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        insmod \(evdevModule)
        \(loadGuestModules(guestModuleFolder))
        echo "driverdom-test: guest up"

        """
        if input { script += "/usr/bin/\(Probes.checker)\n" }
        if let passthrough {
            script += """
            button=$(sed -n 's/.*\(PassthroughTestPlan.guestFlag)\\([0-9]*\\).*/\\1/p' /proc/cmdline)
            if [ -n "$button" ]; then
              echo "driverdom-test: checking the passed-through button on vkb $button"
              /usr/bin/\(Probes.checker) --button $button \(passthrough.keyCode)
            fi

            """
        }
        if let sound { script += guestSound(sound, moduleFolder: moduleFolder) }
        if let display { script += guestDisplay(display) }
        if usb { script += guestUsb(moduleFolder: moduleFolder) + guestUsbIso(moduleFolder: moduleFolder) }
        script += """
        for check in $(sed -n 's/.*\(layerChecksFlag)\\([^ ]*\\).*/\\1/p' /proc/cmdline | tr , ' '); do
          echo "driverdom-test: running layer $check's check"
          sh \(layerCheckFolder)/$check
        done

        echo "\(guestDoneMarker)"
        sync
        poweroff -f

        """
        return script
    }
}
