// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// How many guest pages one backend process keeps mapped at once, in all and
/// per frontend domain. Every mapping a device makes through its `XenbusLink`
/// is charged to its frontend's domain and given back when it is unmapped.
///
/// Foreign pages are mapped into a region of the driver domain that every
/// backend and every guest share (DomD's grant frames), so without a cap the
/// guest that asks for the most buffers would leave the others none: a map
/// beyond either limit fails with `grantBudgetExceeded` before it reaches the
/// grant device, and only that request (or that device) fails.
public final class GrantBudget {
    /// Most pages mapped by this backend process for all guests together.
    public let totalLimit: Int
    /// Most pages mapped for any one frontend domain.
    public let domainLimit: Int
    /// Pages mapped now, for all guests.
    public private(set) var total = 0
    private var byDomain: [DomainID: Int] = [:]

    /// Default limits: 64 MiB per guest (a 1920×1080 XRGB8888 display's four
    /// buffers are 32 MiB) and 128 MiB for all guests of one backend.
    public static let defaultDomainPages = 16384
    public static let defaultTotalPages = 32768

    public init(totalPages: Int = GrantBudget.defaultTotalPages, pagesPerDomain: Int = GrantBudget.defaultDomainPages) {
        totalLimit = max(0, totalPages)
        domainLimit = max(0, min(pagesPerDomain, totalPages))
    }

    /// Pages mapped now for `domain`.
    public func pages(of domain: DomainID) -> Int { byDomain[domain] ?? 0 }

    /// Charges `count` pages to `domain`, or throws without charging anything.
    public func reserve(_ count: Int, for domain: DomainID) throws(XenError) {
        let current = pages(of: domain)
        guard count >= 0, count <= domainLimit - current, count <= totalLimit - total else {
            throw .grantBudgetExceeded(domain: domain, pages: count, domainPages: current, domainLimit: domainLimit,
                                       totalPages: total, totalLimit: totalLimit)
        }
        byDomain[domain] = current + count
        total += count
    }

    /// Gives back `count` pages charged to `domain` (never below zero).
    public func release(_ count: Int, for domain: DomainID) {
        let current = pages(of: domain)
        let given = min(max(0, count), current)
        if current - given == 0 { byDomain[domain] = nil } else { byDomain[domain] = current - given }
        total -= given
    }
}
