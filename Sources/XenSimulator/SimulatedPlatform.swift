// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The simulated platform of one process in one domain.
public final class SimulatedPlatform: XenPlatform {
    public let simulator: XenSimulator
    public let domain: DomainID
    public let store: SimulatedXenStore
    public let grants: SimulatedGrantMapper
    public let events: SimulatedEventChannels
    public let sharer: SimulatedGrantSharer

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
        self.store = SimulatedXenStore(simulator: simulator, domain: domain)
        self.grants = SimulatedGrantMapper(simulator: simulator, domain: domain)
        self.events = SimulatedEventChannels(simulator: simulator, domain: domain)
        self.sharer = SimulatedGrantSharer(simulator: simulator, domain: domain)
    }
}
