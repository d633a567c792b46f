// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Grant mapping by one domain in the simulation: real shared pages, checked
/// against the granting domain's grant table.
public final class SimulatedGrantMapper: GrantMapper {
    let simulator: XenSimulator
    public let domain: DomainID

    public init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
    }

    public func map(domain granter: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        try simulator.map(by: domain, domain: granter, refs: refs, writable: writable)
    }
    public func unmap(_ mapping: GrantMapping) throws(XenError) { try simulator.unmap(by: domain, mapping) }
}
