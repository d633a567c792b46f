// SPDX-License-Identifier: Apache-2.0

/// The displif test's scripts (see ``DisplayTestPlan``).
extension SessionScripts {
    /// On a test guest's kernel command line: the guest has a vdispl to test.
    package static let displayFlag = "driverdom.display=1"

    /// DomD's display watcher: waits until a process other than itself has the
    /// card open (displif-backend, which must be its DRM master), then checks
    /// what the bound connector scans out.
    package static func domdDisplay(_ plan: DisplayTestPlan) -> String {
        prologue("/run/driverdom-session/bin") + """
        n=0
        until ls -l /proc/[0-9]*/fd 2>/dev/null | grep -q "\(plan.domdCard)"; do
          n=$((n+1)); [ $n -ge 600 ] && break; sleep 0.5
        done
        exec \(Probes.displayProbe) watch \(plan.domdCard) \(plan.domdConnector) \(plan.width) \(plan.height) \
          \(DisplayTestPlan.frames) \(DisplayTestPlan.watchSeconds) displif-scanout

        """
    }

    /// The test guest's display check: wait for xen-drm-front's card, flip the
    /// test frames, and fail if the frontend ever gave up waiting for a flip event.
    static func guestDisplay(_ plan: DisplayTestPlan) -> String {
        let card = DisplayTestPlan.guestCard
        return """
        if grep -q \(displayFlag) /proc/cmdline; then
        n=0
        until [ -e \(card) ]; do
          n=$((n+1)); [ $n -ge 30 ] && break; sleep 1
        done
        if [ -e \(card) ]; then
          echo "driverdom-test: guest flips \(DisplayTestPlan.frames) test frames on \(card)"
          /usr/bin/\(Probes.displayProbe) show \(card) \(DisplayTestPlan.guestConnector) \(plan.width) \(plan.height) \
            \(DisplayTestPlan.frames) \(DisplayTestPlan.holdMilliseconds) \(DisplayTestPlan.burst) displif-flips
          if dmesg | grep -q "Frame done timed-out"; then
            echo "driverdom-test: verdict displif-flips FAIL xen-drm-front timed out waiting for a flip-complete event of the backend"
          fi
        else
          echo "driverdom-test: verdict displif-flips FAIL the guest has no \(card): xen-drm-front did not connect (drm_xen_front in test.guest_modules?)"
        fi
        fi

        """
    }

    /// dom0's relay of the driver domain's `displif-scanout` verdict (printed on DomD's console).
    static func relayDomDDisplay(domd: String) -> String {
        """
        log=/var/log/xen/console/guest-\(domd).log
        n=0
        until grep -q "driverdom-test: verdict displif-scanout" $log 2>/dev/null; do
          n=$((n+1)); [ $n -ge 15 ] && break; sleep 1
        done
        grep "driverdom-test: verdict displif-scanout" $log | sed "s/^/[\(domd)] /"
        grep "e2e-display:" $log | tail -n 12 | sed "s/^/[\(domd)] /"

        """
    }
}
