// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Grant mapping by one domain in the simulation: real shared pages, checked
/// against the granting domain's grant table.
package final class SimulatedGrantMapper: GrantMapper {
    let simulator: XenSimulator
    package let domain: DomainID

    package init(simulator: XenSimulator, domain: DomainID) {
        self.simulator = simulator
        self.domain = domain
    }

    package func map(domain granter: DomainID, refs: [GrantRef], writable: Bool) throws(XenError) -> GrantMapping {
        try simulator.map(by: domain, domain: granter, refs: refs, writable: writable)
    }
    package func unmap(_ mapping: GrantMapping) throws(XenError) { try simulator.unmap(by: domain, mapping) }
}
