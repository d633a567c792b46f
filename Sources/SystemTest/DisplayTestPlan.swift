// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// The displif end-to-end test of a session, with vkms standing in for the
/// display controller and the test guest's xen-drm-front (`test.guest_modules`).
///
/// The guest's `e2e-display-probe show` sets the first vdispl connector's mode
/// on xen-drm-front's card and page-flips through ``frames`` known frames
/// (DisplayProbe.TestFrames), waiting for each flip-complete event and holding
/// each frame at least ``holdMilliseconds`` and three times as long as its flip
/// took (so DomD's watcher, slowed like the backend when DomD is starved, still
/// reads every frame back); then flips ``burst`` more frames as fast as
/// the events come, for the frame rate (`displif-flips`). In DomD,
/// `e2e-display-probe watch` reads back every buffer the bound DRM connector
/// scans out and checks that the frames arrived intact and in order
/// (`displif-scanout`, DisplayProbe.ScanoutChecker): one wrong row fails it.
package struct DisplayTestPlan: Sendable, Equatable {
    /// Frames the watcher checks.
    package static let frames = 8
    /// How long the guest shows each checked frame: DomD's watcher must read it back meanwhile.
    package static let holdMilliseconds = 300
    /// Flips of the frame-rate burst.
    package static let burst = 30
    /// xen-drm-front's card in the guest, and its connector for the first vdispl connector.
    package static let guestCard = "/dev/dri/card0"
    package static let guestConnector = "Virtual-1"
    /// Seconds DomD's watcher waits for the whole sequence (from DomD's start; the guest draws after its other checks).
    package static let watchSeconds = 1200
    /// Checks this plan prints verdicts for: the guest's, then DomD's.
    package static let checks = ["displif-flips", "displif-scanout"]

    /// Mode of the connector (the vdispl connector's resolution).
    package var width: Int
    package var height: Int
    /// The DomD DRM card and connector showing it.
    package var domdCard: String
    package var domdConnector: String

    package init(width: Int, height: Int, domdCard: String, domdConnector: String) {
        self.width = width
        self.height = height
        self.domdCard = domdCard
        self.domdConnector = domdConnector
    }

    /// Whether a session of `configuration` tests display: a layer serves vdispl.
    package static func testsDisplay(_ configuration: Configuration) -> Bool {
        configuration.layers.contains { $0.check.kit.contains(.display) }
    }

    /// The plan for the first guest's first vdispl connector, or nil when the image serves no display.
    package static func plan(for configuration: Configuration) -> DisplayTestPlan? {
        guard testsDisplay(configuration),
              let display = configuration.image.guests.lazy.flatMap(\.vdispl).first,
              let connector = display.connectors.first,
              case .display(let card, _)? = configuration.board.device(id: display.device)?.domd,
              let output = configuration.drmConnector(of: connector, in: display) else { return nil }
        return DisplayTestPlan(width: connector.width, height: connector.height, domdCard: card, domdConnector: output)
    }

    /// Guests that print `displif-flips` (the first guest with a vdispl).
    package static func guestCount(_ configuration: Configuration) -> Int {
        configuration.image.guests.contains { !$0.vdispl.isEmpty } ? 1 : 0
    }
}
