// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore

/// The grant budget's arithmetic: per-domain and total limits, nothing charged
/// on a refusal, releases never going below zero.
@Suite struct GrantBudgetTests {
    @Test func chargesPerDomainAndInTotal() throws {
        let budget = GrantBudget(totalPages: 10, pagesPerDomain: 6)
        try budget.reserve(6, for: DomainID(2))
        #expect(throws: XenError.self) { try budget.reserve(1, for: DomainID(2)) }
        try budget.reserve(4, for: DomainID(3))
        #expect(throws: XenError.self) { try budget.reserve(1, for: DomainID(4)) }
        #expect(budget.total == 10 && budget.pages(of: DomainID(2)) == 6 && budget.pages(of: DomainID(4)) == 0)
        budget.release(6, for: DomainID(2))
        try budget.reserve(1, for: DomainID(4))
        #expect(budget.total == 5)
    }

    @Test func aRefusalNamesTheDomainAndBothLimits() {
        let budget = GrantBudget(totalPages: 8, pagesPerDomain: 4)
        do throws(XenError) {
            try budget.reserve(5, for: DomainID(7))
            Issue.record("5 pages passed a 4-page limit")
        } catch {
            #expect(error.description.contains("5 more page(s) of domain 7"))
            #expect(error.description.contains("0 of its 4"))
            #expect(error.description.contains("0 of 8"))
        }
        #expect(budget.total == 0)
    }

    @Test func releasesNeverGoBelowZeroOrTouchOtherDomains() throws {
        let budget = GrantBudget(totalPages: 8, pagesPerDomain: 8)
        try budget.reserve(3, for: DomainID(2))
        try budget.reserve(2, for: DomainID(3))
        budget.release(100, for: DomainID(2))
        budget.release(1, for: DomainID(9))
        #expect(budget.pages(of: DomainID(2)) == 0 && budget.pages(of: DomainID(3)) == 2 && budget.total == 2)
        #expect(throws: XenError.self) { try budget.reserve(-1, for: DomainID(2)) }
    }
}
