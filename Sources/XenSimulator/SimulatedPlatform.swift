// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The simulated platform of one process in one domain.
package final class SimulatedPlatform: XenPlatform {
    package let simulator: XenSimulator
    package let domain: DomainID
    package let store: SimulatedXenStore
    package let grants: SimulatedGrantMapper
    package let events: SimulatedEventChannels
    package let sharer: SimulatedGrantSharer

    package init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.store = SimulatedXenStore(simulator: simulator, domain: domain)
        self.grants = SimulatedGrantMapper(simulator: simulator, domain: domain)
        self.events = SimulatedEventChannels(simulator: simulator, domain: domain)
        self.sharer = SimulatedGrantSharer(simulator: simulator, domain: domain)
    }
}
